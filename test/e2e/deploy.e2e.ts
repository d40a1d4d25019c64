/**
 * Journeys: "SPCS: Deploy Service" from the command palette against the local emulator, as a user
 * runs it.
 *
 * - create, then upgrade: the questions (connection, pool with its fit, name, instances, no warehouse,
 *   no integrations, auto-resume), the progress notification ending in success, the new service in
 *   both trees (under its pool and its schema) without a manual refresh; then the spec is edited and
 *   deployed again: the diff of the deployed and the local spec opens, showing only what changes in
 *   Snowflake (not the file's comments), a modal asks, the upgrade ends READY on the new spec and the
 *   diff, out of date from then on, is closed;
 * - refused: a spec asking for a GPU is refused right after DEMO_CPU_POOL is picked (no more
 *   questions), in words a person would use, naming DEMO_GPU_POOL and offering it; the refusal is in
 *   the output channel; nothing is remembered, so the code lens still says "Deploy"; deploying again
 *   and taking "Use DEMO_GPU_POOL" goes on with the other questions and deploys there;
 * - failure triage: an image tag that was never pushed: the notification names the pull failure, the
 *   output channel holds the containers' messages, and "Go to Spec" puts the cursor on the `image:`.
 *
 * deploy-quickpick.png, deploy-diff.png, deploy-refused.png and deploy-failure-triage.png in the README
 * come from these.
 */

import assert from 'node:assert/strict';
import {
  accountJourney,
  answerDeployQuestions,
  answerDialog,
  answerQuickPick,
  clickNotificationButton,
  collapseView,
  cursorPosition,
  developerConnection,
  expandTreePath,
  notificationButtons,
  notificationText,
  openView,
  outputText,
  quickPickRows,
  runCommandExactly,
  showOutputChannel,
  treeChildren,
  notificationToast,
  waitForCodeLens,
  waitForNotificationSettled,
  waitForQuickInputTitle,
  waitForTreeItem,
  widenSideBar,
} from './accountWorkbench';
import { clickToken, editorTextWhen, openFromExplorer, runCommand } from './workbench';

const dev = developerConnection;
const deployTimeoutMs = 60_000;

