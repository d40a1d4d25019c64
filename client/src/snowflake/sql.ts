/**
 * SQL text for the statements the client sends, built from values (names and literals: `sqlText.ts`,
 * re-exported here so that callers write `sql.objectName(…)` beside `sql.createService(…)`). Pure
 * functions; nothing here talks to Snowflake.
 */

import { count, foldsUnquoted, integer, objectName, quoteIdentifier, specLiteral, stringLiteral, tagClause, type ObjectName } from './sqlText';

export { quoteIdentifier, normalizeIdentifier, parseQualifiedName, qualifiedName, objectName, stringLiteral, canDollarQuote, specLiteral } from './sqlText';
export type { ObjectName, QualifiedName } from './sqlText';
export { alterGatewaySpec, createGateway, describeGateway, dropGateway } from './sqlGateways';
export { createComputePool, setComputePoolProperties, stopAllInComputePool, dropComputePool, createImageRepository, dropImageRepository } from './sqlPools';
export type { ComputePoolOptions, ComputePoolProperties, ImageRepositoryEncryption, ImageRepositoryOptions } from './sqlPools';

// ---------------------------------------------------------------------------------------------
// Statements

export type TemplateValue = string | number | boolean;

/** Where a service's specification comes from. A plain string is inline spec text. */
export type SpecSource =
  | string
  | { readonly kind: 'inline'; readonly text: string }
  | { readonly kind: 'template'; readonly text: string; readonly using: Readonly<Record<string, TemplateValue>> }
  | { readonly kind: 'stage'; readonly stage: ObjectName; readonly path?: string; readonly file: string }
  | { readonly kind: 'stageTemplate'; readonly stage: ObjectName; readonly path?: string; readonly file: string; readonly using: Readonly<Record<string, TemplateValue>> };

export function fromSpecification(source: SpecSource): string {
  if (typeof source === 'string') {
    return `FROM SPECIFICATION ${specLiteral(source)}`;
  }
  switch (source.kind) {
    case 'inline':
      return `FROM SPECIFICATION ${specLiteral(source.text)}`;
    case 'template':
      return `FROM SPECIFICATION_TEMPLATE ${specLiteral(source.text)} ${usingClause(source.using)}`;
    case 'stage':
      return `FROM ${stageLocation(source.stage, source.path)} SPECIFICATION_FILE = ${stringLiteral(source.file)}`;
    case 'stageTemplate':
      return `FROM ${stageLocation(source.stage, source.path)} SPECIFICATION_TEMPLATE_FILE = ${stringLiteral(source.file)} ${usingClause(source.using)}`;
  }
}

function usingClause(values: Readonly<Record<string, TemplateValue>>): string {
  const entries = Object.entries(values);
  if (entries.length === 0) {
    throw new RangeError('A specification template needs at least one USING value.');
  }
  const rendered = entries.map(([key, value]) => `${foldsUnquoted(key) ? key : quoteIdentifier(key)} => ${literal(value)}`);
  return `USING (${rendered.join(', ')})`;
}

function literal(value: TemplateValue): string {
  if (typeof value === 'string') {
    return stringLiteral(value);
  }
  if (typeof value === 'boolean') {
    return value ? 'TRUE' : 'FALSE';
  }
  if (!Number.isFinite(value)) {
    throw new RangeError(`Not a finite number: ${value}`);
  }
  return String(value);
}

function stageLocation(stage: ObjectName, path: string | undefined): string {
  if (path !== undefined && !/^[A-Za-z0-9_.\-/]*$/.test(path)) {
    throw new RangeError(`Stage path ${JSON.stringify(path)} has characters that need quoting; use letters, digits, _ . - /.`);
  }
  const suffix = path === undefined || path === '' ? '' : `/${path.replace(/^\/+/, '')}`;
  return `@${objectName(stage)}${suffix}`;
}

function identifierList(names: readonly string[]): string {
  return `(${names.map((name) => objectName(name)).join(', ')})`;
}

