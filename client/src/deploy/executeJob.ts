/**
 * Runs a spec as a job service (`EXECUTE JOB SERVICE`) and follows it to its end: progress from the
 * job's containers, its log lines as they appear, and the final state (DONE, or FAILED with the same
 * triage as a failed deploy, or CANCELLED).
 *
 * Owns: the two ways a job runs: synchronous (the statement lasts as long as the job, so it is
 * submitted with the session's long-statement path `submit` and followed with `queryStatus` /
 * `waitForQuery`, never holding a request open) and asynchronous (ASYNC = TRUE returns at once; the
 * job is followed through DESCRIBE SERVICE); and following the job's logs without repeating a line
 * (SYSTEM$GET_SERVICE_LOGS with timestamps, from the last timestamp seen, as the Snowflake CLI's
 * `--follow` does, reference §5.2).
 *
 * When the client stops following (timeout, cancel) the job keeps running in Snowflake and the
 * outcome says so; `cancelJob` is the separate, explicit way to stop it. Must not: import `vscode`
 * or throw (every outcome is a result).
 */

import type { SnowflakeError } from '../snowflake/errors';
import type { Result } from '../snowflake/result';
import { isRunningStatus, type SnowflakeSessions } from '../snowflake/session';
import * as sql from '../snowflake/sql';
import { targetObject, targetText, type DeployTarget } from '../specs/deployedService';
import { type JobPlan } from './planJob';
import { describeProgress, realTimeScheduler, type Scheduler } from './readiness';
import { serviceSnapshot, type ServiceSnapshot } from './serviceSnapshot';
import { triageService, type Triage, type TriageOptions } from './triage';

type JobSessions = Pick<SnowflakeSessions, 'execute' | 'submit' | 'queryStatus' | 'waitForQuery'>;

export interface JobLogLine {
  readonly instanceId: string;
  readonly container: string;
  /** RFC 3339 with nanoseconds, as Snowflake prints it. */
  readonly timestamp: string | undefined;
  readonly text: string;
}

export interface JobProgress {
  readonly snapshot: ServiceSnapshot | undefined;
  readonly elapsedMs: number;
  /** For the progress notification, e.g. "RUNNING · 1 of 2 replicas done". */
  readonly message: string;
}

export type JobOutcome =
  | { readonly state: 'done'; readonly name: string; readonly snapshot: ServiceSnapshot; readonly message: string; readonly logError?: string }
  | { readonly state: 'failed'; readonly name: string; readonly triage: Triage; readonly snapshot: ServiceSnapshot; readonly message: string; readonly logError?: string }
  /** The job was cancelled in Snowflake (SYSTEM$CANCEL_JOB, a suspended pool, the statement timeout). */
  | { readonly state: 'cancelled'; readonly name: string; readonly snapshot: ServiceSnapshot | undefined; readonly message: string }
  /** The client stopped following (its signal); the job keeps running. */
  | { readonly state: 'stopped'; readonly name: string; readonly last: ServiceSnapshot | undefined; readonly message: string }
  | { readonly state: 'timeout'; readonly name: string; readonly last: ServiceSnapshot | undefined; readonly message: string }
  /** `submitted: false`: Snowflake rejected the statement, no job exists. */
  | { readonly state: 'error'; readonly name: string; readonly error: SnowflakeError; readonly submitted: boolean; readonly message: string };

export interface ExecuteJobOptions extends Omit<TriageOptions, 'timeoutMs' | 'signal'> {
  /** How long to follow the job (default 2 hours, in scheduler time); it keeps running afterwards. */
  readonly timeoutMs?: number;
  /** How often to look (default 5 s). */
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  readonly scheduler?: Scheduler;
  readonly onProgress?: (progress: JobProgress) => void;
  /** New log lines of the job's containers, oldest first; omit to not follow logs. */
  readonly onLog?: (lines: readonly JobLogLine[]) => void;
  /** Bound on each SQL statement (default 30 s, real time). */
  readonly statementTimeoutMs?: number;
}

/** Final states of a job service (SHOW SERVICES `status`). */
const jobFinished: ReadonlySet<string> = new Set(['DONE', 'FAILED', 'CANCELLED', 'INTERNAL_ERROR']);

