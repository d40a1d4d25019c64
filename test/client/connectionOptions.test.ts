import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type * as SnowflakeSdk from 'snowflake-sdk';
import type { ConnectionConfig } from '../../client/src/snowflake/config';
import {
  buildConnectionOptions,
  proxyOptions,
  resolveAccessUrl,
  snowflakeHostname,
  type CredentialKind,
  type CredentialPrompter,
  type DriverConnectionOptions,
} from '../../client/src/snowflake/connectionOptions';
import type { Result } from '../../client/src/snowflake/result';
import { tokenCacheKey } from '../../client/src/snowflake/tokenCache';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spcs-options-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const plainPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const encryptedPem = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'key-pass' }).toString();
const pkcs1Pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
fs.writeFileSync(path.join(dir, 'plain.p8'), plainPem);
fs.writeFileSync(path.join(dir, 'encrypted.p8'), encryptedPem);
fs.writeFileSync(path.join(dir, 'pkcs1.pem'), pkcs1Pem);
fs.writeFileSync(path.join(dir, 'token.txt'), 'file-token\n');
fs.writeFileSync(path.join(dir, 'garbage.p8'), '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n');

function connection(params: Record<string, unknown>, name = 'dev'): ConnectionConfig {
  return { name, source: '/home/me/.snowflake/connections.toml', params, environment: [] };
}

class ScriptedPrompter implements CredentialPrompter {
  readonly asked: string[] = [];
  readonly forgotten: string[] = [];
  constructor(private readonly answers: Partial<Record<CredentialKind, string>>) {}
  ask(kind: CredentialKind, name: string): Promise<string | undefined> {
    this.asked.push(`${kind}:${name}`);
    return Promise.resolve(this.answers[kind]);
  }
  forget(kind: CredentialKind, name: string): Promise<void> {
    this.forgotten.push(`${kind}:${name}`);
    return Promise.resolve();
  }
}

function value(result: Result<DriverConnectionOptions>): DriverConnectionOptions {
  assert.ok(result.ok, result.ok ? '' : `${result.error.kind}: ${result.error.message}`);
  return result.value;
}

function error(result: Result<DriverConnectionOptions>) {
  assert.equal(result.ok, false);
  return result.ok ? assert.fail('expected a failure') : result.error;
}

const noEnv = { env: {} as NodeJS.ProcessEnv };

