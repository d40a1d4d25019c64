/**
 * The emulated account's stored state: plain JSON-compatible records, so that `serialize()` is a
 * deep copy and `--state FILE` round-trips exactly.
 *
 * Owns: the record types of every object (databases, schemas, roles, users, warehouses, compute
 * pools, services and jobs, image repositories and images, stages and their files, secrets,
 * integrations, gateways, grants). What changes with time (statuses, instances, logs, ingress URLs) is NOT
 * stored: `lifecycle.ts` derives it from these records and the clock. Times are epoch milliseconds.
 *
 * Must not: hold indexes or behaviour (see `store.ts`).
 *
 * Over 400 lines on purpose: the one schema of the saved state (types only), read best whole.
 */

export const stateVersion = 1;

export interface AccountState {
  version: typeof stateVersion;
  name: string;
  organization: string;
  region: string;
  createdOn: number;
  /** Counter for generated names (JOB_<n>) and other deterministic ids. */
  sequence: number;
  databases: Record<string, DatabaseRecord>;
  /** Keyed by `DB.SCHEMA` (see `names.schemaKey`). */
  schemas: Record<string, SchemaRecord>;
  roles: Record<string, RoleRecord>;
  users: Record<string, UserRecord>;
  warehouses: Record<string, WarehouseRecord>;
  computePools: Record<string, ComputePoolRecord>;
  integrations: Record<string, IntegrationRecord>;
  /** Keyed by `DB.SCHEMA.NAME` (see `names.objectKey`). */
  services: Record<string, ServiceRecord>;
  imageRepositories: Record<string, ImageRepositoryRecord>;
  stages: Record<string, StageRecord>;
  secrets: Record<string, SecretRecord>;
  /** Privileges on objects granted to roles (OWNERSHIP included). */
  grants: GrantRecord[];
  /** Roles granted to roles and users. */
  roleGrants: RoleGrantRecord[];
  /** Service roles (`svc!role`) granted to account roles. */
  serviceRoleGrants: ServiceRoleGrantRecord[];
  /** Service functions, keyed by `DB.SCHEMA.NAME(TYPE, …)`; absent in states saved before they existed. */
  functions?: Record<string, ServiceFunctionRecord>;
  /** Gateways, keyed by `DB.SCHEMA.NAME`; absent in states saved before they existed. */
  gateways?: Record<string, GatewayRecord>;
  /** ALTER ACCOUNT SET / UNSET LOG_EVENT_LEVEL over time, oldest first (absent: never set, so OFF). */
  logEventLevels?: LevelChange[];
}

/** One endpoint a gateway routes to, as its spec names it (`value: db.schema.service!endpoint`). */
export interface GatewayTarget {
  /** `target` of a traffic_split gateway; `primary` / `shadow` of a shadow_traffic gateway. */
  role: 'target' | 'primary' | 'shadow';
  /** Service key (`DB.SCHEMA.SERVICE`). */
  service: string;
  /** The endpoint's name as the service's spec writes it. */
  endpoint: string;
  /** Absent for the primary endpoint of a shadow_traffic gateway. */
  weight?: number;
}

/** A gateway (CREATE GATEWAY … FROM SPECIFICATION): one stable ingress host in front of service endpoints. */
export interface GatewayRecord {
  database: string;
  schema: string;
  name: string;
  owner: string;
  createdOn: number;
  updatedOn: number;
  comment?: string;
  type: 'traffic_split' | 'shadow_traffic';
  /** The specification as received. */
  spec: string;
  targets: GatewayTarget[];
  /** When the ingress host is provisioned (it does not change for the gateway's lifetime). */
  ingressReadyAt: number;
  /** Stable per-gateway seed for the ingress host name. */
  seed: string;
}

/** A parameter set (`level`) or unset (`null`) at a moment; the history decides what was in effect when. */
export interface LevelChange {
  readonly at: number;
  readonly level: string | null;
}

/** A service function (CREATE FUNCTION … SERVICE = … ENDPOINT = … AS '<path>'). */
export interface ServiceFunctionRecord {
  database: string;
  schema: string;
  name: string;
  arguments: { name: string; type: string }[];
  returns: string;
  /** Service key (`DB.SCHEMA.SERVICE`). */
  service: string;
  /** The endpoint's name as the spec writes it. */
  endpoint: string;
  path: string;
  owner: string;
  createdOn: number;
  comment?: string;
  contextHeaders?: string[];
  maxBatchRows?: number;
  maxBatchRetries?: number;
  onBatchFailure?: string;
  batchTimeoutSecs?: number;
}

export interface DatabaseRecord {
  name: string;
  owner: string;
  createdOn: number;
  comment?: string;
}

