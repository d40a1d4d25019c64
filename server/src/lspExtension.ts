/**
 * The custom LSP messages between the SPCS client and the language server (types and method names).
 *
 * Owns: the wire contract for live account data. Both the VS Code client and the server import this
 * file; other editors implement the same messages from the README. It has no runtime imports and
 * declares nothing but types and the method/capability names, so importing it never pulls code in.
 *
 * Negotiation: a client that can send account data puts `experimental.spcsAccount = { version: 1 }`
 * in its `ClientCapabilities`; the server answers with the same key in its `ServerCapabilities`. A
 * client only sends the notifications below when both sides announced version 1. A server that gets
 * none of them (Neovim, CI, a client without the capability) works exactly as without an account.
 *
 * Both messages are notifications (client → server): nothing on the keystroke path waits for the
 * network. The server indexes a catalog once per notification and republishes the diagnostics of the
 * open documents it affects.
 *
 * Versioning: `version` is bumped only for incompatible changes. New optional fields may be added
 * within a version; receivers ignore fields they do not know.
 */

/**
 * The language id of service specifications (`package.json` `contributes.languages`): the client
 * switches spec documents to it and the server, the CLI and the emulator create documents with it.
 */
export const specLanguageId = 'spcs-spec';

/** The key under `capabilities.experimental` (client and server). */
export const accountCapabilityKey = 'spcsAccount';

/** The value of `capabilities.experimental.spcsAccount`, on both sides. */
export interface AccountCapability {
  /** The protocol version spoken: 1. */
  readonly version: 1;
}

/** `capabilities.experimental` as far as this protocol is concerned. */
export interface AccountExperimentalCapabilities {
  readonly spcsAccount?: AccountCapability;
}

/** Notification client → server: the account catalog of one connection (or that it is gone). */
export const accountCatalogNotification = 'spcs/accountCatalog';

/** Notification client → server: where documents will be deployed (their remembered target). */
export const deployTargetsNotification = 'spcs/deployTargets';

// ---------------------------------------------------------------------------------------------------
// spcs/accountCatalog

export interface AccountCatalogParams {
  /** The connection name, as in `connections.toml` (matched case-sensitively). */
  readonly connection: string;
  /**
   * Whether this is the client's default connection: documents that name no connection (no modeline
   * `connection=`, no deploy target) use the default connection's catalog, and no other one while
   * it has not arrived. Left out by a client that sends a single catalog: that one is the default.
   */
  readonly isDefault?: boolean;
  /** When the catalog was read, ISO 8601 (e.g. `2026-11-26T14:03:00Z`). Messages quote it. */
  readonly fetchedAt: string;
  /**
   * The catalog, or null when there is none any more (connection removed, signed out, emulator
   * stopped): the server then forgets the connection and its account diagnostics disappear.
   */
  readonly catalog: AccountCatalog | null;
  readonly status: CatalogStatus;
}

export interface CatalogStatus {
  /**
   * `fresh`: just read. `stale`: older than the client's refresh interval, or a refresh failed and
   * this is the last good copy. `unavailable`: the account cannot be reached (then `catalog` is usually
   * null). The server uses any non-null catalog; with `stale`/`unavailable` its messages say so.
   */
  readonly state: 'fresh' | 'stale' | 'unavailable';
  /** Why it is stale or unavailable, for messages and logs (never credentials). */
  readonly reason?: string;
}

/**
 * What the current role of the connection can see. Every list may be `null`, meaning "not read"
 * (a query failed or is not supported): the server then makes no claim about that kind of object.
 * An empty list means "read, and there are none". Object names are as Snowflake returns them
 * (unquoted identifiers upper case); the server compares case-insensitively.
 */
