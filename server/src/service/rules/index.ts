/**
 * The registry of semantic rules, in the order they run. Each module implements one area of the
 * reference catalogue (`../shared/reference/spcs.md` §2.1) and names its rule ids in its header.
 */

import { endpointsRule } from './endpoints';
import { imagesRule } from './images';
import { limitsRule } from './limits';
import { monitoringRule } from './monitoring';
import { namesRule } from './names';
import { probesRule } from './probes';
import { resourcesRule } from './resources';
import type { Rule } from './ruleApi';
import { secretsRule } from './secrets';
import { serviceRolesRule } from './serviceRoles';
import { sessionTokenRule } from './sessionToken';
import { stageV1Rule } from './stageV1';
import { volumesRule } from './volumes';

export const allRules: readonly Rule[] = [
  namesRule,
  volumesRule,
  stageV1Rule,
  limitsRule,
  endpointsRule,
  probesRule,
  resourcesRule,
  secretsRule,
  sessionTokenRule,
  serviceRolesRule,
  monitoringRule,
  imagesRule,
];
