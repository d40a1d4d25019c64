/**
 * What the gateway commands share: the gateway a command acts on (a tree node, a reference, or, from
 * the palette, one picked from SHOW GATEWAYS IN ACCOUNT), running one statement under a cancellable
 * progress notification with the query timeout, the role the connection runs as (for the GRANTs of
 * a failure), the read-only documents of the diffs, and the one way a failure is told (logged, then a
 * notification naming the cause, with "Copy GRANT" when a privilege is missing).
 *
 * Must not: decide anything (`gatewayPlan.ts` does).
 */

import * as vscode from 'vscode';
import { describeGatewayRow, gatewayFromRow, gatewayName } from '../listings/accountData';
import { gatewayRow, type GatewayRow } from '../listings/rows';
import type { FeatureContext } from '../model/featureContext';
import { isNode, type GatewayNode, type GatewayRef } from '../model/nodes';
import { cellText } from '../snowflake/cells';
import { snowflakeError, type SnowflakeError } from '../snowflake/errors';
import { ok, type Result } from '../snowflake/result';
import type { ResultSet } from '../snowflake/session';
import * as sql from '../snowflake/sql';
import { ReadOnlyDocuments } from '../ui/readOnlyDocuments';
import { gatewayFailure } from './gatewayPlan';
import type { SpecDiff } from '../specs/specDiff';

export const gatewaySpecScheme = 'spcs-gateway';

export class GatewayTools implements vscode.Disposable {
  readonly documents = new ReadOnlyDocuments(gatewaySpecScheme, '# This gateway spec is no longer kept; run the command again to see the diff.\n');
  private readonly registration: vscode.Disposable;

  constructor(readonly context: FeatureContext) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(gatewaySpecScheme, this.documents);
  }

  /** The gateway of a tree node (a gateway or one of its targets) or reference; from the palette, one picked from the account. */
  async resolveGateway(arg: unknown, title: string): Promise<(GatewayRef & { readonly node?: GatewayNode }) | undefined> {
    if (isNode(arg) && arg.kind === 'gateway') return { connection: arg.connection, database: arg.database, schema: arg.schema, name: arg.name, node: arg };
    if (isNode(arg) && arg.kind === 'gatewayTarget') return arg.gateway;
    if (isGatewayRef(arg)) return arg;
    const connection = await this.context.connections.pick({ title });
    if (connection === undefined) return undefined;
    const listed = await this.run(connection, sql.showGateways({ in: { account: true } }), `Listing the gateways of ${connection}…`);
    if (!listed.ok) {
      this.showFailure(`list the gateways of ${connection}`, listed.error);
      return undefined;
    }
    const gateways = listed.value.rows.map((row) => gatewayFromRow('spcs.services', connection, gatewayRow(row)));
    if (gateways.length === 0) {
      void vscode.window.showInformationMessage(`The role of ${connection} sees no gateways. Deploy a gateway spec (a *.gateway.yaml file) first.`);
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      gateways.map((gateway) => ({ label: gateway.name, description: `${gateway.database}.${gateway.schema}`, detail: gateway.ingressUrl, gateway })),
      { title, placeHolder: 'Choose a gateway', ignoreFocusOut: true },
    );
    return picked?.gateway;
  }

  /** DESCRIBE GATEWAY (undefined when it does not exist), under a progress notification. */
  async describe(gateway: GatewayRef): Promise<Result<GatewayRow | undefined>> {
    const described = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading gateway ${gateway.name}…` }, () =>
      describeGatewayRow(this.context.sessions, gateway, { timeoutMs: this.context.queryTimeoutMs() }),
    );
    if (!described.ok && described.error.kind === 'notFound') return ok(undefined);
    return described;
  }

  /** Runs one statement under a cancellable progress notification. */
  async run(connection: string, statement: string, title: string): Promise<Result<ResultSet>> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        return await this.context.sessions.execute(connection, statement, { timeoutMs: this.context.queryTimeoutMs(), signal: controller.signal });
      } finally {
        subscription.dispose();
      }
    });
  }

  /** The role the connection's session runs as (CURRENT_ROLE()), for the GRANTs a failure names. */
  async role(connection: string): Promise<string | undefined> {
    const result = await this.context.sessions.execute(connection, 'SELECT CURRENT_ROLE() AS ROLE', { timeoutMs: this.context.queryTimeoutMs() });
    return result.ok ? (cellText(result.value.rows[0]?.['ROLE']) ?? this.context.connections.role(connection)) : this.context.connections.role(connection);
  }

  /** Opens the diff of a deployed gateway spec and the one about to be sent. */
  async showDiff(name: string, diff: SpecDiff, rightLabel: string): Promise<void> {
    const left = this.documents.add(`${name} (deployed).gateway.yaml`, diff.deployed);
    const right = this.documents.add(`${name} (${rightLabel}).gateway.yaml`, diff.local);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${name}: deployed ↔ ${rightLabel}`, { preview: true });
  }

  /** Tells a failed gateway statement: what, the cause, and the GRANT to copy when a privilege is missing. */
  async showGatewayFailure(action: string, error: SnowflakeError, gateway: GatewayRef): Promise<string> {
    const role = error.kind === 'privilege' ? await this.role(gateway.connection) : undefined;
    const words = gatewayFailure(action, error, { name: gatewayName(gateway), ...(role === undefined ? {} : { role }) });
    this.context.log.error(`${action}: ${error.kind}: ${error.detail ?? error.message}`);
    const buttons = words.grants.length > 0 ? ['Copy GRANT'] : [];
    void vscode.window.showErrorMessage(words.message, ...buttons).then(async (choice) => {
      if (choice === 'Copy GRANT') await vscode.env.clipboard.writeText(words.grants.map((grant) => `${grant};`).join('\n'));
    });
    return words.message;
  }

  showFailure(action: string, error: SnowflakeError): void {
    this.context.log.error(`${action}: ${error.kind}: ${error.detail ?? error.message}`);
    void vscode.window.showErrorMessage(`Could not ${action}. ${error.message}`);
  }

  /** The trees refresh the connection (its schemas list gateways). */
  changed(connection: string): void {
    this.context.changed({ scope: 'connection', connection });
  }

  dispose(): void {
    this.registration.dispose();
    this.documents.dispose();
  }
}

function isGatewayRef(value: unknown): value is GatewayRef {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return ['connection', 'database', 'schema', 'name'].every((key) => typeof record[key] === 'string');
}

/** An error for a gateway that DESCRIBE does not show (dropped meanwhile). */
export function gatewayGone(gateway: GatewayRef): SnowflakeError {
  return snowflakeError('notFound', `Gateway ${sql.objectName(gatewayName(gateway))} does not exist (any more) or the role cannot see it.`);
}
