/**
 * GRANT / REVOKE (privileges on objects, roles to roles and users, service roles to roles) and
 * SHOW GRANTS (TO ROLE, TO USER, OF ROLE, ON <object>, ON ACCOUNT, TO / OF SERVICE ROLE, and the
 * bare form = the current user's roles).
 *
 * Owns: the privileges each object kind accepts (ALL expands to them), who may grant (the owner, or
 * a role with MANAGE GRANTS), the rule that a service's ownership cannot be transferred, and the
 * SHOW GRANTS columns (`created_on, privilege, granted_on, name, granted_to, grantee_name,
 * grant_option, granted_by`; role memberships: `created_on, role, granted_to, grantee_name,
 * granted_by`).
 */

import { objectKey, quoteIfNeeded, schemaKey } from '../../account/names';
import type { ResultSet } from '../../contract';
import type { GrantObjectKind, GrantTarget, Name } from '../ast';
import { resolveObjectName, resolveSchemaName, singleName, type StatementContext } from '../context';
import { SqlErrors } from '../errors';
import { booleanCell, Columns, resultSet, statusResult, timeCell, type Cell } from '../result';
import { requireService } from './serviceLookup';
import { findUser } from './session';

const privilegesByKind: Readonly<Record<GrantObjectKind, readonly string[]>> = {
  ACCOUNT: ['CREATE COMPUTE POOL', 'BIND SERVICE ENDPOINT', 'CREATE DATABASE', 'CREATE ROLE', 'CREATE USER', 'CREATE WAREHOUSE', 'CREATE INTEGRATION', 'MANAGE GRANTS', 'MONITOR USAGE', 'EXECUTE TASK'],
  DATABASE: ['USAGE', 'MONITOR', 'CREATE SCHEMA', 'MODIFY'],
  SCHEMA: ['USAGE', 'MONITOR', 'MODIFY', 'CREATE SERVICE', 'CREATE STAGE', 'CREATE SECRET', 'CREATE IMAGE REPOSITORY', 'CREATE FUNCTION', 'CREATE GATEWAY', 'CREATE TABLE', 'CREATE VIEW'],
  WAREHOUSE: ['USAGE', 'OPERATE', 'MONITOR', 'MODIFY'],
  COMPUTE_POOL: ['USAGE', 'MONITOR', 'OPERATE', 'MODIFY'],
  SERVICE: ['USAGE', 'MONITOR', 'OPERATE'],
  IMAGE_REPOSITORY: ['READ', 'WRITE', 'SERVICE READ', 'SERVICE WRITE'],
  STAGE: ['READ', 'WRITE', 'USAGE'],
  SECRET: ['READ', 'USAGE'],
  INTEGRATION: ['USAGE'],
  // The gateway pages name USAGE (call it, see its spec), MODIFY (ALTER it) and OWNERSHIP.
  GATEWAY: ['USAGE', 'MODIFY'],
  ROLE: [],
  USER: ['MONITOR'],
};

const kindWords: Readonly<Record<GrantObjectKind, string>> = {
  ACCOUNT: 'account',
  DATABASE: 'Database',
  SCHEMA: 'Schema',
  WAREHOUSE: 'Warehouse',
  COMPUTE_POOL: 'Compute pool',
  SERVICE: 'Service',
  IMAGE_REPOSITORY: 'Image repository',
  STAGE: 'Stage',
  SECRET: 'Secret',
  INTEGRATION: 'Integration',
  GATEWAY: 'Gateway',
  ROLE: 'Role',
  USER: 'User',
};

