/**
 * Specification templates (reference §1.13): `{{ var }}`, `{{ var | default('x') }}` and
 * `{{ var | default('x', true) }}` filled from `USING (var => value, …)`.
 *
 * Owns: the substitution rules. Keys are case-sensitive. A USING value that is JSON text (a string,
 * map or list, e.g. `'{"LOG_LEVEL": "debug"}'` or `' "/db/schema/repo/img:1" '`) is inserted as that
 * JSON value: a JSON string as its plain text, a map or list as JSON (which YAML reads as a flow
 * collection); any other value as written. `| default(x, true)` also replaces a blank value. A
 * variable without a value or default is an error. `{{ secret.<name>.<key> }}` is left alone:
 * Snowflake resolves it inside the container.
 *
 * Must not: parse YAML.
 */

export type TemplateValue = string | number | boolean | null;

export class MissingTemplateVariable extends Error {
  constructor(readonly variable: string) {
    super(`template variable '${variable}' has no value`);
  }
}

const placeholder = /\{\{\s*([A-Za-z_][A-Za-z0-9_$]*)\s*(?:\|\s*default\s*\(\s*((?:'[^']*'|"[^"]*"|[^,)]*?))\s*(?:,\s*(true|false)\s*)?\))?\s*\}\}/g;

/** Names of the variables a template uses (for error messages and tests). */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(placeholder)) {
    if (match[1] !== undefined) names.add(match[1]);
  }
  return [...names];
}

export function renderTemplate(template: string, values: ReadonlyMap<string, TemplateValue>): string {
  return template.replace(placeholder, (_whole, name: string, defaultText: string | undefined, blankUsesDefault: string | undefined) => {
    const value = values.get(name);
    const blank = value === undefined || value === null || (blankUsesDefault === 'true' && String(value).trim() === '');
    if (!blank && value !== undefined && value !== null) {
      return formatValue(value);
    }
    if (defaultText !== undefined) {
      return defaultLiteral(defaultText);
    }
    if (value !== undefined && value !== null) {
      return formatValue(value);
    }
    throw new MissingTemplateVariable(name);
  });
}

function formatValue(value: string | number | boolean): string {
  if (typeof value !== 'string') {
    return String(value);
  }
  const trimmed = value.trim();
  if (trimmed === '') {
    return value;
  }
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (typeof parsed === 'string') return parsed;
    return JSON.stringify(parsed);
  } catch {
    return value;
  }
}

/** A Jinja literal: `'x'` or `"x"` give x; anything else (numbers, true, {}) is inserted as written. */
function defaultLiteral(text: string): string {
  const trimmed = text.trim();
  if ((trimmed.startsWith("'") && trimmed.endsWith("'")) || (trimmed.startsWith('"') && trimmed.endsWith('"'))) {
    return trimmed.slice(1, -1);
  }
  return trimmed;
}
