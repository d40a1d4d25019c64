/**
 * Typed expressions over rows: compiles a parsed `SqlExpression` once into a closure that evaluates
 * it for each row, with Snowflake's types and coercions, so that a day of metrics (hundreds of
 * thousands of rows) costs one closure call per row and node.
 *
 * Owns: value types (VARCHAR, NUMBER with a scale, FLOAT, BOOLEAN, TIMESTAMP_NTZ, TIMESTAMP_LTZ,
 * OBJECT, VARIANT), casts and implicit coercions (text → number raises "Numeric value 'x' is not
 * recognized", text → timestamp "Timestamp 'x' is not recognized"; a TIMESTAMP_LTZ meeting a
 * TIMESTAMP_NTZ becomes the wall clock of the session's TIMEZONE, as in Snowflake), three-valued
 * logic, comparisons, LIKE / ILIKE, IN, BETWEEN, arithmetic and INTERVAL arithmetic on timestamps,
 * paths into OBJECT / VARIANT values, the scalar functions a monitoring client needs (DATEADD,
 * TIME_SLICE, DATE_TRUNC, TO_TIMESTAMP*, TO_DOUBLE, TO_NUMBER, TO_VARCHAR, CURRENT_TIMESTAMP,
 * SYSDATE, UPPER, LOWER, COALESCE, IFNULL / NVL), aggregate specifications (COUNT, SUM, AVG, MIN,
 * MAX) and the result-cell format of each type.
 *
 * Timestamps are numbers of milliseconds (with sub-millisecond fractions): for TIMESTAMP_LTZ the
 * instant, for TIMESTAMP_NTZ the wall clock read as UTC.
 *
 * Must not: know table functions or query clauses (`rowQuery.ts`); every other function is
 * "Unsupported feature", never silently wrong.
 *
 * Over 400 lines on purpose: one compiler (types, coercions and the functions that use them), read
 * best whole.
 */

import type { ColumnType } from '../contract';
import type { SqlExpression, Value } from './ast';
import { SqlErrors } from './errors';
import { parseTimestampText, type TimeZone } from './timezones';

export type ValueType = ColumnType | 'null' | 'interval';

export interface ColumnDefinition<R> {
  /** As the result names it (upper case for the table functions' columns). */
  readonly name: string;
  readonly type: ColumnType;
  readonly scale?: number;
  readonly get: (row: R) => unknown;
  /** The exact result cell when formatting `get` would lose precision (nanosecond timestamps). */
  readonly cell?: (row: R) => string | null;
  /** For text columns that always hold numbers (metric values): the number, without parsing text per row. */
  readonly numeric?: (row: R) => number | null;
}

export interface Compiled<R> {
  readonly type: ValueType;
  /** Digits after the decimal point of NUMBER values. */
  readonly scale: number;
  readonly evaluate: (row: R) => unknown;
  readonly constant: boolean;
  readonly cell?: (row: R) => string | null;
  /** The source column's name when the expression is that column alone. */
  readonly column?: string;
  /** See `ColumnDefinition.numeric`. */
  readonly numeric?: (row: R) => number | null;
}

export interface Environment<R> {
  readonly zone: TimeZone;
  /** The statement's time (CURRENT_TIMESTAMP). */
  readonly now: number;
  /** Leaves of this context (columns, group keys, aggregates); undefined lets the generic rules apply. */
  resolve(expression: SqlExpression): Compiled<R> | undefined;
}

export const aggregateFunctions = new Set(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX']);

interface Interval {
  readonly months: number;
  readonly milliseconds: number;
}

// ---- building blocks ----------------------------------------------------------------------------------------

/** Text of a value of any type (JSON for objects). */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}

function make<R>(type: ValueType, evaluate: (row: R) => unknown, constant: boolean, scale = 0): Compiled<R> {
  if (constant) {
    // Constants are folded once; a failing constant raises its error at compile time, as in Snowflake.
    const value = evaluate(undefined as unknown as R);
    return { type, scale, evaluate: () => value, constant: true };
  }
  return { type, scale, evaluate, constant: false };
}

function isTimestamp(type: ValueType): type is 'timestamp_ntz' | 'timestamp_ltz' {
  return type === 'timestamp_ntz' || type === 'timestamp_ltz';
}

function isNumeric(type: ValueType): type is 'fixed' | 'real' {
  return type === 'fixed' || type === 'real';
}

/** Rounds half away from zero, as Snowflake does. */
function roundTo(value: number, scale: number): number {
  const factor = 10 ** scale;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor;
}

function parseNumber(text: string): number {
  if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(text)) throw SqlErrors.numericNotRecognized(text);
  return Number(text);
}

