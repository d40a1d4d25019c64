/**
 * The tools `npm start` and the test tiers need beyond `npm ci`, prepared on first use, so that the
 * README's two commands are all a new machine needs (and without internet beyond the npm registry and
 * Debian's packages). See ../shared/testing.md §1 and §4.
 *
 * Owns: making sure, idempotently, that these exist, and saying where they are:
 * - Debian packages (`ensureDebianPackages`, the one apt helper): checked with `dpkg -s`; `apt-get
 *   update` and `apt-get install` run only if one is missing, and only as root; otherwise the error
 *   names the exact command to run;
 * - the workbench tools (`ensureWorkbenchTools`): Chromium (the browser the tests drive), ripgrep, and
 *   the headers code-server's native modules build against (apt);
 * - the ripgrep cache archive that stops `@vscode/ripgrep` from downloading `rg` during its install;
 * - code-server (VS Code's server and web workbench), pinned, in a cache folder outside the repository:
 *   `${SPCS_TOOLS_DIR:-~/.cache/vscode-spcs-tools}`. It is installed into a temporary folder and renamed
 *   into place once complete, with a marker file naming the pinned versions, so an interrupted install
 *   never looks finished and a version bump reinstalls.
 * - Neovim (`ensureNeovim`), the second real editor of the Neovim tier (test/nvim): any `nvim` 0.7+ on
 *   the PATH, else Debian's `neovim` package.
 * playwright-core is a devDependency of the project (it drives Chromium; see `browser.ts`).
 *
 * Must not: touch the repository, or run anything that needs more than the npm registry and apt.
 *
 * `tsx scripts/workbench/tools.ts` prepares the workbench tools and prints where they are.
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

/** Neovim's Debian package, and the oldest nvim the Neovim tier's Lua (test/nvim/spcs-lsp.lua) runs on. */
export const neovimPackage = 'neovim';
const neovimMinimum = [0, 7] as const;

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
  await ensureDebianPackages(aptPackages, { log, label: 'workbench tools' });
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

function canRun(command: string, args: readonly string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 }).status === 0;
}

export interface AptOptions {
  readonly log: Log;
  /** Starts each progress line: what the packages are for ("workbench tools", "Neovim tier"). */
  readonly label: string;
}

/**
 * Installs the Debian packages of `packages` that are missing, printing progress; a no-op when all
 * are installed (the common case: one `dpkg -s` each). Only root installs: otherwise, or without apt,
 * it throws an error that names the exact command to run.
 */
export async function ensureDebianPackages(packages: readonly string[], options: AptOptions): Promise<void> {
  const { log, label } = options;
  const missing = packages.filter((pkg) => !isInstalled(pkg));
  if (missing.length === 0) {
    return;
  }
  const install = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.platform !== 'linux' || !canRun('apt-get', ['--version'])) {
    throw new Error(`${label}: missing the Debian packages ${missing.join(' ')}, and this machine has no apt-get; install their equivalents with its package manager.`);
  }
  if (process.getuid?.() !== 0) {
    throw new Error(`${label}: missing the Debian packages ${missing.join(' ')}. Install them with: sudo sh -c '${install}'`);
  }
  const logFile = path.join(os.tmpdir(), 'vscode-spcs-apt.log');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another apt (a second test run, unattended upgrades) may hold the lock for a while: wait for it.
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  log(`${label}: apt-get update (missing: ${missing.join(' ')}; log: ${logFile})`);
  await runLogged('apt-get', [...lock, 'update', '-qq'], { env, logFile, log, label, what: 'apt-get update', timeoutMs: 10 * 60_000 });
  log(`${label}: apt-get install ${missing.join(' ')} (about a minute)`);
  await runLogged('apt-get', [...lock, 'install', '-y', '-qq', ...missing], { env, logFile, log, label, what: 'apt-get install', timeoutMs: 15 * 60_000 });
  const still = missing.filter((pkg) => !isInstalled(pkg));
  if (still.length > 0) {
    throw new Error(`${label}: apt-get install finished but ${still.join(' ')} is still not installed; see ${logFile}`);
  }
}

/** The version of `nvim` on the PATH (`[major, minor, patch]`), or undefined when there is none. */
function neovimVersion(): readonly [number, number, number] | undefined {
  const result = spawnSync('nvim', ['--version'], { encoding: 'utf8', timeout: 30_000 });
  const match = result.status === 0 ? /^NVIM v(\d+)\.(\d+)(?:\.(\d+))?/m.exec(result.stdout) : null;
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

/**
 * Makes sure `nvim` 0.7+ runs (installing Debian's `neovim` when there is no nvim at all) and returns
 * the command to start it. An nvim that is there but too old is not replaced: the error says so.
 */
export async function ensureNeovim(log: Log = (line) => console.log(line)): Promise<string> {
  const label = 'Neovim tier';
  let version = neovimVersion();
  if (version === undefined) {
    log(`${label}: nvim is not on the PATH; it comes from Debian's ${neovimPackage} package (installed once, system-wide)`);
    await ensureDebianPackages([neovimPackage], { log, label });
    version = neovimVersion();
    if (version === undefined) {
      throw new Error(`${label}: the ${neovimPackage} package is installed but \`nvim --version\` does not run; check the PATH (dpkg -L ${neovimPackage} | grep bin/nvim)`);
    }
    log(`${label}: nvim ${version.join('.')} installed`);
  }
  const [major, minor] = version;
  if (major < neovimMinimum[0] || (major === neovimMinimum[0] && minor < neovimMinimum[1])) {
    throw new Error(`${label}: nvim ${version.join('.')} is on the PATH; the Neovim tier needs ${neovimMinimum.join('.')} or newer. Upgrade it (on Debian: apt-get install -y ${neovimPackage}).`);
  }
  return 'nvim';
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
  /** Starts each progress line (default "workbench tools"). */
  readonly label?: string;
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
      options.log(`${options.label ?? 'workbench tools'}: ${options.what}… ${Math.round((Date.now() - started) / 1000)} s${lastLine ? ` (${lastLine.slice(0, 100)})` : ''}`);
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
