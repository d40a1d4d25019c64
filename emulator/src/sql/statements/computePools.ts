/**
 * Compute pool statements: SHOW COMPUTE POOLS, DESCRIBE COMPUTE POOL, CREATE / ALTER (SUSPEND,
 * RESUME, STOP ALL, SET, UNSET) / DROP COMPUTE POOL (SHOW COMPUTE POOL INSTANCE FAMILIES and the
 * families the account offers: `instanceFamilies.ts`).
 *
 * Owns: the output columns of reference §4.4 in order, pool privileges
 * (any privilege to list or describe, OPERATE for suspend/resume/stop all, MODIFY for set/unset,
 * OWNERSHIP to drop), the documented refusals (MAX_NODES < MIN_NODES, unknown family, quoted names,
 * INSTANCE_FAMILY / PLACEMENT_GROUP changed while not suspended, DROP of a pool with services), and
 * what suspending a pool does to its workloads (services are suspended, running jobs run to the end).
 */

import { findInstanceFamily } from '../../../../server/src/service';
import { poolReadyAt, poolState, type PoolState } from '../../account/lifecycle';
import type { ComputePoolRecord } from '../../account/model';
import { objectKey } from '../../account/names';
import { Timing } from '../../account/timing';
import type { ResultSet } from '../../contract';
import type { Name, PoolAction, Properties, ShowFilter } from '../ast';
import { singleName, type StatementContext } from '../context';
import { SqlErrors } from '../errors';
import { booleanProperty, checkProperties, identifierProperty, listProperty, numberProperty, stringProperty } from '../properties';
import { applyFilter, booleanCell, byName, Columns, numberCell, resultSet, statusResult, textCell, timeCell, type Cell } from '../result';
import { accountFamilies } from './instanceFamilies';

const poolColumns = [
  Columns.text('name'),
  Columns.text('state'),
  Columns.number('min_nodes'),
  Columns.number('max_nodes'),
  Columns.text('instance_family'),
  Columns.number('num_services'),
  Columns.number('num_jobs'),
  Columns.number('auto_suspend_secs'),
  Columns.boolean('auto_resume'),
  Columns.number('active_nodes'),
  Columns.number('idle_nodes'),
  Columns.number('target_nodes'),
  Columns.time('created_on'),
  Columns.time('resumed_on'),
  Columns.time('updated_on'),
  Columns.text('owner'),
  Columns.text('comment'),
  Columns.boolean('is_exclusive'),
  Columns.text('application'),
  Columns.text('placement_group'),
  Columns.text('backup_instance_families'),
];

const describeColumns = [...poolColumns, Columns.text('budget'), Columns.text('error_code'), Columns.text('status_message')];

const statusMessages: Readonly<Record<string, string>> = {
  STARTING: 'Compute pool is starting. Nodes are being provisioned.',
  RESIZING: 'Compute pool is resizing. Nodes are being added or removed.',
  IDLE: 'Compute pool is idle. No services or jobs are running on it.',
  ACTIVE: 'Compute pool is active for running workloads.',
  STOPPING: 'Compute pool is stopping.',
  SUSPENDED: 'Compute pool is suspended.',
};

function poolRow(ctx: StatementContext, pool: ComputePoolRecord, describe: boolean): Cell[] {
  const state = poolState(ctx.store, pool, ctx.now);
  const row: Cell[] = [
    pool.name,
    state.state,
    numberCell(pool.minNodes),
    numberCell(pool.maxNodes),
    pool.instanceFamily,
    numberCell(state.numServices),
    numberCell(state.numJobs),
    numberCell(pool.autoSuspendSecs),
    booleanCell(pool.autoResume),
    numberCell(state.activeNodes),
    numberCell(state.idleNodes),
    numberCell(state.targetNodes),
    timeCell(pool.createdOn),
    timeCell(pool.resumedOn),
    timeCell(pool.updatedOn),
    pool.owner,
    textCell(pool.comment),
    booleanCell(false),
    null,
    textCell(pool.placementGroup),
    pool.backupInstanceFamilies.length > 0 ? JSON.stringify(pool.backupInstanceFamilies) : null,
  ];
  if (describe) {
    row.push(null, '', statusMessages[state.state] ?? '');
  }
  return row;
}

