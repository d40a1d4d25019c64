/**
 * The readiness gate and triage against scripted listings (no emulator): timeouts and cancellation
 * that say what state the service is in, waiting for the new spec during an upgrade, transient and
 * fatal read errors, and triage causes mapped to their place in the spec (OOM → memory limit, probe
 * → the probe), with previous logs for restarted containers.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { triageService } from '../../client/src/deploy/triage';
import { watchReadiness, type Scheduler } from '../../client/src/deploy/readiness';
import { type ServiceSnapshot } from '../../client/src/deploy/serviceSnapshot';
import { snowflakeError, type SnowflakeError } from '../../client/src/snowflake/errors';
import type { Result } from '../../client/src/snowflake/result';
import type { ResultSet } from '../../client/src/snowflake/session';

interface Listing {
  status?: string;
  specDigest?: string;
  isUpgrading?: boolean;
  instances?: { id: string; status: string; digest?: string }[];
  containers?: { instance?: string; name: string; status: string; message?: string; restarts?: number; exit?: number }[];
  error?: SnowflakeError;
}

/** Sessions whose listings come from `script(poll)`; logs from `logs(previous)`. */
function scripted(script: (poll: number) => Listing, logs: (previous: boolean) => Result<string> = () => ({ ok: true, value: 'line 1\nline 2\n' })) {
  let polls = 0;
  const statements: string[] = [];
  const rows = (list: Record<string, unknown>[]): Result<ResultSet> => ({ ok: true, value: { columns: [], rows: list } });
  return {
    statements,
    get polls() {
      return polls;
    },
    execute(_connection: string, sqlText: string): Promise<Result<ResultSet>> {
      statements.push(sqlText);
      if (sqlText.startsWith('SELECT SYSTEM$GET_SERVICE_LOGS')) {
        const text = logs(/, TRUE\)$/.test(sqlText));
        return Promise.resolve(text.ok ? rows([{ [sqlText.slice(7)]: text.value }]) : text);
      }
      if (sqlText.startsWith('DESCRIBE SERVICE')) polls++;
      const listing = script(polls);
      if (listing.error) return Promise.resolve({ ok: false, error: listing.error });
      if (sqlText.startsWith('DESCRIBE SERVICE')) {
        return Promise.resolve(rows([{ status: listing.status ?? 'PENDING', spec_digest: listing.specDigest ?? 'new', is_upgrading: listing.isUpgrading ?? false, target_instances: listing.instances?.length ?? 1, min_instances: 1 }]));
      }
      if (sqlText.startsWith('SHOW SERVICE INSTANCES')) {
        return Promise.resolve(rows((listing.instances ?? [{ id: '0', status: 'PENDING' }]).map((instance) => ({ instance_id: instance.id, status: instance.status, spec_digest: instance.digest ?? 'new' }))));
      }
      return Promise.resolve(
        rows(
          (listing.containers ?? [{ name: 'app', status: 'PENDING', message: 'Waiting to start' }]).map((container) => ({
            instance_id: container.instance ?? '0',
            container_name: container.name,
            status: container.status,
            message: container.message ?? '',
            restart_count: container.restarts ?? 0,
            last_exit_code: container.exit ?? null,
            image_name: '/db/s/repo/app:1',
          })),
        ),
      );
    },
  };
}

function fakeTime(): Scheduler & { waited: number[] } {
  let now = 0;
  const waited: number[] = [];
  return {
    waited,
    now: () => now,
    wait: (ms, signal) => {
      if (signal?.aborted) return Promise.resolve('cancelled');
      waited.push(ms);
      now += ms;
      return Promise.resolve('elapsed');
    },
  };
}

const spec = [
  'spec:',
  '  containers:',
  '    - name: app',
  '      image: /db/s/repo/app:1',
  '      resources:',
  '        limits:',
  '          memory: 2Gi',
  '      readinessProbe:',
  '        port: 8080',
  '        path: /ready',
  '    - name: worker',
  '      image: /db/s/repo/worker:1',
  '',
].join('\n');

