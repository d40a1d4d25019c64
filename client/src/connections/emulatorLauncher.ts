/**
 * Runs the bundled SPCS emulator (`dist/emulator/emulator.js`, shipped in the VSIX) as a child
 * process: VS Code's own Node (`process.execPath` with `ELECTRON_RUN_AS_NODE=1`), arguments
 * `--port 0 --seed demo`, bound to 127.0.0.1. `start` resolves once the process has printed
 * `listening on <url>`, or with the reason it did not (exit, bad output, timeout, cancel); `stop`
 * kills it (SIGTERM, then SIGKILL after a grace period).
 *
 * Pure of `vscode`; the child's output goes to the given logger.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { snowflakeError } from '../snowflake/errors';
import { fail, ok, type Result } from '../snowflake/result';
import { parseEmulatorUrl, type EmulatorAddress } from './emulatorConnection';

export interface LauncherOptions {
  /** The emulator's entry script (the bundle, or `emulator/src/cli.ts` under tsx in tests). */
  readonly script: string;
  /** The Node binary (default `process.execPath`, run as Node through `ELECTRON_RUN_AS_NODE`). */
  readonly execPath?: string;
  /** Node options placed before the script (e.g. `--import tsx`). */
  readonly execArgv?: readonly string[];
  /** Default `['--port', '0', '--seed', 'demo']`. */
  readonly args?: readonly string[];
  readonly startTimeoutMs?: number;
  readonly stopGraceMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (line: string) => void;
}

export class EmulatorLauncher {
  private child: ChildProcess | undefined;
  private address: EmulatorAddress | undefined;
  private starting: Promise<Result<EmulatorAddress>> | undefined;
  private readonly exitListeners = new Set<(code: number | null) => void>();

  constructor(private readonly options: LauncherOptions) {}

  running(): boolean {
    return this.child !== undefined && this.address !== undefined;
  }

  current(): EmulatorAddress | undefined {
    return this.address;
  }

  /** Called when the process ends on its own (crash, killed from outside). */
  onExit(listener: (code: number | null) => void): { dispose(): void } {
    this.exitListeners.add(listener);
    return { dispose: () => this.exitListeners.delete(listener) };
  }

  start(signal?: AbortSignal): Promise<Result<EmulatorAddress>> {
    if (this.address !== undefined && this.child !== undefined) return Promise.resolve(ok(this.address));
    this.starting ??= this.launch(signal).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private launch(signal: AbortSignal | undefined): Promise<Result<EmulatorAddress>> {
    const log = this.options.log ?? (() => undefined);
    const args = [...(this.options.execArgv ?? []), this.options.script, ...(this.options.args ?? ['--port', '0', '--seed', 'demo'])];
    return new Promise((resolve) => {
      let output = '';
      let settled = false;
      let child: ChildProcess;
      try {
        child = spawn(this.options.execPath ?? process.execPath, args, {
          env: { ...(this.options.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
          windowsHide: true,
        });
      } catch (error) {
        resolve(fail(snowflakeError('internal', `The local emulator could not be started: ${error instanceof Error ? error.message : String(error)}`)));
        return;
      }
      this.child = child;
      const finish = (result: Result<EmulatorAddress>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (!result.ok) {
          void this.kill(child);
        }
        resolve(result);
      };
      const onAbort = () => finish(fail(snowflakeError('cancelled', 'Starting the local emulator was cancelled.')));
      signal?.addEventListener('abort', onAbort);
      if (signal?.aborted) onAbort();
      const timeoutMs = this.options.startTimeoutMs ?? 30_000;
      const timer = setTimeout(() => finish(fail(snowflakeError('timeout', `The local emulator did not start within ${Math.round(timeoutMs / 1000)} s. Output: ${lastLines(output)}`))), timeoutMs);
      child.stdout?.setEncoding('utf8');
      child.stderr?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => {
        output += chunk;
        const address = parseEmulatorUrl(output);
        if (address && !settled) {
          this.address = address;
          log(`local emulator listening on ${address.url} (pid ${child.pid ?? '?'})`);
          finish(ok(address));
        }
      });
      child.stderr?.on('data', (chunk: string) => {
        output += chunk;
        for (const line of chunk.split('\n')) if (line.trim() !== '') log(`emulator: ${line.trimEnd()}`);
      });
      child.on('error', (error) => finish(fail(snowflakeError('internal', `The local emulator could not be started: ${error.message}`))));
      child.on('exit', (code, exitSignal) => {
        const wasRunning = this.address !== undefined && this.child === child;
        if (this.child === child) {
          this.child = undefined;
          this.address = undefined;
        }
        finish(fail(snowflakeError('internal', `The local emulator exited (${exitSignal ?? `code ${code ?? '?'}`}) before it was ready: ${lastLines(output)}`)));
        if (wasRunning) {
          log(`local emulator stopped (${exitSignal ?? `code ${code ?? '?'}`})`);
          for (const listener of this.exitListeners) listener(code);
        }
      });
    });
  }

  /** Stops the emulator; resolves once the process has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.address = undefined;
    if (child) await this.kill(child);
  }

  private kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const grace = setTimeout(() => child.kill('SIGKILL'), this.options.stopGraceMs ?? 3000);
      child.once('exit', () => {
        clearTimeout(grace);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

/** What the process said: its own `spcs-emulator: …` error lines when there are any, else its last lines. */
function lastLines(output: string): string {
  const all = output.trim().split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const errors = all.filter((line) => line.startsWith('spcs-emulator:'));
  const lines = (errors.length > 0 ? errors : all.slice(-3)).join(' | ');
  return lines === '' ? '(no output)' : lines;
}
