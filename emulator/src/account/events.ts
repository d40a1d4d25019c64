/**
 * Platform events of a service, as `<service>!SPCS_GET_EVENTS` and the event table hold them
 * (docs: "Accessing platform events", reference §4.12): SERVICE.STATUS_CHANGE,
 * SERVICE.PROPERTY_CHANGE, SERVICE_INSTANCE.STATUS_CHANGE and CONTAINER.STATUS_CHANGE, each with
 * the documented message, status and severity.
 *
 * Owns: turning the service's state changes (`timeline.ts`) into events (a change of status, or of a
 * container's message, is one event); the events SHOW cannot show (a container that crashed and
 * restarted: FAILED with "Container was OOMKilled due to resource usage" for exit code 137, then
 * READY again; RESUMING; UPGRADING and UPGRADED); and LOG_EVENT_LEVEL, which decides which events
 * were recorded at all (OFF by default: "By default, platform events are not logged").
 *
 * Must not: format rows or decide visibility delays (`sql/statements/telemetry.ts`).
 */

import type { AccountState, LevelChange, ServiceRecord } from './model';
import { containerLives, stateChanges } from './timeline';

export type EventName = 'SERVICE.STATUS_CHANGE' | 'SERVICE.PROPERTY_CHANGE' | 'SERVICE_INSTANCE.STATUS_CHANGE' | 'CONTAINER.STATUS_CHANGE';
export type Severity = 'INFO' | 'ERROR';

export interface PlatformEvent {
  readonly at: number;
  readonly name: EventName;
  readonly severity: Severity;
  readonly message: string;
  /** VALUE:status; property changes have none. */
  readonly status?: string;
  readonly instance?: number;
  readonly container?: string;
}

/** The levels of LOG_LEVEL / LOG_EVENT_LEVEL, least severe first. */
export const logLevels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'OFF'] as const;

function levelIn(history: readonly LevelChange[] | undefined, at: number): string | null | undefined {
  let level: string | null | undefined;
  for (const change of history ?? []) {
    if (change.at > at) break;
    level = change.level;
  }
  return level;
}

/** LOG_EVENT_LEVEL in effect for the service at a moment: its own, else the account's, else OFF. */
export function logEventLevelAt(account: Pick<AccountState, 'logEventLevels'>, service: Pick<ServiceRecord, 'logEventLevels'>, at: number): string {
  return levelIn(service.logEventLevels, at) ?? levelIn(account.logEventLevels, at) ?? 'OFF';
}

/** Whether an event of this severity is recorded at this level (OFF records nothing). */
export function recorded(severity: Severity, level: string): boolean {
  const threshold = logLevels.indexOf(level as (typeof logLevels)[number]);
  return threshold >= 0 && level !== 'OFF' && logLevels.indexOf(severity) >= threshold;
}

const serviceMessages: Readonly<Record<string, readonly [service: string, job: string]>> = {
  PENDING: ['Service is pending', 'Job is pending'],
  RESUMING: ['Service is resuming', 'Service is resuming'],
  RUNNING: ['Service is ready', 'Job is running'],
  SUSPENDING: ['Service is suspending', 'Service is suspending'],
  SUSPENDED: ['Service has suspended', 'Service has suspended'],
  UPGRADING: ['Service is upgrading', 'Service is upgrading'],
  UPGRADED: ['Service has been upgraded', 'Service has been upgraded'],
  FAILED: ['Service has failed', 'Job has failed'],
  DONE: ['Job is completed', 'Job is completed'],
  CANCELLING: ['Job is being canceled', 'Job is being canceled'],
  CANCELLED: ['Job has been canceled', 'Job has been canceled'],
};

const instanceMessages: Readonly<Record<string, readonly [service: string, job: string]>> = {
  PENDING: ['Service instance is pending', 'Job instance is pending'],
  READY: ['Service instance is running', 'Job instance is running'],
  TERMINATING: ['Service instance is terminating', 'Job instance is terminating'],
  SUCCEEDED: ['Job instance has completed', 'Job instance has completed'],
  FAILED: ['Service instance failed', 'Job instance failed'],
};

function pick(messages: Readonly<Record<string, readonly [string, string]>>, status: string, job: boolean): string | undefined {
  const pair = messages[status];
  return pair === undefined ? undefined : job ? pair[1] : pair[0];
}

/** A container status and message as the event table words them (SHOW says FAILED for a failed pull, the event PENDING). */
function containerEvent(status: string, message: string): { status: string; severity: Severity } | undefined {
  if (status === 'TERMINATING' || status === 'UNKNOWN') return undefined;
  if (message === 'Failed to pull image') return { status: 'PENDING', severity: 'ERROR' };
  return { status, severity: status === 'FAILED' ? 'ERROR' : 'INFO' };
}

