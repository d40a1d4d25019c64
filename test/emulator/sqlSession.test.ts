/**
 * Session statements and functions (USE ROLE / DATABASE / SCHEMA / WAREHOUSE, CURRENT_*()),
 * SELECT of literals, the image registry listings, stages, secrets and the other SHOW commands,
 * and DDL of databases, schemas, stages, secrets and roles.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertError, kit } from './sqlKit';

describe('USE and session functions', () => {
  it('changes the session and reports it through CURRENT_*()', () => {
    const t = kit();
    const session = t.session();
    assert.deepEqual(t.one('SELECT CURRENT_ROLE(), CURRENT_USER(), CURRENT_DATABASE(), CURRENT_SCHEMA(), CURRENT_WAREHOUSE()', session), {
      'CURRENT_ROLE()': 'SPCS_DEVELOPER',
      'CURRENT_USER()': 'DEMO_USER',
      'CURRENT_DATABASE()': 'SPCS_DEMO',
      'CURRENT_SCHEMA()': 'PUBLIC',
      'CURRENT_WAREHOUSE()': 'DEMO_WH',
    });
    assert.equal(t.value('USE ROLE sysadmin', session), 'Statement executed successfully.');
    assert.equal(t.run('USE DATABASE ml_db', session).statementTypeId, 0x4000);
    assert.deepEqual([session.role, session.database, session.schema], ['SYSADMIN', 'ML_DB', 'PUBLIC']);
    t.run('USE SCHEMA serving', session);
    assert.deepEqual([session.database, session.schema], ['ML_DB', 'SERVING']);
    t.run('USE tutorial_db.data_schema', session);
    assert.deepEqual([session.database, session.schema], ['TUTORIAL_DB', 'DATA_SCHEMA']);
    t.run('USE spcs_demo', session);
    assert.deepEqual([session.database, session.schema], ['SPCS_DEMO', 'PUBLIC']);
    t.run('USE WAREHOUSE demo_wh', session);
    assert.equal(t.value('SELECT CURRENT_ACCOUNT_NAME()'), 'SPCS_EMULATOR');
    assert.equal(t.value('select current_account()'), 'SPCS_EMULATOR');
    assert.equal(t.value('SELECT current_region()'), 'AWS_US_WEST_2');
    assert.equal(t.value('SELECT CURRENT_SESSION()', session), 'session-SPCS_DEVELOPER');
    assert.deepEqual(JSON.parse(t.value('SELECT CURRENT_AVAILABLE_ROLES()') ?? '[]'), ['ACCOUNTADMIN', 'PUBLIC', 'SECURITYADMIN', 'SPCS_DEVELOPER', 'SPCS_VIEWER', 'SYSADMIN', 'USERADMIN']);
  });

  it('reports missing objects on USE with Snowflake errors', () => {
    const t = kit();
    assertError(t.error('USE DATABASE nodb'), '002003', "SQL compilation error:\nDatabase 'NODB' does not exist or not authorized.");
    assertError(t.error('USE SCHEMA nope'), '002003', "SQL compilation error:\nSchema 'SPCS_DEMO.NOPE' does not exist or not authorized.");
    assertError(t.error('USE WAREHOUSE nowh'), '002043', 'SQL compilation error:\nObject does not exist, or operation cannot be performed.');
    const empty = { ...t.session(), database: undefined, schema: undefined };
    assert.equal(t.error('USE SCHEMA public', empty).code, '090105');
  });

  it('selects literals with Snowflake column names and types', () => {
    const t = kit();
    const result = t.run("SELECT 1, 2.50, 'abc', TRUE, NULL, CURRENT_TIMESTAMP()");
    assert.deepEqual(result.columns.map((column) => [column.name, column.type]), [
      ['1', 'fixed'],
      ['2.50', 'fixed'],
      ["'ABC'", 'text'],
      ['TRUE', 'boolean'],
      ['NULL', 'text'],
      ['CURRENT_TIMESTAMP()', 'timestamp_ltz'],
    ]);
    assert.deepEqual(result.rows[0], ['1', '2.50', 'abc', 'true', null, `${t.clock.now() / 1000}.000000000`]);
    assert.equal(result.columns[1]?.scale, 2);
    assert.equal(t.error('SELECT NO_SUCH_FUNCTION()').code, '002140');
    assert.equal(t.error("SELECT SYSTEM$WAIT_FOR_SERVICES(1, 'x')").code, '000002');
    assert.equal(t.error('CALL CURRENT_ROLE()').code, '002140');
    assert.equal(t.one("SELECT SYSTEM$GET_COMPUTE_POOL_STATUS('demo_cpu_pool')")["SYSTEM$GET_COMPUTE_POOL_STATUS('DEMO_CPU_POOL')"], '{"status":"ACTIVE","message":"Compute pool is active for running workloads."}');
    assert.match(t.value("SELECT SYSTEM$GET_SERVICE_DNS_DOMAIN('spcs_demo.public')") ?? '', /^[0-9a-z]{4}\.svc\.spcs\.internal$/);
  });
});

describe('image registry, stages, secrets and other listings', () => {
  it('shows image repositories and their images', () => {
    const t = kit();
    const result = t.run('SHOW IMAGE REPOSITORIES IN ACCOUNT');
    assert.deepEqual(result.columns.map((column) => column.name), ['created_on', 'name', 'database_name', 'schema_name', 'repository_url', 'owner', 'owner_role_type', 'comment', 'encryption', 'privatelink_repository_url']);
    assert.deepEqual(t.rows('SHOW IMAGE REPOSITORIES').map((row) => row.repository_url), ['emulator-spcs-emulator.registry.snowflakecomputing.com/spcs_demo/public/demo_repo']);
    assert.deepEqual(t.rows('SHOW IMAGE REPOSITORIES IN DATABASE ml_db').map((row) => `${row.schema_name}.${row.name}`), ['SERVING.IMAGES', 'TRAINING.IMAGES']);
    assert.deepEqual(t.rows("SHOW IMAGE REPOSITORIES LIKE 'tutorial%' IN SCHEMA tutorial_db.data_schema").map((row) => row.name), ['TUTORIAL_REPOSITORY']);
    const images = t.run('SHOW IMAGES IN IMAGE REPOSITORY tutorial_db.data_schema.tutorial_repository');
    assert.deepEqual(images.columns.map((column) => column.name), ['created_on', 'image_name', 'tags', 'digest', 'image_path']);
    assert.deepEqual(t.rows("SHOW IMAGES LIKE 'echo' IN IMAGE REPOSITORY tutorial_db.data_schema.tutorial_repository").map((row) => row.image_path), [
      'tutorial_db/data_schema/tutorial_repository/echo:v1',
      'tutorial_db/data_schema/tutorial_repository/echo:v2',
      'tutorial_db/data_schema/tutorial_repository/echo:latest',
    ]);
    assert.equal(t.error('SHOW IMAGES IN IMAGE REPOSITORY nope').code, '002003');
    t.run('CREATE IMAGE REPOSITORY my_repo', t.session('SPCS_DEVELOPER'));
    assert.equal(t.rows('SHOW IMAGE REPOSITORIES').length, 2);
    assert.equal(t.value('DROP IMAGE REPOSITORY my_repo'), 'MY_REPO successfully dropped.');
  });

  it('shows stages, secrets, lists stage files and creates them', () => {
    const t = kit();
    assert.deepEqual(t.rows('SHOW STAGES').map((row) => row.name), ['SPECS']);
    assert.deepEqual(t.rows('SHOW STAGES IN ACCOUNT').map((row) => row.name), ['DATASETS', 'MODEL_WEIGHTS', 'REFERENCE_FILES', 'SPECS']);
    assert.deepEqual(t.rows('SHOW SECRETS IN ACCOUNT').map((row) => [row.name, row.secret_type]), [
      ['GITHUB_OAUTH', 'OAUTH2'],
      ['HF_TOKEN', 'GENERIC_STRING'],
      ['PARTNER_API_TOKEN', 'GENERIC_STRING'],
      ['POSTGRES_CREDENTIALS', 'PASSWORD'],
    ]);
    assert.deepEqual(t.run('SHOW SECRETS').columns.map((column) => column.name), ['created_on', 'name', 'schema_name', 'database_name', 'owner', 'comment', 'secret_type', 'oauth_scopes', 'owner_role_type']);
    assert.deepEqual(t.rows("LIST @specs PATTERN = '.*echo.*'").map((row) => row.name), ['specs/echo-template.yaml', 'specs/echo.yaml']);
    assert.equal(t.value('CREATE STAGE my_stage'), 'Stage area MY_STAGE successfully created.');
    assert.equal(t.value("CREATE SECRET my_secret TYPE = GENERIC_STRING SECRET_STRING = 's'"), 'Secret MY_SECRET successfully created.');
    assert.equal(t.error('CREATE SECRET bad TYPE = FOO').code, '001008');
    assert.equal(t.error("CREATE STAGE ext URL = 's3://bucket'").code, '000002');
    assert.equal(t.value('DROP STAGE my_stage'), 'MY_STAGE successfully dropped.');
  });

  it('creates databases and schemas, making them current, and drops them with their services', () => {
    const t = kit();
    const admin = t.session('SYSADMIN');
    assert.equal(t.value('CREATE DATABASE scratch', admin), 'Database SCRATCH successfully created.');
    assert.deepEqual([admin.database, admin.schema], ['SCRATCH', 'PUBLIC']);
    assert.equal(t.value('CREATE SCHEMA work', admin), 'Schema WORK successfully created.');
    assert.equal(admin.schema, 'WORK');
    assert.deepEqual(t.rows('SHOW SCHEMAS', admin).map((row) => [row.name, row.is_current]), [
      ['PUBLIC', 'N'],
      ['WORK', 'Y'],
    ]);
    assert.equal(t.value('CREATE DATABASE IF NOT EXISTS scratch', admin), 'SCRATCH already exists, statement succeeded.');
    assert.equal(t.value('DROP DATABASE scratch', admin), 'SCRATCH successfully dropped.');
    assert.ok(!t.rows('SHOW DATABASES', admin).some((row) => row.name === 'SCRATCH'));
    assert.deepEqual(t.rows('SHOW DATABASES', t.session('SPCS_VIEWER', 'VIEWER_USER')).map((row) => row.name), ['APP_DB', 'ML_DB', 'SPCS_DEMO', 'TUTORIAL_DB']);
  });

  it('shows warehouses, roles, users and integrations', () => {
    const t = kit();
    assert.deepEqual(t.rows('SHOW WAREHOUSES').map((row) => [row.name, row.size]), [['DEMO_WH', 'XSMALL']]);
    const roles = t.rows('SHOW ROLES');
    assert.deepEqual(roles.map((row) => row.name), ['ACCOUNTADMIN', 'PUBLIC', 'SECURITYADMIN', 'SPCS_DEVELOPER', 'SPCS_VIEWER', 'SYSADMIN', 'USERADMIN']);
    assert.equal(roles.find((row) => row.name === 'SPCS_DEVELOPER')?.is_current, 'Y');
    assert.deepEqual(t.rows('SHOW USERS', t.session('ACCOUNTADMIN')).map((row) => [row.name, row.default_role]), [
      ['DEMO_USER', 'SPCS_DEVELOPER'],
      ['VIEWER_USER', 'SPCS_VIEWER'],
    ]);
    assert.deepEqual(t.rows('SHOW EXTERNAL ACCESS INTEGRATIONS').map((row) => row.name), ['DEMO_EAI']);
    assert.deepEqual(t.rows('SHOW INTEGRATIONS', t.session('SPCS_VIEWER', 'VIEWER_USER')), []);
  });
});
