/**
 * What "Serve a Model…" is given: its questions (`ServeUi`), where it keeps its run (`ServeStore`),
 * the deploy flow's own dependencies (it deploys through `runDeploy`), the language server's
 * diagnostics of a spec, and the container CLI lookup; and the one outcome it returns.
 *
 * Owns: the contract only. Must not: import `vscode`.
 */

import type { Diagnostic } from 'vscode-languageserver-types';
import type { InstanceFamily } from '../../../server/src/service';
import type { RepositoryUi } from '../imageRegistry/imageRepositoryActions';
import type { Shell, Which } from '../imageRegistry/imageRegistry';
import type { DeployOutcome, FlowDeps, SpecInput } from '../deploy/flowContract';
import type { PoolUi } from '../pools/poolUi';
import type { PoolFit, PoolInfo } from '../deploy/poolFit';
import type { ProjectFile } from './renderTemplate';
import type { ServeRun, StepRow, TemplateChoice } from './serveRun';
import type { ServingTemplate } from './templateCatalog';
import type { TemplateOption } from './templateOptions';

export type { TemplateOption };

/** A pool the run could use, with whether the default serving template fits it. */
export interface ServePoolOption {
  readonly pool: PoolInfo;
  readonly family: InstanceFamily | undefined;
  /** poolFit of the vLLM template sized for the pool's family; undefined when it cannot be sized (a CPU pool). */
  readonly fit: PoolFit | undefined;
  /** Why the serving template cannot run there (no GPU), when it cannot. */
  readonly refusal?: string;
}


/** What the template step asks beyond the template: names, weights, secret, GPUs, integrations. */
export interface TemplateQuestion {
  readonly template: ServingTemplate;
  readonly family: InstanceFamily;
  readonly current: TemplateChoice;
  /** `@DB.SCHEMA.STAGE` the role can see. */
  readonly stages: readonly string[];
  /** GENERIC_STRING secrets the role can see (`DB.SCHEMA.NAME`). */
  readonly secrets: readonly string[];
  readonly integrations: readonly string[];
  /** Why the previous answer was refused (asked again). */
  readonly problem?: string;
}

export interface RepositoryOption {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
  readonly url: string;
}

export interface ImageQuestion {
  readonly repository: RepositoryOption;
  readonly imageName: string;
  /** Tags of that image already pushed, newest first. */
  readonly tags: readonly string[];
  readonly defaultTag: string;
  /** The container CLI found on PATH, or why there is none (the build commands are then to copy). */
  readonly cli: { readonly found: true; readonly name: string } | { readonly found: false; readonly message: string };
}

/** The build and push: the exact commands, shown before anything runs. */
export interface CommandScript {
  readonly title: string;
  /** The folder the commands run in (the project folder). */
  readonly cwd: string;
  readonly lines: readonly string[];
  /** The same, as one line for the shell. */
  readonly oneLine: string;
  /** No container CLI on PATH: only offer to copy them. */
  readonly copyOnly: boolean;
  readonly note?: string;
}

export interface FunctionQuestion {
  readonly service: string;
  readonly endpoint: string;
  readonly name: string;
  readonly signature: string;
  readonly path: string;
  /** Said before the SQL (a model server does not speak the service function format). */
  readonly note?: string;
}

export interface FunctionAnswer {
  readonly name: string;
  readonly signature: string;
  readonly path: string;
  /** Create it now (else the SQL is only opened). */
  readonly run: boolean;
}

/**
 * Every question of the flow. A question resolves to `undefined` when the user cancels: the run
 * stops there, is remembered, and the next run resumes at that step.
 */
export interface ServeUi {
  /** The steps with their marks, whenever one changes; `note` says where a resumed run picks up. */
  showSteps(rows: readonly StepRow[], note?: string): void;
  pickConnection(): Promise<string | undefined>;
  /** A pool that fits, or `create` for a new GPU pool. */
  pickPool(options: readonly ServePoolOption[]): Promise<{ readonly pool: string } | 'create' | undefined>;
  pickTemplate(options: readonly TemplateOption[], pool: string): Promise<ServingTemplate | undefined>;
  askTemplate(question: TemplateQuestion): Promise<TemplateChoice | undefined>;
  pickRepository(repositories: readonly RepositoryOption[]): Promise<RepositoryOption | 'create' | undefined>;
  /** A pushed tag, or a tag to build and push. */
  pickImage(question: ImageQuestion): Promise<{ readonly tag: string; readonly build: boolean } | undefined>;
  /** Writes the files into a project folder (asking which, and what to do with files that differ); resolves to where. */
  writeProject(files: readonly ProjectFile[], suggestedFolder: string): Promise<{ readonly folder: string; readonly specUri: string } | undefined>;
  /** The spec as it is now (the user may have edited it); undefined when the file is gone. */
  readSpec(specUri: string): Promise<string | undefined>;
  /** Shows the exact commands, then runs them in a terminal (`ran`) or copies them (`copied`). */
  runCommands(script: CommandScript): Promise<'ran' | 'copied' | undefined>;
  /** The pushed tag is not in the repository yet: `check` looks again (after the push finished). */
  waitForPush(target: string, message: string): Promise<'check' | undefined>;
  /** `skip`: no service function. */
  askServiceFunction(question: FunctionQuestion): Promise<FunctionAnswer | 'skip' | undefined>;
  /** Opens SQL in an editor (the service function, with its note). */
  openSql(sqlText: string): Promise<void>;
  showEndpoint(endpoint: string, url: string): void;
  /** Runs `task` under a progress notification; `cancellable` adds a Cancel that aborts the signal. */
  progress<T>(title: string, cancellable: boolean, task: (report: (message: string) => void, signal: AbortSignal) => Promise<T>): Promise<T>;
  report(outcome: ServeOutcome): void;
  /** The questions of "Create Compute Pool…" (the pool step offers it). */
  readonly pools: PoolUi;
  /** The questions of "Create Image Repository…" (the image step offers it). */
  readonly repositories: RepositoryUi;
}

/** Where the run is kept between steps and windows (workspace state in VS Code). */
export interface ServeStore {
  get(): unknown;
  set(run: ServeRun | undefined): Promise<void>;
}

export interface ServeDeps {
  /** The deploy flow's dependencies: sessions, log, timeouts, its UI for the deploy itself, the choices store. */
  readonly deploy: FlowDeps;
  readonly ui: ServeUi;
  readonly store: ServeStore;
  /** Our language server's diagnostics of a spec (source spcs), as the editor has them. */
  readonly diagnose: (uri: string, text: string) => readonly Diagnostic[];
  readonly which: Which;
  readonly shell: Shell;
  /** Told about the deploy's outcome (drift records "deployed from this file"); absent: nobody listens. */
  readonly afterDeploy?: (spec: SpecInput, outcome: DeployOutcome) => Promise<void>;
}

export type ServeOutcome =
  | {
      readonly state: 'served';
      readonly run: ServeRun;
      readonly service: string;
      readonly url: string | undefined;
      /** The service function's SQL (opened), and whether it was created. */
      readonly serviceFunction?: { readonly sql: string; readonly created: boolean };
      readonly message: string;
    }
  /** Stopped at a step (cancelled or failed); the next run resumes there. */
  | { readonly state: 'stopped'; readonly run: ServeRun; readonly reason: 'cancelled' | 'failed'; readonly message: string };
