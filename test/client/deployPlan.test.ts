/**
 * planDeploy / planJob / applyPlan: every refusal, the SQL of a create and of an upgrade (never a
 * DROP), template USING rendering, the service name rules, and how a half-applied deploy is reported.
 */

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { SpcsLanguageService } from '../../server/src/service/languageService';
import type { DeployChoices, JobChoices } from '../../client/src/specs/deployChoices';
import { analyzeTemplate, renderTemplate, usingValue } from '../../client/src/specs/templates';
import { applyPlan } from '../../client/src/deploy/applyPlan';
import { existingFromRow, type ExistingService } from '../../client/src/specs/deployedService';
import { diffNote, normalizeDeployedSpec, upgradeDiff, specsEquivalent } from '../../client/src/specs/specDiff';
import { planDeploy } from '../../client/src/deploy/deployPlan';
import { type DeployInput, type DeployPlan, type RefusalKind } from '../../client/src/deploy/plans';
import { planJob } from '../../client/src/deploy/planJob';
import { validateServiceName } from '../../client/src/deploy/serviceNames';
import { poolFit } from '../../client/src/deploy/poolFit';
import { snowflakeError } from '../../client/src/snowflake/errors';
import type { Result } from '../../client/src/snowflake/result';
import type { ResultSet } from '../../client/src/snowflake/session';

const samples = path.join(__dirname, '..', '..', 'samples');
const read = (file: string): string => fs.readFileSync(path.join(samples, file), 'utf8');
const service = new SpcsLanguageService();
const uri = 'file:///work/app.spcs.yaml';

const simple = 'spec:\n  containers:\n    - name: app\n      image: /db/schema/repo/app:1.0\n      env:\n        MODE: prod\n';

const baseChoices: DeployChoices = {
  connection: 'dev',
  pool: 'CPU_POOL',
  serviceName: 'my_app',
  minInstances: 1,
  maxInstances: 1,
  externalAccessIntegrations: [],
  autoResume: true,
  templateValues: {},
};

function plan(overrides: Partial<Omit<DeployInput, 'choices'>> & { choices?: Partial<DeployChoices> } = {}): DeployPlan {
  const specText = overrides.specText ?? simple;
  return planDeploy({
    specText,
    specUri: uri,
    diagnostics: overrides.diagnostics ?? service.validate(TextDocument.create(`${uri}#${specText.length}`, 'spcs-spec', 1, specText)),
    existing: overrides.existing,
    ...(overrides.poolFit ? { poolFit: overrides.poolFit } : {}),
    ...(overrides.fittingPools ? { fittingPools: overrides.fittingPools } : {}),
    choices: { ...baseChoices, ...overrides.choices },
  });
}

function refused(result: DeployPlan, kind: RefusalKind): string {
  assert.ok(!result.ok, `expected a refusal (${kind}), got ${JSON.stringify(result).slice(0, 300)}`);
  assert.equal(result.refusal.kind, kind, result.refusal.message);
  return result.refusal.message;
}

function accepted(result: DeployPlan): Extract<DeployPlan, { ok: true }> {
  assert.ok(result.ok, result.ok ? '' : `${result.refusal.kind}: ${result.refusal.message}`);
  return result;
}

const existing: ExistingService = {
  database: 'SPCS_DEMO',
  schema: 'PUBLIC',
  name: 'MY_APP',
  status: 'RUNNING',
  isJob: false,
  computePool: 'CPU_POOL',
  spec: 'spec:\n  containers:\n  - name: app\n    image: /db/schema/repo/app:0.9\n    env:\n      MODE: prod\n    sha256: "@sha256:abc"\n',
  specDigest: 'old',
  minInstances: 1,
  maxInstances: 1,
  minReadyInstances: 1,
  autoResume: true,
  externalAccessIntegrations: [],
};

