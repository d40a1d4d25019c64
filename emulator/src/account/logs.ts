/**
 * Container logs as SYSTEM$GET_SERVICE_LOGS returns them, generated on demand.
 *
 * Owns: placing a profile's lines (`logProfiles.ts`) in time for one process run (start-up
 * sequence, then periodic lines, then the lines printed when the run ended), RFC 3339 timestamps
 * with nanoseconds, and the query window: the most recent N lines, at most 100 KB, lines at or after
 * a `since` timestamp (inclusive: the CLI's follow mode drops the repeated line itself), optionally
 * prefixed with their timestamp. Lines are produced newest first and only as many as the window
 * needs, so a container that has run for weeks costs no more than one that started a minute ago.
 *
 * Must not: decide which run is current or previous (`lifecycle.ts` does).
 */

import { pick } from './hashing';
import type { ContainerState, InstanceState, ProcessRun } from './lifecycle';
import { profileFor, type LogContext, type ProfileLine } from './logProfiles';
import type { ContainerSpec, ServiceRecord } from './model';
import { Timing } from './timing';

/** A point in time with nanosecond precision: epoch milliseconds plus 0–999999 nanoseconds. */
export interface Timestamp {
  readonly ms: number;
  readonly nanos: number;
}

export interface LogLine extends ProfileLine {
  readonly time: Timestamp;
}

export const maxLogBytes = 100 * 1024;

export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  return a.ms !== b.ms ? a.ms - b.ms : a.nanos - b.nanos;
}

/** `2026-01-01T12:00:05.123456789Z`. */
export function formatTimestamp(time: Timestamp): string {
  const iso = new Date(time.ms).toISOString();
  return `${iso.slice(0, 23)}${String(time.nanos).padStart(6, '0')}Z`;
}

/** Reads RFC 3339 / ISO 8601 with up to nine fractional digits and any offset; undefined if invalid. */
export function parseTimestamp(text: string): Timestamp | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const [, date = '', time = '', fraction = '', zone] = match;
  const offset = zone === undefined || zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const base = Date.parse(`${date}T${time}${offset}`);
  if (Number.isNaN(base)) {
    return undefined;
  }
  const digits = fraction.padEnd(9, '0');
  return { ms: base + Number(digits.slice(0, 3)), nanos: Number(digits.slice(3)) };
}

export interface LogQuery {
  readonly service: ServiceRecord;
  readonly instance: InstanceState;
  readonly container: ContainerState;
  readonly run: ProcessRun;
  readonly now: number;
  /** The number of most recent lines; undefined or ≤ 0 for "as many as fit in 100 KB". */
  readonly limit?: number;
  readonly since?: Timestamp;
  readonly includeTimestamps: boolean;
}

/** The log text: lines joined by `\n`, oldest first. */
export function containerLogs(query: LogQuery): string {
  const lines: string[] = [];
  let bytes = 0;
  const limit = query.limit !== undefined && query.limit > 0 ? query.limit : Number.POSITIVE_INFINITY;
  const source: RunLogSource = { service: query.service, instance: query.instance.id, ipAddress: query.instance.ipAddress, container: query.container.spec, run: query.run };
  for (const line of runLinesNewestFirst(source, query.now)) {
    if (lines.length >= limit) break;
    if (query.since && compareTimestamps(line.time, query.since) < 0) break;
    const text = query.includeTimestamps ? `${formatTimestamp(line.time)} ${line.text}` : line.text;
    const size = Buffer.byteLength(text) + (lines.length > 0 ? 1 : 0);
    if (bytes + size > maxLogBytes) break;
    bytes += size;
    lines.push(text);
  }
  return lines.reverse().join('\n');
}

/** One process run of one container: what its lines are a function of. */
export interface RunLogSource {
  readonly service: ServiceRecord;
  readonly instance: number;
  readonly ipAddress: string;
  readonly container: ContainerSpec;
  readonly run: ProcessRun;
}

/** The run's lines up to `now`, newest first, produced lazily (stop reading when the window is full). */
export function* runLinesNewestFirst(source: RunLogSource, now: number): Generator<LogLine> {
  const { service, instance, container, run } = source;
  const profile = profileFor(container, run.job);
  const seed = `${service.seed}|${instance}|${container.name}|${run.index}|${run.start}`;
  const context: LogContext = {
    seed,
    instance,
    container,
    runIndex: run.index,
    port: container.readinessProbe?.port ?? 8080,
    ipAddress: source.ipAddress,
    replicas: service.isJob ? Math.max(1, service.minInstances) : 1,
    clock: (offset) => new Date(run.start + offset),
  };
  const stamp = (ms: number): Timestamp => ({ ms, nanos: pick(1_000_000, seed, 'ns', ms) });
  const cutoff = Math.min(now, run.end ?? now);

  if (run.end !== undefined && run.end <= now) {
    const ending = profile.ending(context, run.exitCode ?? 0);
    for (let i = ending.length - 1; i >= 0; i--) {
      const line = ending[i];
      if (line) yield { ...line, time: stamp(run.end - (ending.length - i) * 7) };
    }
  }

  const base = run.start + Timing.startupMs;
  const period = profile.periodMs;
  const periodicLimit = run.end !== undefined ? Math.min(now, run.end - 1_000) : now;
  const timeOf = (k: number): number => base + k * period + pick(Math.floor(period / 2), seed, 'jitter', k);
  if (periodicLimit >= base) {
    let k = Math.floor((periodicLimit - base) / period);
    if (timeOf(k) > periodicLimit) k--;
    for (; k >= 0; k--) {
      const time = timeOf(k);
      yield { ...profile.periodic(context, k, new Date(time)), time: stamp(time) };
    }
  }

  const startup = profile.startup(context);
  for (let i = startup.length - 1; i >= 0; i--) {
    const line = startup[i];
    if (line && run.start + line.offsetMs <= cutoff) {
      yield { stream: line.stream, text: line.text, time: stamp(run.start + line.offsetMs) };
    }
  }
}
