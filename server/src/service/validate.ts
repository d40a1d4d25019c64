/**
 * Diagnostics for a spec document: parse errors, document structure, the JSON Schema and the
 * semantic rules of `rules/`, merged into one list of LSP diagnostics.
 *
 * Owns: the order and isolation of checks (a rule that throws is logged through the `onRuleError`
 * callback and skipped, never crashing the server), the "more specific wins" merge (a schema error on
 * a node that a rule already explained is dropped), and conversion to LSP `Diagnostic`s with stable
 * codes, `source: 'spcs'` and quick fixes in `data.fixes`.
 *
 * When the YAML itself is broken, only the parse errors are reported (`parseDiagnostics.ts`, which
 * also groups them): anything computed from a half-parsed tree would be a cascade of misleading
 * follow-on errors.
 *
 * A template can make a document unparseable until it is rendered (a placeholder standing for a whole
 * block, `${containers}` alone on a line). Then one information diagnostic names the dialect at the
 * first placeholder that breaks the YAML, and the text above it is checked with the checks that a
 * missing rest cannot make wrong (`templateBreak.ts`).
 */

import { isMap, isScalar, isSeq } from 'yaml';
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic,
  type Range,
} from 'vscode-languageserver-types';
import { accountDiagnostics } from './catalog/catalogDiagnostics';
import type { AccountView } from './catalog/catalogState';
import { diagnosticCodes, type Severity } from './diagnosticCodes';
import { familyName, specFamily } from './family';
import { parseInstanceFamilyModeline, type InstanceFamily } from './instanceFamilies';
import { allRules } from './rules';
import type { QuickFix, Rule, RuleContext, RuleDiagnostic, ValidationSettings } from './rules/ruleApi';
import { schemaDiagnostics } from './schemaDiagnostics';
import {
  getPair,
  isSpecDocument,
  keyRange,
  legacyListKeys,
  nodeRange,
  offsetsToRange,
  type SpecDocument,
  type YAMLError,
} from './specDocument';
import { duplicateKeys, parseDiagnostics, yamlErrors } from './parseDiagnostics';
import { findTemplateBreak, prefixSafe } from './templateBreak';

export interface DiagnosticData {
  readonly fixes: readonly QuickFix[];
}

export interface ValidateOptions {
  readonly settings?: ValidationSettings;
  /** Called when a rule throws; the rule's diagnostics are dropped and the others still reported. */
  readonly onRuleError?: (rule: string, error: unknown) => void;
  /** The rules to run; all of them by default (tests pass one rule to check it in isolation). */
  readonly rules?: readonly Rule[];
  /**
   * The live account facts for this document (from a client that sends the account catalog). When
   * they name the target pool's live instance family, its capacity checks replace the offline
   * instance-family checks for this document.
   */
  readonly account?: AccountView;
}

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function validateSpec(doc: SpecDocument, options: ValidateOptions = {}): Diagnostic[] {
  if (!isSpecDocument(doc)) {
    return [];
  }
  return validateDocument(doc, { documentName: 'A service specification', check: (checked, errors) => checkDocument(checked, options, errors) });
}

/** How one kind of document is checked once its YAML parsed (see `validateDocument`). */
export interface DocumentChecks {
  /** What the document is, as a sentence's subject: 'A service specification'. */
  readonly documentName: string;
  /**
   * Every check of a document (or of the part above a template break): the parse problems first
   * (`withParseChecks`), the rest only when the YAML parsed.
   */
  check(doc: SpecDocument, errors: readonly YAMLError[]): RuleDiagnostic[];
}

/**
 * The diagnostics of a document of any kind: a document too large or too deep is not checked; a
 * template that breaks the YAML gets one information diagnostic and its prefix is checked with the
 * checks nothing below the break can change; otherwise every check of the kind runs.
 */
export function validateDocument(doc: SpecDocument, checks: DocumentChecks): Diagnostic[] {
  const collected: RuleDiagnostic[] = [];
  if (doc.notParsed) {
    collected.push({
      code: 'spcs/not-checked',
      at: offsetsToRange(doc, doc.notParsed.offset, Math.min(doc.text.length, doc.notParsed.offset + 1)),
      message: `This document is not checked: ${doc.notParsed.reason}. ${checks.documentName} is a small YAML document; split or simplify it.`,
    });
    return toLspDiagnostics(doc, collected);
  }
  const errors = yamlErrors(doc);
  const firstError = errors[0];
  const templateBreak = firstError ? findTemplateBreak(doc, firstError) : undefined;
  if (templateBreak) {
    collected.push(templateBreak.diagnostic);
    if (templateBreak.prefix) {
      const lastLine = templateBreak.lastPrefixLine;
      const prefix = templateBreak.prefix;
      collected.push(...checks.check(prefix, yamlErrors(prefix)).filter((diagnostic) => prefixSafe(diagnostic, resolveRange(prefix, diagnostic.at), lastLine)));
    }
    return toLspDiagnostics(doc, collected);
  }
  collected.push(...checks.check(doc, errors));
  return toLspDiagnostics(doc, collected);
}

