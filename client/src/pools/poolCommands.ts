/**
 * The compute pool commands, on the Compute Pools view (its title, a connection, a pool) and in the
 * palette:
 * - `spcs.createComputePool(node?, options?)`: the instance-family picker (live from SHOW COMPUTE
 *   POOL INSTANCE FAMILIES, with the fit of every spec open in the editor), name, nodes, auto-resume,
 *   auto-suspend, initially suspended, comment; the statement shown before it is sent.
 * - `spcs.editComputePool(pool?, options?)`: min/max nodes, auto-suspend, auto-resume (ALTER … SET).
 * - `spcs.stopAllServicesInComputePool(pool?, options?)`: STOP ALL behind the typed name.
 * - `spcs.dropComputePool(pool?, options?)`: DROP behind the typed name; a pool with services is
 *   refused with their names unless the user chooses to stop them first.
 *
 * Automation (tests, other commands) passes the answers as the second argument instead of being
 * asked: `{ given: { instanceFamily, name, minNodes, maxNodes, autoResume, autoSuspendSecs,
 * initiallySuspended, comment }, confirmed: true }` for create, `{ given: { minNodes, maxNodes,
 * autoSuspendSecs, autoResume }, confirmed: true }` for edit, `{ confirmName, stopAllFirst }` for
 * stop all and drop. Each command resolves to the action's outcome (`PoolOutcome`).
 *
 * Owns: finding the target, the open specs and telling the outcome. Must not: decide anything
 * (createPool/editPool/dropPool do).
 */

import * as vscode from 'vscode';
import { specLanguageId } from '../../../server/src/lspExtension';
import type { CommandTable, PoolCommandId } from '../model/commandIds';
import type { FeatureContext } from '../model/featureContext';
import { isNode, type PoolRef } from '../model/nodes';
import type { ComputePoolProperties } from '../snowflake/sql';
import { pickPool } from '../ui/pickers';
import { vscodePickerUi } from '../ui/vscodePickers';
import { createComputePool } from './createPool';
import { dropComputePool } from './dropPool';
import { editComputePool, stopAllServices } from './editPool';
import type { OpenSpec } from './familyRows';
import type { PoolDeps, PoolOutcome, PoolSettings } from './poolUi';
import { vscodePoolUi } from './vscodePoolUi';

interface PoolOptions {
  readonly given?: Partial<PoolSettings> & ComputePoolProperties;
  readonly confirmed?: boolean;
  readonly confirmName?: string;
  readonly stopAllFirst?: boolean;
}

function optionsOf(value: unknown): PoolOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isNode(value)) return {};
  return value;
}

/** The specs open in editor tabs (the family picker shows whether each fits); a document VS Code keeps loaded after its tab closed is not one. */
export function openSpecs(): OpenSpec[] {
  const inTabs = new Set(
    vscode.window.tabGroups.all.flatMap((group) => group.tabs).flatMap((tab) => (tab.input instanceof vscode.TabInputText ? [tab.input.uri.toString()] : [])),
  );
  return vscode.workspace.textDocuments
    .filter((document) => document.languageId === specLanguageId && inTabs.has(document.uri.toString()))
    .map((document) => ({ uri: document.uri.toString(), text: document.getText() }));
}

export function poolDeps(context: FeatureContext): PoolDeps {
  return { sessions: context.sessions, ui: vscodePoolUi(), log: context.log, queryTimeoutMs: context.queryTimeoutMs(), changed: (change) => context.changed(change) };
}

/** Says how an action ended: information for a success, nothing more for a cancel, an error naming the cause (and the GRANT) otherwise. */
export function reportPoolOutcome(context: FeatureContext, outcome: PoolOutcome): void {
  switch (outcome.state) {
    case 'cancelled':
      context.log.info(outcome.message);
      return;
    case 'refused':
      void vscode.window.showErrorMessage(outcome.message);
      return;
    case 'failed': {
      const grant = outcome.grant;
      const buttons = grant ? ['Copy GRANT', 'Show Output'] : ['Show Output'];
      void vscode.window.showErrorMessage(outcome.message, ...buttons).then(async (choice) => {
        if (choice === 'Copy GRANT' && grant) await vscode.env.clipboard.writeText(grant);
        if (choice === 'Show Output') context.log.show(true);
      });
      return;
    }
    default:
      void vscode.window.showInformationMessage(outcome.message);
  }
}

