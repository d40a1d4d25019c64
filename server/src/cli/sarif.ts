/**
 * SARIF 2.1.0 output of `spcs-lint`, shaped for GitHub code scanning: one run, the full rule catalogue
 * as `tool.driver.rules` (so a result's rule has a description and a default level), results with
 * 1-based regions relative to the repository root (`%SRCROOT%`), and quick fixes as SARIF `fixes`.
 * Rule ids are the catalogue codes (`spcs/<name>`, as in the text and JSON output), each with its row
 * of the README table as `helpUri`.
 */

import path from 'node:path';
import type * as Sarif from 'sarif';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { codeDocumentationUrl, diagnosticCodes, diagnosticsDocumentationUrl, plainSummary, publishedCode, type DiagnosticCode, type Severity } from '../service/diagnosticCodes';
import type { DiagnosticData } from '../service/validate';
import { serverVersion } from '../version';


function level(severity: DiagnosticSeverity | Severity | undefined): Sarif.ReportingConfiguration.level {
  switch (severity) {
    case DiagnosticSeverity.Warning:
    case 'warning':
      return 'warning';
    case DiagnosticSeverity.Information:
    case DiagnosticSeverity.Hint:
    case 'information':
    case 'hint':
      return 'note';
    default:
      return 'error';
  }
}

function region(range: Diagnostic['range']): Sarif.Region {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

/** One checked file, as `lint.ts` produces it (declared here so that the formatter depends on nothing of the command). */
export interface FileResult {
  readonly file: string;
  readonly text: string;
  readonly diagnostics: readonly Diagnostic[];
}

export function toSarif(results: readonly FileResult[], cwd: string): Sarif.Log {
  const codes = Object.keys(diagnosticCodes) as DiagnosticCode[];
  const rules: Sarif.ReportingDescriptor[] = codes.map((code) => ({
    // The id is the catalogue code (`spcs/<name>`): code-scanning alerts are keyed on it.
    id: code,
    name: publishedCode(code),
    shortDescription: { text: plainSummary(code), markdown: diagnosticCodes[code].summary },
    helpUri: codeDocumentationUrl(code),
    defaultConfiguration: { level: level(diagnosticCodes[code].severity) },
    properties: { tags: ['spcs', ...diagnosticCodes[code].rules] },
  }));
  const ruleIndex = new Map(codes.map((code, index) => [code as string, index]));
  const sarifResults: Sarif.Result[] = [];
  for (const result of results) {
    const uri = path.relative(cwd, path.resolve(cwd, result.file)).split(path.sep).join('/');
    for (const diagnostic of result.diagnostics) {
      const code = String(diagnostic.code);
      const fixes = (diagnostic.data as DiagnosticData | undefined)?.fixes ?? [];
      sarifResults.push({
        ruleId: code,
        ...(ruleIndex.has(code) ? { ruleIndex: ruleIndex.get(code) } : {}),
        level: level(diagnostic.severity),
        message: { text: diagnostic.message },
        locations: [{ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: region(diagnostic.range) } }],
        ...(fixes.length > 0
          ? {
              fixes: fixes.map((fix) => ({
                description: { text: fix.title },
                artifactChanges: [
                  {
                    artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
                    replacements: fix.edits.map((edit) => ({ deletedRegion: region(edit.range), insertedContent: { text: edit.newText } })),
                  },
                ],
              })),
            }
          : {}),
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'spcs-lint', semanticVersion: serverVersion, informationUri: diagnosticsDocumentationUrl, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToUri(cwd)}/` } },
        results: sarifResults,
      },
    ],
  };
}

function pathToUri(directory: string): string {
  const normalized = directory.split(path.sep).join('/');
  return `file://${normalized.startsWith('/') ? '' : '/'}${normalized}`.replace(/\/$/, '');
}
