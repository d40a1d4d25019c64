/**
 * Service statements against the engine: CREATE SERVICE from every spec source, spec validation
 * through the language service (with the pool's instance family) and against the account (images,
 * secrets, stages), instances and containers moving with the clock, endpoints, upgrades,
 * suspend/resume, SET/UNSET, DROP, DESCRIBE and SHOW SERVICES scopes.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertError, echoSpec, kit } from './sqlKit';

const serviceColumns = [
  'name', 'status', 'database_name', 'schema_name', 'owner', 'compute_pool', 'dns_name', 'current_instances', 'target_instances',
  'min_ready_instances', 'min_instances', 'max_instances', 'auto_resume', 'external_access_integrations', 'created_on', 'updated_on',
  'resumed_on', 'suspended_on', 'auto_suspend_secs', 'comment', 'owner_role_type', 'query_warehouse', 'is_job', 'is_async_job',
  'spec_digest', 'is_upgrading', 'managing_object_domain', 'managing_object_name',
];

function create(t: ReturnType<typeof kit>, name: string, spec: string, extra = ''): string | null {
  return t.value(`CREATE SERVICE ${name} IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${spec}$$ ${extra}`);
}

describe('CREATE SERVICE', () => {
  it('creates a service whose instance goes PENDING → READY with the clock', () => {
    const t = kit();
    assert.equal(create(t, 'my_service', echoSpec()), 'Service MY_SERVICE successfully created.');
    let container = t.one('SHOW SERVICE CONTAINERS IN SERVICE my_service');
    assert.deepEqual([container.service_status, container.status, container.message], ['PENDING', 'PENDING', 'Waiting to start']);
    assert.equal(container.image_name, '/tutorial_db/data_schema/tutorial_repository/echo:v2');
    assert.match(container.image_digest ?? '', /^sha256:[0-9a-f]{64}$/);
    t.advance(15);
    container = t.one('SHOW SERVICE CONTAINERS IN SERVICE my_service');
    assert.deepEqual([container.status, container.message], ['PENDING', 'Readiness probe is failing at path: /healthcheck, port: 8000']);
    t.advance(20);
    container = t.one('SHOW SERVICE CONTAINERS IN SERVICE my_service');
    assert.deepEqual([container.service_status, container.instance_status, container.status, container.message, container.restart_count], ['RUNNING', 'READY', 'READY', 'Running', '0']);
    const instance = t.one('SHOW SERVICE INSTANCES IN SERVICE my_service');
    assert.equal(instance.status, 'READY');
    assert.match(instance.ip_address ?? '', /^10\.244\.\d+\.\d+$/);
    const service = t.one("SHOW SERVICES LIKE 'my_service'");
    assert.deepEqual([service.status, service.current_instances, service.owner, service.compute_pool], ['RUNNING', '1', 'SPCS_DEVELOPER', 'DEMO_CPU_POOL']);
    assert.match(service.dns_name ?? '', /^my-service\.[0-9a-z]{4}\.svc\.spcs\.internal$/);
    assert.match(service.spec_digest ?? '', /^[0-9a-f]{64}$/);
  });

  it('starts several instances, each a little later', () => {
    const t = kit();
    create(t, 'multi', echoSpec(), 'MIN_INSTANCES = 3 MAX_INSTANCES = 4 MIN_READY_INSTANCES = 1');
    t.advance(31);
    assert.deepEqual(t.rows('SHOW SERVICE INSTANCES IN SERVICE multi').map((row) => [row.instance_id, row.status]), [
      ['0', 'READY'],
      ['1', 'PENDING'],
      ['2', 'PENDING'],
    ]);
    assert.equal(t.one("SHOW SERVICES LIKE 'MULTI'").status, 'RUNNING');
    t.advance(10);
    assert.ok(t.rows('SHOW SERVICE INSTANCES IN SERVICE multi').every((row) => row.status === 'READY'));
  });

  it('reads a spec from a stage file, and a template from a stage with USING', () => {
    const t = kit();
    t.account.control.putStageFile('SPCS_DEMO.PUBLIC.SPECS', 'nested/dir/echo.yaml', echoSpec());
    assert.equal(t.value("CREATE SERVICE from_stage IN COMPUTE POOL demo_cpu_pool FROM @specs/nested SPECIFICATION_FILE = 'dir/echo.yaml'"), 'Service FROM_STAGE successfully created.');
    assert.equal(t.value("CREATE SERVICE also_spec IN COMPUTE POOL demo_cpu_pool FROM @spcs_demo.public.specs SPEC = 'echo.yaml'"), 'Service ALSO_SPEC successfully created.');
    t.run("CREATE SERVICE templated IN COMPUTE POOL demo_cpu_pool FROM @specs SPECIFICATION_TEMPLATE_FILE = 'echo-template.yaml' USING (tag => 'v1', port => 8080, replicas_env => '{\"LOG_LEVEL\": \"debug\"}')");
    const spec = t.one('DESCRIBE SERVICE templated').spec ?? '';
    assert.match(spec, /echo:v1/);
    assert.match(spec, /LOG_LEVEL: debug/);
    assert.match(spec, /port: 8080/);
    assert.match(spec, /public: true/);
    const missing = t.error("CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool FROM @specs SPECIFICATION_FILE = 'nope.yaml'");
    assert.equal(missing.code, '391903');
    assert.match(missing.message, /nope\.yaml/);
    assertError(t.error("CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool FROM @nostage SPECIFICATION_FILE = 'a.yaml'"), '002003', "SQL compilation error:\nStage 'SPCS_DEMO.PUBLIC.NOSTAGE' does not exist or not authorized.");
  });

  it('renders inline templates, with defaults and JSON values, and requires every variable without a default', () => {
    const t = kit();
    const template = `spec:\n  containers:\n    - name: echo\n      image: {{ image }}\n      env: {{ env | default('{}') }}\n      args: {{ args }}\n`;
    t.run(`CREATE SERVICE tpl IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION_TEMPLATE $$${template}$$ USING (image => ' "/tutorial_db/data_schema/tutorial_repository/echo:v2" ', args => '["--port", "8000"]')`);
    const spec = t.one('DESCRIBE SERVICE tpl').spec ?? '';
    assert.match(spec, /image: \/tutorial_db\/data_schema\/tutorial_repository\/echo:v2/);
    assert.match(spec, /- --port/);
    const error = t.error(`CREATE SERVICE tpl2 IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION_TEMPLATE $$${template}$$ USING (image => 'x')`);
    assertError(error, '395018', /template variable 'args' has no value/);
  });

  it('rejects what the language service reports as errors, with the pool family', () => {
    const t = kit();
    const gpu = t.error("CREATE SERVICE llm2 IN COMPUTE POOL demo_cpu_pool FROM @specs SPECIFICATION_FILE = 'vllm-gpu.spcs.yaml'");
    assert.equal(gpu.code, '395018');
    assert.equal(gpu.sqlState, '22023');
    assert.match(gpu.message, /^Invalid spec: Container 'vllm' asks for 4 GPUs, but CPU_X64_S nodes have no GPU/);
    // The same spec fits the GPU pool (its modeline does not override the pool's family either way).
    assert.equal(t.value("CREATE SERVICE llm2 IN COMPUTE POOL demo_gpu_pool FROM @specs SPECIFICATION_FILE = 'vllm-gpu.spcs.yaml'"), 'Service LLM2 successfully created.');
    const big = echoSpec({ extra: '      resources:\n        requests:\n          memory: 64Gi\n' });
    assert.match(t.error(`CREATE SERVICE big IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${big}$$`).message, /can never be scheduled/);
    const badName = echoSpec().replace('name: echo', 'name: Echo_1');
    assert.match(t.error(`CREATE SERVICE bad IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${badName}$$`).message, /^Invalid spec: Container name 'Echo_1'/);
    assert.match(t.error('CREATE SERVICE bad IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$spec: [$$').message, /^Invalid spec: YAML/);
    assert.match(t.error('CREATE SERVICE bad IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$containers: []$$').message, /^Invalid spec: The top level has no 'spec:' key/);
  });

  it('rejects unknown options the way Snowflake does', () => {
    const t = kit();
    const spec = echoSpec({ extra: '      authenticationPolicy: x\n' });
    assertError(t.error(`CREATE SERVICE u IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${spec}$$`), '395018', "Invalid spec: unknown option 'authenticationPolicy' for 'containers[0]'.");
    const misplaced = `${echoSpec()}  serviceRoles:\n    - name: r\n      endpoints: [echoendpoint]\n`;
    assertError(t.error(`CREATE SERVICE u IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${misplaced}$$`), '395018', "Invalid spec: unknown option 'serviceRoles' for 'spec'.");
  });

  it('accepts the JSON the Snowflake CLI sends', () => {
    const t = kit();
    const json = JSON.stringify({ spec: { containers: [{ name: 'echo', image: '/tutorial_db/data_schema/tutorial_repository/echo:v2', env: { PRICE: '\u0024100' } }] } }).replace(/\$/g, '\\u0024');
    assert.equal(create(t, 'cli_service', json, 'MIN_INSTANCES = 1 MAX_INSTANCES = 1 AUTO_RESUME = TRUE'), 'Service CLI_SERVICE successfully created.');
    assert.match(t.one('DESCRIBE SERVICE cli_service').spec ?? '', /PRICE: \$100/);
  });

  it('checks images against the account: foreign registries and missing repositories fail CREATE', () => {
    const t = kit();
    assertError(t.error(`CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec({ image: 'docker.io/library/nginx:1.27' })}$$`), '395018', /invalid image 'docker.io\/library\/nginx:1.27'/);
    assertError(t.error(`CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec({ image: 'nginx' })}$$`), '395018', /invalid image 'nginx'/);
    assertError(t.error(`CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec({ image: '/tutorial_db/data_schema/no_repo/echo:v2' })}$$`), '002003', "SQL compilation error:\nImage repository 'TUTORIAL_DB.DATA_SCHEMA.NO_REPO' does not exist or not authorized.");
    // Registry host form, upper-case path and relative form resolve to the same repository.
    assert.equal(create(t, 'host_form', echoSpec({ image: 'emulator-spcs-emulator.registry.snowflakecomputing.com/TUTORIAL_DB/DATA_SCHEMA/TUTORIAL_REPOSITORY/Echo:v2' })), 'Service HOST_FORM successfully created.');
    assert.equal(create(t, 'relative_form', echoSpec({ image: 'demo_repo/reporting-api:1.0.0' })), 'Service RELATIVE_FORM successfully created.');
    t.advance(60);
    assert.equal(t.one('SHOW SERVICE CONTAINERS IN SERVICE host_form').status, 'READY');
    assert.equal(t.one('SHOW SERVICE CONTAINERS IN SERVICE relative_form').status, 'READY');
  });

  it('accepts a missing image or tag, then fails the container with "Failed to pull image"', () => {
    const t = kit();
    create(t, 'missing_tag', echoSpec({ tag: 'v9' }));
    create(t, 'missing_image', echoSpec({ image: '/tutorial_db/data_schema/tutorial_repository/nope:1' }));
    create(t, 'bad_format', echoSpec({ image: '/tutorial_db/data_schema/tutorial_repository/bad image:1' }));
    assert.equal(t.one('SHOW SERVICE CONTAINERS IN SERVICE missing_tag').status, 'PENDING');
    assert.equal(t.one('SHOW SERVICE CONTAINERS IN SERVICE bad_format').message, 'Provided image name uses an invalid format');
    t.advance(11);
    for (const name of ['missing_tag', 'missing_image']) {
      const container = t.one(`SHOW SERVICE CONTAINERS IN SERVICE ${name}`);
      assert.deepEqual([container.service_status, container.instance_status, container.status, container.message, container.image_digest], ['FAILED', 'FAILED', 'FAILED', 'Failed to pull image', null]);
    }
    assert.equal(t.one("SHOW SERVICES LIKE 'BAD_FORMAT'").status, 'FAILED');
    // A seeded service fails the same way.
    assert.equal(t.one('SHOW SERVICE CONTAINERS IN SERVICE reporting_service').message, 'Failed to pull image');
    // Pushing the tag does not repair a recorded digest; an upgrade re-resolves it.
    t.account.control.pushImage('TUTORIAL_DB.DATA_SCHEMA.TUTORIAL_REPOSITORY', 'echo', 'v9');
    t.run(`ALTER SERVICE missing_tag FROM SPECIFICATION $$${echoSpec({ tag: 'v9' })}$$`);
    t.advance(60);
    assert.equal(t.one('SHOW SERVICE CONTAINERS IN SERVICE missing_tag').status, 'READY');
  });

  it('checks secrets, stage volumes and integrations the spec and statement name', () => {
    const t = kit();
    const secretSpec = echoSpec({ extra: '      secrets:\n        - snowflakeSecret: app_db.backend.nope\n          secretKeyRef: password\n          envVarName: PW\n' });
    assertError(t.error(`CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${secretSpec}$$`), '002003', "SQL compilation error:\nSecret 'APP_DB.BACKEND.NOPE' does not exist or not authorized.");
    const volumeSpec = `${echoSpec({ extra: '      volumeMounts:\n        - name: data\n          mountPath: /data\n' })}  volumes:\n    - name: data\n      source: stage\n      stageConfig:\n        name: "@nope_stage"\n`;
    assertError(t.error(`CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${volumeSpec}$$`), '002003', "SQL compilation error:\nStage 'SPCS_DEMO.PUBLIC.NOPE_STAGE' does not exist or not authorized.");
    assertError(t.error(`CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$ EXTERNAL_ACCESS_INTEGRATIONS = (NOPE_EAI)`), '002003', "SQL compilation error:\nIntegration 'NOPE_EAI' does not exist or not authorized.");
    create(t, 'with_eai', echoSpec(), 'EXTERNAL_ACCESS_INTEGRATIONS = (demo_eai) QUERY_WAREHOUSE = demo_wh LOG_LEVEL = \'INFO\'');
    const row = t.one("SHOW SERVICES LIKE 'WITH_EAI'");
    assert.deepEqual([row.external_access_integrations, row.query_warehouse], ['["DEMO_EAI"]', 'DEMO_WH']);
  });

  it('checks the statement: pool, instance counts, names, duplicates', () => {
    const t = kit();
    assertError(t.error(`CREATE SERVICE x IN COMPUTE POOL nope FROM SPECIFICATION $$${echoSpec()}$$`), '002003', "SQL compilation error:\nCompute pool 'NOPE' does not exist or not authorized.");
    assert.match(t.error(`CREATE SERVICE x FROM SPECIFICATION $$${echoSpec()}$$`).message, /IN COMPUTE POOL/);
    assert.match(t.error('CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool').message, /FROM SPECIFICATION/);
    assert.match(t.error(`CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$ MIN_INSTANCES = 3 MAX_INSTANCES = 2`).message, /MAX_INSTANCES \(2\) must be greater/);
    assert.match(t.error(`CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$ MIN_INSTANCES = 1 MIN_READY_INSTANCES = 2`).message, /MIN_READY_INSTANCES \(2\)/);
    assert.match(t.error(`CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$ MIN_INSTANCES = 0`).message, /invalid value 0/);
    assert.match(t.error(`CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$ AUTO_SUSPEND_SECS = 10`).message, /at least 300/);
    assert.match(t.error(`CREATE SERVICE "my svc" IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$`).message, /Invalid service name/);
    assertError(t.error(`CREATE SERVICE echo_service IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$`), '002002', "SQL compilation error:\nObject 'SPCS_DEMO.PUBLIC.ECHO_SERVICE' already exists.");
    assert.equal(t.value(`CREATE SERVICE IF NOT EXISTS echo_service IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$`), 'ECHO_SERVICE already exists, statement succeeded.');
    const block = `${echoSpec()}  volumes:\n    - name: data\n      source: block\n      size: 10Gi\n`;
    assert.match(t.error(`CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${block}$$ MIN_INSTANCES = 1 MAX_INSTANCES = 2`).message, /block storage volumes needs MIN_INSTANCES equal/);
  });

  it('resolves names against the session, with Snowflake errors when there is no current database or schema', () => {
    const t = kit();
    const session = { ...t.session(), database: undefined, schema: undefined };
    assertError(t.error(`CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$`, session), '090105', "Cannot perform CREATE SERVICE. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.");
    assert.equal(t.error(`CREATE SERVICE x IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$`, { ...session, database: 'SPCS_DEMO' }).code, '090106');
    assert.equal(t.value(`CREATE SERVICE spcs_demo.public.qualified IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$`, session), 'Service QUALIFIED successfully created.');
    assertError(t.error(`CREATE SERVICE nodb.public.x IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$`), '002003', "SQL compilation error:\nDatabase 'NODB' does not exist or not authorized.");
    assertError(t.error(`CREATE SERVICE spcs_demo.nope.x IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$`), '002003', "SQL compilation error:\nSchema 'SPCS_DEMO.NOPE' does not exist or not authorized.");
  });
});

describe('SHOW / DESCRIBE SERVICES', () => {
  it('shows the current schema by default, and every IN scope', () => {
    const t = kit();
    const result = t.run('SHOW SERVICES');
    assert.deepEqual(result.columns.map((column) => column.name), serviceColumns);
    assert.deepEqual(t.rows('SHOW SERVICES').map((row) => [row.name, row.status]), [
      ['ECHO_SERVICE', 'RUNNING'],
      ['LLM_SERVICE', 'RUNNING'],
      ['NIGHTLY_TRAINING_JOB', 'DONE'],
      ['ORDERS_SERVICE', 'RUNNING'],
      ['REPORTING_SERVICE', 'FAILED'],
    ]);
    t.run(`CREATE SERVICE tutorial_db.data_schema.other IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$`, t.session('SYSADMIN'));
    assert.equal(t.rows('SHOW SERVICES').length, 5);
    assert.equal(t.rows('SHOW SERVICES IN ACCOUNT', t.session('SYSADMIN')).length, 6);
    assert.deepEqual(t.rows('SHOW SERVICES IN DATABASE tutorial_db', t.session('SYSADMIN')).map((row) => row.name), ['OTHER']);
    assert.deepEqual(t.rows('SHOW SERVICES IN SCHEMA tutorial_db.data_schema', t.session('SYSADMIN')).map((row) => row.name), ['OTHER']);
    assert.deepEqual(t.rows('SHOW SERVICES IN COMPUTE POOL demo_gpu_pool').map((row) => row.name), ['LLM_SERVICE', 'NIGHTLY_TRAINING_JOB']);
    assert.deepEqual(t.rows('SHOW JOB SERVICES').map((row) => row.name), ['NIGHTLY_TRAINING_JOB']);
    assert.equal(t.rows('SHOW SERVICES EXCLUDE JOBS').length, 4);
    assert.deepEqual(t.rows("SHOW SERVICES LIKE '%ing%'").map((row) => row.name), ['NIGHTLY_TRAINING_JOB', 'REPORTING_SERVICE']);
    assert.equal(t.rows('SHOW SERVICES IN ACCOUNT', { ...t.session(), database: undefined, schema: undefined }).length, 5);
    assert.equal(t.error('SHOW SERVICES IN DATABASE nodb').code, '002003');
  });

  it('describes a service; only the owner sees the spec, with image digests and string env values', () => {
    const t = kit();
    const result = t.run('DESCRIBE SERVICE orders_service');
    assert.deepEqual(result.columns.map((column) => column.name), [...serviceColumns.slice(0, 6), 'spec', ...serviceColumns.slice(6)]);
    const spec = t.one('DESC SERVICE spcs_demo.public.orders_service').spec ?? '';
    assert.match(spec, /sha256: "@sha256:[0-9a-f]{64}"/);
    assert.match(spec, /DATABASE_PORT: "5432"/);
    const viewer = t.session('SPCS_VIEWER', 'VIEWER_USER');
    assert.equal(t.one('DESCRIBE SERVICE orders_service', viewer).spec, null);
    assertError(t.error('DESCRIBE SERVICE nope'), '002003', "SQL compilation error:\nService 'SPCS_DEMO.PUBLIC.NOPE' does not exist or not authorized.");
  });
});

describe('endpoints and service roles', () => {
  it('shows the provisioning placeholder until the public endpoint has its ingress URL', () => {
    const t = kit();
    create(t, 'web', echoSpec({ endpoint: 'public' }));
    const columns = t.run('SHOW ENDPOINTS IN SERVICE web').columns.map((column) => column.name);
    assert.deepEqual(columns, ['name', 'port', 'port_range', 'protocol', 'is_public', 'ingress_url', 'privatelink_ingress_url']);
    let endpoint = t.one('SHOW ENDPOINTS IN SERVICE web');
    assert.deepEqual([endpoint.name, endpoint.port, endpoint.protocol, endpoint.is_public], ['echoendpoint', '8000', 'HTTP', 'true']);
    assert.equal(endpoint.ingress_url, 'Endpoints provisioning in progress... check back in a few minutes');
    t.advance(30 + 59);
    assert.equal(t.one('SHOW ENDPOINTS IN SERVICE web').ingress_url, 'Endpoints provisioning in progress... check back in a few minutes');
    t.advance(2);
    endpoint = t.one('SHOW ENDPOINTS IN SERVICE web');
    assert.match(endpoint.ingress_url ?? '', /^[0-9a-z]{8}-emulator-spcs-emulator\.snowflakecomputing\.app$/);
    create(t, 'internal', echoSpec({ endpoint: 'private' }));
    t.advance(120);
    assert.equal(t.one('SHOW ENDPOINTS IN SERVICE internal').ingress_url, '');
  });

  it('lists service roles with the built-in one', () => {
    const t = kit();
    const result = t.run('SHOW ROLES IN SERVICE llm_service');
    assert.deepEqual(result.columns.map((column) => column.name), ['created_on', 'name', 'comment']);
    assert.deepEqual(t.rows('SHOW ROLES IN SERVICE llm_service').map((row) => row.name), ['ALL_ENDPOINTS_USAGE', 'CHAT_USERS', 'API_CLIENTS']);
  });

  it('lists instances and containers with their columns', () => {
    const t = kit();
    assert.deepEqual(t.run('SHOW SERVICE INSTANCES IN SERVICE echo_service').columns.map((column) => column.name), [
      'database_name', 'schema_name', 'service_name', 'service_status', 'instance_id', 'status', 'spec_digest', 'creation_time', 'start_time', 'ip_address',
    ]);
    assert.deepEqual(t.run('SHOW SERVICE CONTAINERS IN SERVICE echo_service').columns.map((column) => column.name), [
      'database_name', 'schema_name', 'service_name', 'service_status', 'instance_id', 'instance_status', 'container_name', 'status', 'message',
      'image_name', 'image_digest', 'restart_count', 'start_time', 'last_exit_code', 'last_restart_time',
    ]);
    assert.equal(t.rows('SHOW SERVICE INSTANCES IN SERVICE echo_service').length, 2);
    const vllm = t.rows('SHOW SERVICE CONTAINERS IN SERVICE llm_service').find((row) => row.container_name === 'vllm');
    assert.deepEqual([vllm?.restart_count, vllm?.last_exit_code, vllm?.status], ['1', '137', 'READY']);
  });
});

describe('ALTER SERVICE', () => {
  it('upgrades with a new spec: is_upgrading, new spec_digest, instances replaced highest id first', () => {
    const t = kit();
    const before = t.one("SHOW SERVICES LIKE 'ECHO_SERVICE'");
    t.run("ALTER SERVICE echo_service FROM @specs SPECIFICATION_TEMPLATE_FILE = 'echo-template.yaml' USING (tag => 'v1', port => 8000)");
    let after = t.one("SHOW SERVICES LIKE 'ECHO_SERVICE'");
    assert.equal(after.is_upgrading, 'true');
    assert.equal(after.status, 'RUNNING');
    assert.notEqual(after.spec_digest, before.spec_digest);
    let instances = t.rows('SHOW SERVICE INSTANCES IN SERVICE echo_service');
    assert.deepEqual(instances.map((row) => [row.instance_id, row.status, row.spec_digest === after.spec_digest]), [
      ['0', 'READY', false],
      ['1', 'PENDING', true],
    ]);
    t.advance(31);
    instances = t.rows('SHOW SERVICE INSTANCES IN SERVICE echo_service');
    assert.deepEqual(instances.map((row) => [row.instance_id, row.status, row.spec_digest === after.spec_digest]), [
      ['0', 'PENDING', true],
      ['1', 'READY', true],
    ]);
    t.advance(30);
    after = t.one("SHOW SERVICES LIKE 'ECHO_SERVICE'");
    assert.equal(after.is_upgrading, 'false');
    assert.ok(t.rows('SHOW SERVICE INSTANCES IN SERVICE echo_service').every((row) => row.status === 'READY'));
    assert.match(t.rows('SHOW SERVICE CONTAINERS IN SERVICE echo_service')[0]?.image_name ?? '', /echo:v1$/);
  });

  it('rejects an invalid upgrade and keeps the running spec', () => {
    const t = kit();
    const before = t.one("SHOW SERVICES LIKE 'ECHO_SERVICE'").spec_digest;
    assert.equal(t.error(`ALTER SERVICE echo_service FROM SPECIFICATION $$${echoSpec({ image: 'nginx' })}$$`).code, '395018');
    assert.equal(t.one("SHOW SERVICES LIKE 'ECHO_SERVICE'").spec_digest, before);
  });

  it('suspends (SUSPENDING → SUSPENDED) and resumes (PENDING → RUNNING)', () => {
    const t = kit();
    t.run('ALTER SERVICE echo_service SUSPEND');
    let service = t.one("SHOW SERVICES LIKE 'ECHO_SERVICE'");
    assert.deepEqual([service.status, service.target_instances], ['SUSPENDING', '0']);
    assert.ok(t.rows('SHOW SERVICE INSTANCES IN SERVICE echo_service').every((row) => row.status === 'TERMINATING'));
    t.advance(16);
    service = t.one("SHOW SERVICES LIKE 'ECHO_SERVICE'");
    assert.deepEqual([service.status, service.current_instances], ['SUSPENDED', '0']);
    assert.equal(service.suspended_on, `${Math.floor((t.clock.now() - 16_000) / 1000)}.000000000`);
    assert.deepEqual(t.rows('SHOW SERVICE INSTANCES IN SERVICE echo_service'), []);
    t.run('ALTER SERVICE echo_service SUSPEND');
    t.run('ALTER SERVICE echo_service RESUME');
    assert.equal(t.one("SHOW SERVICES LIKE 'ECHO_SERVICE'").status, 'PENDING');
    t.advance(40);
    service = t.one("SHOW SERVICES LIKE 'ECHO_SERVICE'");
    assert.deepEqual([service.status, service.current_instances], ['RUNNING', '2']);
  });

  it('sets and unsets properties, adding instances that start from now', () => {
    const t = kit();
    t.run("ALTER SERVICE echo_service SET MIN_INSTANCES = 3 MAX_INSTANCES = 5 COMMENT = 'scaled' AUTO_RESUME = FALSE");
    let service = t.one("SHOW SERVICES LIKE 'ECHO_SERVICE'");
    assert.deepEqual([service.min_instances, service.max_instances, service.comment, service.auto_resume, service.current_instances], ['3', '5', 'scaled', 'false', '3']);
    assert.deepEqual(t.rows('SHOW SERVICE INSTANCES IN SERVICE echo_service').map((row) => row.status), ['READY', 'READY', 'PENDING']);
    t.advance(31);
    assert.deepEqual(t.rows('SHOW SERVICE INSTANCES IN SERVICE echo_service').map((row) => row.status), ['READY', 'READY', 'READY']);
    t.run('ALTER SERVICE echo_service UNSET COMMENT, AUTO_RESUME');
    service = t.one("SHOW SERVICES LIKE 'ECHO_SERVICE'");
    assert.deepEqual([service.comment, service.auto_resume], [null, 'true']);
    assert.match(t.error('ALTER SERVICE echo_service SET MAX_INSTANCES = 1').message, /MAX_INSTANCES \(1\) must be greater/);
    assert.match(t.error('ALTER SERVICE echo_service SET COLOR = 1').message, /invalid property 'COLOR'/);
    assert.match(t.error('ALTER SERVICE orders_service SET MIN_INSTANCES = 2 MAX_INSTANCES = 2').message, /cannot be changed/);
    assert.equal(t.error('ALTER SERVICE nightly_training_job SUSPEND').code, '391428');
    assert.equal(t.value('ALTER SERVICE IF EXISTS nope SUSPEND'), 'Statement executed successfully.');
  });
});

describe('DROP SERVICE', () => {
  it('drops a service (FORCE for block volumes) and forgets its grants', () => {
    const t = kit();
    assert.equal(t.value('DROP SERVICE echo_service'), 'ECHO_SERVICE successfully dropped.');
    assert.equal(t.error('DESCRIBE SERVICE echo_service').code, '002003');
    assert.equal(t.value('DROP SERVICE IF EXISTS echo_service'), 'Drop statement executed successfully (ECHO_SERVICE already dropped).');
    assert.match(t.error('DROP SERVICE orders_service').message, /block storage volumes/);
    assert.equal(t.value('DROP SERVICE orders_service FORCE'), 'ORDERS_SERVICE successfully dropped.');
    assert.equal(t.account.control.store.grantsOn('SERVICE', 'SPCS_DEMO.PUBLIC.ORDERS_SERVICE').length, 0);
    assert.equal(t.one("SHOW COMPUTE POOLS LIKE 'DEMO_CPU_POOL'").num_services, '1');
  });
});
