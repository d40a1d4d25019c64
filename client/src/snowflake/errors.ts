/**
 * Snowflake errors as the rest of the extension sees them: one `kind` to branch on, Snowflake's own
 * `code`/`sqlState` kept, and a user-facing `message` that names the cause and what to do.
 *
 * `classify()` maps whatever the `snowflake-sdk` driver (or this layer) produced. It must never let a
 * secret through: every text it builds is passed through `redact()` with the connection's secrets,
 * and it reads only `message`/`code`/`sqlState`/`data`/`response.statusCode` of driver errors, never
 * their request objects (which carry tokens in headers).
 *
 * Kinds: `network` (unreachable, HTTP 5xx, the session ended: retrying helps), `auth` (credentials
 * rejected or missing), `privilege` (the role lacks a grant), `notFound` (missing object, or one the
 * role may not see: Snowflake does not tell these apart), `timeout`, `cancelled`, `sql` (other
 * statement errors), `config` (connection files or options), `internal` (a bug in the driver or here).
 */

export type SnowflakeErrorKind = 'network' | 'auth' | 'privilege' | 'notFound' | 'timeout' | 'cancelled' | 'sql' | 'config' | 'internal';

export interface SnowflakeError {
  readonly kind: SnowflakeErrorKind;
  /** Snowflake's error code as a string ("002003", "390100") or the driver's ("401001", "407002"). */
  readonly code?: string;
  readonly sqlState?: string;
  /** User-facing: names the cause and what to do. Never contains secrets. */
  readonly message: string;
  /** The original error text (redacted), for the log. */
  readonly detail?: string;
  /** The query id when the server assigned one (for Query History). */
  readonly queryId?: string;
}

export function snowflakeError(kind: SnowflakeErrorKind, message: string, extra: Omit<SnowflakeError, 'kind' | 'message'> = {}): SnowflakeError {
  return { kind, message, ...extra };
}

/** What the caller knows about the failed operation; makes messages specific. */
export interface ClassifyContext {
  readonly connectionName?: string;
  /** The statement that failed (used to name the privilege it needs); omitted while connecting. */
  readonly sql?: string;
  /** The role the session runs as, if known. */
  readonly role?: string;
  /** The user the connection logs in as, if known. */
  readonly user?: string;
  /** Where the connection goes (accessUrl), for network messages. */
  readonly target?: string;
  /** Secrets of the connection: removed from every text. */
  readonly secrets?: readonly string[];
  /** Whether the failure happened while logging in. */
  readonly phase?: 'connect' | 'execute';
}

/** The fields of a driver error that this module reads. */
interface DriverErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  sqlState?: unknown;
  data?: unknown;
  response?: unknown;
  cause?: unknown;
}

/** Snowflake session/token codes. The driver hides 390104/390111 behind 407002 after it disconnects. */
export const sessionGoneCodes: ReadonlySet<string> = new Set(['407001', '407002', '390104', '390111', '401004', '390114']);

/** Login codes whose cause is the connection's settings rather than the credentials. */
const loginConfigCodes: ReadonlySet<string> = new Set(['390189', '390201', '390190', '390191']);

/**
 * Codes of a rejected login, whatever the phase they arrive in (a renewal can be refused too):
 * credentials (390100), a disabled or locked user (390101, 390102), MFA (390120, 390127), key pair
 * (390144, JWT_TOKEN_INVALID), the browser login's cached ID token (390195), OAuth (390303, 390318),
 * federated authentication (390136-390140, docs: "Federated authentication and SSO
 * troubleshooting"), a programmatic access token (394400) and the network policy such a token needs
 * (390432). Other 39xxxx codes are not login failures: 391xxx are SPCS statement errors ("Instance
 * '0' … is not running"), 395xxx spec errors. A 39xxxx code that answers the login request itself
 * (`phase: 'connect'`) is a rejected login even when it is not listed here.
 */
export const loginFailureCodes: ReadonlySet<string> = new Set([
  '390100',
  '390101',
  '390102',
  '390120',
  '390127',
  '390136',
  '390137',
  '390138',
  '390139',
  '390140',
  '390144',
  '390195',
  '390303',
  '390318',
  '390432',
  '394400',
]);

