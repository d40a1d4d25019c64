/**
 * The metrics panel's built page (dist/webview) in headless Chromium, the way VS Code shows it: the
 * HTML of `metricsPageHtml` with its Content-Security-Policy and nonce, served from a webview-like
 * origin (requests to it answered from dist/webview, nothing else reachable), a stand-in for
 * `acquireVsCodeApi` (messages to the extension arrive in `received`; state kept in sessionStorage so a
 * reload restores it, as VS Code restores a webview's state), and a dark theme's `--vscode-*`
 * variables on the root element, as VS Code injects them. Used by the webview tests and the benchmark.
 */

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { metricsPageHtml, newNonce } from '../../client/src/monitoring/metricsPage';
import type { FromWebview, ToWebview } from '../../client/src/monitoring/metricsMessages';
import { browserArgs } from '../../scripts/workbench/browser';
import { chromiumPath } from '../../scripts/workbench/tools';

export const webviewOrigin = 'https://webview.spcs.test';
const distDir = path.resolve(__dirname, '../../dist/webview');

/** Why the page cannot be loaded here, or `undefined` when it can. */
export function webviewUnavailable(): string | undefined {
  if (!existsSync(path.join(distDir, 'metricsView.js'))) return 'dist/webview is missing: run `npm run build` first';
  if (!existsSync(chromiumPath)) return `${chromiumPath} is missing: run \`npm run workbench:tools\``;
  return undefined;
}

/** A dark theme's variables, as VS Code sets them on the webview's root element (a subset: what the page uses). */
export const darkTheme: Readonly<Record<string, string>> = {
  '--vscode-font-family': 'sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': 'monospace',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-button-secondaryHoverBackground': '#3c3c3c',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-input-background': '#313131',
  '--vscode-input-foreground': '#cccccc',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-textBlockQuote-background': '#2b2b2b',
  '--vscode-textCodeBlock-background': '#2b2b2b',
  '--vscode-errorForeground': '#f85149',
  '--vscode-charts-foreground': '#cccccc',
  '--vscode-charts-lines': 'rgba(204, 204, 204, 0.25)',
  // Pure colours, so a test can find each in the canvas.
  '--vscode-charts-red': '#ff0000',
  '--vscode-charts-blue': '#0000ff',
  '--vscode-charts-green': '#00ff00',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-purple': '#b180d7',
};

export interface WebviewPage {
  readonly page: Page;
  /** Every message the page posted to the "extension", in order. */
  readonly received: FromWebview[];
  /** Posts a message to the page, as `webview.postMessage` does. */
  send(message: ToWebview): Promise<void>;
  /** Waits until a posted message matches (polling `received`, never a fixed sleep). */
  waitFor<T extends FromWebview>(match: (message: FromWebview) => message is T, timeoutMs?: number): Promise<T>;
  /** Sets theme variables on the root element, as VS Code does when the user switches themes. */
  setTheme(variables: Readonly<Record<string, string>>): Promise<void>;
  /** Problems the page reported: CSP violations, errors, failed requests. */
  readonly problems: string[];
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: browserArgs, timeout: 60_000 });
}

/** Opens the panel page in a new page of `browser` (`width` × 900 CSS pixels). */
export async function openMetricsPage(browser: Browser, options: { readonly width?: number } = {}): Promise<WebviewPage> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1000, height: 900 } });
  const received: FromWebview[] = [];
  const problems: string[] = [];
  await page.exposeBinding('__spcsPost', (_source, message: FromWebview) => {
    received.push(message);
  });
  // The stand-in for VS Code's webview API (page code: a string, this project's TypeScript has no DOM types).
  await page.addInitScript(`
    window.acquireVsCodeApi = () => ({
      postMessage: (message) => window.__spcsPost(message),
      getState: () => JSON.parse(sessionStorage.getItem('vscodeState') ?? 'null'),
      setState: (state) => sessionStorage.setItem('vscodeState', JSON.stringify(state)),
    });
    window.__spcsViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => window.__spcsViolations.push(event.violatedDirective + ' ' + event.blockedURI));
  `);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  // VS Code puts the theme on the root element's style and a theme class on the body before the page's scripts run.
  const themeStyle = Object.entries(darkTheme).map(([name, value]) => `${name}: ${value}`).join('; ');
  const html = metricsPageHtml({ cspSource: webviewOrigin, nonce: newNonce(), scriptUri: `${webviewOrigin}/metricsView.js`, styleUri: `${webviewOrigin}/metricsView.css`, title: 'Metrics' })
    .replace('<html lang="en">', `<html lang="en" style="${themeStyle}">`)
    .replace('<body>', '<body class="vscode-dark">');
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== webviewOrigin) {
      problems.push(`request outside the webview: ${url.href}`);
      await route.abort();
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      await route.fulfill({ status: 200, contentType: 'text/html', body: html });
      return;
    }
    const file = path.join(distDir, path.basename(url.pathname));
    if (!existsSync(file)) {
      await route.fulfill({ status: 404, body: '' });
      return;
    }
    await route.fulfill({ status: 200, contentType: file.endsWith('.css') ? 'text/css' : file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream', body: readFileSync(file) });
  });
  await page.goto(`${webviewOrigin}/`);
  return {
    page,
    received,
    problems,
    send: async (message) => {
      await page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
    },
    waitFor: async <T extends FromWebview>(match: (message: FromWebview) => message is T, timeoutMs = 10_000): Promise<T> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`timed out waiting for a message from the webview; got ${JSON.stringify(received.map((each) => each.type))}`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    },
    setTheme: async (variables) => {
      await page.evaluate(`for (const [name, value] of Object.entries(${JSON.stringify(variables)})) document.documentElement.style.setProperty(name, value)`);
    },
  };
}

/** How many pixels of the chart's canvas have exactly this colour (`[r, g, b]`), ±24 per channel for anti-aliasing. */
export async function countColor(page: Page, chartId: string, rgb: readonly [number, number, number]): Promise<number> {
  return page.evaluate<number>(`(() => {
    const canvas = document.querySelector('#chart-${chartId} canvas');
    const context = canvas && canvas.getContext('2d');
    if (!canvas || !context) return -1;
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const [r, g, b] = ${JSON.stringify(rgb)};
    let count = 0;
    for (let index = 0; index < pixels.length; index += 4) {
      if (Math.abs(pixels[index] - r) <= 24 && Math.abs(pixels[index + 1] - g) <= 24 && Math.abs(pixels[index + 2] - b) <= 24 && pixels[index + 3] > 200) count++;
    }
    return count;
  })()`);
}

/**
 * Waits until a page expression is true, polling with `page.evaluate` (which the page's policy
 * allows; `waitForFunction` compiles the expression in the page, which a policy without 'unsafe-eval' refuses).
 */
export async function until(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(`Boolean(${expression})`))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** CSP violations the page reported (the harness listens for securitypolicyviolation). */
export async function violations(page: Page): Promise<string[]> {
  return page.evaluate<string[]>('window.__spcsViolations');
}
