/**
 * Session statements and functions: USE ROLE / DATABASE / SCHEMA / WAREHOUSE (which change the
 * SessionContext the protocol keeps per session) and CURRENT_ROLE(), CURRENT_USER(),
 * CURRENT_DATABASE(), CURRENT_SCHEMA(), CURRENT_WAREHOUSE(), CURRENT_ACCOUNT(), … for SELECT.
 *
 * Owns: who may activate a role (it must be granted to the user, directly or through the role
 * hierarchy), USE DATABASE also selecting its PUBLIC schema as Snowflake does, and the canonical
 * names written back to the session.
 */

import { canonicalFromText } from '../../account/names';
import type { UserRecord } from '../../account/model';
import type { AccountStore } from '../../account/store';
import type { ColumnType, ResultSet } from '../../contract';
import type { Name } from '../ast';
import { currentDatabase, currentRole, currentSchema, resolveSchemaName, singleName, type StatementContext } from '../context';
import { SqlErrors } from '../errors';
import { StatementType, statusResult, timeCell } from '../result';
import { requireDatabase, requireSchema } from './schemaAccess';

export function findUser(store: AccountStore, name: string): UserRecord | undefined {
  const exact = store.state.users[name];
  if (exact) return exact;
  const upper = name.toUpperCase();
  return Object.values(store.state.users).find((user) => user.name.toUpperCase() === upper || user.loginName.toUpperCase() === upper);
}

function sessionUser(ctx: StatementContext): string {
  return findUser(ctx.store, ctx.session.user)?.name ?? canonicalFromText(ctx.session.user);
}

export function use(ctx: StatementContext, target: 'ROLE' | 'DATABASE' | 'SCHEMA' | 'WAREHOUSE', name: Name): ResultSet {
  const done = statusResult('Statement executed successfully.', StatementType.session);
  switch (target) {
    case 'ROLE': {
      const role = singleName(name);
      if (!ctx.store.state.roles[role]) throw SqlErrors.doesNotExist('Role', role);
      if (!ctx.store.rolesOfUser(sessionUser(ctx)).includes(role)) throw SqlErrors.roleNotGranted(role);
      ctx.session.role = role;
      return done;
    }
    case 'DATABASE': {
      const database = singleName(name);
      requireDatabase(ctx, database);
      ctx.session.database = database;
      ctx.session.schema = ctx.store.schemasOf(database).includes('PUBLIC') ? 'PUBLIC' : undefined;
      return done;
    }
    case 'SCHEMA': {
      const { database, schema } = resolveSchemaName(ctx, name, 'USE SCHEMA');
      requireSchema(ctx, database, schema);
      ctx.session.database = database;
      ctx.session.schema = schema;
      return done;
    }
    case 'WAREHOUSE': {
      const warehouse = singleName(name);
      if (!ctx.store.state.warehouses[warehouse] || !ctx.access.canSee('WAREHOUSE', warehouse)) throw SqlErrors.warehouseDoesNotExist();
      ctx.session.warehouse = warehouse;
      return done;
    }
  }
}

export interface FunctionValue {
  readonly value: string | null;
  readonly type: ColumnType;
  readonly scale?: number;
}

const text = (value: string | undefined | null): FunctionValue => ({ value: value ?? null, type: 'text' });

/** Session functions without arguments; undefined when the name is not one of them. */
export function sessionFunction(ctx: StatementContext, name: string): FunctionValue | undefined {
  const state = ctx.store.state;
  switch (name) {
    case 'CURRENT_ROLE':
      return text(currentRole(ctx.store, ctx.session));
    case 'CURRENT_USER':
      return text(sessionUser(ctx));
    case 'CURRENT_DATABASE':
      return text(currentDatabase(ctx));
    case 'CURRENT_SCHEMA':
      return text(currentDatabase(ctx) === undefined ? undefined : currentSchema(ctx));
    case 'CURRENT_WAREHOUSE':
      return text(ctx.session.warehouse === undefined || ctx.session.warehouse === '' ? undefined : canonicalFromText(ctx.session.warehouse));
    case 'CURRENT_ACCOUNT':
    case 'CURRENT_ACCOUNT_NAME':
      return text(state.name);
    case 'CURRENT_ORGANIZATION_NAME':
      return text(state.organization);
    case 'CURRENT_REGION':
      return text(state.region);
    case 'CURRENT_VERSION':
      return text('9.20.0');
    case 'CURRENT_SESSION':
      return text(ctx.session.sessionId);
    case 'CURRENT_IP_ADDRESS':
      return text('127.0.0.1');
    case 'CURRENT_AVAILABLE_ROLES':
      return text(JSON.stringify(ctx.store.rolesOfUser(sessionUser(ctx))));
    case 'CURRENT_SECONDARY_ROLES':
      return text(JSON.stringify({ roles: '', value: '' }));
    case 'CURRENT_TIMESTAMP':
    case 'LOCALTIMESTAMP':
    case 'SYSDATE':
    case 'GETDATE':
      return { value: timeCell(ctx.now), type: 'timestamp_ltz', scale: 9 };
    case 'CURRENT_DATE':
      return { value: String(Math.floor(ctx.now / 86_400_000)), type: 'date' };
    default:
      return undefined;
  }
}
