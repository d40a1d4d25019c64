/**
 * The seeds: `empty` (the account, ACCOUNTADMIN, one user, one warehouse, database and schema) and
 * `demo` (roles for developers and viewers, CPU and GPU compute pools, image repositories holding
 * every image the repository's samples use, stages with spec files and model weights, secrets of each
 * type (one a Hugging Face token), an external access integration, services that are running, failed
 * and done, and a gateway in front of the echo service), plus `seedServices` for benchmarks.
 *
 * The demo is built with the emulator's own SQL, run at moments in the past (the clock is pinned
 * while seeding), so its services went through the same validation and lifecycle as any other and
 * are READY, FAILED or DONE by the time the emulator starts, with a day of history in the event
 * table (ALTER ACCOUNT SET LOG_EVENT_LEVEL = 'INFO' records platform events from the start):
 *   - ECHO_SERVICE (2 instances) and ORDERS_SERVICE run for the whole day;
 *   - LLM_SERVICE (GPU pool, platform metrics `system` and `system_limits`) ran vLLM 0.6.2 for most
 *     of the day, was upgraded to 0.6.3 two hours ago, and its vllm container was OOM-killed 50
 *     minutes ago after its memory climbed to the 160Gi limit (it restarted; memory is climbing
 *     again, towards ~94 % of the limit);
 *   - NIGHTLY_TRAINING_JOB finished ten hours ago (its logs stay readable in SPCS_GET_LOGS);
 *   - REPORTING_SERVICE failed an hour ago: its image tag was never pushed (metrics `status`:
 *     pending with reason FailedToPullImage).
 *
 * Credentials (for the protocol side and the client's tests):
 *   DEMO_USER / demo-password-1: default role SPCS_DEVELOPER (demo) or ACCOUNTADMIN (empty),
 *     warehouse DEMO_WH, database SPCS_DEMO, schema PUBLIC; may also use ACCOUNTADMIN, SYSADMIN, SPCS_VIEWER.
 *   VIEWER_USER / viewer-password-1 (demo only): SPCS_VIEWER only (USAGE/MONITOR, no OWNERSHIP,
 *     no BIND SERVICE ENDPOINT).
 */

import type { Clock, PendingResult, ResultSet, SessionContext } from '../contract';
import { isPending } from '../contract';
import { createSqlEngine } from '../sql/engine';
import { sha256Hex } from './hashing';
import { jobFinishesAt } from './lifecycle';
import type { ServiceRecord, SpecVersion, UserRecord } from './model';
import { objectKey, schemaKey } from './names';
import { readSpec } from './specs';
import * as specs from './seedSpecs';
import { AccountStore, emptyState } from './store';

const accountName = 'SPCS_EMULATOR';
const hour = 3_600_000;
const minute = 60_000;
/** How long before "now" the demo account was set up: a little more than the day of history. */
const demoStart = 26 * hour;

type Pin = (time: number | undefined) => void;

function user(name: string, password: string, defaultRole: string, createdOn: number): UserRecord {
  return {
    name,
    loginName: name,
    password,
    defaultRole,
    defaultWarehouse: 'DEMO_WH',
    defaultDatabase: 'SPCS_DEMO',
    defaultSchema: 'PUBLIC',
    createdOn,
  };
}

function addRole(store: AccountStore, name: string, owner: string, createdOn: number, comment?: string): void {
  store.state.roles[name] = { name, owner, createdOn, ...(comment !== undefined ? { comment } : {}) };
}

/** Runs seed SQL, failing loudly: a seed statement that fails is an emulator bug. */
function sqlRunner(store: AccountStore): (sql: string, session: Partial<SessionContext>) => ResultSet {
  const engine = createSqlEngine(store);
  return (sql, session) => {
    const result: ResultSet | PendingResult = engine.execute(sql, {
      sessionId: 'seed',
      user: 'DEMO_USER',
      role: 'ACCOUNTADMIN',
      database: undefined,
      schema: undefined,
      warehouse: 'DEMO_WH',
      ...session,
    });
    if (isPending(result)) throw new Error(`Seed statement did not complete: ${sql}`);
    return result;
  };
}

