/**
 * The harness of the browser journeys: a user's view of the extension in the real VS Code workbench
 * (code-server + headless Chromium), with the packaged VSIX installed.
 *
 * Owns: one journey = one `node:test` test with a fresh browser context and a fresh copy of the
 * fixture workspace; `step()`s that each end with a screenshot in `.test-results/e2e/<journey>/`; a
 * screenshot of the moment it broke (`failure.png`) when a step throws; and the few workbench moves
 * every journey needs (open a file from the explorer, read the editor, run a command).
 *
 * The server: `test/e2e/run.ts` starts one for the whole run and passes its origin in
 * `SPCS_E2E_ORIGIN`; a journey file run on its own (`node --import tsx --test test/e2e/x.e2e.ts`)
 * starts its own, installing the VSIX from `npm run package` (built first if missing). Either way the
 * server's extension hosts get an empty `SNOWFLAKE_HOME` for the run (`SPCS_E2E_SNOWFLAKE_HOME`); a
 * journey declared with `{ account: … }` has a local emulator's connections written into it while it
 * runs (accountFixture.ts; the helpers to drive the sidebar are in accountWorkbench.ts).
 *
 * Selectors are the ones testing.md §3 found to work on VS Code 1.100. Every wait is on a condition
 * with a timeout; nothing sleeps.
 */

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser } from '../../scripts/workbench/browser';
import { startCodeServer, type CodeServer } from '../../scripts/workbench/codeServer';
import { repositoryRoot } from '../../scripts/workbench/compileTests';
import { createSnowflakeHome } from '../../scripts/workbench/emulatorConnections';
import { ensureWorkbenchTools, type WorkbenchTools } from '../../scripts/workbench/tools';
import { vsixPath } from '../../scripts/workbench/vsix';
import { startJourneyAccount, type JourneyAccount, type JourneyAccountOptions } from './accountFixture';

export const artefactsRoot = path.join(repositoryRoot, '.test-results', 'e2e');
const journeyTimeoutMs = 120_000;
const journeyDeadlineMs = journeyTimeoutMs - 20_000;
const stepTimeoutMs = 20_000;

/** Settings for a quiet workbench: nothing pops up over the editor that a journey did not ask for. */
export const workbenchSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'editor.hover.delay': 300,
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Builds the VSIX with `npm run package` unless it exists; returns its path. */
export function ensureVsix(): string {
  const file = vsixPath(repositoryRoot);
  if (!existsSync(file)) {
    const result = spawnSync('npm', ['run', 'package'], { cwd: repositoryRoot, stdio: 'inherit', timeout: 180_000 });
    if (result.status !== 0 || !existsSync(file)) {
      throw new Error(`npm run package failed (${result.error?.message ?? `exit code ${result.status}`})`);
    }
  }
  return file;
}

interface Shared {
  readonly tools: WorkbenchTools;
  readonly browser: Browser;
  /** The run's server, or one this file starts the first time a journey needs it. */
  readonly origin: () => Promise<string>;
  readonly stop: () => Promise<void>;
}

let shared: Promise<Shared> | undefined;

/** The tools and one browser for this file's journeys; the server on demand. */
function setUp(): Promise<Shared> {
  shared ??= (async () => {
    const tools = await ensureWorkbenchTools();
    const browser = await launchBrowser(tools);
    let own: Promise<CodeServer> | undefined;
    // A file run on its own starts its own server, with its own empty SNOWFLAKE_HOME (as run.ts does).
    let ownHome: string | undefined;
    if (!process.env.SPCS_E2E_ORIGIN) {
      const home = createSnowflakeHome('vscode-spcs-e2e-snowflake-');
      ownHome = home;
      process.env.SPCS_E2E_SNOWFLAKE_HOME = home;
      process.on('exit', () => rmSync(home, { recursive: true, force: true }));
    }
    return {
      tools,
      browser,
      origin: async () => {
        if (process.env.SPCS_E2E_ORIGIN) {
          return process.env.SPCS_E2E_ORIGIN;
        }
        own ??= startCodeServer(tools, { vsix: [ensureVsix()], settings: workbenchSettings, env: ownHome ? { SNOWFLAKE_HOME: ownHome } : {} });
        return (await own).origin;
      },
      stop: async () => {
        await browser.close().catch(() => undefined);
        await (await own)?.stop();
        if (ownHome) {
          rmSync(ownHome, { recursive: true, force: true });
          delete process.env.SPCS_E2E_SNOWFLAKE_HOME;
        }
      },
    };
  })();
  return shared;
}

