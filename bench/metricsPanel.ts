/**
 * The metrics panel and the events list, measured the way a user meets them:
 *
 * 1. Query to first paint: a GPU service with 4 instances × 3 containers and a day of 10-second
 *    platform metrics (groups system and system_limits: 11 metric names, per-GPU series; the panel
 *    reads 7 of them in 4 chart queries), "1 day" picked in the panel. From the moment the panel asks
 *    (`MetricsPanelController.load`: DESCRIBE SERVICE for the groups, then one query per chart, all at
 *    once, through the REAL snowflake-sdk driver) until the webview says it has painted the first
 *    chart (the page of `metricsPage.ts` with the built bundle in headless Chromium, messages posted as
 *    VS Code posts them). The page is reloaded before each run (not timed), so each run lays out the
 *    panel afresh. The emulator runs in its own process (`dist/emulator`, with the day written into a
 *    state file first via `account.control.runAt`), as Snowflake runs elsewhere: its SQL work does not
 *    hold this process's event loop, but it shares the machine's cores. Reported with all charts
 *    painted, and the rows the driver received.
 * 2. Event-loop block while shaping: the longest synchronous piece of shaping (rows → `MetricRow`s →
 *    `shapeChart`) of one chart, on the rows of the same day; and the longest event-loop block of the
 *    whole load (the driver's parsing of the responses included).
 * 3. 10,000 events listed: "listed" = rows as the driver returns them → `PlatformEvent`s → filtered,
 *    newest-first list items with labels, tooltips, icons and spec links (`listEvents`, the spec
 *    parsed once), ready for a tree or list.
 *
 * Standalone: `node --import tsx bench/metricsPanel.ts` prints the figures as JSON (needs `npm run build`).
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { watchEventLoop } from './stats';
import { createAccount } from '../emulator/src/account/account';
import { ScaledClock } from '../emulator/src/clock';
import { StateWriter } from '../emulator/src/stateFile';
import { chartMetrics, chartsForGroups } from '../client/src/monitoring/metricCatalog';
import type { FromWebview, ToWebview } from '../client/src/monitoring/metricsMessages';
import { MetricsPanelController } from '../client/src/monitoring/metricsPanel';
import { shapeChart } from '../client/src/monitoring/metricShaping';
import { listEvents, readEventRow, type PlatformEvent } from '../client/src/monitoring/platformEvents';
import { readMetricRow, type MetricRow } from '../client/src/monitoring/telemetryRows';
import { bucketFor, metricsQuery } from '../client/src/monitoring/telemetrySql';
import { loadConnections } from '../client/src/snowflake/config';
import type { CredentialPrompter } from '../client/src/snowflake/connectionOptions';
import { SnowflakeSessions } from '../client/src/snowflake/session';
import { MemoryTokenCache } from '../client/src/snowflake/tokenCache';
import { launchChromium, openMetricsPage, webviewUnavailable } from '../test/client/webviewHarness';
import { summarize, type Summary } from './stats';

export const firstPaintTargetMs = 300;
export const shapingBlockTargetMs = 50;
export const eventListTargetMs = 200;

const root = path.resolve(__dirname, '..');
const connection = 'spcs_emulator';
const service = { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'BENCH_GPU_SERVICE' };
const runs = 10;
const day = 86_400_000;

export interface MetricsPanelReport {
  readonly runs: number;
  readonly workload: string;
  readonly firstPaint: Summary;
  /** Of the first paint: the plan (DESCRIBE SERVICE for the groups). */
  readonly planned: Summary;
  /** Of the first paint: the first chart's query, the driver's parsing and shaping (the rest is the webview). */
  readonly firstChartRead: Summary;
  readonly allPainted: Summary;
  /** Rows the driver received per load (all chart queries). */
  readonly rowsPerLoad: number;
  readonly charts: number;
  readonly bucketSeconds: number;
  readonly shapingBlock: Summary;
  readonly loadBlock: Summary;
  readonly eventsListed: Summary;
  readonly eventCount: number;
  readonly firstPaintTargetMs: number;
  readonly shapingBlockTargetMs: number;
  readonly eventListTargetMs: number;
}

/** 4 instances × 3 containers, one GPU each, on GPU_NV_M nodes; a day of history. */
function workloadSpec(): string {
  const containers = ['model', 'worker', 'sidecar']
    .map(
      (name) =>
        `    - name: ${name}\n      image: /app_db/backend/images/orders-api:2.3.1\n      resources:\n        requests:\n          nvidia.com/gpu: 1\n          memory: 24Gi\n        limits:\n          nvidia.com/gpu: 1\n          memory: 32Gi\n`,
    )
    .join('');
  return `spec:\n  containers:\n${containers}  platformMonitor:\n    metricConfig:\n      groups: [system, system_limits]\n`;
}

