/**
 * Keeps the language server's copy of the account catalogs in step with the client's: one catalog
 * per connection of the registry, read in the background (when the features bundle loads, when the
 * connections change, on a timer so that none stays older than the TTL, after account changes,
 * debounced, and on request), each read forwarded as `spcs/accountCatalog`, each connection that
 * disappears (removed from connections.toml, the local emulator stopped) forwarded as catalog null.
 *
 * Owns: which connections are read (only those that can log in without asking: background reads run
 * through `withoutPrompts`, a connection waiting for `spcs.signIn` is not read at all, and one that
 * logs in through a browser is read in the background only once a command has read it), which one
 * is the default for the server (the active connection), what is sent for a failed read (an account
 * that cannot be reached — network, authentication, connection settings, or a read that timed out as
 * a whole, which is what a stopped emulator looks like to the driver — is sent as catalog null so that
 * its warnings go quiet instead of describing an account nobody can reach; a read that failed for
 * other reasons keeps its last good copy as `stale`), re-sending everything when the server (re)starts, and the per-connection
 * account-check status shown in the status bar and by `spcs.showAccountCheckStatus`.
 *
 * Nothing here is on the keystroke path: the server gets notifications and never waits for them.
 * Must not: import `vscode`, talk to Snowflake itself (the cache reads), or ask the user anything.
 */

import { accountCatalogNotification, type AccountCatalog, type AccountCatalogParams } from '../../../server/src/lspExtension';
import type { SnowflakeErrorKind } from '../snowflake/errors';
import type { ConnectionConfig, LoadedConnections } from '../snowflake/config';
import type { Result } from '../snowflake/result';
import { reasonOf, type CatalogCache, type CatalogEntry, type Disposable } from './catalogCache';

/**
 * Failures after which the account counts as unreachable: its catalog is withdrawn from the server.
 * The whole read fails only when its first statement does (see `fetchCatalog`), so a `timeout` here
 * means the account answered nothing (the driver retries a refused connection until the deadline).
 */
const unreachableKinds: ReadonlySet<SnowflakeErrorKind> = new Set(['network', 'auth', 'config', 'timeout']);

export type NotifySink = (method: string, params: unknown) => Promise<boolean>;

export interface CatalogSyncOptions {
  readonly catalogs: CatalogCache;
  /** The connections (the registry's `current()`). */
  readonly connections: () => Result<LoadedConnections>;
  /** The connection documents without a target use (the registry's `active()`); default: the files' default. */
  readonly active?: () => string | undefined;
  readonly notify: NotifySink;
  /** Runs background reads so that a login never asks for a secret (the registry's `withoutPrompts`). */
  readonly withoutPrompts?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Whether a connection waits for the user to sign in: it is then not read in the background. */
  readonly needsSignIn?: (connection: string) => boolean;
  readonly log?: { debug(message: string): void; warn(message: string): void };
  /** How often the background check runs (it reads only catalogs older than the TTL; default 60 s). */
  readonly tickMs?: number;
  /** Account changes (a deploy, a dropped pool) within this window cause one refresh (default 2 s). */
  readonly debounceMs?: number;
  /** Milliseconds since the epoch (default `Date.now`), for ages in the status. */
  readonly now?: () => number;
}

/** What the account checks of one connection are doing, for the status bar and the status command. */
export type AccountCheckState =
  /** Not read yet (the first read starts soon). */
  | 'waiting'
  /** The first read is running. */
  | 'reading'
  /** A fresh catalog is in the server. */
  | 'on'
  /** A catalog is in the server, but it is old or the last refresh failed (not for want of a connection). */
  | 'stale'
  /** No catalog in the server: the account cannot be reached; only the offline checks run. */
  | 'paused'
  /** Not read: the connection waits for `spcs.signIn`. */
  | 'signIn';

export interface CatalogCounts {
  readonly computePools?: number;
  readonly imageRepositories?: number;
  readonly images?: number;
  readonly stages?: number;
  readonly secrets?: number;
  readonly externalAccessIntegrations?: number;
  readonly warehouses?: number;
  readonly grants?: number;
  readonly services?: number;
  readonly gateways?: number;
}

