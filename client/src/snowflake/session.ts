/**
 * `SnowflakeSessions`: the one place that holds Snowflake sessions (one instance per extension; give
 * it to `context.subscriptions` through `dispose`). One session per connection name, created once even
 * when several callers ask at the same time, reused across calls, kept alive by the driver's heartbeat.
 *
 * Guarantees of `execute`:
 * - It always settles by `timeoutMs` (connecting included) plus at most `cancelGraceMs` (1 s): the
 *   driver retries some failures up to 1000 times and ignores `statement.cancel()`, so the call races
 *   the driver. On timeout or abort it asks Snowflake to cancel and waits that grace for the answer:
 *   a confirmed cancel (000604) means nothing was changed and the error says so; without an answer
 *   the error says the statement may have been applied, and the session is marked suspect and
 *   rebuilt on next use (the driver may still be retrying on it).
 * - Session token expiry (390112) is renewed by the driver transparently. When the session is gone
 *   (390104/390111, seen by callers as 407002) the session is rebuilt and the statement re-run once,
 *   but only if it is read-only (SHOW/DESCRIBE/SELECT/USE…): a CREATE/ALTER/DROP/EXECUTE may have been
 *   applied, so it is reported, never repeated. USE statements are replayed on a rebuilt session.
 * - Every failure is a classified `SnowflakeError` with Snowflake's code (see `errors.ts`).
 *
 * Interactive steps (credential prompts, the SSO browser) happen inside `get()`, before the connect
 * timeout starts; commands that may prompt should call `get()` before `execute()` so a slow answer
 * does not eat the statement's timeout.
 *
 * The driver module is loaded on the first `get`/`execute` (see `driver.ts`), never at construction.
 * Pure of `vscode`: cancellation is an `AbortSignal`.
 *
 * Over 400 lines on purpose: the guarantees above are one algorithm (sessions, races, cancels and
 * re-runs depend on each other) and read best whole.
 */

import type { Bind, Connection, RowStatement, FileAndStageBindStatement } from 'snowflake-sdk';
import { findConnection, loadConnections, type LoadedConnections } from './config';
import { buildConnectionOptions, type CredentialPrompter, type DriverConnectionOptions } from './connectionOptions';
import { loadDriver, type DriverLogger, type DriverLogLevel, type SnowflakeDriver } from './driver';
import { classify, redact, sessionGoneCodes, snowflakeError, stripLeadingComments, type SnowflakeError } from './errors';
import { fail, ok, type Result } from './result';
import { MemoryTokenCache, type TokenCache } from './tokenCache';

export interface Column {
  readonly name: string;
  /** Snowflake's type name as the driver reports it (`text`, `fixed`, `timestamp_ltz`, …). */
  readonly type: string;
}

export interface ResultSet {
  readonly columns: readonly Column[];
  /** Rows keyed by column name, values converted by the driver (numbers, booleans, dates, JSON). */
  readonly rows: readonly Record<string, unknown>[];
  readonly queryId?: string;
}

export interface ExecuteOptions {
  readonly binds?: readonly Bind[];
  /** Upper bound for the whole call, connecting included (default `defaultTimeoutMs`). */
  readonly timeoutMs?: number;
  /** Cancels the call: it settles at once with a `cancelled` error. */
  readonly signal?: AbortSignal;
}

export interface SessionInfo {
  readonly connectionName: string;
  /** account, user, authenticator, URL: safe to log. */
  readonly summary: string;
  readonly role?: string;
}