export function seedAccount(clock: Clock, kind: 'demo' | 'empty', pin: Pin): AccountStore {
  const now = clock.now();
  const store = new AccountStore(clock, emptyState(accountName, now - 30 * 24 * hour));
  const created = now - (kind === 'demo' ? demoStart : 24 * hour);
  pin(created);
  addRole(store, 'ACCOUNTADMIN', 'ACCOUNTADMIN', created, 'Account administrator can manage all aspects of the account.');
  addRole(store, 'PUBLIC', 'ACCOUNTADMIN', created, 'Public role is automatically available to every user in the account.');
  if (kind === 'empty') {
    store.state.users.DEMO_USER = user('DEMO_USER', 'demo-password-1', 'ACCOUNTADMIN', created);
    store.grantRole('ACCOUNTADMIN', 'USER', 'DEMO_USER', 'ACCOUNTADMIN');
    const run = sqlRunner(store);
    run('CREATE WAREHOUSE DEMO_WH WAREHOUSE_SIZE = XSMALL', {});
    run('CREATE DATABASE SPCS_DEMO', {});
    pin(undefined);
    return store;
  }
  seedDemo(store, now, pin);
  pin(undefined);
  return store;
}

function seedDemo(store: AccountStore, now: number, pin: Pin): void {
  const created = now - demoStart;
  addRole(store, 'SECURITYADMIN', 'ACCOUNTADMIN', created, 'Security administrator can manage security aspects of the account.');
  addRole(store, 'USERADMIN', 'ACCOUNTADMIN', created, 'User administrator can create and manage users and roles');
  addRole(store, 'SYSADMIN', 'ACCOUNTADMIN', created, 'System administrator can create and manage databases and warehouses.');
  addRole(store, 'SPCS_DEVELOPER', 'ACCOUNTADMIN', created, 'Builds, deploys and operates Snowpark Container Services.');
  addRole(store, 'SPCS_VIEWER', 'ACCOUNTADMIN', created, 'Watches services: USAGE and MONITOR only.');
  store.grantRole('SECURITYADMIN', 'ROLE', 'ACCOUNTADMIN', 'ACCOUNTADMIN');
  store.grantRole('USERADMIN', 'ROLE', 'SECURITYADMIN', 'ACCOUNTADMIN');
  store.grantRole('SYSADMIN', 'ROLE', 'ACCOUNTADMIN', 'ACCOUNTADMIN');
  store.grantRole('SPCS_DEVELOPER', 'ROLE', 'SYSADMIN', 'ACCOUNTADMIN');
  store.grantRole('SPCS_VIEWER', 'ROLE', 'SPCS_DEVELOPER', 'ACCOUNTADMIN');
  for (const role of ['SECURITYADMIN', 'USERADMIN', 'SYSADMIN', 'SPCS_DEVELOPER', 'SPCS_VIEWER']) {
    store.grant('OWNERSHIP', 'ROLE', role, 'ACCOUNTADMIN', 'ACCOUNTADMIN');
  }
  store.state.users.DEMO_USER = user('DEMO_USER', 'demo-password-1', 'SPCS_DEVELOPER', created);
  store.state.users.VIEWER_USER = user('VIEWER_USER', 'viewer-password-1', 'SPCS_VIEWER', created);
  for (const role of ['ACCOUNTADMIN', 'SYSADMIN', 'SPCS_DEVELOPER', 'SPCS_VIEWER']) {
    store.grantRole(role, 'USER', 'DEMO_USER', 'ACCOUNTADMIN');
  }
  store.grantRole('SPCS_VIEWER', 'USER', 'VIEWER_USER', 'ACCOUNTADMIN');
  for (const privilege of ['CREATE DATABASE', 'CREATE WAREHOUSE', 'CREATE COMPUTE POOL']) {
    store.grant(privilege, 'ACCOUNT', accountName, 'SYSADMIN', 'ACCOUNTADMIN');
  }
  store.grant('BIND SERVICE ENDPOINT', 'ACCOUNT', accountName, 'SPCS_DEVELOPER', 'ACCOUNTADMIN');
  store.grant('CREATE COMPUTE POOL', 'ACCOUNT', accountName, 'SPCS_DEVELOPER', 'ACCOUNTADMIN');

  const run = sqlRunner(store);
  const admin = { role: 'SYSADMIN' };
  // Platform events are recorded only where LOG_EVENT_LEVEL is set (it is OFF by default).
  run("ALTER ACCOUNT SET LOG_EVENT_LEVEL = 'INFO'", { role: 'ACCOUNTADMIN' });
  const setup = now - 25 * hour;
  pin(setup - 30 * minute);
  run('CREATE WAREHOUSE DEMO_WH WAREHOUSE_SIZE = XSMALL COMMENT = \'Warehouse for the demo\'', admin);
  for (const [database, schemas] of [
    ['SPCS_DEMO', ['PUBLIC']],
    ['TUTORIAL_DB', ['DATA_SCHEMA']],
    ['ML_DB', ['SERVING', 'TRAINING']],
    ['APP_DB', ['BACKEND']],
  ] as const) {
    run(`CREATE DATABASE ${database}`, admin);
    for (const schema of schemas) {
      if (schema !== 'PUBLIC') run(`CREATE SCHEMA ${database}.${schema}`, admin);
      for (const role of ['SPCS_DEVELOPER', 'SPCS_VIEWER']) {
        run(`GRANT USAGE ON SCHEMA ${database}.${schema} TO ROLE ${role}`, admin);
      }
    }
    for (const role of ['SPCS_DEVELOPER', 'SPCS_VIEWER']) run(`GRANT USAGE ON DATABASE ${database} TO ROLE ${role}`, admin);
  }
  run('GRANT CREATE SERVICE, CREATE STAGE, CREATE SECRET, CREATE IMAGE REPOSITORY, CREATE GATEWAY ON SCHEMA SPCS_DEMO.PUBLIC TO ROLE SPCS_DEVELOPER', admin);
  for (const role of ['SPCS_DEVELOPER', 'SPCS_VIEWER']) run(`GRANT USAGE ON WAREHOUSE DEMO_WH TO ROLE ${role}`, admin);

  // Compute pools.
  pin(setup);
  run('CREATE COMPUTE POOL DEMO_CPU_POOL MIN_NODES = 1 MAX_NODES = 3 INSTANCE_FAMILY = CPU_X64_S AUTO_SUSPEND_SECS = 3600 COMMENT = \'General-purpose pool for the demo services\'', admin);
  run('CREATE COMPUTE POOL DEMO_GPU_POOL MIN_NODES = 1 MAX_NODES = 2 INSTANCE_FAMILY = GPU_NV_M AUTO_SUSPEND_SECS = 3600 COMMENT = \'4 x NVIDIA A10G per node for LLM serving and training\'', admin);
  run('CREATE COMPUTE POOL SUSPENDED_POOL MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS INITIALLY_SUSPENDED = TRUE AUTO_RESUME = TRUE COMMENT = \'Suspended until someone needs it\'', admin);
  for (const pool of ['DEMO_CPU_POOL', 'DEMO_GPU_POOL', 'SUSPENDED_POOL']) {
    run(`GRANT USAGE, MONITOR, OPERATE ON COMPUTE POOL ${pool} TO ROLE SPCS_DEVELOPER`, admin);
    run(`GRANT MONITOR ON COMPUTE POOL ${pool} TO ROLE SPCS_VIEWER`, admin);
  }

  // Image repositories and images.
  const repositories = [
    ['TUTORIAL_DB.DATA_SCHEMA.TUTORIAL_REPOSITORY', [['echo', ['v1']], ['echo', ['v2', 'latest']], ['my_echo_service_image', ['latest']]]],
    ['ML_DB.SERVING.IMAGES', [['vllm-openai', ['0.6.2']], ['vllm-openai', ['0.6.3', 'latest']], ['chat-ui', ['1.3.2']], ['chat-ui', ['1.4.0', 'latest']]]],
    ['ML_DB.TRAINING.IMAGES', [['xgboost-trainer', ['1.7.6']], ['xgboost-trainer', ['1.8.0', 'latest']], ['xgboost-trainer', ['1.9.0-fail']]]],
    ['APP_DB.BACKEND.IMAGES', [['postgres', ['15.8']], ['postgres', ['16.4']], ['orders-api', ['2.3.0']], ['orders-api', ['2.3.1', 'latest']]]],
    ['SPCS_DEMO.PUBLIC.DEMO_REPO', [['reporting-api', ['1.0.0', 'latest']], ['flaky-worker', ['0.1.0-flaky']]]],
  ] as const;
  let offset = 0;
  for (const [name, images] of repositories) {
    run(`CREATE IMAGE REPOSITORY ${name}`, admin);
    run(`GRANT READ, WRITE ON IMAGE REPOSITORY ${name} TO ROLE SPCS_DEVELOPER`, admin);
    const key = objectKey(qualified(name));
    const repository = store.state.imageRepositories[key];
    for (const [image, tags] of images) {
      offset += 1;
      repository?.images.push({
        name: image,
        tags: [...tags],
        digest: `sha256:${sha256Hex(`${key}/${image}:${tags.join(',')}`)}`,
        sizeBytes: 30_000_000 + ((offset * 7_919_993) % 900_000_000),
        createdOn: setup + offset * 60_000,
      });
    }
  }

  // Stages, with the spec files.
  for (const stage of ['SPCS_DEMO.PUBLIC.SPECS', 'APP_DB.BACKEND.REFERENCE_FILES', 'ML_DB.TRAINING.DATASETS', 'ML_DB.SERVING.MODEL_WEIGHTS']) {
    run(`CREATE STAGE ${stage} DIRECTORY = (ENABLE = TRUE) ENCRYPTION = (TYPE = 'SNOWFLAKE_SSE')`, admin);
    run(`GRANT READ, WRITE ON STAGE ${stage} TO ROLE SPCS_DEVELOPER`, admin);
  }
  const specStage = store.state.stages[objectKey(qualified('SPCS_DEMO.PUBLIC.SPECS'))];
  const files: readonly (readonly [string, string])[] = [
    ['echo.yaml', specs.echo],
    ['echo-template.yaml', specs.echoTemplate],
    ['vllm-gpu.spcs.yaml', specs.vllmGpu],
    ['data-service.spcs.yaml', specs.dataService],
    ['nightly-job.spcs.yaml', specs.nightlyJob],
    ['reporting.yaml', specs.reporting],
  ];
  for (const [path, content] of files) specStage?.files.push({ path, content, lastModified: setup });
  store.state.stages[objectKey(qualified('ML_DB.TRAINING.DATASETS'))]?.files.push(
    { path: 'features/part-0000.parquet', content: 'PAR1 (emulated parquet data)', lastModified: setup - hour },
    { path: 'features/part-0001.parquet', content: 'PAR1 (emulated parquet data)', lastModified: setup - hour },
  );
  store.state.stages[objectKey(qualified('ML_DB.SERVING.MODEL_WEIGHTS'))]?.files.push({ path: 'llama-3.1-8b-instruct/config.json', content: '{"model_type": "llama"}', lastModified: setup - hour });
  store.state.stages[objectKey(qualified('APP_DB.BACKEND.REFERENCE_FILES'))]?.files.push({ path: 'countries.csv', content: 'code,name\nDE,Germany\nFR,France\n', lastModified: setup - hour });

  // Secrets of each type, and an external access integration that allows the OAuth one.
  run("CREATE SECRET APP_DB.BACKEND.POSTGRES_CREDENTIALS TYPE = PASSWORD USERNAME = 'orders' PASSWORD = 'emulated-password'", admin);
  run("CREATE SECRET APP_DB.BACKEND.PARTNER_API_TOKEN TYPE = GENERIC_STRING SECRET_STRING = 'emulated-token'", admin);
  run("CREATE SECRET SPCS_DEMO.PUBLIC.GITHUB_OAUTH TYPE = OAUTH2 API_AUTHENTICATION = GITHUB_OAUTH_INTEGRATION OAUTH_SCOPES = ('repo', 'read:org')", admin);
  // The Hugging Face token a model-serving spec reads as `secret_string` (e.g. into HF_TOKEN).
  run("CREATE SECRET ML_DB.SERVING.HF_TOKEN TYPE = GENERIC_STRING SECRET_STRING = 'hf_emulated-token' COMMENT = 'Hugging Face access token for model downloads'", admin);
  for (const secret of ['APP_DB.BACKEND.POSTGRES_CREDENTIALS', 'APP_DB.BACKEND.PARTNER_API_TOKEN', 'SPCS_DEMO.PUBLIC.GITHUB_OAUTH', 'ML_DB.SERVING.HF_TOKEN']) {
    run(`GRANT READ ON SECRET ${secret} TO ROLE SPCS_DEVELOPER`, admin);
  }
  store.state.integrations.DEMO_EAI = {
    name: 'DEMO_EAI',
    type: 'EXTERNAL_ACCESS',
    enabled: true,
    owner: 'ACCOUNTADMIN',
    createdOn: setup,
    comment: 'Egress to api.github.com and huggingface.co',
    allowedNetworkRules: ['SPCS_DEMO.PUBLIC.GITHUB_RULE', 'SPCS_DEMO.PUBLIC.HUGGINGFACE_RULE'],
    allowedAuthenticationSecrets: ['SPCS_DEMO.PUBLIC.GITHUB_OAUTH'],
  };
  store.grant('OWNERSHIP', 'INTEGRATION', 'DEMO_EAI', 'ACCOUNTADMIN', 'ACCOUNTADMIN');
  store.grant('USAGE', 'INTEGRATION', 'DEMO_EAI', 'SPCS_DEVELOPER', 'ACCOUNTADMIN');

  // Workloads, as the developer.
  const developer = { role: 'SPCS_DEVELOPER', database: 'SPCS_DEMO', schema: 'PUBLIC' };
  pin(now - 24 * hour);
  run(
    "CREATE SERVICE ECHO_SERVICE IN COMPUTE POOL DEMO_CPU_POOL FROM @SPECS SPECIFICATION_TEMPLATE_FILE = 'echo-template.yaml' USING (tag => 'v2', port => 8000) MIN_INSTANCES = 2 MAX_INSTANCES = 2 COMMENT = 'Echo service from the SPCS tutorial'",
    developer,
  );
  pin(now - 23 * hour - 30 * minute);
  // The day began on vLLM 0.6.2; the upgrade to the sample's 0.6.3 came two hours ago.
  const vllm062 = `$$${specs.vllmGpu.replace('vllm-openai:0.6.3', 'vllm-openai:0.6.2')}$$`;
  run(`CREATE SERVICE LLM_SERVICE IN COMPUTE POOL DEMO_GPU_POOL FROM SPECIFICATION ${vllm062} EXTERNAL_ACCESS_INTEGRATIONS = (DEMO_EAI) QUERY_WAREHOUSE = DEMO_WH COMMENT = 'vLLM with a chat UI'`, developer);
  pin(now - 23 * hour - 25 * minute);
  run("CREATE SERVICE ORDERS_SERVICE IN COMPUTE POOL DEMO_CPU_POOL FROM @SPECS SPECIFICATION_FILE = 'data-service.spcs.yaml' COMMENT = 'Orders API with Postgres on a block volume'", developer);
  pin(now - 10 * hour);
  run("EXECUTE JOB SERVICE IN COMPUTE POOL DEMO_GPU_POOL NAME = NIGHTLY_TRAINING_JOB ASYNC = TRUE REPLICAS = 2 FROM @SPECS SPECIFICATION_FILE = 'nightly-job.spcs.yaml' COMMENT = 'Nightly model training'", developer);
  pin(now - 2 * hour);
  run("ALTER SERVICE LLM_SERVICE FROM @SPECS SPECIFICATION_FILE = 'vllm-gpu.spcs.yaml'", developer);
  pin(now - 1 * hour);
  run("CREATE SERVICE REPORTING_SERVICE IN COMPUTE POOL DEMO_CPU_POOL FROM @SPECS SPECIFICATION_FILE = 'reporting.yaml' COMMENT = 'Reporting API (image tag 2.0.0 was never pushed)'", developer);
  const llm = store.state.services[objectKey(qualified('SPCS_DEMO.PUBLIC.LLM_SERVICE'))];
  llm?.restarts.push({ instance: 0, container: 'vllm', at: now - 50 * 60_000, exitCode: 137 });
  for (const service of ['ECHO_SERVICE', 'LLM_SERVICE', 'ORDERS_SERVICE', 'REPORTING_SERVICE', 'NIGHTLY_TRAINING_JOB']) {
    run(`GRANT USAGE, MONITOR ON SERVICE ${service} TO ROLE SPCS_VIEWER`, developer);
  }
  run('GRANT SERVICE ROLE LLM_SERVICE!chat_users TO ROLE SPCS_VIEWER', developer);
  run('GRANT SERVICE ROLE ECHO_SERVICE!ALL_ENDPOINTS_USAGE TO ROLE SPCS_VIEWER', developer);
  // A gateway in front of the echo service: its stable host takes all traffic until a new version shares it.
  pin(now - 1 * hour + 5 * 60_000);
  run(`CREATE GATEWAY ECHO_GATEWAY COMMENT = 'Stable URL for the echo service' FROM SPECIFICATION $$${specs.echoGateway}$$`, developer);
  run('GRANT USAGE ON GATEWAY ECHO_GATEWAY TO ROLE SPCS_VIEWER', developer);
  const job = store.state.services[objectKey(qualified('SPCS_DEMO.PUBLIC.NIGHTLY_TRAINING_JOB'))];
  if (job && jobFinishesAt(job) > now) throw new Error('The seeded job should have finished.');
}

