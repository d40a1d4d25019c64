/**
 * The outline (document symbols) and folding ranges of a spec.
 *
 * Owns: the symbol tree (`spec` → containers by name with their image, endpoints with port/protocol,
 * volumes with source/size, service roles, …, legacy singular keys included), the one-line summaries
 * of an endpoint and a volume that completion and hover reuse, and folding of every multi-line
 * mapping, sequence, block scalar and comment block.
 *
 * Both walk the parsed tree once; nothing here re-parses or reports problems. Names are shown as
 * written, so a templated name reads `{{ name }}` rather than the masked text the parser saw.
 */

import {
  FoldingRangeKind,
  SymbolKind,
  type DocumentSymbol,
  type FoldingRange,
  type Range,
} from 'vscode-languageserver-types';
import { isMap, isScalar, isSeq, type Node, type Pair, type ParsedNode, type Scalar, type YAMLMap } from 'yaml';
import { getScalar, nodeOffsets, nodeRange, scalarText, type SpecDocument } from './specDocument';

// ---------------------------------------------------------------------------------------------------
// Summaries shared with completion and hover.

/** `8080/HTTP public`, `5000-5010/TCP`: what an endpoint listens on. */
export function endpointDetail(doc: SpecDocument, endpoint: YAMLMap<unknown, unknown>): string {
  const port = sourceText(doc, getScalar(endpoint, 'port')) ?? sourceText(doc, getScalar(endpoint, 'portRange')) ?? '?';
  const protocol = sourceText(doc, getScalar(endpoint, 'protocol')) ?? 'HTTP';
  const isPublic = getScalar(endpoint, 'public')?.value === true;
  return `${port}/${protocol}${isPublic ? ' public' : ''}`;
}

/** `block 10Gi`, `stage @models`, `memory 4G`, `local`: where a volume's data lives. */
export function volumeDetail(doc: SpecDocument, volume: YAMLMap<unknown, unknown>): string {
  const source = sourceText(doc, getScalar(volume, 'source'));
  const parts = [source ?? 'no source'];
  const stageConfig = volume.get('stageConfig', true);
  const stage = isMap(stageConfig) ? sourceText(doc, getScalar(stageConfig, 'name')) : undefined;
  if (stage) {
    parts.push(stage);
  }
  const size = sourceText(doc, getScalar(volume, 'size'));
  if (size) {
    parts.push(size);
  }
  return parts.join(' ');
}

/** A scalar as the user wrote it (templated values keep their `{{ … }}`), unquoted. */
export function sourceText(doc: SpecDocument, node: Scalar | undefined): string | undefined {
  if (!node || node.value === null || node.value === undefined) {
    return undefined;
  }
  const offsets = nodeOffsets(node);
  if (offsets && doc.maskedText.slice(offsets[0], offsets[1]) !== doc.text.slice(offsets[0], offsets[1])) {
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
    return quoted ? doc.text.slice(offsets[0] + 1, offsets[1] - 1) : doc.text.slice(offsets[0], offsets[1]);
  }
  return scalarText(node);
}

// ---------------------------------------------------------------------------------------------------
// Document symbols.

/** How the items of a known list are shown. */
interface ListStyle {
  readonly kind: SymbolKind;
  readonly name: (doc: SpecDocument, item: YAMLMap<unknown, unknown>) => string | undefined;
  readonly detail: (doc: SpecDocument, item: YAMLMap<unknown, unknown>) => string | undefined;
}

const byName = (doc: SpecDocument, item: YAMLMap<unknown, unknown>) => sourceText(doc, getScalar(item, 'name'));

