/**
 * The workbench tools: what it takes to run the extension in a real VS Code on a machine without one
 * (and without internet beyond the npm registry and Debian's packages). See ../shared/testing.md §1.
 *
 * Owns: making sure, idempotently, that these exist, and saying where they are:
 * - Debian packages: Chromium (the browser the tests drive), ripgrep, and the headers code-server's
 *   native modules build against. Checked with `dpkg -s`; `apt-get update` runs only if one is missing.
 * - the ripgrep cache archive that stops `@vscode/ripgrep` from downloading `rg` during its install;
 * - code-server (VS Code's server and web workbench), pinned, in a cache folder outside the repository:
 *   `${SPCS_TOOLS_DIR:-~/.cache/vscode-spcs-tools}`. It is installed into a temporary folder and renamed
 *   into place once complete, with a marker file naming the pinned versions, so an interrupted install
 *   never looks finished and a version bump reinstalls.
 * playwright-core is a devDependency of the project (it drives Chromium; see `browser.ts`).
 *
 * Must not: touch the repository, or run anything that needs more than the npm registry and apt.
 *
 * `tsx scripts/workbench/tools.ts` prepares everything and prints where it is.
 */

import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** code-server 4.100.3 = VS Code 1.100.3; the last line that runs on Node 20 (newer ones need 22+). */
export const codeServerVersion = '4.100.3';
/** What code-server 4.100.3's `@vscode/ripgrep` looks for before it downloads `rg` (testing.md §1 step 2). */
const ripgrepCache = { folder: 'vscode-ripgrep-cache-1.15.11', archive: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz' };
/** Chromium and ripgrep are used at run time; the rest are build dependencies of code-server's native modules. */
export const aptPackages = ['chromium', 'ripgrep', 'libkrb5-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'libx11-dev'];
export const chromiumPath = '/usr/bin/chromium';

export interface WorkbenchTools {
  readonly toolsDir: string;
  /** `node <codeServerEntry> …` starts code-server. */
  readonly codeServerEntry: string;
  readonly chromium: string;
}

export type Log = (line: string) => void;

export function toolsDir(): string {
  return process.env.SPCS_TOOLS_DIR ?? path.join(os.homedir(), '.cache', 'vscode-spcs-tools');
}

/** What the marker records: a change in any of these means the installed code-server is not the one we want. */
function wantedMarker(): string {
  return JSON.stringify({ codeServer: codeServerVersion, nodeAbi: process.versions.modules, platform: `${process.platform}-${process.arch}` });
}

/** Where everything is if it is all installed; never installs anything. */
export function findWorkbenchTools(): WorkbenchTools | undefined {
  const dir = toolsDir();
  const installed = path.join(dir, 'code-server');
  const entry = path.join(installed, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const marker = path.join(installed, 'installed.json');
  if (!existsSync(entry) || !existsSync(marker) || readFileSync(marker, 'utf8') !== wantedMarker() || !existsSync(chromiumPath)) {
    return undefined;
  }
  return { toolsDir: dir, codeServerEntry: entry, chromium: chromiumPath };
}

/** Installs whatever is missing (printing progress through `log`) and says where the tools are. */
export async function ensureWorkbenchTools(log: Log = (line) => console.log(line)): Promise<WorkbenchTools> {
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  await ensureAptPackages(log);
  const found = findWorkbenchTools();
  if (found) {
    return found;
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the workbench tools recipe is for Linux x64 (Debian); this is ${process.platform}-${process.arch}`);
  }
  const dir = toolsDir();
  mkdirSync(dir, { recursive: true });
  ensureRipgrepCache(log);
  const installed = path.join(dir, 'code-server');
  const staging = path.join(dir, `code-server.partial-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ name: 'vscode-spcs-workbench-tools', private: true }, null, 2));
  const logFile = path.join(dir, 'code-server-install.log');
  log(`workbench tools: installing code-server ${codeServerVersion} into ${dir} (about 2 minutes; log: ${logFile})`);
  await runLogged(
    'npm',
    ['install', `code-server@${codeServerVersion}`, '--unsafe-perm', '--foreground-scripts', '--no-audit', '--no-fund', '--no-save'],
    // npm_config_yes lets a nested `npx node-gyp` in code-server's install run without asking.
    { cwd: staging, env: { ...process.env, npm_config_yes: 'true' }, logFile, log, what: 'code-server install', timeoutMs: 15 * 60_000 },
  );
  writeFileSync(path.join(staging, 'installed.json'), wantedMarker());
  rmSync(installed, { recursive: true, force: true });
  renameSync(staging, installed);
  const tools = findWorkbenchTools();
  if (!tools) {
    throw new Error(`code-server was installed into ${installed} but its entry point is missing; see ${logFile}`);
  }
  log(`workbench tools: ready in ${elapsed()}`);
  return tools;
}

function isInstalled(pkg: string): boolean {
  const result = spawnSync('dpkg', ['-s', pkg], { encoding: 'utf8', timeout: 30_000 });
  return result.status === 0 && /^Status: install ok installed$/m.test(result.stdout);
}

async function ensureAptPackages(log: Log): Promise<void> {
  const missing = aptPackages.filter((pkg) => !isInstalled(pkg));
  if (missing.length === 0) {
    return;
  }
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  const logFile = path.join(os.tmpdir(), 'vscode-spcs-apt.log');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`workbench tools: apt-get update (missing: ${missing.join(' ')}; log: ${logFile})`);
  await runLogged('apt-get', ['update', '-qq'], { env, logFile, log, what: 'apt-get update', timeoutMs: 10 * 60_000 });
  log(`workbench tools: apt-get install ${missing.join(' ')} (about a minute)`);
  await runLogged('apt-get', ['install', '-y', '-qq', ...missing], { env, logFile, log, what: 'apt-get install', timeoutMs: 15 * 60_000 });
}