export interface AccountCheckStatus {
  readonly connection: string;
  /** The connection documents without a target are checked against. */
  readonly isDefault: boolean;
  readonly state: AccountCheckState;
  /** A read is in flight (also while a catalog is shown). */
  readonly loading: boolean;
  /** Why the checks are stale, paused or waiting, in a sentence (never credentials). */
  readonly reason?: string;
  /** When the catalog the server has was read (ms since the epoch). */
  readonly fetchedAt?: number;
  readonly ageMs?: number;
  readonly role?: string;
  readonly counts?: CatalogCounts;
  /** The sections of the last good read that could not be read (`images of DB.S.REPO: privilege: …`). */
  readonly problems: readonly string[];
}

/** The account-check state of one connection from its cache entry (pure). */
export function checkStatus(connection: string, entry: CatalogEntry | undefined, context: { readonly isDefault: boolean; readonly needsSignIn: boolean; readonly now: number }): AccountCheckStatus {
  const base = { connection, isDefault: context.isDefault, loading: entry?.loading ?? false };
  const problems = (entry?.problems ?? []).map((problem) => `${problem.section === 'images' ? 'images' : problem.section}${problem.subject ? ` of ${problem.subject}` : ''}: ${reasonOf(problem.error)}`);
  if (entry === undefined || (entry.catalog === null && entry.error === undefined)) {
    if (context.needsSignIn) return { ...base, state: 'signIn', reason: 'Sign in (SPCS: Sign In) to check specs against this account.', problems };
    return { ...base, state: entry?.loading ? 'reading' : 'waiting', reason: 'The account catalog has not been read yet.', problems };
  }
  const sent = withdrawn(entry) ? null : entry.catalog;
  const described = {
    ...base,
    ...(entry.catalog?.role === undefined ? {} : { role: entry.catalog.role }),
    ...(entry.catalog === null ? {} : { counts: countsOf(entry.catalog) }),
    ...(entry.fetchedAt === undefined ? {} : { fetchedAt: entry.fetchedAt, ageMs: Math.max(0, context.now - entry.fetchedAt) }),
    problems,
  };
  if (sent === null) {
    const cause = entry.error === undefined ? entry.status.reason ?? 'the account cannot be reached' : reasonOf(entry.error);
    const state: AccountCheckState = context.needsSignIn ? 'signIn' : 'paused';
    return { ...described, state, reason: `Account checks paused: ${cause}. Offline checks still run.` };
  }
  if (entry.status.state === 'fresh') return { ...described, state: 'on' };
  return { ...described, state: 'stale', ...(entry.status.reason === undefined ? {} : { reason: entry.status.reason }) };
}

/** Whether a read failed so that the account counts as unreachable (its catalog is withdrawn). */
function withdrawn(entry: CatalogEntry): boolean {
  return entry.error !== undefined && unreachableKinds.has(entry.error.kind);
}

/** The `spcs/accountCatalog` parameters for an entry: an unreachable account is sent as catalog null. */
export function catalogParams(catalogs: Pick<CatalogCache, 'toParams'>, entry: CatalogEntry, isDefault: boolean): AccountCatalogParams {
  const params = catalogs.toParams(entry, isDefault);
  if (!withdrawn(entry) || entry.error === undefined) return params;
  return { ...params, catalog: null, status: { state: 'unavailable', reason: reasonOf(entry.error) } };
}

export function countsOf(catalog: AccountCatalog): CatalogCounts {
  const counts: { -readonly [K in keyof CatalogCounts]: number } = {};
  if (catalog.computePools) counts.computePools = catalog.computePools.length;
  if (catalog.imageRepositories) {
    counts.imageRepositories = catalog.imageRepositories.length;
    counts.images = catalog.imageRepositories.reduce((sum, repository) => sum + (repository.images?.length ?? 0), 0);
  }
  if (catalog.stages) counts.stages = catalog.stages.length;
  if (catalog.secrets) counts.secrets = catalog.secrets.length;
  if (catalog.externalAccessIntegrations) counts.externalAccessIntegrations = catalog.externalAccessIntegrations.length;
  if (catalog.warehouses) counts.warehouses = catalog.warehouses.length;
  if (catalog.grants) counts.grants = catalog.grants.length;
  if (catalog.services) counts.services = catalog.services.length;
  if (catalog.gateways) counts.gateways = catalog.gateways.length;
  return counts;
}

