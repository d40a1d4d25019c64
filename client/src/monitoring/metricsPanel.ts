/**
 * The extension side of a metrics panel, without the editor: it answers the webview's messages
 * (`metricsMessages.ts`), loads the range the webview asks for (`metricsLoader.ts`), posts each chart
 * as it arrives, refreshes by itself while the panel is visible (never while hidden: a hidden panel
 * costs no queries), and cancels whatever is in flight when a new range is asked for or the panel
 * closes. Phase 2's VS Code adapter only creates the WebviewPanel and forwards: `onDidReceiveMessage`
 * → `receive`, `onDidChangeViewState` → `setVisible`, `onDidDispose` → `dispose`.
 *
 * Must not: import `vscode` (actions that need the editor, such as applying the spec quick fix or
 * copying to the clipboard, go to `onAction` / `onCopy`).
 */

import type { ChartDefinition } from './metricCatalog';
import { loadCharts, planMetrics } from './metricsLoader';
import { isFromWebview, windowOf, type Explanation, type MetricsRange, type PanelActionId, type ToWebview } from './metricsMessages';
import type { Sessions, TelemetryTarget } from './telemetryReads';
import { noMetricsProblem, type TelemetryProblem } from './telemetryProblems';
import type { TimeWindow } from './telemetrySql';

export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface MetricsPanelOptions {
  readonly sessions: Sessions;
  readonly target: TelemetryTarget;
  /** Posts to the webview (`webview.postMessage`). */
  readonly post: (message: ToWebview) => void;
  /** `ECHO_SERVICE/0` and where it is: the panel's heading. */
  readonly title: string;
  readonly subtitle: string;
  /** The spec the service runs, when known (its groups decide the charts; saves DESCRIBE SERVICE). */
  readonly specText?: () => string | undefined;
  /** Seconds between refreshes while visible (default 60; 0: never). Custom ranges do not move, so they are not refreshed. */
  readonly refreshSeconds?: number;
  /** Bound on each statement (default 60 s). */
  readonly timeoutMs?: number;
  readonly role?: string;
  readonly now?: () => number;
  readonly timers?: Timers;
  /** A button of an explanation (add the metric groups to the spec, open the spec, copy the GRANT). */
  readonly onAction?: (action: PanelActionId, problem: TelemetryProblem | undefined) => void;
  /** The range a new panel opens with (e.g. around an event), instead of the page's default; a restored page keeps its own. */
  readonly initialRange?: MetricsRange;
  /** Text the webview wants on the clipboard (the table view's copy). */
  readonly onCopy?: (text: string) => void;
  /** A chart was drawn in the webview (tests and the benchmark measure with it). */
  readonly onPainted?: (requestId: number, chartId: string) => void;
}

export class MetricsPanelController {
  private range: MetricsRange | undefined;
  private visible = true;
  private requestId = 0;
  private inFlight: AbortController | undefined;
  private refreshTimer: unknown;
  private lastLoaded = 0;
  private problem: TelemetryProblem | undefined;
  private disposed = false;
  private initialRange: MetricsRange | undefined;

  constructor(private readonly options: MetricsPanelOptions) {
    this.initialRange = options.initialRange;
  }

  /** A message from the webview; anything that is not one of the protocol's is ignored. */
  receive(message: unknown): void {
    if (this.disposed || !isFromWebview(message)) return;
    switch (message.type) {
      case 'ready':
        this.options.post({ type: 'target', title: this.options.title, subtitle: this.options.subtitle });
        // The first page of a panel opened on a range shows it (the page saves it from 'loading'); later pages restore their own.
        this.range = this.initialRange ?? message.state.range;
        this.initialRange = undefined;
        void this.load();
        return;
      case 'setRange':
        this.range = message.range;
        void this.load();
        return;
      case 'refresh':
        void this.load();
        return;
      case 'action':
        if (message.action === 'retry') void this.load();
        else this.options.onAction?.(message.action, this.problem);
        return;
      case 'copy':
        this.options.onCopy?.(message.text);
        return;
      case 'painted':
        this.options.onPainted?.(message.requestId, message.chartId);
        return;
    }
  }

  /**
   * Show `range` on the page that says `ready` next: a hidden panel's page was unloaded and comes back
   * (when revealed) with the range it saved, which this takes precedence over.
   */
  openOn(range: MetricsRange): void {
    this.initialRange = range;
  }

