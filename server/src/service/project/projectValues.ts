/**
 * The field-level checks of a project definition's SPCS entities: the keys of a mapping against the
 * fields of `entityModel.ts` (unknown keys, with the nearest known one), required keys, and each
 * value's kind as the Snowflake CLI's models (pydantic, lax mode) read it: a numeric string is an
 * integer, `"yes"` a boolean, but a number is not a string (only what YAML 1.1, the CLI's parser, also
 * reads as a number: `0o17` is a string there, so it is not reported).
 *
 * Must not: judge a value with a template placeholder, or an empty one (defaults or overrides fill it).
 */

import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { RuleDiagnostic } from '../rules/ruleApi';
import { getPair, isTemplated, keyRange, type SpecDocument } from '../specDocument';
import { closestMatch } from '../text';
import { artifactFields, tagFields, type EntityField } from './entityModel';

type Report = (diagnostic: RuleDiagnostic) => void;

/**
 * Checks the keys of a mapping against its fields: unknown keys (with the nearest known one), then
 * each known field's value through `check` (or the kind check).
 */
export function checkFields(
  doc: SpecDocument,
  map: YAMLMap<unknown, unknown>,
  fields: readonly EntityField[],
  where: string,
  report: Report,
  check?: (field: EntityField, pair: Pair) => void,
): void {
  const known = new Map(fields.map((field) => [field.name, field]));
  for (const pair of map.items) {
    if (!isScalar(pair.key) || isTemplated(doc, pair.key)) {
      continue;
    }
    const key = String(pair.key.value);
    const field = known.get(key);
    if (!field) {
      const suggestion = closestMatch(key, [...known.keys()]);
      const range = keyRange(doc, pair);
      report({
        code: 'spcs/unknown-key',
        at: range,
        message: `Unknown field '${key}' in ${where}: the Snowflake CLI's model does not define it, and snow refuses unknown fields.` + (suggestion ? ` Did you mean '${suggestion}'?` : ''),
        fixes: suggestion && range ? [{ title: `Rename to '${suggestion}'`, edits: [{ range, newText: suggestion }], isPreferred: true }] : undefined,
      });
      continue;
    }
    if (check) {
      check(field, pair);
    } else {
      checkValue(doc, field, pair.value, `'${key}' of ${where}`, report);
    }
  }
}

const booleanWords = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 't', 'f', 'y', 'n', '1', '0']);
/** A scalar both YAML 1.1 (the CLI's parser) and 1.2 read as a number or boolean. */
const unambiguousNonString = /^(?:[-+]?[0-9]+(?:\.[0-9]+)?|true|false|True|False|TRUE|FALSE)$/;
/** A Snowflake identifier: unquoted, or double-quoted (the CLI's tag names). */
const identifierPattern = /^(?:[A-Za-z_][A-Za-z0-9_$]{0,254}|"(?:""|[^"]){0,255}")$/;

export function checkValue(doc: SpecDocument, field: EntityField, node: unknown, label: string, report: Report): void {
  if (node === null || node === undefined || isTemplated(doc, node as Node)) {
    return;
  }
  if (isScalar(node) && node.value === null) {
    // An empty value: the CLI's defaults or an override fill it; nothing to judge.
    return;
  }
  switch (field.kind) {
    case 'string':
      expectString(doc, node, label, report);
      return;
    case 'integer':
      expectInteger(field, node, label, report);
      return;
    case 'boolean':
      expectBoolean(node, label, report);
      return;
    case 'stringList':
    case 'stringOrList':
      if (isSeq(node)) {
        node.items.forEach((item, index) => expectString(doc, item, `item ${index + 1} of ${label}`, report));
      } else if (field.kind === 'stringOrList' && isScalar(node)) {
        expectString(doc, node, label, report);
      } else {
        typeError(node, label, field.kind === 'stringOrList' ? 'a name or a list of names' : 'a list of strings', report);
      }
      return;
    case 'stringMap':
      if (!isMap(node)) {
        typeError(node, label, 'a mapping of names to strings', report);
        return;
      }
      for (const pair of node.items) {
        if (isScalar(pair.key) && !isTemplated(doc, pair.key)) {
          expectString(doc, pair.value, `'${String(pair.key.value)}' of ${label}`, report);
        }
      }
      return;
    case 'mapping':
    case 'meta':
      if (!isMap(node)) {
        typeError(node, label, 'a mapping', report);
      }
      return;
    case 'identifier':
      if (!isMap(node)) {
        expectString(doc, node, label, report);
      }
      return;
    case 'tags':
      checkList(doc, node, label, 'a list of { name, value }', report, (item, itemLabel) => {
        if (!isMap(item)) {
          typeError(item, itemLabel, 'a mapping with name and value', report);
          return;
        }
        checkFields(doc, item, tagFields, itemLabel, report);
        checkRequiredKeys(doc, item, tagFields, capitalize(itemLabel), report);
        const name = item.get('name', true);
        if (isScalar(name) && typeof name.value === 'string' && !isTemplated(doc, name) && !identifierPattern.test(name.value)) {
          report({ code: 'spcs/invalid-value', at: name, message: `'${name.value}' is not a valid tag name: a tag's name is a Snowflake identifier (letters, digits, '_' and '$', starting with a letter or '_'; or double-quoted).` });
        }
      });
      return;
    case 'artifacts':
      checkList(doc, node, label, 'a list of paths or { src, dest }', report, (item, itemLabel) => {
        if (isMap(item)) {
          checkFields(doc, item, artifactFields, itemLabel, report);
          return;
        }
        expectString(doc, item, itemLabel, report);
      });
      return;
    case 'postDeploy':
      checkList(doc, node, label, 'a list of { sql_script }', report, (item, itemLabel) => {
        if (!isMap(item)) {
          typeError(item, itemLabel, 'a mapping with sql_script', report);
          return;
        }
        const sqlScript: EntityField = { name: 'sql_script', kind: 'string', required: true, description: '' };
        checkFields(doc, item, [sqlScript], itemLabel, report);
        checkRequiredKeys(doc, item, [sqlScript], capitalize(itemLabel), report);
      });
      return;
  }
}