accountJourney('deploy: create a service from the palette, then upgrade it after the diff', async ({ page, step, screenshot }) => {
  const editor = await step('open deploy-journey.spcs.yaml from the explorer', () => openFromExplorer(page, 'deploy-journey.spcs.yaml'));

  await step('the sidebar shows DEMO_CPU_POOL and SPCS_DEMO.PUBLIC without the new service', async () => {
    await openView(page, 'Compute Pools');
    await widenSideBar(page, 520);
    await expandTreePath(page, 'Compute Pools', [dev, 'DEMO_CPU_POOL']);
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL', 'ECHO_SERVICE'] });
    await expandTreePath(page, 'Services', [dev, 'SPCS_DEMO.PUBLIC']);
    await waitForTreeItem(page, 'Services', { path: [dev, 'SPCS_DEMO.PUBLIC', 'ECHO_SERVICE'] });
    const services = (await treeChildren(page, 'Services', [dev, 'SPCS_DEMO.PUBLIC'])).map((service) => service.label);
    assert.ok(!services.includes('JOURNEY_ECHO'), `not deployed yet: ${services.join(', ')}`);
  });

  await step('SPCS: Deploy Service asks the connection, then the pool with each pool\'s fit', async () => {
    await editor.click();
    await runCommandExactly(page, 'SPCS: Deploy Service');
    await answerDeployQuestions(page, {
      connection: dev,
      pool: 'DEMO_CPU_POOL',
      serviceName: 'JOURNEY_ECHO',
      instances: '1',
      atPoolPick: async () => {
        const rows = await quickPickRows(page);
        const cpu = rows.find((row) => row.label === 'DEMO_CPU_POOL');
        assert.ok(cpu, `DEMO_CPU_POOL is offered: ${JSON.stringify(rows)}`);
        assert.match(cpu.description, /CPU_X64_S · ACTIVE/);
        assert.match(cpu.detail, /^Fits/, `the fit is shown: ${JSON.stringify(cpu)}`);
        await screenshot('the pool QuickPick with each pool\'s fit');
      },
    });
  });

  await step('the progress notification ends with "ready"', async () => {
    const message = await notificationText(page, /JOURNEY_ECHO is ready/, deployTimeoutMs);
    assert.match(message, /Service SPCS_DEMO\.PUBLIC\.JOURNEY_ECHO is ready: 1 instance READY/);
    assert.deepEqual(await notificationButtons(page, /JOURNEY_ECHO is ready/), ['Follow Logs']);
  });

  await step('the new service shows under its pool and its schema, RUNNING with a READY instance', async () => {
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL', 'JOURNEY_ECHO'], description: /^RUNNING · 1\/1/, timeoutMs: deployTimeoutMs });
    await waitForTreeItem(page, 'Services', { path: [dev, 'SPCS_DEMO.PUBLIC', 'JOURNEY_ECHO'], description: /^RUNNING · 1\/1/, timeoutMs: deployTimeoutMs });
    await expandTreePath(page, 'Services', [dev, 'SPCS_DEMO.PUBLIC', 'JOURNEY_ECHO']);
    await waitForTreeItem(page, 'Services', { path: [dev, 'SPCS_DEMO.PUBLIC', 'JOURNEY_ECHO', 'Instance 0'], description: 'READY' });
  });

  await step('the code lens above spec: now deploys with the remembered choices', async () => {
    await page.locator('.monaco-editor .codelens-decoration', { hasText: 'Deploy to DEMO_CPU_POOL as JOURNEY_ECHO' }).waitFor({ state: 'visible' });
  });

  await step('change GREETING in the spec and save', async () => {
    await clickToken(editor, 'hello', 'end');
    await page.keyboard.type('-again');
    assert.match(await editorTextWhen(editor, /GREETING: hello-again/), /GREETING: hello-again/);
    await page.keyboard.press('Control+S');
  });

  const dialogMessage = await step('Deploy again: the diff of the deployed and the local spec opens, and a modal asks', async () => {
    await runCommandExactly(page, 'SPCS: Deploy Service');
    await page.locator('.tabs-container .tab', { hasText: 'JOURNEY_ECHO: deployed ↔ local' }).waitFor({ state: 'visible', timeout: deployTimeoutMs });
    const diff = page.locator('.monaco-diff-editor');
    await diff.locator('.editor.modified .view-lines', { hasText: 'hello-again' }).waitFor({ state: 'visible' });
    await diff.locator('.editor.original .view-lines', { hasText: 'GREETING: hello' }).waitFor({ state: 'visible' });
    // Only what changes in Snowflake: the file's header comment (which Snowflake does not keep) is on neither side.
    for (const side of ['original', 'modified']) {
      await diff.locator(`.editor.${side} .view-lines`, { hasText: 'What Snowflake keeps of each spec' }).waitFor({ state: 'visible' });
      assert.equal(await diff.locator(`.editor.${side} .view-lines`, { hasText: 'The deploy journeys create' }).count(), 0, `no comment of the file on the ${side} side`);
    }
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    return ((await dialog.locator('.dialog-message-text').textContent()) ?? '').replace(/\u00a0/g, ' ');
  });
  assert.match(dialogMessage, /^Upgrade JOURNEY_ECHO\?/);

  await step('confirm: the upgrade ends READY on the new spec, and the diff (out of date now) is closed', async () => {
    await answerDialog(page, 'Upgrade');
    // (The first deploy's notification may still be on screen: wait for the upgrade's own.)
    const message = await notificationText(page, /JOURNEY_ECHO is ready: .* on the new spec/, deployTimeoutMs);
    assert.match(message, /Service SPCS_DEMO\.PUBLIC\.JOURNEY_ECHO is ready: 1 instance READY on the new spec/);
    await page.locator('.tabs-container .tab', { hasText: 'JOURNEY_ECHO: deployed ↔ local' }).waitFor({ state: 'detached' });
    await waitForTreeItem(page, 'Services', { path: [dev, 'SPCS_DEMO.PUBLIC', 'JOURNEY_ECHO'], description: /^RUNNING · 1\/1/, timeoutMs: deployTimeoutMs });
  });
});

