/**
 * What the deploy and job flows (`deployFlow.ts`, `jobFlow.ts`) are given and give back: the spec
 * (the editor's text, its diagnostics and its parsed document), every question and message as the
 * injected `DeployUi` (VS Code's is `deployUi.ts`, the tests script one), the sessions and the
 * remembered choices, and the one outcome the user is told about.
 *
 * Types, and the run's spec with its parser. Must not: import `vscode`.
 */

import { type Diagnostic } from 'vscode-languageserver-types';
import { type SpecDocument } from '../../../server/src/service';
import type { AccountChange } from '../model/featureContext';
import { type ChoiceStore, type DeployChoices, type JobChoices } from '../specs/deployChoices';
import { type TemplateVariable } from '../specs/templates';
import { type ApplyOutcome } from './applyPlan';
import { type DeployPlan, type Refusal } from './plans';
import { type JobLogLine, type JobOutcome } from './executeJob';
import { type PoolFit, type PoolInfo } from './poolFit';
import { specParser, type SpecParser } from './specParser';
import { type ReadinessResult, type Scheduler } from './readiness';
import { type TriageHistory } from './triage';
import type { AccountCatalog } from '../../../server/src/lspExtension';
import { type PreflightResult } from '../privileges/preflight';
import type { SnowflakeSessions } from '../snowflake/session';
import type { TemplateValue } from '../snowflake/sql';
import type { ServiceRef } from '../model/nodes';
import { type PreflightSubject } from '../privileges/preflightReport';

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
export interface RunSpec extends SpecInput {
  readonly parse: SpecParser;
}

export function runSpec(spec: SpecInput): RunSpec {
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
  /**
   * `connection`: where the pools are; a UI that can create a pool there offers "Create Compute Pool…"
   * and resolves to the new pool.
   */
  pickPool(options: readonly PoolOption[], current: string | undefined, notes: readonly string[], connection?: string): Promise<PoolInfo | undefined>;
  /**
   * The connection's role sees no compute pool at all: a UI that can create one offers to ("Create
   * Compute Pool…") and resolves to the new pool; undefined when none was created (the deploy then
   * stops and says why).
   */
  offerCreatePool?(connection: string): Promise<PoolInfo | undefined>;
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
  /** The event table's failures and logs for triage (the monitoring room's, wired by features.ts). Absent: triage uses the listings only. */
  readonly triageHistory?: TriageHistory;
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
