/**
 * What the trees receive from the rooms to show on their nodes, without knowing the rooms: a room
 * hands a decorator to `features.ts`, which gives it to the views (e.g. the drift marks of the
 * Services tree, `drift/driftCommands.ts`).
 *
 * Contract only; no logic.
 */

import type { AccountNode } from './nodes';

/**
 * Adds facts to freshly listed children before the tree shows them. Must be bounded in time and
 * never throw; a failing decorator leaves the children as listed.
 */
export type ChildrenDecorator = (parent: AccountNode | undefined, children: readonly AccountNode[], signal: AbortSignal) => Promise<readonly AccountNode[]>;
