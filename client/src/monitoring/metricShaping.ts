/**
 * Metric rows (`telemetryRows.ts`) → what a chart draws (`ChartData` of `metricsMessages.ts`): one
 * chart per catalogue entry, one series per instance/container (and per GPU, endpoint or volume where
 * the metric carries that attribute), values on the window's bucket grid with `null` where there was
 * no sample (a container that was not running draws a gap, not a line to zero), in one display unit
 * (GiB or MiB by the chart's largest value, ratios as %), and the limit drawn as a line: containers
 * whose limits agree share one line, so twelve containers with a 2 GiB limit show one limit, not twelve.
 *
 * Pure and linear in the rows (one pass to bucket, one to convert); no `vscode`, no Snowflake.
 */

import type { ChartDefinition } from './metricCatalog';
import { decimalsFor, displayUnit, formatValue } from './metricFormat';
import type { ChartData, ChartSeries } from './metricsMessages';
import type { MetricRow } from './telemetryRows';
import type { TimeWindow } from './telemetrySql';

/** Which part of a service the panel shows; decides how much a series label has to say. */
export type ShapeScope = 'service' | 'instance' | 'container';

export interface ShapeContext {
  readonly window: TimeWindow;
  readonly bucketSeconds: number;
  readonly scope: ShapeScope;
}

interface SeriesAccumulator {
  readonly instanceId: string;
  readonly container: string | undefined;
  readonly attribute: string | undefined;
  readonly values: (number | null)[];
}

/** The bucket starts (ms) covering the window: from the bucket holding `start` to the one holding `end`. */
export function bucketGrid(window: TimeWindow, bucketSeconds: number): { readonly first: number; readonly count: number; readonly stepMs: number } {
  const stepMs = bucketSeconds * 1000;
  const first = Math.floor(window.start / stepMs) * stepMs;
  const last = Math.floor(window.end / stepMs) * stepMs;
  return { first, count: Math.max(1, Math.round((last - first) / stepMs) + 1), stepMs };
}

/**
 * The chart for `definition` from the rows of its query (rows of other metrics are ignored), or
 * `undefined` when its metric has no rows at all in the window.
 */
export function shapeChart(definition: ChartDefinition, rows: readonly MetricRow[], context: ShapeContext): ChartData | undefined {
  const grid = bucketGrid(context.window, context.bucketSeconds);
  const values = new Map<string, SeriesAccumulator>();
  const limits = new Map<string, SeriesAccumulator>();
  const limitMetric = definition.limit?.metric;
  for (const row of rows) {
    const target = row.metric === definition.metric ? values : row.metric === limitMetric ? limits : undefined;
    if (target === undefined) continue;
    const index = Math.round((row.time - grid.first) / grid.stepMs);
    if (index < 0 || index >= grid.count) continue;
    const key = seriesKey(row.instanceId, row.container, row.attribute);
    let series = target.get(key);
    if (series === undefined) {
      series = { instanceId: row.instanceId, container: row.container, attribute: row.attribute, values: new Array<number | null>(grid.count).fill(null) };
      target.set(key, series);
    }
    const current = series.values[index];
    // Two rows for one bucket only happen when the SQL did not aggregate (raw samples): keep the peak.
    series.values[index] = current === null || current === undefined ? row.value : Math.max(current, row.value);
  }
  if (values.size === 0) return undefined;

  let largest = 0;
  for (const series of [...values.values(), ...limits.values()]) {
    for (const value of series.values) if (value !== null && value > largest) largest = value;
  }
  const unit = displayUnit(definition.unit, largest, definition.unitName);
  // Enough decimals for the smallest series to read (1.50 GiB beside 150.00 GiB, not 2 beside 150).
  let smallestPeak = largest;
  for (const series of [...values.values(), ...limits.values()]) {
    let peak = 0;
    for (const value of series.values) if (value !== null && value > peak) peak = value;
    if (peak > 0 && peak < smallestPeak) smallestPeak = peak;
  }
  const decimals = decimalsFor(smallestPeak / unit.divisor);
  const convert = (raw: readonly (number | null)[]): (number | null)[] => raw.map((value) => (value === null ? null : value / unit.divisor));

  const ordered = [...values.entries()].sort(([, a], [, b]) => compareSeries(a, b));
  const series: ChartSeries[] = ordered.map(([key, each]) => ({ key, label: seriesLabel(each, context.scope, definition.attributeLabel), kind: 'value', values: convert(each.values) }));
  const merged = mergeAgreeing([...limits.values()].sort(compareSeries));
  for (const limit of merged) {
    const label = definition.limit?.label ?? 'limit';
    series.push({
      key: merged.length === 1 ? 'limit' : `limit:${seriesKey(limit.instanceId, limit.container, limit.attribute)}`,
      label: merged.length === 1 ? label : `${label} ${seriesLabel(limit, context.scope, definition.attributeLabel)}`,
      kind: 'limit',
      values: convert(limit.values),
    });
  }
  const times = Array.from({ length: grid.count }, (_, index) => (grid.first + index * grid.stepMs) / 1000);
  const chart: ChartData = {
    id: definition.id,
    title: definition.title,
    description: definition.description,
    unit: unit.label,
    decimals,
    bucketSeconds: context.bucketSeconds,
    aggregate: definition.aggregate,
    times,
    series,
  };
  const summary = summarize(chart, values, limits, definition, unit.divisor);
  return summary === undefined ? chart : { ...chart, summary };
}

