/**
 * Every authenticator of the snowflake-sdk driver against the emulator, each with a success and a
 * failure carrying Snowflake's real code: password, MFA passcode (and passcodeInPassword, and MFA
 * token caching), programmatic access token, OAuth, key pair (plain and encrypted private keys,
 * generated in the test), external browser (and the cached ID token), plus the login rules for
 * disabled users, roles and missing warehouses.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emulatorBrowser } from './externalBrowser';
import { credentialCache, demo, emulatorScope, execute, keys } from './protocolHarness';

describe('emulator auth: password', () => {
  it('accepts the right password and rejects a wrong one or an unknown user with 390100', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    await scope.connect();
    for (const overrides of [{ password: 'wrong' }, { username: 'NOBODY' }]) {
      const error = await scope.loginError(overrides);
      assert.equal(error.code, '390100');
      assert.equal(error.message, 'Incorrect username or password was specified.');
    }
  });

  it('rejects a disabled user with 390101', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const error = await scope.loginError({ username: 'LOCKED_USER', password: 'locked-password' });
    assert.equal(error.code, '390101');
    assert.match(error.message, /User access disabled/);
  });

  it('rejects a role the user was not granted with 390189, but not a missing warehouse or database', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const error = await scope.loginError({ role: 'ACCOUNTADMIN' });
    assert.equal(error.code, '390189');
    assert.equal(
      error.message,
      "Role 'ACCOUNTADMIN' specified in the connect string is not granted to this user. Contact your local system administrator, or attempt to login with another role, e.g. PUBLIC.",
    );
    const connection = await scope.connect({ role: 'public', warehouse: 'NO_SUCH_WH', database: 'NO_SUCH_DB' });
    assert.deepEqual((await execute(connection, 'select current_role()')).rows, [{ 'CURRENT_ROLE()': 'PUBLIC' }]);
    assert.deepEqual((await execute(connection, 'select current_warehouse()')).rows, [{ 'CURRENT_WAREHOUSE()': null }]);
    assert.deepEqual((await execute(connection, 'select current_database()')).rows, [{ 'CURRENT_DATABASE()': null }]);
  });
});

describe('emulator auth: MFA', () => {
  it('accepts a passcode, or one appended to the password, and rejects a wrong one with 390127', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const mfa = { username: 'MFA_USER', password: 'mfa-password', authenticator: 'USERNAME_PASSWORD_MFA' };
    await scope.connect({ ...mfa, passcode: '123456' });
    await scope.connect({ ...mfa, password: 'mfa-password123456', passcodeInPassword: true });
    const wrong = await scope.loginError({ ...mfa, passcode: '000000' });
    assert.equal(wrong.code, '390127');
    assert.equal(wrong.message, 'Incorrect passcode was specified.');
    const wrongPassword = await scope.loginError({ ...mfa, password: 'nope', passcode: '123456' });
    assert.equal(wrongPassword.code, '390100');
    // Duo push is not emulated: without a passcode or a cached MFA token the login fails.
    const push = await scope.loginError(mfa);
    assert.equal(push.code, '390120');
  });

  it('caches an MFA token when the client asks for one and accepts it instead of a passcode', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const mfa = { username: 'MFA_USER', password: 'mfa-password', authenticator: 'USERNAME_PASSWORD_MFA', clientRequestMFAToken: true };
    await scope.connect({ ...mfa, passcode: '123456' });
    assert.equal([...credentialCache.keys()].filter((key) => key.includes('MfaToken')).length, 1, 'the driver stored the MFA token');
    await scope.connect(mfa);
    credentialCache.clear();
    assert.equal((await scope.loginError(mfa)).code, '390120');
  });
});

describe('emulator auth: tokens', () => {
  it('accepts a programmatic access token (as token or password) and rejects a wrong one with 394400', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    await scope.connect({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: 'pat-demo-1', password: undefined });
    await scope.connect({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', password: 'pat-demo-1' });
    // Snowflake also accepts a PAT in place of the password.
    await scope.connect({ password: 'pat-demo-1' });
    const error = await scope.loginError({ authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: 'pat-wrong', password: undefined });
    assert.equal(error.code, '394400');
    assert.equal(error.message, 'Programmatic access token is invalid.');
  });

  it('accepts an OAuth access token and rejects a wrong one with 390303', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect({ authenticator: 'OAUTH', token: 'oauth-demo-1', password: undefined });
    assert.deepEqual((await execute(connection, 'select 1')).rows, [{ 1: 1 }]);
    const error = await scope.loginError({ authenticator: 'OAUTH', token: 'oauth-wrong', password: undefined });
    assert.equal(error.code, '390303');
    assert.match(error.message, /^Invalid OAuth access token\. \[[0-9a-f-]{36}\]$/);
  });
});

describe('emulator auth: key pair', () => {
  it('verifies the RS256 JWT against the registered public keys, with plain and encrypted private keys', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const plain = await scope.connect({ authenticator: 'SNOWFLAKE_JWT', privateKey: keys.registered.privateKey, password: undefined });
    assert.deepEqual((await execute(plain, 'select 1')).rows, [{ 1: 1 }]);
    await scope.connect({ authenticator: 'SNOWFLAKE_JWT', privateKey: keys.encrypted.privateKey, privateKeyPass: 'key-passphrase', password: undefined });
  });

  it('rejects a key that is not registered, or a JWT for another user, with 390144', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const stranger = await scope.loginError({ authenticator: 'SNOWFLAKE_JWT', privateKey: keys.stranger.privateKey, password: undefined });
    assert.equal(stranger.code, '390144');
    assert.match(stranger.message, /^JWT token is invalid\./);
    const otherUser = await scope.loginError({ authenticator: 'SNOWFLAKE_JWT', username: 'MFA_USER', privateKey: keys.registered.privateKey, password: undefined });
    assert.equal(otherUser.code, '390144');
  });
});

describe('emulator auth: external browser', () => {
  const browserTimeout = 10_000;

  it('logs in through the console-login redirect and caches an ID token for the next login', { timeout: 30_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const browser = emulatorBrowser(scope.emulator.url);
    let opened = 0;
    const options = {
      authenticator: 'EXTERNALBROWSER',
      username: 'SSO_USER',
      password: undefined,
      disableConsoleLogin: false,
      browserActionTimeout: browserTimeout,
      clientStoreTemporaryCredential: true,
      openExternalBrowserCallback: (url: string) => {
        opened += 1;
        browser(url);
      },
    };
    const connection = await scope.connect(options);
    assert.deepEqual((await execute(connection, 'select current_role()')).rows, [{ 'CURRENT_ROLE()': 'PUBLIC' }]);
    assert.equal(opened, 1);
    assert.equal(scope.requests('/console/login').length, 1);
    // The second connection logs in with the cached ID token (AUTHENTICATOR ID_TOKEN): no browser.
    await scope.connect(options);
    assert.equal(opened, 1);
    assert.equal(scope.requests('/session/v1/login-request').length, 2);
    // A stale ID token is refused with 390195, and the driver falls back to the browser.
    for (const key of credentialCache.keys()) if (key.includes('IdToken')) credentialCache.set(key, 'stale-id-token');
    await scope.connect(options);
    assert.equal(opened, 2);
    assert.equal(scope.requests('/session/v1/login-request')[2]?.code, '390195');
  });

  it('fails the login when the identity provider refuses the user', { timeout: 30_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const error = await scope.loginError({
      authenticator: 'EXTERNALBROWSER',
      username: demo.user,
      password: undefined,
      disableConsoleLogin: false,
      browserActionTimeout: browserTimeout,
      openExternalBrowserCallback: emulatorBrowser(scope.emulator.url),
    });
    assert.match(error.message, /cannot log in through the browser/);
    assert.equal(scope.requests('/session/v1/login-request').length, 0);
  });
});
