/**
 * The statements the emulator has been asked to run, from query-request to their final answer:
 * immediate results, statements delayed by a fault (`delayStatement`, emulated time) or pending in
 * the engine (`PendingResult`), async execution, cancellation, and the chunks of large results.
 *
 * Progress is evaluated lazily from the clock whenever someone asks (a poll, the monitoring API),
 * never from timers. The registry builds envelopes but does no HTTP; `server.ts` holds a poll
 * open for a moment and asks again (long polling, like Snowflake's ~45 s result wait).
 */

import { randomUUID } from 'node:crypto';
import { isPending, SnowflakeSqlError, type Clock, type PendingResult, type ResultSet, type SqlEngine } from './contract';
import type { FaultInjector } from './faults';
import {
  Codes,
  Messages,
  failure,
  inProgressPayload,
  ok,
  resultPayload,
  splitIntoChunks,
  sqlErrorPayload,
  type ChunkReference,
  type Envelope,
} from './wireProtocol';
import type { Session } from './sessions';

interface Names {
  readonly role: string;
  readonly database: string | undefined;
  readonly schema: string | undefined;
  readonly warehouse: string | undefined;
}

type QueryState =
  /** Held by `delayStatement`: the statement has not run yet. */
  | { readonly kind: 'delayed'; readonly readyAt: number }
  /** The engine answered with a PendingResult. */
  | { readonly kind: 'pending'; readonly pending: PendingResult }
  | { readonly kind: 'succeeded'; readonly result: ResultSet; readonly inline: ResultSet['rows']; readonly chunks: readonly string[] }
  | { readonly kind: 'failed'; readonly error: SnowflakeSqlError }
  | { readonly kind: 'canceled' };

export interface Query {
  readonly id: string;
  readonly requestId: string | undefined;
  readonly session: Session;
  readonly sqlText: string;
  readonly binds: readonly (string | null)[] | undefined;
  readonly asyncExec: boolean;
  readonly startedAt: number;
  endedAt: number | undefined;
  state: QueryState;
  /** The session's names right after the statement ran (what `finalRoleName` & co. report). */
  names: Names;
}

export interface StatementRequest {
  readonly sqlText: string;
  readonly requestId: string | undefined;
  readonly binds: readonly (string | null)[] | undefined;
  readonly asyncExec: boolean;
  readonly describeOnly: boolean;
}

export interface QueryRegistryOptions {
  readonly engine: SqlEngine;
  readonly clock: Clock;
  readonly faults: FaultInjector;
  readonly chunkRowThreshold: number;
  /** Called after a statement ran (successfully or not) and may have changed the account. */
  readonly onStatementRan: () => void;
  /** How many finished queries to keep for /queries/<id>/result and monitoring. */
  readonly retainedQueries?: number;
}

/** Snowflake's "SQL execution internal error" for anything the engine throws that is not a SQL error. */
function internalError(error: unknown): SnowflakeSqlError {
  const detail = error instanceof Error ? error.message : String(error);
  return new SnowflakeSqlError(Codes.internalError, 'XX000', `SQL execution internal error: Processing aborted due to error 300002:${detail}`);
}

function namesOf(session: Session): Names {
  const { role, database, schema, warehouse } = session.context;
  return { role, database, schema, warehouse };
}

export function isFinal(query: Query): boolean {
  return query.state.kind === 'succeeded' || query.state.kind === 'failed' || query.state.kind === 'canceled';
}

export class QueryRegistry {
  private readonly queries = new Map<string, Query>();
  /** requestId → query, so a retried query-request (same requestId) is answered, not run twice. */
  private readonly byRequestId = new Map<string, Query>();
  /** requestIds cancelled (v1 abort-request) before their query-request arrived. */
  private readonly canceledRequests = new Set<string>();
  private readonly retained: number;

  constructor(private readonly options: QueryRegistryOptions) {
    this.retained = options.retainedQueries ?? 2000;
  }

  /** The query a retried query-request refers to, if it was already received. */
  existing(session: Session, requestId: string | undefined): Query | undefined {
    if (requestId === undefined) return undefined;
    const query = this.byRequestId.get(requestId);
    return query?.session === session ? query : undefined;
  }

  submit(session: Session, request: StatementRequest): Query {
    const now = this.options.clock.now();
    const query: Query = {
      id: randomUUID(),
      requestId: request.requestId,
      session,
      sqlText: request.sqlText,
      binds: request.binds,
      asyncExec: request.asyncExec,
      startedAt: now,
      endedAt: undefined,
      state: { kind: 'delayed', readyAt: now },
      names: namesOf(session),
    };
    this.remember(query);
    if (request.requestId !== undefined && this.canceledRequests.delete(request.requestId)) {
      this.finish(query, { kind: 'canceled' });
      return query;
    }
    if (request.describeOnly) {
      // describeOnly must not run the statement; the emulator describes nothing (no columns).
      this.finish(query, { kind: 'succeeded', result: { columns: [], rows: [] }, inline: [], chunks: [] });
      return query;
    }
    const delay = this.options.faults.takeStatementDelay(request.sqlText);
    query.state = { kind: 'delayed', readyAt: now + delay };
    this.advance(query);
    return query;
  }

  find(id: string): Query | undefined {
    return this.queries.get(id);
  }

  findByRequestId(requestId: string): Query | undefined {
    return this.byRequestId.get(requestId);
  }

