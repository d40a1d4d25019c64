/**
 * Scripted stand-ins for the questions of the compute pool, image repository and serving flows:
 * each answers from a script, records what it was asked and shown, and fails the test on a question
 * the script did not expect. Shared by computePools, imageRepositoryActions and serveModel tests.
 */

import type { RepositoryUi } from '../../client/src/imageRegistry/imageRepositoryActions';
import type { DeployOutcome, DeployUi, JobAnswers, JobRunOutcome, RefusalAnswer } from '../../client/src/deploy/flowContract';
import { deserializeChoices, serializeChoices, type ChoiceStore, type RememberedChoices } from '../../client/src/specs/deployChoices';
import type { Refusal } from '../../client/src/deploy/plans';
import type { JobLogLine } from '../../client/src/deploy/executeJob';
import type { PoolInfo } from '../../client/src/deploy/poolFit';
import type { Scheduler } from '../../client/src/deploy/readiness';
import type { ProjectFile } from '../../client/src/serving/renderTemplate';
import type { ServeRun, StepRow, TemplateChoice } from '../../client/src/serving/serveRun';
import type { CommandScript, FunctionAnswer, FunctionQuestion, ImageQuestion, RepositoryOption, ServeOutcome, ServePoolOption, ServeStore, ServeUi, TemplateOption, TemplateQuestion } from '../../client/src/serving/serveUi';
import type { ServingTemplate } from '../../client/src/serving/templateCatalog';
import type { FamilyRow } from '../../client/src/pools/familyRows';
import type { NodeRange, PoolUi, PoolWorkload, TypedConfirmation } from '../../client/src/pools/poolUi';

export class ScriptedPoolUi implements PoolUi {
  readonly asked: string[] = [];
  readonly familyRows: (readonly FamilyRow[])[] = [];
  readonly familyNotes: (readonly string[])[] = [];
  readonly confirmations: TypedConfirmation[] = [];
  readonly statements: { summary: string; statement: string }[] = [];
  readonly stopAllOffers: { pool: string; services: readonly PoolWorkload[]; hidden: number; jobs: readonly PoolWorkload[] }[] = [];
  answers: {
    family?: string;
    name?: string;
    nodes?: NodeRange;
    autoResume?: boolean;
    autoSuspendSecs?: number;
    initiallySuspended?: boolean;
    comment?: string;
    confirmStatement?: boolean;
    typedName?: string;
    stopAllFirst?: boolean;
  } = {};
  /** The check functions the UI was given, by question (to test the InputBox validations). */
  readonly checks = new Map<string, (text: string) => string | undefined>();

  private answer<T>(question: string, value: T | undefined): Promise<T | undefined> {
    this.asked.push(question);
    return Promise.resolve(value);
  }

  pickFamily(rows: readonly FamilyRow[], notes: readonly string[]): Promise<FamilyRow | undefined> {
    this.familyRows.push(rows);
    this.familyNotes.push(notes);
    this.asked.push('family');
    if (this.answers.family === undefined) return Promise.resolve(undefined);
    const row = rows.find((candidate) => candidate.name === this.answers.family);
    if (row === undefined) throw new Error(`the script picks ${this.answers.family}, which is not offered (${rows.map((each) => each.name).join(', ')})`);
    return Promise.resolve(row);
  }
  askName(current: string, check: (text: string) => string | undefined): Promise<string | undefined> {
    this.checks.set('name', check);
    return this.answer(`name (current ${current})`, this.answers.name);
  }
  askNodes(current: NodeRange, check: (text: string) => string | undefined): Promise<NodeRange | undefined> {
    this.checks.set('nodes', check);
    return this.answer(`nodes (current ${current.min}-${current.max})`, this.answers.nodes);
  }
  askAutoResume(current: boolean): Promise<boolean | undefined> {
    return this.answer(`autoResume (current ${current})`, this.answers.autoResume);
  }
  askAutoSuspendSecs(current: number, check: (text: string) => string | undefined): Promise<number | undefined> {
    this.checks.set('autoSuspend', check);
    return this.answer(`autoSuspend (current ${current})`, this.answers.autoSuspendSecs);
  }
  askInitiallySuspended(current: boolean): Promise<boolean | undefined> {
    return this.answer(`initiallySuspended (current ${current})`, this.answers.initiallySuspended);
  }
  askComment(current: string): Promise<string | undefined> {
    return this.answer(`comment (current '${current}')`, this.answers.comment);
  }
  confirmStatement(summary: string, statement: string): Promise<boolean> {
    this.statements.push({ summary, statement });
    this.asked.push('confirmStatement');
    return Promise.resolve(this.answers.confirmStatement ?? false);
  }
  askTypedName(confirmation: TypedConfirmation): Promise<string | undefined> {
    this.confirmations.push(confirmation);
    return this.answer(`typedName ${confirmation.name}`, this.answers.typedName);
  }
  chooseStopAllFirst(pool: string, services: readonly PoolWorkload[], hidden: number, jobs: readonly PoolWorkload[]): Promise<boolean> {
    this.stopAllOffers.push({ pool, services, hidden, jobs });
    this.asked.push(`stopAllFirst ${pool}`);
    return Promise.resolve(this.answers.stopAllFirst ?? false);
  }
  progress<T>(_title: string, task: () => Promise<T>): Promise<T> {
    return task();
  }
}

