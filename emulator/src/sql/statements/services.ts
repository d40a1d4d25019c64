/**
 * Service statements: SHOW [JOB] SERVICES, DESCRIBE SERVICE, CREATE SERVICE, ALTER SERVICE (SUSPEND,
 * RESUME, FROM … upgrade, SET, UNSET), DROP SERVICE.
 *
 * Owns: the SHOW/DESCRIBE columns of reference §4.9 in order (`spec` only in DESCRIBE, and only for
 * the owner role), applying the service properties (their reading and checks, MAX_INSTANCES ≥
 * MIN_INSTANCES ≥ MIN_READY_INSTANCES ≥ 1, block volumes need MIN = MAX, valid DNS labels, are
 * `serviceSettings.ts`), and the privileges of §4.15 (CREATE SERVICE on the schema + USAGE on the pool to create; OPERATE
 * to suspend, resume and upgrade; OWNERSHIP to set, unset and drop; any privilege to see).
 */

import { shortHash } from '../../account/hashing';
import { closeEpoch, generationsOf, instanceCount, serviceState } from '../../account/lifecycle';
import type { ServiceRecord } from '../../account/model';
import { displayName, dnsLabel, objectKey, quoteIfNeeded } from '../../account/names';
import { describeSpec } from '../../account/specs';
import type { ResultSet } from '../../contract';
import type { InClause, Name, ServiceAction, ShowFilter, SpecClauses } from '../ast';
import { resolveObjectName, type StatementContext } from '../context';
import { SqlErrors } from '../errors';
import { applyFilter, booleanCell, Columns, numberCell, resultSet, statusResult, textCell, timeCell, type Cell } from '../result';
import { ensurePoolRunning, nodesReadyAt, visiblePool } from './computePools';
import { requireSchemaPrivilege, schemaScope } from './schemaAccess';
import { findService, requirePrivilege, requireService } from './serviceLookup';
import { prepareSpec } from './specSource';
import { checkBlockVolumes, checkInstanceCounts, checkServiceName, ingressReadyAtFor, readServiceSettings, serviceProperties, usablePool, type ServiceSettings } from './serviceSettings';

const leadingColumns = [
  Columns.text('name'),
  Columns.text('status'),
  Columns.text('database_name'),
  Columns.text('schema_name'),
  Columns.text('owner'),
  Columns.text('compute_pool'),
];

const trailingColumns = [
  Columns.text('dns_name'),
  Columns.number('current_instances'),
  Columns.number('target_instances'),
  Columns.number('min_ready_instances'),
  Columns.number('min_instances'),
  Columns.number('max_instances'),
  Columns.boolean('auto_resume'),
  Columns.text('external_access_integrations'),
  Columns.time('created_on'),
  Columns.time('updated_on'),
  Columns.time('resumed_on'),
  Columns.time('suspended_on'),
  Columns.number('auto_suspend_secs'),
  Columns.text('comment'),
  Columns.text('owner_role_type'),
  Columns.text('query_warehouse'),
  Columns.boolean('is_job'),
  Columns.boolean('is_async_job'),
  Columns.text('spec_digest'),
  Columns.boolean('is_upgrading'),
  Columns.text('managing_object_domain'),
  Columns.text('managing_object_name'),
];

export const showServicesColumns = [...leadingColumns, ...trailingColumns];
const describeServiceColumns = [...leadingColumns, Columns.text('spec'), ...trailingColumns];

export function serviceDnsName(service: Pick<ServiceRecord, 'database' | 'schema' | 'name'>): string {
  return `${dnsLabel(service.name)}.${shortHash(4, service.database, service.schema)}.svc.spcs.internal`;
}

export function serviceRow(ctx: StatementContext, service: ServiceRecord, spec?: string | null): Cell[] {
  const state = serviceState(service, ctx.now);
  const leading: Cell[] = [service.name, state.status, service.database, service.schema, service.owner, service.computePool];
  const trailing: Cell[] = [
    serviceDnsName(service),
    numberCell(state.currentInstances),
    numberCell(state.targetInstances),
    numberCell(service.minReadyInstances),
    numberCell(service.minInstances),
    numberCell(service.maxInstances),
    booleanCell(service.autoResume),
    service.externalAccessIntegrations.length > 0 ? JSON.stringify(service.externalAccessIntegrations) : null,
    timeCell(service.createdOn),
    timeCell(service.updatedOn),
    timeCell(service.resumedOn),
    timeCell(service.suspendedOn),
    numberCell(service.autoSuspendSecs),
    textCell(service.comment),
    'ROLE',
    textCell(service.queryWarehouse),
    booleanCell(service.isJob),
    booleanCell(service.isAsyncJob),
    service.current.digest,
    booleanCell(state.isUpgrading),
    null,
    null,
  ];
  return spec === undefined ? [...leading, ...trailing] : [...leading, spec, ...trailing];
}

