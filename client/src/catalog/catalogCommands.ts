/**
 * The account-aware checks, from the client's side: the language server's account catalogs kept in
 * step (`catalog/catalogSync.ts`), the deploy target of each open spec sent to it
 * (`catalog/deployTargetSync.ts`), and the commands:
 * - `spcs.setDeployTarget(uri?, target?)` (the code lens above `spec:`): picks the connection, the
 *   compute pool and optionally the service name, and remembers them as the file's (partial) deploy
 *   choices, so the checks use them and the next `spcs.deploy` starts from them. `target`
 *   (`{ connection, pool, serviceName? }`) answers every question (keybindings, scripts, tests).
 * - `spcs.refreshAccountCatalog(connection?)`: reads the catalogs again (window progress) and sends
 *   them; resolves to the account-check status of each connection.
 * - `spcs.showAccountCheckStatus`: a QuickPick with each connection's catalog state, age, counts and
 *   problems, and a refresh action; resolves at once to the same status list (the picker stays open).
 *
 * Owns: the wiring of those parts to VS Code events (connections, account changes, documents,
 * remembered choices, a language server restart) and their lifetimes. Must not: block an editor
 * feature on the network, or ask for a password from a background refresh.
 */

import * as vscode from 'vscode';
import { specLanguageId, type DeployTarget } from '../../../server/src/lspExtension';
import { parseModeline } from '../../../server/src/service';
import type { AccountChange, FeatureContext } from '../model/featureContext';
import type { CatalogCommandId, CommandTable } from '../model/commandIds';
import type { CatalogCache } from './catalogCache';
import { CatalogSync, describeAge, describeCounts, type AccountCheckStatus, type NotifySink } from './catalogSync';
import { DeployTargetSync, deployTargetOf, type GatewayTarget } from './deployTargetSync';
import { defaultServiceName, type RememberedChoices } from '../specs/deployChoices';
import type { AccountLanguageServer } from '../language/languageServer';
import type { RememberedChoiceStore } from '../specs/deployChoices';

export interface CatalogFeatures extends vscode.Disposable {
  readonly commands: CommandTable<CatalogCommandId>;
  /** The account-check status of each connection, the default first. */
  status(): AccountCheckStatus[];
}

export interface CatalogFeatureOptions {
  /** The catalogs themselves (the context's `catalogs` is this cache, seen as a `CatalogSource`). */
  readonly cache: CatalogCache;
  /** Where the catalogs and targets go; without it nothing is sent (the status still shows). */
  readonly languageServer?: AccountLanguageServer;
  /** The remembered deploy choices (deployCommands.ts); without it no deploy targets are sent. */
  readonly choices?: RememberedChoiceStore;
  /** The gateway specs' remembered targets (the gateways room's); without it gateway specs get none. */
  readonly gatewayTargets?: GatewayTargetStore;
}

/** Which documents are gateway specs, the gateway each was deployed as, and when that changes. */
export interface GatewayTargetStore {
  isGatewaySpec(document: vscode.TextDocument): boolean;
  get(uri: string): GatewayTarget | undefined;
  readonly onDidChange: vscode.Event<string>;
}

/** Where a spec must live to have a deploy target (not the read-only views of deployed specs). */
const specSchemes: ReadonlySet<string> = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