export class ScriptedRepositoryUi implements RepositoryUi {
  readonly asked: string[] = [];
  readonly confirmations: TypedConfirmation[] = [];
  readonly statements: { summary: string; statement: string }[] = [];
  checkName: ((text: string) => string | undefined) | undefined;
  answers: { name?: string; confirmStatement?: boolean; typedName?: string } = {};

  askRepositoryName(current: string, check: (text: string) => string | undefined): Promise<string | undefined> {
    this.checkName = check;
    this.asked.push(`name (current ${current})`);
    return Promise.resolve(this.answers.name);
  }
  confirmStatement(summary: string, statement: string): Promise<boolean> {
    this.statements.push({ summary, statement });
    this.asked.push('confirmStatement');
    return Promise.resolve(this.answers.confirmStatement ?? false);
  }
  askTypedName(confirmation: TypedConfirmation): Promise<string | undefined> {
    this.confirmations.push(confirmation);
    this.asked.push(`typedName ${confirmation.name}`);
    return Promise.resolve(this.answers.typedName);
  }
  progress<T>(_title: string, task: () => Promise<T>): Promise<T> {
    return task();
  }
}

/** A log that keeps its lines (`info …`, `warn …`, `error …`). */
export function memoryLog(): { lines: string[]; info(line: string): void; warn(line: string): void; error(line: string): void } {
  const lines: string[] = [];
  return { lines, info: (line) => void lines.push(`info ${line}`), warn: (line) => void lines.push(`warn ${line}`), error: (line) => void lines.push(`error ${line}`) };
}

/**
 * The deploy flow's UI for runs with complete choices (automation, and Serve a Model): nothing is
 * asked, so any question fails the test; progress runs its task (Cancel pressed at the first report
 * when `cancelAtFirstReport` holds); outcomes are recorded.
 */
export class AutomationDeployUi implements DeployUi {
  readonly reports: (DeployOutcome | JobRunOutcome)[] = [];
  readonly refusals: Refusal[] = [];
  readonly progressTitles: string[] = [];
  readonly jobLines: JobLogLine[] = [];
  /** Presses Cancel on the next cancellable progress at its first report (then resets). */
  cancelAtFirstReport = false;
  /** Answers an upgrade confirmation (an edited spec redeployed). */
  upgrade: boolean | undefined;

