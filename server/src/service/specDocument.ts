/**
 * The parsed form of one spec document, shared by every feature of the language service.
 *
 * Owns: masking template placeholders, parsing with `yaml` v2 (keeping ranges), deciding whether a
 * YAML document is an SPCS spec at all, and a normalized view of the spec's lists (containers,
 * endpoints, volumes, service roles) that also reads the legacy singular keys, so that every rule
 * and feature sees the same items without repeating that logic.
 *
 * Must not: report diagnostics (see `validate.ts`), do I/O, or know about LSP connections. A parsed
 * document is immutable; callers cache it per document version (`parseSpecDocument` is pure).
 */

import { type TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Node,
  type Pair,
  type ParsedNode,
  type Scalar,
  type YAMLError,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { decideDocumentKind, type DocumentKind } from './documentKind';
import { looksLikeSpec as textLooksLikeSpec } from './specDetection';
import { maskPlaceholders, overlapsPlaceholder, type MaskedText, type Placeholder } from './templates';

import { specLanguageId } from '../lspExtension';

export { specLanguageId };

/** One item of a spec list (a container, an endpoint, a volume, a service role). */
export interface SpecItem {
  readonly node: YAMLMap<unknown, unknown>;
  readonly index: number;
  /** The key the item came from: `containers`, or the legacy `container`. */
  readonly listKey: string;
  /** The item's `name`, when it is a plain (non-templated) string. */
  readonly name: string | undefined;
  readonly nameNode: Scalar | undefined;
}

export interface SpecLists {
  readonly containers: readonly SpecItem[];
  readonly endpoints: readonly SpecItem[];
  readonly volumes: readonly SpecItem[];
  readonly serviceRoles: readonly SpecItem[];
}

export interface SpecDocument {
  readonly textDocument: TextDocument;
  readonly text: string;
  /** The text the parser saw: placeholders masked, same length as `text`. */
  readonly maskedText: string;
  readonly placeholders: readonly Placeholder[];
  /** The first YAML document (the spec), or undefined for an empty text. */
  readonly yaml: Document.Parsed | undefined;
  /** YAML documents after the first one. */
  readonly extraDocuments: readonly Document.Parsed[];
  readonly lineCounter: LineCounter;
  /** The top-level mapping, when the document has one. */
  readonly root: YAMLMap<unknown, unknown> | undefined;
  /** `spec:` when it is a mapping. */
  readonly spec: YAMLMap<unknown, unknown> | undefined;
  /**
   * Whether the content looks like an SPCS spec (top-level `spec:` with `containers:` or `container:`),
   * from the tree, or from the text when the YAML has errors (`specDetection.ts`).
   */
  readonly looksLikeSpec: boolean;
  /**
   * Which SPCS document this is (`documentKind.ts`): a service spec, a gateway spec, a Snowflake CLI
   * project definition, or none (other YAML, never reported on).
   */
  readonly kind: DocumentKind | undefined;
  readonly lists: SpecLists;
  /** Why the document was not parsed at all (too large or too deeply nested), with where it happened. */
  readonly notParsed: { readonly reason: string; readonly offset: number } | undefined;
}

/** Specs are a few kilobytes; the largest real ones are under 20 KB. Beyond this the parser is not run. */
export const maxDocumentLength = 512 * 1024;
/** Flow collections (`[`, `{`) nested deeper than this are not parsed (the YAML parser recurses on them). */
export const maxFlowDepth = 64;

/** Legacy singular keys of the 2023 preview and the plural key each stands for. */
export const legacyListKeys: Readonly<Record<string, string>> = {
  container: 'containers',
  endpoint: 'endpoints',
  volume: 'volumes',
};

export function parseSpecDocument(textDocument: TextDocument): SpecDocument {
  const text = textDocument.getText();
  const masked = maskPlaceholders(text);
  const lineCounter = new LineCounter();
  const notParsed =
    text.length > maxDocumentLength
      ? { reason: `it is ${Math.round(text.length / 1024)} KB long (the checks run on documents up to ${maxDocumentLength / 1024} KB)`, offset: 0 }
      : flowTooDeep(masked.text);
  const parsed = notParsed ? { list: [], notParsed } : parseWithinStack(masked.text, lineCounter);
  return assembleSpecDocument(textDocument, masked, parsed.list, lineCounter, parsed.notParsed);
}

/**
 * A spec document from its parsed YAML: the top-level nodes, whether it is a spec and the normalized
 * lists. Shared by `parseSpecDocument` and the re-parse of a scalar edit (`incrementalParse.ts`).
 */
export function assembleSpecDocument(
  textDocument: TextDocument,
  masked: MaskedText,
  list: readonly Document.Parsed[],
  lineCounter: LineCounter,
  notParsed: SpecDocument['notParsed'],
): SpecDocument {
  const text = textDocument.getText();
  const [first, ...rest] = list;
  const root = first && isMap(first.contents) ? (first.contents as YAMLMap<unknown, unknown>) : undefined;
  const specNode = root ? root.get('spec', true) : undefined;
  const spec = isMap(specNode) ? (specNode as YAMLMap<unknown, unknown>) : undefined;
  // A document the parser could not read (a template that is not YAML until rendered, tabs) may have
  // lost the structure that says so: then the text decides, as the client decides.
  const unreadable = first !== undefined && list.some((document) => document.errors.length > 0);
  const looksLikeSpec = (spec !== undefined && (spec.has('containers') || spec.has('container'))) || (unreadable && textLooksLikeSpec(text));
  const kind = decideDocumentKind({ uri: textDocument.uri, specLanguage: textDocument.languageId === specLanguageId, spec, text, unreadable, looksLikeServiceSpec: looksLikeSpec });
  const document: Omit<SpecDocument, 'lists'> = {
    textDocument,
    text,
    maskedText: masked.text,
    placeholders: masked.placeholders,
    yaml: first,
    extraDocuments: rest,
    lineCounter,
    root,
    spec,
    looksLikeSpec,
    kind,
    notParsed,
  };
  return { ...document, lists: collectLists(document) };
}

/**
 * The YAML parser recurses once per nesting level, and block mappings written on one line
 * (`key: x: x: x: …`, thousands of times) nest without any bracket `flowTooDeep` could count: such a
 * document overflows the stack. It is then not checked, like one that is too large, instead of the
 * language service throwing.
 */
function parseWithinStack(text: string, lineCounter: LineCounter): { list: Document.Parsed[]; notParsed: SpecDocument['notParsed'] } {
  try {
    return { list: parseYamlDocuments(text, lineCounter), notParsed: undefined };
  } catch (error) {
    if (error instanceof RangeError) {
      return { list: [], notParsed: { reason: 'it nests too deeply for the YAML parser', offset: 0 } };
    }
    throw error;
  }
}

/** Every YAML document of a (masked) text, parsed the one way the language service parses specs. */
export function parseYamlDocuments(text: string, lineCounter?: LineCounter): Document.Parsed[] {
  const documents = parseAllDocuments(text, {
    lineCounter,
    // Snowflake's own parser is not documented; the YAML 1.2 core schema is what current parsers
    // use, and it still reads `True`/`False` (common in real specs) as booleans.
    version: '1.2',
    prettyErrors: false,
    // The parser's own duplicate-key check is quadratic in the size of a mapping; duplicates are
    // found in linear time by the validator instead.
    uniqueKeys: false,
  });
  return Array.isArray(documents) ? documents : [];
}

/**
 * The first place where flow collections nest deeper than `maxFlowDepth`. Quoted scalars and comments
 * are skipped; a quote only opens a scalar where YAML starts one (after indentation, `:`, `-`, `,`,
 * `[`, `{`), so the apostrophe in `don't` is not mistaken for one.
 */
function flowTooDeep(text: string): { reason: string; offset: number } | undefined {
  let depth = 0;
  let previous = '\n';
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index);
    if (char === '[' || char === '{') {
      if (++depth > maxFlowDepth) {
        return { reason: `its flow collections ([ … ] / { … }) nest more than ${maxFlowDepth} levels deep`, offset: index };
      }
    } else if (char === ']' || char === '}') {
      depth = Math.max(0, depth - 1);
    } else if ((char === '"' || char === "'") && '\n:-,[{'.includes(previous)) {
      const close = text.indexOf(char, index + 1);
      if (close !== -1) {
        index = close;
      }
    } else if (char === '#' && (previous === '\n' || previous === ' ' || previous === '\t')) {
      const newline = text.indexOf('\n', index);
      index = newline === -1 ? text.length : newline - 1;
    }
    if (char !== ' ' && char !== '\t') {
      previous = text.charAt(index);
    }
  }
  return undefined;
}

