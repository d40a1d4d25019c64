/**
 * A Snowflake CLI project definition (`snowflake.yml`) read from its parsed document: its version, its
 * entities, its mixins, and the SPCS entities' values with the mixins merged in (what `snow spcs
 * service deploy` would use).
 *
 * Owns the reading the project features share (checks, completion, hover, go to definition) and that
 * the client's "Deploy entity" reuses: `readProjectDefinition` and `spcsEntityValues`. Where a
 * `spec_file` is on disk is `projectFiles.ts`; adding an entity is `projectEdits.ts`.
 *
 * Mixins merge as the CLI merges them: the mixins in `use_mixins` order, then the entity's own fields
 * on top (mappings merged key by key, lists extended). A value containing a template placeholder
 * (`<% ctx.env.x %>`) is read as unknown and listed in `templated`, never guessed.
 */

import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import { getPair, isTemplated, type SpecDocument } from '../specDocument';
import { isSpcsEntityType, type SpcsEntityType } from './entityModel';

export interface ProjectEntity {
  /** The entity's key under `entities`. */
  readonly id: string;
  readonly idNode: Scalar;
  readonly node: YAMLMap<unknown, unknown>;
  /** `type`, when it is a plain string. */
  readonly type: string | undefined;
  /** The mixins of `meta.use_mixins` in order, or undefined when they cannot be read (templated, odd). */
  readonly mixins: readonly string[] | undefined;
}

export interface ProjectDefinitionModel {
  /** `definition_version` as text (`"2"`, `2` and `2.0` all read `2`), when it is plain. */
  readonly version: string | undefined;
  /** The local overrides merged over `snowflake.local.yml`'s sibling: entities there may be partial. */
  readonly isLocalOverride: boolean;
  readonly entities: readonly ProjectEntity[];
  /** The `mixins` section by name, or undefined when there is none or it cannot be read. */
  readonly mixins: ReadonlyMap<string, YAMLMap<unknown, unknown>> | undefined;
  /** Whether the document declares mixins that cannot be read (templated names): mixin lookups then prove nothing. */
  readonly mixinsOpaque: boolean;
}

