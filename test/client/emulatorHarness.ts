/**
 * Set-up for the connectivity layer's integration tests: the local SPCS emulator (demo seed, a
 * ManualClock), a temporary SNOWFLAKE_HOME whose connections.toml holds the section the emulator's
 * CLI prints plus any extra connections, and a `SnowflakeSessions` built on them with the REAL
 * snowflake-sdk driver. Everything is stopped and removed when the test ends; waits are on
 * conditions, never on fixed sleeps.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import type { Account } from '../../emulator/src/account/account';
import { connectionsTomlSection } from '../../emulator/src/cli';
import { ManualClock } from '../../emulator/src/clock';
import { start, type EmulatorHandle } from '../../emulator/src/server';
import { loadConnections } from '../../client/src/snowflake/config';
import type { CredentialKind, CredentialPrompter } from '../../client/src/snowflake/connectionOptions';
import type { Result } from '../../client/src/snowflake/result';
import { SnowflakeSessions, type ResultSet, type SessionsOptions } from '../../client/src/snowflake/session';
import { MemoryTokenCache } from '../../client/src/snowflake/tokenCache';

/** The connection the emulator's CLI prints is written under this name. */
export const printedConnection = 'spcs_emulator';

export interface Harness {
  readonly emulator: EmulatorHandle;
  readonly clock: ManualClock;
  readonly account: Account;
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
  readonly tokenCache: MemoryTokenCache;
  readonly prompter: RecordingPrompter;
  /** Every line the layer and the driver logged. */
  readonly log: string[];
  /** The first SnowflakeSessions (closed at the end of the test). */
  readonly sessions: SnowflakeSessions;
  /** Another SnowflakeSessions sharing the token cache and the prompter (closed at the end of the test). */
  newSessions(options?: Partial<SessionsOptions>): SnowflakeSessions;
  /** Adds sections to connections.toml (TOML text). */
  addConnections(toml: string): void;
  /** Requests the emulator received whose path matches. */
  requests(match: string | RegExp): EmulatorHandle['stats']['requests'];
}

/** A prompter that answers from a table and records what it was asked. */
export class RecordingPrompter implements CredentialPrompter {
  readonly asked: string[] = [];
  readonly forgotten: string[] = [];
  readonly answers = new Map<string, string>();

  ask(kind: CredentialKind, connectionName: string): Promise<string | undefined> {
    this.asked.push(`${kind}:${connectionName}`);
    return Promise.resolve(this.answers.get(`${kind}:${connectionName}`));
  }

  forget(kind: CredentialKind, connectionName: string): Promise<void> {
    this.forgotten.push(`${kind}:${connectionName}`);
    return Promise.resolve();
  }
}

export async function harness(t: TestContext, options: Partial<SessionsOptions> = {}): Promise<Harness> {
  const clock = new ManualClock();
  const emulator = await start({ seed: 'demo', clock, pollHoldMilliseconds: 50 });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'spcs-layer-'));
  const connectionsFile = path.join(home, 'connections.toml');
  fs.writeFileSync(connectionsFile, connectionsTomlSection(printedConnection, emulator.connection()), { mode: 0o600 });
  fs.chmodSync(connectionsFile, 0o600);
  // A proxy that does not exist: loopback connections must not go through it.
  const env: NodeJS.ProcessEnv = { SNOWFLAKE_HOME: home, HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9' };
  const tokenCache = new MemoryTokenCache();
  const prompter = new RecordingPrompter();
  const log: string[] = [];
  const logger = {
    error: (line: string) => void log.push(`error ${line}`),
    warn: (line: string) => void log.push(`warn ${line}`),
    info: (line: string) => void log.push(`info ${line}`),
    debug: (line: string) => void log.push(`debug ${line}`),
    trace: (line: string) => void log.push(`trace ${line}`),
  };
  const created: SnowflakeSessions[] = [];
  const newSessions = (extra: Partial<SessionsOptions> = {}): SnowflakeSessions => {
    const sessions = new SnowflakeSessions({
      connections: () => loadConnections(env),
      env,
      tokenCache,
      prompter,
      logger,
      driverLogLevel: 'TRACE',
      connectTimeoutMs: 15_000,
      disposeTimeoutMs: 2000,
      pollIntervalMs: 20,
      ...options,
      ...extra,
    });
    created.push(sessions);
    return sessions;
  };
  const sessions = newSessions();
  t.after(async () => {
    emulator.faults.clear();
    await Promise.all(created.map((each) => each.dispose()));
    await emulator.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });
  return {
    emulator,
    clock,
    account: emulator.account as Account,
    home,
    env,
    tokenCache,
    prompter,
    log,
    sessions,
    newSessions,
    addConnections: (toml) => fs.appendFileSync(connectionsFile, `\n${toml}\n`),
    requests: (match) => emulator.stats.requests.filter((request) => (typeof match === 'string' ? request.path === match : match.test(request.path))),
  };
}

/** The value of a successful result; fails the test with the error otherwise. */
export function value<T>(result: Result<T>): T {
  if (!result.ok) {
    throw new Error(`expected success, got ${result.error.kind}${result.error.code ? ` ${result.error.code}` : ''}: ${result.error.message}`);
  }
  return result.value;
}

/** The error of a failed result; fails the test on success. */
export function failure<T>(result: Result<T>) {
  if (result.ok) {
    throw new Error(`expected a failure, got ${JSON.stringify(result.value).slice(0, 300)}`);
  }
  return result.error;
}

/** The single column of a one-column result, as strings. */
export function column(result: ResultSet, name: string): unknown[] {
  return result.rows.map((row) => row[name]);
}

/** Polls `condition` (every few ms) until it holds; throws after `timeoutMs`. Never a fixed sleep. */
export async function waitFor(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