function toNumber(value: unknown, from: ValueType): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return parseNumber(value);
  throw SqlErrors.numericNotRecognized(from === 'object' || from === 'variant' ? JSON.stringify(value) : String(value));
}

/** Numbers as Snowflake reads them in TO_TIMESTAMP: seconds, or milli-, micro-, nanoseconds when larger. */
function epochMilliseconds(seconds: number): number {
  const magnitude = Math.abs(seconds);
  if (magnitude < 31_536_000_000) return seconds * 1000;
  if (magnitude < 31_536_000_000_000) return seconds;
  if (magnitude < 31_536_000_000_000_000) return seconds / 1000;
  return seconds / 1_000_000;
}

function toTimestamp(value: unknown, from: ValueType, to: 'timestamp_ntz' | 'timestamp_ltz', zone: TimeZone): number {
  if (from === to && typeof value === 'number') return value;
  if (from === 'timestamp_ltz' && typeof value === 'number') return zone.wallClock(value);
  if (from === 'timestamp_ntz' && typeof value === 'number') return zone.instantOf(value);
  if (typeof value === 'number') return epochMilliseconds(value);
  if (typeof value === 'string') {
    if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return epochMilliseconds(Number(value));
    const parsed = parseTimestampText(value);
    if (!parsed) throw SqlErrors.timestampNotRecognized(value);
    if (to === 'timestamp_ntz') return parsed.wall;
    return parsed.offset !== undefined ? parsed.wall - parsed.offset : zone.instantOf(parsed.wall);
  }
  throw SqlErrors.timestampNotRecognized(asText(value));
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** `2026-01-01 12:00:05.123` (the wall clock of a number of milliseconds read as UTC). */
function formatWallClock(wall: number): string {
  const date = new Date(Math.floor(wall));
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`;
}

function formatOffset(offset: number): string {
  const minutes = Math.round(Math.abs(offset) / 60_000);
  return `${offset < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}${pad(minutes % 60)}`;
}

function toText(value: unknown, from: ValueType, scale: number, zone: TimeZone): string {
  switch (from) {
    case 'text':
      return value as string;
    case 'fixed':
      return scale > 0 ? (value as number).toFixed(scale) : String(Math.round(value as number));
    case 'real':
      return asText(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'timestamp_ntz':
      return formatWallClock(value as number);
    case 'timestamp_ltz':
      return `${formatWallClock(zone.wallClock(value as number))} ${formatOffset(zone.offset(value as number))}`;
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

function toBoolean(value: unknown, from: ValueType): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string' && /^\s*(true|false|t|f|yes|no|y|n|on|off|1|0)\s*$/i.test(value)) return /^\s*(true|t|yes|y|on|1)\s*$/i.test(value);
  throw SqlErrors.booleanNotRecognized(typeof value === 'string' ? value : from);
}

/** A type name of a cast: the type and, for NUMBER(p, s), its scale. */
function castType(name: string): { type: ColumnType; scale: number } {
  const base = name.replace(/\(.*\)$/, '');
  const sizes = /\(([^)]*)\)$/.exec(name)?.[1]?.split(',').map(Number) ?? [];
  switch (base) {
    case 'FLOAT':
    case 'FLOAT4':
    case 'FLOAT8':
    case 'DOUBLE':
    case 'REAL':
      return { type: 'real', scale: 0 };
    case 'NUMBER':
    case 'DECIMAL':
    case 'NUMERIC':
      return { type: 'fixed', scale: sizes[1] ?? 0 };
    case 'INT':
    case 'INTEGER':
    case 'BIGINT':
    case 'SMALLINT':
    case 'TINYINT':
    case 'BYTEINT':
      return { type: 'fixed', scale: 0 };
    case 'VARCHAR':
    case 'STRING':
    case 'TEXT':
    case 'CHAR':
    case 'CHARACTER':
      return { type: 'text', scale: 0 };
    case 'BOOLEAN':
      return { type: 'boolean', scale: 0 };
    case 'TIMESTAMP':
    case 'DATETIME':
    case 'TIMESTAMP_NTZ':
      return { type: 'timestamp_ntz', scale: 0 };
    case 'TIMESTAMP_LTZ':
      return { type: 'timestamp_ltz', scale: 0 };
    case 'VARIANT':
      return { type: 'variant', scale: 0 };
    case 'OBJECT':
      return { type: 'object', scale: 0 };
    default:
      throw SqlErrors.unsupported(`casts to ${name}`);
  }
}

/** The value of `compiled` as another type, with Snowflake's conversion errors. */
export function convert<R>(compiled: Compiled<R>, to: ValueType, zone: TimeZone, scale = 0): Compiled<R> {
  const from = compiled.type;
  if (from === to && (to !== 'fixed' || scale === compiled.scale)) return compiled;
  if (from === 'null') return { ...compiled, type: to, scale };
  const numeric = compiled.numeric;
  if (numeric && to === 'real') return { type: 'real', scale: 0, evaluate: numeric, constant: false };
  if (numeric && to === 'fixed') {
    return { type: 'fixed', scale, evaluate: (row) => {
      const value = numeric(row);
      return value === null ? null : roundTo(value, scale);
    }, constant: false };
  }
  const inner = compiled.evaluate;
  let change: (value: unknown) => unknown;
  switch (to) {
    case 'fixed':
      change = (value) => roundTo(toNumber(value, from), scale);
      break;
    case 'real':
      change = (value) => toNumber(value, from);
      break;
    case 'text':
      change = (value) => toText(value, from, compiled.scale, zone);
      break;
    case 'boolean':
      change = (value) => toBoolean(value, from);
      break;
    case 'timestamp_ntz':
    case 'timestamp_ltz':
      change = (value) => toTimestamp(value, from, to, zone);
      break;
    case 'variant':
    case 'object':
      if (from === 'text' && to === 'object') throw SqlErrors.unsupported('casts of VARCHAR to OBJECT');
      change = (value) => (isTimestamp(from) ? toText(value, from, 0, zone) : value);
      break;
    default:
      throw SqlErrors.unsupported(`conversions to ${to}`);
  }
  return make<R>(to, (row) => {
    const value = inner(row);
    return value === null || value === undefined ? null : change(value);
  }, compiled.constant, scale);
}

// ---- compilation ------------------------------------------------------------------------------------------------

export function compile<R>(expression: SqlExpression, env: Environment<R>): Compiled<R> {
  const resolved = env.resolve(expression);
  if (resolved) return resolved;
  const child = (operand: SqlExpression): Compiled<R> => compile(operand, env);
  switch (expression.kind) {
    case 'literal':
      return literal(expression.value);
    case 'interval': {
      const value: Interval = { months: expression.months, milliseconds: expression.milliseconds };
      return { type: 'interval', scale: 0, evaluate: () => value, constant: true };
    }
    case 'column':
      return bareFunction<R>(expression, env);
    case 'cast': {
      const target = castType(expression.type);
      return convert(child(expression.operand), target.type, env.zone, target.scale);
    }
    case 'path':
      return path(child(expression.operand), expression.path);
    case 'unary':
      return unary(expression.operator, child(expression.operand), env);
    case 'binary':
      return binary(expression.operator, child(expression.left), child(expression.right), env);
    case 'in': {
      const operand = child(expression.operand);
      const tests = expression.list.map((item) => comparator(operand, child(item), env));
      const negated = expression.negated;
      return make<R>('boolean', (row) => {
        let unknown = false;
        for (const test of tests) {
          const result = test(row);
          if (result === 0) return !negated;
          if (result === null) unknown = true;
        }
        return unknown ? null : negated;
      }, operand.constant && tests.length === 0);
    }
    case 'between': {
      const operand = child(expression.operand);
      const low = comparator(operand, child(expression.low), env);
      const high = comparator(operand, child(expression.high), env);
      const negated = expression.negated;
      return make<R>('boolean', (row) => {
        const above = low(row);
        const below = high(row);
        if (above === null || below === null) return null;
        const inside = above >= 0 && below <= 0;
        return negated ? !inside : inside;
      }, false);
    }
    case 'like': {
      const operand = convert(child(expression.operand), 'text', env.zone);
      const pattern = convert(child(expression.pattern), 'text', env.zone);
      const negated = expression.negated;
      const flags = expression.caseInsensitive ? 'is' : 's';
      const fixed = pattern.constant ? likePattern(pattern.evaluate(undefined as unknown as R) as string | null, flags) : undefined;
      return make<R>('boolean', (row) => {
        const text = operand.evaluate(row) as string | null;
        const regex = fixed ?? likePattern(pattern.evaluate(row) as string | null, flags);
        if (text === null || regex === null) return null;
        return regex.test(text) !== negated;
      }, operand.constant && pattern.constant);
    }
    case 'isNull': {
      const operand = child(expression.operand);
      const negated = expression.negated;
      return make<R>('boolean', (row) => {
        const value = operand.evaluate(row);
        return (value === null || value === undefined) !== negated;
      }, operand.constant);
    }
    case 'function':
      return call(expression, env);
  }
}

function literal<R>(value: Value): Compiled<R> {
  switch (value.kind) {
    case 'string':
      return { type: 'text', scale: 0, evaluate: () => value.value, constant: true };
    case 'number': {
      if (/e/i.test(value.text)) return { type: 'real', scale: 0, evaluate: () => value.value, constant: true };
      const scale = value.text.includes('.') ? (value.text.split('.')[1]?.length ?? 0) : 0;
      return { type: 'fixed', scale, evaluate: () => value.value, constant: true };
    }
    case 'boolean':
      return { type: 'boolean', scale: 0, evaluate: () => value.value, constant: true };
    case 'null':
      return { type: 'null', scale: 0, evaluate: () => null, constant: true };
    default:
      throw SqlErrors.unsupported('this literal');
  }
}

/** CURRENT_TIMESTAMP and friends may be written without parentheses; any other bare name is unknown. */
function bareFunction<R>(expression: Extract<SqlExpression, { kind: 'column' }>, env: Environment<R>): Compiled<R> {
  if (expression.qualifier === undefined && ['CURRENT_TIMESTAMP', 'LOCALTIMESTAMP'].includes(expression.name)) {
    return { type: 'timestamp_ltz', scale: 0, evaluate: () => env.now, constant: true };
  }
  throw SqlErrors.invalidIdentifier(expression.qualifier !== undefined ? `${expression.qualifier}.${expression.name}` : expression.name);
}

function likePattern(pattern: string | null, flags: string): RegExp | null {
  if (pattern === null) return null;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (char === '\\' && i + 1 < pattern.length) source += pattern.charAt(++i).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (char === '%') source += '.*';
    else if (char === '_') source += '.';
    else source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, flags);
}

function path<R>(operand: Compiled<R>, elements: readonly (string | number)[]): Compiled<R> {
  if (operand.type !== 'object' && operand.type !== 'variant' && operand.type !== 'null') {
    throw SqlErrors.invalidArgumentType(`path access needs an OBJECT or VARIANT value, not ${operand.type.toUpperCase()}`);
  }
  const inner = operand.evaluate;
  return make<R>('variant', (row) => {
    let value: unknown = inner(row);
    for (const element of elements) {
      if (value === null || typeof value !== 'object') return null;
      value = (value as Record<string | number, unknown>)[element];
      if (value === undefined) return null;
    }
    return value;
  }, operand.constant);
}

function unary<R>(operator: '-' | '+' | 'NOT', operand: Compiled<R>, env: Environment<R>): Compiled<R> {
  if (operator === 'NOT') {
    const value = convert(operand, 'boolean', env.zone).evaluate;
    return make<R>('boolean', (row) => {
      const result = value(row);
      return result === null ? null : !result;
    }, operand.constant);
  }
  const numeric = isNumeric(operand.type) ? operand : convert(operand, 'real', env.zone);
  if (operator === '+') return numeric;
  const inner = numeric.evaluate;
  return make<R>(numeric.type, (row) => {
    const value = inner(row) as number | null;
    return value === null ? null : -value;
  }, numeric.constant, numeric.scale);
}

/** Both sides brought to a type they can be compared in; the result compares them (null when either is NULL). */
function comparator<R>(left: Compiled<R>, right: Compiled<R>, env: Environment<R>): (row: R) => number | null {
  let [a, b] = [left, right];
  if (isTimestamp(a.type) || isTimestamp(b.type)) {
    // A TIMESTAMP_LTZ meeting a TIMESTAMP_NTZ becomes the session's wall clock (Snowflake's rule).
    const target = isTimestamp(a.type) && isTimestamp(b.type) && a.type !== b.type ? 'timestamp_ntz' : isTimestamp(a.type) ? a.type : (b.type as 'timestamp_ntz' | 'timestamp_ltz');
    a = convert(a, target, env.zone);
    b = convert(b, target, env.zone);
  } else if (isNumeric(a.type) || isNumeric(b.type)) {
    if (!isNumeric(a.type)) a = convert(a, 'real', env.zone);
    if (!isNumeric(b.type)) b = convert(b, 'real', env.zone);
  } else if (a.type === 'boolean' || b.type === 'boolean') {
    a = convert(a, 'boolean', env.zone);
    b = convert(b, 'boolean', env.zone);
  } else if (a.type !== b.type || a.type === 'object' || a.type === 'variant') {
    a = convert(a, 'text', env.zone);
    b = convert(b, 'text', env.zone);
  }
  const first = a.evaluate;
  const second = b.evaluate;
  return (row) => {
    const x = first(row);
    const y = second(row);
    if (x === null || y === null || x === undefined || y === undefined) return null;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'boolean' && typeof y === 'boolean') return Number(x) - Number(y);
    const u = asText(x);
    const v = asText(y);
    return u < v ? -1 : u > v ? 1 : 0;
  };
}

function logical<R>(operator: 'AND' | 'OR', left: Compiled<R>, right: Compiled<R>, env: Environment<R>): Compiled<R> {
  const a = convert(left, 'boolean', env.zone).evaluate;
  const b = convert(right, 'boolean', env.zone).evaluate;
  const constant = left.constant && right.constant;
  if (operator === 'AND') {
    return make<R>('boolean', (row) => {
      const x = a(row);
      if (x === false) return false;
      const y = b(row);
      if (y === false) return false;
      return x === null || y === null ? null : true;
    }, constant);
  }
  return make<R>('boolean', (row) => {
    const x = a(row);
    if (x === true) return true;
    const y = b(row);
    if (y === true) return true;
    return x === null || y === null ? null : false;
  }, constant);
}

function addMonths(wall: number, months: number): number {
  const date = new Date(wall);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, last));
  return date.getTime() + (wall - Math.floor(wall));
}

/** Adds to a timestamp; months move the wall clock of the session's zone for TIMESTAMP_LTZ. */
function shift(value: number, type: 'timestamp_ntz' | 'timestamp_ltz', months: number, milliseconds: number, zone: TimeZone): number {
  if (months === 0) return value + milliseconds;
  if (type === 'timestamp_ntz') return addMonths(value, months) + milliseconds;
  return zone.instantOf(addMonths(zone.wallClock(value), months)) + milliseconds;
}

function binary<R>(operator: string, left: Compiled<R>, right: Compiled<R>, env: Environment<R>): Compiled<R> {
  const constant = left.constant && right.constant;
  if (operator === 'AND' || operator === 'OR') return logical(operator, left, right, env);
  if (['=', '!=', '<', '<=', '>', '>='].includes(operator)) {
    const compare = comparator(left, right, env);
    const test: (order: number) => boolean =
      operator === '=' ? (order) => order === 0 : operator === '!=' ? (order) => order !== 0 : operator === '<' ? (order) => order < 0 : operator === '<=' ? (order) => order <= 0 : operator === '>' ? (order) => order > 0 : (order) => order >= 0;
    return make<R>('boolean', (row) => {
      const order = compare(row);
      return order === null ? null : test(order);
    }, constant);
  }
  if (operator === '||') {
    const a = convert(left, 'text', env.zone).evaluate;
    const b = convert(right, 'text', env.zone).evaluate;
    return make<R>('text', (row) => {
      const x = a(row);
      const y = b(row);
      return x === null || y === null ? null : `${asText(x)}${asText(y)}`;
    }, constant);
  }
  if ((operator === '+' || operator === '-') && (isTimestamp(left.type) || isTimestamp(right.type))) {
    const [timestamp, interval] = isTimestamp(left.type) ? [left, right] : [right, left];
    if (interval.type !== 'interval' || (operator === '-' && timestamp !== left)) throw SqlErrors.unsupported(`timestamp arithmetic other than timestamp ${operator} INTERVAL`);
    const type = timestamp.type as 'timestamp_ntz' | 'timestamp_ltz';
    const sign = operator === '-' ? -1 : 1;
    const at = timestamp.evaluate;
    const amount = interval.evaluate(undefined as unknown as R) as Interval;
    return make<R>(type, (row) => {
      const value = at(row) as number | null;
      return value === null ? null : shift(value, type, sign * amount.months, sign * amount.milliseconds, env.zone);
    }, timestamp.constant);
  }
  if (left.type === 'interval' || right.type === 'interval') throw SqlErrors.unsupported('INTERVAL arithmetic other than with a timestamp');
  const fixed = left.type === 'fixed' && right.type === 'fixed';
  const a = (isNumeric(left.type) ? left : convert(left, 'real', env.zone)).evaluate;
  const b = (isNumeric(right.type) ? right : convert(right, 'real', env.zone)).evaluate;
  const scale = !fixed ? 0 : operator === '*' ? Math.min(12, left.scale + right.scale) : operator === '/' ? Math.max(6, left.scale) : Math.max(left.scale, right.scale);
  const apply: (x: number, y: number) => number =
    operator === '+' ? (x, y) => x + y : operator === '-' ? (x, y) => x - y : operator === '*' ? (x, y) => x * y : (x, y) => {
      if (y === 0) throw SqlErrors.divisionByZero();
      return x / y;
    };
  return make<R>(fixed ? 'fixed' : 'real', (row) => {
    const x = a(row) as number | null;
    const y = b(row) as number | null;
    if (x === null || y === null) return null;
    const value = apply(x, y);
    return fixed ? roundTo(value, scale) : value;
  }, constant, scale);
}

// ---- functions ------------------------------------------------------------------------------------------------------

const datePartMilliseconds: Readonly<Record<string, number>> = {
  WEEK: 7 * 86_400_000, WEEKS: 7 * 86_400_000, W: 7 * 86_400_000, WK: 7 * 86_400_000, WEEKOFYEAR: 7 * 86_400_000,
  DAY: 86_400_000, DAYS: 86_400_000, D: 86_400_000, DD: 86_400_000, DAYOFMONTH: 86_400_000,
  HOUR: 3_600_000, HOURS: 3_600_000, H: 3_600_000, HH: 3_600_000, HR: 3_600_000, HRS: 3_600_000,
  MINUTE: 60_000, MINUTES: 60_000, M: 60_000, MI: 60_000, MIN: 60_000, MINS: 60_000,
  SECOND: 1000, SECONDS: 1000, S: 1000, SEC: 1000, SECS: 1000,
  MILLISECOND: 1, MILLISECONDS: 1, MS: 1, MSEC: 1,
};

const datePartMonths: Readonly<Record<string, number>> = {
  YEAR: 12, YEARS: 12, Y: 12, YY: 12, YYYY: 12, YR: 12, YRS: 12,
  QUARTER: 3, QUARTERS: 3, Q: 3, QTR: 3, QTRS: 3,
  MONTH: 1, MONTHS: 1, MM: 1, MON: 1, MONS: 1,
};

/** A date part argument: a bare word (`hour`) or a string (`'hour'`). */
function datePart<R>(expression: SqlExpression | undefined, env: Environment<R>): string {
  if (expression?.kind === 'column' && expression.qualifier === undefined) return expression.name.toUpperCase();
  if (expression !== undefined) {
    const compiled = compile(expression, env);
    if (compiled.constant && compiled.type === 'text') return String(compiled.evaluate(undefined as unknown as R)).toUpperCase();
  }
  throw SqlErrors.invalidArgumentType('expected a date or time part such as HOUR or \'minute\'');
}

function timestampArgument<R>(compiled: Compiled<R>, env: Environment<R>): Compiled<R> {
  return isTimestamp(compiled.type) ? compiled : convert(compiled, 'timestamp_ntz', env.zone);
}

function arity(name: string, args: readonly unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) throw SqlErrors.tooManyArguments(name, args.length);
}

function call<R>(expression: Extract<SqlExpression, { kind: 'function' }>, env: Environment<R>): Compiled<R> {
  const { name, args } = expression;
  const child = (index: number): Compiled<R> => compile(args[index] as SqlExpression, env);
  if (aggregateFunctions.has(name)) throw SqlErrors.invalidAggregate(expression.text);
  if (expression.star) throw SqlErrors.unsupported(`${name}(*)`);
  switch (name) {
    case 'CURRENT_TIMESTAMP':
    case 'LOCALTIMESTAMP':
    case 'GETDATE':
    case 'SYSTIMESTAMP':
      arity(name, args, 0, name === 'CURRENT_TIMESTAMP' || name === 'LOCALTIMESTAMP' ? 1 : 0);
      return { type: 'timestamp_ltz', scale: 0, evaluate: () => env.now, constant: true };
    case 'SYSDATE':
      arity(name, args, 0);
      return { type: 'timestamp_ntz', scale: 0, evaluate: () => env.now, constant: true };
    case 'DATEADD':
    case 'TIMEADD':
    case 'TIMESTAMPADD': {
      arity(name, args, 3);
      const part = datePart(args[0], env);
      const amount = convert(child(1), 'real', env.zone);
      const timestamp = timestampArgument(child(2), env);
      const months = datePartMonths[part];
      const milliseconds = datePartMilliseconds[part];
      if (months === undefined && milliseconds === undefined) throw SqlErrors.invalidArgumentType(`'${part}' is not a date or time part`);
      const type = timestamp.type as 'timestamp_ntz' | 'timestamp_ltz';
      const at = timestamp.evaluate;
      const count = amount.evaluate;
      return make<R>(type, (row) => {
        const value = at(row) as number | null;
        const n = count(row) as number | null;
        if (value === null || n === null) return null;
        const whole = Math.trunc(n);
        return months !== undefined ? shift(value, type, whole * months, 0, env.zone) : value + whole * (milliseconds as number);
      }, timestamp.constant && amount.constant);
    }
    case 'TIME_SLICE':
    case 'DATE_TRUNC': {
      const slice = name === 'TIME_SLICE';
      arity(name, args, slice ? 3 : 2, slice ? 4 : 2);
      const timestamp = timestampArgument(child(slice ? 0 : 1), env);
      const part = datePart(args[slice ? 2 : 0], env);
      const unit = datePartMilliseconds[part];
      if (unit === undefined || unit < 1000) throw SqlErrors.unsupported(`${name} by ${part}`);
      let size = unit;
      let end = false;
      if (slice) {
        const count = convert(child(1), 'real', env.zone);
        const slices = count.constant ? (count.evaluate(undefined as unknown as R) as number) : NaN;
        if (!Number.isInteger(slices) || slices < 1) throw SqlErrors.invalidArgumentType('the slice length of TIME_SLICE must be a positive integer constant');
        size = unit * slices;
        if (args[3] !== undefined) {
          const where = datePart(args[3], env);
          if (where !== 'START' && where !== 'END') throw SqlErrors.invalidArgumentType("TIME_SLICE takes 'START' or 'END'");
          end = where === 'END';
        }
      }
      const type = timestamp.type as 'timestamp_ntz' | 'timestamp_ltz';
      const at = timestamp.evaluate;
      // Slices start at 1970-01-01 00:00:00 of the value's own clock (the session's wall clock for LTZ).
      return make<R>(type, (row) => {
        const value = at(row) as number | null;
        if (value === null) return null;
        const wall = type === 'timestamp_ltz' ? env.zone.wallClock(value) : value;
        const start = Math.floor(wall / size) * size + (end ? size : 0);
        return type === 'timestamp_ltz' ? env.zone.instantOf(start) : start;
      }, timestamp.constant);
    }
    case 'TO_TIMESTAMP':
    case 'TO_TIMESTAMP_NTZ':
    case 'TO_TIMESTAMP_LTZ': {
      arity(name, args, 1, 2);
      const target = name === 'TO_TIMESTAMP_LTZ' ? 'timestamp_ltz' : 'timestamp_ntz';
      const value = child(0);
      if (args[1] !== undefined) {
        const scale = child(1);
        const digits = scale.constant ? Number(scale.evaluate(undefined as unknown as R)) : NaN;
        if (!isNumeric(value.type) || !Number.isInteger(digits) || digits < 0 || digits > 9) throw SqlErrors.unsupported(`${name} with a format`);
        const inner = value.evaluate;
        return make<R>(target, (row) => {
          const number = inner(row) as number | null;
          return number === null ? null : number / 10 ** (digits - 3);
        }, value.constant);
      }
      return convert(value, target, env.zone);
    }
    case 'TO_DOUBLE':
    case 'TRY_TO_DOUBLE': {
      arity(name, args, 1);
      const converted = convert(child(0), 'real', env.zone);
      if (name === 'TO_DOUBLE') return converted;
      const inner = converted.evaluate;
      return make<R>('real', (row) => {
        try {
          return inner(row);
        } catch {
          return null;
        }
      }, converted.constant);
    }
    case 'TO_NUMBER':
    case 'TO_DECIMAL':
    case 'TO_NUMERIC': {
      arity(name, args, 1, 3);
      const scale = args[2] !== undefined ? Number(child(2).evaluate(undefined as unknown as R)) : 0;
      return convert(child(0), 'fixed', env.zone, Number.isInteger(scale) ? scale : 0);
    }
    case 'TO_VARCHAR':
    case 'TO_CHAR':
      arity(name, args, 1);
      return convert(child(0), 'text', env.zone);
    case 'UPPER':
    case 'LOWER': {
      arity(name, args, 1);
      const inner = convert(child(0), 'text', env.zone);
      const change = name === 'UPPER' ? (text: string) => text.toUpperCase() : (text: string) => text.toLowerCase();
      return make<R>('text', (row) => {
        const value = inner.evaluate(row) as string | null;
        return value === null ? null : change(value);
      }, inner.constant);
    }
    case 'COALESCE':
    case 'IFNULL':
    case 'NVL': {
      arity(name, args, name === 'COALESCE' ? 1 : 2, name === 'COALESCE' ? 64 : 2);
      const compiled = args.map((_, index) => child(index));
      const type = compiled.find((item) => item.type !== 'null')?.type ?? 'null';
      const same = compiled.map((item) => convert(item, type, env.zone));
      return make<R>(type, (row) => {
        for (const item of same) {
          const value = item.evaluate(row);
          if (value !== null && value !== undefined) return value;
        }
        return null;
      }, same.every((item) => item.constant), same[0]?.scale ?? 0);
    }
    default:
      throw SqlErrors.unsupported(`function ${name} in a query of a table function`);
  }
}

// ---- aggregates ------------------------------------------------------------------------------------------------------

export interface Aggregate<R> {
  readonly name: string;
  readonly text: string;
  readonly type: ValueType;
  readonly scale: number;
  /** A fresh accumulator for one group. */
  start(): Accumulator<R>;
}

export interface Accumulator<R> {
  add(row: R): void;
  result(): unknown;
}

// Accumulators are small classes: their running totals live in object fields, which V8 updates in place,
// where a closure's `let` total would allocate a new number for every row.

class CountAll<R> implements Accumulator<R> {
  private count = 0;
  add(): void {
    this.count++;
  }
  result(): unknown {
    return this.count;
  }
}

class CountValues<R> implements Accumulator<R> {
  private count = 0;
  constructor(private readonly value: (row: R) => unknown) {}
  add(row: R): void {
    const value = this.value(row);
    if (value !== null && value !== undefined) this.count++;
  }
  result(): unknown {
    return this.count;
  }
}

class Extreme<R> implements Accumulator<R> {
  private best: unknown = null;
  constructor(
    private readonly value: (row: R) => unknown,
    private readonly lowest: boolean,
  ) {}
  add(row: R): void {
    const candidate = this.value(row);
    if (candidate === null || candidate === undefined) return;
    if (this.best === null || (this.lowest ? (candidate as number | string) < (this.best as number | string) : (candidate as number | string) > (this.best as number | string))) this.best = candidate;
  }
  result(): unknown {
    return this.best;
  }
}

class Total<R> implements Accumulator<R> {
  private sum = 0;
  private count = 0;
  constructor(
    private readonly value: (row: R) => unknown,
    private readonly average: boolean,
    private readonly fixedScale: number | undefined,
  ) {}
  add(row: R): void {
    const number = this.value(row) as number | null | undefined;
    if (number === null || number === undefined) return;
    this.sum += number;
    this.count++;
  }
  result(): unknown {
    if (this.count === 0) return null;
    if (!this.average) return this.sum;
    return this.fixedScale !== undefined ? roundTo(this.sum / this.count, this.fixedScale) : this.sum / this.count;
  }
}

/** An aggregate call (`COUNT(*)`, `AVG(VALUE::FLOAT)`, …) compiled against the rows' environment. */
export function aggregate<R>(expression: Extract<SqlExpression, { kind: 'function' }>, env: Environment<R>): Aggregate<R> {
  const { name, text } = expression;
  if (expression.star) {
    if (name !== 'COUNT') throw SqlErrors.unsupported(`${name}(*)`);
    return { name, text, type: 'fixed', scale: 0, start: () => new CountAll<R>() };
  }
  arity(name, expression.args, 1);
  const argument = compile(expression.args[0] as SqlExpression, env);
  if (name === 'COUNT') {
    const value = argument.evaluate;
    return { name, text, type: 'fixed', scale: 0, start: () => new CountValues<R>(value) };
  }
  if (name === 'MIN' || name === 'MAX') {
    const value = argument.evaluate;
    return { name, text, type: argument.type, scale: argument.scale, start: () => new Extreme<R>(value, name === 'MIN') };
  }
  // SUM and AVG: numbers (text is read as FLOAT; "Numeric value … is not recognized" otherwise).
  const numeric = isNumeric(argument.type) ? argument : convert(argument, 'real', env.zone);
  const fixed = numeric.type === 'fixed';
  const scale = fixed ? (name === 'AVG' ? Math.min(12, numeric.scale + 3) : numeric.scale) : 0;
  const value = numeric.evaluate;
  const average = name === 'AVG';
  return { name, text, type: fixed ? 'fixed' : 'real', scale, start: () => new Total<R>(value, average, fixed ? scale : undefined) };
}

// ---- result cells ----------------------------------------------------------------------------------------------------

/** Seconds since the epoch with nine decimals, as the driver reads TIMESTAMP cells. */
function timestampCell(milliseconds: number): string {
  let seconds = Math.floor(milliseconds / 1000);
  let nanos = Math.round((milliseconds - seconds * 1000) * 1_000_000);
  if (nanos >= 1_000_000_000) {
    seconds += 1;
    nanos -= 1_000_000_000;
  }
  return `${seconds}.${String(nanos).padStart(9, '0')}`;
}

/** A value as a result cell of its type. */
export function cellOf(value: unknown, type: ValueType, scale: number): string | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'fixed':
      return scale > 0 ? (value as number).toFixed(scale) : String(Math.round(value as number));
    case 'real':
      return asText(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'timestamp_ntz':
    case 'timestamp_ltz':
      return timestampCell(value as number);
    case 'text':
      return asText(value);
    default:
      return JSON.stringify(value);
  }
}
