/**
 * snowflake.yml inside VS Code's real extension host, against an emulator started in the host: the
 * "Deploy entity" and "Upgrade" lenses on a service entity, deploying it (CREATE SERVICE with the
 * entity's properties, the spec sent inline), refusing to touch the existing service without Upgrade,
 * Upgrade after an edit of the entity (`confirmUpgrade: true` stands in for the modal), and "Add to
 * snowflake.yml" for specs deployed from the editor: into the existing project (the rest of the file
 * kept) and as a new snowflake.yml. Each fact is checked through SQL or the edited file.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { isPending, type ResultSet } from '../../emulator/src/contract';
import { fixtureUri, openFixture } from './helpers';
import { developerConnection, startTestAccount, type TestAccount } from './testAccount';

interface Outcome {
  readonly state: string;
  readonly message: string;
  readonly action?: string;
}

function choices(serviceName: string) {
  return { connection: developerConnection, pool: 'DEMO_CPU_POOL', serviceName, minInstances: 1, maxInstances: 1, autoResume: true, externalAccessIntegrations: [], templateValues: {} };
}

describe('snowflake.yml (Deploy entity, Upgrade, Add to snowflake.yml against the emulator)', function () {
  this.timeout(90_000);
  let test: TestAccount;

  before(async function () {
    test = await startTestAccount({ twoConnections: false });
    await vscode.commands.executeCommand('spcs.refreshServices');
  });

  after(async function () {
    await test.stop();
    await vscode.commands.executeCommand('spcs.refreshServices');
  });

  function service(name: string): Record<string, string | null> | undefined {
    const result = test.account.control.run(`SHOW SERVICES LIKE '${name}' IN SCHEMA SPCS_DEMO.PUBLIC`) as ResultSet;
    assert.ok(!isPending(result));
    const row = result.rows[0];
    return row && Object.fromEntries(result.columns.map((column, index) => [column.name, row[index] ?? null]));
  }

  it('deploys a service entity with its properties, refuses the existing service without Upgrade, and upgrades it', async function () {
    const project = await openFixture('project/snowflake.yml');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', project.uri);
    const titles = lenses.map((lens) => lens.command?.title ?? '');
    assert.deepEqual(titles, ['$(cloud-upload) Deploy entity', '$(sync) Upgrade']);
    assert.equal(lenses[0]?.range.start.line, 3, 'on the entity key');
    assert.match(lenses[0]?.command?.tooltip ?? '', /sent inline/);

    const created = await vscode.commands.executeCommand<Outcome>('spcs.deployProjectEntity', project.uri, 'ext_yml_echo', { connection: developerConnection });
    assert.equal(created.state, 'deployed', created.message);
    assert.equal(created.action, 'create');
    const row = service('EXT_YML_ECHO');
    assert.equal(row?.['compute_pool'], 'DEMO_CPU_POOL');
    assert.equal(row?.['max_instances'], '2');
    assert.equal(row?.['comment'], 'Deployed from snowflake.yml');

    // Like snow spcs service deploy without --upgrade: nothing is sent.
    assert.equal(await vscode.commands.executeCommand('spcs.deployProjectEntity', project.uri, 'ext_yml_echo', { connection: developerConnection, upgrade: false }), undefined);

    const edit = new vscode.WorkspaceEdit();
    const line = project.getText().split('\n').findIndex((text) => text.includes('max_instances: 2'));
    edit.replace(project.uri, new vscode.Range(line, 0, line, project.lineAt(line).text.length), '    max_instances: 3');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const upgraded = await vscode.commands.executeCommand<Outcome>('spcs.deployProjectEntity', project.uri, 'ext_yml_echo', { connection: developerConnection, upgrade: true, confirmUpgrade: true });
    assert.equal(upgraded.action, 'upgrade', upgraded.message);
    assert.equal(service('EXT_YML_ECHO')?.['max_instances'], '3', 'the entity was saved and its properties set');
  });

  it('adds a spec deployed from the editor to the snowflake.yml beside it, and to a new one', async function () {
    const second = await openFixture('project/second.spcs.yaml');
    const deployed = await vscode.commands.executeCommand<Outcome>('spcs.deploy', second.uri, choices('EXT_SECOND'));
    assert.equal(deployed.state, 'deployed', deployed.message);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', second.uri);
    assert.ok(lenses.some((lens) => lens.command?.command === 'spcs.addToProjectDefinition'), 'a deployed spec offers Add to snowflake.yml');

    const added = await vscode.commands.executeCommand<{ uri: string; id: string }>('spcs.addToProjectDefinition', second.uri, { stage: 'second_stage' });
    assert.equal(added?.id, 'ext_second');
    assert.equal(added?.uri, fixtureUri('project/snowflake.yml').toString());
    const project = vscode.workspace.textDocuments.find((document) => document.uri.toString() === added?.uri);
    const text = project?.getText() ?? '';
    assert.match(text, /^ {2}ext_yml_echo:\n {4}type: service$/m, 'the existing entity is kept');
    assert.match(text, /\n\n {2}ext_second:\n {4}type: service\n {4}stage: second_stage\n {4}compute_pool: DEMO_CPU_POOL\n {4}spec_file: second\.spcs\.yaml\n {4}min_instances: 1\n {4}max_instances: 1\n {4}artifacts:\n {6}- second\.spcs\.yaml$/m);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), added?.uri, 'the user sees the edit');

    const lone = await openFixture('addproject/add-echo.spcs.yaml');
    assert.equal((await vscode.commands.executeCommand<Outcome>('spcs.deploy', lone.uri, choices('EXT_ADD_ECHO'))).state, 'deployed');
    const target = fixtureUri('addproject/snowflake.yml');
    const created = await vscode.commands.executeCommand<{ uri: string; id: string }>('spcs.addToProjectDefinition', lone.uri, { stage: 'add_stage', projectUri: target.toString() });
    assert.equal(created?.uri, target.toString());
    const fresh = vscode.workspace.textDocuments.find((document) => document.uri.toString() === target.toString());
    assert.equal(
      fresh?.getText(),
      'definition_version: "2"\n\nentities:\n  ext_add_echo:\n    type: service\n    stage: add_stage\n    compute_pool: DEMO_CPU_POOL\n    spec_file: add-echo.spcs.yaml\n    min_instances: 1\n    max_instances: 1\n    artifacts:\n      - add-echo.spcs.yaml\n',
    );
  });
});