const messagesByCode: Readonly<Record<string, string>> = {
  '390100': 'Incorrect user name or password.',
  '390101': 'The user is disabled.',
  '390102': 'The user is temporarily locked after too many failed logins; wait or ask an administrator to unlock it.',
  '390120': 'Snowflake requires an MFA passcode for this user; enter the current passcode (or approve the Duo push).',
  '390127': 'The MFA passcode was not accepted; enter a fresh one.',
  '390144': 'The key-pair (JWT) login was rejected: the private key does not match the RSA_PUBLIC_KEY registered on the user, or none is registered (check with DESC USER).',
  '390195': 'The cached browser (SSO) login is no longer valid; sign in again.',
  '390303': 'The OAuth token is invalid; get a new token.',
  '390318': 'The OAuth token has expired; get a new token.',
  '390114': 'The login expired (master token); log in again.',
  '394400': 'The programmatic access token is invalid or expired; create a new one (ALTER USER … ADD PROGRAMMATIC ACCESS TOKEN).',
};

export function classify(error: unknown, context: ClassifyContext = {}): SnowflakeError {
  const secrets = context.secrets ?? [];
  const clean = (text: string): string => redact(text, secrets);
  if (isSnowflakeError(error)) {
    return { ...error, message: clean(error.message), detail: error.detail === undefined ? undefined : clean(error.detail) };
  }
  const shape: DriverErrorShape = typeof error === 'object' && error !== null ? error : { message: String(error) };
  const name = typeof shape.name === 'string' ? shape.name : '';
  const code = typeof shape.code === 'string' || typeof shape.code === 'number' ? String(shape.code) : undefined;
  const sqlState = typeof shape.sqlState === 'string' ? shape.sqlState : undefined;
  const rawMessage = clean(typeof shape.message === 'string' ? shape.message : String(error));
  const causeMessage = clean(causeText(shape.cause));
  const queryId = queryIdOf(shape.data);
  const who = context.connectionName === undefined ? '' : ` (connection "${context.connectionName}")`;
  const extra = (detail: string): Omit<SnowflakeError, 'kind' | 'message'> => ({ code, sqlState, detail, ...(queryId === undefined ? {} : { queryId }) });
  const detail = causeMessage && !rawMessage.includes(causeMessage) ? `${rawMessage} (${causeMessage})` : rawMessage;

  if (code === '401001' || name === 'NetworkError' || isNodeNetworkError(shape)) {
    const reason = causeMessage || rawMessage;
    const target = context.target ? ` at ${context.target}` : '';
    return snowflakeError('network', clean(`Could not reach Snowflake${target}${who}: ${reason}. Check the network, VPN or proxy settings and the account/host of the connection.`), extra(detail));
  }
  if (code === '401002' || name === 'RequestFailedError') {
    const status = statusOf(shape.response);
    if (status === 401 || status === 403) {
      return snowflakeError('auth', clean(`Snowflake refused the request${who} (HTTP ${status}). Log in again or check the credentials.`), extra(detail));
    }
    if (status === 404) {
      return snowflakeError('config', clean(`No Snowflake endpoint answered at ${context.target ?? 'the configured address'}${who} (HTTP 404). Check the account, host, port and protocol of the connection.`), extra(detail));
    }
    const statusText = status === undefined ? '' : ` (HTTP ${status})`;
    return snowflakeError('network', clean(`Snowflake is not available${statusText}${who}. Try again in a moment.`), extra(detail));
  }
  if (code !== undefined && sessionGoneCodes.has(code)) {
    if (code === '390114') {
      return snowflakeError('auth', clean(`${messagesByCode['390114'] ?? ''}${who}`), extra(detail));
    }
    return snowflakeError('network', clean(`The Snowflake session${who} has ended (${code}); it is opened again on the next call.`), extra(detail));
  }
  if (code === '390112') {
    return snowflakeError('network', clean(`The Snowflake session${who} expired and could not be renewed; it is opened again on the next call.`), extra(detail));
  }
  if (code !== undefined && /^40(4|5)\d{3}$/.test(code)) {
    return classifyOptionsError(code, rawMessage, who, extra(detail));
  }
  if (code !== undefined && loginConfigCodes.has(code)) {
    return snowflakeError('config', clean(`${trimPeriod(rawMessage)}. Fix the role, warehouse, database or schema of the connection${who}, or ask for a grant.`), extra(detail));
  }
  if (code !== undefined && (loginFailureCodes.has(code) || (context.phase === 'connect' && /^39\d{4}$/.test(code)))) {
    const known = messagesByCode[code];
    const user = context.user ? ` as ${context.user}` : '';
    const message = known
      ? `${known} Check the credentials of the connection${who}.`
      : `Snowflake rejected the login${user}${who}: ${trimPeriod(firstLine(rawMessage))}. Check the credentials of the connection.`;
    return snowflakeError('auth', clean(message), extra(detail));
  }
  if (code === '003001' || sqlState === '42501' || /insufficient privileges/i.test(rawMessage)) {
    const role = context.role ? `Role ${context.role}` : 'The current role';
    const needs = context.sql ? requiredPrivilege(context.sql) : undefined;
    const needsText = needs ? ` ${needs.statement} needs ${needs.privilege}.` : '';
    return snowflakeError('privilege', clean(`${role} is not allowed to do this: ${trimPeriod(firstLine(rawMessage))}.${needsText} Use a role that has the grant, or ask an administrator to grant it.`), extra(detail));
  }
  if (code === '002003' || code === '002043' || sqlState === '42S02' || /does not exist or not authorized/i.test(rawMessage)) {
    const role = context.role ? `role ${context.role}` : 'the current role';
    return snowflakeError('notFound', clean(`${trimPeriod(firstLine(rawMessage))}. Either it does not exist (check the name, database and schema) or ${role} is not allowed to see it (ask for a grant).`), extra(detail));
  }
  if (code === '000604') {
    return snowflakeError('cancelled', clean(`The statement was cancelled${who}.`), extra(detail));
  }
  if (code === '000630') {
    return snowflakeError('timeout', clean(`The statement reached Snowflake's statement timeout${who} (STATEMENT_TIMEOUT_IN_SECONDS).`), extra(detail));
  }
  if (code === '000606') {
    return snowflakeError('config', clean(`No warehouse is selected${who}: set 'warehouse' in the connection or run USE WAREHOUSE.`), extra(detail));
  }
  if (code === '090105' || code === '090106') {
    return snowflakeError('config', clean(`${firstLine(rawMessage)} Set 'database' and 'schema' in the connection${who} or use fully qualified names.`), extra(detail));
  }
  if (name === 'OperationFailedError' || (code !== undefined && /^-?\d+$/.test(code))) {
    return snowflakeError('sql', clean(rawMessage || `Snowflake reported error ${code ?? ''}.`), extra(detail));
  }
  return snowflakeError('internal', clean(`Unexpected error${who}: ${rawMessage}`), extra(detail));
}

