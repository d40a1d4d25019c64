/**
 * The event-table helpers `<service>!SPCS_GET_EVENTS`, `!SPCS_GET_METRICS` and `!SPCS_GET_LOGS`
 * statement by statement: columns and types, time windows and the ingestion delay, what the
 * simulated instances record (platform events, metrics of the enabled groups only, logs that outlive
 * their container), LOG_EVENT_LEVEL and logExporters, the SELECT around them (filters, order, limit,
 * grouping, names, time zones), privileges and errors, and determinism under the demo seed.
 *
 * The demo's clock reads 2026-01-01 12:00 UTC; its story (seed.ts): ECHO_SERVICE and ORDERS_SERVICE
 * run all day, LLM_SERVICE was upgraded at 10:00 and its vllm container OOM-killed at 11:10, the
 * nightly job ran at 02:00, REPORTING_SERVICE failed to pull its image at 11:00.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAccount } from '../../emulator/src/account/account';
import { assertError, echoSpec, kit, toRows, type Kit, type Row } from './sqlKit';

const GiB = 1024 ** 3;
const utc = (text: string): number => Date.parse(text);
/** A TIMESTAMP cell (seconds with nine decimals) as milliseconds. */
const ms = (cell: string | null | undefined): number => Math.round(Number(cell) * 1000);
const json = (cell: string | null | undefined): unknown => (cell === null || cell === undefined ? null : JSON.parse(cell));
const columns = (t: Kit, sql: string): string[] => t.run(sql).columns.map((column) => `${column.name}:${column.type}${column.type === 'fixed' ? `(${column.scale ?? 0})` : ''}`);

/** A service whose spec asks for platform metric groups (and anything else `extra` adds to `spec:`). */
function monitoredSpec(groups: readonly string[], extra = ''): string {
  return `${echoSpec({ endpoint: 'public' })}${extra}  platformMonitor:\n    metricConfig:\n      groups:\n${groups.map((group) => `        - ${group}\n`).join('')}`;
}

