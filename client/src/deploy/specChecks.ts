/**
 * The checks every plan (deploy or job) starts with: the document is a spec, it has no error
 * diagnostics (capacity errors set aside when the pool's own fit decides), its template placeholders
 * are ones Snowflake fills, every variable has a value, and the rendered spec has no error either.
 *
 * Pure. Must not: re-implement the language service (its diagnostics and document model are used).
 */

import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { isFamilyCapacityError, validateSpec, volumeKind, type SpecDocument } from '../../../server/src/service';
import type * as sql from '../snowflake/sql';
import { analyzeTemplate, defaultText, renderTemplate, usingValue } from '../specs/templates';
import type { DeployInput, Refusal } from './plans';
import { specParser, type SpecParser } from './specParser';

export interface PreparedSpec {
  readonly source: sql.SpecSource;
  readonly rendered: string;
  readonly templated: boolean;
  readonly warnings: readonly string[];
}

/** Checks the template values and builds the spec source (inline, or template + USING). */
function prepareSpec(specText: string, values: Readonly<Record<string, sql.TemplateValue>>): { ok: true; spec: PreparedSpec } | { ok: false; refusal: Refusal } {
  const analysis = analyzeTemplate(specText);
  if (analysis.unsupported.length > 0) {
    const shown = [...new Set(analysis.unsupported)].slice(0, 3).join(', ');
    return {
      ok: false,
      refusal: {
        kind: 'unsupportedTemplate',
        message: `The spec uses placeholders Snowflake does not fill (${shown}): only '{{ variable }}' templates are rendered by CREATE SERVICE. Render the file first (e.g. with 'snow' project templating) or replace them with values.`,
      },
    };
  }
  if (analysis.variables.length === 0) {
    const unused = Object.keys(values);
    return {
      ok: true,
      spec: { source: { kind: 'inline', text: specText }, rendered: specText, templated: false, warnings: unused.length > 0 ? [`The spec has no template variables; the remembered values for ${unused.join(', ')} are not used.`] : [] },
    };
  }
  const missing = analysis.variables.filter((variable) => values[variable.name] === undefined && variable.defaultValue === undefined).map((variable) => variable.name);
  if (missing.length > 0) {
    return {
      ok: false,
      refusal: {
        kind: 'missingTemplateValues',
        missing,
        message: `The spec is a template: give a value for ${missing.map((name) => `'${name}'`).join(', ')} (${missing.length === 1 ? 'it has' : 'they have'} no default).`,
      },
    };
  }
  const warnings: string[] = [];
  const used = new Set(analysis.variables.map((variable) => variable.name));
  const unused = Object.keys(values).filter((name) => !used.has(name));
  if (unused.length > 0) {
    warnings.push(`The values for ${unused.join(', ')} are not used: the spec has no such variable${unused.length === 1 ? '' : 's'}.`);
  }
  const using: Record<string, sql.TemplateValue> = {};
  for (const variable of analysis.variables) {
    const value = values[variable.name];
    if (value !== undefined) using[variable.name] = usingValue(value);
  }
  if (Object.keys(using).length === 0) {
    // USING needs at least one value: pass the defaults explicitly (the same text the template would use).
    for (const variable of analysis.variables) {
      if (variable.defaultValue !== undefined) using[variable.name] = usingValue(defaultText(variable.defaultValue));
    }
  }
  const rendered = renderTemplate(specText, values);
  return { ok: true, spec: { source: { kind: 'template', text: specText, using }, rendered, templated: true, warnings } };
}

export function errorsOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error);
}

/** Errors the language service finds in the rendered spec (a value that made the spec invalid). */
function renderedErrors(rendered: SpecDocument): Diagnostic[] {
  return errorsOf(validateSpec(rendered)).filter((diagnostic) => !isFamilyCapacityError(diagnostic.code));
}

export function hasBlockVolumes(doc: SpecDocument): boolean {
  return doc.lists.volumes.some((volume) => volumeKind(doc, volume.node) === 'block');
}

/** The run's parser of `input` (its own when the caller gave none). */
export function parserOf(input: Pick<DeployInput, 'specText' | 'specUri' | 'parse'>): SpecParser {
  return input.parse ?? specParser(input.specUri, input.specText);
}

/**
 * The checks every plan starts with: the document is a spec, and it has no error diagnostics.
 * Capacity errors are left out when the pool's fit is given: they were computed against the family
 * the editor assumed (modeline or setting), and the pool's own fit is the authority.
 */
export function checkSpec(input: Pick<DeployInput, 'specText' | 'specUri' | 'diagnostics' | 'poolFit' | 'parse'>, doing: string): { ok: true; warnings: string[] } | { ok: false; refusal: Refusal } {
  if (!parserOf(input)(input.specText).looksLikeSpec) {
    return { ok: false, refusal: { kind: 'notASpec', message: "This file is not a service specification (it needs a top-level 'spec:' with 'containers:')." } };
  }
  const all = errorsOf(input.diagnostics);
  const errors = all.filter((diagnostic) => input.poolFit === undefined || !isFamilyCapacityError(diagnostic.code));
  if (errors.length > 0) {
    return {
      ok: false,
      refusal: {
        kind: 'errors',
        diagnostics: errors,
        message: `The spec has ${errors.length} error${errors.length === 1 ? '' : 's'} (first: line ${(errors[0]?.range.start.line ?? 0) + 1}: ${errors[0]?.message ?? ''}). Snowflake would reject it; fix ${errors.length === 1 ? 'it' : 'them'} before ${doing}.`,
      },
    };
  }
  const warnings =
    input.poolFit !== undefined && all.length > errors.length
      ? [`The editor checked capacity against another instance family than ${input.poolFit.family?.name ?? 'the family'} of ${input.poolFit.pool}; the pool's own fit was used instead.`]
      : [];
  return { ok: true, warnings };
}

/** The spec source and rendered text, refusing template values that make the spec invalid. */
export function renderChecked(specText: string, parse: SpecParser, values: Readonly<Record<string, sql.TemplateValue>>): { ok: true; spec: PreparedSpec } | { ok: false; refusal: Refusal } {
  const prepared = prepareSpec(specText, values);
  if (!prepared.ok || !prepared.spec.templated) return prepared;
  const problems = renderedErrors(parse(prepared.spec.rendered));
  if (problems.length === 0) return prepared;
  return {
    ok: false,
    refusal: {
      kind: 'renderedErrors',
      diagnostics: problems,
      renderedSpec: prepared.spec.rendered,
      message: `With the template values filled in, the spec has ${problems.length} error${problems.length === 1 ? '' : 's'} (first: line ${(problems[0]?.range.start.line ?? 0) + 1}: ${problems[0]?.message ?? ''}). Check the values.`,
    },
  };
}
