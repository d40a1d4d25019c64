/**
 * What completion should offer at an offset, inferred from the text itself. While the user types, the
 * line under the cursor is almost always half-written (`resou`, `- `, `memory: 4`), and the YAML
 * parser's tree for such a line is often wrong or missing: a key without its colon turns its whole
 * mapping into an error. So the path is read from indentation instead (`ancestry.ts`): the cursor line
 * is split into `- ` indicators and `key:` entries (`yamlLines.ts`), and the lines above it are scanned
 * backwards to find the parent keys and list items, the way a reader of YAML would.
 *
 * Structure is read from the masked text (template placeholders replaced by `_`, same offsets), so a
 * `{{ var }}` never looks like a flow mapping; the prefix the user typed is read from the real text.
 *
 * Must not: parse YAML again, or throw on any input.
 */

import type { SpecDocument } from '../specDocument';
import { collectFollowingSiblings, resolveAncestry } from './ancestry';
import type { PathSegment } from './schemaTarget';
import { closingQuote, isBlank, lineBounds, parseLine, type LineEntry } from './yamlLines';

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
