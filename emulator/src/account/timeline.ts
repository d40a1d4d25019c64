/**
 * A service's past as the event table remembers it: every container of every instance generation
 * (with its process runs, including runs that crashed, were replaced by an upgrade, stopped by a
 * suspension, or finished as a job), and the moments at which a status can change. Platform events
 * (`events.ts`), platform metrics (`metrics.ts`) and the event-table logs (`eventTableLogs.ts`) are
 * all derived from this, so the three agree with each other and with SHOW SERVICE CONTAINERS.
 *
 * Owns: walking the epochs of `ServiceRecord.history` (the service as it was before each RESUME,
 * upgrade or new instance count) plus the current record, evaluating each with the lifecycle rules of
 * `lifecycle.ts`, and joining the pieces: a container that lives on across an epoch boundary is the
 * same container (same instance, name and start), and one that the next epoch no longer has ended at
 * the boundary.
 *
 * Must not: change records or format rows. Everything is a pure function of (record, time).
 */

import { crashesBetween, exitCodeAt, generationsOf, instanceCount, ipAddress, jobFails, serviceState, type ProcessRun, type ServiceState } from './lifecycle';
import type { ContainerSpec, ResolvedImage, ServiceEpoch, ServiceRecord, SpecVersion } from './model';
import { Timing } from './timing';

/** Why a process run or a container ended. */
export type EndReason = 'crash' | 'stop' | 'replace' | 'complete' | 'fail' | 'cancel';

export interface RunInfo extends ProcessRun {
  readonly endReason?: EndReason;
}

/** One container of one instance generation, from its creation to its end. */
export interface ContainerLife {
  readonly instance: number;
  readonly spec: ContainerSpec;
  readonly image: ResolvedImage | undefined;
  readonly version: SpecVersion;
  /** When the instance generation was created (the container exists, PENDING, from here). */
  readonly start: number;
  /** When the container went away (replaced, suspended, job finished); undefined while it lives. */
  readonly end?: number;
  readonly endReason?: EndReason;
  /** When its first process started; undefined when the image cannot run or has not started yet. */
  readonly processStart?: number;
  /** When the readiness probe first passed (services only). */
  readonly readyAt?: number;
  readonly ipAddress: string;
  readonly job: boolean;
  /** Process runs, oldest first. */
  readonly runs: readonly RunInfo[];
}

type EpochRecord = ServiceEpoch['record'];

interface Epoch {
  readonly record: EpochRecord;
  readonly from: number;
  /** Exclusive end; Infinity for the current record. */
  readonly until: number;
}

/** The epochs of a service, oldest first: the recorded history, then the current record. */
function epochsOf(service: ServiceRecord): Epoch[] {
  const epochs: Epoch[] = [];
  let from = service.createdOn;
  for (const entry of service.history ?? []) {
    epochs.push({ record: entry.record, from, until: entry.until });
    from = entry.until;
  }
  epochs.push({ record: service, from, until: Number.POSITIVE_INFINITY });
  return epochs;
}

function lifeKey(life: Pick<ContainerLife, 'instance' | 'spec' | 'start'>): string {
  return `${life.instance}|${life.spec.name}|${life.start}`;
}

/**
 * Every container life that existed at some moment in [from, asOf], as known at `asOf` (runs and
 * ends after `asOf` are not known yet), oldest first by start.
 */
export function containerLives(service: ServiceRecord, from: number, asOf: number): ContainerLife[] {
  let lives = new Map<string, ContainerLife>();
  for (const epoch of epochsOf(service)) {
    if (epoch.from > asOf) break;
    const current = new Map(livesOfEpoch(epoch.record, Math.min(asOf, epoch.until)).map((life) => [lifeKey(life), life]));
    const next = new Map<string, ContainerLife>();
    for (const [key, life] of lives) {
      // A container the new epoch does not know ended when the epoch began.
      next.set(key, current.has(key) || life.end !== undefined ? life : endAt(life, epoch.from));
    }
    for (const [key, life] of current) next.set(key, life);
    lives = next;
  }
  return [...lives.values()].filter((life) => life.start <= asOf && (life.end ?? Number.POSITIVE_INFINITY) >= from).sort((a, b) => a.start - b.start || a.instance - b.instance);
}

