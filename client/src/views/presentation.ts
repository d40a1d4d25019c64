/**
 * How a tree node looks: label, description, markdown tooltip, codicon, `contextValue` (the
 * convention of model/nodes.ts that the package.json menus match), collapsible state and the command
 * a click runs, plus the node's stable id (view + connection + path) so expansion survives refreshes.
 *
 * Descriptions are short, the one fact that matters first: the side bar at its default width shows a
 * dozen characters after a pool's or a service's name, so a description says the state (and a pool's
 * GPUs, a service's instance count, a container's restarts) and everything else (instance family,
 * nodes, schema, account and user, digests, URLs) is in the tooltip. Descriptions are plain text;
 * tooltips are markdown (the `markdown` tag marks them, see ../markdown.ts).
 *
 * Pure and cheap (a schema with thousands of services renders in milliseconds): no `vscode` import;
 * views/treeItems.ts turns a `NodePresentation` into a `vscode.TreeItem`.
 *
 * Over 400 lines on purpose: how every kind of node looks, one table read best whole.
 */

import { markdown } from '../ui/markdown';
import { presentGateway, presentGatewayTarget } from './gatewayPresentation';
import { contextValue, escapeMarkdown, icon, rows, type NodeCommand, type NodePresentation } from './presentationParts';

export { escapeMarkdown } from './presentationParts';
import { imagePath, isHttpProtocol } from '../listings/accountData';
import type { AccountNode, ConnectionNode, ContainerNode, EndpointNode, ErrorNode, NodeHealth, PoolNode, ServiceNode, TagNode } from '../model/nodes';

export type { Collapsible, NodeCommand, NodeIcon, NodePresentation } from './presentationParts';

const green = 'charts.green';
const yellow = 'charts.yellow';
const red = 'charts.red';
const grey = 'disabledForeground';
/** Drift gets a colour no service state uses, so it stands out from RUNNING/FAILED. */
const driftColor = 'charts.orange';
const warningColor = 'list.warningForeground';

/** The health warning's line in a tooltip (markdown), or nothing. */
function healthWarning(health: NodeHealth | undefined): string {
  return health?.warning === undefined ? '' : `  \n$(warning) ${escapeMarkdown(health.warning)} Run "Show Metrics" or "Show Events" to see more.`;
}

/** Pool states in which ALTER COMPUTE POOL … SUSPEND makes sense. */
const suspendablePoolStates: ReadonlySet<string> = new Set(['ACTIVE', 'IDLE', 'STARTING', 'RESIZING']);
const resumablePoolStates: ReadonlySet<string> = new Set(['SUSPENDED', 'STOPPING']);
const resumableServiceStates: ReadonlySet<string> = new Set(['SUSPENDED', 'SUSPENDING']);
const goneServiceStates: ReadonlySet<string> = new Set(['DELETING', 'DELETED']);
const jobEndStates: ReadonlySet<string> = new Set(['DONE', 'FAILED', 'CANCELLED', 'INTERNAL_ERROR']);

export function stateColor(state: string): string | undefined {
  switch (state.toUpperCase()) {
    case 'ACTIVE':
    case 'RUNNING':
    case 'READY':
    case 'DONE':
    case 'IDLE':
      return green;
    case 'STARTING':
    case 'PENDING':
    case 'RESIZING':
    case 'SUSPENDING':
    case 'STOPPING':
    case 'UPGRADING':
    case 'DELETING':
      return yellow;
    case 'FAILED':
    case 'INTERNAL_ERROR':
    case 'CANCELLED':
      return red;
    case 'SUSPENDED':
    case 'DELETED':
      return grey;
    default:
      return undefined;
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : 1)} ${units[unit] ?? 'B'}`;
}

function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.includes(':') ? digest.split(':', 2) : ['', digest];
  return `${algorithm ? `${algorithm}:` : ''}${(hex ?? '').slice(0, 12)}`;
}

function shortDate(iso: string): string {
  return iso.replace('T', ' ').replace(/:\d{2}(\.\d+)?Z$/, ' UTC');
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------------------------
// Ids

/** A stable id: view, connection and the node's path, so VS Code keeps expansion across refreshes. */
export function nodeId(node: AccountNode): string {
  const escape = (part: string): string => part.replace(/[\\/]/g, (char) => `\\${char}`);
  const join = (...parts: string[]): string => parts.map(escape).join('/');
  switch (node.kind) {
    case 'connection':
      return join(node.view, node.connection);
    case 'pool':
      return join(node.view, node.connection, 'pool', node.name);
    case 'schema':
      return join(node.view, node.connection, 'schema', node.database, node.schema);
    case 'service':
      return serviceId(node.view, node);
    case 'instance':
      return `${serviceId(node.view, node)}/${join('instance', node.instanceId)}`;
    case 'container':
      return `${serviceId(node.view, node)}/${join('instance', node.instanceId, 'container', node.container)}`;
    case 'endpoints':
      return `${serviceId(node.view, node.service)}/endpoints`;
    case 'endpoint':
      return `${serviceId(node.view, node.service)}/${join('endpoints', node.name)}`;
    case 'repository':
      return join(node.view, node.connection, 'repository', node.database, node.schema, node.name);
    case 'image':
      return `${join(node.view, node.repository.connection, 'repository', node.repository.database, node.repository.schema, node.repository.name)}/${join('image', node.image)}`;
    case 'tag':
      return `${join(node.view, node.repository.connection, 'repository', node.repository.database, node.repository.schema, node.repository.name)}/${join('image', node.image, 'tag', node.tag)}`;
    case 'gateway':
      return gatewayId(node.view, node);
    case 'gatewayTarget':
      return `${gatewayId(node.view, node.gateway)}/${join(node.role, node.value)}`;
    case 'error':
      return `${node.parent ? nodeId(node.parent) : node.view}/#error`;
    case 'message':
      return `${node.parent ? nodeId(node.parent) : node.view}/#message/${escape(node.message)}`;
  }
}