export function createCatalogFeatures(context: FeatureContext, options: CatalogFeatureOptions): CatalogFeatures {
  const registry = context.connections;
  const disposables: vscode.Disposable[] = [];
  const notify: NotifySink = options.languageServer ? (method, params) => options.languageServer!.notify(method, params) : () => Promise.resolve(false);
  const sync = new CatalogSync({
    catalogs: options.cache,
    connections: () => registry.current(),
    active: () => registry.active(),
    notify,
    ...(registry.withoutPrompts ? { withoutPrompts: <T>(work: () => Promise<T>) => registry.withoutPrompts!(work) } : {}),
    needsSignIn: (name) => registry.needsSignIn?.(name) ?? false,
    log: context.log,
  });
  const choices = options.choices;
  const gateways = options.gatewayTargets;
  const hasTarget = (document: vscode.TextDocument): boolean =>
    specSchemes.has(document.uri.scheme) && (document.languageId === specLanguageId || (gateways?.isGatewaySpec(document) ?? false));
  const targets = choices
    ? new DeployTargetSync({
        openSpecs: () => vscode.workspace.textDocuments.filter(hasTarget).map((document) => document.uri.toString()),
        choices: (uri) => choices.get(uri),
        ...(gateways ? { gatewayTarget: (uri: string) => gateways.get(uri) } : {}),
        notify,
      })
    : undefined;
  disposables.push(
    sync,
    registry.onDidChange(() => void sync.sync()),
    context.onDidChangeAccount((change) => {
      const connection = connectionOf(change);
      if (connection === 'all') sync.accountChanged();
      else if (connection !== undefined) sync.accountChanged(connection.name);
    }),
  );
  if (options.languageServer) {
    disposables.push(
      options.languageServer.onDidStart(() => {
        context.log.info('language server (re)started: sending the account catalogs and deploy targets');
        void sync.resend();
        void targets?.sendAll(true);
      }),
    );
  }
  if (targets && choices) {
    disposables.push(
      vscode.workspace.onDidOpenTextDocument((document) => {
        if (hasTarget(document)) void targets.send([document.uri.toString()]);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => targets.closed(document.uri.toString())),
      choices.onDidChange((uri) => void targets.send([uri])),
      ...(gateways ? [gateways.onDidChange((uri) => void targets.send([uri]))] : []),
    );
    void targets.sendAll();
  }
  void sync.start().catch((error: unknown) => context.log.warn(`the account catalogs were not read: ${String(error)}`));

  const refresh = async (connection?: string): Promise<AccountCheckStatus[]> => {
    // The connection files may have changed since the registry last looked (a removed connection is withdrawn).
    await registry.reload?.();
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Reading the account catalog' }, () =>
      sync.refresh(connection === undefined ? undefined : [connection]),
    );
    const status = sync.status();
    for (const each of status.filter((candidate) => connection === undefined || candidate.connection === connection)) {
      context.log.info(`account checks for ${each.connection}: ${each.state}${each.reason ? ` (${each.reason})` : ''}`);
    }
    return status;
  };

  const setDeployTarget = async (...args: unknown[]): Promise<DeployTarget | undefined> => {
    if (!choices) return undefined;
    const [uriArg, given] = args;
    const document = await specDocument(uriArg instanceof vscode.Uri ? uriArg : undefined);
    if (!document) return undefined;
    const uri = document.uri.toString();
    const remembered = choices.get(uri);
    const answers = targetAnswers(given) ?? (await askTarget(context, uri, remembered));
    if (!answers) return undefined;
    const sameConnection = answers.connection === remembered.connection;
    // Database, schema, warehouse and integrations belong to the account the choices were made in.
    const { database: _database, schema: _schema, queryWarehouse: _warehouse, externalAccessIntegrations: _integrations, ...portable } = remembered;
    const next: RememberedChoices = {
      ...(sameConnection ? remembered : portable),
      connection: answers.connection,
      pool: answers.pool,
      ...(answers.serviceName === undefined ? {} : { serviceName: answers.serviceName }),
    };
    await choices.set(uri, next);
    const modeline = parseModeline(document.getText());
    if (modeline.pool !== undefined || modeline.connection !== undefined) {
      void vscode.window.showInformationMessage(
        `Remembered ${answers.pool} on ${answers.connection} for deploys. The "# spcs:" modeline of this file names ${[modeline.pool && `pool ${modeline.pool.value}`, modeline.connection && `connection ${modeline.connection.value}`].filter(Boolean).join(' and ')}, which the account checks use instead.`,
      );
    }
    return deployTargetOf(next) ?? undefined;
  };

  const showStatus = (): AccountCheckStatus[] => {
    const status = sync.status();
    void showStatusPicker(status, refresh);
    return status;
  };

  return {
    commands: {
      'spcs.setDeployTarget': setDeployTarget,
      'spcs.refreshAccountCatalog': (connection?: unknown) => refresh(typeof connection === 'string' ? connection : undefined),
      'spcs.showAccountCheckStatus': showStatus,
    },
    status: () => sync.status(),
    dispose: () => {
      for (const disposable of disposables) disposable.dispose();
    },
  };
}

/** The connection an account change concerns; 'all' for every one; undefined for the connection list itself (the registry's event covers it). */
function connectionOf(change: AccountChange): { readonly name: string } | 'all' | undefined {
  switch (change.scope) {
    case 'all':
      return 'all';
    // Health on the tree ('schema') says nothing about what the account holds.
    case 'connections':
    case 'schema':
      return undefined;
    case 'connection':
    case 'repositories':
      return { name: change.connection };
    case 'pool':
      return { name: change.pool.connection };
    case 'service':
      return { name: change.service.connection };
  }
}

async function specDocument(uri: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  const document = uri ? (vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri))) : vscode.window.activeTextEditor?.document;
  if (!document || !specSchemes.has(document.uri.scheme)) {
    void vscode.window.showWarningMessage('Open a service specification (a *.spcs.yaml file) to set where it deploys.');
    return undefined;
  }
  return document;
}

