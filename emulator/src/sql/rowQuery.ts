/**
 * Runs the clauses of `SELECT … FROM TABLE(…)` over the rows a source produces: the select list
 * (`*`, `alias.*`, expressions with aliases), WHERE, GROUP BY with COUNT / SUM / AVG / MIN / MAX
 * (keys by expression, select alias or position), ORDER BY (expression, alias or position; ASC /
 * DESC; NULLS FIRST / LAST, NULLs last ascending by default), LIMIT and OFFSET.
 *
 * Owns: name resolution (columns upper case unless quoted, qualified by the FROM alias or the
 * function's name; "invalid identifier" otherwise), the rule that a grouped query selects only
 * group keys and aggregates, the order of rows without ORDER BY (the source's: newest first, as the
 * docs' examples show), bounds that a source may use to skip work (equalities and ranges on its
 * columns, read from the top-level AND of WHERE; the WHERE itself still decides), the result column
 * names and types, and the emulator's cap on result size.
 *
 * Must not: know what the rows are (`statements/telemetry.ts` does).
 */

import type { Column, ResultSet } from '../contract';
import type { OrderItem, QueryItem, SqlExpression, TableQuery } from './ast';
import { SqlErrors } from './errors';
import { aggregate, aggregateFunctions, cellOf, compile, convert, type Accumulator, type Aggregate, type ColumnDefinition, type Compiled, type Environment, type ValueType } from './expressions';
import { resultSet } from './result';
import type { TimeZone } from './timezones';

export interface RowSource<R> {
  readonly columns: readonly ColumnDefinition<R>[];
  /** Visits every row the bounds allow (it may skip rows the WHERE would drop). A visited row may be reused: `keep` copies it. */
  scan(bounds: Bounds, visit: (row: R) => void): void;
  keep(row: R): R;
  /** The order of rows without ORDER BY. */
  readonly defaultOrder: (a: R, b: R) => number;
}

export interface QueryContext {
  readonly zone: TimeZone;
  readonly now: number;
  /** Names the FROM clause answers to besides its alias (the table function's name). */
  readonly qualifiers: readonly string[];
}

/** What the top-level AND of WHERE says about a column: one of these values, and/or a range (inclusive). */
export interface ColumnBounds {
  readonly values?: ReadonlySet<unknown>;
  readonly min?: number;
  readonly max?: number;
}

export type Bounds = ReadonlyMap<string, ColumnBounds>;

/** The emulator's cap on the rows a query keeps (before LIMIT): Snowflake has none this small. */
const maxRows = 1_000_000;

interface GroupRow<R> {
  readonly keys: unknown[];
  readonly accumulators: Accumulator<R>[];
}

function uses(expression: SqlExpression, test: (node: SqlExpression) => boolean): boolean {
  if (test(expression)) return true;
  switch (expression.kind) {
    case 'literal':
    case 'column':
    case 'interval':
      return false;
    case 'function':
      return expression.args.some((arg) => uses(arg, test));
    case 'binary':
      return uses(expression.left, test) || uses(expression.right, test);
    case 'in':
      return uses(expression.operand, test) || expression.list.some((item) => uses(item, test));
    case 'between':
      return uses(expression.operand, test) || uses(expression.low, test) || uses(expression.high, test);
    case 'like':
      return uses(expression.operand, test) || uses(expression.pattern, test);
    default:
      return uses(expression.operand, test);
  }
}

const isAggregate = (node: SqlExpression): boolean => node.kind === 'function' && aggregateFunctions.has(node.name);

