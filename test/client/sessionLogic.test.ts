/**
 * The session manager's own rules (one login under concurrent calls, timeouts that win against a
 * driver that never answers, abort, the read-only-only retry, USE replay, bounded dispose), checked
 * against a scripted stand-in for the driver. The same behaviours are checked with the real driver
 * against the emulator in `emulator.test.ts`.
 */

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ok } from '../../client/src/snowflake/result';
import { SnowflakeSessions, type SessionsOptions } from '../../client/src/snowflake/session';
import type { LoadedConnections } from '../../client/src/snowflake/config';

type Answer = 'hang' | { rows: Record<string, unknown>[] } | { error: Record<string, unknown> } | { sessionGone: true };

class FakeDriver {
  readonly connections: FakeConnection[] = [];
  readonly statements: string[] = [];
  readonly cancelled: string[] = [];
  loginDelay: 'hang' | number = 0;
  loginError: Record<string, unknown> | undefined;
  destroyHangs = false;
  /** Whether cancel() makes a hanging statement complete with 000604 (as Snowflake does). */
  cancelConfirms = false;
  answer: (sql: string, connection: number) => Answer = () => ({ rows: [{ ONE: 1 }] });
  configure(): void {}
  createConnection(options: Record<string, unknown>): FakeConnection {
    const connection = new FakeConnection(this, this.connections.length, options);
    this.connections.push(connection);
    return connection;
  }
}

class FakeConnection {
  up = false;
  destroyed = false;
  keepalive: NodeJS.Timeout | undefined;
  constructor(
    private readonly driver: FakeDriver,
    readonly index: number,
    readonly options: Record<string, unknown>,
  ) {}
  isUp(): boolean {
    return this.up;
  }
  connect(callback: (error: unknown) => void): this {
    const finish = (): void => {
      if (this.driver.loginError) {
        callback(Object.assign(new Error(String(this.driver.loginError['message'])), this.driver.loginError));
        return;
      }
      this.up = true;
      callback(undefined);
    };
    if (this.driver.loginDelay !== 'hang') setTimeout(finish, this.driver.loginDelay);
    return this;
  }
  execute(options: { sqlText: string; complete: (error: unknown, statement: unknown, rows?: unknown[]) => void }) {
    const sql = options.sqlText;
    this.driver.statements.push(`${this.index}:${sql}`);
    const statement = {
      cancel: (callback?: () => void) => {
        this.driver.cancelled.push(sql);
        callback?.();
        if (this.driver.cancelConfirms) {
          setImmediate(() => options.complete(Object.assign(new Error('SQL execution canceled'), { name: 'OperationFailedError', code: '000604' }), statement));
        }
      },
      getQueryId: () => `q-${this.driver.statements.length}`,
      getColumns: () => [{ getName: () => 'ONE', getType: () => 'fixed' }],
    };
    const answer = this.up ? this.driver.answer(sql, this.index) : { sessionGone: true as const };
    setImmediate(() => {
      if (answer === 'hang') return;
      if ('sessionGone' in answer) {
        this.up = false;
        options.complete(Object.assign(new Error('Unable to perform operation using terminated connection.'), { name: 'ClientError', code: 407002 }), statement);
      } else if ('error' in answer) {
        options.complete(Object.assign(new Error(String(answer.error['message'])), answer.error), statement);
      } else {
        options.complete(undefined, statement, answer.rows);
      }
    });
    return statement;
  }
  destroy(callback: () => void): void {
    this.destroyed = true;
    this.up = false;
    if (!this.driver.destroyHangs) setImmediate(callback);
  }
}

const loaded: LoadedConnections = {
  connections: [{ name: 'dev', source: 'test', params: { account: 'ACME', user: 'U', password: 'secret-pw', access_url: 'http://127.0.0.1:1' }, environment: [] }],
  defaultName: 'dev',
  defaultNameSource: 'built-in',
  configDir: '/nowhere',
  files: [],
  warnings: [],
};

function sessions(driver: FakeDriver, options: Partial<SessionsOptions> = {}): SnowflakeSessions {
  return new SnowflakeSessions({ connections: () => ok(loaded), importDriver: () => Promise.resolve(driver), env: {}, disposeTimeoutMs: 200, cancelGraceMs: 50, ...options });
}

