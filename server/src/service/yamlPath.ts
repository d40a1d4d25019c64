/**
 * Where the cursor is in a spec document, for completion, hover and navigation.
 *
 * Owns two views of "the cursor's place":
 * - `locateNode`: the node of the parsed YAML tree under an offset (with its document path, its pair
 *   and whether it is a key). Hover and navigation use it: they only ever look at text that exists.
 * - `completionSite`: what completion should offer at an offset, inferred from the text itself. While
 *   the user types, the line under the cursor is almost always half-written (`resou`, `- `,
 *   `memory: 4`), and the YAML parser's tree for such a line is often wrong or missing: a key without
 *   its colon turns its whole mapping into an error. So the path is read from indentation instead:
 *   the cursor line is split into `- ` indicators and `key:` entries, and the lines above it are
 *   scanned backwards (each line once, stopping at the top-level key that owns the cursor) to find
 *   the parent keys and list items, the way a reader of YAML would.
 *
 * Structure is read from the masked text (template placeholders replaced by `_`, same offsets), so a
 * `{{ var }}` never looks like a flow mapping; the prefix the user typed is read from the real text.
 *
 * Must not: parse YAML again, throw on any input, or scan the whole document per request beyond the
 * lines between the cursor and the top-level key that owns it (plus the cursor's own mapping below it).
 */

import { isMap, isScalar, isSeq, type Node, type Pair, type ParsedNode, type YAMLMap, type YAMLSeq } from 'yaml';
import { childSchema, resolveRef, rootSchema, schemaTypes, type JsonSchema } from './schema';
import type { SpecDocument } from './specDocument';

export type PathSegment = string | number;

// ---------------------------------------------------------------------------------------------------
// The schema at a document path.

export interface SchemaTarget {
  /** The schema that applies at the path, `$ref` resolved. */
  readonly schema: JsonSchema | undefined;
  /** The schema as the parent declares it: a field's own description sits next to its `$ref`. */
  readonly declared: JsonSchema | undefined;
  /** The object schema that declares the last key (its `required` list applies). */
  readonly parent: JsonSchema | undefined;
}

/**
 * Walks the schema along a document path. Unlike `schemaAtPath` it keeps the declaring property, whose
 * `markdownDescription` is the one written for that field, and it reads a key directly under a list
 * schema as the list's item: the legacy singular keys (`container:`) may hold one mapping.
 */
export function schemaTarget(path: readonly PathSegment[], root: JsonSchema = rootSchema): SchemaTarget {
  let schema = resolveRef(root);
  let declared: JsonSchema | undefined = root;
  let parent: JsonSchema | undefined;
  for (const segment of path) {
    if (!schema) {
      return { schema: undefined, declared: undefined, parent: undefined };
    }
    if (typeof segment === 'string' && schema.items && !schema.properties && schemaTypes(schema).includes('array')) {
      schema = resolveRef(schema.items);
    }
    if (!schema) {
      return { schema: undefined, declared: undefined, parent: undefined };
    }
    parent = schema;
    declared = childSchema(schema, segment);
    schema = resolveRef(declared);
  }
  return { schema, declared, parent };
}

/** The field's documentation: its own description where declared, else its type's. */
export function schemaDocumentation(target: Pick<SchemaTarget, 'schema' | 'declared'>): string | undefined {
  const { declared, schema } = target;
  return declared?.markdownDescription ?? declared?.description ?? schema?.markdownDescription ?? schema?.description;
}

// ---------------------------------------------------------------------------------------------------
// The node under the cursor (parsed tree).

export interface NodeLocation {
  /** The document path of the value the cursor is on; for a key, the path of that key's value. */
  readonly path: PathSegment[];
  /** The innermost node under the cursor: a key scalar, a value scalar, or a collection. */
  readonly node: Node;
  /** The pair whose key or value holds the cursor (undefined for list items and the root). */
  readonly pair: Pair<unknown, unknown> | undefined;
  readonly isKey: boolean;
  /** The collection that directly holds `node` (or the pair of `node`). */
  readonly parent: YAMLMap<unknown, unknown> | YAMLSeq<unknown> | undefined;
}