describe('buildConnectionOptions: common keys', { timeout: 10_000 }, () => {
  it('maps the snake_case keys and adds the layer defaults', async () => {
    const built = value(
      await buildConnectionOptions(
        connection({ account: 'SPCS_EMULATOR', user: 'DEMO_USER', password: 'pw', role: 'R', warehouse: 'WH', database: 'DB', schema: 'S', host: '127.0.0.1', port: 4567, protocol: 'http' }),
        noEnv,
      ),
    );
    assert.deepEqual(built.options, {
      account: 'SPCS_EMULATOR',
      username: 'DEMO_USER',
      authenticator: 'SNOWFLAKE',
      role: 'R',
      warehouse: 'WH',
      database: 'DB',
      schema: 'S',
      accessUrl: 'http://127.0.0.1:4567',
      password: 'pw',
      sfRetryMaxLoginRetries: 2,
      timeout: 60_000,
      clientSessionKeepAlive: true,
    });
    assert.equal(built.authenticator, 'SNOWFLAKE');
    assert.deepEqual(built.secrets, ['pw']);
    assert.equal(built.summary, 'account=SPCS_EMULATOR user=DEMO_USER authenticator=SNOWFLAKE url=http://127.0.0.1:4567');
  });
  it('coerces values that came from environment variables (strings) and passes unknown keys camelCased', async () => {
    const built = value(
      await buildConnectionOptions(
        connection({ account: 'a', user: 'u', password: '12345', port: '8080', host: 'h', protocol: 'http', client_session_keep_alive: 'false', query_tag: 'spcs', client_request_mfa_token: 'true', login_timeout: 5 }),
        noEnv,
      ),
    );
    assert.equal(built.options.password, '12345', 'secrets are never coerced');
    assert.equal(built.options.accessUrl, 'http://h:8080');
    assert.equal(built.options.clientSessionKeepAlive, false);
    assert.equal(built.options.queryTag, 'spcs');
    assert.equal(built.options.clientRequestMFAToken, true);
    assert.equal((built.options as Record<string, unknown>)['loginTimeout'], undefined, 'Python-only keys are dropped');
  });
  it('uses access_url as given, and the driver default host otherwise', async () => {
    assert.equal(value(await buildConnectionOptions(connection({ account: 'a', user: 'u', password: 'p', access_url: 'http://127.0.0.1:9/' }), noEnv)).options.accessUrl, 'http://127.0.0.1:9');
    const defaulted = value(await buildConnectionOptions(connection({ account: 'myorg-myacct', user: 'u', password: 'p' }), noEnv));
    assert.equal(defaulted.options.accessUrl, undefined);
    assert.match(defaulted.summary, /url=https:\/\/myorg-myacct\.snowflakecomputing\.com/);
  });
  it('lets the connection override the layer defaults', async () => {
    const built = value(await buildConnectionOptions(connection({ account: 'a', user: 'u', password: 'p', sf_retry_max_login_retries: 5, timeout: 1000 }), noEnv, { loginRetries: 0 }));
    assert.equal(built.options.sfRetryMaxLoginRetries, 5);
    assert.equal(built.options.timeout, 1000);
    assert.equal(value(await buildConnectionOptions(connection({ account: 'a', user: 'u', password: 'p' }), noEnv, { loginRetries: 0, requestTimeoutMs: 5 })).options.sfRetryMaxLoginRetries, 0);
  });
  it('reports missing and invalid settings as config errors naming the connection and file', async () => {
    const missingAccount = error(await buildConnectionOptions(connection({ user: 'u' }), noEnv));
    assert.equal(missingAccount.kind, 'config');
    assert.match(missingAccount.message, /'account' is missing in connection "dev" \(\/home\/me\/\.snowflake\/connections\.toml\)/);
    assert.match(error(await buildConnectionOptions(connection({ account: 'a', user: 'u', authenticator: 'magic' }), noEnv)).message, /Unknown authenticator "magic"/);
    assert.match(error(await buildConnectionOptions(connection({ account: 'a', user: 'u', password: 'p', port: 'eighty', host: 'h' }), noEnv)).message, /'port' must be a number/);
    assert.match(error(await buildConnectionOptions(connection({ account: 'a', password: 'p' }), noEnv)).message, /'user' is missing/);
  });
});

describe('buildConnectionOptions: password and MFA', { timeout: 10_000 }, () => {
  it('asks for a missing password and reports a cancelled prompt as auth', async () => {
    const prompter = new ScriptedPrompter({ password: 'typed' });
    const built = value(await buildConnectionOptions(connection({ account: 'a', user: 'u' }), { ...noEnv, prompter }));
    assert.equal(built.options.password, 'typed');
    assert.deepEqual(built.prompted, ['password']);
    assert.deepEqual(prompter.asked, ['password:dev']);
    const cancelled = error(await buildConnectionOptions(connection({ account: 'a', user: 'u' }), { ...noEnv, prompter: new ScriptedPrompter({}) }));
    assert.equal(cancelled.kind, 'auth');
    assert.match(cancelled.message, /No password for connection "dev"/);
  });
  it('MFA: asks for a passcode when no MFA token is cached and requests a token', async () => {
    const prompter = new ScriptedPrompter({ passcode: '123456' });
    const built = value(
      await buildConnectionOptions(connection({ account: 'a', user: 'Mfa_User', password: 'pw', authenticator: 'username_password_mfa', host: '127.0.0.1', port: 1, protocol: 'http' }), {
        ...noEnv,
        prompter,
        hasCachedToken: () => Promise.resolve(false),
      }),
    );
    assert.equal(built.authenticator, 'USERNAME_PASSWORD_MFA');
    assert.equal(built.options.passcode, '123456');
    assert.equal(built.options.clientRequestMFAToken, true);
    assert.deepEqual(built.secrets, ['pw', '123456']);
  });
  it('MFA: does not ask when the token cache holds a token for this host and user', async () => {
    const prompter = new ScriptedPrompter({ passcode: '123456' });
    const keys: string[] = [];
    const built = value(
      await buildConnectionOptions(connection({ account: 'a', user: 'Mfa_User', password: 'pw', authenticator: 'USERNAME_PASSWORD_MFA', access_url: 'http://127.0.0.1:7' }), {
        ...noEnv,
        prompter,
        hasCachedToken: (key) => {
          keys.push(key);
          return Promise.resolve(true);
        },
      }),
    );
    assert.equal(built.options.passcode, undefined);
    assert.deepEqual(prompter.asked, []);
    assert.deepEqual(keys, [tokenCacheKey('MfaToken', '127.0.0.1', 'mfa_user')]);
  });
  it('MFA: passcode_in_password and a configured passcode need no prompt; an empty answer means push', async () => {
    const inPassword = value(await buildConnectionOptions(connection({ account: 'a', user: 'u', password: 'pw123456', authenticator: 'USERNAME_PASSWORD_MFA', passcode_in_password: true }), noEnv));
    assert.equal(inPassword.options.passcodeInPassword, true);
    const configured = value(await buildConnectionOptions(connection({ account: 'a', user: 'u', password: 'pw', authenticator: 'USERNAME_PASSWORD_MFA', passcode: '654321' }), noEnv));
    assert.equal(configured.options.passcode, '654321');
    const push = value(await buildConnectionOptions(connection({ account: 'a', user: 'u', password: 'pw', authenticator: 'USERNAME_PASSWORD_MFA' }), { ...noEnv, prompter: new ScriptedPrompter({ passcode: '' }) }));
    assert.equal(push.options.passcode, undefined);
    const noToken = value(await buildConnectionOptions(connection({ account: 'a', user: 'u', password: 'pw', authenticator: 'USERNAME_PASSWORD_MFA', client_request_mfa_token: false, passcode: '1' }), noEnv));
    assert.equal(noToken.options.clientRequestMFAToken, false);
  });
});

