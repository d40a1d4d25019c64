/**
 * Decisions about the list of connections, kept apart from VS Code so they are unit-tested: which
 * connection is active, how a connection is summarised (no secrets), and which connections changed
 * between two readings of the files (their sessions must be closed).
 *
 * Pure: no `vscode`, no I/O.
 */

import type { ConnectionConfig, LoadedConnections } from '../snowflake/config';
import { isEmulatorConnection } from './emulatorConnection';

/** `account / user` (plus the host for a local or custom host): safe to show and log. */
export function connectionSummary(connection: ConnectionConfig): string {
  const param = (key: string): string | undefined => {
    const value = connection.params[key];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
  };
  const who = [param('account'), param('user') ?? param('username')].filter((part): part is string => part !== undefined).join(' / ');
  const host = param('host');
  const port = param('port');
  const where = host !== undefined && (isEmulatorConnection(connection) || /^(127\.|localhost$|\[?::1)/.test(host)) ? ` @ ${host}${port ? `:${port}` : ''}` : '';
  return `${who}${where}`;
}

/** The configured role of a connection, if any. */
export function configuredRole(connection: ConnectionConfig | undefined): string | undefined {
  const role = connection?.params['role'];
  return typeof role === 'string' && role.trim() !== '' ? role.trim() : undefined;
}

/**
 * The active connection: the one the user picked (if it still exists), else the local emulator's
 * while it was just started (the caller stores that choice), else the default, else the first.
 */
export function activeConnectionName(loaded: LoadedConnections, picked: string | undefined): string | undefined {
  const names = loaded.connections.map((connection) => connection.name);
  if (picked !== undefined && names.includes(picked)) return picked;
  if (names.includes(loaded.defaultName)) return loaded.defaultName;
  return names[0];
}

function fingerprint(connection: ConnectionConfig): string {
  const keys = Object.keys(connection.params).sort();
  return JSON.stringify([connection.source, keys.map((key) => [key, connection.params[key]])]);
}

/** Names whose settings changed or that disappeared between two readings (their sessions are stale). */
export function staleConnections(before: readonly ConnectionConfig[], after: readonly ConnectionConfig[]): string[] {
  const next = new Map(after.map((connection) => [connection.name, fingerprint(connection)]));
  return before.filter((connection) => next.get(connection.name) !== fingerprint(connection)).map((connection) => connection.name);
}

/** Whether two readings list the same connections with the same settings and default. */
export function sameConnections(before: LoadedConnections | undefined, after: LoadedConnections): boolean {
  if (before === undefined) return false;
  if (before.defaultName !== after.defaultName || before.connections.length !== after.connections.length) return false;
  return staleConnections(before.connections, after.connections).length === 0;
}
