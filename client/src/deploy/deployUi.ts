/**
 * The VS Code face of the deploy flow (`deployFlow.ts`): QuickPicks and InputBoxes for the choices,
 * the diff of the deployed and the local spec (two read-only virtual documents of the
 * `spcs-deployed` scheme, closed once the upgrade was sent: its "deployed" side is then out of
 * date), the modal confirmations (including the missing privileges of the preflight,
 * preflightCommand.ts, and "deploy anyway?" for a pool whose fit is unknown), progress
 * notifications, and the final notifications with their follow-up buttons (Show Problems, Use
 * <a pool that fits>, Pick Another Pool…, Go to Spec, Show Logs, Follow Logs).
 *
 * Owns: how things look and the buttons' actions. Must not: decide anything the flow decides, or
 * await a notification the flow did not ask to await (buttons act on their own).
 */

import * as vscode from 'vscode';
import { validateServiceName } from './serviceNames';
import { type TemplateVariable } from '../specs/templates';
import { poolPickItem, type PoolInfo } from './poolFit';
import type { ContainerTriage, SpecLocation } from './triage';
import type { TemplateValue } from '../snowflake/sql';
import type { ContainerNode, ServiceNode, ServiceRef } from '../model/nodes';
import { confirmMissingPrivileges } from '../privileges/preflightCommand';
import { ReadOnlyDocuments } from '../ui/readOnlyDocuments';
import { parseInstances } from './flowSteps';
import { type DeployOutcome, type DeployUi, type JobAnswers, type JobRunOutcome, type PoolOption, type ProgressReporter, type RefusalAnswer, type SpecInput } from './flowContract';

export const deployedSpecScheme = 'spcs-deployed';

/** Read-only documents for the upgrade diff: the deployed spec and the local (rendered) one. */
export class DeployedSpecDocuments extends ReadOnlyDocuments {
  constructor() {
    super(deployedSpecScheme, '# This deployed spec is no longer kept; deploy again to see the diff.\n');
  }
}

export interface DeployUiHost {
  readonly log: vscode.LogOutputChannel;
  readonly documents: DeployedSpecDocuments;
  readonly connections: { pick(options?: { readonly title?: string }): Promise<string | undefined> };
  /** The output channel the job logs go to. */
  readonly jobChannel: vscode.OutputChannel;
  /** "Create Compute Pool…" in the pool picker (the pools room, wired by features.ts): the new pool, or undefined when none was created. */
  readonly createPool?: (connection: string) => Promise<PoolInfo | undefined>;
}

type Item<T> = vscode.QuickPickItem & { readonly value: T };

async function pick<T>(items: readonly Item<T>[], options: vscode.QuickPickOptions): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(items, { ignoreFocusOut: true, ...options });
  return chosen?.value;
}

/** Pools a refusal offers as buttons; more are in "Pick Another Pool…". */
const offeredPools = 3;

