/**
 * The expression grammar of the parser, for SELECT … FROM TABLE(<service>!SPCS_GET_…(…)): select
 * items, WHERE, GROUP BY and ORDER BY expressions, and the constant arguments of table functions.
 *
 * Owns: Snowflake's operator precedence (OR < AND < NOT < comparisons, IS [NOT] NULL, [NOT] IN,
 * [NOT] BETWEEN, [NOT] LIKE / ILIKE < `||`, +, - < *, /, % < unary minus < `::` casts and `:`/`[…]`
 * paths into semi-structured values), function calls (COUNT(*)), CAST(… AS …), INTERVAL '…'
 * literals, data type names, and the result-column text of an expression (upper case, as Snowflake
 * names unaliased columns). Valid Snowflake that the emulator does not evaluate (subqueries, CASE,
 * window functions, DISTINCT aggregates, named arguments outside table functions) is "Unsupported
 * feature" here, at parse time.
 *
 * Must not: evaluate anything (`expressions.ts` compiles and evaluates); know statements (`parser.ts`).
 */

import type { BinaryOperator, QueryItem, SqlExpression, Value } from './ast';
import { SqlErrors } from './errors';
import type { TokenReader } from './tokenReader';

/** Words that end a select item (so they are never read as an alias). */
export const clauseWords = new Set([
  'FROM', 'WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'ORDER', 'LIMIT', 'OFFSET', 'FETCH', 'UNION', 'MINUS', 'EXCEPT', 'INTERSECT', 'WINDOW',
  'JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'NATURAL', 'LATERAL', 'ON', 'USING', 'SAMPLE', 'TABLESAMPLE', 'PIVOT', 'UNPIVOT', 'MATCH_RECOGNIZE', 'CONNECT', 'START',
]);

/** A data type: a word, optionally with `(n[, m])`, upper case without spaces (`NUMBER(10,2)`). */
export function dataType(r: TokenReader): string {
  const token = r.peek();
  if (token.kind !== 'word') throw r.error();
  r.next();
  let type = token.value.toUpperCase();
  if (r.acceptPunct('(')) {
    const sizes = [String(r.integer())];
    while (r.acceptPunct(',')) sizes.push(String(r.integer()));
    r.expectPunct(')');
    type += `(${sizes.join(',')})`;
  }
  return type;
}

/** The select list: `*`, `alias.*`, or expressions with an optional `[AS] alias`. */
export function selectItems(r: TokenReader): QueryItem[] {
  const items: QueryItem[] = [];
  do {
    if (r.acceptPunct('*')) {
      items.push({ star: {} });
      continue;
    }
    if (r.isIdentifierStart() && r.isPunct('.', 1) && r.isPunct('*', 2)) {
      const qualifier = r.identifier();
      r.next();
      r.next();
      items.push({ star: { qualifier } });
      continue;
    }
    const parsed = expression(r);
    let alias: string | undefined;
    if (r.acceptWords('AS')) alias = r.identifier();
    else if (r.peek().kind === 'quoted' || (r.peek().kind === 'word' && !clauseWords.has(r.peek().value.toUpperCase()))) alias = r.identifier();
    items.push(alias !== undefined ? { expression: parsed, alias } : { expression: parsed });
  } while (r.acceptPunct(','));
  return items;
}

export function expression(r: TokenReader): SqlExpression {
  let left = conjunction(r);
  while (r.acceptWords('OR')) {
    const right = conjunction(r);
    left = { kind: 'binary', operator: 'OR', left, right, text: `${left.text} OR ${right.text}` };
  }
  return left;
}

function conjunction(r: TokenReader): SqlExpression {
  let left = negation(r);
  while (r.acceptWords('AND')) {
    const right = negation(r);
    left = { kind: 'binary', operator: 'AND', left, right, text: `${left.text} AND ${right.text}` };
  }
  return left;
}

