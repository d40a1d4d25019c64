/**
 * Time-dependent state, derived from the stored records and the clock (no timers).
 *
 * Owns: service, instance and container statuses (reference §4.9, §4.10, §4.12) and their
 * messages; rolling upgrades (`is_upgrading`, instances replaced highest id first); suspend and
 * resume; job runs (PENDING → RUNNING → DONE or FAILED, with REPLICAS); container restarts (manual
 * ones recorded by the test/demo control, and periodic crashes of images tagged `flaky`/`crash`) and
 * the process runs that `logs.ts` turns into log lines; compute pool states (STARTING, IDLE, ACTIVE,
 * RESIZING, STOPPING while the jobs running at suspension finish, SUSPENDED, auto-suspend after
 * AUTO_SUSPEND_SECS idle) and node counts.
 *
 * Job outcome rule (emulator convention): a job container fails when its image tag contains `fail`
 * or its command/args contain `exit 1` (or the command is `false`); otherwise it succeeds.
 *
 * Must not: change records. Everything here is a pure function of (records, now).
 *
 * Over 400 lines on purpose: one state machine over time, read best whole.
 */

import { choose, pick } from './hashing';
import type { ComputePoolRecord, ContainerSpec, ServiceEpoch, ServiceRecord, SpecVersion } from './model';
import type { AccountStore } from './store';
import { Timing } from './timing';

export type ContainerStatus = 'PENDING' | 'READY' | 'DONE' | 'FAILED' | 'TERMINATING' | 'UNKNOWN';
export type InstanceStatus = 'PENDING' | 'READY' | 'FAILED' | 'TERMINATING' | 'SUCCEEDED';

/** One run of a container's process (what its logs cover). */
export interface ProcessRun {
  /** 0 for the first run of the container in this instance generation, 1 after the first restart, … */
  readonly index: number;
  readonly start: number;
  /** When the process ended (crash, suspension, job end); undefined while it runs. */
  readonly end?: number;
  readonly exitCode?: number;
  /** Whether the run is a job replica (logs end with a completion or failure summary). */
  readonly job: boolean;
}

export interface ContainerState {
  readonly spec: ContainerSpec;
  readonly digest: string | undefined;
  readonly status: ContainerStatus;
  readonly message: string;
  readonly restartCount: number;
  readonly startTime: number | undefined;
  readonly lastExitCode: number | undefined;
  readonly lastRestartTime: number | undefined;
  readonly current: ProcessRun | undefined;
  readonly previous: ProcessRun | undefined;
}

export interface InstanceState {
  readonly id: number;
  readonly status: InstanceStatus;
  readonly specDigest: string;
  readonly creationTime: number;
  readonly startTime: number | undefined;
  readonly ipAddress: string;
  readonly containers: readonly ContainerState[];
}

export interface ServiceState {
  readonly status: string;
  readonly instances: readonly InstanceState[];
  readonly isUpgrading: boolean;
  readonly currentInstances: number;
  readonly targetInstances: number;
  readonly readyInstances: number;
}

export function instanceCount(service: ServiceRecord): number {
  return Math.max(1, service.minInstances);
}

export function jobFails(container: ContainerSpec, tag: string): boolean {
  const words = [...(container.command ?? []), ...(container.args ?? [])].join(' ');
  return /fail/i.test(tag) || /\bexit\s+[1-9]/.test(words) || container.command?.[0] === 'false';
}

function isFlaky(tag: string): boolean {
  return /flaky|crash/i.test(tag);
}

export function ipAddress(service: ServiceRecord, instance: number, generationStart: number): string {
  return `10.244.${pick(250, service.seed, 'ip-a', instance, generationStart) + 1}.${pick(250, service.seed, 'ip-b', instance, generationStart) + 2}`;
}

const crashExitCodes: readonly [number, ...number[]] = [1, 137, 139, 1, 2];

// ---- long-running services -------------------------------------------------------------------------

