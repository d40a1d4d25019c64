/**
 * Tells the language server where each open spec will be deployed (`spcs/deployTargets`): the
 * connection, compute pool, service name, database/schema and instance counts remembered for the
 * file (its deploy choices in workspace state, written by a deploy or by `spcs.setDeployTarget`).
 * The server checks the spec against that connection's catalog; a modeline in the spec wins (the
 * server applies that precedence).
 *
 * A gateway spec's target is the gateway it was deployed as (`gatewayName` in its database and
 * schema), so that the server checks it as ALTER GATEWAY (MODIFY) once the gateway exists.
 *
 * Owns: the target derived from remembered choices, and sending it for the documents that need it
 * (when they open, when their choices change, and all of them again after the server restarted).
 * Must not: import `vscode` (the caller says which documents are open and gives the choices).
 */

import { deployTargetsNotification, type DeployTarget, type DeployTargetsParams, type DocumentDeployTarget } from '../../../server/src/lspExtension';
import type { RememberedChoices } from '../specs/deployChoices';
import type { NotifySink } from './catalogSync';

/** The target of remembered choices: null without a connection (the server then uses the default one). */
export function deployTargetOf(choices: RememberedChoices): DeployTarget | null {
  if (choices.connection === undefined) return null;
  return {
    connection: choices.connection,
    ...(choices.pool === undefined ? {} : { computePool: choices.pool }),
    ...(choices.serviceName === undefined ? {} : { serviceName: choices.serviceName }),
    ...(choices.database === undefined ? {} : { database: choices.database }),
    ...(choices.schema === undefined ? {} : { schema: choices.schema }),
    ...(choices.minInstances === undefined ? {} : { minInstances: choices.minInstances }),
    ...(choices.maxInstances === undefined ? {} : { maxInstances: choices.maxInstances }),
  };
}

/** A gateway spec's remembered target: the connection and the gateway's qualified name. */
export interface GatewayTarget {
  readonly connection: string;
  readonly database: string;
  readonly schema: string;
  readonly name: string;
}

/** The target of a gateway spec deployed as `gateway`. */
export function gatewayDeployTargetOf(gateway: GatewayTarget): DeployTarget {
  return { connection: gateway.connection, gatewayName: gateway.name, database: gateway.database, schema: gateway.schema };
}

export interface DeployTargetSyncOptions {
  /** The URIs of the open spec documents (service and gateway specs). */
  readonly openSpecs: () => readonly string[];
  /** A gateway spec's remembered target (the gateways room's); wins over deploy choices for that URI. */
  readonly gatewayTarget?: (specUri: string) => GatewayTarget | undefined;
  /** The remembered choices of a spec (workspace state). */
  readonly choices: (specUri: string) => RememberedChoices;
  readonly notify: NotifySink;
}

export class DeployTargetSync {
  /** What the server was last told per URI (JSON), so that unchanged targets are not sent again. */
  private readonly sent = new Map<string, string>();

  constructor(private readonly options: DeployTargetSyncOptions) {}

  /** Sends the targets of the given specs (those whose target changed, unless `force`). */
  async send(specUris: readonly string[], force = false): Promise<boolean> {
    const targets: DocumentDeployTarget[] = [];
    for (const uri of new Set(specUris)) {
      const gateway = this.options.gatewayTarget?.(uri);
      const target = gateway ? gatewayDeployTargetOf(gateway) : deployTargetOf(this.options.choices(uri));
      const key = JSON.stringify(target);
      if (!force && this.sent.get(uri) === key) continue;
      targets.push({ uri, target });
    }
    if (targets.length === 0) return true;
    const params: DeployTargetsParams = { targets };
    const delivered = await this.options.notify(deployTargetsNotification, params);
    if (delivered) {
      for (const { uri, target } of targets) this.sent.set(uri, JSON.stringify(target));
    }
    return delivered;
  }

  /** Sends the target of every open spec (after a server restart: `force`, it knows none). */
  sendAll(force = false): Promise<boolean> {
    if (force) this.sent.clear();
    return this.send(this.options.openSpecs(), force);
  }

  /** A document closed: the server forgets it too, so send it again when it reopens. */
  closed(specUri: string): void {
    this.sent.delete(specUri);
  }
}
