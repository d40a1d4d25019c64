/**
 * The local SPCS emulator for extension-host tests, started inside the extension host itself (so a
 * test can arrange situations with `account.control`), and the connection files that point the
 * extension at it.
 *
 * The runner (runInCodeServer.ts / runInVsCode.ts) sets `SNOWFLAKE_HOME` to an empty temporary folder
 * for the whole run, so the extension starts with no connections (the welcome views). `startTestAccount`
 * writes `$SNOWFLAKE_HOME/connections.toml` (mode 600) with one or two connections to a fresh emulator
 * and `config.toml` naming the default one; `stop()` stops the emulator and removes both files. Suites
 * that start an account must stop it in `after`, so the next suite starts from an empty folder.
 */

import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Account } from '../../emulator/src/account/account';
import { connectionsTomlSection } from '../../emulator/src/cli';
import { start, type EmulatorHandle } from '../../emulator/src/server';

/** The connections written to connections.toml: DEMO_USER (role SPCS_DEVELOPER) and VIEWER_USER (SPCS_VIEWER: USAGE and MONITOR only). */
export const developerConnection = 'emulator_dev';
export const viewerConnection = 'emulator_viewer';

export interface TestAccount {
  readonly emulator: EmulatorHandle;
  /** Arranges what SQL cannot: restart a container, push an image, seed many services. */
  readonly account: Account;
  readonly snowflakeHome: string;
  /** The connection names written, the default first. */
  readonly connections: readonly string[];
  stop(): Promise<void>;
}

export interface TestAccountOptions {
  /** Also write the viewer connection (two connections side by side). Default true. */
  readonly twoConnections?: boolean;
  /** Emulated time runs this many times faster than real time (default 20: a service is READY in about a second). */
  readonly speed?: number;
}

export function snowflakeHome(): string {
  const home = process.env.SNOWFLAKE_HOME;
  if (!home) {
    throw new Error('SNOWFLAKE_HOME is not set: the extension-host runner sets it to a temporary folder for the run');
  }
  return home;
}

export async function startTestAccount(options: TestAccountOptions = {}): Promise<TestAccount> {
  const home = snowflakeHome();
  mkdirSync(home, { recursive: true });
  const emulator = await start({ port: 0, seed: 'demo', speed: options.speed ?? 20 });
  const connections = options.twoConnections === false ? [developerConnection] : [developerConnection, viewerConnection];
  const sections = [connectionsTomlSection(developerConnection, emulator.connection())];
  if (connections.length > 1) {
    sections.push(connectionsTomlSection(viewerConnection, emulator.connection('VIEWER_USER')));
  }
  const connectionsFile = path.join(home, 'connections.toml');
  const configFile = path.join(home, 'config.toml');
  writeFileSync(connectionsFile, sections.join('\n'), { mode: 0o600 });
  chmodSync(connectionsFile, 0o600);
  writeFileSync(configFile, `default_connection_name = "${developerConnection}"\n`, { mode: 0o600 });
  chmodSync(configFile, 0o600);
  return {
    emulator,
    account: emulator.account as Account,
    snowflakeHome: home,
    connections,
    async stop() {
      rmSync(connectionsFile, { force: true });
      rmSync(configFile, { force: true });
      await emulator.stop();
    },
  };
}
