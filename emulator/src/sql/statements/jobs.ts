/**
 * EXECUTE JOB SERVICE (reference §4.7): a job service with REPLICAS instances that runs for an
 * emulated duration and ends DONE or FAILED (see `lifecycle.ts` for the outcome rule), and
 * SYSTEM$CANCEL_JOB.
 *
 * Owns: the synchronous form, which answers with a PendingResult the protocol polls until the job
 * finishes in emulated time, then "Job <NAME> completed successfully with status: DONE." (the
 * CONFIRMED text) or an error; and the ASYNC = TRUE form, which returns at once.
 */

import { shortHash } from '../../account/hashing';
import { jobFinishesAt, serviceState } from '../../account/lifecycle';
import type { ServiceRecord } from '../../account/model';
import { displayName, objectKey, quoteIfNeeded } from '../../account/names';
import { jobDurationEnvVar } from '../../account/timing';
import type { PendingResult, ResultSet } from '../../contract';
import type { SpecClauses, Value } from '../ast';
import { resolveObjectName, type StatementContext } from '../context';
import { SqlErrors } from '../errors';
import { booleanProperty, numberProperty } from '../properties';
import { statusResult } from '../result';
import { ensurePoolRunning, nodesReadyAt } from './computePools';
import { requireSchemaPrivilege } from './schemaAccess';
import { requirePrivilege, serviceFromText } from './serviceLookup';
import { checkServiceName, readServiceSettings, usablePool } from './serviceSettings';
import { prepareSpec } from './specSource';

const jobProperties = ['NAME', 'ASYNC', 'REPLICAS', 'QUERY_WAREHOUSE', 'COMMENT', 'EXTERNAL_ACCESS_INTEGRATIONS', 'LOG_LEVEL'];

function jobName(ctx: StatementContext, value: Value | undefined): { parts: string[] } {
  if (value === undefined) {
    // Snowflake names unnamed jobs JOB_<uuid>; the emulator derives the suffix from a counter.
    const suffix = shortHash(24, ctx.store.state.name, 'job', ctx.store.nextSequence()).toUpperCase();
    return { parts: [`JOB_${suffix}`] };
  }
  if (value.kind === 'identifier') return { parts: [...value.name.parts] };
  if (value.kind === 'string') return { parts: [value.value.toUpperCase()] };
  throw SqlErrors.invalidValue("invalid value for property 'NAME'");
}

export function executeJobService(ctx: StatementContext, clauses: SpecClauses): ResultSet | PendingResult {
  const operation = 'EXECUTE JOB SERVICE';
  const properties = new Map(clauses.properties);
  const nameValue = properties.get('NAME');
  const qualified = resolveObjectName(ctx, jobName(ctx, nameValue), operation);
  requireSchemaPrivilege(ctx, qualified.database, qualified.schema, 'CREATE SERVICE');
  const key = objectKey(qualified);
  if (ctx.store.state.services[key]) {
    throw SqlErrors.alreadyExists('Object', displayName(qualified));
  }
  checkServiceName(qualified.name);
  const pool = usablePool(ctx, clauses.pool, operation);
  if (!clauses.spec) throw SqlErrors.missingProperty(operation, 'FROM SPECIFICATION, FROM SPECIFICATION_TEMPLATE or FROM @stage SPECIFICATION_FILE');
  const asyncJob = booleanProperty(properties, 'ASYNC') ?? false;
  const replicas = numberProperty(properties, 'REPLICAS', { min: 1 }) ?? 1;
  properties.delete('NAME');
  properties.delete('ASYNC');
  properties.delete('REPLICAS');
  const settings = readServiceSettings(ctx, properties, jobProperties, 'JOB SERVICE');
  const version = prepareSpec(ctx, clauses.spec, clauses.using, { database: qualified.database, schema: qualified.schema, pool, operation });
  ensurePoolRunning(ctx, pool);
  const now = ctx.now;
  const seconds = Number(version.spec.containers.map((container) => container.env[jobDurationEnvVar]).find((value) => value !== undefined));
  const job: ServiceRecord = {
    database: qualified.database,
    schema: qualified.schema,
    name: qualified.name,
    computePool: pool.name,
    owner: ctx.access.role,
    createdOn: now,
    updatedOn: now,
    resumedOn: now,
    minInstances: replicas,
    maxInstances: replicas,
    minReadyInstances: replicas,
    autoResume: true,
    autoSuspendSecs: 0,
    externalAccessIntegrations: settings.externalAccessIntegrations ?? [],
    isJob: true,
    isAsyncJob: asyncJob,
    current: version,
    runStartedAt: now,
    nodesReadyAt: nodesReadyAt(pool, now),
    restarts: [],
    seed: `${key}@${now}`,
    ...(Number.isFinite(seconds) && seconds > 0 ? { jobDurationMs: seconds * 1000 } : {}),
    ...(settings.queryWarehouse !== undefined ? { queryWarehouse: settings.queryWarehouse } : {}),
    ...(settings.logLevel !== undefined ? { logLevel: settings.logLevel } : {}),
    ...(settings.comment !== undefined ? { comment: settings.comment } : {}),
    ...(clauses.tags ? { tags: Object.fromEntries(clauses.tags) } : {}),
  };
  ctx.store.addService(job);
  ctx.store.grant('OWNERSHIP', 'SERVICE', key, ctx.access.role, ctx.access.role);
  pool.lastActivityAt = now;
  const shownName = quoteIfNeeded(qualified.name);
  if (asyncJob) {
    // CHOSEN text: Snowflake answers an asynchronous job with a one-row status.
    return statusResult(`Request to execute job ${shownName} has been successfully submitted.`);
  }
  return waitForJob(ctx, key, shownName);
}

/** Polled by the protocol until the job ends in emulated time. */
function waitForJob(ctx: StatementContext, key: string, shownName: string): PendingResult {
  const store = ctx.store;
  return {
    kind: 'pending',
    poll(): ResultSet | undefined {
      const job = store.state.services[key];
      if (!job) {
        throw SqlErrors.serviceState(`Job ${shownName} was dropped before it completed.`);
      }
      const now = store.now();
      if (now < jobFinishesAt(job)) {
        return undefined;
      }
      const status = serviceState(job, now).status;
      if (status === 'DONE') {
        return statusResult(`Job ${shownName} completed successfully with status: DONE.`);
      }
      throw SqlErrors.jobFailed(shownName, status);
    },
  };
}

/** SYSTEM$CANCEL_JOB('<job>'): CANCELLING, then CANCELLED (needs OPERATE). */
export function cancelJob(ctx: StatementContext, name: string): string {
  const found = serviceFromText(ctx, name, 'SYSTEM$CANCEL_JOB');
  requirePrivilege(ctx, found, 'OPERATE');
  if (!found.service.isJob) {
    throw SqlErrors.serviceState(`Service ${found.key} is not a job service.`);
  }
  if (found.service.cancelledAt === undefined && ctx.now < jobFinishesAt(found.service)) {
    found.service.cancelledAt = ctx.now;
    found.service.updatedOn = ctx.now;
  }
  return `Job ${quoteIfNeeded(found.service.name)} is being cancelled.`;
}
