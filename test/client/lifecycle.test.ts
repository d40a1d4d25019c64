/**
 * The pure parts of the lifecycle and inspection commands, checked against what the local emulator
 * returns through the REAL snowflake-sdk driver: the SQL they send, when DROP needs FORCE, the
 * instance-count rules, the DNS name and endpoint URL, the describe document, and the pickers' row
 * mapping. The editor-facing parts run in test/extension/lifecycle.test.ts.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { connectionsTomlSection } from '../../emulator/src/cli';
import { describeUriParts, parseDescribeQuery, renderDescribe, type DescribeTarget } from '../../client/src/lifecycle/describeDocument';
import { dnsLabel, dnsNameFrom, endpointUrl, isProvisioning } from '../../client/src/lifecycle/endpointLinks';
import { confirmationMatches, dropDecision, dropStatement, hasSettled, instanceCountProblem, isBlockVolumeDropError, planInstances, settledMessage, specHasBlockVolumes } from '../../client/src/lifecycle/lifecycleRules';
import { failureMessage } from '../../client/src/ui/failures';
import {
  containersFromRows,
  endpointsFromRows,
  listServices,
  logTargetsOf,
  pickService,
  poolsFromRows,
  servicesFromRows,
  type PickItem,
  type PickerUi,
} from '../../client/src/ui/pickers';
import type { SnowflakeError } from '../../client/src/snowflake/errors';
import * as sql from '../../client/src/snowflake/sql';
import { looksLikeSpec } from '../../server/src/service/specDetection';
import { failure, harness, printedConnection as connection, value } from './emulatorHarness';

const echo = { connection, database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' };
const orders = { ...echo, name: 'ORDERS_SERVICE' };
const timeoutMs = 15_000;

/** A PickerUi that answers from a script and records what it was shown. */
class ScriptedUi implements PickerUi {
  readonly shown: string[][] = [];
  readonly infos: string[] = [];
  readonly errors: SnowflakeError[] = [];
  constructor(private readonly choose: (labels: string[]) => string | undefined) {}
  busy<T>(_title: string, task: () => Promise<T>): Promise<T> {
    return task();
  }
  pick<T>(items: readonly PickItem<T>[]): Promise<PickItem<T> | undefined> {
    const labels = items.map((item) => item.label);
    this.shown.push(labels);
    const label = this.choose(labels);
    return Promise.resolve(items.find((item) => item.label === label));
  }
  info(message: string): void {
    this.infos.push(message);
  }
  error(error: SnowflakeError): void {
    this.errors.push(error);
  }
}

