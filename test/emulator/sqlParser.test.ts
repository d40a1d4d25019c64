/**
 * Lexer and parser units: Snowflake's lexical rules (identifiers, strings, comments, stage
 * references, binds), statement counting, syntax errors at the right position, every statement form
 * the engine implements, and "Unsupported feature" for the rest.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnowflakeSqlError } from '../../emulator/src/contract';
import { tokenize } from '../../emulator/src/sql/lexer';
import { parseStatement } from '../../emulator/src/sql/parser';

function inClause(sql: string): unknown {
  const statement = parseStatement(sql);
  return statement.kind === 'showServices' ? statement.in : undefined;
}

function parseError(sql: string, binds?: (string | null)[]): SnowflakeSqlError {
  try {
    parseStatement(sql, binds);
  } catch (error) {
    assert.ok(error instanceof SnowflakeSqlError);
    return error;
  }
  assert.fail(`expected ${sql} to fail`);
}

describe('lexer', () => {
  it('reads words, quoted identifiers with "" escapes, numbers and punctuation', () => {
    const tokens = tokenize('select "My ""Svc""", 12.5e3, x=>1 ;');
    assert.deepEqual(
      tokens.map((token) => [token.kind, token.value]),
      [
        ['word', 'select'],
        ['quoted', 'My "Svc"'],
        ['punct', ','],
        ['number', '12.5e3'],
        ['punct', ','],
        ['word', 'x'],
        ['punct', '=>'],
        ['number', '1'],
        ['punct', ';'],
        ['eof', ''],
      ],
    );
  });

  it("reads '…' strings with '' and backslash escapes", () => {
    const [token] = tokenize("'it''s \\n \\\\ \\' \\t \\q \\x41'");
    assert.equal(token?.value, "it's \n \\ ' \t q A");
  });

  it('reads $$…$$ strings without escapes', () => {
    const [token] = tokenize("$$a 'b' \\n {{ c }}$$");
    assert.equal(token?.kind, 'string');
    assert.equal(token?.value, "a 'b' \\n {{ c }}");
    assert.equal(token?.dollar, true);
  });

  it('skips --, // and /* */ comments and tracks lines and columns', () => {
    const tokens = tokenize('-- first\n/* block\ncomment */ show // tail\n  pools');
    assert.deepEqual(
      tokens.filter((token) => token.kind !== 'eof').map((token) => [token.value, token.line, token.column]),
      [
        ['show', 3, 11],
        ['pools', 4, 2],
      ],
    );
  });

  it('reads stage references with paths and quoted parts', () => {
    const tokens = tokenize('FROM @db.schema."My Stage"/dir/v1.2/ SPECIFICATION_FILE');
    assert.equal(tokens[1]?.kind, 'stage');
    assert.equal(tokens[1]?.value, 'db.schema."My Stage"/dir/v1.2/');
  });

  it('reports an unterminated string as a syntax error at its start', () => {
    const error = parseError("select 'abc");
    assert.equal(error.code, '001003');
    assert.equal(error.sqlState, '42000');
    assert.match(error.message, /line 1 at position 7 unexpected '<EOF>'/);
  });
});

