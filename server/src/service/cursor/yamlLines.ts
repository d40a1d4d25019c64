/**
 * One line of YAML text read the way a person reads it while it is being typed: its indentation, its
 * `- ` indicators, its `key:` (or plain scalar) entry with the inline value, and where a comment
 * starts. Used by `ancestry.ts` and `completionSite.ts`, which cannot trust the parsed tree of a
 * half-written line.
 *
 * Must not: look beyond the line it is given (callers decide which lines to read).
 */

export interface LineEntry {
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

export interface ParsedLine {
  readonly indent: number;
  readonly entries: LineEntry[];
  /** Offset of a `#` that starts a comment, or -1. */
  readonly commentStart: number;
}

export const blockScalarHeader = /^(?:[&!][^\s]*\s+)*[|>][-+0-9]*$/;
export const nodePropertiesOnly = /^(?:[&!][^\s]*\s*)*$/;

export function isBlank(char: string | undefined): boolean {
  return char === ' ' || char === '\t';
}

/** Splits a line into its `- ` indicators and its `key:` (or plain scalar) entry. */
export function parseLine(text: string, lineStart: number, lineEnd: number): ParsedLine {
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

export function entry(kind: LineEntry['kind'], offset: number, column: number): LineEntry {
  return { kind, offset, column, key: '', keyEnd: offset, colon: -1, value: '', valueStart: offset, valueEnd: offset };
}

/** The offset of the `:` that makes the text at `pos` a mapping key, or -1 when it is a plain scalar. */
export function findMappingColon(text: string, pos: number, lineEnd: number): number {
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
export function closingQuote(text: string, pos: number, lineEnd: number): number {
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
export function valueEndOf(text: string, start: number, lineEnd: number): { end: number; comment: number } {
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
export function lineStartOf(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

/** [start, end) of the line holding `offset`, without its line break. */
export function lineBounds(text: string, offset: number): [number, number] {
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

export function isDocumentMarker(text: string, lineStart: number, lineEnd: number): boolean {
  const head = text.slice(lineStart, Math.min(lineEnd, lineStart + 4));
  return head === '---' || head === '...' || head.startsWith('--- ') || head.startsWith('... ');
}

export function indentOf(text: string, lineStart: number, lineEnd: number): number {
  let pos = lineStart;
  while (pos < lineEnd && text[pos] === ' ') {
    pos++;
  }
  return pos - lineStart;
}

/** A line with nothing but spaces or a comment, which never changes the structure. */
export function isBlankOrComment(text: string, lineStart: number, lineEnd: number, indent: number): boolean {
  const pos = lineStart + indent;
  return pos >= lineEnd || text[pos] === '#' || (isBlank(text[pos]) && text.slice(pos, lineEnd).trim() === '');
}
