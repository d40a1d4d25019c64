/**
 * "The sample workspace deploys for real": every `samples/*.spcs.yaml` goes through the layer's API
 * (SQL builders + SnowflakeSessions + the real driver) into the emulator, on a compute pool of the
 * demo seed that fits it, and reaches RUNNING with READY containers as emulated time passes; the
 * job sample runs with EXECUTE JOB SERVICE to DONE. Also: spec text with `$$`, quotes and
 * backslashes arrives byte-identical.
 */

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import * as sql from '../../client/src/snowflake/sql';
import type { SnowflakeSessions } from '../../client/src/snowflake/session';
import { column, harness, printedConnection, value, type Harness } from './emulatorHarness';

const samplesDir = path.join(__dirname, '..', '..', 'samples');

/** How each sample is deployed: the pool it fits (by the seed's instance families) and how. */
const deployments: Readonly<Record<string, { pool: string; kind: 'service' | 'template' | 'job'; using?: Record<string, string | number | boolean> }>> = {
  // Two containers, 1.5 vCPU / 5 GiB requested, a block volume and a public endpoint: CPU_X64_S.
  'data-service.spcs.yaml': { pool: 'DEMO_CPU_POOL', kind: 'service' },
  // A specification template: deployed with USING values.
  'echo-template.spcs.yaml': { pool: 'DEMO_CPU_POOL', kind: 'template', using: { tag: 'v2', port: 8000, replicas_env: '{"LOG_LEVEL": "debug"}' } },
  // 4 GPUs (modeline instance-family=GPU_NV_M): the GPU_NV_M pool.
  'vllm-gpu.spcs.yaml': { pool: 'DEMO_GPU_POOL', kind: 'service' },
  // A batch job asking for 4 vCPU / 16 GiB: more than CPU_X64_S offers, so the GPU_NV_M pool (as the seed does).
  'nightly-job.spcs.yaml': { pool: 'DEMO_GPU_POOL', kind: 'job' },
};

function serviceName(file: string): string {
  return `SAMPLE_${file.replace(/\.spcs\.ya?ml$/, '').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}`;
}

const statement = { timeoutMs: 15_000 } as const;

async function status(sessions: SnowflakeSessions, name: string): Promise<string> {
  const described = value(await sessions.execute(printedConnection, sql.describeService({ database: 'SPCS_DEMO', schema: 'PUBLIC', name }), statement));
  return String(described.rows[0]?.['status']);
}

/** Advances emulated time in steps until `done` holds (or the step budget runs out). */
async function advanceUntil(h: Harness, done: () => Promise<boolean>, stepMs = 15_000, steps = 40): Promise<boolean> {
  for (let step = 0; step < steps; step++) {
    if (await done()) return true;
    h.clock.advance(stepMs);
  }
  return done();
}

