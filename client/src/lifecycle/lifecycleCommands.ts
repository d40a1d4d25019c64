/**
 * Lifecycle commands: suspend, resume and drop a service, set its min/max instances, suspend and
 * resume a compute pool; with the inspection commands (`inspectCommands.ts`: describe, endpoint URLs,
 * DNS name) they make the lifecycle room's command table (`createLifecycleCommands`).
 *
 * Every command takes the tree node it was run on (model/nodes.ts; a service command also accepts
 * an instance, container or endpoint node, meaning their service), or nothing from the palette, in
 * which case it asks for the connection and then the object (`pickers.ts`). Actions that lose work
 * ask first (drop: type the name; suspending a pool: a modal), show a progress notification, name
 * the cause when they fail (the classified `SnowflakeError`), and tell the trees what changed.
 * Suspend and resume keep their progress notification (with the passing state: SUSPENDING,
 * STARTING, …) until the object has settled, and only then say "Suspended …" / "Resumed …", so the
 * one message matches what the trees show; Cancel stops waiting, never the change.
 *
 * Automation (tests, other commands) may pass a second argument, `LifecycleOptions`, instead of
 * answering the questions: `{ confirmName: 'ECHO_SERVICE' }` for a drop (it must name the service;
 * add `force: true` to drop one with block volumes), `{ confirmed: true }` to suspend a pool,
 * `{ min: 1, max: 3 }` for the instance counts. A tree passes its selection as the second argument
 * (an array): that is ignored.
 *
 * Must not: keep state beyond the describe documents, or run anything without a timeout.
 */

import * as vscode from 'vscode';
import type { FeatureContext } from '../model/featureContext';
import type { CommandTable, LifecycleCommandId } from '../model/commandIds';
import type { ResultSet } from '../snowflake/session';
import * as sql from '../snowflake/sql';
import { isNode, type ConnectionName } from '../model/nodes';
import { confirmationMatches, dropDecision, dropStatement, hasSettled, instanceCountProblem, isBlockVolumeDropError, planInstances, settledMessage, type CurrentInstances, type SettleOutcome, type StateAction, type StateSubject } from './lifecycleRules';
import { displayServiceName, qualifiedServiceName, poolsFromRows, servicesFromRows } from '../ui/pickers';
import { InspectCommands } from './inspectCommands';
import { LifecycleBase, optionsOf, type LifecycleOptions } from './lifecycleTargets';

export interface LifecycleCommands extends vscode.Disposable {
  readonly commands: CommandTable<LifecycleCommandId>;
}

export function createLifecycleCommands(context: FeatureContext): LifecycleCommands {
  const state = new StateCommands(context);
  const inspect = new InspectCommands(context);
  return {
    commands: { ...state.commands, ...inspect.commands },
    dispose: () => {
      state.dispose();
      inspect.dispose();
    },
  };
}

/**
 * After SUSPEND or RESUME a service passes through SUSPENDING or PENDING, and a pool through STOPPING
 * or STARTING, for seconds to minutes. The command's progress notification stays (showing that
 * passing state) while the object is looked at again, the trees refreshing at each new state, until
 * it has settled; then one message says where it ended. Looks back off from 1 s to 10 s; after two
 * minutes (or Cancel) the message says it is still on its way, and the looks go on in the
 * background to refresh the trees once it has settled (the views' automatic refresh takes over
 * after two more minutes).
 */
const settleFirstLookMs = 1_000;
const settleMaxGapMs = 10_000;
const settleTimeoutMs = 120_000;

/** A suspend or resume: the statement, and how to read the object's state afterwards. */
interface StateChange {
  readonly subject: StateSubject;
  readonly action: StateAction;
  readonly connection: ConnectionName;
  readonly name: string;
  readonly statement: string;
  /** DESCRIBE of the object. */
  readonly describe: string;
  readonly stateOf: (result: ResultSet) => string | undefined;
  /** Tells the trees (and describe documents) that the object changed. */
  readonly changed: () => void;
  readonly computePool?: string;
}

class StateCommands extends LifecycleBase implements vscode.Disposable {
  readonly commands: CommandTable<Exclude<LifecycleCommandId, keyof InspectCommands['commands']>>;
  /** Aborts the background settle watches when the commands are disposed. */
  private readonly lifetime = new AbortController();

