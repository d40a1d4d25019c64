import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classify, redact, requiredPrivilege } from '../../client/src/snowflake/errors';
import { isReadOnly } from '../../client/src/snowflake/session';

/** Errors shaped as snowflake-sdk 3.3.0 builds them (errors.js createError). */
function driverError(name: string, code: string | number, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, code, ...extra });
}

describe('classify', { timeout: 5000 }, () => {
  it('maps NetworkError 401001 to network, naming the cause and the target', () => {
    const error = classify(driverError('NetworkError', 401001, 'connect ECONNREFUSED 127.0.0.1:9', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) }), {
      connectionName: 'dev',
      target: 'http://127.0.0.1:9',
    });
    assert.equal(error.kind, 'network');
    assert.equal(error.code, '401001');
    assert.match(error.message, /Could not reach Snowflake at http:\/\/127\.0\.0\.1:9 \(connection "dev"\): .*ECONNREFUSED/);
  });
  it('maps HTTP failures by status', () => {
    assert.equal(classify(driverError('RequestFailedError', 401002, 'Request to Snowflake failed.', { response: { statusCode: 503 } })).kind, 'network');
    assert.equal(classify(driverError('RequestFailedError', 401002, 'Request to Snowflake failed.', { response: { statusCode: 403 } })).kind, 'auth');
    assert.equal(classify(driverError('RequestFailedError', 401002, 'Request to Snowflake failed.', { response: { statusCode: 404 } })).kind, 'config');
  });
  it('maps login codes to auth with a message that says what to do', () => {
    for (const code of ['390100', '390144', '390303', '390318', '390120', '390127', '394400', '390195', '390101']) {
      const error = classify(driverError('OperationFailedError', code, 'whatever the server said'), { connectionName: 'dev', phase: 'connect' });
      assert.equal(error.kind, 'auth', code);
      assert.equal(error.code, code);
      assert.match(error.message, /Check the credentials of the connection/);
    }
    assert.match(classify(driverError('OperationFailedError', '390100', 'Incorrect username or password was specified.')).message, /^Incorrect user name or password/);
    assert.match(classify(driverError('OperationFailedError', '390999', 'Some new login failure.'), { user: 'BOB', phase: 'connect' }).message, /rejected the login as BOB: Some new login failure\./);
  });
  it('keeps SPCS statement errors (391xxx, 395xxx) and unknown 39xxxx codes of a statement out of auth', () => {
    // Following the logs of a service that was just suspended: its instance is gone, the login is fine.
    const gone = classify(driverError('OperationFailedError', '391430', "Instance '0' of service SPCS_DEMO.PUBLIC.JOURNEY_API does not exist or is not running.", { sqlState: '22000' }), {
      connectionName: 'dev',
      user: 'DEMO_USER',
      phase: 'execute',
      sql: "SELECT SYSTEM$GET_SERVICE_LOGS('JOURNEY_API', '0', 'api', 10, FALSE, '', TRUE)",
    });
    assert.equal(gone.kind, 'sql');
    assert.doesNotMatch(gone.message, /login|credentials/i);
    assert.match(gone.message, /Instance '0' of service SPCS_DEMO\.PUBLIC\.JOURNEY_API does not exist or is not running/);
    assert.equal(classify(driverError('OperationFailedError', '395018', 'Invalid spec: unknown option.'), { phase: 'execute' }).kind, 'sql');
    assert.equal(classify(driverError('OperationFailedError', '391426', 'Compute pool P is suspended and AUTO_RESUME is FALSE.'), { phase: 'execute' }).kind, 'sql');
    assert.equal(classify(driverError('OperationFailedError', '390999', 'Something else.'), { phase: 'execute' }).kind, 'sql');
    // A documented login code stays a login failure in any phase (a renewal can be refused too).
    assert.equal(classify(driverError('OperationFailedError', '390318', 'OAuth access token expired.'), { phase: 'execute' }).kind, 'auth');
  });
  it('treats missing credentials (404001, 404005) as auth and bad options as config', () => {
    assert.equal(classify(driverError('MissingParameterError', 404001, 'Connection options must be specified.')).kind, 'auth');
    assert.equal(classify(driverError('MissingParameterError', 404005, 'A password must be specified.')).kind, 'auth');
    assert.equal(classify(driverError('InvalidParameterError', 404026, 'Invalid private key.')).kind, 'config');
  });
  it('maps a role that is not granted at login to config', () => {
    const error = classify(driverError('OperationFailedError', '390189', "Role 'X' specified in the connect string is not granted to this user."), { connectionName: 'dev' });
    assert.equal(error.kind, 'config');
    assert.match(error.message, /Fix the role, warehouse, database or schema of the connection/);
  });
  it('maps a terminated session (407002, 390104, 390111) to network with the reconnect promise', () => {
    for (const code of [407002, '390104', '390111']) {
      const error = classify(driverError('ClientError', code, 'Unable to perform operation using terminated connection.'));
      assert.equal(error.kind, 'network');
      assert.match(error.message, /session .*has ended .*opened again on the next call/);
    }
  });
  it('maps 003001 / 42501 to privilege, naming the role and the privilege the statement needs', () => {
    const error = classify(driverError('OperationFailedError', '003001', "SQL access control error:\nInsufficient privileges to operate on service 'ECHO'", { sqlState: '42501', data: { queryId: 'q-1' } }), {
      role: 'SPCS_VIEWER',
      sql: 'DROP SERVICE ECHO',
    });
    assert.equal(error.kind, 'privilege');
    assert.equal(error.sqlState, '42501');
    assert.equal(error.queryId, 'q-1');
    assert.match(error.message, /^Role SPCS_VIEWER is not allowed to do this: Insufficient privileges to operate on service 'ECHO'\. DROP SERVICE needs OWNERSHIP of the service\./);
  });
  it('maps 002003 to notFound and says both possibilities', () => {
    const error = classify(driverError('OperationFailedError', '002003', "SQL compilation error:\nService 'NOPE' does not exist or not authorized.", { sqlState: '02000' }), { role: 'R' });
    assert.equal(error.kind, 'notFound');
    assert.match(error.message, /^Service 'NOPE' does not exist or not authorized\. Either it does not exist .* or role R is not allowed to see it/);
  });
  it('maps cancellation, statement timeout, missing warehouse, syntax errors', () => {
    assert.equal(classify(driverError('OperationFailedError', '000604', 'SQL execution canceled')).kind, 'cancelled');
    assert.equal(classify(driverError('OperationFailedError', '000630', 'Statement reached its statement or warehouse timeout')).kind, 'timeout');
    assert.equal(classify(driverError('OperationFailedError', '000606', 'No active warehouse selected in the current session.')).kind, 'config');
    const syntax = classify(driverError('OperationFailedError', '001003', "SQL compilation error:\nsyntax error line 1 at position 0 unexpected 'selec'.", { sqlState: '42000' }));
    assert.equal(syntax.kind, 'sql');
    assert.match(syntax.message, /syntax error/);
  });
  it('maps anything else to internal, and passes through errors that are already classified', () => {
    assert.equal(classify(new TypeError('x is undefined')).kind, 'internal');
    assert.equal(classify('a string').kind, 'internal');
    const already = { kind: 'timeout' as const, message: 'took too long for hunter22' };
    assert.deepEqual(classify(already, { secrets: ['hunter22'] }), { kind: 'timeout', message: 'took too long for ***', detail: undefined });
  });
  it('never lets a secret through', () => {
    const error = classify(driverError('OperationFailedError', '390100', 'Incorrect password hunter22 for token=abc123def'), { secrets: ['hunter22'] });
    assert.doesNotMatch(`${error.message} ${error.detail ?? ''}`, /hunter22|abc123def/);
  });
});

