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
    assertError(t.error('CREATE COMPUTE POOL p MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = NOT_A_FAMILY'), '001008', 'Invalid instance family NOT_A_FAMILY. Please refer to Snowflake documentation for supported instance families.');
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

/**
 * The AWS rows of the instance family table published on the CREATE COMPUTE POOL page and in "Working
 * with compute pools" (the emulated account is in AWS_US_WEST_2), transcribed here independently of
 * the shared table so that a drift in either is caught: vCPU, memory (AWS), storage in GB as published,
 * GPU, GPU memory per GPU and the description.
 */
const publishedAwsFamilies = [
  ['CPU_X64_XS', 1, 6, 100, '', 0, 0, 'Smallest instance available for Snowpark Containers. Ideal for cost-savings and getting started.'],
  ['CPU_X64_S', 3, 13, 100, '', 0, 0, 'Ideal for hosting multiple services/jobs while saving cost.'],
  ['CPU_X64_M', 6, 28, 100, '', 0, 0, 'Ideal for having a full stack application or multiple services'],
  ['CPU_X64_SL', 14, 54, 100, '', 0, 0, 'For applications which need a large number of CPUs, memory and Storage.'],
  ['CPU_X64_L', 28, 116, 100, '', 0, 0, 'For applications which need an unusually large number of CPUs, memory and Storage.'],
  ['HIGHMEM_X64_S', 6, 58, 100, '', 0, 0, 'For memory intensive applications.'],
  ['HIGHMEM_X64_M', 28, 240, 100, '', 0, 0, 'For hosting multiple memory intensive applications on a single machine.'],
  ['HIGHMEM_X64_L', 124, 984, 100, '', 0, 0, 'Largest AWS high-memory machine available for processing large in-memory data.'],
  ['GPU_NV_S', 6, 27, 300, 'NVIDIA A10G', 1, 24, 'Our smallest NVIDIA GPU size available for Snowpark Containers to get started.'],
  ['GPU_NV_M', 44, 178, 3400, 'NVIDIA A10G', 4, 24, 'Optimized for intensive GPU usage scenarios like Computer Vision or LLMs/VLMs.'],
  ['GPU_NV_L', 92, 1112, 6800, 'NVIDIA A100', 8, 40, 'Largest GPU instance for specialized and advanced GPU cases like LLMs and Clustering, etc.'],
] as const;

describe('SHOW COMPUTE POOL INSTANCE FAMILIES', () => {
  it('lists exactly the published AWS families with their published capacities, GPUs and descriptions', () => {
    const t = kit();
    const result = t.run('SHOW COMPUTE POOL INSTANCE FAMILIES');
    assert.deepEqual(
      result.columns.map((column) => [column.name, column.type]),
      [
        ['name', 'text'], ['description', 'text'], ['vcpu', 'fixed'], ['memory_gib', 'fixed'], ['storage_gib', 'real'], ['gpu', 'text'],
        ['gpu_count', 'fixed'], ['gpu_memory_gib', 'fixed'], ['current_node_usage', 'fixed'], ['message', 'text'],
      ],
    );
    const rows = t.rows('SHOW COMPUTE POOL INSTANCE FAMILIES');
    assert.deepEqual(rows.map((row) => row.name).sort(), publishedAwsFamilies.map(([name]) => name).sort(), 'the AWS families of the published table, no Azure or GCP one');
    for (const [name, vcpu, memory, storageGB, gpu, gpus, gpuMemory, description] of publishedAwsFamilies) {
      const row = rows.find((candidate) => candidate.name === name);
      assert.deepEqual(
        [row?.vcpu, row?.memory_gib, row?.gpu, row?.gpu_count, row?.gpu_memory_gib, row?.description],
        [String(vcpu), String(memory), gpu, String(gpus), String(gpuMemory), description],
        name,
      );
      // Storage is published in GB; the column is GiB (the REST API's CPU_X64_S example: 93.13).
      assert.equal(Number(row?.storage_gib), Math.round((storageGB * 1e9 * 100) / 2 ** 30) / 100, `${name} storage_gib`);
    }
    assert.equal(rows.find((row) => row.name === 'CPU_X64_S')?.storage_gib, '93.13');
    assert.match(rows.find((row) => row.name === 'GPU_NV_L')?.message ?? '', /on request/i, 'no published node limit');
    assert.equal(rows.find((row) => row.name === 'GPU_NV_S')?.message, '');
  });

  it('counts the nodes in use per family, and follows LIKE', () => {
    const t = kit();
    t.run('CREATE COMPUTE POOL gpu_small MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = gpu_nv_s');
    assert.equal(t.one("SHOW COMPUTE POOL INSTANCE FAMILIES LIKE 'GPU_NV_S'").current_node_usage, '0', 'STARTING: no node yet');
    t.advance(31);
    assert.equal(t.one("SHOW COMPUTE POOL INSTANCE FAMILIES LIKE 'gpu_nv_s'").current_node_usage, '1');
    assert.deepEqual(t.rows("SHOW COMPUTE POOL INSTANCE FAMILIES LIKE 'GPU%'").map((row) => row.name), ['GPU_NV_S', 'GPU_NV_M', 'GPU_NV_L']);
  });
});

