/**
 * The deploy and job flows of the commands (`client/src/commands/deployFlow.ts`) against the local
 * SPCS emulator with the real driver, answered by a scripted UI: the first deploy asks every
 * question and remembers the answers, the second is one click, an unchanged spec is "already up to
 * date", a changed one is an upgrade after the diff is confirmed, a spec that does not fit the pool
 * is stopped (and "Pick Another Pool…" goes on), a spec with errors is refused before anything is
 * asked, a missing image is reported as half-deployed with its triage, and a job runs to DONE with
 * its logs.
 *
 * Time is the emulator's ManualClock (waiting advances it), so nothing sleeps.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SpcsLanguageService } from '../../server/src/service/languageService';
import type { AccountChange } from '../../client/src/model/featureContext';
import { listIntegrations, parseInstances } from '../../client/src/deploy/flowSteps';
import { runDeploy } from '../../client/src/deploy/deployFlow';
import { runJob } from '../../client/src/deploy/jobFlow';
import { type DeployOutcome, type DeployUi, type FlowDeps, type JobAnswers, type JobRunOutcome, type PoolOption, type RefusalAnswer, type SpecInput } from '../../client/src/deploy/flowContract';
import { type ChoiceStore } from '../../client/src/specs/deployChoices';
import { deserializeChoices, serializeChoices, type RememberedChoices } from '../../client/src/specs/deployChoices';
import type { DeployPlan, Refusal } from '../../client/src/deploy/plans';
import type { JobLogLine } from '../../client/src/deploy/executeJob';
import type { PoolInfo } from '../../client/src/deploy/poolFit';
import type { Scheduler } from '../../client/src/deploy/readiness';
import * as sql from '../../client/src/snowflake/sql';
import { harness, printedConnection, value, type Harness } from './emulatorHarness';

const languageService = new SpcsLanguageService();

function specInput(uri: string, text: string): SpecInput {
  return { uri, text, diagnostics: languageService.validate(TextDocument.create(uri, 'spcs-spec', 1, text)) };
}

const echoSpec = (tag: string, extra = ''): string =>
  ['spec:', '  containers:', '    - name: echo', `      image: /tutorial_db/data_schema/tutorial_repository/echo:${tag}`, ...(extra ? [extra] : []), '      readinessProbe:', '        port: 8000', '        path: /healthcheck', '  endpoints:', '    - name: echoendpoint', '      port: 8000', ''].join('\n');

const gpuSpec = [
  'spec:',
  '  containers:',
  '    - name: vllm',
  '      image: /tutorial_db/data_schema/tutorial_repository/echo:v1',
  '      resources:',
  '        requests:',
  '          nvidia.com/gpu: 1',
  '        limits:',
  '          nvidia.com/gpu: 1',
  '',
].join('\n');

/** A UI that answers from a script and records what it was asked and told. */
class ScriptedUi implements DeployUi {
  readonly asked: string[] = [];
  readonly refusals: Refusal[] = [];
  readonly reports: (DeployOutcome | JobRunOutcome)[] = [];
  readonly poolOptions: PoolOption[][] = [];
  readonly upgrades: Extract<DeployPlan, { ok: true }>[] = [];
  readonly jobLines: JobLogLine[] = [];
  readonly progressTitles: string[] = [];
  /** The upgrades that were sent (their diff is out of date). */
  readonly sentUpgrades: Extract<DeployPlan, { ok: true }>[] = [];
  /** The output channel's lines when each refusal was shown (set by `setup`). */
  readonly logAtRefusal: string[][] = [];
  log: readonly string[] = [];
  /** Presses Cancel on a cancellable progress notification at its first report. */
  cancelProgress = false;
  answers: {
    connection?: string;
    pools?: string[];
    serviceName?: string;
    instances?: { min: number; max: number };
    warehouse?: string | null;
    integrations?: string[];
    autoResume?: boolean;
    templateValues?: Record<string, string>;
    confirmUpgrade?: boolean;
    refusal?: RefusalAnswer;
    uncertainFit?: 'deploy' | 'pickAnotherPool';
    job?: JobAnswers;
    cancelJob?: boolean;
  } = {};

  /** Presses Escape at the first question that starts with this. */
  escapeAt: string | undefined;

  private answer<T>(question: string, value: T | undefined): Promise<T> {
    this.asked.push(question);
    if (this.escapeAt !== undefined && question.startsWith(this.escapeAt)) return Promise.resolve(undefined as T);
    if (value === undefined) throw new Error(`unexpected question: ${question}`);
    return Promise.resolve(value);
  }

