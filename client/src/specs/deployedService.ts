/**
 * The service a spec is deployed as: its qualified name (`DeployTarget`, as SQL writes it) and what
 * DESCRIBE SERVICE says of it now (`ExistingService`: status, pool, instance counts, the deployed spec
 * and its digest). The deploy plans against it, the privilege preflight asks whether it exists, and
 * drift compares its spec with the file.
 *
 * Owns: reading DESCRIBE SERVICE's row (columns by name). Must not: change the service.
 */

import { definedFields, serviceRow } from '../listings/rows';
import { ok, type Result } from '../snowflake/result';
import type { SnowflakeSessions } from '../snowflake/session';
import * as sql from '../snowflake/sql';

/** A service as DESCRIBE SERVICE shows it (what the plan compares against). */
export interface ExistingService {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
  readonly status: string;
  readonly isJob: boolean;
  readonly computePool: string;
  /** The deployed spec; DESCRIBE shows it only to the owner role, so it may be missing. */
  readonly spec?: string;
  readonly specDigest?: string;
  readonly minInstances?: number;
  readonly maxInstances?: number;
  readonly minReadyInstances?: number;
  readonly autoResume?: boolean;
  readonly externalAccessIntegrations?: readonly string[];
  readonly queryWarehouse?: string;
  readonly isUpgrading?: boolean;
  readonly dnsName?: string;
}

export interface DeployTarget {
  readonly database?: string;
  readonly schema?: string;
  /** The exact name (unquoted names folded to upper case). */
  readonly name: string;
  /** The service's DNS label (`_` → `-`, lower case). */
  readonly dnsName: string;
}

/** The target as a `QualifiedName` for the SQL builders. */
export function targetObject(target: Pick<DeployTarget, 'database' | 'schema' | 'name'>): sql.QualifiedName {
  return { ...(target.database === undefined ? {} : { database: target.database }), ...(target.schema === undefined ? {} : { schema: target.schema }), name: target.name };
}

/** `DB.SCHEMA.NAME` (or just the parts given) as SQL writes it. */
export function targetText(target: DeployTarget): string {
  return sql.objectName(targetObject(target));
}

type SessionsExecute = Pick<SnowflakeSessions, 'execute'>;

/** DESCRIBE SERVICE's row → `ExistingService` (columns by name). */
export function existingFromRow(row: Readonly<Record<string, unknown>>): ExistingService {
  const { database, schema, name, status, isJob, computePool, spec, specDigest, minInstances, maxInstances, minReadyInstances, autoResume, queryWarehouse, isUpgrading, dnsName, externalAccessIntegrations } = serviceRow(row);
  return definedFields<ExistingService>({
    database,
    schema,
    name,
    status,
    isJob,
    computePool,
    spec,
    specDigest,
    minInstances,
    maxInstances,
    minReadyInstances,
    autoResume,
    queryWarehouse,
    isUpgrading,
    dnsName,
    externalAccessIntegrations: externalAccessIntegrations === undefined ? undefined : parseNameList(externalAccessIntegrations),
  });
}

/** `["A","B"]`, `[A, B]` or `A,B` → names. */
function parseNameList(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch {
    // not JSON: a bracketed or plain comma-separated list
  }
  return text
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((part) => part.trim().replace(/^"|"$/g, ''))
    .filter((part) => part !== '');
}

/** DESCRIBE SERVICE of the target: the existing service, `undefined` when there is none, or the error. */
export async function describeExistingService(
  sessions: SessionsExecute,
  connection: string,
  target: Pick<DeployTarget, 'database' | 'schema' | 'name'>,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<Result<ExistingService | undefined>> {
  const described = await sessions.execute(connection, sql.describeService(targetObject(target)), options);
  if (!described.ok) {
    return described.error.kind === 'notFound' ? ok(undefined) : described;
  }
  const row = described.value.rows[0];
  return ok(row === undefined ? undefined : existingFromRow(row));
}
