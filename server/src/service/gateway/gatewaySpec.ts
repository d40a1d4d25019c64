/**
 * A gateway specification read from its parsed document: its type, and each endpoint it routes to
 * (the `targets` of a traffic split, or the `primary` and `shadow` endpoints of shadow traffic), with
 * the endpoint reference `db.schema.service!endpoint` read into its parts and the weights.
 *
 * Owns: the reading every gateway feature shares (checks, account checks, hover, completion) and the
 * client's gateway commands reuse (deploy, "Shift Traffic…"): `readGatewaySpec`, the reference reader
 * `parseEndpointReference`, and the weight arithmetic (`rebalanceWeights`, `shiftWeight`) with the
 * edits that write new weights into the text (`weightEdits`), so that a shifted gateway spec keeps
 * every other byte of the user's file.
 *
 * A value that contains a template placeholder is read as unknown (undefined), never guessed. Must
 * not: report diagnostics, re-parse, or do I/O.
 */

import { isMap, isScalar, isSeq, type Scalar, type YAMLMap } from 'yaml';
import type { TextEdit } from 'vscode-languageserver-types';
import { appendToMap } from '../rules/ruleHelpers';
import { getPair, isTemplated, nodeRange, type SpecDocument } from '../specDocument';

export type GatewayType = 'traffic_split' | 'shadow_traffic';

/** Where an endpoint sits in the spec: a traffic split's target, or shadow traffic's primary or shadow. */
export type GatewayEndpointRole = 'target' | 'primary' | 'shadow';

/** `db.schema.service!endpoint`, each part as written without its double quotes. */
export interface EndpointReference {
  readonly database: string;
  readonly schema: string;
  readonly service: string;
  readonly endpoint: string;
  /** Which of the four parts were double-quoted (case-sensitive identifiers). */
  readonly quoted: readonly [boolean, boolean, boolean, boolean];
}

export interface GatewayEndpoint {
  readonly role: GatewayEndpointRole;
  /** Position in its list (`targets`, `primary` or `shadow`). */
  readonly index: number;
  readonly node: YAMLMap<unknown, unknown>;
  /** The `value` text (trimmed), when it is a plain string without a placeholder. */
  readonly value: string | undefined;
  readonly valueNode: Scalar | undefined;
  /** The reference, when `value` has the documented form. */
  readonly reference: EndpointReference | undefined;
  /** The `weight`, when it is a number without a placeholder (not necessarily a valid one). */
  readonly weight: number | undefined;
  readonly weightNode: Scalar | undefined;
}

export interface GatewaySpecModel {
  /** `spec.type`, when it is one of the two documented types (written in any case). */
  readonly type: GatewayType | undefined;
  readonly spec: YAMLMap<unknown, unknown> | undefined;
  /** Every endpoint in text order: the targets, or the primary then the shadows. */
  readonly endpoints: readonly GatewayEndpoint[];
  /** Whether a list of endpoints holds an item that is not a mapping (a placeholder standing for items, a scalar). */
  readonly hasOpaqueItems: boolean;
}

/** The lists of endpoints of each gateway type. */
export const endpointLists: Readonly<Record<GatewayEndpointRole, 'targets' | 'primary' | 'shadow'>> = {
  target: 'targets',
  primary: 'primary',
  shadow: 'shadow',
};

export function readGatewaySpec(doc: SpecDocument): GatewaySpecModel {
  const spec = doc.spec;
  const typeNode = spec?.get('type', true);
  const typeText = isScalar(typeNode) && typeof typeNode.value === 'string' && !isTemplated(doc, typeNode) ? typeNode.value.trim().toLowerCase() : undefined;
  const type = typeText === 'traffic_split' || typeText === 'shadow_traffic' ? typeText : undefined;
  const endpoints: GatewayEndpoint[] = [];
  let hasOpaqueItems = false;
  for (const role of ['target', 'primary', 'shadow'] as const) {
    const list = spec?.get(endpointLists[role], true);
    if (!isSeq(list)) {
      continue;
    }
    list.items.forEach((item, index) => {
      if (!isMap(item)) {
        hasOpaqueItems = true;
        return;
      }
      endpoints.push(readEndpoint(doc, role, index, item));
    });
  }
  return { type, spec, endpoints, hasOpaqueItems };
}

