/**
 * Whether a spec fits a compute pool: the GPUs of each container and the summed cpu/memory requests
 * of one service instance (stage-mount sidecars included) against the pool's instance family.
 *
 * Owns: the verdict (`yes` / `no` / `unknown`) with its reasons, the numbers behind it for the
 * compute pool QuickPick, turning SHOW COMPUTE POOLS / SHOW COMPUTE POOL INSTANCE FAMILIES rows into
 * pools and families, and the offline fallback to the language service's static family table.
 *
 * The numbers come from the language service's resources rule (`measureResources`) and the "does not
 * fit" reasons are that rule's own diagnostics, run against the pool's family (live capacity when
 * the account answered, else the static table): the editor's squiggles and this verdict can never
 * disagree. A `# spcs: instance-family=` modeline in the spec is ignored here: the pool decides.
 *
 * Must not: import `vscode`. The only I/O is `loadPoolsAndFamilies` (two SHOW statements).
 */

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import { findInstanceFamily, type InstanceFamily } from '../../../server/src/service/instanceFamilies';
import { bytesPerGiB, formatNumber } from '../../../server/src/service/quantities';
import { measureResources, resourcesRule } from '../../../server/src/service/rules/resources';
import type { RuleContext, RuleDiagnostic } from '../../../server/src/service/rules/ruleApi';
import { nodeRange, parseSpecDocument, specLanguageId, type SpecDocument } from '../../../server/src/service/specDocument';
import type { SnowflakeSessions } from '../snowflake/session';
import { ok, type Result } from '../snowflake/result';
import * as sql from '../snowflake/sql';

/** A compute pool as SHOW COMPUTE POOLS lists it (the columns the deploy needs). */
export interface PoolInfo {
  readonly name: string;
  /** IDLE, ACTIVE, SUSPENDED, STARTING, STOPPING, RESIZING (reference §3.4). */
  readonly state: string;
  readonly instanceFamily: string;
  readonly autoResume?: boolean;
}

/** Instance families with the source of their numbers. */
export interface FamilyTable {
  /** `live`: SHOW COMPUTE POOL INSTANCE FAMILIES of the account; `offline`: the static table. */
  readonly source: 'live' | 'offline';
  readonly families: readonly InstanceFamily[];
}

export type FitVerdict = 'yes' | 'no' | 'unknown';

export interface FitProblem {
  readonly message: string;
  /** Where in the spec (the request or GPU count at fault), when known. */
  readonly range?: Range;
}

export interface PoolFit {
  readonly pool: string;
  readonly family: InstanceFamily | undefined;
  /** Where the family's numbers came from; `unknown` when the family was found nowhere. */
  readonly familySource: 'live' | 'offline' | 'unknown';
  readonly fits: FitVerdict;
  /** Why the verdict is `no` or `unknown` (empty for `yes`). */
  readonly reasons: readonly string[];
  /** The `no` reasons with their place in the spec. */
  readonly problems: readonly FitProblem[];
  /** Worth knowing but not a verdict: limits that will be capped, the pool's state. */
  readonly notes: readonly string[];
  readonly gpus: { readonly needed: number; readonly available: number | undefined; readonly perContainer: readonly { readonly container: string; readonly gpus: number }[] };
  /** vCPUs requested by one instance (sidecars included) and a node's available vCPUs. */
  readonly cpu: { readonly requested: number; readonly available: number | undefined };
  /** Bytes requested by one instance (sidecars included) and a node's available memory. */
  readonly memory: { readonly requested: number; readonly available: number | undefined };
  /** One line for a QuickPick detail: "4 of 4 GPUs · 17 of 44 vCPU · 98.5 of 178 GiB". */
  readonly summary: string;
}

const noFitCodes: ReadonlySet<string> = new Set(['spcs/gpu-exceeds-family', 'spcs/capacity-exceeded']);

