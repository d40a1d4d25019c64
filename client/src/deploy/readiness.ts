/**
 * The readiness gate after a deploy: poll the service until every instance is READY on the new spec,
 * or a container FAILED (then triage it), or time runs out, and always end with a message that says
 * what state the service is in. A service is never left starting "silently": on timeout or
 * cancellation the result says it was created/upgraded and is still starting in Snowflake.
 *
 * Owns: the ready/failed decision on each snapshot (`serviceSnapshot.ts` reads DESCRIBE SERVICE,
 * SHOW SERVICE INSTANCES and SHOW SERVICE CONTAINERS into one) and the progress it reports; a failure
 * is explained by `triage.ts` (the containers' status, logs, cause and the place in the spec).
 *
 * Time goes through a `Scheduler` (real timers by default; tests pass one that advances the
 * emulator's clock), so the gate has no sleeps of its own. Must not: import `vscode`, change the
 * service (it only reads), or throw (every outcome is a result).
 */

import { snowflakeError, type SnowflakeError } from '../snowflake/errors';
import * as sql from '../snowflake/sql';
import { type Triage, type TriageOptions, triageService } from './triage';
import { type InstanceStatus, type ServiceSnapshot, type SessionsExecute, serviceSnapshot } from './serviceSnapshot';

// ---------------------------------------------------------------------------------------------------
// Time

export interface Scheduler {
  /** Milliseconds; only differences matter. */
  now(): number;
  /** Waits `ms`; `cancelled` as soon as the signal fires. */
  wait(ms: number, signal?: AbortSignal): Promise<'elapsed' | 'cancelled'>;
}

export const realTimeScheduler: Scheduler = {
  now: () => Date.now(),
  wait: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) {
        resolve('cancelled');
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve('cancelled');
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve('elapsed');
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

// ---------------------------------------------------------------------------------------------------
// The gate

export interface ReadinessProgress {
  readonly snapshot: ServiceSnapshot;
  readonly elapsedMs: number;
  /** For the progress notification, e.g. "1 of 2 instances ready · vllm (instance 0): PENDING, Waiting to start". */
  readonly message: string;
}

export type ReadinessResult =
  | { readonly state: 'ready'; readonly instances: readonly InstanceStatus[]; readonly snapshot: ServiceSnapshot; readonly message: string }
  | { readonly state: 'failed'; readonly triage: Triage; readonly snapshot: ServiceSnapshot; readonly message: string }
  /** The service is suspended: it starts when resumed (nothing to wait for). */
  | { readonly state: 'suspended'; readonly snapshot: ServiceSnapshot; readonly message: string }
  | { readonly state: 'timeout'; readonly last: ServiceSnapshot | undefined; readonly message: string }
  | { readonly state: 'cancelled'; readonly last: ServiceSnapshot | undefined; readonly message: string }
  | { readonly state: 'error'; readonly error: SnowflakeError; readonly last: ServiceSnapshot | undefined; readonly message: string };

export interface ReadinessOptions extends Omit<TriageOptions, 'timeoutMs' | 'signal'> {
  /** How long to wait for readiness (default 15 minutes, in scheduler time). */
  readonly timeoutMs?: number;
  /** How often to look (default 5 s). */
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ReadinessProgress) => void;
  readonly scheduler?: Scheduler;
  /** What the deploy did, for the messages (default `create`). */
  readonly action?: 'create' | 'upgrade';
  /** Bound on each SQL statement (default 30 s, real time). */
  readonly statementTimeoutMs?: number;
  /** Consecutive network/timeout failures tolerated before giving up (default 3). */
  readonly transientRetries?: number;
}

