/**
 * The features bundle (`dist/client/features.js`): everything that talks to Snowflake — the three
 * sidebar trees, deploy, lifecycle and logs. `extension.ts` loads it on first use (a tree becomes
 * visible, a command runs, a spec shows its code lens), never during activation: together with the
 * Snowflake driver (a bundle of its own, loaded on the first connection) it is most of the extension's
 * code.
 *
 * Owns: wiring the feature modules to one `FeatureContext`. Must not: do work at load time.
 */

import type * as vscode from 'vscode';
import type { AccountCheckStatus } from './catalog/catalogSync';
import type { AccountCommandId, CommandTable, ViewId } from './model/commandIds';
import { createAccountTools } from './commands/accountTools';
import { createCatalogFeatures } from './catalog/catalogCommands';
import { createDeployFeatures } from './deploy/deployCommands';
import { createLifecycleCommands } from './lifecycle/lifecycleCommands';
import { createLogCommands } from './logs/logCommands';
import { createFeatureContext } from './contextFactory';
import type { AccountNode } from './model/nodes';
import type { AccountLanguageServer } from './language/languageServer';
import { createViews } from './views/views';

export interface FeatureHost {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  /** The tree views, created at activation (their data providers come from this bundle). */
  readonly treeViews: Readonly<Record<ViewId, vscode.TreeView<AccountNode>>>;
  /** Where the account catalogs and deploy targets go (absent: the account checks stay off). */
  readonly languageServer?: AccountLanguageServer;
}

export interface AccountFeatures extends vscode.Disposable {
  readonly commands: CommandTable<AccountCommandId>;
  readonly treeProviders: Readonly<Record<ViewId, vscode.TreeDataProvider<AccountNode>>>;
  /** "Deploy" / "Run as Job" above `spec:`. */
  readonly codeLens: vscode.CodeLensProvider;
  /** The account-check status of each connection (what `spcs.showAccountCheckStatus` shows). */
  accountCheckStatus(): AccountCheckStatus[];
}

export function createAccountFeatures(host: FeatureHost): AccountFeatures {
  const context = createFeatureContext(host.extension, host.log);
  const views = createViews(context, host.treeViews);
  const deploy = createDeployFeatures(context);
  const lifecycle = createLifecycleCommands(context);
  const logs = createLogCommands(context);
  const catalog = createCatalogFeatures(context, { ...(host.languageServer ? { languageServer: host.languageServer } : {}), choices: deploy.choices });
  const tools = createAccountTools(context);
  return {
    commands: { ...views.commands, ...deploy.commands, ...lifecycle.commands, ...logs.commands, ...catalog.commands, ...tools.commands },
    treeProviders: views.treeProviders,
    codeLens: deploy.codeLens,
    accountCheckStatus: () => catalog.status(),
    dispose: () => {
      for (const part of [tools, catalog, logs, lifecycle, deploy, views, context]) {
        part.dispose();
      }
    },
  };
}
