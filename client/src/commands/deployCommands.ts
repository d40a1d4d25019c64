// TEMPORARY skeleton (replaced by the deploy work).
import type * as vscode from 'vscode';
import type { AccountContext } from '../accountContext';
import { deployCommandIds, type CommandTable, type DeployCommandId } from '../commandIds';

export interface DeployFeatures extends vscode.Disposable {
  readonly commands: CommandTable<DeployCommandId>;
  readonly codeLens: vscode.CodeLensProvider;
}

export function createDeployFeatures(_context: AccountContext): DeployFeatures {
  return {
    commands: Object.fromEntries(deployCommandIds.map((id) => [id, () => undefined])) as unknown as CommandTable<DeployCommandId>,
    codeLens: { provideCodeLenses: () => [] },
    dispose: () => undefined,
  };
}