describe('lifecycle rules', () => {
  it('builds the ALTER SERVICE for min/max instances and refuses what Snowflake refuses', () => {
    const plan = planInstances(echo, { minInstances: 2, maxInstances: 2, minReadyInstances: 1 }, 1, 3);
    assert.deepEqual(plan, { ok: true, sql: 'ALTER SERVICE SPCS_DEMO.PUBLIC.ECHO_SERVICE SET MIN_INSTANCES = 1 MAX_INSTANCES = 3', summary: 'SPCS_DEMO.PUBLIC.ECHO_SERVICE: MIN_INSTANCES = 1, MAX_INSTANCES = 3' });
    const lowered = planInstances(echo, { minInstances: 3, maxInstances: 3, minReadyInstances: 3 }, 2, 4);
    assert.ok(lowered.ok);
    assert.equal(lowered.sql, 'ALTER SERVICE SPCS_DEMO.PUBLIC.ECHO_SERVICE SET MIN_INSTANCES = 2 MIN_READY_INSTANCES = 2 MAX_INSTANCES = 4');
    const blocked = planInstances(orders, { minInstances: 1, maxInstances: 1, hasBlockVolumes: true }, 2, 2);
    assert.equal(blocked.ok, false);
    assert.match(blocked.ok ? '' : blocked.message, /block volumes.*MIN_INSTANCES must stay equal to MAX_INSTANCES/);
    assert.match(JSON.stringify(planInstances(echo, {}, 3, 2)), /MAX_INSTANCES \(2\) must be at least MIN_INSTANCES \(3\)/);
    assert.match(JSON.stringify(planInstances(echo, {}, 0, 2)), /MIN_INSTANCES must be a whole number/);
    assert.match(JSON.stringify(planInstances(echo, { minInstances: 2, maxInstances: 2 }, 2, 2)), /already runs/);
    const quoted = planInstances({ ...echo, name: 'my svc' }, {}, 1, 1);
    assert.ok(quoted.ok && quoted.sql.startsWith('ALTER SERVICE SPCS_DEMO.PUBLIC."my svc" SET'));
  });

  it('validates what is typed into the instance boxes', () => {
    assert.equal(instanceCountProblem('2'), undefined);
    assert.equal(instanceCountProblem(' 1000 '), undefined);
    assert.match(instanceCountProblem('0') ?? '', /at least 1/);
    assert.match(instanceCountProblem('1001') ?? '', /at most 1000/);
    assert.match(instanceCountProblem('two') ?? '', /whole number/);
    assert.match(instanceCountProblem('1.5') ?? '', /whole number/);
    assert.match(instanceCountProblem('2', 3, 'MAX_INSTANCES') ?? '', /MAX_INSTANCES must be at least 3/);
    assert.equal(instanceCountProblem('3', 3), undefined);
  });

  it('accepts the typed drop confirmation only when it names the service', () => {
    assert.equal(confirmationMatches('ECHO_SERVICE', 'ECHO_SERVICE'), true);
    assert.equal(confirmationMatches(' echo_service ', 'ECHO_SERVICE'), true);
    assert.equal(confirmationMatches('ECHO', 'ECHO_SERVICE'), false);
    assert.equal(confirmationMatches('"echo_service"', 'ECHO_SERVICE'), false);
    assert.equal(confirmationMatches('"my svc"', 'my svc'), true);
    assert.equal(confirmationMatches('MY SVC', 'my svc'), false);
  });

  it('decides FORCE from the spec: asks with block volumes, tries without when the spec is hidden', () => {
    assert.deepEqual(dropDecision(true), { kind: 'askForce' });
    assert.deepEqual(dropDecision(false), { kind: 'plain' });
    assert.deepEqual(dropDecision(undefined), { kind: 'tryPlain' });
    assert.equal(specHasBlockVolumes('spec:\n  containers: []\n  volumes:\n  - name: data\n    source: block\n    size: 10Gi\n'), true);
    assert.equal(specHasBlockVolumes('spec:\n  containers: []\n  volumes:\n  - name: tmp\n    source: memory\n'), false);
    assert.equal(specHasBlockVolumes('spec:\n  containers: []\n'), false);
    assert.equal(specHasBlockVolumes(undefined), undefined);
    assert.equal(specHasBlockVolumes('spec: [unclosed'), undefined);
    assert.equal(dropStatement(echo, false), 'DROP SERVICE SPCS_DEMO.PUBLIC.ECHO_SERVICE');
    assert.equal(dropStatement(orders, true), 'DROP SERVICE SPCS_DEMO.PUBLIC.ORDERS_SERVICE FORCE');
  });

  it('builds endpoint URLs and DNS names, and tells the provisioning placeholder from an address', () => {
    assert.equal(endpointUrl('abc-org-acct.snowflakecomputing.app'), 'https://abc-org-acct.snowflakecomputing.app');
    assert.equal(endpointUrl('https://abc.snowflakecomputing.app/ui'), 'https://abc.snowflakecomputing.app/ui');
    assert.equal(endpointUrl('Endpoints provisioning in progress... check back in a few minutes'), undefined);
    assert.equal(endpointUrl(''), undefined);
    assert.equal(isProvisioning('Endpoints provisioning in progress... check back in a few minutes'), true);
    assert.equal(isProvisioning('abc.snowflakecomputing.app'), false);
    assert.equal(dnsLabel('ECHO_SERVICE'), 'echo-service');
    assert.equal(dnsNameFrom('ECHO_SERVICE', 'k3lq.svc.spcs.internal'), 'echo-service.k3lq.svc.spcs.internal');
  });

  it('names the cause of a failure first', () => {
    const message = failureMessage('drop service X', { kind: 'privilege', message: 'Role SPCS_VIEWER lacks OWNERSHIP on service X.' });
    assert.equal(message, 'Could not drop service X. Missing privilege: Role SPCS_VIEWER lacks OWNERSHIP on service X.');
  });

  it('says "Suspended" or "Resumed" only once the state has settled, and otherwise the state it is still in', () => {
    // Passing states are not settled: no "Suspended" while the trees say SUSPENDING.
    for (const [subject, action, state] of [['service', 'suspend', 'SUSPENDING'], ['service', 'resume', 'PENDING'], ['pool', 'suspend', 'STOPPING'], ['pool', 'resume', 'STARTING']] as const) {
      assert.equal(hasSettled(subject, action, state), false, `${subject} ${action} ${state}`);
    }
    for (const [subject, action, state] of [['service', 'suspend', 'SUSPENDED'], ['service', 'resume', 'RUNNING'], ['service', 'resume', 'FAILED'], ['pool', 'suspend', 'SUSPENDED'], ['pool', 'resume', 'IDLE']] as const) {
      assert.equal(hasSettled(subject, action, state), true, `${subject} ${action} ${state}`);
    }
    assert.deepEqual(settledMessage('service', 'suspend', 'SPCS_DEMO.PUBLIC.ECHO_SERVICE', { how: 'settled', state: 'SUSPENDED' }), {
      level: 'info',
      text: 'Suspended service SPCS_DEMO.PUBLIC.ECHO_SERVICE: its instances stopped; resume it to start them again.',
    });
    assert.equal(settledMessage('service', 'resume', 'S', { how: 'settled', state: 'RUNNING' }, 'DEMO_CPU_POOL').text, 'Resumed service S: RUNNING on compute pool DEMO_CPU_POOL.');
    assert.deepEqual(settledMessage('service', 'resume', 'S', { how: 'settled', state: 'FAILED' }), {
      level: 'warning',
      text: 'Service S is FAILED after it was asked to resume: look at its containers and their logs for why.',
    });
    assert.equal(settledMessage('pool', 'resume', 'P', { how: 'settled', state: 'IDLE' }).text, 'Resumed compute pool P: its nodes are up (IDLE).');
    assert.equal(settledMessage('pool', 'suspend', 'P', { how: 'settled', state: 'SUSPENDED' }).text, 'Suspended compute pool P: its nodes stopped.');
    // Not settled: never "Suspended", the state it is in, and that the views follow it.
    const waiting = settledMessage('service', 'suspend', 'S', { how: 'timeout', state: 'SUSPENDING' });
    assert.equal(waiting.text, 'Service S: it is still SUSPENDING; Snowflake is suspending it, and the views show it when it is SUSPENDED.');
    assert.equal(settledMessage('pool', 'resume', 'P', { how: 'cancelled', state: 'STARTING' }).text, 'Stopped waiting for compute pool P: it is still STARTING; its nodes take a few minutes to start, and the views show it when it is IDLE.');
    for (const how of ['timeout', 'cancelled'] as const) {
      for (const action of ['suspend', 'resume'] as const) assert.doesNotMatch(settledMessage('service', action, 'S', { how, state: undefined }).text, /^(Suspended|Resumed)/);
    }
  });

  it('encodes the describe target in the document URI and reads it back', () => {
    const service: DescribeTarget = { kind: 'service', connection: 'dev/one', database: 'DB', schema: 'My Schema', name: 'a?b' };
    const parts = describeUriParts(service);
    assert.equal(parts.path, '/dev_one/service/DB.My Schema.a_b.yaml');
    assert.deepEqual(parseDescribeQuery(parts.query), service);
    const pool: DescribeTarget = { kind: 'pool', connection: 'dev', name: 'POOL' };
    assert.deepEqual(parseDescribeQuery(describeUriParts(pool).query), pool);
    assert.equal(parseDescribeQuery('kind=service&connection=x&name=y'), undefined);
    assert.equal(parseDescribeQuery(''), undefined);
  });
});

