/**
 * The sample workspace (`samples/`) is what a newcomer sees first and what the README shows, so every
 * sample must be a valid spec: no errors and no warnings.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { SpcsLanguageService } from '../../server/src/service/languageService';

const samples = path.resolve(__dirname, '../../samples');

describe('samples', () => {
  for (const file of readdirSync(samples).filter((name) => name.endsWith('.spcs.yaml'))) {
    it(`${file} has no errors or warnings`, () => {
      const text = readFileSync(path.join(samples, file), 'utf8');
      const diagnostics = new SpcsLanguageService().validate(TextDocument.create(`file:///${file}`, 'spcs-spec', 1, text));
      const problems = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning);
      assert.deepEqual(problems.map((d) => `${d.range.start.line + 1}: ${String(d.code)} ${d.message}`), []);
    });
  }
});