describe('SPCS_GET_EVENTS', () => {
  it('has the documented columns, in order, newest first', () => {
    const t = kit();
    assert.deepEqual(columns(t, 'SELECT * FROM TABLE(llm_service!SPCS_GET_EVENTS())'), [
      'TIMESTAMP:timestamp_ntz',
      'SEVERITY:text',
      'EVENT_NAME:text',
      'EVENT_DETAILS:object',
      'INSTANCE_ID:fixed(0)',
      'CONTAINER_NAME:text',
      'RECORD:object',
      'RECORD_ATTRIBUTES:object',
    ]);
    const rows = t.rows('SELECT * FROM TABLE(llm_service!SPCS_GET_EVENTS())');
    const times = rows.map((row) => ms(row.TIMESTAMP));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    const oom = rows.find((row) => (json(row.EVENT_DETAILS) as { message: string }).message === 'Container was OOMKilled due to resource usage');
    assert.deepEqual(oom && { ...oom, TIMESTAMP: ms(oom.TIMESTAMP) }, {
      TIMESTAMP: utc('2026-01-01T11:10:00Z'),
      SEVERITY: 'ERROR',
      EVENT_NAME: 'CONTAINER.STATUS_CHANGE',
      EVENT_DETAILS: '{"message":"Container was OOMKilled due to resource usage","status":"FAILED"}',
      INSTANCE_ID: '0',
      CONTAINER_NAME: 'vllm',
      RECORD: '{"name":"CONTAINER.STATUS_CHANGE","severity_text":"ERROR"}',
      RECORD_ATTRIBUTES: null,
    });
  });

  it("tells the demo's day: provisioning, readiness, an upgrade, an out-of-memory kill and its restart", () => {
    const t = kit();
    const story = t
      .rows("SELECT TIMESTAMP, EVENT_NAME, INSTANCE_ID, CONTAINER_NAME, EVENT_DETAILS:message::VARCHAR AS MESSAGE, EVENT_DETAILS:status::VARCHAR AS STATUS FROM TABLE(llm_service!SPCS_GET_EVENTS()) WHERE EVENT_NAME <> 'SERVICE_INSTANCE.STATUS_CHANGE' ORDER BY TIMESTAMP")
      .map((row) => `${new Date(ms(row.TIMESTAMP)).toISOString().slice(11, 23)} ${row.CONTAINER_NAME ?? 'service'}: ${row.STATUS} ${row.MESSAGE}`);
    assert.deepEqual(story, [
      '12:30:00.000 service: PENDING Service is pending',
      '12:30:00.000 vllm: PENDING Compute pool node(s) are being provisioned',
      '12:30:00.000 chat-ui: PENDING Compute pool node(s) are being provisioned',
      '12:30:30.000 vllm: PENDING Waiting to start',
      '12:30:30.000 chat-ui: PENDING Waiting to start',
      '12:30:40.000 vllm: PENDING Readiness probe is failing at path: /health, port: 8000',
      '12:31:00.000 service: RUNNING Service is ready',
      '12:31:00.000 vllm: READY Running',
      '12:31:00.000 chat-ui: READY Running',
      '10:00:00.000 service: UPGRADING Service is upgrading',
      '10:00:00.000 vllm: PENDING Waiting to start',
      '10:00:00.000 chat-ui: PENDING Waiting to start',
      '10:00:10.000 vllm: PENDING Readiness probe is failing at path: /health, port: 8000',
      '10:00:30.000 service: UPGRADED Service has been upgraded',
      '10:00:30.000 vllm: READY Running',
      '10:00:30.000 chat-ui: READY Running',
      '11:10:00.000 vllm: FAILED Container was OOMKilled due to resource usage',
      '11:10:00.001 vllm: READY Running',
    ]);
  });

  it('reports a failed image pull, failures as ERROR, and a job from pending to completed', () => {
    const t = kit();
    const failed = t.rows("SELECT SEVERITY, EVENT_NAME, EVENT_DETAILS FROM TABLE(reporting_service!SPCS_GET_EVENTS()) WHERE SEVERITY = 'ERROR' ORDER BY TIMESTAMP");
    assert.deepEqual(
      failed.map((row) => `${row.EVENT_NAME} ${row.EVENT_DETAILS}`),
      [
        'SERVICE.STATUS_CHANGE {"message":"Service has failed","status":"FAILED"}',
        'SERVICE_INSTANCE.STATUS_CHANGE {"message":"Service instance failed","status":"FAILED"}',
        'CONTAINER.STATUS_CHANGE {"message":"Failed to pull image","status":"PENDING"}',
      ],
    );
    const job = t.rows("SELECT EVENT_NAME, INSTANCE_ID, EVENT_DETAILS:status::VARCHAR AS STATUS FROM TABLE(nightly_training_job!SPCS_GET_EVENTS()) WHERE EVENT_NAME <> 'CONTAINER.STATUS_CHANGE' ORDER BY TIMESTAMP");
    assert.deepEqual(
      job.map((row) => `${row.INSTANCE_ID ?? '-'} ${row.STATUS}`),
      ['- PENDING', '0 PENDING', '1 PENDING', '- RUNNING', '0 READY', '1 READY', '0 SUCCEEDED', '- DONE', '1 SUCCEEDED'],
    );
    assert.equal(t.value("SELECT EVENT_DETAILS:message::VARCHAR FROM TABLE(nightly_training_job!SPCS_GET_EVENTS()) WHERE EVENT_DETAILS:status = 'DONE' AND EVENT_NAME = 'SERVICE.STATUS_CHANGE'"), 'Job is completed');
  });

  it('records platform events only where LOG_EVENT_LEVEL lets them through, from when it is set', () => {
    const t = kit('empty');
    t.run('CREATE COMPUTE POOL p MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS');
    t.run('CREATE IMAGE REPOSITORY repo');
    t.account.control.pushImage('SPCS_DEMO.PUBLIC.REPO', 'app', '1.0');
    t.run(`CREATE SERVICE quiet IN COMPUTE POOL p FROM SPECIFICATION $$${echoSpec({ image: '/spcs_demo/public/repo/app:1.0' })}$$`);
    t.run(`CREATE SERVICE loud IN COMPUTE POOL p FROM SPECIFICATION $$${echoSpec({ image: '/spcs_demo/public/repo/app:1.0' })}$$ LOG_EVENT_LEVEL = 'INFO'`);
    t.advance(300);
    // "By default, platform events are not logged."
    assert.equal(t.value('SELECT COUNT(*) FROM TABLE(quiet!SPCS_GET_EVENTS())'), '0');
    assert.ok(Number(t.value('SELECT COUNT(*) FROM TABLE(loud!SPCS_GET_EVENTS())')) >= 6);
    assert.deepEqual(t.rows("SHOW PARAMETERS LIKE 'log_event%' IN SERVICE quiet").map((row) => [row.key, row.value, row.level]), [['LOG_EVENT_LEVEL', 'OFF', '']]);
    // ERROR records failures only; the crash below is an ERROR, the restart that follows is INFO.
    t.run("ALTER SERVICE quiet SET LOG_EVENT_LEVEL = ERROR");
    t.account.control.restartContainer('SPCS_DEMO.PUBLIC.QUIET', 0, 'echo', { exitCode: 1 });
    t.advance(180);
    assert.deepEqual(t.rows('SELECT SEVERITY, EVENT_DETAILS:message::VARCHAR AS M FROM TABLE(quiet!SPCS_GET_EVENTS())').map((row) => `${row.SEVERITY} ${row.M}`), ['ERROR Encountered fatal error while running, check container logs']);
    assert.deepEqual(t.rows("SHOW PARAMETERS LIKE 'LOG_EVENT_LEVEL' IN SERVICE quiet").map((row) => [row.value, row.level]), [['ERROR', 'SERVICE']]);
    // The account's level applies where the service sets none.
    t.run('ALTER SERVICE quiet UNSET LOG_EVENT_LEVEL');
    t.run("ALTER ACCOUNT SET LOG_EVENT_LEVEL = 'INFO'");
    assert.deepEqual(t.rows("SHOW PARAMETERS LIKE 'LOG_EVENT_LEVEL' IN SERVICE quiet").map((row) => [row.value, row.level]), [['INFO', 'ACCOUNT']]);
    assert.deepEqual(t.rows("SHOW PARAMETERS LIKE '%EVENT%' IN ACCOUNT").map((row) => [row.key, row.value]), [['EVENT_TABLE', 'SNOWFLAKE.TELEMETRY.EVENTS'], ['LOG_EVENT_LEVEL', 'INFO']]);
    t.run('ALTER SERVICE quiet SET COMMENT = \'now with events\'');
    t.advance(180);
    const changes = t.rows("SELECT EVENT_DETAILS FROM TABLE(quiet!SPCS_GET_EVENTS()) WHERE EVENT_NAME = 'SERVICE.PROPERTY_CHANGE' ORDER BY TIMESTAMP").map((row) => row.EVENT_DETAILS);
    // Setting LOG_EVENT_LEVEL = ERROR was an INFO event at that level, so it was not recorded.
    assert.deepEqual(changes, ['{"message":"Unset Service Properties [LOG_EVENT_LEVEL]"}', '{"message":"Set Service Properties [COMMENT]"}']);
    assertError(t.error("ALTER SERVICE quiet SET LOG_EVENT_LEVEL = 'LOUD'"), '001008', /invalid value 'LOUD' for property 'LOG_EVENT_LEVEL'/);
    assertError(t.error('ALTER ACCOUNT SET TIMEZONE = \'UTC\''), '000002', "Unsupported feature 'ALTER ACCOUNT SET TIMEZONE'.");
  });

  it('keeps the history of a suspended and resumed service, and of a restarted container', () => {
    const t = kit();
    t.run(`CREATE SERVICE cycled IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$`);
    t.advance(120);
    t.account.control.restartContainer('SPCS_DEMO.PUBLIC.CYCLED', 0, 'echo', { exitCode: 137 });
    t.advance(60);
    t.run('ALTER SERVICE cycled SUSPEND');
    t.advance(60);
    t.run('ALTER SERVICE cycled RESUME');
    t.advance(300);
    const statuses = t.rows("SELECT EVENT_DETAILS:status::VARCHAR AS S FROM TABLE(cycled!SPCS_GET_EVENTS()) WHERE EVENT_NAME = 'SERVICE.STATUS_CHANGE' ORDER BY TIMESTAMP").map((row) => row.S);
    assert.deepEqual(statuses, ['PENDING', 'RUNNING', 'SUSPENDING', 'SUSPENDED', 'RESUMING', 'RUNNING']);
    const container = t.rows("SELECT EVENT_DETAILS:message::VARCHAR AS M FROM TABLE(cycled!SPCS_GET_EVENTS()) WHERE CONTAINER_NAME = 'echo' ORDER BY TIMESTAMP").map((row) => row.M);
    assert.ok(container.includes('Container was OOMKilled due to resource usage'));
    assert.equal(container.filter((message) => message === 'Readiness probe is failing at path: /healthcheck, port: 8000').length, 2, 'once per start, before and after the suspension');
    // Logs of the run before the suspension outlive it.
    const runs = t.rows("SELECT COUNT(*) AS N FROM TABLE(cycled!SPCS_GET_LOGS()) WHERE LOG = 'Starting echo service on port 8000'");
    assert.equal(runs[0]?.N, '3', 'the first run, the run after the OOM kill, the run after the resume');
    assertError(t.error("SELECT SYSTEM$GET_SERVICE_LOGS('cycled', 0, 'echo', 10, TRUE)"), '391432', /has not restarted/);
    // The history is part of the account's state (`--state FILE`).
    const restored = createAccount({ clock: t.clock, state: JSON.parse(JSON.stringify(t.account.serialize())) as unknown });
    const sql = 'SELECT * FROM TABLE(cycled!SPCS_GET_EVENTS())';
    assert.deepEqual(restored.engine.execute(sql, t.session()), t.run(sql));
  });
});

