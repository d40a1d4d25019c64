/**
 * Result sets in Snowflake's JSON result format: column descriptions and string cells.
 *
 * Owns: the column type helpers (timestamps are `timestamp_ltz` scale 9 sent as epoch seconds with
 * nine decimals, numbers `fixed`, booleans `boolean` as "true"/"false"), the one-column `status`
 * results of DDL and USE, statement type ids, and the SHOW filters (LIKE with `%`/`_` matched
 * case-insensitively, STARTS WITH, LIMIT … FROM).
 */

import type { Column, ResultSet } from '../contract';
import type { ShowFilter } from './ast';

export const StatementType = {
  /** SELECT, CALL, SHOW, DESCRIBE. */
  query: 0x1000,
  /** USE (session control). */
  session: 0x4000,
  /** CREATE, ALTER, DROP, GRANT, EXECUTE JOB SERVICE. The driver treats 0x3000–0x3fff as DML. */
  ddl: 0x6000,
} as const;

export const Columns = {
  text: (name: string): Column => ({ name, type: 'text', nullable: true }),
  number: (name: string): Column => ({ name, type: 'fixed', scale: 0, nullable: true }),
  real: (name: string): Column => ({ name, type: 'real', nullable: true }),
  boolean: (name: string): Column => ({ name, type: 'boolean', nullable: true }),
  time: (name: string): Column => ({ name, type: 'timestamp_ltz', scale: 9, nullable: true }),
  variant: (name: string): Column => ({ name, type: 'variant', nullable: true }),
};

export type Cell = string | null;

export function timeCell(ms: number | undefined): Cell {
  if (ms === undefined) {
    return null;
  }
  const seconds = Math.floor(ms / 1000);
  const millis = ms - seconds * 1000;
  return `${seconds}.${String(millis).padStart(3, '0')}000000`;
}

export function numberCell(value: number | undefined): Cell {
  return value === undefined ? null : String(value);
}

export function booleanCell(value: boolean | undefined): Cell {
  return value === undefined ? null : value ? 'true' : 'false';
}

export function textCell(value: string | undefined): Cell {
  return value ?? null;
}

export function resultSet(columns: readonly Column[], rows: readonly (readonly Cell[])[], statementTypeId: number = StatementType.query): ResultSet {
  return { columns, rows, statementTypeId };
}

/** The one-row `status` result of DDL statements ("Service X successfully created."). */
export function statusResult(message: string, statementTypeId: number = StatementType.ddl): ResultSet {
  return resultSet([Columns.text('status')], [[message]], statementTypeId);
}

export function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (char === '\\' && i + 1 < pattern.length) {
      source += escapeRegExp(pattern.charAt(++i));
    } else if (char === '%') {
      source += '.*';
    } else if (char === '_') {
      source += '.';
    } else {
      source += escapeRegExp(char);
    }
  }
  return new RegExp(`^${source}$`, 'is');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Applies LIKE, STARTS WITH and LIMIT … FROM to items sorted by name. */
export function applyFilter<T>(items: readonly T[], nameOf: (item: T) => string, filter: ShowFilter): T[] {
  const like = filter.like !== undefined ? likeToRegExp(filter.like) : undefined;
  let result = items.filter((item) => {
    const name = nameOf(item);
    return (!like || like.test(name)) && (filter.startsWith === undefined || name.startsWith(filter.startsWith));
  });
  if (filter.from !== undefined) {
    const from = filter.from;
    result = result.filter((item) => nameOf(item) >= from);
  }
  if (filter.limit !== undefined) {
    result = result.slice(0, Math.max(0, filter.limit));
  }
  return result;
}

export function byName<T>(nameOf: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const left = nameOf(a);
    const right = nameOf(b);
    return left < right ? -1 : left > right ? 1 : 0;
  };
}
