/**
 * Issue 13 and 14 statements through the real `snowflake-sdk` driver against the demo seed: the whole
 * "Serve a Model" sequence (a GPU instance family from SHOW COMPUTE POOL INSTANCE FAMILIES, a new GPU
 * pool, a pushed vLLM tag from SHOW IMAGES, CREATE SERVICE with GPUs, a stage volume for the weights, a
 * memory volume for /dev/shm, a Hugging Face token secret and a readiness probe, READY over emulated
 * time, the ingress URL, the service function), then a gateway in front of two versions, and the pool
 * and repository statements a client sends, with their refusals as the driver reports them.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as Snowflake from 'snowflake-sdk';
import { ManualClock } from '../../emulator/src/clock';
import { start, type EmulatorHandle } from '../../emulator/src/server';
import { demo, destroyQuietly, execute, rejection, snowflake, type Executed } from './protocolHarness';

/** vLLM on one GPU of a GPU_NV_S node (6 vCPU, 27 GiB, 1 × A10G): what the serving template renders. */
function vllmSpec(tag: string): string {
  return `spec:
  containers:
    - name: vllm
      image: /ml_db/serving/images/vllm-openai:${tag}
      args: ["--model", "/models/llama-3.1-8b-instruct", "--port", "8000", "--max-model-len", "8192"]
      env:
        HF_HUB_OFFLINE: 1
      secrets:
        - snowflakeSecret:
            objectName: ml_db.serving.hf_token
          secretKeyRef: secret_string
          envVarName: HF_TOKEN
      resources:
        requests:
          nvidia.com/gpu: 1
          cpu: 4
          memory: 20Gi
        limits:
          nvidia.com/gpu: 1
          memory: 24Gi
      readinessProbe:
        port: 8000
        path: /health
      volumeMounts:
        - name: models
          mountPath: /models
        - name: dshm
          mountPath: /dev/shm
  endpoints:
    - name: api
      port: 8000
      public: true
  volumes:
    - name: models
      source: stage
      stageConfig:
        name: "@ml_db.serving.model_weights/llama-3.1-8b-instruct"
        metadataCache: 1h
    - name: dshm
      source: memory
      size: 4Gi
`;
}

function gatewaySpec(weights: readonly (readonly [string, number])[]): string {
  const targets = weights.map(([service, weight]) => `    - type: endpoint\n      value: spcs_demo.public.${service}!api\n      weight: ${weight}\n`).join('');
  return `spec:\n  type: traffic_split\n  split_type: custom\n  targets:\n${targets}`;
}