export function seriesKey(instanceId: string, container: string | undefined, attribute: string | undefined): string {
  return [instanceId, container ?? '', ...(attribute === undefined ? [] : [attribute])].join('/');
}

function seriesLabel(series: Pick<SeriesAccumulator, 'instanceId' | 'container' | 'attribute'>, scope: ShapeScope, attributeLabel: string | undefined): string {
  const attribute = series.attribute === undefined ? '' : ` ${attributeLabel ?? ''} ${series.attribute}`.replace(/\s+/g, ' ');
  if (series.container === undefined) return `instance ${series.instanceId}${attribute}`;
  if (scope === 'service') return `${series.instanceId}/${series.container}${attribute}`;
  if (scope === 'container' && attribute !== '') return attribute.trim();
  return `${series.container}${attribute}`;
}

function compareSeries(a: SeriesAccumulator, b: SeriesAccumulator): number {
  return compareNumeric(a.instanceId, b.instanceId) || (a.container ?? '').localeCompare(b.container ?? '') || compareNumeric(a.attribute ?? '', b.attribute ?? '');
}

function compareNumeric(a: string, b: string): number {
  const numberA = Number(a);
  const numberB = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(numberA) && Number.isFinite(numberB)) return numberA - numberB;
  return a.localeCompare(b);
}

/**
 * Limit series that agree wherever both have a value become one (their union): containers with the
 * same limit share a line; a container whose limit differs keeps its own.
 */
function mergeAgreeing(series: readonly SeriesAccumulator[]): SeriesAccumulator[] {
  const merged: SeriesAccumulator[] = [];
  for (const each of series) {
    const home = merged.find((candidate) => agree(candidate.values, each.values));
    if (home === undefined) {
      merged.push({ ...each, values: [...each.values] });
      continue;
    }
    each.values.forEach((value, index) => {
      if (value !== null && home.values[index] === null) home.values[index] = value;
    });
  }
  return merged;
}

function agree(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  for (let index = 0; index < a.length; index++) {
    const x = a[index];
    const y = b[index];
    if (x !== null && x !== undefined && y !== null && y !== undefined && Math.abs(x - y) > 1e-9 * Math.max(1, Math.abs(x))) return false;
  }
  return true;
}

function lastValue(values: readonly (number | null)[]): { readonly value: number; readonly index: number } | undefined {
  for (let index = values.length - 1; index >= 0; index--) {
    const value = values[index];
    if (value !== null && value !== undefined) return { value, index };
  }
  return undefined;
}

/**
 * `latest 139 GiB of 160 GiB limit (87 %) · 0/vllm` for a chart with a limit (the series closest to
 * its limit), else `peak 12.3 cores · 0/vllm` over the range.
 */
function summarize(chart: ChartData, values: ReadonlyMap<string, SeriesAccumulator>, limits: ReadonlyMap<string, SeriesAccumulator>, definition: ChartDefinition, divisor: number): string | undefined {
  const unit = chart.unit;
  const labels = new Map(chart.series.map((series) => [series.key, series.label]));
  if (definition.limit && limits.size > 0) {
    let best: { ratio: number; used: number; limit: number; label: string } | undefined;
    for (const [key, raw] of values) {
      const latest = lastValue(raw.values);
      if (!latest) continue;
      // A GPU's capacity is per GPU; a container's memory limit is per container.
      const limit = limits.get(key) ?? limits.get(seriesKey(raw.instanceId, raw.container, undefined));
      const limitValue = limit?.values[latest.index] ?? (limit ? lastValue(limit.values)?.value : undefined);
      if (limitValue === undefined || limitValue === null || limitValue <= 0) continue;
      const ratio = latest.value / limitValue;
      if (!best || ratio > best.ratio) {
        best = { ratio, used: latest.value / divisor, limit: limitValue / divisor, label: labels.get(key) ?? key };
      }
    }
    if (best) {
      return `latest ${formatValue(best.used, unit, decimalsFor(best.used))} of ${formatValue(best.limit, unit, decimalsFor(best.limit))} (${Math.round(best.ratio * 100)} %) · ${best.label}`;
    }
  }
  let peak: { value: number; label: string } | undefined;
  for (const series of chart.series) {
    if (series.kind !== 'value') continue;
    for (const value of series.values) if (value !== null && (!peak || value > peak.value)) peak = { value, label: series.label };
  }
  return peak ? `peak ${formatValue(peak.value, unit, decimalsFor(peak.value))} · ${peak.label}` : undefined;
}