function checkList(doc: SpecDocument, node: unknown, label: string, expected: string, report: Report, item: (value: unknown, itemLabel: string) => void): void {
  if (!isSeq(node)) {
    typeError(node, label, expected, report);
    return;
  }
  node.items.forEach((value, index) => {
    if (value !== null && !isTemplated(doc, value as Node)) {
      item(value, `item ${index + 1} of ${label}`);
    }
  });
}

function expectString(doc: SpecDocument, node: unknown, label: string, report: Report): void {
  if (node === null || node === undefined || isTemplated(doc, node as Node)) {
    return;
  }
  if (isScalar(node)) {
    // Only what YAML 1.1 (the CLI's parser) reads as a number or boolean too: `0o17` is a string there.
    const source = node.source ?? String(node.value);
    if (node.value !== null && typeof node.value !== 'string' && unambiguousNonString.test(source.trim())) {
      report({
        code: 'spcs/invalid-type',
        at: node,
        message: `${capitalize(label)} must be a string, not ${typeof node.value === 'boolean' ? 'true or false' : 'a number'}: the Snowflake CLI does not convert it. Quote it: "${source}".`,
        fixes: [{ title: `Quote it: "${source}"`, edits: [{ range: rangeOf(doc, node), newText: JSON.stringify(source) }], isPreferred: true }],
      });
    }
    return;
  }
  typeError(node, label, 'a string', report);
}

function expectInteger(field: EntityField, node: unknown, label: string, report: Report): void {
  const value = integerOf(node);
  if (value === 'invalid') {
    typeError(node, label, 'an integer', report);
    return;
  }
  if (value !== undefined && field.minimum !== undefined && value < field.minimum) {
    report({ code: 'spcs/invalid-value', at: node as Node, message: `${capitalize(label)} must be at least ${field.minimum}, not ${value}.` });
  }
}

/** The integer pydantic reads from a value (numbers, numeric strings), 'invalid', or undefined when it cannot tell (booleans). */
export function integerOf(node: unknown): number | 'invalid' | undefined {
  if (!isScalar(node)) {
    return 'invalid';
  }
  const value = node.value;
  if (typeof value === 'number') {
    return Number.isInteger(value) ? value : 'invalid';
  }
  if (typeof value === 'string') {
    return /^\s*[-+]?[0-9]+\s*$/.test(value) ? Number.parseInt(value, 10) : 'invalid';
  }
  return typeof value === 'boolean' ? undefined : 'invalid';
}

function expectBoolean(node: unknown, label: string, report: Report): void {
  if (isScalar(node)) {
    const value = node.value;
    if (typeof value === 'boolean' || (typeof value === 'number' && (value === 0 || value === 1)) || (typeof value === 'string' && booleanWords.has(value.trim().toLowerCase()))) {
      return;
    }
  }
  typeError(node, label, 'true or false', report);
}

function typeError(node: unknown, label: string, expected: string, report: Report): void {
  report({ code: 'spcs/invalid-type', at: node as Node, message: `${capitalize(label)} must be ${expected}, not ${describeNode(node)}.` });
}

function describeNode(node: unknown): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const value = node.value;
    if (typeof value === 'string') return `the string '${value}'`;
    if (typeof value === 'number' || typeof value === 'boolean') return `'${String(value)}'`;
  }
  return 'this value';
}

export function rangeOf(doc: SpecDocument, node: Scalar) {
  const [start, end] = node.range ?? [0, 0];
  return { start: doc.textDocument.positionAt(start), end: doc.textDocument.positionAt(end) };
}

export function checkRequiredKeys(doc: SpecDocument, map: YAMLMap<unknown, unknown>, fields: readonly EntityField[], where: string, report: Report): void {
  if (map.items.some((pair) => isTemplated(doc, pair.key as Node))) {
    return;
  }
  for (const field of fields) {
    if (field.required && !getPair(map, field.name)) {
      const first = map.items[0];
      report({ code: 'spcs/missing-required', at: first ? keyRange(doc, first) : map, message: `${where} is missing the required field '${field.name}'.` });
    }
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
