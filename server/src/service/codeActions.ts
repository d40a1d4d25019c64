/**
 * Code actions: the quick fixes that rules attach to their diagnostics, and "Fix all".
 *
 * Owns: turning `data.fixes` of the document's diagnostics into LSP `CodeAction`s for a range, and a
 * `source.fixAll.spcs` action that applies every preferred fix whose edits do not overlap. The fixes
 * are recomputed from the document (not read from the client's copy of the diagnostics), so clients
 * that drop `data` still get them.
 *
 * Also "Create service function…" (kind `refactor`) on an HTTP endpoint of the spec (protocol HTTP
 * or absent): a Command `spcs.createServiceFunction` with `{ uri, endpoint, port }` that only a
 * client with live account data can run, so it is offered only when the request says the client
 * announced `experimental.spcsAccount` (`accountCommands`).
 */

import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver-types';
import { getScalar, nodeOffsets, offsetsToRange, scalarText, type SpecDocument } from './specDocument';
import type { DiagnosticData } from './validate';

export const fixAllKind = `${CodeActionKind.SourceFixAll}.spcs`;

export interface CodeActionRequest {
  readonly range: Range;
  /** Kinds the client asked for (`only`); all kinds when absent. */
  readonly only?: readonly string[];
  /** The client runs the account commands (it announced `experimental.spcsAccount`). */
  readonly accountCommands?: boolean;
}

/** The client command the "Create service function…" action runs (client/src/commands/serviceFunctionCommand.ts). */
export const createServiceFunctionCommand = 'spcs.createServiceFunction';

/** The argument of `spcs.createServiceFunction` from the code action. */
export interface ServiceFunctionActionArgument {
  readonly uri: string;
  readonly endpoint: string;
  readonly port?: string;
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
  if (request.accountCommands === true && wants(CodeActionKind.Refactor)) {
    actions.push(...serviceFunctionActions(doc, request.range));
  }
  if (wants(fixAllKind)) {
    const edits = fixAllEdits(diagnostics);
    if (edits.length > 0) {
      actions.push({ title: 'Fix all auto-fixable SPCS problems', kind: fixAllKind, edit: { changes: { [uri]: edits } } });
    }
  }
  return actions;
}

/** "Create service function…" for each HTTP endpoint whose item the range touches. */
function serviceFunctionActions(doc: SpecDocument, range: Range): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const endpoint of doc.lists.endpoints) {
    const offsets = nodeOffsets(endpoint.node);
    if (endpoint.name === undefined || offsets === undefined) {
      continue;
    }
    // From the start of the item's first line, so that a cursor on its `- ` counts too.
    const itemRange = offsetsToRange(doc, offsets[0], offsets[1]);
    if (!overlaps({ start: { line: itemRange.start.line, character: 0 }, end: itemRange.end }, range)) {
      continue;
    }
    const protocol = scalarText(getScalar(endpoint.node, 'protocol'));
    if (protocol !== undefined && protocol.trim().toUpperCase() !== 'HTTP') {
      continue;
    }
    const port = getScalar(endpoint.node, 'port')?.value;
    const argument: ServiceFunctionActionArgument = {
      uri: doc.textDocument.uri,
      endpoint: endpoint.name,
      ...(typeof port === 'number' || typeof port === 'string' ? { port: String(port) } : {}),
    };
    actions.push({
      title: 'Create service function…',
      kind: CodeActionKind.Refactor,
      command: { title: 'Create service function…', command: createServiceFunctionCommand, arguments: [argument] },
    });
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