  private unexpected(question: string): never {
    throw new Error(`unexpected deploy question in automation: ${question}`);
  }
  pickConnection(): Promise<string | undefined> {
    return this.unexpected('connection');
  }
  pickPool(): Promise<PoolInfo | undefined> {
    return this.unexpected('pool');
  }
  askServiceName(): Promise<string | undefined> {
    return this.unexpected('service name');
  }
  askInstances(): Promise<{ min: number; max: number } | undefined> {
    return this.unexpected('instances');
  }
  pickWarehouse(): Promise<{ warehouse: string | undefined } | undefined> {
    return this.unexpected('warehouse');
  }
  pickIntegrations(): Promise<readonly string[] | undefined> {
    return this.unexpected('integrations');
  }
  askAutoResume(): Promise<boolean | undefined> {
    return this.unexpected('auto-resume');
  }
  askTemplateValue(): Promise<string | undefined> {
    return this.unexpected('template value');
  }
  askJob(): Promise<JobAnswers | undefined> {
    return this.unexpected('job');
  }
  confirmUpgrade(): Promise<boolean> {
    if (this.upgrade === undefined) return this.unexpected('upgrade');
    return Promise.resolve(this.upgrade);
  }
  confirmCancelJob(): Promise<boolean> {
    return this.unexpected('cancel job');
  }
  showRefusal(refusal: Refusal): Promise<RefusalAnswer> {
    this.refusals.push(refusal);
    return Promise.resolve(undefined);
  }
  confirmUncertainFit(): Promise<'deploy' | 'pickAnotherPool' | undefined> {
    return this.unexpected('uncertain fit');
  }
  progress<T>(title: string, cancellable: boolean, task: (progress: { report(message: string): void }, signal: AbortSignal) => Promise<T>): Promise<T> {
    this.progressTitles.push(title);
    const controller = new AbortController();
    const cancel = cancellable && this.cancelAtFirstReport;
    if (cancel) this.cancelAtFirstReport = false;
    return task({ report: () => (cancel ? controller.abort() : undefined) }, controller.signal);
  }
  reportDeploy(outcome: DeployOutcome): void {
    this.reports.push(outcome);
  }
  reportJob(outcome: JobRunOutcome): void {
    this.reports.push(outcome);
  }
  jobLog(_job: string, lines: readonly JobLogLine[]): void {
    this.jobLines.push(...lines);
  }
}

/** Deploy choices kept as workspace state keeps them (serialized). */
export class MemoryChoiceStore implements ChoiceStore {
  readonly saved = new Map<string, unknown>();
  get(uri: string): RememberedChoices {
    return deserializeChoices(this.saved.get(uri));
  }
  set(uri: string, choices: RememberedChoices): Promise<void> {
    this.saved.set(uri, JSON.parse(JSON.stringify(serializeChoices(choices))));
    return Promise.resolve();
  }
}

/** Emulated time: waiting advances the emulator's clock. */
export function emulatedScheduler(clock: { now(): number; advance(ms: number): void }): Scheduler {
  return {
    now: () => clock.now(),
    wait: (ms, signal) => {
      if (signal?.aborted) return Promise.resolve('cancelled');
      clock.advance(ms);
      return Promise.resolve('elapsed');
    },
  };
}

/** "Serve a Model…"'s questions, answered from a script; files are kept in memory. */
export class ScriptedServeUi implements ServeUi {
  readonly asked: string[] = [];
  readonly shown: { rows: readonly StepRow[]; note?: string }[] = [];
  readonly poolOptions: (readonly ServePoolOption[])[] = [];
  readonly templateOptions: (readonly TemplateOption[])[] = [];
  readonly templateQuestions: TemplateQuestion[] = [];
  readonly imageQuestions: ImageQuestion[] = [];
  readonly scripts: CommandScript[] = [];
  readonly functionQuestions: FunctionQuestion[] = [];
  readonly sql: string[] = [];
  readonly endpoints: { endpoint: string; url: string }[] = [];
  readonly outcomes: ServeOutcome[] = [];
  readonly waitMessages: string[] = [];
  readonly files = new Map<string, string>();
  readonly pools = new ScriptedPoolUi();
  readonly repositories = new ScriptedRepositoryUi();
  answers: {
    connection?: string;
    /** A pool's name, or 'create'. */
    pool?: string;
    template?: string;
    /** Changes to the template step's pre-filled answer. */
    templateChoice?: (current: TemplateChoice) => TemplateChoice | undefined;
    /** DB.SCHEMA.NAME, or 'create'. */
    repository?: string;
    image?: { tag: string; build: boolean };
    /** What "running" the build and push does (the test pushes the image into the emulator). */
    runCommands?: (script: CommandScript) => 'ran' | 'copied' | undefined;
    /** What the user does while the push is not found yet (the test may push the image then). */
    waitForPush?: () => 'check' | undefined;
    serviceFunction?: FunctionAnswer | 'skip';
  } = {};

