/**
 * Test helpers for the SQL engine: an account on a ManualClock, sessions per role, and shortcuts
 * that run a statement and return rows as objects keyed by column name, or the SnowflakeSqlError it
 * raised. The engine is called directly (no HTTP).
 */

import assert from 'node:assert/strict';
import { createAccount, type Account } from '../../emulator/src/account/account';
import { ManualClock } from '../../emulator/src/clock';
import { isPending, SnowflakeSqlError, type PendingResult, type ResultSet, type SessionContext } from '../../emulator/src/contract';

export type Row = Record<string, string | null>;

export interface Kit {
  readonly account: Account;
  readonly clock: ManualClock;
  /** A session as DEMO_USER (or the given user) in SPCS_DEMO.PUBLIC with the given role. */
  session(role?: string, user?: string): SessionContext;
  run(sql: string, session?: SessionContext): ResultSet;
  pending(sql: string, session?: SessionContext): PendingResult;
  rows(sql: string, session?: SessionContext): Row[];
  one(sql: string, session?: SessionContext): Row;
  value(sql: string, session?: SessionContext): string | null;
  error(sql: string, session?: SessionContext): SnowflakeSqlError;
  advance(seconds: number): void;
}

export function toRows(result: ResultSet): Row[] {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((column, index) => [column.name, row[index] ?? null])));
}

/**
 * Seeded states by seed kind. Seeding runs SQL (with spec validation) and takes a while; restoring
 * the saved state is fast and gives the same account, since every ManualClock starts at the same
 * moment. `sqlAccount.test.ts` checks seeding itself.
 */
const seededStates = new Map<string, unknown>();

export function kit(seed: 'demo' | 'empty' = 'demo'): Kit {
  const clock = new ManualClock();
  let state = seededStates.get(seed);
  if (state === undefined) {
    state = createAccount({ clock: new ManualClock(), seed }).serialize();
    seededStates.set(seed, state);
  }
  const account = createAccount({ clock, state });
  const defaultSession = (role = seed === 'demo' ? 'SPCS_DEVELOPER' : 'ACCOUNTADMIN', user = 'DEMO_USER'): SessionContext => ({
    sessionId: `session-${role}`,
    user,
    role,
    database: 'SPCS_DEMO',
    schema: 'PUBLIC',
    warehouse: 'DEMO_WH',
  });
  const shared = defaultSession();
  const run = (sql: string, session: SessionContext = shared): ResultSet => {
    const result = account.engine.execute(sql, session);
    if (isPending(result)) {
      throw new Error(`Unexpected pending result for: ${sql}`);
    }
    return result;
  };
  return {
    account,
    clock,
    session: defaultSession,
    run,
    pending(sql, session = shared) {
      const result = account.engine.execute(sql, session);
      assert.ok(isPending(result), `expected a pending result for: ${sql}`);
      return result;
    },
    rows: (sql, session) => toRows(run(sql, session)),
    one(sql, session) {
      const rows = toRows(run(sql, session));
      assert.equal(rows.length, 1, `expected one row from: ${sql}`);
      return rows[0] as Row;
    },
    value(sql, session) {
      const result = run(sql, session);
      return result.rows[0]?.[0] ?? null;
    },
    error(sql, session = shared) {
      try {
        account.engine.execute(sql, session);
      } catch (error) {
        assert.ok(error instanceof SnowflakeSqlError, `expected a SnowflakeSqlError, got ${String(error)}`);
        return error;
      }
      assert.fail(`expected an error from: ${sql}`);
    },
    advance(seconds) {
      clock.advance(seconds * 1000);
    },
  };
}

/** A minimal valid spec running the tutorial echo image (tag `v2` unless given). */
export function echoSpec(options: { tag?: string; image?: string; extra?: string; endpoint?: 'public' | 'private' | 'none' } = {}): string {
  const image = options.image ?? `/tutorial_db/data_schema/tutorial_repository/echo:${options.tag ?? 'v2'}`;
  const endpoint =
    options.endpoint === 'none'
      ? ''
      : `  endpoints:\n    - name: echoendpoint\n      port: 8000\n${options.endpoint === 'public' ? '      public: true\n' : ''}`;
  return `spec:\n  containers:\n    - name: echo\n      image: ${image}\n      readinessProbe:\n        port: 8000\n        path: /healthcheck\n${options.extra ?? ''}${endpoint}`;
}

export function assertError(error: SnowflakeSqlError, code: string, message: RegExp | string): void {
  assert.equal(error.code, code, `code of: ${error.message}`);
  if (typeof message === 'string') {
    assert.equal(error.message, message);
  } else {
    assert.match(error.message, message);
  }
}
