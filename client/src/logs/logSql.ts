/**
 * The Snowflake side of a log follow: the query and listing functions `LogFollower` takes, built on
 * `SnowflakeSessions.execute` and the SQL builders of `snowflake/sql.ts`. Pure of `vscode`.
 *
 * Owns: sending the 7-argument SYSTEM$GET_SERVICE_LOGS form the Snowflake CLI sends (reference §4.11,
 * §5.2) always with `include_timestamps = TRUE` (the follower needs the timestamps to dedupe and
 * merge; it strips them for display), reading its single VARCHAR, turning SHOW SERVICE
 * CONTAINERS rows into follow sources, and reading the service's status (DESCRIBE SERVICE) when a
 * followed instance is missing.
 *
 * Must not: retry, back off or decide what an error means for a follow (`logFollower.ts` does).
 */

import type { ResultSet, SnowflakeSessions } from '../snowflake/session';
import { compareInstanceIds } from '../listings/rows';
import { cellNumber, cellText } from '../snowflake/cells';
import { ok } from '../snowflake/result';
import { describeService, getServiceLogs, showServiceContainers } from '../snowflake/sql';
import type { ContainerListFn, ContainerTarget, FollowTarget, LogQueryFn, ServiceStatusFn } from './logFollower';

export interface LogSourceOptions {
  /** Upper bound for each statement (default 30 s): a poll that hangs is retried, not waited for. */
  readonly timeoutMs?: number;
}

/** What a follow needs from Snowflake, for one connection. */
export interface SnowflakeLogSource {
  readonly query: LogQueryFn;
  readonly listContainers: ContainerListFn;
  readonly serviceStatus: ServiceStatusFn;
}

export function snowflakeLogSource(sessions: Pick<SnowflakeSessions, 'execute'>, connectionName: string, options: LogSourceOptions = {}): SnowflakeLogSource {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    async query(target, since, numLines, queryOptions = {}) {
      const sql = getServiceLogs({
        service: target.service,
        instanceId: target.instance,
        container: target.container,
        numLines,
        previous: queryOptions.previous ?? false,
        since: since ?? '',
        includeTimestamps: true,
      });
      const result = await sessions.execute(connectionName, sql, { timeoutMs, signal: queryOptions.signal });
      return result.ok ? ok(singleText(result.value)) : result;
    },
    async listContainers(target, listOptions = {}) {
      const result = await sessions.execute(connectionName, showServiceContainers(target.service), { timeoutMs, signal: listOptions.signal });
      return result.ok ? ok(containerTargets(target, result.value)) : result;
    },
    async serviceStatus(service, statusOptions = {}) {
      const result = await sessions.execute(connectionName, describeService(service), { timeoutMs, signal: statusOptions.signal });
      if (!result.ok) return result;
      const status = result.value.rows[0]?.status;
      return ok(typeof status === 'string' ? status : '');
    },
  };
}

/** The one VARCHAR a `SELECT SYSTEM$…(…)` returns (`''` for NULL or no row). */
function singleText(result: ResultSet): string {
  const row = result.rows[0];
  if (row === undefined) return '';
  const first = result.columns[0];
  const value = first === undefined ? Object.values(row)[0] : row[first.name];
  return cellText(value) ?? '';
}

/** SHOW SERVICE CONTAINERS rows that the target covers, by instance id then in the listed order. */
export function containerTargets(target: FollowTarget, result: ResultSet): ContainerTarget[] {
  const found: ContainerTarget[] = [];
  for (const row of result.rows) {
    const instance = cellText(row.instance_id);
    const container = cellText(row.container_name);
    if (instance === undefined || container === undefined) continue;
    if (target.instance !== undefined && instance !== target.instance) continue;
    if (target.container !== undefined && container !== target.container) continue;
    const restartCount = cellNumber(row.restart_count);
    found.push({
      service: target.service,
      instance,
      container,
      ...(typeof row.status === 'string' ? { status: row.status } : {}),
      ...(restartCount === undefined ? {} : { restartCount }),
    });
  }
  return found
    .map((each, index) => ({ each, index }))
    .sort((a, b) => compareInstanceIds(a.each.instance, b.each.instance) || a.index - b.index)
    .map(({ each }) => each);
}