function gatewayId(view: string, gateway: { readonly connection: string; readonly database: string; readonly schema: string; readonly name: string }): string {
  const escape = (part: string): string => part.replace(/[\\/]/g, (char) => `\\${char}`);
  return [view, gateway.connection, 'gateway', gateway.database, gateway.schema, gateway.name].map(escape).join('/');
}

/**
 * The id of a service, under which its instances and endpoints hang. Not nested under the pool or
 * schema id: a service appears exactly once per view, and its children carry only a `ServiceRef`.
 */
function serviceId(view: string, service: { readonly connection: string; readonly database: string; readonly schema: string; readonly name: string }): string {
  const escape = (part: string): string => part.replace(/[\\/]/g, (char) => `\\${char}`);
  return [view, service.connection, 'service', service.database, service.schema, service.name].map(escape).join('/');
}

// ---------------------------------------------------------------------------------------------
// Presentation per kind

export function present(node: AccountNode): NodePresentation {
  switch (node.kind) {
    case 'connection':
      return presentConnection(node);
    case 'pool':
      return presentPool(node);
    case 'schema':
      return {
        id: nodeId(node),
        label: `${node.database}.${node.schema}`,
        tooltip: markdown`**Schema** ${escapeMarkdown(`${node.database}.${node.schema}`)}  \nConnection: \`${node.connection}\``,
        icon: icon('symbol-namespace'),
        contextValue: 'schema',
        collapsible: 'collapsed',
      };
    case 'service':
      return presentService(node);
    case 'instance':
      return {
        id: nodeId(node),
        label: `Instance ${node.instanceId}`,
        description: describe([node.status, node.health?.summary]),
        tooltip: `**Instance ${escapeMarkdown(node.instanceId)}** of ${escapeMarkdown(node.name)}  \n${rows([['Status', node.status], ['Health', node.health?.summary]])}${healthWarning(node.health)}`,
        icon: node.health?.warning === undefined ? icon('vm', stateColor(node.status)) : icon('warning', warningColor),
        contextValue: contextValue('instance', [node.health?.warning !== undefined && 'unhealthy']),
        collapsible: 'collapsed',
      };
    case 'container':
      return presentContainer(node);
    case 'endpoints':
      return {
        id: nodeId(node),
        label: 'Endpoints',
        tooltip: `Endpoints of ${escapeMarkdown(node.service.name)}`,
        icon: icon('plug'),
        contextValue: 'endpoints',
        collapsible: 'collapsed',
      };
    case 'endpoint':
      return presentEndpoint(node);
    case 'repository':
      return {
        id: nodeId(node),
        label: node.name,
        description: `${node.database}.${node.schema}`,
        tooltip: `**Image repository** ${escapeMarkdown(`${node.database}.${node.schema}.${node.name}`)}  \n${rows([['URL', node.repositoryUrl], ['Connection', node.connection]])}`,
        icon: icon('repo'),
        contextValue: 'repository',
        collapsible: 'collapsed',
      };
    case 'image':
      return {
        id: nodeId(node),
        label: node.image,
        tooltip: `**Image** ${escapeMarkdown(node.image)}  \n${rows([['Path', imagePath(node.repositoryUrl, node.image)]])}`,
        icon: icon('package'),
        contextValue: 'image',
        collapsible: 'collapsed',
      };
    case 'tag':
      return presentTag(node);
    case 'gateway':
      return presentGateway(node, nodeId(node));
    case 'gatewayTarget':
      return presentGatewayTarget(node, nodeId(node));
    case 'error':
      return presentError(node);
    case 'message':
      return { id: nodeId(node), label: node.message, tooltip: escapeMarkdown(node.message), icon: icon('info'), contextValue: 'message', collapsible: 'none' };
  }
}