/** One generation of an instance: the spec version it runs and when it was (re)created. */
export interface Generation {
  readonly version: SpecVersion;
  readonly start: number;
  /** When an upgrade replaces this generation (undefined: it is the latest). */
  readonly replacedAt?: number;
}

/** The instance's generations, oldest first: one, or two while (and after) an upgrade replaces it. */
export function generationsOf(service: ServiceRecord, instance: number, count: number): Generation[] {
  const scaled = service.scaledAt !== undefined && service.scaledFrom !== undefined && instance >= service.scaledFrom;
  const initialStart = scaled
    ? Math.max(service.nodesReadyAt, service.scaledAt ?? 0) + (instance - (service.scaledFrom ?? 0)) * Timing.instanceStaggerMs
    : service.nodesReadyAt + instance * Timing.instanceStaggerMs;
  if (service.upgradeStartedAt !== undefined && service.previous) {
    const previousStart = service.previousStarts?.[instance] ?? initialStart;
    const slot = Math.max(service.upgradeStartedAt + (count - 1 - instance) * Timing.upgradeStepMs, previousStart);
    const replaced: Generation[] = slot > previousStart ? [{ version: service.previous, start: previousStart, replacedAt: slot }] : [];
    return [...replaced, { version: service.current, start: slot }];
  }
  return [{ version: service.current, start: initialStart }];
}

function generationOf(service: ServiceRecord, instance: number, count: number, now: number): Generation {
  const generations = generationsOf(service, instance, count);
  return generations.find((generation) => generation.replacedAt === undefined || now < generation.replacedAt) ?? (generations[generations.length - 1] as Generation);
}

/** When the service's initial instances were all READY (an upgrade that starts later keeps it RUNNING). */
function firstReadyTime(service: ServiceRecord): number {
  return service.nodesReadyAt + (instanceCount(service) - 1) * Timing.instanceStaggerMs + Timing.imagePullMs + Timing.startupMs;
}

function upgradeEndsAt(service: ServiceRecord): number | undefined {
  if (service.upgradeStartedAt === undefined) {
    return undefined;
  }
  const count = instanceCount(service);
  return service.upgradeStartedAt + (count - 1) * Timing.upgradeStepMs + Timing.imagePullMs + Timing.startupMs;
}

/**
 * Every crash of a container process started at `processStart`, up to `until` (inclusive), oldest
 * first: manual restarts plus the periodic crashes of flaky images. `crashTimes` is the cheap form for
 * one moment; both count the same crashes.
 */
export function crashesBetween(service: ServiceRecord, instance: number, container: ContainerSpec, tag: string, processStart: number, until: number): number[] {
  const manual = service.restarts
    .filter((restart) => restart.instance === instance && restart.container === container.name && restart.at > processStart && restart.at <= until)
    .map((restart) => restart.at);
  const periodic: number[] = [];
  if (isFlaky(tag)) {
    for (let at = processStart + Timing.flakyRestartPeriodMs; at <= until; at += Timing.flakyRestartPeriodMs) periodic.push(at);
  }
  return [...manual, ...periodic].sort((a, b) => a - b);
}

/** Crash times of a running container, newest last: manual restarts plus periodic crashes of flaky images. */
function crashTimes(service: ServiceRecord, instance: number, container: ContainerSpec, tag: string, processStart: number, now: number): { count: number; last: number[] } {
  const manual = service.restarts
    .filter((restart) => restart.instance === instance && restart.container === container.name && restart.at > processStart && restart.at <= now)
    .map((restart) => restart.at);
  let periodic: number[] = [];
  let periodicCount = 0;
  if (isFlaky(tag)) {
    periodicCount = Math.max(0, Math.floor((now - processStart) / Timing.flakyRestartPeriodMs));
    const first = Math.max(1, periodicCount - 1);
    for (let k = first; k <= periodicCount; k++) {
      periodic.push(processStart + k * Timing.flakyRestartPeriodMs);
    }
    periodic = periodic.filter((time) => time <= now);
  }
  const last = [...manual, ...periodic].sort((a, b) => a - b).slice(-2);
  return { count: manual.length + periodicCount, last };
}