/** Polls until every instance is READY on the current spec, a container FAILED, or the time is up. */
export async function watchReadiness(sessions: SessionsExecute, connection: string, service: sql.ObjectName, options: ReadinessOptions = {}): Promise<ReadinessResult> {
  const scheduler = options.scheduler ?? realTimeScheduler;
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  const pollMs = options.pollMs ?? 5000;
  const shown = sql.objectName(service);
  const did = options.action === 'upgrade' ? 'was upgraded' : 'was created';
  const started = scheduler.now();
  const query = { timeoutMs: options.statementTimeoutMs ?? 30_000, ...(options.signal ? { signal: options.signal } : {}) };
  let last: ServiceSnapshot | undefined;
  let transientFailures = 0;
  for (;;) {
    if (options.signal?.aborted) {
      return { state: 'cancelled', last, message: `Stopped waiting for ${shown}. The service ${did} and keeps starting in Snowflake${last ? ` (${describeProgress(last)})` : ''}; nothing was rolled back.` };
    }
    const snapshot = await serviceSnapshot(sessions, connection, service, query);
    if (!snapshot.ok) {
      const error = snapshot.error;
      if (error.kind === 'cancelled' && options.signal?.aborted) continue;
      if (error.kind === 'notFound') {
        return { state: 'error', error, last, message: `Service ${shown} no longer exists: it was dropped while it was starting.` };
      }
      transientFailures++;
      if ((error.kind !== 'network' && error.kind !== 'timeout') || transientFailures > (options.transientRetries ?? 3)) {
        return { state: 'error', error, last, message: `The status of ${shown} could not be read (${error.message}). The service ${did}; check it in the SPCS view before deploying again.` };
      }
    } else {
      transientFailures = 0;
      last = snapshot.value;
      const elapsedMs = scheduler.now() - started;
      options.onProgress?.({ snapshot: last, elapsedMs, message: describeProgress(last) });
      const verdict = judge(last);
      if (verdict === 'ready') {
        return {
          state: 'ready',
          instances: last.instances,
          snapshot: last,
          message: `Service ${shown} is ready: ${last.readyInstances} instance${last.readyInstances === 1 ? '' : 's'} READY${options.action === 'upgrade' ? ' on the new spec' : ''}.`,
        };
      }
      if (verdict === 'failed') {
        const triage = await triageService(sessions, connection, service, last, { ...options, timeoutMs: query.timeoutMs });
        return { state: 'failed', triage, snapshot: last, message: `${triage.summary} The service ${did} and stays as it is (nothing was dropped); fix the cause and deploy again to upgrade it.` };
      }
      if (verdict === 'suspended') {
        return { state: 'suspended', snapshot: last, message: `Service ${shown} is ${last.status.toLowerCase()}; it starts when it is resumed (ALTER SERVICE ${shown} RESUME).` };
      }
      if (verdict === 'gone') {
        return { state: 'error', error: snowflakeError('notFound', `Service ${shown} is ${last.status}.`), last, message: `Service ${shown} is being deleted (status ${last.status}).` };
      }
    }
    const elapsed = scheduler.now() - started;
    if (elapsed >= timeoutMs) {
      return {
        state: 'timeout',
        last,
        message: `Service ${shown} ${did} but is not ready after ${duration(elapsed)}${last ? ` (${describeProgress(last)})` : ''}. It is still starting in Snowflake and nothing was rolled back: watch it in the SPCS view or its logs.`,
      };
    }
    const waited = await scheduler.wait(Math.min(pollMs, timeoutMs - elapsed), options.signal);
    if (waited === 'cancelled') continue;
  }
}

function judge(snapshot: ServiceSnapshot): 'ready' | 'failed' | 'suspended' | 'gone' | 'waiting' {
  const status = snapshot.status.toUpperCase();
  if (snapshot.containers.some((container) => container.status === 'FAILED') || snapshot.instances.some((instance) => instance.status === 'FAILED') || status === 'FAILED') {
    return 'failed';
  }
  if (status === 'SUSPENDED' || status === 'SUSPENDING') return 'suspended';
  if (status === 'DELETING' || status === 'DELETED') return 'gone';
  const allReady =
    snapshot.instances.length >= snapshot.expectedInstances &&
    snapshot.readyInstances === snapshot.instances.length &&
    snapshot.containers.every((container) => container.status === 'READY');
  return allReady && !snapshot.isUpgrading ? 'ready' : 'waiting';
}

/** "1 of 2 instances ready · vllm (instance 0): PENDING, Waiting to start". */
export function describeProgress(snapshot: ServiceSnapshot): string {
  const total = Math.max(snapshot.expectedInstances, snapshot.instances.length);
  const parts = [`${snapshot.readyInstances} of ${total} instance${total === 1 ? '' : 's'} ready`];
  if (snapshot.isUpgrading) parts.push('upgrading');
  const waiting = snapshot.containers.find((container) => container.status !== 'READY');
  if (waiting) {
    parts.push(`${waiting.container} (instance ${waiting.instanceId}): ${waiting.status}${waiting.message ? `, ${waiting.message}` : ''}`);
  } else if (snapshot.instances.length === 0) {
    parts.push(`service ${snapshot.status}`);
  }
  return parts.join(' · ');
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}
