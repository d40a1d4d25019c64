/**
 * The account-aware checks inside VS Code's real extension host: the client reads the account
 * catalog of the emulator (`startTestAccount`) in the background and sends it to the language server
 * (`spcs/accountCatalog`), which then warns about a GPU on the CPU pool a modeline names and an image
 * tag that was never pushed (with quick fixes listing the tags that exist), completes image tags and
 * shows an image's digest on hover. `spcs.setDeployTarget` remembers a target that the server checks
 * against (`spcs/deployTargets`) and the code lens names it. When the emulator stops the account
 * warnings go away, the status says why and the offline checks stay; without any connection the
 * offline checks are all there is.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { SpcsExtensionApi } from '../../client/src/extension';
import { codeOf, extensionId, fixtureUri, openChecked, positionOf, waitForCodes, waitForDiagnostics } from './helpers';
import { developerConnection, startTestAccount, type TestAccount } from './testAccount';

interface CheckStatus {
  readonly connection: string;
  readonly state: string;
  readonly isDefault: boolean;
  readonly reason?: string;
  readonly counts?: { readonly computePools?: number };
}

const accountPrefix = 'account-';

function accountCodes(uri: vscode.Uri): string[] {
  return vscode.languages
    .getDiagnostics(uri)
    .map(codeOf)
    .filter((code) => code.startsWith(accountPrefix))
    .sort();
}

function offlineCodes(uri: vscode.Uri): string[] {
  return vscode.languages
    .getDiagnostics(uri)
    .map(codeOf)
    .filter((code) => !code.startsWith(accountPrefix))
    .sort();
}

async function api(): Promise<SpcsExtensionApi> {
  const extension = vscode.extensions.getExtension<SpcsExtensionApi>(extensionId);
  assert.ok(extension);
  return extension.activate();
}

async function statusOf(connection: string): Promise<CheckStatus | undefined> {
  return (await (await api()).accountFeatures()).accountCheckStatus().find((each) => each.connection === connection);
}

describe('Account checks without a connection', function () {
  this.timeout(60_000);

  it('runs only the offline checks, and the status says there is no connection', async function () {
    const status = await vscode.commands.executeCommand<CheckStatus[]>('spcs.refreshAccountCatalog');
    assert.deepEqual(status, [], 'no connection, no catalog');
    const document = await openChecked('account-offline.spcs.yaml');
    const codes = offlineCodes(document.uri);
    assert.ok(codes.length > 0, 'the offline checks ran');
    assert.deepEqual(accountCodes(document.uri), []);
    const shown = await vscode.commands.executeCommand<CheckStatus[]>('spcs.showAccountCheckStatus');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.deepEqual(shown, []);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

describe('Account checks (live catalog from the emulator)', function () {
  this.timeout(120_000);
  let test: TestAccount;
  let checks: vscode.Uri;
  let offlineBefore: string[];

  before(async function () {
    test = await startTestAccount({ twoConnections: false });
    // The views' refresh re-reads the connection files (the extension read them before they existed).
    await vscode.commands.executeCommand('spcs.refreshServices');
    const status = await vscode.commands.executeCommand<CheckStatus[]>('spcs.refreshAccountCatalog');
    const developer = status.find((each) => each.connection === developerConnection);
    assert.equal(developer?.state, 'on', JSON.stringify(status));
    assert.equal(developer.isDefault, true);
  });

  after(async function () {
    await vscode.workspace.getConfiguration('spcs').update('snowflake.queryTimeout', undefined, vscode.ConfigurationTarget.Workspace);
    await test.stop();
    await vscode.commands.executeCommand('spcs.refreshAccountCatalog');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('warns about a GPU on the CPU pool of the modeline and an image tag that does not exist', async function () {
    const document = await openChecked('account-checks.spcs.yaml');
    checks = document.uri;
    await waitForCodes(checks, ['account-pool-gpu', 'account-image-tag-not-found']);
    const gpu = vscode.languages.getDiagnostics(checks).find((diagnostic) => codeOf(diagnostic) === 'account-pool-gpu');
    assert.match(gpu?.message ?? '', /DEMO_CPU_POOL/);
    offlineBefore = offlineCodes(checks);
    assert.ok(offlineBefore.length > 0, 'the offline checks run too');
  });

  it('offers the tags that exist as quick fixes', async function () {
    const diagnostic = vscode.languages.getDiagnostics(checks).find((each) => codeOf(each) === 'account-image-tag-not-found');
    assert.ok(diagnostic);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', checks, diagnostic.range);
    const titles = actions.map((action) => action.title).filter((title) => title.startsWith('Use tag'));
    for (const tag of ['v1', 'v2', 'latest']) {
      assert.ok(
        titles.some((title) => title.startsWith(`Use tag '${tag}'`)),
        `${tag} in ${titles.join(' | ')}`,
      );
    }
  });

  it('completes image tags from the repository', async function () {
    const document = await vscode.workspace.openTextDocument(checks);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', checks, positionOf(document, 'echo:v9', 'echo:'.length));
    const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    for (const tag of ['v1', 'v2', 'latest']) {
      assert.ok(
        labels.some((label) => label === `/tutorial_db/data_schema/tutorial_repository/echo:${tag}` || label === tag),
        `${tag} in ${labels.slice(0, 30).join(' | ')}`,
      );
    }
  });

  it("shows the image's digest on hover", async function () {
    const document = await vscode.workspace.openTextDocument(checks);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', checks, positionOf(document, 'echo:v1', 2));
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.match(text, /sha256:[0-9a-f]{8,}/, text);
  });

  it('shows the modeline target in the code lens, and checks a spec against the target set with spcs.setDeployTarget', async function () {
    const withModeline = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', checks);
    const modelineTitles = withModeline.map((lens) => lens.command?.title ?? '');
    assert.ok(modelineTitles.includes('$(target) Target: DEMO_CPU_POOL on the default connection'), modelineTitles.join(' | '));

    const document = await openChecked('account-target.spcs.yaml');
    assert.deepEqual(accountCodes(document.uri), [], 'no target, no pool to check against');
    const before = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    assert.ok(
      before.some((lens) => lens.command?.title === '$(target) Set deploy target' && lens.command.command === 'spcs.setDeployTarget'),
      before.map((lens) => lens.command?.title).join(' | '),
    );

    const target = await vscode.commands.executeCommand<{ connection: string; computePool?: string }>('spcs.setDeployTarget', document.uri, { connection: developerConnection, pool: 'DEMO_CPU_POOL' });
    assert.deepEqual(target, { connection: developerConnection, computePool: 'DEMO_CPU_POOL' });
    await waitForCodes(document.uri, ['account-pool-gpu']);
    const after = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    const titles = after.map((lens) => lens.command?.title ?? '');
    assert.ok(titles.includes(`$(target) Target: DEMO_CPU_POOL on ${developerConnection}`), titles.join(' | '));

    // The GPU pool fits: the warning goes.
    await vscode.commands.executeCommand('spcs.setDeployTarget', document.uri, { connection: developerConnection, pool: 'DEMO_GPU_POOL' });
    await waitForDiagnostics(document.uri, (diagnostics) => !diagnostics.some((diagnostic) => codeOf(diagnostic) === 'account-pool-gpu'), 'the GPU warning to go on the GPU pool');
  });

  it('shows each connection with its catalog state in the status command', async function () {
    const status = await vscode.commands.executeCommand<CheckStatus[]>('spcs.showAccountCheckStatus');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const developer = status.find((each) => each.connection === developerConnection);
    assert.equal(developer?.state, 'on');
    assert.ok((developer.counts?.computePools ?? 0) >= 3, JSON.stringify(developer));
  });

  it('sends the catalogs and targets again after the language server restarts', async function () {
    const target = fixtureUri('account-target.spcs.yaml');
    await vscode.commands.executeCommand('spcs.setDeployTarget', target, { connection: developerConnection, pool: 'DEMO_CPU_POOL' });
    await waitForCodes(target, ['account-pool-gpu']);
    const republished = new Set<string>();
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      for (const uri of event.uris) republished.add(uri.toString());
    });
    const has = (uri: vscode.Uri, codes: readonly string[]) => republished.has(uri.toString()) && codes.every((code) => vscode.languages.getDiagnostics(uri).some((diagnostic) => codeOf(diagnostic) === code));
    try {
      await vscode.commands.executeCommand('spcs.restartLanguageServer');
      // The restarted server knows nothing: the catalog (modeline spec) and the remembered target must be sent again.
      await waitForDiagnostics(checks, () => has(checks, ['account-pool-gpu', 'account-image-tag-not-found']), 'the account warnings from the restarted server');
      await waitForDiagnostics(target, () => has(target, ['account-pool-gpu']), 'the warning of the remembered target from the restarted server');
    } finally {
      subscription.dispose();
    }
  });

  it('goes quiet when the emulator stops: the account warnings disappear, the status says why, the offline checks stay', async function () {
    // A short query timeout: the driver retries a refused connection until the read's deadline.
    await vscode.workspace.getConfiguration('spcs').update('snowflake.queryTimeout', 5, vscode.ConfigurationTarget.Workspace);
    await test.emulator.stop();
    const status = await vscode.commands.executeCommand<CheckStatus[]>('spcs.refreshAccountCatalog');
    const developer = status.find((each) => each.connection === developerConnection);
    assert.equal(developer?.state, 'paused', JSON.stringify(status));
    assert.match(developer.reason ?? '', /^Account checks paused: .*Offline checks still run\.$/);
    assert.equal((await statusOf(developerConnection))?.state, 'paused');
    await waitForDiagnostics(checks, (diagnostics) => !diagnostics.some((diagnostic) => codeOf(diagnostic).startsWith(accountPrefix)), 'the account warnings to disappear');
    assert.deepEqual(offlineCodes(checks), offlineBefore);
  });
});
