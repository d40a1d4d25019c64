/**
 * Helpers shared by the semantic rules: reading typed values out of the tree while respecting
 * templates, naming items in messages, and building the text edits of quick fixes.
 *
 * Owns: the "is this a value a rule may judge" decision (a plain, non-templated scalar of the right
 * type), item labels such as "container `api`", and edits that keep the user's indentation and
 * quoting. Must not: report diagnostics or know any rule of the reference catalogue.
 */

import { isMap, isScalar, isSeq, parse, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import {
  getPair,
  isTemplated,
  nodeOffsets,
  offsetsToRange,
  type SpecDocument,
  type SpecItem,
} from '../specDocument';
import { hasStatements } from '../templates';

/** Jinja `{% for %}` / `{% if %}` make counts and uniqueness meaningless: the text is not the structure. */
export function hasControlStatements(doc: SpecDocument): boolean {
  return hasStatements(doc.placeholders);
}

/** A scalar a rule may judge: present, and not containing a template placeholder. */
export function plainScalar(doc: SpecDocument, node: unknown): Scalar | undefined {
  return isScalar(node) && !isTemplated(doc, node) ? node : undefined;
}

export function stringValue(doc: SpecDocument, node: unknown): string | undefined {
  const scalar = plainScalar(doc, node);
  return scalar && typeof scalar.value === 'string' ? scalar.value : undefined;
}

export function numberValue(doc: SpecDocument, node: unknown): number | undefined {
  const scalar = plainScalar(doc, node);
  return scalar && typeof scalar.value === 'number' && Number.isFinite(scalar.value) ? scalar.value : undefined;
}

export function booleanValue(doc: SpecDocument, node: unknown): boolean | undefined {
  const scalar = plainScalar(doc, node);
  return scalar && typeof scalar.value === 'boolean' ? scalar.value : undefined;
}

/** The value node of `key` in `map` (including an empty `key:`, which is a null scalar). */
export function valueOf(map: YAMLMap<unknown, unknown> | undefined, key: string): Node | undefined {
  const value = getPair(map, key)?.value;
  return value !== null && typeof value === 'object' ? (value as Node) : undefined;
}

/** Whether a value is absent, empty (`key:`) or templated: nothing can be concluded from it. */
export function isOpaque(doc: SpecDocument, node: unknown): boolean {
  return node === undefined || node === null || isTemplated(doc, node as Node);
}

/** Whether a spec list (`volumes`, `endpoints`, ...) may hold items we cannot see: a templated or odd value. */
export function listIsOpaque(doc: SpecDocument, parent: YAMLMap<unknown, unknown> | undefined, keys: readonly string[]): boolean {
  for (const key of keys) {
    const pair = getPair(parent, key);
    if (!pair) {
      continue;
    }
    const value = pair.value;
    if (isTemplated(doc, value as Node | undefined)) {
      return true;
    }
    if (isScalar(value) && value.value !== null) {
      return true;
    }
  }
  return false;
}

/** Whether some item of a list has a name we cannot read (templated, or not a string). */
export function hasUnreadableName(items: readonly SpecItem[]): boolean {
  return items.some((item) => item.name === undefined && getPair(item.node, 'name') !== undefined);
}

/** "container `api`", or "container 2" when the name is missing or templated. */
export function itemLabel(kind: string, item: SpecItem): string {
  return item.name !== undefined ? `${kind} '${item.name}'` : `${kind} ${item.index + 1}`;
}

export function mapItemsOf(seq: unknown): YAMLMap<unknown, unknown>[] {
  return isSeq(seq) ? seq.items.filter((item): item is YAMLMap<unknown, unknown> => isMap(item)) : [];
}

export function asMap(node: unknown): YAMLMap<unknown, unknown> | undefined {
  return isMap(node) ? node : undefined;
}

export function asSeq(node: unknown): YAMLSeq<unknown> | undefined {
  return isSeq(node) ? node : undefined;
}

export function range(doc: SpecDocument, start: number, end: number): Range {
  return offsetsToRange(doc, start, end);
}

/** The column (0-based) at which `offset` sits on its line. */
export function columnOf(doc: SpecDocument, offset: number): number {
  return offset - (doc.text.lastIndexOf('\n', offset - 1) + 1);
}

/** The end of the line holding `offset` (the offset of its `\n`, or the end of the text). */
export function lineEndOffset(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  if (newline === -1) {
    return text.length;
  }
  return newline > 0 && text.charAt(newline - 1) === '\r' ? newline - 1 : newline;
}

function lineStartOffset(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The line break the document uses, so inserted lines match it. */
export function newlineOf(doc: SpecDocument): string {
  return doc.text.includes('\r\n') ? '\r\n' : '\n';
}

/** A scalar written back in the same quoting style it had (plain text that YAML would misread is double-quoted). */
function formatLike(scalar: Scalar | undefined, value: string): string {
  if (scalar?.type === 'QUOTE_SINGLE') {
    return `'${value.replace(/'/g, "''")}'`;
  }
  if (scalar?.type === 'QUOTE_DOUBLE' || !readsBackPlain(value, typeof scalar?.value === 'number')) {
    return JSON.stringify(value);
  }
  return value;
}

/**
 * Whether `value` written as a plain scalar reads back as intended: as the same string, or, when
 * replacing a number, as a number (never as a mapping, a comment, a boolean, ...).
 */
function readsBackPlain(value: string, asNumber: boolean): boolean {
  if (value === '' || value !== value.trim() || /[\n\r]/.test(value)) {
    return false;
  }
  try {
    const parsed: unknown = parse(value, { version: '1.2' });
    return parsed === value || (asNumber && typeof parsed === 'number');
  } catch {
    return false;
  }
}

/** Replaces a scalar's text with `value`, keeping its quotes (undefined for anything but a scalar). */
export function replaceScalar(doc: SpecDocument, scalar: unknown, value: string): TextEdit | undefined {
  if (!isScalar(scalar)) {
    return undefined;
  }
  const offsets = nodeOffsets(scalar);
  return offsets ? { range: range(doc, offsets[0], offsets[1]), newText: formatLike(scalar, value) } : undefined;
}

/** Replaces a node's whole text (used where the new text is already valid YAML). */
export function replaceNodeText(doc: SpecDocument, node: Node | Pair, newText: string): TextEdit | undefined {
  const offsets = nodeOffsets(node);
  return offsets ? { range: range(doc, offsets[0], offsets[1]), newText } : undefined;
}

/**
 * Adds `key: value` at the end of a mapping: a new line at the mapping's indentation for a block
 * mapping, `, key: value` before the closing brace for a flow mapping. Undefined when the mapping
 * has no items to take the indentation from.
 */
export function appendToMap(doc: SpecDocument, map: YAMLMap<unknown, unknown>, key: string, valueText: string): TextEdit | undefined {
  const first = map.items[0];
  const last = map.items[map.items.length - 1];
  if (!first || !last) {
    return undefined;
  }
  if (map.flow) {
    const offsets = nodeOffsets(map);
    if (!offsets) {
      return undefined;
    }
    const close = doc.text.lastIndexOf('}', offsets[1]);
    if (close < offsets[0]) {
      return undefined;
    }
    const at = lastNonSpace(doc.text, offsets[0], close);
    return { range: range(doc, at, at), newText: `, ${key}: ${valueText}` };
  }
  const end = blockMapEnd(doc, map);
  return end ? { range: range(doc, end.offset, end.offset), newText: `${newlineOf(doc)}${' '.repeat(end.column)}${key}: ${valueText}` } : undefined;
}

/** Where a new last pair of a block mapping goes (the end of its last line) and the mapping's key column. */
function blockMapEnd(doc: SpecDocument, map: YAMLMap<unknown, unknown>): { readonly offset: number; readonly column: number } | undefined {
  const firstOffsets = nodeOffsets(map.items[0]?.key as Node | undefined);
  const lastOffsets = nodeOffsets(map.items[map.items.length - 1]);
  if (map.flow || !firstOffsets || !lastOffsets) {
    return undefined;
  }
  return { offset: lineEndOffset(doc.text, lastNonSpace(doc.text, lastOffsets[0], lastOffsets[1]) - 1), column: columnOf(doc, firstOffsets[0]) };
}

/**
 * Adds a block `key:` at the end of a block mapping, with `lines` below it indented by `step` (each
 * line keeps its own further indentation), e.g. `platformMonitor:` with its `metricConfig:` at the end
 * of `spec:`. Undefined for a flow or empty mapping.
 */
export function appendBlockToMap(doc: SpecDocument, map: YAMLMap<unknown, unknown>, key: string, lines: readonly string[], step = 2): TextEdit | undefined {
  const end = blockMapEnd(doc, map);
  if (!end) {
    return undefined;
  }
  const newline = newlineOf(doc);
  const indent = ' '.repeat(end.column);
  const body = lines.map((line) => `${newline}${indent}${' '.repeat(step)}${line}`).join('');
  return { range: range(doc, end.offset, end.offset), newText: `${newline}${indent}${key}:${body}` };
}

/**
 * Adds a nested mapping `key:` with one entry after the pair `after` (a sibling in the same block
 * mapping), e.g. a `limits:` block after `requests:`. The child indentation copies the step the
 * document already uses below `after`.
 */
export function insertNestedAfter(doc: SpecDocument, after: Pair, key: string, childKey: string, childValue: string): TextEdit | undefined {
  const keyOffsets = nodeOffsets(after.key as Node | undefined);
  const pairOffsets = nodeOffsets(after);
  if (!keyOffsets || !pairOffsets) {
    return undefined;
  }
  const column = columnOf(doc, keyOffsets[0]);
  let step = 2;
  const child = asMap(after.value);
  const childKeyOffsets = child && !child.flow ? nodeOffsets(child.items[0]?.key as Node | undefined) : undefined;
  if (childKeyOffsets) {
    step = Math.max(1, columnOf(doc, childKeyOffsets[0]) - column);
  }
  const at = lineEndOffset(doc.text, lastNonSpace(doc.text, pairOffsets[0], pairOffsets[1]) - 1);
  const newline = newlineOf(doc);
  const indent = ' '.repeat(column);
  return {
    range: range(doc, at, at),
    newText: `${newline}${indent}${key}:${newline}${indent}${' '.repeat(step)}${childKey}: ${childValue}`,
  };
}

/**
 * Deletes a pair of a block mapping together with its line(s). Undefined when the pair shares its
 * line with something else (a flow mapping, or `- key: value` starting a list item), where deleting
 * text safely needs more context than a quick fix should guess.
 */
export function removePair(doc: SpecDocument, map: YAMLMap<unknown, unknown>, pair: Pair): TextEdit | undefined {
  if (map.flow || map.items.length < 2) {
    return undefined;
  }
  const offsets = nodeOffsets(pair);
  if (!offsets) {
    return undefined;
  }
  const start = lineStartOffset(doc.text, offsets[0]);
  if (doc.text.slice(start, offsets[0]).trim() !== '') {
    return undefined;
  }
  const end = lineEndOffset(doc.text, lastNonSpace(doc.text, offsets[0], offsets[1]) - 1);
  const next = doc.text.indexOf('\n', end);
  return { range: range(doc, start, next === -1 ? end : next + 1), newText: '' };
}

/** The offset just after the last non-whitespace character in [start, end). */
function lastNonSpace(text: string, start: number, end: number): number {
  let at = end;
  while (at > start && /\s/.test(text.charAt(at - 1))) {
    at--;
  }
  return at;
}

/** Whether `child` equals `parent` or lies inside it, as directory paths (`/a` contains `/a/b`, not `/ab`). */
export function pathsOverlap(a: string, b: string): boolean {
  const left = trimSlashes(a);
  const right = trimSlashes(b);
  return left === right || left.startsWith(`${right}/`) || right.startsWith(`${left}/`) || left === '' || right === '';
}

export function trimSlashes(path: string): string {
  return path.replace(/\/+$/, '');
}
