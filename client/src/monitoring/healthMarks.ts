/**
 * Health on the Services tree: a decorator (model/decorations.ts) that adds to each listed running
 * service, and to the instances listed under one, a short summary of its newest platform metrics
 * ("GPU 87 % · mem 71 %") and a warning when memory stays near its limit or a container restarted in
 * the last hour (the rule and its words are `healthSummary.ts`).
 *
 * It runs when the tree lists a level, and the tree lists only what is shown and refreshes only while
 * visible, so health costs nothing while the Services view is hidden. Bounded: at most `maxServices`
 * services per level, a few at a time, each statement with a short timeout; a read that fails leaves
 * the node as listed (no MONITOR, say: the tree must not turn red because health could not be read).
 *
 * Must not: import `vscode`, prompt, cache (every listing reads again).
 */

import type { ChildrenDecorator } from '../model/decorations';
import type { AccountNode, InstanceNode, NodeHealth, ServiceNode } from '../model/nodes';
import type { Health } from './healthSummary';
import { readHealth, readInstanceHealth, type Sessions } from './telemetryReads';

export interface HealthMarkDeps {
  readonly sessions: Sessions;
  /** Whether the tree shows health (`spcs.monitoring.treeHealth`). */
  readonly enabled: () => boolean;
  readonly timeoutMs: () => number;
  /** Runs the reads without prompting for secrets (the tree loads in the background). */
  readonly quietly?: <T>(work: () => Promise<T>) => Promise<T>;
  readonly now?: () => number;
}

/** Services per listed level whose health is read (the rest stay as listed). */
export const maxServices = 12;
const parallel = 3;

/** Statuses of a service that has containers to measure. */
const runningStatuses: ReadonlySet<string> = new Set(['RUNNING', 'READY', 'UPGRADING', 'PENDING']);

export function nodeHealthOf(health: Health): NodeHealth | undefined {
  if (health.summary === undefined && health.warning === undefined) return undefined;
  return { ...(health.summary === undefined ? {} : { summary: health.summary }), ...(health.warning === undefined ? {} : { warning: health.warning }) };
}

export function healthDecorator(deps: HealthMarkDeps): ChildrenDecorator {
  return (parent, children, signal) => {
    if (!deps.enabled()) return Promise.resolve(children);
    const run = deps.quietly ?? (<T>(work: () => Promise<T>) => work());
    if (parent?.kind === 'service' && children.some((node) => node.kind === 'instance')) return run(() => markInstances(deps, parent, children, signal));
    if (children.some((node) => node.kind === 'service' && isMeasurable(node))) return run(() => markServices(deps, children, signal));
    return Promise.resolve(children);
  };
}

function isMeasurable(node: ServiceNode): boolean {
  return runningStatuses.has(node.status.toUpperCase());
}

function options(deps: HealthMarkDeps, signal: AbortSignal) {
  // Health must not hold the tree up for long.
  return { signal, timeoutMs: Math.min(deps.timeoutMs(), 10_000), ...(deps.now ? { now: deps.now() } : {}) };
}

async function markServices(deps: HealthMarkDeps, children: readonly AccountNode[], signal: AbortSignal): Promise<readonly AccountNode[]> {
  const chosen = children.filter((node): node is ServiceNode => node.kind === 'service' && isMeasurable(node)).slice(0, maxServices);
  const marks = new Map<ServiceNode, NodeHealth>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < chosen.length && !signal.aborted) {
      const node = chosen[next++];
      if (node === undefined) return;
      const read = await readHealth(deps.sessions, { connection: node.connection, service: { database: node.database, schema: node.schema, name: node.name } }, options(deps, signal));
      const health = read.ok ? nodeHealthOf(read.value) : undefined;
      if (health) marks.set(node, health);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, chosen.length) }, worker));
  if (marks.size === 0) return children;
  return children.map((node) => {
    const health = node.kind === 'service' ? marks.get(node) : undefined;
    return health === undefined ? node : { ...node, health };
  });
}

async function markInstances(deps: HealthMarkDeps, service: ServiceNode, children: readonly AccountNode[], signal: AbortSignal): Promise<readonly AccountNode[]> {
  if (!isMeasurable(service)) return children;
  const instances = children.filter((node): node is InstanceNode => node.kind === 'instance');
  const read = await readInstanceHealth(
    deps.sessions,
    { connection: service.connection, service: { database: service.database, schema: service.schema, name: service.name } },
    instances.map((node) => node.instanceId),
    options(deps, signal),
  );
  if (!read.ok) return children;
  return children.map((node) => {
    if (node.kind !== 'instance') return node;
    const found = read.value.get(node.instanceId);
    const health = found ? nodeHealthOf(found) : undefined;
    return health === undefined ? node : { ...node, health };
  });
}
