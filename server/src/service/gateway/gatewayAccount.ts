/**
 * A gateway spec against the live account: each target endpoint exists, takes HTTP and belongs to a
 * long-running service, and the role holds what CREATE GATEWAY needs (CREATE GATEWAY on the schema, or
 * MODIFY on the gateway when the deploy target names one that exists; BIND SERVICE ENDPOINT on the
 * account; USAGE on each target endpoint, which a service role gives: the service's owner holds it,
 * and `GRANT SERVICE ROLE <service>!ALL_ENDPOINTS_USAGE` gives it on every endpoint).
 *
 * Like every account check: all warnings (the account may have changed since the catalog was read),
 * each message says how old its facts are, quick fixes are never "preferred", and nothing is claimed
 * where the catalog did not read that kind of object (services or endpoints null), where the value is
 * templated, or where the grants cannot tell (a custom service role may or may not cover an endpoint).
 * Must not: throw on odd input or do I/O.
 */

import type { CatalogService } from '../../lspExtension';
import { heldPrivileges, privilegeVerdict, qualifiedKey, upper, type AccountIndex } from '../catalog/catalogIndex';
import type { AccountView } from '../catalog/catalogState';
import type { QuickFix, RuleDiagnostic } from '../rules/ruleApi';
import { replaceScalar } from '../rules/ruleHelpers';
import { getPair, keyRange, type SpecDocument } from '../specDocument';
import { formatEndpointReference, type EndpointReference, type GatewayEndpoint, type GatewaySpecModel } from './gatewaySpec';

type Report = (diagnostic: RuleDiagnostic) => void;

/** At most this many "use …" quick fixes per diagnostic. */
const maxFixes = 5;

export function gatewayAccountDiagnostics(doc: SpecDocument, model: GatewaySpecModel, view: AccountView, report: Report): void {
  checkGatewayPrivileges(doc, view, report);
  for (const endpoint of model.endpoints) {
    if (endpoint.reference && endpoint.valueNode) {
      checkTarget(doc, endpoint, endpoint.reference, view, report);
    }
  }
}

function specKeyRange(doc: SpecDocument) {
  return keyRange(doc, getPair(doc.root, 'spec'));
}

function roleName(index: AccountIndex): string {
  return index.catalog.role ? `'${index.catalog.role}'` : "the connection's role";
}

function isAdmin(index: AccountIndex): boolean {
  return upper(index.catalog.role ?? '') === 'ACCOUNTADMIN';
}

// ---------------------------------------------------------------------------------------------------
// CREATE GATEWAY / ALTER GATEWAY and BIND SERVICE ENDPOINT.

function checkGatewayPrivileges(doc: SpecDocument, view: AccountView, report: Report): void {
  const { index } = view;
  if (!index.grants || isAdmin(index)) {
    return;
  }
  const bind = [...index.grants.entries()].some(([key, privileges]) => key.startsWith('ACCOUNT|') && privileges.has('BIND SERVICE ENDPOINT'));
  if (!bind) {
    report({
      code: 'spcs/account-missing-privilege',
      at: specKeyRange(doc),
      message: `Role ${roleName(index)} does not have BIND SERVICE ENDPOINT on the account ${index.asOf}; CREATE GATEWAY and ALTER GATEWAY need it to bind the endpoints.`,
    });
  }
  const { database, schema } = view;
  if (database === undefined || schema === undefined) {
    return;
  }
  const existing = view.gatewayName === undefined ? undefined : findGateway(index, view.gatewayName, database, schema);
  if (existing) {
    if (privilegeVerdict(index, 'GATEWAY', existing, ['MODIFY']) === 'missing') {
      report({
        code: 'spcs/account-missing-privilege',
        at: specKeyRange(doc),
        message: `Role ${roleName(index)} has ${heldPrivileges(index, 'GATEWAY', existing).join(', ')} but not MODIFY on gateway '${existing}' ${index.asOf}; ALTER GATEWAY needs MODIFY or OWNERSHIP.`,
      });
    }
    return;
  }
  const schemaName = `${upper(database)}.${upper(schema)}`;
  if (privilegeVerdict(index, 'SCHEMA', schemaName, ['CREATE GATEWAY']) === 'missing') {
    report({
      code: 'spcs/account-missing-privilege',
      at: specKeyRange(doc),
      message: `Role ${roleName(index)} has ${heldPrivileges(index, 'SCHEMA', schemaName).join(', ')} but not CREATE GATEWAY on schema '${schemaName}' ${index.asOf}; CREATE GATEWAY needs it: GRANT CREATE GATEWAY ON SCHEMA ${schemaName} TO ROLE ${index.catalog.role ?? '<role>'}.`,
    });
  }
}