export function showComputePools(ctx: StatementContext, filter: ShowFilter): ResultSet {
  const pools = Object.values(ctx.store.state.computePools)
    .filter((pool) => ctx.access.canSee('COMPUTE_POOL', pool.name))
    .sort(byName((pool) => pool.name));
  return resultSet(poolColumns, applyFilter(pools, (pool) => pool.name, filter).map((pool) => poolRow(ctx, pool, false)));
}

/** The pool if it exists and the role may see it; otherwise Snowflake's "does not exist or not authorized". */
export function visiblePool(ctx: StatementContext, name: Name): ComputePoolRecord {
  const poolName = singleName(name);
  const pool = ctx.store.state.computePools[poolName];
  if (!pool || !ctx.access.canSee('COMPUTE_POOL', pool.name)) {
    throw SqlErrors.doesNotExist('Compute pool', poolName);
  }
  return pool;
}

export function describeComputePool(ctx: StatementContext, name: Name): ResultSet {
  return resultSet(describeColumns, [poolRow(ctx, visiblePool(ctx, name), true)]);
}

const createProperties = ['MIN_NODES', 'MAX_NODES', 'INSTANCE_FAMILY', 'AUTO_RESUME', 'INITIALLY_SUSPENDED', 'AUTO_SUSPEND_SECS', 'COMMENT', 'PLACEMENT_GROUP', 'BACKUP_INSTANCE_FAMILIES'];

/** A family the account offers, by its identifier (any case), or Snowflake's "Invalid instance family" error. */
function family(ctx: StatementContext, name: string): string {
  const found = findInstanceFamily(name);
  if (!found || !accountFamilies(ctx).includes(found)) {
    throw SqlErrors.invalidInstanceFamily(name.toUpperCase());
  }
  return found.name;
}

/** Pool names cannot be quoted to hold special characters or lower case (CREATE COMPUTE POOL docs). */
function checkPoolName(name: string): void {
  if (!/^[A-Z_][A-Z0-9_$]*$/.test(name)) {
    throw SqlErrors.quotedNameNotSupported('compute pool', name);
  }
}

/** `PLACEMENT_GROUP = '<name>'` or `= DISTRIBUTED` (a keyword in the docs). */
function placementGroupProperty(properties: Properties): string | undefined {
  const value = properties.get('PLACEMENT_GROUP');
  if (value?.kind === 'identifier' && value.name.parts.length === 1 && value.name.parts[0] === 'DISTRIBUTED') return 'DISTRIBUTED';
  return stringProperty(properties, 'PLACEMENT_GROUP');
}

function backupFamilies(ctx: StatementContext, properties: Properties, primary: string): string[] | undefined {
  const backup = listProperty(properties, 'BACKUP_INSTANCE_FAMILIES');
  if (backup === undefined) return undefined;
  const resolved = backup.map((entry) => family(ctx, entry));
  resolved.forEach((entry, index) => {
    if (entry === primary || resolved.indexOf(entry) !== index) {
      throw SqlErrors.invalidValue(`invalid value '${backup[index] ?? entry}' for property 'BACKUP_INSTANCE_FAMILIES': families must be distinct and differ from INSTANCE_FAMILY.`);
    }
  });
  return resolved;
}

/** Nodes come up one after another: with MIN_NODES > 1 the pool is RESIZING after its first node. */
function startResizing(pool: ComputePoolRecord, from: number, at: number): void {
  if (pool.minNodes > from) {
    pool.resizingUntil = at + Timing.poolResizeMs;
    pool.resizeFrom = from;
  } else {
    delete pool.resizingUntil;
    delete pool.resizeFrom;
  }
}

