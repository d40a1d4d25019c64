/**
 * The built start script (`dist/server/server.js`, what editors run) loading the language server
 * through its V8 code cache: the cache is written after a session, used by the next start, replaced
 * when it is damaged or thinner than a session's, removed for other bundles, and can be turned off.
 * Each test uses a cache folder of its own (`SPCS_LANGUAGE_SERVER_CACHE`).
 */

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const root = path.resolve(__dirname, '../..');
const server = path.join(root, 'dist/server/server.js');
const folders: string[] = [];

function cacheFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'spcs-code-cache-'));
  folders.push(folder);
  return folder;
}

function version(cache: string) {
  return spawnSync(process.execPath, [server, '--version'], { encoding: 'utf8', env: { ...process.env, SPCS_LANGUAGE_SERVER_CACHE: cache } });
}

function cacheFiles(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.v8cache')) : [];
}

/** A session over stdio: initialize, open a spec, wait for its diagnostics, shut down. */
async function session(cache: string): Promise<number> {
  const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, SPCS_LANGUAGE_SERVER_CACHE: cache } });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  connection.onRequest(() => null);
  const published = new Promise<number>((resolve) =>
    connection.onNotification('textDocument/publishDiagnostics', (params: { diagnostics: unknown[] }) => resolve(params.diagnostics.length)),
  );
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  await connection.sendNotification('initialized', {});
  const text = readFileSync(path.join(root, 'bench/documents/typical-gpu-service.yaml'), 'utf8').replace('port: 8000', 'port: 99999');
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///typical.yaml', languageId: 'yaml', version: 1, text } });
  const count = await published;
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  await exited;
  connection.dispose();
  return count;
}

describe('the server start script and its code cache', { skip: existsSync(server) ? false : 'run `npm run build` first' }, () => {
  after(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

  it('writes a cache, uses it on the next start, and replaces a thin one after a real session', async () => {
    const folder = cacheFolder();
    assert.match(version(folder).stdout, /^spcs-language-server \d/);
    const [file] = cacheFiles(folder);
    assert.ok(file, 'a cache is written on exit');
    const thin = statSync(path.join(folder, file)).size;
    assert.match(version(folder).stdout, /^spcs-language-server \d/);
    assert.equal(statSync(path.join(folder, file)).size, thin, 'a start that compiled no more keeps the cache it used');
    assert.ok((await session(folder)) > 0, 'the server checks documents when started through the cache');
    assert.deepEqual(cacheFiles(folder), [file]);
    assert.ok(statSync(path.join(folder, file)).size > thin * 1.1, 'a session that compiled the checks leaves a fuller cache');
  });

  it('starts from a damaged cache and replaces it', () => {
    const folder = cacheFolder();
    version(folder);
    const [file] = cacheFiles(folder);
    assert.ok(file);
    const damaged = Buffer.alloc(statSync(path.join(folder, file)).size, 7);
    writeFileSync(path.join(folder, file), damaged);
    const started = version(folder);
    assert.equal(started.status, 0, started.stderr);
    assert.notDeepEqual(readFileSync(path.join(folder, file)), damaged);
  });

  it('removes the caches of other bundles and writes none when turned off', () => {
    const folder = cacheFolder();
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'server-1-1-v0-x64.v8cache'), 'old');
    writeFileSync(path.join(folder, 'unrelated.txt'), 'kept');
    version(folder);
    assert.equal(cacheFiles(folder).length, 1);
    assert.ok(!cacheFiles(folder).includes('server-1-1-v0-x64.v8cache'));
    assert.ok(existsSync(path.join(folder, 'unrelated.txt')));
    const off = version('off');
    assert.equal(off.status, 0);
  });
});
