/**
 * Journeys: the account-aware checks in the editor, against the local emulator's live account, as a
 * user meets them (issue 6).
 *
 * - GPU overrun: a spec whose modeline names DEMO_CPU_POOL asks for a GPU; once the extension has
 *   read the account catalog in the background, the squiggle, its hover and the Problems panel say
 *   that a node of DEMO_CPU_POOL (CPU_X64_S) has no GPU (spcs(account-pool-gpu), in plain text); the code lens names
 *   the target and the status bar's connection item shows the checks are on. Changing the modeline
 *   to DEMO_GPU_POOL (GPU_NV_M: four GPUs a node) makes the warning go.
 * - Image-tag completion: typing an image path up to the colon and asking for completion lists the
 *   tags the repository holds (v1, v2, latest), newest first, each with its digest and push date;
 *   accepting one writes the full image path.
 *
 * account-gpu-overrun.png and account-image-tags.png in the README come from these.
 */

import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import {
  accountJourney,
  developerConnection,
  openProblemsPanel,
  problemsWhen,
  resizeSuggestDetails,
  statusBarItem,
  suggestUntil,
  waitForCodeLens,
  widenSuggestWidget,
  type SuggestRow,
} from './accountWorkbench';
import { editorText, hoverUntil, openFromExplorer, runCommand } from './workbench';

/** The catalog is read in the background after the account features load: allow for both. */
const catalogTimeoutMs = 45_000;
/** The code as the Problems panel shows it, after the source: spcs(account-pool-gpu). */
const gpuCode = 'account-pool-gpu';
const imagePath = '/tutorial_db/data_schema/tutorial_repository/echo:';

/** The topmost line of the editor whose text matches (Monaco's DOM order of lines is not the screen's). */
async function topmostLine(editor: Locator, text: RegExp): Promise<Locator> {
  const lines = editor.locator('.view-lines .view-line').filter({ hasText: text });
  await lines.first().waitFor({ state: 'visible' });
  let best: { line: Locator; y: number } | undefined;
  for (const line of await lines.all()) {
    const box = await line.boundingBox();
    if (box && (!best || box.y < best.y)) {
      best = { line, y: box.y };
    }
  }
  if (!best) {
    throw new Error(`no line matching ${String(text)} is on screen`);
  }
  return best.line;
}

