/**
 * Fault injection as a client test uses it, with the real driver: dropped connections and 503s it
 * recovers from (bounded, because the driver retries a thousand times), invalidated sessions it
 * cannot recover from, failing logins, and the bounds themselves.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxFaultCount } from '../../emulator/src/faults';
import { emulatorScope, execute, heartbeat, rejection } from './protocolHarness';

describe('emulator faults', () => {
  it('drops the next query-request without an answer; the driver retries and the statement succeeds', { timeout: 30_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    scope.emulator.faults.dropNext(1, '/queries/v1/query-request');
    assert.deepEqual((await execute(connection, 'select 1')).rows, [{ 1: 1 }]);
    const attempts = scope.requests('/queries/v1/query-request');
    assert.deepEqual(
      attempts.map((request) => request.fault ?? request.status),
      ['drop', 200],
    );
    assert.match(attempts[1]?.search ?? '', /retryCount=1/);
    assert.equal(scope.emulator.faults.pending, false);
  });

  it('answers 503 twice; the driver backs off, retries and the statement succeeds once', { timeout: 30_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    scope.emulator.faults.fail503(2, /^\/queries\//);
    assert.deepEqual((await execute(connection, 'create thing once')).rows, [{ status: 'Thing once successfully created.' }]);
    assert.deepEqual(
      scope.requests('/queries/v1/query-request').map((request) => request.fault ?? request.status),
      ['status503', 'status503', 200],
    );
    assert.deepEqual(scope.account.serialize(), { things: ['once'] });
  });

  it('invalidates sessions: the next call fails with 407002 and the connection is down', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    assert.equal(scope.emulator.faults.invalidateSessions(), 1);
    const error = await rejection(execute(connection, 'select 1'));
    assert.equal(error.code, 407002);
    assert.match(error.message, /terminated connection/);
    assert.equal(connection.isUp(), false);
    assert.equal(scope.requests('/queries/v1/query-request')[0]?.code, '390111');
    assert.equal(await connection.isValidAsync(), false);
  });

  it('invalidates sessions with 390104 when asked', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    scope.emulator.faults.invalidateSessions('390104');
    assert.equal((await rejection(heartbeat(connection))).code, 407002);
    assert.equal(scope.requests('/session/heartbeat')[0]?.code, '390104');
    assert.equal(connection.isUp(), false);
  });

  it('fails the next logins with the requested code, then lets them through', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    scope.emulator.faults.failLogins(1);
    const first = await scope.loginError();
    assert.equal(first.code, '390100');
    assert.equal(first.message, 'Incorrect username or password was specified.');
    scope.emulator.faults.failLogins(1, '390101');
    assert.equal((await scope.loginError()).code, '390101');
    await scope.connect();
  });

  it('delays only the matching statements, and only as many times as asked', { timeout: 20_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const connection = await scope.connect();
    scope.emulator.faults.delayStatement(/thing/, 1000, 1);
    assert.deepEqual((await execute(connection, 'select 1')).rows, [{ 1: 1 }], 'not matching: not delayed');
    const { statement } = await execute(connection, 'create thing later', { asyncExec: true });
    assert.equal(await connection.getQueryStatus(statement.getQueryId()), 'RUNNING');
    const second = await execute(connection, 'create thing now', { asyncExec: true });
    assert.equal(await connection.getQueryStatus(second.statement.getQueryId()), 'SUCCESS', 'the delay was used up');
    scope.clock.advance(1000);
    assert.equal(await connection.getQueryStatus(statement.getQueryId()), 'SUCCESS');
    assert.deepEqual(scope.account.serialize(), { things: ['now', 'later'] });
  });

  it('keeps every fault bounded', { timeout: 10_000 }, async (t) => {
    const scope = await emulatorScope(t);
    const { faults } = scope.emulator;
    assert.throws(() => faults.dropNext(maxFaultCount + 1), RangeError);
    assert.throws(() => faults.fail503(Number.POSITIVE_INFINITY), RangeError);
    assert.throws(() => faults.failLogins(-1), RangeError);
    assert.throws(() => faults.delayStatement(/x/, 10, 1.5), RangeError);
    faults.dropNext(3);
    faults.failLogins(2);
    assert.equal(faults.pending, true);
    faults.clear();
    assert.equal(faults.pending, false);
  });
});
