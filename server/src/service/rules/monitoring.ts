/**
 * Platform metrics and autoscaling policies.
 *
 * Implements S48 (the `storage` metric group reports block volumes only; without one it is empty,
 * an information), S49 (`scaleUp` takes `anyConditions`, `scaleDown`/`suspend` take `allConditions`;
 * a warning, since a docs example itself writes `scaleUp: allConditions`), S50 (a metricCondition has
 * exactly one of targetScaling/stepScaling) and S51 (no stepScaling in `suspend`). Required fields and
 * enums of S50/S52 are the schema's.
 */

import { isMap, type Pair, type YAMLMap } from 'yaml';
import { getPair, isTemplated, keyRange } from '../specDocument';
import type { Rule, RuleContext } from './ruleApi';
import { asMap, asSeq, listIsOpaque, mapItemsOf, plainScalar, stringValue, valueOf } from './ruleHelpers';
import { volumeKind } from './volumes';

const policies = [
  { key: 'scaleUp', expected: 'anyConditions', other: 'allConditions', meaning: 'any condition being true scales up' },
  { key: 'scaleDown', expected: 'allConditions', other: 'anyConditions', meaning: 'all conditions must be true to scale down' },
  { key: 'suspend', expected: 'allConditions', other: 'anyConditions', meaning: 'all conditions must be true to suspend' },
] as const;

const requiredFields = ['metricName', 'aggregationType', 'stabilizationPeriodSecs'];

export const monitoringRule: Rule = {
  name: 'monitoring',
  check(ctx) {
    checkStorageGroup(ctx);
    checkAutoscaling(ctx);
  },
};

function checkStorageGroup(ctx: RuleContext): void {
  const { doc } = ctx;
  const groups = asSeq(valueOf(asMap(valueOf(asMap(valueOf(doc.spec, 'platformMonitor')), 'metricConfig')), 'groups'));
  const storage = groups?.items.find((item) => stringValue(doc, item) === 'storage');
  if (!storage || listIsOpaque(doc, doc.spec, ['volumes', 'volume'])) {
    return;
  }
  const volumes = doc.lists.volumes;
  // A volume whose source is templated might be a block volume.
  if (volumes.some((volume) => volumeKind(doc, volume.node) === 'block' || volumeKind(doc, volume.node) === undefined)) {
    return;
  }
  ctx.report({
    code: 'spcs/storage-metrics-without-block',
    at: plainScalar(doc, storage),
    message: "The 'storage' metric group reports block volumes only, and this spec has none, so it will publish no metrics. Remove it or add a 'source: block' volume.",
  });
}

function checkAutoscaling(ctx: RuleContext): void {
  const { doc } = ctx;
  const policiesMap = asMap(valueOf(asMap(valueOf(doc.spec, 'resourceManagement')), 'autoScalingPolicies'));
  if (!policiesMap || isTemplated(doc, policiesMap)) {
    return;
  }
  for (const policy of policies) {
    const policyMap = asMap(valueOf(policiesMap, policy.key));
    if (!policyMap || isTemplated(doc, policyMap)) {
      continue;
    }
    const wrong = getPair(policyMap, policy.other);
    if (wrong) {
      const range = keyRange(doc, wrong);
      const canRename = !getPair(policyMap, policy.expected);
      ctx.report({
        code: 'spcs/autoscaling-conditions',
        at: range,
        message: `'${policy.key}' takes '${policy.expected}' (${policy.meaning}); '${policy.other}' is not in the documented syntax for it and may be rejected or ignored.`,
        fixes: range && canRename ? [{ title: `Rename to '${policy.expected}'`, edits: [{ range, newText: policy.expected }], isPreferred: true }] : undefined,
      });
    }
    for (const key of [policy.expected, policy.other]) {
      for (const condition of mapItemsOf(valueOf(policyMap, key))) {
        const metric = getPair(condition, 'metricCondition');
        if (metric && isMap(metric.value) && !isTemplated(doc, metric.value)) {
          checkCondition(ctx, metric, metric.value, policy.key);
        }
      }
    }
  }
}

function checkCondition(ctx: RuleContext, pair: Pair, condition: YAMLMap<unknown, unknown>, policy: string): void {
  const { doc } = ctx;
  const target = getPair(condition, 'targetScaling');
  const step = getPair(condition, 'stepScaling');
  if (target && step) {
    ctx.report({
      code: 'spcs/autoscaling-condition',
      at: keyRange(doc, step),
      message: "A metricCondition takes exactly one of 'targetScaling' and 'stepScaling'; remove one.",
    });
  } else if (!target && !step) {
    // Reported on the `metricCondition` key, which makes the merge drop the schema's "missing field"
    // errors of this mapping: the message therefore names those fields too.
    const missing = requiredFields.filter((field) => !getPair(condition, field));
    ctx.report({
      code: 'spcs/autoscaling-condition',
      at: keyRange(doc, pair),
      message:
        "This metricCondition has neither 'targetScaling' nor 'stepScaling', so it does not say how to scale: add 'targetScaling: { targetValue: <n> }' or a 'stepScaling' block." +
        (missing.length > 0 ? ` It also needs ${missing.map((field) => `'${field}'`).join(', ')}.` : ''),
    });
  }
  if (step && policy === 'suspend') {
    ctx.report({
      code: 'spcs/autoscaling-condition',
      at: keyRange(doc, step),
      message: "'stepScaling' is not supported in a 'suspend' policy; use 'targetScaling' there.",
    });
  }
}
