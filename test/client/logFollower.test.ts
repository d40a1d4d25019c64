/**
 * `LogFollower` in two tiers.
 *
 * Scripted: a fake SYSTEM$GET_SERVICE_LOGS with the real function's semantics (lines at or after
 * `since`, the most recent `num_lines`, at most 100 KB, previous runs after a restart) drives the
 * cases that are hard to arrange on a server: identical lines at one timestamp, a cut response,
 * retries, backoff, slicing, a stop during a query.
 *
 * Emulator: the local SPCS emulator with the REAL snowflake-sdk driver through `SnowflakeSessions`
 * (see `emulatorHarness.ts`) and a ManualClock: what a user sees when following the demo services,
 * checked line by line against the emulator's full log (every source's lines must be exactly a
 * contiguous run of its log ending at the newest line: no gap, no duplicate), across session
 * expiry, dropped requests, timeouts, restarts, scaling and missing privileges.
 *
 * Time never passes by itself: the follower's timer is a `SteppedScheduler` the test fires, and
 * the emulator's clock moves only when the test advances it. Waits are on conditions.
 */

import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { connectionsTomlSection } from '../../emulator/src/cli';
import { LogFollower, describeStatus, type ContainerTarget, type FollowScheduler, type FollowStatus, type LogFollowerOptions, type LogQueryFn } from '../../client/src/logs/logFollower';
import { parseLogText, timestampFromNanos, type LogLine, type ParsedLine } from '../../client/src/logs/logLines';
import { snowflakeLogSource } from '../../client/src/logs/logSql';
import { snowflakeError, type SnowflakeError } from '../../client/src/snowflake/errors';
import { fail, ok, type Result } from '../../client/src/snowflake/result';
import { harness, printedConnection, value, waitFor, type Harness } from './emulatorHarness';

/** The follower's timer, fired by the test. */
class SteppedScheduler implements FollowScheduler {
  /** Every wait the follower asked for, in order. */
  readonly waits: number[] = [];
  private timer: { readonly callback: () => void; readonly ms: number } | undefined;

  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { callback, ms };
    this.timer = timer;
    this.waits.push(ms);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    if (this.timer === handle) this.timer = undefined;
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }

  /** The follower's status, so that a wait ends at once when the follow stopped instead. */
  status: () => FollowStatus | undefined = () => undefined;

  /** Waits until the follower has finished a round and is waiting; returns how long it wants to wait. */
  async next(what = 'the follower to finish a round'): Promise<number> {
    await waitFor(() => this.timer !== undefined || this.status()?.state === 'stopped', 15_000, what);
    const status = this.status();
    if (this.timer === undefined && status?.state === 'stopped') {
      throw new Error(`the follow stopped while waiting for ${what}: ${status.error ? describeStatus(status) : 'stop()'}`);
    }
    return (this.timer as { ms: number }).ms;
  }

  fire(): void {
    const timer = this.timer;
    this.timer = undefined;
    timer?.callback();
  }

  /** Fires the pending wait and waits for the round it starts to end. */
  async step(what?: string): Promise<number> {
    this.fire();
    return this.next(what);
  }
}

/** What a follow showed: every sink call, every status. */
class Recorder {
  readonly batches: LogLine[][] = [];
  readonly statuses: FollowStatus[] = [];
  readonly sink = (lines: readonly LogLine[]): void => void this.batches.push([...lines]);
  readonly onStatus = (status: FollowStatus): void => void this.statuses.push(status);

  get lines(): LogLine[] {
    return this.batches.flat();
  }

  get logs(): LogLine[] {
    return this.lines.filter((line) => line.kind === 'log');
  }

  get notices(): string[] {
    return this.lines.filter((line) => line.kind === 'notice').map((line) => line.display);
  }

  /** Log lines of one source as (timestamp, text), for comparison with the full log. */
  of(instance: string, container: string): ParsedLine[] {
    return this.logs.filter((line) => line.instance === instance && line.container === container).map(({ timestamp, text }) => ({ timestamp, text }));
  }

  get last(): FollowStatus | undefined {
    return this.statuses[this.statuses.length - 1];
  }
}

function assertSorted(lines: readonly LogLine[], what: string): void {
  for (let index = 1; index < lines.length; index++) {
    assert.ok((lines[index - 1] as LogLine).timestamp <= (lines[index] as LogLine).timestamp, `${what}: line ${index} is out of timestamp order`);
  }
}

// ---- scripted --------------------------------------------------------------------------------------------------------

const base = BigInt(Date.UTC(2026, 0, 1, 12)) * 1_000_000n;
/** A canonical timestamp `seconds` (plus `nanos`) after 12:00. */
function at(seconds: number, nanos = 0): string {
  return timestampFromNanos(base + BigInt(seconds) * 1_000_000_000n + BigInt(nanos));
}

interface FakeContainer {
  current: ParsedLine[];
  previous: ParsedLine[] | undefined;
}

interface QueryCall {
  readonly key: string;
  readonly since: string | undefined;
  readonly numLines: number;
  readonly previous: boolean;
}

