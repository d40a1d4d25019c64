/**
 * What each container of a spec asks for, read once: S28 (memory needs a unit), S29 (cpu format),
 * S30 (GPU request and limit set together and equal) and S32 (request above limit, a warning) are
 * reported while reading, and the numbers that could be read become a `ResourceMeasurement`, the
 * input of the one fit question (`../fit.ts`).
 *
 * Only explicit requests count: the derived default request is documented two contradictory ways
 * (reference §6.1), so no capacity verdict depends on it. Counts are not summed in documents with
 * Jinja statements, and a templated `resources` block is not read at all.
 *
 * Must not: judge anything against an instance family (that is `fit.ts`, worded by `resources.ts`).
 */

import type { Node, Pair, Scalar, YAMLMap } from 'yaml';
import { bytesPerGiB, formatGiB, formatNumber, isBareNumber, parseCpu, parseMemory } from '../quantities';
import { getPair, isTemplated, type SpecDocument, type SpecItem } from '../specDocument';
import type { QuickFix, RuleContext } from './ruleApi';
import { appendToMap, asMap, hasControlStatements, insertNestedAfter, itemLabel, plainScalar, replaceScalar, valueOf } from './ruleHelpers';
import { volumeKind } from './volumes';

const gpuKey = 'nvidia.com/gpu';
const epsilon = 1e-9;

/** What one container asks for, as far as it could be read, with the nodes that say it. */
export interface ContainerUsage {
  readonly item: SpecItem;
  readonly cpuRequest?: Measured;
  readonly memoryRequest?: Measured;
  readonly cpuLimit?: Measured;
  readonly memoryLimit?: Measured;
  /** GPUs of the container: the request (or the limit when only that is set). */
  readonly gpus?: Measured;
}

export interface Measured {
  /** vCPUs, bytes or GPUs. */
  readonly value: number;
  readonly node: Scalar;
}

export interface ContainerResources {
  readonly name: string | undefined;
  readonly index: number;
  /** False when the container's `resources` hold a template placeholder: its numbers are not known. */
  readonly readable: boolean;
  /** vCPUs. */
  readonly cpuRequest?: number;
  readonly cpuLimit?: number;
  /** Bytes. */
  readonly memoryRequest?: number;
  readonly memoryLimit?: number;
  /** GPUs: the request (or the limit when only that is set). */
  readonly gpus?: number;
}

export interface ResourceMeasurement {
  readonly containers: readonly ContainerResources[];
  /** Requests of the stage-mount sidecars, which run on the same node (vCPUs, bytes). */
  readonly sidecars: { readonly cpu: number; readonly memory: number };
  /** False when Jinja statements make sums meaningless (the capacity checks do not sum then). */
  readonly summable: boolean;
}

/** The containers' usages, in container order, reporting S28-S30/S32 through `ctx` as they are read. */
export function readContainers(ctx: RuleContext): readonly (ContainerUsage | undefined)[] {
  return ctx.doc.lists.containers.map((item) => checkContainer(ctx, item));
}

/** The measurement the usages make (only a capacity question needs it: the sums are not computed otherwise). */
export function measurementOf(doc: SpecDocument, usages: readonly (ContainerUsage | undefined)[]): ResourceMeasurement {
  const summable = !hasControlStatements(doc);
  const containers = doc.lists.containers.map((item, position): ContainerResources => {
    const usage = usages[position];
    const resources = getPair(item.node, 'resources')?.value as Node | undefined;
    return {
      name: item.name,
      index: item.index,
      readable: resources === undefined || resources === null || !isTemplated(doc, resources),
      cpuRequest: usage?.cpuRequest?.value,
      cpuLimit: usage?.cpuLimit?.value,
      memoryRequest: usage?.memoryRequest?.value,
      memoryLimit: usage?.memoryLimit?.value,
      gpus: usage?.gpus?.value,
    };
  });
  return { containers, sidecars: { cpu: summable ? sidecarRequests(doc, 'cpu') : 0, memory: summable ? sidecarRequests(doc, 'memory') : 0 }, summable };
}

/** What each container requests, read as the capacity checks read it (explicit requests only); nothing is reported. */
export function measureResources(doc: SpecDocument): ResourceMeasurement {
  return measurementOf(doc, readContainers({ doc, settings: {}, family: undefined, report: () => undefined }));
}