/**
 * Whether the service spec's language features apply: a document opened as `spcs-spec` is a spec
 * unless its name or content says it is another SPCS document (a gateway spec, `snowflake.yml`); any
 * other YAML document only when its content says so, so that nothing is ever reported on unrelated YAML.
 */
export function isSpecDocument(doc: SpecDocument): boolean {
  return doc.kind === 'serviceSpec';
}

function collectLists(doc: Omit<SpecDocument, 'lists'>): SpecLists {
  const { spec, root } = doc;
  return {
    containers: spec ? listItems(doc, spec, ['containers', 'container']) : [],
    endpoints: spec ? listItems(doc, spec, ['endpoints', 'endpoint']) : [],
    volumes: spec ? listItems(doc, spec, ['volumes', 'volume']) : [],
    serviceRoles: root ? listItems(doc, root, ['serviceRoles']) : [],
  };
}

function listItems(doc: Pick<SpecDocument, 'placeholders'>, parent: YAMLMap<unknown, unknown>, keys: readonly string[]): SpecItem[] {
  const items: SpecItem[] = [];
  for (const listKey of keys) {
    const value = parent.get(listKey, true);
    // A legacy singular key may hold one mapping instead of a list.
    const nodes: unknown[] = isSeq(value) ? value.items : isMap(value) ? [value] : [];
    nodes.forEach((node, index) => {
      if (!isMap(node)) {
        return;
      }
      const map = node;
      const nameNode = map.get('name', true);
      const nameScalar = isScalar(nameNode) ? nameNode : undefined;
      const name =
        nameScalar && typeof nameScalar.value === 'string' && !isTemplated(doc, nameScalar) ? nameScalar.value : undefined;
      items.push({ node: map, index, listKey, name, nameNode: nameScalar });
    });
  }
  return items;
}

