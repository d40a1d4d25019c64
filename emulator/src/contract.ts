/**
 * The contract between the emulator's two halves: the wire protocol (`server.ts`, `auth.ts`: what the
 * `snowflake-sdk` driver speaks over HTTP) and the SQL engine (`sql/`, `account/`: what statements do
 * to the emulated account). The protocol side never parses SQL; the engine never sees HTTP.
 *
 * Values cross this boundary in Snowflake's JSON result format: every cell is a string or null, and
 * each column has a Snowflake type (see `../shared/reference/snowflake-sdk-local.md` §2).
 */

/** Snowflake column types the emulator emits (the driver converts cell strings by these). */
export type ColumnType = 'text' | 'fixed' | 'real' | 'boolean' | 'timestamp_ltz' | 'timestamp_ntz' | 'variant' | 'object' | 'array' | 'date';

export interface Column {
  /** As Snowflake names it: SHOW output columns are lowercase (`name`, `state`, …). */
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable?: boolean;
  /** For `fixed`: digits after the decimal point; for timestamps: fractional-second digits (9). */
  readonly scale?: number;
}

export interface ResultSet {
  readonly columns: readonly Column[];
  /** Cell values as strings (or null), in column order. */
  readonly rows: readonly (readonly (string | null)[])[];
  /** Snowflake's statement type id (e.g. 0x1000 select, 0x3000 DDL); informational. */
  readonly statementTypeId?: number;
}

/** The session state a statement runs in and may change (USE ROLE / DATABASE / SCHEMA / WAREHOUSE). */
export interface SessionContext {
  readonly sessionId: string;
  readonly user: string;
  role: string;
  database: string | undefined;
  schema: string | undefined;
  warehouse: string | undefined;
  /** The session's TIMEZONE parameter (default `defaultTimeZone`): how TIMESTAMP_LTZ meets wall clocks. */
  readonly timezone?: string;
}

/** Snowflake's default TIMEZONE session parameter. */
export const defaultTimeZone = 'America/Los_Angeles';

/**
 * A SQL error as Snowflake reports it. `code` is Snowflake's numeric error code as a string
 * (e.g. "002003" object does not exist or not authorized, "001003" syntax error, "003001"
 * insufficient privileges), `sqlState` the ANSI state (e.g. "42S02", "42000", "42501").
 */
export class SnowflakeSqlError extends Error {
  override readonly name = 'SnowflakeSqlError';
  constructor(
    readonly code: string,
    readonly sqlState: string,
    message: string,
    readonly line?: number,
    readonly position?: number,
  ) {
    super(message);
  }
}

export interface ExecuteOptions {
  /** Bind values of `?` / `:1` placeholders, already converted to strings (or null). */
  readonly binds?: readonly (string | null)[];
}

/**
 * A statement that finishes later in emulated time (a synchronous EXECUTE JOB SERVICE waits for the
 * job). The protocol answers `333333` ("still running") and polls until `poll()` returns a result
 * or throws the statement's error.
 */
export interface PendingResult {
  readonly kind: 'pending';
  poll(): ResultSet | undefined;
}

/** Runs SQL against the emulated account. Implemented by `sql/engine.ts`. */
export interface SqlEngine {
  /**
   * Executes one statement (a trailing `;` is allowed; several statements are an error, as with
   * Snowflake's default MULTI_STATEMENT_COUNT=1). Throws `SnowflakeSqlError` for SQL errors; any
   * other thrown value is an emulator bug and becomes an internal error.
   */
  execute(sql: string, session: SessionContext, options?: ExecuteOptions): ResultSet | PendingResult;
}

export function isPending(result: ResultSet | PendingResult): result is PendingResult {
  return (result as PendingResult).kind === 'pending';
}

/** Time as the emulator sees it: tests advance it by hand; demos run it at `speed` × real time. */
export interface Clock {
  now(): number;
}

/** A user of the emulated account and every credential it can log in with. */
export interface EmulatedUser {
  readonly name: string;
  readonly password?: string;
  /** When set, password logins also need this passcode (USERNAME_PASSWORD_MFA / passcodeInPassword). */
  readonly mfaPasscode?: string;
  /** Programmatic access tokens (PROGRAMMATIC_ACCESS_TOKEN, or as the password). */
  readonly programmaticAccessTokens?: readonly string[];
  /** PEM public keys registered with ALTER USER … SET RSA_PUBLIC_KEY (SNOWFLAKE_JWT). */
  readonly rsaPublicKeys?: readonly string[];
  /** OAuth access tokens the emulated authorization server issued (OAUTH). */
  readonly oauthTokens?: readonly string[];
  /** Whether EXTERNALBROWSER logins are accepted (the emulator plays the IdP and approves at once). */
  readonly externalBrowser?: boolean;
  readonly defaultRole: string;
  readonly defaultWarehouse?: string;
  readonly defaultDatabase?: string;
  readonly defaultSchema?: string;
  readonly disabled?: boolean;
}

export interface UserDirectory {
  /** Case-insensitive, as Snowflake user names are. */
  findUser(name: string): EmulatedUser | undefined;
  /** Roles granted to the user (directly or through role hierarchy), uppercase. */
  rolesOf(user: string): readonly string[];
  /** Whether the names exist (for login-request `warehouse=` / `databaseName=` / … parameters). */
  hasRole(role: string): boolean;
  hasDatabase(database: string): boolean;
  hasSchema(database: string, schema: string): boolean;
  hasWarehouse(warehouse: string): boolean;
}

/** The emulated account as the protocol side sees it (built by `account/account.ts`). */
export interface EmulatedAccount {
  readonly name: string;
  readonly users: UserDirectory;
  readonly engine: SqlEngine;
  /** The whole state as JSON, for `--state FILE`; `createAccount({ state })` restores it. */
  serialize(): unknown;
}
