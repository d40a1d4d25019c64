/**
 * Journey: what a running service does, as a user finds out from the Services tree of the demo
 * account (emulated time 20× faster; the demo has a day of history):
 * 1. LLM_SERVICE (vLLM on the GPU pool) shows its health at a glance: GPU use, memory against its
 *    limit, and a warning icon because its vllm container was OOM-killed 50 minutes ago.
 * 2. "Show Metrics" opens the metrics panel: one chart per metric, memory with its 160 GiB limit as a
 *    line, a series per container and GPU; the Table view shows the same numbers.
 * 3. "Show Events" lists its platform events newest first; the out-of-memory kill opens the deployed
 *    spec at `memory: 160Gi`, the limit it hit.
 * 4. The kill's inline "Show Metrics Around This Event" shows the hour around it in the panel.
 * 5. "Show Log History…" of NIGHTLY_TRAINING_JOB (finished ten hours ago) shows what both replicas
 *    printed, merged in time order.
 *
 * 6. A hidden panel keeps its range: switched away from and back, it shows the same range again.
 *
 * docs/screenshots/services-health.png (step 01), metrics-panel.png (02), events-oom.png (06),
 * metrics-around-oom.png (07) and log-history.png (08) in the README come from here.
 */

import assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { accountJourney, answerQuickPick, chooseContextMenuEntry, clickInlineAction, collapseView, cursorPosition, developerConnection, expandTreePath, runCommandExactly, waitForTreeItem, widenSideBar } from './accountWorkbench';
import { editorText } from './workbench';

const dev = developerConnection;
const schema = 'SPCS_DEMO.PUBLIC';

