/**
 * The steps the deploy and the job flows share: what the account offers for the choices (pools and
 * families, warehouses, integrations, the current database and schema), the refusals known before
 * anything is asked, the pool question and its fit (a pool the spec cannot fit is refused at once,
 * naming the account's pools that do; an unknown fit on a pool just picked is confirmed), the
 * template values, the qualified target, and a refusal told (logged first, then shown).
 *
 * Must not: import `vscode`, or change anything in the account.
 */

import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { isFamilyCapacityError, type SpecDocument } from '../../../server/src/service';
import { type RememberedChoices } from '../specs/deployChoices';
import { analyzeTemplate, renderedSpec } from '../specs/templates';
import { poolDoesNotFit, type Refusal } from './plans';
import { loadPoolsAndFamilies, poolFit, poolsThatFit, type PoolInfo, type PoolsAndFamilies } from './poolFit';
import { specParser, type SpecParser } from './specParser';
import { type Scheduler } from './readiness';
import { type Triage } from './triage';
import type { Result } from '../snowflake/result';
import type { SnowflakeSessions } from '../snowflake/session';
import type { TemplateValue } from '../snowflake/sql';
import { type FlowDeps, type RefusalAnswer, type RunSpec, type SpecInput } from './flowContract';

// ---------------------------------------------------------------------------------------------------
// Listings

/** Warehouses the role can see, or why not (the picker is then skipped). */
export async function listWarehouses(sessions: Pick<SnowflakeSessions, 'execute'>, connection: string, timeoutMs: number): Promise<Result<string[]>> {
  const result = await sessions.execute(connection, 'SHOW WAREHOUSES', { timeoutMs });
  return result.ok ? { ok: true, value: namesOf(result.value.rows) } : result;
}

/**
 * External access integrations the role can use: SHOW EXTERNAL ACCESS INTEGRATIONS, else SHOW
 * INTEGRATIONS filtered to the EXTERNAL_ACCESS type (accounts or emulators that do not know the
 * first form answer with a SQL compilation error).
 */
export async function listIntegrations(sessions: Pick<SnowflakeSessions, 'execute'>, connection: string, timeoutMs: number): Promise<Result<string[]>> {
  const specific = await sessions.execute(connection, 'SHOW EXTERNAL ACCESS INTEGRATIONS', { timeoutMs });
  if (specific.ok) return { ok: true, value: namesOf(specific.value.rows) };
  if (specific.error.kind !== 'sql') return specific;
  const all = await sessions.execute(connection, 'SHOW INTEGRATIONS', { timeoutMs });
  if (!all.ok) return all;
  return { ok: true, value: namesOf(all.value.rows.filter((row) => typeof row['type'] !== 'string' || /EXTERNAL_ACCESS/i.test(row['type']))) };
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function namesOf(rows: readonly Record<string, unknown>[]): string[] {
  return rows.map((row) => row['name']).filter((name): name is string => typeof name === 'string' && name !== '');
}

/** The connection's current database and schema (a service's name is always qualified by the deploy). */
export async function currentDatabaseAndSchema(sessions: Pick<SnowflakeSessions, 'execute'>, connection: string, timeoutMs: number): Promise<Result<{ database: string | undefined; schema: string | undefined }>> {
  const result = await sessions.execute(connection, 'SELECT CURRENT_DATABASE() AS DATABASE_NAME, CURRENT_SCHEMA() AS SCHEMA_NAME', { timeoutMs });
  if (!result.ok) return result;
  const row = result.value.rows[0] ?? {};
  const [database, schema] = Object.values(row);
  return { ok: true, value: { database: typeof database === 'string' && database !== '' ? database : undefined, schema: typeof schema === 'string' && schema !== '' ? schema : undefined } };
}

// ---------------------------------------------------------------------------------------------------
// Shared checks


/** Refusals known before anything is asked: not a spec, error diagnostics, placeholders Snowflake does not fill. */
export function earlyRefusal(spec: SpecInput & { readonly parse?: SpecParser }): Refusal | undefined {
  const parse = spec.parse ?? specParser(spec.uri, spec.text, spec.document);
  if (!parse(spec.text).looksLikeSpec) {
    return { kind: 'notASpec', message: "This file is not a service specification (it needs a top-level 'spec:' with 'containers:')." };
  }
  const errors = spec.diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error && !isFamilyCapacityError(diagnostic.code));
  if (errors.length > 0) {
    const first = errors[0];
    return {
      kind: 'errors',
      diagnostics: errors,
      message: `The spec has ${errors.length} error${errors.length === 1 ? '' : 's'} (first: line ${(first?.range.start.line ?? 0) + 1}: ${first?.message ?? ''}). Snowflake would reject it; fix ${errors.length === 1 ? 'it' : 'them'} first.`,
    };
  }
  const analysis = analyzeTemplate(spec.text);
  if (analysis.unsupported.length > 0) {
    return {
      kind: 'unsupportedTemplate',
      message: `The spec uses placeholders Snowflake does not fill (${[...new Set(analysis.unsupported)].slice(0, 3).join(', ')}): only '{{ variable }}' templates are rendered by CREATE SERVICE. Render the file first or replace them with values.`,
    };
  }
  return undefined;
}

