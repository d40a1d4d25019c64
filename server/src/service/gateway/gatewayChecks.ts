/**
 * Diagnostics for a gateway specification: the document's shape, the rules of each gateway type, the
 * JSON Schema (`gatewaySchema.ts`) and, with a live account catalog, the account checks
 * (`gatewayAccount.ts`), through the same parse and template handling as service specs
 * (`validateDocument` of `../validate.ts`).
 *
 * Owns the documented rules (docs: CREATE GATEWAY, ALTER GATEWAY, "Use Gateways to route ingress
 * requests"): a traffic split has `split_type: custom` and 1 or more `targets` whose integer weights
 * add up to exactly 100; shadow traffic has exactly one `primary` endpoint (no weight) and one or more
 * `shadow` endpoints (weights 0-100, which need not add up); every endpoint is `type: endpoint` with
 * a fully qualified `value` `db.schema.service!endpoint`. Where the documentation is unsure, a
 * warning: more than 5 endpoints ("5 by default": the limit can be raised), the same endpoint twice,
 * a field of the other gateway type. Quick fixes where the fix is obvious: the fixed values that are
 * missing (`split_type: custom`, `type: endpoint`, `type` from the fields present), and weights that
 * add up to 100 (never "preferred": how to split traffic is the user's decision).
 *
 * Values with a template placeholder are never judged, and with template control statements
 * (`{% for %}`) nothing is counted or summed. Must not: throw (the caller isolates it anyway) or do I/O.
 */

import type { Diagnostic } from 'vscode-languageserver-types';
import { isSeq, type Node, type YAMLMap } from 'yaml';
import type { AccountView } from '../catalog/catalogState';
import type { QuickFix, RuleDiagnostic } from '../rules/ruleApi';
import { appendToMap, hasControlStatements, removePair } from '../rules/ruleHelpers';
import { schemaDiagnostics } from '../schemaDiagnostics';
import { getPair, isTemplated, itemRange, keyRange, nodeOffsets, nodeRange, type SpecDocument } from '../specDocument';
import { validateDocument, withoutExplained, withParseChecks } from '../validate';
import { gatewayAccountDiagnostics } from './gatewayAccount';
import { gatewaySpecSchema } from './gatewaySchema';
import {
  endpointLists,
  readGatewaySpec,
  rebalanceWeights,
  referenceKey,
  referenceProblem,
  weightEdits,
  type GatewayEndpoint,
  type GatewaySpecModel,
  type GatewayType,
} from './gatewaySpec';

/** The most endpoints a gateway has unless the limit was raised ("5 by default"). */
export const defaultMaxGatewayEndpoints = 5;

const documentName = 'A gateway specification';

export interface GatewayValidateOptions {
  /** The live account facts for this document (from a client that sends the account catalog). */
  readonly account?: AccountView;
  /** Called when a check throws; its diagnostics are dropped and the others still reported. */
  readonly onRuleError?: (rule: string, error: unknown) => void;
}

export function validateGatewaySpec(doc: SpecDocument, options: GatewayValidateOptions = {}): Diagnostic[] {
  return validateDocument(doc, {
    documentName,
    check: (checked, errors) => withParseChecks(checked, errors, documentName, () => gatewayDiagnostics(checked, options)),
  });
}

function gatewayDiagnostics(doc: SpecDocument, options: GatewayValidateOptions): RuleDiagnostic[] {
  const fromRules: RuleDiagnostic[] = [];
  const model = readGatewaySpec(doc);
  try {
    gatewayRules(doc, model, (diagnostic) => fromRules.push(diagnostic));
  } catch (error) {
    fromRules.length = 0;
    options.onRuleError?.('gateway', error);
  }
  const collected = [...fromRules];
  if (doc.root) {
    // What the schema says inside a field of the other gateway type is moot: the field does not belong.
    const moot = model.type ? fieldsOfType[model.type].other.map((key) => nodeOffsets(getPair(doc.spec, key))).filter((offsets) => offsets !== undefined) : [];
    const schema = schemaDiagnostics(doc, gatewaySpecSchema).filter((diagnostic) => {
      const at = diagnostic.at;
      const range = at && 'start' in at && 'end' in at ? at : nodeRange(doc, at);
      const start = range ? doc.textDocument.offsetAt(range.start) : undefined;
      return start === undefined || !moot.some(([from, to]) => start >= from && start < to);
    });
    collected.push(...withoutExplained(doc, schema, fromRules));
  }
  if (options.account && doc.spec) {
    // Kept apart from the rules' diagnostics: an account warning must never hide a schema error.
    const fromAccount: RuleDiagnostic[] = [];
    try {
      gatewayAccountDiagnostics(doc, model, options.account, (diagnostic) => fromAccount.push(diagnostic));
      collected.push(...fromAccount);
    } catch (error) {
      options.onRuleError?.('gatewayAccount', error);
    }
  }
  return collected;
}

