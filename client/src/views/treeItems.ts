/**
 * The VS Code side of the trees: `NodePresentation` → `vscode.TreeItem`, and the tree data provider
 * (one instance per view) that caches children per node between refreshes so that expanding is
 * instant, re-queries a node when it is refreshed (its cached descendants are dropped too), never
 * blocks on or throws from `getChildren`, and keeps each node's parent for `reveal`.
 *
 * Owns: the per-view cache. Must not: prompt (childrenLoader.ts runs queries quietly).
 */

import * as vscode from 'vscode';
import { loadChildren, type LoaderDependencies } from './childrenLoader';
import type { ChildrenDecorator } from '../model/decorations';
import type { AccountNode, ConnectionNode, TreeViewId } from '../model/nodes';
import { nodeId, present, type NodePresentation } from './presentation';

export function toTreeItem(presentation: NodePresentation): vscode.TreeItem {
  const collapsible =
    presentation.collapsible === 'expanded'
      ? vscode.TreeItemCollapsibleState.Expanded
      : presentation.collapsible === 'collapsed'
        ? vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(presentation.label, collapsible);
  item.id = presentation.id;
  if (presentation.description !== undefined && presentation.description !== '') item.description = presentation.description;
  item.tooltip = new vscode.MarkdownString(presentation.tooltip, true);
  item.iconPath = new vscode.ThemeIcon(presentation.icon.id, presentation.icon.color === undefined ? undefined : new vscode.ThemeColor(presentation.icon.color));
  item.contextValue = presentation.contextValue;
  if (presentation.command) {
    item.command = { command: presentation.command.command, title: presentation.command.title, arguments: [...(presentation.command.arguments ?? [])] };
  }
  return item;
}

const rootKey = '#root';


/** The context keys the views set (`setContext`), remembered so they are set only when they change and can be read back. */
export class ContextKeys {
  private readonly values = new Map<string, unknown>();

  set(key: string, value: unknown): void {
    if (this.values.has(key) && this.values.get(key) === value) return;
    this.values.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  get(key: string): unknown {
    return this.values.get(key);
  }
}

export class AccountTreeProvider implements vscode.TreeDataProvider<AccountNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AccountNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly children = new Map<string, AccountNode[]>();
  private readonly loading = new Map<string, { readonly generation: number; readonly promise: Promise<AccountNode[]>; readonly abort: AbortController }>();
  private readonly parents = new Map<string, AccountNode | undefined>();
  private readonly nodes = new Map<string, AccountNode>();
  private generation = 0;
  private disposed = false;
  private lastRoots: readonly AccountNode[] = [];
  private readonly rootListeners = new Set<(roots: readonly AccountNode[]) => void>();
  private readonly decorators = new Set<ChildrenDecorator>();

  constructor(
    readonly view: TreeViewId,
    private readonly deps: LoaderDependencies,
    private readonly log?: vscode.LogOutputChannel,
    /** Shared by the three views; readable by tests through the provider. */
    readonly contextKeys: ContextKeys = new ContextKeys(),
  ) {}

  /** Called with the root nodes each time they are (re)listed (context keys, status). */
  onDidLoadRoots(listener: (roots: readonly AccountNode[]) => void): vscode.Disposable {
    this.rootListeners.add(listener);
    return new vscode.Disposable(() => this.rootListeners.delete(listener));
  }

  /** Runs `decorator` on every level listed from now on (until disposed). */
  addDecorator(decorator: ChildrenDecorator): vscode.Disposable {
    this.decorators.add(decorator);
    return new vscode.Disposable(() => this.decorators.delete(decorator));
  }

  private async decorate(parent: AccountNode | undefined, nodes: AccountNode[], signal: AbortSignal): Promise<AccountNode[]> {
    let current: readonly AccountNode[] = nodes;
    for (const decorator of [...this.decorators]) {
      try {
        current = await decorator(parent, current, signal);
      } catch (error) {
        this.log?.warn(`${this.view}: decorating the children of ${parent === undefined ? rootKey : nodeId(parent)} failed: ${String(error)}`);
      }
    }
    return [...current];
  }

  getTreeItem(node: AccountNode): vscode.TreeItem {
    return toTreeItem(present(node));
  }