export interface SchemaRecord {
  database: string;
  name: string;
  owner: string;
  createdOn: number;
  comment?: string;
}

export interface RoleRecord {
  name: string;
  owner: string;
  createdOn: number;
  comment?: string;
}

export interface UserRecord {
  name: string;
  loginName: string;
  password?: string;
  mfaPasscode?: string;
  programmaticAccessTokens?: string[];
  rsaPublicKeys?: string[];
  oauthTokens?: string[];
  externalBrowser?: boolean;
  defaultRole: string;
  defaultWarehouse?: string;
  defaultDatabase?: string;
  defaultSchema?: string;
  disabled?: boolean;
  createdOn: number;
  comment?: string;
}

export interface WarehouseRecord {
  name: string;
  size: string;
  owner: string;
  createdOn: number;
  comment?: string;
}

export interface ComputePoolRecord {
  name: string;
  instanceFamily: string;
  minNodes: number;
  maxNodes: number;
  autoResume: boolean;
  autoSuspendSecs: number;
  comment?: string;
  owner: string;
  createdOn: number;
  updatedOn: number;
  /** When the pool last started (created or resumed); nodes are up POOL_START_MS later. */
  startedAt: number;
  resumedOn?: number;
  /**
   * Set by ALTER COMPUTE POOL … SUSPEND: STOPPING until the jobs that were running end (services are
   * suspended at once), then SUSPENDED; cleared by RESUME.
   */
  suspendedAt?: number;
  /** RESIZING until this time (nodes being added up to MIN_NODES), with `resizeFrom` nodes already up. */
  resizingUntil?: number;
  resizeFrom?: number;
  /** The last time a workload left the pool (drop, suspend), for auto-suspend. */
  lastActivityAt: number;
  placementGroup?: string;
  backupInstanceFamilies: string[];
  tags?: Record<string, string>;
}

export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env: Record<string, string>;
  readinessProbe?: { port: number; path: string };
  /** Secret object names referenced by the container, as written. */
  secrets: string[];
  gpus: number;
  /** `resources` as numbers (vCPUs, bytes, GPUs); a side left out of the spec is absent. Absent in old states. */
  resources?: ContainerResources;
}

export interface ResourceAmounts {
  cpu?: number;
  memoryBytes?: number;
  gpus?: number;
}

export interface ContainerResources {
  requests: ResourceAmounts;
  limits: ResourceAmounts;
}

export interface EndpointSpec {
  name: string;
  port?: number;
  portRange?: string;
  protocol: string;
  isPublic: boolean;
}

export interface ServiceRoleSpec {
  name: string;
  endpoints: string[];
}

export interface VolumeSpec {
  name: string;
  source: string;
  /** For stage volumes: the stage reference (`@db.schema.stage/path`). */
  stage?: string;
  /** `size` of block and memory volumes, in bytes. */
  sizeBytes?: number;
}

export interface ServiceSpec {
  containers: ContainerSpec[];
  endpoints: EndpointSpec[];
  serviceRoles: ServiceRoleSpec[];
  volumes: VolumeSpec[];
  /** `platformMonitor.metricConfig.groups`, lower case, as written (absent: no platform metrics). */
  metricGroups?: string[];
  /** `logExporters.eventTableConfig.logLevel`, upper case (absent: INFO, the documented default). */
  logExportLevel?: string;
}

/** What a container's image reference resolved to when the spec version was recorded. */
export interface ResolvedImage {
  /** The reference as written in the spec. */
  reference: string;
  /** `db/schema/repo/image:tag`, lower case path, as the registry names it. */
  path: string;
  tag: string;
  /** `sha256:…` when the image and tag exist. */
  digest?: string;
  /** Why the image cannot run: missing from its repository, or a malformed reference. */
  problem?: 'missing' | 'invalid-format';
}

export interface SpecVersion {
  /** The spec text as received (templates already rendered). */
  text: string;
  spec: ServiceSpec;
  /** sha256 hex of the text. */
  digest: string;
  images: ResolvedImage[];
}

export interface RestartRecord {
  instance: number;
  container: string;
  at: number;
  exitCode: number;
}

