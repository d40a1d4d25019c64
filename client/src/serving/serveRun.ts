/**
 * The state of one "Serve a Model…" run, as it is persisted between steps (workspace state in VS
 * Code), and the progress the user sees: each step with its mark (done, current, stopped, failed,
 * pending, skipped) and one line of detail, plus the sentence that says where a resumed run picks up.
 *
 * Owns: the run's shape, reading it back tolerantly (a stored run that no longer parses is ignored,
 * never trusted), and the progress model. Pure: no `vscode`, no Snowflake, no clock of its own.
 */

import type { TemplateId } from './templateCatalog';
import type { ModelWeights } from './renderTemplate';

export const serveSteps = ['pool', 'template', 'image', 'deploy', 'endpoint', 'function'] as const;
export type ServeStepId = (typeof serveSteps)[number];

export const stepTitles: Readonly<Record<ServeStepId, string>> = {
  pool: 'Compute pool',
  template: 'Template',
  image: 'Image',
  deploy: 'Deploy and wait until ready',
  endpoint: 'Endpoint URL',
  function: 'Service function',
};

export interface TemplateChoice {
  readonly id: TemplateId;
  /** As typed (LLM_SERVE). */
  readonly serviceName: string;
  readonly gpus?: number;
  readonly weights?: ModelWeights;
  readonly huggingFaceTokenSecret?: string;
  readonly externalAccessIntegrations: readonly string[];
}

export interface ServeRun {
  readonly version: 1;
  /** When the run started (ISO 8601): tells one run from the next. */
  readonly startedAt: string;
  readonly connection: string;
  /** The steps finished, in order. */
  readonly done: readonly ServeStepId[];
  /** The step being worked on; still set when the window closed in the middle of it. */
  readonly current?: ServeStepId;
  /** Why the run stopped (cancelled or failed) and where. */
  readonly stopped?: { readonly step: ServeStepId; readonly reason: 'cancelled' | 'failed'; readonly message: string; readonly at: string };
  readonly pool?: { readonly name: string; readonly family: string; readonly created: boolean };
  readonly template?: TemplateChoice;
  readonly repository?: { readonly database: string; readonly schema: string; readonly name: string; readonly url: string };
  readonly image?: { readonly path: string; readonly tag: string; readonly built: boolean };
  /** Where the files were written, and for which image (written again only when that changes). */
  readonly project?: { readonly folder: string; readonly specUri: string; readonly imagePath: string };
  readonly service?: { readonly database: string; readonly schema: string; readonly name: string };
  readonly endpoint?: { readonly name: string; readonly url?: string };
  readonly serviceFunction?: { readonly name: string; readonly created: boolean } | { readonly declined: true };
  readonly finishedAt?: string;
}

export function newRun(connection: string, now: Date): ServeRun {
  return { version: 1, startedAt: now.toISOString(), connection, done: [] };
}

/** Reads a stored run back; undefined when it is not one (an older version, an edit, a broken write). */
export function readRun(value: unknown): ServeRun | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (record['version'] !== 1 || typeof record['connection'] !== 'string' || typeof record['startedAt'] !== 'string' || !Array.isArray(record['done'])) return undefined;
  const isStep = (step: unknown): step is ServeStepId => typeof step === 'string' && (serveSteps as readonly string[]).includes(step);
  if (!record['done'].every(isStep)) return undefined;
  if (record['current'] !== undefined && !isStep(record['current'])) return undefined;
  const stopped = record['stopped'] as Record<string, unknown> | undefined;
  if (stopped !== undefined && (typeof stopped !== 'object' || stopped === null || !isStep(stopped['step']) || typeof stopped['message'] !== 'string')) return undefined;
  // The rest is data the steps check against the account before they trust it.
  return value as ServeRun;
}

export function isFinished(run: ServeRun): boolean {
  return run.finishedAt !== undefined;
}

/** The first step that is not done. */
export function nextStep(run: ServeRun): ServeStepId | undefined {
  return serveSteps.find((step) => !run.done.includes(step));
}

