/**
 * SYSTEM$GET_SERVICE_LOGS and SYSTEM$GET_SERVICE_STATUS (reference §4.11).
 *
 * Owns: every argument form of GET_SERVICE_LOGS: (service, instance, container [, num_lines
 * [, previous [, since_timestamp [, include_timestamps]]]]), the 7-argument form the Snowflake CLI
 * sends (`''` means no since), NULLs for omitted values; MONITOR (or OWNERSHIP) on the service;
 * errors for unknown instances and containers and for previous logs of a container that never
 * restarted (the docs say they exist only after a restart). GET_SERVICE_STATUS returns the
 * deprecated JSON array and, with a timeout, waits (as a PendingResult) while containers are PENDING.
 */

import { serviceState, type ContainerState, type InstanceState } from '../../account/lifecycle';
import { containerLogs, parseTimestamp } from '../../account/logs';
import type { StatementContext } from '../context';
import { SqlErrors } from '../errors';
import { requirePrivilege, serviceFromText, type FoundService } from './serviceLookup';

export type Argument = string | number | boolean | null;

function text(functionName: string, value: Argument | undefined, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw SqlErrors.invalidArgument(functionName, `${what} must be a string.`);
}

function bool(functionName: string, value: Argument | undefined, what: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  if (typeof value === 'number') return value !== 0;
  throw SqlErrors.invalidArgument(functionName, `${what} must be a boolean.`);
}

function findInstance(found: FoundService, instances: readonly InstanceState[], id: string): InstanceState {
  const instance = instances.find((candidate) => String(candidate.id) === id.trim());
  if (!instance) throw SqlErrors.instanceNotFound(found.key, id);
  return instance;
}

function findContainer(found: FoundService, instance: InstanceState, name: string): ContainerState {
  const container =
    instance.containers.find((candidate) => candidate.spec.name === name) ??
    instance.containers.find((candidate) => candidate.spec.name.toLowerCase() === name.toLowerCase());
  if (!container) throw SqlErrors.containerNotFound(found.key, name);
  return container;
}

export function getServiceLogs(ctx: StatementContext, args: readonly Argument[]): string {
  const name = 'SYSTEM$GET_SERVICE_LOGS';
  if (args.length < 3 || args.length > 7) throw SqlErrors.tooManyArguments(name, args.length);
  const found = serviceFromText(ctx, text(name, args[0], 'service_name'), name);
  requirePrivilege(ctx, found, 'MONITOR');
  const state = serviceState(found.service, ctx.now);
  const instance = findInstance(found, state.instances, text(name, args[1], 'instance_id'));
  const container = findContainer(found, instance, text(name, args[2], 'container_name'));
  const linesArgument = args[3];
  let limit: number | undefined;
  if (linesArgument !== undefined && linesArgument !== null) {
    const value = typeof linesArgument === 'number' ? linesArgument : Number(linesArgument);
    if (!Number.isFinite(value)) throw SqlErrors.invalidArgument(name, 'number_of_most_recent_lines must be a number.');
    limit = Math.floor(value);
  }
  const previous = bool(name, args[4], 'retrieve_previous_logs');
  const sinceText = args[5] === undefined || args[5] === null ? '' : text(name, args[5], 'since_timestamp');
  const since = sinceText.trim() === '' ? undefined : parseTimestamp(sinceText);
  if (sinceText.trim() !== '' && since === undefined) {
    throw SqlErrors.invalidArgument(name, `since_timestamp '${sinceText}' is not an RFC 3339 timestamp.`);
  }
  const includeTimestamps = bool(name, args[6], 'include_timestamps');
  const run = previous ? container.previous : container.current;
  if (previous && !run) throw SqlErrors.noPreviousLogs(found.key, container.spec.name);
  if (!run) return '';
  return containerLogs({
    service: found.service,
    instance,
    container,
    run,
    now: ctx.now,
    ...(limit !== undefined ? { limit } : {}),
    ...(since ? { since } : {}),
    includeTimestamps,
  });
}

function statusJson(found: FoundService, instances: readonly InstanceState[]): string {
  const entries = instances.flatMap((instance) =>
    instance.containers.map((container) => ({
      status: container.status === 'TERMINATING' ? 'UNKNOWN' : container.status,
      message: container.message,
      containerName: container.spec.name,
      instanceId: String(instance.id),
      serviceName: found.service.name,
      image: container.spec.image,
      restartCount: container.restartCount,
      startTime: container.startTime !== undefined ? new Date(container.startTime).toISOString().replace('.000Z', 'Z') : '',
    })),
  );
  return JSON.stringify(entries);
}

/**
 * The JSON text now, or (with a timeout while containers are PENDING) a poll function that gives the
 * text once they settle or the timeout passes in emulated time.
 */
export function getServiceStatus(ctx: StatementContext, args: readonly Argument[]): { readonly value: string } | { readonly wait: () => string | undefined } {
  const name = 'SYSTEM$GET_SERVICE_STATUS';
  if (args.length < 1 || args.length > 2) throw SqlErrors.tooManyArguments(name, args.length);
  const found = serviceFromText(ctx, text(name, args[0], 'service_name'), name);
  requirePrivilege(ctx, found, 'MONITOR');
  const timeoutArgument = args[1];
  const timeout = timeoutArgument === undefined || timeoutArgument === null ? 0 : Number(timeoutArgument);
  if (!Number.isFinite(timeout) || timeout < 0) throw SqlErrors.invalidArgument(name, 'timeout_secs must be a non-negative number.');
  const deadline = ctx.now + timeout * 1000;
  const store = ctx.store;
  const poll = (): string | undefined => {
    const now = store.now();
    const service = store.state.services[found.key];
    if (!service) throw SqlErrors.doesNotExist('Service', found.key);
    const state = serviceState(service, now);
    const pending = state.instances.some((instance) => instance.containers.some((container) => container.status === 'PENDING'));
    return pending && now < deadline ? undefined : statusJson(found, state.instances);
  };
  const immediate = poll();
  return immediate !== undefined ? { value: immediate } : { wait: poll };
}
