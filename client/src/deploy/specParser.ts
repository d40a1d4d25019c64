/**
 * One deploy (or job run) parses each text once: the spec as the editor has it (the editor's own
 * parse, when the command passes it on) and each rendering of it with template values. Every step of
 * the run (the early checks, the pool fit of each pool, the plan, the readiness triage) asks here.
 *
 * Owns: the parsed documents of one run (dropped with it). Must not: be shared between runs.
 */

import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseSpecDocument, specLanguageId, type SpecDocument } from '../../../server/src/service';

/** The parsed document of a text of this run. */
export type SpecParser = (text: string) => SpecDocument;

/** A parser for the run of the spec `specText` at `specUri`, starting from `parsed` when the caller has it. */
export function specParser(specUri: string, specText: string, parsed?: SpecDocument): SpecParser {
  const documents = new Map<string, SpecDocument>();
  if (parsed !== undefined && parsed.text === specText) documents.set(specText, parsed);
  return (text) => {
    let document = documents.get(text);
    if (document === undefined) {
      // A rendering gets a URI of its own, so that nothing mistakes it for the file.
      document = parseSpecDocument(TextDocument.create(text === specText ? specUri : `${specUri}#rendered`, specLanguageId, 1, text));
      documents.set(text, document);
    }
    return document;
  };
}
