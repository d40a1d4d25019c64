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

// One line at most: a `{{` without its `}}` on the same line is left alone (it is either a YAML
// flow mapping or broken text, and the parser will say which).
const placeholderPattern = /\{\{[^\n]*?\}\}|<%[^\n]*?%>|<<[A-Za-z_][\w.-]*>>|\{%[^\n]*?%\}|\{#[^\n]*?#\}/g;
const secretReferencePattern = /^\{\{\s*secret\.[A-Za-z_$][\w$.]*\.(secret_string|username|password|access_token)\s*\}\}$/;
const variablePattern = /^(?:\{\{|<%|<<)\s*([A-Za-z_][\w.]*)\s*(?:\|\s*default\s*\(\s*(.*?)\s*(?:,\s*(?:true|false)\s*)?\))?\s*(?:\}\}|%>|>>)$/s;

export function findPlaceholders(text: string): Placeholder[] {
  if (!text.includes('{{') && !text.includes('<%') && !text.includes('<<') && !text.includes('{%') && !text.includes('{#')) {
    return [];
  }
  const result: Placeholder[] = [];
  for (const match of text.matchAll(placeholderPattern)) {
    const raw = match[0];
    const start = match.index;
    const end = start + raw.length;
    if (raw.startsWith('{%') || raw.startsWith('{#')) {
      result.push({ kind: 'statement', start, end, name: undefined, defaultValue: undefined, text: raw });
      continue;
    }
    if (secretReferencePattern.test(raw)) {
      result.push({ kind: 'secretReference', start, end, name: undefined, defaultValue: undefined, text: raw });
      continue;
    }
    const variable = variablePattern.exec(raw);
    result.push({
      kind: 'variable',
      start,
      end,
      name: variable?.[1],
      defaultValue: variable?.[2],
      text: raw,
    });
  }
  return result;
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