export function createComputePool(ctx: StatementContext, name: Name, ifNotExists: boolean, properties: Properties, tags: ReadonlyMap<string, string> | undefined): ResultSet {
  const poolName = singleName(name);
  if (!ctx.access.hasOnAccount('CREATE COMPUTE POOL')) {
    throw SqlErrors.insufficientPrivileges(`account '${ctx.store.state.name}'`);
  }
  if (ctx.store.state.computePools[poolName]) {
    if (ifNotExists) return statusResult(`${poolName} already exists, statement succeeded.`);
    throw SqlErrors.alreadyExists('Object', poolName);
  }
  checkPoolName(poolName);
  checkProperties(properties, createProperties, 'COMPUTE_POOL');
  const minNodes = numberProperty(properties, 'MIN_NODES', { min: 1 });
  const maxNodes = numberProperty(properties, 'MAX_NODES', { min: 1 });
  const instanceFamily = identifierProperty(properties, 'INSTANCE_FAMILY');
  if (minNodes === undefined) throw SqlErrors.missingProperty('CREATE COMPUTE POOL', 'MIN_NODES');
  if (maxNodes === undefined) throw SqlErrors.missingProperty('CREATE COMPUTE POOL', 'MAX_NODES');
  if (instanceFamily === undefined) throw SqlErrors.missingProperty('CREATE COMPUTE POOL', 'INSTANCE_FAMILY');
  if (maxNodes < minNodes) {
    throw SqlErrors.invalidValue(`MAX_NODES (${maxNodes}) must be greater than or equal to MIN_NODES (${minNodes}).`);
  }
  const now = ctx.now;
  const primary = family(ctx, instanceFamily);
  const backup = backupFamilies(ctx, properties, primary) ?? [];
  const initiallySuspended = booleanProperty(properties, 'INITIALLY_SUSPENDED') ?? false;
  const comment = stringProperty(properties, 'COMMENT');
  const placementGroup = placementGroupProperty(properties);
  const pool: ComputePoolRecord = {
    name: poolName,
    instanceFamily: primary,
    minNodes,
    maxNodes,
    autoResume: booleanProperty(properties, 'AUTO_RESUME') ?? true,
    autoSuspendSecs: numberProperty(properties, 'AUTO_SUSPEND_SECS', { min: 0 }) ?? 3600,
    owner: ctx.access.role,
    createdOn: now,
    updatedOn: now,
    startedAt: now,
    lastActivityAt: now,
    backupInstanceFamilies: backup,
    ...(comment !== undefined ? { comment } : {}),
    ...(placementGroup !== undefined ? { placementGroup } : {}),
    ...(initiallySuspended ? { suspendedAt: now - Timing.poolStopMs } : { resumedOn: now }),
    ...(tags ? { tags: Object.fromEntries(tags) } : {}),
  };
  if (!initiallySuspended) startResizing(pool, 1, poolReadyAt(pool));
  ctx.store.state.computePools[poolName] = pool;
  ctx.store.grant('OWNERSHIP', 'COMPUTE_POOL', poolName, ctx.access.role, ctx.access.role);
  return statusResult(`Compute pool ${poolName} successfully created.`);
}

/** Resumes a suspended pool for a new workload, or fails when AUTO_RESUME is off. */
export function ensurePoolRunning(ctx: StatementContext, pool: ComputePoolRecord): void {
  const state = poolState(ctx.store, pool, ctx.now).state;
  if (state !== 'SUSPENDED' && state !== 'STOPPING') {
    return;
  }
  if (!pool.autoResume) {
    throw SqlErrors.poolSuspended(pool.name);
  }
  resumePool(pool, ctx.now);
}

function resumePool(pool: ComputePoolRecord, now: number): void {
  delete pool.suspendedAt;
  pool.startedAt = now;
  pool.resumedOn = now;
  pool.lastActivityAt = now;
  startResizing(pool, 1, poolReadyAt(pool));
}

