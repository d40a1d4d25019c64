/**
 * Running a test payload inside code-server's real Node extension host (testing.md §2).
 *
 * The server ignores `--extensionTestsPath`; the web workbench reads `extensionDevelopmentPath` and
 * `extensionTestsPath` from the URL's `payload` instead. Headless Chromium opens that URL; the
 * workbench loads the extension under development, requires the tests' `index.js`, calls its `run()`,
 * and reports the outcome through `window.codeAutomationExit(code)` (1 also when the module does not
 * load). The extension host's console arrives through `window.codeAutomationLog`.
 *
 * Owns: one such run, with a deadline, a screenshot when it times out, and the server and browser
 * stopped afterwards whatever happens. Results beyond the exit code travel through a file whose path
 * is in the environment (the extension host inherits the server's environment).
 */

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser } from './browser';
import { startCodeServer } from './codeServer';
import type { WorkbenchTools } from './tools';

export interface PayloadRun {
  /** The extension under development: a folder with its package.json. */
  readonly extensionPath: string;
  /** The folder holding the payload's `index.js` (exports `run(): Promise<void>`). */
  readonly testsPath: string;
  /** The workspace folder the workbench opens. */
  readonly workspace: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly timeoutMs: number;
  /** Where a screenshot of the workbench goes if the run times out. */
  readonly artefactsDir: string;
  /** Receives each console line of the extension host. */
  readonly onLog?: (line: string) => void;
  readonly log?: (line: string) => void;
}

export interface PayloadOutcome {
  /** 0 when `run()` resolved; 1 when it rejected or the payload failed to load; undefined on timeout. */
  readonly exitCode: number | undefined;
  readonly durationMs: number;
  /** The server's output, for failure reports. */
  readonly serverOutput: string;
}


export async function runExtensionHostPayload(tools: WorkbenchTools, run: PayloadRun): Promise<PayloadOutcome> {
  const started = Date.now();
  const server = await startCodeServer(tools, { env: run.env, settings: run.settings, log: run.log });
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    browser = await launchBrowser(tools);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: unknown) => reportExit(typeof code === 'number' ? code : 1));
    // The workbench's log (including the extension host's console) arrives here as (level, message).
    await page.exposeFunction('codeAutomationLog', (level: unknown, message: unknown) => run.onLog?.(`[${String(level)}] ${String(message)}`));
    const url = server.workbenchUrl(run.workspace, [
      ['extensionDevelopmentPath', server.remoteUri(run.extensionPath)],
      ['extensionTestsPath', server.remoteUri(run.testsPath)],
      ['skipWelcome', 'true'],
    ]);
    await page.goto(url, { timeout: 60_000 });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), run.timeoutMs)));
    const exitCode = await Promise.race([exited, deadline]);
    clearTimeout(timer);
    if (exitCode === undefined) {
      mkdirSync(run.artefactsDir, { recursive: true });
      const screenshot = path.join(run.artefactsDir, 'timeout.png');
      await page.screenshot({ path: screenshot, timeout: 10_000 }).catch(() => undefined);
      run.log?.(`extension host: no result within ${run.timeoutMs / 1000} s; screenshot: ${screenshot}`);
    }
    return { exitCode, durationMs: Date.now() - started, serverOutput: server.output() };
  } finally {
    await browser?.close().catch(() => undefined);
    await server.stop();
  }
}
