/**
 * Reading a service's platform metrics for a metrics panel, designed for the first chart to paint
 * fast on a day of 10-second samples:
 * 1. the plan: which charts the service can have. From the spec's `platformMonitor.metricConfig.groups`
 *    (DESCRIBE SERVICE's `spec`, or the spec the caller already has); a spec without groups is the
 *    "no metric groups enabled" explanation at once, with no metrics query. A role that may not read
 *    the spec (only the owner sees it) asks which metric names the window has instead.
 * 2. the charts: one query per chart (its metric and its limit line), the first alone and the others
 *    together once it is in, each shaped and handed to `onChart` as soon as it returns, so the panel
 *    paints chart by chart. Each query aggregates into `TIME_SLICE` buckets chosen from the range (at
 *    most `maxPoints` per series), with the chart's aggregate (MAX for memory, AVG for utilisation),
 *    so a day is 144 points per series instead of 8,640.
 * Every statement has a timeout and stops when the signal aborts (the panel closed or asked again).
 *
 * Must not: import `vscode`, keep state between loads (the controller does), retry.
 */

import { TextDocument } from 'vscode-languageserver-textdocument';
import { isScalar } from 'yaml';
import { getMap, getPair, getSeq, isTemplated, parseSpecDocument, specLanguageId } from '../../../server/src/service';
import { chartMetrics, chartsForGroups, chartsForMetrics, type ChartDefinition } from './metricCatalog';
import type { ChartData } from './metricsMessages';
import { shapeChart, type ShapeScope } from './metricShaping';
import { runTelemetry, scopeOf, type ReadOptions, type Sessions, type TelemetryTarget } from './telemetryReads';
import { readMetricRow, textOf, type MetricRow } from './telemetryRows';
import { noMetricGroupsProblem, noMetricsProblem, problemFromError, type TelemetryProblem } from './telemetryProblems';
import { bucketFor, metricNamesQuery, metricsQuery, type TimeWindow } from './telemetrySql';
import { describeService } from '../snowflake/sql';

/**
 * The metric groups a spec enables (`platformMonitor.metricConfig.groups`), `[]` when it enables
 * none, `undefined` when that cannot be told: the text is not a YAML spec, or a template placeholder
 * fills the groups in (then the caller asks Snowflake which metrics exist instead).
 */
export function groupsOfSpec(specText: string): string[] | undefined {
  const doc = parseSpecDocument(TextDocument.create('untitled:spec.yaml', specLanguageId, 1, specText));
  if (!doc.spec || doc.notParsed || (doc.yaml?.errors.length ?? 0) > 0) return undefined;
  const monitor = getPair(doc.spec, 'platformMonitor');
  if (monitor === undefined) return [];
  if (isTemplated(doc, monitor)) return undefined;
  const groups = getSeq(getMap(getMap(doc.spec, 'platformMonitor'), 'metricConfig'), 'groups');
  if (groups === undefined) return [];
  return groups.items.filter(isScalar).map((item) => String(item.value));
}

export type MetricsPlan =
  | { readonly kind: 'charts'; readonly charts: readonly ChartDefinition[]; readonly groups?: readonly string[]; readonly bucketSeconds: number }
  | { readonly kind: 'problem'; readonly problem: TelemetryProblem };

export interface PlanOptions extends ReadOptions {
  /** The spec the service runs, when the caller has it (saves DESCRIBE SERVICE). */
  readonly specText?: string;
}

