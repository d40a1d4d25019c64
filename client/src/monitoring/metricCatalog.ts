/**
 * The charts a metrics panel can show, from Snowflake's documented platform metrics ("Access platform
 * metrics": the groups of `platformMonitor.metricConfig.groups` and the metric names and units in each),
 * and which of them a service's enabled groups make available.
 *
 * Owns: per chart, the metric it plots (one series per instance/container, and per GPU, endpoint or
 * volume where the metric carries that attribute), the metric drawn as a limit line (only when its
 * group is enabled too), the unit, and how a time bucket aggregates samples (MAX for levels whose peak
 * matters, memory above all; AVG for rates and utilisation).
 *
 * Must not: query or shape data (`metricsLoader.ts`, `metricShaping.ts`). Pure, no `vscode`.
 */

import type { UnitKindName } from './metricFormat';
import type { MetricAggregate } from './telemetrySql';

export type MetricGroup = 'system' | 'system_limits' | 'status' | 'network' | 'storage';

export const metricGroups: readonly MetricGroup[] = ['system', 'system_limits', 'status', 'network', 'storage'];

/**
 * How values are shown (`metricFormat.ts`): `bytes` scale to KiB…TiB, `ratio` becomes a percentage,
 * `bytesPerSecond` scales like bytes with "/s"; the others are shown as they come with the unit's name.
 */
export type UnitKind = UnitKindName;

export interface ChartDefinition {
  readonly id: string;
  readonly title: string;
  readonly group: MetricGroup;
  /** The metric plotted, one series per instance/container (and attribute). */
  readonly metric: string;
  /** A metric drawn as a dashed line on the same chart (e.g. the memory limit), with the group it needs. */
  readonly limit?: { readonly metric: string; readonly group: MetricGroup; readonly label: string };
  readonly unit: UnitKind;
  /** The unit's name for counts (`restarts`, `connections`). */
  readonly unitName?: string;
  readonly aggregate: MetricAggregate;
  /** A RECORD_ATTRIBUTES key that splits a container's metric into series. */
  readonly seriesAttribute?: string;
  /** How a series attribute reads in a label: `GPU 1`, `endpoint api`. */
  readonly attributeLabel?: string;
  /** A sentence for the chart's description (screen readers, the table caption). */
  readonly description: string;
}