export interface Journey {
  readonly page: Page;
  /** Opens the workbench at `origin` on `folder` and waits until the explorer shows it. */
  readonly openWorkbench: (origin: string, folder: string) => Promise<void>;
  /** The fresh copy of test/e2e/fixtures this journey works in. */
  readonly workspace: string;
  /** Runs one user-visible step, then saves a screenshot named after it. */
  readonly step: <T>(name: string, action: () => Promise<T>) => Promise<T>;
  readonly screenshot: (name: string) => Promise<void>;
  /** The local emulator and its connections, for a journey declared with `{ account: … }`. */
  readonly account: JourneyAccount | undefined;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export interface JourneyOptions {
  /** `false`: the journey opens a workbench itself (`openWorkbench`) instead of the shared server's. */
  readonly sharedWorkbench?: boolean;
  /**
   * Start a local emulator (demo seed) and write its connections (`emulator_dev`, `emulator_viewer`)
   * into the run's SNOWFLAKE_HOME before the workbench opens; stopped and removed when the journey
   * ends. `true` for the defaults (emulated time at 20×, both connections).
   */
  readonly account?: boolean | JourneyAccountOptions;
}

/** Declares a journey: a test with its own browser context, workspace copy and screenshots. */
export function journey(name: string, body: (journey: Journey) => Promise<void>, options: JourneyOptions = {}): void {
  before(async () => {
    await setUp();
  });
  after(async () => {
    if (!shared) {
      return;
    }
    const { stop } = await shared;
    shared = undefined;
    await stop();
  });

  void test(name, { timeout: journeyTimeoutMs }, async () => {
    const { browser, origin } = await setUp();
    const artefacts = path.join(artefactsRoot, slug(name));
    rmSync(artefacts, { recursive: true, force: true });
    mkdirSync(artefacts, { recursive: true });
    const temp = mkdtempSync(path.join(os.tmpdir(), 'vscode-spcs-e2e-'));
    const workspace = path.join(temp, 'workspace');
    cpSync(path.join(repositoryRoot, 'test', 'e2e', 'fixtures'), workspace, { recursive: true });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(stepTimeoutMs);
    let shots = 0;
    let currentStep = 'opening the workbench';
    const screenshot = async (label: string) => {
      shots += 1;
      await page.screenshot({ path: path.join(artefacts, `${String(shots).padStart(2, '0')}-${slug(label)}.png`), timeout: 10_000 });
    };
    const openWorkbench = async (workbenchOrigin: string, folder: string) => {
      await page.goto(`${workbenchOrigin}/?${new URLSearchParams({ folder }).toString()}`, { timeout: 60_000 });
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 60_000 });
    };
    // Started inside the journey's deadline; stopped in `finally` even when the deadline won the race.
    let accountStarted: Promise<JourneyAccount> | undefined;
    const journeyRun = (account: JourneyAccount | undefined): Journey => ({
      page,
      openWorkbench,
      workspace,
      screenshot,
      account,
      step: async (stepName, action) => {
        currentStep = stepName;
        const result = await action();
        await screenshot(stepName);
        return result;
      },
    });
    // Our own deadline, shorter than the test runner's, so that a journey that hangs still ends with a
    // screenshot of where it hung.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the journey took longer than ${journeyDeadlineMs / 1000} s`)), journeyDeadlineMs);
    });
    try {
      const journeyDone = (async () => {
        let account: JourneyAccount | undefined;
        if (options.account) {
          currentStep = 'starting the local emulator';
          accountStarted = startJourneyAccount(options.account === true ? {} : options.account);
          account = await accountStarted;
        }
        if (options.sharedWorkbench !== false) {
          currentStep = 'opening the workbench';
          await openWorkbench(await origin(), workspace);
        }
        await body(journeyRun(account));
      })();
      // If the deadline wins, the abandoned journey fails later, once its page is closed: not news.
      journeyDone.catch(() => undefined);
      await Promise.race([journeyDone, deadline]);
    } catch (error) {
      const failure = path.join(artefacts, 'failure.png');
      await page.screenshot({ path: failure, timeout: 10_000 }).catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`journey "${name}" broke while ${currentStep}: ${message}\nscreenshot: ${path.relative(repositoryRoot, failure)}`, { cause: error });
    } finally {
      clearTimeout(timer);
      await context.close().catch(() => undefined);
      await accountStarted?.then(
        (account) => account.stop(),
        () => undefined,
      );
      rmSync(temp, { recursive: true, force: true });
    }
  });
}