describe('lifecycle against the emulator', () => {
  it('describes a service as YAML with its spec embedded, and says when the role cannot see the spec', async (t) => {
    const h = await harness(t);
    const row = value(await h.sessions.execute(connection, sql.describeService({ database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' }), { timeoutMs })).rows[0];
    assert.ok(row);
    const text = renderDescribe({ kind: 'service', ...echo }, row, { at: '2026-01-01T00:00:00Z' });
    assert.match(text, /^# DESCRIBE SERVICE SPCS_DEMO\.PUBLIC\.ECHO_SERVICE\n# Connection "spcs_emulator", 2026-01-01T00:00:00Z\. Read-only/);
    const parsed = parse(text) as Record<string, unknown> & { specification: { spec: { containers: { name: string }[] } } };
    assert.equal(parsed.name, 'ECHO_SERVICE');
    assert.equal(parsed.status, 'RUNNING');
    assert.equal(parsed.min_instances, 2);
    assert.match(String(parsed.created_on), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
    assert.equal(parsed.spec, undefined, 'the spec is not a column of the property list');
    assert.deepEqual(
      parsed.specification.spec.containers.map((container) => container.name),
      ['echo'],
    );
    assert.equal(looksLikeSpec(text), false, 'the document must not be taken for a spec file');

    h.addConnections(connectionsTomlSection('viewer', h.emulator.connection('VIEWER_USER')));
    const hidden = value(await h.sessions.execute('viewer', sql.describeService({ database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' }), { timeoutMs })).rows[0];
    const viewerText = renderDescribe({ kind: 'service', ...echo, connection: 'viewer' }, hidden, { at: 'now' });
    assert.match(viewerText, /# Snowflake shows the specification only to the role that owns the service\.\nspecification: null/);
    assert.equal(specHasBlockVolumes(typeof hidden?.spec === 'string' ? hidden.spec : undefined), undefined);

    const poolRow = value(await h.sessions.execute(connection, sql.describeComputePool('DEMO_CPU_POOL'), { timeoutMs })).rows[0];
    const poolText = renderDescribe({ kind: 'pool', connection, name: 'DEMO_CPU_POOL' }, poolRow, { at: 'now' });
    const pool = parse(poolText) as Record<string, unknown>;
    assert.equal(pool.name, 'DEMO_CPU_POOL');
    assert.equal(pool.instance_family, 'CPU_X64_S');
    assert.doesNotMatch(poolText, /specification/);
    assert.match(renderDescribe({ kind: 'pool', connection, name: 'GONE' }, undefined, { at: 'now' }), /no row: the compute pool GONE does not exist/);
  });

  it('drops a service with block volumes only with FORCE, and recognises the error that asks for it', async (t) => {
    const h = await harness(t);
    const describe = async (name: string) => value(await h.sessions.execute(connection, sql.describeService({ database: 'SPCS_DEMO', schema: 'PUBLIC', name }), { timeoutMs })).rows[0];
    const ordersRow = await describe('ORDERS_SERVICE');
    assert.equal(specHasBlockVolumes(typeof ordersRow?.spec === 'string' ? ordersRow.spec : undefined), true);
    const echoRow = await describe('ECHO_SERVICE');
    assert.equal(specHasBlockVolumes(typeof echoRow?.spec === 'string' ? echoRow.spec : undefined), false);

    const refused = failure(await h.sessions.execute(connection, dropStatement(orders, false), { timeoutMs }));
    assert.equal(isBlockVolumeDropError(refused), true, refused.message);
    assert.equal(isBlockVolumeDropError({ kind: 'privilege', message: 'Insufficient privileges to operate on service ORDERS_SERVICE' }), false);
    value(await h.sessions.execute(connection, dropStatement(orders, true), { timeoutMs }));
    const names = servicesFromRows(connection, value(await h.sessions.execute(connection, sql.showServices({ in: { account: true } }), { timeoutMs }))).map((service) => service.name);
    assert.ok(!names.includes('ORDERS_SERVICE'));
    assert.ok(names.includes('ECHO_SERVICE'));

    // Instance counts: the statement the command sends is accepted and shows in SHOW SERVICES.
    const plan = planInstances(echo, servicesFromRows(connection, { rows: [echoRow ?? {}] })[0] ?? {}, 1, 3);
    assert.ok(plan.ok);
    value(await h.sessions.execute(connection, plan.sql, { timeoutMs }));
    const after = servicesFromRows(connection, value(await h.sessions.execute(connection, sql.showServices({ like: 'ECHO_SERVICE', in: { schema: { database: 'SPCS_DEMO', name: 'PUBLIC' } } }), { timeoutMs })))[0];
    assert.equal(after?.minInstances, 1);
    assert.equal(after?.maxInstances, 3);
  });

  it('maps SHOW rows to services, pools, containers and endpoints, and reads the DNS name Snowflake prints', async (t) => {
    const h = await harness(t);
    const services = value(await listServices(h.sessions, connection, { timeoutMs }));
    const echoListing = services.find((service) => service.name === 'ECHO_SERVICE');
    assert.ok(echoListing);
    assert.deepEqual(
      { ...echoListing, dnsName: undefined },
      { connection, database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE', status: 'RUNNING', computePool: 'DEMO_CPU_POOL', isJob: false, dnsName: undefined, minInstances: 2, maxInstances: 2, minReadyInstances: 2 },
    );
    assert.equal(services.find((service) => service.name === 'NIGHTLY_TRAINING_JOB')?.isJob, true);
    const domain = value(await h.sessions.execute(connection, "SELECT SYSTEM$GET_SERVICE_DNS_DOMAIN('SPCS_DEMO.PUBLIC')", { timeoutMs }));
    const domainText = Object.values(domain.rows[0] ?? {})[0];
    assert.equal(typeof domainText, 'string');
    assert.equal(echoListing.dnsName, dnsNameFrom('ECHO_SERVICE', domainText as string));
    assert.match(echoListing.dnsName ?? '', /^echo-service\.[a-z0-9]+\.svc\.spcs\.internal$/);

    const pools = poolsFromRows(connection, value(await h.sessions.execute(connection, sql.showComputePools(), { timeoutMs })));
    assert.deepEqual(
      pools.map((pool) => `${pool.name}:${pool.state}`).sort(),
      ['DEMO_CPU_POOL:ACTIVE', 'DEMO_GPU_POOL:ACTIVE', 'SUSPENDED_POOL:SUSPENDED'].sort(),
    );

    const containers = containersFromRows(echo, value(await h.sessions.execute(connection, sql.showServiceContainers({ database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' }), { timeoutMs })));
    assert.deepEqual(
      containers.map((container) => `${container.instanceId}/${container.container}`),
      ['0/echo', '1/echo'],
    );
    assert.deepEqual(
      logTargetsOf(echo, containers).map((target) => target.label),
      ['ECHO_SERVICE', 'ECHO_SERVICE/0/echo', 'ECHO_SERVICE/1/echo'],
    );
    assert.deepEqual(logTargetsOf(echo, containers)[1]?.target, { ...echo, instanceId: '0', container: 'echo' });

    const endpoints = endpointsFromRows(echo, value(await h.sessions.execute(connection, sql.showEndpoints({ database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' }), { timeoutMs })));
    const publicEndpoint = endpoints.find((endpoint) => endpoint.isPublic);
    assert.ok(publicEndpoint, JSON.stringify(endpoints));
    assert.match(endpointUrl(publicEndpoint.ingressUrl) ?? '', /^https:\/\/[a-z0-9]+-[a-z0-9-]+\.snowflakecomputing\.app$/);
  });

  it('picks a service from the palette listing, and reports a listing that fails instead of showing an empty pick', async (t) => {
    const h = await harness(t);
    const ui = new ScriptedUi((labels) => labels.find((label) => label === 'LLM_SERVICE'));
    const picked = await pickService(ui, h.sessions, connection, { title: 'Suspend Service', timeoutMs, filter: (service) => !service.isJob });
    assert.equal(picked?.name, 'LLM_SERVICE');
    assert.ok(!(ui.shown[0] ?? []).includes('NIGHTLY_TRAINING_JOB'), 'the filter removes jobs');
    assert.ok((ui.shown[0] ?? []).includes('ECHO_SERVICE'));

    const cancelled = new ScriptedUi(() => undefined);
    assert.equal(await pickService(cancelled, h.sessions, connection, { title: 'x', timeoutMs }), undefined);
    assert.deepEqual(cancelled.errors, []);

    const nothing = new ScriptedUi(() => 'ECHO_SERVICE');
    assert.equal(await pickService(nothing, h.sessions, connection, { title: 'x', timeoutMs, filter: () => false }), undefined);
    assert.deepEqual(nothing.shown, [], 'no QuickPick when nothing fits');
    assert.equal(nothing.infos.length, 1);

    const broken = new ScriptedUi(() => 'ECHO_SERVICE');
    assert.equal(await pickService(broken, h.sessions, 'no_such_connection', { title: 'x', timeoutMs }), undefined);
    assert.deepEqual(broken.shown, []);
    assert.equal(broken.errors[0]?.kind, 'config');
  });
});
