/**
 * What every step of "Serve a Model…" shares: the run so far, the deps, and how a step ends (done,
 * with what it adds to the run, or stopped, cancelled or failed, with the sentence that says why);
 * plus the small reads several steps make (the pool's family, the listings of stages and secrets).
 *
 * Must not: import `vscode`.
 */

import { findInstanceFamily, type InstanceFamily } from '../../../server/src/service';
import type { PoolDeps } from '../pools/poolUi';
import type { RepositoryDeps } from '../imageRegistry/imageRepositoryActions';
import type { FamilyTable } from '../deploy/poolFit';
import * as sql from '../snowflake/sql';
import type { ServeRun } from './serveRun';
import type { ServeDeps } from './serveUi';

export interface StepContext {
  readonly deps: ServeDeps;
  /** The run as it is now (the orchestrator replaces it after every step). */
  run: ServeRun;
  readonly connection: string;
  readonly timeoutMs: number;
  /** The account's instance families, once read (the pool step reads them). */
  families?: FamilyTable;
  /** The service function's SQL, for the outcome. */
  functionSql?: string;
}

export type StepResult =
  | { readonly kind: 'done'; readonly patch: Partial<ServeRun> }
  /** `patch`: what the step did before it stopped (files written), kept for the resumed run. */
  | { readonly kind: 'stop'; readonly reason: 'cancelled' | 'failed'; readonly message: string; readonly patch?: Partial<ServeRun> };

export function done(patch: Partial<ServeRun>): StepResult {
  return { kind: 'done', patch };
}

export function cancelledAt(what: string, patch?: Partial<ServeRun>): StepResult {
  return { kind: 'stop', reason: 'cancelled', message: `Cancelled at ${what}.`, ...(patch ? { patch } : {}) };
}

export function failed(message: string, patch?: Partial<ServeRun>): StepResult {
  return { kind: 'stop', reason: 'failed', message, ...(patch ? { patch } : {}) };
}

export function poolDeps(ctx: StepContext): PoolDeps {
  const { deploy } = ctx.deps;
  return { sessions: deploy.sessions, ui: ctx.deps.ui.pools, log: deploy.log, queryTimeoutMs: deploy.queryTimeoutMs, changed: deploy.changed };
}

export function repositoryDeps(ctx: StepContext): RepositoryDeps {
  const { deploy } = ctx.deps;
  return { sessions: deploy.sessions, ui: ctx.deps.ui.repositories, log: deploy.log, queryTimeoutMs: deploy.queryTimeoutMs, changed: deploy.changed };
}

/** The live family of `name` when the account listed it, else the built-in table's. */
export function familyNamed(ctx: StepContext, name: string): InstanceFamily | undefined {
  const upper = name.toUpperCase();
  return ctx.families?.families.find((family) => family.name === upper) ?? findInstanceFamily(upper);
}

function names(rows: readonly Record<string, unknown>[], keep: (row: Record<string, unknown>) => boolean = () => true): string[] {
  return rows
    .filter((row) => typeof row['name'] === 'string' && keep(row))
    .map((row) => [row['database_name'], row['schema_name'], row['name']].filter((part): part is string => typeof part === 'string' && part !== '').map((part) => sql.quoteIdentifier(part)).join('.'));
}

/** Stages (`@DB.SCHEMA.STAGE`) and GENERIC_STRING secrets the role can see; empty (with a log line) when they cannot be listed. */
export async function listStagesAndSecrets(ctx: StepContext): Promise<{ stages: string[]; secrets: string[] }> {
  const { sessions, log } = ctx.deps.deploy;
  const [stages, secrets] = await Promise.all([
    sessions.execute(ctx.connection, sql.showStages({ in: { account: true } }), { timeoutMs: ctx.timeoutMs }),
    sessions.execute(ctx.connection, sql.showSecrets({ in: { account: true } }), { timeoutMs: ctx.timeoutMs }),
  ]);
  if (!stages.ok) log.warn(`Serve a Model: the stages could not be listed (${stages.error.message}); type the stage instead.`);
  if (!secrets.ok) log.warn(`Serve a Model: the secrets could not be listed (${secrets.error.message}); type the secret instead.`);
  return {
    stages: stages.ok ? names(stages.value.rows).map((name) => `@${name}`) : [],
    secrets: secrets.ok ? names(secrets.value.rows, (row) => typeof row['secret_type'] !== 'string' || /GENERIC_STRING/i.test(row['secret_type'])) : [],
  };
}
