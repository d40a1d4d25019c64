/**
 * The account protocol over the LSP wire: the server announces `experimental.spcsAccount`; without
 * the notifications its diagnostics are exactly the offline ones; after `spcs/deployTargets` and
 * `spcs/accountCatalog` the open documents are republished (no edit needed) with the account
 * warnings, and they vanish again when the catalog becomes null. Completion and quick fixes use the
 * catalog through the wire too.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CompletionList, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  accountCapabilityKey,
  accountCatalogNotification,
  deployTargetsNotification,
  type AccountCatalogParams,
  type DeployTargetsParams,
} from '../../server/src/lspExtension';
import { parseSpecDocument } from '../../server/src/service/specDocument';
import { validateSpec } from '../../server/src/service/validate';
import { catalogParams } from '../unit/accountFixture';
import { startHarness, type Harness } from './lspHarness';

const uri = 'file:///work/echo.spcs.yaml';
const text = `spec:
  containers:
    - name: echo
      image: /tutorial_db/data_schema/tutorial_repository/echo:v9
      resources:
        requests:
          nvidia.com/gpu: 1
        limits:
          nvidia.com/gpu: 1
  endpoints:
    - name: api
      port: 8080
      public: true
`;

const accountCodes = (diagnostics: readonly Diagnostic[]) =>
  diagnostics.map((diagnostic) => String(diagnostic.code)).filter((code) => code.startsWith('account-')).sort();
const hasAccountCodes = (params: PublishDiagnosticsParams) => params.uri === uri && accountCodes(params.diagnostics).length > 0;
const offline = () => validateSpec(parseSpecDocument(TextDocument.create(uri, 'spcs-spec', 1, text)));

describe('account protocol over LSP', () => {
  let lsp: Harness;
  before(async () => {
    lsp = await startHarness();
  });
  after(() => lsp.dispose());

  it('announces the experimental account capability', () => {
    assert.deepEqual((lsp.initializeResult.capabilities.experimental as Record<string, unknown> | undefined)?.[accountCapabilityKey], { version: 1 });
  });

  it('publishes exactly the offline diagnostics before any account data', async () => {
    const published = await lsp.open(uri, text);
    assert.deepEqual(published.diagnostics, offline());
    assert.deepEqual(accountCodes(published.diagnostics), []);
  });

  it('republishes open documents with account warnings after the target and catalog arrive', async () => {
    const targets: DeployTargetsParams = {
      targets: [{ uri, target: { connection: 'emulator_dev', computePool: 'DEMO_CPU_POOL', database: 'SPCS_DEMO', schema: 'PUBLIC', minInstances: 1, maxInstances: 1 } }],
    };
    const afterTarget = lsp.diagnosticsWhere((params) => params.uri === uri);
    await lsp.connection.sendNotification(deployTargetsNotification, targets);
    // The target alone (no catalog yet) republishes the offline diagnostics.
    assert.deepEqual((await afterTarget).diagnostics, offline());
    const republished = lsp.diagnosticsWhere(hasAccountCodes);
    await lsp.connection.sendNotification(accountCatalogNotification, catalogParams() satisfies AccountCatalogParams);
    const published = await republished;
    assert.equal(published.version, 1, 'no edit was needed');
    assert.deepEqual(accountCodes(published.diagnostics), ['account-image-tag-not-found', 'account-pool-gpu']);
    for (const diagnostic of published.diagnostics.filter((candidate) => String(candidate.code).startsWith('account-'))) {
      assert.equal(diagnostic.severity, 2);
      assert.match(diagnostic.message, /as of the account catalog of 'emulator_dev'/);
    }
  });

  it('offers the existing tags as quick fixes, newest first', async () => {
    const at = lsp.positionOf(uri, 'echo:v9');
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: at, end: at },
      context: { diagnostics: [], only: ['quickfix'] },
    });
    assert.deepEqual(
      actions.map((action) => action.title).filter((title) => title.startsWith('Use tag')),
      ["Use tag 'latest' (pushed 2026-03-01 09:30)", "Use tag 'v2' (pushed 2026-03-01 09:30)", "Use tag 'v1' (pushed 2026-01-10 10:00)", "Use tag 'v0' (pushed 2025-12-01 08:00)"],
    );
  });

  it('completes image tags through the wire', async () => {
    const at = lsp.positionOf(uri, 'echo:v9', 'echo:'.length);
    const list = await lsp.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: at });
    const tags = list.items
      .filter((item) => item.label.startsWith('/tutorial_db/data_schema/tutorial_repository/echo:'))
      .sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''))
      .map((item) => item.label.split(':')[1]);
    assert.deepEqual(tags, ['latest', 'v2', 'v1', 'v0']);
  });

  it('ignores malformed account notifications and keeps serving', async () => {
    await lsp.connection.sendNotification(accountCatalogNotification, { nonsense: true });
    await lsp.connection.sendNotification(deployTargetsNotification, 42);
    const list = await lsp.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: lsp.positionOf(uri, 'echo:v9', 'echo:'.length) });
    assert.ok(list.items.length > 0);
  });

  it('drops the account warnings when the catalog becomes null (connection gone)', async () => {
    const republished = lsp.diagnosticsWhere((params) => params.uri === uri && accountCodes(params.diagnostics).length === 0);
    await lsp.connection.sendNotification(accountCatalogNotification, {
      ...catalogParams(null),
      status: { state: 'unavailable', reason: 'emulator stopped' },
    } satisfies AccountCatalogParams);
    const published = await republished;
    assert.deepEqual(published.diagnostics, offline());
  });
});