export function createDeployUi(host: DeployUiHost): DeployUi {
  // Jobs whose log lines the job channel already shows (a header is written before a job's first line).
  const followedJobs = new Set<string>();
  // The two sides of the diff each upgrade was confirmed on, to close it once the upgrade was sent.
  const diffs = new WeakMap<object, readonly vscode.Uri[]>();
  return {
    pickConnection: () => host.connections.pick({ title: 'Deploy: which connection?' }),

    pickPool: async (options: readonly PoolOption[], current: string | undefined, notes: readonly string[], connection?: string): Promise<PoolInfo | undefined> => {
      const ordered = [...options].sort((a, b) => rank(a) - rank(b) || (a.pool.name === current ? -1 : b.pool.name === current ? 1 : 0));
      const items: Item<PoolInfo | 'create'>[] = ordered.map((option) => ({ ...poolPickItem(option.pool, option.fit), value: option.pool, ...(option.pool.name === current ? { picked: true } : {}) }));
      const createPool = host.createPool;
      if (createPool && connection !== undefined) items.push({ label: '$(add) Create Compute Pool…', description: 'a new pool for this spec', detail: 'Pick an instance family (each says whether this spec fits), name and size', value: 'create' });
      const picked = await pick(items, { title: 'Deploy: compute pool', placeHolder: ['Where should the service run?', ...notes].join(' '), matchOnDescription: true, matchOnDetail: true });
      return picked === 'create' && createPool && connection !== undefined ? createPool(connection) : picked === 'create' ? undefined : picked;
    },

    offerCreatePool: async (connection: string): Promise<PoolInfo | undefined> => {
      const createPool = host.createPool;
      if (!createPool) return undefined;
      const create = 'Create Compute Pool…';
      const choice = await vscode.window.showWarningMessage(
        `The role of ${connection} sees no compute pool to deploy to.`,
        { modal: true, detail: 'Create one now (an instance family this spec fits, a name and a size), or cancel and use a role with USAGE on a pool.' },
        create,
      );
      return choice === create ? createPool(connection) : undefined;
    },

    askServiceName: async (current) =>
      vscode.window.showInputBox({
        title: 'Deploy: service name',
        prompt: 'Letters, digits and _ (it becomes the DNS name with _ → -). An existing service of this name is upgraded, never re-created.',
        value: current,
        ignoreFocusOut: true,
        validateInput: (text) => {
          const check = validateServiceName(text);
          if (!check.ok) return check.message;
          return check.warning === undefined ? undefined : { message: check.warning, severity: vscode.InputBoxValidationSeverity.Warning };
        },
      }),

    askInstances: async (current) => {
      const answer = await vscode.window.showInputBox({
        title: 'Deploy: instances',
        prompt: 'A number (fixed), or MIN-MAX for autoscaling between them, e.g. 1-3.',
        value: current.min === current.max ? String(current.min) : `${current.min}-${current.max}`,
        ignoreFocusOut: true,
        validateInput: (text) => (parseInstances(text) === undefined ? 'Enter a whole number of at least 1, or MIN-MAX with MIN ≤ MAX.' : undefined),
      });
      return answer === undefined ? undefined : parseInstances(answer);
    },

    pickWarehouse: async (warehouses, current) => {
      const none: Item<{ warehouse: string | undefined }> = { label: '$(circle-slash) No query warehouse', description: 'SQL from the containers uses no warehouse unless it sets one', value: { warehouse: undefined } };
      const items = [none, ...warehouses.map((name): Item<{ warehouse: string | undefined }> => ({ label: name, value: { warehouse: name }, ...(name === current ? { description: 'current choice' } : {}) }))];
      if (current !== undefined) items.sort((a, b) => (a.value.warehouse === current ? -1 : b.value.warehouse === current ? 1 : 0));
      return pick(items, { title: 'Deploy: query warehouse (optional)', placeHolder: 'The warehouse for SQL the containers run (QUERY_WAREHOUSE)' });
    },

    pickIntegrations: async (integrations, current) => {
      const items = integrations.map((name) => ({ label: name, picked: current.includes(name) }));
      const chosen = await vscode.window.showQuickPick(items, {
        title: 'Deploy: external access integrations (optional)',
        placeHolder: 'Check the integrations the service may use to reach the internet; none is fine',
        canPickMany: true,
        ignoreFocusOut: true,
      });
      return chosen?.map((item) => item.label);
    },

    askAutoResume: (current) =>
      pick(
        [
          { label: 'Auto-resume on', description: current ? 'current choice' : '', detail: 'A suspended service resumes when it is called (AUTO_RESUME = TRUE).', value: true },
          { label: 'Auto-resume off', description: current ? '' : 'current choice', detail: 'A suspended service stays suspended until ALTER SERVICE … RESUME.', value: false },
        ].sort((a) => (a.value === current ? -1 : 1)),
        { title: 'Deploy: auto-resume' },
      ),

    askTemplateValue: async (variable: TemplateVariable, current: TemplateValue | undefined) =>
      vscode.window.showInputBox({
        title: `Template variable {{ ${variable.name} }}`,
        prompt:
          variable.defaultValue === undefined
            ? `The value of {{ ${variable.name} }} (sent in USING; JSON for maps and lists).`
            : `The value of {{ ${variable.name} }}; leave empty to use its default ${variable.defaultValue}.`,
        value: current === undefined ? '' : String(current),
        ignoreFocusOut: true,
        validateInput: (text) => (text.trim() === '' && variable.defaultValue === undefined ? `{{ ${variable.name} }} has no default: enter a value.` : undefined),
      }),

    askJob: async (current: JobAnswers): Promise<JobAnswers | undefined> => {
      const mode = await pick(
        [
          { label: 'Synchronous', detail: 'EXECUTE JOB SERVICE waits for the job (followed here until it ends).', value: false },
          { label: 'Asynchronous', detail: 'ASYNC = TRUE: the statement returns at once; the job is followed here until it ends.', value: true },
        ].sort((a) => (a.value === current.async ? -1 : 1)),
        { title: 'Run as Job: how' },
      );
      if (mode === undefined) return undefined;
      const replicas = await vscode.window.showInputBox({
        title: 'Run as Job: replicas',
        prompt: 'How many replicas of the job run in parallel (REPLICAS).',
        value: String(current.replicas),
        ignoreFocusOut: true,
        validateInput: (text) => (/^\s*[1-9]\d*\s*$/.test(text) ? undefined : 'Enter a whole number of at least 1.'),
      });
      if (replicas === undefined) return undefined;
      const jobName = await vscode.window.showInputBox({
        title: 'Run as Job: job name',
        prompt: 'A new name: job records are kept for 30 days and a name is used once.',
        value: current.jobName,
        ignoreFocusOut: true,
        validateInput: (text) => {
          const check = validateServiceName(text, 'job');
          return check.ok ? undefined : check.message;
        },
      });
      if (jobName === undefined) return undefined;
      return { async: mode, replicas: Number(replicas.trim()), jobName: jobName.trim() };
    },

    confirmUpgrade: async (plan) => {
      if (plan.diff) {
        const name = plan.target.name;
        const left = host.documents.add(`${name} (deployed).spcs.yaml`, plan.diff.deployed);
        const right = host.documents.add(`${name} (local${plan.templated ? ', rendered' : ''}).spcs.yaml`, plan.diff.local);
        diffs.set(plan, [left, right]);
        await vscode.commands.executeCommand('vscode.diff', left, right, `${name}: deployed ↔ local`, { preview: true });
      }
      const detail = [plan.summary, ...plan.warnings].join('\n\n');
      const choice = await vscode.window.showWarningMessage(`Upgrade ${plan.target.name}?`, { modal: true, detail }, 'Upgrade');
      return choice === 'Upgrade';
    },

    confirmCancelJob: async (name) => {
      const choice = await vscode.window.showWarningMessage(
        `Stopped following job ${name}. Cancel the job in Snowflake too?`,
        { modal: true, detail: 'Cancelling stops every replica (SYSTEM$CANCEL_JOB). Otherwise the job keeps running and its record stays in the Services view.' },
        'Cancel Job',
      );
      return choice === 'Cancel Job';
    },

    upgradeSent: (plan) => {
      const sides = diffs.get(plan);
      if (sides === undefined) return;
      diffs.delete(plan);
      void closeDiff(sides);
    },

    showRefusal: async (refusal, spec): Promise<RefusalAnswer> => {
      const buttons: string[] = [];
      if (refusal.kind === 'errors' || refusal.kind === 'renderedErrors') buttons.push('Show Problems');
      const pools = refusal.kind === 'poolDoesNotFit' ? (refusal.fittingPools ?? []).slice(0, offeredPools) : [];
      const poolButton = (pool: string): string => `Use ${pool}`;
      buttons.push(...pools.map(poolButton));
      if (refusal.kind === 'poolDoesNotFit') buttons.push('Pick Another Pool…');
      const choice = await vscode.window.showErrorMessage(`Not deployed: ${refusal.message}`, ...buttons);
      if (choice === 'Show Problems') {
        if (refusal.kind === 'errors') await showDocument(spec.uri);
        await vscode.commands.executeCommand('workbench.actions.view.problems');
      }
      const pool = pools.find((name) => poolButton(name) === choice);
      if (pool !== undefined) return { pool };
      return choice === 'Pick Another Pool…' ? 'pickAnotherPool' : undefined;
    },

    confirmUncertainFit: async ({ pool, fit }) => {
      const detail = [`${pool.instanceFamily} · ${pool.state}: ${fit.summary}.`, ...fit.reasons].join('\n\n');
      const choice = await vscode.window.showWarningMessage(`Whether the spec fits ${pool.name} is not known. Deploy anyway?`, { modal: true, detail }, 'Deploy Anyway', 'Pick Another Pool…');
      return choice === 'Deploy Anyway' ? 'deploy' : choice === 'Pick Another Pool…' ? 'pickAnotherPool' : undefined;
    },

    confirmMissingPrivileges: (result, subject) => confirmMissingPrivileges(result, subject),

    preflightSkipped: (message) => void vscode.window.showWarningMessage(message),

    progress: withNotification,

    reportDeploy: (outcome, spec) => void reportDeploy(host, outcome, spec),
    reportJob: (outcome, spec) => void reportJob(host, outcome, spec),

    jobLog: (job, lines) => {
      if (!followedJobs.has(job)) {
        followedJobs.add(job);
        host.jobChannel.appendLine(`── job ${job} (${new Date().toISOString()}) ──`);
        host.jobChannel.show(true);
      }
      for (const line of lines) {
        host.jobChannel.appendLine(`[${job} ${line.instanceId}/${line.container}]${line.timestamp === undefined ? '' : ` ${line.timestamp}`} ${line.text}`);
      }
    },
  };
}

