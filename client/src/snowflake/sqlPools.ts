/**
 * SQL text of compute pool and image repository management: CREATE / ALTER … SET / STOP ALL / DROP
 * COMPUTE POOL and CREATE / DROP IMAGE REPOSITORY, in the documented clause order (reference §4.2).
 * The SHOW and DESCRIBE statements stay with the others in `sql.ts`, which re-exports these. Names
 * quoted as needed. Pure.
 */

import { count, objectName, stringLiteral, tagClause, type ObjectName } from './sqlText';

/** Instance family identifiers are plain words (`GPU_NV_S`); anything else is refused before it reaches SQL. */
const instanceFamilyPattern = /^[A-Za-z][A-Za-z0-9_]*$/;

function instanceFamily(name: string): string {
  const trimmed = name.trim();
  if (!instanceFamilyPattern.test(trimmed)) {
    throw new RangeError(`Not an instance family name: ${JSON.stringify(name)}.`);
  }
  return trimmed.toUpperCase();
}

export interface ComputePoolOptions {
  readonly name: string;
  readonly instanceFamily: string;
  readonly minNodes: number;
  readonly maxNodes: number;
  /** Unset: Snowflake's default (TRUE). */
  readonly autoResume?: boolean;
  /** Unset: Snowflake's default (FALSE). */
  readonly initiallySuspended?: boolean;
  /** Unset: Snowflake's default (3600); 0 never suspends. */
  readonly autoSuspendSecs?: number;
  readonly comment?: string;
  readonly ifNotExists?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * `CREATE COMPUTE POOL [IF NOT EXISTS] <name> MIN_NODES = … MAX_NODES = … INSTANCE_FAMILY = …
 * [AUTO_RESUME = …] [INITIALLY_SUSPENDED = …] [AUTO_SUSPEND_SECS = …] [WITH TAG (…)] [COMMENT = '…']`,
 * in the documented order (reference §4.1).
 */
export function createComputePool(options: ComputePoolOptions): string {
  if (options.maxNodes < options.minNodes) {
    throw new RangeError(`MAX_NODES (${options.maxNodes}) must be at least MIN_NODES (${options.minNodes}).`);
  }
  const parts = [
    `CREATE COMPUTE POOL${options.ifNotExists ? ' IF NOT EXISTS' : ''} ${objectName(options.name)}`,
    count('MIN_NODES', options.minNodes, 1),
    count('MAX_NODES', options.maxNodes, 1),
    `INSTANCE_FAMILY = ${instanceFamily(options.instanceFamily)}`,
    options.autoResume === undefined ? undefined : `AUTO_RESUME = ${options.autoResume ? 'TRUE' : 'FALSE'}`,
    options.initiallySuspended === undefined ? undefined : `INITIALLY_SUSPENDED = ${options.initiallySuspended ? 'TRUE' : 'FALSE'}`,
    options.autoSuspendSecs === undefined ? undefined : count('AUTO_SUSPEND_SECS', options.autoSuspendSecs),
    options.tags ? tagClause(options.tags) : undefined,
    options.comment === undefined ? undefined : `COMMENT = ${stringLiteral(options.comment)}`,
  ];
  return parts.filter((part): part is string => part !== undefined).join('\n  ');
}

export interface ComputePoolProperties {
  readonly minNodes?: number;
  readonly maxNodes?: number;
  readonly autoResume?: boolean;
  readonly autoSuspendSecs?: number;
  readonly comment?: string;
}

/** `ALTER COMPUTE POOL <name> SET …` with the given properties, in the documented order (reference §4.2). */
export function setComputePoolProperties(name: string, properties: ComputePoolProperties, options: { ifExists?: boolean } = {}): string {
  const { minNodes, maxNodes } = properties;
  if (minNodes !== undefined && maxNodes !== undefined && maxNodes < minNodes) {
    throw new RangeError(`MAX_NODES (${maxNodes}) must be at least MIN_NODES (${minNodes}).`);
  }
  const clauses = [
    minNodes === undefined ? undefined : count('MIN_NODES', minNodes, 1),
    maxNodes === undefined ? undefined : count('MAX_NODES', maxNodes, 1),
    properties.autoResume === undefined ? undefined : `AUTO_RESUME = ${properties.autoResume ? 'TRUE' : 'FALSE'}`,
    properties.autoSuspendSecs === undefined ? undefined : count('AUTO_SUSPEND_SECS', properties.autoSuspendSecs),
    properties.comment === undefined ? undefined : `COMMENT = ${stringLiteral(properties.comment)}`,
  ].filter((part): part is string => part !== undefined);
  if (clauses.length === 0) {
    throw new RangeError('ALTER COMPUTE POOL … SET needs at least one property.');
  }
  return `ALTER COMPUTE POOL${options.ifExists ? ' IF EXISTS' : ''} ${objectName(name)} SET ${clauses.join(' ')}`;
}

/** `ALTER COMPUTE POOL <name> STOP ALL`: drops every service and cancels the jobs of the pool. */
export function stopAllInComputePool(name: string): string {
  return `ALTER COMPUTE POOL ${objectName(name)} STOP ALL`;
}

/** `DROP COMPUTE POOL [IF EXISTS] <name>`: refused while services exist; running jobs are aborted. */
export function dropComputePool(name: string, options: { ifExists?: boolean } = {}): string {
  return `DROP COMPUTE POOL${options.ifExists ? ' IF EXISTS' : ''} ${objectName(name)}`;
}

export type ImageRepositoryEncryption = 'SNOWFLAKE_FULL' | 'SNOWFLAKE_SSE';

export interface ImageRepositoryOptions {
  readonly name: ObjectName;
  readonly ifNotExists?: boolean;
  /** Unset: Snowflake's default (SNOWFLAKE_FULL). It cannot be changed later. */
  readonly encryption?: ImageRepositoryEncryption;
  readonly comment?: string;
}

/** `CREATE IMAGE REPOSITORY [IF NOT EXISTS] <name> [ENCRYPTION = (TYPE = '…')] [COMMENT = '…']`. */
export function createImageRepository(options: ImageRepositoryOptions): string {
  return [
    `CREATE IMAGE REPOSITORY${options.ifNotExists ? ' IF NOT EXISTS' : ''} ${objectName(options.name)}`,
    options.encryption === undefined ? undefined : `ENCRYPTION = (TYPE = ${stringLiteral(options.encryption)})`,
    options.comment === undefined ? undefined : `COMMENT = ${stringLiteral(options.comment)}`,
  ]
    .filter((part): part is string => part !== undefined)
    .join(' ');
}

/** `DROP IMAGE REPOSITORY [IF EXISTS] <name>`: the images go with it; running services keep theirs. */
export function dropImageRepository(name: ObjectName, options: { ifExists?: boolean } = {}): string {
  return `DROP IMAGE REPOSITORY${options.ifExists ? ' IF EXISTS' : ''} ${objectName(name)}`;
}
