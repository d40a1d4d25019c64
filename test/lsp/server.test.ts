/**
 * LSP-wire tests: the real server (`startServer`) over an in-process stream pair, driven as an editor
 * drives it. Each feature is checked through the protocol, including settings pulled with
 * `workspace/configuration`, incremental changes, and the error funnel.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  CodeAction,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  MarkupContent,
  WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startHarness, type Harness } from './lspHarness';

const spec = `spec:
  containers:
    - name: inference_server
      image: /db/schema/repo/vllm:0.6.0
      resources:
        requests:
          nvidia.com/gpu: 2
          memory: 16Gi
        limits:
          nvidia.com/gpu: 2
      volumeMounts:
        - name: models
          mountPath: /models
  endpoints:
    - name: api
      port: 8000
      public: true
  volumes:
    - name: models
      source: block
      size: 100Gi
serviceRoles:
  - name: api_users
    endpoints:
      - api
`;

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => String(d.code));

describe('language server over LSP', () => {
  let lsp: Harness;
  before(async () => {
    lsp = await startHarness();
  });
  after(() => lsp.dispose());

  it('announces its capabilities and name', () => {
    const { capabilities, serverInfo } = lsp.initializeResult;
    assert.equal(serverInfo?.name, 'spcs-language-server');
    assert.ok(capabilities.completionProvider);
    assert.equal(capabilities.hoverProvider, true);
    assert.deepEqual(capabilities.renameProvider, { prepareProvider: true });
    assert.ok(capabilities.codeActionProvider);
  });

  it('publishes diagnostics with stable codes and the document version on open', async () => {
    const published = await lsp.open('file:///a.spcs.yaml', spec);
    assert.equal(published.version, 1);
    const invalidName = published.diagnostics.find((d) => d.code === 'invalid-name');
    assert.ok(invalidName, `got ${codes(published.diagnostics).join(', ')}`);
    assert.equal(invalidName.source, 'spcs');
    assert.equal(invalidName.range.start.line, 2);
    // The source says spcs; the code does not repeat it, and links to its row of the README table.
    for (const diagnostic of published.diagnostics) {
      assert.doesNotMatch(String(diagnostic.code), /^spcs\//, `published code ${String(diagnostic.code)}`);
      assert.equal(diagnostic.codeDescription?.href, `https://github.com/vscode-spcs/vscode-spcs#spcs-${String(diagnostic.code)}`);
    }
    assert.ok(!codes(published.diagnostics).includes('gpu-exceeds-family'), 'no family configured yet');
  });

  it('re-validates on incremental changes', async () => {
    const at = lsp.positionOf('file:///a.spcs.yaml', 'inference_server', 'inference'.length);
    const published = await lsp.change('file:///a.spcs.yaml', [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '-' }]);
    assert.equal(published.version, 2);
    assert.ok(!codes(published.diagnostics).includes('invalid-name'), `got ${codes(published.diagnostics).join(', ')}`);
  });

  it('pulls settings and re-validates on configuration change', async () => {
    lsp.settings = { instanceFamily: 'GPU_NV_S' };
    const wait = lsp.diagnosticsWhere(
      (params) => params.uri === 'file:///a.spcs.yaml' && params.diagnostics.some((d) => d.code === 'gpu-exceeds-family'),
    );
    await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const { diagnostics } = await wait;
    const gpu = diagnostics.find((d) => d.code === 'gpu-exceeds-family');
    assert.match(gpu?.message ?? '', /GPU_NV_S/);
    lsp.settings = {};
  });

  it('reports nothing on YAML that is not a spec, and everything on a spec opened as yaml', async () => {
    const other = await lsp.open('file:///k8s.yaml', 'apiVersion: v1\nkind: Pod\nspec:\n  containers_: []\n', 'yaml');
    assert.deepEqual(other.diagnostics, []);
    const asYaml = await lsp.open('file:///plain.yaml', 'spec:\n  containers:\n    - name: Bad_Name\n      image: /a/b/c/d:1\n', 'yaml');
    assert.ok(codes(asYaml.diagnostics).includes('invalid-name'));
  });

  it('completes keys of a container', async () => {
    const uri = 'file:///complete.spcs.yaml';
    await lsp.open(uri, 'spec:\n  containers:\n    - name: web\n      \n');
    const list = await lsp.request<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position: { line: 3, character: 6 } });
    const labels = (list?.items ?? []).map((item) => item.label);
    for (const key of ['image', 'env', 'resources', 'readinessProbe', 'volumeMounts', 'secrets']) {
      assert.ok(labels.includes(key), `missing ${key} in ${labels.join(', ')}`);
    }
    assert.ok(!labels.includes('name'), 'name is already present');
  });

  it('hovers a field with its documentation and a docs link', async () => {
    const uri = 'file:///a.spcs.yaml';
    const hover = await lsp.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: lsp.positionOf(uri, 'nvidia.com/gpu', 2) });
    const value = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(value, /GPU/);
    assert.match(value, /docs\.snowflake\.com/);
  });

  it('offers a quick fix that resolves the diagnostic', async () => {
    const uri = 'file:///fix.spcs.yaml';
    const text = 'spec:\n  containers:\n    - name: web\n      image: /db/s/r/web:1\n  endpoints:\n    - name: api\n      port: 8080\n      protocol: HTTPS\n';
    const published = await lsp.open(uri, text);
    const https = published.diagnostics.find((d) => d.code === 'https-protocol');
    assert.ok(https, `got ${codes(published.diagnostics).join(', ')}`);
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: https.range,
      context: { diagnostics: [https], only: ['quickfix'] },
    });
    const edit = actions[0]?.edit?.changes?.[uri];
    assert.ok(edit, 'a quick fix with an edit');
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'spcs-spec', 1, text), edit);
    assert.match(fixed, /protocol: HTTP\n/);
  });

  it('offers the same quick fix whichever spelling of the code the editor sends back (or none)', async () => {
    const uri = 'file:///fix-context.spcs.yaml';
    const text = 'spec:\n  containers:\n    - name: web\n      image: /db/s/r/web:1\n  endpoints:\n    - name: api\n      port: 8080\n      protocol: HTTPS\n';
    const published = await lsp.open(uri, text);
    const https = published.diagnostics.find((d) => d.code === 'https-protocol');
    assert.ok(https, `got ${codes(published.diagnostics).join(', ')}`);
    const fixesFor = async (diagnostics: Diagnostic[]) => {
      const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: https.range, context: { diagnostics, only: ['quickfix'] } });
      return actions.map((action) => ({ title: action.title, edit: action.edit, codes: (action.diagnostics ?? []).map((diagnostic) => diagnostic.code) }));
    };
    const asPublished = await fixesFor([https]);
    assert.deepEqual(asPublished.map((action) => action.title), ["Change to 'HTTP'"]);
    // The actions name the diagnostic as it was published, so the editor can match them.
    assert.deepEqual(asPublished[0]?.codes, ['https-protocol']);
    assert.deepEqual(await fixesFor([{ ...https, code: 'spcs/https-protocol' }]), asPublished, 'the catalogue spelling (an older client, a SARIF id)');
    assert.deepEqual(await fixesFor([]), asPublished, 'no context diagnostics');
  });

  it('goes to the volume a mount names and renames both', async () => {
    const uri = 'file:///a.spcs.yaml';
    const mount = lsp.positionOf(uri, '- name: models', '- name: mo'.length);
    const locations = await lsp.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: mount });
    assert.equal(locations.length, 1);
    assert.equal(locations[0]?.range.start.line, 18);
    const references = await lsp.request<Location[]>('textDocument/references', { textDocument: { uri }, position: mount, context: { includeDeclaration: true } });
    assert.equal(references.length, 2);
    const rename = await lsp.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: mount, newName: 'weights' });
    assert.equal(rename.changes?.[uri]?.length, 2);
  });

  it('refuses a rename to an invalid name with a message', async () => {
    const uri = 'file:///a.spcs.yaml';
    const mount = lsp.positionOf(uri, '- name: models', '- name: mo'.length);
    await assert.rejects(lsp.request('textDocument/rename', { textDocument: { uri }, position: mount, newName: 'Bad_Name' }), /name/i);
  });

  it('returns an outline and folding ranges', async () => {
    const uri = 'file:///a.spcs.yaml';
    const symbols = await lsp.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const flat = JSON.stringify(symbols);
    assert.match(flat, /inference-server/);
    assert.match(flat, /"api"/);
    assert.match(flat, /"models"/);
    const folds = await lsp.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    assert.ok(folds.length >= 3);
  });

  it('answers requests for unknown documents with an empty result', async () => {
    const hover = await lsp.request('textDocument/hover', { textDocument: { uri: 'file:///nope.yaml' }, position: { line: 0, character: 0 } });
    assert.equal(hover, null);
  });

  it('clears diagnostics when a document closes', async () => {
    const published = await lsp.close('file:///a.spcs.yaml');
    assert.deepEqual(published.diagnostics, []);
  });
});

describe('language server without workspace/configuration', () => {
  it('works with default settings', async () => {
    const lsp = await startHarness({ configuration: false });
    try {
      const published = await lsp.open('file:///b.spcs.yaml', 'spec:\n  containers:\n    - name: web\n');
      assert.ok(codes(published.diagnostics).includes('missing-required'));
    } finally {
      lsp.dispose();
    }
  });
});
