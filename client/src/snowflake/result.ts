/**
 * `Result<T>`: how every call into Snowflake reports success or failure (style.md §10). Callers
 * branch on `ok`; nothing in this layer throws across its API. The error is always a classified
 * `SnowflakeError` (see `errors.ts`) that keeps Snowflake's own code.
 */

import type { SnowflakeError } from './errors';

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: SnowflakeError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: SnowflakeError): Result<T> {
  return { ok: false, error };
}

/** Applies `transform` to a successful value; failures pass through unchanged. */
export function mapResult<T, U>(result: Result<T>, transform: (value: T) => U): Result<U> {
  return result.ok ? ok(transform(result.value)) : result;
}

/** Chains a second fallible step after a successful first one. */
export async function andThen<T, U>(result: Result<T>, next: (value: T) => Promise<Result<U>> | Result<U>): Promise<Result<U>> {
  return result.ok ? next(result.value) : result;
}