/** Which charts to load for the window (see the header). */
export async function planMetrics(sessions: Sessions, target: TelemetryTarget, window: TimeWindow, options: PlanOptions = {}): Promise<MetricsPlan> {
  const bucketSeconds = bucketFor(window);
  let specText = options.specText;
  if (specText === undefined) {
    const described = await sessions.execute(target.connection, describeService(target.service), { timeoutMs: options.timeoutMs ?? 60_000, ...(options.signal ? { signal: options.signal } : {}) });
    if (!described.ok) {
      if (described.error.kind === 'cancelled' || described.error.kind === 'timeout' || described.error.kind === 'network' || described.error.kind === 'notFound') {
        return { kind: 'problem', problem: problemFromError(described.error, 'metrics', target.service, options.role) };
      }
    } else {
      specText = textOf(described.value.rows[0]?.spec) || undefined;
    }
  }
  const groups = specText === undefined ? undefined : groupsOfSpec(specText);
  if (groups !== undefined) {
    const charts = chartsForGroups(groups);
    if (charts.length === 0) return { kind: 'problem', problem: noMetricGroupsProblem(target.service) };
    return { kind: 'charts', charts, groups, bucketSeconds };
  }
  // The spec is not ours to read: ask which metrics the window has.
  const names = await runTelemetry(sessions, target, metricNamesQuery(scopeOf(target), window), 'metrics', options);
  if (!names.ok) return { kind: 'problem', problem: names.problem };
  const charts = chartsForMetrics(names.value.map((row) => textOf(row.M)).filter((name): name is string => name !== undefined));
  if (charts.length === 0) return { kind: 'problem', problem: noMetricsProblem(target.service, window, undefined) };
  return { kind: 'charts', charts, bucketSeconds };
}

/** Reads and shapes one chart; `undefined` value when its metric has no samples in the window. */
export async function readChart(
  sessions: Sessions,
  target: TelemetryTarget,
  chart: ChartDefinition,
  window: TimeWindow,
  bucketSeconds: number,
  options: ReadOptions = {},
): Promise<{ readonly ok: true; readonly value: ChartData | undefined } | { readonly ok: false; readonly problem: TelemetryProblem }> {
  const sql = metricsQuery({
    scope: scopeOf(target),
    window,
    metrics: chartMetrics(chart),
    bucketSeconds,
    aggregate: chart.aggregate,
    ...(chart.seriesAttribute === undefined ? {} : { seriesAttribute: chart.seriesAttribute }),
  });
  const rows = await runTelemetry(sessions, target, sql, 'metrics', options);
  if (!rows.ok) return rows;
  const metrics: MetricRow[] = [];
  for (const row of rows.value) {
    const read = readMetricRow(row);
    if (read) metrics.push(read);
  }
  return { ok: true, value: shapeChart(chart, metrics, { window, bucketSeconds, scope: shapeScope(target) }) };
}

export function shapeScope(target: Pick<TelemetryTarget, 'instanceId' | 'container'>): ShapeScope {
  if (target.container !== undefined) return 'container';
  return target.instanceId !== undefined ? 'instance' : 'service';
}

export interface LoadCallbacks {
  /** A chart with data, as soon as its query returned and it was shaped. */
  readonly onChart: (chart: ChartData) => void;
  /** A chart whose query failed. */
  readonly onChartFailed: (chartId: string, problem: TelemetryProblem) => void;
}

export interface LoadOutcome {
  readonly shown: number;
  readonly empty: number;
  readonly failed: number;
  /** When every chart failed the same way (e.g. no MONITOR): the one problem to explain. */
  readonly problem?: TelemetryProblem;
}

/**
 * The charts of a plan, each handed over as soon as it is shaped (see the header). The first chart is
 * read alone and the others together once it is in: the client parses every answer on one thread,
 * so answers arriving together would hold the first chart back until all of them are parsed.
 */
export async function loadCharts(sessions: Sessions, target: TelemetryTarget, charts: readonly ChartDefinition[], window: TimeWindow, bucketSeconds: number, callbacks: LoadCallbacks, options: ReadOptions = {}): Promise<LoadOutcome> {
  let shown = 0;
  let empty = 0;
  const problems: TelemetryProblem[] = [];
  const one = async (chart: ChartDefinition): Promise<void> => {
    const read = await readChart(sessions, target, chart, window, bucketSeconds, options);
    if (options.signal?.aborted) return;
    if (!read.ok) {
      problems.push(read.problem);
      callbacks.onChartFailed(chart.id, read.problem);
    } else if (read.value === undefined) {
      empty++;
    } else {
      shown++;
      callbacks.onChart(read.value);
    }
  };
  const [head, ...rest] = charts;
  if (head !== undefined) await one(head);
  if (!options.signal?.aborted) await Promise.all(rest.map(one));
  const first = problems[0];
  const shared = first !== undefined && problems.length === charts.length && problems.every((problem) => problem.kind === first.kind) ? first : undefined;
  return { shown, empty, failed: problems.length, ...(shared === undefined ? {} : { problem: shared }) };
}
