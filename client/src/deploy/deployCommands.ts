/**
 * The deploy commands and the code lens above `spec:`:
 * - `spcs.deploy` (editor title, editor context, code lens): one click with the remembered choices
 *   of the file, asking only what is missing;
 * - `spcs.deployWithNewChoices`: asks every question again, pre-filled with the remembered answers;
 * - `spcs.executeJob`: runs the spec as a job service and follows it to its end.
 *
 * Arguments (for keybindings, scripts and tests): `spcs.deploy(uri?, choices?)` and
 * `spcs.executeJob(uri?, choices?)`, or just `(choices)` (a keybinding's `args`). `uri` is the spec
 * (default: the active editor). `choices` is a
 * `Partial<DeployChoices>` (`connection`, `pool`, `serviceName`, `database`, `schema`,
 * `minInstances`, `maxInstances`, `queryWarehouse`, `externalAccessIntegrations`, `autoResume`,
 * `templateValues`) merged over the remembered ones; when the result is complete (a connection, a
 * pool and the rest) nothing is asked and no notification is waited on. An upgrade is still
 * confirmed in a modal dialog unless `choices.confirmUpgrade` is `true`. For jobs, `choices` is a
 * `Partial<JobChoices>` (`connection`, `pool`, `jobName`, `async`, `replicas`, …); with a
 * connection, a pool and a job name nothing is asked. The commands resolve to the flow's outcome.
 *
 * Owns: turning the editor's document and diagnostics into the flow's input, remembering the
 * choices per spec file in workspace state (and telling `choices.onDidChange` listeners, which send
 * the deploy target to the language server), the code lens (including the deploy target lens, which
 * shows the modeline's target when the spec has one), and the read-only documents of the
 * upgrade diff, and telling the `afterDeploy` listeners (wired in `features.ts`) what each deploy did.
 * The decisions are in `deployFlow.ts`, the dialogs in `deployUi.ts`.
 */

import * as vscode from 'vscode';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { catalogueCode, parseModeline, parseSpecDocument, specLanguageId, validateSpec } from '../../../server/src/service';
import { looksLikeGatewaySpec } from '../../../server/src/service/specDetection';
import type { FeatureContext } from '../model/featureContext';
import type { CommandTable, DeployCommandId } from '../model/commandIds';
import { choicesStateKey, deserializeChoices, isComplete, serializeChoices, type DeployChoices, type JobChoices, type RememberedChoiceStore, type RememberedChoices } from '../specs/deployChoices';
import { runDeploy } from './deployFlow';
import { runJob } from './jobFlow';
import { type DeployOutcome, type FlowDeps, type JobRunOutcome, type SpecInput } from './flowContract';
import type { PoolInfo } from './poolFit';
import type { TriageHistory } from './triage';
import { createDeployUi, DeployedSpecDocuments, deployedSpecScheme } from './deployUi';

export interface DeployFeatures extends vscode.Disposable {
  readonly commands: CommandTable<DeployCommandId>;
  readonly codeLens: vscode.CodeLensProvider;
  /** The remembered choices per spec URI (workspace state); `onDidChange` fires with the spec's URI after each change. */
  readonly choices: RememberedChoiceStore;
  /** The deploy flow's dependencies (its UI, the choices, the timeouts), for a flow that deploys as one of its steps ("Serve a Model"). */
  flowDeps(): FlowDeps;
}

/** Where a spec can live to get the code lens (not `spcs-deployed`, `git`, …). */
const deployableSchemes: ReadonlySet<string> = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

/** The `source` our language server gives its diagnostics (server/src/service/validate.ts). */
const ourDiagnosticSource = 'spcs';

/** Told about each deploy's outcome before the command resolves (drift records "deployed from this file"). */
export type DeployListener = (spec: SpecInput, outcome: DeployOutcome | undefined) => Promise<void>;

export interface DeployFeatureOptions {
  readonly afterDeploy?: readonly DeployListener[];
  /** "Create Compute Pool…" in the pool picker (the pools room). */
  readonly createPool?: (connection: string) => Promise<PoolInfo | undefined>;
  /** What the event table says about failures, for the triage of a failed deploy or job (the monitoring room's). */
  readonly triageHistory?: TriageHistory;
}