/** The object's grant key, after checking that it exists and the role can see it. */
function grantObject(ctx: StatementContext, kind: GrantObjectKind, name: Name | undefined, operation: string): string {
  const state = ctx.store.state;
  if (kind === 'ACCOUNT') return state.name;
  if (!name) throw SqlErrors.missingProperty(operation, 'an object name');
  let key: string;
  let exists: boolean;
  switch (kind) {
    case 'SCHEMA': {
      const schema = resolveSchemaName(ctx, name, operation);
      key = schemaKey(schema.database, schema.schema);
      exists = Boolean(state.schemas[key]);
      break;
    }
    case 'SERVICE':
    case 'IMAGE_REPOSITORY':
    case 'STAGE':
    case 'SECRET':
    case 'GATEWAY': {
      key = objectKey(resolveObjectName(ctx, name, operation));
      const table: Readonly<Record<string, unknown>> =
        kind === 'SERVICE' ? state.services
        : kind === 'IMAGE_REPOSITORY' ? state.imageRepositories
        : kind === 'STAGE' ? state.stages
        : kind === 'GATEWAY' ? (state.gateways ?? {})
        : state.secrets;
      exists = Boolean(table[key]);
      break;
    }
    default: {
      key = singleName(name);
      const table = kind === 'DATABASE' ? state.databases : kind === 'WAREHOUSE' ? state.warehouses : kind === 'COMPUTE_POOL' ? state.computePools : kind === 'INTEGRATION' ? state.integrations : kind === 'ROLE' ? state.roles : state.users;
      exists = Boolean(table[key]);
    }
  }
  if (!exists || (kind !== 'ROLE' && kind !== 'USER' && !ctx.access.canSee(kind, key))) {
    throw SqlErrors.doesNotExist(kindWords[kind], key);
  }
  return key;
}

function mayGrantOn(ctx: StatementContext, kind: GrantObjectKind, key: string): boolean {
  return ctx.access.canManageGrants() || (kind !== 'ACCOUNT' && ctx.access.owns(kind, key));
}

function requireRole(ctx: StatementContext, role: string): void {
  if (!ctx.store.state.roles[role]) throw SqlErrors.doesNotExist('Role', role);
}

export function grantPrivileges(ctx: StatementContext, revoke: boolean, privileges: readonly string[], kind: GrantObjectKind, name: Name | undefined, role: string, grantOption: boolean): ResultSet {
  const operation = revoke ? 'REVOKE' : 'GRANT';
  const key = grantObject(ctx, kind, name, operation);
  requireRole(ctx, role);
  if (!mayGrantOn(ctx, kind, key)) {
    throw SqlErrors.insufficientPrivileges(kind === 'ACCOUNT' ? `account '${key}'` : `${kindWords[kind].toLowerCase()} '${key}'`);
  }
  const known = privilegesByKind[kind];
  const expanded = privileges.flatMap((privilege) => (privilege === 'ALL' ? known : [privilege]));
  for (const privilege of expanded) {
    if (privilege !== 'OWNERSHIP' && !known.includes(privilege)) {
      throw SqlErrors.invalidValue(`Invalid privilege ${privilege} for ${kind.replace('_', ' ')}.`);
    }
  }
  const type = kind;
  for (const privilege of expanded) {
    if (privilege === 'OWNERSHIP') {
      if (revoke) throw SqlErrors.invalidValue('OWNERSHIP cannot be revoked; grant it to another role instead.');
      if (kind === 'SERVICE') throw SqlErrors.ownershipTransfer();
      ctx.store.setOwner(type, key, role, ctx.access.role);
      setRecordOwner(ctx, kind, key, role);
    } else if (revoke) {
      ctx.store.revoke(privilege, type, key, role);
    } else {
      ctx.store.grant(privilege, type, key, role, ctx.access.role, grantOption);
    }
  }
  return statusResult('Statement executed successfully.');
}

function setRecordOwner(ctx: StatementContext, kind: GrantObjectKind, key: string, role: string): void {
  const state = ctx.store.state;
  const record =
    kind === 'DATABASE' ? state.databases[key]
    : kind === 'SCHEMA' ? state.schemas[key]
    : kind === 'WAREHOUSE' ? state.warehouses[key]
    : kind === 'COMPUTE_POOL' ? state.computePools[key]
    : kind === 'IMAGE_REPOSITORY' ? state.imageRepositories[key]
    : kind === 'STAGE' ? state.stages[key]
    : kind === 'SECRET' ? state.secrets[key]
    : kind === 'GATEWAY' ? state.gateways?.[key]
    : kind === 'INTEGRATION' ? state.integrations[key]
    : kind === 'ROLE' ? state.roles[key]
    : undefined;
  if (record) record.owner = role;
}

