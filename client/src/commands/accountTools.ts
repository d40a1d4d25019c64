// TEMPORARY skeleton (replaced by the drift / preflight / service function / registry work).
import type * as vscode from 'vscode';
import type { AccountContext } from '../accountContext';
import { accountToolCommandIds, type AccountToolCommandId, type CommandTable } from '../commandIds';

export interface AccountTools extends vscode.Disposable {
  readonly commands: CommandTable<AccountToolCommandId>;
}

export function createAccountTools(_context: AccountContext): AccountTools {
  return {
    commands: Object.fromEntries(accountToolCommandIds.map((id) => [id, () => undefined])) as unknown as CommandTable<AccountToolCommandId>,
    dispose: () => undefined,
  };
}
