/**
 * "Run as Job" without VS Code: the job's connection, pool (its fit settled at once, as for a
 * deploy), template values, name, replicas and sync/async, the plan (`planJob.ts`), EXECUTE JOB
 * SERVICE followed to its end with its logs (`executeJob.ts`), cancelling it in Snowflake when the
 * user stops following and says so, and the one outcome the user is told about.
 *
 * Must not: import `vscode`, or wait on a notification when the job was started with a connection,
 * a pool and a name (automation).
 */

import { defaultJobName, type JobChoices, type RememberedChoices } from '../specs/deployChoices';
import { describeExistingService, targetText } from '../specs/deployedService';
import { planJob, type JobPlan } from './planJob';
import { serviceTarget } from './serviceNames';
import { cancelJob, executeJob } from './executeJob';
import { poolFit } from './poolFit';
import { realTimeScheduler } from './readiness';
import type { ServiceRef } from '../model/nodes';
import { type FlowDeps, type JobAnswers, type JobRequest, type JobRunOutcome, type SpecInput, runSpec } from './flowContract';
import { Cancelled, answerRefusal, askPool, askTemplateValues, backingOff, cancelled, earlyRefusal, fittingPoolNames, loadListings, qualified, renderedFor, settlePoolFit, tellRefusal, triageLines } from './flowSteps';