function qualified(text: string): { database: string; schema: string; name: string } {
  const [database = '', schema = '', name = ''] = text.split('.');
  return { database, schema, name };
}

// ---- benchmarks --------------------------------------------------------------------------------------------

export interface SeedServicesOptions {
  readonly database?: string;
  readonly schema?: string;
  /** The pool that gets `inPool` of the services; the rest are spread over other pools. */
  readonly pool?: string;
  readonly inPool?: number;
  /** Owner role of the services; defaults to SPCS_DEVELOPER when it exists, else ACCOUNTADMIN. */
  readonly owner?: string;
}

const benchSpec = `spec:
  containers:
    - name: main
      image: /bench_db/services/images/worker:1.0
      readinessProbe:
        port: 8080
        path: /ready
  endpoints:
    - name: api
      port: 8080
`;

/** Creates `count` READY services directly in the store (no SQL, no spec validation): for benchmarks. */
export function seedServices(store: AccountStore, count: number, options: SeedServicesOptions = {}): string[] {
  const state = store.state;
  const database = options.database ?? 'BENCH_DB';
  const schema = options.schema ?? 'SERVICES';
  const pool = options.pool ?? 'BENCH_POOL';
  const inPool = Math.min(count, options.inPool ?? 200);
  const owner = options.owner ?? (state.roles.SPCS_DEVELOPER ? 'SPCS_DEVELOPER' : 'ACCOUNTADMIN');
  const now = store.now();
  const created = now - hour;
  if (!state.databases[database]) {
    state.databases[database] = { name: database, owner, createdOn: created };
    store.grant('OWNERSHIP', 'DATABASE', database, owner, 'ACCOUNTADMIN');
  }
  const schemaName = schemaKey(database, schema);
  if (!state.schemas[schemaName]) {
    state.schemas[schemaName] = { database, name: schema, owner, createdOn: created };
    store.grant('OWNERSHIP', 'SCHEMA', schemaName, owner, 'ACCOUNTADMIN');
  }
  const pools = [pool, `${pool}_2`, `${pool}_3`, `${pool}_4`, `${pool}_5`];
  for (const name of pools) {
    if (!state.computePools[name]) {
      state.computePools[name] = {
        name,
        instanceFamily: 'CPU_X64_S',
        minNodes: 1,
        maxNodes: 50,
        autoResume: true,
        autoSuspendSecs: 3600,
        owner,
        createdOn: created - hour,
        updatedOn: created - hour,
        startedAt: created - hour,
        resumedOn: created - hour,
        lastActivityAt: created - hour,
        backupInstanceFamilies: [],
      };
      store.grant('OWNERSHIP', 'COMPUTE_POOL', name, owner, 'ACCOUNTADMIN');
    }
  }
  const spec = readSpec(benchSpec);
  if (!spec) throw new Error('bench spec does not parse');
  const version: SpecVersion = {
    text: benchSpec,
    spec,
    digest: sha256Hex(benchSpec),
    images: [{ reference: '/bench_db/services/images/worker:1.0', path: 'bench_db/services/images/worker', tag: '1.0', digest: `sha256:${sha256Hex('bench-worker')}` }],
  };
  const keys: string[] = [];
  const start = state.sequence;
  for (let i = 0; i < count; i++) {
    const name = `SVC_${String(start + i + 1).padStart(5, '0')}`;
    const poolName = i < inPool ? pool : (pools[1 + ((i - inPool) % (pools.length - 1))] as string);
    const service: ServiceRecord = {
      database,
      schema,
      name,
      computePool: poolName,
      owner,
      createdOn: created,
      updatedOn: created,
      resumedOn: created,
      minInstances: 1,
      maxInstances: 1,
      minReadyInstances: 1,
      autoResume: true,
      autoSuspendSecs: 0,
      externalAccessIntegrations: [],
      isJob: false,
      isAsyncJob: false,
      current: version,
      runStartedAt: created,
      nodesReadyAt: created,
      restarts: [],
      seed: `${database}.${schema}.${name}@${created}`,
    };
    const key = store.addService(service);
    store.grant('OWNERSHIP', 'SERVICE', key, owner, owner);
    keys.push(key);
  }
  state.sequence = start + count;
  return keys;
}
