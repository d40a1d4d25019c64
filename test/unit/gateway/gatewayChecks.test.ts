/**
 * Gateway specs offline: each documented rule valid and invalid (weights integers 0-100 adding up to
 * exactly 100, 1-5 endpoints, fixed values, the endpoint reference's form, duplicates, the fields of
 * each type, shadow traffic's one primary endpoint without a weight), the quick fixes, templates that
 * are never errors, and that a gateway spec is never checked as a service spec.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { SpcsLanguageService } from '../../../server/src/service/languageService';
import { applyFix, expectDiagnostic, expectNoDiagnostic, expectNoErrors, fixesOf } from '../helpers';
import { assertPlainTextDiagnostics } from '../plainText';

const uri = 'file:///work/traffic.yaml';

function validateGateway(text: string, documentUri = uri, languageId = 'yaml'): Diagnostic[] {
  const service = new SpcsLanguageService({
    onRuleError: (rule, error) => {
      throw new Error(`${rule} threw: ${String(error)}`);
    },
  });
  const document = TextDocument.create(documentUri, languageId, 1, text);
  assert.equal(service.documentKind(document), 'gatewaySpec', 'the fixture is read as a gateway spec');
  const diagnostics = service.validate(document);
  assertPlainTextDiagnostics(diagnostics);
  return diagnostics;
}

/** A traffic split over the given targets (value, weight), each at 4 spaces; target N's `value` is on line 4 + 3N. */
function split(targets: readonly (readonly [string, string | number | undefined])[], head = 'spec:\n  type: traffic_split\n  split_type: custom\n'): string {
  const items = targets.map(([value, weight]) => `  - type: endpoint\n    value: ${value}\n${weight === undefined ? '' : `    weight: ${weight}\n`}`).join('');
  return `${head}  targets:\n${items}`;
}

const v1 = 'ml_db.serving.llm_v1!api';
const v2 = 'ml_db.serving.llm_v2!api';

describe('gateway specs: a valid traffic split and shadow traffic', () => {
  it('reports nothing on the documented traffic split', () => {
    assert.deepEqual(validateGateway(split([[v1, 90], [v2, 10]])), []);
  });

  it('reports nothing on one target taking every request, nor on a weight of 0', () => {
    assert.deepEqual(validateGateway(split([[v1, 100]])), []);
    assert.deepEqual(validateGateway(split([[v1, 100], [v2, 0]])), []);
  });

  it('reports nothing on the documented shadow traffic gateway', () => {
    const text = `spec:\n  type: shadow_traffic\n  primary:\n  - type: endpoint\n    value: ${v1}\n  shadow:\n  - type: endpoint\n    value: ${v2}\n    weight: 30\n  - type: endpoint\n    value: ml_db.serving.llm_v3!api\n    weight: 90\n`;
    assert.deepEqual(validateGateway(text), [], 'shadow weights need not add up');
  });

  it('accepts double-quoted identifiers in every part of an endpoint reference', () => {
    assert.deepEqual(validateGateway(split([[`'"ML Db"."serving"."LLM v2"!"api"'`, 100]])), []);
    assert.deepEqual(validateGateway(split([['ML_DB.SERVING.LLM_V2!open-ai_api', 100]])), []);
  });
});