  /** The panel became visible or hidden: refresh on showing when the data is older than a refresh period; stop refreshing while hidden. */
  setVisible(visible: boolean): void {
    if (this.disposed || visible === this.visible) return;
    this.visible = visible;
    if (!visible) {
      this.clearRefresh();
      return;
    }
    const period = this.refreshMs();
    if (this.range !== undefined && period > 0 && this.range.kind === 'preset' && this.now() - this.lastLoaded >= period) void this.load();
    else this.scheduleRefresh();
  }

  /** Cancels the queries in flight and the refresh; the panel is gone. */
  dispose(): void {
    this.disposed = true;
    this.clearRefresh();
    this.inFlight?.abort();
    this.inFlight = undefined;
  }

  /** Loads the current range (cancelling a load in flight); resolves when every chart has been posted. */
  async load(): Promise<void> {
    const range = this.range;
    if (this.disposed || range === undefined) return;
    this.clearRefresh();
    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    const requestId = ++this.requestId;
    const window = windowOf(range, this.now());
    const read = { signal: controller.signal, timeoutMs: this.options.timeoutMs ?? 60_000, ...(this.options.role ? { role: this.options.role } : {}) };
    const specText = this.options.specText?.();
    const plan = await planMetrics(this.options.sessions, this.options.target, window, { ...read, ...(specText === undefined ? {} : { specText }) });
    if (controller.signal.aborted || this.disposed) return;
    if (plan.kind === 'problem') {
      this.finish(requestId, plan.problem);
      return;
    }
    this.options.post({ type: 'loading', requestId, range, start: window.start, end: window.end, bucketSeconds: plan.bucketSeconds, charts: plan.charts.map(slot) });
    const outcome = await loadCharts(
      this.options.sessions,
      this.options.target,
      plan.charts,
      window,
      plan.bucketSeconds,
      {
        onChart: (chart) => this.options.post({ type: 'chart', requestId, chart }),
        onChartFailed: (chartId, problem) => this.options.post({ type: 'chartFailed', requestId, chartId, message: problem.message }),
      },
      read,
    );
    if (controller.signal.aborted || this.disposed) return;
    if (outcome.problem) {
      this.finish(requestId, outcome.problem);
      return;
    }
    if (outcome.shown === 0 && outcome.failed === 0) {
      this.finish(requestId, noMetricsProblem(this.options.target.service, window, plan.groups));
      return;
    }
    this.finish(requestId, undefined, window);
  }

  private finish(requestId: number, problem: TelemetryProblem | undefined, window?: TimeWindow): void {
    this.inFlight = undefined;
    this.problem = problem;
    this.lastLoaded = this.now();
    if (problem) {
      const failed = problem.kind === 'failed' || problem.kind === 'privilege' || problem.kind === 'notFound';
      this.options.post(failed ? { type: 'failed', requestId, explanation: explanationOf(problem) } : { type: 'empty', requestId, explanation: explanationOf(problem) });
    } else {
      const refresh = this.range?.kind === 'preset' ? this.refreshMs() / 1000 : 0;
      this.options.post({ type: 'loaded', requestId, at: window?.end ?? this.now(), ...(refresh > 0 ? { refreshSeconds: refresh } : {}) });
    }
    this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    this.clearRefresh();
    const period = this.refreshMs();
    if (!this.visible || this.disposed || period <= 0 || this.range?.kind !== 'preset') return;
    this.refreshTimer = (this.options.timers ?? realTimers).set(() => {
      this.refreshTimer = undefined;
      void this.load();
    }, period);
  }

  private clearRefresh(): void {
    if (this.refreshTimer !== undefined) (this.options.timers ?? realTimers).clear(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  private refreshMs(): number {
    return Math.max(0, this.options.refreshSeconds ?? 60) * 1000;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

function slot(chart: ChartDefinition): { id: string; title: string; description: string } {
  return { id: chart.id, title: chart.title, description: chart.description };
}

/** The panel's words and buttons for a problem. */
export function explanationOf(problem: TelemetryProblem): Explanation {
  const actions: { id: PanelActionId; title: string }[] = [];
  if (problem.kind === 'noMetricGroups') actions.push({ id: 'addMetricGroups', title: 'Add metric groups to the spec' });
  if (problem.kind === 'privilege' || problem.kind === 'notFound') actions.push({ id: 'copyGrant', title: 'Copy the GRANT' });
  actions.push({ id: 'retry', title: problem.kind === 'noDataYet' ? 'Look again' : 'Retry' });
  return { title: problem.title, message: problem.message, ...(problem.fix === undefined ? {} : { code: problem.fix }), actions };
}