accountJourney('account checks: a GPU overrun against the live pool, gone on the GPU pool', async ({ page, step }) => {
  const editor = await step('open account-gpu-overrun.spcs.yaml (modeline pool=DEMO_CPU_POOL) from the explorer', async () => {
    const opened = await openFromExplorer(page, 'account-gpu-overrun.spcs.yaml');
    // Room for the messages: the explorer has done its part.
    await runCommand(page, 'View: Close Primary Side Bar');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden' });
    return opened;
  });
  assert.match(await editorText(editor), /^# spcs: pool=DEMO_CPU_POOL$/m);

  await step('the code lens names the modeline\'s target', async () => {
    await waitForCodeLens(page, 'Target: DEMO_CPU_POOL on the default connection', catalogTimeoutMs);
  });

  const gpu = await step('once the catalog is read, the Problems panel warns that a node of DEMO_CPU_POOL has no GPU', async () => {
    await openProblemsPanel(page);
    const rows = await problemsWhen(page, (texts) => texts.some((text) => text.includes(gpuCode)), gpuCode, catalogTimeoutMs);
    return rows.find((text) => text.includes(gpuCode)) ?? '';
  });
  assert.match(gpu, /Container 'model' asks for 1 GPU, but a node of compute pool 'DEMO_CPU_POOL' \(CPU_X64_S: [^)]*\) has no GPU as of the account catalog of 'emulator_dev'/, gpu);
  assert.doesNotMatch(gpu, /`/, 'the Problems panel shows plain text: no markdown backticks');
  assert.match(gpu, /spcs account-pool-gpu \[Ln 10,/, 'the source, then the code without a repeated spcs/');

  await step('the warnings are squiggles in the editor, and the hover on the GPU request explains', async () => {
    await editor.locator('.squiggly-warning').first().waitFor({ state: 'visible' });
    // The `1` of `nvidia.com/gpu: 1` under `requests:` (the first of the two such lines).
    const line = await topmostLine(editor, /nvidia\.com\/gpu:\s1/);
    const hover = page.locator('.monaco-hover:visible', { hasText: /has no GPU/ }).first();
    await hoverUntil(page, line.locator('span > span').last(), hover);
    assert.match(await hover.innerText(), /DEMO_CPU_POOL/);
    // The diagnostic part of the hover is plain text too (the documentation below it is markdown).
    assert.match(await hover.innerText(), /compute pool 'DEMO_CPU_POOL'/);
    // Fully faded in for the screenshot.
    await page.waitForFunction(
      `(() => {
        const hover = [...document.querySelectorAll('.monaco-hover')].find((element) => element.offsetParent !== null);
        for (let element = hover; element; element = element.parentElement) {
          if (getComputedStyle(element).opacity !== '1') return false;
        }
        return hover !== undefined;
      })()`,
      undefined,
      { timeout: 5_000 },
    );
  });

  await step('the status bar\'s connection item shows the account checks are on', async () => {
    const item = statusBarItem(page, developerConnection);
    await item.locator('.codicon-check').waitFor({ state: 'visible', timeout: catalogTimeoutMs });
    assert.match(((await item.innerText()) ?? '').replace(/\u00a0/g, ' '), /emulator_dev · SPCS_DEVELOPER/);
  });

  await step('change the modeline to pool=DEMO_GPU_POOL', async () => {
    await page.mouse.move(0, 0);
    await page.keyboard.press('Escape');
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('End');
    // `_` joins a word: this selects DEMO_CPU_POOL.
    await page.keyboard.press('Control+Shift+ArrowLeft');
    await page.keyboard.type('DEMO_GPU_POOL');
    await editor.locator('.view-line', { hasText: '# spcs: pool=DEMO_GPU_POOL' }).waitFor({ state: 'visible' });
    assert.match(await editorText(editor), /^# spcs: pool=DEMO_GPU_POOL$/m);
  });

  await step('a node of GPU_NV_M has the GPU: the warning goes, and the code lens names the new target', async () => {
    // (While the name was typed, the pools `D`, `DE`, … did not exist: wait for the last word.)
    await problemsWhen(page, (texts) => !texts.some((text) => /\baccount-[a-z-]+ \[Ln/.test(text)), 'no account warning');
    await waitForCodeLens(page, 'Target: DEMO_GPU_POOL on the default connection');
  });
});

accountJourney('account checks: image-tag completion from the live repository', async ({ page, step }) => {
  const editor = await step('open account-image-tags.spcs.yaml from the explorer', async () => {
    const opened = await openFromExplorer(page, 'account-image-tags.spcs.yaml');
    await runCommand(page, 'View: Close Primary Side Bar');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden' });
    return opened;
  });

  await step('the status bar shows the account checks are on (the catalog was read in the background)', async () => {
    await statusBarItem(page, developerConnection).locator('.codicon-check').waitFor({ state: 'visible', timeout: catalogTimeoutMs });
  });

  await step(`type ${imagePath} after image:`, async () => {
    await editor.locator('.view-line', { hasText: /^\s+image:$/ }).click();
    await page.keyboard.press('End');
    await page.keyboard.type(` ${imagePath}`);
    await editor.locator('.view-line', { hasText: imagePath }).waitFor({ state: 'visible' });
  });

  const isTagRow = (row: SuggestRow) => row.label.startsWith(imagePath);
  const tags = await step('Ctrl+Space lists the tags v1, v2 and latest, newest first, with digest and push date', async () => {
    const shown = await suggestUntil(page, (rows) => rows.filter(isTagRow).length >= 3, 'the tags of echo', catalogTimeoutMs);
    // Wide enough to read the image paths in full, and (Ctrl+Space toggles it) the side pane with the
    // focused tag's details, as a user reads them.
    await widenSuggestWidget(page, 560);
    const details = page.locator('.suggest-details-container .suggest-details', { hasText: /Digest: sha256:[0-9a-f]+/ });
    if (!(await page.locator('.suggest-details-container .suggest-details').isVisible())) {
      await page.keyboard.press('Control+Space');
    }
    await details.waitFor({ state: 'visible' });
    await resizeSuggestDetails(page, 600, 130);
    const focusedTag = shown.filter(isTagRow)[0]?.label.slice(imagePath.length) ?? '';
    assert.match(await details.innerText(), new RegExp(`Tag ${focusedTag}[\\s\\S]*Pushed: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC`));
    return shown.filter(isTagRow);
  });
  const labels = tags.map((row) => row.label.slice(imagePath.length));
  assert.deepEqual([...labels].sort(), ['latest', 'v1', 'v2'], JSON.stringify(tags));
  assert.equal(labels.at(-1), 'v1', `v1, pushed first, comes last: ${labels.join(', ')}`);
  const dates = tags.map((row) => {
    const match = /^[0-9a-f]{12} · pushed (\d{4}-\d\d-\d\d \d\d:\d\d)/.exec(row.detail);
    assert.ok(match, `digest and push date in the detail of ${row.label}: "${row.detail}"`);
    return match[1] ?? '';
  });
  assert.deepEqual(dates, [...dates].sort().reverse(), `newest first: ${dates.join(', ')}`);

  await step('accept the first tag: the full image path is written', async () => {
    const first = labels[0] ?? '';
    await page.keyboard.press('Enter');
    await page.locator('.suggest-widget').waitFor({ state: 'hidden' });
    await editor.locator('.view-line', { hasText: `image: ${imagePath}${first}` }).waitFor({ state: 'visible' });
    assert.match(await editorText(editor), new RegExp(`^ {6}image: ${imagePath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}${first}$`, 'm'));
  });
});
