/**
 * The three sidebar trees of the "Snowpark Containers" container and their refresh commands.
 *
 * Design: nodes are a discriminated union (model/nodes.ts); listings/accountData.ts reads one level
 * of objects, childrenLoader.ts turns any outcome into nodes (error / sign-in / message nodes
 * included), presentation.ts decides how a node looks, and treeItems.ts is the provider that caches
 * children per node. What the rooms add to the nodes (the drift marks) arrives as decorators
 * (`ViewOptions`); the commands on the nodes are the rooms' own. This module wires them to the
 * `FeatureContext`:
 * - refresh on demand (title buttons re-read the connection files too; `spcs.refreshNode`),
 * - after actions (`onDidChangeAccount`, debounced 300 ms, refreshing only the affected nodes),
 * - automatically every `spcs.views.autoRefreshInterval` seconds, only while a view is visible,
 * - context keys `spcs.connectionsLoaded` / `spcs.hasConnections` (welcome views) and
 *   `spcs.emulatorRunning`.
 *
 * Owns: the providers, timers and subscriptions it creates. Must not: prompt from getChildren.
 */

import * as vscode from 'vscode';
import { viewIds, type CommandTable, type ViewCommandId, type ViewId } from '../model/commandIds';
import type { ChildrenDecorator } from '../model/decorations';
import type { AccountChange, FeatureContext } from '../model/featureContext';
import { isNode, type AccountNode } from '../model/nodes';
import type { LoaderDependencies } from './childrenLoader';
import { AccountTreeProvider, ContextKeys } from './treeItems';

export interface Views extends vscode.Disposable {
  readonly commands: CommandTable<ViewCommandId>;
  readonly treeProviders: Readonly<Record<ViewId, vscode.TreeDataProvider<AccountNode>>>;
}

const changeDebounceMs = 300;

/** What the rooms give the trees to show (through `features.ts`; the views import no room's commands). */
export interface ViewOptions {
  /** Decorators of each view's freshly listed children (e.g. the drift marks of the Services tree). */
  readonly decorators?: Partial<Record<ViewId, readonly ChildrenDecorator[]>>;
}

