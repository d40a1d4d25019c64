/**
 * The sidebar trees inside VS Code's real extension host, against an emulator started in the host
 * (`startTestAccount`). The tree views themselves cannot be read back, so the suite asks the real
 * tree data providers (exported by `activate` through `accountFeatures()`) for children and tree
 * items, exactly what the workbench does, and drives refreshes through the commands a user runs.
 */

import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { SpcsExtensionApi } from '../../client/src/extension';
import type { AccountNode } from '../../client/src/model/nodes';
import { extensionId } from './helpers';
import { developerConnection, startTestAccount, viewerConnection, type TestAccount } from './testAccount';

type ViewId = 'spcs.computePools' | 'spcs.services' | 'spcs.imageRepositories';

interface Tree {
  onDidChange(view: ViewId): vscode.Event<unknown>;
  children(view: ViewId, node?: AccountNode): Promise<AccountNode[]>;
  item(view: ViewId, node: AccountNode): Promise<vscode.TreeItem>;
  contextKey(key: string): unknown;
}

async function tree(): Promise<Tree> {
  const extension = vscode.extensions.getExtension<SpcsExtensionApi>(extensionId);
  assert.ok(extension, `${extensionId} is not loaded`);
  const api = await extension.activate();
  const features = await api.accountFeatures();
  return {
    onDidChange: (view) => features.treeProviders[view].onDidChangeTreeData ?? (() => new vscode.Disposable(() => undefined)),
    children: async (view, node) => (await features.treeProviders[view].getChildren(node)) ?? [],
    item: async (view, node) => features.treeProviders[view].getTreeItem(node),
    contextKey: (key) => (features.treeProviders['spcs.services'] as unknown as { contextKeys?: { get(key: string): unknown } }).contextKeys?.get(key),
  };
}

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

