/**
 * CREATE / DROP IMAGE REPOSITORY and SHOW IMAGE REPOSITORIES against the engine, as the docs describe
 * them: ENCRYPTION (SNOWFLAKE_FULL by default, or SNOWFLAKE_SSE), OR REPLACE / IF NOT EXISTS (mutually
 * exclusive), names that cannot be quoted, CREATE IMAGE REPOSITORY on the schema, OWNERSHIP to replace
 * or drop, and running services that keep running when their repository is dropped.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertError, echoSpec, kit } from './sqlKit';

const repositoryColumns = ['created_on', 'name', 'database_name', 'schema_name', 'repository_url', 'owner', 'owner_role_type', 'comment', 'encryption', 'privatelink_repository_url'];

describe('CREATE IMAGE REPOSITORY', () => {
  it('creates a repository with the documented default encryption, or the one asked for', () => {
    const t = kit();
    assert.equal(t.value('CREATE IMAGE REPOSITORY models'), 'Image Repository MODELS successfully created.');
    assert.equal(t.value("CREATE IMAGE REPOSITORY sse_repo ENCRYPTION = (TYPE = 'SNOWFLAKE_SSE') COMMENT = 'server-side only'"), 'Image Repository SSE_REPO successfully created.');
    const result = t.run('SHOW IMAGE REPOSITORIES');
    assert.deepEqual(result.columns.map((column) => column.name), repositoryColumns);
    const rows = t.rows('SHOW IMAGE REPOSITORIES');
    const models = rows.find((row) => row.name === 'MODELS');
    assert.deepEqual(
      [models?.database_name, models?.schema_name, models?.repository_url, models?.owner, models?.owner_role_type, models?.encryption, models?.comment],
      ['SPCS_DEMO', 'PUBLIC', 'emulator-spcs-emulator.registry.snowflakecomputing.com/spcs_demo/public/models', 'SPCS_DEVELOPER', 'ROLE', 'SNOWFLAKE_FULL', null],
    );
    const sse = rows.find((row) => row.name === 'SSE_REPO');
    assert.deepEqual([sse?.encryption, sse?.comment], ['SNOWFLAKE_SSE', 'server-side only']);
    assert.deepEqual(t.rows('SHOW IMAGES IN IMAGE REPOSITORY models'), [], 'a new repository holds no image');
  });

  it('follows IF NOT EXISTS and OR REPLACE, and refuses both together', () => {
    const t = kit();
    t.run('CREATE IMAGE REPOSITORY models');
    t.account.control.pushImage('SPCS_DEMO.PUBLIC.MODELS', 'app', '1.0');
    assert.equal(t.value('CREATE IMAGE REPOSITORY IF NOT EXISTS models'), 'MODELS already exists, statement succeeded.');
    assert.equal(t.rows('SHOW IMAGES IN IMAGE REPOSITORY models').length, 1, 'IF NOT EXISTS leaves it alone');
    assertError(t.error('CREATE IMAGE REPOSITORY models'), '002002', "SQL compilation error:\nObject 'SPCS_DEMO.PUBLIC.MODELS' already exists.");
    assert.equal(t.value('CREATE OR REPLACE IMAGE REPOSITORY models'), 'Image Repository MODELS successfully created.');
    assert.deepEqual(t.rows('SHOW IMAGES IN IMAGE REPOSITORY models'), [], 'OR REPLACE makes a new, empty repository');
    assertError(t.error('CREATE OR REPLACE IMAGE REPOSITORY IF NOT EXISTS models'), '001003', 'SQL compilation error:\nOR REPLACE and IF NOT EXISTS are mutually exclusive; use only one of them.');
  });

  it('refuses bad options and quoted names', () => {
    const t = kit();
    assertError(t.error("CREATE IMAGE REPOSITORY r ENCRYPTION = (TYPE = 'AWS_SSE_KMS')"), '001008', "SQL compilation error:\ninvalid value for property 'ENCRYPTION': TYPE must be 'SNOWFLAKE_FULL' or 'SNOWFLAKE_SSE'.");
    assertError(t.error("CREATE IMAGE REPOSITORY r ENCRYPTION = (KMS_KEY_ID = 'k')"), '001008', "SQL compilation error:\ninvalid property 'KMS_KEY_ID' for 'ENCRYPTION'");
    assertError(t.error('CREATE IMAGE REPOSITORY r SIZE = 10'), '001008', "SQL compilation error:\ninvalid property 'SIZE' for 'IMAGE_REPOSITORY'");
    assertError(t.error('CREATE IMAGE REPOSITORY "my repo"'), '001008', "SQL compilation error:\nInvalid image repository name 'my repo'. Quoted names for special characters or case-sensitive names are not supported.");
    assertError(t.error('CREATE IMAGE REPOSITORY "Models"'), '001008', /Invalid image repository name 'Models'/);
    assert.deepEqual(t.rows('SHOW IMAGE REPOSITORIES').map((row) => row.name), ['DEMO_REPO'], 'nothing was created');
  });

  it('needs CREATE IMAGE REPOSITORY on the schema, and OWNERSHIP to replace', () => {
    const t = kit();
    const viewer = t.session('SPCS_VIEWER', 'VIEWER_USER');
    assertError(t.error('CREATE IMAGE REPOSITORY r', viewer), '003001', "SQL access control error:\nInsufficient privileges to operate on schema 'SPCS_DEMO.PUBLIC'.");
    assertError(t.error('CREATE IMAGE REPOSITORY ml_db.serving.r'), '003001', "SQL access control error:\nInsufficient privileges to operate on schema 'ML_DB.SERVING'.");
    t.run('CREATE IMAGE REPOSITORY admin_repo', t.session('ACCOUNTADMIN'));
    assertError(t.error('CREATE OR REPLACE IMAGE REPOSITORY admin_repo'), '003001', /Insufficient privileges to operate on image repository 'SPCS_DEMO.PUBLIC.ADMIN_REPO'/);
  });
});

describe('DROP IMAGE REPOSITORY', () => {
  it('needs OWNERSHIP, follows IF EXISTS, and leaves running services alone', () => {
    const t = kit();
    const admin = t.session('ACCOUNTADMIN');
    assertError(t.error('DROP IMAGE REPOSITORY tutorial_db.data_schema.tutorial_repository'), '003001', "SQL access control error:\nInsufficient privileges to operate on image repository 'TUTORIAL_DB.DATA_SCHEMA.TUTORIAL_REPOSITORY'.");
    assertError(t.error('DROP IMAGE REPOSITORY nope'), '002003', "SQL compilation error:\nImage repository 'SPCS_DEMO.PUBLIC.NOPE' does not exist or not authorized.");
    assert.equal(t.value('DROP IMAGE REPOSITORY IF EXISTS nope'), 'Drop statement executed successfully (NOPE already dropped).');
    t.run(`CREATE SERVICE keeps_running IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$`);
    assert.equal(t.value('DROP IMAGE REPOSITORY tutorial_db.data_schema.tutorial_repository', admin), 'TUTORIAL_REPOSITORY successfully dropped.');
    t.advance(120);
    assert.equal(t.one("SHOW SERVICES LIKE 'KEEPS_RUNNING'").status, 'RUNNING', 'instances keep the image they pulled');
    assertError(t.error(`CREATE SERVICE too_late IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$`), '002003', "SQL compilation error:\nImage repository 'TUTORIAL_DB.DATA_SCHEMA.TUTORIAL_REPOSITORY' does not exist or not authorized.");
  });
});
