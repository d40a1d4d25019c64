import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as sql from '../../client/src/snowflake/sql';

describe('quoteIdentifier', { timeout: 5000 }, () => {
  const table: readonly (readonly [string, string])[] = [
    ['MY_POOL', 'MY_POOL'],
    ['_X1$', '_X1$'],
    ['A', 'A'],
    ['my_pool', '"my_pool"'],
    ['My Pool', '"My Pool"'],
    ['1POOL', '"1POOL"'],
    ['$X', '"$X"'],
    ['with"quote', '"with""quote"'],
    ['""', '""""""'],
    ['dash-name', '"dash-name"'],
    ['SELECT', '"SELECT"'],
    ['TABLE', '"TABLE"'],
    ['SERVICE', 'SERVICE'],
    ['', '""'],
    ['ÄPFEL', '"ÄPFEL"'],
    ['X'.repeat(256), `"${'X'.repeat(256)}"`],
  ];
  for (const [name, expected] of table) {
    it(`${JSON.stringify(name)} → ${expected.length > 40 ? `${expected.slice(0, 20)}…` : expected}`, () => assert.equal(sql.quoteIdentifier(name), expected));
  }
});

describe('normalizeIdentifier and parseQualifiedName (user input)', { timeout: 5000 }, () => {
  it('folds unquoted names to uppercase and unquotes quoted ones', () => {
    assert.equal(sql.normalizeIdentifier('my_pool'), 'MY_POOL');
    assert.equal(sql.normalizeIdentifier(' "My Pool" '), 'My Pool');
    assert.equal(sql.normalizeIdentifier('"a""b"'), 'a"b');
    assert.equal(sql.normalizeIdentifier('weird-name'), 'weird-name');
  });
  it('splits qualified names outside quotes', () => {
    assert.deepEqual(sql.parseQualifiedName('db."My.Schema".svc'), { database: 'DB', schema: 'My.Schema', name: 'SVC' });
    assert.deepEqual(sql.parseQualifiedName('sch.svc'), { schema: 'SCH', name: 'SVC' });
    assert.deepEqual(sql.parseQualifiedName('"a""b"'), { name: 'a"b' });
  });
  it('round-trips through objectName', () => {
    assert.equal(sql.objectName(sql.parseQualifiedName('db."My.Schema".svc')), 'DB."My.Schema".SVC');
    assert.equal(sql.qualifiedName('SPCS_DEMO', 'PUBLIC', 'echo'), 'SPCS_DEMO.PUBLIC."echo"');
    assert.equal(sql.qualifiedName(undefined, 'PUBLIC', 'ECHO'), 'PUBLIC.ECHO');
  });
});

describe('stringLiteral and specLiteral', { timeout: 5000 }, () => {
  it('doubles quotes and backslashes in single-quoted literals', () => {
    assert.equal(sql.stringLiteral(''), "''");
    assert.equal(sql.stringLiteral("it's"), "'it''s'");
    assert.equal(sql.stringLiteral('C:\\path\\n'), "'C:\\\\path\\\\n'");
    assert.equal(sql.stringLiteral("\\'"), "'\\\\'''");
    assert.equal(sql.stringLiteral('line1\nline2'), "'line1\nline2'");
    assert.equal(sql.stringLiteral('$$'), "'$$'");
  });
  it('uses $$…$$ when the text allows it, unchanged (no escaping inside)', () => {
    const spec = 'spec:\n  containers:\n  - name: "a"\n    env: {X: \'it\'\'s\', Y: C:\\dir}\n';
    assert.equal(sql.specLiteral(spec), `$$${spec}$$`);
    assert.equal(sql.specLiteral('cost: $5'), '$$cost: $5$$');
  });
  it('falls back to an escaped single-quoted literal when $$ would break', () => {
    assert.equal(sql.specLiteral('a: $$b'), "'a: $$b'");
    assert.equal(sql.specLiteral("x: 'y' \\ $$"), "'x: ''y'' \\\\ $$'");
    assert.equal(sql.specLiteral('ends with $'), "'ends with $'");
    assert.equal(sql.specLiteral('$starts'), "'$starts'");
  });
  it('produces a literal whose Snowflake reading is the original text', () => {
    // A reader for the two literal forms as Snowflake defines them.
    const read = (literal: string): string => {
      if (literal.startsWith('$$')) {
        const end = literal.indexOf('$$', 2);
        assert.equal(end, literal.length - 2, 'the first $$ after the opening ends the literal');
        return literal.slice(2, end);
      }
      assert.ok(literal.startsWith("'") && literal.endsWith("'"));
      let out = '';
      for (let index = 1; index < literal.length - 1; index++) {
        const char = literal[index] ?? '';
        if (char === '\\') {
          out += literal[++index] ?? '';
        } else if (char === "'") {
          assert.equal(literal[++index], "'", 'a lone quote would end the literal');
          out += "'";
        } else {
          out += char;
        }
      }
      return out;
    };
    for (const text of ['plain', '$$', 'a$$b$$c', '$', '$$$', "'", "''", '\\', '\\\\', "\\'", 'x\\$$y', 'tab\tnew\nline', '"quoted" $x$ \\n', '']) {
      assert.equal(read(sql.specLiteral(text)), text, JSON.stringify(text));
      assert.equal(read(sql.stringLiteral(text)), text, JSON.stringify(text));
    }
  });
});

