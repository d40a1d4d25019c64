/**
 * What the rooms (views, deploy, lifecycle, logs, …) share: one session manager, the connections, one
 * log channel, the account catalogs as far as a room reads them, and a change bus through which
 * every action tells the trees which nodes to refresh. Built once by `contextFactory.ts` when the
 * features bundle loads.
 *
 * Contract between the rooms; it holds no logic of its own and imports no room.
 */

import type * as vscode from 'vscode';
import type { AccountCatalog, CatalogStatus } from '../../../server/src/lspExtension';
import type { LoadedConnections } from '../snowflake/config';
import type { Result } from '../snowflake/result';
import type { SnowflakeSessions } from '../snowflake/session';
import type { ConnectionName, PoolRef, ServiceRef } from './nodes';

/** What changed in the account, so that the views refresh just that (debounced). */
export type AccountChange =
  | { readonly scope: 'all' }
  | { readonly scope: 'connections' }
  | { readonly scope: 'connection'; readonly connection: ConnectionName }
  | { readonly scope: 'pool'; readonly pool: PoolRef }
  /** A service was created, upgraded, suspended, resumed, dropped or resized (refreshes its pool and schema too). */
  | { readonly scope: 'service'; readonly service: ServiceRef; readonly computePool?: string }
  | { readonly scope: 'repositories'; readonly connection: ConnectionName }
  /** What a decorator shows on the services of a schema changed (their health), not the services: the Services tree lists that level again. */
  | { readonly scope: 'schema'; readonly connection: ConnectionName; readonly database: string; readonly schema: string };

export interface ConnectionRegistry {
  /** The connections of connections.toml / config.toml (re-read when they change), plus the local emulator's while it runs. */
  current(): Result<LoadedConnections>;
  readonly onDidChange: vscode.Event<void>;
  /** The connection commands use when none is given: the one picked in the status bar, else the default one. */
  active(): ConnectionName | undefined;
  setActive(name: ConnectionName): Promise<void>;
  /**
   * Asks which connection to use (no question when there is exactly one). Says why and returns
   * `undefined` when there is none or the user cancels.
   */
  pick(options?: { readonly title?: string }): Promise<ConnectionName | undefined>;
  /** The role `name` is configured with (connections.toml), if any. */
  role(name: ConnectionName): string | undefined;
  /** Re-reads the connection files now (the refresh buttons); resolves to whether anything changed. */
  reload?(): Promise<boolean>;
  /**
   * Runs `work` so that logins it causes never ask the user for a secret (the trees load in the
   * background); a connection whose secret is missing then fails and `needsSignIn` says so.
   * Commands run without it and may ask. Optional: plain registries (tests) prompt as usual.
   */
  withoutPrompts?<T>(work: () => Promise<T>): Promise<T>;
  /** Whether `name` waits for the user to sign in (`spcs.signIn`): a secret is missing and nobody was asked. */
  needsSignIn?(name: ConnectionName): boolean;
  /** After a successful sign-in: forget that `name` needed one. */
  signedIn?(name: ConnectionName): void;
  /** The local emulator started from the editor (`spcs.startEmulator`); absent where it cannot run. */
  readonly emulator?: LocalEmulatorControl;
}

/** Starts and stops the bundled emulator; its connection `spcs_emulator` joins `current()` while it runs. */
export interface LocalEmulatorControl {
  running(): boolean;
  /** Starts it (or returns the running one's URL). */
  start(signal?: AbortSignal): Promise<Result<{ readonly url: string; readonly connection: ConnectionName }>>;
  stop(): Promise<void>;
}

export interface FeatureContext {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly sessions: SnowflakeSessions;
  readonly connections: ConnectionRegistry;
  /** Tell the views what an action changed; they refresh the affected nodes. */
  changed(change: AccountChange): void;
  readonly onDidChangeAccount: vscode.Event<AccountChange>;
  /**
   * The account catalog of each connection (read in the background, cached with a TTL): what the
   * account-aware checks, the privilege preflight and the pickers know about the account.
   */
  readonly catalogs: CatalogSource;
  /** `spcs.snowflake.queryTimeout` in milliseconds, for `ExecuteOptions.timeoutMs`. */
  queryTimeoutMs(): number;
}

/** One connection's account catalog as a room reads it (the catalog room's cache holds more). */
export interface CatalogSnapshot {
  readonly catalog: AccountCatalog | null;
  /** When it was read (epoch ms); undefined when it never was. */
  readonly fetchedAt: number | undefined;
  readonly status: CatalogStatus;
  /** Why the last read failed, when it did (the classified error: never credentials). */
  readonly error?: { readonly kind: string; readonly message: string };
}

/** The account catalogs, read on demand and cached (`catalog/catalogCache.ts`). */
export interface CatalogSource {
  /** The cached catalog, read first when there is none (one read in flight per connection). */
  get(connection: ConnectionName): Promise<CatalogSnapshot>;
  /** Reads the catalog again now. */
  refresh(connection: ConnectionName): Promise<CatalogSnapshot>;
  /** The cached catalog without reading anything (undefined when none was read). */
  peek(connection: ConnectionName): CatalogSnapshot | undefined;
}
