/**
 * `npm run test:e2e`: packages the extension, starts one code-server with the VSIX installed, and runs
 * the packaging test and the browser journeys of this folder (`*.e2e.ts`) with Node's test runner, one
 * file at a time. Screenshots go to .test-results/e2e/<journey>/ (kept by CI, ignored by git).
 *
 * Every run has its own empty `SNOWFLAKE_HOME` (a temporary folder given to the server, whose extension
 * hosts inherit it, and named to the journeys in `SPCS_E2E_SNOWFLAKE_HOME`): the extension never reads
 * the user's connections, starts with none (the welcome views), and the account journeys write their
 * emulator's connections into it while they run (accountFixture.ts). Journeys run one at a time, so
 * they never see each other's connections.
 *
 * Prints the spec reporter's output and a closing `N passed, N failed` line; exits non-zero when a
 * journey fails or none ran. `SPCS_E2E_ONLY=<substring>` runs the matching files only.
 */

import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { startCodeServer } from '../../scripts/workbench/codeServer';
import { repositoryRoot } from '../../scripts/workbench/compileTests';
import { createSnowflakeHome } from '../../scripts/workbench/emulatorConnections';
import { ensureWorkbenchTools } from '../../scripts/workbench/tools';
import { vsixPath } from '../../scripts/workbench/vsix';
import { artefactsRoot, workbenchSettings } from './workbench';

const runTimeoutMs = 15 * 60_000;

async function main(): Promise<number> {
  const started = Date.now();
  const tools = await ensureWorkbenchTools();
  console.log('e2e: npm run package');
  const packaged = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repositoryRoot, stdio: ['ignore', 'ignore', 'inherit'], timeout: 180_000 });
  if (packaged.status !== 0) {
    throw new Error(`npm run package failed (${packaged.error?.message ?? `exit code ${packaged.status}`})`);
  }
  rmSync(artefactsRoot, { recursive: true, force: true });
  const snowflakeHome = createSnowflakeHome('vscode-spcs-e2e-snowflake-');
  process.on('exit', () => rmSync(snowflakeHome, { recursive: true, force: true }));
  const server = await startCodeServer(tools, {
    vsix: [vsixPath(repositoryRoot)],
    settings: workbenchSettings,
    env: { SNOWFLAKE_HOME: snowflakeHome },
    log: (line) => console.log(`e2e: ${line}`),
  });
  try {
    const here = path.join(repositoryRoot, 'test', 'e2e');
    const only = process.env.SPCS_E2E_ONLY;
    // The packaging test first: a journey on a broken package would only confuse.
    const files = readdirSync(here)
      .filter((name) => name.endsWith('.e2e.ts') && (!only || name.includes(only)))
      .sort((a, b) => Number(b === 'vsix.e2e.ts') - Number(a === 'vsix.e2e.ts') || a.localeCompare(b))
      .map((name) => path.join(here, name));
    process.env.SPCS_E2E_ORIGIN = server.origin;
    process.env.SPCS_E2E_SNOWFLAKE_HOME = snowflakeHome;
    let passed = 0;
    let failed = 0;
    const stream = run({ files, concurrency: 1, timeout: runTimeoutMs });
    stream.on('test:pass', (event) => {
      if (event.details.type !== 'suite') {
        passed += 1;
      }
    });
    stream.on('test:fail', (event) => {
      if (event.details.type !== 'suite') {
        failed += 1;
      }
    });
    const report = stream.pipe(new spec());
    report.pipe(process.stdout, { end: false });
    await new Promise<void>((resolve, reject) => {
      report.on('end', resolve);
      report.on('error', reject);
    });
    console.log(`e2e: ${Math.round((Date.now() - started) / 1000)} s; screenshots in ${path.relative(repositoryRoot, artefactsRoot)}/`);
    console.log(`${passed} passed, ${failed} failed`);
    return failed === 0 && passed > 0 ? 0 : 1;
  } finally {
    await server.stop();
    rmSync(snowflakeHome, { recursive: true, force: true });
    // Packaging left a production build in dist/; put the development build (with source maps) back.
    spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repositoryRoot, stdio: 'ignore', timeout: 60_000 });
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
