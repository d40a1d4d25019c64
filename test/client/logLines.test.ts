/**
 * Units of `client/src/logs/logLines.ts`: timestamp prefixes in every RFC 3339 form the server may
 * send, their canonical form and order (checked against BigInt nanoseconds), line splitting, and the
 * tags and formatting a follow shows. Also the SQL side of `logSql.ts` with a recording stand-in
 * for `SnowflakeSessions` (the emulator tests in `logFollower.test.ts` run it for real).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  canonicalTimestamp,
  compareTimestamps,
  formatLine,
  formatNotice,
  LogTextReader,
  parseLogText,
  scopeOf,
  sourceTag,
  splitTimestamp,
  timestampFromNanos,
  timestampNanos,
} from '../../client/src/logs/logLines';
import { compareInstanceIds } from '../../client/src/listings/rows';
import { containerTargets, snowflakeLogSource } from '../../client/src/logs/logSql';
import { snowflakeError } from '../../client/src/snowflake/errors';
import { fail, ok, type Result } from '../../client/src/snowflake/result';
import type { ExecuteOptions, ResultSet } from '../../client/src/snowflake/session';

describe('canonicalTimestamp', { timeout: 5000 }, () => {
  const table: readonly (readonly [string, string | undefined])[] = [
    ['2024-10-22T01:12:29.873896187Z', '2024-10-22T01:12:29.873896187Z'],
    // Go's RFC3339Nano trims trailing zeros; the canonical form pads them back.
    ['2024-10-22T01:12:29.87389618Z', '2024-10-22T01:12:29.873896180Z'],
    ['2024-10-22T01:12:29.5Z', '2024-10-22T01:12:29.500000000Z'],
    ['2024-10-22T01:12:29Z', '2024-10-22T01:12:29.000000000Z'],
    ['2024-10-22t01:12:29.1z', '2024-10-22T01:12:29.100000000Z'],
    ['2024-10-22 01:12:29.1Z', '2024-10-22T01:12:29.100000000Z'],
    ['2024-10-22T03:12:29.000000001+02:00', '2024-10-22T01:12:29.000000001Z'],
    ['2024-10-21T20:42:29.25-0430', '2024-10-22T01:12:29.250000000Z'],
    ['2024-12-31T23:30:00.1-01:00', '2025-01-01T00:30:00.100000000Z'],
    ['  2024-10-22T01:12:29.873896187Z  ', '2024-10-22T01:12:29.873896187Z'],
    ['2024-02-30T00:00:00Z', undefined],
    ['2024-02-30T00:00:00.000000000Z', undefined],
    ['2024-13-01T00:00:00Z', undefined],
    ['2024-10-22T24:00:00Z', undefined],
    ['2024-10-22T01:12:29.1234567891Z', undefined],
    ['2024-10-22T01:12:29', undefined],
    ['2024-10-22T01:12:29+25:00', undefined],
    ['2024-10-22T01:12:29Z trailing', undefined],
    ['not a time', undefined],
    ['', undefined],
  ];
  for (const [input, expected] of table) {
    it(`${JSON.stringify(input)} → ${expected ?? 'undefined'}`, () => assert.equal(canonicalTimestamp(input), expected));
  }
});

describe('timestamp order', { timeout: 10_000 }, () => {
  const nanos = fc.bigInt({ min: 0n, max: 4_102_444_800_000_000_000n }); // 1970 … 2100
  it('canonical strings order exactly as their nanoseconds do', () => {
    fc.assert(
      fc.property(nanos, nanos, (a, b) => {
        const expected = a < b ? -1 : a > b ? 1 : 0;
        assert.equal(compareTimestamps(timestampFromNanos(a), timestampFromNanos(b)), expected);
      }),
      { seed: 4242, numRuns: 2000 },
    );
  });
  it('round-trips nanoseconds, also through trimmed and offset forms', () => {
    fc.assert(
      fc.property(nanos, fc.integer({ min: -12, max: 14 }), (value, offsetHours) => {
        const canonical = timestampFromNanos(value);
        assert.equal(timestampNanos(canonical), value);
        const trimmed = canonical.replace(/\.?0+Z$/, 'Z');
        assert.equal(canonicalTimestamp(trimmed), canonical);
        const shifted = new Date(Number(value / 1_000_000_000n) * 1000 + offsetHours * 3_600_000).toISOString().slice(0, 19);
        const sign = offsetHours < 0 ? '-' : '+';
        const offset = `${sign}${String(Math.abs(offsetHours)).padStart(2, '0')}:00`;
        assert.equal(canonicalTimestamp(`${shifted}${canonical.slice(19, 29)}${offset}`), canonical);
      }),
      { seed: 4243, numRuns: 1000 },
    );
  });
  it('puts the empty timestamp (unknown) first', () => {
    assert.equal(compareTimestamps('', '1970-01-01T00:00:00.000000000Z'), -1);
    assert.equal(compareTimestamps('2026-01-01T12:00:00.000000000Z', '2026-01-01T12:00:00.000000000Z'), 0);
  });
  it('reads nanoseconds before the epoch too', () => {
    assert.equal(timestampFromNanos(-1n), '1969-12-31T23:59:59.999999999Z');
    assert.equal(timestampNanos('1969-12-31T23:59:59.999999999Z'), -1n);
    assert.equal(timestampNanos('garbage'), undefined);
  });
});

describe('splitTimestamp and parseLogText', { timeout: 5000 }, () => {
  it('splits the prefix from the text at the one space the server puts between them', () => {
    assert.deepEqual(splitTimestamp('2026-01-01T12:00:05.123456789Z INFO:     Started server process [1]'), {
      timestamp: '2026-01-01T12:00:05.123456789Z',
      text: 'INFO:     Started server process [1]',
    });
    assert.deepEqual(splitTimestamp('2026-01-01T12:00:05.123456789Z   indented'), { timestamp: '2026-01-01T12:00:05.123456789Z', text: '  indented' });
    assert.deepEqual(splitTimestamp('2026-01-01T12:00:05.123456789Z '), { timestamp: '2026-01-01T12:00:05.123456789Z', text: '' });
    assert.deepEqual(splitTimestamp('2026-01-01T12:00:05.123456789Z'), { timestamp: '2026-01-01T12:00:05.123456789Z', text: '' });
    assert.deepEqual(splitTimestamp('2026-01-01T12:00:05.1Z text'), { timestamp: '2026-01-01T12:00:05.100000000Z', text: 'text' });
    assert.deepEqual(splitTimestamp('2026-01-01T14:00:05+02:00 text'), { timestamp: '2026-01-01T12:00:05.000000000Z', text: 'text' });
  });
  it('does not take a timestamp-like start of the text for a prefix', () => {
    assert.equal(splitTimestamp('2026-01-01T12:00:05.123456789Zx'), undefined);
    assert.equal(splitTimestamp('2026-01-01 12:00:05,123 WARNING retrying'), undefined);
    assert.equal(splitTimestamp('    main()'), undefined);
    assert.equal(splitTimestamp(''), undefined);
  });
  it('gives lines without a prefix the timestamp before them (or the initial one)', () => {
    const raw = ['  File "/app/main.py", line 42', '2026-01-01T12:00:01.000000001Z Traceback (most recent call last):', '    main()', '2026-01-01T12:00:02.000000000Z done'].join('\n');
    assert.deepEqual(parseLogText(raw, '2026-01-01T12:00:00.000000000Z'), [
      { timestamp: '2026-01-01T12:00:00.000000000Z', text: '  File "/app/main.py", line 42' },
      { timestamp: '2026-01-01T12:00:01.000000001Z', text: 'Traceback (most recent call last):' },
      { timestamp: '2026-01-01T12:00:01.000000001Z', text: '    main()' },
      { timestamp: '2026-01-01T12:00:02.000000000Z', text: 'done' },
    ]);
    assert.deepEqual(parseLogText('orphan'), [{ timestamp: '', text: 'orphan' }]);
  });
  it('handles CRLF, a trailing newline, empty log lines and an empty response', () => {
    assert.deepEqual(parseLogText('2026-01-01T12:00:01.000000000Z a\r\n2026-01-01T12:00:02.000000000Z \r\n2026-01-01T12:00:03.000000000Z c\n'), [
      { timestamp: '2026-01-01T12:00:01.000000000Z', text: 'a' },
      { timestamp: '2026-01-01T12:00:02.000000000Z', text: '' },
      { timestamp: '2026-01-01T12:00:03.000000000Z', text: 'c' },
    ]);
    assert.deepEqual(parseLogText(''), []);
    const reader = new LogTextReader('2026-01-01T12:00:01.000000000Z only');
    assert.equal(reader.next()?.text, 'only');
    assert.equal(reader.next(), undefined);
    assert.equal(reader.next(), undefined);
  });
});

describe('tags and formatting', { timeout: 5000 }, () => {
  it('derives the scope from the target', () => {
    assert.equal(scopeOf({}), 'service');
    assert.equal(scopeOf({ instance: '0' }), 'instance');
    assert.equal(scopeOf({ instance: '0', container: 'vllm' }), 'container');
    assert.equal(scopeOf({ container: 'vllm' }), 'service', 'one container name across every instance still needs the instance in the tag');
  });
  it('tags lines by what varies: instance and container, the container, or nothing', () => {
    assert.equal(sourceTag('service', '0', 'vllm'), '[0/vllm]');
    assert.equal(sourceTag('instance', '0', 'vllm'), '[vllm]');
    assert.equal(sourceTag('container', '0', 'vllm'), '');
  });
  it('formats with and without timestamps, and notices apart from log text', () => {
    const stamp = '2026-01-01T12:00:05.123456789Z';
    assert.equal(formatLine('hello', stamp, '[0/echo]', false), '[0/echo] hello');
    assert.equal(formatLine('hello', stamp, '[0/echo]', true), `${stamp} [0/echo] hello`);
    assert.equal(formatLine('hello', stamp, '', true), `${stamp} hello`);
    assert.equal(formatLine('hello', '', '', true), 'hello');
    assert.equal(formatLine('', stamp, '', false), '');
    assert.equal(formatNotice('No longer running.', '[1/echo]'), '[1/echo] ⋯ No longer running.');
    assert.equal(formatNotice('Waiting.', ''), '⋯ Waiting.');
  });
});

describe('logSql', { timeout: 5000 }, () => {
  const echo = { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' };

  function recordingSessions(answer: Result<ResultSet>) {
    const sent: { connection: string; sql: string; options: ExecuteOptions | undefined }[] = [];
    return {
      sent,
      execute(connection: string, sql: string, options?: ExecuteOptions): Promise<Result<ResultSet>> {
        sent.push({ connection, sql, options });
        return Promise.resolve(answer);
      },
    };
  }

  it('sends the 7-argument form with timestamps, reading the one VARCHAR back', async () => {
    const sessions = recordingSessions(ok({ columns: [{ name: 'SYSTEM$GET_SERVICE_LOGS(…)', type: 'text' }], rows: [{ 'SYSTEM$GET_SERVICE_LOGS(…)': '2026-01-01T12:00:00.000000000Z hi' }] }));
    const source = snowflakeLogSource(sessions, 'dev', { timeoutMs: 1234 });
    const target = { service: echo, instance: '0', container: 'echo' };
    assert.deepEqual(await source.query(target, undefined, 5), ok('2026-01-01T12:00:00.000000000Z hi'));
    await source.query(target, '2026-01-01T12:00:00.000000000Z', 5000);
    await source.query({ service: 'LLM_SERVICE', instance: '0', container: "it's" }, undefined, 100, { previous: true });
    assert.deepEqual(
      sessions.sent.map((each) => each.sql),
      [
        "SELECT SYSTEM$GET_SERVICE_LOGS('SPCS_DEMO.PUBLIC.ECHO_SERVICE', '0', 'echo', 5, FALSE, '', TRUE)",
        "SELECT SYSTEM$GET_SERVICE_LOGS('SPCS_DEMO.PUBLIC.ECHO_SERVICE', '0', 'echo', 5000, FALSE, '2026-01-01T12:00:00.000000000Z', TRUE)",
        "SELECT SYSTEM$GET_SERVICE_LOGS('LLM_SERVICE', '0', 'it''s', 100, TRUE, '', TRUE)",
      ],
    );
    assert.deepEqual(sessions.sent.map((each) => [each.connection, each.options?.timeoutMs]), [
      ['dev', 1234],
      ['dev', 1234],
      ['dev', 1234],
    ]);
  });

  it('reads NULL or no row as no text, and passes errors through', async () => {
    const empty = snowflakeLogSource(recordingSessions(ok({ columns: [{ name: 'X', type: 'text' }], rows: [{ X: null }] })), 'dev');
    assert.deepEqual(await empty.query({ service: 'S', instance: '0', container: 'c' }, undefined, 1), ok(''));
    const none = snowflakeLogSource(recordingSessions(ok({ columns: [], rows: [] })), 'dev');
    assert.deepEqual(await none.query({ service: 'S', instance: '0', container: 'c' }, undefined, 1), ok(''));
    const denied = snowflakeError('privilege', 'not allowed', { code: '003001' });
    const failing = snowflakeLogSource(recordingSessions(fail(denied)), 'dev');
    assert.deepEqual(await failing.query({ service: 'S', instance: '0', container: 'c' }, undefined, 1), fail(denied));
    assert.deepEqual(await failing.listContainers({ service: 'S' }), fail(denied));
  });

  it('turns SHOW SERVICE CONTAINERS rows into the sources a target covers, by instance number', async () => {
    const row = (instance: string, container: string, restarts: number) => ({ instance_id: instance, container_name: container, status: 'READY', restart_count: restarts });
    const result: ResultSet = { columns: [], rows: [row('10', 'vllm', 0), row('2', 'vllm', 1), row('2', 'chat-ui', 0), row('0', 'vllm', 3)] };
    assert.deepEqual(
      containerTargets({ service: echo }, result).map((each) => `${each.instance}/${each.container}:${each.restartCount ?? '?'}`),
      ['0/vllm:3', '2/vllm:1', '2/chat-ui:0', '10/vllm:0'],
    );
    assert.deepEqual(
      containerTargets({ service: echo, instance: '2' }, result).map((each) => each.container),
      ['vllm', 'chat-ui'],
    );
    assert.deepEqual(containerTargets({ service: echo, instance: '2', container: 'chat-ui' }, result), [{ service: echo, instance: '2', container: 'chat-ui', status: 'READY', restartCount: 0 }]);
    const sessions = recordingSessions(ok(result));
    assert.equal((await snowflakeLogSource(sessions, 'dev').listContainers({ service: echo })).ok, true);
    assert.equal(sessions.sent[0]?.sql, 'SHOW SERVICE CONTAINERS IN SERVICE SPCS_DEMO.PUBLIC.ECHO_SERVICE');
    assert.ok(compareInstanceIds('9', '10') < 0 && compareInstanceIds('b', 'a') > 0 && compareInstanceIds('1', '1') === 0);
  });
});
