/**
 * The shapes Snowflake's REST API puts on the wire, as pure data: the response envelope, the error
 * codes the driver reacts to, result payloads (rowtype, rowset, chunks, session names) and the
 * session parameters. Nothing here does I/O or knows about sessions or queries; `server.ts` and
 * `queries.ts` fill these shapes in. See `shared/reference/snowflake-sdk-local.md` §2 for the formats.
 */

import { defaultTimeZone, type Column, type ResultSet, type SessionContext } from './contract';

/** Every JSON response: application errors are HTTP 200 with `success: false`. */
export interface Envelope {
  readonly success: boolean;
  readonly code: string | null;
  readonly message: string | null;
  readonly data: unknown;
}

export function ok(data: unknown, code: string | null = null): Envelope {
  return { success: true, code, message: null, data };
}

export function failure(code: string, message: string, data: unknown = null): Envelope {
  return { success: false, code, message, data };
}

/**
 * Snowflake's codes that the driver or its callers react to. Login and session codes come from the
 * driver (`constants/gs_errors.js`) and from what Snowflake answers; the driver surfaces the code
 * as `err.code` (a string).
 */
export const Codes = {
  incorrectCredentials: '390100',
  userDisabled: '390101',
  sessionTokenInvalid: '390104',
  sessionGone: '390111',
  sessionTokenExpired: '390112',
  masterTokenExpired: '390114',
  mfaRequired: '390120',
  mfaPasscodeInvalid: '390127',
  jwtInvalid: '390144',
  roleNotGranted: '390189',
  idTokenInvalid: '390195',
  oauthTokenInvalid: '390303',
  patInvalid: '394400',
  queryInProgress: '333333',
  queryInProgressAsync: '333334',
  statementCanceled: '000604',
  internalError: '000603',
} as const;

/** Messages as Snowflake words them (the bracketed ids Snowflake appends to some are added by callers). */
export const Messages = {
  incorrectCredentials: 'Incorrect username or password was specified.',
  userDisabled: 'User access disabled. Contact your local system administrator.',
  sessionTokenInvalid: 'Invalid session token. New login required to access the service.',
  sessionGone: 'Session no longer exists.  New login required to access the service.',
  sessionTokenExpired: 'Session token has expired.  Renew the session token with the master token.',
  masterTokenExpired: 'Authentication token has expired.  The user must authenticate again.',
  mfaRequired: 'Multi-factor authentication is required: pass a passcode (Duo push is not emulated).',
  mfaPasscodeInvalid: 'Incorrect passcode was specified.',
  jwtInvalid: 'JWT token is invalid.',
  idTokenInvalid: 'The provided ID Token is invalid.',
  oauthTokenInvalid: 'Invalid OAuth access token.',
  patInvalid: 'Programmatic access token is invalid.',
  statementCanceled: 'SQL execution canceled',
  roleNotGranted: (role: string) =>
    `Role '${role}' specified in the connect string is not granted to this user. Contact your local system administrator, or attempt to login with another role, e.g. PUBLIC.`,
} as const;

/** A rowtype entry as Snowflake sends it (the driver reads name, type, scale, precision, nullable). */
export interface RowType {
  readonly name: string;
  readonly database: string;
  readonly schema: string;
  readonly table: string;
  readonly type: string;
  readonly scale: number | null;
  readonly precision: number | null;
  readonly length: number | null;
  readonly byteLength: number | null;
  readonly nullable: boolean;
  readonly collation: null;
}

/** Snowflake's maximum VARCHAR / VARIANT size, which it reports for unsized text columns. */
const maxTextLength = 16_777_216;

export function rowTypeOf(column: Column): RowType {
  const base = { name: column.name, database: '', schema: '', table: '', nullable: column.nullable ?? true, collation: null };
  switch (column.type) {
    case 'fixed':
      return { ...base, type: 'fixed', scale: column.scale ?? 0, precision: 38, length: null, byteLength: null };
    case 'real':
      return { ...base, type: 'real', scale: null, precision: null, length: null, byteLength: null };
    case 'text':
      return { ...base, type: 'text', scale: null, precision: null, length: maxTextLength, byteLength: maxTextLength };
    case 'boolean':
      return { ...base, type: 'boolean', scale: null, precision: null, length: null, byteLength: null };
    case 'date':
      return { ...base, type: 'date', scale: null, precision: null, length: null, byteLength: null };
    case 'timestamp_ltz':
    case 'timestamp_ntz':
      return { ...base, type: column.type, scale: column.scale ?? 9, precision: 0, length: null, byteLength: null };
    case 'variant':
    case 'object':
    case 'array':
      return { ...base, type: column.type, scale: null, precision: null, length: maxTextLength, byteLength: maxTextLength };
  }
}

export interface Parameter {
  readonly name: string;
  readonly value: string | number | boolean;
}

/**
 * The session parameters Snowflake reports at login and with every result (the driver converts
 * dates and timestamps with TIMEZONE and the *_OUTPUT_FORMAT values of the result's own list).
 * Parameters the client sent at login (`SESSION_PARAMETERS`) override these and are echoed back,
 * as Snowflake does; the driver keeps some of them process-wide, so nothing is invented here that
 * the client did not ask for (e.g. JS_TREAT_INTEGER_AS_BIGINT).
 */