function classifyOptionsError(code: string, message: string, who: string, extra: Omit<SnowflakeError, 'kind' | 'message'>): SnowflakeError {
  // Missing credentials are an authentication problem; everything else is a bad option value.
  if (code === '404001' || code === '404003' || code === '404005' || code === '404057' || code === '404029') {
    return snowflakeError('auth', `${message} Add the credential to the connection${who} or enter it when asked.`, extra);
  }
  return snowflakeError('config', `Invalid connection settings${who}: ${message}`, extra);
}

/** The privilege a statement needs (reference §4.15), to name it in `privilege` errors. */
export function requiredPrivilege(sql: string): { statement: string; privilege: string } | undefined {
  const text = stripLeadingComments(sql).replace(/\s+/g, ' ').toUpperCase();
  const rules: readonly (readonly [RegExp, string, string])[] = [
    [/^CREATE (OR REPLACE )?SERVICE/, 'CREATE SERVICE', 'CREATE SERVICE on the schema, USAGE on the compute pool, READ on the image repositories, USAGE on each external access integration and BIND SERVICE ENDPOINT on the account for public endpoints'],
    [/^EXECUTE JOB SERVICE/, 'EXECUTE JOB SERVICE', 'CREATE SERVICE on the schema, USAGE on the compute pool and READ on the image repositories'],
    [/^ALTER SERVICE .*\b(SET|UNSET)\b/, 'ALTER SERVICE … SET', 'OWNERSHIP of the service'],
    [/^ALTER SERVICE /, 'ALTER SERVICE (suspend, resume or upgrade)', 'OPERATE (or OWNERSHIP) on the service'],
    [/^DROP SERVICE/, 'DROP SERVICE', 'OWNERSHIP of the service'],
    [/^SHOW SERVICE (CONTAINERS|INSTANCES)/, 'Listing containers or instances', 'MONITOR (or OWNERSHIP) on the service'],
    [/SYSTEM\$GET_SERVICE_LOGS|!SPCS_GET_(LOGS|EVENTS|METRICS)/, 'Reading service logs', 'MONITOR (or OWNERSHIP) on the service'],
    [/SYSTEM\$CANCEL_JOB|!SPCS_CANCEL_JOB/, 'Cancelling a job', 'OPERATE (or OWNERSHIP) on the job service'],
    [/^SHOW ENDPOINTS/, 'SHOW ENDPOINTS', 'USAGE on the service'],
    [/^(DESC|DESCRIBE) SERVICE/, 'DESCRIBE SERVICE', 'a privilege on the service (OWNERSHIP to see its spec)'],
    [/^CREATE COMPUTE POOL/, 'CREATE COMPUTE POOL', 'CREATE COMPUTE POOL on the account'],
    [/^ALTER COMPUTE POOL .*\b(SET|UNSET)\b/, 'ALTER COMPUTE POOL … SET', 'MODIFY (or OWNERSHIP) on the compute pool'],
    [/^ALTER COMPUTE POOL/, 'ALTER COMPUTE POOL (suspend, resume, stop all)', 'OPERATE on the compute pool'],
    [/^DROP COMPUTE POOL/, 'DROP COMPUTE POOL', 'OWNERSHIP of the compute pool'],
    [/^SHOW IMAGES/, 'SHOW IMAGES', 'READ on the image repository'],
    [/^CREATE IMAGE REPOSITORY/, 'CREATE IMAGE REPOSITORY', 'CREATE IMAGE REPOSITORY on the schema'],
    [/^DROP IMAGE REPOSITORY/, 'DROP IMAGE REPOSITORY', 'OWNERSHIP of the image repository'],
    [/^CREATE (OR REPLACE )?(SECURE )?FUNCTION .*\bSERVICE\s*=/, 'CREATE FUNCTION (service function)', 'CREATE FUNCTION on the schema, and a service role of the service that covers the endpoint'],
  ];
  for (const [pattern, statement, privilege] of rules) {
    if (pattern.test(text)) {
      return { statement, privilege };
    }
  }
  return undefined;
}

