/**
 * What the lifecycle commands share: the target a command acts on (a tree node, a reference, or, from
 * the palette, a service or pool picked from the account), running one statement under a progress
 * notification (Cancel aborts the wait; the error says whether it was applied), telling the trees
 * what changed, and the one way a failure is told (logged, then a notification naming the cause).
 *
 * Must not: decide anything (`lifecycleRules.ts`) or keep state beyond what a subclass owns.
 */

import * as vscode from 'vscode';
import type { AccountChange, FeatureContext } from '../model/featureContext';
import { type SnowflakeError } from '../snowflake/errors';
import { cellText } from '../snowflake/cells';
import type { Result } from '../snowflake/result';
import type { ResultSet } from '../snowflake/session';
import * as sql from '../snowflake/sql';
import { isNode, serviceOf, type ConnectionName, type PoolRef, type ServiceNode, type ServiceRef } from '../model/nodes';
import { failureMessage } from '../ui/failures';
import { vscodePickerUi } from '../ui/vscodePickers';
import { specHasBlockVolumes } from './lifecycleRules';
import { pickPool, pickService, qualifiedServiceName, serviceRefOf, servicesFromRows, type PickerUi, type ServiceListing } from '../ui/pickers';

/** Answers for automation (see the header of lifecycleCommands.ts). */
export interface LifecycleOptions {
  /** Drop: the service's name, instead of typing it. */
  readonly confirmName?: string;
  /** Drop: agree to FORCE (deleting the block volumes) when the service has any. */
  readonly force?: boolean;
  /** Suspend a pool without the modal question. */
  readonly confirmed?: boolean;
  readonly min?: number;
  readonly max?: number;
}

/** A service to act on, with what the node said about it when it came from a tree. */
export interface ServiceTarget extends ServiceRef {
  readonly node?: ServiceNode;
  readonly listing?: ServiceListing;
}

/** The commands' common ground; `StateCommands` (lifecycleCommands.ts) and `InspectCommands` (inspectCommands.ts) build on it. */
export abstract class LifecycleBase {
  protected readonly ui: PickerUi;

  constructor(protected readonly context: FeatureContext) {
    this.ui = vscodePickerUi(context);
  }

  /** The service of a node (service, instance, container, endpoint) or reference; from the palette, asks. */
  protected async resolveService(arg: unknown, title: string, filter?: (listing: ServiceListing) => boolean): Promise<ServiceTarget | undefined> {
    if (isNode(arg)) {
      const service = serviceOf(arg);
      if (!service) {
        void vscode.window.showWarningMessage(`${title} works on a service (or one of its instances, containers or endpoints), not on a ${arg.kind}.`);
        return undefined;
      }
      return arg.kind === 'service' ? { ...serviceRefOf(service), node: arg } : serviceRefOf(service);
    }
    if (isServiceRef(arg)) return serviceRefOf(arg);
    const connection = await this.context.connections.pick({ title });
    if (!connection) return undefined;
    const listing = await pickService(this.ui, this.context.sessions, connection, { title, timeoutMs: this.context.queryTimeoutMs(), filter });
    return listing ? { ...serviceRefOf(listing), listing } : undefined;
  }

  protected async resolvePool(arg: unknown, title: string, filter: (pool: { state: string }) => boolean): Promise<PoolRef | undefined> {
    if (isNode(arg)) {
      if (arg.kind === 'pool') return { connection: arg.connection, name: arg.name };
      if (arg.kind === 'service') return { connection: arg.connection, name: arg.computePool };
      void vscode.window.showWarningMessage(`${title} works on a compute pool, not on a ${arg.kind}.`);
      return undefined;
    }
    if (isPoolRef(arg)) return { connection: arg.connection, name: arg.name };
    const connection: ConnectionName | undefined = await this.context.connections.pick({ title });
    if (!connection) return undefined;
    const pool = await pickPool(this.ui, this.context.sessions, connection, { title, timeoutMs: this.context.queryTimeoutMs(), filter });
    return pool ? { connection, name: pool.name } : undefined;
  }

  /** DESCRIBE SERVICE: the service's row as a listing, and whether its spec has block volumes (when the role may read it). */
  protected async describeService(service: ServiceRef, title: string): Promise<Result<{ listing?: ServiceListing; hasBlockVolumes?: boolean }>> {
    const result = await this.execute(service.connection, sql.describeService(qualifiedServiceName(service)), title);
    if (!result.ok) return result;
    const row = result.value.rows[0];
    const listing = servicesFromRows(service.connection, result.value)[0];
    return { ok: true, value: { listing, hasBlockVolumes: row ? specHasBlockVolumes(typeof row.spec === 'string' ? row.spec : undefined) : undefined } };
  }

  /** Runs one statement with a progress notification; cancelling aborts the wait (the error then says whether it was applied). */
  protected execute(connection: ConnectionName, statement: string, title: string): Thenable<Result<ResultSet>> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      this.context.log.info(`[${connection}] ${statement}`);
      return this.context.sessions.execute(connection, statement, { timeoutMs: this.context.queryTimeoutMs(), signal: controller.signal }).finally(() => {
        subscription.dispose();
      });
    });
  }

  protected async run(connection: ConnectionName, statement: string, title: string, action: string): Promise<boolean> {
    const result = await this.execute(connection, statement, title);
    if (!result.ok) this.showFailure(action, result.error);
    return result.ok;
  }

  protected changedService(service: ServiceTarget, computePool?: string): void {
    const pool = computePool ?? service.node?.computePool ?? service.listing?.computePool;
    const change: AccountChange = { scope: 'service', service: serviceRefOf(service), ...(pool ? { computePool: pool } : {}) };
    this.context.changed(change);
  }

  protected showFailure(action: string, error: SnowflakeError): void {
    this.context.log.error(`${action}: ${error.kind}${error.code ? ` ${error.code}` : ''}: ${error.detail ?? error.message}`);
    void vscode.window.showErrorMessage(failureMessage(action, error), 'Show Output').then((choice) => {
      if (choice) this.context.log.show();
    });
  }
}

export function optionsOf(value: unknown): LifecycleOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isNode(value)) return {};
  const record = value as Record<string, unknown>;
  return {
    ...(typeof record.confirmName === 'string' ? { confirmName: record.confirmName } : {}),
    ...(record.force === true ? { force: true } : {}),
    ...(record.confirmed === true ? { confirmed: true } : {}),
    ...(typeof record.min === 'number' ? { min: record.min } : {}),
    ...(typeof record.max === 'number' ? { max: record.max } : {}),
  };
}

function isServiceRef(value: unknown): value is ServiceRef {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return ['connection', 'database', 'schema', 'name'].every((key) => typeof record[key] === 'string');
}

function isPoolRef(value: unknown): value is PoolRef {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.connection === 'string' && typeof record.name === 'string' && record.database === undefined;
}

export function firstCell(result: ResultSet): string | undefined {
  const row = result.rows[0];
  const column = result.columns[0];
  if (!row || !column) return undefined;
  return cellText(row[column.name]);
}
