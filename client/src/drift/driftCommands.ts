/**
 * The VS Code side of drift (`driftMarks.ts` decides): the deploy records in workspace state, written
 * after every deploy that sent a spec; the decorator that marks services in the Services tree; the
 * recheck when a deployed spec file is saved; and "Compare with Deployed", a diff of the deployed
 * spec with the local file, both as the deploy's upgrade diff writes them (read-only `spcs-drift:`
 * documents: what Snowflake keeps of each, so comments and formatting are not shown as changes).
 *
 * `spcs.compareWithDeployed(target?)`: `target` is a service node of the tree, a spec file URI, or
 * nothing (the active editor's spec); a file deployed as several services asks which. Resolves to
 * `{ verdict, message, left?, right? }` (`left`/`right` as URI strings when a diff was opened).
 *
 * Owns: the `spcs-drift` document provider and the `spcs.deployedSpecs` context key (the paths of
 * the spec files that have a record, for the editor title button). Must not: cache verdicts (the tree checks again
 * on every listing), or prompt from the tree.
 */

import * as vscode from 'vscode';
import type { CommandTable, DriftCommandId } from '../model/commandIds';
import type { FeatureContext } from '../model/featureContext';
import { deployRecord, type DeployRecord } from './drift';
import { analyzeTemplate, renderTemplate } from '../specs/templates';
import { choicesStateKey, deserializeChoices } from '../specs/deployChoices';
import { isNode, type AccountNode, type ServiceRef } from '../model/nodes';
import type { ChildrenDecorator } from '../model/decorations';
import type { DeployOutcome, SpecInput } from '../deploy/flowContract';
import { ReadOnlyDocuments } from '../ui/readOnlyDocuments';
import { checkDrift, compareSides, deployRecordsStateKey, driftMark, markDrift, readRecords, recordOf, recordsOfFile, withRecord, type DriftDeps } from './driftMarks';

export const driftScheme = 'spcs-drift';

export function deployRecords(context: FeatureContext): Map<string, DeployRecord> {
  return readRecords(context.extension.workspaceState.get(deployRecordsStateKey));
}

/** The text the file would deploy now: saved content, rendered with its remembered template values. */
export async function localSpecText(context: FeatureContext, file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.parse(file)));
  } catch {
    return undefined;
  }
  if (analyzeTemplate(text).variables.length === 0) return text;
  const choices = deserializeChoices(context.extension.workspaceState.get(choicesStateKey(file)));
  return renderTemplate(text, choices.templateValues ?? {});
}

function driftDeps(context: FeatureContext): DriftDeps {
  return {
    sessions: context.sessions,
    records: () => deployRecords(context),
    localText: (record) => localSpecText(context, record.file),
    // A drift check must not hold the tree up for long.
    timeoutMs: () => Math.min(context.queryTimeoutMs(), 15_000),
  };
}

/** Marks the services of a listed level (Services tree) that drifted from their spec files. */
export function driftDecorator(context: FeatureContext): ChildrenDecorator {
  const deps = driftDeps(context);
  const run = context.connections.withoutPrompts?.bind(context.connections) ?? (<T>(work: () => Promise<T>) => work());
  return (_parent, children, signal) => (children.some((node) => node.kind === 'service') ? run(() => markDrift(deps, children, signal)) : Promise.resolve(children));
}

/**
 * After a deploy that sent the spec (or found it up to date): remember "service S was deployed from
 * file F with this text", so the tree can tell when they part. Tells the views to look again.
 */
export async function recordDeploy(context: FeatureContext, spec: SpecInput, outcome: DeployOutcome | undefined, now = new Date()): Promise<void> {
  if (outcome === undefined || (outcome.state !== 'deployed' && outcome.state !== 'upToDate')) return;
  const choices = deserializeChoices(context.extension.workspaceState.get(choicesStateKey(spec.uri)));
  const sent = analyzeTemplate(spec.text).variables.length === 0 ? spec.text : renderTemplate(spec.text, choices.templateValues ?? {});
  const record = deployRecord(outcome.service, spec.uri, sent, now);
  await context.extension.workspaceState.update(deployRecordsStateKey, withRecord(deployRecords(context), record));
  context.log.info(`Drift: recorded that ${outcome.service.name} was deployed from ${spec.uri}`);
  context.changed({ scope: 'service', service: outcome.service, computePool: outcome.computePool });
}

export interface CompareResult {
  readonly verdict: string;
  readonly message: string;
  readonly left?: string;
  readonly right?: string;
}

