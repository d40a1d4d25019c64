/**
 * Whether a spec fits one node of an instance family: the GPUs of each container, and the cpu and
 * memory requests of each container and of one whole service instance (stage-mount sidecars
 * included), against what a node of the family has.
 *
 * This is the one answer to that question. The offline capacity rule (`rules/resources.ts`), the
 * account rule (`catalog/catalogDiagnostics.ts`), the deploy pool picker (the client's
 * `deploy/poolFit.ts`) and, through validation with the pool's family, the emulator's CREATE SERVICE
 * check all call `fitSpecToFamily`; each says the verdict in its own words. A test holds the three
 * verdicts together for every family of the table (`test/unit/fitAgreement.test.ts`).
 *
 * The rules, as the reference gives them (§3, §6.1): all containers of an instance run on one node;
 * a container cannot span nodes; only explicit requests count; a limit above the node's capacity is
 * capped silently (a note, never a problem); a capacity that is not published is not checked (an
 * `unknown`, never a problem); counts are not summed when Jinja statements make sums meaningless.
 *
 * Pure: numbers in, verdict out. Must not: word anything for people (the callers do).
 */

import { measureResources, type ResourceMeasurement } from './rules/containerResources';
import { bytesPerGiB } from './quantities';
import type { SpecDocument } from './specDocument';

/** What a node of a family has, as far as it is published (the static table and SHOW … INSTANCE FAMILIES both fit). */
export interface FamilyCapacity {
  readonly name: string;
  /** vCPUs available to containers; undefined when not published. */
  readonly vcpu?: number | undefined;
  /** GiB available to containers; undefined when not published. */
  readonly memoryGiB?: number | undefined;
  /** GPUs per node: 0 for CPU families, undefined when not published. */
  readonly gpus?: number | undefined;
}

export type FitResource = 'gpus' | 'cpu' | 'memory';

/** A reason the spec can never be placed on a node of the family. `container` is the container's index in the spec. */
export type FitProblem =
  /** The container asks for GPUs and the family's nodes have none. */
  | { readonly kind: 'noGpus'; readonly resource: 'gpus'; readonly container: number; readonly needed: number; readonly available: 0 }
  /** The container alone asks for more GPUs than a node has. */
  | { readonly kind: 'containerGpus'; readonly resource: 'gpus'; readonly container: number; readonly needed: number; readonly available: number }
  /** With this container, the instance's GPUs add up to more than a node has (the GPU checks stop here). */
  | { readonly kind: 'summedGpus'; readonly resource: 'gpus'; readonly container: number; readonly needed: number; readonly available: number }
  /** The container alone requests more cpu or memory than a node has. */
  | { readonly kind: 'containerRequest'; readonly resource: 'cpu' | 'memory'; readonly container: number; readonly needed: number; readonly available: number }
  /** The requests of the instance (sidecars included) add up to more than a node has. */
  | {
      readonly kind: 'summedRequests';
      readonly resource: 'cpu' | 'memory';
      readonly needed: number;
      readonly available: number;
      /** Each container that requests some, in spec order. */
      readonly parts: readonly { readonly container: number; readonly amount: number }[];
      /** What the stage-mount sidecars request. */
      readonly sidecars: number;
    };

/** A limit above the node's capacity: Snowflake caps it to the capacity, silently. */
export interface CappedLimit {
  readonly resource: 'cpu' | 'memory';
  readonly container: number;
  readonly limit: number;
  readonly available: number;
}

/** Why the verdict cannot be given for sure. */
export type FitUnknown =
  | { readonly kind: 'gpusNotPublished'; readonly needed: number }
  | { readonly kind: 'capacityNotPublished' }
  /** These containers (indices) have templated `resources`: judge the rendered spec. */
  | { readonly kind: 'templated'; readonly containers: readonly number[] }
  | { readonly kind: 'notSummable' };

/** One resource: what one instance needs on its node, and what a node has (undefined: not published). */
export interface FitAmount {
  readonly needed: number;
  readonly available: number | undefined;
}

export interface SpecFit {
  readonly family: string;
  /** `no` when there is a problem, else `unknown` when something could not be judged, else `yes`. */
  readonly fits: 'yes' | 'no' | 'unknown';
  /** In the order a reader meets them: GPUs (stopping at the first sum over), then cpu, then memory. */
  readonly problems: readonly FitProblem[];
  readonly capped: readonly CappedLimit[];
  readonly unknowns: readonly FitUnknown[];
  /** Per node: GPUs (summed when summable, else the largest container's), vCPUs and bytes (sidecars included). */
  readonly amounts: { readonly gpus: FitAmount; readonly cpu: FitAmount; readonly memory: FitAmount };
  /** The containers that ask for GPUs, with their counts. */
  readonly gpuContainers: readonly { readonly container: number; readonly gpus: number }[];
  readonly measurement: ResourceMeasurement;
}

/** Rounding the comparisons allow (requests are decimals). */
const epsilon = 1e-9;

function isMeasurement(value: SpecDocument | ResourceMeasurement): value is ResourceMeasurement {
  return 'containers' in value && 'sidecars' in value;
}

