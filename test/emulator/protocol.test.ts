/**
 * The emulator's wire protocol as the real snowflake-sdk driver sees it: results and rowtypes,
 * SQL errors, chunked results, 333333 polling, async execution with the monitoring API, cancel,
 * sessions (heartbeat, logout, renewal) and state persistence. Raw HTTP checks cover the envelope
 * details the driver hides (content type, 404s, gzip bodies, session names).
 */

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ManualClock } from '../../emulator/src/clock';
import type { Clock } from '../../emulator/src/contract';
import { start } from '../../emulator/src/server';
import { demo, emulatorScope, execute, executeLater, fakeAccount, heartbeat, raw, rawLogin, rejection, waitFor } from './protocolHarness';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('emulator protocol: results', () => {
  it('connects with a password and runs SELECT 1', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    assert.equal(connection.isUp(), true);
    const { rows, statement } = await execute(connection, 'SELECT 1');
    assert.deepEqual(rows, [{ 1: 1 }]);
    assert.match(statement.getQueryId(), uuid);
    assert.equal(scope.requests('/session/v1/login-request').length, 1);
    await waitFor(() => scope.requests('/telemetry/send').length > 0, 'the post-login telemetry');
    assert.equal(scope.requests('/telemetry/send')[0]?.code, null);
  });

  it('sends rowtypes the driver converts to the right JavaScript values', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    const { rows, statement } = await execute(connection, 'select types');
    const row = rows[0] ?? {};
    assert.equal(row.N, 42);
    assert.equal(row.PRICE, 12.34);
    assert.equal(row.R, 1.5);
    assert.equal(row.T, 'hello');
    assert.equal(row.B, true);
    assert.ok(row.CREATED_ON instanceof Date);
    assert.equal(row.CREATED_ON.getTime(), Date.UTC(2024, 4, 1, 10, 0, 0));
    assert.deepEqual(row.V, { a: [1, 2] });
    assert.ok(row.D instanceof Date);
    assert.equal(row.NOTHING, null);
    const columns = statement.getColumns() ?? [];
    assert.deepEqual(
      columns.map((column) => [column.getName(), column.getType()]),
      [
        ['N', 'fixed'],
        ['PRICE', 'fixed'],
        ['R', 'real'],
        ['T', 'text'],
        ['B', 'boolean'],
        ['CREATED_ON', 'timestamp_ltz'],
        ['V', 'variant'],
        ['D', 'date'],
        ['NOTHING', 'text'],
      ],
    );
    assert.equal(columns[1]?.getScale(), 2);
    assert.equal(columns[5]?.getScale(), 9);
  });

  it('passes binds to the engine as strings in position order', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    const { rows } = await execute(connection, 'select binds', { binds: ['a', 2, true, null] });
    assert.deepEqual(rows, [{ B1: 'a', B2: '2', B3: 'true', B4: null }]);
  });

  it('reports SQL errors with Snowflake code, sqlState, message and queryId through complete(err) and streamRows', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    const error = await rejection(execute(connection, 'select * from no_such_table'));
    assert.equal(error.name, 'OperationFailedError');
    assert.equal(error.code, '002003');
    assert.equal(error.sqlState, '42S02');
    assert.equal(error.message, "SQL compilation error:\nObject 'NO_SUCH_TABLE' does not exist or not authorized.");
    assert.match(String(error.data?.queryId), uuid);
    assert.equal(error.data?.line, 1);
    assert.equal(error.data?.pos, 14);

    const streamed = await new Promise<{ code?: unknown; sqlState?: string }>((resolve, reject) => {
      const statement = connection.execute({ sqlText: 'selec 1', streamResult: true });
      statement
        .streamRows()
        .on('data', () => reject(new Error('a row arrived for a failing statement')))
        .on('error', resolve)
        .on('end', () => reject(new Error('the stream ended without an error')));
    });
    assert.equal(streamed.code, '001003');
    assert.equal(streamed.sqlState, '42000');
  });

  it('turns a non-SQL engine failure into an internal error, not a crash', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    const error = await rejection(execute(connection, 'boom'));
    assert.equal(error.code, '000603');
    assert.equal(error.sqlState, 'XX000');
    assert.match(error.message, /the fake engine exploded/);
    assert.deepEqual((await execute(connection, 'select 1')).rows, [{ 1: 1 }]);
  });

  it('chunks large results: 2,500 rows through streamRows, 1,000 inline and two chunks', { timeout: 30_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    const ids: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const statement = connection.execute({ sqlText: 'select rows 2500', streamResult: true });
      statement
        .streamRows()
        .on('data', (row: { ID: number; NAME: string }) => {
          assert.equal(row.NAME, `row-${row.ID}`);
          ids.push(row.ID);
        })
        .on('error', reject)
        .on('end', () => resolve());
    });
    assert.equal(ids.length, 2500);
    assert.deepEqual(ids.slice(0, 3), [0, 1, 2]);
    assert.equal(ids.at(-1), 2499);
    assert.ok(ids.every((id, index) => id === index));
    assert.equal(scope.requests(/^\/chunks\//).length, 2);
  });

  it('answers with Content-Type application/json, the envelope, session names and parameters (raw HTTP)', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const login = await rawLogin(scope.emulator, {}, '?roleName=PUBLIC&warehouse=NO_SUCH_WH');
    assert.equal(typeof login.token, 'string');
    assert.equal(typeof login.masterToken, 'string');
    assert.equal(login.validityInSeconds, 3600);
    assert.equal(login.masterValidityInSeconds, 14_400);
    assert.equal(typeof login.sessionId, 'number');
    const parameters = login.parameters as { name: string; value: unknown }[];
    for (const name of ['TIMEZONE', 'TIMESTAMP_OUTPUT_FORMAT', 'TIMESTAMP_NTZ_OUTPUT_FORMAT', 'DATE_OUTPUT_FORMAT', 'QUERY_CONTEXT_CACHE_SIZE']) {
      assert.ok(parameters.some((parameter) => parameter.name === name), name);
    }
    // A warehouse that does not exist is not a login error: the session simply has none.
    assert.deepEqual(login.sessionInfo, { databaseName: 'SPCS_DEMO', schemaName: 'PUBLIC', warehouseName: null, roleName: 'PUBLIC' });

    const token = String(login.token);
    const query = await raw(scope.emulator, 'POST', '/queries/v1/query-request?requestId=r-1', { token, body: { sqlText: 'use role SPCS_DEVELOPER' }, gzip: true });
    assert.equal(query.status, 200);
    assert.equal(query.contentType, 'application/json');
    assert.equal(query.body.success, true);
    const data = query.body.data ?? {};
    assert.match(String(data.queryId), uuid);
    assert.equal(data.finalRoleName, 'SPCS_DEVELOPER');
    assert.equal(data.finalDatabaseName, 'SPCS_DEMO');
    assert.equal(data.finalSchemaName, 'PUBLIC');
    assert.equal(data.finalWarehouseName, null);
    assert.equal(data.total, 1);
    assert.equal(data.returned, 1);
    assert.deepEqual(data.rowtype, [
      { name: 'status', database: '', schema: '', table: '', type: 'text', scale: null, precision: null, length: 16_777_216, byteLength: 16_777_216, nullable: true, collation: null },
    ]);

    // The same requestId again (a retry) is answered from the first run, not run twice.
    const again = await raw(scope.emulator, 'POST', '/queries/v1/query-request?requestId=r-1&retryCount=1', { token, body: { sqlText: 'use role SPCS_DEVELOPER' } });
    assert.equal(again.body.data?.queryId, data.queryId);
    assert.equal(scope.account.executed.filter((sql) => sql === 'use role SPCS_DEVELOPER').length, 1);

    const unknown = await raw(scope.emulator, 'GET', '/no/such/endpoint');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.contentType, 'application/json');
    assert.equal(unknown.body.success, false);

    const noToken = await raw(scope.emulator, 'POST', '/queries/v1/query-request', { body: { sqlText: 'select 1' } });
    assert.equal(noToken.body.code, '390104');
  });
});