export interface AccountCatalog {
  /** The role the catalog was read with (CURRENT_ROLE()); the role that will own deployed services. */
  readonly role?: string;
  /** The connection's current database and schema: unqualified names in a spec resolve against them when the deploy target gives none. */
  readonly database?: string;
  readonly schema?: string;
  /** The registry host of the account, e.g. `myorg-myacct.registry.snowflakecomputing.com` (lower case). */
  readonly registryHost?: string;
  /** SHOW COMPUTE POOL INSTANCE FAMILIES. */
  readonly instanceFamilies: readonly CatalogInstanceFamily[] | null;
  /** SHOW COMPUTE POOLS. */
  readonly computePools: readonly CatalogComputePool[] | null;
  /** SHOW IMAGE REPOSITORIES IN ACCOUNT, each with SHOW IMAGES IN IMAGE REPOSITORY. */
  readonly imageRepositories: readonly CatalogImageRepository[] | null;
  /** SHOW STAGES IN ACCOUNT. */
  readonly stages: readonly CatalogSchemaObject[] | null;
  /** SHOW SECRETS IN ACCOUNT. */
  readonly secrets: readonly CatalogSecret[] | null;
  /** SHOW EXTERNAL ACCESS INTEGRATIONS. */
  readonly externalAccessIntegrations: readonly CatalogAccountObject[] | null;
  /** SHOW WAREHOUSES. */
  readonly warehouses: readonly CatalogAccountObject[] | null;
  /**
   * The privileges of the catalog's role, including those inherited through the role hierarchy
   * (flattened by the client), and OWNERSHIP of the objects the role owns. Null when the grants could
   * not be read: no privilege is then reported missing.
   */
  readonly grants: readonly CatalogGrant[] | null;
  /**
   * SHOW SERVICES IN ACCOUNT (job services included, `isJob`), each with SHOW ENDPOINTS IN SERVICE.
   * Gateway specs are checked against it (the target service and endpoint exist and take HTTP).
   * Optional (added within version 1): left out or null means "not read", as for the lists above.
   */
  readonly services?: readonly CatalogService[] | null;
  /** SHOW GATEWAYS IN ACCOUNT. Optional (added within version 1): left out or null means "not read". */
  readonly gateways?: readonly CatalogGateway[] | null;
}

/** One row of SHOW COMPUTE POOL INSTANCE FAMILIES (capacity accessible to containers). */
export interface CatalogInstanceFamily {
  /** `name`, e.g. `CPU_X64_S`. */
  readonly name: string;
  /** `vcpu`. */
  readonly vcpu: number;
  /** `memory_gib`. */
  readonly memoryGiB: number;
  /** `gpu_count` (0 for CPU families). */
  readonly gpus: number;
  /** `gpu`, e.g. `NVIDIA A10G`. */
  readonly gpuModel?: string;
  /** `gpu_memory_gib` per GPU. */
  readonly gpuMemoryGiB?: number;
  /** `storage_gib`. */
  readonly storageGiB?: number;
  /** `description`. */
  readonly description?: string;
}

/** One row of SHOW COMPUTE POOLS. */
export interface CatalogComputePool {
  readonly name: string;
  /** `state`: IDLE, ACTIVE, SUSPENDED, STARTING, STOPPING, RESIZING, UNKNOWN. */
  readonly state: string;
  readonly instanceFamily: string;
  readonly minNodes: number;
  readonly maxNodes: number;
}

/** An account-level object (integration, warehouse). */
export interface CatalogAccountObject {
  readonly name: string;
}

/** A schema-level object (stage). */
export interface CatalogSchemaObject {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
}

/** One row of SHOW SECRETS. */
export interface CatalogSecret extends CatalogSchemaObject {
  /** `secret_type`: PASSWORD, GENERIC_STRING, OAUTH2, CLOUD_PROVIDER_TOKEN, … */
  readonly type: string;
}

/** One row of SHOW IMAGE REPOSITORIES, with its images. */
export interface CatalogImageRepository extends CatalogSchemaObject {
  /** `repository_url`, e.g. `myorg-myacct.registry.snowflakecomputing.com/db/schema/repo`. */
  readonly repositoryUrl?: string;
  /** The images (SHOW IMAGES IN IMAGE REPOSITORY), or null when they could not be listed. */
  readonly images: readonly CatalogImage[] | null;
}

/** One row of SHOW IMAGES IN IMAGE REPOSITORY: one image digest and the tags pointing at it. */
export interface CatalogImage {
  /** `image_name`, e.g. `echo` or `team/echo`. */
  readonly name: string;
  /** `tags`, e.g. `["v2", "latest"]` (may be empty for an untagged digest). */
  readonly tags: readonly string[];
  /** `digest`, e.g. `sha256:8d91…`. */
  readonly digest: string;
  /** `created_on` (the push time), ISO 8601. */
  readonly createdOn: string;
  /** Compressed size in bytes, when known. */
  readonly sizeBytes?: number;
}

