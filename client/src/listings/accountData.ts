/**
 * What the account holds, read from Snowflake the way the trees show it: one function per level of
 * the trees, each running its SHOW statements (a gateway's targets: DESCRIBE GATEWAY, its spec read
 * by the language service) through `SnowflakeSessions.execute` (with the caller's timeout and abort
 * signal) and mapping its rows to nodes (model/nodes.ts). The trees list with it,
 * and so do the commands that ask for a repository, an image or a service. Failures come back as the
 * classified error in a `Result`; turning them into error nodes is the tree provider's job.
 *
 * Must not: import `vscode`, cache anything (the providers cache children per node), or throw.
 */

import { TextDocument } from 'vscode-languageserver-textdocument';
import { findInstanceFamily, parseSpecDocument, readGatewaySpec, specLanguageId } from '../../../server/src/service';
import { cellBoolean, cellNumber, cellText, cellTime } from '../snowflake/cells';
import { ok, type Result } from '../snowflake/result';
import { compareInstanceIds, definedFields, gatewayRow, poolRow, serviceRow, type GatewayRow } from './rows';
import type { ExecuteOptions, ResultSet, SnowflakeSessions } from '../snowflake/session';
import * as sql from '../snowflake/sql';
import type {
  ConnectionName,
  ContainerNode,
  EndpointNode,
  GatewayNode,
  GatewayRef,
  GatewayTargetNode,
  ImageNode,
  InstanceNode,
  PoolNode,
  PoolRef,
  RepositoryNode,
  RepositoryRef,
  SchemaNode,
  ServiceNode,
  ServiceRef,
  TagNode,
  TreeViewId,
} from '../model/nodes';

export type QuerySessions = Pick<SnowflakeSessions, 'execute'>;

export interface QueryOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

type Row = Readonly<Record<string, unknown>>;

async function query(sessions: QuerySessions, connection: ConnectionName, statement: string, options: QueryOptions): Promise<Result<ResultSet>> {
  const executeOptions: ExecuteOptions = { ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }), ...(options.signal ? { signal: options.signal } : {}) };
  return sessions.execute(connection, statement, executeOptions);
}

async function rowsOf<T>(sessions: QuerySessions, connection: ConnectionName, statement: string, options: QueryOptions, map: (rows: readonly Row[]) => T): Promise<Result<T>> {
  const result = await query(sessions, connection, statement, options);
  return result.ok ? ok(map(result.value.rows)) : result;
}


// ---------------------------------------------------------------------------------------------
// Compute pools

/** GPUs per node of an instance family, when it has GPUs (from the offline family table). */
export function gpusPerNode(instanceFamily: string): number | undefined {
  const gpus = findInstanceFamily(instanceFamily)?.gpus;
  return gpus !== undefined && gpus > 0 ? gpus : undefined;
}

export function poolFromRow(view: TreeViewId, connection: ConnectionName, row: Row): PoolNode {
  const { name, state, instanceFamily, minNodes, maxNodes, activeNodes, idleNodes, numServices } = poolRow(row);
  return definedFields<PoolNode>({ kind: 'pool', view, connection, name, state, instanceFamily, minNodes, maxNodes, activeNodes, idleNodes, gpusPerNode: gpusPerNode(instanceFamily), numServices });
}

export async function listPools(sessions: QuerySessions, view: TreeViewId, connection: ConnectionName, options: QueryOptions = {}): Promise<Result<PoolNode[]>> {
  return rowsOf(sessions, connection, sql.showComputePools(), options, (rows) => rows.map((row) => poolFromRow(view, connection, row)).sort(byName));
}

// ---------------------------------------------------------------------------------------------
// Services

export function serviceFromRow(view: TreeViewId, connection: ConnectionName, row: Row): ServiceNode {
  const { database, schema, name, status, computePool, isJob, currentInstances, targetInstances, minInstances, maxInstances, isUpgrading, dnsName } = serviceRow(row);
  return definedFields<ServiceNode>({
    kind: 'service',
    view,
    connection,
    database,
    schema,
    name,
    status,
    computePool,
    isJob,
    currentInstances,
    targetInstances,
    minInstances,
    maxInstances,
    isUpgrading: isUpgrading ?? false,
    dnsName,
    hasBlockVolumes: false,
  });
}

function byName(left: { readonly name: string }, right: { readonly name: string }): number {
  return left.name < right.name ? -1 : left.name > right.name ? 1 : 0;
}