export async function executeJob(sessions: JobSessions, connection: string, plan: Extract<JobPlan, { ok: true }>, options: ExecuteJobOptions = {}): Promise<JobOutcome> {
  const scheduler = options.scheduler ?? realTimeScheduler;
  const timeoutMs = options.timeoutMs ?? 2 * 60 * 60_000;
  const pollMs = options.pollMs ?? 5000;
  const name = targetText(plan.target);
  const service = targetObject(plan.target);
  const query = { timeoutMs: options.statementTimeoutMs ?? 30_000, ...(options.signal ? { signal: options.signal } : {}) };
  const logs = options.onLog ? new LogFollower(sessions, connection, service, options.onLog, query) : undefined;
  const started = scheduler.now();

  let queryId: string | undefined;
  if (plan.async) {
    const submitted = await sessions.execute(connection, plan.sql, { timeoutMs: query.timeoutMs * 4, ...(options.signal ? { signal: options.signal } : {}) });
    if (!submitted.ok) return rejected(name, submitted.error);
  } else {
    const submitted = await sessions.submit(connection, plan.sql, { timeoutMs: query.timeoutMs * 4, ...(options.signal ? { signal: options.signal } : {}) });
    if (!submitted.ok) return rejected(name, submitted.error);
    queryId = submitted.value.queryId;
  }

  let last: ServiceSnapshot | undefined;
  let statementEnded = queryId === undefined;
  for (;;) {
    if (options.signal?.aborted) {
      return { state: 'stopped', name, last, message: `Stopped following job ${name}. It keeps running in Snowflake${queryId ? ` (query ${queryId})` : ''}; to stop it, cancel it (SYSTEM$CANCEL_JOB).` };
    }
    if (queryId !== undefined && !statementEnded) {
      const status = await sessions.queryStatus(connection, queryId, query);
      if (status.ok && !isRunningStatus(status.value)) statementEnded = true;
    }
    const snapshot = await serviceSnapshot(sessions, connection, service, query);
    if (snapshot.ok) {
      last = snapshot.value;
      await logs?.poll(last);
      options.onProgress?.({ snapshot: last, elapsedMs: scheduler.now() - started, message: jobProgress(last, plan.replicas) });
    } else if (snapshot.error.kind !== 'notFound' || statementEnded) {
      // Right after submission the job may not be visible yet; once the statement ended it must be.
      if (snapshot.error.kind !== 'network' && snapshot.error.kind !== 'timeout') {
        return statementEnded && queryId ? await statementFailure(sessions, connection, name, queryId, query, snapshot.error) : { state: 'error', name, error: snapshot.error, submitted: true, message: `The status of job ${name} could not be read: ${snapshot.error.message} The job was submitted and may still be running.` };
      }
    }
    const finished = last !== undefined && jobFinished.has(last.status.toUpperCase());
    if (finished && statementEnded && last) {
      return finish(sessions, connection, service, name, last, logs, options, query);
    }
    const elapsed = scheduler.now() - started;
    if (elapsed >= timeoutMs) {
      return {
        state: 'timeout',
        name,
        last,
        message: `Job ${name} has not finished after ${Math.round(elapsed / 60_000)} min${last ? ` (${jobProgress(last, plan.replicas)})` : ''}. It keeps running in Snowflake; follow it in the SPCS view, or cancel it (SYSTEM$CANCEL_JOB).`,
      };
    }
    const waited = await scheduler.wait(Math.min(pollMs, timeoutMs - elapsed), options.signal);
    if (waited === 'cancelled') continue;
  }
}

function rejected(name: string, error: SnowflakeError): JobOutcome {
  const uncertain = (error.kind === 'timeout' || error.kind === 'cancelled') && !/nothing was changed/i.test(error.message);
  return {
    state: 'error',
    name,
    error,
    submitted: uncertain,
    message: uncertain
      ? `EXECUTE JOB SERVICE for ${name} did not answer in time: ${error.message} The job may have started; look for it before running it again.`
      : `Snowflake did not start job ${name}: ${error.message}`,
  };
}

/** The statement ended but the job is not visible: Snowflake rejected the spec or the settings. */
async function statementFailure(sessions: JobSessions, connection: string, name: string, queryId: string, query: { timeoutMs: number; signal?: AbortSignal }, fallback: SnowflakeError): Promise<JobOutcome> {
  const result = await sessions.waitForQuery(connection, queryId, query);
  const error = result.ok ? fallback : result.error;
  return { state: 'error', name, error, submitted: false, message: `Snowflake did not start job ${name}: ${error.message}` };
}

async function finish(
  sessions: JobSessions,
  connection: string,
  service: sql.QualifiedName,
  name: string,
  snapshot: ServiceSnapshot,
  logs: LogFollower | undefined,
  options: ExecuteJobOptions,
  query: { timeoutMs: number; signal?: AbortSignal },
): Promise<JobOutcome> {
  await logs?.poll(snapshot, true);
  const logError = logs?.error === undefined ? {} : { logError: logs.error };
  const status = snapshot.status.toUpperCase();
  const instances = snapshot.instances.length;
  if (status === 'DONE') {
    return { state: 'done', name, snapshot, message: `Job ${name} finished: DONE (${instances} replica${instances === 1 ? '' : 's'} succeeded).`, ...logError };
  }
  if (status === 'CANCELLED') {
    return { state: 'cancelled', name, snapshot, message: `Job ${name} was cancelled in Snowflake (SYSTEM$CANCEL_JOB, the compute pool was suspended, or the statement timed out).` };
  }
  const triage = await triageService(sessions, connection, service, snapshot, { ...options, timeoutMs: query.timeoutMs, ...(query.signal ? { signal: query.signal } : {}) });
  const summary = triage.containers.length > 0 ? triage.summary.replace(/^Service /, 'Job ').replace('failed to start', 'failed') : `Job ${name} ended with status ${snapshot.status}.`;
  return { state: 'failed', name, triage, snapshot, message: `${summary} Its record and logs are kept (jobs are kept for 30 days).`, ...logError };
}