export interface ServiceRecord {
  database: string;
  schema: string;
  name: string;
  computePool: string;
  owner: string;
  createdOn: number;
  updatedOn: number;
  resumedOn?: number;
  suspendedOn?: number;
  comment?: string;
  minInstances: number;
  maxInstances: number;
  minReadyInstances: number;
  autoResume: boolean;
  autoSuspendSecs: number;
  externalAccessIntegrations: string[];
  queryWarehouse?: string;
  logLevel?: string;
  tags?: Record<string, string>;
  isJob: boolean;
  isAsyncJob: boolean;
  current: SpecVersion;
  /** The spec before the running upgrade, for instances not upgraded yet. */
  previous?: SpecVersion;
  upgradeStartedAt?: number;
  /** When the instances were last (re)started: CREATE, RESUME. */
  runStartedAt: number;
  /** When the pool's nodes were ready for this run (later than runStartedAt if the pool was starting). */
  nodesReadyAt: number;
  /** When public endpoints got their ingress URL (set once the service first had a runnable spec). */
  ingressReadyAt?: number;
  /** Set while suspended (SUSPENDING, then SUSPENDED); cleared by RESUME. */
  suspendedAt?: number;
  /** ALTER SERVICE … SET MIN_INSTANCES added instances at this time; ids from `scaledFrom` start then. */
  scaledAt?: number;
  scaledFrom?: number;
  restarts: RestartRecord[];
  /** Jobs: how long each replica runs once started. */
  jobDurationMs?: number;
  /** Jobs: set by ALTER COMPUTE POOL … SUSPEND / STOP ALL while the job runs. */
  cancelledAt?: number;
  /**
   * Generation start of each instance when the running upgrade began (index = instance id), so that
   * instances not replaced yet keep their start when a second upgrade follows the first.
   */
  previousStarts?: number[];
  /** Stable per-service seed for hashes (ingress host, IPs, log content). */
  seed: string;
  /** LOG_EVENT_LEVEL set / unset on the service over time, oldest first (absent: never set). */
  logEventLevels?: LevelChange[];
  /** ALTER SERVICE SET / UNSET of properties and tags, for SERVICE.PROPERTY_CHANGE events. */
  propertyChanges?: PropertyChange[];
  /**
   * The service as it was before each ALTER that restarted or reshaped its instances (RESUME, an
   * upgrade, a new instance count), oldest first: what it did before `until` is derived from `record`.
   * The event table keeps that history; the current fields describe only the latest run.
   */
  history?: ServiceEpoch[];
}

export interface PropertyChange {
  readonly at: number;
  readonly kind: 'set' | 'unset';
  readonly properties: readonly string[];
  readonly tags: readonly string[];
}

export interface ServiceEpoch {
  readonly until: number;
  readonly record: Omit<ServiceRecord, 'history' | 'propertyChanges' | 'logEventLevels'>;
}

export interface ImageRecord {
  /** Image name inside the repository, lower case (`vllm-openai`). */
  name: string;
  tags: string[];
  digest: string;
  sizeBytes: number;
  createdOn: number;
}

export interface ImageRepositoryRecord {
  database: string;
  schema: string;
  name: string;
  owner: string;
  createdOn: number;
  comment?: string;
  encryption: string;
  images: ImageRecord[];
}

export interface StageFileRecord {
  path: string;
  content: string;
  lastModified: number;
}

export interface StageRecord {
  database: string;
  schema: string;
  name: string;
  owner: string;
  createdOn: number;
  comment?: string;
  directoryEnabled: boolean;
  encryption: string;
  files: StageFileRecord[];
}

export type SecretType = 'PASSWORD' | 'GENERIC_STRING' | 'OAUTH2';

export interface SecretRecord {
  database: string;
  schema: string;
  name: string;
  owner: string;
  createdOn: number;
  comment?: string;
  type: SecretType;
  username?: string;
  oauthScopes?: string[];
  apiAuthentication?: string;
}

export interface IntegrationRecord {
  name: string;
  type: 'EXTERNAL_ACCESS';
  enabled: boolean;
  owner: string;
  createdOn: number;
  comment?: string;
  allowedNetworkRules: string[];
  allowedAuthenticationSecrets: string[];
}

export type ObjectType =
  | 'ACCOUNT'
  | 'DATABASE'
  | 'SCHEMA'
  | 'ROLE'
  | 'USER'
  | 'WAREHOUSE'
  | 'COMPUTE_POOL'
  | 'INTEGRATION'
  | 'SERVICE'
  | 'IMAGE_REPOSITORY'
  | 'STAGE'
  | 'SECRET'
  | 'GATEWAY';

export interface GrantRecord {
  privilege: string;
  objectType: ObjectType;
  /** The object's display name (`DB.SCHEMA.NAME`, `POOL`, or the account name). */
  objectName: string;
  grantee: string;
  grantOption: boolean;
  grantedBy: string;
  createdOn: number;
}

export interface RoleGrantRecord {
  role: string;
  granteeType: 'ROLE' | 'USER';
  grantee: string;
  grantedBy: string;
  createdOn: number;
}

export interface ServiceRoleGrantRecord {
  /** Service key (`DB.SCHEMA.SERVICE`). */
  service: string;
  serviceRole: string;
  grantee: string;
  grantedBy: string;
  createdOn: number;
}
