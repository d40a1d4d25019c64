/**
 * The service helper table functions over the event table: `SELECT … FROM
 * TABLE(<service>!SPCS_GET_EVENTS | SPCS_GET_METRICS | SPCS_GET_LOGS([START_TIME => …] [, END_TIME => …]))`.
 *
 * Owns, as the function pages document them: the output columns in order with their types
 * (TIMESTAMP is TIMESTAMP_NTZ in UTC, INSTANCE_ID NUMBER, EVENT_DETAILS / RECORD /
 * RECORD_ATTRIBUTES OBJECT, the metric VALUE VARCHAR, RESOURCE never populated); the time window
 * (START_TIME defaults to one day ago, END_TIME to now, both TIMESTAMP_LTZ constants, both ends
 * included); the privilege (MONITOR on the service, or OWNERSHIP: no access to the event table
 * itself is needed); and what the event table holds (`account/events.ts`, `metrics.ts`,
 * `eventTableLogs.ts`): rows appear `Timing.eventTableDelayMs` after the moment they describe
 * ("it might take a few minutes").
 *
 * Without ORDER BY, rows come newest first, as in the docs' examples (do not rely on it: use ORDER BY).
 *
 * Must not: evaluate SQL clauses (`rowQuery.ts`) or generate telemetry (`account/`).
 */

import { eventTableLogs, type EventTableLogLine } from '../../account/eventTableLogs';
import { recordedEvents, type PlatformEvent } from '../../account/events';
import { familyOf, platformMetrics, type MetricPoint } from '../../account/metrics';
import { displayName } from '../../account/names';
import { Timing } from '../../account/timing';
import { defaultTimeZone, type ResultSet } from '../../contract';
import type { TableQuery } from '../ast';
import type { StatementContext } from '../context';
import { SqlErrors } from '../errors';
import { compile, convert, type ColumnDefinition, type Environment } from '../expressions';
import { runTableQuery, type Bounds, type RowSource } from '../rowQuery';
import { timeZone, type TimeZone } from '../timezones';
import { requirePrivilege, requireService, type FoundService } from './serviceLookup';

const day = 86_400_000;

interface Window {
  readonly from: number;
  readonly until: number;
}

/** START_TIME and END_TIME: named, constant, TIMESTAMP_LTZ; defaults one day ago and now. */
function timeWindow(ctx: StatementContext, query: TableQuery, label: string, zone: TimeZone): { start: number; end: number } {
  const env: Environment<undefined> = { zone, now: ctx.now, resolve: () => undefined };
  const values = new Map<string, number | null>();
  for (const argument of query.source.args) {
    if (argument.name === '') throw SqlErrors.tableFunctionArgument(label, `arguments are named; '${argument.value.text}' has no name.`);
    if (argument.name !== 'START_TIME' && argument.name !== 'END_TIME') throw SqlErrors.tableFunctionArgument(label, `there is no argument named ${argument.name}.`);
    if (values.has(argument.name)) throw SqlErrors.tableFunctionArgument(label, `${argument.name} is given twice.`);
    const compiled = compile(argument.value, env);
    if (!compiled.constant) throw SqlErrors.tableFunctionArgument(label, `${argument.name} must be a constant expression.`);
    const instant = convert(compiled, 'timestamp_ltz', zone).evaluate(undefined) as number | null;
    values.set(argument.name, instant);
  }
  return { start: values.get('START_TIME') ?? ctx.now - day, end: values.get('END_TIME') ?? ctx.now };
}

function numbers(bounds: Bounds, column: string): ReadonlySet<number> | undefined {
  const values = bounds.get(column)?.values;
  return values === undefined ? undefined : new Set([...values].filter((value): value is number => typeof value === 'number'));
}

function strings(bounds: Bounds, column: string): ReadonlySet<string> | undefined {
  const values = bounds.get(column)?.values;
  return values === undefined ? undefined : new Set([...values].filter((value): value is string => typeof value === 'string'));
}

/** The window narrowed by what WHERE says about TIMESTAMP (the event table's TIMESTAMP is UTC). */
function narrowed(window: Window, bounds: Bounds): Window {
  const range = bounds.get('TIMESTAMP');
  return { from: Math.max(window.from, Math.floor(range?.min ?? Number.NEGATIVE_INFINITY)), until: Math.min(window.until, Math.ceil(range?.max ?? Number.POSITIVE_INFINITY)) };
}

const timestampColumn = <R>(get: (row: R) => number, cell?: (row: R) => string): ColumnDefinition<R> => ({ name: 'TIMESTAMP', type: 'timestamp_ntz', scale: 9, get, ...(cell ? { cell } : {}) });
const text = <R>(name: string, get: (row: R) => string | null): ColumnDefinition<R> => ({ name, type: 'text', get });
const object = <R>(name: string, get: (row: R) => unknown): ColumnDefinition<R> => ({ name, type: 'object', get });
const number = <R>(name: string, get: (row: R) => number | null): ColumnDefinition<R> => ({ name, type: 'fixed', scale: 0, get });

// ---- SPCS_GET_EVENTS ------------------------------------------------------------------------------------------------

