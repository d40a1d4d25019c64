/**
 * What the account features (views, deploy, lifecycle, logs) share: one session manager, the
 * connections, one log channel, and a change bus through which every action tells the trees which
 * nodes to refresh. Built once by `connections/accountContextFactory.ts` when the account bundle loads.
 *
 * Contract between the feature modules; it holds no logic of its own.
 */

import type * as vscode from 'vscode';
import type { LoadedConnections } from './snowflake/config';
import type { Result } from './snowflake/result';
import type { SnowflakeSessions } from './snowflake/session';
import type { ConnectionName, PoolRef, ServiceRef } from './views/nodes';

/** What changed in the account, so that the views refresh just that (debounced). */
export type AccountChange =
  | { readonly scope: 'all' }
  | { readonly scope: 'connections' }
  | { readonly scope: 'connection'; readonly connection: ConnectionName }
  | { readonly scope: 'pool'; readonly pool: PoolRef }
  /** A service was created, upgraded, suspended, resumed, dropped or resized (refreshes its pool and schema too). */
  | { readonly scope: 'service'; readonly service: ServiceRef; readonly computePool?: string }
  | { readonly scope: 'repositories'; readonly connection: ConnectionName };

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
  /** The role the session of `name` runs as, once connected. */
  role(name: ConnectionName): string | undefined;
}

export interface AccountContext {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly sessions: SnowflakeSessions;
  readonly connections: ConnectionRegistry;
  /** Tell the views what an action changed; they refresh the affected nodes. */
  changed(change: AccountChange): void;
  readonly onDidChangeAccount: vscode.Event<AccountChange>;
  /** `spcs.snowflake.queryTimeout` in milliseconds, for `ExecuteOptions.timeoutMs`. */
  queryTimeoutMs(): number;
}
