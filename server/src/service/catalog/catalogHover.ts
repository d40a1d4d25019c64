/**
 * Hover facts from the live account: the target pool's node capacity and what is left of it for this
 * spec (on `resources`), an image's digest, size and push date (on `image`), and the pool named by
 * the modeline.
 *
 * Owns: only the wording of these facts; the numbers come from the catalog index and from
 * `measureResources`, the same measurement the capacity checks use. Must not: throw or do I/O.
 */

import type { SpecDocument } from '../specDocument';
import { bytesPerGiB, formatGiB, formatNumber } from '../quantities';
import { measureResources } from '../rules/containerResources';
import { describeFamily, shortDate } from './wording';
import type { AccountView } from './catalogState';
import { tagDocumentation } from './catalogCompletion';
import { hostMatches, parseImageReference } from './references';

/** The pool's capacity and what the spec leaves of one node, or undefined without a live family. */
/** A GPU count against the target pool's live instance family (undefined without a live target). */
export function poolGpuFact(count: number, view: AccountView | undefined): string | undefined {
  const pool = view?.pool;
  if (!view || !pool?.entry || !pool.family || !Number.isFinite(count)) {
    return undefined;
  }
  const family = pool.family;
  const where = `a node of compute pool \`${pool.entry.name}\` (${family.name}) ${view.index.asOf}`;
  if (family.gpus === 0) {
    return `${count} GPU${count === 1 ? '' : 's'}, but ${where} has none: the service could never be placed there.`;
  }
  return count <= family.gpus
    ? `${count} of the ${family.gpus} GPUs of ${where}.`
    : `${count} GPUs: more than the ${family.gpus} of ${where}, so the service could never be placed there.`;
}

export function poolCapacityFact(doc: SpecDocument, view: AccountView | undefined): string | undefined {
  const pool = view?.pool;
  if (!view || !pool?.entry || !pool.family) {
    return undefined;
  }
  const family = pool.family;
  const measurement = measureResources(doc);
  let cpu = measurement.sidecars.cpu;
  let memory = measurement.sidecars.memory;
  let gpus = 0;
  let unknown = 0;
  for (const container of measurement.containers) {
    if (!container.readable) {
      unknown++;
      continue;
    }
    cpu += container.cpuRequest ?? 0;
    memory += container.memoryRequest ?? 0;
    gpus += container.gpus ?? 0;
  }
  const left = [
    `${formatNumber(Math.max(0, family.vcpu - cpu))} vCPU`,
    formatGiB(Math.max(0, family.memoryGiB * bytesPerGiB - memory)),
  ];
  if (family.gpus > 0) {
    left.push(`${Math.max(0, family.gpus - gpus)} GPU${family.gpus - gpus === 1 ? '' : 's'}`);
  }
  const over: string[] = [];
  if (cpu > family.vcpu + 1e-9) over.push('cpu');
  if (memory > family.memoryGiB * bytesPerGiB + 1e-9) over.push('memory');
  if (gpus > family.gpus) over.push('GPUs');
  const lines = [
    `**Compute pool \`${pool.entry.name}\`** (${pool.entry.state}, ${pool.entry.minNodes}-${pool.entry.maxNodes} nodes), node ${describeFamily(family)}, ${view.index.asOf}.`,
    `Explicit requests of one instance: ${formatNumber(cpu)} vCPU, ${formatGiB(memory)}${gpus > 0 ? `, ${gpus} GPU${gpus === 1 ? '' : 's'}` : ''}${measurement.sidecars.memory > 0 ? ' (with stage-mount sidecars)' : ''}.`,
    over.length === 0 ? `Left on a node: ${left.join(', ')}.` : `Exceeds a node in ${over.join(', ')}: the service could never be placed.`,
  ];
  if (unknown > 0) {
    lines.push(`${unknown} container${unknown === 1 ? ' has' : 's have'} templated resources, not counted.`);
  }
  return lines.join('  \n');
}

/** Digest, size and push date of the image a reference names. */
export function imageFact(view: AccountView | undefined, text: string): string | undefined {
  const reference = parseImageReference(text);
  if (!view || !reference || !hostMatches(view.index, reference)) {
    return undefined;
  }
  const repository = view.index.repositories?.get(reference.repositoryKey);
  const image = repository?.images?.get(reference.image.toLowerCase());
  if (!repository || !image) {
    return undefined;
  }
  const heading = `**Image \`${repository.path}/${image.name}\`** (${view.index.asOf})`;
  if (reference.tag === undefined) {
    return `${heading}  \nNo tag given. Newest tags: ${image.tags.slice(0, 5).map((tag) => `\`${tag.tag}\` (${shortDate(tag.createdOn) ?? '?'})`).join(', ') || 'none'}.`;
  }
  const tag = image.tagsByName.get(reference.tag);
  if (!tag) {
    return undefined;
  }
  const newer = image.tags.filter((other) => other.createdAt > tag.createdAt && other.digest !== tag.digest).length;
  return `${heading}  \n${tagDocumentation(tag)}${newer > 0 ? `  \n${newer} newer tag${newer === 1 ? '' : 's'} in the repository (newest \`${image.tags[0]?.tag ?? ''}\`).` : ''}`;
}

/** Hover on the modeline's `pool=` value. */
export function poolModelineFact(view: AccountView | undefined): string | undefined {
  const pool = view?.pool;
  if (!view || !pool?.modeline) {
    return undefined;
  }
  if (!pool.entry) {
    return `No compute pool \`${pool.name}\` ${view.index.asOf}.`;
  }
  const family = pool.family ? describeFamily(pool.family) : pool.entry.instanceFamily;
  return `**Compute pool \`${pool.entry.name}\`**: ${family}; ${pool.entry.state}, ${pool.entry.minNodes}-${pool.entry.maxNodes} nodes (${view.index.asOf}). GPU counts and resource requests are checked against its nodes.`;
}