/** SYSTEM$GET_SERVICE_LOGS with the real function's window semantics, over lines the test writes. */
class FakeLogs {
  readonly containers = new Map<string, FakeContainer>();
  readonly calls: QueryCall[] = [];
  /** The next calls fail with these, in order. */
  readonly failures: SnowflakeError[] = [];
  /** While set, calls wait for it (and for their abort signal). */
  gate: Promise<void> | undefined;
  maxBytes = 100 * 1024;
  listed: string[] | undefined;

  write(key: string, timestamp: string, text: string): void {
    this.container(key).current.push({ timestamp, text });
  }

  restart(key: string): void {
    const container = this.container(key);
    container.previous = container.current;
    container.current = [];
  }

  readonly query: LogQueryFn = async (target, since, numLines, options = {}) => {
    const key = `${target.instance}/${target.container}`;
    this.calls.push({ key, since, numLines, previous: options.previous ?? false });
    if (this.gate) {
      const aborted = new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve()));
      await Promise.race([this.gate, aborted]);
      if (options.signal?.aborted) return fail(snowflakeError('cancelled', 'The statement was cancelled.'));
    }
    const failure = this.failures.shift();
    if (failure) return fail(failure);
    const container = this.containers.get(key);
    if (!container) return fail(snowflakeError('sql', `Container '${target.container}' does not exist.`, { code: '391431' }));
    const lines = options.previous ? container.previous : container.current;
    if (!lines) return fail(snowflakeError('sql', 'No previous logs.', { code: '391432' }));
    const window: string[] = [];
    let bytes = 0;
    for (let index = lines.length - 1; index >= 0 && window.length < numLines; index--) {
      const line = lines[index] as ParsedLine;
      if (since !== undefined && since !== '' && line.timestamp < since) break;
      const text = `${line.timestamp} ${line.text}`;
      if (bytes + text.length + 1 > this.maxBytes) break;
      bytes += text.length + 1;
      window.push(text);
    }
    return ok(window.reverse().join('\n'));
  };

  readonly listContainers = (): Promise<Result<ContainerTarget[]>> => {
    const keys = this.listed ?? [...this.containers.keys()];
    return Promise.resolve(
      ok(
        keys.map((key) => {
          const [instance = '', container = ''] = key.split('/');
          return { service: 'SVC', instance, container };
        }),
      ),
    );
  };

  container(key: string): FakeContainer {
    let container = this.containers.get(key);
    if (!container) {
      container = { current: [], previous: undefined };
      this.containers.set(key, container);
    }
    return container;
  }
}

function scripted(t: TestContext, logs: FakeLogs, options: Partial<LogFollowerOptions> = {}): { follower: LogFollower; scheduler: SteppedScheduler; recorder: Recorder } {
  const scheduler = new SteppedScheduler();
  const recorder = new Recorder();
  const follower = new LogFollower({
    query: logs.query,
    listContainers: logs.listContainers,
    target: { service: 'SVC' },
    tailLines: 10,
    includeTimestamps: false,
    interval: { minMs: 1000, maxMs: 8000 },
    scheduler,
    sink: recorder.sink,
    onStatus: recorder.onStatus,
    ...options,
  });
  scheduler.status = () => recorder.last;
  t.after(() => follower.stop());
  return { follower, scheduler, recorder };
}