describe('deploying the sample workspace (real driver, emulator)', { timeout: 120_000 }, () => {
  it('every sample is covered by this test', () => {
    const files = fs.readdirSync(samplesDir).filter((file) => /\.spcs\.ya?ml$/.test(file)).sort();
    assert.deepEqual(files, Object.keys(deployments).sort());
  });

  it('creates every service sample on a fitting pool; each reaches RUNNING with READY containers', async (t) => {
    const h = await harness(t);
    value(await h.sessions.execute(printedConnection, sql.useSchema({ database: 'SPCS_DEMO', name: 'PUBLIC' }), statement));
    const services: string[] = [];
    for (const [file, deployment] of Object.entries(deployments)) {
      if (deployment.kind === 'job') continue;
      const text = fs.readFileSync(path.join(samplesDir, file), 'utf8');
      const name = serviceName(file);
      const created = await h.sessions.execute(
        printedConnection,
        sql.createService({
          name: { database: 'SPCS_DEMO', schema: 'PUBLIC', name },
          pool: deployment.pool,
          spec: deployment.kind === 'template' ? { kind: 'template', text, using: deployment.using ?? {} } : text,
          minInstances: 1,
          maxInstances: 1,
          comment: `Deployed from samples/${file}`,
        }),
        statement,
      );
      assert.ok(created.ok, `${file}: ${created.ok ? '' : created.error.message}`);
      assert.match(String(value(created).rows[0]?.['status']), new RegExp(`Service ${name} successfully created`));
      services.push(name);
    }
    for (const name of services) {
      const running = await advanceUntil(h, async () => {
        if ((await status(h.sessions, name)) !== 'RUNNING') return false;
        const containers = value(await h.sessions.execute(printedConnection, sql.showServiceContainers(name), statement));
        return containers.rows.length > 0 && containers.rows.every((row) => row['status'] === 'READY');
      });
      assert.ok(running, `${name} reached RUNNING with READY containers (status ${await status(h.sessions, name)})`);
      const instances = value(await h.sessions.execute(printedConnection, sql.showServiceInstances(name), statement));
      assert.deepEqual(column(instances, 'status'), ['READY'], name);
    }
    // The public endpoints get their ingress URLs.
    const endpoints = value(await h.sessions.execute(printedConnection, sql.showEndpoints(serviceName('data-service.spcs.yaml')), statement));
    assert.ok(endpoints.rows.some((row) => row['is_public'] === true || row['is_public'] === 'true'));
    // And they have logs.
    const logs = value(await h.sessions.execute(printedConnection, sql.getServiceLogs({ service: serviceName('echo-template.spcs.yaml'), instanceId: 0, container: 'echo', numLines: 10 }), statement));
    assert.equal(logs.rows.length, 1);
  });

  it('runs the job sample with EXECUTE JOB SERVICE (submit + waitForQuery) until DONE', async (t) => {
    const h = await harness(t);
    const file = 'nightly-job.spcs.yaml';
    const name = serviceName(file);
    const text = fs.readFileSync(path.join(samplesDir, file), 'utf8');
    const { queryId } = value(
      await h.sessions.submit(printedConnection, sql.executeJobService({ pool: deployments[file]?.pool ?? '', spec: text, name: { database: 'SPCS_DEMO', schema: 'PUBLIC', name } }), statement),
    );
    const finished = await advanceUntil(h, async () => value(await h.sessions.queryStatus(printedConnection, queryId)) !== 'RUNNING');
    assert.ok(finished, 'the synchronous EXECUTE JOB SERVICE finished as emulated time passed');
    const result = value(await h.sessions.waitForQuery(printedConnection, queryId, statement));
    assert.equal(result.rows.length, 1);
    assert.equal(await status(h.sessions, name), 'DONE');
    const containers = value(await h.sessions.execute(printedConnection, sql.showServiceContainers(name), statement));
    assert.ok(containers.rows.every((row) => row['status'] === 'DONE'));
  });

  it('spec text with $$, quotes and backslashes arrives byte-identical (both literal forms)', async (t) => {
    const h = await harness(t);
    const texts = {
      // Contains $$: sent as an escaped '…' literal.
      ROUNDTRIP_QUOTED: [
        "# A comment with $$ and 'quotes', \"double quotes\" and a backslash \\ and \\\\ two and \\' and \\n",
        'spec:',
        '  containers:',
        '    - name: main',
        '      image: /tutorial_db/data_schema/tutorial_repository/echo:v2',
        '      env:',
        '        DOLLARS: "cost: $$5 and $$$"',
        "        SINGLE: 'it''s'",
        '        DOUBLE: "say \\"hi\\""',
        '        BACKSLASH: "C:\\\\dir\\\\file \\t tab"',
        '        RAW: C:\\dir\\n',
        '        UNICODE: "grüße ✓"',
        '',
      ].join('\n'),
      // No $$: sent as $$…$$, backslashes and quotes untouched.
      ROUNDTRIP_DOLLAR: [
        '# quotes \' " and backslashes \\ \\\\ stay as they are; a lone $ too',
        'spec:',
        '  containers:',
        '    - name: main',
        '      image: /tutorial_db/data_schema/tutorial_repository/echo:v2',
        '      env:',
        "        SINGLE: 'it''s'",
        '        BACKSLASH: "a\\\\b"',
        '        PRICE: $5',
        '',
      ].join('\n'),
    };
    assert.ok(sql.createService({ name: 'X', pool: 'P', spec: texts.ROUNDTRIP_QUOTED }).includes("FROM SPECIFICATION '"));
    assert.ok(sql.createService({ name: 'X', pool: 'P', spec: texts.ROUNDTRIP_DOLLAR }).includes('FROM SPECIFICATION $$'));
    for (const [name, text] of Object.entries(texts)) {
      value(await h.sessions.execute(printedConnection, sql.createService({ name: { database: 'SPCS_DEMO', schema: 'PUBLIC', name }, pool: 'DEMO_CPU_POOL', spec: text }), statement));
      const described = value(await h.sessions.execute(printedConnection, sql.describeService({ database: 'SPCS_DEMO', schema: 'PUBLIC', name }), statement)).rows[0] ?? {};
      // spec_digest is the SHA-256 of the exact text the server received.
      assert.equal(described['spec_digest'], createHash('sha256').update(text, 'utf8').digest('hex'), `${name}: byte-identical`);
      assert.equal(h.account.control.store.state.services[`SPCS_DEMO.PUBLIC.${name}`]?.current.text, text, `${name}: stored text`);
      // DESCRIBE shows the spec as Snowflake normalises it (re-serialised, image digests added); same content.
      const shown = parse(String(described['spec'])) as { spec: { containers: { env: Record<string, unknown> }[] } };
      const sent = parse(text) as { spec: { containers: { env: Record<string, unknown> }[] } };
      assert.deepEqual(shown.spec.containers[0]?.env, sent.spec.containers[0]?.env, `${name}: same env values`);
    }
  });

  it('every other statement builder is accepted by the emulator', async (t) => {
    const h = await harness(t);
    const echo = { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' };
    const statements: readonly (readonly [string, (rows: readonly Record<string, unknown>[]) => boolean])[] = [
      [sql.getServiceLogs({ service: 'ECHO_SERVICE', instanceId: 0, container: 'echo', numLines: 3 }), (rows) => String(Object.values(rows[0] ?? {})[0]).split('\n').length >= 3],
      [sql.getServiceLogs({ service: echo, instanceId: 1, container: 'echo', numLines: 3, previous: false, since: '', includeTimestamps: true }), (rows) => /^\d{4}-\d\d-\d\dT/.test(String(Object.values(rows[0] ?? {})[0]))],
      [sql.showInstanceFamilies(), (rows) => rows.some((row) => row['name'] === 'GPU_NV_M')],
      [sql.showImageRepositories({ in: { account: true } }), (rows) => rows.length === 5],
      [sql.showImages({ database: 'TUTORIAL_DB', schema: 'DATA_SCHEMA', name: 'TUTORIAL_REPOSITORY' }, { like: 'echo%' }), (rows) => rows.length >= 2 && rows.every((row) => String(row['image_name']).startsWith('echo'))],
      [sql.showServiceRoles('ECHO_SERVICE'), (rows) => rows.length >= 1],
      [sql.showEndpoints('ECHO_SERVICE'), (rows) => rows.length === 1],
      [sql.describeComputePool('DEMO_CPU_POOL'), (rows) => rows[0]?.['instance_family'] === 'CPU_X64_S'],
      [sql.showServices({ in: { computePool: 'DEMO_CPU_POOL' }, excludeJobs: true }), (rows) => rows.length === 3],
      [sql.showServices({ jobsOnly: true, in: { account: true } }), (rows) => rows.length === 1],
      [sql.setServiceInstances(echo, { min: 1, max: 3 }), () => true],
      [sql.suspendService(echo), () => true],
      [sql.resumeService(echo, { ifExists: true }), () => true],
      [sql.alterServiceSpec(echo, { kind: 'stageTemplate', stage: { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'SPECS' }, file: 'echo-template.yaml', using: { tag: 'v1', port: 8000 } }), () => true],
      [sql.dropService('REPORTING_SERVICE', { ifExists: true, force: true }), () => true],
      [sql.suspendComputePool('SUSPENDED_POOL'), () => true],
      [sql.resumeComputePool('SUSPENDED_POOL'), () => true],
      [sql.useWarehouse('DEMO_WH'), () => true],
      [sql.useDatabase('SPCS_DEMO'), () => true],
      [sql.useSchema({ database: 'SPCS_DEMO', name: 'PUBLIC' }), () => true],
      [sql.useRole('SPCS_VIEWER'), () => true],
    ];
    for (const [text, check] of statements) {
      const result = await h.sessions.execute(printedConnection, text, statement);
      assert.ok(result.ok, `${text}: ${result.ok ? '' : result.error.message}`);
      assert.ok(check(value(result).rows), `${text}: unexpected rows ${JSON.stringify(value(result).rows).slice(0, 300)}`);
    }
  });
});