export interface DriftFeatures extends vscode.Disposable {
  readonly commands: CommandTable<DriftCommandId>;
  /** Marks the drifted services of the Services tree (given to the views by `features.ts`). */
  readonly decorator: ChildrenDecorator;
  /** Remembers what a deploy sent (a listener of the deploy commands, wired by `features.ts`). */
  recordDeploy(spec: SpecInput, outcome: DeployOutcome | undefined): Promise<void>;
  /** The spec file (URI string) this client last deployed `service` from, if any (the events' spec links, the metric-groups fix). */
  deployedFrom(service: ServiceRef): string | undefined;
}

export function createDriftFeatures(context: FeatureContext): DriftFeatures {
  const documents = new ReadOnlyDocuments(driftScheme, '# This deployed spec is no longer kept; run "Compare with Deployed" again.\n');
  const disposables: vscode.Disposable[] = [documents, vscode.workspace.registerTextDocumentContentProvider(driftScheme, documents)];
  const deps = driftDeps(context);

  const updateContextKey = () => {
    // `resourcePath in spcs.deployedSpecs` (package.json) compares file system paths.
    const files = [...new Set([...deployRecords(context).values()].map((record) => vscode.Uri.parse(record.file).fsPath))];
    void vscode.commands.executeCommand('setContext', 'spcs.deployedSpecs', files);
  };
  updateContextKey();
  disposables.push(
    context.onDidChangeAccount(() => updateContextKey()),
    // A saved spec file that was deployed: its services are checked again (the views refresh them).
    vscode.workspace.onDidSaveTextDocument((document) => {
      for (const record of recordsOfFile(deployRecords(context), document.uri.toString())) {
        context.changed({ scope: 'service', service: record.service });
      }
    }),
  );

  const chooseRecord = async (target: unknown): Promise<DeployRecord | undefined> => {
    const records = deployRecords(context);
    if (isNode(target)) {
      const node: AccountNode = target;
      if (node.kind !== 'service') return undefined;
      const record = recordOf(records, node);
      if (record === undefined) {
        void vscode.window.showInformationMessage(`${node.name} was not deployed from a spec file of this workspace, so there is no local file to compare it with. Deploy it from its spec file first.`);
      }
      return record;
    }
    const uri = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
    if (uri === undefined) {
      void vscode.window.showWarningMessage('Open a service spec that was deployed from this workspace, or run "Compare with Deployed" on a service in the Services view.');
      return undefined;
    }
    const candidates = recordsOfFile(records, uri.toString());
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('This spec has not been deployed from this workspace yet, so there is no deployed service to compare it with.');
      return undefined;
    }
    if (candidates.length === 1) return candidates[0];
    const picked = await vscode.window.showQuickPick(
      candidates.map((record) => ({ label: record.service.name, description: `${record.service.database}.${record.service.schema} · ${record.service.connection}`, detail: `deployed ${record.deployedAt}`, record })),
      { title: 'Compare with Deployed: which service?' },
    );
    return picked?.record;
  };

  return {
    decorator: driftDecorator(context),
    recordDeploy: (spec, outcome) => recordDeploy(context, spec, outcome),
    deployedFrom: (service) => recordOf(deployRecords(context), service)?.file,
    commands: { 'spcs.compareWithDeployed': (target?: unknown) => compare(target) },
    dispose: () => {
      for (const disposable of disposables) disposable.dispose();
    },
  };

  async function compare(target: unknown): Promise<CompareResult | undefined> {
    const record = await chooseRecord(target);
    if (record === undefined) return undefined;
    const name = record.service.name;
    const check = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading the deployed spec of ${name}…` }, () => checkDrift(deps, record));
    if (!check.ok) {
      void vscode.window.showErrorMessage(`Compare with Deployed: ${check.message}`);
      return { verdict: 'error', message: check.message };
    }
    const mark = driftMark(check);
    const sides = compareSides(check);
    if (sides === undefined) {
      void vscode.window.showInformationMessage(`${name}: ${check.drift.message}`);
      return { verdict: check.drift.verdict, message: check.drift.message };
    }
    const fileName = decodeURIComponent(record.file.slice(record.file.lastIndexOf('/') + 1));
    const left = documents.add(`${name} (deployed).spcs.yaml`, sides.deployed);
    const right = documents.add(fileName.replace(/(\.spcs)?\.ya?ml$/i, '') + ' (local).spcs.yaml', sides.local);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${name}: deployed ↔ ${fileName}`, { preview: true });
    return { verdict: check.drift.verdict, message: mark?.message ?? check.drift.message, left: left.toString(), right: right.toString() };
  }
}
