/**
 * Test helpers for the language service: build a document from inline YAML, validate it, apply
 * quick fixes. Tests read best when the YAML is written as an indented template literal, so
 * `yaml` strips the common indentation of its lines first.
 */

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { parseSpecDocument } from '../../server/src/service/specDocument';
import type { ValidationSettings } from '../../server/src/service/rules/ruleApi';
import { validateSpec, type DiagnosticData } from '../../server/src/service/validate';
import { assertPlainTextDiagnostics } from './plainText';

export const testUri = 'file:///test.spcs.yaml';

/** Removes the first empty line and the indentation common to all lines of a template literal. */
export function yaml(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '\n').split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(common)).join('\n');
}

export function createDocument(text: string): TextDocument {
  return TextDocument.create(testUri, 'spcs-spec', 1, text);
}

export function validateText(text: string, settings?: ValidationSettings): Diagnostic[] {
  const errors: string[] = [];
  const diagnostics = validateSpec(parseSpecDocument(createDocument(text)), {
    settings,
    onRuleError: (rule, error) => errors.push(`${rule}: ${String(error)}`),
  });
  if (errors.length > 0) {
    throw new Error(`A rule threw: ${errors.join('; ')}`);
  }
  // Every rule fixture also proves that its messages and quick fix titles are plain text.
  assertPlainTextDiagnostics(diagnostics);
  return diagnostics;
}

export function withCode(diagnostics: readonly Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.code === code);
}

export function fixesOf(diagnostic: Diagnostic): DiagnosticData['fixes'] {
  return (diagnostic.data as DiagnosticData | undefined)?.fixes ?? [];
}

/** Applies the fix with the given title (or the first fix) of a diagnostic to the text. */
export function applyFix(text: string, diagnostic: Diagnostic, title?: string): string {
  const fixes = fixesOf(diagnostic);
  const fix = title === undefined ? fixes[0] : fixes.find((candidate) => candidate.title === title);
  if (!fix) {
    throw new Error(`No fix${title ? ` titled ${title}` : ''} on ${String(diagnostic.code)}: ${fixes.map((candidate) => candidate.title).join(', ')}`);
  }
  return TextDocument.applyEdits(createDocument(text), [...fix.edits]);
}

const severityNumbers = { error: 1, warning: 2, information: 3, hint: 4 } as const;

/**
 * Asserts that exactly one diagnostic with `code` starts at the 0-based `line`/`character` and has
 * the given severity, and returns it.
 */
export function expectDiagnostic(
  diagnostics: readonly Diagnostic[],
  code: string,
  severity: keyof typeof severityNumbers,
  line: number,
  character: number,
): Diagnostic {
  const atStart = withCode(diagnostics, code).filter(
    (diagnostic) => diagnostic.range.start.line === line && diagnostic.range.start.character === character,
  );
  if (atStart.length !== 1) {
    throw new Error(
      `Expected one ${code} at ${line}:${character}, found ${atStart.length}. All diagnostics:\n${describe(diagnostics)}`,
    );
  }
  const [diagnostic] = atStart as [Diagnostic];
  if (diagnostic.severity !== severityNumbers[severity]) {
    throw new Error(`Expected ${code} at ${line}:${character} to be ${severity}, got severity ${String(diagnostic.severity)}`);
  }
  return diagnostic;
}

export function expectNoDiagnostic(diagnostics: readonly Diagnostic[], code: string): void {
  const found = withCode(diagnostics, code);
  if (found.length > 0) {
    throw new Error(`Expected no ${code}, found:\n${describe(found)}`);
  }
}

/** Asserts that nothing of error severity was reported. */
export function expectNoErrors(diagnostics: readonly Diagnostic[]): void {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === severityNumbers.error);
  if (errors.length > 0) {
    throw new Error(`Expected no errors, found:\n${describe(errors)}`);
  }
}

function describe(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((diagnostic) => `  ${String(diagnostic.code)} [${String(diagnostic.severity)}] ${diagnostic.range.start.line}:${diagnostic.range.start.character} ${diagnostic.message}`)
    .join('\n');
}