  pickConnection(): Promise<string | undefined> {
    return this.answer('connection', this.answers.connection);
  }
  pickPool(options: readonly PoolOption[], current: string | undefined): Promise<PoolInfo | undefined> {
    this.poolOptions.push([...options]);
    const name = this.answers.pools?.shift();
    this.asked.push(`pool (current ${current ?? 'none'})`);
    const chosen = options.find((option) => option.pool.name === name);
    if (!chosen) throw new Error(`the script picks ${name ?? 'nothing'}, which is not offered`);
    return Promise.resolve(chosen.pool);
  }
  askServiceName(current: string): Promise<string | undefined> {
    return this.answer(`serviceName (current ${current})`, this.answers.serviceName);
  }
  askInstances(): Promise<{ min: number; max: number } | undefined> {
    return this.answer('instances', this.answers.instances);
  }
  pickWarehouse(warehouses: readonly string[]): Promise<{ warehouse: string | undefined } | undefined> {
    assert.ok(warehouses.includes('DEMO_WH'), `SHOW WAREHOUSES lists DEMO_WH: ${warehouses.join(', ')}`);
    const wanted = this.answers.warehouse;
    return this.answer('warehouse', wanted === undefined ? undefined : { warehouse: wanted ?? undefined });
  }
  pickIntegrations(integrations: readonly string[]): Promise<readonly string[] | undefined> {
    return this.answer(`integrations (${integrations.join(',')})`, this.answers.integrations);
  }
  askAutoResume(): Promise<boolean | undefined> {
    return this.answer('autoResume', this.answers.autoResume);
  }
  askTemplateValue(variable: { name: string }): Promise<string | undefined> {
    return this.answer(`template ${variable.name}`, this.answers.templateValues?.[variable.name]);
  }
  askJob(current: JobAnswers): Promise<JobAnswers | undefined> {
    this.asked.push('job');
    return Promise.resolve(this.answers.job ?? current);
  }
  confirmUpgrade(plan: Extract<DeployPlan, { ok: true }>): Promise<boolean> {
    this.upgrades.push(plan);
    return this.answer('confirmUpgrade', this.answers.confirmUpgrade);
  }
  confirmCancelJob(): Promise<boolean> {
    return this.answer('confirmCancelJob', this.answers.cancelJob);
  }
  showRefusal(refusal: Refusal): Promise<RefusalAnswer> {
    this.refusals.push(refusal);
    this.logAtRefusal.push([...this.log]);
    return Promise.resolve(this.answers.refusal);
  }
  confirmUncertainFit(option: PoolOption): Promise<'deploy' | 'pickAnotherPool' | undefined> {
    this.asked.push(`uncertainFit ${option.pool.name}`);
    return Promise.resolve(this.answers.uncertainFit);
  }
  upgradeSent(plan: Extract<DeployPlan, { ok: true }>): void {
    this.sentUpgrades.push(plan);
  }
  progress<T>(title: string, cancellable: boolean, task: (progress: { report(message: string): void }, signal: AbortSignal) => Promise<T>): Promise<T> {
    this.progressTitles.push(title);
    const controller = new AbortController();
    const cancel = cancellable && this.cancelProgress;
    return task({ report: () => (cancel ? controller.abort() : undefined) }, controller.signal);
  }
  reportDeploy(outcome: DeployOutcome): void {
    this.reports.push(outcome);
  }
  reportJob(outcome: JobRunOutcome): void {
    this.reports.push(outcome);
  }
  jobLog(_job: string, lines: readonly JobLogLine[]): void {
    this.jobLines.push(...lines);
  }
}

/** Workspace state as VS Code keeps it: serialized, read back tolerantly. */
class MemoryStore implements ChoiceStore {
  readonly saved = new Map<string, unknown>();
  get(uri: string): RememberedChoices {
    return deserializeChoices(this.saved.get(uri));
  }
  set(uri: string, choices: RememberedChoices): Promise<void> {
    this.saved.set(uri, JSON.parse(JSON.stringify(serializeChoices(choices))));
    return Promise.resolve();
  }
}

function emulatedTime(h: Harness): Scheduler {
  return {
    now: () => h.clock.now(),
    wait: (ms, signal) => {
      if (signal?.aborted) return Promise.resolve('cancelled');
      h.clock.advance(ms);
      return Promise.resolve('elapsed');
    },
  };
}

interface Setup {
  readonly h: Harness;
  readonly ui: ScriptedUi;
  readonly store: MemoryStore;
  readonly changes: AccountChange[];
  readonly log: string[];
  readonly deps: FlowDeps;
}

/**
 * Statements an account does not know: the flow sends them, and the real emulator answers with its
 * real error through the real driver, because the statement is replaced by one it rejects.
 */
function unknownStatements(sessions: Harness['sessions'], unknown: RegExp): FlowDeps['sessions'] {
  return {
    get: (connection) => sessions.get(connection),
    execute: (connection, statement, options) => sessions.execute(connection, unknown.test(statement) ? `${statement} NOT_A_SNOWFLAKE_FORM` : statement, options),
    submit: (connection, statement, options) => sessions.submit(connection, statement, options),
    queryStatus: (connection, queryId, options) => sessions.queryStatus(connection, queryId, options),
    waitForQuery: (connection, queryId, options) => sessions.waitForQuery(connection, queryId, options),
  };
}

