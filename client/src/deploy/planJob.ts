/**
 * What a job run will do: the one EXECUTE JOB SERVICE statement, or why not (a job name must be new:
 * job services cannot be altered, Q12, and their records are kept for 30 days).
 *
 * Pure (text in, plan out); the SQL comes from `snowflake/sql.ts`. Must not: import `vscode`.
 */

import type { Diagnostic } from 'vscode-languageserver-types';
import * as sql from '../snowflake/sql';
import type { JobChoices } from '../specs/deployChoices';
import { targetObject, targetText, type DeployTarget, type ExistingService } from '../specs/deployedService';
import { buildOrRefuse, checkIntegrations } from './deployPlan';
import { poolDoesNotFit, type Refusal } from './plans';
import type { PoolFit } from './poolFit';
import { serviceTarget } from './serviceNames';
import { checkSpec, parserOf, renderChecked } from './specChecks';
import type { SpecParser } from './specParser';

export type JobPlan =
  | { readonly ok: false; readonly refusal: Refusal }
  | {
      readonly ok: true;
      readonly target: DeployTarget;
      /** The one EXECUTE JOB SERVICE statement. */
      readonly sql: string;
      readonly async: boolean;
      readonly replicas: number;
      readonly renderedSpec: string;
      readonly templated: boolean;
      readonly warnings: readonly string[];
      readonly summary: string;
    };

export interface JobInput {
  readonly specText: string;
  readonly specUri: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly choices: JobChoices;
  /** DESCRIBE SERVICE of `jobName`, or undefined when no service or job has that name. */
  readonly existing: ExistingService | undefined;
  readonly poolFit?: PoolFit;
  readonly fittingPools?: readonly string[];
  /** The run's parser (each text parsed once); by default one of its own. */
  readonly parse?: SpecParser;
}

/** `EXECUTE JOB SERVICE … NAME = … [ASYNC = TRUE] REPLICAS = n`, or why not. */
export function planJob(input: JobInput): JobPlan {
  const { choices } = input;
  const refuse = (refusal: Refusal): JobPlan => ({ ok: false, refusal });
  const warnings: string[] = [];
  const checked = checkSpec(input, 'running the job');
  if (!checked.ok) return refuse(checked.refusal);
  warnings.push(...checked.warnings);
  const resolved = serviceTarget({ serviceName: choices.jobName, database: choices.database, schema: choices.schema }, 'job');
  if (!resolved.ok) return refuse(resolved.refusal);
  const { target } = resolved;
  warnings.push(...resolved.warnings);
  if (!Number.isInteger(choices.replicas) || choices.replicas < 1) {
    return refuse({ kind: 'invalidInstances', message: `REPLICAS must be a whole number of at least 1 (it is ${choices.replicas}).` });
  }
  const integrations = checkIntegrations(choices.externalAccessIntegrations);
  if (integrations) return refuse(integrations);
  if (choices.pool.trim() === '') {
    return refuse({ kind: 'invalidChoices', message: 'Choose a compute pool.' });
  }
  const shownName = targetText(target);
  if (input.existing !== undefined) {
    return refuse({
      kind: input.existing.isJob ? 'existingJob' : 'existingService',
      message: input.existing.isJob
        ? `A job named ${shownName} already exists (status ${input.existing.status}; job records are kept for 30 days). Choose another job name.`
        : `A service named ${shownName} already exists; a job needs a name of its own.`,
    });
  }
  const parse = parserOf(input);
  const prepared = renderChecked(input.specText, parse, choices.templateValues);
  if (!prepared.ok) return refuse(prepared.refusal);
  const spec = prepared.spec;
  warnings.push(...spec.warnings);
  if (input.poolFit?.fits === 'no') {
    return refuse(poolDoesNotFit(input.poolFit, input.fittingPools ?? []));
  }
  if (input.poolFit?.fits === 'unknown') warnings.push(`Whether the spec fits ${choices.pool} is not known: ${input.poolFit.reasons.join(' ')}`);
  if (input.poolFit) warnings.push(...input.poolFit.notes);
  if (parse(spec.rendered).spec?.has('resourceManagement')) {
    warnings.push("Autoscaling policies ('resourceManagement') do not apply to job services; they are ignored.");
  }
  const statement = buildOrRefuse(() =>
    sql.executeJobService({
      pool: choices.pool,
      spec: spec.source,
      name: targetObject(target),
      async: choices.async,
      replicas: choices.replicas,
      ...(choices.externalAccessIntegrations.length > 0 ? { externalAccessIntegrations: choices.externalAccessIntegrations } : {}),
      ...(choices.queryWarehouse ? { queryWarehouse: choices.queryWarehouse } : {}),
    }),
  );
  if (!statement.ok) return refuse(statement.refusal);
  return {
    ok: true,
    target,
    sql: statement.sql,
    async: choices.async,
    replicas: choices.replicas,
    renderedSpec: spec.rendered,
    templated: spec.templated,
    warnings,
    summary: `Run job ${shownName} in compute pool ${choices.pool} (${choices.replicas} replica${choices.replicas === 1 ? '' : 's'}, ${choices.async ? 'asynchronously' : 'synchronously'}).`,
  };
}