type Report = (diagnostic: RuleDiagnostic) => void;

function gatewayRules(doc: SpecDocument, model: GatewaySpecModel, report: Report): void {
  if (!doc.yaml || doc.yaml.contents === null) {
    return;
  }
  const { root, spec } = doc;
  if (!root) {
    report({ code: 'spcs/missing-spec', at: nodeRange(doc, doc.yaml.contents ?? undefined, { firstLineOnly: true }), message: "A gateway specification is a mapping with a top-level 'spec:' key." });
    return;
  }
  const specPair = getPair(root, 'spec');
  if (!spec) {
    const first = root.items[0];
    report({
      code: 'spcs/missing-spec',
      at: specPair ? nodeRange(doc, specPair, { firstLineOnly: true }) : first ? keyRange(doc, first) : undefined,
      message: specPair
        ? "'spec' must be a mapping with 'type:' and the endpoints the gateway routes to."
        : "The top level has no 'spec:' key. A gateway specification starts with 'spec:' (with 'type:' and the endpoints below it).",
    });
    return;
  }
  checkType(doc, spec, report);
  if (model.type) {
    checkTypeFields(doc, spec, model.type, report);
  }
  const countable = !hasControlStatements(doc) && !model.hasOpaqueItems;
  for (const endpoint of model.endpoints) {
    checkEndpoint(doc, endpoint, report);
  }
  if (countable) {
    checkCount(doc, spec, model, report);
    checkDuplicates(doc, model, report);
    if (model.type === 'traffic_split') {
      checkWeightSum(doc, spec, model, report);
    }
  }
}

/** `type` missing: the fields present say which one, and the fix adds it. */
function checkType(doc: SpecDocument, spec: YAMLMap<unknown, unknown>, report: Report): void {
  if (getPair(spec, 'type') || spec.items.some((item) => isTemplated(doc, item.key as Node))) {
    return;
  }
  const inferred: GatewayType | undefined =
    getPair(spec, 'targets') || getPair(spec, 'split_type') ? 'traffic_split' : getPair(spec, 'primary') || getPair(spec, 'shadow') ? 'shadow_traffic' : undefined;
  const edit = inferred ? appendToMap(doc, spec, 'type', inferred) : undefined;
  report({
    code: 'spcs/missing-required',
    at: itemRange(doc, spec),
    message: `'spec' is missing the required field 'type': 'traffic_split' (targets with weights) or 'shadow_traffic' (a primary endpoint and shadow endpoints)${inferred ? `; its fields are those of '${inferred}'` : ''}.`,
    fixes: edit && inferred ? [{ title: `Add 'type: ${inferred}'`, edits: [edit], isPreferred: true }] : undefined,
  });
}

const fieldsOfType: Readonly<Record<GatewayType, { readonly own: readonly string[]; readonly other: readonly string[] }>> = {
  traffic_split: { own: ['split_type', 'targets'], other: ['primary', 'shadow'] },
  shadow_traffic: { own: ['primary', 'shadow'], other: ['split_type', 'targets'] },
};

