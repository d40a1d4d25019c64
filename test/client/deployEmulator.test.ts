/**
 * The deploy core against the local SPCS emulator with the real driver: the pool QuickPick's fit,
 * create → readiness, upgrade after a diff, a missing image tag triaged down to the spec line, a
 * template with USING values, and jobs (sync with replicas to DONE, async to FAILED with triage).
 *
 * Time is the emulator's ManualClock: the readiness gate and the job follower get a scheduler whose
 * `wait` advances that clock, so nothing sleeps. Every test has a timeout and stops its emulator
 * (the harness does, in `t.after`).
 */

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SpcsLanguageService } from '../../server/src/service/languageService';
import { isComplete, type DeployChoices, type JobChoices } from '../../client/src/specs/deployChoices';
import { applyPlan } from '../../client/src/deploy/applyPlan';
import { describeExistingService, targetObject } from '../../client/src/specs/deployedService';
import { planDeploy } from '../../client/src/deploy/deployPlan';
import { type DeployPlan } from '../../client/src/deploy/plans';
import { planJob, type JobPlan } from '../../client/src/deploy/planJob';
import { serviceTarget } from '../../client/src/deploy/serviceNames';
import { executeJob, type JobLogLine } from '../../client/src/deploy/executeJob';
import { loadPoolsAndFamilies, poolFit, type PoolFit } from '../../client/src/deploy/poolFit';
import { serviceSnapshot } from '../../client/src/deploy/serviceSnapshot';
import { watchReadiness, type Scheduler } from '../../client/src/deploy/readiness';
import { triageService } from '../../client/src/deploy/triage';
import * as sql from '../../client/src/snowflake/sql';
import { harness, printedConnection, value, type Harness } from './emulatorHarness';

const samplesDir = path.join(__dirname, '..', '..', 'samples');
const statement = { timeoutMs: 15_000 } as const;
const languageService = new SpcsLanguageService();

function sample(file: string): string {
  return fs.readFileSync(path.join(samplesDir, file), 'utf8');
}

/** Waiting advances emulated time: the gate polls, then the clock moves on by the poll interval. */
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

function choices(overrides: Partial<DeployChoices>): DeployChoices {
  const merged = {
    connection: printedConnection,
    pool: 'DEMO_CPU_POOL',
    serviceName: 'deploy_test',
    database: 'SPCS_DEMO',
    schema: 'PUBLIC',
    minInstances: 1,
    maxInstances: 1,
    externalAccessIntegrations: [],
    autoResume: true,
    templateValues: {},
    ...overrides,
  };
  assert.ok(isComplete(merged));
  return merged;
}

/** What the UI does before planning: the fit on the chosen pool (live families), the diagnostics, DESCRIBE. */
async function prepare(h: Harness, text: string, uri: string, chosen: DeployChoices): Promise<{ fit: PoolFit; plan: DeployPlan }> {
  const listed = value(await loadPoolsAndFamilies(h.sessions, printedConnection, statement));
  assert.equal(listed.families.source, 'live');
  const pool = listed.pools.find((candidate) => candidate.name === chosen.pool);
  assert.ok(pool, `pool ${chosen.pool} is listed`);
  const fit = poolFit(text, pool, listed.families, { uri });
  const diagnostics = languageService.validate(TextDocument.create(uri, 'spcs-spec', 1, text));
  const target = serviceTarget(chosen);
  assert.ok(target.ok);
  const existing = value(await describeExistingService(h.sessions, printedConnection, target.target, statement));
  return { fit, plan: planDeploy({ specText: text, specUri: uri, diagnostics, choices: chosen, existing, poolFit: fit }) };
}

function okPlan(plan: DeployPlan): Extract<DeployPlan, { ok: true }> {
  assert.ok(plan.ok, plan.ok ? '' : `refused: ${plan.refusal.kind}: ${plan.refusal.message}`);
  return plan;
}

async function describeRow(h: Harness, name: string): Promise<Record<string, unknown>> {
  return value(await h.sessions.execute(printedConnection, sql.describeService({ database: 'SPCS_DEMO', schema: 'PUBLIC', name }), statement)).rows[0] ?? {};
}