function eventSource(ctx: StatementContext, found: FoundService, window: Window): RowSource<PlatformEvent> {
  return {
    columns: [
      timestampColumn((event) => event.at),
      text('SEVERITY', (event) => event.severity),
      text('EVENT_NAME', (event) => event.name),
      object('EVENT_DETAILS', (event) => (event.status !== undefined ? { message: event.message, status: event.status } : { message: event.message })),
      number('INSTANCE_ID', (event) => event.instance ?? null),
      text('CONTAINER_NAME', (event) => event.container ?? null),
      object('RECORD', (event) => ({ name: event.name, severity_text: event.severity })),
      object('RECORD_ATTRIBUTES', () => null),
    ],
    scan(bounds, visit) {
      const { from, until } = narrowed(window, bounds);
      const instances = numbers(bounds, 'INSTANCE_ID');
      const containers = strings(bounds, 'CONTAINER_NAME');
      for (const event of recordedEvents(ctx.store.state, found.service, until)) {
        if (event.at < from || event.at > until) continue;
        if (instances !== undefined && (event.instance === undefined || !instances.has(event.instance))) continue;
        if (containers !== undefined && (event.container === undefined || !containers.has(event.container))) continue;
        visit(event);
      }
    },
    keep: (event) => event,
    defaultOrder: (a, b) => b.at - a.at,
  };
}

// ---- SPCS_GET_METRICS -----------------------------------------------------------------------------------------------

/** The metric VALUE (a VARCHAR): integers for INT metrics, at most six decimals otherwise. */
function metricValue(point: MetricPoint): number {
  return point.metric.valueType === 'INT' ? Math.round(point.value) : Math.round(point.value * 1e6) / 1e6;
}

function metricSource(ctx: StatementContext, found: FoundService, window: Window): RowSource<MetricPoint> {
  const family = familyOf(ctx.store.state.computePools[found.service.computePool]?.instanceFamily);
  return {
    columns: [
      timestampColumn((point) => point.at),
      text('METRIC_NAME', (point) => point.metric.name),
      { name: 'VALUE', type: 'text', get: (point) => String(metricValue(point)), numeric: metricValue },
      text('UNIT', (point) => point.metric.unit),
      number('INSTANCE_ID', (point) => point.instance),
      text('CONTAINER_NAME', (point) => point.container),
      // "Hardware — for example, GPU — the metric is about. This column isn't populated."
      text('RESOURCE', () => null),
      object('RECORD', (point) => ({ metric: { name: point.metric.name, unit: point.metric.unit }, metric_type: 'gauge', value_type: point.metric.valueType })),
      object('RECORD_ATTRIBUTES', (point) => point.attributes),
    ],
    scan(bounds, visit) {
      const { from, until } = narrowed(window, bounds);
      if (from > until) return;
      const metrics = strings(bounds, 'METRIC_NAME');
      const instances = numbers(bounds, 'INSTANCE_ID');
      const containers = strings(bounds, 'CONTAINER_NAME');
      platformMetrics(
        { service: found.service, family, asOf: ctx.now },
        from,
        until,
        { ...(metrics ? { metrics } : {}), ...(instances ? { instances } : {}), ...(containers ? { containers } : {}) },
        visit,
      );
    },
    keep: (point) => ({ ...point }),
    defaultOrder: (a, b) => b.at - a.at,
  };
}

// ---- SPCS_GET_LOGS --------------------------------------------------------------------------------------------------

function logSource(ctx: StatementContext, found: FoundService, window: Window): RowSource<EventTableLogLine> {
  return {
    columns: [
      timestampColumn(
        (line) => line.time.ms + line.time.nanos / 1e6,
        (line) => {
          const seconds = Math.floor(line.time.ms / 1000);
          return `${seconds}.${String((line.time.ms - seconds * 1000) * 1_000_000 + line.time.nanos).padStart(9, '0')}`;
        },
      ),
      number('INSTANCE_ID', (line) => line.instance),
      text('CONTAINER_NAME', (line) => line.container),
      text('LOG', (line) => line.text),
      object('RECORD_ATTRIBUTES', (line) => ({ 'log.iostream': line.stream })),
    ],
    scan(bounds, visit) {
      const { from, until } = narrowed(window, bounds);
      if (from > until) return;
      const instances = numbers(bounds, 'INSTANCE_ID');
      const containers = strings(bounds, 'CONTAINER_NAME');
      eventTableLogs(found.service, from, until, ctx.now, { ...(instances ? { instances } : {}), ...(containers ? { containers } : {}) }, visit);
    },
    keep: (line) => line,
    defaultOrder: (a, b) => b.time.ms - a.time.ms || b.time.nanos - a.time.nanos,
  };
}

// ---- the statement --------------------------------------------------------------------------------------------------

export function selectFromTable(ctx: StatementContext, query: TableQuery): ResultSet {
  const call = query.source;
  const found = requireService(ctx, call.service, call.name);
  const label = `${displayName(found.service)}!${call.name}`;
  requirePrivilege(ctx, found, 'MONITOR');
  const zone = timeZone(ctx.session.timezone ?? defaultTimeZone);
  const { start, end } = timeWindow(ctx, query, label, zone);
  // What the event table holds by now: rows arrive eventTableDelayMs after the moment they describe.
  const window: Window = { from: start, until: Math.min(end, ctx.now - Timing.eventTableDelayMs) };
  const context = { zone, now: ctx.now, qualifiers: [call.name] };
  switch (call.name) {
    case 'SPCS_GET_EVENTS':
      return runTableQuery(query, eventSource(ctx, found, window), context);
    case 'SPCS_GET_METRICS':
      return runTableQuery(query, metricSource(ctx, found, window), context);
    case 'SPCS_GET_LOGS':
      return runTableQuery(query, logSource(ctx, found, window), context);
  }
}
