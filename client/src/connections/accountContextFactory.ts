// TEMPORARY skeleton (replaced by the views/connections work): builds the AccountContext.
import * as vscode from 'vscode';
import type { AccountChange, AccountContext } from '../accountContext';
import { loadConnections } from '../snowflake/config';
import { SnowflakeSessions } from '../snowflake/session';

export function createAccountContext(extension: vscode.ExtensionContext, log: vscode.LogOutputChannel): AccountContext & vscode.Disposable {
  const emitter = new vscode.EventEmitter<AccountChange>();
  const sessions = new SnowflakeSessions({});
  const changedConnections = new vscode.EventEmitter<void>();
  return {
    extension,
    log,
    sessions,
    connections: {
      current: () => loadConnections(),
      onDidChange: changedConnections.event,
      active: () => undefined,
      setActive: () => Promise.resolve(),
      pick: () => Promise.resolve(undefined),
      role: () => undefined,
    },
    changed: (change) => emitter.fire(change),
    onDidChangeAccount: emitter.event,
    queryTimeoutMs: () => 60_000,
    dispose: () => {
      emitter.dispose();
      changedConnections.dispose();
      void sessions.dispose();
    },
  };
}
