/**
 * Template specs as Snowflake fills them (reference §1.13, Q08): the `{{ variables }}` a spec uses
 * (via the language service's `findPlaceholders`; secret references are not variables), the USING
 * values this client sends for them, and the spec with them filled in, for the diff, the checks, the
 * privilege preflight and the drift marks.
 *
 * Pure. Must not: send anything (deploy/ builds the statements) or judge the spec.
 */

import { findPlaceholders } from '../../../server/src/service';
import type * as sql from '../snowflake/sql';

export interface TemplateVariable {
  readonly name: string;
  /** The default as written in `| default(…)`, e.g. `'{}'` or `true`. */
  readonly defaultValue?: string;
}

export interface TemplateAnalysis {
  /** `{{ variables }}` Snowflake fills from USING, in order of first use. */
  readonly variables: readonly TemplateVariable[];
  /**
   * Placeholders Snowflake does not fill: `<% … %>`, `<<…>>`, `{% … %}`, `{# … #}`, and the other
   * dialects where they cannot be literal text (`&{ v }`, `{gpu}`, `${var.x}`, `__TAG__` outside
   * quotes). A shell `$HOME` or `${PORT}` is not one: commands and env values use them as they are.
   */
  readonly unsupported: readonly string[];
}

/** The spec's template variables (via the language service's `findPlaceholders`). Secret references are not variables. */
export function analyzeTemplate(specText: string): TemplateAnalysis {
  const variables = new Map<string, TemplateVariable>();
  const unsupported: string[] = [];
  for (const placeholder of findPlaceholders(specText)) {
    if (placeholder.kind === 'secretReference') continue;
    if (placeholder.kind === 'variable' && placeholder.text.startsWith('{{') && placeholder.name !== undefined) {
      const known = variables.get(placeholder.name);
      if (!known || (known.defaultValue === undefined && placeholder.defaultValue !== undefined)) {
        variables.set(placeholder.name, { name: placeholder.name, ...(placeholder.defaultValue === undefined ? {} : { defaultValue: placeholder.defaultValue }) });
      }
      continue;
    }
    if (placeholder.certain) unsupported.push(placeholder.text);
  }
  return { variables: [...variables.values()], unsupported };
}

/**
 * A USING value as reference §1.13 wants it: JSON text for a map, list or string is passed as it is;
 * any other non-blank string becomes a JSON string, so that `/`, `:` and number-like text (`1.0`, `007`) arrive
 * exactly as typed; numbers and booleans stay literals.
 */
export function usingValue(value: sql.TemplateValue): sql.TemplateValue {
  if (typeof value !== 'string') return value;
  // A blank value stays blank, so that `default(x, true)` still sees it as blank.
  return value.trim() === '' || isStructuredJson(value) ? value : JSON.stringify(value);
}

function isStructuredJson(value: string): boolean {
  const trimmed = value.trim();
  if (!/^["[{]/.test(trimmed)) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}

/** How Snowflake inserts a USING value: a JSON string as its text, a JSON map or list as JSON, anything else as written. */
export function insertedText(value: sql.TemplateValue): string {
  if (typeof value !== 'string') return String(value);
  const trimmed = value.trim();
  if (trimmed === '') return value;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return typeof parsed === 'string' ? parsed : JSON.stringify(parsed);
  } catch {
    return value;
  }
}

/** A Jinja default literal: `'x'` / `"x"` give x, anything else is inserted as written. */
export function defaultText(text: string): string {
  const trimmed = text.trim();
  return /^'.*'$|^".*"$/s.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}

/**
 * The spec with its `{{ variables }}` filled in the way Snowflake fills them from the USING values
 * this module sends (`usingValue`), for the diff and the checks.
 */
export function renderTemplate(specText: string, values: Readonly<Record<string, sql.TemplateValue>>): string {
  let result = '';
  let last = 0;
  for (const placeholder of findPlaceholders(specText)) {
    if (placeholder.kind !== 'variable' || !placeholder.text.startsWith('{{') || placeholder.name === undefined) continue;
    const given = values[placeholder.name];
    const value = given === undefined ? undefined : usingValue(given);
    const blankUsesDefault = /,\s*true\s*\)\s*\}\}$/.test(placeholder.text);
    const blank = value === undefined || (blankUsesDefault && typeof given === 'string' && given.trim() === '');
    let text: string | undefined;
    if (!blank) text = insertedText(value);
    else if (placeholder.defaultValue !== undefined) text = defaultText(placeholder.defaultValue);
    else if (value !== undefined) text = insertedText(value);
    if (text === undefined) continue;
    result += specText.slice(last, placeholder.start) + text;
    last = placeholder.end;
  }
  return result + specText.slice(last);
}

/** The spec as it is deployed with `values`: rendered when it has variables, else as it is. */
export function renderedSpec(specText: string, values: Readonly<Record<string, sql.TemplateValue>> | undefined): string {
  return analyzeTemplate(specText).variables.length === 0 ? specText : renderTemplate(specText, values ?? {});
}
