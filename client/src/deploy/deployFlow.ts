/**
 * The decisions of "Deploy", without VS Code (jobs: `jobFlow.ts`; the steps both share:
 * `flowSteps.ts`; what the flows are given: `flowContract.ts`): which choices to ask for and which
 * to take from memory, the account listings the pickers show, the plan and its refusals, the upgrade
 * confirmation, applying the plan, the readiness gate and the job follower, and the one outcome the
 * user is told about. Every question and every notification goes through the injected `DeployUi`,
 * so node:test tests drive the whole flow against the emulator with scripted answers; the VS Code
 * implementation (`deployUi.ts`) only shows things.
 *
 * Owns: the order of the questions (the pool's fit is settled right after the pool is known, before
 * the other questions: a pool that cannot fit is refused there, naming the account's pools that do),
 * what "one click" means (remembered choices that the account still has are used without asking;
 * choices are remembered only from a deploy that was sent), the privilege preflight before anything is sent
 * (`preflightStep`: missing grants from the account catalog ask in interactive deploys, are only
 * logged in automation, and an unavailable catalog never blocks), the half-deployed reporting (a CREATE or an upgrade that went
 * through is never presented as if nothing happened), logging every outcome (refused, cancelled, up
 * to date, failed, half-deployed, deployed) in the output channel, and telling the views what changed.
 *
 * Must not: import `vscode`, drop a service, or wait on a notification when the deploy was started
 * with complete choices (automation: keybindings, tasks, tests), because nobody is there to answer.
 */

import { defaultChoices, isComplete, mergeWithAccount, type DeployChoices, type RememberedChoices } from '../specs/deployChoices';
import { applyPlan } from './applyPlan';
import { describeExistingService, targetText, targetObject } from '../specs/deployedService';
import { planDeploy } from './deployPlan';
import { type DeployPlan, type Refusal } from './plans';
import { serviceTarget } from './serviceNames';
import { poolFit, type PoolsAndFamilies } from './poolFit';
import { realTimeScheduler, watchReadiness } from './readiness';
import type { AccountCatalog } from '../../../server/src/lspExtension';
import { preflight } from '../privileges/preflight';
import type { ServiceRef } from '../model/nodes';
import { preflightSummary, type PreflightSubject } from '../privileges/preflightReport';
import { type DeployOutcome, type DeployRequest, type FlowDeps, type RunSpec, type SpecInput, runSpec } from './flowContract';
import { Cancelled, answerRefusal, askPool, askTemplateValues, backingOff, cancelled, earlyRefusal, fittingPoolNames, loadListings, qualified, renderedFor, settlePoolFit, tellRefusal, triageLines, withoutKey } from './flowSteps';

// ---------------------------------------------------------------------------------------------------
// Deploy

