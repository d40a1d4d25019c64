/**
 * The readiness gate after a deploy: poll the service until every instance is READY on the new spec,
 * or a container FAILED (then triage it), or time runs out, and always end with a message that says
 * what state the service is in. A service is never left starting "silently": on timeout or
 * cancellation the result says it was created/upgraded and is still starting in Snowflake.
 *
 * Owns: reading DESCRIBE SERVICE, SHOW SERVICE INSTANCES and SHOW SERVICE CONTAINERS (columns by
 * name, reference §4.9/§4.10) into one snapshot; the ready/failed decision; and triage of failing
 * containers: status, message, restarts, the last log lines (the previous run's when the container
 * restarted) and, when the cause is recognised, the place in the local spec it points at (the
 * `image:` value for a pull failure, `resources.limits.memory` for an out-of-memory kill, the probe
 * for a failing probe), located with the language service's document model.
 *
 * Time goes through a `Scheduler` (real timers by default; tests pass one that advances the
 * emulator's clock), so the gate has no sleeps of its own. Must not: import `vscode`, change the
 * service (it only reads), or throw (every outcome is a result).
 */

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import { isScalar, type Node } from 'yaml';
import { getMap, getPair, keyRange, nodeRange, parseSpecDocument, specLanguageId, type SpecDocument, type SpecItem } from '../../../server/src/service/specDocument';
import { snowflakeError, type SnowflakeError } from '../snowflake/errors';
import type { Result } from '../snowflake/result';
import type { SnowflakeSessions } from '../snowflake/session';
import * as sql from '../snowflake/sql';

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
// Snapshots

export interface ContainerStatus {
  readonly instanceId: string;
  readonly container: string;
  /** PENDING, READY, DONE, FAILED, TERMINATING, UNKNOWN. */
  readonly status: string;
  readonly message: string;
  readonly restartCount: number;
  readonly lastExitCode?: number;
  readonly image?: string;
}

export interface InstanceStatus {
  readonly instanceId: string;
  /** PENDING, READY, FAILED, TERMINATING, SUCCEEDED. */
  readonly status: string;
  readonly specDigest?: string;
}

export interface ServiceSnapshot {
  /** The service's status (DESCRIBE SERVICE), e.g. PENDING, RUNNING, FAILED, SUSPENDED, DONE. */
  readonly status: string;
  readonly specDigest?: string;
  readonly isUpgrading: boolean;
  /** How many instances the service should have (target, else MIN_INSTANCES). */
  readonly expectedInstances: number;
  readonly instances: readonly InstanceStatus[];
  readonly containers: readonly ContainerStatus[];
  /** Instances READY on the current spec. */
  readonly readyInstances: number;
}

type SessionsExecute = Pick<SnowflakeSessions, 'execute'>;

