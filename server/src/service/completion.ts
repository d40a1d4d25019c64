/**
 * Completion for spec documents.
 *
 * Owns what is offered where: keys from the schema (required first, documented, inserted with the
 * right continuation for objects and lists), the schema's `defaultSnippets` for list items and empty
 * mappings, values (enums with their descriptions, booleans, defaults and examples), names the spec
 * defines (volumes for `volumeMounts[].name`, endpoints for service roles and probe ports), quantities
 * with units (memory, cpu, block size, GPU counts bounded by the instance family), and the
 * `# spcs: instance-family=` modeline with every known family. With a live account catalog
 * (`account/accountCompletion.ts`), also image paths, stage and secret names, and the modeline's
 * `pool=` / `connection=` values.
 *
 * Where the cursor is comes from `completionSite`, which reads indentation rather than the parse tree,
 * so half-typed lines and documents with parse errors still complete. Multi-line insertions use
 * absolute indentation (`InsertTextMode.asIs`): after `- ` the item's keys sit two columns right of
 * the line's own indentation, which an editor's automatic re-indentation would get wrong.
 *
 * Must not: throw, re-parse, or describe fields itself: documentation comes from the schema.
 */

import {
  CompletionItemKind,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Position,
  type Range,
} from 'vscode-languageserver-types';
import { isScalar, isSeq } from 'yaml';
import { accountValueItems, modelineItems, type AccountCompletionContext } from './account/accountCompletion';
import { familyDescription, instanceFamilies } from './instanceFamilies';
import { formatBytes, formatGiB, formatNumber, parseCpu, parseMemory } from './quantities';
import type { ValidationSettings } from './rules/ruleApi';
import { propertyNames, resolveRef, schemaTypes, type DefaultSnippet, type JsonSchema } from './schema';
import { offsetsToRange, type SpecDocument } from './specDocument';
import { specFamily } from './family';
import { endpointDetail, sourceText, volumeDetail } from './symbols';
import {
  completionSite,
  schemaDocumentation,
  schemaTarget,
  type CommentSite,
  type KeySite,
  type PathSegment,
  type SchemaTarget,
  type ValueSite,
} from './yamlPath';

export interface CompletionContext {
  readonly settings: ValidationSettings;
  /** Live account data, when a client sent a catalog. */
  readonly account?: AccountCompletionContext;
  /**
   * The schema of another document kind (a gateway spec) whose keys and values to offer instead of
   * the service spec's; the service spec's modeline and account values are then not offered.
   */
  readonly schema?: JsonSchema;
}

export function getCompletions(doc: SpecDocument, position: Position, ctx: CompletionContext): CompletionList {
  const site = completionSite(doc, doc.textDocument.offsetAt(position));
  if (site.kind === 'none') {
    return { isIncomplete: false, items: [] };
  }
  const out = new Collector(offsetsToRange(doc, site.replaceStart, site.replaceEnd));
  if (site.kind === 'comment') {
    if (ctx.schema === undefined) {
      completeComment(doc, site, ctx, out);
    }
  } else if (site.kind === 'key') {
    completeKey(doc, site, ctx, out);
  } else {
    completeValue(doc, site, ctx, out);
  }
  return { isIncomplete: out.isIncomplete, items: out.items };
}

/** Items for one request: one replace range, no duplicate labels. */
class Collector {
  readonly items: CompletionItem[] = [];
  /** Set when an item depends on what was typed (`4` → `4Gi`): the client must ask again as typing goes on. */
  isIncomplete = false;
  private readonly labels = new Set<string>();

  constructor(readonly range: Range) {}

  add(item: Omit<CompletionItem, 'textEdit'>, newText: string, range: Range = this.range): void {
    if (this.labels.has(item.label)) {
      return;
    }
    this.labels.add(item.label);
    this.items.push({ ...item, textEdit: { range, newText } });
  }
}

const sortGroup = { required: '0', snippet: '1', optional: '2', value: '3', modeline: '9' } as const;

function sortKey(group: string, index: number): string {
  return `${group}${String(index).padStart(4, '0')}`;
}