/** In the order the panel shows them: what people look at first (cpu, memory, GPUs) first. */
export const chartCatalog: readonly ChartDefinition[] = [
  {
    id: 'cpu',
    title: 'CPU',
    group: 'system',
    metric: 'container.cpu.usage',
    unit: 'cores',
    aggregate: 'AVG',
    description: 'CPU cores in use by each container (average per bucket).',
  },
  {
    id: 'memory',
    title: 'Memory',
    group: 'system',
    metric: 'container.memory.usage',
    limit: { metric: 'container.memory.limit', group: 'system_limits', label: 'memory limit' },
    unit: 'bytes',
    aggregate: 'MAX',
    description: 'Memory used by each container (peak per bucket), with its limit: a container using more than its limit is killed and restarted.',
  },
  {
    id: 'gpuUtilization',
    title: 'GPU utilization',
    group: 'system',
    metric: 'container.gpu.utilization',
    unit: 'ratio',
    aggregate: 'AVG',
    seriesAttribute: 'gpu',
    attributeLabel: 'GPU',
    description: 'How busy each GPU of each container is (average per bucket).',
  },
  {
    id: 'gpuMemory',
    title: 'GPU memory',
    group: 'system',
    metric: 'container.gpu.memory.usage',
    limit: { metric: 'container.gpu.memory.capacity', group: 'system_limits', label: 'GPU memory capacity' },
    unit: 'bytes',
    aggregate: 'MAX',
    seriesAttribute: 'gpu',
    attributeLabel: 'GPU',
    description: "Memory used on each GPU (peak per bucket), with the GPU's capacity.",
  },
  {
    id: 'restarts',
    title: 'Restarts',
    group: 'status',
    metric: 'container.restarts',
    unit: 'count',
    unitName: 'restarts',
    aggregate: 'MAX',
    description: 'How many times each container has restarted.',
  },
  {
    id: 'running',
    title: 'Running',
    group: 'status',
    metric: 'container.state.running',
    unit: 'boolean',
    aggregate: 'MAX',
    description: 'Whether each container was running (1) or not (0).',
  },
  {
    id: 'ingressConnections',
    title: 'Active connections',
    group: 'network',
    metric: 'network.ingress.connections.active',
    unit: 'count',
    unitName: 'connections',
    aggregate: 'MAX',
    seriesAttribute: 'snow.endpoint.name',
    attributeLabel: 'endpoint',
    description: 'Open connections to each endpoint of each container (peak per bucket).',
  },
  {
    id: 'ingressRate',
    title: 'New connections',
    group: 'network',
    metric: 'network.ingress.cps',
    unit: 'perSecond',
    unitName: 'connections/s',
    aggregate: 'AVG',
    seriesAttribute: 'snow.endpoint.name',
    attributeLabel: 'endpoint',
    description: 'New connections per second to each endpoint (average per bucket).',
  },
  {
    id: 'egressReceived',
    title: 'Egress received',
    group: 'network',
    metric: 'network.egress.received.bytes',
    unit: 'bytes',
    aggregate: 'MAX',
    description: 'Bytes each instance received over its external access integrations (a running total).',
  },
  {
    id: 'egressTransmitted',
    title: 'Egress transmitted',
    group: 'network',
    metric: 'network.egress.transmitted.bytes',
    unit: 'bytes',
    aggregate: 'MAX',
    description: 'Bytes each instance sent over its external access integrations (a running total).',
  },
  {
    id: 'egressDenied',
    title: 'Egress denied',
    group: 'network',
    metric: 'network.egress.denied.packets',
    unit: 'count',
    unitName: 'packets',
    aggregate: 'MAX',
    description: 'Packets each instance tried to send where no external access integration allows it (a running total).',
  },
  {
    id: 'volumeUsage',
    title: 'Block volume usage',
    group: 'storage',
    metric: 'volume.usage',
    limit: { metric: 'volume.capacity', group: 'storage', label: 'volume capacity' },
    unit: 'bytes',
    aggregate: 'MAX',
    seriesAttribute: 'snow_volume_name',
    attributeLabel: 'volume',
    description: 'Space used on each block volume, with its capacity.',
  },
  {
    id: 'volumeRead',
    title: 'Volume reads',
    group: 'storage',
    metric: 'volume.read.throughput',
    unit: 'bytesPerSecond',
    aggregate: 'AVG',
    seriesAttribute: 'snow_volume_name',
    attributeLabel: 'volume',
    description: 'Bytes read per second from each block volume (average per bucket).',
  },
  {
    id: 'volumeWrite',
    title: 'Volume writes',
    group: 'storage',
    metric: 'volume.write.throughput',
    unit: 'bytesPerSecond',
    aggregate: 'AVG',
    seriesAttribute: 'snow_volume_name',
    attributeLabel: 'volume',
    description: 'Bytes written per second to each block volume (average per bucket).',
  },
];

export function chartDefinition(id: string): ChartDefinition | undefined {
  return chartCatalog.find((chart) => chart.id === id);
}

/** The charts the enabled groups make available, with their limit line only when its group is enabled too. */
export function chartsForGroups(groups: readonly string[]): ChartDefinition[] {
  const enabled = new Set(groups.map((group) => group.toLowerCase()));
  return chartCatalog
    .filter((chart) => enabled.has(chart.group))
    .map((chart) => (chart.limit && !enabled.has(chart.limit.group) ? withoutLimit(chart) : chart));
}

/** The charts whose metric appears in `metricNames` (when the groups are unknown: the role cannot read the spec). */
export function chartsForMetrics(metricNames: Iterable<string>): ChartDefinition[] {
  const present = new Set(metricNames);
  return chartCatalog
    .filter((chart) => present.has(chart.metric))
    .map((chart) => (chart.limit && !present.has(chart.limit.metric) ? withoutLimit(chart) : chart));
}

function withoutLimit(chart: ChartDefinition): ChartDefinition {
  const { limit: _limit, ...rest } = chart;
  return rest;
}

/** The metric names a chart reads: its own and its limit's. */
export function chartMetrics(chart: ChartDefinition): string[] {
  return chart.limit ? [chart.metric, chart.limit.metric] : [chart.metric];
}
