/**
 * "Create Compute Pool…" without VS Code: the instance family (picked from the account's families,
 * each with the fit of the open specs), the name, MIN_NODES / MAX_NODES, AUTO_RESUME,
 * AUTO_SUSPEND_SECS, INITIALLY_SUSPENDED and COMMENT, then CREATE COMPUTE POOL as documented, shown
 * before it is sent.
 *
 * Owns: the order of the questions, the checks of each answer (the ones Snowflake would refuse:
 * a quoted name with lower case or special characters, MIN_NODES < 1, MAX_NODES < MIN_NODES, a
 * negative AUTO_SUSPEND_SECS), finding an existing pool of that name first (nothing is sent then),
 * and the message of a refusal (a missing CREATE COMPUTE POOL privilege names the GRANT).
 *
 * Must not: import `vscode`, or send anything the user did not confirm (unless the caller asked for
 * no confirmation: automation, or a flow that showed the statement itself).
 */

import { missingPrivilege, currentRole } from '../snowflake/missingPrivilege';
import * as sql from '../snowflake/sql';
import { familyRows, loadFamilyListing, type FamilyRow, type OpenSpec } from './familyRows';
import { readPool } from './poolRead';
import type { NodeRange, PoolDeps, PoolOutcome, PoolSettings } from './poolUi';

/** Compute pool names are plain identifiers: Snowflake refuses quoted names with lower case or special characters. */
export function poolNameProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return 'Enter a name for the compute pool.';
  const exact = sql.normalizeIdentifier(trimmed);
  if (!/^[A-Z_][A-Z0-9_$]*$/.test(exact)) {
    return `${JSON.stringify(trimmed)} cannot name a compute pool: Snowflake does not support quoted names with lower case or special characters for compute pools. Use letters, digits, _ and $, starting with a letter or _.`;
  }
  if (exact.length > 255) return 'A compute pool name has at most 255 characters.';
  return undefined;
}

/** `2` → 2-2, `1-3` → 1-3; undefined when not a node range. */
export function parseNodeRange(text: string): NodeRange | undefined {
  const match = /^\s*(\d+)\s*(?:[-–]\s*(\d+)\s*)?$/.exec(text);
  if (!match?.[1]) return undefined;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  return { min, max };
}

/** Upper bound the node InputBox accepts: above any published node limit (150), low enough to catch a typo. */
export const maxNodesLimit = 1000;

export function nodeRangeProblem(text: string): string | undefined {
  const range = parseNodeRange(text);
  if (range === undefined) return 'Enter the number of nodes (2) or MIN-MAX (1-3).';
  if (range.min < 1) return 'MIN_NODES must be at least 1.';
  if (range.max < range.min) return `MAX_NODES (${range.max}) must be at least MIN_NODES (${range.min}).`;
  if (range.max > maxNodesLimit) return `MAX_NODES must be at most ${maxNodesLimit}.`;
  return undefined;
}

export function autoSuspendProblem(text: string): string | undefined {
  return /^\s*\d+\s*$/.test(text) ? undefined : 'Enter the seconds of inactivity after which the pool suspends (0: never).';
}

export const defaultPoolSettings: Omit<PoolSettings, 'name' | 'instanceFamily'> = {
  minNodes: 1,
  maxNodes: 1,
  autoResume: true,
  autoSuspendSecs: 3600,
  initiallySuspended: false,
  comment: '',
};

export interface CreatePoolRequest {
  readonly connection: string;
  /** Answers given up front (automation, or a flow that knows them): what they give is not asked. */
  readonly given?: Partial<PoolSettings>;
  /** The open specs whose fit the family picker shows. */
  readonly specs?: readonly OpenSpec[];
  /** GPU families first. */
  readonly prefer?: 'gpu';
  /** Only families this accepts are offered (a GPU pool for serving); all when absent. */
  readonly accept?: (row: FamilyRow) => boolean;
  /** false: send without showing the statement first. */
  readonly confirm?: boolean;
}