/** One look at the service: DESCRIBE + instances + containers. */
export async function serviceSnapshot(sessions: SessionsExecute, connection: string, service: sql.ObjectName, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Result<ServiceSnapshot>> {
  const [described, instances, containers] = await Promise.all([
    sessions.execute(connection, sql.describeService(service), options),
    sessions.execute(connection, sql.showServiceInstances(service), options),
    sessions.execute(connection, sql.showServiceContainers(service), options),
  ]);
  if (!described.ok) return described;
  const row = described.value.rows[0] ?? {};
  const status = textOf(row['status']) ?? 'UNKNOWN';
  const specDigest = textOf(row['spec_digest']);
  const isUpgrading = booleanOf(row['is_upgrading']) ?? false;
  const target = numberOf(row['target_instances']);
  const minimum = numberOf(row['min_instances']);
  // A job or suspended service may legitimately have no instances; missing listings are then empty.
  const instanceRows = instances.ok ? instances.value.rows : [];
  const containerRows = containers.ok ? containers.value.rows : [];
  if (!instances.ok && !isGone(status)) return instances;
  if (!containers.ok && !isGone(status)) return containers;
  const instanceList: InstanceStatus[] = instanceRows.map((item) => {
    const digest = textOf(item['spec_digest']);
    return { instanceId: textOf(item['instance_id']) ?? '0', status: textOf(item['status']) ?? 'UNKNOWN', ...(digest === undefined ? {} : { specDigest: digest }) };
  });
  const containerList: ContainerStatus[] = containerRows.map((item) => {
    const exit = numberOf(item['last_exit_code']);
    const image = textOf(item['image_name']);
    return {
      instanceId: textOf(item['instance_id']) ?? '0',
      container: textOf(item['container_name']) ?? '',
      status: textOf(item['status']) ?? 'UNKNOWN',
      message: textOf(item['message']) ?? '',
      restartCount: numberOf(item['restart_count']) ?? 0,
      ...(exit === undefined ? {} : { lastExitCode: exit }),
      ...(image === undefined ? {} : { image }),
    };
  });
  const current = (instance: InstanceStatus): boolean => specDigest === undefined || instance.specDigest === undefined || instance.specDigest === specDigest;
  return {
    ok: true,
    value: {
      status,
      ...(specDigest === undefined ? {} : { specDigest }),
      isUpgrading,
      expectedInstances: Math.max(1, target !== undefined && target > 0 ? target : (minimum ?? 1)),
      instances: instanceList,
      containers: containerList,
      readyInstances: instanceList.filter((instance) => instance.status === 'READY' && current(instance)).length,
    },
  };
}

function isGone(status: string): boolean {
  return ['SUSPENDED', 'SUSPENDING', 'DELETING', 'DELETED', 'DONE', 'FAILED', 'CANCELLED'].includes(status.toUpperCase());
}

// ---------------------------------------------------------------------------------------------------
// Triage

export type FailureCause = 'image' | 'outOfMemory' | 'readinessProbe' | 'livenessProbe' | 'application' | 'unknown';

export interface SpecLocation {
  readonly uri: string;
  readonly range: Range;
  /** 1-based, for messages. */
  readonly line: number;
  /** What is there, e.g. `image` or `resources.limits.memory`. */
  readonly what: string;
  /** The spec line, trimmed. */
  readonly lineText: string;
}

export interface ContainerTriage extends ContainerStatus {
  readonly cause: FailureCause;
  /** What to do, in a sentence. */
  readonly hint: string;
  /** The last log lines, oldest first (empty when the container never started). */
  readonly logLines: readonly string[];
  /** Whether `logLines` are of the previous (restarted) run. */
  readonly previousLogs: boolean;
  /** Why logs could not be read, if they could not. */
  readonly logError?: string;
  readonly specLocation?: SpecLocation;
}

export interface Triage {
  readonly service: string;
  readonly serviceStatus: string;
  readonly containers: readonly ContainerTriage[];
  /** One paragraph for a notification; details are in `containers`. */
  readonly summary: string;
}

export interface TriageOptions {
  /** The local spec (the file's text, template placeholders included: ranges are in the file). */
  readonly spec?: { readonly text: string; readonly uri: string };
  /** How many log lines per container (default 50). */
  readonly logLines?: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Triage of the failing containers in `snapshot` (FAILED ones; else the non-ready ones of FAILED instances). */
export async function triageService(sessions: SessionsExecute, connection: string, service: sql.ObjectName, snapshot: ServiceSnapshot, options: TriageOptions = {}): Promise<Triage> {
  const failedInstances = new Set(snapshot.instances.filter((instance) => instance.status === 'FAILED').map((instance) => instance.instanceId));
  let failing = snapshot.containers.filter((container) => container.status === 'FAILED');
  if (failing.length === 0) {
    failing = snapshot.containers.filter((container) => failedInstances.has(container.instanceId) && container.status !== 'READY' && container.status !== 'DONE');
  }
  // One entry per container name is enough to explain a failure; keep up to 5.
  const seen = new Set<string>();
  failing = failing.filter((container) => (seen.has(container.container) ? false : (seen.add(container.container), true))).slice(0, 5);
  const doc = options.spec ? parseSpecDocument(TextDocument.create(options.spec.uri, specLanguageId, 1, options.spec.text)) : undefined;
  const lines = options.logLines ?? 50;
  const containers = await Promise.all(failing.map((container) => triageContainer(sessions, connection, service, container, doc, lines, options)));
  const shown = sql.objectName(service);
  const summary =
    containers.length === 0
      ? `Service ${shown} is ${snapshot.status}, and no container reports why.`
      : `Service ${shown} failed to start: ${containers.map((container) => containerSentence(container)).join(' ')}`;
  return { service: shown, serviceStatus: snapshot.status, containers, summary };
}

function containerSentence(container: ContainerTriage): string {
  const where = container.specLocation ? ` (spec line ${container.specLocation.line}: '${container.specLocation.lineText}')` : '';
  const restarts = container.restartCount > 0 ? `, restarted ${container.restartCount} time${container.restartCount === 1 ? '' : 's'}` : '';
  return `container '${container.container}' (instance ${container.instanceId}) is ${container.status}${restarts}: ${container.message || 'no message'}${where}. ${container.hint}`;
}

async function triageContainer(
  sessions: SessionsExecute,
  connection: string,
  service: sql.ObjectName,
  container: ContainerStatus,
  doc: SpecDocument | undefined,
  lines: number,
  options: TriageOptions,
): Promise<ContainerTriage> {
  const query = { timeoutMs: options.timeoutMs ?? 30_000, ...(options.signal ? { signal: options.signal } : {}) };
  const logs = await readLogs(sessions, connection, service, container, lines, container.restartCount > 0, query);
  const cause = failureCause(container, logs.lines);
  const item = doc ? findContainer(doc, container.container) : undefined;
  const location = doc && item ? locate(doc, item, cause) : undefined;
  return {
    ...container,
    cause,
    hint: hintFor(cause, container, item),
    logLines: logs.lines,
    previousLogs: logs.previous,
    ...(logs.error === undefined ? {} : { logError: logs.error }),
    ...(location === undefined ? {} : { specLocation: location }),
  };
}

async function readLogs(
  sessions: SessionsExecute,
  connection: string,
  service: sql.ObjectName,
  container: ContainerStatus,
  lines: number,
  previous: boolean,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<{ lines: string[]; previous: boolean; error?: string }> {
  const fetch = async (wantPrevious: boolean): Promise<Result<string[]>> => {
    const result = await sessions.execute(
      connection,
      sql.getServiceLogs({ service, instanceId: container.instanceId, container: container.container, numLines: lines, ...(wantPrevious ? { previous: true } : {}) }),
      options,
    );
    if (!result.ok) return result;
    const text = Object.values(result.value.rows[0] ?? {})[0];
    return { ok: true, value: typeof text === 'string' && text !== '' ? text.replace(/\n$/, '').split('\n') : [] };
  };
  if (previous) {
    const earlier = await fetch(true);
    if (earlier.ok) return { lines: earlier.value, previous: true };
  }
  const current = await fetch(false);
  if (current.ok) return { lines: current.value, previous: false };
  return { lines: [], previous: false, error: current.error.message };
}

/**
 * What a container's failure most likely is, from its status message (SHOW SERVICE CONTAINERS' or a
 * platform event's), exit code and last log lines. Shared with the events list (monitoring/).
 */
export function failureCause(container: Pick<ContainerStatus, 'message' | 'lastExitCode'>, logLines: readonly string[] = []): FailureCause {
  const message = container.message;
  if (/pull(ing)? image|ImagePull|ErrImage|image name uses an invalid format|manifest unknown|image .*not found/i.test(message)) return 'image';
  if (/OOM|out of memory/i.test(message) || container.lastExitCode === 137 || logLines.some((line) => /\bOOMKilled\b|out of memory/i.test(line))) return 'outOfMemory';
  if (/readiness probe/i.test(message)) return 'readinessProbe';
  if (/liveness probe/i.test(message)) return 'livenessProbe';
  if ((container.lastExitCode !== undefined && container.lastExitCode !== 0) || /application error|exit(ed)? (with )?code|crash|back-?off/i.test(message)) return 'application';
  return 'unknown';
}

/** The place in a spec that explains `cause` for container `containerName` (see `locate`); shared with the events list. */
export function locateFailure(doc: SpecDocument, containerName: string, cause: FailureCause): SpecLocation | undefined {
  const item = findContainer(doc, containerName);
  return item ? locate(doc, item, cause) : undefined;
}

function findContainer(doc: SpecDocument, name: string): SpecItem | undefined {
  return doc.lists.containers.find((item) => item.name === name) ?? doc.lists.containers.find((item) => item.name?.toLowerCase() === name.toLowerCase());
}

function locate(doc: SpecDocument, item: SpecItem, cause: FailureCause): SpecLocation | undefined {
  const at = (range: Range | undefined, what: string): SpecLocation | undefined => {
    if (!range) return undefined;
    const lineText = doc.text.split(/\r?\n/)[range.start.line]?.trim() ?? '';
    return { uri: doc.textDocument.uri, range, line: range.start.line + 1, what, lineText };
  };
  switch (cause) {
    case 'image':
      return at(valueRange(doc, item, 'image'), 'image');
    case 'outOfMemory': {
      const resources = getMap(item.node, 'resources');
      const limit = getPair(getMap(resources, 'limits'), 'memory');
      if (limit) return at(nodeRange(doc, limit.value as Node), 'resources.limits.memory');
      const request = getPair(getMap(resources, 'requests'), 'memory');
      if (request) return at(nodeRange(doc, request.value as Node), 'resources.requests.memory');
      return at(keyRange(doc, getPair(item.node, 'resources')) ?? valueRange(doc, item, 'name'), getPair(item.node, 'resources') ? 'resources' : 'name');
    }
    case 'readinessProbe':
    case 'livenessProbe': {
      const probe = getPair(item.node, cause);
      return probe ? at(keyRange(doc, probe), cause) : at(valueRange(doc, item, 'name'), 'name');
    }
    case 'application':
      return at(valueRange(doc, item, 'name'), 'name');
    case 'unknown':
      return undefined;
  }
}

function valueRange(doc: SpecDocument, item: SpecItem, key: string): Range | undefined {
  const pair = getPair(item.node, key);
  return pair ? nodeRange(doc, (pair.value as Node | null) ?? undefined) ?? keyRange(doc, pair) : undefined;
}

function hintFor(cause: FailureCause, container: ContainerStatus, item: SpecItem | undefined): string {
  const written = item ? getPair(item.node, 'image')?.value : undefined;
  const image = container.image ?? (isScalar(written) && typeof written.value === 'string' ? written.value : '');
  switch (cause) {
    case 'image':
      return `The image${image ? ` '${image}'` : ''} could not be pulled: check that this tag was pushed (SHOW IMAGES IN IMAGE REPOSITORY …), that the path is /<db>/<schema>/<repository>/<image>:<tag>, and that the service owner role has READ on the repository.`;
    case 'outOfMemory':
      return `The container was killed${container.lastExitCode === 137 ? ' (exit code 137)' : ''}, most likely for using more memory than its limit: raise 'resources.limits.memory' or make the process use less.`;
    case 'readinessProbe':
      return 'The readiness probe never succeeded: check that the process listens on the probe port and that the probe path answers with HTTP 200.';
    case 'livenessProbe':
      return 'The liveness probe failed, so the container was restarted: check the probe port and path, or raise its failureThreshold/periodSeconds.';
    case 'application':
      return `The process ${container.lastExitCode !== undefined ? `exited with code ${container.lastExitCode}` : 'failed'}: its last log lines show why.`;
    case 'unknown':
      return 'Its log lines may show why.';
  }
}

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

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function numberOf(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
}

function booleanOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return undefined;
}