export interface SessionsOptions {
  /** Reads the connection files; called for each new session so edits apply (default `loadConnections()`). */
  readonly connections?: () => Result<LoadedConnections> | Promise<Result<LoadedConnections>>;
  readonly prompter?: CredentialPrompter;
  readonly openBrowser?: (url: string) => void | Promise<void>;
  /** MFA and SSO tokens (default: in memory for the lifetime of this object). */
  readonly tokenCache?: TokenCache;
  readonly logger?: DriverLogger;
  readonly driverLogLevel?: DriverLogLevel;
  /** Bound on one login, after credentials are known (default 60 s; EXTERNALBROWSER adds the browser time). */
  readonly connectTimeoutMs?: number;
  /** Default `ExecuteOptions.timeoutMs` (60 s). */
  readonly defaultTimeoutMs?: number;
  /** How long `dispose` waits for sessions to close (3 s). */
  readonly disposeTimeoutMs?: number;
  /** After a timeout or abort, how long to wait for Snowflake to confirm the cancel (1 s). */
  readonly cancelGraceMs?: number;
  /** How often `waitForQuery` polls (1 s). */
  readonly pollIntervalMs?: number;
  readonly loginRetries?: number;
  readonly requestTimeoutMs?: number;
  /** Environment for the connection files and proxies (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** Replaces `import('snowflake-sdk')` (tests). */
  readonly importDriver?: () => Promise<unknown>;
}

interface SessionEntry {
  readonly name: string;
  readonly connection: Connection;
  readonly built: DriverConnectionOptions;
  role: string | undefined;
  suspect: boolean;
}

type StatementOutcome =
  | { readonly kind: 'done'; readonly statement: RowStatement | FileAndStageBindStatement; readonly rows: readonly Record<string, unknown>[] }
  | { readonly kind: 'error'; readonly error: unknown }
  /** `confirmed`: Snowflake answered that the statement was cancelled (000604), so it changed nothing. */
  | { readonly kind: 'timeout' | 'cancelled'; readonly confirmed: boolean };

const runningStatuses: ReadonlySet<string> = new Set(['RUNNING', 'QUEUED', 'RESUMING_WAREHOUSE', 'QUEUED_REPARING_WAREHOUSE', 'NO_DATA', 'RESTARTED', 'BLOCKED']);

/** Whether a query status from the monitoring API means the statement has not finished yet. */
export function isRunningStatus(status: string): boolean {
  return runningStatuses.has(status);
}

export class SnowflakeSessions {
  private driverPromise: Promise<SnowflakeDriver> | undefined;
  private readonly entries = new Map<string, Promise<Result<SessionEntry>>>();
  private readonly closing = new Set<Promise<void>>();
  private readonly useStatements = new Map<string, string[]>();
  private readonly secrets = new Set<string>();
  private readonly tokenCache: TokenCache;
  private disposed = false;

  constructor(private readonly options: SessionsOptions = {}) {
    this.tokenCache = options.tokenCache ?? new MemoryTokenCache();
  }

  /** Whether the driver module has been loaded (it is loaded on first use only). */
  get driverLoaded(): boolean {
    return this.driverPromise !== undefined;
  }

  /** A connected session for `connectionName`, logging in (and prompting) if needed. */
  async get(connectionName: string): Promise<Result<SessionInfo>> {
    const acquired = await this.acquire(connectionName);
    return acquired.ok ? ok(this.info(acquired.value)) : acquired;
  }

  async execute(connectionName: string, sql: string, options: ExecuteOptions = {}): Promise<Result<ResultSet>> {
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    const first = await this.attempt(connectionName, sql, options, deadline, timeoutMs);
    if (first.ok || !first.sessionGone) {
      return first.result;
    }
    if (!isReadOnly(sql)) {
      return first.result;
    }
    this.options.logger?.info(`[${connectionName}] session ended; reconnecting and re-running the read-only statement once`);
    return (await this.attempt(connectionName, sql, options, deadline, timeoutMs)).result;
  }

  /**
   * Submits a long statement without waiting for it (`asyncExec`): returns its query id at once;
   * follow it with `waitForQuery`. The statement keeps running if this session ends.
   */
  async submit(connectionName: string, sql: string, options: ExecuteOptions = {}): Promise<Result<{ queryId: string }>> {
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    const acquired = await this.acquireBy(connectionName, deadline, timeoutMs, options.signal);
    if (!acquired.ok) return acquired;
    const entry = acquired.value;
    const outcome = await this.runStatement(entry, sql, options.binds, deadline, options.signal, true);
    if (outcome.kind !== 'done') {
      return fail(this.outcomeError(entry, sql, outcome, timeoutMs));
    }
    const queryId = outcome.statement.getQueryId();
    return queryId ? ok({ queryId }) : fail(snowflakeError('internal', `Snowflake did not return a query id for the submitted statement (connection "${connectionName}").`));
  }

