/**
 * Names, literals and shared clauses (integers, `NAME = n` counts, `WITH TAG`) in SQL text: identifiers quoted only when they must be, string literals escaped
 * by Snowflake's rules, spec text embedded so that it arrives byte-identical. `sql.ts` builds the
 * statements with these and re-exports them (callers use `sql.quoteIdentifier`, `sql.objectName`, …).
 *
 * Identifier semantics: every name given to these builders is the object's exact name as Snowflake
 * stores it (as SHOW prints it): `MY_POOL` stays `MY_POOL`, `my pool` becomes `"my pool"`, and
 * `echo` becomes `"echo"` (a different object from `ECHO`). Names typed by a user go through
 * `normalizeIdentifier` first, which applies Snowflake's folding of unquoted names to uppercase.
 *
 * Literal rules (Snowflake docs, "String & binary data types", "Dollar-quoted string constants"):
 * inside '…' a backslash starts an escape sequence and '' is a quote, so `\` → `\\` and `'` → `''`;
 * inside $$…$$ nothing is interpreted, but the text cannot contain `$$` (it would end the literal)
 * nor end with `$` (the closing `$$` would start one character early).
 *
 * Pure; nothing here talks to Snowflake.
 */

export type ObjectName = string | QualifiedName;

export interface QualifiedName {
  readonly database?: string;
  readonly schema?: string;
  readonly name: string;
}

/** Snowflake's reserved keywords: an unquoted identifier cannot be one of these. */
const reservedKeywords: ReadonlySet<string> = new Set(
  (
    'ALL ALTER AND ANY AS BETWEEN BY CASE CAST CHECK COLUMN CONNECT CONNECTION CONSTRAINT CREATE CROSS CURRENT ' +
    'CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DATABASE DELETE DISTINCT DROP ELSE EXISTS FALSE ' +
    'FOLLOWING FOR FROM FULL GRANT GROUP GSCLUSTER HAVING ILIKE IN INCREMENT INNER INSERT INTERSECT INTO IS ISSUE ' +
    'JOIN LATERAL LEFT LIKE LOCALTIME LOCALTIMESTAMP MINUS NATURAL NOT NULL OF ON OR ORDER ORGANIZATION QUALIFY ' +
    'REGEXP REVOKE RIGHT RLIKE ROW ROWS SAMPLE SCHEMA SELECT SET SOME START TABLE TABLESAMPLE THEN TO TRIGGER TRUE ' +
    'TRY_CAST UNION UNIQUE UPDATE USING VALUES VIEW WHEN WHENEVER WHERE WITH'
  ).split(' '),
);

const unquotedExact = /^[A-Z_][A-Z0-9_$]*$/;
const unquotedAnyCase = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** Whether `name` may be written without quotes in any case (Snowflake folds it to uppercase). */
export function foldsUnquoted(name: string): boolean {
  return unquotedAnyCase.test(name);
}

/** `NAME` as is when it can be written unquoted; otherwise `"…"` with `"` doubled. */
export function quoteIdentifier(name: string): string {
  if (unquotedExact.test(name) && name.length <= 255 && !reservedKeywords.has(name)) {
    return name;
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The exact name a user means: `"My Pool"` → `My Pool` (quoted: kept), `my_pool` → `MY_POOL`
 * (unquoted: folded to uppercase). Anything else is taken literally.
 */
export function normalizeIdentifier(text: string): string {
  const trimmed = text.trim();
  const quoted = /^"((?:[^"]|"")*)"$/.exec(trimmed);
  if (quoted) {
    return (quoted[1] ?? '').replace(/""/g, '"');
  }
  return unquotedAnyCase.test(trimmed) ? trimmed.toUpperCase() : trimmed;
}

/** Splits user input such as `db."My Schema".svc` into exact names (see `normalizeIdentifier`). */
export function parseQualifiedName(text: string): QualifiedName {
  const parts: string[] = [];
  let current = '';
  let inQuotes = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') {
      if (inQuotes && text[index + 1] === '"') {
        current += '""';
        index++;
        continue;
      }
      inQuotes = !inQuotes;
      current += char;
    } else if (char === '.' && !inQuotes) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  const names = parts.map(normalizeIdentifier);
  const name = names[names.length - 1] ?? '';
  if (names.length >= 3) {
    return { database: names[names.length - 3], schema: names[names.length - 2], name };
  }
  if (names.length === 2) {
    return { schema: names[0], name };
  }
  return { name };
}

export function qualifiedName(database: string | undefined, schema: string | undefined, name: string): string {
  return [database, schema, name].filter((part): part is string => part !== undefined && part !== '').map(quoteIdentifier).join('.');
}

export function objectName(reference: ObjectName): string {
  return typeof reference === 'string' ? quoteIdentifier(reference) : qualifiedName(reference.database, reference.schema, reference.name);
}

/** A single-quoted string literal: `\` → `\\`, `'` → `''`. */
export function stringLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** Whether `$$text$$` reads back as exactly `text`. */
export function canDollarQuote(text: string): boolean {
  return !text.includes('$$') && !text.endsWith('$') && !text.startsWith('$');
}

/** Spec (or any) text as a literal that Snowflake reads back byte-identical. */
export function specLiteral(specText: string): string {
  return canDollarQuote(specText) ? `$$${specText}$$` : stringLiteral(specText);
}

export function integer(name: string, value: number, minimum: number): string {
  if (!Number.isInteger(value) || value < minimum) {
    throw new RangeError(`${name} must be an integer ≥ ${minimum}, not ${value}.`);
  }
  return String(value);
}

/** `NAME = <integer ≥ minimum>`. */
export function count(name: string, value: number, minimum = 0): string {
  return `${name} = ${integer(name, value, minimum)}`;
}

/** `WITH TAG (<tag> = '<value>', …)`, or nothing for no tags. */
export function tagClause(tags: Readonly<Record<string, string>>): string | undefined {
  const entries = Object.entries(tags);
  return entries.length === 0 ? undefined : `WITH TAG (${entries.map(([tag, value]) => `${objectName(parseQualifiedName(tag))} = ${stringLiteral(value)}`).join(', ')})`;
}
