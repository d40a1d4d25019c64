/**
 * Reading the names a spec uses to point at account objects: image references, `@stage` references
 * and (possibly qualified, possibly quoted) object names, and resolving them in a catalog index.
 *
 * Owns: the conservative reading. Anything this module cannot read with certainty (relative image
 * paths, Snowflake-provided images, another account's registry host, user and table stages, odd
 * quoting) gives undefined, so that no account diagnostic is ever raised on a guess. A name that is
 * not qualified and is not in the service's schema but exists in another one is "found": the deploy
 * target's database/schema may not be what the user will deploy to.
 */

import type { CatalogSchemaObject } from '../../lspExtension';
import { qualifiedKey, upper, type AccountIndex, type NameIndex } from './catalogIndex';

export interface ImageReference {
  /** Registry host as written (lower case), when the reference has one. */
  readonly host: string | undefined;
  /** `DB.SCHEMA.REPO`, upper case. */
  readonly repositoryKey: string;
  readonly image: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

const snowflakeRegistry = /\.registry(-[a-z]+)?\.snowflakecomputing\.(com|cn)(:[0-9]+)?$/i;

/**
 * `/db/schema/repo/image[:tag|@digest]` or `<host>/db/schema/repo/image…` with a Snowflake registry
 * host. Undefined for anything else, and for Snowflake's own images (`/snowflake/images/…`).
 */
export function parseImageReference(text: string): ImageReference | undefined {
  const trimmed = text.trim();
  if (/[\s<>{}$"'\\]/.test(trimmed)) {
    return undefined;
  }
  let host: string | undefined;
  let path = trimmed;
  if (!trimmed.startsWith('/')) {
    const slash = trimmed.indexOf('/');
    const first = slash === -1 ? '' : trimmed.slice(0, slash);
    if (!snowflakeRegistry.test(first)) {
      return undefined;
    }
    host = first.toLowerCase();
    path = trimmed.slice(slash);
  }
  const segments = path.slice(1).split('/');
  if (segments.length < 4 || segments.some((segment) => segment === '')) {
    return undefined;
  }
  const [database = '', schema = '', repository = '', ...rest] = segments;
  if (database.toLowerCase() === 'snowflake') {
    return undefined;
  }
  let last = rest.pop() ?? '';
  let digest: string | undefined;
  let tag: string | undefined;
  const at = last.indexOf('@');
  if (at !== -1) {
    digest = last.slice(at + 1);
    last = last.slice(0, at);
  }
  const colon = last.indexOf(':');
  if (colon !== -1) {
    tag = last.slice(colon + 1);
    last = last.slice(0, colon);
    if (tag === '') {
      return undefined;
    }
  }
  if (last === '') {
    return undefined;
  }
  return {
    host,
    repositoryKey: `${upper(database)}.${upper(schema)}.${upper(repository)}`,
    image: [...rest, last].join('/'),
    tag,
    digest,
  };
}

/**
 * `name`, `schema.name` or `db.schema.name`, each part plain or double-quoted. Upper-cased parts, or
 * undefined when the text is not such a name.
 */
export function parseObjectName(text: string): string[] | undefined {
  const parts: string[] = [];
  const pattern = /\s*(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))\s*(\.|$)/y;
  let offset = 0;
  const trimmed = text.trim();
  while (offset < trimmed.length) {
    pattern.lastIndex = offset;
    const match = pattern.exec(trimmed);
    if (!match) {
      return undefined;
    }
    parts.push(upper(match[1] ?? match[2] ?? ''));
    offset = pattern.lastIndex;
    if (match[3] === '') {
      break;
    }
  }
  return offset === trimmed.length && parts.length >= 1 && parts.length <= 3 ? parts : undefined;
}

/**
 * `@stage[/path]`, `@db.schema.stage/path`: the stage name as written (up to the first `/` outside
 * double quotes); undefined for `@~`, `@%table` and text that is not a stage reference.
 */
export function stageNameText(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('@') || trimmed.startsWith('@~') || trimmed.startsWith('@%')) {
    return undefined;
  }
  let end = 1;
  let quoted = false;
  while (end < trimmed.length) {
    const char = trimmed.charAt(end);
    if (char === '"') quoted = !quoted;
    if (char === '/' && !quoted) break;
    end++;
  }
  return trimmed.slice(1, end);
}

/** `@stage[/path]`, `@db.schema.stage/path`: the stage name's parts (undefined for `@~`, `@%table`, odd text). */
export function parseStageReference(text: string): string[] | undefined {
  const name = stageNameText(text);
  return name === undefined ? undefined : parseObjectName(name);
}

export type Resolution<T> =
  | { readonly kind: 'found'; readonly objects: readonly T[]; readonly exact: boolean }
  | { readonly kind: 'missing'; readonly qualifiedName: string }
  | { readonly kind: 'unknown' };

/**
 * Finds a schema object by its parts. `exact` is true when the name resolved to one object in the
 * service's schema (or was fully qualified); otherwise `objects` are the same-named candidates.
 */
export function resolveSchemaObject<T extends CatalogSchemaObject>(
  index: NameIndex<T> | null,
  parts: readonly string[],
  database: string | undefined,
  schema: string | undefined,
): Resolution<T> {
  if (!index) {
    return { kind: 'unknown' };
  }
  const name = parts[parts.length - 1] ?? '';
  const schemaName = parts.length >= 2 ? parts[parts.length - 2] : schema === undefined ? undefined : upper(schema);
  const databaseName = parts.length === 3 ? parts[0] : database === undefined ? undefined : upper(database);
  if (databaseName !== undefined && schemaName !== undefined) {
    const exact = index.qualified.get(`${databaseName}.${schemaName}.${name}`);
    if (exact) {
      return { kind: 'found', objects: [exact], exact: true };
    }
    if (parts.length === 3) {
      return { kind: 'missing', qualifiedName: `${databaseName}.${schemaName}.${name}` };
    }
  }
  const candidates = (index.byName.get(name) ?? []).filter((object) => parts.length < 2 || upper(object.schema) === schemaName);
  if (candidates.length > 0) {
    return { kind: 'found', objects: candidates, exact: false };
  }
  return { kind: 'missing', qualifiedName: [databaseName, schemaName, name].filter((part) => part !== undefined).join('.') };
}

/** The qualified name of a catalog object, as grants name it. */
export function grantName(object: CatalogSchemaObject): string {
  return qualifiedKey(object);
}

/** Whether an image reference's host belongs to the catalog's account (or has none). */
export function hostMatches(index: AccountIndex, reference: ImageReference): boolean {
  if (reference.host === undefined) {
    return true;
  }
  const known = index.catalog.registryHost ?? registryHostOf(index);
  return known !== undefined && known.toLowerCase() === reference.host.replace(/:[0-9]+$/, '');
}

function registryHostOf(index: AccountIndex): string | undefined {
  for (const entry of index.repositoryList) {
    const url = entry.repository.repositoryUrl;
    if (url) {
      return url.replace(/^https?:\/\//, '').split('/')[0]?.toLowerCase();
    }
  }
  return undefined;
}
