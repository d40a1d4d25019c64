/**
 * Templates that are not YAML until rendered: deciding whether a template explains a document's first
 * parse error, and what can still be checked above it.
 *
 * Owns: finding the placeholder that breaks the YAML (one standing alone on its line(s), such as
 * `${containers}` or `{{ env_block }}`, where the rendered text will be a whole block), the one
 * information diagnostic that names the dialect there, and the part of the document above it that is
 * checked: the text up to that line, parsed on its own, with only the checks whose verdict the rest of
 * the document cannot change (a value's own type or format, a misspelled key, duplicates, counts and
 * sums already over a limit). "Missing" checks, references and pairs of fields are left out: what they
 * look for may be below the break.
 *
 * A template explains the error only when blanking those placeholders makes the error go away; a real
 * YAML mistake in a template file is still reported as a parse error.
 *
 * Must not: report anything else, or run when the masked document parses.
 */

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import { isScalar } from 'yaml';
import type { DiagnosticCode } from './diagnosticCodes';
import type { RuleDiagnostic } from './rules/ruleApi';
import { offsetsToRange, parseSpecDocument, parseYamlDocuments, type SpecDocument, type YAMLError } from './specDocument';
import { dialectDescription, type Placeholder } from './templates';

export interface TemplateBreak {
  readonly diagnostic: RuleDiagnostic;
  /** The document above the breaking placeholder, when it parses on its own. */
  readonly prefix: SpecDocument | undefined;
  /** 0-based line of the prefix's last line with content: what is reported there may be cut short. */
  readonly lastPrefixLine: number;
}

export function findTemplateBreak(doc: SpecDocument, firstError: YAMLError): TemplateBreak | undefined {
  const alone = doc.placeholders.filter((placeholder) => placeholder.kind !== 'statement' && standsAlone(doc.text, placeholder));
  const errorStart = firstError.pos[0];
  const before = alone.filter((placeholder) => lineStart(doc.text, placeholder.start) <= errorStart);
  const breaking = before[before.length - 1];
  if (!breaking || !blankingFixes(doc, alone, errorStart)) {
    return undefined;
  }
  const cut = lineStart(doc.text, breaking.start);
  const firstLineEnd = Math.min(breaking.end, lineEnd(doc.text, breaking.start));
  const diagnostic: RuleDiagnostic = {
    code: 'spcs/template-not-yaml',
    at: offsetsToRange(doc, breaking.start, firstLineEnd),
    message: `This looks like ${dialectDescription(breaking)}: it is not YAML until rendered, so it is checked only as far as this placeholder, the first one that breaks the YAML.`,
  };
  return { diagnostic, ...prefixOf(doc, cut) };
}

/** Whether the masked text parses past `errorStart` once the placeholders that stand alone are blank. */
function blankingFixes(doc: SpecDocument, alone: readonly Placeholder[], errorStart: number): boolean {
  let blanked = '';
  let last = 0;
  for (const placeholder of alone) {
    blanked += doc.maskedText.slice(last, placeholder.start) + doc.maskedText.slice(placeholder.start, placeholder.end).replace(/[^\r\n]/g, ' ');
    last = placeholder.end;
  }
  blanked += doc.maskedText.slice(last);
  const errors = parseYamlDocuments(blanked).flatMap((document) => document.errors);
  return errors.every((error) => error.pos[0] > errorStart);
}

function prefixOf(doc: SpecDocument, cut: number): Pick<TemplateBreak, 'prefix' | 'lastPrefixLine'> {
  const text = doc.text.slice(0, cut);
  const lastPrefixLine = lastContentLine(text);
  if (lastPrefixLine < 0) {
    return { prefix: undefined, lastPrefixLine };
  }
  const { uri, languageId, version } = doc.textDocument;
  const prefix = parseSpecDocument(TextDocument.create(uri, languageId, version, text));
  const parses = prefix.yaml !== undefined && [prefix.yaml, ...prefix.extraDocuments].every((document) => document.errors.length === 0);
  return { prefix: parses ? prefix : undefined, lastPrefixLine };
}

/**
 * Checks whose verdict nothing below the break can change. Schema type, value and format checks count
 * only on scalars (a mapping or list at the break may go on below it).
 */
const prefixSafeCodes: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>([
  'spcs/invalid-type',
  'spcs/invalid-value',
  'spcs/invalid-format',
  'spcs/unknown-key',
  'spcs/duplicate-key',
  'spcs/legacy-singular-key',
  'spcs/invalid-name',
  'spcs/duplicate-name',
  'spcs/invalid-role-name',
  'spcs/builtin-role-name',
  'spcs/mount-path',
  'spcs/stage-v1-deprecated',
  'spcs/invalid-block-size',
  'spcs/invalid-snapshot-delete-after',
  'spcs/limit-exceeded',
  'spcs/https-protocol',
  'spcs/invalid-port',
  'spcs/duplicate-port',
  'spcs/probe-values',
  'spcs/invalid-memory',
  'spcs/invalid-cpu',
  'spcs/request-exceeds-limit',
  'spcs/gpu-exceeds-family',
  'spcs/capacity-exceeded',
  'spcs/limit-capped',
  'spcs/unknown-instance-family',
  'spcs/env-value-not-scalar',
  'spcs/env-injected-name',
  'spcs/image-not-in-repository',
  'spcs/image-without-tag',
]);
const scalarOnlyCodes: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>(['spcs/invalid-type', 'spcs/invalid-value', 'spcs/invalid-format']);

/** Whether a diagnostic of the prefix stands whatever the template renders below it. */
export function prefixSafe(diagnostic: RuleDiagnostic, range: Range | undefined, lastPrefixLine: number): boolean {
  if (!prefixSafeCodes.has(diagnostic.code) || !range || range.start.line >= lastPrefixLine) {
    return false;
  }
  if (scalarOnlyCodes.has(diagnostic.code)) {
    return isScalar(diagnostic.at) && diagnostic.at.value !== null;
  }
  return true;
}

/** A placeholder with nothing but blanks (and a comment) around it on its line(s). */
function standsAlone(text: string, placeholder: Placeholder): boolean {
  const before = text.slice(lineStart(text, placeholder.start), placeholder.start);
  const after = text.slice(placeholder.end, lineEnd(text, placeholder.end));
  return before.trim() === '' && /^\s*(?:#.*)?$/.test(after);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end;
}

function lastContentLine(text: string): number {
  const lines = text.split('\n');
  for (let line = lines.length - 1; line >= 0; line--) {
    const trimmed = (lines[line] ?? '').trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) {
      return line;
    }
  }
  return -1;
}