/** The sessions, with SHOW COMPUTE POOLS listing `pool` as being of `family` (a family this emulator cannot create). */
function armFamily(sessions: Harness['sessions'], pool: string, family: string): FlowDeps['sessions'] {
  return {
    ...unknownStatements(sessions, /^$/),
    execute: async (connection, statement, options) => {
      const result = await sessions.execute(connection, statement, options);
      if (!result.ok || !/^SHOW COMPUTE POOLS\b/i.test(statement)) return result;
      const rows = result.value.rows.map((row) => (row['name'] === pool ? { ...row, instance_family: family } : row));
      return { ok: true, value: { ...result.value, rows } };
    },
  };
}

async function setup(t: Parameters<typeof harness>[0], options: { unknown?: RegExp } = {}): Promise<Setup> {
  const h = await harness(t);
  const ui = new ScriptedUi();
  const store = new MemoryStore();
  const changes: AccountChange[] = [];
  const log: string[] = [];
  ui.log = log;
  const deps: FlowDeps = {
    sessions: options.unknown ? unknownStatements(h.sessions, options.unknown) : h.sessions,
    ui,
    store,
    log: { info: (line) => log.push(`info ${line}`), warn: (line) => log.push(`warn ${line}`), error: (line) => log.push(`error ${line}`) },
    queryTimeoutMs: 15_000,
    readinessTimeoutMs: 10 * 60_000,
    connections: () => [printedConnection],
    changed: (change) => changes.push(change),
    scheduler: emulatedTime(h),
    pollMs: 5000,
    now: () => new Date('2026-11-26T01:02:03Z'),
  };
  return { h, ui, store, changes, log, deps };
}

async function describeRow(h: Harness, name: string): Promise<Record<string, unknown> | undefined> {
  const result = await h.sessions.execute(printedConnection, sql.describeService({ database: 'SPCS_DEMO', schema: 'PUBLIC', name }), { timeoutMs: 15_000 });
  return result.ok ? result.value.rows[0] : undefined;
}

