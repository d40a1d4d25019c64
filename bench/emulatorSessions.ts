/**
 * For the benchmarks that go through the real snowflake-sdk driver: a local emulator in this process
 * (demo seed, real-time clock), a temporary SNOWFLAKE_HOME whose connections.toml names it, and a
 * `SnowflakeSessions` on it. Everything is stopped and removed when `work` ends.
 */

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Account } from '../emulator/src/account/account';
import { connectionsTomlSection } from '../emulator/src/cli';
import { start } from '../emulator/src/server';
import { loadConnections } from '../client/src/snowflake/config';
import type { CredentialPrompter } from '../client/src/snowflake/connectionOptions';
import { SnowflakeSessions } from '../client/src/snowflake/session';
import { MemoryTokenCache } from '../client/src/snowflake/tokenCache';

export async function withEmulatorSessions<T>(connection: string, arrange: (account: Account) => void, work: (sessions: SnowflakeSessions) => Promise<T>): Promise<T> {
  const emulator = await start({ port: 0, seed: 'demo', speed: 1 });
  const home = mkdtempSync(path.join(os.tmpdir(), 'vscode-spcs-bench-'));
  // The connection file has the password: nothing is ever asked.
  const prompter: CredentialPrompter = { ask: () => Promise.resolve(undefined), forget: () => Promise.resolve() };
  let sessions: SnowflakeSessions | undefined;
  try {
    arrange(emulator.account as Account);
    const file = path.join(home, 'connections.toml');
    writeFileSync(file, connectionsTomlSection(connection, emulator.connection()), { mode: 0o600 });
    chmodSync(file, 0o600);
    const env: NodeJS.ProcessEnv = { SNOWFLAKE_HOME: home, NO_PROXY: '127.0.0.1' };
    sessions = new SnowflakeSessions({ connections: () => loadConnections(env), env, tokenCache: new MemoryTokenCache(), prompter, connectTimeoutMs: 30_000, disposeTimeoutMs: 2_000 });
    return await work(sessions);
  } finally {
    await sessions?.dispose();
    await emulator.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
