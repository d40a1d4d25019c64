/**
 * Compute pools and image repositories from the views, in a real extension host against the emulator
 * (testAccount.ts): "Create Compute Pool…" with the instance-family picker's fit column (the spec open
 * in the editor, judged for each family), "Edit Compute Pool…", "Stop All Services…", "Drop Compute
 * Pool…" (refused while the pool has services unless they are stopped first, and never without the
 * typed name), a missing privilege named with its GRANT, and "Create / Drop Image Repository…".
 * Questions are answered through the documented automation argument; the account is read back with
 * SHOW as the administrator.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { isPending } from '../../emulator/src/contract';
import { openFixture } from './helpers';
import { developerConnection, startTestAccount, viewerConnection, type TestAccount } from './testAccount';

interface Row {
  readonly [column: string]: string | null;
}

interface Outcome {
  readonly state: string;
  readonly message: string;
  readonly grant?: string;
  readonly family?: { readonly name: string; readonly capacity: string; readonly detail: string; readonly fits: readonly { readonly label: string; readonly fits: string }[] };
}

const connectionNode = (view: string, connection = developerConnection) => ({ kind: 'connection', view, connection, summary: '', isDefault: true, isEmulator: true });
const poolNode = (name: string) => ({ kind: 'pool', view: 'spcs.computePools', connection: developerConnection, name, state: 'ACTIVE', instanceFamily: '' });

describe('compute pools and image repositories', function () {
  this.timeout(60_000);
  let test: TestAccount | undefined;

  const show = (statement: string): Row[] => {
    if (!test) throw new Error('no test account');
    const result = test.account.control.run(statement);
    if (isPending(result)) throw new Error(`${statement} did not finish at once`);
    return result.rows.map((row) => Object.fromEntries(result.columns.map((column, index) => [column.name, row[index] ?? null])));
  };
  const pool = (name: string): Row | undefined => show(`SHOW COMPUTE POOLS LIKE '${name}'`).find((row) => row.name === name);

  before(async function () {
    this.timeout(60_000);
    test = await startTestAccount();
    await vscode.commands.executeCommand('spcs.refreshComputePools');
    // Only the spec this suite opens is judged by the family picker.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await test?.stop();
  });

  it('creates a GPU pool from the family picker, whose rows say whether the open spec fits each family', async () => {
    await openFixture('deploy-gpu.spcs.yaml');
    const created = await vscode.commands.executeCommand<Outcome>('spcs.createComputePool', connectionNode('spcs.computePools'), {
      given: { instanceFamily: 'GPU_NV_S', name: 'llm_test_pool', minNodes: 1, maxNodes: 2, autoResume: true, autoSuspendSecs: 1800, initiallySuspended: true, comment: 'from the test' },
      confirmed: true,
    });
    assert.equal(created.state, 'created', created.message);
    assert.match(created.family?.capacity ?? '', /NVIDIA A10G/);
    assert.deepEqual(
      created.family?.fits.map((fit) => [fit.label, fit.fits]),
      [['deploy-gpu.spcs.yaml', 'yes']],
    );
    const row = pool('LLM_TEST_POOL');
    assert.ok(row, 'the pool is not in SHOW COMPUTE POOLS');
    assert.equal(row.instance_family, 'GPU_NV_S');
    assert.equal(row.max_nodes, '2');
    assert.equal(row.auto_suspend_secs, '1800');
    assert.equal(row.state, 'SUSPENDED');

    // The same spec on a CPU family: the row says it does not fit (a GPU is needed).
    const cpu = await vscode.commands.executeCommand<Outcome>('spcs.createComputePool', connectionNode('spcs.computePools'), {
      given: { instanceFamily: 'CPU_X64_XS', name: 'CPU_TEST_POOL', minNodes: 1, maxNodes: 1, autoResume: true, autoSuspendSecs: 600, initiallySuspended: true, comment: '' },
      confirmed: true,
    });
    assert.equal(cpu.state, 'created', cpu.message);
    assert.deepEqual(cpu.family?.fits.map((fit) => fit.fits), ['no']);
    assert.match(cpu.family?.detail ?? '', /does not fit/);
    // Creating it again finds it.
    const again = await vscode.commands.executeCommand<Outcome>('spcs.createComputePool', connectionNode('spcs.computePools'), { given: { instanceFamily: 'GPU_NV_S', name: 'LLM_TEST_POOL' }, confirmed: true });
    assert.equal(again.state, 'exists');
  });

  it('edits a pool from its node: nodes and auto-suspend with ALTER COMPUTE POOL … SET', async () => {
    const edited = await vscode.commands.executeCommand<Outcome>('spcs.editComputePool', poolNode('LLM_TEST_POOL'), { given: { minNodes: 1, maxNodes: 3, autoSuspendSecs: 600, autoResume: true }, confirmed: true });
    assert.equal(edited.state, 'changed', edited.message);
    const row = pool('LLM_TEST_POOL');
    assert.equal(row?.max_nodes, '3');
    assert.equal(row?.auto_suspend_secs, '600');
  });

  it('names the missing CREATE COMPUTE POOL privilege and its GRANT', async () => {
    const refused = await vscode.commands.executeCommand<Outcome>('spcs.createComputePool', connectionNode('spcs.computePools', viewerConnection), {
      given: { instanceFamily: 'CPU_X64_XS', name: 'VIEWER_POOL', minNodes: 1, maxNodes: 1, autoResume: true, autoSuspendSecs: 600, initiallySuspended: true, comment: '' },
      confirmed: true,
    });
    assert.equal(refused.state, 'failed', refused.message);
    assert.equal(refused.grant, 'GRANT CREATE COMPUTE POOL ON ACCOUNT TO ROLE SPCS_VIEWER');
    assert.equal(pool('VIEWER_POOL'), undefined);
  });

  it('refuses to drop a pool with services (naming them), stops them all behind the typed name, then drops it', async () => {
    test?.account.control.run(
      "CREATE SERVICE SPCS_DEMO.PUBLIC.POOL_TEST_SERVICE IN COMPUTE POOL CPU_TEST_POOL FROM SPECIFICATION $$spec:\n  containers:\n    - name: echo\n      image: /tutorial_db/data_schema/tutorial_repository/echo:v1\n$$",
      { user: 'DEMO_USER', role: 'SPCS_DEVELOPER', database: 'SPCS_DEMO', schema: 'PUBLIC' },
    );
    const refused = await vscode.commands.executeCommand<Outcome>('spcs.dropComputePool', poolNode('CPU_TEST_POOL'), { confirmName: 'CPU_TEST_POOL', stopAllFirst: false });
    assert.equal(refused.state, 'refused');
    assert.match(refused.message, /POOL_TEST_SERVICE/);
    assert.ok(pool('CPU_TEST_POOL'), 'the pool was dropped');

    const wrongName = await vscode.commands.executeCommand<Outcome>('spcs.stopAllServicesInComputePool', poolNode('CPU_TEST_POOL'), { confirmName: 'LLM_TEST_POOL' });
    assert.equal(wrongName.state, 'cancelled');
    assert.equal(show("SHOW SERVICES LIKE 'POOL_TEST_SERVICE' IN ACCOUNT").length, 1);

    const stopped = await vscode.commands.executeCommand<Outcome>('spcs.stopAllServicesInComputePool', poolNode('CPU_TEST_POOL'), { confirmName: 'cpu_test_pool' });
    assert.equal(stopped.state, 'stopped', stopped.message);
    assert.equal(show("SHOW SERVICES LIKE 'POOL_TEST_SERVICE' IN ACCOUNT").length, 0);

    const dropped = await vscode.commands.executeCommand<Outcome>('spcs.dropComputePool', poolNode('CPU_TEST_POOL'), { confirmName: 'CPU_TEST_POOL' });
    assert.equal(dropped.state, 'dropped', dropped.message);
    assert.equal(pool('CPU_TEST_POOL'), undefined);
    const gpu = await vscode.commands.executeCommand<Outcome>('spcs.dropComputePool', poolNode('LLM_TEST_POOL'), { confirmName: 'LLM_TEST_POOL' });
    assert.equal(gpu.state, 'dropped', gpu.message);
  });

  it('creates an image repository from the Image Repositories view and drops it behind the typed name', async () => {
    const created = await vscode.commands.executeCommand<Outcome>('spcs.createImageRepository', connectionNode('spcs.imageRepositories'), { name: 'SPCS_DEMO.PUBLIC.MODELS_TEST', confirmed: true });
    assert.equal(created.state, 'created', created.message);
    assert.equal(show("SHOW IMAGE REPOSITORIES LIKE 'MODELS_TEST' IN ACCOUNT").length, 1);
    const node = { kind: 'repository', view: 'spcs.imageRepositories', connection: developerConnection, database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'MODELS_TEST', repositoryUrl: '' };
    const wrong = await vscode.commands.executeCommand<Outcome>('spcs.dropImageRepository', node, { confirmName: 'MODELS' });
    assert.equal(wrong.state, 'cancelled');
    assert.equal(show("SHOW IMAGE REPOSITORIES LIKE 'MODELS_TEST' IN ACCOUNT").length, 1);
    const dropped = await vscode.commands.executeCommand<Outcome>('spcs.dropImageRepository', node, { confirmName: 'MODELS_TEST' });
    assert.equal(dropped.state, 'dropped', dropped.message);
    assert.match(dropped.message, /with its 0 images/);
    assert.equal(show("SHOW IMAGE REPOSITORIES LIKE 'MODELS_TEST' IN ACCOUNT").length, 0);
  });
});
