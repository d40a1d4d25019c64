/**
 * What to tell a user when the event table has nothing to show, or may not be read: every failure or
 * empty answer of the monitoring queries becomes a `TelemetryProblem` that names the cause and the
 * exact statement or spec change that fixes it.
 *
 * - The role lacks MONITOR on the service (003001), or has no privilege on it at all (002003, which is
 *   also what a missing service says): the GRANT to ask for, with the service's qualified name and the
 *   role (`GRANT MONITOR ON SERVICE db.schema.svc TO ROLE r`).
 * - No platform events because LOG_EVENT_LEVEL is OFF ("by default, platform events are not logged"):
 *   the statement that turns them on for the service, or for the account, and where the level comes from.
 * - No metrics because the spec enables no `platformMonitor.metricConfig.groups`: say so, with the
 *   spec lines to add (the quick fix is `metricGroupsFix.ts`).
 * - No metrics yet for a service that has groups: Snowflake publishes them a few minutes late.
 *
 * Other failures (network, timeout, cancel) keep the classified message of `snowflake/errors.ts`.
 * Messages are plain text with plain quotes (they go to notifications and panels alike).
 * Pure: no `vscode`, no Snowflake calls.
 */

import type { SnowflakeError } from '../snowflake/errors';
import { grantPrivilege, objectName, type QualifiedName } from '../snowflake/sql';
import { setAccountLogEventLevel, setServiceLogEventLevel } from './telemetrySql';

export type TelemetryWhat = 'events' | 'metrics' | 'logs';

export type TelemetryProblemKind = 'privilege' | 'notFound' | 'eventsOff' | 'noMetricGroups' | 'noDataYet' | 'noData' | 'failed';

export interface TelemetryProblem {
  readonly kind: TelemetryProblemKind;
  /** A short title (`Not allowed to read metrics`). */
  readonly title: string;
  /** Plain text: the cause and what to do. */
  readonly message: string;
  /** A statement or spec text that fixes it, to copy or run. */
  readonly fix?: string;
  /** The classified error, when a query failed. */
  readonly error?: SnowflakeError;
}

const nouns: Readonly<Record<TelemetryWhat, string>> = { events: 'platform events', metrics: 'platform metrics', logs: 'log history' };

/** `GRANT MONITOR ON SERVICE db.schema.svc TO ROLE r` (`… TO ROLE <your role>` when the role is not known). */
export function monitorGrant(service: QualifiedName, role: string | undefined): string {
  return role === undefined ? `GRANT MONITOR ON SERVICE ${objectName(service)} TO ROLE <your role>` : grantPrivilege('MONITOR', { type: 'SERVICE', name: service }, role);
}

/** The problem a failed monitoring query stands for. */
export function problemFromError(error: SnowflakeError, what: TelemetryWhat, service: QualifiedName, role: string | undefined): TelemetryProblem {
  const shown = objectName(service);
  const who = role === undefined ? 'the current role' : `role ${role}`;
  const grant = monitorGrant(service, role);
  if (error.kind === 'privilege' || error.code === '003001') {
    return {
      kind: 'privilege',
      title: `Not allowed to read ${nouns[what]}`,
      message: `${who.charAt(0).toUpperCase()}${who.slice(1)} may not read the ${nouns[what]} of ${shown}: the service's event table functions need MONITOR (or OWNERSHIP) on the service. Ask its owner or an administrator to run: ${grant}`,
      fix: grant,
      error,
    };
  }
  if (error.kind === 'notFound' || error.code === '002003') {
    return {
      kind: 'notFound',
      title: `Service ${shown} not found`,
      message: `Service ${shown} does not exist, or ${who} has no privilege on it (Snowflake does not tell these apart). If it exists, ask its owner for: ${grant}`,
      fix: grant,
      error,
    };
  }
  return { kind: 'failed', title: `Could not read ${nouns[what]}`, message: error.message, error };
}

/** Where the service's LOG_EVENT_LEVEL comes from, as SHOW PARAMETERS … IN SERVICE says (`level` column). */
export interface LogEventLevelSetting {
  /** INFO, ERROR or OFF. */
  readonly value: string;
  /** `SERVICE`, `ACCOUNT` (or another container of the service), `''` when it is the default. */
  readonly level: string;
}

