/**
 * What a deploy will do, decided before anything is sent: create or upgrade, the exact SQL, the diff
 * the user confirms for an upgrade, and every reason to refuse.
 *
 * Owns: the deploy rules of the reference: block volumes needing MIN_INSTANCES = MAX_INSTANCES (Q01),
 * MAX ≥ MIN ≥ 1 (Q02/Q03), at most 10 integrations (Q07), an existing job that cannot be altered
 * (Q12), a service that cannot change pools; the upgrade path (`ALTER SERVICE … FROM SPECIFICATION`,
 * never DROP) with only the changed properties set. Names are `serviceNames.ts`, the spec checks
 * `specChecks.ts`, jobs `planJob.ts`; applying a plan is `applyPlan.ts`.
 *
 * `planDeploy` is pure (text in, plan out); the SQL comes from `snowflake/sql.ts`. Must not: import
 * `vscode`, drop anything, or re-implement the language service.
 */

import * as sql from '../snowflake/sql';
import type { DeployChoices } from '../specs/deployChoices';
import { targetObject, targetText, type ExistingService } from '../specs/deployedService';
import { specsEquivalent, upgradeDiff } from '../specs/specDiff';
import { poolDoesNotFit, type DeployInput, type DeployPlan, type Refusal, type SpecDiff } from './plans';
import { serviceTarget } from './serviceNames';
import { checkSpec, hasBlockVolumes, parserOf, renderChecked } from './specChecks';

// ---------------------------------------------------------------------------------------------------
// planDeploy

