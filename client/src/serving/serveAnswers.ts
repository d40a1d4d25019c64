/**
 * The answers automation gives "Serve a Model…" instead of asking (tests, a script, another command):
 * each key answers one question, `null` cancels at that question (the run stops there and resumes on
 * the next run), a missing key asks the user. Used by the VS Code adapter (`vscodeServeUi.ts`).
 *
 * Owns: reading the command argument into answers, and the pool and repository questions answered
 * from them. Must not: import `vscode`.
 */

import type { RepositoryUi } from '../imageRegistry/imageRepositoryActions';
import type { PoolSettings, PoolUi } from '../pools/poolUi';
import type { FunctionAnswer } from './serveUi';
import type { TemplateChoice } from './serveRun';
import type { TemplateId } from './templateCatalog';

export interface ServeAnswers {
  readonly connection?: string;
  /** Start over even when a stopped run could be resumed. */
  readonly restart?: boolean;
  /** A pool by name, or `create` (then `newPool` answers "Create Compute Pool…"). */
  readonly pool?: string | null;
  readonly newPool?: Partial<PoolSettings>;
  readonly template?: TemplateId | null;
  /** Overrides of the template settings (service name, weights, secret, GPUs, integrations). */
  readonly templateChoice?: Partial<Omit<TemplateChoice, 'id'>> | null;
  /** `DB.SCHEMA.NAME` of a listed repository, or `create` (then `newRepository` names it). */
  readonly repository?: string | null;
  readonly newRepository?: string;
  readonly image?: { readonly tag: string; readonly build: boolean } | null;
  /** The project folder (absolute path); files that differ there are overwritten. */
  readonly folder?: string | null;
  /** Build and push: run in a terminal or copy the commands. */
  readonly commands?: 'ran' | 'copied' | null;
  /** After the push: look again (`check`) or stop. */
  readonly push?: 'check' | null;
  readonly serviceFunction?: FunctionAnswer | 'skip' | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The command argument as answers; anything that is not an object (a tree node has `kind`) gives none. */
export function serveAnswersOf(value: unknown): ServeAnswers {
  if (!isRecord(value) || 'kind' in value) return {};
  return value;
}

/** An answer: given (null: cancel), else asked. */
export function answered<T>(answers: ServeAnswers, key: keyof ServeAnswers, given: T | null | undefined, ask: () => Promise<T | undefined>): Promise<T | undefined> {
  if (!(key in answers)) return ask();
  return Promise.resolve(given === null ? undefined : given);
}

/** "Create Compute Pool…" answered from `newPool` (the statement then goes without the modal). */
export function answeringPoolUi(ui: PoolUi, given: Partial<PoolSettings> | undefined): PoolUi {
  if (given === undefined) return ui;
  const or = <T>(value: T | undefined, ask: () => Promise<T | undefined>): Promise<T | undefined> => (value === undefined ? ask() : Promise.resolve(value));
  return {
    ...ui,
    pickFamily: (rows, notes) => (given.instanceFamily === undefined ? ui.pickFamily(rows, notes) : Promise.resolve(rows.find((row) => row.name === given.instanceFamily?.toUpperCase()))),
    askName: (current, check) => or(given.name, () => ui.askName(current, check)),
    askNodes: (current, check) => (given.minNodes !== undefined && given.maxNodes !== undefined ? Promise.resolve({ min: given.minNodes, max: given.maxNodes }) : ui.askNodes(current, check)),
    askAutoResume: (current) => or(given.autoResume, () => ui.askAutoResume(current)),
    askAutoSuspendSecs: (current, check) => or(given.autoSuspendSecs, () => ui.askAutoSuspendSecs(current, check)),
    askInitiallySuspended: (current) => or(given.initiallySuspended, () => ui.askInitiallySuspended(current)),
    askComment: (current) => or(given.comment, () => ui.askComment(current)),
    confirmStatement: () => Promise.resolve(true),
  };
}

/** "Create Image Repository…" answered from `newRepository`. */
export function answeringRepositoryUi(ui: RepositoryUi, name: string | undefined): RepositoryUi {
  if (name === undefined) return ui;
  return { ...ui, askRepositoryName: () => Promise.resolve(name), confirmStatement: () => Promise.resolve(true) };
}
