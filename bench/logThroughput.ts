/**
 * Log-follow throughput: how many lines per second `LogFollower` parses, dedupes, merges, tags and
 * hands to its sink, and the longest time it keeps the event loop to itself while doing so. Targets:
 * 10,000 lines/s, merged and shown, without blocking the extension host: no event-loop block longer
 * than 50 ms (a "long task"). The follower works in slices of about 5 ms, so the longest block is one
 * slice plus whatever the machine adds (the first, cold slice, a garbage collection, another process
 * on the same core); Node's own event-loop delay monitor (`monitorEventLoopDelay`) is reported next to
 * it (p99 and max). Measured cold, as a first follow is.
 *
 * The workload: 8 containers (2 instances × 4 containers) writing 200,000 lines in total, with
 * interleaved timestamps so the merge does real work, and realistic lines (access logs, JSON
 * records, Python logging; 60–200 characters). The query function plays SYSTEM$GET_SERVICE_LOGS:
 * a tail first, then responses of ~100 KB that start with the line at the `since` cursor, as the
 * real function does. Responses are built before the clock starts, so the figure is the
 * follower's own cost. The sink does what an output channel append costs here: joins the lines.
 *
 * Standalone: `node --import tsx bench/logThroughput.ts` prints the figures as JSON.
 */

import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { watchEventLoop } from './stats';
import { LogFollower, type ContainerTarget, type LogQueryFn } from '../client/src/logs/logFollower';
import { timestampFromNanos } from '../client/src/logs/logLines';
import { fail, ok } from '../client/src/snowflake/result';
import { snowflakeError } from '../client/src/snowflake/errors';

export interface LogThroughput {
  readonly linesPerSecond: number;
  readonly lines: number;
  readonly maxBlockMs: number;
  /**
   * The event loop's delay as Node's own monitor sees it while following (`monitorEventLoopDelay`,
   * 1 ms resolution): how late a timer fires, i.e. how long a keystroke or a tree refresh would wait.
   */
  readonly eventLoopDelayP99Ms: number;
  readonly eventLoopDelayMaxMs: number;
}

/** Lines merged and shown per second that following must sustain. */
export const logThroughputTargetLinesPerSecond = 10_000;
/**
 * The longest the follower may hold the event loop: 50 ms is the "long task" threshold of web
 * performance work (a keystroke answered later than that feels sluggish).
 */
export const logMaxBlockTargetMs = 50;

const instances = ['0', '1'];
const containers = ['api', 'worker', 'proxy', 'sidecar'];
const totalLines = 200_000;
const tailLines = 1000;
/** Lines per `since` response: about 100 KB at these line lengths, like the real cap. */
const linesPerResponse = 800;

/** A small deterministic generator, so every run measures the same text. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

function lineText(next: () => number, index: number): string {
  const kind = Math.floor(next() * 4);
  const id = Math.floor(next() * 1_000_000);
  switch (kind) {
    case 0:
      return `INFO:     10.244.${Math.floor(next() * 255)}.${Math.floor(next() * 255)}:${40000 + (id % 20000)} - "GET /api/v1/orders/${id}?include=items,customer HTTP/1.1" 200 OK`;
    case 1:
      return `{"level":"info","logger":"worker.batch","msg":"processed batch","batch":${index},"rows":${id},"duration_ms":${(next() * 900).toFixed(2)},"trace_id":"${id.toString(16).padStart(8, '0')}a1b2c3d4e5f6"}`;
    case 2:
      return `2026-01-01 12:00:${String(index % 60).padStart(2, '0')},${String(id % 1000).padStart(3, '0')} WARNING client.py:88 retrying request to https://partner.example.com/v2/items/${id} (attempt ${1 + (id % 3)}): read timeout`;
    default:
      return `[proxy] upstream=127.0.0.1:8000 status=200 bytes=${id % 65536} rt=${(next() * 0.3).toFixed(3)}`;
  }
}

interface ContainerLog {
  readonly target: ContainerTarget;
  /** Responses keyed by the `since` they answer ('' for the first, tail call). */
  readonly responses: Map<string, string>;
}

function buildWorkload(): ContainerLog[] {
  const sources = instances.flatMap((instance) => containers.map((container) => ({ service: 'BENCH_SERVICE', instance, container })));
  const perSource = Math.floor(totalLines / sources.length);
  const base = BigInt(Date.UTC(2026, 0, 1, 12)) * 1_000_000n;
  return sources.map((target, sourceIndex) => {
    const next = random(sourceIndex + 1);
    const lines: string[] = [];
    const stamps: string[] = [];
    for (let index = 0; index < perSource; index++) {
      // Every source writes a line about every 8 µs, offset so that the sources interleave.
      const nanos = base + BigInt(index) * 8_000n + BigInt(sourceIndex) * 1_000n + BigInt(Math.floor(next() * 900));
      const stamp = timestampFromNanos(nanos);
      stamps.push(stamp);
      lines.push(`${stamp} ${lineText(next, index)}`);
    }
    const responses = new Map<string, string>();
    responses.set('', lines.slice(0, tailLines).join('\n'));
    for (let end = tailLines; end <= perSource; end += linesPerResponse) {
      // The answer to "since the last line shown": that line again, then what came after it.
      responses.set(stamps[end - 1] as string, lines.slice(end - 1, Math.min(perSource, end + linesPerResponse)).join('\n'));
    }
    return { target, responses };
  });
}


export async function measureLogThroughput(): Promise<LogThroughput> {
  const workload = buildWorkload();
  const byKey = new Map(workload.map((log) => [`${log.target.instance}/${log.target.container}`, log]));
  const expected = workload.length * Math.floor(totalLines / workload.length);
  const query: LogQueryFn = (target, since) => {
    const response = byKey.get(`${target.instance}/${target.container}`)?.responses.get(since ?? '');
    // Past the end of the prepared log: the container is idle, only the cursor line comes back.
    return Promise.resolve(response === undefined ? (since === undefined ? fail(snowflakeError('internal', 'unknown source')) : ok('')) : ok(response));
  };
  let shown = 0;
  let characters = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const follower = new LogFollower({
    query,
    listContainers: () => Promise.resolve(ok(workload.map((log) => log.target))),
    target: { service: 'BENCH_SERVICE' },
    tailLines,
    includeTimestamps: false,
    interval: { minMs: 0, maxMs: 0 },
    concurrency: 8,
    scheduler: { setTimeout: (callback) => setImmediate(callback), clearTimeout: (handle) => clearImmediate(handle as NodeJS.Immediate) },
    sink: (lines) => {
      // What an output channel append costs on this side: one string per slice.
      characters += lines.map((line) => line.display).join('\n').length;
      shown += lines.reduce((count, line) => count + (line.kind === 'log' ? 1 : 0), 0);
      if (shown >= expected) done();
    },
  });
  const monitor = watchEventLoop();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  follower.start();
  await finished;
  const elapsed = performance.now() - started;
  const maxBlockMs = monitor.stop();
  delay.disable();
  await follower.stop();
  if (characters === 0) throw new Error('the sink received no text');
  return {
    linesPerSecond: Math.round((shown / elapsed) * 1000),
    lines: shown,
    maxBlockMs: Number(maxBlockMs.toFixed(2)),
    eventLoopDelayP99Ms: Number((delay.percentile(99) / 1e6).toFixed(2)),
    eventLoopDelayMaxMs: Number((delay.max / 1e6).toFixed(2)),
  };
}

if (require.main === module) {
  measureLogThroughput().then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