  showSteps(rows: readonly StepRow[], note?: string): void {
    this.shown.push({ rows, ...(note === undefined ? {} : { note }) });
  }
  pickConnection(): Promise<string | undefined> {
    this.asked.push('connection');
    return Promise.resolve(this.answers.connection);
  }
  pickPool(options: readonly ServePoolOption[]): Promise<{ readonly pool: string } | 'create' | undefined> {
    this.poolOptions.push(options);
    this.asked.push('pool');
    const answer = this.answers.pool;
    return Promise.resolve(answer === undefined || answer === 'create' ? answer : { pool: answer });
  }
  pickTemplate(options: readonly TemplateOption[]): Promise<ServingTemplate | undefined> {
    this.templateOptions.push(options);
    this.asked.push('template');
    return Promise.resolve(options.find((option) => option.template.id === this.answers.template)?.template);
  }
  askTemplate(question: TemplateQuestion): Promise<TemplateChoice | undefined> {
    this.templateQuestions.push(question);
    this.asked.push(`templateSettings${question.problem ? ` (${question.problem})` : ''}`);
    return Promise.resolve(this.answers.templateChoice?.(question.current));
  }
  pickRepository(repositories: readonly RepositoryOption[]): Promise<RepositoryOption | 'create' | undefined> {
    this.asked.push('repository');
    const answer = this.answers.repository;
    if (answer === undefined || answer === 'create') return Promise.resolve(answer);
    return Promise.resolve(repositories.find((repository) => `${repository.database}.${repository.schema}.${repository.name}` === answer));
  }
  pickImage(question: ImageQuestion): Promise<{ readonly tag: string; readonly build: boolean } | undefined> {
    this.imageQuestions.push(question);
    this.asked.push('image');
    return Promise.resolve(this.answers.image);
  }
  writeProject(files: readonly ProjectFile[], suggestedFolder: string): Promise<{ readonly folder: string; readonly specUri: string } | undefined> {
    this.asked.push(`writeProject ${suggestedFolder}`);
    const folder = `memory:///${suggestedFolder}`;
    for (const file of files) this.files.set(`${folder}/${file.path}`, file.content);
    const spec = files.find((file) => file.path.endsWith('.spcs.yaml'));
    return Promise.resolve({ folder, specUri: `${folder}/${spec?.path ?? 'service.spcs.yaml'}` });
  }
  readSpec(specUri: string): Promise<string | undefined> {
    return Promise.resolve(this.files.get(specUri));
  }
  runCommands(script: CommandScript): Promise<'ran' | 'copied' | undefined> {
    this.scripts.push(script);
    this.asked.push('runCommands');
    return Promise.resolve(this.answers.runCommands?.(script));
  }
  waitForPush(target: string, message: string): Promise<'check' | undefined> {
    this.asked.push(`waitForPush ${target}`);
    this.waitMessages.push(message);
    return Promise.resolve(this.answers.waitForPush?.());
  }
  askServiceFunction(question: FunctionQuestion): Promise<FunctionAnswer | 'skip' | undefined> {
    this.functionQuestions.push(question);
    this.asked.push('serviceFunction');
    return Promise.resolve(this.answers.serviceFunction);
  }
  openSql(sqlText: string): Promise<void> {
    this.sql.push(sqlText);
    return Promise.resolve();
  }
  showEndpoint(endpoint: string, url: string): void {
    this.endpoints.push({ endpoint, url });
  }
  progress<T>(_title: string, _cancellable: boolean, task: (report: (message: string) => void, signal: AbortSignal) => Promise<T>): Promise<T> {
    return task(() => undefined, new AbortController().signal);
  }
  report(outcome: ServeOutcome): void {
    this.outcomes.push(outcome);
  }
}

/** The run's store, kept as workspace state keeps it (JSON). */
export class MemoryServeStore implements ServeStore {
  saved: unknown;
  constructor(initial?: unknown) {
    this.saved = initial;
  }
  get(): unknown {
    return this.saved === undefined ? undefined : JSON.parse(JSON.stringify(this.saved));
  }
  set(run: ServeRun | undefined): Promise<void> {
    this.saved = run === undefined ? undefined : JSON.parse(JSON.stringify(run));
    return Promise.resolve();
  }
}
