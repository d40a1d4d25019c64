/**
 * The protocol over the real emulated account (`account/account.ts`, demo seed) rather than the
 * fake one: connecting with the defaults `connection()` describes, SHOW output through the driver,
 * and `--state` persistence of a real DDL change across a restart.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type * as Snowflake from 'snowflake-sdk';
import { ManualClock } from '../../emulator/src/clock';
import { start, type EmulatorHandle } from '../../emulator/src/server';
import { destroyQuietly, execute, snowflake } from './protocolHarness';

async function connectAsDemo(t: TestContext, emulator: EmulatorHandle): Promise<Snowflake.Connection> {
  const defaults = emulator.connection();
  const connection = snowflake.createConnection({
    account: defaults.account,
    accessUrl: defaults.accessUrl,
    username: defaults.user,
    password: defaults.password,
    role: defaults.role,
    warehouse: defaults.warehouse,
    database: defaults.database,
    schema: defaults.schema,
    sfRetryMaxLoginRetries: 0,
  });
  t.after(() => destroyQuietly(connection));
  await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
  return connection;
}

describe('emulator protocol over the demo account', () => {
  it('connects with connection() defaults and lists the seeded compute pools', { timeout: 20_000 }, async (t) => {
    const emulator = await start({ clock: new ManualClock(), seed: 'demo', pollHoldMilliseconds: 50 });
    t.after(() => emulator.stop());
    const connection = await connectAsDemo(t, emulator);
    const { rows, statement } = await execute(connection, 'SHOW COMPUTE POOLS');
    assert.ok(rows.length > 0);
    assert.equal(typeof rows[0]?.name, 'string');
    assert.equal(statement.getColumns()?.find((column) => column.getName() === 'created_on')?.getType(), 'timestamp_ltz');
    assert.deepEqual((await execute(connection, 'SELECT CURRENT_ROLE()')).rows, [{ 'CURRENT_ROLE()': 'SPCS_DEVELOPER' }]);
  });

  it('keeps a DDL change across a restart with statePath', { timeout: 30_000 }, async (t) => {
    const directory = mkdtempSync(path.join(tmpdir(), 'spcs-emulator-account-'));
    t.after(() => rmSync(directory, { recursive: true, force: true }));
    const statePath = path.join(directory, 'state.json');

    const first = await start({ clock: new ManualClock(), seed: 'demo', statePath, pollHoldMilliseconds: 50 });
    t.after(() => first.stop());
    const connection = await connectAsDemo(t, first);
    await execute(connection, 'CREATE IMAGE REPOSITORY KEPT_REPO');
    await destroyQuietly(connection);
    await first.stop();

    const second = await start({ clock: new ManualClock(), seed: 'demo', statePath, pollHoldMilliseconds: 50 });
    t.after(() => second.stop());
    const again = await connectAsDemo(t, second);
    const names = (await execute(again, 'SHOW IMAGE REPOSITORIES')).rows.map((row) => row.name);
    assert.ok(names.includes('KEPT_REPO'), names.join(', '));
  });
});