/** A cpu or memory capacity that can be checked: published and positive (a node with none is no capacity). */
function capacityOf(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Whether `spec` (a parsed spec, or its measurement) fits one node of `family`. */
export function fitSpecToFamily(spec: SpecDocument | ResourceMeasurement, family: FamilyCapacity): SpecFit {
  const measurement = isMeasurement(spec) ? spec : measureResources(spec);
  const { containers, sidecars, summable } = measurement;
  const problems: FitProblem[] = [];
  const capped: CappedLimit[] = [];

  // GPUs: each container on its own, then the instance's sum (only while every container fits alone).
  const gpuContainers = containers.filter((container) => (container.gpus ?? 0) > 0).map((container) => ({ container: container.index, gpus: container.gpus ?? 0 }));
  const gpuCapacity = family.gpus;
  if (gpuCapacity !== undefined) {
    let total = 0;
    for (const { container, gpus } of gpuContainers) {
      if (gpuCapacity === 0) {
        problems.push({ kind: 'noGpus', resource: 'gpus', container, needed: gpus, available: 0 });
        continue;
      }
      if (gpus > gpuCapacity) {
        problems.push({ kind: 'containerGpus', resource: 'gpus', container, needed: gpus, available: gpuCapacity });
        continue;
      }
      total += gpus;
      if (summable && total > gpuCapacity) {
        problems.push({ kind: 'summedGpus', resource: 'gpus', container, needed: total, available: gpuCapacity });
        break;
      }
    }
  }

  // cpu and memory.
  const cpuCapacity = capacityOf(family.vcpu);
  const memoryGiB = capacityOf(family.memoryGiB);
  const memoryCapacity = memoryGiB === undefined ? undefined : memoryGiB * bytesPerGiB;
  const resources = [
    { resource: 'cpu', capacity: cpuCapacity, request: (index: number) => containers[index]?.cpuRequest, limit: (index: number) => containers[index]?.cpuLimit, sidecars: sidecars.cpu },
    { resource: 'memory', capacity: memoryCapacity, request: (index: number) => containers[index]?.memoryRequest, limit: (index: number) => containers[index]?.memoryLimit, sidecars: sidecars.memory },
  ] as const;
  for (const { resource, capacity, request, limit, sidecars: sidecarAmount } of resources) {
    if (capacity === undefined) continue;
    let total = sidecarAmount;
    let alone = false;
    const parts: { container: number; amount: number }[] = [];
    containers.forEach((container, position) => {
      const containerLimit = limit(position);
      if (containerLimit !== undefined && containerLimit > capacity + epsilon) {
        capped.push({ resource, container: container.index, limit: containerLimit, available: capacity });
      }
      const amount = request(position);
      if (amount === undefined) return;
      total += amount;
      parts.push({ container: container.index, amount });
      if (amount > capacity + epsilon) {
        alone = true;
        problems.push({ kind: 'containerRequest', resource, container: container.index, needed: amount, available: capacity });
      }
    });
    if (!alone && summable && parts.length > 0 && total > capacity + epsilon) {
      problems.push({ kind: 'summedRequests', resource, needed: total, available: capacity, parts, sidecars: sidecarAmount });
    }
  }

  const gpusTotal = gpuContainers.reduce((sum, each) => sum + each.gpus, 0);
  const cpuNeeded = containers.reduce((sum, container) => sum + (container.cpuRequest ?? 0), sidecars.cpu);
  const memoryNeeded = containers.reduce((sum, container) => sum + (container.memoryRequest ?? 0), sidecars.memory);
  const unknowns: FitUnknown[] = [];
  if (gpusTotal > 0 && gpuCapacity === undefined) unknowns.push({ kind: 'gpusNotPublished', needed: gpusTotal });
  if ((cpuNeeded > 0 && family.vcpu === undefined) || (memoryNeeded > 0 && family.memoryGiB === undefined)) unknowns.push({ kind: 'capacityNotPublished' });
  const templated = containers.filter((container) => !container.readable).map((container) => container.index);
  if (templated.length > 0) unknowns.push({ kind: 'templated', containers: templated });
  if (!summable) unknowns.push({ kind: 'notSummable' });

  return {
    family: family.name,
    fits: problems.length > 0 ? 'no' : unknowns.length > 0 ? 'unknown' : 'yes',
    problems,
    capped,
    unknowns,
    amounts: {
      // Without Jinja statements all containers of an instance share one node, so their GPUs add up;
      // with them only each container's own count is known.
      gpus: { needed: summable ? gpusTotal : Math.max(0, ...gpuContainers.map((each) => each.gpus)), available: gpuCapacity },
      cpu: { needed: cpuNeeded, available: family.vcpu },
      memory: { needed: memoryNeeded, available: family.memoryGiB === undefined ? undefined : family.memoryGiB * bytesPerGiB },
    },
    gpuContainers,
    measurement,
  };
}

/** Above a node's capacity, with the rounding the checks allow. */
export function exceedsNode(amount: FitAmount): boolean {
  return amount.available !== undefined && amount.needed > amount.available + epsilon;
}
