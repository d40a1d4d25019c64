/**
 * `LogFollower`: "tail -f" for a container, an instance or a whole service, built on
 * SYSTEM$GET_SERVICE_LOGS the way the Snowflake CLI's `--follow` is (reference §5.2), made safe for
 * an editor. Pure of `vscode`: where lines go (an output channel) is the caller's `sink`.
 *
 * The algorithm, per container ("source"):
 * - The first call asks for the last `tailLines` lines (`since` empty; with 0, the newest line only
 *   marks where the follow starts); every later call asks for up to `pollLines` lines at or after
 *   the newest timestamp already shown. `since` is inclusive, so the lines at exactly that
 *   timestamp come back; they are dropped by remembering how often each text was shown at that one
 *   timestamp, so memory stays bounded however long the follow runs.
 * - A poll round queries every source (a few at a time), processes the answers one after the
 *   other, then merges the new lines of all sources in timestamp order and tags each with its
 *   source (`[0/vllm]`, `[vllm]`, or nothing). Order across rounds is per source only: a line that
 *   a slow source reports late comes in the next round.
 * - A round without new lines doubles the wait (up to `interval.maxMs`); new lines reset it.
 * - Transient failures (network, session gone, timeout) keep every cursor and retry with backoff,
 *   so nothing is lost or shown twice. Permanent ones (privilege, missing service, bad
 *   credentials) stop the follow with that error.
 * - An instance or container that is no longer there while the service is suspended (or still
 *   starting) pauses the follow instead: a notice says why, the service's status is looked at with
 *   the idle backoff (at most every 10 s), and when it runs again the follow goes on from its cursors (the new run's
 *   lines are all after them, so none is shown twice and none is taken for a restart). Lines written
 *   between the last poll and the suspension cannot be read any more: the notice says so.
 * - Every few rounds the service's containers are listed again: a new replica is followed from its
 *   bounded tail; one that is no longer listed is polled once more (logs stay readable briefly) and
 *   then dropped, with a notice.
 * - One response holds at most 100 KB. When a `since` poll comes back full without the line at the
 *   cursor, lines were skipped: a notice says so and the next poll follows at once. When it comes
 *   back short without that line, the container restarted: the end of the previous run is read
 *   with `retrieve_previous_logs = TRUE` so the restart leaves no gap.
 * - Big batches are parsed, merged and handed to the sink in slices of about `sliceMs` of work,
 *   yielding to the event loop between them, so following a chatty service never blocks the editor.
 *
 * Must not: build SQL or know about sessions (`logSql.ts`), or touch the editor.
 *
 * Over 400 lines on purpose: the algorithm above is one, and it reads best whole.
 */

import { snowflakeError, type SnowflakeError } from '../snowflake/errors';
import { ok, type Result } from '../snowflake/result';
import type { ObjectName } from '../snowflake/sql';
import {
  compareTimestamps,
  formatLine,
  formatNotice,
  LogTextReader,
  maxLogRecordBytes,
  maxLogResponseBytes,
  scopeOf,
  sourceTag,
  type FollowScope,
  type LogLine,
  type ParsedLine,
} from './logLines';

/** What to follow: a whole service, one instance of it (`instance`), or one container (`instance` and `container`). */
export interface FollowTarget {
  readonly service: ObjectName;
  readonly instance?: string;
  readonly container?: string;
}

/** One container of one instance: a source of log lines. */
export interface ContainerTarget {
  readonly service: ObjectName;
  readonly instance: string;
  readonly container: string;
  /** From SHOW SERVICE CONTAINERS, when the target came from a listing. */
  readonly status?: string;
  readonly restartCount?: number;
}

