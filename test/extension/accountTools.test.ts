/**
 * The account tools inside VS Code's real extension host, against an emulator started in the host
 * (`startTestAccount`): a spec deployed from a file and then edited and saved marks its service in the
 * Services tree (read through the real tree data provider of `accountFeatures()`), "Compare with
 * Deployed" opens a diff of the deployed spec with the file, and an upgrade clears the mark; the
 * privilege check of the viewer connection lists the missing grants and opens them as SQL; "Create
 * service function…" is offered on the endpoint and writes (and with `run: true` creates) the
 * function; the registry login command lands on the clipboard; and "Push Image…" without a
 * container CLI on PATH says so (with one, it runs login, tag and push in a terminal).
 */

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { isPending, type ResultSet } from '../../emulator/src/contract';
import type { SpcsExtensionApi } from '../../client/src/extension';
import type { AccountNode, ServiceNode } from '../../client/src/model/nodes';
import { extensionId } from './helpers';
import { developerConnection, startTestAccount, viewerConnection, type TestAccount } from './testAccount';

type ViewId = 'spcs.computePools' | 'spcs.services' | 'spcs.imageRepositories';

interface Outcome {
  readonly state: string;
  readonly message: string;
  readonly action?: string;
}

const echoSpec = (tag: string): string =>
  ['# Deployed by the extension-host account tools suite.', 'spec:', '  containers:', '    - name: echo', `      image: /tutorial_db/data_schema/tutorial_repository/echo:${tag}`, '      readinessProbe:', '        port: 8000', '        path: /healthcheck', '  endpoints:', '    - name: echoendpoint', '      port: 8000', ''].join('\n');

/** Resolves with `check()`'s first defined value, checking again whenever `event` fires; rejects after `timeoutMs`. */
function waitForAsync<T>(what: string, check: () => Promise<T | undefined>, event: vscode.Event<unknown>, timeoutMs = 30_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let running = false;
    let again = false;
    const finish = (outcome: () => void) => {
      done = true;
      clearTimeout(timer);
      subscription.dispose();
      outcome();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
    const attempt = async (): Promise<void> => {
      if (done) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        const value = await check();
        if (value !== undefined && !done) finish(() => resolve(value));
      } catch (error) {
        if (!done) finish(() => reject(error instanceof Error ? error : new Error(String(error))));
      } finally {
        running = false;
        if (again && !done) {
          again = false;
          void attempt();
        }
      }
    };
    const subscription = event(() => void attempt());
    void attempt();
  });
}

