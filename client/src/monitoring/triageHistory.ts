/**
 * The event table's side of deploy and job triage (`deploy/triage.ts` defines what it needs and
 * `features.ts` hands this to the deploy room): the container failures a service's platform events
 * recorded (`SPCS_GET_EVENTS`), and the last lines a container printed (`SPCS_GET_LOGS`, which keeps
 * them after the container is gone: a finished job, a restart). A read that fails (no MONITOR,
 * LOG_EVENT_LEVEL OFF) answers nothing, so triage says what the listings say.
 *
 * Must not: import `vscode`, throw.
 */

import type { RecordedFailure, TriageHistory } from '../deploy/triage';
import { readFailureEvents, readLogHistory, type Sessions } from './telemetryReads';

export function eventTableHistory(sessions: Sessions, timeoutMs: () => number, now: () => number = Date.now): TriageHistory {
  return {
    async failures(connection, service, since, signal) {
      const read = await readFailureEvents(sessions, { connection, service }, { start: since, end: now() }, { timeoutMs: timeoutMs(), ...(signal ? { signal } : {}) });
      if (!read.ok) return [];
      return read.value.map(
        (event): RecordedFailure => ({
          time: event.time,
          message: event.message,
          ...(event.instanceId === undefined ? {} : { instanceId: event.instanceId }),
          ...(event.container === undefined ? {} : { container: event.container }),
          ...(event.status === undefined ? {} : { status: event.status }),
        }),
      );
    },
    async lastLines(connection, service, instanceId, container, since, lines, signal) {
      const read = await readLogHistory(sessions, { connection, service, instanceId, container }, { start: since, end: now() }, { maxLines: lines, timeoutMs: timeoutMs(), ...(signal ? { signal } : {}) });
      if (!read.ok) return [];
      return read.value.lines.flatMap((line) => (line.kind === 'log' ? [line.text] : []));
    },
  };
}
