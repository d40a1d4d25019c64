/**
 * The account model: the demo and empty seeds, the user directory the protocol side logs users in
 * with, serialize → restore round trips (time-dependent state keeps moving with the clock), the
 * control API, template rendering, image references, and seeding thousands of services.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createAccount } from '../../emulator/src/account/account';
import { parseImageReference } from '../../emulator/src/account/images';
import * as seedSpecs from '../../emulator/src/account/seedSpecs';
import { MissingTemplateVariable, renderTemplate, templateVariables } from '../../emulator/src/account/templates';
import { ManualClock } from '../../emulator/src/clock';
import { isPending } from '../../emulator/src/contract';
import { echoSpec, kit, toRows } from './sqlKit';

describe('demo seed', () => {
  it('has the users, roles, pools, repositories, stages, secrets, services and the gateway the brief names', () => {
    const t = kit();
    const { users } = t.account;
    assert.equal(t.account.name, 'SPCS_EMULATOR');
    assert.equal(users.findUser('demo_user')?.password, 'demo-password-1');
    assert.deepEqual(
      { ...users.findUser('DEMO_USER'), password: undefined },
      { name: 'DEMO_USER', password: undefined, defaultRole: 'SPCS_DEVELOPER', defaultWarehouse: 'DEMO_WH', defaultDatabase: 'SPCS_DEMO', defaultSchema: 'PUBLIC' },
    );
    assert.equal(users.findUser('viewer_user')?.password, 'viewer-password-1');
    assert.deepEqual(users.rolesOf('VIEWER_USER'), ['PUBLIC', 'SPCS_VIEWER']);
    assert.deepEqual(users.rolesOf('demo_user'), ['ACCOUNTADMIN', 'PUBLIC', 'SECURITYADMIN', 'SPCS_DEVELOPER', 'SPCS_VIEWER', 'SYSADMIN', 'USERADMIN']);
    assert.equal(users.findUser('nobody'), undefined);
    assert.ok(users.hasRole('spcs_viewer') && users.hasRole('"SPCS_VIEWER"') && !users.hasRole('"spcs_viewer"'));
    assert.ok(users.hasDatabase('spcs_demo') && users.hasSchema('spcs_demo', 'public') && users.hasWarehouse('demo_wh'));
    assert.ok(!users.hasDatabase('nodb') && !users.hasSchema('spcs_demo', 'nope'));

    const admin = t.session('ACCOUNTADMIN');
    assert.deepEqual(t.rows('SHOW COMPUTE POOLS').map((row) => `${row.name}:${row.instance_family}:${row.state}`), ['DEMO_CPU_POOL:CPU_X64_S:ACTIVE', 'DEMO_GPU_POOL:GPU_NV_M:ACTIVE', 'SUSPENDED_POOL:CPU_X64_XS:SUSPENDED']);
    assert.deepEqual(t.rows('SHOW SERVICES IN ACCOUNT', admin).map((row) => `${row.name}:${row.status}:${row.current_instances}`), [
      'ECHO_SERVICE:RUNNING:2',
      'LLM_SERVICE:RUNNING:1',
      'NIGHTLY_TRAINING_JOB:DONE:0',
      'ORDERS_SERVICE:RUNNING:1',
      'REPORTING_SERVICE:FAILED:1',
    ]);
    assert.equal(t.rows('SHOW IMAGE REPOSITORIES IN ACCOUNT', admin).length, 5);
    assert.deepEqual(t.rows('SHOW SECRETS IN ACCOUNT', admin).map((row) => `${row.name}:${row.secret_type}`).sort(), ['GITHUB_OAUTH:OAUTH2', 'HF_TOKEN:GENERIC_STRING', 'PARTNER_API_TOKEN:GENERIC_STRING', 'POSTGRES_CREDENTIALS:PASSWORD']);
    assert.deepEqual(t.rows('SHOW GATEWAYS IN ACCOUNT', admin).map((row) => `${row.database_name}.${row.schema_name}.${row.name}`), ['SPCS_DEMO.PUBLIC.ECHO_GATEWAY']);
    assert.deepEqual(t.rows('SHOW EXTERNAL ACCESS INTEGRATIONS', admin).map((row) => row.name), ['DEMO_EAI']);
    // Every public endpoint of the running services is already provisioned, and so is the gateway's host.
    assert.match(t.one('SHOW ENDPOINTS IN SERVICE echo_service').ingress_url ?? '', /snowflakecomputing\.app$/);
    assert.match(t.one('DESCRIBE GATEWAY echo_gateway').ingress_url ?? '', /^[a-z0-9]{8}-emulator-spcs-emulator\.snowflakecomputing\.app$/);
  });

  it('has every image the repository samples use, in the right repository', () => {
    const t = kit();
    const samples = join(__dirname, '..', '..', 'samples');
    for (const file of ['data-service.spcs.yaml', 'nightly-job.spcs.yaml', 'vllm-gpu.spcs.yaml', 'echo-template.spcs.yaml']) {
      const text = readFileSync(join(samples, file), 'utf8');
      for (const match of text.matchAll(/image: (.+)$/gm)) {
        const image = (match[1] ?? '').replace('{{ tag }}', 'v2');
        const reference = parseImageReference(image, 'SPCS_DEMO', 'PUBLIC');
        assert.equal(reference.kind, 'repository', image);
        if (reference.kind !== 'repository') continue;
        const rows = t.rows(`SHOW IMAGES IN IMAGE REPOSITORY ${reference.database}.${reference.schema}.${reference.repository}`, t.session('ACCOUNTADMIN'));
        assert.ok(rows.some((row) => row.image_name === reference.image && row.tags === reference.tag), image);
      }
    }
  });

  it('keeps the seeded spec files in step with the samples', () => {
    const samples = join(__dirname, '..', '..', 'samples');
    assert.equal(seedSpecs.vllmGpu, readFileSync(join(samples, 'vllm-gpu.spcs.yaml'), 'utf8'));
    assert.equal(seedSpecs.dataService, readFileSync(join(samples, 'data-service.spcs.yaml'), 'utf8'));
    assert.equal(seedSpecs.nightlyJob, readFileSync(join(samples, 'nightly-job.spcs.yaml'), 'utf8'));
    assert.equal(seedSpecs.echoTemplate, readFileSync(join(samples, 'echo-template.spcs.yaml'), 'utf8'));
  });

  it('is the same every time', () => {
    const clock = new ManualClock();
    const first = createAccount({ clock, seed: 'demo' }).serialize();
    const second = createAccount({ clock, seed: 'demo' }).serialize();
    assert.deepEqual(first, second);
  });
});

describe('empty seed', () => {
  it('has the account, ACCOUNTADMIN, one user, warehouse, database and schema', () => {
    const t = kit('empty');
    assert.deepEqual(t.account.users.rolesOf('DEMO_USER'), ['ACCOUNTADMIN', 'PUBLIC']);
    assert.equal(t.account.users.findUser('DEMO_USER')?.defaultRole, 'ACCOUNTADMIN');
    assert.deepEqual(t.rows('SHOW DATABASES').map((row) => row.name), ['SPCS_DEMO']);
    assert.deepEqual(t.rows('SHOW WAREHOUSES').map((row) => row.name), ['DEMO_WH']);
    assert.deepEqual(t.rows('SHOW COMPUTE POOLS'), []);
    assert.deepEqual(t.rows('SHOW SERVICES'), []);
    assert.deepEqual(t.rows('SHOW ROLES').map((row) => row.name), ['ACCOUNTADMIN', 'PUBLIC']);
  });

  it('supports building a working setup from SQL alone', () => {
    const t = kit('empty');
    t.run('CREATE COMPUTE POOL p MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS');
    t.run('CREATE IMAGE REPOSITORY repo');
    t.account.control.pushImage('SPCS_DEMO.PUBLIC.REPO', 'app', '1.0');
    t.run(`CREATE SERVICE svc IN COMPUTE POOL p FROM SPECIFICATION $$${echoSpec({ image: '/spcs_demo/public/repo/app:1.0', endpoint: 'public' })}$$`);
    t.advance(30 + 30 + 60);
    assert.equal(t.one('SHOW SERVICES').status, 'RUNNING');
    assert.match(t.one('SHOW ENDPOINTS IN SERVICE svc').ingress_url ?? '', /snowflakecomputing\.app$/);
  });
});

describe('serialize and restore', () => {
  it('round-trips the whole state, and time-dependent state keeps moving after restore', () => {
    const t = kit();
    t.run(`CREATE SERVICE restored IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec({ endpoint: 'public' })}$$`);
    t.run('GRANT MONITOR ON SERVICE restored TO ROLE spcs_viewer');
    t.account.control.putStageFile('@spcs_demo.public.specs', 'new.yaml', echoSpec());
    const saved = JSON.parse(JSON.stringify(t.account.serialize())) as unknown;
    const clock = new ManualClock(t.clock.now());
    const copy = createAccount({ clock, state: saved, seed: 'empty' });
    assert.deepEqual(copy.serialize(), t.account.serialize());
    const session = t.session();
    const run = (sql: string) => {
      const result = copy.engine.execute(sql, session);
      assert.ok(!isPending(result));
      return toRows(result);
    };
    assert.equal(run("SHOW SERVICES LIKE 'RESTORED'")[0]?.status, 'PENDING');
    const logs = "SELECT SYSTEM$GET_SERVICE_LOGS('llm_service', 0, 'vllm', 20, false, '', true)";
    assert.equal(run(logs)[0]?.["SYSTEM$GET_SERVICE_LOGS('LLM_SERVICE', 0, 'VLLM', 20, FALSE, '', TRUE)"], t.value(logs));
    clock.advance(31_000);
    assert.equal(run("SHOW SERVICES LIKE 'RESTORED'")[0]?.status, 'RUNNING');
    assert.deepEqual(run("LIST @specs PATTERN = '.*new.*'").map((row) => row.name), ['specs/new.yaml']);
    assert.equal(copy.users.findUser('viewer_user')?.password, 'viewer-password-1');
  });

  it('refuses a state it cannot read', () => {
    const clock = new ManualClock();
    assert.throws(() => createAccount({ clock, state: { version: 99 } }), /Unsupported emulator state/);
    assert.throws(() => createAccount({ clock, state: 'nope' }), /Unsupported emulator state/);
  });
});

describe('control API', () => {
  it('adds users with credentials and roles', () => {
    const t = kit();
    t.account.control.addUser({ name: 'ci_bot', password: 'pw', defaultRole: 'spcs_viewer', programmaticAccessTokens: ['pat-1'], mfaPasscode: '123456' });
    const user = t.account.users.findUser('CI_BOT');
    assert.deepEqual([user?.password, user?.defaultRole, user?.programmaticAccessTokens, user?.mfaPasscode], ['pw', 'SPCS_VIEWER', ['pat-1'], '123456']);
    assert.deepEqual(t.account.users.rolesOf('ci_bot'), ['PUBLIC', 'SPCS_VIEWER']);
    assert.throws(() => t.account.control.addUser({ name: 'x', roles: ['NOPE'] }), /Role NOPE does not exist/);
  });

  it('runs SQL as ACCOUNTADMIN', () => {
    const t = kit();
    const result = t.account.control.run('SELECT CURRENT_ROLE()');
    assert.ok(!isPending(result));
    assert.equal(result.rows[0]?.[0], 'ACCOUNTADMIN');
  });

  it('seeds thousands of services quickly, and listing them stays fast', () => {
    const t = kit();
    let started = performance.now();
    const keys = t.account.control.seedServices(1000, { inPool: 200 });
    const seeding = performance.now() - started;
    assert.equal(keys.length, 1000);
    assert.ok(seeding < 2000, `seeding took ${seeding} ms`);
    const session = { ...t.session(), database: 'BENCH_DB', schema: 'SERVICES' };
    started = performance.now();
    const rows = t.rows('SHOW SERVICES', session);
    const listing = performance.now() - started;
    assert.equal(rows.length, 1000);
    assert.ok(rows.every((row) => row.status === 'RUNNING'));
    assert.ok(listing < 1000, `listing took ${listing} ms`);
    assert.equal(t.rows('SHOW SERVICES IN COMPUTE POOL bench_pool', session).length, 200);
    assert.equal(t.one("SHOW COMPUTE POOLS LIKE 'BENCH_POOL'").num_services, '200');
    assert.equal(t.rows("SHOW SERVICES LIKE 'SVC_0001%'", session).length, 10);
  });
});

describe('templates and image references', () => {
  it('renders variables, defaults and JSON values', () => {
    const values = new Map<string, string | number | boolean | null>([
      ['tag', 'v2'],
      ['port', 8000],
      ['env', '{"A": 1}'],
      ['image', ' "/db/sc/repo/img:1" '],
      ['blank', ''],
    ]);
    const text = "i: {{ image }}:{{tag}} p: {{ port }} e: {{ env }} d: {{ missing | default('x') }} b: {{ blank | default('y', true) }} k: {{ blank | default('z') }} s: {{ secret.creds.password }}";
    assert.equal(renderTemplate(text, values), 'i: /db/sc/repo/img:1:v2 p: 8000 e: {"A":1} d: x b: y k:  s: {{ secret.creds.password }}');
    assert.deepEqual(templateVariables(text), ['image', 'tag', 'port', 'env', 'missing', 'blank']);
    assert.throws(() => renderTemplate('{{ nope }}', new Map()), MissingTemplateVariable);
  });

  it('reads image references in every form', () => {
    assert.deepEqual(parseImageReference('/db/sc/repo/img:1.0', 'D', 'S'), { kind: 'repository', database: 'DB', schema: 'SC', repository: 'REPO', image: 'img', tag: '1.0', wellFormed: true });
    const noTag = parseImageReference('/db/sc/repo/img', 'D', 'S');
    assert.equal(noTag.kind === 'repository' ? noTag.tag : undefined, 'latest');
    const relative = parseImageReference('repo/img:2', 'D', 'S');
    assert.deepEqual(relative.kind === 'repository' ? [relative.database, relative.schema, relative.repository] : [], ['D', 'S', 'REPO']);
    const digest = parseImageReference(`/db/sc/repo/img@sha256:${'a'.repeat(64)}`, 'D', 'S');
    assert.equal(digest.kind === 'repository' ? digest.digest : undefined, `sha256:${'a'.repeat(64)}`);
    assert.equal(parseImageReference('myorg-acct.registry.snowflakecomputing.com/db/sc/repo/img:1', 'D', 'S').kind, 'repository');
    assert.equal(parseImageReference('ghcr.io/org/img:1', 'D', 'S').kind, 'foreign');
    assert.equal(parseImageReference('nginx:latest', 'D', 'S').kind, 'foreign');
    const malformed = parseImageReference('/db/sc/repo/Bad Name:1', 'D', 'S');
    assert.equal(malformed.kind === 'repository' ? malformed.wellFormed : true, false);
  });
});
