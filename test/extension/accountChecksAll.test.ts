/**
 * Every account check inside VS Code's real extension host, against the emulator's demo account
 * (`startTestAccount`: connections `emulator_dev`, role SPCS_DEVELOPER, and `emulator_viewer`, role
 * SPCS_VIEWER). The client reads both catalogs once (`spcs.refreshAccountCatalog`) and sends them to
 * the language server; each `account-all-*.spcs.yaml` fixture names its pool and connection in the
 * modeline and should raise one kind of account warning (or none), read back through
 * `vscode.languages.getDiagnostics`. Completion (modeline pool, stage, secret) and the `resources`
 * hover go through VS Code's own provider commands.
 *
 * `accountChecks.test.ts` covers the GPU on the CPU pool, the missing tag with its quick fixes, tag
 * completion and the image hover; this suite covers the rest. One emulator for the suite, one
 * catalog refresh; every wait is on a diagnostics event.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { codeOf, codesOf, hoverText, labelsOf, openChecked, positionOf, waitForDiagnostics } from './helpers';
import { developerConnection, startTestAccount, viewerConnection, type TestAccount } from './testAccount';

interface CheckStatus {
  readonly connection: string;
  readonly state: string;
}

const accountPrefix = 'account-';

function accountOf(diagnostics: readonly vscode.Diagnostic[]): vscode.Diagnostic[] {
  return diagnostics.filter((diagnostic) => codeOf(diagnostic).startsWith(accountPrefix));
}

function accountCodes(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return accountOf(diagnostics).map(codeOf).sort();
}

/**
 * Opens a fixture and waits until its account diagnostics are exactly `expected` (sorted). Every
 * account diagnostic must be a warning.
 */
async function expectAccountCodes(fixture: string, expected: readonly string[]): Promise<vscode.Diagnostic[]> {
  const document = await openChecked(fixture);
  const wanted = [...expected].sort();
  const diagnostics = await waitForDiagnostics(
    document.uri,
    (current) => JSON.stringify(accountCodes(current)) === JSON.stringify(wanted),
    `account codes ${wanted.join(', ') || '(none)'}`,
  );
  for (const diagnostic of accountOf(diagnostics)) {
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning, `${codeOf(diagnostic)} is a warning`);
  }
  return accountOf(diagnostics);
}

async function complete(fixture: string, text: string, offset: number): Promise<vscode.CompletionList> {
  const document = await vscode.workspace.openTextDocument(fixtureUriOf(fixture));
  return vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, positionOf(document, text, offset));
}

function fixtureUriOf(fixture: string): vscode.Uri {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.path.endsWith(`/${fixture}`));
  assert.ok(open, `${fixture} is open`);
  return open.uri;
}

function itemOf(list: vscode.CompletionList, label: string): vscode.CompletionItem {
  const item = list.items.find((candidate) => (typeof candidate.label === 'string' ? candidate.label : candidate.label.label) === label);
  assert.ok(item, `no "${label}" in ${labelsOf(list.items).slice(0, 40).join(' | ')}`);
  return item;
}