function byService(left: ServiceNode, right: ServiceNode): number {
  return left.database.localeCompare(right.database) || left.schema.localeCompare(right.schema) || byName(left, right);
}

export async function listServicesOfPool(sessions: QuerySessions, view: TreeViewId, pool: PoolRef, options: QueryOptions = {}): Promise<Result<ServiceNode[]>> {
  return rowsOf(sessions, pool.connection, sql.showServices({ in: { computePool: pool.name } }), options, (rows) =>
    rows.map((row) => serviceFromRow(view, pool.connection, row)).sort(byService),
  );
}

/**
 * The `database.schema` pairs that hold services or gateways (SHOW SERVICES / SHOW GATEWAYS IN
 * ACCOUNT), sorted. A failed SHOW GATEWAYS (a role that sees no gateways, an account without them)
 * leaves the schemas of the services: their gateway listing says what failed when expanded.
 */
export async function listSchemas(sessions: QuerySessions, view: TreeViewId, connection: ConnectionName, options: QueryOptions = {}): Promise<Result<SchemaNode[]>> {
  const [services, gateways] = await Promise.all([query(sessions, connection, sql.showServices({ in: { account: true } }), options), query(sessions, connection, sql.showGateways({ in: { account: true } }), options)]);
  if (!services.ok) return services;
  return ok(schemasOfRows(view, connection, [...services.value.rows, ...(gateways.ok ? gateways.value.rows : [])]));
}

export function schemasOfRows(view: TreeViewId, connection: ConnectionName, rows: readonly Row[]): SchemaNode[] {
  const seen = new Map<string, SchemaNode>();
  for (const row of rows) {
    const database = cellText(row['database_name']) ?? '';
    const schema = cellText(row['schema_name']) ?? '';
    const key = `${database}\u0000${schema}`;
    if (!seen.has(key)) seen.set(key, { kind: 'schema', view, connection, database, schema });
  }
  return [...seen.values()].sort((left, right) => left.database.localeCompare(right.database) || left.schema.localeCompare(right.schema));
}

export async function listServicesOfSchema(sessions: QuerySessions, view: TreeViewId, schema: SchemaNode, options: QueryOptions = {}): Promise<Result<ServiceNode[]>> {
  return rowsOf(sessions, schema.connection, sql.showServices({ in: { schema: { schema: schema.database, name: schema.schema } } }), options, (rows) =>
    rows.map((row) => serviceFromRow(view, schema.connection, row)).sort(byName),
  );
}

function serviceName(service: ServiceRef): sql.QualifiedName {
  return { database: service.database, schema: service.schema, name: service.name };
}

export async function listInstances(sessions: QuerySessions, view: TreeViewId, service: ServiceRef, options: QueryOptions = {}): Promise<Result<InstanceNode[]>> {
  return rowsOf(sessions, service.connection, sql.showServiceInstances(serviceName(service)), options, (rows) =>
    rows
      .map((row): InstanceNode => ({
        kind: 'instance',
        view,
        connection: service.connection,
        database: service.database,
        schema: service.schema,
        name: service.name,
        instanceId: cellText(row['instance_id']) ?? '',
        status: cellText(row['status']) ?? 'UNKNOWN',
      }))
      .sort((left, right) => compareInstanceIds(left.instanceId, right.instanceId)),
  );
}

/** The containers of one instance (`instanceId`), or of every instance when it is omitted. */
export async function listContainers(sessions: QuerySessions, view: TreeViewId, service: ServiceRef & { readonly instanceId?: string }, options: QueryOptions = {}): Promise<Result<ContainerNode[]>> {
  return rowsOf(sessions, service.connection, sql.showServiceContainers(serviceName(service)), options, (rows) =>
    rows
      .filter((row) => service.instanceId === undefined || cellText(row['instance_id']) === service.instanceId)
      .map((row) =>
        definedFields<ContainerNode>({
          kind: 'container',
          view,
          connection: service.connection,
          database: service.database,
          schema: service.schema,
          name: service.name,
          instanceId: cellText(row['instance_id']) ?? '',
          container: cellText(row['container_name']) ?? '',
          status: cellText(row['status']) ?? 'UNKNOWN',
          restartCount: cellNumber(row['restart_count']) ?? 0,
          message: cellText(row['message']) || undefined,
          image: cellText(row['image_name']) || undefined,
        }),
      ),
  );
}

/** HTTP endpoints (the protocol defaults to HTTP): the ones a service function can call. */
export function isHttpProtocol(protocol: string): boolean {
  const upper = protocol.trim().toUpperCase();
  return upper === '' || upper === 'HTTP' || upper === 'HTTPS';
}