  /** Moves a query forward as far as the clock allows: runs a delayed statement, polls a pending one. */
  advance(query: Query): void {
    const { state } = query;
    if (state.kind === 'delayed') {
      if (state.readyAt > this.options.clock.now()) return;
      this.run(query);
    } else if (state.kind === 'pending') {
      this.poll(query, state.pending);
    }
  }

  /** `abort-request`: a query that has not finished is cancelled (it never completes). */
  cancel(query: Query): void {
    if (!isFinal(query)) this.finish(query, { kind: 'canceled' });
  }

  /** `POST /queries/v1/abort-request {requestId}`: cancel before the queryId is known. */
  cancelRequest(requestId: string): void {
    const query = this.byRequestId.get(requestId);
    if (query === undefined) this.canceledRequests.add(requestId);
    else this.cancel(query);
  }

  /** The answer to query-request or `GET /queries/<id>/result` as things stand. */
  answer(query: Query, chunkUrl: (query: Query, index: number) => string): Envelope {
    const { state } = query;
    switch (state.kind) {
      case 'delayed':
      case 'pending':
        return ok(inProgressPayload(query.id), Codes.queryInProgress);
      case 'canceled':
        return failure(Codes.statementCanceled, Messages.statementCanceled, sqlErrorPayload(query.id, Codes.statementCanceled, '57014'));
      case 'failed':
        return failure(state.error.code, state.error.message, sqlErrorPayload(query.id, state.error.code, state.error.sqlState, state.error.line, state.error.position));
      case 'succeeded': {
        const chunks: ChunkReference[] = state.chunks.map((body, index) => {
          const size = Buffer.byteLength(body);
          const rowCount = Math.min(this.options.chunkRowThreshold, state.result.rows.length - state.inline.length - index * this.options.chunkRowThreshold);
          return { url: chunkUrl(query, index), rowCount, uncompressedSize: size, compressedSize: size };
        });
        return ok(
          resultPayload({
            queryId: query.id,
            result: state.result,
            context: { ...query.session.context, ...query.names },
            parameters: query.session.parameters,
            inline: state.inline,
            chunks,
            sendResultTime: this.options.clock.now(),
          }),
        );
      }
    }
  }

  /** The monitoring API's view (`GET /monitoring/queries/<id>`), one entry of `data.queries`. */
  monitoringEntry(query: Query) {
    const { state } = query;
    const status = { delayed: 'RUNNING', pending: 'RUNNING', succeeded: 'SUCCESS', failed: 'FAILED_WITH_ERROR', canceled: 'ABORTED' }[state.kind];
    const end = query.endedAt ?? this.options.clock.now();
    const error = state.kind === 'failed' ? state.error : state.kind === 'canceled' ? { code: Codes.statementCanceled, message: Messages.statementCanceled, sqlState: '57014' } : undefined;
    return {
      id: query.id,
      status,
      state: status,
      sqlText: query.sqlText,
      startTime: query.startedAt,
      endTime: query.endedAt ?? 0,
      totalDuration: end - query.startedAt,
      sessionId: Number(query.session.id),
      userName: query.session.context.user,
      ...(error === undefined ? {} : { errorCode: error.code, errorMessage: error.message, sqlState: error.sqlState }),
      stats: state.kind === 'succeeded' ? { producedRows: state.result.rows.length } : {},
    };
  }

  /** Body of chunk `index` of a finished query (rows without the outer brackets). */
  chunk(queryId: string, index: number): string | undefined {
    const state = this.queries.get(queryId)?.state;
    return state?.kind === 'succeeded' ? state.chunks[index] : undefined;
  }

  private run(query: Query): void {
    let outcome: ResultSet | PendingResult;
    try {
      outcome = this.options.engine.execute(query.sqlText, query.session.context, query.binds === undefined ? undefined : { binds: query.binds });
    } catch (error) {
      this.finish(query, { kind: 'failed', error: error instanceof SnowflakeSqlError ? error : internalError(error) });
      this.options.onStatementRan();
      return;
    }
    query.names = namesOf(query.session);
    if (isPending(outcome)) {
      query.state = { kind: 'pending', pending: outcome };
      this.options.onStatementRan();
      this.poll(query, outcome);
      return;
    }
    this.succeed(query, outcome);
    this.options.onStatementRan();
  }

  private poll(query: Query, pending: PendingResult): void {
    let result: ResultSet | undefined;
    try {
      result = pending.poll();
    } catch (error) {
      this.finish(query, { kind: 'failed', error: error instanceof SnowflakeSqlError ? error : internalError(error) });
      this.options.onStatementRan();
      return;
    }
    if (result === undefined) return;
    this.succeed(query, result);
    this.options.onStatementRan();
  }

  private succeed(query: Query, result: ResultSet): void {
    const { inline, chunks } = splitIntoChunks(result.rows, this.options.chunkRowThreshold);
    this.finish(query, { kind: 'succeeded', result, inline, chunks });
  }

  private finish(query: Query, state: QueryState): void {
    query.state = state;
    query.endedAt = this.options.clock.now();
  }

  private remember(query: Query): void {
    this.queries.set(query.id, query);
    if (query.requestId !== undefined) this.byRequestId.set(query.requestId, query);
    if (this.queries.size <= this.retained) return;
    // Forget the oldest finished queries (Map keeps insertion order).
    for (const [id, old] of this.queries) {
      if (this.queries.size <= this.retained) break;
      if (!isFinal(old)) continue;
      this.queries.delete(id);
      if (old.requestId !== undefined && this.byRequestId.get(old.requestId) === old) this.byRequestId.delete(old.requestId);
    }
  }
}
