/**
 * Privilege preflight: the pure rules (what each part of a spec and of the deploy target needs,
 * OWNERSHIP and alternatives, grants not read, quoting, notes for what cannot be checked), and the
 * proof against the emulator with the real driver: VIEWER_USER (SPCS_VIEWER) lacks the grants, the
 * emitted GRANT statements run as ACCOUNTADMIN, after which the preflight is clean and the viewer
 * really can create the service; DEMO_USER's SPCS_DEVELOPER needs nothing.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccountCatalog, CatalogGrant } from '../../server/src/lspExtension';
import { fetchCatalog } from '../../client/src/catalog/fetchCatalog';
import { preflight, type PreflightTarget } from '../../client/src/privileges/preflight';
import * as sql from '../../client/src/snowflake/sql';
import { connectionsTomlSection } from '../../emulator/src/cli';
import { harness, printedConnection, value } from './emulatorHarness';

const spec = `spec:
  containers:
    - name: web
      image: /tutorial_db/data_schema/tutorial_repository/echo:v2
      secrets:
        - snowflakeSecret: app_db.backend.partner_api_token
          envVarName: TOKEN
          secretKeyRef: secret_string
        - snowflakeSecret:
            objectName: github_oauth
          directoryPath: /secrets/github
    - name: sidecar
      image: /snowflake/images/snowflake_images/monitoring-prometheus-sidecar:0.0.1
  endpoints:
    - name: api
      port: 8000
      public: true
    - name: internal
      port: 9000
  volumes:
    - name: data
      source: stage
      stageConfig:
        name: "@app_db.backend.reference_files/countries"
`;

/** The emulator has no `/snowflake/images/…` repository (Snowflake's own images): the sidecar is left out there. */
const emulatorSpec = spec.replace('    - name: sidecar\n      image: /snowflake/images/snowflake_images/monitoring-prometheus-sidecar:0.0.1\n', '');

const target: PreflightTarget = {
  role: 'SPCS_VIEWER',
  database: 'SPCS_DEMO',
  schema: 'PUBLIC',
  computePool: 'DEMO_CPU_POOL',
  serviceName: 'PREFLIGHT_SVC',
  externalAccessIntegrations: ['DEMO_EAI'],
  queryWarehouse: 'DEMO_WH',
};

function catalogWith(grants: CatalogGrant[] | null): AccountCatalog {
  return { role: 'SPCS_VIEWER', instanceFamilies: [], computePools: [], imageRepositories: [], stages: [], secrets: [], externalAccessIntegrations: [], warehouses: [], grants };
}

const everything = [
  'GRANT USAGE ON DATABASE SPCS_DEMO TO ROLE SPCS_VIEWER',
  'GRANT USAGE ON DATABASE TUTORIAL_DB TO ROLE SPCS_VIEWER',
  'GRANT USAGE ON DATABASE APP_DB TO ROLE SPCS_VIEWER',
  'GRANT USAGE ON SCHEMA SPCS_DEMO.PUBLIC TO ROLE SPCS_VIEWER',
  'GRANT USAGE ON SCHEMA TUTORIAL_DB.DATA_SCHEMA TO ROLE SPCS_VIEWER',
  'GRANT USAGE ON SCHEMA APP_DB.BACKEND TO ROLE SPCS_VIEWER',
  'GRANT CREATE SERVICE ON SCHEMA SPCS_DEMO.PUBLIC TO ROLE SPCS_VIEWER',
  'GRANT USAGE ON COMPUTE POOL DEMO_CPU_POOL TO ROLE SPCS_VIEWER',
  'GRANT USAGE ON WAREHOUSE DEMO_WH TO ROLE SPCS_VIEWER',
  'GRANT USAGE ON INTEGRATION DEMO_EAI TO ROLE SPCS_VIEWER',
  'GRANT READ ON IMAGE REPOSITORY TUTORIAL_DB.DATA_SCHEMA.TUTORIAL_REPOSITORY TO ROLE SPCS_VIEWER',
  'GRANT READ ON STAGE APP_DB.BACKEND.REFERENCE_FILES TO ROLE SPCS_VIEWER',
  'GRANT READ ON SECRET APP_DB.BACKEND.PARTNER_API_TOKEN TO ROLE SPCS_VIEWER',
  'GRANT READ ON SECRET SPCS_DEMO.PUBLIC.GITHUB_OAUTH TO ROLE SPCS_VIEWER',
  'GRANT BIND SERVICE ENDPOINT ON ACCOUNT TO ROLE SPCS_VIEWER',
];

