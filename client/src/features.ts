/**
 * The features bundle (`dist/client/features.js`): everything that talks to Snowflake — the three
 * sidebar trees, deploy, lifecycle, logs and monitoring. `extension.ts` loads it on first use (a tree becomes
 * visible, a command runs, a spec shows its code lens), never during activation: together with the
 * Snowflake driver (a bundle of its own, loaded on the first connection) it is most of the extension's
 * code.
 *
 * Owns: wiring the rooms (see docs/architecture.md) to one `FeatureContext`, and what flows between
 * them that no room may import: the drift marks and health the Services tree shows, the deploy outcome drift
 * records, the remembered deploy choices the catalog room sends as deploy targets, the event table's
 * failures and logs that deploy triage adds, the deploy flow's dependencies "Serve a Model" deploys with.
 * Must not: do work at load time.
 */

import type * as vscode from 'vscode';
import { createCatalogFeatures } from './catalog/catalogCommands';
import type { AccountCheckStatus } from './catalog/catalogSync';
import { createConnectionCommands } from './connections/connectionCommands';
import { createFeatureContext } from './contextFactory';
import { createDeployFeatures } from './deploy/deployCommands';
import { createDriftFeatures } from './drift/driftCommands';
import { createGatewayFeatures } from './gateways/gatewayCommands';
import { createImageRegistryCommands } from './imageRegistry/imageRegistryCommands';
import type { AccountLanguageServer } from './language/languageServer';
import { createLifecycleCommands } from './lifecycle/lifecycleCommands';
import { createLogCommands } from './logs/logCommands';
import { createMonitoringFeatures } from './monitoring/monitoringCommands';
import type { AccountCommandId, CommandTable, ViewId } from './model/commandIds';
import type { AccountNode } from './model/nodes';
import { createPoolCommands, createPoolForDeploy } from './pools/poolCommands';
import { createPrivilegeCommands } from './privileges/preflightCommand';
import { createServingFeatures } from './serving/servingCommands';
import { createProjectFeatures } from './projects/projectCommands';
import { createServiceFunctionCommands } from './serviceFunctions/serviceFunctionCommand';
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
  /** "Deploy" / "Run as Job" above `spec:`, "Deploy Gateway" on gateway specs, "Deploy entity" on snowflake.yml. */
  readonly codeLens: vscode.CodeLensProvider;
  /** The account-check status of each connection (what `spcs.showAccountCheckStatus` shows). */
  accountCheckStatus(): AccountCheckStatus[];
}

export function createAccountFeatures(host: FeatureHost): AccountFeatures {
  const context = createFeatureContext(host.extension, host.log);
  const drift = createDriftFeatures(context);
  // The events' spec links and the metric-groups fix open the file a service was deployed from.
  const monitoring = createMonitoringFeatures(context, { deployedFrom: (service) => drift.deployedFrom(service) });
  // The trees show what the rooms add (drift marks, health) without importing them.
  const views = createViews(context, host.treeViews, { decorators: { 'spcs.services': [drift.decorator, monitoring.decorator] } });
  const deploy = createDeployFeatures(context, {
    afterDeploy: [(spec, outcome) => drift.recordDeploy(spec, outcome)],
    triageHistory: monitoring.triageHistory,
    createPool: (connection) => createPoolForDeploy(context, connection),
  });
  const lifecycle = createLifecycleCommands(context);
  const logs = createLogCommands(context);
  const serving = createServingFeatures(context, { flowDeps: () => deploy.flowDeps(), afterDeploy: (spec, outcome) => drift.recordDeploy(spec, outcome) });
  const gateways = createGatewayFeatures(context);
  const projects = createProjectFeatures(context);
  const catalog = createCatalogFeatures(context, { cache: context.catalogCache, ...(host.languageServer ? { languageServer: host.languageServer } : {}), choices: deploy.choices, gatewayTargets: gateways.targets });
  return {
    commands: {
      ...views.commands,
      ...createConnectionCommands(context),
      ...deploy.commands,
      ...lifecycle.commands,
      ...logs.commands,
      ...monitoring.commands,
      ...catalog.commands,
      ...drift.commands,
      ...createPrivilegeCommands(context),
      ...createServiceFunctionCommands(context),
      ...createImageRegistryCommands(context),
      ...createPoolCommands(context),
      ...serving.commands,
      ...gateways.commands,
      ...projects.commands,
    },
    treeProviders: views.treeProviders,
    codeLens: combinedCodeLens([deploy.codeLens, gateways.codeLens, projects.codeLens]),
    accountCheckStatus: () => catalog.status(),
    dispose: () => {
      for (const part of [drift, monitoring, catalog, serving, projects, gateways, logs, lifecycle, deploy, views, context]) {
        part.dispose();
      }
    },
  };
}

/** One provider for the lens providers of the rooms (each decides which documents it serves). */
function combinedCodeLens(providers: readonly vscode.CodeLensProvider[]): vscode.CodeLensProvider {
  return {
    onDidChangeCodeLenses: (listener, thisArg, disposables) => {
      const subscriptions: vscode.Disposable[] = [];
      for (const provider of providers) {
        const subscription = provider.onDidChangeCodeLenses?.(listener, thisArg);
        if (subscription) subscriptions.push(subscription);
      }
      const combined: vscode.Disposable = {
        dispose: () => {
          for (const subscription of subscriptions) subscription.dispose();
        },
      };
      disposables?.push(combined);
      return combined;
    },
    provideCodeLenses: async (document, token) => {
      const lists = await Promise.all(providers.map((provider) => Promise.resolve(provider.provideCodeLenses(document, token))));
      return lists.flatMap((list) => list ?? []);
    },
  };
}
