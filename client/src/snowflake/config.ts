/**
 * Reads Snowflake connections exactly as the Snowflake CLI (and the Python connector's config
 * manager it uses) does, so a connection that works with `snow` works here.
 *
 * - Directory: `$SNOWFLAKE_HOME` if set and it exists, else `~/.snowflake` if it exists, else the
 *   platform config dir for "snowflake" (Linux `$XDG_CONFIG_HOME/snowflake` or `~/.config/snowflake`,
 *   macOS `~/Library/Application Support/snowflake`, Windows `%LOCALAPPDATA%\snowflake`).
 * - `config.toml` `[connections.<name>]`; if `connections.toml` exists, its top-level tables REPLACE
 *   those (no merge; an empty connections.toml means no connections). `SNOWFLAKE_CONNECTIONS` (a
 *   whole TOML document of connections) replaces both, as in the connector.
 * - Default name: `SNOWFLAKE_DEFAULT_CONNECTION_NAME` > `default_connection_name` in config.toml >
 *   `default_connection_name` at the top of connections.toml > `"default"`. The CLI itself ignores
 *   the connections.toml form (it reads it as a non-table "connection"); we honour it only when
 *   config.toml says nothing, and warn that `snow` will not.
 * - Per key: `SNOWFLAKE_CONNECTIONS_<NAME>_<KEY>` (NAME and KEY uppercase) > the file > the generic
 *   `SNOWFLAKE_<KEY>` (the CLI's list of supported keys; fills only keys the connection lacks). An
 *   override whose prefix also matches a longer connection name (`MY` vs `MY_CONN`) belongs to the
 *   longer one. Aliases: `private_key_path` → `private_key_file`, `private_key_file_pwd` →
 *   `private_key_passphrase` (when both are set, `private_key_passphrase` wins); the CLI's
 *   `PRIVATE_KEY_PASSPHRASE` variable fills a missing passphrase.
 * - Permissions (not on Windows, as the connector): a file writable by group or others is an error
 *   naming the file and the `chmod 0600` fix; readable by group or others, or owned by another user,
 *   is a warning unless `SF_SKIP_WARNING_FOR_READ_PERMISSIONS_ON_CONFIG_FILE=true`.
 *
 * Pure of `vscode`; reads files synchronously (two small files, read on first use, not at activation).
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { snowflakeError } from './errors';
import { fail, ok, type Result } from './result';

export interface ConnectionConfig {
  readonly name: string;
  /** Where it came from: a file path, or `SNOWFLAKE_CONNECTIONS`. */
  readonly source: string;
  /** The connection's keys (lowercase snake_case, aliases resolved) after environment overrides. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Environment variables that set keys of this connection. */
  readonly environment: readonly string[];
}

export type DefaultNameSource = 'SNOWFLAKE_DEFAULT_CONNECTION_NAME' | 'config.toml' | 'connections.toml' | 'built-in';

export interface LoadedConnections {
  readonly connections: readonly ConnectionConfig[];
  readonly defaultName: string;
  readonly defaultNameSource: DefaultNameSource;
  readonly configDir: string;
  /** The files that were read. */
  readonly files: readonly string[];
  readonly warnings: readonly string[];
}

export interface LoadOptions {
  /** The home directory (defaults to `os.homedir()`). */
  readonly home?: string;
  readonly platform?: NodeJS.Platform;
  /** The current user's id, for the owner check (defaults to `process.getuid()`). */
  readonly uid?: number;
}

/** Keys the CLI lets the generic `SNOWFLAKE_<KEY>` variables set (snow_connector.py). */
export const genericEnvironmentKeys: readonly string[] = [
  'account', 'user', 'password', 'authenticator', 'private_key_file', 'private_key_path', 'private_key_raw', 'database', 'schema', 'role',
  'warehouse', 'session_token', 'master_token', 'token_file_path', 'oauth_client_id', 'oauth_client_secret', 'oauth_authorization_url',
  'oauth_token_request_url', 'oauth_redirect_uri', 'oauth_scope', 'oauth_security_features', 'client_store_temporary_credential',
];

const keyAliases: Readonly<Record<string, string>> = { private_key_path: 'private_key_file' };

