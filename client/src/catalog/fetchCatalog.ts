/**
 * Reads the account catalog of one connection (`AccountCatalog` of `server/src/lspExtension.ts`): the
 * current role, database and schema, instance families, compute pools, image repositories with
 * their images, stages, secrets, external access integrations, warehouses, the role's grants
 * flattened through the role hierarchy, services with their endpoints, and gateways.
 *
 * Owns: the statements sent for it, how their rows become catalog entries (names exactly as
 * Snowflake prints them), section independence (a query that fails makes its list `null` and is
 * reported as a problem; the rest of the catalog is still returned), bounded concurrency for the
 * per-repository, per-service and per-role queries, a bound on how many services get their endpoints
 * listed (one SHOW ENDPOINTS each: the others carry `endpoints: null`, "not read"), and one overall
 * deadline for the whole read.
 *
 * The whole read fails only when the account cannot be used at all (the first statement fails with
 * a network, auth, config, timeout, cancelled or internal error): then there is nothing to show.
 * Must not: import `vscode`, cache anything (see `catalogCache.ts`), or run statements that change
 * the account.
 */

import type {
  AccountCatalog,
  CatalogGrant,
  CatalogImageRepository,
  CatalogService,
} from '../../../server/src/lspExtension';
import { setMaxListeners } from 'node:events';
import { snowflakeError, type SnowflakeError } from '../snowflake/errors';
import { fail, ok, type Result } from '../snowflake/result';
import type { ResultSet, SnowflakeSessions } from '../snowflake/session';
import * as sql from '../snowflake/sql';
import { accountObjectOf, contextOf, endpointOf, familyOf, gatewayOf, imagesOf, isDefined, poolOf, registryHostOf, repositoryOf, schemaObjectOf, secretOf, serviceOf, text } from './catalogRows';

export { imagesOf, registryHostOfUrl } from './catalogRows';

export type CatalogSection =
  | 'context'
  | 'instanceFamilies'
  | 'computePools'
  | 'imageRepositories'
  | 'images'
  | 'stages'
  | 'secrets'
  | 'externalAccessIntegrations'
  | 'warehouses'
  | 'grants'
  | 'services'
  | 'endpoints'
  | 'gateways';

export interface CatalogProblem {
  readonly section: CatalogSection;
  /** The object the failed query was about (a repository for `images`, a service for `endpoints`, a role for `grants`). */
  readonly subject?: string;
  readonly error: SnowflakeError;
}

export interface CatalogFetch {
  readonly catalog: AccountCatalog;
  /** Every query that failed; its section is `null` in the catalog (or, for `images`, the repository's images). */
  readonly problems: readonly CatalogProblem[];
  readonly durationMs: number;
}

export interface FetchCatalogOptions {
  /** Deadline for the whole read, connecting included (default 30 s). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Images (digests) kept per repository, newest first (default 200). */
  readonly maxImagesPerRepository?: number;
  /** Queries in flight at once for the per-repository, per-service and per-role reads (default 4). */
  readonly concurrency?: number;
  /**
   * Services whose endpoints are listed (one SHOW ENDPOINTS each), in the order SHOW SERVICES lists
   * them; the others, and job services, carry `endpoints: null` (default 100).
   */
  readonly maxServicesWithEndpoints?: number;
  /** Milliseconds clock for `durationMs` (tests). */
  readonly now?: () => number;
}

type Execute = Pick<SnowflakeSessions, 'execute'>;

/** Errors after which nothing else can succeed: the read as a whole fails. */
const fatalKinds: ReadonlySet<SnowflakeError['kind']> = new Set(['network', 'auth', 'config', 'timeout', 'cancelled', 'internal']);