/** Opens a file by clicking it in the explorer, as a user would, and waits for its editor. */
export async function openFromExplorer(page: Page, fileName: string): Promise<Locator> {
  await page.getByRole('treeitem', { name: fileName }).click();
  const tab = page.locator('.tabs-container .tab', { hasText: fileName });
  await tab.waitFor({ state: 'visible' });
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-lines').waitFor({ state: 'visible' });
  return editor;
}

/** The editor's visible text, lines joined with `\n` (Monaco renders spaces as no-break spaces). */
export async function editorText(editor: Locator): Promise<string> {
  // Monaco reuses line elements, so their order in the DOM is not the order on screen: sort by `top`.
  // (This file is type-checked without the DOM library, hence the structural element type.)
  type LineElement = { readonly style: { readonly top: string }; readonly textContent: string | null };
  const lines = await editor.locator('.view-lines .view-line').evaluateAll((elements: unknown[]) =>
    (elements as LineElement[])
      .map((element) => ({ top: parseFloat(element.style.top || '0'), text: element.textContent ?? '' }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text),
  );
  return lines.join('\n').replace(/\u00a0/g, ' ');
}

/**
 * Waits until the editor shows text matching `pattern` and returns it: typed keys reach Monaco's
 * rendering a moment after `keyboard.type` returns, later still on a loaded machine.
 */
export async function editorTextWhen(editor: Locator, pattern: RegExp, timeoutMs = stepTimeoutMs): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await editorText(editor);
    if (pattern.test(text) || Date.now() > deadline) {
      return text;
    }
    await editor.page().waitForTimeout(100);
  }
}

/** A token of the editor's text as the mouse sees it (a string matches part of a token). */
export function token(editor: Locator, text: string | RegExp): Locator {
  return editor.locator('.view-lines .view-line span span', { hasText: text }).first();
}

/** Puts the cursor at the start of a token by clicking it. */
export async function clickToken(editor: Locator, text: string, where: 'start' | 'end' = 'start'): Promise<void> {
  const target = token(editor, text);
  const box = await target.boundingBox();
  if (!box) {
    throw new Error(`"${text}" is not visible in the editor`);
  }
  await target.click({ position: { x: where === 'start' ? 1 : Math.max(1, box.width - 1), y: box.height / 2 } });
}

/** Runs a command through the command palette, by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

/**
 * Hovers `target` until `hover` shows. A hover that found nothing (the language server still
 * starting) does not ask again while the mouse stays put, so each attempt moves away and back.
 */
export async function hoverUntil(page: Page, target: Locator, hover: Locator, timeoutMs = stepTimeoutMs): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await target.hover();
    try {
      await hover.waitFor({ state: 'visible', timeout: Math.min(3_000, Math.max(1, deadline - Date.now())) });
      return;
    } catch (error) {
      if (Date.now() >= deadline) {
        throw error;
      }
      await page.mouse.move(0, 0);
    }
  }
}
