/**
 * The lifecycle and inspection commands in a real extension host, against an emulator started in
 * the host (testAccount.ts): run with a tree node as argument (what a click in the sidebar passes),
 * they change what SHOW SERVICES / SHOW COMPUTE POOLS say, open a read-only describe document with
 * the spec, and put addresses on the clipboard. Questions are answered through the documented
 * automation argument (`{ confirmName }`, `{ force }`, `{ confirmed }`, `{ min, max }`).
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { isPending } from '../../emulator/src/contract';
import { waitFor } from './helpers';
import { developerConnection, startTestAccount, viewerConnection, type TestAccount } from './testAccount';

interface Row {
  readonly [column: string]: string | null;
}

function serviceNode(name: string, extra: Record<string, unknown> = {}) {
  return {
    kind: 'service',
    view: 'spcs.services',
    connection: developerConnection,
    database: 'SPCS_DEMO',
    schema: 'PUBLIC',
    name,
    status: 'RUNNING',
    computePool: 'DEMO_CPU_POOL',
    isJob: false,
    isUpgrading: false,
    hasBlockVolumes: false,
    ...extra,
  };
}

describe('lifecycle commands', function () {
  this.timeout(60_000);
  let test: TestAccount | undefined;

  /** What the emulator's SHOW says now, as the account administrator sees it. */
  const show = (statement: string): Row[] => {
    if (!test) throw new Error('no test account');
    const result = test.account.control.run(statement);
    if (isPending(result)) throw new Error(`${statement} did not finish at once`);
    return result.rows.map((row) => Object.fromEntries(result.columns.map((column, index) => [column.name, row[index] ?? null])));
  };
  const service = (name: string): Row | undefined => show(`SHOW SERVICES LIKE '${name}' IN ACCOUNT`).find((row) => row.name === name);
  const pool = (name: string): Row | undefined => show(`SHOW COMPUTE POOLS LIKE '${name}'`).find((row) => row.name === name);

  before(async function () {
    this.timeout(60_000);
    test = await startTestAccount();
    // The extension notices new connection files through a file watcher; a refresh reads them now.
    await vscode.commands.executeCommand('spcs.refreshServices');
  });

  after(async () => {
    await test?.stop();
  });

  it('opens a read-only YAML document that describes a service with its spec, and refreshes it in place', async () => {
    const document = await vscode.commands.executeCommand<vscode.TextDocument | undefined>('spcs.describe', serviceNode('ECHO_SERVICE'));
    assert.ok(document, 'spcs.describe returned no document');
    assert.equal(document.uri.scheme, 'spcs-describe');
    assert.equal(document.languageId, 'yaml');
    const text = document.getText();
    assert.match(text, /^# DESCRIBE SERVICE SPCS_DEMO\.PUBLIC\.ECHO_SERVICE/);
    assert.match(text, /^name: ECHO_SERVICE$/m);
    assert.match(text, /^specification:\n {2}spec:\n {4}containers:\n {6}- name: echo$/m);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), document.uri.toString());

    // An action on the service refreshes its open describe document.
    assert.equal(await vscode.commands.executeCommand('spcs.suspendService', serviceNode('ECHO_SERVICE')), true);
    await waitFor(
      'the describe document to show the suspension',
      () => (/^status: SUSPEND(ING|ED)$/m.test(document.getText()) ? true : undefined),
      [vscode.workspace.onDidChangeTextDocument],
      () => document.getText().split('\n').find((line) => line.startsWith('status:')) ?? '',
    );
    // Refreshing by hand (the document's URI as argument) keeps the same document.
    const refreshed = await vscode.commands.executeCommand<vscode.TextDocument | undefined>('spcs.describe', document.uri);
    assert.equal(refreshed?.uri.toString(), document.uri.toString());
    assert.equal(await vscode.commands.executeCommand('spcs.resumeService', serviceNode('ECHO_SERVICE', { status: 'SUSPENDED' })), true);
  });

  it('suspends and resumes a service, and is done (its message shown) only once the state has settled', async () => {
    // The command ends with its one message: by then the service is where the message says, not on its way.
    assert.equal(await vscode.commands.executeCommand('spcs.suspendService', serviceNode('LLM_SERVICE', { computePool: 'DEMO_GPU_POOL' })), true);
    assert.equal(service('LLM_SERVICE')?.status, 'SUSPENDED');
    assert.equal(await vscode.commands.executeCommand('spcs.resumeService', serviceNode('LLM_SERVICE', { computePool: 'DEMO_GPU_POOL', status: 'SUSPENDED' })), true);
    assert.equal(service('LLM_SERVICE')?.status, 'RUNNING');
  });

  it('changes nothing when the role lacks the privilege (the error names the cause)', async () => {
    assert.equal(await vscode.commands.executeCommand('spcs.suspendService', serviceNode('ECHO_SERVICE', { connection: viewerConnection })), false);
    assert.doesNotMatch(service('ECHO_SERVICE')?.status ?? '', /^SUSPEND/);
  });

  it('sets min/max instances, and refuses for a service with block volumes', async () => {
    assert.equal(await vscode.commands.executeCommand('spcs.setServiceInstances', serviceNode('ECHO_SERVICE'), { min: 1, max: 3 }), true);
    assert.equal(service('ECHO_SERVICE')?.min_instances, '1');
    assert.equal(service('ECHO_SERVICE')?.max_instances, '3');
    // The node does not know about the block volume: the command finds out from DESCRIBE.
    assert.equal(await vscode.commands.executeCommand('spcs.setServiceInstances', serviceNode('ORDERS_SERVICE'), { min: 2, max: 2 }), false);
    assert.equal(service('ORDERS_SERVICE')?.min_instances, '1');
  });

  it('copies the service DNS name and the public endpoint URL', async () => {
    const dnsName = await vscode.commands.executeCommand<string | undefined>('spcs.copyServiceDnsName', serviceNode('ECHO_SERVICE'));
    assert.equal(dnsName, service('ECHO_SERVICE')?.dns_name);
    assert.match(dnsName ?? '', /^echo-service\.[a-z0-9]+\.svc\.spcs\.internal$/);
    assert.equal(await vscode.env.clipboard.readText(), dnsName);

    const ingress = show('SHOW ENDPOINTS IN SERVICE SPCS_DEMO.PUBLIC.ECHO_SERVICE').find((row) => row.is_public === 'true')?.ingress_url;
    assert.ok(ingress, 'ECHO_SERVICE has a provisioned public endpoint');
    const url = await vscode.commands.executeCommand<string | undefined>('spcs.copyEndpointUrl', serviceNode('ECHO_SERVICE'));
    assert.equal(url, `https://${ingress}`);
    assert.equal(await vscode.env.clipboard.readText(), url);
    // From an endpoint node, without a query.
    const fromNode = await vscode.commands.executeCommand<string | undefined>('spcs.copyEndpointUrl', {
      kind: 'endpoint',
      view: 'spcs.services',
      service: { connection: developerConnection, database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' },
      name: 'echoendpoint',
      protocol: 'HTTP',
      isPublic: true,
      ingressUrl: 'abc-org-acct.snowflakecomputing.app',
    });
    assert.equal(fromNode, 'https://abc-org-acct.snowflakecomputing.app');
  });

  it('drops a service only when the typed name matches, and one with block volumes only with FORCE', async () => {
    assert.equal(await vscode.commands.executeCommand('spcs.dropService', serviceNode('REPORTING_SERVICE'), { confirmName: 'ECHO_SERVICE' }), false);
    assert.ok(service('REPORTING_SERVICE'), 'a wrong confirmation drops nothing');
    assert.equal(await vscode.commands.executeCommand('spcs.dropService', serviceNode('REPORTING_SERVICE'), { confirmName: 'REPORTING_SERVICE' }), true);
    assert.equal(service('REPORTING_SERVICE'), undefined);

    assert.equal(await vscode.commands.executeCommand('spcs.dropService', serviceNode('ORDERS_SERVICE'), { confirmName: 'ORDERS_SERVICE' }), false);
    assert.ok(service('ORDERS_SERVICE'), 'block volumes are not deleted without agreeing to FORCE');
    assert.equal(await vscode.commands.executeCommand('spcs.dropService', serviceNode('ORDERS_SERVICE', { hasBlockVolumes: true }), { confirmName: 'ORDERS_SERVICE', force: true }), true);
    assert.equal(service('ORDERS_SERVICE'), undefined);
  });

  it('resumes and suspends a compute pool', async () => {
    const poolNode = (name: string, state: string) => ({ kind: 'pool', view: 'spcs.computePools', connection: developerConnection, name, state, instanceFamily: 'CPU_X64_XS' });
    assert.equal(await vscode.commands.executeCommand('spcs.resumeComputePool', poolNode('SUSPENDED_POOL', 'SUSPENDED')), true);
    assert.match(pool('SUSPENDED_POOL')?.state ?? '', /^(IDLE|ACTIVE)$/, 'up, not STARTING');
    assert.equal(await vscode.commands.executeCommand('spcs.suspendComputePool', poolNode('SUSPENDED_POOL', 'IDLE'), { confirmed: true }), true);
    assert.equal(pool('SUSPENDED_POOL')?.state, 'SUSPENDED', 'not STOPPING');
  });
});
