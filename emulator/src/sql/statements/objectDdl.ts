/**
 * CREATE [OR REPLACE] / DROP of the objects around services: DATABASE, SCHEMA, STAGE (internal
 * only), SECRET (TYPE = PASSWORD | GENERIC_STRING | OAUTH2), ROLE, WAREHOUSE; IMAGE REPOSITORY is
 * delegated to `registry.ts`.
 *
 * Owns: Snowflake's result texts ("Database X successfully created.", "Stage area X successfully
 * created.", "X successfully dropped."), CREATE DATABASE / SCHEMA making the new object current as
 * Snowflake does, the privileges needed (CREATE <object> on the account or schema; OWNERSHIP to
 * drop), and cascading drops.
 */

import type { SecretRecord } from '../../account/model';
import { displayName, objectKey, quoteIfNeeded, schemaKey } from '../../account/names';
import type { ResultSet } from '../../contract';
import type { Name, ObjectKind, Properties } from '../ast';
import { resolveObjectName, resolveSchemaName, singleName, type StatementContext } from '../context';
import { SqlErrors } from '../errors';
import { booleanProperty, checkProperties, identifierProperty, listProperty, optionsProperty, stringProperty } from '../properties';
import { statusResult } from '../result';
import { createImageRepository, dropImageRepository } from './registry';
import { requireDatabase, requireSchemaPrivilege } from './schemaAccess';

const protectedRoles = new Set(['ACCOUNTADMIN', 'SECURITYADMIN', 'SYSADMIN', 'USERADMIN', 'ORGADMIN', 'PUBLIC']);

export function createObject(ctx: StatementContext, objects: ObjectKind, name: Name, orReplace: boolean, ifNotExists: boolean, properties: Properties): ResultSet {
  switch (objects) {
    case 'IMAGE REPOSITORY':
      return createImageRepository(ctx, name, ifNotExists, orReplace, properties);
    case 'DATABASE':
      return createDatabase(ctx, singleName(name), orReplace, ifNotExists, properties);
    case 'SCHEMA':
      return createSchema(ctx, name, orReplace, ifNotExists, properties);
    case 'STAGE':
      return createStage(ctx, name, orReplace, ifNotExists, properties);
    case 'SECRET':
      return createSecret(ctx, name, orReplace, ifNotExists, properties);
    case 'ROLE':
      return createRole(ctx, singleName(name), orReplace, ifNotExists, properties);
    case 'WAREHOUSE':
      return createWarehouse(ctx, singleName(name), orReplace, ifNotExists, properties);
  }
}

function requireAccountPrivilege(ctx: StatementContext, privilege: string): void {
  if (!ctx.access.hasOnAccount(privilege) && !ctx.access.canManageGrants()) {
    throw SqlErrors.insufficientPrivileges(`account '${ctx.store.state.name}'`);
  }
}

function existing(ifNotExists: boolean, orReplace: boolean, name: string, drop: () => void): ResultSet | undefined {
  if (ifNotExists) return statusResult(`${name} already exists, statement succeeded.`);
  if (!orReplace) throw SqlErrors.alreadyExists('Object', name);
  drop();
  return undefined;
}

function createDatabase(ctx: StatementContext, name: string, orReplace: boolean, ifNotExists: boolean, properties: Properties): ResultSet {
  requireAccountPrivilege(ctx, 'CREATE DATABASE');
  checkProperties(properties, ['COMMENT', 'DATA_RETENTION_TIME_IN_DAYS'], 'DATABASE');
  if (ctx.store.state.databases[name]) {
    const early = existing(ifNotExists, orReplace, quoteIfNeeded(name), () => ctx.store.removeDatabase(name));
    if (early) return early;
  }
  const comment = stringProperty(properties, 'COMMENT');
  const role = ctx.access.role;
  ctx.store.state.databases[name] = { name, owner: role, createdOn: ctx.now, ...(comment !== undefined ? { comment } : {}) };
  ctx.store.grant('OWNERSHIP', 'DATABASE', name, role, role);
  ctx.store.state.schemas[schemaKey(name, 'PUBLIC')] = { database: name, name: 'PUBLIC', owner: role, createdOn: ctx.now };
  ctx.store.grant('OWNERSHIP', 'SCHEMA', schemaKey(name, 'PUBLIC'), role, role);
  ctx.session.database = name;
  ctx.session.schema = 'PUBLIC';
  return statusResult(`Database ${quoteIfNeeded(name)} successfully created.`);
}