function markdown(value: string | undefined): CompletionItem['documentation'] {
  return value ? { kind: MarkupKind.Markdown, value } : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Keys.

function completeKey(doc: SpecDocument, site: KeySite, ctx: CompletionContext, out: Collector): void {
  const lead = site.needsSpace ? ' ' : '';
  if (site.atDocumentStart && ctx.schema === undefined) {
    out.add(
      {
        label: '# spcs: instance-family=',
        kind: CompletionItemKind.Snippet,
        detail: 'Modeline: the instance family capacity checks and hovers use',
        documentation: markdown('Tells the language server which compute-pool instance family this spec runs on, for GPU and capacity checks.'),
        sortText: sortKey(sortGroup.modeline, 0),
        insertTextFormat: InsertTextFormat.Snippet,
      },
      `# spcs: instance-family=${familyChoice()}\n$0`,
    );
  }
  const target = schemaTarget(site.path, ctx.schema);
  const schema = target.schema;
  if (!schema || site.hasColon) {
    if (schema && isObjectSchema(schema)) {
      addKeys(schema, site.siblings, site.column, '', true, out);
    }
    return;
  }
  if (site.afterDash && site.siblings.size === 0 && !isObjectSchema(schema)) {
    // Right after `- ` in a list of scalars (service role endpoints, metric groups): the item itself.
    addValues(doc, { path: site.path, target, siblings: site.siblings, prefix: site.prefix }, ctx, out, { lead, quote: undefined });
    return;
  }
  if (isArraySchema(schema) && !site.afterDash) {
    const itemTarget = schemaTarget([...site.path, 0], ctx.schema);
    const item = itemTarget.schema;
    if (item && isObjectSchema(item) && site.siblings.size > 0) {
      // Keys next to the cursor: a legacy singular key (`container:`) holding one mapping, not a list.
      addKeys(item, site.siblings, site.column, lead, false, out);
      return;
    }
    // Below `containers:` before any `- `: a new item, dash included.
    if (item && isObjectSchema(item)) {
      addSnippets(item.defaultSnippets, site.column + 2, '- ', out);
      addKeys(item, new Map(), site.column + 2, '- ', false, out);
    } else {
      addValues(doc, { path: [...site.path, 0], target: itemTarget, siblings: new Map(), prefix: site.prefix }, ctx, out, { lead: '- ', quote: undefined });
    }
    return;
  }
  if (isObjectSchema(schema)) {
    if (site.siblings.size === 0) {
      addSnippets(schema.defaultSnippets, site.column, lead, out);
    }
    addKeys(schema, site.siblings, site.column, lead, false, out);
  }
}

function addKeys(schema: JsonSchema, siblings: ReadonlyMap<string, string>, column: number, lead: string, nameOnly: boolean, out: Collector): void {
  const required = new Set(schema.required ?? []);
  propertyNames(schema).forEach((name, index) => {
    if (siblings.has(name)) {
      return;
    }
    const declared = schema.properties?.[name];
    const resolved = resolveRef(declared);
    const isRequired = required.has(name);
    out.add(
      {
        label: name,
        kind: CompletionItemKind.Property,
        detail: keyDetail(declared, resolved, isRequired),
        documentation: markdown(schemaDocumentation({ declared, schema: resolved })),
        sortText: sortKey(isRequired ? sortGroup.required : sortGroup.optional, index),
        filterText: name,
        insertTextFormat: InsertTextFormat.Snippet,
        insertTextMode: InsertTextMode.asIs,
      },
      lead + (nameOnly ? escapeSnippet(name) : keyInsertText(name, resolved, column)),
    );
  });
}

/** `key: `, or `key:` with the cursor on the next line, indented for a mapping or a list item. */
function keyInsertText(name: string, schema: JsonSchema | undefined, column: number): string {
  const key = escapeSnippet(name);
  const types = schemaTypes(schema);
  const childIndent = ' '.repeat(column + 2);
  if (types.length === 1 && types[0] === 'array') {
    return `${key}:\n${childIndent}- `;
  }
  if (types.length === 1 && types[0] === 'object') {
    return `${key}:\n${childIndent}`;
  }
  return `${key}: `;
}

function keyDetail(declared: JsonSchema | undefined, schema: JsonSchema | undefined, isRequired: boolean): string {
  const parts = [typeLabel(declared, schema)];
  if (isRequired) {
    parts.push('required');
  }
  if (schema?.default !== undefined) {
    parts.push(`default: ${JSON.stringify(schema.default)}`);
  }
  return parts.join(' · ');
}

/** A short type for `detail`: `list of container`, `memory quantity`, `TCP | HTTP`, `boolean`. */
function typeLabel(declared: JsonSchema | undefined, schema: JsonSchema | undefined): string {
  if (!schema) {
    return 'any';
  }
  if (schema.enum) {
    return schema.enum.map(String).join(' | ');
  }
  const types = schemaTypes(schema);
  if (types.includes('array')) {
    const itemRef = refName(schema.items);
    return `list of ${itemRef ? words(itemRef) : schemaTypes(resolveRef(schema.items)).join(' | ') || 'any'}`;
  }
  const ref = refName(declared);
  if (ref && ref !== 'name') {
    return words(ref);
  }
  return types.join(' | ') || 'any';
}

function refName(schema: JsonSchema | undefined): string | undefined {
  return schema?.$ref?.split('/').pop();
}

function words(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

function isObjectSchema(schema: JsonSchema): boolean {
  return schema.properties !== undefined || schemaTypes(schema).includes('object');
}

function isArraySchema(schema: JsonSchema): boolean {
  const types = schemaTypes(schema);
  return types.length === 1 && types[0] === 'array';
}

// ---------------------------------------------------------------------------------------------------
// Snippets.

function addSnippets(snippets: readonly DefaultSnippet[] | undefined, column: number, lead: string, out: Collector): void {
  (snippets ?? []).forEach((snippet, index) => {
    if (snippet.bodyText === undefined) {
      return;
    }
    const label = snippet.label ?? firstLine(snippet.bodyText);
    out.add(
      {
        label,
        kind: CompletionItemKind.Snippet,
        detail: 'snippet',
        documentation: markdown(snippetDocumentation(snippet)),
        sortText: sortKey(sortGroup.snippet, index),
        insertTextFormat: InsertTextFormat.Snippet,
        insertTextMode: InsertTextMode.asIs,
      },
      lead + reindent(snippet.bodyText, column),
    );
  });
}

/** Continuation lines of a snippet moved to the cursor's column (the first line goes where the cursor is). */
function reindent(body: string, column: number): string {
  const indent = ' '.repeat(column);
  return body
    .split('\n')
    .map((line, index) => (index === 0 || line === '' ? line : indent + line))
    .join('\n');
}

function snippetDocumentation(snippet: DefaultSnippet): string {
  const body = (snippet.bodyText ?? '')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\{\d+\|([^,|]*)[^}]*\|\}/g, '$1')
    .replace(/\$\d+/g, '');
  const text = snippet.markdownDescription ?? snippet.description;
  return `${text ? `${text}\n\n` : ''}\`\`\`yaml\n${body}\n\`\`\``;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------------
// Values.

interface ValueRequest {
  /** Path of the value (the key, or the item index in a list). */
  readonly path: readonly PathSegment[];
  readonly target: SchemaTarget;
  /** The other keys of the value's mapping (e.g. a volume's `source` when completing its `size`). */
  readonly siblings: ReadonlyMap<string, string>;
  readonly prefix: string;
}

interface Candidate {
  readonly value: string | number | boolean;
  readonly kind: CompletionItemKind;
  readonly detail?: string;
  readonly documentation?: string;
}

interface ValueRendering {
  /** Text before the value: a space after a bare colon, `- ` for a new list item. */
  readonly lead: string;
  /** The value is typed inside these quotes: insert the bare text. */
  readonly quote: '"' | "'" | undefined;
}

function completeValue(doc: SpecDocument, site: ValueSite, ctx: CompletionContext, out: Collector): void {
  const target = schemaTarget(site.path, ctx.schema);
  const schema = target.schema;
  if (!schema) {
    return;
  }
  if (!site.inFlowSequence && site.prefix === '' && site.quote === undefined) {
    // `resources: |`: a whole block for the value, on the lines below the key.
    const childColumn = site.column + 2;
    if (isArraySchema(schema)) {
      const item = resolveRef(schema.items);
      if (item && isObjectSchema(item)) {
        addSnippets(item.defaultSnippets, childColumn + 2, `\n${' '.repeat(childColumn)}- `, out);
      }
    } else if (isObjectSchema(schema) && !schemaTypes(schema).includes('string')) {
      addSnippets(schema.defaultSnippets, childColumn, `\n${' '.repeat(childColumn)}`, out);
    }
  }
  const lead = site.needsSpace ? ' ' : '';
  if (ctx.account) {
    const account = accountValueItems(site, ctx.account);
    out.isIncomplete ||= account.isIncomplete;
    for (const { item, value } of account.items) {
      out.add(item, lead + (site.quote ? value : yamlScalar(value)));
    }
  }
  addValues(doc, { path: site.path, target, siblings: site.siblings, prefix: site.prefix }, ctx, out, { lead, quote: site.quote });
}

function addValues(doc: SpecDocument, request: ValueRequest, ctx: CompletionContext, out: Collector, rendering: ValueRendering): void {
  const { candidates, dependsOnPrefix } = valueCandidates(doc, request, ctx);
  if (dependsOnPrefix) {
    out.isIncomplete = true;
  }
  candidates.forEach((candidate, index) => {
    const text = rendering.quote ? String(candidate.value) : yamlScalar(candidate.value);
    out.add(
      {
        label: String(candidate.value),
        kind: candidate.kind,
        detail: candidate.detail,
        documentation: markdown(candidate.documentation),
        sortText: sortKey(sortGroup.value, index),
        filterText: String(candidate.value),
        insertTextFormat: InsertTextFormat.PlainText,
      },
      rendering.lead + text,
    );
  });
}

function valueCandidates(doc: SpecDocument, request: ValueRequest, ctx: CompletionContext): { candidates: Candidate[]; dependsOnPrefix: boolean } {
  const { path, target } = request;
  const schema = target.schema;
  const candidates: Candidate[] = [];
  let dependsOnPrefix = false;
  const last = path[path.length - 1];
  const ref = refName(target.declared);

  // Names the spec defines.
  if (last === 'name' && typeof path[path.length - 2] === 'number' && path[path.length - 3] === 'volumeMounts') {
    for (const volume of doc.lists.volumes) {
      if (volume.name !== undefined) {
        candidates.push({ value: volume.name, kind: CompletionItemKind.Reference, detail: `volume: ${volumeDetail(doc, volume.node)}` });
      }
    }
  }
  if (typeof last === 'number' && path[path.length - 2] === 'endpoints' && path[0] === 'serviceRoles') {
    const listed = listedValues(doc, path.slice(0, -1), last);
    for (const endpoint of doc.lists.endpoints) {
      if (endpoint.name !== undefined && !listed.has(endpoint.name)) {
        candidates.push({ value: endpoint.name, kind: CompletionItemKind.Reference, detail: `endpoint: ${endpointDetail(doc, endpoint.node)}` });
      }
    }
  }
  if (last === 'port' && (path[path.length - 2] === 'readinessProbe' || path[path.length - 2] === 'livenessProbe')) {
    for (const endpoint of doc.lists.endpoints) {
      const port = endpoint.node.get('port', true);
      if (isScalar(port) && typeof port.value === 'number') {
        candidates.push({ value: port.value, kind: CompletionItemKind.Reference, detail: `port of endpoint ${endpoint.name ?? sourceText(doc, endpoint.nameNode) ?? '?'}` });
      }
    }
  }

  // Quantities.
  if (ref === 'memoryQuantity') {
    dependsOnPrefix = memoryCandidates(request.prefix, candidates) || dependsOnPrefix;
  } else if (ref === 'cpuQuantity') {
    dependsOnPrefix = cpuCandidates(request.prefix, candidates) || dependsOnPrefix;
  } else if (ref === 'gpuCount') {
    gpuCandidates(doc, path, ctx, candidates);
  } else if (last === 'size' && ref === 'quantity') {
    const source = request.siblings.get('source');
    if (source !== 'memory') {
      dependsOnPrefix = blockSizeCandidates(request.prefix, candidates) || dependsOnPrefix;
    }
    if (source !== 'block') {
      dependsOnPrefix = memoryCandidates(request.prefix, candidates) || dependsOnPrefix;
    }
  }

  // What the schema lists.
  if (schema?.enum) {
    schema.enum.forEach((value, index) => {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        candidates.push({
          value,
          kind: CompletionItemKind.EnumMember,
          detail: schema.default === value ? 'default' : undefined,
          documentation: schema.markdownEnumDescriptions?.[index],
        });
      }
    });
  }
  const types = schemaTypes(schema);
  if (types.length === 1 && types[0] === 'boolean') {
    for (const value of [true, false]) {
      candidates.push({ value, kind: CompletionItemKind.Value, detail: schema?.default === value ? 'default' : undefined });
    }
  }
  if (schema?.default !== undefined && isPrimitive(schema.default)) {
    candidates.push({ value: schema.default, kind: CompletionItemKind.Value, detail: 'default' });
  }
  for (const example of schema?.examples ?? []) {
    if (isPrimitive(example)) {
      candidates.push({ value: example, kind: CompletionItemKind.Value, detail: 'example' });
    }
  }
  return { candidates, dependsOnPrefix };
}

function isPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** The scalar values of the list at `path` (from the parsed tree), except the item being edited. */
function listedValues(doc: SpecDocument, path: readonly PathSegment[], except: number): Set<string> {
  const result = new Set<string>();
  const list = doc.yaml?.getIn(path, true);
  if (isSeq(list)) {
    list.items.forEach((item, index) => {
      if (index !== except && isScalar(item) && typeof item.value === 'string') {
        result.add(item.value);
      }
    });
  }
  return result;
}

const numberPrefix = /^([0-9]+(?:\.[0-9]+)?)[a-zA-Z]*$/;

/** `4` → `4Gi`, `4Mi`, `4G`, `4M`; then the usual sizes. Returns whether the list depends on the prefix. */
function memoryCandidates(prefix: string, out: Candidate[]): boolean {
  const amount = numberPrefix.exec(prefix)?.[1];
  const values = amount ? ['Gi', 'Mi', 'G', 'M'].map((unit) => `${amount}${unit}`) : [];
  values.push('512Mi', '1Gi', '2Gi', '4Gi', '8Gi', '16Gi');
  for (const value of values) {
    const memory = parseMemory(value);
    out.push({ value, kind: CompletionItemKind.Unit, detail: memory ? `${formatBytes(memory.bytes)} = ${formatGiB(memory.bytes)}` : undefined });
  }
  return amount !== undefined;
}

