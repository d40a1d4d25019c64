/**
 * Metrics shaping and its SQL: bucket choice per range, quoting and windows as arguments, rows →
 * series per instance/container/GPU on the bucket grid (gaps stay gaps), units (GiB/MiB, %, cores),
 * limit lines merged where containers agree, summaries, and the table view (same numbers as the chart).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chartDefinition, chartsForGroups, chartsForMetrics, type ChartDefinition } from '../../../client/src/monitoring/metricCatalog';
import { chartTable, displayUnit, formatValue, tableText } from '../../../client/src/monitoring/metricFormat';
import { bucketGrid, shapeChart } from '../../../client/src/monitoring/metricShaping';
import { readMetricRow, type MetricRow } from '../../../client/src/monitoring/telemetryRows';
import { bucketFor, eventsQuery, logsQuery, metricsQuery, telemetryTable } from '../../../client/src/monitoring/telemetrySql';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const t0 = Date.UTC(2026, 0, 1, 11);
const chart = (id: string): ChartDefinition => {
  const found = chartDefinition(id);
  assert.ok(found, id);
  return found;
};

function row(minute: number, metric: string, instanceId: string, container: string | undefined, value: number, attribute?: string): MetricRow {
  return { time: t0 + minute * 60_000, metric, instanceId, container, attribute, value };
}

describe('telemetry SQL', () => {
  it('passes the window as START_TIME / END_TIME instants and quotes what needs quoting', () => {
    const window = { start: Date.UTC(2026, 0, 1, 11), end: Date.UTC(2026, 0, 1, 12) };
    assert.equal(
      telemetryTable({ database: 'SPCS_DEMO', schema: 'my schema', name: 'svc' }, 'SPCS_GET_EVENTS', window),
      `TABLE(SPCS_DEMO."my schema"."svc"!SPCS_GET_EVENTS(START_TIME => TO_TIMESTAMP_LTZ('2026-01-01T11:00:00.000Z'), END_TIME => TO_TIMESTAMP_LTZ('2026-01-01T12:00:00.000Z')))`,
    );
    const events = eventsQuery({ service: 'LLM', instanceId: '0', container: "it's" }, window, 101);
    assert.match(events, /WHERE INSTANCE_ID = 0 AND CONTAINER_NAME = 'it''s'\nORDER BY T DESC\nLIMIT 101$/);
    assert.doesNotMatch(events, /CURRENT_TIMESTAMP/, 'no TIMESTAMP_LTZ comparison with the NTZ column');
    assert.throws(() => eventsQuery({ service: 'LLM', instanceId: '0 OR 1=1' }, window, 10), /Instance ids are numbers/);
    assert.throws(() => logsQuery({ service: 'LLM' }, window, 0), /LIMIT must be a positive integer/);
    assert.throws(() => telemetryTable('LLM', 'SPCS_GET_LOGS', { start: 2, end: 1 }), /must not come before/);
    const metrics = metricsQuery({ scope: { service: 'LLM' }, window, metrics: ['container.gpu.memory.usage', 'container.gpu.memory.capacity'], bucketSeconds: 60, aggregate: 'MAX', seriesAttribute: 'snow.endpoint.name' });
    assert.match(metrics, /^SELECT TIME_SLICE\(TIMESTAMP, 60, 'SECOND'\) AS T, METRIC_NAME AS M, INSTANCE_ID AS I, CONTAINER_NAME AS C, RECORD_ATTRIBUTES:"snow\.endpoint\.name"::VARCHAR AS K, MAX\(VALUE::FLOAT\) AS V\n/);
    assert.match(metrics, /WHERE METRIC_NAME IN \('container\.gpu\.memory\.usage', 'container\.gpu\.memory\.capacity'\)\nGROUP BY 1, 2, 3, 4, 5$/);
  });

  it('picks a bucket that keeps every range to at most 200 points', () => {
    const minutes = (count: number) => ({ start: 0, end: count * 60_000 });
    assert.equal(bucketFor(minutes(15)), 10);
    assert.equal(bucketFor(minutes(60)), 30);
    assert.equal(bucketFor(minutes(360)), 120);
    assert.equal(bucketFor(minutes(1440)), 600);
    assert.equal(bucketFor(minutes(7 * 1440)), 3600);
    assert.equal(bucketFor(minutes(365 * 1440)), 86_400);
    for (const span of [1, 15, 61, 359, 1441, 10_000, 100_000]) {
      const window = minutes(span);
      assert.ok(bucketGrid(window, bucketFor(window)).count <= 201 || bucketFor(window) === 86_400, String(span));
    }
  });
});

describe('metric shaping', () => {
  const context = { window: { start: t0, end: t0 + 10 * 60_000 }, bucketSeconds: 60, scope: 'service' as const };

  it('puts each instance/container on the bucket grid, with gaps where it did not run', () => {
    const rows = [row(0, 'container.cpu.usage', '1', 'api', 0.5), row(0, 'container.cpu.usage', '0', 'api', 1.25), row(2, 'container.cpu.usage', '0', 'api', 2), row(10, 'container.cpu.usage', '0', 'api', 3), row(11, 'container.cpu.usage', '0', 'api', 9)];
    const shaped = shapeChart(chart('cpu'), rows, context);
    assert.ok(shaped);
    assert.equal(shaped.times.length, 11);
    assert.equal(shaped.times[0], t0 / 1000);
    assert.equal(shaped.unit, 'cores');
    assert.deepEqual(shaped.series.map((series) => series.label), ['0/api', '1/api'], 'instance 0 first');
    assert.deepEqual(shaped.series[0]?.values, [1.25, null, 2, null, null, null, null, null, null, null, 3], 'a sample outside the window is dropped');
    assert.equal(shaped.summary, 'peak 3.00 cores · 0/api');
    assert.equal(shapeChart(chart('cpu'), [row(0, 'container.memory.usage', '0', 'api', 1)], context), undefined, 'no rows of its metric: no chart');
  });

  it('shows memory in GiB or MiB by its size, and one limit line where the containers agree', () => {
    const rows: MetricRow[] = [];
    for (let minute = 0; minute <= 10; minute++) {
      for (const instance of ['0', '1']) {
        rows.push(row(minute, 'container.memory.usage', instance, 'api', (1 + minute / 10) * GiB));
        rows.push(row(minute, 'container.memory.limit', instance, 'api', 4 * GiB));
      }
      rows.push(row(minute, 'container.memory.usage', '0', 'proxy', 100 * MiB));
      rows.push(row(minute, 'container.memory.limit', '0', 'proxy', 512 * MiB));
    }
    const shaped = shapeChart(chart('memory'), rows, context);
    assert.ok(shaped);
    assert.equal(shaped.unit, 'GiB');
    assert.equal(shaped.decimals, 2);
    assert.deepEqual(shaped.series.map((series) => `${series.kind}:${series.key}:${series.label}`), [
      'value:0/api:0/api',
      'value:0/proxy:0/proxy',
      'value:1/api:1/api',
      'limit:limit:0/api:memory limit 0/api',
      'limit:limit:0/proxy:memory limit 0/proxy',
    ]);
    assert.equal(shaped.series[3]?.values[0], 4);
    assert.equal(shaped.series[4]?.values[0], 0.5);
    assert.equal(shaped.summary, 'latest 2.00 GiB of 4.00 GiB (50 %) · 0/api');
    const small = shapeChart(chart('memory'), rows.filter((each) => each.container === 'proxy'), { ...context, scope: 'instance' });
    assert.equal(small?.unit, 'MiB');
    assert.deepEqual(small?.series.map((series) => series.label), ['proxy', 'memory limit']);
    assert.equal(small?.series[1]?.values[0], 512);
  });

  it('turns ratios into percentages, one series per GPU', () => {
    const rows = [row(0, 'container.gpu.utilization', '0', 'vllm', 0.875, '1'), row(0, 'container.gpu.utilization', '0', 'vllm', 0.5, '0'), row(0, 'container.gpu.utilization', '0', 'vllm', 0.25, '10')];
    const shaped = shapeChart(chart('gpuUtilization'), rows, { ...context, scope: 'container' });
    assert.deepEqual(shaped?.series.map((series) => [series.label, series.values[0]]), [
      ['GPU 0', 50],
      ['GPU 1', 87.5],
      ['GPU 10', 25],
    ]);
    assert.equal(shaped?.unit, '%');
    assert.equal(formatValue(87.5, '%', 1), '87.5 %');
  });

  it('has a table with the same numbers, tab-separated for copying', () => {
    const rows = [row(0, 'container.memory.usage', '0', 'api', 1.5 * GiB), row(1, 'container.memory.usage', '0', 'api', 2 * GiB), row(0, 'container.memory.limit', '0', 'api', 4 * GiB)];
    const shaped = shapeChart(chart('memory'), rows, { window: { start: t0, end: t0 + 60_000 }, bucketSeconds: 60, scope: 'service' });
    assert.ok(shaped);
    const table = chartTable(shaped);
    assert.deepEqual(table.headers, ['Time (UTC)', '0/api (GiB)', 'memory limit (GiB)']);
    assert.deepEqual(table.rows, [
      ['2026-01-01 11:00:00', '1.50', '4.00'],
      ['2026-01-01 11:01:00', '2.00', ''],
    ]);
    assert.match(table.caption, /^Memory: peak per 1-minute bucket\. Memory used by each container/);
    assert.equal(tableText(table).split('\n')[1], '2026-01-01 11:00:00\t1.50\t4.00');
  });

  it('reads rows whatever form the driver gives values in', () => {
    assert.deepEqual(readMetricRow({ T: new Date(t0), M: 'container.cpu.usage', I: 0, C: 'api', K: null, V: 1.5 }), { time: t0, metric: 'container.cpu.usage', instanceId: '0', container: 'api', attribute: undefined, value: 1.5 });
    assert.equal(readMetricRow({ T: `${t0 / 1000}.000000000`, M: 'm', I: '1', C: null, K: '3', V: '2' })?.attribute, '3');
    assert.equal(readMetricRow({ T: 'not a time', M: 'm', I: 0, V: 1 }), undefined);
    assert.equal(readMetricRow({ T: new Date(t0), M: 'm', I: 0, V: null }), undefined);
  });

  it('chooses the charts from the groups, with a limit line only when its group is on', () => {
    assert.deepEqual(chartsForGroups(['system']).map((each) => `${each.id}${each.limit ? '+limit' : ''}`), ['cpu', 'memory', 'gpuUtilization', 'gpuMemory']);
    assert.deepEqual(chartsForGroups(['SYSTEM', 'system_limits']).map((each) => `${each.id}${each.limit ? '+limit' : ''}`), ['cpu', 'memory+limit', 'gpuUtilization', 'gpuMemory+limit']);
    assert.deepEqual(chartsForGroups(['storage', 'network']).map((each) => each.group), ['network', 'network', 'network', 'network', 'network', 'storage', 'storage', 'storage']);
    assert.deepEqual(chartsForMetrics(['container.memory.usage', 'volume.usage', 'volume.capacity']).map((each) => `${each.id}${each.limit ? '+limit' : ''}`), ['memory', 'volumeUsage+limit']);
    assert.deepEqual(displayUnit('bytesPerSecond', 3 * MiB), { divisor: MiB, label: 'MiB/s' });
  });
});