describe('SPCS_GET_METRICS', () => {
  it('has the documented columns, in order: VALUE is VARCHAR, RESOURCE is never populated', () => {
    const t = kit();
    assert.deepEqual(columns(t, 'SELECT * FROM TABLE(llm_service!SPCS_GET_METRICS())'), [
      'TIMESTAMP:timestamp_ntz',
      'METRIC_NAME:text',
      'VALUE:text',
      'UNIT:text',
      'INSTANCE_ID:fixed(0)',
      'CONTAINER_NAME:text',
      'RESOURCE:text',
      'RECORD:object',
      'RECORD_ATTRIBUTES:object',
    ]);
    const row = t.one("SELECT * FROM TABLE(llm_service!SPCS_GET_METRICS()) WHERE METRIC_NAME = 'container.gpu.utilization' AND RECORD_ATTRIBUTES:gpu = '3' ORDER BY TIMESTAMP DESC LIMIT 1");
    assert.equal(ms(row.TIMESTAMP), utc('2026-01-01T11:58:00Z'), 'the newest sample is two minutes old: the ingestion delay');
    assert.match(row.VALUE ?? '', /^0\.\d{1,6}$/);
    assert.deepEqual([row.UNIT, row.INSTANCE_ID, row.CONTAINER_NAME, row.RESOURCE], ['ratio', '0', 'vllm', null]);
    assert.deepEqual(json(row.RECORD), { metric: { name: 'container.gpu.utilization', unit: 'ratio' }, metric_type: 'gauge', value_type: 'DOUBLE' });
    assert.deepEqual(json(row.RECORD_ATTRIBUTES), { gpu: '3' });
  });

  it('publishes only the groups the spec enables, with the documented names and units', () => {
    const t = kit();
    const metrics = (service: string): string[] => t.rows(`SELECT METRIC_NAME, UNIT FROM TABLE(${service}!SPCS_GET_METRICS()) GROUP BY 1, 2 ORDER BY 1`).map((row) => `${row.METRIC_NAME} (${row.UNIT})`);
    assert.deepEqual(metrics('llm_service'), [
      'container.cpu.limit (cpu cores)',
      'container.cpu.requested (cpu cores)',
      'container.cpu.usage (cpu cores)',
      'container.gpu.limit (gpus)',
      'container.gpu.memory.capacity (bytes)',
      'container.gpu.memory.usage (bytes)',
      'container.gpu.requested (gpus)',
      'container.gpu.utilization (ratio)',
      'container.memory.limit (bytes)',
      'container.memory.requested (bytes)',
      'container.memory.usage (bytes)',
    ]);
    assert.deepEqual(metrics('echo_service'), [], 'no platformMonitor, no metrics');
    t.run(`CREATE SERVICE watched IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${monitoredSpec(['status', 'network'])}$$`);
    t.advance(600);
    assert.deepEqual(metrics('watched'), [
      'container.restarts (restarts)',
      'container.state.pending (boolean)',
      'container.state.pending.reason (boolean)',
      'container.state.running (boolean)',
      'container.state.started (boolean)',
      'network.egress.denied.packets (packets)',
      'network.egress.received.bytes (bytes)',
      'network.egress.received.packets (packets)',
      'network.egress.transmitted.bytes (byte)',
      'network.egress.transmitted.packets (packets)',
      'network.ingress.connections.active (connections)',
      'network.ingress.cps (connections/sec)',
    ]);
    // Egress is per instance (no container); ingress names its endpoint.
    assert.deepEqual(t.rows("SELECT CONTAINER_NAME, COUNT(*) AS N FROM TABLE(watched!SPCS_GET_METRICS()) WHERE METRIC_NAME LIKE 'network.egress.%' GROUP BY 1").map((row) => row.CONTAINER_NAME), [null]);
    assert.deepEqual(json(t.value("SELECT RECORD_ATTRIBUTES FROM TABLE(watched!SPCS_GET_METRICS()) WHERE METRIC_NAME = 'network.ingress.cps' LIMIT 1")), { 'snow.endpoint.name': 'echoendpoint' });
    // Without an external access integration every packet out is denied.
    assert.equal(t.value("SELECT MAX(VALUE::FLOAT) FROM TABLE(watched!SPCS_GET_METRICS()) WHERE METRIC_NAME = 'network.egress.transmitted.bytes'"), '0');
  });

  it('reports block volumes in the storage group, per instance', () => {
    const t = kit();
    const volume = '  volumes:\n    - name: data\n      source: block\n      size: 20Gi\n';
    const spec = monitoredSpec(['storage'], volume).replace('      readinessProbe:', '      volumeMounts:\n        - name: data\n          mountPath: /data\n      readinessProbe:');
    t.run(`CREATE SERVICE stored IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${spec}$$`);
    t.advance(600);
    const capacity = t.one("SELECT VALUE, UNIT, INSTANCE_ID, CONTAINER_NAME, RECORD_ATTRIBUTES FROM TABLE(stored!SPCS_GET_METRICS()) WHERE METRIC_NAME = 'volume.capacity' LIMIT 1");
    assert.deepEqual([capacity.VALUE, capacity.UNIT, capacity.INSTANCE_ID, capacity.CONTAINER_NAME], [String(20 * GiB), 'bytes', '0', null]);
    const attributes = json(capacity.RECORD_ATTRIBUTES) as Record<string, string>;
    assert.deepEqual({ ...attributes, snow_volume_id: typeof attributes.snow_volume_id }, { snow_volume_id: 'string', snow_volume_name: 'data', snow_volume_replica: '0', volume_type: 'block' });
    assert.equal(t.rows('SELECT METRIC_NAME FROM TABLE(stored!SPCS_GET_METRICS()) GROUP BY 1').length, 7);
  });

  it('reports GPUs one by one, limits and requests from the spec, node capacity where the spec gives none', () => {
    const t = kit();
    const latest = (metric: string, container: string): Row[] =>
      t.rows(`SELECT VALUE, RECORD_ATTRIBUTES:gpu::VARCHAR AS GPU FROM TABLE(llm_service!SPCS_GET_METRICS(START_TIME => DATEADD(SECOND, -120, CURRENT_TIMESTAMP()))) WHERE METRIC_NAME = '${metric}' AND CONTAINER_NAME = '${container}' ORDER BY GPU`);
    assert.deepEqual(latest('container.memory.limit', 'vllm').map((row) => row.VALUE), [String(160 * GiB)]);
    assert.deepEqual(latest('container.memory.requested', 'vllm').map((row) => row.VALUE), [String(96 * GiB)]);
    assert.deepEqual(latest('container.cpu.requested', 'vllm').map((row) => row.VALUE), ['16']);
    assert.deepEqual(latest('container.cpu.limit', 'vllm').map((row) => row.VALUE), ['44'], 'no cpu limit: the node capacity of GPU_NV_M');
    assert.deepEqual(latest('container.gpu.limit', 'vllm').map((row) => row.VALUE), ['4']);
    assert.deepEqual(latest('container.gpu.utilization', 'vllm').map((row) => row.GPU), ['0', '1', '2', '3']);
    assert.deepEqual(latest('container.gpu.memory.capacity', 'vllm').map((row) => Math.round(Number(row.VALUE) / GiB * 100) / 100), [22.19, 22.19, 22.19, 22.19]);
    assert.deepEqual(latest('container.memory.limit', 'chat-ui').map((row) => row.VALUE), [String(178 * GiB)], 'no memory limit: the node capacity');
    assert.deepEqual(latest('container.memory.requested', 'chat-ui').map((row) => row.VALUE), [String(2 * GiB)]);
    assert.deepEqual(latest('container.gpu.utilization', 'chat-ui'), [], 'a container without GPUs has no GPU metrics');
    // vLLM holds 90 % of each GPU's memory and keeps the GPUs busy while serving.
    for (const row of latest('container.gpu.memory.usage', 'vllm')) assert.ok(Math.abs(Number(row.VALUE) / (22.19 * GiB) - 0.9) < 0.01, row.VALUE ?? '');
    for (const row of latest('container.gpu.utilization', 'vllm')) assert.ok(Number(row.VALUE) > 0.3 && Number(row.VALUE) <= 1, row.VALUE ?? '');
  });

  it('shows memory climbing to its limit before the out-of-memory kill, and climbing again after the restart', () => {
    const t = kit();
    const memory = (start: string, end: string, aggregate: 'MIN' | 'MAX'): number =>
      Number(t.value(`SELECT ${aggregate}(VALUE::FLOAT) FROM TABLE(llm_service!SPCS_GET_METRICS(START_TIME => '${start}', END_TIME => '${end}')) WHERE METRIC_NAME = 'container.memory.usage' AND CONTAINER_NAME = 'vllm'`));
    const limit = 160 * GiB;
    assert.ok(memory('2026-01-01T06:00:00Z', '2026-01-01T09:59:00Z', 'MAX') < 0.7 * limit, 'steady on 0.6.2');
    assert.ok(memory('2026-01-01T11:09:00Z', '2026-01-01T11:09:59Z', 'MIN') > 0.98 * limit, 'at the limit just before the kill');
    assert.ok(memory('2026-01-01T11:10:00Z', '2026-01-01T11:10:30Z', 'MAX') < 0.5 * limit, 'back to its baseline after the restart');
    const now = memory('2026-01-01T11:57:00Z', '2026-01-01T12:00:00Z', 'MAX');
    assert.ok(now > 0.8 * limit && now < limit, `near the limit again: ${now / limit}`);
  });

  it('follows a daily load curve: busier in the afternoon (UTC) than at night', () => {
    const t = kit();
    const cpu = (start: string, end: string): number =>
      Number(t.value(`SELECT AVG(VALUE::FLOAT) FROM TABLE(llm_service!SPCS_GET_METRICS(START_TIME => '${start}', END_TIME => '${end}')) WHERE METRIC_NAME = 'container.cpu.usage' AND CONTAINER_NAME = 'vllm'`));
    const afternoon = cpu('2025-12-31T14:00:00Z', '2025-12-31T16:00:00Z');
    const night = cpu('2026-01-01T02:00:00Z', '2026-01-01T04:00:00Z');
    assert.ok(afternoon > 1.5 * night, `${afternoon} vs ${night}`);
  });

  it('samples every 10 seconds, and only after the ingestion delay', () => {
    const t = kit();
    const created = t.clock.now();
    t.run(`CREATE SERVICE fresh IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${monitoredSpec(['system'])}$$`);
    t.advance(125);
    assert.equal(t.value('SELECT COUNT(*) FROM TABLE(fresh!SPCS_GET_METRICS())'), '0', 'the process started 10 s after creation; its first sample is not in yet');
    t.advance(10);
    assert.deepEqual(t.rows('SELECT TIMESTAMP, METRIC_NAME FROM TABLE(fresh!SPCS_GET_METRICS()) ORDER BY METRIC_NAME').map((row) => [ms(row.TIMESTAMP) - created, row.METRIC_NAME]), [
      [10_000, 'container.cpu.usage'],
      [10_000, 'container.memory.usage'],
    ]);
    t.advance(60);
    const times = t.rows("SELECT TIMESTAMP FROM TABLE(fresh!SPCS_GET_METRICS()) WHERE METRIC_NAME = 'container.cpu.usage' ORDER BY TIMESTAMP").map((row) => ms(row.TIMESTAMP) - created);
    assert.deepEqual(times, [10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000]);
  });

  it('gives a service created with runAt a day of history: every series sampled every 10 seconds', () => {
    const t = kit();
    const day = 86_400_000;
    const control = t.account.control;
    const session = { role: 'ACCOUNTADMIN', database: 'SPCS_DEMO', schema: 'PUBLIC' };
    const containers = ['api', 'worker', 'sidecar']
      .map((name) => `    - name: ${name}\n      image: /app_db/backend/images/orders-api:2.3.1\n      resources:\n        limits:\n          memory: 2Gi\n`)
      .join('');
    const spec = `spec:\n  containers:\n${containers}  platformMonitor:\n    metricConfig:\n      groups: [system, system_limits]\n`;
    control.runAt(t.clock.now() - day - 60_000, 'CREATE COMPUTE POOL history_pool MIN_NODES = 4 MAX_NODES = 4 INSTANCE_FAMILY = CPU_X64_S', session);
    control.runAt(t.clock.now() - day, `CREATE SERVICE history IN COMPUTE POOL history_pool FROM SPECIFICATION $$${spec}$$ MIN_INSTANCES = 4 MAX_INSTANCES = 4`, session);
    const series = t.rows('SELECT INSTANCE_ID, CONTAINER_NAME, METRIC_NAME, COUNT(*) AS N, MIN(TIMESTAMP) AS FIRST FROM TABLE(history!SPCS_GET_METRICS()) GROUP BY 1, 2, 3', t.session('ACCOUNTADMIN'));
    assert.equal(series.length, 4 * 3 * 6);
    // A day minus the two minutes of ingestion delay, from the first sample after the process started.
    for (const row of series) assert.ok(Number(row.N) >= 8600 && Number(row.N) <= 8640, `${row.METRIC_NAME}: ${row.N}`);
    assert.ok(series.every((row) => ms(row.FIRST) >= t.clock.now() - day));
  });

  it('reports status: pending with its reason, running, restarts and the last finished run', () => {
    const t = kit();
    const reasons = t.rows("SELECT RECORD_ATTRIBUTES:reason::VARCHAR AS R, COUNT(*) AS N FROM TABLE(reporting_service!SPCS_GET_METRICS()) WHERE METRIC_NAME = 'container.state.pending.reason' GROUP BY 1");
    assert.deepEqual(reasons.map((row) => row.R), ['FailedToPullImage']);
    t.run(`CREATE SERVICE restarted IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${monitoredSpec(['status'])}$$`);
    t.advance(60);
    t.account.control.restartContainer('SPCS_DEMO.PUBLIC.RESTARTED', 0, 'echo', { exitCode: 137 });
    t.advance(180);
    const at = (metric: string): string[] => t.rows(`SELECT VALUE, RECORD_ATTRIBUTES:reason::VARCHAR AS R FROM TABLE(restarted!SPCS_GET_METRICS()) WHERE METRIC_NAME = '${metric}' ORDER BY TIMESTAMP DESC LIMIT 1`).map((row) => `${row.VALUE}${row.R !== null ? ` ${row.R}` : ''}`);
    assert.deepEqual(at('container.restarts'), ['1']);
    assert.deepEqual(at('container.state.last.finished.reason'), ['1 FailedWithOOM']);
    assert.deepEqual(at('container.state.last.finished.exitcode'), ['137']);
    assert.deepEqual(at('container.state.running'), ['1']);
    const first = t.rows("SELECT METRIC_NAME, RECORD_ATTRIBUTES:reason::VARCHAR AS R FROM TABLE(restarted!SPCS_GET_METRICS()) WHERE TIMESTAMP = TO_TIMESTAMP_NTZ('2026-01-01 12:00:00') ORDER BY 1");
    assert.deepEqual(first.map((row) => `${row.METRIC_NAME}${row.R !== null ? ` ${row.R}` : ''}`), ['container.restarts', 'container.state.pending', 'container.state.pending.reason Creating']);
  });
});