describe('watchReadiness', { timeout: 10_000 }, () => {
  it('times out with a message saying the service was created and is still starting', async () => {
    const sessions = scripted(() => ({}));
    const time = fakeTime();
    const result = await watchReadiness(sessions, 'dev', 'APP', { scheduler: time, pollMs: 5000, timeoutMs: 60_000 });
    assert.equal(result.state, 'timeout');
    assert.match(result.message, /^Service APP was created but is not ready after 60 s \(0 of 1 instance ready · app \(instance 0\): PENDING, Waiting to start\)\. It is still starting in Snowflake and nothing was rolled back/);
    assert.equal(sessions.polls, 13);
    assert.ok(time.waited.every((ms) => ms === 5000));
    const upgrade = await watchReadiness(scripted(() => ({})), 'dev', 'APP', { scheduler: fakeTime(), timeoutMs: 10_000, action: 'upgrade' });
    assert.match(upgrade.message, /^Service APP was upgraded but is not ready/);
  });

  it('stops when cancelled and says the service keeps starting', async () => {
    const controller = new AbortController();
    const result = await watchReadiness(scripted(() => ({})), 'dev', 'APP', { scheduler: fakeTime(), signal: controller.signal, onProgress: () => controller.abort() });
    assert.equal(result.state, 'cancelled');
    assert.match(result.message, /Stopped waiting for APP\. The service was created and keeps starting in Snowflake .*nothing was rolled back/);
  });

  it('during an upgrade, waits for every instance to be READY on the new spec', async () => {
    const sessions = scripted((poll) =>
      poll < 3
        ? { isUpgrading: true, instances: [{ id: '0', status: 'READY', digest: 'old' }], containers: [{ name: 'app', status: 'READY' }] }
        : { instances: [{ id: '0', status: 'READY', digest: 'new' }], containers: [{ name: 'app', status: 'READY' }] },
    );
    const progress: string[] = [];
    const result = await watchReadiness(sessions, 'dev', { database: 'DB', schema: 'S', name: 'APP' }, { scheduler: fakeTime(), action: 'upgrade', onProgress: (step) => progress.push(step.message) });
    assert.equal(result.state, 'ready');
    assert.equal(sessions.polls, 3);
    assert.equal(progress[0], '0 of 1 instance ready · upgrading');
    assert.equal(result.message, 'Service DB.S.APP is ready: 1 instance READY on the new spec.');
  });

  it('waits for all expected instances', async () => {
    const sessions = scripted((poll) => ({
      instances: poll < 2 ? [{ id: '0', status: 'READY' }] : [{ id: '0', status: 'READY' }, { id: '1', status: 'READY' }],
      containers: [{ name: 'app', status: 'READY' }],
    }));
    const result = await watchReadiness(
      { execute: (connection: string, text: string) => sessions.execute(connection, text).then((answer) => (text.startsWith('DESCRIBE') && answer.ok ? { ok: true as const, value: { ...answer.value, rows: [{ ...answer.value.rows[0], target_instances: 2 }] } } : answer)) },
      'dev',
      'APP',
      { scheduler: fakeTime() },
    );
    assert.equal(result.state, 'ready');
    assert.equal(sessions.polls, 2);
  });

  it('retries transient read errors, and stops on others saying what was done', async () => {
    const flaky = scripted((poll) => (poll === 1 || poll === 2 ? { error: snowflakeError('network', 'Could not reach Snowflake.') } : { instances: [{ id: '0', status: 'READY' }], containers: [{ name: 'app', status: 'READY' }] }));
    assert.equal((await watchReadiness(flaky, 'dev', 'APP', { scheduler: fakeTime() })).state, 'ready');
    const denied = await watchReadiness(scripted(() => ({ error: snowflakeError('privilege', 'Role R is not allowed to do this.') })), 'dev', 'APP', { scheduler: fakeTime() });
    assert.equal(denied.state, 'error');
    assert.match(denied.message, /The status of APP could not be read \(Role R is not allowed to do this\.\)\. The service was created; check it/);
    const gone = await watchReadiness(scripted(() => ({ error: snowflakeError('notFound', 'Service APP does not exist.') })), 'dev', 'APP', { scheduler: fakeTime() });
    assert.equal(gone.state, 'error');
    assert.match(gone.message, /no longer exists/);
  });

  it('reports a suspended service instead of waiting for it', async () => {
    const result = await watchReadiness(scripted(() => ({ status: 'SUSPENDED', instances: [], containers: [] })), 'dev', 'APP', { scheduler: fakeTime() });
    assert.equal(result.state, 'suspended');
    assert.match(result.message, /starts when it is resumed \(ALTER SERVICE APP RESUME\)/);
  });

  it('fails on a FAILED container with triage', async () => {
    const sessions = scripted((poll) => ({
      status: poll < 2 ? 'PENDING' : 'FAILED',
      instances: [{ id: '0', status: poll < 2 ? 'PENDING' : 'FAILED' }],
      containers: [poll < 2 ? { name: 'app', status: 'PENDING' } : { name: 'app', status: 'FAILED', message: 'Readiness probe is failing at path: /ready, port: 8080' }],
    }));
    const result = await watchReadiness(sessions, 'dev', 'APP', { scheduler: fakeTime(), spec: { text: spec, uri: 'file:///app.yaml' } });
    assert.equal(result.state, 'failed');
    assert.ok(result.state === 'failed');
    const [app] = result.triage.containers;
    assert.equal(app?.cause, 'readinessProbe');
    assert.equal(app?.specLocation?.what, 'readinessProbe');
    assert.deepEqual(app?.specLocation?.range, { start: { line: 7, character: 6 }, end: { line: 7, character: 20 } });
    assert.deepEqual(app?.logLines, ['line 1', 'line 2']);
    assert.match(result.message, /Service APP failed to start: container 'app' \(instance 0\) is FAILED: Readiness probe is failing .* \(spec line 8: 'readinessProbe:'\)\. The readiness probe never succeeded/);
  });
});