function endAt(life: ContainerLife, at: number): ContainerLife {
  const runs = life.runs.map((run) => (run.end === undefined ? { ...run, end: at, exitCode: 0, endReason: 'stop' as const } : run));
  return { ...life, end: at, endReason: 'stop', runs };
}

function livesOfEpoch(record: EpochRecord, asOf: number): ContainerLife[] {
  return record.isJob ? jobLives(record, asOf) : serviceLives(record, asOf);
}

function serviceLives(record: EpochRecord, asOf: number): ContainerLife[] {
  const lives: ContainerLife[] = [];
  const count = instanceCount(record);
  const stopAt = record.suspendedAt !== undefined && record.suspendedAt <= asOf ? record.suspendedAt : undefined;
  for (let id = 0; id < count; id++) {
    for (const generation of generationsOf(record, id, count)) {
      const start = Math.max(generation.start, record.nodesReadyAt);
      if (start > asOf || (stopAt !== undefined && start >= stopAt)) continue;
      const replacedAt = generation.replacedAt !== undefined && generation.replacedAt <= asOf ? generation.replacedAt : undefined;
      const end = stopAt !== undefined && (replacedAt === undefined || stopAt < replacedAt) ? stopAt : replacedAt;
      const endReason: EndReason | undefined = end === undefined ? undefined : end === stopAt ? 'stop' : 'replace';
      generation.version.spec.containers.forEach((spec, index) => {
        const image = generation.version.images[index];
        const base = { instance: id, spec, image, version: generation.version, start, ipAddress: ipAddress(record, id, generation.start), job: false };
        const ended = end !== undefined ? { end, endReason } : {};
        const processStart = generation.start + Timing.imagePullMs;
        if (image?.problem !== undefined || processStart > asOf || (end !== undefined && processStart >= end)) {
          lives.push({ ...base, ...ended, runs: [] });
          return;
        }
        const limit = Math.min(asOf, end ?? Number.POSITIVE_INFINITY);
        const crashes = crashesBetween(record as ServiceRecord, id, spec, image?.tag ?? '', processStart, limit).filter((at) => end === undefined || at < end);
        const runs: RunInfo[] = [];
        let runStart = processStart;
        crashes.forEach((at, k) => {
          runs.push({ index: k, start: runStart, end: at, exitCode: exitCodeAt(record, id, spec.name, at), job: false, endReason: 'crash' });
          runStart = at;
        });
        runs.push({ index: crashes.length, start: runStart, job: false, ...(end !== undefined ? { end, exitCode: 0, endReason } : {}) });
        lives.push({ ...base, ...ended, processStart, readyAt: processStart + Timing.startupMs, runs });
      });
    }
  }
  return lives;
}

function jobLives(record: EpochRecord, asOf: number): ContainerLife[] {
  const lives: ContainerLife[] = [];
  const count = instanceCount(record);
  const cancelledAt = record.cancelledAt !== undefined && record.cancelledAt <= asOf ? record.cancelledAt : undefined;
  for (let id = 0; id < count; id++) {
    const start = record.nodesReadyAt + id * Timing.jobStaggerMs;
    if (start > asOf || (cancelledAt !== undefined && start >= cancelledAt)) continue;
    record.current.spec.containers.forEach((spec, index) => {
      const image = record.current.images[index];
      const base = { instance: id, spec, image, version: record.current, start, ipAddress: ipAddress(record, id, start), job: true };
      const processStart = start + Timing.imagePullMs;
      if (image?.problem !== undefined) {
        // The pull fails when the process would have started; the container stays FAILED.
        lives.push({ ...base, ...(processStart <= asOf ? { end: processStart, endReason: 'fail' as const } : {}), runs: [] });
        return;
      }
      if (processStart > asOf || (cancelledAt !== undefined && processStart >= cancelledAt)) {
        lives.push({ ...base, ...(cancelledAt !== undefined ? { end: cancelledAt, endReason: 'cancel' as const } : {}), runs: [] });
        return;
      }
      const finish = processStart + (record.jobDurationMs ?? Timing.jobDurationMs);
      const fails = jobFails(spec, image?.tag ?? '');
      let end: number | undefined;
      let exitCode: number | undefined;
      let endReason: EndReason | undefined;
      if (cancelledAt !== undefined && cancelledAt < finish) {
        // SIGTERM when the job is cancelled.
        [end, exitCode, endReason] = [cancelledAt, 143, 'cancel'];
      } else if (finish <= asOf) {
        [end, exitCode, endReason] = [finish, fails ? 1 : 0, fails ? 'fail' : 'complete'];
      }
      const run: RunInfo = { index: 0, start: processStart, job: true, ...(end !== undefined ? { end, exitCode, endReason } : {}) };
      lives.push({ ...base, ...(end !== undefined ? { end, endReason } : {}), processStart, runs: [run] });
    });
  }
  return lives;
}

