/**
 * Completion from the live account: image paths (repository → image → tag, newest first, with digest
 * and push date), stage names for stage volumes, secret names, and the `pool=` / `connection=` /
 * `warehouse=` / `instance-family=` values of the modeline. Repositories with more than 100 images
 * are filtered by the typed part of the image name (the list is then marked incomplete).
 *
 * Owns: which account objects are offered at a value site and how they are written (lower-case image
 * paths as the docs write them; names unqualified when they are in the service's schema, else
 * qualified; `@stage` quoted when the user has not opened a quote). Every list comes precomputed from
 * the catalog index: a keystroke does Map lookups and builds at most one list of items.
 *
 * Must not: re-parse, do I/O, or offer anything for templated values (the site is `none` there).
 */

import { CompletionItemKind, MarkupKind, type CompletionItem } from 'vscode-languageserver-types';
import type { CatalogSchemaObject } from '../../lspExtension';
import { bytesPerGiB, formatGiB, formatNumber } from '../quantities';
import type { CommentSite, ValueSite } from '../cursor/completionSite';
import type { PathSegment } from '../cursor/schemaTarget';
import { describeFamily, shortDate } from './wording';
import type { AccountView } from './catalogState';
import { upper, type AccountIndex, type IndexedRepository, type IndexedTag } from './catalogIndex';

export interface AccountCompletionContext {
  /** The catalog that applies to the document, if any. */
  readonly view: AccountView | undefined;
  /** Every connection with a catalog, default first. */
  readonly connections: readonly AccountIndex[];
}

export interface AccountItem {
  readonly item: Omit<CompletionItem, 'textEdit'>;
  /** The text of the value, unquoted. */
  readonly value: string;
}


/** Sort texts that put account items before the schema's examples. */
function sortText(position: number): string {
  return `25${String(position).padStart(5, '0')}`;
}

export function accountValueItems(site: ValueSite, account: AccountCompletionContext): { items: AccountItem[]; isIncomplete: boolean } {
  const view = account.view;
  if (!view) {
    return { items: [], isIncomplete: false };
  }
  const path = site.path;
  const parent = path[path.length - 3];
  if (site.key === 'image' && (parent === 'containers' || parent === 'container') && !site.inFlowSequence) {
    return imageItems(site.prefix, view.index);
  }
  const schema = `${view.database ?? ''}|${view.schema ?? ''}`;
  if (isStageValue(path, site.prefix)) {
    return { items: view.index.derived.get(`stages|${schema}`, () => stageItems(view)), isIncomplete: false };
  }
  if (isSecretValue(path)) {
    return { items: view.index.derived.get(`secrets|${schema}`, () => secretItems(view)), isIncomplete: false };
  }
  return { items: [], isIncomplete: false };
}

function isStageValue(path: readonly PathSegment[], prefix: string): boolean {
  const last = path[path.length - 1];
  if (last === 'name' && path[path.length - 2] === 'stageConfig' && isVolumePath(path, 3)) {
    return true;
  }
  return last === 'source' && isVolumePath(path, 2) && prefix.startsWith('@');
}

function isVolumePath(path: readonly PathSegment[], itemOffset: number): boolean {
  const list = path[path.length - itemOffset - 1];
  return typeof path[path.length - itemOffset] === 'number' && (list === 'volumes' || list === 'volume');
}

function isSecretValue(path: readonly PathSegment[]): boolean {
  const last = path[path.length - 1];
  if (last === 'snowflakeSecret') {
    return typeof path[path.length - 2] === 'number' && path[path.length - 3] === 'secrets';
  }
  return last === 'objectName' && path[path.length - 2] === 'snowflakeSecret';
}

// ---------------------------------------------------------------------------------------------------
// Images.

