/**
 * The metrics panel in VS Code: one WebviewPanel per service, instance or container, showing the page
 * of `metricsPage.ts` (strict CSP with a fresh nonce, only `dist/webview/` may be loaded) and
 * forwarding to the editor-free controller (`metricsPanel.ts`): messages in, view state (refresh only
 * while visible), disposal (cancels the queries in flight). The webview keeps its range and view with
 * `setState`, so a hidden panel costs no memory (no `retainContextWhenHidden`) and comes back as it was.
 *
 * Owns: the open panels (showing the same target again reveals its panel). Must not: query Snowflake
 * or shape data itself (the controller and its loader do).
 */

import * as vscode from 'vscode';
import type { TelemetryProblem } from './telemetryProblems';
import type { MetricsRange, PanelActionId, ToWebview } from './metricsMessages';
import { MetricsPanelController } from './metricsPanel';
import { metricsPageHtml, newNonce } from './metricsPage';
import type { Sessions, TelemetryTarget } from './telemetryReads';

export const metricsViewType = 'spcs.metrics';

/** What `spcs.showMetrics` returns: the panel and what it has been sent (tests and journeys read it). */
export interface MetricsPanelHandle {
  readonly panel: vscode.WebviewPanel;
  readonly key: string;
  /** Every message posted to the webview, oldest first (since the panel opened). */
  messages(): readonly ToWebview[];
  /** Charts the webview reported drawn (`painted`), by chart id. */
  painted(): ReadonlySet<string>;
  /** Fires after each message posted and each chart painted. */
  readonly onDidUpdate: vscode.Event<void>;
  readonly disposed: boolean;
  /** Handles a message as if the webview sent it (what a button of the page does; tests press them so). */
  receive(message: unknown): void;
}

export interface MetricsPanelRequest {
  readonly sessions: Sessions;
  readonly target: TelemetryTarget;
  /** `LLM_SERVICE/0/vllm`. */
  readonly title: string;
  /** `SPCS_DEMO.PUBLIC · connection "dev"`. */
  readonly subtitle: string;
  readonly refreshSeconds: number;
  readonly timeoutMs: number;
  readonly onAction: (action: PanelActionId, problem: TelemetryProblem | undefined) => void;
  /** Open on this range (an open panel switches to it). */
  readonly range?: MetricsRange;
}

interface OpenPanel extends MetricsPanelHandle {
  readonly controller: MetricsPanelController;
}

export class MetricsPanels implements vscode.Disposable {
  private readonly panels = new Map<string, OpenPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Opens (or reveals) the panel of `request.target`. */
  show(request: MetricsPanelRequest): MetricsPanelHandle {
    const key = targetKey(request.target);
    const open = this.panels.get(key);
    if (open && !open.disposed) {
      // A visible panel's page is alive and switches at once; a hidden one's was unloaded and comes back
      // with the range it saved, so the new range waits for it to say ready.
      if (request.range && open.panel.visible) open.controller.receive({ type: 'setRange', range: request.range });
      else if (request.range) open.controller.openOn(request.range);
      open.panel.reveal(undefined, false);
      return open;
    }
    const assets = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(metricsViewType, `Metrics: ${request.title}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [assets],
    });
    const messages: ToWebview[] = [];
    const painted = new Set<string>();
    const updated = new vscode.EventEmitter<void>();
    let disposed = false;
    const controller = new MetricsPanelController({
      sessions: request.sessions,
      target: request.target,
      title: request.title,
      subtitle: request.subtitle,
      refreshSeconds: request.refreshSeconds,
      timeoutMs: request.timeoutMs,
      post: (message) => {
        messages.push(message);
        // A long-open panel refreshes every minute: keep the recent messages only.
        if (messages.length > 2000) messages.splice(0, messages.length - 1000);
        if (message.type === 'loading') painted.clear();
        void panel.webview.postMessage(message).then(undefined, (error: unknown) => this.log.warn(`Metrics panel ${request.title}: a message was not delivered: ${String(error)}`));
        updated.fire();
      },
      onAction: request.onAction,
      ...(request.range ? { initialRange: request.range } : {}),
      onCopy: (text) => void vscode.env.clipboard.writeText(text),
      onPainted: (_requestId, chartId) => {
        painted.add(chartId);
        updated.fire();
      },
    });
    const script = panel.webview.asWebviewUri(vscode.Uri.joinPath(assets, 'metricsView.js')).toString();
    const style = panel.webview.asWebviewUri(vscode.Uri.joinPath(assets, 'metricsView.css')).toString();
    panel.webview.html = metricsPageHtml({ cspSource: panel.webview.cspSource, nonce: newNonce(), scriptUri: script, styleUri: style, title: `Metrics: ${request.title}` });
    const subscriptions = [
      panel.webview.onDidReceiveMessage((message: unknown) => controller.receive(message)),
      panel.onDidChangeViewState((event) => controller.setVisible(event.webviewPanel.visible)),
    ];
    const handle: OpenPanel = {
      panel,
      key,
      controller,
      messages: () => messages,
      painted: () => painted,
      onDidUpdate: updated.event,
      receive: (message) => controller.receive(message),
      get disposed() {
        return disposed;
      },
    };
    panel.onDidDispose(() => {
      disposed = true;
      controller.dispose();
      for (const subscription of subscriptions) subscription.dispose();
      updated.fire();
      updated.dispose();
      if (this.panels.get(key) === handle) this.panels.delete(key);
    });
    this.panels.set(key, handle);
    return handle;
  }

  dispose(): void {
    for (const open of [...this.panels.values()]) open.panel.dispose();
    this.panels.clear();
  }
}

function targetKey(target: TelemetryTarget): string {
  const service = target.service;
  return [target.connection, service.database ?? '', service.schema ?? '', service.name, target.instanceId ?? '', target.container ?? ''].join('\u0000');
}
