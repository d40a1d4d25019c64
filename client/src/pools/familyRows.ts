/**
 * The rows of the instance family picker of "Create Compute Pool…": each family the account offers
 * (SHOW COMPUTE POOL INSTANCE FAMILIES, else the built-in table, saying so) with what one node has
 * (vCPU, memory, GPUs, GPU model and memory) and, for each spec the user has open, whether it would
 * fit a node of that family.
 *
 * Owns: reading the listing into rows and the words of a row. The fit itself is `poolFit` (the one
 * answer to "does this spec fit this family"), asked about a pool of that family that does not exist
 * yet; this module only phrases its verdicts. Must not: import `vscode`, or judge a fit itself.
 */

import { instanceFamilies as builtInFamilies, type InstanceFamily } from '../../../server/src/service';
import { familiesFromRows, poolFit, type FamilyTable, type FitVerdict } from '../deploy/poolFit';
import { ok, type Result } from '../snowflake/result';
import type { SnowflakeSessions } from '../snowflake/session';
import * as sql from '../snowflake/sql';

/** A spec open in the editor, rendered (template variables filled) as the deploy would send it. */
export interface OpenSpec {
  readonly uri: string;
  readonly text: string;
}

export interface SpecFit {
  readonly uri: string;
  /** The file name, for the row. */
  readonly label: string;
  readonly fits: FitVerdict;
  /** poolFit's numbers: "1 of 1 GPU · 4 of 6 vCPU · 20 of 27 GiB". */
  readonly summary: string;
  /** Why not (or why unknown); empty for a fit. */
  readonly reasons: readonly string[];
}

/** One family as the account lists it, with the columns the picker shows. */
export interface ListedFamily {
  readonly family: InstanceFamily;
  /** GPU memory per GPU in GiB (live `gpu_memory_gib`) or GB (built-in table, as published). */
  readonly gpuMemory?: { readonly amount: number; readonly unit: 'GiB' | 'GB' };
  readonly description?: string;
}

export interface FamilyListing {
  readonly source: 'live' | 'offline';
  readonly families: readonly ListedFamily[];
  readonly warnings: readonly string[];
}

export interface FamilyRow extends ListedFamily {
  readonly name: string;
  /** QuickPick label: the family name. */
  readonly label: string;
  /** "6 vCPU · 27 GiB · 1 × NVIDIA A10G (24 GiB)". */
  readonly capacity: string;
  /** The fits of the open specs, or the family's description when no spec is open. */
  readonly detail: string;
  readonly fits: readonly SpecFit[];
  readonly hasGpus: boolean;
}

type Execute = Pick<SnowflakeSessions, 'execute'>;

function numberOf(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
}

/** SHOW COMPUTE POOL INSTANCE FAMILIES rows → families (poolFit's reading) with the picker's extra columns. */
export function listedFamiliesFromRows(rows: readonly Record<string, unknown>[]): ListedFamily[] {
  const families = familiesFromRows(rows);
  return families.map((family) => {
    const row = rows.find((candidate) => String(candidate['name']).toUpperCase() === family.name) ?? {};
    const gpuMemory = numberOf(row['gpu_memory_gib']);
    const description = typeof row['description'] === 'string' && row['description'] !== '' ? row['description'] : undefined;
    return {
      family,
      ...(gpuMemory !== undefined && gpuMemory > 0 ? { gpuMemory: { amount: gpuMemory, unit: 'GiB' as const } } : {}),
      ...(description === undefined ? {} : { description }),
    };
  });
}

/** The built-in table, for when the account does not answer (capacities as published, GPU memory in GB). */
export function builtInListing(warning: string): FamilyListing {
  return {
    source: 'offline',
    warnings: [warning],
    families: builtInFamilies.map((family) => ({
      family,
      ...(family.gpuMemoryGB === undefined ? {} : { gpuMemory: { amount: family.gpuMemoryGB, unit: 'GB' as const } }),
      ...(family.description === undefined ? {} : { description: family.description }),
    })),
  };
}