describe('CREATE COMPUTE POOL options, defaults and refusals', () => {
  it('applies the documented defaults: AUTO_RESUME TRUE, AUTO_SUSPEND_SECS 3600, not suspended, no comment', () => {
    const t = kit();
    t.run('CREATE COMPUTE POOL defaults MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS');
    const pool = t.one("SHOW COMPUTE POOLS LIKE 'DEFAULTS'");
    assert.deepEqual(
      [pool.auto_resume, pool.auto_suspend_secs, pool.state, pool.comment, pool.placement_group, pool.backup_instance_families, pool.is_exclusive, pool.application],
      ['true', '3600', 'STARTING', null, null, null, 'false', null],
    );
  });

  it('takes every documented option', () => {
    const t = kit();
    const status = t.value(
      "CREATE COMPUTE POOL IF NOT EXISTS all_options MIN_NODES = 1 MAX_NODES = 4 INSTANCE_FAMILY = 'cpu_x64_m' AUTO_RESUME = FALSE INITIALLY_SUSPENDED = TRUE AUTO_SUSPEND_SECS = 0 WITH TAG (cost_center = 'ml') COMMENT = 'every option' PLACEMENT_GROUP = DISTRIBUTED BACKUP_INSTANCE_FAMILIES = ('CPU_X64_L', 'highmem_x64_s')",
    );
    assert.equal(status, 'Compute pool ALL_OPTIONS successfully created.');
    const pool = t.one("SHOW COMPUTE POOLS LIKE 'ALL_OPTIONS'");
    assert.deepEqual(
      [pool.instance_family, pool.min_nodes, pool.max_nodes, pool.auto_resume, pool.state, pool.auto_suspend_secs, pool.comment, pool.placement_group, pool.backup_instance_families],
      ['CPU_X64_M', '1', '4', 'false', 'SUSPENDED', '0', 'every option', 'DISTRIBUTED', '["CPU_X64_L","HIGHMEM_X64_S"]'],
    );
    assert.equal(pool.resumed_on, null, 'never resumed');
    t.run("CREATE COMPUTE POOL named_group MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS PLACEMENT_GROUP = 'pg-1'");
    assert.equal(t.one("SHOW COMPUTE POOLS LIKE 'NAMED_GROUP'").placement_group, 'pg-1');
  });

  it('refuses what the docs rule out, with Snowflake-style errors', () => {
    const t = kit();
    const create = (rest: string) => t.error(`CREATE COMPUTE POOL p ${rest}`);
    assertError(create('MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S'), '001003', 'SQL compilation error:\nCREATE COMPUTE POOL requires MIN_NODES.');
    assertError(create('MIN_NODES = 1 INSTANCE_FAMILY = CPU_X64_S'), '001003', 'SQL compilation error:\nCREATE COMPUTE POOL requires MAX_NODES.');
    assertError(create('MIN_NODES = 1 MAX_NODES = 1'), '001003', 'SQL compilation error:\nCREATE COMPUTE POOL requires INSTANCE_FAMILY.');
    assertError(create('MIN_NODES = 0 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S'), '001008', "SQL compilation error:\ninvalid value 0 for property 'MIN_NODES'");
    assertError(create('MIN_NODES = 3 MAX_NODES = 2 INSTANCE_FAMILY = CPU_X64_S'), '001008', 'SQL compilation error:\nMAX_NODES (2) must be greater than or equal to MIN_NODES (3).');
    assertError(create('MIN_NODES = 1.5 MAX_NODES = 2 INSTANCE_FAMILY = CPU_X64_S'), '001008', "SQL compilation error:\ninvalid value 1.5 for property 'MIN_NODES'");
    assertError(create('MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S AUTO_SUSPEND_SECS = -1'), '001008', "SQL compilation error:\ninvalid value -1 for property 'AUTO_SUSPEND_SECS'");
    assertError(create("MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S AUTO_RESUME = 'maybe'"), '001008', "SQL compilation error:\ninvalid value 'maybe' for property 'AUTO_RESUME'");
    assertError(create('MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S PLACEMENT_GROUP = 7'), '001008', "SQL compilation error:\ninvalid value 7 for property 'PLACEMENT_GROUP'");
    // Azure-only, GCP-only and unpublished newer-generation families are not offered in this AWS account.
    for (const familyName of ['GPU_NV_XS', 'GPU_GCP_NV_L4_1_24G', 'HIGHMEM_X64_SL', 'GEN_X64_G2_8', 'STANDARD_1']) {
      assertError(create(`MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = ${familyName}`), '001008', `Invalid instance family ${familyName}. Please refer to Snowflake documentation for supported instance families.`);
    }
    assertError(create("MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S BACKUP_INSTANCE_FAMILIES = ('CPU_X64_S')"), '001008', /families must be distinct and differ from INSTANCE_FAMILY/);
    assertError(create("MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S BACKUP_INSTANCE_FAMILIES = ('CPU_X64_M', 'cpu_x64_m')"), '001008', /families must be distinct/);
    assertError(t.error('CREATE COMPUTE POOL "my pool" MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S'), '001008', "SQL compilation error:\nInvalid compute pool name 'my pool'. Quoted names for special characters or case-sensitive names are not supported.");
    assertError(t.error('CREATE COMPUTE POOL "lower" MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S'), '001008', /Invalid compute pool name 'lower'/);
    assert.equal(t.value('CREATE COMPUTE POOL "QUOTED_UPPER" MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S'), 'Compute pool QUOTED_UPPER successfully created.', 'a quoted name that needs no quotes is fine');
    assertError(t.error('CREATE COMPUTE POOL db.p MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S'), '001008', /expected an unqualified name/);
    assertError(t.error('CREATE COMPUTE POOL app_pool FOR APPLICATION my_app MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S'), '000002', "Unsupported feature 'FOR APPLICATION'.");
    assertError(t.error('CREATE OR REPLACE COMPUTE POOL p MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_S'), '000002', "Unsupported feature 'CREATE OR REPLACE COMPUTE POOL'.");
    assert.deepEqual(t.rows("SHOW COMPUTE POOLS LIKE 'P'"), [], 'nothing was created by a refused statement');
  });

  it('starts with one node and RESIZES up to MIN_NODES', () => {
    const t = kit();
    t.run('CREATE COMPUTE POOL wide MIN_NODES = 3 MAX_NODES = 3 INSTANCE_FAMILY = CPU_X64_XS');
    const at = () => t.one("SHOW COMPUTE POOLS LIKE 'WIDE'");
    assert.deepEqual([at().state, at().target_nodes, at().idle_nodes], ['STARTING', '3', '0']);
    t.advance(31);
    assert.deepEqual([at().state, at().target_nodes, at().idle_nodes], ['RESIZING', '3', '1']);
    assert.equal(t.one('DESCRIBE COMPUTE POOL wide').status_message, 'Compute pool is resizing. Nodes are being added or removed.');
    t.advance(20);
    assert.deepEqual([at().state, at().target_nodes, at().idle_nodes], ['IDLE', '3', '3']);
    t.run('ALTER COMPUTE POOL wide SET MAX_NODES = 5 MIN_NODES = 5');
    assert.deepEqual([at().state, at().target_nodes, at().idle_nodes], ['RESIZING', '5', '3']);
    t.advance(21);
    assert.deepEqual([at().state, at().idle_nodes], ['IDLE', '5']);
    t.run("ALTER COMPUTE POOL wide SET COMMENT = 'no resize'");
    assert.equal(at().state, 'IDLE');
  });
});