/** Only the parts that are there, in order, as one short description. */
function describe(parts: readonly (string | false | undefined)[]): string {
  return parts.filter((part): part is string => typeof part === 'string' && part !== '').join(' · ');
}

function presentConnection(node: ConnectionNode): NodePresentation {
  return {
    id: nodeId(node),
    label: node.connection,
    // Signed out first (nothing below works until then), then the role the trees are read as.
    description: describe([node.signedOut && 'signed out', node.role, node.isDefault && 'default']),
    tooltip: `**Connection** ${escapeMarkdown(node.connection)}${node.isDefault ? ' (default)' : ''}${node.isEmulator ? ', the local emulator' : ''}  \n${rows([['Account / user', node.summary], ['Role', node.role]])}${node.signedOut ? '  \nSign in to list its objects.' : ''}`,
    icon: icon(node.isEmulator ? 'vm-running' : 'database', node.signedOut ? grey : undefined),
    contextValue: contextValue('connection', [node.signedOut && 'signedOut', node.isEmulator && 'emulator']),
    collapsible: node.isDefault ? 'expanded' : 'collapsed',
  };
}

function poolNodes(node: PoolNode): string | undefined {
  if (node.activeNodes === undefined && node.idleNodes === undefined && node.maxNodes === undefined) return undefined;
  return `${node.activeNodes ?? 0} active / ${node.idleNodes ?? 0} idle / max ${node.maxNodes ?? '?'}`;
}

function presentPool(node: PoolNode): NodePresentation {
  const state = node.state.toUpperCase();
  return {
    id: nodeId(node),
    label: node.name,
    // What decides where a spec can go: the state, and for GPU families the GPUs of a node.
    description: describe([node.state, node.gpusPerNode !== undefined && `${node.gpusPerNode} GPU`]),
    tooltip: `**Compute pool** ${escapeMarkdown(node.name)}  \n${rows([
      ['State', node.state],
      ['Instance family', node.instanceFamily],
      ['GPUs per node', node.gpusPerNode],
      ['Nodes', poolNodes(node)],
      ['Nodes (min–max)', node.minNodes === undefined ? undefined : `${node.minNodes}–${node.maxNodes ?? '?'}`],
      ['Services', node.numServices],
    ])}`,
    icon: icon(node.gpusPerNode === undefined ? 'server' : 'circuit-board', stateColor(node.state)),
    contextValue: contextValue('pool', [suspendablePoolStates.has(state) && 'suspendable', resumablePoolStates.has(state) && 'resumable']),
    collapsible: 'collapsed',
  };
}

function presentService(node: ServiceNode): NodePresentation {
  const status = node.status.toUpperCase();
  const instances =
    node.isJob || (node.currentInstances === undefined && node.targetInstances === undefined) ? undefined : `${node.currentInstances ?? '?'}/${node.targetInstances ?? '?'}`;
  // The status first, then how many instances run of how many wanted, then what is unusual (an
  // upgrade, a drift); the schema, pool and DNS name are in the tooltip. A job service shows its
  // state alone: its icon and tooltip say it is a job.
  const description = describe([node.status, instances, node.isUpgrading && 'upgrading', node.drift?.summary, node.health?.summary]);
  const suspendable = !node.isJob && !resumableServiceStates.has(status) && !goneServiceStates.has(status);
  const resumable = !node.isJob && resumableServiceStates.has(status);
  const finished = node.isJob && jobEndStates.has(status);
  return {
    id: nodeId(node),
    label: node.name,
    description,
    tooltip: `**${node.isJob ? 'Job service' : 'Service'}** ${escapeMarkdown(`${node.database}.${node.schema}.${node.name}`)}  \n${rows([
      ['Status', node.status + (finished ? ' (finished)' : '')],
      ['Compute pool', node.computePool],
      ['Instances (current/target)', instances],
      ['Min/max instances', node.minInstances === undefined ? undefined : `${node.minInstances}/${node.maxInstances ?? '?'}`],
      ['Upgrading', node.isUpgrading ? 'yes' : undefined],
      ['DNS name', node.dnsName],
      ['Health', node.health?.summary],
    ])}${node.drift === undefined ? '' : `  \n$(diff) ${escapeMarkdown(node.drift.message)} Run "Compare with Deployed" to see the difference.`}${healthWarning(node.health)}`,
    icon:
      node.health?.warning !== undefined
        ? icon('warning', warningColor)
        : icon(node.isJob ? 'run-all' : node.isUpgrading ? 'sync' : 'symbol-method', node.drift !== undefined ? driftColor : stateColor(node.isUpgrading ? 'UPGRADING' : node.status)),
    contextValue: contextValue('service', [
      suspendable && 'suspendable',
      resumable && 'resumable',
      node.isJob && 'job',
      node.hasBlockVolumes && 'blockVolumes',
      node.drift !== undefined && 'drift',
      node.health?.warning !== undefined && 'unhealthy',
    ]),
    collapsible: 'collapsed',
  };
}

