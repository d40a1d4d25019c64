/**
 * The health of a service or instance at a glance, for its tree node: a short summary of the newest
 * samples ("GPU 87 % · mem 71 %") and a warning when memory stays above 90 % of its limit over the
 * last samples (a container about to be killed for memory) or a container restarted in the last hour.
 *
 * Owns the rule and its words; the samples come from `latestSamplesQuery` and the restarts from
 * platform events (`telemetryReads.ts` reads both). Pure: no `vscode`, no Snowflake.
 */

import type { PlatformEvent } from './platformEvents';
import type { MetricRow } from './telemetryRows';

export interface HealthOptions {
  /** Memory must be above `memoryThreshold` of the limit in each of the last `samples` samples (default 6: one minute). */
  readonly samples?: number;
  /** Default 0.9. */
  readonly memoryThreshold?: number;
  /** Restarts this recent count (default one hour before `now`). */
  readonly restartWindowMs?: number;
  readonly now: number;
}

export interface Health {
  /** `GPU 87 % · mem 71 %`; `undefined` when there are no samples (no metric groups, or none yet). */
  readonly summary?: string;
  /** Plain text, when something needs attention; the node shows a warning icon. */
  readonly warning?: string;
  /** Mean utilisation of the GPUs in their newest samples (0..1). */
  readonly gpuUtilization?: number;
  /** The highest memory use of a container, as a share of its limit (0..1). */
  readonly memoryOfLimit?: number;
  readonly restartsInWindow: number;
}

interface ContainerMemory {
  readonly label: string;
  /** Newest first. */
  readonly usage: { readonly time: number; readonly value: number }[];
  /** The newest limit, and when it was sampled. */
  limit: number | undefined;
  limitTime: number;
}

function label(instanceId: string, container: string | undefined): string {
  return container === undefined ? `instance ${instanceId}` : `${container} (instance ${instanceId})`;
}

/** The health of whatever the samples and events cover (a service, or one instance when filtered so). */
export function healthOf(samples: readonly MetricRow[], events: readonly PlatformEvent[], options: HealthOptions): Health {
  const needed = Math.max(1, options.samples ?? 6);
  const threshold = options.memoryThreshold ?? 0.9;
  const memory = new Map<string, ContainerMemory>();
  const newestGpu = new Map<string, { time: number; value: number }>();
  for (const row of samples) {
    const key = `${row.instanceId}/${row.container ?? ''}`;
    if (row.metric === 'container.memory.usage' || row.metric === 'container.memory.limit') {
      let entry = memory.get(key);
      if (entry === undefined) {
        entry = { label: label(row.instanceId, row.container), usage: [], limit: undefined, limitTime: Number.NEGATIVE_INFINITY };
        memory.set(key, entry);
      }
      if (row.metric === 'container.memory.usage') entry.usage.push({ time: row.time, value: row.value });
      else if (row.time > entry.limitTime) {
        entry.limit = row.value;
        entry.limitTime = row.time;
      }
    } else if (row.metric === 'container.gpu.utilization') {
      const gpuKey = `${key}/${row.attribute ?? ''}`;
      const seen = newestGpu.get(gpuKey);
      if (seen === undefined || row.time > seen.time) newestGpu.set(gpuKey, { time: row.time, value: row.value });
    }
  }

  let memoryOfLimit: number | undefined;
  const pressed: string[] = [];
  for (const entry of memory.values()) {
    entry.usage.sort((a, b) => b.time - a.time);
    const newest = entry.usage[0];
    if (newest === undefined || entry.limit === undefined || entry.limit <= 0) continue;
    const share = newest.value / entry.limit;
    memoryOfLimit = Math.max(memoryOfLimit ?? 0, share);
    const recent = entry.usage.slice(0, needed);
    if (recent.length >= needed && recent.every((sample) => sample.value > threshold * (entry.limit ?? Number.POSITIVE_INFINITY))) {
      pressed.push(`${entry.label} at ${Math.round(share * 100)} %`);
    }
  }
  const gpuValues = [...newestGpu.values()].map((sample) => sample.value);
  const gpuUtilization = gpuValues.length === 0 ? undefined : gpuValues.reduce((sum, value) => sum + value, 0) / gpuValues.length;

  const since = options.now - (options.restartWindowMs ?? 3_600_000);
  const restarts = events.filter((event) => event.name === 'CONTAINER.STATUS_CHANGE' && event.status === 'FAILED' && event.time >= since && event.time <= options.now);
  const warnings: string[] = [];
  if (pressed.length > 0) {
    warnings.push(`Memory has stayed above ${Math.round(threshold * 100)} % of its limit for the last ${needed} samples: ${pressed.join(', ')}. The container is killed and restarted if it goes over the limit.`);
  }
  if (restarts.length > 0) {
    const newest = restarts.reduce((latest, event) => (event.time > latest.time ? event : latest));
    const minutes = Math.max(1, Math.round((options.now - newest.time) / 60_000));
    const who = [...new Set(restarts.map((event) => label(event.instanceId ?? '?', event.container)))].join(', ');
    warnings.push(`${who} restarted ${restarts.length === 1 ? 'once' : `${restarts.length} times`} in the last hour, most recently ${minutes} min ago: ${newest.message}`);
  }
  const parts = [gpuUtilization === undefined ? undefined : `GPU ${Math.round(gpuUtilization * 100)} %`, memoryOfLimit === undefined ? undefined : `mem ${Math.round(memoryOfLimit * 100)} %`].filter(
    (part): part is string => part !== undefined,
  );
  return {
    ...(parts.length === 0 ? {} : { summary: parts.join(' · ') }),
    ...(warnings.length === 0 ? {} : { warning: warnings.join(' ') }),
    ...(gpuUtilization === undefined ? {} : { gpuUtilization }),
    ...(memoryOfLimit === undefined ? {} : { memoryOfLimit }),
    restartsInWindow: restarts.length,
  };
}