describe('ALTER COMPUTE POOL as documented', () => {
  it('keeps jobs running when the pool is suspended: STOPPING until they end, then SUSPENDED', () => {
    const t = kit();
    const trainer = 'spec:\n  containers:\n    - name: trainer\n      image: /ml_db/training/images/xgboost-trainer:1.8.0\n      env:\n        SPCS_EMULATOR_JOB_SECONDS: 300\n';
    t.run(`EXECUTE JOB SERVICE IN COMPUTE POOL demo_cpu_pool NAME = long_job ASYNC = TRUE FROM SPECIFICATION $$${trainer}$$`);
    t.advance(15);
    assert.equal(t.one("SHOW JOB SERVICES LIKE 'LONG_JOB'").status, 'RUNNING');
    t.run('ALTER COMPUTE POOL demo_cpu_pool SUSPEND');
    t.advance(60);
    let pool = t.one("SHOW COMPUTE POOLS LIKE 'DEMO_CPU_POOL'");
    assert.deepEqual([pool.state, pool.num_jobs, pool.active_nodes], ['STOPPING', '1', '1'], 'the job keeps its node');
    assert.equal(t.one("SHOW SERVICES LIKE 'ECHO_SERVICE'").status, 'SUSPENDED', 'services are suspended at once');
    assert.equal(t.one("SHOW JOB SERVICES LIKE 'LONG_JOB'").status, 'RUNNING', 'not cancelled');
    t.advance(300);
    assert.equal(t.one("SHOW JOB SERVICES LIKE 'LONG_JOB'").status, 'DONE');
    pool = t.one("SHOW COMPUTE POOLS LIKE 'DEMO_CPU_POOL'");
    assert.deepEqual([pool.state, pool.active_nodes], ['SUSPENDED', '0']);
  });

  it('changes INSTANCE_FAMILY and PLACEMENT_GROUP only while the pool is fully suspended', () => {
    const t = kit();
    const admin = t.session('SYSADMIN');
    assertError(
      t.error('ALTER COMPUTE POOL demo_cpu_pool SET INSTANCE_FAMILY = CPU_X64_M', admin),
      '391433',
      'INSTANCE_FAMILY of compute pool DEMO_CPU_POOL can be changed only while the pool is fully suspended. Run ALTER COMPUTE POOL DEMO_CPU_POOL SUSPEND and wait until its state is SUSPENDED.',
    );
    assert.equal(t.error("ALTER COMPUTE POOL demo_cpu_pool SET PLACEMENT_GROUP = 'pg-2'", admin).code, '391433');
    assert.equal(t.value('ALTER COMPUTE POOL demo_cpu_pool SET INSTANCE_FAMILY = cpu_x64_s', admin), 'Statement executed successfully.', 'the same family is no change');
    t.run('ALTER COMPUTE POOL demo_cpu_pool SUSPEND', admin);
    assert.equal(t.error('ALTER COMPUTE POOL demo_cpu_pool SET INSTANCE_FAMILY = CPU_X64_M', admin).code, '391433', 'STOPPING is not fully suspended');
    t.advance(20);
    t.run("ALTER COMPUTE POOL demo_cpu_pool SET INSTANCE_FAMILY = CPU_X64_M PLACEMENT_GROUP = 'pg-2'", admin);
    let pool = t.one("SHOW COMPUTE POOLS LIKE 'DEMO_CPU_POOL'");
    assert.deepEqual([pool.instance_family, pool.placement_group], ['CPU_X64_M', 'pg-2']);
    assertError(t.error('ALTER COMPUTE POOL demo_cpu_pool SET INSTANCE_FAMILY = GPU_NV_XS', admin), '001008', /Invalid instance family GPU_NV_XS/);
    t.run('ALTER COMPUTE POOL demo_cpu_pool UNSET PLACEMENT_GROUP', admin);
    t.run('ALTER COMPUTE POOL demo_cpu_pool RESUME', admin);
    pool = t.one("SHOW COMPUTE POOLS LIKE 'DEMO_CPU_POOL'");
    assert.deepEqual([pool.state, pool.placement_group], ['STARTING', null]);
    assert.equal(t.error('ALTER COMPUTE POOL demo_cpu_pool UNSET PLACEMENT_GROUP', admin).code, '391433');
  });

  it('sets and unsets every documented property and tags, in both tag forms', () => {
    const t = kit();
    const admin = t.session('SYSADMIN');
    t.run("ALTER COMPUTE POOL demo_gpu_pool SET MIN_NODES = 1 MAX_NODES = 2 AUTO_RESUME = FALSE AUTO_SUSPEND_SECS = 600 TAG cost_center = 'ml', owner_team = 'serving' COMMENT = 'tagged' BACKUP_INSTANCE_FAMILIES = ('GPU_NV_S')", admin);
    let pool = t.one("SHOW COMPUTE POOLS LIKE 'DEMO_GPU_POOL'");
    assert.deepEqual([pool.auto_resume, pool.auto_suspend_secs, pool.comment, pool.backup_instance_families], ['false', '600', 'tagged', '["GPU_NV_S"]']);
    const record = t.account.control.store.state.computePools.DEMO_GPU_POOL;
    assert.deepEqual(record?.tags, { COST_CENTER: 'ml', OWNER_TEAM: 'serving' });
    t.run("ALTER COMPUTE POOL demo_gpu_pool SET TAG (region_tag = 'us')", admin);
    t.run('ALTER COMPUTE POOL demo_gpu_pool UNSET TAG cost_center, owner_team', admin);
    assert.deepEqual(record?.tags, { REGION_TAG: 'us' });
    t.run('ALTER COMPUTE POOL demo_gpu_pool UNSET AUTO_RESUME, AUTO_SUSPEND_SECS, COMMENT, BACKUP_INSTANCE_FAMILIES', admin);
    pool = t.one("SHOW COMPUTE POOLS LIKE 'DEMO_GPU_POOL'");
    assert.deepEqual([pool.auto_resume, pool.auto_suspend_secs, pool.comment, pool.backup_instance_families], ['true', '3600', null, null]);
    assertError(t.error('ALTER COMPUTE POOL demo_gpu_pool UNSET MIN_NODES', admin), '001008', "SQL compilation error:\ninvalid property 'MIN_NODES' for 'COMPUTE_POOL'");
    assertError(t.error('ALTER COMPUTE POOL demo_gpu_pool SET COLOR = 1', admin), '001008', "SQL compilation error:\ninvalid property 'COLOR' for 'COMPUTE_POOL'");
    assertError(t.error('ALTER COMPUTE POOL demo_gpu_pool STOP ALL OF TYPE SERVICE', admin), '000002', "Unsupported feature 'OF TYPE'.");
    assertError(t.error('ALTER COMPUTE POOL nope SET COMMENT = \'x\'', admin), '002003', "SQL compilation error:\nCompute pool 'NOPE' does not exist or not authorized.");
  });

  it('needs OPERATE to suspend, resume and stop all, MODIFY to set, OWNERSHIP to drop', () => {
    const t = kit();
    const admin = t.session('ACCOUNTADMIN');
    t.run('CREATE ROLE pool_operator', admin);
    t.run('CREATE ROLE pool_modifier', admin);
    t.run('CREATE COMPUTE POOL shared_pool MIN_NODES = 1 MAX_NODES = 2 INSTANCE_FAMILY = CPU_X64_XS', admin);
    t.run('GRANT OPERATE ON COMPUTE POOL shared_pool TO ROLE pool_operator', admin);
    t.run('GRANT MODIFY ON COMPUTE POOL shared_pool TO ROLE pool_modifier', admin);
    const operator = t.session('POOL_OPERATOR');
    const modifier = t.session('POOL_MODIFIER');
    const denied = "SQL access control error:\nInsufficient privileges to operate on compute pool 'SHARED_POOL'.";
    assert.equal(t.value('ALTER COMPUTE POOL shared_pool SUSPEND', operator), 'Statement executed successfully.');
    assert.equal(t.value('ALTER COMPUTE POOL shared_pool RESUME', operator), 'Statement executed successfully.');
    assert.equal(t.value('ALTER COMPUTE POOL shared_pool STOP ALL', operator), 'Statement executed successfully.');
    assertError(t.error('ALTER COMPUTE POOL shared_pool SET MAX_NODES = 3', operator), '003001', denied);
    assert.equal(t.value('ALTER COMPUTE POOL shared_pool SET MAX_NODES = 3', modifier), 'Statement executed successfully.');
    assert.equal(t.value('ALTER COMPUTE POOL shared_pool UNSET COMMENT', modifier), 'Statement executed successfully.');
    for (const action of ['SUSPEND', 'RESUME', 'STOP ALL']) assertError(t.error(`ALTER COMPUTE POOL shared_pool ${action}`, modifier), '003001', denied);
    for (const session of [operator, modifier]) assertError(t.error('DROP COMPUTE POOL shared_pool', session), '003001', denied);
    assertError(t.error('DESCRIBE COMPUTE POOL shared_pool', t.session('SPCS_VIEWER', 'VIEWER_USER')), '002003', "SQL compilation error:\nCompute pool 'SHARED_POOL' does not exist or not authorized.");
    assert.equal(t.value('DROP COMPUTE POOL shared_pool', admin), 'SHARED_POOL successfully dropped.');
  });
});

