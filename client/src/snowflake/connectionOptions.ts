/**
 * Turns a `ConnectionConfig` (snake_case keys as in connections.toml) into `snowflake-sdk`
 * `ConnectionOptions`, resolving everything the driver would otherwise read or ask for itself:
 * private-key files (decrypted here with node:crypto and passed as an unencrypted PKCS#8 PEM), token
 * files, the access URL (host/port/protocol), proxies from the environment, and secrets the file does
 * not hold (asked through the injected `CredentialPrompter`).
 *
 * What this layer adds to every connection, and why:
 * - `sfRetryMaxLoginRetries: 2` (driver default 7 with a 300 s budget): three login attempts with
 *   ~1–4 s jittered backoff. A blip still recovers, while a wrong host or a dead emulator is reported
 *   in seconds instead of minutes, which is what an interactive editor needs.
 * - `timeout: 60000` ms per HTTP request (default 90 s); statements are bounded separately by
 *   `SnowflakeSessions.execute`.
 * - `clientSessionKeepAlive: true`: an hourly heartbeat keeps the session while VS Code is open
 *   (`dispose()` destroys sessions, which stops it).
 * - MFA: `clientRequestMFAToken: true`, so Snowflake returns an MFA token that the token cache keeps;
 *   the passcode is asked only when no token is cached. EXTERNALBROWSER:
 *   `clientStoreTemporaryCredential: true` (ID token cached) and `openExternalBrowserCallback`.
 *   Either can be switched off with `client_request_mfa_token = false` /
 *   `client_store_temporary_credential = false` in the connection.
 * - On a plain-http access URL (the local emulator) EXTERNALBROWSER uses the console-login flow
 *   (`disableConsoleLogin: false`): the driver's SSO-URL request is hard-wired to https:443.
 *
 * Pure of `vscode`. Secrets never go into `summary`; every secret is listed in `secrets` so the
 * caller can redact them from anything it logs.
 *
 * Over 400 lines on purpose: one translation of a connection, every key beside the others it interacts with.
 */

import { createPrivateKey, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConnectionOptions } from 'snowflake-sdk';
import type { ConnectionConfig } from './config';
import { snowflakeError } from './errors';
import { fail, ok, type Result } from './result';
import { tokenCacheKey } from './tokenCache';

export type CredentialKind = 'password' | 'passcode' | 'passphrase' | 'token';

/** Asks the user for a secret the connection files do not hold (VS Code: an input box + SecretStorage). */
export interface CredentialPrompter {
  /** The secret, or `undefined` when the user cancelled. An empty passcode means "use Duo push". */
  ask(kind: CredentialKind, connectionName: string): Promise<string | undefined>;
  /** Drops a stored secret that Snowflake rejected, so the next `ask` prompts again. */
  forget?(kind: CredentialKind, connectionName: string): Promise<void>;
}

export interface OptionsDependencies {
  readonly prompter?: CredentialPrompter;
  /** Opens the SSO URL for EXTERNALBROWSER (VS Code: `vscode.env.openExternal`). */
  readonly openBrowser?: (url: string) => void | Promise<void>;
  /** Whether the token cache holds a token (decides whether an MFA passcode must be asked). */
  readonly hasCachedToken?: (key: string) => Promise<boolean>;
  /** For proxies (`HTTPS_PROXY`, `NO_PROXY`, …); defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** For `~` in file paths; defaults to `os.homedir()`. */
  readonly home?: string;
}

export interface LayerDefaults {
  readonly loginRetries?: number;
  readonly requestTimeoutMs?: number;
}

export interface DriverConnectionOptions {
  readonly options: ConnectionOptions;
  /** The authenticator in its canonical uppercase form (or an Okta URL). */
  readonly authenticator: string;
  /** Every secret in `options`, for redaction. */
  readonly secrets: readonly string[];
  /** Secrets obtained from the prompter (to `forget` when Snowflake rejects them). */
  readonly prompted: readonly CredentialKind[];
  /** A log-safe one-liner: account, user, authenticator, URL. */
  readonly summary: string;
}

export const defaultLoginRetries = 2;
export const defaultRequestTimeoutMs = 60_000;

