/**
 * Whether a spec fits a compute pool: the GPUs of each container and the summed cpu/memory requests
 * of one service instance (stage-mount sidecars included) against the pool's instance family.
 *
 * Owns: the verdict (`yes` / `no` / `unknown`) with its reasons, the numbers behind it for the
 * compute pool QuickPick, turning SHOW COMPUTE POOLS / SHOW COMPUTE POOL INSTANCE FAMILIES rows into
 * pools and families, and the offline fallback to the language service's static family table.
 *
 * The verdict and its numbers are the language service's one fit (`fitSpecToFamily`) against the
 * pool's family (live capacity when the account answered, else the static table), and the problems
 * behind a `no` are worded by the resources rule for that family (`capacityDiagnostics`): the
 * editor's squiggles, this verdict and the emulator's CREATE SERVICE can never disagree. A
 * `# spcs: instance-family=` modeline in the spec is ignored here: the pool decides.
 *
 * The words of a fit (the QuickPick detail, the "does not fit" reasons, the refusal naming the pools
 * that fit) are all built here, from the numbers, the way a person says them: "needs 1 GPU, nodes
 * have none", GPUs left out when the spec needs none.
 *
 * Must not: import `vscode`. The only I/O is `loadPoolsAndFamilies` (two SHOW statements).
 */

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import { bytesPerGiB, capacityDiagnostics, exceedsNode, findInstanceFamily, fitSpecToFamily, formatNumber, nodeRange, parseSpecDocument, specLanguageId, type FitAmount, type FitUnknown, type InstanceFamily, type RuleDiagnostic, type SpecDocument, type SpecFit } from '../../../server/src/service';
import { poolRow } from '../listings/rows';
import { cellNumber } from '../snowflake/cells';
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
  /** Why the verdict is `no` ("needs 1 GPU, CPU_X64_S nodes have none") or `unknown` (empty for `yes`). */
  readonly reasons: readonly string[];
  /** The resources rule's diagnostics behind a `no`, with their place in the spec. */
  readonly problems: readonly FitProblem[];
  /** Worth knowing but not a verdict: limits that will be capped, the pool's state. */
  readonly notes: readonly string[];
  readonly gpus: { readonly needed: number; readonly available: number | undefined; readonly perContainer: readonly { readonly container: string; readonly gpus: number }[] };
  /** vCPUs requested by one instance (sidecars included) and a node's available vCPUs. */
  readonly cpu: { readonly requested: number; readonly available: number | undefined };
  /** Bytes requested by one instance (sidecars included) and a node's available memory. */
  readonly memory: { readonly requested: number; readonly available: number | undefined };
  /** One line for a QuickPick detail: "4 of 4 GPUs · 17 of 44 vCPU · 98.5 of 178 GiB", "needs 1 GPU, nodes have none · …". */
  readonly summary: string;
}

