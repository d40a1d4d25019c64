/**
 * Template placeholders in spec text, in every dialect specs are written in.
 *
 * Owns: finding placeholders and statements of each dialect, and producing a masked copy of the text
 * that a YAML parser can read without being misled by them. The dialects:
 * - `{{ var }}` (Snowflake SPECIFICATION_TEMPLATE and Jinja), Jinja statements `{% … %}` and comments
 *   `{# … #}`; `{{secret.<name>.secret_string}}` is a runtime secret reference Snowflake resolves inside
 *   containers, recorded as such and not a template variable;
 * - `<% var %>` (Snowflake CLI project templating) and `<<var>>` (a sample-repository convention);
 * - `&{ var }` and `&var` (SnowSQL and Snowflake CLI variables). At the start of a value, `&name` is
 *   YAML's anchor syntax: it stays an anchor when the document aliases it (`*name`) or gives it a value;
 * - `{var}` (Python f-strings and `str.format`), decided by content: a replacement field (`{gpu}`,
 *   `{repo.url}`, `{0}`, `{fetch().url}`, `{x:d}`) is a placeholder; anything a YAML flow mapping says
 *   (`{a: 1}`, `{a, b}`, `{INSERT A VALUE}`) stays YAML, and so does `{}` unless the document has other
 *   format placeholders;
 * - `${…}` (shell variables and Terraform expressions, balanced braces, which may span lines: a
 *   Terraform `${jsonencode({…})}` often does), Terraform directives `%{ if … }` / `%{ for … }`, and
 *   `$VAR`; `$${` and `%%{` are Terraform's escapes and stay text;
 * - `__VAR__` (sed pipelines: upper case, not glued to other letters, so `AIRFLOW__CORE__X` is a name).
 *
 * Masking keeps every offset: a placeholder is replaced by `_` characters of the same length (a plain
 * scalar in any YAML position), a statement by spaces; line breaks inside a placeholder stay, and the
 * lines a multi-line placeholder runs on to are blanked. The spans
 * are kept so that validation skips type and format checks on any value that contains a placeholder,
 * and hover/completion still show the original text.
 *
 * The scan follows YAML's line structure just enough to know where a character is: in a comment (only
 * the first three dialects are looked for there, as before: text templaters fill comments too), in a
 * quoted scalar or a block scalar (placeholders found there may be literal text such as a shell's
 * `$HOME`, so they are not `certain`), or at the start of a value (where `&name` may be an anchor).
 * It is linear in the text length. Must not: parse YAML or decide anything about the spec.
 *
 * The file is long because the scanner is one algorithm (one pass, one context per character) that
 * reads best whole; the dialects are its cases.
 */

export type PlaceholderKind = 'variable' | 'secretReference' | 'statement';

export type TemplateDialect = 'jinja' | 'snowflakeCli' | 'angleBrackets' | 'snowsql' | 'formatString' | 'terraform' | 'shell' | 'sed';

export interface Placeholder {
  readonly kind: PlaceholderKind;
  readonly dialect: TemplateDialect;
  /** Offsets into the original text, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** The variable name (`var` in `{{ var | default('x') }}`, `${var.image}`, `&{ var }`), when it has one. */
  readonly name: string | undefined;
  /** The default value given with `| default(...)`, as written. */
  readonly defaultValue: string | undefined;
  readonly text: string;
  /**
   * Whether the text cannot be meant literally: a form no spec field uses as it stands, outside quoted
   * and block scalars (`image: {registry}/x`, `&{ v }`, `%{ if }`), as opposed to `"$HOME"` in a
   * command. A file with such a placeholder must be rendered before Snowflake sees it.
   */
  readonly certain: boolean;
}

export interface MaskedText {
  readonly text: string;
  readonly placeholders: readonly Placeholder[];
}

const secretReferencePattern = /^\{\{\s*secret\.[A-Za-z_$][\w$.]*\.(secret_string|username|password|access_token)\s*\}\}$/;
const variablePattern = /^(?:\{\{|<%|<<)\s*([A-Za-z_][\w.]*)\s*(?:\|\s*default\s*\(\s*(.*?)\s*(?:,\s*(?:true|false)\s*)?\))?\s*(?:\}\}|%>|>>)$/s;
/** Sticky patterns, matched at a given position: each scan makes its own (their position is state). */
function stickyPatterns() {
  return {
    angleName: /[A-Za-z_][\w.-]*>>/y,
    snowsqlBraced: /&\{[ \t]*([A-Za-z_][\w.]*)[ \t]*\}/y,
    identifier: /[A-Za-z_]\w*/y,
    sedPlaceholder: /__[A-Z][A-Z0-9_]*__(?![A-Za-z0-9_])/y,
  };
}
/**
 * A Python replacement field or a simple f-string expression: a name or index, attribute and item
 * access, calls without spaces, a conversion and a format spec that does not start with a space (a
 * `: ` would make it a YAML mapping). No spaces between tokens: `{INSERT A VALUE}` is prose.
 */
