/**
 * Wall clocks in a session's TIMEZONE (Snowflake's default: America/Los_Angeles), which decide how
 * TIMESTAMP_LTZ values meet TIMESTAMP_NTZ ones: a TIMESTAMP_LTZ compared with the event table's
 * TIMESTAMP_NTZ column becomes the wall clock of the session's time zone, and a timestamp text
 * without an offset read as TIMESTAMP_LTZ is a wall clock of that zone.
 *
 * Owns: the offset of an IANA zone at an instant (through Intl; an unknown zone reads as UTC),
 * instant ↔ wall clock, and parsing timestamp texts (ISO 8601 / RFC 3339 and Snowflake's
 * `YYYY-MM-DD HH24:MI:SS.FF` forms).
 */

/** A session's time zone; one per statement (its formatter is built once, on first use). */
export interface TimeZone {
  readonly name: string;
  /** Milliseconds to add to an instant to get its wall clock (negative west of UTC). */
  offset(instant: number): number;
  /** The wall clock (as if UTC) of an instant. */
  wallClock(instant: number): number;
  /** The instant whose wall clock is `wall` (the earlier one when a wall clock repeats). */
  instantOf(wall: number): number;
}

/** Whether Intl knows the zone. */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function timeZone(name: string): TimeZone {
  const utc = name.toUpperCase() === 'UTC' || name === 'Etc/UTC' || !isTimeZone(name);
  let formatter: Intl.DateTimeFormat | undefined;
  const offset = (instant: number): number => {
    if (utc) return 0;
    formatter ??= new Intl.DateTimeFormat('en-US', { timeZone: name, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const whole = Math.floor(instant / 1000) * 1000;
    const parts = formatter.formatToParts(new Date(whole));
    const field = (type: string): number => Number(parts.find((part) => part.type === type)?.value ?? 0);
    return Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second')) - whole;
  };
  return {
    name,
    offset,
    wallClock: (instant) => instant + offset(instant),
    instantOf(wall) {
      const first = wall - offset(wall);
      return wall - offset(first);
    },
  };
}

export interface ParsedTimestamp {
  /** The wall clock as written, as if UTC, with sub-millisecond fractions. */
  readonly wall: number;
  /** The offset written in the text, in milliseconds; undefined when there is none. */
  readonly offset?: number;
}

/** `2026-01-01`, `2026-01-01 12:00:00`, `2026-01-01T12:00:00.123456789Z`, `… +01:00`, `… -0800`. */
export function parseTimestampText(text: string): ParsedTimestamp | undefined {
  const match = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/i.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hours = '0', minutes = '0', seconds = '0', fraction = '', zone] = match;
  const base = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hours), Number(minutes), Number(seconds));
  if (Number.isNaN(base) || Number(month) > 12 || Number(day) > 31 || Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return undefined;
  const wall = base + Number(`0.${fraction.padEnd(9, '0')}`) * 1000;
  if (zone === undefined) return { wall };
  if (zone.toUpperCase() === 'Z') return { wall, offset: 0 };
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
  return { wall, offset };
}