export function exitCodeAt(service: ServiceRecord, instance: number, container: string, at: number): number {
  const manual = service.restarts.find((restart) => restart.instance === instance && restart.container === container && restart.at === at);
  return manual?.exitCode ?? choose(crashExitCodes, service.seed, instance, container, at);
}

function runningContainer(service: ServiceRecord, instance: number, generation: Generation, index: number, now: number, endAt: number | undefined): ContainerState {
  const spec = generation.version.spec.containers[index] as ContainerSpec;
  const image = generation.version.images[index];
  const digest = image?.digest;
  const base = { spec, digest, restartCount: 0, startTime: undefined, lastExitCode: undefined, lastRestartTime: undefined, current: undefined, previous: undefined };
  if (now < service.nodesReadyAt) {
    return { ...base, status: 'PENDING', message: 'Compute pool node(s) are being provisioned' };
  }
  if (image?.problem === 'invalid-format') {
    return { ...base, status: 'FAILED', message: 'Provided image name uses an invalid format' };
  }
  const processStart = generation.start + Timing.imagePullMs;
  if (image?.problem === 'missing') {
    return now < processStart ? { ...base, status: 'PENDING', message: 'Waiting to start' } : { ...base, status: 'FAILED', message: 'Failed to pull image' };
  }
  if (now < processStart) {
    return { ...base, status: 'PENDING', message: 'Waiting to start' };
  }
  const readyAt = processStart + Timing.startupMs;
  const crashes = crashTimes(service, instance, spec, image?.tag ?? '', processStart, now);
  const lastCrash = crashes.last[crashes.last.length - 1];
  const previousBoundary = crashes.last.length >= 2 ? crashes.last[0] : processStart;
  const currentStart = lastCrash ?? processStart;
  const current: ProcessRun = { index: crashes.count, start: currentStart, job: false, ...(endAt !== undefined ? { end: endAt, exitCode: 0 } : {}) };
  const previous: ProcessRun | undefined =
    lastCrash !== undefined && previousBoundary !== undefined
      ? { index: crashes.count - 1, start: previousBoundary, end: lastCrash, exitCode: exitCodeAt(service, instance, spec.name, lastCrash), job: false }
      : undefined;
  const withRuns = {
    ...base,
    restartCount: crashes.count,
    startTime: currentStart,
    lastExitCode: previous?.exitCode,
    lastRestartTime: lastCrash,
    current,
    previous,
  };
  if (now < readyAt) {
    const probe = spec.readinessProbe;
    const message = probe ? `Readiness probe is failing at path: ${probe.path}, port: ${probe.port}` : 'Waiting to start';
    return { ...withRuns, status: 'PENDING', message };
  }
  return { ...withRuns, status: 'READY', message: 'Running' };
}

function instanceStatusOf(containers: readonly ContainerState[]): InstanceStatus {
  if (containers.some((container) => container.status === 'FAILED')) return 'FAILED';
  if (containers.length > 0 && containers.every((container) => container.status === 'READY')) return 'READY';
  return 'PENDING';
}

