/**
 * Two specs as Snowflake keeps them: whether they say the same thing (`specsEquivalent`) and the two
 * sides of a diff that shows only what Snowflake would see change (`upgradeDiff`). Comments,
 * formatting, key order, env values' quoting and DESCRIBE's output-only `sha256` keys are on neither
 * side. One question, one answer: the deploy's upgrade confirmation and "Compare with Deployed"
 * (drift) both show these sides, and the drift verdict and the upgrade's "changed" both use this
 * equivalence.
 *
 * Pure. Must not: read or send anything.
 */

import { isMap, isScalar, isSeq, parse, parseDocument, stringify } from 'yaml';

/** The two sides of an upgrade diff (a service's or a gateway's) and whether they differ. */
export interface SpecDiff {
  /**
   * The left side of the diff editor: DESCRIBE SERVICE's (or GATEWAY's) spec as Snowflake keeps it, written like `local`
   * (see `upgradeDiff`).
   */
  readonly deployed: string;
  /** The right side: the local spec (rendered when it is a template) as Snowflake will keep it. */
  readonly local: string;
  /** Whether the two differ in content (ignoring formatting, comments and env values' quoting). */
  readonly changed: boolean;
}

/**
 * DESCRIBE's spec as the left side of the upgrade diff: without the output-only `sha256` keys, and,
 * given the local spec, with env values written the way the local spec writes them when they say the
 * same thing (Snowflake returns `PORT: "8000"` for a local `PORT: 8000`), so the diff shows changes
 * of content, not of quoting.
 */
export function normalizeDeployedSpec(deployed: string, local?: string): string {
  try {
    const document = parseDocument(deployed);
    const containers = document.getIn(['spec', 'containers'], true);
    if (!isSeq(containers)) return deployed;
    const localEnv = local === undefined ? new Map<string, Record<string, unknown>>() : envByContainer(local);
    let changed = false;
    for (const item of containers.items) {
      if (!isMap(item)) continue;
      if (item.has('sha256')) {
        item.delete('sha256');
        changed = true;
      }
      const name = item.get('name');
      const env = item.get('env', true);
      const wanted = typeof name === 'string' ? localEnv.get(name) : undefined;
      if (!wanted || !isMap(env)) continue;
      for (const pair of env.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        const value = pair.value;
        if (key === undefined || !isScalar(value) || typeof value.value !== 'string') continue;
        const localValue = wanted[key];
        if ((typeof localValue === 'number' || typeof localValue === 'boolean') && String(localValue) === value.value) {
          pair.value = document.createNode(localValue);
          changed = true;
        }
      }
    }
    return changed ? document.toString({ lineWidth: 0 }) : deployed;
  } catch {
    return deployed;
  }
}

/** Heads both sides of the upgrade diff, the same on both, so it is never a change itself. */
export const diffNote = '# What Snowflake keeps of each spec: comments and formatting are not shown.\n';

/**
 * The two sides of the upgrade diff the user confirms, so that it shows only what will change in
 * Snowflake (what `specsEquivalent` compares): both are parsed and written again the same way, so
 * comments, blank lines, quoting and indentation, which Snowflake does not keep, are on neither side;
 * DESCRIBE's output-only `sha256` keys are dropped, env values Snowflake returns as strings are
 * written as the local spec writes them when they say the same, and the deployed keys follow the
 * local spec's order (list items matched by `name`), so a spec that is the same gives two identical
 * sides. Either side that does not parse is shown as it is.
 */
export function upgradeDiff(deployed: string, local: string): { deployed: string; local: string } {
  let localValue: unknown;
  let deployedValue: unknown;
  try {
    localValue = parse(local);
    deployedValue = parse(deployed);
  } catch {
    return { deployed: normalizeDeployedSpec(deployed, local), local };
  }
  if (!isPlainObject(localValue) || !isPlainObject(deployedValue)) return { deployed: normalizeDeployedSpec(deployed, local), local };
  const localEnv = envByContainer(local);
  const containers = (deployedValue['spec'] as { containers?: unknown } | undefined)?.containers;
  if (Array.isArray(containers)) {
    for (const container of containers as unknown[]) {
      if (!isPlainObject(container)) continue;
      delete container['sha256'];
      const env = container['env'];
      const wanted = typeof container['name'] === 'string' ? localEnv.get(container['name']) : undefined;
      if (!wanted || !isPlainObject(env)) continue;
      for (const [key, value] of Object.entries(env)) {
        const localValue = wanted[key];
        if (typeof value === 'string' && (typeof localValue === 'number' || typeof localValue === 'boolean') && String(localValue) === value) env[key] = localValue;
      }
    }
  }
  const write = (value: unknown): string => diffNote + stringify(value, { lineWidth: 0 });
  return { deployed: write(inOrderOf(deployedValue, localValue)), local: write(localValue) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` with its mapping keys in the order `model` has them (keys `model` lacks last, as they were). */
function inOrderOf(value: unknown, model: unknown): unknown {
  if (Array.isArray(value)) {
    const models = Array.isArray(model) ? (model as unknown[]) : [];
    return value.map((item: unknown, index) => {
      const name = isPlainObject(item) ? item['name'] : undefined;
      const byName = name === undefined ? undefined : models.find((candidate) => isPlainObject(candidate) && candidate['name'] === name);
      return inOrderOf(item, byName ?? models[index]);
    });
  }
  if (!isPlainObject(value)) return value;
  const order = isPlainObject(model) ? Object.keys(model) : [];
  const keys = [...order.filter((key) => key in value), ...Object.keys(value).filter((key) => !order.includes(key))];
  return Object.fromEntries(keys.map((key) => [key, inOrderOf(value[key], isPlainObject(model) ? model[key] : undefined)]));
}

/** The env maps of a spec's containers by container name (nothing when it does not parse). */
function envByContainer(text: string): Map<string, Record<string, unknown>> {
  const result = new Map<string, Record<string, unknown>>();
  try {
    const containers = (parse(text) as { spec?: { containers?: unknown } } | null)?.spec?.containers;
    if (!Array.isArray(containers)) return result;
    for (const container of containers as unknown[]) {
      if (typeof container !== 'object' || container === null) continue;
      const { name, env } = container as { name?: unknown; env?: unknown };
      if (typeof name === 'string' && typeof env === 'object' && env !== null && !Array.isArray(env)) {
        result.set(name, env as Record<string, unknown>);
      }
    }
  } catch {
    // Not YAML: nothing to align with.
  }
  return result;
}

/** Whether two specs say the same thing: parsed, `sha256` dropped, env values compared as strings. */
export function specsEquivalent(deployed: string, local: string): boolean {
  const canonical = (text: string): unknown => {
    const value: unknown = parse(text);
    const containers = (value as { spec?: { containers?: unknown } } | null)?.spec?.containers;
    if (Array.isArray(containers)) {
      for (const container of containers as Record<string, unknown>[]) {
        if (typeof container !== 'object' || container === null) continue;
        delete container['sha256'];
        const env = container['env'];
        if (typeof env === 'object' && env !== null && !Array.isArray(env)) {
          for (const [key, item] of Object.entries(env as Record<string, unknown>)) {
            (env as Record<string, unknown>)[key] = typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item);
          }
        }
      }
    }
    return value;
  };
  try {
    return JSON.stringify(sortKeys(canonical(deployed))) === JSON.stringify(sortKeys(canonical(local)));
  } catch {
    return false;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
