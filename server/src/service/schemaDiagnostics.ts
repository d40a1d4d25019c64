/**
 * JSON Schema errors as diagnostics on the precise YAML range.
 *
 * Owns: validating the document's JSON form with ajv and resolving each error's `instancePath`
 * back to the YAML node (`required` and unknown-key errors go to the key, type/enum/pattern errors
 * to the value), with messages that say what to do and, where obvious, a quick fix (a misspelled
 * key, an enum value in the wrong case).
 *
 * Conservative by design: a value containing a template placeholder is never reported; a quoted
 * number where a number is expected, or a YAML 1.1 boolean word (`yes`, `off`), is a warning,
 * because Snowflake's tolerance for them is not documented.
 */

import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { closestMatch } from './text';
import type { RuleDiagnostic } from './rules/ruleApi';
import { propertyNames, schemaAtPath, serviceSpecSchema, type DocumentPath, type DocumentSchema, type ErrorObject } from './schema';
import { getPair, isTemplated, keyRange, nodeRange, type SpecDocument } from './specDocument';

const yaml11Booleans = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** The schema errors of a document (the service spec's schema unless another document kind's is given). */
export function schemaDiagnostics(doc: SpecDocument, schema: DocumentSchema = serviceSpecSchema): RuleDiagnostic[] {
  if (!doc.yaml || !doc.root) {
    return [];
  }
  let value: unknown;
  try {
    value = doc.yaml.toJS({ maxAliasCount: 1000 });
  } catch {
    // Alias bombs and other unrepresentable documents: the parse errors already say why.
    return [];
  }
  const result: RuleDiagnostic[] = [];
  for (const error of schema.validate(value)) {
    const diagnostic = toDiagnostic(doc, error, schema);
    if (diagnostic) {
      result.push(diagnostic);
    }
  }
  return result;
}

function toDiagnostic(doc: SpecDocument, error: ErrorObject, schema: DocumentSchema): RuleDiagnostic | undefined {
  const path = parsePointer(error.instancePath);
  const node = nodeAtPath(doc, path);
  if (node === undefined) {
    return undefined;
  }
  // A masked placeholder is a scalar: a scalar that contains one is a template value and is not
  // type-checked. A collection is checked even when a placeholder sits somewhere inside it; only a
  // templated key makes "missing" and "unknown" keys of that mapping unreliable.
  if (node.value && isScalar(node.value) && isTemplated(doc, node.value)) {
    return undefined;
  }
  const where = describePath(doc, path, schema.itemKinds);
  switch (error.keyword) {
    case 'required': {
      const missing = String((error.params as { missingProperty?: unknown }).missingProperty);
      const target = node.value && isMap(node.value) ? (node.value) : undefined;
      if (target?.items.some((item) => isTemplated(doc, item.key as Node))) {
        return undefined;
      }
      return {
        code: 'spcs/missing-required',
        at: target ? firstKeyRange(doc, target) : node.pair ?? node.value,
        // A rule that reports the incomplete mapping on its key (`readinessProbe:`) explains this too.
        anchors: node.pair ? [keyRange(doc, node.pair)].filter((range) => range !== undefined) : undefined,
        message: `${capitalize(where)} is missing the required field '${missing}'.`,
      };
    }
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty?: unknown }).additionalProperty);
      const map = node.value && isMap(node.value) ? (node.value) : undefined;
      const pair = getPair(map, key);
      if (!pair || isTemplated(doc, pair.key)) {
        return undefined;
      }
      const known = propertyNames(schemaAtPath(path, schema.root));
      const suggestion = closestMatch(key, known);
      const range = keyRange(doc, pair);
      return {
        code: 'spcs/unknown-key',
        at: range,
        message:
          `Unknown field '${key}' in ${where}: the specification reference does not define it, so Snowflake may ignore or reject it.` +
          (suggestion ? ` Did you mean '${suggestion}'?` : ''),
        fixes:
          suggestion && range
            ? [{ title: `Rename to '${suggestion}'`, edits: [{ range, newText: suggestion }], isPreferred: true }]
            : undefined,
      };
    }
    case 'type': {
      const expected = String((error.params as { type?: unknown }).type);
      const scalar = node.value && isScalar(node.value) ? node.value : undefined;
      const soft = scalar ? softTypeMismatch(scalar, expected) : undefined;
      return {
        code: 'spcs/invalid-type',
        at: node.value ?? node.pair,
        severity: soft ? 'warning' : undefined,
        message: soft ?? `${capitalize(where)} must be ${describeType(expected)}, not ${describeNode(node.value)}.`,
      };
    }
    case 'enum': {
      const allowed = ((error.params as { allowedValues?: unknown[] }).allowedValues ?? []).map(String);
      const scalar = node.value && isScalar(node.value) ? node.value : undefined;
      const actual = scalar ? String(scalar.value) : describeNode(node.value);
      const caseMatch = allowed.find((candidate) => candidate.toLowerCase() === actual.toLowerCase());
      const range = scalar ? nodeRange(doc, scalar) : undefined;
      if (caseMatch && range) {
        return {
          code: 'spcs/invalid-value',
          at: range,
          severity: 'warning',
          message: `Write '${caseMatch}' in ${letterCase(caseMatch)} as documented: whether Snowflake accepts '${actual}' is not documented.`,
          fixes: [{ title: `Change to '${caseMatch}'`, edits: [{ range, newText: caseMatch }], isPreferred: true }],
        };
      }
      const suggestion = closestMatch(actual, allowed);
      return {
        code: 'spcs/invalid-value',
        at: range ?? node.pair,
        message: `'${actual}' is not a valid value for ${where}; use one of ${allowed.map((value) => `'${value}'`).join(', ')}.`,
        fixes: suggestion && range ? [{ title: `Change to '${suggestion}'`, edits: [{ range, newText: suggestion }], isPreferred: true }] : undefined,
      };
    }
    case 'pattern':
    case 'format':
      return {
        code: 'spcs/invalid-format',
        at: node.value ?? node.pair,
        message: `${capitalize(where)} has an invalid format${error.keyword === 'pattern' ? ` (expected to match '${String((error.params as { pattern?: unknown }).pattern)}')` : ''}.`,
      };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const limit = (error.params as { limit?: unknown }).limit;
      const comparison = (error.params as { comparison?: unknown }).comparison;
      return {
        code: 'spcs/invalid-value',
        at: node.value ?? node.pair,
        message: `${capitalize(where)} must be ${String(comparison)} ${String(limit)}.`,
      };
    }
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
      return {
        code: 'spcs/invalid-value',
        at: node.value ?? node.pair,
        message: `${capitalize(where)} ${error.message ?? 'has the wrong number of items'}.`,
      };
    default:
      return {
        code: 'spcs/invalid-value',
        at: node.value ?? node.pair,
        message: `${capitalize(where)}: ${error.message ?? 'invalid value'}.`,
      };
  }
}

