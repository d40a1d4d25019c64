/**
 * Diagnostics as a user sees them: the language server's codes (short, linked to the README) on the
 * right ranges, plain-text messages, following edits, and none (no errors) on the realistic samples.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { codeOf, openChecked, openFixture, positionOf, rangeOf, waitForCodes, waitForDiagnostics } from './helpers';

describe('diagnostics', () => {
  it('reports each problem of a spec with its code', async () => {
    const document = await openFixture('problems.spcs.yaml');
    const expected = ['invalid-name', 'gpu-request-limit', 'https-protocol', 'stage-v1-deprecated'];
    const diagnostics = await waitForCodes(document.uri, expected);
    for (const diagnostic of diagnostics) {
      // Problems shows `spcs(invalid-name)`: the source says spcs, the code does not repeat it, and
      // links to its row of the README's diagnostics table.
      assert.equal(diagnostic.source, 'spcs');
      assert.match(codeOf(diagnostic), /^[a-z0-9-]+$/);
      const target = typeof diagnostic.code === 'object' ? diagnostic.code.target : undefined;
      assert.equal(target?.toString(true), `https://github.com/vscode-spcs/vscode-spcs#spcs-${codeOf(diagnostic)}`);
      assert.ok(diagnostic.message.length > 0, `${codeOf(diagnostic)} has no message`);
      // Problems and the squiggle's hover show messages as plain text: 'Web_Server', not markdown.
      assert.doesNotMatch(diagnostic.message, /`/, diagnostic.message);
    }
    assert.match(diagnostics.find((diagnostic) => codeOf(diagnostic) === 'invalid-name')?.message ?? '', /'Web_Server'/);
  });

  it('puts a diagnostic on the value at fault', async () => {
    const document = await openFixture('problems.spcs.yaml');
    const diagnostics = await waitForCodes(document.uri, ['invalid-name', 'https-protocol']);
    const name = diagnostics.find((diagnostic) => codeOf(diagnostic) === 'invalid-name');
    assert.ok(name);
    assert.ok(name.range.contains(rangeOf(document, 'Web_Server')), `invalid-name range ${JSON.stringify(name.range)} does not cover Web_Server`);
    assert.equal(name.severity, vscode.DiagnosticSeverity.Error);
    const https = diagnostics.find((diagnostic) => codeOf(diagnostic) === 'https-protocol');
    assert.ok(https);
    assert.ok(https.range.contains(positionOf(document, 'HTTPS')), 'https-protocol is not on HTTPS');
    assert.equal(https.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('follows edits: fixing the text clears the diagnostic', async () => {
    const document = await openFixture('problems.spcs.yaml');
    await waitForCodes(document.uri, ['invalid-name']);
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.replace(rangeOf(document, 'Web_Server'), 'web-server'));
    await waitForDiagnostics(document.uri, (diagnostics) => !diagnostics.some((diagnostic) => codeOf(diagnostic) === 'invalid-name'), 'invalid-name to go');
  });

  for (const sample of ['data-service', 'echo-template', 'nightly-job', 'vllm-gpu']) {
    it(`finds no errors in samples/${sample}.spcs.yaml`, async () => {
      const document = await openChecked(`samples/${sample}.spcs.yaml`);
      const errors = vscode.languages.getDiagnostics(document.uri).filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error);
      assert.deepEqual(errors.map((diagnostic) => `${codeOf(diagnostic)} ${diagnostic.message}`), []);
    });
  }
});
