/**
 * Listings of the account's other objects: SHOW STAGES, SHOW SECRETS, SHOW DATABASES, SHOW SCHEMAS,
 * SHOW WAREHOUSES, SHOW ROLES, SHOW USERS, SHOW [EXTERNAL ACCESS] INTEGRATIONS, and LIST @stage.
 *
 * Owns: their columns (Snowflake's leading columns in Snowflake's order; the long tails of
 * SHOW WAREHOUSES and SHOW USERS are cut to what a client reads) and visibility (objects the role
 * holds a privilege on; every role sees the list of roles).
 */

import { createHash } from 'node:crypto';
import type { ResultSet } from '../../contract';
import type { InClause, ListingKind, ShowFilter, StageReference } from '../ast';
import { currentDatabase, currentSchema, type StatementContext } from '../context';
import { SqlErrors } from '../errors';
import { applyFilter, booleanCell, byName, Columns, numberCell, resultSet, textCell, timeCell, type Cell } from '../result';
import { canSeeSchema, requireDatabase, schemaScope, visibleObjects } from './schemaAccess';
import { readableStage } from './specSource';

export function showObjects(ctx: StatementContext, objects: ListingKind, filter: ShowFilter, scope: InClause | undefined): ResultSet {
  switch (objects) {
    case 'STAGES':
      return showStages(ctx, filter, scope);
    case 'SECRETS':
      return showSecrets(ctx, filter, scope);
    case 'DATABASES':
      return showDatabases(ctx, filter);
    case 'SCHEMAS':
      return showSchemas(ctx, filter, scope);
    case 'WAREHOUSES':
      return showWarehouses(ctx, filter);
    case 'ROLES':
      return showRoles(ctx, filter);
    case 'USERS':
      return showUsers(ctx, filter);
    case 'INTEGRATIONS':
      return showIntegrations(ctx, filter);
  }
}

function showStages(ctx: StatementContext, filter: ShowFilter, scope: InClause | undefined): ResultSet {
  const matches = schemaScope(ctx, scope, 'SHOW STAGES');
  const columns = [
    Columns.time('created_on'),
    Columns.text('name'),
    Columns.text('database_name'),
    Columns.text('schema_name'),
    Columns.text('url'),
    Columns.text('has_credentials'),
    Columns.text('has_encryption_key'),
    Columns.text('owner'),
    Columns.text('comment'),
    Columns.text('region'),
    Columns.text('type'),
    Columns.text('cloud'),
    Columns.text('notification_channel'),
    Columns.text('storage_integration'),
    Columns.text('endpoint'),
    Columns.text('owner_role_type'),
    Columns.text('directory_enabled'),
  ];
  const stages = visibleObjects(ctx, 'STAGE', ctx.store.state.stages, matches);
  const rows = applyFilter(stages, (stage) => stage.name, filter).map((stage): Cell[] => [
    timeCell(stage.createdOn),
    stage.name,
    stage.database,
    stage.schema,
    '',
    'N',
    'N',
    stage.owner,
    textCell(stage.comment),
    null,
    'INTERNAL',
    null,
    null,
    null,
    null,
    'ROLE',
    stage.directoryEnabled ? 'Y' : 'N',
  ]);
  return resultSet(columns, rows);
}

function showSecrets(ctx: StatementContext, filter: ShowFilter, scope: InClause | undefined): ResultSet {
  const matches = schemaScope(ctx, scope, 'SHOW SECRETS');
  const columns = [
    Columns.time('created_on'),
    Columns.text('name'),
    Columns.text('schema_name'),
    Columns.text('database_name'),
    Columns.text('owner'),
    Columns.text('comment'),
    Columns.text('secret_type'),
    Columns.text('oauth_scopes'),
    Columns.text('owner_role_type'),
  ];
  const secrets = visibleObjects(ctx, 'SECRET', ctx.store.state.secrets, matches);
  const rows = applyFilter(secrets, (secret) => secret.name, filter).map((secret): Cell[] => [
    timeCell(secret.createdOn),
    secret.name,
    secret.schema,
    secret.database,
    secret.owner,
    textCell(secret.comment),
    secret.type,
    secret.oauthScopes ? JSON.stringify(secret.oauthScopes) : null,
    'ROLE',
  ]);
  return resultSet(columns, rows);
}

