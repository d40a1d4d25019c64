/**
 * EXECUTE JOB SERVICE: the synchronous form as a PendingResult that completes in emulated time, the
 * ASYNC form, REPLICAS, failing jobs, cancellation, and job services in SHOW SERVICES.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnowflakeSqlError } from '../../emulator/src/contract';
import { kit, toRows } from './sqlKit';

const trainer = (tag = '1.8.0', extra = ''): string =>
  `spec:\n  containers:\n    - name: trainer\n      image: /ml_db/training/images/xgboost-trainer:${tag}\n      command: ["python", "-m", "trainer.main"]\n${extra}`;

describe('EXECUTE JOB SERVICE', () => {
  it('waits (pending) until the job is DONE, then answers with the job status', () => {
    const t = kit();
    const pending = t.pending(`EXECUTE JOB SERVICE IN COMPUTE POOL demo_cpu_pool NAME = train FROM SPECIFICATION $$${trainer()}$$`);
    assert.equal(pending.poll(), undefined);
    assert.equal(t.one("SHOW JOB SERVICES LIKE 'TRAIN'").status, 'PENDING');
    t.advance(11);
    assert.equal(pending.poll(), undefined);
    const job = t.one("SHOW JOB SERVICES LIKE 'TRAIN'");
    assert.deepEqual([job.status, job.is_job, job.is_async_job], ['RUNNING', 'true', 'false']);
    t.advance(60);
    const result = pending.poll();
    assert.ok(result);
    assert.deepEqual(toRows(result), [{ status: 'Job TRAIN completed successfully with status: DONE.' }]);
    assert.equal(t.one("SHOW JOB SERVICES LIKE 'TRAIN'").status, 'DONE');
    const container = t.one('SHOW SERVICE CONTAINERS IN SERVICE train');
    assert.deepEqual([container.instance_status, container.status, container.message, container.last_exit_code], ['SUCCEEDED', 'DONE', 'Completed successfully', '0']);
  });

  it('fails the statement when the job fails (an image tag containing "fail")', () => {
    const t = kit();
    const pending = t.pending(`EXECUTE JOB SERVICE IN COMPUTE POOL demo_cpu_pool NAME = broken FROM SPECIFICATION $$${trainer('1.9.0-fail')}$$`);
    t.advance(120);
    assert.throws(
      () => pending.poll(),
      (error: unknown) => error instanceof SnowflakeSqlError && error.code === '391429' && /Job BROKEN completed with status: FAILED/.test(error.message),
    );
    const container = t.one('SHOW SERVICE CONTAINERS IN SERVICE broken');
    assert.deepEqual([container.status, container.message, container.last_exit_code], ['FAILED', 'User application error, check container logs', '1']);
    assert.match(t.value("SELECT SYSTEM$GET_SERVICE_LOGS('broken', 0, 'trainer')") ?? '', /ValueError: feature column/);
  });

  it('fails when the command exits non-zero, and when the image is missing', () => {
    const t = kit();
    t.run(`EXECUTE JOB SERVICE IN COMPUTE POOL demo_cpu_pool NAME = exits ASYNC = TRUE FROM SPECIFICATION $$${trainer('1.8.0', '      args: ["sh", "-c", "exit 1"]\n')}$$`);
    t.run(`EXECUTE JOB SERVICE IN COMPUTE POOL demo_cpu_pool NAME = no_image ASYNC = TRUE FROM SPECIFICATION $$${trainer('0.0.1')}$$`);
    t.advance(11);
    assert.equal(t.one("SHOW JOB SERVICES LIKE 'NO_IMAGE'").status, 'FAILED');
    t.advance(60);
    assert.equal(t.one("SHOW JOB SERVICES LIKE 'EXITS'").status, 'FAILED');
  });

  it('returns at once with ASYNC = TRUE and runs REPLICAS instances', () => {
    const t = kit();
    const status = t.value(`EXECUTE JOB SERVICE IN COMPUTE POOL demo_cpu_pool FROM SPECIFICATION $$${trainer()}$$ NAME = spcs_demo.public.fanout ASYNC = TRUE REPLICAS = 3`);
    assert.equal(status, 'Request to execute job FANOUT has been successfully submitted.');
    const job = t.one("SHOW JOB SERVICES LIKE 'FANOUT'");
    assert.deepEqual([job.is_async_job, job.current_instances, job.min_instances], ['true', '3', '3']);
    t.advance(12);
    assert.deepEqual(t.rows('SHOW SERVICE INSTANCES IN SERVICE fanout').map((row) => row.status), ['READY', 'READY', 'READY']);
    t.advance(3);
    assert.match(t.value("SELECT SYSTEM$GET_SERVICE_LOGS('fanout', 2, 'trainer')") ?? '', /SNOWFLAKE_JOB_INDEX=2 SNOWFLAKE_JOBS_COUNT=3/);
    t.advance(57);
    assert.deepEqual(t.rows('SHOW SERVICE INSTANCES IN SERVICE fanout').map((row) => row.status), ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    assert.equal(t.one("SHOW SERVICES LIKE 'FANOUT'").status, 'DONE');
  });

  it('names unnamed jobs JOB_…, honours the duration env var, and refuses duplicates and ALTER', () => {
    const t = kit();
    t.run(`EXECUTE JOB SERVICE IN COMPUTE POOL demo_cpu_pool ASYNC = TRUE FROM SPECIFICATION $$${trainer('1.8.0', '      env:\n        SPCS_EMULATOR_JOB_SECONDS: 600\n')}$$`);
    const job = t.rows('SHOW JOB SERVICES').find((row) => row.name?.startsWith('JOB_'));
    assert.match(job?.name ?? '', /^JOB_[0-9A-Z]{24}$/);
    t.advance(300);
    assert.equal(t.one(`SHOW JOB SERVICES LIKE '${job?.name ?? ''}'`).status, 'RUNNING');
    t.advance(400);
    assert.equal(t.one(`SHOW JOB SERVICES LIKE '${job?.name ?? ''}'`).status, 'DONE');
    assert.equal(t.error(`EXECUTE JOB SERVICE IN COMPUTE POOL demo_cpu_pool NAME = nightly_training_job FROM SPECIFICATION $$${trainer()}$$`).code, '002002');
    assert.equal(t.error(`ALTER SERVICE nightly_training_job FROM SPECIFICATION $$${trainer()}$$`).code, '391428');
  });

  it('cancels a running job with SYSTEM$CANCEL_JOB', () => {
    const t = kit();
    const pending = t.pending(`EXECUTE JOB SERVICE IN COMPUTE POOL demo_cpu_pool NAME = long FROM SPECIFICATION $$${trainer()}$$`);
    t.advance(15);
    assert.equal(t.value("CALL SYSTEM$CANCEL_JOB('long')"), 'Job LONG is being cancelled.');
    assert.equal(t.one("SHOW JOB SERVICES LIKE 'LONG'").status, 'CANCELLING');
    t.advance(6);
    assert.equal(t.one("SHOW JOB SERVICES LIKE 'LONG'").status, 'CANCELLED');
    assert.throws(() => pending.poll(), /completed with status: CANCELLED/);
  });

  it('needs CREATE SERVICE on the schema and USAGE on the pool', () => {
    const t = kit();
    const viewer = t.session('SPCS_VIEWER', 'VIEWER_USER');
    assert.equal(t.error(`EXECUTE JOB SERVICE IN COMPUTE POOL demo_cpu_pool NAME = j FROM SPECIFICATION $$${trainer()}$$`, viewer).code, '003001');
  });
});
