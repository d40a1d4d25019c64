/**
 * Why a service that does not become ready failed, for people: each failing container with its
 * status and message, its last log lines (of the previous run when it restarted), the cause read from
 * them (image, out of memory, probes, the application), the line of the spec to look at, and a hint
 * for the fix. The readiness gate (`readiness.ts`) and the job follower (`executeJob.ts`) tell it.
 *
 * Must not: import `vscode`, or change the service.
 */

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import { isScalar, type Node } from 'yaml';
import { getMap, getPair, keyRange, nodeRange, parseSpecDocument, specLanguageId, type SpecDocument, type SpecItem } from '../../../server/src/service';
import type { Result } from '../snowflake/result';
import * as sql from '../snowflake/sql';
import { type ContainerStatus, type ServiceSnapshot, type SessionsExecute } from './serviceSnapshot';

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
  /** `logLines` came from the event table (the container's own logs could not be read, or were empty). */
  readonly logsFromHistory?: boolean;
  /** What the platform recorded about this container's failures (newest first): `11:10:00 FAILED: Container was OOMKilled…`. */
  readonly platformEvents?: readonly string[];
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
  readonly spec?: { readonly text: string; readonly uri: string; readonly document?: SpecDocument };
  /** How many log lines per container (default 50). */
  readonly logLines?: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** The service's recorded history (its event table), when the caller can read it (wired by `features.ts`). */
  readonly history?: TriageHistory;
  /** Now, for the history's window (default the real clock; tests pass the emulator's). */
  readonly now?: () => number;
}

/** A container failure the platform recorded (a platform event). */
export interface RecordedFailure {
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly instanceId?: string;
  readonly container?: string;
  readonly status?: string;
  readonly message: string;
}

/**
 * The event table's view of a service (implemented by the monitoring room, which reads
 * `SPCS_GET_EVENTS` and `SPCS_GET_LOGS`): why containers failed even when their status no longer
 * says (a restart), and what a container printed even when it is gone (a finished job). Either may
 * answer nothing (no MONITOR, LOG_EVENT_LEVEL OFF): triage then says what the listings say.
 */
export interface TriageHistory {
  /** Container failures recorded since `since`, newest first. */
  failures(connection: string, service: sql.QualifiedName, since: number, signal?: AbortSignal): Promise<readonly RecordedFailure[]>;
  /** The last `lines` lines a container printed since `since`, oldest first. */
  lastLines(connection: string, service: sql.QualifiedName, instanceId: string, container: string, since: number, lines: number, signal?: AbortSignal): Promise<readonly string[]>;
}

/** How far back triage looks in the event table (a deploy's or a job's failures are recent). */
const historyWindowMs = 3 * 3_600_000;

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
  const doc = options.spec ? (options.spec.document ?? parseSpecDocument(TextDocument.create(options.spec.uri, specLanguageId, 1, options.spec.text))) : undefined;
  const lines = options.logLines ?? 50;
  const since = (options.now ?? Date.now)() - historyWindowMs;
  const recorded = options.history && typeof service !== 'string' ? await options.history.failures(connection, service, since, options.signal).catch(() => []) : [];
  const containers = await Promise.all(
    failing.map((container) =>
      triageContainer(sessions, connection, service, container, doc, lines, options, {
        since,
        failures: recorded.filter((failure) => failure.container === container.container && (failure.instanceId === undefined || failure.instanceId === container.instanceId)),
      }),
    ),
  );
  const shown = sql.objectName(service);
  const summary =
    containers.length === 0
      ? `Service ${shown} is ${snapshot.status}, and no container reports why.`
      : `Service ${shown} failed to start: ${containers.map((container) => containerSentence(container)).join(' ')}`;
  return { service: shown, serviceStatus: snapshot.status, containers, summary };
}

function eventLine(failure: RecordedFailure): string {
  return `${new Date(failure.time).toISOString().slice(0, 19).replace('T', ' ')} UTC ${failure.status ?? 'FAILED'}: ${failure.message}`;
}

function containerSentence(container: ContainerTriage): string {
  const where = container.specLocation ? ` (spec line ${container.specLocation.line}: '${container.specLocation.lineText}')` : '';
  const restarts = container.restartCount > 0 ? `, restarted ${container.restartCount} time${container.restartCount === 1 ? '' : 's'}` : '';
  // Recorded failures add to the sentence only what the status does not already say.
  const events = container.platformEvents ?? [];
  const last = events[0]?.replace(/^\S+ \S+ UTC /, '') ?? '';
  const recorded = events.length > 1 || (events.length === 1 && !last.endsWith(`: ${container.message}`)) ? ` The platform recorded ${events.length === 1 ? 'one failure' : `${events.length} failures`} in the last hours, the last: ${last}.` : '';
  return `container '${container.container}' (instance ${container.instanceId}) is ${container.status}${restarts}: ${container.message || 'no message'}${where}. ${container.hint}${recorded}`;
}

async function triageContainer(
  sessions: SessionsExecute,
  connection: string,
  service: sql.ObjectName,
  container: ContainerStatus,
  doc: SpecDocument | undefined,
  lines: number,
  options: TriageOptions,
  recorded: { readonly since: number; readonly failures: readonly RecordedFailure[] },
): Promise<ContainerTriage> {
  const query = { timeoutMs: options.timeoutMs ?? 30_000, ...(options.signal ? { signal: options.signal } : {}) };
  let logs: { lines: readonly string[]; previous: boolean; error?: string; fromHistory?: boolean } = await readLogs(sessions, connection, service, container, lines, container.restartCount > 0, query);
  if (logs.lines.length === 0 && options.history && typeof service !== 'string') {
    // Gone (a finished job's instance), or nothing printed since its last restart: the event table keeps every run.
    const kept = await options.history.lastLines(connection, service, container.instanceId, container.container, recorded.since, lines, options.signal).catch(() => []);
    if (kept.length > 0) logs = { lines: kept, previous: false, fromHistory: true };
  }
  // The status says what happened last; a recorded failure may say more (an OOM kill before the restart that now crashes).
  const fromStatus = failureCause(container, logs.lines);
  const fromEvents = recorded.failures.map((failure) => failureCause({ message: failure.message })).find((cause) => cause !== 'unknown' && cause !== 'application');
  const cause = (fromStatus === 'unknown' || fromStatus === 'application') && fromEvents !== undefined ? fromEvents : fromStatus;
  const item = doc ? findContainer(doc, container.container) : undefined;
  const location = doc && item ? locate(doc, item, cause) : undefined;
  return {
    ...container,
    cause,
    hint: hintFor(cause, container, item),
    logLines: logs.lines,
    previousLogs: logs.previous,
    ...(logs.error === undefined ? {} : { logError: logs.error }),
    ...(logs.fromHistory ? { logsFromHistory: true } : {}),
    ...(recorded.failures.length === 0 ? {} : { platformEvents: recorded.failures.slice(0, 5).map(eventLine) }),
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