  /** The server status of a query (RUNNING, SUCCESS, FAILED_WITH_ERROR, …). */
  async queryStatus(connectionName: string, queryId: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Result<string>> {
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    const acquired = await this.acquireBy(connectionName, deadline, timeoutMs, options.signal);
    if (!acquired.ok) return acquired;
    const entry = acquired.value;
    const status = await raceUntil(entry.connection.getQueryStatus(queryId), deadline, options.signal);
    if (status.kind === 'value') return ok(status.value);
    if (status.kind === 'error') return fail(this.classifyFor(entry, status.error));
    return fail(this.stopError(connectionName, status.kind, timeoutMs, 'Checking the query status'));
  }

  /** Polls a submitted query until it ends, then returns its result (or its error). */
  async waitForQuery(connectionName: string, queryId: string, options: { timeoutMs?: number; signal?: AbortSignal; onStatus?: (status: string) => void } = {}): Promise<Result<ResultSet>> {
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await this.queryStatus(connectionName, queryId, { timeoutMs: Math.max(1, deadline - Date.now()), signal: options.signal });
      if (!status.ok) return status;
      options.onStatus?.(status.value);
      if (!isRunningStatus(status.value)) break;
      const waited = await delay(Math.min(this.options.pollIntervalMs ?? 1000, Math.max(0, deadline - Date.now())), options.signal);
      if (waited === 'cancelled') return fail(this.stopError(connectionName, 'cancelled', timeoutMs, 'Waiting for the query'));
      if (Date.now() >= deadline) return fail(this.stopError(connectionName, 'timeout', timeoutMs, `Query ${queryId}`));
    }
    const acquired = await this.acquireBy(connectionName, deadline, timeoutMs, options.signal);
    if (!acquired.ok) return acquired;
    const entry = acquired.value;
    const fetched = await raceUntil(
      entry.connection.getResultsFromQueryId({ queryId }).then((statement) => collectRows(statement)),
      deadline,
      options.signal,
    );
    if (fetched.kind === 'value') return ok(fetched.value);
    if (fetched.kind === 'error') return fail(this.classifyFor(entry, fetched.error));
    return fail(this.stopError(connectionName, fetched.kind, timeoutMs, `Fetching the result of ${queryId}`));
  }

  /** Closes the session of one connection (e.g. after its settings changed). */
  async close(connectionName: string): Promise<void> {
    const pending = this.entries.get(connectionName);
    this.entries.delete(connectionName);
    this.useStatements.delete(connectionName);
    const result = pending ? await raceUntil(pending, Date.now() + this.disposeTimeoutMs(), undefined) : undefined;
    if (result?.kind === 'value' && result.value.ok) {
      await this.retire(result.value.value);
    }
  }

