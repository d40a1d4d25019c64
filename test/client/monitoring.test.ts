/**
 * The monitoring room against the local emulator through the REAL snowflake-sdk driver (demo seed,
 * clock at 2026-01-01 12:00 UTC): platform events with their spec links, the metrics plan and charts
 * (units, series per container and GPU, the memory limit line), the panel controller's messages,
 * log history across a restart and of a finished job, a node's health, and what the user is told when
 * MONITOR is missing, LOG_EVENT_LEVEL is OFF or the spec enables no metric groups.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectionsTomlSection } from '../../emulator/src/cli';
import { chartsForGroups } from '../../client/src/monitoring/metricCatalog';
import { groupsOfSpec, loadCharts, planMetrics } from '../../client/src/monitoring/metricsLoader';
import { applyEdit, metricGroupsEdit } from '../../client/src/monitoring/metricGroupsFix';
import type { ChartData, ToWebview } from '../../client/src/monitoring/metricsMessages';
import { MetricsPanelController, type Timers } from '../../client/src/monitoring/metricsPanel';
import { listEvents } from '../../client/src/monitoring/platformEvents';
import { readEvents, readFailureEvents, readHealth, readLogHistory, type Read, type TelemetryTarget } from '../../client/src/monitoring/telemetryReads';
import { describeService } from '../../client/src/snowflake/sql';
import { harness, printedConnection, value, waitFor, type Harness } from './emulatorHarness';

const now = Date.UTC(2026, 0, 1, 12);
const hour = 3_600_000;
const day = 24 * hour;
const timeoutMs = 30_000;
const service = (name: string) => ({ database: 'SPCS_DEMO', schema: 'PUBLIC', name });
const target = (name: string, extra: Partial<TelemetryTarget> = {}): TelemetryTarget => ({ connection: printedConnection, service: service(name), ...extra });

/** The value of a successful read; fails the test with the problem otherwise. */
function got<T>(read: Read<T>): T {
  if (!read.ok) throw new Error(`expected a value, got ${read.problem.kind}: ${read.problem.message}`);
  return read.value;
}

async function deployedSpec(h: Harness, name: string): Promise<string> {
  const row = value(await h.sessions.execute(printedConnection, describeService(service(name)), { timeoutMs })).rows[0];
  assert.equal(typeof row?.spec, 'string');
  return row?.spec as string;
}

function addRole(h: Harness, role: string, grants: readonly string[]): void {
  const admin = { role: 'ACCOUNTADMIN', database: 'SPCS_DEMO', schema: 'PUBLIC' };
  for (const sql of [`CREATE ROLE ${role}`, `GRANT ROLE ${role} TO USER VIEWER_USER`, `GRANT USAGE ON DATABASE SPCS_DEMO TO ROLE ${role}`, `GRANT USAGE ON SCHEMA SPCS_DEMO.PUBLIC TO ROLE ${role}`, `GRANT USAGE ON WAREHOUSE DEMO_WH TO ROLE ${role}`, ...grants]) {
    h.account.control.run(sql, admin);
  }
  h.addConnections(connectionsTomlSection(role.toLowerCase(), { ...h.emulator.connection(), user: 'VIEWER_USER', password: 'viewer-password-1', role }));
}

