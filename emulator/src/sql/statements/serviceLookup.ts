/**
 * Finding a service (or job) named in a statement or in a system function argument, with
 * Snowflake's errors: "Service 'DB.SCHEMA.NAME' does not exist or not authorized." when it is
 * missing or the role holds no privilege on it, "Insufficient privileges to operate on service …"
 * when the role can see it but lacks the privilege the operation needs; and whether a role may use
 * one of a service's endpoints (service roles).
 */

import type { ServiceRecord } from '../../account/model';
import { displayName, objectKey, parseDottedName } from '../../account/names';
import type { Name } from '../ast';
import { resolveObjectName, type StatementContext } from '../context';
import { SqlErrors } from '../errors';

export interface FoundService {
  readonly key: string;
  readonly service: ServiceRecord;
}

/** The service if the role can see it; `undefined` if it is missing (or invisible) and `optional`. */
export function findService(ctx: StatementContext, name: Name, operation: string, optional = false): FoundService | undefined {
  const qualified = resolveObjectName(ctx, name, operation);
  const key = objectKey(qualified);
  const service = ctx.store.state.services[key];
  if (!service || !ctx.access.canSee('SERVICE', key)) {
    if (optional) return undefined;
    throw SqlErrors.doesNotExist('Service', displayName(qualified));
  }
  return { key, service };
}

export function requireService(ctx: StatementContext, name: Name, operation: string): FoundService {
  return findService(ctx, name, operation) as FoundService;
}

/** A service named by a string argument (`'db.schema.svc'`, `'svc'`). */
export function serviceFromText(ctx: StatementContext, text: string, operation: string): FoundService {
  const parts = parseDottedName(text);
  if (!parts) {
    throw SqlErrors.doesNotExist('Service', text.toUpperCase());
  }
  return requireService(ctx, { parts }, operation);
}

/** Requires one of the privileges (OWNERSHIP always qualifies). */
export function requirePrivilege(ctx: StatementContext, found: FoundService, ...privileges: string[]): void {
  if (!ctx.access.has('SERVICE', found.key, ...privileges)) {
    throw SqlErrors.insufficientPrivileges(`service '${found.key}'`);
  }
}

/**
 * USAGE on one endpoint of a service: the service's owner, or a role granted a service role that
 * covers it (ALL_ENDPOINTS_USAGE, or a spec `serviceRoles` entry listing the endpoint). What a gateway's
 * owner needs on each target (the CREATE GATEWAY docs: "Grant the service role ALL_ENDPOINTS_USAGE").
 */
export function holdsEndpointUsage(ctx: StatementContext, key: string, service: ServiceRecord, endpoint: string): boolean {
  if (ctx.access.isAdmin || ctx.access.owns('SERVICE', key)) return true;
  return ctx.store.state.serviceRoleGrants.some(
    (grant) =>
      grant.service === key &&
      ctx.access.roles.has(grant.grantee) &&
      (grant.serviceRole === 'ALL_ENDPOINTS_USAGE' ||
        service.current.spec.serviceRoles.some((role) => role.name.toUpperCase() === grant.serviceRole && role.endpoints.includes(endpoint))),
  );
}
