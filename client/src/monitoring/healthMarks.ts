/**
 * Health on the Services tree: a decorator (model/decorations.ts) that adds to each listed running
 * service, and to the instances listed under one, a short summary of its newest platform metrics
 * ("GPU 87 % · mem 71 %") and a warning when memory stays near its limit or a container restarted in
 * the last hour (the rule and its words are `healthSummary.ts`).
 *
 * It never holds the tree up: a level is shown at once with the health last read (if any), and the
 * health of what is older than `freshMs` is read in the background; when it differs from what the
 * tree shows, `onChanged` asks the views to list that level again, which then finds it fresh. The tree
 * lists only what is shown and refreshes only while visible, so health costs nothing while the
 * Services view is hidden. Bounded: at most `maxServices` services per level, a few at a time, each
 * statement with a short timeout; a read that fails (no MONITOR, say) leaves the node as listed.
 *
 * Owns: the last health read per service and instance (shown until read again; forgotten when not
 * listed for ten times `freshMs`).
 * Must not: import `vscode`, prompt.
 */

import type { ChildrenDecorator } from '../model/decorations';
import type { AccountNode, InstanceNode, NodeHealth, ServiceNode, ServiceRef } from '../model/nodes';
import type { Health } from './healthSummary';
import { readHealth, readInstanceHealth, type Sessions } from './telemetryReads';

export interface HealthMarkDeps {
  readonly sessions: Sessions;
  /** Whether the tree shows health (`spcs.monitoring.treeHealth`). */
  readonly enabled: () => boolean;
  readonly timeoutMs: () => number;
  /** Health read in the background differs from what the tree shows: list `service`'s schema (and what is expanded below it) again. */
  readonly onChanged: (service: ServiceRef) => void;
  /** Runs the reads without prompting for secrets (the tree loads in the background). */
  readonly quietly?: <T>(work: () => Promise<T>) => Promise<T>;
  readonly now?: () => number;
  /** How long a read health is shown without reading it again (default 25 s: the views refresh every 30 s). */
  readonly freshMs?: number;
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

interface Known {
  readonly health: NodeHealth | undefined;
  readonly at: number;
}

export function healthDecorator(deps: HealthMarkDeps): ChildrenDecorator {
  const known = new Map<string, Known>();
  const reading = new Set<string>();
  const now = () => (deps.now ?? Date.now)();
  const freshMs = deps.freshMs ?? 25_000;
  const run = deps.quietly ?? (<T>(work: () => Promise<T>) => work());
  // Health must not hold a connection's statements up for long either.
  const options = () => ({ timeoutMs: Math.min(deps.timeoutMs(), 10_000), ...(deps.now ? { now: deps.now() } : {}) });

  const same = (a: NodeHealth | undefined, b: NodeHealth | undefined) => a?.summary === b?.summary && a?.warning === b?.warning;
  const isFresh = (key: string) => {
    const entry = known.get(key);
    return entry !== undefined && now() - entry.at < freshMs;
  };
  /** Remembers what was read; whether it differs from what the tree was shown. */
  const remember = (key: string, health: NodeHealth | undefined): boolean => {
    const changed = !same(known.get(key)?.health, health);
    known.set(key, { health, at: now() });
    return changed;
  };

  const readServices = async (services: readonly ServiceNode[]): Promise<void> => {
    let next = 0;
    let changed: ServiceNode | undefined;
    const worker = async (): Promise<void> => {
      while (next < services.length) {
        const node = services[next++];
        if (node === undefined) return;
        const key = serviceKey(node);
        const read = await readHealth(deps.sessions, { connection: node.connection, service: { database: node.database, schema: node.schema, name: node.name } }, options());
        // A failed read shows nothing rather than stale health, and is not retried before `freshMs`.
        if (remember(key, read.ok ? nodeHealthOf(read.value) : undefined)) changed ??= node;
        reading.delete(key);
      }
    };
    await run(() => Promise.all(Array.from({ length: Math.min(parallel, services.length) }, worker)));
    if (changed) deps.onChanged(changed);
  };

  const readInstances = async (service: ServiceNode, instances: readonly InstanceNode[]): Promise<void> => {
    const key = `${serviceKey(service)}\u0000instances`;
    const read = await run(() =>
      readInstanceHealth(deps.sessions, { connection: service.connection, service: { database: service.database, schema: service.schema, name: service.name } }, instances.map((node) => node.instanceId), options()),
    );
    let changed = false;
    for (const node of instances) {
      const found = read.ok ? read.value.get(node.instanceId) : undefined;
      if (remember(instanceKey(node), found ? nodeHealthOf(found) : undefined)) changed = true;
    }
    reading.delete(key);
    if (changed) deps.onChanged(service);
  };

  /** The children with the health last read (a service that stopped running shows none). */
  const withKnown = (children: readonly AccountNode[], parentRuns: boolean): readonly AccountNode[] =>
    children.map((node) => {
      if (node.kind === 'service' && isMeasurable(node)) {
        const health = known.get(serviceKey(node))?.health;
        return health === undefined ? node : { ...node, health };
      }
      if (node.kind === 'instance' && parentRuns) {
        const health = known.get(instanceKey(node))?.health;
        return health === undefined ? node : { ...node, health };
      }
      return node;
    });

  return (parent, children) => {
    if (!deps.enabled()) return Promise.resolve(children);
    for (const [key, entry] of known) if (now() - entry.at > 10 * freshMs && !reading.has(key)) known.delete(key);
    if (parent?.kind === 'service' && children.some((node) => node.kind === 'instance')) {
      const instances = children.filter((node): node is InstanceNode => node.kind === 'instance');
      const key = `${serviceKey(parent)}\u0000instances`;
      if (isMeasurable(parent) && !reading.has(key) && !instances.every((node) => isFresh(instanceKey(node)))) {
        reading.add(key);
        void readInstances(parent, instances).catch(() => reading.delete(key));
      }
      return Promise.resolve(withKnown(children, isMeasurable(parent)));
    }
    const stale = children
      .filter((node): node is ServiceNode => node.kind === 'service' && isMeasurable(node))
      .slice(0, maxServices)
      .filter((node) => !isFresh(serviceKey(node)) && !reading.has(serviceKey(node)));
    if (stale.length > 0) {
      for (const node of stale) reading.add(serviceKey(node));
      void readServices(stale).catch(() => stale.forEach((node) => reading.delete(serviceKey(node))));
    }
    return Promise.resolve(withKnown(children, false));
  };
}

function isMeasurable(node: ServiceNode): boolean {
  return runningStatuses.has(node.status.toUpperCase());
}

function serviceKey(service: ServiceRef): string {
  return JSON.stringify([service.connection, service.database, service.schema, service.name]);
}

function instanceKey(node: InstanceNode): string {
  return JSON.stringify([node.connection, node.database, node.schema, node.name, node.instanceId]);
}