function imageItems(prefix: string, index: AccountIndex): { items: AccountItem[]; isIncomplete: boolean } {
  if (!index.repositories) {
    return { items: [], isIncomplete: false };
  }
  const slash = prefix.indexOf('/');
  const host = !prefix.startsWith('/') && slash > 0 ? prefix.slice(0, slash) : '';
  const path = host ? prefix.slice(slash) : prefix.startsWith('/') ? prefix : '';
  const segments = path.slice(1).split('/');
  if (segments.length >= 4) {
    const [database = '', schema = '', name = ''] = segments;
    const repository = index.repositories.get(`${upper(database)}.${upper(schema)}.${upper(name)}`);
    if (repository) {
      const rest = segments.slice(3).join('/');
      const colon = rest.indexOf(':');
      const image = rest.slice(0, colon);
      if (colon !== -1) {
        return { items: index.derived.get(`tags|${host}|${repository.path}|${image.toLowerCase()}`, () => tagsOf(host, repository, image)), isIncomplete: false };
      }
      const all = index.derived.get(`images|${host}|${repository.path}`, () => imagesOf(host, repository));
      if (all.length <= largeList || rest === '') {
        return { items: all, isIncomplete: false };
      }
      // A large repository: only the images matching what is typed (in order, like the editor's own
      // filter), and the client asks again as typing goes on.
      const typed = rest.toLowerCase();
      const start = host.length + repository.path.length + 1;
      return { items: all.filter((item) => isSubsequence(typed, item.value, start)), isIncomplete: true };
    }
  }
  return { items: index.derived.get(`repositories|${host}`, () => repositoriesOf(host, index)), isIncomplete: false };
}

/** Above this many images, the list is filtered by what is typed. */
const largeList = 100;

/** Whether the characters of `typed` appear in order in `text` from `start` on (case-insensitive; `typed` is lower case). */
function isSubsequence(typed: string, text: string, start: number): boolean {
  let at = start;
  for (let index = 0; index < typed.length; index++) {
    const char = typed.charCodeAt(index);
    while (at < text.length && lowerCode(text.charCodeAt(at)) !== char) {
      at++;
    }
    if (at >= text.length) {
      return false;
    }
    at++;
  }
  return true;
}

