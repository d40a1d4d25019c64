/**
 * The parent keys and list items of the cursor's place, read from indentation: the `- ` entries left
 * of it on its own line, then the lines above, each read once, stopping at the top-level key that owns
 * the cursor; and the sibling keys of its mapping (below it too, up to the mapping's end).
 *
 * Must not: scan more than the lines between the cursor and the top-level key that owns it (plus the
 * cursor's own mapping below it).
 */

import type { PathSegment } from './schemaTarget';
import { blockScalarHeader, indentOf, isBlankOrComment, isDocumentMarker, lineStartOf, nodePropertiesOnly, parseLine, type LineEntry } from './yamlLines';

export interface Ancestry {
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
export function resolveAncestry(text: string, cursorLineStart: number, leftEntries: readonly LineEntry[], column: number): Ancestry {
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

export function hasInlineValue(value: string): boolean {
  return value !== '' && !nodePropertiesOnly.test(value);
}

export function unquote(value: string): string {
  const first = value[0];
  if ((first === '"' || first === "'") && value.length >= 2 && value[value.length - 1] === first) {
    return value.slice(1, -1);
  }
  return value;
}

/** Adds the keys of the cursor's mapping that come after the cursor line. */
export function collectFollowingSiblings(text: string, cursorLineEnd: number, column: number, siblings: Map<string, string>): void {
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
