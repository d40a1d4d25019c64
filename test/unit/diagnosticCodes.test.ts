/**
 * The two spellings of a diagnostic code (diagnosticCodes.ts): the catalogue's `spcs/<name>` (CLI,
 * SARIF, JSON, the service itself) and the published `<name>` (LSP, next to `source: 'spcs'`), and the
 * one way back from either.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-types';
import { catalogueCode, codeDocumentationUrl, diagnosticCodes, plainSummary, publishedCode, publishedDiagnostic, type DiagnosticCode } from '../../server/src/service/diagnosticCodes';
import { validateText } from './helpers';

describe('diagnostic codes: catalogue and published spellings', () => {
  it('publishes every code without the prefix the source already says, and reads either spelling back', () => {
    for (const code of Object.keys(diagnosticCodes) as DiagnosticCode[]) {
      const short = publishedCode(code);
      assert.equal(`spcs/${short}`, code);
      assert.doesNotMatch(short, /\//);
      assert.equal(catalogueCode(code), code);
      assert.equal(catalogueCode(short), code);
      // VS Code's API hands a linked code back as { value, target }.
      assert.equal(catalogueCode({ value: short, target: codeDocumentationUrl(code) }), code);
      assert.equal(codeDocumentationUrl(code), `https://github.com/vscode-spcs/vscode-spcs#spcs-${short}`);
      assert.doesNotMatch(plainSummary(code), /`/);
    }
    for (const foreign of ['yaml-schema', 'spcs/no-such-code', 'no-such-code', 42, undefined, { value: 7 }]) {
      assert.equal(catalogueCode(foreign), undefined, JSON.stringify(foreign));
    }
  });

  it('turns a diagnostic of the service into the published one, with a link, and leaves other codes alone', () => {
    const [diagnostic] = validateText('spec:\n  containers:\n    - name: Bad_Name\n      image: /db/s/r/app:1\n');
    assert.ok(diagnostic);
    assert.equal(diagnostic.code, 'spcs/invalid-name', 'the service itself speaks the catalogue code');
    const published = publishedDiagnostic(diagnostic);
    assert.equal(published.code, 'invalid-name');
    assert.equal(published.source, 'spcs');
    assert.deepEqual(published.codeDescription, { href: 'https://github.com/vscode-spcs/vscode-spcs#spcs-invalid-name' });
    assert.equal(published.message, diagnostic.message);
    assert.deepEqual(published.data, diagnostic.data, 'the quick fixes travel along');
    const foreign: Diagnostic = { range: diagnostic.range, message: 'x', code: 'yaml-schema', source: 'yaml' };
    assert.equal(publishedDiagnostic(foreign), foreign);
  });
});
