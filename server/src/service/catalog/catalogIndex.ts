/**
 * The index of one connection's account catalog, built once per `spcs/accountCatalog` notification.
 *
 * Owns: turning the lists of the catalog into Maps keyed by upper-cased qualified names (so every
 * lookup on the keystroke path is O(1) and never scans a list), the images of each repository sorted
 * newest first, and the privilege lookup. Snowflake identifiers are case-insensitive unless quoted;
 * the index compares case-insensitively throughout, which can only miss a warning, never invent one.
 *
 * Must not: do I/O or know about LSP; it is a pure function of the notification's parameters.
 */

import type {
  AccountCatalog,
  AccountCatalogParams,
  CatalogComputePool,
  CatalogGateway,
  CatalogImage,
  CatalogImageRepository,
  CatalogInstanceFamily,
  CatalogSchemaObject,
  CatalogSecret,
  CatalogService,
} from '../../lspExtension';

/** One tag of an image, as completion and hover show it. */
export interface IndexedTag {
  readonly tag: string;
  readonly digest: string;
  readonly createdOn: string;
  /** Milliseconds since the epoch (NaN sorts last). */
  readonly createdAt: number;
  readonly sizeBytes: number | undefined;
}

export interface IndexedImage {
  readonly name: string;
  /** Every tag of the image, newest push first. */
  readonly tags: readonly IndexedTag[];
  readonly tagsByName: ReadonlyMap<string, IndexedTag>;
  /** The newest push of the image. */
  readonly newest: number;
}

export interface IndexedRepository {
  readonly repository: CatalogImageRepository;
  /** `/db/schema/repo` in lower case, the form the docs write in specs. */
  readonly path: string;
  /** Null when the images could not be listed. */
  readonly images: ReadonlyMap<string, IndexedImage> | null;
  /** The images, newest push first. */
  readonly imageList: readonly IndexedImage[];
}

export interface AccountIndex {
  readonly connection: string;
  readonly isDefault: boolean;
  readonly fetchedAt: string;
  readonly status: AccountCatalogParams['status'];
  readonly catalog: AccountCatalog;
  /** The words every account message ends with: "as of the account catalog of … read …". */
  readonly asOf: string;
  readonly families: ReadonlyMap<string, CatalogInstanceFamily> | null;
  readonly pools: ReadonlyMap<string, CatalogComputePool> | null;
  readonly poolList: readonly CatalogComputePool[];
  readonly repositories: ReadonlyMap<string, IndexedRepository> | null;
  readonly repositoryList: readonly IndexedRepository[];
  /** Stages by `DB.SCHEMA.NAME`, and by bare `NAME` (all schemas). */
  readonly stages: NameIndex<CatalogSchemaObject> | null;
  readonly secrets: NameIndex<CatalogSecret> | null;
  /** Services (with their endpoints) and gateways; null when the catalog did not read them. */
  readonly services: NameIndex<CatalogService> | null;
  readonly gateways: NameIndex<CatalogGateway> | null;
  /** Privileges by `OBJECT TYPE|QUALIFIED NAME`; null when the grants were not read. */
  readonly grants: ReadonlyMap<string, ReadonlySet<string>> | null;
  /** Values derived from this catalog on first use (completion lists), kept as long as the catalog. */
  readonly derived: Derived;
}

/**
 * A per-catalog memo: completion builds each list (the 500 images of a repository, their tags) once
 * per catalog, not once per keystroke. It lives and dies with its index, so it never outlives the
 * data it was computed from.
 */
export class Derived {
  private readonly values = new Map<string, unknown>();

  get<T>(key: string, build: () => T): T {
    if (this.values.has(key)) {
      // Each key is always built by the same call site, so the stored value has that site's type.
      return this.values.get(key) as T;
    }
    const value = build();
    this.values.set(key, value);
    return value;
  }
}

export interface NameIndex<T extends CatalogSchemaObject> {
  readonly qualified: ReadonlyMap<string, T>;
  readonly byName: ReadonlyMap<string, readonly T[]>;
  readonly list: readonly T[];
}

