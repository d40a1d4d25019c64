/**
 * The metrics panel's page, built (dist/webview) and loaded in headless Chromium under its own
 * Content-Security-Policy with a stand-in for VS Code's webview API (webviewHarness.ts): charts drawn
 * as they arrive, the memory limit drawn as a line in the theme's red, series in the theme's chart
 * colours and redrawn when the theme changes, the table view with the chart's numbers, the range
 * picker by keyboard, the state kept over a reload, the explanation's buttons, and nothing the policy
 * blocks (while an injected inline script is blocked). A screenshot is written to
 * .test-results/webview/ to look at.
 */

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { chartDefinition } from '../../client/src/monitoring/metricCatalog';
import type { ChartData, FromWebview, ToWebview } from '../../client/src/monitoring/metricsMessages';
import { shapeChart } from '../../client/src/monitoring/metricShaping';
import type { MetricRow } from '../../client/src/monitoring/telemetryRows';
import { countColor, launchChromium, openMetricsPage, until, violations, webviewUnavailable } from './webviewHarness';

const GiB = 1024 ** 3;
const end = Date.UTC(2026, 0, 1, 12);
const start = end - 6 * 3_600_000;
const screenshots = path.resolve(__dirname, '../../.test-results/webview');

/** Six hours of a vLLM container in 1-minute buckets: memory climbing towards its 160 GiB limit, four busy GPUs. */
function demoCharts(): ChartData[] {
  const rows: MetricRow[] = [];
  for (let minute = 0; minute <= 360; minute++) {
    const time = start + minute * 60_000;
    const load = 0.5 + 0.4 * Math.sin(minute / 40);
    rows.push({ time, metric: 'container.memory.usage', instanceId: '0', container: 'vllm', attribute: undefined, value: (60 + (90 * minute) / 360) * GiB });
    rows.push({ time, metric: 'container.memory.limit', instanceId: '0', container: 'vllm', attribute: undefined, value: 160 * GiB });
    rows.push({ time, metric: 'container.memory.usage', instanceId: '0', container: 'chat-ui', attribute: undefined, value: 1.5 * GiB });
    rows.push({ time, metric: 'container.memory.limit', instanceId: '0', container: 'chat-ui', attribute: undefined, value: 160 * GiB });
    for (const gpu of ['0', '1', '2', '3']) rows.push({ time, metric: 'container.gpu.utilization', instanceId: '0', container: 'vllm', attribute: gpu, value: Math.min(1, load + Number(gpu) * 0.03) });
    rows.push({ time, metric: 'container.cpu.usage', instanceId: '0', container: 'vllm', attribute: undefined, value: 6 * load });
  }
  const context = { window: { start, end }, bucketSeconds: 60, scope: 'service' as const };
  return ['cpu', 'memory', 'gpuUtilization'].map((id) => {
    const definition = chartDefinition(id);
    assert.ok(definition);
    const chart = shapeChart(definition, rows, context);
    assert.ok(chart, id);
    return chart;
  });
}

const isType =
  <K extends FromWebview['type']>(type: K) =>
  (message: FromWebview): message is Extract<FromWebview, { type: K }> =>
    message.type === type;

const unavailable = webviewUnavailable();