  constructor(context: FeatureContext) {
    super(context);
    this.commands = {
      'spcs.suspendService': (arg) => this.serviceState(arg, 'suspend'),
      'spcs.resumeService': (arg) => this.serviceState(arg, 'resume'),
      'spcs.dropService': (arg, options) => this.drop(arg, optionsOf(options)),
      'spcs.setServiceInstances': (arg, options) => this.setInstances(arg, optionsOf(options)),
      'spcs.suspendComputePool': (arg, options) => this.poolState(arg, 'suspend', optionsOf(options)),
      'spcs.resumeComputePool': (arg) => this.poolState(arg, 'resume', {}),
    };
  }

  // ---- services -----------------------------------------------------------------------------------

  private async serviceState(arg: unknown, action: 'suspend' | 'resume'): Promise<boolean> {
    const service = await this.resolveService(arg, `${action === 'suspend' ? 'Suspend' : 'Resume'} Service`, (listing) =>
      action === 'suspend' ? !listing.isJob && !/^SUSPEND/.test(listing.status) : !listing.isJob && /^SUSPEND/.test(listing.status),
    );
    if (!service) return false;
    const computePool = service.node?.computePool ?? service.listing?.computePool;
    return this.changeState({
      subject: 'service',
      action,
      connection: service.connection,
      name: displayServiceName(service),
      statement: action === 'suspend' ? sql.suspendService(qualifiedServiceName(service)) : sql.resumeService(qualifiedServiceName(service)),
      describe: sql.describeService(qualifiedServiceName(service)),
      stateOf: (result) => servicesFromRows(service.connection, result)[0]?.status.toUpperCase(),
      changed: () => this.changedService(service),
      ...(computePool === undefined ? {} : { computePool }),
    });
  }

