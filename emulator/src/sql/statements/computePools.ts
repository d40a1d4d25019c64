/**
 * Compute pool statements: SHOW COMPUTE POOLS, DESCRIBE COMPUTE POOL, SHOW COMPUTE POOL INSTANCE
 * FAMILIES, CREATE / ALTER (SUSPEND, RESUME, STOP ALL, SET, UNSET) / DROP COMPUTE POOL.
 *
 * Owns: the output columns of reference §4.4 in order, pool privileges (any privilege to list or
 * describe, OPERATE for suspend/resume/stop all, MODIFY for set/unset, OWNERSHIP to drop), and
 * what suspending a pool does to its workloads (services are suspended, running jobs cancelled).
 */

import { familyDescription, findInstanceFamily, instanceFamilies } from '../../../../server/src/service/instanceFamilies';
import { jobFinishesAt, poolReadyAt, poolState } from '../../account/lifecycle';
import type { ComputePoolRecord } from '../../account/model';
import { objectKey } from '../../account/names';
import { Timing } from '../../account/timing';
import type { ResultSet } from '../../contract';
import type { Name, PoolAction, Properties, ShowFilter } from '../ast';
import { singleName, type StatementContext } from '../context';
import { SqlErrors } from '../errors';
import { booleanProperty, checkProperties, identifierProperty, listProperty, numberProperty, stringProperty } from '../properties';
import { applyFilter, booleanCell, byName, Columns, numberCell, resultSet, statusResult, textCell, timeCell, type Cell } from '../result';

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

export function showInstanceFamilies(ctx: StatementContext, filter: ShowFilter): ResultSet {
  const columns = [
    Columns.text('name'),
    Columns.text('description'),
    Columns.number('vcpu'),
    Columns.number('memory_gib'),
    Columns.real('storage_gib'),
    Columns.text('gpu'),
    Columns.number('gpu_count'),
    Columns.number('gpu_memory_gib'),
    Columns.number('current_node_usage'),
    Columns.text('message'),
  ];
  const families = instanceFamilies.filter((family) => family.vcpu !== undefined && family.memoryGiB !== undefined);
  const usage = new Map<string, number>();
  for (const pool of Object.values(ctx.store.state.computePools)) {
    const state = poolState(ctx.store, pool, ctx.now);
    usage.set(pool.instanceFamily, (usage.get(pool.instanceFamily) ?? 0) + state.activeNodes + state.idleNodes);
  }
  const rows = applyFilter(families, (family) => family.name, filter).map((family): Cell[] => {
    const gpus = family.gpus ?? 0;
    const gpuMemory = /\((\d+) GB\)/.exec(family.gpuModel ?? '')?.[1];
    const model = family.gpuModel?.replace(/\s*\(.*\)$/, '');
    return [
      family.name,
      familyDescription(family),
      numberCell(family.vcpu),
      numberCell(family.memoryGiB),
      // The REST API gives 93.13 GiB for CPU_X64_S; other families were not published (reference §3.2).
      family.name === 'CPU_X64_S' ? '93.13' : String(Math.max(93.13, Math.round((family.memoryGiB ?? 0) * 2 * 100) / 100)),
      gpus > 0 && model ? `NVIDIA ${model}` : null,
      numberCell(gpus),
      numberCell(gpuMemory !== undefined ? Number(gpuMemory) : gpus > 0 ? undefined : 0),
      numberCell(usage.get(family.name) ?? 0),
      '',
    ];
  });
  return resultSet(columns, rows);
}

const createProperties = ['MIN_NODES', 'MAX_NODES', 'INSTANCE_FAMILY', 'AUTO_RESUME', 'INITIALLY_SUSPENDED', 'AUTO_SUSPEND_SECS', 'COMMENT', 'PLACEMENT_GROUP', 'BACKUP_INSTANCE_FAMILIES'];

