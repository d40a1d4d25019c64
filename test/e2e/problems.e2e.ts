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

  await step('read the codes in the Problems panel: spcs(invalid-name), the code a link to its row of the README table', async () => {
    const expected = ['invalid-name', 'https-protocol', 'gpu-request-limit', 'stage-v1-deprecated'];
    for (const code of expected) {
      // The row shows `.marker-source` "spcs", then the code, a link (`spcs(invalid-name)` on screen).
      const row = page.locator('.markers-panel .monaco-list-row', { has: page.locator('.marker-code', { hasText: new RegExp(`^${code}$`) }) }).first();
      await row.waitFor({ state: 'visible' });
      assert.equal((await row.locator('.marker-source').innerText()).trim(), 'spcs');
      const link = row.locator('a.monaco-link', { has: page.locator('.marker-code') });
      assert.equal(await link.getAttribute('href'), `https://github.com/vscode-spcs/vscode-spcs#spcs-${code}`);
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