/** Judges `spec` (rendered, if it is a template; text or the document parsed once) against `pool`. */
export function poolFit(spec: string | SpecDocument, pool: PoolInfo, families?: FamilyTable, options: { readonly uri?: string } = {}): PoolFit {
  const doc = typeof spec === 'string' ? parseSpecDocument(TextDocument.create(options.uri ?? 'untitled:spec.spcs.yaml', specLanguageId, 1, spec)) : spec;
  const wanted = pool.instanceFamily.trim().toUpperCase();
  const listed = families?.families.find((family) => family.name.toUpperCase() === wanted);
  const family = listed ?? findInstanceFamily(wanted);
  const familySource = listed && families ? families.source : family ? 'offline' : 'unknown';
  // Without a family the spec is still measured: the picker's line shows its numbers.
  const { fit, diagnostics } = family ? capacityDiagnostics(doc, family) : { fit: fitSpecToFamily(doc, { name: wanted }), diagnostics: [] };
  const readable = doc.looksLikeSpec && doc.yaml !== undefined && doc.yaml.errors.length === 0;

  const problems: FitProblem[] = [];
  const notes: string[] = [];
  const unknown: string[] = [];
  if (!readable) {
    unknown.push("The spec could not be read (it is not valid YAML or has no 'spec.containers'), so its fit cannot be judged.");
  } else if (family === undefined) {
    unknown.push(`The instance family ${pool.instanceFamily} of ${pool.name} is not listed by SHOW COMPUTE POOL INSTANCE FAMILIES nor in the offline table, so its capacity is not known.`);
  } else {
    for (const diagnostic of doc.spec ? diagnostics : []) {
      if (diagnostic.code === 'spcs/limit-capped') notes.push(diagnostic.message);
      else problems.push({ message: diagnostic.message, ...rangeOf(doc, diagnostic.at) });
    }
  }
  for (const each of fit.unknowns) {
    // Capacities matter only once the spec is read and the family known (the sentences above say why not).
    if ((!readable || family === undefined) && (each.kind === 'gpusNotPublished' || each.kind === 'capacityNotPublished')) continue;
    unknown.push(unknownReason(each, family?.name ?? wanted, fit));
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
  const amounts: Amounts = { gpus: fit.amounts.gpus, cpu: fit.amounts.cpu, memory: fit.amounts.memory };
  const flagged = { gpus: fit.problems.some((problem) => problem.resource === 'gpus'), capacity: fit.problems.some((problem) => problem.resource !== 'gpus') };
  const reasons = fits === 'no' ? shortfalls(amounts, flagged, family?.name ?? pool.instanceFamily, problems) : fits === 'unknown' ? unknown : [];
  const perContainer = fit.gpuContainers.map((each) => {
    const container = fit.measurement.containers.find((candidate) => candidate.index === each.container);
    return { container: container?.name ?? `container ${each.container + 1}`, gpus: each.gpus };
  });
  return {
    pool: pool.name,
    family,
    familySource,
    fits,
    reasons,
    problems,
    notes,
    gpus: { needed: perContainer.reduce((total, container) => total + container.gpus, 0), available: family?.gpus, perContainer },
    cpu: { requested: fit.amounts.cpu.needed, available: fit.amounts.cpu.available },
    memory: { requested: fit.amounts.memory.needed, available: fit.amounts.memory.available },
    summary: summarize(amounts),
  };
}

/** Why a fit is not known, as a sentence. */
function unknownReason(unknown: FitUnknown, family: string, fit: SpecFit): string {
  switch (unknown.kind) {
    case 'gpusNotPublished':
      return `The spec needs ${unknown.needed} GPU${unknown.needed === 1 ? '' : 's'}, and the GPU count of ${family} is not published; check it with SHOW COMPUTE POOL INSTANCE FAMILIES.`;
    case 'capacityNotPublished':
      return `The cpu/memory capacity of ${family} is not published, so the summed requests cannot be checked.`;
    case 'templated': {
      const names = unknown.containers.map((index) => {
        const name = fit.measurement.containers.find((container) => container.index === index)?.name;
        return name === undefined ? `container ${index + 1}` : `'${name}'`;
      });
      return `The resources of ${names.join(', ')} use template variables; the fit is judged on the rendered spec.`;
    }
    case 'notSummable':
      return 'The spec uses Jinja statements ({% … %}), so the requests of its containers cannot be added up.';
  }
}

function rangeOf(doc: SpecDocument, at: RuleDiagnostic['at']): { range?: Range } {
  if (at === undefined) return {};
  if ('start' in at && 'end' in at) return { range: at };
  const range = nodeRange(doc, at);
  return range ? { range } : {};
}

// ---------------------------------------------------------------------------------------------------
// The words of a fit: every sentence about whether a spec fits a pool is built here.

type Amount = FitAmount;

interface Amounts {
  readonly gpus: Amount;
  readonly cpu: Amount;
  /** Bytes. */
  readonly memory: Amount;
}

const exceeds = exceedsNode;

const units: Readonly<Record<keyof Amounts, { readonly show: (value: number) => string; readonly unit: (value: number) => string }>> = {
  gpus: { show: (value) => String(value), unit: (value) => (value === 1 ? 'GPU' : 'GPUs') },
  cpu: { show: formatNumber, unit: () => 'vCPU' },
  memory: { show: (bytes) => formatNumber(bytes / bytesPerGiB), unit: () => 'GiB' },
};

/**
 * One resource as a person says it: "2 of 6 vCPU" when it fits, "needs 1 GPU, nodes have none" when
 * it does not, "2 vCPU (node capacity not published)" when the family does not say.
 */
function amountText(kind: keyof Amounts, amount: Amount, nodes = 'nodes'): string {
  const { show, unit } = units[kind];
  const needed = `${show(amount.needed)} ${unit(amount.needed)}`;
  if (amount.available === undefined) return `${needed} (node capacity not published)`;
  if (exceeds(amount)) return `needs ${needed}, ${nodes} have ${amount.available === 0 ? 'none' : `${show(amount.available)}`}`;
  return `${show(amount.needed)} of ${show(amount.available)} ${unit(Math.max(amount.needed, amount.available))}`;
}

/**
 * The QuickPick line: GPUs only when the spec needs some, then vCPU and memory; what the spec does
 * not request is said once ("no cpu or memory requests (nodes have 3 vCPU and 13 GiB)").
 */
function summarize(amounts: Amounts): string {
  const parts = amounts.gpus.needed > 0 ? [amountText('gpus', amounts.gpus)] : [];
  const unrequested: { readonly what: string; readonly has: string | undefined }[] = [];
  for (const [kind, what] of [['cpu', 'cpu'], ['memory', 'memory']] as const) {
    const amount = amounts[kind];
    if (amount.needed > 0) parts.push(amountText(kind, amount));
    else unrequested.push({ what, has: amount.available === undefined ? undefined : `${units[kind].show(amount.available)} ${units[kind].unit(amount.available)}` });
  }
  if (unrequested.length > 0) {
    const has = unrequested.map((each) => each.has).filter((each): each is string => each !== undefined);
    parts.push(`no ${unrequested.map((each) => each.what).join(' or ')} requests${has.length > 0 ? ` (nodes have ${has.join(' and ')})` : ''}`);
  }
  return parts.join(' · ');
}

/**
 * The reasons of a `no`: each resource the rule found too big for a node, in numbers ("needs 1 GPU,
 * CPU_X64_S nodes have none"). Should the numbers not show it (they always should), the rule's own
 * messages stand in, so a `no` is never without its reason.
 */
function shortfalls(amounts: Amounts, flagged: { readonly gpus: boolean; readonly capacity: boolean }, family: string, problems: readonly FitProblem[]): string[] {
  const nodes = `${family} nodes`;
  const reasons: string[] = [];
  if (flagged.gpus && exceeds(amounts.gpus)) reasons.push(amountText('gpus', amounts.gpus, nodes));
  if (flagged.capacity && exceeds(amounts.cpu)) reasons.push(amountText('cpu', amounts.cpu, nodes));
  if (flagged.capacity && exceeds(amounts.memory)) reasons.push(amountText('memory', amounts.memory, nodes));
  return reasons.length > 0 ? reasons : problems.map((problem) => problem.message);
}

/**
 * Why a deploy to `fit.pool` is refused, and where it can go instead: the account's pools that fit
 * (`fitting`, from the same listing the pool picker shows), or, when none does, what kind of pool
 * would.
 */
export function doesNotFitMessage(fit: PoolFit, fitting: readonly string[]): string {
  const family = fit.family?.name;
  const why = fit.reasons.length > 0 && fit.reasons.every((reason) => reason.startsWith('needs ')) ? `: it ${fit.reasons.join('; ')}.` : `${family ? ` (${family})` : ''}: ${fit.reasons.join(' ')}`;
  const head = `The spec does not fit compute pool ${fit.pool}${why}`;
  if (fitting.length === 1) return `${head} ${fitting[0]} fits.`;
  if (fitting.length > 1) return `${head} These pools fit: ${fitting.join(', ')}.`;
  const gpuShort = fit.gpus.needed > 0 && fit.gpus.available !== undefined && fit.gpus.needed > fit.gpus.available;
  return `${head} No compute pool this role can use fits it: create one of an instance family whose nodes have ${gpuShort ? 'enough GPUs' : 'enough room'} (SHOW COMPUTE POOL INSTANCE FAMILIES lists them), or lower the spec's requests.`;
}

/** The pools of `pools` (other than `except`) that the spec fits for sure, in listing order. */
export function poolsThatFit(spec: string | SpecDocument, pools: readonly PoolInfo[], families: FamilyTable | undefined, options: { readonly uri?: string; readonly except?: string } = {}): PoolInfo[] {
  // Parsed once, whatever the number of pools.
  const doc = typeof spec === 'string' ? parseSpecDocument(TextDocument.create(options.uri ?? 'untitled:spec.spcs.yaml', specLanguageId, 1, spec)) : spec;
  return pools.filter((pool) => pool.name !== options.except && poolFit(doc, pool, families).fits === 'yes');
}


/**
 * A QuickPick item for a pool: label = pool name, description = family and state, detail = the
 * verdict and numbers. Codicons are given as `$(name)` text, which QuickPick renders.
 */
export function poolPickItem(pool: PoolInfo, fit: PoolFit): { label: string; description: string; detail: string } {
  const icon = fit.fits === 'yes' ? '$(pass)' : fit.fits === 'no' ? '$(error)' : '$(question)';
  const verdict = fit.fits === 'yes' ? 'Fits' : fit.fits === 'no' ? 'Does not fit' : 'Fit unknown';
  // A `no` is in the numbers already ("needs 1 GPU, nodes have none"); an `unknown` says why.
  const why = fit.fits === 'unknown' ? ` — ${fit.reasons[0] ?? ''}` : '';
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
  return rows.map(poolRow).flatMap(({ name, state, instanceFamily, autoResume }) => (name === '' ? [] : [{ name, state, instanceFamily, ...(autoResume === undefined ? {} : { autoResume }) }]));
}

/** SHOW COMPUTE POOL INSTANCE FAMILIES rows → families (vcpu and memory_gib are the user-available amounts). */
export function familiesFromRows(rows: readonly Record<string, unknown>[]): InstanceFamily[] {
  return rows
    .filter((row) => typeof row['name'] === 'string')
    .map((row) => {
      const name = String(row['name']).toUpperCase();
      const vcpu = cellNumber(row['vcpu']);
      const memoryGiB = cellNumber(row['memory_gib']);
      const gpus = cellNumber(row['gpu_count']);
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
