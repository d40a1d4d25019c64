/**
 * Gateways against the engine: CREATE [OR REPLACE] GATEWAY [IF NOT EXISTS] … FROM SPECIFICATION,
 * ALTER GATEWAY (FROM SPECIFICATION, SET / UNSET COMMENT), DESCRIBE GATEWAY, SHOW GATEWAYS, DROP
 * GATEWAY: the documented spec rules for traffic_split and shadow_traffic gateways, the target checks
 * (the endpoint exists, is HTTP, belongs to a long-running service), the privileges (CREATE GATEWAY on
 * the schema, BIND SERVICE ENDPOINT, USAGE on each endpoint through a service role, MODIFY or
 * OWNERSHIP to alter, OWNERSHIP to drop, USAGE / MODIFY / OWNERSHIP to see one), the documented
 * DESCRIBE columns and the ingress host provisioned over emulated time.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertError, echoSpec, kit, type Kit } from './sqlKit';

const describeColumns = ['name', 'ingress_url', 'privatelink_ingress_url', 'database_name', 'schema_name', 'owner', 'owner_role_type', 'spec', 'created_on', 'updated_on', 'comment'];
const showColumns = ['created_on', 'name', 'database_name', 'schema_name', 'owner', 'comment', 'owner_role_type', 'ingress_url', 'privatelink_ingress_url', 'updated_on'];
const provisioning = 'Endpoints provisioning in progress... check back in a few minutes';
const host = /^[a-z0-9]{8}-emulator-spcs-emulator\.snowflakecomputing\.app$/;

interface Target {
  readonly value: string;
  readonly weight?: number;
}

function split(targets: readonly Target[], extra = ''): string {
  const items = targets.map((target) => `    - type: endpoint\n      value: ${target.value}\n${target.weight === undefined ? '' : `      weight: ${target.weight}\n`}`).join('');
  return `spec:\n  type: traffic_split\n  split_type: custom\n  targets:\n${items}${extra}`;
}

function shadow(primary: Target, shadows: readonly Target[]): string {
  const item = (target: Target) => `    - type: endpoint\n      value: ${target.value}\n${target.weight === undefined ? '' : `      weight: ${target.weight}\n`}`;
  return `spec:\n  type: shadow_traffic\n  primary:\n${item(primary)}  shadow:${shadows.length === 0 ? ' []\n' : `\n${shadows.map(item).join('')}`}`;
}

const v1 = 'spcs_demo.public.echo_service!echoendpoint';
const v2 = 'spcs_demo.public.echo_v2!echoendpoint';

/** The demo account plus a second echo service (ECHO_V2) to split traffic with. */
function withTwoVersions(): Kit {
  const t = kit();
  t.run(`CREATE SERVICE echo_v2 IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${echoSpec({ tag: 'latest', endpoint: 'public' })}$$`);
  return t;
}

describe('the demo gateway', () => {
  it('is listed and described with the documented columns', () => {
    const t = kit();
    const shown = t.run('SHOW GATEWAYS');
    assert.deepEqual(shown.columns.map((column) => column.name), showColumns);
    const row = t.one('SHOW GATEWAYS');
    assert.deepEqual([row.name, row.database_name, row.schema_name, row.owner, row.owner_role_type, row.comment, row.privatelink_ingress_url], ['ECHO_GATEWAY', 'SPCS_DEMO', 'PUBLIC', 'SPCS_DEVELOPER', 'ROLE', 'Stable URL for the echo service', '']);
    assert.match(row.ingress_url ?? '', host);
    const described = t.run('DESCRIBE GATEWAY echo_gateway');
    assert.deepEqual(described.columns.map((column) => column.name), describeColumns);
    assert.equal(described.columns.find((column) => column.name === 'created_on')?.type, 'timestamp_ltz');
    const gateway = t.one('DESC GATEWAY spcs_demo.public.echo_gateway');
    assert.equal(gateway.ingress_url, row.ingress_url);
    assert.equal(gateway.spec, 'spec:\n  type: traffic_split\n  split_type: custom\n  targets:\n    - type: endpoint\n      value: spcs_demo.public.echo_service!echoendpoint\n      weight: 100\n');
    const viewer = t.session('SPCS_VIEWER', 'VIEWER_USER');
    assert.equal(t.one('DESCRIBE GATEWAY spcs_demo.public.echo_gateway', viewer).name, 'ECHO_GATEWAY', 'USAGE lets the viewer see it');
  });
});

