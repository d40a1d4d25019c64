/**
 * The monitoring commands: what a running service does.
 * - `spcs.showMetrics(target?)`: the metrics panel (`metricsPanelView.ts`); resolves to its handle.
 * - `spcs.showEvents(target?)`: the Events view (`eventsView.ts`) on the target; resolves to what it
 *   shows (`EventsSnapshot`). `spcs.events.filter(filter?)`, `spcs.events.setRange(range?)` and
 *   `spcs.events.refresh()` are the view's title buttons (ask with a QuickPick when given nothing);
 *   `spcs.events.showMetrics(event)` opens the metrics panel on the hour around an event.
 * - `spcs.showLogHistory(target?, { range }?)`: `SPCS_GET_LOGS` for a time range, every instance and
 *   container the range had (finished jobs, restarted containers), merged in time order and tagged as
 *   the live follow tags them, in a read-only document; resolves to `{ uri, history }`.
 * The target is a node of the trees (service, instance or container) or a hand-built reference
 * (`{ connection, database, schema, name, instanceId?, container? }`); from the palette the
 * connection, service and part are asked for.
 *
 * Settings: `spcs.monitoring.refreshInterval` (panels and the Events view, while visible),
 * `spcs.monitoring.treeHealth`, `spcs.monitoring.logHistoryMaxLines`, `spcs.snowflake.queryTimeout`.
 *
 * Must not: shape data or build SQL (the room's pure modules do), or run queries for hidden views.
 */

import * as vscode from 'vscode';
import type { CommandTable, MonitoringCommandId } from '../model/commandIds';
import type { FeatureContext } from '../model/featureContext';
import type { ChildrenDecorator } from '../model/decorations';
import { isNode, type ServiceRef } from '../model/nodes';
import { describeService } from '../snowflake/sql';
import { ReadOnlyDocuments } from '../ui/readOnlyDocuments';
import { vscodePickerUi } from '../ui/vscodePickers';
import { targetLabel, type LogTarget } from '../logs/logView';
import { resolveLogTarget } from '../logs/logTargets';
import { allSeverities, EventsView, sourcesOf, type EventsRange, type EventsSnapshot } from './eventsView';
import type { TriageHistory } from '../deploy/triage';
import { healthDecorator } from './healthMarks';
import { eventTableHistory } from './triageHistory';
import type { LogHistory } from './logHistory';
import { metricGroupsEdit } from './metricGroupsFix';
import { MetricsPanels, type MetricsPanelHandle } from './metricsPanelView';
import { rangePresets, type MetricsRange } from './metricsMessages';
import type { EventFilter, EventItem, EventSeverity } from './platformEvents';
import { readLogHistory, type Read, type TelemetryTarget } from './telemetryReads';
import type { TelemetryProblem } from './telemetryProblems';
import { textOf } from './telemetryRows';

export interface MonitoringDeps {
  /** The spec file this client last deployed a service from (the drift room's records), for spec links and the metric-groups fix. */
  readonly deployedFrom?: (service: ServiceRef) => string | undefined;
}

export interface MonitoringFeatures extends vscode.Disposable {
  readonly commands: CommandTable<MonitoringCommandId>;
  /** Health on the Services tree's service and instance nodes (given to the views by `features.ts`). */
  readonly decorator: ChildrenDecorator;
  /** The event table's failures and logs, for the triage of a failed deploy or job (given to the deploy room). */
  readonly triageHistory: TriageHistory;
}

export interface LogHistoryResult {
  readonly uri: string;
  readonly history: LogHistory;
}

export const deployedSpecScheme = 'spcs-deployed-spec';
export const logHistoryScheme = 'spcs-log-history';

/** Time ranges of the Events view and log history (the metrics panel has its own picker). */
const historyRanges: readonly { readonly id: string; readonly label: string; readonly ms: number }[] = [...rangePresets, { id: '7d', label: '7 days', ms: 7 * 86_400_000 }];