const formatField = /^\s*(?:[A-Za-z_]\w*|\d+)(?:\.[A-Za-z_]\w*|\[[^\]\s]*\]|\([^()\s]*\))*(?:![rsa])?(?::[^\s{}:][^{}]*)?\s*$/;
/** `${…}` contents that only Terraform writes: a namespaced reference, a function call, a conditional. */
const terraformExpression = /^\s*(?:(?:var|local|module|data|each|count|self|path|terraform)\.|[A-Za-z_][\w]*\s*\()|[?"]/;
const simpleName = /^\s*([A-Za-z_][\w]*)\s*$/;
/** How far a `${` / `%{` may look for its closing brace across lines. */
const maxExpressionLength = 4000;

/** Characters one of the dialects needs; text without any of them has no placeholders. */
function mayHavePlaceholders(text: string): boolean {
  return text.includes('{') || text.includes('<%') || text.includes('<<') || text.includes('$') || text.includes('&') || text.includes('__');
}

/** Finds every placeholder and statement, in text order. */
export function findPlaceholders(text: string): Placeholder[] {
  if (!mayHavePlaceholders(text)) {
    return [];
  }
  return new PlaceholderScanner(text).scan();
}

interface LineContext {
  readonly inComment: boolean;
  readonly quote: '"' | "'" | undefined;
  readonly inBlockScalar: boolean;
  readonly atValueStart: boolean;
}

/** One scan of one text: all state lives here, per call. */
class PlaceholderScanner {
  private readonly found: Placeholder[] = [];
  /** `{}` seen where a format placeholder could be: placeholders only if the text has other format fields. */
  private readonly emptyBraces: { start: number; end: number; certain: boolean }[] = [];
  private aliases: Set<string> | undefined;
  private readonly closers = new Map<string, number>();
  private readonly patterns = stickyPatterns();
  private expressionBudget: number;

  constructor(private readonly text: string) {
    this.expressionBudget = 4 * text.length + maxExpressionLength;
  }

  scan(): Placeholder[] {
    const { text } = this;
    let quote: '"' | "'" | undefined;
    let blockParentIndent = -1;
    let lineStart = 0;
    /** Where scanning resumes inside the current line, after a placeholder that spanned lines. */
    let resume = -1;
    while (lineStart <= text.length) {
      const newline = text.indexOf('\n', lineStart);
      const lineEnd = newline === -1 ? text.length : newline;
      const indent = indentation(text, lineStart, lineEnd);
      const blank = lineStart + indent >= lineEnd || text.charCodeAt(lineStart + indent) === 13;
      let position: number;
      if (blockParentIndent >= 0 && (blank || indent > blockParentIndent) && resume === -1) {
        // Block scalar content: any dialect may be there, none of it is YAML syntax.
        position = this.scanSpan(lineStart, lineEnd, { inComment: false, quote: undefined, inBlockScalar: true, atValueStart: false });
      } else {
        blockParentIndent = resume === -1 ? -1 : blockParentIndent;
        const from = resume === -1 ? lineStart + indent : resume;
        const result = this.scanYamlLine(from, lineEnd, indent, quote, resume === -1 && quote === undefined);
        quote = result.quote;
        position = result.end;
        if (result.opensBlockScalar) {
          blockParentIndent = indent;
        }
      }
      resume = -1;
      if (position > lineEnd) {
        // A placeholder ran past this line (a multi-line `${…}`): go on after it, in the line it ends in.
        const lastNewline = text.lastIndexOf('\n', position - 1);
        lineStart = lastNewline + 1;
        resume = position;
        continue;
      }
      if (newline === -1) {
        break;
      }
      lineStart = newline + 1;
    }
    this.acceptEmptyBraces();
    return this.found;
  }

  /**
   * A line outside block scalars, from its first non-blank character: tracks quotes, comments and the
   * start of values. Returns where scanning stopped (past `lineEnd` when a placeholder ran on).
   */
  private scanYamlLine(
    from: number,
    lineEnd: number,
    indent: number,
    startQuote: '"' | "'" | undefined,
    startsValue: boolean,
  ): { end: number; quote: '"' | "'" | undefined; opensBlockScalar: boolean } {
    const { text } = this;
    let quote = startQuote;
    let atValueStart = startsValue;
    let index = from;
    while (index < lineEnd) {
      const char = text.charAt(index);
      if (quote !== undefined) {
        if (char === quote) {
          if (quote === "'" && text.charAt(index + 1) === "'") {
            index += 2;
            continue;
          }
          if (quote === '"' && backslashesBefore(text, index) % 2 === 1) {
            index++;
            continue;
          }
          quote = undefined;
          atValueStart = false;
          index++;
          continue;
        }
        const after = this.tryPlaceholder(index, lineEnd, { inComment: false, quote, inBlockScalar: false, atValueStart: false }, indent);
        if (after !== undefined && after > lineEnd) {
          return { end: after, quote, opensBlockScalar: false };
        }
        index = after ?? index + 1;
        continue;
      }
      if (char === '#' && (index === from || isBlank(text.charAt(index - 1)))) {
        this.scanSpan(index, lineEnd, { inComment: true, quote: undefined, inBlockScalar: false, atValueStart: false });
        return { end: lineEnd, quote, opensBlockScalar: false };
      }
      if (atValueStart && (char === '"' || char === "'")) {
        quote = char;
        index++;
        continue;
      }
      if (atValueStart && (char === '|' || char === '>') && blockHeader.test(text.slice(index, lineEnd))) {
        return { end: lineEnd, quote, opensBlockScalar: true };
      }
      const after = this.tryPlaceholder(index, lineEnd, { inComment: false, quote: undefined, inBlockScalar: false, atValueStart }, indent);
      if (after !== undefined) {
        atValueStart = false;
        if (after > lineEnd) {
          return { end: after, quote, opensBlockScalar: false };
        }
        index = after;
        continue;
      }
      if (char === ' ' || char === '\t') {
        // Spaces keep whatever came before.
      } else if ((char === '-' || char === '?' || char === ':') && (index + 1 >= lineEnd || isBlank(text.charAt(index + 1)))) {
        atValueStart = true;
      } else if (char === '[' || char === '{' || char === ',') {
        atValueStart = true;
      } else if ((char === '&' || char === '!') && atValueStart) {
        // An anchor (`&name value`) or a tag (`!!str 8000`): the value after it starts a scalar too.
        index = skipNonBlank(text, index, lineEnd);
        continue;
      } else {
        atValueStart = false;
      }
      index++;
    }
    return { end: lineEnd, quote, opensBlockScalar: false };
  }

  /** Block scalar content or a comment: placeholders only, no YAML structure. */
  private scanSpan(from: number, lineEnd: number, context: LineContext): number {
    let index = from;
    while (index < lineEnd) {
      index = this.tryPlaceholder(index, lineEnd, context, 0) ?? index + 1;
    }
    return index;
  }

  /** The last `closer` on the line ending at `lineEnd` (looked up once per line and closer). */
  private lastCloser(closer: string, lineEnd: number): number {
    const key = `${closer}@${lineEnd}`;
    let last = this.closers.get(key);
    if (last === undefined) {
      last = this.text.lastIndexOf(closer, lineEnd - closer.length);
      this.closers.set(key, last);
    }
    return last;
  }

  /** A placeholder starting at `index`: records it and returns its end, or undefined. */
  private tryPlaceholder(index: number, lineEnd: number, context: LineContext, indent: number): number | undefined {
    const { text } = this;
    const char = text.charAt(index);
    const next = text.charAt(index + 1);
    const literal = context.quote !== undefined || context.inBlockScalar;
    if (char === '{' && next === '{') {
      return this.closedOnLine(index, lineEnd, '}}', 'jinja');
    }
    if (char === '{' && (next === '%' || next === '#')) {
      return this.closedOnLine(index, lineEnd, `${next}}`, 'jinja');
    }
    if (char === '<' && next === '%') {
      return this.closedOnLine(index, lineEnd, '%>', 'snowflakeCli');
    }
    if (char === '<' && next === '<') {
      this.patterns.angleName.lastIndex = index + 2;
      if (this.patterns.angleName.test(text) && this.patterns.angleName.lastIndex <= lineEnd) {
        return this.record(index, this.patterns.angleName.lastIndex, 'angleBrackets', 'variable', true, text.slice(index + 2, this.patterns.angleName.lastIndex - 2));
      }
      return undefined;
    }
    if (context.inComment) {
      return undefined;
    }
    const previous = index > 0 ? text.charAt(index - 1) : '\n';
    if (char === '$' && next === '{') {
      if (previous === '$') {
        return index + 2; // `$${`: Terraform's escape for a literal `${`.
      }
      return this.expression(index, 'variable');
    }
    if (char === '%' && next === '{') {
      if (previous === '%') {
        return index + 2;
      }
      return this.expression(index, 'statement');
    }
    if (char === '$' && previous !== '$' && previous !== '\\') {
      this.patterns.identifier.lastIndex = index + 1;
      if (this.patterns.identifier.test(text) && this.patterns.identifier.lastIndex <= lineEnd) {
        return this.record(index, this.patterns.identifier.lastIndex, 'shell', 'variable', false, text.slice(index + 1, this.patterns.identifier.lastIndex));
      }
      return undefined;
    }
    if (char === '&') {
      return this.snowsql(index, lineEnd, context, indent);
    }
    if (char === '_' && next === '_' && !isWordChar(previous)) {
      this.patterns.sedPlaceholder.lastIndex = index;
      if (this.patterns.sedPlaceholder.test(text) && this.patterns.sedPlaceholder.lastIndex <= lineEnd) {
        return this.record(index, this.patterns.sedPlaceholder.lastIndex, 'sed', 'variable', !literal, text.slice(index + 2, this.patterns.sedPlaceholder.lastIndex - 2));
      }
      return undefined;
    }
    if (char === '{' && previous !== '#') {
      return this.formatPlaceholder(index, lineEnd, literal);
    }
    return undefined;
  }

  /** `{{ … }}`, `{% … %}`, `{# … #}`, `<% … %>`: closed on the same line, or not a placeholder. */
  private closedOnLine(index: number, lineEnd: number, closer: string, dialect: TemplateDialect): number | undefined {
    // Linear however many openers a line has: the line's last closer is looked up once, and a
    // closer is only searched for when one lies ahead on this line.
    if (this.lastCloser(closer, lineEnd) < index + 2) {
      return undefined;
    }
    const close = this.text.indexOf(closer, index + 2);
    const end = close + closer.length;
    const raw = this.text.slice(index, end);
    if (raw.startsWith('{%') || raw.startsWith('{#')) {
      return this.record(index, end, dialect, 'statement', true);
    }
    if (secretReferencePattern.test(raw)) {
      return this.record(index, end, dialect, 'secretReference', true);
    }
    const variable = variablePattern.exec(raw);
    this.found.push({ kind: 'variable', dialect, start: index, end, name: variable?.[1], defaultValue: variable?.[2], text: raw, certain: true });
    return end;
  }

  /** `${…}` or `%{…}` with balanced braces (quoted strings inside skipped); may span lines. */
  private expression(index: number, kind: PlaceholderKind): number | undefined {
    const { text } = this;
    let depth = 0;
    let inString = false;
    const limit = Math.min(text.length, index + maxExpressionLength);
    for (let position = index + 1; position < limit; position++) {
      if (--this.expressionBudget < 0) {
        return undefined;
      }
      const char = text.charAt(position);
      if (inString) {
        if (char === '\\') {
          position++;
        } else if (char === '"') {
          inString = false;
        } else if (char === '\n') {
          return undefined; // A string does not span lines: this was not an expression.
        }
        continue;
      }
      if (char === '"') {
        inString = true;
      } else if (char === '{') {
        depth++;
      } else if (char === '}' && --depth === 0) {
        const end = position + 1;
        const inner = text.slice(index + 2, position);
        const multiLine = inner.includes('\n');
        const terraform = kind === 'statement' || multiLine || terraformExpression.test(inner);
        const name = simpleName.exec(inner)?.[1] ?? /^\s*(?:var|local)\.([A-Za-z_][\w]*)/.exec(inner)?.[1];
        // Terraform syntax is never literal spec text; a shell `${VAR}` may be (a command's own variable).
        return this.record(index, end, terraform ? 'terraform' : 'shell', kind, terraform, name);
      }
    }
    return undefined;
  }

  /** `&{ var }` always; `&var` where it cannot be a YAML anchor or is glued to text. */
  private snowsql(index: number, lineEnd: number, context: LineContext, indent: number): number | undefined {
    const { text } = this;
    const literal = context.quote !== undefined || context.inBlockScalar;
    this.patterns.snowsqlBraced.lastIndex = index;
    const braced = this.patterns.snowsqlBraced.exec(text);
    if (braced && this.patterns.snowsqlBraced.lastIndex <= lineEnd) {
      return this.record(index, this.patterns.snowsqlBraced.lastIndex, 'snowsql', 'variable', true, braced[1]);
    }
    const previous = index > 0 ? text.charAt(index - 1) : '\n';
    if (isWordChar(previous) || previous === '&' || previous === '\\') {
      return undefined;
    }
    this.patterns.identifier.lastIndex = index + 1;
    if (!this.patterns.identifier.test(text) || this.patterns.identifier.lastIndex > lineEnd) {
      return undefined;
    }
    const nameEnd = this.patterns.identifier.lastIndex;
    const name = text.slice(index + 1, nameEnd);
    if (context.atValueStart && !literal && this.isAnchor(index, nameEnd, lineEnd, indent)) {
      return undefined;
    }
    return this.record(index, nameEnd, 'snowsql', 'variable', !literal, name);
  }

  /**
   * `&name` at the start of a value is a YAML anchor when the document aliases it, when a value
   * follows on the line, or when an indented block follows (an anchored collection). An "anchor" on
   * nothing, or one glued to more text (`&acct.registry…`), is a SnowSQL variable.
   */
  private isAnchor(index: number, nameEnd: number, lineEnd: number, indent: number): boolean {
    const { text } = this;
    const anchorEnd = skipNonBlank(text, index, lineEnd);
    if (this.aliasNames().has(text.slice(index + 1, anchorEnd))) {
      return true;
    }
    if (anchorEnd !== nameEnd && !',[]{}'.includes(text.charAt(nameEnd))) {
      return false;
    }
    const rest = text.slice(anchorEnd, lineEnd).trim();
    if (rest !== '' && !rest.startsWith('#')) {
      return true;
    }
    return nextContentIndent(text, lineEnd) > indent;
  }

  private aliasNames(): Set<string> {
    if (!this.aliases) {
      this.aliases = new Set();
      for (const match of this.text.matchAll(/(?:^|[\s[{,:-])\*([^\s,[\]{}]+)/g)) {
        this.aliases.add(match[1] ?? '');
      }
    }
    return this.aliases;
  }

  /** `{field}` (not `{{`, `${`, `%{`, `&{`, `#{`): a format placeholder when its content is a replacement field. */
  private formatPlaceholder(index: number, lineEnd: number, literal: boolean): number | undefined {
    const { text } = this;
    const previous = index > 0 ? text.charAt(index - 1) : '\n';
    if (previous === '{' || previous === '$' || previous === '%' || previous === '&') {
      return undefined;
    }
    for (let position = index + 1; position < lineEnd; position++) {
      const char = text.charAt(position);
      if (char === '{') {
        return undefined; // An outer brace: the inner one is looked at on its own.
      }
      if (char === '}') {
        const inner = text.slice(index + 1, position);
        if (inner.trim() === '') {
          this.emptyBraces.push({ start: index, end: position + 1, certain: !literal });
          return undefined;
        }
        if (!formatField.test(inner)) {
          return undefined;
        }
        return this.record(index, position + 1, 'formatString', 'variable', !literal, /^\s*([A-Za-z_]\w*)/.exec(inner)?.[1]);
      }
    }
    return undefined;
  }

  private acceptEmptyBraces(): void {
    if (this.emptyBraces.length === 0 || !this.found.some((placeholder) => placeholder.dialect === 'formatString')) {
      return;
    }
    for (const braces of this.emptyBraces) {
      this.found.push({ kind: 'variable', dialect: 'formatString', start: braces.start, end: braces.end, name: undefined, defaultValue: undefined, text: this.text.slice(braces.start, braces.end), certain: braces.certain });
    }
    this.found.sort((a, b) => a.start - b.start);
  }

  private record(start: number, end: number, dialect: TemplateDialect, kind: PlaceholderKind, certain: boolean, name?: string): number {
    this.found.push({ kind, dialect, start, end, name, defaultValue: undefined, text: this.text.slice(start, end), certain });
    return end;
  }
}

/** `|`, `>`, with chomping and indentation indicators, and nothing but a comment after. */
const blockHeader = /^[|>][-+1-9]{0,2}\s*(?:#.*)?\r?$/;

function indentation(text: string, lineStart: number, lineEnd: number): number {
  let index = lineStart;
  while (index < lineEnd && text.charCodeAt(index) === 32) {
    index++;
  }
  return index - lineStart;
}

function isBlank(char: string): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '';
}

function isWordChar(char: string): boolean {
  return /\w/.test(char);
}

function backslashesBefore(text: string, index: number): number {
  let count = 0;
  while (index - count - 1 >= 0 && text.charAt(index - count - 1) === '\\') {
    count++;
  }
  return count;
}

function skipNonBlank(text: string, index: number, lineEnd: number): number {
  let position = index;
  while (position < lineEnd && !isBlank(text.charAt(position))) {
    position++;
  }
  return position;
}

/** The indentation of the next line with content (not blank, not a comment), or -1. */
function nextContentIndent(text: string, lineEnd: number): number {
  let lineStart = lineEnd + 1;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const end = newline === -1 ? text.length : newline;
    const indent = indentation(text, lineStart, end);
    const first = text.charAt(lineStart + indent);
    if (lineStart + indent < end && first !== '#' && first !== '\r') {
      return indent;
    }
    if (newline === -1) {
      break;
    }
    lineStart = newline + 1;
  }
  return -1;
}

/** Masks placeholders so that the YAML parser sees plain scalars (or blank space) in their place. */
export function maskPlaceholders(text: string): MaskedText {
  const placeholders = findPlaceholders(text);
  if (placeholders.length === 0) {
    return { text, placeholders };
  }
  let masked = '';
  let last = 0;
  for (const placeholder of placeholders) {
    masked += text.slice(last, placeholder.start);
    // A runtime secret reference only occurs inside string values; keeping it intact would be fine
    // for quoted strings, but an unquoted `{{…}}` would parse as a flow mapping, so mask it too.
    masked += maskedSpan(text, placeholder);
    last = placeholder.end;
  }
  masked += text.slice(last);
  return { text: masked, placeholders };
}

/**
 * A variable becomes one plain scalar where it starts; the lines a multi-line one runs on to (a
 * Terraform `${jsonencode({` … `})}`) become blank, as if the value had been written on one line.
 */
function maskedSpan(text: string, placeholder: Placeholder): string {
  const span = text.slice(placeholder.start, placeholder.end);
  const firstBreak = span.indexOf('\n');
  if (placeholder.kind === 'statement') {
    return firstBreak === -1 ? ' '.repeat(span.length) : span.replace(/[^\r\n]/g, ' ');
  }
  if (firstBreak === -1) {
    return '_'.repeat(span.length);
  }
  return '_'.repeat(firstBreak) + span.slice(firstBreak).replace(/[^\r\n]/g, ' ');
}

/** Whether any non-statement placeholder overlaps [start, end). */
export function overlapsPlaceholder(placeholders: readonly Placeholder[], start: number, end: number): boolean {
  for (const placeholder of placeholders) {
    if (placeholder.kind === 'statement') {
      continue;
    }
    if (placeholder.start < end && start < placeholder.end) {
      return true;
    }
  }
  return false;
}

/** Whether the document uses control statements (Jinja, Terraform), whose loops and conditionals make structure unreliable. */
export function hasStatements(placeholders: readonly Placeholder[]): boolean {
  return placeholders.some((placeholder) => placeholder.kind === 'statement');
}

/** How a dialect is named in messages (plain text), with the form that identifies it. */
export function dialectDescription(placeholder: Placeholder): string {
  switch (placeholder.dialect) {
    case 'jinja':
      return placeholder.kind === 'statement' ? "a Jinja template ('{% … %}')" : "a Jinja or Snowflake specification template ('{{ … }}')";
    case 'snowflakeCli':
      return "a Snowflake CLI template ('<% … %>')";
    case 'angleBrackets':
      return "a placeholder file ('<<…>>') that a script fills";
    case 'snowsql':
      return placeholder.text.startsWith('&{') ? "a SnowSQL or Snowflake CLI script ('&{ … }')" : "a SnowSQL script ('&variable')";
    case 'formatString':
      return "a Python format string ('{…}')";
    case 'terraform':
      return placeholder.kind === 'statement' ? "a Terraform template ('%{ … }')" : "a Terraform template ('${…}')";
    case 'shell':
      return placeholder.text.startsWith('${') ? "a shell or Terraform template ('${…}')" : "a shell template ('$VARIABLE')";
    case 'sed':
      return "a sed template ('__VARIABLE__')";
  }
}