describe('CREATE GATEWAY', () => {
  it('splits traffic between two endpoints, with a host provisioned about a minute later', () => {
    const t = withTwoVersions();
    assert.equal(t.value(`CREATE GATEWAY split_gateway FROM SPECIFICATION $$${split([{ value: v1, weight: 90 }, { value: v2, weight: 10 }])}$$`), 'Gateway SPLIT_GATEWAY successfully created.');
    const gateway = () => t.one('DESCRIBE GATEWAY split_gateway');
    assert.equal(gateway().ingress_url, provisioning);
    assert.equal(t.one("SHOW GATEWAYS LIKE 'split%'").ingress_url, provisioning);
    t.advance(59);
    assert.equal(gateway().ingress_url, provisioning);
    t.advance(2);
    const url = gateway().ingress_url ?? '';
    assert.match(url, host);
    assert.deepEqual([gateway().owner, gateway().comment, gateway().created_on === gateway().updated_on], ['SPCS_DEVELOPER', null, true]);
    assert.match(gateway().spec ?? '', /weight: 90\n[\s\S]*weight: 10\n/);
  });

  it('takes the documented statement forms: IF NOT EXISTS, OR REPLACE (a new host), COMMENT, quoted text', () => {
    const t = withTwoVersions();
    const spec = split([{ value: v1, weight: 100 }]);
    t.run(`CREATE GATEWAY g COMMENT = 'first' FROM SPECIFICATION $$${spec}$$`);
    t.advance(61);
    const first = t.one('DESCRIBE GATEWAY g');
    assert.equal(first.comment, 'first');
    assert.equal(t.value(`CREATE GATEWAY IF NOT EXISTS g FROM SPECIFICATION $$${split([{ value: v2, weight: 100 }])}$$`), 'G already exists, statement succeeded.');
    assert.match(t.one('DESCRIBE GATEWAY g').spec ?? '', /echo_service/, 'IF NOT EXISTS leaves it alone');
    assertError(t.error(`CREATE GATEWAY g FROM SPECIFICATION $$${spec}$$`), '002002', "SQL compilation error:\nObject 'SPCS_DEMO.PUBLIC.G' already exists.");
    assertError(t.error(`CREATE OR REPLACE GATEWAY IF NOT EXISTS g FROM SPECIFICATION $$${spec}$$`), '001003', 'SQL compilation error:\nOR REPLACE and IF NOT EXISTS are mutually exclusive; use only one of them.');
    assert.equal(t.value(`CREATE OR REPLACE GATEWAY g FROM SPECIFICATION '${split([{ value: v2, weight: 100 }]).replace(/'/g, "''")}'`), 'Gateway G successfully created.');
    const replaced = t.one('DESCRIBE GATEWAY g');
    assert.equal(replaced.ingress_url, provisioning, 'a replaced gateway is a new object with a new host');
    assert.equal(replaced.comment, null);
    t.advance(61);
    assert.notEqual(t.one('DESCRIBE GATEWAY g').ingress_url, first.ingress_url);
    assertError(t.error('CREATE GATEWAY no_spec'), '001003', 'SQL compilation error:\nCREATE GATEWAY requires FROM SPECIFICATION.');
    assertError(t.error(`CREATE GATEWAY g2 COLOR = 'red' FROM SPECIFICATION $$${spec}$$`), '001008', "SQL compilation error:\ninvalid property 'COLOR' for 'GATEWAY'");
    assertError(t.error(`CREATE GATEWAY g2 FROM SPECIFICATION $$${spec}$$ FROM SPECIFICATION $$${spec}$$`), '001003', /syntax error/);
  });

  it('refuses every spec the docs rule out, naming the rule', () => {
    const t = withTwoVersions();
    const refused = (spec: string, detail: string | RegExp) => {
      const error = t.error(`CREATE GATEWAY bad FROM SPECIFICATION $$${spec}$$`);
      assertError(error, '395018', typeof detail === 'string' ? `Invalid gateway spec: ${detail}` : detail);
      assert.equal(error.sqlState, '22023');
    };
    refused('spec: [unclosed', /^Invalid gateway spec: the specification is not valid YAML: /);
    refused('', "missing 'spec'.");
    refused('spec:\n', "missing 'spec'.");
    refused('spec: 5\n', "'spec' must be a mapping.");
    refused('- spec\n', "'(document)' must be a mapping.");
    refused('kind: gateway\n', "unknown option 'kind'. A gateway specification has only 'spec'.");
    refused('spec:\n  split_type: custom\n', "missing 'spec.type'.");
    refused(split([{ value: v1, weight: 100 }]).replace('traffic_split', 'round_robin'), "invalid value 'round_robin' for 'spec.type': it must be 'traffic_split' or 'shadow_traffic'.");
    refused(split([{ value: v1, weight: 100 }]).replace('traffic_split', 'TRAFFIC_SPLIT'), /invalid value 'TRAFFIC_SPLIT' for 'spec.type'/);
    refused(split([{ value: v1, weight: 100 }]).replace('  split_type: custom\n', ''), "missing 'spec.split_type'.");
    refused(split([{ value: v1, weight: 100 }]).replace('split_type: custom', 'split_type: even'), "invalid value 'even' for 'spec.split_type': it must be 'custom'.");
    refused('spec:\n  type: traffic_split\n  split_type: custom\n', "missing 'spec.targets'.");
    refused('spec:\n  type: traffic_split\n  split_type: custom\n  targets: []\n', "'spec.targets' must list at least one endpoint.");
    refused('spec:\n  type: traffic_split\n  split_type: custom\n  targets:\n    type: endpoint\n', "'spec.targets' must be a list.");
    refused(split([{ value: v1, weight: 100 }]).replace('- type: endpoint', '- type: service'), "invalid value 'service' for 'spec.targets[0].type': it must be 'endpoint'.");
    refused(split([{ value: 'echo_service!echoendpoint', weight: 100 }]), "invalid value 'echo_service!echoendpoint' for 'spec.targets[0].value': it must be a fully qualified endpoint name <db>.<schema>.<service>!<endpoint>.");
    refused(split([{ value: 'spcs_demo.public.echo_service', weight: 100 }]), /for 'spec.targets\[0\].value': it must be a fully qualified endpoint name/);
    refused(split([{ value: v1 }]), "missing 'spec.targets[0].weight'.");
    refused(split([{ value: v1, weight: 50.5 }, { value: v2, weight: 49.5 }]), "invalid value '50.5' for 'spec.targets[0].weight': it must be an integer from 0 to 100.");
    refused(split([{ value: v1, weight: 100 }]).replace('weight: 100', 'weight: "100"'), "invalid value '100' for 'spec.targets[0].weight': it must be an integer from 0 to 100.");
    refused(split([{ value: v1, weight: 110 }, { value: v2, weight: -10 }]), "invalid value '110' for 'spec.targets[0].weight': it must be an integer from 0 to 100.");
    refused(split([{ value: v1, weight: 60 }, { value: v2, weight: 30 }]), "the weights of 'spec.targets' add up to 90; they must add up to 100.");
    refused(split([{ value: v1, weight: 50 }, { value: v1.toUpperCase(), weight: 50 }]), "endpoint 'SPCS_DEMO.PUBLIC.ECHO_SERVICE!ECHOENDPOINT' is listed twice ('spec.targets[0]' and 'spec.targets[1]').");
    refused(split([{ value: v1, weight: 100 }]).replace('      weight: 100\n', '      weight: 100\n      path: /v1\n'), "unknown option 'path' for 'spec.targets[0]'.");
    refused(split([{ value: v1, weight: 100 }], '  retries: 3\n'), "unknown option 'retries' for 'spec'.");
    const six = Array.from({ length: 6 }, (_, index) => ({ value: `spcs_demo.public.s${index}!api`, weight: index === 0 ? 50 : 10 }));
    refused(split(six), 'a gateway has at most 5 endpoints; this one lists 6.');
    refused(shadow({ value: v1, weight: 100 }, [{ value: v2, weight: 10 }]), "do not specify 'weight' for the primary endpoint ('spec.primary[0]'): it receives every request.");
    refused(shadow({ value: v1 }, []), "'spec.shadow' must list at least one endpoint.");
    refused(shadow({ value: v1 }, [{ value: v2, weight: 10 }]).replace('  primary:\n', '  split_type: custom\n  primary:\n'), "'spec.split_type' belongs to a traffic_split gateway; a shadow_traffic gateway has 'primary' and 'shadow'.");
    refused(split([{ value: v1, weight: 100 }]).replace('  targets:', '  primary:'), "'spec.primary' belongs to a shadow_traffic gateway; a traffic_split gateway has 'targets'.");
    refused(shadow({ value: v1 }, [{ value: v2 }]), "missing 'spec.shadow[0].weight'.");
    refused(`spec:\n  type: shadow_traffic\n  primary:\n    - type: endpoint\n      value: ${v1}\n`, "missing 'spec.shadow'.");
    refused(shadow({ value: v1 }, [{ value: v2, weight: 10 }]).replace('  primary:\n', '  primary:\n    - type: endpoint\n      value: spcs_demo.public.echo_v2!echoendpoint\n'), "'spec.primary' must list exactly one endpoint (it lists 2).");
    assert.deepEqual(t.rows("SHOW GATEWAYS LIKE 'BAD'"), [], 'no refused spec left a gateway');
  });

  it('accepts a weight of 0 and shadow traffic gateways, whose shadow weights need not add up to 100', () => {
    const t = withTwoVersions();
    assert.equal(t.value(`CREATE GATEWAY canary FROM SPECIFICATION $$${split([{ value: v1, weight: 100 }, { value: v2, weight: 0 }])}$$`), 'Gateway CANARY successfully created.');
    assert.equal(t.value(`CREATE GATEWAY mirror FROM SPECIFICATION $$${shadow({ value: v1 }, [{ value: v2, weight: 25 }])}$$`), 'Gateway MIRROR successfully created.');
    assert.match(t.one('DESCRIBE GATEWAY mirror').spec ?? '', /type: shadow_traffic[\s\S]*primary:[\s\S]*shadow:[\s\S]*weight: 25/);
  });

  it('checks that every target endpoint exists, is HTTP and belongs to a long-running service', () => {
    const t = withTwoVersions();
    const create = (value: string) => t.error(`CREATE GATEWAY g FROM SPECIFICATION $$${split([{ value, weight: 100 }])}$$`);
    assertError(create('spcs_demo.public.no_such_service!api'), '002003', "SQL compilation error:\nService 'SPCS_DEMO.PUBLIC.NO_SUCH_SERVICE' does not exist or not authorized.");
    assertError(create('spcs_demo.public.echo_service!nope'), '002003', "SQL compilation error:\nEndpoint 'SPCS_DEMO.PUBLIC.ECHO_SERVICE!nope' does not exist or not authorized.");
    assertError(create('spcs_demo.public.orders_service!postgres'), '395018', "Invalid gateway spec: endpoint SPCS_DEMO.PUBLIC.ORDERS_SERVICE!postgres ('spec.targets[0]') uses protocol TCP; a gateway routes HTTP ingress requests, so its endpoints must be HTTP.");
    t.run(`EXECUTE JOB SERVICE IN COMPUTE POOL demo_cpu_pool NAME = web_job ASYNC = TRUE FROM SPECIFICATION $$${echoSpec()}$$`);
    assertError(create('spcs_demo.public.web_job!echoendpoint'), '395018', "Invalid gateway spec: 'spec.targets[0].value' names job service SPCS_DEMO.PUBLIC.WEB_JOB; a gateway routes to the endpoints of long-running services.");
    assert.equal(t.value(`CREATE GATEWAY private_ok FROM SPECIFICATION $$${split([{ value: 'spcs_demo.public.llm_service!openai-api', weight: 100 }])}$$`), 'Gateway PRIVATE_OK successfully created.', 'a private HTTP endpoint is accepted (CHOSEN)');
    assert.equal(t.value(`CREATE GATEWAY case_ok FROM SPECIFICATION $$${split([{ value: 'SPCS_DEMO.PUBLIC.ECHO_SERVICE!ECHOENDPOINT', weight: 100 }])}$$`), 'Gateway CASE_OK successfully created.', 'endpoint names match without case');
  });
});

