/**
 * The palette's way to name an object when a command runs without a tree node: after the connection
 * (`context.connections.pick()`), a QuickPick of the services, compute pools, endpoints or log
 * sources the SHOW statements list.
 *
 * Owns: turning SHOW SERVICES / SHOW COMPUTE POOLS / SHOW SERVICE CONTAINERS / SHOW ENDPOINTS rows
 * into references (pure, columns read by name), and the QuickPicks over them. The editor is reached
 * only through the `PickerUi` the caller passes (built on `vscode.window` in the command modules), so
 * this module loads without `vscode` and its row mapping is unit-tested against the emulator.
 *
 * Must not: change anything in the account, or show more than a QuickPick and a progress indicator.
 */

import type { SnowflakeError } from '../snowflake/errors';
import { compareInstanceIds, definedFields, poolRow, serviceRow } from '../listings/rows';
import { cellBoolean, cellNumber, cellText } from '../snowflake/cells';
import { ok, type Result } from '../snowflake/result';
import type { ResultSet, SnowflakeSessions } from '../snowflake/session';
import * as sql from '../snowflake/sql';
import type { ConnectionName, ContainerRef, InstanceRef, PoolRef, ServiceRef } from '../model/nodes';

/** A service as SHOW SERVICES lists it: the reference plus what the commands decide on. */
export interface ServiceListing extends ServiceRef {
  readonly status: string;
  readonly computePool: string;
  readonly isJob: boolean;
  readonly dnsName?: string;
  readonly minInstances?: number;
  readonly maxInstances?: number;
  readonly minReadyInstances?: number;
}

export interface PoolListing extends PoolRef {
  readonly state: string;
  readonly instanceFamily: string;
}

export interface ContainerListing extends ContainerRef {
  readonly status: string;
  readonly restartCount: number;
}

export interface EndpointListing {
  readonly service: ServiceRef;
  readonly name: string;
  readonly port?: string;
  readonly protocol: string;
  readonly isPublic: boolean;
  /** What SHOW ENDPOINTS has in `ingress_url`: a host name, a placeholder while provisioning, or empty. */
  readonly ingressUrl?: string;
}

/** What a log command covers: a whole service, one instance, or one container. */
export type LogTargetRef = ServiceRef | InstanceRef | ContainerRef;

// ---------------------------------------------------------------------------------------------------
// Rows → references (pure)

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** SHOW SERVICES (or DESCRIBE SERVICE) rows → services, in the listed order. */
export function servicesFromRows(connection: ConnectionName, result: Pick<ResultSet, 'rows'>): ServiceListing[] {
  const services: ServiceListing[] = [];
  for (const row of result.rows) {
    const { database, schema, name, status, computePool, isJob, dnsName, minInstances, maxInstances, minReadyInstances } = serviceRow(row);
    if (name === '' || database === '' || schema === '') continue;
    services.push(definedFields<ServiceListing>({ connection, database, schema, name, status, computePool, isJob, dnsName, minInstances, maxInstances, minReadyInstances }));
  }
  return services;
}

export function poolsFromRows(connection: ConnectionName, result: Pick<ResultSet, 'rows'>): PoolListing[] {
  const pools: PoolListing[] = [];
  for (const row of result.rows) {
    const { name, state, instanceFamily } = poolRow(row);
    if (name !== '') pools.push({ connection, name, state, instanceFamily });
  }
  return pools;
}

/** SHOW SERVICE CONTAINERS rows → containers, by instance id (numerically) then in the listed order. */
export function containersFromRows(service: ServiceRef, result: Pick<ResultSet, 'rows'>): ContainerListing[] {
  const containers: { listing: ContainerListing; index: number }[] = [];
  result.rows.forEach((row, index) => {
    const instanceId = cellText(row['instance_id']);
    const container = cellText(row['container_name']);
    if (instanceId === undefined || container === undefined) return;
    containers.push({
      index,
      listing: { ...serviceRefOf(service), instanceId, container, status: cellText(row['status']) ?? 'UNKNOWN', restartCount: cellNumber(row['restart_count']) ?? 0 },
    });
  });
  return containers
    .sort((a, b) => compareInstanceIds(a.listing.instanceId, b.listing.instanceId) || a.index - b.index)
    .map(({ listing }) => listing);
}

