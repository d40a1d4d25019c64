/**
 * The inputs of "Create service function…" without VS Code: the arguments the command accepts (the
 * language server's code action `{ uri, endpoint, port }`, an automation options object), the
 * signature the user types (`(input VARCHAR) RETURNS VARCHAR`), and where the service lives.
 *
 * Pure; must not import `vscode` or run anything (`serviceFunctions/serviceFunctions.ts` writes the SQL).
 */

import type { FunctionArgument } from './serviceFunctions';
import * as sql from '../snowflake/sql';

export const defaultSignature = '(input VARCHAR) RETURNS VARCHAR';
export const defaultPath = '/';

export interface ServiceFunctionRequest {
  /** The spec the code action ran in. */
  readonly uri?: string;
  readonly endpoint?: string;
  readonly port?: string;
  readonly connection?: string;
  /** The service: `DB.SCHEMA.NAME` (or a shorter name) or an object. */
  readonly service?: sql.QualifiedName;
  readonly functionName?: string;
  /** `(arg TYPE, …) RETURNS TYPE`. */
  readonly signature?: string;
  readonly path?: string;
  /** `true`: run the SQL at once; `false`: only open it; absent: offer "Run". */
  readonly run?: boolean;
}

/** The command's first argument as a request (unknown fields ignored, wrong types dropped). */
export function readRequest(value: unknown): ServiceFunctionRequest {
  if (typeof value !== 'object' || value === null) return {};
  const record = value as Record<string, unknown>;
  const text = (key: string): string | undefined => {
    const item = record[key];
    if (typeof item === 'number' && Number.isFinite(item)) return String(item);
    return typeof item === 'string' && item.trim() !== '' ? item.trim() : undefined;
  };
  const request: { -readonly [K in keyof ServiceFunctionRequest]?: ServiceFunctionRequest[K] } = {};
  for (const key of ['uri', 'endpoint', 'port', 'connection', 'functionName', 'signature', 'path'] as const) {
    const found = text(key);
    if (found !== undefined) request[key] = found;
  }
  const service = record['service'];
  if (typeof service === 'string' && service.trim() !== '') {
    request.service = sql.parseQualifiedName(service.trim());
  } else if (typeof service === 'object' && service !== null && typeof (service as { name?: unknown }).name === 'string') {
    const object = service as { database?: unknown; schema?: unknown; name: string };
    request.service = {
      name: object.name,
      ...(typeof object.database === 'string' && object.database !== '' ? { database: object.database } : {}),
      ...(typeof object.schema === 'string' && object.schema !== '' ? { schema: object.schema } : {}),
    };
  }
  if (typeof record['run'] === 'boolean') request.run = record['run'];
  return request;
}

export type Signature = { readonly ok: true; readonly arguments: FunctionArgument[]; readonly returns: string } | { readonly ok: false; readonly message: string };

/** `(a VARCHAR, b NUMBER(10, 2)) RETURNS VARCHAR` → arguments and return type. */
export function parseSignature(text: string): Signature {
  const match = /^\s*\(([\s\S]*)\)\s*RETURNS\s+(\S[\s\S]*?)\s*$/i.exec(text);
  if (!match) return { ok: false, message: 'Write the arguments in parentheses, then RETURNS and a type, e.g. (input VARCHAR) RETURNS VARCHAR.' };
  const returns = match[2] ?? '';
  const argumentList = (match[1] ?? '').trim();
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of argumentList) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (argumentList !== '') parts.push(current);
  const args: FunctionArgument[] = [];
  for (const part of parts) {
    const argument = /^\s*("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)\s+(\S[\s\S]*?)\s*$/.exec(part);
    if (!argument) return { ok: false, message: `"${part.trim()}" is not an argument: write a name and a type, e.g. input VARCHAR.` };
    args.push({ name: argument[1] ?? '', type: argument[2] ?? '' });
  }
  return { ok: true, arguments: args, returns };
}

/** The function's name, in the service's database and schema when they are known. */
export function functionName(service: sql.QualifiedName, name: string): sql.QualifiedName {
  const parsed = sql.parseQualifiedName(name);
  return {
    name: parsed.name,
    ...((parsed.database ?? service.database) === undefined ? {} : { database: parsed.database ?? service.database }),
    ...((parsed.schema ?? service.schema) === undefined ? {} : { schema: parsed.schema ?? service.schema }),
  };
}

/** `SELECT NAME('hello')`-style example call for the message after it was created. */
export function exampleCall(name: sql.QualifiedName, args: readonly FunctionArgument[]): string {
  const values = args.map((argument) => (/CHAR|TEXT|STRING/i.test(argument.type) ? "'hello'" : /VARIANT|OBJECT|ARRAY/i.test(argument.type) ? "PARSE_JSON('{}')" : '1'));
  return `SELECT ${sql.objectName(name)}(${values.join(', ')})`;
}
