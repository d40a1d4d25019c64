/**
 * Journeys: "SPCS: Deploy Service" from the command palette against the local emulator, as a user
 * runs it.
 *
 * - create, then upgrade: the questions (connection, pool with its fit, name, instances, no warehouse,
 *   no integrations, auto-resume), the progress notification ending in success, the new service in
 *   both trees (under its pool and its schema) without a manual refresh; then the spec is edited and
 *   deployed again: the diff of the deployed and the local spec opens, a modal asks, and the upgrade
 *   ends READY on the new spec;
 * - refused: a spec asking for a GPU, deployed to the CPU pool, is stopped before anything is sent,
 *   with the reason and "Pick Another Pool…" (which asks for the pool again);
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
  waitForNotificationSettled,
  waitForQuickInputTitle,
  waitForTreeItem,
  widenSideBar,
} from './accountWorkbench';
import { clickToken, editorText, openFromExplorer, runCommand } from './workbench';

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
    await page.keyboard.press('Control+S');
    assert.match(await editorText(editor), /GREETING: hello-again/);
  });

  const dialogMessage = await step('Deploy again: the diff of the deployed and the local spec opens, and a modal asks', async () => {
    await runCommandExactly(page, 'SPCS: Deploy Service');
    await page.locator('.tabs-container .tab', { hasText: 'JOURNEY_ECHO: deployed ↔ local' }).waitFor({ state: 'visible', timeout: deployTimeoutMs });
    const diff = page.locator('.monaco-diff-editor');
    await diff.locator('.editor.modified .view-lines', { hasText: 'hello-again' }).waitFor({ state: 'visible' });
    await diff.locator('.editor.original .view-lines', { hasText: 'GREETING: hello' }).waitFor({ state: 'visible' });
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    return ((await dialog.locator('.dialog-message-text').textContent()) ?? '').replace(/\u00a0/g, ' ');
  });
  assert.match(dialogMessage, /^Upgrade JOURNEY_ECHO\?/);

  await step('confirm: the upgrade ends READY on the new spec', async () => {
    await answerDialog(page, 'Upgrade');
    // (The first deploy's notification may still be on screen: wait for the upgrade's own.)
    const message = await notificationText(page, /JOURNEY_ECHO is ready: .* on the new spec/, deployTimeoutMs);
    assert.match(message, /Service SPCS_DEMO\.PUBLIC\.JOURNEY_ECHO is ready: 1 instance READY on the new spec/);
    await waitForTreeItem(page, 'Services', { path: [dev, 'SPCS_DEMO.PUBLIC', 'JOURNEY_ECHO'], description: /^RUNNING · 1\/1/, timeoutMs: deployTimeoutMs });
  });
});

accountJourney('deploy refused: a GPU spec on the CPU pool is stopped before anything is sent', async ({ page, step, screenshot }) => {
  const editor = await step('open gpu-on-cpu.spcs.yaml from the explorer', () => openFromExplorer(page, 'gpu-on-cpu.spcs.yaml'));

  await step('Deploy: the pool QuickPick says the CPU pool does not fit; choose it anyway', async () => {
    await editor.click();
    await runCommandExactly(page, 'SPCS: Deploy Service');
    await answerDeployQuestions(page, {
      connection: dev,
      pool: 'DEMO_CPU_POOL',
      serviceName: 'GPU_ON_CPU',
      instances: '1',
      atPoolPick: async () => {
        const rows = await quickPickRows(page);
        assert.match(rows.find((row) => row.label === 'DEMO_CPU_POOL')?.detail ?? '', /^Does not fit/, JSON.stringify(rows));
        assert.match(rows.find((row) => row.label === 'DEMO_GPU_POOL')?.detail ?? '', /^Fits/, JSON.stringify(rows));
        await screenshot('the CPU pool does not fit');
      },
    });
  });

  await step('the deploy stops with the reason, and offers "Pick Another Pool…"', async () => {
    const message = await notificationText(page, /^Not deployed:/);
    await waitForNotificationSettled(page, /^Not deployed:/);
    assert.match(message, /GPU/);
    assert.match(message, /DEMO_CPU_POOL|CPU_X64_S/);
    assert.ok((await notificationButtons(page, /^Not deployed:/)).includes('Pick Another Pool…'));
  });

  await step('"Pick Another Pool…" asks for the pool again; Escape leaves everything as it was', async () => {
    await clickNotificationButton(page, /^Not deployed:/, 'Pick Another Pool…');
    await waitForQuickInputTitle(page, 'Deploy: compute pool');
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  });

  await step('nothing was created', async () => {
    await collapseView(page, 'Compute Pools');
    await expandTreePath(page, 'Services', [dev, 'SPCS_DEMO.PUBLIC']);
    await waitForTreeItem(page, 'Services', { path: [dev, 'SPCS_DEMO.PUBLIC', 'ECHO_SERVICE'] });
    const services = (await treeChildren(page, 'Services', [dev, 'SPCS_DEMO.PUBLIC'])).map((service) => service.label);
    assert.ok(!services.includes('GPU_ON_CPU'), `no GPU_ON_CPU: ${services.join(', ')}`);
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