export function loadConnections(env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): Result<LoadedConnections> {
  const platform = options.platform ?? process.platform;
  const home = options.home ?? os.homedir();
  const configDir = resolveConfigDir(env, { home, platform });
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  const configFile = pathApi.join(configDir, 'config.toml');
  const connectionsFile = pathApi.join(configDir, 'connections.toml');
  const warnings: string[] = [];
  const files: string[] = [];

  const readToml = (file: string): Result<Record<string, unknown> | undefined> => {
    if (!fs.existsSync(file)) {
      return ok(undefined);
    }
    const permission = checkPermissions(file, env, platform, options.uid);
    if (!permission.ok) {
      return permission;
    }
    warnings.push(...permission.value);
    files.push(file);
    return parseToml(file);
  };

  const config = readToml(configFile);
  if (!config.ok) return config;
  const connectionsDocument = readToml(connectionsFile);
  if (!connectionsDocument.ok) return connectionsDocument;

  let tables: Record<string, unknown> = {};
  let tablesSource = configFile;
  const configConnections = config.value?.['connections'];
  if (configConnections !== undefined && !isTable(configConnections)) {
    return fail(snowflakeError('config', `${configFile}: 'connections' must be a table of [connections.<name>] sections.`));
  }
  if (connectionsDocument.value !== undefined) {
    tables = connectionsDocument.value;
    tablesSource = connectionsFile;
    if (configConnections !== undefined && Object.keys(configConnections).length > 0) {
      warnings.push(`${configFile}: its [connections.*] sections are ignored because ${connectionsFile} exists (the Snowflake CLI reads only one of them).`);
    }
  } else if (configConnections !== undefined) {
    tables = configConnections;
  }
  const fromEnvironment = env['SNOWFLAKE_CONNECTIONS'];
  if (fromEnvironment !== undefined && fromEnvironment !== '') {
    const parsed = parseTomlText(fromEnvironment, 'SNOWFLAKE_CONNECTIONS');
    if (!parsed.ok) return parsed;
    tables = parsed.value;
    tablesSource = 'SNOWFLAKE_CONNECTIONS';
  }

  const entries = Object.entries(tables).filter(([name, value]) => {
    if (isTable(value)) return true;
    if (!(tablesSource === connectionsFile && name === 'default_connection_name')) {
      warnings.push(`${tablesSource}: '${name}' is not a [section] and is not a connection.`);
    }
    return false;
  }) as [string, Record<string, unknown>][];
  const names = entries.map(([name]) => name);
  const connections = entries.map(([name, table]) => buildConnection(name, table, tablesSource, names, env));

  let defaultName = 'default';
  let defaultNameSource: DefaultNameSource = 'built-in';
  const fromConnectionsFile = tablesSource === connectionsFile ? connectionsDocument.value?.['default_connection_name'] : undefined;
  const fromConfig = config.value?.['default_connection_name'];
  if (env['SNOWFLAKE_DEFAULT_CONNECTION_NAME']) {
    defaultName = env['SNOWFLAKE_DEFAULT_CONNECTION_NAME'];
    defaultNameSource = 'SNOWFLAKE_DEFAULT_CONNECTION_NAME';
  } else if (typeof fromConfig === 'string') {
    defaultName = fromConfig;
    defaultNameSource = 'config.toml';
  } else if (typeof fromConnectionsFile === 'string') {
    defaultName = fromConnectionsFile;
    defaultNameSource = 'connections.toml';
    warnings.push(`${connectionsFile}: default_connection_name is honoured here, but the Snowflake CLI only reads it from config.toml.`);
  }
  if (connections.length > 0 && !names.includes(defaultName)) {
    warnings.push(`The default connection "${defaultName}" (from ${defaultNameSource}) is not defined; known: ${names.join(', ')}.`);
  }
  return ok({ connections, defaultName, defaultNameSource, configDir, files, warnings });
}

/** The connection named `name`, or the default one. */
export function findConnection(loaded: LoadedConnections, name?: string): Result<ConnectionConfig> {
  const wanted = name ?? loaded.defaultName;
  const found = loaded.connections.find((connection) => connection.name === wanted);
  if (found) {
    return ok(found);
  }
  const known = loaded.connections.map((connection) => connection.name);
  const where = loaded.files.length > 0 ? loaded.files.join(' and ') : `${loaded.configDir} (no config.toml or connections.toml there)`;
  return fail(
    snowflakeError(
      'config',
      known.length > 0
        ? `There is no connection "${wanted}" in ${where}; known: ${known.join(', ')}.`
        : `There are no Snowflake connections in ${where}. Add one with 'snow connection add' or write connections.toml.`,
    ),
  );
}

export function resolveConfigDir(env: NodeJS.ProcessEnv, options: { home: string; platform: NodeJS.Platform }): string {
  const pathApi = options.platform === 'win32' ? path.win32 : path.posix;
  const expand = (value: string): string => (value === '~' || value.startsWith('~/') || value.startsWith('~\\') ? pathApi.join(options.home, value.slice(1)) : value);
  const snowflakeHome = env['SNOWFLAKE_HOME'];
  if (snowflakeHome && isDirectory(expand(snowflakeHome))) {
    return expand(snowflakeHome);
  }
  const dotSnowflake = pathApi.join(options.home, '.snowflake');
  if (isDirectory(dotSnowflake)) {
    return dotSnowflake;
  }
  switch (options.platform) {
    case 'win32':
      return pathApi.join(env['LOCALAPPDATA'] ?? pathApi.join(options.home, 'AppData', 'Local'), 'snowflake');
    case 'darwin':
      return pathApi.join(options.home, 'Library', 'Application Support', 'snowflake');
    default: {
      const xdg = env['XDG_CONFIG_HOME'];
      return pathApi.join(xdg && xdg.trim() !== '' ? xdg : pathApi.join(options.home, '.config'), 'snowflake');
    }
  }
}