/** When a new workload in the pool can start: now, or once the pool's nodes are up. */
export function nodesReadyAt(pool: ComputePoolRecord, now: number): number {
  return Math.max(now, poolReadyAt(pool));
}

export function alterComputePool(ctx: StatementContext, name: Name, ifExists: boolean, action: PoolAction): ResultSet {
  const poolName = singleName(name);
  const pool = ctx.store.state.computePools[poolName];
  if (!pool || !ctx.access.canSee('COMPUTE_POOL', poolName)) {
    if (ifExists) return statusResult('Statement executed successfully.');
    throw SqlErrors.doesNotExist('Compute pool', poolName);
  }
  // The docs: OPERATE to suspend or resume (and to stop the pool's services), MODIFY to set properties.
  const operate = action.kind === 'suspend' || action.kind === 'resume' || action.kind === 'stopAll';
  if (!ctx.access.has('COMPUTE_POOL', poolName, ...(operate ? ['OPERATE'] : ['MODIFY']))) {
    throw SqlErrors.insufficientPrivileges(`compute pool '${poolName}'`);
  }
  const now = ctx.now;
  switch (action.kind) {
    case 'suspend': {
      const state = poolState(ctx.store, pool, now).state;
      if (state === 'SUSPENDED' || state === 'STOPPING') break;
      // Services are suspended; running jobs continue to a terminal state (the pool stays STOPPING).
      pool.suspendedAt = now;
      pool.lastActivityAt = now;
      delete pool.resizingUntil;
      delete pool.resizeFrom;
      for (const service of ctx.store.servicesInPool(poolName)) {
        if (!service.isJob && service.suspendedAt === undefined) {
          service.suspendedAt = now;
          service.suspendedOn = now;
        }
      }
      break;
    }
    case 'resume': {
      const state = poolState(ctx.store, pool, now).state;
      if (state === 'SUSPENDED' || state === 'STOPPING') resumePool(pool, now);
      break;
    }
    case 'stopAll':
      // "Drops all services and cancels jobs executing in the compute pool" (the DROP COMPUTE POOL page:
      // STOP ALL "drops both services and jobs").
      for (const service of ctx.store.servicesInPool(poolName)) {
        ctx.store.removeService(objectKey(service));
      }
      pool.lastActivityAt = now;
      break;
    case 'set': {
      const before = poolState(ctx.store, pool, now);
      setPoolProperties(ctx, pool, action.properties, before.state);
      if (action.tags) pool.tags = { ...(pool.tags ?? {}), ...Object.fromEntries(action.tags) };
      if (action.properties.has('MIN_NODES') && (before.state === 'IDLE' || before.state === 'ACTIVE' || before.state === 'RESIZING')) {
        startResizing(pool, before.activeNodes + before.idleNodes, now);
      }
      break;
    }
    case 'unset':
      for (const property of action.names) {
        switch (property) {
          case 'AUTO_SUSPEND_SECS':
            pool.autoSuspendSecs = 3600;
            break;
          case 'AUTO_RESUME':
            pool.autoResume = true;
            break;
          case 'COMMENT':
            delete pool.comment;
            break;
          case 'PLACEMENT_GROUP':
            requireSuspended(ctx, pool, 'PLACEMENT_GROUP');
            delete pool.placementGroup;
            break;
          case 'BACKUP_INSTANCE_FAMILIES':
            pool.backupInstanceFamilies = [];
            break;
          default:
            throw SqlErrors.invalidValue(`invalid property '${property}' for 'COMPUTE_POOL'`);
        }
      }
      break;
    case 'unsetTags':
      if (pool.tags) {
        for (const tag of action.tags) delete pool.tags[tag];
      }
      break;
  }
  pool.updatedOn = now;
  return statusResult('Statement executed successfully.');
}

