// TEMPORARY skeleton (replaced by the logs work).
import type * as vscode from 'vscode';
import type { AccountContext } from '../accountContext';
import { logCommandIds, type CommandTable, type LogCommandId } from '../commandIds';

export interface LogCommands extends vscode.Disposable {
  readonly commands: CommandTable<LogCommandId>;
}

export function createLogCommands(_context: AccountContext): LogCommands {
  return {
    commands: Object.fromEntries(logCommandIds.map((id) => [id, () => undefined])) as unknown as CommandTable<LogCommandId>,
    dispose: () => undefined,
  };
}
