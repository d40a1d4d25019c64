/**
 * The REST endpoints the driver calls, as one router: login and the browser-login redirect, token
 * renewal, heartbeat and logout, query-request with long polling, results, abort, monitoring,
 * telemetry and result chunks. Each handler returns a `Reply`; `server.ts` does the HTTP I/O,
 * fault injection and error funnel around it. Unknown endpoints get a 404 JSON envelope.
 */

import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Authenticator } from './auth';
import type { Clock, EmulatedAccount } from './contract';
import type { FaultInjector } from './faults';
import { handleLogin } from './login';
import { Codes, failure, inProgressPayload, ok, type Envelope } from './wireProtocol';
import { isFinal, type Query, type QueryRegistry } from './queries';
import type { Session, SessionStore } from './sessions';

export interface RouterDependencies {
  readonly account: EmulatedAccount;
  readonly authenticator: Authenticator;
  readonly sessions: SessionStore;
  readonly faults: FaultInjector;
  readonly queries: QueryRegistry;
  readonly clock: Clock;
  /** How long (real ms) to hold a query-request or result poll open while the statement runs. */
  readonly pollHoldMilliseconds: number;
  /** `http://127.0.0.1:<port>`, known once the server listens (chunk URLs are absolute). */
  readonly baseUrl: () => string;
  /** True once `stop()` began: held polls answer at once. */
  readonly isStopping: () => boolean;
}

const pollIntervalMilliseconds = 10;

export type Reply =
  | { readonly kind: 'json'; readonly status: number; readonly body: Envelope }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'chunk'; readonly body: string };

export function json(body: Envelope, status = 200): Reply {
  return { kind: 'json', status, body };
}

export function notFound(method: string, path: string): Reply {
  return json(failure('404', `The emulator has no endpoint ${method} ${path}.`), 404);
}

function authorizationToken(request: http.IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  return header === undefined ? undefined : (/Snowflake Token="([^"]*)"/.exec(header)?.[1] ?? undefined);
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** `bindings: {"1": {type, value}, …}` → values in position order, as strings or null. */
function bindsOf(bindings: unknown): (string | null)[] | undefined {
  if (bindings === null || typeof bindings !== 'object') return undefined;
  return Object.entries(bindings as Record<string, { value?: unknown }>)
    .sort(([left], [right]) => Number(left) - Number(right))
    .map(([, bind]) => {
      const value = bind?.value;
      if (value === null || value === undefined) return null;
      return typeof value === 'string' ? value : JSON.stringify(value);
    });
}

