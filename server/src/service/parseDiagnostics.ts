/**
 * Parse-level diagnostics of a spec document: YAML errors and warnings, a second YAML document, and
 * keys that appear twice in one mapping.
 *
 * Owns: grouping parse errors so that a broken document shows the first error of each mistake and the
 * count of those that may follow from it (not a line of red per line below a misplaced indentation),
 * and the wording of parse errors. Must not: look at anything the parser did not report, except the
 * duplicate keys it is told not to check (`uniqueKeys: false`, see `specDocument.ts`).
 */

import { isMap, isScalar, isSeq } from 'yaml';
import type { Severity } from './diagnosticCodes';
import type { RuleDiagnostic } from './rules/ruleApi';
import { isTemplated, offsetsToRange, type SpecDocument, type YAMLError } from './specDocument';
import { hasStatements } from './templates';

/** The YAML errors of every document in the text, in text order. */
export function yamlErrors(doc: SpecDocument): YAMLError[] {
  const documents = doc.yaml ? [doc.yaml, ...doc.extraDocuments] : [];
  const errors = documents.flatMap((document) => document.errors);
  return errors.sort((a, b) => a.pos[0] - b.pos[0] || a.pos[1] - b.pos[1]);
}

/**
 * `singleDocument`: the subject of the warning on a second YAML document ('A service specification');
 * undefined when the document kind does not report one.
 */
export function parseDiagnostics(doc: SpecDocument, errors: readonly YAMLError[], singleDocument: string | undefined = 'A service specification'): RuleDiagnostic[] {
  const result: RuleDiagnostic[] = [];
  for (const group of groupParseErrors(doc, errors)) {
    result.push(parseError(doc, group.first, 'error', group.following));
  }
  const documents = doc.yaml ? [doc.yaml, ...doc.extraDocuments] : [];
  for (const document of documents) {
    for (const warning of document.warnings) {
      result.push(parseError(doc, warning, 'warning', 0));
    }
  }
  const extra = doc.extraDocuments.find((document) => document.contents !== null);
  if (extra && doc.root && singleDocument !== undefined) {
    const start = extra.range[0];
    result.push({
      code: 'spcs/multiple-documents',
      at: offsetsToRange(doc, start, start + 3),
      message: `${singleDocument} is a single YAML document; Snowflake reads only the first one, so everything after this '---' is ignored.`,
    });
  }
  return result;
}

interface ParseErrorGroup {
  readonly first: YAMLError;
  /** How many later errors were folded into this one. */
  following: number;
  /** The furthest offset any error of the group covers. */
  end: number;
  readonly line: number;
  tabs: boolean;
}

/**
 * Groups parse errors by what may have caused them. A later error joins the group before it when it
 * starts inside that group's span (an unclosed quote or collection swallows what follows), on the
 * same line, or is a kind the parser reports when an earlier line broke the structure: a collection
 * item at an unexpected column (`BAD_INDENT`), or more indentation by tabs. Other errors start a group
 * of their own: two pseudo-syntax `...` lines in a documentation snippet are two mistakes.
 */
function groupParseErrors(doc: SpecDocument, errors: readonly YAMLError[]): ParseErrorGroup[] {
  const groups: ParseErrorGroup[] = [];
  for (const error of errors) {
    const [start, end] = error.pos;
    const line = doc.lineCounter.linePos(start).line;
    const tab = error.code === 'TAB_AS_INDENT';
    const group = groups[groups.length - 1];
    if (group && (start < group.end || line === group.line || error.code === 'BAD_INDENT' || (tab && group.tabs))) {
      group.following++;
      group.end = Math.max(group.end, end);
      group.tabs ||= tab;
      continue;
    }
    groups.push({ first: error, following: 0, end: Math.max(end, start + 1), line, tabs: tab });
  }
  return groups;
}

/**
 * Keys that appear twice in one mapping. The parser's own check is quadratic in a mapping's size, so
 * it is off (`uniqueKeys: false`) and this walk does it with a set per mapping. With template control
 * statements (`{% if %}` … `{% else %}`, `%{ if }`) two branches often set the same key: nothing is
 * reported then.
 */
export function duplicateKeys(doc: SpecDocument): RuleDiagnostic[] {
  const result: RuleDiagnostic[] = [];
  if (hasStatements(doc.placeholders)) {
    return result;
  }
  const documents = doc.yaml ? [doc.yaml, ...doc.extraDocuments] : [];
  for (const document of documents) {
    duplicateKeysIn(doc, document.contents, result);
  }
  return result;
}

/** A plain recursive walk (the `visit` helper allocates a path per node, on every keystroke). */
function duplicateKeysIn(doc: SpecDocument, node: unknown, out: RuleDiagnostic[]): void {
  if (isSeq(node)) {
    for (const item of (node).items) {
      duplicateKeysIn(doc, item, out);
    }
    return;
  }
  if (!isMap(node)) {
    return;
  }
  const map = node;
  const seen = new Set<string>();
  for (const item of map.items) {
    duplicateKeysIn(doc, item.key, out);
    duplicateKeysIn(doc, item.value, out);
    if (!isScalar(item.key) || isTemplated(doc, item.key)) {
      continue;
    }
    const key = String(item.key.value);
    if (seen.has(key)) {
      out.push({
        code: 'spcs/duplicate-key',
        at: item.key,
        message: `'${key}' appears twice in this mapping: YAML parsers disagree on which value wins (many reject the document); keep one.`,
      });
    }
    seen.add(key);
  }
}

function parseError(doc: SpecDocument, error: YAMLError, severity: Severity, following: number): RuleDiagnostic {
  const [start, end] = error.pos;
  const range = offsetsToRange(doc, start, Math.max(end, start + 1));
  let message = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'Invalid YAML';
  const formatPlaceholder = /\{[A-Za-z_][\w.()\s]*\}/.exec(doc.text.slice(lineStart(doc.text, start), lineEnd(doc.text, end)));
  if (formatPlaceholder) {
    message += `. '${formatPlaceholder[0]}' starts a YAML flow mapping: if it is a format-string placeholder (Python f-string, str.format), render the spec first or quote the value.`;
  } else {
    message = `${message.replace(/\.$/, '')}.`;
  }
  if (following > 0) {
    message = `${message.replace(/\.$/, '')} (and ${following} more parse error${following === 1 ? '' : 's'} that may follow from this one).`;
  }
  return { code: 'spcs/parse-error', at: range, severity, message: `YAML: ${message}` };
}

function lineStart(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end;
}