export interface LogQueryOptions {
  /** The previous (restarted) container's logs (`retrieve_previous_logs = TRUE`). */
  readonly previous?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * One SYSTEM$GET_SERVICE_LOGS call with `include_timestamps = TRUE`: the lines at or after `since`
 * (all, up to `numLines`, when undefined), most recent `numLines` at most, oldest first.
 */
export type LogQueryFn = (target: ContainerTarget, since: string | undefined, numLines: number, options?: LogQueryOptions) => Promise<Result<string>>;

/** The containers a follow target covers (SHOW SERVICE CONTAINERS, filtered). */
export type ContainerListFn = (target: FollowTarget, options?: { readonly signal?: AbortSignal }) => Promise<Result<ContainerTarget[]>>;

/** The service's status as DESCRIBE SERVICE shows it (RUNNING, SUSPENDED, PENDING, …). */
export type ServiceStatusFn = (service: ObjectName, options?: { readonly signal?: AbortSignal }) => Promise<Result<string>>;

/** Timers, replaceable in tests by a scheduler the test steps by hand. */
export interface FollowScheduler {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type FollowStatus =
  | { readonly state: 'starting' }
  | { readonly state: 'following'; readonly sources: number }
  /** No new lines in the last round: the next poll waits longer. */
  | { readonly state: 'idle'; readonly sources: number; readonly nextPollMs: number }
  /** A transient failure; cursors are kept, so nothing is lost. */
  | { readonly state: 'retrying'; readonly error: SnowflakeError; readonly attempt: number; readonly nextPollMs: number }
  /** The service is suspended (or its instances are starting): its status is looked at until it runs again. */
  | { readonly state: 'paused'; readonly serviceStatus: string; readonly reason: string; readonly nextPollMs: number }
  /** Ended by `stop()` (no error) or by a permanent failure. */
  | { readonly state: 'stopped'; readonly error?: SnowflakeError };

export interface LogFollowerOptions {
  readonly query: LogQueryFn;
  /** Lists the containers of a followed service or instance (not called when following one container). */
  readonly listContainers: ContainerListFn;
  /**
   * The followed service's status, asked when an instance or container is missing: a suspended
   * service pauses the follow until it runs again. Absent: a missing container ends the follow
   * (or, for a service or instance, is dropped from it).
   */
  readonly serviceStatus?: ServiceStatusFn;
  readonly target: FollowTarget;
  /** Lines of each container shown when the follow starts (0: only lines that arrive afterwards). */
  readonly tailLines: number;
  /** Show each line's timestamp (they are always fetched: the follower needs them). */
  readonly includeTimestamps: boolean;
  /** Poll interval: `minMs` while lines arrive, doubling up to `maxMs` while idle (default 2 s and 30 s). */
  readonly interval?: { readonly minMs: number; readonly maxMs: number };
  /** `num_lines` of a `since` poll (default 5000; a response is capped at 100 KB anyway). */
  readonly pollLines?: number;
  /** List the containers again every this many rounds (default 10). */
  readonly discoverEveryRounds?: number;
  /** Queries in flight at once (default 4). */
  readonly concurrency?: number;
  readonly scheduler?: FollowScheduler;
  /** Gives the event loop a turn between slices (default `setImmediate`). */
  readonly yieldToEventLoop?: () => Promise<void>;
  /** Milliseconds for slicing (default `performance.now`). */
  readonly now?: () => number;
  /** Work between two yields (default 5 ms). */
  readonly sliceMs?: number;
  /** Receives new lines in order, in slices; never called after `stop()` was called. */
  readonly sink: (lines: readonly LogLine[]) => void;
  readonly onStatus?: (status: FollowStatus) => void;
}

const defaultInterval = { minMs: 2000, maxMs: 30_000 };
const transientKinds: ReadonlySet<string> = new Set(['network', 'timeout', 'internal', 'cancelled']);
/** How many lines between two looks at the clock while slicing. */
const checkEvery = 64;

/** Whether retrying can help: the network, a session that ended, a timeout, or a driver hiccup. */
export function isTransient(error: SnowflakeError): boolean {
  return transientKinds.has(error.kind);
}

/** A one-line description of a status, for a status bar or the output channel. */
export function describeStatus(status: FollowStatus): string {
  switch (status.state) {
    case 'starting':
      return 'Starting…';
    case 'following':
      return `Following ${plural(status.sources, 'container')}`;
    case 'idle':
      return `Following ${plural(status.sources, 'container')}; no new lines, next poll in ${seconds(status.nextPollMs)}`;
    case 'retrying':
      return `Retrying in ${seconds(status.nextPollMs)} (attempt ${status.attempt}): ${status.error.message}`;
    case 'paused':
      return `Paused: ${status.reason}`;
    case 'stopped':
      return status.error ? `Stopped: ${status.error.message}` : 'Stopped';
  }
}

interface Source {
  readonly key: string;
  target: ContainerTarget;
  readonly tag: string;
  /** The newest timestamp shown (or skipped by a zero tail); undefined until the first line. */
  cursor: string | undefined;
  /** How often each text was shown at `cursor`. */
  shownAtCursor: Map<string, number>;
  /** Listed by the last discovery (always true when following one container). */
  listed: boolean;
  retired: boolean;
  /** Announce it with a notice when its first lines arrive (found after the follow started). */
  announce: boolean;
  /** Whether it was queried before: only the first query asks for the tail. */
  polled: boolean;
  /** The cursor at which a restart was last handled: the next polls may lack the cursor line too. */
  restartHandledAt: string | undefined;
}

/** A line waiting to be merged and shown. */
interface Pending {
  readonly kind: 'log' | 'notice';
  readonly timestamp: string;
  readonly text: string;
  readonly source: Source | undefined;
}

interface PollRequest {
  readonly since: string | undefined;
  /** The source's first query: it asks for the tail. */
  readonly first: boolean;
  readonly numLines: number;
}

type SourcePoll =
  | { readonly kind: 'lines'; readonly source: Source; readonly lines: readonly Pending[]; readonly truncated: boolean }
  | { readonly kind: 'error'; readonly source: Source; readonly error: SnowflakeError };

interface RoundOutcome {
  readonly newLines: number;
  readonly transient?: SnowflakeError;
  readonly stop?: SnowflakeError;
  /** A response was cut at 100 KB: poll again at once. */
  readonly pollSoon?: boolean;
  /** The service does not run (its status): wait for it with the idle backoff. */
  readonly paused?: Pause;
}

/** Why a follow waits: the service's status, and the sentence that says so. */
interface Pause {
  readonly serviceStatus: string;
  readonly reason: string;
}

/** The longest wait between two looks at a paused follow's service. */
const pausedMaxMs = 10_000;
/** Statuses in which a service's instances are not there to be read (yet, or any more). */
const notRunningStatuses: ReadonlySet<string> = new Set(['SUSPENDED', 'SUSPENDING', 'PENDING', 'RESUMING']);
/** Statuses that keep a paused follow waiting; from any other one, reading is tried again. */
const suspendedStatuses: ReadonlySet<string> = new Set(['SUSPENDED', 'SUSPENDING']);

type Discovery = { readonly ok: true } | { readonly ok: false; readonly error: SnowflakeError };

export class LogFollower {
  /** Resolves when the follow has ended: with the error that ended it, or undefined after `stop()`. */
  readonly finished: Promise<SnowflakeError | undefined>;

