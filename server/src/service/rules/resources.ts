/**
 * Container resources: S28-S30 and S32 are read per container (`containerResources.ts`), and, when
 * the instance family is known (modeline or setting), S31 (GPU count vs. the family), S33 (the
 * requests of all containers plus the stage-mount sidecars must fit on one node) and S34 (a limit
 * above node capacity is capped) are the verdict of `fitSpecToFamily` (`../fit.ts`) put into words.
 *
 * Capacity checks use only explicit requests (reference §6.1), are skipped when the family's
 * capacity is not published, and do not sum counts in documents with Jinja statements: `fit.ts`
 * owns those rules. `capacityDiagnostics` gives the deploy pool picker these same words for a pool's
 * family, so that the editor's squiggles and the picker's reasons read the same.
 */

import type { Node, Scalar } from 'yaml';
import { fitSpecToFamily, type CappedLimit, type FitProblem, type SpecFit } from '../fit';
import type { InstanceFamily } from '../instanceFamilies';
import { formatGiB, formatNumber } from '../quantities';
import { getPair, keyRange, type SpecDocument } from '../specDocument';
import { measurementOf, readContainers, type ContainerUsage } from './containerResources';
import type { Rule, RuleDiagnostic } from './ruleApi';
import { itemLabel } from './ruleHelpers';

const gpuKey = 'nvidia.com/gpu';

export const resourcesRule: Rule = {
  name: 'resources',
  check(ctx) {
    const usages = readContainers(ctx);
    if (ctx.family) {
      for (const diagnostic of familyDiagnostics(ctx.doc, ctx.family, usages, fitSpecToFamily(measurementOf(ctx.doc, usages), ctx.family))) ctx.report(diagnostic);
    }
  },
};

/**
 * The capacity diagnostics of `doc` against `family` (`spcs/gpu-exceeds-family`, `spcs/capacity-exceeded`,
 * `spcs/limit-capped`), with the fit they word: what the rule reports for that family, nothing else.
 */
export function capacityDiagnostics(doc: SpecDocument, family: InstanceFamily): { readonly fit: SpecFit; readonly diagnostics: readonly RuleDiagnostic[] } {
  const usages = readContainers({ doc, settings: {}, family: undefined, report: () => undefined });
  const fit = fitSpecToFamily(measurementOf(doc, usages), family);
  return { fit, diagnostics: familyDiagnostics(doc, family, usages, fit) };
}

/** S31, S33, S34 in the order a reader meets them: GPUs, then cpu and memory, each container's limit before its request. */
function familyDiagnostics(doc: SpecDocument, family: InstanceFamily, usages: readonly (ContainerUsage | undefined)[], fit: SpecFit): RuleDiagnostic[] {
  const diagnostics: RuleDiagnostic[] = [];
  const usageOf = (container: number): ContainerUsage | undefined => usages.find((usage) => usage?.item.index === container);
  for (const problem of fit.problems) {
    if (problem.kind === 'noGpus' || problem.kind === 'containerGpus' || problem.kind === 'summedGpus') diagnostics.push(gpuDiagnostic(family, problem, usageOf(problem.container)));
  }
  for (const resource of ['cpu', 'memory'] as const) {
    for (const usage of usages) {
      if (usage === undefined) continue;
      const capped = fit.capped.find((each) => each.resource === resource && each.container === usage.item.index);
      if (capped) diagnostics.push(cappedDiagnostic(family, capped, usage));
      const alone = fit.problems.find((problem): problem is Extract<FitProblem, { kind: 'containerRequest' }> => problem.kind === 'containerRequest' && problem.resource === resource && problem.container === usage.item.index);
      if (alone) diagnostics.push(requestDiagnostic(family, alone, usage));
    }
    const summed = fit.problems.find((problem): problem is Extract<FitProblem, { kind: 'summedRequests' }> => problem.kind === 'summedRequests' && problem.resource === resource);
    if (summed) diagnostics.push(summedDiagnostic(doc, family, summed, usageOf));
  }
  return diagnostics;
}

