/**
 * Completion of values: enums with their descriptions, booleans, defaults and examples, names the
 * spec defines (volumes, endpoints), quantities with units (memory, cpu, block size, GPU counts
 * bounded by the instance family) and, with a live account catalog, image paths, stages and
 * secrets. Part of `completion.ts`.
 *
 * Must not: throw or describe fields itself: documentation comes from the schema.
 */

import { CompletionItemKind, InsertTextFormat } from 'vscode-languageserver-types';
import { isScalar, isSeq } from 'yaml';
import { accountValueItems } from './catalog/catalogCompletion';
import { formatBytes, formatGiB, formatNumber, parseCpu, parseMemory } from './quantities';
import { resolveRef, schemaTypes } from './schema';
import { type SpecDocument } from './specDocument';
import { specFamily } from './family';
import { endpointDetail, sourceText, volumeDetail } from './symbols';
import { type ValueSite } from './cursor/completionSite';
import { schemaTarget, type PathSegment, type SchemaTarget } from './cursor/schemaTarget';
import { addSnippets, isArraySchema, isObjectSchema, markdown, refName, sortGroup, sortKey, type Collector, type CompletionContext } from './completionItems';

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

export function completeValue(doc: SpecDocument, site: ValueSite, ctx: CompletionContext, out: Collector): void {
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

export function addValues(doc: SpecDocument, request: ValueRequest, ctx: CompletionContext, out: Collector, rendering: ValueRendering): void {
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
export function yamlScalar(value: string | number | boolean): string {
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