/** One row of SHOW SERVICES, with its endpoints. */
export interface CatalogService extends CatalogSchemaObject {
  /** `status`: PENDING, RUNNING, SUSPENDED, FAILED, DONE, … */
  readonly status?: string;
  /** `compute_pool`. */
  readonly computePool?: string;
  /** `owner`: the role that owns the service. */
  readonly owner?: string;
  /** `is_job`: a job service (EXECUTE JOB SERVICE); a gateway cannot route to it. */
  readonly isJob?: boolean;
  /**
   * SHOW ENDPOINTS IN SERVICE, or null when they were not read: the statement failed (the role lacks
   * the privilege), or the client bounds how many services it lists endpoints for and this one was
   * beyond the bound. Nothing is then claimed about the service's endpoints.
   */
  readonly endpoints: readonly CatalogEndpoint[] | null;
}

/** One row of SHOW ENDPOINTS IN SERVICE. */
export interface CatalogEndpoint {
  readonly name: string;
  /** `port`, when the endpoint has one (not a `port_range`). */
  readonly port?: number;
  /** `port_range`, e.g. `5000-5010`. */
  readonly portRange?: string;
  /** `protocol`: HTTP, TCP, … */
  readonly protocol: string;
  /** `is_public`. */
  readonly isPublic: boolean;
  /** `ingress_url`, when public and provisioned. */
  readonly ingressUrl?: string;
}

/** One row of SHOW GATEWAYS. */
export interface CatalogGateway extends CatalogSchemaObject {
  /** `owner`: the role that owns the gateway. */
  readonly owner?: string;
  /** `ingress_url`, once provisioned. */
  readonly ingressUrl?: string;
  readonly comment?: string;
}

/** One privilege the role holds (directly, inherited, or as owner). */
export interface CatalogGrant {
  /**
   * `granted_on`: `ACCOUNT`, `COMPUTE POOL`, `IMAGE REPOSITORY`, `STAGE`, `SECRET`, `SCHEMA`, `SERVICE`,
   * `GATEWAY`, `SERVICE ROLE` (`_` or space alike).
   */
  readonly objectType: string;
  /**
   * The object as SHOW GRANTS names it: `DB.SCHEMA.NAME` for schema objects (quotes allowed), `NAME`
   * for account objects, the account name (or empty) for `ACCOUNT`, `DB.SCHEMA` for a schema,
   * `DB.SCHEMA.SERVICE!ROLE` for a service role. Compared case-insensitively.
   */
  readonly name: string;
  /** `USAGE`, `READ`, `WRITE`, `OWNERSHIP`, `BIND SERVICE ENDPOINT`, … */
  readonly privilege: string;
}

// ---------------------------------------------------------------------------------------------------
// spcs/deployTargets

export interface DeployTargetsParams {
  /**
   * Targets by document URI. Each entry replaces what the server knew for that URI; `target: null`
   * forgets it. URIs not listed keep their target.
   */
  readonly targets: readonly DocumentDeployTarget[];
}

export interface DocumentDeployTarget {
  /** The document URI, as in `textDocument/didOpen`. */
  readonly uri: string;
  readonly target: DeployTarget | null;
}

/** Where a spec file was last deployed (remembered by the client). A modeline in the spec wins over it. */
export interface DeployTarget {
  readonly connection: string;
  readonly computePool?: string;
  readonly serviceName?: string;
  /**
   * For a gateway spec: the gateway it is deployed as (in `database`/`schema`). When the catalog lists
   * that gateway, the spec is checked as ALTER GATEWAY (MODIFY on the gateway) instead of CREATE
   * GATEWAY (CREATE GATEWAY on the schema). Optional (added within version 1).
   */
  readonly gatewayName?: string;
  /** Database and schema of the service: unqualified secret and stage names resolve against them. */
  readonly database?: string;
  readonly schema?: string;
  /** MIN_INSTANCES / MAX_INSTANCES of the last deploy (block volumes need them equal). */
  readonly minInstances?: number;
  readonly maxInstances?: number;
}
