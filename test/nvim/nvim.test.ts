/**
 * The server in a second, real editor: headless Neovim (`spcs-lsp.lua`) starts the BUILT server
 * (`dist/server/server.js --stdio`), opens files as plain `yaml` and reports what it received.
 *
 * Proves: diagnostics with their stable codes arrive on the right lines for a spec with known
 * problems, hover answers markdown, completion answers, and a YAML file that is not a spec (a
 * Kubernetes Deployment, whose nested `spec.template.spec.containers` would break SPCS rules) gets no
 * diagnostics at all: the server decides by content, not by file type.
 *
 * Needs `nvim` (0.7+) and `npm run build`. Like the workbench tiers, the tier prepares its tool on
 * first use (scripts/workbench/tools.ts `ensureNeovim`): without an nvim on the PATH it installs
 * Debian's `neovim` as root, with progress output, once; where it cannot (not root, no apt) it fails
 * with the exact command to run. It is never skipped: a skipped proof proves nothing.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureNeovim } from '../../scripts/workbench/tools';

const root = resolve(__dirname, '..', '..');
const server = join(root, 'dist', 'server', 'server.js');
const script = join(__dirname, 'spcs-lsp.lua');
const runTimeoutMs = 60_000;


/** Line numbers (0-based) are the contract of the assertions below: keep them in step with the text. */
const specWithProblems = [
  'spec:', // 0
  '  containers:', // 1
  '    - name: my_app', // 2: `_` is not allowed in a container name
  '      image: /tutorial_db/data_schema/tutorial_repository/my_app:1.0', // 3
  '      resources:', // 4
  '        requests:', // 5
  '          nvidia.com/gpu: 1', // 6: a GPU request without the matching limit
  '          memory: 4Gi', // 7
  '  endpoints:', // 8
  '    - name: api', // 9
  '      port: 8080', // 10
  '',
].join('\n');

/** Not an SPCS spec: a Kubernetes Deployment (its containers sit under spec.template.spec). */
const plainYaml = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: my_app',
  'spec:',
  '  replicas: 2',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: my_app',
  '          image: nginx',
  '          resources:',
  '            requests:',
  '              nvidia.com/gpu: 1',
  '',
].join('\n');

interface ResultLine {
  readonly type: 'published' | 'diagnostic' | 'hover' | 'completion' | 'done' | 'error';
  readonly [key: string]: unknown;
}

interface NvimRun {
  readonly code: number | null;
  readonly lines: readonly ResultLine[];
  readonly output: string;
}

let workDirectory = '';
/** The nvim command, once `ensureNeovim` has made sure it runs. */
let nvim = 'nvim';

function runNvim(file: string, expect: 'diagnostics' | 'none'): Promise<NvimRun> {
  const resultFile = join(workDirectory, `${expect}-result.jsonl`);
  const home = join(workDirectory, 'home');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(nvim, ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${script}`], {
      cwd: workDirectory,
      env: {
        ...process.env,
        SPCS_SERVER: server,
        SPCS_FILE: file,
        SPCS_RESULT_FILE: resultFile,
        SPCS_EXPECT: expect,
        SPCS_NODE: process.execPath,
        // Keep Neovim's state, logs and lsp.log out of the real home directory.
        HOME: home,
        XDG_CONFIG_HOME: join(home, 'config'),
        XDG_DATA_HOME: join(home, 'data'),
        XDG_CACHE_HOME: join(home, 'cache'),
        XDG_STATE_HOME: join(home, 'state'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nvim did not finish within ${runTimeoutMs} ms; output so far:\n${output}`));
    }, runTimeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      const text = existsSync(resultFile) ? readFileSync(resultFile, 'utf8') : '';
      const lines = text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as ResultLine);
      resolvePromise({ code, lines, output });
    });
  });
}

function describeRun(run: NvimRun): string {
  return `exit code ${String(run.code)}\nresult lines:\n${run.lines.map((line) => JSON.stringify(line)).join('\n')}\nnvim output:\n${run.output}`;
}

describe('Neovim (headless) with the built server', () => {
  before(async () => {
    // Progress goes to stderr, which the test runner shows as the file's output.
    nvim = await ensureNeovim((line) => console.error(line));
    assert.ok(existsSync(server), `${server} is missing: run \`npm run build\` first (npm test does)`);
    workDirectory = mkdtempSync(join(tmpdir(), 'spcs-nvim-'));
  });

  after(() => {
    if (workDirectory) {
      rmSync(workDirectory, { recursive: true, force: true });
    }
  });

  test('a spec opened as plain yaml gets its diagnostics, hover and completion', async () => {
    const file = join(workDirectory, 'service.yaml');
    writeFileSync(file, specWithProblems);
    const run = await runNvim(file, 'diagnostics');
    assert.equal(run.code, 0, describeRun(run));
    assert.ok(run.lines.some((line) => line.type === 'done'), describeRun(run));

    const diagnostics = run.lines.filter((line) => line.type === 'diagnostic');
    const at = (code: string) => diagnostics.filter((line) => line.code === code).map((line) => line.line);
    // Codes as published over LSP: the source says spcs, the code does not repeat it.
    assert.deepEqual(at('invalid-name'), [2], `invalid-name on line 2 (0-based)\n${describeRun(run)}`);
    assert.deepEqual(at('gpu-request-limit'), [6], `gpu-request-limit on the GPU request, line 6 (0-based)\n${describeRun(run)}`);
    for (const line of diagnostics) {
      assert.equal(line.source, 'spcs', describeRun(run));
      assert.equal(typeof line.message, 'string', describeRun(run));
      assert.ok((line.message as string).length > 0, describeRun(run));
      // Neovim shows messages as plain text: names are quoted 'like this', never with markdown backticks.
      assert.doesNotMatch(line.message as string, /`/, describeRun(run));
    }
    // The diagnostic's user_data.lsp keeps the link to the code's row of the README table.
    const invalidName = diagnostics.find((line) => line.code === 'invalid-name');
    assert.equal(invalidName?.href, 'https://github.com/vscode-spcs/vscode-spcs#spcs-invalid-name', describeRun(run));

    const hover = run.lines.find((line) => line.type === 'hover');
    assert.equal(hover?.kind, 'markdown', `hover on \`image\` answers markdown\n${describeRun(run)}`);
    assert.ok(typeof hover.length === 'number' && hover.length > 0, describeRun(run));

    const completion = run.lines.find((line) => line.type === 'completion');
    assert.ok(completion, describeRun(run));
    assert.ok(typeof completion.count === 'number' && completion.count > 0, `completion inside a container key answers items\n${describeRun(run)}`);
  });

  test('a YAML file that is not a spec gets no diagnostics (content gating)', async () => {
    const file = join(workDirectory, 'deployment.yaml');
    writeFileSync(file, plainYaml);
    const run = await runNvim(file, 'none');
    assert.equal(run.code, 0, describeRun(run));
    const published = run.lines.find((line) => line.type === 'published');
    assert.ok(published && typeof published.count === 'number' && published.count > 0, `the server published for the file\n${describeRun(run)}`);
    assert.deepEqual(
      run.lines.filter((line) => line.type === 'diagnostic'),
      [],
      `no diagnostics on a Kubernetes Deployment\n${describeRun(run)}`,
    );
  });
});
