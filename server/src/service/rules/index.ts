/**
 * The registry of semantic rules, in the order they run. Each module implements one area of the
 * reference catalogue (`../shared/reference/spcs.md` §2.1) and names its rule ids in its header.
 */

import type { Rule } from './ruleApi';

export const allRules: readonly Rule[] = [];
