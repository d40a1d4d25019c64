/**
 * Applying a deploy plan: its statements run in order, stopping at the first failure, and the
 * outcome always says how far it got (nothing, part, all, or not known after a timeout), so that a
 * half-applied deploy is never silent.
 *
 * Must not: decide anything (`deployPlan.ts` did) or drop anything.
 */

import type { SnowflakeError } from '../snowflake/errors';
import type { SnowflakeSessions } from '../snowflake/session';
import { targetText } from '../specs/deployedService';
import type { DeployPlan } from './plans';

type SessionsExecute = Pick<SnowflakeSessions, 'execute'>;

export interface ApplyOutcome {
  readonly ok: boolean;
  /** Statements that succeeded, in order. */
  readonly applied: readonly string[];
  readonly failed?: { readonly sql: string; readonly error: SnowflakeError };
  /**
   * `complete`: everything applied. `nothing`: the first statement failed and changed nothing.
   * `partial`: some statements applied, then one failed. `unknown`: a statement timed out or was
   * cancelled without Snowflake confirming, so it may or may not have been applied.
   */
  readonly state: 'complete' | 'nothing' | 'partial' | 'unknown';
  /** What happened and what state the service is in, in full sentences (always shown). */
  readonly message: string;
}

/** Runs a deploy plan's statements in order, stopping at the first failure, and says exactly how far it got. */
export async function applyPlan(
  sessions: SessionsExecute,
  connection: string,
  plan: Extract<DeployPlan, { ok: true }>,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ApplyOutcome> {
  const shown = targetText(plan.target);
  const applied: string[] = [];
  for (const statement of plan.sql) {
    const result = await sessions.execute(connection, statement, { timeoutMs: options.timeoutMs ?? 120_000, ...(options.signal ? { signal: options.signal } : {}) });
    if (result.ok) {
      applied.push(statement);
      continue;
    }
    const error = result.error;
    const uncertain = (error.kind === 'timeout' || error.kind === 'cancelled') && !/nothing was changed/i.test(error.message);
    const what = describeStatement(statement);
    let state: ApplyOutcome['state'];
    let message: string;
    if (uncertain) {
      state = 'unknown';
      message = `${what} of ${shown} did not finish: ${error.message} ${applied.length > 0 ? `Before it, ${applied.map(describeStatement).join(' and ')} succeeded. ` : ''}Check the service (DESCRIBE SERVICE ${shown}) before deploying again.`;
    } else if (applied.length === 0) {
      state = 'nothing';
      message = `${what} of ${shown} failed: ${error.message} Nothing was changed${plan.action === 'create' ? ': the service was not created' : ': the service still runs its previous spec'}.`;
    } else {
      state = 'partial';
      message = `${applied.map(describeStatement).join(' and ')} of ${shown} succeeded, but ${what.charAt(0).toLowerCase()}${what.slice(1)} failed: ${error.message} The service is half-updated: its new properties are set, and it still runs its previous spec. Fix the cause and deploy again, or set the properties back.`;
    }
    return { ok: false, applied, failed: { sql: statement, error }, state, message };
  }
  const message =
    plan.action === 'create'
      ? `Service ${shown} was created${plan.expectReady ? '; its instances are starting' : ''}.`
      : `Service ${shown} is upgrading to the new spec${plan.expectReady ? ' (rolling: one instance at a time)' : ' (it is suspended: the new spec is used when it resumes)'}.`;
  return { ok: true, applied, state: 'complete', message };
}

function describeStatement(statement: string): string {
  if (/^CREATE SERVICE/i.test(statement)) return 'CREATE SERVICE';
  if (/^ALTER SERVICE [^\n]*\bSET\b/i.test(statement)) return 'Setting the service properties (ALTER SERVICE … SET)';
  if (/^ALTER SERVICE/i.test(statement)) return 'The spec upgrade (ALTER SERVICE … FROM SPECIFICATION)';
  return statement.split(/\s+/).slice(0, 3).join(' ');
}
