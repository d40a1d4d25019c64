/**
 * The JSON Schema of the service specification, as data for validation, completion and hover.
 *
 * Owns: validating a document's JSON form against the schema, and walking the schema by a document
 * path (`['spec', 'containers', 0, 'resources']`) with `$ref` resolved. The schema file in `schemas/`
 * is the single source of field documentation; this module never adds docs of its own.
 *
 * Other document kinds with a JSON Schema of their own (gateway specs, `gateway/gatewaySchema.ts`)
 * describe it as a `DocumentSchema`: the root to walk and the compiled validator. Their schemas have no
 * `$ref` (they are small), so the walkers here work on them with their root given.
 *
 * The validator is compiled from the schema at build time (`generated/specSchemaValidator.js`, see
 * `scripts/schemaValidator.mjs`): nothing is compiled when the server starts, and this module keeps no
 * state of its own.
 */

import type { ErrorObject } from 'ajv';
import schemaJson from '../../../schemas/spcs-service-spec.schema.json';
import validateSpecSchema from './generated/specSchemaValidator';

/** The subset of JSON Schema the spec schema uses (see the conventions in its header). */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  markdownEnumDescriptions?: string[];
  default?: unknown;
  examples?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  deprecated?: boolean;
  defaultSnippets?: DefaultSnippet[];
  definitions?: Record<string, JsonSchema>;
}

export interface DefaultSnippet {
  label?: string;
  description?: string;
  markdownDescription?: string;
  body?: unknown;
  bodyText?: string;
}

export type DocumentPath = readonly (string | number)[];

export const rootSchema = schemaJson as unknown as JsonSchema;

/** A document kind's schema: its documented tree, its validator and how messages name its list items. */
export interface DocumentSchema {
  readonly root: JsonSchema;
  /** Every schema error of a document's JSON form. */
  validate(value: unknown): ErrorObject[];
  /** What one item of each list is called in messages: `containers` → `container`. */
  readonly itemKinds: Readonly<Record<string, string>>;
}

/** The service specification's schema. */
export const serviceSpecSchema: DocumentSchema = {
  root: rootSchema,
  validate: (value) => validateAgainstSchema(value),
  itemKinds: {
    containers: 'container',
    container: 'container',
    endpoints: 'endpoint',
    endpoint: 'endpoint',
    volumes: 'volume',
    volume: 'volume',
    serviceRoles: 'service role',
  },
};

/**
 * The schema errors of a document's JSON form (all of them, not only the first). ajv's generated
 * function reports through its `errors` property, which the next call overwrites: it is read here, at
 * once, and never kept.
 */
export function validateAgainstSchema(value: unknown): ErrorObject[] {
  return validateSpecSchema(value) ? [] : (validateSpecSchema.errors ?? []);
}

/**
 * Follows `$ref`s. A property that references a definition may carry its own annotations (a
 * description written for that spot, a default): those win over the definition's, as in VS Code's
 * JSON language service. The merge is a handful of keys, made afresh on each call (no cache to keep).
 */
export function resolveRef(schema: JsonSchema | undefined): JsonSchema | undefined {
  if (!schema?.$ref) {
    return schema;
  }
  let target: JsonSchema | undefined = schema;
  const overrides: JsonSchema[] = [];
  for (let depth = 0; target?.$ref && depth < 16; depth++) {
    const { $ref: ref, ...annotations }: JsonSchema = target;
    overrides.unshift(annotations);
    target = ref?.startsWith('#/definitions/') ? rootSchema.definitions?.[ref.slice('#/definitions/'.length)] : undefined;
  }
  if (!target) {
    return undefined;
  }
  return Object.assign({}, target, ...overrides) as JsonSchema;
}

/** The schema that applies at a document path, or undefined where the schema says nothing. */
export function schemaAtPath(path: DocumentPath, root: JsonSchema = rootSchema): JsonSchema | undefined {
  let current = resolveRef(root);
  for (const segment of path) {
    if (!current) {
      return undefined;
    }
    current = resolveRef(childSchema(current, segment));
  }
  return current;
}

export function childSchema(schema: JsonSchema, segment: string | number): JsonSchema | undefined {
  if (typeof segment === 'number') {
    return schema.items;
  }
  const property = schema.properties?.[segment];
  if (property) {
    return property;
  }
  if (typeof schema.additionalProperties === 'object') {
    return schema.additionalProperties;
  }
  return undefined;
}

/** The keys the schema defines on an object schema, without deprecated aliases unless asked. */
export function propertyNames(schema: JsonSchema | undefined, options: { includeDeprecated?: boolean } = {}): string[] {
  const properties = resolveRef(schema)?.properties ?? {};
  return Object.keys(properties).filter((key) => options.includeDeprecated || !resolveRef(properties[key])?.deprecated);
}

export function schemaTypes(schema: JsonSchema | undefined): string[] {
  const type = resolveRef(schema)?.type;
  return type === undefined ? [] : Array.isArray(type) ? type : [type];
}

export type { ErrorObject };
