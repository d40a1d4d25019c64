/**
 * The settings of CREATE SERVICE / ALTER SERVICE … SET / EXECUTE JOB SERVICE and the rules they obey
 * (reference §4.5, §4.6, Q01-Q03): instance counts, block volumes needing MIN = MAX, service names,
 * the pool a service may use, when its ingress is ready. Shared by `services.ts` and `jobs.ts`.
 *
 * Must not: change records.
 */

import { logLevels } from '../../account/events';
import { firstReadyAt } from '../../account/lifecycle';
import type { ComputePoolRecord, SpecVersion } from '../../account/model';
import { Timing } from '../../account/timing';
import type { Name, Properties } from '../ast';
import { type StatementContext } from '../context';
import { SqlErrors } from '../errors';
import { booleanProperty, checkProperties, identifierProperty, listProperty, numberProperty, stringProperty } from '../properties';
import { visiblePool } from './computePools';

// ---- properties ----------------------------------------------------------------------------------------------

export interface ServiceSettings {
  minInstances?: number;
  maxInstances?: number;
  minReadyInstances?: number;
  autoResume?: boolean;
  autoSuspendSecs?: number;
  externalAccessIntegrations?: string[];
  queryWarehouse?: string;
  logLevel?: string;
  logEventLevel?: string;
  comment?: string;
}

export const serviceProperties = ['MIN_INSTANCES', 'MAX_INSTANCES', 'MIN_READY_INSTANCES', 'AUTO_RESUME', 'AUTO_SUSPEND_SECS', 'EXTERNAL_ACCESS_INTEGRATIONS', 'QUERY_WAREHOUSE', 'LOG_LEVEL', 'LOG_EVENT_LEVEL', 'COMMENT'];

/** A LOG_LEVEL / LOG_EVENT_LEVEL value (a string or a bare word), upper case, or Snowflake's "invalid value". */
export function levelProperty(properties: Properties, key: string): string | undefined {
  const value = properties.get(key);
  if (value === undefined) return undefined;
  const text = value.kind === 'string' ? value.value : value.kind === 'identifier' && value.name.parts.length === 1 ? value.raw : undefined;
  const level = text?.toUpperCase();
  if (level === undefined || !(logLevels as readonly string[]).includes(level)) {
    throw SqlErrors.invalidValue(`invalid value ${text !== undefined ? `'${text}'` : '(…)'} for property '${key}'. Use one of ${logLevels.join(', ')}.`);
  }
  return level;
}

export function readServiceSettings(ctx: StatementContext, properties: Properties, allowed: readonly string[], objectType: string): ServiceSettings {
  checkProperties(properties, allowed, objectType);
  const settings: ServiceSettings = {};
  const minInstances = numberProperty(properties, 'MIN_INSTANCES', { min: 1 });
  const maxInstances = numberProperty(properties, 'MAX_INSTANCES', { min: 1 });
  const minReady = numberProperty(properties, 'MIN_READY_INSTANCES', { min: 1 });
  const autoResume = booleanProperty(properties, 'AUTO_RESUME');
  const autoSuspend = numberProperty(properties, 'AUTO_SUSPEND_SECS', { min: 0 });
  const eais = listProperty(properties, 'EXTERNAL_ACCESS_INTEGRATIONS');
  const warehouse = identifierProperty(properties, 'QUERY_WAREHOUSE');
  const logLevel = levelProperty(properties, 'LOG_LEVEL');
  const logEventLevel = levelProperty(properties, 'LOG_EVENT_LEVEL');
  const comment = stringProperty(properties, 'COMMENT');
  if (minInstances !== undefined) settings.minInstances = minInstances;
  if (maxInstances !== undefined) settings.maxInstances = maxInstances;
  if (minReady !== undefined) settings.minReadyInstances = minReady;
  if (autoResume !== undefined) settings.autoResume = autoResume;
  if (autoSuspend !== undefined) {
    if (autoSuspend > 0 && autoSuspend < 300) {
      throw SqlErrors.invalidValue(`invalid value ${autoSuspend} for property 'AUTO_SUSPEND_SECS': use 0 to disable auto-suspend or at least 300 seconds.`);
    }
    settings.autoSuspendSecs = autoSuspend;
  }
  if (eais !== undefined) {
    if (eais.length > 10) throw SqlErrors.invalidValue('A service can use at most 10 external access integrations.');
    for (const eai of eais) {
      if (!ctx.store.state.integrations[eai] || !ctx.access.canSee('INTEGRATION', eai)) {
        throw SqlErrors.doesNotExist('Integration', eai);
      }
      if (!ctx.access.has('INTEGRATION', eai, 'USAGE')) {
        throw SqlErrors.insufficientPrivileges(`integration '${eai}'`);
      }
    }
    settings.externalAccessIntegrations = eais;
  }
  if (warehouse !== undefined) settings.queryWarehouse = warehouse;
  if (logLevel !== undefined) settings.logLevel = logLevel;
  if (logEventLevel !== undefined) settings.logEventLevel = logEventLevel;
  if (comment !== undefined) settings.comment = comment;
  return settings;
}

export function checkInstanceCounts(min: number, max: number, minReady: number): void {
  if (max < min) {
    throw SqlErrors.invalidValue(`MAX_INSTANCES (${max}) must be greater than or equal to MIN_INSTANCES (${min}).`);
  }
  if (minReady > min) {
    throw SqlErrors.invalidValue(`MIN_READY_INSTANCES (${minReady}) must be less than or equal to MIN_INSTANCES (${min}).`);
  }
}

export function checkBlockVolumes(version: SpecVersion, min: number, max: number): void {
  if (version.spec.volumes.some((volume) => volume.source === 'block') && min !== max) {
    throw SqlErrors.invalidValue('A service with block storage volumes needs MIN_INSTANCES equal to MAX_INSTANCES.');
  }
}

/** Service names become DNS labels (`_` → `-`): letters, digits and `_`, starting with a letter, at most 63. */
export function checkServiceName(name: string): void {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw SqlErrors.invalidValue(`Invalid service name '${name}'. Service names must be unquoted identifiers that are valid DNS names: letters, digits and underscores, starting with a letter, at most 63 characters.`);
  }
}

/** A compute pool a new workload may use: it exists, the role sees it, and holds USAGE on it. */
export function usablePool(ctx: StatementContext, name: Name | undefined, statement: string): ComputePoolRecord {
  if (!name) throw SqlErrors.missingProperty(statement, 'IN COMPUTE POOL <name>');
  const pool = visiblePool(ctx, name);
  if (!ctx.access.has('COMPUTE_POOL', pool.name, 'USAGE')) {
    throw SqlErrors.insufficientPrivileges(`compute pool '${pool.name}'`);
  }
  return pool;
}

export function ingressReadyAtFor(version: SpecVersion, readyNodesAt: number): number | undefined {
  if (!version.spec.endpoints.some((endpoint) => endpoint.isPublic)) {
    return undefined;
  }
  const ready = firstReadyAt(version, readyNodesAt);
  return ready === undefined ? undefined : ready + Timing.endpointProvisionMs;
}
