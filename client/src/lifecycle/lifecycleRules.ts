/**
 * The decisions behind the lifecycle commands, kept apart from the editor so that they are
 * unit-tested: when DROP SERVICE needs FORCE, what the typed confirmation must be, which min/max
 * instance counts are acceptable and the ALTER SERVICE they become, and when a suspended or resumed
 * service or pool has settled and the one message that then says so.
 *
 * Rules (reference §4.6, Q01-Q03): a service with block volumes cannot be dropped without FORCE,
 * which deletes the volumes, and its instance counts cannot be changed after creation
 * (MIN_INSTANCES must stay equal to MAX_INSTANCES); MAX_INSTANCES ≥ MIN_INSTANCES ≥
 * MIN_READY_INSTANCES ≥ 1.
 *
 * Must not: import `vscode` or talk to Snowflake.
 */

import { isMap, isSeq, parseDocument, type Node } from 'yaml';
import type { SnowflakeError } from '../snowflake/errors';
import * as sql from '../snowflake/sql';
import type { ServiceRef } from '../model/nodes';

/** Upper bound the instance InputBoxes accept: well above what any pool runs, low enough to catch a typo. */
export const maxInstancesLimit = 1000;

/**
 * Whether a spec (DESCRIBE SERVICE's `spec`) declares a block volume; `undefined` when there is no
 * spec to read (DESCRIBE shows it only to the owner role) or it cannot be parsed.
 */
export function specHasBlockVolumes(specText: string | undefined): boolean | undefined {
  if (specText === undefined || specText.trim() === '') return undefined;
  const document = parseDocument(specText);
  if (document.errors.length > 0) return undefined;
  const volumes: unknown = document.getIn(['spec', 'volumes'], true);
  if (volumes === undefined || volumes === null) return false;
  if (!isSeq(volumes)) return false;
  return volumes.items.some((item: unknown) => isMap(item) && String(scalarValue(item.get('source', true))).toLowerCase() === 'block');
}

function scalarValue(node: Node | undefined): unknown {
  return node && 'value' in node ? node.value : node;
}

export type DropDecision =
  /** No block volumes: a plain DROP SERVICE. */
  | { readonly kind: 'plain' }
  /** Block volumes: FORCE is needed, and only with the user's explicit agreement. */
  | { readonly kind: 'askForce' }
  /** Not known (the role cannot read the spec): try without FORCE; if Snowflake asks for it, ask the user. */
  | { readonly kind: 'tryPlain' };

export function dropDecision(hasBlockVolumes: boolean | undefined): DropDecision {
  if (hasBlockVolumes === true) return { kind: 'askForce' };
  return hasBlockVolumes === false ? { kind: 'plain' } : { kind: 'tryPlain' };
}

/** Whether a failed DROP SERVICE failed because the service has block volumes (so FORCE would help). */
export function isBlockVolumeDropError(error: SnowflakeError): boolean {
  const text = `${error.message} ${error.detail ?? ''}`;
  return /block (storage )?volume/i.test(text) && /\bFORCE\b/.test(text);
}

export function dropStatement(service: ServiceRef, force: boolean): string {
  return sql.dropService({ database: service.database, schema: service.schema, name: service.name }, { force });
}

/**
 * Whether what the user typed names the service: its exact name, or the same name as Snowflake
 * reads an identifier (`echo_service` for `ECHO_SERVICE`, `"My Svc"` for `My Svc`).
 */
export function confirmationMatches(typed: string, serviceName: string): boolean {
  const trimmed = typed.trim();
  return trimmed === serviceName || sql.normalizeIdentifier(trimmed) === serviceName;
}

/** The InputBox check for an instance count: an integer in `minimum`…`maxInstancesLimit`; `undefined` when fine. */
export function instanceCountProblem(text: string, minimum = 1, label = 'The number of instances'): string | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return `${label} must be a whole number from ${minimum} to ${maxInstancesLimit}.`;
  const value = Number(trimmed);
  if (value < minimum) return minimum > 1 ? `${label} must be at least ${minimum} (the minimum instances).` : `${label} must be at least 1.`;
  if (value > maxInstancesLimit) return `${label} must be at most ${maxInstancesLimit}.`;
  return undefined;
}

export interface CurrentInstances {
  readonly minInstances?: number;
  readonly maxInstances?: number;
  readonly minReadyInstances?: number;
  readonly hasBlockVolumes?: boolean;
}

export type InstancesPlan = { readonly ok: true; readonly sql: string; readonly summary: string } | { readonly ok: false; readonly message: string };

