/**
 * Gateway specs and Snowflake CLI project definitions over LSP, as an editor sees them: opened as
 * plain `yaml` (the server decides by content and name), diagnostics published with short codes, a
 * quick fix, hover and completion on a gateway spec; a `snowflake.yml` whose `spec_file` is read
 * from a real folder on disk, republished when the spec file appears (`workspace/didChangeWatchedFiles`,
 * which the server registers) or is opened with other content, and go to definition to the spec.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity, type CodeAction, type CompletionList, type Hover, type Location, type MarkupContent } from 'vscode-languageserver';
import { startHarness, type Harness } from './lspHarness';

const gateway = `spec:
  type: traffic_split
  targets:
  - type: endpoint
    value: ml_db.serving.llm_v1!api
    weight: 90
  - type: endpoint
    value: ml_db.serving.llm_v2!api
    weight: 5
`;

describe('gateway specs over LSP', () => {
  let lsp: Harness;
  before(async () => {
    lsp = await startHarness();
  });
  after(() => lsp.dispose());

  it('publishes the gateway checks with short codes on a plain YAML file, and a quick fix for split_type', async () => {
    const uri = 'file:///work/canary.yaml';
    const published = await lsp.open(uri, gateway, 'yaml');
    assert.deepEqual(published.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.range.start.line]), [
      ['missing-required', DiagnosticSeverity.Error, 1],
      ['gateway-weights-sum', DiagnosticSeverity.Error, 2],
    ]);
    assert.equal(published.diagnostics[1]?.codeDescription?.href, 'https://github.com/vscode-spcs/vscode-spcs#spcs-gateway-weights-sum');
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: published.diagnostics[0]?.range,
      context: { diagnostics: [published.diagnostics[0]], only: ['quickfix'] },
    });
    const fix = actions.find((action) => action.title === "Add 'split_type: custom'");
    assert.ok(fix?.isPreferred);
    const edit = fix.edit?.changes?.[uri]?.[0];
    assert.ok(edit);
    const fixed = await lsp.change(uri, [{ range: edit.range, text: edit.newText }]);
    assert.deepEqual(fixed.diagnostics.map((diagnostic) => diagnostic.code), ['gateway-weights-sum']);
    await lsp.close(uri);
  });

  it('answers hover with a target\'s share and completion with the gateway\'s keys', async () => {
    const uri = 'file:///work/llm.gateway.yaml';
    await lsp.open(uri, gateway, 'yaml');
    const hover = await lsp.request<Hover>('textDocument/hover', { textDocument: { uri }, position: lsp.positionOf(uri, 'weight: 90', 9) });
    assert.match((hover.contents as MarkupContent).value, /receives \*\*90%\*\* of the requests/);
    const completion = await lsp.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: lsp.positionOf(uri, 'type: traffic_split', 6) });
    assert.deepEqual(completion.items.map((item) => item.label), ['traffic_split', 'shadow_traffic']);
    await lsp.close(uri);
  });
});

describe('snowflake.yml over LSP', () => {
  let lsp: Harness;
  let folder: string;
  let projectUri: string;
  let specUri: string;
  const project = 'definition_version: "2"\nentities:\n  llm:\n    type: service\n    stage: models\n    compute_pool: gpu_pool\n    spec_file: spec.yml\n    artifacts:\n      - spec.yml\n  app:\n    type: streamlit\n    main_file: 12\n';

  before(async () => {
    lsp = await startHarness({ watchFiles: true });
    folder = mkdtempSync(path.join(tmpdir(), 'spcs-project-'));
    projectUri = pathToFileURL(path.join(folder, 'snowflake.yml')).toString();
    specUri = pathToFileURL(path.join(folder, 'spec.yml')).toString();
  });
  after(() => {
    lsp.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it('registers a watcher for YAML files with a client that can', async () => {
    const watch = await lsp.registration('workspace/didChangeWatchedFiles');
    assert.deepEqual(watch.registerOptions, { watchers: [{ globPattern: '**/*.{yaml,yml}' }] });
  });

  it('warns on a missing spec file, and republishes when it appears on disk or opens with other content', async () => {
    const opened = await lsp.open(projectUri, project, 'yaml');
    assert.deepEqual(opened.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line]), [['project-spec-file', 6]], 'nothing on the streamlit entity');
    writeFileSync(path.join(folder, 'spec.yml'), 'spec:\n  containers:\n  - name: app\n    image: /db/s/r/app:1\n');
    const clean = lsp.diagnosticsWhere((params) => params.uri === projectUri && params.diagnostics.length === 0);
    await lsp.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: specUri, type: 1 }] });
    await clean;
    // Opened in the editor with unsaved text that is not a spec: that text wins over the file.
    const notSpec = lsp.diagnosticsWhere((params) => params.uri === projectUri && params.diagnostics.some((diagnostic) => /is not a service specification/.test(diagnostic.message)));
    await lsp.open(specUri, 'name: scratch\n', 'yaml');
    await notSpec;
    const back = lsp.diagnosticsWhere((params) => params.uri === projectUri && params.diagnostics.length === 0);
    await lsp.close(specUri);
    await back;
  });

  it('goes to the spec file from spec_file', async () => {
    const locations = await lsp.request<Location[]>('textDocument/definition', { textDocument: { uri: projectUri }, position: lsp.positionOf(projectUri, 'spec_file: spec.yml', 12) });
    assert.deepEqual(locations.map((location) => location.uri), [specUri]);
  });
});