describe('LogFollower (scripted log function)', { timeout: 30_000 }, () => {
  it('drops exactly the lines already shown at the cursor timestamp, even identical ones', async (t) => {
    const logs = new FakeLogs();
    logs.write('0/main', at(1), 'tick');
    logs.write('0/main', at(1), 'tick');
    const { follower, scheduler, recorder } = scripted(t, logs, { target: { service: 'SVC', instance: '0', container: 'main' } });
    follower.start();
    await scheduler.next();
    assert.deepEqual(recorder.logs.map((line) => line.display), ['tick', 'tick']);
    // Same timestamp again: one more identical line and a different one.
    logs.write('0/main', at(1), 'tick');
    logs.write('0/main', at(1), 'tock');
    await scheduler.step();
    assert.deepEqual(recorder.logs.map((line) => line.display), ['tick', 'tick', 'tick', 'tock']);
    assert.deepEqual(logs.calls.map((call) => [call.since, call.numLines]), [
      [undefined, 10],
      [at(1), 5000],
    ]);
    await scheduler.step();
    assert.equal(recorder.logs.length, 4, 'the repeated window shows nothing new');
    logs.write('0/main', at(2), 'tick');
    await scheduler.step();
    assert.deepEqual(recorder.logs.map((line) => `${line.timestamp} ${line.text}`).slice(-1), [`${at(2)} tick`]);
  });

  it('starts from a bounded tail, or with a zero tail from the newest line without showing it', async (t) => {
    const logs = new FakeLogs();
    for (let second = 0; second < 50; second++) logs.write('0/main', at(second), `line ${second}`);
    const tail = scripted(t, logs, { target: { service: 'SVC', instance: '0', container: 'main' }, tailLines: 3 });
    tail.follower.start();
    await tail.scheduler.next();
    assert.deepEqual(tail.recorder.logs.map((line) => line.display), ['line 47', 'line 48', 'line 49']);

    const zero = scripted(t, logs, { target: { service: 'SVC', instance: '0', container: 'main' }, tailLines: 0 });
    zero.follower.start();
    await zero.scheduler.next();
    assert.deepEqual(zero.recorder.lines, []);
    logs.write('0/main', at(60), 'after the start');
    await zero.scheduler.step();
    assert.deepEqual(zero.recorder.logs.map((line) => line.display), ['after the start']);
  });

  it('follows a container that had written nothing yet from its first line, past the tail bound', async (t) => {
    const logs = new FakeLogs();
    logs.container('0/main');
    const { follower, scheduler, recorder } = scripted(t, logs, { target: { service: 'SVC', instance: '0', container: 'main' }, tailLines: 2 });
    follower.start();
    await scheduler.next();
    assert.deepEqual(recorder.lines, []);
    for (let second = 10; second < 15; second++) logs.write('0/main', at(second), `line ${second}`);
    await scheduler.step();
    assert.deepEqual(recorder.logs.map((line) => line.display), ['line 10', 'line 11', 'line 12', 'line 13', 'line 14']);
    assert.deepEqual(logs.calls.map((call) => [call.since, call.numLines]), [
      [undefined, 2],
      [undefined, 5000],
    ]);
  });

  it('backs off while idle (doubling up to the maximum) and resets when lines arrive', async (t) => {
    const logs = new FakeLogs();
    logs.write('0/main', at(1), 'first');
    const { follower, scheduler, recorder } = scripted(t, logs, { target: { service: 'SVC', instance: '0', container: 'main' } });
    follower.start();
    assert.equal(await scheduler.next(), 1000);
    assert.equal(await scheduler.step(), 2000);
    assert.equal(await scheduler.step(), 4000);
    assert.equal(await scheduler.step(), 8000);
    assert.equal(await scheduler.step(), 8000);
    assert.deepEqual(recorder.last, { state: 'idle', sources: 1, nextPollMs: 8000 });
    logs.write('0/main', at(2), 'second');
    assert.equal(await scheduler.step(), 1000);
    assert.deepEqual(recorder.last, { state: 'following', sources: 1 });
    assert.deepEqual(scheduler.waits, [1000, 2000, 4000, 8000, 8000, 1000]);
    assert.equal(describeStatus({ state: 'idle', sources: 2, nextPollMs: 4000 }), 'Following 2 containers; no new lines, next poll in 4 s');
  });

  it('keeps the cursor through transient errors, retrying with backoff: no gap, no duplicate', async (t) => {
    const logs = new FakeLogs();
    logs.write('0/main', at(1), 'one');
    const { follower, scheduler, recorder } = scripted(t, logs, { target: { service: 'SVC', instance: '0', container: 'main' } });
    follower.start();
    await scheduler.next();
    logs.write('0/main', at(2), 'two');
    logs.failures.push(snowflakeError('network', 'Could not reach Snowflake.'), snowflakeError('timeout', 'Did not finish within 30 s.'));
    assert.equal(await scheduler.step(), 2000);
    assert.deepEqual(recorder.last, { state: 'retrying', error: snowflakeError('network', 'Could not reach Snowflake.'), attempt: 1, nextPollMs: 2000 });
    assert.equal(await scheduler.step(), 4000);
    assert.equal((recorder.last as { attempt: number }).attempt, 2);
    logs.write('0/main', at(3), 'three');
    assert.equal(await scheduler.step(), 1000);
    assert.deepEqual(recorder.logs.map((line) => line.display), ['one', 'two', 'three']);
    assert.deepEqual(
      logs.calls.map((call) => call.since),
      [undefined, at(1), at(1), at(1)],
      'every retry asks from the same cursor',
    );
  });

  it('stops on a permanent error, reports it, and never polls again', async (t) => {
    const logs = new FakeLogs();
    logs.write('0/main', at(1), 'one');
    const { follower, scheduler, recorder } = scripted(t, logs, { target: { service: 'SVC', instance: '0', container: 'main' } });
    follower.start();
    await scheduler.next();
    const denied = snowflakeError('privilege', 'Role R is not allowed to do this.', { code: '003001' });
    logs.failures.push(denied);
    scheduler.fire();
    assert.deepEqual(await follower.finished, denied);
    assert.deepEqual(recorder.last, { state: 'stopped', error: denied });
    assert.equal(scheduler.pending, false);
    assert.equal(logs.calls.length, 2);
    await follower.stop();
    assert.equal(logs.calls.length, 2);
  });

  it('merges a service in timestamp order, tags each source, discovers new ones and drops gone ones', async (t) => {
    const logs = new FakeLogs();
    logs.write('0/api', at(1), 'api 1');
    logs.write('1/api', at(2), 'api 2');
    logs.write('0/sidecar', at(3), 'sidecar 3');
    logs.write('0/api', at(4), 'api 4');
    const { follower, scheduler, recorder } = scripted(t, logs, { discoverEveryRounds: 2 });
    follower.start();
    await scheduler.next();
    assert.deepEqual(recorder.lines.map((line) => line.display), ['[0/api] api 1', '[1/api] api 2', '[0/sidecar] sidecar 3', '[0/api] api 4']);
    // A new replica, and instance 1 is gone (still readable once more).
    logs.write('2/api', at(5), 'api on the new replica');
    logs.write('1/api', at(6), 'api 1 last words');
    logs.listed = ['0/api', '0/sidecar', '2/api'];
    await scheduler.step(); // round 1: no discovery yet
    assert.deepEqual(recorder.lines.slice(4).map((line) => line.display), ['[1/api] api 1 last words']);
    await scheduler.step(); // round 2: discovery
    // In timestamp order: the notice about instance 1 is dated by its last line (6 s).
    assert.deepEqual(recorder.lines.slice(5).map((line) => line.display), [
      '[2/api] ⋯ New container; following it from its recent lines.',
      '[2/api] api on the new replica',
      '[1/api] ⋯ No longer running; stopped following it.',
    ]);
    const polled = logs.calls.length;
    await scheduler.step();
    assert.equal(logs.calls.length - polled, 3, 'the gone instance is not polled any more');
    assert.ok(!logs.calls.slice(polled).some((call) => call.key === '1/api'));
    assertSorted(recorder.logs.slice(0, 4), 'first round');
  });

  it('says so when a response was cut at 100 KB, and polls again at once', async (t) => {
    const logs = new FakeLogs();
    logs.write('0/main', at(1), 'start');
    const { follower, scheduler, recorder } = scripted(t, logs, { target: { service: 'SVC', instance: '0', container: 'main' } });
    follower.start();
    await scheduler.next();
    // About 200 KB in one interval: twice what one response holds.
    for (let index = 0; index < 2000; index++) logs.write('0/main', at(2, index), `burst ${index} ${'x'.repeat(60)}`);
    assert.equal(await scheduler.step(), 0, 'the next poll follows at once');
    assert.deepEqual(recorder.notices, ['⋯ More lines arrived since the last poll than one query returns (100 KB); some were skipped.']);
    const shown = recorder.logs.slice(1).map((line) => line.text);
    assert.ok(shown.length > 500 && shown.length < 2000, `${shown.length} lines shown`);
    assert.equal(shown[shown.length - 1], `burst 1999 ${'x'.repeat(60)}`);
    assert.equal(await scheduler.step(), 2000, 'then it is quiet again');
  });

  it('bridges a restart with the end of the previous run', async (t) => {
    const logs = new FakeLogs();
    logs.write('0/main', at(1), 'one');
    logs.write('0/main', at(2), 'two');
    const { follower, scheduler, recorder } = scripted(t, logs, { target: { service: 'SVC', instance: '0', container: 'main' } });
    follower.start();
    await scheduler.next();
    logs.write('0/main', at(3), 'three');
    await scheduler.step(); // the cursor line comes back: `since` is inclusive here
    logs.write('0/main', at(4), 'dying words');
    logs.restart('0/main');
    await scheduler.step(); // the new run has written nothing yet
    logs.write('0/main', at(10), 'new run');
    await scheduler.step();
    await scheduler.step();
    assert.deepEqual(recorder.lines.map((line) => line.display), [
      'one',
      'two',
      'three',
      'dying words',
      '⋯ The container restarted; the lines before this are the end of its previous run.',
      'new run',
    ]);
    assert.equal(logs.calls.filter((call) => call.previous).length, 1, 'the previous run is read once');
  });

  it('hands big batches over in slices, yielding between them, in order', async (t) => {
    const logs = new FakeLogs();
    logs.maxBytes = Number.POSITIVE_INFINITY;
    for (let index = 0; index < 20_000; index++) logs.write(`${index % 4}/main`, at(1, index), `line ${index}`);
    let clock = 0;
    let yields = 0;
    const { follower, scheduler, recorder } = scripted(t, logs, {
      tailLines: 100_000,
      now: () => (clock += 1),
      sliceMs: 5,
      yieldToEventLoop: () => {
        yields += 1;
        return new Promise((resolve) => setImmediate(resolve));
      },
    });
    follower.start();
    await scheduler.next();
    assert.equal(recorder.logs.length, 20_000);
    assert.deepEqual(
      recorder.logs.map((line) => line.text),
      Array.from({ length: 20_000 }, (_, index) => `line ${index}`),
    );
    assert.ok(recorder.batches.length > 10, `the sink got ${recorder.batches.length} slices`);
    assert.ok(yields >= recorder.batches.length - 1);
  });

  it('stop() during a query cancels it, resolves once it settled, and nothing is shown or polled after', async (t) => {
    const logs = new FakeLogs();
    logs.write('0/main', at(1), 'one');
    const { follower, scheduler, recorder } = scripted(t, logs, { target: { service: 'SVC', instance: '0', container: 'main' } });
    follower.start();
    await scheduler.next();
    logs.write('0/main', at(2), 'two');
    logs.gate = new Promise(() => undefined); // the next query hangs until cancelled
    scheduler.fire();
    await waitFor(() => logs.calls.length === 2, 5000, 'the second query');
    await follower.stop();
    assert.deepEqual(recorder.logs.map((line) => line.display), ['one']);
    assert.deepEqual(recorder.last, { state: 'stopped' });
    assert.equal(await follower.finished, undefined);
    assert.equal(scheduler.pending, false);
    assert.equal(logs.calls.length, 2);
  });

  it('previous logs of a restarted container, formatted like the follow', async (t) => {
    const logs = new FakeLogs();
    logs.write('0/main', at(1), 'old run');
    logs.write('0/main', at(2), 'Killed');
    logs.restart('0/main');
    const { follower } = scripted(t, logs, { target: { service: 'SVC', instance: '0' }, includeTimestamps: true });
    const previous = value(await follower.fetchPreviousLogs({ service: 'SVC', instance: '0', container: 'main' }));
    assert.deepEqual(
      previous.map((line) => line.display),
      [`${at(1)} [main] old run`, `${at(2)} [main] Killed`],
    );
    assert.deepEqual(logs.calls, [{ key: '0/main', since: undefined, numLines: 10, previous: true }]);
  });
});

