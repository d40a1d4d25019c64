/**
 * The account catalogs the client holds, one per connection: read on demand, kept for a time to
 * live (10 minutes by default), refreshed on request, and forgotten when the connection goes.
 *
 * Owns: the status of each catalog (`fresh`, `stale` when older than the TTL or when a refresh
 * failed and the last good copy is kept, `unavailable` when there is none), the reason given with
 * it (the classified error kind and message, never credentials), one read in flight per connection
 * whatever the number of callers, and the change event the client forwards to the language server
 * as `spcs/accountCatalog` (`toParams`).
 *
 * Time comes from an injected clock and staleness is computed when asked: there are no timers, so
 * nothing outlives `dispose()` except reads already in flight, which are aborted and ignored.
 * Must not: import `vscode` or talk to Snowflake itself (the read is injected; see `fetchCatalog`).
 */

import type { AccountCatalog, AccountCatalogParams, CatalogStatus } from '../../../server/src/lspExtension';
import type { SnowflakeError, SnowflakeErrorKind } from '../snowflake/errors';
import type { Result } from '../snowflake/result';
import type { CatalogFetch, CatalogProblem } from './fetchCatalog';

export interface CatalogEntry {
  readonly connection: string;
  /** The last good catalog, or null when there is none. */
  readonly catalog: AccountCatalog | null;
  /** When `catalog` was read (ms since the epoch); undefined without a catalog. */
  readonly fetchedAt: number | undefined;
  readonly status: CatalogStatus;
  /** The sections that could not be read in the last good read. */
  readonly problems: readonly CatalogProblem[];
  /** The error of the last failed read, when the last read failed. */
  readonly error?: SnowflakeError;
  /** Whether a read is in flight. */
  readonly loading: boolean;
}

/**
 * `loading`: a read started (the catalog is unchanged; for progress in the UI). `read`: a read ended,
 * with a new catalog or a failure (the status says which). `forgotten`: the catalog is gone. The
 * client forwards `read` and `forgotten` to the language server as `spcs/accountCatalog`.
 */
export type CatalogChange = 'loading' | 'read' | 'forgotten';

export type CatalogReader = (connection: string, signal: AbortSignal) => Promise<Result<CatalogFetch>>;

export interface CatalogCacheOptions {
  readonly read: CatalogReader;
  /** How long a catalog counts as fresh (default 10 minutes). */
  readonly ttlMs?: number;
  /** After a failed read, how long `get` returns the failure before reading again (default 30 s). */
  readonly retryAfterMs?: number;
  /** Milliseconds since the epoch (default `Date.now`). */
  readonly now?: () => number;
}

export interface Disposable {
  dispose(): void;
}

interface Slot {
  catalog: AccountCatalog | null;
  fetchedAt: number | undefined;
  problems: readonly CatalogProblem[];
  error: SnowflakeError | undefined;
  /** When the last read ended (ms since the epoch). */
  lastAttemptAt: number | undefined;
  inFlight: Promise<CatalogEntry> | undefined;
  controller: AbortController | undefined;
  /** Bumped by `forget`: a read started before it must not write its result. */
  generation: number;
}

export const defaultCatalogTtlMs = 10 * 60_000;

export class CatalogCache implements Disposable {
  private readonly slots = new Map<string, Slot>();
  private readonly listeners = new Set<(entry: CatalogEntry, change: CatalogChange) => void>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private disposed = false;

  constructor(private readonly options: CatalogCacheOptions) {
    this.ttlMs = options.ttlMs ?? defaultCatalogTtlMs;
    this.now = options.now ?? Date.now;
  }