/** The metrics panel's page: the webview's outer frame, then the frame that holds the page. */
function metricsPage(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

accountJourney('monitoring: metrics with the memory limit line, events linked to the spec, and a finished job\'s log history', async ({ page, step, screenshot }) => {
  await step('LLM_SERVICE shows GPU and memory use and a warning in the Services tree', async () => {
    await collapseView(page, 'Compute Pools');
    await widenSideBar(page, 480);
    await expandTreePath(page, 'Services', [dev, schema]);
    await waitForTreeItem(page, 'Services', { path: [dev, schema, 'LLM_SERVICE'], description: /^RUNNING · 1\/1 · GPU \d+ % · mem \d+ %$/, timeoutMs: 40_000 });
    const row = await waitForTreeItem(page, 'Services', { path: [dev, schema, 'LLM_SERVICE'] });
    await row.locator('.codicon-warning').waitFor({ state: 'visible' });
  });

  await step('"Show Metrics" opens the panel: every chart, memory with its 160 GiB limit line', async () => {
    const row = await waitForTreeItem(page, 'Services', { path: [dev, schema, 'LLM_SERVICE'] });
    await chooseContextMenuEntry(page, row, 'Show Metrics');
    await page.locator('.tabs-container .tab', { hasText: 'Metrics: LLM_SERVICE' }).waitFor({ state: 'visible' });
    const frame = metricsPage(page);
    for (const id of ['cpu', 'memory', 'gpuUtilization', 'gpuMemory']) {
      await frame.locator(`#chart-${id} canvas`).first().waitFor({ state: 'visible', timeout: 40_000 });
    }
    await frame.locator('#chart-memory .u-legend', { hasText: 'memory limit 0/vllm' }).waitFor({ state: 'visible' });
    await frame.locator('#status', { hasText: /^Up to / }).waitFor({ state: 'visible' });
    const summary = (await frame.locator('#chart-memory .summary').textContent()) ?? '';
    assert.match(summary, /160 GiB/, `the memory summary names the limit: ${summary}`);
    // The side bar out of the way, so the charts get the width (for the README's screenshot).
    await page.keyboard.press('Control+B');
    await frame.locator('#chart-memory canvas').first().waitFor({ state: 'visible' });
  });

  await step('the Table view shows the same numbers, for keyboards and screen readers', async () => {
    const frame = metricsPage(page);
    await frame.locator('#viewTable').click();
    await frame.locator('#chart-memory table').waitFor({ state: 'visible' });
    const header = (await frame.locator('#chart-memory table thead').textContent()) ?? '';
    assert.match(header, /memory limit 0\/vllm/);
    await frame.locator('#viewCharts').click();
    await frame.locator('#chart-memory canvas').first().waitFor({ state: 'visible' });
    await page.keyboard.press('Control+B');
  });

  await step('a hidden panel keeps its range: 6 hours, hidden behind another editor, comes back as 6 hours', async () => {
    const frame = metricsPage(page);
    await frame.locator('#ranges button[data-range="6h"]').click();
    await frame.locator('#status', { hasText: /^Up to / }).waitFor({ state: 'visible' });
    await runCommandExactly(page, 'File: New Untitled Text File');
    await page.locator('.tabs-container .tab.active', { hasText: /^Untitled-1$/ }).waitFor({ state: 'visible' });
    await page.locator('.tabs-container .tab', { hasText: 'Metrics: LLM_SERVICE' }).click();
    // The page was unloaded while hidden (no retained context): it comes back from its saved state.
    await metricsPage(page).locator('#ranges button[data-range="6h"][aria-checked="true"]').waitFor({ state: 'visible' });
    await metricsPage(page).locator('#chart-memory canvas').first().waitFor({ state: 'visible', timeout: 40_000 });
    await metricsPage(page).locator('#status', { hasText: /^Up to / }).waitFor({ state: 'visible' });
  });

  await step('"Show Events" lists the out-of-memory kill', async () => {
    const row = await waitForTreeItem(page, 'Services', { path: [dev, schema, 'LLM_SERVICE'] });
    await chooseContextMenuEntry(page, row, 'Show Events');
    await collapseView(page, 'Services');
    await waitForTreeItem(page, 'Events', { path: ['FAILED: Container was OOMKilled due to resource usage'], description: /^0\/vllm · .* · spec line \d+$/ });
  });

  await step('the out-of-memory event opens the deployed spec at the memory limit it hit', async () => {
    const event = await waitForTreeItem(page, 'Events', { path: ['FAILED: Container was OOMKilled due to resource usage'] });
    await event.click();
    await page.locator('.tabs-container .tab', { hasText: 'LLM_SERVICE (deployed).yaml' }).waitFor({ state: 'visible' });
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').waitFor({ state: 'visible' });
    const text = await editorText(editor);
    const position = await cursorPosition(page, ({ line }) => line > 1);
    const lines = text.split('\n');
    const shown = lines.find((line) => line.trim() === 'memory: 160Gi');
    assert.ok(shown, `the spec shows its memory limit:\n${text}`);
    // The cursor is on that line (the first line on screen may not be line 1: compare by content).
    assert.ok(position.line > 1, `the cursor moved to the limit: line ${position.line}`);
  });

  await step('"Show Metrics Around This Event" shows the hour around the kill: memory reaching its limit line', async () => {
    const event = await waitForTreeItem(page, 'Events', { path: ['FAILED: Container was OOMKilled due to resource usage'] });
    await clickInlineAction(event, 'Show Metrics Around This Event');
    await page.locator('.tabs-container .tab.active', { hasText: 'Metrics: LLM_SERVICE' }).waitFor({ state: 'visible' });
    const frame = metricsPage(page);
    await frame.locator('#ranges button[data-range="custom"][aria-checked="true"]').waitFor({ state: 'visible' });
    // The From / to inputs say which hour (UTC).
    assert.match(await frame.locator('#customStart').inputValue(), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    assert.match(await frame.locator('#customEnd').inputValue(), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    await frame.locator('#status', { hasText: /^Up to / }).waitFor({ state: 'visible', timeout: 40_000 });
    await frame.locator('#chart-memory canvas').first().waitFor({ state: 'visible' });
    const summary = (await frame.locator('#chart-memory .summary').textContent()) ?? '';
    assert.match(summary, /of 160 GiB/, `the memory summary names the limit: ${summary}`);
  });

  await step('"Show Log History…" of the finished job shows what both replicas printed', async () => {
    await collapseView(page, 'Events');
    await expandTreePath(page, 'Services', [dev, schema]);
    const job = await waitForTreeItem(page, 'Services', { path: [dev, schema, 'NIGHTLY_TRAINING_JOB'], description: /^DONE/ });
    await chooseContextMenuEntry(page, job, 'Show Log History…');
    await answerQuickPick(page, { choose: 'Last 1 day' });
    await page.locator('.tabs-container .tab', { hasText: 'NIGHTLY_TRAINING_JOB log history.log' }).waitFor({ state: 'visible', timeout: 30_000 });
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').waitFor({ state: 'visible' });
    const text = await editorText(editor);
    assert.match(text, /Log history of NIGHTLY_TRAINING_JOB from .* UTC: [\d,]+ lines? of 0\/\w+.*1\/\w+/);
    assert.match(text, /\[0\/\w+\] /);
    assert.match(text, /\[1\/\w+\] /);
    // The progress notification closes once the document is open (a clean screenshot for the README).
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'Reading the log history' }).waitFor({ state: 'hidden' });
    await screenshot('the log history of the finished job');
  });
});
