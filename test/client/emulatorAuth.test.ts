/**
 * Every authenticator through the layer, with the real driver against the emulator: password (the
 * connection the emulator's CLI prints), PAT, OAuth token, key pair with an encrypted key, MFA
 * passcode with token caching, and EXTERNALBROWSER with the ID token cache. Plus the classified
 * errors of wrong credentials, a missing privilege and a missing object.
 */

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { emulatorBrowser } from '../emulator/externalBrowser';
import * as sql from '../../client/src/snowflake/sql';
import { tokenCacheKey } from '../../client/src/snowflake/tokenCache';
import { column, failure, harness, printedConnection, value } from './emulatorHarness';

const viewerUser = { name: 'SSO_TESTER', roles: ['SPCS_VIEWER'], defaultRole: 'SPCS_VIEWER', defaultWarehouse: 'DEMO_WH', defaultDatabase: 'SPCS_DEMO', defaultSchema: 'PUBLIC' } as const;

function section(name: string, emulatorUrl: string, keys: Record<string, string>): string {
  const lines = [`[${name}]`, 'account = "SPCS_EMULATOR"', `access_url = "${emulatorUrl}"`];
  for (const [key, text] of Object.entries(keys)) lines.push(`${key} = ${JSON.stringify(text)}`);
  return lines.join('\n');
}