function readEndpoint(doc: SpecDocument, role: GatewayEndpointRole, index: number, node: YAMLMap<unknown, unknown>): GatewayEndpoint {
  const valueItem = node.get('value', true);
  const valueNode = isScalar(valueItem) ? valueItem : undefined;
  const value = valueNode && typeof valueNode.value === 'string' && !isTemplated(doc, valueNode) ? valueNode.value.trim() : undefined;
  const weightItem = node.get('weight', true);
  const weightNode = isScalar(weightItem) ? weightItem : undefined;
  const weight = weightNode && typeof weightNode.value === 'number' && !isTemplated(doc, weightNode) ? weightNode.value : undefined;
  return { role, index, node, value, valueNode, reference: value === undefined ? undefined : parseEndpointReference(value), weight, weightNode };
}

/**
 * `db.schema.service!endpoint`, each part plain or double-quoted, or undefined for anything else
 * (a name that is not fully qualified, no `!`, stray characters).
 */
export function parseEndpointReference(text: string): EndpointReference | undefined {
  // Sticky patterns carry their position: each call makes its own (no module-level regex state).
  const quotedIdentifier = /"((?:[^"]|"")+)"/y;
  const plainIdentifier = /[A-Za-z_][A-Za-z0-9_$]*/y;
  // Endpoint names are written as in the service spec: letters, digits, `-` and `_`.
  const plainEndpoint = /[A-Za-z0-9_][A-Za-z0-9_-]*/y;
  const parts: string[] = [];
  const quoted: boolean[] = [];
  let offset = 0;
  const read = (plain: RegExp): boolean => {
    quotedIdentifier.lastIndex = offset;
    const inQuotes = quotedIdentifier.exec(text);
    if (inQuotes) {
      parts.push((inQuotes[1] ?? '').replace(/""/g, '"'));
      quoted.push(true);
      offset = quotedIdentifier.lastIndex;
      return true;
    }
    plain.lastIndex = offset;
    const bare = plain.exec(text);
    if (!bare) {
      return false;
    }
    parts.push(bare[0]);
    quoted.push(false);
    offset = plain.lastIndex;
    return true;
  };
  for (const separator of ['.', '.', '!']) {
    if (!read(plainIdentifier) || text.charAt(offset) !== separator) {
      return undefined;
    }
    offset++;
  }
  if (!read(plainEndpoint) || offset !== text.length) {
    return undefined;
  }
  const [database = '', schema = '', service = '', endpoint = ''] = parts;
  return { database, schema, service, endpoint, quoted: [quoted[0] ?? false, quoted[1] ?? false, quoted[2] ?? false, quoted[3] ?? false] };
}

/**
 * A reference as it is written in a spec: parts that are plain upper-case identifiers in lower case (as
 * the docs write them), other parts double-quoted unless they were plain as written.
 */
export function formatEndpointReference(reference: EndpointReference): string {
  const part = (text: string, quoted: boolean): string => {
    if (!quoted && /^[A-Za-z_][A-Za-z0-9_$]*$/.test(text)) {
      return text === text.toUpperCase() ? text.toLowerCase() : text;
    }
    return `"${text.replace(/"/g, '""')}"`;
  };
  const endpoint = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(reference.endpoint) && !reference.quoted[3] ? reference.endpoint : `"${reference.endpoint.replace(/"/g, '""')}"`;
  return `${part(reference.database, reference.quoted[0])}.${part(reference.schema, reference.quoted[1])}.${part(reference.service, reference.quoted[2])}!${endpoint}`;
}