/** Closes the tabs of a diff whose sides are `sides` (the upgrade it showed was sent, so it is out of date). */
async function closeDiff(sides: readonly vscode.Uri[]): Promise<void> {
  const wanted = new Set(sides.map((uri) => uri.toString()));
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => {
    const input = tab.input;
    return input instanceof vscode.TabInputTextDiff && (wanted.has(input.original.toString()) || wanted.has(input.modified.toString()));
  });
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
}

/** Runs `task` under a progress notification whose Cancel button (when `cancellable`) aborts the task's signal. */
async function withNotification<T>(title: string, cancellable: boolean, task: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable }, async (progress, token): Promise<T> => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      return await task({ report: (message) => progress.report({ message }) }, controller.signal);
    } finally {
      subscription.dispose();
    }
  });
}

function rank(option: PoolOption): number {
  return option.fit.fits === 'yes' ? 0 : option.fit.fits === 'unknown' ? 1 : 2;
}

async function showDocument(uri: string, range?: SpecLocation['range']): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  if (range) {
    const selection = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
    editor.selection = new vscode.Selection(selection.start, selection.end);
    editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}

/** The node `spcs.logs.follow` takes: a container of the service, else the service itself. */
function logsNode(service: ServiceRef, container: ContainerTriage | undefined, computePool: string): ContainerNode | ServiceNode {
  if (container) {
    return {
      kind: 'container',
      view: 'spcs.services',
      ...service,
      instanceId: container.instanceId,
      container: container.container,
      status: container.status,
      restartCount: container.restartCount,
      ...(container.message === '' ? {} : { message: container.message }),
      ...(container.image === undefined ? {} : { image: container.image }),
    };
  }
  return { kind: 'service', view: 'spcs.services', ...service, status: 'UNKNOWN', computePool, isJob: false, isUpgrading: false, hasBlockVolumes: false };
}