describe('emulator protocol: long-running statements', () => {
  it('answers 333333 while a delayed statement runs and the driver polls until the clock has moved', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    scope.emulator.faults.delayStatement(/^create thing/i, 60_000);
    const { done } = executeLater(connection, 'create thing slow');
    await waitFor(() => scope.requests(/^\/queries\/[^/]+\/result$/).length >= 2, 'the driver polling the result');
    assert.equal(scope.requests('/queries/v1/query-request')[0]?.code, '333333');
    assert.deepEqual(scope.account.serialize(), { things: [] }, 'the statement has not run yet');
    scope.clock.advance(60_000);
    const { rows } = await done;
    assert.deepEqual(rows, [{ status: 'Thing slow successfully created.' }]);
    assert.deepEqual(scope.account.serialize(), { things: ['slow'] });
  });

  it('polls an engine PendingResult until it is done', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    const { done } = executeLater(connection, 'wait 30000');
    await waitFor(() => scope.requests(/^\/queries\/[^/]+\/result$/).length >= 1, 'a result poll');
    scope.clock.advance(30_000);
    assert.deepEqual((await done).rows, [{ status: 'done waiting' }]);
  });

  it('runs asyncExec statements: 333334, getQueryStatus RUNNING then SUCCESS, getResultsFromQueryId', { timeout: 30_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    scope.emulator.faults.delayStatement(/^select rows/i, 10_000);
    const { statement } = await execute(connection, 'select rows 3', { asyncExec: true });
    const queryId = statement.getQueryId();
    assert.match(queryId, uuid);
    assert.equal(scope.requests('/queries/v1/query-request')[0]?.code, '333334');
    assert.equal(await connection.getQueryStatus(queryId), 'RUNNING');
    scope.clock.advance(10_000);
    assert.equal(await connection.getQueryStatus(queryId), 'SUCCESS');
    const result = await connection.getResultsFromQueryId({ queryId });
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      const collected: unknown[] = [];
      result
        .streamRows()
        .on('data', (row) => collected.push(row))
        .on('error', reject)
        .on('end', () => resolve(collected));
    });
    assert.deepEqual(rows, [
      { ID: 0, NAME: 'row-0' },
      { ID: 1, NAME: 'row-1' },
      { ID: 2, NAME: 'row-2' },
    ]);
  });

  it('reports a failed async statement as FAILED_WITH_ERROR with its message', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    const { statement } = await execute(connection, 'select * from no_such_table', { asyncExec: true });
    const queryId = statement.getQueryId();
    assert.equal(await connection.getQueryStatus(queryId), 'FAILED_WITH_ERROR');
    const error = await rejection(connection.getResultsFromQueryId({ queryId }));
    assert.match(error.message, /NO_SUCH_TABLE' does not exist or not authorized/);
    assert.equal(await connection.getQueryStatus('00000000-0000-4000-8000-000000000000'), 'NO_QUERY_DATA');
  });

  it('cancels a running statement: the poll answers 000604 "SQL execution canceled" and the statement never runs', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    scope.emulator.faults.delayStatement(/^create thing/i, 60_000);
    const { statement, done } = executeLater(connection, 'create thing doomed');
    await waitFor(() => scope.requests(/^\/queries\/[^/]+\/result$/).length >= 1, 'a result poll');
    await new Promise<void>((resolve, reject) => statement.cancel((error) => (error ? reject(error) : resolve())));
    const error = await rejection(done);
    assert.equal(error.code, '000604');
    assert.equal(error.sqlState, '57014');
    assert.equal(error.message, 'SQL execution canceled');
    scope.clock.advance(120_000);
    assert.equal(await connection.getQueryStatus(statement.getQueryId()), 'ABORTED');
    assert.deepEqual(scope.account.serialize(), { things: [] });
  });
});