/** What is wrong with a value that is not an endpoint reference, in words (for messages). */
export function referenceProblem(text: string): string {
  const bang = text.lastIndexOf('!');
  if (bang === -1) {
    return `'${text}' names no endpoint: write the service, then '!' and the endpoint name (db.schema.service!endpoint)`;
  }
  const service = text.slice(0, bang);
  const dots = (service.replace(/"(?:[^"]|"")*"/g, 'x').match(/\./g) ?? []).length;
  if (dots < 2) {
    return `'${service}' is not fully qualified: write the service's database and schema too (db.schema.service!endpoint)`;
  }
  return `'${text}' is not of the form db.schema.service!endpoint (identifiers are letters, digits, '_' and '$', or double-quoted)`;
}

/** The canonical identity of a reference, for finding the same endpoint twice: unquoted parts compare case-insensitively. */
export function referenceKey(reference: EndpointReference): string {
  const parts = [reference.database, reference.schema, reference.service, reference.endpoint];
  return parts.map((part, index) => (reference.quoted[index] && index < 3 ? part : part.toUpperCase())).join('\u0000');
}

// ---------------------------------------------------------------------------------------------------
// Weights.

/**
 * Weights scaled to add up to exactly 100, keeping their proportions as closely as integers can
 * (largest remainder first; ties go to the earlier target). All-zero weights are split evenly.
 */
export function rebalanceWeights(weights: readonly number[]): number[] {
  if (weights.length === 0) {
    return [];
  }
  const clean = weights.map((weight) => (Number.isFinite(weight) && weight > 0 ? weight : 0));
  const total = clean.reduce((sum, weight) => sum + weight, 0);
  const shares = total === 0 ? clean.map(() => 100 / clean.length) : clean.map((weight) => (weight * 100) / total);
  const result = shares.map((share) => Math.floor(share));
  let missing = 100 - result.reduce((sum, weight) => sum + weight, 0);
  const order = shares.map((share, index) => ({ index, remainder: share - Math.floor(share) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (missing <= 0) {
      break;
    }
    result[index] = (result[index] ?? 0) + 1;
    missing--;
  }
  return result;
}

/**
 * Moves up to `amount` weight from target `from` to target `to` (never below 0 or above 100): one
 * step of "Shift Traffic…". The total stays what it was.
 */
export function shiftWeight(weights: readonly number[], from: number, to: number, amount: number): number[] {
  const result = [...weights];
  const source = result[from];
  const target = result[to];
  if (from === to || source === undefined || target === undefined || !(amount > 0)) {
    return result;
  }
  const moved = Math.min(Math.floor(amount), source, 100 - target);
  result[from] = source - moved;
  result[to] = target + moved;
  return result;
}

/**
 * The edits that give each endpoint of `endpoints` the weight at the same index (undefined: leave it).
 * Only existing weights are rewritten; an endpoint without a `weight` gets one appended as its last
 * key. Undefined when an endpoint's weight cannot be rewritten in place (a templated or odd value).
 */
export function weightEdits(doc: SpecDocument, endpoints: readonly GatewayEndpoint[], weights: readonly (number | undefined)[]): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  for (const [index, endpoint] of endpoints.entries()) {
    const weight = weights[index];
    if (weight === undefined) {
      continue;
    }
    const pair = getPair(endpoint.node, 'weight');
    if (pair) {
      const scalar = isScalar(pair.value) ? pair.value : undefined;
      const range = scalar && !isTemplated(doc, scalar) ? nodeRange(doc, scalar) : undefined;
      if (!range) {
        return undefined;
      }
      edits.push({ range, newText: String(weight) });
      continue;
    }
    const edit = appendToMap(doc, endpoint.node, 'weight', String(weight));
    if (!edit) {
      return undefined;
    }
    edits.push(edit);
  }
  return edits;
}
