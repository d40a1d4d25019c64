/**
 * Container logs as the event table keeps them (`<service>!SPCS_GET_LOGS`): every line of every
 * process run of every container, including runs that ended (a restarted container's earlier runs,
 * a finished job, instances replaced by an upgrade or stopped by a suspension), which
 * SYSTEM$GET_SERVICE_LOGS can no longer reach. The lines and their timestamps are the ones
 * SYSTEM$GET_SERVICE_LOGS shows (`logs.ts`), so both views of a run agree.
 *
 * Owns: which streams reach the event table, by the spec's `logExporters.eventTableConfig.logLevel`
 * (INFO, the default: stdout and stderr; ERROR: stderr only; NONE: nothing).
 *
 * Must not: decide visibility (the ingestion delay) or format rows (`sql/statements/telemetry.ts`).
 * The emulator's lines are unstructured (no severity), so the service's LOG_LEVEL does not filter
 * them.
 */

import { compareTimestamps, runLinesNewestFirst, type LogLine, type Timestamp } from './logs';
import type { ServiceRecord } from './model';
import type { Stream } from './logProfiles';
import { containerLives } from './timeline';

export interface EventTableLogLine {
  readonly time: Timestamp;
  readonly instance: number;
  readonly container: string;
  readonly text: string;
  readonly stream: Stream;
}

export interface LogFilter {
  readonly instances?: ReadonlySet<number>;
  readonly containers?: ReadonlySet<string>;
}

/** The streams a log export level sends to the event table. */
function exportedStreams(level: string | undefined): ReadonlySet<Stream> {
  switch ((level ?? 'INFO').toUpperCase()) {
    case 'NONE':
      return new Set();
    case 'ERROR':
      return new Set(['stderr']);
    default:
      return new Set(['stdout', 'stderr']);
  }
}

/**
 * Calls `emit` for every exported line with a timestamp in [from, until], run by run, newest first
 * within a run, with the runs as they are known at `asOf` (at or after `until`).
 */
export function eventTableLogs(service: ServiceRecord, from: number, until: number, asOf: number, filter: LogFilter, emit: (line: EventTableLogLine) => void): void {
  const start: Timestamp = { ms: from, nanos: 0 };
  for (const life of containerLives(service, from, Math.max(until, asOf))) {
    if (filter.instances !== undefined && !filter.instances.has(life.instance)) continue;
    if (filter.containers !== undefined && !filter.containers.has(life.spec.name)) continue;
    const streams = exportedStreams(life.version.spec.logExportLevel);
    if (streams.size === 0) continue;
    for (const run of life.runs) {
      if (run.start > until || (run.end !== undefined && run.end < from)) continue;
      // Lines up to `until` only: a run that ended later printed its last lines after the window.
      const source = { service, instance: life.instance, ipAddress: life.ipAddress, container: life.spec, run };
      for (const line of runLinesNewestFirst(source, until) as Iterable<LogLine>) {
        if (compareTimestamps(line.time, start) < 0) break;
        if (line.time.ms > until || !streams.has(line.stream)) continue;
        emit({ time: line.time, instance: life.instance, container: life.spec.name, text: line.text, stream: line.stream });
      }
    }
  }
}