/** The ALTER SERVICE … SET for new min/max instance counts, or why they cannot be set. */
export function planInstances(service: ServiceRef, current: CurrentInstances, min: number, max: number): InstancesPlan {
  const name = sql.qualifiedName(service.database, service.schema, service.name);
  if (current.hasBlockVolumes) {
    return {
      ok: false,
      message: `${name} has block volumes: Snowflake does not allow changing its number of instances (MIN_INSTANCES must stay equal to MAX_INSTANCES). Re-create the service to change it.`,
    };
  }
  for (const [label, value] of [['MIN_INSTANCES', min], ['MAX_INSTANCES', max]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > maxInstancesLimit) {
      return { ok: false, message: `${label} must be a whole number from 1 to ${maxInstancesLimit}, not ${value}.` };
    }
  }
  if (max < min) return { ok: false, message: `MAX_INSTANCES (${max}) must be at least MIN_INSTANCES (${min}).` };
  if (current.minInstances === min && current.maxInstances === max) {
    return { ok: false, message: `${name} already runs with MIN_INSTANCES = ${min} and MAX_INSTANCES = ${max}.` };
  }
  // MIN_READY_INSTANCES may not exceed MIN_INSTANCES: lower it with MIN_INSTANCES when needed.
  const minReady = current.minReadyInstances !== undefined && current.minReadyInstances > min ? min : undefined;
  const statement = sql.setServiceInstances({ database: service.database, schema: service.schema, name: service.name }, { min, max, ...(minReady === undefined ? {} : { minReady }) });
  const readyNote = minReady === undefined ? '' : ` (MIN_READY_INSTANCES lowered to ${minReady})`;
  return { ok: true, sql: statement, summary: `${name}: MIN_INSTANCES = ${min}, MAX_INSTANCES = ${max}${readyNote}` };
}

// ---- suspend and resume -------------------------------------------------------------------------------

export type StateAction = 'suspend' | 'resume';
export type StateSubject = 'service' | 'pool';

/** Passing states: the object is on its way and the views would show it changing. */
const passing: Readonly<Record<StateSubject, Readonly<Record<StateAction, readonly string[]>>>> = {
  service: { suspend: ['RUNNING', 'PENDING', 'SUSPENDING'], resume: ['SUSPENDED', 'SUSPENDING', 'PENDING', 'RESUMING'] },
  pool: { suspend: ['ACTIVE', 'IDLE', 'STOPPING', 'SUSPENDING'], resume: ['SUSPENDED', 'STARTING', 'RESUMING'] },
};

/** The state each action is meant to reach: anything else it settles in is worth a warning. */
const goal: Readonly<Record<StateSubject, Readonly<Record<StateAction, readonly string[]>>>> = {
  service: { suspend: ['SUSPENDED'], resume: ['RUNNING'] },
  pool: { suspend: ['SUSPENDED'], resume: ['IDLE', 'ACTIVE'] },
};

/** Whether `state` (DESCRIBE's, upper case) is where `action` on a `subject` ends, not a step on the way. */
export function hasSettled(subject: StateSubject, action: StateAction, state: string): boolean {
  return !passing[subject][action].includes(state);
}

/**
 * How waiting for the state ended: `settled` in `state`; `timeout` or `cancelled` (the user stopped
 * waiting) with `state` the last one seen; `state` undefined when it could not be read.
 */
export type SettleOutcome = { readonly how: 'settled' | 'timeout' | 'cancelled'; readonly state: string | undefined };

/**
 * The one message after a suspend or resume, matching what the views show: only once the state has
 * settled does it say "Suspended" or "Resumed"; before that it says which state the object is still
 * in and that the views follow it.
 */
export function settledMessage(subject: StateSubject, action: StateAction, name: string, outcome: SettleOutcome, computePool?: string): { readonly level: 'info' | 'warning'; readonly text: string } {
  const what = subject === 'service' ? `service ${name}` : `compute pool ${name}`;
  const What = subject === 'service' ? `Service ${name}` : `Compute pool ${name}`;
  const goalState = goal[subject][action][0] ?? '';
  const state = outcome.state;
  if (outcome.how === 'settled' && state !== undefined && goal[subject][action].includes(state)) {
    if (action === 'suspend') {
      return { level: 'info', text: subject === 'service' ? `Suspended service ${name}: its instances stopped; resume it to start them again.` : `Suspended compute pool ${name}: its nodes stopped.` };
    }
    return {
      level: 'info',
      text: subject === 'service' ? `Resumed service ${name}: ${state}${computePool ? ` on compute pool ${computePool}` : ''}.` : `Resumed compute pool ${name}: its nodes are up (${state}).`,
    };
  }
  if (outcome.how === 'settled') {
    return { level: 'warning', text: `${What} is ${state ?? 'in an unknown state'} after it was asked to ${action}${state === 'FAILED' ? ': look at its containers and their logs for why' : ''}.` };
  }
  const doing = action === 'suspend' ? (subject === 'service' ? 'Snowflake is suspending it' : 'Snowflake is stopping its nodes') : subject === 'service' ? 'its instances are starting' : 'its nodes take a few minutes to start';
  const now = state === undefined ? 'its state could not be read' : `it is still ${state}`;
  const lead = outcome.how === 'cancelled' ? `Stopped waiting for ${what}: ${now}` : `${What}: ${now}`;
  return { level: 'info', text: `${lead}; ${doing}, and the views show it when it is ${goalState}.` };
}
