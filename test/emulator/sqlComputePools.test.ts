/**
 * Compute pool statements against the engine: SHOW / DESCRIBE columns in Snowflake's order, CREATE
 * checks, ALTER (SUSPEND, RESUME, STOP ALL, SET, UNSET), DROP, instance families, and pool states
 * moving with the clock (STARTING → IDLE/ACTIVE, STOPPING → SUSPENDED, auto-suspend, auto-resume).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertError, echoSpec, kit } from './sqlKit';

const poolColumns = [
  'name', 'state', 'min_nodes', 'max_nodes', 'instance_family', 'num_services', 'num_jobs', 'auto_suspend_secs', 'auto_resume',
  'active_nodes', 'idle_nodes', 'target_nodes', 'created_on', 'resumed_on', 'updated_on', 'owner', 'comment', 'is_exclusive',
  'application', 'placement_group', 'backup_instance_families',
];

describe('SHOW / DESCRIBE COMPUTE POOLS', () => {
  it('lists the pools with Snowflake columns in order and typed cells', () => {
    const t = kit();
    const result = t.run('SHOW COMPUTE POOLS');
    assert.deepEqual(result.columns.map((column) => column.name), poolColumns);
    assert.equal(result.columns.find((column) => column.name === 'created_on')?.type, 'timestamp_ltz');
    assert.equal(result.columns.find((column) => column.name === 'created_on')?.scale, 9);
    assert.equal(result.columns.find((column) => column.name === 'min_nodes')?.type, 'fixed');
    assert.equal(result.columns.find((column) => column.name === 'auto_resume')?.type, 'boolean');
    const rows = t.rows('SHOW COMPUTE POOLS');
    assert.deepEqual(rows.map((row) => [row.name, row.state, row.instance_family]), [
      ['DEMO_CPU_POOL', 'ACTIVE', 'CPU_X64_S'],
      ['DEMO_GPU_POOL', 'ACTIVE', 'GPU_NV_M'],
      ['SUSPENDED_POOL', 'SUSPENDED', 'CPU_X64_XS'],
    ]);
    const cpu = rows[0];
    assert.equal(cpu?.num_services, '3');
    assert.equal(cpu?.auto_resume, 'true');
    assert.match(cpu?.created_on ?? '', /^\d+\.\d{9}$/);
  });

  it('filters with LIKE (case-insensitive, % and _), STARTS WITH and LIMIT', () => {
    const t = kit();
    assert.deepEqual(t.rows("SHOW COMPUTE POOLS LIKE 'demo%'").map((row) => row.name), ['DEMO_CPU_POOL', 'DEMO_GPU_POOL']);
    assert.deepEqual(t.rows("SHOW COMPUTE POOLS LIKE 'DEMO_?PU_POOL'").map((row) => row.name), []);
    assert.deepEqual(t.rows("SHOW COMPUTE POOLS LIKE 'demo__pu_pool'").map((row) => row.name), ['DEMO_CPU_POOL', 'DEMO_GPU_POOL']);
    assert.deepEqual(t.rows("SHOW COMPUTE POOLS STARTS WITH 'SUS'").map((row) => row.name), ['SUSPENDED_POOL']);
    assert.deepEqual(t.rows('SHOW COMPUTE POOLS LIMIT 1').map((row) => row.name), ['DEMO_CPU_POOL']);
  });

  it('describes a pool with the extra columns, or says it does not exist', () => {
    const t = kit();
    const result = t.run('DESCRIBE COMPUTE POOL demo_gpu_pool');
    assert.deepEqual(result.columns.map((column) => column.name), [...poolColumns, 'budget', 'error_code', 'status_message']);
    assert.equal(t.one('DESC COMPUTE POOL DEMO_GPU_POOL').status_message, 'Compute pool is active for running workloads.');
    assertError(t.error('DESCRIBE COMPUTE POOL nope'), '002003', "SQL compilation error:\nCompute pool 'NOPE' does not exist or not authorized.");
    assert.equal(t.error('DESCRIBE COMPUTE POOL nope').sqlState, '02000');
  });

  it('lists instance families with capacities', () => {
    const t = kit();
    const result = t.run("SHOW COMPUTE POOL INSTANCE FAMILIES LIKE 'GPU_NV_M'");
    assert.deepEqual(result.columns.map((column) => column.name), ['name', 'description', 'vcpu', 'memory_gib', 'storage_gib', 'gpu', 'gpu_count', 'gpu_memory_gib', 'current_node_usage', 'message']);
    const row = t.one("SHOW COMPUTE POOL INSTANCE FAMILIES LIKE 'GPU_NV_M'");
    assert.equal(row.vcpu, '44');
    assert.equal(row.gpu_count, '4');
    assert.equal(row.gpu, 'NVIDIA A10G');
    assert.equal(row.current_node_usage, '1');
    assert.ok(t.rows('SHOW COMPUTE POOL INSTANCE FAMILIES').some((family) => family.name === 'CPU_X64_XS'));
  });
});

describe('CREATE / ALTER / DROP COMPUTE POOL', () => {
  it('creates a pool that starts, then idles, then runs a service', () => {
    const t = kit();
    assert.equal(t.value('CREATE COMPUTE POOL my_pool MIN_NODES = 1 MAX_NODES = 2 INSTANCE_FAMILY = cpu_x64_xs'), 'Compute pool MY_POOL successfully created.');
    let pool = t.one("SHOW COMPUTE POOLS LIKE 'MY_POOL'");
    assert.deepEqual([pool.state, pool.owner, pool.auto_suspend_secs, pool.target_nodes, pool.active_nodes], ['STARTING', 'SPCS_DEVELOPER', '3600', '1', '0']);
    t.advance(31);
    pool = t.one("SHOW COMPUTE POOLS LIKE 'MY_POOL'");
    assert.deepEqual([pool.state, pool.idle_nodes, pool.active_nodes], ['IDLE', '1', '0']);
    t.run(`CREATE SERVICE s IN COMPUTE POOL my_pool FROM SPECIFICATION $$${echoSpec()}$$`);
    pool = t.one("SHOW COMPUTE POOLS LIKE 'MY_POOL'");
    assert.deepEqual([pool.state, pool.num_services, pool.active_nodes, pool.idle_nodes], ['ACTIVE', '1', '1', '0']);
  });

  it('checks required properties and values', () => {
    const t = kit();
    assert.match(t.error('CREATE COMPUTE POOL p MIN_NODES = 1 MAX_NODES = 1').message, /INSTANCE_FAMILY/);
    assert.match(t.error('CREATE COMPUTE POOL p MIN_NODES = 2 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S').message, /MAX_NODES \(1\) must be greater/);
    assert.match(t.error('CREATE COMPUTE POOL p MIN_NODES = 0 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S').message, /invalid value 0 for property 'MIN_NODES'/);
    assert.match(t.error('CREATE COMPUTE POOL p MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = NOT_A_FAMILY').message, /INSTANCE_FAMILY/);
    assert.match(t.error('CREATE COMPUTE POOL p MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S COLOR = 1').message, /invalid property 'COLOR'/);
    assertError(t.error('CREATE COMPUTE POOL demo_cpu_pool MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S'), '002002', "SQL compilation error:\nObject 'DEMO_CPU_POOL' already exists.");
    assert.equal(t.value('CREATE COMPUTE POOL IF NOT EXISTS demo_cpu_pool MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S'), 'DEMO_CPU_POOL already exists, statement succeeded.');
  });

  it('needs CREATE COMPUTE POOL on the account', () => {
    const t = kit();
    const viewer = t.session('SPCS_VIEWER', 'VIEWER_USER');
    assertError(t.error('CREATE COMPUTE POOL p MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S', viewer), '003001', "SQL access control error:\nInsufficient privileges to operate on account 'SPCS_EMULATOR'.");
  });

  it('suspends a pool (STOPPING → SUSPENDED) together with its services, and resumes it', () => {
    const t = kit();
    t.run('ALTER COMPUTE POOL demo_cpu_pool SUSPEND');
    assert.equal(t.one("SHOW COMPUTE POOLS LIKE 'DEMO_CPU_POOL'").state, 'STOPPING');
    assert.equal(t.one("SHOW SERVICES LIKE 'ECHO_SERVICE'").status, 'SUSPENDING');
    t.advance(20);
    assert.equal(t.one("SHOW COMPUTE POOLS LIKE 'DEMO_CPU_POOL'").state, 'SUSPENDED');
    assert.equal(t.one("SHOW SERVICES LIKE 'ECHO_SERVICE'").status, 'SUSPENDED');
    t.run('ALTER COMPUTE POOL demo_cpu_pool RESUME');
    const pool = t.one("SHOW COMPUTE POOLS LIKE 'DEMO_CPU_POOL'");
    assert.equal(pool.state, 'STARTING');
    assert.equal(pool.resumed_on, `${Math.floor(t.clock.now() / 1000)}.000000000`);
    t.advance(31);
    // Services suspended with the pool stay suspended until resumed themselves, so the pool idles.
    assert.equal(t.one("SHOW COMPUTE POOLS LIKE 'DEMO_CPU_POOL'").state, 'IDLE');
    assert.equal(t.one("SHOW SERVICES LIKE 'ECHO_SERVICE'").status, 'SUSPENDED');
  });

  it('auto-suspends an idle pool after AUTO_SUSPEND_SECS and auto-resumes it for a new service', () => {
    const t = kit();
    t.run('CREATE COMPUTE POOL p MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS AUTO_SUSPEND_SECS = 600');
    t.advance(30 + 599);
    assert.equal(t.one("SHOW COMPUTE POOLS LIKE 'P'").state, 'IDLE');
    t.advance(2);
    assert.equal(t.one("SHOW COMPUTE POOLS LIKE 'P'").state, 'SUSPENDED');
    t.run(`CREATE SERVICE s IN COMPUTE POOL p FROM SPECIFICATION $$${echoSpec()}$$`);
    assert.equal(t.one("SHOW COMPUTE POOLS LIKE 'P'").state, 'STARTING');
    const containers = t.rows('SHOW SERVICE CONTAINERS IN SERVICE s');
    assert.equal(containers[0]?.message, 'Compute pool node(s) are being provisioned');
    t.advance(30 + 30);
    assert.equal(t.one('SHOW SERVICE CONTAINERS IN SERVICE s').status, 'READY');
  });

  it('refuses a new service in a suspended pool with AUTO_RESUME = FALSE', () => {
    const t = kit();
    t.run('ALTER COMPUTE POOL suspended_pool SET AUTO_RESUME = FALSE', t.session('SYSADMIN'));
    const error = t.error(`CREATE SERVICE s IN COMPUTE POOL suspended_pool FROM SPECIFICATION $$${echoSpec()}$$`);
    assert.equal(error.code, '391426');
    assert.match(error.message, /SUSPENDED_POOL is suspended/);
  });

  it('stops all services and jobs with STOP ALL', () => {
    const t = kit();
    t.run('ALTER COMPUTE POOL demo_cpu_pool STOP ALL');
    assert.deepEqual(t.rows('SHOW SERVICES IN COMPUTE POOL demo_cpu_pool'), []);
    assert.equal(t.one("SHOW COMPUTE POOLS LIKE 'DEMO_CPU_POOL'").num_services, '0');
  });

  it('sets and unsets properties (MODIFY), needing OPERATE to suspend', () => {
    const t = kit();
    assertError(t.error("ALTER COMPUTE POOL demo_cpu_pool SET COMMENT = 'x'"), '003001', "SQL access control error:\nInsufficient privileges to operate on compute pool 'DEMO_CPU_POOL'.");
    const admin = t.session('SYSADMIN');
    t.run("ALTER COMPUTE POOL demo_cpu_pool SET MAX_NODES = 5 AUTO_SUSPEND_SECS = 120 COMMENT = 'bigger'", admin);
    let pool = t.one("SHOW COMPUTE POOLS LIKE 'DEMO_CPU_POOL'");
    assert.deepEqual([pool.max_nodes, pool.auto_suspend_secs, pool.comment], ['5', '120', 'bigger']);
    t.run('ALTER COMPUTE POOL demo_cpu_pool UNSET AUTO_SUSPEND_SECS, COMMENT', admin);
    pool = t.one("SHOW COMPUTE POOLS LIKE 'DEMO_CPU_POOL'");
    assert.deepEqual([pool.auto_suspend_secs, pool.comment], ['3600', null]);
    assert.match(t.error('ALTER COMPUTE POOL demo_cpu_pool SET MIN_NODES = 9', admin).message, /MAX_NODES \(5\) must be greater/);
    const viewer = t.session('SPCS_VIEWER', 'VIEWER_USER');
    assert.equal(t.error('ALTER COMPUTE POOL demo_gpu_pool SUSPEND', viewer).code, '003001');
    assert.equal(t.value('ALTER COMPUTE POOL IF EXISTS nope SUSPEND'), 'Statement executed successfully.');
  });

  it('drops a pool only when it is empty and owned', () => {
    const t = kit();
    const admin = t.session('SYSADMIN');
    assert.equal(t.error('DROP COMPUTE POOL suspended_pool').code, '003001');
    assert.equal(t.value('DROP COMPUTE POOL suspended_pool', admin), 'SUSPENDED_POOL successfully dropped.');
    assert.equal(t.error('DROP COMPUTE POOL demo_cpu_pool', admin).code, '391427');
    assert.equal(t.value('DROP COMPUTE POOL IF EXISTS suspended_pool', admin), 'Drop statement executed successfully (SUSPENDED_POOL already dropped).');
    assert.equal(t.error('DROP COMPUTE POOL suspended_pool', admin).code, '002003');
  });
});