/** A backing-off view of the scheduler: the first looks come quickly (a service is often ready in seconds), then every `maxMs`. */
export function backingOff(scheduler: Scheduler, maxMs: number): Scheduler {
  let next = Math.min(1000, maxMs);
  return {
    now: () => scheduler.now(),
    wait: (ms, signal) => {
      const step = next;
      next = Math.min(maxMs, Math.round(next * 1.5));
      return scheduler.wait(Math.min(ms, step), signal);
    },
  };
}

/** `3` → 3-3, `1-3` → 1-3; undefined when invalid. */
export function parseInstances(text: string): { min: number; max: number } | undefined {
  const match = /^\s*([1-9]\d*)\s*(?:[-–]\s*([1-9]\d*)\s*)?$/.exec(text);
  if (!match?.[1]) return undefined;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  return max >= min ? { min, max } : undefined;
}

/** The log lines of a triage: the containers' status and messages and their last log lines. */
export function triageLines(triage: Triage): string[] {
  const lines = [triage.summary];
  for (const container of triage.containers) {
    lines.push(`  ${container.container} (instance ${container.instanceId}): ${container.status}, ${container.message || 'no message'}${container.restartCount > 0 ? `, restarted ${container.restartCount}×` : ''}`);
    if (container.specLocation) lines.push(`    spec line ${container.specLocation.line}: ${container.specLocation.lineText}`);
    lines.push(`    ${container.hint}`);
    for (const event of container.platformEvents ?? []) lines.push(`    event: ${event}`);
    if (container.logsFromHistory) lines.push('    (its last lines, from the event table: the container itself has none to show)');
    if (container.logError !== undefined) lines.push(`    logs: ${container.logError}`);
    else if (container.logLines.length === 0) lines.push('    no log lines (the container never started)');
    else {
      lines.push(`    last ${container.logLines.length} log line${container.logLines.length === 1 ? '' : 's'}${container.previousLogs ? ' of the previous run (it restarted)' : ''}:`);
      for (const line of container.logLines) lines.push(`      ${line}`);
    }
  }
  return lines;
}

export interface Listings {
  readonly listed: PoolsAndFamilies;
  readonly warehouses: readonly string[] | undefined;
  readonly integrations: readonly string[] | undefined;
}

/** The user cancelled a question: the flow unwinds and reports that nothing was changed. */
export class Cancelled extends Error {}

export function cancelled(what: string): Cancelled {
  return new Cancelled(`Cancelled: ${what} was not chosen, nothing was deployed.`);
}

