/**
 * "Drop Compute Pool…" without VS Code. Snowflake refuses to drop a pool that still has services
 * (suspended ones included) and aborts its running jobs; so a pool with services is refused here
 * first, naming them, unless the user chooses to stop them (STOP ALL, then DROP). Either way the
 * user types the pool's name after reading what goes with it.
 *
 * Owns: that decision, the sentences of the confirmation (services dropped, jobs cancelled or
 * aborted, what cannot be undone), and the half-done case (STOP ALL went through, DROP did not: the
 * message says so and how to finish). Must not: import `vscode`, or drop without the typed name.
 */

import { confirmationMatches } from '../lifecycle/lifecycleRules';
import * as sql from '../snowflake/sql';
import { refusedStatement, stopAllConsequences } from './editPool';
import { readPool, readWorkloads, runningJobs } from './poolRead';
import type { PoolDeps, PoolOutcome } from './poolUi';

export interface DropPoolRequest {
  readonly connection: string;
  readonly pool: string;
  /** The typed confirmation given up front (automation): it must name the pool. */
  readonly confirmName?: string;
  /** Given up front: stop the pool's services first (true), or refuse when it has some (false). */
  readonly stopAllFirst?: boolean;
}

export async function dropComputePool(deps: PoolDeps, request: DropPoolRequest): Promise<PoolOutcome> {
  const { connection } = request;
  const timeoutMs = deps.queryTimeoutMs;
  const session = await deps.sessions.get(connection);
  if (!session.ok) return { state: 'refused', message: `Could not connect with ${connection} (${session.error.kind}): ${session.error.message} Nothing was dropped.` };
  const read = await readPool(deps.sessions, connection, request.pool, { timeoutMs });
  if (!read.ok) return { state: 'refused', message: `Compute pool ${request.pool} could not be read (${read.error.kind}): ${read.error.message} Nothing was dropped.` };
  if (read.value === undefined) return { state: 'refused', message: `Compute pool ${request.pool} does not exist, or the role of ${connection} holds no privilege on it. Nothing was dropped.` };
  const pool = read.value;
  const workloads = await readWorkloads(deps.sessions, connection, pool.name, { timeoutMs });
  if (!workloads.ok) return { state: 'refused', message: `The services of compute pool ${pool.name} could not be listed (${workloads.error.kind}): ${workloads.error.message} Nothing was dropped.` };
  const services = workloads.value.filter((each) => !each.isJob);
  const hidden = Math.max(0, (pool.numServices ?? services.length) - services.length);
  const jobs = runningJobs(workloads.value);

  const stopFirst = services.length + hidden > 0;
  if (stopFirst) {
    const chosen = request.stopAllFirst ?? (await deps.ui.chooseStopAllFirst(pool.name, services, hidden, jobs));
    if (!chosen) {
      const names = services.map((each) => each.name).join(', ');
      return {
        state: 'refused',
        message: `Compute pool ${pool.name} still has ${services.length + hidden} service${services.length + hidden === 1 ? '' : 's'}${names ? ` (${names}${hidden > 0 ? `, and ${hidden} this role cannot see` : ''})` : ''}, and Snowflake does not drop a pool with services. Drop them first, or choose to stop them all (STOP ALL) before the drop. Nothing was dropped.`,
      };
    }
  }
  const statements = [...(stopFirst ? [sql.stopAllInComputePool(pool.name)] : []), sql.dropComputePool(pool.name)];
  const consequences = stopFirst
    ? [...stopAllConsequences(pool, workloads.value).slice(0, -1), `Then drops compute pool ${pool.name} and releases its nodes.`, 'This cannot be undone.']
    : [
        ...(jobs.length > 0 ? [`Aborts ${jobs.length} running job${jobs.length === 1 ? '' : 's'}: ${jobs.map((each) => each.name).join(', ')}.`] : []),
        `Drops compute pool ${pool.name} (${pool.instanceFamily}) and releases its nodes. This cannot be undone.`,
      ];
  const typed = request.confirmName ?? (await deps.ui.askTypedName({ action: 'Drop compute pool', name: pool.name, consequences, statements }));
  if (typed === undefined || !confirmationMatches(typed, pool.name)) {
    return { state: 'cancelled', message: `Cancelled: ${typed === undefined ? 'the name was not typed' : `'${typed.trim()}' is not ${pool.name}`}, so nothing was dropped.` };
  }

  const sent: string[] = [];
  for (const statement of statements) {
    deps.log.info(`Drop compute pool: ${statement}`);
    const result = await deps.ui.progress(`${statement}…`, () => deps.sessions.execute(connection, statement, { timeoutMs }));
    if (!result.ok) {
      const dropping = statement.startsWith('DROP');
      if (sent.length > 0) deps.changed?.({ scope: 'pool', pool: { connection, name: pool.name } });
      const head =
        sent.length > 0
          ? `The services of compute pool ${pool.name} were dropped (STOP ALL), but the pool itself was not dropped. To finish, run ${sql.dropComputePool(pool.name)} (or Drop Compute Pool again).`
          : dropping
            ? `Compute pool ${pool.name} was not dropped.`
            : `Nothing was stopped or dropped in compute pool ${pool.name}.`;
      const need = dropping
        ? { privilege: 'OWNERSHIP', on: { type: 'COMPUTE POOL' as const, name: pool.name }, doing: `drop compute pool ${pool.name}` }
        : { privilege: 'OPERATE', on: { type: 'COMPUTE POOL' as const, name: pool.name }, doing: `stop the services of compute pool ${pool.name}` };
      return refusedStatement(deps, connection, pool, result.error, need, sent, head);
    }
    sent.push(statement);
  }
  deps.changed?.({ scope: 'connection', connection });
  const message = `Compute pool ${pool.name} was dropped${stopFirst ? ' after its services were stopped (STOP ALL)' : ''}${jobs.length > 0 ? `; ${jobs.length} running job${jobs.length === 1 ? ' was' : 's were'} ${stopFirst ? 'cancelled' : 'aborted'}` : ''}.`;
  deps.log.info(`Drop compute pool: ${message}`);
  return { state: 'dropped', pool: pool.name, sent, message };
}