describe('Account checks, every code (live catalogs of the developer and the viewer)', function () {
  this.timeout(120_000);
  let test: TestAccount;

  before(async function () {
    test = await startTestAccount();
    // The views' refresh re-reads the connection files (the extension read them before they existed).
    await vscode.commands.executeCommand('spcs.refreshServices');
    const status = await vscode.commands.executeCommand<CheckStatus[]>('spcs.refreshAccountCatalog');
    for (const connection of [developerConnection, viewerConnection]) {
      assert.equal(status.find((each) => each.connection === connection)?.state, 'on', JSON.stringify(status));
    }
  });

  after(async function () {
    await test.stop();
    await vscode.commands.executeCommand('spcs.refreshAccountCatalog');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a valid spec gets no account warning, though the catalog applies to it', async function () {
    await expectAccountCodes('account-all-valid.spcs.yaml', []);
    const document = await vscode.workspace.openTextDocument(fixtureUriOf('account-all-valid.spcs.yaml'));
    assert.deepEqual(codesOf(document.uri), [], 'no offline diagnostic either');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionOf(document, 'resources:', 3));
    assert.match(hoverText(hovers), /Compute pool `DEMO_CPU_POOL`/);
  });

  it('account-unknown-pool', async function () {
    const [diagnostic] = await expectAccountCodes('account-all-unknown-pool.spcs.yaml', ['account-unknown-pool']);
    assert.match(diagnostic?.message ?? '', /There is no compute pool 'NO_SUCH_POOL'.*Pools: 'DEMO_CPU_POOL', 'DEMO_GPU_POOL', 'SUSPENDED_POOL'/);
  });

  it('spcs/account-pool-capacity (SUSPENDED_POOL, CPU_X64_XS)', async function () {
    const [diagnostic] = await expectAccountCodes('account-all-pool-capacity.spcs.yaml', ['account-pool-capacity']);
    assert.match(diagnostic?.message ?? '', /requests 8 GiB of memory, but a node of compute pool 'SUSPENDED_POOL' \(CPU_X64_XS: 1 vCPU, 6 GiB\)/);
  });

  it('account-image-repository-not-found', async function () {
    await expectAccountCodes('account-all-image-repository-not-found.spcs.yaml', ['account-image-repository-not-found']);
  });

  it('account-image-not-found', async function () {
    const [diagnostic] = await expectAccountCodes('account-all-image-not-found.spcs.yaml', ['account-image-not-found']);
    assert.match(diagnostic?.message ?? '', /no image 'no_such_image'/);
  });

  it('account-stage-not-found', async function () {
    const [diagnostic] = await expectAccountCodes('account-all-stage-not-found.spcs.yaml', ['account-stage-not-found']);
    assert.match(diagnostic?.message ?? '', /'SPCS_DEMO.PUBLIC.NO_SUCH_STAGE'/);
  });

  it('account-secret-not-found', async function () {
    const [diagnostic] = await expectAccountCodes('account-all-secret-not-found.spcs.yaml', ['account-secret-not-found']);
    assert.match(diagnostic?.message ?? '', /'APP_DB.BACKEND.NO_SUCH_SECRET'/);
  });

  it('spcs/account-secret-type for a PASSWORD, a GENERIC_STRING and an OAUTH2 secret, with quick fixes', async function () {
    const diagnostics = await expectAccountCodes('account-all-secret-type.spcs.yaml', ['account-secret-type', 'account-secret-type', 'account-secret-type']);
    const messages = diagnostics.map((diagnostic) => diagnostic.message).join('\n');
    for (const type of ['PASSWORD', 'GENERIC_STRING', 'OAUTH2']) {
      assert.match(messages, new RegExp(`is an? ${type} secret`));
    }
    const password = diagnostics.find((diagnostic) => diagnostic.message.includes('PASSWORD secret'));
    assert.ok(password);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', fixtureUriOf('account-all-secret-type.spcs.yaml'), password.range);
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes("Change to 'username'") && titles.includes("Change to 'password'"), titles.join(' | '));
  });

  it("spcs/account-missing-privilege with the viewer's grants (pool USAGE, BIND SERVICE ENDPOINT); its repository, stage and secret are invisible", async function () {
    const diagnostics = await expectAccountCodes('account-all-viewer-privileges.spcs.yaml', [
      'account-image-repository-not-found',
      'account-missing-privilege',
      'account-missing-privilege',
      'account-secret-not-found',
      'account-stage-not-found',
    ]);
    const messages = diagnostics.filter((diagnostic) => codeOf(diagnostic) === 'account-missing-privilege').map((diagnostic) => diagnostic.message);
    assert.ok(messages.some((message) => /Role 'SPCS_VIEWER' has MONITOR but not USAGE on compute pool 'DEMO_CPU_POOL'/.test(message)), messages.join('\n'));
    assert.ok(messages.some((message) => /does not have BIND SERVICE ENDPOINT on the account/.test(message)), messages.join('\n'));
    for (const diagnostic of diagnostics) {
      assert.match(diagnostic.message, /as of the account catalog of 'emulator_viewer'/);
    }
  });

  it('spcs/account-block-volume-instances once a block volume is added to a spec deployed with MIN_INSTANCES ≠ MAX_INSTANCES', async function () {
    const document = await openChecked('account-all-block-volume.spcs.yaml');
    const original = document.getText();
    assert.deepEqual(accountCodes(vscode.languages.getDiagnostics(document.uri)), [], 'no instance counts remembered yet');
    const replaceAll = async (text: string): Promise<void> => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
      assert.ok(await vscode.workspace.applyEdit(edit));
    };
    try {
      // Deployed (sent, so its choices are remembered) before the spec had its block volume: 1 to 2 instances.
      await replaceAll(original.replace(/\n {6}volumeMounts:[\s\S]*$/, '\n'));
      const outcome = await vscode.commands.executeCommand<{ state: string; message: string }>('spcs.deploy', document.uri, {
        connection: developerConnection,
        pool: 'DEMO_CPU_POOL',
        serviceName: 'ACCOUNT_ALL_BLOCK',
        minInstances: 1,
        maxInstances: 2,
        autoResume: true,
        externalAccessIntegrations: [],
        templateValues: {},
      });
      assert.equal(outcome.state, 'deployed', outcome.message);
      // The block volume comes back: the remembered instance counts no longer fit the spec.
      await replaceAll(original);
      const diagnostics = await waitForDiagnostics(
        document.uri,
        (current) => accountCodes(current).includes('account-block-volume-instances'),
        'the block volume warning from the remembered instance counts',
      );
      assert.deepEqual(accountCodes(diagnostics), ['account-block-volume-instances']);
      const warning = accountOf(diagnostics)[0];
      assert.equal(warning?.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(warning?.message ?? '', /MIN_INSTANCES = 1 and MAX_INSTANCES = 2/);
    } finally {
      // The deploy saved the edited file: put the fixture back as it was, on disk too.
      if (document.getText() !== original) await replaceAll(original);
      await document.save();
    }
  });

  it('templated values are not checked (only the plain wrong tag is)', async function () {
    await expectAccountCodes('account-all-templated.spcs.yaml', ['account-image-tag-not-found']);
  });

  it('completes pools in the modeline, stage names in `source: "@…"` and secret names', async function () {
    await openChecked('account-all-completion.spcs.yaml');
    const file = 'account-all-completion.spcs.yaml';
    const pools = await complete(file, 'pool=', 'pool='.length);
    for (const pool of ['DEMO_CPU_POOL', 'DEMO_GPU_POOL', 'SUSPENDED_POOL']) {
      itemOf(pools, pool);
    }
    assert.match(itemOf(pools, 'DEMO_GPU_POOL').detail ?? '', /^GPU_NV_M: 44 vCPU, 178 GiB, 4 × NVIDIA A10G/);
    const stages = await complete(file, '"@SPECS', 2);
    for (const stage of ['@SPECS', '@ML_DB.TRAINING.DATASETS', '@ML_DB.SERVING.MODEL_WEIGHTS', '@APP_DB.BACKEND.REFERENCE_FILES']) {
      itemOf(stages, stage);
    }
    const secrets = await complete(file, 'snowflakeSecret: ', 'snowflakeSecret: '.length);
    assert.equal(itemOf(secrets, 'GITHUB_OAUTH').detail, 'secret · OAUTH2');
    assert.equal(itemOf(secrets, 'APP_DB.BACKEND.POSTGRES_CREDENTIALS').detail, 'secret · PASSWORD');
    assert.equal(itemOf(secrets, 'APP_DB.BACKEND.PARTNER_API_TOKEN').detail, 'secret · GENERIC_STRING');
  });

  it("shows the pool's node capacity and what is left on `resources`", async function () {
    const document = await vscode.workspace.openTextDocument(fixtureUriOf('account-all-completion.spcs.yaml'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionOf(document, 'resources:', 3));
    const text = hoverText(hovers);
    assert.match(text, /Compute pool `DEMO_CPU_POOL`\*\* \(ACTIVE, 1-3 nodes\), node CPU_X64_S: 3 vCPU, 13 GiB/, text);
    assert.match(text, /Left on a node: 2 vCPU, 9 GiB\./, text);
    assert.deepEqual(accountCodes(vscode.languages.getDiagnostics(document.uri)), [], codesOf(document.uri).join(', '));
  });
});