const authenticatorAliases: Readonly<Record<string, string>> = {
  SNOWFLAKE: 'SNOWFLAKE',
  USERNAME_PASSWORD_MFA: 'USERNAME_PASSWORD_MFA',
  SNOWFLAKE_JWT: 'SNOWFLAKE_JWT',
  OAUTH: 'OAUTH',
  PROGRAMMATIC_ACCESS_TOKEN: 'PROGRAMMATIC_ACCESS_TOKEN',
  PAT: 'PROGRAMMATIC_ACCESS_TOKEN',
  EXTERNALBROWSER: 'EXTERNALBROWSER',
  OAUTH_AUTHORIZATION_CODE: 'OAUTH_AUTHORIZATION_CODE',
  OAUTH_CLIENT_CREDENTIALS: 'OAUTH_CLIENT_CREDENTIALS',
  WORKLOAD_IDENTITY: 'WORKLOAD_IDENTITY',
};

/** Keys resolved here; everything else is passed through camelCased, as the driver's own normalizer does. */
const handledKeys: ReadonlySet<string> = new Set([
  'account', 'user', 'username', 'password', 'authenticator', 'role', 'warehouse', 'database', 'schema', 'host', 'port', 'protocol',
  'access_url', 'region', 'private_key_file', 'private_key_path', 'private_key_raw', 'private_key_passphrase', 'private_key_file_pwd', 'private_key', 'token', 'token_file_path',
  'passcode', 'passcode_in_password', 'client_store_temporary_credential', 'client_request_mfa_token', 'disable_console_login',
  'browser_action_timeout', 'timeout', 'sf_retry_max_login_retries',
]);

/** Python-connector / CLI keys with no meaning for the Node driver. */
const ignoredKeys: ReadonlySet<string> = new Set([
  'login_timeout', 'network_timeout', 'socket_timeout', 'ocsp_fail_open', 'insecure_mode', 'session_parameters', 'using_session_keep_alive',
  'session_token', 'master_token', 'application_name', 'internal_application_name', 'internal_application_version', 'oauth_security_features',
]);

const camelOverrides: Readonly<Record<string, string>> = {
  client_request_mfa_token: 'clientRequestMFAToken',
  disable_saml_url_check: 'disableSamlURLCheck',
  crl_allow_certificates_without_crl_url: 'crlAllowCertificatesWithoutCrlURL',
};