export function grantRole(ctx: StatementContext, revoke: boolean, role: string, granteeType: 'ROLE' | 'USER', grantee: string): ResultSet {
  requireRole(ctx, role);
  let granteeName = grantee;
  if (granteeType === 'ROLE') {
    requireRole(ctx, grantee);
  } else {
    const user = findUser(ctx.store, grantee);
    if (!user) throw SqlErrors.doesNotExist('User', grantee);
    granteeName = user.name;
  }
  if (!ctx.access.canManageGrants() && !ctx.access.owns('ROLE', role)) {
    throw SqlErrors.insufficientPrivileges(`role '${role}'`);
  }
  if (revoke) {
    ctx.store.revokeRole(role, granteeType, granteeName);
  } else {
    if (granteeType === 'ROLE' && (role === grantee || ctx.store.inheritedRoles(role).has(grantee))) {
      throw SqlErrors.invalidValue(`Granting role '${role}' to role '${grantee}' would create a cycle in the role hierarchy.`);
    }
    ctx.store.grantRole(role, granteeType, granteeName, ctx.access.role);
  }
  return statusResult('Statement executed successfully.');
}

export function grantServiceRole(ctx: StatementContext, revoke: boolean, serviceName: Name, serviceRole: string, role: string): ResultSet {
  const found = requireService(ctx, serviceName, revoke ? 'REVOKE SERVICE ROLE' : 'GRANT SERVICE ROLE');
  const roles = ['ALL_ENDPOINTS_USAGE', ...found.service.current.spec.serviceRoles.map((candidate) => candidate.name.toUpperCase())];
  if (!roles.includes(serviceRole.toUpperCase())) {
    throw SqlErrors.doesNotExist('Service role', `${found.key}!${serviceRole}`);
  }
  requireRole(ctx, role);
  if (!ctx.access.owns('SERVICE', found.key) && !ctx.access.canManageGrants()) {
    throw SqlErrors.insufficientPrivileges(`service '${found.key}'`);
  }
  const name = serviceRole.toUpperCase();
  const grants = ctx.store.state.serviceRoleGrants;
  const index = grants.findIndex((grant) => grant.service === found.key && grant.serviceRole === name && grant.grantee === role);
  if (revoke) {
    if (index !== -1) grants.splice(index, 1);
  } else if (index === -1) {
    grants.push({ service: found.key, serviceRole: name, grantee: role, grantedBy: ctx.access.role, createdOn: ctx.now });
  }
  return statusResult('Statement executed successfully.');
}

// ---- SHOW GRANTS ------------------------------------------------------------------------------------------

const privilegeColumns = [
  Columns.time('created_on'),
  Columns.text('privilege'),
  Columns.text('granted_on'),
  Columns.text('name'),
  Columns.text('granted_to'),
  Columns.text('grantee_name'),
  Columns.text('grant_option'),
  Columns.text('granted_by'),
];

const membershipColumns = [Columns.time('created_on'), Columns.text('role'), Columns.text('granted_to'), Columns.text('grantee_name'), Columns.text('granted_by')];

function sorted(rows: Cell[][]): Cell[][] {
  return rows.sort((a, b) => String(a[1]).localeCompare(String(b[1])) || String(a[3]).localeCompare(String(b[3])));
}