describe('deploy core against the emulator (real driver, ManualClock)', { timeout: 180_000 }, () => {
  it('deploys samples/vllm-gpu.spcs.yaml to DEMO_GPU_POOL and waits until it is ready', { timeout: 60_000 }, async (t) => {
    const h = await harness(t);
    const uri = 'file:///work/samples/vllm-gpu.spcs.yaml';
    const chosen = choices({ pool: 'DEMO_GPU_POOL', serviceName: 'vllm_chat', externalAccessIntegrations: ['DEMO_EAI'], queryWarehouse: 'DEMO_WH' });
    const { fit, plan } = await prepare(h, sample('vllm-gpu.spcs.yaml'), uri, chosen);
    assert.equal(fit.fits, 'yes');
    assert.equal(fit.familySource, 'live');
    assert.deepEqual(fit.gpus, { needed: 4, available: 4, perContainer: [{ container: 'vllm', gpus: 4 }] });
    const create = okPlan(plan);
    assert.equal(create.action, 'create');
    assert.equal(create.sql.length, 1);
    assert.match(create.sql[0] ?? '', /^CREATE SERVICE SPCS_DEMO\.PUBLIC\.VLLM_CHAT\n {2}IN COMPUTE POOL DEMO_GPU_POOL\n {2}FROM SPECIFICATION \$\$/);
    assert.match(create.sql[0] ?? '', /EXTERNAL_ACCESS_INTEGRATIONS = \(DEMO_EAI\)[\s\S]*QUERY_WAREHOUSE = DEMO_WH/);

    const applied = await applyPlan(h.sessions, printedConnection, create, statement);
    assert.equal(applied.state, 'complete', applied.message);
    const progress: string[] = [];
    const ready = await watchReadiness(h.sessions, printedConnection, targetObject(create.target), {
      scheduler: emulatedTime(h),
      pollMs: 5000,
      timeoutMs: 10 * 60_000,
      onProgress: (step) => progress.push(step.message),
    });
    assert.equal(ready.state, 'ready', ready.message);
    assert.ok(ready.state === 'ready' && ready.instances.every((instance) => instance.status === 'READY'));
    assert.ok(progress.some((message) => /0 of 1 instance ready/.test(message)), progress.join('\n'));
    assert.match(ready.message, /VLLM_CHAT is ready: 1 instance READY/);
  });

  it('stops the same spec before deploying it to DEMO_CPU_POOL: GPUs on a CPU family', { timeout: 30_000 }, async (t) => {
    const h = await harness(t);
    const uri = 'file:///work/samples/vllm-gpu.spcs.yaml';
    const chosen = choices({ pool: 'DEMO_CPU_POOL', serviceName: 'vllm_on_cpu' });
    const { fit, plan } = await prepare(h, sample('vllm-gpu.spcs.yaml'), uri, chosen);
    assert.equal(fit.fits, 'no');
    assert.equal(fit.family?.name, 'CPU_X64_S');
    assert.deepEqual(fit.gpus, { needed: 4, available: 0, perContainer: [{ container: 'vllm', gpus: 4 }] });
    assert.equal(fit.reasons[0], 'needs 4 GPUs, CPU_X64_S nodes have none');
    assert.match(fit.problems[0]?.message ?? '', /asks for 4 GPUs, but CPU_X64_S nodes have no GPU/);
    assert.equal(fit.problems[0]?.range?.start.line, 12, 'the GPU request (line 13)');
    assert.ok(!plan.ok);
    assert.equal(plan.refusal.kind, 'poolDoesNotFit');
    assert.match(plan.refusal.message, /^The spec does not fit compute pool DEMO_CPU_POOL: it needs 4 GPUs, CPU_X64_S nodes have none/);
    // Nothing was sent: the service does not exist.
    const target = serviceTarget(chosen);
    assert.ok(target.ok);
    assert.equal(value(await describeExistingService(h.sessions, printedConnection, target.target, statement)), undefined);
  });

  it('a second deploy of a changed spec is an upgrade (ALTER SERVICE after a diff); spec_digest changes', { timeout: 60_000 }, async (t) => {
    const h = await harness(t);
    const uri = 'file:///work/samples/vllm-gpu.spcs.yaml';
    const chosen = choices({ pool: 'DEMO_GPU_POOL', serviceName: 'vllm_upgrade' });
    const first = okPlan((await prepare(h, sample('vllm-gpu.spcs.yaml'), uri, chosen)).plan);
    assert.equal((await applyPlan(h.sessions, printedConnection, first, statement)).state, 'complete');
    const scheduler = emulatedTime(h);
    assert.equal((await watchReadiness(h.sessions, printedConnection, targetObject(first.target), { scheduler })).state, 'ready');
    const before = await describeRow(h, 'VLLM_UPGRADE');

    const changed = sample('vllm-gpu.spcs.yaml').replace('vllm-openai:0.6.3', 'vllm-openai:0.6.2').replace('VLLM_API_KEY: local-only', 'VLLM_API_KEY: rotated');
    const upgrade = okPlan((await prepare(h, changed, uri, { ...chosen, maxInstances: 2 })).plan);
    assert.equal(upgrade.action, 'upgrade');
    assert.ok(upgrade.diff, 'the deployed spec is shown next to the local one');
    assert.equal(upgrade.diff.changed, true);
    assert.match(upgrade.diff.deployed, /vllm-openai:0\.6\.3/);
    assert.doesNotMatch(upgrade.diff.deployed, /sha256/);
    assert.match(upgrade.diff.local, /vllm-openai:0\.6\.2/);
    assert.equal(upgrade.sql.length, 2);
    assert.match(upgrade.sql[0] ?? '', /^ALTER SERVICE SPCS_DEMO\.PUBLIC\.VLLM_UPGRADE SET MIN_INSTANCES = 1 MAX_INSTANCES = 2$/);
    assert.match(upgrade.sql[1] ?? '', /^ALTER SERVICE SPCS_DEMO\.PUBLIC\.VLLM_UPGRADE\n {2}FROM SPECIFICATION \$\$/);
    assert.ok(upgrade.sql.every((text) => !/\bDROP\b/i.test(text)));

    const applied = await applyPlan(h.sessions, printedConnection, upgrade, statement);
    assert.equal(applied.state, 'complete', applied.message);
    assert.match(applied.message, /is upgrading/);
    const ready = await watchReadiness(h.sessions, printedConnection, targetObject(upgrade.target), { scheduler, action: 'upgrade' });
    assert.equal(ready.state, 'ready', ready.message);
    assert.match(ready.message, /on the new spec/);
    const after = await describeRow(h, 'VLLM_UPGRADE');
    assert.notEqual(after['spec_digest'], before['spec_digest']);
    assert.equal(after['max_instances'], 2);
    assert.equal(after['created_on']?.toString(), before['created_on']?.toString(), 'the same service: never dropped and re-created');
    assert.ok(ready.state === 'ready' && ready.instances.every((instance) => instance.specDigest === after['spec_digest']));
  });

  it('a spec whose image tag was never pushed: readiness fails with triage pointing at `image:`', { timeout: 60_000 }, async (t) => {
    const h = await harness(t);
    const uri = 'file:///work/reporting.spcs.yaml';
    const text = [
      '# The reporting API, on a tag that was never pushed.',
      'spec:',
      '  containers:',
      '    - name: api',
      '      image: /spcs_demo/public/demo_repo/reporting-api:9.9.9',
      '      readinessProbe:',
      '        port: 8080',
      '        path: /ready',
      '  endpoints:',
      '    - name: api',
      '      port: 8080',
      '',
    ].join('\n');
    const plan = okPlan((await prepare(h, text, uri, choices({ serviceName: 'reporting_missing' }))).plan);
    assert.equal((await applyPlan(h.sessions, printedConnection, plan, statement)).state, 'complete', 'CREATE accepts a missing tag in an existing repository');
    const result = await watchReadiness(h.sessions, printedConnection, targetObject(plan.target), { scheduler: emulatedTime(h), spec: { text, uri }, logLines: 20 });
    assert.equal(result.state, 'failed', result.message);
    assert.ok(result.state === 'failed');
    const [failing] = result.triage.containers;
    assert.ok(failing);
    assert.equal(failing.container, 'api');
    assert.equal(failing.status, 'FAILED');
    assert.match(failing.message, /Failed to pull image/);
    assert.equal(failing.cause, 'image');
    assert.deepEqual(failing.logLines, [], 'the container never started, so it has no log lines');
    assert.equal(failing.logError, undefined, 'the logs were read (and are empty)');
    assert.equal(failing.previousLogs, false);
    assert.deepEqual(failing.specLocation?.range, { start: { line: 4, character: 13 }, end: { line: 4, character: 60 } });
    assert.equal(failing.specLocation?.line, 5);
    assert.equal(failing.specLocation?.lineText, 'image: /spcs_demo/public/demo_repo/reporting-api:9.9.9');
    assert.match(result.message, /Failed to pull image \(spec line 5: 'image: \/spcs_demo\/public\/demo_repo\/reporting-api:9\.9\.9'\)/);
    assert.match(result.message, /nothing was dropped/);
  });

  it('triage of a restarted container reads its previous logs and points an OOM kill at the memory limit', { timeout: 30_000 }, async (t) => {
    const h = await harness(t);
    const service = { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'LLM_SERVICE' };
    const snapshot = value(await serviceSnapshot(h.sessions, printedConnection, service, statement));
    const vllm = snapshot.containers.find((container) => container.container === 'vllm');
    assert.ok(vllm && vllm.restartCount > 0, 'the seed restarted vllm once');
    // The gate triages FAILED containers; present this one as an OOM kill.
    const failed = { ...snapshot, containers: snapshot.containers.map((container) => (container === vllm ? { ...container, status: 'FAILED', message: 'OOMKilled', lastExitCode: 137 } : container)) };
    const text = sample('vllm-gpu.spcs.yaml');
    const triage = await triageService(h.sessions, printedConnection, service, failed, { spec: { text, uri: 'file:///vllm.yaml' }, logLines: 5 });
    const [item] = triage.containers;
    assert.ok(item);
    assert.equal(item.previousLogs, true);
    assert.ok(item.logLines.length > 0 && item.logLines.length <= 5, item.logLines.join('\n'));
    assert.equal(item.cause, 'outOfMemory');
    assert.equal(item.specLocation?.what, 'resources.limits.memory');
    assert.equal(item.specLocation?.lineText, 'memory: 160Gi');
  });

  it('deploys a template with USING values (and asks for the ones without a default)', { timeout: 60_000 }, async (t) => {
    const h = await harness(t);
    const uri = 'file:///work/samples/echo-template.spcs.yaml';
    const text = sample('echo-template.spcs.yaml');
    const missing = (await prepare(h, text, uri, choices({ serviceName: 'echo_templated' }))).plan;
    assert.ok(!missing.ok);
    assert.equal(missing.refusal.kind, 'missingTemplateValues');
    assert.deepEqual(missing.refusal.missing, ['tag', 'port']);

    const chosen = choices({ serviceName: 'echo_templated', templateValues: { tag: 'v1', port: '8000', replicas_env: '{"LOG_LEVEL": "debug"}' } });
    const plan = okPlan((await prepare(h, text, uri, chosen)).plan);
    assert.equal(plan.templated, true);
    assert.match(plan.sql[0] ?? '', /FROM SPECIFICATION_TEMPLATE '[\s\S]*' USING \(tag => '"v1"', replicas_env => '\{"LOG_LEVEL": "debug"\}', port => '"8000"'\)/);
    assert.match(plan.renderedSpec, /echo:v1\n {6}env: \{"LOG_LEVEL":"debug"\}/);
    assert.equal((await applyPlan(h.sessions, printedConnection, plan, statement)).state, 'complete');
    const ready = await watchReadiness(h.sessions, printedConnection, targetObject(plan.target), { scheduler: emulatedTime(h) });
    assert.equal(ready.state, 'ready', ready.message);
    const described = await describeRow(h, 'ECHO_TEMPLATED');
    assert.match(String(described['spec']), /echo:v1/);
    assert.match(String(described['spec']), /LOG_LEVEL: debug/);
  });

  it('runs a job synchronously with 2 replicas to DONE, following its logs', { timeout: 60_000 }, async (t) => {
    const h = await harness(t);
    const text = sample('nightly-job.spcs.yaml');
    const job = await prepareJob(h, text, { jobName: 'nightly_run', replicas: 2, async: false });
    assert.match(job.sql, /EXECUTE JOB SERVICE\n {2}IN COMPUTE POOL DEMO_GPU_POOL[\s\S]*NAME = SPCS_DEMO\.PUBLIC\.NIGHTLY_RUN\n {2}ASYNC = FALSE\n {2}REPLICAS = 2/);
    const lines: JobLogLine[] = [];
    const progress: string[] = [];
    const outcome = await executeJob(h.sessions, printedConnection, job, {
      scheduler: emulatedTime(h),
      pollMs: 10_000,
      timeoutMs: 10 * 60_000,
      onLog: (batch) => lines.push(...batch),
      onProgress: (step) => progress.push(step.message),
      spec: { text, uri: 'file:///nightly.yaml' },
    });
    assert.equal(outcome.state, 'done', outcome.message);
    assert.ok(outcome.state === 'done');
    assert.equal(outcome.snapshot.instances.length, 2);
    assert.ok(outcome.snapshot.instances.every((instance) => instance.status === 'SUCCEEDED'));
    assert.match(outcome.message, /DONE \(2 replicas succeeded\)/);
    assert.equal(outcome.logError, undefined);
    assert.deepEqual([...new Set(lines.map((line) => line.instanceId))].sort(), ['0', '1'], 'logs of both replicas');
    const keys = lines.map((line) => `${line.instanceId}|${line.timestamp ?? ''}|${line.text}`);
    assert.equal(new Set(keys).size, keys.length, 'no log line reported twice');
    assert.ok(progress.some((message) => /^RUNNING/.test(message)), progress.join('\n'));
  });

  it('runs a failing job asynchronously: FAILED with triage and its last log lines', { timeout: 60_000 }, async (t) => {
    const h = await harness(t);
    const text = sample('nightly-job.spcs.yaml').replace('xgboost-trainer:1.8.0', 'xgboost-trainer:1.9.0-fail');
    const job = await prepareJob(h, text, { jobName: 'nightly_fail', replicas: 3, async: true });
    assert.match(job.sql, /ASYNC = TRUE\n {2}REPLICAS = 3/);
    const outcome = await executeJob(h.sessions, printedConnection, job, { scheduler: emulatedTime(h), pollMs: 10_000, spec: { text, uri: 'file:///nightly.yaml' }, logLines: 10 });
    assert.equal(outcome.state, 'failed', outcome.message);
    assert.ok(outcome.state === 'failed');
    const [failing] = outcome.triage.containers;
    assert.ok(failing);
    assert.equal(failing.container, 'trainer');
    assert.equal(failing.status, 'FAILED');
    assert.equal(failing.lastExitCode, 1);
    assert.equal(failing.cause, 'application');
    assert.ok(failing.logLines.length > 0 && failing.logLines.length <= 10);
    assert.equal(failing.specLocation?.lineText, '- name: trainer');
    assert.match(outcome.message, /^Job SPCS_DEMO\.PUBLIC\.NIGHTLY_FAIL failed: container 'trainer'/);
    const described = await describeRow(h, 'NIGHTLY_FAIL');
    assert.equal(described['status'], 'FAILED');
  });
});

