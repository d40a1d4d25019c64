/**
 * A metrics panel opened on a range (Show Metrics Around This Event): its first page shows that range
 * instead of the page's default, and a page restored later (the panel was hidden) keeps its own.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPanelState, type MetricsRange, type ToWebview } from '../../../client/src/monitoring/metricsMessages';
import { MetricsPanelController } from '../../../client/src/monitoring/metricsPanel';

const spec = ['spec:', '  containers:', '    - name: app', '      image: /db/s/repo/app:1', '  platformMonitor:', '    metricConfig:', '      groups: [system]', ''].join('\n');

function panel(initialRange?: MetricsRange) {
  const posted: ToWebview[] = [];
  const controller = new MetricsPanelController({
    sessions: { execute: () => Promise.resolve({ ok: true, value: { columns: [], rows: [] } }) },
    target: { connection: 'dev', service: { database: 'DB', schema: 'S', name: 'APP' } },
    post: (message) => posted.push(message),
    title: 'APP',
    subtitle: 'DB.S',
    specText: () => spec,
    refreshSeconds: 0,
    now: () => Date.UTC(2026, 0, 1, 12),
    ...(initialRange ? { initialRange } : {}),
  });
  return { controller, posted };
}

const ranges = (posted: readonly ToWebview[]) => posted.flatMap((message) => (message.type === 'loading' ? [message.range] : []));

describe('metrics panel opened on a range', () => {
  it('shows the range on its first page, and what a restored page kept afterwards', async () => {
    const around: MetricsRange = { kind: 'custom', start: Date.UTC(2026, 0, 1, 10, 40), end: Date.UTC(2026, 0, 1, 11, 40) };
    const { controller, posted } = panel(around);
    controller.receive({ type: 'ready', state: defaultPanelState });
    await controller.load();
    assert.deepEqual(ranges(posted).at(-1), around);
    // The page came back after being hidden, with the range it saved.
    controller.receive({ type: 'ready', state: { range: { kind: 'preset', preset: '6h' }, view: 'charts' } });
    await controller.load();
    assert.deepEqual(ranges(posted).at(-1), { kind: 'preset', preset: '6h' });
  });

  it('a hidden panel asked for a range shows it when its page comes back, not the range the page saved', async () => {
    const { controller, posted } = panel();
    controller.receive({ type: 'ready', state: defaultPanelState });
    await controller.load();
    const around: MetricsRange = { kind: 'custom', start: Date.UTC(2026, 0, 1, 9), end: Date.UTC(2026, 0, 1, 10) };
    controller.openOn(around);
    controller.receive({ type: 'ready', state: { range: { kind: 'preset', preset: '6h' }, view: 'table' } });
    await controller.load();
    assert.deepEqual(ranges(posted).at(-1), around);
  });

  it('without one, shows what the page asks for', async () => {
    const { controller, posted } = panel();
    controller.receive({ type: 'ready', state: defaultPanelState });
    await controller.load();
    assert.deepEqual(ranges(posted).at(-1), defaultPanelState.range);
  });
});