export type CreatePoolOutcome = PoolOutcome & { readonly settings?: PoolSettings; readonly family?: FamilyRow };

class Cancelled extends Error {}

function cancelled(what: string): Cancelled {
  return new Cancelled(`Cancelled: ${what} was not chosen, no compute pool was created.`);
}

async function answer<T>(value: T | undefined, ask: () => Promise<T | undefined>, what: string): Promise<T> {
  if (value !== undefined) return value;
  const asked = await ask();
  if (asked === undefined) throw cancelled(what);
  return asked;
}

export async function createComputePool(deps: PoolDeps, request: CreatePoolRequest): Promise<CreatePoolOutcome> {
  const { connection } = request;
  const given = request.given ?? {};
  const timeoutMs = deps.queryTimeoutMs;
  try {
    // Signing in may ask for a password: first, so that its time does not eat the statements' timeout.
    const session = await deps.sessions.get(connection);
    if (!session.ok) return { state: 'refused', message: `Could not connect with ${connection} (${session.error.kind}): ${session.error.message} No compute pool was created.` };
    const listing = await deps.ui.progress(`Reading the instance families of ${connection}…`, () => loadFamilyListing(deps.sessions, connection, { timeoutMs }));
    if (!listing.ok) return { state: 'refused', message: `The instance families of ${connection} could not be read (${listing.error.kind}): ${listing.error.message} No compute pool was created.` };
    for (const warning of listing.value.warnings) deps.log.warn(`Create compute pool: ${warning}`);
    const rows = familyRows(listing.value, { ...(request.specs ? { specs: request.specs } : {}), ...(given.name ? { poolName: sql.normalizeIdentifier(given.name) } : {}), ...(request.prefer ? { prefer: request.prefer } : {}) }).filter(
      (row) => request.accept?.(row) ?? true,
    );
    if (rows.length === 0) return { state: 'refused', message: `${connection} offers no instance family for this pool (SHOW COMPUTE POOL INSTANCE FAMILIES). No compute pool was created.` };

    let family: FamilyRow | undefined;
    if (given.instanceFamily !== undefined) {
      family = rows.find((row) => row.name === given.instanceFamily?.trim().toUpperCase());
      if (family === undefined) {
        return { state: 'refused', message: `Instance family ${given.instanceFamily} is not offered here; ${listing.value.source === 'live' ? 'SHOW COMPUTE POOL INSTANCE FAMILIES lists' : 'choose one of'} ${rows.map((row) => row.name).join(', ')}. No compute pool was created.` };
      }
    } else {
      family = await deps.ui.pickFamily(rows, listing.value.warnings);
      if (family === undefined) throw cancelled('an instance family');
    }

    const typedName = await answer(given.name, () => deps.ui.askName(`${family.name}_POOL`, poolNameProblem), 'a name');
    const nameProblem = poolNameProblem(typedName);
    if (nameProblem) return { state: 'refused', message: `${nameProblem} No compute pool was created.` };
    const name = sql.normalizeIdentifier(typedName);

    const existing = await readPool(deps.sessions, connection, name, { timeoutMs });
    if (!existing.ok) return { state: 'refused', message: `Whether compute pool ${name} exists could not be checked (${existing.error.kind}): ${existing.error.message} No compute pool was created.` };
    if (existing.value !== undefined) {
      const pool = existing.value;
      // The family of the pool that exists (which may not be the one picked).
      const existingFamily = rows.find((row) => row.name === pool.instanceFamily.toUpperCase());
      return { state: 'exists', pool: name, ...(existingFamily ? { family: existingFamily } : {}), message: `Compute pool ${name} already exists (${pool.instanceFamily}, ${pool.state}); nothing was created.` };
    }

    const nodes =
      given.minNodes !== undefined && given.maxNodes !== undefined
        ? { min: given.minNodes, max: given.maxNodes }
        : await answer(undefined, () => deps.ui.askNodes({ min: given.minNodes ?? defaultPoolSettings.minNodes, max: given.maxNodes ?? defaultPoolSettings.maxNodes }, nodeRangeProblem), 'the number of nodes');
    const nodesProblem = nodeRangeProblem(`${nodes.min}-${nodes.max}`);
    if (nodesProblem) return { state: 'refused', message: `${nodesProblem} No compute pool was created.` };
    const autoResume = await answer(given.autoResume, () => deps.ui.askAutoResume(defaultPoolSettings.autoResume), 'auto-resume');
    const autoSuspendSecs = await answer(given.autoSuspendSecs, () => deps.ui.askAutoSuspendSecs(defaultPoolSettings.autoSuspendSecs, autoSuspendProblem), 'the auto-suspend time');
    if (!Number.isInteger(autoSuspendSecs) || autoSuspendSecs < 0) return { state: 'refused', message: `AUTO_SUSPEND_SECS must be a whole number of seconds (0: never), not ${autoSuspendSecs}. No compute pool was created.` };
    const initiallySuspended = await answer(given.initiallySuspended, () => deps.ui.askInitiallySuspended(defaultPoolSettings.initiallySuspended), 'whether it starts suspended');
    const comment = await answer(given.comment, () => deps.ui.askComment(''), 'a comment');

    const settings: PoolSettings = { name, instanceFamily: family.name, minNodes: nodes.min, maxNodes: nodes.max, autoResume, autoSuspendSecs, initiallySuspended, comment };
    const statement = sql.createComputePool({
      name,
      instanceFamily: family.name,
      minNodes: nodes.min,
      maxNodes: nodes.max,
      autoResume,
      initiallySuspended,
      autoSuspendSecs,
      ...(comment.trim() === '' ? {} : { comment: comment.trim() }),
    });
    const summary = `Create compute pool ${name}: ${nodes.min === nodes.max ? nodes.min : `${nodes.min} to ${nodes.max}`} ${family.name} node${nodes.max === 1 ? '' : 's'} (${family.capacity} each)${initiallySuspended ? ', suspended until used' : ''}.`;
    if (request.confirm !== false && !(await deps.ui.confirmStatement(summary, statement))) throw cancelled('the statement');

    deps.log.info(`Create compute pool: ${statement.replace(/\s*\n\s*/g, ' ')}`);
    const result = await deps.ui.progress(`Creating compute pool ${name}…`, () => deps.sessions.execute(connection, statement, { timeoutMs }));
    if (!result.ok) {
      const error = result.error;
      if (error.code === '002002') {
        return { state: 'exists', pool: name, family, message: `Compute pool ${name} already exists (it was created meanwhile); nothing was created.` };
      }
      if (error.kind === 'privilege') {
        const advice = missingPrivilege({ privilege: 'CREATE COMPUTE POOL', on: { type: 'ACCOUNT' }, doing: 'create compute pools' }, await currentRole(deps.sessions, connection, timeoutMs), error);
        deps.log.error(`Create compute pool: ${advice.message}`);
        return { state: 'failed', pool: name, error, sent: [], halfDone: false, ...(advice.grant ? { grant: advice.grant } : {}), message: `Compute pool ${name} was not created. ${advice.message}` };
      }
      deps.log.error(`Create compute pool: ${error.message}`);
      return { state: 'failed', pool: name, error, sent: [], halfDone: false, message: `Compute pool ${name} was not created (${error.kind}${error.code ? ` ${error.code}` : ''}): ${error.message}` };
    }
    deps.changed?.({ scope: 'connection', connection });
    const message = `Compute pool ${name} was created (${family.name}, ${initiallySuspended ? 'suspended until a service needs it' : 'starting: its nodes take a few minutes'}).`;
    deps.log.info(`Create compute pool: ${message}`);
    return { state: 'created', pool: name, sent: [statement], settings, family, message };
  } catch (error) {
    if (error instanceof Cancelled) {
      deps.log.info(`Create compute pool: ${error.message}`);
      return { state: 'cancelled', message: error.message };
    }
    throw error;
  }
}
