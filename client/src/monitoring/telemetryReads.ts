/**
 * The monitoring room's reads from Snowflake: platform events, log history and a node's health,
 * through `SnowflakeSessions.execute` (every statement with a timeout and the caller's AbortSignal)
 * and the SQL of `telemetrySql.ts`. A failure or an empty answer comes back as a `TelemetryProblem`
 * that says what to grant or set (`telemetryProblems.ts`); the role named in a GRANT is the session's,
 * asked with `SELECT CURRENT_ROLE()` only when a privilege error needs it.
 *
 * Metrics have their own loader (`metricsLoader.ts`): they are read chart by chart.
 * Must not: import `vscode`, retry (the session layer reconnects; a panel's refresh is the retry).
 */

import type { SnowflakeSessions } from '../snowflake/session';
import type { QualifiedName } from '../snowflake/sql';
import { healthOf, type Health, type HealthOptions } from './healthSummary';
import { historyLines, type LogHistory } from './logHistory';
import { failures, readEventRow, type PlatformEvent } from './platformEvents';
import { readMetricRow, textOf, type MetricRow } from './telemetryRows';
import { eventsExplanation, problemFromError, readLogEventLevel, type TelemetryProblem, type TelemetryWhat } from './telemetryProblems';
import { eventsQuery, latestSamplesQuery, logsQuery, showLogEventLevel, type TelemetryScope, type TimeWindow } from './telemetrySql';

export type Sessions = Pick<SnowflakeSessions, 'execute'>;

/** A service (or one of its instances, or one container of an instance) on a connection. */
export interface TelemetryTarget {
  readonly connection: string;
  readonly service: QualifiedName;
  readonly instanceId?: string;
  readonly container?: string;
}

export interface ReadOptions {
  readonly signal?: AbortSignal;
  /** Bound on each statement (default 60 s). */
  readonly timeoutMs?: number;
  /** The session's role, if the caller knows it (named in a GRANT); asked from Snowflake otherwise. */
  readonly role?: string;
}

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: TelemetryProblem };

export function scopeOf(target: TelemetryTarget): TelemetryScope {
  return { service: target.service, ...(target.instanceId === undefined ? {} : { instanceId: target.instanceId }), ...(target.container === undefined ? {} : { container: target.container }) };
}

/** Runs one monitoring statement; a failure becomes the problem it stands for. */
export async function runTelemetry(sessions: Sessions, target: TelemetryTarget, sql: string, what: TelemetryWhat, options: ReadOptions): Promise<Read<readonly Readonly<Record<string, unknown>>[]>> {
  const result = await sessions.execute(target.connection, sql, { timeoutMs: options.timeoutMs ?? 60_000, ...(options.signal ? { signal: options.signal } : {}) });
  if (result.ok) return { ok: true, value: result.value.rows };
  const needsRole = result.error.kind === 'privilege' || result.error.kind === 'notFound';
  const role = options.role ?? (needsRole ? await currentRole(sessions, target.connection, options) : undefined);
  return { ok: false, problem: problemFromError(result.error, what, target.service, role) };
}

