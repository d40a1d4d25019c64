/**
 * Journey: `npm start` as a newcomer runs it. The start script packages the extension, starts the
 * local SPCS emulator with the demo account and a temporary SNOWFLAKE_HOME pointing at it, starts
 * code-server with the extension installed and that SNOWFLAKE_HOME in its environment, and prints a
 * URL; the workbench at that URL checks the sample specs (here a copy of samples/, so that the
 * journey's edits never touch the repository). The printed connection signs in to the emulator, the
 * sidebar lists it with the emulator's demo pools (so the extension host has the SNOWFLAKE_HOME), and
 * Ctrl+C stops the server and the emulator and removes their state.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { repositoryRoot } from '../../scripts/workbench/compileTests';
import { expandTreePath, openSnowparkContainers, waitForTreeItem } from './accountWorkbench';
import { editorText, journey, openFromExplorer, token } from './workbench';

const startTimeoutMs = 120_000;
const connectionName = 'spcs_emulator';

/** Signs in to the emulator with a connections.toml section, as the driver's first request does. */
async function signIn(section: Record<string, unknown>): Promise<{ success: boolean; message?: string }> {
  const response = await fetch(`${String(section.protocol)}://${String(section.host)}:${String(section.port)}/session/v1/login-request`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ data: { ACCOUNT_NAME: section.account, LOGIN_NAME: section.user, PASSWORD: section.password } }),
  });
  return (await response.json()) as { success: boolean; message?: string };
}

journey(
  'npm start: the sample workspace in the workbench with the extension and the local emulator',
  async ({ page, step, workspace, openWorkbench }) => {
    const samples = path.join(workspace, 'samples');
    cpSync(path.join(repositoryRoot, 'samples'), samples, { recursive: true });
    // Like `npm start -- --port 0 --folder …`, without npm in between so that the signal reaches it.
    const start = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--port', '0', '--folder', samples], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
    try {
      const url = await step('run the start script until it prints the URL and the emulator', () =>
        new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no URL within ${startTimeoutMs / 1000} s:\n${output}`)), startTimeoutMs);
          const read = (chunk: Buffer) => {
            output += chunk.toString('utf8');
            const match = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)$/m.exec(output);
            // The emulator's lines come right after the URL: wait for the last of them.
            if (match?.[1] && /^\s+users: /m.test(output)) {
              clearTimeout(timer);
              resolve(match[1]);
            }
          };
          start.stdout.on('data', read);
          start.stderr.on('data', read);
          void exited.then((code) => reject(new Error(`the start script exited (${code}) before printing a URL:\n${output}`)));
        }),
      );
      const origin = new URL(url).origin;
      assert.equal(new URL(url).searchParams.get('folder'), samples);

      const emulatorUrl = /^Local SPCS emulator .*: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)?.[1];
      const home = /^\s+SNOWFLAKE_HOME=(\S+) /m.exec(output)?.[1];
      assert.ok(emulatorUrl, `the start script names the emulator's URL:\n${output}`);
      assert.ok(home, `the start script names the SNOWFLAKE_HOME:\n${output}`);
      assert.match(output, /connection: spcs_emulator \(the default\)/);
      assert.match(output, /users: DEMO_USER \/ demo-password-1 \(role SPCS_DEVELOPER\), VIEWER_USER \/ viewer-password-1 \(role SPCS_VIEWER\)/);
      assert.ok(!home.startsWith(path.join(process.env.HOME ?? '/nonexistent', '.snowflake')), 'the SNOWFLAKE_HOME is a temporary folder, not ~/.snowflake');

      await step('the connection file points at the emulator, and its user signs in', async () => {
        const connectionsFile = path.join(home, 'connections.toml');
        assert.equal(statSync(connectionsFile).mode & 0o777, 0o600, 'connections.toml is private (mode 600)');
        const connections = parse(readFileSync(connectionsFile, 'utf8'));
        const section = connections[connectionName] as Record<string, unknown> | undefined;
        assert.ok(section, `connections.toml has [${connectionName}]`);
        assert.equal(`http://127.0.0.1:${String(section.port)}`, emulatorUrl);
        assert.equal(section.user, 'DEMO_USER');
        assert.equal(parse(readFileSync(path.join(home, 'config.toml'), 'utf8')).default_connection_name, connectionName);
        const login = await signIn(section);
        assert.equal(login.success, true, `signing in as ${String(section.user)}: ${login.message ?? ''}`);
      });

      await step('open the printed URL', () => openWorkbench(origin, samples));
      const editor = await step('open a sample spec', () => openFromExplorer(page, 'data-service.spcs.yaml'));
      await step('see the spec language in the status bar', () =>
        page.locator('#status\\.editor\\.mode', { hasText: 'SPCS Service Specification' }).waitFor({ state: 'visible' }),
      );
      await step('break a container name and see the error', async () => {
        await token(editor, /^postgres$/).dblclick();
        await page.keyboard.type('Postgres_DB');
        await editor.locator('.squiggly-error').first().waitFor({ state: 'visible' });
      });
      assert.match(await editorText(editor), /name: Postgres_DB/);

      await step('the sidebar lists the connection, with the demo pools of the emulator under it', async () => {
        // This is the extension host reading the SNOWFLAKE_HOME the start script gave the server.
        await openSnowparkContainers(page);
        await expandTreePath(page, 'Compute Pools', [connectionName]);
        await waitForTreeItem(page, 'Compute Pools', { path: [connectionName, 'DEMO_CPU_POOL'], description: 'ACTIVE' });
        await waitForTreeItem(page, 'Compute Pools', { path: [connectionName, 'DEMO_GPU_POOL'] });
      });

      await step('Ctrl+C stops the emulator and removes the SNOWFLAKE_HOME', async () => {
        start.kill('SIGINT');
        await exited;
        assert.equal(existsSync(home), false, `${home} is removed`);
        await assert.rejects(fetch(`${emulatorUrl}/telemetry/send`, { method: 'POST', body: '{}' }), 'the emulator no longer answers');
      });
    } finally {
      if (start.exitCode === null && start.signalCode === null) {
        start.kill('SIGINT');
        const code = await Promise.race([exited, new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 15_000).unref())]);
        if (code === 'late') {
          start.kill('SIGKILL');
        }
      }
    }
  },
  { sharedWorkbench: false },
);