function checkTypeFields(doc: SpecDocument, spec: YAMLMap<unknown, unknown>, type: GatewayType, report: Report): void {
  if (spec.items.some((item) => isTemplated(doc, item.key as Node))) {
    return;
  }
  const { own, other } = fieldsOfType[type];
  for (const key of own) {
    if (getPair(spec, key)) {
      continue;
    }
    const edit = key === 'split_type' ? appendToMap(doc, spec, 'split_type', 'custom') : undefined;
    report({
      code: 'spcs/missing-required',
      at: itemRange(doc, spec),
      message:
        key === 'split_type'
          ? "'spec' is missing the required field 'split_type': a traffic_split gateway has the fixed value 'split_type: custom'."
          : key === 'targets'
            ? "'spec' is missing the required field 'targets': a traffic_split gateway lists the endpoints it routes to under 'targets', each with a weight."
            : key === 'primary'
              ? "'spec' is missing the required field 'primary': a shadow_traffic gateway sends every request to one 'primary' endpoint."
              : "'spec' is missing the required field 'shadow': a shadow_traffic gateway mirrors requests to one or more 'shadow' endpoints.",
      fixes: edit ? [{ title: "Add 'split_type: custom'", edits: [edit], isPreferred: true }] : undefined,
    });
  }
  for (const key of other) {
    const pair = getPair(spec, key);
    if (!pair) {
      continue;
    }
    const otherType = type === 'traffic_split' ? 'shadow_traffic' : 'traffic_split';
    report({
      code: 'spcs/gateway-type-fields',
      at: keyRange(doc, pair),
      message: `'${key}' belongs to a ${otherType} gateway; this one is '${type}', which has ${own.map((name) => `'${name}'`).join(' and ')}. Remove '${key}' or change 'type'.`,
    });
  }
  const primary = spec.get('primary', true);
  if (type === 'shadow_traffic' && isSeq(primary) && !isTemplated(doc, primary) && !hasControlStatements(doc) && primary.items.length !== 1) {
    report({
      code: 'spcs/invalid-value',
      at: primary,
      message: `'primary' lists ${primary.items.length} endpoints; a shadow_traffic gateway has exactly one primary endpoint, which handles every request.`,
    });
  }
  for (const key of ['targets', 'shadow'] as const) {
    const list = spec.get(key, true);
    if (own.includes(key) && isSeq(list) && list.items.length === 0) {
      report({
        code: 'spcs/invalid-value',
        at: list,
        message: key === 'targets' ? "'targets' lists no endpoint: a traffic_split gateway routes to at least one." : "'shadow' lists no endpoint: a shadow_traffic gateway mirrors requests to at least one.",
      });
    }
  }
}

function endpointLabel(endpoint: GatewayEndpoint): string {
  return endpoint.role === 'target' ? `target ${endpoint.index + 1}` : endpoint.role === 'primary' ? 'the primary endpoint' : `shadow endpoint ${endpoint.index + 1}`;
}

function checkEndpoint(doc: SpecDocument, endpoint: GatewayEndpoint, report: Report): void {
  const { node } = endpoint;
  if (node.items.some((item) => isTemplated(doc, item.key as Node))) {
    return;
  }
  if (!getPair(node, 'type')) {
    const edit = appendToMap(doc, node, 'type', 'endpoint');
    report({
      code: 'spcs/missing-required',
      at: itemRange(doc, node),
      message: `${capitalize(endpointLabel(endpoint))} is missing the required field 'type': it has the fixed value 'type: endpoint'.`,
      fixes: edit ? [{ title: "Add 'type: endpoint'", edits: [edit], isPreferred: true }] : undefined,
    });
  }
  if (endpoint.value !== undefined && endpoint.reference === undefined && endpoint.valueNode) {
    report({
      code: 'spcs/gateway-endpoint-reference',
      at: endpoint.valueNode,
      message: `The value of ${endpointLabel(endpoint)} must be a fully qualified endpoint name, db.schema.service!endpoint: ${referenceProblem(endpoint.value)}.`,
    });
  }
  const weight = getPair(node, 'weight');
  if (endpoint.role === 'primary' && weight) {
    const edit = removePair(doc, node, weight);
    report({
      code: 'spcs/unknown-key',
      at: keyRange(doc, weight),
      message: "The primary endpoint takes no 'weight': it receives every request (shadow endpoints have the weights).",
      fixes: edit ? [{ title: "Remove 'weight'", edits: [edit], isPreferred: true }] : undefined,
    });
  }
}

