/**
 * Gateways from the client: the SQL text of the gateway statements, and, against the emulator through
 * the real driver, what the Services view lists (gateways under their schema, their targets with
 * weights from DESCRIBE GATEWAY), deploying a gateway spec (create, then alter with the diff of only
 * what changed), "Shift Traffic…" (the deployed spec with only the two weights changed, sent by ALTER
 * GATEWAY) and the words of a failure (the missing privilege with its GRANT, the missing endpoint).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gatewayFailure, planGatewayDeploy, planShift, weightedTargets } from '../../client/src/gateways/gatewayPlan';
import { describeGatewayRow, listGatewaysOfSchema, listGatewayTargets, listSchemas } from '../../client/src/listings/accountData';
import * as sql from '../../client/src/snowflake/sql';
import { failure, harness, printedConnection, value } from './emulatorHarness';

const name = { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'CHAT_GATEWAY' };
const v1 = 'spcs_demo.public.echo_service!echoendpoint';
const v2 = 'spcs_demo.public.echo_v2!echoendpoint';

function split(weights: readonly [number, number], comment = ''): string {
  return `${comment}spec:\n  type: traffic_split\n  split_type: custom\n  targets:\n    - type: endpoint\n      value: ${v1}\n      weight: ${weights[0]}\n    - type: endpoint\n      value: ${v2}\n      weight: ${weights[1]}\n`;
}

const echoV2 = `spec:\n  containers:\n    - name: echo\n      image: /spcs_demo/public/demo_repo/echo:latest\n  endpoints:\n    - name: echoendpoint\n      port: 8000\n      public: true\n`;

describe('gateway SQL text', () => {
  it('quotes names and embeds the spec byte for byte', () => {
    const spec = 'spec:\n  type: traffic_split  # keep me\n';
    assert.equal(sql.createGateway({ database: 'my db', schema: 'PUBLIC', name: 'g' }, spec), `CREATE GATEWAY "my db".PUBLIC."g"\n  FROM SPECIFICATION $$${spec}$$`);
    assert.equal(sql.createGateway(name, 'x', { orReplace: true, comment: "Bob's" }), "CREATE OR REPLACE GATEWAY SPCS_DEMO.PUBLIC.CHAT_GATEWAY\n  FROM SPECIFICATION $$x$$\n  COMMENT = 'Bob''s'");
    assert.equal(sql.alterGatewaySpec(name, 'a$$b'), "ALTER GATEWAY SPCS_DEMO.PUBLIC.CHAT_GATEWAY\n  FROM SPECIFICATION 'a$$b'");
    assert.equal(sql.describeGateway({ name: 'Mixed' }), 'DESCRIBE GATEWAY "Mixed"');
    assert.equal(sql.dropGateway(name, { ifExists: true }), 'DROP GATEWAY IF EXISTS SPCS_DEMO.PUBLIC.CHAT_GATEWAY');
    assert.throws(() => sql.createGateway(name, 'x', { orReplace: true, ifNotExists: true }), /exclude/);
  });
});

describe('gateway plans (pure)', () => {
  it('refuses a spec with errors and one that is no gateway spec, naming why', () => {
    const bad = planGatewayDeploy({ specText: split([70, 20]), specUri: 'file:///g.gateway.yaml', name, existing: undefined });
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.message, /error.*100/i);
    const service = planGatewayDeploy({ specText: echoV2, specUri: 'file:///s.yaml', name, existing: undefined });
    assert.match(service.ok ? '' : service.message, /not a gateway specification/);
  });

  it('shifts one step between two targets, clamped, and refuses a shift that moves nothing', () => {
    const plan = planShift(name, split([90, 10], '# deployed\n'), 0, 1, 25);
    assert.ok(plan.ok);
    assert.deepEqual([plan.before, plan.after, plan.moved], [[90, 10], [65, 35], 25]);
    assert.equal(plan.spec, split([65, 35], '# deployed\n'), 'only the two weights change');
    const clamped = planShift(name, split([5, 95]), 0, 1, 10);
    assert.deepEqual(clamped.ok ? clamped.after : undefined, [0, 100], 'moves only what the source has');
    const none = planShift(name, split([0, 100]), 0, 1, 10);
    assert.match(none.ok ? '' : none.message, /no traffic left/);
    assert.equal(weightedTargets('spec:\n  type: shadow_traffic\n  primary:\n    - type: endpoint\n      value: a.b.c!d\n').ok, false);
  });
});

describe('gateways against the emulator', { timeout: 60_000 }, () => {
  it('lists the demo gateway under its schema with its target and weight', async (t) => {
    const h = await harness(t);
    const schemas = value(await listSchemas(h.sessions, 'spcs.services', printedConnection));
    const schema = schemas.find((candidate) => candidate.database === 'SPCS_DEMO' && candidate.schema === 'PUBLIC');
    assert.ok(schema);
    const gateways = value(await listGatewaysOfSchema(h.sessions, 'spcs.services', schema));
    assert.deepEqual(gateways.map((gateway) => [gateway.name, gateway.comment]), [['ECHO_GATEWAY', 'Stable URL for the echo service']]);
    const targets = value(await listGatewayTargets(h.sessions, 'spcs.services', gateways[0] ?? { connection: printedConnection, ...name }));
    assert.deepEqual(targets.map((target) => [target.value, target.weight, target.gatewayType]), [['spcs_demo.public.echo_service!echoendpoint', 100, 'traffic_split']]);
  });

  it('creates a gateway, alters it with a diff of what changed, and shifts traffic in steps', async (t) => {
    const h = await harness(t);
    const run = (statement: string) => h.sessions.execute(printedConnection, statement, { timeoutMs: 15_000 });
    value(await run(sql.createService({ name: { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_V2' }, pool: 'DEMO_CPU_POOL', spec: echoV2 })));
    const gateway = { connection: printedConnection, ...name };

    const create = planGatewayDeploy({ specText: split([100, 0]), specUri: 'file:///chat.gateway.yaml', name, existing: value(await describeGatewayRow(h.sessions, gateway).then((result) => (result.ok ? result : { ok: true as const, value: undefined }))) });
    assert.ok(create.ok && create.action === 'create');
    value(await run(create.sql));

    const existing = value(await describeGatewayRow(h.sessions, gateway));
    const alter = planGatewayDeploy({ specText: split([90, 10], '# canary\n'), specUri: 'file:///chat.gateway.yaml', name, existing });
    assert.ok(alter.ok && alter.action === 'alter');
    assert.ok(alter.diff?.changed);
    assert.notEqual(alter.diff?.deployed, alter.diff?.local);
    assert.doesNotMatch(alter.diff?.local ?? '', /canary/, 'comments are on neither side of the diff');
    const same = planGatewayDeploy({ specText: split([100, 0]), specUri: 'file:///chat.gateway.yaml', name, existing });
    assert.ok(same.ok && same.diff?.changed === false && same.warnings.some((warning) => /changes nothing/.test(warning)));
    const urlBefore = existing?.ingressUrl;
    value(await run(alter.sql));

    const deployed = value(await describeGatewayRow(h.sessions, gateway))?.spec ?? '';
    const shift = planShift(name, deployed, 0, 1, 10);
    assert.ok(shift.ok);
    assert.deepEqual(shift.after, [80, 20]);
    value(await run(shift.sql));
    const after = value(await listGatewayTargets(h.sessions, 'spcs.services', gateway));
    assert.deepEqual(after.map((target) => target.weight), [80, 20]);
    assert.equal(value(await describeGatewayRow(h.sessions, gateway))?.ingressUrl, urlBefore, 'ALTER keeps the ingress host');
  });

  it('names a missing endpoint and a missing privilege with its GRANT', async (t) => {
    const h = await harness(t);
    const run = (statement: string) => h.sessions.execute(printedConnection, statement, { timeoutMs: 15_000 });
    const missing = `spec:\n  type: traffic_split\n  split_type: custom\n  targets:\n    - type: endpoint\n      value: spcs_demo.public.echo_service!nope\n      weight: 100\n`;
    const plan = planGatewayDeploy({ specText: missing, specUri: 'file:///m.gateway.yaml', name, existing: undefined });
    assert.ok(plan.ok);
    const notFound = gatewayFailure('create gateway CHAT_GATEWAY', failure(await run(plan.sql)), { name, role: 'SPCS_DEVELOPER' });
    assert.match(notFound.message, /endpoint .*nope does not exist/i);

    h.account.control.run('REVOKE BIND SERVICE ENDPOINT ON ACCOUNT FROM ROLE SPCS_DEVELOPER');
    const single = `spec:\n  type: traffic_split\n  split_type: custom\n  targets:\n    - type: endpoint\n      value: ${v1}\n      weight: 100\n`;
    const ok = planGatewayDeploy({ specText: single, specUri: 'file:///m.gateway.yaml', name, existing: undefined });
    assert.ok(ok.ok, ok.ok ? '' : ok.message);
    const denied = gatewayFailure('create gateway CHAT_GATEWAY', failure(await run(ok.sql)), { name, role: 'SPCS_DEVELOPER' });
    assert.deepEqual(denied.grants, ['GRANT BIND SERVICE ENDPOINT ON ACCOUNT TO ROLE SPCS_DEVELOPER']);
    assert.match(denied.message, /BIND SERVICE ENDPOINT/);
  });
});
