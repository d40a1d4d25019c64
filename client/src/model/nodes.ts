/**
 * The nodes of the three sidebar trees, as one discriminated union (`kind`), and the references that
 * commands take. A command run from a tree receives the node; run from the palette it receives nothing
 * and asks for the object with a QuickPick. Either way it works on a `*Ref`.
 *
 * `contextValue` convention (package.json `view/item/context` menus match it with regular expressions):
 * the node kind, then `;flag` tokens, e.g. `service;suspendable;job`. Flags:
 * - connection: `signedOut`, `emulator`
 * - pool: `suspendable` | `resumable`
 * - service: `suspendable` | `resumable`, `job`, `blockVolumes`, `drift` (deployed spec ≠ the local file it was deployed from), `unhealthy` (a health warning)
 * - instance: `unhealthy`; container: (none)
 * - endpoint: `public`, `hasUrl`, `nonHttp` (TCP/UDP: no service function can call it)
 * - repository, image, tag: (none)
 * - gateway: `hasUrl` (its ingress host is provisioned)
 * - gatewayTarget: `weighted` (a traffic split's target: "Shift Traffic…" moves its weight)
 *
 * Must not: import `vscode` (views/treeItems.ts turns nodes into TreeItems), hold sessions or promises.
 */

/** A connection name from connections.toml / config.toml (or the local emulator's). */
export type ConnectionName = string;

export interface PoolRef {
  readonly connection: ConnectionName;
  /** Exact name, as SHOW prints it. */
  readonly name: string;
}

export interface ServiceRef {
  readonly connection: ConnectionName;
  readonly database: string;
  readonly schema: string;
  readonly name: string;
}

export interface InstanceRef extends ServiceRef {
  readonly instanceId: string;
}

export interface ContainerRef extends InstanceRef {
  readonly container: string;
}

export interface RepositoryRef {
  readonly connection: ConnectionName;
  readonly database: string;
  readonly schema: string;
  readonly name: string;
}

export type TreeViewId = 'spcs.computePools' | 'spcs.services' | 'spcs.imageRepositories';

export interface ConnectionNode {
  readonly kind: 'connection';
  readonly view: TreeViewId;
  readonly connection: ConnectionName;
  /** Account and user, for the description and tooltip (no secrets). */
  readonly summary: string;
  readonly isDefault: boolean;
  readonly isEmulator: boolean;
  /** A secret is missing and the user has not signed in yet (`spcs.signIn`). */
  readonly signedOut?: boolean;
  /** The role the session runs as (or the connection's configured role), for the description. */
  readonly role?: string;
}

export interface PoolNode extends PoolRef {
  readonly kind: 'pool';
  readonly view: TreeViewId;
  readonly state: string;
  readonly instanceFamily: string;
  readonly minNodes?: number;
  readonly maxNodes?: number;
  readonly activeNodes?: number;
  readonly idleNodes?: number;
  /** GPUs per node of the family, when the family has GPUs. */
  readonly gpusPerNode?: number;
  readonly numServices?: number;
}

export interface SchemaNode {
  readonly kind: 'schema';
  readonly view: TreeViewId;
  readonly connection: ConnectionName;
  readonly database: string;
  readonly schema: string;
}

export interface ServiceNode extends ServiceRef {
  readonly kind: 'service';
  readonly view: TreeViewId;
  readonly status: string;
  readonly computePool: string;
  readonly isJob: boolean;
  readonly currentInstances?: number;
  readonly targetInstances?: number;
  readonly minInstances?: number;
  readonly maxInstances?: number;
  readonly isUpgrading: boolean;
  readonly dnsName?: string;
  readonly hasBlockVolumes: boolean;
  /**
   * Set when this client deployed the service from a local file and the deployed spec and that file
   * no longer say the same (drift/driftMarks.ts); absent when unknown or in sync.
   */
  readonly drift?: ServiceDrift;
  /** Its platform metrics and recent restarts at a glance (monitoring/healthMarks.ts); absent when unknown. */
  readonly health?: NodeHealth;
}

/** A running service's or instance's health, as its tree node shows it. */
export interface NodeHealth {
  /** A few words for the description, e.g. `GPU 87 % · mem 71 %`; absent when there are no samples. */
  readonly summary?: string;
  /** A sentence for the tooltip when something needs attention (memory near its limit, a restart); the node shows a warning icon. */
  readonly warning?: string;
}

/** How a deployed service and the local spec file it was deployed from differ. */
export interface ServiceDrift {
  /** A few words for the description, e.g. `local spec changed`. */
  readonly summary: string;
  /** A sentence for the tooltip. */
  readonly message: string;
  /** The spec file (URI string) the service was deployed from. */
  readonly file: string;
}

