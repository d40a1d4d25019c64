/**
 * "Serve a Model…" (client/src/serving/serveModel.ts) against the local SPCS emulator through the
 * real driver, answered by a scripted UI: from nothing (no GPU pool, no repository, no image) to a
 * READY vLLM service with its endpoint URL and its service function; a run cancelled in the middle
 * (the readiness wait, a question) that resumes where it stopped and says so, repeating nothing; a
 * window closed in the middle of a step; and the pure progress model (steps with their marks).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SpcsLanguageService } from '../../server/src/service/languageService';
import type { FlowDeps } from '../../client/src/deploy/flowContract';
import { serveModel } from '../../client/src/serving/serveModel';
import { newRun, readRun, resumeNote, stepRows, type ServeRun } from '../../client/src/serving/serveRun';
import type { ServeDeps } from '../../client/src/serving/serveUi';
import { harness, printedConnection, value, type Harness } from './emulatorHarness';
import { AutomationDeployUi, emulatedScheduler, MemoryChoiceStore, MemoryServeStore, memoryLog, ScriptedServeUi } from './scriptedUis';

const languageService = new SpcsLanguageService();
const registry = 'emulator-spcs-emulator.registry.snowflakecomputing.com';

interface Setup {
  readonly h: Harness;
  readonly ui: ScriptedServeUi;
  readonly deployUi: AutomationDeployUi;
  readonly store: MemoryServeStore;
  readonly log: ReturnType<typeof memoryLog>;
  readonly deps: ServeDeps;
}

function setup(h: Harness, store = new MemoryServeStore(), ui = new ScriptedServeUi()): Setup {
  const deployUi = new AutomationDeployUi();
  const log = memoryLog();
  const deploy: FlowDeps = {
    sessions: h.sessions,
    ui: deployUi,
    store: new MemoryChoiceStore(),
    log,
    queryTimeoutMs: 15_000,
    readinessTimeoutMs: 15 * 60_000,
    connections: () => [printedConnection],
    changed: () => undefined,
    scheduler: emulatedScheduler(h.clock),
    pollMs: 5000,
    now: () => new Date(h.clock.now()),
  };
  const deps: ServeDeps = {
    deploy,
    ui,
    store,
    diagnose: (uri, text) => languageService.validate(TextDocument.create(uri, 'spcs-spec', 1, text)),
    which: (command) => Promise.resolve(command === 'docker' ? '/usr/bin/docker' : undefined),
    shell: 'posix',
  };
  return { h, ui, deployUi, store, log, deps };
}

/** The answers of a first run that creates everything: a GPU_NV_S pool, a repository, and builds and pushes vLLM 0.6.3. */
function answerEverything(s: Setup): void {
  s.ui.answers = {
    connection: printedConnection,
    pool: 'create',
    template: 'vllm',
    templateChoice: (current) => ({ ...current, weights: { kind: 'stage', stage: '@ML_DB.SERVING.MODEL_WEIGHTS', path: 'llama-3.1-8b-instruct' } }),
    repository: 'create',
    image: { tag: '0.6.3', build: true },
    runCommands: () => {
      // The terminal ran the build and the push: the image is in the repository now.
      s.h.account.control.pushImage('SPCS_DEMO.PUBLIC.SERVING_IMAGES', 'vllm-openai', '0.6.3');
      return 'ran';
    },
    serviceFunction: { name: 'llm_complete', signature: '(prompt VARCHAR) RETURNS VARIANT', path: '/v1/completions', run: true },
  };
  s.ui.pools.answers = { family: 'GPU_NV_S', name: 'llm_pool', nodes: { min: 1, max: 1 }, autoResume: true, autoSuspendSecs: 1800, initiallySuspended: false, comment: '', confirmStatement: true };
  s.ui.repositories.answers = { name: 'serving_images', confirmStatement: true };
}

async function functionBody(h: Harness, signature: string): Promise<unknown> {
  const rows = value(await h.sessions.execute(printedConnection, `DESCRIBE FUNCTION SPCS_DEMO.PUBLIC.LLM_COMPLETE(${signature})`, { timeoutMs: 15_000 })).rows;
  return Object.fromEntries(rows.map((row) => [String(row['property']), row['value']]))['body'];
}