/** An ingress URL as a browsable `https://` URL; undefined while provisioning (SHOW prints a sentence instead). */
export function ingressUrlOf(value: string | undefined): { url?: string; note?: string } {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return {};
  if (/\s/.test(trimmed)) return { note: trimmed };
  return { url: /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}` };
}

export async function listEndpoints(sessions: QuerySessions, view: TreeViewId, service: ServiceRef, options: QueryOptions = {}): Promise<Result<EndpointNode[]>> {
  const ref: ServiceRef = { connection: service.connection, database: service.database, schema: service.schema, name: service.name };
  return rowsOf(sessions, service.connection, sql.showEndpoints(serviceName(service)), options, (rows) =>
    rows.map((row) => {
      const isPublic = cellBoolean(row['is_public']) ?? false;
      const ingress = isPublic ? ingressUrlOf(cellText(row['ingress_url'])) : {};
      return definedFields<EndpointNode>({
        kind: 'endpoint',
        view,
        service: ref,
        name: cellText(row['name']) ?? '',
        port: cellText(row['port']) ?? cellText(row['port_range']),
        protocol: cellText(row['protocol']) ?? 'HTTP',
        isPublic,
        ingressUrl: ingress.url,
        ingressNote: ingress.note,
      });
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Gateways

export function gatewayFromRow(view: TreeViewId, connection: ConnectionName, row: GatewayRow): GatewayNode {
  const ingress = ingressUrlOf(row.ingressUrl);
  return definedFields<GatewayNode>({ kind: 'gateway', view, connection, database: row.database, schema: row.schema, name: row.name, ingressUrl: ingress.url, ingressNote: ingress.note, comment: row.comment });
}

/** The gateways of one schema (SHOW GATEWAYS IN SCHEMA), sorted by name. */
export async function listGatewaysOfSchema(sessions: QuerySessions, view: TreeViewId, schema: SchemaNode, options: QueryOptions = {}): Promise<Result<GatewayNode[]>> {
  return rowsOf(sessions, schema.connection, sql.showGateways({ in: { schema: { schema: schema.database, name: schema.schema } } }), options, (rows) =>
    rows.map((row) => gatewayFromRow(view, schema.connection, gatewayRow(row))).sort(byName),
  );
}

export function gatewayName(gateway: GatewayRef): sql.QualifiedName {
  return { database: gateway.database, schema: gateway.schema, name: gateway.name };
}

/** DESCRIBE GATEWAY's row (with the spec as Snowflake keeps it), undefined when there is no row. */
export async function describeGatewayRow(sessions: QuerySessions, gateway: GatewayRef, options: QueryOptions = {}): Promise<Result<GatewayRow | undefined>> {
  return rowsOf(sessions, gateway.connection, sql.describeGateway(gatewayName(gateway)), options, (rows) => (rows[0] === undefined ? undefined : gatewayRow(rows[0])));
}

/** The endpoints a gateway's spec routes to, in spec order, with their weights. */
export function gatewayTargetsOfSpec(view: TreeViewId, gateway: GatewayRef, specText: string): GatewayTargetNode[] {
  const model = readGatewaySpec(parseSpecDocument(TextDocument.create(`spcs-gateway:/${gateway.name}.gateway.yaml`, specLanguageId, 1, specText)));
  const ref: GatewayRef = { connection: gateway.connection, database: gateway.database, schema: gateway.schema, name: gateway.name };
  return model.endpoints.map((endpoint) =>
    definedFields<GatewayTargetNode>({ kind: 'gatewayTarget', view, gateway: ref, gatewayType: model.type ?? 'unknown', role: endpoint.role, value: endpoint.value ?? '(templated)', weight: endpoint.weight }),
  );
}

export async function listGatewayTargets(sessions: QuerySessions, view: TreeViewId, gateway: GatewayRef, options: QueryOptions = {}): Promise<Result<GatewayTargetNode[]>> {
  const described = await describeGatewayRow(sessions, gateway, options);
  if (!described.ok) return described;
  return ok(described.value?.spec === undefined ? [] : gatewayTargetsOfSpec(view, gateway, described.value.spec));
}

// ---------------------------------------------------------------------------------------------
// Image repositories

export async function listRepositories(sessions: QuerySessions, view: TreeViewId, connection: ConnectionName, options: QueryOptions = {}): Promise<Result<RepositoryNode[]>> {
  return rowsOf(sessions, connection, sql.showImageRepositories({ in: { account: true } }), options, (rows) =>
    rows
      .map((row): RepositoryNode => ({
        kind: 'repository',
        view,
        connection,
        database: cellText(row['database_name']) ?? '',
        schema: cellText(row['schema_name']) ?? '',
        name: cellText(row['name']) ?? '',
        repositoryUrl: cellText(row['repository_url']) ?? '',
      }))
      .sort((left, right) => left.database.localeCompare(right.database) || left.schema.localeCompare(right.schema) || byName(left, right)),
  );
}

function repositoryName(repository: RepositoryRef): sql.QualifiedName {
  return { database: repository.database, schema: repository.schema, name: repository.name };
}

function repositoryRef(repository: RepositoryRef): RepositoryRef {
  return { connection: repository.connection, database: repository.database, schema: repository.schema, name: repository.name };
}

/** The images of a repository (a `RepositoryNode`, or a reference: the URL then comes from SHOW IMAGES' `image_path`). */
export async function listImages(sessions: QuerySessions, view: TreeViewId, repository: RepositoryRef & { readonly repositoryUrl?: string }, options: QueryOptions = {}): Promise<Result<ImageNode[]>> {
  return rowsOf(sessions, repository.connection, sql.showImages(repositoryName(repository)), options, (rows) => {
    const names = [...new Set(rows.map((row) => cellText(row['image_name']) ?? '').filter((name) => name !== ''))].sort();
    const repositoryUrl = repository.repositoryUrl ?? repositoryUrlFromImagePath(rows);
    return names.map((image): ImageNode => ({ kind: 'image', view, repository: repositoryRef(repository), repositoryUrl, image }));
  });
}

/** `db/schema/repo` from an `image_path` column (`db/schema/repo/image:tag`), as a host-less repository URL. */
function repositoryUrlFromImagePath(rows: readonly Row[]): string {
  const imagePathText = rows.map((row) => cellText(row['image_path'])).find((value) => value !== undefined) ?? '';
  const parts = imagePathText.replace(/^\/+/, '').split('/');
  return parts.length >= 4 ? `/${parts.slice(0, 3).join('/')}` : '';
}

export function tagsFromRows(view: TreeViewId, image: ImageNode, rows: readonly Row[]): TagNode[] {
  const tags: TagNode[] = [];
  for (const row of rows) {
    if (cellText(row['image_name']) !== image.image) continue;
    // SHOW IMAGES prints one row per tag; tolerate a comma-separated or JSON list too.
    for (const tag of tagList(row['tags'])) {
      tags.push(
        definedFields<TagNode>({
          kind: 'tag',
          view,
          repository: image.repository,
          repositoryUrl: image.repositoryUrl,
          image: image.image,
          tag,
          digest: cellText(row['digest']) || undefined,
          sizeBytes: cellNumber(row['size_bytes'] ?? row['size']),
          createdOn: cellTime(row['created_on']),
        }),
      );
    }
  }
  // Newest first; equal dates keep the order SHOW printed.
  return tags.map((tag, index) => ({ tag, index })).sort((left, right) => (right.tag.createdOn ?? '').localeCompare(left.tag.createdOn ?? '') || left.index - right.index).map(({ tag }) => tag);
}

function tagList(value: unknown): string[] {
  const raw = cellText(value)?.trim() ?? '';
  if (raw === '') return [];
  if (raw.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed)) return parsed.filter((item): item is string => typeof item === 'string');
    } catch {
      // Not JSON after all: fall through to the comma-separated reading.
    }
  }
  return raw.split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
}

export async function listTags(sessions: QuerySessions, view: TreeViewId, image: ImageNode, options: QueryOptions = {}): Promise<Result<TagNode[]>> {
  return rowsOf(sessions, image.repository.connection, sql.showImages(repositoryName(image.repository)), options, (rows) => tagsFromRows(view, image, rows));
}

/**
 * The image path a spec's `image:` field uses: `/<db>/<schema>/<repository>/<image>:<tag>` (the
 * repository URL without its registry host), e.g. `/tutorial_db/data_schema/tutorial_repository/echo:v1`.
 */
export function imagePath(repositoryUrl: string, image: string, tag?: string): string {
  const slash = repositoryUrl.indexOf('/');
  const repositoryPath = slash >= 0 ? repositoryUrl.slice(slash) : `/${repositoryUrl}`;
  return `${repositoryPath.replace(/\/+$/, '')}/${image}${tag === undefined ? '' : `:${tag}`}`;
}