export async function buildConnectionOptions(config: ConnectionConfig, deps: OptionsDependencies = {}, defaults: LayerDefaults = {}): Promise<Result<DriverConnectionOptions>> {
  const params = config.params;
  const name = config.name;
  const env = deps.env ?? process.env;
  const home = deps.home ?? os.homedir();
  const secrets: string[] = [];
  const prompted: CredentialKind[] = [];
  const where = `connection "${name}" (${config.source})`;
  const configError = (message: string): Result<DriverConnectionOptions> => fail(snowflakeError('config', `${message} in ${where}.`));

  const text = (key: string): string | undefined => {
    const value = params[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return undefined;
  };
  const flag = (key: string): boolean | undefined => {
    const value = params[key];
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|false|1|0|yes|no|on|off)$/i.test(value.trim())) return /^(true|1|yes|on)$/i.test(value.trim());
    return undefined;
  };
  const integer = (key: string): number | undefined | null => {
    const value = params[key];
    if (value === undefined) return undefined;
    const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    return Number.isInteger(parsed) ? parsed : null;
  };
  const askFor = async (kind: CredentialKind): Promise<string | undefined> => {
    if (!deps.prompter) return undefined;
    const answer = await deps.prompter.ask(kind, name);
    if (answer !== undefined) prompted.push(kind);
    return answer;
  };
  const secret = (value: string | undefined): string | undefined => {
    if (value) secrets.push(value);
    return value;
  };

  const account = text('account');
  if (!account) {
    return configError("'account' is missing");
  }
  const rawAuthenticator = text('authenticator');
  // Aliases, for configs not read by loadConnections (which resolves them already).
  const keyFile = text('private_key_file') ?? text('private_key_path');
  const keyPassphrase = text('private_key_passphrase') ?? text('private_key_file_pwd');
  const hasKey = keyFile !== undefined || text('private_key_raw') !== undefined;
  let authenticator = rawAuthenticator === undefined ? (hasKey ? 'SNOWFLAKE_JWT' : 'SNOWFLAKE') : (authenticatorAliases[rawAuthenticator.toUpperCase()] ?? rawAuthenticator);
  if (/^https?:\/\//i.test(authenticator)) {
    authenticator = rawAuthenticator ?? authenticator; // native Okta: the URL itself
  } else if (!(authenticator in authenticatorAliases)) {
    return configError(`Unknown authenticator "${rawAuthenticator ?? ''}"`);
  }
  if (hasKey && authenticator !== 'SNOWFLAKE_JWT') {
    return configError(`A private key is set but the authenticator is ${authenticator}; key-pair authentication needs authenticator = "SNOWFLAKE_JWT"`);
  }

  const options: Record<string, unknown> = { account };
  const user = text('user') ?? text('username');
  if (user !== undefined) options['username'] = user;
  options['authenticator'] = authenticator;
  for (const key of ['role', 'warehouse', 'database', 'schema'] as const) {
    const value = text(key);
    if (value !== undefined) options[key] = value;
  }

  // Where to connect: access_url, or host/port/protocol, or (driver default) <account>.snowflakecomputing.com.
  const accessUrl = resolveAccessUrl(text('access_url'), text('host'), integer('port'), text('protocol'));
  if (accessUrl === null) {
    return configError("'port' must be a number and 'protocol' http or https");
  }
  if (accessUrl !== undefined) options['accessUrl'] = accessUrl;
  const region = text('region');
  if (region !== undefined && accessUrl === undefined) options['region'] = region;
  const host = accessUrl !== undefined ? new URL(accessUrl).hostname : snowflakeHostname(account, region);

  // Credentials, per authenticator.
  if (authenticator === 'SNOWFLAKE' || authenticator === 'USERNAME_PASSWORD_MFA' || /^https?:/i.test(authenticator)) {
    if (!user) return configError("'user' is missing");
    const password = secret(text('password') ?? (await askFor('password')));
    if (password === undefined) {
      return fail(snowflakeError('auth', `No password for ${where}: set 'password' in the connection or enter it when asked.`));
    }
    options['password'] = password;
  }
  if (authenticator === 'USERNAME_PASSWORD_MFA') {
    const requestToken = flag('client_request_mfa_token') ?? true;
    options['clientRequestMFAToken'] = requestToken;
    const passcodeInPassword = flag('passcode_in_password') ?? false;
    if (passcodeInPassword) {
      options['passcodeInPassword'] = true;
    } else {
      let passcode = text('passcode');
      const key = tokenCacheKey('MfaToken', host, user);
      const cached = requestToken && key !== undefined && deps.hasCachedToken ? await deps.hasCachedToken(key) : false;
      if (passcode === undefined && !cached) {
        passcode = await askFor('passcode');
      }
      if (passcode) options['passcode'] = secret(passcode);
    }
  }
  if (authenticator === 'SNOWFLAKE_JWT') {
    if (!user) return configError("'user' is missing");
    const key = await loadPrivateKey(keyFile, text('private_key_raw'), keyPassphrase, home, askFor, where);
    if (!key.ok) return key;
    options['privateKey'] = secret(key.value);
    if (keyPassphrase) secrets.push(keyPassphrase);
  }
  if (authenticator === 'OAUTH' || authenticator === 'PROGRAMMATIC_ACCESS_TOKEN') {
    let token = text('token');
    const tokenFile = text('token_file_path');
    if (token === undefined && tokenFile !== undefined) {
      try {
        token = (await fs.readFile(expandHome(tokenFile, home), 'utf8')).trim();
      } catch (error) {
        return configError(`Cannot read token_file_path ${tokenFile}: ${(error as Error).message}`);
      }
    }
    if (token === undefined && authenticator === 'PROGRAMMATIC_ACCESS_TOKEN' && text('password') !== undefined) {
      token = text('password');
    }
    token ??= await askFor('token');
    if (!token) {
      return fail(snowflakeError('auth', `No ${authenticator === 'OAUTH' ? 'OAuth token' : 'programmatic access token'} for ${where}: set 'token' or 'token_file_path', or enter it when asked.`));
    }
    options['token'] = secret(token);
    if (user !== undefined) options['username'] = user;
  }
  if (authenticator === 'EXTERNALBROWSER') {
    options['clientStoreTemporaryCredential'] = flag('client_store_temporary_credential') ?? true;
    if (deps.openBrowser) {
      const open = deps.openBrowser;
      options['openExternalBrowserCallback'] = (url: string): void => {
        void Promise.resolve()
          .then(() => open(url))
          .catch(() => undefined);
      };
    }
    const disableConsoleLogin = flag('disable_console_login');
    if (disableConsoleLogin !== undefined) {
      options['disableConsoleLogin'] = disableConsoleLogin;
    } else if (accessUrl?.startsWith('http://')) {
      options['disableConsoleLogin'] = false;
    }
    const browserTimeout = integer('browser_action_timeout');
    if (typeof browserTimeout === 'number') options['browserActionTimeout'] = browserTimeout;
  }
  const requestMfaToken = flag('client_request_mfa_token');
  if (requestMfaToken !== undefined && options['clientRequestMFAToken'] === undefined) {
    options['clientRequestMFAToken'] = requestMfaToken;
  }
  const storeTemporary = flag('client_store_temporary_credential');
  if (storeTemporary !== undefined && options['clientStoreTemporaryCredential'] === undefined) {
    options['clientStoreTemporaryCredential'] = storeTemporary;
  }

  // Everything else the file says, camelCased like snowflake-sdk's normalizeConnectionOptions.
  for (const [key, value] of Object.entries(params)) {
    if (handledKeys.has(key) || ignoredKeys.has(key) || value === undefined) continue;
    const camel = camelOverrides[key] ?? key.replace(/_([a-z0-9])/g, (_, char: string) => char.toUpperCase());
    options[camel] = coerce(value);
  }
  const proxy = proxyOptions(accessUrl ?? `https://${host}`, env);
  Object.assign(options, proxy);
  if (typeof proxy['proxyPassword'] === 'string') secrets.push(proxy['proxyPassword']);

  // What this layer adds (see the header).
  options['sfRetryMaxLoginRetries'] = integer('sf_retry_max_login_retries') ?? defaults.loginRetries ?? defaultLoginRetries;
  options['timeout'] = integer('timeout') ?? defaults.requestTimeoutMs ?? defaultRequestTimeoutMs;
  options['clientSessionKeepAlive'] ??= true;

  const summary = `account=${account} user=${user ?? '(none)'} authenticator=${authenticator} url=${accessUrl ?? `https://${host}`}`;
  return ok<DriverConnectionOptions>({ options, authenticator, secrets, prompted, summary });
}

