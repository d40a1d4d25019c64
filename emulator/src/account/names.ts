/**
 * Object names as Snowflake stores and shows them.
 *
 * Owns: the canonical form of identifiers (an unquoted identifier is stored upper case, a quoted one
 * exactly as written), how a name is shown again (`quoteIfNeeded`), the fully qualified display
 * form `DB.SCHEMA.NAME` that error messages and SHOW GRANTS use, and the map keys of schema
 * objects. Keys are the display form, which is unambiguous because a part containing `.` is quoted.
 *
 * Must not: resolve names against a session (that is the engine's `resolveObjectName` in `sql/context.ts`).
 */

/** A schema-level object name, every part canonical. */
export interface QualifiedName {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
}

const plainIdentifier = /^[A-Z_][A-Z0-9_$]*$/;

/** `ECHO` → `ECHO`; `my svc` → `"my svc"`; a name Snowflake would have upper-cased stays bare. */
export function quoteIfNeeded(name: string): string {
  return plainIdentifier.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** `DB.SCHEMA.NAME` with each part quoted only when needed. */
export function displayName(name: QualifiedName): string {
  return `${quoteIfNeeded(name.database)}.${quoteIfNeeded(name.schema)}.${quoteIfNeeded(name.name)}`;
}

export function schemaDisplayName(database: string, schema: string): string {
  return `${quoteIfNeeded(database)}.${quoteIfNeeded(schema)}`;
}

/** The key under which a schema object is stored. */
export function objectKey(name: QualifiedName): string {
  return displayName(name);
}

export function schemaKey(database: string, schema: string): string {
  return schemaDisplayName(database, schema);
}

/**
 * A name given outside SQL (a login parameter such as `databaseName=spcs_demo`, a session field):
 * `"Quoted"` keeps its case, anything else is read as an unquoted identifier.
 */
export function canonicalFromText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    return trimmed.slice(1, -1).replace(/""/g, '"');
  }
  return trimmed.toUpperCase();
}

/**
 * Parses `db.schema.name` (each part optionally `"quoted"`) from text, e.g. a service name passed as
 * a string to SYSTEM$GET_SERVICE_LOGS. Returns the parts in order, canonical; undefined when the
 * text is not a valid dotted name.
 */
export function parseDottedName(text: string): string[] | undefined {
  const parts: string[] = [];
  let i = 0;
  const source = text.trim();
  while (i <= source.length) {
    if (source.charAt(i) === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= source.length) return undefined;
        const char = source.charAt(j);
        if (char === '"') {
          if (source.charAt(j + 1) === '"') {
            value += '"';
            j += 2;
            continue;
          }
          break;
        }
        value += char;
        j++;
      }
      parts.push(value);
      i = j + 1;
    } else {
      const match = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(source.slice(i));
      if (!match) return undefined;
      parts.push(match[0].toUpperCase());
      i += match[0].length;
    }
    if (i === source.length) break;
    if (source.charAt(i) !== '.') return undefined;
    i++;
  }
  return parts.length > 0 && parts.length <= 3 ? parts : undefined;
}

/** The DNS label of a service or schema name: lower case, `_` → `-`. */
export function dnsLabel(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}
