/**
 * Service functions (reference §4.14): CREATE [OR REPLACE] FUNCTION … SERVICE = … ENDPOINT = …
 * AS '<path>', DESCRIBE FUNCTION and DROP FUNCTION.
 *
 * Owns: what Snowflake checks when the function is created (CREATE FUNCTION on the schema, the
 * service visible to the role and not a job, the endpoint defined in the service's spec and HTTP,
 * the path an HTTP path, the batch options in range), functions identified by name plus argument
 * types, and DESCRIBE FUNCTION's `property`/`value` rows.
 *
 * Must not: call the endpoint (the emulator runs no containers), or handle non-service functions
 * (SQL, JavaScript, Python UDFs are not emulated).
 */

import type { ServiceFunctionRecord } from '../../account/model';
import { displayName, objectKey, quoteIfNeeded } from '../../account/names';
import type { ResultSet } from '../../contract';
import type { Name, ServiceFunctionDefinition } from '../ast';
import { resolveObjectName, type StatementContext } from '../context';
import { SqlErrors } from '../errors';
import { checkProperties, listProperty, numberProperty, stringProperty } from '../properties';
import { Columns, resultSet, statusResult, type Cell } from '../result';
import { requireService } from './serviceLookup';
import { requireSchema, requireSchemaPrivilege } from './schemaAccess';

const allowedProperties = ['SERVICE', 'ENDPOINT', 'COMMENT', 'CONTEXT_HEADERS', 'MAX_BATCH_ROWS', 'MAX_BATCH_RETRIES', 'ON_BATCH_FAILURE', 'BATCH_TIMEOUT_SECS'];

function functionKey(qualified: { database: string; schema: string; name: string }, types: readonly string[]): string {
  return `${objectKey(qualified)}(${types.join(', ')})`;
}

function functions(ctx: StatementContext): Record<string, ServiceFunctionRecord> {
  const state = ctx.store.state;
  state.functions ??= {};
  return state.functions;
}

/** Whether the role may see the function: it owns it (directly or by inheritance), or is an admin. */
function canSee(ctx: StatementContext, record: ServiceFunctionRecord): boolean {
  return ctx.access.isAdmin || ctx.access.roles.has(record.owner);
}

export function createFunction(ctx: StatementContext, orReplace: boolean, ifNotExists: boolean, definition: ServiceFunctionDefinition): ResultSet {
  const operation = 'CREATE FUNCTION';
  const qualified = resolveObjectName(ctx, definition.name, operation);
  requireSchemaPrivilege(ctx, qualified.database, qualified.schema, 'CREATE FUNCTION');
  const { properties } = definition;
  checkProperties(properties, allowedProperties, 'FUNCTION');
  const serviceValue = properties.get('SERVICE');
  const endpointValue = properties.get('ENDPOINT');
  if (serviceValue === undefined) throw SqlErrors.missingProperty(operation, 'SERVICE');
  if (endpointValue === undefined) throw SqlErrors.missingProperty(operation, 'ENDPOINT');
  if (serviceValue.kind !== 'identifier') throw SqlErrors.invalidValue("invalid value for property 'SERVICE': expected a service name");
  if (endpointValue.kind !== 'identifier' || endpointValue.name.parts.length !== 1) throw SqlErrors.invalidValue("invalid value for property 'ENDPOINT': expected an endpoint name");
  const found = requireService(ctx, serviceValue.name, operation);
  if (found.service.isJob) {
    throw SqlErrors.invalidValue(`Service functions cannot use job service '${found.key}'; use a long-running service.`);
  }
  const wanted = endpointValue.name.parts[0] ?? '';
  const endpoint = found.service.current.spec.endpoints.find((candidate) => candidate.name === wanted || candidate.name === endpointValue.raw || candidate.name.toUpperCase() === wanted);
  if (!endpoint) throw SqlErrors.doesNotExist('Endpoint', `${found.key}!${endpointValue.raw}`);
  const protocol = endpoint.protocol.toUpperCase();
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') {
    throw SqlErrors.invalidValue(`Endpoint '${endpoint.name}' of service '${found.key}' uses protocol ${protocol}; service functions need an HTTP endpoint.`);
  }
  if (!definition.path.startsWith('/')) throw SqlErrors.invalidValue(`invalid HTTP path '${definition.path}' for service function: it must start with '/'`);
  const maxBatchRows = numberProperty(properties, 'MAX_BATCH_ROWS', { min: 1 });
  const maxBatchRetries = numberProperty(properties, 'MAX_BATCH_RETRIES', { min: 0 });
  const batchTimeoutSecs = numberProperty(properties, 'BATCH_TIMEOUT_SECS', { min: 1 });
  if (batchTimeoutSecs !== undefined && batchTimeoutSecs > 604_800) throw SqlErrors.invalidValue(`invalid value ${batchTimeoutSecs} for property 'BATCH_TIMEOUT_SECS' (1 to 604800)`);
  const onBatchFailureValue = properties.get('ON_BATCH_FAILURE');
  const onBatchFailure = onBatchFailureValue === undefined ? undefined : onBatchFailureValue.kind === 'identifier' ? onBatchFailureValue.name.parts.join('.') : stringProperty(properties, 'ON_BATCH_FAILURE')?.toUpperCase();
  if (onBatchFailure !== undefined && onBatchFailure !== 'ABORT' && onBatchFailure !== 'RETURN_NULL') {
    throw SqlErrors.invalidValue(`invalid value '${onBatchFailure}' for property 'ON_BATCH_FAILURE' (ABORT or RETURN_NULL)`);
  }
  const contextHeaders = listProperty(properties, 'CONTEXT_HEADERS');
  const comment = stringProperty(properties, 'COMMENT');
  const key = functionKey(qualified, definition.arguments.map((argument) => argument.type));
  const table = functions(ctx);
  const existing = table[key];
  if (existing) {
    if (ifNotExists) return statusResult(`${quoteIfNeeded(qualified.name)} already exists, statement succeeded.`);
    if (!orReplace) throw SqlErrors.alreadyExists('Function', key);
    if (!canSee(ctx, existing)) throw SqlErrors.insufficientPrivileges(`function '${key}'`);
  }
  table[key] = {
    ...qualified,
    arguments: definition.arguments.map((argument) => ({ ...argument })),
    returns: definition.returns,
    service: found.key,
    endpoint: endpoint.name,
    path: definition.path,
    owner: ctx.access.role,
    createdOn: ctx.now,
    ...(comment === undefined ? {} : { comment }),
    ...(contextHeaders === undefined ? {} : { contextHeaders }),
    ...(maxBatchRows === undefined ? {} : { maxBatchRows }),
    ...(maxBatchRetries === undefined ? {} : { maxBatchRetries }),
    ...(onBatchFailure === undefined ? {} : { onBatchFailure }),
    ...(batchTimeoutSecs === undefined ? {} : { batchTimeoutSecs }),
  };
  return statusResult(`Function ${quoteIfNeeded(qualified.name)} successfully created.`);
}