async function currentRole(sessions: Sessions, connection: string, options: ReadOptions): Promise<string | undefined> {
  const result = await sessions.execute(connection, 'SELECT CURRENT_ROLE() AS R', { timeoutMs: Math.min(options.timeoutMs ?? 60_000, 15_000), ...(options.signal ? { signal: options.signal } : {}) });
  return result.ok ? textOf(result.value.rows[0]?.R) || undefined : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Events

export interface EventsRead {
  /** Newest first (as the query orders them). */
  readonly events: readonly PlatformEvent[];
  /** More events than `maxEvents` happened in the window: the oldest are left out. */
  readonly truncated: boolean;
  /** Why the list is empty (LOG_EVENT_LEVEL OFF, or nothing happened), when it is. */
  readonly explanation?: TelemetryProblem;
}

export async function readEvents(sessions: Sessions, target: TelemetryTarget, window: TimeWindow, options: ReadOptions & { readonly maxEvents?: number } = {}): Promise<Read<EventsRead>> {
  const maxEvents = options.maxEvents ?? 10_000;
  const rows = await runTelemetry(sessions, target, eventsQuery(scopeOf(target), window, maxEvents + 1), 'events', options);
  if (!rows.ok) return rows;
  const events: PlatformEvent[] = [];
  for (const row of rows.value.slice(0, maxEvents)) {
    const event = readEventRow(row);
    if (event) events.push(event);
  }
  if (events.length > 0) return { ok: true, value: { events, truncated: rows.value.length > maxEvents } };
  // Nothing: say whether events are recorded at all for this service.
  const level = await sessions.execute(target.connection, showLogEventLevel(target.service), { timeoutMs: options.timeoutMs ?? 60_000, ...(options.signal ? { signal: options.signal } : {}) });
  const setting = level.ok ? readLogEventLevel(level.value.rows) : undefined;
  return { ok: true, value: { events, truncated: false, explanation: eventsExplanation(target.service, setting, window) } };
}

/** Container failures of the service in the window, newest first (for deploy triage and the job runner). */
export async function readFailureEvents(sessions: Sessions, target: TelemetryTarget, window: TimeWindow, options: ReadOptions = {}): Promise<Read<readonly PlatformEvent[]>> {
  const read = await readEvents(sessions, target, window, { ...options, maxEvents: 1000 });
  return read.ok ? { ok: true, value: failures(read.value.events) } : read;
}

// ---------------------------------------------------------------------------------------------------
// Log history

export async function readLogHistory(
  sessions: Sessions,
  target: TelemetryTarget,
  window: TimeWindow,
  options: ReadOptions & { readonly maxLines?: number; readonly includeTimestamps?: boolean } = {},
): Promise<Read<LogHistory>> {
  const maxLines = options.maxLines ?? 10_000;
  const rows = await runTelemetry(sessions, target, logsQuery(scopeOf(target), window, maxLines + 1), 'logs', options);
  if (!rows.ok) return rows;
  return { ok: true, value: historyLines(rows.value, { target, window, maxLines, includeTimestamps: options.includeTimestamps ?? false }) };
}

// ---------------------------------------------------------------------------------------------------
// Health

/** The metrics a health summary reads. */
export const healthMetrics: readonly string[] = ['container.memory.usage', 'container.memory.limit', 'container.gpu.utilization'];

/**
 * A node's health: the newest samples (the last `lookbackMs`, default 10 minutes: the event table is
 * a few minutes behind) and the container failures of the last hour. Events that cannot be read (no
 * MONITOR, LOG_EVENT_LEVEL OFF) leave the restart part out rather than failing the summary.
 */
export async function readHealth(sessions: Sessions, target: TelemetryTarget, options: ReadOptions & Partial<HealthOptions> & { readonly lookbackMs?: number } = {}): Promise<Read<Health>> {
  const inputs = await readHealthInputs(sessions, target, options);
  return inputs.ok ? { ok: true, value: healthOf(inputs.value.rows, inputs.value.events, { ...options, now: inputs.value.now }) } : inputs;
}

/**
 * The health of each of a service's instances, from one read of the service's samples and events
 * (the instances of a tree level cost two statements, not two each). Instances without samples or
 * events get a health without a summary.
 */
export async function readInstanceHealth(
  sessions: Sessions,
  target: TelemetryTarget,
  instanceIds: readonly string[],
  options: ReadOptions & Partial<HealthOptions> & { readonly lookbackMs?: number } = {},
): Promise<Read<ReadonlyMap<string, Health>>> {
  const inputs = await readHealthInputs(sessions, target, options);
  if (!inputs.ok) return inputs;
  const { rows, events, now } = inputs.value;
  const health = new Map<string, Health>();
  for (const id of instanceIds) {
    health.set(
      id,
      healthOf(
        rows.filter((row) => row.instanceId === id),
        events.filter((event) => event.instanceId === id),
        { ...options, now },
      ),
    );
  }
  return { ok: true, value: health };
}

async function readHealthInputs(
  sessions: Sessions,
  target: TelemetryTarget,
  options: ReadOptions & Partial<HealthOptions> & { readonly lookbackMs?: number },
): Promise<Read<{ readonly rows: MetricRow[]; readonly events: readonly PlatformEvent[]; readonly now: number }>> {
  const now = options.now ?? Date.now();
  const samplesWindow = { start: now - (options.lookbackMs ?? 10 * 60_000), end: now };
  const eventsWindow = { start: now - (options.restartWindowMs ?? 3_600_000), end: now };
  const [samples, events] = await Promise.all([
    runTelemetry(sessions, target, latestSamplesQuery(scopeOf(target), samplesWindow, healthMetrics), 'metrics', options),
    readEvents(sessions, target, eventsWindow, { ...options, maxEvents: 1000 }),
  ]);
  if (!samples.ok) return samples;
  const rows: MetricRow[] = [];
  for (const row of samples.value) {
    const read = readMetricRow(row);
    if (read) rows.push(read);
  }
  return { ok: true, value: { rows, events: events.ok ? events.value.events : [], now } };
}
