/**
 * SHOW COMPUTE POOL INSTANCE FAMILIES and the families the emulated account offers: those the
 * published table (the language service's) offers on the account's cloud, with published
 * capacities, each with the memory its cloud has. CREATE COMPUTE POOL accepts only these, and
 * CREATE SERVICE judges a spec against its pool's family as listed here (`poolFamily`).
 *
 * Must not: invent capacities the table does not publish.
 */

import { familyDescription, findInstanceFamily, instanceFamilies, type InstanceFamily } from '../../../../server/src/service';
import { poolState } from '../../account/lifecycle';
import type { ResultSet } from '../../contract';
import type { ShowFilter } from '../ast';
import { type StatementContext } from '../context';
import { applyFilter, Columns, numberCell, resultSet, type Cell } from '../result';

/** The cloud of the account's region (`AWS_US_WEST_2` → AWS), which decides the families it offers. */
export function accountCloud(region: string): 'AWS' | 'Azure' | 'GCP' | undefined {
  const prefix = region.split('_')[0]?.toUpperCase();
  return prefix === 'AWS' ? 'AWS' : prefix === 'AZURE' ? 'Azure' : prefix === 'GCP' ? 'GCP' : undefined;
}

/**
 * The families the emulated account lists and accepts: those the published table offers on the
 * account's cloud, with published capacities (the newer-generation names have none, and the emulator
 * invents no capacities).
 */
export function accountFamilies(ctx: StatementContext): InstanceFamily[] {
  const cloud = accountCloud(ctx.store.state.region);
  return instanceFamilies.filter(
    (family) => family.vcpu !== undefined && family.memoryGiB !== undefined && family.gpus !== undefined && (cloud === undefined || family.clouds.includes(cloud)),
  );
}

/** `family` as an account on `cloud` offers it: where memory differs by cloud, the cloud's value. */
function onCloud(family: InstanceFamily, cloud: 'AWS' | 'Azure' | 'GCP' | undefined): InstanceFamily {
  const memoryGiB = (cloud !== undefined ? family.memoryGiBByCloud?.[cloud] : undefined) ?? family.memoryGiB;
  return memoryGiB === family.memoryGiB ? family : { ...family, memoryGiB };
}

/**
 * The family a pool of this account runs on, with the capacity the account lists for it (SHOW
 * COMPUTE POOL INSTANCE FAMILIES) and CREATE SERVICE judges a spec against; a family the account does
 * not offer (a pool from an older saved state) is the published table's.
 */
export function poolFamily(ctx: StatementContext, name: string): InstanceFamily | undefined {
  const found = findInstanceFamily(name);
  if (!found) return undefined;
  return accountFamilies(ctx).includes(found) ? onCloud(found, accountCloud(ctx.store.state.region)) : found;
}

/** Published storage is in GB (10^9 bytes); SHOW reports GiB: 100 GB → 93.13, as the REST API example shows. */
function storageGiB(gigabytes: number | undefined): Cell {
  return gigabytes === undefined ? null : (Math.round((gigabytes * 1e9 * 100) / 2 ** 30) / 100).toFixed(2);
}

export function showInstanceFamilies(ctx: StatementContext, filter: ShowFilter): ResultSet {
  const columns = [
    Columns.text('name'),
    Columns.text('description'),
    Columns.number('vcpu'),
    Columns.number('memory_gib'),
    Columns.real('storage_gib'),
    Columns.text('gpu'),
    Columns.number('gpu_count'),
    Columns.number('gpu_memory_gib'),
    Columns.number('current_node_usage'),
    Columns.text('message'),
  ];
  const cloud = accountCloud(ctx.store.state.region);
  const usage = new Map<string, number>();
  for (const pool of Object.values(ctx.store.state.computePools)) {
    const state = poolState(ctx.store, pool, ctx.now);
    usage.set(pool.instanceFamily, (usage.get(pool.instanceFamily) ?? 0) + state.activeNodes + state.idleNodes);
  }
  const rows = applyFilter(accountFamilies(ctx).map((family) => onCloud(family, cloud)), (family) => family.name, filter).map((family): Cell[] => {
    const gpus = family.gpus ?? 0;
    // The docs: gpu is "Name of the GPU if applicable, else an empty string", gpu_count and
    // gpu_memory_gib are 0 when not applicable. GPU names as the published table writes them.
    const model = family.gpuModel?.replace(/\s*\(.*\)$/, '');
    return [
      family.name,
      family.description ?? familyDescription(family),
      numberCell(family.vcpu),
      numberCell(family.memoryGiB),
      storageGiB(family.storageGB),
      gpus > 0 && model ? `NVIDIA ${model}` : '',
      numberCell(gpus),
      numberCell(gpus > 0 ? (family.gpuMemoryGB ?? 0) : 0),
      numberCell(usage.get(family.name) ?? 0),
      // CHOSEN: families without a published node limit are "on request" in the table.
      family.maxNodes === undefined ? 'Available on request: contact your account representative for a node limit.' : '',
    ];
  });
  return resultSet(columns, rows);
}