export async function fetchCatalog(sessions: Execute, connection: string, options: FetchCatalogOptions = {}): Promise<Result<CatalogFetch>> {
  const now = options.now ?? Date.now;
  const started = now();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const controller = new AbortController();
  // One listener per statement in flight (sections, repositories, roles): more than Node's default 10.
  setMaxListeners(64, controller.signal);
  const onAbort = (): void => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) controller.abort();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const problems: CatalogProblem[] = [];
  const run = async (statement: string): Promise<Result<ResultSet>> => {
    if (controller.signal.aborted) return fail(stopped(options.signal, connection, timeoutMs));
    const result = await sessions.execute(connection, statement, { timeoutMs: Math.max(1, deadline - Date.now()), signal: controller.signal });
    if (!result.ok && controller.signal.aborted && !options.signal?.aborted && result.error.kind === 'cancelled') {
      return fail(stopped(undefined, connection, timeoutMs));
    }
    return result;
  };
  const section = async <T>(name: CatalogSection, statement: string, read: (result: ResultSet) => T): Promise<T | null> => {
    const result = await run(statement);
    if (!result.ok) {
      problems.push({ section: name, error: result.error });
      return null;
    }
    return read(result.value);
  };
  try {
    const context = await run('SELECT CURRENT_ROLE(), CURRENT_DATABASE(), CURRENT_SCHEMA()');
    if (!context.ok && fatalKinds.has(context.error.kind)) {
      return fail(context.error);
    }
    if (!context.ok) problems.push({ section: 'context', error: context.error });
    const [role, database, schema] = context.ok ? contextOf(context.value) : [undefined, undefined, undefined];
    const limit = Math.max(1, options.concurrency ?? 4);
    const maxImages = Math.max(0, options.maxImagesPerRepository ?? 200);

    const repositoriesPromise = section('imageRepositories', sql.showImageRepositories({ in: { account: true } }), (result) => result.rows.map(repositoryOf)).then(async (listed) => {
      if (listed === null) return null;
      return mapLimit(listed, limit, async (entry): Promise<CatalogImageRepository> => {
        const images = await run(sql.showImages({ database: entry.database, schema: entry.schema, name: entry.name }));
        if (!images.ok) {
          problems.push({ section: 'images', subject: `${entry.database}.${entry.schema}.${entry.name}`, error: images.error });
          return { ...entry, images: null };
        }
        return { ...entry, images: imagesOf(images.value.rows, maxImages) };
      });
    });
    const maxWithEndpoints = Math.max(0, options.maxServicesWithEndpoints ?? 100);
    const servicesPromise = section('services', sql.showServices({ in: { account: true } }), (result) => result.rows.map(serviceOf).filter(isDefined)).then(async (listed) => {
      if (listed === null) return null;
      const bounded = new Set(listed.filter((entry) => !entry.isJob).slice(0, maxWithEndpoints));
      return mapLimit(listed, limit, async (entry): Promise<CatalogService> => {
        if (!bounded.has(entry)) return { ...entry, endpoints: null };
        const endpoints = await run(sql.showEndpoints({ database: entry.database, schema: entry.schema, name: entry.name }));
        if (!endpoints.ok) {
          problems.push({ section: 'endpoints', subject: `${entry.database}.${entry.schema}.${entry.name}`, error: endpoints.error });
          return { ...entry, endpoints: null };
        }
        return { ...entry, endpoints: endpoints.value.rows.map(endpointOf).filter(isDefined) };
      });
    });
    const [instanceFamilies, computePools, imageRepositories, stages, secrets, externalAccessIntegrations, warehouses, grants, services, gateways] = await Promise.all([
      section('instanceFamilies', sql.showInstanceFamilies(), (result) => result.rows.map(familyOf).filter(isDefined)),
      section('computePools', sql.showComputePools(), (result) => result.rows.map(poolOf).filter(isDefined)),
      repositoriesPromise,
      section('stages', sql.showStages({ in: { account: true } }), (result) => result.rows.map(schemaObjectOf).filter(isDefined)),
      section('secrets', sql.showSecrets({ in: { account: true } }), (result) => result.rows.map(secretOf).filter(isDefined)),
      section('externalAccessIntegrations', sql.showExternalAccessIntegrations(), (result) => result.rows.map(accountObjectOf).filter(isDefined)),
      section('warehouses', sql.showWarehouses(), (result) => result.rows.map(accountObjectOf).filter(isDefined)),
      role === undefined ? Promise.resolve(null) : readGrants(run, role, limit, problems),
      servicesPromise,
      section('gateways', sql.showGateways({ in: { account: true } }), (result) => result.rows.map(gatewayOf).filter(isDefined)),
    ]);
    if (options.signal?.aborted) {
      return fail(stopped(options.signal, connection, timeoutMs));
    }
    const registryHost = registryHostOf(imageRepositories ?? []);
    const catalog: AccountCatalog = {
      ...(role === undefined ? {} : { role }),
      ...(database === undefined ? {} : { database }),
      ...(schema === undefined ? {} : { schema }),
      ...(registryHost === undefined ? {} : { registryHost }),
      instanceFamilies,
      computePools,
      imageRepositories,
      stages,
      secrets,
      externalAccessIntegrations,
      warehouses,
      grants,
      services,
      gateways,
    };
    return ok({ catalog, problems, durationMs: Math.max(0, now() - started) });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** The reader a `CatalogCache` takes: `fetchCatalog` with fixed options and the cache's abort signal. */
export function catalogReader(
  sessions: Execute,
  options: Omit<FetchCatalogOptions, 'signal'> | (() => Omit<FetchCatalogOptions, 'signal'>) = {},
): (connection: string, signal: AbortSignal) => Promise<Result<CatalogFetch>> {
  return (connection: string, signal: AbortSignal): Promise<Result<CatalogFetch>> => fetchCatalog(sessions, connection, { ...(typeof options === 'function' ? options() : options), signal });
}

function stopped(signal: AbortSignal | undefined, connection: string, timeoutMs: number): SnowflakeError {
  return signal?.aborted
    ? snowflakeError('cancelled', `Reading the account catalog was cancelled (connection "${connection}").`)
    : snowflakeError('timeout', `Reading the account catalog did not finish within ${Math.round(timeoutMs / 1000)} s (connection "${connection}").`);
}

// ---------------------------------------------------------------------------------------------------
// Grants

/**
 * SHOW GRANTS TO ROLE for the role, PUBLIC (which every role inherits) and every role granted to
 * them, breadth first. Any failure makes the whole list null: a partial list would make privileges
 * look missing that an unread role holds.
 */
async function readGrants(run: (statement: string) => Promise<Result<ResultSet>>, role: string, limit: number, problems: CatalogProblem[]): Promise<CatalogGrant[] | null> {
  const seen = new Set<string>([role]);
  let frontier = [role, ...(role === 'PUBLIC' ? [] : ['PUBLIC'])];
  seen.add('PUBLIC');
  const grants = new Map<string, CatalogGrant>();
  let failed = false;
  while (frontier.length > 0 && !failed) {
    const results = await mapLimit(frontier, limit, async (current) => ({ current, result: await run(sql.showGrantsToRole(current)) }));
    const next: string[] = [];
    for (const { current, result } of results) {
      if (!result.ok) {
        problems.push({ section: 'grants', subject: current, error: result.error });
        failed = true;
        continue;
      }
      for (const row of result.value.rows) {
        const privilege = text(row, 'privilege');
        const grantedOn = text(row, 'granted_on');
        const name = text(row, 'name') ?? '';
        if (privilege === undefined || grantedOn === undefined) continue;
        const objectType = grantedOn.replace(/_/g, ' ').toUpperCase();
        if (objectType === 'ROLE') {
          // A role granted to this one: its privileges are inherited.
          const inherited = unquote(name);
          if (privilege.toUpperCase() === 'USAGE' && !seen.has(inherited)) {
            seen.add(inherited);
            next.push(inherited);
          }
          continue;
        }
        const grant: CatalogGrant = { objectType, name, privilege: privilege.toUpperCase() };
        grants.set(`${grant.objectType}|${grant.name}|${grant.privilege}`, grant);
      }
    }
    frontier = next;
  }
  return failed ? null : [...grants.values()];
}

/** A role name as SHOW GRANTS prints it (`"my role"` when quoted) → its exact name. */
function unquote(name: string): string {
  return /^".*"$/s.test(name) ? name.slice(1, -1).replace(/""/g, '"') : name;
}

/** `Promise.all(items.map(work))` with at most `limit` in flight; results in input order. */
async function mapLimit<T, U>(items: readonly T[], limit: number, work: (item: T) => Promise<U>): Promise<U[]> {
  const results = new Array<U>(items.length);
  let nextIndex = 0;
  const worker = async (): Promise<void> => {
    while (nextIndex < items.length) {
      const index = nextIndex++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, () => worker()));
  return results;
}
