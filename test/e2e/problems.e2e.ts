/**
 * Journey: a user opens a spec with problems from the explorer, sees the squiggles, the count in the
 * status bar, and the entries in the Problems panel with the extension's codes.
 */

import assert from 'node:assert/strict';
import { editorText, journey, openFromExplorer } from './workbench';

journey('problems: squiggles and Problems panel entries with spcs codes', async ({ page, step }) => {
  const editor = await step('open problems.spcs.yaml from the explorer', () => openFromExplorer(page, 'problems.spcs.yaml'));
  assert.match(await editorText(editor), /name: Web_Server/);

  await step('see error and warning squiggles', async () => {
    await editor.locator('.squiggly-error').first().waitFor({ state: 'visible' });
    await editor.locator('.squiggly-warning').first().waitFor({ state: 'visible' });
  });

  await step('see the problem count in the status bar', async () => {
    const status = page.locator('#status\\.problems');
    await status.waitFor({ state: 'visible' });
    // The label reads "Errors: 2, Warnings: 2".
    const label = (await status.getAttribute('aria-label')) ?? (await status.innerText());
    assert.match(label, /Errors: [1-9]/, `status bar says "${label}"`);
  });

  const rows = page.locator('.markers-panel .monaco-list-row');
  await step('open the Problems panel', async () => {
    await page.keyboard.press('Control+Shift+M');
    await rows.first().waitFor({ state: 'visible' });
  });

  await step('read the spcs codes in the Problems panel', async () => {
    const expected = ['spcs/invalid-name', 'spcs/https-protocol', 'spcs/gpu-request-limit', 'spcs/stage-v1-deprecated'];
    for (const code of expected) {
      await page.locator('.markers-panel .monaco-list-row', { hasText: code }).first().waitFor({ state: 'visible' });
    }
    const texts = await rows.allInnerTexts();
    assert.ok(texts.some((text) => /Web_Server/.test(text) || /name/i.test(text)), `rows: ${JSON.stringify(texts)}`);
  });
});