export function planDeploy(input: DeployInput): DeployPlan {
  const { choices, existing } = input;
  const refuse = (refusal: Refusal): DeployPlan => ({ ok: false, refusal });
  const warnings: string[] = [];

  const checked = checkSpec(input, 'deploying');
  if (!checked.ok) return refuse(checked.refusal);
  warnings.push(...checked.warnings);

  const resolved = serviceTarget(choices);
  if (!resolved.ok) return refuse(resolved.refusal);
  const { target } = resolved;
  warnings.push(...resolved.warnings);

  const instances = checkInstances(choices.minInstances, choices.maxInstances);
  if (instances) return refuse(instances);
  const integrations = checkIntegrations(choices.externalAccessIntegrations);
  if (integrations) return refuse(integrations);
  if (choices.pool.trim() === '') {
    return refuse({ kind: 'invalidChoices', message: 'Choose a compute pool.' });
  }

  const parse = parserOf(input);
  const prepared = renderChecked(input.specText, parse, choices.templateValues);
  if (!prepared.ok) return refuse(prepared.refusal);
  const spec = prepared.spec;
  warnings.push(...spec.warnings);
  const blockVolumes = hasBlockVolumes(parse(spec.rendered));
  if (blockVolumes && choices.minInstances !== choices.maxInstances) {
    return refuse({
      kind: 'blockVolumesNeedFixedInstances',
      message: `The spec has block storage volumes, so MIN_INSTANCES must equal MAX_INSTANCES (they are ${choices.minInstances} and ${choices.maxInstances}); set both to the same number.`,
    });
  }

  if (input.poolFit?.fits === 'no') {
    return refuse(poolDoesNotFit(input.poolFit, input.fittingPools ?? []));
  }
  if (input.poolFit?.fits === 'unknown') {
    warnings.push(`Whether the spec fits ${choices.pool} is not known: ${input.poolFit.reasons.join(' ')}`);
  }
  if (input.poolFit) warnings.push(...input.poolFit.notes);

  const name = targetObject(target);
  const shownName = targetText(target);
  if (existing === undefined) {
    const statement = buildOrRefuse(() =>
      sql.createService({
        name,
        pool: choices.pool,
        spec: spec.source,
        minInstances: choices.minInstances,
        maxInstances: choices.maxInstances,
        autoResume: choices.autoResume,
        ...(choices.externalAccessIntegrations.length > 0 ? { externalAccessIntegrations: choices.externalAccessIntegrations } : {}),
        ...(choices.queryWarehouse ? { queryWarehouse: choices.queryWarehouse } : {}),
        ...(choices.autoSuspendSecs === undefined ? {} : { autoSuspendSecs: choices.autoSuspendSecs }),
        ...(choices.comment === undefined ? {} : { comment: choices.comment }),
        ...(choices.tags === undefined || Object.keys(choices.tags).length === 0 ? {} : { tags: choices.tags }),
      }),
    );
    if (!statement.ok) return refuse(statement.refusal);
    const count = choices.minInstances === choices.maxInstances ? `${choices.minInstances} instance${choices.minInstances === 1 ? '' : 's'}` : `${choices.minInstances}–${choices.maxInstances} instances`;
    return {
      ok: true,
      action: 'create',
      target,
      sql: [statement.sql],
      renderedSpec: spec.rendered,
      templated: spec.templated,
      warnings,
      expectReady: true,
      summary: `Create service ${shownName} in compute pool ${choices.pool} (${count}).`,
    };
  }

  // An existing object: upgrade it in place, or refuse. Never drop and re-create.
  if (existing.isJob) {
    return refuse({
      kind: 'existingJob',
      message: `${shownName} is a job service, and job services cannot be altered. Choose another service name (a job's record is kept for 30 days).`,
    });
  }
  if (sql.normalizeIdentifier(existing.computePool) !== sql.normalizeIdentifier(choices.pool) && existing.computePool !== choices.pool) {
    return refuse({
      kind: 'differentPool',
      message: `${shownName} runs in compute pool ${existing.computePool}, not ${choices.pool}. A service cannot move to another pool without being dropped and re-created, which deploy never does: choose ${existing.computePool}, or another service name.`,
    });
  }
  const status = existing.status.toUpperCase();
  if (status === 'DELETING' || status === 'DELETED') {
    return refuse({ kind: 'existingService', message: `${shownName} is being deleted (status ${status}); wait until it is gone, then deploy again to create it.` });
  }
  const suspended = status === 'SUSPENDED' || status === 'SUSPENDING';
  if (suspended) {
    warnings.push(`${shownName} is ${status.toLowerCase()}: the new spec is recorded now and used when the service is resumed.`);
  }
  if (existing.isUpgrading) {
    warnings.push(`${shownName} is still rolling out a previous upgrade; this upgrade replaces it.`);
  }

  const changes = propertyChanges(existing, choices, blockVolumes, shownName, warnings);
  const statements: string[] = [];
  if (changes !== undefined) {
    const set = buildOrRefuse(() => sql.setServiceProperties(name, changes));
    if (!set.ok) return refuse(set.refusal);
    statements.push(set.sql);
  }
  const alter = buildOrRefuse(() => sql.alterServiceSpec(name, spec.source));
  if (!alter.ok) return refuse(alter.refusal);
  statements.push(alter.sql);

  let diff: SpecDiff | undefined;
  if (existing.spec !== undefined && existing.spec !== '') {
    const changed = !specsEquivalent(existing.spec, spec.rendered);
    diff = { ...upgradeDiff(existing.spec, spec.rendered), changed };
    if (!changed) {
      warnings.push(`The local spec is the same as the deployed one; upgrading still pulls the newest image for each tag and restarts the instances one by one.`);
    }
  } else {
    warnings.push(`The deployed spec of ${shownName} cannot be shown: DESCRIBE SERVICE returns it only to the role that owns the service.`);
  }
  return {
    ok: true,
    action: 'upgrade',
    target,
    sql: statements,
    ...(diff === undefined ? {} : { diff }),
    renderedSpec: spec.rendered,
    templated: spec.templated,
    warnings,
    expectReady: !suspended,
    summary: `Upgrade service ${shownName} in compute pool ${existing.computePool} to the local spec (rolling: one instance at a time)${changes === undefined ? '' : ' and update its properties'}.`,
  };
}

function checkInstances(min: number, max: number): Refusal | undefined {
  if (!Number.isInteger(min) || min < 1) {
    return { kind: 'invalidInstances', message: `MIN_INSTANCES must be a whole number of at least 1 (it is ${min}).` };
  }
  if (!Number.isInteger(max) || max < min) {
    return { kind: 'invalidInstances', message: `MAX_INSTANCES must be a whole number of at least MIN_INSTANCES (${min}); it is ${max}.` };
  }
  return undefined;
}

