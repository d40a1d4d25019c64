/**
 * The JSON Schema that applies at a document path, for hover and completion.
 *
 * Owns: walking the schema along a path the way specs are written (a key directly under a list schema
 * is the list's item: the legacy singular keys may hold one mapping), and which description documents
 * a field (its own, declared next to its `$ref`, before its type's).
 *
 * Must not: read the document (the path comes from `nodeAt.ts` or `completionSite.ts`).
 */

import { childSchema, resolveRef, rootSchema, schemaTypes, type JsonSchema } from '../schema';

/** A step of a document path: a mapping key or a list index. */
export type PathSegment = string | number;

export interface SchemaTarget {
  /** The schema that applies at the path, `$ref` resolved. */
  readonly schema: JsonSchema | undefined;
  /** The schema as the parent declares it: a field's own description sits next to its `$ref`. */
  readonly declared: JsonSchema | undefined;
  /** The object schema that declares the last key (its `required` list applies). */
  readonly parent: JsonSchema | undefined;
}

/**
 * Walks the schema along a document path. Unlike `schemaAtPath` it keeps the declaring property, whose
 * `markdownDescription` is the one written for that field, and it reads a key directly under a list
 * schema as the list's item: the legacy singular keys (`container:`) may hold one mapping.
 */
export function schemaTarget(path: readonly PathSegment[], root: JsonSchema = rootSchema): SchemaTarget {
  let schema = resolveRef(root);
  let declared: JsonSchema | undefined = root;
  let parent: JsonSchema | undefined;
  for (const segment of path) {
    if (!schema) {
      return { schema: undefined, declared: undefined, parent: undefined };
    }
    if (typeof segment === 'string' && schema.items && !schema.properties && schemaTypes(schema).includes('array')) {
      schema = resolveRef(schema.items);
    }
    if (!schema) {
      return { schema: undefined, declared: undefined, parent: undefined };
    }
    parent = schema;
    declared = childSchema(schema, segment);
    schema = resolveRef(declared);
  }
  return { schema, declared, parent };
}

/** The field's documentation: its own description where declared, else its type's. */
export function schemaDocumentation(target: Pick<SchemaTarget, 'schema' | 'declared'>): string | undefined {
  const { declared, schema } = target;
  return declared?.markdownDescription ?? declared?.description ?? schema?.markdownDescription ?? schema?.description;
}