/** Judges `specText` (rendered, if it is a template) against `pool`. */
export function poolFit(specText: string, pool: PoolInfo, families?: FamilyTable, options: { readonly uri?: string } = {}): PoolFit {
  const doc = parseSpecDocument(TextDocument.create(options.uri ?? 'untitled:spec.spcs.yaml', specLanguageId, 1, specText));
  const wanted = pool.instanceFamily.trim().toUpperCase();
  const listed = families?.families.find((family) => family.name.toUpperCase() === wanted);
  const family = listed ?? findInstanceFamily(wanted);
  const familySource = listed && families ? families.source : family ? 'offline' : 'unknown';

  const measured = measureResources(doc);
  const perContainer = measured.containers
    .filter((container) => (container.gpus ?? 0) > 0)
    .map((container) => ({ container: container.name ?? `container ${container.index + 1}`, gpus: container.gpus ?? 0 }));
  const gpusNeeded = perContainer.reduce((total, container) => total + container.gpus, 0);
  const cpuRequested = measured.containers.reduce((total, container) => total + (container.cpuRequest ?? 0), measured.sidecars.cpu);
  const memoryRequested = measured.containers.reduce((total, container) => total + (container.memoryRequest ?? 0), measured.sidecars.memory);
  const cpuAvailable = family?.vcpu;
  const memoryAvailable = family?.memoryGiB === undefined ? undefined : family.memoryGiB * bytesPerGiB;

  const problems: FitProblem[] = [];
  const notes: string[] = [];
  const unknown: string[] = [];
  if (!doc.looksLikeSpec || doc.yaml === undefined || doc.yaml.errors.length > 0) {
    unknown.push("The spec could not be read (it is not valid YAML or has no 'spec.containers'), so its fit cannot be judged.");
  } else if (family === undefined) {
    unknown.push(`The instance family ${pool.instanceFamily} of ${pool.name} is not listed by SHOW COMPUTE POOL INSTANCE FAMILIES nor in the offline table, so its capacity is not known.`);
  } else {
    for (const diagnostic of ruleDiagnostics(doc, family)) {
      if (noFitCodes.has(diagnostic.code)) {
        problems.push({ message: diagnostic.message, ...rangeOf(doc, diagnostic.at) });
      } else if (diagnostic.code === 'spcs/limit-capped') {
        notes.push(diagnostic.message);
      }
    }
    if (gpusNeeded > 0 && family.gpus === undefined) {
      unknown.push(`The spec needs ${gpusNeeded} GPU${gpusNeeded === 1 ? '' : 's'}, and the GPU count of ${family.name} is not published; check it with SHOW COMPUTE POOL INSTANCE FAMILIES.`);
    }
    if ((cpuRequested > 0 && family.vcpu === undefined) || (memoryRequested > 0 && family.memoryGiB === undefined)) {
      unknown.push(`The cpu/memory capacity of ${family.name} is not published, so the summed requests cannot be checked.`);
    }
  }
  const templated = measured.containers.filter((container) => !container.readable);
  if (templated.length > 0) {
    unknown.push(`The resources of ${templated.map((container) => (container.name === undefined ? `container ${container.index + 1}` : `'${container.name}'`)).join(', ')} use template variables; the fit is judged on the rendered spec.`);
  }
  if (!measured.summable) {
    unknown.push('The spec uses Jinja statements ({% … %}), so the requests of its containers cannot be added up.');
  }
  const state = pool.state.toUpperCase();
  if (state === 'SUSPENDED' || state === 'STOPPING') {
    notes.push(
      pool.autoResume === false
        ? `${pool.name} is ${state.toLowerCase()} and does not resume automatically: resume it first (ALTER COMPUTE POOL ${sql.objectName(pool.name)} RESUME).`
        : `${pool.name} is ${state.toLowerCase()}; deploying resumes it, and its nodes take a few minutes to start.`,
    );
  } else if (state === 'STARTING' || state === 'RESIZING') {
    notes.push(`${pool.name} is ${state.toLowerCase()}; the service starts when its nodes are up.`);
  }

  const fits: FitVerdict = problems.length > 0 ? 'no' : unknown.length > 0 ? 'unknown' : 'yes';
  const reasons = fits === 'no' ? problems.map((problem) => problem.message) : fits === 'unknown' ? unknown : [];
  return {
    pool: pool.name,
    family,
    familySource,
    fits,
    reasons,
    problems,
    notes,
    gpus: { needed: gpusNeeded, available: family?.gpus, perContainer },
    cpu: { requested: cpuRequested, available: cpuAvailable },
    memory: { requested: memoryRequested, available: memoryAvailable },
    summary: summarize(gpusNeeded, family?.gpus, cpuRequested, cpuAvailable, memoryRequested, memoryAvailable),
  };
}

/** The resources rule's diagnostics against `family` (the modeline and settings play no part). */
function ruleDiagnostics(doc: SpecDocument, family: InstanceFamily): RuleDiagnostic[] {
  const collected: RuleDiagnostic[] = [];
  const ctx: RuleContext = { doc, settings: {}, family, report: (diagnostic) => collected.push(diagnostic) };
  if (doc.spec) {
    resourcesRule.check(ctx);
  }
  return collected;
}

function rangeOf(doc: SpecDocument, at: RuleDiagnostic['at']): { range?: Range } {
  if (at === undefined) return {};
  if ('start' in at && 'end' in at) return { range: at };
  const range = nodeRange(doc, at);
  return range ? { range } : {};
}