describe('deploy command flow (scripted UI, emulator, real driver)', { timeout: 240_000 }, () => {
  it('the first deploy asks everything and remembers it; the second is one click; unchanged is up to date; changed is an upgrade after the diff', { timeout: 90_000 }, async (t) => {
    const { h, ui, store, changes, deps } = await setup(t);
    const uri = 'file:///work/echo.spcs.yaml';
    ui.answers = { connection: printedConnection, pools: ['DEMO_CPU_POOL'], serviceName: 'echo_flow', instances: { min: 1, max: 2 }, warehouse: 'DEMO_WH', integrations: ['DEMO_EAI'], autoResume: true };
    const first = await runDeploy(deps, { spec: specInput(uri, echoSpec('v1')), mode: 'remembered' });
    assert.equal(first.state, 'deployed', first.message);
    assert.ok(first.state === 'deployed');
    assert.equal(first.action, 'create');
    assert.equal(first.readiness?.state, 'ready', first.message);
    assert.equal(first.halfDeployed, false);
    assert.deepEqual(first.service, { connection: printedConnection, database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_FLOW' });
    assert.deepEqual(ui.asked, ['connection', 'pool (current none)', 'serviceName (current ECHO)', 'instances', 'warehouse', 'integrations (DEMO_EAI)', 'autoResume']);
    // The pool picker showed each pool with its fit.
    const offered = ui.poolOptions[0] ?? [];
    assert.equal(offered.find((option) => option.pool.name === 'DEMO_CPU_POOL')?.fit.fits, 'yes');
    assert.ok(ui.progressTitles.some((title) => /Cancel stops watching; the service keeps starting/.test(title)), ui.progressTitles.join('\n'));
    assert.ok(changes.some((change) => change.scope === 'service' && change.service.name === 'ECHO_FLOW' && change.computePool === 'DEMO_CPU_POOL'));
    const row = await describeRow(h, 'ECHO_FLOW');
    assert.equal(row?.['max_instances'], 2);
    assert.equal(row?.['query_warehouse'], 'DEMO_WH');
    const remembered = store.get(uri);
    assert.equal(remembered.pool, 'DEMO_CPU_POOL');
    assert.equal(remembered.serviceName, 'echo_flow');
    assert.deepEqual(remembered.externalAccessIntegrations, ['DEMO_EAI']);

    // One click: nothing is asked; the spec is unchanged, so it is already up to date.
    ui.asked.length = 0;
    ui.answers = {};
    const same = await runDeploy(deps, { spec: specInput(uri, echoSpec('v1')), mode: 'remembered' });
    assert.equal(same.state, 'upToDate', same.message);
    assert.match(same.message, /ECHO_FLOW is already up to date/);
    assert.deepEqual(ui.asked, []);

    // A changed spec: the diff is shown and confirmed, then ALTER SERVICE (never DROP).
    const before = await describeRow(h, 'ECHO_FLOW');
    ui.answers = { confirmUpgrade: false };
    const declined = await runDeploy(deps, { spec: specInput(uri, echoSpec('v2')), mode: 'remembered' });
    assert.equal(declined.state, 'cancelled');
    assert.equal((await describeRow(h, 'ECHO_FLOW'))?.['spec_digest'], before?.['spec_digest'], 'declining changes nothing');
    ui.answers = { confirmUpgrade: true };
    const upgraded = await runDeploy(deps, { spec: specInput(uri, echoSpec('v2')), mode: 'remembered' });
    assert.equal(upgraded.state, 'deployed', upgraded.message);
    assert.ok(upgraded.state === 'deployed' && upgraded.action === 'upgrade');
    assert.equal(upgraded.readiness?.state, 'ready', upgraded.message);
    const diff = ui.upgrades.at(-1)?.diff;
    assert.ok(diff?.changed);
    assert.match(diff.deployed, /echo:v1/);
    assert.match(diff.local, /echo:v2/);
    const after = await describeRow(h, 'ECHO_FLOW');
    assert.notEqual(after?.['spec_digest'], before?.['spec_digest']);
    assert.equal(String(after?.['created_on']), String(before?.['created_on']), 'the same service, upgraded in place');
    assert.deepEqual(ui.asked, ['confirmUpgrade', 'confirmUpgrade']);
  });

  it('"Deploy With New Choices" asks again, pre-filled with the remembered answers', { timeout: 60_000 }, async (t) => {
    const { ui, store, deps } = await setup(t);
    const uri = 'file:///work/again.spcs.yaml';
    await store.set(uri, { connection: printedConnection, pool: 'DEMO_CPU_POOL', serviceName: 'again_svc', minInstances: 1, maxInstances: 1, autoResume: false, externalAccessIntegrations: [], templateValues: {} });
    ui.answers = { connection: printedConnection, pools: ['DEMO_CPU_POOL'], serviceName: 'again_svc', instances: { min: 1, max: 1 }, warehouse: null, integrations: [], autoResume: false };
    const outcome = await runDeploy(deps, { spec: specInput(uri, echoSpec('v1')), mode: 'ask' });
    assert.equal(outcome.state, 'deployed', outcome.message);
    assert.deepEqual(ui.asked, ['connection', 'pool (current DEMO_CPU_POOL)', 'serviceName (current again_svc)', 'instances', 'warehouse', 'integrations (DEMO_EAI)', 'autoResume']);
  });

  it('a GPU spec on the CPU pool is stopped before anything is sent; "Pick Another Pool…" goes on with the GPU pool', { timeout: 60_000 }, async (t) => {
    const { h, ui, deps } = await setup(t);
    const uri = 'file:///work/gpu.spcs.yaml';
    const given = { connection: printedConnection, pool: 'DEMO_CPU_POOL', serviceName: 'gpu_flow', minInstances: 1, maxInstances: 1, autoResume: true, externalAccessIntegrations: [], templateValues: {} };
    // Complete choices from the caller (automation): refused, nothing asked, the notification not awaited.
    const refused = await runDeploy(deps, { spec: specInput(uri, gpuSpec), mode: 'remembered', given });
    assert.equal(refused.state, 'refused');
    assert.ok(refused.state === 'refused');
    assert.equal(refused.refusal.kind, 'poolDoesNotFit');
    assert.equal(refused.message, 'The spec does not fit compute pool DEMO_CPU_POOL: it needs 1 GPU, CPU_X64_S nodes have none. DEMO_GPU_POOL fits.');
    assert.deepEqual(ui.asked, []);
    assert.equal(await describeRow(h, 'GPU_FLOW'), undefined, 'nothing was created');

    // Interactive: the user picks another pool from the refusal.
    ui.answers = { refusal: 'pickAnotherPool', pools: ['DEMO_GPU_POOL'] };
    await deps.store.set(uri, given);
    const retried = await runDeploy(deps, { spec: specInput(uri, gpuSpec), mode: 'remembered' });
    assert.equal(retried.state, 'deployed', retried.message);
    assert.ok(retried.state === 'deployed');
    assert.equal(retried.computePool, 'DEMO_GPU_POOL');
    assert.equal(deps.store.get(uri).pool, 'DEMO_GPU_POOL', 'the new pool is remembered');
    assert.equal((await describeRow(h, 'GPU_FLOW'))?.['compute_pool'], 'DEMO_GPU_POOL');
  });

  it('a pool that cannot fit is refused right after it is picked, naming the pools that fit; nothing is remembered from it', { timeout: 60_000 }, async (t) => {
    const { h, ui, store, deps, log } = await setup(t);
    const uri = 'file:///work/journey-gpu.spcs.yaml';
    ui.answers = { connection: printedConnection, pools: ['DEMO_CPU_POOL'] };
    const refused = await runDeploy(deps, { spec: specInput(uri, gpuSpec), mode: 'remembered' });
    assert.equal(refused.state, 'refused', refused.message);
    assert.ok(refused.state === 'refused');
    // Refused at once: no name, instances, warehouse, integrations or auto-resume asked for a pool that cannot work.
    assert.deepEqual(ui.asked, ['connection', 'pool (current none)']);
    assert.equal(refused.refusal.kind, 'poolDoesNotFit');
    // The refusal names the account's pool that fits (and offers it), not an instance family.
    assert.deepEqual(refused.refusal.fittingPools, ['DEMO_GPU_POOL']);
    assert.match(refused.message, /DEMO_GPU_POOL fits\.$/);
    assert.doesNotMatch(refused.message, /GPU_NV_S|instance family/);
    // Nothing was sent, so nothing is remembered: the code lens does not offer the refused pool.
    assert.deepEqual(store.get(uri), {});
    assert.equal(await describeRow(h, 'JOURNEY_GPU'), undefined);
    // The refusal was in the output channel when it was shown (the notification may stay open).
    assert.ok(ui.logAtRefusal[0]?.some((line) => line.startsWith('warn Deploy refused (poolDoesNotFit): The spec does not fit compute pool DEMO_CPU_POOL')), log.join('\n'));

    // Taking the pool the refusal offers goes on with the other questions, and only then is it remembered.
    ui.asked.length = 0;
    ui.answers = { connection: printedConnection, pools: ['DEMO_CPU_POOL'], refusal: { pool: 'DEMO_GPU_POOL' }, serviceName: 'journey_gpu', instances: { min: 1, max: 1 }, warehouse: null, integrations: [], autoResume: true };
    const deployed = await runDeploy(deps, { spec: specInput(uri, gpuSpec), mode: 'remembered' });
    assert.equal(deployed.state, 'deployed', deployed.message);
    assert.ok(deployed.state === 'deployed');
    assert.equal(deployed.computePool, 'DEMO_GPU_POOL');
    assert.deepEqual(ui.asked, ['connection', 'pool (current none)', 'serviceName (current JOURNEY_GPU)', 'instances', 'warehouse', 'integrations (DEMO_EAI)', 'autoResume']);
    assert.equal(store.get(uri).pool, 'DEMO_GPU_POOL');
    assert.equal((await describeRow(h, 'JOURNEY_GPU'))?.['compute_pool'], 'DEMO_GPU_POOL');
  });

  it('a pool whose fit is not known asks "deploy anyway?" right after it is picked; "Pick Another Pool…" asks again', { timeout: 60_000 }, async (t) => {
    const { h, ui, store, deps: plain } = await setup(t);
    // ARM_POOL as an account in another region lists it: of the family GEN_ARM_G1_2, whose capacity neither SHOW
    // COMPUTE POOL INSTANCE FAMILIES here nor the published table gives, so whether a cpu request fits is not known.
    // (The emulator itself only creates pools of the families its region offers, all with published capacity.)
    h.account.control.run('CREATE COMPUTE POOL ARM_POOL MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS');
    h.account.control.run('GRANT USAGE, MONITOR, OPERATE ON COMPUTE POOL ARM_POOL TO ROLE SPCS_DEVELOPER');
    const deps: FlowDeps = { ...plain, sessions: armFamily(h.sessions, 'ARM_POOL', 'GEN_ARM_G1_2') };
    const uri = 'file:///work/arm.spcs.yaml';
    const text = echoSpec('v1', '      resources:\n        requests:\n          cpu: 1');
    ui.answers = { connection: printedConnection, pools: ['ARM_POOL'] };
    const stopped = await runDeploy(deps, { spec: specInput(uri, text), mode: 'remembered' });
    assert.equal(stopped.state, 'cancelled', stopped.message);
    assert.match(stopped.message, /whether the spec fits ARM_POOL is not known/);
    assert.deepEqual(ui.asked, ['connection', 'pool (current none)', 'uncertainFit ARM_POOL'], 'asked right after the pick, before the name');
    assert.deepEqual(store.get(uri), {});

    ui.asked.length = 0;
    ui.answers = { connection: printedConnection, pools: ['ARM_POOL', 'DEMO_CPU_POOL'], uncertainFit: 'pickAnotherPool', serviceName: 'arm_svc', instances: { min: 1, max: 1 }, warehouse: null, integrations: [], autoResume: true };
    const moved = await runDeploy(deps, { spec: specInput(uri, text), mode: 'remembered' });
    assert.equal(moved.state, 'deployed', moved.message);
    assert.ok(moved.state === 'deployed' && moved.computePool === 'DEMO_CPU_POOL');
    assert.deepEqual(ui.asked.slice(0, 5), ['connection', 'pool (current none)', 'uncertainFit ARM_POOL', 'pool (current ARM_POOL)', 'serviceName (current ARM)']);
  });

  it('logs every outcome in the output channel: refused, cancelled, up to date, failed, half-deployed, deployed', { timeout: 90_000 }, async (t) => {
    const { ui, deps, log } = await setup(t);
    const given = (serviceName: string) => ({ connection: printedConnection, pool: 'DEMO_CPU_POOL', serviceName, minInstances: 1, maxInstances: 1, autoResume: true, externalAccessIntegrations: [], templateValues: {} });
    const lines = async (request: Parameters<typeof runDeploy>[1]): Promise<string[]> => {
      const before = log.length;
      await runDeploy(deps, request);
      return log.slice(before);
    };
    // Refused (an early refusal, and a pool refusal in automation).
    assert.ok((await lines({ spec: specInput('file:///work/x.yaml', 'name: not a spec\n'), mode: 'remembered' })).some((line) => line.startsWith('warn Deploy refused (notASpec)')));
    assert.ok((await lines({ spec: specInput('file:///work/gpu-log.spcs.yaml', gpuSpec), mode: 'remembered', given: given('gpu_log') })).some((line) => line.startsWith('warn Deploy refused (poolDoesNotFit)')));
    // Cancelled: Escape at a question, and a declined upgrade.
    ui.answers = { connection: printedConnection, pools: ['DEMO_CPU_POOL'] };
    ui.escapeAt = 'serviceName';
    assert.ok((await lines({ spec: specInput('file:///work/escape.spcs.yaml', echoSpec('v1')), mode: 'remembered' })).includes('info Deploy: Cancelled: a service name was not chosen, nothing was deployed.'));
    ui.escapeAt = undefined;
    const uri = 'file:///work/logged.spcs.yaml';
    assert.ok((await lines({ spec: specInput(uri, echoSpec('v1')), mode: 'remembered', given: given('logged_svc') })).some((line) => /^info Deploy: Service SPCS_DEMO\.PUBLIC\.LOGGED_SVC is ready/.test(line)));
    assert.ok((await lines({ spec: specInput(uri, echoSpec('v1')), mode: 'remembered' })).some((line) => /^info Deploy: SPCS_DEMO\.PUBLIC\.LOGGED_SVC is already up to date/.test(line)));
    ui.answers = { confirmUpgrade: false };
    assert.ok((await lines({ spec: specInput(uri, echoSpec('v2')), mode: 'remembered' })).includes('info Deploy: Cancelled: SPCS_DEMO.PUBLIC.LOGGED_SVC was not changed.'));
    // Half-deployed (an image that was never pushed).
    assert.ok((await lines({ spec: specInput('file:///work/half.spcs.yaml', echoSpec('9.9.9')), mode: 'remembered', given: given('half_svc') })).some((line) => line.startsWith('error Deploy: Half-deployed:')));
  });

  it('an upgrade that was sent closes the diff it was confirmed on; a declined one leaves it', { timeout: 60_000 }, async (t) => {
    const { ui, deps } = await setup(t);
    const uri = 'file:///work/diffed.spcs.yaml';
    const given = { connection: printedConnection, pool: 'DEMO_CPU_POOL', serviceName: 'diffed', minInstances: 1, maxInstances: 1, autoResume: true, externalAccessIntegrations: [], templateValues: {} };
    assert.equal((await runDeploy(deps, { spec: specInput(uri, echoSpec('v1')), mode: 'remembered', given })).state, 'deployed');
    const commented = `# Echo, for the diff.\n${echoSpec('v2').replace('- name: echo', '- name: echo   # the only one')}`;
    ui.answers = { confirmUpgrade: false };
    assert.equal((await runDeploy(deps, { spec: specInput(uri, commented), mode: 'remembered' })).state, 'cancelled');
    assert.equal(ui.sentUpgrades.length, 0);
    // The diff the user confirms shows the change, not the comments.
    const diff = ui.upgrades[0]?.diff;
    assert.ok(diff);
    assert.doesNotMatch(diff.local.replace(/^#.*\n/, ''), /#/);
    const changed = diff.local.split('\n').filter((line, index) => line !== diff.deployed.split('\n')[index]);
    assert.deepEqual(changed, ['      image: /tutorial_db/data_schema/tutorial_repository/echo:v2']);
    ui.answers = { confirmUpgrade: true };
    assert.equal((await runDeploy(deps, { spec: specInput(uri, commented), mode: 'remembered' })).state, 'deployed');
    assert.equal(ui.sentUpgrades.length, 1);
    assert.equal(ui.sentUpgrades[0], ui.upgrades[1], 'the diff of the upgrade that was sent');
  });

  it('a spec with error diagnostics is refused before anything is asked', { timeout: 30_000 }, async (t) => {
    const { ui, deps } = await setup(t);
    const text = 'spec:\n  containers:\n    - name: Bad_Name\n      image: /tutorial_db/data_schema/tutorial_repository/echo:v1\n';
    const outcome = await runDeploy(deps, { spec: specInput('file:///work/bad.spcs.yaml', text), mode: 'remembered' });
    assert.equal(outcome.state, 'refused');
    assert.ok(outcome.state === 'refused');
    assert.equal(outcome.refusal.kind, 'errors');
    assert.ok((outcome.refusal.diagnostics ?? []).some((diagnostic) => diagnostic.code === 'spcs/invalid-name'));
    assert.deepEqual(ui.asked, []);
    assert.equal(ui.refusals[0]?.kind, 'errors');
  });

  it('an image tag that was never pushed: CREATE goes through, readiness fails, reported as half-deployed with the triage', { timeout: 60_000 }, async (t) => {
    const { h, deps, log, changes } = await setup(t);
    const given = { connection: printedConnection, pool: 'DEMO_CPU_POOL', serviceName: 'echo_missing', minInstances: 1, maxInstances: 1, autoResume: true, externalAccessIntegrations: [], templateValues: {} };
    const outcome = await runDeploy(deps, { spec: specInput('file:///work/missing.spcs.yaml', echoSpec('9.9.9')), mode: 'remembered', given });
    assert.equal(outcome.state, 'deployed', outcome.message);
    assert.ok(outcome.state === 'deployed');
    assert.equal(outcome.halfDeployed, true);
    assert.equal(outcome.readiness?.state, 'failed');
    assert.ok(outcome.readiness?.state === 'failed');
    const [failing] = outcome.readiness.triage.containers;
    assert.equal(failing?.cause, 'image');
    assert.equal(failing?.specLocation?.line, 4);
    assert.match(outcome.message, /^Half-deployed: Service SPCS_DEMO\.PUBLIC\.ECHO_MISSING failed to start: .*Failed to pull image.*nothing was dropped/);
    assert.ok(log.some((line) => /^error\s+spec line 4: image: .*echo:9\.9\.9/.test(line)), log.join('\n'));
    assert.ok(log.some((line) => /no log lines \(the container never started\)/.test(line)), log.join('\n'));
    assert.ok(changes.length >= 1);
    assert.equal((await describeRow(h, 'ECHO_MISSING'))?.['compute_pool'], 'DEMO_CPU_POOL', 'the service exists (it was not dropped)');
  });

  it('a template asks for the variables without a default and remembers the values', { timeout: 60_000 }, async (t) => {
    const { ui, store, deps, h } = await setup(t);
    const uri = 'file:///work/template.spcs.yaml';
    const text = echoSpec('{{ tag }}');
    await store.set(uri, { connection: printedConnection, pool: 'DEMO_CPU_POOL', serviceName: 'echo_tpl', minInstances: 1, maxInstances: 1, autoResume: true, externalAccessIntegrations: [], templateValues: {} });
    ui.answers = { templateValues: { tag: 'v2' } };
    const outcome = await runDeploy(deps, { spec: specInput(uri, text), mode: 'remembered' });
    assert.equal(outcome.state, 'deployed', outcome.message);
    assert.deepEqual(ui.asked, ['template tag']);
    assert.deepEqual(store.get(uri).templateValues, { tag: 'v2' });
    assert.match(String((await describeRow(h, 'ECHO_TPL'))?.['spec']), /echo:v2/);
  });

  it('runs the spec as a job to DONE, following its logs, and tells the views', { timeout: 60_000 }, async (t) => {
    const { ui, deps, changes } = await setup(t);
    const text = ['spec:', '  containers:', '    - name: main', '      image: /tutorial_db/data_schema/tutorial_repository/echo:v1', '      env:', '        SPCS_EMULATOR_JOB_SECONDS: 30', ''].join('\n');
    const outcome = await runJob(deps, { spec: specInput('file:///work/job.spcs.yaml', text), given: { connection: printedConnection, pool: 'DEMO_CPU_POOL', jobName: 'flow_job', replicas: 2, async: true } });
    assert.equal(outcome.state, 'ran', outcome.message);
    assert.ok(outcome.state === 'ran');
    assert.equal(outcome.outcome.state, 'done', outcome.message);
    assert.deepEqual(outcome.job, { connection: printedConnection, database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'FLOW_JOB' });
    assert.deepEqual(ui.asked, []);
    assert.ok(ui.jobLines.length > 0, 'log lines were followed');
    assert.ok(changes.some((change) => change.scope === 'service' && change.service.name === 'FLOW_JOB'));
    assert.equal(value(await deps.sessions.execute(printedConnection, "SHOW SERVICES LIKE 'FLOW_JOB'", { timeoutMs: 15_000 })).rows[0]?.['status'], 'DONE');
  });

  it('an account that knows neither SHOW EXTERNAL ACCESS INTEGRATIONS nor SHOW INTEGRATIONS: the step is skipped and the log says why', { timeout: 60_000 }, async (t) => {
    const { ui, deps, log } = await setup(t, { unknown: /^SHOW (EXTERNAL ACCESS )?INTEGRATIONS/ });
    ui.answers = { connection: printedConnection, pools: ['DEMO_CPU_POOL'], serviceName: 'no_eai', instances: { min: 1, max: 1 }, warehouse: null, autoResume: true };
    const outcome = await runDeploy(deps, { spec: specInput('file:///work/no-eai.spcs.yaml', echoSpec('v1')), mode: 'remembered' });
    assert.equal(outcome.state, 'deployed', outcome.message);
    assert.ok(!ui.asked.some((question) => question.startsWith('integrations')), ui.asked.join(', '));
    assert.ok(log.some((line) => /^warn Deploy: external access integrations cannot be listed here \(\d+: .*\); the integrations step is skipped/.test(line)), log.join('\n'));
  });

  it('SHOW INTEGRATIONS stands in for SHOW EXTERNAL ACCESS INTEGRATIONS where the latter is unknown', { timeout: 30_000 }, async (t) => {
    const { h } = await setup(t);
    const sessions = unknownStatements(h.sessions, /^SHOW EXTERNAL ACCESS INTEGRATIONS/);
    assert.deepEqual(value(await listIntegrations(sessions, printedConnection, 15_000)), ['DEMO_EAI']);
    assert.deepEqual(value(await listIntegrations(h.sessions, printedConnection, 15_000)), ['DEMO_EAI']);
  });

  it('Cancel on the readiness notification stops watching, not the service, and says so', { timeout: 60_000 }, async (t) => {
    const { h, ui, deps } = await setup(t);
    ui.cancelProgress = true;
    const given = { connection: printedConnection, pool: 'DEMO_CPU_POOL', serviceName: 'echo_unwatched', minInstances: 1, maxInstances: 1, autoResume: true, externalAccessIntegrations: [], templateValues: {} };
    const outcome = await runDeploy(deps, { spec: specInput('file:///work/unwatched.spcs.yaml', echoSpec('v1')), mode: 'remembered', given });
    assert.equal(outcome.state, 'deployed', outcome.message);
    assert.ok(outcome.state === 'deployed');
    assert.equal(outcome.readiness?.state, 'cancelled');
    assert.equal(outcome.halfDeployed, false);
    assert.match(outcome.message, /Stopped waiting for SPCS_DEMO\.PUBLIC\.ECHO_UNWATCHED\. The service was created and keeps starting in Snowflake/);
    assert.ok(await describeRow(h, 'ECHO_UNWATCHED'), 'the service is there');
  });

  it('a job the user stops following is cancelled in Snowflake only after confirming', { timeout: 60_000 }, async (t) => {
    const { h, ui, deps } = await setup(t);
    ui.cancelProgress = true;
    ui.answers = { connection: printedConnection, pools: ['DEMO_CPU_POOL'], cancelJob: true, job: { jobName: 'stopped_job', async: true, replicas: 1 } };
    const text = ['spec:', '  containers:', '    - name: main', '      image: /tutorial_db/data_schema/tutorial_repository/echo:v1', ''].join('\n');
    const outcome = await runJob(deps, { spec: specInput('file:///work/stopped.spcs.yaml', text) });
    assert.equal(outcome.state, 'ran', outcome.message);
    assert.ok(outcome.state === 'ran');
    assert.equal(outcome.outcome.state, 'stopped');
    assert.equal(outcome.cancelRequested, true);
    assert.match(outcome.message, /STOPPED_JOB is being cancelled in Snowflake/);
    assert.deepEqual(ui.asked, ['connection', 'pool (current none)', 'job', 'confirmCancelJob']);
    assert.match(String((await describeRow(h, 'STOPPED_JOB'))?.['status']), /^CANCELL(ING|ED)$/);
    assert.deepEqual(deps.store.get('file:///work/stopped.spcs.yaml').job, { async: true, replicas: 1 }, 'the job options are remembered');
  });

  it('a file that is not a spec is refused before anything is asked', async (t) => {
    const { ui, deps } = await setup(t);
    const outcome = await runDeploy(deps, { spec: specInput('file:///work/other.yaml', 'name: not a spec\n'), mode: 'remembered' });
    assert.equal(outcome.state, 'refused');
    assert.ok(outcome.state === 'refused' && outcome.refusal.kind === 'notASpec');
    assert.deepEqual(ui.asked, []);
  });

  it('an upgrade that fails midway (properties set, spec rejected) is reported as half-deployed, with what to do', { timeout: 60_000 }, async (t) => {
    const { h, ui, deps, log } = await setup(t);
    const uri = 'file:///work/midway.spcs.yaml';
    const given = { connection: printedConnection, pool: 'DEMO_CPU_POOL', serviceName: 'echo_midway', minInstances: 1, maxInstances: 1, autoResume: true, externalAccessIntegrations: [], templateValues: {} };
    assert.equal((await runDeploy(deps, { spec: specInput(uri, echoSpec('v1')), mode: 'remembered', given })).state, 'deployed');
    // An image outside the account's registry: a warning in the editor, rejected by Snowflake at ALTER time.
    const outside = echoSpec('v1').replace('/tutorial_db/data_schema/tutorial_repository/echo:v1', 'docker.io/library/busybox:1');
    const outcome = await runDeploy(deps, { spec: specInput(uri, outside), mode: 'remembered', given: { ...given, maxInstances: 2 }, confirmUpgrade: true });
    assert.equal(outcome.state, 'notApplied', outcome.message);
    assert.ok(outcome.state === 'notApplied');
    assert.equal(outcome.halfDeployed, true);
    assert.equal(outcome.apply.state, 'partial');
    assert.match(outcome.message, /^Half-deployed: Setting the service properties .* succeeded, but the spec upgrade .* failed: .*The service is half-updated/s);
    assert.ok(log.some((line) => line.startsWith('error Deploy: Half-deployed:')));
    assert.deepEqual(ui.asked, [], 'confirmUpgrade: true skips the confirmation');
    const row = await describeRow(h, 'ECHO_MIDWAY');
    assert.equal(row?.['max_instances'], 2, 'the properties were set');
    assert.match(String(row?.['spec']), /echo:v1/, 'the spec was not changed');
  });

  it('instances are a number or MIN-MAX', () => {
    assert.deepEqual(parseInstances('3'), { min: 3, max: 3 });
    assert.deepEqual(parseInstances(' 1 - 4 '), { min: 1, max: 4 });
    assert.equal(parseInstances('4-1'), undefined);
    assert.equal(parseInstances('0'), undefined);
    assert.equal(parseInstances('two'), undefined);
  });
});