function negation(r: TokenReader): SqlExpression {
  if (r.acceptWords('NOT')) {
    const operand = negation(r);
    return { kind: 'unary', operator: 'NOT', operand, text: `NOT ${operand.text}` };
  }
  return comparison(r);
}

const comparisonOperators: Readonly<Record<string, BinaryOperator>> = { '=': '=', '!=': '!=', '<>': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function comparison(r: TokenReader): SqlExpression {
  const left = additive(r);
  const token = r.peek();
  if (token.kind === 'punct' && comparisonOperators[token.value] !== undefined) {
    r.next();
    const operator = comparisonOperators[token.value] as BinaryOperator;
    const right = additive(r);
    return { kind: 'binary', operator, left, right, text: `${left.text} ${token.value} ${right.text}` };
  }
  if (r.acceptWords('IS')) {
    if (r.isWords('NOT DISTINCT') || r.isWord('DISTINCT')) throw SqlErrors.unsupported('IS [NOT] DISTINCT FROM');
    const negated = r.acceptWords('NOT');
    r.expectWords('NULL');
    return { kind: 'isNull', operand: left, negated, text: `${left.text} IS ${negated ? 'NOT ' : ''}NULL` };
  }
  const negated = r.isWord('NOT') && (r.isWord('IN', 1) || r.isWord('BETWEEN', 1) || r.isWord('LIKE', 1) || r.isWord('ILIKE', 1));
  if (negated) r.next();
  const not = negated ? 'NOT ' : '';
  if (r.acceptWords('IN')) {
    r.expectPunct('(');
    if (r.isWord('SELECT')) throw SqlErrors.unsupported('subqueries');
    const list = [expression(r)];
    while (r.acceptPunct(',')) list.push(expression(r));
    r.expectPunct(')');
    return { kind: 'in', operand: left, list, negated, text: `${left.text} ${not}IN (${list.map((item) => item.text).join(', ')})` };
  }
  if (r.acceptWords('BETWEEN')) {
    const low = additive(r);
    r.expectWords('AND');
    const high = additive(r);
    return { kind: 'between', operand: left, low, high, negated, text: `${left.text} ${not}BETWEEN ${low.text} AND ${high.text}` };
  }
  if (r.isWord('LIKE') || r.isWord('ILIKE')) {
    const caseInsensitive = r.next().value.toUpperCase() === 'ILIKE';
    if (r.isWord('ANY') || r.isWord('ALL')) throw SqlErrors.unsupported('LIKE ANY / ALL');
    const pattern = additive(r);
    if (r.isWord('ESCAPE')) throw SqlErrors.unsupported('LIKE … ESCAPE');
    return { kind: 'like', operand: left, pattern, negated, caseInsensitive, text: `${left.text} ${not}${caseInsensitive ? 'ILIKE' : 'LIKE'} ${pattern.text}` };
  }
  if (negated) throw r.error();
  if (r.isWord('RLIKE') || r.isWord('REGEXP')) throw SqlErrors.unsupported(r.peek().value.toUpperCase());
  return left;
}

function additive(r: TokenReader): SqlExpression {
  let left = multiplicative(r);
  for (;;) {
    const operator = r.isPunct('+') ? '+' : r.isPunct('-') ? '-' : r.isPunct('||') ? '||' : undefined;
    if (operator === undefined) return left;
    r.next();
    const right = multiplicative(r);
    left = { kind: 'binary', operator, left, right, text: `${left.text} ${operator} ${right.text}` };
  }
}

function multiplicative(r: TokenReader): SqlExpression {
  let left = unary(r);
  for (;;) {
    if (r.isPunct('%')) throw SqlErrors.unsupported('the % operator');
    const operator = r.isPunct('*') ? '*' : r.isPunct('/') ? '/' : undefined;
    if (operator === undefined) return left;
    r.next();
    const right = unary(r);
    left = { kind: 'binary', operator, left, right, text: `${left.text} ${operator} ${right.text}` };
  }
}

function unary(r: TokenReader): SqlExpression {
  if (r.isPunct('-') || r.isPunct('+')) {
    const operator = r.next().value as '-' | '+';
    const operand = unary(r);
    if (operand.kind === 'literal' && operand.value.kind === 'number') {
      const sign = operator === '-' ? -1 : 1;
      const text = `${operator === '-' ? '-' : ''}${operand.value.text}`;
      return { kind: 'literal', value: { kind: 'number', value: sign * operand.value.value, text }, text };
    }
    return { kind: 'unary', operator, operand, text: `${operator}${operand.text}` };
  }
  return postfix(r);
}

function pathElement(r: TokenReader): string {
  const token = r.peek();
  if (token.kind === 'word' || token.kind === 'quoted') {
    r.next();
    // Element names keep their case (Snowflake: "element names are case-sensitive").
    return token.value;
  }
  throw r.error();
}

function postfix(r: TokenReader): SqlExpression {
  let result = primary(r);
  for (;;) {
    if (r.acceptPunct('::')) {
      const type = dataType(r);
      result = { kind: 'cast', operand: result, type, text: `${result.text}::${type}` };
      continue;
    }
    if (r.isPunct(':') || r.isPunct('[')) {
      const path: (string | number)[] = [];
      let text = result.text;
      if (r.acceptPunct(':')) {
        const element = pathElement(r);
        path.push(element);
        text += `:${element.toUpperCase()}`;
      }
      for (;;) {
        if (r.isPunct('.') && (r.peek(1).kind === 'word' || r.peek(1).kind === 'quoted')) {
          r.next();
          const element = pathElement(r);
          path.push(element);
          text += `.${element.toUpperCase()}`;
        } else if (r.acceptPunct('[')) {
          const token = r.peek();
          if (token.kind === 'number' && /^[0-9]+$/.test(token.value)) path.push(Number(r.next().value));
          else if (token.kind === 'string') path.push(r.next().value);
          else throw r.error();
          r.expectPunct(']');
          const last = path[path.length - 1];
          text += typeof last === 'number' ? `[${last}]` : `['${String(last).toUpperCase()}']`;
        } else break;
      }
      if (path.length === 0) throw r.error();
      result = { kind: 'path', operand: result, path, text };
      continue;
    }
    return result;
  }
}

function literalText(value: Value): string {
  switch (value.kind) {
    case 'string':
      return `'${value.value.replace(/'/g, "''").toUpperCase()}'`;
    case 'number':
      return value.text;
    case 'boolean':
      return value.value ? 'TRUE' : 'FALSE';
    default:
      return 'NULL';
  }
}

/** `INTERVAL '1 hour'`, `'2 days, 3 hours'`, `'90 minutes'`: months are kept apart from fixed time. */
function interval(r: TokenReader): SqlExpression {
  const text = r.string();
  const units: Readonly<Record<string, [months: number, ms: number]>> = {
    year: [12, 0], years: [12, 0], y: [12, 0], yr: [12, 0], yrs: [12, 0],
    month: [1, 0], months: [1, 0], mon: [1, 0], mons: [1, 0], mm: [1, 0],
    week: [0, 7 * 86_400_000], weeks: [0, 7 * 86_400_000], w: [0, 7 * 86_400_000], wk: [0, 7 * 86_400_000],
    day: [0, 86_400_000], days: [0, 86_400_000], d: [0, 86_400_000], dd: [0, 86_400_000],
    hour: [0, 3_600_000], hours: [0, 3_600_000], h: [0, 3_600_000], hh: [0, 3_600_000], hr: [0, 3_600_000], hrs: [0, 3_600_000],
    minute: [0, 60_000], minutes: [0, 60_000], mi: [0, 60_000], min: [0, 60_000], mins: [0, 60_000],
    second: [0, 1000], seconds: [0, 1000], s: [0, 1000], sec: [0, 1000], secs: [0, 1000],
    millisecond: [0, 1], milliseconds: [0, 1], ms: [0, 1], msec: [0, 1],
  };
  let months = 0;
  let milliseconds = 0;
  const parts = text.trim().split(/\s*,\s*|\s+(?=[+-]?\d)/).filter((part) => part !== '');
  if (parts.length === 0) throw SqlErrors.invalidValue(`Invalid interval '${text}'.`);
  for (const part of parts) {
    const match = /^([+-]?\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(part.trim());
    const unit = match ? units[(match[2] ?? '').toLowerCase()] : undefined;
    if (!match || !unit) throw SqlErrors.invalidValue(`Invalid interval '${text}'.`);
    const amount = Number(match[1]);
    months += amount * unit[0];
    milliseconds += amount * unit[1];
  }
  return { kind: 'interval', months, milliseconds, text: `INTERVAL '${text.toUpperCase()}'` };
}

function primary(r: TokenReader): SqlExpression {
  const token = r.peek();
  if (r.acceptPunct('(')) {
    if (r.isWord('SELECT') || r.isWord('WITH')) throw SqlErrors.unsupported('subqueries');
    const inner = expression(r);
    r.expectPunct(')');
    return { ...inner, text: `(${inner.text})` };
  }
  if (token.kind === 'string' || token.kind === 'number') {
    const value = r.value();
    return { kind: 'literal', value, text: literalText(value) };
  }
  if (token.kind === 'word') {
    const upper = token.value.toUpperCase();
    if (upper === 'TRUE' || upper === 'FALSE' || upper === 'NULL') {
      const value = r.value();
      return { kind: 'literal', value, text: literalText(value) };
    }
    if (upper === 'INTERVAL' && r.peek(1).kind === 'string') {
      r.next();
      return interval(r);
    }
    if (upper === 'CASE') throw SqlErrors.unsupported('CASE expressions');
    if (upper === 'EXISTS' && r.isPunct('(', 1)) throw SqlErrors.unsupported('subqueries');
    if (upper === 'CAST' && r.isPunct('(', 1)) {
      r.next();
      r.next();
      const operand = expression(r);
      r.expectWords('AS');
      const type = dataType(r);
      r.expectPunct(')');
      return { kind: 'cast', operand, type, text: `CAST(${operand.text} AS ${type})` };
    }
    if (r.isPunct('(', 1)) return call(r, upper);
  }
  if (token.kind === 'word' || token.kind === 'quoted') {
    const first = r.identifier();
    const textOf = (name: string, quoted: boolean): string => (quoted ? `"${name}"` : name);
    if (r.isPunct('.') && (r.peek(1).kind === 'word' || r.peek(1).kind === 'quoted')) {
      r.next();
      const second = r.peek();
      const name = r.identifier();
      if (r.isPunct('.') || r.isPunct('(')) throw SqlErrors.unsupported('qualified names here');
      return { kind: 'column', name, qualifier: first, text: `${textOf(first, token.kind === 'quoted')}.${textOf(name, second.kind === 'quoted')}` };
    }
    return { kind: 'column', name: first, text: textOf(first, token.kind === 'quoted') };
  }
  throw r.error();
}

function call(r: TokenReader, name: string): SqlExpression {
  r.next();
  r.expectPunct('(');
  if (r.isWord('DISTINCT')) throw SqlErrors.unsupported(`${name}(DISTINCT …)`);
  let star = false;
  const args: SqlExpression[] = [];
  if (r.acceptPunct('*')) {
    star = true;
  } else if (!r.isPunct(')')) {
    do {
      if (r.isIdentifierStart() && r.isPunct('=>', 1)) throw SqlErrors.unsupported('named arguments');
      args.push(expression(r));
    } while (r.acceptPunct(','));
  }
  r.expectPunct(')');
  if (r.isWord('OVER')) throw SqlErrors.unsupported('window functions');
  if (r.isWords('WITHIN GROUP')) throw SqlErrors.unsupported('WITHIN GROUP');
  return { kind: 'function', name, args, star, text: `${name}(${star ? '*' : args.map((arg) => arg.text).join(', ')})` };
}