describe('statement builders', { timeout: 5000 }, () => {
  it('builds CREATE SERVICE with every option in the documented order', () => {
    assert.equal(
      sql.createService({
        name: { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO' },
        pool: 'TUTORIAL_POOL',
        spec: 'spec: {}',
        ifNotExists: true,
        minInstances: 1,
        maxInstances: 3,
        autoResume: false,
        externalAccessIntegrations: ['EAI_ONE', 'eai two'],
        queryWarehouse: 'DEMO_WH',
        comment: "Bob's service",
        tags: { 'db.sch.cost_center': 'x' },
      }),
      [
        'CREATE SERVICE IF NOT EXISTS SPCS_DEMO.PUBLIC.ECHO',
        '  IN COMPUTE POOL TUTORIAL_POOL',
        '  FROM SPECIFICATION $$spec: {}$$',
        '  EXTERNAL_ACCESS_INTEGRATIONS = (EAI_ONE, "eai two")',
        '  AUTO_RESUME = FALSE',
        '  MIN_INSTANCES = 1',
        '  MAX_INSTANCES = 3',
        '  QUERY_WAREHOUSE = DEMO_WH',
        "  COMMENT = 'Bob''s service'",
        "  WITH TAG (DB.SCH.COST_CENTER = 'x')",
      ].join('\n'),
    );
  });
  it('builds the template, stage and stage-template forms', () => {
    assert.equal(
      sql.fromSpecification({ kind: 'template', text: 'image: x:{{ tag }}', using: { tag: 'v2', port: 8000, public_endpoint: true, 'odd key': "a'b" } }),
      `FROM SPECIFICATION_TEMPLATE $$image: x:{{ tag }}$$ USING (tag => 'v2', port => 8000, public_endpoint => TRUE, "odd key" => 'a''b')`,
    );
    assert.equal(sql.fromSpecification({ kind: 'stage', stage: { database: 'DB', schema: 'S', name: 'SPECS' }, path: 'dir/sub', file: 'echo.yaml' }), "FROM @DB.S.SPECS/dir/sub SPECIFICATION_FILE = 'echo.yaml'");
    assert.equal(sql.fromSpecification({ kind: 'stageTemplate', stage: 'SPECS', file: 't.yaml', using: { a: 1 } }), "FROM @SPECS SPECIFICATION_TEMPLATE_FILE = 't.yaml' USING (a => 1)");
    assert.throws(() => sql.fromSpecification({ kind: 'template', text: 'x', using: {} }), /at least one USING value/);
    assert.throws(() => sql.fromSpecification({ kind: 'stage', stage: 'S', path: "a b'", file: 'x' }), /need quoting/);
  });
  it('validates instance counts', () => {
    assert.throws(() => sql.createService({ name: 'S', pool: 'P', spec: 'x', minInstances: 3, maxInstances: 2 }), /MAX_INSTANCES \(2\) must be at least MIN_INSTANCES \(3\)/);
    assert.throws(() => sql.createService({ name: 'S', pool: 'P', spec: 'x', minInstances: 0 }), /MIN_INSTANCES must be an integer ≥ 1/);
    assert.throws(() => sql.createService({ name: 'S', pool: 'P', spec: 'x', minInstances: 1.5 }), /integer/);
    assert.throws(() => sql.createService({ name: 'S', pool: 'P', spec: 'x', minInstances: 1, minReadyInstances: 2 }), /MIN_READY_INSTANCES/);
  });
  it('builds ALTER SERVICE forms', () => {
    assert.equal(sql.alterServiceSpec('ECHO', 'spec: {}'), 'ALTER SERVICE ECHO\n  FROM SPECIFICATION $$spec: {}$$');
    assert.equal(sql.suspendService('ECHO', { ifExists: true }), 'ALTER SERVICE IF EXISTS ECHO SUSPEND');
    assert.equal(sql.resumeService('echo'), 'ALTER SERVICE "echo" RESUME');
    assert.equal(sql.setServiceInstances('ECHO', { min: 2, max: 4 }), 'ALTER SERVICE ECHO SET MIN_INSTANCES = 2 MAX_INSTANCES = 4');
    assert.equal(sql.setServiceProperties('ECHO', { autoResume: true, logLevel: 'INFO', comment: '' }), "ALTER SERVICE ECHO SET AUTO_RESUME = TRUE LOG_LEVEL = 'INFO' COMMENT = ''");
    assert.throws(() => sql.setServiceProperties('ECHO', {}), /at least one property/);
  });
  it('builds DROP SERVICE with FORCE', () => {
    assert.equal(sql.dropService('ECHO'), 'DROP SERVICE ECHO');
    assert.equal(sql.dropService({ schema: 'PUBLIC', name: 'DATA' }, { ifExists: true, force: true }), 'DROP SERVICE IF EXISTS PUBLIC.DATA FORCE');
  });
  it('builds EXECUTE JOB SERVICE', () => {
    assert.equal(
      sql.executeJobService({ pool: 'P', spec: 'spec: {}', name: 'NIGHTLY', async: true, replicas: 2, queryWarehouse: 'WH', externalAccessIntegrations: ['E'], comment: 'c' }),
      "EXECUTE JOB SERVICE\n  IN COMPUTE POOL P\n  FROM SPECIFICATION $$spec: {}$$\n  NAME = NIGHTLY\n  ASYNC = TRUE\n  REPLICAS = 2\n  EXTERNAL_ACCESS_INTEGRATIONS = (E)\n  QUERY_WAREHOUSE = WH\n  COMMENT = 'c'",
    );
    assert.equal(sql.executeJobService({ pool: 'P', spec: 'x' }), 'EXECUTE JOB SERVICE\n  IN COMPUTE POOL P\n  FROM SPECIFICATION $$x$$');
  });
  it('builds SHOW and DESCRIBE forms', () => {
    assert.equal(sql.showServices(), 'SHOW SERVICES');
    assert.equal(sql.showServices({ in: { schema: { database: 'DB', name: 'PUBLIC' } } }), 'SHOW SERVICES IN SCHEMA DB.PUBLIC');
    assert.equal(sql.showServices({ jobsOnly: true, like: 'NIGHT%', in: { computePool: 'P' } }), "SHOW JOB SERVICES LIKE 'NIGHT%' IN COMPUTE POOL P");
    assert.equal(sql.showServices({ excludeJobs: true, in: { account: true }, startsWith: 'E', limit: 10 }), "SHOW SERVICES EXCLUDE JOBS IN ACCOUNT STARTS WITH 'E' LIMIT 10");
    assert.equal(sql.showServices({ in: { database: 'DB' } }), 'SHOW SERVICES IN DATABASE DB');
    assert.throws(() => sql.showServices({ jobsOnly: true, excludeJobs: true }), /exclude each other/);
    assert.equal(sql.describeService('ECHO'), 'DESCRIBE SERVICE ECHO');
    assert.equal(sql.showServiceInstances('ECHO'), 'SHOW SERVICE INSTANCES IN SERVICE ECHO');
    assert.equal(sql.showServiceContainers('ECHO'), 'SHOW SERVICE CONTAINERS IN SERVICE ECHO');
    assert.equal(sql.showEndpoints('ECHO'), 'SHOW ENDPOINTS IN SERVICE ECHO');
    assert.equal(sql.showServiceRoles('ECHO'), 'SHOW ROLES IN SERVICE ECHO');
    assert.equal(sql.showComputePools({ like: 'TUT%' }), "SHOW COMPUTE POOLS LIKE 'TUT%'");
    assert.equal(sql.describeComputePool('P'), 'DESCRIBE COMPUTE POOL P');
    assert.equal(sql.suspendComputePool('P'), 'ALTER COMPUTE POOL P SUSPEND');
    assert.equal(sql.resumeComputePool('P'), 'ALTER COMPUTE POOL P RESUME');
    assert.equal(sql.showInstanceFamilies(), 'SHOW COMPUTE POOL INSTANCE FAMILIES');
    assert.equal(sql.showImageRepositories({ in: { schema: 'PUBLIC' } }), 'SHOW IMAGE REPOSITORIES IN SCHEMA PUBLIC');
    assert.equal(sql.showImages({ database: 'DB', schema: 'S', name: 'REPO' }, { like: 'echo%' }), "SHOW IMAGES LIKE 'echo%' IN IMAGE REPOSITORY DB.S.REPO");
  });
  it('builds SYSTEM$GET_SERVICE_LOGS with as many arguments as needed', () => {
    assert.equal(sql.getServiceLogs({ service: 'ECHO', instanceId: 0, container: 'main' }), "SELECT SYSTEM$GET_SERVICE_LOGS('ECHO', '0', 'main')");
    assert.equal(sql.getServiceLogs({ service: 'ECHO', instanceId: '1', container: 'main', numLines: 20 }), "SELECT SYSTEM$GET_SERVICE_LOGS('ECHO', '1', 'main', 20)");
    assert.equal(sql.getServiceLogs({ service: 'ECHO', instanceId: 0, container: 'main', previous: true }), "SELECT SYSTEM$GET_SERVICE_LOGS('ECHO', '0', 'main', 500, TRUE)");
    assert.equal(
      sql.getServiceLogs({ service: { database: 'DB', schema: 'S', name: 'my svc' }, instanceId: 0, container: "it's", since: '2026-01-01T00:00:00Z', includeTimestamps: true }),
      `SELECT SYSTEM$GET_SERVICE_LOGS('DB.S."my svc"', '0', 'it''s', 500, FALSE, '2026-01-01T00:00:00Z', TRUE)`,
    );
  });
  it('builds USE and job statements', () => {
    assert.equal(sql.useRole('SPCS_DEVELOPER'), 'USE ROLE SPCS_DEVELOPER');
    assert.equal(sql.useWarehouse('DEMO_WH'), 'USE WAREHOUSE DEMO_WH');
    assert.equal(sql.useDatabase('SPCS_DEMO'), 'USE DATABASE SPCS_DEMO');
    assert.equal(sql.useSchema({ database: 'SPCS_DEMO', name: 'PUBLIC' }), 'USE SCHEMA SPCS_DEMO.PUBLIC');
    assert.equal(sql.cancelJob('NIGHTLY'), "SELECT SYSTEM$CANCEL_JOB('NIGHTLY')");
  });
});

describe('catalog listings and GRANT', { timeout: 5000 }, () => {
  it('builds the listings the account catalog reads', () => {
    assert.equal(sql.showStages({ in: { account: true } }), 'SHOW STAGES IN ACCOUNT');
    assert.equal(sql.showSecrets({ in: { account: true } }), 'SHOW SECRETS IN ACCOUNT');
    assert.equal(sql.showSecrets({ like: 'GIT%', in: { schema: { database: 'DB', name: 'S' } } }), "SHOW SECRETS LIKE 'GIT%' IN SCHEMA DB.S");
    assert.equal(sql.showExternalAccessIntegrations(), 'SHOW EXTERNAL ACCESS INTEGRATIONS');
    assert.equal(sql.showWarehouses({ like: "it's" }), "SHOW WAREHOUSES LIKE 'it''s'");
    assert.equal(sql.showGrantsToRole('SPCS_DEVELOPER'), 'SHOW GRANTS TO ROLE SPCS_DEVELOPER');
    assert.equal(sql.showGrantsToRole('dev role'), 'SHOW GRANTS TO ROLE "dev role"');
  });
  it('builds GRANT statements with quoted names and keyword privileges only', () => {
    assert.equal(sql.grantPrivilege('BIND SERVICE ENDPOINT', { type: 'ACCOUNT' }, 'SPCS_VIEWER'), 'GRANT BIND SERVICE ENDPOINT ON ACCOUNT TO ROLE SPCS_VIEWER');
    assert.equal(sql.grantPrivilege('USAGE', { type: 'COMPUTE POOL', name: 'my pool' }, 'R'), 'GRANT USAGE ON COMPUTE POOL "my pool" TO ROLE R');
    assert.equal(sql.grantPrivilege('READ', { type: 'IMAGE REPOSITORY', name: { database: 'DB', schema: 'S', name: 'REPO' } }, 'r'), 'GRANT READ ON IMAGE REPOSITORY DB.S.REPO TO ROLE "r"');
    assert.throws(() => sql.grantPrivilege('USAGE; DROP', { type: 'ACCOUNT' }, 'R'), /Not a privilege/);
  });
});

describe('compute pool and image repository statements', { timeout: 5000 }, () => {
  it('builds CREATE COMPUTE POOL with every option in the documented order', () => {
    assert.equal(sql.createComputePool({ name: 'LLM_POOL', instanceFamily: 'gpu_nv_s', minNodes: 1, maxNodes: 1 }), 'CREATE COMPUTE POOL LLM_POOL\n  MIN_NODES = 1\n  MAX_NODES = 1\n  INSTANCE_FAMILY = GPU_NV_S');
    assert.equal(
      sql.createComputePool({ name: 'POOL', instanceFamily: 'CPU_X64_S', minNodes: 1, maxNodes: 3, autoResume: false, initiallySuspended: true, autoSuspendSecs: 0, comment: "it's mine", ifNotExists: true, tags: { 'gov.cost_center': 'ml' } }),
      "CREATE COMPUTE POOL IF NOT EXISTS POOL\n  MIN_NODES = 1\n  MAX_NODES = 3\n  INSTANCE_FAMILY = CPU_X64_S\n  AUTO_RESUME = FALSE\n  INITIALLY_SUSPENDED = TRUE\n  AUTO_SUSPEND_SECS = 0\n  WITH TAG (GOV.COST_CENTER = 'ml')\n  COMMENT = 'it''s mine'",
    );
    assert.throws(() => sql.createComputePool({ name: 'P', instanceFamily: 'CPU_X64_S', minNodes: 2, maxNodes: 1 }), /MAX_NODES \(1\) must be at least MIN_NODES \(2\)/);
    assert.throws(() => sql.createComputePool({ name: 'P', instanceFamily: 'CPU_X64_S', minNodes: 0, maxNodes: 1 }), /MIN_NODES must be an integer ≥ 1/);
    assert.throws(() => sql.createComputePool({ name: 'P', instanceFamily: 'CPU; DROP', minNodes: 1, maxNodes: 1 }), /Not an instance family/);
    assert.throws(() => sql.createComputePool({ name: 'P', instanceFamily: 'CPU_X64_S', minNodes: 1, maxNodes: 1, autoSuspendSecs: -1 }), /AUTO_SUSPEND_SECS must be an integer ≥ 0/);
  });
  it('builds ALTER COMPUTE POOL … SET, STOP ALL and DROP', () => {
    assert.equal(sql.setComputePoolProperties('LLM_POOL', { maxNodes: 2, autoSuspendSecs: 600, autoResume: true, minNodes: 1, comment: 'x' }), "ALTER COMPUTE POOL LLM_POOL SET MIN_NODES = 1 MAX_NODES = 2 AUTO_RESUME = TRUE AUTO_SUSPEND_SECS = 600 COMMENT = 'x'");
    assert.throws(() => sql.setComputePoolProperties('P', {}), /at least one property/);
    assert.throws(() => sql.setComputePoolProperties('P', { minNodes: 3, maxNodes: 2 }), /MAX_NODES \(2\) must be at least MIN_NODES \(3\)/);
    assert.equal(sql.stopAllInComputePool('LLM_POOL'), 'ALTER COMPUTE POOL LLM_POOL STOP ALL');
    assert.equal(sql.dropComputePool('TABLE'), 'DROP COMPUTE POOL "TABLE"');
    assert.equal(sql.dropComputePool('P', { ifExists: true }), 'DROP COMPUTE POOL IF EXISTS P');
  });
  it('builds CREATE and DROP IMAGE REPOSITORY', () => {
    assert.equal(sql.createImageRepository({ name: { database: 'ML_DB', schema: 'SERVING', name: 'MODELS' } }), 'CREATE IMAGE REPOSITORY ML_DB.SERVING.MODELS');
    assert.equal(
      sql.createImageRepository({ name: 'MODELS', ifNotExists: true, encryption: 'SNOWFLAKE_SSE', comment: 'weights' }),
      "CREATE IMAGE REPOSITORY IF NOT EXISTS MODELS ENCRYPTION = (TYPE = 'SNOWFLAKE_SSE') COMMENT = 'weights'",
    );
    assert.equal(sql.dropImageRepository({ database: 'ML_DB', schema: 'SERVING', name: 'MODELS' }), 'DROP IMAGE REPOSITORY ML_DB.SERVING.MODELS');
  });
});