  getChildren(node?: AccountNode): Promise<AccountNode[]> {
    const key = node === undefined ? rootKey : nodeId(node);
    const cached = this.children.get(key);
    if (cached) return Promise.resolve(cached);
    const pending = this.loading.get(key);
    if (pending) return pending.promise;
    const generation = this.generation;
    const abort = new AbortController();
    const started = Date.now();
    const promise = loadChildren(this.deps, this.view, node, abort.signal)
      .then((nodes) => (this.decorators.size === 0 ? nodes : this.decorate(node, nodes, abort.signal)))
      .catch((error: unknown): AccountNode[] => {
        // loadChildren does not throw; this is a last line of defence so that the tree never breaks.
        this.log?.error(`${this.view}: listing ${key} failed: ${String(error)}`);
        return [{ kind: 'error', view: this.view, message: String(error), cause: 'internal error', ...(node ? { parent: node } : {}) }];
      })
      .then((nodes): AccountNode[] | Promise<AccountNode[]> => {
        if (this.loading.get(key)?.abort === abort) this.loading.delete(key);
        if (abort.signal.aborted || generation !== this.generation) {
          // Superseded by a refresh: whoever waits gets the fresh listing, not a "cancelled" node.
          return this.disposed ? [] : this.getChildren(node);
        }
        this.store(key, node, nodes);
        this.log?.debug(`${this.view}: listed ${nodes.length} under ${key} in ${Date.now() - started} ms`);
        return nodes;
      });
    this.loading.set(key, { generation, promise, abort });
    return promise;
  }

  private store(key: string, parent: AccountNode | undefined, nodes: AccountNode[]): void {
    this.children.set(key, nodes);
    for (const child of nodes) {
      const id = nodeId(child);
      this.parents.set(id, parent);
      this.nodes.set(id, child);
    }
    if (key === rootKey) {
      // Connections whose look changed (signed in, role known): their cached levels are stale.
      // Connections that disappeared: drop their levels.
      const now = new Map(nodes.map((child) => [nodeId(child), JSON.stringify(child)]));
      for (const old of this.lastRoots) {
        const current = now.get(nodeId(old));
        if (current === undefined || current !== JSON.stringify(old)) this.invalidate(nodeId(old));
      }
      this.lastRoots = nodes;
      for (const listener of this.rootListeners) listener(nodes);
    }
  }

  getParent(node: AccountNode): AccountNode | undefined {
    return this.parents.get(nodeId(node));
  }

  /** The node with this id as the tree knows it (events must carry the very object the tree got). */
  known(id: string): AccountNode | undefined {
    return this.nodes.get(id);
  }

  /** Cached nodes that satisfy `predicate`. */
  findCached(predicate: (node: AccountNode) => boolean): AccountNode[] {
    return [...this.nodes.values()].filter((node) => this.isAttached(node) && predicate(node));
  }

  private isAttached(node: AccountNode): boolean {
    const id = nodeId(node);
    const parent = this.parents.get(id);
    const siblings = this.children.get(parent === undefined ? rootKey : nodeId(parent));
    return siblings?.includes(node) ?? false;
  }

  /** Drops the cached children of `key` and of everything below it. */
  private invalidate(key: string): void {
    const loading = this.loading.get(key);
    if (loading) {
      loading.abort.abort();
      this.loading.delete(key);
    }
    const cached = this.children.get(key);
    this.children.delete(key);
    for (const child of cached ?? []) {
      const id = nodeId(child);
      this.invalidate(id);
      this.parents.delete(id);
      this.nodes.delete(id);
    }
  }

  /** Re-queries `node` (and drops its cached descendants); the whole view when omitted. */
  refresh(node?: AccountNode): void {
    if (node === undefined) {
      this.refreshAll();
      return;
    }
    const target = this.known(nodeId(node));
    if (target === undefined) {
      return;
    }
    this.invalidate(nodeId(target));
    this.changed.fire(target);
  }

  /** Everything is listed again (what VS Code shows expanded is re-queried). */
  refreshAll(): void {
    this.generation += 1;
    for (const { abort } of this.loading.values()) abort.abort();
    this.loading.clear();
    this.children.clear();
    this.parents.clear();
    this.nodes.clear();
    this.lastRoots = [];
    this.changed.fire(undefined);
  }

  /** Lists the roots again but keeps the cached levels of connections that did not change. */
  refreshRoots(): void {
    const loading = this.loading.get(rootKey);
    loading?.abort.abort();
    this.loading.delete(rootKey);
    this.children.delete(rootKey);
    this.changed.fire(undefined);
  }

  /** The connection node of `connection` in this view, if listed. */
  connectionNode(connection: string): ConnectionNode | undefined {
    const node = this.known(`${this.view}/${connection.replace(/[\\/]/g, (char) => `\\${char}`)}`);
    return node?.kind === 'connection' ? node : undefined;
  }

  dispose(): void {
    this.disposed = true;
    for (const { abort } of this.loading.values()) abort.abort();
    this.changed.dispose();
  }
}
