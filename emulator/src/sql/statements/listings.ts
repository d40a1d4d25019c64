/**
 * Per-service listings (reference §4.10): SHOW SERVICE INSTANCES IN SERVICE, SHOW SERVICE CONTAINERS
 * IN SERVICE (MONITOR or OWNERSHIP), SHOW ENDPOINTS IN SERVICE and SHOW ROLES IN SERVICE (USAGE or
 * OWNERSHIP), with the columns in Snowflake's order.
 *
 * Owns: ingress URLs (`<hash>-<org>-<account>.snowflakecomputing.app`, or Snowflake's
 * "Endpoints provisioning in progress... check back in a few minutes" until the public endpoint is
 * provisioned) and the built-in service role ALL_ENDPOINTS_USAGE.
 */

import { shortHash } from '../../account/hashing';
import { ingressPlaceholder, ingressReady, serviceState } from '../../account/lifecycle';
import type { ServiceRecord } from '../../account/model';
import { dnsLabel } from '../../account/names';
import type { ResultSet } from '../../contract';
import type { Name } from '../ast';
import type { StatementContext } from '../context';
import { Columns, numberCell, resultSet, textCell, timeCell, type Cell } from '../result';
import { requirePrivilege, requireService } from './serviceLookup';

export function ingressHost(ctx: StatementContext, service: ServiceRecord, endpoint: string): string {
  const account = dnsLabel(ctx.store.state.name);
  const organization = dnsLabel(ctx.store.state.organization);
  return `${shortHash(8, service.seed, 'ingress', endpoint)}-${organization}-${account}.snowflakecomputing.app`;
}

export function showServiceInstances(ctx: StatementContext, name: Name): ResultSet {
  const found = requireService(ctx, name, 'SHOW SERVICE INSTANCES');
  requirePrivilege(ctx, found, 'MONITOR');
  const { service } = found;
  const state = serviceState(service, ctx.now);
  const columns = [
    Columns.text('database_name'),
    Columns.text('schema_name'),
    Columns.text('service_name'),
    Columns.text('service_status'),
    Columns.text('instance_id'),
    Columns.text('status'),
    Columns.text('spec_digest'),
    Columns.time('creation_time'),
    Columns.time('start_time'),
    Columns.text('ip_address'),
  ];
  const rows = state.instances.map((instance): Cell[] => [
    service.database,
    service.schema,
    service.name,
    state.status,
    String(instance.id),
    instance.status,
    instance.specDigest,
    timeCell(instance.creationTime),
    timeCell(instance.startTime),
    instance.ipAddress,
  ]);
  return resultSet(columns, rows);
}

export function showServiceContainers(ctx: StatementContext, name: Name): ResultSet {
  const found = requireService(ctx, name, 'SHOW SERVICE CONTAINERS');
  requirePrivilege(ctx, found, 'MONITOR');
  const { service } = found;
  const state = serviceState(service, ctx.now);
  const columns = [
    Columns.text('database_name'),
    Columns.text('schema_name'),
    Columns.text('service_name'),
    Columns.text('service_status'),
    Columns.text('instance_id'),
    Columns.text('instance_status'),
    Columns.text('container_name'),
    Columns.text('status'),
    Columns.text('message'),
    Columns.text('image_name'),
    Columns.text('image_digest'),
    Columns.number('restart_count'),
    Columns.time('start_time'),
    Columns.number('last_exit_code'),
    Columns.time('last_restart_time'),
  ];
  const rows: Cell[][] = [];
  for (const instance of state.instances) {
    for (const container of instance.containers) {
      rows.push([
        service.database,
        service.schema,
        service.name,
        state.status,
        String(instance.id),
        instance.status,
        container.spec.name,
        container.status,
        container.message,
        container.spec.image,
        textCell(container.digest),
        numberCell(container.restartCount),
        timeCell(container.startTime),
        numberCell(container.lastExitCode),
        timeCell(container.lastRestartTime),
      ]);
    }
  }
  return resultSet(columns, rows);
}

export function showEndpoints(ctx: StatementContext, name: Name): ResultSet {
  const found = requireService(ctx, name, 'SHOW ENDPOINTS');
  requirePrivilege(ctx, found, 'USAGE');
  const { service } = found;
  const columns = [
    Columns.text('name'),
    Columns.number('port'),
    Columns.text('port_range'),
    Columns.text('protocol'),
    Columns.boolean('is_public'),
    Columns.text('ingress_url'),
    Columns.text('privatelink_ingress_url'),
  ];
  const provisioned = ingressReady(service, ctx.now);
  const rows = service.current.spec.endpoints.map((endpoint): Cell[] => [
    endpoint.name,
    numberCell(endpoint.port),
    textCell(endpoint.portRange),
    endpoint.protocol,
    endpoint.isPublic ? 'true' : 'false',
    endpoint.isPublic ? (provisioned ? ingressHost(ctx, service, endpoint.name) : ingressPlaceholder) : '',
    '',
  ]);
  return resultSet(columns, rows);
}

export function showRolesInService(ctx: StatementContext, name: Name): ResultSet {
  const found = requireService(ctx, name, 'SHOW ROLES IN SERVICE');
  requirePrivilege(ctx, found, 'USAGE');
  const { service } = found;
  const columns = [Columns.time('created_on'), Columns.text('name'), Columns.text('comment')];
  const rows: Cell[][] = [[timeCell(service.createdOn), 'ALL_ENDPOINTS_USAGE', 'Built-in service role that grants usage on all endpoints of the service.']];
  for (const role of service.current.spec.serviceRoles) {
    rows.push([timeCell(service.createdOn), role.name.toUpperCase(), null]);
  }
  return resultSet(columns, rows);
}