function checkContainer(ctx: RuleContext, item: SpecItem): ContainerUsage | undefined {
  const { doc } = ctx;
  const resourcesPair = getPair(item.node, 'resources');
  const resources = asMap(resourcesPair?.value);
  if (!resources || isTemplated(doc, resources)) {
    return undefined;
  }
  const requestsPair = getPair(resources, 'requests');
  const limitsPair = getPair(resources, 'limits');
  const requests = readable(ctx, requestsPair);
  const limits = readable(ctx, limitsPair);
  const label = itemLabel('container', item);

  const cpuRequest = checkCpu(ctx, valueOf(requests, 'cpu'));
  const cpuLimit = checkCpu(ctx, valueOf(limits, 'cpu'));
  const memoryRequest = checkMemory(ctx, valueOf(requests, 'memory'));
  const memoryLimit = checkMemory(ctx, valueOf(limits, 'memory'));

  if (cpuRequest && cpuLimit && cpuRequest.value > cpuLimit.value + epsilon) {
    ctx.report({
      code: 'spcs/request-exceeds-limit',
      at: cpuRequest.node,
      message: `The cpu request (${formatNumber(cpuRequest.value)}) of ${label} is larger than its limit (${formatNumber(cpuLimit.value)}); the container is placed for more than it may use. Lower the request or raise the limit.`,
    });
  }
  if (memoryRequest && memoryLimit && memoryRequest.value > memoryLimit.value + epsilon) {
    ctx.report({
      code: 'spcs/request-exceeds-limit',
      at: memoryRequest.node,
      message: `The memory request (${formatGiB(memoryRequest.value)}) of ${label} is larger than its limit (${formatGiB(memoryLimit.value)}); the container is placed for more than it may use. Lower the request or raise the limit.`,
    });
  }

  const gpus = checkGpus(ctx, resources, requestsPair, limitsPair, requests, limits);
  return { item, cpuRequest, memoryRequest, cpuLimit, memoryLimit, gpus };
}

/** The requests/limits mapping when it can be judged (present, a mapping, not templated). */
function readable(ctx: RuleContext, pair: Pair | undefined): YAMLMap<unknown, unknown> | undefined {
  const map = asMap(pair?.value);
  return map && !isTemplated(ctx.doc, map) ? map : undefined;
}

// ---------------------------------------------------------------------------------------------------
// S28 memory and S29 cpu.

function checkMemory(ctx: RuleContext, node: Node | undefined): Measured | undefined {
  const scalar = plainScalar(ctx.doc, node);
  if (!scalar || scalar.value === null) {
    return undefined;
  }
  const text = typeof scalar.value === 'number' ? scalar.source ?? String(scalar.value) : typeof scalar.value === 'string' ? scalar.value : undefined;
  if (text === undefined) {
    return undefined;
  }
  const parsed = parseMemory(text);
  if (parsed?.documentedUnit) {
    return { value: parsed.bytes, node: scalar };
  }
  if (parsed) {
    ctx.report({
      code: 'spcs/invalid-memory',
      at: scalar,
      severity: 'warning',
      message: `The unit '${parsed.unit}' is in the general unit list but not among the memory units Snowflake documents (M, Mi, G, Gi); write '${text}' as ${suggestDocumented(parsed.bytes)}.`,
    });
    return { value: parsed.bytes, node: scalar };
  }
  if (isBareNumber(text)) {
    ctx.report({
      code: 'spcs/invalid-memory',
      at: scalar,
      message: `Memory '${text}' has no unit, and Snowflake requires one: M, Mi, G or Gi (e.g. '512Mi', '2Gi').`,
      fixes: bareNumberFixes(ctx, scalar, text),
    });
    return undefined;
  }
  const normalized = normalizeMemoryUnit(text);
  const edit = normalized ? replaceScalar(ctx.doc, scalar, normalized) : undefined;
  ctx.report({
    code: 'spcs/invalid-memory',
    at: scalar,
    message: `Memory '${text}' is not a quantity Snowflake reads: write a number with one of the units M, Mi, G or Gi${normalized ? `, here '${normalized}'` : " (e.g. '512Mi', '2Gi')"}.`,
    fixes: edit && normalized ? [{ title: `Change to '${normalized}'`, edits: [edit], isPreferred: true }] : undefined,
  });
  return undefined;
}

function suggestDocumented(bytes: number): string {
  const mi = bytes / 1024 ** 2;
  return Number.isInteger(bytes / bytesPerGiB) ? `'${bytes / bytesPerGiB}Gi'` : `'${formatNumber(mi)}Mi'`;
}