/** The node of the parsed tree under `offset`, or undefined when the offset is outside every node. */
export function locateNode(doc: SpecDocument, offset: number): NodeLocation | undefined {
  const contents = doc.yaml?.contents;
  if (!contents || !containsOffset(contents, offset)) {
    return undefined;
  }
  let node: Node = contents;
  const path: PathSegment[] = [];
  let pair: Pair<unknown, unknown> | undefined;
  let parent: YAMLMap<unknown, unknown> | YAMLSeq<unknown> | undefined;
  // The depth bound only guards against a malformed tree; real specs are a dozen levels deep.
  for (let depth = 0; depth < 256; depth++) {
    let next: Node | undefined;
    if (isMap(node)) {
      const map = node;
      for (const item of map.items) {
        const key = asNode(item.key);
        if (key && containsOffset(key, offset)) {
          return { path: [...path, keyName(key)], node: key, pair: item, isKey: true, parent: map };
        }
        const value = asNode(item.value);
        if (value && containsOffset(value, offset)) {
          path.push(key ? keyName(key) : '');
          pair = item;
          parent = map;
          next = value;
          break;
        }
      }
    } else if (isSeq(node)) {
      const seq = node;
      for (let index = 0; index < seq.items.length; index++) {
        const item = asNode(seq.items[index]);
        if (item && containsOffset(item, offset)) {
          path.push(index);
          pair = undefined;
          parent = seq;
          next = item;
          break;
        }
      }
    }
    if (!next) {
      break;
    }
    node = next;
  }
  return { path, node, pair, isKey: false, parent };
}

function asNode(value: unknown): Node | undefined {
  return value !== null && typeof value === 'object' && 'range' in value ? (value as Node) : undefined;
}

function keyName(key: Node): string {
  return isScalar(key) ? String(key.value) : '';
}

/**
 * Scalars include their end (a cursor right after `memory: 4Gi` is on the value). Collections do not:
 * their range runs to the start of the next line, which belongs to whatever comes next.
 */
function containsOffset(node: Node, offset: number): boolean {
  const range = (node as ParsedNode).range;
  if (!range) {
    return false;
  }
  return isScalar(node) ? range[0] <= offset && offset <= range[1] : range[0] <= offset && offset < range[1];
}

// ---------------------------------------------------------------------------------------------------
// Structure of one line of text.

interface LineEntry {
  readonly kind: 'dash' | 'key' | 'scalar';
  /** Offset of the entry's first character (the dash, the key's quote or first letter, the scalar). */
  readonly offset: number;
  readonly column: number;
  /** The key, unquoted (`key` entries only). */
  readonly key: string;
  /** Offset just after the key text, before spaces and the colon. */
  readonly keyEnd: number;
  /** Offset of the key's colon, or -1. */
  readonly colon: number;
  /** The inline value (keys) or the scalar's text, without a trailing comment; may be empty. */
  readonly value: string;
  readonly valueStart: number;
  readonly valueEnd: number;
}

interface ParsedLine {
  readonly indent: number;
  readonly entries: LineEntry[];
  /** Offset of a `#` that starts a comment, or -1. */
  readonly commentStart: number;
}

const blockScalarHeader = /^(?:[&!][^\s]*\s+)*[|>][-+0-9]*$/;
const nodePropertiesOnly = /^(?:[&!][^\s]*\s*)*$/;

function isBlank(char: string | undefined): boolean {
  return char === ' ' || char === '\t';
}

