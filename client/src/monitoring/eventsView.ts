/**
 * The Events view (`spcs.events`, under the Snowpark Containers views): the platform events of the
 * service, instance or container that "Show Events" was last run on, newest first, with severity
 * icons; a filter (severity, instance, container) and a time range in the view's title bar; each event
 * a spec line explains (out of memory → the memory limit, image pull → `image:`, probes) opens that
 * line. Refreshes by itself every `spcs.monitoring.refreshInterval` seconds, only while the view is
 * visible; a refresh cancels the one in flight, and so does hiding the view.
 *
 * Owns: the view's state (target, range, filter, items). The listing itself is `platformEvents.ts`
 * (`listEvents`), the reading `telemetryReads.ts` (`readEvents`). Must not: prompt while refreshing.
 */

import * as vscode from 'vscode';
import type { roomViewIds } from '../model/commandIds';
import { listEvents, type EventFilter, type EventItem, type EventScope, type EventSeverity, type PlatformEvent } from './platformEvents';
import { readEvents, type Sessions, type TelemetryTarget } from './telemetryReads';
import type { TelemetryProblem } from './telemetryProblems';
import { describeSpan } from './telemetryProblems';

export const eventsViewId: (typeof roomViewIds)[number] = 'spcs.events';

export interface EventsRange {
  /** Milliseconds back from now, or a fixed window. */
  readonly lastMs?: number;
  readonly start?: number;
  readonly end?: number;
}

export interface EventsShowRequest {
  readonly target: TelemetryTarget;
  /** `LLM_SERVICE/0`. */
  readonly label: string;
  /** The spec the service runs, for the spec-line links (a local file, or the deployed spec as a read-only document). */
  readonly spec?: () => Promise<{ readonly text: string; readonly uri: string } | undefined>;
}

export interface EventsSettings {
  readonly sessions: Sessions;
  readonly timeoutMs: () => number;
  /** Seconds between refreshes while visible (0: never). */
  readonly refreshSeconds: () => number;
  readonly log: vscode.LogOutputChannel;
}

/** What the view shows now (`spcs.showEvents` and the view's commands return it; tests read it). */
export interface EventsSnapshot {
  readonly target?: TelemetryTarget;
  readonly label?: string;
  readonly items: readonly EventItem[];
  /** All events read, before the filter. */
  readonly events: readonly PlatformEvent[];
  readonly filter: EventFilter;
  readonly range: EventsRange;
  /** Why the list is empty or failed, when it is. */
  readonly problem?: TelemetryProblem;
  readonly truncated: boolean;
  /** Increases with every load that finished. */
  readonly generation: number;
}

const allSeverities: readonly EventSeverity[] = ['ERROR', 'WARN', 'INFO', 'DEBUG'];

