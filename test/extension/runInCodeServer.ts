/**
 * `npm run test:exthost`: the extension-host suites of this folder in code-server's real Node extension
 * host, driven by headless Chromium (no desktop VS Code needed; see testing.md §1-2).
 *
 * Prepares the workbench tools if missing (cache outside the repository), compiles the suites, copies
 * the fixtures and the samples into a fresh workspace, runs the suites, and prints each result and a
 * closing `N passed, N failed` line. Exits non-zero when a test fails, when no test ran, or when the
 * run does not finish in time (a screenshot of the workbench is then in .test-results/exthost/).
 *
 * Environment: `SPCS_TEST_GREP=<pattern>` runs the matching tests only; `SPCS_TEST_TIMEOUT=<seconds>`
 * changes the overall deadline (default 300); `SPCS_TEST_VERBOSE=1` prints the workbench's log too.
 */

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileExtensionTests, extensionTestsOut, repositoryRoot } from '../../scripts/workbench/compileTests';
import { runExtensionHostPayload } from '../../scripts/workbench/extensionHost';
import { ensureWorkbenchTools } from '../../scripts/workbench/tools';
import { reportPrefix, type ResultsFile } from './results';

const verbose = process.env.SPCS_TEST_VERBOSE === '1';

async function main(): Promise<number> {
  const started = Date.now();
  const tools = await ensureWorkbenchTools();
  await compileExtensionTests();
  const temp = mkdtempSync(path.join(os.tmpdir(), 'vscode-spcs-exthost-'));
  try {
    const workspace = path.join(temp, 'workspace');
    cpSync(path.join(repositoryRoot, 'test', 'extension', 'fixtures'), workspace, { recursive: true });
    cpSync(path.join(repositoryRoot, 'samples'), path.join(workspace, 'samples'), { recursive: true });
    const resultsPath = path.join(temp, 'results.json');
    // The connection files the extension reads: empty at first (welcome views); suites that need an
    // account start an emulator and write connections.toml here (testAccount.ts).
    const snowflakeHome = path.join(temp, 'snowflake-home');
    mkdirSync(snowflakeHome, { recursive: true, mode: 0o700 });
    const env: Record<string, string> = { SPCS_TEST_RESULTS: resultsPath, SNOWFLAKE_HOME: snowflakeHome };
    if (process.env.SPCS_TEST_GREP) {
      env.SPCS_TEST_GREP = process.env.SPCS_TEST_GREP;
    }
    console.log(`extension host: running the suites of test/extension in code-server (workspace ${workspace})`);
    const outcome = await runExtensionHostPayload(tools, {
      extensionPath: repositoryRoot,
      testsPath: extensionTestsOut,
      workspace,
      env,
      // The tests wait for the language server; nothing else should pop up over the editors.
      settings: { 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'extensions.ignoreRecommendations': true },
      timeoutMs: Number(process.env.SPCS_TEST_TIMEOUT ?? 300) * 1000,
      artefactsDir: path.join(repositoryRoot, '.test-results', 'exthost'),
      onLog: (line) => {
        if (verbose) {
          console.log(`  ${line}`);
        } else if (line.includes(reportPrefix)) {
          console.log(line.slice(line.indexOf(reportPrefix) + reportPrefix.length));
        }
      },
      log: verbose ? (line) => console.log(line) : undefined,
    });
    const results = existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as ResultsFile) : undefined;
    for (const failure of results?.tests.filter((test) => test.state === 'failed') ?? []) {
      console.log(`\n✖ ${failure.title}\n${failure.error ?? ''}`);
    }
    if (outcome.exitCode === undefined || !results) {
      const why = outcome.exitCode === undefined ? 'the run timed out (the counts below are the tests that finished)' : `the tests did not report (exit code ${outcome.exitCode}; the suite failed to load?)`;
      console.log(`\nextension host: ${why}. Server output:\n${outcome.serverOutput.slice(-3_000)}`);
    }
    const passed = results?.passed ?? 0;
    // A run that failed without a failing test (it timed out, or the suite did not load) counts as one
    // more failure, so that the closing line never says "0 failed" for a failed run.
    const reportedFailures = results?.failed ?? 0;
    const failed = reportedFailures + (outcome.exitCode === 0 || (outcome.exitCode !== undefined && reportedFailures > 0) ? 0 : 1);
    console.log(`\nextension host: ${Math.round((Date.now() - started) / 1000)} s`);
    console.log(`${passed} passed, ${failed} failed`);
    return outcome.exitCode === 0 && results !== undefined && failed === 0 && passed > 0 ? 0 : 1;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  },
);