describe('monitoring: platform events', () => {
  it('lists the demo day newest first, with the out-of-memory kill linked to the memory limit line', async (t) => {
    const h = await harness(t);
    const read = got(await readEvents(h.sessions, target('LLM_SERVICE'), { start: now - day, end: now }, { timeoutMs }));
    assert.equal(read.truncated, false);
    assert.equal(read.explanation, undefined);
    const times = read.events.map((event) => event.time);
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    const spec = await deployedSpec(h, 'LLM_SERVICE');
    const items = listEvents(read.events, { spec: { text: spec, uri: 'file:///work/llm.spcs.yaml' }, now });
    const oom = items.find((item) => item.event.message === 'Container was OOMKilled due to resource usage');
    assert.ok(oom, 'the OOM kill is listed');
    assert.equal(oom.severity, 'ERROR');
    assert.deepEqual(oom.icon, { id: 'error', color: 'list.errorForeground' });
    assert.equal(oom.cause, 'outOfMemory');
    assert.equal(oom.description, '0/vllm · 11:10:00');
    assert.equal(oom.specLocation?.what, 'resources.limits.memory');
    assert.match(oom.specLocation?.lineText ?? '', /^memory: 160Gi$/);
    assert.equal(spec.split('\n')[(oom.specLocation?.line ?? 0) - 1]?.trim(), oom.specLocation?.lineText);
    assert.match(oom.tooltip, /Explained by the container's memory limit: spec line \d+, 'memory: 160Gi'/);
    // The restart 1 ms later comes first (newest first) and has no spec link.
    const index = items.indexOf(oom);
    assert.equal(items[index - 1]?.event.message, 'Running');
    assert.equal(items[index - 1]?.specLocation, undefined);
    // The readiness probe failures point at the probe.
    const probe = items.find((item) => item.cause === 'readinessProbe');
    assert.equal(probe?.specLocation?.what, 'readinessProbe');
    // Filters: one instance's container, errors only.
    const errors = listEvents(read.events, { filter: { severities: new Set(['ERROR']) }, now });
    assert.deepEqual(errors.map((item) => item.event.message), ['Container was OOMKilled due to resource usage']);
    const failures = got(await readFailureEvents(h.sessions, target('LLM_SERVICE'), { start: now - day, end: now }, { timeoutMs }));
    assert.deepEqual(failures.map((event) => `${event.container} ${event.status}`), ['vllm FAILED']);
  });

  it('links a failed image pull to the image line, scoped to an instance', async (t) => {
    const h = await harness(t);
    const read = await readEvents(h.sessions, target('REPORTING_SERVICE', { instanceId: '0' }), { start: now - day, end: now }, { timeoutMs });
    assert.ok(read.ok);
    const spec = await deployedSpec(h, 'REPORTING_SERVICE');
    const items = listEvents(read.value.events, { scope: 'instance', spec: { text: spec, uri: 'file:///work/reporting.yaml' }, now });
    const pull = items.find((item) => item.event.message === 'Failed to pull image');
    assert.equal(pull?.cause, 'image');
    assert.equal(pull?.specLocation?.what, 'image');
    assert.match(pull?.specLocation?.lineText ?? '', /^image: /);
    assert.ok(items.every((item) => item.event.instanceId === '0'), 'only instance 0');
    assert.doesNotMatch(pull?.description ?? '', /^0\//, 'the instance scope leaves the instance out of the label');
  });

  it('says LOG_EVENT_LEVEL is OFF, and what to run, when a service records no events', async (t) => {
    const h = await harness(t);
    h.account.control.run('ALTER ACCOUNT UNSET LOG_EVENT_LEVEL', { role: 'ACCOUNTADMIN', database: 'SPCS_DEMO', schema: 'PUBLIC' });
    const spec = (await deployedSpec(h, 'ECHO_SERVICE')).replace(/\$\$/g, '');
    value(await h.sessions.execute(printedConnection, `CREATE SERVICE QUIET_SERVICE IN COMPUTE POOL DEMO_CPU_POOL FROM SPECIFICATION $$${spec}$$`, { timeoutMs }));
    h.clock.advance(600_000);
    const read = await readEvents(h.sessions, target('QUIET_SERVICE'), { start: now, end: now + 600_000 }, { timeoutMs });
    assert.ok(read.ok);
    assert.deepEqual(read.value.events, []);
    assert.equal(read.value.explanation?.kind, 'eventsOff');
    assert.equal(read.value.explanation?.fix, "ALTER SERVICE SPCS_DEMO.PUBLIC.QUIET_SERVICE SET LOG_EVENT_LEVEL = 'INFO'");
    assert.match(read.value.explanation?.message ?? '', /LOG_EVENT_LEVEL is OFF \(the default\)\. Run ALTER SERVICE SPCS_DEMO\.PUBLIC\.QUIET_SERVICE SET LOG_EVENT_LEVEL = 'INFO' .*ALTER ACCOUNT SET LOG_EVENT_LEVEL = 'INFO'/);
    // What it says to run works: events are recorded from then on.
    value(await h.sessions.execute(printedConnection, read.value.explanation?.fix ?? '', { timeoutMs }));
    value(await h.sessions.execute(printedConnection, 'ALTER SERVICE QUIET_SERVICE SUSPEND', { timeoutMs }));
    h.clock.advance(300_000);
    const after = await readEvents(h.sessions, target('QUIET_SERVICE'), { start: now, end: now + 900_000 }, { timeoutMs });
    assert.ok(after.ok && after.value.events.length > 0, 'events after LOG_EVENT_LEVEL = INFO');
  });

  it('names the exact GRANT when the role lacks MONITOR, and when it may not see the service at all', async (t) => {
    const h = await harness(t);
    addRole(h, 'NO_MONITOR', ['GRANT USAGE ON SERVICE SPCS_DEMO.PUBLIC.LLM_SERVICE TO ROLE NO_MONITOR']);
    const denied = await readEvents(h.sessions, { ...target('LLM_SERVICE'), connection: 'no_monitor' }, { start: now - hour, end: now }, { timeoutMs });
    assert.ok(!denied.ok);
    assert.equal(denied.problem.kind, 'privilege');
    assert.equal(denied.problem.fix, 'GRANT MONITOR ON SERVICE SPCS_DEMO.PUBLIC.LLM_SERVICE TO ROLE NO_MONITOR');
    assert.match(denied.problem.message, /^Role NO_MONITOR may not read the platform events of SPCS_DEMO\.PUBLIC\.LLM_SERVICE: .* MONITOR \(or OWNERSHIP\) on the service\. Ask its owner or an administrator to run: GRANT MONITOR ON SERVICE SPCS_DEMO\.PUBLIC\.LLM_SERVICE TO ROLE NO_MONITOR$/);
    assert.doesNotMatch(denied.problem.message, /`/, 'plain text, no markdown');
    const hidden = await readLogHistory(h.sessions, { ...target('ORDERS_SERVICE'), connection: 'no_monitor' }, { start: now - hour, end: now }, { timeoutMs });
    assert.ok(!hidden.ok);
    assert.equal(hidden.problem.kind, 'notFound');
    assert.match(hidden.problem.message, /does not exist, or role NO_MONITOR has no privilege on it .* GRANT MONITOR ON SERVICE SPCS_DEMO\.PUBLIC\.ORDERS_SERVICE TO ROLE NO_MONITOR$/);
  });

  it('stops at once when cancelled, and says so', async (t) => {
    const h = await harness(t);
    value(await h.sessions.execute(printedConnection, 'SELECT 1', { timeoutMs }));
    const controller = new AbortController();
    controller.abort();
    const read = await readEvents(h.sessions, target('LLM_SERVICE'), { start: now - day, end: now }, { timeoutMs, signal: controller.signal });
    assert.ok(!read.ok);
    assert.equal(read.problem.kind, 'failed');
    assert.equal(read.problem.error?.kind, 'cancelled');
  });
});

describe('monitoring: metrics', () => {
  it("plans the charts the spec's groups allow, and shapes a day of the GPU service: GiB, a series per GPU, the memory limit line", async (t) => {
    const h = await harness(t);
    const window = { start: now - day, end: now };
    const plan = await planMetrics(h.sessions, target('LLM_SERVICE'), window, { timeoutMs });
    assert.equal(plan.kind, 'charts');
    if (plan.kind !== 'charts') return;
    assert.deepEqual(plan.groups, ['system', 'system_limits']);
    assert.deepEqual(plan.charts.map((chart) => chart.id), ['cpu', 'memory', 'gpuUtilization', 'gpuMemory']);
    assert.equal(plan.bucketSeconds, 600);
    const charts = new Map<string, ChartData>();
    const outcome = await loadCharts(h.sessions, target('LLM_SERVICE'), plan.charts, window, plan.bucketSeconds, { onChart: (chart) => charts.set(chart.id, chart), onChartFailed: (id, problem) => assert.fail(`${id}: ${problem.message}`) }, { timeoutMs });
    assert.deepEqual(outcome, { shown: 4, empty: 0, failed: 0 });
    const memory = charts.get('memory');
    assert.ok(memory);
    assert.equal(memory.unit, 'GiB');
    assert.equal(memory.times.length, 145);
    assert.deepEqual(memory.series.map((series) => `${series.kind} ${series.label}`), ['value 0/chat-ui', 'value 0/vllm', 'limit memory limit 0/chat-ui', 'limit memory limit 0/vllm']);
    const vllmLimit = memory.series.find((series) => series.label === 'memory limit 0/vllm');
    assert.ok(vllmLimit?.values.some((value) => value === 160), 'the 160Gi limit, in GiB');
    const vllm = memory.series.find((series) => series.label === '0/vllm');
    const peak = Math.max(...(vllm?.values ?? []).map((value) => value ?? 0));
    assert.ok(peak > 0.98 * 160 && peak <= 160, `memory peaks at its limit before the OOM kill: ${peak}`);
    assert.match(memory.summary ?? '', /^latest \d+(\.\d)? GiB of 160(\.0)? GiB \(8\d %\) · 0\/vllm$/);
    const gpu = charts.get('gpuUtilization');
    assert.equal(gpu?.unit, '%');
    assert.deepEqual(gpu?.series.map((series) => series.label), ['0/vllm GPU 0', '0/vllm GPU 1', '0/vllm GPU 2', '0/vllm GPU 3']);
    assert.ok(gpu?.series.every((series) => series.values.every((value) => value === null || (value >= 0 && value <= 100))));
    const gpuMemory = charts.get('gpuMemory');
    assert.deepEqual(gpuMemory?.series.filter((series) => series.kind === 'limit').map((series) => series.label), ['GPU memory capacity'], 'four GPUs of one capacity share one line');
  });

  it('explains a spec without metric groups, and its quick fix yields a spec that enables them', async (t) => {
    const h = await harness(t);
    const plan = await planMetrics(h.sessions, target('ECHO_SERVICE'), { start: now - hour, end: now }, { timeoutMs });
    assert.equal(plan.kind, 'problem');
    if (plan.kind !== 'problem') return;
    assert.equal(plan.problem.kind, 'noMetricGroups');
    assert.equal(plan.problem.title, 'No metric groups enabled');
    const spec = await deployedSpec(h, 'ECHO_SERVICE');
    assert.deepEqual(groupsOfSpec(spec), []);
    const fix = metricGroupsEdit(spec);
    assert.ok(fix.ok, fix.ok ? '' : fix.reason);
    const fixed = applyEdit(spec, fix.edit);
    assert.deepEqual(groupsOfSpec(fixed), ['system', 'system_limits']);
    assert.deepEqual(chartsForGroups(groupsOfSpec(fixed) ?? []).map((chart) => chart.id), ['cpu', 'memory', 'gpuUtilization', 'gpuMemory']);
    // Snowflake takes the fixed spec, and publishes metrics after the upgrade.
    value(await h.sessions.execute(printedConnection, `ALTER SERVICE ECHO_SERVICE FROM SPECIFICATION $$${fixed}$$`, { timeoutMs }));
    h.clock.advance(10 * 60_000);
    const later = now + 10 * 60_000;
    const replanned = await planMetrics(h.sessions, target('ECHO_SERVICE'), { start: later - 15 * 60_000, end: later }, { timeoutMs });
    assert.equal(replanned.kind, 'charts');
  });

  it('asks which metrics exist when the role may not read the spec', async (t) => {
    const h = await harness(t);
    h.addConnections(connectionsTomlSection('viewer', { ...h.emulator.connection(), user: 'VIEWER_USER', password: 'viewer-password-1', role: 'SPCS_VIEWER' }));
    const plan = await planMetrics(h.sessions, { ...target('LLM_SERVICE'), connection: 'viewer' }, { start: now - hour, end: now }, { timeoutMs });
    assert.equal(plan.kind, 'charts');
    if (plan.kind !== 'charts') return;
    assert.equal(plan.groups, undefined);
    assert.deepEqual(plan.charts.map((chart) => `${chart.id}${chart.limit ? '+limit' : ''}`), ['cpu', 'memory+limit', 'gpuUtilization', 'gpuMemory+limit']);
    assert.equal(plan.bucketSeconds, 30);
  });

  it('drives a panel: target, the charts as they arrive, a refresh only while visible, nothing after close', async (t) => {
    const h = await harness(t);
    const posted: ToWebview[] = [];
    const scheduled: { callback: () => void; ms: number; cleared: boolean }[] = [];
    const timers: Timers = {
      set: (callback, ms) => {
        scheduled.push({ callback, ms, cleared: false });
        return scheduled.length - 1;
      },
      clear: (handle) => {
        const entry = scheduled[handle as number];
        if (entry) entry.cleared = true;
      },
    };
    const actions: string[] = [];
    const panel = new MetricsPanelController({
      sessions: h.sessions,
      target: target('LLM_SERVICE', { instanceId: '0', container: 'vllm' }),
      post: (message) => posted.push(message),
      title: 'LLM_SERVICE/0/vllm',
      subtitle: 'SPCS_DEMO.PUBLIC on spcs_emulator',
      now: () => h.clock.now(),
      timers,
      refreshSeconds: 30,
      timeoutMs,
      onAction: (action, problem) => actions.push(`${action}:${problem?.kind ?? ''}`),
    });
    panel.receive({ type: 'ready', state: { range: { kind: 'preset', preset: '6h' }, view: 'charts' } });
    await waitFor(() => posted.some((message) => message.type === 'loaded'), 20_000, 'the panel to load');
    assert.deepEqual(posted.map((message) => message.type).filter((type) => type !== 'chart'), ['target', 'loading', 'loaded']);
    const charts = posted.filter((message): message is Extract<ToWebview, { type: 'chart' }> => message.type === 'chart');
    assert.equal(charts.length, 4);
    assert.deepEqual(charts.find((message) => message.chart.id === 'gpuUtilization')?.chart.series.map((series) => series.label), ['GPU 0', 'GPU 1', 'GPU 2', 'GPU 3'], 'one container: series are its GPUs');
    assert.deepEqual(charts.find((message) => message.chart.id === 'memory')?.chart.series.map((series) => series.label), ['vllm', 'memory limit']);
    const loading = posted[1];
    assert.ok(loading?.type === 'loading' && loading.bucketSeconds === 120);
    assert.equal(scheduled.length, 1);
    assert.equal(scheduled[0]?.ms, 30_000);
    // Hidden: the refresh is cancelled; shown again after the period: it loads at once.
    panel.setVisible(false);
    posted.length = 0;
    assert.equal(scheduled[0]?.cleared, true, 'no refresh while hidden');
    assert.equal(scheduled.length, 1);
    h.clock.advance(31_000);
    panel.setVisible(true);
    await waitFor(() => posted.some((message) => message.type === 'loaded'), 20_000, 'the refresh on showing');
    // A message that is not the protocol's is ignored; an explanation's button reaches onAction.
    panel.receive({ type: 'setRange', range: { kind: 'preset', preset: '2d' } });
    panel.receive({ type: 'action', action: 'addMetricGroups' });
    assert.deepEqual(actions, ['addMetricGroups:']);
    // Closing while the chart queries run: they are cancelled and nothing more is posted.
    posted.length = 0;
    const reloading = panel.load();
    await waitFor(() => posted.some((message) => message.type === 'loading'), 20_000, 'the chart queries to start');
    panel.dispose();
    await reloading;
    assert.deepEqual(posted.filter((message) => message.type === 'chart' || message.type === 'loaded'), []);
  });

  it('explains the empty panel of a service without metric groups, and offers the quick fix', async (t) => {
    const h = await harness(t);
    const posted: ToWebview[] = [];
    const panel = new MetricsPanelController({ sessions: h.sessions, target: target('ECHO_SERVICE'), post: (message) => posted.push(message), title: 'ECHO_SERVICE', subtitle: '', now: () => h.clock.now(), timeoutMs, refreshSeconds: 0 });
    panel.receive({ type: 'ready', state: { range: { kind: 'preset', preset: '1h' }, view: 'charts' } });
    await waitFor(() => posted.some((message) => message.type === 'empty'), 20_000, 'the explanation');
    const empty = posted.find((message): message is Extract<ToWebview, { type: 'empty' }> => message.type === 'empty');
    assert.equal(empty?.explanation.title, 'No metric groups enabled');
    assert.deepEqual(empty?.explanation.actions.map((action) => action.id), ['addMetricGroups', 'retry']);
    assert.equal(empty?.explanation.code, 'platformMonitor:\n  metricConfig:\n    groups: [system, system_limits]');
    panel.dispose();
  });
});

describe('monitoring: log history and health', () => {
  it("reads a finished job's logs, every replica, merged in time order with the live follow's tags", async (t) => {
    const h = await harness(t);
    const read = await readLogHistory(h.sessions, target('NIGHTLY_TRAINING_JOB'), { start: now - day, end: now }, { timeoutMs });
    assert.ok(read.ok);
    const history = read.value;
    assert.equal(history.truncated, false);
    assert.deepEqual(history.sources.map((source) => `${source.instanceId}/${source.container}`), ['0/trainer', '1/trainer']);
    assert.equal(history.lines[0]?.kind, 'notice');
    assert.match(history.lines[0]?.display ?? '', /^⋯ Log history of NIGHTLY_TRAINING_JOB from 2025-12-31 12:00:00 to 2026-01-01 12:00:00 UTC: \d+ lines of 0\/trainer, 1\/trainer\.$/);
    const logs = history.lines.slice(1);
    const stamps = logs.map((line) => line.timestamp);
    assert.deepEqual(stamps, [...stamps].sort());
    assert.ok(logs.some((line) => line.display === '[0/trainer] Training complete.'));
    assert.ok(logs.some((line) => line.display === '[1/trainer] Training complete.'));
    assert.match(stamps[0] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    const one = await readLogHistory(h.sessions, target('NIGHTLY_TRAINING_JOB', { instanceId: '1', container: 'trainer' }), { start: now - day, end: now }, { timeoutMs, includeTimestamps: true, maxLines: 3 });
    assert.ok(one.ok);
    assert.equal(one.value.truncated, true);
    assert.equal(one.value.count, 3);
    assert.match(one.value.lines[3]?.display ?? '', /^2026-01-01T\d\d:\d\d:\d\d\.\d{9}Z Training complete\.$/, 'one container: no tag; the newest lines kept');
    assert.match(one.value.lines[0]?.display ?? '', /only the newest 3 are shown/);
  });

  it('reads across a restart: the killed run and the next one', async (t) => {
    const h = await harness(t);
    const read = await readLogHistory(h.sessions, target('LLM_SERVICE', { instanceId: '0' }), { start: Date.UTC(2026, 0, 1, 11, 9), end: Date.UTC(2026, 0, 1, 11, 11) }, { timeoutMs });
    assert.ok(read.ok);
    const lines = read.value.lines.map((line) => line.display);
    const killed = lines.findIndex((line) => /^\[vllm\] .*torch\.OutOfMemoryError: CUDA out of memory/.test(line));
    const restarted = lines.findIndex((line) => /^\[vllm\] .*vLLM API server version 0\.6\.3/.test(line));
    assert.ok(killed > 0 && restarted > killed, `${killed} < ${restarted}`);
  });

  it("summarizes a node's health: GPU and memory, and a warning for the restart in the last hour", async (t) => {
    const h = await harness(t);
    const health = await readHealth(h.sessions, target('LLM_SERVICE'), { timeoutMs, now });
    assert.ok(health.ok);
    assert.match(health.value.summary ?? '', /^GPU \d+ % · mem 8\d %$/);
    assert.equal(health.value.restartsInWindow, 1);
    assert.match(health.value.warning ?? '', /^vllm \(instance 0\) restarted once in the last hour, most recently 50 min ago: Container was OOMKilled due to resource usage$/);
    const echo = await readHealth(h.sessions, target('ECHO_SERVICE'), { timeoutMs, now });
    assert.ok(echo.ok);
    assert.deepEqual(echo.value, { restartsInWindow: 0 }, 'no metric groups: no summary, no warning');
  });
});
