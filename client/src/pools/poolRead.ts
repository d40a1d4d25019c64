/**
 * What the pool actions read before they act: one pool as SHOW COMPUTE POOLS lists it (found by its
 * exact name), and the services and jobs in it (SHOW SERVICES IN COMPUTE POOL, jobs included).
 *
 * Owns: those two reads and their row parsing. Must not: import `vscode` or change anything.
 */

import { ok, type Result } from '../snowflake/result';
import type { SnowflakeSessions } from '../snowflake/session';
import * as sql from '../snowflake/sql';
import type { PoolWorkload } from './poolUi';

type Execute = Pick<SnowflakeSessions, 'execute'>;

/** A compute pool with the columns the actions use. */
export interface PoolRow {
  readonly name: string;
  readonly state: string;
  readonly instanceFamily: string;
  readonly minNodes: number | undefined;
  readonly maxNodes: number | undefined;
  readonly autoResume: boolean | undefined;
  readonly autoSuspendSecs: number | undefined;
  readonly numServices: number | undefined;
  readonly numJobs: number | undefined;
  readonly owner: string | undefined;
  readonly comment: string | undefined;
}

function numberOf(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
}

function booleanOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return undefined;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function poolRowOf(row: Readonly<Record<string, unknown>>): PoolRow {
  return {
    name: String(row['name']),
    state: textOf(row['state']) ?? 'UNKNOWN',
    instanceFamily: textOf(row['instance_family']) ?? '',
    minNodes: numberOf(row['min_nodes']),
    maxNodes: numberOf(row['max_nodes']),
    autoResume: booleanOf(row['auto_resume']),
    autoSuspendSecs: numberOf(row['auto_suspend_secs']),
    numServices: numberOf(row['num_services']),
    numJobs: numberOf(row['num_jobs']),
    owner: textOf(row['owner']),
    comment: textOf(row['comment']),
  };
}

/** The pool named exactly `name` (as SHOW prints it), or undefined when the role sees none. */
export async function readPool(sessions: Execute, connection: string, name: string, options: { timeoutMs: number }): Promise<Result<PoolRow | undefined>> {
  // LIKE's `_` matches any character, so the rows are filtered by the exact name too.
  const result = await sessions.execute(connection, sql.showComputePools({ like: name }), options);
  if (!result.ok) return result;
  const row = result.value.rows.find((candidate) => candidate['name'] === name);
  return ok(row === undefined ? undefined : poolRowOf(row));
}

/** The services and jobs in the pool that the role can see, services first. */
export async function readWorkloads(sessions: Execute, connection: string, pool: string, options: { timeoutMs: number }): Promise<Result<PoolWorkload[]>> {
  const result = await sessions.execute(connection, sql.showServices({ in: { computePool: pool } }), options);
  if (!result.ok) return result;
  const workloads = result.value.rows
    .filter((row) => typeof row['name'] === 'string')
    .map((row): PoolWorkload => ({
      name: [row['database_name'], row['schema_name'], row['name']].filter((part): part is string => typeof part === 'string' && part !== '').map((part) => sql.quoteIdentifier(part)).join('.'),
      isJob: booleanOf(row['is_job']) ?? false,
      status: textOf(row['status']) ?? 'UNKNOWN',
    }));
  return ok([...workloads.filter((each) => !each.isJob), ...workloads.filter((each) => each.isJob)]);
}

/** Jobs that are still running (a DROP aborts them; STOP ALL cancels them). */
export function runningJobs(workloads: readonly PoolWorkload[]): PoolWorkload[] {
  return workloads.filter((each) => each.isJob && !/^(DONE|FAILED|CANCELLED|INTERNAL_ERROR|DELETED)$/i.test(each.status));
}