export async function runDeploy(deps: FlowDeps, request: DeployRequest): Promise<DeployOutcome> {
  const spec = runSpec(request.spec);
  const early = earlyRefusal(spec);
  if (early) return refused(deps, spec, early);

  const remembered = deps.store.get(spec.uri);
  const given = request.given ?? {};
  let choices: RememberedChoices = { ...defaultChoices(spec.uri), ...remembered, ...given };
  // Complete choices from the caller: nothing is asked and no notification is waited on.
  const interactive = !(request.given !== undefined && isComplete(choices) && given.pool !== undefined);
  const rememberedBefore = isComplete({ ...remembered, ...given });
  const askAll = interactive && (request.mode === 'ask' || !rememberedBefore);

  try {
    const known = deps.connections();
    // A connection the caller names is used as given (the session says so if it does not exist).
    if (given.connection === undefined && choices.connection !== undefined && known !== undefined && !known.includes(choices.connection)) {
      deps.log.warn(`Deploy: the remembered connection "${choices.connection}" is no longer in the connection files; choose another.`);
      choices = withoutKey(choices, 'connection');
    }
    if (choices.connection === undefined || (request.mode === 'ask' && given.connection === undefined)) {
      const picked = await deps.ui.pickConnection();
      if (picked === undefined) throw cancelled('a connection');
      choices = { ...choices, connection: picked };
    }
    const connection = choices.connection;
    if (connection === undefined) throw cancelled('a connection');

    const listings = await loadListings(deps, connection, askAll || choices.queryWarehouse !== undefined, askAll || (choices.externalAccessIntegrations ?? []).length > 0);
    if (!listings.ok) return report(deps, spec, { state: 'error', message: listings.message });
    const { listed } = listings.value;
    const merged = mergeWithAccount(
      choices,
      listed.pools.map((pool) => pool.name),
      listings.value.warehouses,
      listings.value.integrations === undefined ? {} : { integrations: listings.value.integrations },
    );
    for (const dropped of merged.dropped) deps.log.warn(`Deploy: ${dropped.reason}${interactive ? ' It is asked again.' : ''}`);
    choices = merged.choices;
    if (!interactive && merged.dropped.length > 0) {
      return report(deps, spec, { state: 'error', message: `The given deploy choices name what the account does not have: ${merged.dropped.map((item) => item.reason).join(' ')} Nothing was deployed.` });
    }

    choices = await askTemplateValues(deps, spec, choices, askAll);
    const picked = askAll || choices.pool === undefined;
    if (picked) choices = { ...choices, pool: (await askPool(deps, spec, choices, listed)).name };
    // Whether the spec fits the pool is known now: a pool it cannot fit is refused before anything
    // else is asked (and one whose fit is unknown is confirmed).
    const fitted = await settlePoolFit(deps, spec, choices, listed, interactive, picked);
    if (!fitted.ok) return { state: 'refused', refusal: fitted.refusal, message: fitted.refusal.message };
    choices = fitted.choices;
    if (askAll || choices.serviceName === undefined) {
      const name = await deps.ui.askServiceName(choices.serviceName ?? defaultChoices(spec.uri).serviceName ?? '');
      if (name === undefined) throw cancelled('a service name');
      choices = { ...choices, serviceName: name.trim() };
    }
    if (askAll || choices.minInstances === undefined || choices.maxInstances === undefined) {
      const instances = await deps.ui.askInstances({ min: choices.minInstances ?? 1, max: choices.maxInstances ?? choices.minInstances ?? 1 });
      if (instances === undefined) throw cancelled('the number of instances');
      choices = { ...choices, minInstances: instances.min, maxInstances: instances.max };
    }
    const droppedWarehouse = merged.dropped.some((item) => item.field === 'queryWarehouse');
    if (askAll || droppedWarehouse) choices = await askWarehouse(deps, choices, listings.value.warehouses);
    const droppedIntegration = merged.dropped.some((item) => item.field === 'externalAccessIntegrations');
    if (askAll || droppedIntegration) choices = await askIntegrations(deps, choices, listings.value.integrations);
    if (askAll || choices.autoResume === undefined) {
      const autoResume = await deps.ui.askAutoResume(choices.autoResume ?? true);
      if (autoResume === undefined) throw cancelled('auto-resume');
      choices = { ...choices, autoResume };
    }

    return await planAndApply(deps, request, spec, choices, listed, interactive);
  } catch (error) {
    if (error instanceof Cancelled) return report(deps, spec, { state: 'cancelled', message: error.message });
    throw error;
  }
}

/**
 * The fit of the spec on the chosen pool, settled before the other questions: `no` is refused at
 * once, naming the account's pools that fit (in an interactive deploy the user may take one of them
 * or pick another pool, which is judged again); `unknown` on a pool just picked asks whether to
 * deploy anyway. A pool the listing does not have is left to the plan.
 */

async function askWarehouse(deps: FlowDeps, choices: RememberedChoices, warehouses: readonly string[] | undefined): Promise<RememberedChoices> {
  if (warehouses === undefined) return choices;
  const picked = await deps.ui.pickWarehouse(warehouses, choices.queryWarehouse);
  if (picked === undefined) throw cancelled('a query warehouse');
  return picked.warehouse === undefined ? withoutKey(choices, 'queryWarehouse') : { ...choices, queryWarehouse: picked.warehouse };
}