function presentContainer(node: ContainerNode): NodePresentation {
  const restarts = node.restartCount > 0 ? plural(node.restartCount, 'restart') : undefined;
  return {
    id: nodeId(node),
    label: node.container,
    // The container's message (why it is not running) can be long: it is in the tooltip.
    description: describe([node.status, restarts]),
    tooltip: `**Container** ${escapeMarkdown(node.container)} (instance ${escapeMarkdown(node.instanceId)})  \n${rows([
      ['Status', node.status],
      ['Restarts', node.restartCount],
      ['Message', node.message],
      ['Image', node.image],
    ])}`,
    icon: icon('package', stateColor(node.status)),
    contextValue: 'container',
    collapsible: 'none',
  };
}

function presentEndpoint(node: EndpointNode): NodePresentation {
  const port = node.port === undefined ? '' : ` :${node.port}`;
  return {
    id: nodeId(node),
    label: node.name,
    // The ingress URL is long: it is in the tooltip, and Open Endpoint in Browser / Copy Endpoint URL use it.
    description: describe([node.isPublic ? 'public' : 'private', `${node.protocol}${port}`, node.isPublic && node.ingressUrl === undefined && 'provisioning']),
    tooltip: `**Endpoint** ${escapeMarkdown(node.name)}  \n${rows([
      ['Protocol', node.protocol],
      ['Port', node.port],
      ['Public', node.isPublic ? 'yes' : 'no'],
      ['Ingress URL', node.ingressUrl],
      ['Ingress', node.ingressUrl === undefined ? node.ingressNote : undefined],
    ])}`,
    icon: icon(node.isPublic ? 'globe' : 'lock'),
    contextValue: contextValue('endpoint', [node.isPublic && 'public', node.ingressUrl !== undefined && 'hasUrl', !isHttpProtocol(node.protocol) && 'nonHttp']),
    collapsible: 'none',
  };
}

function presentTag(node: TagNode): NodePresentation {
  const path = imagePath(node.repositoryUrl, node.image, node.tag);
  return {
    id: nodeId(node),
    label: node.tag,
    // When it was pushed tells the tags apart; the digest, size and full time are in the tooltip.
    description: describe([node.createdOn !== undefined && node.createdOn.slice(0, 10), node.digest !== undefined && shortDigest(node.digest)]),
    tooltip: `**${escapeMarkdown(`${node.image}:${node.tag}`)}**  \n${rows([['Path', path], ['Digest', node.digest], ['Size', node.sizeBytes === undefined ? undefined : formatBytes(node.sizeBytes)], ['Pushed', node.createdOn === undefined ? undefined : shortDate(node.createdOn)]])}`,
    icon: icon('tag'),
    contextValue: 'tag',
    collapsible: 'none',
  };
}

function presentError(node: ErrorNode): NodePresentation {
  const command: NodeCommand | undefined =
    node.signIn !== undefined
      ? { command: 'spcs.signIn', title: 'Sign In', arguments: [node.signIn] }
      : // Without a parent (the connection files could not be read) the retry re-reads the files.
        { command: 'spcs.refreshNode', title: 'Retry', arguments: [node.parent ?? node] };
  return {
    id: nodeId(node),
    label: node.signIn !== undefined ? 'Sign in to list the objects' : node.message,
    description: node.signIn !== undefined ? node.message : `${node.cause} · click to retry`,
    tooltip: `**${escapeMarkdown(node.cause)}**: ${escapeMarkdown(node.message)}  \n${node.signIn !== undefined ? 'Click to sign in.' : 'Click to retry.'}`,
    icon: icon(node.signIn !== undefined ? 'sign-in' : 'error', node.signIn !== undefined ? undefined : 'errorForeground'),
    contextValue: contextValue('error', [node.signIn !== undefined && 'signIn']),
    collapsible: 'none',
    ...(command ? { command } : {}),
  };
}

/** Human wording of a classified error kind, for error nodes. */
export function causeLabel(kind: string): string {
  switch (kind) {
    case 'privilege':
      return 'missing privilege';
    case 'network':
      return 'network';
    case 'auth':
      return 'authentication';
    case 'notFound':
      return 'not found or not authorized';
    case 'timeout':
      return 'timed out';
    case 'cancelled':
      return 'cancelled';
    case 'config':
      return 'connection settings';
    case 'sql':
      return 'SQL error';
    default:
      return 'internal error';
  }
}
