/**
 * One uPlot chart per metric: a series per instance/container (per GPU …) in the theme's chart colours,
 * limit series as a dashed line in the theme's red, times in UTC, a y axis from zero, and uPlot's live
 * legend as the hover read-out (each series' value at the cursor, formatted like the table). The
 * canvas is marked `role="img"` with the chart's summary; the table view is the accessible twin.
 *
 * Must not: fetch or post anything (main.ts does), or shape data (it arrives shaped).
 */

import uPlot from 'uplot';
import { formatTime, formatValue } from '../../src/monitoring/metricFormat';
import type { ChartData } from '../../src/monitoring/metricsMessages';
import type { ChartColors } from './theme';

const height = 200;
/** Dash patterns for series beyond the palette's colours, so twelve containers stay apart. */
const dashes: readonly (number[] | undefined)[] = [undefined, [8, 3], [2, 2], [10, 3, 2, 3]];

export interface DrawnChart {
  readonly plot: uPlot;
  destroy(): void;
  resize(width: number): void;
}

function seriesStyle(index: number, kind: 'value' | 'limit', colors: ChartColors): { stroke: string; dash?: number[]; width: number } {
  if (kind === 'limit') return { stroke: colors.limit, dash: [6, 4], width: 1.75 };
  const palette = colors.series.length;
  const dash = dashes[Math.floor(index / palette) % dashes.length];
  return { stroke: colors.series[index % palette] ?? colors.axis, width: 1.5, ...(dash ? { dash } : {}) };
}

/** The y axis's tick labels: the unit's numbers, short. */
function tick(value: number, unit: string): string {
  const magnitude = Math.abs(value);
  const text = magnitude >= 100 || value === 0 ? value.toFixed(0) : magnitude >= 10 ? value.toFixed(1).replace(/\.0$/, '') : value.toFixed(2).replace(/0$/, '').replace(/\.0$/, '');
  return unit === '%' ? `${text} %` : text;
}

/** `14:30` in UTC (24-hour, like the table and the logs); the date under the first tick and under midnight. */
function timeTick(seconds: number, index: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  const time = iso.slice(11, 16);
  return index === 0 || time === '00:00' ? `${time}\n${iso.slice(0, 10)}` : time;
}

/** Draws `chart` into `target` (emptied first), `width` CSS pixels wide. */
export function drawChart(target: HTMLElement, chart: ChartData, colors: ChartColors, width: number): DrawnChart {
  target.replaceChildren();
  let valueIndex = 0;
  const series: uPlot.Series[] = [
    { label: 'Time (UTC)', value: (_plot, value) => (value === null || value === undefined ? '—' : formatTime(value)) },
    ...chart.series.map((each): uPlot.Series => {
      const style = seriesStyle(each.kind === 'limit' ? 0 : valueIndex++, each.kind, colors);
      return {
        label: each.label,
        stroke: style.stroke,
        width: style.width,
        ...(style.dash ? { dash: style.dash } : {}),
        spanGaps: false,
        points: { show: false },
        class: each.kind === 'limit' ? 'series-limit' : 'series-value',
        value: (_plot, value) => formatValue(value, chart.unit, chart.decimals),
      };
    }),
  ];
  const axis: uPlot.Axis = { stroke: colors.axis, font: colors.font, grid: { stroke: colors.grid, width: 0.5 }, ticks: { stroke: colors.grid, width: 0.5 } };
  const options: uPlot.Options = {
    width: Math.max(200, width),
    height,
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
    scales: {
      x: { time: true },
      y: { range: (_plot, min, max) => [Math.min(0, min ?? 0), max === null || max === undefined || max <= 0 ? 1 : max * 1.08] },
    },
    axes: [{ ...axis, size: 44, values: (_plot, splits) => splits.map((value, index) => timeTick(value, index)) }, { ...axis, size: 56, values: (_plot, splits) => splits.map((value) => tick(value, chart.unit)) }],
    series,
    legend: { live: true },
    cursor: { focus: { prox: 16 } },
  };
  const data: uPlot.AlignedData = [[...chart.times], ...chart.series.map((each) => [...each.values])];
  const plot = new uPlot(options, data, target);
  plot.root.setAttribute('role', 'img');
  plot.root.setAttribute('aria-label', `${chart.title} chart${chart.summary ? `: ${chart.summary}` : ''}. The table view has every value.`);
  return {
    plot,
    destroy: () => plot.destroy(),
    resize: (newWidth) => plot.setSize({ width: Math.max(200, newWidth), height }),
  };
}