/** The demo account with the workload's day, saved where the emulator process will load it. */
function writeState(file: string): void {
  const account = createAccount({ clock: new ScaledClock(1), seed: 'demo' });
  const now = Date.now();
  const admin = { role: 'ACCOUNTADMIN', user: 'DEMO_USER', database: 'SPCS_DEMO', schema: 'PUBLIC' };
  const developer = { role: 'SPCS_DEVELOPER', user: 'DEMO_USER', database: 'SPCS_DEMO', schema: 'PUBLIC' };
  account.control.runAt(now - day - 120_000, 'CREATE COMPUTE POOL BENCH_GPU_POOL MIN_NODES = 4 MAX_NODES = 4 INSTANCE_FAMILY = GPU_NV_M', admin);
  account.control.runAt(now - day - 110_000, 'GRANT USAGE ON COMPUTE POOL BENCH_GPU_POOL TO ROLE SPCS_DEVELOPER', admin);
  // Created by the connection's own role: it owns the service, so DESCRIBE shows it the spec (and its groups).
  account.control.runAt(now - day, `CREATE SERVICE ${service.name} IN COMPUTE POOL BENCH_GPU_POOL FROM SPECIFICATION $$${workloadSpec()}$$ MIN_INSTANCES = 4 MAX_INSTANCES = 4`, developer);
  new StateWriter(file, () => account.serialize()).save(true);
}