function createSchema(ctx: StatementContext, name: Name, orReplace: boolean, ifNotExists: boolean, properties: Properties): ResultSet {
  const { database, schema } = resolveSchemaName(ctx, name, 'CREATE SCHEMA');
  requireDatabase(ctx, database);
  if (!ctx.access.has('DATABASE', database, 'CREATE SCHEMA')) throw SqlErrors.insufficientPrivileges(`database '${quoteIfNeeded(database)}'`);
  checkProperties(properties, ['COMMENT', 'DATA_RETENTION_TIME_IN_DAYS'], 'SCHEMA');
  const key = schemaKey(database, schema);
  if (ctx.store.state.schemas[key]) {
    const early = existing(ifNotExists, orReplace, quoteIfNeeded(schema), () => ctx.store.removeSchema(database, schema));
    if (early) return early;
  }
  const comment = stringProperty(properties, 'COMMENT');
  ctx.store.state.schemas[key] = { database, name: schema, owner: ctx.access.role, createdOn: ctx.now, ...(comment !== undefined ? { comment } : {}) };
  ctx.store.grant('OWNERSHIP', 'SCHEMA', key, ctx.access.role, ctx.access.role);
  ctx.session.database = database;
  ctx.session.schema = schema;
  return statusResult(`Schema ${quoteIfNeeded(schema)} successfully created.`);
}

function createStage(ctx: StatementContext, name: Name, orReplace: boolean, ifNotExists: boolean, properties: Properties): ResultSet {
  const qualified = resolveObjectName(ctx, name, 'CREATE STAGE');
  requireSchemaPrivilege(ctx, qualified.database, qualified.schema, 'CREATE STAGE');
  if (properties.has('URL') || properties.has('STORAGE_INTEGRATION')) throw SqlErrors.unsupported('external stages');
  checkProperties(properties, ['ENCRYPTION', 'DIRECTORY', 'COMMENT', 'FILE_FORMAT', 'COPY_OPTIONS'], 'STAGE');
  const key = objectKey(qualified);
  if (ctx.store.state.stages[key]) {
    const early = existing(ifNotExists, orReplace, quoteIfNeeded(qualified.name), () => ctx.store.removeSchemaObject('stages', key));
    if (early) return early;
  }
  const directory = optionsProperty(properties, 'DIRECTORY');
  const encryption = optionsProperty(properties, 'ENCRYPTION')?.get('TYPE');
  const comment = stringProperty(properties, 'COMMENT');
  ctx.store.state.stages[key] = {
    ...qualified,
    owner: ctx.access.role,
    createdOn: ctx.now,
    directoryEnabled: directory ? (booleanProperty(directory, 'ENABLE') ?? false) : false,
    encryption: encryption?.kind === 'string' ? encryption.value.toUpperCase() : 'SNOWFLAKE_FULL',
    files: [],
    ...(comment !== undefined ? { comment } : {}),
  };
  ctx.store.grant('OWNERSHIP', 'STAGE', key, ctx.access.role, ctx.access.role);
  return statusResult(`Stage area ${quoteIfNeeded(qualified.name)} successfully created.`);
}