accountJourney('deploy refused: a GPU spec is refused as soon as the CPU pool is picked, naming the pool that fits; nothing is remembered', async ({ page, step, screenshot }) => {
  const editor = await step('open gpu-on-cpu.spcs.yaml from the explorer', () => openFromExplorer(page, 'gpu-on-cpu.spcs.yaml'));
  const refusal = 'Not deployed: The spec does not fit compute pool DEMO_CPU_POOL: it needs 1 GPU, CPU_X64_S nodes have none. DEMO_GPU_POOL fits.';

  await step('Deploy: the pool QuickPick says, as a person would, that the CPU pool does not fit; choose it anyway', async () => {
    await editor.click();
    await runCommandExactly(page, 'SPCS: Deploy Service');
    await waitForQuickInputTitle(page, 'Deploy: which connection?');
    await answerQuickPick(page, { choose: dev });
    await waitForQuickInputTitle(page, 'Deploy: compute pool');
    const rows = await quickPickRows(page);
    const detail = (name: string): string => rows.find((row) => row.label === name)?.detail ?? '';
    assert.match(detail('DEMO_CPU_POOL'), /^Does not fit: needs 1 GPU, nodes have none · /, JSON.stringify(rows));
    assert.match(detail('DEMO_GPU_POOL'), /^Fits: 1 of 4 GPUs · /, JSON.stringify(rows));
    for (const row of rows) assert.doesNotMatch(row.detail, /\d+ of 0 GPUs/, JSON.stringify(row));
    await screenshot('the CPU pool does not fit');
    await answerQuickPick(page, { choose: 'DEMO_CPU_POOL' });
  });

  await step('refused at once, before the other questions: the refusal names DEMO_GPU_POOL and offers it', async () => {
    const message = await notificationText(page, /^Not deployed:/);
    await waitForNotificationSettled(page, /^Not deployed:/);
    assert.equal(message, refusal);
    assert.equal(await page.locator('.quick-input-widget').isVisible(), false, 'no service name, instances, warehouse, … asked for a pool that cannot work');
    assert.deepEqual(await notificationButtons(page, /^Not deployed:/), ['Use DEMO_GPU_POOL', 'Pick Another Pool…']);
  });

  await step('the refusal is in the output channel', async () => {
    await showOutputChannel(page, 'Snowpark Container Services');
    await outputText(page, /Deploy refused \(poolDoesNotFit\): The spec does not fit compute pool DEMO_CPU_POOL/);
    await runCommand(page, 'View: Hide Panel');
  });

  await step('dismissed: nothing was remembered, so the code lens still says "Deploy"', async () => {
    const toast = notificationToast(page, /^Not deployed:/);
    await toast.hover();
    await toast.locator('.codicon-notifications-clear').click();
    await toast.waitFor({ state: 'detached' });
    await waitForCodeLens(page, 'Set deploy target');
    assert.equal(await page.locator('.monaco-editor .codelens-decoration', { hasText: 'Deploy to' }).count(), 0, 'no "Deploy to DEMO_CPU_POOL …"');
  });

  await step('the code lens deploys again from the start (nothing remembered: the connection is asked again); "Use DEMO_GPU_POOL" on the refusal goes on with the other questions', async () => {
    await page.locator('.monaco-editor .codelens-decoration a', { hasText: /^\W*Deploy$/ }).first().click();
    await waitForQuickInputTitle(page, 'Deploy: which connection?');
    await answerQuickPick(page, { choose: dev });
    await waitForQuickInputTitle(page, 'Deploy: compute pool');
    await answerQuickPick(page, { choose: 'DEMO_CPU_POOL' });
    await clickNotificationButton(page, refusal, 'Use DEMO_GPU_POOL');
    await waitForQuickInputTitle(page, 'Deploy: service name');
    await answerQuickPick(page, { type: 'JOURNEY_GPU' });
    await waitForQuickInputTitle(page, 'Deploy: instances');
    await answerQuickPick(page, { type: '1' });
    await waitForQuickInputTitle(page, 'Deploy: query warehouse (optional)');
    await answerQuickPick(page, { choose: /No query warehouse/ });
    await waitForQuickInputTitle(page, 'Deploy: external access integrations (optional)');
    await answerQuickPick(page, {});
    await waitForQuickInputTitle(page, 'Deploy: auto-resume');
    await answerQuickPick(page, { choose: 'Auto-resume on' });
  });

  await step('deployed on DEMO_GPU_POOL, and only now remembered by the code lens', async () => {
    const message = await notificationText(page, /JOURNEY_GPU is ready/, deployTimeoutMs);
    assert.match(message, /^Service SPCS_DEMO\.PUBLIC\.JOURNEY_GPU is ready: 1 instance READY/);
    await waitForCodeLens(page, 'Deploy to DEMO_GPU_POOL as JOURNEY_GPU');
  });

  await step('the service runs in DEMO_GPU_POOL, and nothing was created in DEMO_CPU_POOL', async () => {
    await collapseView(page, 'Services');
    await openView(page, 'Compute Pools');
    await expandTreePath(page, 'Compute Pools', [dev, 'DEMO_GPU_POOL']);
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_GPU_POOL', 'JOURNEY_GPU'], timeoutMs: deployTimeoutMs });
    await expandTreePath(page, 'Compute Pools', [dev, 'DEMO_CPU_POOL']);
    await waitForTreeItem(page, 'Compute Pools', { path: [dev, 'DEMO_CPU_POOL', 'ECHO_SERVICE'] });
    const onCpu = (await treeChildren(page, 'Compute Pools', [dev, 'DEMO_CPU_POOL'])).map((service) => service.label);
    assert.ok(!onCpu.includes('JOURNEY_GPU') && !onCpu.includes('GPU_ON_CPU'), `nothing on the CPU pool: ${onCpu.join(', ')}`);
  });
});

