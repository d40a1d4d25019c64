/**
 * Starting and stopping code-server (VS Code's server with the web workbench) for tests, the benchmark
 * and `npm start`.
 *
 * Owns: a fresh state folder per server (settings, extensions, caches: nothing from `$HOME` and nothing
 * left behind), installing VSIX files into it offline, binding to 127.0.0.1 on a free port, waiting
 * until it answers, and killing it with every process it started (extension host, file watcher,
 * terminals) however the caller ends: normal return, thrown error, timeout, Ctrl+C.
 *
 * Must not: talk to any network but loopback (`EXTENSIONS_GALLERY='{}'` stops gallery look-ups), or
 * wait by sleeping: every wait polls a condition and has a deadline.
 */

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { WorkbenchTools } from './tools';

export interface CodeServerOptions {
  /** VSIX files to install before the server starts. */
  readonly vsix?: readonly string[];
  /** Extra environment for the server; its extension host inherits it. */
  readonly env?: Readonly<Record<string, string>>;
  /** Workbench settings written to the fresh user data folder (settings.json). */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** A fixed port (npm start); a free one otherwise. */
  readonly port?: number;
  /** Keep the state folder after stopping (to read the logs). */
  readonly keepState?: boolean;
  readonly log?: (line: string) => void;
}

export interface CodeServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The fresh state folder: user data (`u/`, with `u/logs`), extensions (`e/`), XDG folders. */
  readonly stateDir: string;
  /** The workbench URL opening `folder`, with an optional `payload` (see testing.md §2). */
  workbenchUrl(folder: string, payload?: readonly (readonly [string, string])[]): string;
  /** A `vscode-remote://` URI for a path on this machine, as the workbench payload wants it. */
  remoteUri(absolutePath: string): string;
  /** The server's own output so far (for failure reports). */
  output(): string;
  /** Settles when the server process ends (by `stop()` or by itself). */
  readonly exited: Promise<void>;
  stop(): Promise<void>;
}

const startTimeoutMs = 60_000;
const stopTimeoutMs = 10_000;

/**
 * Every server this process started and has not stopped, with its state folder: on exit, whatever
 * the reason (including Ctrl+C and a test runner's timeout signal), the process groups are killed and
 * the folders removed, synchronously.
 */
const running = new Map<ChildProcess, { readonly stateDir: string; readonly keepState: boolean }>();
let exitHooksInstalled = false;

function cleanUpNow(): void {
  for (const [child, { stateDir, keepState }] of running) {
    killGroupNow(child);
    if (!keepState) {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }
  running.clear();
}

function installExitHooks(): void {
  if (exitHooksInstalled) {
    return;
  }
  exitHooksInstalled = true;
  process.on('exit', cleanUpNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      cleanUpNow();
      process.exit(128 + (os.constants.signals[signal] ?? 1));
    });
  }
}

/** The server is started as a process group leader: killing the group also ends the extension host. */
function killGroupNow(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function baseArgs(stateDir: string): string[] {
  return ['--user-data-dir', path.join(stateDir, 'u'), '--extensions-dir', path.join(stateDir, 'e')];
}

function baseEnv(stateDir: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // Keep code-server's own config, data and caches out of $HOME.
    XDG_CONFIG_HOME: path.join(stateDir, 'c'),
    XDG_DATA_HOME: path.join(stateDir, 'd'),
    XDG_CACHE_HOME: path.join(stateDir, 'k'),
    EXTENSIONS_GALLERY: '{}',
    ...extra,
  };
}

/** Installs a VSIX into a state folder with the server binary's `--install-extension`, offline. */
function installVsix(tools: WorkbenchTools, stateDir: string, vsix: string): void {
  const result = spawnSync(process.execPath, [tools.codeServerEntry, ...baseArgs(stateDir), '--install-extension', vsix, '--force'], {
    env: baseEnv(stateDir),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(`installing ${vsix} failed (${result.error?.message ?? `exit code ${result.status}`}):\n${result.stdout}${result.stderr}`);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function healthy(origin: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(`${origin}/healthz`, { timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

export async function startCodeServer(tools: WorkbenchTools, options: CodeServerOptions = {}): Promise<CodeServer> {
  const log = options.log ?? (() => undefined);
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'vscode-spcs-workbench-'));
  for (const folder of ['c', 'd', 'k', 'u/User', 'e']) {
    mkdirSync(path.join(stateDir, folder), { recursive: true });
  }
  if (options.settings) {
    writeFileSync(path.join(stateDir, 'u', 'User', 'settings.json'), JSON.stringify(options.settings, null, 2));
  }
  for (const vsix of options.vsix ?? []) {
    log(`code-server: installing ${path.basename(vsix)}`);
    installVsix(tools, stateDir, vsix);
  }

  installExitHooks();
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const args = [
    tools.codeServerEntry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-workspace-trust',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...baseArgs(stateDir),
  ];
  const child = spawn(process.execPath, args, {
    env: baseEnv(stateDir, options.env),
    // Its own process group, so that stopping it also stops the extension host and the watchers.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.set(child, { stateDir, keepState: options.keepState ?? false });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 200_000) {
      output = output.slice(-100_000);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (!running.has(child)) {
      return;
    }
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      const deadline = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), stopTimeoutMs).unref());
      if ((await Promise.race([exited, deadline])) === 'late') {
        killGroupNow(child);
        await exited;
      }
    }
    // Stragglers of the group (an extension host that ignored SIGTERM) go too.
    killGroupNow(child);
    running.delete(child);
    if (!options.keepState) {
      rmSync(stateDir, { recursive: true, force: true, maxRetries: 3 });
    }
  };

  const started = Date.now();
  let processExited = false;
  void exited.then(() => (processExited = true));
  while (!(await healthy(origin))) {
    if (processExited || Date.now() - started > startTimeoutMs) {
      const reason = processExited ? `exited with ${child.exitCode ?? child.signalCode}` : `did not answer within ${startTimeoutMs / 1000} s`;
      await stop();
      throw new Error(`code-server ${reason}:\n${output.slice(-4_000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  log(`code-server: listening on ${origin} after ${Date.now() - started} ms (state in ${stateDir})`);

  const remoteUri = (absolutePath: string) => `vscode-remote://127.0.0.1:${port}${encodeURI(absolutePath.split(path.sep).join('/'))}`;
  return {
    port,
    origin,
    stateDir,
    remoteUri,
    workbenchUrl(folder, payload) {
      const query = new URLSearchParams({ folder });
      if (payload) {
        query.set('payload', JSON.stringify(payload));
      }
      return `${origin}/?${query.toString()}`;
    },
    output: () => output,
    exited,
    stop,
  };
}
