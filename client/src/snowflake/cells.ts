/**
 * Reading the cells of a result set. The driver converts most columns to JavaScript types, but SHOW
 * and DESCRIBE output varies (text for numbers and flags, several timestamp forms, objects with
 * `toJSON`), so every reader is lenient and says "not there" (undefined) instead of guessing.
 *
 * The one place that reads cells: the listings, the deploy, the catalog, the logs and the pickers all
 * read rows with these. Pure; must not throw on any value.
 */

/** Text of a cell: strings as they are (empty: not there), numbers and booleans written out, dates as ISO 8601. */
export function cellText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return undefined;
}

/** A number: numbers, and text that is one (not blank). */
export function cellNumber(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
}

/** A flag: booleans, `true`/`false` (and `y`/`yes`/`n`/`no`/`1`/`0`) in any case, numbers (0 is false). */
export function cellBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (text === 'true' || text === 'y' || text === 'yes' || text === '1') return true;
  if (text === 'false' || text === 'n' || text === 'no' || text === '0') return false;
  return undefined;
}

/**
 * A timestamp as ISO 8601: a Date (or an object whose `toJSON` gives one), epoch milliseconds, ISO
 * text, or SHOW's `2025-12-31 16:01:00.000 -0800`; undefined when it cannot be read.
 */
export function cellTime(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(value).toISOString() : undefined;
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    const json: unknown = (value as { toJSON: () => unknown }).toJSON();
    return typeof json === 'string' ? cellTime(json) : undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  const candidate = match ? `${match[1] ?? ''}T${match[2] ?? ''}${normalizeOffset(match[3])}` : value;
  const parsed = new Date(candidate);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

function normalizeOffset(offset: string | undefined): string {
  if (offset === undefined) return 'Z';
  if (offset === 'Z') return offset;
  return offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
}
