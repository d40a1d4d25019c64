/**
 * Template dialects and parse errors over LSP, as an editor sees them: each real-looking template file
 * of test/fixtures/templates opened as plain `yaml` (so the server decides by content), edited, and a
 * broken document's parse errors grouped.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { startHarness, type Harness } from './lspHarness';

const fixtures = path.resolve(__dirname, '../fixtures/templates');

describe('templates over LSP', () => {
  let lsp: Harness;
  before(async () => {
    lsp = await startHarness();
  });
  after(() => lsp.dispose());

  for (const file of readdirSync(fixtures).filter((name) => !name.includes('not-yaml'))) {
    it(`publishes no diagnostic for the templated spec ${file}, before and after an edit`, async () => {
      const uri = `file:///templates/${file}`;
      const opened = await lsp.open(uri, readFileSync(path.join(fixtures, file), 'utf8'), 'yaml');
      assert.deepEqual(opened.diagnostics, []);
      // A typo in a real key below the placeholders is still found.
      const at = lsp.positionOf(uri, 'endpoints:');
      const changed = await lsp.change(uri, [{ range: { start: at, end: { line: at.line, character: at.character + 'endpoints'.length } }, text: 'endpoint' }]);
      assert.ok(changed.diagnostics.some((diagnostic) => diagnostic.code === 'legacy-singular-key'), JSON.stringify(changed.diagnostics));
      await lsp.close(uri);
    });
  }

  it('publishes one information diagnostic for a Terraform template that is not YAML until rendered', async () => {
    const uri = 'file:///templates/terraform-not-yaml.yaml.tftpl';
    const opened = await lsp.open(uri, readFileSync(path.join(fixtures, 'terraform-not-yaml.yaml.tftpl'), 'utf8'), 'yaml');
    assert.equal(opened.diagnostics.length, 1, JSON.stringify(opened.diagnostics));
    const [diagnostic] = opened.diagnostics;
    assert.equal(diagnostic?.severity, DiagnosticSeverity.Information);
    assert.equal(diagnostic?.range.start.line, 9);
    assert.match(diagnostic?.message ?? '', /^This looks like a Terraform template \('\$\{…\}'\): it is not YAML until rendered/);
    await lsp.close(uri);
  });

  it('publishes the first parse error of a cascade with the count of those that follow', async () => {
    const uri = 'file:///broken.yaml';
    const text = 'spec:\n  containers:\n   - name: vllm\n      image: /db/s/r/vllm:1\n      env:\n        A: b\n    - name: gateway\n      image: /db/s/r/gw:1\n';
    const opened = await lsp.open(uri, text, 'yaml');
    const parse = opened.diagnostics.filter((diagnostic) => diagnostic.code === 'parse-error');
    assert.ok(parse.length >= 1 && parse.length <= 2, JSON.stringify(parse));
    assert.match(parse[0]?.message ?? '', /\(and \d+ more parse errors? that may follow from this one\)\.$/);
    await lsp.close(uri);
  });
});