describe('parser', () => {
  it('accepts a trailing semicolon and rejects several statements', () => {
    assert.equal(parseStatement('show compute pools;').kind, 'showComputePools');
    const error = parseError('show compute pools; show services');
    assert.equal(error.code, '000008');
    assert.equal(error.sqlState, '0A000');
    assert.equal(error.message, 'Actual statement count 2 did not match the desired statement count 1.');
  });

  it('rejects an empty statement', () => {
    assert.equal(parseError('  -- nothing\n').code, '000900');
  });

  it('reports syntax errors like Snowflake', () => {
    const error = parseError('SHOW COMPUTE POOLS FOO');
    assert.equal(error.message, "SQL compilation error:\nsyntax error line 1 at position 19 unexpected 'FOO'.");
    assert.equal(error.line, 1);
    assert.equal(error.position, 19);
    assert.equal(parseError('FOO BAR').message, "SQL compilation error:\nsyntax error line 1 at position 0 unexpected 'FOO'.");
    assert.match(parseError('DROP SERVICE').message, /unexpected '<EOF>'/);
    assert.match(parseError('show services\nlike').message, /line 2 at position 4 unexpected '<EOF>'/);
  });

  it('reports valid but unimplemented statements as unsupported', () => {
    for (const [sql, feature] of [
      ['INSERT INTO t VALUES (1)', 'INSERT'],
      ['show tables', 'SHOW TABLES'],
      ['CREATE TABLE t (a int)', 'CREATE TABLE'],
      ['ALTER SESSION SET TIMEZONE = \'UTC\'', 'ALTER SESSION'],
      ['DESCRIBE TABLE t', 'DESCRIBE TABLE'],
      ['ALTER SERVICE s RESTORE VOLUME "v" INSTANCES 0 FROM SNAPSHOT snap', 'ALTER SERVICE RESTORE VOLUME'],
      ['SELECT * FROM t', 'column references'],
      ['SELECT 1 FROM t', 'SELECT … FROM'],
    ] as const) {
      const error = parseError(sql);
      assert.equal(error.code, '000002', sql);
      assert.equal(error.sqlState, '0A000');
      assert.equal(error.message, `Unsupported feature '${feature}'.`);
    }
  });

  it('upper-cases unquoted identifiers and keeps quoted ones', () => {
    const statement = parseStatement('describe service db."My_Schema".svc');
    assert.deepEqual(statement, { kind: 'describeService', name: { parts: ['DB', 'My_Schema', 'SVC'] } });
  });

  it('parses SHOW filters and IN clauses', () => {
    assert.deepEqual(parseStatement("show services like 'ECHO%' in compute pool p1 starts with 'E' limit 10 from 'ECHO'"), {
      kind: 'showServices',
      jobsOnly: false,
      excludeJobs: false,
      filter: { like: 'ECHO%', startsWith: 'E', limit: 10, from: 'ECHO' },
      in: { kind: 'computePool', name: { parts: ['P1'] } },
    });
    assert.deepEqual(inClause('show job services in database'), { kind: 'database' });
    assert.deepEqual(inClause('show services exclude jobs in schema db.sc'), { kind: 'schema', name: { parts: ['DB', 'SC'] } });
    assert.deepEqual(inClause('show services in account'), { kind: 'account' });
    assert.deepEqual(inClause('show services in myschema'), { kind: 'schema', name: { parts: ['MYSCHEMA'] } });
    assert.deepEqual(parseStatement("show image repositories like 'x' in schema").kind, 'showImageRepositories');
    assert.deepEqual(parseStatement("show images like 'v%' in image repository db.sc.repo"), {
      kind: 'showImages',
      filter: { like: 'v%' },
      repository: { parts: ['DB', 'SC', 'REPO'] },
    });
  });

  it('parses every per-service listing', () => {
    for (const [sql, what] of [
      ['show service instances in service s', 'instances'],
      ['show service containers in service s', 'containers'],
      ['show endpoints in service s', 'endpoints'],
      ['show roles in service s', 'roles'],
    ] as const) {
      assert.deepEqual(parseStatement(sql), { kind: 'showInService', what, service: { parts: ['S'] } });
    }
  });

  it('parses CREATE COMPUTE POOL properties and tags', () => {
    const statement = parseStatement("CREATE COMPUTE POOL IF NOT EXISTS p MIN_NODES = 1 MAX_NODES = 2 INSTANCE_FAMILY = CPU_X64_S AUTO_RESUME = FALSE COMMENT = 'c' WITH TAG (team = 'ml')");
    assert.equal(statement.kind, 'createComputePool');
    if (statement.kind !== 'createComputePool') return;
    assert.equal(statement.ifNotExists, true);
    assert.deepEqual([...statement.properties.keys()], ['MIN_NODES', 'MAX_NODES', 'INSTANCE_FAMILY', 'AUTO_RESUME', 'COMMENT']);
    assert.deepEqual(statement.properties.get('AUTO_RESUME'), { kind: 'boolean', value: false });
    assert.deepEqual([...(statement.tags ?? [])], [['TEAM', 'ml']]);
  });

  it('parses every ALTER COMPUTE POOL form', () => {
    const kinds = ['suspend', 'resume', 'stop all', "set min_nodes = 2 comment = 'x'", 'unset comment, auto_resume'].map((action) => {
      const statement = parseStatement(`alter compute pool if exists p ${action}`);
      return statement.kind === 'alterComputePool' ? statement.action.kind : undefined;
    });
    assert.deepEqual(kinds, ['suspend', 'resume', 'stopAll', 'set', 'unset']);
  });

  it('parses CREATE SERVICE clauses in any order, with every spec source', () => {
    const inline = parseStatement("CREATE SERVICE s MIN_INSTANCES = 2 IN COMPUTE POOL p FROM SPECIFICATION $$spec: {}$$ EXTERNAL_ACCESS_INTEGRATIONS = (a, b) COMMENT = 'x'");
    assert.equal(inline.kind, 'createService');
    if (inline.kind !== 'createService') return;
    assert.deepEqual(inline.clauses.pool, { parts: ['P'] });
    assert.deepEqual(inline.clauses.spec, { template: false, inline: 'spec: {}' });
    assert.deepEqual([...inline.clauses.properties.keys()], ['MIN_INSTANCES', 'EXTERNAL_ACCESS_INTEGRATIONS', 'COMMENT']);

    const staged = parseStatement("create service s in compute pool p from @db.sc.specs/dir specification_file='echo.yaml'");
    assert.equal(staged.kind, 'createService');
    if (staged.kind === 'createService') {
      assert.deepEqual(staged.clauses.spec, { template: false, stage: { name: { parts: ['DB', 'SC', 'SPECS'] }, path: 'dir', text: '@db.sc.specs/dir' }, file: 'echo.yaml' });
    }
    const template = parseStatement("create service s in compute pool p from @specs specification_template_file='t.yaml' using (tag => 'v2', Port => 8000, public => true, env => $${\"A\": 1}$$)");
    assert.equal(template.kind, 'createService');
    if (template.kind === 'createService') {
      assert.equal(template.clauses.spec?.template, true);
      assert.deepEqual([...(template.clauses.using ?? [])], [['tag', 'v2'], ['Port', 8000], ['public', true], ['env', '{"A": 1}']]);
    }
    const inlineTemplate = parseStatement("create service s in compute pool p from specification_template '{{x}}' using (x => -1.5)");
    if (inlineTemplate.kind === 'createService') {
      assert.deepEqual(inlineTemplate.clauses.spec, { template: true, inline: '{{x}}' });
      assert.deepEqual([...(inlineTemplate.clauses.using ?? [])], [['x', -1.5]]);
    }
    assert.equal(parseError('create service s in compute pool p from specification_file = \'x\'').code, '000002');
  });

  it('parses ALTER SERVICE, DROP SERVICE and EXECUTE JOB SERVICE', () => {
    const kinds = ['suspend', 'resume', 'from specification $$x$$', 'set min_instances = 2', 'unset comment'].map((action) => {
      const statement = parseStatement(`alter service s ${action}`);
      return statement.kind === 'alterService' ? statement.action.kind : undefined;
    });
    assert.deepEqual(kinds, ['suspend', 'resume', 'spec', 'set', 'unset']);
    assert.deepEqual(parseStatement('drop service if exists db.sc.s force'), { kind: 'dropService', ifExists: true, name: { parts: ['DB', 'SC', 'S'] }, force: true });
    const job = parseStatement("EXECUTE JOB SERVICE NAME = j ASYNC = TRUE IN COMPUTE POOL p FROM SPECIFICATION $$x$$ REPLICAS = 3");
    assert.equal(job.kind, 'executeJob');
    if (job.kind === 'executeJob') assert.deepEqual([...job.clauses.properties.keys()], ['NAME', 'ASYNC', 'REPLICAS']);
    assert.equal(parseError('EXECUTE JOB SERVICE IN COMPUTE POOL p FROM SPECIFICATION $$x$$ REPLICAS = = 2').code, '001003');
  });

  it('parses USE, SELECT and CALL', () => {
    assert.deepEqual(parseStatement('use role "Mixed"'), { kind: 'use', target: 'ROLE', name: { parts: ['Mixed'] } });
    assert.deepEqual(parseStatement('use db.sc'), { kind: 'use', target: 'SCHEMA', name: { parts: ['DB', 'SC'] } });
    assert.deepEqual(parseStatement('use warehouse wh'), { kind: 'use', target: 'WAREHOUSE', name: { parts: ['WH'] } });
    const select = parseStatement("select current_role(), system$get_service_logs('svc', 0, 'main', 10) as logs");
    assert.equal(select.kind, 'select');
    if (select.kind === 'select') {
      assert.deepEqual(
        select.items.map((item) => [item.expression.text, item.alias]),
        [
          ['CURRENT_ROLE()', undefined],
          ["SYSTEM$GET_SERVICE_LOGS('SVC', 0, 'MAIN', 10)", 'LOGS'],
        ],
      );
    }
    const call = parseStatement("CALL SYSTEM$GET_SERVICE_LOGS('svc', '0', 'main', 500, FALSE, '', TRUE);");
    assert.equal(call.kind, 'call');
    if (call.kind === 'call') assert.equal(call.call.args.length, 7);
  });

  it('parses GRANT and REVOKE forms', () => {
    assert.deepEqual(parseStatement('grant usage, monitor on compute pool p to role r with grant option'), {
      kind: 'grantPrivileges',
      revoke: false,
      privileges: ['USAGE', 'MONITOR'],
      objectKind: 'COMPUTE_POOL',
      name: { parts: ['P'] },
      role: 'R',
      grantOption: true,
    });
    assert.deepEqual(parseStatement('grant bind service endpoint on account to role r'), {
      kind: 'grantPrivileges',
      revoke: false,
      privileges: ['BIND SERVICE ENDPOINT'],
      objectKind: 'ACCOUNT',
      role: 'R',
      grantOption: false,
    });
    assert.deepEqual(parseStatement('revoke role r from user u'), { kind: 'grantRole', revoke: true, role: 'R', granteeType: 'USER', grantee: 'U' });
    assert.deepEqual(parseStatement('grant service role db.sc.svc!chat_users to role r'), {
      kind: 'grantServiceRole',
      revoke: false,
      service: { parts: ['DB', 'SC', 'SVC'] },
      serviceRole: 'CHAT_USERS',
      role: 'R',
    });
    assert.deepEqual(parseStatement('show grants to service role svc!all_endpoints_usage'), {
      kind: 'showGrants',
      target: { kind: 'toServiceRole', service: { parts: ['SVC'] }, role: 'ALL_ENDPOINTS_USAGE' },
    });
  });

  it('substitutes ? and :n binds as string literals', () => {
    const statement = parseStatement('select system$get_service_logs(?, ?, :1)', ['svc', '0']);
    assert.equal(statement.kind, 'select');
    if (statement.kind === 'select') {
      assert.equal(statement.items[0]?.expression.text, "SYSTEM$GET_SERVICE_LOGS('SVC', '0', 'SVC')");
    }
    assert.equal(parseError('select ?').code, '002049');
  });
});