export function showGrants(ctx: StatementContext, target: GrantTarget): ResultSet {
  const state = ctx.store.state;
  switch (target.kind) {
    case 'currentUser':
    case 'toUser': {
      const user = findUser(ctx.store, target.kind === 'toUser' ? target.user : ctx.session.user);
      if (!user) throw SqlErrors.doesNotExist('User', target.kind === 'toUser' ? target.user : ctx.session.user);
      if (user.name.toUpperCase() !== ctx.session.user.toUpperCase() && !ctx.access.canManageGrants()) {
        throw SqlErrors.insufficientPrivileges(`user '${user.name}'`);
      }
      const rows = state.roleGrants
        .filter((grant) => grant.granteeType === 'USER' && grant.grantee === user.name)
        .map((grant): Cell[] => [timeCell(grant.createdOn), grant.role, 'USER', grant.grantee, grant.grantedBy]);
      return resultSet(membershipColumns, rows);
    }
    case 'ofRole': {
      requireRole(ctx, target.role);
      const rows = state.roleGrants
        .filter((grant) => grant.role === target.role)
        .map((grant): Cell[] => [timeCell(grant.createdOn), grant.role, grant.granteeType, grant.grantee, grant.grantedBy]);
      return resultSet(membershipColumns, rows);
    }
    case 'toRole': {
      requireRole(ctx, target.role);
      if (!ctx.access.roles.has(target.role) && !ctx.access.canManageGrants()) {
        throw SqlErrors.insufficientPrivileges(`role '${target.role}'`);
      }
      const rows: Cell[][] = ctx.store.grantsTo(target.role).map((grant) => [
        timeCell(grant.createdOn),
        grant.privilege,
        grant.objectType,
        grant.objectName,
        'ROLE',
        grant.grantee,
        booleanCell(grant.grantOption),
        grant.grantedBy,
      ]);
      for (const grant of state.roleGrants) {
        if (grant.granteeType === 'ROLE' && grant.grantee === target.role) {
          rows.push([timeCell(grant.createdOn), 'USAGE', 'ROLE', grant.role, 'ROLE', grant.grantee, 'false', grant.grantedBy]);
        }
      }
      for (const grant of state.serviceRoleGrants) {
        if (grant.grantee === target.role) {
          rows.push([timeCell(grant.createdOn), 'USAGE', 'SERVICE_ROLE', `${grant.service}!${grant.serviceRole}`, 'ROLE', grant.grantee, 'false', grant.grantedBy]);
        }
      }
      return resultSet(privilegeColumns, sorted(rows));
    }
    case 'on': {
      const key = grantObject(ctx, target.objectKind, target.name, 'SHOW GRANTS');
      const rows: Cell[][] = ctx.store.grantsOn(target.objectKind, key).map((grant) => [
        timeCell(grant.createdOn),
        grant.privilege,
        grant.objectType,
        grant.objectName,
        'ROLE',
        grant.grantee,
        booleanCell(grant.grantOption),
        grant.grantedBy,
      ]);
      return resultSet(privilegeColumns, sorted(rows));
    }
    case 'toServiceRole':
    case 'ofServiceRole': {
      const found = requireService(ctx, target.service, 'SHOW GRANTS');
      const roleName = target.role.toUpperCase();
      const specRole = found.service.current.spec.serviceRoles.find((role) => role.name.toUpperCase() === roleName);
      if (roleName !== 'ALL_ENDPOINTS_USAGE' && !specRole) throw SqlErrors.doesNotExist('Service role', `${found.key}!${target.role}`);
      const fullName = `${found.key}!${roleName}`;
      if (target.kind === 'ofServiceRole') {
        const rows = state.serviceRoleGrants
          .filter((grant) => grant.service === found.key && grant.serviceRole === roleName)
          .map((grant): Cell[] => [timeCell(grant.createdOn), fullName, 'ROLE', grant.grantee, grant.grantedBy]);
        return resultSet(membershipColumns, rows);
      }
      const endpoints = roleName === 'ALL_ENDPOINTS_USAGE' ? found.service.current.spec.endpoints.map((endpoint) => endpoint.name) : (specRole?.endpoints ?? []);
      const rows = endpoints.map((endpoint): Cell[] => [timeCell(found.service.createdOn), 'USAGE', 'SERVICE_ENDPOINT', `${found.key}!${endpoint}`, 'SERVICE_ROLE', fullName, 'false', quoteIfNeeded(found.service.owner)]);
      return resultSet(privilegeColumns, rows);
    }
  }
}
