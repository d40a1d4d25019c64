/**
 * Databases and schemas as containers of objects: existence (with Snowflake's "Database 'X' does
 * not exist or not authorized." / "Schema 'DB.S' does not exist or not authorized.") and the
 * schema privileges that creating objects needs (CREATE SERVICE, CREATE STAGE, …, or OWNERSHIP).
 */

import type { ObjectType, SchemaRecord } from '../../account/model';
import { quoteIfNeeded, schemaKey } from '../../account/names';
import type { InClause } from '../ast';
import { currentDatabase, currentSchema, resolveSchemaName, type StatementContext } from '../context';
import { SqlErrors } from '../errors';
import { byName } from '../result';

export function canSeeSchema(ctx: StatementContext, database: string, schema: string): boolean {
  return ctx.access.canSee('SCHEMA', schemaKey(database, schema)) || ctx.access.canSee('DATABASE', database);
}

export function requireDatabase(ctx: StatementContext, database: string): void {
  if (!ctx.store.state.databases[database] || (!ctx.access.canSee('DATABASE', database) && !ownsSomethingIn(ctx, database))) {
    throw SqlErrors.doesNotExist('Database', quoteIfNeeded(database));
  }
}

function ownsSomethingIn(ctx: StatementContext, database: string): boolean {
  return ctx.store.schemasOf(database).some((schema) => ctx.access.canSee('SCHEMA', schemaKey(database, schema)));
}

export function requireSchema(ctx: StatementContext, database: string, schema: string): SchemaRecord {
  requireDatabase(ctx, database);
  const key = schemaKey(database, schema);
  const record = ctx.store.state.schemas[key];
  if (!record || !canSeeSchema(ctx, database, schema)) {
    throw SqlErrors.doesNotExist('Schema', key);
  }
  return record;
}

/** CREATE <object> on the schema (OWNERSHIP of the schema also qualifies). */
export function requireSchemaPrivilege(ctx: StatementContext, database: string, schema: string, privilege: string): void {
  requireSchema(ctx, database, schema);
  const key = schemaKey(database, schema);
  if (!ctx.access.has('SCHEMA', key, privilege)) {
    throw SqlErrors.insufficientPrivileges(`schema '${key}'`);
  }
}

/**
 * The objects a SHOW … [IN …] lists: an IN clause, or without one the current schema (the docs say
 * SHOW SERVICES lists the current schema), else the current database, else the account.
 */
export function schemaScope(ctx: StatementContext, scope: InClause | undefined, operation: string): (object: { database: string; schema: string }) => boolean {
  if (scope === undefined) {
    const database = currentDatabase(ctx);
    const schema = currentSchema(ctx);
    if (database !== undefined && schema !== undefined) return (object) => object.database === database && object.schema === schema;
    if (database !== undefined) return (object) => object.database === database;
    return () => true;
  }
  switch (scope.kind) {
    case 'account':
    case 'computePool':
      return () => true;
    case 'database': {
      const database = scope.name ? (scope.name.parts[scope.name.parts.length - 1] as string) : currentDatabase(ctx);
      if (database === undefined) return () => true;
      requireDatabase(ctx, database);
      return (object) => object.database === database;
    }
    case 'schema': {
      const { database, schema } = resolveSchemaName(ctx, scope.name, operation);
      requireSchema(ctx, database, schema);
      return (object) => object.database === database && object.schema === schema;
    }
  }
}

/**
 * The objects of one kind in scope (`matches`) that the current role can see, by name: what every
 * SHOW of schema objects lists before formatting its rows.
 */
export function visibleObjects<T extends { readonly name: string }>(
  ctx: StatementContext,
  type: ObjectType,
  objects: Readonly<Record<string, T>>,
  matches: (object: NoInfer<T>) => boolean,
): T[] {
  return Object.entries(objects)
    .filter(([key, object]) => matches(object) && ctx.access.canSee(type, key))
    .map(([, object]) => object)
    .sort(byName((object) => object.name));
}