  /** Destroys every session, waiting at most `disposeTimeoutMs` for each. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const names = [...this.entries.keys()];
    await Promise.all(names.map((name) => this.close(name)));
    await raceUntil(Promise.all([...this.closing]), Date.now() + this.disposeTimeoutMs(), undefined);
  }

  // -------------------------------------------------------------------------------------------

  private async attempt(name: string, sql: string, options: ExecuteOptions, deadline: number, timeoutMs: number): Promise<{ ok: boolean; sessionGone: boolean; result: Result<ResultSet> }> {
    const acquired = await this.acquireBy(name, deadline, timeoutMs, options.signal);
    if (!acquired.ok) {
      return { ok: false, sessionGone: false, result: acquired };
    }
    const entry = acquired.value;
    const outcome = await this.runStatement(entry, sql, options.binds, deadline, options.signal, false);
    if (outcome.kind === 'done') {
      this.rememberUse(entry, sql);
      return { ok: true, sessionGone: false, result: ok(toResultSet(outcome.statement, outcome.rows)) };
    }
    const error = this.outcomeError(entry, sql, outcome, timeoutMs);
    const sessionGone = outcome.kind === 'error' && (sessionGoneCodes.has(error.code ?? '') || !entry.connection.isUp());
    if (sessionGone) {
      entry.suspect = true;
      if (!isReadOnly(sql)) {
        return {
          ok: false,
          sessionGone,
          result: fail({ ...error, message: `${error.message} The statement was not re-run automatically: it may have been applied. Check the objects it changes before running it again.` }),
        };
      }
    }
    return { ok: false, sessionGone, result: fail(error) };
  }

  private outcomeError(entry: SessionEntry, sql: string, outcome: Exclude<StatementOutcome, { kind: 'done' }>, timeoutMs: number): SnowflakeError {
    if (outcome.kind === 'error') {
      return this.classifyFor(entry, outcome.error, sql);
    }
    const what = describeStatement(sql);
    const where = `(connection "${entry.name}")`;
    const aftermath = outcome.confirmed
      ? ' Snowflake cancelled it before it completed, so nothing was changed.'
      : isReadOnly(sql)
        ? ''
        : ' Snowflake was asked to cancel it but did not confirm in time: it may still have been applied, so check before running it again.';
    if (outcome.kind === 'timeout') {
      return snowflakeError('timeout', `${what} did not finish within ${seconds(timeoutMs)} ${where}.${aftermath}`);
    }
    return snowflakeError('cancelled', `${what} was cancelled ${where}.${aftermath}`);
  }

  private classifyFor(entry: SessionEntry, error: unknown, sql?: string): SnowflakeError {
    return classify(error, {
      connectionName: entry.name,
      sql,
      role: entry.role,
      user: typeof entry.built.options.username === 'string' ? entry.built.options.username : undefined,
      target: entry.built.options.accessUrl,
      secrets: [...this.secrets],
      phase: 'execute',
    });
  }

  private stopError(name: string, kind: 'timeout' | 'cancelled', timeoutMs: number, what: string): SnowflakeError {
    return kind === 'timeout'
      ? snowflakeError('timeout', `${what} did not finish within ${seconds(timeoutMs)} (connection "${name}").`)
      : snowflakeError('cancelled', `${what} was cancelled (connection "${name}").`);
  }

  /** `acquire`, bounded by the caller's deadline and signal (the login itself goes on for other callers). */
  private async acquireBy(name: string, deadline: number, timeoutMs: number, signal: AbortSignal | undefined): Promise<Result<SessionEntry>> {
    const raced = await raceUntil(this.acquire(name), deadline, signal);
    if (raced.kind === 'value') return raced.value;
    if (raced.kind === 'error') return fail(classify(raced.error, { connectionName: name, secrets: [...this.secrets] }));
    return fail(this.stopError(name, raced.kind, timeoutMs, `Connecting to Snowflake`));
  }

  /** The live session of `name`; one login even when called concurrently; suspect sessions are replaced. */
  private acquire(name: string): Promise<Result<SessionEntry>> {
    if (this.disposed) {
      return Promise.resolve(fail(snowflakeError('internal', 'The Snowflake sessions were closed (the extension is shutting down).')));
    }
    let pending = this.entries.get(name);
    if (pending === undefined) {
      const created = this.connect(name);
      pending = created;
      this.entries.set(name, created);
      void created.then((result) => {
        if (!result.ok && this.entries.get(name) === created) this.entries.delete(name);
      });
    }
    const current = pending;
    return current.then((result) => {
      if (result.ok && (result.value.suspect || !result.value.connection.isUp())) {
        if (this.entries.get(name) === current) {
          this.entries.delete(name);
          void this.retire(result.value);
        }
        return this.acquire(name);
      }
      return result;
    });
  }

