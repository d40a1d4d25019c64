/**
 * The children of a tree node, whatever happens: the connections at the root, then one level of
 * account objects per call (accountData.ts). Failures become an error node that names the cause
 * and retries its parent; a connection whose secret is missing gets a "Sign in" node instead of a
 * dialog; empty levels get a message node.
 *
 * Must not: import `vscode` at run time, cache (the provider does), throw, or prompt (queries run
 * through `withoutPrompts`).
 */

import type { SnowflakeError } from '../snowflake/errors';
import type { LoadedConnections } from '../snowflake/config';
import type { Result } from '../snowflake/result';
import { isEmulatorConnection } from '../connections/emulatorConnection';
import { connectionSummary } from '../connections/connectionList';
import * as data from '../listings/accountData';
import type { AccountNode, ConnectionName, ConnectionNode, ErrorNode, MessageNode, TreeViewId } from '../model/nodes';
import { causeLabel } from './presentation';

export interface LoaderDependencies {
  readonly sessions: data.QuerySessions;
  readonly connections: () => Result<LoadedConnections>;
  readonly role?: (name: ConnectionName) => string | undefined;
  readonly needsSignIn?: (name: ConnectionName) => boolean;
  readonly withoutPrompts?: <T>(work: () => Promise<T>) => Promise<T>;
  readonly timeoutMs: () => number;
}

export function connectionNodes(view: TreeViewId, loaded: LoadedConnections, deps: Pick<LoaderDependencies, 'role' | 'needsSignIn'> = {}): ConnectionNode[] {
  return loaded.connections.map((connection) => {
    const role = deps.role?.(connection.name);
    return {
      kind: 'connection',
      view,
      connection: connection.name,
      summary: connectionSummary(connection),
      isDefault: connection.name === loaded.defaultName,
      isEmulator: isEmulatorConnection(connection),
      ...(deps.needsSignIn?.(connection.name) ? { signedOut: true } : {}),
      ...(role === undefined ? {} : { role }),
    };
  });
}

export function errorNode(view: TreeViewId, parent: AccountNode | undefined, error: SnowflakeError, signIn?: ConnectionName): ErrorNode {
  return {
    kind: 'error',
    view,
    message: error.message,
    cause: causeLabel(error.kind),
    ...(parent === undefined ? {} : { parent }),
    ...(signIn === undefined ? {} : { signIn }),
  };
}

function message(view: TreeViewId, parent: AccountNode, text: string): MessageNode {
  return { kind: 'message', view, message: text, parent };
}

function connectionOf(node: AccountNode): ConnectionName | undefined {
  switch (node.kind) {
    case 'connection':
    case 'pool':
    case 'schema':
    case 'service':
    case 'instance':
    case 'container':
    case 'repository':
    case 'gateway':
      return node.connection;
    case 'gatewayTarget':
      return node.gateway.connection;
    case 'endpoints':
    case 'endpoint':
      return node.service.connection;
    case 'image':
    case 'tag':
      return node.repository.connection;
    default:
      return undefined;
  }
}

export async function loadChildren(deps: LoaderDependencies, view: TreeViewId, node: AccountNode | undefined, signal?: AbortSignal): Promise<AccountNode[]> {
  if (node === undefined) {
    const loaded = deps.connections();
    if (!loaded.ok) return [errorNode(view, undefined, loaded.error)];
    return connectionNodes(view, loaded.value, deps);
  }
  const connection = connectionOf(node);
  if (connection !== undefined && deps.needsSignIn?.(connection)) {
    return [signInNode(view, node, connection)];
  }
  const options: data.QueryOptions = { timeoutMs: deps.timeoutMs(), ...(signal ? { signal } : {}) };
  const run = deps.withoutPrompts ?? (<T>(work: () => Promise<T>) => work());
  const listed = await run(() => listLevel(deps.sessions, view, node, options));
  if (listed === undefined) return [];
  if (listed.ok) return listed.value;
  if (connection !== undefined && listed.error.kind === 'auth' && deps.needsSignIn?.(connection)) {
    return [signInNode(view, node, connection)];
  }
  return [errorNode(view, node, listed.error)];
}

function signInNode(view: TreeViewId, parent: AccountNode, connection: ConnectionName): ErrorNode {
  return {
    kind: 'error',
    view,
    message: `Connection "${connection}" needs a secret that is not stored yet.`,
    cause: 'signed out',
    parent,
    signIn: connection,
  };
}

type Level = Result<AccountNode[]>;

async function listLevel(sessions: data.QuerySessions, view: TreeViewId, node: AccountNode, options: data.QueryOptions): Promise<Level | undefined> {
  const orMessage = (result: Result<AccountNode[]>, empty: string): Level => (result.ok && result.value.length === 0 ? { ok: true, value: [message(view, node, empty)] } : result);
  switch (node.kind) {
    case 'connection':
      if (view === 'spcs.computePools') return orMessage(await data.listPools(sessions, view, node.connection, options), 'No compute pools');
      if (view === 'spcs.services') return orMessage(await data.listSchemas(sessions, view, node.connection, options), 'No services or gateways');
      return orMessage(await data.listRepositories(sessions, view, node.connection, options), 'No image repositories');
    case 'pool':
      return orMessage(await data.listServicesOfPool(sessions, view, node, options), 'No services in this pool');
    case 'schema': {
      // Services, then the schema's gateways (a failed gateway listing shows as an error node after the services).
      const [services, gateways] = await Promise.all([data.listServicesOfSchema(sessions, view, node, options), data.listGatewaysOfSchema(sessions, view, node, options)]);
      if (!services.ok) return services;
      const children: AccountNode[] = [...services.value, ...(gateways.ok ? gateways.value : [errorNode(view, node, gateways.error)])];
      return orMessage({ ok: true, value: children }, 'No services or gateways');
    }
    case 'gateway':
      return orMessage(await data.listGatewayTargets(sessions, view, node, options), 'No targets (DESCRIBE GATEWAY shows no spec)');
    case 'service': {
      const instances = await data.listInstances(sessions, view, node, options);
      const folder: AccountNode = { kind: 'endpoints', view, service: { connection: node.connection, database: node.database, schema: node.schema, name: node.name } };
      if (!instances.ok) return { ok: true, value: [errorNode(view, node, instances.error), folder] };
      const none = node.isJob ? `No instances (job ${node.status})` : `No instances (${node.status})`;
      return { ok: true, value: [...(instances.value.length === 0 ? [message(view, node, none)] : instances.value), folder] };
    }
    case 'instance':
      return orMessage(await data.listContainers(sessions, view, node, options), 'No containers');
    case 'endpoints':
      return orMessage(await data.listEndpoints(sessions, view, node.service, options), 'No endpoints');
    case 'repository':
      return orMessage(await data.listImages(sessions, view, node, options), 'No images');
    case 'image':
      return orMessage(await data.listTags(sessions, view, node, options), 'No tags');
    default:
      return undefined;
  }
}
