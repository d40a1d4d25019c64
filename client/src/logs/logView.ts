/**
 * How followed and fetched logs are presented, without the editor: the name of each output channel,
 * the key that makes a second follow of the same target reuse the first, the text appended per
 * batch (one joined string, never a call per line), the status notices written into the channel,
 * a bounded in-memory copy of what a channel shows (for tests and for the `lines()` of a follow
 * handle), and the one-shot "recent logs" of a service, instance or container.
 *
 * Pure of `vscode`: `logChannels.ts` owns the channels themselves.
 * Must not: poll, retry or dedupe (`logFollower.ts` does).
 */

import { ok, type Result } from '../snowflake/result';
import type { QualifiedName } from '../snowflake/sql';
import { describeStatus, type ContainerListFn, type ContainerTarget, type FollowStatus, type FollowTarget, type LogQueryFn } from './logFollower';
import { compareTimestamps, formatLine, formatNotice, LogTextReader, scopeOf, sourceTag, type LogLine } from './logLines';

/** A log target on a connection: a whole service, one instance (`instanceId`) or one container (both). */
export interface LogTarget {
  readonly connection: string;
  readonly database: string;
  readonly schema: string;
  readonly name: string;
  readonly instanceId?: string;
  readonly container?: string;
}

export type LogViewMode = 'follow' | 'recent' | 'previous';

/** The target as a node or reference of model/nodes.ts gives it (service, instance or container). */
export function logTargetOf(value: unknown): LogTarget | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const kind = record.kind;
  if (kind !== undefined && kind !== 'service' && kind !== 'instance' && kind !== 'container') return undefined;
  const { connection, database, schema, name, instanceId, container } = record;
  if (typeof connection !== 'string' || typeof database !== 'string' || typeof schema !== 'string' || typeof name !== 'string') return undefined;
  const instance = typeof instanceId === 'string' ? instanceId : typeof instanceId === 'number' ? String(instanceId) : undefined;
  if (kind === 'service') return { connection, database, schema, name };
  if (instance === undefined) return kind === 'instance' || kind === 'container' ? undefined : { connection, database, schema, name };
  if (kind === 'instance' || typeof container !== 'string') return { connection, database, schema, name, instanceId: instance };
  return { connection, database, schema, name, instanceId: instance, container };
}

export function followTargetOf(target: LogTarget): FollowTarget {
  const service: QualifiedName = { database: target.database, schema: target.schema, name: target.name };
  if (target.instanceId === undefined) return { service };
  return target.container === undefined ? { service, instance: target.instanceId } : { service, instance: target.instanceId, container: target.container };
}

/** `ECHO_SERVICE`, `ECHO_SERVICE/0`, `ECHO_SERVICE/0/echo`. */
export function targetLabel(target: LogTarget): string {
  return [target.name, target.instanceId, target.container].filter((part): part is string => part !== undefined).join('/');
}

/**
 * `SPCS Logs: ECHO_SERVICE/0/echo`; one-shot views add `(recent)` or `(previous run)`. The database
 * and schema are added only when asked to tell two targets of the same name apart.
 */
export function channelName(target: LogTarget, mode: LogViewMode, qualify = false): string {
  const where = qualify ? ` [${target.database}.${target.schema} on ${target.connection}]` : '';
  const suffix = mode === 'recent' ? ' (recent)' : mode === 'previous' ? ' (previous run)' : '';
  return `SPCS Logs: ${targetLabel(target)}${suffix}${where}`;
}

/** Identifies a target on a connection (two follows of one target share one channel). */
export function targetKey(target: LogTarget, mode: LogViewMode = 'follow'): string {
  return JSON.stringify([mode, target.connection, target.database, target.schema, target.name, target.instanceId ?? null, target.container ?? null]);
}

/** The text to append for a batch: the display of each line, each ended by a newline. */
export function batchText(lines: readonly LogLine[]): string {
  if (lines.length === 0) return '';
  let text = '';
  for (const line of lines) text += `${line.display}\n`;
  return text;
}

/**
 * The notice text (see `viewNotice`) for a follow status, or `undefined` for statuses that are not worth a line
 * (every idle round, every round with lines). Retrying, resuming after a retry and stopping are said.
 */
export function statusNotice(status: FollowStatus, previous: FollowStatus | undefined, at: Date): string | undefined {
  const stamp = at.toISOString().slice(11, 19);
  switch (status.state) {
    case 'retrying':
      return `${stamp} Paused: ${describeStatus(status)}`;
    case 'stopped':
      return `${stamp} ${status.error ? `Stopped: ${status.error.message}` : 'Stopped following.'}`;
    case 'following':
    case 'idle':
      return previous?.state === 'retrying' ? `${stamp} Resumed; no lines were lost.` : undefined;
    case 'starting':
    case 'paused':
      // The follower writes the pause and the resumption into the lines itself.
      return undefined;
  }
}

/** The last `capacity` lines appended, kept cheaply (a ring), readable in order. */
export class LineBuffer {
  private readonly items: LogLine[] = [];
  private start = 0;

  constructor(readonly capacity = 10_000) {}

  push(lines: readonly LogLine[]): void {
    for (const line of lines) {
      if (this.items.length < this.capacity) {
        this.items.push(line);
      } else {
        this.items[this.start] = line;
        this.start = (this.start + 1) % this.capacity;
      }
    }
  }

  /** Oldest first. */
  entries(): LogLine[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }

  get size(): number {
    return this.items.length;
  }

  clear(): void {
    this.items.length = 0;
    this.start = 0;
  }
}

/** A notice line of the view itself (not of a container). */
export function viewNotice(text: string): LogLine {
  return { kind: 'notice', timestamp: '', instance: '', container: '', text, display: formatNotice(text, '') };
}

/**
 * The most recent `numLines` lines of each container the target covers, merged in timestamp order
 * and tagged with their source (as a follow would show them), without following.
 */
export async function fetchRecentLogs(
  source: { readonly query: LogQueryFn; readonly listContainers: ContainerListFn },
  target: FollowTarget,
  options: { readonly numLines: number; readonly includeTimestamps: boolean; readonly signal?: AbortSignal },
): Promise<Result<{ readonly lines: LogLine[]; readonly containers: number }>> {
  const scope = scopeOf(target);
  let containers: ContainerTarget[];
  if (target.instance !== undefined && target.container !== undefined) {
    containers = [{ service: target.service, instance: target.instance, container: target.container }];
  } else {
    const listed = await source.listContainers(target, { signal: options.signal });
    if (!listed.ok) return listed;
    containers = listed.value;
  }
  const numLines = Math.max(1, Math.floor(options.numLines));
  const answers = await Promise.all(containers.map((container) => source.query(container, undefined, numLines, { signal: options.signal }).then((result) => ({ container, result }))));
  const merged: { line: LogLine; order: number }[] = [];
  let order = 0;
  for (const { container, result } of answers) {
    if (!result.ok) return result;
    const tag = sourceTag(scope, container.instance, container.container);
    const reader = new LogTextReader(result.value);
    for (let parsed = reader.next(); parsed !== undefined; parsed = reader.next()) {
      merged.push({
        order: order++,
        line: {
          kind: 'log',
          timestamp: parsed.timestamp,
          instance: container.instance,
          container: container.container,
          text: parsed.text,
          display: formatLine(parsed.text, parsed.timestamp, tag, options.includeTimestamps),
        },
      });
    }
  }
  merged.sort((a, b) => compareTimestamps(a.line.timestamp, b.line.timestamp) || a.order - b.order);
  return ok({ lines: merged.map((each) => each.line), containers: containers.length });
}