function findGateway(index: AccountIndex, name: string, database: string, schema: string): string | undefined {
  const key = `${upper(database)}.${upper(schema)}.${upper(name)}`;
  const gateway = index.gateways?.qualified.get(key);
  return gateway ? qualifiedKey(gateway) : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Targets.

function checkTarget(doc: SpecDocument, endpoint: GatewayEndpoint, reference: EndpointReference, view: AccountView, report: Report): void {
  const { index } = view;
  const services = index.services;
  const valueNode = endpoint.valueNode;
  if (!services || !valueNode) {
    return;
  }
  const key = `${upper(reference.database)}.${upper(reference.schema)}.${upper(reference.service)}`;
  const service = services.qualified.get(key);
  if (!service) {
    const candidates = (services.byName.get(upper(reference.service)) ?? []).filter((candidate) => !candidate.isJob);
    report({
      code: 'spcs/account-gateway-target-not-found',
      at: valueNode,
      message:
        `There is no service '${key}' ${index.asOf}, or role ${roleName(index)} cannot see it.` +
        (candidates.length > 0 ? ` Services named ${reference.service}: ${candidates.slice(0, maxFixes).map((candidate) => `'${qualifiedKey(candidate)}'`).join(', ')}.` : ''),
      fixes: candidates.slice(0, maxFixes).flatMap((candidate) => referenceFix(doc, endpoint, { ...reference, database: candidate.database, schema: candidate.schema, service: candidate.name, quoted: [false, false, false, reference.quoted[3]] })),
    });
    return;
  }
  const serviceName = qualifiedKey(service);
  if (service.isJob) {
    report({
      code: 'spcs/account-gateway-target',
      at: valueNode,
      message: `'${serviceName}' is a job service ${index.asOf}; a gateway routes to the endpoints of long-running services.`,
    });
    return;
  }
  if (!service.endpoints) {
    return;
  }
  const found = service.endpoints.find((candidate) => candidate.name.toLowerCase() === reference.endpoint.toLowerCase());
  const http = service.endpoints.filter((candidate) => isHttp(candidate.protocol));
  if (!found) {
    report({
      code: 'spcs/account-gateway-target-not-found',
      at: valueNode,
      message: `Service '${serviceName}' has no endpoint '${reference.endpoint}' ${index.asOf}. Its endpoints: ${describeEndpoints(service)}.`,
      fixes: http.slice(0, maxFixes).flatMap((candidate) => referenceFix(doc, endpoint, withEndpoint(reference, candidate.name))),
    });
    return;
  }
  if (!isHttp(found.protocol)) {
    report({
      code: 'spcs/account-gateway-target',
      at: valueNode,
      message:
        `Endpoint '${found.name}' of service '${serviceName}' uses protocol ${found.protocol || 'unknown'} ${index.asOf}; a gateway routes HTTP requests, so its endpoints must be HTTP.` +
        (http.length > 0 ? ` HTTP endpoints of this service: ${http.map((candidate) => `'${candidate.name}'`).join(', ')}.` : ''),
      fixes: http.slice(0, maxFixes).flatMap((candidate) => referenceFix(doc, endpoint, withEndpoint(reference, candidate.name))),
    });
    return;
  }
  if (endpointUsage(index, service) === 'missing') {
    report({
      code: 'spcs/account-missing-privilege',
      at: valueNode,
      message:
        `Role ${roleName(index)} has ${heldPrivileges(index, 'SERVICE', serviceName).join(', ')} on service '${serviceName}' but no service role that gives USAGE on its endpoint '${found.name}' ${index.asOf}; ` +
        `the gateway's owner role needs USAGE on each target endpoint: GRANT SERVICE ROLE ${serviceName}!ALL_ENDPOINTS_USAGE TO ROLE ${index.catalog.role ?? '<role>'}.`,
    });
  }
}

function isHttp(protocol: string): boolean {
  const upperProtocol = protocol.trim().toUpperCase();
  // A missing protocol means HTTP in a service spec; HTTPS is the legacy spelling of it.
  return upperProtocol === '' || upperProtocol === 'HTTP' || upperProtocol === 'HTTPS';
}

function describeEndpoints(service: CatalogService): string {
  const endpoints = service.endpoints ?? [];
  return endpoints.length === 0 ? 'none' : endpoints.map((candidate) => `'${candidate.name}' (${candidate.protocol || '?'})`).join(', ');
}

function withEndpoint(reference: EndpointReference, endpoint: string): EndpointReference {
  return { ...reference, endpoint, quoted: [reference.quoted[0], reference.quoted[1], reference.quoted[2], false] };
}

/** Replaces the value with another reference, written as the catalog names it (quoted where needed). */
function referenceFix(doc: SpecDocument, endpoint: GatewayEndpoint, reference: EndpointReference): QuickFix[] {
  const text = formatEndpointReference(reference);
  const edit = replaceScalar(doc, endpoint.valueNode, text);
  return edit ? [{ title: `Use '${text}'`, edits: [edit] }] : [];
}

/**
 * Whether the role holds USAGE on a service's endpoints: `held` as the service's owner or with its
 * ALL_ENDPOINTS_USAGE service role; `missing` only when the grants show the role on the service (some
 * privilege on it) with no service role of it at all; `unknown` otherwise (a spec service role may or
 * may not list the endpoint, and a role may see the service through grants the catalog does not list).
 */
export function endpointUsage(index: AccountIndex, service: CatalogService): 'held' | 'missing' | 'unknown' {
  if (!index.grants || isAdmin(index)) {
    return index.grants ? 'held' : 'unknown';
  }
  const key = qualifiedKey(service);
  if (service.owner !== undefined && index.catalog.role !== undefined && upper(service.owner) === upper(index.catalog.role)) {
    return 'held';
  }
  const onService = index.grants.get(`SERVICE|${key}`);
  if (onService?.has('OWNERSHIP')) {
    return 'held';
  }
  const roles = serviceRolesOf(index).get(key);
  if (roles?.has('ALL_ENDPOINTS_USAGE')) {
    return 'held';
  }
  if (roles && roles.size > 0) {
    return 'unknown';
  }
  return onService && onService.size > 0 ? 'missing' : 'unknown';
}

/** The service roles the role holds, by service (`DB.SCHEMA.SVC` → `ALL_ENDPOINTS_USAGE`, …), built once per catalog. */
function serviceRolesOf(index: AccountIndex): ReadonlyMap<string, ReadonlySet<string>> {
  return index.derived.get('gatewayServiceRoles', () => {
    const result = new Map<string, Set<string>>();
    for (const [key] of index.grants ?? []) {
      if (!key.startsWith('SERVICE ROLE|')) {
        continue;
      }
      const name = key.slice('SERVICE ROLE|'.length);
      const bang = name.lastIndexOf('!');
      if (bang === -1) {
        continue;
      }
      const service = name.slice(0, bang);
      const roles = result.get(service) ?? new Set<string>();
      roles.add(name.slice(bang + 1));
      result.set(service, roles);
    }
    return result;
  });
}
