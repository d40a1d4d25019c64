// TEMPORARY skeleton (replaced by the views work).
import type * as vscode from 'vscode';
import type { AccountContext } from '../accountContext';
import { viewCommandIds, type CommandTable, type ViewCommandId, type ViewId } from '../commandIds';
import type { AccountNode } from './nodes';

export interface Views extends vscode.Disposable {
  readonly commands: CommandTable<ViewCommandId>;
  readonly treeProviders: Readonly<Record<ViewId, vscode.TreeDataProvider<AccountNode>>>;
}

export function createViews(_context: AccountContext, _treeViews: Readonly<Record<ViewId, vscode.TreeView<AccountNode>>>): Views {
  const provider: vscode.TreeDataProvider<AccountNode> = { getTreeItem: () => ({}), getChildren: () => [] };
  return {
    commands: Object.fromEntries(viewCommandIds.map((id) => [id, () => undefined])) as unknown as CommandTable<ViewCommandId>,
    treeProviders: { 'spcs.computePools': provider, 'spcs.services': provider, 'spcs.imageRepositories': provider },
    dispose: () => undefined,
  };
}