function lowerCode(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

function repositoriesOf(host: string, index: AccountIndex): AccountItem[] {
  return index.repositoryList.map((repository, position) => {
    const value = `${host}${repository.path}/`;
    const images = repository.images ? `${repository.imageList.length} image${repository.imageList.length === 1 ? '' : 's'}` : 'images not listed';
    return {
      value,
      item: { label: value, kind: CompletionItemKind.Folder, detail: `image repository · ${images}`, sortText: sortText(position), filterText: value },
    };
  });
}

function imagesOf(host: string, repository: IndexedRepository): AccountItem[] {
  return repository.imageList.map((image, position) => {
    const value = `${host}${repository.path}/${image.name}:`;
    const newest = image.tags[0];
    return {
      value,
      item: {
        label: value,
        kind: CompletionItemKind.Module,
        detail: newest ? `image · ${image.tags.length} tag${image.tags.length === 1 ? '' : 's'}, newest '${newest.tag}' (${shortDate(newest.createdOn) ?? '?'})` : 'image · no tags',
        sortText: sortText(position),
        filterText: value,
      },
    };
  });
}

function tagsOf(host: string, repository: IndexedRepository, imageName: string): AccountItem[] {
  const image = repository.images?.get(imageName.toLowerCase());
  if (!image) {
    return [];
  }
  return image.tags.map((tag, position) => {
    const value = `${host}${repository.path}/${image.name}:${tag.tag}`;
    return {
      value,
      item: {
        label: value,
        kind: CompletionItemKind.Value,
        detail: tagDetail(tag),
        documentation: { kind: MarkupKind.Markdown, value: tagDocumentation(tag) },
        sortText: sortText(position),
        filterText: value,
      },
    };
  });
}

function tagDetail(tag: IndexedTag): string {
  const parts = [`${tag.digest.replace(/^sha256:/, '').slice(0, 12)}`, `pushed ${shortDate(tag.createdOn) ?? '?'}`];
  if (tag.sizeBytes !== undefined) {
    parts.push(formatSize(tag.sizeBytes));
  }
  return parts.join(' · ');
}

/** Image sizes: MiB below a GiB, GiB above. */
function formatSize(bytes: number): string {
  return bytes < bytesPerGiB ? `${formatNumber(Math.round((bytes / 1024 / 1024) * 10) / 10)} MiB` : formatGiB(bytes);
}

export function tagDocumentation(tag: IndexedTag): string {
  const lines = [`**Tag \`${tag.tag}\`**`, `Digest: \`${tag.digest}\``, `Pushed: ${shortDate(tag.createdOn) ?? tag.createdOn} UTC`];
  if (tag.sizeBytes !== undefined) {
    lines.push(`Size: ${formatSize(tag.sizeBytes)}`);
  }
  return lines.join('  \n');
}

// ---------------------------------------------------------------------------------------------------
// Stages and secrets.

/** The name as the spec should write it: bare in the service's schema, qualified elsewhere. */
function nameFor(view: AccountView, object: CatalogSchemaObject): string {
  const local = view.database !== undefined && view.schema !== undefined && upper(object.database) === upper(view.database) && upper(object.schema) === upper(view.schema);
  return local ? object.name : `${object.database}.${object.schema}.${object.name}`;
}

function stageItems(view: AccountView): AccountItem[] {
  return (view.index.stages?.list ?? []).map((stage, position) => {
    const value = `@${nameFor(view, stage)}`;
    return {
      value,
      item: { label: value, kind: CompletionItemKind.Folder, detail: `stage ${stage.database}.${stage.schema}.${stage.name}`, sortText: sortText(position), filterText: value },
    };
  });
}

function secretItems(view: AccountView): AccountItem[] {
  return (view.index.secrets?.list ?? []).map((secret, position) => {
    const value = nameFor(view, secret);
    return {
      value,
      item: { label: value, kind: CompletionItemKind.Reference, detail: `secret · ${secret.type || 'type unknown'}`, sortText: sortText(position), filterText: value },
    };
  });
}

// ---------------------------------------------------------------------------------------------------
// The modeline.

const modelineValue = /(?:^|[\s,])((?:compute[-_]?)?pool|connection|warehouse|instance[-_]?family)\s*[=:]\s*["']?([A-Za-z0-9_$.-]*)$/i;

export interface ModelineItems {
  /** Offset in the comment text where the value being typed starts. */
  readonly valueStart: number;
  readonly items: AccountItem[];
}

/** Values for `pool=`, `connection=`, `warehouse=` and (live families first) `instance-family=`. */
export function modelineItems(site: CommentSite, account: AccountCompletionContext): ModelineItems | undefined {
  if (!/^\s*spcs\s*:/i.test(site.text)) {
    return undefined;
  }
  const match = modelineValue.exec(site.text);
  if (!match) {
    return undefined;
  }
  const key = (match[1] ?? '').toLowerCase();
  const valueStart = site.text.length - (match[2] ?? '').length;
  const indexes = account.view ? [account.view.index] : account.connections;
  if (key === 'connection') {
    return {
      valueStart,
      items: account.connections.map((index, position) => ({
        value: index.connection,
        item: { label: index.connection, kind: CompletionItemKind.Reference, detail: `connection${index.isDefault ? ' (default)' : ''} · role ${index.catalog.role ?? '?'}`, sortText: sortText(position) },
      })),
    };
  }
  if (key === 'warehouse') {
    const names = [...new Set(indexes.flatMap((index) => (index.catalog.warehouses ?? []).map((warehouse) => warehouse.name)))].sort();
    return {
      valueStart,
      items: names.map((name, position) => ({ value: name, item: { label: name, kind: CompletionItemKind.Value, detail: 'warehouse', sortText: sortText(position) } })),
    };
  }
  if (key.endsWith('pool')) {
    const items: AccountItem[] = [];
    const seen = new Set<string>();
    for (const index of indexes) {
      for (const pool of index.poolList) {
        if (seen.has(pool.name)) continue;
        seen.add(pool.name);
        const family = index.families?.get(upper(pool.instanceFamily));
        items.push({
          value: pool.name,
          item: {
            label: pool.name,
            kind: CompletionItemKind.Value,
            detail: `${family ? describeFamily(family) : pool.instanceFamily} · ${pool.state} · ${pool.minNodes}-${pool.maxNodes} nodes`,
            sortText: sortText(items.length),
          },
        });
      }
    }
    return { valueStart, items };
  }
  const items: AccountItem[] = [];
  const seen = new Set<string>();
  for (const index of indexes) {
    for (const family of index.catalog.instanceFamilies ?? []) {
      if (seen.has(family.name)) continue;
      seen.add(family.name);
      items.push({
        value: family.name,
        item: { label: family.name, kind: CompletionItemKind.EnumMember, detail: `${describeFamily(family)} (account)`, sortText: `0${sortText(items.length)}` },
      });
    }
  }
  return { valueStart, items };
}