export const defaultSessionParameters: readonly Parameter[] = [
  { name: 'TIMEZONE', value: defaultTimeZone },
  { name: 'TIMESTAMP_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM' },
  { name: 'TIMESTAMP_NTZ_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3' },
  { name: 'TIMESTAMP_LTZ_OUTPUT_FORMAT', value: '' },
  { name: 'TIMESTAMP_TZ_OUTPUT_FORMAT', value: '' },
  { name: 'DATE_OUTPUT_FORMAT', value: 'YYYY-MM-DD' },
  { name: 'TIME_OUTPUT_FORMAT', value: 'HH24:MI:SS' },
  { name: 'BINARY_OUTPUT_FORMAT', value: 'HEX' },
  { name: 'CLIENT_TIMESTAMP_TYPE_MAPPING', value: 'TIMESTAMP_LTZ' },
  { name: 'CLIENT_RESULT_CHUNK_SIZE', value: 160 },
  { name: 'CLIENT_PREFETCH_THREADS', value: 4 },
  { name: 'QUERY_CONTEXT_CACHE_SIZE', value: 5 },
  { name: 'MULTI_STATEMENT_COUNT', value: 1 },
];

/** Merges the client's SESSION_PARAMETERS (from the login body) over the defaults. */
export function sessionParameters(fromClient: unknown): Parameter[] {
  const merged = new Map<string, Parameter['value']>(defaultSessionParameters.map((parameter) => [parameter.name, parameter.value]));
  if (fromClient !== null && typeof fromClient === 'object') {
    for (const [name, value] of Object.entries(fromClient as Record<string, unknown>)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') merged.set(name.toUpperCase(), value);
    }
  }
  return [...merged].map(([name, value]) => ({ name, value }));
}

/** The names the driver reads after every statement (`connection.getRole()` style state). */
export function sessionNames(context: SessionContext) {
  return {
    finalDatabaseName: context.database ?? null,
    finalSchemaName: context.schema ?? null,
    finalWarehouseName: context.warehouse ?? null,
    finalRoleName: context.role,
  };
}

/** Snowflake's statement type id for a plain SELECT, used when the engine does not say. */
export const selectStatementTypeId = 0x1000;

export interface ChunkReference {
  readonly url: string;
  readonly rowCount: number;
  readonly uncompressedSize: number;
  readonly compressedSize: number;
}

/**
 * Splits rows into the inline first part and the chunk bodies. A chunk body is the rows as JSON
 * without the outer brackets (`["1","a"],["2","b"]`), which is how the driver reads them.
 */
export function splitIntoChunks(rows: ResultSet['rows'], chunkRowThreshold: number): { inline: ResultSet['rows']; chunks: string[] } {
  if (rows.length <= chunkRowThreshold) return { inline: rows, chunks: [] };
  const chunks: string[] = [];
  for (let start = chunkRowThreshold; start < rows.length; start += chunkRowThreshold) {
    chunks.push(JSON.stringify(rows.slice(start, start + chunkRowThreshold)).slice(1, -1));
  }
  return { inline: rows.slice(0, chunkRowThreshold), chunks };
}

export interface ResultPayloadInput {
  readonly queryId: string;
  readonly result: ResultSet;
  readonly context: SessionContext;
  readonly parameters: readonly Parameter[];
  readonly inline: ResultSet['rows'];
  readonly chunks: readonly ChunkReference[];
  readonly sendResultTime: number;
}

/** The `data` of a successful query response (query-request or /queries/<id>/result). */
export function resultPayload(input: ResultPayloadInput) {
  const { result } = input;
  return {
    queryId: input.queryId,
    parameters: input.parameters,
    rowtype: result.columns.map(rowTypeOf),
    rowset: input.inline,
    total: result.rows.length,
    returned: result.rows.length,
    ...(input.chunks.length > 0 ? { chunks: input.chunks, qrmk: 'ZW11bGF0b3ItcXVlcnktcmVzdWx0LW1hc3Rlci1rZXk=' } : {}),
    statementTypeId: result.statementTypeId ?? selectStatementTypeId,
    version: 1,
    queryResultFormat: 'json',
    databaseProvider: null,
    numberOfBinds: 0,
    arrayBindSupported: false,
    queryContext: { entries: [] },
    sendResultTime: input.sendResultTime,
    ...sessionNames(input.context),
  };
}

/** The `data` of a SQL error response; the driver exposes it as `err.data`. */
export function sqlErrorPayload(queryId: string, code: string, sqlState: string, line?: number, position?: number) {
  return { errorCode: code, sqlState, queryId, line: line ?? -1, pos: position ?? -1, type: 'COMPILATION', internalError: false, age: 0 };
}

/** The `data` of a 333333 / 333334 answer: the driver GETs `getResultUrl` until the result is final. */
export function inProgressPayload(queryId: string) {
  return { queryId, getResultUrl: `/queries/${queryId}/result` };
}
