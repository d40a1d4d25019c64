/**
 * The metrics panel's quick fix (`metricGroupsEdit`): every shape a spec's `platformMonitor` can be in,
 * indentation kept, and, on every real spec of the shared corpus and the samples, an edit that makes
 * the spec enable the groups and adds no diagnostic (a false error after a quick fix would be the
 * worst kind: the user did what we suggested).
 */

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseSpecDocument } from '../../../server/src/service/specDocument';
import { validateSpec } from '../../../server/src/service/validate';
import { applyEdit, metricGroupsEdit } from '../../../client/src/monitoring/metricGroupsFix';
import { groupsOfSpec } from '../../../client/src/monitoring/metricsLoader';

function fixed(text: string): string {
  const fix = metricGroupsEdit(text);
  if (!fix.ok) throw new Error(`no fix: ${fix.reason}`);
  return applyEdit(text, fix.edit);
}

function diagnostics(text: string): string[] {
  return validateSpec(parseSpecDocument(TextDocument.create('file:///spec.yaml', 'spcs-spec', 1, text)))
    .map((diagnostic) => `${String(diagnostic.code)} ${diagnostic.message}`)
    .sort();
}

const base = 'spec:\n  containers:\n  - name: main\n    image: /db/schema/repo/app:1\n';

describe('metricGroupsEdit', () => {
  it('adds platformMonitor at the end of spec, at the spec’s indentation', () => {
    assert.equal(fixed(base), `${base}  platformMonitor:\n    metricConfig:\n      groups: [system, system_limits]\n`);
    const four = 'spec:\n    containers:\n        - name: main\n          image: /db/schema/repo/app:1\n    endpoints:\n        - name: api\n          port: 8000\n# trailing comment\n';
    assert.equal(
      fixed(four),
      'spec:\n    containers:\n        - name: main\n          image: /db/schema/repo/app:1\n    endpoints:\n        - name: api\n          port: 8000\n    platformMonitor:\n        metricConfig:\n            groups: [system, system_limits]\n# trailing comment\n',
    );
    const crlf = base.replace(/\n/g, '\r\n');
    assert.equal(fixed(crlf), `${crlf}  platformMonitor:\r\n    metricConfig:\r\n      groups: [system, system_limits]\r\n`);
    assert.equal(fixed(`${base}serviceRoles:\n- name: r\n  endpoints: [api]\n`), `${base}  platformMonitor:\n    metricConfig:\n      groups: [system, system_limits]\nserviceRoles:\n- name: r\n  endpoints: [api]\n`);
  });

  it('completes a platformMonitor that is there but enables nothing', () => {
    assert.equal(fixed(`${base}  platformMonitor:\n`), `${base}  platformMonitor:\n    metricConfig:\n      groups: [system, system_limits]\n`);
    assert.equal(fixed(`${base}  platformMonitor: ~\n`), `${base}  platformMonitor:\n    metricConfig:\n      groups: [system, system_limits]\n`);
    assert.equal(fixed(`${base}  platformMonitor:\n    metricConfig:\n`), `${base}  platformMonitor:\n    metricConfig:\n      groups: [system, system_limits]\n`);
    assert.equal(fixed(`${base}  platformMonitor:\n    metricConfig:\n      groups: []\n`), `${base}  platformMonitor:\n    metricConfig:\n      groups: [system, system_limits]\n`);
    assert.equal(fixed(`${base}  platformMonitor:\n    metricConfig:\n      groups:\n`), `${base}  platformMonitor:\n    metricConfig:\n      groups: [system, system_limits]\n`);
    const other = `${base}  platformMonitor:\n    metricConfig:\n      other: 1\n`;
    assert.equal(fixed(other), `${other}      groups: [system, system_limits]\n`);
  });

  it('gives a reason instead of an edit it cannot make safely', () => {
    const reason = (text: string): string => {
      const fix = metricGroupsEdit(text);
      assert.ok(!fix.ok, 'no edit expected');
      return fix.reason;
    };
    assert.match(reason(`${base}  platformMonitor:\n    metricConfig:\n      groups: [status]\n`), /already enables metric groups/);
    assert.match(reason(`${base}  platformMonitor: {metricConfig: {groups: []}}\n`), /flow style/);
    assert.match(reason('containers: []\n'), /no 'spec:' mapping/);
    assert.match(reason('spec: [\n'), /not valid YAML/);
    assert.match(reason(`${base}  platformMonitor: {{ monitor }}\n`), /template/);
  });

  it('enables the groups and adds no diagnostic on every real spec that has none', () => {
    const corpus = path.resolve(__dirname, '../../../../shared/corpus/specs');
    const samples = path.resolve(__dirname, '../../../samples');
    const files = [
      ...(fs.existsSync(corpus) ? fs.readdirSync(corpus).map((file) => path.join(corpus, file)) : []),
      ...fs.readdirSync(samples).filter((file) => file.endsWith('.yaml')).map((file) => path.join(samples, file)),
    ];
    assert.ok(files.length >= 4);
    let edited = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const groups = groupsOfSpec(text);
      const fix = metricGroupsEdit(text);
      if (!fix.ok) {
        // Only specs that already enable groups, or that are not plain YAML specs, are left alone.
        assert.ok((groups?.length ?? 0) > 0 || groups === undefined || /flow style|template|not valid YAML|no 'spec:'/.test(fix.reason), `${path.basename(file)}: ${fix.reason}`);
        continue;
      }
      const after = applyEdit(text, fix.edit);
      assert.deepEqual(groupsOfSpec(after), ['system', 'system_limits'], path.basename(file));
      assert.deepEqual(diagnostics(after), diagnostics(text), `${path.basename(file)}: the fix changed the diagnostics`);
      edited++;
    }
    assert.ok(edited >= 3, `edited ${edited} specs`);
  });
});