describe('service names', { timeout: 10_000 }, () => {
  it('accepts unquoted identifiers and gives the DNS label', () => {
    assert.deepEqual(validateServiceName('my_app'), { ok: true, name: 'MY_APP', dnsName: 'my-app' });
    assert.deepEqual(validateServiceName('  Echo2 '), { ok: true, name: 'ECHO2', dnsName: 'echo2' });
    const trailing = validateServiceName('app_');
    assert.ok(trailing.ok && /ends with '-'/.test(trailing.warning ?? ''));
  });

  it('refuses names Snowflake cannot turn into a DNS label, saying what to do', () => {
    const cases: readonly (readonly [string, RegExp])[] = [
      ['', /Enter a service name/],
      ['"my app"', /remove the quotes/],
      ['my-app', /contains '-'.*Use '_' instead.*MY_APP/],
      ['my app', /contains ' '/],
      ['my$app', /contains '\$'/],
      ['2fast', /must start with a letter/],
      ['_app', /must start with a letter/],
      ['a'.repeat(64), /64 characters long; .* at most 63/],
      ['select', /reserved word/],
    ];
    for (const [name, message] of cases) {
      const check = validateServiceName(name);
      assert.ok(!check.ok, name);
      assert.match(check.message, message, name);
    }
    assert.ok(validateServiceName('a'.repeat(63)).ok);
  });
});

describe('planDeploy: refusals', { timeout: 10_000 }, () => {
  it('refuses a document that is not a spec', () => {
    refused(plan({ specText: 'name: not a spec\n' }), 'notASpec');
  });

  it('refuses error diagnostics and hands them over for "Show Problems"', () => {
    const broken = 'spec:\n  containers:\n    - name: App_1\n      image: /db/schema/repo/app:1.0\n';
    const result = plan({ specText: broken });
    const message = refused(result, 'errors');
    assert.match(message, /1 error \(first: line 3: .*\)\. Snowflake would reject it; fix it before deploying/);
    assert.ok(!result.ok && result.refusal.diagnostics?.length === 1);
    // Warnings alone do not stop a deploy.
    const warning: Diagnostic = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, severity: 2, message: 'w', code: 'spcs/unknown-key' };
    accepted(plan({ diagnostics: [warning] }));
  });

  it('ignores the editor\'s capacity errors when the pool fit is given (the pool decides)', () => {
    const vllm = read('vllm-gpu.spcs.yaml');
    const onCpu = service.validate(TextDocument.create('file:///cpu.yaml', 'spcs-spec', 1, vllm.replace('instance-family=GPU_NV_M', 'instance-family=CPU_X64_S')));
    assert.ok(onCpu.some((diagnostic) => diagnostic.code === 'spcs/gpu-exceeds-family'));
    const fit = poolFit(vllm, { name: 'GPU_POOL', state: 'ACTIVE', instanceFamily: 'GPU_NV_M' });
    const result = accepted(plan({ specText: vllm, diagnostics: onCpu, poolFit: fit, choices: { pool: 'GPU_POOL' } }));
    assert.ok(result.warnings.some((warning) => /another instance family than GPU_NV_M of GPU_POOL/.test(warning)));
    refused(plan({ specText: vllm, diagnostics: onCpu, choices: { pool: 'GPU_POOL' } }), 'errors');
  });

  it('refuses invalid service, database and schema names', () => {
    assert.match(refused(plan({ choices: { serviceName: 'my-app' } }), 'invalidName'), /contains '-'/);
    assert.match(refused(plan({ choices: { database: 'my db', schema: 'PUBLIC' } }), 'invalidName'), /database 'my db' is not an unquoted identifier/);
    assert.match(refused(plan({ choices: { database: 'DB' } }), 'invalidName'), /without a schema/);
  });

  it('refuses missing template values and placeholders Snowflake does not fill', () => {
    const template = read('echo-template.spcs.yaml');
    const missing = plan({ specText: template, choices: { templateValues: { port: 8000 } } });
    assert.match(refused(missing, 'missingTemplateValues'), /give a value for 'tag' \(it has no default\)/);
    assert.ok(!missing.ok && missing.refusal.missing?.join() === 'tag');
    const cli = simple.replace('app:1.0', 'app:<% ctx.env.tag %>');
    assert.match(refused(plan({ specText: cli }), 'unsupportedTemplate'), /<% ctx\.env\.tag %>.*only '\{\{ variable \}\}' templates/);
  });

  it('refuses template values that make the spec invalid, with the rendered spec', () => {
    const template = read('echo-template.spcs.yaml');
    const result = plan({ specText: template, choices: { templateValues: { tag: 'v2', port: 'http' } } });
    assert.match(refused(result, 'renderedErrors'), /With the template values filled in, the spec has/);
    assert.ok(!result.ok && /port: http/.test(result.refusal.renderedSpec ?? ''));
  });

  it('refuses block volumes without MIN = MAX, and bad instance counts', () => {
    const data = read('data-service.spcs.yaml');
    assert.match(refused(plan({ specText: data, choices: { minInstances: 1, maxInstances: 2 } }), 'blockVolumesNeedFixedInstances'), /MIN_INSTANCES must equal MAX_INSTANCES \(they are 1 and 2\)/);
    accepted(plan({ specText: data, choices: { minInstances: 2, maxInstances: 2 } }));
    assert.match(refused(plan({ choices: { minInstances: 0 } }), 'invalidInstances'), /MIN_INSTANCES must be a whole number of at least 1/);
    assert.match(refused(plan({ choices: { minInstances: 3, maxInstances: 2 } }), 'invalidInstances'), /MAX_INSTANCES must be .* at least MIN_INSTANCES \(3\)/);
    assert.match(refused(plan({ choices: { minInstances: 1.5, maxInstances: 2 } }), 'invalidInstances'), /whole number/);
  });

  it('refuses more than 10 integrations and an empty pool', () => {
    refused(plan({ choices: { externalAccessIntegrations: Array.from({ length: 11 }, (_, index) => `EAI_${index}`) } }), 'invalidChoices');
    refused(plan({ choices: { pool: ' ' } }), 'invalidChoices');
  });

  it('refuses a pool the spec does not fit, with the fit\'s reasons', () => {
    const vllm = read('vllm-gpu.spcs.yaml');
    const fit = poolFit(vllm, { name: 'CPU_POOL', state: 'ACTIVE', instanceFamily: 'CPU_X64_S' });
    assert.equal(
      refused(plan({ specText: vllm, poolFit: fit, fittingPools: ['GPU_POOL'] }), 'poolDoesNotFit'),
      'The spec does not fit compute pool CPU_POOL: it needs 4 GPUs, CPU_X64_S nodes have none; needs 17 vCPU, CPU_X64_S nodes have 3; needs 98.5 GiB, CPU_X64_S nodes have 13. GPU_POOL fits.',
    );
    // The refusal names the account's pools, not a family, unless none fits.
    assert.match(refused(plan({ specText: vllm, poolFit: fit, fittingPools: ['A', 'B'] }), 'poolDoesNotFit'), /These pools fit: A, B\.$/);
    assert.match(refused(plan({ specText: vllm, poolFit: fit }), 'poolDoesNotFit'), /No compute pool this role can use fits it: create one of an instance family whose nodes have enough GPUs/);
  });

  it('refuses to alter a job, to move a service to another pool, and a service being deleted', () => {
    assert.match(refused(plan({ existing: { ...existing, isJob: true, status: 'DONE' } }), 'existingJob'), /job services cannot be altered/);
    assert.match(refused(plan({ existing: { ...existing, computePool: 'OTHER_POOL' } }), 'differentPool'), /runs in compute pool OTHER_POOL, not CPU_POOL.*never does/);
    refused(plan({ existing: { ...existing, status: 'DELETING' } }), 'existingService');
  });
});

