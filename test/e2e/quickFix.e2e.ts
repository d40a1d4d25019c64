/**
 * Journey: a user fixes a warning from the light bulb (`HTTPS` → `HTTP`) and sees the squiggle go.
 * The light bulb menu's screenshot (step 3) is docs/screenshots/quick-fix.png.
 */

import assert from 'node:assert/strict';
import { clickToken, editorText, journey, openFromExplorer } from './workbench';

journey('quick fix: change HTTPS to HTTP from the light bulb', async ({ page, step }) => {
  const editor = await step('open api.spcs.yaml', () => openFromExplorer(page, 'api.spcs.yaml'));
  await step('see the warning on HTTPS', () => editor.locator('.squiggly-warning').first().waitFor({ state: 'visible' }));
  const lightBulb = page.locator('.lightBulbWidget');
  await step('put the cursor on HTTPS and see the light bulb', async () => {
    await clickToken(editor, 'HTTPS');
    await lightBulb.waitFor({ state: 'visible' });
  });
  const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Change to' });
  await step('open the light bulb menu', async () => {
    await lightBulb.click();
    await fix.first().waitFor({ state: 'visible' });
    // The menu shows titles as plain text: quoted 'HTTP', not markdown backticks.
    assert.equal((await fix.first().innerText()).trim(), "Change to 'HTTP'");
  });
  await step('apply "Change to HTTP"', async () => {
    // The menu opens with its first fix focused; Enter applies it (clicking races the menu's layout).
    await page.locator('.action-widget .monaco-list-row.focused', { hasText: 'Change to' }).waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await editor.locator('.squiggly-warning').waitFor({ state: 'detached' });
  });
  assert.match(await editorText(editor), /protocol: HTTP$/m);
});