describe('Account tools (drift, privileges, service functions, registry)', function () {
  this.timeout(120_000);
  let test: TestAccount;
  let providers: Readonly<Record<ViewId, vscode.TreeDataProvider<AccountNode>>>;
  let folder: string;
  let specUri: vscode.Uri;

  function rows(sql: string): Record<string, string | null>[] {
    const result = test.account.control.run(sql) as ResultSet;
    assert.ok(!isPending(result));
    return result.rows.map((row) => Object.fromEntries(result.columns.map((column, index) => [column.name, row[index] ?? null])));
  }

  async function children(view: ViewId, node?: AccountNode): Promise<AccountNode[]> {
    return (await providers[view].getChildren(node)) ?? [];
  }

  /** The service node of SPCS_DEMO.PUBLIC.<name> in the Services tree of the developer connection. */
  async function serviceNode(name: string): Promise<ServiceNode | undefined> {
    const connection = (await children('spcs.services')).find((node) => node.kind === 'connection' && node.connection === developerConnection);
    const schema = (await children('spcs.services', connection)).find((node) => node.kind === 'schema' && node.database === 'SPCS_DEMO' && node.schema === 'PUBLIC');
    if (schema === undefined) return undefined;
    return (await children('spcs.services', schema)).find((node): node is ServiceNode => node.kind === 'service' && node.name === name);
  }

  async function repositoryNode(): Promise<AccountNode> {
    const connection = (await children('spcs.imageRepositories')).find((node) => node.kind === 'connection' && node.connection === developerConnection);
    const repository = (await children('spcs.imageRepositories', connection)).find((node) => node.kind === 'repository' && node.name === 'TUTORIAL_REPOSITORY');
    assert.ok(repository, 'TUTORIAL_REPOSITORY is listed');
    return repository;
  }

  before(async function () {
    test = await startTestAccount();
    const extension = vscode.extensions.getExtension<SpcsExtensionApi>(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    providers = (await (await extension.activate()).accountFeatures()).treeProviders;
    // The views' title button re-reads the connection files (the extension read them before they existed).
    await vscode.commands.executeCommand('spcs.refreshServices');
    folder = mkdtempSync(path.join(os.tmpdir(), 'spcs-tools-'));
    const file = path.join(folder, 'drift-echo.spcs.yaml');
    writeFileSync(file, echoSpec('v1'));
    specUri = vscode.Uri.file(file);
  });

  after(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(folder, { recursive: true, force: true });
    await test.stop();
    await vscode.commands.executeCommand('spcs.refreshServices');
  });

  it('marks a service whose spec file changed after the deploy, compares it with the deployed spec, and an upgrade clears the mark', async function () {
    const document = await vscode.workspace.openTextDocument(specUri);
    await vscode.window.showTextDocument(document);
    const deployed = await vscode.commands.executeCommand<Outcome>('spcs.deploy', specUri, {
      connection: developerConnection,
      pool: 'DEMO_CPU_POOL',
      serviceName: 'EXT_DRIFT',
      minInstances: 1,
      maxInstances: 1,
      autoResume: true,
      externalAccessIntegrations: [],
      templateValues: {},
    });
    assert.equal(deployed.state, 'deployed', deployed.message);
    const changes = providers['spcs.services'].onDidChangeTreeData ?? (() => new vscode.Disposable(() => undefined));
    const fresh = await waitForAsync('EXT_DRIFT listed', () => serviceNode('EXT_DRIFT'), changes);
    assert.equal(fresh.drift, undefined, 'just deployed: in sync');

    // Edit and save the file: the tree checks the service again and marks it.
    const edit = new vscode.WorkspaceEdit();
    const start = document.getText().indexOf('echo:v1');
    edit.replace(specUri, new vscode.Range(document.positionAt(start), document.positionAt(start + 'echo:v1'.length)), 'echo:v2');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save());
    const drifted = await waitForAsync('the drift mark on EXT_DRIFT', async () => {
      const node = await serviceNode('EXT_DRIFT');
      return node?.drift === undefined ? undefined : node;
    }, changes);
    assert.equal(drifted.drift?.summary, 'local spec changed');
    assert.equal(drifted.drift?.file, specUri.toString());
    const item = await providers['spcs.services'].getTreeItem(drifted);
    assert.match(item.contextValue ?? '', /^service;.*\bdrift\b/);
    assert.match(String(item.description), /local spec changed/);
    assert.equal(((item.iconPath as vscode.ThemeIcon).color)?.id, 'charts.orange');

    // Compare with Deployed, from the tree node: a diff of the deployed spec and the file, both as the
    // upgrade diff writes them (what Snowflake keeps of each).
    const compared = await vscode.commands.executeCommand<{ verdict: string; left?: string; right?: string }>('spcs.compareWithDeployed', drifted);
    assert.equal(compared.verdict, 'different');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, `the active tab is a diff: ${tab?.label ?? 'none'}`);
    assert.equal(tab.input.original.scheme, 'spcs-drift');
    assert.equal(tab.input.modified.scheme, 'spcs-drift');
    assert.equal(tab.input.original.toString(), compared.left);
    assert.equal(tab.input.modified.toString(), compared.right);
    const deployedText = (await vscode.workspace.openTextDocument(tab.input.original)).getText();
    const localText = (await vscode.workspace.openTextDocument(tab.input.modified)).getText();
    assert.match(deployedText, /echo:v1/);
    assert.match(localText, /echo:v2/);
    const changedLines = localText.split('\n').filter((line, index) => line !== deployedText.split('\n')[index]);
    assert.deepEqual(changedLines.map((line) => line.trim()), ['image: /tutorial_db/data_schema/tutorial_repository/echo:v2'], 'only the change differs');
    // From the editor (palette / editor title): the file's record finds the service.
    const fromFile = await vscode.commands.executeCommand<{ verdict: string }>('spcs.compareWithDeployed', specUri);
    assert.equal(fromFile.verdict, 'different');

    // Deploy again (an upgrade): the mark goes.
    const upgraded = await vscode.commands.executeCommand<Outcome>('spcs.deploy', specUri, { confirmUpgrade: true });
    assert.equal(upgraded.state, 'deployed', upgraded.message);
    assert.equal(upgraded.action, 'upgrade');
    assert.match(rows('DESCRIBE SERVICE SPCS_DEMO.PUBLIC.EXT_DRIFT')[0]?.['spec'] ?? '', /echo:v2/);
    const cleared = await waitForAsync('the drift mark on EXT_DRIFT to clear', async () => {
      const node = await serviceNode('EXT_DRIFT');
      return node !== undefined && node.drift === undefined ? node : undefined;
    }, changes);
    assert.equal(cleared.drift, undefined);
  });

  it('lists the grants the viewer connection lacks and opens them as a SQL script; the developer lacks none', async function () {
    const viewer = await vscode.commands.executeCommand<{ checked: boolean; role: string; missing: string[]; document?: string }>('spcs.checkPrivileges', specUri, {
      connection: viewerConnection,
      pool: 'DEMO_CPU_POOL',
      serviceName: 'VIEWER_SVC',
      database: 'SPCS_DEMO',
      schema: 'PUBLIC',
    });
    assert.equal(viewer.checked, true);
    assert.equal(viewer.role, 'SPCS_VIEWER');
    assert.ok(viewer.missing.includes('GRANT CREATE SERVICE ON SCHEMA SPCS_DEMO.PUBLIC TO ROLE SPCS_VIEWER'), viewer.missing.join('\n'));
    assert.ok(viewer.missing.includes('GRANT READ ON IMAGE REPOSITORY TUTORIAL_DB.DATA_SCHEMA.TUTORIAL_REPOSITORY TO ROLE SPCS_VIEWER'), viewer.missing.join('\n'));
    const script = vscode.workspace.textDocuments.find((document) => document.uri.toString() === viewer.document);
    assert.ok(script, 'the SQL document is open');
    assert.equal(script.languageId, 'sql');
    assert.equal(script.uri.scheme, 'untitled');
    assert.match(script.getText(), /^-- Privileges role SPCS_VIEWER \(connection "emulator_viewer"\) lacks to deploy/);
    assert.match(script.getText(), /\nGRANT CREATE SERVICE ON SCHEMA SPCS_DEMO\.PUBLIC TO ROLE SPCS_VIEWER;\n/);

    const developer = await vscode.commands.executeCommand<{ checked: boolean; missing: string[]; summary: string }>('spcs.checkPrivileges', specUri, { connection: developerConnection, pool: 'DEMO_CPU_POOL' });
    assert.equal(developer.checked, true);
    assert.deepEqual(developer.missing, []);
    assert.equal(developer.summary, 'SPCS_DEVELOPER has every privilege this deploy needs.');
  });

  it('offers "Create service function…" on the endpoint and writes, then runs, the CREATE FUNCTION', async function () {
    const document = await vscode.workspace.openTextDocument(specUri);
    const line = document.getText().split('\n').findIndex((text) => text.includes('name: echoendpoint'));
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', specUri, new vscode.Range(line, 8, line, 8), vscode.CodeActionKind.Refactor.value);
    const offered = actions.find((action) => action.title === 'Create service function…') as vscode.CodeAction | undefined;
    assert.ok(offered, `offered: ${actions.map((action) => action.title).join(', ')}`);
    assert.equal(offered.command?.command, 'spcs.createServiceFunction');
    assert.deepEqual(offered.command?.arguments, [{ uri: specUri.toString(), endpoint: 'echoendpoint', port: '8000' }]);

    const options = { connection: developerConnection, service: 'SPCS_DEMO.PUBLIC.EXT_DRIFT', endpoint: 'echoendpoint', signature: '(input VARCHAR) RETURNS VARCHAR', path: '/echo' };
    const written = await vscode.commands.executeCommand<{ sql: string; document: string; ran?: unknown }>('spcs.createServiceFunction', { ...options, functionName: 'EXT_ECHO_FN', run: false });
    assert.equal(written.ran, undefined);
    assert.equal(written.sql, "CREATE FUNCTION SPCS_DEMO.PUBLIC.EXT_ECHO_FN(INPUT VARCHAR)\n  RETURNS VARCHAR\n  SERVICE = SPCS_DEMO.PUBLIC.EXT_DRIFT\n  ENDPOINT = echoendpoint\n  AS '/echo'");
    const sqlDocument = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === written.document);
    assert.equal(sqlDocument?.languageId, 'sql');
    assert.ok(sqlDocument?.getText().includes(written.sql));

    // The demo seed's SPCS_DEVELOPER lacks CREATE FUNCTION: the failure names the cause.
    const denied = await vscode.commands.executeCommand<{ ran?: { ok: boolean; message: string } }>('spcs.createServiceFunction', { ...options, functionName: 'EXT_ECHO_FN', run: true });
    assert.equal(denied.ran?.ok, false);
    assert.match(denied.ran?.message ?? '', /failed \(privilege\)/);
    test.account.control.run('GRANT CREATE FUNCTION ON SCHEMA SPCS_DEMO.PUBLIC TO ROLE SPCS_DEVELOPER');
    const created = await vscode.commands.executeCommand<{ ran?: { ok: boolean; message: string } }>('spcs.createServiceFunction', { ...options, functionName: 'EXT_ECHO_FN', run: true });
    assert.equal(created.ran?.ok, true, created.ran?.message);
    const properties = new Map(rows('DESCRIBE FUNCTION SPCS_DEMO.PUBLIC.EXT_ECHO_FN(VARCHAR)').map((row) => [row['property'], row['value']]));
    assert.equal(properties.get('service'), 'SPCS_DEMO.PUBLIC.EXT_DRIFT');
    assert.equal(properties.get('endpoint'), 'echoendpoint');
    assert.equal(properties.get('body'), '/echo');
  });

  it('copies the registry login command of a repository to the clipboard', async function () {
    const repository = await repositoryNode();
    const result = await vscode.commands.executeCommand<{ command: string; cli: string; registryHost: string }>('spcs.copyRegistryLogin', repository);
    assert.match(result.registryHost, /\.registry\.snowflakecomputing\.com$/);
    assert.equal(result.command, `snow spcs image-registry token --connection ${developerConnection} --format=JSON | ${result.cli} login ${result.registryHost} --username 0sessiontoken --password-stdin`);
    assert.equal(await vscode.env.clipboard.readText(), result.command);
  });

  it('"Push Image…" stops with a message when no container CLI is on PATH, and pushes through a terminal when one is', async function () {
    const repository = await repositoryNode();
    const savedPath = process.env['PATH'];
    const empty = mkdtempSync(path.join(os.tmpdir(), 'spcs-nocli-'));
    try {
      process.env['PATH'] = empty;
      const guarded = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('spcs.pushImage', repository, { localImage: 'my-echo:dev', image: 'echo', tag: 'v9' });
      assert.equal(guarded.ok, false);
      assert.match(guarded.message, /No container CLI was found on PATH \(looked for docker, podman, nerdctl\)/);

      // A stand-in podman on PATH: login, tag and push go to a terminal.
      const podman = path.join(empty, 'podman');
      writeFileSync(podman, '#!/bin/sh\nexit 0\n');
      chmodSync(podman, 0o755);
      const pushed = await vscode.commands.executeCommand<{ ok: boolean; target: string; specImage: string; script: string }>('spcs.pushImage', repository, { localImage: 'my-echo:dev', image: 'echo', tag: 'v9' });
      assert.equal(pushed.ok, true);
      assert.match(pushed.target, /\.registry\.snowflakecomputing\.com\/tutorial_db\/data_schema\/tutorial_repository\/echo:v9$/);
      assert.equal(pushed.specImage, '/tutorial_db/data_schema/tutorial_repository/echo:v9');
      assert.match(pushed.script, /\| podman login .* --password-stdin && podman tag my-echo:dev .*echo:v9 && podman push .*echo:v9$/);
      assert.ok(vscode.window.terminals.some((terminal) => terminal.name === 'SPCS: push echo:v9'));
    } finally {
      process.env['PATH'] = savedPath;
      for (const terminal of vscode.window.terminals.filter((candidate) => candidate.name.startsWith('SPCS: push'))) terminal.dispose();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
