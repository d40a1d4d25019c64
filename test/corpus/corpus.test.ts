/**
 * The real-world corpus (`../shared/corpus`, 93 public specs with labels) as a regression test.
 *
 * For every spec, `expectations.json` says which errors it must get (exactly: code and 1-based
 * line, as a set) and which warnings must be present (and whether they carry a quick fix). A quick
 * fix is also applied, and the result must no longer carry that diagnostic nor gain an error.
 *
 * The corpus lives outside the repository and is not copied into it; the test is skipped with a
 * message when the folder is absent (set SPCS_CORPUS to point elsewhere).
 */

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { SpcsLanguageService } from '../../server/src/service/languageService';
import type { DiagnosticData } from '../../server/src/service/validate';

interface Expected {
  readonly code: string;
  readonly line: number;
  readonly fix?: boolean;
  readonly why?: string;
}

interface Expectation {
  readonly label: string;
  readonly errors: readonly Expected[];
  readonly warnings: readonly Expected[];
}

const corpusDir = process.env.SPCS_CORPUS ?? path.resolve(__dirname, '../../../shared/corpus');
const specsDir = path.join(corpusDir, 'specs');
const expectations = JSON.parse(readFileSync(path.join(__dirname, 'expectations.json'), 'utf8')) as Record<string, Expectation>;
const present = existsSync(specsDir);

function check(file: string, text: string) {
  const service = new SpcsLanguageService();
  const document = TextDocument.create(`file:///corpus/${encodeURIComponent(file)}`, 'spcs-spec', 1, text);
  return { service, document, diagnostics: service.validate(document) };
}

const key = (code: string, line: number) => `${code}@${line}`;
const isError = (diagnostic: Diagnostic) => diagnostic.severity === DiagnosticSeverity.Error;

describe('corpus', { skip: present ? false : `corpus folder ${specsDir} is absent (set SPCS_CORPUS)` }, () => {
  const files = present ? readdirSync(specsDir).filter((file) => !file.startsWith('.')).sort() : [];

  it('has an expectation for every corpus spec', () => {
    const missing = files.filter((file) => !(file in expectations));
    assert.deepEqual(missing, [], 'label these specs in test/corpus/expectations.json');
  });

  for (const file of files) {
    const expectation = expectations[file];
    if (!expectation) {
      continue;
    }
    it(`[${expectation.label}] ${file}`, () => {
      const text = readFileSync(path.join(specsDir, file), 'utf8');
      const { service, document, diagnostics } = check(file, text);
      const actualErrors = new Set(diagnostics.filter(isError).map((d) => key(String(d.code), d.range.start.line + 1)));
      const expectedErrors = new Set(expectation.errors.map((e) => key(e.code, e.line)));
      const describeAll = () =>
        diagnostics.map((d) => `  ${d.range.start.line + 1}:${d.range.start.character + 1} ${['', 'error', 'warning', 'info', 'hint'][d.severity ?? 1]} ${String(d.code)} ${d.message}`).join('\n');
      assert.deepEqual([...actualErrors].sort(), [...expectedErrors].sort(), `errors differ for ${file}; got:\n${describeAll()}`);

      for (const warning of expectation.warnings) {
        const found = diagnostics.find(
          (d) => String(d.code) === warning.code && d.range.start.line + 1 === warning.line && d.severity !== DiagnosticSeverity.Error,
        );
        assert.ok(found, `missing ${warning.code} at line ${warning.line} (${warning.why ?? ''}) in ${file}; got:\n${describeAll()}`);
        if (!warning.fix) {
          continue;
        }
        const fixes = (found.data as DiagnosticData | undefined)?.fixes ?? [];
        assert.ok(fixes.length > 0, `${warning.code} at line ${warning.line} has no quick fix in ${file}`);
        const fixed = TextDocument.create(document.uri, 'spcs-spec', 2, TextDocument.applyEdits(document, [...(fixes[0]?.edits ?? [])]));
        const after = service.validate(fixed);
        assert.ok(
          !after.some((d) => String(d.code) === warning.code && d.range.start.line === found.range.start.line),
          `the quick fix "${fixes[0]?.title ?? ''}" did not remove ${warning.code} at line ${warning.line} in ${file}`,
        );
        const newErrors = after.filter(isError).map((d) => key(String(d.code), d.range.start.line + 1)).filter((k) => !actualErrors.has(k));
        const shiftedParseOnly = newErrors.every((k) => expectedErrors.size > 0 && k.startsWith('spcs/parse-error'));
        assert.ok(newErrors.length === 0 || shiftedParseOnly, `the quick fix "${fixes[0]?.title ?? ''}" introduced errors in ${file}: ${newErrors.join(', ')}`);
      }
    });
  }
});
