/**
 * "Edit Compute Pool…" and "Stop All Services" without VS Code.
 *
 * Edit: MIN_NODES / MAX_NODES, AUTO_SUSPEND_SECS and AUTO_RESUME, pre-filled with the pool's current
 * values; only what changed is sent, as one `ALTER COMPUTE POOL … SET` (nothing when nothing
 * changed). Stop all: names the services that will be dropped and the jobs that will be cancelled,
 * asks for the pool's name typed, then `ALTER COMPUTE POOL … STOP ALL`.
 *
 * Owns: those decisions and their messages (MODIFY for SET, OPERATE for STOP ALL, with the GRANT).
 * Must not: import `vscode`, or stop anything without the typed name.
 */

import { confirmationMatches } from '../lifecycle/lifecycleRules';
import { currentRole, missingPrivilege, type PrivilegeNeed } from '../snowflake/missingPrivilege';
import type { SnowflakeError } from '../snowflake/errors';
import * as sql from '../snowflake/sql';
import { autoSuspendProblem, nodeRangeProblem } from './createPool';
import { readPool, readWorkloads, runningJobs, type PoolRow } from './poolRead';
import type { PoolDeps, PoolOutcome, PoolWorkload } from './poolUi';

export interface EditPoolRequest {
  readonly connection: string;
  /** The pool's exact name (as SHOW prints it). */
  readonly pool: string;
  /** New values given up front: what they give is not asked. */
  readonly given?: sql.ComputePoolProperties;
  /** false: send without showing the statement first (automation). */
  readonly confirm?: boolean;
}

type Found = { readonly ok: true; readonly pool: PoolRow } | { readonly ok: false; readonly outcome: PoolOutcome };

async function findPool(deps: PoolDeps, connection: string, name: string, what: string): Promise<Found> {
  const session = await deps.sessions.get(connection);
  if (!session.ok) return { ok: false, outcome: { state: 'refused', message: `Could not connect with ${connection} (${session.error.kind}): ${session.error.message} ${what}` } };
  const read = await readPool(deps.sessions, connection, name, { timeoutMs: deps.queryTimeoutMs });
  if (!read.ok) return { ok: false, outcome: { state: 'refused', message: `Compute pool ${name} could not be read (${read.error.kind}): ${read.error.message} ${what}` } };
  if (read.value === undefined) {
    return { ok: false, outcome: { state: 'refused', message: `Compute pool ${name} does not exist, or the role of ${connection} holds no privilege on it. ${what}` } };
  }
  return { ok: true, pool: read.value };
}

/** The outcome of a refused statement: a missing privilege names it and the GRANT; anything else is said as Snowflake said it. */
export async function refusedStatement(
  deps: PoolDeps,
  connection: string,
  pool: PoolRow,
  error: SnowflakeError,
  need: PrivilegeNeed,
  sent: readonly string[],
  head: string,
): Promise<PoolOutcome> {
  const halfDone = sent.length > 0;
  if (error.kind === 'privilege') {
    const advice = missingPrivilege(need, await currentRole(deps.sessions, connection, deps.queryTimeoutMs), error, pool.owner);
    deps.log.error(`${head} ${advice.message}`);
    return { state: 'failed', pool: pool.name, error, sent, halfDone, ...(advice.grant ? { grant: advice.grant } : {}), message: `${head} ${advice.message}` };
  }
  const message = `${head} Snowflake refused it (${error.kind}${error.code ? ` ${error.code}` : ''}): ${error.message}`;
  deps.log.error(message);
  return { state: 'failed', pool: pool.name, error, sent, halfDone, message };
}

