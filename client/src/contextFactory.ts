/**
 * Builds the `FeatureContext` the account features share (once, when the features bundle loads): the
 * connection registry (files + the local emulator), one `SnowflakeSessions` wired to VS Code
 * (credentials through the sign-in gate and SecretStorage, SSO through `openExternal`, the log
 * channel, the query timeout setting), the change bus, and the status bar item.
 *
 * Owns: everything it creates, released by `dispose` (the emulator process included). Must not:
 * connect to Snowflake at construction (the driver loads on the first query).
 */

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AccountChange, FeatureContext } from './model/featureContext';
import { CatalogCache } from './catalog/catalogCache';
import { catalogReader } from './catalog/fetchCatalog';
import { SnowflakeSessions } from './snowflake/session';
import { SecretStorageTokenCache, VsCodeCredentialPrompter } from './snowflake/vscodeCredentials';
import { VsCodeConnectionRegistry } from './connections/connectionRegistry';
import { EmulatorLauncher } from './connections/emulatorLauncher';
import { SignInGate } from './connections/signInGate';
import { ConnectionStatusBar } from './connections/statusBar';

/** `spcs.snowflake.queryTimeout` (seconds) in milliseconds; at least 5 s. */
export function queryTimeoutMs(): number {
  const seconds = vscode.workspace.getConfiguration('spcs').get<number>('snowflake.queryTimeout', 60);
  return Math.max(5, Number.isFinite(seconds) ? seconds : 60) * 1000;
}

/** The context, plus what only the wiring hands on: the catalog cache itself (for the catalog room). */
export interface BuiltContext extends FeatureContext, vscode.Disposable {
  readonly catalogCache: CatalogCache;
}

export function createFeatureContext(extension: vscode.ExtensionContext, log: vscode.LogOutputChannel): BuiltContext {
  const changes = new vscode.EventEmitter<AccountChange>();
  const gate = new SignInGate(new VsCodeCredentialPrompter(extension.secrets));
  const launcher = new EmulatorLauncher({
    script: path.join(extension.extensionPath, 'dist', 'emulator', 'emulator.js'),
    log: (line) => log.info(line),
  });
  // The registry closes stale sessions; the sessions read the registry: tie the knot lazily.
  const late: { sessions?: SnowflakeSessions } = {};
  const registry = new VsCodeConnectionRegistry({
    extension,
    log,
    gate,
    launcher,
    closeSession: (name) => late.sessions?.close(name) ?? Promise.resolve(),
  });
  const sessions = new SnowflakeSessions({
    connections: () => registry.current(),
    prompter: gate,
    tokenCache: new SecretStorageTokenCache(extension.secrets),
    openBrowser: async (url) => {
      await vscode.env.openExternal(vscode.Uri.parse(url));
    },
    logger: log,
    defaultTimeoutMs: queryTimeoutMs(),
  });
  late.sessions = sessions;
  const liveSessions = sessions;
  // The whole catalog read gets a few query timeouts: it is several SHOW statements, four at a time.
  const catalogs = new CatalogCache({ read: catalogReader(sessions, () => ({ timeoutMs: 3 * queryTimeoutMs() })) });
  const statusBar = new ConnectionStatusBar(registry, catalogs);
  return {
    extension,
    log,
    sessions: liveSessions,
    connections: registry,
    changed: (change) => changes.fire(change),
    onDidChangeAccount: changes.event,
    queryTimeoutMs,
    catalogs,
    catalogCache: catalogs,
    dispose: () => {
      catalogs.dispose();
      statusBar.dispose();
      changes.dispose();
      registry.dispose();
      void liveSessions.dispose();
      void launcher.stop();
    },
  };
}