/** "Create Compute Pool…" offered by the deploy's pool picker: the new (or existing) pool, told like the command tells it. */
export async function createPoolForDeploy(context: FeatureContext, connection: string): Promise<{ name: string; state: string; instanceFamily: string } | undefined> {
  const outcome = await createComputePool(poolDeps(context), { connection, specs: openSpecs() });
  reportPoolOutcome(context, outcome);
  if (outcome.state !== 'created' && outcome.state !== 'exists') return undefined;
  // The privilege preflight that follows reads the account catalog: it must know the new pool (its owner holds every privilege on it).
  if (outcome.state === 'created') await context.catalogs.refresh(connection);
  const family = outcome.settings?.instanceFamily ?? outcome.family?.name;
  if (family === undefined) return undefined;
  return { name: outcome.pool, state: outcome.state === 'created' ? (outcome.settings?.initiallySuspended ? 'SUSPENDED' : 'STARTING') : 'ACTIVE', instanceFamily: family };
}

async function connectionOf(context: FeatureContext, arg: unknown, title: string): Promise<string | undefined> {
  if (isNode(arg) && 'connection' in arg && typeof arg.connection === 'string') return arg.connection;
  return context.connections.pick({ title });
}

async function poolOf(context: FeatureContext, arg: unknown, title: string): Promise<PoolRef | undefined> {
  if (isNode(arg)) {
    if (arg.kind === 'pool') return { connection: arg.connection, name: arg.name };
    if (arg.kind === 'service') return { connection: arg.connection, name: arg.computePool };
    void vscode.window.showWarningMessage(`${title} works on a compute pool, not on a ${arg.kind}.`);
    return undefined;
  }
  const connection = await context.connections.pick({ title });
  if (connection === undefined) return undefined;
  const pool = await pickPool(vscodePickerUi(context), context.sessions, connection, { title, timeoutMs: context.queryTimeoutMs() });
  return pool === undefined ? undefined : { connection, name: pool.name };
}

async function run(context: FeatureContext, connection: string, action: () => Promise<PoolOutcome>): Promise<PoolOutcome> {
  const outcome = await action();
  reportPoolOutcome(context, outcome);
  // The account checks and the deploy's privilege preflight read the catalog: a pool made or dropped changes it.
  if (outcome.state === 'created' || outcome.state === 'dropped') void context.catalogs.refresh(connection);
  return outcome;
}

export function createPoolCommands(context: FeatureContext): CommandTable<PoolCommandId> {
  return {
    'spcs.createComputePool': async (arg, second) => {
      const options = optionsOf(isNode(arg) ? second : arg);
      const connection = await connectionOf(context, arg, 'Create Compute Pool');
      if (connection === undefined) return undefined;
      return run(context, connection, () =>
        createComputePool(poolDeps(context), { connection, specs: openSpecs(), ...(options.given ? { given: options.given } : {}), ...(options.confirmed ? { confirm: false } : {}) }),
      );
    },
    'spcs.editComputePool': async (arg, second) => {
      const options = optionsOf(second);
      const pool = await poolOf(context, arg, 'Edit Compute Pool');
      if (pool === undefined) return undefined;
      return run(context, pool.connection, () => editComputePool(poolDeps(context), { connection: pool.connection, pool: pool.name, ...(options.given ? { given: options.given } : {}), ...(options.confirmed ? { confirm: false } : {}) }));
    },
    'spcs.stopAllServicesInComputePool': async (arg, second) => {
      const options = optionsOf(second);
      const pool = await poolOf(context, arg, 'Stop All Services');
      if (pool === undefined) return undefined;
      return run(context, pool.connection, () => stopAllServices(poolDeps(context), { connection: pool.connection, pool: pool.name, ...(options.confirmName !== undefined ? { confirmName: options.confirmName } : {}) }));
    },
    'spcs.dropComputePool': async (arg, second) => {
      const options = optionsOf(second);
      const pool = await poolOf(context, arg, 'Drop Compute Pool');
      if (pool === undefined) return undefined;
      return run(context, pool.connection, () =>
        dropComputePool(poolDeps(context), {
          connection: pool.connection,
          pool: pool.name,
          ...(options.confirmName !== undefined ? { confirmName: options.confirmName } : {}),
          ...(options.stopAllFirst !== undefined ? { stopAllFirst: options.stopAllFirst } : {}),
        }),
      );
    },
  };
}