export function createDeployFeatures(context: FeatureContext, options: DeployFeatureOptions = {}): DeployFeatures {
  const disposables: vscode.Disposable[] = [];
  const documents = new DeployedSpecDocuments();
  const jobChannel = vscode.window.createOutputChannel('Snowpark Container Services: Jobs');
  const lensesChanged = new vscode.EventEmitter<void>();
  const choicesChanged = new vscode.EventEmitter<string>();
  disposables.push(documents, jobChannel, lensesChanged, choicesChanged, vscode.workspace.registerTextDocumentContentProvider(deployedSpecScheme, documents));
  disposables.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('spcs.deploy.codeLens')) lensesChanged.fire();
    }),
  );

  const state = context.extension.workspaceState;
  const store: RememberedChoiceStore = {
    get: (specUri) => deserializeChoices(state.get(choicesStateKey(specUri))),
    set: async (specUri, choices) => {
      await state.update(choicesStateKey(specUri), serializeChoices(choices));
      lensesChanged.fire();
      choicesChanged.fire(specUri);
    },
    onDidChange: choicesChanged.event,
  };
  const ui = createDeployUi({ log: context.log, documents, connections: context.connections, jobChannel, ...(options.createPool ? { createPool: options.createPool } : {}) });
  const deps = (): FlowDeps => ({
    sessions: context.sessions,
    ui,
    store,
    log: context.log,
    queryTimeoutMs: context.queryTimeoutMs(),
    readinessTimeoutMs: Math.max(30, vscode.workspace.getConfiguration('spcs').get<number>('deploy.readinessTimeout', 600)) * 1000,
    connections: () => {
      const current = context.connections.current();
      return current.ok ? current.value.connections.map((connection) => connection.name) : undefined;
    },
    changed: (change) => context.changed(change),
    catalog: (connection, options) => (options?.refresh ? context.catalogs.refresh(connection) : context.catalogs.get(connection)),
    ...(options.triageHistory ? { triageHistory: options.triageHistory } : {}),
  });

  const deploy = async (mode: 'remembered' | 'ask', args: unknown[]): Promise<DeployOutcome | undefined> => {
    const [uri, choices] = splitArguments(args);
    const spec = await specInput(uri);
    if (!spec) return undefined;
    const given = givenChoices(choices);
    const outcome = await runDeploy(deps(), { spec, mode, ...(given.choices === undefined ? {} : { given: given.choices }), ...(given.confirmUpgrade ? { confirmUpgrade: true } : {}) });
    // E.g. "deployed from this file", what the Services tree compares against (drift).
    for (const listener of options.afterDeploy ?? []) await listener(spec, outcome);
    return outcome;
  };

  const executeJob = async (args: unknown[]): Promise<JobRunOutcome | undefined> => {
    const [uri, choices] = splitArguments(args);
    const spec = await specInput(uri);
    if (!spec) return undefined;
    const given = givenJobChoices(choices);
    return runJob(deps(), { spec, ...(given === undefined ? {} : { given }) });
  };

  const codeLens: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: lensesChanged.event,
    provideCodeLenses: (document) => {
      // Not on read-only views of a spec (the upgrade diff, a git revision): only files can be deployed.
      if (!deployableSchemes.has(document.uri.scheme)) return [];
      if (!vscode.workspace.getConfiguration('spcs', document.uri).get<boolean>('deploy.codeLens', true)) return [];
      // Gateway specs and snowflake.yml have lenses of their own (gateways/, projects/).
      if (document.languageId !== specLanguageId || looksLikeGatewaySpec(document.getText())) return [];
      const line = specLine(document.getText());
      if (line === undefined) return [];
      const range = new vscode.Range(line, 0, line, 0);
      const remembered = store.get(document.uri.toString());
      const title = isComplete(remembered) ? `$(cloud-upload) Deploy to ${remembered.pool} as ${remembered.serviceName.toUpperCase()}` : '$(cloud-upload) Deploy';
      return [
        new vscode.CodeLens(range, { title, command: 'spcs.deploy', arguments: [document.uri], tooltip: 'Deploy this spec (CREATE SERVICE, or ALTER SERVICE … FROM SPECIFICATION after showing the diff)' }),
        new vscode.CodeLens(range, { title: '$(run) Run as Job', command: 'spcs.executeJob', arguments: [document.uri], tooltip: 'Run this spec as a job service (EXECUTE JOB SERVICE) and follow its logs' }),
        new vscode.CodeLens(range, { command: 'spcs.setDeployTarget', arguments: [document.uri], ...targetLens(document.getText(), remembered) }),
      ];
    },
  };

  return {
    commands: {
      'spcs.deploy': (...args: unknown[]) => deploy('remembered', args),
      'spcs.deployWithNewChoices': (...args: unknown[]) => deploy('ask', args),
      'spcs.executeJob': (...args: unknown[]) => executeJob(args),
    },
    codeLens,
    choices: store,
    flowDeps: deps,
    dispose: () => {
      for (const disposable of disposables) disposable.dispose();
    },
  };
}

