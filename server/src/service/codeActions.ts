/**
 * Code actions: the quick fixes that rules attach to their diagnostics, and "Fix all".
 *
 * Owns: turning `data.fixes` of the document's diagnostics into LSP `CodeAction`s for a range, and a
 * `source.fixAll.spcs` action that applies every preferred fix whose edits do not overlap. The fixes
 * are recomputed from the document (not read from the client's copy of the diagnostics), so clients
 * that drop `data` still get them.
 */

import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver-types';
import type { SpecDocument } from './specDocument';
import type { DiagnosticData } from './validate';

export const fixAllKind = `${CodeActionKind.SourceFixAll}.spcs`;

export interface CodeActionRequest {
  readonly range: Range;
  /** Kinds the client asked for (`only`); all kinds when absent. */
  readonly only?: readonly string[];
}

export function getCodeActions(doc: SpecDocument, diagnostics: readonly Diagnostic[], request: CodeActionRequest): CodeAction[] {
  const uri = doc.textDocument.uri;
  const wants = (kind: string) => !request.only || request.only.some((only) => kind === only || kind.startsWith(`${only}.`));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    for (const diagnostic of diagnostics) {
      if (!overlaps(diagnostic.range, request.range)) {
        continue;
      }
      for (const fix of fixesOf(diagnostic)) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: fix.isPreferred ?? false,
          edit: { changes: { [uri]: [...fix.edits] } },
        });
      }
    }
  }
  if (wants(fixAllKind)) {
    const edits = fixAllEdits(diagnostics);
    if (edits.length > 0) {
      actions.push({ title: 'Fix all auto-fixable SPCS problems', kind: fixAllKind, edit: { changes: { [uri]: edits } } });
    }
  }
  return actions;
}

function fixesOf(diagnostic: Diagnostic): DiagnosticData['fixes'] {
  const fixes: unknown = (diagnostic.data as Partial<DiagnosticData> | undefined)?.fixes;
  return Array.isArray(fixes) ? (fixes as DiagnosticData['fixes']) : [];
}

/** Every preferred fix, skipping any whose edits overlap an edit already taken. */
export function fixAllEdits(diagnostics: readonly Diagnostic[]): TextEdit[] {
  const taken: TextEdit[] = [];
  for (const diagnostic of diagnostics) {
    const fix = fixesOf(diagnostic).find((candidate) => candidate.isPreferred);
    if (!fix) {
      continue;
    }
    if (fix.edits.every((edit) => taken.every((other) => !overlaps(edit.range, other.range, true)))) {
      taken.push(...fix.edits);
    }
  }
  return taken;
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Whether two ranges touch (inclusive) or, with `strict`, share at least one character or an insertion point. */
function overlaps(a: Range, b: Range, strict = false): boolean {
  if (strict) {
    return !(before(a.end, b.start) || before(b.end, a.start)) && !(isEmptyTouch(a, b) && !sameStart(a, b));
  }
  return !(before(a.end, b.start) || before(b.end, a.start));
}

function isEmptyTouch(a: Range, b: Range): boolean {
  return (a.end.line === b.start.line && a.end.character === b.start.character) || (b.end.line === a.start.line && b.end.character === a.start.character);
}

function sameStart(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character;
}
