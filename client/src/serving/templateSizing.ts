/**
 * How a template is sized for one node of a pool's instance family: the GPUs it asks for (within
 * the node's count; request and limit equal, as Snowflake requires), cpu and memory requests that
 * leave room for the stage-mount sidecars on the same node (0.5 GiB each) and for the system, a
 * memory limit within the node's capacity (so it is never silently capped), and the `/dev/shm`
 * memory volume of a GPU server.
 *
 * The shares: a model server or a job asks for three quarters of the node's memory (limit: all of
 * it that the sidecars leave) and two thirds of its vCPUs; an app asks for a small fixed amount. A
 * family whose capacity is not published gets small requests and no limit (the limit then is the
 * node's capacity), and says so.
 *
 * Owns: these numbers and the sentence that says them. Whether the result fits is `poolFit`'s to
 * say (the tests ask it); this module only chooses. Must not: import `vscode`.
 */

import type { InstanceFamily } from '../../../server/src/service';
import { gpuModelOf, type ServingTemplate } from './templateCatalog';

export interface Sizing {
  /** 0 for a CPU container. */
  readonly gpus: number;
  readonly cpuRequest: number;
  readonly cpuLimit?: number;
  readonly memoryRequestGiB: number;
  readonly memoryLimitGiB?: number;
  /** The `/dev/shm` memory volume of a GPU server, in GiB. */
  readonly shmGiB?: number;
  /** Whether the family's capacity is published (else the requests are a conservative guess). */
  readonly published: boolean;
  /** "1 × A10G GPU · 4 of 6 vCPU · 20 of 27 GiB (limit 26 GiB) · /dev/shm 3 GiB". */
  readonly summary: string;
  readonly notes: readonly string[];
}

export type SizingResult = { readonly ok: true; readonly sizing: Sizing } | { readonly ok: false; readonly message: string };

/** The memory each stage-mount sidecar requests by default (reference §1.5). */
export const sidecarMemoryGiB = 0.5;

function familyGpus(family: InstanceFamily): number | undefined {
  if (family.gpus !== undefined) return family.gpus;
  // A GPU family whose count is not published (GPU_L40S_*, …) has at least one.
  return family.gpuModel !== undefined || /^GPU_/i.test(family.name) ? undefined : 0;
}

function round(value: number, step: number): number {
  return Math.floor(value / step + 1e-9) * step;
}

/**
 * The sizing of `template` on a node of `family`, with `stageVolumes` stage volumes mounted and
 * `gpus` asked for (default: every GPU of the node for a model server or job; Text Embeddings
 * Inference uses one). Refused when the template needs GPUs the family does not have.
 */
export function sizeTemplate(template: ServingTemplate, family: InstanceFamily, options: { readonly gpus?: number; readonly stageVolumes: number }): SizingResult {
  const available = familyGpus(family);
  const notes: string[] = [];
  let gpus = 0;
  if (template.gpu !== 'none') {
    if (template.gpu === 'required' && available === 0) {
      return { ok: false, message: `${template.label} needs a GPU, and ${family.name} nodes have none: choose a pool of a GPU instance family (GPU_NV_S, GPU_NV_M, …).` };
    }
    const wanted = options.gpus ?? (template.id === 'tei' ? 1 : (available ?? 1));
    if (!Number.isInteger(wanted) || wanted < (template.gpu === 'required' ? 1 : 0)) {
      return { ok: false, message: `The GPU count must be a whole number${template.gpu === 'required' ? ' of at least 1' : ''}, not ${wanted}.` };
    }
    if (available !== undefined && wanted > available) {
      return { ok: false, message: `A ${family.name} node has ${available} GPU${available === 1 ? '' : 's'}, and a container cannot span nodes: ask for at most ${available}.` };
    }
    if (template.id === 'tei' && wanted > 1) {
      return { ok: false, message: 'Text Embeddings Inference uses one GPU per instance: ask for 1 GPU and run more instances to use more GPUs.' };
    }
    if (available === undefined && wanted > 0) notes.push(`The GPU count of ${family.name} is not published: the spec asks for ${wanted}; check SHOW COMPUTE POOL INSTANCE FAMILIES.`);
    gpus = wanted;
  }

  const sidecars = options.stageVolumes * sidecarMemoryGiB;
  const gpuText = gpus > 0 ? `${gpus} × ${gpuModelOf(family) ?? 'GPU'} GPU${gpus === 1 ? '' : 's'} · ` : '';
  const published = family.vcpu !== undefined && family.memoryGiB !== undefined;
  if (!published) {
    const small = template.profile === 'app' ? { cpu: 0.5, memory: 1 } : { cpu: 2, memory: 8 };
    notes.push(`The cpu and memory of a ${family.name} node are not published: the spec requests ${small.cpu} vCPU and ${small.memory} GiB and sets no memory limit (the limit is then the node's capacity). Raise them once SHOW COMPUTE POOL INSTANCE FAMILIES has told you the node's size.`);
    return {
      ok: true,
      sizing: { gpus, cpuRequest: small.cpu, memoryRequestGiB: small.memory, ...(gpus > 0 ? { shmGiB: 1 } : {}), published: false, summary: `${gpuText}${small.cpu} vCPU · ${small.memory} GiB requested (node capacity not published)`, notes },
    };
  }
  const vcpu = family.vcpu ?? 0;
  const memory = family.memoryGiB ?? 0;
  const room = memory - sidecars;
  if (room < 1) return { ok: false, message: `A ${family.name} node has ${memory} GiB, not enough for ${template.label} next to its stage-mount sidecars.` };

  let sizing: Omit<Sizing, 'summary' | 'notes' | 'published'>;
  if (template.profile === 'app') {
    const cpuRequest = Math.min(1, round(vcpu / 2, 0.5) || 0.5);
    const memoryRequestGiB = Math.max(0.5, Math.min(2, round(room / 2, 0.5)));
    const memoryLimitGiB = Math.max(memoryRequestGiB, Math.min(4, Math.floor(room)));
    sizing = { gpus, cpuRequest, cpuLimit: Math.min(2, vcpu), memoryRequestGiB, memoryLimitGiB };
  } else {
    const cpuRequest = Math.max(0.5, Math.floor((vcpu * 2) / 3) || round(vcpu / 2, 0.5));
    const memoryLimitGiB = Math.floor(room);
    const memoryRequestGiB = Math.max(1, Math.floor(room * 0.75));
    const shmGiB = gpus > 0 ? Math.min(32, Math.max(1, Math.floor(memoryLimitGiB * 0.15))) : undefined;
    sizing = { gpus, cpuRequest, memoryRequestGiB, memoryLimitGiB, ...(shmGiB === undefined ? {} : { shmGiB }) };
  }
  const summary = [
    `${gpuText}${formatAmount(sizing.cpuRequest)} of ${vcpu} vCPU`,
    `${formatAmount(sizing.memoryRequestGiB)} of ${memory} GiB${sizing.memoryLimitGiB === undefined ? '' : ` (limit ${formatAmount(sizing.memoryLimitGiB)} GiB)`}`,
    ...(sidecars > 0 ? [`${formatAmount(sidecars)} GiB for stage-mount sidecars`] : []),
    ...(sizing.shmGiB === undefined ? [] : [`/dev/shm ${sizing.shmGiB} GiB`]),
  ].join(' · ');
  return { ok: true, sizing: { ...sizing, published: true, summary, notes } };
}

export function formatAmount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
}
