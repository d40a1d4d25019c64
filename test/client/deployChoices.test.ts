/**
 * The remembered deploy choices: defaults, the versioned workspace-state form (read back
 * tolerantly), and merging with what the account still has.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { choicesStateKey, defaultChoices, defaultJobName, defaultServiceName, deserializeChoices, isComplete, mergeWithAccount, serializeChoices, type RememberedChoices } from '../../client/src/specs/deployChoices';
import { validateServiceName } from '../../client/src/deploy/serviceNames';

const full: RememberedChoices = {
  connection: 'dev',
  pool: 'DEMO_GPU_POOL',
  serviceName: 'vllm_chat',
  database: 'SPCS_DEMO',
  schema: 'PUBLIC',
  minInstances: 1,
  maxInstances: 2,
  queryWarehouse: 'DEMO_WH',
  externalAccessIntegrations: ['DEMO_EAI'],
  autoResume: false,
  templateValues: { tag: 'v2', port: 8000, debug: true },
  job: { async: true, replicas: 3 },
};

describe('deploy choices', { timeout: 10_000 }, () => {
  it('derives a valid service name and job name from the file name', () => {
    assert.equal(defaultServiceName('file:///w/samples/vllm-gpu.spcs.yaml'), 'VLLM_GPU');
    assert.equal(defaultServiceName('file:///w/my%20spec.yml'), 'MY_SPEC');
    assert.equal(defaultServiceName('file:///w/2024-job.yaml'), 'SERVICE_2024_JOB');
    assert.equal(defaultServiceName('untitled:Untitled-1'), 'UNTITLED_1');
    assert.equal(defaultServiceName(`file:///${'x'.repeat(80)}.yaml`).length, 63);
    for (const uri of ['file:///a/b/échö.spcs.yaml', 'file:///---.yaml', 'file:///w/vllm-gpu.spcs.yaml']) {
      assert.ok(validateServiceName(defaultServiceName(uri)).ok, uri);
    }
    const job = defaultJobName('file:///w/nightly-job.spcs.yaml', new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
    assert.equal(job, 'NIGHTLY_JOB_20260102_030405');
    assert.ok(validateServiceName(job).ok);
    assert.equal(defaultJobName(`file:///${'a'.repeat(80)}.yaml`, new Date(0)).length, 63);
  });

  it('starts with one instance, auto-resume and no integrations; complete only with connection and pool', () => {
    const defaults = defaultChoices('file:///w/echo.yaml', 'dev');
    assert.deepEqual(defaults, { connection: 'dev', serviceName: 'ECHO', minInstances: 1, maxInstances: 1, externalAccessIntegrations: [], autoResume: true, templateValues: {} });
    assert.equal(isComplete(defaults), false);
    assert.equal(isComplete({ ...defaults, pool: 'P' }), true);
    assert.equal(choicesStateKey('file:///w/echo.yaml'), 'spcs.deploy.choices/file:///w/echo.yaml');
  });

  it('round-trips through the versioned JSON form (object or text)', () => {
    const stored = serializeChoices(full);
    assert.equal(stored.version, 1);
    assert.deepEqual(deserializeChoices(stored), full);
    assert.deepEqual(deserializeChoices(JSON.stringify(stored)), full);
    assert.notEqual(stored.choices.templateValues, full.templateValues, 'a copy, not a reference');
  });

  it('reads garbage, other versions and wrongly typed fields as nothing', () => {
    for (const value of [undefined, null, 42, 'not json', '{"version":1}', { version: 2, choices: full }, { version: 1, choices: [] }, []]) {
      assert.deepEqual(deserializeChoices(value), {}, JSON.stringify(value));
    }
    const mixed = deserializeChoices({
      version: 1,
      choices: {
        connection: 'dev',
        pool: 7,
        serviceName: '',
        minInstances: 0,
        maxInstances: 2.5,
        autoResume: 'yes',
        externalAccessIntegrations: ['A', 1],
        templateValues: { ok: 'x', bad: { nested: true }, nan: Number.NaN },
        job: { async: 'no', replicas: 2, jobName: 'RUN' },
      },
    });
    assert.deepEqual(mixed, { connection: 'dev', templateValues: { ok: 'x' }, job: { replicas: 2, jobName: 'RUN' } });
  });

  it('drops a remembered pool, warehouse, integration or connection that the account no longer has', () => {
    const merged = mergeWithAccount(full, ['DEMO_CPU_POOL'], ['OTHER_WH'], { connections: ['dev'], integrations: [] });
    assert.equal(merged.choices.pool, undefined);
    assert.equal(merged.choices.queryWarehouse, undefined);
    assert.deepEqual(merged.choices.externalAccessIntegrations, []);
    assert.deepEqual(
      merged.dropped.map((item) => [item.field, item.value]),
      [
        ['pool', 'DEMO_GPU_POOL'],
        ['queryWarehouse', 'DEMO_WH'],
        ['externalAccessIntegrations', 'DEMO_EAI'],
      ],
    );
    assert.match(merged.dropped[0]?.reason ?? '', /compute pool DEMO_GPU_POOL no longer exists/);
    assert.equal(merged.complete, false);
    assert.equal(mergeWithAccount(full, ['DEMO_GPU_POOL'], ['DEMO_WH'], { connections: ['prod'] }).choices.connection, undefined);
  });

  it('keeps what is still there (one click), matching unquoted names case-insensitively, and what was not listed', () => {
    const merged = mergeWithAccount({ ...full, pool: 'demo_gpu_pool' }, ['DEMO_GPU_POOL'], undefined, { integrations: ['DEMO_EAI'] });
    assert.deepEqual(merged.dropped, []);
    assert.equal(merged.choices.pool, 'DEMO_GPU_POOL');
    assert.equal(merged.choices.queryWarehouse, 'DEMO_WH', 'warehouses were not listed: kept');
    assert.equal(merged.complete, true);
    assert.equal(mergeWithAccount({ ...full, pool: 'my pool' }, ['MY POOL'], undefined).choices.pool, undefined, 'a quoted name matches exactly only');
  });
});