export function readProjectDefinition(doc: SpecDocument): ProjectDefinitionModel {
  const root = doc.root;
  const versionNode = root?.get('definition_version', true);
  const version = isScalar(versionNode) && !isTemplated(doc, versionNode) && (typeof versionNode.value === 'string' || typeof versionNode.value === 'number') ? normalizeVersion(versionNode.value) : undefined;
  const entities: ProjectEntity[] = [];
  const entitiesNode = root?.get('entities', true);
  if (isMap(entitiesNode)) {
    for (const pair of entitiesNode.items) {
      if (!isScalar(pair.key) || isTemplated(doc, pair.key) || !isMap(pair.value)) {
        continue;
      }
      const node = pair.value;
      const typeNode = node.get('type', true);
      const type = isScalar(typeNode) && typeof typeNode.value === 'string' && !isTemplated(doc, typeNode) ? typeNode.value.trim() : undefined;
      entities.push({ id: String(pair.key.value), idNode: pair.key, node, type, mixins: mixinNames(doc, node) });
    }
  }
  const mixinsNode = getPair(root, 'mixins')?.value;
  let mixins: Map<string, YAMLMap<unknown, unknown>> | undefined;
  let mixinsOpaque = false;
  if (isMap(mixinsNode)) {
    mixins = new Map();
    for (const pair of mixinsNode.items) {
      if (!isScalar(pair.key) || isTemplated(doc, pair.key)) {
        mixinsOpaque = true;
        continue;
      }
      if (isMap(pair.value)) {
        mixins.set(String(pair.key.value), pair.value);
      }
    }
  } else if (mixinsNode !== undefined && mixinsNode !== null && !(isScalar(mixinsNode) && mixinsNode.value === null)) {
    mixinsOpaque = true;
  }
  return { version, isLocalOverride: /(?:^|[/\\])snowflake\.local\.ya?ml(?:[?#].*)?$/i.test(doc.textDocument.uri), entities, mixins, mixinsOpaque };
}

function normalizeVersion(value: string | number): string {
  const text = String(value).trim();
  return /^\d+(?:\.0+)?$/.test(text) ? String(Number.parseInt(text, 10)) : text;
}

/** `meta.use_mixins`: a name or a list of names. */
function mixinNames(doc: SpecDocument, entity: YAMLMap<unknown, unknown>): readonly string[] | undefined {
  const meta = entity.get('meta', true);
  if (meta === undefined) {
    return [];
  }
  if (!isMap(meta)) {
    return undefined;
  }
  const value: unknown = meta.get('use_mixins', true);
  if (value === undefined || (isScalar(value) && value.value === null)) {
    return [];
  }
  if (isScalar(value)) {
    return typeof value.value === 'string' && !isTemplated(doc, value) ? [value.value] : undefined;
  }
  if (isSeq(value)) {
    const names: string[] = [];
    for (const item of value.items) {
      if (!isScalar(item) || typeof item.value !== 'string' || isTemplated(doc, item)) {
        return undefined;
      }
      names.push(item.value);
    }
    return names;
  }
  return undefined;
}

/**
 * The keys an entity has once its mixins are merged in (what a required-field check looks at), or
 * undefined when a mixin cannot be found or read: then nothing can be concluded.
 */
export function mergedKeys(model: ProjectDefinitionModel, entity: ProjectEntity): Set<string> | undefined {
  const keys = new Set<string>();
  for (const pair of entity.node.items) {
    if (isScalar(pair.key)) {
      keys.add(String(pair.key.value));
    }
  }
  if (entity.mixins === undefined) {
    return undefined;
  }
  for (const name of entity.mixins) {
    const mixin = model.mixins?.get(name);
    if (!mixin) {
      return undefined;
    }
    for (const pair of mixin.items) {
      if (!isScalar(pair.key)) {
        return undefined;
      }
      keys.add(String(pair.key.value));
    }
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------------
// Values of SPCS entities (what `snow spcs … deploy` uses).

export interface ServiceEntityValues {
  readonly id: string;
  readonly type: SpcsEntityType;
  /** The object's name (`identifier`, else the entity's key), its database and schema when given. */
  readonly name: string | undefined;
  readonly database: string | undefined;
  readonly schema: string | undefined;
  /** Every field with a plain value, mixins merged in (scalars as strings, numbers, booleans; lists of them; `tags` as `{ name, value }`). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Fields whose value holds a template placeholder (so `fields` leaves them out). */
  readonly templated: readonly string[];
}

/**
 * The SPCS entities of a project with their values, mixins merged as the CLI merges them. For the
 * client's "Deploy entity": it deploys `service` entities with `fields.stage`, `fields.compute_pool`,
 * `fields.spec_file`, … and refuses when a field it needs is in `templated` (rendering `<% %>` needs
 * the CLI's context).
 */
export function spcsEntityValues(doc: SpecDocument, model: ProjectDefinitionModel = readProjectDefinition(doc)): ServiceEntityValues[] {
  const result: ServiceEntityValues[] = [];
  for (const entity of model.entities) {
    if (entity.type === undefined || !isSpcsEntityType(entity.type)) {
      continue;
    }
    const templated = new Set<string>();
    let merged: Record<string, unknown> = {};
    for (const name of entity.mixins ?? []) {
      const mixin = model.mixins?.get(name);
      if (mixin) {
        merged = mergeValues(merged, plainValues(doc, mixin, templated)) as Record<string, unknown>;
      }
    }
    merged = mergeValues(merged, plainValues(doc, entity.node, templated)) as Record<string, unknown>;
    const identifier = merged.identifier;
    let name: string | undefined = entity.id;
    let database: string | undefined;
    let schema: string | undefined;
    if (typeof identifier === 'string') {
      name = identifier;
    } else if (identifier && typeof identifier === 'object' && !Array.isArray(identifier)) {
      const parts = identifier as Record<string, unknown>;
      name = typeof parts.name === 'string' ? parts.name : undefined;
      database = typeof parts.database === 'string' ? parts.database : undefined;
      schema = typeof parts.schema === 'string' ? parts.schema : undefined;
    } else if (templated.has('identifier')) {
      name = undefined;
    }
    result.push({ id: entity.id, type: entity.type, name, database, schema, fields: merged, templated: [...templated] });
  }
  return result;
}

/** A mapping's plain values (placeholders left out and recorded by their top-level key). */
function plainValues(doc: SpecDocument, map: YAMLMap<unknown, unknown>, templated: Set<string>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const pair of map.items) {
    if (!isScalar(pair.key)) {
      continue;
    }
    const key = String(pair.key.value);
    const value = pair.value as Node | null | undefined;
    if (value && isTemplated(doc, value) && isScalar(value)) {
      templated.add(key);
      continue;
    }
    const plain = toPlain(doc, value, () => templated.add(key));
    if (plain !== undefined) {
      result[key] = plain;
    }
  }
  return result;
}

function toPlain(doc: SpecDocument, node: unknown, onTemplated: () => void): unknown {
  if (isScalar(node)) {
    if (isTemplated(doc, node)) {
      onTemplated();
      return undefined;
    }
    return node.value === null ? undefined : node.value;
  }
  if (isSeq(node)) {
    return node.items.map((item) => toPlain(doc, item, onTemplated)).filter((item) => item !== undefined);
  }
  if (isMap(node)) {
    const result: Record<string, unknown> = {};
    for (const pair of node.items) {
      if (isScalar(pair.key) && !isTemplated(doc, pair.key)) {
        const value = toPlain(doc, pair.value, onTemplated);
        if (value !== undefined) {
          result[String(pair.key.value)] = value;
        }
      }
    }
    return result;
  }
  return undefined;
}

/** The CLI's merge: mappings key by key, lists extended with the items not yet there, otherwise the right side. */
function mergeValues(left: unknown, right: unknown): unknown {
  if (left === undefined) {
    return right;
  }
  if (isRecord(left) && isRecord(right)) {
    const result: Record<string, unknown> = { ...left };
    for (const [key, value] of Object.entries(right)) {
      result[key] = mergeValues(result[key], value);
    }
    return result;
  }
  if (Array.isArray(left) && Array.isArray(right)) {
    const existing: readonly unknown[] = left;
    const result: unknown[] = [...existing];
    for (const item of right as readonly unknown[]) {
      if (!existing.some((other) => JSON.stringify(other) === JSON.stringify(item))) {
        result.push(item);
      }
    }
    return result;
  }
  return right;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
