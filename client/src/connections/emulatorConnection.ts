/**
 * The local emulator as a connection: reading the URL the emulator's CLI prints
 * (`spcs-emulator listening on http://127.0.0.1:PORT`), the in-memory connection `spcs_emulator`
 * built from it, and merging that connection into what the connection files hold.
 *
 * Pure: no `vscode`, no I/O. The connection is never written to a file.
 */

import type { ConnectionConfig, LoadedConnections } from '../snowflake/config';

export const emulatorConnectionName = 'spcs_emulator';
export const emulatorSource = 'local emulator';

/** The demo seed's developer login (emulator/src/account/seed.ts): a local, throw-away account. */
export const emulatorDemoLogin = {
  account: 'SPCS_EMULATOR',
  user: 'DEMO_USER',
  password: 'demo-password-1',
  role: 'SPCS_DEVELOPER',
  warehouse: 'DEMO_WH',
  database: 'SPCS_DEMO',
  schema: 'PUBLIC',
} as const;

export interface EmulatorAddress {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly protocol: 'http' | 'https';
}

/** Finds `listening on <url>` in the CLI's output so far; undefined until it has been printed. */
export function parseEmulatorUrl(output: string): EmulatorAddress | undefined {
  const match = /listening on (https?):\/\/([^\s/:]+):(\d+)\/?/.exec(output);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  const protocol = match[1] === 'https' ? 'https' : 'http';
  const host = match[2] ?? '127.0.0.1';
  return { url: `${protocol}://${host}:${port}`, host, port, protocol };
}

export function emulatorConnection(address: EmulatorAddress): ConnectionConfig {
  return {
    name: emulatorConnectionName,
    source: emulatorSource,
    params: { ...emulatorDemoLogin, host: address.host, port: address.port, protocol: address.protocol },
    environment: [],
  };
}

/**
 * The file connections plus the emulator's. A file connection with the same name is replaced:
 * while the emulator started from the editor runs, `spcs_emulator` means that one.
 */
export function mergeEmulatorConnection(loaded: LoadedConnections, emulator: ConnectionConfig | undefined): LoadedConnections {
  if (emulator === undefined) return loaded;
  const others = loaded.connections.filter((connection) => connection.name !== emulator.name);
  const shadowed = others.length !== loaded.connections.length;
  return {
    ...loaded,
    connections: [...others, emulator],
    warnings: shadowed ? [...loaded.warnings, `The connection "${emulator.name}" of the connection files is hidden while the local emulator runs.`] : loaded.warnings,
  };
}

/** Whether a connection is the one the editor's emulator added. */
export function isEmulatorConnection(connection: ConnectionConfig): boolean {
  return connection.source === emulatorSource;
}