const listStyles: Readonly<Record<string, ListStyle>> = {
  containers: { kind: SymbolKind.Class, name: byName, detail: (doc, item) => sourceText(doc, getScalar(item, 'image')) },
  endpoints: { kind: SymbolKind.Interface, name: byName, detail: endpointDetail },
  volumes: { kind: SymbolKind.Struct, name: byName, detail: volumeDetail },
  serviceRoles: {
    kind: SymbolKind.Key,
    name: byName,
    detail: (doc, item) => {
      const endpoints = item.get('endpoints', true);
      return isSeq(endpoints) ? endpoints.items.map((entry) => (isScalar(entry) ? sourceText(doc, entry) ?? '' : '…')).join(', ') : undefined;
    },
  },
  volumeMounts: { kind: SymbolKind.Field, name: byName, detail: (doc, item) => sourceText(doc, getScalar(item, 'mountPath')) },
  secrets: {
    kind: SymbolKind.Key,
    name: (doc, item) => {
      const secret = item.get('snowflakeSecret', true);
      if (isScalar(secret)) {
        return sourceText(doc, secret);
      }
      return isMap(secret)
        ? sourceText(doc, getScalar(secret, 'objectName')) ??
            sourceText(doc, getScalar(secret, 'objectReference'))
        : undefined;
    },
    detail: (doc, item) => {
      const env = sourceText(doc, getScalar(item, 'envVarName'));
      return env ? `env ${env}` : sourceText(doc, getScalar(item, 'directoryPath'));
    },
  },
  anyConditions: { kind: SymbolKind.Event, name: conditionName, detail: () => undefined },
  allConditions: { kind: SymbolKind.Event, name: conditionName, detail: () => undefined },
};

/** The legacy singular keys list the same items as their plural forms. */
const listAliases: Readonly<Record<string, string>> = { container: 'containers', endpoint: 'endpoints', volume: 'volumes' };

function conditionName(doc: SpecDocument, item: YAMLMap<unknown, unknown>): string | undefined {
  const condition = item.get('metricCondition', true);
  return isMap(condition) ? sourceText(doc, getScalar(condition, 'metricName')) : undefined;
}

/** The outline: one symbol per key, list items named by their `name` (or what identifies them). */
export function getDocumentSymbols(doc: SpecDocument): DocumentSymbol[] {
  return doc.root ? mapSymbols(doc, doc.root, 0) : [];
}

function mapSymbols(doc: SpecDocument, map: YAMLMap<unknown, unknown>, depth: number, parentKey?: string): DocumentSymbol[] {
  const result: DocumentSymbol[] = [];
  for (const pair of map.items) {
    const symbol = pairSymbol(doc, pair, depth, parentKey);
    if (symbol) {
      result.push(symbol);
    }
  }
  return result;
}

function pairSymbol(doc: SpecDocument, pair: Pair<unknown, unknown>, depth: number, parentKey: string | undefined): DocumentSymbol | undefined {
  const key = isScalar(pair.key) ? pair.key : undefined;
  const selectionRange = key ? nodeRange(doc, key) : undefined;
  const range = nodeRange(doc, pair, { firstLineOnly: false });
  if (!key || !selectionRange || !range) {
    return undefined;
  }
  const name = nonEmpty(sourceText(doc, key) ?? String(key.value), '(key)');
  const value = pair.value as Node | null | undefined;
  const listKey = listAliases[name] ?? name;
  if (isSeq(value) || (isMap(value) && listAliases[name] && depth === 1)) {
    const style = listStyles[listKey];
    const items = isSeq(value) ? value.items : [value];
    const children: DocumentSymbol[] = [];
    const scalars: string[] = [];
    items.forEach((item, index) => {
      if (isMap(item)) {
        const symbol = itemSymbol(doc, item, index, style, depth + 1, listKey);
        if (symbol) {
          children.push(symbol);
        }
      } else if (isScalar(item)) {
        scalars.push(sourceText(doc, item) ?? '');
      }
    });
    return {
      name,
      kind: SymbolKind.Array,
      detail: scalars.length > 0 ? truncate(scalars.join(', ')) : `${items.length} item${items.length === 1 ? '' : 's'}`,
      range,
      selectionRange,
      children,
    };
  }
  if (isMap(value)) {
    return {
      name,
      kind: depth === 0 && name === 'spec' ? SymbolKind.Module : SymbolKind.Object,
      range,
      selectionRange,
      children: mapSymbols(doc, value, depth + 1, name),
    };
  }
  const text = isScalar(value) ? sourceText(doc, value) : undefined;
  return {
    name,
    kind: parentKey === 'env' ? SymbolKind.Variable : SymbolKind.Property,
    detail: text === undefined ? undefined : truncate(text),
    range,
    selectionRange,
  };
}

