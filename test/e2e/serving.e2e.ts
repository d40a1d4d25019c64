/**
 * Journey: from a model to an endpoint against the local emulator, as a user does it.
 *
 * - "Create Compute Pool…" from the Compute Pools view's title: the instance-family picker lists the
 *   account's families with vCPU, memory and GPUs per node, and says for the spec open in the editor
 *   (vllm.spcs.yaml, 4 GPUs) whether it fits each family; then name, nodes, auto-resume,
 *   auto-suspend, start now, and the exact CREATE COMPUTE POOL statement before it is sent. The new
 *   pool shows in the tree.
 * - "Serve a Model…" from the palette on that pool: the vLLM template sized for it, the weights on a
 *   stage, a pushed image, the project written into the workspace, the deploy with its readiness gate,
 *   and the endpoint URL; the status bar shows the steps with their marks.
 *
 * - "Deploy Service" on a spec: the pool picker ends with "Create Compute Pool…", and the deploy goes
 *   on to the pool it creates.
 *
 * create-pool-family-picker.png and serve-model-endpoint.png in the README come from here.
 */

import assert from 'node:assert/strict';
import {
  accountJourney,
  answerDialog,
  answerQuickPick,
  collapseView,
  developerConnection,
  notificationText,
  openView,
  quickPickRows,
  runCommandExactly,
  statusBarItem,
  waitForNotificationSettled,
  waitForQuickInputTitle,
  waitForTreeItem,
  widenSideBar,
} from './accountWorkbench';
import { openFromExplorer } from './workbench';

const dev = developerConnection;
const serveTimeoutMs = 90_000;

accountJourney('serving: create a GPU pool with the family picker, then serve a model to its endpoint URL', async ({ page, step, screenshot }) => {
  await step('open vllm.spcs.yaml (4 GPUs) and the Compute Pools view', async () => {
    await openFromExplorer(page, 'vllm.spcs.yaml');
    await collapseView(page, 'Services');
    await openView(page, 'Compute Pools');
    await widenSideBar(page, 460);
    await waitForTreeItem(page, 'Compute Pools', { path: [dev] });
  });

  await step('Create Compute Pool…: the family picker says where the open spec fits', async () => {
    await runCommandExactly(page, 'SPCS: Create Compute Pool…');
    await waitForQuickInputTitle(page, 'Create Compute Pool');
    await answerQuickPick(page, { choose: dev });
    await waitForQuickInputTitle(page, 'Create Compute Pool: instance family');
    // The families the open spec fits come first.
    const first = await quickPickRows(page);
    assert.deepEqual(first.slice(0, 2).map((row) => row.label), ['GPU_NV_M', 'GPU_NV_L'], JSON.stringify(first));
    await screenshot('create-pool-family-picker');
    // The list is long (every family the account offers): filter it as a user would.
    await page.locator('.quick-input-widget input.input').fill('GPU_NV');
    const rows = await quickPickRows(page);
    const small = rows.find((row) => row.label === 'GPU_NV_S');
    const medium = rows.find((row) => row.label === 'GPU_NV_M');
    assert.ok(small && medium, `the GPU families are listed: ${JSON.stringify(rows)}`);
    assert.match(medium.description, /4 × NVIDIA A10G/);
    assert.match(medium.detail, /vllm\.spcs\.yaml fits/);
    assert.match(small.detail, /vllm\.spcs\.yaml does not fit/);
    await answerQuickPick(page, { choose: 'GPU_NV_M' });
  });

  await step('name, nodes, auto-resume, auto-suspend, start now, and the statement shown before it is sent', async () => {
    await waitForQuickInputTitle(page, 'Compute pool name');
    await answerQuickPick(page, { type: 'LLM_POOL' });
    await waitForQuickInputTitle(page, 'Compute pool nodes');
    await answerQuickPick(page, { type: '1' });
    await waitForQuickInputTitle(page, /Resume the pool automatically/);
    await answerQuickPick(page, { choose: 'Auto-resume' });
    await waitForQuickInputTitle(page, 'Auto-suspend after (seconds)');
    await answerQuickPick(page, { type: '1800' });
    await waitForQuickInputTitle(page, 'Start the pool now?');
    await answerQuickPick(page, { choose: 'Start now' });
    await waitForQuickInputTitle(page, 'Comment (optional)');
    await answerQuickPick(page, {});
    const message = await answerDialog(page, 'Create');
    assert.match(message, /Create compute pool LLM_POOL: 1 GPU_NV_M node/);
    await notificationText(page, /^Compute pool LLM_POOL was created \(GPU_NV_M/);
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'LLM_POOL'] });
  });

  await step('Serve a Model…: the pool, the vLLM template sized for it, the weights on a stage', async () => {
    await runCommandExactly(page, 'SPCS: Serve a Model…');
    await waitForQuickInputTitle(page, 'Serve a Model: which connection?');
    await answerQuickPick(page, { choose: dev });
    await waitForQuickInputTitle(page, 'Serve a Model (1/6): compute pool');
    const pools = await quickPickRows(page);
    const llm = pools.find((row) => /LLM_POOL$/.test(row.label));
    assert.ok(llm, `the new pool is offered: ${JSON.stringify(pools)}`);
    assert.match(llm.detail, /^The vLLM server fits/);
    await answerQuickPick(page, { choose: /LLM_POOL$/ });
    await waitForQuickInputTitle(page, 'Serve a Model (2/6): template for LLM_POOL');
    await answerQuickPick(page, { choose: /vLLM/ });
    await waitForQuickInputTitle(page, /^Serve a Model \(2\/6\): vLLM/);
    await answerQuickPick(page, {});
    await waitForQuickInputTitle(page, /where are the model weights\?/);
    await answerQuickPick(page, { choose: /MODEL_WEIGHTS/ });
    await waitForQuickInputTitle(page, /^Serve a Model \(2\/6\): vLLM/);
    await answerQuickPick(page, { type: 'llama-3.1-8b-instruct' });
    await waitForQuickInputTitle(page, /Hugging Face token secret/);
    await answerQuickPick(page, { choose: 'No Hugging Face token' });
    await waitForQuickInputTitle(page, /external access integrations/);
    await answerQuickPick(page, {});
  });

  await step('the image already pushed, the project written into the workspace', async () => {
    await waitForQuickInputTitle(page, 'Serve a Model (3/6): image repository');
    await answerQuickPick(page, { type: 'ML_DB.SERVING' });
    await waitForQuickInputTitle(page, 'Serve a Model (3/6): image in IMAGES');
    await answerQuickPick(page, { choose: 'vllm-openai:0.6.3' });
    await waitForQuickInputTitle(page, /where to write the spec/);
    await answerQuickPick(page, { choose: /llm_serve/ });
  });

  await step('deployed, READY, and the endpoint URL', async () => {
    await notificationText(page, /^Endpoint \S+ is at https:\/\//, serveTimeoutMs);
    await waitForQuickInputTitle(page, 'Serve a Model (6/6): service function for SQL', serveTimeoutMs);
    await answerQuickPick(page, { choose: 'No service function' });
    const message = await notificationText(page, /^SPCS_DEMO\.PUBLIC\.LLM_SERVE serves vllm on LLM_POOL at https:\/\//, serveTimeoutMs);
    assert.match(message, /at https:\/\/\S+/);
    await statusBarItem(page, /Serve a Model 6\/6:.*done/).waitFor({ state: 'visible' });
    await waitForNotificationSettled(page, /serves vllm on LLM_POOL/);
    await screenshot('serve-model-endpoint');
  });
});

