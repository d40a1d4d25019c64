/**
 * The decisions of "Deploy" and "Run as Job", without VS Code: which choices to ask for and which
 * to take from memory, the account listings the pickers show, the plan and its refusals, the upgrade
 * confirmation, applying the plan, the readiness gate and the job follower, and the one outcome the
 * user is told about. Every question and every notification goes through the injected `DeployUi`,
 * so node:test tests drive the whole flow against the emulator with scripted answers; the VS Code
 * implementation (`deployUi.ts`) only shows things.
 *
 * Owns: the order of the questions (the pool's fit is settled right after the pool is known, before
 * the other questions: a pool that cannot fit is refused there, naming the account's pools that do),
 * what "one click" means (remembered choices that the account still has are used without asking;
 * choices are remembered only from a deploy that was sent), the privilege preflight before anything is sent
 * (`preflightStep`: missing grants from the account catalog ask in interactive deploys, are only
 * logged in automation, and an unavailable catalog never blocks), the half-deployed reporting (a CREATE or an upgrade that went
 * through is never presented as if nothing happened), logging every outcome (refused, cancelled, up
 * to date, failed, half-deployed, deployed) in the output channel, and telling the views what changed.
 *
 * Must not: import `vscode`, drop a service, or wait on a notification when the deploy was started
 * with complete choices (automation: keybindings, tasks, tests), because nobody is there to answer.
 */

import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { isFamilyCapacityError, type SpecDocument } from '../../../server/src/service';
import type { AccountChange } from '../model/featureContext';
import { defaultChoices, defaultJobName, isComplete, mergeWithAccount, type ChoiceStore, type DeployChoices, type JobChoices, type RememberedChoices } from '../specs/deployChoices';
import { analyzeTemplate, renderedSpec, type TemplateVariable } from '../specs/templates';
import { applyPlan, type ApplyOutcome } from './applyPlan';
import { describeExistingService, targetText, targetObject } from '../specs/deployedService';
import { planDeploy } from './deployPlan';
import { poolDoesNotFit, type DeployPlan, type Refusal } from './plans';
import { planJob, type JobPlan } from './planJob';
import { serviceTarget } from './serviceNames';
import { cancelJob, executeJob, type JobLogLine, type JobOutcome } from './executeJob';
import { loadPoolsAndFamilies, poolFit, poolsThatFit, type PoolFit, type PoolInfo, type PoolsAndFamilies } from './poolFit';
import { specParser, type SpecParser } from './specParser';
import { realTimeScheduler, watchReadiness, type ReadinessResult, type Scheduler, type Triage } from './readiness';
import type { AccountCatalog } from '../../../server/src/lspExtension';
import { preflight, type PreflightResult } from '../privileges/preflight';
import type { Result } from '../snowflake/result';
import type { SnowflakeSessions } from '../snowflake/session';
import type { TemplateValue } from '../snowflake/sql';
import type { ServiceRef } from '../model/nodes';
import { preflightSummary, type PreflightSubject } from '../privileges/preflightReport';

// ---------------------------------------------------------------------------------------------------
// What the flow is given

/** The spec being deployed: the editor's text (saved or not) and the language server's diagnostics of it. */
export interface SpecInput {
  readonly uri: string;
  readonly text: string;
  /** Diagnostics of our language server only (source `spcs`), as LSP diagnostics. */
  readonly diagnostics: readonly Diagnostic[];
  /** The parsed `text`, when the caller has it (the run then parses it no more). */
  readonly document?: SpecDocument;
}

/** The spec of one run, with the run's parser: each text (the spec, each rendering) is parsed once. */
interface RunSpec extends SpecInput {
  readonly parse: SpecParser;
}

function runSpec(spec: SpecInput): RunSpec {
  return { ...spec, parse: specParser(spec.uri, spec.text, spec.document) };
}

export interface PoolOption {
  readonly pool: PoolInfo;
  readonly fit: PoolFit;
}

/** What the user did with a refusal: another pool named by it, "Pick Another Pool…", or nothing. */
export type RefusalAnswer = 'pickAnotherPool' | { readonly pool: string } | undefined;

export interface ProgressReporter {
  report(message: string): void;
}

/** The answers of the job questions. */
export interface JobAnswers {
  readonly jobName: string;
  readonly async: boolean;
  readonly replicas: number;
}

/**
 * Every question and message of the flow. A question resolves to `undefined` when the user cancels
 * (Escape); the flow then stops and changes nothing. `report*` and `show*` are fire-and-forget for
 * the flow unless it says otherwise: their buttons act on their own.
 */
export interface DeployUi {
  pickConnection(): Promise<string | undefined>;
  pickPool(options: readonly PoolOption[], current: string | undefined, notes: readonly string[]): Promise<PoolInfo | undefined>;
  askServiceName(current: string): Promise<string | undefined>;
  askInstances(current: { readonly min: number; readonly max: number }): Promise<{ readonly min: number; readonly max: number } | undefined>;
  /** `{ warehouse: undefined }`: no query warehouse. */
  pickWarehouse(warehouses: readonly string[], current: string | undefined): Promise<{ readonly warehouse: string | undefined } | undefined>;
  pickIntegrations(integrations: readonly string[], current: readonly string[]): Promise<readonly string[] | undefined>;
  askAutoResume(current: boolean): Promise<boolean | undefined>;
  askTemplateValue(variable: TemplateVariable, current: TemplateValue | undefined): Promise<string | undefined>;
  askJob(current: JobAnswers): Promise<JobAnswers | undefined>;
  /** Shows the deployed and the local spec side by side and asks (modal) whether to upgrade. */
  confirmUpgrade(plan: Extract<DeployPlan, { ok: true }>): Promise<boolean>;
  /** Asks (modal) whether to cancel the job in Snowflake after the user stopped following it. */
  confirmCancelJob(name: string): Promise<boolean>;
  /**
   * Says why the deploy cannot go ahead. For `poolDoesNotFit` it offers the pools that fit
   * (`refusal.fittingPools`, resolving to `{ pool }`) and "Pick Another Pool…" (`pickAnotherPool`);
   * the flow awaits it only in interactive runs.
   */
  showRefusal(refusal: Refusal, spec: SpecInput): Promise<RefusalAnswer>;
  /**
   * The pool just picked may or may not fit (its capacity is not known): asks (modal) whether to
   * deploy anyway (`deploy`), pick another pool (`pickAnotherPool`) or stop (`undefined`).
   */
  confirmUncertainFit(option: PoolOption): Promise<'deploy' | 'pickAnotherPool' | undefined>;
  /** The upgrade was sent: the diff it was confirmed on is out of date (optional: a UI without one). */
  upgradeSent?(plan: Extract<DeployPlan, { ok: true }>): void;
  /** Runs `task` under a progress notification; `cancellable` adds a Cancel button that aborts the signal. */
  progress<T>(title: string, cancellable: boolean, task: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>): Promise<T>;
  reportDeploy(outcome: DeployOutcome, spec: SpecInput): void;
  /**
   * The privilege preflight found missing grants (interactive deploys only): the modal with "Copy
   * GRANT Statements" / "Open as SQL" / "Deploy Anyway". Resolves to `deploy` only for "Deploy
   * Anyway". Optional: a UI without it deploys as before.
   */
  confirmMissingPrivileges?(result: PreflightResult, subject: PreflightSubject): Promise<'deploy' | 'stop'>;
  /** The account catalog could not be read, so privileges were not checked (fire-and-forget, never blocks). */
  preflightSkipped?(message: string): void;
  reportJob(outcome: JobRunOutcome, spec: SpecInput): void;
  /** New log lines of a running job (the flow calls it as they arrive). */
  jobLog(job: string, lines: readonly JobLogLine[]): void;
}

