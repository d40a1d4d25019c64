/**
 * Gateways (one stable ingress host in front of service endpoints; docs: CREATE / ALTER / DESCRIBE /
 * DROP GATEWAY, SHOW GATEWAYS, "Use Gateways to route ingress requests to multiple endpoints"):
 * CREATE [OR REPLACE] GATEWAY [IF NOT EXISTS] … FROM SPECIFICATION, ALTER GATEWAY … FROM
 * SPECIFICATION | SET COMMENT | UNSET COMMENT, DESCRIBE GATEWAY, SHOW GATEWAYS, DROP GATEWAY.
 *
 * Owns: the documented checks (the spec's shape in `gatewaySpecs.ts`; each target endpoint exists;
 * CREATE GATEWAY on the schema, BIND SERVICE ENDPOINT on the account and USAGE on every target
 * endpoint through a service role to create or alter; MODIFY or OWNERSHIP to alter; OWNERSHIP to
 * drop; USAGE, MODIFY or OWNERSHIP to see one), the DESCRIBE columns as documented, and the ingress
 * host, allocated at creation and provisioned a minute later like a public endpoint's.
 *
 * CHOSEN where the docs are silent (clients should not rely on more than the column names):
 * - SHOW GATEWAYS columns: created_on, name, database_name, schema_name, owner, comment (the order the
 *   Snowflake Terraform provider reads), then owner_role_type, ingress_url, privatelink_ingress_url,
 *   updated_on (the DESCRIBE columns without spec).
 * - A target endpoint must be HTTP (a TCP endpoint cannot take the HTTP ingress a gateway routes); it
 *   need not be public. A target may not be a job service.
 * - CREATE status "Gateway <NAME> successfully created.", ALTER "Statement executed successfully.";
 *   DROP's "<NAME> successfully dropped." is the documented example.
 * - CREATE OR REPLACE makes a new gateway, so a new host; ALTER keeps the host (the documented way to
 *   shift traffic without changing the URL). COMMENT is accepted on CREATE and in ALTER … SET / UNSET,
 *   as the Snowflake Terraform provider sends it.
 * - The spec column is the specification re-serialized as YAML.
 * - Dropping a target's service does not touch the gateway (the docs describe failover for it).
 */

import { GatewaySpecProblem, readGatewaySpec, type GatewaySpec } from '../../account/gatewaySpecs';
import { shortHash } from '../../account/hashing';
import { ingressPlaceholder } from '../../account/lifecycle';
import type { GatewayRecord, GatewayTarget } from '../../account/model';
import { displayName, dnsLabel, objectKey, quoteIfNeeded } from '../../account/names';
import { Timing } from '../../account/timing';
import type { ResultSet } from '../../contract';
import type { GatewayAction, InClause, Name, Properties, ShowFilter } from '../ast';
import { resolveObjectName, type StatementContext } from '../context';
import { SqlErrors } from '../errors';
import { checkProperties, stringProperty } from '../properties';
import { applyFilter, Columns, resultSet, statusResult, textCell, timeCell, type Cell } from '../result';
import { requireSchemaPrivilege, schemaScope, visibleObjects } from './schemaAccess';
import { holdsEndpointUsage } from './serviceLookup';

const showColumns = [
  Columns.time('created_on'),
  Columns.text('name'),
  Columns.text('database_name'),
  Columns.text('schema_name'),
  Columns.text('owner'),
  Columns.text('comment'),
  Columns.text('owner_role_type'),
  Columns.text('ingress_url'),
  Columns.text('privatelink_ingress_url'),
  Columns.time('updated_on'),
];

/** DESCRIBE GATEWAY: the documented columns, in the documented order. */
const describeColumns = [
  Columns.text('name'),
  Columns.text('ingress_url'),
  Columns.text('privatelink_ingress_url'),
  Columns.text('database_name'),
  Columns.text('schema_name'),
  Columns.text('owner'),
  Columns.text('owner_role_type'),
  Columns.text('spec'),
  Columns.time('created_on'),
  Columns.time('updated_on'),
  Columns.text('comment'),
];

/** The gateway's host (like a public endpoint's: `<hash>-<org>-<account>.snowflakecomputing.app`), or the placeholder until provisioned. */
export function gatewayIngressUrl(ctx: StatementContext, gateway: GatewayRecord): string {
  if (ctx.now < gateway.ingressReadyAt) return ingressPlaceholder;
  return `${shortHash(8, gateway.seed, 'gateway')}-${dnsLabel(ctx.store.state.organization)}-${dnsLabel(ctx.store.state.name)}.snowflakecomputing.app`;
}

