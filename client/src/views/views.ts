/**
 * The three sidebar trees of the "Snowpark Containers" container and their commands.
 *
 * Design: nodes are a discriminated union (nodes.ts); accountData.ts reads one level of objects,
 * childrenLoader.ts turns any outcome into nodes (error / sign-in / message nodes included),
 * presentation.ts decides how a node looks, and treeItems.ts is the provider that caches children
 * per node. This module wires them to the `FeatureContext`:
 * - refresh on demand (title buttons re-read the connection files too; `spcs.refreshNode`),
 * - after actions (`onDidChangeAccount`, debounced 300 ms, refreshing only the affected nodes),
 * - automatically every `spcs.views.autoRefreshInterval` seconds, only while a view is visible,
 * - context keys `spcs.connectionsLoaded` / `spcs.hasConnections` (welcome views) and
 *   `spcs.emulatorRunning`.
 *
 * Owns: the providers, timers and subscriptions it creates. Must not: prompt from getChildren.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AccountChange, FeatureContext } from '../model/featureContext';
import { viewIds, type CommandTable, type ViewCommandId, type ViewId } from '../model/commandIds';
import { driftDecorator } from '../drift/driftCommands';
import { emulatorConnectionName } from '../connections/emulatorConnection';
import { resolveConfigDir } from '../snowflake/config';
import { imagePath, listImages, listRepositories, listTags } from './accountData';
import type { LoaderDependencies } from './childrenLoader';
import { isNode, type AccountNode, type ConnectionName, type ImageNode, type TagNode, type TreeViewId } from '../model/nodes';
import { AccountTreeProvider, ContextKeys } from './treeItems';

export interface Views extends vscode.Disposable {
  readonly commands: CommandTable<ViewCommandId>;
  readonly treeProviders: Readonly<Record<ViewId, vscode.TreeDataProvider<AccountNode>>>;
}

const changeDebounceMs = 300;

export const connectionsFileTemplate = `# Snowflake connections, shared with the Snowflake CLI (snow) and the Python connector.
# Each [section] is one connection; the SPCS views list them all. Keep this file private (mode 600).
# Secrets you leave out (password, passphrase, token) are asked once and kept in the OS keychain.
#
# [my_account]
# account = "myorg-myaccount"
# user = "MY_USER"
# authenticator = "externalbrowser"   # or omit and give a password when asked; or SNOWFLAKE_JWT with private_key_file
# role = "MY_ROLE"
# warehouse = "MY_WH"
# database = "MY_DB"
# schema = "PUBLIC"
`;

export function createViews(context: FeatureContext, treeViews: Readonly<Record<ViewId, vscode.TreeView<AccountNode>>>): Views {
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
  // Services deployed from a local file that has changed since are marked (drift/driftCommands.ts).
  disposables.push(providers['spcs.services'].addDecorator(driftDecorator(context)));

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
    'spcs.selectConnection': async () => {
      const loaded = registry.current();
      if (loaded.ok && loaded.value.connections.length === 1) {
        const only = loaded.value.connections[0]?.name;
        if (only !== undefined) await registry.setActive(only);
        void vscode.window.showInformationMessage(`"${only ?? ''}" is the only Snowflake connection. Add more to connections.toml.`);
        return only;
      }
      const name = await registry.pick({ title: 'Active Snowflake connection' });
      if (name !== undefined) await registry.setActive(name);
      return name;
    },
    'spcs.signIn': (target?: unknown) => signIn(context, providers, target),
    'spcs.openConnectionsFile': () => openConnectionsFile(context),
    'spcs.startEmulator': async () => {
      const url = await startEmulator(context);
      updateEmulatorKey();
      return url;
    },
    'spcs.stopEmulator': async () => {
      const emulator = registry.emulator;
      if (!emulator?.running()) {
        void vscode.window.showInformationMessage('The local emulator is not running.');
        return;
      }
      await emulator.stop();
      updateEmulatorKey();
      void vscode.window.showInformationMessage('The local SPCS emulator was stopped.');
    },
    'spcs.copyImagePath': (node?: unknown) => copyImagePath(context, node),
  };

  return {
    commands,
    treeProviders: providers,
    dispose: () => {
      for (const disposable of disposables) disposable.dispose();
    },
  };
}

function connectionArgument(target: unknown): ConnectionName | undefined {
  if (typeof target === 'string') return target;
  if (!isNode(target)) return undefined;
  if (target.kind === 'connection') return target.connection;
  if (target.kind === 'error' && target.signIn !== undefined) return target.signIn;
  return undefined;
}

async function signIn(context: FeatureContext, providers: Record<ViewId, AccountTreeProvider>, target: unknown): Promise<boolean> {
  const name = connectionArgument(target) ?? (await context.connections.pick({ title: 'Sign in to a Snowflake connection' }));
  if (name === undefined) return false;
  // Not run quietly: this is where the user is asked for the missing secret.
  await context.sessions.close(name);
  const session = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Signing in to "${name}"…` }, () => context.sessions.get(name));
  if (!session.ok) {
    void vscode.window.showErrorMessage(`Sign-in to "${name}" failed (${session.error.kind}): ${session.error.message}`);
    return false;
  }
  context.connections.signedIn?.(name);
  context.log.info(`[${name}] signed in (${session.value.summary})`);
  for (const provider of Object.values(providers)) {
    const node = provider.connectionNode(name);
    if (node) provider.refresh(node);
  }
  return true;
}

/** connections.toml in $SNOWFLAKE_HOME (or the default folder); created from a template after asking. */
export function connectionsFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(resolveConfigDir(env, { home: os.homedir(), platform: process.platform }), 'connections.toml');
}