/**
 * Removes secrets from a text: the given values (every occurrence, also URL-encoded) and anything
 * that looks like a token header, a `password=`/`token=` parameter or a PEM private key.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length < 4) {
      continue; // too short to replace without mangling ordinary words
    }
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      result = result.split(form).join('***');
    }
  }
  return result
    .replace(/(Snowflake Token=)"[^"]*"/gi, '$1"***"')
    .replace(/\b(password|passcode|token|master_token|session_token|private_key_passphrase|private_key_file_pwd)(["']?\s*[=:]\s*["']?)[^\s&"',}]+/gi, '$1$2***')
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[private key]');
}

export function isSnowflakeError(value: unknown): value is SnowflakeError {
  if (typeof value !== 'object' || value === null || value instanceof Error) {
    return false;
  }
  const candidate = value as { kind?: unknown; message?: unknown };
  return typeof candidate.kind === 'string' && typeof candidate.message === 'string';
}

/** Removes leading whitespace, `--`/`//` line comments and block comments. */
export function stripLeadingComments(sql: string): string {
  let rest = sql;
  for (;;) {
    const trimmed = rest.replace(/^\s+/, '');
    if (trimmed.startsWith('--') || trimmed.startsWith('//')) {
      const end = trimmed.indexOf('\n');
      rest = end < 0 ? '' : trimmed.slice(end + 1);
    } else if (trimmed.startsWith('/*')) {
      const end = trimmed.indexOf('*/');
      rest = end < 0 ? '' : trimmed.slice(end + 2);
    } else {
      return trimmed;
    }
  }
}

function firstLine(text: string): string {
  // Snowflake prefixes messages with "SQL compilation error:\n" / "SQL access control error:\n".
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const meaningful = lines.filter((line) => !/^SQL (compilation|access control|execution) error:?$/i.test(line));
  return (meaningful.length > 0 ? meaningful.join(' ') : text).trim();
}

function trimPeriod(text: string): string {
  return text.replace(/[.\s]+$/, '');
}

function causeText(cause: unknown): string {
  if (typeof cause === 'object' && cause !== null && typeof (cause as { message?: unknown }).message === 'string') {
    const message = (cause as { message: string }).message;
    const errorCode = (cause as { code?: unknown }).code;
    return typeof errorCode === 'string' && !message.includes(errorCode) ? `${errorCode}: ${message}` : message;
  }
  return '';
}

function statusOf(response: unknown): number | undefined {
  if (typeof response === 'object' && response !== null) {
    const status = (response as { statusCode?: unknown; status?: unknown }).statusCode ?? (response as { status?: unknown }).status;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

function queryIdOf(data: unknown): string | undefined {
  if (typeof data === 'object' && data !== null) {
    const id = (data as { queryId?: unknown }).queryId;
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
}

function isNodeNetworkError(shape: DriverErrorShape): boolean {
  return typeof shape.code === 'string' && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE)$/.test(shape.code);
}
