/**
 * Template placeholders in spec text.
 *
 * Owns: finding `{{ var }}` (Snowflake SPECIFICATION_TEMPLATE and Jinja), `<% var %>` (Snowflake CLI
 * project templating) and `<<var>>` (sample-repository convention) placeholders, and Jinja statement
 * tags `{% … %}` / comments `{# … #}`; and producing a masked copy of the text that a YAML parser can
 * read without being misled by them.
 *
 * Masking keeps every offset: a placeholder is replaced by `_` characters of the same length (a plain
 * scalar in any YAML position), a statement tag by spaces. The spans are kept so that validation can
 * skip type and format checks on any value that contains a placeholder, and hover/completion can
 * still show the original text. `{{secret.<name>.secret_string}}` is a runtime secret reference that
 * Snowflake resolves inside containers; it is recorded as such and is not a template variable.
 */

export type PlaceholderKind = 'variable' | 'secretReference' | 'statement';

export interface Placeholder {
  readonly kind: PlaceholderKind;
  /** Offsets into the original text, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** The variable name (`var` in `{{ var | default('x') }}`), when it has one. */
  readonly name: string | undefined;
  /** The default value given with `| default(...)`, as written. */
  readonly defaultValue: string | undefined;
  readonly text: string;
}

export interface MaskedText {
  readonly text: string;
  readonly placeholders: readonly Placeholder[];
}

const secretReferencePattern = /^\{\{\s*secret\.[A-Za-z_$][\w$.]*\.(secret_string|username|password|access_token)\s*\}\}$/;
const variablePattern = /^(?:\{\{|<%|<<)\s*([A-Za-z_][\w.]*)\s*(?:\|\s*default\s*\(\s*(.*?)\s*(?:,\s*(?:true|false)\s*)?\))?\s*(?:\}\}|%>|>>)$/s;
const openers = /\{\{|\{%|\{#|<%|<</g;
const closers: Readonly<Record<string, string>> = { '{{': '}}', '{%': '%}', '{#': '#}', '<%': '%>', '<<': '>>' };
const angleName = /[A-Za-z_][\w.-]*>>/y;

/**
 * Finds placeholders, each within one line: an opener without its closer on the same line is left
 * alone (it is either a YAML flow mapping or broken text, and the parser will say which). Linear in
 * the text length: the last closer of each kind on a line is looked up once, so a line of a thousand
 * `{` does not cost a thousand scans to its end.
 */
export function findPlaceholders(text: string): Placeholder[] {
  if (!text.includes('{{') && !text.includes('<%') && !text.includes('<<') && !text.includes('{%') && !text.includes('{#')) {
    return [];
  }
  const result: Placeholder[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    scanLine(text, lineStart, lineEnd, result);
    if (newline === -1) {
      break;
    }
    lineStart = newline + 1;
  }
  return result;
}

function scanLine(text: string, lineStart: number, lineEnd: number, out: Placeholder[]): void {
  const line = text.slice(lineStart, lineEnd);
  const lastCloser = new Map<string, number>();
  openers.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = openers.exec(line)) !== null) {
    const opener = match[0];
    const from = match.index;
    let to = -1;
    if (opener === '<<') {
      angleName.lastIndex = from + 2;
      to = angleName.test(line) ? angleName.lastIndex : -1;
    } else {
      const closer = closers[opener] ?? '';
      let last = lastCloser.get(closer);
      if (last === undefined) {
        last = line.lastIndexOf(closer);
        lastCloser.set(closer, last);
      }
      to = last >= from + 2 ? line.indexOf(closer, from + 2) + closer.length : -1;
    }
    if (to === -1) {
      openers.lastIndex = from + 1;
      continue;
    }
    out.push(classify(text.slice(lineStart + from, lineStart + to), lineStart + from, lineStart + to));
    openers.lastIndex = to;
  }
}

function classify(raw: string, start: number, end: number): Placeholder {
  if (raw.startsWith('{%') || raw.startsWith('{#')) {
    return { kind: 'statement', start, end, name: undefined, defaultValue: undefined, text: raw };
  }
  if (secretReferencePattern.test(raw)) {
    return { kind: 'secretReference', start, end, name: undefined, defaultValue: undefined, text: raw };
  }
  const variable = variablePattern.exec(raw);
  return { kind: 'variable', start, end, name: variable?.[1], defaultValue: variable?.[2], text: raw };
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
    masked += (placeholder.kind === 'statement' ? ' ' : '_').repeat(placeholder.end - placeholder.start);
    last = placeholder.end;
  }
  masked += text.slice(last);
  return { text: masked, placeholders };
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

/** Whether the document uses Jinja control statements, whose loops and conditionals make structure unreliable. */
export function hasStatements(placeholders: readonly Placeholder[]): boolean {
  return placeholders.some((placeholder) => placeholder.kind === 'statement');
}