describe('gateway specs: weights', () => {
  it('reports weights that do not add up to 100 on targets, naming the sum, with fixes per target and a rebalance', () => {
    const text = split([[v1, 90], [v2, 5]]);
    const diagnostic = expectDiagnostic(validateGateway(text), 'spcs/gateway-weights-sum', 'error', 3, 2);
    assert.match(diagnostic.message, /add up to 95, not 100/);
    assert.equal(diagnostic.relatedInformation?.length, 2, 'each weight is pointed at');
    assert.deepEqual(
      fixesOf(diagnostic).map((fix) => fix.title),
      ["Set the weight of target 1 to 95", "Set the weight of target 2 to 10", 'Rebalance the weights to 100 (95 / 5)'],
    );
    assert.ok(fixesOf(diagnostic).every((fix) => fix.isPreferred !== true), 'how to split traffic is the user\'s decision');
    const fixed = applyFix(text, diagnostic, 'Set the weight of target 2 to 10');
    assert.deepEqual(validateGateway(fixed), []);
    assert.deepEqual(validateGateway(applyFix(text, diagnostic, 'Rebalance the weights to 100 (95 / 5)')), []);
  });

  it('reports weights over 100 in total too, and rebalances them proportionally', () => {
    const text = split([[v1, 60], [v2, 60], ['ml_db.serving.llm_v3!api', 30]]);
    const diagnostic = expectDiagnostic(validateGateway(text), 'spcs/gateway-weights-sum', 'error', 3, 2);
    assert.match(diagnostic.message, /60 \+ 60 \+ 30 = 150/);
    const rebalance = fixesOf(diagnostic).find((fix) => fix.title.startsWith('Rebalance'));
    assert.equal(rebalance?.title, 'Rebalance the weights to 100 (40 / 40 / 20)');
  });

  it('reports a weight that is not an integer, or outside 0-100, and then no sum', () => {
    const diagnostics = validateGateway(split([[v1, 90.5], [v2, 10]]));
    expectDiagnostic(diagnostics, 'spcs/invalid-type', 'error', 6, 12);
    expectNoDiagnostic(diagnostics, 'spcs/gateway-weights-sum');
    expectDiagnostic(validateGateway(split([[v1, 101], [v2, -1]])), 'spcs/invalid-value', 'error', 6, 12);
    expectDiagnostic(validateGateway(split([[v1, 101], [v2, -1]])), 'spcs/invalid-value', 'error', 9, 12);
  });

  it('warns on a quoted weight (whether Snowflake converts it is not documented)', () => {
    expectDiagnostic(validateGateway(split([[v1, '"100"']])), 'spcs/invalid-type', 'warning', 6, 12);
  });

  it('reports a missing weight of a target, and a weight on the primary endpoint of shadow traffic (with a fix)', () => {
    expectDiagnostic(validateGateway(split([[v1, 100], [v2, undefined]])), 'spcs/missing-required', 'error', 7, 4);
    const text = `spec:\n  type: shadow_traffic\n  primary:\n  - type: endpoint\n    value: ${v1}\n    weight: 100\n  shadow:\n  - type: endpoint\n    value: ${v2}\n    weight: 10\n`;
    const diagnostic = expectDiagnostic(validateGateway(text), 'spcs/unknown-key', 'warning', 5, 4);
    assert.match(diagnostic.message, /primary endpoint takes no 'weight'/);
    assert.deepEqual(validateGateway(applyFix(text, diagnostic, "Remove 'weight'")), []);
  });
});