export function createMonitoringFeatures(context: FeatureContext, deps: MonitoringDeps = {}): MonitoringFeatures {
  const refreshSeconds = () => Math.max(0, vscode.workspace.getConfiguration('spcs').get<number>('monitoring.refreshInterval', 60));
  const ui = vscodePickerUi(context);
  const panels = new MetricsPanels(context.extension.extensionUri, context.log);
  const deployedSpecs = new ReadOnlyDocuments(deployedSpecScheme, '# This deployed spec is no longer kept; run the command again.\n');
  const histories = new ReadOnlyDocuments(logHistoryScheme, 'This log history is no longer kept; run "Show Log History" again.\n');
  const disposables: vscode.Disposable[] = [
    panels,
    deployedSpecs,
    histories,
    vscode.workspace.registerTextDocumentContentProvider(deployedSpecScheme, deployedSpecs),
    vscode.workspace.registerTextDocumentContentProvider(logHistoryScheme, histories),
  ];
  let events: EventsView | undefined;
  const eventsView = (): EventsView => {
    if (!events) {
      events = new EventsView({ sessions: context.sessions, timeoutMs: () => context.queryTimeoutMs(), refreshSeconds, log: context.log });
      disposables.push(events);
    }
    return events;
  };

  const resolve = (arg: unknown, title: string): Promise<LogTarget | undefined> => resolveLogTarget(context, ui, arg, title);


  /** The spec a service runs: the local file it was deployed from, else the deployed text as a read-only document. */
  const specFor = async (target: LogTarget): Promise<{ readonly text: string; readonly uri: string; readonly local: boolean } | undefined> => {
    const file = deps.deployedFrom?.(target);
    if (file !== undefined) {
      try {
        const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(file));
        return { text: document.getText(), uri: file, local: true };
      } catch {
        // The file was moved or deleted since the deploy: fall back to what Snowflake has.
      }
    }
    const described = await context.sessions.execute(target.connection, describeService(telemetryTarget(target).service), { timeoutMs: context.queryTimeoutMs() });
    const text = described.ok ? textOf(described.value.rows[0]?.spec) : undefined;
    if (!text) return undefined;
    return { text, uri: deployedSpecs.add(`${target.name} (deployed).yaml`, text).toString(), local: false };
  };

  const onPanelAction = async (target: LogTarget, action: string, problem: TelemetryProblem | undefined): Promise<void> => {
    if (action === 'copyGrant' && problem?.fix) {
      await vscode.env.clipboard.writeText(problem.fix);
      void vscode.window.showInformationMessage(`Copied: ${problem.fix}`);
      return;
    }
    const spec = await specFor(target);
    if (!spec) {
      void vscode.window.showWarningMessage(`The spec of ${target.name} could not be read: only its owner may see it.`);
      return;
    }
    const uri = vscode.Uri.parse(spec.uri);
    if (action === 'openSpec') {
      await vscode.window.showTextDocument(uri, { preview: false });
      return;
    }
    if (action !== 'addMetricGroups') return;
    const fix = metricGroupsEdit(spec.text, spec.uri);
    if (!fix.ok) {
      void vscode.window.showWarningMessage(fix.reason);
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    const range = new vscode.Range(fix.edit.range.start.line, fix.edit.range.start.character, fix.edit.range.end.line, fix.edit.range.end.character);
    let document: vscode.TextDocument;
    if (spec.local) {
      document = await vscode.workspace.openTextDocument(uri);
      edit.replace(uri, range, fix.edit.newText);
    } else {
      // Not deployed from a file here: the deployed spec, fixed, in a new file to save and deploy.
      document = await vscode.workspace.openTextDocument({ language: 'yaml', content: spec.text });
      edit.replace(document.uri, range, fix.edit.newText);
    }
    await vscode.workspace.applyEdit(edit);
    await vscode.window.showTextDocument(document, { preview: false });
    void vscode.window.showInformationMessage(`${fix.description} Deploy the spec again: metrics appear a few minutes after the upgrade.`);
  };

  const showMetrics = async (arg: unknown): Promise<MetricsPanelHandle | undefined> => {
    const target = await resolve(arg, 'Show Metrics');
    return target ? showMetricsOf(target) : undefined;
  };

  const showMetricsOf = (target: LogTarget, range?: MetricsRange): MetricsPanelHandle =>
    panels.show({
      sessions: context.sessions,
      target: telemetryTarget(target),
      title: targetLabel(target),
      subtitle: `${target.database}.${target.schema} · connection "${target.connection}"`,
      refreshSeconds: refreshSeconds(),
      timeoutMs: context.queryTimeoutMs(),
      onAction: (action, problem) => void onPanelAction(target, action, problem),
      ...(range ? { range } : {}),
    });

  /** The metrics panel of what the Events view shows, on the hour around an event (an OOM kill: memory climbing to its limit). */
  const showMetricsAroundEvent = (arg: unknown): MetricsPanelHandle | undefined => {
    const shown = eventsView().snapshot();
    const item = shown.items.find((each) => each === arg) ?? shown.items.find((each) => isEventItem(arg) && each.id === arg.id);
    const target = shown.target;
    if (!item || !target) {
      void vscode.window.showWarningMessage('Show Metrics Around This Event works on an event of the Events view.');
      return undefined;
    }
    const around = 30 * 60_000;
    const range = { kind: 'custom' as const, start: item.event.time - around, end: Math.min(Date.now(), item.event.time + around) };
    return showMetricsOf(logTargetOfTelemetry(target), range);
  };

  const showEvents = async (arg: unknown): Promise<EventsSnapshot | undefined> => {
    const target = await resolve(arg, 'Show Events');
    if (!target) return undefined;
    return eventsView().show({ target: telemetryTarget(target), label: targetLabel(target), spec: () => specFor(target) });
  };

  const filterEvents = async (arg: unknown): Promise<EventsSnapshot | undefined> => {
    const view = eventsView();
    const given = filterOf(arg);
    if (given) return view.setFilter(given);
    const current = view.snapshot();
    const { instances, containers } = sourcesOf(current.events);
    type Item = vscode.QuickPickItem & { readonly apply: (filter: MutableFilter) => void };
    const items: Item[] = [
      { label: 'Severity', kind: vscode.QuickPickItemKind.Separator, apply: () => undefined },
      ...allSeverities.map((severity) => ({ label: severity, picked: current.filter.severities?.has(severity) ?? false, apply: (filter: MutableFilter) => filter.severities.add(severity) })),
      ...(instances.length > 1 ? [{ label: 'Instance', kind: vscode.QuickPickItemKind.Separator, apply: () => undefined }] : []),
      ...(instances.length > 1 ? instances.map((id) => ({ label: `Instance ${id}`, picked: current.filter.instanceId === id, apply: (filter: MutableFilter) => (filter.instanceId = id) })) : []),
      ...(containers.length > 1 ? [{ label: 'Container', kind: vscode.QuickPickItemKind.Separator, apply: () => undefined }] : []),
      ...(containers.length > 1 ? containers.map((name) => ({ label: name, description: 'container', picked: current.filter.container === name, apply: (filter: MutableFilter) => (filter.container = name) })) : []),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'Filter Events', canPickMany: true, placeHolder: 'Nothing picked: every event' });
    if (!picked) return undefined;
    const filter: MutableFilter = { severities: new Set<EventSeverity>() };
    for (const item of picked) item.apply(filter);
    return view.setFilter({ severities: filter.severities, ...(filter.instanceId === undefined ? {} : { instanceId: filter.instanceId }), ...(filter.container === undefined ? {} : { container: filter.container }) });
  };

  const setEventsRange = async (arg: unknown): Promise<EventsSnapshot | undefined> => {
    const range = rangeOf(arg) ?? (await pickRange('Events: Time Range'));
    return range ? eventsView().setRange(range) : undefined;
  };

  const showLogHistory = async (arg: unknown, options?: unknown): Promise<LogHistoryResult | undefined> => {
    const target = await resolve(arg, 'Show Log History');
    if (!target) return undefined;
    const range = rangeOf((options as { range?: unknown } | undefined)?.range) ?? (await pickRange(`Log History of ${targetLabel(target)}`));
    if (!range) return undefined;
    const now = Date.now();
    const window = range.start !== undefined && range.end !== undefined ? { start: range.start, end: range.end } : { start: now - (range.lastMs ?? 86_400_000), end: now };
    const configuration = vscode.workspace.getConfiguration('spcs');
    const maxLines = Math.min(1_000_000, Math.max(100, configuration.get<number>('monitoring.logHistoryMaxLines', 10_000)));
    const read = await vscode.window.withProgress<Read<LogHistory>>({ location: vscode.ProgressLocation.Notification, title: `Reading the log history of ${targetLabel(target)}…`, cancellable: true }, (_progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      return readLogHistory(context.sessions, telemetryTarget(target), window, {
        signal: controller.signal,
        timeoutMs: context.queryTimeoutMs(),
        maxLines,
        includeTimestamps: configuration.get<boolean>('logs.includeTimestamps', false),
      }).finally(() => {
        subscription.dispose();
      });
    });
    if (!read.ok) {
      if (read.problem.error?.kind !== 'cancelled') {
        context.log.error(`Log history of ${targetLabel(target)}: ${read.problem.message}`);
        void vscode.window.showErrorMessage(`${read.problem.title}: ${read.problem.message}`);
      }
      return undefined;
    }
    const text = read.value.lines.map((line) => line.display).join('\n') + '\n';
    const uri = histories.add(`${targetLabel(target).replace(/\//g, '-')} log history.log`, text);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
    return { uri: uri.toString(), history: read.value };
  };

  return {
    commands: {
      'spcs.showMetrics': showMetrics,
      'spcs.showEvents': showEvents,
      'spcs.showLogHistory': showLogHistory,
      'spcs.events.filter': filterEvents,
      'spcs.events.setRange': setEventsRange,
      'spcs.events.refresh': () => eventsView().load(),
      'spcs.events.showMetrics': showMetricsAroundEvent,
    },
    triageHistory: eventTableHistory(context.sessions, () => context.queryTimeoutMs()),
    decorator: healthDecorator({
      sessions: context.sessions,
      enabled: () => vscode.workspace.getConfiguration('spcs').get<boolean>('monitoring.treeHealth', true),
      timeoutMs: () => context.queryTimeoutMs(),
      onChanged: (service) => context.changed({ scope: 'schema', connection: service.connection, database: service.database, schema: service.schema }),
      ...(context.connections.withoutPrompts ? { quietly: context.connections.withoutPrompts.bind(context.connections) } : {}),
    }),
    dispose: () => {
      for (const disposable of disposables) disposable.dispose();
    },
  };
}

