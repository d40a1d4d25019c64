/**
 * The metrics panel's page (the webview side of `client/src/monitoring/metricsPanel.ts`): the range
 * picker (15 min, 1 hour, 6 hours, 1 day, custom, in UTC), the charts / table switch, a refresh
 * button and a status line; one section per chart, laid out as soon as the extension says which charts
 * are coming and filled as each arrives; an explanation with its buttons when there is nothing to show.
 *
 * State that must survive the panel being hidden or reloaded (the range, the view) goes through
 * `acquireVsCodeApi().setState`, and `ready` hands it back to the extension, which then reloads the
 * data. Every message follows `metricsMessages.ts`. Controls are native buttons and inputs in VS Code's
 * colours (metrics.css), so keyboard and screen readers work without extra code.
 */

import 'uplot/dist/uPlot.min.css';
import './metrics.css';
import { formatTime } from '../../src/monitoring/metricFormat';
import { defaultPanelState, isPanelState, rangePresets, type ChartData, type Explanation, type FromWebview, type MetricsRange, type PanelState, type ToWebview } from '../../src/monitoring/metricsMessages';
import { drawChart, type DrawnChart } from './charts';
import { renderTable } from './table';
import { readColors, watchTheme, type ChartColors } from './theme';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: PanelState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

interface Slot {
  readonly section: HTMLElement;
  readonly summary: HTMLElement;
  readonly body: HTMLElement;
  data?: ChartData;
  drawn?: DrawnChart;
  painted: boolean;
}

const vscode = acquireVsCodeApi();
const restored = vscode.getState();
let state: PanelState = isPanelState(restored) ? restored : defaultPanelState;
let requestId = -1;
let colors: ChartColors = readColors();
const slots = new Map<string, Slot>();

const element = <T extends HTMLElement>(id: string): T => {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The page has no #${id}`);
  return found as T;
};
const chartsElement = element<HTMLElement>('charts');
const statusElement = element<HTMLElement>('status');
const customForm = element<HTMLFormElement>('custom');
const customStart = element<HTMLInputElement>('customStart');
const customEnd = element<HTMLInputElement>('customEnd');

function post(message: FromWebview): void {
  vscode.postMessage(message);
}

function save(next: PanelState): void {
  state = next;
  vscode.setState(state);
  renderControls();
}

// ---- controls ---------------------------------------------------------------------------------------------

function renderControls(): void {
  const ranges = element<HTMLElement>('ranges');
  if (ranges.childElementCount === 0) {
    for (const preset of [...rangePresets.map((each) => ({ id: each.id, label: each.label })), { id: 'custom', label: 'Custom…' }]) {
      const button = document.createElement('button');
      button.type = 'button';
      button.setAttribute('role', 'radio');
      button.dataset.range = preset.id;
      button.textContent = preset.label;
      button.addEventListener('click', () => chooseRange(preset.id));
      ranges.append(button);
    }
  }
  const current = state.range.kind === 'custom' ? 'custom' : state.range.preset;
  for (const button of ranges.querySelectorAll<HTMLButtonElement>('button')) {
    const on = button.dataset.range === current;
    button.setAttribute('aria-checked', String(on));
    button.tabIndex = on ? 0 : -1;
  }
  customForm.hidden = state.range.kind !== 'custom' && customForm.dataset.open !== 'true';
  // A custom range the extension chose (around an event) or the page restored: the inputs say which.
  if (state.range.kind === 'custom' && document.activeElement !== customStart && document.activeElement !== customEnd) {
    customStart.value = toInput(state.range.start);
    customEnd.value = toInput(state.range.end);
  }
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-view]')) {
    const on = button.dataset.view === state.view;
    button.setAttribute('aria-checked', String(on));
    button.tabIndex = on ? 0 : -1;
  }
  document.body.dataset.view = state.view;
}

function chooseRange(id: string): void {
  if (id === 'custom') {
    customForm.dataset.open = 'true';
    const window = state.range.kind === 'custom' ? state.range : { start: Date.now() - 3_600_000, end: Date.now() };
    customStart.value = toInput(window.start);
    customEnd.value = toInput(window.end);
    customForm.hidden = false;
    customStart.focus();
    return;
  }
  customForm.dataset.open = 'false';
  const preset = rangePresets.find((each) => each.id === id);
  if (!preset) return;
  const range: MetricsRange = { kind: 'preset', preset: preset.id };
  save({ ...state, range });
  post({ type: 'setRange', range });
}

/** `datetime-local` values are read and written as UTC (the panel shows UTC everywhere). */
function toInput(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

function fromInput(value: string): number {
  return Date.parse(`${value}:00Z`);
}

customForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const start = fromInput(customStart.value);
  const end = fromInput(customEnd.value);
  if (!Number.isFinite(start) || !Number.isFinite(end) || start >= end) {
    statusElement.textContent = 'The custom range needs a start before its end.';
    return;
  }
  const range: MetricsRange = { kind: 'custom', start, end };
  save({ ...state, range });
  post({ type: 'setRange', range });
});

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-view]')) {
  button.addEventListener('click', () => {
    save({ ...state, view: button.dataset.view === 'table' ? 'table' : 'charts' });
    for (const slot of slots.values()) renderSlot(slot);
  });
}

/** Arrow keys move within a radio group, as the ARIA pattern expects. */
document.addEventListener('keydown', (event) => {
  const target = event.target;
  if (!(target instanceof HTMLButtonElement) || target.getAttribute('role') !== 'radio') return;
  const group = [...(target.parentElement?.querySelectorAll<HTMLButtonElement>('[role="radio"]') ?? [])];
  const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0;
  if (step === 0) return;
  event.preventDefault();
  const next = group[(group.indexOf(target) + step + group.length) % group.length];
  next?.focus();
  next?.click();
});