// ---- emulator --------------------------------------------------------------------------------------------------------

const echoService = 'SPCS_DEMO.PUBLIC.ECHO_SERVICE';
const echo = { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' };
const llm = { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'LLM_SERVICE' };

/** The emulator's whole current log of a container (newest 100 KB), read around the protocol. */
function fullLog(h: Harness, service: string, instance: string, container: string, previous = false): ParsedLine[] {
  const result = h.account.control.run(`SELECT SYSTEM$GET_SERVICE_LOGS('${service}', '${instance}', '${container}', 100000, ${previous ? 'TRUE' : 'FALSE'}, '', TRUE)`);
  if (!('rows' in result)) throw new Error('the log query did not complete');
  return parseLogText(result.rows[0]?.[0] ?? '');
}

/** Asserts that `shown` is exactly the newest `shown.length` lines of the log: contiguous, no gap, no duplicate, caught up. */
function assertTailOf(shown: readonly ParsedLine[], log: readonly ParsedLine[], what: string): void {
  assert.ok(shown.length > 0, `${what}: nothing shown`);
  assert.deepEqual(shown, log.slice(-shown.length), `${what}: not the newest ${shown.length} lines of the log`);
}

function queryRequests(h: Harness): number {
  return h.requests('/queries/v1/query-request').length;
}

function emulatorFollower(
  t: TestContext,
  h: Harness,
  options: Partial<LogFollowerOptions> & { connection?: string; timeoutMs?: number } = {},
): { follower: LogFollower; scheduler: SteppedScheduler; recorder: Recorder } {
  const source = snowflakeLogSource(h.sessions, options.connection ?? printedConnection, { timeoutMs: options.timeoutMs ?? 10_000 });
  const scheduler = new SteppedScheduler();
  const recorder = new Recorder();
  const follower = new LogFollower({
    ...source,
    target: { service: echo },
    tailLines: 5,
    includeTimestamps: false,
    interval: { minMs: 2000, maxMs: 16_000 },
    scheduler,
    sink: recorder.sink,
    onStatus: recorder.onStatus,
    ...options,
  });
  scheduler.status = () => recorder.last;
  t.after(() => follower.stop());
  return { follower, scheduler, recorder };
}

describe('LogFollower (emulator, real driver)', { timeout: 120_000 }, () => {
  it('follows ECHO_SERVICE: both instances merged in timestamp order, tagged, exact sequences across polls', async (t) => {
    const h = await harness(t);
    const { follower, scheduler, recorder } = emulatorFollower(t, h);
    follower.start();
    assert.equal(await scheduler.next(), 2000);
    const first = recorder.lines;
    assert.equal(first.length, 10, 'a tail of 5 lines from each instance');
    assertSorted(first, 'the tail');
    assert.deepEqual(new Set(first.map((line) => line.display.split(' ')[0])), new Set(['[0/echo]', '[1/echo]']));
    for (const line of first) assert.equal(line.display, `[${line.instance}/${line.container}] ${line.text}`);

    const rounds: LogLine[][] = [];
    for (let round = 0; round < 4; round++) {
      const before = recorder.lines.length;
      h.clock.advance(20_000);
      await scheduler.step();
      rounds.push(recorder.lines.slice(before));
    }
    for (const [index, round] of rounds.entries()) {
      assert.ok(round.length >= 4, `round ${index + 1} brought new lines from both instances (${round.length})`);
      assertSorted(round, `round ${index + 1}`);
    }
    for (const instance of ['0', '1']) assertTailOf(recorder.of(instance, 'echo'), fullLog(h, echoService, instance, 'echo'), `instance ${instance}`);
    assert.deepEqual(recorder.notices, []);
    assert.deepEqual(recorder.last, { state: 'following', sources: 2 });
  });

  it('follows one container with and without timestamps, from a bounded tail', async (t) => {
    const h = await harness(t);
    const target = { service: echo, instance: '1', container: 'echo' };
    const plain = emulatorFollower(t, h, { target, tailLines: 3 });
    const stamped = emulatorFollower(t, h, { target, tailLines: 3, includeTimestamps: true });
    plain.follower.start();
    stamped.follower.start();
    await plain.scheduler.next();
    await stamped.scheduler.next();
    const log = fullLog(h, echoService, '1', 'echo');
    assert.deepEqual(
      plain.recorder.lines.map((line) => line.display),
      log.slice(-3).map((line) => line.text),
    );
    assert.deepEqual(
      stamped.recorder.lines.map((line) => line.display),
      log.slice(-3).map((line) => `${line.timestamp} ${line.text}`),
    );
    h.clock.advance(30_000);
    await plain.scheduler.step();
    await stamped.scheduler.step();
    const later = fullLog(h, echoService, '1', 'echo');
    const newest = log[log.length - 1]?.timestamp ?? '';
    const added = later.filter((line) => line.timestamp > newest).length;
    assert.ok(added >= 4, `${added} new lines in 30 s`);
    assert.deepEqual(
      plain.recorder.lines.map((line) => line.display),
      later.slice(-(3 + added)).map((line) => line.text),
    );
    assert.deepEqual(
      stamped.recorder.lines.map((line) => line.display),
      later.slice(-(3 + added)).map((line) => `${line.timestamp} ${line.text}`),
    );
  });

  it('backs off while the service is quiet and resets when lines come', async (t) => {
    const h = await harness(t);
    const { follower, scheduler, recorder } = emulatorFollower(t, h, { interval: { minMs: 1000, maxMs: 4000 } });
    follower.start();
    assert.equal(await scheduler.next(), 1000);
    // The clock stands still: no new lines.
    assert.equal(await scheduler.step(), 2000);
    assert.equal(await scheduler.step(), 4000);
    assert.equal(await scheduler.step(), 4000);
    assert.deepEqual(recorder.last, { state: 'idle', sources: 2, nextPollMs: 4000 });
    h.clock.advance(15_000);
    assert.equal(await scheduler.step(), 1000);
    assert.deepEqual(recorder.last, { state: 'following', sources: 2 });
    for (const instance of ['0', '1']) assertTailOf(recorder.of(instance, 'echo'), fullLog(h, echoService, instance, 'echo'), `instance ${instance}`);
  });

  it('survives session expiry, an ended session and dropped requests mid-follow: no gap, no duplicate', async (t) => {
    const h = await harness(t);
    const { follower, scheduler, recorder } = emulatorFollower(t, h);
    follower.start();
    await scheduler.next();
    h.clock.advance(20_000);
    assert.ok(h.emulator.faults.expireSessions() >= 1);
    await scheduler.step();
    assert.ok(h.requests('/session/token-request').length >= 1, 'the driver renewed the session token');
    h.clock.advance(20_000);
    h.emulator.faults.dropNext(1, '/queries/v1/query-request');
    await scheduler.step();
    h.clock.advance(20_000);
    h.emulator.faults.invalidateSessions('390111');
    await scheduler.step();
    h.clock.advance(20_000);
    await scheduler.step();
    assert.ok(h.requests('/queries/v1/query-request').some((request) => request.fault === 'drop'));
    assert.equal(h.emulator.faults.pending, false);
    for (const instance of ['0', '1']) assertTailOf(recorder.of(instance, 'echo'), fullLog(h, echoService, instance, 'echo'), `instance ${instance}`);
    assert.ok(recorder.logs.length >= 10 + 4 * 4);
    assert.deepEqual(recorder.notices, []);
  });

  it('retries a poll that timed out from the same cursor', async (t) => {
    const h = await harness(t);
    value(await h.sessions.get(printedConnection)); // log in first: the short timeout is for the poll alone
    const { follower, scheduler, recorder } = emulatorFollower(t, h, { target: { service: echo, instance: '0', container: 'echo' }, timeoutMs: 800 });
    follower.start();
    await scheduler.next();
    h.clock.advance(20_000);
    h.emulator.faults.delayStatement(/GET_SERVICE_LOGS/, 10 * 60_000);
    assert.equal(await scheduler.step('the timed-out round'), 4000);
    const retrying = recorder.last;
    assert.equal(retrying?.state, 'retrying');
    assert.equal(retrying.state === 'retrying' ? retrying.error.kind : '', 'timeout');
    h.clock.advance(20_000);
    assert.equal(await scheduler.step(), 2000);
    assertTailOf(recorder.of('0', 'echo'), fullLog(h, echoService, '0', 'echo'), 'instance 0');
  });

  it('stop() ends cleanly: no query after it, no timer left', async (t) => {
    const h = await harness(t);
    const { follower, scheduler, recorder } = emulatorFollower(t, h);
    follower.start();
    await scheduler.next();
    h.clock.advance(20_000);
    await scheduler.step();
    const shown = recorder.lines.length;
    await follower.stop();
    const queries = queryRequests(h);
    assert.equal(scheduler.pending, false);
    assert.deepEqual(recorder.last, { state: 'stopped' });
    h.clock.advance(60_000);
    scheduler.fire();
    follower.start();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(queryRequests(h), queries, 'no query after stop()');
    assert.equal(recorder.lines.length, shown);
    assert.equal(await follower.finished, undefined);
  });

  it('stop() during a poll cancels it and nothing more is shown', async (t) => {
    const h = await harness(t);
    const { follower, scheduler, recorder } = emulatorFollower(t, h, { target: { service: echo, instance: '0', container: 'echo' } });
    follower.start();
    await scheduler.next();
    const shown = recorder.lines.length;
    h.clock.advance(20_000);
    h.emulator.faults.delayStatement(/GET_SERVICE_LOGS/, 10 * 60_000);
    const queries = queryRequests(h);
    scheduler.fire();
    await waitFor(() => queryRequests(h) > queries, 10_000, 'the poll to reach the emulator');
    await follower.stop();
    const after = queryRequests(h);
    assert.equal(recorder.lines.length, shown);
    assert.deepEqual(recorder.last, { state: 'stopped' });
    h.clock.advance(20 * 60_000);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(queryRequests(h), after);
  });

  it("shows the previous logs of LLM_SERVICE's restarted vllm container", async (t) => {
    const h = await harness(t);
    const { follower } = emulatorFollower(t, h, { target: { service: llm }, tailLines: 500 });
    const previous = value(await follower.fetchPreviousLogs({ service: llm, instance: '0', container: 'vllm' }));
    const expected = fullLog(h, 'SPCS_DEMO.PUBLIC.LLM_SERVICE', '0', 'vllm', true);
    assert.ok(previous.length > 5);
    assert.deepEqual(
      previous.map(({ timestamp, text }) => ({ timestamp, text })),
      expected.slice(-previous.length),
    );
    assert.match(previous[previous.length - 1]?.display ?? '', /^\[0\/vllm\] torch\.OutOfMemoryError: CUDA out of memory/);
    const chat = await follower.fetchPreviousLogs({ service: llm, instance: '0', container: 'chat-ui' });
    assert.equal(chat.ok, false, 'a container that never restarted has no previous logs');
  });

  it('bridges a container restart mid-follow with the end of its previous run', async (t) => {
    const h = await harness(t);
    const { follower, scheduler, recorder } = emulatorFollower(t, h, { target: { service: echo, instance: '0', container: 'echo' } });
    follower.start();
    await scheduler.next();
    h.clock.advance(20_000);
    await scheduler.step();
    h.clock.advance(10_000);
    h.account.control.restartContainer(echoService, 0, 'echo', { exitCode: 1 });
    h.clock.advance(60_000);
    await scheduler.step();
    h.clock.advance(20_000);
    await scheduler.step();
    const previousRun = fullLog(h, echoService, '0', 'echo', true);
    const currentRun = fullLog(h, echoService, '0', 'echo');
    const notice = recorder.lines.findIndex((line) => line.kind === 'notice');
    assert.ok(notice > 0, 'a notice marks the restart');
    assert.equal(recorder.lines[notice]?.display, '⋯ The container restarted; the lines before this are the end of its previous run.');
    const before = recorder.lines.slice(0, notice).map(({ timestamp, text }) => ({ timestamp, text }));
    const after = recorder.lines.slice(notice + 1).map(({ timestamp, text }) => ({ timestamp, text }));
    assertTailOf(before, previousRun, 'the previous run up to its end');
    assert.match(before[before.length - 1]?.text ?? '', /OSError: \[Errno 98\] Address already in use/);
    assertTailOf(after, currentRun, 'the new run');
    assert.equal(after[0]?.text, 'Starting echo service on port 8000', 'the new run from its first line');
  });

  it('discovers a new replica after scaling out and follows it from its first lines', async (t) => {
    const h = await harness(t);
    const { follower, scheduler, recorder } = emulatorFollower(t, h, { discoverEveryRounds: 2, tailLines: 20 });
    follower.start();
    await scheduler.next();
    value(await h.sessions.execute(printedConnection, 'ALTER SERVICE SPCS_DEMO.PUBLIC.ECHO_SERVICE SET MIN_INSTANCES = 3 MAX_INSTANCES = 3', { timeoutMs: 10_000 }));
    for (let round = 0; round < 4; round++) {
      h.clock.advance(20_000);
      await scheduler.step();
    }
    assert.ok(recorder.notices.includes('[2/echo] ⋯ New container; following it from its recent lines.'));
    for (const instance of ['0', '1', '2']) assertTailOf(recorder.of(instance, 'echo'), fullLog(h, echoService, instance, 'echo'), `instance ${instance}`);
    assert.equal(recorder.of('2', 'echo')[0]?.text, 'Starting echo service on port 8000');
    assert.deepEqual(recorder.last, { state: 'following', sources: 3 });
  });

  for (const target of [{ service: echo, instance: '0', container: 'echo' }, { service: echo }]) {
    const scope = target.instance === undefined ? 'a whole service' : 'one container';
    it(`pauses the follow of ${scope} while the service is suspended, says why, and goes on when it is resumed: no duplicate, no gap unannounced`, async (t) => {
      const h = await harness(t);
      const { follower, scheduler, recorder } = emulatorFollower(t, h, { target });
      const instances = target.instance === undefined ? ['0', '1'] : ['0'];
      follower.start();
      await scheduler.next();
      h.clock.advance(20_000);
      await scheduler.step();
      value(await h.sessions.execute(printedConnection, 'ALTER SERVICE SPCS_DEMO.PUBLIC.ECHO_SERVICE SUSPEND', { timeoutMs: 10_000 }));
      // SUSPENDING: the instances are terminating and their last lines can still be read.
      h.clock.advance(5_000);
      await scheduler.step();
      const oldRun = new Map(instances.map((instance) => [instance, fullLog(h, echoService, instance, 'echo')]));
      // SUSPENDED: the instances are gone.
      h.clock.advance(20_000);
      await scheduler.step('the round that finds the instances gone');
      assert.equal(recorder.last?.state, 'paused', JSON.stringify(recorder.last));
      assert.ok(recorder.last?.state === 'paused' && recorder.last.serviceStatus === 'SUSPENDED');
      const pauseNotice = '⋯ ECHO_SERVICE is suspended; following resumes when it runs again. Lines written between the last poll and the suspension, if any, can no longer be read.';
      assert.deepEqual(recorder.notices, [pauseNotice]);
      assert.equal(recorder.lines.at(-1)?.display, pauseNotice, 'the notice comes after the last lines');
      for (const instance of instances) assertTailOf(recorder.of(instance, 'echo'), oldRun.get(instance) ?? [], `instance ${instance} up to the suspension`);

      // While suspended: the status is looked at with the idle backoff (at most every 10 s), nothing else is shown.
      const shown = recorder.lines.length;
      h.clock.advance(60_000);
      assert.equal(await scheduler.step(), 8000);
      h.clock.advance(60_000);
      assert.equal(await scheduler.step(), 10_000);
      assert.equal(recorder.lines.length, shown);
      assert.equal(recorder.last?.state, 'paused');

      value(await h.sessions.execute(printedConnection, 'ALTER SERVICE SPCS_DEMO.PUBLIC.ECHO_SERVICE RESUME', { timeoutMs: 10_000 }));
      for (let round = 0; round < 4; round++) {
        h.clock.advance(20_000);
        await scheduler.step();
      }
      assert.deepEqual(recorder.notices, [pauseNotice, '⋯ ECHO_SERVICE runs again; following it from its new lines.']);
      assert.equal(recorder.last?.state, 'following');
      const resumedAt = recorder.lines.findIndex((line) => line.display.startsWith('⋯ ECHO_SERVICE runs again'));
      const after = recorder.lines.slice(resumedAt + 1);
      for (const instance of instances) {
        const newRun = after.filter((line) => line.kind === 'log' && line.instance === instance).map(({ timestamp, text }) => ({ timestamp, text }));
        assertTailOf(newRun, fullLog(h, echoService, instance, 'echo'), `instance ${instance} after the resumption`);
        assert.equal(newRun[0]?.text, 'Starting echo service on port 8000', `instance ${instance}: the new run from its first line`);
      }
      const keys = recorder.logs.map((line) => `${line.instance}/${line.timestamp}/${line.text}`);
      assert.equal(new Set(keys).size, keys.length, 'no line is shown twice');
      assert.ok(!recorder.notices.some((notice) => /restarted|stopped following/i.test(notice)), recorder.notices.join('\n'));
    });
  }

  it('stops with a privilege error for a role without MONITOR on the service', async (t) => {
    const h = await harness(t);
    const control = h.account.control;
    control.run('CREATE ROLE LOG_READER_WITHOUT_MONITOR');
    control.run('GRANT USAGE ON DATABASE SPCS_DEMO TO ROLE LOG_READER_WITHOUT_MONITOR');
    control.run('GRANT USAGE ON SCHEMA SPCS_DEMO.PUBLIC TO ROLE LOG_READER_WITHOUT_MONITOR');
    control.run('GRANT USAGE ON WAREHOUSE DEMO_WH TO ROLE LOG_READER_WITHOUT_MONITOR');
    control.run('GRANT USAGE ON SERVICE SPCS_DEMO.PUBLIC.ECHO_SERVICE TO ROLE LOG_READER_WITHOUT_MONITOR');
    control.addUser({ name: 'NO_MONITOR_USER', password: 'no-monitor-1', defaultRole: 'LOG_READER_WITHOUT_MONITOR', defaultWarehouse: 'DEMO_WH', defaultDatabase: 'SPCS_DEMO', defaultSchema: 'PUBLIC' });
    h.addConnections(connectionsTomlSection('no_monitor', h.emulator.connection('NO_MONITOR_USER')));

    for (const target of [{ service: echo }, { service: echo, instance: '0', container: 'echo' }]) {
      const { follower, scheduler, recorder } = emulatorFollower(t, h, { connection: 'no_monitor', target });
      follower.start();
      const error = await follower.finished;
      assert.ok(error);
      assert.equal(error.kind, 'privilege', JSON.stringify(error));
      assert.match(error.message, /MONITOR/);
      assert.deepEqual(recorder.last, { state: 'stopped', error });
      assert.equal(scheduler.pending, false);
      assert.deepEqual(recorder.lines, []);
    }
  });
});