describe('the progress of a run (pure)', { timeout: 5000 }, () => {
  it('marks each step and says where a resumed run picks up', () => {
    const fresh = newRun('dev', new Date('2026-01-01T00:00:00Z'));
    assert.equal(resumeNote(fresh), undefined);
    assert.deepEqual(stepRows(fresh).map((row) => row.text), ['○ 1. Compute pool', '○ 2. Template', '○ 3. Image', '○ 4. Deploy and wait until ready', '○ 5. Endpoint URL', '○ 6. Service function']);
    const stopped: ServeRun = {
      ...fresh,
      done: ['pool', 'template', 'image'],
      pool: { name: 'LLM_POOL', family: 'GPU_NV_S', created: true },
      template: { id: 'vllm', serviceName: 'LLM_SERVE', externalAccessIntegrations: [] },
      image: { path: '/spcs_demo/public/serving_images/vllm-openai:0.6.3', tag: '0.6.3', built: true },
      stopped: { step: 'deploy', reason: 'cancelled', message: 'Cancelled at the readiness wait.', at: '2026-01-01T00:05:00Z' },
    };
    assert.deepEqual(stepRows(stopped).map((row) => [row.state, row.icon, row.text]), [
      ['done', '$(pass-filled)', '✓ 1. Compute pool: LLM_POOL (GPU_NV_S, created by this run)'],
      ['done', '$(pass-filled)', '✓ 2. Template: vllm as LLM_SERVE'],
      ['done', '$(pass-filled)', '✓ 3. Image: /spcs_demo/public/serving_images/vllm-openai:0.6.3 (built and pushed)'],
      ['stopped', '$(debug-pause)', '‖ 4. Deploy and wait until ready: Cancelled at the readiness wait.'],
      ['pending', '$(circle-large-outline)', '○ 5. Endpoint URL'],
      ['pending', '$(circle-large-outline)', '○ 6. Service function'],
    ]);
    assert.equal(resumeNote(stopped), 'Resuming Serve a Model at step 4 of 6 (Deploy and wait until ready): the last run was cancelled there. The steps before it are done and are not repeated.');
    const { stopped: _gone, ...closed } = stopped;
    assert.match(resumeNote({ ...closed, current: 'deploy' }) ?? '', /at step 4 of 6 \(Deploy and wait until ready\): the last run did not finish \(the window may have closed\)\./);
    assert.equal(stepRows({ ...closed, current: 'deploy' })[3]?.state, 'current');
    assert.match(resumeNote({ ...stopped, stopped: { step: 'function', reason: 'failed', message: 'Role R may not create functions.', at: '' } }) ?? '', /step 6 of 6 \(Service function\): the last run stopped there \(Role R may not create functions\)\./);
    assert.equal(readRun({ version: 2, connection: 'dev', startedAt: '', done: [] }), undefined, 'another version is not trusted');
    assert.equal(readRun({ version: 1, connection: 'dev', startedAt: '', done: ['nope'] }), undefined);
    assert.deepEqual(readRun(JSON.parse(JSON.stringify(stopped))), stopped);
  });
});