/** Reads the LOG_EVENT_LEVEL row of SHOW PARAMETERS; `undefined` when it is not there. */
export function readLogEventLevel(rows: readonly Readonly<Record<string, unknown>>[]): LogEventLevelSetting | undefined {
  const text = (value: unknown): string => (typeof value === 'string' ? value.toUpperCase() : '');
  const row = rows.find((each) => text(each.key) === 'LOG_EVENT_LEVEL');
  if (row === undefined) return undefined;
  return { value: text(row.value), level: text(row.level) };
}

/**
 * Why a service has no platform events in a window. With LOG_EVENT_LEVEL OFF nothing is recorded;
 * with ERROR only failures are; otherwise nothing happened in the window.
 */
export function eventsExplanation(service: QualifiedName, setting: LogEventLevelSetting | undefined, window: { readonly start: number; readonly end: number }): TelemetryProblem {
  const shown = objectName(service);
  const turnOn = setServiceLogEventLevel(service, 'INFO');
  if (setting === undefined || setting.value === 'OFF' || setting.value === '') {
    return {
      kind: 'eventsOff',
      title: 'Platform events are not recorded',
      message:
        `Snowflake records no platform events for ${shown}: LOG_EVENT_LEVEL is OFF${setting?.level ? ` (set on the ${setting.level.toLowerCase()})` : ' (the default)'}. ` +
        `Run ${turnOn} to record them from now on (it needs OWNERSHIP of the service), or ${setAccountLogEventLevel('INFO')} for every service (ACCOUNTADMIN, or MODIFY LOG EVENT LEVEL on the account). Events that already happened are not recorded afterwards.`,
      fix: turnOn,
    };
  }
  const span = describeSpan(window.end - window.start);
  if (setting.value === 'ERROR') {
    return {
      kind: 'noData',
      title: 'No failures in this range',
      message: `No platform events of ${shown} in the last ${span}. LOG_EVENT_LEVEL is ERROR${setting.level ? ` (set on the ${setting.level.toLowerCase()})` : ''}, so only failures are recorded; run ${turnOn} to record status changes too.`,
      fix: turnOn,
    };
  }
  return { kind: 'noData', title: 'No events in this range', message: `No platform events of ${shown} in the last ${span}, and LOG_EVENT_LEVEL is ${setting.value}: nothing happened to it in that time. Pick a longer range.` };
}

/** The spec lines the quick fix adds (see `metricGroupsFix.ts`). */
export const defaultMetricGroupsText = 'platformMonitor:\n  metricConfig:\n    groups: [system, system_limits]';

/** The spec enables no metric groups, so Snowflake publishes no platform metrics for the service. */
export function noMetricGroupsProblem(service: QualifiedName): TelemetryProblem {
  return {
    kind: 'noMetricGroups',
    title: 'No metric groups enabled',
    message: `The spec of ${objectName(service)} enables no platform metric groups, so Snowflake publishes no metrics for it. Add 'platformMonitor.metricConfig.groups' to the spec (system for cpu, memory and GPUs; system_limits for their limits) and deploy it again; metrics start a few minutes after the upgrade.`,
    fix: defaultMetricGroupsText,
  };
}

/** Groups are enabled but the window has no samples (yet, or the service did not run then). */
export function noMetricsProblem(service: QualifiedName, window: { readonly start: number; readonly end: number }, groups: readonly string[] | undefined): TelemetryProblem {
  const enabled = groups && groups.length > 0 ? ` (groups ${groups.join(', ')})` : '';
  return {
    kind: 'noDataYet',
    title: 'No metrics in this range',
    message: `No platform metrics of ${objectName(service)}${enabled} in the last ${describeSpan(window.end - window.start)}. Snowflake publishes them a few minutes after they are measured, and only while a container runs: pick a longer range, or look again in a few minutes.`,
  };
}

/** `15 minutes`, `6 hours`, `1 day`. */
export function describeSpan(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  const days = Math.round(hours / 24);
  return `${days} day${days === 1 ? '' : 's'}`;
}