export async function editComputePool(deps: PoolDeps, request: EditPoolRequest): Promise<PoolOutcome> {
  const { connection } = request;
  const found = await findPool(deps, connection, request.pool, 'Nothing was changed.');
  if (!found.ok) return found.outcome;
  const pool = found.pool;
  const given = request.given ?? {};
  const current = { min: pool.minNodes ?? 1, max: pool.maxNodes ?? pool.minNodes ?? 1, autoSuspendSecs: pool.autoSuspendSecs ?? 3600, autoResume: pool.autoResume ?? true };
  const unchangedMessage = `Cancelled: compute pool ${pool.name} was not changed.`;

  let nodes = { min: given.minNodes ?? current.min, max: given.maxNodes ?? current.max };
  if (given.minNodes === undefined && given.maxNodes === undefined) {
    const asked = await deps.ui.askNodes(current, nodeRangeProblem);
    if (asked === undefined) return { state: 'cancelled', message: unchangedMessage };
    nodes = asked;
  }
  const nodesProblem = nodeRangeProblem(`${nodes.min}-${nodes.max}`);
  if (nodesProblem) return { state: 'refused', message: `${nodesProblem} Compute pool ${pool.name} was not changed.` };
  let autoSuspendSecs = given.autoSuspendSecs;
  if (autoSuspendSecs === undefined) {
    autoSuspendSecs = await deps.ui.askAutoSuspendSecs(current.autoSuspendSecs, autoSuspendProblem);
    if (autoSuspendSecs === undefined) return { state: 'cancelled', message: unchangedMessage };
  }
  if (!Number.isInteger(autoSuspendSecs) || autoSuspendSecs < 0) return { state: 'refused', message: `AUTO_SUSPEND_SECS must be a whole number of seconds (0: never), not ${autoSuspendSecs}. Compute pool ${pool.name} was not changed.` };
  let autoResume = given.autoResume;
  if (autoResume === undefined) {
    autoResume = await deps.ui.askAutoResume(current.autoResume);
    if (autoResume === undefined) return { state: 'cancelled', message: unchangedMessage };
  }

  const changes: sql.ComputePoolProperties = {
    ...(nodes.min === current.min ? {} : { minNodes: nodes.min }),
    ...(nodes.max === current.max ? {} : { maxNodes: nodes.max }),
    ...(autoResume === current.autoResume ? {} : { autoResume }),
    ...(autoSuspendSecs === current.autoSuspendSecs ? {} : { autoSuspendSecs }),
    ...(given.comment === undefined || given.comment === (pool.comment ?? '') ? {} : { comment: given.comment }),
  };
  if (Object.keys(changes).length === 0) {
    return { state: 'unchanged', pool: pool.name, message: `Compute pool ${pool.name} already has these settings; nothing was sent.` };
  }
  const statement = sql.setComputePoolProperties(pool.name, changes);
  const said: string[] = [];
  if (changes.minNodes !== undefined || changes.maxNodes !== undefined) said.push(`nodes ${current.min}-${current.max} → ${nodes.min}-${nodes.max}`);
  if (changes.autoSuspendSecs !== undefined) said.push(`auto-suspend ${current.autoSuspendSecs} s → ${autoSuspendSecs === 0 ? 'never' : `${autoSuspendSecs} s`}`);
  if (changes.autoResume !== undefined) said.push(`auto-resume ${autoResume ? 'on' : 'off'}`);
  if (changes.comment !== undefined) said.push('comment');
  const summary = `Change compute pool ${pool.name}: ${said.join(', ')}.`;
  if (request.confirm !== false && !(await deps.ui.confirmStatement(summary, statement))) return { state: 'cancelled', message: unchangedMessage };

  deps.log.info(`Edit compute pool: ${statement}`);
  const result = await deps.ui.progress(`Changing compute pool ${pool.name}…`, () => deps.sessions.execute(connection, statement, { timeoutMs: deps.queryTimeoutMs }));
  if (!result.ok) {
    return refusedStatement(deps, connection, pool, result.error, { privilege: 'MODIFY', on: { type: 'COMPUTE POOL', name: pool.name }, doing: `change compute pool ${pool.name}` }, [], `Compute pool ${pool.name} was not changed.`);
  }
  deps.changed?.({ scope: 'pool', pool: { connection, name: pool.name } });
  const message = `${summary.replace(/^Change/, 'Changed')}${changes.minNodes !== undefined || changes.maxNodes !== undefined ? ' The pool resizes in the background.' : ''}`;
  deps.log.info(`Edit compute pool: ${message}`);
  return { state: 'changed', pool: pool.name, sent: [statement], message };
}