describe('jobs Snowflake refuses (real driver, emulator)', { timeout: 60_000 }, () => {
  it('a synchronous job with a spec the server rejects ends as "not started", with the server\'s reason', { timeout: 30_000 }, async (t) => {
    const h = await harness(t);
    // An image outside the account's registry: the emulator (like Snowflake) rejects the statement.
    const text = 'spec:\n  containers:\n    - name: main\n      image: docker.io/library/busybox:1\n';
    const job = await prepareJob(h, text, { jobName: 'rejected_run', replicas: 1, async: false });
    const outcome = await executeJob(h.sessions, printedConnection, job, { scheduler: emulatedTime(h), pollMs: 5000, onLog: () => undefined });
    assert.equal(outcome.state, 'error', outcome.message);
    assert.ok(outcome.state === 'error');
    assert.equal(outcome.submitted, false);
    assert.match(outcome.message, /^Snowflake did not start job SPCS_DEMO\.PUBLIC\.REJECTED_RUN: .*images must be pushed to an image repository/);
  });

  it('an asynchronous job with a spec the server rejects fails at once', { timeout: 30_000 }, async (t) => {
    const h = await harness(t);
    const text = 'spec:\n  containers:\n    - name: main\n      image: docker.io/library/busybox:1\n';
    const job = await prepareJob(h, text, { jobName: 'rejected_async', replicas: 1, async: true });
    const outcome = await executeJob(h.sessions, printedConnection, job, { scheduler: emulatedTime(h) });
    assert.equal(outcome.state, 'error', outcome.message);
    assert.ok(outcome.state === 'error' && !outcome.submitted);
  });
});

async function prepareJob(h: Harness, text: string, job: Pick<JobChoices, 'jobName' | 'replicas' | 'async'>): Promise<Extract<JobPlan, { ok: true }>> {
  const chosen: JobChoices = { connection: printedConnection, pool: 'DEMO_GPU_POOL', database: 'SPCS_DEMO', schema: 'PUBLIC', externalAccessIntegrations: [], templateValues: {}, ...job };
  const listed = value(await loadPoolsAndFamilies(h.sessions, printedConnection, statement));
  const pool = listed.pools.find((candidate) => candidate.name === chosen.pool);
  assert.ok(pool);
  const target = serviceTarget({ serviceName: chosen.jobName, database: chosen.database, schema: chosen.schema }, 'job');
  assert.ok(target.ok);
  const existing = value(await describeExistingService(h.sessions, printedConnection, target.target, statement));
  const uri = 'file:///work/samples/nightly-job.spcs.yaml';
  const plan = planJob({ specText: text, specUri: uri, diagnostics: languageService.validate(TextDocument.create(uri, 'spcs-spec', 1, text)), choices: chosen, existing, poolFit: poolFit(text, pool, listed.families) });
  assert.ok(plan.ok, plan.ok ? '' : plan.refusal.message);
  return plan;
}