// ---------------------------------------------------------------------------------------------------
// AST helpers. Every rule and feature reads the tree through these, so that the handling of missing
// ranges, templated values and aliases lives in one place.

export function getPair(map: YAMLMap<unknown, unknown> | undefined, key: string): Pair<Scalar, unknown> | undefined {
  if (!map) {
    return undefined;
  }
  for (const item of map.items) {
    if (isScalar(item.key) && item.key.value === key) {
      return item as Pair<Scalar, unknown>;
    }
  }
  return undefined;
}

export function getNode(map: YAMLMap<unknown, unknown> | undefined, key: string): Node | undefined {
  const value = getPair(map, key)?.value;
  return value !== null && value !== undefined && typeof value === 'object' ? (value as Node) : undefined;
}

export function getMap(map: YAMLMap<unknown, unknown> | undefined, key: string): YAMLMap<unknown, unknown> | undefined {
  const node = getNode(map, key);
  return isMap(node) ? (node) : undefined;
}

export function getSeq(map: YAMLMap<unknown, unknown> | undefined, key: string): YAMLSeq<unknown> | undefined {
  const node = getNode(map, key);
  return isSeq(node) ? node : undefined;
}

export function getScalar(map: YAMLMap<unknown, unknown> | undefined, key: string): Scalar | undefined {
  const node = getNode(map, key);
  return isScalar(node) ? node : undefined;
}