export function createRouter(dependencies: RouterDependencies): (request: http.IncomingMessage, url: URL, body: unknown) => Promise<Reply> {
  const { account, authenticator, sessions, faults, queries, clock } = dependencies;
  const chunkUrl = (query: Query, index: number) => `${dependencies.baseUrl()}/chunks/${query.id}/${index}`;

  /** Long polling: hold the answer while the statement may still finish, as Snowflake does. */
  async function hold(query: Query): Promise<void> {
    const deadline = Date.now() + dependencies.pollHoldMilliseconds;
    queries.advance(query);
    while (!isFinal(query) && !dependencies.isStopping() && Date.now() < deadline) {
      await delay(pollIntervalMilliseconds);
      queries.advance(query);
    }
  }

  /** The session of a call, or the reply that refuses it (390104 / 390111 / 390112). */
  function sessionOf(request: http.IncomingMessage): { session: Session } | { reply: Reply } {
    const lookup = sessions.lookup(authorizationToken(request));
    return lookup.ok ? { session: lookup.session } : { reply: json(failure(lookup.code, lookup.message)) };
  }

  /** A query the session's user may see (Snowflake shows a user the queries of all their sessions). */
  function visibleQuery(session: Session, id: string): Query | undefined {
    const query = queries.find(id);
    return query !== undefined && query.session.context.user === session.context.user ? query : undefined;
  }

  async function route(request: http.IncomingMessage, url: URL, body: unknown): Promise<Reply> {
    const method = request.method ?? 'GET';
    const path = url.pathname;

    if (method === 'POST' && path === '/session/v1/login-request') {
      return json(handleLogin(body, url.searchParams, { account, authenticator, sessions, faults }));
    }
    if (method === 'POST' && path === '/telemetry/send') return json(ok(null));
    if (method === 'GET' && path === '/console/login') {
      const port = url.searchParams.get('browser_mode_redirect_port');
      if (port === null || !/^\d+$/.test(port)) return json(failure('400', 'The console login URL has no browser_mode_redirect_port.'), 400);
      const outcome = authenticator.browserLogin(url.searchParams.get('login_name') ?? undefined, url.searchParams.get('proof_key') ?? undefined);
      const target = new URL(`http://localhost:${port}/`);
      if (outcome.ok) target.searchParams.set('token', outcome.token);
      else {
        target.searchParams.set('error', 'access_denied');
        target.searchParams.set('error_description', outcome.error);
      }
      return { kind: 'redirect', location: target.toString() };
    }
    if (method === 'POST' && path === '/session/authenticator-request') {
      // The Node driver never reaches this (it calls https://host:443), but other clients may.
      const data = record(record(body).data);
      const proofKey = randomBytes(32).toString('base64');
      const ssoUrl = new URL('/console/login', dependencies.baseUrl());
      ssoUrl.searchParams.set('login_name', typeof data.LOGIN_NAME === 'string' ? data.LOGIN_NAME : '');
      ssoUrl.searchParams.set('proof_key', proofKey);
      ssoUrl.searchParams.set('browser_mode_redirect_port', typeof data.BROWSER_MODE_REDIRECT_PORT === 'string' || typeof data.BROWSER_MODE_REDIRECT_PORT === 'number' ? String(data.BROWSER_MODE_REDIRECT_PORT) : '');
      return json(ok({ ssoUrl: ssoUrl.toString(), proofKey }));
    }
    if (method === 'POST' && path === '/session/token-request') {
      const requestType = record(body).requestType;
      if (requestType !== 'RENEW') return json(failure('390000', `Unsupported token request type '${String(requestType)}'.`));
      const renewed = sessions.renew(authorizationToken(request));
      if (!renewed.ok) return json(failure(renewed.code, renewed.message));
      const { session } = renewed;
      return json(
        ok({
          sessionToken: session.sessionToken,
          validityInSecondsST: sessions.validity.sessionValiditySeconds,
          masterToken: session.masterToken,
          validityInSecondsMT: Math.max(0, Math.round((session.masterTokenExpiresAt - clock.now()) / 1000)),
          sessionId: Number(session.id),
        }),
      );
    }

    if (method === 'GET' && path.startsWith('/chunks/')) {
      const [, , queryId, index] = path.split('/');
      const chunk = queryId === undefined || index === undefined ? undefined : queries.chunk(queryId, Number(index));
      return chunk === undefined ? notFound(method, path) : { kind: 'chunk', body: chunk };
    }

    // Everything below needs a live session.
    const isSessionCall =
      path === '/session/heartbeat' || path === '/session' || path.startsWith('/queries/') || path.startsWith('/monitoring/queries/');
    if (!isSessionCall) return notFound(method, path);
    const authorized = sessionOf(request);
    if ('reply' in authorized) return authorized.reply;
    const { session } = authorized;

    if (method === 'POST' && path === '/session/heartbeat') return json(ok(null));
    if (method === 'POST' && path === '/session') {
      if (url.searchParams.get('delete') !== 'true') return notFound(method, `${path}${url.search}`);
      sessions.end(session);
      return json(ok(null));
    }
    if (method === 'POST' && path === '/queries/v1/query-request') {
      const data = record(body);
      const requestId = url.searchParams.get('requestId') ?? undefined;
      const sqlText = typeof data.sqlText === 'string' ? data.sqlText : '';
      const query =
        queries.existing(session, requestId) ??
        queries.submit(session, { sqlText, requestId, binds: bindsOf(data.bindings), asyncExec: data.asyncExec === true, describeOnly: data.describeOnly === true });
      if (query.asyncExec) return json(ok(inProgressPayload(query.id), Codes.queryInProgressAsync));
      await hold(query);
      return json(queries.answer(query, chunkUrl));
    }
    if (method === 'POST' && path === '/queries/v1/abort-request') {
      const requestId = record(body).requestId;
      if (typeof requestId === 'string') queries.cancelRequest(requestId);
      return json(ok(null));
    }
    const queryPath = /^\/queries\/([^/]+)\/(result|abort-request)$/.exec(path);
    if (queryPath !== null) {
      const [, id, action] = queryPath as unknown as [string, string, string];
      const query = visibleQuery(session, id);
      if (action === 'abort-request' && method === 'POST') {
        if (query !== undefined) queries.cancel(query);
        return json(ok(null));
      }
      if (action === 'result' && method === 'GET') {
        if (query === undefined) return json(failure('000709', `Statement ${id} not found`, { errorCode: '000709', sqlState: '02000', queryId: id }));
        await hold(query);
        return json(queries.answer(query, chunkUrl));
      }
    }
    const monitoring = /^\/monitoring\/queries\/([^/]+)$/.exec(path);
    if (monitoring !== null && method === 'GET') {
      const query = visibleQuery(session, monitoring[1] ?? '');
      if (query === undefined) return json(ok({ queries: [] }));
      queries.advance(query);
      return json(ok({ queries: [queries.monitoringEntry(query)] }));
    }
    return notFound(method, path);
  }

  return route;
}