describe('parser: gateways and compute pool tags', () => {
  it('reads every gateway statement form', () => {
    const spec = 'spec:\n  type: traffic_split\n';
    assert.deepEqual(parseStatement(`create or replace gateway db.sc.g from specification $$${spec}$$`), {
      kind: 'createGateway', orReplace: true, ifNotExists: false, name: { parts: ['DB', 'SC', 'G'] }, specification: spec, properties: new Map(),
    });
    const commented = parseStatement(`CREATE GATEWAY IF NOT EXISTS g COMMENT = 'c' FROM SPECIFICATION '${spec}'`);
    assert.ok(commented.kind === 'createGateway' && commented.ifNotExists && commented.specification === spec && commented.properties.get('COMMENT')?.kind === 'string');
    const after = parseStatement(`CREATE GATEWAY g FROM SPECIFICATION $$${spec}$$ COMMENT = 'c'`);
    assert.ok(after.kind === 'createGateway' && after.properties.has('COMMENT'), 'clauses in any order');
    assert.deepEqual(parseStatement(`ALTER GATEWAY IF EXISTS g FROM SPECIFICATION $$${spec}$$`), { kind: 'alterGateway', ifExists: true, name: { parts: ['G'] }, action: { kind: 'spec', specification: spec } });
    assert.deepEqual(parseStatement('ALTER GATEWAY g UNSET COMMENT'), { kind: 'alterGateway', ifExists: false, name: { parts: ['G'] }, action: { kind: 'unset', names: ['COMMENT'] } });
    assert.equal(parseStatement("ALTER GATEWAY g SET COMMENT = 'x'").kind, 'alterGateway');
    assert.deepEqual(parseStatement('DESC GATEWAY g'), { kind: 'describeGateway', name: { parts: ['G'] } });
    assert.deepEqual(parseStatement('drop gateway if exists sc.g'), { kind: 'dropGateway', ifExists: true, name: { parts: ['SC', 'G'] } });
    assert.deepEqual(parseStatement("SHOW GATEWAYS LIKE 'g%' IN SCHEMA db.sc LIMIT 5"), {
      kind: 'showGateways', filter: { like: 'g%', limit: 5 }, in: { kind: 'schema', name: { parts: ['DB', 'SC'] } },
    });
    assert.deepEqual(parseStatement('GRANT USAGE ON GATEWAY g TO ROLE r'), {
      kind: 'grantPrivileges', revoke: false, privileges: ['USAGE'], objectKind: 'GATEWAY', name: { parts: ['G'] }, role: 'R', grantOption: false,
    });
    assert.match(parseError('CREATE GATEWAY g FROM @stage SPECIFICATION_FILE = \'g.yaml\'').message, /syntax error line 1 at position 22 unexpected '@stage'/);
    assert.equal(parseError('ALTER GATEWAY g RENAME TO h').message, "Unsupported feature 'ALTER GATEWAY … RENAME'.");
    assert.equal(parseError('SHOW AI GATEWAYS').code, '000002');
  });

  it('reads ALTER COMPUTE POOL … SET TAG and UNSET TAG in the documented forms', () => {
    assert.deepEqual(parseStatement("ALTER COMPUTE POOL p SET MAX_NODES = 2 TAG a = 'x', db.sc.b = 'y' COMMENT = 'c'"), {
      kind: 'alterComputePool',
      ifExists: false,
      name: { parts: ['P'] },
      action: {
        kind: 'set',
        properties: new Map([
          ['MAX_NODES', { kind: 'number', value: 2, text: '2' }],
          ['COMMENT', { kind: 'string', value: 'c' }],
        ]),
        tags: new Map([
          ['A', 'x'],
          ['DB.SC.B', 'y'],
        ]),
      },
    });
    assert.deepEqual(parseStatement('ALTER COMPUTE POOL p UNSET TAG a, db.sc.b'), { kind: 'alterComputePool', ifExists: false, name: { parts: ['P'] }, action: { kind: 'unsetTags', tags: ['A', 'DB.SC.B'] } });
  });
});
