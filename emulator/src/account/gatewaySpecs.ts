/**
 * Reading a gateway specification (CREATE / ALTER GATEWAY … FROM SPECIFICATION) the way the gateway
 * pages document it, before anything in the account is looked at.
 *
 * Owns: the documented shape, for both gateway types:
 *   traffic_split:  spec.type: traffic_split, spec.split_type: custom, spec.targets: a list of
 *                   { type: endpoint, value: <db>.<schema>.<service>!<endpoint>, weight: <integer> },
 *                   the weights adding up to 100;
 *   shadow_traffic: spec.type: shadow_traffic, spec.primary: exactly one { type, value } (no weight),
 *                   spec.shadow: one or more { type, value, weight: 0-100 } (weights need not add up);
 * at most 5 endpoints per gateway ("by default"), fixed values written exactly as documented.
 * CHOSEN where the docs are silent: unknown keys are refused (as Snowflake refuses unknown options in
 * service specs), a weight is an integer from 0 to 100 (the failover section confirms 0 is allowed),
 * and the same endpoint may not appear twice.
 *
 * Must not: look at the account (the statement checks that the endpoints exist and may be used).
 */

import { isMap, isScalar, isSeq, parseDocument, stringify, type Node, type YAMLMap } from 'yaml';
import { parseDottedName } from './names';

/** The most endpoints a gateway may have (the docs: "5 by default"). */
export const maxGatewayEndpoints = 5;

export interface GatewayEndpointReference {
  readonly role: 'target' | 'primary' | 'shadow';
  /** Where the reference is in the spec, for messages: `spec.targets[0]`. */
  readonly path: string;
  /** The value as written. */
  readonly value: string;
  /** Canonical parts of `db.schema.service`. */
  readonly service: readonly [string, string, string];
  /** The endpoint name as written after `!`. */
  readonly endpoint: string;
  readonly weight?: number;
}

export interface GatewaySpec {
  readonly type: 'traffic_split' | 'shadow_traffic';
  readonly endpoints: readonly GatewayEndpointReference[];
  /** The spec as DESCRIBE GATEWAY shows it: re-serialized YAML. */
  readonly normalized: string;
}

/** A documented rule the spec breaks; the message completes "Invalid gateway spec: …". */
export class GatewaySpecProblem extends Error {}

function fail(message: string): never {
  throw new GatewaySpecProblem(message);
}

function keyOf(node: unknown): string {
  return isScalar(node) ? String(node.value) : '';
}

function mapAt(node: unknown, path: string): YAMLMap {
  if (!isMap(node)) fail(`'${path}' must be a mapping.`);
  return node;
}

function onlyKeys(map: YAMLMap, path: string, allowed: readonly string[], hint?: (key: string) => string | undefined): void {
  for (const pair of map.items) {
    const key = keyOf(pair.key);
    if (!allowed.includes(key)) {
      fail(hint?.(key) ?? `unknown option '${key}' for '${path}'.`);
    }
  }
}

/** The node under `key`; an absent key and an empty value (`key:`) are both missing. */
function nodeAt(map: YAMLMap, key: string, path: string): Node {
  const node = map.get(key, true) as Node | undefined;
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) fail(`missing '${path}.${key}'.`);
  return node;
}

function scalarAt(map: YAMLMap, key: string, path: string): unknown {
  const node = nodeAt(map, key, path);
  if (!isScalar(node)) fail(`'${path}.${key}' must be a single value.`);
  return node.value;
}

function fixedValue(map: YAMLMap, key: string, path: string, expected: readonly string[]): string {
  const value = scalarAt(map, key, path);
  if (typeof value !== 'string' || !expected.includes(value)) {
    fail(`invalid value '${String(value)}' for '${path}.${key}': it must be ${expected.map((item) => `'${item}'`).join(' or ')}.`);
  }
  return value;
}

const endpointName = /^(?:[A-Za-z0-9_][A-Za-z0-9_-]*|"[^"]+")$/;