// ---- status changes -------------------------------------------------------------------------------------

/**
 * The record as it was at `at`: a suspension or cancellation recorded later had not happened yet
 * (the lifecycle rules read those fields as already in effect).
 */
function recordAsOf(record: ServiceRecord, at: number): ServiceRecord {
  const suspendedLater = record.suspendedAt !== undefined && at < record.suspendedAt;
  const cancelledLater = record.cancelledAt !== undefined && at < record.cancelledAt;
  if (!suspendedLater && !cancelledLater) return record;
  const copy = { ...record };
  if (suspendedLater) delete copy.suspendedAt;
  if (cancelledLater) delete copy.cancelledAt;
  return copy;
}

/** The state of the service at a moment of one of its epochs. */
export interface StateAt {
  readonly at: number;
  readonly state: ServiceState;
  /** Whether this epoch began with a RESUME (an earlier epoch ended suspended). */
  readonly resumed: boolean;
  readonly epochStart: boolean;
}

/**
 * The service's state at every moment where it can change, from its creation to `asOf`, oldest
 * first. Between two consecutive entries nothing visible changes except process restarts, which
 * the state does not show (a restarted container is READY again at once): see `containerLives`.
 */
export function stateChanges(service: ServiceRecord, asOf: number): StateAt[] {
  const result: StateAt[] = [];
  const epochs = epochsOf(service).filter((epoch) => epoch.from <= asOf);
  epochs.forEach((epoch, index) => {
    const record = epoch.record as ServiceRecord;
    const until = Math.min(asOf, epoch.until - 1);
    const resumed = index > 0 && epochs[index - 1]?.record.suspendedAt !== undefined;
    const moments = new Set<number>([epoch.from, record.runStartedAt, record.nodesReadyAt]);
    const count = instanceCount(record);
    if (record.isJob) {
      for (let id = 0; id < count; id++) {
        const start = record.nodesReadyAt + id * Timing.jobStaggerMs;
        const processStart = start + Timing.imagePullMs;
        moments.add(start).add(processStart).add(processStart + (record.jobDurationMs ?? Timing.jobDurationMs));
      }
      if (record.cancelledAt !== undefined) moments.add(record.cancelledAt).add(record.cancelledAt + Timing.cancelMs);
    } else {
      for (let id = 0; id < count; id++) {
        for (const generation of generationsOf(record, id, count)) {
          const processStart = generation.start + Timing.imagePullMs;
          moments.add(generation.start).add(processStart).add(processStart + Timing.startupMs);
          if (generation.replacedAt !== undefined) moments.add(generation.replacedAt);
        }
      }
      if (record.upgradeStartedAt !== undefined) {
        moments.add(record.upgradeStartedAt).add(record.upgradeStartedAt + (count - 1) * Timing.upgradeStepMs + Timing.imagePullMs + Timing.startupMs);
      }
      if (record.scaledAt !== undefined) moments.add(record.scaledAt);
      if (record.suspendedAt !== undefined) moments.add(record.suspendedAt).add(record.suspendedAt + Timing.suspendMs);
    }
    const sorted = [...moments].filter((at) => at >= epoch.from && at <= until).sort((a, b) => a - b);
    sorted.forEach((at, position) => result.push({ at, state: serviceState(recordAsOf(record, at), at), resumed, epochStart: position === 0 }));
  });
  return result;
}
