/**
 * Log text as SYSTEM$GET_SERVICE_LOGS returns it with `include_timestamps = TRUE`, and the lines a
 * follow shows. Pure functions; no Snowflake, no `vscode`.
 *
 * Owns: reading the RFC 3339 prefix of each line (`2024-10-22T01:12:29.873896187Z <text>`) into one
 * canonical form, the comparison of those timestamps, and formatting a line for an output channel
 * (optional timestamp, a short source tag such as `[0/vllm]`, the text).
 *
 * Canonical timestamps are UTC with exactly nine fractional digits (`YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`,
 * 30 characters). The server may trim trailing zeros (Go's RFC3339Nano does) or give an offset; once
 * canonical, timestamps of the same width compare as plain strings, which is what the follower does
 * on every line (a BigInt per line would cost more than the rest of the work together).
 */

/** SYSTEM$GET_SERVICE_LOGS returns at most this many bytes per call (reference §4.11). */
export const maxLogResponseBytes = 100 * 1024;

/** Snowflake's limit on one log record (reference §4.12): a response this close to the cap may have been cut. */
export const maxLogRecordBytes = 16 * 1024;

export interface ParsedLine {
  /** Canonical timestamp; inherited from the line before when the line has none (see `parseLogText`). */
  readonly timestamp: string;
  readonly text: string;
}

/** A line a follow shows: a log line of one container, or a notice of the follower about one. */
export interface LogLine {
  readonly kind: 'log' | 'notice';
  /** Canonical timestamp (for notices: the moment they refer to); `''` when unknown. */
  readonly timestamp: string;
  readonly instance: string;
  readonly container: string;
  /** The line without its timestamp. */
  readonly text: string;
  /** What to show: `[timestamp ][tag ]text`. */
  readonly display: string;
}

/** Which part of a service a follow covers; decides the tag of each line. */
export type FollowScope = 'service' | 'instance' | 'container';

const zero = 48;
const nine = 57;

function isDigitAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= zero && code <= nine;
}

/** Whether `text` starts with a canonical timestamp (fast path for what the server normally sends). */
function startsCanonical(text: string): boolean {
  if (text.length < 30 || text.charCodeAt(29) !== 90 /* Z */ || text.charCodeAt(19) !== 46 /* . */ || text.charCodeAt(10) !== 84 /* T */) {
    return false;
  }
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) {
    return false;
  }
  for (const index of [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22, 23, 24, 25, 26, 27, 28]) {
    if (!isDigitAt(text, index)) return false;
  }
  return true;
}

const generalTimestamp = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})/;

/**
 * The canonical form of an RFC 3339 timestamp with up to nine fractional digits and any offset;
 * `undefined` when `text` is not one (a date that does not exist, no offset, trailing text).
 */
export function canonicalTimestamp(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 30 && startsCanonical(trimmed)) {
    return validDate(trimmed.slice(0, 19)) ? trimmed : undefined;
  }
  const match = generalTimestamp.exec(trimmed);
  if (!match || match[0].length !== trimmed.length) return undefined;
  return canonicalFromMatch(match);
}

function canonicalFromMatch(match: RegExpExecArray): string | undefined {
  const [, date = '', time = '', fraction = '', zone = 'Z'] = match;
  if (!validDate(`${date}T${time}`)) return undefined;
  const nanos = fraction.padEnd(9, '0');
  if (zone === 'Z' || zone === 'z') return `${date}T${time}.${nanos}Z`;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  if (hours > 23 || minutes > 59) return undefined;
  const utc = Date.parse(`${date}T${time}Z`) - sign * (hours * 60 + minutes) * 60_000;
  return `${new Date(utc).toISOString().slice(0, 19)}.${nanos}Z`;
}