/** The mapping items of a sequence (non-mapping items are skipped: the schema reports them). */
export function mapItems(seq: YAMLSeq<unknown> | undefined): YAMLMap<unknown, unknown>[] {
  return seq ? seq.items.filter((item): item is YAMLMap<unknown, unknown> => isMap(item)) : [];
}

export function hasKey(map: YAMLMap<unknown, unknown> | undefined, key: string): boolean {
  return getPair(map, key) !== undefined;
}

/** Offsets [start, end) of a node in the text, without trailing comments or blank lines. */
export function nodeOffsets(node: Node | Pair | undefined): [number, number] | undefined {
  if (!node) {
    return undefined;
  }
  if (isPair(node)) {
    const key = nodeOffsets(node.key as Node | undefined);
    const value = nodeOffsets(node.value as Node | undefined);
    if (key && value) {
      return [key[0], value[1]];
    }
    return key ?? value;
  }
  const range = (node as ParsedNode).range;
  if (!range) {
    return undefined;
  }
  return [range[0], range[1]];
}

export function offsetsToRange(doc: SpecDocument, start: number, end: number): Range {
  return { start: doc.textDocument.positionAt(start), end: doc.textDocument.positionAt(end) };
}

/** The range of a node; collections are trimmed to their first line so squiggles stay readable. */
export function nodeRange(doc: SpecDocument, node: Node | Pair | undefined, options: { firstLineOnly?: boolean } = {}): Range | undefined {
  const offsets = nodeOffsets(node);
  if (!offsets) {
    return undefined;
  }
  const start = offsets[0];
  let end = trimTrailingSpace(doc.text, start, offsets[1]);
  if (options.firstLineOnly ?? !isScalar(node)) {
    const newline = doc.text.indexOf('\n', start);
    if (newline !== -1 && newline < end) {
      end = trimTrailingSpace(doc.text, start, newline);
    }
  }
  return offsetsToRange(doc, start, end);
}

/** The range of a pair's key (where "missing field" and "unknown key" diagnostics belong). */
export function keyRange(doc: SpecDocument, pair: Pair | undefined): Range | undefined {
  return pair ? nodeRange(doc, pair.key as Node | undefined) : undefined;
}

/** Where a diagnostic about a whole mapping item goes: its first key, which is where the item starts. */
export function itemRange(doc: SpecDocument, map: YAMLMap<unknown, unknown>): Range | undefined {
  const first = map.items[0];
  return first ? keyRange(doc, first) ?? nodeRange(doc, map) : nodeRange(doc, map);
}

function trimTrailingSpace(text: string, start: number, end: number): number {
  let result = end;
  while (result > start && /\s/.test(text.charAt(result - 1))) {
    result--;
  }
  return result;
}

/** Whether a node's text contains a template placeholder (then type and format checks do not apply). */
export function isTemplated(doc: Pick<SpecDocument, 'placeholders'>, node: Node | Pair | undefined): boolean {
  if (doc.placeholders.length === 0) {
    return false;
  }
  const offsets = nodeOffsets(node);
  return offsets !== undefined && overlapsPlaceholder(doc.placeholders, offsets[0], offsets[1]);
}

/** The scalar's value as a string, the way Snowflake reads quantities (`8` and `"8"` alike). */
export function scalarText(node: Scalar | undefined): string | undefined {
  if (!node) {
    return undefined;
  }
  const value = node.value;
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return node.source ?? String(value);
  }
  return undefined;
}

export function positionToOffset(doc: SpecDocument, position: Position): number {
  return doc.textDocument.offsetAt(position);
}

export type { YAMLError };
