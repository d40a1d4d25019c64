/**
 * The node of the parsed YAML tree under the cursor, with its document path, its pair and whether it
 * is a key. Hover and navigation use it: they only ever look at text that exists, so the parsed tree
 * is the truth (completion reads the text instead, see `completionSite.ts`).
 *
 * Must not: parse YAML again or throw on any input.
 */

import { isMap, isScalar, isSeq, type Node, type Pair, type ParsedNode, type YAMLMap, type YAMLSeq } from 'yaml';
import type { SpecDocument } from '../specDocument';
import type { PathSegment } from './schemaTarget';

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