interface MutableFilter {
  severities: Set<EventSeverity>;
  instanceId?: string;
  container?: string;
}

function telemetryTarget(target: LogTarget): TelemetryTarget {
  return {
    connection: target.connection,
    service: { database: target.database, schema: target.schema, name: target.name },
    ...(target.instanceId === undefined ? {} : { instanceId: target.instanceId }),
    ...(target.container === undefined ? {} : { container: target.container }),
  };
}

function logTargetOfTelemetry(target: TelemetryTarget): LogTarget {
  return {
    connection: target.connection,
    database: target.service.database ?? '',
    schema: target.service.schema ?? '',
    name: target.service.name,
    ...(target.instanceId === undefined ? {} : { instanceId: target.instanceId }),
    ...(target.container === undefined ? {} : { container: target.container }),
  };
}

function isEventItem(value: unknown): value is EventItem {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' && typeof (value as { event?: unknown }).event === 'object';
}

/** A filter passed by a caller: `{ severities?: string[], instanceId?, container? }`. */
function filterOf(arg: unknown): EventFilter | undefined {
  if (typeof arg !== 'object' || arg === null || isNode(arg)) return undefined;
  const record = arg as Record<string, unknown>;
  const severities = Array.isArray(record.severities) ? record.severities.filter((each): each is EventSeverity => allSeverities.includes(each as EventSeverity)) : [];
  return {
    severities: new Set(severities),
    ...(typeof record.instanceId === 'string' ? { instanceId: record.instanceId } : {}),
    ...(typeof record.container === 'string' ? { container: record.container } : {}),
  };
}