describe('redact', { timeout: 5000 }, () => {
  it('removes given secrets (also URL-encoded), token headers, password/token parameters and PEM keys', () => {
    assert.equal(redact('pw is p@ss! and p%40ss!', ['p@ss!']), 'pw is *** and ***');
    assert.equal(redact('Authorization: Snowflake Token="abc.def"'), 'Authorization: Snowflake Token="***"');
    assert.equal(redact('url?password=abc&x=1 token: "xyz"'), 'url?password=***&x=1 token: "***"');
    assert.equal(redact('key -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY----- end'), 'key [private key] end');
    assert.equal(redact('ab is short', ['ab']), 'ab is short');
  });
});

describe('requiredPrivilege and isReadOnly', { timeout: 5000 }, () => {
  it('names the privilege of SPCS statements', () => {
    assert.match(requiredPrivilege('create service x in compute pool p from specification $$…$$')?.privilege ?? '', /CREATE SERVICE on the schema, USAGE on the compute pool/);
    assert.equal(requiredPrivilege('ALTER SERVICE X SUSPEND')?.privilege, 'OPERATE (or OWNERSHIP) on the service');
    assert.equal(requiredPrivilege('ALTER SERVICE X SET MIN_INSTANCES = 2')?.privilege, 'OWNERSHIP of the service');
    assert.equal(requiredPrivilege("SELECT SYSTEM$GET_SERVICE_LOGS('X', '0', 'c')")?.privilege, 'MONITOR (or OWNERSHIP) on the service');
    assert.equal(requiredPrivilege('-- comment\nSHOW SERVICE CONTAINERS IN SERVICE X')?.privilege, 'MONITOR (or OWNERSHIP) on the service');
    assert.equal(requiredPrivilege('ALTER COMPUTE POOL P SET MAX_NODES = 2')?.privilege, 'MODIFY (or OWNERSHIP) on the compute pool');
    assert.equal(requiredPrivilege('ALTER COMPUTE POOL P STOP ALL')?.privilege, 'OPERATE on the compute pool');
    assert.equal(requiredPrivilege('DROP IMAGE REPOSITORY DB.S.R')?.privilege, 'OWNERSHIP of the image repository');
    assert.match(requiredPrivilege("CREATE FUNCTION F(X VARCHAR) RETURNS VARCHAR SERVICE = S ENDPOINT = api AS '/x'")?.privilege ?? '', /^CREATE FUNCTION on the schema/);
    assert.equal(requiredPrivilege('SELECT 1'), undefined);
  });
  it('tells read-only statements from the rest', () => {
    for (const statement of ['SHOW COMPUTE POOLS', ' /* c */ describe service x', 'DESC SERVICE X', 'select 1', 'WITH a AS (SELECT 1) SELECT * FROM a', 'USE ROLE R', "SELECT SYSTEM$GET_SERVICE_LOGS('X','0','c')"]) {
      assert.equal(isReadOnly(statement), true, statement);
    }
    for (const statement of ['CREATE SERVICE X', 'ALTER SERVICE X SUSPEND', 'DROP SERVICE X', 'EXECUTE JOB SERVICE IN COMPUTE POOL P', "SELECT SYSTEM$CANCEL_JOB('X')", 'CALL X!SPCS_CANCEL_JOB()', 'INSERT INTO T VALUES (1)', 'GRANT USAGE ON X TO ROLE R']) {
      assert.equal(isReadOnly(statement), false, statement);
    }
  });
});