/** `0.5 1 2 4 500m`, and `250` → `250m` (millicores). */
function cpuCandidates(prefix: string, out: Candidate[]): boolean {
  const values = ['0.5', '1', '2', '4', '500m'];
  const whole = /^[0-9]+$/.test(prefix) && Number(prefix) >= 10 ? prefix : undefined;
  if (whole) {
    values.unshift(`${whole}m`);
  }
  for (const value of values) {
    const cpu = parseCpu(value);
    out.push({ value, kind: CompletionItemKind.Unit, detail: cpu === undefined ? undefined : `${formatNumber(cpu)} vCPU` });
  }
  return whole !== undefined;
}

/** Block volumes take whole `Gi` only: `10` → `10Gi`, then common sizes. */
function blockSizeCandidates(prefix: string, out: Candidate[]): boolean {
  const whole = /^([0-9]+)(?:G|Gi)?$/.exec(prefix)?.[1];
  const values = whole ? [`${whole}Gi`] : [];
  values.push('10Gi', '50Gi', '100Gi');
  for (const value of values) {
    out.push({ value, kind: CompletionItemKind.Unit, detail: 'block volume size (whole Gi)' });
  }
  return whole !== undefined;
}

/** 1, 2, 4, 8, bounded by the family's GPUs; the other side's count first, as request and limit must match. */
function gpuCandidates(doc: SpecDocument, path: readonly PathSegment[], ctx: CompletionContext, out: Candidate[]): void {
  const family = specFamily(doc, ctx.settings);
  const side = path[path.length - 2];
  const other = side === 'requests' ? 'limits' : side === 'limits' ? 'requests' : undefined;
  const mirrored = other ? doc.yaml?.getIn([...path.slice(0, -2), other, 'nvidia.com/gpu']) : undefined;
  if (typeof mirrored === 'number') {
    out.push({ value: mirrored, kind: CompletionItemKind.Value, detail: `same as ${other} (request and limit must be equal)` });
  }
  const maximum = family?.gpus;
  if (maximum === 0) {
    return;
  }
  const counts = [1, 2, 4, 8].filter((count) => maximum === undefined || count <= maximum);
  if (maximum !== undefined && !counts.includes(maximum)) {
    counts.push(maximum);
  }
  for (const count of counts) {
    out.push({
      value: count,
      kind: CompletionItemKind.Value,
      detail: family && maximum !== undefined ? `${count} of ${maximum} GPUs of ${family.name}` : `${count} GPU${count === 1 ? '' : 's'}`,
    });
  }
}