  private driver(): Promise<SnowflakeDriver> {
    this.driverPromise ??= loadDriver({
      logger: this.options.logger,
      logLevel: this.options.driverLogLevel,
      tokenCache: this.tokenCache,
      redact: (text) => redact(text, [...this.secrets]),
      importDriver: this.options.importDriver,
    });
    return this.driverPromise;
  }

  private async connect(name: string): Promise<Result<SessionEntry>> {
    const log = this.options.logger;
    let driver: SnowflakeDriver;
    try {
      driver = await this.driver();
    } catch (error) {
      this.driverPromise = undefined;
      return fail(snowflakeError('internal', `The Snowflake driver (snowflake-sdk) could not be loaded: ${String(error)}`));
    }
    const loaded = await (this.options.connections ?? (() => loadConnections(this.options.env ?? process.env)))();
    if (!loaded.ok) return loaded;
    loaded.value.warnings.forEach((warning) => log?.warn(warning));
    const config = findConnection(loaded.value, name);
    if (!config.ok) return config;
    const built = await buildConnectionOptions(
      config.value,
      {
        prompter: this.options.prompter,
        openBrowser: this.options.openBrowser,
        hasCachedToken: async (key) => (await this.tokenCache.read(key)) !== null,
        env: this.options.env,
      },
      { loginRetries: this.options.loginRetries, requestTimeoutMs: this.options.requestTimeoutMs },
    );
    if (!built.ok) return built;
    built.value.secrets.forEach((secret) => this.secrets.add(secret));
    const context = {
      connectionName: name,
      user: typeof built.value.options.username === 'string' ? built.value.options.username : undefined,
      target: built.value.options.accessUrl,
      secrets: [...this.secrets],
      phase: 'connect' as const,
    };

    log?.info(`[${name}] connecting: ${built.value.summary}`);
    const started = Date.now();
    let connection: Connection;
    try {
      connection = driver.createConnection({ ...built.value.options });
    } catch (error) {
      return fail(classify(error, context));
    }
    const browserMs = built.value.authenticator === 'EXTERNALBROWSER' ? (built.value.options.browserActionTimeout ?? 120_000) : 0;
    const connectTimeoutMs = (this.options.connectTimeoutMs ?? 60_000) + browserMs;
    const login = new Promise<unknown>((resolve) => {
      try {
        connection.connect((error) => resolve(error ?? null));
      } catch (error) {
        resolve(error);
      }
    });
    const outcome = await raceUntil(login, Date.now() + connectTimeoutMs, undefined);
    if (outcome.kind !== 'value') {
      void this.destroyConnection(connection);
      return fail(snowflakeError('timeout', `Logging in to Snowflake (connection "${name}", ${built.value.options.accessUrl ?? built.value.summary}) did not finish within ${seconds(connectTimeoutMs)}. Check the network and the host of the connection.`));
    }
    if (outcome.value !== null || !connection.isUp()) {
      const error =
        outcome.value !== null
          ? classify(outcome.value, context)
          : snowflakeError('auth', `Snowflake did not open a session for connection "${name}"; check its credentials.`);
      log?.warn(`[${name}] login failed: ${error.kind}${error.code ? ` ${error.code}` : ''}: ${error.message}`);
      if (error.kind === 'auth') {
        await Promise.all(built.value.prompted.filter((kind) => kind !== 'passcode').map((kind) => this.options.prompter?.forget?.(kind, name) ?? Promise.resolve()));
      }
      void this.destroyConnection(connection);
      return fail(error);
    }
    const entry: SessionEntry = { name, connection, built: built.value, role: built.value.options.role, suspect: false };
    if (this.disposed) {
      await this.retire(entry);
      return fail(snowflakeError('internal', 'The Snowflake sessions were closed (the extension is shutting down).'));
    }
    log?.info(`[${name}] connected in ${Date.now() - started} ms`);
    for (const use of this.useStatements.get(name) ?? []) {
      const replay = await this.runStatement(entry, use, undefined, Date.now() + connectTimeoutMs, undefined, false);
      if (replay.kind !== 'done') {
        log?.warn(`[${name}] could not restore "${use}" on the new session`);
      }
    }
    return ok(entry);
  }

