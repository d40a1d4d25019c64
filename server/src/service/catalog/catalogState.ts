/**
 * What the language service knows about accounts: the indexed catalog of each connection and the
 * remembered deploy target of each document, and which of them applies to a given document.
 *
 * Owns: the precedence of targets (the modeline's `connection=` / `pool=` win over the target the
 * client remembered from the last deploy; a document that names no connection uses the default
 * connection), and a revision number that changes whenever anything here changes (the language
 * service keys its diagnostics cache on it).
 *
 * Must not: do I/O. It lives inside one language-service instance (no module-level state).
 */

import type {
  AccountCatalogParams,
  CatalogComputePool,
  CatalogInstanceFamily,
  DeployTarget,
  DeployTargetsParams,
} from '../../lspExtension';
import { parseModeline, type Modeline, type ModelineValue } from '../modeline';
import { indexCatalog, upper, type AccountIndex } from './catalogIndex';

/** The account facts that apply to one document. */
export interface AccountView {
  readonly index: AccountIndex;
  readonly modeline: Modeline;
  /** The compute pool the spec will run in, when one is named. */
  readonly pool: TargetPool | undefined;
  /** Database and schema the service lives in (unqualified names resolve against them), when known. */
  readonly database: string | undefined;
  readonly schema: string | undefined;
  /** The gateway a gateway spec was deployed as (remembered deploy target). */
  readonly gatewayName: string | undefined;
  /** MIN_INSTANCES / MAX_INSTANCES of the remembered deploy. */
  readonly minInstances: number | undefined;
  readonly maxInstances: number | undefined;
}

export interface TargetPool {
  readonly name: string;
  /** Where the name came from: the modeline (with its position) or the remembered deploy target. */
  readonly modeline: ModelineValue | undefined;
  /** The pool in the catalog; undefined when the catalog has no such pool (or no pool list). */
  readonly entry: CatalogComputePool | undefined;
  /** The live capacity of the pool's instance family, when the catalog has it. */
  readonly family: CatalogInstanceFamily | undefined;
}

export class AccountState {
  private readonly catalogs = new Map<string, AccountIndex>();
  private readonly targets = new Map<string, DeployTarget>();
  private currentRevision = 0;
  /** Whether the client says which connection is its default (`isDefault` in a notification). */
  private defaultsStated = false;

  /** Changes whenever a catalog or a target changes. */
  get revision(): number {
    return this.currentRevision;
  }

  get isEmpty(): boolean {
    return this.catalogs.size === 0;
  }

  /** Takes a `spcs/accountCatalog` notification: indexes the catalog, or forgets the connection. */
  setCatalog(params: AccountCatalogParams): void {
    this.currentRevision++;
    if (params.isDefault !== undefined) {
      this.defaultsStated = true;
    }
    if (params.catalog === null) {
      this.catalogs.delete(params.connection);
      return;
    }
    if (params.isDefault === true) {
      for (const [name, index] of this.catalogs) {
        if (index.isDefault && name !== params.connection) {
          this.catalogs.set(name, { ...index, isDefault: false });
        }
      }
    }
    this.catalogs.set(params.connection, indexCatalog({ ...params, catalog: params.catalog }));
  }

  /** Takes a `spcs/deployTargets` notification; returns the URIs whose target changed. */
  setTargets(params: DeployTargetsParams): string[] {
    const changed: string[] = [];
    for (const { uri, target } of params.targets) {
      if (target === null) {
        if (this.targets.delete(uri)) {
          changed.push(uri);
        }
      } else {
        this.targets.set(uri, target);
        changed.push(uri);
      }
    }
    if (changed.length > 0) {
      this.currentRevision++;
    }
    return changed;
  }

  /** Forgets everything (tests, shutdown). */
  clear(): void {
    this.defaultsStated = false;
    this.catalogs.clear();
    this.targets.clear();
    this.currentRevision++;
  }

  /** The connections with a catalog, default first. */
  connections(): AccountIndex[] {
    return [...this.catalogs.values()].sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.connection.localeCompare(b.connection));
  }

  /** The account facts for a document, or undefined when no catalog applies to it. */
  viewFor(uri: string, text: string): AccountView | undefined {
    if (this.catalogs.size === 0) {
      return undefined;
    }
    const modeline = parseModeline(text);
    const target = this.targets.get(uri);
    const connection = modeline.connection?.value ?? target?.connection ?? this.defaultConnection();
    const index = connection === undefined ? undefined : this.catalogs.get(connection);
    if (!index) {
      return undefined;
    }
    const applies = target !== undefined && target.connection === connection ? target : undefined;
    const poolName = modeline.pool?.value ?? applies?.computePool;
    let pool: TargetPool | undefined;
    if (poolName !== undefined && poolName !== '') {
      const entry = index.pools?.get(upper(poolName));
      pool = { name: poolName, modeline: modeline.pool, entry, family: entry ? index.families?.get(upper(entry.instanceFamily)) : undefined };
    }
    return {
      index,
      modeline,
      pool,
      database: applies?.database ?? index.catalog.database,
      schema: applies?.schema ?? index.catalog.schema,
      gatewayName: applies?.gatewayName,
      minInstances: applies?.minInstances,
      maxInstances: applies?.maxInstances,
    };
  }

  private defaultConnection(): string | undefined {
    for (const index of this.catalogs.values()) {
      if (index.isDefault) {
        return index.connection;
      }
    }
    // A client that never says which connection is the default (`isDefault` left out) and sends one
    // catalog means that one. A client that does say so has not sent its default's catalog yet: no
    // other connection's catalog stands in for it (another account, another role).
    return this.catalogs.size === 1 && !this.defaultsStated ? this.catalogs.keys().next().value : undefined;
  }
}