function showDatabases(ctx: StatementContext, filter: ShowFilter): ResultSet {
  const columns = [
    Columns.time('created_on'),
    Columns.text('name'),
    Columns.text('is_default'),
    Columns.text('is_current'),
    Columns.text('origin'),
    Columns.text('owner'),
    Columns.text('comment'),
    Columns.text('options'),
    Columns.text('retention_time'),
    Columns.text('kind'),
    Columns.text('budget'),
    Columns.text('owner_role_type'),
  ];
  const current = currentDatabase(ctx);
  const databases = Object.values(ctx.store.state.databases)
    .filter((database) => ctx.access.canSee('DATABASE', database.name) || ctx.store.schemasOf(database.name).some((schema) => canSeeSchema(ctx, database.name, schema)))
    .sort(byName((database) => database.name));
  const rows = applyFilter(databases, (database) => database.name, filter).map((database): Cell[] => [
    timeCell(database.createdOn),
    database.name,
    'N',
    database.name === current ? 'Y' : 'N',
    '',
    database.owner,
    database.comment ?? '',
    '',
    '1',
    'STANDARD',
    null,
    'ROLE',
  ]);
  return resultSet(columns, rows);
}

function showSchemas(ctx: StatementContext, filter: ShowFilter, scope: InClause | undefined): ResultSet {
  const columns = [
    Columns.time('created_on'),
    Columns.text('name'),
    Columns.text('is_default'),
    Columns.text('is_current'),
    Columns.text('database_name'),
    Columns.text('owner'),
    Columns.text('comment'),
    Columns.text('options'),
    Columns.text('retention_time'),
    Columns.text('owner_role_type'),
    Columns.text('budget'),
  ];
  // SHOW SCHEMAS lists the schemas of a database: the one named by IN, else the current one.
  let database: string | undefined = scope === undefined ? currentDatabase(ctx) : undefined;
  if (scope?.kind === 'database' || scope?.kind === 'schema') {
    database = scope.name ? scope.name.parts[scope.name.parts.length - 1] : currentDatabase(ctx);
    if (database !== undefined) requireDatabase(ctx, database);
  }
  const schemas = Object.values(ctx.store.state.schemas)
    .filter((schema) => (database === undefined || schema.database === database) && canSeeSchema(ctx, schema.database, schema.name))
    .sort(byName((schema) => schema.name));
  const current = currentSchema(ctx);
  const rows = applyFilter(schemas, (schema) => schema.name, filter).map((schema): Cell[] => [
    timeCell(schema.createdOn),
    schema.name,
    'N',
    schema.name === current && schema.database === currentDatabase(ctx) ? 'Y' : 'N',
    schema.database,
    schema.owner,
    schema.comment ?? '',
    '',
    '1',
    'ROLE',
    null,
  ]);
  return resultSet(columns, rows);
}

function showWarehouses(ctx: StatementContext, filter: ShowFilter): ResultSet {
  const names = ['name', 'state', 'type', 'size', 'min_cluster_count', 'max_cluster_count', 'started_clusters', 'running', 'queued', 'is_default', 'is_current', 'auto_suspend', 'auto_resume'];
  const columns = [
    ...names.map((name) => (['min_cluster_count', 'max_cluster_count', 'started_clusters', 'running', 'queued', 'auto_suspend'].includes(name) ? Columns.number(name) : Columns.text(name))),
    Columns.time('created_on'),
    Columns.time('resumed_on'),
    Columns.time('updated_on'),
    Columns.text('owner'),
    Columns.text('comment'),
    Columns.text('owner_role_type'),
  ];
  const warehouses = Object.values(ctx.store.state.warehouses)
    .filter((warehouse) => ctx.access.canSee('WAREHOUSE', warehouse.name))
    .sort(byName((warehouse) => warehouse.name));
  const rows = applyFilter(warehouses, (warehouse) => warehouse.name, filter).map((warehouse): Cell[] => [
    warehouse.name,
    'SUSPENDED',
    'STANDARD',
    warehouse.size,
    '1',
    '1',
    '0',
    '0',
    '0',
    'N',
    warehouse.name === ctx.session.warehouse ? 'Y' : 'N',
    '600',
    'true',
    timeCell(warehouse.createdOn),
    timeCell(warehouse.createdOn),
    timeCell(warehouse.createdOn),
    warehouse.owner,
    warehouse.comment ?? '',
    'ROLE',
  ]);
  return resultSet(columns, rows);
}