interface TargetAnswers {
  readonly connection: string;
  readonly pool: string;
  readonly serviceName?: string;
}

/** `{ connection, pool, serviceName? }` given as an argument. */
function targetAnswers(arg: unknown): TargetAnswers | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const record = arg as Record<string, unknown>;
  const connection = record['connection'];
  const pool = record['pool'];
  const serviceName = record['serviceName'];
  if (typeof connection !== 'string' || connection.trim() === '' || typeof pool !== 'string' || pool.trim() === '') return undefined;
  return { connection, pool, ...(typeof serviceName === 'string' && serviceName.trim() !== '' ? { serviceName: serviceName.trim() } : {}) };
}

/** Asks for the connection, the pool (from the catalog when it can be read) and the service name. */
async function askTarget(context: FeatureContext, uri: string, remembered: RememberedChoices): Promise<TargetAnswers | undefined> {
  const title = 'Set Deploy Target';
  const connection = await context.connections.pick({ title: `${title}: connection` });
  if (connection === undefined) return undefined;
  const entry = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading the compute pools of ${connection}` }, () => context.catalogs.get(connection));
  const pools = entry.catalog?.computePools ?? null;
  let pool: string | undefined;
  if (pools !== null && pools.length > 0) {
    const items = pools.map((candidate) => ({
      label: candidate.name,
      description: `${candidate.instanceFamily} · ${candidate.state}`,
      detail: `${candidate.minNodes}–${candidate.maxNodes} nodes`,
      picked: candidate.name === remembered.pool,
    }));
    const sorted = [...items].sort((a, b) => Number(b.picked) - Number(a.picked));
    pool = (await vscode.window.showQuickPick(sorted, { title: `${title}: compute pool on ${connection}`, placeHolder: 'The compute pool the service runs in' }))?.label;
  } else {
    pool = await vscode.window.showInputBox({
      title: `${title}: compute pool on ${connection}`,
      prompt: entry.error ? `The compute pools could not be listed (${entry.error.message}); type the pool's name.` : 'Type the compute pool name.',
      ...(remembered.pool === undefined ? {} : { value: remembered.pool }),
      validateInput: (value) => (value.trim() === '' ? 'A compute pool name is required.' : undefined),
    });
    pool = pool?.trim();
  }
  if (pool === undefined || pool === '') return undefined;
  const serviceName = await vscode.window.showInputBox({
    title: `${title}: service name (optional)`,
    prompt: 'The service this spec deploys as. Press Escape to keep the current one.',
    value: remembered.serviceName ?? defaultServiceName(uri),
  });
  return { connection, pool, ...(serviceName === undefined || serviceName.trim() === '' ? {} : { serviceName: serviceName.trim() }) };
}

const stateIcons: Readonly<Record<AccountCheckStatus['state'], string>> = {
  on: '$(check)',
  stale: '$(history)',
  paused: '$(warning)',
  signIn: '$(sign-in)',
  waiting: '$(circle-outline)',
  reading: '$(sync~spin)',
};

const stateWords: Readonly<Record<AccountCheckStatus['state'], string>> = {
  on: 'checks on',
  stale: 'checks on a stale catalog',
  paused: 'checks paused',
  signIn: 'sign in to check',
  waiting: 'not read yet',
  reading: 'reading…',
};

interface StatusItem extends vscode.QuickPickItem {
  readonly connection?: string;
}

/** The status picker: one item per connection (select to refresh it) and "Refresh all". */
async function showStatusPicker(status: readonly AccountCheckStatus[], refresh: (connection?: string) => Promise<AccountCheckStatus[]>): Promise<void> {
  const items: StatusItem[] = status.map((each) => ({
    label: `${each.loading ? '$(sync~spin)' : stateIcons[each.state]} ${each.connection}`,
    description: [stateWords[each.state], each.isDefault ? 'default' : undefined, each.role, each.ageMs === undefined ? undefined : `read ${describeAge(each.ageMs)}`].filter(Boolean).join(' · '),
    detail: [each.counts ? describeCounts(each.counts) : undefined, each.state === 'on' ? undefined : each.reason, each.problems.length > 0 ? `Not read: ${each.problems.join('; ')}` : undefined].filter(Boolean).join(' — '),
    connection: each.connection,
  }));
  items.push({ label: '$(refresh) Refresh all account catalogs', alwaysShow: true });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'SPCS Account Checks',
    placeHolder: status.length === 0 ? 'No Snowflake connection: only the offline checks run. Add one to connections.toml.' : 'Select a connection to refresh its catalog',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (picked) await refresh(picked.connection);
}