function summarize(gpus: number, gpusAvailable: number | undefined, cpu: number, cpuAvailable: number | undefined, memory: number, memoryAvailable: number | undefined): string {
  const of = (value: string, available: string | undefined): string => (available === undefined ? `${value} of ?` : `${value} of ${available}`);
  const parts: string[] = [];
  if (gpus > 0 || (gpusAvailable ?? 0) > 0) {
    parts.push(`${of(String(gpus), gpusAvailable === undefined ? undefined : String(gpusAvailable))} GPUs`);
  }
  parts.push(`${of(formatNumber(cpu), cpuAvailable === undefined ? undefined : formatNumber(cpuAvailable))} vCPU`);
  parts.push(`${of(formatNumber(memory / bytesPerGiB), memoryAvailable === undefined ? undefined : formatNumber(memoryAvailable / bytesPerGiB))} GiB requested`);
  return parts.join(' · ');
}

/**
 * A QuickPick item for a pool: label = pool name, description = family and state, detail = the
 * verdict and numbers. Codicons are given as `$(name)` text, which QuickPick renders.
 */
export function poolPickItem(pool: PoolInfo, fit: PoolFit): { label: string; description: string; detail: string } {
  const icon = fit.fits === 'yes' ? '$(pass)' : fit.fits === 'no' ? '$(error)' : '$(question)';
  const verdict = fit.fits === 'yes' ? 'Fits' : fit.fits === 'no' ? 'Does not fit' : 'Fit unknown';
  const why = fit.fits === 'yes' ? '' : ` — ${fit.reasons[0] ?? ''}`;
  return {
    label: pool.name,
    description: `${pool.instanceFamily} · ${pool.state}`,
    detail: `${icon} ${verdict}: ${fit.summary}${why}`,
  };
}

// ---------------------------------------------------------------------------------------------------
// Rows from the account.

/** SHOW COMPUTE POOLS rows → pools (columns read by name). */
export function poolsFromRows(rows: readonly Record<string, unknown>[]): PoolInfo[] {
  return rows
    .filter((row) => typeof row['name'] === 'string')
    .map((row) => {
      const autoResume = booleanOf(row['auto_resume']);
      return {
        name: String(row['name']),
        state: typeof row['state'] === 'string' ? row['state'] : 'UNKNOWN',
        instanceFamily: typeof row['instance_family'] === 'string' ? row['instance_family'] : '',
        ...(autoResume === undefined ? {} : { autoResume }),
      };
    });
}

/** SHOW COMPUTE POOL INSTANCE FAMILIES rows → families (vcpu and memory_gib are the user-available amounts). */
export function familiesFromRows(rows: readonly Record<string, unknown>[]): InstanceFamily[] {
  return rows
    .filter((row) => typeof row['name'] === 'string')
    .map((row) => {
      const name = String(row['name']).toUpperCase();
      const vcpu = numberOf(row['vcpu']);
      const memoryGiB = numberOf(row['memory_gib']);
      const gpus = numberOf(row['gpu_count']);
      const gpu = typeof row['gpu'] === 'string' && row['gpu'] !== '' ? row['gpu'] : undefined;
      return {
        name,
        ...(vcpu === undefined ? {} : { vcpu }),
        ...(memoryGiB === undefined ? {} : { memoryGiB }),
        gpus: gpus ?? (gpu === undefined ? 0 : undefined),
        ...(gpu === undefined ? {} : { gpuModel: gpu }),
        clouds: [],
        generation: findInstanceFamily(name)?.generation ?? 'current',
      };
    });
}

export interface PoolsAndFamilies {
  readonly pools: readonly PoolInfo[];
  readonly families: FamilyTable;
  /** E.g. "SHOW COMPUTE POOL INSTANCE FAMILIES failed; using the offline table". */
  readonly warnings: readonly string[];
}

type SessionsExecute = Pick<SnowflakeSessions, 'execute'>;

/**
 * Lists the pools the role can see and the account's instance families. When the families cannot be
 * listed, the static table is used and a warning says so; when the pools cannot be listed, the error
 * is returned (there is nothing to pick from).
 */
export async function loadPoolsAndFamilies(sessions: SessionsExecute, connection: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Result<PoolsAndFamilies>> {
  const [pools, families] = await Promise.all([sessions.execute(connection, sql.showComputePools(), options), sessions.execute(connection, sql.showInstanceFamilies(), options)]);
  if (!pools.ok) return pools;
  const warnings: string[] = [];
  let table: FamilyTable = { source: 'offline', families: [] };
  if (families.ok && families.value.rows.length > 0) {
    table = { source: 'live', families: familiesFromRows(families.value.rows) };
  } else {
    warnings.push(
      `SHOW COMPUTE POOL INSTANCE FAMILIES ${families.ok ? 'returned nothing' : `failed (${families.error.message})`}; pool capacities come from the built-in table and may differ from your account's.`,
    );
  }
  return ok({ pools: poolsFromRows(pools.value.rows), families: table, warnings });
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

function booleanOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return undefined;
}

