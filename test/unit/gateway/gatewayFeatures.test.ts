/**
 * Gateway specs beyond the offline checks: the account checks against a hand-made catalog (the target
 * service and endpoint exist, take HTTP, belong to a long-running service; CREATE GATEWAY on the
 * schema, MODIFY on an existing gateway, BIND SERVICE ENDPOINT, USAGE on the endpoints), hover,
 * completion, and the reading and weight API the client's "Shift Traffic…" uses.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, Diagnostic, MarkupContent, Position } from 'vscode-languageserver-types';
import type { AccountCatalog, CatalogGrant, DeployTarget } from '../../../server/src/lspExtension';
import { parseEndpointReference, readGatewaySpec, rebalanceWeights, shiftWeight, weightEdits } from '../../../server/src/service/gateway';
import { parseSpecDocument } from '../../../server/src/service/specDocument';
import { catalogParams, demoCatalog, PlainTextCheckedService } from '../accountFixture';
import { applyFix, expectDiagnostic, expectNoDiagnostic, fixesOf } from '../helpers';

const uri = 'file:///work/llm.gateway.yaml';

const services: AccountCatalog['services'] = [
  { database: 'ML_DB', schema: 'SERVING', name: 'LLM_V1', status: 'RUNNING', computePool: 'GPU_POOL', owner: 'SPCS_DEVELOPER', isJob: false, endpoints: [{ name: 'api', port: 8000, protocol: 'HTTP', isPublic: true, ingressUrl: 'abc-myorg.snowflakecomputing.app' }, { name: 'metrics', port: 9000, protocol: 'TCP', isPublic: false }] },
  { database: 'ML_DB', schema: 'SERVING', name: 'LLM_V2', status: 'RUNNING', owner: 'OTHER_ROLE', isJob: false, endpoints: [{ name: 'api', port: 8000, protocol: 'HTTP', isPublic: false }] },
  { database: 'ML_DB', schema: 'SERVING', name: 'SHARED', status: 'RUNNING', owner: 'OTHER_ROLE', isJob: false, endpoints: [{ name: 'api', port: 8000, protocol: 'HTTP', isPublic: false }] },
  { database: 'ML_DB', schema: 'SERVING', name: 'CUSTOM_ROLE', status: 'RUNNING', owner: 'OTHER_ROLE', isJob: false, endpoints: [{ name: 'api', protocol: 'HTTP', isPublic: false }] },
  { database: 'ML_DB', schema: 'SERVING', name: 'HIDDEN_ENDPOINTS', status: 'SUSPENDED', owner: 'SPCS_DEVELOPER', isJob: false, endpoints: null },
  { database: 'ML_DB', schema: 'TRAINING', name: 'NIGHTLY', status: 'DONE', owner: 'SPCS_DEVELOPER', isJob: true, endpoints: null },
  { database: 'OTHER_DB', schema: 'PUBLIC', name: 'LLM_V2', status: 'RUNNING', owner: 'SPCS_DEVELOPER', isJob: false, endpoints: [{ name: 'api', protocol: 'HTTP', isPublic: false }] },
];

const gatewayGrants: CatalogGrant[] = [
  { objectType: 'SCHEMA', name: 'ML_DB.SERVING', privilege: 'USAGE' },
  { objectType: 'SCHEMA', name: 'ML_DB.SERVING', privilege: 'CREATE GATEWAY' },
  { objectType: 'SCHEMA', name: 'ML_DB.READONLY', privilege: 'USAGE' },
  { objectType: 'SERVICE', name: 'ML_DB.SERVING.LLM_V2', privilege: 'MONITOR' },
  { objectType: 'SERVICE ROLE', name: 'ML_DB.SERVING.SHARED!ALL_ENDPOINTS_USAGE', privilege: 'USAGE' },
  { objectType: 'SERVICE', name: 'ML_DB.SERVING.CUSTOM_ROLE', privilege: 'MONITOR' },
  { objectType: 'SERVICE ROLE', name: 'ML_DB.SERVING.CUSTOM_ROLE!API_USERS', privilege: 'USAGE' },
  { objectType: 'GATEWAY', name: 'ML_DB.SERVING.LLM_GATEWAY', privilege: 'USAGE' },
  { objectType: 'GATEWAY', name: 'ML_DB.SERVING.OWNED_GATEWAY', privilege: 'OWNERSHIP' },
];

function catalog(overrides: Partial<AccountCatalog> = {}): AccountCatalog {
  const base = demoCatalog();
  return {
    ...base,
    database: 'ML_DB',
    schema: 'SERVING',
    services,
    gateways: [
      { database: 'ML_DB', schema: 'SERVING', name: 'LLM_GATEWAY', owner: 'OTHER_ROLE', ingressUrl: 'gw-myorg.snowflakecomputing.app' },
      { database: 'ML_DB', schema: 'SERVING', name: 'OWNED_GATEWAY', owner: 'SPCS_DEVELOPER' },
    ],
    grants: [...(base.grants ?? []), ...gatewayGrants],
    ...overrides,
  };
}

function serviceWith(accountCatalog: AccountCatalog | null = catalog(), target?: DeployTarget): PlainTextCheckedService {
  const service = new PlainTextCheckedService();
  if (accountCatalog) service.setAccountCatalog(catalogParams(accountCatalog));
  if (target) service.setDeployTargets({ targets: [{ uri, target }] });
  return service;
}

function split(values: readonly string[]): string {
  const weights = values.map((_, index) => (index === 0 ? 100 - 10 * (values.length - 1) : 10));
  return `spec:\n  type: traffic_split\n  split_type: custom\n  targets:\n${values.map((value, index) => `  - type: endpoint\n    value: ${value}\n    weight: ${weights[index] ?? 0}\n`).join('')}`;
}

function validate(text: string, service = serviceWith()): Diagnostic[] {
  return service.validate(TextDocument.create(uri, 'yaml', 1, text));
}

function accountCodes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => String(diagnostic.code)).filter((code) => code.startsWith('spcs/account-'));
}

describe('gateway specs against the account catalog', () => {
  it('reports nothing when every target is an HTTP endpoint the role may use', () => {
    assert.deepEqual(validate(split(['ml_db.serving.llm_v1!api', 'ml_db.serving.shared!api'])), []);
  });

  it('warns on a service that is not in the catalog, offering the same name in other schemas', () => {
    const text = split(['ml_db.staging.llm_v2!api']);
    const diagnostic = expectDiagnostic(validate(text), 'spcs/account-gateway-target-not-found', 'warning', 5, 11);
    assert.match(diagnostic.message, /no service 'ML_DB\.STAGING\.LLM_V2' as of the account catalog of 'emulator_dev'/);
    assert.deepEqual(fixesOf(diagnostic).map((fix) => fix.title), ["Use 'ml_db.serving.llm_v2!api'", "Use 'other_db.public.llm_v2!api'"]);
    assert.ok(fixesOf(diagnostic).every((fix) => !fix.isPreferred));
    assert.match(applyFix(text, diagnostic, "Use 'other_db.public.llm_v2!api'"), /value: other_db\.public\.llm_v2!api/);
  });

  it('warns on an endpoint the service does not have, listing its endpoints and offering the HTTP ones', () => {
    const diagnostic = expectDiagnostic(validate(split(['ml_db.serving.llm_v1!chat'])), 'spcs/account-gateway-target-not-found', 'warning', 5, 11);
    assert.match(diagnostic.message, /has no endpoint 'chat'.*Its endpoints: 'api' \(HTTP\), 'metrics' \(TCP\)/);
    assert.deepEqual(fixesOf(diagnostic).map((fix) => fix.title), ["Use 'ml_db.serving.llm_v1!api'"]);
  });

  it('warns on a TCP endpoint and on a job service', () => {
    const tcp = expectDiagnostic(validate(split(['ml_db.serving.llm_v1!metrics'])), 'spcs/account-gateway-target', 'warning', 5, 11);
    assert.match(tcp.message, /uses protocol TCP .*must be HTTP/);
    const job = expectDiagnostic(validate(split(['ml_db.training.nightly!api'])), 'spcs/account-gateway-target', 'warning', 5, 11);
    assert.match(job.message, /is a job service/);
  });

  it('claims nothing about endpoints that were not read, nor about services when the catalog has none', () => {
    assert.deepEqual(validate(split(['ml_db.serving.hidden_endpoints!whatever'])), []);
    assert.deepEqual(validate(split(['ml_db.staging.llm_v2!api']), serviceWith(catalog({ services: null }))), []);
    const { services: _omitted, ...withoutServices } = catalog();
    assert.deepEqual(validate(split(['ml_db.staging.llm_v2!api']), serviceWith(withoutServices as AccountCatalog)), [], 'a client that predates the field');
  });

  it('warns when the role holds a privilege on the service but no service role giving USAGE on the endpoint', () => {
    const diagnostic = expectDiagnostic(validate(split(['ml_db.serving.llm_v2!api'])), 'spcs/account-missing-privilege', 'warning', 5, 11);
    assert.match(diagnostic.message, /GRANT SERVICE ROLE ML_DB\.SERVING\.LLM_V2!ALL_ENDPOINTS_USAGE TO ROLE SPCS_DEVELOPER/);
    // A custom service role may or may not cover the endpoint: nothing is claimed.
    expectNoDiagnostic(validate(split(['ml_db.serving.custom_role!api'])), 'spcs/account-missing-privilege');
    // Owner of the service, or ACCOUNTADMIN: held.
    expectNoDiagnostic(validate(split(['ml_db.serving.llm_v1!api'])), 'spcs/account-missing-privilege');
    expectNoDiagnostic(validate(split(['ml_db.serving.llm_v2!api']), serviceWith(catalog({ role: 'ACCOUNTADMIN' }))), 'spcs/account-missing-privilege');
  });

  it('warns without BIND SERVICE ENDPOINT on the account, and without CREATE GATEWAY on the schema', () => {
    const noBind = catalog({ grants: catalog().grants?.filter((grant) => grant.privilege !== 'BIND SERVICE ENDPOINT') ?? null });
    const bind = expectDiagnostic(validate(split(['ml_db.serving.llm_v1!api']), serviceWith(noBind)), 'spcs/account-missing-privilege', 'warning', 0, 0);
    assert.match(bind.message, /BIND SERVICE ENDPOINT/);
    const readOnly = serviceWith(catalog({ schema: 'READONLY' }));
    const create = expectDiagnostic(validate(split(['ml_db.serving.llm_v1!api']), readOnly), 'spcs/account-missing-privilege', 'warning', 0, 0);
    assert.match(create.message, /not CREATE GATEWAY on schema 'ML_DB\.READONLY'.*GRANT CREATE GATEWAY ON SCHEMA ML_DB\.READONLY TO ROLE SPCS_DEVELOPER/);
  });

  it('checks MODIFY instead of CREATE GATEWAY when the deploy target names a gateway that exists', () => {
    const target = (gatewayName: string): DeployTarget => ({ connection: 'emulator_dev', gatewayName, database: 'ML_DB', schema: 'SERVING' });
    const alter = expectDiagnostic(validate(split(['ml_db.serving.llm_v1!api']), serviceWith(catalog(), target('llm_gateway'))), 'spcs/account-missing-privilege', 'warning', 0, 0);
    assert.match(alter.message, /has USAGE but not MODIFY on gateway 'ML_DB\.SERVING\.LLM_GATEWAY'/);
    assert.deepEqual(accountCodes(validate(split(['ml_db.serving.llm_v1!api']), serviceWith(catalog(), target('owned_gateway')))), []);
    assert.deepEqual(accountCodes(validate(split(['ml_db.serving.llm_v1!api']), serviceWith(catalog(), target('new_gateway')))), []);
  });

  it('says nothing about privileges when the grants were not read, and nothing at all on templated values', () => {
    assert.deepEqual(accountCodes(validate(split(['ml_db.serving.llm_v2!api']), serviceWith(catalog({ grants: null })))), []);
    assert.deepEqual(validate(split(['{{ db }}.serving.nope!api'])), []);
  });

  it('is offline without a catalog', () => {
    assert.deepEqual(validate(split(['ml_db.staging.llm_v2!api']), serviceWith(null)), []);
  });
});

// ---------------------------------------------------------------------------------------------------

function at(text: string, needle: string, offset = 0): Position {
  const index = text.indexOf(needle);
  assert.ok(index >= 0, `no ${needle}`);
  return TextDocument.create(uri, 'yaml', 1, text).positionAt(index + offset);
}

function hoverText(text: string, position: Position, service = serviceWith()): string {
  const hover = service.hover(TextDocument.create(uri, 'yaml', 1, text), position);
  assert.ok(hover, 'a hover');
  return (hover.contents as MarkupContent).value;
}

describe('gateway hover', () => {
  const text = split(['ml_db.serving.llm_v1!api', 'ml_db.serving.shared!api']);

  it('shows a target\'s share of the requests on its weight, with the field documentation', () => {
    const value = hoverText(text, at(text, 'weight: 10', 9));
    assert.match(value, /receives \*\*10%\*\* of the requests/);
    assert.match(value, /integer from 0 to 100/);
  });

  it('shows the split on targets and the parts of a reference with the live service and endpoint', () => {
    assert.match(hoverText(text, at(text, 'targets')), /\*\*Traffic split\*\*[\s\S]*\| 1 \| `ml_db.serving.llm_v1!api` \| 90 \|/);
    const value = hoverText(text, at(text, 'llm_v1!api', 2));
    assert.match(value, /Service `ml_db\.serving\.llm_v1`, endpoint `api`/);
    assert.match(value, /status RUNNING, in compute pool GPU_POOL/);
    assert.match(value, /protocol HTTP, public, port 8000, ingress URL abc-myorg\.snowflakecomputing\.app/);
  });

  it('describes the gateway types on type, and a shadow endpoint\'s mirrored percentage', () => {
    assert.match(hoverText(text, at(text, 'traffic_split', 3)), /`traffic_split`: Routes requests among the `targets`/);
    const shadow = `spec:\n  type: shadow_traffic\n  primary:\n  - type: endpoint\n    value: a.b.c!d\n  shadow:\n  - type: endpoint\n    value: a.b.e!d\n    weight: 25\n`;
    assert.match(hoverText(shadow, at(shadow, 'weight: 25', 8)), /\*\*25%\*\* of the requests are mirrored/);
  });
});

function labels(items: readonly CompletionItem[]): string[] {
  return items.map((item) => item.label);
}

describe('gateway completion', () => {
  it('offers the gateway\'s keys and fixed values, not the service spec\'s', () => {
    const service = serviceWith(null);
    const top = service.complete(TextDocument.create(uri, 'yaml', 1, 'spec:\n  \n'), { line: 1, character: 2 });
    assert.deepEqual(labels(top.items).sort(), ['primary', 'shadow', 'split_type', 'targets', 'type']);
    const type = service.complete(TextDocument.create(uri, 'yaml', 1, 'spec:\n  type: \n'), { line: 1, character: 8 });
    assert.deepEqual(labels(type.items), ['traffic_split', 'shadow_traffic']);
    const start = service.complete(TextDocument.create(uri, 'yaml', 1, '\n'), { line: 0, character: 0 });
    assert.ok(!labels(start.items).some((label) => label.includes('instance-family')), 'no service spec modeline');
  });

  it('offers the weight that makes the targets add up to 100', () => {
    const text = 'spec:\n  type: traffic_split\n  split_type: custom\n  targets:\n  - type: endpoint\n    value: a.b.c!d\n    weight: 70\n  - type: endpoint\n    value: a.b.e!d\n    weight: \n';
    const list = serviceWith(null).complete(TextDocument.create(uri, 'yaml', 1, text), { line: 9, character: 12 });
    assert.equal(list.items[0]?.label, '30');
    assert.equal(list.items[0]?.detail, 'makes the weights add up to 100');
  });

  it('offers the HTTP endpoints of long-running services from the catalog, written as references', () => {
    const text = 'spec:\n  type: traffic_split\n  split_type: custom\n  targets:\n  - type: endpoint\n    value: ml_db.serving.llm_v1!api\n    weight: 90\n  - type: endpoint\n    value: \n';
    const list = serviceWith().complete(TextDocument.create(uri, 'yaml', 1, text), { line: 8, character: 11 });
    const references = list.items.filter((item) => item.kind === 18);
    assert.deepEqual(labels(references).sort(), ['ml_db.serving.custom_role!api', 'ml_db.serving.llm_v1!api', 'ml_db.serving.llm_v2!api', 'ml_db.serving.shared!api', 'other_db.public.llm_v2!api']);
    const listed = references.find((item) => item.label === 'ml_db.serving.llm_v1!api');
    assert.match(listed?.detail ?? '', /already in this gateway/);
    assert.ok((listed?.sortText ?? '') > (references.find((item) => item.label === 'ml_db.serving.shared!api')?.sortText ?? ''), 'listed ones come last');
  });
});

describe('the gateway reading and weights API (Shift Traffic…)', () => {
  it('reads the type, each endpoint with its parsed reference and weight', () => {
    const doc = parseSpecDocument(TextDocument.create(uri, 'yaml', 1, split(['ml_db.serving.llm_v1!api', "'\"My Db\".s.svc!\"ep\"'"])));
    const model = readGatewaySpec(doc);
    assert.equal(model.type, 'traffic_split');
    assert.deepEqual(model.endpoints.map((endpoint) => [endpoint.role, endpoint.index, endpoint.weight, endpoint.reference?.service]), [['target', 0, 90, 'llm_v1'], ['target', 1, 10, 'svc']]);
    assert.deepEqual(parseEndpointReference('"My Db".s.svc!"ep"'), { database: 'My Db', schema: 's', service: 'svc', endpoint: 'ep', quoted: [true, false, false, true] });
    assert.equal(parseEndpointReference('s.svc!ep'), undefined);
  });

  it('shifts weight in steps without going below 0 or above 100, and rebalances to 100', () => {
    assert.deepEqual(shiftWeight([90, 10], 0, 1, 10), [80, 20]);
    assert.deepEqual(shiftWeight([5, 95], 0, 1, 10), [0, 100]);
    assert.deepEqual(shiftWeight([50, 50], 0, 0, 10), [50, 50]);
    assert.deepEqual(rebalanceWeights([1, 1, 1]), [34, 33, 33]);
    assert.deepEqual(rebalanceWeights([0, 0]), [50, 50]);
    assert.deepEqual(rebalanceWeights([90, 5]), [95, 5]);
  });

  it('writes new weights into the text, keeping every other byte', () => {
    const text = split(['ml_db.serving.llm_v1!api', 'ml_db.serving.llm_v2!api']).replace('weight: 90', 'weight: 90   # stable');
    const doc = parseSpecDocument(TextDocument.create(uri, 'yaml', 1, text));
    const edits = weightEdits(doc, readGatewaySpec(doc).endpoints, [50, 50]);
    assert.ok(edits);
    const shifted = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), edits);
    assert.equal(shifted, text.replace('weight: 90', 'weight: 50').replace('weight: 10', 'weight: 50'));
    const missing = 'spec:\n  type: traffic_split\n  split_type: custom\n  targets:\n  - type: endpoint\n    value: a.b.c!d\n';
    const missingDoc = parseSpecDocument(TextDocument.create(uri, 'yaml', 1, missing));
    const added = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, missing), weightEdits(missingDoc, readGatewaySpec(missingDoc).endpoints, [100]) ?? []);
    assert.equal(added, `${missing.trimEnd()}\n    weight: 100\n`);
  });
});
