/**
 * Journey: a user adds a key to a container with completion (Ctrl+Space, Enter).
 */

import assert from 'node:assert/strict';
import { clickToken, editorText, journey, openFromExplorer } from './workbench';

journey('completion: add a container key from the suggestions', async ({ page, step }) => {
  const editor = await step('open api.spcs.yaml', () => openFromExplorer(page, 'api.spcs.yaml'));
  await step('start a new key below the image', async () => {
    await clickToken(editor, 'orders-api:2.3.1', 'end');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('volumeM');
  });
  const row = page.locator('.suggest-widget .monaco-list-row', { hasText: 'volumeMounts' });
  await step('trigger completion', async () => {
    await page.keyboard.press('Control+Space');
    await row.first().waitFor({ state: 'visible' });
  });
  await step('accept volumeMounts', async () => {
    await row.first().click();
    await page.locator('.suggest-widget').waitFor({ state: 'hidden' });
  });
  assert.match(await editorText(editor), /^ {6}volumeMounts:/m);
});
