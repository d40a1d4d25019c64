/**
 * The emulator's HTTP server: `start()` listens on 127.0.0.1, routes the driver's REST calls to the
 * login, session and query handlers, applies injected faults before any handling, records every
 * request for tests, and persists the account (`--state`). Every handler's failure becomes an
 * internal-error envelope (HTTP 200, `success: false`): never a 5xx, which the driver would retry
 * a thousand times, and never a crash.
 *
 * The endpoints are in `routes.ts`; session and query logic in `sessions.ts`, `login.ts`,
 * `queries.ts`. This file is the HTTP I/O, the lifecycle and the wiring.
 */

import http from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createAccount } from './account/account';
import { Authenticator } from './auth';
import { ScaledClock } from './clock';
import type { Clock, EmulatedAccount } from './contract';
import { FaultInjector, type RequestFault } from './faults';
import { Codes, failure } from './wireProtocol';
import { QueryRegistry } from './queries';
import { createRouter, json, type Reply } from './routes';
import { SessionStore } from './sessions';
import { readState, StateWriter } from './stateFile';

export type CreateAccount = (options: { clock: Clock; seed?: 'demo' | 'empty'; state?: unknown }) => EmulatedAccount;

export interface StartOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: '127.0.0.1';
  /** The account to serve; by default `createAccount({ clock, seed, state })` from `account/account.ts`. */
  readonly account?: EmulatedAccount;
  /** Builds the account instead of `createAccount` (with the state loaded from `statePath`); for tests with their own account model. */
  readonly createAccount?: CreateAccount;
  readonly seed?: 'demo' | 'empty';
  /** Load the account from this file when it exists, and save it after statements that change it and on stop. */
  readonly statePath?: string;
  /** Emulated time; default: real time × `speed`. */
  readonly clock?: Clock;
  readonly speed?: number;
  /** Session token validity in emulated seconds (default 3600). */
  readonly sessionValiditySeconds?: number;
  /** Master token validity in emulated seconds (default 4 h). */
  readonly masterValiditySeconds?: number;
  /** Results with more rows than this are chunked: this many rows inline, the rest in chunks of this size (default 1000). */
  readonly chunkRowThreshold?: number;
  /** How long (real ms) a query-request or result poll is held open while the statement runs before answering 333333 (default 500). */
  readonly pollHoldMilliseconds?: number;
  /** The user `connection()` describes by default (default DEMO_USER). */
  readonly defaultUser?: string;
  /** Where the emulator reports problems it survives (a failed state save). Default: nowhere. */
  readonly log?: (line: string) => void;
}

/** What a client needs to connect (the keys of a connections.toml section, camelCased as the driver takes them). */
export interface ConnectionDefaults {
  readonly account: string;
  readonly user: string;
  readonly password: string | undefined;
  readonly role: string;
  readonly warehouse: string | undefined;
  readonly database: string | undefined;
  readonly schema: string | undefined;
  readonly accessUrl: string;
  readonly host: string;
  readonly port: number;
  readonly protocol: 'http';
}

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly search: string;
  /** Real time the request arrived (ms since the epoch). */
  readonly at: number;
  /** The injected fault applied instead of handling it, if any. */
  fault?: RequestFault;
  status?: number;
  /** The envelope's `code` (e.g. "333333", "390112"), or null. */
  code?: string | null;
}

export interface EmulatorHandle {
  readonly url: string;
  readonly port: number;
  readonly account: EmulatedAccount;
  readonly clock: Clock;
  readonly faults: FaultInjector;
  readonly sessions: SessionStore;
  readonly stats: { readonly requests: RequestRecord[] };
  connection(user?: string): ConnectionDefaults;
  stop(): Promise<void>;
}

const maxBodyBytes = 64 * 1024 * 1024;
const maxRecordedRequests = 10_000;

function buildAccount(options: StartOptions, clock: Clock): EmulatedAccount {
  const state = options.statePath === undefined ? undefined : readState(options.statePath);
  const create = options.createAccount ?? createAccount;
  return create({ clock, seed: options.seed ?? 'demo', ...(state === undefined ? {} : { state }) });
}

async function readBody(request: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) throw new Error(`request body larger than ${maxBodyBytes} bytes`);
    chunks.push(buffer);
  }
  let raw = Buffer.concat(chunks);
  // The driver may gzip bodies without saying so reliably: sniff the gzip magic bytes.
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
  if (raw.length === 0) return undefined;
  return JSON.parse(raw.toString('utf8')) as unknown;
}

