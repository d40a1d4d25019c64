/**
 * Inspecting a service or pool: describe it as read-only YAML (`describeProvider.ts`), open or copy
 * a public endpoint's URL, copy a service's DNS name (from SHOW or DESCRIBE, else built from the
 * schema's DNS domain). Every command takes the tree node it was run on, or asks from the palette.
 *
 * Owns: the describe documents. Must not: change anything in the account.
 */

import * as vscode from 'vscode';
import type { FeatureContext } from '../model/featureContext';
import type { CommandTable } from '../model/commandIds';
import { snowflakeError } from '../snowflake/errors';
import * as sql from '../snowflake/sql';
import { isNode, serviceOf, type EndpointNode } from '../model/nodes';
import type { DescribeTarget } from './describeDocument';
import { DescribeProvider } from './describeProvider';
import { dnsNameFrom, endpointUrl, isProvisioning } from './endpointLinks';
import { displayServiceName, listEndpoints, listPools, listServices, pickEndpoint, serviceRefOf, type PickItem } from '../ui/pickers';
import { firstCell, LifecycleBase, type ServiceTarget } from './lifecycleTargets';

export class InspectCommands extends LifecycleBase implements vscode.Disposable {
  readonly commands: CommandTable<'spcs.describe' | 'spcs.openEndpoint' | 'spcs.copyEndpointUrl' | 'spcs.copyServiceDnsName'>;
  private readonly describer: DescribeProvider;

  constructor(context: FeatureContext) {
    super(context);
    this.describer = new DescribeProvider(context);
    this.commands = {
      'spcs.describe': (arg) => this.describe(arg),
      'spcs.openEndpoint': (arg) => this.endpoint(arg, 'open'),
      'spcs.copyEndpointUrl': (arg) => this.endpoint(arg, 'copy'),
      'spcs.copyServiceDnsName': (arg) => this.copyDnsName(arg),
    };
  }

  /** Opens the describe document of a node; with a describe document's URI (or one active), refreshes it. */
  private async describe(arg: unknown): Promise<vscode.TextDocument | undefined> {
    const uri = arg instanceof vscode.Uri ? arg : arg === undefined ? vscode.window.activeTextEditor?.document.uri : undefined;
    const existing = uri ? DescribeProvider.targetOf(uri) : undefined;
    if (uri && existing) {
      return this.describer.refresh(uri, existing, { progress: true });
    }
    let target: DescribeTarget | undefined;
    if (isNode(arg) && arg.kind === 'pool') {
      target = { kind: 'pool', connection: arg.connection, name: arg.name };
    } else if (isNode(arg)) {
      const service = serviceOf(arg);
      if (service) target = { kind: 'service', ...serviceRefOf(service) };
    } else if (arg === undefined || arg instanceof vscode.Uri) {
      target = await this.pickDescribeTarget();
    }
    if (!target) {
      if (arg !== undefined && !(arg instanceof vscode.Uri)) void vscode.window.showWarningMessage('SPCS: Describe works on a service or a compute pool.');
      return undefined;
    }
    return this.describer.open(target);
  }

  private async pickDescribeTarget(): Promise<DescribeTarget | undefined> {
    const connection = await this.context.connections.pick({ title: 'Describe' });
    if (!connection) return undefined;
    const options = { timeoutMs: this.context.queryTimeoutMs() };
    const listed = await this.ui.busy(`Listing the services and compute pools of connection "${connection}"…`, () =>
      Promise.all([listServices(this.context.sessions, connection, options), listPools(this.context.sessions, connection, options)]),
    );
    const [services, pools] = listed;
    for (const result of listed) {
      if (!result.ok) {
        this.ui.error(result.error, `Listing the services and compute pools of connection "${connection}"`);
        return undefined;
      }
    }
    const items: PickItem<DescribeTarget>[] = [
      ...(services.ok ? services.value : []).map((service) => ({
        label: service.name,
        description: `service · ${service.status} · ${service.database}.${service.schema}`,
        value: { kind: 'service' as const, ...serviceRefOf(service) },
      })),
      ...(pools.ok ? pools.value : []).map((pool) => ({ label: pool.name, description: `compute pool · ${pool.state}`, value: { kind: 'pool' as const, connection, name: pool.name } })),
    ];
    if (items.length === 0) {
      this.ui.info(`Connection "${connection}" shows no services or compute pools.`);
      return undefined;
    }
    return (await this.ui.pick(items, { title: 'Describe', placeholder: 'Service or compute pool' }))?.value;
  }

