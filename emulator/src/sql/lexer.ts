/**
 * The SQL lexer: turns statement text into tokens with Snowflake's lexical rules.
 *
 * Owns: words (keywords and unquoted identifiers, matched case-insensitively by the parser),
 * `"quoted"` identifiers with `""` escapes, `'…'` strings with `''` and backslash escapes, `$$…$$`
 * strings (no escapes), numbers, stage references (`@db.schema.stage/path`), bind placeholders
 * (`?`, `:1`), punctuation (including `=>`, `!` of service roles and table functions, `::` casts,
 * `:` and `[…]` paths into semi-structured values), and `--`, `//` and `/* *\/`
 * comments. Every token keeps its 1-based line and 0-based column, which syntax errors report the
 * way Snowflake does ("syntax error line 1 at position 7 …").
 *
 * Must not: know any statement grammar; that is `parser.ts`.
 */

import { syntaxError, SqlErrors } from './errors';

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'stage' | 'bind' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The value: a word as written, an identifier/string after unescaping, a number's text, a punctuation mark. */
  readonly value: string;
  /** The source text of the token (what syntax errors quote). */
  readonly text: string;
  readonly line: number;
  readonly column: number;
  /** Offset of the token in the statement text. */
  readonly offset: number;
  /** For strings: `$$…$$` rather than `'…'`. */
  readonly dollar?: boolean;
}

const punctuation = ['=>', '<=', '>=', '<>', '!=', '::', '||', '(', ')', '[', ']', ',', '.', '=', ';', '*', '+', '-', '/', '%', '<', '>', '!', '|', ':'];

const wordStart = /[A-Za-z_\u0080-\uffff]/;
const wordPart = /[A-Za-z0-9_$\u0080-\uffff]/;

const backslashEscapes: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  let line = 1;
  let lineStart = 0;

  const advanceTo = (end: number): void => {
    for (let i = index; i < end; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    index = end;
  };

  while (index < text.length) {
    const char = text.charAt(index);
    const next = text.charAt(index + 1);
    if (/\s/.test(char)) {
      advanceTo(index + 1);
      continue;
    }
    if ((char === '-' && next === '-') || (char === '/' && next === '/')) {
      const end = text.indexOf('\n', index);
      advanceTo(end === -1 ? text.length : end);
      continue;
    }
    if (char === '/' && next === '*') {
      const end = text.indexOf('*/', index + 2);
      if (end === -1) {
        throw syntaxError(line, index - lineStart, '<EOF>');
      }
      advanceTo(end + 2);
      continue;
    }
    const start = { line, column: index - lineStart, offset: index };
    const push = (kind: TokenKind, value: string, end: number, extra: { dollar?: boolean } = {}): void => {
      tokens.push({ kind, value, text: text.slice(index, end), ...start, ...extra });
      advanceTo(end);
    };

    if (char === "'") {
      const { value, end } = readQuotedString(text, index, start);
      push('string', value, end);
      continue;
    }
    if (char === '$' && next === '$') {
      const end = text.indexOf('$$', index + 2);
      if (end === -1) {
        throw syntaxError(start.line, start.column, '<EOF>');
      }
      push('string', text.slice(index + 2, end), end + 2, { dollar: true });
      continue;
    }
    if (char === '"') {
      const { value, end } = readQuotedIdentifier(text, index, start);
      push('quoted', value, end);
      continue;
    }
    if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(next))) {
      const match = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(text.slice(index));
      const value = match?.[0] ?? char;
      push('number', value, index + value.length);
      continue;
    }
    if (wordStart.test(char)) {
      let end = index + 1;
      while (end < text.length && wordPart.test(text.charAt(end))) {
        end++;
      }
      push('word', text.slice(index, end), end);
      continue;
    }
    if (char === '@') {
      push('stage', '', readStageReference(text, index));
      const token = tokens[tokens.length - 1];
      if (token) {
        tokens[tokens.length - 1] = { ...token, value: token.text.slice(1) };
      }
      continue;
    }
    if (char === '?') {
      push('bind', '?', index + 1);
      continue;
    }
    if (char === ':' && /[0-9]/.test(next)) {
      const match = /^:[0-9]+/.exec(text.slice(index));
      const value = match?.[0] ?? ':';
      push('bind', value, index + value.length);
      continue;
    }
    const mark = punctuation.find((candidate) => text.startsWith(candidate, index));
    if (mark === undefined) {
      throw syntaxError(start.line, start.column, char);
    }
    push('punct', mark, index + mark.length);
  }
  tokens.push({ kind: 'eof', value: '', text: '<EOF>', line, column: index - lineStart, offset: index });
  return tokens;
}

interface Start {
  readonly line: number;
  readonly column: number;
}

function readQuotedString(text: string, open: number, start: Start): { value: string; end: number } {
  let value = '';
  let i = open + 1;
  while (i < text.length) {
    const char = text.charAt(i);
    if (char === "'") {
      if (text.charAt(i + 1) === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    if (char === '\\' && i + 1 < text.length) {
      const escaped = text.charAt(i + 1);
      const hex = /^x([0-9A-Fa-f]{2})/.exec(text.slice(i + 1));
      const unicode = /^u([0-9A-Fa-f]{4})/.exec(text.slice(i + 1));
      const octal = /^([0-7]{3})/.exec(text.slice(i + 1));
      if (hex?.[1]) {
        value += String.fromCharCode(parseInt(hex[1], 16));
        i += 2 + hex[1].length;
      } else if (unicode?.[1]) {
        value += String.fromCharCode(parseInt(unicode[1], 16));
        i += 2 + unicode[1].length;
      } else if (octal?.[1]) {
        value += String.fromCharCode(parseInt(octal[1], 8));
        i += 1 + octal[1].length;
      } else {
        // Snowflake keeps the character after an unknown escape (`\q` is `q`).
        value += backslashEscapes[escaped] ?? escaped;
        i += 2;
      }
      continue;
    }
    value += char;
    i++;
  }
  throw SqlErrors.unterminatedString(start.line, start.column);
}

function readQuotedIdentifier(text: string, open: number, start: Start): { value: string; end: number } {
  let value = '';
  let i = open + 1;
  while (i < text.length) {
    const char = text.charAt(i);
    if (char === '"') {
      if (text.charAt(i + 1) === '"') {
        value += '"';
        i += 2;
        continue;
      }
      if (value === '') {
        throw syntaxError(start.line, start.column, '""');
      }
      return { value, end: i + 1 };
    }
    value += char;
    i++;
  }
  throw syntaxError(start.line, start.column, '<EOF>');
}

/**
 * `@stage`, `@db.schema.stage/some/path/`, `@"My Stage"/x`, `@~`, `@%table`: everything up to
 * whitespace, `;`, `,` or `)`, keeping quoted parts whole.
 */
function readStageReference(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length) {
    const char = text.charAt(i);
    if (char === '"') {
      const close = text.indexOf('"', i + 1);
      i = close === -1 ? text.length : close + 1;
      continue;
    }
    if (/\s/.test(char) || char === ';' || char === ',' || char === ')' || char === '(' || char === "'") {
      break;
    }
    i++;
  }
  return i;
}
