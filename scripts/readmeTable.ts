/**
 * Writes the diagnostics table of README.md from the catalogue (`diagnosticCodes.ts`), between the
 * `diagnostics-table` markers. `npm run docs` runs it; a unit test fails when the README is stale.
 * Each row starts with the code's anchor (`#spcs-<name>`), the target of the link editors show next
 * to a diagnostic's code (`codeDescription.href`). The table is markdown: its summaries keep their
 * code spans.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { codeAnchor, diagnosticCodes, type DiagnosticCode } from '../server/src/service/diagnosticCodes';

export const start = '<!-- diagnostics-table:start -->';
export const end = '<!-- diagnostics-table:end -->';

export function diagnosticsTable(): string {
  const rows = (Object.keys(diagnosticCodes) as DiagnosticCode[]).map((code) => {
    const info = diagnosticCodes[code];
    return `| <a id="${codeAnchor(code)}"></a>\`${code}\` | ${info.severity} | ${info.rules.join(', ') || '–'} | ${info.summary.replace(/\|/g, '\\|')} |`;
  });
  return ['| Code | Severity | Rules | What it means |', '|---|---|---|---|', ...rows].join('\n');
}

export function withTable(readme: string): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from === -1 || to === -1) {
    throw new Error('README.md has no diagnostics-table markers');
  }
  return `${readme.slice(0, from + start.length)}\n${diagnosticsTable()}\n${readme.slice(to)}`;
}

if (require.main === module) {
  const file = path.resolve(__dirname, '../README.md');
  writeFileSync(file, withTable(readFileSync(file, 'utf8')));
  console.log('README.md: diagnostics table updated');
}