describe('serving a model and routing it through a gateway, through the real driver', () => {
  const clock = new ManualClock();
  let emulator: EmulatorHandle;
  let connection: Snowflake.Connection;
  let viewer: Snowflake.Connection;

  const connect = async (username: string, password: string, role: string): Promise<Snowflake.Connection> => {
    const created = snowflake.createConnection({
      account: emulator.account.name,
      accessUrl: emulator.url,
      username,
      password,
      role,
      warehouse: demo.warehouse,
      database: demo.database,
      schema: demo.schema,
      sfRetryMaxLoginRetries: 0,
    });
    await new Promise<void>((resolve, reject) => created.connect((error) => (error ? reject(error) : resolve())));
    return created;
  };

  before(async () => {
    emulator = await start({ seed: 'demo', clock, pollHoldMilliseconds: 50 });
    connection = await connect(demo.user, demo.password, demo.role);
    viewer = await connect('VIEWER_USER', 'viewer-password-1', 'SPCS_VIEWER');
  });

  after(async () => {
    await destroyQuietly(connection);
    await destroyQuietly(viewer);
    await emulator.stop();
  });

  const run = (sql: string, on: Snowflake.Connection = connection): Promise<Executed> => execute(on, sql);
  const status = async (sql: string): Promise<unknown> => (await run(sql)).rows[0]?.status;
  const one = async (sql: string, on?: Snowflake.Connection): Promise<Record<string, unknown>> => {
    const { rows } = await run(sql, on);
    assert.equal(rows.length, 1, `one row from ${sql}`);
    return rows[0] as Record<string, unknown>;
  };
  const refusal = async (sql: string, on?: Snowflake.Connection) => rejection(run(sql, on));
  const elapse = (seconds: number) => clock.advance(seconds * 1000);

  it('serves a model: GPU family, GPU pool, pushed tag, GPU service READY, ingress URL, service function', async () => {
    // 1. A GPU family that fits one GPU, from the account's own table.
    const families = (await run('SHOW COMPUTE POOL INSTANCE FAMILIES')).rows;
    const gpuFamily = families.find((family) => Number(family.gpu_count) >= 1 && Number(family.memory_gib) >= 24);
    assert.deepEqual(
      [gpuFamily?.name, gpuFamily?.gpu, gpuFamily?.gpu_count, gpuFamily?.gpu_memory_gib, gpuFamily?.vcpu, gpuFamily?.memory_gib, gpuFamily?.storage_gib],
      ['GPU_NV_S', 'NVIDIA A10G', 1, 24, 6, 27, 279.4],
      'the driver converts the numeric columns',
    );
    assert.equal(families.find((family) => family.name === 'CPU_X64_XS')?.gpu, '', 'an empty string, not NULL, when there is no GPU');

    // 2. A GPU pool.
    assert.equal(await status('CREATE COMPUTE POOL LLM_POOL MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = GPU_NV_S AUTO_RESUME = TRUE AUTO_SUSPEND_SECS = 1800'), 'Compute pool LLM_POOL successfully created.');
    assert.equal((await one("SHOW COMPUTE POOLS LIKE 'LLM_POOL'")).state, 'STARTING');

    // 3. A pushed tag of the vLLM image, and what the spec mounts.
    const repository = await one("SHOW IMAGE REPOSITORIES LIKE 'IMAGES' IN SCHEMA ML_DB.SERVING");
    assert.equal(repository.repository_url, 'emulator-spcs-emulator.registry.snowflakecomputing.com/ml_db/serving/images');
    const tags = (await run("SHOW IMAGES LIKE 'vllm-openai' IN IMAGE REPOSITORY ML_DB.SERVING.IMAGES")).rows.map((row) => `${String(row.image_path)}`);
    assert.deepEqual(tags.sort(), ['ml_db/serving/images/vllm-openai:0.6.2', 'ml_db/serving/images/vllm-openai:0.6.3', 'ml_db/serving/images/vllm-openai:latest']);
    assert.ok((await run('LIST @ML_DB.SERVING.MODEL_WEIGHTS')).rows.some((row) => String(row.name).endsWith('llama-3.1-8b-instruct/config.json')));
    assert.equal((await one("SHOW SECRETS LIKE 'HF_TOKEN' IN SCHEMA ML_DB.SERVING")).secret_type, 'GENERIC_STRING');

    // 4. The service: two GPUs do not fit a GPU_NV_S node, one does.
    const tooMany = await refusal(`CREATE SERVICE LLM_SERVE IN COMPUTE POOL LLM_POOL FROM SPECIFICATION $$${vllmSpec('0.6.3').replace(/nvidia\.com\/gpu: 1/g, 'nvidia.com/gpu: 2')}$$`);
    assert.equal(tooMany.code, '395018');
    assert.equal(await status(`CREATE SERVICE LLM_SERVE IN COMPUTE POOL LLM_POOL FROM SPECIFICATION $$${vllmSpec('0.6.3')}$$ EXTERNAL_ACCESS_INTEGRATIONS = (DEMO_EAI) COMMENT = 'vLLM on one A10G'`), 'Service LLM_SERVE successfully created.');
    const waiting = await one('SHOW SERVICE CONTAINERS IN SERVICE LLM_SERVE');
    assert.deepEqual([waiting.status, waiting.message], ['PENDING', 'Compute pool node(s) are being provisioned']);
    elapse(31 + 10);
    assert.deepEqual(
      [(await one('SHOW SERVICE CONTAINERS IN SERVICE LLM_SERVE')).message, (await one("SHOW COMPUTE POOLS LIKE 'LLM_POOL'")).state],
      ['Readiness probe is failing at path: /health, port: 8000', 'ACTIVE'],
    );
    elapse(20);
    const serviceStatus = JSON.parse(String(Object.values((await run("SELECT SYSTEM$GET_SERVICE_STATUS('LLM_SERVE')")).rows[0] ?? {})[0])) as { status: string }[];
    assert.deepEqual(serviceStatus.map((instance) => instance.status), ['READY']);
    assert.equal((await one("SHOW SERVICES LIKE 'LLM_SERVE'")).status, 'RUNNING');

    // 5. The ingress URL once the public endpoint is provisioned.
    assert.equal((await one('SHOW ENDPOINTS IN SERVICE LLM_SERVE')).ingress_url, 'Endpoints provisioning in progress... check back in a few minutes');
    elapse(61);
    assert.match(String((await one('SHOW ENDPOINTS IN SERVICE LLM_SERVE')).ingress_url), /^[a-z0-9]{8}-emulator-spcs-emulator\.snowflakecomputing\.app$/);

    // 6. The service function: the demo developer lacks CREATE FUNCTION until it is granted.
    const createFunction = "CREATE FUNCTION LLM_COMPLETE(PROMPT VARCHAR) RETURNS VARCHAR SERVICE = LLM_SERVE ENDPOINT = api MAX_BATCH_ROWS = 8 AS '/v1/completions'";
    const denied = await refusal(createFunction);
    assert.equal(denied.code, '003001');
    await run('USE ROLE ACCOUNTADMIN');
    await run('GRANT CREATE FUNCTION ON SCHEMA SPCS_DEMO.PUBLIC TO ROLE SPCS_DEVELOPER');
    await run(`USE ROLE ${demo.role}`);
    assert.equal(await status(createFunction), 'Function LLM_COMPLETE successfully created.');
    const described: Record<string, unknown> = Object.fromEntries((await run('DESCRIBE FUNCTION LLM_COMPLETE(VARCHAR)')).rows.map((row) => [String(row.property), row.value]));
    assert.deepEqual([described.service, described.endpoint, described.body], ['SPCS_DEMO.PUBLIC.LLM_SERVE', 'api', '/v1/completions']);
  });

  it('puts a gateway in front of two versions and shifts traffic without changing its URL', async () => {
    assert.equal(await status(`CREATE SERVICE LLM_SERVE_V2 IN COMPUTE POOL DEMO_GPU_POOL FROM SPECIFICATION $$${vllmSpec('latest')}$$`), 'Service LLM_SERVE_V2 successfully created.');
    assert.equal(await status(`CREATE GATEWAY LLM_GATEWAY COMMENT = 'stable URL' FROM SPECIFICATION $$${gatewaySpec([['llm_serve', 90], ['llm_serve_v2', 10]])}$$`), 'Gateway LLM_GATEWAY successfully created.');
    const describe = async () => one('DESCRIBE GATEWAY LLM_GATEWAY');
    const described = await run('DESCRIBE GATEWAY LLM_GATEWAY');
    assert.deepEqual(
      (described.statement.getColumns() ?? []).map((column) => column.getName()),
      ['name', 'ingress_url', 'privatelink_ingress_url', 'database_name', 'schema_name', 'owner', 'owner_role_type', 'spec', 'created_on', 'updated_on', 'comment'],
    );
    assert.equal((await describe()).ingress_url, 'Endpoints provisioning in progress... check back in a few minutes');
    elapse(61);
    const url = String((await describe()).ingress_url);
    assert.match(url, /^[a-z0-9]{8}-emulator-spcs-emulator\.snowflakecomputing\.app$/);
    assert.equal(await status(`ALTER GATEWAY LLM_GATEWAY FROM SPECIFICATION $$${gatewaySpec([['llm_serve', 50], ['llm_serve_v2', 50]])}$$`), 'Statement executed successfully.');
    const shifted = await describe();
    assert.equal(shifted.ingress_url, url);
    assert.match(String(shifted.spec), /llm_serve!api\n\s+weight: 50\n[\s\S]*llm_serve_v2!api\n\s+weight: 50\n/);
    const listed = await run("SHOW GATEWAYS LIKE 'LLM%'");
    assert.deepEqual(
      (listed.statement.getColumns() ?? []).map((column) => column.getName()),
      ['created_on', 'name', 'database_name', 'schema_name', 'owner', 'comment', 'owner_role_type', 'ingress_url', 'privatelink_ingress_url', 'updated_on'],
    );
    assert.deepEqual(listed.rows.map((row) => [row.name, row.comment, row.ingress_url]), [['LLM_GATEWAY', 'stable URL', url]]);

    const uneven = await refusal(`ALTER GATEWAY LLM_GATEWAY FROM SPECIFICATION $$${gatewaySpec([['llm_serve', 50], ['llm_serve_v2', 40]])}$$`);
    assert.deepEqual([uneven.code, uneven.sqlState, uneven.message], ['395018', '22023', "Invalid gateway spec: the weights of 'spec.targets' add up to 90; they must add up to 100."]);
    const missing = await refusal(`ALTER GATEWAY LLM_GATEWAY FROM SPECIFICATION $$${gatewaySpec([['llm_serve', 50], ['llm_serve_v3', 50]])}$$`);
    assert.deepEqual([missing.code, missing.message], ['002003', "SQL compilation error:\nService 'SPCS_DEMO.PUBLIC.LLM_SERVE_V3' does not exist or not authorized."]);
    const hidden = await refusal('DESCRIBE GATEWAY LLM_GATEWAY', viewer);
    assert.equal(hidden.code, '002003', 'the viewer holds no privilege on this gateway');
    const notAllowed = await refusal(`CREATE GATEWAY VIEWER_GATEWAY FROM SPECIFICATION $$${gatewaySpec([['llm_serve', 100]])}$$`, viewer);
    assert.equal(notAllowed.code, '003001');
    assert.equal(await status('DROP GATEWAY LLM_GATEWAY'), 'LLM_GATEWAY successfully dropped.');
    assert.equal(await status('DROP GATEWAY IF EXISTS LLM_GATEWAY'), 'Drop statement executed successfully (LLM_GATEWAY already dropped).');
  });

  it('creates, edits and drops pools and repositories, with the refusals a client shows', async () => {
    const invalid = await refusal('CREATE COMPUTE POOL BAD_POOL MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = GPU_NV_XS');
    assert.deepEqual([invalid.code, invalid.message], ['001008', 'Invalid instance family GPU_NV_XS. Please refer to Snowflake documentation for supported instance families.']);
    const reversed = await refusal('CREATE COMPUTE POOL BAD_POOL MIN_NODES = 2 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS');
    assert.equal(reversed.code, '001008');
    const noPrivilege = await refusal('CREATE COMPUTE POOL VIEWER_POOL MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS', viewer);
    assert.deepEqual([noPrivilege.code, noPrivilege.message], ['003001', "SQL access control error:\nInsufficient privileges to operate on account 'SPCS_EMULATOR'."]);
    assert.equal(await status("ALTER COMPUTE POOL LLM_POOL SET MAX_NODES = 2 AUTO_SUSPEND_SECS = 600 COMMENT = 'edited'"), 'Statement executed successfully.');
    const edited = await one("SHOW COMPUTE POOLS LIKE 'LLM_POOL'");
    assert.deepEqual([edited.max_nodes, edited.auto_suspend_secs, edited.comment], [2, 600, 'edited']);
    const inUse = await refusal('DROP COMPUTE POOL LLM_POOL');
    assert.deepEqual([inUse.code, inUse.message], ['391427', 'Cannot drop compute pool LLM_POOL because it has 1 service(s): SPCS_DEMO.PUBLIC.LLM_SERVE. Drop them, or run ALTER COMPUTE POOL LLM_POOL STOP ALL, first.']);
    assert.equal(await status('ALTER COMPUTE POOL LLM_POOL STOP ALL'), 'Statement executed successfully.');
    assert.equal(await status('DROP COMPUTE POOL LLM_POOL'), 'LLM_POOL successfully dropped.');

    assert.equal(await status('CREATE IMAGE REPOSITORY IF NOT EXISTS MODELS_REPO'), 'Image Repository MODELS_REPO successfully created.');
    assert.equal((await one("SHOW IMAGE REPOSITORIES LIKE 'MODELS_REPO'")).encryption, 'SNOWFLAKE_FULL');
    const both = await refusal('CREATE OR REPLACE IMAGE REPOSITORY IF NOT EXISTS MODELS_REPO');
    assert.equal(both.code, '001003');
    assert.equal(await status('DROP IMAGE REPOSITORY MODELS_REPO'), 'MODELS_REPO successfully dropped.');
  });
});