describe('Serve a Model against the emulator (scripted UI, real driver)', { timeout: 300_000 }, () => {
  it('goes from nothing to a READY vLLM service with its URL and its service function (after the GRANT it names)', { timeout: 120_000 }, async (t) => {
    const s = setup(await harness(t));
    answerEverything(s);
    const first = await serveModel(s.deps);
    // Everything up to the service function went through; CREATE FUNCTION needs a grant the demo role lacks.
    assert.equal(first.state, 'stopped', first.message);
    assert.ok(first.state === 'stopped');
    assert.equal(first.reason, 'failed');
    assert.match(first.message, /^Serve a Model stopped at step 6 of 6 \(Service function\): Service function SPCS_DEMO\.PUBLIC\.LLM_COMPLETE was not created\. Role SPCS_DEVELOPER may not create functions in SPCS_DEMO\.PUBLIC: it needs CREATE FUNCTION on schema SPCS_DEMO\.PUBLIC\. An administrator can grant it: GRANT CREATE FUNCTION ON SCHEMA SPCS_DEMO\.PUBLIC TO ROLE SPCS_DEVELOPER\./);
    assert.deepEqual(s.ui.asked, ['connection', 'pool', 'template', 'templateSettings', 'repository', 'image', 'writeProject llm_serve', 'runCommands', 'serviceFunction']);

    // The pool step offered the existing pools with their fit for vLLM, and created a GPU pool from the GPU families.
    const offered = s.ui.poolOptions[0] ?? [];
    assert.equal(offered.find((option) => option.pool.name === 'DEMO_GPU_POOL')?.fit?.fits, 'yes');
    assert.match(offered.find((option) => option.pool.name === 'DEMO_CPU_POOL')?.refusal ?? '', /needs a GPU, and CPU_X64_S nodes have none/);
    assert.deepEqual(s.ui.pools.familyRows[0]?.map((row) => row.name), ['GPU_NV_S', 'GPU_NV_M', 'GPU_NV_L'], 'only GPU families for a GPU pool');
    // The template step showed each template's fit on GPU_NV_S and pre-filled the demo's stage and token secret.
    assert.equal(s.ui.templateOptions[0]?.find((option) => option.template.id === 'vllm')?.fit?.fits, 'yes');
    assert.equal(s.ui.templateOptions[0]?.find((option) => option.template.id === 'tei')?.sizing, '1 × A10G GPU · 4 of 6 vCPU · 19 of 27 GiB (limit 26 GiB) · 0.5 GiB for stage-mount sidecars · /dev/shm 3 GiB');
    const question = s.ui.templateQuestions[0];
    assert.equal(question?.current.huggingFaceTokenSecret, 'ML_DB.SERVING.HF_TOKEN');
    assert.deepEqual(question?.current.weights, { kind: 'stage', stage: '@ML_DB.SERVING.MODEL_WEIGHTS', path: '' });
    assert.ok(question?.integrations.includes('DEMO_EAI'));
    // The exact commands, shown before they ran: build for linux/amd64, login, tag, push.
    assert.deepEqual(s.ui.scripts[0]?.lines, [
      'docker build --platform linux/amd64 -t vllm-openai:0.6.3 .',
      `snow spcs image-registry token --connection spcs_emulator --format=JSON | docker login ${registry} --username 0sessiontoken --password-stdin`,
      `docker tag vllm-openai:0.6.3 ${registry}/spcs_demo/public/serving_images/vllm-openai:0.6.3`,
      `docker push ${registry}/spcs_demo/public/serving_images/vllm-openai:0.6.3`,
    ]);
    assert.equal(s.ui.scripts[0]?.cwd, 'memory:///llm_serve');
    assert.equal(s.ui.scripts[0]?.copyOnly, false);
    // The project: spec, Dockerfile, snowflake.yml.
    assert.deepEqual([...s.ui.files.keys()].sort(), ['memory:///llm_serve/Dockerfile', 'memory:///llm_serve/service.spcs.yaml', 'memory:///llm_serve/snowflake.yml']);
    const spec = s.ui.files.get('memory:///llm_serve/service.spcs.yaml') ?? '';
    assert.match(spec, /^# spcs: instance-family=GPU_NV_S pool=LLM_POOL\n/);
    assert.match(spec, /image: \/spcs_demo\/public\/serving_images\/vllm-openai:0\.6\.3\n/);
    // The service is READY and its endpoint has a URL.
    const status = value(await s.h.sessions.execute(printedConnection, "SELECT SYSTEM$GET_SERVICE_STATUS('SPCS_DEMO.PUBLIC.LLM_SERVE')", { timeoutMs: 15_000 }));
    assert.match(String(Object.values(status.rows[0] ?? {})[0]), /"status":"READY"/);
    assert.match(s.ui.endpoints[0]?.url ?? '', /^https:\/\/[a-z0-9]{8}-emulator-spcs-emulator\.snowflakecomputing\.app$/);
    assert.equal(s.ui.endpoints[0]?.endpoint, 'api');
    // The service function SQL was opened, with the truth about vLLM's API.
    assert.match(s.ui.sql[0] ?? '', /^-- vLLM OpenAI-compatible server \(GPU\) answers its own API on \/v1\/completions; a service function posts/);
    assert.match(s.ui.sql[0] ?? '', /\nCREATE FUNCTION SPCS_DEMO\.PUBLIC\.LLM_COMPLETE\(PROMPT VARCHAR\)\n {2}RETURNS VARIANT\n {2}SERVICE = SPCS_DEMO\.PUBLIC\.LLM_SERVE\n {2}ENDPOINT = api\n {2}AS '\/v1\/completions';\n/);
    const shownRows = s.ui.shown.at(-1)?.rows.map((row) => row.state);
    assert.deepEqual(shownRows, ['done', 'done', 'done', 'done', 'done', 'failed']);

    // The administrator grants it; the next run resumes at the service function and says so.
    s.h.account.control.run('GRANT CREATE FUNCTION ON SCHEMA SPCS_DEMO.PUBLIC TO ROLE SPCS_DEVELOPER', { role: 'ACCOUNTADMIN' });
    s.ui.asked.length = 0;
    const second = await serveModel(s.deps);
    assert.equal(second.state, 'served', second.message);
    assert.ok(second.state === 'served');
    assert.deepEqual(s.ui.asked, ['serviceFunction'], 'nothing before the function is asked again');
    assert.match(s.ui.shown.find((shown) => shown.note !== undefined)?.note ?? '', /^Resuming Serve a Model at step 6 of 6 \(Service function\): the last run stopped there \(Service function SPCS_DEMO\.PUBLIC\.LLM_COMPLETE was not created/);
    assert.equal(second.serviceFunction?.created, true);
    assert.equal(await functionBody(s.h, 'VARCHAR'), '/v1/completions');
    assert.match(second.message, /^SPCS_DEMO\.PUBLIC\.LLM_SERVE serves vllm on LLM_POOL at https:\/\/.*; service function SPCS_DEMO\.PUBLIC\.LLM_COMPLETE was created\.$/);
    assert.deepEqual(s.ui.shown.at(-1)?.rows.map((row) => row.state), ['done', 'done', 'done', 'done', 'done', 'done']);
    assert.equal(value(await s.h.sessions.execute(printedConnection, "SHOW COMPUTE POOLS LIKE 'LLM_POOL'", { timeoutMs: 15_000 })).rows.length, 1, 'one pool, created once');
  });

  it('resumes after a cancel in the middle (the readiness wait), repeating nothing, and says so', { timeout: 120_000 }, async (t) => {
    const s = setup(await harness(t));
    answerEverything(s);
    s.ui.answers = { ...s.ui.answers, serviceFunction: 'skip' };
    s.deployUi.cancelAtFirstReport = true;
    const first = await serveModel(s.deps);
    assert.equal(first.state, 'stopped', first.message);
    assert.ok(first.state === 'stopped');
    assert.equal(first.reason, 'cancelled');
    assert.match(first.message, /^Serve a Model stopped at step 4 of 6 \(Deploy and wait until ready\): Cancelled at the readiness wait \(LLM_SERVE keeps starting in Snowflake; the next run watches it again\)\. Run Serve a Model again to resume there/);
    const stored = readRun(s.store.get());
    assert.deepEqual(stored?.done, ['pool', 'template', 'image']);
    assert.equal(stored?.stopped?.step, 'deploy');
    assert.deepEqual(stored?.service, { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'LLM_SERVE' }, 'what the step did before the cancel is kept');

    const askedBefore = s.ui.asked.length;
    const poolStatements = s.ui.pools.statements.length;
    const second = await serveModel(s.deps);
    assert.equal(second.state, 'served', second.message);
    assert.deepEqual(s.ui.asked.slice(askedBefore), ['serviceFunction'], 'no pool, template or image question again');
    assert.equal(s.ui.pools.statements.length, poolStatements, 'the pool is not created again');
    assert.equal(s.ui.shown.filter((shown) => shown.note !== undefined).at(-1)?.note, 'Resuming Serve a Model at step 4 of 6 (Deploy and wait until ready): the last run was cancelled there. The steps before it are done and are not repeated.');
    assert.ok(s.log.lines.some((line) => line.startsWith('info Serve a Model: Resuming Serve a Model at step 4 of 6')), 'the log says so too');
    assert.ok(s.deployUi.reports.some((report) => report.state === 'upToDate'), 'the second deploy found the service as the first one left it');
    assert.deepEqual(s.ui.shown.at(-1)?.rows.map((row) => row.state), ['done', 'done', 'done', 'done', 'done', 'skipped']);

    // A finished run is not resumed: the next one starts over and finds what exists.
    s.ui.asked.length = 0;
    s.ui.answers = { ...s.ui.answers, pool: 'LLM_POOL', repository: 'SPCS_DEMO.PUBLIC.SERVING_IMAGES', image: { tag: '0.6.3', build: false } };
    const third = await serveModel(s.deps);
    assert.equal(third.state, 'served', third.message);
    assert.deepEqual(s.ui.asked, ['connection', 'pool', 'template', 'templateSettings', 'repository', 'image', 'writeProject llm_serve', 'serviceFunction'], 'a new run writes its files (the editor keeps what is unchanged); the service is up to date');
    assert.ok(s.deployUi.reports.filter((report) => report.state === 'upToDate').length >= 2);
    assert.deepEqual(s.ui.imageQuestions.at(-1)?.tags, ['0.6.3']);
  });

  it('resumes at a question that was cancelled, and after a window closed in the middle of a step', { timeout: 120_000 }, async (t) => {
    const s = setup(await harness(t));
    answerEverything(s);
    s.ui.answers = { ...s.ui.answers, image: undefined, serviceFunction: 'skip' };
    const escaped = await serveModel(s.deps);
    assert.equal(escaped.state, 'stopped');
    assert.match(escaped.message, /stopped at step 3 of 6 \(Image\): Cancelled at the image\./);

    // The window closes while the build runs: the store then holds the run in the middle of the image step.
    let snapshot: unknown;
    s.ui.answers = {
      ...s.ui.answers,
      image: { tag: '0.6.3', build: true },
      runCommands: () => {
        snapshot = s.store.get();
        s.h.account.control.pushImage('SPCS_DEMO.PUBLIC.SERVING_IMAGES', 'vllm-openai', '0.6.3');
        return 'ran';
      },
    };
    s.ui.asked.length = 0;
    const resumed = await serveModel(s.deps);
    assert.equal(resumed.state, 'served', resumed.message);
    assert.deepEqual(s.ui.asked, ['image', 'writeProject llm_serve', 'runCommands', 'serviceFunction']);
    assert.equal(readRun(snapshot)?.current, 'image');

    const reopened = setup(s.h, new MemoryServeStore(snapshot));
    reopened.ui.answers = { image: { tag: '0.6.3', build: false }, serviceFunction: 'skip' };
    const afterClose = await serveModel(reopened.deps);
    assert.equal(afterClose.state, 'served', afterClose.message);
    assert.equal(reopened.ui.shown[0]?.note, 'Resuming Serve a Model at step 3 of 6 (Image): the last run did not finish (the window may have closed). The steps before it are done and are not repeated.');
    assert.deepEqual(reopened.ui.asked, ['image', 'writeProject llm_serve', 'serviceFunction'], 'a pushed tag is picked, nothing is built again');
  });

  it('without a container CLI offers the commands to copy and waits until the tag is in the repository; a step that throws keeps the run', { timeout: 120_000 }, async (t) => {
    const s = setup(await harness(t));
    answerEverything(s);
    const deps: ServeDeps = { ...s.deps, which: () => Promise.resolve(undefined) };
    let looks = 0;
    s.ui.answers = {
      ...s.ui.answers,
      serviceFunction: 'skip',
      runCommands: () => 'copied',
      waitForPush: () => {
        looks++;
        // The user pushes from another machine; the second look finds it.
        if (looks === 2) s.h.account.control.pushImage('SPCS_DEMO.PUBLIC.SERVING_IMAGES', 'vllm-openai', '0.6.3');
        return 'check';
      },
    };
    const served = await serveModel(deps);
    assert.equal(served.state, 'served', served.message);
    const script = s.ui.scripts[0];
    assert.equal(script?.copyOnly, true);
    assert.match(script?.note ?? '', /^No container CLI was found on PATH \(looked for docker, podman, nerdctl\)\..* Run these commands where a container CLI is installed, then come back\.$/);
    assert.equal(s.ui.imageQuestions[0]?.cli.found, false);
    assert.equal(looks, 2);
    assert.match(s.ui.waitMessages[0] ?? '', /vllm-openai:0\.6\.3 is not in the repository yet\. When the push has finished, look again\./);

    // A UI that fails in the middle of a step: the run is kept, stopped there, and the error goes on.
    const broken = setup(s.h);
    broken.ui.answers = { connection: printedConnection, pool: 'DEMO_GPU_POOL' };
    broken.ui.pickTemplate = () => Promise.reject(new Error('the window went away'));
    await assert.rejects(serveModel(broken.deps), /the window went away/);
    const kept = readRun(broken.store.get());
    assert.deepEqual(kept?.done, ['pool']);
    assert.deepEqual(kept?.stopped && [kept.stopped.step, kept.stopped.reason, kept.stopped.message], ['template', 'failed', 'Template failed unexpectedly: the window went away']);
  });
});