describe('authenticators (real driver, emulator)', { timeout: 60_000 }, () => {
  it('password: the printed connection logs in and lists the compute pools; the driver loads on first use', async (t) => {
    const h = await harness(t);
    assert.equal(h.sessions.driverLoaded, false);
    const pools = value(await h.sessions.execute(printedConnection, sql.showComputePools(), { timeoutMs: 10_000 }));
    assert.equal(h.sessions.driverLoaded, true);
    assert.deepEqual(column(pools, 'name'), ['DEMO_CPU_POOL', 'DEMO_GPU_POOL', 'SUSPENDED_POOL']);
    assert.deepEqual(column(pools, 'instance_family'), ['CPU_X64_S', 'GPU_NV_M', 'CPU_X64_XS']);
    // The session is reused: one login for several statements.
    value(await h.sessions.execute(printedConnection, sql.showServices(), { timeoutMs: 10_000 }));
    const info = value(await h.sessions.get(printedConnection));
    assert.equal(info.role, 'SPCS_DEVELOPER');
    assert.equal(h.requests('/session/v1/login-request').length, 1);
    assert.ok(h.log.length > 20, 'the driver logged at TRACE level');
    assert.ok(!h.log.some((line) => line.includes('demo-password-1')), 'the password never reaches the log');
    const tokens = h.emulator.sessions.active.flatMap((session) => [session.sessionToken, session.masterToken]);
    assert.ok(tokens.length >= 2);
    assert.ok(!h.log.some((line) => tokens.some((token) => line.includes(token))), 'session and master tokens never reach the log');
  });

  it('PAT and OAuth tokens (inline and from token_file_path)', async (t) => {
    const h = await harness(t);
    h.account.control.addUser({ ...viewerUser, name: 'TOKEN_USER', programmaticAccessTokens: ['pat-secret-0001'], oauthTokens: ['oauth-secret-0001'] });
    const tokenFile = path.join(h.home, 'oauth-token');
    fs.writeFileSync(tokenFile, 'oauth-secret-0001\n', { mode: 0o600 });
    h.addConnections(
      [
        section('pat', h.emulator.url, { user: 'TOKEN_USER', authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: 'pat-secret-0001' }),
        section('oauth', h.emulator.url, { user: 'TOKEN_USER', authenticator: 'oauth', token: 'oauth-secret-0001' }),
        section('oauth_file', h.emulator.url, { user: 'TOKEN_USER', authenticator: 'OAUTH', token_file_path: tokenFile }),
        section('bad_pat', h.emulator.url, { user: 'TOKEN_USER', authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: 'pat-wrong-0001' }),
      ].join('\n'),
    );
    for (const name of ['pat', 'oauth', 'oauth_file']) {
      const result = value(await h.sessions.execute(name, 'SELECT CURRENT_USER()', { timeoutMs: 10_000 }));
      assert.deepEqual(result.rows.map((row) => Object.values(row)[0]), ['TOKEN_USER'], name);
    }
    const rejected = failure(await h.sessions.get('bad_pat'));
    assert.equal(rejected.kind, 'auth');
    assert.equal(rejected.code, '394400');
    assert.ok(!h.log.some((line) => /pat-secret-0001|oauth-secret-0001|pat-wrong-0001/.test(line)), 'tokens never reach the log');
  });

  it('key pair: an encrypted PKCS#8 key registered on the user, passphrase from the file or asked', async (t) => {
    const h = await harness(t);
    const pair = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'key-passphrase-1' },
    });
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    h.account.control.addUser({ ...viewerUser, name: 'KEY_USER', rsaPublicKeys: [pair.publicKey] });
    const keyFile = path.join(h.home, 'rsa_key.p8');
    const strangerFile = path.join(h.home, 'stranger.p8');
    fs.writeFileSync(keyFile, pair.privateKey, { mode: 0o600 });
    fs.writeFileSync(strangerFile, stranger.privateKey, { mode: 0o600 });
    h.addConnections(
      [
        section('jwt', h.emulator.url, { user: 'KEY_USER', authenticator: 'SNOWFLAKE_JWT', private_key_file: keyFile, private_key_file_pwd: 'key-passphrase-1' }),
        section('jwt_ask', h.emulator.url, { user: 'KEY_USER', private_key_file: keyFile }),
        section('jwt_stranger', h.emulator.url, { user: 'KEY_USER', private_key_file: strangerFile }),
      ].join('\n'),
    );
    h.prompter.answers.set('passphrase:jwt_ask', 'key-passphrase-1');
    for (const name of ['jwt', 'jwt_ask']) {
      const result = value(await h.sessions.execute(name, 'SELECT CURRENT_USER()', { timeoutMs: 10_000 }));
      assert.deepEqual(result.rows.map((row) => Object.values(row)[0]), ['KEY_USER'], name);
    }
    assert.deepEqual(h.prompter.asked, ['passphrase:jwt_ask']);
    const rejected = failure(await h.sessions.get('jwt_stranger'));
    assert.equal(rejected.kind, 'auth');
    assert.equal(rejected.code, '390144');
    assert.match(rejected.message, /RSA_PUBLIC_KEY/);
  });

  it('MFA: the passcode is asked once, the MFA token is cached and used by the next login', async (t) => {
    const h = await harness(t);
    h.account.control.addUser({ ...viewerUser, name: 'MFA_USER', password: 'mfa-password-1', mfaPasscode: '246810' });
    h.addConnections(
      [
        section('mfa', h.emulator.url, { user: 'MFA_USER', password: 'mfa-password-1', authenticator: 'username_password_mfa' }),
        section('mfa_wrong', h.emulator.url, { user: 'MFA_USER', password: 'mfa-password-1', authenticator: 'USERNAME_PASSWORD_MFA', passcode: '000000' }),
      ].join('\n'),
    );
    h.prompter.answers.set('passcode:mfa', '246810');
    value(await h.sessions.execute('mfa', 'SELECT 1', { timeoutMs: 10_000 }));
    assert.deepEqual(h.prompter.asked, ['passcode:mfa']);
    const key = tokenCacheKey('MfaToken', '127.0.0.1', 'MFA_USER');
    assert.ok(key !== undefined && (await h.tokenCache.read(key)) !== null, 'the driver stored the MFA token under the key this layer computes');

    // A new session manager (a new VS Code window, or after the session was closed) logs in with the token.
    const again = h.newSessions();
    value(await again.execute('mfa', 'SELECT 1', { timeoutMs: 10_000 }));
    assert.deepEqual(h.prompter.asked, ['passcode:mfa'], 'no second passcode prompt');
    const logins = h.requests('/session/v1/login-request');
    assert.equal(logins.length, 2);

    const wrong = failure(await h.newSessions().get('mfa_wrong'));
    assert.equal(wrong.kind, 'auth');
    assert.equal(wrong.code, '390127');
    assert.ok(!h.log.some((line) => /246810|mfa-password-1/.test(line)), 'passcode and password never reach the log');
  });

  it('EXTERNALBROWSER: the browser callback logs in once; the next login uses the cached ID token', async (t) => {
    const opened: string[] = [];
    let playBrowser: (url: string) => void = () => undefined;
    const h = await harness(t, {
      openBrowser: (url) => {
        opened.push(url);
        playBrowser(url);
      },
    });
    playBrowser = emulatorBrowser(h.emulator.url);
    h.account.control.addUser({ ...viewerUser, name: 'SSO_USER', externalBrowser: true });
    h.addConnections(section('sso', h.emulator.url, { user: 'SSO_USER', authenticator: 'externalbrowser' }));
    const first = value(await h.sessions.execute('sso', 'SELECT CURRENT_USER()', { timeoutMs: 20_000 }));
    assert.deepEqual(first.rows.map((row) => Object.values(row)[0]), ['SSO_USER']);
    assert.equal(opened.length, 1);
    assert.match(opened[0] ?? '', /\/console\/login\?.*browser_mode_redirect_port=\d+/);
    const key = tokenCacheKey('IdToken', '127.0.0.1', 'SSO_USER');
    assert.ok(key !== undefined && (await h.tokenCache.read(key)) !== null, 'the ID token is cached under the key this layer computes');

    const again = h.newSessions();
    value(await again.execute('sso', 'SELECT 1', { timeoutMs: 20_000 }));
    assert.equal(opened.length, 1, 'the second login did not open the browser');
    const last = h.requests('/session/v1/login-request').length;
    assert.equal(last, 2);
  });

  it('classifies wrong password (auth), missing privilege as VIEWER_USER (privilege) and missing object (notFound)', async (t) => {
    const h = await harness(t);
    h.addConnections(
      [
        section('wrong', h.emulator.url, { user: 'DEMO_USER', password: 'not-the-password' }),
        section('viewer', h.emulator.url, { user: 'VIEWER_USER', password: 'viewer-password-1', role: 'SPCS_VIEWER' }),
      ].join('\n'),
    );
    const wrong = failure(await h.sessions.execute('wrong', 'SELECT 1', { timeoutMs: 10_000 }));
    assert.equal(wrong.kind, 'auth');
    assert.equal(wrong.code, '390100');
    assert.match(wrong.message, /Incorrect user name or password.*connection "wrong"/);
    assert.doesNotMatch(wrong.message, /not-the-password/);

    const denied = failure(await h.sessions.execute('viewer', sql.dropService('ECHO_SERVICE'), { timeoutMs: 10_000 }));
    assert.equal(denied.kind, 'privilege');
    assert.equal(denied.code, '003001');
    assert.equal(denied.sqlState, '42501');
    assert.match(denied.message, /^Role SPCS_VIEWER is not allowed to do this: Insufficient privileges to operate on service .*ECHO_SERVICE.* DROP SERVICE needs OWNERSHIP of the service\./);
    const suspend = failure(await h.sessions.execute('viewer', sql.suspendService('ECHO_SERVICE'), { timeoutMs: 10_000 }));
    assert.equal(suspend.kind, 'privilege');
    assert.match(suspend.message, /needs OPERATE \(or OWNERSHIP\) on the service/);

    const missing = failure(await h.sessions.execute(printedConnection, sql.describeService('NO_SUCH_SERVICE'), { timeoutMs: 10_000 }));
    assert.equal(missing.kind, 'notFound');
    assert.equal(missing.code, '002003');
    assert.match(missing.message, /NO_SUCH_SERVICE.* does not exist or not authorized\. Either it does not exist .* or role SPCS_DEVELOPER is not allowed to see it/);
    assert.ok(missing.queryId, 'the query id is kept');
  });
});