export function endpointsFromRows(service: ServiceRef, result: Pick<ResultSet, 'rows'>): EndpointListing[] {
  const endpoints: EndpointListing[] = [];
  for (const row of result.rows) {
    const name = cellText(row['name']);
    if (name === undefined) continue;
    endpoints.push({
      service: serviceRefOf(service),
      name,
      protocol: cellText(row['protocol']) ?? 'HTTP',
      isPublic: cellBoolean(row['is_public']) ?? false,
      ...optional('port', cellText(row['port']) ?? cellText(row['port_range'])),
      ...optional('ingressUrl', cellText(row['ingress_url'])),
    });
  }
  return endpoints;
}

/** Just the `ServiceRef` fields of anything that has them (nodes and listings carry more). */
export function serviceRefOf(service: ServiceRef): ServiceRef {
  return { connection: service.connection, database: service.database, schema: service.schema, name: service.name };
}

export function qualifiedServiceName(service: ServiceRef): sql.QualifiedName {
  return { database: service.database, schema: service.schema, name: service.name };
}

/** `DB.SCHEMA.NAME`, quoted where Snowflake needs it: how messages name a service. */
export function displayServiceName(service: ServiceRef): string {
  return sql.qualifiedName(service.database, service.schema, service.name);
}

/**
 * The log targets a service offers, in the order a picker shows them: the whole service, then each
 * instance, each followed by its containers (an instance with one container is offered once, as
 * that container).
 */
export function logTargetsOf(service: ServiceRef, containers: readonly ContainerListing[]): { readonly label: string; readonly description: string; readonly target: LogTargetRef }[] {
  const base = serviceRefOf(service);
  const targets: { label: string; description: string; target: LogTargetRef }[] = [
    { label: service.name, description: `every container of every instance`, target: base },
  ];
  const byInstance = new Map<string, ContainerListing[]>();
  for (const container of containers) {
    const list = byInstance.get(container.instanceId) ?? [];
    list.push(container);
    byInstance.set(container.instanceId, list);
  }
  for (const [instanceId, list] of byInstance) {
    if (list.length > 1) {
      targets.push({ label: `${service.name}/${instanceId}`, description: `instance ${instanceId}: ${list.map((each) => each.container).join(', ')}`, target: { ...base, instanceId } });
    }
    for (const container of list) {
      const restarts = container.restartCount > 0 ? `, restarted ${container.restartCount}×` : '';
      targets.push({
        label: `${service.name}/${instanceId}/${container.container}`,
        description: `${container.status}${restarts}`,
        target: { ...base, instanceId, container: container.container },
      });
    }
  }
  return targets;
}

// ---------------------------------------------------------------------------------------------------
// Listing (I/O through the sessions)

type Execute = Pick<SnowflakeSessions, 'execute'>;

export interface ListOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

async function list<T>(sessions: Execute, connection: ConnectionName, statement: string, options: ListOptions, map: (result: ResultSet) => T[]): Promise<Result<T[]>> {
  const result = await sessions.execute(connection, statement, options);
  return result.ok ? ok(map(result.value)) : result;
}

export function listServices(sessions: Execute, connection: ConnectionName, options: ListOptions & { readonly excludeJobs?: boolean }): Promise<Result<ServiceListing[]>> {
  return list(sessions, connection, sql.showServices({ in: { account: true }, excludeJobs: options.excludeJobs }), options, (result) => servicesFromRows(connection, result));
}

export function listPools(sessions: Execute, connection: ConnectionName, options: ListOptions): Promise<Result<PoolListing[]>> {
  return list(sessions, connection, sql.showComputePools(), options, (result) => poolsFromRows(connection, result));
}

export function listContainers(sessions: Execute, service: ServiceRef, options: ListOptions): Promise<Result<ContainerListing[]>> {
  return list(sessions, service.connection, sql.showServiceContainers(qualifiedServiceName(service)), options, (result) => containersFromRows(service, result));
}

export function listEndpoints(sessions: Execute, service: ServiceRef, options: ListOptions): Promise<Result<EndpointListing[]>> {
  return list(sessions, service.connection, sql.showEndpoints(qualifiedServiceName(service)), options, (result) => endpointsFromRows(service, result));
}