/** A range passed by a caller: a preset id (`'1h'`, `'7d'`) or `{ start, end }` in milliseconds. */
function rangeOf(arg: unknown): EventsRange | undefined {
  if (typeof arg === 'string') {
    const preset = historyRanges.find((each) => each.id === arg);
    return preset ? { lastMs: preset.ms } : undefined;
  }
  if (typeof arg === 'object' && arg !== null) {
    const { start, end } = arg as { start?: unknown; end?: unknown };
    if (typeof start === 'number' && typeof end === 'number' && start < end) return { start, end };
  }
  return undefined;
}

async function pickRange(title: string): Promise<EventsRange | undefined> {
  const items: (vscode.QuickPickItem & { readonly range: EventsRange | undefined })[] = [
    ...historyRanges.map((each) => ({ label: `Last ${each.label}`, range: { lastMs: each.ms } })),
    { label: 'Custom…', description: 'from and to, in UTC', range: undefined },
  ];
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Time range' });
  if (!picked) return undefined;
  if (picked.range) return picked.range;
  const ask = (prompt: string, value: string) =>
    vscode.window.showInputBox({
      title,
      prompt,
      value,
      validateInput: (text) => (Number.isFinite(parseUtc(text)) ? undefined : 'A UTC time such as 2026-01-31 14:30'),
    });
  const now = Date.now();
  const start = await ask('From (UTC)', utcText(now - 86_400_000));
  if (start === undefined) return undefined;
  const end = await ask('To (UTC)', utcText(now));
  if (end === undefined) return undefined;
  const from = parseUtc(start);
  const to = parseUtc(end);
  if (!(from < to)) {
    void vscode.window.showWarningMessage('The range must end after it starts.');
    return undefined;
  }
  return { start: from, end: to };
}

function utcText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function parseUtc(text: string): number {
  const match = /^\s*(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)\s*(?:Z|UTC)?\s*$/i.exec(text);
  return match ? Date.parse(`${match[1]}T${match[2]}Z`) : Number.NaN;
}