/** Whether `YYYY-MM-DDTHH:MM:SS` names a real moment (Date.parse rolls 02-31 over to March; this does not). */
function validDate(dateTime: string): boolean {
  const parsed = Date.parse(`${dateTime}Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 19) === dateTime;
}

/**
 * Splits one line into its timestamp prefix and text (one space between them, as the server sends
 * it); `undefined` when the line does not start with a timestamp.
 */
export function splitTimestamp(line: string): ParsedLine | undefined {
  if (startsCanonical(line) && (line.length === 30 || line.charCodeAt(30) === 32)) {
    return { timestamp: line.slice(0, 30), text: line.slice(31) };
  }
  const match = generalTimestamp.exec(line);
  if (!match) return undefined;
  const end = match[0].length;
  if (end < line.length && line.charCodeAt(end) !== 32) return undefined;
  const timestamp = canonicalFromMatch(match);
  return timestamp === undefined ? undefined : { timestamp, text: line.slice(end + 1) };
}

/**
 * Reads a response line by line without splitting it all at once, so that a caller can stop and
 * yield between slices. A line without a timestamp (a message that spans lines) gets the timestamp
 * of the line before it, or `initialTimestamp` when it comes first: it then sorts, dedupes and
 * merges together with its neighbour.
 */
export class LogTextReader {
  private offset = 0;
  private previous: string;

  constructor(
    private readonly raw: string,
    initialTimestamp = '',
  ) {
    this.previous = initialTimestamp;
  }

  next(): ParsedLine | undefined {
    const raw = this.raw;
    if (this.offset >= raw.length) return undefined;
    const end = raw.indexOf('\n', this.offset);
    const stop = end < 0 ? raw.length : end;
    let line = raw.slice(this.offset, stop);
    this.offset = stop + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const parsed = splitTimestamp(line);
    if (parsed) {
      this.previous = parsed.timestamp;
      return parsed;
    }
    return { timestamp: this.previous, text: line };
  }
}

/** Every line of a response, oldest first as the server sends them (see `LogTextReader`). */
export function parseLogText(raw: string, initialTimestamp = ''): ParsedLine[] {
  const reader = new LogTextReader(raw, initialTimestamp);
  const lines: ParsedLine[] = [];
  for (let line = reader.next(); line !== undefined; line = reader.next()) lines.push(line);
  return lines;
}

/** Orders canonical timestamps (and `''`, which comes first). */
export function compareTimestamps(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Nanoseconds since the Unix epoch of a timestamp in any RFC 3339 form; `undefined` if it is not one. */
export function timestampNanos(text: string): bigint | undefined {
  const canonical = canonicalTimestamp(text);
  if (canonical === undefined) return undefined;
  const seconds = BigInt(Date.parse(`${canonical.slice(0, 19)}Z`) / 1000);
  return seconds * 1_000_000_000n + BigInt(canonical.slice(20, 29));
}

/** The canonical timestamp of a moment given as nanoseconds since the epoch. */
export function timestampFromNanos(nanos: bigint): string {
  const seconds = nanos / 1_000_000_000n;
  const rest = nanos % 1_000_000_000n;
  const secondsFloor = rest < 0n ? seconds - 1n : seconds;
  const fraction = rest < 0n ? rest + 1_000_000_000n : rest;
  return `${new Date(Number(secondsFloor) * 1000).toISOString().slice(0, 19)}.${fraction.toString().padStart(9, '0')}Z`;
}

/** The scope of a follow target: one container, every container of one instance, or the whole service. */
export function scopeOf(target: { readonly instance?: string; readonly container?: string }): FollowScope {
  if (target.instance !== undefined && target.container !== undefined) return 'container';
  return target.instance !== undefined ? 'instance' : 'service';
}

/**
 * The short tag that says where a line comes from: `[0/vllm]` when following a service, `[vllm]`
 * when following one instance, nothing when following one container.
 */
export function sourceTag(scope: FollowScope, instance: string, container: string): string {
  if (scope === 'container') return '';
  return scope === 'instance' ? `[${container}]` : `[${instance}/${container}]`;
}

/** `[timestamp ][tag ]text` */
export function formatLine(text: string, timestamp: string, tag: string, includeTimestamps: boolean): string {
  const stamp = includeTimestamps && timestamp !== '' ? `${timestamp} ` : '';
  return tag === '' ? `${stamp}${text}` : `${stamp}${tag} ${text}`;
}

/** Notices are set apart from log text by a leading `⋯`, so a search for them finds only them. */
export function formatNotice(message: string, tag: string): string {
  return tag === '' ? `⋯ ${message}` : `${tag} ⋯ ${message}`;
}