  /** Called with the new entry whenever a read starts or ends, and on `forget`. */
  onDidChange(listener: (entry: CatalogEntry, change: CatalogChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** The entry as it stands (no read); undefined for a connection never read. */
  peek(connection: string): CatalogEntry | undefined {
    const slot = this.slots.get(connection);
    return slot === undefined ? undefined : this.entryOf(connection, slot);
  }

  /** The connections that have an entry. */
  connections(): string[] {
    return [...this.slots.keys()];
  }

  /** The catalog, read when there is none or it is older than the TTL; joins a read in flight. */
  get(connection: string): Promise<CatalogEntry> {
    const slot = this.slots.get(connection);
    if (slot?.inFlight) return slot.inFlight;
    if (slot && slot.catalog !== null && slot.error === undefined && !this.expired(slot)) {
      return Promise.resolve(this.entryOf(connection, slot));
    }
    if (slot?.error !== undefined && slot.lastAttemptAt !== undefined && this.now() - slot.lastAttemptAt < (this.options.retryAfterMs ?? 30_000)) {
      return Promise.resolve(this.entryOf(connection, slot));
    }
    return this.refresh(connection);
  }

  /** Reads the catalog now (joins a read already in flight rather than starting a second one). */
  refresh(connection: string): Promise<CatalogEntry> {
    if (this.disposed) {
      return Promise.resolve(this.entryOf(connection, this.slots.get(connection) ?? emptySlot()));
    }
    let slot = this.slots.get(connection);
    if (!slot) {
      slot = emptySlot();
      this.slots.set(connection, slot);
    }
    if (slot.inFlight) return slot.inFlight;
    const current = slot;
    const generation = current.generation;
    const controller = new AbortController();
    current.controller = controller;
    const reading = readSafely(this.options.read, connection, controller.signal)
      .catch((error: unknown): Result<CatalogFetch> => ({ ok: false, error: { kind: 'internal', message: `Reading the account catalog failed: ${error instanceof Error ? error.message : String(error)}` } }))
      .then((result) => {
        if (this.disposed || current.generation !== generation || this.slots.get(connection) !== current) {
          return this.entryOf(connection, current);
        }
        current.inFlight = undefined;
        current.controller = undefined;
        current.lastAttemptAt = this.now();
        if (result.ok) {
          current.catalog = result.value.catalog;
          current.fetchedAt = this.now();
          current.problems = result.value.problems;
          current.error = undefined;
        } else {
          current.error = result.error;
        }
        const entry = this.entryOf(connection, current);
        this.emit(entry, 'read');
        return entry;
      });
    current.inFlight = reading;
    this.emit(this.entryOf(connection, current), 'loading');
    return reading;
  }

  /** Drops the connection's catalog (connection removed, signed out): listeners get `catalog: null`. */
  forget(connection: string): void {
    const slot = this.slots.get(connection);
    if (!slot) return;
    slot.generation++;
    slot.controller?.abort();
    this.slots.delete(connection);
    this.emit({ connection, catalog: null, fetchedAt: undefined, status: { state: 'unavailable', reason: 'The connection was removed or signed out.' }, problems: [], loading: false }, 'forgotten');
  }

  /** Aborts reads in flight and drops every listener; later calls read nothing. */
  dispose(): void {
    this.disposed = true;
    for (const slot of this.slots.values()) {
      slot.generation++;
      slot.controller?.abort();
      slot.inFlight = undefined;
    }
    this.listeners.clear();
  }

  /** The `spcs/accountCatalog` parameters for an entry. */
  toParams(entry: CatalogEntry, isDefault: boolean): AccountCatalogParams {
    return {
      connection: entry.connection,
      isDefault,
      fetchedAt: new Date(entry.fetchedAt ?? this.now()).toISOString(),
      catalog: entry.catalog,
      status: entry.status,
    };
  }

  private expired(slot: Slot): boolean {
    return slot.fetchedAt === undefined || this.now() - slot.fetchedAt >= this.ttlMs;
  }

  private entryOf(connection: string, slot: Slot): CatalogEntry {
    return {
      connection,
      catalog: slot.catalog,
      fetchedAt: slot.fetchedAt,
      status: this.statusOf(slot),
      problems: slot.problems,
      ...(slot.error === undefined ? {} : { error: slot.error }),
      loading: slot.inFlight !== undefined,
    };
  }

  private statusOf(slot: Slot): CatalogStatus {
    if (slot.catalog === null) {
      return slot.error === undefined ? { state: 'unavailable', reason: 'The account catalog has not been read yet.' } : { state: 'unavailable', reason: reasonOf(slot.error) };
    }
    if (slot.error !== undefined) {
      return { state: 'stale', reason: `The last refresh failed (${reasonOf(slot.error)}); showing the catalog read ${this.age(slot)}.` };
    }
    if (this.expired(slot)) {
      return { state: 'stale', reason: `Read ${this.age(slot)}; older than the refresh interval of ${minutes(this.ttlMs)}.` };
    }
    return { state: 'fresh' };
  }

  private age(slot: Slot): string {
    const elapsed = Math.max(0, this.now() - (slot.fetchedAt ?? this.now()));
    return elapsed < 60_000 ? 'less than a minute ago' : `${minutes(elapsed, Math.floor)} ago`;
  }

  private emit(entry: CatalogEntry, change: CatalogChange): void {
    for (const listener of [...this.listeners]) listener(entry, change);
  }
}

/** Calls the reader now (so the read starts synchronously), turning a synchronous throw into a rejection. */
function readSafely(read: CatalogReader, connection: string, signal: AbortSignal): Promise<Result<CatalogFetch>> {
  try {
    return read(connection, signal);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function emptySlot(): Slot {
  return { catalog: null, fetchedAt: undefined, problems: [], error: undefined, lastAttemptAt: undefined, inFlight: undefined, controller: undefined, generation: 0 };
}

const kindWords: Readonly<Record<SnowflakeErrorKind, string>> = {
  network: 'network',
  auth: 'authentication',
  privilege: 'privilege',
  notFound: 'not found',
  timeout: 'timeout',
  cancelled: 'cancelled',
  sql: 'SQL error',
  config: 'connection settings',
  internal: 'internal error',
};

/** `network: Could not reach …`: the error's kind in words, then its (already redacted) message. */
export function reasonOf(error: SnowflakeError): string {
  return `${kindWords[error.kind]}: ${error.message.replace(/[.\s]+$/, '')}`;
}

function minutes(ms: number, round: (value: number) => number = Math.round): string {
  const value = round(ms / 60_000);
  return `${value} minute${value === 1 ? '' : 's'}`;
}
