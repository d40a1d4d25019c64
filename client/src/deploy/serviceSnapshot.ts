/**
 * What a service looks like right now: its status and instance counts (DESCRIBE SERVICE), its
 * instances and their containers with status, message and restarts (SHOW SERVICE CONTAINERS), read
 * together. The readiness gate, the failure triage and the job follower all look through it.
 *
 * Must not: import `vscode`, or change the service.
 */

import { cellBoolean, cellNumber, cellText } from '../snowflake/cells';
import type { Result } from '../snowflake/result';
import type { SnowflakeSessions } from '../snowflake/session';
import * as sql from '../snowflake/sql';

// ---------------------------------------------------------------------------------------------------
// Snapshots

export interface ContainerStatus {
  readonly instanceId: string;
  readonly container: string;
  /** PENDING, READY, DONE, FAILED, TERMINATING, UNKNOWN. */
  readonly status: string;
  readonly message: string;
  readonly restartCount: number;
  readonly lastExitCode?: number;
  readonly image?: string;
}

export interface InstanceStatus {
  readonly instanceId: string;
  /** PENDING, READY, FAILED, TERMINATING, SUCCEEDED. */
  readonly status: string;
  readonly specDigest?: string;
}

export interface ServiceSnapshot {
  /** The service's status (DESCRIBE SERVICE), e.g. PENDING, RUNNING, FAILED, SUSPENDED, DONE. */
  readonly status: string;
  readonly specDigest?: string;
  readonly isUpgrading: boolean;
  /** How many instances the service should have (target, else MIN_INSTANCES). */
  readonly expectedInstances: number;
  readonly instances: readonly InstanceStatus[];
  readonly containers: readonly ContainerStatus[];
  /** Instances READY on the current spec. */
  readonly readyInstances: number;
}

export type SessionsExecute = Pick<SnowflakeSessions, 'execute'>;

/** One look at the service: DESCRIBE + instances + containers. */
export async function serviceSnapshot(sessions: SessionsExecute, connection: string, service: sql.ObjectName, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Result<ServiceSnapshot>> {
  const [described, instances, containers] = await Promise.all([
    sessions.execute(connection, sql.describeService(service), options),
    sessions.execute(connection, sql.showServiceInstances(service), options),
    sessions.execute(connection, sql.showServiceContainers(service), options),
  ]);
  if (!described.ok) return described;
  const row = described.value.rows[0] ?? {};
  const status = cellText(row['status']) ?? 'UNKNOWN';
  const specDigest = cellText(row['spec_digest']);
  const isUpgrading = cellBoolean(row['is_upgrading']) ?? false;
  const target = cellNumber(row['target_instances']);
  const minimum = cellNumber(row['min_instances']);
  // A job or suspended service may legitimately have no instances; missing listings are then empty.
  const instanceRows = instances.ok ? instances.value.rows : [];
  const containerRows = containers.ok ? containers.value.rows : [];
  if (!instances.ok && !isGone(status)) return instances;
  if (!containers.ok && !isGone(status)) return containers;
  const instanceList: InstanceStatus[] = instanceRows.map((item) => {
    const digest = cellText(item['spec_digest']);
    return { instanceId: cellText(item['instance_id']) ?? '0', status: cellText(item['status']) ?? 'UNKNOWN', ...(digest === undefined ? {} : { specDigest: digest }) };
  });
  const containerList: ContainerStatus[] = containerRows.map((item) => {
    const exit = cellNumber(item['last_exit_code']);
    const image = cellText(item['image_name']);
    return {
      instanceId: cellText(item['instance_id']) ?? '0',
      container: cellText(item['container_name']) ?? '',
      status: cellText(item['status']) ?? 'UNKNOWN',
      message: cellText(item['message']) ?? '',
      restartCount: cellNumber(item['restart_count']) ?? 0,
      ...(exit === undefined ? {} : { lastExitCode: exit }),
      ...(image === undefined ? {} : { image }),
    };
  });
  const current = (instance: InstanceStatus): boolean => specDigest === undefined || instance.specDigest === undefined || instance.specDigest === specDigest;
  return {
    ok: true,
    value: {
      status,
      ...(specDigest === undefined ? {} : { specDigest }),
      isUpgrading,
      expectedInstances: Math.max(1, target !== undefined && target > 0 ? target : (minimum ?? 1)),
      instances: instanceList,
      containers: containerList,
      readyInstances: instanceList.filter((instance) => instance.status === 'READY' && current(instance)).length,
    },
  };
}

export function isGone(status: string): boolean {
  return ['SUSPENDED', 'SUSPENDING', 'DELETING', 'DELETED', 'DONE', 'FAILED', 'CANCELLED'].includes(status.toUpperCase());
}
