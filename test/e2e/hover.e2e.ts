/**
 * Journey: a user points at a field of a spec and reads its documentation in the hover.
 */

import assert from 'node:assert/strict';
import { hoverUntil, journey, openFromExplorer, token } from './workbench';

journey('hover: read the documentation of a field', async ({ page, step }) => {
  const editor = await step('open api.spcs.yaml', () => openFromExplorer(page, 'api.spcs.yaml'));
  const hover = page.locator('.monaco-hover:visible', { hasText: /ready/ });
  // Diagnostics on the spec mean the language server is up.
  await step('see the language server at work', () => editor.locator('.squiggly-warning').first().waitFor({ state: 'visible' }));
  await step('hover readinessProbe', async () => {
    await hoverUntil(page, token(editor, 'readinessProbe'), hover.first());
    // The hover fades in; the screenshot shows it once it is fully drawn.
    await page.waitForFunction(
      `(() => {
        for (let element = document.querySelector('.monaco-hover'); element; element = element.parentElement) {
          if (getComputedStyle(element).opacity !== '1') return false;
        }
        return document.querySelector('.monaco-hover') !== null;
      })()`,
      undefined,
      { timeout: 5000 },
    );
  });
  const text = await hover.first().innerText();
  assert.match(text, /port/);
  assert.match(text, /path/);
});