/**
 * `(uri, choices)` from menus, code lenses and scripts; `(choices)` from a keybinding's `args` (the
 * active editor's spec). Anything else (a menu's extra context object) is not taken for choices.
 */
function splitArguments(args: readonly unknown[]): [vscode.Uri | undefined, unknown] {
  const [first, second] = args;
  if (first instanceof vscode.Uri) return [first, second];
  if (typeof first === 'object' && first !== null && !Array.isArray(first)) return [undefined, first];
  return [undefined, undefined];
}

/**
 * The deploy target lens: "Set deploy target" when neither the modeline nor the remembered choices
 * name a pool or connection, else "Target: POOL on CONNECTION" (the modeline's values win, as in the
 * language server's account checks).
 */
export function targetLens(text: string, remembered: RememberedChoices): { title: string; tooltip: string } {
  const modeline = parseModeline(text);
  const pool = modeline.pool?.value ?? remembered.pool;
  const connection = modeline.connection?.value ?? remembered.connection;
  if (pool === undefined && connection === undefined) {
    return { title: '$(target) Set deploy target', tooltip: 'Choose the connection and compute pool this spec will run in: the account checks use them, and the next deploy starts from them' };
  }
  const fromModeline = modeline.pool !== undefined || modeline.connection !== undefined;
  return {
    title: `$(target) Target: ${pool ?? 'no pool'} on ${connection ?? 'the default connection'}`,
    tooltip: fromModeline
      ? "Set by the '# spcs:' modeline of this file, which wins over the remembered target. Click to change the remembered target."
      : 'The remembered deploy target of this file (the account checks use it). Click to change it.',
  };
}

/** The 0-based line of the top-level `spec:` key. */
export function specLine(text: string): number | undefined {
  const lines = text.split(/\r?\n/);
  const index = lines.findIndex((line) => /^spec\s*:/.test(line));
  return index < 0 ? undefined : index;
}