function resultColumn(name: string, type: ValueType, scale: number): Column {
  if (type === 'interval') throw SqlErrors.unsupported('INTERVAL values in results');
  const columnType = type === 'null' ? 'text' : type;
  if (columnType === 'fixed') return { name, type: columnType, scale, nullable: true };
  if (columnType === 'timestamp_ntz' || columnType === 'timestamp_ltz') return { name, type: columnType, scale: 9, nullable: true };
  return { name, type: columnType, nullable: true };
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = typeof a === 'string' ? a : JSON.stringify(a);
  const y = typeof b === 'string' ? b : JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function sorter<T>(orders: readonly { readonly key: (row: T) => unknown; readonly item: OrderItem }[]): (rows: T[]) => T[] {
  return (rows) => {
    const decorated = rows.map((row, index) => ({ row, index, keys: orders.map((order) => order.key(row)) }));
    decorated.sort((a, b) => {
      for (let i = 0; i < orders.length; i++) {
        const { item } = orders[i] as (typeof orders)[number];
        const x = a.keys[i];
        const y = b.keys[i];
        const xNull = x === null || x === undefined;
        const yNull = y === null || y === undefined;
        if (xNull || yNull) {
          if (xNull && yNull) continue;
          // NULLs sort as the highest values unless NULLS FIRST / LAST says otherwise.
          const nullsFirst = item.nullsFirst ?? item.descending;
          return xNull === nullsFirst ? -1 : 1;
        }
        const order = compareValues(x, y);
        if (order !== 0) return item.descending ? -order : order;
      }
      return a.index - b.index;
    });
    return decorated.map((entry) => entry.row);
  };
}

export function runTableQuery<R>(query: TableQuery, source: RowSource<R>, context: QueryContext): ResultSet {
  const columns = new Map(source.columns.map((column) => [column.name, column]));
  const qualifiers = new Set(query.alias !== undefined ? [query.alias] : context.qualifiers);
  const columnOf = (expression: SqlExpression): ColumnDefinition<R> | undefined => {
    if (expression.kind !== 'column') return undefined;
    if (expression.qualifier !== undefined && !qualifiers.has(expression.qualifier)) throw SqlErrors.invalidIdentifier(`${expression.qualifier}.${expression.name}`);
    return columns.get(expression.name);
  };
  const rowEnv: Environment<R> = {
    zone: context.zone,
    now: context.now,
    resolve(expression) {
      const column = columnOf(expression);
      if (!column) return undefined;
      return {
        type: column.type,
        scale: column.scale ?? 0,
        evaluate: column.get,
        constant: false,
        column: column.name,
        ...(column.cell ? { cell: column.cell } : {}),
        ...(column.numeric ? { numeric: column.numeric } : {}),
      };
    },
  };
  const where = query.where !== undefined ? compile(query.where, rowEnv) : undefined;
  if (query.where !== undefined && uses(query.where, isAggregate)) throw SqlErrors.invalidAggregate(query.where.text);
  const test = where ? convert(where, 'boolean', context.zone).evaluate : undefined;
  const bounds = query.where !== undefined ? whereBounds(query.where, rowEnv, columnOf) : new Map<string, ColumnBounds>();

  // Select items: `*` expands to every column in order.
  const items: { name: string; expression: SqlExpression }[] = [];
  for (const item of query.items) {
    if (item.star !== undefined) {
      if (item.star.qualifier !== undefined && !qualifiers.has(item.star.qualifier)) throw SqlErrors.invalidIdentifier(`${item.star.qualifier}.*`);
      for (const column of source.columns) items.push({ name: column.name, expression: { kind: 'column', name: column.name, text: column.name } });
    } else if (item.expression !== undefined) {
      items.push({ name: itemName(item), expression: item.expression });
    }
  }
  const aliased = (expression: SqlExpression): number | undefined => {
    if (expression.kind === 'literal' && expression.value.kind === 'number') {
      const position = expression.value.value;
      if (!Number.isInteger(position) || position < 1 || position > items.length) throw SqlErrors.invalidValue(`Position ${expression.text} is not in the select list.`);
      return position - 1;
    }
    if (expression.kind === 'column' && expression.qualifier === undefined) {
      const index = query.items.findIndex((item) => item.alias === expression.name);
      if (index >= 0) return items.findIndex((entry) => entry.expression === query.items[index]?.expression);
    }
    return undefined;
  };
  const grouped = query.groupBy.length > 0 || items.some((item) => uses(item.expression, isAggregate)) || query.orderBy.some((item) => uses(item.expression, isAggregate));
  const slice = <T>(rows: T[]): T[] => rows.slice(query.offset ?? 0, query.limit !== undefined ? (query.offset ?? 0) + query.limit : undefined);

  if (!grouped) {
    const compiled = items.map((item) => compile(item.expression, rowEnv));
    const kept: R[] = [];
    source.scan(bounds, (row) => {
      if (test !== undefined && test(row) !== true) return;
      kept.push(source.keep(row));
      if (kept.length > maxRows) throw SqlErrors.resultTooLarge(maxRows);
    });
    const orders = query.orderBy.map((item) => {
      const position = aliased(item.expression);
      const key = position !== undefined ? (compiled[position] as Compiled<R>) : compile(item.expression, rowEnv);
      return { key: key.evaluate, item };
    });
    const ordered = orders.length > 0 ? sorter(orders)(kept) : kept.sort(source.defaultOrder);
    const rows = slice(ordered);
    return resultSet(
      items.map((item, index) => resultColumn(item.name, (compiled[index] as Compiled<R>).type, (compiled[index] as Compiled<R>).scale)),
      rows.map((row) => compiled.map((entry) => (entry.cell ? entry.cell(row) : cellOf(entry.evaluate(row), entry.type, entry.scale)))),
    );
  }

  // Grouped: keys, then aggregates in the order they appear.
  const keyExpressions = query.groupBy.map((expression) => {
    const column = columnOf(expression);
    const position = column ? undefined : aliased(expression);
    const resolved = position !== undefined ? (items[position]?.expression as SqlExpression) : expression;
    if (uses(resolved, isAggregate)) throw SqlErrors.invalidAggregate(resolved.text);
    return resolved;
  });
  const keys = keyExpressions.map((expression) => compile(expression, rowEnv));
  const aggregates: Aggregate<R>[] = [];
  const groupEnv: Environment<GroupRow<R>> = {
    zone: context.zone,
    now: context.now,
    resolve(expression) {
      const keyIndex = keyExpressions.findIndex((key) => key.text === expression.text);
      if (keyIndex >= 0) {
        const key = keys[keyIndex] as Compiled<R>;
        return { type: key.type, scale: key.scale, evaluate: (group) => group.keys[keyIndex], constant: false };
      }
      if (expression.kind === 'function' && aggregateFunctions.has(expression.name)) {
        let index = aggregates.findIndex((candidate) => candidate.text === expression.text);
        if (index < 0) {
          if (expression.args.some((arg) => uses(arg, isAggregate))) throw SqlErrors.invalidAggregate(expression.text);
          aggregates.push(aggregate(expression, rowEnv));
          index = aggregates.length - 1;
        }
        const spec = aggregates[index] as Aggregate<R>;
        return { type: spec.type, scale: spec.scale, evaluate: (group) => (group.accumulators[index] as Accumulator<R>).result(), constant: false };
      }
      if (expression.kind === 'column' && columnOf(expression) !== undefined) throw SqlErrors.notGroupByExpression(expression.text);
      return undefined;
    },
  };
  const compiled = items.map((item) => compile(item.expression, groupEnv));
  const orders = query.orderBy.map((item) => {
    const position = aliased(item.expression);
    const key = position !== undefined ? (compiled[position] as Compiled<GroupRow<R>>) : compile(item.expression, groupEnv);
    return { key: key.evaluate, item };
  });
  const groups: GroupRow<R>[] = [];
  // Nested maps, one level per key: no key strings to build per row.
  const root = new Map<unknown, unknown>();
  const keyCount = keys.length;
  const keyFunctions = keys.map((key) => key.evaluate);
  // OBJECT and VARIANT keys group by value, not by the identity of each row's object.
  const mapKeys = keys.map((key) => (key.type === 'object' || key.type === 'variant' ? (row: R) => JSON.stringify(key.evaluate(row)) ?? null : key.evaluate));
  const newGroup = (row: R): GroupRow<R> => {
    const group = { keys: keyFunctions.map((key) => key(row)), accumulators: aggregates.map((spec) => spec.start()) };
    groups.push(group);
    if (groups.length > maxRows) throw SqlErrors.resultTooLarge(maxRows);
    return group;
  };
  /** The row's group: one Map level per key, so no key strings are built per row. */
  const findGroup = (row: R): GroupRow<R> => {
    if (keyCount === 0) {
      const only = root.get(root) as GroupRow<R> | undefined;
      if (only) return only;
      const group = newGroup(row);
      root.set(root, group);
      return group;
    }
    let level = root;
    for (let i = 0; i < keyCount - 1; i++) {
      const value = (mapKeys[i] as (row: R) => unknown)(row);
      let next = level.get(value) as Map<unknown, unknown> | undefined;
      if (next === undefined) {
        next = new Map<unknown, unknown>();
        level.set(value, next);
      }
      level = next;
    }
    const value = (mapKeys[keyCount - 1] as (row: R) => unknown)(row);
    let group = level.get(value) as GroupRow<R> | undefined;
    if (group === undefined) {
      group = newGroup(row);
      level.set(value, group);
    }
    return group;
  };
  // Sources emit series by series, so a row usually belongs to the group of the row before it.
  const lastKeys: unknown[] = new Array<unknown>(keyCount);
  let lastGroup: GroupRow<R> | undefined;
  source.scan(bounds, (row) => {
    if (test !== undefined && test(row) !== true) return;
    let same = lastGroup !== undefined;
    for (let i = 0; i < keyCount; i++) {
      const value = (mapKeys[i] as (row: R) => unknown)(row);
      if (value !== lastKeys[i]) same = false;
      lastKeys[i] = value;
    }
    const group = same && lastGroup !== undefined ? lastGroup : findGroup(row);
    lastGroup = group;
    for (const accumulator of group.accumulators) accumulator.add(row);
  });
  if (keyCount === 0 && groups.length === 0) groups.push({ keys: [], accumulators: aggregates.map((spec) => spec.start()) });
  const ordered = orders.length > 0 ? sorter(orders)(groups) : groups;
  const rows = slice(ordered);
  return resultSet(
    items.map((item, index) => resultColumn(item.name, (compiled[index] as Compiled<GroupRow<R>>).type, (compiled[index] as Compiled<GroupRow<R>>).scale)),
    rows.map((group) => compiled.map((entry) => cellOf(entry.evaluate(group), entry.type, entry.scale))),
  );
}

/** The result column name: the alias, the column's own name, or the expression text. */
function itemName(item: QueryItem): string {
  if (item.alias !== undefined) return item.alias;
  const expression = item.expression as SqlExpression;
  return expression.kind === 'column' ? expression.name : expression.text;
}

function conjuncts(expression: SqlExpression): SqlExpression[] {
  return expression.kind === 'binary' && expression.operator === 'AND' ? [...conjuncts(expression.left), ...conjuncts(expression.right)] : [expression];
}

/** Equalities and ranges on columns that every row the WHERE keeps satisfies (a superset is fine). */
function whereBounds<R>(where: SqlExpression, env: Environment<R>, columnOf: (expression: SqlExpression) => ColumnDefinition<R> | undefined): Map<string, ColumnBounds> {
  const result = new Map<string, ColumnBounds>();
  const constant = (expression: SqlExpression, column: ColumnDefinition<R>): unknown => {
    try {
      const compiled = compile(expression, env);
      if (!compiled.constant) return undefined;
      const numericColumn = column.type === 'fixed' || column.type === 'real';
      const fits =
        (numericColumn && ['fixed', 'real', 'text'].includes(compiled.type)) ||
        (column.type === 'text' && compiled.type === 'text') ||
        ((column.type === 'timestamp_ntz' || column.type === 'timestamp_ltz') && ['timestamp_ntz', 'timestamp_ltz', 'text'].includes(compiled.type));
      if (!fits) return undefined;
      const value = convert(compiled, numericColumn ? 'real' : column.type, env.zone).evaluate(undefined as unknown as R);
      return value === null ? undefined : value;
    } catch {
      // A constant that cannot be converted gives no bound; the WHERE reports it.
      return undefined;
    }
  };
  const narrow = (name: string, update: ColumnBounds): void => {
    const current = result.get(name) ?? {};
    const values = update.values !== undefined && current.values !== undefined ? new Set([...update.values].filter((value) => current.values?.has(value))) : (update.values ?? current.values);
    const min = Math.max(current.min ?? Number.NEGATIVE_INFINITY, update.min ?? Number.NEGATIVE_INFINITY);
    const max = Math.min(current.max ?? Number.POSITIVE_INFINITY, update.max ?? Number.POSITIVE_INFINITY);
    result.set(name, { ...(values !== undefined ? { values } : {}), ...(Number.isFinite(min) ? { min } : {}), ...(Number.isFinite(max) ? { max } : {}) });
  };
  const flip: Readonly<Record<string, string>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=' };
  for (const part of conjuncts(where)) {
    if (part.kind === 'binary' && flip[part.operator] !== undefined) {
      const leftColumn = columnOf(part.left);
      const rightColumn = leftColumn ? undefined : columnOf(part.right);
      const column = leftColumn ?? rightColumn;
      if (!column) continue;
      const operator = leftColumn ? part.operator : (flip[part.operator] as string);
      const value = constant(leftColumn ? part.right : part.left, column);
      if (value === undefined) continue;
      if (operator === '=') narrow(column.name, { values: new Set([value]) });
      else if (typeof value === 'number' && (operator === '>' || operator === '>=')) narrow(column.name, { min: value });
      else if (typeof value === 'number') narrow(column.name, { max: value });
    } else if (part.kind === 'in' && !part.negated) {
      const column = columnOf(part.operand);
      if (!column) continue;
      const values = part.list.map((item) => constant(item, column));
      if (values.every((value) => value !== undefined)) narrow(column.name, { values: new Set(values) });
    } else if (part.kind === 'between' && !part.negated) {
      const column = columnOf(part.operand);
      if (!column) continue;
      const low = constant(part.low, column);
      const high = constant(part.high, column);
      if (typeof low === 'number') narrow(column.name, { min: low });
      if (typeof high === 'number') narrow(column.name, { max: high });
    }
  }
  return result;
}