export interface FlowLog {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

type FlowSessions = Pick<SnowflakeSessions, 'get' | 'execute' | 'submit' | 'queryStatus' | 'waitForQuery'>;

export interface FlowDeps {
  readonly sessions: FlowSessions;
  readonly ui: DeployUi;
  readonly store: ChoiceStore;
  readonly log: FlowLog;
  /** Bound on each statement (`spcs.snowflake.queryTimeout`). */
  readonly queryTimeoutMs: number;
  /** How long the readiness gate watches (`spcs.deploy.readinessTimeout`). */
  readonly readinessTimeoutMs: number;
  /** The connection names of the connection files, or `undefined` when they cannot be read. */
  readonly connections: () => readonly string[] | undefined;
  readonly changed: (change: AccountChange) => void;
  /** Real time by default; tests pass one that advances the emulator's clock. */
  readonly scheduler?: Scheduler;
  /** Upper bound of the gap between two looks at a starting service or a job (default 5 s). */
  readonly pollMs?: number;
  /** How long a job is followed (default 2 hours). */
  readonly jobTimeoutMs?: number;
  readonly now?: () => Date;
  /**
   * The account catalog of a connection (`context.catalogs.get`), for the privilege preflight before
   * a deploy. Absent: no preflight.
   */
  readonly catalog?: (connection: string, options?: { readonly refresh?: boolean }) => Promise<{ readonly catalog: AccountCatalog | null; readonly fetchedAt?: number; readonly status: { readonly state: string; readonly reason?: string } }>;
}

export interface DeployRequest {
  readonly spec: SpecInput;
  /** `remembered`: ask only what is not remembered (one click); `ask`: ask everything, pre-filled. */
  readonly mode: 'remembered' | 'ask';
  /** Choices given by the caller (command argument); complete ones skip every question. */
  readonly given?: Partial<DeployChoices>;
  /** `true`: upgrade without the confirmation (automation only; the default always asks). */
  readonly confirmUpgrade?: boolean;
}

export interface JobRequest {
  readonly spec: SpecInput;
  readonly given?: Partial<JobChoices>;
}

// ---------------------------------------------------------------------------------------------------
// Outcomes

export type DeployOutcome =
  | { readonly state: 'cancelled'; readonly message: string }
  | { readonly state: 'refused'; readonly refusal: Refusal; readonly message: string }
  /** Something could not be read (the pools, DESCRIBE): nothing was sent. */
  | { readonly state: 'error'; readonly message: string }
  | { readonly state: 'upToDate'; readonly service: ServiceRef; readonly computePool: string; readonly message: string }
  /** The statements did not (all) apply; `halfDeployed` when some did or it is not known. */
  | { readonly state: 'notApplied'; readonly service: ServiceRef; readonly apply: ApplyOutcome; readonly halfDeployed: boolean; readonly message: string }
  | {
      readonly state: 'deployed';
      readonly action: 'create' | 'upgrade';
      readonly service: ServiceRef;
      readonly computePool: string;
      /** Undefined when there was nothing to wait for (a suspended service). */
      readonly readiness: ReadinessResult | undefined;
      /** The statements applied but the service did not become ready (failed, or its state could not be read). */
      readonly halfDeployed: boolean;
      readonly warnings: readonly string[];
      readonly message: string;
    };

export type JobRunOutcome =
  | { readonly state: 'cancelled'; readonly message: string }
  | { readonly state: 'refused'; readonly refusal: Refusal; readonly message: string }
  | { readonly state: 'error'; readonly message: string }
  | { readonly state: 'ran'; readonly job: ServiceRef; readonly computePool: string; readonly outcome: JobOutcome; readonly cancelRequested: boolean; readonly message: string };

// ---------------------------------------------------------------------------------------------------
// Listings

/** Warehouses the role can see, or why not (the picker is then skipped). */
export async function listWarehouses(sessions: Pick<SnowflakeSessions, 'execute'>, connection: string, timeoutMs: number): Promise<Result<string[]>> {
  const result = await sessions.execute(connection, 'SHOW WAREHOUSES', { timeoutMs });
  return result.ok ? { ok: true, value: namesOf(result.value.rows) } : result;
}

/**
 * External access integrations the role can use: SHOW EXTERNAL ACCESS INTEGRATIONS, else SHOW
 * INTEGRATIONS filtered to the EXTERNAL_ACCESS type (accounts or emulators that do not know the
 * first form answer with a SQL compilation error).
 */
export async function listIntegrations(sessions: Pick<SnowflakeSessions, 'execute'>, connection: string, timeoutMs: number): Promise<Result<string[]>> {
  const specific = await sessions.execute(connection, 'SHOW EXTERNAL ACCESS INTEGRATIONS', { timeoutMs });
  if (specific.ok) return { ok: true, value: namesOf(specific.value.rows) };
  if (specific.error.kind !== 'sql') return specific;
  const all = await sessions.execute(connection, 'SHOW INTEGRATIONS', { timeoutMs });
  if (!all.ok) return all;
  return { ok: true, value: namesOf(all.value.rows.filter((row) => typeof row['type'] !== 'string' || /EXTERNAL_ACCESS/i.test(row['type']))) };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function namesOf(rows: readonly Record<string, unknown>[]): string[] {
  return rows.map((row) => row['name']).filter((name): name is string => typeof name === 'string' && name !== '');
}

/** The connection's current database and schema (a service's name is always qualified by the deploy). */
async function currentDatabaseAndSchema(sessions: Pick<SnowflakeSessions, 'execute'>, connection: string, timeoutMs: number): Promise<Result<{ database: string | undefined; schema: string | undefined }>> {
  const result = await sessions.execute(connection, 'SELECT CURRENT_DATABASE() AS DATABASE_NAME, CURRENT_SCHEMA() AS SCHEMA_NAME', { timeoutMs });
  if (!result.ok) return result;
  const row = result.value.rows[0] ?? {};
  const [database, schema] = Object.values(row);
  return { ok: true, value: { database: typeof database === 'string' && database !== '' ? database : undefined, schema: typeof schema === 'string' && schema !== '' ? schema : undefined } };
}

// ---------------------------------------------------------------------------------------------------
// Shared checks


/** Refusals known before anything is asked: not a spec, error diagnostics, placeholders Snowflake does not fill. */
export function earlyRefusal(spec: SpecInput & { readonly parse?: SpecParser }): Refusal | undefined {
  const parse = spec.parse ?? specParser(spec.uri, spec.text, spec.document);
  if (!parse(spec.text).looksLikeSpec) {
    return { kind: 'notASpec', message: "This file is not a service specification (it needs a top-level 'spec:' with 'containers:')." };
  }
  const errors = spec.diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error && !isFamilyCapacityError(diagnostic.code));
  if (errors.length > 0) {
    const first = errors[0];
    return {
      kind: 'errors',
      diagnostics: errors,
      message: `The spec has ${errors.length} error${errors.length === 1 ? '' : 's'} (first: line ${(first?.range.start.line ?? 0) + 1}: ${first?.message ?? ''}). Snowflake would reject it; fix ${errors.length === 1 ? 'it' : 'them'} first.`,
    };
  }
  const analysis = analyzeTemplate(spec.text);
  if (analysis.unsupported.length > 0) {
    return {
      kind: 'unsupportedTemplate',
      message: `The spec uses placeholders Snowflake does not fill (${[...new Set(analysis.unsupported)].slice(0, 3).join(', ')}): only '{{ variable }}' templates are rendered by CREATE SERVICE. Render the file first or replace them with values.`,
    };
  }
  return undefined;
}

/** A backing-off view of the scheduler: the first looks come quickly (a service is often ready in seconds), then every `maxMs`. */
function backingOff(scheduler: Scheduler, maxMs: number): Scheduler {
  let next = Math.min(1000, maxMs);
  return {
    now: () => scheduler.now(),
    wait: (ms, signal) => {
      const step = next;
      next = Math.min(maxMs, Math.round(next * 1.5));
      return scheduler.wait(Math.min(ms, step), signal);
    },
  };
}

/** `3` → 3-3, `1-3` → 1-3; undefined when invalid. */
export function parseInstances(text: string): { min: number; max: number } | undefined {
  const match = /^\s*([1-9]\d*)\s*(?:[-–]\s*([1-9]\d*)\s*)?$/.exec(text);
  if (!match?.[1]) return undefined;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  return max >= min ? { min, max } : undefined;
}

/** The log lines of a triage: the containers' status and messages and their last log lines. */
export function triageLines(triage: Triage): string[] {
  const lines = [triage.summary];
  for (const container of triage.containers) {
    lines.push(`  ${container.container} (instance ${container.instanceId}): ${container.status}, ${container.message || 'no message'}${container.restartCount > 0 ? `, restarted ${container.restartCount}×` : ''}`);
    if (container.specLocation) lines.push(`    spec line ${container.specLocation.line}: ${container.specLocation.lineText}`);
    lines.push(`    ${container.hint}`);
    if (container.logError !== undefined) lines.push(`    logs: ${container.logError}`);
    else if (container.logLines.length === 0) lines.push('    no log lines (the container never started)');
    else {
      lines.push(`    last ${container.logLines.length} log line${container.logLines.length === 1 ? '' : 's'}${container.previousLogs ? ' of the previous run (it restarted)' : ''}:`);
      for (const line of container.logLines) lines.push(`      ${line}`);
    }
  }
  return lines;
}

interface Listings {
  readonly listed: PoolsAndFamilies;
  readonly warehouses: readonly string[] | undefined;
  readonly integrations: readonly string[] | undefined;
}

/** The user cancelled a question: the flow unwinds and reports that nothing was changed. */
class Cancelled extends Error {}

function cancelled(what: string): Cancelled {
  return new Cancelled(`Cancelled: ${what} was not chosen, nothing was deployed.`);
}

// ---------------------------------------------------------------------------------------------------
// Deploy

export async function runDeploy(deps: FlowDeps, request: DeployRequest): Promise<DeployOutcome> {
  const spec = runSpec(request.spec);
  const early = earlyRefusal(spec);
  if (early) return refused(deps, spec, early);

  const remembered = deps.store.get(spec.uri);
  const given = request.given ?? {};
  let choices: RememberedChoices = { ...defaultChoices(spec.uri), ...remembered, ...given };
  // Complete choices from the caller: nothing is asked and no notification is waited on.
  const interactive = !(request.given !== undefined && isComplete(choices) && given.pool !== undefined);
  const rememberedBefore = isComplete({ ...remembered, ...given });
  const askAll = interactive && (request.mode === 'ask' || !rememberedBefore);

  try {
    const known = deps.connections();
    // A connection the caller names is used as given (the session says so if it does not exist).
    if (given.connection === undefined && choices.connection !== undefined && known !== undefined && !known.includes(choices.connection)) {
      deps.log.warn(`Deploy: the remembered connection "${choices.connection}" is no longer in the connection files; choose another.`);
      choices = withoutKey(choices, 'connection');
    }
    if (choices.connection === undefined || (request.mode === 'ask' && given.connection === undefined)) {
      const picked = await deps.ui.pickConnection();
      if (picked === undefined) throw cancelled('a connection');
      choices = { ...choices, connection: picked };
    }
    const connection = choices.connection;
    if (connection === undefined) throw cancelled('a connection');

    const listings = await loadListings(deps, connection, askAll || choices.queryWarehouse !== undefined, askAll || (choices.externalAccessIntegrations ?? []).length > 0);
    if (!listings.ok) return report(deps, spec, { state: 'error', message: listings.message });
    const { listed } = listings.value;
    const merged = mergeWithAccount(
      choices,
      listed.pools.map((pool) => pool.name),
      listings.value.warehouses,
      listings.value.integrations === undefined ? {} : { integrations: listings.value.integrations },
    );
    for (const dropped of merged.dropped) deps.log.warn(`Deploy: ${dropped.reason}${interactive ? ' It is asked again.' : ''}`);
    choices = merged.choices;
    if (!interactive && merged.dropped.length > 0) {
      return report(deps, spec, { state: 'error', message: `The given deploy choices name what the account does not have: ${merged.dropped.map((item) => item.reason).join(' ')} Nothing was deployed.` });
    }

    choices = await askTemplateValues(deps, spec, choices, askAll);
    const picked = askAll || choices.pool === undefined;
    if (picked) choices = { ...choices, pool: (await askPool(deps, spec, choices, listed)).name };
    // Whether the spec fits the pool is known now: a pool it cannot fit is refused before anything
    // else is asked (and one whose fit is unknown is confirmed).
    const fitted = await settlePoolFit(deps, spec, choices, listed, interactive, picked);
    if (!fitted.ok) return { state: 'refused', refusal: fitted.refusal, message: fitted.refusal.message };
    choices = fitted.choices;
    if (askAll || choices.serviceName === undefined) {
      const name = await deps.ui.askServiceName(choices.serviceName ?? defaultChoices(spec.uri).serviceName ?? '');
      if (name === undefined) throw cancelled('a service name');
      choices = { ...choices, serviceName: name.trim() };
    }
    if (askAll || choices.minInstances === undefined || choices.maxInstances === undefined) {
      const instances = await deps.ui.askInstances({ min: choices.minInstances ?? 1, max: choices.maxInstances ?? choices.minInstances ?? 1 });
      if (instances === undefined) throw cancelled('the number of instances');
      choices = { ...choices, minInstances: instances.min, maxInstances: instances.max };
    }
    const droppedWarehouse = merged.dropped.some((item) => item.field === 'queryWarehouse');
    if (askAll || droppedWarehouse) choices = await askWarehouse(deps, choices, listings.value.warehouses);
    const droppedIntegration = merged.dropped.some((item) => item.field === 'externalAccessIntegrations');
    if (askAll || droppedIntegration) choices = await askIntegrations(deps, choices, listings.value.integrations);
    if (askAll || choices.autoResume === undefined) {
      const autoResume = await deps.ui.askAutoResume(choices.autoResume ?? true);
      if (autoResume === undefined) throw cancelled('auto-resume');
      choices = { ...choices, autoResume };
    }

    return await planAndApply(deps, request, spec, choices, listed, interactive);
  } catch (error) {
    if (error instanceof Cancelled) return report(deps, spec, { state: 'cancelled', message: error.message });
    throw error;
  }
}

/**
 * The fit of the spec on the chosen pool, settled before the other questions: `no` is refused at
 * once, naming the account's pools that fit (in an interactive deploy the user may take one of them
 * or pick another pool, which is judged again); `unknown` on a pool just picked asks whether to
 * deploy anyway. A pool the listing does not have is left to the plan.
 */
async function settlePoolFit(
  deps: FlowDeps,
  spec: RunSpec,
  initial: RememberedChoices,
  listed: PoolsAndFamilies,
  interactive: boolean,
  picked: boolean,
  what: 'Deploy' | 'Job' = 'Deploy',
): Promise<{ ok: true; choices: RememberedChoices } | { ok: false; refusal: Refusal }> {
  let choices = initial;
  let justPicked = picked;
  for (;;) {
    const pool = listed.pools.find((candidate) => candidate.name === choices.pool);
    if (pool === undefined) return { ok: true, choices };
    const rendered = renderedFor(spec, choices);
    const fit = poolFit(rendered, pool, listed.families);
    if (fit.fits === 'unknown' && justPicked && interactive) {
      const answer = await deps.ui.confirmUncertainFit({ pool, fit });
      if (answer === undefined) throw new Cancelled(`Cancelled: whether the spec fits ${pool.name} is not known, so nothing was deployed.`);
      if (answer === 'deploy') return { ok: true, choices };
      choices = { ...choices, pool: (await askPool(deps, spec, choices, listed)).name };
      continue;
    }
    if (fit.fits !== 'no') return { ok: true, choices };
    const refusal = poolDoesNotFit(fit, fittingPoolNames(spec, choices, listed, pool.name));
    const next = await answerRefusal(deps, spec, refusal, choices, listed, interactive, what);
    if (next === undefined) return { ok: false, refusal };
    choices = { ...choices, pool: next };
    justPicked = true;
  }
}

/** The names of the listed pools (other than `except`) that the spec, rendered with `choices`, fits. */
function fittingPoolNames(spec: RunSpec, choices: RememberedChoices, listed: PoolsAndFamilies, except: string | undefined): string[] {
  return poolsThatFit(renderedFor(spec, choices), listed.pools, listed.families, except === undefined ? {} : { except }).map((pool) => pool.name);
}

/**
 * Logs and shows a refusal (logged first: the notification may stay open). In an interactive deploy
 * a pool refusal is awaited: resolves to the pool to try next (one the refusal named, or one picked
 * again), or undefined when the refusal stands.
 */
async function answerRefusal(deps: FlowDeps, spec: RunSpec, refusal: Refusal, choices: RememberedChoices, listed: PoolsAndFamilies, interactive: boolean, what: 'Deploy' | 'Job' = 'Deploy'): Promise<string | undefined> {
  const answer = tellRefusal(deps, spec, refusal, what);
  if (!interactive || refusal.kind !== 'poolDoesNotFit') return undefined;
  const chosen = await answer;
  if (chosen === undefined) return undefined;
  if (chosen !== 'pickAnotherPool') return chosen.pool;
  try {
    return (await askPool(deps, spec, choices, listed)).name;
  } catch (error) {
    if (error instanceof Cancelled) return undefined;
    throw error;
  }
}

async function loadListings(deps: FlowDeps, connection: string, warehouses: boolean, integrations: boolean): Promise<{ ok: true; value: Listings } | { ok: false; message: string }> {
  const timeoutMs = deps.queryTimeoutMs;
  // Signing in may ask for a password or open a browser: done first, so the answer's time does not eat the statements' timeout.
  const session = await deps.sessions.get(connection);
  if (!session.ok) {
    return { ok: false, message: `Could not connect with ${connection} (${session.error.kind}): ${session.error.message} Nothing was deployed.` };
  }
  const [pools, warehouseList, integrationList] = await deps.ui.progress(`Reading the compute pools of ${connection}…`, false, () =>
    Promise.all([
      loadPoolsAndFamilies(deps.sessions, connection, { timeoutMs }),
      warehouses ? listWarehouses(deps.sessions, connection, timeoutMs) : Promise.resolve(undefined),
      integrations ? listIntegrations(deps.sessions, connection, timeoutMs) : Promise.resolve(undefined),
    ]),
  );
  if (!pools.ok) {
    return { ok: false, message: `The compute pools of ${connection} could not be listed (${pools.error.kind}): ${pools.error.message} Nothing was deployed.` };
  }
  for (const warning of pools.value.warnings) deps.log.warn(`Deploy: ${warning}`);
  if (warehouseList !== undefined && !warehouseList.ok) {
    deps.log.warn(`Deploy: SHOW WAREHOUSES failed (${oneLine(warehouseList.error.message)}); the query warehouse step is skipped and the remembered one is kept.`);
  }
  if (integrationList !== undefined && !integrationList.ok) {
    deps.log.warn(
      `Deploy: external access integrations cannot be listed here (${integrationList.error.code ? `${integrationList.error.code}: ` : ''}${oneLine(integrationList.error.message)}); the integrations step is skipped and the remembered ones are kept.`,
    );
  }
  return {
    ok: true,
    value: {
      listed: pools.value,
      warehouses: warehouseList?.ok ? warehouseList.value : undefined,
      integrations: integrationList?.ok ? integrationList.value : undefined,
    },
  };
}

/** The spec as the pool fit sees it: rendered with the values given so far (defaults fill the rest), parsed once. */
function renderedFor(spec: RunSpec, choices: RememberedChoices): SpecDocument {
  return spec.parse(renderedSpec(spec.text, choices.templateValues));
}

async function askPool(deps: FlowDeps, spec: RunSpec, choices: RememberedChoices, listed: PoolsAndFamilies): Promise<PoolInfo> {
  if (listed.pools.length === 0) {
    throw new Cancelled('The role of this connection sees no compute pool: create one (CREATE COMPUTE POOL) or use a role with USAGE on one. Nothing was deployed.');
  }
  const rendered = renderedFor(spec, choices);
  const options = listed.pools.map((pool) => ({ pool, fit: poolFit(rendered, pool, listed.families) }));
  const notes = listed.families.source === 'offline' ? ['Capacities come from the built-in instance family table.'] : [];
  const picked = await deps.ui.pickPool(options, choices.pool, notes);
  if (picked === undefined) throw cancelled('a compute pool');
  return picked;
}

async function askTemplateValues(deps: FlowDeps, spec: SpecInput, choices: RememberedChoices, askAll: boolean, only?: readonly string[]): Promise<RememberedChoices> {
  const values: Record<string, TemplateValue> = { ...(choices.templateValues ?? {}) };
  for (const variable of analyzeTemplate(spec.text).variables) {
    const missing = values[variable.name] === undefined && variable.defaultValue === undefined;
    const wanted = only ? only.includes(variable.name) : askAll || missing;
    if (!wanted) continue;
    const answer = await deps.ui.askTemplateValue(variable, values[variable.name]);
    if (answer === undefined) throw cancelled(`a value for {{ ${variable.name} }}`);
    if (answer === '' && variable.defaultValue !== undefined) delete values[variable.name];
    else values[variable.name] = answer;
  }
  return { ...choices, templateValues: values };
}

async function askWarehouse(deps: FlowDeps, choices: RememberedChoices, warehouses: readonly string[] | undefined): Promise<RememberedChoices> {
  if (warehouses === undefined) return choices;
  const picked = await deps.ui.pickWarehouse(warehouses, choices.queryWarehouse);
  if (picked === undefined) throw cancelled('a query warehouse');
  return picked.warehouse === undefined ? withoutKey(choices, 'queryWarehouse') : { ...choices, queryWarehouse: picked.warehouse };
}

async function askIntegrations(deps: FlowDeps, choices: RememberedChoices, integrations: readonly string[] | undefined): Promise<RememberedChoices> {
  if (integrations === undefined) return { ...choices, externalAccessIntegrations: choices.externalAccessIntegrations ?? [] };
  if (integrations.length === 0) {
    deps.log.info('Deploy: the role can use no external access integration; the step is skipped.');
    return { ...choices, externalAccessIntegrations: [] };
  }
  const picked = await deps.ui.pickIntegrations(integrations, choices.externalAccessIntegrations ?? []);
  if (picked === undefined) throw cancelled('the external access integrations');
  return { ...choices, externalAccessIntegrations: [...picked] };
}

function withoutKey<K extends keyof RememberedChoices>(choices: RememberedChoices, key: K): RememberedChoices {
  const copy: Partial<Record<keyof RememberedChoices, unknown>> = { ...choices };
  delete copy[key];
  return copy as RememberedChoices;
}

/** Qualifies the target with the connection's current database and schema when the choices leave them out. */
async function qualified(deps: FlowDeps, connection: string, database: string | undefined, schema: string | undefined): Promise<{ ok: true; database: string; schema: string } | { ok: false; message: string }> {
  if (database !== undefined && schema !== undefined) return { ok: true, database, schema };
  const current = await currentDatabaseAndSchema(deps.sessions, connection, deps.queryTimeoutMs);
  if (!current.ok) return { ok: false, message: `The current database and schema of ${connection} could not be read (${current.error.kind}): ${current.error.message}` };
  const db = database ?? current.value.database;
  const sc = schema ?? current.value.schema;
  if (db === undefined || sc === undefined) {
    return { ok: false, message: `The connection ${connection} has no current ${db === undefined ? 'database' : 'schema'}: set 'database' and 'schema' in its connection settings so the service has a place to live.` };
  }
  return { ok: true, database: db, schema: sc };
}

async function planAndApply(deps: FlowDeps, request: DeployRequest, spec: RunSpec, initial: RememberedChoices, listed: PoolsAndFamilies, interactive: boolean): Promise<DeployOutcome> {
  let choices = initial;
  let plan: Extract<DeployPlan, { ok: true }> | undefined;
  let connection = '';
  for (;;) {
    if (!isComplete(choices)) return report(deps, spec, { state: 'error', message: 'The deploy choices are incomplete; run "SPCS: Deploy Service With New Choices…".' });
    connection = choices.connection;
    const where = await qualified(deps, connection, choices.database, choices.schema);
    if (!where.ok) return report(deps, spec, { state: 'error', message: `${where.message} Nothing was deployed.` });
    const full: DeployChoices = { ...choices, database: where.database, schema: where.schema };
    const pool = listed.pools.find((candidate) => candidate.name === full.pool);
    const fit = pool ? poolFit(renderedFor(spec, full), pool, listed.families) : undefined;
    const fittingPools = fit?.fits === 'no' ? fittingPoolNames(spec, full, listed, full.pool) : [];
    let existing;
    const resolved = serviceTarget(full);
    if (resolved.ok) {
      const described = await describeExistingService(deps.sessions, connection, resolved.target, { timeoutMs: deps.queryTimeoutMs });
      if (!described.ok) {
        return report(deps, spec, { state: 'error', message: `DESCRIBE SERVICE ${targetText(resolved.target)} failed (${described.error.kind}): ${described.error.message} Nothing was deployed.` });
      }
      existing = described.value;
    }
    const planned = planDeploy({ specText: spec.text, specUri: spec.uri, diagnostics: spec.diagnostics, parse: spec.parse, choices: full, existing, fittingPools, ...(fit === undefined ? {} : { poolFit: fit }) });
    if (planned.ok) {
      plan = planned;
      break;
    }
    const refusal = planned.refusal;
    if (refusal.kind === 'missingTemplateValues' && interactive) {
      choices = await askTemplateValues(deps, spec, choices, false, refusal.missing ?? []);
      continue;
    }
    const next = await answerRefusal(deps, spec, refusal, choices, listed, interactive);
    if (next === undefined) return { state: 'refused', refusal, message: refusal.message };
    choices = { ...choices, pool: next };
  }

  const shown = targetText(plan.target);
  const service: ServiceRef = { connection, database: plan.target.database ?? '', schema: plan.target.schema ?? '', name: plan.target.name };
  const computePool = choices.pool ?? '';
  for (const warning of plan.warnings) deps.log.warn(`Deploy ${shown}: ${warning}`);

  let toApply = plan;
  if (plan.action === 'upgrade') {
    if (plan.diff && !plan.diff.changed) {
      if (plan.sql.length === 1) {
        // Nothing to send, but the service is what these choices describe: the next deploy starts from them.
        await deps.store.set(spec.uri, choices);
        return report(deps, spec, { state: 'upToDate', service, computePool, message: `${shown} is already up to date: the deployed spec is the same as the local one, and its settings match.` });
      }
      // Only the properties changed: set them, leave the spec (and the running instances) as they are.
      toApply = { ...plan, sql: plan.sql.slice(0, -1), summary: `Update the properties of ${shown} (the spec is unchanged).` };
    }
  }
  const stopped = await preflightStep(deps, connection, toApply, choices, spec, interactive);
  if (stopped) return stopped;
  if (toApply.action === 'upgrade' && request.confirmUpgrade !== true) {
    const confirmed = await deps.ui.confirmUpgrade(toApply);
    if (!confirmed) return report(deps, spec, { state: 'cancelled', message: `Cancelled: ${shown} was not changed.` });
  }

  // Sent from here on: these are the choices the next deploy starts from (a refused or cancelled
  // deploy never gets here, so its pool is not remembered).
  await deps.store.set(spec.uri, choices);
  deps.log.info(`Deploy: ${toApply.summary}`);
  const applied = await deps.ui.progress(`${toApply.action === 'create' ? 'Creating' : 'Upgrading'} ${shown}…`, false, () =>
    applyPlan(deps.sessions, connection, toApply, { timeoutMs: Math.max(deps.queryTimeoutMs, 30_000) }),
  );
  if (applied.applied.length > 0 || applied.state === 'unknown') {
    deps.changed({ scope: 'service', service, computePool });
    if (toApply.action === 'upgrade') deps.ui.upgradeSent?.(toApply);
  }
  if (!applied.ok) {
    const halfDeployed = applied.state === 'partial' || applied.state === 'unknown';
    return report(deps, spec, { state: 'notApplied', service, apply: applied, halfDeployed, message: halfDeployed ? `Half-deployed: ${applied.message}` : applied.message });
  }
  const appliedMessage = toApply === plan ? applied.message : `The properties of ${shown} were updated; its spec is unchanged.`;
  if (!toApply.expectReady) {
    return report(deps, spec, { state: 'deployed', action: toApply.action, service, computePool, readiness: undefined, halfDeployed: false, warnings: toApply.warnings, message: appliedMessage });
  }
  deps.log.info(`Deploy: ${appliedMessage}`);

  const scheduler = backingOff(deps.scheduler ?? realTimeScheduler, deps.pollMs ?? 5000);
  const readiness = await deps.ui.progress(`Waiting for ${shown} to be ready (Cancel stops watching; the service keeps starting)`, true, (progress, signal) =>
    watchReadiness(deps.sessions, connection, targetObject(toApply.target), {
      signal,
      scheduler,
      pollMs: deps.pollMs ?? 5000,
      timeoutMs: deps.readinessTimeoutMs,
      statementTimeoutMs: deps.queryTimeoutMs,
      action: toApply.action,
      spec: { text: spec.text, uri: spec.uri, document: spec.parse(spec.text) },
      onProgress: (step) => progress.report(step.message),
    }),
  );
  deps.changed({ scope: 'service', service, computePool });
  if (readiness.state === 'failed') {
    for (const line of triageLines(readiness.triage)) deps.log.error(line);
  }
  const halfDeployed = readiness.state === 'failed' || readiness.state === 'error';
  const message = halfDeployed ? `Half-deployed: ${readiness.message}` : readiness.message;
  return report(deps, spec, { state: 'deployed', action: toApply.action, service, computePool, readiness, halfDeployed, warnings: toApply.warnings, message });
}

/** A catalog older than this is read again before grants are reported missing. */
const catalogRecheckMs = 60_000;

/**
 * The privilege preflight before anything is sent: nothing missing → on silently; the catalog
 * unavailable → said (log, and a notification the flow does not wait on) and on; grants missing →
 * in an interactive deploy the modal decides, in automation the missing grants are logged and the
 * deploy goes on (Snowflake has the last word). Returns the outcome when the deploy stops.
 */
export async function preflightStep(
  deps: FlowDeps,
  connection: string,
  plan: Extract<DeployPlan, { ok: true }>,
  choices: RememberedChoices,
  spec: SpecInput,
  interactive: boolean,
): Promise<DeployOutcome | undefined> {
  const read = deps.catalog;
  if (read === undefined) return undefined;
  const shown = targetText(plan.target);
  const readCatalog = async (refresh: boolean) => {
    try {
      return await read(connection, refresh ? { refresh: true } : undefined);
    } catch (error) {
      return { catalog: null, status: { state: 'unavailable', reason: error instanceof Error ? error.message : String(error) } };
    }
  };
  let entry = await readCatalog(false);
  const check = (catalog: AccountCatalog & { readonly role: string }) =>
    preflight(plan.renderedSpec || spec.text, {
      role: catalog.role,
      database: plan.target.database ?? catalog.database ?? '',
      schema: plan.target.schema ?? catalog.schema ?? '',
      computePool: choices.pool ?? '',
      serviceName: plan.target.name,
      operation: plan.action,
      externalAccessIntegrations: choices.externalAccessIntegrations ?? [],
      ...(choices.queryWarehouse === undefined ? {} : { queryWarehouse: choices.queryWarehouse }),
    }, catalog);
  const catalog = entry.catalog;
  if (catalog === null || catalog.role === undefined || catalog.grants === null) {
    const why = catalog === null ? (entry.status.reason ?? 'the account catalog is unavailable') : catalog.role === undefined ? 'the current role is not known' : 'the grants of the role could not be read';
    const message = `Privileges were not checked before deploying ${shown} (${why.replace(/[.\s]+$/, '')}); deploying anyway.`;
    deps.log.warn(`Deploy: ${message}`);
    deps.ui.preflightSkipped?.(message);
    return undefined;
  }
  let result = check({ ...catalog, role: catalog.role });
  const now = (deps.now?.() ?? new Date()).getTime();
  if (result.missing.length > 0 && entry.fetchedAt !== undefined && now - entry.fetchedAt > catalogRecheckMs) {
    // Grants may have been given since the catalog was read: read it again before claiming they are missing.
    const fresh = await readCatalog(true);
    if (fresh.catalog?.role !== undefined && fresh.catalog.grants !== null) {
      entry = fresh;
      result = check({ ...fresh.catalog, role: fresh.catalog.role });
    }
  }
  if (result.missing.length === 0) return undefined;
  const subject: PreflightSubject = {
    what: `service ${shown} on compute pool ${choices.pool ?? '?'}`,
    connection,
    ...(entry.fetchedAt === undefined ? {} : { catalogReadAt: new Date(entry.fetchedAt).toISOString() }),
  };
  const summary = preflightSummary(result, subject);
  deps.log.warn(`Deploy: ${summary} Missing: ${result.missing.map((grant) => grant.statement).join('; ')}`);
  if (!interactive || deps.ui.confirmMissingPrivileges === undefined) return undefined;
  const answer = await deps.ui.confirmMissingPrivileges(result, subject);
  if (answer === 'deploy') return undefined;
  return report(deps, spec, { state: 'cancelled', message: `Not deployed: ${summary} Nothing was sent.` });
}

/**
 * Every outcome but a refusal (logged when it is shown, `answerRefusal`) goes through here: logged
 * in the output channel, then told to the user.
 */
function report(deps: FlowDeps, spec: SpecInput, outcome: Exclude<DeployOutcome, { state: 'refused' }>): DeployOutcome {
  const line = `Deploy: ${outcome.message}`;
  const failed = outcome.state === 'error' || outcome.state === 'notApplied' || (outcome.state === 'deployed' && outcome.halfDeployed);
  if (failed) deps.log.error(line);
  else deps.log.info(line);
  deps.ui.reportDeploy(outcome, spec);
  return outcome;
}

function refused(deps: FlowDeps, spec: SpecInput, refusal: Refusal): DeployOutcome {
  void tellRefusal(deps, spec, refusal, 'Deploy');
  return { state: 'refused', refusal, message: refusal.message };
}

/** Logs a refusal, then shows it (the log comes first: the notification may stay open). */
function tellRefusal(deps: FlowDeps, spec: SpecInput, refusal: Refusal, what: 'Deploy' | 'Job'): Promise<RefusalAnswer> {
  deps.log.warn(`${what} refused (${refusal.kind}): ${refusal.message}`);
  return deps.ui.showRefusal(refusal, spec);
}

// ---------------------------------------------------------------------------------------------------
// Jobs

export async function runJob(deps: FlowDeps, request: JobRequest): Promise<JobRunOutcome> {
  const spec = runSpec(request.spec);
  const early = earlyRefusal(spec);
  if (early) {
    void tellRefusal(deps, spec, early, 'Job');
    return { state: 'refused', refusal: early, message: early.message };
  }
  const remembered = deps.store.get(spec.uri);
  const given = request.given ?? {};
  const now = deps.now?.() ?? new Date();
  const interactive = !(given.connection !== undefined && given.pool !== undefined && given.jobName !== undefined);
  try {
    let connection = given.connection ?? remembered.connection;
    const known = deps.connections();
    if (given.connection === undefined && connection !== undefined && known !== undefined && !known.includes(connection)) connection = undefined;
    if (connection === undefined) {
      connection = await deps.ui.pickConnection();
      if (connection === undefined) throw cancelled('a connection');
    }
    const listings = await loadListings(deps, connection, false, false);
    if (!listings.ok) return reportJob(deps, spec, { state: 'error', message: listings.message.replace('Nothing was deployed.', 'No job was started.') });
    const { listed } = listings.value;

    let choices: RememberedChoices = { ...remembered, connection, ...(given.templateValues ? { templateValues: given.templateValues } : {}) };
    if (interactive) choices = await askTemplateValues(deps, spec, choices, false);
    const picked = given.pool === undefined;
    choices = { ...choices, pool: given.pool ?? (await askPool(deps, spec, choices, listed)).name };
    const fitted = await settlePoolFit(deps, spec, choices, listed, interactive, picked, 'Job');
    if (!fitted.ok) return { state: 'refused', refusal: fitted.refusal, message: fitted.refusal.message };
    choices = fitted.choices;
    let pool = choices.pool ?? '';
    let answers: JobAnswers = {
      jobName: given.jobName ?? defaultJobName(spec.uri, now),
      async: given.async ?? remembered.job?.async ?? false,
      replicas: given.replicas ?? remembered.job?.replicas ?? 1,
    };
    if (interactive) {
      const asked = await deps.ui.askJob(answers);
      if (asked === undefined) throw cancelled('the job options');
      answers = asked;
    }
    choices = { ...choices, pool, job: { async: answers.async, replicas: answers.replicas } };

    let plan: Extract<JobPlan, { ok: true }> | undefined;
    let service: ServiceRef | undefined;
    for (;;) {
      const where = await qualified(deps, connection, given.database ?? choices.database, given.schema ?? choices.schema);
      if (!where.ok) return reportJob(deps, spec, { state: 'error', message: `${where.message} The job was not started.` });
      const jobChoices: JobChoices = {
        connection,
        pool,
        jobName: answers.jobName,
        database: where.database,
        schema: where.schema,
        async: answers.async,
        replicas: answers.replicas,
        externalAccessIntegrations: given.externalAccessIntegrations ?? choices.externalAccessIntegrations ?? [],
        templateValues: choices.templateValues ?? {},
        ...((given.queryWarehouse ?? choices.queryWarehouse) === undefined ? {} : { queryWarehouse: given.queryWarehouse ?? choices.queryWarehouse }),
      };
      const poolInfo = listed.pools.find((candidate) => candidate.name === pool);
      const fit = poolInfo ? poolFit(renderedFor(spec, choices), poolInfo, listed.families) : undefined;
      const fittingPools = fit?.fits === 'no' ? fittingPoolNames(spec, choices, listed, pool) : [];
      let existing;
      const resolved = serviceTarget({ serviceName: jobChoices.jobName, database: where.database, schema: where.schema }, 'job');
      if (resolved.ok) {
        const described = await describeExistingService(deps.sessions, connection, resolved.target, { timeoutMs: deps.queryTimeoutMs });
        if (!described.ok) return reportJob(deps, spec, { state: 'error', message: `DESCRIBE SERVICE ${targetText(resolved.target)} failed (${described.error.kind}): ${described.error.message} The job was not started.` });
        existing = described.value;
      }
      const planned = planJob({ specText: spec.text, specUri: spec.uri, diagnostics: spec.diagnostics, parse: spec.parse, choices: jobChoices, existing, fittingPools, ...(fit === undefined ? {} : { poolFit: fit }) });
      if (planned.ok) {
        plan = planned;
        service = { connection, database: planned.target.database ?? where.database, schema: planned.target.schema ?? where.schema, name: planned.target.name };
        break;
      }
      const refusal = planned.refusal;
      if (refusal.kind === 'missingTemplateValues' && interactive) {
        choices = await askTemplateValues(deps, spec, choices, false, refusal.missing ?? []);
        continue;
      }
      const next = await answerRefusal(deps, spec, refusal, choices, listed, interactive, 'Job');
      if (next === undefined) return { state: 'refused', refusal, message: refusal.message };
      pool = next;
      choices = { ...choices, pool };
    }

    const shown = targetText(plan.target);
    for (const warning of plan.warnings) deps.log.warn(`Job ${shown}: ${warning}`);
    deps.log.info(`Job: ${plan.summary}`);
    const scheduler = backingOff(deps.scheduler ?? realTimeScheduler, deps.pollMs ?? 5000);
    const jobPlan = plan;
    // Sent from here on: remembered for the next run (a refused or cancelled one is not).
    await deps.store.set(spec.uri, choices);
    const outcome = await deps.ui.progress(`Running job ${shown} (Cancel stops following; you are then asked whether to cancel the job)`, true, (progress, signal) =>
      executeJob(deps.sessions, connection, jobPlan, {
        signal,
        scheduler,
        pollMs: deps.pollMs ?? 5000,
        ...(deps.jobTimeoutMs === undefined ? {} : { timeoutMs: deps.jobTimeoutMs }),
        statementTimeoutMs: deps.queryTimeoutMs,
        spec: { text: spec.text, uri: spec.uri, document: spec.parse(spec.text) },
        onProgress: (step) => progress.report(step.message),
        onLog: (lines) => deps.ui.jobLog(shown, lines),
      }),
    );
    deps.changed({ scope: 'service', service, computePool: pool });
    if (outcome.state === 'failed') for (const line of triageLines(outcome.triage)) deps.log.error(line);
    let cancelRequested = false;
    let message = outcome.message;
    if (outcome.state === 'stopped' && interactive && (await deps.ui.confirmCancelJob(shown))) {
      const result = await cancelJob(deps.sessions, connection, plan.target, { timeoutMs: deps.queryTimeoutMs });
      cancelRequested = result.ok;
      message = result.ok ? `Job ${shown} is being cancelled in Snowflake (CANCELLING, then CANCELLED).` : `Job ${shown} could not be cancelled (${result.error.kind}): ${result.error.message} It keeps running.`;
      deps.changed({ scope: 'service', service, computePool: pool });
    }
    if (outcome.state === 'done') deps.log.info(`Job: ${message}`);
    else deps.log.warn(`Job: ${message}`);
    return reportJob(deps, spec, { state: 'ran', job: service, computePool: pool, outcome, cancelRequested, message });
  } catch (error) {
    if (error instanceof Cancelled) {
      const message = error.message.replace('nothing was deployed', 'no job was started').replace('Nothing was deployed', 'No job was started');
      deps.log.info(`Job: ${message}`);
      return { state: 'cancelled', message };
    }
    throw error;
  }
}

function reportJob(deps: FlowDeps, spec: SpecInput, outcome: JobRunOutcome): JobRunOutcome {
  if (outcome.state === 'error') deps.log.error(`Job: ${outcome.message}`);
  deps.ui.reportJob(outcome, spec);
  return outcome;
}