/** A failure with "Show Output", which opens the channel where the flow logged the details. */
async function showError(host: DeployUiHost, message: string): Promise<void> {
  if (await vscode.window.showErrorMessage(message, 'Show Output')) host.log.show();
}

async function reportDeploy(host: DeployUiHost, outcome: DeployOutcome, spec: SpecInput): Promise<void> {
  switch (outcome.state) {
    case 'cancelled':
    case 'refused':
      return;
    case 'error': {
      return showError(host, outcome.message);
    }
    case 'upToDate': {
      const choice = await vscode.window.showInformationMessage(outcome.message, 'Follow Logs');
      if (choice === 'Follow Logs') await vscode.commands.executeCommand('spcs.logs.follow', logsNode(outcome.service, undefined, outcome.computePool));
      return;
    }
    case 'notApplied': {
      return showError(host, outcome.message);
    }
    case 'deployed': {
      const readiness = outcome.readiness;
      if (readiness?.state === 'failed') {
        const failing = readiness.triage.containers[0];
        const location = readiness.triage.containers.find((container) => container.specLocation)?.specLocation;
        const buttons = [...(location ? ['Go to Spec'] : []), 'Show Logs', 'Show Output'];
        const choice = await vscode.window.showErrorMessage(outcome.message, ...buttons);
        if (choice === 'Go to Spec' && location) await showDocument(spec.uri, location.range);
        else if (choice === 'Show Logs') await vscode.commands.executeCommand('spcs.logs.follow', logsNode(outcome.service, failing, outcome.computePool));
        else if (choice === 'Show Output') host.log.show();
        return;
      }
      if (outcome.halfDeployed) {
        const choice = await vscode.window.showErrorMessage(outcome.message, 'Follow Logs', 'Show Output');
        if (choice === 'Follow Logs') await vscode.commands.executeCommand('spcs.logs.follow', logsNode(outcome.service, undefined, outcome.computePool));
        else if (choice) host.log.show();
        return;
      }
      const show = readiness === undefined || readiness.state === 'ready' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
      const choice = await show(outcome.message, 'Follow Logs');
      if (choice === 'Follow Logs') await vscode.commands.executeCommand('spcs.logs.follow', logsNode(outcome.service, undefined, outcome.computePool));
      return;
    }
  }
}

async function reportJob(host: DeployUiHost, outcome: JobRunOutcome, spec: SpecInput): Promise<void> {
  switch (outcome.state) {
    case 'cancelled':
    case 'refused':
      return;
    case 'error': {
      return showError(host, outcome.message);
    }
    case 'ran': {
      const result = outcome.outcome;
      if (result.state === 'done') {
        const choice = await vscode.window.showInformationMessage(outcome.message, 'Show Job Logs');
        if (choice) host.jobChannel.show(true);
        return;
      }
      if (result.state === 'failed') {
        const location = result.triage.containers.find((container) => container.specLocation)?.specLocation;
        const choice = await vscode.window.showErrorMessage(outcome.message, ...(location ? ['Go to Spec'] : []), 'Show Job Logs', 'Show Output');
        if (choice === 'Go to Spec' && location) await showDocument(spec.uri, location.range);
        else if (choice === 'Show Job Logs') host.jobChannel.show(true);
        else if (choice === 'Show Output') host.log.show();
        return;
      }
      const choice = await (result.state === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage)(outcome.message, 'Show Job Logs');
      if (choice) host.jobChannel.show(true);
      return;
    }
  }
}
