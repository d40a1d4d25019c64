/**
 * `spcs-emulator` on the command line: usage errors and `--help`, the URL and connections.toml
 * section it prints, a port already in use, saving `--state` when stopped by a signal (in-process,
 * with the fake account), and the real process started from source with `--port 0` and stopped
 * with SIGTERM (this one needs the SQL side's `account/account.ts` for the demo seed).
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../emulator/src/cli';
import { ManualClock } from '../../emulator/src/clock';
import type { Clock } from '../../emulator/src/contract';
import { fakeAccount, snowflake, waitFor } from './protocolHarness';

const root = path.resolve(__dirname, '../..');

function captureIo() {
  const output = { stdout: '', stderr: '' };
  return { output, io: { stdout: (text: string) => (output.stdout += text), stderr: (text: string) => (output.stderr += text) } };
}

const fakeStart = () => ({ clock: new ManualClock(), createAccount: (options: { clock: Clock; state?: unknown }) => fakeAccount(options) });

describe('spcs-emulator CLI', () => {
  it('prints usage for --help and exits 2 with a clear message on bad options', { timeout: 10_000 }, async () => {
    const help = captureIo();
    assert.equal(await runCli(['--help'], help.io), 0);
    assert.match(help.output.stdout, /^Usage: spcs-emulator/);
    for (const [argv, message] of [
      [['--port', 'abc'], /--port must be a number/],
      [['--seed', 'huge'], /--seed must be "demo" or "empty"/],
      [['--speed', '0'], /--speed must be a positive number/],
      [['--state'], /--state needs a value/],
      [['--verbose'], /unknown option "--verbose"/],
    ] as const) {
      const { output, io } = captureIo();
      assert.equal(await runCli(argv, io), 2, argv.join(' '));
      assert.match(output.stderr, message);
    }
  });

  it('prints the URL and a connections.toml section the driver can use, and saves --state when stopped', { timeout: 20_000 }, async (t) => {
    const directory = mkdtempSync(path.join(tmpdir(), 'spcs-emulator-cli-'));
    t.after(() => rmSync(directory, { recursive: true, force: true }));
    const statePath = path.join(directory, 'state.json');
    const signals = new EventEmitter();
    const { output, io } = captureIo();
    const exitCode = runCli(['--port=0', '--state', statePath, '--speed', '10'], io, signals, fakeStart());
    t.after(() => signals.emit('SIGTERM', 'SIGTERM'));
    await waitFor(() => output.stdout.includes('Ctrl+C'), 'the CLI to print its banner');
    const url = /^spcs-emulator listening on (http:\/\/127\.0\.0\.1:(\d+))$/m.exec(output.stdout);
    assert.ok(url, output.stdout);
    const section = /^\[spcs_emulator\]\n((?:\w+ = .+\n)+)/m.exec(output.stdout)?.[1] ?? '';
    const entries = Object.fromEntries(section.trim().split('\n').map((line) => line.split(' = ') as [string, string]));
    assert.deepEqual(entries, {
      account: '"SPCS_EMULATOR"',
      user: '"DEMO_USER"',
      password: '"demo-password-1"',
      host: '"127.0.0.1"',
      port: url[2],
      protocol: '"http"',
      role: '"SPCS_DEVELOPER"',
      warehouse: '"DEMO_WH"',
      database: '"SPCS_DEMO"',
      schema: '"PUBLIC"',
    });
    // The section, normalised as the driver does for connections.toml, connects.
    const options = snowflake.normalizeConnectionOptions(
      Object.fromEntries(Object.entries(entries).map(([key, value]) => [key, key === 'port' ? Number(value) : (JSON.parse(String(value)) as string)])),
    );
    const connection = snowflake.createConnection({ ...options, sfRetryMaxLoginRetries: 0 });
    await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
    await new Promise<void>((resolve) => connection.destroy(() => resolve()));

    signals.emit('SIGINT', 'SIGINT');
    assert.equal(await exitCode, 0);
    assert.match(output.stderr, /stopped \(SIGINT\)/);
    assert.equal(existsSync(statePath), true);
    assert.deepEqual((JSON.parse(readFileSync(statePath, 'utf8')) as { account: unknown }).account, { things: [] });
  });

  it('says so and exits 2 when the port is in use', { timeout: 10_000 }, async (t) => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const { output, io } = captureIo();
    assert.equal(await runCli(['--port', String(port)], io, new EventEmitter(), fakeStart()), 2);
    assert.match(output.stderr, new RegExp(`port ${port} is already in use`));
  });

  const hasAccountModel = existsSync(path.join(root, 'emulator/src/account/account.ts'));
  it(
    'runs as a process from source: --port 0 prints the URL first, SIGTERM stops it cleanly',
    { timeout: 30_000, skip: hasAccountModel ? false : 'needs emulator/src/account/account.ts (the demo seed)' },
    async (t) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/src/cli.ts', '--port', '0', '--seed', 'demo'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      t.after(() => {
        if (child.exitCode === null) child.kill('SIGKILL');
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await waitFor(() => stdout.includes('Ctrl+C') || child.exitCode !== null, 'the emulator banner', 20_000);
      assert.match(stdout.split('\n')[0] ?? '', /^spcs-emulator listening on http:\/\/127\.0\.0\.1:\d+$/, stderr);
      assert.match(stdout, /^\[spcs_emulator\]\naccount = ".+"\nuser = "DEMO_USER"\n/m);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
    },
  );
});
