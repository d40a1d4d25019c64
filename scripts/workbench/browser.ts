/**
 * Headless Chromium (Debian's) driven by playwright-core, for the extension-host runner and the
 * browser journeys.
 *
 * Owns: the launch flags that work offline on these machines (testing.md §2), a fresh profile per
 * launch (Playwright's default for `launch`), and a launch timeout. Playwright closes the browser when
 * this process ends; callers close it in `finally` as well.
 */

import { chromium, type Browser } from 'playwright-core';
import type { WorkbenchTools } from './tools';

export const browserArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(tools: WorkbenchTools): Promise<Browser> {
  return chromium.launch({ executablePath: tools.chromium, headless: true, args: browserArgs, timeout: 60_000 });
}