/** Splits a line into its `- ` indicators and its `key:` (or plain scalar) entry. */
function parseLine(text: string, lineStart: number, lineEnd: number): ParsedLine {
  const entries: LineEntry[] = [];
  let pos = lineStart;
  while (pos < lineEnd && isBlank(text[pos])) {
    pos++;
  }
  const indent = pos - lineStart;
  let commentStart = -1;
  while (pos < lineEnd) {
    const char = text[pos];
    if (char === '#') {
      commentStart = pos;
      break;
    }
    if (char === '-' && (pos + 1 >= lineEnd || isBlank(text[pos + 1]))) {
      entries.push(entry('dash', pos, pos - lineStart));
      pos++;
      while (pos < lineEnd && isBlank(text[pos])) {
        pos++;
      }
      continue;
    }
    const colon = findMappingColon(text, pos, lineEnd);
    if (colon === -1) {
      const end = valueEndOf(text, pos, lineEnd);
      commentStart = end.comment;
      entries.push({ ...entry('scalar', pos, pos - lineStart), value: text.slice(pos, end.end), valueStart: pos, valueEnd: end.end });
      break;
    }
    const quoted = char === '"' || char === "'";
    let keyEnd = colon;
    while (keyEnd > pos && isBlank(text[keyEnd - 1])) {
      keyEnd--;
    }
    const key = quoted ? text.slice(pos + 1, Math.max(pos + 1, keyEnd - 1)) : text.slice(pos, keyEnd);
    let valueStart = colon + 1;
    while (valueStart < lineEnd && isBlank(text[valueStart])) {
      valueStart++;
    }
    const end = valueEndOf(text, valueStart, lineEnd);
    commentStart = end.comment;
    entries.push({
      kind: 'key',
      offset: pos,
      column: pos - lineStart,
      key,
      keyEnd,
      colon,
      value: text.slice(valueStart, end.end),
      valueStart,
      valueEnd: end.end,
    });
    break;
  }
  return { indent, entries, commentStart };
}

function entry(kind: LineEntry['kind'], offset: number, column: number): LineEntry {
  return { kind, offset, column, key: '', keyEnd: offset, colon: -1, value: '', valueStart: offset, valueEnd: offset };
}

/** The offset of the `:` that makes the text at `pos` a mapping key, or -1 when it is a plain scalar. */
function findMappingColon(text: string, pos: number, lineEnd: number): number {
  const first = text[pos];
  let scan = pos;
  if (first === '"' || first === "'") {
    const close = closingQuote(text, pos, lineEnd);
    if (close === -1) {
      return -1;
    }
    scan = close + 1;
    while (scan < lineEnd && isBlank(text[scan])) {
      scan++;
    }
    return text[scan] === ':' && (scan + 1 >= lineEnd || isBlank(text[scan + 1])) ? scan : -1;
  }
  if (first === '[' || first === '{' || first === '|' || first === '>' || first === '*' || first === '@' || first === '`') {
    return -1;
  }
  for (; scan < lineEnd; scan++) {
    const char = text[scan];
    if (char === ':' && (scan + 1 >= lineEnd || isBlank(text[scan + 1]))) {
      return scan;
    }
    if (char === '#' && scan > pos && isBlank(text[scan - 1])) {
      return -1;
    }
  }
  return -1;
}

/** The offset of the quote that closes the one at `pos`, or -1 when the line ends first. */
function closingQuote(text: string, pos: number, lineEnd: number): number {
  const quote = text[pos];
  for (let scan = pos + 1; scan < lineEnd; scan++) {
    const char = text[scan];
    if (quote === '"' && char === '\\') {
      scan++;
      continue;
    }
    if (char === quote) {
      if (quote === "'" && text[scan + 1] === "'") {
        scan++;
        continue;
      }
      return scan;
    }
  }
  return -1;
}

/** Where a value that starts at `start` ends (trailing spaces and a comment excluded). */
function valueEndOf(text: string, start: number, lineEnd: number): { end: number; comment: number } {
  let scan = start;
  let comment = -1;
  if (text[start] === '"' || text[start] === "'") {
    const close = closingQuote(text, start, lineEnd);
    scan = close === -1 ? lineEnd : close + 1;
  }
  for (; scan < lineEnd; scan++) {
    if (text[scan] === '#' && (scan === start || isBlank(text[scan - 1]))) {
      comment = scan;
      break;
    }
  }
  let end = comment === -1 ? lineEnd : comment;
  while (end > start && isBlank(text[end - 1])) {
    end--;
  }
  return { end, comment };
}

/**
 * The start of the line holding `offset`. (`lastIndexOf` with a negative start still looks at index
 * 0, so offset 0 needs its own case or a leading blank line would be found again and again.)
 */