  /** Runs one statement, settling by `deadline` or on abort whatever the driver does. */
  private runStatement(entry: SessionEntry, sql: string, binds: readonly Bind[] | undefined, deadline: number, signal: AbortSignal | undefined, asyncExec: boolean): Promise<StatementOutcome> {
    return new Promise<StatementOutcome>((resolve) => {
      if (signal?.aborted) {
        resolve({ kind: 'cancelled', confirmed: true });
        return;
      }
      let settled = false;
      let abandoned: 'timeout' | 'cancelled' | undefined;
      let graceTimer: NodeJS.Timeout | undefined;
      let statement: RowStatement | FileAndStageBindStatement | undefined;
      const finish = (outcome: StatementOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(graceTimer);
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      // On timeout or abort: ask Snowflake to cancel, then wait a short grace for its answer (the
      // statement's own completion, usually 000604) so that the caller learns whether it ran.
      const abandon = (kind: 'timeout' | 'cancelled'): void => {
        if (settled || abandoned) return;
        abandoned = kind;
        this.options.logger?.warn(`[${entry.name}] ${kind === 'timeout' ? 'timed out' : 'cancelled'}: ${describeStatement(sql)}`);
        graceTimer = setTimeout(() => {
          // No answer: the driver may be retrying this request forever; rebuild the session next time.
          entry.suspect = true;
          finish({ kind, confirmed: false });
        }, this.options.cancelGraceMs ?? 1000);
        try {
          statement?.cancel(() => undefined);
        } catch {
          // best effort
        }
      };
      const onAbort = (): void => abandon('cancelled');
      const timer = setTimeout(() => abandon('timeout'), Math.max(0, deadline - Date.now()));
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        statement = entry.connection.execute({
          sqlText: sql,
          ...(binds ? { binds } : {}),
          ...(asyncExec ? { asyncExec: true } : {}),
          complete: (error, completed, rows) => {
            if (error && abandoned && String((error as { code?: unknown }).code) === '000604') {
              finish({ kind: abandoned, confirmed: true });
            } else if (error) {
              finish({ kind: 'error', error });
            } else {
              // Also after a timeout: it finished within the grace period, which is the truth to report.
              finish({ kind: 'done', statement: completed, rows: (rows ?? []) as Record<string, unknown>[] });
            }
          },
        });
      } catch (error) {
        finish({ kind: 'error', error });
      }
    });
  }

  private rememberUse(entry: SessionEntry, sql: string): void {
    const match = /^USE\s+(ROLE|WAREHOUSE|DATABASE|SCHEMA|SECONDARY\s+ROLES)\s+(.+?)\s*;?\s*$/is.exec(stripLeadingComments(sql));
    if (!match) return;
    const kind = (match[1] ?? '').toUpperCase().replace(/\s+/g, ' ');
    const statements = (this.useStatements.get(entry.name) ?? []).filter((existing) => {
      const existingKind = /^USE\s+(\w+(?:\s+ROLES)?)/i.exec(existing)?.[1]?.toUpperCase().replace(/\s+/g, ' ');
      return existingKind !== kind && !(kind === 'DATABASE' && existingKind === 'SCHEMA');
    });
    statements.push(stripLeadingComments(sql).replace(/;\s*$/, ''));
    this.useStatements.set(entry.name, statements);
    if (kind === 'ROLE') {
      entry.role = (match[2] ?? '').replace(/^"(.*)"$/s, '$1');
    }
  }

  private info(entry: SessionEntry): SessionInfo {
    return { connectionName: entry.name, summary: entry.built.summary, ...(entry.role === undefined ? {} : { role: entry.role }) };
  }