function jobProgress(snapshot: ServiceSnapshot, replicas: number): string {
  const done = snapshot.instances.filter((instance) => instance.status === 'SUCCEEDED').length;
  const parts = [snapshot.status];
  if (snapshot.instances.length > 0) parts.push(`${done} of ${Math.max(replicas, snapshot.instances.length)} replica${replicas === 1 ? '' : 's'} done`);
  const pending = snapshot.containers.find((container) => container.status === 'PENDING' || container.status === 'FAILED');
  if (pending) parts.push(`${pending.container} (replica ${pending.instanceId}): ${pending.status}${pending.message ? `, ${pending.message}` : ''}`);
  return snapshot.instances.length === 0 ? describeProgress(snapshot) : parts.join(' · ');
}

/** Cancels a job (it goes CANCELLING, then CANCELLED). The UI asks before calling this. */
export function cancelJob(sessions: Pick<SnowflakeSessions, 'execute'>, connection: string, target: DeployTarget, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Result<unknown>> {
  return sessions.execute(connection, sql.cancelJob(targetObject(target)), options);
}

// ---------------------------------------------------------------------------------------------------
// Log following

interface Cursor {
  /** The newest timestamp seen (the next `since`). */
  since: string | undefined;
  /** Lines already emitted at exactly `since` (the next answer repeats them: `since` is inclusive). */
  atSince: Set<string>;
}

/**
 * Follows each container of each replica: SYSTEM$GET_SERVICE_LOGS with timestamps from the last one
 * seen, dropping the lines at that timestamp that were already reported. Log reading is best
 * effort: a failure is remembered (`error`) and reported with the outcome, never fatal.
 */
class LogFollower {
  private readonly cursors = new Map<string, Cursor>();
  error: string | undefined;

  constructor(
    private readonly sessions: Pick<SnowflakeSessions, 'execute'>,
    private readonly connection: string,
    private readonly service: sql.QualifiedName,
    private readonly onLog: (lines: readonly JobLogLine[]) => void,
    private readonly query: { timeoutMs: number; signal?: AbortSignal },
  ) {}

  async poll(snapshot: ServiceSnapshot, final = false): Promise<void> {
    const started = snapshot.containers.filter((container) => container.status !== 'PENDING' || (final && this.cursors.has(`${container.instanceId}/${container.container}`)));
    for (const container of started) {
      await this.follow(container.instanceId, container.container);
    }
  }

  private async follow(instanceId: string, container: string): Promise<void> {
    const key = `${instanceId}/${container}`;
    const cursor = this.cursors.get(key) ?? { since: undefined, atSince: new Set<string>() };
    this.cursors.set(key, cursor);
    const result = await this.sessions.execute(
      this.connection,
      sql.getServiceLogs({ service: this.service, instanceId, container, ...(cursor.since === undefined ? { numLines: 1000 } : { since: cursor.since }), includeTimestamps: true }),
      this.query,
    );
    if (!result.ok) {
      this.error ??= `The logs of ${container} (replica ${instanceId}) could not be read: ${result.error.message}`;
      return;
    }
    const text = Object.values(result.value.rows[0] ?? {})[0];
    if (typeof text !== 'string' || text === '') return;
    const fresh: JobLogLine[] = [];
    for (const raw of text.replace(/\n$/, '').split('\n')) {
      const match = /^(\d{4}-\d\d-\d\dT\S+)\s(.*)$/s.exec(raw);
      const timestamp = match?.[1];
      const line = match?.[2] ?? raw;
      if (timestamp !== undefined && cursor.since !== undefined) {
        if (timestamp < cursor.since) continue;
        if (timestamp === cursor.since && cursor.atSince.has(line)) continue;
      }
      if (timestamp !== undefined && timestamp !== cursor.since) {
        cursor.since = timestamp;
        cursor.atSince = new Set();
      }
      cursor.atSince.add(line);
      fresh.push({ instanceId, container, timestamp, text: line });
    }
    if (fresh.length > 0) this.onLog(fresh);
  }
}
