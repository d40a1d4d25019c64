/**
 * Loads the features bundle (`dist/client/features.js`, see `features.ts`) on first use and stands in
 * for it until then: the account commands are registered at activation with handlers that load it, the
 * tree views are created at activation with data providers that load it when a view first asks for
 * children, and so is the code lens provider. Activation itself loads nothing.
 *
 * Owns: the bundle's lifetime (disposed with the extension). Must not: import the bundle statically.
 */

import path from 'node:path';
import * as vscode from 'vscode';
import { specLanguageId } from '../../server/src/lspExtension';
import { isGatewaySpecFileName, isProjectDefinitionFileName, looksLikeGatewaySpec } from '../../server/src/service/specDetection';
import type * as featuresModule from './features';
import type { AccountLanguageServer } from './language/languageServer';
import { accountCommandIds, trustedOnlyCommandIds, viewIds, type AccountCommandId, type ViewId } from './model/commandIds';
import type { AccountNode } from './model/nodes';

export class FeatureLoader implements vscode.Disposable {
  private features: Promise<featuresModule.AccountFeatures> | undefined;
  private loaded: featuresModule.AccountFeatures | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly treeViews = {} as Record<ViewId, vscode.TreeView<AccountNode>>;
  private readonly providers = new Map<ViewId, DeferredTreeProvider>();
  private disposed = false;
  private readonly codeLensesChanged = new vscode.EventEmitter<void>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    /** Where the features bundle sends live account data (the language server). */
    private readonly languageServer: AccountLanguageServer,
  ) {
    for (const id of accountCommandIds) {
      this.disposables.push(vscode.commands.registerCommand(id, (...args: unknown[]) => this.run(id, args)));
    }
    for (const id of viewIds) {
      const provider = new DeferredTreeProvider(async () => (await this.load()).treeProviders[id]);
      this.providers.set(id, provider);
      const view = vscode.window.createTreeView<AccountNode>(id, { treeDataProvider: provider, showCollapseAll: true, canSelectMany: false });
      this.treeViews[id] = view;
      this.disposables.push(view, provider);
    }
    this.disposables.push(
      this.codeLensesChanged,
      vscode.languages.registerCodeLensProvider(
        [{ language: specLanguageId }, { language: 'yaml' }],
        {
          onDidChangeCodeLenses: this.codeLensesChanged.event,
          // Of plain YAML only gateway specs and snowflake.yml have lenses: other YAML never loads the bundle.
          provideCodeLenses: async (document, token) => (hasAccountLenses(document) ? (await this.load()).codeLens.provideCodeLenses(document, token) : []),
          resolveCodeLens: async (lens, token) => {
            const provider = (await this.load()).codeLens;
            return provider.resolveCodeLens ? provider.resolveCodeLens(lens, token) : lens;
          },
        },
      ),
    );
  }

  /** The account features, loading the bundle the first time. */
  load(): Promise<featuresModule.AccountFeatures> {
    this.features ??= Promise.resolve().then(() => {
      const started = performance.now();
      // A runtime path, so that esbuild keeps the account features in their own bundle.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading a sibling bundle lazily is the point
      const module = require(path.join(__dirname, 'features.js')) as typeof featuresModule;
      const features = module.createAccountFeatures({ extension: this.context, log: this.log, treeViews: this.treeViews, languageServer: this.languageServer });
      if (this.disposed) {
        features.dispose();
        throw new Error('the extension is shutting down');
      }
      this.loaded = features;
      const lensChanges = features.codeLens.onDidChangeCodeLenses?.(() => this.codeLensesChanged.fire());
      if (lensChanges) {
        this.disposables.push(lensChanges);
      }
      this.log.info(`account features loaded in ${Math.round(performance.now() - started)} ms`);
      return features;
    });
    return this.features;
  }

  private async run(id: AccountCommandId, args: unknown[]): Promise<unknown> {
    if (trustedOnlyCommandIds.has(id) && !vscode.workspace.isTrusted) {
      const choice = await vscode.window.showWarningMessage(
        'This workspace is in Restricted Mode. Deploying and changing services, compute pools or the local emulator are disabled until you trust it, because a spec or a setting from an untrusted folder would run in your Snowflake account. The editor features (checks, completion, hover) keep working.',
        'Manage Workspace Trust',
      );
      if (choice) {
        await vscode.commands.executeCommand('workbench.trust.manage');
      }
      return undefined;
    }
    try {
      const features = await this.load();
      return await features.commands[id](...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`${id} failed: ${message}`);
      void vscode.window.showErrorMessage(`${id}: ${message}`, 'Show Output').then((choice) => choice && this.log.show());
      return undefined;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.loaded?.dispose();
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }
}

/** Whether a document may have account code lenses: a spec, a gateway spec, or a Snowflake CLI project definition. */
function hasAccountLenses(document: vscode.TextDocument): boolean {
  if (document.languageId === specLanguageId) return true;
  const path = document.uri.path;
  return isProjectDefinitionFileName(path) || isGatewaySpecFileName(path) || looksLikeGatewaySpec(document.getText());
}

/** A tree data provider that loads the real one on first use and forwards to it. */
class DeferredTreeProvider implements vscode.TreeDataProvider<AccountNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AccountNode | AccountNode[] | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private real: vscode.TreeDataProvider<AccountNode> | undefined;
  private loading: Promise<vscode.TreeDataProvider<AccountNode>> | undefined;
  private subscription: vscode.Disposable | undefined;

  constructor(private readonly load: () => Promise<vscode.TreeDataProvider<AccountNode>>) {}

  private provider(): Promise<vscode.TreeDataProvider<AccountNode>> {
    this.loading ??= this.load().then((real) => {
      this.real = real;
      this.subscription = real.onDidChangeTreeData?.((element) => this.changed.fire(element ?? undefined));
      return real;
    });
    return this.loading;
  }

  getTreeItem(element: AccountNode): vscode.TreeItem | Thenable<vscode.TreeItem> {
    // Elements only come from the real provider, so it is loaded by now.
    if (!this.real) {
      throw new Error('the SPCS views are not loaded');
    }
    return this.real.getTreeItem(element);
  }

  async getChildren(element?: AccountNode): Promise<AccountNode[]> {
    const real = await this.provider();
    return (await real.getChildren(element)) ?? [];
  }

  getParent(element: AccountNode): vscode.ProviderResult<AccountNode> {
    return this.real?.getParent?.(element);
  }

  resolveTreeItem(item: vscode.TreeItem, element: AccountNode, token: vscode.CancellationToken): vscode.ProviderResult<vscode.TreeItem> {
    return this.real?.resolveTreeItem ? this.real.resolveTreeItem(item, element, token) : item;
  }

  dispose(): void {
    this.subscription?.dispose();
    this.changed.dispose();
  }
}