/** Starts `dist/emulator/emulator.js --state file`, resolving with the connections.toml section it prints. */
function startEmulator(stateFile: string): Promise<{ process: ChildProcess; section: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'dist', 'emulator', 'emulator.js'), '--state', stateFile, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the emulator did not start: ${output}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(\[spcs_emulator\][\s\S]*?)\n\n?Emulated time/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ process: child, section: match[1] });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (${code}): ${output}`));
    });
  });
}


/** 10,000 events in the driver's shape: a busy day of 40 containers with crashes, probes and pulls. */
function syntheticEventRows(count: number, now: number): Record<string, unknown>[] {
  const kinds = [
    ['INFO', 'READY', 'Running'],
    ['INFO', 'PENDING', 'Waiting to start'],
    ['INFO', 'PENDING', 'Readiness probe is failing at path: /health, port: 8000'],
    ['ERROR', 'FAILED', 'Container was OOMKilled due to resource usage'],
    ['ERROR', 'PENDING', 'Failed to pull image'],
    ['ERROR', 'FAILED', 'Encountered fatal error while running, check container logs'],
  ] as const;
  const rows: Record<string, unknown>[] = [];
  for (let index = 0; index < count; index++) {
    const [severity, status, message] = kinds[index % kinds.length] ?? kinds[0];
    rows.push({
      T: new Date(now - index * 8_000),
      SEVERITY: severity,
      EVENT_NAME: 'CONTAINER.STATUS_CHANGE',
      MESSAGE: message,
      STATUS: status,
      INSTANCE_ID: index % 10,
      CONTAINER_NAME: ['model', 'worker', 'sidecar', 'proxy'][index % 4],
    });
  }
  return rows;
}

function eventsSpec(): string {
  return ['model', 'worker', 'sidecar', 'proxy']
    .map((name) => `    - name: ${name}\n      image: /db/schema/repo/${name}:1\n      resources:\n        limits:\n          memory: 8Gi\n      readinessProbe:\n        port: 8000\n        path: /health\n`)
    .reduce((spec, container) => spec + container, 'spec:\n  containers:\n');
}

export async function measureMetricsPanel(): Promise<MetricsPanelReport> {
  const unavailable = webviewUnavailable();
  if (unavailable) throw new Error(unavailable);
  const home = mkdtempSync(path.join(os.tmpdir(), 'vscode-spcs-bench-metrics-'));
  const stateFile = path.join(home, 'state.json');
  writeState(stateFile);
  const emulator = await startEmulator(stateFile);
  const prompter: CredentialPrompter = { ask: () => Promise.resolve(undefined), forget: () => Promise.resolve() };
  const env: NodeJS.ProcessEnv = { SNOWFLAKE_HOME: home, NO_PROXY: '127.0.0.1' };
  const file = path.join(home, 'connections.toml');
  writeFileSync(file, `${emulator.section}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  const sessions = new SnowflakeSessions({ connections: () => loadConnections(env), env, tokenCache: new MemoryTokenCache(), prompter, connectTimeoutMs: 30_000, disposeTimeoutMs: 2_000 });
  const browser = await launchChromium();
  try {
    const view = await openMetricsPage(browser);
    const target = { connection, service };
    // Sign in and load the driver first: a panel opens on a connection that is already in use.
    const warm = await sessions.execute(connection, 'SELECT 1', { timeoutMs: 30_000 });
    if (!warm.ok) throw new Error(`could not connect to the emulator: ${warm.error.message}`);

    const firstPaint: number[] = [];
    const allPainted: number[] = [];
    const planned: number[] = [];
    const firstShaped: number[] = [];
    const loadBlocks: number[] = [];
    let charts = 0;
    let bucketSeconds = 0;
    for (let run = 0; run <= runs; run++) {
      view.received.length = 0;
      await view.page.reload();
      await view.waitFor((message): message is Extract<FromWebview, { type: 'ready' }> => message.type === 'ready');
      let chartCount = 0;
      let plannedAt = 0;
      let shapedAt = 0;
      const controller = new MetricsPanelController({
        sessions,
        target,
        title: service.name,
        subtitle: 'bench',
        refreshSeconds: 0,
        timeoutMs: 60_000,
        post: (message: ToWebview) => {
          if (message.type === 'loading') {
            chartCount = message.charts.length;
            bucketSeconds = message.bucketSeconds;
            plannedAt = performance.now();
          }
          if (message.type === 'chart' && shapedAt === 0) shapedAt = performance.now();
          void view.send(message);
        },
      });
      const loop = watchEventLoop();
      const started = performance.now();
      controller.receive({ type: 'ready', state: { range: { kind: 'preset', preset: '1d' }, view: 'charts' } });
      await view.waitFor((message): message is Extract<FromWebview, { type: 'painted' }> => message.type === 'painted');
      const first = performance.now() - started;
      const deadline = Date.now() + 60_000;
      while (view.received.filter((message) => message.type === 'painted').length < chartCount || chartCount === 0) {
        if (Date.now() > deadline) throw new Error(`only ${view.received.filter((message) => message.type === 'painted').length} of ${chartCount} charts painted`);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      const all = performance.now() - started;
      loadBlocks.push(loop.stop());
      controller.dispose();
      charts = chartCount;
      // The first run opens the browser page's caches and the driver's code paths: reported apart from the runs.
      if (run > 0) {
        firstPaint.push(first);
        allPainted.push(all);
        planned.push(plannedAt - started);
        firstShaped.push(shapedAt - plannedAt);
      }
    }

    // Shaping alone, on the rows of the same day: the longest synchronous piece per chart.
    const now = Date.now();
    const window = { start: now - day, end: now };
    const definitions = chartsForGroups(['system', 'system_limits']);
    const bucket = bucketFor(window);
    const shapingBlocks: number[] = [];
    let rowsPerLoad = 0;
    for (const definition of definitions) {
      const result = await sessions.execute(connection, metricsQuery({ scope: { service }, window, metrics: chartMetrics(definition), bucketSeconds: bucket, aggregate: definition.aggregate, ...(definition.seriesAttribute ? { seriesAttribute: definition.seriesAttribute } : {}) }), { timeoutMs: 60_000 });
      if (!result.ok) throw new Error(result.error.message);
      rowsPerLoad += result.value.rows.length;
      for (let run = 0; run < runs; run++) {
        const started = performance.now();
        const rows: MetricRow[] = [];
        for (const row of result.value.rows) {
          const read = readMetricRow(row);
          if (read) rows.push(read);
        }
        const shaped = shapeChart(definition, rows, { window, bucketSeconds: bucket, scope: 'service' });
        shapingBlocks.push(performance.now() - started);
        if (!shaped) throw new Error(`${definition.id}: no data to shape`);
      }
    }

    // 10,000 events listed.
    const eventCount = 10_000;
    const eventRows = syntheticEventRows(eventCount, now);
    const spec = { text: eventsSpec(), uri: 'file:///bench/spec.yaml' };
    const listed: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const started = performance.now();
      const events: PlatformEvent[] = [];
      for (const row of eventRows) {
        const event = readEventRow(row);
        if (event) events.push(event);
      }
      const items = listEvents(events, { spec, now, filter: { severities: new Set(['ERROR', 'WARN', 'INFO']) } });
      const elapsed = performance.now() - started;
      if (items.length !== eventCount || !items.some((item) => item.specLocation !== undefined)) throw new Error('the events were not all listed and linked');
      if (run > 0) listed.push(elapsed);
    }

    return {
      runs,
      workload: `4 instances × 3 containers (1 GPU each, GPU_NV_M), groups system + system_limits, a day of 10-second samples; panel range 1 day`,
      firstPaint: summarize(firstPaint),
      planned: summarize(planned),
      firstChartRead: summarize(firstShaped),
      allPainted: summarize(allPainted),
      rowsPerLoad,
      charts,
      bucketSeconds,
      shapingBlock: summarize(shapingBlocks),
      loadBlock: summarize(loadBlocks),
      eventsListed: summarize(listed),
      eventCount,
      firstPaintTargetMs,
      shapingBlockTargetMs,
      eventListTargetMs,
    };
  } finally {
    await browser.close();
    await sessions.dispose();
    emulator.process.kill('SIGTERM');
    await new Promise((resolve) => emulator.process.once('exit', resolve));
    rmSync(home, { recursive: true, force: true });
  }
}

if (require.main === module) {
  measureMetricsPanel().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
