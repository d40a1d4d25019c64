/**
 * readinessProbe and livenessProbe: S25 (both need `port` and `path`) and S27 (`periodSeconds`
 * and `failureThreshold` are positive integers, a warning because the docs give no range).
 *
 * S26 is deliberately absent: the docs say a probe port need not be an endpoint port, so a probe on
 * a port that no endpoint exposes is never reported. A Kubernetes-style probe (`httpGet:` with
 * port/path nested inside) gets a message that says how to flatten it.
 */

import { isMap, type YAMLMap } from 'yaml';
import { getPair, isTemplated, keyRange } from '../specDocument';
import type { Rule, RuleContext } from './ruleApi';
import { itemLabel, plainScalar, valueOf } from './ruleHelpers';

const probeKeys = ['readinessProbe', 'livenessProbe'] as const;

export const probesRule: Rule = {
  name: 'probes',
  check(ctx) {
    for (const container of ctx.doc.lists.containers) {
      for (const key of probeKeys) {
        const pair = getPair(container.node, key);
        if (!pair || !isMap(pair.value) || isTemplated(ctx.doc, pair.value)) {
          continue;
        }
        checkProbe(ctx, pair.value, key, keyRange(ctx.doc, pair), itemLabel('container', container));
      }
    }
  },
};

function checkProbe(ctx: RuleContext, probe: YAMLMap<unknown, unknown>, key: string, at: ReturnType<typeof keyRange>, label: string): void {
  const missing = ['port', 'path'].filter((field) => !getPair(probe, field));
  if (missing.length > 0) {
    const kubernetesStyle = getPair(probe, 'httpGet') !== undefined;
    ctx.report({
      code: 'spcs/probe-incomplete',
      at,
      message:
        `'${key}' of ${label} needs ${missing.map((field) => `'${field}'`).join(' and ')}: an SPCS probe is an HTTP GET on 'port' and 'path'` +
        (kubernetesStyle ? ". Move 'port' and 'path' out of 'httpGet:' directly under the probe; 'httpGet' is Kubernetes syntax." : '.'),
    });
  }
  for (const field of ['periodSeconds', 'failureThreshold']) {
    const scalar = plainScalar(ctx.doc, valueOf(probe, field));
    if (!scalar || typeof scalar.value !== 'number') {
      continue;
    }
    if (Number.isInteger(scalar.value) && scalar.value > 0) {
      continue;
    }
    ctx.report({
      code: 'spcs/probe-values',
      at: scalar,
      message: `'${field}' is ${scalar.source ?? String(scalar.value)}; use a whole number of at least 1${field === 'periodSeconds' ? ' (seconds between checks)' : ' (failed checks before the container counts as not ready)'}.`,
    });
  }
}