function itemSymbol(
  doc: SpecDocument,
  item: YAMLMap<unknown, unknown>,
  index: number,
  style: ListStyle | undefined,
  depth: number,
  listKey: string,
): DocumentSymbol | undefined {
  const range = nodeRange(doc, item, { firstLineOnly: false });
  if (!range) {
    return undefined;
  }
  const nameNode = getScalar(item, 'name');
  const selectionRange = (nameNode && nodeRange(doc, nameNode)) ?? nodeRange(doc, item) ?? range;
  const name = nonEmpty(style?.name(doc, item), `${listKey}[${index}]`);
  return {
    name,
    kind: style?.kind ?? SymbolKind.Object,
    detail: style?.detail(doc, item),
    range,
    selectionRange: contains(range, selectionRange) ? selectionRange : range,
    children: mapSymbols(doc, item, depth, listKey),
  };
}

function nonEmpty(text: string | undefined, fallback: string): string {
  return text !== undefined && text.trim() !== '' ? text : fallback;
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function contains(outer: Range, inner: Range): boolean {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

// ---------------------------------------------------------------------------------------------------
// Folding.

/** Every multi-line mapping, sequence and block scalar (from its key or `- ` line), and comment blocks. */
export function getFoldingRanges(doc: SpecDocument): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const add = (startOffset: number, node: Node) => {
    const offsets = nodeOffsets(node);
    if (!offsets) {
      return;
    }
    const startLine = doc.textDocument.positionAt(startOffset).line;
    const endLine = doc.textDocument.positionAt(trimEnd(doc.text, offsets[0], offsets[1])).line;
    if (endLine > startLine) {
      ranges.push({ startLine, endLine });
    }
  };
  const visit = (node: unknown, depth: number): void => {
    if (depth > 200) {
      return;
    }
    if (isMap(node)) {
      for (const pair of (node).items) {
        const value = pair.value as Node | null;
        const keyStart = nodeOffsets(pair.key as Node | undefined)?.[0];
        if (value && keyStart !== undefined && (isMap(value) || isSeq(value) || isBlockScalar(value))) {
          add(keyStart, value);
        }
        visit(value, depth + 1);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        if (isMap(item) || isSeq(item) || isBlockScalar(item)) {
          // The item's own range starts after its `- `, on the same line.
          const start = (item as ParsedNode).range?.[0];
          if (start !== undefined) {
            add(start, item as Node);
          }
        }
        visit(item, depth + 1);
      }
    }
  };
  visit(doc.yaml?.contents, 0);
  ranges.push(...commentBlocks(doc));
  return ranges;
}

function isBlockScalar(node: unknown): boolean {
  return isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
}

function trimEnd(text: string, start: number, end: number): number {
  let result = end;
  while (result > start && /\s/.test(text.charAt(result - 1))) {
    result--;
  }
  return result;
}

/** Runs of two or more lines that hold only a comment. */
function commentBlocks(doc: SpecDocument): FoldingRange[] {
  const result: FoldingRange[] = [];
  const lines = doc.text.split('\n');
  let start = -1;
  const close = (line: number) => {
    if (start !== -1 && line - 1 > start) {
      result.push({ startLine: start, endLine: line - 1, kind: FoldingRangeKind.Comment });
    }
    start = -1;
  };
  lines.forEach((line, index) => {
    if (line.trimStart().startsWith('#')) {
      if (start === -1) {
        start = index;
      }
    } else {
      close(index);
    }
  });
  close(lines.length);
  return result;
}