function endpointReference(node: unknown, path: string, role: GatewayEndpointReference['role'], weighted: boolean): GatewayEndpointReference {
  const map = mapAt(node, path);
  onlyKeys(map, path, weighted ? ['type', 'value', 'weight'] : ['type', 'value'], (key) =>
    key === 'weight' && !weighted ? `do not specify 'weight' for the primary endpoint ('${path}'): it receives every request.` : undefined,
  );
  fixedValue(map, 'type', path, ['endpoint']);
  const value = scalarAt(map, 'value', path);
  const text = typeof value === 'string' ? value.trim() : '';
  const bang = text.lastIndexOf('!');
  const parts = bang > 0 ? parseDottedName(text.slice(0, bang)) : undefined;
  const endpoint = bang > 0 ? text.slice(bang + 1) : '';
  if (!parts || parts.length !== 3 || !endpointName.test(endpoint)) {
    fail(`invalid value '${String(value)}' for '${path}.value': it must be a fully qualified endpoint name <db>.<schema>.<service>!<endpoint>.`);
  }
  let weight: number | undefined;
  if (weighted) {
    const raw = scalarAt(map, 'weight', path);
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0 || raw > 100) {
      fail(`invalid value '${String(raw)}' for '${path}.weight': it must be an integer from 0 to 100.`);
    }
    weight = raw;
  }
  return {
    role,
    path,
    value: text,
    service: [parts[0] as string, parts[1] as string, parts[2] as string],
    endpoint: endpoint.startsWith('"') ? endpoint.slice(1, -1) : endpoint,
    ...(weight !== undefined ? { weight } : {}),
  };
}

function listAt(map: YAMLMap, key: string, path: string): unknown[] {
  const node = nodeAt(map, key, path);
  if (!isSeq(node)) fail(`'${path}.${key}' must be a list.`);
  return node.items;
}

/** Reads and checks the documented shape; throws GatewaySpecProblem with the first rule broken. */
export function readGatewaySpec(text: string): GatewaySpec {
  const document = parseDocument(text, { uniqueKeys: true });
  const yamlError = document.errors[0];
  if (yamlError) fail(`the specification is not valid YAML: ${yamlError.message.split('\n')[0] ?? ''}`);
  const root = document.contents;
  if (root === null) fail("missing 'spec'.");
  const top = mapAt(root, '(document)');
  onlyKeys(top, '(document)', ['spec'], (key) => `unknown option '${key}'. A gateway specification has only 'spec'.`);
  const specNode = top.get('spec', true) as Node | undefined;
  if (specNode === undefined || specNode === null || (isScalar(specNode) && specNode.value === null)) fail("missing 'spec'.");
  const spec = mapAt(specNode, 'spec');
  const type = fixedValue(spec, 'type', 'spec', ['traffic_split', 'shadow_traffic']) as GatewaySpec['type'];
  let endpoints: GatewayEndpointReference[];
  if (type === 'traffic_split') {
    onlyKeys(spec, 'spec', ['type', 'split_type', 'targets'], (key) =>
      key === 'primary' || key === 'shadow' ? `'spec.${key}' belongs to a shadow_traffic gateway; a traffic_split gateway has 'targets'.` : undefined,
    );
    fixedValue(spec, 'split_type', 'spec', ['custom']);
    const targets = listAt(spec, 'targets', 'spec');
    if (targets.length === 0) fail("'spec.targets' must list at least one endpoint.");
    endpoints = targets.map((item, index) => endpointReference(item, `spec.targets[${index}]`, 'target', true));
    const total = endpoints.reduce((sum, endpoint) => sum + (endpoint.weight ?? 0), 0);
    if (total !== 100) fail(`the weights of 'spec.targets' add up to ${total}; they must add up to 100.`);
  } else {
    onlyKeys(spec, 'spec', ['type', 'primary', 'shadow'], (key) =>
      key === 'split_type' || key === 'targets' ? `'spec.${key}' belongs to a traffic_split gateway; a shadow_traffic gateway has 'primary' and 'shadow'.` : undefined,
    );
    const primary = listAt(spec, 'primary', 'spec');
    if (primary.length !== 1) fail(`'spec.primary' must list exactly one endpoint (it lists ${primary.length}).`);
    const shadow = listAt(spec, 'shadow', 'spec');
    if (shadow.length === 0) fail("'spec.shadow' must list at least one endpoint.");
    endpoints = [
      endpointReference(primary[0], 'spec.primary[0]', 'primary', false),
      ...shadow.map((item, index) => endpointReference(item, `spec.shadow[${index}]`, 'shadow', true)),
    ];
  }
  if (endpoints.length > maxGatewayEndpoints) {
    fail(`a gateway has at most ${maxGatewayEndpoints} endpoints; this one lists ${endpoints.length}.`);
  }
  const seen = new Map<string, string>();
  for (const endpoint of endpoints) {
    const identity = `${endpoint.service.join('.')}!${endpoint.endpoint.toLowerCase()}`;
    const first = seen.get(identity);
    if (first !== undefined) fail(`endpoint '${endpoint.value}' is listed twice ('${first}' and '${endpoint.path}').`);
    seen.set(identity, endpoint.path);
  }
  return { type, endpoints, normalized: stringify(document.toJS(), { lineWidth: 0 }) };
}