describe('SPCS_GET_LOGS', () => {
  it('has the documented columns: the stream is in RECORD_ATTRIBUTES', () => {
    const t = kit();
    assert.deepEqual(columns(t, 'SELECT * FROM TABLE(echo_service!SPCS_GET_LOGS())'), ['TIMESTAMP:timestamp_ntz', 'INSTANCE_ID:fixed(0)', 'CONTAINER_NAME:text', 'LOG:text', 'RECORD_ATTRIBUTES:object']);
    const streams = t.rows("SELECT RECORD_ATTRIBUTES:\"log.iostream\"::VARCHAR AS STREAM FROM TABLE(echo_service!SPCS_GET_LOGS()) GROUP BY 1 ORDER BY 1").map((row) => row.STREAM);
    assert.deepEqual(streams, ['stderr', 'stdout']);
  });

  it("keeps a finished job's logs, every replica", () => {
    const t = kit();
    assert.equal(t.one("SHOW SERVICES LIKE 'NIGHTLY_TRAINING_JOB'").status, 'DONE');
    const ends = t.rows("SELECT INSTANCE_ID, LOG FROM TABLE(nightly_training_job!SPCS_GET_LOGS()) WHERE LOG = 'Training complete.' ORDER BY INSTANCE_ID");
    assert.deepEqual(ends.map((row) => row.INSTANCE_ID), ['0', '1']);
    const first = t.one('SELECT LOG FROM TABLE(nightly_training_job!SPCS_GET_LOGS()) WHERE INSTANCE_ID = 1 ORDER BY TIMESTAMP LIMIT 1');
    assert.equal(first.LOG, 'Starting python -m trainer.main --input /data/features --output /data/models');
  });

  it("keeps every run of a restarted container, and of instances an upgrade replaced", () => {
    const t = kit();
    const lines = (start: string, end: string): string[] =>
      t.rows(`SELECT LOG FROM TABLE(llm_service!SPCS_GET_LOGS(START_TIME => '${start}', END_TIME => '${end}')) WHERE CONTAINER_NAME = 'vllm' ORDER BY TIMESTAMP`).map((row) => row.LOG ?? '');
    assert.ok(lines('2025-12-31T12:30:00Z', '2025-12-31T12:32:00Z').some((line) => line.includes('vLLM API server version 0.6.2')), 'the 0.6.2 generation, replaced at 10:00');
    const killed = lines('2026-01-01T11:09:00Z', '2026-01-01T11:10:00Z');
    assert.match(killed.at(-1) ?? '', /torch\.OutOfMemoryError: CUDA out of memory/);
    assert.ok(lines('2026-01-01T11:10:00Z', '2026-01-01T11:11:00Z').some((line) => line.includes('vLLM API server version 0.6.3')), 'the run after the kill starts over');
  });

  it('has the lines and timestamps SYSTEM$GET_SERVICE_LOGS has', () => {
    const t = kit();
    const live = (t.value("SELECT SYSTEM$GET_SERVICE_LOGS('echo_service', 1, 'echo', 200, FALSE, '', TRUE)") ?? '').split('\n');
    const history = t
      .rows("SELECT TIMESTAMP, LOG FROM TABLE(echo_service!SPCS_GET_LOGS()) WHERE INSTANCE_ID = 1 AND TIMESTAMP >= '2026-01-01 11:50:00' ORDER BY TIMESTAMP")
      .map((row) => `${new Date(Math.floor(Number(row.TIMESTAMP) * 1000)).toISOString().slice(0, 23)}${(row.TIMESTAMP ?? '').split('.')[1]?.slice(3)}Z ${row.LOG}`);
    assert.ok(history.length > 50);
    // The event table lags two minutes behind the live logs.
    const overlap = live.filter((line) => history.includes(line));
    assert.equal(overlap.length, history.length);
  });

  it('exports the streams logExporters asks for: ERROR is stderr only, NONE is nothing', () => {
    const t = kit();
    const exporters = (level: string): string => `  logExporters:\n    eventTableConfig:\n      logLevel: ${level}\n`;
    t.run(`CREATE SERVICE errors_only IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}${exporters('ERROR')}$$`);
    t.run(`CREATE SERVICE silent IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}${exporters('NONE')}$$`);
    t.advance(600);
    assert.deepEqual(t.rows("SELECT RECORD_ATTRIBUTES:\"log.iostream\"::VARCHAR AS S FROM TABLE(errors_only!SPCS_GET_LOGS()) GROUP BY 1").map((row) => row.S), ['stderr']);
    assert.equal(t.value('SELECT COUNT(*) FROM TABLE(silent!SPCS_GET_LOGS())'), '0');
    assert.ok((t.value("SELECT SYSTEM$GET_SERVICE_LOGS('silent', 0, 'echo', 5)") ?? '').length > 0, 'the live logs are unaffected');
  });
});