describe('gateway specs: fixed values and required fields', () => {
  it('reports a missing split_type, with the preferred fix adding split_type: custom', () => {
    const text = split([[v1, 100]], 'spec:\n  type: traffic_split\n');
    const diagnostic = expectDiagnostic(validateGateway(text), 'spcs/missing-required', 'error', 1, 2);
    assert.match(diagnostic.message, /'split_type'/);
    assert.equal(fixesOf(diagnostic)[0]?.isPreferred, true);
    assert.deepEqual(validateGateway(applyFix(text, diagnostic, "Add 'split_type: custom'")), []);
  });

  it('reports a missing type, inferring it from the fields in its fix', () => {
    const text = `spec:\n  split_type: custom\n  targets:\n  - type: endpoint\n    value: ${v1}\n    weight: 100\n`;
    const diagnostic = expectDiagnostic(validateGateway(text), 'spcs/missing-required', 'error', 1, 2);
    assert.deepEqual(validateGateway(applyFix(text, diagnostic, "Add 'type: traffic_split'")), []);
  });

  it('reports a target without type: endpoint, with a fix', () => {
    const text = `spec:\n  type: traffic_split\n  split_type: custom\n  targets:\n  - value: ${v1}\n    weight: 100\n`;
    const diagnostic = expectDiagnostic(validateGateway(text), 'spcs/missing-required', 'error', 4, 4);
    assert.deepEqual(validateGateway(applyFix(text, diagnostic, "Add 'type: endpoint'")), []);
  });

  it('reports values other than the fixed ones, and warns on a different case with a fix', () => {
    expectDiagnostic(validateGateway(split([[v1, 100]], 'spec:\n  type: traffic_split\n  split_type: even\n')), 'spcs/invalid-value', 'error', 2, 14);
    const text = split([[v1, 100]], 'spec:\n  type: Traffic_Split\n  split_type: custom\n');
    const diagnostic = expectDiagnostic(validateGateway(text), 'spcs/invalid-value', 'warning', 1, 8);
    assert.match(diagnostic.message, /Write 'traffic_split' in lower case as documented/);
    assert.deepEqual(validateGateway(applyFix(text, diagnostic, "Change to 'traffic_split'")), []);
    expectDiagnostic(validateGateway(split([[v1, 100]]).replace('type: endpoint', 'type: service')), 'spcs/invalid-value', 'error', 4, 10);
  });

  it('reports fields the specification does not define, with the nearest known one', () => {
    const diagnostic = expectDiagnostic(validateGateway(split([[v1, 100]]).replace('    weight: 100', '    wieght: 100')), 'spcs/unknown-key', 'warning', 6, 4);
    assert.match(diagnostic.message, /Did you mean 'weight'\?/);
  });

  it('reports a document that is not a mapping with spec', () => {
    expectDiagnostic(validateGateway('spec: traffic_split\n', 'file:///work/x.gateway.yaml'), 'spcs/missing-spec', 'error', 0, 0);
  });
});

describe('gateway specs: the fields of each gateway type', () => {
  it('warns on shadow traffic fields in a traffic split, and reports nothing else inside them', () => {
    const text = `${split([[v1, 100]])}  primary: []\n`;
    const diagnostics = validateGateway(text);
    expectDiagnostic(diagnostics, 'spcs/gateway-type-fields', 'warning', 7, 2);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
  });

  it('requires primary and shadow for shadow traffic, and warns on targets there', () => {
    const text = split([[v1, 100]], 'spec:\n  type: shadow_traffic\n');
    const diagnostics = validateGateway(text);
    expectDiagnostic(diagnostics, 'spcs/gateway-type-fields', 'warning', 2, 2);
    assert.equal(diagnostics.filter((diagnostic) => diagnostic.code === 'spcs/missing-required').length, 2, 'primary and shadow');
  });

  it('reports a primary list without exactly one endpoint', () => {
    const text = `spec:\n  type: shadow_traffic\n  primary:\n  - type: endpoint\n    value: ${v1}\n  - type: endpoint\n    value: ml_db.serving.llm_v3!api\n  shadow:\n  - type: endpoint\n    value: ${v2}\n    weight: 10\n`;
    const diagnostic = expectDiagnostic(validateGateway(text), 'spcs/invalid-value', 'error', 3, 2);
    assert.match(diagnostic.message, /'primary' lists 2 endpoints/);
  });
});