export function createViews(context: FeatureContext, treeViews: Readonly<Record<ViewId, vscode.TreeView<AccountNode>>>, options: ViewOptions = {}): Views {
  const registry = context.connections;
  const deps: LoaderDependencies = {
    sessions: context.sessions,
    connections: () => registry.current(),
    role: (name) => registry.role(name),
    needsSignIn: (name) => registry.needsSignIn?.(name) ?? false,
    ...(registry.withoutPrompts ? { withoutPrompts: <T>(work: () => Promise<T>) => registry.withoutPrompts!(work) } : {}),
    timeoutMs: () => context.queryTimeoutMs(),
  };
  const contextKeys = new ContextKeys();
  const providers = Object.fromEntries(viewIds.map((id) => [id, new AccountTreeProvider(id, deps, context.log, contextKeys)])) as Record<ViewId, AccountTreeProvider>;
  const disposables: vscode.Disposable[] = Object.values(providers);
  for (const id of viewIds) {
    for (const decorator of options.decorators?.[id] ?? []) disposables.push(providers[id].addDecorator(decorator));
  }

  // Context keys for the welcome views.
  const updateConnectionKeys = () => {
    const loaded = registry.current();
    contextKeys.set('spcs.hasConnections', loaded.ok && loaded.value.connections.length > 0);
    contextKeys.set('spcs.connectionsLoaded', true);
  };
  const updateEmulatorKey = () => contextKeys.set('spcs.emulatorRunning', registry.emulator?.running() ?? false);
  updateConnectionKeys();
  updateEmulatorKey();
  for (const provider of Object.values(providers)) {
    disposables.push(provider.onDidLoadRoots(() => updateConnectionKeys()));
  }
  disposables.push(
    registry.onDidChange(() => {
      updateConnectionKeys();
      updateEmulatorKey();
      for (const provider of Object.values(providers)) provider.refreshRoots();
    }),
  );

  // Refresh after actions, debounced.
  let pendingChanges: AccountChange[] = [];
  let changeTimer: NodeJS.Timeout | undefined;
  disposables.push(
    context.onDidChangeAccount((change) => {
      pendingChanges.push(change);
      clearTimeout(changeTimer);
      changeTimer = setTimeout(() => {
        const changes = pendingChanges;
        pendingChanges = [];
        void applyChanges(changes);
      }, changeDebounceMs);
    }),
    new vscode.Disposable(() => clearTimeout(changeTimer)),
  );

  const applyChanges = async (changes: readonly AccountChange[]) => {
    if (changes.some((change) => change.scope === 'connections' || change.scope === 'all')) {
      await registry.reload?.();
    }
    if (changes.some((change) => change.scope === 'all')) {
      for (const provider of Object.values(providers)) provider.refreshAll();
      return;
    }
    const targets = new Map<AccountTreeProvider, Set<AccountNode>>();
    const add = (provider: AccountTreeProvider, node: AccountNode | undefined) => {
      if (node === undefined) return;
      const set = targets.get(provider) ?? new Set<AccountNode>();
      set.add(node);
      targets.set(provider, set);
    };
    const pools = providers['spcs.computePools'];
    const services = providers['spcs.services'];
    const images = providers['spcs.imageRepositories'];
    for (const change of changes) {
      switch (change.scope) {
        case 'connections':
          for (const provider of Object.values(providers)) provider.refreshRoots();
          break;
        case 'connection':
          for (const provider of Object.values(providers)) add(provider, provider.connectionNode(change.connection));
          break;
        case 'pool':
          add(pools, pools.connectionNode(change.pool.connection));
          break;
        case 'service': {
          const { service } = change;
          const poolNodes = pools.findCached((node) => node.kind === 'pool' && node.connection === service.connection && (change.computePool === undefined || node.name === change.computePool));
          if (poolNodes.length > 0 && change.computePool !== undefined) poolNodes.forEach((node) => add(pools, node));
          // The pool list shows service counts; without a pool name refresh every listed pool.
          else if (poolNodes.length > 0) poolNodes.forEach((node) => add(pools, node));
          else add(pools, pools.connectionNode(service.connection));
          const schemaNode = services.findCached((node) => node.kind === 'schema' && node.connection === service.connection && node.database === service.database && node.schema === service.schema)[0];
          add(services, schemaNode ?? services.connectionNode(service.connection));
          break;
        }
        case 'repositories':
          add(images, images.connectionNode(change.connection));
          break;
        case 'schema':
          add(services, services.findCached((node) => node.kind === 'schema' && node.connection === change.connection && node.database === change.database && node.schema === change.schema)[0]);
          break;
      }
    }
    for (const [provider, nodes] of targets) {
      for (const node of nodes) provider.refresh(node);
    }
  };

  // Automatic refresh while a view is visible.
  const timers = new Map<ViewId, NodeJS.Timeout>();
  const intervalSeconds = () => vscode.workspace.getConfiguration('spcs').get<number>('views.autoRefreshInterval', 30);
  const schedule = (id: ViewId) => {
    clearInterval(timers.get(id));
    timers.delete(id);
    const seconds = intervalSeconds();
    if (!treeViews[id].visible || !(seconds > 0)) return;
    timers.set(
      id,
      setInterval(() => {
        if (treeViews[id].visible) providers[id].refreshAll();
      }, seconds * 1000),
    );
  };
  for (const id of viewIds) {
    disposables.push(treeViews[id].onDidChangeVisibility(() => schedule(id)));
    schedule(id);
  }
  disposables.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('spcs.views.autoRefreshInterval')) viewIds.forEach(schedule);
    }),
    new vscode.Disposable(() => {
      for (const timer of timers.values()) clearInterval(timer);
    }),
  );

  const refreshView = async (id: ViewId) => {
    await registry.reload?.();
    providers[id].refreshAll();
  };

  const commands: CommandTable<ViewCommandId> = {
    'spcs.refreshComputePools': () => refreshView('spcs.computePools'),
    'spcs.refreshServices': () => refreshView('spcs.services'),
    'spcs.refreshImageRepositories': () => refreshView('spcs.imageRepositories'),
    'spcs.refreshNode': async (node?: unknown) => {
      const target = isNode(node) && (node.kind === 'error' || node.kind === 'message') ? node.parent : isNode(node) ? node : undefined;
      if (target === undefined) {
        // A root-level retry (or no node): the connection files may have been fixed.
        await registry.reload?.();
        viewIds.forEach((id) => providers[id].refreshAll());
        return;
      }
      providers[target.view].refresh(target);
    },
  };

  return {
    commands,
    treeProviders: providers,
    dispose: () => {
      for (const disposable of disposables) disposable.dispose();
    },
  };
}
