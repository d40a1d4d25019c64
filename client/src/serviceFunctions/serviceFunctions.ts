/**
 * "Create service function…": the SQL that exposes a service's HTTP endpoint as a SQL function
 * (reference §4.14, CREATE FUNCTION (Snowpark Container Services)), and the choices offered for it.
 *
 *   CREATE [OR REPLACE] FUNCTION <db>.<schema>.<name> ( [<arg> <type>, …] )
 *     RETURNS <type>
 *     SERVICE = <service>
 *     ENDPOINT = <endpoint>
 *     [COMMENT = '…'] [CONTEXT_HEADERS = (…)] [MAX_BATCH_ROWS = n] [MAX_BATCH_RETRIES = n]
 *     [ON_BATCH_FAILURE = ABORT | RETURN_NULL] [BATCH_TIMEOUT_SECS = n]
 *     AS '<http path>'
 *
 * Owns: the rules the docs give (the endpoint must be HTTP and belong to a long-running service, not
 * a job; the path is an HTTP path; batch timeout 1..604800 s), identifier quoting through
 * `snowflake/sql.ts`, and the endpoint name written as the spec spells it (`ENDPOINT = echoendpoint`,
 * as in Snowflake's tutorial; quoted only when it cannot be written plain, e.g. with a `-`).
 * Pure; must not import `vscode` or run anything.
 */

import { isHttpProtocol } from '../listings/accountData';
import { cellBoolean, cellText } from '../snowflake/cells';
import * as sql from '../snowflake/sql';

export interface FunctionArgument {
  readonly name: string;
  /** A SQL data type such as `VARCHAR`, `NUMBER(10, 2)`, `VARIANT`. */
  readonly type: string;
}

export interface ServiceFunctionOptions {
  readonly name: sql.QualifiedName;
  readonly arguments: readonly FunctionArgument[];
  readonly returns: string;
  readonly service: sql.ObjectName;
  /** The endpoint name as the spec writes it. */
  readonly endpoint: string;
  /** The HTTP path of the handler, e.g. `/echo`. */
  readonly path: string;
  readonly orReplace?: boolean;
  readonly comment?: string;
  /** Context functions sent as `sf-context-…` headers, e.g. `CURRENT_USER`. */
  readonly contextHeaders?: readonly string[];
  readonly maxBatchRows?: number;
  readonly maxBatchRetries?: number;
  readonly onBatchFailure?: 'ABORT' | 'RETURN_NULL';
  readonly batchTimeoutSecs?: number;
}

const dataTypePattern = /^[A-Za-z][A-Za-z0-9_ ]*(\(\s*\d+(\s*,\s*\d+)?\s*\))?$/;
const contextFunctionPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const plainEndpoint = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function createServiceFunction(options: ServiceFunctionOptions): string {
  for (const type of [options.returns, ...options.arguments.map((argument) => argument.type)]) {
    if (!dataTypePattern.test(type.trim())) throw new RangeError(`Not a SQL data type: ${JSON.stringify(type)}.`);
  }
  if (!options.path.startsWith('/') || /[\s']/.test(options.path)) {
    throw new RangeError(`The HTTP path must start with / and contain no spaces or quotes: ${JSON.stringify(options.path)}.`);
  }
  if (options.endpoint === '') throw new RangeError('The endpoint name is empty.');
  const counts: [string, number | undefined, number, number][] = [
    ['MAX_BATCH_ROWS', options.maxBatchRows, 1, Number.MAX_SAFE_INTEGER],
    ['MAX_BATCH_RETRIES', options.maxBatchRetries, 0, Number.MAX_SAFE_INTEGER],
    ['BATCH_TIMEOUT_SECS', options.batchTimeoutSecs, 1, 604_800],
  ];
  for (const [name, value, minimum, maximum] of counts) {
    if (value !== undefined && (!Number.isInteger(value) || value < minimum || value > maximum)) {
      throw new RangeError(`${name} must be an integer from ${minimum}${maximum === Number.MAX_SAFE_INTEGER ? '' : ` to ${maximum}`}, not ${value}.`);
    }
  }
  for (const header of options.contextHeaders ?? []) {
    if (!contextFunctionPattern.test(header)) throw new RangeError(`Not a context function: ${JSON.stringify(header)}.`);
  }
  const args = options.arguments.map((argument) => `${sql.quoteIdentifier(sql.normalizeIdentifier(argument.name))} ${argument.type.trim().toUpperCase()}`).join(', ');
  const lines = [
    `CREATE ${options.orReplace ? 'OR REPLACE ' : ''}FUNCTION ${sql.objectName(options.name)}(${args})`,
    `RETURNS ${options.returns.trim().toUpperCase()}`,
    `SERVICE = ${sql.objectName(options.service)}`,
    `ENDPOINT = ${plainEndpoint.test(options.endpoint) ? options.endpoint : sql.quoteIdentifier(options.endpoint)}`,
    options.comment === undefined ? undefined : `COMMENT = ${sql.stringLiteral(options.comment)}`,
    options.contextHeaders === undefined || options.contextHeaders.length === 0 ? undefined : `CONTEXT_HEADERS = (${options.contextHeaders.map((header) => header.toUpperCase()).join(', ')})`,
    options.maxBatchRows === undefined ? undefined : `MAX_BATCH_ROWS = ${options.maxBatchRows}`,
    options.maxBatchRetries === undefined ? undefined : `MAX_BATCH_RETRIES = ${options.maxBatchRetries}`,
    options.onBatchFailure === undefined ? undefined : `ON_BATCH_FAILURE = ${options.onBatchFailure}`,
    options.batchTimeoutSecs === undefined ? undefined : `BATCH_TIMEOUT_SECS = ${options.batchTimeoutSecs}`,
    `AS ${sql.stringLiteral(options.path)}`,
  ];
  return lines.filter((line): line is string => line !== undefined).join('\n  ');
}

/** One row of SHOW ENDPOINTS IN SERVICE, as far as this module needs it. */
export interface EndpointRow {
  readonly name: string;
  readonly protocol: string;
  readonly isPublic?: boolean;
}

export type EndpointEligibility = { readonly eligible: true } | { readonly eligible: false; readonly reason: string };

/** Whether a service function may target the endpoint (HTTP endpoints of long-running services only). */
export function endpointEligibility(endpoint: EndpointRow, service: { readonly isJob: boolean }): EndpointEligibility {
  if (service.isJob) return { eligible: false, reason: 'Service functions cannot call job services; deploy it as a long-running service.' };
  if (!isHttpProtocol(endpoint.protocol)) {
    return { eligible: false, reason: `Endpoint ${endpoint.name} uses ${endpoint.protocol.toUpperCase()}; service functions need an HTTP endpoint.` };
  }
  return { eligible: true };
}

/** SHOW ENDPOINTS rows → endpoint rows (columns by name). */
export function endpointsFromRows(rows: readonly Readonly<Record<string, unknown>>[]): EndpointRow[] {
  return rows
    .map((row) => ({ name: cellText(row['name']) ?? '', protocol: cellText(row['protocol']) ?? 'HTTP', isPublic: cellBoolean(row['is_public']) ?? false }))
    .filter((row) => row.name !== '');
}

/** A default function name for an endpoint: `<SERVICE>_<ENDPOINT>` as a plain identifier. */
export function suggestedFunctionName(service: string, endpoint: string): string {
  return `${service}_${endpoint}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_').replace(/^([^A-Z_])/, '_$1');
}