/** The access URL from `access_url`, or from host/port/protocol; `undefined` = the driver's default; `null` = invalid. */
export function resolveAccessUrl(accessUrl: string | undefined, host: string | undefined, port: number | undefined | null, protocol: string | undefined): string | undefined | null {
  if (port === null || (protocol !== undefined && !/^https?$/i.test(protocol))) {
    return null;
  }
  if (accessUrl !== undefined) {
    try {
      return new URL(accessUrl).toString().replace(/\/$/, '');
    } catch {
      return null;
    }
  }
  if (host === undefined && port === undefined && protocol === undefined) {
    return undefined;
  }
  if (host === undefined) {
    return null;
  }
  const scheme = (protocol ?? 'https').toLowerCase();
  const portText = port === undefined || (scheme === 'https' && port === 443) || (scheme === 'http' && port === 80) ? '' : `:${port}`;
  const hostText = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${scheme}://${hostText}${portText}`;
}

/** The host the driver derives from `account` (and region) when no URL is given. */
export function snowflakeHostname(account: string, region: string | undefined): string {
  const dot = account.indexOf('.');
  const name = dot > 0 ? account.slice(0, dot) : account;
  const realRegion = region ?? (dot > 0 ? account.slice(dot + 1) : undefined);
  if (realRegion === undefined || realRegion === '' || realRegion === 'us-west-2') {
    return `${name}.snowflakecomputing.com`;
  }
  return `${name}.${realRegion}.snowflakecomputing.${/^cn-/i.test(realRegion) ? 'cn' : 'com'}`;
}

/** Whether a host is this machine: traffic to it never goes through a proxy. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare.endsWith('.localhost') || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

/**
 * Proxy options from `HTTPS_PROXY`/`HTTP_PROXY` (lowercase too) and `NO_PROXY`, resolved here rather
 * than by the driver (which is configured with `useEnvProxy: false`) so that loopback addresses (the
 * emulator) never go through a proxy while real accounts still do.
 */
