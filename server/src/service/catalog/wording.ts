/**
 * The words the account checks share: a family as one line ("GPU_NV_M: 44 vCPU, 178 GiB, 4 ×
 * NVIDIA A10G"), the role, a short list of names, a push date.
 *
 * Pure.
 */

import type { CatalogInstanceFamily } from '../../lspExtension';
import { formatNumber } from '../quantities';
import type { AccountIndex } from './catalogIndex';

export function describeFamily(family: CatalogInstanceFamily): string {
  const parts = [`${formatNumber(family.vcpu)} vCPU`, `${formatNumber(family.memoryGiB)} GiB`];
  if (family.gpus > 0) {
    parts.push(`${family.gpus} × ${family.gpuModel ?? 'GPU'}`);
  }
  return `${family.name}: ${parts.join(', ')}`;
}

export function roleName(index: AccountIndex): string {
  return index.catalog.role ? `'${index.catalog.role}'` : 'the connection\'s role';
}

export function listSome(names: readonly string[]): string {
  if (names.length === 0) {
    return 'none';
  }
  const shown = names.slice(0, 5).map((name) => `'${name}'`);
  return names.length > 5 ? `${shown.join(', ')} and ${names.length - 5} more` : shown.join(', ');
}

export function shortDate(iso: string): string | undefined {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().slice(0, 16).replace('T', ' ');
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