export function checkIntegrations(integrations: readonly string[]): Refusal | undefined {
  if (integrations.length > 10) {
    return { kind: 'invalidChoices', message: `A service can use at most 10 external access integrations (${integrations.length} are chosen).` };
  }
  if (integrations.some((integration) => integration.trim() === '')) {
    return { kind: 'invalidChoices', message: 'An external access integration name is empty.' };
  }
  return undefined;
}

export function buildOrRefuse(build: () => string): { ok: true; sql: string } | { ok: false; refusal: Refusal } {
  try {
    return { ok: true, sql: build() };
  } catch (error) {
    return { ok: false, refusal: { kind: 'invalidChoices', message: error instanceof Error ? error.message : String(error) } };
  }
}

/**
 * The properties to SET on an existing service so it matches the choices. Values the choices leave
 * unset are left as they are; removals (an integration or the warehouse no longer chosen) are
 * reported, not applied: deploy only adds or changes.
 */
function propertyChanges(existing: ExistingService, choices: DeployChoices, blockVolumes: boolean, shownName: string, warnings: string[]): sql.ServiceProperties | undefined {
  const changes: { -readonly [K in keyof sql.ServiceProperties]: sql.ServiceProperties[K] } = {};
  const instancesDiffer =
    (existing.minInstances !== undefined && existing.minInstances !== choices.minInstances) || (existing.maxInstances !== undefined && existing.maxInstances !== choices.maxInstances);
  if (instancesDiffer && blockVolumes) {
    warnings.push(
      `${shownName} has block storage volumes, so its instance count cannot be changed after creation; it stays at ${existing.minInstances ?? '?'}–${existing.maxInstances ?? '?'} (the chosen ${choices.minInstances}–${choices.maxInstances} is not applied).`,
    );
  } else if (instancesDiffer) {
    changes.minInstances = choices.minInstances;
    changes.maxInstances = choices.maxInstances;
    if (existing.minReadyInstances !== undefined && existing.minReadyInstances > choices.minInstances) {
      changes.minReadyInstances = choices.minInstances;
    }
  }
  if (existing.autoResume !== undefined && existing.autoResume !== choices.autoResume) {
    changes.autoResume = choices.autoResume;
  }
  if (choices.queryWarehouse) {
    if (existing.queryWarehouse === undefined || !sameName(existing.queryWarehouse, choices.queryWarehouse)) changes.queryWarehouse = choices.queryWarehouse;
  } else if (existing.queryWarehouse !== undefined && existing.queryWarehouse !== '') {
    warnings.push(`${shownName} keeps QUERY_WAREHOUSE = ${existing.queryWarehouse} (no warehouse is chosen; deploy does not unset it).`);
  }
  const current = existing.externalAccessIntegrations ?? [];
  const chosen = choices.externalAccessIntegrations;
  const added = chosen.filter((name) => !current.some((other) => sameName(other, name)));
  const removed = current.filter((name) => !chosen.some((other) => sameName(other, name)));
  if (chosen.length > 0 && (added.length > 0 || removed.length > 0)) {
    // SET replaces the whole list (reference §4.6).
    changes.externalAccessIntegrations = chosen;
  } else if (chosen.length === 0 && removed.length > 0) {
    warnings.push(`${shownName} keeps its external access integrations ${removed.join(', ')} (none are chosen; deploy does not unset them).`);
  }
  // A snowflake.yml entity's AUTO_SUSPEND_SECS and COMMENT are set on every upgrade, as `snow spcs
  // service deploy --upgrade` sets them (DESCRIBE does not show both, so there is nothing to compare).
  if (choices.autoSuspendSecs !== undefined) changes.autoSuspendSecs = choices.autoSuspendSecs;
  if (choices.comment !== undefined) changes.comment = choices.comment;
  return Object.keys(changes).length === 0 ? undefined : changes;
}

function sameName(a: string, b: string): boolean {
  return a === b || sql.normalizeIdentifier(a) === sql.normalizeIdentifier(b);
}
