/**
 * The parameters that decide what the event table records, where a client can read and set them:
 * `ALTER ACCOUNT SET | UNSET LOG_EVENT_LEVEL`, and `SHOW PARAMETERS [LIKE '…'] IN ACCOUNT | IN
 * SERVICE <name>` with LOG_EVENT_LEVEL, LOG_LEVEL and (for the account) EVENT_TABLE.
 *
 * Owns: the rule of "Accessing platform events": platform events are recorded only when
 * LOG_EVENT_LEVEL is set (on the service, or inherited from the account; the emulator does not keep
 * it on databases and schemas), and only at or above that severity; that setting it on the account
 * needs ACCOUNTADMIN or MODIFY LOG EVENT LEVEL (bundle 2026_02, BCR-2229); that the account's event
 * table is SNOWFLAKE.TELEMETRY.EVENTS (the default event table; the emulator cannot change it).
 *
 * Must not: decide which events exist (`account/events.ts`).
 */

import { logEventLevelAt } from '../../account/events';
import type { LevelChange, ServiceRecord } from '../../account/model';
import type { ResultSet } from '../../contract';
import type { Name, Properties } from '../ast';
import type { StatementContext } from '../context';
import { SqlErrors } from '../errors';
import { Columns, likeToRegExp, resultSet, statusResult, type Cell } from '../result';
import { requireService } from './serviceLookup';
import { levelProperty } from './serviceSettings';

const defaultEventTable = 'SNOWFLAKE.TELEMETRY.EVENTS';

function latest(history: readonly LevelChange[] | undefined): string | null {
  return history?.[history.length - 1]?.level ?? null;
}

export function alterAccount(ctx: StatementContext, action: { readonly kind: 'set'; readonly properties: Properties } | { readonly kind: 'unset'; readonly names: readonly string[] }): ResultSet {
  const keys = action.kind === 'set' ? [...action.properties.keys()] : action.names;
  const other = keys.find((key) => key !== 'LOG_EVENT_LEVEL');
  if (other !== undefined) throw SqlErrors.unsupported(`ALTER ACCOUNT ${action.kind.toUpperCase()} ${other}`);
  if (keys.length === 0) throw SqlErrors.missingProperty(`ALTER ACCOUNT ${action.kind.toUpperCase()}`, 'LOG_EVENT_LEVEL');
  if (!ctx.access.hasOnAccount('MODIFY LOG EVENT LEVEL')) {
    throw SqlErrors.insufficientPrivileges(`account '${ctx.store.state.name}' (setting LOG_EVENT_LEVEL needs ACCOUNTADMIN or the MODIFY LOG EVENT LEVEL privilege)`);
  }
  const level = action.kind === 'set' ? (levelProperty(action.properties, 'LOG_EVENT_LEVEL') ?? null) : null;
  const state = ctx.store.state;
  state.logEventLevels = [...(state.logEventLevels ?? []), { at: ctx.now, level }];
  return statusResult('Statement executed successfully.');
}

interface Parameter {
  readonly key: string;
  readonly value: string;
  readonly default: string;
  readonly level: string;
  readonly description: string;
}

const descriptions = {
  LOG_EVENT_LEVEL: 'Severity of the events (such as Snowpark Container Services platform events) recorded in the event table.',
  LOG_LEVEL: 'Severity of the log messages recorded in the event table.',
  EVENT_TABLE: 'The event table that receives logs, events, metrics and traces.',
} as const;

function accountParameters(ctx: StatementContext): Parameter[] {
  const accountLevel = latest(ctx.store.state.logEventLevels);
  return [
    { key: 'EVENT_TABLE', value: defaultEventTable, default: defaultEventTable, level: '', description: descriptions.EVENT_TABLE },
    { key: 'LOG_EVENT_LEVEL', value: accountLevel ?? 'OFF', default: 'OFF', level: accountLevel !== null ? 'ACCOUNT' : '', description: descriptions.LOG_EVENT_LEVEL },
    { key: 'LOG_LEVEL', value: 'OFF', default: 'OFF', level: '', description: descriptions.LOG_LEVEL },
  ];
}

function serviceParameters(ctx: StatementContext, service: ServiceRecord): Parameter[] {
  const own = latest(service.logEventLevels);
  const inherited = latest(ctx.store.state.logEventLevels);
  return [
    {
      key: 'LOG_EVENT_LEVEL',
      value: logEventLevelAt(ctx.store.state, service, ctx.now),
      default: 'OFF',
      level: own !== null ? 'SERVICE' : inherited !== null ? 'ACCOUNT' : '',
      description: descriptions.LOG_EVENT_LEVEL,
    },
    { key: 'LOG_LEVEL', value: service.logLevel ?? 'OFF', default: 'OFF', level: service.logLevel !== undefined ? 'SERVICE' : '', description: descriptions.LOG_LEVEL },
  ];
}

export function showParameters(ctx: StatementContext, like: string | undefined, scope: { readonly kind: 'account' } | { readonly kind: 'service'; readonly name: Name }): ResultSet {
  const parameters = scope.kind === 'account' ? accountParameters(ctx) : serviceParameters(ctx, requireService(ctx, scope.name, 'SHOW PARAMETERS').service);
  const pattern = like !== undefined ? likeToRegExp(like) : undefined;
  const rows = parameters.filter((parameter) => !pattern || pattern.test(parameter.key)).map((parameter): Cell[] => [parameter.key, parameter.value, parameter.default, parameter.level, parameter.description, 'STRING']);
  return resultSet([Columns.text('key'), Columns.text('value'), Columns.text('default'), Columns.text('level'), Columns.text('description'), Columns.text('type')], rows);
}
