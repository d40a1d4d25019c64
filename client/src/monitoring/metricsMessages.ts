/**
 * The messages between the extension and the metrics panel's webview, in one module both sides
 * import (the webview bundle from `client/webview/metrics/`, the extension from this room), so the
 * protocol is written once and type-checked on both ends.
 *
 * The flow: the webview says `ready` with the state it kept (`acquireVsCodeApi().getState()`, so a
 * panel that was hidden or reloaded asks for the same range again); the extension answers `target`,
 * then per request `loading` (the charts to expect, so the layout does not jump), one `chart` per
 * chart as each query returns (painted at once), `chartFailed` for a chart whose query failed, and
 * `loaded` at the end; or `empty` (why there is nothing to show, with actions) or `failed`. The
 * webview sends `setRange`, `refresh`, `action` (a button of an explanation), `copy` (table text for
 * the clipboard) and `painted` (each chart drawn: tests and the benchmark measure with it).
 *
 * Must not: import anything that needs Node or the DOM (both sides compile it).
 */

export type RangePreset = '15m' | '1h' | '6h' | '1d';

export const rangePresets: readonly { readonly id: RangePreset; readonly label: string; readonly ms: number }[] = [
  { id: '15m', label: '15 min', ms: 15 * 60_000 },
  { id: '1h', label: '1 hour', ms: 3_600_000 },
  { id: '6h', label: '6 hours', ms: 6 * 3_600_000 },
  { id: '1d', label: '1 day', ms: 86_400_000 },
];

export type MetricsRange =
  | { readonly kind: 'preset'; readonly preset: RangePreset }
  /** Milliseconds since the epoch. */
  | { readonly kind: 'custom'; readonly start: number; readonly end: number };

export type PanelView = 'charts' | 'table';

/** What the webview keeps across hiding and reloading (`setState`). */
export interface PanelState {
  readonly range: MetricsRange;
  readonly view: PanelView;
}

export const defaultPanelState: PanelState = { range: { kind: 'preset', preset: '1h' }, view: 'charts' };

export interface ChartSeries {
  /** Stable across refreshes: `0/vllm`, `0/vllm/1` (GPU 1), `limit`. */
  readonly key: string;
  /** `0/vllm GPU 1`, `memory limit`. */
  readonly label: string;
  /** `limit` series are drawn as a dashed line in the theme's error colour. */
  readonly kind: 'value' | 'limit';
  /** Values in the chart's display unit, one per entry of `times`; `null` where there was no sample. */
  readonly values: readonly (number | null)[];
}

export interface ChartData {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** The display unit (`GiB`, `%`, `cores`, `connections/s`); values are already in it. */
  readonly unit: string;
  /** Decimals that show the values' differences (table and read-out use the same). */
  readonly decimals: number;
  readonly bucketSeconds: number;
  readonly aggregate: 'AVG' | 'MAX';
  /** Bucket starts, seconds since the epoch (uPlot's x values), ascending, evenly spaced. */
  readonly times: readonly number[];
  readonly series: readonly ChartSeries[];
  /** One line under the title, e.g. `peak 152 GiB of 160 GiB limit (95 %)`. */
  readonly summary?: string;
}

export interface ChartSlot {
  readonly id: string;
  readonly title: string;
  readonly description: string;
}

export type PanelActionId = 'addMetricGroups' | 'copyGrant' | 'openSpec' | 'retry';

export interface Explanation {
  readonly title: string;
  /** Plain text, one or two sentences. */
  readonly message: string;
  /** Statement or spec text the user may copy (a GRANT, the spec lines to add). */
  readonly code?: string;
  readonly actions: readonly { readonly id: PanelActionId; readonly title: string }[];
}

export type ToWebview =
  | { readonly type: 'target'; readonly title: string; readonly subtitle: string }
  | {
      readonly type: 'loading';
      readonly requestId: number;
      readonly range: MetricsRange;
      /** Milliseconds since the epoch. */
      readonly start: number;
      readonly end: number;
      readonly bucketSeconds: number;
      readonly charts: readonly ChartSlot[];
    }
  | { readonly type: 'chart'; readonly requestId: number; readonly chart: ChartData }
  | { readonly type: 'chartFailed'; readonly requestId: number; readonly chartId: string; readonly message: string }
  /** `refreshSeconds`: when the panel refreshes by itself next (while visible), if it does. */
  | { readonly type: 'loaded'; readonly requestId: number; readonly at: number; readonly refreshSeconds?: number }
  | { readonly type: 'empty'; readonly requestId: number; readonly explanation: Explanation }
  | { readonly type: 'failed'; readonly requestId: number; readonly explanation: Explanation };

export type FromWebview =
  | { readonly type: 'ready'; readonly state: PanelState }
  | { readonly type: 'setRange'; readonly range: MetricsRange }
  | { readonly type: 'refresh' }
  | { readonly type: 'action'; readonly action: PanelActionId }
  | { readonly type: 'copy'; readonly text: string }
  | { readonly type: 'painted'; readonly requestId: number; readonly chartId: string };

const presetIds: ReadonlySet<string> = new Set(rangePresets.map((preset) => preset.id));
const actionIds: ReadonlySet<string> = new Set<PanelActionId>(['addMetricGroups', 'copyGrant', 'openSpec', 'retry']);

export function isMetricsRange(value: unknown): value is MetricsRange {
  if (typeof value !== 'object' || value === null) return false;
  const range = value as Record<string, unknown>;
  if (range.kind === 'preset') return typeof range.preset === 'string' && presetIds.has(range.preset);
  return range.kind === 'custom' && isMoment(range.start) && isMoment(range.end) && range.start < range.end;
}

function isMoment(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

export function isPanelState(value: unknown): value is PanelState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Record<string, unknown>;
  return isMetricsRange(state.range) && (state.view === 'charts' || state.view === 'table');
}

/** Checks a message from the webview before the extension acts on it (a webview is a separate page). */
export function isFromWebview(value: unknown): value is FromWebview {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
      return isPanelState(message.state);
    case 'setRange':
      return isMetricsRange(message.range);
    case 'refresh':
      return true;
    case 'action':
      return typeof message.action === 'string' && actionIds.has(message.action);
    case 'copy':
      return typeof message.text === 'string' && message.text.length <= 10_000_000;
    case 'painted':
      return typeof message.requestId === 'number' && typeof message.chartId === 'string';
    default:
      return false;
  }
}

/** The window a range covers at `now` (milliseconds). */
export function windowOf(range: MetricsRange, now: number): { readonly start: number; readonly end: number } {
  if (range.kind === 'custom') return { start: range.start, end: range.end };
  const preset = rangePresets.find((each) => each.id === range.preset);
  return { start: now - (preset?.ms ?? 3_600_000), end: now };
}