function gatewayTable(ctx: StatementContext): Record<string, GatewayRecord> {
  return ctx.store.gateways();
}

/** The gateway if the role may see it (USAGE, MODIFY or OWNERSHIP); otherwise undefined. */
function findGateway(ctx: StatementContext, name: Name, operation: string): { key: string; display: string; gateway: GatewayRecord | undefined } {
  const qualified = resolveObjectName(ctx, name, operation);
  const key = objectKey(qualified);
  const gateway = gatewayTable(ctx)[key];
  return { key, display: displayName(qualified), gateway: gateway && ctx.access.canSee('GATEWAY', key) ? gateway : undefined };
}

function readSpec(text: string): GatewaySpec {
  try {
    return readGatewaySpec(text);
  } catch (error) {
    if (error instanceof GatewaySpecProblem) throw SqlErrors.invalidGatewaySpec(error.message);
    throw error;
  }
}

/**
 * The account checks of CREATE and ALTER: BIND SERVICE ENDPOINT, then each target endpoint exists
 * (and is an HTTP endpoint of a long-running service) and the role holds USAGE on it.
 */
function resolveTargets(ctx: StatementContext, spec: GatewaySpec): GatewayTarget[] {
  if (!ctx.access.hasOnAccount('BIND SERVICE ENDPOINT')) {
    throw SqlErrors.insufficientPrivileges(`account '${ctx.store.state.name}'. A gateway binds service endpoints and needs the BIND SERVICE ENDPOINT privilege on the account`);
  }
  return spec.endpoints.map((reference): GatewayTarget => {
    const key = objectKey({ database: reference.service[0], schema: reference.service[1], name: reference.service[2] });
    const service = ctx.store.state.services[key];
    const endpoint = service?.current.spec.endpoints.find((candidate) => candidate.name.toLowerCase() === reference.endpoint.toLowerCase());
    const usable = service !== undefined && endpoint !== undefined && holdsEndpointUsage(ctx, key, service, endpoint.name);
    // A role granted one of the service's service roles knows the service even without a privilege on it.
    const known = ctx.access.canSee('SERVICE', key) || ctx.store.state.serviceRoleGrants.some((grant) => grant.service === key && ctx.access.roles.has(grant.grantee));
    if (!service || !known) {
      throw SqlErrors.doesNotExist('Service', key);
    }
    if (service.isJob) {
      throw SqlErrors.invalidGatewaySpec(`'${reference.path}.value' names job service ${key}; a gateway routes to the endpoints of long-running services.`);
    }
    if (!endpoint) {
      throw SqlErrors.doesNotExist('Endpoint', `${key}!${reference.endpoint}`);
    }
    if (endpoint.protocol !== 'HTTP' && endpoint.protocol !== 'HTTPS') {
      throw SqlErrors.invalidGatewaySpec(`endpoint ${key}!${endpoint.name} ('${reference.path}') uses protocol ${endpoint.protocol}; a gateway routes HTTP ingress requests, so its endpoints must be HTTP.`);
    }
    if (!usable) {
      throw SqlErrors.insufficientPrivileges(`service endpoint '${key}!${endpoint.name}'. Grant the role a service role that covers it, e.g. GRANT SERVICE ROLE ${key}!ALL_ENDPOINTS_USAGE TO ROLE ${quoteIfNeeded(ctx.access.role)}`);
    }
    return { role: reference.role, service: key, endpoint: endpoint.name, ...(reference.weight !== undefined ? { weight: reference.weight } : {}) };
  });
}

