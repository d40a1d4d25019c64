/**
 * What a running service does, in the real extension host against the demo emulator (testAccount.ts):
 * the metrics panel of the GPU service (a real webview: its page must load under its policy and paint
 * each chart), the empty panel of a service whose spec enables no metric groups and its quick fix,
 * the Events view with the out-of-memory kill linked to the memory limit line and its filters, log
 * history across a restart and of a finished job, and health on the Services tree's nodes.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { SpcsExtensionApi } from '../../client/src/extension';
import type { AccountNode, ServiceNode } from '../../client/src/model/nodes';
import type { ChartData, ToWebview } from '../../client/src/monitoring/metricsMessages';
import type { MetricsPanelHandle } from '../../client/src/monitoring/metricsPanelView';
import type { EventsSnapshot } from '../../client/src/monitoring/eventsView';
import { eventTreeItem } from '../../client/src/monitoring/eventsView';
import type { LogHistoryResult } from '../../client/src/monitoring/monitoringCommands';
import { extensionId, waitFor } from './helpers';
import { developerConnection, startTestAccount, type TestAccount } from './testAccount';

const service = (name: string) => ({ kind: 'service', view: 'spcs.services', connection: developerConnection, database: 'SPCS_DEMO', schema: 'PUBLIC', name, status: 'RUNNING' });

function charts(handle: MetricsPanelHandle): ChartData[] {
  const messages = handle.messages();
  const lastLoading = messages.map((message) => message.type).lastIndexOf('loading');
  return messages.slice(lastLoading).flatMap((message: ToWebview) => (message.type === 'chart' ? [message.chart] : []));
}

/** Reads until `read` gives a value, reading again each time `event` fires (no sleeping); fails after `timeoutMs`. */
async function until<T>(what: string, read: () => Promise<T | undefined>, event: vscode.Event<unknown>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const fired = new Promise<void>((resolve) => {
      const subscription = event(() => {
        subscription.dispose();
        resolve();
      });
      setTimeout(() => {
        subscription.dispose();
        resolve();
      }, Math.max(0, deadline - Date.now()));
    });
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await fired;
  }
}

function describeMessages(handle: MetricsPanelHandle): string {
  return `messages: ${handle.messages().map((message) => message.type).join(', ')}; painted: ${[...handle.painted()].join(', ')}`;
}

