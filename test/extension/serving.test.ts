/**
 * "Serve a Model…", "New Service Spec…" and "Build and Push Image…" in a real extension host against
 * the emulator (testAccount.ts). Serve a Model goes from nothing (no GPU pool, no repository) to a
 * READY vLLM service with its endpoint URL and service function, across two runs: the first is
 * cancelled at the image (the repository it created is kept), the image is pushed, and the second
 * resumes there without asking the earlier questions again (an answer of null would cancel them).
 * The run lives in the workspace state. Questions are answered through the automation argument.
 */

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { isPending } from '../../emulator/src/contract';
import { workspaceFolder } from './helpers';
import { developerConnection, startTestAccount, type TestAccount } from './testAccount';

interface Row {
  readonly [column: string]: string | null;
}

interface ServeOutcome {
  readonly state: string;
  readonly reason?: string;
  readonly message: string;
  readonly url?: string;
  readonly service?: string;
  readonly run: { readonly done: readonly string[]; readonly pool?: { readonly name: string; readonly created: boolean }; readonly project?: { readonly folder: string; readonly specUri: string } };
  readonly serviceFunction?: { readonly sql: string; readonly created: boolean };
}

describe('serving: Serve a Model, New Service Spec, Build and Push Image', function () {
  this.timeout(240_000);
  let test: TestAccount | undefined;

  const show = (statement: string): Row[] => {
    if (!test) throw new Error('no test account');
    const result = test.account.control.run(statement);
    if (isPending(result)) throw new Error(`${statement} did not finish at once`);
    return result.rows.map((row) => Object.fromEntries(result.columns.map((column, index) => [column.name, row[index] ?? null])));
  };

  before(async function () {
    this.timeout(60_000);
    test = await startTestAccount({ twoConnections: false, speed: 200 });
    test.account.control.run('GRANT CREATE FUNCTION ON SCHEMA SPCS_DEMO.PUBLIC TO ROLE SPCS_DEVELOPER');
    await vscode.commands.executeCommand('spcs.refreshServices');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await test?.stop();
  });

  it('serves vLLM from nothing to its endpoint URL, resuming after a cancel at the image without asking again', async () => {
    const folder = path.join(workspaceFolder().fsPath, 'llm-serve');
    const first = await vscode.commands.executeCommand<ServeOutcome>('spcs.serveModel', {
      connection: developerConnection,
      restart: true,
      pool: 'create',
      newPool: { instanceFamily: 'GPU_NV_S', name: 'serve_test_pool', minNodes: 1, maxNodes: 1, autoResume: true, autoSuspendSecs: 1800, initiallySuspended: false, comment: '' },
      template: 'vllm',
      templateChoice: { serviceName: 'LLM_SERVE_TEST', weights: { kind: 'stage', stage: '@ML_DB.SERVING.MODEL_WEIGHTS', path: 'llama-3.1-8b-instruct' } },
      repository: 'create',
      newRepository: 'SPCS_DEMO.PUBLIC.SERVE_TEST_IMAGES',
      image: null,
    });
    assert.equal(first.state, 'stopped', first.message);
    assert.equal(first.reason, 'cancelled');
    assert.match(first.message, /step 3 of 6 \(Image\)/);
    assert.deepEqual(first.run.done, ['pool', 'template']);
    assert.equal(show("SHOW COMPUTE POOLS LIKE 'SERVE_TEST_POOL'")[0]?.instance_family, 'GPU_NV_S');
    assert.equal(show("SHOW IMAGE REPOSITORIES LIKE 'SERVE_TEST_IMAGES' IN ACCOUNT").length, 1);

    // The push happened in a terminal meanwhile.
    test?.account.control.pushImage('SPCS_DEMO.PUBLIC.SERVE_TEST_IMAGES', 'vllm-openai', '0.6.3');
    const second = await vscode.commands.executeCommand<ServeOutcome>('spcs.serveModel', {
      // Asked again, these would cancel the run: the finished steps are not repeated.
      connection: null,
      pool: null,
      template: null,
      templateChoice: null,
      repository: null,
      image: { tag: '0.6.3', build: false },
      folder,
      serviceFunction: { name: 'llm_complete_test', signature: '(prompt VARCHAR) RETURNS VARIANT', path: '/v1/completions', run: true },
    });
    assert.equal(second.state, 'served', second.message);
    assert.equal(second.service, 'SPCS_DEMO.PUBLIC.LLM_SERVE_TEST');
    assert.match(second.url ?? '', /^https:\/\//);
    assert.equal(second.run.pool?.created, true);
    assert.equal(second.serviceFunction?.created, true);
    assert.equal(show("SHOW SERVICES LIKE 'LLM_SERVE_TEST' IN ACCOUNT")[0]?.status, 'RUNNING');
    assert.match(second.serviceFunction?.sql ?? '', /SERVICE = SPCS_DEMO\.PUBLIC\.LLM_SERVE_TEST/);
    assert.ok(show('DESCRIBE FUNCTION SPCS_DEMO.PUBLIC.LLM_COMPLETE_TEST(VARCHAR)').length > 0, 'the service function was not created');
    for (const file of ['Dockerfile', 'snowflake.yml']) assert.ok(existsSync(path.join(folder, file)), `${file} was not written`);
    const spec = readFileSync(vscode.Uri.parse(second.run.project?.specUri ?? '').fsPath, 'utf8');
    assert.match(spec, /image: \/spcs_demo\/public\/serve_test_images\/vllm-openai:0\.6\.3/);
    assert.match(spec, /source: memory/);
    // Drift knows the service was deployed from this file: Compare with Deployed finds it in sync.
    const compared = await vscode.commands.executeCommand<{ verdict: string; message: string } | undefined>('spcs.compareWithDeployed', {
      kind: 'service', view: 'spcs.services', connection: developerConnection, database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'LLM_SERVE_TEST',
      status: 'RUNNING', computePool: 'SERVE_TEST_POOL', isJob: false, isUpgrading: false, hasBlockVolumes: false,
    });
    assert.equal(compared?.verdict, 'inSync', compared?.message);

    // The run is finished: the next one starts over (and asks for the connection: null cancels it).
    const third = await vscode.commands.executeCommand<ServeOutcome>('spcs.serveModel', { connection: null });
    assert.equal(third.state, 'stopped');
    assert.match(third.message, /no connection was chosen/);
  });

  it('writes a new service spec sized to a pool, and builds and pushes its folder with the commands shown first', async () => {
    const folder = path.join(workspaceFolder().fsPath, 'api-service');
    const written = await vscode.commands.executeCommand<{ state: string; message: string; specUri?: string; folder?: string }>('spcs.newServiceSpec', {
      connection: developerConnection,
      pool: 'DEMO_CPU_POOL',
      template: 'fastapi',
      templateChoice: { serviceName: 'API_TEST' },
      repository: 'SPCS_DEMO.PUBLIC.DEMO_REPO',
      folder,
    });
    assert.equal(written.state, 'written', written.message);
    const spec = readFileSync(vscode.Uri.parse(written.specUri ?? '').fsPath, 'utf8');
    assert.match(spec, /^# spcs: instance-family=CPU_X64_S pool=DEMO_CPU_POOL/);
    assert.match(spec, /readinessProbe:/);
    assert.ok(existsSync(path.join(folder, 'Dockerfile')));

    const pushed = await vscode.commands.executeCommand<{ state: string; message: string; lines?: string[]; specImage?: string }>('spcs.buildAndPushImage', {
      folder,
      repository: 'SPCS_DEMO.PUBLIC.DEMO_REPO',
      image: 'api-test',
      tag: 'v1',
      run: 'copy',
    });
    assert.equal(pushed.state, 'copied', pushed.message);
    assert.match(pushed.lines?.[0] ?? '', /^\S+ build --platform linux\/amd64 -t api-test:v1 \.$/);
    assert.equal(pushed.specImage, '/spcs_demo/public/demo_repo/api-test:v1');
    assert.match(await vscode.env.clipboard.readText(), /build --platform linux\/amd64 .* && .* push /);
  });
});