describe('Views (sidebar trees against the emulator)', function () {
  this.timeout(90_000);
  let trees: Tree;

  /** The child of `node` whose tree item has this label. */
  async function child(view: ViewId, node: AccountNode | undefined, label: string): Promise<AccountNode> {
    const children = await trees.children(view, node);
    const labels: string[] = [];
    for (const candidate of children) {
      const item = await trees.item(view, candidate);
      if (labelOf(item) === label) return candidate;
      labels.push(labelOf(item));
    }
    throw new Error(`no "${label}" among ${JSON.stringify(labels)}`);
  }

  async function labels(view: ViewId, node?: AccountNode): Promise<string[]> {
    const children = await trees.children(view, node);
    return Promise.all(children.map(async (candidate) => labelOf(await trees.item(view, candidate))));
  }

  before(async function () {
    trees = await tree();
  });

  it('shows no roots and sets the welcome context keys when there are no connection files', async function () {
    await vscode.commands.executeCommand('spcs.refreshComputePools');
    assert.deepEqual(await trees.children('spcs.computePools'), []);
    assert.deepEqual(await trees.children('spcs.services'), []);
    assert.equal(trees.contextKey('spcs.connectionsLoaded'), true);
    assert.equal(trees.contextKey('spcs.hasConnections'), false);
  });

  describe('with two connections', function () {
    let test: TestAccount;

    before(async function () {
      test = await startTestAccount();
      // The title buttons re-read the connection files.
      await vscode.commands.executeCommand('spcs.refreshComputePools');
      await vscode.commands.executeCommand('spcs.refreshServices');
      await vscode.commands.executeCommand('spcs.refreshImageRepositories');
    });

    after(async function () {
      await test.stop();
      await vscode.commands.executeCommand('spcs.refreshComputePools');
    });

    it('lists both connections as roots, the default one marked', async function () {
      assert.deepEqual(await labels('spcs.computePools'), [developerConnection, viewerConnection]);
      assert.equal(trees.contextKey('spcs.hasConnections'), true);
      const [dev, viewer] = await trees.children('spcs.services');
      const devItem = await trees.item('spcs.services', dev!);
      assert.equal(devItem.description, 'SPCS_DEVELOPER · default');
      assert.equal(devItem.contextValue, 'connection');
      assert.equal(devItem.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
      assert.doesNotMatch(String((await trees.item('spcs.services', viewer!)).description), /default/);
    });

    it('lists pools, their services, instances, containers and endpoints', async function () {
      const dev = await child('spcs.computePools', undefined, developerConnection);
      assert.deepEqual(await labels('spcs.computePools', dev), ['DEMO_CPU_POOL', 'DEMO_GPU_POOL', 'SUSPENDED_POOL']);
      const gpuPool = await child('spcs.computePools', dev, 'DEMO_GPU_POOL');
      const gpuItem = await trees.item('spcs.computePools', gpuPool);
      assert.equal(gpuItem.description, 'ACTIVE · 4 GPU');
      // The rest is in the tooltip, a MarkdownString.
      assert.ok(gpuItem.tooltip instanceof vscode.MarkdownString, 'a markdown tooltip');
      assert.match(gpuItem.tooltip.value, /Instance family: `GPU_NV_M`/);
      assert.match(gpuItem.tooltip.value, /Nodes: `1 active \/ 0 idle \/ max 2`/);
      assert.equal(gpuItem.contextValue, 'pool;suspendable');
      assert.equal((await trees.item('spcs.computePools', await child('spcs.computePools', dev, 'SUSPENDED_POOL'))).contextValue, 'pool;resumable');
      const cpuPool = await child('spcs.computePools', dev, 'DEMO_CPU_POOL');
      assert.deepEqual(await labels('spcs.computePools', cpuPool), ['ECHO_SERVICE', 'ORDERS_SERVICE', 'REPORTING_SERVICE']);
      const echo = await child('spcs.computePools', cpuPool, 'ECHO_SERVICE');
      assert.equal((await trees.item('spcs.computePools', echo)).description, 'RUNNING · 2/2');
      assert.deepEqual(await labels('spcs.computePools', echo), ['Instance 0', 'Instance 1', 'Endpoints']);
      const instance = await child('spcs.computePools', echo, 'Instance 0');
      const container = await child('spcs.computePools', instance, 'echo');
      const containerItem = await trees.item('spcs.computePools', container);
      assert.equal(containerItem.description, 'READY');
      assert.equal(containerItem.contextValue, 'container');
      const endpoints = await child('spcs.computePools', echo, 'Endpoints');
      const endpoint = await child('spcs.computePools', endpoints, 'echoendpoint');
      const endpointItem = await trees.item('spcs.computePools', endpoint);
      assert.equal(endpointItem.contextValue, 'endpoint;public;hasUrl');
      assert.equal(endpointItem.description, 'public · HTTP :8000');
      assert.match((endpointItem.tooltip as vscode.MarkdownString).value, /Ingress URL: `https:\/\//);
      // Ids are stable: the same node listed again has the same id.
      assert.equal((await trees.item('spcs.computePools', echo)).id, (await trees.item('spcs.computePools', await child('spcs.computePools', cpuPool, 'ECHO_SERVICE'))).id);
    });

    it('lists schemas and services, with jobs marked and restart counts on containers', async function () {
      const dev = await child('spcs.services', undefined, developerConnection);
      const schema = await child('spcs.services', dev, 'SPCS_DEMO.PUBLIC');
      const names = await labels('spcs.services', schema);
      for (const name of ['ECHO_SERVICE', 'LLM_SERVICE', 'NIGHTLY_TRAINING_JOB', 'ORDERS_SERVICE', 'REPORTING_SERVICE']) {
        assert.ok(names.includes(name), `${name} missing from ${JSON.stringify(names)}`);
      }
      const job = await trees.item('spcs.services', await child('spcs.services', schema, 'NIGHTLY_TRAINING_JOB'));
      assert.equal(job.description, 'DONE');
      assert.equal(job.contextValue, 'service;job');
      assert.match(String((await trees.item('spcs.services', await child('spcs.services', schema, 'REPORTING_SERVICE'))).description), /^FAILED/);
      const llm = await child('spcs.services', schema, 'LLM_SERVICE');
      const vllm = await child('spcs.services', await child('spcs.services', llm, 'Instance 0'), 'vllm');
      assert.equal((await trees.item('spcs.services', vllm)).description, 'READY · 1 restart');
    });

    it('lists image repositories, images and tags, and copies a tag\'s image path', async function () {
      const dev = await child('spcs.imageRepositories', undefined, developerConnection);
      const repository = await child('spcs.imageRepositories', dev, 'TUTORIAL_REPOSITORY');
      const image = await child('spcs.imageRepositories', repository, 'echo');
      const tags = await labels('spcs.imageRepositories', image);
      assert.deepEqual([...tags].sort(), ['latest', 'v1', 'v2']);
      const v1 = await child('spcs.imageRepositories', image, 'v1');
      assert.match(String((await trees.item('spcs.imageRepositories', v1)).description), /^\d{4}-\d{2}-\d{2} · sha256:[0-9a-f]{12}$/);
      const copied = await vscode.commands.executeCommand<string>('spcs.copyImagePath', v1);
      assert.equal(copied, '/tutorial_db/data_schema/tutorial_repository/echo:v1');
      assert.equal(await vscode.env.clipboard.readText(), copied);
      // The viewer role sees no repositories: a message, not an error.
      const viewer = await child('spcs.imageRepositories', undefined, viewerConnection);
      assert.deepEqual(await labels('spcs.imageRepositories', viewer), ['No image repositories']);
    });

    it('follows edits of connections.toml without a refresh', async function () {
      const file = path.join(test.snowflakeHome, 'connections.toml');
      appendFileSync(file, `\n[edited_later]\naccount = "SPCS_EMULATOR"\nuser = "DEMO_USER"\nhost = "127.0.0.1"\nport = ${test.emulator.port}\nprotocol = "http"\n`);
      // The registry's file watcher re-reads the files and the roots are listed again.
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          subscription.dispose();
          reject(new Error('the roots did not list "edited_later" within 20 s'));
        }, 20_000);
        const check = async () => {
          if ((await labels('spcs.services')).includes('edited_later')) {
            clearTimeout(timer);
            subscription.dispose();
            resolve();
          }
        };
        const subscription = trees.onDidChange('spcs.services')(() => void check());
        void check();
      });
      assert.deepEqual(await labels('spcs.services'), [developerConnection, viewerConnection, 'edited_later']);
    });

    it('keeps children cached until a refresh, which shows a service suspended through SQL', async function () {
      const dev = await child('spcs.services', undefined, developerConnection);
      const schema = await child('spcs.services', dev, 'SPCS_DEMO.PUBLIC');
      const status = async () => String((await trees.item('spcs.services', await child('spcs.services', schema, 'ORDERS_SERVICE'))).description);
      assert.match(await status(), /^RUNNING/);
      test.account.control.run('ALTER SERVICE SPCS_DEMO.PUBLIC.ORDERS_SERVICE SUSPEND');
      assert.match(await status(), /^RUNNING/, 'expanding again is served from the cache');
      await vscode.commands.executeCommand('spcs.refreshServices');
      const devAgain = await child('spcs.services', undefined, developerConnection);
      const schemaAgain = await child('spcs.services', devAgain, 'SPCS_DEMO.PUBLIC');
      const orders = await trees.item('spcs.services', await child('spcs.services', schemaAgain, 'ORDERS_SERVICE'));
      // SUSPENDING for a moment (emulated time runs fast), then SUSPENDED.
      assert.match(String(orders.description), /^SUSPEND(ING|ED)/);
      assert.equal(orders.contextValue, 'service;resumable');
      // spcs.refreshNode re-queries one node.
      test.account.control.run('ALTER SERVICE SPCS_DEMO.PUBLIC.ORDERS_SERVICE RESUME');
      await vscode.commands.executeCommand('spcs.refreshNode', schemaAgain);
      assert.doesNotMatch(String((await trees.item('spcs.services', await child('spcs.services', schemaAgain, 'ORDERS_SERVICE'))).description), /^SUSPEND/);
    });

    it('refreshes the affected nodes after an action (spcs.suspendService on a tree node)', async function () {
      const dev = await child('spcs.services', undefined, developerConnection);
      const schema = await child('spcs.services', dev, 'SPCS_DEMO.PUBLIC');
      const llm = await child('spcs.services', schema, 'LLM_SERVICE');
      assert.match(String((await trees.item('spcs.services', llm)).description), /^RUNNING/);
      const status = async () => String((await trees.item('spcs.services', await child('spcs.services', schema, 'LLM_SERVICE'))).description);
      const changed = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          subscription.dispose();
          reject(new Error('LLM_SERVICE did not show as suspended within 20 s of the action'));
        }, 20_000);
        const subscription = trees.onDidChange('spcs.services')(() => {
          void status().then((text) => {
            if (/^SUSPEND/.test(text)) {
              clearTimeout(timer);
              subscription.dispose();
              resolve();
            }
          });
        });
      });
      await vscode.commands.executeCommand('spcs.suspendService', llm);
      await changed;
    });

    it('opens the connections.toml the views read (Open connections.toml)', async function () {
      const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('spcs.openConnectionsFile');
      assert.ok(editor, 'no editor was opened');
      assert.equal(editor.document.uri.fsPath, path.join(test.snowflakeHome, 'connections.toml'));
      assert.match(editor.document.getText(), /^\[emulator_dev\]$/m);
      assert.match(editor.document.getText(), /^\[emulator_viewer\]$/m);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    it('follows a resumed compute pool until it has started (not only the STARTING seen right after the statement)', async function () {
      const dev = await child('spcs.computePools', undefined, developerConnection);
      const state = async () => String((await trees.item('spcs.computePools', await child('spcs.computePools', dev, 'SUSPENDED_POOL'))).description);
      assert.match(await state(), /^SUSPENDED/);
      // The views are not visible in this host, so no automatic refresh runs: only the action's own
      // follow-up can bring the settled state.
      const settled = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          subscription.dispose();
          reject(new Error('SUSPENDED_POOL did not show as started (IDLE or ACTIVE) within 30 s of the resume'));
        }, 30_000);
        const subscription = trees.onDidChange('spcs.computePools')(() => {
          void state().then((text) => {
            if (/^(IDLE|ACTIVE)/.test(text)) {
              clearTimeout(timer);
              subscription.dispose();
              resolve();
            }
          });
        });
      });
      const pool = await child('spcs.computePools', dev, 'SUSPENDED_POOL');
      assert.equal(await vscode.commands.executeCommand('spcs.resumeComputePool', pool), true);
      await settled;
    });
  });

  it('starts the bundled emulator as the active in-memory connection, and stops it', async function () {
    const url = await vscode.commands.executeCommand<string | undefined>('spcs.startEmulator');
    try {
      assert.match(url ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(trees.contextKey('spcs.emulatorRunning'), true);
      const emulator = await child('spcs.computePools', undefined, 'spcs_emulator');
      const item = await trees.item('spcs.computePools', emulator);
      assert.equal(item.contextValue, 'connection;emulator');
      assert.match(String(item.description), /^SPCS_DEVELOPER( · default)?$/);
      const tooltip = (item.tooltip as vscode.MarkdownString).value;
      assert.match(tooltip, /the local emulator/);
      assert.match(tooltip, /SPCS\\?_EMULATOR \/ DEMO\\?_USER @ 127\.0\.0\.1:\d+/);
      assert.ok((await labels('spcs.computePools', emulator)).includes('DEMO_CPU_POOL'));
    } finally {
      await vscode.commands.executeCommand('spcs.stopEmulator');
    }
    assert.equal(trees.contextKey('spcs.emulatorRunning'), false);
    assert.ok(!(await labels('spcs.computePools')).includes('spcs_emulator'));
  });
});