export interface ServiceProperties {
  readonly minInstances?: number;
  readonly maxInstances?: number;
  readonly minReadyInstances?: number;
  readonly autoResume?: boolean;
  readonly autoSuspendSecs?: number;
  readonly externalAccessIntegrations?: readonly string[];
  readonly queryWarehouse?: string;
  readonly logLevel?: string;
  readonly comment?: string;
}

function propertyClauses(properties: ServiceProperties): string[] {
  const clauses: string[] = [];
  if (properties.autoSuspendSecs !== undefined) clauses.push(count('AUTO_SUSPEND_SECS', properties.autoSuspendSecs));
  if (properties.externalAccessIntegrations !== undefined) clauses.push(`EXTERNAL_ACCESS_INTEGRATIONS = ${identifierList(properties.externalAccessIntegrations)}`);
  if (properties.autoResume !== undefined) clauses.push(`AUTO_RESUME = ${properties.autoResume ? 'TRUE' : 'FALSE'}`);
  if (properties.minInstances !== undefined) clauses.push(count('MIN_INSTANCES', properties.minInstances, 1));
  if (properties.minReadyInstances !== undefined) clauses.push(count('MIN_READY_INSTANCES', properties.minReadyInstances, 1));
  if (properties.maxInstances !== undefined) clauses.push(count('MAX_INSTANCES', properties.maxInstances, 1));
  if (properties.logLevel !== undefined) clauses.push(`LOG_LEVEL = ${stringLiteral(properties.logLevel)}`);
  if (properties.queryWarehouse !== undefined) clauses.push(`QUERY_WAREHOUSE = ${objectName(properties.queryWarehouse)}`);
  if (properties.comment !== undefined) clauses.push(`COMMENT = ${stringLiteral(properties.comment)}`);
  return clauses;
}

export interface CreateServiceOptions extends ServiceProperties {
  readonly name: ObjectName;
  readonly pool: string;
  readonly spec: SpecSource;
  readonly ifNotExists?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
}

/** `CREATE SERVICE … IN COMPUTE POOL … FROM … <properties>` in the documented clause order. */
export function createService(options: CreateServiceOptions): string {
  const { minInstances, maxInstances, minReadyInstances } = options;
  if (minInstances !== undefined && maxInstances !== undefined && maxInstances < minInstances) {
    throw new RangeError(`MAX_INSTANCES (${maxInstances}) must be at least MIN_INSTANCES (${minInstances}).`);
  }
  if (minInstances !== undefined && minReadyInstances !== undefined && minReadyInstances > minInstances) {
    throw new RangeError(`MIN_READY_INSTANCES (${minReadyInstances}) must not exceed MIN_INSTANCES (${minInstances}).`);
  }
  const parts = [
    `CREATE SERVICE${options.ifNotExists ? ' IF NOT EXISTS' : ''} ${objectName(options.name)}`,
    `IN COMPUTE POOL ${objectName(options.pool)}`,
    fromSpecification(options.spec),
    ...propertyClauses(options),
    options.tags ? tagClause(options.tags) : undefined,
  ];
  return parts.filter((part): part is string => part !== undefined).join('\n  ');
}

/** The upgrade: `ALTER SERVICE … FROM …` (rolling, keeps the service's properties). */
export function alterServiceSpec(name: ObjectName, spec: SpecSource, options: { ifExists?: boolean } = {}): string {
  return `ALTER SERVICE${options.ifExists ? ' IF EXISTS' : ''} ${objectName(name)}\n  ${fromSpecification(spec)}`;
}