/** `2gb` → `2G`, `512mi` → `512Mi`: a case or `B` slip in a documented unit. */
function normalizeMemoryUnit(text: string): string | undefined {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([mg])(i?)b?\s*$/i.exec(text);
  if (!match?.[1] || !match[2]) {
    return undefined;
  }
  return `${match[1]}${match[2].toUpperCase()}${match[3] ? 'i' : ''}`;
}

/**
 * A bare number's unit is guessed only where the guess is safe: a small number is GiB, a middling one
 * MiB, and a huge exact one bytes (the Kubernetes reading). Between 64 and 128 both are offered and
 * neither is preferred.
 */
function bareNumberFixes(ctx: RuleContext, scalar: Scalar, text: string): QuickFix[] {
  const amount = Number(text.trim());
  const fixes: QuickFix[] = [];
  const add = (newText: string, title: string, isPreferred: boolean) => {
    const edit = replaceScalar(ctx.doc, scalar, newText);
    if (edit) {
      fixes.push({ title, edits: [edit], isPreferred });
    }
  };
  const digits = text.trim();
  if (amount <= 0) {
    return fixes;
  }
  if (amount >= 1024 ** 2) {
    if (Number.isInteger(amount / bytesPerGiB)) {
      add(`${amount / bytesPerGiB}Gi`, `Read as bytes: change to '${amount / bytesPerGiB}Gi'`, true);
    } else if (Number.isInteger(amount / 1024 ** 2)) {
      add(`${amount / 1024 ** 2}Mi`, `Read as bytes: change to '${amount / 1024 ** 2}Mi'`, true);
    }
    return fixes;
  }
  if (amount <= 64) {
    add(`${digits}Gi`, "Append 'Gi'", true);
  } else if (amount >= 128) {
    add(`${digits}Mi`, "Append 'Mi'", true);
  } else {
    add(`${digits}Gi`, "Append 'Gi'", false);
    add(`${digits}Mi`, "Append 'Mi'", false);
  }
  return fixes;
}

