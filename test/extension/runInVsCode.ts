/**
 * `npm run test:vscode`: the same extension-host suites in desktop VS Code (Electron), through
 * @vscode/test-electron, for machines that have VS Code or can download it.
 *
 * Uses the VS Code named by `VSCODE_EXECUTABLE` (the Electron binary, e.g. `/usr/share/code/code` or
 * `.../Visual Studio Code.app/Contents/MacOS/Electron`) when set; otherwise @vscode/test-electron
 * downloads the `VSCODE_VERSION` build (default: stable) into .vscode-test/, which needs internet.
 * On Linux without a display, run it under `xvfb-run -a`. Prints a closing `N passed, N failed` line.
 * Where neither is possible (this project's CI), `npm run test:exthost` runs the same suites in
 * code-server's extension host instead.
 */

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { compileExtensionTests, extensionTestsOut, repositoryRoot } from '../../scripts/workbench/compileTests';
import type { ResultsFile } from './results';

async function main(): Promise<number> {
  await compileExtensionTests();
  const temp = mkdtempSync(path.join(os.tmpdir(), 'vscode-spcs-electron-'));
  try {
    const workspace = path.join(temp, 'workspace');
    cpSync(path.join(repositoryRoot, 'test', 'extension', 'fixtures'), workspace, { recursive: true });
    cpSync(path.join(repositoryRoot, 'samples'), path.join(workspace, 'samples'), { recursive: true });
    const resultsPath = path.join(temp, 'results.json');
    // The connection files the extension reads: empty at first; suites write them (testAccount.ts).
    const snowflakeHome = path.join(temp, 'snowflake-home');
    mkdirSync(snowflakeHome, { recursive: true, mode: 0o700 });
    const extensionTestsEnv: Record<string, string> = { SPCS_TEST_RESULTS: resultsPath, SNOWFLAKE_HOME: snowflakeHome };
    if (process.env.SPCS_TEST_GREP) {
      extensionTestsEnv.SPCS_TEST_GREP = process.env.SPCS_TEST_GREP;
    }
    const exitCode = await runTests({
      ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : { version: process.env.VSCODE_VERSION ?? 'stable' }),
      extensionDevelopmentPath: repositoryRoot,
      extensionTestsPath: path.join(extensionTestsOut, 'index.js'),
      extensionTestsEnv,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${path.join(temp, 'user-data')}`,
        `--extensions-dir=${path.join(temp, 'extensions')}`,
      ],
      // An idle timeout for the download; the run itself is bounded by mocha's per-test timeouts.
      timeout: 60_000,
    });
    const results = existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as ResultsFile) : undefined;
    for (const failure of results?.tests.filter((test) => test.state === 'failed') ?? []) {
      console.log(`\n✖ ${failure.title}\n${failure.error ?? ''}`);
    }
    console.log(`${results?.passed ?? 0} passed, ${results?.failed ?? (exitCode === 0 ? 0 : 1)} failed`);
    return exitCode === 0 && results !== undefined && results.failed === 0 && results.passed > 0 ? 0 : 1;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  },
);