/** `@vscode/ripgrep` unpacks `rg` from this archive instead of downloading it: give it Debian's `rg`. */
function ensureRipgrepCache(log: Log): void {
  const folder = path.join(os.tmpdir(), ripgrepCache.folder);
  const archive = path.join(folder, ripgrepCache.archive);
  if (existsSync(archive)) {
    return;
  }
  log(`workbench tools: caching /usr/bin/rg as ${archive}`);
  mkdirSync(folder, { recursive: true });
  const partial = `${archive}.partial-${process.pid}`;
  const result = spawnSync('tar', ['-czf', partial, '-C', '/usr/bin', 'rg'], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    throw new Error(`could not create ${archive}: ${result.stderr}`);
  }
  renameSync(partial, archive);
}

interface RunOptions {
  readonly cwd?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
  readonly log: Log;
  readonly what: string;
  readonly timeoutMs: number;
}

/**
 * Runs a long command with its output in a log file, printing a progress line every 15 s; on failure
 * or timeout the error carries the log's last lines.
 */
function runLogged(command: string, args: readonly string[], options: RunOptions): Promise<void> {
  const started = Date.now();
  const output = createWriteStream(options.logFile, { flags: 'a' });
  output.write(`\n$ ${command} ${args.join(' ')}\n`);
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let lastLine = '';
    const remember = (chunk: Buffer) => {
      output.write(chunk);
      const lines = chunk.toString('utf8').split('\n').map((line) => line.trim()).filter(Boolean);
      lastLine = lines.at(-1) ?? lastLine;
    };
    child.stdout.on('data', remember);
    child.stderr.on('data', remember);
    const progress = setInterval(() => {
      options.log(`workbench tools: ${options.what}… ${Math.round((Date.now() - started) / 1000)} s${lastLine ? ` (${lastLine.slice(0, 100)})` : ''}`);
    }, 15_000);
    const timeout = setTimeout(() => {
      child.kill('SIGKILL');
    }, options.timeoutMs);
    let finished = false;
    const finish = (error?: Error) => {
      if (finished) {
        return;
      }
      finished = true;
      clearInterval(progress);
      clearTimeout(timeout);
      output.end(() => {
        if (!error) {
          resolve();
          return;
        }
        const tail = readFileSync(options.logFile, 'utf8').split('\n').slice(-30).join('\n');
        reject(new Error(`${error.message}\n--- last lines of ${options.logFile} ---\n${tail}`));
      });
    };
    child.on('error', (error) => finish(error));
    child.on('close', (code, signal) => {
      if (code === 0) {
        finish();
      } else {
        const timedOut = Date.now() - started >= options.timeoutMs;
        finish(new Error(`${options.what} failed (${timedOut ? `timed out after ${options.timeoutMs / 1000} s` : signal ?? `exit code ${code}`})`));
      }
    });
  });
}

if (require.main === module) {
  ensureWorkbenchTools()
    .then((tools) => console.log(`workbench tools: code-server ${codeServerVersion} at ${tools.codeServerEntry}; Chromium at ${tools.chromium}`))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
