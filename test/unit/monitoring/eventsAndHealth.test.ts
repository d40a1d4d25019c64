/**
 * The events model (reading rows, newest first, filters, spec links), a node's health rule (memory
 * above 90 % of its limit over the last N samples; a restart in the last hour), the problems' words,
 * and the webview protocol's guard.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { healthOf } from '../../../client/src/monitoring/healthSummary';
import { isFromWebview, windowOf } from '../../../client/src/monitoring/metricsMessages';
import { explanationOf } from '../../../client/src/monitoring/metricsPanel';
import { listEvents, matchesFilter, newestFirst, readEventRow, type PlatformEvent } from '../../../client/src/monitoring/platformEvents';
import type { MetricRow } from '../../../client/src/monitoring/telemetryRows';
import { eventsExplanation, monitorGrant, noMetricGroupsProblem, problemFromError } from '../../../client/src/monitoring/telemetryProblems';

const now = Date.UTC(2026, 0, 1, 12);
const minute = 60_000;

/** `instanceId` null: a service event (a default parameter would turn `undefined` into '0'). */
function event(minutesAgo: number, container: string | undefined, status: string, message: string, severity = 'INFO', instanceId: string | null = '0'): PlatformEvent {
  const read = readEventRow({
    T: new Date(now - minutesAgo * minute),
    SEVERITY: severity,
    EVENT_NAME: container === undefined ? (instanceId === null ? 'SERVICE.STATUS_CHANGE' : 'SERVICE_INSTANCE.STATUS_CHANGE') : 'CONTAINER.STATUS_CHANGE',
    MESSAGE: message,
    STATUS: status,
    INSTANCE_ID: instanceId === null ? null : Number(instanceId),
    CONTAINER_NAME: container ?? null,
  });
  assert.ok(read);
  return read;
}

const spec = `spec:
  containers:
  - name: vllm
    image: /ml/serving/images/vllm:0.6.3
    resources:
      limits:
        memory: 160Gi
    readinessProbe:
      port: 8000
      path: /health
  - name: ui
    image: /ml/serving/images/ui:1
`;

describe('platform events', () => {
  it('reads rows, orders newest first, and keeps the order of events of one moment', () => {
    const oom = event(50, 'vllm', 'FAILED', 'Container was OOMKilled due to resource usage', 'ERROR');
    const restart = { ...event(50, 'vllm', 'READY', 'Running'), time: oom.time + 1, timestamp: oom.timestamp.replace('000000000Z', '001000000Z') };
    const pending = event(120, undefined, 'PENDING', 'Service is pending', 'INFO', null);
    assert.deepEqual(newestFirst([pending, oom, restart]).map((each) => each.message), ['Running', 'Container was OOMKilled due to resource usage', 'Service is pending']);
    assert.equal(pending.instanceId, undefined);
    assert.equal(oom.instanceId, '0');
    assert.equal(oom.severity, 'ERROR');
    assert.equal(readEventRow({ T: null, EVENT_NAME: 'X' }), undefined);
  });

  it('filters by instance, container, severity and time', () => {
    const events = [event(1, 'vllm', 'READY', 'Running'), event(2, 'ui', 'FAILED', 'Encountered fatal error while running, check container logs', 'ERROR', '1'), event(90, undefined, 'RUNNING', 'Service is ready', 'INFO', null)];
    const keep = (filter: Parameters<typeof matchesFilter>[1]) => events.filter((each) => matchesFilter(each, filter)).map((each) => each.message);
    assert.deepEqual(keep({ instanceId: '1' }), ['Encountered fatal error while running, check container logs']);
    assert.deepEqual(keep({ container: 'vllm' }), ['Running']);
    assert.deepEqual(keep({ severities: new Set(['ERROR']) }), ['Encountered fatal error while running, check container logs']);
    assert.deepEqual(keep({ start: now - 60 * minute }), ['Running', 'Encountered fatal error while running, check container logs']);
    assert.deepEqual(keep({ severities: new Set() }).length, 3, 'an empty severity set filters nothing');
  });

  it('links an event to the spec line that explains it', () => {
    const events = [
      event(50, 'vllm', 'FAILED', 'Container was OOMKilled due to resource usage', 'ERROR'),
      event(60, 'ui', 'PENDING', 'Failed to pull image', 'ERROR'),
      event(70, 'vllm', 'PENDING', 'Readiness probe is failing at path: /health, port: 8000'),
      event(80, 'vllm', 'FAILED', 'Encountered fatal error while running, check container logs', 'ERROR'),
      event(90, 'gone', 'FAILED', 'Container was OOMKilled due to resource usage', 'ERROR'),
    ];
    const items = listEvents(events, { spec: { text: spec, uri: 'file:///w/llm.yaml' }, now });
    assert.deepEqual(
      items.map((item) => [item.cause ?? '-', item.specLocation?.line ?? '-', item.specLocation?.lineText ?? '-']),
      [
        ['outOfMemory', 7, 'memory: 160Gi'],
        ['image', 12, 'image: /ml/serving/images/ui:1'],
        ['readinessProbe', 8, 'readinessProbe:'],
        ['-', '-', '-'],
        ['outOfMemory', '-', '-'],
      ],
    );
    assert.equal(items[0]?.label, 'FAILED: Container was OOMKilled due to resource usage');
    assert.equal(items[0]?.specLocation?.uri, 'file:///w/llm.yaml');
    assert.equal(listEvents(events, { now })[0]?.specLocation, undefined, 'no spec, no link');
    assert.equal(listEvents([event(60 * 30, 'vllm', 'READY', 'Running')], { now })[0]?.description, '0/vllm · 2025-12-31 06:00:00', 'an older day shows its date');
  });
});

