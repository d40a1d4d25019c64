/**
 * How metric values read: the display unit a chart uses (bytes as GiB or MiB by the chart's largest
 * value, ratios as percentages), the number of decimals that tells values apart, UTC times, and the
 * table view of a chart: the same numbers the chart draws, as rows a screen reader reads and a person
 * copies (tab-separated). Shared by the extension (shaping) and the webview (read-out, table), so the
 * chart, its hover read-out and its table never disagree.
 *
 * Must not: import anything that needs Node or the DOM (both sides compile it).
 */

import type { ChartData } from './metricsMessages';

export type UnitKindName = 'cores' | 'bytes' | 'ratio' | 'bytesPerSecond' | 'count' | 'perSecond' | 'boolean';

export interface DisplayUnit {
  /** What the values are divided by (1 / 100 for a ratio shown as a percentage). */
  readonly divisor: number;
  readonly label: string;
}

const binary: readonly (readonly [number, string])[] = [
  [1024 ** 4, 'TiB'],
  [1024 ** 3, 'GiB'],
  [1024 ** 2, 'MiB'],
  [1024, 'KiB'],
  [1, 'B'],
];

/** The unit a chart shows its values in, chosen from the largest value it has. */
export function displayUnit(kind: UnitKindName, largest: number, unitName?: string): DisplayUnit {
  switch (kind) {
    case 'bytes':
    case 'bytesPerSecond': {
      const [divisor, label] = binary.find(([size]) => largest >= size) ?? [1, 'B'];
      return { divisor, label: kind === 'bytes' ? label : `${label}/s` };
    }
    case 'ratio':
      return { divisor: 0.01, label: '%' };
    case 'cores':
      return { divisor: 1, label: 'cores' };
    case 'boolean':
      return { divisor: 1, label: '' };
    case 'count':
    case 'perSecond':
      return { divisor: 1, label: unitName ?? '' };
  }
}

/** Decimals that show differences of this size without noise: 0 from 100 up, 1 from 10, 2 below. */
export function decimalsFor(largest: number): number {
  const magnitude = Math.abs(largest);
  if (magnitude >= 100) return 0;
  if (magnitude >= 10) return 1;
  return 2;
}

/** `152.3 GiB`, `87 %`, `1.25 cores`, `—` for no value. */
export function formatValue(value: number | null | undefined, unit: string, decimals: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const number = value.toFixed(decimals);
  if (unit === '') return number;
  return unit === '%' ? `${number} %` : `${number} ${unit}`;
}

/** `2026-01-01 11:10:00 UTC` (seconds since the epoch). */
export function formatTime(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export interface ChartTable {
  readonly caption: string;
  readonly headers: readonly string[];
  /** One row per bucket, oldest first: the time, then each series' value as the chart shows it. */
  readonly rows: readonly (readonly string[])[];
}

/** The table view of a chart: the numbers the chart draws, formatted the way the read-out shows them. */
export function chartTable(chart: ChartData): ChartTable {
  const unit = chart.unit === '' ? '' : ` (${chart.unit})`;
  const headers = ['Time (UTC)', ...chart.series.map((series) => `${series.label}${unit}`)];
  const rows: string[][] = [];
  for (let index = 0; index < chart.times.length; index++) {
    const time = chart.times[index] ?? 0;
    const row = [formatTime(time).replace(' UTC', '')];
    for (const series of chart.series) {
      const value = series.values[index];
      row.push(value === null || value === undefined ? '' : value.toFixed(chart.decimals));
    }
    rows.push(row);
  }
  const bucket = chart.bucketSeconds >= 60 ? `${chart.bucketSeconds / 60}-minute` : `${chart.bucketSeconds}-second`;
  const how = chart.aggregate === 'MAX' ? 'peak' : 'average';
  return { caption: `${chart.title}: ${how} per ${bucket} bucket. ${chart.description}`, headers, rows };
}

/** Tab-separated text of a table (header line first), for the clipboard and spreadsheets. */
export function tableText(table: ChartTable): string {
  return [table.headers, ...table.rows].map((row) => row.join('\t')).join('\n');
}
