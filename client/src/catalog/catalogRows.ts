/**
 * SHOW rows read into the account catalog's entries (instance families, pools, services with their
 * endpoints, gateways, repositories with their images and tags, stages, secrets, integrations,
 * warehouses), and the registry host of an account. Pure: `fetchCatalog.ts` runs the statements.
 */

import type {
  CatalogAccountObject,
  CatalogComputePool,
  CatalogEndpoint,
  CatalogGateway,
  CatalogImage,
  CatalogImageRepository,
  CatalogInstanceFamily,
  CatalogSchemaObject,
  CatalogSecret,
  CatalogService,
} from '../../../server/src/lspExtension';
import { cellNumber, cellText, cellTime } from '../snowflake/cells';
import type { ResultSet } from '../snowflake/session';


export function contextOf(result: ResultSet): [string | undefined, string | undefined, string | undefined] {
  const row = result.rows[0] ?? {};
  const cell = (index: number): string | undefined => {
    const column = result.columns[index];
    const value = column === undefined ? undefined : row[column.name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  return [cell(0), cell(1), cell(2)];
}

export function text(row: Readonly<Record<string, unknown>>, key: string): string | undefined {
  return cellText(row[key]);
}

export function number(row: Readonly<Record<string, unknown>>, key: string): number | undefined {
  return cellNumber(row[key]);
}

/** A timestamp cell → ISO 8601 (text that is no timestamp is kept as it is; nothing → ''). */
function isoTime(value: unknown): string {
  return cellTime(value) ?? (typeof value === 'string' ? value : '');
}

export function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

export function familyOf(row: Readonly<Record<string, unknown>>): CatalogInstanceFamily | undefined {
  const name = text(row, 'name');
  if (name === undefined) return undefined;
  const gpuModel = text(row, 'gpu');
  const gpuMemoryGiB = number(row, 'gpu_memory_gib');
  const storageGiB = number(row, 'storage_gib');
  const description = text(row, 'description');
  return {
    name,
    vcpu: number(row, 'vcpu') ?? 0,
    memoryGiB: number(row, 'memory_gib') ?? 0,
    gpus: number(row, 'gpu_count') ?? 0,
    ...(gpuModel === undefined ? {} : { gpuModel }),
    ...(gpuMemoryGiB === undefined || gpuMemoryGiB === 0 ? {} : { gpuMemoryGiB }),
    ...(storageGiB === undefined ? {} : { storageGiB }),
    ...(description === undefined ? {} : { description }),
  };
}

export function poolOf(row: Readonly<Record<string, unknown>>): CatalogComputePool | undefined {
  const name = text(row, 'name');
  if (name === undefined) return undefined;
  return {
    name,
    state: text(row, 'state') ?? 'UNKNOWN',
    instanceFamily: text(row, 'instance_family') ?? '',
    minNodes: number(row, 'min_nodes') ?? 0,
    maxNodes: number(row, 'max_nodes') ?? 0,
  };
}

export function schemaObjectOf(row: Readonly<Record<string, unknown>>): CatalogSchemaObject | undefined {
  const name = text(row, 'name');
  const database = text(row, 'database_name');
  const schema = text(row, 'schema_name');
  return name === undefined || database === undefined || schema === undefined ? undefined : { database, schema, name };
}

export function secretOf(row: Readonly<Record<string, unknown>>): CatalogSecret | undefined {
  const object = schemaObjectOf(row);
  return object === undefined ? undefined : { ...object, type: text(row, 'secret_type') ?? '' };
}

export function accountObjectOf(row: Readonly<Record<string, unknown>>): CatalogAccountObject | undefined {
  const name = text(row, 'name');
  return name === undefined ? undefined : { name };
}

function flag(row: Readonly<Record<string, unknown>>, key: string): boolean {
  const value = row[key];
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

/** An ingress URL as SHOW prints it once provisioned; the sentence printed while provisioning is not one. */
function ingressUrl(row: Readonly<Record<string, unknown>>): string | undefined {
  const value = text(row, 'ingress_url')?.trim();
  return value === undefined || value === '' || /\s/.test(value) ? undefined : value;
}

export function serviceOf(row: Readonly<Record<string, unknown>>): Omit<CatalogService, 'endpoints'> | undefined {
  const object = schemaObjectOf(row);
  if (object === undefined) return undefined;
  const status = text(row, 'status');
  const computePool = text(row, 'compute_pool');
  const owner = text(row, 'owner');
  return {
    ...object,
    ...(status === undefined ? {} : { status }),
    ...(computePool === undefined ? {} : { computePool }),
    ...(owner === undefined ? {} : { owner }),
    isJob: flag(row, 'is_job'),
  };
}

export function endpointOf(row: Readonly<Record<string, unknown>>): CatalogEndpoint | undefined {
  const name = text(row, 'name');
  if (name === undefined) return undefined;
  const port = number(row, 'port');
  const portRange = text(row, 'port_range');
  const isPublic = flag(row, 'is_public');
  const url = isPublic ? ingressUrl(row) : undefined;
  return {
    name,
    ...(port === undefined ? {} : { port }),
    ...(portRange === undefined ? {} : { portRange }),
    protocol: text(row, 'protocol') ?? 'HTTP',
    isPublic,
    ...(url === undefined ? {} : { ingressUrl: url }),
  };
}

export function gatewayOf(row: Readonly<Record<string, unknown>>): CatalogGateway | undefined {
  const object = schemaObjectOf(row);
  if (object === undefined) return undefined;
  const owner = text(row, 'owner');
  const url = ingressUrl(row);
  const comment = text(row, 'comment');
  return { ...object, ...(owner === undefined ? {} : { owner }), ...(url === undefined ? {} : { ingressUrl: url }), ...(comment === undefined ? {} : { comment }) };
}

export function repositoryOf(row: Readonly<Record<string, unknown>>): Omit<CatalogImageRepository, 'images'> {
  const repositoryUrl = text(row, 'repository_url');
  return {
    database: text(row, 'database_name') ?? '',
    schema: text(row, 'schema_name') ?? '',
    name: text(row, 'name') ?? '',
    ...(repositoryUrl === undefined ? {} : { repositoryUrl }),
  };
}

/**
 * SHOW IMAGES rows → one entry per (image, digest) with all its tags. Snowflake prints `tags` as a
 * JSON list (`["v2","latest"]`); a plain or comma-separated value is read too.
 */
export function imagesOf(rows: readonly Readonly<Record<string, unknown>>[], max: number): CatalogImage[] {
  const byDigest = new Map<string, { name: string; digest: string; tags: string[]; createdOn: string; sizeBytes?: number }>();
  for (const row of rows) {
    const name = text(row, 'image_name');
    if (name === undefined) continue;
    const digest = text(row, 'digest') ?? '';
    const key = `${name}\u0000${digest}`;
    const tags = tagsOf(row['tags']);
    const createdOn = isoTime(row['created_on']);
    const sizeBytes = number(row, 'size_bytes') ?? number(row, 'compressed_size');
    const entry = byDigest.get(key);
    if (entry) {
      for (const tag of tags) if (!entry.tags.includes(tag)) entry.tags.push(tag);
      if (createdOn > entry.createdOn) entry.createdOn = createdOn;
    } else {
      byDigest.set(key, { name, digest, tags: [...tags], createdOn, ...(sizeBytes === undefined ? {} : { sizeBytes }) });
    }
  }
  return [...byDigest.values()]
    .sort((a, b) => (a.createdOn < b.createdOn ? 1 : a.createdOn > b.createdOn ? -1 : a.name.localeCompare(b.name)))
    .slice(0, max);
}

function tagsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter((tag) => tag !== '');
  if (typeof value !== 'string') return [];
  const trimmed = value.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.map(String).filter((tag) => tag !== '');
    } catch {
      // not JSON: read as a list below
    }
  }
  return trimmed
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((tag) => tag.trim().replace(/^"|"$/g, ''))
    .filter((tag) => tag !== '');
}

/** The registry host of a repository URL (`host/db/schema/repo`, maybe with a scheme), lower case. */
export function registryHostOfUrl(url: string): string | undefined {
  const host = url.trim().replace(/^[a-z]+:\/\//i, '').split('/')[0];
  return host === undefined || host === '' ? undefined : host.toLowerCase();
}

export function registryHostOf(repositories: readonly CatalogImageRepository[]): string | undefined {
  for (const repository of repositories) {
    const host = repository.repositoryUrl === undefined ? undefined : registryHostOfUrl(repository.repositoryUrl);
    if (host !== undefined) return host;
  }
  return undefined;
}