function longRunningState(service: ServiceRecord, now: number): ServiceState {
  const count = instanceCount(service);
  const suspendedAt = service.suspendedAt;
  if (suspendedAt !== undefined && now >= suspendedAt + Timing.suspendMs) {
    return { status: 'SUSPENDED', instances: [], isUpgrading: false, currentInstances: 0, targetInstances: 0, readyInstances: 0 };
  }
  const asOf = suspendedAt !== undefined ? Math.min(now, suspendedAt) : now;
  const instances: InstanceState[] = [];
  for (let id = 0; id < count; id++) {
    const generation = generationOf(service, id, count, asOf);
    const containers = generation.version.spec.containers.map((_, index) => runningContainer(service, id, generation, index, asOf, suspendedAt));
    const terminating = suspendedAt !== undefined;
    const processStart = generation.start + Timing.imagePullMs;
    instances.push({
      id,
      status: terminating ? 'TERMINATING' : instanceStatusOf(containers),
      specDigest: generation.version.digest,
      creationTime: Math.max(service.runStartedAt, Math.min(generation.start, asOf)),
      startTime: asOf >= processStart && asOf >= service.nodesReadyAt ? processStart : undefined,
      ipAddress: ipAddress(service, id, generation.start),
      containers: terminating ? containers.map((container) => ({ ...container, status: 'TERMINATING' as const, message: 'Terminating' })) : containers,
    });
  }
  const ready = instances.filter((instance) => instance.status === 'READY').length;
  const upgradeEnd = upgradeEndsAt(service);
  const isUpgrading = suspendedAt === undefined && upgradeEnd !== undefined && now < upgradeEnd;
  let status: string;
  if (suspendedAt !== undefined) {
    status = 'SUSPENDING';
  } else if (instances.some((instance) => instance.status === 'FAILED')) {
    status = 'FAILED';
  } else if (ready >= Math.max(1, Math.min(service.minReadyInstances, count)) || (isUpgrading && service.upgradeStartedAt !== undefined && service.upgradeStartedAt >= firstReadyTime(service))) {
    status = 'RUNNING';
  } else {
    status = 'PENDING';
  }
  return { status, instances, isUpgrading, currentInstances: count, targetInstances: suspendedAt !== undefined ? 0 : count, readyInstances: ready };
}

// ---- jobs ------------------------------------------------------------------------------------------

function replicaEnd(service: ServiceRecord, replica: number): number {
  const start = service.nodesReadyAt + replica * Timing.jobStaggerMs;
  const images = service.current.images;
  if (images.some((image) => image.problem === 'invalid-format')) return start;
  if (images.some((image) => image.problem === 'missing')) return start + Timing.imagePullMs;
  return start + Timing.imagePullMs + (service.jobDurationMs ?? Timing.jobDurationMs);
}

/** When a job reaches DONE, FAILED or CANCELLED. */
export function jobFinishesAt(service: ServiceRecord): number {
  if (service.cancelledAt !== undefined) {
    return service.cancelledAt + Timing.cancelMs;
  }
  let end = 0;
  for (let replica = 0; replica < instanceCount(service); replica++) {
    end = Math.max(end, replicaEnd(service, replica));
  }
  return end;
}

function jobContainer(service: ServiceRecord, replica: number, index: number, now: number): ContainerState {
  const spec = service.current.spec.containers[index] as ContainerSpec;
  const image = service.current.images[index];
  const digest = image?.digest;
  const base = { spec, digest, restartCount: 0, startTime: undefined, lastExitCode: undefined, lastRestartTime: undefined, current: undefined, previous: undefined };
  const start = service.nodesReadyAt + replica * Timing.jobStaggerMs;
  if (now < service.nodesReadyAt) {
    return { ...base, status: 'PENDING', message: 'Compute pool node(s) are being provisioned' };
  }
  if (image?.problem === 'invalid-format') {
    return { ...base, status: 'FAILED', message: 'Provided image name uses an invalid format' };
  }
  const processStart = start + Timing.imagePullMs;
  if (image?.problem === 'missing') {
    return now < processStart ? { ...base, status: 'PENDING', message: 'Waiting to start' } : { ...base, status: 'FAILED', message: 'Failed to pull image' };
  }
  if (now < processStart) {
    return { ...base, status: 'PENDING', message: 'Waiting to start' };
  }
  const end = processStart + (service.jobDurationMs ?? Timing.jobDurationMs);
  const fails = jobFails(spec, image?.tag ?? '');
  if (now < end) {
    return { ...base, startTime: processStart, current: { index: 0, start: processStart, job: true }, status: 'READY', message: 'Running' };
  }
  const exitCode = fails ? 1 : 0;
  return {
    ...base,
    startTime: processStart,
    lastExitCode: exitCode,
    current: { index: 0, start: processStart, end, exitCode, job: true },
    status: fails ? 'FAILED' : 'DONE',
    message: fails ? 'User application error, check container logs' : 'Completed successfully',
  };
}

