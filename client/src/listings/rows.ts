/**
 * One row of SHOW SERVICES / DESCRIBE SERVICE, of SHOW COMPUTE POOLS and of SHOW / DESCRIBE GATEWAY(S), read once into a record
 * (columns by name, reference §4.4 and §4.6): the trees' nodes, the palette's listings, the deploy's
 * pool picker and its view of an existing service are all made from these records.
 *
 * Pure; must not throw. A column that is missing or unreadable is left out (names and states get
 * the defaults every caller used: '' and 'UNKNOWN').
 */

import { cellBoolean, cellNumber, cellText } from '../snowflake/cells';

type Row = Readonly<Record<string, unknown>>;

/** A service as SHOW SERVICES (or, with the spec and its settings, DESCRIBE SERVICE) prints it. */
export interface ServiceRow {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
  readonly status: string;
  readonly computePool: string;
  readonly isJob: boolean;
  readonly isUpgrading?: boolean;
  readonly dnsName?: string;
  readonly currentInstances?: number;
  readonly targetInstances?: number;
  readonly minInstances?: number;
  readonly maxInstances?: number;
  readonly minReadyInstances?: number;
  readonly autoResume?: boolean;
  readonly queryWarehouse?: string;
  /** The column as printed (`["A","B"]`, `[A, B]` or `A,B`). */
  readonly externalAccessIntegrations?: string;
  /** DESCRIBE SERVICE only, and only for the owner role. */
  readonly spec?: string;
  readonly specDigest?: string;
}

/** A compute pool as SHOW COMPUTE POOLS prints it. */
export interface PoolRow {
  readonly name: string;
  /** IDLE, ACTIVE, SUSPENDED, STARTING, STOPPING, RESIZING (reference §3.4). */
  readonly state: string;
  readonly instanceFamily: string;
  readonly autoResume?: boolean;
  readonly minNodes?: number;
  readonly maxNodes?: number;
  readonly activeNodes?: number;
  readonly idleNodes?: number;
  readonly numServices?: number;
}

/** A gateway as SHOW GATEWAYS (or, with its spec, DESCRIBE GATEWAY) prints it. */
export interface GatewayRow {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
  readonly owner?: string;
  /** The host, or the sentence SHOW prints while it is provisioned. */
  readonly ingressUrl?: string;
  readonly comment?: string;
  /** DESCRIBE GATEWAY only: the specification as Snowflake keeps it. */
  readonly spec?: string;
}

/** `fields` without the keys whose value is undefined (records never hold an explicit undefined). */
export function definedFields<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}

export function serviceRow(row: Row): ServiceRow {
  return definedFields<ServiceRow>({
    database: cellText(row['database_name']) ?? '',
    schema: cellText(row['schema_name']) ?? '',
    name: cellText(row['name']) ?? '',
    status: cellText(row['status']) ?? 'UNKNOWN',
    computePool: cellText(row['compute_pool']) ?? '',
    isJob: cellBoolean(row['is_job']) ?? false,
    isUpgrading: cellBoolean(row['is_upgrading']),
    dnsName: cellText(row['dns_name']),
    currentInstances: cellNumber(row['current_instances']),
    targetInstances: cellNumber(row['target_instances']),
    minInstances: cellNumber(row['min_instances']),
    maxInstances: cellNumber(row['max_instances']),
    minReadyInstances: cellNumber(row['min_ready_instances']),
    autoResume: cellBoolean(row['auto_resume']),
    queryWarehouse: cellText(row['query_warehouse']),
    externalAccessIntegrations: cellText(row['external_access_integrations']),
    spec: cellText(row['spec']),
    specDigest: cellText(row['spec_digest']),
  });
}

export function poolRow(row: Row): PoolRow {
  return definedFields<PoolRow>({
    name: cellText(row['name']) ?? '',
    state: cellText(row['state']) ?? 'UNKNOWN',
    instanceFamily: cellText(row['instance_family']) ?? '',
    autoResume: cellBoolean(row['auto_resume']),
    minNodes: cellNumber(row['min_nodes']),
    maxNodes: cellNumber(row['max_nodes']),
    activeNodes: cellNumber(row['active_nodes']),
    idleNodes: cellNumber(row['idle_nodes']),
    numServices: cellNumber(row['num_services']),
  });
}

export function gatewayRow(row: Row): GatewayRow {
  return definedFields<GatewayRow>({
    database: cellText(row['database_name']) ?? '',
    schema: cellText(row['schema_name']) ?? '',
    name: cellText(row['name']) ?? '',
    owner: cellText(row['owner']),
    ingressUrl: cellText(row['ingress_url']),
    comment: cellText(row['comment']) || undefined,
    spec: cellText(row['spec']),
  });
}

/** Instance ids are numbers written as text: `10` after `9` (text that is no number after, as text). */
export function compareInstanceIds(a: string, b: string): number {
  const numberA = Number(a);
  const numberB = Number(b);
  if (Number.isFinite(numberA) && Number.isFinite(numberB) && numberA !== numberB) return numberA - numberB;
  return a < b ? -1 : a > b ? 1 : 0;
}