export interface ExecuteJobServiceOptions {
  readonly pool: string;
  readonly spec: SpecSource;
  /** Defaults to JOB_<uuid> on the server. */
  readonly name?: ObjectName;
  /** ASYNC = TRUE: the statement returns at once and the job runs on. */
  readonly async?: boolean;
  readonly replicas?: number;
  readonly queryWarehouse?: string;
  readonly externalAccessIntegrations?: readonly string[];
  readonly comment?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** `EXECUTE JOB SERVICE IN COMPUTE POOL … FROM … NAME = … [ASYNC = TRUE] …` (the CLI's order). */
export function executeJobService(options: ExecuteJobServiceOptions): string {
  const parts = [
    'EXECUTE JOB SERVICE',
    `IN COMPUTE POOL ${objectName(options.pool)}`,
    fromSpecification(options.spec),
    options.name === undefined ? undefined : `NAME = ${objectName(options.name)}`,
    options.async === undefined ? undefined : `ASYNC = ${options.async ? 'TRUE' : 'FALSE'}`,
    options.replicas === undefined ? undefined : count('REPLICAS', options.replicas, 1),
    options.externalAccessIntegrations === undefined ? undefined : `EXTERNAL_ACCESS_INTEGRATIONS = ${identifierList(options.externalAccessIntegrations)}`,
    options.queryWarehouse === undefined ? undefined : `QUERY_WAREHOUSE = ${objectName(options.queryWarehouse)}`,
    options.comment === undefined ? undefined : `COMMENT = ${stringLiteral(options.comment)}`,
    options.tags ? tagClause(options.tags) : undefined,
  ];
  return parts.filter((part): part is string => part !== undefined).join('\n  ');
}

export function suspendService(name: ObjectName, options: { ifExists?: boolean } = {}): string {
  return `ALTER SERVICE${options.ifExists ? ' IF EXISTS' : ''} ${objectName(name)} SUSPEND`;
}

export function resumeService(name: ObjectName, options: { ifExists?: boolean } = {}): string {
  return `ALTER SERVICE${options.ifExists ? ' IF EXISTS' : ''} ${objectName(name)} RESUME`;
}

/** `DROP SERVICE`; FORCE is required when the service has block volumes (they are deleted). */
export function dropService(name: ObjectName, options: { ifExists?: boolean; force?: boolean } = {}): string {
  return `DROP SERVICE${options.ifExists ? ' IF EXISTS' : ''} ${objectName(name)}${options.force ? ' FORCE' : ''}`;
}

/** `ALTER SERVICE … SET …` (min/max instances and the other properties). */
export function setServiceProperties(name: ObjectName, properties: ServiceProperties, options: { ifExists?: boolean } = {}): string {
  const clauses = propertyClauses(properties);
  if (clauses.length === 0) {
    throw new RangeError('ALTER SERVICE … SET needs at least one property.');
  }
  return `ALTER SERVICE${options.ifExists ? ' IF EXISTS' : ''} ${objectName(name)} SET ${clauses.join(' ')}`;
}

export function setServiceInstances(name: ObjectName, instances: { min?: number; max?: number; minReady?: number }): string {
  return setServiceProperties(name, { minInstances: instances.min, maxInstances: instances.max, minReadyInstances: instances.minReady });
}

export function describeService(name: ObjectName): string {
  return `DESCRIBE SERVICE ${objectName(name)}`;
}

export type ShowScope =
  | { readonly account: true }
  | { readonly database: string }
  | { readonly schema: ObjectName }
  | { readonly computePool: string };

function scopeClause(scope: ShowScope | undefined): string | undefined {
  if (scope === undefined) return undefined;
  if ('account' in scope) return 'IN ACCOUNT';
  if ('database' in scope) return `IN DATABASE ${objectName(scope.database)}`;
  if ('schema' in scope) return `IN SCHEMA ${objectName(scope.schema)}`;
  return `IN COMPUTE POOL ${objectName(scope.computePool)}`;
}

export interface ShowOptions {
  readonly like?: string;
  readonly in?: ShowScope;
  readonly startsWith?: string;
  readonly limit?: number;
}

function showTail(options: ShowOptions): string[] {
  return [
    options.like === undefined ? undefined : `LIKE ${stringLiteral(options.like)}`,
    scopeClause(options.in),
    options.startsWith === undefined ? undefined : `STARTS WITH ${stringLiteral(options.startsWith)}`,
    options.limit === undefined ? undefined : `LIMIT ${integer('LIMIT', options.limit, 1)}`,
  ].filter((part): part is string => part !== undefined);
}

/** `SHOW [JOB] SERVICES [EXCLUDE JOBS] [LIKE …] [IN …]` (without IN: the current schema). */
export function showServices(options: ShowOptions & { jobsOnly?: boolean; excludeJobs?: boolean } = {}): string {
  if (options.jobsOnly && options.excludeJobs) {
    throw new RangeError('SHOW JOB SERVICES and EXCLUDE JOBS exclude each other.');
  }
  return [`SHOW ${options.jobsOnly ? 'JOB ' : ''}SERVICES${options.excludeJobs ? ' EXCLUDE JOBS' : ''}`, ...showTail(options)].join(' ');
}

/** `SHOW GATEWAYS [LIKE …] [IN …]` (without IN: the current schema). */
export function showGateways(options: ShowOptions = {}): string {
  return ['SHOW GATEWAYS', ...showTail(options)].join(' ');
}

export function showServiceInstances(service: ObjectName): string {
  return `SHOW SERVICE INSTANCES IN SERVICE ${objectName(service)}`;
}

export function showServiceContainers(service: ObjectName): string {
  return `SHOW SERVICE CONTAINERS IN SERVICE ${objectName(service)}`;
}

export function showEndpoints(service: ObjectName): string {
  return `SHOW ENDPOINTS IN SERVICE ${objectName(service)}`;
}

export function showServiceRoles(service: ObjectName): string {
  return `SHOW ROLES IN SERVICE ${objectName(service)}`;
}

export function showComputePools(options: Omit<ShowOptions, 'in'> = {}): string {
  return ['SHOW COMPUTE POOLS', ...showTail(options)].join(' ');
}

export function describeComputePool(name: string): string {
  return `DESCRIBE COMPUTE POOL ${objectName(name)}`;
}

export function suspendComputePool(name: string): string {
  return `ALTER COMPUTE POOL ${objectName(name)} SUSPEND`;
}

export function resumeComputePool(name: string): string {
  return `ALTER COMPUTE POOL ${objectName(name)} RESUME`;
}

export function showInstanceFamilies(): string {
  return 'SHOW COMPUTE POOL INSTANCE FAMILIES';
}

export function showImageRepositories(options: Omit<ShowOptions, 'startsWith' | 'limit'> = {}): string {
  return ['SHOW IMAGE REPOSITORIES', ...showTail(options)].join(' ');
}

export function showImages(repository: ObjectName, options: { like?: string } = {}): string {
  return ['SHOW IMAGES', options.like === undefined ? undefined : `LIKE ${stringLiteral(options.like)}`, `IN IMAGE REPOSITORY ${objectName(repository)}`]
    .filter((part): part is string => part !== undefined)
    .join(' ');
}

export interface ServiceLogsOptions {
  readonly service: ObjectName;
  /** `'0'` when the service has one instance. */
  readonly instanceId: string | number;
  readonly container: string;
  /** Most recent lines only; filled with 500 (the CLI's default) when a later argument is given. */
  readonly numLines?: number;
  /** The previous (restarted) container's logs. */
  readonly previous?: boolean;
  /** RFC 3339 lower bound (undocumented 6th argument, sent by the CLI's `--follow`). */
  readonly since?: string;
  /** Prefix each line with its RFC 3339 timestamp (undocumented 7th argument). */
  readonly includeTimestamps?: boolean;
}

/**
 * `SELECT SYSTEM$GET_SERVICE_LOGS('<service>', '<instance>', '<container>'[, n[, previous[, 'since'[, ts]]]])`:
 * only as many trailing arguments as the options need, each earlier one filled with its default.
 */
export function getServiceLogs(options: ServiceLogsOptions): string {
  const args = [stringLiteral(objectName(options.service)), stringLiteral(String(options.instanceId)), stringLiteral(options.container)];
  const optional: string[] = [
    options.numLines === undefined ? '500' : integer('numLines', options.numLines, 1),
    options.previous ? 'TRUE' : 'FALSE',
    stringLiteral(options.since ?? ''),
    options.includeTimestamps ? 'TRUE' : 'FALSE',
  ];
  const given = [options.numLines, options.previous, options.since, options.includeTimestamps];
  const last = given.reduce<number>((found, value, index) => (value === undefined ? found : index), -1);
  args.push(...optional.slice(0, last + 1));
  return `SELECT SYSTEM$GET_SERVICE_LOGS(${args.join(', ')})`;
}

/** Cancels a job service (status CANCELLING → CANCELLED). */
export function cancelJob(name: ObjectName): string {
  return `SELECT SYSTEM$CANCEL_JOB(${stringLiteral(objectName(name))})`;
}

export function useRole(role: string): string {
  return `USE ROLE ${objectName(role)}`;
}

export function useWarehouse(warehouse: string): string {
  return `USE WAREHOUSE ${objectName(warehouse)}`;
}

export function useDatabase(database: string): string {
  return `USE DATABASE ${objectName(database)}`;
}

export function useSchema(schema: ObjectName): string {
  return `USE SCHEMA ${objectName(schema)}`;
}

// ---------------------------------------------------------------------------------------------
// Account catalog listings and grants

/** `SHOW STAGES [LIKE …] [IN …]` (without IN: the current schema). */
export function showStages(options: Omit<ShowOptions, 'startsWith' | 'limit'> = {}): string {
  return ['SHOW STAGES', ...showTail(options)].join(' ');
}

/** `SHOW SECRETS [LIKE …] [IN …]`; the `secret_type` column says PASSWORD, GENERIC_STRING, OAUTH2, … */
export function showSecrets(options: Omit<ShowOptions, 'startsWith' | 'limit'> = {}): string {
  return ['SHOW SECRETS', ...showTail(options)].join(' ');
}

export function showExternalAccessIntegrations(options: { like?: string } = {}): string {
  return ['SHOW EXTERNAL ACCESS INTEGRATIONS', options.like === undefined ? undefined : `LIKE ${stringLiteral(options.like)}`].filter((part): part is string => part !== undefined).join(' ');
}

export function showWarehouses(options: { like?: string } = {}): string {
  return ['SHOW WAREHOUSES', options.like === undefined ? undefined : `LIKE ${stringLiteral(options.like)}`].filter((part): part is string => part !== undefined).join(' ');
}

/** `SHOW GRANTS TO ROLE <role>`: privileges of the role and (granted_on = ROLE) the roles it inherits. */
export function showGrantsToRole(role: string): string {
  return `SHOW GRANTS TO ROLE ${objectName(role)}`;
}

/** Object kinds a privilege can be granted on, in GRANT's spelling. */
export type GrantObjectType = 'ACCOUNT' | 'DATABASE' | 'SCHEMA' | 'COMPUTE POOL' | 'IMAGE REPOSITORY' | 'STAGE' | 'SECRET' | 'INTEGRATION' | 'WAREHOUSE' | 'SERVICE';

const grantPrivilegePattern = /^[A-Z][A-Z ]*[A-Z]$/;

/**
 * `GRANT <privilege> ON <type> <name> TO ROLE <role>` (`ON ACCOUNT` without a name). The privilege
 * is a keyword phrase such as `USAGE` or `BIND SERVICE ENDPOINT`, never user text.
 */
export function grantPrivilege(privilege: string, on: { readonly type: 'ACCOUNT' } | { readonly type: Exclude<GrantObjectType, 'ACCOUNT'>; readonly name: ObjectName }, role: string): string {
  if (!grantPrivilegePattern.test(privilege)) {
    throw new RangeError(`Not a privilege: ${JSON.stringify(privilege)}.`);
  }
  const target = on.type === 'ACCOUNT' ? 'ACCOUNT' : `${on.type} ${objectName(on.name)}`;
  return `GRANT ${privilege} ON ${target} TO ROLE ${objectName(role)}`;
}