function createSecret(ctx: StatementContext, name: Name, orReplace: boolean, ifNotExists: boolean, properties: Properties): ResultSet {
  const qualified = resolveObjectName(ctx, name, 'CREATE SECRET');
  requireSchemaPrivilege(ctx, qualified.database, qualified.schema, 'CREATE SECRET');
  checkProperties(properties, ['TYPE', 'USERNAME', 'PASSWORD', 'SECRET_STRING', 'API_AUTHENTICATION', 'OAUTH_SCOPES', 'OAUTH_REFRESH_TOKEN', 'OAUTH_REFRESH_TOKEN_EXPIRY_TIME', 'COMMENT'], 'SECRET');
  const type = identifierProperty(properties, 'TYPE');
  if (type !== 'PASSWORD' && type !== 'GENERIC_STRING' && type !== 'OAUTH2') {
    throw type === undefined ? SqlErrors.missingProperty('CREATE SECRET', 'TYPE') : SqlErrors.invalidValue(`invalid value '${type}' for property 'TYPE'`);
  }
  const key = objectKey(qualified);
  if (ctx.store.state.secrets[key]) {
    const early = existing(ifNotExists, orReplace, quoteIfNeeded(qualified.name), () => ctx.store.removeSchemaObject('secrets', key));
    if (early) return early;
  }
  const username = stringProperty(properties, 'USERNAME');
  const scopes = listProperty(properties, 'OAUTH_SCOPES', false);
  const integration = identifierProperty(properties, 'API_AUTHENTICATION');
  const comment = stringProperty(properties, 'COMMENT');
  // Secret values (PASSWORD, SECRET_STRING, tokens) are accepted and never stored: nothing reads them back.
  const secret: SecretRecord = {
    ...qualified,
    owner: ctx.access.role,
    createdOn: ctx.now,
    type: type,
    ...(username !== undefined ? { username } : {}),
    ...(scopes !== undefined ? { oauthScopes: scopes } : {}),
    ...(integration !== undefined ? { apiAuthentication: integration } : {}),
    ...(comment !== undefined ? { comment } : {}),
  };
  ctx.store.state.secrets[key] = secret;
  ctx.store.grant('OWNERSHIP', 'SECRET', key, ctx.access.role, ctx.access.role);
  return statusResult(`Secret ${quoteIfNeeded(qualified.name)} successfully created.`);
}

function createRole(ctx: StatementContext, name: string, orReplace: boolean, ifNotExists: boolean, properties: Properties): ResultSet {
  if (!ctx.access.canManageGrants() && !ctx.access.roles.has('USERADMIN') && !ctx.access.hasOnAccount('CREATE ROLE')) {
    throw SqlErrors.insufficientPrivileges(`account '${ctx.store.state.name}'`);
  }
  checkProperties(properties, ['COMMENT'], 'ROLE');
  if (ctx.store.state.roles[name]) {
    if (protectedRoles.has(name) && orReplace) throw SqlErrors.invalidValue(`System role ${name} cannot be replaced.`);
    const early = existing(ifNotExists, orReplace, name, () => ctx.store.dropRole(name));
    if (early) return early;
  }
  const comment = stringProperty(properties, 'COMMENT');
  ctx.store.state.roles[name] = { name, owner: ctx.access.role, createdOn: ctx.now, ...(comment !== undefined ? { comment } : {}) };
  ctx.store.grant('OWNERSHIP', 'ROLE', name, ctx.access.role, ctx.access.role);
  return statusResult(`Role ${quoteIfNeeded(name)} successfully created.`);
}

function createWarehouse(ctx: StatementContext, name: string, orReplace: boolean, ifNotExists: boolean, properties: Properties): ResultSet {
  requireAccountPrivilege(ctx, 'CREATE WAREHOUSE');
  if (ctx.store.state.warehouses[name]) {
    const early = existing(ifNotExists, orReplace, quoteIfNeeded(name), () => undefined);
    if (early) return early;
  }
  const size = identifierProperty(properties, 'WAREHOUSE_SIZE') ?? 'X-SMALL';
  const comment = stringProperty(properties, 'COMMENT');
  ctx.store.state.warehouses[name] = { name, size: size.replace(/^X?(SMALL|LARGE)$/i, (whole) => whole.toUpperCase()), owner: ctx.access.role, createdOn: ctx.now, ...(comment !== undefined ? { comment } : {}) };
  ctx.store.grant('OWNERSHIP', 'WAREHOUSE', name, ctx.access.role, ctx.access.role);
  ctx.session.warehouse = name;
  return statusResult(`Warehouse ${quoteIfNeeded(name)} successfully created.`);
}