  private async endpoint(arg: unknown, action: 'open' | 'copy'): Promise<string | undefined> {
    const title = action === 'open' ? 'Open Endpoint in Browser' : 'Copy Endpoint URL';
    let url: string | undefined;
    if (isNode(arg) && arg.kind === 'endpoint') {
      url = this.urlOfEndpointNode(arg);
    } else {
      const service = await this.resolveService(arg, title);
      if (!service) return undefined;
      url = await this.pickEndpointUrl(service, title);
    }
    if (url === undefined) return undefined;
    if (action === 'open') {
      const opened = await vscode.env.openExternal(vscode.Uri.parse(url, true));
      if (!opened) void vscode.window.showWarningMessage(`Could not open ${url} in the browser.`);
    } else {
      await vscode.env.clipboard.writeText(url);
      void vscode.window.showInformationMessage(`Copied ${url}`);
    }
    return url;
  }

  private urlOfEndpointNode(node: EndpointNode): string | undefined {
    const url = endpointUrl(node.ingressUrl);
    if (url !== undefined) return url;
    if (!node.isPublic) {
      void vscode.window.showWarningMessage(`Endpoint ${node.name} is not public: it is reachable only inside Snowflake, at the service's DNS name.`);
    } else {
      void vscode.window.showInformationMessage(`Endpoint ${node.name} has no URL yet: ${node.ingressNote ?? node.ingressUrl ?? 'Snowflake is still provisioning it'}. Refresh the service in a few minutes.`);
    }
    return undefined;
  }

  private async pickEndpointUrl(service: ServiceTarget, title: string): Promise<string | undefined> {
    const name = displayServiceName(service);
    const listed = await this.ui.busy(`Listing the endpoints of ${name}…`, () => listEndpoints(this.context.sessions, service, { timeoutMs: this.context.queryTimeoutMs() }));
    if (!listed.ok) {
      this.showFailure(`list the endpoints of ${name}`, listed.error);
      return undefined;
    }
    const withUrl = listed.value.filter((endpoint) => endpoint.isPublic && endpointUrl(endpoint.ingressUrl) !== undefined);
    if (withUrl.length === 0) {
      const provisioning = listed.value.find((endpoint) => endpoint.isPublic && isProvisioning(endpoint.ingressUrl));
      void vscode.window.showInformationMessage(
        provisioning
          ? `The public endpoint ${provisioning.name} of ${name} has no URL yet: ${provisioning.ingressUrl ?? ''}`
          : `${name} has no public endpoint (endpoints need 'public: true' in the spec to get a URL).`,
      );
      return undefined;
    }
    const chosen = withUrl.length === 1 ? withUrl[0] : await pickEndpoint(this.ui, withUrl, title);
    return chosen ? endpointUrl(chosen.ingressUrl) : undefined;
  }

  private async copyDnsName(arg: unknown): Promise<string | undefined> {
    const service = await this.resolveService(arg, 'Copy Service DNS Name');
    if (!service) return undefined;
    const name = displayServiceName(service);
    let dnsName = service.node?.dnsName ?? service.listing?.dnsName;
    if (dnsName === undefined) {
      const described = await this.describeService(service, `Reading the DNS name of ${name}…`);
      if (!described.ok) {
        this.showFailure(`read the DNS name of ${name}`, described.error);
        return undefined;
      }
      dnsName = described.value.listing?.dnsName;
    }
    if (dnsName === undefined) {
      // Older accounts may not print dns_name: build it from the schema's DNS domain.
      const domain = await this.execute(service.connection, `SELECT SYSTEM$GET_SERVICE_DNS_DOMAIN(${sql.stringLiteral(`${sql.quoteIdentifier(service.database)}.${sql.quoteIdentifier(service.schema)}`)})`, `Reading the DNS name of ${name}…`);
      const text = domain.ok ? firstCell(domain.value) : undefined;
      if (!domain.ok || text === undefined) {
        this.showFailure(`read the DNS name of ${name}`, domain.ok ? snowflakeError('internal', 'Snowflake returned no DNS domain for the schema.') : domain.error);
        return undefined;
      }
      dnsName = dnsNameFrom(service.name, text);
    }
    await vscode.env.clipboard.writeText(dnsName);
    void vscode.window.showInformationMessage(`Copied ${dnsName} (reachable from other services and jobs in the account).`);
    return dnsName;
  }

  dispose(): void {
    this.describer.dispose();
  }
}
