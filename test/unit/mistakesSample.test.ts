/**
 * `samples/mistakes/common-mistakes.spcs.yaml` is what a newcomer opens to see the checks at work: it
 * must show each of its deliberate mistakes with a quick fix, and "Fix all" must leave no error.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { fixAllEdits } from '../../server/src/service/codeActions';
import { SpcsLanguageService } from '../../server/src/service/languageService';
import type { DiagnosticData } from '../../server/src/service/validate';

const file = path.resolve(__dirname, '../../samples/mistakes/common-mistakes.spcs.yaml');

describe('the common-mistakes sample', () => {
  const service = new SpcsLanguageService();
  const document = TextDocument.create('file:///common-mistakes.spcs.yaml', 'spcs-spec', 1, readFileSync(file, 'utf8'));
  const diagnostics = service.validate(document);

  it('shows each deliberate mistake, each with a quick fix', () => {
    const expected = [
      'spcs/invalid-name',
      'spcs/gpu-request-limit',
      'spcs/invalid-memory',
      'spcs/unknown-key',
      'spcs/undefined-volume',
      'spcs/https-protocol',
      'spcs/stage-v1-deprecated',
    ];
    for (const code of expected) {
      const found = diagnostics.find((diagnostic) => diagnostic.code === code);
      assert.ok(found, `${code} is missing; got ${diagnostics.map((d) => String(d.code)).join(', ')}`);
      assert.ok(((found.data as DiagnosticData | undefined)?.fixes.length ?? 0) > 0, `${code} has no quick fix`);
    }
  });

  it('is left without errors by "Fix all"', () => {
    const fixed = TextDocument.create(document.uri, 'spcs-spec', 2, TextDocument.applyEdits(document, fixAllEdits(diagnostics)));
    const errors = service.validate(fixed).filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error);
    assert.deepEqual(errors.map((d) => `${d.range.start.line + 1}: ${String(d.code)} ${d.message}`), []);
  });
});