/** The account's families; the built-in table (with a warning) when SHOW COMPUTE POOL INSTANCE FAMILIES fails or is empty. */
export async function loadFamilyListing(sessions: Execute, connection: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<Result<FamilyListing>> {
  const result = await sessions.execute(connection, sql.showInstanceFamilies(), options);
  if (result.ok && result.value.rows.length > 0) {
    return ok({ source: 'live', families: listedFamiliesFromRows(result.value.rows), warnings: [] });
  }
  if (!result.ok && (result.error.kind === 'auth' || result.error.kind === 'network' || result.error.kind === 'config')) return result;
  const why = result.ok ? 'returned nothing' : `failed (${result.error.message})`;
  return ok(builtInListing(`SHOW COMPUTE POOL INSTANCE FAMILIES ${why}; the families and capacities come from the built-in table, and your account may not offer every one of them.`));
}

function capacityText(listed: ListedFamily): string {
  const { family } = listed;
  const parts: string[] = [];
  parts.push(family.vcpu === undefined ? 'vCPU not published' : `${family.vcpu} vCPU`);
  parts.push(family.memoryGiB === undefined ? 'memory not published' : `${family.memoryGiB} GiB`);
  if (family.gpus === undefined) {
    parts.push(family.gpuModel === undefined ? 'GPUs not published' : `${family.gpuModel} GPUs (count not published)`);
  } else if (family.gpus > 0) {
    const memory = listed.gpuMemory === undefined ? '' : ` (${listed.gpuMemory.amount} ${listed.gpuMemory.unit})`;
    // The built-in table writes the memory into the model ("A10G (24 GB)"); say it once.
    const model = (family.gpuModel ?? 'GPU').replace(/\s*\([^)]*\)\s*$/, '');
    parts.push(`${family.gpus} × ${model}${memory}`);
  } else {
    parts.push('no GPU');
  }
  return parts.join(' · ');
}

function fileLabel(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || uri;
}

function fitText(fit: SpecFit): string {
  const icon = fit.fits === 'yes' ? '$(pass)' : fit.fits === 'no' ? '$(error)' : '$(question)';
  const verdict = fit.fits === 'yes' ? 'fits' : fit.fits === 'no' ? 'does not fit' : 'fit unknown';
  return `${icon} ${fit.label} ${verdict}: ${fit.fits === 'unknown' ? (fit.reasons[0] ?? fit.summary) : fit.summary}`;
}

export interface FamilyRowOptions {
  /** The open specs whose fit each row shows. */
  readonly specs?: readonly OpenSpec[];
  /** The name the new pool will have (poolFit's messages name it); default "the new pool". */
  readonly poolName?: string;
  /** GPU families first (a GPU pool for serving), else the listing's order. */
  readonly prefer?: 'gpu';
}

/** The picker's rows: capacity, and each open spec's fit on a node of the family (through `poolFit`). */
export function familyRows(listing: FamilyListing, options: FamilyRowOptions = {}): FamilyRow[] {
  const table: FamilyTable = { source: listing.source, families: listing.families.map((listed) => listed.family) };
  const rows = listing.families.map((listed): FamilyRow => {
    const pool = { name: options.poolName ?? 'the new pool', state: 'NEW', instanceFamily: listed.family.name };
    const fits = (options.specs ?? []).map((spec): SpecFit => {
      const fit = poolFit(spec.text, pool, table, { uri: spec.uri });
      return { uri: spec.uri, label: fileLabel(spec.uri), fits: fit.fits, summary: fit.summary, reasons: fit.reasons };
    });
    const hasGpus = (listed.family.gpus ?? (listed.family.gpuModel === undefined ? 0 : 1)) > 0;
    return {
      ...listed,
      name: listed.family.name,
      label: listed.family.name,
      capacity: capacityText(listed),
      detail: fits.length > 0 ? fits.map(fitText).join(' · ') : (listed.description ?? listed.family.note ?? ''),
      fits,
      hasGpus,
    };
  });
  if (options.prefer !== 'gpu') return rows;
  return [...rows.filter((row) => row.hasGpus), ...rows.filter((row) => !row.hasGpus)];
}