/**
 * The parse problems of a document (grouped YAML errors and warnings, a second document, duplicate
 * keys), then `check`'s diagnostics when none of them is an error: anything computed from a
 * half-parsed tree would be a cascade of misleading follow-on errors. `singleDocument` is the
 * subject of the "later documents are ignored" warning (undefined: a second document is not reported).
 */
export function withParseChecks(doc: SpecDocument, errors: readonly YAMLError[], singleDocument: string | undefined, check: () => RuleDiagnostic[]): RuleDiagnostic[] {
  const parseProblems = [...parseDiagnostics(doc, errors, singleDocument), ...duplicateKeys(doc)];
  if (parseProblems.some((problem) => (problem.severity ?? diagnosticCodes[problem.code].severity) === 'error')) {
    return parseProblems;
  }
  return [...parseProblems, ...check()];
}

/**
 * Every check of a service spec: parse problems first; the rules, the schema and the account checks
 * only when the YAML parsed without errors.
 */
function checkDocument(doc: SpecDocument, options: ValidateOptions, errors: readonly YAMLError[] = yamlErrors(doc)): RuleDiagnostic[] {
  return withParseChecks(doc, errors, 'A service specification', () => {
    const collected: RuleDiagnostic[] = [];
    const settings = options.settings ?? {};
    const offlineFamily = resolveFamily(doc, settings, collected);
    // The live family of the target pool supersedes the modeline/setting: one capacity check, not two.
    const family = options.account?.pool?.family ? undefined : offlineFamily;
    const fromRules: RuleDiagnostic[] = [];
    const ctx: RuleContext = { doc, settings, family, report: (diagnostic) => fromRules.push(diagnostic) };
    const structure = structureDiagnostics(doc);
    fromRules.push(...structure);
    if (doc.spec) {
      for (const rule of options.rules ?? allRules) {
        const before = fromRules.length;
        try {
          rule.check(ctx);
        } catch (error) {
          fromRules.length = before;
          options.onRuleError?.(rule.name, error);
        }
      }
    }
    collected.push(...fromRules);
    if (doc.root) {
      collected.push(...withoutExplained(doc, schemaDiagnostics(doc), fromRules));
    }
    if (options.account && doc.spec) {
      // Kept apart from the rules' diagnostics: an account warning must never hide a schema error.
      const fromAccount: RuleDiagnostic[] = [];
      try {
        accountDiagnostics(doc, options.account, (diagnostic) => fromAccount.push(diagnostic));
        collected.push(...fromAccount);
      } catch (error) {
        options.onRuleError?.('account', error);
      }
    }
    return collected;
  });
}

function resolveFamily(doc: SpecDocument, settings: ValidationSettings, out: RuleDiagnostic[]): InstanceFamily | undefined {
  const modeline = parseInstanceFamilyModeline(doc.text);
  const name = familyName(doc, settings);
  const family = specFamily(doc, settings);
  if (name && !family && modeline) {
    const range: Range = {
      start: { line: modeline.range.line, character: modeline.range.startCharacter },
      end: { line: modeline.range.line, character: modeline.range.endCharacter },
    };
    out.push({
      code: 'spcs/unknown-instance-family',
      at: range,
      message: `'${name}' is not a known instance family, so capacity checks are skipped. Check the name against SHOW COMPUTE POOL INSTANCE FAMILIES.`,
    });
  }
  return family;
}

