/**
 * Sessions and their tokens: a session token for every call (validity `sessionValiditySeconds` of
 * emulated time, 1 h by default) and a master token to renew it (4 h). As in Snowflake, the 4 h
 * are of inactivity: every accepted call (a heartbeat too) extends the master token. Expiry is
 * read from the clock, never from timers. A session ended by logout or by `invalidateSessions()` is kept so that
 * its tokens answer "session no longer exists" (390111) rather than "invalid token" (390104).
 *
 * No HTTP and no SQL here; `server.ts` maps lookups to responses.
 */

import { randomBytes } from 'node:crypto';
import { defaultTimeZone, type Clock, type SessionContext } from './contract';
import { Codes, Messages, type Parameter } from './wireProtocol';

export interface Session {
  /** Snowflake session ids are numbers; kept as a decimal string like `SessionContext.sessionId`. */
  readonly id: string;
  readonly context: SessionContext;
  readonly parameters: readonly Parameter[];
  readonly authenticator: string;
  sessionToken: string;
  masterToken: string;
  sessionTokenExpiresAt: number;
  masterTokenExpiresAt: number;
  /** Set when the session was ended: the code its tokens answer from then on. */
  endedWith?: '390104' | '390111';
}

export type SessionLookup = { readonly ok: true; readonly session: Session } | { readonly ok: false; readonly code: string; readonly message: string };

export interface SessionValidity {
  readonly sessionValiditySeconds: number;
  readonly masterValiditySeconds: number;
}

export interface NewSession {
  readonly user: string;
  readonly role: string;
  readonly database: string | undefined;
  readonly schema: string | undefined;
  readonly warehouse: string | undefined;
  readonly parameters: readonly Parameter[];
  readonly authenticator: string;
}

/** The TIMEZONE the session runs with (the client may set it at login). */
function timeZoneOf(parameters: readonly Parameter[]): string {
  const value = parameters.find((parameter) => parameter.name === 'TIMEZONE')?.value;
  return typeof value === 'string' && value !== '' ? value : defaultTimeZone;
}

function token(kind: 'ST' | 'MT'): string {
  return `ver:1-hint:emulator-${kind}-${randomBytes(24).toString('base64url')}`;
}

const endedMessages = { '390104': Messages.sessionTokenInvalid, '390111': Messages.sessionGone } as const;

export class SessionStore {
  private readonly bySessionToken = new Map<string, Session>();
  private readonly byMasterToken = new Map<string, Session>();
  private readonly sessions: Session[] = [];
  private nextId = 1;

  constructor(
    private readonly clock: Clock,
    readonly validity: SessionValidity,
  ) {}

  create(input: NewSession): Session {
    const now = this.clock.now();
    // Snowflake session ids are large integers; these stay well inside Number.MAX_SAFE_INTEGER.
    const id = String(1_000_000_000_000 + this.nextId++);
    const session: Session = {
      id,
      context: { sessionId: id, user: input.user, role: input.role, database: input.database, schema: input.schema, warehouse: input.warehouse, timezone: timeZoneOf(input.parameters) },
      parameters: input.parameters,
      authenticator: input.authenticator,
      sessionToken: token('ST'),
      masterToken: token('MT'),
      sessionTokenExpiresAt: now + this.validity.sessionValiditySeconds * 1000,
      masterTokenExpiresAt: now + this.validity.masterValiditySeconds * 1000,
    };
    this.sessions.push(session);
    this.bySessionToken.set(session.sessionToken, session);
    this.byMasterToken.set(session.masterToken, session);
    return session;
  }

  /** The session a call's `Authorization: Snowflake Token="…"` belongs to, or the code to answer. */
  lookup(sessionToken: string | undefined): SessionLookup {
    const session = sessionToken === undefined ? undefined : this.bySessionToken.get(sessionToken);
    if (session === undefined) return { ok: false, code: Codes.sessionTokenInvalid, message: Messages.sessionTokenInvalid };
    if (session.endedWith !== undefined) return { ok: false, code: session.endedWith, message: endedMessages[session.endedWith] };
    // A token replaced by a renewal, or one past its validity, has expired; the driver renews.
    const now = this.clock.now();
    if (session.sessionToken !== sessionToken || session.sessionTokenExpiresAt <= now) {
      return { ok: false, code: Codes.sessionTokenExpired, message: Messages.sessionTokenExpired };
    }
    session.masterTokenExpiresAt = now + this.validity.masterValiditySeconds * 1000;
    return { ok: true, session };
  }

  /** `POST /session/token-request` with requestType RENEW, authorized by the master token. */
  renew(masterToken: string | undefined): SessionLookup {
    const session = masterToken === undefined ? undefined : this.byMasterToken.get(masterToken);
    if (session === undefined) return { ok: false, code: Codes.sessionTokenInvalid, message: Messages.sessionTokenInvalid };
    if (session.endedWith !== undefined) return { ok: false, code: session.endedWith, message: endedMessages[session.endedWith] };
    const now = this.clock.now();
    if (session.masterTokenExpiresAt <= now) return { ok: false, code: Codes.masterTokenExpired, message: Messages.masterTokenExpired };
    session.sessionToken = token('ST');
    session.sessionTokenExpiresAt = now + this.validity.sessionValiditySeconds * 1000;
    session.masterTokenExpiresAt = now + this.validity.masterValiditySeconds * 1000;
    this.bySessionToken.set(session.sessionToken, session);
    return { ok: true, session };
  }

  /** Logout (`POST /session?delete=true`). */
  end(session: Session): void {
    session.endedWith = Codes.sessionGone;
  }

  /** For `FaultInjector.expireSessions()`: every live session token is expired now. */
  expireAll(): number {
    const now = this.clock.now();
    let count = 0;
    for (const session of this.sessions) {
      if (session.endedWith !== undefined) continue;
      session.sessionTokenExpiresAt = Math.min(session.sessionTokenExpiresAt, now);
      count += 1;
    }
    return count;
  }

  /** For `FaultInjector.invalidateSessions()`: every live session ends, answering `code`. */
  invalidateAll(code: '390104' | '390111'): number {
    let count = 0;
    for (const session of this.sessions) {
      if (session.endedWith !== undefined) continue;
      session.endedWith = code;
      count += 1;
    }
    return count;
  }

  /** Live sessions (for tests and the CLI's status line). */
  get active(): readonly Session[] {
    return this.sessions.filter((session) => session.endedWith === undefined && session.masterTokenExpiresAt > this.clock.now());
  }
}