function gpuDiagnostic(family: InstanceFamily, problem: Extract<FitProblem, { resource: 'gpus' }>, usage: ContainerUsage | undefined): RuleDiagnostic {
  const label = usage ? itemLabel('container', usage.item) : `container ${problem.container + 1}`;
  const at: Node | undefined = usage?.gpus?.node;
  switch (problem.kind) {
    case 'noGpus':
      return {
        code: 'spcs/gpu-exceeds-family',
        at,
        message: `${capitalize(label)} asks for ${problem.needed} GPU${problem.needed === 1 ? '' : 's'}, but ${family.name} nodes have no GPU, so the service can never start. Use a GPU instance family (e.g. GPU_NV_S) or remove '${gpuKey}'.`,
      };
    case 'containerGpus':
      return {
        code: 'spcs/gpu-exceeds-family',
        at,
        message: `${capitalize(label)} asks for ${problem.needed} GPUs, but a ${family.name} node has ${problem.available}; a container cannot span nodes. Lower the count or use a family with more GPUs.`,
      };
    case 'summedGpus':
      return {
        code: 'spcs/gpu-exceeds-family',
        at,
        message: `With ${label}, the containers of one service instance ask for ${problem.needed} GPUs, but they all run on one ${family.name} node, which has ${problem.available}. Lower the counts or use a family with more GPUs.`,
      };
  }
}

function formatOf(resource: 'cpu' | 'memory'): (value: number) => string {
  return resource === 'cpu' ? (value) => `${formatNumber(value)} vCPU` : formatGiB;
}

function cappedDiagnostic(family: InstanceFamily, capped: CappedLimit, usage: ContainerUsage): RuleDiagnostic {
  const format = formatOf(capped.resource);
  const limit: Scalar | undefined = capped.resource === 'cpu' ? usage.cpuLimit?.node : usage.memoryLimit?.node;
  return {
    code: 'spcs/limit-capped',
    at: limit,
    message: `The ${capped.resource} limit of ${itemLabel('container', usage.item)} (${format(capped.limit)}) is more than a ${family.name} node has (${format(capped.available)}); Snowflake silently caps it to the node capacity.`,
  };
}

function requestDiagnostic(family: InstanceFamily, problem: Extract<FitProblem, { kind: 'containerRequest' }>, usage: ContainerUsage): RuleDiagnostic {
  const format = formatOf(problem.resource);
  const request: Scalar | undefined = problem.resource === 'cpu' ? usage.cpuRequest?.node : usage.memoryRequest?.node;
  return {
    code: 'spcs/capacity-exceeded',
    at: request,
    message: `${capitalize(itemLabel('container', usage.item))} requests ${format(problem.needed)} of ${problem.resource}, but a ${family.name} node has only ${format(problem.available)} available, so the service can never be scheduled and CREATE SERVICE fails. Lower the request or use a larger instance family.`,
  };
}

function summedDiagnostic(doc: SpecDocument, family: InstanceFamily, problem: Extract<FitProblem, { kind: 'summedRequests' }>, usageOf: (container: number) => ContainerUsage | undefined): RuleDiagnostic {
  const format = formatOf(problem.resource);
  const parts = problem.parts.map((part) => {
    const item = usageOf(part.container)?.item;
    return `${item?.name ?? (item ? itemLabel('container', item) : `container ${part.container + 1}`)} ${format(part.amount)}`;
  });
  if (problem.sidecars > 0) parts.push(`stage-mount sidecars ${format(problem.sidecars)}`);
  const containersPair = getPair(doc.spec, 'containers') ?? getPair(doc.spec, 'container');
  return {
    code: 'spcs/capacity-exceeded',
    at: keyRange(doc, containersPair),
    message: `All containers of a service instance run on one node, and their ${problem.resource} requests add up to ${format(problem.needed)} (${parts.join(', ')}), more than the ${format(problem.available)} of a ${family.name} node: the service can never be scheduled and CREATE SERVICE fails. Lower the requests or use a larger instance family.`,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