  private async drop(arg: unknown, options: LifecycleOptions): Promise<boolean> {
    const service = await this.resolveService(arg, 'Drop Service');
    if (!service) return false;
    const name = displayServiceName(service);
    let hasBlockVolumes: boolean | undefined = service.node?.hasBlockVolumes === true ? true : undefined;
    let computePool = service.node?.computePool ?? service.listing?.computePool;
    if (hasBlockVolumes === undefined) {
      const described = await this.describeService(service, `Checking service ${name}…`);
      if (!described.ok) {
        this.showFailure(`drop service ${name}`, described.error);
        return false;
      }
      hasBlockVolumes = described.value.hasBlockVolumes;
      computePool ??= described.value.listing?.computePool;
    }
    const automated = options.confirmName !== undefined;
    if (automated) {
      if (!confirmationMatches(options.confirmName ?? '', service.name)) {
        void vscode.window.showErrorMessage(`Did not drop service ${name}: the confirmation "${options.confirmName ?? ''}" does not name it.`);
        return false;
      }
    } else {
      const typed = await vscode.window.showInputBox({
        title: `Drop service ${name}`,
        prompt: `This deletes the service, its instances and their local storage${hasBlockVolumes ? ' (its block volumes only with the next question)' : ''}. It cannot be undone. Type ${service.name} to confirm.`,
        placeHolder: service.name,
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() === '' || confirmationMatches(value, service.name) ? undefined : `Type ${service.name} exactly to drop it.`),
      });
      if (typed === undefined || !confirmationMatches(typed, service.name)) return false;
    }
    const askForce = async (): Promise<boolean> => {
      if (automated) {
        if (options.force) return true;
        void vscode.window.showErrorMessage(`Did not drop service ${name}: it has block volumes, and dropping it (DROP SERVICE … FORCE) deletes them. Pass force: true to agree.`);
        return false;
      }
      const choice = await vscode.window.showWarningMessage(
        `Service ${name} has block volumes.`,
        { modal: true, detail: 'Snowflake drops it only with FORCE, which deletes its block volumes and the data on them for good. Snapshots you took stay.' },
        'Drop and Delete Volumes',
      );
      return choice === 'Drop and Delete Volumes';
    };
    const decision = dropDecision(hasBlockVolumes);
    let force = false;
    if (decision.kind === 'askForce') {
      force = await askForce();
      if (!force) return false;
    }
    const title = `Dropping service ${name}…`;
    let result = await this.execute(service.connection, dropStatement(service, force), title);
    if (!result.ok && !force && decision.kind === 'tryPlain' && isBlockVolumeDropError(result.error)) {
      if (!(await askForce())) return false;
      force = true;
      result = await this.execute(service.connection, dropStatement(service, true), title);
    }
    if (!result.ok) {
      this.showFailure(`drop service ${name}`, result.error);
      return false;
    }
    this.changedService(service, computePool);
    void vscode.window.showInformationMessage(`Dropped service ${name}${force ? ' and deleted its block volumes' : ''}.`);
    return true;
  }

  private async setInstances(arg: unknown, options: LifecycleOptions): Promise<boolean> {
    const service = await this.resolveService(arg, 'Set Min/Max Instances', (listing) => !listing.isJob);
    if (!service) return false;
    const name = displayServiceName(service);
    const described = await this.describeService(service, `Reading the instance counts of ${name}…`);
    if (!described.ok) {
      this.showFailure(`change the instances of ${name}`, described.error);
      return false;
    }
    const listing = described.value.listing;
    if (listing?.isJob || service.node?.isJob) {
      void vscode.window.showWarningMessage(`${name} is a job service: it runs a fixed number of replicas, set when it is started.`);
      return false;
    }
    const current: CurrentInstances = {
      minInstances: listing?.minInstances,
      maxInstances: listing?.maxInstances,
      minReadyInstances: listing?.minReadyInstances,
      hasBlockVolumes: service.node?.hasBlockVolumes === true || described.value.hasBlockVolumes === true,
    };
    if (current.hasBlockVolumes) {
      const refused = planInstances(service, current, 1, 1);
      if (!refused.ok) void vscode.window.showWarningMessage(refused.message);
      return false;
    }
    let min = options.min;
    let max = options.max;
    if (min === undefined) {
      const typed = await vscode.window.showInputBox({
        title: `Instances of ${name} (1/2)`,
        prompt: 'MIN_INSTANCES: the instances Snowflake keeps running.',
        value: String(current.minInstances ?? 1),
        ignoreFocusOut: true,
        validateInput: (value) => instanceCountProblem(value, 1, 'MIN_INSTANCES'),
      });
      if (typed === undefined) return false;
      min = Number(typed.trim());
    }
    if (max === undefined) {
      const lower = min;
      const typed = await vscode.window.showInputBox({
        title: `Instances of ${name} (2/2)`,
        prompt: `MAX_INSTANCES: up to how many instances Snowflake may scale (at least ${lower}).`,
        value: String(Math.max(current.maxInstances ?? lower, lower)),
        ignoreFocusOut: true,
        validateInput: (value) => instanceCountProblem(value, lower, 'MAX_INSTANCES'),
      });
      if (typed === undefined) return false;
      max = Number(typed.trim());
    }
    const plan = planInstances(service, current, min, max);
    if (!plan.ok) {
      void vscode.window.showWarningMessage(plan.message);
      return false;
    }
    if (!(await this.run(service.connection, plan.sql, `Setting the instances of ${name}…`, `change the instances of ${name}`))) return false;
    this.changedService(service, listing?.computePool);
    void vscode.window.showInformationMessage(`Set ${plan.summary}.`);
    return true;
  }

  // ---- compute pools ------------------------------------------------------------------------------

  private async poolState(arg: unknown, action: 'suspend' | 'resume', options: LifecycleOptions): Promise<boolean> {
    const pool = await this.resolvePool(arg, `${action === 'suspend' ? 'Suspend' : 'Resume'} Compute Pool`, (listing) =>
      action === 'suspend' ? !/^SUSPEND/.test(listing.state) : /^SUSPEND/.test(listing.state),
    );
    if (!pool) return false;
    const name = sql.quoteIdentifier(pool.name);
    if (action === 'suspend' && !options.confirmed) {
      const services = isNode(arg) && arg.kind === 'pool' && arg.numServices !== undefined ? ` It runs ${arg.numServices} service${arg.numServices === 1 ? '' : 's'}.` : '';
      const choice = await vscode.window.showWarningMessage(
        `Suspend compute pool ${name}?`,
        { modal: true, detail: `Suspending a pool stops its nodes: the services and jobs on it stop until it is resumed.${services}` },
        'Suspend',
      );
      if (choice !== 'Suspend') return false;
    }
    const poolRef = { connection: pool.connection, name: pool.name };
    return this.changeState({
      subject: 'pool',
      action,
      connection: pool.connection,
      name,
      statement: action === 'suspend' ? sql.suspendComputePool(pool.name) : sql.resumeComputePool(pool.name),
      describe: sql.describeComputePool(pool.name),
      stateOf: (result) => poolsFromRows(pool.connection, result)[0]?.state.toUpperCase(),
      changed: () => this.context.changed({ scope: 'pool', pool: poolRef }),
    });
  }

  /**
   * Runs a suspend or resume under one progress notification that stays until the object has
   * settled (or two minutes passed, or the user stopped waiting), then shows the one message that
   * says where it is. Resolves to whether the statement was applied.
   */
  private async changeState(change: StateChange): Promise<boolean> {
    const verb = change.action === 'suspend' ? 'Suspending' : 'Resuming';
    const title = `${verb} ${change.subject === 'service' ? 'service' : 'compute pool'} ${change.name}…`;
    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        this.context.log.info(`[${change.connection}] ${change.statement}`);
        const result = await this.context.sessions.execute(change.connection, change.statement, { timeoutMs: this.context.queryTimeoutMs(), signal: controller.signal });
        if (!result.ok) return { ok: false as const, error: result.error };
        change.changed();
        const settled = await this.waitUntilSettled(change, controller.signal, (state) =>
          progress.report({ message: `${state}; Cancel stops waiting, not the ${change.action === 'suspend' ? 'suspension' : 'resumption'}` }),
        );
        return { ok: true as const, settled };
      } finally {
        subscription.dispose();
      }
    });
    const what = `${change.action} ${change.subject === 'service' ? 'service' : 'compute pool'} ${change.name}`;
    if (!outcome.ok) {
      this.showFailure(what, outcome.error);
      return false;
    }
    this.context.log.info(`${what}: ${outcome.settled.how}${outcome.settled.state === undefined ? '' : `, ${outcome.settled.state}`}`);
    if (outcome.settled.how !== 'settled') {
      // The trees still refresh once it has settled.
      this.watchUntilSettled(change.connection, change.describe, change.stateOf, (state) => hasSettled(change.subject, change.action, state), change.changed);
    }
    const message = settledMessage(change.subject, change.action, change.name, outcome.settled, change.computePool);
    void (message.level === 'info' ? vscode.window.showInformationMessage(message.text) : vscode.window.showWarningMessage(message.text));
    return true;
  }

  /**
   * Looks at the object (1 s, then backing off to 10 s) until its state has settled, telling the
   * trees and `report` at each new state; gives up after two minutes, on `signal` (the user stopped
   * waiting) and when the commands are disposed.
   */
  private async waitUntilSettled(change: StateChange, signal: AbortSignal, report: (state: string) => void): Promise<SettleOutcome> {
    const lifetime = this.lifetime.signal;
    const deadline = Date.now() + settleTimeoutMs;
    let last: string | undefined;
    let gap = settleFirstLookMs;
    const stopped = (): boolean => signal.aborted || lifetime.aborted;
    for (;;) {
      if (stopped()) return { how: 'cancelled', state: last };
      const result = await this.context.sessions.execute(change.connection, change.describe, { timeoutMs: this.context.queryTimeoutMs() });
      const state = result.ok ? change.stateOf(result.value) : undefined;
      if (state !== undefined && state !== last) {
        last = state;
        report(state);
        change.changed();
      }
      if (state !== undefined && hasSettled(change.subject, change.action, state)) return { how: 'settled', state };
      if (stopped()) return { how: 'cancelled', state: last };
      if (Date.now() + gap > deadline) return { how: 'timeout', state: last };
      await pauseFor(gap, signal, lifetime);
      gap = Math.min(settleMaxGapMs, gap * 2);
    }
  }

  // ---- describe -------------------------------------------------------------------------------------

  /**
   * Runs `statement` (a DESCRIBE) now and then until the state it shows is `settled`, then calls
   * `onSettled` once. Gives up quietly when the object is gone or no longer readable (the views' own
   * refresh shows what there is), after two minutes, or when the commands are disposed.
   */
  private watchUntilSettled(connection: string, statement: string, stateOf: (result: ResultSet) => string | undefined, settled: (state: string) => boolean, onSettled: () => void): void {
    const signal = this.lifetime.signal;
    const deadline = Date.now() + settleTimeoutMs;
    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    void (async () => {
      let gap = settleFirstLookMs;
      while (!signal.aborted && Date.now() < deadline) {
        await pause(gap);
        if (signal.aborted) return;
        gap = Math.min(settleMaxGapMs, gap * 2);
        const result = await this.context.sessions.execute(connection, statement, { timeoutMs: this.context.queryTimeoutMs(), signal });
        if (!result.ok) return;
        const state = stateOf(result.value);
        if (state === undefined || settled(state)) {
          if (!signal.aborted) onSettled();
          return;
        }
      }
    })();
  }

  dispose(): void {
    this.lifetime.abort();
  }
}

/** Resolves after `ms`, or at once when either signal aborts. */
function pauseFor(ms: number, ...signals: readonly AbortSignal[]): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signals.some((signal) => signal.aborted)) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    signals.forEach((signal) => signal.addEventListener('abort', done, { once: true }));
    function done(): void {
      clearTimeout(timer);
      signals.forEach((signal) => signal.removeEventListener('abort', done));
      resolve();
    }
  });
}
