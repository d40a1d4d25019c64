/**
 * The local SPCS emulator in this process, and the Snowflake CLI connection files that point an
 * extension host at it: for `npm start` (one connection, `spcs_emulator`) and the browser journeys of
 * the account features (`emulator_dev` and `emulator_viewer`, as test/extension/testAccount.ts writes
 * them inside the extension host).
 *
 * Owns: starting the emulator (demo seed by default), writing `connections.toml` and `config.toml`
 * (both mode 600, the default connection named in `config.toml`) into a given folder, and undoing
 * exactly that: `stop()` removes the two files it wrote and stops the emulator.
 *
 * Must not: touch `~/.snowflake` or any folder it was not given, or set `SNOWFLAKE_HOME` in this
 * process (the caller hands the folder to the process that needs it).
 */

import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Account } from '../../emulator/src/account/account';
import { connectionsTomlSection } from '../../emulator/src/cli';
import { start, type EmulatorHandle } from '../../emulator/src/server';

export interface ConnectionSpec {
  /** The section name in connections.toml. */
  readonly name: string;
  /** The emulated user it signs in as (its password and defaults come from the seed). */
  readonly user: string;
}

export interface EmulatorConnectionsOptions {
  /** The folder to write connections.toml and config.toml into (created if missing). */
  readonly snowflakeHome: string;
  /** The first one is the default connection. */
  readonly connections: readonly ConnectionSpec[];
  /** Emulated time runs this many times faster than real time. */
  readonly speed: number;
  readonly seed?: 'demo' | 'empty';
  readonly log?: (line: string) => void;
}

export interface EmulatorConnections {
  readonly emulator: EmulatorHandle;
  /** The account, with `control` to arrange what SQL cannot (seed many services, restart a container). */
  readonly account: Account;
  readonly snowflakeHome: string;
  readonly connectionsFile: string;
  readonly configFile: string;
  /** The connection names written, the default first. */
  readonly connections: readonly string[];
  /** Removes the two files and stops the emulator; safe to call twice. */
  stop(): Promise<void>;
}

/** A new private temporary folder (mode 700) to serve as `SNOWFLAKE_HOME`. */
export function createSnowflakeHome(prefix = 'vscode-spcs-snowflake-home-'): string {
  const home = mkdtempSync(path.join(os.tmpdir(), prefix));
  chmodSync(home, 0o700);
  return home;
}

function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  // The mode of writeFileSync applies only when it creates the file, and the umask may narrow it.
  chmodSync(file, 0o600);
}

export async function startEmulatorWithConnections(options: EmulatorConnectionsOptions): Promise<EmulatorConnections> {
  const defaultConnection = options.connections[0];
  if (!defaultConnection) {
    throw new Error('startEmulatorWithConnections needs at least one connection');
  }
  const emulator = await start({ port: 0, seed: options.seed ?? 'demo', speed: options.speed, ...(options.log ? { log: options.log } : {}) });
  try {
    mkdirSync(options.snowflakeHome, { recursive: true });
    const connectionsFile = path.join(options.snowflakeHome, 'connections.toml');
    const configFile = path.join(options.snowflakeHome, 'config.toml');
    writePrivate(connectionsFile, options.connections.map(({ name, user }) => connectionsTomlSection(name, emulator.connection(user))).join('\n'));
    writePrivate(configFile, `default_connection_name = ${JSON.stringify(defaultConnection.name)}\n`);
    let stopped: Promise<void> | undefined;
    return {
      emulator,
      account: emulator.account as Account,
      snowflakeHome: options.snowflakeHome,
      connectionsFile,
      configFile,
      connections: options.connections.map(({ name }) => name),
      stop() {
        stopped ??= (async () => {
          rmSync(connectionsFile, { force: true });
          rmSync(configFile, { force: true });
          await emulator.stop();
        })();
        return stopped;
      },
    };
  } catch (error) {
    await emulator.stop();
    throw error;
  }
}