describe('buildConnectionOptions: key pair', { timeout: 10_000 }, () => {
  const publicOf = (pem: string) => createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'pem' }).toString();

  it('reads an unencrypted key and infers SNOWFLAKE_JWT', async () => {
    const built = value(await buildConnectionOptions(connection({ account: 'a', user: 'u', private_key_file: path.join(dir, 'plain.p8') }), noEnv));
    assert.equal(built.authenticator, 'SNOWFLAKE_JWT');
    assert.equal(typeof built.options.privateKey, 'string');
    assert.match(built.options.privateKey ?? '', /^-----BEGIN PRIVATE KEY-----/);
    assert.equal(publicOf(built.options.privateKey ?? ''), publicPem);
    assert.equal(built.options.privateKeyPath, undefined);
    assert.equal(built.options.privateKeyPass, undefined);
    assert.ok(built.secrets.includes(built.options.privateKey ?? ''));
  });
  it('decrypts an encrypted PKCS#8 key with private_key_passphrase and passes it unencrypted', async () => {
    const built = value(await buildConnectionOptions(connection({ account: 'a', user: 'u', authenticator: 'SNOWFLAKE_JWT', private_key_file: path.join(dir, 'encrypted.p8'), private_key_passphrase: 'key-pass' }), noEnv));
    assert.match(built.options.privateKey ?? '', /^-----BEGIN PRIVATE KEY-----/);
    assert.equal(publicOf(built.options.privateKey ?? ''), publicPem);
    assert.ok(built.secrets.includes('key-pass'));
  });
  it('asks for the passphrase of an encrypted key, and says so when it is wrong', async () => {
    const prompter = new ScriptedPrompter({ passphrase: 'key-pass' });
    const built = value(await buildConnectionOptions(connection({ account: 'a', user: 'u', private_key_file: path.join(dir, 'encrypted.p8') }), { ...noEnv, prompter }));
    assert.deepEqual(built.prompted, ['passphrase']);
    assert.equal(publicOf(built.options.privateKey ?? ''), publicPem);
    const wrong = error(await buildConnectionOptions(connection({ account: 'a', user: 'u', private_key_file: path.join(dir, 'encrypted.p8'), private_key_passphrase: 'nope' }), noEnv));
    assert.equal(wrong.kind, 'auth');
    assert.match(wrong.message, /Could not decrypt the private key .*encrypted\.p8 of connection "dev".*wrong passphrase/);
    assert.doesNotMatch(wrong.message, /nope/);
    const missing = error(await buildConnectionOptions(connection({ account: 'a', user: 'u', private_key_file: path.join(dir, 'encrypted.p8') }), noEnv));
    assert.match(missing.message, /is encrypted: set private_key_passphrase \(or private_key_file_pwd\)/);
  });
  it('accepts PKCS#1 keys and private_key_raw (with \\n escapes), expands ~', async () => {
    const pkcs1 = value(await buildConnectionOptions(connection({ account: 'a', user: 'u', private_key_file: path.join(dir, 'pkcs1.pem') }), noEnv));
    assert.equal(publicOf(pkcs1.options.privateKey ?? ''), publicPem);
    const raw = value(await buildConnectionOptions(connection({ account: 'a', user: 'u', private_key_raw: encryptedPem.replace(/\n/g, '\\n'), private_key_passphrase: 'key-pass' }), noEnv));
    assert.equal(publicOf(raw.options.privateKey ?? ''), publicPem);
    const home = value(await buildConnectionOptions(connection({ account: 'a', user: 'u', private_key_file: '~/plain.p8' }), { ...noEnv, home: dir }));
    assert.equal(publicOf(home.options.privateKey ?? ''), publicPem);
  });
  it('reports unreadable or invalid key files and a key with the wrong authenticator', async () => {
    assert.match(error(await buildConnectionOptions(connection({ account: 'a', user: 'u', private_key_file: path.join(dir, 'missing.p8') }), noEnv)).message, /Cannot read private_key_file .*missing\.p8/);
    const garbage = error(await buildConnectionOptions(connection({ account: 'a', user: 'u', private_key_file: path.join(dir, 'garbage.p8') }), noEnv));
    assert.equal(garbage.kind, 'config');
    assert.match(error(await buildConnectionOptions(connection({ account: 'a', user: 'u', authenticator: 'snowflake', password: 'p', private_key_file: path.join(dir, 'plain.p8') }), noEnv)).message, /needs authenticator = "SNOWFLAKE_JWT"/);
  });
});

