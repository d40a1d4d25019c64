/**
 * "Create service function…": the SQL text (clause order, quoting, the endpoint spelled as the spec
 * writes it, option ranges) and, against the emulator with the real driver, that it creates a
 * service function on ECHO_SERVICE's HTTP endpoint that DESCRIBE FUNCTION shows back, while a
 * job, a TCP endpoint and a missing CREATE FUNCTION privilege are refused.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createServiceFunction, endpointEligibility, endpointsFromRows, suggestedFunctionName, type ServiceFunctionOptions } from '../../client/src/serviceFunctions/serviceFunctions';
import * as sql from '../../client/src/snowflake/sql';
import { failure, harness, printedConnection, value } from './emulatorHarness';

const echo: ServiceFunctionOptions = {
  name: { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'MY_ECHO_UDF' },
  arguments: [{ name: 'InputText', type: 'varchar' }],
  returns: 'varchar',
  service: { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' },
  endpoint: 'echoendpoint',
  path: '/echo',
};

describe('createServiceFunction (SQL text)', { timeout: 5000 }, () => {
  it('writes the documented form with the endpoint as the spec spells it', () => {
    assert.equal(
      createServiceFunction(echo),
      "CREATE FUNCTION SPCS_DEMO.PUBLIC.MY_ECHO_UDF(INPUTTEXT VARCHAR)\n  RETURNS VARCHAR\n  SERVICE = SPCS_DEMO.PUBLIC.ECHO_SERVICE\n  ENDPOINT = echoendpoint\n  AS '/echo'",
    );
  });

  it('adds the options in the documented order, quotes names and the path literal', () => {
    const text = createServiceFunction({
      ...echo,
      name: { database: 'my db', schema: 'PUBLIC', name: 'f' },
      arguments: [{ name: 'a', type: 'number(10, 2)' }, { name: '"Mixed"', type: 'VARIANT' }],
      endpoint: 'api-v1',
      path: "/score/v1",
      orReplace: true,
      comment: "Bob's scorer",
      contextHeaders: ['current_user'],
      maxBatchRows: 100,
      maxBatchRetries: 0,
      onBatchFailure: 'RETURN_NULL',
      batchTimeoutSecs: 600,
    });
    assert.equal(
      text,
      [
        'CREATE OR REPLACE FUNCTION "my db".PUBLIC."f"(A NUMBER(10, 2), "Mixed" VARIANT)',
        'RETURNS VARCHAR',
        'SERVICE = SPCS_DEMO.PUBLIC.ECHO_SERVICE',
        'ENDPOINT = "api-v1"',
        "COMMENT = 'Bob''s scorer'",
        'CONTEXT_HEADERS = (CURRENT_USER)',
        'MAX_BATCH_ROWS = 100',
        'MAX_BATCH_RETRIES = 0',
        'ON_BATCH_FAILURE = RETURN_NULL',
        'BATCH_TIMEOUT_SECS = 600',
        "AS '/score/v1'",
      ].join('\n  '),
    );
  });

  it('refuses values that would make bad SQL', () => {
    assert.throws(() => createServiceFunction({ ...echo, path: 'echo' }), /must start with \//);
    assert.throws(() => createServiceFunction({ ...echo, path: "/x'; DROP" }), /no spaces or quotes/);
    assert.throws(() => createServiceFunction({ ...echo, returns: 'varchar); drop table x; --' }), /Not a SQL data type/);
    assert.throws(() => createServiceFunction({ ...echo, batchTimeoutSecs: 604_801 }), /BATCH_TIMEOUT_SECS must be an integer from 1 to 604800/);
    assert.throws(() => createServiceFunction({ ...echo, maxBatchRows: 0 }), /MAX_BATCH_ROWS/);
    assert.throws(() => createServiceFunction({ ...echo, contextHeaders: ['CURRENT_USER()'] }), /Not a context function/);
  });

  it('offers HTTP endpoints of long-running services only, and suggests a plain name', () => {
    assert.deepEqual(endpointEligibility({ name: 'e', protocol: 'HTTP' }, { isJob: false }), { eligible: true });
    assert.match((endpointEligibility({ name: 'db', protocol: 'TCP' }, { isJob: false }) as { reason: string }).reason, /uses TCP; service functions need an HTTP endpoint/);
    assert.match((endpointEligibility({ name: 'e', protocol: 'HTTP' }, { isJob: true }) as { reason: string }).reason, /cannot call job services/);
    assert.deepEqual(endpointsFromRows([{ name: 'echoendpoint', protocol: 'HTTP', is_public: 'true' }, { name: '' }]), [{ name: 'echoendpoint', protocol: 'HTTP', isPublic: true }]);
    assert.equal(suggestedFunctionName('ECHO_SERVICE', 'echo-endpoint'), 'ECHO_SERVICE_ECHO_ENDPOINT');
  });
});

describe('service functions in the emulator', { timeout: 60_000 }, () => {
  it('creates the function on an HTTP endpoint once the role may, and DESCRIBE FUNCTION shows it', async (t) => {
    const h = await harness(t);
    const run = (statement: string) => h.sessions.execute(printedConnection, statement, { timeoutMs: 15_000 });
    const endpoints = endpointsFromRows(value(await run(sql.showEndpoints(echo.service))).rows);
    const endpoint = endpoints.find((candidate) => endpointEligibility(candidate, { isJob: false }).eligible);
    assert.equal(endpoint?.name, 'echoendpoint');
    const statement = createServiceFunction({ ...echo, endpoint: endpoint?.name ?? '', maxBatchRows: 50, contextHeaders: ['CURRENT_USER'] });
    assert.equal(failure(await run(statement)).kind, 'privilege', 'SPCS_DEVELOPER has no CREATE FUNCTION on the schema in the demo seed');
    h.account.control.run('GRANT CREATE FUNCTION ON SCHEMA SPCS_DEMO.PUBLIC TO ROLE SPCS_DEVELOPER');
    value(await run(statement));
    const described = value(await run('DESCRIBE FUNCTION SPCS_DEMO.PUBLIC.MY_ECHO_UDF(VARCHAR)'));
    const properties = new Map(described.rows.map((row) => [row['property'], row['value']]));
    assert.equal(properties.get('signature'), '(INPUTTEXT VARCHAR)');
    assert.equal(properties.get('body'), '/echo');
    assert.equal(properties.get('service'), 'SPCS_DEMO.PUBLIC.ECHO_SERVICE');
    assert.equal(properties.get('endpoint'), 'echoendpoint');
    assert.equal(properties.get('max_batch_rows'), '50');
    assert.equal(failure(await run(statement)).kind, 'sql', 'a second CREATE without OR REPLACE fails');
    value(await run(createServiceFunction({ ...echo, orReplace: true })));
    assert.equal(failure(await run(createServiceFunction({ ...echo, name: { ...echo.name, name: 'JOB_UDF' }, service: { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'NIGHTLY_TRAINING_JOB' } }))).kind, 'sql');
    assert.equal(failure(await run(createServiceFunction({ ...echo, name: { ...echo.name, name: 'NO_UDF' }, endpoint: 'nosuchendpoint' }))).kind, 'notFound');
    value(await run('DROP FUNCTION SPCS_DEMO.PUBLIC.MY_ECHO_UDF(VARCHAR)'));
    assert.equal(failure(await run('DESCRIBE FUNCTION SPCS_DEMO.PUBLIC.MY_ECHO_UDF(VARCHAR)')).kind, 'notFound');
  });
});