describe('triageService', { timeout: 10_000 }, () => {
  const snapshot = (containers: ServiceSnapshot['containers']): ServiceSnapshot => ({
    status: 'FAILED',
    isUpgrading: false,
    expectedInstances: 1,
    instances: [{ instanceId: '0', status: 'FAILED' }],
    containers,
    readyInstances: 0,
  });

  it('reads the previous logs of a restarted container and points an OOM kill at the memory limit', async () => {
    const sessions = scripted(() => ({}), (previous) => ({ ok: true, value: previous ? 'allocating 3 GiB\nKilled' : 'starting again' }));
    const triage = await triageService(sessions, 'dev', 'APP', snapshot([{ instanceId: '0', container: 'app', status: 'FAILED', message: 'Container was OOMKilled', restartCount: 2, lastExitCode: 137 }]), {
      spec: { text: spec, uri: 'file:///app.yaml' },
      logLines: 20,
    });
    const [app] = triage.containers;
    assert.ok(app);
    assert.equal(app.previousLogs, true);
    assert.deepEqual(app.logLines, ['allocating 3 GiB', 'Killed']);
    assert.ok(sessions.statements.some((text) => text === "SELECT SYSTEM$GET_SERVICE_LOGS('APP', '0', 'app', 20, TRUE)"));
    assert.equal(app.cause, 'outOfMemory');
    assert.equal(app.specLocation?.what, 'resources.limits.memory');
    assert.deepEqual(app.specLocation?.range, { start: { line: 6, character: 18 }, end: { line: 6, character: 21 } });
    assert.match(triage.summary, /restarted 2 times: Container was OOMKilled \(spec line 7: 'memory: 2Gi'\)\. The container was killed \(exit code 137\)/);
  });

  it('falls back to the current logs when the previous ones are gone, and to the container for a crash', async () => {
    const sessions = scripted(
      () => ({}),
      (previous) => (previous ? { ok: false, error: snowflakeError('sql', 'No previous logs.') } : { ok: true, value: 'Traceback\nValueError: bad config' }),
    );
    const triage = await triageService(sessions, 'dev', 'APP', snapshot([{ instanceId: '0', container: 'worker', status: 'FAILED', message: 'User application error, check container logs', restartCount: 1, lastExitCode: 1 }]), {
      spec: { text: spec, uri: 'file:///app.yaml' },
    });
    const [worker] = triage.containers;
    assert.equal(worker?.previousLogs, false);
    assert.deepEqual(worker?.logLines, ['Traceback', 'ValueError: bad config']);
    assert.equal(worker?.cause, 'application');
    assert.equal(worker?.specLocation?.lineText, '- name: worker');
  });

  it('keeps going when logs cannot be read at all, and without a spec', async () => {
    const sessions = scripted(() => ({}), () => ({ ok: false, error: snowflakeError('privilege', 'MONITOR is needed.') }));
    const triage = await triageService(sessions, 'dev', 'APP', snapshot([{ instanceId: '0', container: 'app', status: 'FAILED', message: 'Failed to pull image', restartCount: 0, image: '/db/s/repo/app:9' }]));
    const [app] = triage.containers;
    assert.equal(app?.logError, 'MONITOR is needed.');
    assert.equal(app?.cause, 'image');
    assert.equal(app?.specLocation, undefined);
    assert.match(app?.hint ?? '', /The image '\/db\/s\/repo\/app:9' could not be pulled/);
    const none = await triageService(sessions, 'dev', 'APP', { ...snapshot([]), instances: [] });
    assert.match(none.summary, /is FAILED, and no container reports why/);
  });
});