export class EventsView implements vscode.TreeDataProvider<EventItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<EventItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly loadedEmitter = new vscode.EventEmitter<EventsSnapshot>();
  /** Fires after every load (tests wait on it). */
  readonly onDidLoad = this.loadedEmitter.event;
  private readonly view: vscode.TreeView<EventItem>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private request: EventsShowRequest | undefined;
  private spec: { readonly text: string; readonly uri: string } | undefined;
  private state: EventsSnapshot = { items: [], events: [], filter: {}, range: { lastMs: 86_400_000 }, truncated: false, generation: 0 };
  private inFlight: AbortController | undefined;
  /** The load in flight: a load that a newer one cancelled resolves to the newer one's outcome. */
  private pending: Promise<EventsSnapshot> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastLoaded = 0;

  constructor(private readonly settings: EventsSettings) {
    this.view = vscode.window.createTreeView(eventsViewId, { treeDataProvider: this, showCollapseAll: false });
    this.subscriptions.push(
      this.view,
      this.view.onDidChangeVisibility((event) => {
        if (!event.visible) {
          this.stopTimer();
          if (this.inFlight) {
            // Hidden mid-read: stop it, and read again when the view shows.
            this.inFlight.abort();
            this.inFlight = undefined;
            this.lastLoaded = 0;
            this.describe();
          }
        } else if (this.request && this.inFlight === undefined && (this.lastLoaded === 0 || (this.refreshMs() > 0 && Date.now() - this.lastLoaded >= this.refreshMs()))) void this.load();
        else this.schedule();
      }),
    );
  }

  snapshot(): EventsSnapshot {
    return this.state;
  }

  /** Shows the events of a new target (keeping the range; the filter starts empty) and loads them. */
  async show(request: EventsShowRequest): Promise<EventsSnapshot> {
    this.request = request;
    this.spec = undefined;
    this.state = { ...this.state, target: request.target, label: request.label, items: [], events: [], filter: {}, truncated: false };
    void vscode.commands.executeCommand('setContext', 'spcs.eventsShown', true);
    this.describe();
    this.changed.fire(undefined);
    // Read first, then reveal the view (a tree view has no show(); focusing it makes it visible): the
    // view becoming visible then finds the read in flight and does not start another.
    const loading = this.load();
    await vscode.commands.executeCommand(`${eventsViewId}.focus`);
    return loading;
  }

  setFilter(filter: EventFilter): EventsSnapshot {
    this.state = { ...this.state, filter };
    this.relist();
    return this.state;
  }

  async setRange(range: EventsRange): Promise<EventsSnapshot> {
    this.state = { ...this.state, range };
    return this.load();
  }

  /** Reads the events again (cancelling a read in flight). */
  load(): Promise<EventsSnapshot> {
    const promise = this.read();
    this.pending = promise;
    return promise;
  }

  private async read(): Promise<EventsSnapshot> {
    const request = this.request;
    if (!request) return this.state;
    this.stopTimer();
    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    const now = Date.now();
    const range = this.state.range;
    const window = range.start !== undefined && range.end !== undefined ? { start: range.start, end: range.end } : { start: now - (range.lastMs ?? 86_400_000), end: now };
    this.view.message = `Reading the events of ${request.label}…`;
    const [read, spec] = await Promise.all([
      readEvents(this.settings.sessions, request.target, window, { signal: controller.signal, timeoutMs: this.settings.timeoutMs(), maxEvents: 10_000 }),
      this.spec === undefined && request.spec ? request.spec().catch(() => undefined) : Promise.resolve(this.spec),
    ]);
    if (controller.signal.aborted || this.request !== request) return this.inFlight !== undefined && this.pending !== undefined ? this.pending : this.state;
    this.inFlight = undefined;
    this.spec = spec;
    this.lastLoaded = Date.now();
    const generation = this.state.generation + 1;
    if (!read.ok) {
      if (read.problem.error?.kind !== 'cancelled') this.settings.log.warn(`Events of ${request.label}: ${read.problem.message}`);
      this.state = { ...this.state, items: [], events: [], truncated: false, problem: read.problem, generation };
    } else {
      const { explanation, ...rest } = read.value;
      this.state = { ...this.state, events: rest.events, truncated: rest.truncated, generation, ...(explanation === undefined ? { problem: undefined } : { problem: explanation }) };
    }
    this.relist();
    this.schedule();
    this.loadedEmitter.fire(this.state);
    return this.state;
  }

  private relist(): void {
    const scope: EventScope = this.state.target?.container !== undefined ? 'container' : this.state.target?.instanceId !== undefined ? 'instance' : 'service';
    const items = listEvents(this.state.events, { scope, filter: this.state.filter, ...(this.spec ? { spec: this.spec } : {}) });
    this.state = { ...this.state, items };
    this.describe();
    this.changed.fire(undefined);
  }

  private describe(): void {
    const { label, range, filter, problem, truncated, items, events } = this.state;
    const span = range.start !== undefined && range.end !== undefined ? `${iso(range.start)} to ${iso(range.end)} UTC` : `last ${describeSpan(range.lastMs ?? 86_400_000)}`;
    const filters = [filter.severities && filter.severities.size > 0 ? [...filter.severities].join(', ') : undefined, filter.instanceId === undefined ? undefined : `instance ${filter.instanceId}`, filter.container].filter(
      (part): part is string => part !== undefined,
    );
    this.view.description = [label, span, ...filters].filter((part) => part !== undefined).join(' · ');
    if (problem) this.view.message = `${problem.title}. ${problem.message}`;
    else if (events.length > 0 && items.length === 0) this.view.message = `None of the ${events.length} events match the filter.`;
    else if (truncated) this.view.message = `Only the newest ${events.length.toLocaleString('en-US')} events are listed: pick a shorter range for older ones.`;
    else this.view.message = undefined;
  }

  private refreshMs(): number {
    return Math.max(0, this.settings.refreshSeconds()) * 1000;
  }

  private schedule(): void {
    this.stopTimer();
    const period = this.refreshMs();
    // A fixed window does not move; only "the last …" is refreshed, and only while someone looks.
    if (!this.request || period <= 0 || !this.view.visible || this.state.range.lastMs === undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.load();
    }, period);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  getTreeItem(item: EventItem): vscode.TreeItem {
    return eventTreeItem(item);
  }

  getChildren(item?: EventItem): EventItem[] {
    return item === undefined ? [...this.state.items] : [];
  }

  dispose(): void {
    this.stopTimer();
    this.inFlight?.abort();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
    this.loadedEmitter.dispose();
  }
}

/** An event as the view shows it: severity icon, where and when, and a click that opens the spec line that explains it. */
export function eventTreeItem(item: EventItem): vscode.TreeItem {
  const tree = new vscode.TreeItem(item.label, vscode.TreeItemCollapsibleState.None);
  tree.id = item.id;
  // An event a spec line explains says so, since a click opens it.
  tree.description = item.specLocation ? `${item.description} · spec line ${item.specLocation.line}` : item.description;
  tree.tooltip = item.specLocation ? `${item.tooltip}\nClick to open that line.` : item.tooltip;
  tree.iconPath = new vscode.ThemeIcon(item.icon.id, item.icon.color === undefined ? undefined : new vscode.ThemeColor(item.icon.color));
  tree.contextValue = item.specLocation ? 'event;spec' : 'event';
  tree.accessibilityInformation = { label: `${item.severity}: ${item.label}, ${item.description}` };
  const location = item.specLocation;
  if (location) {
    const range = new vscode.Range(location.range.start.line, location.range.start.character, location.range.end.line, location.range.end.character);
    tree.command = { command: 'vscode.open', title: 'Open the spec line', arguments: [vscode.Uri.parse(location.uri), { selection: range, preview: true }] };
  }
  return tree;
}

/** The instances and containers the read events name (for the filter's choices). */
export function sourcesOf(events: readonly PlatformEvent[]): { readonly instances: string[]; readonly containers: string[] } {
  const instances = new Set<string>();
  const containers = new Set<string>();
  for (const event of events) {
    if (event.instanceId !== undefined) instances.add(event.instanceId);
    if (event.container !== undefined) containers.add(event.container);
  }
  return { instances: [...instances].sort((a, b) => Number(a) - Number(b)), containers: [...containers].sort() };
}

export { allSeverities };

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}
