/**
 * "Create / Edit / Stop All / Drop Compute Pool" (client/src/pools) against the local SPCS
 * emulator through the real driver, answered by a scripted UI: the family picker's rows (capacity
 * and the fit of the open specs, from poolFit), every CREATE option as documented, the checks of
 * each answer, an existing pool found before anything is sent, the missing privileges named with
 * their GRANT (CREATE COMPUTE POOL, MODIFY, OWNERSHIP), STOP ALL behind a typed name, and DROP
 * refused while services exist unless the user stops them first (STOP ALL, then DROP).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectionsTomlSection } from '../../emulator/src/cli';
import { autoSuspendProblem, createComputePool, nodeRangeProblem, parseNodeRange, poolNameProblem } from '../../client/src/pools/createPool';
import { dropComputePool } from '../../client/src/pools/dropPool';
import { editComputePool, stopAllServices } from '../../client/src/pools/editPool';
import { builtInListing, familyRows } from '../../client/src/pools/familyRows';
import type { PoolDeps } from '../../client/src/pools/poolUi';
import type { AccountChange } from '../../client/src/model/featureContext';
import { harness, printedConnection, value, type Harness } from './emulatorHarness';
import { memoryLog, ScriptedPoolUi } from './scriptedUis';

const gpuSpec = 'spec:\n  containers:\n    - name: vllm\n      image: /ml_db/serving/images/vllm-openai:0.6.3\n      resources:\n        requests:\n          nvidia.com/gpu: 1\n          memory: 20Gi\n        limits:\n          nvidia.com/gpu: 1\n';
const cpuSpec = 'spec:\n  containers:\n    - name: echo\n      image: /tutorial_db/data_schema/tutorial_repository/echo:v1\n      resources:\n        requests:\n          cpu: 2\n          memory: 8Gi\n';
const echoSpec = 'spec:\n  containers:\n    - name: echo\n      image: /tutorial_db/data_schema/tutorial_repository/echo:v1\n';

function setup(h: Harness): { ui: ScriptedPoolUi; deps: PoolDeps; log: ReturnType<typeof memoryLog>; changes: AccountChange[] } {
  const ui = new ScriptedPoolUi();
  const log = memoryLog();
  const changes: AccountChange[] = [];
  return { ui, log, changes, deps: { sessions: h.sessions, ui, log, queryTimeoutMs: 15_000, changed: (change) => changes.push(change) } };
}

async function poolRow(h: Harness, name: string): Promise<Record<string, unknown> | undefined> {
  const result = value(await h.sessions.execute(printedConnection, `SHOW COMPUTE POOLS LIKE '${name}'`, { timeoutMs: 15_000 }));
  return result.rows.find((row) => row['name'] === name);
}

describe('the answers a pool needs, checked as Snowflake would', { timeout: 5000 }, () => {
  it('refuses names Snowflake refuses, node ranges and auto-suspend times it would refuse', () => {
    assert.equal(poolNameProblem('llm_pool'), undefined);
    assert.equal(poolNameProblem('"QUOTED_UPPER"'), undefined, 'a quoted name that needs no quotes is fine');
    assert.match(poolNameProblem('"my pool"') ?? '', /cannot name a compute pool: Snowflake does not support quoted names/);
    assert.match(poolNameProblem('"lower"') ?? '', /cannot name a compute pool/);
    assert.match(poolNameProblem('my-pool') ?? '', /cannot name a compute pool/);
    assert.equal(poolNameProblem('  '), 'Enter a name for the compute pool.');
    assert.deepEqual(parseNodeRange('2'), { min: 2, max: 2 });
    assert.deepEqual(parseNodeRange(' 1 - 3 '), { min: 1, max: 3 });
    assert.equal(nodeRangeProblem('1-3'), undefined);
    assert.equal(nodeRangeProblem('0'), 'MIN_NODES must be at least 1.');
    assert.equal(nodeRangeProblem('3-2'), 'MAX_NODES (2) must be at least MIN_NODES (3).');
    assert.match(nodeRangeProblem('a lot') ?? '', /Enter the number of nodes/);
    assert.equal(autoSuspendProblem('0'), undefined);
    assert.match(autoSuspendProblem('-1') ?? '', /seconds of inactivity/);
  });

  it('the built-in table stands in for the account, GPU families first, each spec judged by poolFit', () => {
    const rows = familyRows(builtInListing('offline'), { specs: [{ uri: 'file:///w/gpu.spcs.yaml', text: gpuSpec }], prefer: 'gpu' });
    assert.ok(rows[0]?.hasGpus, 'GPU families first');
    const xs = rows.find((row) => row.name === 'GPU_NV_XS');
    assert.equal(xs?.capacity, '3 vCPU · 26 GiB · 1 × T4 (16 GB)');
    assert.equal(xs?.fits[0]?.fits, 'yes');
    const cpu = rows.find((row) => row.name === 'CPU_X64_XS');
    assert.equal(cpu?.fits[0]?.fits, 'no');
    assert.match(cpu?.detail ?? '', /\$\(error\) gpu\.spcs\.yaml does not fit: needs 1 GPU, nodes have none/);
    const unpublished = rows.find((row) => row.name === 'GPU_L40S_G1_8');
    assert.equal(unpublished?.capacity, 'vCPU not published · memory not published · L40S GPUs (count not published)');
    assert.equal(unpublished?.fits[0]?.fits, 'unknown');
  });
});

describe('compute pools against the emulator (scripted UI, real driver)', { timeout: 120_000 }, () => {
  it('creates a GPU pool from the live family picker with every option, after showing the statement', { timeout: 60_000 }, async (t) => {
    const h = await harness(t);
    const { ui, deps, changes } = setup(h);
    ui.answers = { family: 'GPU_NV_S', name: 'llm_pool', nodes: { min: 1, max: 2 }, autoResume: false, autoSuspendSecs: 1800, initiallySuspended: true, comment: "Marta's LLM pool", confirmStatement: true };
    const specs = [
      { uri: 'file:///w/vllm.spcs.yaml', text: gpuSpec },
      { uri: 'file:///w/echo.spcs.yaml', text: cpuSpec },
    ];
    const outcome = await createComputePool(deps, { connection: printedConnection, specs, prefer: 'gpu' });
    assert.equal(outcome.state, 'created', outcome.message);
    assert.equal(outcome.message, 'Compute pool LLM_POOL was created (GPU_NV_S, suspended until a service needs it).');
    assert.deepEqual(ui.asked, ['family', 'name (current GPU_NV_S_POOL)', 'nodes (current 1-1)', 'autoResume (current true)', 'autoSuspend (current 3600)', 'initiallySuspended (current false)', "comment (current '')", 'confirmStatement']);

    const rows = ui.familyRows[0] ?? [];
    assert.deepEqual(rows.map((row) => row.name), ['GPU_NV_S', 'GPU_NV_M', 'GPU_NV_L', 'CPU_X64_XS', 'CPU_X64_S', 'CPU_X64_M', 'CPU_X64_SL', 'CPU_X64_L', 'HIGHMEM_X64_S', 'HIGHMEM_X64_M', 'HIGHMEM_X64_L']);
    const small = rows[0];
    assert.equal(small?.capacity, '6 vCPU · 27 GiB · 1 × NVIDIA A10G (24 GiB)');
    assert.deepEqual(small?.fits.map((fit) => [fit.label, fit.fits, fit.summary]), [
      ['vllm.spcs.yaml', 'yes', '1 of 1 GPU · 20 of 27 GiB · no cpu requests (nodes have 6 vCPU)'],
      ['echo.spcs.yaml', 'yes', '2 of 6 vCPU · 8 of 27 GiB'],
    ]);
    const xs = rows.find((row) => row.name === 'CPU_X64_XS');
    assert.deepEqual(xs?.fits.map((fit) => fit.fits), ['no', 'no']);
    assert.match(xs?.detail ?? '', /vllm\.spcs\.yaml does not fit: needs 1 GPU, nodes have none/);
    assert.equal(xs?.capacity, '1 vCPU · 6 GiB · no GPU');
    assert.deepEqual(ui.familyNotes[0], [], 'live families: no warning');

    assert.equal(
      ui.statements[0]?.statement,
      "CREATE COMPUTE POOL LLM_POOL\n  MIN_NODES = 1\n  MAX_NODES = 2\n  INSTANCE_FAMILY = GPU_NV_S\n  AUTO_RESUME = FALSE\n  INITIALLY_SUSPENDED = TRUE\n  AUTO_SUSPEND_SECS = 1800\n  COMMENT = 'Marta''s LLM pool'",
    );
    assert.equal(ui.statements[0]?.summary, 'Create compute pool LLM_POOL: 1 to 2 GPU_NV_S nodes (6 vCPU · 27 GiB · 1 × NVIDIA A10G (24 GiB) each), suspended until used.');
    const row = await poolRow(h, 'LLM_POOL');
    assert.deepEqual(
      [row?.['instance_family'], row?.['min_nodes'], row?.['max_nodes'], row?.['auto_resume'], row?.['auto_suspend_secs'], row?.['state'], row?.['comment']],
      ['GPU_NV_S', 1, 2, false, 1800, 'SUSPENDED', "Marta's LLM pool"],
    );
    assert.deepEqual(changes, [{ scope: 'connection', connection: printedConnection }]);

    // The same name again: found before anything is sent.
    ui.asked.length = 0;
    const again = await createComputePool(deps, { connection: printedConnection, given: { name: 'LLM_POOL', instanceFamily: 'GPU_NV_S' } });
    assert.equal(again.state, 'exists');
    assert.equal(again.message, 'Compute pool LLM_POOL already exists (GPU_NV_S, SUSPENDED); nothing was created.');
    assert.deepEqual(ui.asked, []);
    assert.equal(ui.statements.length, 1, 'no statement shown');
    const other = await createComputePool(deps, { connection: printedConnection, given: { name: 'demo_gpu_pool', instanceFamily: 'GPU_NV_S' } });
    assert.equal(other.state, 'exists');
    assert.equal(other.family?.name, 'GPU_NV_M', 'the family of the pool that exists, not the one picked');

    // Declining the statement sends nothing; a family the account does not offer is refused.
    ui.answers = { family: 'CPU_X64_XS', name: 'declined_pool', nodes: { min: 1, max: 1 }, autoResume: true, autoSuspendSecs: 3600, initiallySuspended: false, comment: '', confirmStatement: false };
    const declined = await createComputePool(deps, { connection: printedConnection });
    assert.equal(declined.state, 'cancelled');
    assert.equal(await poolRow(h, 'DECLINED_POOL'), undefined);
    const unknown = await createComputePool(deps, { connection: printedConnection, given: { instanceFamily: 'GPU_NV_XS', name: 'p' } });
    assert.equal(unknown.state, 'refused');
    assert.match(unknown.message, /Instance family GPU_NV_XS is not offered here; SHOW COMPUTE POOL INSTANCE FAMILIES lists CPU_X64_XS, CPU_X64_S, .*GPU_NV_L\. No compute pool was created\.$/);
    const badName = await createComputePool(deps, { connection: printedConnection, given: { instanceFamily: 'CPU_X64_XS', name: '"my pool"' } });
    assert.equal(badName.state, 'refused');
    assert.match(badName.message, /Snowflake does not support quoted names/);
    const escaped = new ScriptedPoolUi();
    const cancelled = await createComputePool({ ...deps, ui: escaped }, { connection: printedConnection });
    assert.equal(cancelled.state, 'cancelled');
    assert.equal(cancelled.message, 'Cancelled: an instance family was not chosen, no compute pool was created.');
  });

  it('names CREATE COMPUTE POOL on the account, with the GRANT, when the role lacks it', { timeout: 60_000 }, async (t) => {
    const h = await harness(t);
    h.addConnections(connectionsTomlSection('viewer', h.emulator.connection('VIEWER_USER')));
    const { deps } = setup(h);
    const outcome = await createComputePool(deps, { connection: 'viewer', given: { name: 'viewer_pool', instanceFamily: 'CPU_X64_XS', minNodes: 1, maxNodes: 1, autoResume: true, autoSuspendSecs: 600, initiallySuspended: false, comment: '' }, confirm: false });
    assert.equal(outcome.state, 'failed');
    assert.ok(outcome.state === 'failed');
    assert.equal(outcome.grant, 'GRANT CREATE COMPUTE POOL ON ACCOUNT TO ROLE SPCS_VIEWER');
    assert.equal(
      outcome.message,
      "Compute pool VIEWER_POOL was not created. Role SPCS_VIEWER may not create compute pools: it needs CREATE COMPUTE POOL on the account. An administrator can grant it: GRANT CREATE COMPUTE POOL ON ACCOUNT TO ROLE SPCS_VIEWER. (Snowflake: Insufficient privileges to operate on account 'SPCS_EMULATOR'.)",
    );
    assert.equal(outcome.sent.length, 0);
  });

  it('edits only what changed, says when nothing did, and names MODIFY with its GRANT', { timeout: 60_000 }, async (t) => {
    const h = await harness(t);
    const { ui, deps } = setup(h);
    h.account.control.run('CREATE COMPUTE POOL EDIT_POOL MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS', { role: 'SPCS_DEVELOPER' });
    ui.answers = { nodes: { min: 1, max: 3 }, autoSuspendSecs: 600, autoResume: true, confirmStatement: true };
    const edited = await editComputePool(deps, { connection: printedConnection, pool: 'EDIT_POOL' });
    assert.equal(edited.state, 'changed', edited.message);
    assert.deepEqual(ui.asked, ['nodes (current 1-1)', 'autoSuspend (current 3600)', 'autoResume (current true)', 'confirmStatement']);
    assert.equal(ui.statements[0]?.statement, 'ALTER COMPUTE POOL EDIT_POOL SET MAX_NODES = 3 AUTO_SUSPEND_SECS = 600');
    assert.equal(edited.message, 'Changed compute pool EDIT_POOL: nodes 1-1 → 1-3, auto-suspend 3600 s → 600 s. The pool resizes in the background.');
    const row = await poolRow(h, 'EDIT_POOL');
    assert.deepEqual([row?.['max_nodes'], row?.['auto_suspend_secs']], [3, 600]);

    ui.asked.length = 0;
    const same = await editComputePool(deps, { connection: printedConnection, pool: 'EDIT_POOL' });
    assert.equal(same.state, 'unchanged');
    assert.equal(same.message, 'Compute pool EDIT_POOL already has these settings; nothing was sent.');
    assert.ok(!ui.asked.includes('confirmStatement'));

    const reversed = await editComputePool(deps, { connection: printedConnection, pool: 'EDIT_POOL', given: { minNodes: 4, maxNodes: 2 } });
    assert.equal(reversed.state, 'refused');
    assert.match(reversed.message, /MAX_NODES \(2\) must be at least MIN_NODES \(4\)\. Compute pool EDIT_POOL was not changed\./);

    // DEMO_CPU_POOL belongs to SYSADMIN; the developer may operate it but not change it.
    const denied = await editComputePool(deps, { connection: printedConnection, pool: 'DEMO_CPU_POOL', given: { maxNodes: 5 }, confirm: false });
    assert.equal(denied.state, 'failed');
    assert.ok(denied.state === 'failed');
    assert.equal(denied.grant, 'GRANT MODIFY ON COMPUTE POOL DEMO_CPU_POOL TO ROLE SPCS_DEVELOPER');
    assert.match(denied.message, /^Compute pool DEMO_CPU_POOL was not changed\. Role SPCS_DEVELOPER may not change compute pool DEMO_CPU_POOL: it needs MODIFY on compute pool DEMO_CPU_POOL\. An administrator can grant it: GRANT MODIFY ON COMPUTE POOL DEMO_CPU_POOL TO ROLE SPCS_DEVELOPER\./);
    const missing = await editComputePool(deps, { connection: printedConnection, pool: 'NO_SUCH_POOL', given: { maxNodes: 5 } });
    assert.equal(missing.state, 'refused');
    assert.match(missing.message, /Compute pool NO_SUCH_POOL does not exist, or the role of spcs_emulator holds no privilege on it\. Nothing was changed\./);
  });

  it('stops every service behind the typed name, listing what goes', { timeout: 60_000 }, async (t) => {
    const h = await harness(t);
    const { ui, deps } = setup(h);
    ui.answers = { typedName: 'demo_gpu' };
    const wrong = await stopAllServices(deps, { connection: printedConnection, pool: 'DEMO_CPU_POOL' });
    assert.equal(wrong.state, 'cancelled');
    assert.equal(wrong.message, "Cancelled: 'demo_gpu' is not DEMO_CPU_POOL, so nothing was stopped.");
    const confirmation = ui.confirmations[0];
    assert.deepEqual(confirmation?.statements, ['ALTER COMPUTE POOL DEMO_CPU_POOL STOP ALL']);
    assert.equal(
      confirmation?.consequences[0],
      'Drops 3 services: SPCS_DEMO.PUBLIC.ECHO_SERVICE, SPCS_DEMO.PUBLIC.ORDERS_SERVICE, SPCS_DEMO.PUBLIC.REPORTING_SERVICE. Their block volumes are deleted (a snapshot is kept where the spec asks for one); dropped services cannot be brought back.',
    );
    assert.equal(confirmation?.consequences.at(-1), 'Compute pool DEMO_CPU_POOL itself stays and suspends after 3600 s without work.');
    assert.equal((await poolRow(h, 'DEMO_CPU_POOL'))?.['num_services'], 3, 'nothing was stopped');

    ui.answers = { typedName: 'demo_cpu_pool' };
    const stopped = await stopAllServices(deps, { connection: printedConnection, pool: 'DEMO_CPU_POOL' });
    assert.equal(stopped.state, 'stopped', stopped.message);
    assert.equal((await poolRow(h, 'DEMO_CPU_POOL'))?.['num_services'], 0);
    const nothing = await stopAllServices(deps, { connection: printedConnection, pool: 'DEMO_CPU_POOL' });
    assert.equal(nothing.state, 'unchanged');
    assert.equal(nothing.message, 'Compute pool DEMO_CPU_POOL runs no service and no job; there is nothing to stop.');
  });

  it('refuses to drop a pool with services unless they are stopped first, then drops it; names OWNERSHIP when it is not the role\'s', { timeout: 90_000 }, async (t) => {
    const h = await harness(t);
    const { ui, deps } = setup(h);
    const developer = { role: 'SPCS_DEVELOPER', database: 'SPCS_DEMO', schema: 'PUBLIC' };
    h.account.control.run('CREATE COMPUTE POOL DROP_ME MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS', developer);
    h.account.control.run(`CREATE SERVICE KEEPS_POOL IN COMPUTE POOL DROP_ME FROM SPECIFICATION $$${echoSpec}$$`, developer);
    const trainer = 'spec:\n  containers:\n    - name: trainer\n      image: /ml_db/training/images/xgboost-trainer:1.8.0\n      env:\n        SPCS_EMULATOR_JOB_SECONDS: 600\n';
    h.account.control.run(`EXECUTE JOB SERVICE IN COMPUTE POOL DROP_ME NAME = LONG_JOB ASYNC = TRUE FROM SPECIFICATION $$${trainer}$$`, developer);

    ui.answers = { stopAllFirst: false };
    const refused = await dropComputePool(deps, { connection: printedConnection, pool: 'DROP_ME' });
    assert.equal(refused.state, 'refused');
    assert.equal(refused.message, 'Compute pool DROP_ME still has 1 service (SPCS_DEMO.PUBLIC.KEEPS_POOL), and Snowflake does not drop a pool with services. Drop them first, or choose to stop them all (STOP ALL) before the drop. Nothing was dropped.');
    assert.deepEqual(ui.stopAllOffers[0]?.services.map((each) => each.name), ['SPCS_DEMO.PUBLIC.KEEPS_POOL']);
    assert.deepEqual(ui.stopAllOffers[0]?.jobs.map((each) => each.name), ['SPCS_DEMO.PUBLIC.LONG_JOB']);
    assert.ok(await poolRow(h, 'DROP_ME'));

    ui.answers = { stopAllFirst: true, typedName: 'DROP_ME' };
    const dropped = await dropComputePool(deps, { connection: printedConnection, pool: 'DROP_ME' });
    assert.equal(dropped.state, 'dropped', dropped.message);
    assert.ok(dropped.state === 'dropped');
    assert.deepEqual(dropped.sent, ['ALTER COMPUTE POOL DROP_ME STOP ALL', 'DROP COMPUTE POOL DROP_ME']);
    assert.equal(dropped.message, 'Compute pool DROP_ME was dropped after its services were stopped (STOP ALL); 1 running job was cancelled.');
    const confirmation = ui.confirmations.at(-1);
    assert.deepEqual(confirmation?.consequences, [
      'Drops 1 service: SPCS_DEMO.PUBLIC.KEEPS_POOL. Their block volumes are deleted (a snapshot is kept where the spec asks for one); dropped services cannot be brought back.',
      'Cancels 1 running job: SPCS_DEMO.PUBLIC.LONG_JOB.',
      'Then drops compute pool DROP_ME and releases its nodes.',
      'This cannot be undone.',
    ]);
    assert.equal(await poolRow(h, 'DROP_ME'), undefined);

    // A pool without services: only the typed name; the role does not own it.
    ui.answers = { typedName: 'suspended_pool' };
    const notOwner = await dropComputePool(deps, { connection: printedConnection, pool: 'SUSPENDED_POOL' });
    assert.equal(notOwner.state, 'failed');
    assert.ok(notOwner.state === 'failed');
    assert.equal(notOwner.halfDone, false);
    assert.equal(notOwner.grant, 'GRANT OWNERSHIP ON COMPUTE POOL SUSPENDED_POOL TO ROLE SPCS_DEVELOPER COPY CURRENT GRANTS');
    assert.match(notOwner.message, /^Compute pool SUSPENDED_POOL was not dropped\. Role SPCS_DEVELOPER may not drop compute pool SUSPENDED_POOL: only the owner of compute pool SUSPENDED_POOL can\. It is owned by role SYSADMIN: use that role \(or one that inherits it\)\./);
    assert.deepEqual(ui.confirmations.at(-1)?.consequences, ['Drops compute pool SUSPENDED_POOL (CPU_X64_XS) and releases its nodes. This cannot be undone.']);

    // STOP ALL goes through, DROP does not: half done, and said so with how to finish.
    ui.answers = { stopAllFirst: true, typedName: 'DEMO_CPU_POOL' };
    const half = await dropComputePool(deps, { connection: printedConnection, pool: 'DEMO_CPU_POOL' });
    assert.equal(half.state, 'failed');
    assert.ok(half.state === 'failed');
    assert.equal(half.halfDone, true);
    assert.deepEqual(half.sent, ['ALTER COMPUTE POOL DEMO_CPU_POOL STOP ALL']);
    assert.match(half.message, /^The services of compute pool DEMO_CPU_POOL were dropped \(STOP ALL\), but the pool itself was not dropped\. To finish, run DROP COMPUTE POOL DEMO_CPU_POOL \(or Drop Compute Pool again\)\. Role SPCS_DEVELOPER may not drop/);
  });
});