/** The sentences of a STOP ALL confirmation: which services are dropped, which jobs cancelled. */
export function stopAllConsequences(pool: PoolRow, workloads: readonly PoolWorkload[]): string[] {
  const services = workloads.filter((each) => !each.isJob);
  const jobs = runningJobs(workloads);
  const hidden = Math.max(0, (pool.numServices ?? services.length) - services.length);
  const lines: string[] = [];
  if (services.length > 0 || hidden > 0) {
    const names = services.map((each) => each.name).join(', ');
    lines.push(
      `Drops ${services.length + hidden} service${services.length + hidden === 1 ? '' : 's'}${names ? `: ${names}` : ''}${hidden > 0 ? ` (and ${hidden} this role cannot see)` : ''}. Their block volumes are deleted (a snapshot is kept where the spec asks for one); dropped services cannot be brought back.`,
    );
  }
  if (jobs.length > 0) lines.push(`Cancels ${jobs.length} running job${jobs.length === 1 ? '' : 's'}: ${jobs.map((each) => each.name).join(', ')}.`);
  lines.push(`Compute pool ${pool.name} itself stays${pool.autoSuspendSecs ? ` and suspends after ${pool.autoSuspendSecs} s without work` : ''}.`);
  return lines;
}

export interface StopAllRequest {
  readonly connection: string;
  readonly pool: string;
  /** The typed confirmation given up front (automation): it must name the pool. */
  readonly confirmName?: string;
}

export async function stopAllServices(deps: PoolDeps, request: StopAllRequest): Promise<PoolOutcome> {
  const { connection } = request;
  const found = await findPool(deps, connection, request.pool, 'Nothing was stopped.');
  if (!found.ok) return found.outcome;
  const pool = found.pool;
  const workloads = await readWorkloads(deps.sessions, connection, pool.name, { timeoutMs: deps.queryTimeoutMs });
  if (!workloads.ok) return { state: 'refused', message: `The services of compute pool ${pool.name} could not be listed (${workloads.error.kind}): ${workloads.error.message} Nothing was stopped.` };
  const hasServices = workloads.value.some((each) => !each.isJob) || (pool.numServices ?? 0) > 0;
  if (!hasServices && runningJobs(workloads.value).length === 0) {
    return { state: 'unchanged', pool: pool.name, message: `Compute pool ${pool.name} runs no service and no job; there is nothing to stop.` };
  }
  const statement = sql.stopAllInComputePool(pool.name);
  const typed = request.confirmName ?? (await deps.ui.askTypedName({ action: 'Stop all services in compute pool', name: pool.name, consequences: stopAllConsequences(pool, workloads.value), statements: [statement] }));
  if (typed === undefined || !confirmationMatches(typed, pool.name)) {
    return { state: 'cancelled', message: `Cancelled: ${typed === undefined ? 'the name was not typed' : `'${typed.trim()}' is not ${pool.name}`}, so nothing was stopped.` };
  }
  deps.log.info(`Stop all: ${statement}`);
  const result = await deps.ui.progress(`Stopping every service in ${pool.name}…`, () => deps.sessions.execute(connection, statement, { timeoutMs: deps.queryTimeoutMs }));
  if (!result.ok) {
    return refusedStatement(deps, connection, pool, result.error, { privilege: 'OPERATE', on: { type: 'COMPUTE POOL', name: pool.name }, doing: `stop the services of compute pool ${pool.name}` }, [], `Nothing in compute pool ${pool.name} was stopped.`);
  }
  deps.changed?.({ scope: 'pool', pool: { connection, name: pool.name } });
  const message = `Every service in compute pool ${pool.name} was dropped and its jobs were cancelled (ALTER COMPUTE POOL ${sql.objectName(pool.name)} STOP ALL).`;
  deps.log.info(`Stop all: ${message}`);
  return { state: 'stopped', pool: pool.name, sent: [statement], message };
}