/** A type mismatch Snowflake may well accept: report it as a warning with this message. */
function softTypeMismatch(scalar: Scalar, expected: string): string | undefined {
  const value = scalar.value;
  if (typeof value !== 'string') {
    return undefined;
  }
  if (expected.includes('boolean') && yaml11Booleans.test(value)) {
    return `'${value}' is a string in YAML 1.2 but a boolean in YAML 1.1; write 'true' or 'false' so every parser reads it the same way.`;
  }
  if ((expected.includes('integer') || expected.includes('number')) && value.trim() !== '' && Number.isFinite(Number(value))) {
    return `"${value}" is a quoted number; write it without quotes, since whether Snowflake converts strings here is not documented.`;
  }
  return undefined;
}

interface PathNode {
  /** The value node at the path (a collection or a scalar). */
  readonly value: Node | undefined;
  /** The pair holding it, when the path ends at a mapping key. */
  readonly pair: Pair | undefined;
}

function parsePointer(pointer: string): (string | number)[] {
  if (pointer === '') {
    return [];
  }
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Walks the YAML tree along a JSON pointer. Sequence indexes come as strings from ajv; they are
 * returned as numbers in the resolved path so that schema look-ups can tell items from keys.
 */
function nodeAtPath(doc: SpecDocument, path: (string | number)[]): PathNode | undefined {
  let value: unknown = doc.yaml?.contents;
  let pair: Pair | undefined;
  for (let index = 0; index < path.length; index++) {
    const segment = path[index];
    if (isSeq(value)) {
      const position = Number(segment);
      path[index] = position;
      value = value.items[position];
      pair = undefined;
    } else if (isMap(value)) {
      const found = (value).items.find(
        (item) => (isScalar(item.key) ? String(item.key.value) : String(item.key)) === String(segment),
      );
      if (!found) {
        return undefined;
      }
      pair = found;
      value = found.value;
    } else {
      return undefined;
    }
  }
  return { value: value && typeof value === 'object' ? (value as Node) : undefined, pair };
}

function firstKeyRange(doc: SpecDocument, map: YAMLMap<unknown, unknown>) {
  const first = map.items[0];
  return first ? keyRange(doc, first) : nodeRange(doc, map);
}

/**
 * A readable name for a document path, for messages: `container \`api\``, `` `resources.limits` of
 * container `api` ``, `` `spec.endpoints[2]` ``.
 */
export function describePath(doc: SpecDocument, path: DocumentPath, itemKinds: Readonly<Record<string, string>> = serviceSpecSchema.itemKinds): string {
  let owner = '';
  let dotted = '';
  let node: unknown = doc.yaml?.contents;
  for (let index = 0; index < path.length; index++) {
    const segment = path[index];
    if (isSeq(node)) {
      node = node.items[Number(segment)];
      const kind = itemKinds[String(path[index - 1])];
      // A templated name is masked in the tree: the item is then named by its position.
      const nameNode = isMap(node) ? node.get('name', true) : undefined;
      const name = isScalar(nameNode) && !isTemplated(doc, nameNode) ? nameNode.value : undefined;
      if (kind && index <= 2) {
        owner = typeof name === 'string' ? `${kind} '${name}'` : `${kind} ${Number(segment) + 1}`;
        dotted = '';
      } else {
        dotted += `[${String(segment)}]`;
      }
    } else if (isMap(node)) {
      node = (node).get(segment, true);
      dotted += dotted === '' ? String(segment) : `.${String(segment)}`;
    }
  }
  if (owner && dotted) {
    return `'${dotted}' of ${owner}`;
  }
  return owner || (dotted ? `'${dotted}'` : 'the document');
}

function describeType(type: string): string {
  return type
    .split(',')
    .map((one) => ({ object: 'a mapping', array: 'a list', string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false', null: 'empty' })[one] ?? one)
    .join(' or ');
}

function describeNode(node: Node | undefined): string {
  if (!node) {
    return 'empty';
  }
  if (isMap(node)) {
    return 'a mapping';
  }
  if (isSeq(node)) {
    return 'a list';
  }
  if (isScalar(node)) {
    const value = node.value;
    if (value === null) {
      return 'empty';
    }
    if (typeof value === 'string') {
      return `the string '${value}'`;
    }
    return `'${typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value)}'`;
  }
  return 'this value';
}

/** How a documented value is written: `TCP` in upper case, `traffic_split` in lower case. */
function letterCase(value: string): string {
  return value === value.toUpperCase() ? 'upper case' : value === value.toLowerCase() ? 'lower case' : 'this case';
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