function buildConnection(name: string, table: Record<string, unknown>, source: string, allNames: readonly string[], env: NodeJS.ProcessEnv): ConnectionConfig {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(table)) {
    params[keyAliases[key] ?? key] = value;
  }
  const environment: string[] = [];
  const prefix = `SNOWFLAKE_CONNECTIONS_${name.toUpperCase()}_`;
  const longerPrefixes = allNames
    .filter((other) => other.length > name.length)
    .map((other) => `SNOWFLAKE_CONNECTIONS_${other.toUpperCase()}_`)
    .filter((other) => other.startsWith(prefix));
  for (const [variable, value] of Object.entries(env)) {
    if (value === undefined || !variable.startsWith(prefix) || variable.length === prefix.length || longerPrefixes.some((other) => variable.startsWith(other))) {
      continue;
    }
    const key = variable.slice(prefix.length).toLowerCase();
    params[keyAliases[key] ?? key] = value;
    environment.push(variable);
  }
  for (const key of genericEnvironmentKeys) {
    const variable = `SNOWFLAKE_${key.toUpperCase()}`;
    const value = env[variable];
    const target = keyAliases[key] ?? key;
    if (value && params[target] === undefined) {
      params[target] = value;
      environment.push(variable);
    }
  }
  if (params['private_key_file_pwd'] !== undefined) {
    params['private_key_passphrase'] ??= params['private_key_file_pwd'];
    delete params['private_key_file_pwd'];
  }
  const passphraseVariable = env['PRIVATE_KEY_PASSPHRASE'];
  if (passphraseVariable && params['private_key_passphrase'] === undefined && (params['private_key_file'] !== undefined || params['private_key_raw'] !== undefined)) {
    params['private_key_passphrase'] = passphraseVariable;
    environment.push('PRIVATE_KEY_PASSPHRASE');
  }
  return { name, source, params, environment };
}

function checkPermissions(file: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform, uid: number | undefined): Result<string[]> {
  if (platform === 'win32') {
    return ok([]);
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    return fail(snowflakeError('config', `Cannot read ${file}: ${(error as Error).message}`));
  }
  const mode = stat.mode & 0o777;
  const octal = mode.toString(8).padStart(3, '0');
  if ((mode & 0o022) !== 0) {
    return fail(
      snowflakeError(
        'config',
        `${file} is writable by group or others (permissions ${octal}); Snowflake tools refuse to read it because anyone could change the connection. Run 'chmod 0600 "${file}"'.`,
      ),
    );
  }
  const currentUid = uid ?? process.getuid?.();
  const wrongOwner = currentUid !== undefined && stat.uid !== 0 && stat.uid !== currentUid;
  const skip = (env['SF_SKIP_WARNING_FOR_READ_PERMISSIONS_ON_CONFIG_FILE'] ?? 'false').toLowerCase() === 'true';
  if (((mode & 0o044) !== 0 || wrongOwner) && !skip) {
    const problem = wrongOwner ? 'is owned by another user' : `is readable by group or others (permissions ${octal})`;
    return ok([`${file} ${problem}; it may hold secrets. Run 'chmod 0600 "${file}"' (or set SF_SKIP_WARNING_FOR_READ_PERMISSIONS_ON_CONFIG_FILE=true).`]);
  }
  return ok([]);
}

function parseToml(file: string): Result<Record<string, unknown>> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return fail(snowflakeError('config', `Cannot read ${file}: ${(error as Error).message}`));
  }
  return parseTomlText(text, file);
}

function parseTomlText(text: string, source: string): Result<Record<string, unknown>> {
  try {
    return ok(parse(text) as Record<string, unknown>);
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = (error.message.split('\n')[0] ?? error.message).replace(/^Invalid TOML document:\s*/, '');
      return fail(snowflakeError('config', `${source}:${error.line}:${error.column}: invalid TOML: ${reason}. Fix line ${error.line} of ${source}.`, { detail: error.message }));
    }
    return fail(snowflakeError('config', `${source}: cannot parse: ${String(error)}`));
  }
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && value.constructor?.name !== 'TomlDate';
}

function isDirectory(candidate: string): boolean {
  try {
    return fs.statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}
