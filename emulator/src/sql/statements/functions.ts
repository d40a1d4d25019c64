/**
 * SELECT of literals and functions, and CALL of system functions.
 *
 * Owns: the function table (session functions, SYSTEM$GET_SERVICE_LOGS, SYSTEM$GET_SERVICE_STATUS,
 * SYSTEM$GET_COMPUTE_POOL_STATUS, SYSTEM$GET_SERVICE_DNS_DOMAIN, SYSTEM$CANCEL_JOB), and result
 * column names as Snowflake forms them: the upper-cased expression text for SELECT
 * (`SYSTEM$GET_SERVICE_LOGS('ECHO', 0, 'MAIN', 10)`, `CURRENT_ROLE()`), the alias when given, and
 * the bare function name for CALL.
 */

import { shortHash } from '../../account/hashing';
import { poolState } from '../../account/lifecycle';
import { parseDottedName } from '../../account/names';
import type { Column, PendingResult, ResultSet } from '../../contract';
import type { Expression, SelectItem } from '../ast';
import { currentDatabase, type StatementContext } from '../context';
import { SqlErrors } from '../errors';
import { resultSet } from '../result';
import { visiblePool } from './computePools';
import { cancelJob } from './jobs';
import { getServiceLogs, getServiceStatus, type Argument } from './logs';
import { sessionFunction, type FunctionValue } from './session';

type Evaluation = FunctionValue | { readonly wait: () => string | undefined };

function argumentValue(ctx: StatementContext, expression: Expression): Argument {
  if (expression.kind === 'literal') {
    const value = expression.value;
    switch (value.kind) {
      case 'string':
      case 'number':
      case 'boolean':
        return value.value;
      case 'null':
        return null;
      default:
        throw SqlErrors.unsupported('non-literal arguments');
    }
  }
  const evaluated = evaluate(ctx, expression);
  if ('wait' in evaluated) throw SqlErrors.unsupported('nested waiting functions');
  return evaluated.value;
}

const poolMessages: Readonly<Record<string, string>> = {
  STARTING: 'Compute pool is starting for the first time or after being suspended.',
  IDLE: 'Compute pool is idle.',
  ACTIVE: 'Compute pool is active for running workloads.',
  STOPPING: 'Compute pool is stopping.',
  SUSPENDED: 'Compute pool is suspended.',
};

function evaluate(ctx: StatementContext, expression: Expression): Evaluation {
  if (expression.kind === 'literal') {
    const value = expression.value;
    switch (value.kind) {
      case 'string':
        return { value: value.value, type: 'text' };
      case 'number': {
        const decimals = value.text.includes('.') ? (value.text.split('.')[1]?.length ?? 0) : 0;
        return /e/i.test(value.text) ? { value: String(value.value), type: 'real' } : { value: value.text.replace(/^\+/, ''), type: 'fixed', scale: decimals };
      }
      case 'boolean':
        return { value: value.value ? 'true' : 'false', type: 'boolean' };
      default:
        return { value: null, type: 'text' };
    }
  }
  const name = expression.name;
  if (expression.kind === 'identifier') {
    const value = sessionFunction(ctx, name);
    if (value && ['CURRENT_TIMESTAMP', 'CURRENT_DATE', 'LOCALTIMESTAMP', 'CURRENT_USER', 'CURRENT_ROLE', 'SYSDATE'].includes(name)) return value;
    throw SqlErrors.unsupported('column references');
  }
  const args = expression.args;
  const session = sessionFunction(ctx, name);
  if (session) {
    if (args.length > 0) throw SqlErrors.tooManyArguments(name, args.length);
    return session;
  }
  const values = (): Argument[] => args.map((arg) => argumentValue(ctx, arg));
  switch (name) {
    case 'SYSTEM$GET_SERVICE_LOGS':
      return { value: getServiceLogs(ctx, values()), type: 'text' };
    case 'SYSTEM$GET_SERVICE_STATUS': {
      const status = getServiceStatus(ctx, values());
      return 'value' in status ? { value: status.value, type: 'text' } : status;
    }
    case 'SYSTEM$GET_COMPUTE_POOL_STATUS': {
      const [pool] = values();
      if (typeof pool !== 'string' || args.length !== 1) throw SqlErrors.tooManyArguments(name, args.length);
      const parts = parseDottedName(pool);
      const record = visiblePool(ctx, { parts: parts ?? [pool.toUpperCase()] });
      const state = poolState(ctx.store, record, ctx.now).state;
      return { value: JSON.stringify({ status: state, message: poolMessages[state] ?? '' }), type: 'text' };
    }
    case 'SYSTEM$GET_SERVICE_DNS_DOMAIN': {
      const [schemaText] = values();
      const parts = typeof schemaText === 'string' ? parseDottedName(schemaText) : undefined;
      if (!parts || parts.length > 2) throw SqlErrors.invalidArgument(name, 'expected a schema name such as \'db.schema\'.');
      const database = parts.length === 2 ? (parts[0] as string) : currentDatabase(ctx);
      if (database === undefined) throw SqlErrors.noCurrentDatabase(name);
      return { value: `${shortHash(4, database, parts[parts.length - 1] as string)}.svc.spcs.internal`, type: 'text' };
    }
    case 'SYSTEM$CANCEL_JOB': {
      const [job] = values();
      if (typeof job !== 'string' || args.length !== 1) throw SqlErrors.tooManyArguments(name, args.length);
      return { value: cancelJob(ctx, job), type: 'text' };
    }
    default:
      if (name.startsWith('SYSTEM$')) throw SqlErrors.unsupported(name);
      throw SqlErrors.unknownFunction(name);
  }
}

function column(name: string, evaluation: FunctionValue): Column {
  return { name, type: evaluation.type, nullable: true, ...(evaluation.scale !== undefined ? { scale: evaluation.scale } : {}) };
}

function single(name: string, evaluation: Evaluation): ResultSet | PendingResult {
  if ('wait' in evaluation) {
    const poll = evaluation.wait;
    return {
      kind: 'pending',
      poll(): ResultSet | undefined {
        const value = poll();
        return value === undefined ? undefined : resultSet([{ name, type: 'text', nullable: true }], [[value]]);
      },
    };
  }
  return resultSet([column(name, evaluation)], [[evaluation.value]]);
}

export function select(ctx: StatementContext, items: readonly SelectItem[]): ResultSet | PendingResult {
  const evaluations = items.map((item) => ({ name: item.alias ?? item.expression.text, evaluation: evaluate(ctx, item.expression) }));
  const first = evaluations[0];
  if (evaluations.length === 1 && first) {
    return single(first.name, first.evaluation);
  }
  const values: FunctionValue[] = evaluations.map(({ evaluation }) => {
    if ('wait' in evaluation) throw SqlErrors.unsupported('waiting functions together with other columns');
    return evaluation;
  });
  return resultSet(
    evaluations.map(({ name }, index) => column(name, values[index] as FunctionValue)),
    [values.map((value) => value.value)],
  );
}

export function call(ctx: StatementContext, expression: Extract<Expression, { kind: 'call' }>): ResultSet | PendingResult {
  if (!expression.name.startsWith('SYSTEM$')) {
    throw SqlErrors.unknownFunction(expression.name);
  }
  return single(expression.name, evaluate(ctx, expression));
}