describe('SELECT … FROM TABLE(<service>!SPCS_GET_…())', () => {
  it('defaults to the last day, takes START_TIME and END_TIME as constants, and includes both ends', () => {
    const t = kit();
    const range = (args: string): [number, number, number] => {
      const row = t.one(`SELECT MIN(TIMESTAMP) AS A, MAX(TIMESTAMP) AS B, COUNT(*) AS N FROM TABLE(echo_service!SPCS_GET_EVENTS(${args}))`);
      return [ms(row.A), ms(row.B), Number(row.N)];
    };
    const day = range('');
    assert.ok(day[0] >= utc('2025-12-31T12:00:00Z') && day[2] > 0);
    assert.deepEqual(range("START_TIME => DATEADD('day', -3, CURRENT_TIMESTAMP())").slice(0, 2), [utc('2025-12-31T12:00:00Z'), utc('2025-12-31T12:00:35Z')]);
    assert.deepEqual(range("START_TIME => '2025-12-31T12:00:30Z', END_TIME => '2025-12-31T12:00:35Z'"), [utc('2025-12-31T12:00:30Z'), utc('2025-12-31T12:00:35Z'), 5]);
    // A timestamp without an offset is TIMESTAMP_LTZ in the session's time zone (America/Los_Angeles).
    assert.deepEqual(range("START_TIME => TO_TIMESTAMP_LTZ('2025-12-31 04:00:30'), END_TIME => '2025-12-31 04:00:35'"), [utc('2025-12-31T12:00:30Z'), utc('2025-12-31T12:00:35Z'), 5]);
    assert.equal(range("START_TIME => CURRENT_TIMESTAMP(), END_TIME => DATEADD(HOUR, -1, CURRENT_TIMESTAMP())")[2], 0, 'an empty window');
    assert.equal(range("END_TIME => DATEADD(DAY, -2, CURRENT_TIMESTAMP())")[2], 0, 'START_TIME still defaults to one day ago');
    // Two hours later, the service's first events are more than a day old.
    t.advance(2 * 3600);
    assert.equal(range('')[2], 0);
    assert.equal(range("START_TIME => DATEADD('day', -3, CURRENT_TIMESTAMP())")[2], 12);
  });

  it('filters, orders, limits and projects like SQL', () => {
    const t = kit();
    const newest = t.rows("SELECT TIMESTAMP, INSTANCE_ID FROM TABLE(echo_service!SPCS_GET_LOGS()) WHERE INSTANCE_ID = 1 AND CONTAINER_NAME IN ('echo') ORDER BY TIMESTAMP DESC LIMIT 5");
    assert.equal(newest.length, 5);
    assert.ok(newest.every((row) => row.INSTANCE_ID === '1'));
    const times = newest.map((row) => Number(row.TIMESTAMP));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    const skipped = t.rows("SELECT TIMESTAMP FROM TABLE(echo_service!SPCS_GET_LOGS()) WHERE INSTANCE_ID = 1 ORDER BY TIMESTAMP DESC LIMIT 2 OFFSET 3");
    assert.deepEqual(skipped.map((row) => row.TIMESTAMP), newest.slice(3, 5).map((row) => row.TIMESTAMP));
    assert.deepEqual(Object.keys(t.one('SELECT l.*, l.LOG AS line FROM TABLE(echo_service!SPCS_GET_LOGS()) AS l LIMIT 1')), ['TIMESTAMP', 'INSTANCE_ID', 'CONTAINER_NAME', 'LOG', 'RECORD_ATTRIBUTES', 'LINE']);
    const between = t.one("SELECT COUNT(*) AS N FROM TABLE(llm_service!SPCS_GET_METRICS()) WHERE METRIC_NAME = 'container.cpu.usage' AND CONTAINER_NAME = 'vllm' AND TIMESTAMP BETWEEN '2026-01-01 11:00:00' AND '2026-01-01 11:01:00'");
    assert.equal(between.N, '7');
    const grouped = t.rows("SELECT TIME_SLICE(TIMESTAMP, 15, 'MINUTE') AS T, CONTAINER_NAME, AVG(VALUE::FLOAT) AS AVG_CPU, MAX(VALUE::FLOAT) AS MAX_CPU, COUNT(*) AS N FROM TABLE(llm_service!SPCS_GET_METRICS(START_TIME => '2026-01-01T11:00:00Z', END_TIME => '2026-01-01T11:29:59Z')) WHERE METRIC_NAME = 'container.cpu.usage' GROUP BY 1, 2 ORDER BY T, CONTAINER_NAME");
    assert.deepEqual(grouped.map((row) => [ms(row.T), row.CONTAINER_NAME, row.N]), [
      [utc('2026-01-01T11:00:00Z'), 'chat-ui', '90'],
      [utc('2026-01-01T11:00:00Z'), 'vllm', '90'],
      [utc('2026-01-01T11:15:00Z'), 'chat-ui', '90'],
      [utc('2026-01-01T11:15:00Z'), 'vllm', '90'],
    ]);
    assert.ok(grouped.every((row) => Number(row.AVG_CPU) <= Number(row.MAX_CPU)));
    assertError(t.error("SELECT INSTANCE_ID, LOG FROM TABLE(echo_service!SPCS_GET_LOGS()) GROUP BY 1"), '000979', /\[LOG\] is not a valid group by expression/);
  });

  it("compares TIMESTAMP (NTZ, UTC) with TIMESTAMP_LTZ values in the session's time zone, as Snowflake does", () => {
    const t = kit();
    const sql = 'SELECT MIN(TIMESTAMP) FROM TABLE(echo_service!SPCS_GET_LOGS()) WHERE TIMESTAMP > DATEADD(HOUR, -1, CURRENT_TIMESTAMP())';
    // In UTC the hour is an hour; in America/Los_Angeles the LTZ value becomes a wall clock 8 hours earlier.
    assert.ok(ms(t.value(sql, { ...t.session(), timezone: 'UTC' })) >= utc('2026-01-01T11:00:00Z'));
    assert.ok(ms(t.value(sql)) < utc('2026-01-01T04:00:01Z'));
    // SYSDATE() is already UTC: what the Snowflake CLI compares with.
    assert.ok(ms(t.value("SELECT MIN(TIMESTAMP) FROM TABLE(echo_service!SPCS_GET_LOGS()) WHERE TIMESTAMP > SYSDATE() - INTERVAL '1 hour'")) >= utc('2026-01-01T11:00:00Z'));
  });

  it('names services every way Snowflake does', () => {
    const t = kit();
    const count = (sql: string, session = t.session()): string | null => t.value(sql, session);
    const expected = count('SELECT COUNT(*) FROM TABLE(llm_service!SPCS_GET_EVENTS())');
    assert.equal(count('select count(*) from table(SPCS_DEMO.PUBLIC.LLM_SERVICE!spcs_get_events()) -- comment'), expected);
    assert.equal(count('SELECT COUNT(*) FROM TABLE("SPCS_DEMO"."PUBLIC"."LLM_SERVICE"!SPCS_GET_EVENTS()) /* quoted */'), expected);
    assert.equal(count('SELECT COUNT(*) FROM TABLE(public.llm_service!SPCS_GET_EVENTS())'), expected);
    assertError(t.error('SELECT COUNT(*) FROM TABLE("llm_service"!SPCS_GET_EVENTS())'), '002003', "SQL compilation error:\nService 'SPCS_DEMO.PUBLIC.\"llm_service\"' does not exist or not authorized.");
    assertError(t.error('SELECT COUNT(*) FROM TABLE(llm_service!SPCS_GET_EVENTS())', { ...t.session(), database: undefined, schema: undefined }), '090105', /does not have a current database/);
  });

  it('is MONITOR (or OWNERSHIP) on the service, and no access to the event table itself', () => {
    const t = kit();
    const admin = t.session('ACCOUNTADMIN');
    t.run('CREATE ROLE usage_only', admin);
    t.run('GRANT ROLE usage_only TO USER viewer_user', admin);
    t.run('GRANT USAGE ON SERVICE llm_service TO ROLE usage_only');
    const viewer = t.session('SPCS_VIEWER', 'VIEWER_USER');
    for (const fn of ['SPCS_GET_EVENTS', 'SPCS_GET_METRICS', 'SPCS_GET_LOGS']) {
      assert.ok(Number(t.value(`SELECT COUNT(*) FROM TABLE(llm_service!${fn}())`, viewer)) > 0, `${fn} with MONITOR`);
      assertError(t.error(`SELECT * FROM TABLE(llm_service!${fn}())`, t.session('USAGE_ONLY', 'VIEWER_USER')), '003001', "SQL access control error:\nInsufficient privileges to operate on service 'SPCS_DEMO.PUBLIC.LLM_SERVICE'.");
      assertError(t.error(`SELECT * FROM TABLE(orders_service!${fn}())`, t.session('USAGE_ONLY', 'VIEWER_USER')), '002003', "SQL compilation error:\nService 'SPCS_DEMO.PUBLIC.ORDERS_SERVICE' does not exist or not authorized.");
    }
    t.run('REVOKE MONITOR ON SERVICE llm_service FROM ROLE spcs_viewer');
    assertError(t.error('SELECT * FROM TABLE(llm_service!SPCS_GET_LOGS())', viewer), '003001', /Insufficient privileges/);
    assertError(t.error("ALTER ACCOUNT SET LOG_EVENT_LEVEL = 'INFO'"), '003001', /MODIFY LOG EVENT LEVEL/);
  });

  it('rejects missing services, wrong arguments and what it does not implement, the way Snowflake does', () => {
    const t = kit();
    assertError(t.error('SELECT * FROM TABLE(nope!SPCS_GET_LOGS())'), '002003', "SQL compilation error:\nService 'SPCS_DEMO.PUBLIC.NOPE' does not exist or not authorized.");
    assertError(t.error('SELECT * FROM TABLE(echo_service!SPCS_GET_LOGZ())'), '002140', 'SQL compilation error:\nUnknown function ECHO_SERVICE!SPCS_GET_LOGZ');
    assertError(t.error('SELECT * FROM TABLE(echo_service!SPCS_GET_LOGS(FROM_TIME => CURRENT_TIMESTAMP()))'), '001044', /no argument named FROM_TIME/);
    assertError(t.error('SELECT * FROM TABLE(echo_service!SPCS_GET_LOGS(CURRENT_TIMESTAMP()))'), '001044', /arguments are named/);
    assertError(t.error('SELECT * FROM TABLE(echo_service!SPCS_GET_LOGS(START_TIME => 1, START_TIME => 2))'), '001044', /START_TIME is given twice/);
    assertError(t.error("SELECT * FROM TABLE(echo_service!SPCS_GET_LOGS(START_TIME => 'yesterday'))"), '100035', "Timestamp 'yesterday' is not recognized");
    assertError(t.error('SELECT nope FROM TABLE(echo_service!SPCS_GET_LOGS())'), '000904', "SQL compilation error:\ninvalid identifier 'NOPE'");
    assertError(t.error("SELECT * FROM TABLE(echo_service!SPCS_GET_LOGS()) WHERE LOG = 5"), '100038', /^Numeric value '.*' is not recognized$/);
    for (const [sql, feature] of [
      ['SELECT * FROM TABLE(echo_service!SPCS_GET_LOGS()) a JOIN TABLE(llm_service!SPCS_GET_LOGS()) b', 'joins'],
      ['SELECT COUNT(*) FROM TABLE(echo_service!SPCS_GET_LOGS()) HAVING COUNT(*) > 1', 'HAVING'],
      ['SELECT COUNT(DISTINCT INSTANCE_ID) FROM TABLE(echo_service!SPCS_GET_LOGS())', 'COUNT(DISTINCT …)'],
      ['SELECT ROW_NUMBER() OVER (ORDER BY TIMESTAMP) FROM TABLE(echo_service!SPCS_GET_LOGS())', 'window functions'],
      ['SELECT CASE WHEN INSTANCE_ID = 0 THEN 1 END FROM TABLE(echo_service!SPCS_GET_LOGS())', 'CASE expressions'],
      ['SELECT * FROM TABLE(echo_service!SPCS_GET_LOGS()) WHERE INSTANCE_ID IN (SELECT 1)', 'subqueries'],
      ['SELECT REGEXP_SUBSTR(LOG, \'x\') FROM TABLE(echo_service!SPCS_GET_LOGS())', 'function REGEXP_SUBSTR in a query of a table function'],
      ['SELECT * FROM TABLE(echo_service!SPCS_WAIT_FOR(\'READY\', 10))', 'ECHO_SERVICE!SPCS_WAIT_FOR as a table function'],
      ['SELECT * FROM TABLE(echo_service!SPCS_GET_LOGS()) UNION ALL SELECT 1', 'UNION'],
      ['SELECT * FROM events', 'column references'],
      ['SELECT DISTINCT INSTANCE_ID FROM TABLE(echo_service!SPCS_GET_LOGS())', 'SELECT DISTINCT'],
      ['SELECT TOP 5 LOG FROM TABLE(echo_service!SPCS_GET_LOGS())', 'SELECT TOP'],
      ['SELECT * FROM TABLE(echo_service!SPCS_GET_LOGS()) SAMPLE (10)', 'SAMPLE'],
      ['SELECT * FROM TABLE(echo_service!SPCS_GET_LOGS()) l SAMPLE (10)', 'SAMPLE'],
    ] as const) {
      assertError(t.error(sql), '000002', `Unsupported feature '${feature}'.`);
    }
  });

  it('is deterministic: the same seed and clock give the same rows', () => {
    const first = kit();
    const second = kit();
    for (const sql of [
      'SELECT * FROM TABLE(llm_service!SPCS_GET_EVENTS())',
      "SELECT * FROM TABLE(llm_service!SPCS_GET_METRICS(START_TIME => DATEADD(HOUR, -3, CURRENT_TIMESTAMP())))",
      'SELECT * FROM TABLE(orders_service!SPCS_GET_LOGS())',
    ]) {
      const a = first.run(sql);
      assert.ok(a.rows.length > 0, sql);
      assert.deepEqual(second.run(sql), a, sql);
    }
    // Moving the clock adds rows at the newest end and changes none of the others.
    const before = toRows(first.run("SELECT * FROM TABLE(echo_service!SPCS_GET_LOGS(START_TIME => '2026-01-01T11:00:00Z'))"));
    first.advance(300);
    const after = toRows(first.run("SELECT * FROM TABLE(echo_service!SPCS_GET_LOGS(START_TIME => '2026-01-01T11:00:00Z'))"));
    assert.deepEqual(after.slice(after.length - before.length), before);
  });
});
