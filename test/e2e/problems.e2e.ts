/**
 * Journey: a user opens a spec with problems from the explorer, sees the squiggles, the count in the
 * status bar, and the entries in the Problems panel with the extension's codes: `spcs(invalid-name)`,
 * the code a link to its row of the README, the messages in plain text. The last step's screenshot is
 * docs/screenshots/problems.png.
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

  await step('read the spcs codes in the Problems panel: spcs(code), each a link to its row of the README table', async () => {
    const expected = ['invalid-name', 'https-protocol', 'gpu-request-limit', 'stage-v1-deprecated'];
    for (const code of expected) {
      await page.locator('.markers-panel .monaco-list-row', { hasText: `spcs(${code})` }).first().waitFor({ state: 'visible' });
      const link = page.locator('.markers-panel .monaco-list-row a', { hasText: code }).first();
      await link.waitFor({ state: 'visible' });
      const target = (await link.getAttribute('href')) ?? (await link.getAttribute('title')) ?? '';
      assert.match(target, new RegExp(`#spcs-${code}$`), `the code ${code} links to its README row: ${target}`);
    }
    const texts = await rows.allInnerTexts();
    assert.ok(texts.some((text) => /Web_Server/.test(text)), `rows: ${JSON.stringify(texts)}`);
    // The source already says spcs; messages are plain text ('Web_Server', not markdown backticks).
    for (const text of texts) {
      assert.doesNotMatch(text, /spcs\/|`/, `a Problems row: ${text}`);
    }
    assert.ok(texts.some((text) => text.includes("'Web_Server'")), `rows: ${JSON.stringify(texts)}`);
  });
});