export type StepState = 'done' | 'current' | 'stopped' | 'failed' | 'pending' | 'skipped';

export interface StepRow {
  readonly id: ServeStepId;
  /** 1-based. */
  readonly number: number;
  readonly title: string;
  readonly state: StepState;
  /** What was chosen or what happened: "LLM_POOL (GPU_NV_S, created)". */
  readonly detail: string;
  /** A codicon for QuickPick / tree rows. */
  readonly icon: string;
  /** "✓ 1. Compute pool: LLM_POOL (GPU_NV_S, created)": for plain text (the output channel). */
  readonly text: string;
}

const icons: Readonly<Record<StepState, string>> = {
  done: '$(pass-filled)',
  current: '$(arrow-right)',
  stopped: '$(debug-pause)',
  failed: '$(error)',
  pending: '$(circle-large-outline)',
  skipped: '$(circle-slash)',
};

const marks: Readonly<Record<StepState, string>> = { done: '✓', current: '→', stopped: '‖', failed: '✗', pending: '○', skipped: '–' };

function detailOf(run: ServeRun, step: ServeStepId): string {
  switch (step) {
    case 'pool':
      return run.pool ? `${run.pool.name} (${run.pool.family}${run.pool.created ? ', created by this run' : ''})` : '';
    case 'template':
      return run.template ? `${run.template.id} as ${run.template.serviceName}${run.template.gpus === undefined ? '' : `, ${run.template.gpus} GPU${run.template.gpus === 1 ? '' : 's'}`}` : '';
    case 'image':
      return run.image ? `${run.image.path}${run.image.built ? ' (built and pushed)' : ''}` : '';
    case 'deploy':
      return run.service ? `${run.service.database}.${run.service.schema}.${run.service.name}` : '';
    case 'endpoint':
      return run.endpoint ? (run.endpoint.url ?? `${run.endpoint.name} (not public)`) : '';
    case 'function':
      return run.serviceFunction === undefined ? '' : 'declined' in run.serviceFunction ? 'not wanted' : `${run.serviceFunction.name}${run.serviceFunction.created ? '' : ' (SQL opened, not run)'}`;
  }
}

/** The steps with their marks: what the user sees while the run goes on. */
export function stepRows(run: ServeRun): StepRow[] {
  return serveSteps.map((id, index) => {
    let state: StepState = 'pending';
    if (run.done.includes(id)) state = id === 'function' && run.serviceFunction !== undefined && 'declined' in run.serviceFunction ? 'skipped' : 'done';
    else if (run.stopped?.step === id) state = run.stopped.reason === 'failed' ? 'failed' : 'stopped';
    else if (run.current === id) state = 'current';
    const detail = run.stopped?.step === id && state !== 'done' ? run.stopped.message : detailOf(run, id);
    const title = stepTitles[id];
    return { id, number: index + 1, title, state, detail, icon: icons[state], text: `${marks[state]} ${index + 1}. ${title}${detail ? `: ${detail}` : ''}` };
  });
}

/**
 * Where a resumed run picks up and why it stopped there: "Resuming Serve a Model at step 4 of 6
 * (Deploy and wait until ready): the last run was cancelled there." Undefined for a fresh run.
 */
export function resumeNote(run: ServeRun): string | undefined {
  if (run.done.length === 0 && run.stopped === undefined && run.current === undefined) return undefined;
  const step = run.stopped?.step ?? run.current ?? nextStep(run);
  if (step === undefined) return undefined;
  const where = `Resuming Serve a Model at step ${serveSteps.indexOf(step) + 1} of ${serveSteps.length} (${stepTitles[step]})`;
  if (run.stopped?.reason === 'cancelled') return `${where}: the last run was cancelled there. The steps before it are done and are not repeated.`;
  if (run.stopped?.reason === 'failed') return `${where}: the last run stopped there (${run.stopped.message.replace(/[.\s]+$/, '')}). The steps before it are done and are not repeated.`;
  return `${where}: the last run did not finish (the window may have closed). The steps before it are done and are not repeated.`;
}
