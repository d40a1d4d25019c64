/**
 * Test fixtures in yaml-language-server's style: a spec written as text with a caret marking the
 * cursor. `withCaret` strips the caret and gives the position; `specDocument` parses text the way the
 * language service does. The caret is `|` unless a test that needs `|` (block scalars) names another.
 */

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import { parseSpecDocument, type SpecDocument } from '../../../server/src/service/specDocument';

export interface CaretFixture {
  readonly text: string;
  readonly offset: number;
  readonly position: Position;
  readonly doc: SpecDocument;
}

/** Parses `text` as an SPCS spec document (language id `spcs-spec`). */
export function specDocument(text: string, languageId = 'spcs-spec'): SpecDocument {
  return parseSpecDocument(TextDocument.create('file:///test.spcs.yaml', languageId, 1, text));
}

/** Strips the one caret in `marked` and returns the cursor position in the text without it. */
export function withCaret(marked: string, caret = '|'): CaretFixture {
  const offset = marked.indexOf(caret);
  if (offset === -1 || marked.indexOf(caret, offset + caret.length) !== -1) {
    throw new Error(`a fixture needs exactly one caret "${caret}": ${JSON.stringify(marked)}`);
  }
  const text = marked.slice(0, offset) + marked.slice(offset + caret.length);
  const doc = specDocument(text);
  return { text, offset, position: doc.textDocument.positionAt(offset), doc };
}
