/**
 * Network faults the driver retries by itself (dropped connections, HTTP 503), through the layer
 * with the real driver against the emulator. Kept apart from `emulatorFaults.test.ts` because the
 * driver's backoff makes these slow (seconds), so the two files run in parallel.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as sql from '../../client/src/snowflake/sql';
import { harness, printedConnection, value } from './emulatorHarness';

describe('retried faults (real driver, emulator)', { timeout: 90_000 }, () => {
  it('dropped connections: the driver retries the query and the login', async (t) => {
    const h = await harness(t);
    h.emulator.faults.dropNext(2, '/session/v1/login-request');
    const afterLoginDrops = value(await h.sessions.execute(printedConnection, 'SELECT 1', { timeoutMs: 30_000 }));
    assert.equal(afterLoginDrops.rows.length, 1);
    h.emulator.faults.dropNext(2, '/queries/v1/query-request');
    const pools = value(await h.sessions.execute(printedConnection, sql.showComputePools(), { timeoutMs: 30_000 }));
    assert.equal(pools.rows.length, 3);
    assert.equal(h.requests('/queries/v1/query-request').filter((request) => request.fault === 'drop').length, 2);
    assert.equal(h.emulator.faults.pending, false);
  });

  it('HTTP 503: the driver retries with backoff and succeeds', async (t) => {
    const h = await harness(t);
    value(await h.sessions.get(printedConnection));
    h.emulator.faults.fail503(2, '/queries/v1/query-request');
    const pools = value(await h.sessions.execute(printedConnection, sql.showComputePools(), { timeoutMs: 30_000 }));
    assert.equal(pools.rows.length, 3);
    assert.equal(h.requests('/queries/v1/query-request').filter((request) => request.fault === 'status503').length, 2);
  });

});
