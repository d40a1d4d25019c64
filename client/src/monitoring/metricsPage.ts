/**
 * The HTML of the metrics panel's webview: a strict Content-Security-Policy (nothing but the
 * extension's own bundled script and stylesheet, the script allowed by a nonce; no remote content, no
 * inline script, no eval), the bundle `dist/webview/metricsView.js` (built from `client/webview/metrics/`)
 * and its stylesheet. Pure: the caller passes the webview's `cspSource` and the asset URIs as strings
 * (`webview.asWebviewUri(…).toString()`), so tests and the benchmark load the same page in a browser.
 *
 * Must not: put data in the page (data arrives as messages, `metricsMessages.ts`).
 */

import { randomBytes } from 'node:crypto';

export interface MetricsPageOptions {
  /** `webview.cspSource`: where the page may load its own assets from. */
  readonly cspSource: string;
  /** A fresh value per page load (`newNonce()`). */
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  /** The panel's title, for the document (shown by screen readers). */
  readonly title: string;
}

/** 128 random bits, base64: the nonce that lets the page's one script run. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}

function checked(value: string, what: string): string {
  // Values go into an attribute and the policy: a quote or a semicolon would open a hole in either.
  if (/["'<>;\s]/.test(value)) throw new RangeError(`${what} has characters that cannot go into the page: ${JSON.stringify(value)}`);
  return value;
}

/** The page; see the header. */
export function metricsPageHtml(options: MetricsPageOptions): string {
  const nonce = checked(options.nonce, 'The nonce');
  // A source is 'self' (code-server's webviews name it) or a scheme/host expression; no other keyword
  // ('unsafe-inline', 'unsafe-eval') may come in through it.
  const source = options.cspSource
    .split(/\s+/)
    .filter((part) => part !== '')
    .map((part) => (part === "'self'" ? part : checked(part, 'The CSP source')))
    .join(' ');
  const policy = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${source}`,
    `img-src ${source} data:`,
    `font-src ${source}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<link rel="stylesheet" href="${escapeHtml(checked(options.styleUri, 'The style URI'))}">
</head>
<body>
<header class="toolbar">
  <div class="heading"><h1 id="title">${escapeHtml(options.title)}</h1><span id="subtitle" class="subtle"></span></div>
  <div class="controls">
    <div id="ranges" class="segmented" role="radiogroup" aria-label="Time range"></div>
    <form id="custom" class="custom" hidden>
      <label>From <input id="customStart" type="datetime-local" step="60" required></label>
      <label>to <input id="customEnd" type="datetime-local" step="60" required></label>
      <span class="subtle">UTC</span>
      <button type="submit">Show</button>
    </form>
    <div class="segmented" role="radiogroup" aria-label="View">
      <button type="button" role="radio" id="viewCharts" data-view="charts">Charts</button>
      <button type="button" role="radio" id="viewTable" data-view="table">Table</button>
    </div>
    <button type="button" id="refresh" title="Refresh now">Refresh</button>
  </div>
  <div id="status" class="subtle" role="status" aria-live="polite"></div>
</header>
<section id="explanation" class="explanation" role="alert" hidden>
  <h2 id="explanationTitle"></h2>
  <p id="explanationMessage"></p>
  <pre id="explanationCode" hidden></pre>
  <div id="explanationActions" class="actions"></div>
</section>
<main id="charts" aria-label="Metrics"></main>
<script nonce="${nonce}" src="${escapeHtml(checked(options.scriptUri, 'The script URI'))}"></script>
</body>
</html>
`;
}