export function createGateway(ctx: StatementContext, name: Name, orReplace: boolean, ifNotExists: boolean, specification: string | undefined, properties: Properties): ResultSet {
  const operation = 'CREATE GATEWAY';
  if (orReplace && ifNotExists) throw SqlErrors.orReplaceWithIfNotExists();
  const qualified = resolveObjectName(ctx, name, operation);
  requireSchemaPrivilege(ctx, qualified.database, qualified.schema, 'CREATE GATEWAY');
  const key = objectKey(qualified);
  const table = gatewayTable(ctx);
  const existing = table[key];
  if (existing) {
    if (ifNotExists) return statusResult(`${quoteIfNeeded(qualified.name)} already exists, statement succeeded.`);
    if (!orReplace) throw SqlErrors.alreadyExists('Object', displayName(qualified));
    if (!ctx.access.owns('GATEWAY', key)) throw SqlErrors.insufficientPrivileges(`gateway '${key}'`);
  }
  checkProperties(properties, ['COMMENT'], 'GATEWAY');
  const comment = stringProperty(properties, 'COMMENT');
  if (specification === undefined) throw SqlErrors.missingProperty(operation, 'FROM SPECIFICATION');
  const spec = readSpec(specification);
  const targets = resolveTargets(ctx, spec);
  if (existing) ctx.store.removeSchemaObject('gateways', key);
  const now = ctx.now;
  table[key] = {
    ...qualified,
    owner: ctx.access.role,
    createdOn: now,
    updatedOn: now,
    type: spec.type,
    spec: spec.normalized,
    targets,
    ingressReadyAt: now + Timing.endpointProvisionMs,
    seed: `${key}@${now}`,
    ...(comment !== undefined ? { comment } : {}),
  };
  ctx.store.grant('OWNERSHIP', 'GATEWAY', key, ctx.access.role, ctx.access.role);
  return statusResult(`Gateway ${quoteIfNeeded(qualified.name)} successfully created.`);
}

export function alterGateway(ctx: StatementContext, name: Name, ifExists: boolean, action: GatewayAction): ResultSet {
  const { key, display, gateway } = findGateway(ctx, name, 'ALTER GATEWAY');
  if (!gateway) {
    if (ifExists) return statusResult('Statement executed successfully.');
    throw SqlErrors.doesNotExist('Gateway', display);
  }
  if (!ctx.access.has('GATEWAY', key, 'MODIFY')) {
    throw SqlErrors.insufficientPrivileges(`gateway '${key}'`);
  }
  switch (action.kind) {
    case 'spec': {
      const spec = readSpec(action.specification);
      gateway.targets = resolveTargets(ctx, spec);
      gateway.type = spec.type;
      gateway.spec = spec.normalized;
      break;
    }
    case 'set': {
      checkProperties(action.properties, ['COMMENT'], 'GATEWAY');
      const comment = stringProperty(action.properties, 'COMMENT');
      if (comment !== undefined) gateway.comment = comment;
      break;
    }
    case 'unset':
      for (const property of action.names) {
        if (property !== 'COMMENT') throw SqlErrors.invalidValue(`invalid property '${property}' for 'GATEWAY'`);
        delete gateway.comment;
      }
      break;
  }
  gateway.updatedOn = ctx.now;
  return statusResult('Statement executed successfully.');
}

export function describeGateway(ctx: StatementContext, name: Name): ResultSet {
  const { display, gateway } = findGateway(ctx, name, 'DESCRIBE GATEWAY');
  if (!gateway) throw SqlErrors.doesNotExist('Gateway', display);
  const row: Cell[] = [
    gateway.name,
    gatewayIngressUrl(ctx, gateway),
    '',
    gateway.database,
    gateway.schema,
    gateway.owner,
    'ROLE',
    gateway.spec,
    timeCell(gateway.createdOn),
    timeCell(gateway.updatedOn),
    textCell(gateway.comment),
  ];
  return resultSet(describeColumns, [row]);
}

export function showGateways(ctx: StatementContext, filter: ShowFilter, scope: InClause | undefined): ResultSet {
  const matches = schemaScope(ctx, scope, 'SHOW GATEWAYS');
  const gateways = visibleObjects(ctx, 'GATEWAY', gatewayTable(ctx), matches);
  const rows = applyFilter(gateways, (gateway) => gateway.name, filter).map((gateway): Cell[] => [
    timeCell(gateway.createdOn),
    gateway.name,
    gateway.database,
    gateway.schema,
    gateway.owner,
    textCell(gateway.comment),
    'ROLE',
    gatewayIngressUrl(ctx, gateway),
    '',
    timeCell(gateway.updatedOn),
  ]);
  return resultSet(showColumns, rows);
}

export function dropGateway(ctx: StatementContext, name: Name, ifExists: boolean): ResultSet {
  const { key, display, gateway } = findGateway(ctx, name, 'DROP GATEWAY');
  if (!gateway) {
    if (ifExists) return statusResult(`Drop statement executed successfully (${quoteIfNeeded(name.parts[name.parts.length - 1] ?? '')} already dropped).`);
    throw SqlErrors.doesNotExist('Gateway', display);
  }
  if (!ctx.access.owns('GATEWAY', key)) throw SqlErrors.insufficientPrivileges(`gateway '${key}'`);
  ctx.store.removeSchemaObject('gateways', key);
  return statusResult(`${quoteIfNeeded(gateway.name)} successfully dropped.`);
}