describe('gateway specs: endpoints', () => {
  it('reports a value that is not db.schema.service!endpoint, saying what is missing', () => {
    const unqualified = expectDiagnostic(validateGateway(split([['llm_v2!api', 100]])), 'spcs/gateway-endpoint-reference', 'error', 5, 11);
    assert.match(unqualified.message, /'llm_v2' is not fully qualified/);
    const noEndpoint = expectDiagnostic(validateGateway(split([['ml_db.serving.llm_v2', 100]])), 'spcs/gateway-endpoint-reference', 'error', 5, 11);
    assert.match(noEndpoint.message, /names no endpoint/);
    expectDiagnostic(validateGateway(split([['ml_db.serving.llm v2!api', 100]])), 'spcs/gateway-endpoint-reference', 'error', 5, 11);
  });

  it('reports no target at all, and warns on more than 5 endpoints (the default limit)', () => {
    expectDiagnostic(validateGateway('spec:\n  type: traffic_split\n  split_type: custom\n  targets: []\n'), 'spcs/invalid-value', 'error', 3, 11);
    const six = split([1, 2, 3, 4, 5, 6].map((n) => [`ml_db.serving.v${n}!api`, n === 6 ? 50 : 10] as const));
    const diagnostics = validateGateway(six);
    expectDiagnostic(diagnostics, 'spcs/gateway-endpoint-count', 'warning', 3, 2);
    expectNoErrors(diagnostics);
    expectNoDiagnostic(validateGateway(split([1, 2, 3, 4, 5].map((n) => [`ml_db.serving.v${n}!api`, 20] as const))), 'spcs/gateway-endpoint-count');
  });

  it('warns on the same endpoint twice (names compare case-insensitively unless quoted)', () => {
    const diagnostic = expectDiagnostic(validateGateway(split([[v1, 50], ['ML_DB.Serving.LLM_V1!API', 50]])), 'spcs/gateway-duplicate-endpoint', 'warning', 8, 11);
    assert.equal(diagnostic.relatedInformation?.[0]?.location.range.start.line, 5);
    expectNoDiagnostic(validateGateway(split([[`'"llm"."s".v!api'`, 50], [`'"LLM"."s".v!api'`, 50]])), 'spcs/gateway-duplicate-endpoint');
  });
});

describe('gateway specs: templates and detection', () => {
  it('never judges a templated value, and sums nothing when a weight is templated', () => {
    const text = split([['{{ db }}.serving.llm_v1!api', '{{ stable_weight }}'], [v2, '<% ctx.env.canary %>']]);
    assert.deepEqual(validateGateway(text), []);
    assert.deepEqual(validateGateway(split([['&{ db }.serving.llm_v1!api', 90], ['${DB}.serving.llm_v2!api', 10]])), []);
  });

  it('counts and sums nothing when control statements generate the targets', () => {
    const text = `spec:\n  type: traffic_split\n  split_type: custom\n  targets:\n{% for t in targets %}\n  - type: endpoint\n    value: ml_db.serving.{{ t.name }}!api\n    weight: 30\n{% endfor %}\n`;
    assert.deepEqual(validateGateway(text).filter((diagnostic) => diagnostic.severity === 1), []);
  });

  it('is a gateway spec by content in any YAML file, or by its *.gateway.yaml name, even opened as spcs-spec', () => {
    const service = new SpcsLanguageService();
    const kind = (text: string, name: string, languageId: string) => service.documentKind(TextDocument.create(`file:///w/${name}`, languageId, 1, text));
    assert.equal(kind(split([[v1, 100]]), 'traffic.yaml', 'yaml'), 'gatewaySpec');
    assert.equal(kind(split([[v1, 100]]), 'traffic.spcs.yaml', 'spcs-spec'), 'gatewaySpec');
    assert.equal(kind('spec:\n  type: shadow_traffic\n', 'traffic.yaml', 'yaml'), 'gatewaySpec');
    assert.equal(kind('spec:\n', 'canary.gateway.yaml', 'yaml'), 'gatewaySpec');
    assert.equal(kind('spec:\n  containers: []\n', 'canary.gateway.yaml', 'yaml'), 'serviceSpec', 'content that says service spec wins over the name');
    assert.equal(kind('spec:\n  type: traffic_split\n  targets:\n\t- x\n', 'traffic.yaml', 'yaml'), 'gatewaySpec', 'the text decides when the YAML does not parse');
    assert.equal(kind('spec:\n  type: other\n', 'other.yaml', 'yaml'), undefined);
    // Not checked as a service spec: no "missing containers".
    const diagnostics = service.validate(TextDocument.create('file:///w/traffic.spcs.yaml', 'spcs-spec', 1, split([[v1, 100]])));
    assert.deepEqual(diagnostics, []);
  });
});
