/**
 * Every fault the emulator injects, through the layer with the real driver: each ends in a correct
 * result or a clear error within its timeout, and nothing is left half-done (no statement applied
 * after it was reported as failed, no fault left armed, no session left open).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as sql from '../../client/src/snowflake/sql';
import { column, failure, harness, printedConnection, value, waitFor } from './emulatorHarness';

const spec = 'spec:\n  containers:\n    - name: main\n      image: /tutorial_db/data_schema/tutorial_repository/echo:v2\n';
const margin = 1500;

describe('faults (real driver, emulator)', { timeout: 90_000 }, () => {
  it('expired session token (390112): renewed by the driver, same session, no new login', async (t) => {
    const h = await harness(t);
    value(await h.sessions.execute(printedConnection, 'USE SCHEMA SPCS_DEMO.PUBLIC', { timeoutMs: 10_000 }));
    assert.equal(h.emulator.faults.expireSessions(), 1);
    value(await h.sessions.execute(printedConnection, sql.showServices(), { timeoutMs: 10_000 }));
    assert.equal(h.requests('/session/token-request').length, 1);
    assert.equal(h.requests('/session/v1/login-request').length, 1);
    assert.ok(h.requests('/queries/v1/query-request').some((request) => request.code === '390112'));
  });

  it('expired master token (hours later): the driver cannot renew, the layer logs in again for a read-only statement', async (t) => {
    const h = await harness(t);
    value(await h.sessions.get(printedConnection));
    h.clock.advance(5 * 3600_000);
    const pools = value(await h.sessions.execute(printedConnection, sql.showComputePools(), { timeoutMs: 10_000 }));
    assert.equal(pools.rows.length, 3);
    assert.equal(h.requests('/session/v1/login-request').length, 2);
  });

  it('invalidated session (390104/390111): reconnects and re-runs a read-only statement, USE restored', async (t) => {
    const h = await harness(t);
    value(await h.sessions.execute(printedConnection, 'USE ROLE SPCS_VIEWER', { timeoutMs: 10_000 }));
    for (const code of ['390104', '390111'] as const) {
      h.emulator.faults.invalidateSessions(code);
      const role = value(await h.sessions.execute(printedConnection, 'SELECT CURRENT_ROLE()', { timeoutMs: 10_000 }));
      assert.deepEqual(role.rows.map((row) => Object.values(row)[0]), ['SPCS_VIEWER'], `after ${code} the new session has the role back`);
    }
    assert.equal(h.requests('/session/v1/login-request').length, 3);
  });

  it('invalidated session during a CREATE: reported, not repeated; the next call reconnects', async (t) => {
    const h = await harness(t);
    value(await h.sessions.get(printedConnection));
    h.emulator.faults.invalidateSessions('390111');
    const error = failure(await h.sessions.execute(printedConnection, sql.createService({ name: 'NOT_REPEATED', pool: 'DEMO_CPU_POOL', spec }), { timeoutMs: 10_000 }));
    assert.equal(error.kind, 'network');
    assert.equal(error.code, '407002');
    assert.match(error.message, /not re-run automatically/);
    const creates = h.requests('/queries/v1/query-request').length;
    const services = value(await h.sessions.execute(printedConnection, sql.showServices({ like: 'NOT_REPEATED' }), { timeoutMs: 10_000 }));
    assert.equal(services.rows.length, 0, 'the server refused the statement: nothing was created, and nothing re-ran it');
    assert.equal(h.requests('/queries/v1/query-request').length, creates + 1);
    assert.equal(h.requests('/session/v1/login-request').length, 2);
  });

  it('failing logins: a clear auth error within the connect timeout, and the next attempt logs in', async (t) => {
    const h = await harness(t);
    h.emulator.faults.failLogins(1);
    const started = Date.now();
    const error = failure(await h.sessions.execute(printedConnection, 'SELECT 1', { timeoutMs: 10_000 }));
    assert.ok(Date.now() - started < 10_000);
    assert.equal(error.kind, 'auth');
    assert.equal(error.code, '390100');
    value(await h.sessions.execute(printedConnection, 'SELECT 1', { timeoutMs: 10_000 }));
    h.emulator.faults.failLogins(1, '390189', "Role 'SPCS_DEVELOPER' specified in the connect string is not granted to this user.");
    const other = h.newSessions();
    const role = failure(await other.get(printedConnection));
    assert.equal(role.kind, 'config');
    assert.match(role.message, /Fix the role, warehouse, database or schema/);
  });

  it('an unreachable server: a network error in seconds, not minutes', async (t) => {
    const h = await harness(t);
    await h.emulator.stop();
    const started = Date.now();
    const error = failure(await h.sessions.execute(printedConnection, 'SELECT 1', { timeoutMs: 20_000 }));
    assert.equal(error.kind, 'network');
    assert.equal(error.code, '401001');
    assert.match(error.message, /Could not reach Snowflake at http:\/\/127\.0\.0\.1:\d+ \(connection "spcs_emulator"\): .*ECONNREFUSED/);
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
  });

  it('a statement slower than its timeout: a timeout error within the timeout, cancelled, nothing created', async (t) => {
    const h = await harness(t);
    value(await h.sessions.get(printedConnection));
    h.emulator.faults.delayStatement(/CREATE SERVICE SLOW_SERVICE/, 10 * 60_000);
    const timeoutMs = 1500;
    const started = Date.now();
    const error = failure(await h.sessions.execute(printedConnection, sql.createService({ name: 'SLOW_SERVICE', pool: 'DEMO_CPU_POOL', spec }), { timeoutMs }));
    const elapsed = Date.now() - started;
    assert.equal(error.kind, 'timeout');
    assert.ok(elapsed >= timeoutMs && elapsed < timeoutMs + margin, `settled after ${elapsed} ms`);
    assert.match(error.message, /did not finish within 1\.5 s .*nothing was changed/);
    assert.ok(h.requests(/\/abort-request$/).length >= 1, 'the layer asked Snowflake to cancel');
    // Even once the emulated delay is over, the statement never runs.
    h.clock.advance(20 * 60_000);
    const services = value(await h.sessions.execute(printedConnection, sql.showServices({ like: 'SLOW_SERVICE' }), { timeoutMs: 10_000 }));
    assert.equal(services.rows.length, 0);
    assert.equal(h.emulator.faults.pending, false);
  });

  it('cancellation through an AbortSignal settles at once and cancels the statement', async (t) => {
    const h = await harness(t);
    value(await h.sessions.get(printedConnection));
    h.emulator.faults.delayStatement(/CREATE SERVICE CANCELLED_SERVICE/, 10 * 60_000);
    const controller = new AbortController();
    const pending = h.sessions.execute(printedConnection, sql.createService({ name: 'CANCELLED_SERVICE', pool: 'DEMO_CPU_POOL', spec }), { timeoutMs: 30_000, signal: controller.signal });
    await waitFor(() => h.requests(/^\/queries\/[^/]+\/result$/).length > 0, 10_000, 'the statement to be running');
    const aborted = Date.now();
    controller.abort();
    const error = failure(await pending);
    assert.ok(Date.now() - aborted < margin);
    assert.equal(error.kind, 'cancelled');
    assert.match(error.message, /nothing was changed/);
    h.clock.advance(20 * 60_000);
    const services = value(await h.sessions.execute(printedConnection, sql.showServices({ like: 'CANCELLED_SERVICE' }), { timeoutMs: 10_000 }));
    assert.equal(services.rows.length, 0);
  });

  it('a long statement through submit + waitForQuery', async (t) => {
    const h = await harness(t);
    h.emulator.faults.delayStatement(/SHOW COMPUTE POOLS/, 30_000);
    const { queryId } = value(await h.sessions.submit(printedConnection, sql.showComputePools(), { timeoutMs: 10_000 }));
    assert.equal(value(await h.sessions.queryStatus(printedConnection, queryId)), 'RUNNING');
    h.clock.advance(60_000);
    const pools = value(await h.sessions.waitForQuery(printedConnection, queryId, { timeoutMs: 10_000 }));
    assert.deepEqual(column(pools, 'name'), ['DEMO_CPU_POOL', 'DEMO_GPU_POOL', 'SUSPENDED_POOL']);
  });

  it('dispose closes the sessions on the server', async (t) => {
    const h = await harness(t);
    value(await h.sessions.get(printedConnection));
    await h.sessions.dispose();
    assert.equal(h.requests('/session').length, 1, 'DELETE /session was sent');
    const after = failure(await h.sessions.execute(printedConnection, 'SELECT 1'));
    assert.equal(after.kind, 'internal');
  });
});
