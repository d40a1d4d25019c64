/**
 * The pure parts of the log commands (logs/logView.ts): which target a node means, the channel names
 * and keys, the text appended per batch, the status notices, the bounded copy of a channel, and the
 * one-shot "recent logs" and "previous run" views read from the local emulator through the REAL
 * snowflake-sdk driver. Following itself is covered by logFollower.test.ts; the channels in
 * test/extension/logs.test.ts.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fetchPreviousLogs } from '../../client/src/logs/logFollower';
import { parseLogText, type LogLine } from '../../client/src/logs/logLines';
import { snowflakeLogSource } from '../../client/src/logs/logSql';
import { batchText, channelName, fetchRecentLogs, followTargetOf, LineBuffer, logTargetOf, statusNotice, targetKey, targetLabel, viewNotice } from '../../client/src/logs/logView';
import { harness, printedConnection as connection, value } from './emulatorHarness';

const base = { connection: 'dev', database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' };

function line(text: string, timestamp = '2026-01-01T00:00:00.000000000Z'): LogLine {
  return { kind: 'log', timestamp, instance: '0', container: 'echo', text, display: text };
}

describe('log views', () => {
  it('reads the target from service, instance and container nodes, and from hand-built ones', () => {
    assert.deepEqual(logTargetOf({ kind: 'service', view: 'spcs.services', ...base, status: 'RUNNING' }), base);
    assert.deepEqual(logTargetOf({ kind: 'instance', view: 'spcs.services', ...base, instanceId: '1', status: 'READY' }), { ...base, instanceId: '1' });
    assert.deepEqual(logTargetOf({ kind: 'container', view: 'spcs.services', ...base, instanceId: '0', container: 'echo' }), { ...base, instanceId: '0', container: 'echo' });
    assert.deepEqual(logTargetOf({ ...base, instanceId: 0, container: 'echo' }), { ...base, instanceId: '0', container: 'echo' });
    assert.equal(logTargetOf({ kind: 'pool', view: 'spcs.computePools', connection: 'dev', name: 'P' }), undefined);
    assert.equal(logTargetOf({ kind: 'container', view: 'spcs.services', ...base }), undefined, 'a container node without an instance is not a target');
    assert.equal(logTargetOf('ECHO_SERVICE'), undefined);
    assert.deepEqual(followTargetOf({ ...base, instanceId: '0', container: 'echo' }), { service: { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' }, instance: '0', container: 'echo' });
    assert.deepEqual(followTargetOf({ ...base, instanceId: '1' }), { service: { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' }, instance: '1' });
  });

  it('names one channel per target and mode', () => {
    const container = { ...base, instanceId: '0', container: 'echo' };
    assert.equal(channelName(container, 'follow'), 'SPCS Logs: ECHO_SERVICE/0/echo');
    assert.equal(channelName({ ...base, instanceId: '1' }, 'follow'), 'SPCS Logs: ECHO_SERVICE/1');
    assert.equal(channelName(base, 'recent'), 'SPCS Logs: ECHO_SERVICE (recent)');
    assert.equal(channelName(container, 'previous'), 'SPCS Logs: ECHO_SERVICE/0/echo (previous run)');
    assert.equal(channelName(base, 'follow', true), 'SPCS Logs: ECHO_SERVICE [SPCS_DEMO.PUBLIC on dev]');
    assert.equal(targetLabel(container), 'ECHO_SERVICE/0/echo');
    assert.equal(targetKey(container), targetKey({ ...container }));
    assert.notEqual(targetKey(container), targetKey({ ...container, connection: 'prod' }));
    assert.notEqual(targetKey(container, 'follow'), targetKey(container, 'recent'));
    assert.notEqual(targetKey(base), targetKey({ ...base, instanceId: '0' }));
  });

  it('appends a batch as one string and says only the statuses that matter', () => {
    assert.equal(batchText([line('a'), line('b')]), 'a\nb\n');
    assert.equal(batchText([]), '');
    assert.equal(viewNotice('Stopped').display, '⋯ Stopped');
    const at = new Date('2026-01-01T10:20:30Z');
    const error = { kind: 'network' as const, message: 'Could not reach Snowflake.' };
    assert.equal(statusNotice({ state: 'retrying', error, attempt: 2, nextPollMs: 4000 }, undefined, at), '10:20:30 Paused: Retrying in 4 s (attempt 2): Could not reach Snowflake.');
    assert.equal(statusNotice({ state: 'following', sources: 1 }, { state: 'retrying', error, attempt: 1, nextPollMs: 2000 }, at), '10:20:30 Resumed; no lines were lost.');
    assert.equal(statusNotice({ state: 'following', sources: 1 }, { state: 'idle', sources: 1, nextPollMs: 4000 }, at), undefined);
    assert.equal(statusNotice({ state: 'idle', sources: 1, nextPollMs: 4000 }, { state: 'following', sources: 1 }, at), undefined);
    assert.equal(statusNotice({ state: 'stopped' }, undefined, at), '10:20:30 Stopped following.');
    assert.equal(statusNotice({ state: 'stopped', error: { kind: 'privilege', message: 'No MONITOR.' } }, undefined, at), '10:20:30 Stopped: No MONITOR.');
  });

  it('keeps the last lines of a channel in order, bounded', () => {
    const buffer = new LineBuffer(3);
    buffer.push([line('1'), line('2')]);
    assert.deepEqual(buffer.entries().map((each) => each.text), ['1', '2']);
    buffer.push([line('3'), line('4'), line('5')]);
    assert.deepEqual(buffer.entries().map((each) => each.text), ['3', '4', '5']);
    buffer.push([line('6')]);
    assert.deepEqual(buffer.entries().map((each) => each.text), ['4', '5', '6']);
    assert.equal(buffer.size, 3);
    buffer.clear();
    assert.deepEqual(buffer.entries(), []);
  });

  it('formats and buffers 10,000 lines as one append without a call per line', () => {
    const lines = Array.from({ length: 10_000 }, (_unused, index) => line(`INFO: request ${index} served in ${index % 97} ms`));
    const buffer = new LineBuffer(10_000);
    const started = performance.now();
    buffer.push(lines);
    const text = batchText(lines);
    const elapsed = performance.now() - started;
    assert.equal(text.split('\n').length, 10_001);
    assert.equal(buffer.entries()[9_999]?.text, 'INFO: request 9999 served in 8 ms');
    // Generous: a second per 10,000 lines would already block the editor; this takes a few ms.
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
  });
});

describe('log views against the emulator', () => {
  it('shows the recent lines of a whole service merged in time order, tagged by source', async (t) => {
    const h = await harness(t);
    h.clock.advance(60_000);
    const source = snowflakeLogSource(h.sessions, connection, { timeoutMs: 15_000 });
    const service = { service: { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' } };
    const recent = value(await fetchRecentLogs(source, service, { numLines: 20, includeTimestamps: false }));
    assert.equal(recent.containers, 2);
    assert.equal(recent.lines.length, 40);
    const timestamps = recent.lines.map((each) => each.timestamp);
    assert.deepEqual(timestamps, [...timestamps].sort(), 'merged in timestamp order');
    assert.ok(recent.lines.every((each) => each.display === `[${each.instance}/echo] ${each.text}`));
    assert.deepEqual(new Set(recent.lines.map((each) => each.instance)), new Set(['0', '1']));

    // One container: exactly its last lines, as SYSTEM$GET_SERVICE_LOGS returns them, untagged.
    const one = value(await fetchRecentLogs(source, { ...service, instance: '1', container: 'echo' }, { numLines: 5, includeTimestamps: true }));
    const raw = value(await source.query({ service: service.service, instance: '1', container: 'echo' }, undefined, 5));
    assert.deepEqual(
      one.lines.map((each) => each.display),
      parseLogText(raw).map((each) => `${each.timestamp} ${each.text}`),
    );
  });

  it('shows the previous run of a restarted container, and nothing for one that never restarted', async (t) => {
    const h = await harness(t);
    const source = snowflakeLogSource(h.sessions, connection, { timeoutMs: 15_000 });
    const llm = { service: { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'LLM_SERVICE' }, instance: '0', container: 'vllm' };
    const previous = value(await fetchPreviousLogs(source.query, llm, { numLines: 50, includeTimestamps: false, scope: 'container' }));
    assert.ok(previous.length > 0, 'the seeded vllm container restarted once');
    assert.ok(previous.some((each) => /Killed|exit|Error|vLLM/i.test(each.text)), previous.map((each) => each.text).join('\n'));
    const echo = { service: { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' }, instance: '0', container: 'echo' };
    const none = await fetchPreviousLogs(source.query, echo, { numLines: 50, includeTimestamps: false, scope: 'container' });
    assert.ok(!none.ok || none.value.length === 0, 'a container without a restart has no previous run');
  });
});