accountJourney('serving: the deploy pool picker offers Create Compute Pool… and deploys to the new pool', async ({ page, step }) => {
  const editor = await step('open vllm.spcs.yaml (4 GPUs)', () => openFromExplorer(page, 'vllm.spcs.yaml'));

  await step('Deploy Service: the pool picker ends with Create Compute Pool…', async () => {
    await editor.click();
    await runCommandExactly(page, 'SPCS: Deploy Service');
    await waitForQuickInputTitle(page, 'Deploy: which connection?');
    await answerQuickPick(page, { choose: dev });
    await waitForQuickInputTitle(page, 'Deploy: compute pool');
    await answerQuickPick(page, { choose: /Create Compute Pool…$/ });
  });

  await step('the family picker, then the pool is created and the deploy goes on there', async () => {
    await waitForQuickInputTitle(page, 'Create Compute Pool: instance family');
    await page.locator('.quick-input-widget input.input').fill('GPU_NV_M');
    await answerQuickPick(page, { choose: 'GPU_NV_M' });
    await waitForQuickInputTitle(page, 'Compute pool name');
    await answerQuickPick(page, { type: 'DEPLOY_GPU_POOL' });
    await waitForQuickInputTitle(page, 'Compute pool nodes');
    await answerQuickPick(page, {});
    await waitForQuickInputTitle(page, /Resume the pool automatically/);
    await answerQuickPick(page, { choose: 'Auto-resume' });
    await waitForQuickInputTitle(page, 'Auto-suspend after (seconds)');
    await answerQuickPick(page, {});
    await waitForQuickInputTitle(page, 'Start the pool now?');
    await answerQuickPick(page, { choose: 'Start now' });
    await waitForQuickInputTitle(page, 'Comment (optional)');
    await answerQuickPick(page, {});
    await answerDialog(page, 'Create');
    await notificationText(page, /^Compute pool DEPLOY_GPU_POOL was created/);
    await waitForQuickInputTitle(page, 'Deploy: service name');
    await answerQuickPick(page, { type: 'VLLM_ON_NEW_POOL' });
    await waitForQuickInputTitle(page, 'Deploy: instances');
    await answerQuickPick(page, { type: '1' });
    await waitForQuickInputTitle(page, 'Deploy: query warehouse (optional)');
    await answerQuickPick(page, { choose: /No query warehouse/ });
    await waitForQuickInputTitle(page, 'Deploy: external access integrations (optional)');
    await answerQuickPick(page, {});
    await waitForQuickInputTitle(page, 'Deploy: auto-resume');
    await answerQuickPick(page, { choose: 'Auto-resume on' });
    await notificationText(page, /^Service SPCS_DEMO\.PUBLIC\.VLLM_ON_NEW_POOL is ready/, serveTimeoutMs);
    await openView(page, 'Compute Pools');
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEPLOY_GPU_POOL'] });
  });
});
