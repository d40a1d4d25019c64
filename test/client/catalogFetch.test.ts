/**
 * `fetchCatalog` against the emulator's demo account with the real driver: every section read for
 * the developer and the viewer (who sees less), role inheritance flattened, a failing section that
 * becomes null while the rest is read, the overall deadline, and an unreachable account.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fetchCatalog, imagesOf, registryHostOfUrl } from '../../client/src/catalog/fetchCatalog';
import { connectionsTomlSection } from '../../emulator/src/cli';
import type { Result } from '../../client/src/snowflake/result';
import type { ResultSet } from '../../client/src/snowflake/session';
import { failure, harness, printedConnection, value } from './emulatorHarness';

const options = { timeoutMs: 20_000 } as const;

function addViewer(h: Awaited<ReturnType<typeof harness>>): void {
  h.addConnections(connectionsTomlSection('viewer', { ...h.emulator.connection(), user: 'VIEWER_USER', password: 'viewer-password-1', role: 'SPCS_VIEWER' }));
}

describe('fetchCatalog against the emulator', { timeout: 60_000 }, () => {
  it('reads every section for the developer role, with inherited grants and images', async (t) => {
    const h = await harness(t);
    const fetched = value(await fetchCatalog(h.sessions, printedConnection, options));
    const { catalog } = fetched;
    assert.deepEqual(fetched.problems, []);
    assert.equal(catalog.role, 'SPCS_DEVELOPER');
    assert.equal(catalog.database, 'SPCS_DEMO');
    assert.equal(catalog.schema, 'PUBLIC');
    assert.match(catalog.registryHost ?? '', /^[a-z0-9-]+\.registry\.snowflakecomputing\.com$/);
    assert.ok(catalog.instanceFamilies?.some((family) => family.name === 'GPU_NV_M' && family.gpus === 4 && family.vcpu > 0 && family.memoryGiB > 0));
    assert.deepEqual(catalog.computePools?.map((pool) => pool.name).sort(), ['DEMO_CPU_POOL', 'DEMO_GPU_POOL', 'SUSPENDED_POOL']);
    const cpu = catalog.computePools?.find((pool) => pool.name === 'DEMO_CPU_POOL');
    assert.deepEqual(cpu && { family: cpu.instanceFamily, min: cpu.minNodes, max: cpu.maxNodes }, { family: 'CPU_X64_S', min: 1, max: 3 });
    const tutorial = catalog.imageRepositories?.find((repository) => repository.name === 'TUTORIAL_REPOSITORY');
    assert.equal(tutorial?.database, 'TUTORIAL_DB');
    assert.equal(tutorial?.schema, 'DATA_SCHEMA');
    assert.ok(tutorial?.repositoryUrl?.toLowerCase().startsWith(`${catalog.registryHost ?? '?'}/tutorial_db/data_schema/tutorial_repository`));
    const echo = tutorial?.images?.filter((image) => image.name === 'echo') ?? [];
    assert.deepEqual(echo.map((image) => [...image.tags].sort().join(',')).sort(), ['latest,v2', 'v1'], 'one entry per digest, with all its tags');
    assert.ok(echo.every((image) => image.digest.startsWith('sha256:') && !Number.isNaN(Date.parse(image.createdOn))));
    assert.ok(catalog.stages?.some((stage) => stage.database === 'SPCS_DEMO' && stage.schema === 'PUBLIC' && stage.name === 'SPECS'));
    const secrets = new Map(catalog.secrets?.map((secret) => [`${secret.database}.${secret.schema}.${secret.name}`, secret.type]));
    assert.equal(secrets.get('APP_DB.BACKEND.POSTGRES_CREDENTIALS'), 'PASSWORD');
    assert.equal(secrets.get('APP_DB.BACKEND.PARTNER_API_TOKEN'), 'GENERIC_STRING');
    assert.equal(secrets.get('SPCS_DEMO.PUBLIC.GITHUB_OAUTH'), 'OAUTH2');
    assert.deepEqual(catalog.externalAccessIntegrations, [{ name: 'DEMO_EAI' }]);
    assert.deepEqual(catalog.warehouses, [{ name: 'DEMO_WH' }]);
    const grants = catalog.grants ?? [];
    const has = (objectType: string, name: string, privilege: string): boolean => grants.some((grant) => grant.objectType === objectType && grant.name === name && grant.privilege === privilege);
    assert.ok(has('COMPUTE POOL', 'DEMO_CPU_POOL', 'USAGE'), 'object types are spelled with spaces');
    assert.ok(has('ACCOUNT', 'SPCS_EMULATOR', 'BIND SERVICE ENDPOINT'));
    assert.ok(has('IMAGE REPOSITORY', 'TUTORIAL_DB.DATA_SCHEMA.TUTORIAL_REPOSITORY', 'READ'));
    assert.ok(has('SCHEMA', 'SPCS_DEMO.PUBLIC', 'CREATE SERVICE'));
    assert.ok(has('SERVICE', 'SPCS_DEMO.PUBLIC.ECHO_SERVICE', 'OWNERSHIP'), 'OWNERSHIP rows are kept');
    assert.ok(has('COMPUTE POOL', 'DEMO_CPU_POOL', 'MONITOR'), 'inherited from SPCS_VIEWER');
    assert.ok(!grants.some((grant) => grant.objectType === 'ROLE'), 'role memberships are followed, not listed');
    assert.ok(fetched.durationMs >= 0);
  });

  it('reads less for the viewer: no repositories or secrets, no USAGE on pools, no BIND SERVICE ENDPOINT', async (t) => {
    const h = await harness(t);
    addViewer(h);
    const { catalog, problems } = value(await fetchCatalog(h.sessions, 'viewer', options));
    assert.equal(catalog.role, 'SPCS_VIEWER');
    assert.deepEqual(catalog.imageRepositories, [], 'the viewer holds no privilege on any repository');
    assert.deepEqual(catalog.secrets, []);
    assert.deepEqual(catalog.warehouses, [{ name: 'DEMO_WH' }]);
    const grants = catalog.grants ?? [];
    assert.ok(grants.some((grant) => grant.objectType === 'COMPUTE POOL' && grant.name === 'DEMO_CPU_POOL' && grant.privilege === 'MONITOR'));
    assert.ok(!grants.some((grant) => grant.privilege === 'BIND SERVICE ENDPOINT'));
    assert.ok(!grants.some((grant) => grant.objectType === 'COMPUTE POOL' && grant.privilege === 'USAGE'));
    assert.deepEqual(problems, []);
  });

  it('makes a failing section null and records why, keeping the rest', async (t) => {
    const h = await harness(t);
    // A role that may see a repository (USAGE on nothing else) but not READ it: SHOW IMAGES fails.
    h.account.control.run('CREATE ROLE LISTER');
    h.account.control.run('GRANT ROLE LISTER TO USER VIEWER_USER');
    h.account.control.run('GRANT WRITE ON IMAGE REPOSITORY APP_DB.BACKEND.IMAGES TO ROLE LISTER');
    h.account.control.run('GRANT SERVICE READ ON IMAGE REPOSITORY ML_DB.SERVING.IMAGES TO ROLE LISTER');
    h.addConnections(connectionsTomlSection('lister', { ...h.emulator.connection(), user: 'VIEWER_USER', password: 'viewer-password-1', role: 'LISTER' }));
    const { catalog, problems } = value(await fetchCatalog(h.sessions, 'lister', options));
    assert.equal(catalog.role, 'LISTER');
    const byName = new Map(catalog.imageRepositories?.map((repository) => [`${repository.database}.${repository.schema}.${repository.name}`, repository]));
    assert.ok(byName.get('APP_DB.BACKEND.IMAGES')?.images?.some((image) => image.name === 'orders-api'), 'WRITE lists images');
    assert.equal(byName.get('ML_DB.SERVING.IMAGES')?.images, null, 'no READ: images unknown');
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.section, 'images');
    assert.equal(problems[0]?.subject, 'ML_DB.SERVING.IMAGES');
    assert.equal(problems[0]?.error.kind, 'privilege');
    assert.notEqual(catalog.computePools, null);
    assert.notEqual(catalog.grants, null);
  });

  it('reads services with their endpoints (jobs without), and gateways', async (t) => {
    const h = await harness(t);
    const { catalog, problems } = value(await fetchCatalog(h.sessions, printedConnection, options));
    assert.deepEqual(problems, []);
    const services = new Map(catalog.services?.map((service) => [`${service.database}.${service.schema}.${service.name}`, service]));
    const echo = services.get('SPCS_DEMO.PUBLIC.ECHO_SERVICE');
    assert.deepEqual(echo && { status: echo.status, pool: echo.computePool, owner: echo.owner, isJob: echo.isJob }, { status: 'RUNNING', pool: 'DEMO_CPU_POOL', owner: 'SPCS_DEVELOPER', isJob: false });
    const echoEndpoint = echo?.endpoints?.find((endpoint) => endpoint.name === 'echoendpoint');
    assert.deepEqual(echoEndpoint && { protocol: echoEndpoint.protocol, isPublic: echoEndpoint.isPublic, port: echoEndpoint.port }, { protocol: 'HTTP', isPublic: true, port: 8000 });
    assert.match(echoEndpoint?.ingressUrl ?? '', /\.snowflakecomputing\.app$/, 'a provisioned URL, not the provisioning sentence');
    const postgres = [...services.values()].flatMap((service) => service.endpoints ?? []).find((endpoint) => endpoint.name === 'postgres');
    assert.equal(postgres?.protocol, 'TCP');
    const job = [...services.values()].find((service) => service.name === 'NIGHTLY_TRAINING_JOB');
    assert.deepEqual(job && { isJob: job.isJob, endpoints: job.endpoints }, { isJob: true, endpoints: null }, 'no SHOW ENDPOINTS for a job');
    const gateway = catalog.gateways?.find((candidate) => candidate.name === 'ECHO_GATEWAY');
    assert.deepEqual(gateway && { database: gateway.database, schema: gateway.schema, owner: gateway.owner }, { database: 'SPCS_DEMO', schema: 'PUBLIC', owner: 'SPCS_DEVELOPER' });
    assert.match(gateway?.ingressUrl ?? '', /\.snowflakecomputing\.app$/);
  });

  it('lists the endpoints of a bounded number of services: the others are not read (null), with no problem', async (t) => {
    const h = await harness(t);
    const { catalog, problems } = value(await fetchCatalog(h.sessions, printedConnection, { ...options, maxServicesWithEndpoints: 1 }));
    assert.deepEqual(problems, []);
    const read = catalog.services?.filter((service) => service.endpoints !== null) ?? [];
    assert.equal(read.length, 1);
    assert.equal(read[0], catalog.services?.find((service) => !service.isJob), 'the first long-running service in SHOW SERVICES order');
    assert.ok((catalog.services?.length ?? 0) > 2);
  });

  it('makes one service\'s endpoints null when SHOW ENDPOINTS fails for it, keeping the other services', async (t) => {
    const h = await harness(t);
    // MONITOR lets the role list the service, but SHOW ENDPOINTS needs USAGE.
    h.account.control.run('CREATE ROLE WATCHER');
    h.account.control.run('GRANT ROLE WATCHER TO USER VIEWER_USER');
    h.account.control.run('GRANT USAGE ON DATABASE SPCS_DEMO TO ROLE WATCHER');
    h.account.control.run('GRANT USAGE ON SCHEMA SPCS_DEMO.PUBLIC TO ROLE WATCHER');
    h.account.control.run('GRANT MONITOR ON SERVICE SPCS_DEMO.PUBLIC.ORDERS_SERVICE TO ROLE WATCHER');
    h.account.control.run('GRANT USAGE ON SERVICE SPCS_DEMO.PUBLIC.REPORTING_SERVICE TO ROLE WATCHER');
    h.addConnections(connectionsTomlSection('watcher', { ...h.emulator.connection(), user: 'VIEWER_USER', password: 'viewer-password-1', role: 'WATCHER' }));
    const { catalog, problems } = value(await fetchCatalog(h.sessions, 'watcher', options));
    const byName = new Map(catalog.services?.map((service) => [service.name, service]));
    assert.equal(byName.get('ORDERS_SERVICE')?.endpoints, null);
    assert.ok(Array.isArray(byName.get('REPORTING_SERVICE')?.endpoints));
    assert.deepEqual(problems.map((problem) => [problem.section, problem.subject, problem.error.kind]), [['endpoints', 'SPCS_DEMO.PUBLIC.ORDERS_SERVICE', 'privilege']]);
    assert.notEqual(catalog.gateways, null);
  });

  it('turns an unsupported listing into a null section (the statement is refused as unsupported, 000002)', async (t) => {
    const h = await harness(t);
    // Wrap execute: the instance families query fails as an unsupported statement would.
    const sessions = {
      execute: (connection: string, statement: string, opts?: { timeoutMs?: number; signal?: AbortSignal }) =>
        h.sessions.execute(connection, statement.startsWith('SHOW COMPUTE POOL INSTANCE FAMILIES') ? 'SHOW NOTHING AT ALL' : statement, opts),
    };
    const { catalog, problems } = value(await fetchCatalog(sessions, printedConnection, options));
    assert.equal(catalog.instanceFamilies, null);
    assert.deepEqual(problems.map((problem) => problem.section), ['instanceFamilies']);
    assert.equal(problems[0]?.error.kind, 'sql');
    assert.ok((catalog.computePools?.length ?? 0) > 0);
  });

  it('fails as a whole when the account cannot be reached, and when cancelled', async (t) => {
    const h = await harness(t);
    h.addConnections(connectionsTomlSection('nowhere', { ...h.emulator.connection(), port: 9 }));
    const unreachable = failure(await fetchCatalog(h.sessions, 'nowhere', { timeoutMs: 10_000 }));
    assert.equal(unreachable.kind, 'network');
    const controller = new AbortController();
    controller.abort();
    assert.equal(failure(await fetchCatalog(h.sessions, printedConnection, { signal: controller.signal })).kind, 'cancelled');
  });
});

describe('fetchCatalog deadline (scripted sessions)', { timeout: 10_000 }, () => {
  it('a section still running at the overall deadline becomes null with a timeout problem; the rest is kept', async () => {
    const rows: Record<string, Record<string, unknown>[]> = {
      'SELECT CURRENT_ROLE(), CURRENT_DATABASE(), CURRENT_SCHEMA()': [{ 'CURRENT_ROLE()': 'R', 'CURRENT_DATABASE()': 'D', 'CURRENT_SCHEMA()': 'S' }],
      'SHOW WAREHOUSES': [{ name: 'WH' }],
    };
    const sessions = {
      execute: (_connection: string, statement: string, opts?: { timeoutMs?: number; signal?: AbortSignal }) =>
        new Promise<Result<ResultSet>>((resolve) => {
          if (statement === 'SHOW SECRETS IN ACCOUNT') {
            // Never answers: only the fetch's own deadline ends it.
            opts?.signal?.addEventListener('abort', () => resolve({ ok: false, error: { kind: 'cancelled', message: 'cancelled' } }), { once: true });
            return;
          }
          const found = rows[statement] ?? [];
          const columns = Object.keys(found[0] ?? {}).map((name) => ({ name, type: 'text' }));
          resolve({ ok: true, value: { columns, rows: found } });
        }),
    };
    const started = Date.now();
    const { catalog, problems } = value(await fetchCatalog(sessions, 'scripted', { timeoutMs: 300 }));
    assert.ok(Date.now() - started < 5000);
    assert.equal(catalog.role, 'R');
    assert.equal(catalog.secrets, null);
    assert.deepEqual(catalog.warehouses, [{ name: 'WH' }]);
    assert.deepEqual(problems.map((problem) => [problem.section, problem.error.kind]), [['secrets', 'timeout']]);
  });
});

describe('catalog row helpers', { timeout: 5000 }, () => {
  it('groups SHOW IMAGES rows by digest, reads JSON and plain tag lists, keeps the newest first and caps the count', () => {
    const rows = [
      { image_name: 'echo', tags: 'v1', digest: 'sha256:a', created_on: '2026-01-01T00:00:00Z' },
      { image_name: 'echo', tags: '["v2","latest"]', digest: 'sha256:b', created_on: '2026-02-01T00:00:00Z' },
      { image_name: 'echo', tags: 'v2b', digest: 'sha256:b', created_on: '2026-02-01T00:00:00Z' },
      { image_name: 'other', tags: '', digest: 'sha256:c', created_on: new Date('2025-12-01T00:00:00Z') },
    ];
    const images = imagesOf(rows, 10);
    assert.deepEqual(
      images.map((image) => [image.name, image.digest, image.tags.join(',')]),
      [
        ['echo', 'sha256:b', 'v2,latest,v2b'],
        ['echo', 'sha256:a', 'v1'],
        ['other', 'sha256:c', ''],
      ],
    );
    assert.equal(images[2]?.createdOn, '2025-12-01T00:00:00.000Z');
    assert.equal(imagesOf(rows, 1).length, 1);
  });

  it('takes the registry host from a repository URL in lower case', () => {
    assert.equal(registryHostOfUrl('MyOrg-Acct.registry.snowflakecomputing.com/db/s/r'), 'myorg-acct.registry.snowflakecomputing.com');
    assert.equal(registryHostOfUrl('https://h.example/x'), 'h.example');
  });
});
