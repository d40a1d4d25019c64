/**
 * Deploy inside VS Code's real extension host, against an emulator started in the host
 * (`startTestAccount`): `spcs.deploy` with the choices given as its argument (so no picker is
 * needed), the code lens that then names the pool and the service, a second deploy of an edited spec
 * that upgrades the service (`confirmUpgrade: true` stands in for the modal), a GPU spec refused on
 * the CPU pool, and an image tag that was never pushed, reported as half-deployed with its triage.
 * Each fact is checked through SQL on the emulator, not only through what the command returns.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { isPending, type ResultSet } from '../../emulator/src/contract';
import { codeOf, fixtureUri, openChecked, waitForCodes } from './helpers';
import { developerConnection, startTestAccount, type TestAccount } from './testAccount';

interface Outcome {
  readonly state: string;
  readonly message: string;
  readonly action?: string;
  readonly halfDeployed?: boolean;
  readonly readiness?: { readonly state: string; readonly triage?: { readonly containers: readonly { readonly cause: string; readonly container: string; readonly specLocation?: { readonly line: number } }[] } };
  readonly refusal?: { readonly kind: string; readonly diagnostics?: readonly { readonly code?: string | number }[]; readonly fittingPools?: readonly string[] };
  readonly outcome?: { readonly state: string };
}

function choices(serviceName: string, pool = 'DEMO_CPU_POOL') {
  return { connection: developerConnection, pool, serviceName, minInstances: 1, maxInstances: 1, autoResume: true, externalAccessIntegrations: [], templateValues: {} };
}

describe('Deploy (spcs.deploy against the emulator)', function () {
  this.timeout(90_000);
  let test: TestAccount;

  before(async function () {
    test = await startTestAccount({ twoConnections: false });
    // The views' title button re-reads the connection files (the extension read them before they existed).
    await vscode.commands.executeCommand('spcs.refreshComputePools');
  });

  after(async function () {
    await test.stop();
    await vscode.commands.executeCommand('spcs.refreshComputePools');
  });

  /** The rows of a statement run as ACCOUNTADMIN, by column name. */
  function rows(sql: string): Record<string, string | null>[] {
    const result = test.account.control.run(sql) as ResultSet;
    assert.ok(!isPending(result));
    return result.rows.map((row) => Object.fromEntries(result.columns.map((column, index) => [column.name, row[index] ?? null])));
  }

  function service(name: string): Record<string, string | null> | undefined {
    return rows(`SHOW SERVICES LIKE '${name}' IN SCHEMA SPCS_DEMO.PUBLIC`)[0];
  }

  it('creates a running service from the remembered choices, and the code lens then names pool and service', async function () {
    const document = await openChecked('deploy-echo.spcs.yaml');
    const outcome = await vscode.commands.executeCommand<Outcome>('spcs.deploy', document.uri, choices('EXT_ECHO'));
    assert.equal(outcome.state, 'deployed', outcome.message);
    assert.equal(outcome.action, 'create');
    assert.equal(outcome.readiness?.state, 'ready', outcome.message);
    const row = service('EXT_ECHO');
    assert.equal(row?.['status'], 'RUNNING');
    assert.equal(row?.['compute_pool'], 'DEMO_CPU_POOL');

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    const titles = lenses.map((lens) => lens.command?.title ?? '');
    assert.ok(titles.includes('$(cloud-upload) Deploy to DEMO_CPU_POOL as EXT_ECHO'), titles.join(' | '));
    assert.ok(titles.includes('$(run) Run as Job'), titles.join(' | '));
    assert.equal(lenses[0]?.range.start.line, 1, 'above `spec:`');

    // spcs.deploy.codeLens turns them off.
    const settings = vscode.workspace.getConfiguration('spcs');
    await settings.update('deploy.codeLens', false, vscode.ConfigurationTarget.Workspace);
    try {
      const hidden = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
      assert.deepEqual(
        hidden.map((lens) => lens.command?.command).filter((command) => command === 'spcs.deploy' || command === 'spcs.executeJob'),
        [],
      );
    } finally {
      await settings.update('deploy.codeLens', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('a second deploy of the edited spec upgrades the same service (ALTER SERVICE, never DROP)', async function () {
    const document = await vscode.workspace.openTextDocument(fixtureUri('deploy-echo.spcs.yaml'));
    const before = rows('DESCRIBE SERVICE SPCS_DEMO.PUBLIC.EXT_ECHO')[0];
    assert.match(before?.['spec'] ?? '', /echo:v1/);
    const edit = new vscode.WorkspaceEdit();
    const start = document.getText().indexOf('echo:v1');
    edit.replace(document.uri, new vscode.Range(document.positionAt(start), document.positionAt(start + 'echo:v1'.length)), 'echo:v2');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      // Only the confirmation is given: the remembered choices of the first deploy are used.
      const outcome = await vscode.commands.executeCommand<Outcome>('spcs.deploy', document.uri, { confirmUpgrade: true });
      assert.equal(outcome.state, 'deployed', outcome.message);
      assert.equal(outcome.action, 'upgrade');
      assert.equal(outcome.readiness?.state, 'ready', outcome.message);
      const after = rows('DESCRIBE SERVICE SPCS_DEMO.PUBLIC.EXT_ECHO')[0];
      assert.match(after?.['spec'] ?? '', /echo:v2/);
      assert.notEqual(after?.['spec_digest'], before?.['spec_digest']);
      assert.equal(after?.['created_on'], before?.['created_on'], 'upgraded in place, not re-created');

      const again = await vscode.commands.executeCommand<Outcome>('spcs.deploy', document.uri, { confirmUpgrade: true });
      assert.equal(again.state, 'upToDate', again.message);
      assert.match(again.message, /already up to date/);
      assert.equal(document.isDirty, false, 'deploy saves the file first: what is deployed is what is on disk');
    } finally {
      // Deploy saved the edit: put the fixture back as it was, on disk too.
      const restore = new vscode.WorkspaceEdit();
      const at = document.getText().indexOf('echo:v2');
      if (at >= 0) {
        restore.replace(document.uri, new vscode.Range(document.positionAt(at), document.positionAt(at + 'echo:v2'.length)), 'echo:v1');
        await vscode.workspace.applyEdit(restore);
      }
      await document.save();
    }
  });

  it('refuses a GPU spec on the CPU pool with the reason, and sends nothing', async function () {
    const document = await openChecked('deploy-gpu.spcs.yaml');
    const outcome = await vscode.commands.executeCommand<Outcome>('spcs.deploy', document.uri, choices('EXT_GPU'));
    assert.equal(outcome.state, 'refused', outcome.message);
    assert.equal(outcome.refusal?.kind, 'poolDoesNotFit');
    assert.equal(outcome.message, 'The spec does not fit compute pool DEMO_CPU_POOL: it needs 1 GPU, CPU_X64_S nodes have none. DEMO_GPU_POOL fits.');
    assert.deepEqual(outcome.refusal?.fittingPools, ['DEMO_GPU_POOL']);
    assert.equal(service('EXT_GPU'), undefined);
    // Nothing was sent, so nothing is remembered: the code lens does not walk into the same refusal.
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    const titles = lenses.map((lens) => lens.command?.title ?? '');
    assert.ok(titles.includes('$(cloud-upload) Deploy'), titles.join(' | '));
    assert.ok(!titles.some((title) => title.includes('DEMO_CPU_POOL')), titles.join(' | '));
  });

  it('deploys to a GPU pool a spec the editor flagged against its modeline\'s CPU family (published codes are read back in either spelling)', async function () {
    const document = await openChecked('deploy-gpu-family.spcs.yaml');
    // The language server publishes the capacity error with its short code; the deploy reads it back
    // as the catalogue code it knows and leaves capacity to the chosen pool.
    const [published] = (await waitForCodes(document.uri, ['gpu-exceeds-family'])).filter((diagnostic) => codeOf(diagnostic) === 'gpu-exceeds-family');
    assert.equal(published?.severity, vscode.DiagnosticSeverity.Error);
    const outcome = await vscode.commands.executeCommand<Outcome>('spcs.deploy', document.uri, choices('EXT_GPU_FIT', 'DEMO_GPU_POOL'));
    assert.notEqual(outcome.refusal?.kind, 'errors', outcome.message);
    assert.equal(outcome.state, 'deployed', outcome.message);
    assert.equal(service('EXT_GPU_FIT')?.['compute_pool'], 'DEMO_GPU_POOL');
  });

  it('an image tag that was never pushed: the service is created, fails, and the triage points at `image:`', async function () {
    const document = await openChecked('deploy-missing-image.spcs.yaml');
    const outcome = await vscode.commands.executeCommand<Outcome>('spcs.deploy', document.uri, choices('EXT_MISSING'));
    assert.equal(outcome.state, 'deployed', outcome.message);
    assert.equal(outcome.halfDeployed, true);
    assert.equal(outcome.readiness?.state, 'failed', outcome.message);
    const [failing] = outcome.readiness?.triage?.containers ?? [];
    assert.equal(failing?.cause, 'image');
    assert.equal(failing?.specLocation?.line, 5);
    assert.match(outcome.message, /^Half-deployed: .*Failed to pull image/);
    assert.match(outcome.message, /nothing was dropped/);
    assert.ok(service('EXT_MISSING'), 'the service exists: a failed start is never dropped');
  });

  it('refuses a spec with error diagnostics (those of the language server, source spcs)', async function () {
    const document = await openChecked('deploy-errors.spcs.yaml');
    await waitForCodes(document.uri, ['invalid-name']);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), document.uri.toString());
    // The keybinding form: the choices alone, for the spec in the active editor.
    const outcome = await vscode.commands.executeCommand<Outcome>('spcs.deploy', choices('EXT_ERRORS'));
    assert.equal(outcome.state, 'refused', outcome.message);
    assert.equal(outcome.refusal?.kind, 'errors');
    assert.ok(outcome.refusal?.diagnostics?.some((diagnostic) => diagnostic.code === 'spcs/invalid-name'), JSON.stringify(outcome.refusal));
    assert.equal(service('EXT_ERRORS'), undefined);
  });

  it('refuses a spec with errors even where the language server never checked it (an untitled plain-text document)', async function () {
    // Plain text is not sent to the language server, so nothing is published: the deploy's own check
    // of the exact text it would send is what refuses it.
    const text = (await vscode.workspace.openTextDocument(fixtureUri('deploy-errors.spcs.yaml'))).getText();
    const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content: text });
    assert.deepEqual(vscode.languages.getDiagnostics(document.uri), []);
    const outcome = await vscode.commands.executeCommand<Outcome>('spcs.deploy', document.uri, choices('EXT_UNCHECKED'));
    assert.equal(outcome.state, 'refused', outcome.message);
    assert.equal(outcome.refusal?.kind, 'errors');
    assert.ok(outcome.refusal?.diagnostics?.some((diagnostic) => diagnostic.code === 'spcs/invalid-name'), JSON.stringify(outcome.refusal));
    assert.equal(service('EXT_UNCHECKED'), undefined);
  });

  it('runs a spec as a job service to DONE (spcs.executeJob with its choices as argument)', async function () {
    const document = await openChecked('deploy-job.spcs.yaml');
    const outcome = await vscode.commands.executeCommand<Outcome>('spcs.executeJob', document.uri, { connection: developerConnection, pool: 'DEMO_CPU_POOL', jobName: 'EXT_JOB', async: true, replicas: 1 });
    assert.equal(outcome.state, 'ran', outcome.message);
    assert.equal(outcome.outcome?.state, 'done', outcome.message);
    assert.match(outcome.message, /EXT_JOB finished: DONE/);
    assert.equal(service('EXT_JOB')?.['status'], 'DONE');
  });
});