/** The message of a container that crashed with this exit code. */
function crashMessage(exitCode: number | undefined): string {
  return exitCode === 137 ? 'Container was OOMKilled due to resource usage' : 'Encountered fatal error while running, check container logs';
}

/**
 * Every platform event of the service up to `asOf`, oldest first, whatever LOG_EVENT_LEVEL says
 * (`recordedEvents` applies it).
 */
function platformEvents(service: ServiceRecord, asOf: number): PlatformEvent[] {
  const job = service.isJob;
  const events: PlatformEvent[] = [];
  let serviceStatus: string | undefined;
  let upgrading = false;
  const instances = new Map<number, string>();
  const containers = new Map<string, string>();
  for (const { at, state, resumed, epochStart } of stateChanges(service, asOf)) {
    if (epochStart && resumed) {
      events.push({ at, name: 'SERVICE.STATUS_CHANGE', severity: 'INFO', message: 'Service is resuming', status: 'RESUMING' });
      serviceStatus = state.status === 'PENDING' ? 'PENDING' : serviceStatus;
    }
    if (state.status !== serviceStatus) {
      const message = pick(serviceMessages, state.status, job);
      if (message !== undefined) {
        events.push({ at, name: 'SERVICE.STATUS_CHANGE', severity: state.status === 'FAILED' ? 'ERROR' : 'INFO', message, status: state.status });
      }
      serviceStatus = state.status;
    }
    if (state.isUpgrading !== upgrading) {
      const status = state.isUpgrading ? 'UPGRADING' : 'UPGRADED';
      events.push({ at, name: 'SERVICE.STATUS_CHANGE', severity: 'INFO', message: pick(serviceMessages, status, job) ?? status, status });
      upgrading = state.isUpgrading;
    }
    const present = new Set<number>();
    for (const instance of state.instances) {
      present.add(instance.id);
      if (instances.get(instance.id) !== instance.status) {
        const message = pick(instanceMessages, instance.status, job);
        if (message !== undefined) {
          events.push({ at, name: 'SERVICE_INSTANCE.STATUS_CHANGE', severity: instance.status === 'FAILED' ? 'ERROR' : 'INFO', message, status: instance.status, instance: instance.id });
        }
        instances.set(instance.id, instance.status);
      }
      for (const container of instance.containers) {
        const key = `${instance.id}|${container.spec.name}`;
        const signature = `${container.status}|${container.message}`;
        if (containers.get(key) === signature) continue;
        containers.set(key, signature);
        const event = containerEvent(container.status, container.message);
        if (event) events.push({ at, name: 'CONTAINER.STATUS_CHANGE', ...event, message: container.message, instance: instance.id, container: container.spec.name });
      }
    }
    for (const id of [...instances.keys()]) {
      if (present.has(id)) continue;
      instances.delete(id);
      for (const key of [...containers.keys()]) if (key.startsWith(`${id}|`)) containers.delete(key);
    }
  }
  for (const life of containerLives(service, service.createdOn, asOf)) {
    for (const run of life.runs) {
      if (run.endReason !== 'crash' || run.end === undefined) continue;
      const where = { instance: life.instance, container: life.spec.name };
      events.push({ at: run.end, name: 'CONTAINER.STATUS_CHANGE', severity: 'ERROR', message: crashMessage(run.exitCode), status: 'FAILED', ...where });
      if (life.readyAt !== undefined && run.end >= life.readyAt && run.end + 1 <= asOf) {
        // The emulator restarts a crashed container at once (SHOW shows it READY); the event follows 1 ms later so that it sorts after the failure.
        events.push({ at: run.end + 1, name: 'CONTAINER.STATUS_CHANGE', severity: 'INFO', message: 'Running', status: 'READY', ...where });
      }
    }
  }
  for (const change of service.propertyChanges ?? []) {
    if (change.at > asOf) continue;
    const verb = change.kind === 'set' ? 'Set' : 'Unset';
    if (change.properties.length > 0) events.push({ at: change.at, name: 'SERVICE.PROPERTY_CHANGE', severity: 'INFO', message: `${verb} Service Properties [${change.properties.join(', ')}]` });
    if (change.tags.length > 0) events.push({ at: change.at, name: 'SERVICE.PROPERTY_CHANGE', severity: 'INFO', message: `${verb} Service tag(s) [${change.tags.join(', ')}]` });
  }
  // A stable sort keeps the order of simultaneous events (service before instance before container).
  return events.sort((a, b) => a.at - b.at);
}

/** The events the event table recorded: those LOG_EVENT_LEVEL let through when they happened. */
export function recordedEvents(account: Pick<AccountState, 'logEventLevels'>, service: ServiceRecord, asOf: number): PlatformEvent[] {
  return platformEvents(service, asOf).filter((event) => recorded(event.severity, logEventLevelAt(account, service, event.at)));
}
