/**
 * What "SPCS: Describe" shows: DESCRIBE SERVICE / DESCRIBE COMPUTE POOL as a read-only YAML document
 * (scheme `spcs-describe`), the service's spec embedded as YAML under `specification:` so that it
 * reads (and folds) like the spec file it came from.
 *
 * Owns: the document's URI (which object, on which connection: everything needed to run the DESCRIBE
 * again when the document is refreshed or reopened) and rendering a DESCRIBE row as YAML. Pure: no
 * `vscode`, no Snowflake (`describeProvider.ts` does both).
 */

import { parseDocument, stringify } from 'yaml';
import type { ConnectionName, PoolRef, ServiceRef } from '../model/nodes';
import * as sql from '../snowflake/sql';

export const describeScheme = 'spcs-describe';

export type DescribeTarget = ({ readonly kind: 'service' } & ServiceRef) | ({ readonly kind: 'pool' } & PoolRef);

/** The URI parts of a describe document: a readable path (the editor tab shows its last segment) and the target in the query. */
export function describeUriParts(target: DescribeTarget): { readonly path: string; readonly query: string } {
  const segment = (text: string): string => text.replace(/[/\\?#%]/g, '_');
  const path =
    target.kind === 'service'
      ? `/${segment(target.connection)}/service/${segment(`${target.database}.${target.schema}.${target.name}`)}.yaml`
      : `/${segment(target.connection)}/compute-pool/${segment(target.name)}.yaml`;
  const fields: Record<string, string> =
    target.kind === 'service'
      ? { kind: 'service', connection: target.connection, database: target.database, schema: target.schema, name: target.name }
      : { kind: 'pool', connection: target.connection, name: target.name };
  return { path, query: new URLSearchParams(fields).toString() };
}

/** The target of a describe document's URI query; `undefined` when it is not one. */
export function parseDescribeQuery(query: string): DescribeTarget | undefined {
  const params = new URLSearchParams(query);
  const connection: ConnectionName | null = params.get('connection');
  const name = params.get('name');
  if (!connection || !name) return undefined;
  if (params.get('kind') === 'pool') return { kind: 'pool', connection, name };
  const database = params.get('database');
  const schema = params.get('schema');
  if (params.get('kind') !== 'service' || !database || !schema) return undefined;
  return { kind: 'service', connection, database, schema, name };
}

export function describeStatement(target: DescribeTarget): string {
  return target.kind === 'service' ? sql.describeService({ database: target.database, schema: target.schema, name: target.name }) : sql.describeComputePool(target.name);
}

export function targetTitle(target: DescribeTarget): string {
  return target.kind === 'service' ? `service ${sql.qualifiedName(target.database, target.schema, target.name)}` : `compute pool ${sql.quoteIdentifier(target.name)}`;
}

/** A cell as YAML shows it: timestamps as ISO 8601, JSON arrays of names as lists, the rest as is. */
export function cellValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (typeof value === 'object') {
    const withJson = value as { toJSON?: () => unknown };
    if (typeof withJson.toJSON === 'function') return withJson.toJSON();
    return JSON.parse(JSON.stringify(value)) as unknown;
  }
  if (typeof value === 'string' && /^\[.*\]$/s.test(value)) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // not JSON: shown as the text it is
    }
  }
  return value;
}

export interface RenderOptions {
  /** When the DESCRIBE ran (ISO 8601), for the header. */
  readonly at: string;
}

/**
 * The document text for one DESCRIBE row: a header that says what it is and how to refresh it, the
 * columns in Snowflake's order (snake_case names, as in the SQL), and for a service the spec as YAML.
 */
export function renderDescribe(target: DescribeTarget, row: Readonly<Record<string, unknown>> | undefined, options: RenderOptions): string {
  const statement = target.kind === 'service' ? 'DESCRIBE SERVICE' : 'DESCRIBE COMPUTE POOL';
  const header = [
    `# ${statement} ${target.kind === 'service' ? sql.qualifiedName(target.database, target.schema, target.name) : sql.quoteIdentifier(target.name)}`,
    `# Connection "${target.connection}", ${options.at}. Read-only: run "SPCS: Describe" in this editor to refresh.`,
  ];
  if (row === undefined) {
    return `${header.join('\n')}\n# Snowflake returned no row: the ${targetTitle(target)} does not exist or the role cannot see it.\n`;
  }
  const properties: Record<string, unknown> = {};
  let specText: string | undefined;
  let hasSpecColumn = false;
  for (const [column, value] of Object.entries(row)) {
    if (target.kind === 'service' && column === 'spec') {
      hasSpecColumn = true;
      specText = typeof value === 'string' && value.trim() !== '' ? value : undefined;
      continue;
    }
    properties[column] = cellValue(value);
  }
  const parts = [header.join('\n'), stringify(properties, { lineWidth: 0 }).trimEnd()];
  if (target.kind === 'service') {
    parts.push(renderSpec(specText, hasSpecColumn));
  }
  return `${parts.join('\n')}\n`;
}

/**
 * The spec under `specification:`, as YAML when it parses, else as the text it is. Nested rather
 * than at the top level: a top-level `spec:` would make the document look like a spec file, and the
 * language features would then check DESCRIBE's columns as spec fields.
 */
function renderSpec(specText: string | undefined, hasSpecColumn: boolean): string {
  const heading = "\n# ---- the service specification ('spec' column) ----";
  if (specText === undefined) {
    const why = hasSpecColumn ? 'Snowflake shows the specification only to the role that owns the service.' : "DESCRIBE SERVICE returned no 'spec' column.";
    return `${heading}\n# ${why}\nspecification: null`;
  }
  const document = parseDocument(specText);
  const parsed: unknown = document.errors.length === 0 ? document.toJS() : undefined;
  const value = typeof parsed === 'object' && parsed !== null ? parsed : specText;
  return `${heading}\n${stringify({ specification: value }, { lineWidth: 0 }).trimEnd()}`;
}