function jobState(service: ServiceRecord, now: number): ServiceState {
  const count = instanceCount(service);
  if (service.cancelledAt !== undefined) {
    const cancelling = now < service.cancelledAt + Timing.cancelMs;
    return { status: cancelling ? 'CANCELLING' : 'CANCELLED', instances: [], isUpgrading: false, currentInstances: cancelling ? count : 0, targetInstances: 0, readyInstances: 0 };
  }
  const instances: InstanceState[] = [];
  for (let id = 0; id < count; id++) {
    const containers = service.current.spec.containers.map((_, index) => jobContainer(service, id, index, now));
    const start = service.nodesReadyAt + id * Timing.jobStaggerMs;
    let status: InstanceStatus;
    if (containers.some((container) => container.status === 'FAILED')) status = 'FAILED';
    else if (containers.length > 0 && containers.every((container) => container.status === 'DONE')) status = 'SUCCEEDED';
    else if (containers.some((container) => container.status === 'READY' || container.status === 'DONE')) status = 'READY';
    else status = 'PENDING';
    const processStart = start + Timing.imagePullMs;
    instances.push({
      id,
      status,
      specDigest: service.current.digest,
      creationTime: service.runStartedAt,
      startTime: now >= processStart && now >= service.nodesReadyAt ? processStart : undefined,
      ipAddress: ipAddress(service, id, start),
      containers,
    });
  }
  let status: string;
  if (instances.some((instance) => instance.status === 'FAILED')) status = 'FAILED';
  else if (instances.every((instance) => instance.status === 'SUCCEEDED')) status = 'DONE';
  else if (instances.some((instance) => instance.status === 'READY' || instance.status === 'SUCCEEDED')) status = 'RUNNING';
  else status = 'PENDING';
  const finished = status === 'DONE' || status === 'FAILED';
  return {
    status,
    instances,
    isUpgrading: false,
    currentInstances: finished ? 0 : count,
    targetInstances: finished ? 0 : count,
    readyInstances: instances.filter((instance) => instance.status === 'READY').length,
  };
}

/**
 * Keeps the service as it is before an ALTER restarts or reshapes its instances (RESUME, an
 * upgrade, a new instance count): the event table's history of what it did until `at` is derived
 * from that copy (`timeline.ts`).
 */
export function closeEpoch(service: ServiceRecord, at: number): void {
  const { history, propertyChanges, logEventLevels, ...record } = service;
  void propertyChanges;
  void logEventLevels;
  const epoch: ServiceEpoch = { until: at, record: structuredClone(record) };
  service.history = [...(history ?? []), epoch];
}

export function serviceState(service: ServiceRecord, now: number): ServiceState {
  return service.isJob ? jobState(service, now) : longRunningState(service, now);
}

/** The ingress URL of a public endpoint, or Snowflake's placeholder while it is provisioned. */
export const ingressPlaceholder = 'Endpoints provisioning in progress... check back in a few minutes';

export function ingressReady(service: ServiceRecord, now: number): boolean {
  return service.ingressReadyAt !== undefined && now >= service.ingressReadyAt;
}

/** When a freshly recorded spec version will have its first instance READY (for ingress). */
export function firstReadyAt(version: SpecVersion, nodesReadyAt: number): number | undefined {
  if (version.images.some((image) => image.problem !== undefined)) {
    return undefined;
  }
  return nodesReadyAt + Timing.imagePullMs + Timing.startupMs;
}

