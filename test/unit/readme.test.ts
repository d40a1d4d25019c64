import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { withTable } from '../../scripts/readmeTable';
import { codeDocumentationUrl, diagnosticCodes, diagnosticsDocumentationUrl, type DiagnosticCode } from '../../server/src/service/diagnosticCodes';

const root = path.resolve(__dirname, '../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

describe('README', () => {
  it('lists every diagnostic code of the catalogue (run `npm run docs` to update)', () => {
    assert.equal(readme, withTable(readme));
  });

  it('has the anchor every diagnostic links to (codeDescription.href, SARIF helpUri), in the repository the manifest names', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { repository: { url: string } };
    assert.equal(diagnosticsDocumentationUrl, `${manifest.repository.url.replace(/\.git$/, '')}#diagnostics`);
    assert.match(readme, /^## Diagnostics$/m, 'the #diagnostics anchor is the "Diagnostics" heading');
    for (const code of Object.keys(diagnosticCodes) as DiagnosticCode[]) {
      const url = codeDocumentationUrl(code);
      assert.ok(url.startsWith(diagnosticsDocumentationUrl.replace(/#.*$/, '#')), url);
      const anchor = url.slice(url.indexOf('#') + 1);
      assert.ok(readme.includes(`<a id="${anchor}"></a>\`${code}\``), `README has no anchor ${anchor} on the row of ${code}`);
    }
  });
});