/** `3 compute pools · 4 image repositories (5 images) · …`: the counts in words. */
export function describeCounts(counts: CatalogCounts): string {
  const parts: string[] = [];
  const add = (count: number | undefined, one: string, many: string): void => {
    if (count !== undefined) parts.push(`${count} ${count === 1 ? one : many}`);
  };
  add(counts.computePools, 'compute pool', 'compute pools');
  if (counts.imageRepositories !== undefined) {
    parts.push(`${counts.imageRepositories} image repositor${counts.imageRepositories === 1 ? 'y' : 'ies'} (${counts.images ?? 0} image${counts.images === 1 ? '' : 's'})`);
  }
  add(counts.stages, 'stage', 'stages');
  add(counts.secrets, 'secret', 'secrets');
  add(counts.externalAccessIntegrations, 'integration', 'integrations');
  add(counts.warehouses, 'warehouse', 'warehouses');
  add(counts.services, 'service', 'services');
  add(counts.gateways, 'gateway', 'gateways');
  add(counts.grants, 'grant', 'grants');
  return parts.join(' · ');
}

/** `just now`, `4 min ago`, `2 h ago`. */
export function describeAge(ageMs: number): string {
  if (ageMs < 60_000) return 'just now';
  const minutes = Math.floor(ageMs / 60_000);
  return minutes < 120 ? `${minutes} min ago` : `${Math.floor(minutes / 60)} h ago`;
}

/**
 * Whether logging in involves the user beyond stored secrets: a browser (EXTERNALBROWSER, OAuth
 * authorization code) or a second factor (USERNAME_PASSWORD_MFA: without a passcode Snowflake sends
 * a Duo push to the user's phone).
 */
export function interactiveLogin(connection: ConnectionConfig): boolean {
  const authenticator = connection.params['authenticator'];
  return typeof authenticator === 'string' && /^(externalbrowser|oauth_authorization_code|username_password_mfa)$/i.test(authenticator.trim());
}

export class CatalogSync implements Disposable {
  private readonly catalogs: CatalogCache;
  private readonly subscriptions: Disposable[] = [];
  /** The connections the server was told about (their catalogs are or will be there). */
  private readonly present = new Set<string>();
  private defaultConnection: string | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private pending: Set<string> | 'all' | undefined;
  private disposed = false;

  constructor(private readonly options: CatalogSyncOptions) {
    this.catalogs = options.catalogs;
  }

  /** Forwards every read from now on, reads what is missing, and starts the background timer. */
  start(): Promise<void> {
    this.subscriptions.push(
      this.catalogs.onDidChange((entry, change) => {
        if (change === 'loading') return;
        // A read that ended after its connection went (or after a sync forgot it) is not sent.
        if (change === 'read' && !this.present.has(entry.connection)) return;
        const params = change === 'forgotten' ? this.catalogs.toParams(entry, false) : catalogParams(this.catalogs, entry, entry.connection === this.defaultConnection);
        void this.send(params);
      }),
    );
    const tickMs = this.options.tickMs ?? 60_000;
    this.timer = setInterval(() => void this.sync(), tickMs);
    this.timer.unref?.();
    return this.sync();
  }

  /**
   * Brings the server in step with the registry: forgets connections that went, tells the server
   * when the default connection changed, and reads (without prompts) the catalogs that are missing
   * or older than the TTL. Resolves when the reads it started have ended.
   */
  async sync(): Promise<void> {
    const names = await this.reconcile();
    if (names === undefined) return;
    await Promise.all(names.filter((name) => this.readable(name)).map((name) => this.quietly(() => this.catalogs.get(name))));
  }

  /** Reads the given connections (default: every readable one) now, whatever their age; resolves to the new entries. */
  async refresh(connections?: readonly string[]): Promise<CatalogEntry[]> {
    await this.reconcile();
    const names = connections ?? [...this.present].filter((name) => this.readable(name));
    return Promise.all(names.filter((name) => this.present.has(name)).map((name) => this.quietly(() => this.catalogs.refresh(name))));
  }

  /** Forgets the connections that went and tells the server about a new default; the current names (undefined: files unreadable). */
  private async reconcile(): Promise<string[] | undefined> {
    if (this.disposed) return undefined;
    const names = this.connectionNames();
    if (names === undefined) return undefined;
    for (const name of [...this.present]) {
      if (!names.includes(name)) this.present.delete(name);
    }
    for (const name of this.catalogs.connections()) {
      if (!names.includes(name)) this.catalogs.forget(name);
    }
    const active = this.activeConnection(names);
    const defaultChanged = active !== this.defaultConnection;
    this.defaultConnection = active;
    for (const name of names) this.present.add(name);
    if (defaultChanged) {
      // Whichever catalog now is the default must say so (the server demotes the previous one).
      const entry = active === undefined ? undefined : this.catalogs.peek(active);
      if (entry && !entry.loading && (entry.catalog !== null || entry.error !== undefined)) {
        await this.send(catalogParams(this.catalogs, entry, true));
      }
    }
    return names;
  }