function lineStartOf(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

/** [start, end) of the line holding `offset`, without its line break. */
function lineBounds(text: string, offset: number): [number, number] {
  const start = lineStartOf(text, offset);
  let end = text.indexOf('\n', offset);
  if (end === -1) {
    end = text.length;
  }
  if (end > start && text[end - 1] === '\r') {
    end--;
  }
  return [start, end];
}

function isDocumentMarker(text: string, lineStart: number, lineEnd: number): boolean {
  const head = text.slice(lineStart, Math.min(lineEnd, lineStart + 4));
  return head === '---' || head === '...' || head.startsWith('--- ') || head.startsWith('... ');
}

function indentOf(text: string, lineStart: number, lineEnd: number): number {
  let pos = lineStart;
  while (pos < lineEnd && text[pos] === ' ') {
    pos++;
  }
  return pos - lineStart;
}

/** A line with nothing but spaces or a comment, which never changes the structure. */
function isBlankOrComment(text: string, lineStart: number, lineEnd: number, indent: number): boolean {
  const pos = lineStart + indent;
  return pos >= lineEnd || text[pos] === '#' || (isBlank(text[pos]) && text.slice(pos, lineEnd).trim() === '');
}

// ---------------------------------------------------------------------------------------------------
// Ancestors from indentation.

interface Ancestry {
  /** Path of the mapping (or list item) that holds the cursor's node. */
  readonly path: PathSegment[];
  /** The other keys of that mapping with their inline values (unquoted). */
  readonly siblings: Map<string, string>;
  /** The column the mapping's keys are at. */
  readonly mappingColumn: number;
  /** The cursor's node is the first entry of a list item started on the cursor line (`- |`). */
  readonly afterDash: boolean;
  /** The cursor is inside a block scalar (`|` / `>`): nothing structural to offer. */
  readonly insideBlockScalar: boolean;
}

/**
 * Walks from the cursor's node upwards: first the `- ` entries left of it on its own line, then the
 * lines above. The node whose parent is being looked for sits at `col`: a mapping entry, or a list
 * item when `isDash` (`index` counting the items above it). A line's entries are read right to left:
 * entries deeper than the node belong to earlier siblings, entries at its column are siblings, and the
 * nearest entry to the left is the parent.
 */
function resolveAncestry(text: string, cursorLineStart: number, leftEntries: readonly LineEntry[], column: number): Ancestry {
  const reversed: PathSegment[] = [];
  const siblings = new Map<string, string>();
  let col = column;
  let isDash = false;
  let index = 0;
  let collecting = true;
  let mappingColumn = column;
  let insideBlockScalar = false;

  const stopCollecting = (): void => {
    if (collecting) {
      collecting = false;
      mappingColumn = col;
    }
  };

  /** Returns false when the walk is over. */
  const visit = (entries: readonly LineEntry[]): boolean => {
    for (let i = entries.length - 1; i >= 0; i--) {
      const current = entries[i];
      if (!current || current.column > col) {
        continue;
      }
      if (current.kind === 'scalar' && blockScalarHeader.test(current.value)) {
        // `- |` above: its content is indented past the dash, which the node is.
        insideBlockScalar = true;
        return false;
      }
      if (current.column === col) {
        if (!isDash) {
          if (current.kind === 'key' && collecting && !siblings.has(current.key)) {
            siblings.set(current.key, unquote(current.value));
          }
        } else if (current.kind === 'dash') {
          index++;
        } else if (current.kind === 'key' && !hasInlineValue(current.value)) {
          // A list written at its key's own indentation (`containers:` then `- name: …` below it).
          reversed.push(index, current.key);
          isDash = false;
        }
        continue;
      }
      // current.column < col: the nearest entry to the left.
      if (current.kind === 'dash') {
        stopCollecting();
        if (isDash) {
          reversed.push(index);
        }
        isDash = true;
        col = current.column;
        index = 0;
        continue;
      }
      if (current.kind === 'key' && blockScalarHeader.test(current.value.trim())) {
        insideBlockScalar = true;
        return false;
      }
      if (current.kind === 'scalar' || hasInlineValue(current.value)) {
        // A shallower entry with a value of its own cannot hold the node: the node (badly indented,
        // or being typed) belongs to that entry's mapping. Read it as a sibling there.
        if (!isDash) {
          col = current.column;
          if (current.kind === 'key' && collecting && !siblings.has(current.key)) {
            siblings.set(current.key, unquote(current.value));
          }
        }
        continue;
      }
      stopCollecting();
      if (isDash) {
        reversed.push(index);
      }
      reversed.push(current.key);
      isDash = false;
      col = current.column;
    }
    return true;
  };

  // Entries left of the node on its own line are `- ` indicators: the node starts a list item.
  const afterDash = leftEntries.length > 0;
  if (!visit(leftEntries)) {
    return { path: [], siblings, mappingColumn, afterDash, insideBlockScalar };
  }
  let end = cursorLineStart - 1;
  while (end >= 0 && !(col === 0 && !isDash && !collecting)) {
    const start = lineStartOf(text, end);
    const lineEnd = end > start && text[end - 1] === '\r' ? end - 1 : end;
    end = start - 1;
    if (isDocumentMarker(text, start, lineEnd)) {
      break;
    }
    const indent = indentOf(text, start, lineEnd);
    if (indent > col || isBlankOrComment(text, start, lineEnd, indent)) {
      continue;
    }
    if (!visit(parseLine(text, start, lineEnd).entries)) {
      return { path: [], siblings, mappingColumn, afterDash, insideBlockScalar };
    }
  }
  if (isDash) {
    // A list at the top level of the document.
    reversed.push(index);
  }
  stopCollecting();
  return { path: reversed.reverse(), siblings, mappingColumn, afterDash, insideBlockScalar };
}

function hasInlineValue(value: string): boolean {
  return value !== '' && !nodePropertiesOnly.test(value);
}

function unquote(value: string): string {
  const first = value[0];
  if ((first === '"' || first === "'") && value.length >= 2 && value[value.length - 1] === first) {
    return value.slice(1, -1);
  }
  return value;
}

/** Adds the keys of the cursor's mapping that come after the cursor line. */
function collectFollowingSiblings(text: string, cursorLineEnd: number, column: number, siblings: Map<string, string>): void {
  let start = text.indexOf('\n', cursorLineEnd);
  while (start !== -1) {
    start++;
    let end = text.indexOf('\n', start);
    const next = end;
    if (end === -1) {
      end = text.length;
    }
    if (end > start && text[end - 1] === '\r') {
      end--;
    }
    if (isDocumentMarker(text, start, end)) {
      return;
    }
    const indent = indentOf(text, start, end);
    if (!isBlankOrComment(text, start, end, indent)) {
      if (indent < column) {
        return;
      }
      if (indent === column) {
        const first = parseLine(text, start, end).entries[0];
        if (first?.kind === 'key' && !siblings.has(first.key)) {
          siblings.set(first.key, unquote(first.value));
        }
      }
    }
    if (next === -1) {
      return;
    }
    start = next;
  }
}

// ---------------------------------------------------------------------------------------------------
// The completion site.

interface SiteBase {
  /** Offsets of the text a completion replaces (the word being typed, or the value). */
  readonly replaceStart: number;
  readonly replaceEnd: number;
  /** What the user typed of the word so far (from `replaceStart` to the cursor). */
  readonly prefix: string;
}

/** The cursor is where a key goes (or, after `- ` under a list of scalars, a list item's value). */
export interface KeySite extends SiteBase {
  readonly kind: 'key';
  /** Path of the mapping (or list item) the key goes into. */
  readonly path: PathSegment[];
  /** Column of the key; continuation lines of an inserted value are indented from here. */
  readonly column: number;
  /** A `- ` on the cursor line starts the item this key is the first key of. */
  readonly afterDash: boolean;
  /** The key already has its colon (the cursor is on an existing key): replace the name only. */
  readonly hasColon: boolean;
  /** The cursor is right after a `-` with no space: inserted text needs a leading space. */
  readonly needsSpace: boolean;
  /** The other keys of the mapping, with their inline values. */
  readonly siblings: ReadonlyMap<string, string>;
  /** The cursor is at the very start of the document's first line, which is empty. */
  readonly atDocumentStart: boolean;
}

/** The cursor is on the value of `key:` (or an item of its flow sequence `[a, b]`). */
export interface ValueSite extends SiteBase {
  readonly kind: 'value';
  /** Path of the value: the mapping's path, the key and, inside `[…]`, the item index. */
  readonly path: PathSegment[];
  readonly mappingPath: PathSegment[];
  readonly key: string;
  /** Column of the key. */
  readonly column: number;
  /** The value is inside quotes: insert the bare text. */
  readonly quote: '"' | "'" | undefined;
  /** Nothing separates the colon from the cursor: inserted text needs a leading space. */
  readonly needsSpace: boolean;
  /** The cursor is inside a flow sequence `[…]`. */
  readonly inFlowSequence: boolean;
  readonly siblings: ReadonlyMap<string, string>;
}

/** The cursor is in a comment (`text` is the comment from after `#` up to the cursor). */
export interface CommentSite extends SiteBase {
  readonly kind: 'comment';
  readonly line: number;
  /** Offset just after the `#`. */
  readonly contentStart: number;
  readonly text: string;
}

export type CompletionSite = KeySite | ValueSite | CommentSite | { readonly kind: 'none' };

const none = { kind: 'none' } as const;

/** What completion should offer at `offset`, read from the text around it (see the module comment). */
export function completionSite(doc: SpecDocument, offset: number): CompletionSite {
  const text = doc.maskedText;
  const cursor = Math.max(0, Math.min(offset, text.length));
  for (const placeholder of doc.placeholders) {
    if (placeholder.start < cursor && cursor <= placeholder.end) {
      return none;
    }
  }
  const [lineStart, lineEnd] = lineBounds(text, cursor);
  if (cursor > lineEnd) {
    return none;
  }
  const line = parseLine(text, lineStart, lineEnd);
  if (line.commentStart !== -1 && cursor > line.commentStart) {
    const contentStart = line.commentStart + 1;
    return {
      kind: 'comment',
      line: doc.textDocument.positionAt(cursor).line,
      contentStart,
      text: doc.text.slice(contentStart, cursor),
      replaceStart: contentStart,
      replaceEnd: cursor,
      prefix: doc.text.slice(contentStart, cursor),
    };
  }
  const entries = line.entries;
  const at = entries.findIndex((candidate) => candidate.kind !== 'dash');
  const content = at === -1 ? undefined : entries[at];
  const left = at === -1 ? entries : entries.slice(0, at);

  if (!content || cursor < content.offset) {
    // Only indentation and `- ` before the cursor; the rest of the line must be empty too.
    if (content || line.commentStart !== -1 || text.slice(cursor, lineEnd).trim() !== '') {
      return none;
    }
    const lastDash = left[left.length - 1];
    const needsSpace = lastDash !== undefined && lastDash.offset + 1 === cursor;
    const column = cursor - lineStart + (needsSpace ? 1 : 0);
    return keySite(doc, lineStart, lineEnd, left, column, {
      replaceStart: cursor,
      replaceEnd: cursor,
      prefix: '',
      hasColon: false,
      needsSpace,
      atDocumentStart: cursor === 0 && lineEnd === 0,
    });
  }

  if (content.kind === 'scalar') {
    if (cursor > content.valueEnd) {
      return none;
    }
    const wordEnd = wordEndAfter(text, cursor, content.valueEnd);
    return keySite(doc, lineStart, lineEnd, left, content.column, {
      replaceStart: content.offset,
      replaceEnd: wordEnd,
      prefix: doc.text.slice(content.offset, cursor),
      hasColon: false,
      needsSpace: false,
      atDocumentStart: false,
    });
  }

  // A key entry.
  if (cursor <= content.keyEnd) {
    const quoted = text[content.offset] === '"' || text[content.offset] === "'";
    const start = quoted ? content.offset + 1 : content.offset;
    const end = quoted ? Math.max(start, content.keyEnd - 1) : content.keyEnd;
    if (cursor < start) {
      return none;
    }
    return keySite(doc, lineStart, lineEnd, left, content.column, {
      replaceStart: start,
      replaceEnd: Math.max(end, cursor),
      prefix: doc.text.slice(start, cursor),
      hasColon: true,
      needsSpace: false,
      atDocumentStart: false,
    });
  }
  if (cursor <= content.colon) {
    return none;
  }
  return valueSite(doc, lineStart, lineEnd, left, content, cursor);
}

function wordEndAfter(text: string, cursor: number, limit: number): number {
  let end = cursor;
  while (end < limit && !isBlank(text[end]) && text[end] !== ':') {
    end++;
  }
  return end;
}

function keySite(
  doc: SpecDocument,
  lineStart: number,
  lineEnd: number,
  left: readonly LineEntry[],
  column: number,
  site: Pick<KeySite, 'replaceStart' | 'replaceEnd' | 'prefix' | 'hasColon' | 'needsSpace' | 'atDocumentStart'>,
): CompletionSite {
  const ancestry = resolveAncestry(doc.maskedText, lineStart, left, column);
  if (ancestry.insideBlockScalar) {
    return none;
  }
  collectFollowingSiblings(doc.maskedText, lineEnd, ancestry.mappingColumn, ancestry.siblings);
  return { kind: 'key', path: ancestry.path, column, afterDash: ancestry.afterDash, siblings: ancestry.siblings, ...site };
}

function valueSite(
  doc: SpecDocument,
  lineStart: number,
  lineEnd: number,
  left: readonly LineEntry[],
  content: LineEntry,
  cursor: number,
): CompletionSite {
  const text = doc.maskedText;
  const ancestry = resolveAncestry(text, lineStart, left, content.column);
  if (ancestry.insideBlockScalar) {
    return none;
  }
  collectFollowingSiblings(text, lineEnd, ancestry.mappingColumn, ancestry.siblings);
  ancestry.siblings.delete(content.key);
  const base = {
    kind: 'value' as const,
    mappingPath: ancestry.path,
    key: content.key,
    column: content.column,
    siblings: ancestry.siblings,
  };
  const valuePath = [...ancestry.path, content.key];
  const { valueStart, valueEnd } = content;
  if (valueStart >= valueEnd || cursor < valueStart) {
    // Nothing typed yet. A cursor in the spaces before an existing value gets nothing: any
    // insertion there would run into the value.
    if (valueStart < valueEnd) {
      return none;
    }
    return {
      ...base,
      path: valuePath,
      quote: undefined,
      needsSpace: cursor === content.colon + 1,
      inFlowSequence: false,
      replaceStart: cursor,
      replaceEnd: cursor,
      prefix: '',
    };
  }
  const first = text[valueStart];
  if (first === '[') {
    return flowSequenceSite(doc, base, valuePath, valueStart, valueEnd, cursor);
  }
  if (first === '{' || first === '|' || first === '>' || first === '&' || first === '*' || first === '!') {
    return none;
  }
  if (first === '"' || first === "'") {
    const close = closingQuote(text, valueStart, lineEnd);
    if (cursor === valueStart || (close !== -1 && cursor > close)) {
      return none;
    }
    const end = close === -1 ? valueEnd : close;
    return {
      ...base,
      path: valuePath,
      quote: first,
      needsSpace: false,
      inFlowSequence: false,
      replaceStart: valueStart + 1,
      replaceEnd: Math.max(end, cursor),
      prefix: doc.text.slice(valueStart + 1, cursor),
    };
  }
  return {
    ...base,
    path: valuePath,
    quote: undefined,
    needsSpace: false,
    inFlowSequence: false,
    replaceStart: valueStart,
    replaceEnd: Math.max(valueEnd, cursor),
    prefix: doc.text.slice(valueStart, cursor),
  };
}

/** An item of `key: [a, b, |]`: its index, and the item text around the cursor. */
function flowSequenceSite(
  doc: SpecDocument,
  base: Pick<ValueSite, 'kind' | 'mappingPath' | 'key' | 'column' | 'siblings'>,
  valuePath: PathSegment[],
  valueStart: number,
  valueEnd: number,
  cursor: number,
): CompletionSite {
  const text = doc.maskedText;
  let index = 0;
  let itemStart = valueStart + 1;
  for (let scan = valueStart + 1; scan < cursor; scan++) {
    const char = text[scan];
    if (char === ',') {
      index++;
      itemStart = scan + 1;
    } else if (char === ']' || char === '[' || char === '{' || char === '}' || char === '"' || char === "'") {
      // Nested collections, quoted items and text after the closing bracket are left alone.
      return none;
    }
  }
  while (itemStart < cursor && isBlank(text[itemStart])) {
    itemStart++;
  }
  let itemEnd = cursor;
  while (itemEnd < valueEnd && text[itemEnd] !== ',' && text[itemEnd] !== ']') {
    itemEnd++;
  }
  while (itemEnd > cursor && isBlank(text[itemEnd - 1])) {
    itemEnd--;
  }
  return {
    ...base,
    path: [...valuePath, index],
    quote: undefined,
    needsSpace: false,
    inFlowSequence: true,
    replaceStart: itemStart,
    replaceEnd: itemEnd,
    prefix: doc.text.slice(itemStart, cursor),
  };
}