// ---- compute pools -----------------------------------------------------------------------------------

export interface PoolState {
  readonly state: 'STARTING' | 'RESIZING' | 'IDLE' | 'ACTIVE' | 'STOPPING' | 'SUSPENDED';
  readonly numServices: number;
  readonly numJobs: number;
  readonly activeNodes: number;
  readonly idleNodes: number;
  readonly targetNodes: number;
  /** Whether the SUSPENDED state comes from auto-suspend (so a new workload may resume it). */
  readonly autoSuspended: boolean;
}

export function poolReadyAt(pool: ComputePoolRecord): number {
  return pool.startedAt + Timing.poolStartMs;
}

/**
 * When a suspended pool has released its nodes: jobs running when it was suspended continue until
 * they end (the docs: "the jobs continue to run until they reach a terminal state"), services were
 * suspended at once.
 */
export function poolStopsAt(store: AccountStore, pool: ComputePoolRecord): number | undefined {
  if (pool.suspendedAt === undefined) {
    return undefined;
  }
  let end = pool.suspendedAt + Timing.poolStopMs;
  for (const service of store.servicesInPool(pool.name)) {
    if (service.isJob) {
      end = Math.max(end, jobFinishesAt(service));
    }
  }
  return end;
}

export function poolState(store: AccountStore, pool: ComputePoolRecord, now: number): PoolState {
  const services = store.servicesInPool(pool.name);
  let numServices = 0;
  let numJobs = 0;
  let busy = false;
  let lastWorkEnd = Math.max(pool.lastActivityAt, poolReadyAt(pool));
  let instances = 0;
  let jobInstances = 0;
  for (const service of services) {
    if (service.isJob) {
      const finishes = jobFinishesAt(service);
      if (now < finishes) {
        numJobs++;
        busy = true;
        instances += instanceCount(service);
        jobInstances += instanceCount(service);
      } else {
        lastWorkEnd = Math.max(lastWorkEnd, finishes);
      }
      continue;
    }
    numServices++;
    if (service.suspendedAt === undefined) {
      busy = true;
      instances += instanceCount(service);
    } else {
      lastWorkEnd = Math.max(lastWorkEnd, service.suspendedAt + Timing.suspendMs);
    }
  }
  const none = { numServices, numJobs, activeNodes: 0, idleNodes: 0, targetNodes: 0 };
  const stopsAt = poolStopsAt(store, pool);
  if (stopsAt !== undefined) {
    if (now >= stopsAt) {
      return { ...none, state: 'SUSPENDED', autoSuspended: false };
    }
    // Only the running jobs keep nodes while the pool stops.
    const jobNodes = Math.min(pool.maxNodes, jobInstances);
    return { ...none, activeNodes: jobNodes, targetNodes: jobNodes, state: 'STOPPING', autoSuspended: false };
  }
  const target = Math.max(pool.minNodes, Math.min(pool.maxNodes, instances));
  if (now < poolReadyAt(pool)) {
    return { ...none, targetNodes: target, state: 'STARTING', autoSuspended: false };
  }
  if (!busy && pool.autoSuspendSecs > 0 && now >= lastWorkEnd + pool.autoSuspendSecs * 1000) {
    return { ...none, state: 'SUSPENDED', autoSuspended: true };
  }
  if (pool.resizingUntil !== undefined && now < pool.resizingUntil) {
    const provisioned = Math.min(target, Math.max(1, pool.resizeFrom ?? 1));
    const active = Math.min(provisioned, instances);
    return { numServices, numJobs, activeNodes: active, idleNodes: provisioned - active, targetNodes: target, state: 'RESIZING', autoSuspended: false };
  }
  const active = Math.min(target, instances);
  return { numServices, numJobs, activeNodes: active, idleNodes: target - active, targetNodes: target, state: busy ? 'ACTIVE' : 'IDLE', autoSuspended: false };
}