element<HTMLButtonElement>('refresh').addEventListener('click', () => post({ type: 'refresh' }));

// ---- charts -----------------------------------------------------------------------------------------------

function chartWidth(): number {
  return Math.max(200, chartsElement.clientWidth - 24);
}

function renderSlot(slot: Slot): void {
  const data = slot.data;
  if (!data) return;
  slot.drawn?.destroy();
  slot.drawn = undefined;
  slot.summary.textContent = data.summary ?? '';
  slot.section.querySelector('.unit')?.replaceChildren(data.unit === '' ? '' : `(${data.unit})`);
  if (state.view === 'table') {
    renderTable(slot.body, data, (text) => post({ type: 'copy', text }));
    return;
  }
  slot.drawn = drawChart(slot.body, data, colors, chartWidth());
  if (!slot.painted) {
    slot.painted = true;
    const id = requestId;
    // After the frame that shows it: the chart is on screen, not just drawn into a canvas.
    requestAnimationFrame(() => setTimeout(() => post({ type: 'painted', requestId: id, chartId: data.id }), 0));
  }
}

function layout(charts: readonly { id: string; title: string; description: string }[]): void {
  for (const slot of slots.values()) slot.drawn?.destroy();
  slots.clear();
  const sections = charts.map((chart) => {
    const section = document.createElement('section');
    section.className = 'chart';
    section.id = `chart-${chart.id}`;
    section.dataset.chart = chart.id;
    const heading = document.createElement('h2');
    heading.id = `chart-title-${chart.id}`;
    heading.append(chart.title, ' ');
    const unit = document.createElement('span');
    unit.className = 'unit subtle';
    heading.append(unit);
    section.setAttribute('aria-labelledby', heading.id);
    const summary = document.createElement('p');
    summary.className = 'summary subtle';
    const body = document.createElement('div');
    body.className = 'body';
    body.textContent = 'Loading…';
    body.title = chart.description;
    section.append(heading, summary, body);
    slots.set(chart.id, { section, summary, body, painted: false });
    return section;
  });
  chartsElement.replaceChildren(...sections);
}

// ---- messages ---------------------------------------------------------------------------------------------

function showExplanation(explanation: Explanation | undefined): void {
  const box = element<HTMLElement>('explanation');
  box.hidden = explanation === undefined;
  if (!explanation) return;
  element<HTMLElement>('explanationTitle').textContent = explanation.title;
  element<HTMLElement>('explanationMessage').textContent = explanation.message;
  const code = element<HTMLElement>('explanationCode');
  code.hidden = explanation.code === undefined;
  code.textContent = explanation.code ?? '';
  const actions = element<HTMLElement>('explanationActions');
  actions.replaceChildren(
    ...explanation.actions.map((action) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = action.title;
      button.addEventListener('click', () => post({ type: 'action', action: action.id }));
      return button;
    }),
  );
}

function receive(message: ToWebview): void {
  switch (message.type) {
    case 'target':
      element<HTMLElement>('title').textContent = message.title;
      element<HTMLElement>('subtitle').textContent = message.subtitle;
      document.title = message.title;
      return;
    case 'loading': {
      const sameCharts = [...slots.keys()].join() === message.charts.map((chart) => chart.id).join();
      requestId = message.requestId;
      showExplanation(undefined);
      // The range being shown is the one the picker shows (also when the extension chose it, e.g. on a restore).
      if (JSON.stringify(message.range) !== JSON.stringify(state.range)) save({ ...state, range: message.range });
      // A refresh of the same charts keeps the old ones on screen until the new data arrives.
      if (!sameCharts) layout(message.charts);
      else for (const slot of slots.values()) slot.painted = false;
      const bucket = message.bucketSeconds >= 60 ? `${message.bucketSeconds / 60}-minute` : `${message.bucketSeconds}-second`;
      statusElement.textContent = `Loading ${formatTime(message.start / 1000)} to ${formatTime(message.end / 1000)} in ${bucket} buckets…`;
      return;
    }
    case 'chart': {
      if (message.requestId !== requestId) return;
      const slot = slots.get(message.chart.id);
      if (!slot) return;
      slot.data = message.chart;
      renderSlot(slot);
      return;
    }
    case 'chartFailed': {
      if (message.requestId !== requestId) return;
      const slot = slots.get(message.chartId);
      if (slot) {
        slot.drawn?.destroy();
        slot.drawn = undefined;
        slot.body.textContent = message.message;
        slot.body.classList.add('failed');
      }
      return;
    }
    case 'loaded': {
      if (message.requestId !== requestId) return;
      for (const [id, slot] of slots) {
        if (!slot.data && !slot.body.classList.contains('failed')) {
          slot.section.remove();
          slots.delete(id);
        }
      }
      const refresh = message.refreshSeconds ? `; refreshes every ${message.refreshSeconds} s while visible` : '';
      statusElement.textContent = `Up to ${formatTime(message.at / 1000)}${refresh}. Platform metrics arrive a few minutes late.`;
      return;
    }
    case 'empty':
    case 'failed':
      requestId = message.requestId;
      layout([]);
      showExplanation(message.explanation);
      statusElement.textContent = '';
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => receive(event.data));

new ResizeObserver(() => {
  const width = chartWidth();
  for (const slot of slots.values()) slot.drawn?.resize(width);
}).observe(chartsElement);

watchTheme(() => {
  colors = readColors();
  for (const slot of slots.values()) if (slot.drawn) renderSlot(slot);
});

renderControls();
post({ type: 'ready', state });
