/**
 * Shared set-up for the emulator's wire-protocol tests: a small fake account (users with every kind
 * of credential, and a fake SQL engine that answers a handful of test statements) so that these
 * tests exercise the protocol alone, the REAL snowflake-sdk driver configured for a local endpoint,
 * and helpers that wait on conditions (never on fixed sleeps) and always stop what they started.
 */

import { generateKeyPairSync } from 'node:crypto';
import type { TestContext } from 'node:test';
import type * as Snowflake from 'snowflake-sdk';
import { ManualClock } from '../../emulator/src/clock';
import {
  SnowflakeSqlError,
  type Clock,
  type EmulatedAccount,
  type EmulatedUser,
  type ExecuteOptions,
  type PendingResult,
  type ResultSet,
  type SessionContext,
  type UserDirectory,
} from '../../emulator/src/contract';
import { start, type EmulatorHandle, type StartOptions } from '../../emulator/src/server';

// The driver probes cloud metadata endpoints when it loads unless this is set, and honours HTTP_PROXY.
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
process.env.NO_PROXY = '127.0.0.1,localhost';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the environment above is set.
export const snowflake = require('snowflake-sdk') as typeof Snowflake;

/** The driver's token cache (MFA tokens, ID tokens), in memory so that tests never touch ~/.cache. */
export const credentialCache = new Map<string, string>();
snowflake.configure({
  logLevel: 'OFF',
  customCredentialManager: {
    read: (key: string) => Promise.resolve(credentialCache.get(key) ?? null),
    write: (key: string, value: string) => {
      credentialCache.set(key, value);
      return Promise.resolve();
    },
    remove: (key: string) => {
      credentialCache.delete(key);
      return Promise.resolve();
    },
  },
});

function keyPair(passphrase?: string) {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: passphrase === undefined ? { type: 'pkcs8', format: 'pem' } : { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase },
  });
}

/** Key pairs for SNOWFLAKE_JWT: `registered` and `encrypted` are registered for DEMO_USER, `stranger` is not. */
export const keys = { registered: keyPair(), encrypted: keyPair('key-passphrase'), stranger: keyPair() };

export const demo = { user: 'DEMO_USER', password: 'demo-password-1', role: 'SPCS_DEVELOPER', warehouse: 'DEMO_WH', database: 'SPCS_DEMO', schema: 'PUBLIC' };

const users: EmulatedUser[] = [
  {
    name: 'DEMO_USER',
    password: demo.password,
    programmaticAccessTokens: ['pat-demo-1'],
    oauthTokens: ['oauth-demo-1'],
    rsaPublicKeys: [keys.registered.publicKey, keys.encrypted.publicKey],
    defaultRole: demo.role,
    defaultWarehouse: demo.warehouse,
    defaultDatabase: demo.database,
    defaultSchema: demo.schema,
  },
  { name: 'MFA_USER', password: 'mfa-password', mfaPasscode: '123456', defaultRole: 'PUBLIC' },
  { name: 'SSO_USER', externalBrowser: true, defaultRole: 'PUBLIC' },
  { name: 'LOCKED_USER', password: 'locked-password', disabled: true, defaultRole: 'PUBLIC' },
];

const directory: UserDirectory = {
  findUser: (name) => users.find((user) => user.name === name.toUpperCase()),
  rolesOf: (name) => (name.toUpperCase() === 'DEMO_USER' ? ['SPCS_DEVELOPER', 'PUBLIC'] : ['PUBLIC']),
  hasRole: (role) => ['SPCS_DEVELOPER', 'PUBLIC', 'ACCOUNTADMIN'].includes(role.toUpperCase()),
  hasDatabase: (database) => database === 'SPCS_DEMO',
  hasSchema: (database, schema) => database === 'SPCS_DEMO' && schema === 'PUBLIC',
  hasWarehouse: (warehouse) => warehouse === 'DEMO_WH',
};

const statusColumn = [{ name: 'status', type: 'text' as const }];

function status(text: string): ResultSet {
  return { columns: statusColumn, rows: [[text]], statementTypeId: 0x3000 };
}

/**
 * A fake engine for protocol tests. Statements: `select 1`, `select rows N` (N rows: ID, NAME),
 * `select types` (one row of every column type), `select binds` (echoes the binds), `select
 * current_role()` / `current_warehouse()` / `current_database()`, `use role R`, `create thing X`
 * and `show things` (account state, persisted), `wait N` (pending for N emulated ms), `no_such_table`
 * (002003), `boom` (a non-SQL error); anything else is a syntax error (001003).
 */