// ---- SHOW / DESCRIBE ---------------------------------------------------------------------------------------

function inScope(ctx: StatementContext, scope: InClause | undefined): (service: ServiceRecord) => boolean {
  if (scope?.kind === 'computePool') {
    const pool = visiblePool(ctx, scope.name);
    return (service) => service.computePool === pool.name;
  }
  return schemaScope(ctx, scope, 'SHOW SERVICES');
}

export function showServices(ctx: StatementContext, jobsOnly: boolean, excludeJobs: boolean, filter: ShowFilter, scope: InClause | undefined): ResultSet {
  const matches = inScope(ctx, scope);
  const candidates = scope?.kind === 'computePool' ? ctx.store.servicesInPool(scope.name.parts[0] as string) : Object.values(ctx.store.state.services);
  const services = candidates
    .filter((service) => (!jobsOnly || service.isJob) && (!excludeJobs || !service.isJob) && matches(service))
    .filter((service) => ctx.access.canSee('SERVICE', objectKey(service)))
    .sort((a, b) => compare(a.name, b.name) || compare(a.database, b.database) || compare(a.schema, b.schema));
  return resultSet(showServicesColumns, applyFilter(services, (service) => service.name, filter).map((service) => serviceRow(ctx, service)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function describeService(ctx: StatementContext, name: Name): ResultSet {
  const found = requireService(ctx, name, 'DESCRIBE SERVICE');
  const spec = ctx.access.owns('SERVICE', found.key) ? describeSpec(found.service.current.text, found.service.current.images) : null;
  return resultSet(describeServiceColumns, [serviceRow(ctx, found.service, spec)]);
}

// ---- CREATE ---------------------------------------------------------------------------------------------------

export function createService(ctx: StatementContext, name: Name, ifNotExists: boolean, clauses: SpecClauses): ResultSet {
  const operation = 'CREATE SERVICE';
  const qualified = resolveObjectName(ctx, name, operation);
  requireSchemaPrivilege(ctx, qualified.database, qualified.schema, 'CREATE SERVICE');
  const key = objectKey(qualified);
  if (ctx.store.state.services[key]) {
    if (ifNotExists) return statusResult(`${quoteIfNeeded(qualified.name)} already exists, statement succeeded.`);
    throw SqlErrors.alreadyExists('Object', displayName(qualified));
  }
  checkServiceName(qualified.name);
  const pool = usablePool(ctx, clauses.pool, operation);
  if (!clauses.spec) throw SqlErrors.missingProperty(operation, 'FROM SPECIFICATION, FROM SPECIFICATION_TEMPLATE or FROM @stage SPECIFICATION_FILE');
  const settings = readServiceSettings(ctx, clauses.properties, serviceProperties, 'SERVICE');
  const minInstances = settings.minInstances ?? 1;
  const maxInstances = settings.maxInstances ?? minInstances;
  const minReady = settings.minReadyInstances ?? minInstances;
  checkInstanceCounts(minInstances, maxInstances, minReady);
  const version = prepareSpec(ctx, clauses.spec, clauses.using, { database: qualified.database, schema: qualified.schema, pool, operation });
  checkBlockVolumes(version, minInstances, maxInstances);
  ensurePoolRunning(ctx, pool);
  const now = ctx.now;
  const readyNodesAt = nodesReadyAt(pool, now);
  const ingressAt = ingressReadyAtFor(version, readyNodesAt);
  const service: ServiceRecord = {
    database: qualified.database,
    schema: qualified.schema,
    name: qualified.name,
    computePool: pool.name,
    owner: ctx.access.role,
    createdOn: now,
    updatedOn: now,
    resumedOn: now,
    minInstances,
    maxInstances,
    minReadyInstances: minReady,
    autoResume: settings.autoResume ?? true,
    autoSuspendSecs: settings.autoSuspendSecs ?? 0,
    externalAccessIntegrations: settings.externalAccessIntegrations ?? [],
    isJob: false,
    isAsyncJob: false,
    current: version,
    runStartedAt: now,
    nodesReadyAt: readyNodesAt,
    restarts: [],
    seed: `${key}@${now}`,
    ...(settings.queryWarehouse !== undefined ? { queryWarehouse: settings.queryWarehouse } : {}),
    ...(settings.logLevel !== undefined ? { logLevel: settings.logLevel } : {}),
    ...(settings.logEventLevel !== undefined ? { logEventLevels: [{ at: now, level: settings.logEventLevel }] } : {}),
    ...(settings.comment !== undefined ? { comment: settings.comment } : {}),
    ...(clauses.tags ? { tags: Object.fromEntries(clauses.tags) } : {}),
    ...(ingressAt !== undefined ? { ingressReadyAt: ingressAt } : {}),
  };
  ctx.store.addService(service);
  ctx.store.grant('OWNERSHIP', 'SERVICE', key, ctx.access.role, ctx.access.role);
  pool.lastActivityAt = now;
  return statusResult(`Service ${quoteIfNeeded(qualified.name)} successfully created.`);
}

// ---- ALTER ----------------------------------------------------------------------------------------------------

export function alterService(ctx: StatementContext, name: Name, ifExists: boolean, action: ServiceAction): ResultSet {
  const found = findService(ctx, name, 'ALTER SERVICE', ifExists);
  if (!found) return statusResult('Statement executed successfully.');
  const { service } = found;
  if (service.isJob) {
    throw SqlErrors.serviceState(`Job service ${found.key} cannot be altered.`);
  }
  const now = ctx.now;
  switch (action.kind) {
    case 'suspend':
      requirePrivilege(ctx, found, 'OPERATE');
      if (service.suspendedAt === undefined) {
        service.suspendedAt = now;
        service.suspendedOn = now;
        const pool = ctx.store.state.computePools[service.computePool];
        if (pool) pool.lastActivityAt = now;
      }
      break;
    case 'resume': {
      requirePrivilege(ctx, found, 'OPERATE');
      if (service.suspendedAt === undefined) break;
      const pool = ctx.store.state.computePools[service.computePool];
      if (!pool) throw SqlErrors.doesNotExist('Compute pool', service.computePool);
      ensurePoolRunning(ctx, pool);
      closeEpoch(service, now);
      delete service.suspendedAt;
      delete service.previousStarts;
      delete service.previous;
      delete service.upgradeStartedAt;
      delete service.scaledAt;
      delete service.scaledFrom;
      service.restarts = [];
      service.runStartedAt = now;
      service.nodesReadyAt = nodesReadyAt(pool, now);
      service.resumedOn = now;
      break;
    }
    case 'spec': {
      requirePrivilege(ctx, found, 'OPERATE');
      if (!action.clauses.spec) throw SqlErrors.missingProperty('ALTER SERVICE', 'FROM SPECIFICATION');
      const pool = ctx.store.state.computePools[service.computePool];
      if (!pool) throw SqlErrors.doesNotExist('Compute pool', service.computePool);
      const version = prepareSpec(ctx, action.clauses.spec, action.clauses.using, { database: service.database, schema: service.schema, pool, operation: 'ALTER SERVICE' });
      checkBlockVolumes(version, service.minInstances, service.maxInstances);
      if (service.suspendedAt === undefined) {
        closeEpoch(service, now);
        // Instances not replaced yet keep the start of the generation they run now.
        const count = instanceCount(service);
        service.previousStarts = Array.from({ length: count }, (_, id) => {
          const generations = generationsOf(service, id, count);
          return (generations.find((generation) => generation.replacedAt === undefined || now < generation.replacedAt) ?? generations[generations.length - 1])?.start ?? now;
        });
        service.previous = service.current;
        service.upgradeStartedAt = now;
      }
      service.current = version;
      if (service.ingressReadyAt === undefined) {
        const at = ingressReadyAtFor(version, now);
        if (at !== undefined) service.ingressReadyAt = at;
      }
      break;
    }
    case 'set':
      requireOwnership(ctx, found.key);
      applySettings(service, readServiceSettings(ctx, action.properties, serviceProperties, 'SERVICE'), now);
      if (action.tags) service.tags = { ...(service.tags ?? {}), ...Object.fromEntries(action.tags) };
      recordPropertyChange(service, now, 'set', [...action.properties.keys()], [...(action.tags?.keys() ?? [])]);
      break;
    case 'unset':
      requireOwnership(ctx, found.key);
      unsetSettings(service, action.names, now);
      recordPropertyChange(service, now, 'unset', action.names, []);
      break;
  }
  service.updatedOn = now;
  return statusResult('Statement executed successfully.');
}

function requireOwnership(ctx: StatementContext, key: string): void {
  if (!ctx.access.owns('SERVICE', key)) {
    throw SqlErrors.insufficientPrivileges(`service '${key}'`);
  }
}

/** For SERVICE.PROPERTY_CHANGE events. */
function recordPropertyChange(service: ServiceRecord, at: number, kind: 'set' | 'unset', properties: readonly string[], tags: readonly string[]): void {
  (service.propertyChanges ??= []).push({ at, kind, properties: [...properties], tags: [...tags] });
}

function applySettings(service: ServiceRecord, settings: ServiceSettings, now: number): void {
  const min = settings.minInstances ?? service.minInstances;
  const max = settings.maxInstances ?? Math.max(service.maxInstances, min);
  const minReady = settings.minReadyInstances ?? Math.min(service.minReadyInstances, min);
  checkInstanceCounts(min, max, minReady);
  checkBlockVolumes(service.current, min, max);
  if (min !== service.minInstances) {
    if (service.current.spec.volumes.some((volume) => volume.source === 'block')) {
      throw SqlErrors.invalidValue('The number of instances of a service with block storage volumes cannot be changed.');
    }
    closeEpoch(service, now);
    if (min > instanceCount(service)) {
      service.scaledFrom = Math.min(service.scaledFrom ?? instanceCount(service), instanceCount(service));
      service.scaledAt = now;
    }
  }
  service.minInstances = min;
  service.maxInstances = max;
  service.minReadyInstances = minReady;
  if (settings.autoResume !== undefined) service.autoResume = settings.autoResume;
  if (settings.autoSuspendSecs !== undefined) service.autoSuspendSecs = settings.autoSuspendSecs;
  if (settings.externalAccessIntegrations !== undefined) service.externalAccessIntegrations = settings.externalAccessIntegrations;
  if (settings.queryWarehouse !== undefined) service.queryWarehouse = settings.queryWarehouse;
  if (settings.logLevel !== undefined) service.logLevel = settings.logLevel;
  if (settings.logEventLevel !== undefined) (service.logEventLevels ??= []).push({ at: now, level: settings.logEventLevel });
  if (settings.comment !== undefined) service.comment = settings.comment;
}

function unsetSettings(service: ServiceRecord, names: readonly string[], now: number): void {
  for (const property of names) {
    switch (property) {
      case 'MIN_INSTANCES':
        applySettings(service, { minInstances: 1, maxInstances: Math.max(1, service.maxInstances), minReadyInstances: 1 }, now);
        break;
      case 'MAX_INSTANCES':
        service.maxInstances = service.minInstances;
        break;
      case 'MIN_READY_INSTANCES':
        service.minReadyInstances = service.minInstances;
        break;
      case 'AUTO_SUSPEND_SECS':
        service.autoSuspendSecs = 0;
        break;
      case 'AUTO_RESUME':
        service.autoResume = true;
        break;
      case 'EXTERNAL_ACCESS_INTEGRATIONS':
        service.externalAccessIntegrations = [];
        break;
      case 'QUERY_WAREHOUSE':
        delete service.queryWarehouse;
        break;
      case 'LOG_LEVEL':
        delete service.logLevel;
        break;
      case 'LOG_EVENT_LEVEL':
        (service.logEventLevels ??= []).push({ at: now, level: null });
        break;
      case 'COMMENT':
        delete service.comment;
        break;
      default:
        throw SqlErrors.invalidValue(`invalid property '${property}' for 'SERVICE'`);
    }
  }
}

// ---- DROP -----------------------------------------------------------------------------------------------------

export function dropService(ctx: StatementContext, name: Name, ifExists: boolean, force: boolean): ResultSet {
  const found = findService(ctx, name, 'DROP SERVICE', ifExists);
  if (!found) {
    const last = name.parts[name.parts.length - 1] ?? '';
    return statusResult(`Drop statement executed successfully (${quoteIfNeeded(last)} already dropped).`);
  }
  requireOwnership(ctx, found.key);
  if (!force && found.service.current.spec.volumes.some((volume) => volume.source === 'block')) {
    throw SqlErrors.serviceState(`Service ${found.key} has block storage volumes. Use DROP SERVICE ${found.key} FORCE to drop it and delete the volumes.`);
  }
  ctx.store.removeService(found.key);
  const pool = ctx.store.state.computePools[found.service.computePool];
  if (pool) pool.lastActivityAt = ctx.now;
  return statusResult(`${quoteIfNeeded(found.service.name)} successfully dropped.`);
}