describe('monitoring: metrics, events and log history', function () {
  this.timeout(90_000);
  let test: TestAccount | undefined;
  const panels: MetricsPanelHandle[] = [];

  before(async function () {
    this.timeout(60_000);
    test = await startTestAccount({ twoConnections: false });
    await vscode.commands.executeCommand('spcs.refreshServices');
  });

  after(async () => {
    for (const handle of panels) handle.panel.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await test?.stop();
  });

  it('shows the metrics of the GPU service in a webview that paints every chart, memory with its limit line', async () => {
    const handle = await vscode.commands.executeCommand<MetricsPanelHandle | undefined>('spcs.showMetrics', service('LLM_SERVICE'));
    assert.ok(handle, 'spcs.showMetrics returned no panel');
    panels.push(handle);
    assert.equal(handle.panel.title, 'Metrics: LLM_SERVICE');
    assert.match(handle.panel.webview.html, /Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;nonce-[A-Za-z0-9+/=]+&#39;; style-src [^"]*; base-uri &#39;none&#39;; form-action &#39;none&#39;"/);
    // The page (loaded under its policy) says ready, the extension loads, and the page paints each chart.
    const loaded = () => handle.messages().some((message) => message.type === 'loaded');
    await waitFor('the charts to load and paint', () => (loaded() && charts(handle).every((chart) => handle.painted().has(chart.id)) ? true : undefined), [handle.onDidUpdate], () => describeMessages(handle), 60_000);
    const byId = new Map(charts(handle).map((chart) => [chart.id, chart]));
    for (const id of ['cpu', 'memory', 'gpuUtilization', 'gpuMemory']) assert.ok(byId.has(id), `a ${id} chart: ${[...byId.keys()].join(', ')}`);
    const memory = byId.get('memory');
    assert.equal(memory?.unit, 'GiB');
    const limit = memory?.series.find((series) => series.kind === 'limit' && series.label === 'memory limit 0/vllm');
    assert.ok(limit, `memory has the vllm container's limit line: ${memory?.series.map((series) => series.label).join(', ')}`);
    assert.ok(limit.values.some((value) => value === 160), `the limit is 160 GiB: ${limit.values.slice(0, 5).join(', ')}`);
    assert.ok(memory?.series.some((series) => series.kind === 'value' && series.label.includes('vllm')));
    // The same target again reveals the same panel.
    const again = await vscode.commands.executeCommand<MetricsPanelHandle | undefined>('spcs.showMetrics', { ...service('LLM_SERVICE') });
    assert.equal(again?.key, handle.key);
    assert.equal(again?.panel, handle.panel);
  });

  it('explains an empty panel when the spec enables no metric groups, and its quick fix adds platformMonitor', async () => {
    const handle = await vscode.commands.executeCommand<MetricsPanelHandle | undefined>('spcs.showMetrics', service('ECHO_SERVICE'));
    assert.ok(handle);
    panels.push(handle);
    const empty = await waitFor(
      'the explanation',
      () => handle.messages().find((message): message is Extract<ToWebview, { type: 'empty' }> => message.type === 'empty'),
      [handle.onDidUpdate],
      () => describeMessages(handle),
      60_000,
    );
    assert.equal(empty.explanation.title, 'No metric groups enabled');
    assert.ok(empty.explanation.actions.some((action) => action.id === 'addMetricGroups'));
    // The button: ECHO_SERVICE was not deployed from a file here, so its deployed spec opens fixed in a new editor.
    handle.receive({ type: 'action', action: 'addMetricGroups' });
    const text = await waitFor(
      'the fixed spec in an editor',
      () => {
        const editor = vscode.window.activeTextEditor;
        return editor && editor.document.uri.scheme === 'untitled' && editor.document.getText().includes('platformMonitor:') ? editor.document.getText() : undefined;
      },
      [vscode.window.onDidChangeActiveTextEditor, vscode.workspace.onDidChangeTextDocument],
      () => vscode.window.activeTextEditor?.document.uri.toString() ?? 'no editor',
    );
    assert.match(text, /platformMonitor:\n\s+metricConfig:\n\s+groups: \[system, system_limits\]/);
    assert.match(text, /containers:/, 'the rest of the spec is kept');
  });

  it('lists events newest first with the out-of-memory kill linked to the memory limit line, and filters them', async () => {
    const snapshot = await vscode.commands.executeCommand<EventsSnapshot | undefined>('spcs.showEvents', service('LLM_SERVICE'));
    assert.ok(snapshot, 'spcs.showEvents returned nothing');
    assert.equal(snapshot.problem, undefined, snapshot.problem?.message);
    const times = snapshot.items.map((item) => item.event.time);
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
    const oom = snapshot.items.find((item) => item.cause === 'outOfMemory');
    assert.ok(oom, `an out-of-memory event among ${snapshot.items.length}`);
    assert.equal(oom.severity, 'ERROR');
    assert.equal(oom.specLocation?.what, 'resources.limits.memory');

    // Clicking the event opens the deployed spec at the memory limit.
    const item = eventTreeItem(oom);
    assert.deepEqual(item.iconPath, new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')));
    assert.match(String(item.description), /^0\/vllm · .* · spec line \d+$/);
    assert.ok(item.command);
    await vscode.commands.executeCommand(item.command.command, ...((item.command.arguments ?? []) as unknown[]));
    const line = await waitFor(
      'the spec line',
      () => {
        const editor = vscode.window.activeTextEditor;
        return editor?.document.uri.scheme === 'spcs-deployed-spec' ? editor.document.lineAt(editor.selection.start.line).text.trim() : undefined;
      },
      [vscode.window.onDidChangeActiveTextEditor, vscode.window.onDidChangeTextEditorSelection],
    );
    assert.equal(line, 'memory: 160Gi');

    // From the event to the memory chart: the hour around it shows memory reaching the 160 GiB limit.
    const around = await vscode.commands.executeCommand<MetricsPanelHandle | undefined>('spcs.events.showMetrics', oom);
    assert.ok(around, 'spcs.events.showMetrics returned no panel');
    panels.push(around);
    // The page drew it: the last range loaded is the custom one, and the memory chart of that load was painted.
    const loadedAround = () => {
      const messages = around.messages();
      const start = messages.map((message) => message.type === 'loading').lastIndexOf(true);
      const last = messages[start];
      return last?.type === 'loading' && last.range.kind === 'custom' && messages.slice(start).some((message) => message.type === 'loaded') && around.painted().has('memory') ? last : undefined;
    };
    const loading = await waitFor('the hour around the event', loadedAround, [around.onDidUpdate], () => describeMessages(around), 60_000);
    assert.ok(loading.type === 'loading' && loading.range.kind === 'custom');
    assert.ok(loading.start <= oom.event.time && oom.event.time <= loading.end, 'the range holds the event');
    const vllmMemory = charts(around).find((chart) => chart.id === 'memory')?.series.find((series) => series.kind === 'value' && series.label.includes('vllm'));
    const peak = Math.max(...(vllmMemory?.values ?? []).map((value) => value ?? 0));
    assert.ok(peak > 0.95 * 160, `memory reaches its limit before the kill: peak ${peak} GiB`);

    const errors = await vscode.commands.executeCommand<EventsSnapshot | undefined>('spcs.events.filter', { severities: ['ERROR'] });
    assert.ok(errors && errors.items.length > 0);
    assert.ok(errors.items.every((each) => each.severity === 'ERROR'));
    assert.ok(errors.items.length < snapshot.items.length);
    const vllm = await vscode.commands.executeCommand<EventsSnapshot | undefined>('spcs.events.filter', { container: 'vllm' });
    assert.ok(vllm && vllm.items.length > 0 && vllm.items.every((each) => each.event.container === 'vllm'));
    const recent = await vscode.commands.executeCommand<EventsSnapshot | undefined>('spcs.events.setRange', '15m');
    assert.ok(recent);
    assert.ok(recent.events.length < snapshot.events.length, `the last 15 minutes have fewer events (${recent.events.length}) than the day (${snapshot.events.length})`);
    assert.equal(recent.range.lastMs, 15 * 60_000);
  });

  it('reads the log history of a restarted container across the restart, and of a finished job', async () => {
    // The Events view keeps its range (the last test chose 15 minutes): the restart was 50 minutes ago.
    await vscode.commands.executeCommand<EventsSnapshot | undefined>('spcs.showEvents', service('LLM_SERVICE'));
    const events = await vscode.commands.executeCommand<EventsSnapshot | undefined>('spcs.events.setRange', '1d');
    const restart = events?.events.find((event) => event.container === 'vllm' && event.status === 'FAILED');
    assert.ok(restart, 'the OOM restart');
    const vllm = await vscode.commands.executeCommand<LogHistoryResult | undefined>(
      'spcs.showLogHistory',
      { ...service('LLM_SERVICE'), kind: 'container', instanceId: '0', container: 'vllm', restartCount: 1 },
      { range: '6h' },
    );
    assert.ok(vllm, 'spcs.showLogHistory returned nothing');
    const logs = vllm.history.lines.filter((line) => line.kind === 'log');
    assert.ok(logs.some((line) => Date.parse(line.timestamp) < restart.time), 'lines of the run before the restart');
    assert.ok(logs.some((line) => Date.parse(line.timestamp) > restart.time), 'lines of the run after it');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), vllm.uri);
    assert.match(vscode.window.activeTextEditor?.document.lineAt(0).text ?? '', /Log history of LLM_SERVICE/);

    const job = await vscode.commands.executeCommand<LogHistoryResult | undefined>('spcs.showLogHistory', { ...service('NIGHTLY_TRAINING_JOB'), status: 'DONE' }, { range: '1d' });
    assert.ok(job);
    assert.deepEqual(
      [...new Set(job.history.sources.map((source) => source.instanceId))],
      ['0', '1'],
      'both replicas of the finished job',
    );
    assert.ok(job.history.count > 0);
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /\[1\/\w+\] /, 'lines tagged with instance/container as the live follow tags them');
  });

  it('shows health on the Services tree: the GPU service with its GPU and memory use and a warning for the recent restart', async () => {
    const extension = vscode.extensions.getExtension<SpcsExtensionApi>(extensionId);
    assert.ok(extension);
    const features = await (await extension.activate()).accountFeatures();
    const provider = features.treeProviders['spcs.services'];
    const children = async (node?: AccountNode) => (await provider.getChildren(node)) ?? [];
    await vscode.commands.executeCommand('spcs.refreshServices');
    const connection = (await children()).find((node) => node.kind === 'connection' && node.connection === developerConnection);
    assert.ok(connection);
    const schema = (await children(connection)).find((node) => node.kind === 'schema');
    assert.ok(schema);
    // The first listing shows at once; health read in the background lists the schema again.
    const llm = await until(
      'LLM_SERVICE with its health',
      async () => (await children(schema)).find((node): node is ServiceNode => node.kind === 'service' && node.name === 'LLM_SERVICE' && node.health !== undefined),
      provider.onDidChangeTreeData ?? (() => new vscode.Disposable(() => undefined)),
    );
    assert.match(llm.health?.summary ?? '', /^GPU \d+ % · mem \d+ %$/);
    assert.match(llm.health?.warning ?? '', /restarted once in the last hour/);
    const item = await provider.getTreeItem(llm);
    assert.match(String(item.description), /GPU \d+ % · mem \d+ %/);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.match(item.contextValue ?? '', /;unhealthy/);
    // Its instance carries the same health.
    const instance = await until(
      'instance 0 with its health',
      async () => (await children(llm)).find((node) => node.kind === 'instance' && node.health !== undefined),
      provider.onDidChangeTreeData ?? (() => new vscode.Disposable(() => undefined)),
    );
    assert.ok(instance.kind === 'instance');
    assert.match(instance.health?.summary ?? '', /mem \d+ %/);
  });
});