function showRoles(ctx: StatementContext, filter: ShowFilter): ResultSet {
  const columns = [
    Columns.time('created_on'),
    Columns.text('name'),
    Columns.text('is_default'),
    Columns.text('is_current'),
    Columns.text('is_inherited'),
    Columns.number('assigned_to_users'),
    Columns.number('granted_to_roles'),
    Columns.number('granted_roles'),
    Columns.text('owner'),
    Columns.text('comment'),
  ];
  const state = ctx.store.state;
  const roles = Object.values(state.roles).sort(byName((role) => role.name));
  const rows = applyFilter(roles, (role) => role.name, filter).map((role): Cell[] => [
    timeCell(role.createdOn),
    role.name,
    'N',
    role.name === ctx.access.role ? 'Y' : 'N',
    role.name !== ctx.access.role && ctx.access.roles.has(role.name) ? 'Y' : 'N',
    numberCell(state.roleGrants.filter((grant) => grant.role === role.name && grant.granteeType === 'USER').length),
    numberCell(state.roleGrants.filter((grant) => grant.role === role.name && grant.granteeType === 'ROLE').length),
    numberCell(state.roleGrants.filter((grant) => grant.granteeType === 'ROLE' && grant.grantee === role.name).length),
    role.owner,
    role.comment ?? '',
  ]);
  return resultSet(columns, rows);
}

function showUsers(ctx: StatementContext, filter: ShowFilter): ResultSet {
  const columns = [
    Columns.text('name'),
    Columns.time('created_on'),
    Columns.text('login_name'),
    Columns.text('display_name'),
    Columns.text('comment'),
    Columns.text('disabled'),
    Columns.text('default_warehouse'),
    Columns.text('default_namespace'),
    Columns.text('default_role'),
    Columns.text('has_password'),
    Columns.text('has_rsa_public_key'),
    Columns.text('type'),
  ];
  const users = Object.values(ctx.store.state.users)
    .filter((user) => ctx.access.canManageGrants() || user.name.toUpperCase() === ctx.session.user.toUpperCase())
    .sort(byName((user) => user.name));
  const rows = applyFilter(users, (user) => user.name, filter).map((user): Cell[] => [
    user.name,
    timeCell(user.createdOn),
    user.loginName,
    user.name,
    user.comment ?? '',
    booleanCell(user.disabled ?? false),
    textCell(user.defaultWarehouse),
    user.defaultDatabase ? `${user.defaultDatabase}${user.defaultSchema ? `.${user.defaultSchema}` : ''}` : null,
    user.defaultRole,
    booleanCell(user.password !== undefined),
    booleanCell((user.rsaPublicKeys?.length ?? 0) > 0),
    'PERSON',
  ]);
  return resultSet(columns, rows);
}

function showIntegrations(ctx: StatementContext, filter: ShowFilter): ResultSet {
  const columns = [Columns.text('name'), Columns.text('type'), Columns.text('category'), Columns.text('enabled'), Columns.text('comment'), Columns.time('created_on')];
  const integrations = Object.values(ctx.store.state.integrations)
    .filter((integration) => ctx.access.canSee('INTEGRATION', integration.name))
    .sort(byName((integration) => integration.name));
  const rows = applyFilter(integrations, (integration) => integration.name, filter).map((integration): Cell[] => [
    integration.name,
    'EXTERNAL_ACCESS',
    'SECURITY',
    booleanCell(integration.enabled),
    textCell(integration.comment),
    timeCell(integration.createdOn),
  ]);
  return resultSet(columns, rows);
}

/** LIST @stage[/path] [PATTERN = '<regex>']. */
export function listStage(ctx: StatementContext, reference: StageReference, pattern: string | undefined): ResultSet {
  const stage = readableStage(ctx, reference, 'LIST');
  let regex: RegExp | undefined;
  try {
    regex = pattern !== undefined ? new RegExp(`^(?:${pattern})$`) : undefined;
  } catch {
    throw SqlErrors.invalidValue(`invalid value '${pattern ?? ''}' for PATTERN`);
  }
  const prefix = reference.path === '' ? '' : `${reference.path}/`;
  const stageName = stage.name.toLowerCase();
  const rows = stage.files
    .filter((file) => file.path.startsWith(prefix) || file.path === reference.path)
    .map((file) => ({ file, name: `${stageName}/${file.path}` }))
    .filter(({ name }) => !regex || regex.test(name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ file, name }): Cell[] => [
      name,
      String(Buffer.byteLength(file.content)),
      createHash('md5').update(file.content).digest('hex'),
      new Date(file.lastModified).toUTCString(),
    ]);
  return resultSet([Columns.text('name'), Columns.number('size'), Columns.text('md5'), Columns.text('last_modified')], rows);
}