/** INSTANCE_FAMILY and PLACEMENT_GROUP change only while the pool is fully suspended (ALTER COMPUTE POOL docs). */
function requireSuspended(ctx: StatementContext, pool: ComputePoolRecord, property: string, state = poolState(ctx.store, pool, ctx.now).state): void {
  if (state !== 'SUSPENDED') {
    throw SqlErrors.poolNotSuspended(pool.name, property);
  }
}

function setPoolProperties(ctx: StatementContext, pool: ComputePoolRecord, properties: Properties, state: PoolState['state']): void {
  checkProperties(properties, ['MIN_NODES', 'MAX_NODES', 'AUTO_RESUME', 'AUTO_SUSPEND_SECS', 'COMMENT', 'PLACEMENT_GROUP', 'INSTANCE_FAMILY', 'BACKUP_INSTANCE_FAMILIES'], 'COMPUTE_POOL');
  const minNodes = numberProperty(properties, 'MIN_NODES', { min: 1 }) ?? pool.minNodes;
  const maxNodes = numberProperty(properties, 'MAX_NODES', { min: 1 }) ?? pool.maxNodes;
  if (maxNodes < minNodes) {
    throw SqlErrors.invalidValue(`MAX_NODES (${maxNodes}) must be greater than or equal to MIN_NODES (${minNodes}).`);
  }
  const instanceFamily = identifierProperty(properties, 'INSTANCE_FAMILY');
  const primary = instanceFamily !== undefined ? family(ctx, instanceFamily) : pool.instanceFamily;
  if (instanceFamily !== undefined && primary !== pool.instanceFamily) requireSuspended(ctx, pool, 'INSTANCE_FAMILY', state);
  const backup = backupFamilies(ctx, properties, primary);
  const autoResume = booleanProperty(properties, 'AUTO_RESUME');
  const autoSuspend = numberProperty(properties, 'AUTO_SUSPEND_SECS', { min: 0 });
  const comment = stringProperty(properties, 'COMMENT');
  const placementGroup = placementGroupProperty(properties);
  if (placementGroup !== undefined && placementGroup !== pool.placementGroup) requireSuspended(ctx, pool, 'PLACEMENT_GROUP', state);
  pool.minNodes = minNodes;
  pool.maxNodes = maxNodes;
  pool.instanceFamily = primary;
  if (backup !== undefined) pool.backupInstanceFamilies = backup;
  if (autoResume !== undefined) pool.autoResume = autoResume;
  if (autoSuspend !== undefined) pool.autoSuspendSecs = autoSuspend;
  if (comment !== undefined) pool.comment = comment;
  if (placementGroup !== undefined) pool.placementGroup = placementGroup;
}

export function dropComputePool(ctx: StatementContext, name: Name, ifExists: boolean): ResultSet {
  const poolName = singleName(name);
  const pool = ctx.store.state.computePools[poolName];
  if (!pool || !ctx.access.canSee('COMPUTE_POOL', poolName)) {
    if (ifExists) return statusResult(`Drop statement executed successfully (${poolName} already dropped).`);
    throw SqlErrors.doesNotExist('Compute pool', poolName);
  }
  if (!ctx.access.owns('COMPUTE_POOL', poolName)) {
    throw SqlErrors.insufficientPrivileges(`compute pool '${poolName}'`);
  }
  // The docs: "Snowflake automatically aborts any running jobs. However, Snowflake does not drop
  // running services. If services are running this command will fail." CHOSEN: a suspended service
  // still belongs to the pool and refuses the drop too; jobs (running or finished) go with the pool.
  const workloads = ctx.store.servicesInPool(poolName);
  const services = workloads.filter((service) => !service.isJob).map((service) => objectKey(service)).sort();
  if (services.length > 0) {
    throw SqlErrors.poolHasServices(poolName, services);
  }
  for (const job of workloads) ctx.store.removeService(objectKey(job));
  ctx.store.removeComputePool(poolName);
  return statusResult(`${poolName} successfully dropped.`);
}