describe('metrics webview (headless Chromium)', { skip: unavailable ?? false }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  it('paints each chart as it arrives, the memory limit as a red dashed line, in the theme’s colours, and follows a theme change', async () => {
    const view = await openMetricsPage(browser);
    const ready = await view.waitFor(isType('ready'));
    assert.deepEqual(ready.state, { range: { kind: 'preset', preset: '1h' }, view: 'charts' }, 'a new panel starts at one hour of charts');
    const charts = demoCharts();
    await view.send({ type: 'target', title: 'LLM_SERVICE', subtitle: 'SPCS_DEMO.PUBLIC on spcs_emulator' });
    await view.send({ type: 'loading', requestId: 1, range: { kind: 'preset', preset: '6h' }, start, end, bucketSeconds: 60, charts: charts.map(({ id, title, description }) => ({ id, title, description })) });
    assert.equal(await view.page.locator('section.chart').count(), 3, 'the layout is there before the data');
    // The memory chart arrives first and is painted alone.
    await view.send({ type: 'chart', requestId: 1, chart: charts[1] as ChartData });
    const painted = await view.waitFor(isType('painted'));
    assert.deepEqual(painted, { type: 'painted', requestId: 1, chartId: 'memory' });
    assert.equal(await view.page.locator('#chart-cpu canvas').count(), 0, 'cpu is still loading');
    for (const chart of [charts[0], charts[2]] as ChartData[]) await view.send({ type: 'chart', requestId: 1, chart });
    await view.send({ type: 'chart', requestId: 0, chart: { ...(charts[0] as ChartData), title: 'STALE' } });
    await view.send({ type: 'loaded', requestId: 1, at: end, refreshSeconds: 60 });
    await until(view.page, 'document.querySelectorAll("section.chart canvas").length === 3');
    assert.equal(await view.page.locator('text=STALE').count(), 0, 'an answer to an older request is ignored');
    assert.match((await view.page.locator('#status').textContent()) ?? '', /^Up to 2026-01-01 12:00:00 UTC; refreshes every 60 s while visible\./);
    assert.equal(await view.page.locator('#title').textContent(), 'LLM_SERVICE');
    // The legend (hover read-out) names the limit; the limit line is drawn in --vscode-charts-red (#ff0000).
    assert.deepEqual(await view.page.locator('#chart-memory .u-legend .u-series th').allTextContents(), ['Time (UTC)', '0/chat-ui', '0/vllm', 'memory limit']);
    const red = await countColor(view.page, 'memory', [255, 0, 0]);
    assert.ok(red > 300, `the limit line: ${red} red pixels`);
    assert.ok((await countColor(view.page, 'memory', [0, 0, 255])) > 300, 'the first series in --vscode-charts-blue');
    assert.equal(await countColor(view.page, 'cpu', [255, 0, 0]), 0, 'no limit on the cpu chart');
    assert.match((await view.page.locator('#chart-memory .summary').textContent()) ?? '', /^latest 150 GiB of 160 GiB \(94 %\) · 0\/vllm$/);
    assert.equal(await view.page.locator('#chart-memory .uplot').getAttribute('role'), 'img');
    // Hover: the read-out shows the values at the cursor, formatted like the table.
    const box = await view.page.locator('#chart-memory .u-over').boundingBox();
    assert.ok(box);
    await view.page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
    await until(view.page, 'document.querySelector("#chart-memory .u-legend .u-series:nth-child(3) .u-value").textContent.endsWith("GiB")');
    assert.match((await view.page.locator('#chart-memory .u-legend .u-series').nth(0).locator('.u-value').textContent()) ?? '', /^2026-01-01 1\d:\d\d:00 UTC$/);
    assert.match((await view.page.locator('#chart-memory .u-legend .u-series').nth(3).locator('.u-value').textContent()) ?? '', /^160\.00 GiB$/);
    mkdirSync(screenshots, { recursive: true });
    await view.page.screenshot({ path: path.join(screenshots, 'metrics-dark.png'), fullPage: true });
    // A theme change (VS Code rewrites the variables in place): the charts are redrawn in the new colours.
    await view.setTheme({ '--vscode-charts-red': '#ff00ff', '--vscode-editor-background': '#ffffff', '--vscode-foreground': '#333333' });
    await until(view.page, '(() => { const c = document.querySelector("#chart-memory canvas"); const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data; for (let i = 0; i < d.length; i += 4) if (d[i] > 230 && d[i + 1] < 25 && d[i + 2] > 230) return true; return false; })()');
    assert.equal(await countColor(view.page, 'memory', [255, 0, 0]), 0, 'the old red is gone');
    assert.ok((await countColor(view.page, 'memory', [255, 0, 255])) > 300);
    await view.page.screenshot({ path: path.join(screenshots, 'metrics-theme-changed.png') });
    assert.deepEqual(await violations(view.page), []);
    assert.deepEqual(view.problems, []);
    await view.page.close();
  });

  it('has a table view with the chart’s numbers, a keyboard range picker, and keeps its state over a reload', async () => {
    const view = await openMetricsPage(browser);
    await view.waitFor(isType('ready'));
    const charts = demoCharts();
    const load = async (requestId: number): Promise<void> => {
      await view.send({ type: 'loading', requestId, range: { kind: 'preset', preset: '6h' }, start, end, bucketSeconds: 60, charts: charts.map(({ id, title, description }) => ({ id, title, description })) });
      for (const chart of charts) await view.send({ type: 'chart', requestId, chart });
      await view.send({ type: 'loaded', requestId, at: end });
    };
    await load(1);
    await view.page.getByRole('radio', { name: 'Table' }).click();
    const memory = view.page.locator('#chart-memory table');
    await memory.waitFor();
    assert.equal(await memory.locator('caption').textContent(), 'Memory: peak per 1-minute bucket. Memory used by each container (peak per bucket), with its limit: a container using more than its limit is killed and restarted.');
    assert.deepEqual(await memory.locator('thead th').allTextContents(), ['Time (UTC)', '0/chat-ui (GiB)', '0/vllm (GiB)', 'memory limit (GiB)']);
    assert.deepEqual(await memory.locator('tbody tr').first().locator('th, td').allTextContents(), ['2026-01-01 12:00:00', '1.50', '150.00', '160.00'], 'newest first, the numbers the chart draws');
    assert.equal(await memory.locator('tbody th[scope="row"]').count(), 361);
    assert.equal(await view.page.locator('#chart-memory [role="region"][tabindex="0"]').getAttribute('aria-labelledby'), 'table-caption-memory');
    assert.equal(await view.page.locator('section.chart canvas').count(), 0, 'no charts in the table view');
    await view.page.locator('#chart-memory button.copy').click();
    const copied = await view.waitFor(isType('copy'));
    assert.match(copied.text, /^Time \(UTC\)\t0\/chat-ui \(GiB\)\t0\/vllm \(GiB\)\tmemory limit \(GiB\)\n2026-01-01 06:00:00\t1\.50\t60\.00\t160\.00\n/);
    // Keyboard: Tab to the range group's checked radio, arrows move the choice.
    await view.page.getByRole('radio', { name: '1 hour' }).focus();
    await view.page.keyboard.press('ArrowRight');
    const chosen = await view.waitFor(isType('setRange'));
    assert.deepEqual(chosen.range, { kind: 'preset', preset: '6h' });
    assert.equal(await view.page.getByRole('radio', { name: '6 hours' }).getAttribute('aria-checked'), 'true');
    // Custom range in UTC.
    await view.page.getByRole('radio', { name: 'Custom…' }).click();
    await view.page.locator('#customStart').fill('2026-01-01T08:00');
    await view.page.locator('#customEnd').fill('2026-01-01T09:30');
    await view.page.getByRole('button', { name: 'Show' }).click();
    await view.waitFor((message): message is Extract<FromWebview, { type: 'setRange' }> => message.type === 'setRange' && message.range.kind === 'custom');
    const custom = view.received.filter(isType('setRange')).at(-1);
    assert.deepEqual(custom?.range, { kind: 'custom', start: Date.UTC(2026, 0, 1, 8), end: Date.UTC(2026, 0, 1, 9, 30) });
    // Reload (VS Code reloads a hidden webview that does not retain its context): the state comes back.
    view.received.length = 0;
    await view.page.reload();
    const again = await view.waitFor(isType('ready'));
    assert.deepEqual(again.state, { range: { kind: 'custom', start: Date.UTC(2026, 0, 1, 8), end: Date.UTC(2026, 0, 1, 9, 30) }, view: 'table' });
    assert.deepEqual(view.problems, []);
    await view.page.close();
  });

  it('explains an empty panel with buttons, and its policy blocks anything but its own script', async () => {
    const view = await openMetricsPage(browser);
    await view.waitFor(isType('ready'));
    const empty: ToWebview = {
      type: 'empty',
      requestId: 3,
      explanation: { title: 'No metric groups enabled', message: 'The spec enables no platform metric groups.', code: 'platformMonitor:\n  metricConfig:\n    groups: [system, system_limits]', actions: [{ id: 'addMetricGroups', title: 'Add metric groups to the spec' }, { id: 'retry', title: 'Retry' }] },
    };
    await view.send(empty);
    await view.page.getByRole('alert').waitFor();
    assert.equal(await view.page.locator('#explanationTitle').textContent(), 'No metric groups enabled');
    assert.equal(await view.page.locator('#explanationCode').textContent(), 'platformMonitor:\n  metricConfig:\n    groups: [system, system_limits]');
    await view.page.getByRole('button', { name: 'Add metric groups to the spec' }).click();
    assert.deepEqual(await view.waitFor(isType('action')), { type: 'action', action: 'addMetricGroups' });
    await view.page.screenshot({ path: path.join(screenshots, 'metrics-empty.png') });
    const policy = (await view.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
    assert.match(policy, /^default-src 'none'; script-src 'nonce-[A-Za-z0-9+/=]{24}'; style-src https:\/\/webview\.spcs\.test; /);
    assert.deepEqual(await violations(view.page), [], 'the page itself needs nothing the policy forbids');
    await view.page.evaluate(`(() => { const s = document.createElement('script'); s.textContent = 'window.__injected = true'; document.body.append(s); })()`);
    await until(view.page, 'window.__spcsViolations.length > 0');
    assert.equal(await view.page.evaluate('window.__injected === true'), false, 'an inline script without the nonce does not run');
    await view.page.close();
  });
});
