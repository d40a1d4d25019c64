/**
 * Platform metrics of a service, as `<service>!SPCS_GET_METRICS` and the event table hold them
 * (docs: "Access platform metrics" → "Available platform metrics"): only the groups the running
 * spec version lists in `platformMonitor.metricConfig.groups`, with the documented names, units and
 * record attributes, sampled every `Timing.metricIntervalMs` on a grid every series shares.
 *
 * Owns: the metric catalogue (group, name, unit, whether it is per GPU, per endpoint or per block
 * volume), and plausible shapes over time, generated on demand from (service seed, instance,
 * container, metric, time) so that any window of any day costs only its own samples:
 * - a diurnal load curve (quiet at 03:00 UTC, busiest at 15:00 UTC) drives cpu, GPU utilization,
 *   network and volume I/O;
 * - memory climbs from a baseline to a plateau after each (re)start and breathes with the load; a
 *   run that ended with an out-of-memory kill (exit code 137) climbs to the limit over its life, and
 *   so does the run after it, at the same pace (the same software leaks again);
 * - GPU utilization is busy while a vLLM server is serving, GPU memory is held at 90 % of capacity
 *   (vLLM's default `gpu_memory_utilization`);
 * - limits and requests come from the spec, and default to the node capacity of the pool's
 *   instance family (limits) or to the smaller of 0.5 and the limit (requests), as documented;
 * - status metrics follow the container's life (pending with a reason, running, restarts, the
 *   reason and exit code of the last finished run).
 *
 * Must not: decide visibility (the ingestion delay) or format rows (`sql/statements/telemetry.ts`).
 *
 * Over 400 lines on purpose: the catalogue and the one generator that reads it, read best whole.
 */

import { findInstanceFamily, type InstanceFamily } from '../../../server/src/service';
import { hash32 } from './hashing';
import { profileFor } from './logProfiles';
import type { ContainerSpec, ServiceRecord } from './model';
import { containerLives, type ContainerLife, type RunInfo } from './timeline';
import { Timing } from './timing';

export type MetricGroup = 'system' | 'system_limits' | 'status' | 'network' | 'storage';

export interface MetricDefinition {
  readonly group: MetricGroup;
  readonly name: string;
  readonly unit: string;
  /** The event table's RECORD:value_type. */
  readonly valueType: 'INT' | 'DOUBLE';
  /** Per instance (no container name): network egress and volume metrics. */
  readonly instanceLevel?: boolean;
}

const define = (group: MetricGroup, name: string, unit: string, valueType: 'INT' | 'DOUBLE', instanceLevel = false): MetricDefinition => ({
  group,
  name,
  unit,
  valueType,
  ...(instanceLevel ? { instanceLevel } : {}),
});