export interface InstanceNode extends InstanceRef {
  readonly kind: 'instance';
  readonly view: TreeViewId;
  readonly status: string;
  readonly health?: NodeHealth;
}

export interface ContainerNode extends ContainerRef {
  readonly kind: 'container';
  readonly view: TreeViewId;
  readonly status: string;
  readonly restartCount: number;
  readonly message?: string;
  readonly image?: string;
}

export interface EndpointNode {
  readonly kind: 'endpoint';
  readonly view: TreeViewId;
  readonly service: ServiceRef;
  readonly name: string;
  readonly port?: string;
  readonly protocol: string;
  readonly isPublic: boolean;
  /** The ingress URL (`https://…`) once provisioned; `undefined` for private endpoints and while provisioning. */
  readonly ingressUrl?: string;
  /** What SHOW ENDPOINTS says instead of a URL ("Endpoints provisioning in progress…"). */
  readonly ingressNote?: string;
}

/** The "Endpoints" folder under a service. */
export interface EndpointsFolderNode {
  readonly kind: 'endpoints';
  readonly view: TreeViewId;
  readonly service: ServiceRef;
}

export interface RepositoryNode extends RepositoryRef {
  readonly kind: 'repository';
  readonly view: TreeViewId;
  /** `<org>-<account>.registry.snowflakecomputing.com/db/schema/repo`. */
  readonly repositoryUrl: string;
}

export interface ImageNode {
  readonly kind: 'image';
  readonly view: TreeViewId;
  readonly repository: RepositoryRef;
  readonly repositoryUrl: string;
  /** The image name inside the repository (`echo`, `team/model`). */
  readonly image: string;
}

export interface TagNode {
  readonly kind: 'tag';
  readonly view: TreeViewId;
  readonly repository: RepositoryRef;
  readonly repositoryUrl: string;
  readonly image: string;
  readonly tag: string;
  readonly digest?: string;
  readonly sizeBytes?: number;
  /** ISO 8601. */
  readonly createdOn?: string;
}

export interface GatewayRef {
  readonly connection: ConnectionName;
  readonly database: string;
  readonly schema: string;
  readonly name: string;
}

/** A gateway under its schema in the Services view (SHOW GATEWAYS); its targets are its children. */
export interface GatewayNode extends GatewayRef {
  readonly kind: 'gateway';
  readonly view: TreeViewId;
  /** The ingress URL (`https://…`) once provisioned. */
  readonly ingressUrl?: string;
  /** What SHOW GATEWAYS says instead of a host while it is provisioned. */
  readonly ingressNote?: string;
  readonly comment?: string;
}

/** One endpoint a gateway routes to (DESCRIBE GATEWAY's spec): a traffic split's target, or shadow traffic's primary or shadow. */
export interface GatewayTargetNode {
  readonly kind: 'gatewayTarget';
  readonly view: TreeViewId;
  readonly gateway: GatewayRef;
  /** `traffic_split` or `shadow_traffic` (as the spec writes it). */
  readonly gatewayType: string;
  readonly role: 'target' | 'primary' | 'shadow';
  /** `db.schema.service!endpoint` as the spec writes it. */
  readonly value: string;
  readonly weight?: number;
}

/** Something went wrong while listing `parent`'s children: says what and offers a retry (`spcs.refreshNode` on `parent`). */
export interface ErrorNode {
  readonly kind: 'error';
  readonly view: TreeViewId;
  readonly message: string;
  /** Privilege / network / auth …, from the classified error. */
  readonly cause: string;
  readonly parent?: AccountNode;
  /** The connection must sign in first (the retry then is `spcs.signIn`). */
  readonly signIn?: ConnectionName;
}

/** An informational leaf ("No services", "Showing 500 of 1,204"). */
export interface MessageNode {
  readonly kind: 'message';
  readonly view: TreeViewId;
  readonly message: string;
  readonly parent?: AccountNode;
}

export type AccountNode =
  | ConnectionNode
  | PoolNode
  | SchemaNode
  | ServiceNode
  | InstanceNode
  | ContainerNode
  | EndpointsFolderNode
  | EndpointNode
  | RepositoryNode
  | ImageNode
  | TagNode
  | GatewayNode
  | GatewayTargetNode
  | ErrorNode
  | MessageNode;

export function isNode(value: unknown): value is AccountNode {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string' && typeof (value as { view?: unknown }).view === 'string';
}

/** The service a node belongs to (a service, instance, container or endpoint node), if any. */
export function serviceOf(node: AccountNode): ServiceRef | undefined {
  switch (node.kind) {
    case 'service':
    case 'instance':
    case 'container':
      return { connection: node.connection, database: node.database, schema: node.schema, name: node.name };
    case 'endpoint':
    case 'endpoints':
      return node.service;
    default:
      return undefined;
  }
}