export async function settlePoolFit(
  deps: FlowDeps,
  spec: RunSpec,
  initial: RememberedChoices,
  listed: PoolsAndFamilies,
  interactive: boolean,
  picked: boolean,
  what: 'Deploy' | 'Job' = 'Deploy',
): Promise<{ ok: true; choices: RememberedChoices } | { ok: false; refusal: Refusal }> {
  let choices = initial;
  let justPicked = picked;
  for (;;) {
    const pool = listed.pools.find((candidate) => candidate.name === choices.pool);
    if (pool === undefined) return { ok: true, choices };
    const rendered = renderedFor(spec, choices);
    const fit = poolFit(rendered, pool, listed.families);
    if (fit.fits === 'unknown' && justPicked && interactive) {
      const answer = await deps.ui.confirmUncertainFit({ pool, fit });
      if (answer === undefined) throw new Cancelled(`Cancelled: whether the spec fits ${pool.name} is not known, so nothing was deployed.`);
      if (answer === 'deploy') return { ok: true, choices };
      choices = { ...choices, pool: (await askPool(deps, spec, choices, listed)).name };
      continue;
    }
    if (fit.fits !== 'no') return { ok: true, choices };
    const refusal = poolDoesNotFit(fit, fittingPoolNames(spec, choices, listed, pool.name));
    const next = await answerRefusal(deps, spec, refusal, choices, listed, interactive, what);
    if (next === undefined) return { ok: false, refusal };
    choices = { ...choices, pool: next };
    justPicked = true;
  }
}

/** The names of the listed pools (other than `except`) that the spec, rendered with `choices`, fits. */
export function fittingPoolNames(spec: RunSpec, choices: RememberedChoices, listed: PoolsAndFamilies, except: string | undefined): string[] {
  return poolsThatFit(renderedFor(spec, choices), listed.pools, listed.families, except === undefined ? {} : { except }).map((pool) => pool.name);
}

/**
 * Logs and shows a refusal (logged first: the notification may stay open). In an interactive deploy
 * a pool refusal is awaited: resolves to the pool to try next (one the refusal named, or one picked
 * again), or undefined when the refusal stands.
 */
export async function answerRefusal(deps: FlowDeps, spec: RunSpec, refusal: Refusal, choices: RememberedChoices, listed: PoolsAndFamilies, interactive: boolean, what: 'Deploy' | 'Job' = 'Deploy'): Promise<string | undefined> {
  const answer = tellRefusal(deps, spec, refusal, what);
  if (!interactive || refusal.kind !== 'poolDoesNotFit') return undefined;
  const chosen = await answer;
  if (chosen === undefined) return undefined;
  if (chosen !== 'pickAnotherPool') return chosen.pool;
  try {
    return (await askPool(deps, spec, choices, listed)).name;
  } catch (error) {
    if (error instanceof Cancelled) return undefined;
    throw error;
  }
}

export async function loadListings(deps: FlowDeps, connection: string, warehouses: boolean, integrations: boolean): Promise<{ ok: true; value: Listings } | { ok: false; message: string }> {
  const timeoutMs = deps.queryTimeoutMs;
  // Signing in may ask for a password or open a browser: done first, so the answer's time does not eat the statements' timeout.
  const session = await deps.sessions.get(connection);
  if (!session.ok) {
    return { ok: false, message: `Could not connect with ${connection} (${session.error.kind}): ${session.error.message} Nothing was deployed.` };
  }
  const [pools, warehouseList, integrationList] = await deps.ui.progress(`Reading the compute pools of ${connection}…`, false, () =>
    Promise.all([
      loadPoolsAndFamilies(deps.sessions, connection, { timeoutMs }),
      warehouses ? listWarehouses(deps.sessions, connection, timeoutMs) : Promise.resolve(undefined),
      integrations ? listIntegrations(deps.sessions, connection, timeoutMs) : Promise.resolve(undefined),
    ]),
  );
  if (!pools.ok) {
    return { ok: false, message: `The compute pools of ${connection} could not be listed (${pools.error.kind}): ${pools.error.message} Nothing was deployed.` };
  }
  for (const warning of pools.value.warnings) deps.log.warn(`Deploy: ${warning}`);
  if (warehouseList !== undefined && !warehouseList.ok) {
    deps.log.warn(`Deploy: SHOW WAREHOUSES failed (${oneLine(warehouseList.error.message)}); the query warehouse step is skipped and the remembered one is kept.`);
  }
  if (integrationList !== undefined && !integrationList.ok) {
    deps.log.warn(
      `Deploy: external access integrations cannot be listed here (${integrationList.error.code ? `${integrationList.error.code}: ` : ''}${oneLine(integrationList.error.message)}); the integrations step is skipped and the remembered ones are kept.`,
    );
  }
  return {
    ok: true,
    value: {
      listed: pools.value,
      warehouses: warehouseList?.ok ? warehouseList.value : undefined,
      integrations: integrationList?.ok ? integrationList.value : undefined,
    },
  };
}