export function fakeAccount(options: { clock: Clock; state?: unknown }): EmulatedAccount & { readonly executed: string[] } {
  const saved = options.state as { things?: string[] } | undefined;
  const things: string[] = [...(saved?.things ?? [])];
  const executed: string[] = [];
  const engine = {
    execute(sql: string, session: SessionContext, execution?: ExecuteOptions): ResultSet | PendingResult {
      const text = sql.trim().replace(/;$/, '');
      executed.push(text);
      let match: RegExpExecArray | null;
      if (/^select 1$/i.test(text)) return { columns: [{ name: '1', type: 'fixed' }], rows: [['1']], statementTypeId: 0x1000 };
      if ((match = /^select rows (\d+)$/i.exec(text)) !== null) {
        const count = Number(match[1]);
        return {
          columns: [
            { name: 'ID', type: 'fixed', nullable: false },
            { name: 'NAME', type: 'text' },
          ],
          rows: Array.from({ length: count }, (_, index) => [String(index), `row-${index}`]),
        };
      }
      if (/^select types$/i.test(text)) {
        return {
          columns: [
            { name: 'N', type: 'fixed' },
            { name: 'PRICE', type: 'fixed', scale: 2 },
            { name: 'R', type: 'real' },
            { name: 'T', type: 'text' },
            { name: 'B', type: 'boolean' },
            { name: 'CREATED_ON', type: 'timestamp_ltz', scale: 9 },
            { name: 'V', type: 'variant' },
            { name: 'D', type: 'date' },
            { name: 'NOTHING', type: 'text', nullable: true },
          ],
          rows: [['42', '12.34', '1.5', 'hello', '1', '1714557600.000000000', '{"a":[1,2]}', '19844', null]],
        };
      }
      if (/^select binds$/i.test(text)) {
        const binds = execution?.binds ?? [];
        return { columns: binds.map((_, index) => ({ name: `B${index + 1}`, type: 'text' as const })), rows: [binds] };
      }
      if ((match = /^select current_(role|warehouse|database|schema)\(\)$/i.exec(text)) !== null) {
        const key = (match[1] ?? 'role').toLowerCase() as 'role' | 'warehouse' | 'database' | 'schema';
        return { columns: [{ name: `CURRENT_${key.toUpperCase()}()`, type: 'text' }], rows: [[session[key] ?? null]] };
      }
      if ((match = /^use role (\w+)$/i.exec(text)) !== null) {
        session.role = (match[1] ?? '').toUpperCase();
        return status('Statement executed successfully.');
      }
      if ((match = /^create thing (\w+)$/i.exec(text)) !== null) {
        things.push(match[1] ?? '');
        return status(`Thing ${match[1]} successfully created.`);
      }
      if (/^show things$/i.test(text)) return { columns: [{ name: 'name', type: 'text' }], rows: things.map((thing) => [thing]) };
      if ((match = /^wait (\d+)$/i.exec(text)) !== null) {
        const readyAt = options.clock.now() + Number(match[1]);
        return { kind: 'pending', poll: () => (options.clock.now() >= readyAt ? status('done waiting') : undefined) };
      }
      if (/no_such_table/i.test(text)) {
        throw new SnowflakeSqlError('002003', '42S02', "SQL compilation error:\nObject 'NO_SUCH_TABLE' does not exist or not authorized.", 1, 14);
      }
      if (/^boom$/i.test(text)) throw new Error('the fake engine exploded');
      throw new SnowflakeSqlError('001003', '42000', `SQL compilation error:\nsyntax error line 1 at position 0 unexpected '${text.split(/\s+/)[0] ?? ''}'.`, 1, 0);
    },
  };
  return { name: 'SPCS_EMULATOR', users: directory, engine, serialize: () => ({ things }), executed };
}

export interface Scope {
  readonly emulator: EmulatorHandle;
  readonly clock: ManualClock;
  readonly account: ReturnType<typeof fakeAccount>;
  /** Connects with the demo user's password unless `overrides` say otherwise; destroyed at the end of the test. */
  connect(overrides?: Partial<Snowflake.ConnectionOptions> & Record<string, unknown>): Promise<Snowflake.Connection>;
  /** Like connect, but resolves to the login error (and fails the test if the login succeeds). */
  loginError(overrides?: Partial<Snowflake.ConnectionOptions> & Record<string, unknown>): Promise<Snowflake.SnowflakeError>;
  options(overrides?: Partial<Snowflake.ConnectionOptions> & Record<string, unknown>): Snowflake.ConnectionOptions;
  /** The requests the emulator received on `path` (exact path, or a RegExp). */
  requests(path: string | RegExp): EmulatorHandle['stats']['requests'];
}