describe('gateway privileges', () => {
  function arranged(): { t: Kit; admin: ReturnType<Kit['session']>; builder: ReturnType<Kit['session']> } {
    const t = withTwoVersions();
    const admin = t.session('ACCOUNTADMIN');
    t.run('CREATE ROLE gateway_builder', admin);
    t.run('GRANT USAGE ON DATABASE spcs_demo TO ROLE gateway_builder', admin);
    t.run('GRANT USAGE ON SCHEMA spcs_demo.public TO ROLE gateway_builder', admin);
    return { t, admin, builder: t.session('GATEWAY_BUILDER') };
  }

  it('needs CREATE GATEWAY on the schema, BIND SERVICE ENDPOINT, and USAGE on each endpoint through a service role', () => {
    const { t, admin, builder } = arranged();
    const create = () => t.error(`CREATE GATEWAY built FROM SPECIFICATION $$${split([{ value: v1, weight: 50 }, { value: 'spcs_demo.public.llm_service!chat', weight: 50 }])}$$`, builder);
    assertError(create(), '003001', "SQL access control error:\nInsufficient privileges to operate on schema 'SPCS_DEMO.PUBLIC'.");
    t.run('GRANT CREATE GATEWAY ON SCHEMA spcs_demo.public TO ROLE gateway_builder', admin);
    assertError(create(), '003001', "SQL access control error:\nInsufficient privileges to operate on account 'SPCS_EMULATOR'. A gateway binds service endpoints and needs the BIND SERVICE ENDPOINT privilege on the account.");
    t.run('GRANT BIND SERVICE ENDPOINT ON ACCOUNT TO ROLE gateway_builder', admin);
    assertError(create(), '002003', "SQL compilation error:\nService 'SPCS_DEMO.PUBLIC.ECHO_SERVICE' does not exist or not authorized.", );
    t.run('GRANT USAGE ON SERVICE spcs_demo.public.echo_service TO ROLE gateway_builder', t.session());
    assertError(
      create(),
      '003001',
      "SQL access control error:\nInsufficient privileges to operate on service endpoint 'SPCS_DEMO.PUBLIC.ECHO_SERVICE!echoendpoint'. Grant the role a service role that covers it, e.g. GRANT SERVICE ROLE SPCS_DEMO.PUBLIC.ECHO_SERVICE!ALL_ENDPOINTS_USAGE TO ROLE GATEWAY_BUILDER.",
    );
    t.run('GRANT SERVICE ROLE spcs_demo.public.echo_service!all_endpoints_usage TO ROLE gateway_builder', t.session());
    assertError(create(), '002003', "SQL compilation error:\nService 'SPCS_DEMO.PUBLIC.LLM_SERVICE' does not exist or not authorized.");
    // A spec service role that lists the endpoint is enough, without any privilege on the service itself.
    t.run('GRANT SERVICE ROLE spcs_demo.public.llm_service!chat_users TO ROLE gateway_builder', t.session());
    assert.equal(t.value(`CREATE GATEWAY built FROM SPECIFICATION $$${split([{ value: v1, weight: 50 }, { value: 'spcs_demo.public.llm_service!chat', weight: 50 }])}$$`, builder), 'Gateway BUILT successfully created.');
    assertError(
      t.error(`ALTER GATEWAY built FROM SPECIFICATION $$${split([{ value: 'spcs_demo.public.llm_service!openai-api', weight: 100 }])}$$`, builder),
      '003001',
      /Insufficient privileges to operate on service endpoint 'SPCS_DEMO.PUBLIC.LLM_SERVICE!openai-api'/,
    );
    assert.equal(t.one('SHOW GRANTS ON GATEWAY spcs_demo.public.built', admin).privilege, 'OWNERSHIP');
  });

  it('needs MODIFY or OWNERSHIP to alter, OWNERSHIP to drop, and USAGE, MODIFY or OWNERSHIP to see one', () => {
    const { t, admin, builder } = arranged();
    t.run(`CREATE GATEWAY owned FROM SPECIFICATION $$${split([{ value: v1, weight: 100 }])}$$`);
    const missing = "SQL compilation error:\nGateway 'SPCS_DEMO.PUBLIC.OWNED' does not exist or not authorized.";
    assertError(t.error('DESCRIBE GATEWAY owned', builder), '002003', missing);
    assertError(t.error("ALTER GATEWAY owned SET COMMENT = 'x'", builder), '002003', missing);
    assert.deepEqual(t.rows('SHOW GATEWAYS IN ACCOUNT', builder), [], 'a role with no privilege on a gateway does not see it');
    t.run('GRANT USAGE ON GATEWAY owned TO ROLE gateway_builder');
    assert.deepEqual(t.rows('SHOW GATEWAYS IN ACCOUNT', builder).map((row) => row.name), ['OWNED']);
    assert.match(t.one('DESCRIBE GATEWAY owned', builder).spec ?? '', /traffic_split/, 'USAGE shows the spec');
    const denied = "SQL access control error:\nInsufficient privileges to operate on gateway 'SPCS_DEMO.PUBLIC.OWNED'.";
    assertError(t.error("ALTER GATEWAY owned SET COMMENT = 'x'", builder), '003001', denied);
    t.run('GRANT MODIFY ON GATEWAY owned TO ROLE gateway_builder');
    assert.equal(t.value("ALTER GATEWAY owned SET COMMENT = 'renamed'", builder), 'Statement executed successfully.');
    assertError(t.error('DROP GATEWAY owned', builder), '003001', denied);
    assertError(t.error('GRANT OPERATE ON GATEWAY owned TO ROLE gateway_builder'), '001008', 'SQL compilation error:\nInvalid privilege OPERATE for GATEWAY.');
    t.run('GRANT OWNERSHIP ON GATEWAY owned TO ROLE gateway_builder', admin);
    assert.equal(t.value('DROP GATEWAY owned', builder), 'OWNED successfully dropped.');
  });
});