/** The spec as the pool fit sees it: rendered with the values given so far (defaults fill the rest), parsed once. */
export function renderedFor(spec: RunSpec, choices: RememberedChoices): SpecDocument {
  return spec.parse(renderedSpec(spec.text, choices.templateValues));
}

export async function askPool(deps: FlowDeps, spec: RunSpec, choices: RememberedChoices, listed: PoolsAndFamilies): Promise<PoolInfo> {
  if (listed.pools.length === 0) {
    const created = choices.connection === undefined ? undefined : await deps.ui.offerCreatePool?.(choices.connection);
    if (created) return created;
    throw new Cancelled('The role of this connection sees no compute pool: create one (CREATE COMPUTE POOL) or use a role with USAGE on one. Nothing was deployed.');
  }
  const rendered = renderedFor(spec, choices);
  const options = listed.pools.map((pool) => ({ pool, fit: poolFit(rendered, pool, listed.families) }));
  const notes = listed.families.source === 'offline' ? ['Capacities come from the built-in instance family table.'] : [];
  const picked = await deps.ui.pickPool(options, choices.pool, notes, ...(choices.connection === undefined ? [] : [choices.connection]));
  if (picked === undefined) throw cancelled('a compute pool');
  return picked;
}

export async function askTemplateValues(deps: FlowDeps, spec: SpecInput, choices: RememberedChoices, askAll: boolean, only?: readonly string[]): Promise<RememberedChoices> {
  const values: Record<string, TemplateValue> = { ...(choices.templateValues ?? {}) };
  for (const variable of analyzeTemplate(spec.text).variables) {
    const missing = values[variable.name] === undefined && variable.defaultValue === undefined;
    const wanted = only ? only.includes(variable.name) : askAll || missing;
    if (!wanted) continue;
    const answer = await deps.ui.askTemplateValue(variable, values[variable.name]);
    if (answer === undefined) throw cancelled(`a value for {{ ${variable.name} }}`);
    if (answer === '' && variable.defaultValue !== undefined) delete values[variable.name];
    else values[variable.name] = answer;
  }
  return { ...choices, templateValues: values };
}

export function withoutKey<K extends keyof RememberedChoices>(choices: RememberedChoices, key: K): RememberedChoices {
  const copy: Partial<Record<keyof RememberedChoices, unknown>> = { ...choices };
  delete copy[key];
  return copy as RememberedChoices;
}

/** Qualifies the target with the connection's current database and schema when the choices leave them out. */
export async function qualified(deps: FlowDeps, connection: string, database: string | undefined, schema: string | undefined): Promise<{ ok: true; database: string; schema: string } | { ok: false; message: string }> {
  if (database !== undefined && schema !== undefined) return { ok: true, database, schema };
  const current = await currentDatabaseAndSchema(deps.sessions, connection, deps.queryTimeoutMs);
  if (!current.ok) return { ok: false, message: `The current database and schema of ${connection} could not be read (${current.error.kind}): ${current.error.message}` };
  const db = database ?? current.value.database;
  const sc = schema ?? current.value.schema;
  if (db === undefined || sc === undefined) {
    return { ok: false, message: `The connection ${connection} has no current ${db === undefined ? 'database' : 'schema'}: set 'database' and 'schema' in its connection settings so the service has a place to live.` };
  }
  return { ok: true, database: db, schema: sc };
}

/** Logs a refusal, then shows it (the log comes first: the notification may stay open). */
export function tellRefusal(deps: FlowDeps, spec: SpecInput, refusal: Refusal, what: 'Deploy' | 'Job'): Promise<RefusalAnswer> {
  deps.log.warn(`${what} refused (${refusal.kind}): ${refusal.message}`);
  return deps.ui.showRefusal(refusal, spec);
}