// ---------------------------------------------------------------------------------------------------
// QuickPicks

export interface PickItem<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: T;
}

/** The editor operations the pickers use (`vscode.window` in the extension; a script in tests). */
export interface PickerUi {
  /** Runs a listing with a progress indicator that says `title`. */
  busy<T>(title: string, task: () => Promise<T>): Promise<T>;
  /** A QuickPick of `items`; `undefined` when cancelled. */
  pick<T>(items: readonly PickItem<T>[], options: { readonly title: string; readonly placeholder: string }): Promise<PickItem<T> | undefined>;
  /** Says that there is nothing to pick. */
  info(message: string): void;
  /** Says why listing failed. */
  error(error: SnowflakeError, what: string): void;
}

async function pickFrom<L, T>(ui: PickerUi, listing: () => Promise<Result<L[]>>, toItem: (each: L) => PickItem<T>, options: { title: string; placeholder: string; what: string; none: string }): Promise<T | undefined> {
  const result = await ui.busy(`${options.what}…`, listing);
  if (!result.ok) {
    ui.error(result.error, options.what);
    return undefined;
  }
  if (result.value.length === 0) {
    ui.info(options.none);
    return undefined;
  }
  return (await ui.pick(result.value.map(toItem), options))?.value;
}

export function pickService(ui: PickerUi, sessions: Execute, connection: ConnectionName, options: ListOptions & { readonly title: string; readonly excludeJobs?: boolean; readonly filter?: (service: ServiceListing) => boolean }): Promise<ServiceListing | undefined> {
  const listing = () => listServices(sessions, connection, options).then((result) => (result.ok && options.filter ? ok(result.value.filter(options.filter)) : result));
  return pickFrom(
    ui,
    listing,
    (service) => ({ label: service.name, description: `${service.status} · ${service.database}.${service.schema}`, detail: service.computePool ? `compute pool ${service.computePool}${service.isJob ? ' · job' : ''}` : undefined, value: service }),
    { title: options.title, placeholder: 'Service', what: `Listing the services of connection "${connection}"`, none: `Connection "${connection}" shows no services that fit.` },
  );
}

export function pickPool(ui: PickerUi, sessions: Execute, connection: ConnectionName, options: ListOptions & { readonly title: string; readonly filter?: (pool: PoolListing) => boolean }): Promise<PoolListing | undefined> {
  const listing = () => listPools(sessions, connection, options).then((result) => (result.ok && options.filter ? ok(result.value.filter(options.filter)) : result));
  return pickFrom(ui, listing, (pool) => ({ label: pool.name, description: `${pool.state} · ${pool.instanceFamily}`, value: pool }), {
    title: options.title,
    placeholder: 'Compute pool',
    what: `Listing the compute pools of connection "${connection}"`,
    none: `Connection "${connection}" shows no compute pools that fit.`,
  });
}

export function pickEndpoint(ui: PickerUi, endpoints: readonly EndpointListing[], title: string): Promise<EndpointListing | undefined> {
  return pickFrom(ui, () => Promise.resolve(ok([...endpoints])), (endpoint) => ({ label: endpoint.name, description: endpoint.ingressUrl ?? '', detail: `${endpoint.protocol}${endpoint.port ? ` port ${endpoint.port}` : ''}`, value: endpoint }), {
    title,
    placeholder: 'Endpoint',
    what: 'Listing the endpoints',
    none: 'The service has no public endpoint.',
  });
}

/** The whole service, one instance or one container, from SHOW SERVICE CONTAINERS. */
export function pickLogTarget(ui: PickerUi, sessions: Execute, service: ServiceRef, options: ListOptions & { readonly title: string; readonly containersOnly?: boolean }): Promise<LogTargetRef | undefined> {
  const listing = () => listContainers(sessions, service, options).then((result) => {
    if (!result.ok) return result;
    const targets = logTargetsOf(service, result.value);
    return ok(options.containersOnly ? targets.filter((each) => 'container' in each.target) : targets);
  });
  return pickFrom(ui, listing, (each) => ({ label: each.label, description: each.description, value: each.target }), {
    title: options.title,
    placeholder: 'Service, instance or container',
    what: `Listing the containers of ${displayServiceName(service)}`,
    none: `${displayServiceName(service)} has no containers yet.`,
  });
}