  private retire(entry: SessionEntry): Promise<void> {
    const closing = this.destroyConnection(entry.connection);
    this.closing.add(closing);
    void closing.then(() => this.closing.delete(closing));
    return closing;
  }

  /** `destroy` with a bounded wait; stops the keep-alive timer even if the server never answers. */
  private destroyConnection(connection: Connection): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        const keepalive = (connection as unknown as { keepalive?: NodeJS.Timeout }).keepalive;
        if (keepalive !== undefined) clearInterval(keepalive);
        resolve();
      };
      const timer = setTimeout(done, this.disposeTimeoutMs());
      try {
        if (connection.isUp()) {
          connection.destroy(() => done());
        } else {
          done();
        }
      } catch {
        done();
      }
    });
  }

  private disposeTimeoutMs(): number {
    return this.options.disposeTimeoutMs ?? 3000;
  }
}

/**
 * Whether a statement only reads (safe to run again after a reconnect): SHOW, DESCRIBE, LIST,
 * EXPLAIN, USE, and SELECT/WITH that call no cancelling or state-changing system function.
 */
export function isReadOnly(sql: string): boolean {
  const text = stripLeadingComments(sql);
  const keyword = /^[A-Za-z]+/.exec(text)?.[0]?.toUpperCase() ?? '';
  if (['SHOW', 'DESC', 'DESCRIBE', 'LIST', 'LS', 'EXPLAIN', 'USE'].includes(keyword)) {
    return true;
  }
  if (keyword === 'SELECT' || keyword === 'WITH') {
    return !/SYSTEM\$(CANCEL|ABORT|SET|UNSET|REGISTER|UNREGISTER|DISABLE|ENABLE|ADD|REMOVE|CREATE|DROP|MIGRATE|PIPE_FORCE|REFRESH|AUTHORIZE|REVOKE|GRANT)|!SPCS_CANCEL_JOB/i.test(text);
  }
  return false;
}

function describeStatement(sql: string): string {
  const words = stripLeadingComments(sql).split(/\s+/).slice(0, 3).join(' ');
  return words === '' ? 'The statement' : `The statement "${words}…"`;
}

function toResultSet(statement: RowStatement | FileAndStageBindStatement, rows: readonly Record<string, unknown>[]): ResultSet {
  const columns = (statement.getColumns() ?? []).map((column) => ({ name: column.getName(), type: column.getType() }));
  const queryId = statement.getQueryId();
  return { columns, rows, ...(queryId ? { queryId } : {}) };
}

function collectRows(statement: RowStatement | FileAndStageBindStatement): Promise<ResultSet> {
  return new Promise<ResultSet>((resolve, reject) => {
    const rows: Record<string, unknown>[] = [];
    statement
      .streamRows()
      .on('data', (row: Record<string, unknown>) => rows.push(row))
      .on('error', reject)
      .on('end', () => resolve(toResultSet(statement, rows)));
  });
}

type Raced<T> = { kind: 'value'; value: T } | { kind: 'error'; error: unknown } | { kind: 'timeout' } | { kind: 'cancelled' };

/** Settles with the promise's outcome, or `timeout` at `deadline`, or `cancelled` on abort; clears its timer. */
function raceUntil<T>(promise: Promise<T>, deadline: number, signal: AbortSignal | undefined): Promise<Raced<T>> {
  return new Promise<Raced<T>>((resolve) => {
    if (signal?.aborted) {
      resolve({ kind: 'cancelled' });
      return;
    }
    const finish = (outcome: Raced<T>): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = (): void => finish({ kind: 'cancelled' });
    const timer = setTimeout(() => finish({ kind: 'timeout' }), Math.max(0, deadline - Date.now()));
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => finish({ kind: 'value', value }),
      (error: unknown) => finish({ kind: 'error', error }),
    );
  });
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<'elapsed' | 'cancelled'> {
  return raceUntil(new Promise<never>(() => undefined), Date.now() + ms, signal).then((outcome) => (outcome.kind === 'cancelled' ? 'cancelled' : 'elapsed'));
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