describe('buildConnectionOptions: tokens and the browser', { timeout: 10_000 }, () => {
  it('OAUTH and PAT take token, token_file_path, or a prompt', async () => {
    const oauth = value(await buildConnectionOptions(connection({ account: 'a', user: 'u', authenticator: 'oauth', token: 'access-token' }), noEnv));
    assert.equal(oauth.options.token, 'access-token');
    assert.equal(oauth.options.password, undefined);
    const fromFile = value(await buildConnectionOptions(connection({ account: 'a', authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token_file_path: path.join(dir, 'token.txt') }), noEnv));
    assert.equal(fromFile.options.token, 'file-token');
    assert.deepEqual(fromFile.secrets, ['file-token']);
    const patAsPassword = value(await buildConnectionOptions(connection({ account: 'a', user: 'u', authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', password: 'pat-secret' }), noEnv));
    assert.equal(patAsPassword.options.token, 'pat-secret');
    const prompted = value(await buildConnectionOptions(connection({ account: 'a', user: 'u', authenticator: 'programmatic_access_token' }), { ...noEnv, prompter: new ScriptedPrompter({ token: 'typed-pat' }) }));
    assert.equal(prompted.options.token, 'typed-pat');
    assert.deepEqual(prompted.prompted, ['token']);
    assert.equal(error(await buildConnectionOptions(connection({ account: 'a', user: 'u', authenticator: 'OAUTH' }), noEnv)).kind, 'auth');
  });
  it('EXTERNALBROWSER caches the ID token, opens the browser through the callback and uses console login on http', async () => {
    const opened: string[] = [];
    const built = value(
      await buildConnectionOptions(connection({ account: 'a', user: 'u', authenticator: 'externalbrowser', access_url: 'http://127.0.0.1:5' }), {
        ...noEnv,
        openBrowser: (url) => {
          opened.push(url);
        },
      }),
    );
    assert.equal(built.authenticator, 'EXTERNALBROWSER');
    assert.equal(built.options.clientStoreTemporaryCredential, true);
    assert.equal(built.options.disableConsoleLogin, false);
    assert.equal(built.options.password, undefined);
    built.options.openExternalBrowserCallback?.('https://127.0.0.1/console/login?x=1');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(opened, ['https://127.0.0.1/console/login?x=1']);
    const real = value(await buildConnectionOptions(connection({ account: 'a', user: 'u', authenticator: 'EXTERNALBROWSER', client_store_temporary_credential: false }), noEnv));
    assert.equal(real.options.disableConsoleLogin, undefined, 'real accounts keep the driver default');
    assert.equal(real.options.clientStoreTemporaryCredential, false);
  });
});

describe('access URL, host names and proxies', { timeout: 10_000 }, () => {
  it('builds the access URL from host/port/protocol', () => {
    assert.equal(resolveAccessUrl(undefined, 'h', 443, 'https'), 'https://h');
    assert.equal(resolveAccessUrl(undefined, 'h', 80, 'HTTP'), 'http://h');
    assert.equal(resolveAccessUrl(undefined, '::1', 9, 'http'), 'http://[::1]:9');
    assert.equal(resolveAccessUrl(undefined, undefined, undefined, undefined), undefined);
    assert.equal(resolveAccessUrl(undefined, undefined, 9, undefined), null);
    assert.equal(resolveAccessUrl(undefined, 'h', undefined, 'ftp'), null);
  });
  it('derives the host the driver would use', () => {
    assert.equal(snowflakeHostname('myorg-acct', undefined), 'myorg-acct.snowflakecomputing.com');
    assert.equal(snowflakeHostname('xy12345.us-east-1', undefined), 'xy12345.us-east-1.snowflakecomputing.com');
    assert.equal(snowflakeHostname('xy12345', 'cn-north-1'), 'xy12345.cn-north-1.snowflakecomputing.cn');
  });
  it('takes proxies from the environment but never for loopback or NO_PROXY hosts', () => {
    const env = { HTTPS_PROXY: 'http://user:p%40ss@proxy.corp:3128', no_proxy: '.internal.corp,localhost' };
    assert.deepEqual(proxyOptions('https://acct.snowflakecomputing.com', env), {
      proxyHost: 'proxy.corp',
      proxyPort: 3128,
      proxyProtocol: 'http',
      proxyUser: 'user',
      proxyPassword: 'p@ss',
      noProxy: '.internal.corp|localhost',
    });
    assert.deepEqual(proxyOptions('http://127.0.0.1:8080', { HTTP_PROXY: 'http://proxy:1' }), {});
    assert.deepEqual(proxyOptions('http://localhost:8080', { HTTP_PROXY: 'http://proxy:1' }), {});
    assert.deepEqual(proxyOptions('https://a.internal.corp', env), {});
    assert.deepEqual(proxyOptions('https://acct.snowflakecomputing.com', {}), {});
  });
  it('adds the proxy password to the secrets', async () => {
    const built = value(await buildConnectionOptions(connection({ account: 'a', user: 'u', password: 'p' }), { env: { HTTPS_PROXY: 'http://u:proxy-secret@proxy:8080' } }));
    assert.equal(built.options.proxyHost, 'proxy');
    assert.ok(built.secrets.includes('proxy-secret'));
    assert.doesNotMatch(built.summary, /proxy-secret/);
  });
});

describe('the options are accepted by the real driver', { timeout: 20_000 }, () => {
  it('creates connections for every authenticator without validation errors', async () => {
    process.env['SNOWFLAKE_DISABLE_PLATFORM_DETECTION'] ??= 'true';
    const imported = (await import('snowflake-sdk')) as unknown as { default?: typeof SnowflakeSdk } & typeof SnowflakeSdk;
    const driver = imported.default ?? imported;
    driver.configure({ logLevel: 'OFF' });
    const base = { account: 'SPCS_EMULATOR', user: 'DEMO_USER', access_url: 'http://127.0.0.1:9' };
    const configs = [
      { ...base, password: 'p' },
      { ...base, password: 'p', authenticator: 'USERNAME_PASSWORD_MFA', passcode: '123456' },
      { ...base, private_key_file: path.join(dir, 'encrypted.p8'), private_key_file_pwd: 'key-pass', private_key_passphrase: 'key-pass' },
      { ...base, authenticator: 'OAUTH', token: 't' },
      { ...base, authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: 't' },
      { ...base, authenticator: 'EXTERNALBROWSER' },
    ];
    for (const params of configs) {
      const built = value(await buildConnectionOptions(connection(params), { ...noEnv, openBrowser: () => undefined }));
      assert.doesNotThrow(() => driver.createConnection({ ...built.options }), built.authenticator);
    }
  });
});