describe('preflight (pure)', { timeout: 5000 }, () => {
  it('lists every grant a spec and target need, in order, all missing for a role with none', () => {
    const result = preflight(spec, target, catalogWith([]));
    assert.deepEqual(result.required.map((grant) => grant.statement), everything);
    assert.deepEqual(result.missing.length, everything.length);
    assert.equal(result.script, everything.map((statement) => `${statement};`).join('\n'));
    assert.ok(result.grantsKnown);
    assert.deepEqual(result.notes, []);
    assert.match(result.required.find((grant) => grant.privilege === 'BIND SERVICE ENDPOINT')?.reason ?? '', /public endpoint api needs BIND SERVICE ENDPOINT/);
  });

  it('counts held privileges, OWNERSHIP and the alternatives (WRITE on a repository, USAGE on a secret)', () => {
    const grants: CatalogGrant[] = [
      { objectType: 'DATABASE', name: 'SPCS_DEMO', privilege: 'OWNERSHIP' },
      { objectType: 'SCHEMA', name: 'SPCS_DEMO.PUBLIC', privilege: 'OWNERSHIP' },
      { objectType: 'DATABASE', name: 'TUTORIAL_DB', privilege: 'USAGE' },
      { objectType: 'DATABASE', name: 'APP_DB', privilege: 'USAGE' },
      { objectType: 'SCHEMA', name: 'TUTORIAL_DB.DATA_SCHEMA', privilege: 'USAGE' },
      { objectType: 'SCHEMA', name: 'APP_DB.BACKEND', privilege: 'USAGE' },
      { objectType: 'COMPUTE_POOL', name: 'DEMO_CPU_POOL', privilege: 'USAGE' },
      { objectType: 'WAREHOUSE', name: 'DEMO_WH', privilege: 'USAGE' },
      { objectType: 'INTEGRATION', name: 'DEMO_EAI', privilege: 'USAGE' },
      { objectType: 'IMAGE REPOSITORY', name: 'TUTORIAL_DB.DATA_SCHEMA.TUTORIAL_REPOSITORY', privilege: 'WRITE' },
      { objectType: 'STAGE', name: 'APP_DB.BACKEND.REFERENCE_FILES', privilege: 'READ' },
      { objectType: 'SECRET', name: 'APP_DB.BACKEND.PARTNER_API_TOKEN', privilege: 'USAGE' },
      { objectType: 'SECRET', name: 'SPCS_DEMO.PUBLIC.GITHUB_OAUTH', privilege: 'MONITOR' },
      { objectType: 'ACCOUNT', name: 'MYORG', privilege: 'BIND SERVICE ENDPOINT' },
    ];
    const result = preflight(spec, target, catalogWith(grants));
    assert.deepEqual(result.missing.map((grant) => grant.statement), ['GRANT READ ON SECRET SPCS_DEMO.PUBLIC.GITHUB_OAUTH TO ROLE SPCS_VIEWER']);
  });

  it('claims nothing when the grants were not read', () => {
    const result = preflight(spec, target, catalogWith(null));
    assert.equal(result.grantsKnown, false);
    assert.deepEqual(result.missing, []);
    assert.ok(result.required.every((grant) => grant.status === 'unknown'));
    assert.match(result.notes.join(' '), /could not be read/);
    assert.equal(result.script, '');
  });

  it('upgrades need OPERATE on the service instead of CREATE SERVICE; jobs need no BIND SERVICE ENDPOINT', () => {
    const upgrade = preflight(spec, { ...target, operation: 'upgrade' }, catalogWith([]));
    assert.ok(upgrade.required.some((grant) => grant.statement === 'GRANT OPERATE ON SERVICE SPCS_DEMO.PUBLIC.PREFLIGHT_SVC TO ROLE SPCS_VIEWER'));
    assert.ok(!upgrade.required.some((grant) => grant.privilege === 'CREATE SERVICE'));
    const job = preflight(spec, { ...target, operation: 'job' }, catalogWith([]));
    assert.ok(!job.required.some((grant) => grant.privilege === 'BIND SERVICE ENDPOINT'));
    assert.ok(job.required.some((grant) => grant.privilege === 'CREATE SERVICE'));
  });

  it('quotes identifiers that need it, matches grants printed with quotes, and uses the catalog spelling', () => {
    const quotedTarget: PreflightTarget = { role: 'dev role', database: 'my db', schema: 'PUBLIC', computePool: 'pool', specStage: { name: 'specs' } };
    const catalog: AccountCatalog = {
      ...catalogWith([{ objectType: 'COMPUTE_POOL', name: '"pool"', privilege: 'USAGE' }]),
      imageRepositories: [{ database: 'Repo DB', schema: 'S', name: 'R', images: [] }],
    };
    const result = preflight('spec:\n  containers:\n    - name: a\n      image: /repo db/s/r/img:1\n', quotedTarget, catalog);
    const statements = result.required.map((grant) => grant.statement);
    assert.ok(statements.includes('GRANT USAGE ON DATABASE "my db" TO ROLE "dev role"'));
    assert.ok(statements.includes('GRANT READ ON STAGE "my db".PUBLIC."specs" TO ROLE "dev role"'));
    assert.ok(statements.includes('GRANT READ ON IMAGE REPOSITORY "Repo DB".S.R TO ROLE "dev role"'));
    assert.equal(result.required.find((grant) => grant.objectType === 'COMPUTE POOL')?.status, 'held');
  });

  it('notes what it cannot check instead of guessing', () => {
    const text = `spec:
  containers:
    - name: a
      image: my_repo/my_job_image:latest
    - name: b
      image: docker.io/library/nginx:1
      secrets:
        - snowflakeSecret:
            objectReference: consumer_secret
          envVarName: X
`;
    const result = preflight(text, target, catalogWith([]));
    assert.equal(result.notes.length, 3);
    assert.ok(!result.required.some((grant) => grant.objectType === 'IMAGE REPOSITORY' || grant.objectType === 'SECRET'));
    assert.match(preflight('spec: [', target, catalogWith([])).notes[0] ?? '', /could not be read/);
    assert.match(preflight('spec:\n  containers:\n    - name: a\n      image: "/d/s/r/i:{{ tag }}"\n', target, catalogWith([])).notes.join(' '), /template/);
  });
});