  /**
   * Something in the account changed (a deploy, a dropped pool, a new image): refresh the affected
   * connection (all of them without one), once for a burst of changes.
   */
  accountChanged(connection?: string): void {
    if (this.disposed) return;
    if (connection === undefined || this.pending === 'all') {
      this.pending = 'all';
    } else {
      this.pending ??= new Set();
      this.pending.add(connection);
    }
    if (this.debounce !== undefined) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      const pending = this.pending;
      this.pending = undefined;
      this.debounce = undefined;
      void this.refresh(pending === 'all' || pending === undefined ? undefined : [...pending]);
    }, this.options.debounceMs ?? 2000);
  }

  /** Sends every catalog the client holds again (the server restarted and forgot them). */
  async resend(): Promise<void> {
    const sends: Promise<boolean>[] = [];
    for (const name of this.present) {
      const entry = this.catalogs.peek(name);
      if (entry && (entry.catalog !== null || entry.error !== undefined)) {
        sends.push(this.send(catalogParams(this.catalogs, entry, name === this.defaultConnection)));
      }
    }
    await Promise.all(sends);
  }

  /** The account-check status of every connection, the default first. */
  status(): AccountCheckStatus[] {
    const now = (this.options.now ?? Date.now)();
    const names = this.connectionNames() ?? [...this.present];
    const active = this.activeConnection(names);
    return names
      .map((name) => checkStatus(name, this.catalogs.peek(name), { isDefault: name === active, needsSignIn: this.options.needsSignIn?.(name) ?? false, now }))
      .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.connection.localeCompare(b.connection));
  }

  /** The status of one connection. */
  statusOf(connection: string): AccountCheckStatus {
    const now = (this.options.now ?? Date.now)();
    const names = this.connectionNames() ?? [];
    return checkStatus(connection, this.catalogs.peek(connection), { isDefault: connection === this.activeConnection(names), needsSignIn: this.options.needsSignIn?.(connection) ?? false, now });
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.debounce !== undefined) clearTimeout(this.debounce);
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private readable(name: string): boolean {
    if (this.options.needsSignIn?.(name) ?? false) return false;
    // A browser login (SSO, OAuth) would open a browser from a background read, and an MFA login would
    // send a push to the user's phone: only once the user has logged in through a command (the
    // catalog cache then has an entry) is such a connection refreshed quietly.
    const loaded = this.options.connections();
    const connection = loaded.ok ? loaded.value.connections.find((candidate) => candidate.name === name) : undefined;
    return connection === undefined || !interactiveLogin(connection) || (this.catalogs.peek(name)?.catalog ?? null) !== null;
  }

  private quietly(work: () => Promise<CatalogEntry>): Promise<CatalogEntry> {
    return this.options.withoutPrompts ? this.options.withoutPrompts(work) : work();
  }

  private connectionNames(): string[] | undefined {
    const loaded = this.options.connections();
    // Unreadable connection files (a half-typed edit): keep what the server has until they parse again.
    if (!loaded.ok) return undefined;
    return loaded.value.connections.map((connection) => connection.name);
  }

  private activeConnection(names: readonly string[]): string | undefined {
    const active = this.options.active?.();
    if (active !== undefined && names.includes(active)) return active;
    const loaded = this.options.connections();
    const fallback = loaded.ok ? loaded.value.defaultName : undefined;
    return fallback !== undefined && names.includes(fallback) ? fallback : undefined;
  }

  private async send(params: AccountCatalogParams): Promise<boolean> {
    if (this.disposed) return false;
    const sent = await this.options.notify(accountCatalogNotification, params);
    this.options.log?.debug(
      `${accountCatalogNotification} ${params.connection}: ${params.catalog === null ? 'none' : params.status.state}${params.status.reason ? ` (${params.status.reason})` : ''}${sent ? '' : ' — not sent, the language server is not ready'}`,
    );
    return sent;
  }
}