function checkCount(doc: SpecDocument, spec: YAMLMap<unknown, unknown>, model: GatewaySpecModel, report: Report): void {
  const lists = ['targets', 'primary', 'shadow'].map((key) => spec.get(key, true));
  if (lists.some((list) => list !== undefined && isTemplated(doc, list))) {
    return;
  }
  const count = model.endpoints.length;
  if (count <= defaultMaxGatewayEndpoints) {
    return;
  }
  const key = model.type === 'shadow_traffic' ? 'shadow' : 'targets';
  const pair = getPair(spec, key) ?? getPair(spec, 'targets') ?? getPair(spec, 'shadow');
  report({
    code: 'spcs/gateway-endpoint-count',
    at: pair ? keyRange(doc, pair) : itemRange(doc, spec),
    message: `This gateway lists ${count} endpoints; a gateway has at most ${defaultMaxGatewayEndpoints} by default, so CREATE GATEWAY fails unless the account's limit was raised.`,
  });
}

function checkDuplicates(doc: SpecDocument, model: GatewaySpecModel, report: Report): void {
  const seen = new Map<string, GatewayEndpoint>();
  for (const endpoint of model.endpoints) {
    if (!endpoint.reference || !endpoint.valueNode) {
      continue;
    }
    const key = referenceKey(endpoint.reference);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, endpoint);
      continue;
    }
    const firstRange = first.valueNode ? nodeRange(doc, first.valueNode) : undefined;
    report({
      code: 'spcs/gateway-duplicate-endpoint',
      at: endpoint.valueNode,
      message: `${capitalize(endpointLabel(endpoint))} names the same endpoint as ${endpointLabel(first)} ('${endpoint.value ?? ''}'); list each endpoint once${model.type === 'traffic_split' ? ' and give it the sum of the weights' : ''}.`,
      related: firstRange ? [{ range: firstRange, message: `First listed as ${endpointLabel(first)}` }] : undefined,
    });
  }
}

function checkWeightSum(doc: SpecDocument, spec: YAMLMap<unknown, unknown>, model: GatewaySpecModel, report: Report): void {
  const targets = model.endpoints.filter((endpoint) => endpoint.role === 'target');
  const list = spec.get(endpointLists.target, true);
  if (targets.length === 0 || !isSeq(list) || isTemplated(doc, list)) {
    return;
  }
  const weights: number[] = [];
  for (const target of targets) {
    const weight = target.weight;
    // Missing, templated or invalid weights are the schema's (or the template's) business: no sum then.
    if (weight === undefined || !Number.isInteger(weight) || weight < 0 || weight > 100) {
      return;
    }
    weights.push(weight);
  }
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (total === 100) {
    return;
  }
  const pair = getPair(spec, 'targets');
  report({
    code: 'spcs/gateway-weights-sum',
    at: pair ? keyRange(doc, pair) : list,
    message: `The weights of the targets add up to ${total}, not 100: a traffic_split gateway's weights must add up to exactly 100 (${weights.join(' + ')} = ${total}).`,
    related: targets.flatMap((target) => {
      const range = target.weightNode ? nodeRange(doc, target.weightNode) : undefined;
      return range ? [{ range, message: `${capitalize(endpointLabel(target))}: weight ${target.weight ?? '?'}` }] : [];
    }),
    fixes: weightFixes(doc, targets, weights, total),
  });
}

/** "Set target N's weight to W" for each target that can absorb the difference, then a proportional rebalance. */
function weightFixes(doc: SpecDocument, targets: readonly GatewayEndpoint[], weights: readonly number[], total: number): QuickFix[] {
  const fixes: QuickFix[] = [];
  targets.forEach((target, index) => {
    const weight = weights[index] ?? 0;
    const next = 100 - (total - weight);
    if (next < 0 || next > 100) {
      return;
    }
    const edits = weightEdits(doc, [target], [next]);
    if (edits) {
      fixes.push({ title: `Set the weight of ${endpointLabel(target)} to ${next}`, edits });
    }
  });
  const balanced = rebalanceWeights(weights);
  if (targets.length > 1 && balanced.some((weight, index) => weight !== weights[index])) {
    const edits = weightEdits(doc, targets, balanced);
    if (edits) {
      fixes.push({ title: `Rebalance the weights to 100 (${balanced.join(' / ')})`, edits });
    }
  }
  return fixes;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