/** Every platform metric, in the order of the docs' table (units as the docs write them, "byte" included). */
const metricCatalogue: readonly MetricDefinition[] = [
  define('system', 'container.cpu.usage', 'cpu cores', 'DOUBLE'),
  define('system', 'container.memory.usage', 'bytes', 'INT'),
  define('system', 'container.gpu.memory.usage', 'bytes', 'INT'),
  define('system', 'container.gpu.utilization', 'ratio', 'DOUBLE'),
  define('system_limits', 'container.cpu.limit', 'cpu cores', 'DOUBLE'),
  define('system_limits', 'container.gpu.limit', 'gpus', 'INT'),
  define('system_limits', 'container.memory.limit', 'bytes', 'INT'),
  define('system_limits', 'container.cpu.requested', 'cpu cores', 'DOUBLE'),
  define('system_limits', 'container.gpu.requested', 'gpus', 'INT'),
  define('system_limits', 'container.memory.requested', 'bytes', 'INT'),
  define('system_limits', 'container.gpu.memory.capacity', 'bytes', 'INT'),
  define('status', 'container.restarts', 'restarts', 'INT'),
  define('status', 'container.state.finished', 'boolean', 'INT'),
  define('status', 'container.state.last.finished.reason', 'boolean', 'INT'),
  define('status', 'container.state.last.finished.exitcode', 'integer', 'INT'),
  define('status', 'container.state.pending', 'boolean', 'INT'),
  define('status', 'container.state.pending.reason', 'boolean', 'INT'),
  define('status', 'container.state.running', 'boolean', 'INT'),
  define('status', 'container.state.started', 'boolean', 'INT'),
  define('network', 'network.egress.denied.packets', 'packets', 'INT', true),
  define('network', 'network.egress.received.bytes', 'bytes', 'INT', true),
  define('network', 'network.egress.received.packets', 'packets', 'INT', true),
  define('network', 'network.egress.transmitted.bytes', 'byte', 'INT', true),
  define('network', 'network.egress.transmitted.packets', 'packets', 'INT', true),
  define('network', 'network.ingress.connections.active', 'connections', 'INT'),
  define('network', 'network.ingress.cps', 'connections/sec', 'DOUBLE'),
  define('storage', 'volume.capacity', 'bytes', 'INT', true),
  define('storage', 'volume.io.inflight', 'operations', 'INT', true),
  define('storage', 'volume.read.throughput', 'bytes/sec', 'DOUBLE', true),
  define('storage', 'volume.read.iops', 'operations/sec', 'DOUBLE', true),
  define('storage', 'volume.usage', 'bytes', 'INT', true),
  define('storage', 'volume.write.throughput', 'bytes/sec', 'DOUBLE', true),
  define('storage', 'volume.write.iops', 'operations/sec', 'DOUBLE', true),
];

const byName = new Map(metricCatalogue.map((metric) => [metric.name, metric]));

function metric(name: string): MetricDefinition {
  return byName.get(name) as MetricDefinition;
}

export interface MetricPoint {
  readonly at: number;
  readonly metric: MetricDefinition;
  readonly value: number;
  readonly instance: number;
  /** Null for instance-level metrics (network egress, volumes). */
  readonly container: string | null;
  readonly attributes: Readonly<Record<string, string>> | null;
}

/** What the caller wants; every set is optional (absent: all). */
export interface MetricFilter {
  readonly metrics?: ReadonlySet<string>;
  readonly instances?: ReadonlySet<number>;
  readonly containers?: ReadonlySet<string>;
}

// ---- shapes ------------------------------------------------------------------------------------------------

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const hour = 3_600_000;

