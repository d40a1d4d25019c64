/**
 * Reading `KEY = value` properties with Snowflake's coercions: numbers from numeric literals (or
 * numeric strings, as bind values arrive), booleans from TRUE/FALSE (or 'true'), identifiers from
 * bare or quoted names (or strings), lists from `( a, b )`.
 *
 * Owns: the "invalid property" and "invalid value" errors, raised before a statement changes
 * anything.
 */

import type { Properties, Value } from './ast';
import { SqlErrors } from './errors';

export function checkProperties(properties: Properties, allowed: readonly string[], objectType: string): void {
  for (const key of properties.keys()) {
    if (!allowed.includes(key)) {
      throw SqlErrors.invalidValue(`invalid property '${key}' for '${objectType}'`);
    }
  }
}

function invalid(key: string, value: Value): Error {
  return SqlErrors.invalidValue(`invalid value ${describeValue(value)} for property '${key}'`);
}

function describeValue(value: Value): string {
  switch (value.kind) {
    case 'string':
      return `'${value.value}'`;
    case 'number':
      return value.text;
    case 'boolean':
      return value.value ? 'TRUE' : 'FALSE';
    case 'null':
      return 'NULL';
    case 'identifier':
      return value.name.parts.join('.');
    default:
      return '(…)';
  }
}

export function numberProperty(properties: Properties, key: string, options: { min?: number; integer?: boolean } = {}): number | undefined {
  const value = properties.get(key);
  if (value === undefined) return undefined;
  let number: number | undefined;
  if (value.kind === 'number') number = value.value;
  else if (value.kind === 'string' && /^\s*-?[0-9]+(\.[0-9]+)?\s*$/.test(value.value)) number = Number(value.value);
  if (number === undefined || ((options.integer ?? true) && !Number.isInteger(number)) || (options.min !== undefined && number < options.min)) {
    throw invalid(key, value);
  }
  return number;
}

export function booleanProperty(properties: Properties, key: string): boolean | undefined {
  const value = properties.get(key);
  if (value === undefined) return undefined;
  if (value.kind === 'boolean') return value.value;
  if (value.kind === 'string' || value.kind === 'identifier') {
    const text = (value.kind === 'string' ? value.value : value.raw).toUpperCase();
    if (text === 'TRUE' || text === 'FALSE') return text === 'TRUE';
  }
  throw invalid(key, value);
}

export function stringProperty(properties: Properties, key: string): string | undefined {
  const value = properties.get(key);
  if (value === undefined) return undefined;
  if (value.kind === 'string') return value.value;
  throw invalid(key, value);
}

/** An identifier (bare, quoted or as a string): canonical parts joined by `.`. */
export function identifierProperty(properties: Properties, key: string): string | undefined {
  const value = properties.get(key);
  if (value === undefined) return undefined;
  if (value.kind === 'identifier') return value.name.parts.join('.');
  if (value.kind === 'string') return value.value.toUpperCase();
  throw invalid(key, value);
}

/** `( a, b )` of identifiers or strings (a single value is accepted as a one-item list). */
export function listProperty(properties: Properties, key: string, canonical = true): string[] | undefined {
  const value = properties.get(key);
  if (value === undefined) return undefined;
  const items = value.kind === 'list' ? value.items : [value];
  return items.map((item) => {
    if (item.kind === 'identifier') return item.name.parts.join('.');
    if (item.kind === 'string') return canonical ? item.value.toUpperCase() : item.value;
    throw invalid(key, value);
  });
}

/** `ENCRYPTION = (TYPE = 'SNOWFLAKE_SSE')`: the options group as a map. */
export function optionsProperty(properties: Properties, key: string): Properties | undefined {
  const value = properties.get(key);
  if (value === undefined) return undefined;
  if (value.kind === 'options') return value.properties;
  throw invalid(key, value);
}