export function indexCatalog(params: AccountCatalogParams & { readonly catalog: AccountCatalog }): AccountIndex {
  const { catalog } = params;
  const repositoryList = (catalog.imageRepositories ?? []).map(indexRepository);
  const poolList = [...(catalog.computePools ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  return {
    connection: params.connection,
    isDefault: params.isDefault === true,
    fetchedAt: params.fetchedAt,
    status: params.status,
    catalog,
    asOf: asOfText(params),
    families: catalog.instanceFamilies ? new Map(catalog.instanceFamilies.map((family) => [upper(family.name), family])) : null,
    pools: catalog.computePools ? new Map(poolList.map((pool) => [upper(pool.name), pool])) : null,
    poolList,
    repositories: catalog.imageRepositories ? new Map(repositoryList.map((entry) => [qualifiedKey(entry.repository), entry])) : null,
    repositoryList,
    stages: catalog.stages ? nameIndex(catalog.stages) : null,
    secrets: catalog.secrets ? nameIndex(catalog.secrets) : null,
    services: catalog.services ? nameIndex(catalog.services) : null,
    gateways: catalog.gateways ? nameIndex(catalog.gateways) : null,
    grants: catalog.grants ? grantIndex(catalog.grants) : null,
    derived: new Derived(),
  };
}

/** Upper case, without the quotes of quoted identifiers. */
export function upper(name: string): string {
  return name.replace(/"/g, '').toUpperCase();
}

export function qualifiedKey(object: CatalogSchemaObject): string {
  return `${upper(object.database)}.${upper(object.schema)}.${upper(object.name)}`;
}

function nameIndex<T extends CatalogSchemaObject>(list: readonly T[]): NameIndex<T> {
  const qualified = new Map<string, T>();
  const byName = new Map<string, T[]>();
  for (const object of list) {
    qualified.set(qualifiedKey(object), object);
    const name = upper(object.name);
    const same = byName.get(name);
    if (same) {
      same.push(object);
    } else {
      byName.set(name, [object]);
    }
  }
  return { qualified, byName, list };
}

function indexRepository(repository: CatalogImageRepository): IndexedRepository {
  const path = `/${repository.database}/${repository.schema}/${repository.name}`.toLowerCase();
  if (!repository.images) {
    return { repository, path, images: null, imageList: [] };
  }
  const byName = new Map<string, { name: string; rows: CatalogImage[] }>();
  for (const row of repository.images) {
    const key = row.name.toLowerCase();
    const entry = byName.get(key);
    if (entry) {
      entry.rows.push(row);
    } else {
      byName.set(key, { name: row.name, rows: [row] });
    }
  }
  const images = new Map<string, IndexedImage>();
  for (const [key, { name, rows }] of byName) {
    const tags: IndexedTag[] = [];
    for (const row of rows) {
      const createdAt = Date.parse(row.createdOn);
      for (const tag of row.tags) {
        tags.push({ tag, digest: row.digest, createdOn: row.createdOn, createdAt, sizeBytes: row.sizeBytes });
      }
    }
    tags.sort(newestFirst);
    const tagsByName = new Map<string, IndexedTag>();
    for (const tag of tags) {
      if (!tagsByName.has(tag.tag)) {
        tagsByName.set(tag.tag, tag);
      }
    }
    const newest = rows.reduce((latest, row) => Math.max(latest, timeOf(row.createdOn)), Number.NEGATIVE_INFINITY);
    images.set(key, { name, tags: [...tagsByName.values()], tagsByName, newest });
  }
  const imageList = [...images.values()].sort((a, b) => b.newest - a.newest || a.name.localeCompare(b.name));
  return { repository, path, images, imageList };
}

function timeOf(text: string): number {
  const time = Date.parse(text);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

function newestFirst(a: IndexedTag, b: IndexedTag): number {
  const left = Number.isNaN(a.createdAt) ? Number.NEGATIVE_INFINITY : a.createdAt;
  const right = Number.isNaN(b.createdAt) ? Number.NEGATIVE_INFINITY : b.createdAt;
  return right - left || a.tag.localeCompare(b.tag);
}

/** `COMPUTE_POOL` and `compute pool` are the same object type. */
export function objectTypeKey(type: string): string {
  return type.replace(/_/g, ' ').trim().toUpperCase();
}

function grantIndex(grants: NonNullable<AccountCatalog['grants']>): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  for (const grant of grants) {
    const key = `${objectTypeKey(grant.objectType)}|${upper(grant.name)}`;
    const privileges = index.get(key) ?? new Set<string>();
    privileges.add(grant.privilege.trim().toUpperCase());
    index.set(key, privileges);
  }
  return index;
}

/**
 * Whether the role lacks all of `sufficient` on an object, as far as the catalog can tell: `missing`
 * only when the grants were read AND list some privilege of the role on the object but none of these.
 * An object the role can see always carries some grant; when none is listed, the client's view of the
 * grants is incomplete (database roles, PUBLIC, secondary roles), and nothing is claimed.
 */
export function privilegeVerdict(index: AccountIndex, objectType: string, name: string, sufficient: readonly string[]): 'held' | 'missing' | 'unknown' {
  const held = index.grants?.get(`${objectTypeKey(objectType)}|${upper(name)}`);
  if (!held || held.size === 0) {
    return 'unknown';
  }
  return sufficient.some((privilege) => held.has(privilege)) || held.has('OWNERSHIP') ? 'held' : 'missing';
}

/** The privileges listed for the role on an object (for messages). */
export function heldPrivileges(index: AccountIndex, objectType: string, name: string): string[] {
  return [...(index.grants?.get(`${objectTypeKey(objectType)}|${upper(name)}`) ?? [])].sort();
}

function asOfText(params: AccountCatalogParams): string {
  const time = Date.parse(params.fetchedAt);
  const when = Number.isNaN(time) ? params.fetchedAt : `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const stale =
    params.status.state === 'fresh' ? '' : `; it may be out of date${params.status.reason ? ` (${params.status.reason})` : ''}`;
  return `as of the account catalog of '${params.connection}' read ${when}${stale}`;
}