export function dropObject(ctx: StatementContext, objects: ObjectKind, name: Name, ifExists: boolean): ResultSet {
  const dropped = (shown: string): ResultSet => statusResult(`${shown} successfully dropped.`);
  const missing = (kind: string, shown: string, last: string): ResultSet => {
    if (ifExists) return statusResult(`Drop statement executed successfully (${last} already dropped).`);
    throw SqlErrors.doesNotExist(kind, shown);
  };
  switch (objects) {
    case 'IMAGE REPOSITORY':
      return dropImageRepository(ctx, name, ifExists);
    case 'DATABASE': {
      const database = singleName(name);
      if (!ctx.store.state.databases[database] || !ctx.access.canSee('DATABASE', database)) return missing('Database', quoteIfNeeded(database), quoteIfNeeded(database));
      if (!ctx.access.owns('DATABASE', database)) throw SqlErrors.insufficientPrivileges(`database '${quoteIfNeeded(database)}'`);
      ctx.store.removeDatabase(database);
      return dropped(quoteIfNeeded(database));
    }
    case 'SCHEMA': {
      const { database, schema } = resolveSchemaName(ctx, name, 'DROP SCHEMA');
      const key = schemaKey(database, schema);
      if (!ctx.store.state.schemas[key] || !ctx.access.canSee('SCHEMA', key)) return missing('Schema', key, quoteIfNeeded(schema));
      if (!ctx.access.owns('SCHEMA', key)) throw SqlErrors.insufficientPrivileges(`schema '${key}'`);
      ctx.store.removeSchema(database, schema);
      return dropped(quoteIfNeeded(schema));
    }
    case 'STAGE':
    case 'SECRET': {
      const kind = objects === 'STAGE' ? 'stages' : 'secrets';
      const type = objects === 'STAGE' ? 'STAGE' : 'SECRET';
      const qualified = resolveObjectName(ctx, name, `DROP ${objects}`);
      const key = objectKey(qualified);
      if (!ctx.store.state[kind][key] || !ctx.access.canSee(type, key)) return missing(objects === 'STAGE' ? 'Stage' : 'Secret', displayName(qualified), quoteIfNeeded(qualified.name));
      if (!ctx.access.owns(type, key)) throw SqlErrors.insufficientPrivileges(`${objects.toLowerCase()} '${key}'`);
      ctx.store.removeSchemaObject(kind, key);
      return dropped(quoteIfNeeded(qualified.name));
    }
    case 'ROLE': {
      const role = singleName(name);
      if (!ctx.store.state.roles[role]) return missing('Role', role, role);
      if (protectedRoles.has(role)) throw SqlErrors.invalidValue(`System role ${role} cannot be dropped.`);
      if (!ctx.access.owns('ROLE', role) && !ctx.access.canManageGrants()) throw SqlErrors.insufficientPrivileges(`role '${role}'`);
      if (role === ctx.access.role) throw SqlErrors.cannotDropCurrentRole(role);
      ctx.store.dropRole(role);
      return dropped(role);
    }
    case 'WAREHOUSE': {
      const warehouse = singleName(name);
      if (!ctx.store.state.warehouses[warehouse] || !ctx.access.canSee('WAREHOUSE', warehouse)) return missing('Warehouse', warehouse, warehouse);
      if (!ctx.access.owns('WAREHOUSE', warehouse)) throw SqlErrors.insufficientPrivileges(`warehouse '${warehouse}'`);
      delete ctx.store.state.warehouses[warehouse];
      ctx.store.dropGrantsOn('WAREHOUSE', warehouse);
      return dropped(warehouse);
    }
  }
}