describe('health', () => {
  const sample = (secondsAgo: number, metric: string, value: number, container = 'vllm', attribute?: string): MetricRow => ({ time: now - secondsAgo * 1000, metric, instanceId: '0', container, attribute, value });
  const limit = 100;
  const memory = (values: readonly number[]): MetricRow[] => values.flatMap((value, index) => [sample(index * 10, 'container.memory.usage', value), sample(index * 10, 'container.memory.limit', limit)]);

  it('summarizes GPU and memory from the newest samples', () => {
    const rows = [...memory([71, 60]), sample(0, 'container.gpu.utilization', 0.9, 'vllm', '0'), sample(0, 'container.gpu.utilization', 0.84, 'vllm', '1'), sample(10, 'container.gpu.utilization', 0.1, 'vllm', '0')];
    const health = healthOf(rows, [], { now });
    assert.equal(health.summary, 'GPU 87 % · mem 71 %');
    assert.equal(health.warning, undefined);
    assert.deepEqual(healthOf([], [], { now }), { restartsInWindow: 0 });
  });

  it('warns when memory stays above 90 % of its limit for the last N samples, not for one spike', () => {
    assert.match(healthOf(memory([95, 93, 92, 91, 96, 97]), [], { now }).warning ?? '', /^Memory has stayed above 90 % of its limit for the last 6 samples: vllm \(instance 0\) at 95 %\./);
    assert.equal(healthOf(memory([95, 93, 92, 91, 96, 89]), [], { now }).warning, undefined, 'one sample below');
    assert.equal(healthOf(memory([95, 93, 92]), [], { now }).warning, undefined, 'too few samples to say');
    assert.match(healthOf(memory([95, 93, 92]), [], { now, samples: 3 }).warning ?? '', /last 3 samples/);
  });

  it('warns about a restart in the last hour, not an older one', () => {
    const recent = event(50, 'vllm', 'FAILED', 'Container was OOMKilled due to resource usage', 'ERROR');
    const old = event(61, 'vllm', 'FAILED', 'Container was OOMKilled due to resource usage', 'ERROR');
    assert.equal(healthOf([], [recent, event(49, 'vllm', 'READY', 'Running')], { now }).warning, 'vllm (instance 0) restarted once in the last hour, most recently 50 min ago: Container was OOMKilled due to resource usage');
    assert.equal(healthOf([], [old], { now }).warning, undefined);
  });
});

describe('problems and protocol', () => {
  const service = { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'my svc' };

  it('names the GRANT, the LOG_EVENT_LEVEL statement and the spec lines', () => {
    assert.equal(monitorGrant(service, 'ANALYST'), 'GRANT MONITOR ON SERVICE SPCS_DEMO.PUBLIC."my svc" TO ROLE ANALYST');
    assert.equal(monitorGrant(service, undefined), 'GRANT MONITOR ON SERVICE SPCS_DEMO.PUBLIC."my svc" TO ROLE <your role>');
    const privilege = problemFromError({ kind: 'privilege', code: '003001', message: 'x' }, 'logs', service, 'ANALYST');
    assert.equal(privilege.fix, 'GRANT MONITOR ON SERVICE SPCS_DEMO.PUBLIC."my svc" TO ROLE ANALYST');
    assert.match(privilege.message, /^Role ANALYST may not read the log history of SPCS_DEMO\.PUBLIC\."my svc": /);
    assert.equal(problemFromError({ kind: 'network', message: 'Could not reach Snowflake.' }, 'logs', service, undefined).message, 'Could not reach Snowflake.');
    const off = eventsExplanation(service, { value: 'OFF', level: '' }, { start: 0, end: 3_600_000 });
    assert.equal(off.fix, `ALTER SERVICE SPCS_DEMO.PUBLIC."my svc" SET LOG_EVENT_LEVEL = 'INFO'`);
    const errorsOnly = eventsExplanation(service, { value: 'ERROR', level: 'ACCOUNT' }, { start: 0, end: 3_600_000 });
    assert.match(errorsOnly.message, /^No platform events of .* in the last 60 minutes\. LOG_EVENT_LEVEL is ERROR \(set on the account\), so only failures are recorded/);
    assert.equal(eventsExplanation(service, { value: 'INFO', level: 'SERVICE' }, { start: 0, end: 86_400_000 }).kind, 'noData');
    const groups = explanationOf(noMetricGroupsProblem(service));
    assert.deepEqual(groups.actions.map((action) => action.id), ['addMetricGroups', 'retry']);
    assert.equal(explanationOf(privilege).actions[0]?.id, 'copyGrant');
    for (const text of [privilege.message, off.message, groups.message]) assert.doesNotMatch(text, /`/, 'plain text');
  });

  it('accepts only the protocol’s messages from the webview', () => {
    assert.ok(isFromWebview({ type: 'ready', state: { range: { kind: 'preset', preset: '1d' }, view: 'table' } }));
    assert.ok(isFromWebview({ type: 'setRange', range: { kind: 'custom', start: 1, end: 2 } }));
    assert.ok(!isFromWebview({ type: 'setRange', range: { kind: 'custom', start: 2, end: 1 } }));
    assert.ok(!isFromWebview({ type: 'setRange', range: { kind: 'preset', preset: '2d' } }));
    assert.ok(!isFromWebview({ type: 'action', action: 'dropService' }));
    assert.ok(!isFromWebview({ type: 'ready', state: { range: { kind: 'preset', preset: '1h' }, view: 'pie' } }));
    assert.ok(!isFromWebview('refresh'));
    assert.deepEqual(windowOf({ kind: 'preset', preset: '15m' }, now), { start: now - 15 * minute, end: now });
  });
});