export async function start(options: StartOptions = {}): Promise<EmulatorHandle> {
  const clock = options.clock ?? new ScaledClock(options.speed ?? 1);
  const log = options.log ?? (() => undefined);
  const account = options.account ?? buildAccount(options, clock);
  const stateWriter = options.statePath === undefined ? undefined : new StateWriter(options.statePath, () => account.serialize());
  stateWriter?.markSaved();
  const saveState = (force = false) => {
    try {
      stateWriter?.save(force);
    } catch (error) {
      log(`spcs-emulator: could not save the state to ${options.statePath}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const sessions = new SessionStore(clock, {
    sessionValiditySeconds: options.sessionValiditySeconds ?? 3600,
    masterValiditySeconds: options.masterValiditySeconds ?? 4 * 3600,
  });
  const faults = new FaultInjector({ expireAll: () => sessions.expireAll(), invalidateAll: (code) => sessions.invalidateAll(code) });
  const authenticator = new Authenticator(account.users, clock);
  const chunkRowThreshold = options.chunkRowThreshold ?? 1000;
  const queries = new QueryRegistry({ engine: account.engine, clock, faults, chunkRowThreshold, onStatementRan: () => saveState() });
  const stats = { requests: [] as RequestRecord[] };
  let baseUrl = '';
  let stopping = false;
  const route = createRouter({
    account,
    authenticator,
    sessions,
    faults,
    queries,
    clock,
    pollHoldMilliseconds: options.pollHoldMilliseconds ?? 500,
    baseUrl: () => baseUrl,
    isStopping: () => stopping,
  });

  function send(request: http.IncomingMessage, response: http.ServerResponse, reply: Reply, entry: RequestRecord): void {
    if (response.destroyed || response.headersSent) return;
    if (reply.kind === 'redirect') {
      entry.status = 302;
      response.writeHead(302, { Location: reply.location, 'Content-Type': 'text/html; charset=utf-8' });
      response.end('<html><body>Redirecting to the client…</body></html>');
      return;
    }
    if (reply.kind === 'chunk') {
      // Chunk bodies are rows without the outer brackets, which is not JSON: the driver must not
      // parse them as such, so they go out as octet-stream (like cloud storage), gzipped when accepted.
      entry.status = 200;
      const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
      const payload = gzip ? gzipSync(reply.body) : Buffer.from(reply.body);
      response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': payload.length, ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) });
      response.end(payload);
      return;
    }
    entry.status = reply.status;
    entry.code = reply.body.code;
    const payload = Buffer.from(JSON.stringify(reply.body));
    response.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': payload.length });
    response.end(payload);
  }

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const entry: RequestRecord = { method: request.method ?? 'GET', path: url.pathname, search: url.search, at: Date.now() };
    stats.requests.push(entry);
    if (stats.requests.length > maxRecordedRequests) stats.requests.splice(0, stats.requests.length - maxRecordedRequests);
    const fault = faults.takeRequestFault(url.pathname);
    if (fault === 'drop') {
      entry.fault = fault;
      request.socket.destroy();
      return;
    }
    if (fault === 'status503') {
      entry.fault = fault;
      send(request, response, json(failure('503', 'Service Unavailable (injected fault).'), 503), entry);
      return;
    }
    let reply: Reply;
    try {
      let body: unknown;
      try {
        body = await readBody(request);
      } catch (error) {
        reply = json(failure('400', `The request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`), 400);
        send(request, response, reply, entry);
        return;
      }
      reply = await route(request, url, body);
    } catch (error) {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log(`spcs-emulator: internal error on ${entry.method} ${entry.path}: ${detail}`);
      reply = json(failure(Codes.internalError, `Emulator internal error: ${error instanceof Error ? error.message : String(error)}`));
    }
    send(request, response, reply, entry);
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // send() itself failed (e.g. the socket is gone); nothing more can be answered.
      log(`spcs-emulator: could not answer ${request.method} ${request.url}: ${error instanceof Error ? error.message : String(error)}`);
      response.destroy();
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log(`spcs-emulator: server error: ${error.message}`));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  baseUrl = `http://127.0.0.1:${port}`;

  let stopped: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    account,
    clock,
    faults,
    sessions,
    stats,
    connection(userName = options.defaultUser ?? 'DEMO_USER'): ConnectionDefaults {
      const user = account.users.findUser(userName);
      if (user === undefined) throw new Error(`The emulated account has no user ${userName}.`);
      return {
        account: account.name,
        user: user.name,
        password: user.password,
        role: user.defaultRole,
        warehouse: user.defaultWarehouse,
        database: user.defaultDatabase,
        schema: user.defaultSchema,
        accessUrl: baseUrl,
        host: '127.0.0.1',
        port,
        protocol: 'http',
      };
    },
    stop(): Promise<void> {
      stopped ??= (async () => {
        stopping = true;
        faults.clear();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        saveState(true);
      })();
      return stopped;
    },
  };
}