async function askIntegrations(deps: FlowDeps, choices: RememberedChoices, integrations: readonly string[] | undefined): Promise<RememberedChoices> {
  if (integrations === undefined) return { ...choices, externalAccessIntegrations: choices.externalAccessIntegrations ?? [] };
  if (integrations.length === 0) {
    deps.log.info('Deploy: the role can use no external access integration; the step is skipped.');
    return { ...choices, externalAccessIntegrations: [] };
  }
  const picked = await deps.ui.pickIntegrations(integrations, choices.externalAccessIntegrations ?? []);
  if (picked === undefined) throw cancelled('the external access integrations');
  return { ...choices, externalAccessIntegrations: [...picked] };
}

async function planAndApply(deps: FlowDeps, request: DeployRequest, spec: RunSpec, initial: RememberedChoices, listed: PoolsAndFamilies, interactive: boolean): Promise<DeployOutcome> {
  let choices = initial;
  let plan: Extract<DeployPlan, { ok: true }> | undefined;
  let connection = '';
  for (;;) {
    if (!isComplete(choices)) return report(deps, spec, { state: 'error', message: 'The deploy choices are incomplete; run "SPCS: Deploy Service With New Choices…".' });
    connection = choices.connection;
    const where = await qualified(deps, connection, choices.database, choices.schema);
    if (!where.ok) return report(deps, spec, { state: 'error', message: `${where.message} Nothing was deployed.` });
    const full: DeployChoices = { ...choices, database: where.database, schema: where.schema };
    const pool = listed.pools.find((candidate) => candidate.name === full.pool);
    const fit = pool ? poolFit(renderedFor(spec, full), pool, listed.families) : undefined;
    const fittingPools = fit?.fits === 'no' ? fittingPoolNames(spec, full, listed, full.pool) : [];
    let existing;
    const resolved = serviceTarget(full);
    if (resolved.ok) {
      const described = await describeExistingService(deps.sessions, connection, resolved.target, { timeoutMs: deps.queryTimeoutMs });
      if (!described.ok) {
        return report(deps, spec, { state: 'error', message: `DESCRIBE SERVICE ${targetText(resolved.target)} failed (${described.error.kind}): ${described.error.message} Nothing was deployed.` });
      }
      existing = described.value;
    }
    const planned = planDeploy({ specText: spec.text, specUri: spec.uri, diagnostics: spec.diagnostics, parse: spec.parse, choices: full, existing, fittingPools, ...(fit === undefined ? {} : { poolFit: fit }) });
    if (planned.ok) {
      plan = planned;
      break;
    }
    const refusal = planned.refusal;
    if (refusal.kind === 'missingTemplateValues' && interactive) {
      choices = await askTemplateValues(deps, spec, choices, false, refusal.missing ?? []);
      continue;
    }
    const next = await answerRefusal(deps, spec, refusal, choices, listed, interactive);
    if (next === undefined) return { state: 'refused', refusal, message: refusal.message };
    choices = { ...choices, pool: next };
  }

  const shown = targetText(plan.target);
  const service: ServiceRef = { connection, database: plan.target.database ?? '', schema: plan.target.schema ?? '', name: plan.target.name };
  const computePool = choices.pool ?? '';
  for (const warning of plan.warnings) deps.log.warn(`Deploy ${shown}: ${warning}`);

  let toApply = plan;
  if (plan.action === 'upgrade') {
    if (plan.diff && !plan.diff.changed) {
      if (plan.sql.length === 1) {
        // Nothing to send, but the service is what these choices describe: the next deploy starts from them.
        await deps.store.set(spec.uri, choices);
        return report(deps, spec, { state: 'upToDate', service, computePool, message: `${shown} is already up to date: the deployed spec is the same as the local one, and its settings match.` });
      }
      // Only the properties changed: set them, leave the spec (and the running instances) as they are.
      toApply = { ...plan, sql: plan.sql.slice(0, -1), summary: `Update the properties of ${shown} (the spec is unchanged).` };
    }
  }
  const stopped = await preflightStep(deps, connection, toApply, choices, spec, interactive);
  if (stopped) return stopped;
  if (toApply.action === 'upgrade' && request.confirmUpgrade !== true) {
    const confirmed = await deps.ui.confirmUpgrade(toApply);
    if (!confirmed) return report(deps, spec, { state: 'cancelled', message: `Cancelled: ${shown} was not changed.` });
  }

  // Sent from here on: these are the choices the next deploy starts from (a refused or cancelled
  // deploy never gets here, so its pool is not remembered).
  await deps.store.set(spec.uri, choices);
  deps.log.info(`Deploy: ${toApply.summary}`);
  const applied = await deps.ui.progress(`${toApply.action === 'create' ? 'Creating' : 'Upgrading'} ${shown}…`, false, () =>
    applyPlan(deps.sessions, connection, toApply, { timeoutMs: Math.max(deps.queryTimeoutMs, 30_000) }),
  );
  if (applied.applied.length > 0 || applied.state === 'unknown') {
    deps.changed({ scope: 'service', service, computePool });
    if (toApply.action === 'upgrade') deps.ui.upgradeSent?.(toApply);
  }
  if (!applied.ok) {
    const halfDeployed = applied.state === 'partial' || applied.state === 'unknown';
    return report(deps, spec, { state: 'notApplied', service, apply: applied, halfDeployed, message: halfDeployed ? `Half-deployed: ${applied.message}` : applied.message });
  }
  const appliedMessage = toApply === plan ? applied.message : `The properties of ${shown} were updated; its spec is unchanged.`;
  if (!toApply.expectReady) {
    return report(deps, spec, { state: 'deployed', action: toApply.action, service, computePool, readiness: undefined, halfDeployed: false, warnings: toApply.warnings, message: appliedMessage });
  }
  deps.log.info(`Deploy: ${appliedMessage}`);

  const scheduler = backingOff(deps.scheduler ?? realTimeScheduler, deps.pollMs ?? 5000);
  const readiness = await deps.ui.progress(`Waiting for ${shown} to be ready (Cancel stops watching; the service keeps starting)`, true, (progress, signal) =>
    watchReadiness(deps.sessions, connection, targetObject(toApply.target), {
      signal,
      scheduler,
      pollMs: deps.pollMs ?? 5000,
      timeoutMs: deps.readinessTimeoutMs,
      statementTimeoutMs: deps.queryTimeoutMs,
      action: toApply.action,
      spec: { text: spec.text, uri: spec.uri, document: spec.parse(spec.text) },
      ...(deps.triageHistory ? { history: deps.triageHistory } : {}),
      onProgress: (step) => progress.report(step.message),
    }),
  );
  deps.changed({ scope: 'service', service, computePool });
  if (readiness.state === 'failed') {
    for (const line of triageLines(readiness.triage)) deps.log.error(line);
  }
  const halfDeployed = readiness.state === 'failed' || readiness.state === 'error';
  const message = halfDeployed ? `Half-deployed: ${readiness.message}` : readiness.message;
  return report(deps, spec, { state: 'deployed', action: toApply.action, service, computePool, readiness, halfDeployed, warnings: toApply.warnings, message });
}

