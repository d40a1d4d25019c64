/**
 * `spcs-lint` as a user runs it: the built bin script in a child process, checking output formats and
 * exit codes (0 clean, 1 errors, 2 bad usage or unreadable file).
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin/spcs-lint.js');
const fixtures = 'test/fixtures/lint';

function lint(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonResult {
  file: string;
  diagnostics: { code: string; severity: string; message: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[];
}

describe('spcs-lint', { skip: existsSync(path.join(root, 'dist/server/lint.js')) ? false : 'run `npm run build` first' }, () => {
  it('exits 0 on a valid spec and says so', () => {
    const { code, stdout } = lint(`${fixtures}/valid.spcs.yaml`);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /1 file checked: 0 errors/);
  });

  it('exits 1 and prints file:line:col, severity, message and code for errors', () => {
    const { code, stdout } = lint(`${fixtures}/invalid.spcs.yaml`);
    assert.equal(code, 1);
    assert.match(stdout, /invalid\.spcs\.yaml:3:\d+: error .*\[spcs\/invalid-name\]/);
    assert.match(stdout, /\[spcs\/gpu-request-limit\]/);
    assert.match(stdout, /warning .*\[spcs\/https-protocol\] \(quick fix available\)/);
    // Plain text for a terminal or a CI log: names are quoted 'like this', never with markdown backticks.
    assert.match(stdout, /'vllm_server'/);
    assert.doesNotMatch(stdout, /`/);
  });

  it('prints one JSON array with 0-based ranges in --format json', () => {
    const { code, stdout } = lint('--format', 'json', `${fixtures}/invalid.spcs.yaml`, `${fixtures}/valid.spcs.yaml`);
    assert.equal(code, 1);
    const results = JSON.parse(stdout) as JsonResult[];
    assert.equal(results.length, 2);
    const invalid = results.find((result) => result.file.endsWith('invalid.spcs.yaml'));
    const name = invalid?.diagnostics.find((diagnostic) => diagnostic.code === 'spcs/invalid-name');
    assert.deepEqual(name?.range.start, { line: 2, character: 12 });
    assert.equal(name?.severity, 'error');
    assert.ok(invalid?.diagnostics.every((diagnostic) => ['error', 'warning', 'information', 'hint'].includes(diagnostic.severity)));
    assert.deepEqual(results.find((result) => result.file.endsWith('valid.spcs.yaml') && !result.file.endsWith('invalid.spcs.yaml'))?.diagnostics, []);
  });

  it('prints SARIF 2.1.0 for code scanning', () => {
    const { code, stdout } = lint('--format=sarif', `${fixtures}/invalid.spcs.yaml`);
    assert.equal(code, 1);
    const log = JSON.parse(stdout) as {
      version: string;
      runs: { tool: { driver: { name: string; rules: { id: string; name?: string; helpUri?: string; shortDescription?: { text: string; markdown?: string } }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[]; fixes?: unknown[] }[] }[];
    };
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0];
    assert.equal(run?.tool.driver.name, 'spcs-lint');
    // Rule ids keep the catalogue spelling (code-scanning alerts are keyed on them); each links to its README row.
    const rule = run?.tool.driver.rules.find((candidate) => candidate.id === 'spcs/invalid-name');
    assert.equal(rule?.name, 'invalid-name');
    assert.equal(rule?.helpUri, 'https://github.com/vscode-spcs/vscode-spcs#spcs-invalid-name');
    const missingSpec = run?.tool.driver.rules.find((candidate) => candidate.id === 'spcs/missing-spec');
    assert.deepEqual(missingSpec?.shortDescription, { text: "The top level has no 'spec' mapping.", markdown: 'The top level has no `spec` mapping.' });
    const result = run?.results.find((entry) => entry.ruleId === 'spcs/invalid-name');
    assert.equal(result?.level, 'error');
    assert.equal(result?.locations[0]?.physicalLocation.artifactLocation.uri, `${fixtures}/invalid.spcs.yaml`);
    assert.deepEqual(result?.locations[0]?.physicalLocation.region && { line: result.locations[0].physicalLocation.region.startLine, column: result.locations[0].physicalLocation.region.startColumn }, { line: 3, column: 13 });
    assert.ok(run?.results.some((entry) => entry.fixes && entry.fixes.length > 0), 'quick fixes are exported as SARIF fixes');
  });

  it('checks capacity against --instance-family', () => {
    assert.equal(lint(`${fixtures}/gpu.spcs.yaml`).code, 0);
    const { code, stdout } = lint('--instance-family', 'GPU_NV_S', `${fixtures}/gpu.spcs.yaml`);
    assert.equal(code, 1);
    assert.match(stdout, /spcs\/gpu-exceeds-family/);
  });

  it('expands globs', () => {
    const { stdout } = lint('--format', 'json', `${fixtures}/*.spcs.yaml`);
    assert.equal((JSON.parse(stdout) as JsonResult[]).length, 3);
  });

  it('checks templated specs of every dialect without a false error, and says which one is not YAML until rendered', () => {
    const { code, stdout } = lint('test/fixtures/templates/*');
    assert.equal(code, 0, stdout);
    assert.match(stdout, /8 files checked: 0 errors, 0 warnings, 1 info/);
    assert.match(
      stdout,
      /terraform-not-yaml\.yaml\.tftpl:10:1: info This looks like a Terraform template \('\$\{…\}'\): it is not YAML until rendered, so it is checked only as far as this placeholder, the first one that breaks the YAML\. \[spcs\/template-not-yaml\]/,
    );
    const json = JSON.parse(lint('--format', 'json', 'test/fixtures/templates/*').stdout) as JsonResult[];
    assert.deepEqual(
      json.flatMap((result) => result.diagnostics.map((diagnostic) => [path.basename(result.file), diagnostic.code, diagnostic.severity])),
      [['terraform-not-yaml.yaml.tftpl', 'spcs/template-not-yaml', 'information']],
    );
  });

  it('prints the first parse error of a cascade with the count of those that may follow', () => {
    const { code, stdout } = lint(`${fixtures}/cascade.yaml`);
    assert.equal(code, 1);
    assert.match(stdout, /cascade\.yaml:4:12: error YAML: Nested mappings are not allowed in compact mappings \(and 1 more parse error that may follow from this one\)\. \[spcs\/parse-error\]/);
    assert.match(stdout, /1 file checked: 2 errors, 0 warnings/);
  });

  it('checks gateway specs, by name or by content, in text, JSON and SARIF', () => {
    const { code, stdout } = lint(`${fixtures}/canary.gateway.yaml`, `${fixtures}/shadow-traffic.yaml`);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /canary\.gateway\.yaml:5:3: error The weights of the targets add up to 95, not 100: .*\(80 \+ 10 \+ 5 = 95\)\. \[spcs\/gateway-weights-sum\] \(quick fix available\)/);
    assert.match(stdout, /canary\.gateway\.yaml:13:14: warning Target 3 names the same endpoint as target 1 .*\[spcs\/gateway-duplicate-endpoint\]/);
    assert.match(stdout, /2 files checked: 1 error, 1 warning/);
    assert.doesNotMatch(stdout, /missing-containers|shadow-traffic\.yaml:/, 'never checked as service specs');
    const json = JSON.parse(lint('--format', 'json', `${fixtures}/canary.gateway.yaml`).stdout) as JsonResult[];
    assert.deepEqual(json[0]?.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.range.start.line]), [
      ['spcs/gateway-weights-sum', 'error', 4],
      ['spcs/gateway-duplicate-endpoint', 'warning', 12],
    ]);
    const sarif = JSON.parse(lint('--format', 'sarif', `${fixtures}/canary.gateway.yaml`).stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; fixes?: unknown[] }[] }[] };
    assert.ok(sarif.runs[0]?.tool.driver.rules.some((rule) => rule.id === 'spcs/gateway-weights-sum'));
    const weights = sarif.runs[0]?.results.find((result) => result.ruleId === 'spcs/gateway-weights-sum');
    assert.equal(weights?.fixes?.length, 4, 'three "set the weight of target N" fixes and a rebalance');
  });

  it('checks the SPCS entities of a snowflake.yml (found in a folder), reading its spec files next to it', () => {
    const { code, stdout } = lint(`${fixtures}/project`);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /project\/snowflake\.yml:22:16: warning There is no file 'batch\.yml' next to this project definition.*\[spcs\/project-spec-file\]/);
    assert.match(stdout, /project\/snowflake\.yml:25:3: error Entity 'gpu_pool' \(compute-pool\) is missing the required field 'instance_family'.*\[spcs\/missing-required\]/);
    assert.match(stdout, /^1 file checked: 1 error, 1 warning$/m, 'spec.yml is found, the templated pool and the streamlit app are not judged');
  });

  it('exits 2 with a clear message on bad usage or unreadable files', () => {
    const missing = lint(`${fixtures}/nope.spcs.yaml`);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*nope\.spcs\.yaml: no such file/);
    const format = lint('--format', 'xml', `${fixtures}/valid.spcs.yaml`);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /unknown format "xml"/);
    const none = lint();
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no files given/);
    const empty = lint('test/fixtures/templates');
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /is a directory with no \*\.spcs\.yaml, \*\.gateway\.yaml or snowflake\.yml files/);
    const glob = lint('nothing/**/*.yaml');
    assert.equal(glob.code, 2);
    assert.match(glob.stderr, /no files match/);
  });

  it('prints help', () => {
    const { code, stdout } = lint('--help');
    assert.equal(code, 0);
    assert.match(stdout, /Usage: spcs-lint/);
  });
});
