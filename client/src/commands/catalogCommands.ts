// TEMPORARY skeleton (replaced by the account catalog work).
import type * as vscode from 'vscode';
import type { AccountContext } from '../accountContext';
import { catalogCommandIds, type CatalogCommandId, type CommandTable } from '../commandIds';

export interface CatalogFeatures extends vscode.Disposable {
  readonly commands: CommandTable<CatalogCommandId>;
}

export function createCatalogFeatures(_context: AccountContext): CatalogFeatures {
  return {
    commands: Object.fromEntries(catalogCommandIds.map((id) => [id, () => undefined])) as unknown as CommandTable<CatalogCommandId>,
    dispose: () => undefined,
  };
}