export async function runJob(deps: FlowDeps, request: JobRequest): Promise<JobRunOutcome> {
  const spec = runSpec(request.spec);
  const early = earlyRefusal(spec);
  if (early) {
    void tellRefusal(deps, spec, early, 'Job');
    return { state: 'refused', refusal: early, message: early.message };
  }
  const remembered = deps.store.get(spec.uri);
  const given = request.given ?? {};
  const now = deps.now?.() ?? new Date();
  const interactive = !(given.connection !== undefined && given.pool !== undefined && given.jobName !== undefined);
  try {
    let connection = given.connection ?? remembered.connection;
    const known = deps.connections();
    if (given.connection === undefined && connection !== undefined && known !== undefined && !known.includes(connection)) connection = undefined;
    if (connection === undefined) {
      connection = await deps.ui.pickConnection();
      if (connection === undefined) throw cancelled('a connection');
    }
    const listings = await loadListings(deps, connection, false, false);
    if (!listings.ok) return reportJob(deps, spec, { state: 'error', message: listings.message.replace('Nothing was deployed.', 'No job was started.') });
    const { listed } = listings.value;

    let choices: RememberedChoices = { ...remembered, connection, ...(given.templateValues ? { templateValues: given.templateValues } : {}) };
    if (interactive) choices = await askTemplateValues(deps, spec, choices, false);
    const picked = given.pool === undefined;
    choices = { ...choices, pool: given.pool ?? (await askPool(deps, spec, choices, listed)).name };
    const fitted = await settlePoolFit(deps, spec, choices, listed, interactive, picked, 'Job');
    if (!fitted.ok) return { state: 'refused', refusal: fitted.refusal, message: fitted.refusal.message };
    choices = fitted.choices;
    let pool = choices.pool ?? '';
    let answers: JobAnswers = {
      jobName: given.jobName ?? defaultJobName(spec.uri, now),
      async: given.async ?? remembered.job?.async ?? false,
      replicas: given.replicas ?? remembered.job?.replicas ?? 1,
    };
    if (interactive) {
      const asked = await deps.ui.askJob(answers);
      if (asked === undefined) throw cancelled('the job options');
      answers = asked;
    }
    choices = { ...choices, pool, job: { async: answers.async, replicas: answers.replicas } };

    let plan: Extract<JobPlan, { ok: true }> | undefined;
    let service: ServiceRef | undefined;
    for (;;) {
      const where = await qualified(deps, connection, given.database ?? choices.database, given.schema ?? choices.schema);
      if (!where.ok) return reportJob(deps, spec, { state: 'error', message: `${where.message} The job was not started.` });
      const jobChoices: JobChoices = {
        connection,
        pool,
        jobName: answers.jobName,
        database: where.database,
        schema: where.schema,
        async: answers.async,
        replicas: answers.replicas,
        externalAccessIntegrations: given.externalAccessIntegrations ?? choices.externalAccessIntegrations ?? [],
        templateValues: choices.templateValues ?? {},
        ...((given.queryWarehouse ?? choices.queryWarehouse) === undefined ? {} : { queryWarehouse: given.queryWarehouse ?? choices.queryWarehouse }),
      };
      const poolInfo = listed.pools.find((candidate) => candidate.name === pool);
      const fit = poolInfo ? poolFit(renderedFor(spec, choices), poolInfo, listed.families) : undefined;
      const fittingPools = fit?.fits === 'no' ? fittingPoolNames(spec, choices, listed, pool) : [];
      let existing;
      const resolved = serviceTarget({ serviceName: jobChoices.jobName, database: where.database, schema: where.schema }, 'job');
      if (resolved.ok) {
        const described = await describeExistingService(deps.sessions, connection, resolved.target, { timeoutMs: deps.queryTimeoutMs });
        if (!described.ok) return reportJob(deps, spec, { state: 'error', message: `DESCRIBE SERVICE ${targetText(resolved.target)} failed (${described.error.kind}): ${described.error.message} The job was not started.` });
        existing = described.value;
      }
      const planned = planJob({ specText: spec.text, specUri: spec.uri, diagnostics: spec.diagnostics, parse: spec.parse, choices: jobChoices, existing, fittingPools, ...(fit === undefined ? {} : { poolFit: fit }) });
      if (planned.ok) {
        plan = planned;
        service = { connection, database: planned.target.database ?? where.database, schema: planned.target.schema ?? where.schema, name: planned.target.name };
        break;
      }
      const refusal = planned.refusal;
      if (refusal.kind === 'missingTemplateValues' && interactive) {
        choices = await askTemplateValues(deps, spec, choices, false, refusal.missing ?? []);
        continue;
      }
      const next = await answerRefusal(deps, spec, refusal, choices, listed, interactive, 'Job');
      if (next === undefined) return { state: 'refused', refusal, message: refusal.message };
      pool = next;
      choices = { ...choices, pool };
    }

    const shown = targetText(plan.target);
    for (const warning of plan.warnings) deps.log.warn(`Job ${shown}: ${warning}`);
    deps.log.info(`Job: ${plan.summary}`);
    const scheduler = backingOff(deps.scheduler ?? realTimeScheduler, deps.pollMs ?? 5000);
    const jobPlan = plan;
    // Sent from here on: remembered for the next run (a refused or cancelled one is not).
    await deps.store.set(spec.uri, choices);
    const outcome = await deps.ui.progress(`Running job ${shown} (Cancel stops following; you are then asked whether to cancel the job)`, true, (progress, signal) =>
      executeJob(deps.sessions, connection, jobPlan, {
        signal,
        scheduler,
        pollMs: deps.pollMs ?? 5000,
        ...(deps.jobTimeoutMs === undefined ? {} : { timeoutMs: deps.jobTimeoutMs }),
        statementTimeoutMs: deps.queryTimeoutMs,
        spec: { text: spec.text, uri: spec.uri, document: spec.parse(spec.text) },
        ...(deps.triageHistory ? { history: deps.triageHistory } : {}),
        onProgress: (step) => progress.report(step.message),
        onLog: (lines) => deps.ui.jobLog(shown, lines),
      }),
    );
    deps.changed({ scope: 'service', service, computePool: pool });
    if (outcome.state === 'failed') for (const line of triageLines(outcome.triage)) deps.log.error(line);
    let cancelRequested = false;
    let message = outcome.message;
    if (outcome.state === 'stopped' && interactive && (await deps.ui.confirmCancelJob(shown))) {
      const result = await cancelJob(deps.sessions, connection, plan.target, { timeoutMs: deps.queryTimeoutMs });
      cancelRequested = result.ok;
      message = result.ok ? `Job ${shown} is being cancelled in Snowflake (CANCELLING, then CANCELLED).` : `Job ${shown} could not be cancelled (${result.error.kind}): ${result.error.message} It keeps running.`;
      deps.changed({ scope: 'service', service, computePool: pool });
    }
    if (outcome.state === 'done') deps.log.info(`Job: ${message}`);
    else deps.log.warn(`Job: ${message}`);
    return reportJob(deps, spec, { state: 'ran', job: service, computePool: pool, outcome, cancelRequested, message });
  } catch (error) {
    if (error instanceof Cancelled) {
      const message = error.message.replace('nothing was deployed', 'no job was started').replace('Nothing was deployed', 'No job was started');
      deps.log.info(`Job: ${message}`);
      return { state: 'cancelled', message };
    }
    throw error;
  }
}

function reportJob(deps: FlowDeps, spec: SpecInput, outcome: JobRunOutcome): JobRunOutcome {
  if (outcome.state === 'error') deps.log.error(`Job: ${outcome.message}`);
  deps.ui.reportJob(outcome, spec);
  return outcome;
}
