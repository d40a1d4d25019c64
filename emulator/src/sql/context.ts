/**
 * What a statement runs with: the account store, the session (which USE changes), the current
 * role's access, the time of the statement, and the shared language service that validates specs.
 *
 * Owns: name resolution against the session's current database and schema, with Snowflake's
 * errors when a name is not qualified enough and the session has no current database or schema.
 */

import type { SpcsLanguageService } from '../../../server/src/service';
import { canonicalFromText, schemaKey, type QualifiedName } from '../account/names';
import { Access } from '../account/privileges';
import type { AccountStore } from '../account/store';
import type { ExecuteOptions, SessionContext } from '../contract';
import type { Name } from './ast';
import { SqlErrors } from './errors';

export interface StatementContext {
  readonly store: AccountStore;
  readonly session: SessionContext;
  readonly access: Access;
  readonly now: number;
  readonly languageService: SpcsLanguageService;
  readonly options?: ExecuteOptions;
}

export function createContext(store: AccountStore, session: SessionContext, languageService: SpcsLanguageService, options?: ExecuteOptions): StatementContext {
  return { store, session, access: new Access(store, currentRole(store, session)), now: store.now(), languageService, ...(options ? { options } : {}) };
}

/** The session's role as stored: exact when it exists, else read as an unquoted identifier. */
export function currentRole(store: AccountStore, session: SessionContext): string {
  return store.state.roles[session.role] ? session.role : canonicalFromText(session.role);
}

/** The session's current database (canonical), if any. */
export function currentDatabase(ctx: StatementContext): string | undefined {
  const value = ctx.session.database;
  if (value === undefined || value === '') return undefined;
  return ctx.store.state.databases[value] ? value : canonicalFromText(value);
}

export function currentSchema(ctx: StatementContext): string | undefined {
  const value = ctx.session.schema;
  if (value === undefined || value === '') return undefined;
  const database = currentDatabase(ctx);
  if (database !== undefined && ctx.store.state.schemas[schemaKey(database, value)]) return value;
  return canonicalFromText(value);
}

/** `name`, `schema.name` or `db.schema.name` → fully qualified, or Snowflake's "no current database" error. */
export function resolveObjectName(ctx: StatementContext, name: Name, operation: string): QualifiedName {
  const parts = name.parts;
  if (parts.length === 3) {
    return { database: parts[0] as string, schema: parts[1] as string, name: parts[2] as string };
  }
  const database = currentDatabase(ctx);
  if (database === undefined) {
    throw SqlErrors.noCurrentDatabase(operation);
  }
  if (parts.length === 2) {
    return { database, schema: parts[0] as string, name: parts[1] as string };
  }
  const schema = currentSchema(ctx);
  if (schema === undefined) {
    throw SqlErrors.noCurrentSchema(operation);
  }
  return { database, schema, name: parts[0] as string };
}

/** `schema` or `db.schema` → the schema's database and name. */
export function resolveSchemaName(ctx: StatementContext, name: Name | undefined, operation: string): { database: string; schema: string } {
  if (name === undefined) {
    const database = currentDatabase(ctx);
    if (database === undefined) throw SqlErrors.noCurrentDatabase(operation);
    const schema = currentSchema(ctx);
    if (schema === undefined) throw SqlErrors.noCurrentSchema(operation);
    return { database, schema };
  }
  if (name.parts.length >= 2) {
    return { database: name.parts[name.parts.length - 2] as string, schema: name.parts[name.parts.length - 1] as string };
  }
  const database = currentDatabase(ctx);
  if (database === undefined) throw SqlErrors.noCurrentDatabase(operation);
  return { database, schema: name.parts[0] as string };
}

/** An account-level name (compute pool, warehouse, role, database): exactly one part. */
export function singleName(name: Name): string {
  if (name.parts.length !== 1) {
    throw SqlErrors.invalidValue(`Invalid object name '${name.parts.join('.')}': expected an unqualified name.`);
  }
  return name.parts[0] as string;
}
