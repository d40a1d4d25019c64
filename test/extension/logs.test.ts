/**
 * The log commands in a real extension host, against an emulator started in the host
 * (testAccount.ts; emulated time runs 20× faster, so a container writes a line every few hundred
 * milliseconds). `spcs.logs.follow` returns a handle whose `lines()`/`entries()` are what its output
 * channel shows (OutputChannel text cannot be read through the API): the follow must show the tail,
 * then each new line exactly once, in the order the container wrote them.
 */

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { FollowHandle, LogSnapshot } from '../../client/src/logs/logChannels';
import { parseLogText } from '../../client/src/logs/logLines';
import { connectionsTomlSection } from '../../emulator/src/cli';
import { isPending } from '../../emulator/src/contract';
import { waitFor } from './helpers';
import { developerConnection, startTestAccount, viewerConnection, type TestAccount } from './testAccount';

const echo = { connection: developerConnection, database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' };

describe('log commands', function () {
  this.timeout(60_000);
  let test: TestAccount | undefined;
  const handles: FollowHandle[] = [];

  /** The container's whole log as the emulator has it now, oldest first, with canonical timestamps. */
  const fullLog = (instance: string, container: string) => {
    if (!test) throw new Error('no test account');
    const result = test.account.control.run(`SELECT SYSTEM$GET_SERVICE_LOGS('SPCS_DEMO.PUBLIC.ECHO_SERVICE', '${instance}', '${container}', 100000, FALSE, '', TRUE)`);
    if (isPending(result)) throw new Error('SYSTEM$GET_SERVICE_LOGS did not finish at once');
    return parseLogText(result.rows[0]?.[0] ?? '');
  };

  before(async function () {
    this.timeout(60_000);
    test = await startTestAccount();
    // The extension notices new connection files through a file watcher; a refresh reads them now.
    await vscode.commands.executeCommand('spcs.refreshServices');
  });

  after(async () => {
    for (const handle of handles) await handle.stop();
    await test?.stop();
  });

  it('follows a container: the tail, then new lines as they are written, none twice and none missing', async () => {
    const node = { kind: 'container', view: 'spcs.services', ...echo, instanceId: '0', container: 'echo', status: 'READY', restartCount: 0 };
    const handle = await vscode.commands.executeCommand<FollowHandle | undefined>('spcs.logs.follow', node);
    assert.ok(handle, 'spcs.logs.follow returned no handle');
    handles.push(handle);
    assert.equal(handle.channelName, 'SPCS Logs: ECHO_SERVICE/0/echo');
    const logLines = () => handle.entries().filter((line) => line.kind === 'log');
    await waitFor('the tail of 100 lines', () => (logLines().length >= 100 ? true : undefined), [handle.onDidAppend], () => `${logLines().length} lines; ${handle.lines().join(' | ')}`);
    const tail = logLines().length;
    assert.equal(tail, 100, 'spcs.logs.tailLines (100) lines first');
    await waitFor('new lines after the tail', () => (logLines().length >= tail + 5 ? true : undefined), [handle.onDidAppend], () => `${logLines().length} lines`, 30_000);

    // Following the same target again reveals the same follow.
    const again = await vscode.commands.executeCommand<FollowHandle | undefined>('spcs.logs.follow', { ...node });
    assert.equal(again, handle);

    assert.equal(await vscode.commands.executeCommand('spcs.logs.stop', node), 1);
    assert.equal(handle.running, false);
    assert.match(handle.lines().at(-1) ?? '', /Stopped following\.$/);

    const shown = logLines().map((line) => `${line.timestamp} ${line.text}`);
    assert.equal(new Set(shown).size, shown.length, 'no line twice');
    const log = fullLog('0', 'echo').map((line) => `${line.timestamp} ${line.text}`);
    const start = log.indexOf(shown[0] ?? '');
    assert.ok(start >= 0, `the first line shown is in the container's log: ${shown[0] ?? ''}`);
    assert.deepEqual(shown, log.slice(start, start + shown.length), 'a contiguous run of the log: nothing missing, nothing reordered');
    assert.ok(handle.lines().every((line, index) => line === handle.entries()[index]?.display));
  });

  it('follows a whole service from a hand-built node, tagging each line with its instance and container', async () => {
    const handle = await vscode.commands.executeCommand<FollowHandle | undefined>('spcs.logs.follow', { kind: 'service', view: 'spcs.services', ...echo });
    assert.ok(handle);
    handles.push(handle);
    assert.equal(handle.channelName, 'SPCS Logs: ECHO_SERVICE');
    const tagged = () => new Set(handle.entries().filter((line) => line.kind === 'log').map((line) => /^\[(\d+\/echo)\] /.exec(line.display)?.[1]));
    await waitFor('lines of both instances', () => (tagged().has('0/echo') && tagged().has('1/echo') ? true : undefined), [handle.onDidAppend], () => [...tagged()].join(', '));
    // The handle itself names the follow to stop.
    assert.equal(await vscode.commands.executeCommand('spcs.logs.stop', handle), 1);
    assert.equal(handle.running, false);
  });

  it('stops a follow when its connection disappears from the connection files', async () => {
    if (!test) throw new Error('no test account');
    const handle = await vscode.commands.executeCommand<FollowHandle | undefined>('spcs.logs.follow', { kind: 'instance', view: 'spcs.services', ...echo, connection: viewerConnection, instanceId: '1', status: 'READY' });
    assert.ok(handle);
    handles.push(handle);
    await waitFor('the viewer follow to show lines', () => (handle.entries().some((line) => line.kind === 'log') ? true : undefined), [handle.onDidAppend], () => handle.lines().join(' | '));
    // Only the developer connection is left; the extension re-reads the files on refresh.
    writeFileSync(path.join(test.snowflakeHome, 'connections.toml'), connectionsTomlSection(developerConnection, test.emulator.connection()), { mode: 0o600 });
    await vscode.commands.executeCommand('spcs.refreshServices');
    await waitFor('the follow to stop', () => (handle.running ? undefined : true), [handle.onDidAppend], () => handle.status().state);
    assert.match(handle.lines().at(-1) ?? '', /Stopped following\.$/);
  });

  it('shows recent lines once, and the previous run of a restarted container', async () => {
    const recent = await vscode.commands.executeCommand<LogSnapshot | undefined>('spcs.logs.show', { kind: 'instance', view: 'spcs.services', ...echo, instanceId: '1', status: 'READY' });
    assert.ok(recent);
    assert.equal(recent.channelName, 'SPCS Logs: ECHO_SERVICE/1 (recent)');
    const lines = recent.entries().filter((line) => line.kind === 'log');
    assert.equal(lines.length, 100);
    assert.ok(lines.every((line) => line.display.startsWith('[echo] ')));

    const previous = await vscode.commands.executeCommand<LogSnapshot | undefined>('spcs.logs.showPrevious', {
      kind: 'container',
      view: 'spcs.services',
      ...echo,
      name: 'LLM_SERVICE',
      instanceId: '0',
      container: 'vllm',
      status: 'READY',
      restartCount: 1,
    });
    assert.ok(previous, 'the seeded vllm container restarted once');
    assert.equal(previous.channelName, 'SPCS Logs: LLM_SERVICE/0/vllm (previous run)');
    assert.ok(previous.entries().some((line) => line.kind === 'log'));
  });
});
