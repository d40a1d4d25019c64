/**
 * Gateways inside VS Code's real extension host, against an emulator started in the host: the
 * "Deploy Gateway" code lens on a gateway spec, `spcs.deployGateway` creating the gateway and, after
 * an edit of the weights, altering it (`confirm: true` stands in for the modal; the diff opens), "Shift
 * Traffic…" moving weight between the two targets (`{ from, to, step, confirm }` stand in for the
 * pickers), and Drop Gateway refusing a wrong typed name. Each fact is checked through SQL on the
 * emulator, not only through what the command returns.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { isPending, type ResultSet } from '../../emulator/src/contract';
import { openFixture } from './helpers';
import { developerConnection, startTestAccount, type TestAccount } from './testAccount';

const gatewayNode = { kind: 'gateway', view: 'spcs.services', connection: developerConnection, database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'EXT_CANARY' };

describe('Gateways (deploy, shift traffic, drop against the emulator)', function () {
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

  function rows(sql: string): Record<string, string | null>[] {
    const result = test.account.control.run(sql) as ResultSet;
    assert.ok(!isPending(result));
    return result.rows.map((row) => Object.fromEntries(result.columns.map((column, index) => [column.name, row[index] ?? null])));
  }

  const weights = (): number[] => {
    const spec = rows('DESCRIBE GATEWAY SPCS_DEMO.PUBLIC.EXT_CANARY')[0]?.['spec'] ?? '';
    return [...spec.matchAll(/weight: (\d+)/g)].map((match) => Number(match[1]));
  };

  it('deploys a gateway spec from its code lens command, then alters it after an edit', async function () {
    // The second target: a service of the developer role (USAGE on its endpoint through ownership).
    const echo = await openFixture('deploy-echo.spcs.yaml');
    const deployed = await vscode.commands.executeCommand<{ state: string; message: string }>('spcs.deploy', echo.uri, {
      connection: developerConnection,
      pool: 'DEMO_CPU_POOL',
      serviceName: 'EXT_ECHO_V2',
      minInstances: 1,
      maxInstances: 1,
      autoResume: true,
      externalAccessIntegrations: [],
      templateValues: {},
    });
    assert.equal(deployed.state, 'deployed', deployed.message);

    const document = await openFixture('gateways/canary.gateway.yaml');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    const gatewayLens = lenses.find((lens) => lens.command?.command === 'spcs.deployGateway');
    assert.ok(gatewayLens, lenses.map((lens) => lens.command?.title ?? '').join(' | '));
    assert.equal(gatewayLens.range.start.line, 1, 'above spec:');
    assert.ok(!lenses.some((lens) => lens.command?.command === 'spcs.deploy'), 'a gateway spec has no service deploy lens');

    const created = await vscode.commands.executeCommand('spcs.deployGateway', document.uri, { connection: developerConnection, name: 'SPCS_DEMO.PUBLIC.EXT_CANARY' });
    assert.equal(created, 'created');
    assert.equal(rows("SHOW GATEWAYS LIKE 'EXT_CANARY' IN SCHEMA SPCS_DEMO.PUBLIC").length, 1);
    assert.deepEqual(weights(), [100, 0]);

    const after = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    assert.ok(after.some((lens) => lens.command?.title === '$(cloud-upload) Deploy Gateway as SPCS_DEMO.PUBLIC.EXT_CANARY'), 'the lens names the remembered gateway');

    const edit = new vscode.WorkspaceEdit();
    const text = document.getText();
    edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(text.length)), text.replace('weight: 100', 'weight: 90').replace('weight: 0', 'weight: 10'));
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save());
    const altered = await vscode.commands.executeCommand('spcs.deployGateway', document.uri, { confirm: true });
    assert.equal(altered, 'altered', 'the remembered connection and name are used');
    assert.deepEqual(weights(), [90, 10]);
    assert.ok(
      vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.original.scheme === 'spcs-gateway')),
      'the diff of deployed and local opened before the ALTER',
    );
  });

  it('shifts traffic between two targets in a step, with the ALTER keeping the ingress URL', async function () {
    const url = rows('DESCRIBE GATEWAY SPCS_DEMO.PUBLIC.EXT_CANARY')[0]?.['ingress_url'];
    const shifted = await vscode.commands.executeCommand('spcs.shiftGatewayTraffic', gatewayNode, { from: 0, to: 'spcs_demo.public.ext_echo_v2!echoendpoint', step: 40, confirm: true });
    assert.deepEqual(shifted, [50, 50]);
    assert.deepEqual(weights(), [50, 50]);
    assert.equal(rows('DESCRIBE GATEWAY SPCS_DEMO.PUBLIC.EXT_CANARY')[0]?.['ingress_url'], url);
    // A step larger than what is left moves only that.
    assert.deepEqual(await vscode.commands.executeCommand('spcs.shiftGatewayTraffic', gatewayNode, { from: 0, to: 1, step: 90, confirm: true }), [0, 100]);
    assert.deepEqual(weights(), [0, 100]);
  });

  it('drops a gateway only when the typed name matches', async function () {
    assert.equal(await vscode.commands.executeCommand('spcs.dropGateway', gatewayNode, { confirmName: 'ECHO_GATEWAY' }), false);
    assert.equal(rows("SHOW GATEWAYS LIKE 'EXT_CANARY' IN SCHEMA SPCS_DEMO.PUBLIC").length, 1, 'a wrong confirmation drops nothing');
    assert.equal(await vscode.commands.executeCommand('spcs.dropGateway', gatewayNode, { confirmName: 'ext_canary' }), true);
    assert.equal(rows("SHOW GATEWAYS LIKE 'EXT_CANARY' IN SCHEMA SPCS_DEMO.PUBLIC").length, 0);
  });
});