accountJourney('deploy failure triage: a missing image tag, its container message, and Go to Spec', async ({ page, step }) => {
  const editor = await step('open missing-tag.spcs.yaml from the explorer', () => openFromExplorer(page, 'missing-tag.spcs.yaml'));

  await step('Deploy it to DEMO_CPU_POOL', async () => {
    await editor.click();
    await runCommandExactly(page, 'SPCS: Deploy Service');
    await answerDeployQuestions(page, { connection: dev, pool: 'DEMO_CPU_POOL', serviceName: 'MISSING_TAG', instances: '1' });
  });

  const failure = /MISSING_TAG/;
  await step('the service does not become ready: the notification names the image pull failure', async () => {
    const message = await notificationText(page, /^Half-deployed:/, deployTimeoutMs);
    await waitForNotificationSettled(page, /^Half-deployed:/);
    assert.match(message, failure);
    assert.match(message, /image|pull/i, `the message names the image: ${message}`);
    assert.deepEqual(await notificationButtons(page, /^Half-deployed:/), ['Go to Spec', 'Show Logs', 'Show Output']);
  });

  await step('the output channel holds the triage: the container\'s message and the spec line', async () => {
    await showOutputChannel(page, 'Snowpark Container Services');
    // Only the lines on screen can be read, and more lines may follow the triage: give the panel room.
    await runCommand(page, 'View: Toggle Maximized Panel');
    const text = await outputText(page, /echo \(instance 0\): FAILED/);
    assert.match(text, /echo \(instance 0\): FAILED, Failed to pull image/);
    assert.match(text, /spec line 5: +image: \/tutorial_db\/data_schema\/tutorial_repository\/echo:v9/);
  });

  await step('"Go to Spec" puts the cursor on the image line', async () => {
    await runCommand(page, 'View: Toggle Maximized Panel');
    await clickNotificationButton(page, /^Half-deployed:/, 'Go to Spec');
    await page.locator('.monaco-editor .view-line .mtk1, .monaco-editor .view-line span', { hasText: 'echo:v9' }).first().waitFor({ state: 'visible' });
    // The status bar showed where the editor was clicked before: wait until the cursor is on the image line.
    const position = await cursorPosition(page, (where) => where.line === 5);
    assert.equal(position.line, 5);
  });
});
