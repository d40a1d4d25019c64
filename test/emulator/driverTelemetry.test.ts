/**
 * The event-table helpers through the real `snowflake-sdk` driver against the demo seed: the column
 * metadata the driver reports (TIMESTAMP_NTZ, VARCHAR, NUMBER, OBJECT), the values it converts
 * (UTC dates, numbers, parsed objects), bind variables in START_TIME and WHERE, an aggregated query
 * the way a metrics panel asks for a day, SHOW PARAMETERS, and privilege and missing-service errors
 * as the driver surfaces them. `sqlTelemetry.test.ts` covers the semantics statement by statement.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as Snowflake from 'snowflake-sdk';
import { ManualClock } from '../../emulator/src/clock';
import { start, type EmulatorHandle } from '../../emulator/src/server';
import type { Account } from '../../emulator/src/account/account';
import { demo, destroyQuietly, execute, rejection, snowflake } from './protocolHarness';

describe('SPCS_GET_EVENTS, SPCS_GET_METRICS and SPCS_GET_LOGS through the real driver', () => {
  const clock = new ManualClock();
  let emulator: EmulatorHandle;
  let developer: Snowflake.Connection;
  const connections: Snowflake.Connection[] = [];

  const connect = async (user: string, password: string, role: string): Promise<Snowflake.Connection> => {
    const connection = snowflake.createConnection({
      account: emulator.account.name,
      accessUrl: emulator.url,
      username: user,
      password,
      role,
      warehouse: demo.warehouse,
      database: demo.database,
      schema: demo.schema,
      sfRetryMaxLoginRetries: 0,
    });
    connections.push(connection);
    await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
    return connection;
  };

  before(async () => {
    emulator = await start({ seed: 'demo', clock, pollHoldMilliseconds: 50 });
    developer = await connect(demo.user, demo.password, demo.role);
  });

  after(async () => {
    await Promise.all(connections.map(destroyQuietly));
    await emulator.stop();
  });

  const describeColumns = (statement: Snowflake.RowStatement): string[] => (statement.getColumns() ?? []).map((column) => `${column.getName()}:${column.getType()}`);

  it('reports the documented column types to the driver, which converts the values', async () => {
    const events = await execute(developer, "SELECT * FROM TABLE(SPCS_DEMO.PUBLIC.LLM_SERVICE!SPCS_GET_EVENTS()) WHERE SEVERITY = 'ERROR'");
    assert.deepEqual(describeColumns(events.statement), [
      'TIMESTAMP:timestamp_ntz',
      'SEVERITY:text',
      'EVENT_NAME:text',
      'EVENT_DETAILS:object',
      'INSTANCE_ID:fixed',
      'CONTAINER_NAME:text',
      'RECORD:object',
      'RECORD_ATTRIBUTES:object',
    ]);
    const [oom] = events.rows;
    assert.ok(oom?.TIMESTAMP instanceof Date);
    assert.equal(oom.TIMESTAMP.getTime(), Date.UTC(2026, 0, 1, 11, 10), 'TIMESTAMP_NTZ in UTC');
    assert.deepEqual(oom.EVENT_DETAILS, { message: 'Container was OOMKilled due to resource usage', status: 'FAILED' });
    assert.deepEqual(oom.RECORD, { name: 'CONTAINER.STATUS_CHANGE', severity_text: 'ERROR' });
    assert.equal(oom.INSTANCE_ID, 0);
    assert.equal(oom.RECORD_ATTRIBUTES, null);

    const metrics = await execute(developer, "SELECT * FROM TABLE(LLM_SERVICE!SPCS_GET_METRICS()) WHERE METRIC_NAME = 'container.memory.limit' LIMIT 1");
    assert.deepEqual(describeColumns(metrics.statement), [
      'TIMESTAMP:timestamp_ntz',
      'METRIC_NAME:text',
      'VALUE:text',
      'UNIT:text',
      'INSTANCE_ID:fixed',
      'CONTAINER_NAME:text',
      'RESOURCE:text',
      'RECORD:object',
      'RECORD_ATTRIBUTES:object',
    ]);
    assert.equal(metrics.rows[0]?.VALUE, String(160 * 1024 ** 3));
    assert.deepEqual(metrics.rows[0]?.RECORD, { metric: { name: 'container.memory.limit', unit: 'bytes' }, metric_type: 'gauge', value_type: 'INT' });

    const logs = await execute(developer, 'SELECT * FROM TABLE(NIGHTLY_TRAINING_JOB!SPCS_GET_LOGS()) ORDER BY TIMESTAMP DESC LIMIT 1');
    assert.deepEqual(describeColumns(logs.statement), ['TIMESTAMP:timestamp_ntz', 'INSTANCE_ID:fixed', 'CONTAINER_NAME:text', 'LOG:text', 'RECORD_ATTRIBUTES:object']);
    assert.deepEqual(logs.rows[0]?.RECORD_ATTRIBUTES, { 'log.iostream': 'stdout' });
    assert.equal(logs.rows[0]?.LOG, 'Training complete.');
  });

  it('takes bind variables in START_TIME, END_TIME and WHERE', async () => {
    const { rows } = await execute(
      developer,
      'SELECT TIMESTAMP, VALUE FROM TABLE(LLM_SERVICE!SPCS_GET_METRICS(START_TIME => ?, END_TIME => ?)) WHERE METRIC_NAME = ? AND CONTAINER_NAME = ? AND RECORD_ATTRIBUTES:gpu = ? ORDER BY TIMESTAMP',
      { binds: ['2026-01-01T11:00:00Z', '2026-01-01T11:01:00Z', 'container.gpu.utilization', 'vllm', '0'] },
    );
    assert.deepEqual(
      rows.map((row) => (row.TIMESTAMP as Date).getTime()),
      Array.from({ length: 7 }, (_, index) => Date.UTC(2026, 0, 1, 11, 0, index * 10)),
    );
  });

  it('answers the query a metrics panel sends for a day: 5-minute buckets per series', async () => {
    const { statement, rows } = await execute(
      developer,
      "SELECT TIME_SLICE(TIMESTAMP, 5, 'MINUTE') AS BUCKET, METRIC_NAME, INSTANCE_ID, CONTAINER_NAME, AVG(VALUE::FLOAT) AS AVERAGE, MAX(VALUE::FLOAT) AS PEAK FROM TABLE(LLM_SERVICE!SPCS_GET_METRICS(START_TIME => DATEADD(DAY, -1, CURRENT_TIMESTAMP()))) WHERE METRIC_NAME IN ('container.memory.usage', 'container.memory.limit') GROUP BY 1, 2, 3, 4 ORDER BY BUCKET",
      { rowMode: 'array' },
    );
    assert.deepEqual(describeColumns(statement), ['BUCKET:timestamp_ntz', 'METRIC_NAME:text', 'INSTANCE_ID:fixed', 'CONTAINER_NAME:text', 'AVERAGE:real', 'PEAK:real']);
    // 23.5 hours of two containers and two metrics, in 5-minute buckets.
    assert.ok(rows.length > 1000 && rows.length <= 4 * 24 * 12, String(rows.length));
    const limit = rows.find((row) => (row as unknown as unknown[])[1] === 'container.memory.limit' && (row as unknown as unknown[])[3] === 'vllm') as unknown as unknown[] | undefined;
    assert.equal(limit?.[4], 160 * 1024 ** 3);
  });

  it('says what LOG_EVENT_LEVEL is in effect, and where it comes from', async () => {
    const { rows } = await execute(developer, "SHOW PARAMETERS LIKE 'LOG_EVENT_LEVEL' IN SERVICE LLM_SERVICE");
    assert.deepEqual(rows.map((row) => [row.key, row.value, row.level]), [['LOG_EVENT_LEVEL', 'INFO', 'ACCOUNT']]);
  });

  it("surfaces Snowflake's errors: privileges, missing services, unsupported SQL", async () => {
    const control = (emulator.account as Account).control;
    const admin = { role: 'ACCOUNTADMIN', database: 'SPCS_DEMO', schema: 'PUBLIC' };
    control.run('CREATE ROLE NO_MONITOR', admin);
    control.run('GRANT ROLE NO_MONITOR TO USER VIEWER_USER', admin);
    control.run('GRANT USAGE ON DATABASE SPCS_DEMO TO ROLE NO_MONITOR', admin);
    control.run('GRANT USAGE ON SCHEMA SPCS_DEMO.PUBLIC TO ROLE NO_MONITOR', admin);
    control.run('GRANT USAGE ON WAREHOUSE DEMO_WH TO ROLE NO_MONITOR', admin);
    control.run('GRANT USAGE ON SERVICE SPCS_DEMO.PUBLIC.LLM_SERVICE TO ROLE NO_MONITOR', admin);
    const viewer = await connect('VIEWER_USER', 'viewer-password-1', 'SPCS_VIEWER');
    const watched = await execute(viewer, 'SELECT COUNT(*) AS N FROM TABLE(LLM_SERVICE!SPCS_GET_LOGS())');
    assert.ok(Number(watched.rows[0]?.N) > 0, 'SPCS_VIEWER has MONITOR');
    const unprivileged = await connect('VIEWER_USER', 'viewer-password-1', 'NO_MONITOR');
    const denied = await rejection(execute(unprivileged, 'SELECT * FROM TABLE(LLM_SERVICE!SPCS_GET_METRICS())'));
    assert.deepEqual([denied.code, denied.sqlState, denied.message], ['003001', '42501', "SQL access control error:\nInsufficient privileges to operate on service 'SPCS_DEMO.PUBLIC.LLM_SERVICE'."]);
    const missing = await rejection(execute(developer, 'SELECT * FROM TABLE(NO_SUCH_SERVICE!SPCS_GET_EVENTS())'));
    assert.deepEqual([missing.code, missing.message], ['002003', "SQL compilation error:\nService 'SPCS_DEMO.PUBLIC.NO_SUCH_SERVICE' does not exist or not authorized."]);
    const unsupported = await rejection(execute(developer, 'SELECT * FROM TABLE(LLM_SERVICE!SPCS_GET_LOGS()) QUALIFY 1 = 1'));
    assert.equal(unsupported.code, '000002');
  });
});
