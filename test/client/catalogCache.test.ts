/**
 * `CatalogCache`: TTL and staleness on an injected clock, one read in flight per connection,
 * failures that keep the last good catalog (stale) or leave none (unavailable) with a classified
 * reason, `forget` (catalog null, a read in flight ignored), change events, and `dispose`. Pure:
 * the reader is a deferred promise the test settles; one test reads the emulator for real.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccountCatalog } from '../../server/src/lspExtension';
import { CatalogCache, reasonOf, type CatalogChange, type CatalogEntry } from '../../client/src/catalog/catalogCache';
import { catalogReader, type CatalogFetch } from '../../client/src/catalog/fetchCatalog';
import type { SnowflakeError } from '../../client/src/snowflake/errors';
import type { Result } from '../../client/src/snowflake/result';
import { harness, printedConnection } from './emulatorHarness';

function catalog(role: string): AccountCatalog {
  return { role, instanceFamilies: [], computePools: [], imageRepositories: [], stages: [], secrets: [], externalAccessIntegrations: [], warehouses: [], grants: [] };
}

class Reader {
  readonly calls: { connection: string; signal: AbortSignal; settle: (result: Result<CatalogFetch>) => void }[] = [];

  read = (connection: string, signal: AbortSignal): Promise<Result<CatalogFetch>> =>
    new Promise((resolve) => {
      this.calls.push({ connection, signal, settle: resolve });
    });

  succeed(index: number, role: string): void {
    this.calls[index]?.settle({ ok: true, value: { catalog: catalog(role), problems: [], durationMs: 1 } });
  }

  failWith(index: number, error: SnowflakeError): void {
    this.calls[index]?.settle({ ok: false, error });
  }
}

const networkError: SnowflakeError = { kind: 'network', message: 'Could not reach Snowflake at http://127.0.0.1:9 (connection "dev"): ECONNREFUSED.' };

function setup(ttlMs = 60_000): { cache: CatalogCache; reader: Reader; clock: { now: number }; events: CatalogEntry[]; changes: CatalogChange[] } {
  const reader = new Reader();
  const clock = { now: Date.UTC(2026, 10, 26, 12, 0, 0) };
  const cache = new CatalogCache({ read: reader.read, ttlMs, retryAfterMs: 5_000, now: () => clock.now });
  const events: CatalogEntry[] = [];
  const changes: CatalogChange[] = [];
  cache.onDidChange((entry, change) => {
    events.push(entry);
    changes.push(change);
  });
  return { cache, reader, clock, events, changes };
}

describe('CatalogCache', { timeout: 30_000 }, () => {
  it('reads once for concurrent callers, then serves the fresh copy until the TTL passes', async () => {
    const { cache, reader, clock, events, changes } = setup();
    const first = cache.get('dev');
    const second = cache.get('dev');
    assert.equal(reader.calls.length, 1, 'one read in flight');
    assert.equal(cache.peek('dev')?.loading, true);
    reader.succeed(0, 'R1');
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.catalog?.role, 'R1');
    assert.deepEqual(a.status, { state: 'fresh' });
    assert.equal(b, a);
    assert.equal((await cache.get('dev')).catalog?.role, 'R1');
    assert.equal(reader.calls.length, 1, 'fresh: no second read');
    clock.now += 60_000;
    assert.equal(cache.peek('dev')?.status.state, 'stale');
    assert.match(cache.peek('dev')?.status.reason ?? '', /older than the refresh interval of 1 minute/);
    const again = cache.get('dev');
    assert.equal(reader.calls.length, 2, 'expired: read again');
    reader.succeed(1, 'R2');
    assert.equal((await again).catalog?.role, 'R2');
    assert.deepEqual(
      events.map((entry) => [entry.catalog?.role ?? null, entry.status.state, entry.loading]),
      [
        [null, 'unavailable', true],
        ['R1', 'fresh', false],
        ['R1', 'stale', true],
        ['R2', 'fresh', false],
      ],
    );
    assert.deepEqual(changes, ['loading', 'read', 'loading', 'read']);
    const params = cache.toParams(events[3] as CatalogEntry, true);
    assert.equal(params.fetchedAt, '2026-11-26T12:01:00.000Z');
    assert.equal(params.isDefault, true);
  });

  it('keeps the last good catalog as stale when a refresh fails, and is unavailable without one', async () => {
    const { cache, reader, clock } = setup();
    const first = cache.refresh('dev');
    reader.failWith(0, networkError);
    const failed = await first;
    assert.equal(failed.catalog, null);
    assert.equal(failed.status.state, 'unavailable');
    assert.equal(failed.status.reason, 'network: Could not reach Snowflake at http://127.0.0.1:9 (connection "dev"): ECONNREFUSED');
    assert.equal((await cache.get('dev')).error?.kind, 'network');
    assert.equal(reader.calls.length, 1, 'a failure is not retried by get within retryAfterMs');
    clock.now += 5_000;
    const retry = cache.get('dev');
    assert.equal(reader.calls.length, 2);
    reader.succeed(1, 'R1');
    assert.equal((await retry).status.state, 'fresh');
    clock.now += 90_000;
    const refresh = cache.refresh('dev');
    reader.failWith(2, { kind: 'auth', message: 'Incorrect user name or password.' });
    const stale = await refresh;
    assert.equal(stale.catalog?.role, 'R1', 'the last good copy is kept');
    assert.equal(stale.status.state, 'stale');
    assert.match(stale.status.reason ?? '', /^The last refresh failed \(authentication: Incorrect user name or password\); showing the catalog read 1 minute ago\.$/);
  });

  it('forget drops the catalog (null to listeners) and ignores the read that was in flight', async () => {
    const { cache, reader, events, changes } = setup();
    const reading = cache.refresh('dev');
    cache.forget('dev');
    assert.equal(reader.calls[0]?.signal.aborted, true, 'the read in flight is aborted');
    reader.succeed(0, 'LATE');
    await reading;
    assert.equal(cache.peek('dev'), undefined);
    const last = events[events.length - 1];
    assert.equal(last?.catalog, null);
    assert.equal(last?.status.state, 'unavailable');
    assert.deepEqual(changes, ['loading', 'forgotten']);
    assert.ok(!events.some((entry) => entry.catalog?.role === 'LATE'), 'a forgotten read never reaches listeners');
    assert.deepEqual(cache.connections(), []);
  });

  it('keeps connections apart, and dispose aborts reads and silences listeners', async () => {
    const { cache, reader, events } = setup();
    const one = cache.get('one');
    const two = cache.get('two');
    assert.deepEqual(reader.calls.map((call) => call.connection), ['one', 'two']);
    reader.succeed(0, 'ONE');
    assert.equal((await one).catalog?.role, 'ONE');
    const before = events.length;
    cache.dispose();
    assert.equal(reader.calls[1]?.signal.aborted, true);
    reader.succeed(1, 'TWO');
    await two;
    assert.equal(events.length, before, 'no events after dispose');
    assert.equal(reader.calls.length, 2);
    await cache.refresh('three');
    assert.equal(reader.calls.length, 2, 'a disposed cache reads nothing');
  });

  it('a reader that throws gives an internal error, not an exception', async () => {
    const cache = new CatalogCache({
      read: () => {
        throw new Error('boom');
      },
    });
    const entry = await cache.refresh('dev');
    assert.equal(entry.status.state, 'unavailable');
    assert.equal(entry.error?.kind, 'internal');
    assert.match(entry.status.reason ?? '', /internal error: Reading the account catalog failed: boom/);
  });

  it('reasonOf names the kind of failure', () => {
    assert.equal(reasonOf({ kind: 'privilege', message: 'Role X is not allowed to do this.' }), 'privilege: Role X is not allowed to do this');
  });

  it('serves the emulator catalog and marks it unavailable once the emulator is gone', async (t) => {
    const h = await harness(t);
    const cache = new CatalogCache({ read: catalogReader(h.sessions, () => ({ timeoutMs: 8_000 })), ttlMs: 60_000 });
    t.after(() => cache.dispose());
    const entry = await cache.get(printedConnection);
    assert.equal(entry.status.state, 'fresh');
    assert.equal(entry.catalog?.role, 'SPCS_DEVELOPER');
    await h.sessions.close(printedConnection);
    await h.emulator.stop();
    const after = await cache.refresh(printedConnection);
    assert.equal(after.status.state, 'stale');
    assert.equal(after.catalog?.role, 'SPCS_DEVELOPER');
    assert.match(after.status.reason ?? '', /^The last refresh failed \((network|timeout): /);
  });
});