function findFunction(ctx: StatementContext, name: Name, types: readonly string[], operation: string): { key: string; record: ServiceFunctionRecord } | undefined {
  const qualified = resolveObjectName(ctx, name, operation);
  requireSchema(ctx, qualified.database, qualified.schema);
  const key = functionKey(qualified, types);
  const record = ctx.store.state.functions?.[key];
  return record && canSee(ctx, record) ? { key, record } : undefined;
}

export function describeFunction(ctx: StatementContext, name: Name, types: readonly string[]): ResultSet {
  const found = findFunction(ctx, name, types, 'DESCRIBE FUNCTION');
  if (!found) throw SqlErrors.doesNotExist('Function', `${displayName(resolveObjectName(ctx, name, 'DESCRIBE FUNCTION'))}(${types.join(', ')})`);
  const { record } = found;
  const rows: Cell[][] = [
    ['signature', `(${record.arguments.map((argument) => `${argument.name} ${argument.type}`).join(', ')})`],
    ['returns', record.returns],
    ['language', 'SERVICE'],
    ['body', record.path],
    ['service', record.service],
    ['endpoint', record.endpoint],
    ['context_headers', record.contextHeaders ? `[${record.contextHeaders.join(', ')}]` : null],
    ['max_batch_rows', record.maxBatchRows === undefined ? null : String(record.maxBatchRows)],
    ['max_batch_retries', String(record.maxBatchRetries ?? 3)],
    ['on_batch_failure', record.onBatchFailure ?? 'ABORT'],
    ['batch_timeout_secs', String(record.batchTimeoutSecs ?? 3600)],
    ['comment', record.comment ?? null],
  ];
  return resultSet([Columns.text('property'), Columns.text('value')], rows);
}

export function dropFunction(ctx: StatementContext, ifExists: boolean, name: Name, types: readonly string[]): ResultSet {
  const found = findFunction(ctx, name, types, 'DROP FUNCTION');
  const qualified = resolveObjectName(ctx, name, 'DROP FUNCTION');
  if (!found) {
    if (ifExists) return statusResult(`Drop statement executed successfully (${quoteIfNeeded(qualified.name)} already dropped).`);
    throw SqlErrors.doesNotExist('Function', `${displayName(qualified)}(${types.join(', ')})`);
  }
  delete ctx.store.state.functions?.[found.key];
  return statusResult(`${quoteIfNeeded(qualified.name)} successfully dropped.`);
}
