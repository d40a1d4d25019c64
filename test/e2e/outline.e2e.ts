/**
 * Journey: a user opens the Outline view of a spec, then jumps to an endpoint with Go to Symbol.
 */

import assert from 'node:assert/strict';
import { journey, openFromExplorer } from './workbench';

journey('outline: the structure of a spec and Go to Symbol', async ({ page, step }) => {
  await step('open vllm.spcs.yaml', () => openFromExplorer(page, 'vllm.spcs.yaml'));
  const outline = page.locator('.pane-header', { hasText: 'Outline' });
  const rows = page.locator('.outline-pane .monaco-list-row');
  await step('expand the Outline view', async () => {
    if ((await outline.getAttribute('aria-expanded')) !== 'true') {
      await outline.click();
    }
    for (const name of ['spec', 'containers', 'vllm']) {
      await rows.filter({ hasText: name }).first().waitFor({ state: 'visible' });
    }
  });
  const picks = page.locator('.quick-input-list .monaco-list-row');
  await step('list the symbols with Go to Symbol in Editor', async () => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible' });
    await input.fill('@');
    await picks.first().waitFor({ state: 'visible' });
    // The list is virtual (only the rows in view exist): filter it to find each symbol.
    for (const name of ['chat-ui', 'openai-api', 'models']) {
      await input.fill(`@${name}`);
      await picks.filter({ hasText: name }).first().waitFor({ state: 'visible' });
    }
  });
  await step('jump to the openai-api endpoint', async () => {
    await page.locator('.quick-input-widget input.input').fill('@openai-api');
    await picks.filter({ hasText: 'openai-api' }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  });
  const position = await page.locator('#status\\.editor\\.selection').innerText();
  assert.match(position, /^Ln 21,/, `the cursor is at "${position}", not on the openai-api endpoint (line 21)`);
});