function family(name: string): string {
  const found = findInstanceFamily(name);
  if (!found) {
    throw SqlErrors.invalidValue(`invalid value '${name}' for property 'INSTANCE_FAMILY'`);
  }
  return found.name;
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
  const backup = listProperty(properties, 'BACKUP_INSTANCE_FAMILIES') ?? [];
  const primary = family(instanceFamily);
  for (const entry of backup) {
    if (family(entry) === primary || backup.filter((other) => other === entry).length > 1) {
      throw SqlErrors.invalidValue(`invalid value '${entry}' for property 'BACKUP_INSTANCE_FAMILIES': families must be distinct and differ from INSTANCE_FAMILY.`);
    }
  }
  const initiallySuspended = booleanProperty(properties, 'INITIALLY_SUSPENDED') ?? false;
  const comment = stringProperty(properties, 'COMMENT');
  const placementGroup = stringProperty(properties, 'PLACEMENT_GROUP');
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
    backupInstanceFamilies: backup.map(family),
    ...(comment !== undefined ? { comment } : {}),
    ...(placementGroup !== undefined ? { placementGroup } : {}),
    ...(initiallySuspended ? { suspendedAt: now - Timing.poolStopMs } : { resumedOn: now }),
    ...(tags ? { tags: Object.fromEntries(tags) } : {}),
  };
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
  const operate = action.kind === 'suspend' || action.kind === 'resume' || action.kind === 'stopAll';
  if (!ctx.access.has('COMPUTE_POOL', poolName, ...(operate ? ['OPERATE'] : ['MODIFY']))) {
    throw SqlErrors.insufficientPrivileges(`compute pool '${poolName}'`);
  }
  const now = ctx.now;
  switch (action.kind) {
    case 'suspend': {
      const state = poolState(ctx.store, pool, now).state;
      if (state === 'SUSPENDED' || state === 'STOPPING') break;
      pool.suspendedAt = now;
      pool.lastActivityAt = now;
      for (const service of ctx.store.servicesInPool(poolName)) {
        if (service.isJob) {
          if (service.cancelledAt === undefined && now < jobFinishesAt(service)) service.cancelledAt = now;
        } else if (service.suspendedAt === undefined) {
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
      for (const service of ctx.store.servicesInPool(poolName)) {
        ctx.store.removeService(objectKey(service));
      }
      pool.lastActivityAt = now;
      break;
    case 'set':
      setPoolProperties(pool, action.properties);
      if (action.tags) pool.tags = { ...(pool.tags ?? {}), ...Object.fromEntries(action.tags) };
      break;
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
  }
  pool.updatedOn = now;
  return statusResult('Statement executed successfully.');
}

function setPoolProperties(pool: ComputePoolRecord, properties: Properties): void {
  checkProperties(properties, ['MIN_NODES', 'MAX_NODES', 'AUTO_RESUME', 'AUTO_SUSPEND_SECS', 'COMMENT', 'PLACEMENT_GROUP', 'INSTANCE_FAMILY', 'BACKUP_INSTANCE_FAMILIES'], 'COMPUTE_POOL');
  const minNodes = numberProperty(properties, 'MIN_NODES', { min: 1 }) ?? pool.minNodes;
  const maxNodes = numberProperty(properties, 'MAX_NODES', { min: 1 }) ?? pool.maxNodes;
  if (maxNodes < minNodes) {
    throw SqlErrors.invalidValue(`MAX_NODES (${maxNodes}) must be greater than or equal to MIN_NODES (${minNodes}).`);
  }
  const instanceFamily = identifierProperty(properties, 'INSTANCE_FAMILY');
  const backup = listProperty(properties, 'BACKUP_INSTANCE_FAMILIES');
  const autoResume = booleanProperty(properties, 'AUTO_RESUME');
  const autoSuspend = numberProperty(properties, 'AUTO_SUSPEND_SECS', { min: 0 });
  const comment = stringProperty(properties, 'COMMENT');
  const placementGroup = stringProperty(properties, 'PLACEMENT_GROUP');
  pool.minNodes = minNodes;
  pool.maxNodes = maxNodes;
  if (instanceFamily !== undefined) pool.instanceFamily = family(instanceFamily);
  if (backup !== undefined) pool.backupInstanceFamilies = backup.map(family);
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
  const workloads = ctx.store.servicesInPool(poolName);
  if (workloads.length > 0) {
    throw SqlErrors.poolHasServices(poolName, workloads.length);
  }
  ctx.store.removeComputePool(poolName);
  return statusResult(`${poolName} successfully dropped.`);
}