/** A catalog older than this is read again before grants are reported missing. */
const catalogRecheckMs = 60_000;

/**
 * The privilege preflight before anything is sent: nothing missing → on silently; the catalog
 * unavailable → said (log, and a notification the flow does not wait on) and on; grants missing →
 * in an interactive deploy the modal decides, in automation the missing grants are logged and the
 * deploy goes on (Snowflake has the last word). Returns the outcome when the deploy stops.
 */
export async function preflightStep(
  deps: FlowDeps,
  connection: string,
  plan: Extract<DeployPlan, { ok: true }>,
  choices: RememberedChoices,
  spec: SpecInput,
  interactive: boolean,
): Promise<DeployOutcome | undefined> {
  const read = deps.catalog;
  if (read === undefined) return undefined;
  const shown = targetText(plan.target);
  const readCatalog = async (refresh: boolean) => {
    try {
      return await read(connection, refresh ? { refresh: true } : undefined);
    } catch (error) {
      return { catalog: null, status: { state: 'unavailable', reason: error instanceof Error ? error.message : String(error) } };
    }
  };
  let entry = await readCatalog(false);
  const check = (catalog: AccountCatalog & { readonly role: string }) =>
    preflight(plan.renderedSpec || spec.text, {
      role: catalog.role,
      database: plan.target.database ?? catalog.database ?? '',
      schema: plan.target.schema ?? catalog.schema ?? '',
      computePool: choices.pool ?? '',
      serviceName: plan.target.name,
      operation: plan.action,
      externalAccessIntegrations: choices.externalAccessIntegrations ?? [],
      ...(choices.queryWarehouse === undefined ? {} : { queryWarehouse: choices.queryWarehouse }),
    }, catalog);
  const catalog = entry.catalog;
  if (catalog === null || catalog.role === undefined || catalog.grants === null) {
    const why = catalog === null ? (entry.status.reason ?? 'the account catalog is unavailable') : catalog.role === undefined ? 'the current role is not known' : 'the grants of the role could not be read';
    const message = `Privileges were not checked before deploying ${shown} (${why.replace(/[.\s]+$/, '')}); deploying anyway.`;
    deps.log.warn(`Deploy: ${message}`);
    deps.ui.preflightSkipped?.(message);
    return undefined;
  }
  let result = check({ ...catalog, role: catalog.role });
  const now = (deps.now?.() ?? new Date()).getTime();
  if (result.missing.length > 0 && entry.fetchedAt !== undefined && now - entry.fetchedAt > catalogRecheckMs) {
    // Grants may have been given since the catalog was read: read it again before claiming they are missing.
    const fresh = await readCatalog(true);
    if (fresh.catalog?.role !== undefined && fresh.catalog.grants !== null) {
      entry = fresh;
      result = check({ ...fresh.catalog, role: fresh.catalog.role });
    }
  }
  if (result.missing.length === 0) return undefined;
  const subject: PreflightSubject = {
    what: `service ${shown} on compute pool ${choices.pool ?? '?'}`,
    connection,
    ...(entry.fetchedAt === undefined ? {} : { catalogReadAt: new Date(entry.fetchedAt).toISOString() }),
  };
  const summary = preflightSummary(result, subject);
  deps.log.warn(`Deploy: ${summary} Missing: ${result.missing.map((grant) => grant.statement).join('; ')}`);
  if (!interactive || deps.ui.confirmMissingPrivileges === undefined) return undefined;
  const answer = await deps.ui.confirmMissingPrivileges(result, subject);
  if (answer === 'deploy') return undefined;
  return report(deps, spec, { state: 'cancelled', message: `Not deployed: ${summary} Nothing was sent.` });
}

/**
 * Every outcome but a refusal (logged when it is shown, `answerRefusal`) goes through here: logged
 * in the output channel, then told to the user.
 */
function report(deps: FlowDeps, spec: SpecInput, outcome: Exclude<DeployOutcome, { state: 'refused' }>): DeployOutcome {
  const line = `Deploy: ${outcome.message}`;
  const failed = outcome.state === 'error' || outcome.state === 'notApplied' || (outcome.state === 'deployed' && outcome.halfDeployed);
  if (failed) deps.log.error(line);
  else deps.log.info(line);
  deps.ui.reportDeploy(outcome, spec);
  return outcome;
}

function refused(deps: FlowDeps, spec: SpecInput, refusal: Refusal): DeployOutcome {
  void tellRefusal(deps, spec, refusal, 'Deploy');
  return { state: 'refused', refusal, message: refusal.message };
}