async function openConnectionsFile(context: FeatureContext): Promise<vscode.TextEditor | undefined> {
  const file = connectionsFilePath();
  if (!fs.existsSync(file)) {
    const create = await vscode.window.showInformationMessage(
      `There is no ${file} yet. Create it with a commented example (readable only by you)?`,
      { modal: true },
      'Create',
    );
    if (create !== 'Create') return undefined;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(file, connectionsFileTemplate, { mode: 0o600, flag: 'wx' });
      fs.chmodSync(file, 0o600);
    } catch (error) {
      void vscode.window.showErrorMessage(`Could not create ${file}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    context.log.info(`created ${file}`);
  }
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(document, { preview: false });
}

async function startEmulator(context: FeatureContext): Promise<string | undefined> {
  const emulator = context.connections.emulator;
  if (emulator === undefined) {
    void vscode.window.showErrorMessage('The local emulator is not available here.');
    return undefined;
  }
  const started = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Starting the local SPCS emulator…', cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      const subscription = token.onCancellationRequested(() => abort.abort());
      try {
        return await emulator.start(abort.signal);
      } finally {
        subscription.dispose();
      }
    },
  );
  if (!started.ok) {
    if (started.error.kind !== 'cancelled') void vscode.window.showErrorMessage(started.error.message);
    return undefined;
  }
  await context.connections.setActive(started.value.connection);
  context.log.info(`local emulator running at ${started.value.url}; connection "${emulatorConnectionName}" is active`);
  void vscode.window.showInformationMessage(`The local SPCS emulator runs at ${started.value.url} as connection "${started.value.connection}" (demo pools, services and images). It stops when you close the window.`);
  return started.value.url;
}

async function copyImagePath(context: FeatureContext, target: unknown): Promise<string | undefined> {
  const pathToCopy = await chooseImagePath(context, target);
  if (pathToCopy === undefined) return undefined;
  await vscode.env.clipboard.writeText(pathToCopy);
  void vscode.window.setStatusBarMessage(`Copied ${pathToCopy}`, 4000);
  return pathToCopy;
}

async function chooseImagePath(context: FeatureContext, target: unknown): Promise<string | undefined> {
  if (isNode(target) && target.kind === 'tag') return imagePath(target.repositoryUrl, target.image, target.tag);
  const view: TreeViewId = 'spcs.imageRepositories';
  const options = { timeoutMs: context.queryTimeoutMs() };
  let image: ImageNode | undefined = isNode(target) && target.kind === 'image' ? target : undefined;
  if (image === undefined) {
    const connection = await context.connections.pick({ title: 'Copy image path: connection' });
    if (connection === undefined) return undefined;
    const repositories = await listRepositories(context.sessions, view, connection, options);
    if (!repositories.ok) return reportFailure('Listing the image repositories', repositories.error.message);
    const repository = await vscode.window.showQuickPick(
      repositories.value.map((node) => ({ label: node.name, description: `${node.database}.${node.schema}`, node })),
      { title: 'Copy image path: repository' },
    );
    if (!repository) return undefined;
    const images = await listImages(context.sessions, view, repository.node, options);
    if (!images.ok) return reportFailure('Listing the images', images.error.message);
    const picked = await vscode.window.showQuickPick(images.value.map((node) => ({ label: node.image, node })), { title: 'Copy image path: image' });
    if (!picked) return undefined;
    image = picked.node;
  }
  const tags = await listTags(context.sessions, view, image, options);
  if (!tags.ok) return reportFailure('Listing the tags', tags.error.message);
  const tag = await chooseTag(tags.value, image);
  return tag === undefined ? undefined : imagePath(tag.repositoryUrl, tag.image, tag.tag);
}

/** The only tag, or the user's choice with the newest first (tags come newest first). */
async function chooseTag(tags: readonly TagNode[], image: ImageNode): Promise<TagNode | undefined> {
  if (tags.length === 0) {
    void vscode.window.showWarningMessage(`The image ${image.image} has no tags.`);
    return undefined;
  }
  if (tags.length === 1) return tags[0];
  const picked = await vscode.window.showQuickPick(
    tags.map((tag, index) => ({ label: tag.tag, description: [index === 0 ? 'newest' : undefined, tag.createdOn, tag.digest?.slice(0, 19)].filter(Boolean).join(' · '), tag })),
    { title: `Copy image path: tag of ${image.image}`, placeHolder: 'The newest tag is first' },
  );
  return picked?.tag;
}

function reportFailure(what: string, message: string): undefined {
  void vscode.window.showErrorMessage(`${what} failed: ${message}`);
  return undefined;
}