function checkCpu(ctx: RuleContext, node: Node | undefined): Measured | undefined {
  const scalar = plainScalar(ctx.doc, node);
  if (!scalar || scalar.value === null) {
    return undefined;
  }
  if (typeof scalar.value === 'number') {
    if (scalar.value >= 0) {
      return { value: scalar.value, node: scalar };
    }
    ctx.report({
      code: 'spcs/invalid-cpu',
      at: scalar,
      message: `cpu ${scalar.source ?? String(scalar.value)} is negative; use a number of vCPUs such as '0.5' or millicores such as '500m'.`,
    });
    return undefined;
  }
  if (typeof scalar.value !== 'string') {
    return undefined;
  }
  const cpu = parseCpu(scalar.value);
  if (cpu !== undefined) {
    return { value: cpu, node: scalar };
  }
  const millicores = /^\s*([0-9]+)\s*M\s*$/.exec(scalar.value);
  const fixed = millicores?.[1] !== undefined ? `${millicores[1]}m` : undefined;
  const edit = fixed ? replaceScalar(ctx.doc, scalar, fixed) : undefined;
  ctx.report({
    code: 'spcs/invalid-cpu',
    at: scalar,
    message: `cpu '${scalar.value}' is not a cpu quantity: use a number of vCPUs ('1', '0.5') or millicores with a lowercase 'm' ('500m').`,
    fixes: edit && fixed ? [{ title: `Change to '${fixed}'`, edits: [edit], isPreferred: true }] : undefined,
  });
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// S30: GPUs in requests and limits.

function checkGpus(
  ctx: RuleContext,
  resources: YAMLMap<unknown, unknown>,
  requestsPair: Pair | undefined,
  limitsPair: Pair | undefined,
  requests: YAMLMap<unknown, unknown> | undefined,
  limits: YAMLMap<unknown, unknown> | undefined,
): Measured | undefined {
  const { doc } = ctx;
  const requestPair = getPair(requests, gpuKey);
  const limitPair = getPair(limits, gpuKey);
  // An unreadable requests/limits block may hold the other half: nothing can be concluded.
  if ((requestsPair && !requests) || (limitsPair && !limits)) {
    return undefined;
  }
  if ((requestPair && isTemplated(doc, requestPair.value as Node)) || (limitPair && isTemplated(doc, limitPair.value as Node))) {
    return undefined;
  }
  const request = gpuCount(requestPair);
  const limit = gpuCount(limitPair);
  if ((requestPair && request === undefined) || (limitPair && limit === undefined)) {
    // Not a whole number: the schema's type error says so.
    return undefined;
  }
  if (request && requestPair && !limitPair && request.value > 0) {
    ctx.report({
      code: 'spcs/gpu-request-limit',
      at: request.node,
      message: `'${gpuKey}' is requested (${request.value}) but has no limit: Snowflake requires GPUs to be set to the same number in requests and limits. Add '${gpuKey}: ${request.value}' under 'limits'.`,
      fixes: addGpuFix(ctx, resources, limitsPair, limits, requestsPair, 'limits', request.value),
    });
    return request;
  }
  if (limit && limitPair && !requestPair && limit.value > 0) {
    ctx.report({
      code: 'spcs/gpu-request-limit',
      at: limit.node,
      message: `'${gpuKey}' has a limit (${limit.value}) but no request: Snowflake requires GPUs to be set to the same number in requests and limits. Add '${gpuKey}: ${limit.value}' under 'requests'.`,
      fixes: addGpuFix(ctx, resources, requestsPair, requests, limitsPair, 'requests', limit.value),
    });
    return limit;
  }
  if (request && limit && request.value !== limit.value) {
    const fixes: QuickFix[] = [];
    const toRequest = replaceScalar(doc, limit.node, String(request.value));
    if (toRequest) {
      fixes.push({ title: `Set the limit to ${request.value}`, edits: [toRequest], isPreferred: true });
    }
    const toLimit = replaceScalar(doc, request.node, String(limit.value));
    if (toLimit) {
      fixes.push({ title: `Set the request to ${limit.value}`, edits: [toLimit] });
    }
    ctx.report({
      code: 'spcs/gpu-request-limit',
      at: limit.node,
      message: `GPU request (${request.value}) and limit (${limit.value}) differ: Snowflake requires '${gpuKey}' to be set to the same number in requests and limits.`,
      fixes,
    });
  }
  return request ?? limit;
}

function gpuCount(pair: Pair | undefined): Measured | undefined {
  const value = pair?.value as Scalar | undefined;
  if (!value || typeof value !== 'object' || typeof value.value !== 'number' || !Number.isInteger(value.value) || value.value < 0) {
    return undefined;
  }
  return { value: value.value, node: value };
}

/** Adds `nvidia.com/gpu: N` to the missing side: into its mapping when there is one, else as a new block. */
function addGpuFix(
  ctx: RuleContext,
  resources: YAMLMap<unknown, unknown>,
  targetPair: Pair | undefined,
  target: YAMLMap<unknown, unknown> | undefined,
  otherPair: Pair | undefined,
  targetKey: 'requests' | 'limits',
  count: number,
): QuickFix[] | undefined {
  let edit;
  if (target && target.items.length > 0) {
    edit = appendToMap(ctx.doc, target, gpuKey, String(count));
  } else if (!targetPair && otherPair && !resources.flow) {
    edit = insertNestedAfter(ctx.doc, otherPair, targetKey, gpuKey, String(count));
  }
  return edit ? [{ title: `Add '${gpuKey}: ${count}' to ${targetKey}`, edits: [edit], isPreferred: true }] : undefined;
}

/**
 * Each `source: stage` volume runs a mount sidecar on the node, requesting 0.5 GiB of memory and no
 * cpu unless `stageConfig.resources.requests` says otherwise. The deprecated `@stage` form is not
 * counted: its sidecar's requests are not documented.
 */
function sidecarRequests(doc: SpecDocument, what: 'cpu' | 'memory'): number {
  let total = 0;
  for (const volume of doc.lists.volumes) {
    if (volumeKind(doc, volume.node) !== 'stage' || plainScalar(doc, valueOf(volume.node, 'source'))?.value !== 'stage') {
      continue;
    }
    const requests = asMap(valueOf(asMap(valueOf(asMap(valueOf(volume.node, 'stageConfig')), 'resources')), 'requests'));
    const raw = valueOf(requests, what);
    const node = plainScalar(doc, raw);
    if (raw && !node) {
      // A templated sidecar request: count nothing rather than guess.
      continue;
    }
    const text = node && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined;
    if (what === 'memory') {
      total += text !== undefined ? parseMemory(text)?.bytes ?? 0 : bytesPerGiB / 2;
    } else {
      total += text !== undefined ? parseCpu(text) ?? 0 : 0;
    }
  }
  return total;
}
