/**
 * The ids of the commands that live in the lazily loaded features bundle (`features.ts`): the sidebar,
 * deploy, lifecycle, logs and monitoring. `featureLoader.ts` registers each of them at activation with a handler
 * that loads the bundle on first use, so a command from the palette works before the bundle is loaded.
 *
 * Grouped by the room that implements them: each group's factory returns a handler table typed with
 * its group, so the compiler checks that every id here has exactly one implementation. A unit test
 * checks this list (plus the commands `extension.ts` registers itself) against package.json.
 */

/** The trees (views/views.ts). */
export const viewCommandIds = ['spcs.refreshComputePools', 'spcs.refreshServices', 'spcs.refreshImageRepositories', 'spcs.refreshNode'] as const;

/** Connections, sign-in, connections.toml and the local emulator (connections/connectionCommands.ts). */
export const connectionCommandIds = ['spcs.selectConnection', 'spcs.signIn', 'spcs.openConnectionsFile', 'spcs.startEmulator', 'spcs.stopEmulator'] as const;

export const deployCommandIds = ['spcs.deploy', 'spcs.deployWithNewChoices', 'spcs.executeJob'] as const;

export const lifecycleCommandIds = [
  'spcs.suspendService',
  'spcs.resumeService',
  'spcs.dropService',
  'spcs.setServiceInstances',
  'spcs.suspendComputePool',
  'spcs.resumeComputePool',
  'spcs.describe',
  'spcs.openEndpoint',
  'spcs.copyEndpointUrl',
  'spcs.copyServiceDnsName',
] as const;

export const logCommandIds = ['spcs.logs.follow', 'spcs.logs.show', 'spcs.logs.showPrevious', 'spcs.logs.stop'] as const;

/** What a running service does: metrics, events, log history (monitoring/monitoringCommands.ts). */
export const monitoringCommandIds = ['spcs.showMetrics', 'spcs.showEvents', 'spcs.showLogHistory', 'spcs.events.filter', 'spcs.events.setRange', 'spcs.events.refresh', 'spcs.events.showMetrics'] as const;

/** The account catalog behind the account-aware checks, and the deploy target of a spec (catalog/catalogCommands.ts). */
export const catalogCommandIds = ['spcs.setDeployTarget', 'spcs.refreshAccountCatalog', 'spcs.showAccountCheckStatus'] as const;

/** Drift between a deployed service and its spec file (drift/driftCommands.ts). */
export const driftCommandIds = ['spcs.compareWithDeployed'] as const;

/** The privilege preflight (privileges/preflightCommand.ts). */
export const privilegeCommandIds = ['spcs.checkPrivileges'] as const;

/** Service functions (serviceFunctions/serviceFunctionCommand.ts). */
export const serviceFunctionCommandIds = ['spcs.createServiceFunction'] as const;

/** The image registry (imageRegistry/imageRegistryCommands.ts). */
export const imageRegistryCommandIds = ['spcs.copyRegistryLogin', 'spcs.pushImage', 'spcs.copyImagePath', 'spcs.createImageRepository', 'spcs.dropImageRepository'] as const;

/** Compute pool management (pools/poolCommands.ts). */
export const poolCommandIds = ['spcs.createComputePool', 'spcs.editComputePool', 'spcs.stopAllServicesInComputePool', 'spcs.dropComputePool'] as const;

/** Serving: Serve a Model, New Service Spec, Build and Push Image (serving/servingCommands.ts). */
export const servingCommandIds = ['spcs.serveModel', 'spcs.newServiceSpec', 'spcs.buildAndPushImage'] as const;

/** Gateways: deploy a gateway spec, shift traffic, drop, the ingress URL (gateways/gatewayCommands.ts). */
export const gatewayCommandIds = ['spcs.deployGateway', 'spcs.shiftGatewayTraffic', 'spcs.dropGateway', 'spcs.openGatewayUrl', 'spcs.copyGatewayUrl'] as const;

/** Snowflake CLI projects: deploy a snowflake.yml service entity, add a spec to snowflake.yml (projects/projectCommands.ts). */
export const projectCommandIds = ['spcs.deployProjectEntity', 'spcs.addToProjectDefinition'] as const;

export const accountCommandIds = [
  ...viewCommandIds,
  ...connectionCommandIds,
  ...deployCommandIds,
  ...lifecycleCommandIds,
  ...logCommandIds,
  ...monitoringCommandIds,
  ...catalogCommandIds,
  ...driftCommandIds,
  ...privilegeCommandIds,
  ...serviceFunctionCommandIds,
  ...imageRegistryCommandIds,
  ...poolCommandIds,
  ...servingCommandIds,
  ...gatewayCommandIds,
  ...projectCommandIds,
] as const;

export type ViewCommandId = (typeof viewCommandIds)[number];
export type ConnectionCommandId = (typeof connectionCommandIds)[number];
export type DeployCommandId = (typeof deployCommandIds)[number];
export type LifecycleCommandId = (typeof lifecycleCommandIds)[number];
export type LogCommandId = (typeof logCommandIds)[number];
export type MonitoringCommandId = (typeof monitoringCommandIds)[number];
export type CatalogCommandId = (typeof catalogCommandIds)[number];
export type DriftCommandId = (typeof driftCommandIds)[number];
export type PrivilegeCommandId = (typeof privilegeCommandIds)[number];
export type ServiceFunctionCommandId = (typeof serviceFunctionCommandIds)[number];
export type ImageRegistryCommandId = (typeof imageRegistryCommandIds)[number];
export type PoolCommandId = (typeof poolCommandIds)[number];
export type ServingCommandId = (typeof servingCommandIds)[number];
export type GatewayCommandId = (typeof gatewayCommandIds)[number];
export type ProjectCommandId = (typeof projectCommandIds)[number];
export type AccountCommandId = (typeof accountCommandIds)[number];

/** Commands that change the account or run code in it: refused in an untrusted workspace, with an explanation. */
export const trustedOnlyCommandIds: ReadonlySet<AccountCommandId> = new Set<AccountCommandId>([
  'spcs.deploy',
  'spcs.deployWithNewChoices',
  'spcs.executeJob',
  'spcs.suspendService',
  'spcs.resumeService',
  'spcs.dropService',
  'spcs.setServiceInstances',
  'spcs.suspendComputePool',
  'spcs.resumeComputePool',
  'spcs.startEmulator',
  'spcs.createServiceFunction',
  'spcs.pushImage',
  'spcs.createImageRepository',
  'spcs.dropImageRepository',
  'spcs.createComputePool',
  'spcs.editComputePool',
  'spcs.stopAllServicesInComputePool',
  'spcs.dropComputePool',
  'spcs.serveModel',
  'spcs.newServiceSpec',
  'spcs.buildAndPushImage',
  'spcs.deployGateway',
  'spcs.shiftGatewayTraffic',
  'spcs.dropGateway',
  'spcs.deployProjectEntity',
]);

/** A command handler: tree commands receive the clicked node (and the selection), palette commands nothing. */
export type CommandHandler = (...args: unknown[]) => unknown;

export type CommandTable<Id extends string> = Readonly<Record<Id, CommandHandler>>;

export const viewIds = ['spcs.computePools', 'spcs.services', 'spcs.imageRepositories'] as const;

/** Views a room creates itself when first used (not at activation): the Events view (monitoring/eventsView.ts). */
export const roomViewIds = ['spcs.events'] as const;
export type ViewId = (typeof viewIds)[number];
