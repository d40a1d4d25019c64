/**
 * Gateway specs against the emulator's demo account, end to end below the editor: the catalog is read
 * with the client's `fetchCatalog` through the REAL snowflake-sdk driver (services with their
 * endpoints, gateways, grants), once as DEMO_USER (role SPCS_DEVELOPER, the default connection) and
 * once as VIEWER_USER (SPCS_VIEWER), and sent to the language server over the LSP wire. Each fixture
 * under `fixtures/gateways/` should raise one kind of account warning (or none), and the emulator's
 * own CREATE GATEWAY must agree: it accepts the spec the editor has no warning for, and refuses each
 * one the editor warns about, for the same reason. Completion and hover are asked over the wire.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { CompletionList, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver';
import { fetchCatalog } from '../../client/src/catalog/fetchCatalog';
import { connectionsTomlSection } from '../../emulator/src/cli';
import { accountCatalogNotification, type AccountCatalog, type AccountCatalogParams } from '../../server/src/lspExtension';
import { harness, value } from '../client/emulatorHarness';
import { startHarness } from './lspHarness';

const developer = 'emulator_dev';
const viewer = 'emulator_viewer';
const fixtures = path.join(__dirname, 'fixtures', 'gateways');
const fixture = (name: string): string => readFileSync(path.join(fixtures, `${name}.yaml`), 'utf8');
const uriOf = (name: string): string => `file:///work/gateways/${name}.yaml`;

function catalogParams(connection: string, catalog: AccountCatalog, isDefault: boolean): AccountCatalogParams {
  return { connection, isDefault, fetchedAt: new Date().toISOString(), catalog, status: { state: 'fresh' } };
}

function accountCodes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => String(diagnostic.code)).filter((code) => code.startsWith('account-')).sort();
}

test('gateway specs against the emulator demo account over the LSP wire', async (t: TestContext) => {
  const account = await harness(t);
  account.addConnections(connectionsTomlSection(developer, account.emulator.connection()));
  account.addConnections(connectionsTomlSection(viewer, account.emulator.connection('VIEWER_USER')));
  const developerRead = value(await fetchCatalog(account.sessions, developer));
  const viewerRead = value(await fetchCatalog(account.sessions, viewer));
  assert.deepEqual(developerRead.problems, []);

  const lsp = await startHarness();
  t.after(() => lsp.dispose());
  await lsp.connection.sendNotification(accountCatalogNotification, catalogParams(developer, developerRead.catalog, true));
  await lsp.connection.sendNotification(accountCatalogNotification, catalogParams(viewer, viewerRead.catalog, false));

  const check = async (name: string, text = fixture(name)): Promise<Diagnostic[]> => {
    const published = await lsp.open(uriOf(name), text, 'yaml');
    await lsp.close(uriOf(name));
    return published.diagnostics;
  };
  /** CREATE GATEWAY with the fixture's spec in the emulator: the error code, or 'created'. */
  const create = async (name: string, connection = developer): Promise<string> => {
    const result = await account.sessions.execute(connection, `CREATE GATEWAY ${name.replace(/-/g, '_')}_gw FROM SPECIFICATION $$${fixture(name)}$$`);
    return result.ok ? 'created' : (result.error.code ?? result.error.kind);
  };

  await t.test('the catalog carries the demo services with their endpoints and the demo gateway', () => {
    const echo = developerRead.catalog.services?.find((service) => service.name === 'ECHO_SERVICE');
    assert.deepEqual(echo?.endpoints?.map((endpoint) => `${endpoint.name}:${endpoint.protocol}`), ['echoendpoint:HTTP']);
    assert.ok(developerRead.catalog.gateways?.some((gateway) => gateway.name === 'ECHO_GATEWAY'));
  });

  await t.test('a valid gateway: no warning, and the emulator creates it', async () => {
    const diagnostics = await check('echo-split');
    assert.deepEqual(diagnostics, []);
    assert.equal(await create('echo-split'), 'created');
  });

  await t.test('a TCP target: account-gateway-target, and the emulator refuses the spec (395018)', async () => {
    const diagnostics = await check('tcp-target');
    assert.deepEqual(accountCodes(diagnostics), ['account-gateway-target']);
    assert.equal(diagnostics[0]?.severity, 2);
    assert.match(diagnostics[0]?.message ?? '', /uses protocol TCP/);
    assert.equal(await create('tcp-target'), '395018');
  });

  await t.test('a missing endpoint or service: account-gateway-target-not-found, and the emulator says it does not exist (002003)', async () => {
    const uri = uriOf('missing-endpoint');
    const endpoint = (await lsp.open(uri, fixture('missing-endpoint'), 'yaml')).diagnostics;
    assert.deepEqual(accountCodes(endpoint), ['account-gateway-target-not-found']);
    const actions = await lsp.request<{ title: string; isPreferred?: boolean }[]>('textDocument/codeAction', { textDocument: { uri }, range: endpoint[0]?.range, context: { diagnostics: endpoint } });
    assert.deepEqual(actions.map((action) => [action.title, action.isPreferred]), [["Use 'spcs_demo.public.echo_service!echoendpoint'", false]]);
    await lsp.close(uri);
    assert.equal(await create('missing-endpoint'), '002003');
    const service = await check('missing-service');
    assert.deepEqual(accountCodes(service), ['account-gateway-target-not-found']);
    assert.equal(service[0]?.range.start.line, 9, 'on the canary target');
    assert.equal(await create('missing-service'), '002003');
  });

  await t.test('a job service as a shadow: account-gateway-target, and the emulator refuses it', async () => {
    assert.deepEqual(accountCodes(await check('job-target')), ['account-gateway-target']);
    assert.equal(await create('job-target'), '395018');
  });

  await t.test('as the viewer: BIND SERVICE ENDPOINT is missing, and the emulator refuses for lack of privilege (003001)', async () => {
    const diagnostics = await check('echo-split-viewer', `# spcs: connection=${viewer}\n${fixture('echo-split')}`);
    const missing = diagnostics.filter((diagnostic) => diagnostic.code === 'account-missing-privilege');
    assert.ok(missing.some((diagnostic) => /BIND SERVICE ENDPOINT/.test(diagnostic.message)), JSON.stringify(diagnostics));
    assert.equal(await create('echo-split', viewer), '003001');
  });

  await t.test('completion offers the HTTP endpoints of the demo services, hover shows the live endpoint', async () => {
    const uri = uriOf('completion');
    const text = 'spec:\n  type: traffic_split\n  split_type: custom\n  targets:\n    - type: endpoint\n      value: spcs_demo.public.echo_service!echoendpoint\n      weight: 100\n';
    await lsp.open(uri, text, 'yaml');
    const list = await lsp.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: lsp.positionOf(uri, 'spcs_demo.public.echo') });
    const labels = list.items.map((item) => item.label);
    assert.ok(labels.includes('spcs_demo.public.echo_service!echoendpoint'), labels.join(', '));
    assert.ok(!labels.some((label) => label.endsWith('!postgres')), 'TCP endpoints are not offered');
    const hover = await lsp.request<Hover>('textDocument/hover', { textDocument: { uri }, position: lsp.positionOf(uri, 'echo_service!', 3) });
    assert.match((hover.contents as MarkupContent).value, /Endpoint `echoendpoint`: protocol HTTP, public/);
    await lsp.close(uri);
  });
});