/** Starts an emulator with the fake account and a ManualClock; everything is stopped when the test ends. */
export async function emulatorScope(t: TestContext, extra: Partial<StartOptions> = {}): Promise<Scope> {
  const clock = new ManualClock();
  const account = fakeAccount({ clock });
  const emulator = await start({ account, clock, pollHoldMilliseconds: 50, ...extra });
  const connections: Snowflake.Connection[] = [];
  credentialCache.clear();
  t.after(async () => {
    emulator.faults.clear();
    await Promise.all(connections.map(destroyQuietly));
    await emulator.stop();
  });
  const options = (overrides: Partial<Snowflake.ConnectionOptions> & Record<string, unknown> = {}): Snowflake.ConnectionOptions => ({
    account: emulator.account.name,
    accessUrl: emulator.url,
    username: demo.user,
    password: demo.password,
    sfRetryMaxLoginRetries: 0,
    ...overrides,
  });
  const open = (overrides: Partial<Snowflake.ConnectionOptions> & Record<string, unknown>) => {
    const connection = snowflake.createConnection(options(overrides));
    connections.push(connection);
    const browser = String(overrides.authenticator ?? '').toUpperCase() === 'EXTERNALBROWSER';
    return new Promise<Snowflake.SnowflakeError | undefined>((resolve) => {
      const callback = (error: Snowflake.SnowflakeError | undefined | null) => resolve(error ?? undefined);
      if (browser) void connection.connectAsync(callback);
      else connection.connect(callback);
    }).then((error) => ({ connection, error }));
  };
  return {
    emulator,
    clock,
    account,
    options,
    async connect(overrides = {}) {
      const { connection, error } = await open(overrides);
      if (error !== undefined) throw error;
      return connection;
    },
    async loginError(overrides = {}) {
      const { error } = await open(overrides);
      if (error === undefined) throw new Error('the login succeeded, but a failure was expected');
      return error;
    },
    requests: (path) => emulator.stats.requests.filter((request) => (typeof path === 'string' ? request.path === path : path.test(request.path))),
  };
}

/** `heartbeatAsync()` exists in the driver (connection.js) but not in its typings. */
export function heartbeat(connection: Snowflake.Connection): Promise<unknown> {
  return (connection as Snowflake.Connection & { heartbeatAsync(): Promise<unknown> }).heartbeatAsync();
}

export function destroyQuietly(connection: Snowflake.Connection): Promise<void> {
  if (!connection.isUp()) return Promise.resolve();
  return new Promise((resolve) => connection.destroy(() => resolve()));
}

export interface Executed {
  readonly statement: Snowflake.RowStatement;
  readonly rows: Record<string, unknown>[];
}

/** Runs one statement through `execute({ complete })` and resolves to its rows, or rejects with the driver's error. */
export function execute(connection: Snowflake.Connection, sqlText: string, extra: Partial<Snowflake.StatementOption> = {}): Promise<Executed> {
  return new Promise((resolve, reject) => {
    connection.execute({
      sqlText,
      ...extra,
      complete: (error, statement, rows) => (error === undefined || error === null ? resolve({ statement, rows: (rows ?? []) as Record<string, unknown>[] }) : reject(error)),
    });
  });
}

/** Like `execute`, but also hands back the statement at once (for cancel) and the completion promise. */
export function executeLater(connection: Snowflake.Connection, sqlText: string): { statement: Snowflake.RowStatement; done: Promise<Executed> } {
  let statement: Snowflake.RowStatement | undefined;
  const done = new Promise<Executed>((resolve, reject) => {
    statement = connection.execute({
      sqlText,
      complete: (error, completed, rows) => (error === undefined || error === null ? resolve({ statement: completed, rows: (rows ?? []) as Record<string, unknown>[] }) : reject(error)),
    });
  });
  done.catch(() => undefined);
  if (statement === undefined) throw new Error('execute() returned no statement');
  return { statement, done };
}

/** The driver's error for `promise`, failing if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Snowflake.SnowflakeError & { code?: unknown; sqlState?: string; data?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as Snowflake.SnowflakeError;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** Waits until `condition` holds, checking every few milliseconds; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A raw HTTP call to the emulator (for envelope shapes the driver hides). */
export async function raw(
  emulator: EmulatorHandle,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; gzip?: boolean } = {},
): Promise<{ status: number; contentType: string | null; body: { success: boolean; code: string | null; message: string | null; data: Record<string, unknown> | null } }> {
  const { gzipSync } = await import('node:zlib');
  const json = options.body === undefined ? undefined : JSON.stringify(options.body);
  const payload = json === undefined ? undefined : options.gzip === true ? gzipSync(json) : json;
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(options.token === undefined ? {} : { Authorization: `Snowflake Token="${options.token}"` }) },
    ...(payload === undefined ? {} : { body: payload }),
  });
  const body = (await response.json()) as { success: boolean; code: string | null; message: string | null; data: Record<string, unknown> | null };
  return { status: response.status, contentType: response.headers.get('content-type'), body };
}

/** Logs in over raw HTTP and returns the login response data. */
export async function rawLogin(emulator: EmulatorHandle, data: Record<string, unknown> = {}, query = ''): Promise<Record<string, unknown>> {
  const response = await raw(emulator, 'POST', `/session/v1/login-request${query}`, {
    body: { data: { ACCOUNT_NAME: emulator.account.name, LOGIN_NAME: demo.user, PASSWORD: demo.password, AUTHENTICATOR: 'SNOWFLAKE', ...data } },
  });
  if (!response.body.success || response.body.data === null) throw new Error(`login failed: ${response.body.code} ${response.body.message}`);
  return response.body.data;
}