describe('preflight against the emulator', { timeout: 60_000 }, () => {
  it('the viewer lacks the grants; the emitted GRANTs run as ACCOUNTADMIN, then the preflight is clean and the deploy works', async (t) => {
    const h = await harness(t);
    h.addConnections(connectionsTomlSection('viewer', { ...h.emulator.connection(), user: 'VIEWER_USER', password: 'viewer-password-1', role: 'SPCS_VIEWER' }));
    const read = async (connection: string): Promise<AccountCatalog> => value(await fetchCatalog(h.sessions, connection, { timeoutMs: 20_000 })).catalog;

    assert.notEqual(emulatorSpec, spec);
    const before = preflight(emulatorSpec, target, await read('viewer'));
    assert.ok(before.grantsKnown);
    assert.deepEqual(
      before.missing.map((grant) => grant.statement),
      [
        'GRANT CREATE SERVICE ON SCHEMA SPCS_DEMO.PUBLIC TO ROLE SPCS_VIEWER',
        'GRANT USAGE ON COMPUTE POOL DEMO_CPU_POOL TO ROLE SPCS_VIEWER',
        'GRANT USAGE ON INTEGRATION DEMO_EAI TO ROLE SPCS_VIEWER',
        'GRANT READ ON IMAGE REPOSITORY TUTORIAL_DB.DATA_SCHEMA.TUTORIAL_REPOSITORY TO ROLE SPCS_VIEWER',
        'GRANT READ ON STAGE APP_DB.BACKEND.REFERENCE_FILES TO ROLE SPCS_VIEWER',
        'GRANT READ ON SECRET APP_DB.BACKEND.PARTNER_API_TOKEN TO ROLE SPCS_VIEWER',
        'GRANT READ ON SECRET SPCS_DEMO.PUBLIC.GITHUB_OAUTH TO ROLE SPCS_VIEWER',
        'GRANT BIND SERVICE ENDPOINT ON ACCOUNT TO ROLE SPCS_VIEWER',
      ],
      'USAGE on the databases, schemas and warehouse is held by the viewer already',
    );
    const create = sql.createService({
      name: { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'PREFLIGHT_SVC' },
      pool: 'DEMO_CPU_POOL',
      spec: emulatorSpec,
      externalAccessIntegrations: ['DEMO_EAI'],
      queryWarehouse: 'DEMO_WH',
    });
    const refused = await h.sessions.execute('viewer', create, { timeoutMs: 15_000 });
    assert.equal(refused.ok ? 'created' : refused.error.kind, 'privilege', 'the emulator agrees that the viewer may not deploy');

    for (const grant of before.missing) h.account.control.run(grant.statement);
    const after = preflight(emulatorSpec, target, await read('viewer'));
    assert.deepEqual(after.missing, []);
    assert.ok(after.required.every((grant) => grant.status === 'held'));
    value(await h.sessions.execute('viewer', create, { timeoutMs: 15_000 }));

    const developer = await read(printedConnection);
    assert.equal(developer.role, 'SPCS_DEVELOPER');
    assert.deepEqual(preflight(emulatorSpec, { ...target, role: 'SPCS_DEVELOPER', serviceName: 'OTHER_SVC' }, developer).missing, []);
  });
});