describe('ALTER, SHOW and DROP GATEWAY', () => {
  it('shifts traffic with ALTER … FROM SPECIFICATION and keeps the host', () => {
    const t = withTwoVersions();
    t.run(`CREATE GATEWAY rollout FROM SPECIFICATION $$${split([{ value: v1, weight: 100 }])}$$`);
    t.advance(61);
    const before = t.one('DESCRIBE GATEWAY rollout');
    t.advance(10);
    assert.equal(t.value(`ALTER GATEWAY rollout FROM SPECIFICATION $$${split([{ value: v1, weight: 80 }, { value: v2, weight: 20 }])}$$`), 'Statement executed successfully.');
    const after = t.one('DESCRIBE GATEWAY rollout');
    assert.equal(after.ingress_url, before.ingress_url, 'the host does not change for the lifetime of the gateway');
    assert.match(after.spec ?? '', /echo_v2!echoendpoint\n\s+weight: 20/);
    assert.equal(after.created_on, before.created_on);
    assert.notEqual(after.updated_on, before.updated_on);
    assertError(t.error(`ALTER GATEWAY rollout FROM SPECIFICATION $$${split([{ value: v1, weight: 80 }])}$$`), '395018', /add up to 80/);
    assert.match(t.one('DESCRIBE GATEWAY rollout').spec ?? '', /weight: 20/, 'a refused ALTER changes nothing');
    t.run("ALTER GATEWAY rollout SET COMMENT = 'v2 canary'");
    assert.equal(t.one('DESCRIBE GATEWAY rollout').comment, 'v2 canary');
    t.run('ALTER GATEWAY rollout UNSET COMMENT');
    assert.equal(t.one('DESCRIBE GATEWAY rollout').comment, null);
    assertError(t.error('ALTER GATEWAY rollout UNSET SPEC'), '001008', "SQL compilation error:\ninvalid property 'SPEC' for 'GATEWAY'");
    assertError(t.error(`ALTER GATEWAY nope FROM SPECIFICATION $$${split([{ value: v1, weight: 100 }])}$$`), '002003', "SQL compilation error:\nGateway 'SPCS_DEMO.PUBLIC.NOPE' does not exist or not authorized.");
    assert.equal(t.value(`ALTER GATEWAY IF EXISTS nope FROM SPECIFICATION $$x$$`), 'Statement executed successfully.');
    assertError(t.error("ALTER GATEWAY rollout MODIFY LIVE VERSION SET SPECIFICATION = $$x$$"), '000002', "Unsupported feature 'ALTER GATEWAY … MODIFY'.");
  });

  it('keeps a gateway whose target service is dropped, and refuses to route to it again', () => {
    const t = withTwoVersions();
    t.run(`CREATE GATEWAY survivor FROM SPECIFICATION $$${split([{ value: v1, weight: 50 }, { value: v2, weight: 50 }])}$$`);
    t.run('DROP SERVICE echo_v2');
    assert.match(t.one('DESCRIBE GATEWAY survivor').spec ?? '', /echo_v2/, 'the docs describe failover, not a cascade');
    assertError(t.error(`ALTER GATEWAY survivor FROM SPECIFICATION $$${split([{ value: v1, weight: 50 }, { value: v2, weight: 50 }])}$$`), '002003', "SQL compilation error:\nService 'SPCS_DEMO.PUBLIC.ECHO_V2' does not exist or not authorized.");
  });

  it('lists gateways with LIKE, STARTS WITH, LIMIT and every IN form', () => {
    const t = withTwoVersions();
    const admin = t.session('ACCOUNTADMIN');
    t.run(`CREATE GATEWAY alpha FROM SPECIFICATION $$${split([{ value: v1, weight: 100 }])}$$`);
    t.run('GRANT CREATE GATEWAY ON SCHEMA ml_db.serving TO ROLE spcs_developer', admin);
    t.run(`CREATE GATEWAY ml_db.serving.llm_gateway FROM SPECIFICATION $$${split([{ value: 'spcs_demo.public.llm_service!chat', weight: 100 }])}$$`);
    const names = (sql: string) => t.rows(sql).map((row) => `${row.database_name}.${row.schema_name}.${row.name}`);
    assert.deepEqual(names('SHOW GATEWAYS'), ['SPCS_DEMO.PUBLIC.ALPHA', 'SPCS_DEMO.PUBLIC.ECHO_GATEWAY'], 'the current schema');
    assert.deepEqual(names('SHOW GATEWAYS IN ACCOUNT'), ['SPCS_DEMO.PUBLIC.ALPHA', 'SPCS_DEMO.PUBLIC.ECHO_GATEWAY', 'ML_DB.SERVING.LLM_GATEWAY']);
    assert.deepEqual(names('SHOW GATEWAYS IN DATABASE ml_db'), ['ML_DB.SERVING.LLM_GATEWAY']);
    assert.deepEqual(names('SHOW GATEWAYS IN SCHEMA ml_db.serving'), ['ML_DB.SERVING.LLM_GATEWAY']);
    assert.deepEqual(names("SHOW GATEWAYS LIKE '%gate%' IN ACCOUNT"), ['SPCS_DEMO.PUBLIC.ECHO_GATEWAY', 'ML_DB.SERVING.LLM_GATEWAY']);
    assert.deepEqual(names("SHOW GATEWAYS IN ACCOUNT STARTS WITH 'A'"), ['SPCS_DEMO.PUBLIC.ALPHA']);
    assert.deepEqual(names('SHOW GATEWAYS IN ACCOUNT LIMIT 1'), ['SPCS_DEMO.PUBLIC.ALPHA']);
    t.run('DROP SCHEMA ml_db.serving', admin);
    assert.deepEqual(names('SHOW GATEWAYS IN ACCOUNT'), ['SPCS_DEMO.PUBLIC.ALPHA', 'SPCS_DEMO.PUBLIC.ECHO_GATEWAY'], 'dropping the schema drops its gateways');
  });

  it('drops a gateway, with IF EXISTS', () => {
    const t = kit();
    assertError(t.error('DROP GATEWAY nope'), '002003', "SQL compilation error:\nGateway 'SPCS_DEMO.PUBLIC.NOPE' does not exist or not authorized.");
    assert.equal(t.value('DROP GATEWAY IF EXISTS nope'), 'Drop statement executed successfully (NOPE already dropped).');
    assertError(t.error('DROP GATEWAY echo_gateway', t.session('SPCS_VIEWER', 'VIEWER_USER')), '003001', "SQL access control error:\nInsufficient privileges to operate on gateway 'SPCS_DEMO.PUBLIC.ECHO_GATEWAY'.");
    assert.equal(t.value('DROP GATEWAY echo_gateway'), 'ECHO_GATEWAY successfully dropped.');
    assert.deepEqual(t.rows('SHOW GATEWAYS'), []);
    assert.deepEqual(t.rows("SHOW GRANTS TO ROLE spcs_viewer", t.session('ACCOUNTADMIN')).filter((row) => row.granted_on === 'GATEWAY'), [], 'its grants went with it');
  });
});