export function proxyOptions(url: string, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const target = new URL(url);
  const read = (name: string): string | undefined => env[name.toLowerCase()] ?? env[name.toUpperCase()];
  const proxyText = target.protocol === 'https:' ? (read('https_proxy') ?? read('http_proxy')) : read('http_proxy');
  const noProxy = (read('no_proxy') ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (!proxyText || isLoopback(target.hostname) || bypasses(target.hostname, noProxy)) {
    return {};
  }
  let proxy: URL;
  try {
    proxy = new URL(proxyText.includes('://') ? proxyText : `http://${proxyText}`);
  } catch {
    return {};
  }
  const result: Record<string, unknown> = {
    proxyHost: proxy.hostname,
    proxyPort: Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80)),
    proxyProtocol: proxy.protocol.replace(':', ''),
  };
  if (proxy.username) result['proxyUser'] = decodeURIComponent(proxy.username);
  if (proxy.password) result['proxyPassword'] = decodeURIComponent(proxy.password);
  if (noProxy.length > 0) result['noProxy'] = noProxy.join('|');
  return result;
}

function bypasses(host: string, noProxy: readonly string[]): boolean {
  return noProxy.some((entry) => {
    if (entry === '*') return true;
    const bare = entry.replace(/^\*?\./, '').replace(/:\d+$/, '').toLowerCase();
    return host.toLowerCase() === bare || host.toLowerCase().endsWith(`.${bare}`);
  });
}

/**
 * Reads (`private_key_file`) or takes (`private_key_raw`) a PEM or DER private key, decrypts it with
 * the passphrase (asked when the key is encrypted and none is configured) and returns it as an
 * unencrypted PKCS#8 PEM, which is what the driver signs its JWT with.
 */
async function loadPrivateKey(
  file: string | undefined,
  raw: string | undefined,
  configuredPassphrase: string | undefined,
  home: string,
  askFor: (kind: CredentialKind) => Promise<string | undefined>,
  where: string,
): Promise<Result<string>> {
  let material: Buffer;
  const label = file ?? 'private_key_raw';
  if (file !== undefined) {
    try {
      material = await fs.readFile(expandHome(file, home));
    } catch (error) {
      return fail(snowflakeError('config', `Cannot read private_key_file ${file} of ${where}: ${(error as Error).message}`));
    }
  } else {
    material = Buffer.from((raw ?? '').replace(/\\n/g, '\n'), 'utf8');
  }
  const pem = material.toString('utf8');
  const isPem = pem.includes('-----BEGIN');
  const encrypted = isPem ? /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(pem) : false;
  let passphrase = configuredPassphrase;
  if (encrypted && passphrase === undefined) {
    passphrase = await askFor('passphrase');
    if (passphrase === undefined) {
      return fail(snowflakeError('auth', `The private key ${label} of ${where} is encrypted: set private_key_passphrase (or private_key_file_pwd) or enter the passphrase when asked.`));
    }
  }
  let key: KeyObject;
  try {
    key = isPem
      ? createPrivateKey({ key: pem, format: 'pem', ...(encrypted ? { passphrase } : {}) })
      : createPrivateKey({ key: material, format: 'der', type: 'pkcs8', ...(passphrase !== undefined ? { passphrase } : {}) });
  } catch (error) {
    const reason = (error as Error).message;
    if (encrypted || /decrypt|passphrase|bad/i.test(reason)) {
      return fail(snowflakeError('auth', `Could not decrypt the private key ${label} of ${where}: wrong passphrase? (${reason})`));
    }
    return fail(snowflakeError('config', `${label} of ${where} is not a PKCS#8/PKCS#1 private key: ${reason}`));
  }
  if (key.asymmetricKeyType !== 'rsa') {
    return fail(snowflakeError('config', `${label} of ${where} is a ${key.asymmetricKeyType ?? 'non-RSA'} key; Snowflake key-pair authentication needs an RSA key.`));
  }
  return ok(key.export({ type: 'pkcs8', format: 'pem' }).toString());
}

function expandHome(file: string, home: string): string {
  return file === '~' || file.startsWith('~/') || file.startsWith('~\\') ? path.join(home, file.slice(1)) : file;
}

function coerce(value: unknown): unknown {
  if (typeof value === 'string') {
    if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
    if (/^\d+$/.test(value) && value.length < 16) return Number(value);
  }
  return value;
}