describe('DROP COMPUTE POOL as documented', () => {
  it('refuses while services exist and names them, and aborts jobs with the pool', () => {
    const t = kit();
    const admin = t.session('SYSADMIN');
    assertError(
      t.error('DROP COMPUTE POOL demo_cpu_pool', admin),
      '391427',
      'Cannot drop compute pool DEMO_CPU_POOL because it has 3 service(s): SPCS_DEMO.PUBLIC.ECHO_SERVICE, SPCS_DEMO.PUBLIC.ORDERS_SERVICE, SPCS_DEMO.PUBLIC.REPORTING_SERVICE. Drop them, or run ALTER COMPUTE POOL DEMO_CPU_POOL STOP ALL, first.',
    );
    // A suspended service still belongs to the pool (CHOSEN).
    t.run('ALTER SERVICE llm_service SUSPEND');
    assert.equal(t.error('DROP COMPUTE POOL demo_gpu_pool', admin).code, '391427');
    t.run('DROP SERVICE llm_service');
    const trainer = 'spec:\n  containers:\n    - name: trainer\n      image: /ml_db/training/images/xgboost-trainer:1.8.0\n';
    t.run(`EXECUTE JOB SERVICE IN COMPUTE POOL demo_gpu_pool NAME = running_job ASYNC = TRUE FROM SPECIFICATION $$${trainer}$$`);
    assert.equal(t.value('DROP COMPUTE POOL demo_gpu_pool', admin), 'DEMO_GPU_POOL successfully dropped.', 'jobs (running or done) do not stop the drop');
    assert.deepEqual(t.rows('SHOW JOB SERVICES IN ACCOUNT', t.session('ACCOUNTADMIN')), [], 'the running job and the finished nightly job went with the pool');
    t.run('ALTER COMPUTE POOL demo_cpu_pool STOP ALL');
    assert.equal(t.value('DROP COMPUTE POOL demo_cpu_pool', admin), 'DEMO_CPU_POOL successfully dropped.');
  });
});
