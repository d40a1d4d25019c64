/**
 * Per-service limits (S17): at most 20 containers, 100 endpoints, 20 volumes, 3 block volumes and
 * 50 secrets (all containers together).
 *
 * Each diagnostic goes on the first item over the limit, so the user sees where the list stops
 * being acceptable. Documents with Jinja statements are skipped: a loop or condition makes the
 * number of items in the text unrelated to the number in the rendered spec.
 */

import { itemRange } from '../specDocument';
import type { Rule, RuleContext } from './ruleApi';
import { hasControlStatements, mapItemsOf, valueOf } from './ruleHelpers';
import { volumeKind } from './volumes';

const limits = {
  containers: 20,
  endpoints: 100,
  volumes: 20,
  blockVolumes: 3,
  secrets: 50,
} as const;

export const limitsRule: Rule = {
  name: 'limits',
  check(ctx) {
    const { doc } = ctx;
    if (hasControlStatements(doc)) {
      return;
    }
    const { containers, endpoints, volumes } = doc.lists;
    overLimit(ctx, containers.map((item) => item.node), limits.containers, 'containers', 'Split the work into several services, or merge containers.');
    overLimit(ctx, endpoints.map((item) => item.node), limits.endpoints, 'endpoints', "Use a 'portRange' endpoint or fewer endpoints.");
    overLimit(ctx, volumes.map((item) => item.node), limits.volumes, 'volumes', 'Remove volumes or share one volume between containers.');
    const block = volumes.filter((item) => volumeKind(doc, item.node) === 'block').map((item) => item.node);
    overLimit(ctx, block, limits.blockVolumes, 'block volumes', 'Use fewer, larger block volumes.');
    const secrets = containers.flatMap((container) => mapItemsOf(valueOf(container.node, 'secrets')));
    overLimit(ctx, secrets, limits.secrets, 'secrets (all containers together)', "Use 'directoryPath' to mount several keys of one secret, or fewer secrets.");
  },
};

function overLimit(ctx: RuleContext, items: readonly Parameters<typeof itemRange>[1][], limit: number, what: string, advice: string): void {
  const first = items[limit];
  if (!first) {
    return;
  }
  ctx.report({
    code: 'spcs/limit-exceeded',
    at: itemRange(ctx.doc, first) ?? first,
    message: `This service has ${items.length} ${what}; Snowflake allows at most ${limit} per service. ${advice}`,
  });
}