/** The spec to deploy: the given URI (a code lens, the explorer, an argument), else the active editor. */
async function specInput(arg: vscode.Uri | undefined): Promise<SpecInput | undefined> {
  let document: vscode.TextDocument | undefined;
  if (arg) {
    document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === arg.toString()) ?? (await vscode.workspace.openTextDocument(arg));
  } else {
    document = vscode.window.activeTextEditor?.document;
  }
  if (!document) {
    void vscode.window.showWarningMessage('Open a service specification (a *.spcs.yaml file) to deploy it.');
    return undefined;
  }
  if (!deployableSchemes.has(document.uri.scheme)) {
    void vscode.window.showWarningMessage('This is a read-only view of a spec (a deployed spec, a revision); open the spec file itself to deploy it.');
    return undefined;
  }
  // What is deployed is what is on disk: the drift marks and "Compare with Deployed" compare the
  // saved file with the account. Untitled specs are deployed as they are.
  if (document.isDirty && !document.isUntitled && !(await document.save())) {
    void vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(document.uri)} could not be saved, so it was not deployed. Save it and deploy again.`);
    return undefined;
  }
  const text = document.getText();
  // The published diagnostics, plus the same checks run here on this exact text: a spec opened a
  // moment ago may not have been checked by the language server yet, and an error must never slip
  // through because of that.
  const published = vscode.languages
    .getDiagnostics(document.uri)
    .filter((diagnostic) => diagnostic.source === ourDiagnosticSource)
    .map(toLspDiagnostic);
  // Parsed once here; the deploy goes on with this document (its renderings are parsed once each).
  const parsed = parseSpecDocument(TextDocument.create(document.uri.toString(), specLanguageId, document.version, text));
  const checkedHere = validateSpec(parsed);
  return { uri: document.uri.toString(), text, diagnostics: mergeDiagnostics(published, checkedHere), document: parsed };
}

/** Both lists, without the diagnostics that appear in both (same code, same place). */
function mergeDiagnostics(first: readonly LspDiagnostic[], second: readonly LspDiagnostic[]): LspDiagnostic[] {
  const key = (diagnostic: LspDiagnostic) => `${String(diagnostic.code)}@${diagnostic.range.start.line}:${diagnostic.range.start.character}`;
  const seen = new Set(first.map(key));
  return [...first, ...second.filter((diagnostic) => !seen.has(key(diagnostic)))];
}

function toLspDiagnostic(diagnostic: vscode.Diagnostic): LspDiagnostic {
  // Published codes are short (`gpu-exceeds-family`, with a link): back to the catalogue code the deploy checks know.
  const code = catalogueCode(diagnostic.code) ?? (typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code);
  return {
    range: { start: { line: diagnostic.range.start.line, character: diagnostic.range.start.character }, end: { line: diagnostic.range.end.line, character: diagnostic.range.end.character } },
    // vscode's severities start at 0 (Error), the LSP's at 1.
    severity: (diagnostic.severity + 1) as LspDiagnostic['severity'],
    message: diagnostic.message,
    ...(code === undefined ? {} : { code }),
    ...(diagnostic.source === undefined ? {} : { source: diagnostic.source }),
  };
}

/** The deploy choices of a command argument, checked field by field like remembered ones. */
function givenChoices(arg: unknown): { choices?: Partial<DeployChoices>; confirmUpgrade: boolean } {
  if (typeof arg !== 'object' || arg === null || arg instanceof vscode.Uri) return { confirmUpgrade: false };
  const record = arg as Record<string, unknown>;
  const parsed: RememberedChoices = deserializeChoices({ version: 1, choices: record });
  const choices = withoutJob(parsed);
  return { ...(Object.keys(choices).length === 0 ? {} : { choices }), confirmUpgrade: record['confirmUpgrade'] === true };
}

function withoutJob(choices: RememberedChoices): Partial<DeployChoices> {
  const { job: _job, ...rest } = choices;
  return rest;
}

function givenJobChoices(arg: unknown): Partial<JobChoices> | undefined {
  if (typeof arg !== 'object' || arg === null || arg instanceof vscode.Uri) return undefined;
  const record = arg as Record<string, unknown>;
  const parsed = withoutJob(deserializeChoices({ version: 1, choices: record }));
  const job: { -readonly [K in keyof JobChoices]?: JobChoices[K] } = {};
  for (const key of ['connection', 'pool', 'database', 'schema', 'queryWarehouse'] as const) {
    const value = parsed[key];
    if (value !== undefined) job[key] = value;
  }
  if (parsed.externalAccessIntegrations) job.externalAccessIntegrations = parsed.externalAccessIntegrations;
  if (parsed.templateValues) job.templateValues = parsed.templateValues;
  if (typeof record['jobName'] === 'string' && record['jobName'].trim() !== '') job.jobName = record['jobName'];
  if (typeof record['async'] === 'boolean') job.async = record['async'];
  if (typeof record['replicas'] === 'number' && Number.isInteger(record['replicas']) && record['replicas'] >= 1) job.replicas = record['replicas'];
  return Object.keys(job).length === 0 ? undefined : job;
}
