/**
 * SYSTEM$GET_SERVICE_LOGS in every argument form (num_lines, previous logs, since_timestamp,
 * include_timestamps, the CLI's 7-argument CALL), the 100 KB cap, logs of long-running containers
 * generated on demand, and SYSTEM$GET_SERVICE_STATUS.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTimestamp, parseTimestamp } from '../../emulator/src/account/logs';
import { assertError, echoSpec, kit, toRows } from './sqlKit';

const timestamped = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z) /;

function logLines(text: string | null): string[] {
  return text === null || text === '' ? [] : text.split('\n');
}

describe('SYSTEM$GET_SERVICE_LOGS', () => {
  it('returns one VARCHAR column named after the call, lines joined by newlines', () => {
    const t = kit();
    const result = t.run("SELECT SYSTEM$GET_SERVICE_LOGS('echo_service', 0, 'echo', 10)");
    assert.deepEqual(result.columns, [{ name: "SYSTEM$GET_SERVICE_LOGS('ECHO_SERVICE', 0, 'ECHO', 10)", type: 'text', nullable: true }]);
    const lines = logLines(result.rows[0]?.[0] ?? null);
    assert.equal(lines.length, 10);
    assert.ok(lines.some((line) => line.includes('"GET /healthcheck HTTP/1.1" 200')));
    const call = t.run("CALL SYSTEM$GET_SERVICE_LOGS('spcs_demo.public.echo_service', '1', 'echo', 3)");
    assert.equal(call.columns[0]?.name, 'SYSTEM$GET_SERVICE_LOGS');
    assert.equal(logLines(call.rows[0]?.[0] ?? null).length, 3);
    assert.equal(t.value("SELECT SYSTEM$GET_SERVICE_LOGS('echo_service', 0, 'echo', 5) AS logs"), t.value("SELECT SYSTEM$GET_SERVICE_LOGS('echo_service', '0', 'echo', 5)"));
  });

  it('starts with the start-up sequence and continues with periodic lines', () => {
    const t = kit();
    t.run(`CREATE SERVICE fresh IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$`);
    assert.equal(t.value("SELECT SYSTEM$GET_SERVICE_LOGS('fresh', 0, 'echo')"), '');
    t.advance(11);
    const startup = logLines(t.value("SELECT SYSTEM$GET_SERVICE_LOGS('fresh', 0, 'echo')"));
    assert.deepEqual(startup.slice(0, 3), ['Starting echo service on port 8000', " * Serving Flask app 'echo_service'", ' * Debug mode: off']);
    assert.match(startup.at(-1) ?? '', /^ \* Running on http:\/\/10\.244\.\d+\.\d+:8000$/);
    t.advance(60);
    const lines = logLines(t.value("SELECT SYSTEM$GET_SERVICE_LOGS('fresh', 0, 'echo')"));
    assert.ok(lines.length > 10);
    assert.equal(lines[0], 'Starting echo service on port 8000');
  });

  it('is deterministic: the same call at the same time gives the same text', () => {
    const first = kit();
    const second = kit();
    const sql = "SELECT SYSTEM$GET_SERVICE_LOGS('llm_service', 0, 'vllm', 50, false, '', true)";
    assert.equal(first.value(sql), second.value(sql));
  });

  it('prefixes RFC 3339 nanosecond timestamps and filters by since (inclusive)', () => {
    const t = kit();
    const lines = logLines(t.value("CALL SYSTEM$GET_SERVICE_LOGS('echo_service', '0', 'echo', 20, FALSE, '', TRUE)"));
    assert.equal(lines.length, 20);
    const stamps = lines.map((line) => timestamped.exec(line)?.[1] ?? '');
    assert.ok(stamps.every((stamp) => stamp !== ''));
    assert.deepEqual([...stamps].sort(), stamps);
    const since = stamps[15] ?? '';
    const after = logLines(t.value(`CALL SYSTEM$GET_SERVICE_LOGS('echo_service', '0', 'echo', 500, FALSE, '${since}', TRUE)`));
    assert.deepEqual(after, lines.slice(15));
    // Without timestamps the same window is just the text.
    const plain = logLines(t.value(`CALL SYSTEM$GET_SERVICE_LOGS('echo_service', '0', 'echo', 500, FALSE, '${since}', FALSE)`));
    assert.deepEqual(plain, lines.slice(15).map((line) => line.replace(timestamped, '')));
    // Following: new lines appear after the clock moves; the line at `since` comes back once more.
    t.advance(30);
    const next = logLines(t.value(`CALL SYSTEM$GET_SERVICE_LOGS('echo_service', '0', 'echo', 500, FALSE, '${stamps[19] ?? ''}', TRUE)`));
    assert.equal(next[0], lines[19]);
    assert.ok(next.length > 1);
    // Other timestamp spellings are accepted; nonsense is not.
    assert.equal(logLines(t.value(`CALL SYSTEM$GET_SERVICE_LOGS('echo_service', '0', 'echo', 500, FALSE, '2099-01-01 00:00:00+00:00', TRUE)`)).length, 0);
    assert.equal(t.error("CALL SYSTEM$GET_SERVICE_LOGS('echo_service', '0', 'echo', 5, FALSE, 'yesterday', TRUE)").code, '100094');
  });

  it('returns the previous logs of a restarted container, and refuses them when it never restarted', () => {
    const t = kit();
    const previous = logLines(t.value("SELECT SYSTEM$GET_SERVICE_LOGS('llm_service', 0, 'vllm', 1000, TRUE)"));
    assert.ok(previous.some((line) => line.includes('vLLM API server version 0.6.3')));
    assert.match(previous.at(-1) ?? '', /torch\.OutOfMemoryError: CUDA out of memory/);
    const current = logLines(t.value("SELECT SYSTEM$GET_SERVICE_LOGS('llm_service', 0, 'vllm', 1000)"));
    assert.ok(current.every((line) => !line.includes('OutOfMemoryError')));
    assertError(t.error("SELECT SYSTEM$GET_SERVICE_LOGS('llm_service', 0, 'chat-ui', 10, TRUE)"), '391432', /has not restarted/);
    t.account.control.restartContainer('SPCS_DEMO.PUBLIC.LLM_SERVICE', 0, 'chat-ui', { exitCode: 139 });
    t.advance(5);
    assert.match(t.value("SELECT SYSTEM$GET_SERVICE_LOGS('llm_service', 0, 'chat-ui', 1, TRUE)") ?? '', /Segmentation fault/);
    const container = t.rows('SHOW SERVICE CONTAINERS IN SERVICE llm_service').find((row) => row.container_name === 'chat-ui');
    assert.deepEqual([container?.restart_count, container?.last_exit_code], ['1', '139']);
  });

  it('restarts containers of flaky images periodically, each restart keeping its previous logs', () => {
    const t = kit();
    t.run(`CREATE SERVICE flaky IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec({ image: '/spcs_demo/public/demo_repo/flaky-worker:0.1.0-flaky' })}$$`);
    t.advance(10 + 15 * 60 + 1);
    let container = t.one('SHOW SERVICE CONTAINERS IN SERVICE flaky');
    assert.deepEqual([container.status, container.restart_count], ['READY', '1']);
    t.advance(45 * 60);
    container = t.one('SHOW SERVICE CONTAINERS IN SERVICE flaky');
    assert.equal(container.restart_count, '4');
    assert.ok(logLines(t.value("SELECT SYSTEM$GET_SERVICE_LOGS('flaky', 0, 'echo', 10, TRUE)")).length === 10);
  });

  it('caps the result at 100 KB of the most recent lines and stays cheap for long-running containers', () => {
    const t = kit();
    t.advance(30 * 24 * 3600);
    const started = performance.now();
    const text = t.value("SELECT SYSTEM$GET_SERVICE_LOGS('echo_service', 0, 'echo')") ?? '';
    const elapsed = performance.now() - started;
    assert.ok(Buffer.byteLength(text) <= 100 * 1024);
    assert.ok(Buffer.byteLength(text) > 90 * 1024);
    assert.ok(elapsed < 500, `took ${elapsed} ms`);
    const withLimit = logLines(t.value("SELECT SYSTEM$GET_SERVICE_LOGS('echo_service', 0, 'echo', 3)"));
    assert.deepEqual(withLimit, logLines(text).slice(-3));
  });

  it('keeps logs of finished jobs readable', () => {
    const t = kit();
    const lines = logLines(t.value("SELECT SYSTEM$GET_SERVICE_LOGS('nightly_training_job', 0, 'trainer')"));
    assert.equal(lines.at(-1), 'Training complete.');
  });

  it('reports unknown services, instances and containers, and needs MONITOR', () => {
    const t = kit();
    assertError(t.error("SELECT SYSTEM$GET_SERVICE_LOGS('nope', 0, 'echo')"), '002003', "SQL compilation error:\nService 'SPCS_DEMO.PUBLIC.NOPE' does not exist or not authorized.");
    assertError(t.error("SELECT SYSTEM$GET_SERVICE_LOGS('echo_service', 7, 'echo')"), '391430', /Instance '7'/);
    assertError(t.error("SELECT SYSTEM$GET_SERVICE_LOGS('echo_service', 0, 'nope')"), '391431', /Container 'nope'/);
    assert.equal(t.error("SELECT SYSTEM$GET_SERVICE_LOGS('echo_service', 0)").code, '001044');
    t.run('GRANT USAGE ON SERVICE echo_service TO ROLE PUBLIC');
    t.run('CREATE ROLE watcher', t.session('ACCOUNTADMIN'));
    t.run('GRANT ROLE watcher TO USER viewer_user', t.session('ACCOUNTADMIN'));
    const watcher = t.session('WATCHER', 'VIEWER_USER');
    assertError(t.error("SELECT SYSTEM$GET_SERVICE_LOGS('echo_service', 0, 'echo')", watcher), '003001', "SQL access control error:\nInsufficient privileges to operate on service 'SPCS_DEMO.PUBLIC.ECHO_SERVICE'.");
    assert.ok(t.value("SELECT SYSTEM$GET_SERVICE_LOGS('echo_service', 0, 'echo', 1)", t.session('SPCS_VIEWER', 'VIEWER_USER')));
  });

  it('parses and formats nanosecond timestamps', () => {
    const stamp = parseTimestamp('2026-01-01T12:00:05.123456789Z');
    assert.deepEqual(stamp, { ms: Date.UTC(2026, 0, 1, 12, 0, 5, 123), nanos: 456789 });
    assert.equal(formatTimestamp(stamp ?? { ms: 0, nanos: 0 }), '2026-01-01T12:00:05.123456789Z');
    assert.deepEqual(parseTimestamp('2026-01-01T13:00:05+01:00'), { ms: Date.UTC(2026, 0, 1, 12, 0, 5), nanos: 0 });
    assert.equal(parseTimestamp('soon'), undefined);
  });
});

describe('SYSTEM$GET_SERVICE_STATUS', () => {
  it('returns the JSON array of container statuses', () => {
    const t = kit();
    const statuses = JSON.parse(t.value("CALL SYSTEM$GET_SERVICE_STATUS('echo_service')") ?? '[]') as Record<string, unknown>[];
    assert.equal(statuses.length, 2);
    assert.deepEqual(Object.keys(statuses[0] ?? {}), ['status', 'message', 'containerName', 'instanceId', 'serviceName', 'image', 'restartCount', 'startTime']);
    assert.deepEqual([statuses[0]?.status, statuses[0]?.message, statuses[0]?.serviceName, statuses[1]?.instanceId], ['READY', 'Running', 'ECHO_SERVICE', '1']);
  });

  it('waits while containers are PENDING when given a timeout', () => {
    const t = kit();
    t.run(`CREATE SERVICE soon IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$`);
    const pending = t.pending("SELECT SYSTEM$GET_SERVICE_STATUS('soon', 120)");
    assert.equal(pending.poll(), undefined);
    t.advance(31);
    const result = pending.poll();
    assert.ok(result);
    const [row] = toRows(result);
    assert.match(String(Object.values(row ?? {})[0]), /"status":"READY"/);
    t.run(`CREATE SERVICE later IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec()}$$`);
    const timedOut = t.pending("SELECT SYSTEM$GET_SERVICE_STATUS('later', 5)");
    t.advance(4);
    assert.equal(timedOut.poll(), undefined);
    t.advance(2);
    assert.match(String(timedOut.poll()?.rows[0]?.[0]), /"status":"PENDING","message":"Waiting to start"/);
  });
});