  private readonly scope: FollowScope;
  private readonly minMs: number;
  private readonly maxMs: number;
  private readonly tailLines: number;
  private readonly pollLines: number;
  private readonly discoverEvery: number;
  private readonly concurrency: number;
  private readonly scheduler: FollowScheduler;
  private readonly yieldToEventLoop: () => Promise<void>;
  private readonly now: () => number;
  private readonly sliceMs: number;
  private readonly sources = new Map<string, Source>();
  private readonly controller = new AbortController();
  private loop: Promise<void> | undefined;
  private stopRequested = false;
  private wake: (() => void) | undefined;
  private sliceStarted = 0;
  private sinceEchoSeen = false;
  private discovered = false;
  private announcedEmpty = false;
  private currentStatus: FollowStatus = { state: 'starting' };
  /** Set while the follow waits for a suspended (or starting) service to run. */
  private paused: Pause | undefined;
  private lastStatusKey = '';
  private resolveFinished: (error: SnowflakeError | undefined) => void = () => undefined;

  constructor(private readonly options: LogFollowerOptions) {
    this.scope = scopeOf(options.target);
    const interval = options.interval ?? defaultInterval;
    this.minMs = Math.max(0, interval.minMs);
    this.maxMs = Math.max(this.minMs, interval.maxMs);
    this.tailLines = Math.max(0, Math.floor(options.tailLines));
    this.pollLines = Math.max(1, Math.floor(options.pollLines ?? 5000));
    this.discoverEvery = Math.max(1, Math.floor(options.discoverEveryRounds ?? 10));
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
    this.scheduler = options.scheduler ?? { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) };
    this.yieldToEventLoop = options.yieldToEventLoop ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.now = options.now ?? (() => performance.now());
    this.sliceMs = Math.max(0, options.sliceMs ?? 5);
    this.finished = new Promise((resolve) => {
      this.resolveFinished = resolve;
    });
    const { instance, container } = options.target;
    if (this.scope === 'container' && instance !== undefined && container !== undefined) {
      this.addSource({ service: options.target.service, instance, container }, false);
      this.discovered = true;
    }
  }

  get status(): FollowStatus {
    return this.currentStatus;
  }

  /** Starts polling (once; later calls do nothing). */
  start(): void {
    if (this.loop !== undefined || this.stopRequested) return;
    this.loop = this.run();
  }

  /**
   * Stops the follow: the poll in flight is cancelled and settles, no poll starts afterwards and
   * the sink is not called again. Resolves when all of that is done.
   */
  async stop(): Promise<void> {
    if (!this.stopRequested) {
      this.stopRequested = true;
      this.controller.abort();
      this.wake?.();
      if (this.loop === undefined) this.finish(undefined);
    }
    await this.loop;
  }

