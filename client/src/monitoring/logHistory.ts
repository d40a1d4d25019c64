/**
 * Log history (`SPCS_GET_LOGS` rows) as the lines a log view shows: oldest first, merged across every
 * instance and container the window had (finished jobs, restarted containers, instances an upgrade
 * replaced: the event table keeps them all), each line formatted and tagged exactly as a live follow
 * tags it (`logs/logLines.ts`: `[0/vllm]` for a service, `[vllm]` for an instance, nothing for one
 * container), so history and the live follow read the same.
 *
 * Pure: no `vscode`, no Snowflake.
 */

import { compareTimestamps, formatLine, scopeOf as followScopeOf, sourceTag, type LogLine } from '../logs/logLines';
import { viewNotice } from '../logs/logView';
import { canonicalTimeOf, instanceIdOf, textOf } from './telemetryRows';
import type { TimeWindow } from './telemetrySql';

export interface LogSource {
  readonly instanceId: string;
  readonly container: string;
  readonly lines: number;
  /** Canonical timestamps of the source's first and last line in the window. */
  readonly first: string;
  readonly last: string;
}

export interface LogHistory {
  /** Oldest first; the first line is a notice saying what the history covers. */
  readonly lines: readonly LogLine[];
  /** Log lines (notices not counted). */
  readonly count: number;
  /** The window had more than `maxLines` lines: the newest `maxLines` are kept. */
  readonly truncated: boolean;
  /** Every instance/container that wrote in the window, by instance then container. */
  readonly sources: readonly LogSource[];
}

export interface HistoryOptions {
  readonly target: { readonly service: { readonly name: string }; readonly instanceId?: string; readonly container?: string };
  readonly window: TimeWindow;
  readonly maxLines: number;
  readonly includeTimestamps: boolean;
}

/** Rows of `logsQuery` (newest first, at most `maxLines + 1`) → the history's lines. */
export function historyLines(rows: readonly Readonly<Record<string, unknown>>[], options: HistoryOptions): LogHistory {
  const truncated = rows.length > options.maxLines;
  const kept = truncated ? rows.slice(0, options.maxLines) : rows;
  const scope = followScopeOf({ ...(options.target.instanceId === undefined ? {} : { instance: options.target.instanceId }), ...(options.target.container === undefined ? {} : { container: options.target.container }) });
  const parsed: { line: LogLine; order: number }[] = [];
  const sources = new Map<string, { instanceId: string; container: string; lines: number; first: string; last: string }>();
  // The query returns newest first; read backwards so that lines of one moment keep the order they were written in.
  for (let index = kept.length - 1; index >= 0; index--) {
    const row = kept[index] ?? {};
    const instance = instanceIdOf(row.INSTANCE_ID) ?? '?';
    const container = textOf(row.CONTAINER_NAME) ?? '?';
    const text = textOf(row.LOG) ?? '';
    const timestamp = canonicalTimeOf(row.T);
    const tag = sourceTag(scope, instance, container);
    parsed.push({ order: parsed.length, line: { kind: 'log', timestamp, instance, container, text, display: formatLine(text, timestamp, tag, options.includeTimestamps) } });
    const key = `${instance}\u0000${container}`;
    const source = sources.get(key);
    if (source === undefined) {
      sources.set(key, { instanceId: instance, container, lines: 1, first: timestamp, last: timestamp });
    } else {
      source.lines++;
      if (compareTimestamps(timestamp, source.first) < 0) source.first = timestamp;
      if (compareTimestamps(timestamp, source.last) > 0) source.last = timestamp;
    }
  }
  parsed.sort((a, b) => compareTimestamps(a.line.timestamp, b.line.timestamp) || a.order - b.order);
  const sourceList = [...sources.values()].sort((a, b) => Number(a.instanceId) - Number(b.instanceId) || a.container.localeCompare(b.container));
  const from = new Date(options.window.start).toISOString().slice(0, 19).replace('T', ' ');
  const to = new Date(options.window.end).toISOString().slice(0, 19).replace('T', ' ');
  const covered = sourceList.length === 0 ? 'no lines' : `${kept.length.toLocaleString('en-US')} line${kept.length === 1 ? '' : 's'} of ${sourceList.map((source) => `${source.instanceId}/${source.container}`).join(', ')}`;
  const cut = truncated ? `; only the newest ${options.maxLines.toLocaleString('en-US')} are shown, pick a shorter range for older ones` : '';
  const header = viewNotice(`Log history of ${options.target.service.name} from ${from} to ${to} UTC: ${covered}${cut}.`);
  return { lines: [header, ...parsed.map((each) => each.line)], count: parsed.length, truncated, sources: sourceList };
}
