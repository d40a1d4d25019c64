/**
 * Diagnostics as a user sees them: the language server's codes on the right ranges, following edits,
 * and none (no errors) on the realistic samples.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { codeOf, openChecked, openFixture, positionOf, rangeOf, waitForCodes, waitForDiagnostics } from './helpers';

describe('diagnostics', () => {
  it('reports each problem of a spec with its code', async () => {
    const document = await openFixture('problems.spcs.yaml');
    const expected = ['spcs/invalid-name', 'spcs/gpu-request-limit', 'spcs/https-protocol', 'spcs/stage-v1-deprecated'];
    const diagnostics = await waitForCodes(document.uri, expected);
    for (const diagnostic of diagnostics) {
      assert.match(codeOf(diagnostic), /^spcs\/[a-z0-9-]+$/);
      assert.ok(diagnostic.message.length > 0, `${codeOf(diagnostic)} has no message`);
    }
  });

  it('puts a diagnostic on the value at fault', async () => {
    const document = await openFixture('problems.spcs.yaml');
    const diagnostics = await waitForCodes(document.uri, ['spcs/invalid-name', 'spcs/https-protocol']);
    const name = diagnostics.find((diagnostic) => codeOf(diagnostic) === 'spcs/invalid-name');
    assert.ok(name);
    assert.ok(name.range.contains(rangeOf(document, 'Web_Server')), `invalid-name range ${JSON.stringify(name.range)} does not cover Web_Server`);
    assert.equal(name.severity, vscode.DiagnosticSeverity.Error);
    const https = diagnostics.find((diagnostic) => codeOf(diagnostic) === 'spcs/https-protocol');
    assert.ok(https);
    assert.ok(https.range.contains(positionOf(document, 'HTTPS')), 'https-protocol is not on HTTPS');
    assert.equal(https.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('follows edits: fixing the text clears the diagnostic', async () => {
    const document = await openFixture('problems.spcs.yaml');
    await waitForCodes(document.uri, ['spcs/invalid-name']);
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.replace(rangeOf(document, 'Web_Server'), 'web-server'));
    await waitForDiagnostics(document.uri, (diagnostics) => !diagnostics.some((diagnostic) => codeOf(diagnostic) === 'spcs/invalid-name'), 'invalid-name to go');
  });

  for (const sample of ['data-service', 'echo-template', 'nightly-job', 'vllm-gpu']) {
    it(`finds no errors in samples/${sample}.spcs.yaml`, async () => {
      const document = await openChecked(`samples/${sample}.spcs.yaml`);
      const errors = vscode.languages.getDiagnostics(document.uri).filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error);
      assert.deepEqual(errors.map((diagnostic) => `${codeOf(diagnostic)} ${diagnostic.message}`), []);
    });
  }
});
