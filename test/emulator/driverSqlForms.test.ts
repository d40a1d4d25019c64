/**
 * Every SQL form the emulator supports, sent through the real `snowflake-sdk` driver against the
 * demo seed: each statement succeeds (or fails the way Snowflake fails), and SHOW/DESCRIBE output has
 * the documented columns in the documented order (reference §4). The engine's own tests check the
 * semantics statement by statement; this one proves the same forms survive the wire protocol.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as Snowflake from 'snowflake-sdk';
import { ManualClock } from '../../emulator/src/clock';
import { start, type EmulatorHandle } from '../../emulator/src/server';
import { demo, destroyQuietly, execute, rejection, snowflake, type Executed } from './protocolHarness';

const columns = {
  computePools: ['name', 'state', 'min_nodes', 'max_nodes', 'instance_family', 'num_services', 'num_jobs', 'auto_suspend_secs', 'auto_resume', 'active_nodes', 'idle_nodes', 'target_nodes', 'created_on', 'resumed_on', 'updated_on', 'owner', 'comment', 'is_exclusive', 'application', 'placement_group', 'backup_instance_families'],
  instanceFamilies: ['name', 'description', 'vcpu', 'memory_gib', 'storage_gib', 'gpu', 'gpu_count', 'gpu_memory_gib', 'current_node_usage', 'message'],
  services: ['name', 'status', 'database_name', 'schema_name', 'owner', 'compute_pool', 'dns_name', 'current_instances', 'target_instances', 'min_ready_instances', 'min_instances', 'max_instances', 'auto_resume', 'external_access_integrations', 'created_on', 'updated_on', 'resumed_on', 'suspended_on', 'auto_suspend_secs', 'comment', 'owner_role_type', 'query_warehouse', 'is_job', 'is_async_job', 'spec_digest', 'is_upgrading', 'managing_object_domain', 'managing_object_name'],
  containers: ['database_name', 'schema_name', 'service_name', 'service_status', 'instance_id', 'instance_status', 'container_name', 'status', 'message', 'image_name', 'image_digest', 'restart_count', 'start_time', 'last_exit_code', 'last_restart_time'],
  instances: ['database_name', 'schema_name', 'service_name', 'service_status', 'instance_id', 'status', 'spec_digest', 'creation_time', 'start_time', 'ip_address'],
  endpoints: ['name', 'port', 'port_range', 'protocol', 'is_public', 'ingress_url', 'privatelink_ingress_url'],
  repositories: ['created_on', 'name', 'database_name', 'schema_name', 'repository_url', 'owner', 'owner_role_type', 'comment', 'encryption', 'privatelink_repository_url'],
  images: ['created_on', 'image_name', 'tags', 'digest', 'image_path'],
};

const echoSpec = `spec:
  containers:
    - name: echo
      image: /tutorial_db/data_schema/tutorial_repository/echo:v2
  endpoints:
    - name: echoendpoint
      port: 8000
`;

describe('every SQL form through the real driver', () => {
  const clock = new ManualClock();
  let emulator: EmulatorHandle;
  let connection: Snowflake.Connection;

  before(async () => {
    emulator = await start({ seed: 'demo', clock, pollHoldMilliseconds: 50 });
    connection = snowflake.createConnection({
      account: emulator.account.name,
      accessUrl: emulator.url,
      username: demo.user,
      password: demo.password,
      role: demo.role,
      warehouse: demo.warehouse,
      database: demo.database,
      schema: demo.schema,
      sfRetryMaxLoginRetries: 0,
    });
    await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
  });

  after(async () => {
    await destroyQuietly(connection);
    await emulator.stop();
  });

  const run = (sql: string): Promise<Executed> => execute(connection, sql);
  const columnNames = (executed: Executed): string[] => (executed.statement.getColumns() ?? []).map((column) => column.getName());
  const assertColumns = (executed: Executed, expected: readonly string[]) => assert.deepEqual(columnNames(executed).slice(0, expected.length), [...expected]);
  /** Lets emulated time pass: instances provision, jobs finish. */
  const elapse = (seconds: number) => clock.advance(seconds * 1000);

  it('lists, describes and manages compute pools', async () => {
    assertColumns(await run('SHOW COMPUTE POOLS'), columns.computePools);
    const like = await run("show compute pools like 'demo%'");
    assert.deepEqual(like.rows.map((row) => row.name).sort(), ['DEMO_CPU_POOL', 'DEMO_GPU_POOL']);
    const described = await run('DESCRIBE COMPUTE POOL DEMO_GPU_POOL');
    assert.ok(columnNames(described).includes('status_message'), columnNames(described).join(', '));
    assertColumns(await run('SHOW COMPUTE POOL INSTANCE FAMILIES'), columns.instanceFamilies);
    await run('USE ROLE ACCOUNTADMIN');
    await run('CREATE COMPUTE POOL IF NOT EXISTS DRIVER_POOL MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS AUTO_RESUME = FALSE');
    await run('ALTER COMPUTE POOL DRIVER_POOL SUSPEND');
    await run('ALTER COMPUTE POOL DRIVER_POOL RESUME');
    await run('ALTER COMPUTE POOL DRIVER_POOL SET MAX_NODES = 2 COMMENT = \'from the driver\'');
    await run('ALTER COMPUTE POOL DRIVER_POOL STOP ALL');
    await run('DROP COMPUTE POOL DRIVER_POOL');
    await run(`USE ROLE ${demo.role}`);
  });

  it('lists and describes services in every scope', async () => {
    const all = await run('SHOW SERVICES');
    assertColumns(all, columns.services);
    assert.ok(all.rows.some((row) => row.name === 'ECHO_SERVICE'));
    for (const sql of [
      "SHOW SERVICES LIKE 'ECHO%'",
      'SHOW SERVICES IN COMPUTE POOL DEMO_CPU_POOL',
      'SHOW SERVICES IN SCHEMA SPCS_DEMO.PUBLIC',
      'SHOW SERVICES IN DATABASE SPCS_DEMO',
      'SHOW SERVICES IN ACCOUNT',
    ]) {
      const listed = await run(sql);
      assert.ok(listed.rows.some((row) => row.name === 'ECHO_SERVICE'), sql);
    }
    const described = await run('DESCRIBE SERVICE ECHO_SERVICE');
    assert.match(String(described.rows[0]?.spec), /echo/);
  });

  it('creates services from an inline spec, a stage file and a template, then upgrades, suspends, resumes, sets, unsets and drops them', async () => {
    await run(`CREATE SERVICE DRIVER_INLINE IN COMPUTE POOL DEMO_CPU_POOL FROM SPECIFICATION $$${echoSpec}$$ MIN_INSTANCES = 1 MAX_INSTANCES = 2 AUTO_RESUME = TRUE QUERY_WAREHOUSE = DEMO_WH COMMENT = 'inline'`);
    await run("CREATE SERVICE DRIVER_STAGE IN COMPUTE POOL DEMO_CPU_POOL FROM @SPECS SPECIFICATION_FILE = 'echo.yaml'");
    await run(`CREATE SERVICE DRIVER_TEMPLATE IN COMPUTE POOL DEMO_CPU_POOL FROM SPECIFICATION_TEMPLATE $$${echoSpec.replace(':v2', ':{{ tag }}')}$$ USING (tag => 'v1')`);
    elapse(300);
    const running = await run("SHOW SERVICES LIKE 'DRIVER_%'");
    assert.deepEqual(running.rows.map((row) => [row.name, row.status]).sort(), [['DRIVER_INLINE', 'RUNNING'], ['DRIVER_STAGE', 'RUNNING'], ['DRIVER_TEMPLATE', 'RUNNING']]);
    await run(`ALTER SERVICE DRIVER_INLINE FROM SPECIFICATION $$${echoSpec.replace(':v2', ':latest')}$$`);
    await run('ALTER SERVICE DRIVER_INLINE SUSPEND');
    elapse(120);
    await run('ALTER SERVICE DRIVER_INLINE RESUME');
    await run('ALTER SERVICE DRIVER_INLINE SET MIN_INSTANCES = 2 MAX_INSTANCES = 2');
    await run('ALTER SERVICE DRIVER_INLINE UNSET COMMENT');
    await run('DROP SERVICE DRIVER_INLINE');
    await run('DROP SERVICE IF EXISTS DRIVER_STAGE FORCE');
    await run('DROP SERVICE IF EXISTS DRIVER_TEMPLATE');
    await run('DROP SERVICE IF EXISTS DRIVER_NEVER_CREATED');
  });

  it('runs job services asynchronously with replicas, and synchronously until done', async () => {
    await run(`EXECUTE JOB SERVICE IN COMPUTE POOL DEMO_CPU_POOL FROM SPECIFICATION $$${echoSpec}$$ NAME = DRIVER_ASYNC_JOB ASYNC = TRUE REPLICAS = 2`);
    const instances = await run('SHOW SERVICE INSTANCES IN SERVICE DRIVER_ASYNC_JOB');
    assert.equal(instances.rows.length, 2);
    // A synchronous job answers "still running" until its containers finish in emulated time.
    const timer = setInterval(() => elapse(30), 20);
    try {
      const sync = await run(`EXECUTE JOB SERVICE IN COMPUTE POOL DEMO_CPU_POOL NAME = DRIVER_SYNC_JOB FROM SPECIFICATION $$${echoSpec}$$`);
      assert.match(JSON.stringify(sync.rows), /completed successfully with status: DONE/);
    } finally {
      clearInterval(timer);
    }
  });

  it('lists the instances, containers, endpoints and roles of a service', async () => {
    assertColumns(await run('SHOW SERVICE INSTANCES IN SERVICE ECHO_SERVICE'), columns.instances);
    const containers = await run('SHOW SERVICE CONTAINERS IN SERVICE ECHO_SERVICE');
    assertColumns(containers, columns.containers);
    assert.equal(containers.rows.length, 2);
    assertColumns(await run('SHOW ENDPOINTS IN SERVICE ECHO_SERVICE'), columns.endpoints);
    const roles = await run('SHOW ROLES IN SERVICE ECHO_SERVICE');
    assert.ok(roles.rows.length >= 1);
  });

  it('returns service status and logs in every argument form', async () => {
    const status = await run("SELECT SYSTEM$GET_SERVICE_STATUS('ECHO_SERVICE')");
    assert.match(JSON.stringify(status.rows), /READY/);
    const logs = async (args: string): Promise<string> => {
      const value = Object.values((await run(`SELECT SYSTEM$GET_SERVICE_LOGS(${args})`)).rows[0] ?? {})[0];
      return typeof value === 'string' ? value : '';
    };
    assert.ok((await logs("'ECHO_SERVICE', '0', 'echo'")).length > 0);
    assert.equal((await logs("'ECHO_SERVICE', '0', 'echo', 5")).split('\n').filter(Boolean).length, 5);
    assert.ok((await logs("'LLM_SERVICE', '0', 'vllm', 10, TRUE")).length > 0, 'previous logs of a restarted container');
    const stamped = await logs("'ECHO_SERVICE', '0', 'echo', 3, FALSE, '', TRUE");
    assert.match(stamped, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z /);
    const since = stamped.split(' ')[0] ?? '';
    const after = await logs(`'ECHO_SERVICE', '0', 'echo', 100, FALSE, '${since}', TRUE`);
    assert.ok(after.split('\n').filter(Boolean).every((line) => (line.split(' ')[0] ?? '') >= since), 'since-timestamp filters');
  });

  it('lists image repositories in every scope and their images', async () => {
    assertColumns(await run('SHOW IMAGE REPOSITORIES IN ACCOUNT'), columns.repositories);
    for (const sql of ["SHOW IMAGE REPOSITORIES LIKE 'tutorial%' IN ACCOUNT", 'SHOW IMAGE REPOSITORIES IN DATABASE TUTORIAL_DB', 'SHOW IMAGE REPOSITORIES IN SCHEMA TUTORIAL_DB.DATA_SCHEMA']) {
      const listed = await run(sql);
      assert.ok(listed.rows.some((row) => row.name === 'TUTORIAL_REPOSITORY'), sql);
    }
    const images = await run('SHOW IMAGES IN IMAGE REPOSITORY TUTORIAL_DB.DATA_SCHEMA.TUTORIAL_REPOSITORY');
    assertColumns(images, columns.images);
    assert.ok(images.rows.some((row) => row.image_name === 'echo'));
  });

  it('lists stages, secrets and grants', async () => {
    assert.ok((await run('SHOW STAGES IN ACCOUNT')).rows.some((row) => row.name === 'SPECS'));
    assert.ok((await run('SHOW SECRETS IN ACCOUNT')).rows.some((row) => row.name === 'POSTGRES_CREDENTIALS'));
    assert.ok((await run(`SHOW GRANTS TO ROLE ${demo.role}`)).rows.length > 0);
  });

  it('switches role, database, schema and warehouse, and reports them', async () => {
    await run('USE ROLE SPCS_VIEWER');
    await run('USE DATABASE APP_DB');
    await run('USE SCHEMA BACKEND');
    await run('USE WAREHOUSE DEMO_WH');
    const current = await run('SELECT CURRENT_ROLE(), CURRENT_DATABASE(), CURRENT_SCHEMA(), CURRENT_WAREHOUSE(), CURRENT_USER()');
    assert.deepEqual(Object.values(current.rows[0] ?? {}), ['SPCS_VIEWER', 'APP_DB', 'BACKEND', 'DEMO_WH', 'DEMO_USER']);
    await run(`USE ROLE ${demo.role}`);
    await run(`USE SCHEMA ${demo.database}.${demo.schema}`);
  });

  it("follows Snowflake's lexical rules: case, quoted identifiers, comments, escapes", async () => {
    const listed = await run(`/* a comment */ show   services -- trailing\n like 'echo\\_service' in schema "SPCS_DEMO"."PUBLIC";`);
    assert.deepEqual(listed.rows.map((row) => row.name), ['ECHO_SERVICE']);
    const literal = await run("SELECT 'it''s', 'back\\\\slash', $$dollar 'quoted'$$");
    assert.deepEqual(Object.values(literal.rows[0] ?? {}), ["it's", 'back\\slash', "dollar 'quoted'"]);
  });

  it('fails loudly, the way Snowflake does, on what it does not support', async () => {
    const unsupported = await rejection(run('CREATE TABLE T (A INT)'));
    assert.equal(unsupported.code, '000002');
    const missing = await rejection(run('DESCRIBE SERVICE NO_SUCH_SERVICE'));
    assert.equal(missing.code, '002003');
    const syntax = await rejection(run('SELEC 1'));
    assert.equal(syntax.code, '001003');
  });
});
