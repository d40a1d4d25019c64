// TEMPORARY skeleton (replaced by the lifecycle work).
import type * as vscode from 'vscode';
import type { AccountContext } from '../accountContext';
import { lifecycleCommandIds, type CommandTable, type LifecycleCommandId } from '../commandIds';

export interface LifecycleCommands extends vscode.Disposable {
  readonly commands: CommandTable<LifecycleCommandId>;
}

export function createLifecycleCommands(_context: AccountContext): LifecycleCommands {
  return {
    commands: Object.fromEntries(lifecycleCommandIds.map((id) => [id, () => undefined])) as unknown as CommandTable<LifecycleCommandId>,
    dispose: () => undefined,
  };
}