describe('planDeploy: create and upgrade SQL', { timeout: 10_000 }, () => {
  it('creates with every chosen property, the spec dollar-quoted', () => {
    const result = accepted(
      plan({ choices: { database: 'spcs_demo', schema: 'public', minInstances: 1, maxInstances: 3, autoResume: false, queryWarehouse: 'DEMO_WH', externalAccessIntegrations: ['DEMO_EAI', 'my eai'] } }),
    );
    assert.equal(result.action, 'create');
    assert.deepEqual(result.target, { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'MY_APP', dnsName: 'my-app' });
    assert.deepEqual(result.sql, [
      `CREATE SERVICE SPCS_DEMO.PUBLIC.MY_APP\n  IN COMPUTE POOL CPU_POOL\n  FROM SPECIFICATION $$${simple}$$\n  EXTERNAL_ACCESS_INTEGRATIONS = (DEMO_EAI, "my eai")\n  AUTO_RESUME = FALSE\n  MIN_INSTANCES = 1\n  MAX_INSTANCES = 3\n  QUERY_WAREHOUSE = DEMO_WH`,
    ]);
    assert.equal(result.diff, undefined);
    assert.equal(result.expectReady, true);
    assert.equal(result.summary, 'Create service SPCS_DEMO.PUBLIC.MY_APP in compute pool CPU_POOL (1–3 instances).');
  });

  it('embeds spec text with $$ safely (as an escaped string literal)', () => {
    const text = `${simple}      # costs $$5, it's "quoted" \\ ok\n`;
    const result = accepted(plan({ specText: text }));
    assert.ok((result.sql[0] ?? '').includes("FROM SPECIFICATION 'spec:"));
    assert.ok((result.sql[0] ?? '').includes("costs $$5, it''s \"quoted\" \\\\ ok"));
  });

  it('upgrades an existing service with ALTER SERVICE … FROM SPECIFICATION and a diff; never DROP', () => {
    const result = accepted(plan({ existing }));
    assert.equal(result.action, 'upgrade');
    assert.deepEqual(result.sql, [`ALTER SERVICE MY_APP\n  FROM SPECIFICATION $$${simple}$$`]);
    assert.ok(result.diff);
    assert.equal(result.diff.changed, true);
    assert.doesNotMatch(result.diff.deployed, /sha256/);
    assert.match(result.diff.deployed, /app:0\.9/);
    assert.equal(result.diff.local, `${diffNote}${simple}`);
    assert.match(result.summary, /^Upgrade service MY_APP in compute pool CPU_POOL to the local spec \(rolling/);
  });

  it('sets changed properties before the spec upgrade, and leaves unchosen ones alone (with a warning)', () => {
    const result = accepted(
      plan({
        existing: { ...existing, minReadyInstances: 2, minInstances: 2, maxInstances: 2, queryWarehouse: 'OLD_WH', externalAccessIntegrations: ['OLD_EAI'] },
        choices: { minInstances: 1, maxInstances: 4, autoResume: false, externalAccessIntegrations: [] },
      }),
    );
    assert.equal(result.sql.length, 2);
    assert.equal(result.sql[0], 'ALTER SERVICE MY_APP SET AUTO_RESUME = FALSE MIN_INSTANCES = 1 MIN_READY_INSTANCES = 1 MAX_INSTANCES = 4');
    assert.match(result.sql[1] ?? '', /^ALTER SERVICE MY_APP\n {2}FROM SPECIFICATION/);
    assert.ok(result.warnings.some((warning) => /keeps QUERY_WAREHOUSE = OLD_WH/.test(warning)));
    assert.ok(result.warnings.some((warning) => /keeps its external access integrations OLD_EAI/.test(warning)));
    const integrations = accepted(plan({ existing: { ...existing, externalAccessIntegrations: ['OLD_EAI'] }, choices: { externalAccessIntegrations: ['NEW_EAI'] } }));
    assert.equal(integrations.sql[0], 'ALTER SERVICE MY_APP SET EXTERNAL_ACCESS_INTEGRATIONS = (NEW_EAI)');
  });

  it('does not change the instance count of a service with block volumes; says so', () => {
    const data = read('data-service.spcs.yaml');
    const result = accepted(plan({ specText: data, existing: { ...existing, minInstances: 1, maxInstances: 1 }, choices: { minInstances: 2, maxInstances: 2 } }));
    assert.equal(result.sql.length, 1);
    assert.ok(result.warnings.some((warning) => /block storage volumes, so its instance count cannot be changed/.test(warning)));
  });

  it('warns when the spec is unchanged, when DESCRIBE hid the spec, and for a suspended service', () => {
    const same = accepted(plan({ existing: { ...existing, spec: simple.replace('prod', '"prod"') } }));
    assert.equal(same.diff?.changed, false);
    assert.ok(same.warnings.some((warning) => /same as the deployed one; upgrading still pulls the newest image/.test(warning)));
    const hidden = accepted(plan({ existing: { ...existing, spec: undefined } }));
    assert.equal(hidden.diff, undefined);
    assert.ok(hidden.warnings.some((warning) => /only to the role that owns the service/.test(warning)));
    const suspended = accepted(plan({ existing: { ...existing, status: 'SUSPENDED' } }));
    assert.equal(suspended.expectReady, false);
    assert.ok(suspended.warnings.some((warning) => /used when the service is resumed/.test(warning)));
  });
});

describe('templates', { timeout: 10_000 }, () => {
  const template = read('echo-template.spcs.yaml');

  it('finds the variables (not secret references) with their defaults', () => {
    const analysis = analyzeTemplate(`${template}      token: "{{secret.api_token.secret_string}}"\n`);
    assert.deepEqual(analysis.variables, [{ name: 'tag' }, { name: 'replicas_env', defaultValue: "'{}'" }, { name: 'port' }, { name: 'public_endpoint', defaultValue: 'true' }]);
    assert.deepEqual(analysis.unsupported, []);
  });

  it('counts as unfilled the placeholders of other dialects that cannot be literal, not a command\'s shell variables', () => {
    const analysis = analyzeTemplate(
      [
        'spec:',
        '  containers:',
        '  - name: app',
        '    image: &{ acct }.registry.snowflakecomputing.com/db/s/r/app:{tag}',
        '    args: ["sh", "-c", "exec app --port ${PORT} --home $HOME"]',
        '    env:',
        '      BROKER_URL: redis://:${REDIS_PASSWORD}@${REDIS_HOST}:6379/0',
        '      AIRFLOW__CORE__EXECUTOR: LocalExecutor',
        '      MODEL: ${var.model}',
        '      RUN: __RUN_ID__',
        '',
      ].join('\n'),
    );
    assert.deepEqual(analysis.variables, []);
    assert.deepEqual(analysis.unsupported, ['&{ acct }', '{tag}', '${var.model}', '__RUN_ID__']);
  });

  it('sends USING values as JSON strings (maps and lists as JSON), numbers and booleans as literals', () => {
    assert.equal(usingValue('v2'), '"v2"');
    assert.equal(usingValue('/db/schema/repo/img:latest'), '"/db/schema/repo/img:latest"');
    assert.equal(usingValue('{"LOG_LEVEL": "debug"}'), '{"LOG_LEVEL": "debug"}');
    assert.equal(usingValue('["a", "b"]'), '["a", "b"]');
    assert.equal(usingValue('"already json"'), '"already json"');
    assert.equal(usingValue(8000), 8000);
    assert.equal(usingValue(false), false);
    assert.equal(usingValue('1.0'), '"1.0"', 'number-like text keeps its exact form');
    assert.equal(usingValue(' '), ' ', 'a blank value stays blank');
    const result = accepted(plan({ specText: template, choices: { templateValues: { tag: 'v2', port: 8000, replicas_env: '{"A": "1"}', unused: 'x' } } }));
    assert.equal(result.templated, true);
    assert.ok(
      (result.sql[0] ?? '').endsWith(`' USING (tag => '"v2"', replicas_env => '{"A": "1"}', port => 8000)\n  AUTO_RESUME = TRUE\n  MIN_INSTANCES = 1\n  MAX_INSTANCES = 1`),
      result.sql[0],
    );
    assert.match(result.sql[0] ?? '', /FROM SPECIFICATION_TEMPLATE '# A specification template/);
    assert.ok(result.warnings.some((warning) => /values for unused are not used/.test(warning)));
  });

  it('renders the template the way Snowflake does, for the diff and the checks', () => {
    const rendered = renderTemplate(template, { tag: '"v2"', port: 8000 });
    assert.match(rendered, /echo:v2\n {6}env: \{\}\n/);
    assert.match(rendered, /port: 8000\n {6}public: true\n/);
    assert.match(renderTemplate('a: {{ x | default("d", true) }}\n', { x: ' ' }), /a: d/);
    assert.match(renderTemplate('a: {{ x | default("d") }}\n', { x: '' }), /a: \n/);
    assert.match(renderTemplate('a: {{ x }}\n', { x: '1.0' }), /a: 1\.0\n/);
    const upgraded = accepted(plan({ specText: template, existing: { ...existing, spec: renderTemplate(template, { tag: 'v2', port: 8000 }) }, choices: { templateValues: { tag: 'v2', port: 8000 } } }));
    assert.equal(upgraded.diff?.changed, false, 'the rendered local spec is compared with the deployed one');
  });

  it('passes the defaults when every variable has one and no value is given (USING needs one)', () => {
    const text = 'spec:\n  containers:\n    - name: app\n      image: /db/schema/repo/app:{{ tag | default(\'1.0\') }}\n';
    const result = accepted(plan({ specText: text }));
    assert.match(result.sql[0] ?? '', /USING \(tag => '"1\.0"'\)/);
    assert.match(result.renderedSpec, /app:1\.0/);
  });
});

describe('planJob', { timeout: 10_000 }, () => {
  const job: JobChoices = { connection: 'dev', pool: 'GPU_POOL', jobName: 'nightly_run', async: true, replicas: 3, externalAccessIntegrations: [], templateValues: {} };
  const text = read('nightly-job.spcs.yaml');
  const input = { specText: text, specUri: uri, diagnostics: [], existing: undefined };

  it('builds EXECUTE JOB SERVICE with NAME, ASYNC and REPLICAS', () => {
    const result = planJob({ ...input, choices: job });
    assert.ok(result.ok);
    assert.match(result.sql, /^EXECUTE JOB SERVICE\n {2}IN COMPUTE POOL GPU_POOL\n {2}FROM SPECIFICATION \$\$[\s\S]*\$\$\n {2}NAME = NIGHTLY_RUN\n {2}ASYNC = TRUE\n {2}REPLICAS = 3$/);
    assert.equal(result.summary, 'Run job NIGHTLY_RUN in compute pool GPU_POOL (3 replicas, asynchronously).');
  });

  it('refuses an existing name, bad replicas and bad names', () => {
    const taken = planJob({ ...input, choices: job, existing: { ...existing, name: 'NIGHTLY_RUN', isJob: true, status: 'DONE' } });
    assert.ok(!taken.ok && taken.refusal.kind === 'existingJob' && /already exists/.test(taken.refusal.message));
    const service = planJob({ ...input, choices: job, existing });
    assert.ok(!service.ok && service.refusal.kind === 'existingService');
    const replicas = planJob({ ...input, choices: { ...job, replicas: 0 } });
    assert.ok(!replicas.ok && replicas.refusal.kind === 'invalidInstances');
    const name = planJob({ ...input, choices: { ...job, jobName: 'nightly-run' } });
    assert.ok(!name.ok && name.refusal.kind === 'invalidName' && /a job name may contain only/.test(name.refusal.message));
  });

});

describe('DESCRIBE rows and spec comparison', { timeout: 10_000 }, () => {
  it('reads DESCRIBE SERVICE columns by name', () => {
    const row = {
      name: 'MY_APP',
      status: 'RUNNING',
      database_name: 'DB',
      schema_name: 'S',
      compute_pool: 'CPU_POOL',
      spec: 'spec: {}',
      spec_digest: 'abc',
      min_instances: 1,
      max_instances: '2',
      min_ready_instances: 1,
      auto_resume: 'true',
      external_access_integrations: '["A","B"]',
      query_warehouse: null,
      is_job: false,
      is_upgrading: 'false',
    };
    assert.deepEqual(existingFromRow(row), {
      database: 'DB',
      schema: 'S',
      name: 'MY_APP',
      status: 'RUNNING',
      isJob: false,
      computePool: 'CPU_POOL',
      spec: 'spec: {}',
      specDigest: 'abc',
      minInstances: 1,
      maxInstances: 2,
      minReadyInstances: 1,
      autoResume: true,
      isUpgrading: false,
      externalAccessIntegrations: ['A', 'B'],
    });
    assert.deepEqual(existingFromRow({ external_access_integrations: '[A, B]' }).externalAccessIntegrations, ['A', 'B']);
  });

  it('compares specs by content: sha256 and env quoting do not count', () => {
    assert.equal(specsEquivalent(existing.spec ?? '', simple.replace('1.0', '0.9')), true);
    assert.equal(specsEquivalent(existing.spec ?? '', simple), false);
    assert.equal(normalizeDeployedSpec('not: [valid'), 'not: [valid');
  });

  it('shows in the upgrade diff only what changes in Snowflake: no comments, the same formatting and key order on both sides', () => {
    // DESCRIBE prints the spec its own way: no comments, other indentation and quoting, keys in its order, sha256 added.
    const deployed = ['spec:', '  containers:', '  - image: "/db/s/r/echo:v1"', '    name: echo', '    sha256: "@sha256:abc"', '    env:', '      PORT: "8000"', '  endpoints:', '  - port: 8000', '    name: api', ''].join('\n');
    const local = [
      '# The echo service: answers every request with its body.',
      'spec:',
      '  containers:',
      '    - name: echo   # the only container',
      "      image: '/db/s/r/echo:v2'",
      '      env:',
      '        PORT: 8000',
      '',
      '  endpoints:',
      '    - name: api',
      '      port: 8000',
      '',
    ].join('\n');
    const sides = upgradeDiff(deployed, local);
    assert.ok(sides.local.startsWith(diffNote) && sides.deployed.startsWith(diffNote));
    assert.doesNotMatch(sides.local.slice(diffNote.length), /#/, 'the comments are on neither side');
    const left = sides.deployed.split('\n');
    const right = sides.local.split('\n');
    assert.equal(left.length, right.length);
    const changed = right.map((line, index) => [left[index], line]).filter(([before, after]) => before !== after);
    assert.deepEqual(changed, [['      image: /db/s/r/echo:v1', '      image: /db/s/r/echo:v2']], 'only the image changes');
    // The same content gives two identical sides, as specsEquivalent says.
    const same = local.replace('echo:v2', 'echo:v1');
    assert.equal(specsEquivalent(deployed, same), true);
    const unchanged = upgradeDiff(deployed, same);
    assert.equal(unchanged.deployed, unchanged.local);
    // Text that does not parse is shown as it is.
    assert.equal(upgradeDiff(deployed, 'spec: [broken').local, 'spec: [broken');
  });

  it('writes env values of the deployed spec the way the local spec does when they mean the same', () => {
    const deployed = ['spec:', '  containers:', '  - name: echo', '    image: /db/s/r/echo:v1', '    sha256: "@sha256:abc"', '    env:', '      PORT: "8000"', '      DEBUG: "true"', '      MODE: "fast"', '      OTHER: "1"', ''].join('\n');
    const local = ['spec:', '  containers:', '  - name: echo', '    image: /db/s/r/echo:v1', '    env:', '      PORT: 8000', '      DEBUG: true', '      MODE: fast', '      OTHER: 2', ''].join('\n');
    const shown = normalizeDeployedSpec(deployed, local);
    assert.match(shown, /PORT: 8000\n/);
    assert.match(shown, /DEBUG: true\n/);
    assert.match(shown, /MODE: "fast"/, 'strings stay as Snowflake wrote them');
    assert.match(shown, /OTHER: "1"/, 'a different value is left alone, so the diff shows it');
    assert.doesNotMatch(shown, /sha256/);
    // Containers are matched by name: another container's env is not touched.
    const renamed = local.replace('name: echo', 'name: other');
    assert.match(normalizeDeployedSpec(deployed, renamed), /PORT: "8000"/);
  });
});

describe('applyPlan', { timeout: 10_000 }, () => {
  function sessions(failAt: number | undefined, error = snowflakeError('sql', 'Invalid spec: bad.')) {
    const seen: string[] = [];
    return {
      seen,
      execute(_connection: string, sqlText: string): Promise<Result<ResultSet>> {
        seen.push(sqlText);
        return Promise.resolve(seen.length - 1 === failAt ? { ok: false, error } : { ok: true, value: { columns: [], rows: [{ status: 'ok' }] } });
      },
    };
  }
  const upgrade = accepted(plan({ existing: { ...existing, maxInstances: 1 }, choices: { maxInstances: 2 } }));

  it('runs every statement in order and says what it did', async () => {
    const fake = sessions(undefined);
    const outcome = await applyPlan(fake, 'dev', upgrade);
    assert.equal(outcome.state, 'complete');
    assert.deepEqual(fake.seen, upgrade.sql);
    assert.match(outcome.message, /MY_APP is upgrading to the new spec \(rolling/);
  });

  it('reports a half-applied upgrade, a failed first statement and an unconfirmed timeout', async () => {
    const partial = await applyPlan(sessions(1), 'dev', upgrade);
    assert.equal(partial.state, 'partial');
    assert.equal(partial.applied.length, 1);
    assert.match(partial.message, /Setting the service properties .* succeeded, but the spec upgrade .* failed: Invalid spec: bad\. The service is half-updated/);
    const nothing = await applyPlan(sessions(0), 'dev', accepted(plan()));
    assert.equal(nothing.state, 'nothing');
    assert.match(nothing.message, /CREATE SERVICE of MY_APP failed: Invalid spec: bad\. Nothing was changed: the service was not created\./);
    const unknown = await applyPlan(sessions(0, snowflakeError('timeout', 'The statement did not finish within 60 s; it may still have been applied.')), 'dev', accepted(plan()));
    assert.equal(unknown.state, 'unknown');
    assert.match(unknown.message, /Check the service \(DESCRIBE SERVICE MY_APP\) before deploying again/);
  });
});
