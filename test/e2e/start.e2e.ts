/**
 * Journey: `npm start` as a newcomer runs it. The start script packages the extension, starts
 * code-server with it installed and prints a URL; the workbench at that URL checks the sample specs
 * (here a copy of samples/, so that the journey's edits never touch the repository). Ctrl+C stops
 * the server and removes its state.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from '../../scripts/workbench/compileTests';
import { editorText, journey, openFromExplorer, token } from './workbench';

const startTimeoutMs = 120_000;

journey(
  'npm start: the sample workspace in the workbench with the extension',
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
      const url = await step('run the start script until it prints the URL', () =>
        new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no URL within ${startTimeoutMs / 1000} s:\n${output}`)), startTimeoutMs);
          const read = (chunk: Buffer) => {
            output += chunk.toString('utf8');
            const match = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)$/m.exec(output);
            if (match?.[1]) {
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
    } finally {
      start.kill('SIGINT');
      const code = await Promise.race([exited, new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 15_000).unref())]);
      if (code === 'late') {
        start.kill('SIGKILL');
      }
    }
  },
  { sharedWorkbench: false },
);