describe('SnowflakeSessions (scripted driver)', { timeout: 20_000 }, () => {
  it('importing the layer does not load snowflake-sdk (activation stays fast)', () => {
    const root = path.join(__dirname, '..', '..');
    const script = [
      "for (const file of ['session', 'config', 'connectionOptions', 'driver', 'errors', 'sql', 'result', 'tokenCache']) require('./client/src/snowflake/' + file);",
      "const { SnowflakeSessions } = require('./client/src/snowflake/session');",
      'new SnowflakeSessions({});',
      "process.stdout.write(String(Object.keys(require.cache).filter((file) => file.includes('node_modules/snowflake-sdk')).length));",
    ].join('\n');
    const loaded = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8' });
    assert.equal(loaded, '0');
  });

  it('loads the driver only on first use', async () => {
    let imports = 0;
    const driver = new FakeDriver();
    const manager = new SnowflakeSessions({
      connections: () => ok(loaded),
      importDriver: () => {
        imports++;
        return Promise.resolve(driver);
      },
      env: {},
    });
    assert.equal(manager.driverLoaded, false);
    assert.equal(imports, 0);
    assert.ok((await manager.execute('dev', 'SELECT 1')).ok);
    assert.ok((await manager.execute('dev', 'SELECT 1')).ok);
    assert.equal(imports, 1);
    await manager.dispose();
  });

  it('logs in once under concurrent first calls and reuses the session', async () => {
    const driver = new FakeDriver();
    driver.loginDelay = 20;
    const manager = sessions(driver);
    const results = await Promise.all([manager.execute('dev', 'SELECT 1'), manager.execute('dev', 'SELECT 2'), manager.get('dev'), manager.execute('dev', 'SHOW COMPUTE POOLS')]);
    assert.ok(results.every((result) => result.ok));
    assert.equal(driver.connections.length, 1);
    assert.ok((await manager.execute('dev', 'SELECT 3')).ok);
    assert.equal(driver.connections.length, 1);
    await manager.dispose();
    assert.equal(driver.connections[0]?.destroyed, true);
  });

  it('settles by the timeout (+ the cancel grace) when the driver never answers, and rebuilds the session next time', async () => {
    const driver = new FakeDriver();
    driver.answer = (sql) => (sql.includes('slow') ? 'hang' : { rows: [{ ONE: 1 }] });
    const manager = sessions(driver);
    assert.ok((await manager.get('dev')).ok);
    const started = Date.now();
    const result = await manager.execute('dev', 'CREATE SERVICE slow', { timeoutMs: 150 });
    const elapsed = Date.now() - started;
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.kind, 'timeout');
    assert.match(!result.ok ? result.error.message : '', /did not finish within 0\.\d s .*did not confirm in time: it may still have been applied/);
    assert.ok(elapsed >= 140 && elapsed < 1000, `settled after ${elapsed} ms`);
    assert.deepEqual(driver.cancelled, ['CREATE SERVICE slow']);
    assert.ok((await manager.execute('dev', 'SELECT 1')).ok);
    assert.equal(driver.connections.length, 2, 'the suspect session was replaced');
    assert.equal(driver.connections[0]?.destroyed, true);
    await manager.dispose();
  });

  it('reports a confirmed cancel as "nothing was changed" and keeps the session', async () => {
    const driver = new FakeDriver();
    driver.cancelConfirms = true;
    driver.answer = (sql) => (sql.includes('slow') ? 'hang' : { rows: [{ ONE: 1 }] });
    const manager = sessions(driver, { cancelGraceMs: 5000 });
    const result = await manager.execute('dev', 'CREATE SERVICE slow', { timeoutMs: 100 });
    assert.equal(!result.ok && result.error.kind, 'timeout');
    assert.match(!result.ok ? result.error.message : '', /Snowflake cancelled it before it completed, so nothing was changed/);
    assert.ok((await manager.execute('dev', 'SELECT 1')).ok);
    assert.equal(driver.connections.length, 1);
    await manager.dispose();
  });

  it('bounds the login by the statement timeout and by the connect timeout', async () => {
    const driver = new FakeDriver();
    driver.loginDelay = 'hang';
    const manager = sessions(driver, { connectTimeoutMs: 300 });
    const first = await manager.execute('dev', 'SELECT 1', { timeoutMs: 100 });
    assert.equal(!first.ok && first.error.kind, 'timeout');
    assert.match(!first.ok ? first.error.message : '', /Connecting to Snowflake did not finish/);
    const second = await manager.get('dev');
    assert.equal(!second.ok && second.error.kind, 'timeout');
    assert.match(!second.ok ? second.error.message : '', /Logging in to Snowflake .* did not finish within 0\.3 s/);
    await manager.dispose();
  });

  it('cancels through an AbortSignal', async () => {
    const driver = new FakeDriver();
    driver.answer = () => 'hang';
    driver.cancelConfirms = true;
    const manager = sessions(driver);
    assert.ok((await manager.get('dev')).ok);
    const controller = new AbortController();
    const pending = manager.execute('dev', 'SHOW SERVICES', { timeoutMs: 10_000, signal: controller.signal });
    setImmediate(() => controller.abort());
    const result = await pending;
    assert.equal(!result.ok && result.error.kind, 'cancelled');
    assert.deepEqual(driver.cancelled, ['SHOW SERVICES']);
    const already = await manager.execute('dev', 'SHOW SERVICES', { signal: AbortSignal.abort() });
    assert.equal(!already.ok && already.error.kind, 'cancelled');
    await manager.dispose();
  });

  it('re-runs a read-only statement once on a new session when the session is gone, and replays USE', async () => {
    const driver = new FakeDriver();
    let goneOnce = true;
    driver.answer = (sql) => {
      if (sql.startsWith('SHOW') && goneOnce) {
        goneOnce = false;
        return { sessionGone: true };
      }
      return { rows: [{ ONE: 1 }] };
    };
    const manager = sessions(driver);
    assert.ok((await manager.execute('dev', 'USE ROLE SPCS_VIEWER')).ok);
    assert.ok((await manager.execute('dev', 'USE SCHEMA SPCS_DEMO.PUBLIC')).ok);
    const result = await manager.execute('dev', 'SHOW SERVICES');
    assert.ok(result.ok);
    assert.equal(driver.connections.length, 2);
    assert.deepEqual(driver.statements, ['0:USE ROLE SPCS_VIEWER', '0:USE SCHEMA SPCS_DEMO.PUBLIC', '0:SHOW SERVICES', '1:USE ROLE SPCS_VIEWER', '1:USE SCHEMA SPCS_DEMO.PUBLIC', '1:SHOW SERVICES']);
    assert.equal((await manager.get('dev')).ok && (await manager.get('dev')).ok, true);
    await manager.dispose();
  });

  it('never re-runs a statement that changes things; the next call reconnects', async () => {
    const driver = new FakeDriver();
    driver.answer = (sql, connection) => (sql.startsWith('CREATE') && connection === 0 ? { sessionGone: true } : { rows: [{ ONE: 1 }] });
    const manager = sessions(driver);
    const result = await manager.execute('dev', 'CREATE SERVICE ECHO IN COMPUTE POOL P FROM SPECIFICATION $$x$$');
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, '407002');
    assert.match(!result.ok ? result.error.message : '', /not re-run automatically: it may have been applied/);
    assert.equal(driver.statements.filter((statement) => statement.includes('CREATE')).length, 1);
    assert.ok((await manager.execute('dev', 'SHOW SERVICES')).ok);
    assert.equal(driver.connections.length, 2);
    await manager.dispose();
  });

  it('classifies errors with the role and never leaks the password', async () => {
    const driver = new FakeDriver();
    const manager = sessions(driver);
    driver.answer = (sql) => (sql.startsWith('USE') ? { rows: [] } : { error: { name: 'OperationFailedError', code: '003001', sqlState: '42501', message: 'SQL access control error:\nInsufficient privileges to operate on service ECHO (pw secret-pw)' } });
    assert.ok((await manager.execute('dev', 'USE ROLE SPCS_VIEWER')).ok);
    const result = await manager.execute('dev', 'DROP SERVICE ECHO');
    assert.equal(!result.ok && result.error.kind, 'privilege');
    assert.match(!result.ok ? result.error.message : '', /^Role SPCS_VIEWER is not allowed to do this: .*DROP SERVICE needs OWNERSHIP of the service/);
    assert.doesNotMatch(!result.ok ? `${result.error.message} ${result.error.detail ?? ''}` : '', /secret-pw/);
    await manager.dispose();
  });

  it('reports login failures, forgets prompted secrets on auth failures, and tries again next time', async () => {
    const driver = new FakeDriver();
    driver.loginError = { name: 'OperationFailedError', code: '390100', message: 'Incorrect username or password was specified.' };
    const forgotten: string[] = [];
    const prompter = { ask: () => Promise.resolve('typed-pw'), forget: (kind: string) => Promise.resolve(void forgotten.push(kind)) };
    const noPassword = { ...loaded, connections: [{ ...loaded.connections[0]!, params: { account: 'ACME', user: 'U', access_url: 'http://127.0.0.1:1' } }] };
    const manager = sessions(driver, { prompter, connections: () => ok(noPassword) });
    const failed = await manager.get('dev');
    assert.equal(!failed.ok && failed.error.kind, 'auth');
    assert.equal(!failed.ok && failed.error.code, '390100');
    assert.deepEqual(forgotten, ['password']);
    driver.loginError = undefined;
    assert.ok((await manager.get('dev')).ok);
    assert.equal(driver.connections.length, 2);
    await manager.dispose();
  });

  it('reports an unknown connection as a config error', async () => {
    const manager = sessions(new FakeDriver());
    const result = await manager.get('nope');
    assert.equal(!result.ok && result.error.kind, 'config');
    assert.match(!result.ok ? result.error.message : '', /no connection "nope"/);
    await manager.dispose();
  });

  it('dispose waits a bounded time even when destroy never answers, stops keep-alive timers and refuses new work', async () => {
    const driver = new FakeDriver();
    driver.destroyHangs = true;
    const manager = sessions(driver, { disposeTimeoutMs: 100 });
    assert.ok((await manager.get('dev')).ok);
    const connection = driver.connections[0];
    assert.ok(connection);
    const keepalive = setInterval(() => undefined, 60_000);
    connection.keepalive = keepalive;
    const started = Date.now();
    await manager.dispose();
    assert.ok(Date.now() - started < 1000);
    // Node marks a cleared timer as destroyed.
    assert.equal((keepalive as unknown as { _destroyed: boolean })._destroyed, true, 'the keep-alive interval was cleared');
    const after = await manager.execute('dev', 'SELECT 1');
    assert.equal(!after.ok && after.error.kind, 'internal');
  });
});
