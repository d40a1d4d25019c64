/**
 * "Serve a Model…" without VS Code: one guided run over the steps a GPU model service needs —
 * compute pool, template, image, deploy with the readiness gate, endpoint URL, service function —
 * each of which can also be done on its own ("Create Compute Pool…", "New Service Spec…", "Build
 * and Push Image…", "Deploy Service", "Create service function…").
 *
 * Owns: the order of the steps, the run kept after every step (so that a run stopped by a cancel, a
 * failure or a closed window resumes where it stopped, and says so), checking on resume that what the
 * finished steps made still exists (a dropped pool or a deleted tag is done again), and the one
 * outcome. Every step finds what exists before it creates anything, so running it twice is safe.
 *
 * Must not: import `vscode`; repeat a finished step; lose the run when a step throws.
 */

import { readPool } from '../pools/poolRead';
import { familiesFromRows } from '../deploy/poolFit';
import { imagesOf } from '../catalog/fetchCatalog';
import * as sql from '../snowflake/sql';
import { deployStep, endpointStep, functionStep } from './serveDeploy';
import { imageStep, poolStep, templateStep } from './serveSetup';
import type { StepContext, StepResult } from './serveContext';
import { isFinished, newRun, readRun, resumeNote, serveSteps, stepRows, stepTitles, type ServeRun, type ServeStepId } from './serveRun';
import type { ServeDeps, ServeOutcome } from './serveUi';
import { findTemplate } from './templateCatalog';

export interface ServeRequest {
  /** The connection of a new run (asked when absent); a resumed run keeps its own. */
  readonly connection?: string;
  /** Start over even when a stopped run could be resumed. */
  readonly restart?: boolean;
}

const steps: Readonly<Record<ServeStepId, (ctx: StepContext) => Promise<StepResult>>> = {
  pool: poolStep,
  template: templateStep,
  image: imageStep,
  deploy: deployStep,
  endpoint: endpointStep,
  function: functionStep,
};

/** The finished steps whose result is gone from the account (the pool was dropped, the tag deleted): they and the steps after them run again. */
async function stillThere(deps: ServeDeps, run: ServeRun): Promise<ServeStepId | undefined> {
  const { sessions, queryTimeoutMs } = deps.deploy;
  if (run.done.includes('pool') && run.pool) {
    const pool = await readPool(sessions, run.connection, run.pool.name, { timeoutMs: queryTimeoutMs });
    if (pool.ok && pool.value === undefined) return 'pool';
  }
  if (run.done.includes('image') && run.image && run.repository) {
    const template = run.template === undefined ? undefined : findTemplate(run.template.id);
    const listed = await sessions.execute(run.connection, sql.showImages(run.repository, { like: template?.imageName ?? '' }), { timeoutMs: queryTimeoutMs });
    const tag = run.image.tag;
    if (listed.ok && !imagesOf(listed.value.rows, Number.MAX_SAFE_INTEGER).some((image) => image.name === template?.imageName && image.tags.includes(tag))) return 'image';
  }
  return undefined;
}

export async function serveModel(deps: ServeDeps, request: ServeRequest = {}): Promise<ServeOutcome> {
  const { ui, store, deploy } = deps;
  const now = (): Date => deploy.now?.() ?? new Date();
  const stored = readRun(store.get());
  let run: ServeRun;
  let note: string | undefined;
  if (stored !== undefined && !isFinished(stored) && request.restart !== true) {
    run = stored;
    note = resumeNote(stored);
    const gone = await stillThere(deps, stored);
    if (gone !== undefined) {
      const from = serveSteps.indexOf(gone);
      run = { ...run, done: run.done.filter((step) => serveSteps.indexOf(step) < from) };
      note = `${note ?? 'Resuming Serve a Model.'} The ${gone === 'pool' ? `compute pool ${stored.pool?.name ?? ''}` : `image ${stored.image?.path ?? ''}`} is gone, so that step runs again.`;
    }
  } else {
    const connection = request.connection ?? (await ui.pickConnection());
    if (connection === undefined) {
      const message = 'Cancelled: no connection was chosen, nothing was done.';
      deploy.log.info(`Serve a Model: ${message}`);
      const outcome: ServeOutcome = { state: 'stopped', run: newRun('', now()), reason: 'cancelled', message };
      ui.report(outcome);
      return outcome;
    }
    run = newRun(connection, now());
  }
  if (note !== undefined) deploy.log.info(`Serve a Model: ${note}`);
  ui.showSteps(stepRows(run), note);
  const ctx: StepContext = { deps, run, connection: run.connection, timeoutMs: deploy.queryTimeoutMs };
  if (run.done.includes('pool')) {
    // A resumed run sizes with the account's own family numbers, as the pool step would have read them.
    const families = await deploy.sessions.execute(run.connection, sql.showInstanceFamilies(), { timeoutMs: deploy.queryTimeoutMs });
    if (families.ok && families.value.rows.length > 0) ctx.families = { source: 'live', families: familiesFromRows(families.value.rows) };
  }
  const save = async (next: ServeRun): Promise<void> => {
    run = next;
    ctx.run = next;
    await store.set(next);
    ui.showSteps(stepRows(next));
  };

  for (const step of serveSteps) {
    if (run.done.includes(step)) continue;
    const { stopped: _previous, ...rest } = run;
    await save({ ...rest, current: step });
    let result: StepResult;
    try {
      result = await steps[step](ctx);
    } catch (error) {
      const message = `${stepTitles[step]} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
      await save({ ...run, stopped: { step, reason: 'failed', message, at: now().toISOString() } });
      deploy.log.error(`Serve a Model: ${message}`);
      throw error;
    }
    if (result.kind === 'stop') {
      const { current: _current, ...kept } = { ...run, ...(result.patch ?? {}) };
      await save({ ...kept, stopped: { step, reason: result.reason, message: result.message, at: now().toISOString() } });
      const message = `Serve a Model stopped at step ${serveSteps.indexOf(step) + 1} of ${serveSteps.length} (${stepTitles[step]}): ${result.message} Run Serve a Model again to resume there; the steps before it are not repeated.`;
      if (result.reason === 'failed') deploy.log.error(`Serve a Model: ${message}`);
      else deploy.log.info(`Serve a Model: ${message}`);
      const outcome: ServeOutcome = { state: 'stopped', run, reason: result.reason, message };
      ui.report(outcome);
      return outcome;
    }
    const { current: _current, ...kept } = { ...run, ...result.patch };
    await save({ ...kept, done: [...run.done, step] });
    deploy.log.info(`Serve a Model: ${stepRows(run).find((row) => row.id === step)?.text ?? step}`);
  }
  await save({ ...run, finishedAt: now().toISOString() });
  const service = run.service ? sql.qualifiedName(run.service.database, run.service.schema, run.service.name) : '';
  const url = run.endpoint?.url;
  const fn = run.serviceFunction !== undefined && 'name' in run.serviceFunction ? run.serviceFunction : undefined;
  const message = `${service} serves ${run.template?.id ?? 'the model'} on ${run.pool?.name ?? 'its pool'}${url ? ` at ${url}` : ''}${fn ? `; service function ${fn.name} ${fn.created ? 'was created' : 'is open as SQL'}` : ''}.`;
  deploy.log.info(`Serve a Model: ${message}`);
  const outcome: ServeOutcome = {
    state: 'served',
    run,
    service,
    url,
    ...(fn && ctx.functionSql !== undefined ? { serviceFunction: { sql: ctx.functionSql, created: fn.created } } : {}),
    message,
  };
  ui.report(outcome);
  return outcome;
}
