/**
 * Reading the rows of the monitoring queries (`telemetrySql.ts`) by their column aliases, whatever form
 * the driver gives a value in: snowflake-sdk turns TIMESTAMP_NTZ into a `Date` (read as UTC) that also
 * carries `getEpochSeconds()` / `getNanoSeconds()`, NUMBER into a number, FLOAT into a number and
 * OBJECT into a parsed object; the emulator's own engine (and a driver asked for strings) gives text.
 * A row that cannot be read is skipped by the callers, never guessed at.
 *
 * Pure of `vscode` and of Snowflake: only values in, values out.
 */

import { timestampFromNanos } from '../logs/logLines';

/** Milliseconds since the epoch of a TIMESTAMP_NTZ (UTC) cell, or `undefined`. */
export function timeOf(value: unknown): number | undefined {
  if (value instanceof Date) {
    const time = value.getTime();
    return Number.isNaN(time) ? undefined : time;
  }
  if (typeof value === 'number') {
    // Epoch seconds with a fraction, as Snowflake's wire format writes timestamps.
    return Number.isFinite(value) ? value * 1000 : undefined;
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return seconds * 1000;
    const parsed = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

interface DriverTimestamp {
  getEpochSeconds(): number;
  getNanoSeconds(): number;
}

function isDriverTimestamp(value: unknown): value is Date & DriverTimestamp {
  return value instanceof Date && typeof (value as Partial<DriverTimestamp>).getEpochSeconds === 'function' && typeof (value as Partial<DriverTimestamp>).getNanoSeconds === 'function';
}

/**
 * The canonical log timestamp (`YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`, see `logs/logLines.ts`) of a
 * TIMESTAMP_NTZ cell, keeping its nanoseconds when the driver kept them; `''` when unreadable.
 */
export function canonicalTimeOf(value: unknown): string {
  if (isDriverTimestamp(value)) {
    const seconds = value.getEpochSeconds();
    const nanos = value.getNanoSeconds();
    if (Number.isInteger(seconds) && Number.isInteger(nanos)) {
      return timestampFromNanos(BigInt(seconds) * 1_000_000_000n + BigInt(nanos));
    }
  }
  if (typeof value === 'string' && /^\d+(\.\d{1,9})?$/.test(value.trim())) {
    const [whole = '0', fraction = ''] = value.trim().split('.');
    return timestampFromNanos(BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0')));
  }
  const ms = timeOf(value);
  return ms === undefined ? '' : timestampFromNanos(BigInt(Math.round(ms)) * 1_000_000n);
}

export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

export function numberOf(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
}

/** Instance ids are NUMBER in the table functions; the rest of the client writes them as text (`'0'`). */
export function instanceIdOf(value: unknown): string | undefined {
  const number = numberOf(value);
  return number === undefined ? undefined : String(number);
}

// ---------------------------------------------------------------------------------------------------

/** One aggregated value of `metricsQuery` or one sample of `latestSamplesQuery`. */
export interface MetricRow {
  /** Milliseconds since the epoch (the bucket's start, or the sample's time). */
  readonly time: number;
  readonly metric: string;
  readonly instanceId: string;
  /** `undefined` for instance metrics (network egress, volumes). */
  readonly container: string | undefined;
  /** The series attribute's value (the GPU index, endpoint or volume name). */
  readonly attribute: string | undefined;
  readonly value: number;
}

export function readMetricRow(row: Readonly<Record<string, unknown>>): MetricRow | undefined {
  const time = timeOf(row.T);
  const metric = textOf(row.M);
  const instanceId = instanceIdOf(row.I);
  const value = numberOf(row.V);
  if (time === undefined || metric === undefined || instanceId === undefined || value === undefined) return undefined;
  const container = textOf(row.C);
  const attribute = textOf(row.K);
  return { time, metric, instanceId, container: container === '' ? undefined : container, attribute: attribute === '' ? undefined : attribute, value };
}