  /**
   * The logs of a container's previous run (it restarted), formatted like the follow's lines. Lines
   * are the most recent `numLines` (default: the tail setting, or 5000 when that is 0).
   */
  fetchPreviousLogs(target: ContainerTarget, numLines?: number): Promise<Result<LogLine[]>> {
    return fetchPreviousLogs(this.options.query, target, {
      numLines: numLines ?? (this.tailLines > 0 ? this.tailLines : this.pollLines),
      includeTimestamps: this.options.includeTimestamps,
      scope: this.scope,
    });
  }

  // -------------------------------------------------------------------------------------------

  private async run(): Promise<void> {
    this.setStatus({ state: 'starting' });
    let idleDelay = this.minMs;
    let attempt = 0;
    let round = 0;
    let error: SnowflakeError | undefined;
    try {
      while (!this.stopRequested) {
        const outcome = await this.round(round++);
        if (this.stopRequested) break;
        if (outcome.stop) {
          error = outcome.stop;
          break;
        }
        let delay: number;
        if (outcome.paused) {
          // One DESCRIBE a look: a resumed service is noticed within seconds, however long it slept.
          attempt = 0;
          idleDelay = Math.min(this.maxMs, pausedMaxMs, Math.max(idleDelay, 1) * 2);
          delay = idleDelay;
          this.setStatus({ state: 'paused', serviceStatus: outcome.paused.serviceStatus, reason: outcome.paused.reason, nextPollMs: delay });
        } else if (outcome.transient) {
          attempt += 1;
          delay = Math.min(this.maxMs, Math.max(this.minMs, 1) * 2 ** Math.min(attempt, 30));
          this.setStatus({ state: 'retrying', error: outcome.transient, attempt, nextPollMs: delay });
        } else if (outcome.newLines > 0 || outcome.pollSoon) {
          attempt = 0;
          idleDelay = this.minMs;
          delay = outcome.pollSoon ? 0 : this.minMs;
          this.setStatus({ state: 'following', sources: this.activeSources().length });
        } else {
          attempt = 0;
          idleDelay = Math.min(this.maxMs, Math.max(idleDelay, 1) * 2);
          delay = idleDelay;
          this.setStatus({ state: 'idle', sources: this.activeSources().length, nextPollMs: delay });
        }
        await this.sleep(delay);
      }
    } catch (thrown) {
      // A bug in a query function or the sink: end the follow visibly rather than silently.
      error = snowflakeError('internal', `The log follow stopped unexpectedly: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    }
    this.finish(this.stopRequested ? undefined : error);
  }

  private finish(error: SnowflakeError | undefined): void {
    this.setStatus(error ? { state: 'stopped', error } : { state: 'stopped' });
    this.resolveFinished(error);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopRequested) {
        resolve();
        return;
      }
      const handle = this.scheduler.setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        this.scheduler.clearTimeout(handle);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private setStatus(status: FollowStatus): void {
    this.currentStatus = status;
    const key = JSON.stringify(status.state === 'retrying' || status.state === 'stopped' ? { ...status, error: status.error?.message } : status);
    if (key === this.lastStatusKey) return;
    this.lastStatusKey = key;
    this.options.onStatus?.(status);
  }

  private activeSources(): Source[] {
    return [...this.sources.values()].filter((source) => !source.retired);
  }

  private addSource(target: ContainerTarget, announce: boolean): Source {
    const key = `${target.instance}/${target.container}`;
    const source: Source = {
      key,
      target,
      tag: sourceTag(this.scope, target.instance, target.container),
      cursor: undefined,
      shownAtCursor: new Map(),
      listed: true,
      retired: false,
      announce,
      polled: false,
      restartHandledAt: undefined,
    };
    this.sources.set(key, source);
    return source;
  }

  private async discover(): Promise<Discovery> {
    const result = await this.options.listContainers(this.options.target, { signal: this.controller.signal });
    if (!result.ok) return result;
    const listed = new Set<string>();
    for (const target of result.value) {
      const key = `${target.instance}/${target.container}`;
      listed.add(key);
      const existing = this.sources.get(key);
      if (existing) {
        existing.target = target;
        existing.listed = true;
        if (existing.retired) {
          existing.retired = false;
          existing.announce = true;
        }
      } else {
        this.addSource(target, this.discovered);
      }
    }
    for (const source of this.sources.values()) {
      if (!listed.has(source.key)) source.listed = false;
    }
    this.discovered = true;
    return { ok: true };
  }

  private async round(index: number): Promise<RoundOutcome> {
    let transient: SnowflakeError | undefined;
    const resuming = this.paused !== undefined;
    if (this.paused !== undefined) {
      const status = await this.serviceStatus();
      if (this.stopRequested) return { newLines: 0 };
      if (status.kind === 'transient') return { newLines: 0, transient: status.error };
      if (status.kind === 'status' && suspendedStatuses.has(status.status)) return { newLines: 0, paused: this.paused };
      // It runs (or its status cannot be read): read again. The new run's lines all come after the
      // cursors, so a cursor line that is not echoed is not a restart.
      for (const source of this.sources.values()) source.restartHandledAt = source.cursor;
    }
    if (this.scope !== 'container' && (resuming || index % this.discoverEvery === 0 || this.activeSources().length === 0)) {
      const discovery = await this.discover();
      if (this.stopRequested) return { newLines: 0 };
      if (!discovery.ok) {
        if (!isTransient(discovery.error)) return { newLines: 0, stop: discovery.error };
        transient = discovery.error;
      }
    }
    const active = this.activeSources();
    if (active.length === 0) {
      if (transient) return { newLines: 0, transient };
      const paused = await this.pauseIfNotRunning([]);
      if (paused) return paused;
      if (this.announcedEmpty) return { newLines: 0 };
      this.announcedEmpty = true;
      await this.emit([[{ kind: 'notice', timestamp: '', text: 'No containers are running; waiting for some to start.', source: undefined }]]);
      return { newLines: 0 };
    }
    this.announcedEmpty = false;
    // Queries go out a few at a time; their answers are processed one source after the other, so
    // that only one piece of work runs between two turns of the event loop.
    const responses = await mapLimit(active, this.concurrency, (source) => this.querySource(source));
    if (this.stopRequested) return { newLines: 0 };
    const polls: SourcePoll[] = [];
    for (const response of responses) {
      polls.push(response.result.ok ? await this.process(response.source, response.request, response.result.value) : { kind: 'error', source: response.source, error: response.result.error });
      if (this.stopRequested) return { newLines: 0 };
    }

    const batches: Pending[][] = [];
    const toCheck: { source: Source; error: SnowflakeError }[] = [];
    // Polled once more after they were no longer listed (their logs stay readable briefly).
    const vanished: Source[] = [];
    let stop: SnowflakeError | undefined;
    let pollSoon = false;
    for (const poll of polls) {
      const { source } = poll;
      if (poll.kind === 'lines') {
        pollSoon ||= poll.truncated;
        batches.push([...poll.lines]);
        if (!source.listed) vanished.push(source);
      } else if (!source.listed) {
        vanished.push(source);
      } else if (isTransient(poll.error)) {
        transient ??= poll.error;
      } else if (poll.error.kind === 'notFound' || poll.error.kind === 'sql') {
        toCheck.push({ source, error: poll.error });
      } else {
        stop ??= poll.error;
      }
    }
    if (stop) return { newLines: 0, stop };
    if (toCheck.length > 0 || vanished.length > 0) {
      // An instance that is not there: the service may have been suspended (or be starting), which
      // pauses the follow rather than ending it or dropping the containers.
      const paused = await this.pauseIfNotRunning(batches);
      if (paused) return paused;
      if (this.stopRequested) return { newLines: 0 };
    }
    for (const source of vanished) batches.push([this.retire(source)]);
    if (toCheck.length > 0 && this.scope === 'container') {
      return { newLines: await this.emit(batches), stop: (toCheck[0] as { error: SnowflakeError }).error };
    }
    if (toCheck.length > 0) {
      // A container (or its instance) may have gone since the last listing: list again to tell that
      // apart from a service that is gone or a call that is wrong.
      const discovery = await this.discover();
      if (this.stopRequested) return { newLines: 0 };
      if (!discovery.ok) {
        if (!isTransient(discovery.error)) return { newLines: 0, stop: discovery.error };
        transient ??= discovery.error;
      } else {
        for (const { source, error } of toCheck) {
          if (source.listed) return { newLines: 0, stop: error };
          batches.push([this.retire(source)]);
        }
      }
    }
    if (resuming && !transient && this.paused !== undefined) {
      batches.unshift([{ kind: 'notice', timestamp: '', text: `${serviceLabel(this.options.target.service)} runs again; following it from its new lines.`, source: undefined }]);
      this.paused = undefined;
    }
    const newLines = await this.emit(batches);
    return { newLines, pollSoon, ...(transient ? { transient } : {}) };
  }

  /** DESCRIBE SERVICE's status: `none` when no status function was given or it could not be read for good. */
  private async serviceStatus(): Promise<{ kind: 'status'; status: string } | { kind: 'transient'; error: SnowflakeError } | { kind: 'none' }> {
    const read = this.options.serviceStatus;
    if (read === undefined) return { kind: 'none' };
    const result = await read(this.options.target.service, { signal: this.controller.signal });
    if (result.ok) return { kind: 'status', status: result.value.trim().toUpperCase() };
    return isTransient(result.error) ? { kind: 'transient', error: result.error } : { kind: 'none' };
  }

  /**
   * Pauses the follow when the service does not run: shows `pending` (lines already read this round)
   * and, once per pause, a notice that says why. Undefined when the service runs, its status cannot
   * be read, or no status function was given: the caller then goes on as before.
   */
  private async pauseIfNotRunning(pending: readonly (readonly Pending[])[]): Promise<RoundOutcome | undefined> {
    const status = await this.serviceStatus();
    if (this.stopRequested) return { newLines: 0 };
    if (status.kind !== 'status' || !notRunningStatuses.has(status.status)) return undefined;
    const newLines = await this.emit(pending);
    if (this.paused === undefined) {
      const cursors = [...this.sources.values()].map((source) => source.cursor).filter((cursor): cursor is string => cursor !== undefined);
      const pause = pauseOf(serviceLabel(this.options.target.service), status.status, cursors.length > 0);
      this.paused = pause;
      // After every line shown so far (the newest cursor), so that it reads as what happened last.
      const timestamp = cursors.reduce((newest, cursor) => (compareTimestamps(cursor, newest) > 0 ? cursor : newest), '');
      await this.emit([[{ kind: 'notice', timestamp, text: pause.reason, source: undefined }]]);
    } else {
      this.paused = { ...this.paused, serviceStatus: status.status };
    }
    return { newLines, paused: this.paused };
  }

  private retire(source: Source): Pending {
    source.retired = true;
    return { kind: 'notice', timestamp: source.cursor ?? '', text: 'No longer running; stopped following it.', source };
  }

  private async querySource(source: Source): Promise<{ source: Source; request: PollRequest; result: Result<string> }> {
    // After the first query every line is new, also when that query found none: a container that
    // had not written anything yet is followed from its first line (within one response).
    const request: PollRequest = { since: source.cursor, first: !source.polled, numLines: source.polled ? this.pollLines : Math.max(1, this.tailLines) };
    const result = await this.options.query(source.target, request.since, request.numLines, { signal: this.controller.signal });
    return { source, request, result };
  }

  /** The new lines of one answer (and notices about the source), advancing its cursor. */
  private async process(source: Source, request: PollRequest, raw: string): Promise<SourcePoll> {
    const { since, first, numLines } = request;
    source.polled = true;
    const parsed = await this.parse(raw, since ?? '');
    const lines: Pending[] = [];
    let truncated = false;
    let restarted = false;
    if (since !== undefined && source.restartHandledAt !== since) {
      const echoed = parsed.some((line) => line.timestamp === since);
      if (echoed) {
        this.sinceEchoSeen = true;
      } else if (parsed.length > 0 && isFull(raw, parsed.length, numLines)) {
        truncated = true;
        lines.push({ kind: 'notice', timestamp: parsed[0]?.timestamp ?? since, text: 'More lines arrived since the last poll than one query returns (100 KB); some were skipped.', source });
      } else if (this.sinceEchoSeen) {
        const restart = await this.previousRunSince(source, since);
        if (this.stopRequested) return { kind: 'lines', source, lines: [], truncated: false };
        if (restart.error && isTransient(restart.error)) return { kind: 'error', source, error: restart.error };
        restarted = true;
        for (const line of this.fresh(source, restart.lines)) lines.push({ kind: 'log', timestamp: line.timestamp, text: line.text, source });
        const message = restart.complete
          ? 'The container restarted; the lines before this are the end of its previous run.'
          : 'The container restarted; lines its previous run wrote since the last poll may be missing.';
        lines.push({ kind: 'notice', timestamp: source.cursor ?? since, text: message, source });
      }
    }
    const fresh = this.fresh(source, parsed);
    if (restarted && fresh.length === 0) {
      // The cursor is now in the previous run: the next polls cannot echo it until the new run writes.
      source.restartHandledAt = source.cursor;
    } else if (source.cursor !== since) {
      source.restartHandledAt = undefined;
    }
    if (first && this.tailLines === 0) {
      // A zero tail: the line fetched only marks where the follow starts.
      return { kind: 'lines', source, lines: [], truncated: false };
    }
    if (source.announce && fresh.length > 0) {
      source.announce = false;
      lines.push({ kind: 'notice', timestamp: fresh[0]?.timestamp ?? '', text: 'New container; following it from its recent lines.', source });
    }
    for (const line of fresh) lines.push({ kind: 'log', timestamp: line.timestamp, text: line.text, source });
    return { kind: 'lines', source, lines, truncated };
  }

  /** The previous run's lines at or after `since`; `complete` when they reach back to the cursor line. */
  private async previousRunSince(source: Source, since: string): Promise<{ lines: ParsedLine[]; complete: boolean; error?: SnowflakeError }> {
    const result = await this.options.query(source.target, since, this.pollLines, { previous: true, signal: this.controller.signal });
    if (!result.ok) return { lines: [], complete: false, error: result.error };
    const lines = await this.parse(result.value, since);
    return { lines, complete: lines.some((line) => line.timestamp === since) };
  }

  /** Parses a response in slices, sorted by timestamp (stable: lines of one timestamp keep their order). */
  private async parse(raw: string, initialTimestamp: string): Promise<ParsedLine[]> {
    const reader = new LogTextReader(raw, initialTimestamp);
    const lines: ParsedLine[] = [];
    let sorted = true;
    let previous = '';
    for (let line = reader.next(); line !== undefined; line = reader.next()) {
      if (line.timestamp < previous) sorted = false;
      previous = line.timestamp;
      lines.push(line);
      if (lines.length % checkEvery === 0) await this.checkpoint();
    }
    if (!sorted) lines.sort((a, b) => compareTimestamps(a.timestamp, b.timestamp));
    return lines;
  }

  /**
   * The lines not shown yet (`lines` sorted), advancing the source's cursor: lines before the cursor
   * were shown; at the cursor, as many of each text as were shown are repeats; after it, all are new.
   */
  private fresh(source: Source, lines: readonly ParsedLine[]): ParsedLine[] {
    const cursor = source.cursor;
    const result: ParsedLine[] = [];
    let start = 0;
    if (cursor !== undefined) {
      const matched = new Map<string, number>();
      for (; start < lines.length; start++) {
        const line = lines[start] as ParsedLine;
        if (line.timestamp > cursor) break;
        if (line.timestamp < cursor) continue;
        const shown = source.shownAtCursor.get(line.text) ?? 0;
        const seen = matched.get(line.text) ?? 0;
        matched.set(line.text, seen + 1);
        if (seen < shown) continue;
        source.shownAtCursor.set(line.text, shown + 1);
        result.push(line);
      }
    }
    if (start >= lines.length) return result;
    for (let index = start; index < lines.length; index++) result.push(lines[index] as ParsedLine);
    const newest = (lines[lines.length - 1] as ParsedLine).timestamp;
    const shownAtNewest = new Map<string, number>();
    for (let index = lines.length - 1; index >= start && (lines[index] as ParsedLine).timestamp === newest; index--) {
      const text = (lines[index] as ParsedLine).text;
      shownAtNewest.set(text, (shownAtNewest.get(text) ?? 0) + 1);
    }
    source.cursor = newest;
    source.shownAtCursor = shownAtNewest;
    return result;
  }

  /** Merges the batches in timestamp order and hands them to the sink in slices; returns the number of log lines. */
  private async emit(batches: readonly (readonly Pending[])[]): Promise<number> {
    const queue = new MergeQueue(batches.filter((batch) => batch.length > 0));
    let out: LogLine[] = [];
    let count = 0;
    let sinceCheck = 0;
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      if (next.kind === 'log') count += 1;
      out.push(this.toLogLine(next));
      if (++sinceCheck >= checkEvery) {
        sinceCheck = 0;
        if (this.now() - this.sliceStarted >= this.sliceMs) {
          if (this.stopRequested) return count;
          this.options.sink(out);
          out = [];
          await this.pause();
          if (this.stopRequested) return count;
        }
      }
    }
    if (out.length > 0 && !this.stopRequested) this.options.sink(out);
    return count;
  }

  private toLogLine(pending: Pending): LogLine {
    const target = pending.source?.target;
    const tag = pending.source?.tag ?? '';
    return {
      kind: pending.kind,
      timestamp: pending.timestamp,
      instance: target?.instance ?? '',
      container: target?.container ?? '',
      text: pending.text,
      display: pending.kind === 'log' ? formatLine(pending.text, pending.timestamp, tag, this.options.includeTimestamps) : formatNotice(pending.text, tag),
    };
  }

  private async checkpoint(): Promise<void> {
    if (this.now() - this.sliceStarted >= this.sliceMs) await this.pause();
  }

  private async pause(): Promise<void> {
    await this.yieldToEventLoop();
    this.sliceStarted = this.now();
  }
}

/**
 * The logs of a container's previous run (`retrieve_previous_logs = TRUE`), oldest first, formatted
 * for display; usable without a follow (a "Show previous logs" command on a container).
 */
export async function fetchPreviousLogs(
  query: LogQueryFn,
  target: ContainerTarget,
  options: { readonly numLines: number; readonly includeTimestamps: boolean; readonly scope?: FollowScope; readonly signal?: AbortSignal },
): Promise<Result<LogLine[]>> {
  const result = await query(target, undefined, Math.max(1, Math.floor(options.numLines)), { previous: true, signal: options.signal });
  if (!result.ok) return result;
  const reader = new LogTextReader(result.value);
  const parsed: ParsedLine[] = [];
  for (let line = reader.next(); line !== undefined; line = reader.next()) parsed.push(line);
  parsed.sort((a, b) => compareTimestamps(a.timestamp, b.timestamp));
  const tag = sourceTag(options.scope ?? 'container', target.instance, target.container);
  return ok(
    parsed.map((line) => ({
      kind: 'log' as const,
      timestamp: line.timestamp,
      instance: target.instance,
      container: target.container,
      text: line.text,
      display: formatLine(line.text, line.timestamp, tag, options.includeTimestamps),
    })),
  );
}

/** Whether a response may have been cut: as many lines as asked for, or close to the 100 KB cap. */
function isFull(raw: string, lines: number, numLines: number): boolean {
  if (lines >= numLines) return true;
  const threshold = maxLogResponseBytes - maxLogRecordBytes;
  // UTF-8 takes at most 3 bytes per UTF-16 unit: count exactly only when it could matter.
  return raw.length * 3 >= threshold && utf8Length(raw) >= threshold;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      index += 1;
    } else bytes += 3;
  }
  return bytes;
}

/** Runs `work` over `items` with at most `limit` in flight; results in the order of `items`. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * A k-way merge of sorted batches: a binary heap of batch heads ordered by timestamp, then by batch
 * index (the order of sources), so equal timestamps keep a stable, predictable order.
 */
class MergeQueue {
  private readonly heap: number[] = [];
  private readonly positions: number[];

  constructor(private readonly batches: readonly (readonly Pending[])[]) {
    this.positions = batches.map(() => 0);
    batches.forEach((_batch, index) => this.push(index));
  }

  pop(): Pending | undefined {
    const top = this.heap[0];
    if (top === undefined) return undefined;
    const batch = this.batches[top] as readonly Pending[];
    const position = this.positions[top] as number;
    const item = batch[position] as Pending;
    this.positions[top] = position + 1;
    if (position + 1 < batch.length) {
      this.siftDown(0);
    } else {
      const last = this.heap.pop() as number;
      if (this.heap.length > 0) {
        this.heap[0] = last;
        this.siftDown(0);
      }
    }
    return item;
  }

  private head(batchIndex: number): string {
    return (this.batches[batchIndex] as readonly Pending[])[this.positions[batchIndex] as number]?.timestamp ?? '';
  }

  private less(a: number, b: number): boolean {
    const ta = this.head(a);
    const tb = this.head(b);
    return ta < tb || (ta === tb && a < b);
  }

  private push(batchIndex: number): void {
    const heap = this.heap;
    heap.push(batchIndex);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.less(heap[index] as number, heap[parent] as number)) break;
      [heap[index], heap[parent]] = [heap[parent] as number, heap[index] as number];
      index = parent;
    }
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && this.less(heap[left] as number, heap[smallest] as number)) smallest = left;
      if (right < heap.length && this.less(heap[right] as number, heap[smallest] as number)) smallest = right;
      if (smallest === index) return;
      [heap[index], heap[smallest]] = [heap[smallest] as number, heap[index] as number];
      index = smallest;
    }
  }
}

/** The service's name as the user knows it (the tree shows it unqualified). */
function serviceLabel(service: ObjectName): string {
  return typeof service === 'string' ? service : service.name;
}

/** The notice of a pause: what the service is doing, that the follow goes on, and the lines that may be lost. */
function pauseOf(service: string, status: string, shown: boolean): Pause {
  const suspended = suspendedStatuses.has(status);
  const what = suspended ? 'suspended' : `${status.toLowerCase()} (its instances are starting)`;
  const lost = suspended && shown ? ' Lines written between the last poll and the suspension, if any, can no longer be read.' : '';
  return { serviceStatus: status, reason: `${service} is ${what}; following resumes when it runs again.${lost}` };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