/** Checks on the document's overall shape: `spec`, `containers`, and the legacy singular keys. */
function structureDiagnostics(doc: SpecDocument): RuleDiagnostic[] {
  const result: RuleDiagnostic[] = [];
  const { root, spec } = doc;
  if (!doc.yaml || doc.yaml.contents === null) {
    return result;
  }
  if (!root) {
    result.push({
      code: 'spcs/missing-spec',
      at: nodeRange(doc, doc.yaml.contents ?? undefined, { firstLineOnly: true }),
      message: "A service specification is a mapping with a top-level 'spec:' key.",
    });
    return result;
  }
  const specPair = getPair(root, 'spec');
  if (!spec) {
    const first = root.items[0];
    result.push({
      code: 'spcs/missing-spec',
      at: specPair ? nodeRange(doc, specPair, { firstLineOnly: true }) : first ? keyRange(doc, first) : undefined,
      message: specPair
        ? "'spec' must be a mapping with 'containers:' (and optionally endpoints, volumes, …)."
        : "The top level has no 'spec:' key. A service specification starts with 'spec:' (with 'containers:' below it)" +
          (first && isScalar(first.key) ? `; '${String(first.key.value)}' is not a spec field` : '') +
          '.',
    });
    return result;
  }
  for (const [singular, plural] of Object.entries(legacyListKeys)) {
    const pair = getPair(spec, singular);
    if (!pair) {
      continue;
    }
    const range = keyRange(doc, pair);
    const hasPlural = getPair(spec, plural) !== undefined;
    result.push({
      code: 'spcs/legacy-singular-key',
      at: range,
      tags: ['deprecated'],
      message: hasPlural
        ? `'${singular}:' is the legacy singular form of '${plural}:', which this spec also has; move these items under '${plural}:'.`
        : `'${singular}:' is the legacy singular form from the 2023 preview; the current syntax is '${plural}:'.`,
      fixes: range && !hasPlural ? [{ title: `Rename '${singular}' to '${plural}'`, edits: [{ range, newText: plural }], isPreferred: true }] : undefined,
    });
  }
  const containersPair = getPair(spec, 'containers') ?? getPair(spec, 'container');
  if (doc.lists.containers.length === 0) {
    const value = containersPair?.value;
    const emptyList = isSeq(value) && value.items.length === 0;
    const present = containersPair !== undefined && (value === null || emptyList || (isScalar(value) && (value).value === null));
    if (!containersPair || present) {
      result.push({
        code: 'spcs/missing-containers',
        at: containersPair ? keyRange(doc, containersPair) : keyRange(doc, specPair),
        message: containersPair
          ? "'containers' is empty: a service needs at least one container with a 'name' and an 'image'."
          : "'spec' has no 'containers:'; a service needs at least one container with a 'name' and an 'image'.",
      });
    }
  }
  return result;
}

/** Drops schema diagnostics on nodes that a rule already reported (the rule's message is more specific). */
export function withoutExplained(doc: SpecDocument, schema: RuleDiagnostic[], rules: RuleDiagnostic[]): RuleDiagnostic[] {
  const explained = new Set<string>();
  for (const diagnostic of rules) {
    const range = resolveRange(doc, diagnostic.at);
    if (range) {
      explained.add(positionKey(range.start));
    }
  }
  return schema.filter((diagnostic) => {
    const range = resolveRange(doc, diagnostic.at);
    const places = [range, ...(diagnostic.anchors ?? [])];
    return range !== undefined && !places.some((place) => place !== undefined && explained.has(positionKey(place.start)));
  });
}

function positionKey(position: { line: number; character: number }): string {
  return `${position.line}:${position.character}`;
}

function resolveRange(doc: SpecDocument, at: RuleDiagnostic['at']): Range | undefined {
  if (!at) {
    return undefined;
  }
  if ('start' in at && 'end' in at && typeof (at).start === 'object' && !isMap(at)) {
    return at;
  }
  return nodeRange(doc, at as Parameters<typeof nodeRange>[1]);
}

/** More than this many diagnostics help nobody and slow every editor down; the rest are summarized. */
export const maxDiagnostics = 500;

export function toLspDiagnostics(doc: SpecDocument, collected: readonly RuleDiagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const result: Diagnostic[] = [];
  let dropped = 0;
  for (const item of collected) {
    if (result.length >= maxDiagnostics) {
      dropped++;
      continue;
    }
    const range = resolveRange(doc, item.at);
    if (!range) {
      continue;
    }
    const key = `${item.code}|${positionKey(range.start)}|${item.message}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    const data: DiagnosticData = { fixes: item.fixes ?? [] };
    const diagnostic: Diagnostic = {
      range,
      severity: severities[item.severity ?? diagnosticCodes[item.code].severity],
      code: item.code,
      source: 'spcs',
      message: item.message,
      data,
    };
    if (item.tags?.length) {
      diagnostic.tags = item.tags.map((tag) => (tag === 'deprecated' ? DiagnosticTag.Deprecated : DiagnosticTag.Unnecessary));
    }
    if (item.related?.length) {
      diagnostic.relatedInformation = item.related.map((related) => ({
        location: { uri: doc.textDocument.uri, range: related.range },
        message: related.message,
      }));
    }
    result.push(diagnostic);
  }
  result.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  if (dropped > 0) {
    result.push({
      range: offsetsToRange(doc, 0, 0),
      severity: severities[diagnosticCodes['spcs/too-many-problems'].severity],
      code: 'spcs/too-many-problems',
      source: 'spcs',
      message: `${dropped} more problems are not shown: only the first ${maxDiagnostics} are reported.`,
      data: { fixes: [] } satisfies DiagnosticData,
    });
  }
  return result;
}
