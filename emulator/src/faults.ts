/**
 * Fault injection for tests: network drops, 503s, expired or invalidated sessions, slow statements
 * and failing logins. Every fault is bounded (it fires N times, N ≤ `maxFaultCount`) because the
 * driver retries a dropped or 5xx request up to 1000 times and ignores `cancel()`; an unbounded
 * "drop everything" would keep a test process alive for hours.
 *
 * This module only keeps the counters; `server.ts` asks it what to do with each request, and the
 * session store / query registry carry out `expireSessions`, `invalidateSessions` and delays.
 */

/** Which requests a fault applies to: a path prefix (`/queries/v1/query-request`) or a regular expression on the path. */
export type RequestMatch = string | RegExp;

export const maxFaultCount = 100;

/** What the server does with a request before handling it. */
export type RequestFault = 'drop' | 'status503' | undefined;

/** The session actions a fault asks for; wired to the session store by `server.ts`. */
export interface SessionFaultTarget {
  expireAll(): number;
  invalidateAll(code: '390104' | '390111'): number;
}

interface Counted {
  remaining: number;
  readonly match: RequestMatch | undefined;
}

interface StatementDelay {
  remaining: number;
  readonly sql: RegExp;
  readonly milliseconds: number;
}

interface LoginFailure {
  remaining: number;
  readonly code: string;
  readonly message: string | undefined;
}

function checkCount(count: number, what: string): void {
  if (!Number.isInteger(count) || count < 0 || count > maxFaultCount) {
    throw new RangeError(`${what}: the count must be an integer from 0 to ${maxFaultCount} (faults are always bounded), got ${count}`);
  }
}

function matches(match: RequestMatch | undefined, path: string): boolean {
  if (match === undefined) return true;
  return typeof match === 'string' ? path.startsWith(match) : match.test(path);
}

export class FaultInjector {
  private readonly drops: Counted[] = [];
  private readonly unavailable: Counted[] = [];
  private readonly delays: StatementDelay[] = [];
  private readonly loginFailures: LoginFailure[] = [];

  constructor(private readonly sessions: SessionFaultTarget) {}

  /** Closes the connection without an answer for the next `count` matching requests (the driver retries them). */
  dropNext(count: number, match?: RequestMatch): void {
    checkCount(count, 'dropNext');
    if (count > 0) this.drops.push({ remaining: count, match });
  }

  /** Answers HTTP 503 to the next `count` matching requests (the driver retries 5xx with backoff). */
  fail503(count: number, match?: RequestMatch): void {
    checkCount(count, 'fail503');
    if (count > 0) this.unavailable.push({ remaining: count, match });
  }

  /**
   * Expires every current session token: the next call answers 390112 and the driver renews the
   * token with the master token and repeats the call. Returns the number of sessions affected.
   */
  expireSessions(): number {
    return this.sessions.expireAll();
  }

  /**
   * Ends every current session as if the server lost it: the next call answers `code` (390111
   * "session no longer exists" by default, or 390104 "invalid session token"); the driver then
   * disconnects, `isUp()` turns false and calls fail with 407002. Returns the number of sessions.
   */
  invalidateSessions(code: '390104' | '390111' = '390111'): number {
    return this.sessions.invalidateAll(code);
  }

  /**
   * Makes the next `count` statements whose SQL matches `sql` take `milliseconds` of EMULATED time
   * (the server's clock: a ManualClock in tests, real time × speed in the CLI). Until the clock has
   * moved that far, the query answers 333333 (or RUNNING in monitoring), and the statement runs
   * when it is done; `cancel()` before then means it never runs.
   */
  delayStatement(sql: RegExp, milliseconds: number, count = 1): void {
    checkCount(count, 'delayStatement');
    if (!Number.isFinite(milliseconds) || milliseconds < 0) throw new RangeError(`delayStatement: milliseconds must be ≥ 0, got ${milliseconds}`);
    if (count > 0) this.delays.push({ remaining: count, sql, milliseconds });
  }

  /** Fails the next `count` login requests with `code` (390100 "Incorrect username or password" by default). */
  failLogins(count: number, code = '390100', message?: string): void {
    checkCount(count, 'failLogins');
    if (count > 0) this.loginFailures.push({ remaining: count, code, message });
  }

  /** Removes every pending fault (sessions already expired or invalidated stay so). */
  clear(): void {
    this.drops.length = 0;
    this.unavailable.length = 0;
    this.delays.length = 0;
    this.loginFailures.length = 0;
  }

  /** Whether anything is still armed (tests assert this is false when they end). */
  get pending(): boolean {
    return this.drops.length + this.unavailable.length + this.delays.length + this.loginFailures.length > 0;
  }

  /** Called by the server for every request before it is handled; consumes one count. */
  takeRequestFault(path: string): RequestFault {
    if (take(this.drops, (fault) => matches(fault.match, path))) return 'drop';
    if (take(this.unavailable, (fault) => matches(fault.match, path))) return 'status503';
    return undefined;
  }

  /** Called for each new statement; the emulated milliseconds it should take, or 0. */
  takeStatementDelay(sqlText: string): number {
    const delay = take(this.delays, (fault) => {
      fault.sql.lastIndex = 0;
      return fault.sql.test(sqlText);
    });
    return delay?.milliseconds ?? 0;
  }

  /** Called for each login request; the failure to answer instead, if one is armed. */
  takeLoginFailure(): { code: string; message: string | undefined } | undefined {
    return take(this.loginFailures, () => true);
  }
}

function take<T extends { remaining: number }>(faults: T[], applies: (fault: T) => boolean): T | undefined {
  const index = faults.findIndex(applies);
  const fault = faults[index];
  if (fault === undefined) return undefined;
  fault.remaining -= 1;
  if (fault.remaining <= 0) faults.splice(index, 1);
  return fault;
}
