/**
 * Access control per role against the demo account: what SPCS_VIEWER (USAGE/MONITOR only),
 * SPCS_DEVELOPER (owner of the demo services) and ACCOUNTADMIN may see and do, the real errors when
 * they may not, GRANT / REVOKE / SHOW GRANTS, and BIND SERVICE ENDPOINT for public endpoints.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertError, echoSpec, kit } from './sqlKit';

const denied = (what: string): string => `SQL access control error:\nInsufficient privileges to operate on ${what}.`;

describe('privileges per role', () => {
  it('lets the viewer list, monitor and read logs, but not operate, alter, drop or create', () => {
    const t = kit();
    const viewer = t.session('SPCS_VIEWER', 'VIEWER_USER');
    assert.equal(t.rows('SHOW SERVICES', viewer).length, 5);
    assert.equal(t.rows('SHOW COMPUTE POOLS', viewer).length, 3);
    assert.equal(t.rows('SHOW SERVICE CONTAINERS IN SERVICE echo_service', viewer).length, 2);
    assert.equal(t.rows('SHOW ENDPOINTS IN SERVICE echo_service', viewer).length, 1);
    assert.ok(t.value("SELECT SYSTEM$GET_SERVICE_LOGS('echo_service', 0, 'echo', 5)", viewer));
    const service = denied("service 'SPCS_DEMO.PUBLIC.ECHO_SERVICE'");
    assertError(t.error('ALTER SERVICE echo_service SUSPEND', viewer), '003001', service);
    assertError(t.error(`ALTER SERVICE echo_service FROM SPECIFICATION $$${echoSpec()}$$`, viewer), '003001', service);
    assertError(t.error('ALTER SERVICE echo_service SET MIN_INSTANCES = 3', viewer), '003001', service);
    assertError(t.error('DROP SERVICE echo_service', viewer), '003001', service);
    assertError(t.error(`CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$`, viewer), '003001', denied("schema 'SPCS_DEMO.PUBLIC'"));
    assert.equal(t.error('SHOW IMAGES IN IMAGE REPOSITORY tutorial_db.data_schema.tutorial_repository', viewer).code, '002003');
  });

  it('hides objects the role holds no privilege on, as "does not exist or not authorized"', () => {
    const t = kit();
    t.run(`CREATE SERVICE private_svc IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$`);
    const viewer = t.session('SPCS_VIEWER', 'VIEWER_USER');
    assert.ok(!t.rows('SHOW SERVICES', viewer).some((row) => row.name === 'PRIVATE_SVC'));
    assertError(t.error('DESCRIBE SERVICE private_svc', viewer), '002003', "SQL compilation error:\nService 'SPCS_DEMO.PUBLIC.PRIVATE_SVC' does not exist or not authorized.");
    assert.equal(t.error("SELECT SYSTEM$GET_SERVICE_LOGS('private_svc', 0, 'echo')", viewer).code, '002003');
    // ACCOUNTADMIN sees everything.
    assert.ok(t.rows('SHOW SERVICES', t.session('ACCOUNTADMIN')).some((row) => row.name === 'PRIVATE_SVC'));
  });

  it('needs USAGE on the compute pool to create a service in it', () => {
    const t = kit();
    t.run('CREATE COMPUTE POOL admin_pool MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS', t.session('SYSADMIN'));
    t.run('GRANT MONITOR ON COMPUTE POOL admin_pool TO ROLE SPCS_DEVELOPER', t.session('SYSADMIN'));
    assertError(t.error(`CREATE SERVICE x IN COMPUTE POOL admin_pool FROM SPECIFICATION $$${echoSpec()}$$`), '003001', denied("compute pool 'ADMIN_POOL'"));
    t.run('GRANT USAGE ON COMPUTE POOL admin_pool TO ROLE SPCS_DEVELOPER', t.session('SYSADMIN'));
    assert.equal(t.value(`CREATE SERVICE x IN COMPUTE POOL admin_pool FROM SPECIFICATION $$${echoSpec()}$$`), 'Service X successfully created.');
  });

  it('needs BIND SERVICE ENDPOINT on the account for a public endpoint', () => {
    const t = kit();
    const admin = t.session('ACCOUNTADMIN');
    t.run('CREATE ROLE builder', admin);
    t.run('GRANT ROLE builder TO USER demo_user', admin);
    t.run('GRANT CREATE SERVICE ON SCHEMA spcs_demo.public TO ROLE builder', admin);
    t.run('GRANT USAGE ON DATABASE spcs_demo TO ROLE builder', admin);
    t.run('GRANT USAGE ON COMPUTE POOL demo_cpu_pool TO ROLE builder', admin);
    t.run('GRANT READ ON IMAGE REPOSITORY tutorial_db.data_schema.tutorial_repository TO ROLE builder', admin);
    const builder = t.session('BUILDER');
    assert.equal(t.value(`CREATE SERVICE private_only IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec({ endpoint: 'private' })}$$`, builder), 'Service PRIVATE_ONLY successfully created.');
    const error = t.error(`CREATE SERVICE public_one IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec({ endpoint: 'public' })}$$`, builder);
    assert.equal(error.code, '003001');
    assert.match(error.message, /BIND SERVICE ENDPOINT/);
    t.run('GRANT BIND SERVICE ENDPOINT ON ACCOUNT TO ROLE builder', admin);
    assert.equal(t.value(`CREATE SERVICE public_one IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec({ endpoint: 'public' })}$$`, builder), 'Service PUBLIC_ONE successfully created.');
  });

  it('needs READ on the image repository', () => {
    const t = kit();
    const admin = t.session('ACCOUNTADMIN');
    t.run('CREATE IMAGE REPOSITORY spcs_demo.public.locked', admin);
    t.account.control.pushImage('SPCS_DEMO.PUBLIC.LOCKED', 'app', '1');
    assertError(
      t.error(`CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec({ image: '/spcs_demo/public/locked/app:1' })}$$`),
      '002003',
      "SQL compilation error:\nImage repository 'SPCS_DEMO.PUBLIC.LOCKED' does not exist or not authorized.",
    );
    t.run('GRANT READ ON IMAGE REPOSITORY spcs_demo.public.locked TO ROLE spcs_developer', admin);
    assert.equal(t.value(`CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec({ image: '/spcs_demo/public/locked/app:1' })}$$`), 'Service X successfully created.');
  });

  it('grants OPERATE to suspend and MONITOR to read logs, and revokes them', () => {
    const t = kit();
    const viewer = t.session('SPCS_VIEWER', 'VIEWER_USER');
    t.run('GRANT OPERATE ON SERVICE echo_service TO ROLE spcs_viewer');
    assert.equal(t.value('ALTER SERVICE echo_service SUSPEND', viewer), 'Statement executed successfully.');
    t.run('REVOKE OPERATE ON SERVICE echo_service FROM ROLE spcs_viewer');
    assert.equal(t.error('ALTER SERVICE echo_service RESUME', viewer).code, '003001');
    t.run('REVOKE MONITOR ON SERVICE llm_service FROM ROLE spcs_viewer');
    assert.equal(t.error("SELECT SYSTEM$GET_SERVICE_LOGS('llm_service', 0, 'vllm')", viewer).code, '003001');
    assert.equal(t.error('SHOW SERVICE CONTAINERS IN SERVICE llm_service', viewer).code, '003001');
    assert.equal(t.rows('SHOW ENDPOINTS IN SERVICE llm_service', viewer).length, 2);
  });

  it('refuses grants from roles that neither own the object nor manage grants', () => {
    const t = kit();
    const viewer = t.session('SPCS_VIEWER', 'VIEWER_USER');
    assert.equal(t.error('GRANT MONITOR ON SERVICE echo_service TO ROLE public', viewer).code, '003001');
    assert.match(t.error('GRANT FLY ON SERVICE echo_service TO ROLE public').message, /Invalid privilege FLY/);
    assert.equal(t.error('GRANT OWNERSHIP ON SERVICE echo_service TO ROLE sysadmin').code, '003011');
    assert.equal(t.error('GRANT USAGE ON SERVICE echo_service TO ROLE nobody').code, '002003');
    assert.match(t.error('GRANT ROLE sysadmin TO ROLE spcs_viewer', t.session('ACCOUNTADMIN')).message, /cycle/);
  });

  it('lets users activate only roles granted to them', () => {
    const t = kit();
    const viewer = t.session('SPCS_VIEWER', 'VIEWER_USER');
    assertError(t.error('USE ROLE spcs_developer', viewer), '003013', "SQL execution error:\nRequested role 'SPCS_DEVELOPER' is not assigned to the executing user. Specify another role to activate.");
    assertError(t.error('USE ROLE nobody', viewer), '002003', "SQL compilation error:\nRole 'NOBODY' does not exist or not authorized.");
    assert.equal(t.value('USE ROLE public', viewer), 'Statement executed successfully.');
    assert.equal(viewer.role, 'PUBLIC');
  });
});

describe('SHOW GRANTS', () => {
  it('shows grants to a role, on an object, of a role and to a user, with Snowflake columns', () => {
    const t = kit();
    const result = t.run('SHOW GRANTS TO ROLE spcs_developer');
    assert.deepEqual(result.columns.map((column) => column.name), ['created_on', 'privilege', 'granted_on', 'name', 'granted_to', 'grantee_name', 'grant_option', 'granted_by']);
    const grants = t.rows('SHOW GRANTS TO ROLE spcs_developer');
    assert.ok(grants.some((row) => row.privilege === 'OWNERSHIP' && row.granted_on === 'SERVICE' && row.name === 'SPCS_DEMO.PUBLIC.ECHO_SERVICE'));
    assert.ok(grants.some((row) => row.privilege === 'BIND SERVICE ENDPOINT' && row.granted_on === 'ACCOUNT'));
    assert.ok(grants.some((row) => row.privilege === 'USAGE' && row.granted_on === 'ROLE' && row.name === 'SPCS_VIEWER'));
    const on = t.rows('SHOW GRANTS ON COMPUTE POOL demo_gpu_pool');
    assert.deepEqual(on.map((row) => [row.privilege, row.grantee_name]), [
      ['MONITOR', 'SPCS_DEVELOPER'],
      ['MONITOR', 'SPCS_VIEWER'],
      ['OPERATE', 'SPCS_DEVELOPER'],
      ['OWNERSHIP', 'SYSADMIN'],
      ['USAGE', 'SPCS_DEVELOPER'],
    ]);
    assert.deepEqual(t.rows('SHOW GRANTS OF ROLE spcs_viewer').map((row) => [row.granted_to, row.grantee_name]), [
      ['ROLE', 'SPCS_DEVELOPER'],
      ['USER', 'DEMO_USER'],
      ['USER', 'VIEWER_USER'],
    ]);
    assert.deepEqual(t.rows('SHOW GRANTS TO USER viewer_user', t.session('ACCOUNTADMIN')).map((row) => row.role), ['SPCS_VIEWER']);
    assert.deepEqual(t.rows('SHOW GRANTS').map((row) => row.role), ['ACCOUNTADMIN', 'SYSADMIN', 'SPCS_DEVELOPER', 'SPCS_VIEWER']);
    assert.equal(t.error('SHOW GRANTS TO USER demo_user', t.session('SPCS_VIEWER', 'VIEWER_USER')).code, '003001');
  });

  it('grants service roles and shows their endpoints', () => {
    const t = kit();
    t.run('GRANT SERVICE ROLE llm_service!api_clients TO ROLE spcs_viewer');
    assert.ok(t.rows('SHOW GRANTS TO ROLE spcs_viewer').some((row) => row.granted_on === 'SERVICE_ROLE' && row.name === 'SPCS_DEMO.PUBLIC.LLM_SERVICE!API_CLIENTS'));
    assert.deepEqual(t.rows('SHOW GRANTS TO SERVICE ROLE llm_service!api_clients').map((row) => [row.granted_on, row.name]), [['SERVICE_ENDPOINT', 'SPCS_DEMO.PUBLIC.LLM_SERVICE!openai-api']]);
    assert.deepEqual(t.rows('SHOW GRANTS OF SERVICE ROLE llm_service!chat_users').map((row) => row.grantee_name), ['SPCS_VIEWER']);
    assert.equal(t.error('GRANT SERVICE ROLE llm_service!nope TO ROLE spcs_viewer').code, '002003');
    t.run('REVOKE SERVICE ROLE llm_service!chat_users FROM ROLE spcs_viewer');
    assert.deepEqual(t.rows('SHOW GRANTS OF SERVICE ROLE llm_service!chat_users'), []);
  });
});