/** The YAML text of a value: strings that would read back as something else are quoted. */
function yamlScalar(value: string | number | boolean): string {
  if (typeof value !== 'string') {
    return String(value);
  }
  const readsAsOther =
    value === '' ||
    /^(?:true|false|null|~|yes|no|on|off)$/i.test(value) ||
    /^[-+]?(?:[0-9][0-9_]*(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/.test(value) ||
    /^0[xo][0-9a-fA-F]+$/.test(value) ||
    /^[-?:,[\]{}#&*!|>'"%@`]/.test(value) ||
    /: | #|:$/.test(value);
  return readsAsOther ? JSON.stringify(value) : value;
}

// ---------------------------------------------------------------------------------------------------
// The instance-family modeline.

const familyValue = /^(\s*spcs\s*:.*?instance[-_]?family\s*[=:]\s*["']?)([A-Za-z0-9_]*)$/i;
const modelineText = 'spcs: instance-family=';

function completeComment(doc: SpecDocument, site: CommentSite, ctx: CompletionContext, out: Collector): void {
  const live = ctx.account ? modelineItems(site, ctx.account) : undefined;
  if (live) {
    let end = site.replaceEnd;
    while (end < doc.text.length && /[A-Za-z0-9_$.-]/.test(doc.text.charAt(end))) {
      end++;
    }
    const range = offsetsToRange(doc, site.contentStart + live.valueStart, end);
    for (const { item, value } of live.items) {
      out.add(item, value, range);
    }
  }
  const value = familyValue.exec(site.text);
  if (value) {
    // Replace the whole family word, including any part of it after the cursor.
    const start = site.contentStart + (value[1] ?? '').length;
    let end = site.replaceEnd;
    while (end < doc.text.length && /[A-Za-z0-9_]/.test(doc.text.charAt(end))) {
      end++;
    }
    const range = offsetsToRange(doc, start, end);
    instanceFamilies.forEach((family, index) => {
      out.add(
        {
          label: family.name,
          kind: CompletionItemKind.EnumMember,
          detail: familyDescription(family),
          documentation: markdown(familyDocumentation(family)),
          sortText: sortKey(sortGroup.value, index),
        },
        family.name,
        range,
      );
    });
    return;
  }
  const typed = site.text.trimStart();
  if (site.line < 20 && modelineText.startsWith(typed.toLowerCase()) && typed.length < modelineText.length) {
    out.add(
      {
        label: modelineText,
        kind: CompletionItemKind.Snippet,
        detail: 'Modeline: the instance family capacity checks and hovers use',
        filterText: site.text,
        sortText: sortKey(sortGroup.modeline, 0),
        insertTextFormat: InsertTextFormat.Snippet,
      },
      ` ${modelineText}${familyChoice()}`,
    );
  }
}

function familyDocumentation(family: (typeof instanceFamilies)[number]): string {
  const lines = [`**${familyDescription(family)}**`];
  if (family.clouds.length > 0) {
    lines.push(`Clouds: ${family.clouds.join(', ')}`);
  }
  if (family.note) {
    lines.push(family.note);
  }
  return lines.join('\n\n');
}

function familyChoice(): string {
  return `\${1|${instanceFamilies.map((family) => family.name).join(',')}|}`;
}