/** A number in [0, 1) from a series seed and a sample index (cheap: no strings per sample). */
function noise(seed: number, k: number): number {
  let h = Math.imul(seed ^ Math.imul(k | 0, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4_294_967_296;
}

/** Daily load in [0, 1]: quiet at 03:00 UTC, busiest at 15:00 UTC. */
function diurnal(at: number): number {
  return 0.5 - 0.5 * Math.cos((2 * Math.PI * (at / hour - 3)) / 24);
}

/** The integral of `diurnal` over time, in load-hours (for counters that add up traffic). */
function diurnalIntegral(at: number): number {
  const hours = at / hour;
  return 0.5 * hours - (0.5 * 24) / (2 * Math.PI) * Math.sin((2 * Math.PI * (hours - 3)) / 24);
}

/** A service's load at a moment: the daily curve with slow service-specific swells and a little jitter. */
function loadAt(seed: number, at: number, k: number): number {
  const swell = 0.08 * Math.sin(at / (47 * 60_000) + (seed % 97)) + 0.05 * Math.sin(at / (13 * 60_000) + (seed % 31));
  return Math.min(1, Math.max(0, 0.12 + 0.78 * diurnal(at) + swell + 0.06 * (noise(seed, k) - 0.5)));
}

/** The service's load on the sample grid of one query window, computed once for every series. */
interface LoadCurve {
  at(at: number): number;
}

function loadCurve(seed: number, from: number, until: number): LoadCurve {
  const step = Timing.metricIntervalMs;
  const first = Math.ceil(from / step);
  const values = new Float64Array(Math.max(0, Math.floor(until / step) - first + 1)).fill(Number.NaN);
  return {
    at(at) {
      const k = at / step;
      const index = k - first;
      if (index < 0 || index >= values.length) return loadAt(seed, at, k);
      let value = values[index] as number;
      if (Number.isNaN(value)) {
        value = loadAt(seed, at, k);
        values[index] = value;
      }
      return value;
    },
  };
}

interface Shape {
  /** cpu cores: idle + busy × load. */
  readonly cpu: readonly [idle: number, busy: number];
  /**
   * Memory right after a start, the plateau it settles at, and the working set that comes and goes
   * with load, as bytes or as shares of the limit.
   */
  readonly memory: { readonly base: number; readonly plateau: number; readonly working: number; readonly share: boolean; readonly tauMs: number };
  /** GPU utilization: idle + busy × load while serving. */
  readonly gpu: readonly [idle: number, busy: number];
  /** Share of each GPU's memory held once loaded. */
  readonly gpuMemory: number;
  /** Ingress connections per second at full load, and active connections at full load. */
  readonly ingress: readonly [cps: number, active: number];
  readonly defaultPort?: number;
}

const shapes: Readonly<Record<string, Shape>> = {
  vllm: { cpu: [1.2, 5], memory: { base: 0.3, plateau: 0.52, working: 0.08, share: true, tauMs: 10 * 60_000 }, gpu: [0.3, 0.62], gpuMemory: 0.9, ingress: [6, 40], defaultPort: 8000 },
  streamlit: { cpu: [0.02, 0.25], memory: { base: 180 * MiB, plateau: 360 * MiB, working: 60 * MiB, share: false, tauMs: hour }, gpu: [0, 0.3], gpuMemory: 0.3, ingress: [1.5, 25], defaultPort: 8501 },
  postgres: { cpu: [0.05, 0.6], memory: { base: 0.15, plateau: 0.45, working: 0.05, share: true, tauMs: 2 * hour }, gpu: [0, 0.3], gpuMemory: 0.3, ingress: [3, 20], defaultPort: 5432 },
  flask: { cpu: [0.005, 0.04], memory: { base: 45 * MiB, plateau: 58 * MiB, working: 4 * MiB, share: false, tauMs: 30 * 60_000 }, gpu: [0, 0.3], gpuMemory: 0.3, ingress: [0.6, 4], defaultPort: 8000 },
  trainer: { cpu: [3.5, 1.5], memory: { base: 0.2, plateau: 0.65, working: 0.05, share: true, tauMs: 60_000 }, gpu: [0.85, 0.1], gpuMemory: 0.8, ingress: [0, 0] },
  uvicorn: { cpu: [0.03, 0.5], memory: { base: 110 * MiB, plateau: 210 * MiB, working: 30 * MiB, share: false, tauMs: hour }, gpu: [0.1, 0.5], gpuMemory: 0.4, ingress: [4, 30], defaultPort: 8080 },
};

function shapeOf(container: ContainerSpec, job: boolean): Shape {
  return shapes[profileFor(container, job).name] ?? (shapes.uvicorn as Shape);
}

/** Limits and requests of a container, with the documented defaults. */
interface ContainerLimits {
  readonly cpuLimit: number;
  readonly cpuRequested: number;
  readonly memoryLimit: number;
  readonly memoryRequested: number;
  readonly gpuLimit?: number;
  readonly gpuRequested?: number;
  readonly gpus: number;
  /** Per GPU, in bytes. */
  readonly gpuMemoryCapacity: number;
}

function limitsOf(container: ContainerSpec, family: InstanceFamily | undefined): ContainerLimits {
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  const nodeCpu = family?.vcpu ?? 1;
  const nodeMemory = (family?.memoryGiB ?? 6) * GiB;
  const cpuLimit = Math.min(limits.cpu ?? nodeCpu, nodeCpu);
  const memoryLimit = Math.min(limits.memoryBytes ?? nodeMemory, nodeMemory);
  // The usable memory of a GPU is about 92.5 % of its nominal size (an A10G "24 GB" reports 22.19 GiB).
  const nominal = Number(/\((\d+) GB\)/.exec(family?.gpuModel ?? '')?.[1] ?? 24);
  return {
    cpuLimit,
    cpuRequested: requests.cpu ?? Math.min(0.5, cpuLimit),
    memoryLimit,
    memoryRequested: requests.memoryBytes ?? Math.min(0.5 * GiB, memoryLimit),
    ...(limits.gpus !== undefined ? { gpuLimit: limits.gpus } : {}),
    ...(requests.gpus !== undefined ? { gpuRequested: requests.gpus } : {}),
    gpus: container.gpus,
    gpuMemoryCapacity: Math.round(nominal * 0.9245 * GiB),
  };
}

/**
 * A leak: a run that ends with an out-of-memory kill climbs to the limit over its life, and the run
 * that follows an out-of-memory kill (the same software, the same bug) climbs at the same pace.
 */
interface Leak {
  readonly start: number;
  readonly duration: number;
}

function leakOf(runs: readonly RunInfo[], index: number): Leak | undefined {
  const run = runs[index];
  const oom = (candidate: RunInfo | undefined): candidate is RunInfo & { end: number } => candidate?.endReason === 'crash' && candidate.exitCode === 137 && candidate.end !== undefined;
  if (!run) return undefined;
  if (oom(run)) return { start: run.start, duration: Math.max(1, run.end - run.start) };
  const previous = runs[index - 1];
  if (oom(previous)) return { start: run.start, duration: Math.max(1, previous.end - previous.start) };
  return undefined;
}

function memoryAt(shape: Shape, limits: ContainerLimits, run: RunInfo, leak: Leak | undefined, at: number, load: number, jitter: number): number {
  const scale = shape.memory.share ? limits.memoryLimit : 1;
  const base = Math.min(shape.memory.base * scale, 0.9 * limits.memoryLimit);
  const plateau = Math.min(shape.memory.plateau * scale, 0.9 * limits.memoryLimit);
  const working = Math.min(shape.memory.working * scale, 0.05 * limits.memoryLimit + shape.memory.working * scale);
  let value = base + (plateau - base) * (1 - Math.exp(-(at - run.start) / shape.memory.tauMs)) + working * load;
  if (leak) value += (0.998 * limits.memoryLimit - value) * Math.min(1, (at - leak.start) / leak.duration);
  return Math.round(Math.min(limits.memoryLimit, value * (1 + 0.004 * (jitter - 0.5))));
}

// ---- generation ----------------------------------------------------------------------------------------------

export interface MetricSource {
  readonly service: ServiceRecord;
  /** What is known by now: a run that ended (an out-of-memory kill) after the window shapes the samples before its end. */
  readonly asOf: number;
  /** The instance family of the service's compute pool (node capacity, GPU memory). */
  readonly family: InstanceFamily | undefined;
}

/** The instance family a service's pool runs on, for `MetricSource`. */
export function familyOf(instanceFamily: string | undefined): InstanceFamily | undefined {
  return instanceFamily === undefined ? undefined : findInstanceFamily(instanceFamily);
}

function firstSample(from: number): number {
  return Math.ceil(from / Timing.metricIntervalMs) * Timing.metricIntervalMs;
}

/**
 * Calls `emit` for every sample in [from, until] that the filter keeps, series by series (not in
 * time order). The point object is reused between calls: copy it to keep it.
 */
export function platformMetrics(source: MetricSource, from: number, until: number, filter: MetricFilter, emit: (point: MetricPoint) => void): void {
  const { service } = source;
  const wanted = (name: string): boolean => filter.metrics === undefined || filter.metrics.has(name);
  const lives = containerLives(service, from, Math.max(until, source.asOf)).filter((life) => (life.version.spec.metricGroups?.length ?? 0) > 0 && (filter.instances === undefined || filter.instances.has(life.instance)));
  const load = loadCurve(hash32(service.seed, 'load'), from, until);
  const instancesDone = new Set<string>();
  for (const life of lives) {
    const groups = new Set(life.version.spec.metricGroups);
    const containerWanted = filter.containers === undefined || filter.containers.has(life.spec.name);
    if (containerWanted) {
      if (groups.has('system') || groups.has('system_limits')) containerResources(source, life, groups, load, from, until, wanted, emit);
      if (groups.has('status')) containerStatus(life, from, until, wanted, emit);
      if (groups.has('network')) ingress(source, life, load, from, until, wanted, emit);
    }
    // Instance-level metrics once per instance generation (they have no container name).
    const instanceKey = `${life.instance}|${life.start}`;
    if (filter.containers === undefined && !instancesDone.has(instanceKey) && (groups.has('network') || groups.has('storage'))) {
      instancesDone.add(instanceKey);
      const siblings = lives.filter((other) => other.instance === life.instance && other.start === life.start);
      if (groups.has('network')) egress(source, siblings, from, until, wanted, emit);
      if (groups.has('storage')) volumes(source, life, siblings, load, from, until, wanted, emit);
    }
  }
}

function runWindows(life: ContainerLife, from: number, until: number): { run: RunInfo; first: number; last: number }[] {
  return life.runs
    .map((run) => ({ run, first: firstSample(Math.max(from, run.start)), last: Math.min(until, (run.end ?? Number.POSITIVE_INFINITY) - 1) }))
    .filter((window) => window.first <= window.last);
}

type Emit = (point: MetricPoint) => void;
type Wanted = (name: string) => boolean;
type Out = (at: number, definition: MetricDefinition, value: number, attributes?: Readonly<Record<string, string>> | null) => void;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Writes points into one reused object: a day of samples allocates nothing per point. `emit`
 * receives that object; a caller that keeps a point copies it.
 */
function emitter(emit: Emit, instance: number, container: string | null, defaults: Readonly<Record<string, string>> | null): Out {
  const point: Mutable<MetricPoint> = { at: 0, metric: metricCatalogue[0] as MetricDefinition, value: 0, instance, container, attributes: defaults };
  return (at, definition, value, attributes = defaults) => {
    point.at = at;
    point.metric = definition;
    point.value = value;
    point.attributes = attributes;
    emit(point);
  };
}

/**
 * cpu, memory and GPU usage, limits and requests: series by series (each series' samples in time
 * order), so that consecutive points usually fall in the same group of a GROUP BY.
 */
function containerResources(source: MetricSource, life: ContainerLife, groups: ReadonlySet<string>, load: LoadCurve, from: number, until: number, wanted: Wanted, emit: Emit): void {
  const shape = shapeOf(life.spec, life.job);
  const limits = limitsOf(life.spec, source.family);
  const seed = hash32(source.service.seed, life.instance, life.spec.name, 'resources');
  const out = emitter(emit, life.instance, life.spec.name, null);
  const step = Timing.metricIntervalMs;
  const windows = runWindows(life, from, until);
  /** One series: `value(at, run, runIndex)` for every sample of every run in the window. */
  const series = (definition: MetricDefinition, value: (at: number, run: RunInfo, runIndex: number) => number, attributes: Readonly<Record<string, string>> | null = null): void => {
    if (!wanted(definition.name)) return;
    for (const { run, first, last } of windows) {
      const runIndex = life.runs.indexOf(run);
      for (let at = first; at <= last; at += step) out(at, definition, value(at, run, runIndex), attributes);
    }
  };
  const serving = (at: number, run: RunInfo): boolean => at >= (life.readyAt ?? run.start) || run.index > 0;
  if (groups.has('system')) {
    series(metric('container.cpu.usage'), (at, run) => {
      const busy = serving(at, run) ? shape.cpu[0] + shape.cpu[1] * load.at(at) : shape.cpu[0] * 1.5;
      return Math.min(limits.cpuLimit, busy * (0.9 + 0.2 * noise(seed, at / step)));
    });
    const leaks = life.runs.map((_, index) => leakOf(life.runs, index));
    series(metric('container.memory.usage'), (at, run, runIndex) => memoryAt(shape, limits, run, leaks[runIndex], at, load.at(at), noise(seed + 1, at / step)));
    for (let gpu = 0; gpu < limits.gpus; gpu++) {
      const attributes = { gpu: String(gpu) };
      series(
        metric('container.gpu.utilization'),
        (at, run) => {
          const busy = serving(at, run) ? shape.gpu[0] + shape.gpu[1] * load.at(at) + 0.03 * (gpu % 2) : 0.01;
          return Math.min(1, Math.max(0, busy + 0.08 * (noise(seed + 10 + gpu, at / step) - 0.5)));
        },
        attributes,
      );
      series(
        metric('container.gpu.memory.usage'),
        (at, run) => {
          // The model's weights and KV cache are allocated in the first seconds after the start.
          const loaded = Math.min(1, (at - run.start) / 14_000);
          return Math.round(Math.max(0, shape.gpuMemory * loaded + 0.004 * (noise(seed + 20 + gpu, at / step) - 0.5)) * limits.gpuMemoryCapacity);
        },
        attributes,
      );
    }
  }
  if (groups.has('system_limits')) {
    series(metric('container.cpu.limit'), () => limits.cpuLimit);
    if (limits.gpuLimit !== undefined) series(metric('container.gpu.limit'), () => limits.gpuLimit as number);
    series(metric('container.memory.limit'), () => limits.memoryLimit);
    series(metric('container.cpu.requested'), () => limits.cpuRequested);
    if (limits.gpuRequested !== undefined) series(metric('container.gpu.requested'), () => limits.gpuRequested as number);
    series(metric('container.memory.requested'), () => limits.memoryRequested);
    for (let gpu = 0; gpu < limits.gpus; gpu++) series(metric('container.gpu.memory.capacity'), () => limits.gpuMemoryCapacity, { gpu: String(gpu) });
  }
}

/** The documented `reason` of the last finished run. */
function finishedReason(run: RunInfo): string {
  if (run.exitCode === 137) return 'FailedWithOOM';
  return run.exitCode === 0 ? 'Done' : 'Failed';
}

/** Status metrics: emitted while the container exists, and for a minute after a job container finished. */
/** The `reason` attributes, shared (every sample of a reason carries the same, immutable object). */
const reasons: Readonly<Record<string, Readonly<Record<string, string>>>> = Object.fromEntries(
  ['Done', 'Failed', 'FailedWithOOM', 'FailedToStart', 'Creating', 'Initializing', 'FailedToPullImage', 'ServiceSpecError'].map((reason) => [reason, Object.freeze({ reason })]),
);

function containerStatus(life: ContainerLife, from: number, until: number, wanted: Wanted, emit: Emit): void {
  const out = emitter(emit, life.instance, life.spec.name, null);
  const step = Timing.metricIntervalMs;
  const finishedFor = life.job ? 60_000 : 0;
  const first = firstSample(Math.max(from, life.start));
  const last = Math.min(until, (life.end ?? Number.POSITIVE_INFINITY) + finishedFor - 1);
  const count = Math.max(0, Math.floor((last - first) / step) + 1);
  const pendingReason = life.image?.problem === 'missing' ? 'FailedToPullImage' : life.image?.problem === 'invalid-format' ? 'ServiceSpecError' : undefined;
  const { runs } = life;
  // The state at every sample, worked out in one pass; each metric then comes out whole and in time order.
  const restarts = new Int32Array(count);
  const lastFinished = new Int32Array(count).fill(-1);
  const flags = new Uint8Array(count);
  const FINISHED = 1;
  const RUNNING = 2;
  const PENDING = 4;
  let ended = 0;
  let crashes = 0;
  for (let index = 0; index < count; index++) {
    const at = first + index * step;
    for (let run = runs[ended]; run?.end !== undefined && run.end <= at; run = runs[ended]) {
      if (run.endReason === 'crash') crashes++;
      ended++;
    }
    const current = runs[ended];
    const finished = life.end !== undefined && at >= life.end;
    const running = current !== undefined && at >= current.start && !finished;
    const pending = !finished && (!running || (!life.job && life.readyAt !== undefined && at < life.readyAt));
    restarts[index] = crashes;
    lastFinished[index] = ended - 1;
    flags[index] = (finished ? FINISHED : 0) | (running ? RUNNING : 0) | (pending ? PENDING : 0);
  }
  const series = (name: string, when: (index: number) => boolean, value: (index: number) => number, attributes: (index: number) => Readonly<Record<string, string>> | null = () => null): void => {
    if (!wanted(name)) return;
    const definition = metric(name);
    for (let index = 0; index < count; index++) {
      if (when(index)) out(first + index * step, definition, value(index), attributes(index));
    }
  };
  const has = (flag: number) => (index: number): boolean => ((flags[index] ?? 0) & flag) !== 0;
  const finishedRun = (index: number): RunInfo | undefined => runs[lastFinished[index] ?? -1];
  const one = (): number => 1;
  series('container.restarts', () => true, (index) => restarts[index] ?? 0);
  series('container.state.last.finished.reason', (index) => finishedRun(index) !== undefined, one, (index) => reasons[finishedReason(finishedRun(index) as RunInfo)] ?? null);
  series('container.state.last.finished.exitcode', (index) => finishedRun(index) !== undefined, (index) => finishedRun(index)?.exitCode ?? 0);
  const isPending = has(PENDING);
  const isRunning = has(RUNNING);
  series('container.state.finished', has(FINISHED), one);
  series('container.state.pending', isPending, one);
  series('container.state.pending.reason', isPending, one, (index) => {
    const at = first + index * step;
    return reasons[pendingReason ?? (life.processStart === undefined || at < life.processStart ? 'Creating' : 'Initializing')] ?? null;
  });
  series('container.state.running', isRunning, one);
  series('container.state.started', (index) => isRunning(index) && !isPending(index), one);
}

/** The container an endpoint reaches: the one whose readiness probe or software listens on its port, else the first. */
function endpointsOf(life: ContainerLife): string[] {
  const containers = life.version.spec.containers;
  const owner = (port: number | undefined): ContainerSpec | undefined =>
    containers.find((container) => container.readinessProbe?.port === port) ??
    containers.find((container) => shapeOf(container, life.job).defaultPort === port) ??
    containers[0];
  return life.version.spec.endpoints.filter((endpoint) => owner(endpoint.port)?.name === life.spec.name).map((endpoint) => endpoint.name);
}

function ingress(source: MetricSource, life: ContainerLife, load: LoadCurve, from: number, until: number, wanted: Wanted, emit: Emit): void {
  const endpoints = endpointsOf(life);
  if (endpoints.length === 0) return;
  const shape = shapeOf(life.spec, life.job);
  const step = Timing.metricIntervalMs;
  for (const endpoint of endpoints) {
    const seed = hash32(source.service.seed, life.instance, life.spec.name, endpoint);
    // The docs list `snow.endpoint.name` as a resource attribute; SPCS_GET_METRICS has no column for those.
    const out = emitter(emit, life.instance, life.spec.name, { 'snow.endpoint.name': endpoint });
    for (const { first, last } of runWindows(life, from, until)) {
      for (let at = Math.max(first, firstSample(life.readyAt ?? first)); at <= last; at += step) {
        const k = at / step;
        const level = load.at(at);
        if (wanted('network.ingress.cps')) out(at, metric('network.ingress.cps'), shape.ingress[0] * level * (0.8 + 0.4 * noise(seed, k)));
        if (wanted('network.ingress.connections.active')) out(at, metric('network.ingress.connections.active'), Math.round(shape.ingress[1] * level * (0.7 + 0.6 * noise(seed + 1, k))));
      }
    }
  }
}

/** When the instance generation's first process started and when it stopped (the instance is up in between). */
function upWindow(siblings: readonly ContainerLife[]): { start: number; end: number } | undefined {
  const starts = siblings.map((life) => life.processStart).filter((at): at is number => at !== undefined);
  if (starts.length === 0) return undefined;
  const ends = siblings.map((life) => life.end ?? Number.POSITIVE_INFINITY);
  return { start: Math.min(...starts), end: Math.max(...ends) };
}

function egress(source: MetricSource, siblings: readonly ContainerLife[], from: number, until: number, wanted: Wanted, emit: Emit): void {
  const up = upWindow(siblings);
  const first = siblings[0];
  if (!up || !first) return;
  const allowed = source.service.externalAccessIntegrations.length > 0;
  const seed = hash32(source.service.seed, first.instance, 'egress');
  // Bytes per load-hour out to the internet (model downloads, API calls) when an integration allows it.
  const receivedRate = allowed ? 1.8e9 * (0.5 + noise(seed, 1)) : 0;
  const transmittedRate = allowed ? 0.12 * receivedRate : 0;
  const deniedPerHour = allowed ? 0 : 3 + Math.floor(8 * noise(seed, 2));
  const out = emitter(emit, first.instance, null, null);
  const step = Timing.metricIntervalMs;
  const origin = diurnalIntegral(up.start) * 0.78 + (0.12 * up.start) / hour;
  for (let at = firstSample(Math.max(from, up.start)); at <= Math.min(until, up.end - 1); at += step) {
    const traffic = diurnalIntegral(at) * 0.78 + (0.12 * at) / hour - origin;
    const received = Math.round(receivedRate * traffic);
    const transmitted = Math.round(transmittedRate * traffic);
    if (wanted('network.egress.denied.packets')) out(at, metric('network.egress.denied.packets'), Math.floor((deniedPerHour * (at - up.start)) / hour));
    if (wanted('network.egress.received.bytes')) out(at, metric('network.egress.received.bytes'), received);
    if (wanted('network.egress.received.packets')) out(at, metric('network.egress.received.packets'), Math.round(received / 1400));
    if (wanted('network.egress.transmitted.bytes')) out(at, metric('network.egress.transmitted.bytes'), transmitted);
    if (wanted('network.egress.transmitted.packets')) out(at, metric('network.egress.transmitted.packets'), Math.round(transmitted / 900));
  }
}

function volumes(source: MetricSource, life: ContainerLife, siblings: readonly ContainerLife[], load: LoadCurve, from: number, until: number, wanted: Wanted, emit: Emit): void {
  const up = upWindow(siblings);
  if (!up) return;
  const step = Timing.metricIntervalMs;
  for (const volume of life.version.spec.volumes) {
    if (volume.source !== 'block') continue;
    const capacity = volume.sizeBytes ?? 20 * GiB;
    const seed = hash32(source.service.seed, life.instance, volume.name);
    const attributes = {
      snow_volume_id: `${hash32(source.service.seed, volume.name).toString(16)}`,
      snow_volume_name: volume.name,
      snow_volume_replica: String(life.instance),
      volume_type: 'block',
    };
    const out = emitter(emit, life.instance, null, attributes);
    // Data already on the volume, growing by about a gigabyte a day.
    const initial = (0.04 + 0.06 * noise(seed, 0)) * capacity;
    for (let at = firstSample(Math.max(from, up.start)); at <= Math.min(until, up.end - 1); at += step) {
      const k = at / step;
      const level = load.at(at);
      if (wanted('volume.capacity')) out(at, metric('volume.capacity'), capacity);
      if (wanted('volume.io.inflight')) out(at, metric('volume.io.inflight'), Math.round(4 * level * noise(seed, k)));
      if (wanted('volume.read.throughput')) out(at, metric('volume.read.throughput'), 12e6 * level * (0.7 + 0.6 * noise(seed + 1, k)));
      if (wanted('volume.read.iops')) out(at, metric('volume.read.iops'), 900 * level * (0.7 + 0.6 * noise(seed + 2, k)));
      if (wanted('volume.usage')) out(at, metric('volume.usage'), Math.round(Math.min(0.9 * capacity, initial + (1.1 * GiB * (at - up.start)) / (24 * hour))));
      if (wanted('volume.write.throughput')) out(at, metric('volume.write.throughput'), 5e6 * level * (0.7 + 0.6 * noise(seed + 3, k)));
      if (wanted('volume.write.iops')) out(at, metric('volume.write.iops'), 400 * level * (0.7 + 0.6 * noise(seed + 4, k)));
    }
  }
}