describe('emulator protocol: sessions', () => {
  it('answers heartbeats and logs out (session?delete=true), after which the token is gone (390111)', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    assert.deepEqual(await heartbeat(connection), [{ 1: 1 }]);
    assert.equal(await connection.isValidAsync(), true);
    assert.equal(scope.requests('/session/heartbeat').length, 2);
    assert.equal(scope.emulator.sessions.active.length, 1);
    await new Promise<void>((resolve, reject) => connection.destroy((error) => (error ? reject(error) : resolve())));
    assert.equal(connection.isUp(), false);
    assert.equal(scope.requests('/session').length, 1);
    assert.equal(scope.emulator.sessions.active.length, 0);

    const login = await rawLogin(scope.emulator);
    const token = String(login.token);
    assert.equal((await raw(scope.emulator, 'POST', '/session/heartbeat', { token })).body.success, true);
    assert.equal((await raw(scope.emulator, 'POST', '/session?delete=true', { token })).body.success, true);
    const gone = await raw(scope.emulator, 'POST', '/session/heartbeat', { token });
    assert.equal(gone.body.code, '390111');
    assert.match(String(gone.body.message), /Session no longer exists/);
  });

  it('renews an expired session token with the master token and repeats the statement', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    scope.emulator.faults.expireSessions();
    assert.deepEqual((await execute(connection, 'select 1')).rows, [{ 1: 1 }]);
    assert.equal(scope.requests('/session/token-request').length, 1);
    assert.equal(scope.requests('/queries/v1/query-request')[0]?.code, '390112');
    // Expiry by the clock: the session token lives 3600 emulated seconds.
    scope.clock.advance(3601_000);
    assert.deepEqual((await execute(connection, 'select 1')).rows, [{ 1: 1 }]);
    assert.equal(scope.requests('/session/token-request').length, 2);
  });

  it('disconnects after 4 h without activity (master token expired, 390114), but not while the session is used', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    for (let hours = 0; hours < 6; hours += 3) {
      scope.clock.advance(3 * 3600_000);
      await heartbeat(connection);
    }
    assert.equal(scope.requests('/session/token-request').length, 2);
    scope.clock.advance(4 * 3600_000 + 1000);
    const error = await rejection(execute(connection, 'select 1'));
    assert.equal(error.code, 407002);
    assert.equal(connection.isUp(), false);
    assert.equal(scope.requests('/session/token-request').at(-1)?.code, '390114');
  });

  it('persists the account to --state and loads it again on the next start', { timeout: 30_000 }, async (t) => {
    const directory = mkdtempSync(path.join(tmpdir(), 'spcs-emulator-state-'));
    t.after(() => rmSync(directory, { recursive: true, force: true }));
    const statePath = path.join(directory, 'nested', 'state.json');
    const createAccount = (options: { clock: Clock; state?: unknown }) => fakeAccount(options);

    const first = await emulatorScope(t, { account: undefined, createAccount, statePath });
    const connection = await first.connect();
    await execute(connection, 'create thing kept');
    const saved = JSON.parse(readFileSync(statePath, 'utf8')) as { format: string; account: unknown };
    assert.equal(saved.format, 'spcs-emulator-state/1');
    assert.deepEqual(saved.account, { things: ['kept'] }, 'saved right after the statement');
    await execute(connection, 'create thing also');
    await first.emulator.stop();

    const second = await start({ clock: new ManualClock(), createAccount, statePath, pollHoldMilliseconds: 50 });
    t.after(() => second.stop());
    assert.deepEqual(second.account.serialize(), { things: ['kept', 'also'] });
  });

  it('describes the connection a client needs (connection())', { timeout: 10_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = scope.emulator.connection();
    assert.deepEqual(connection, {
      account: 'SPCS_EMULATOR',
      user: demo.user,
      password: demo.password,
      role: demo.role,
      warehouse: demo.warehouse,
      database: demo.database,
      schema: demo.schema,
      accessUrl: scope.emulator.url,
      host: '127.0.0.1',
      port: scope.emulator.port,
      protocol: 'http',
    });
    assert.throws(() => scope.emulator.connection('NOBODY'), /no user NOBODY/);
  });
});
