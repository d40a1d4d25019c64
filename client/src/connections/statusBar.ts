/**
 * The status bar item that shows the active Snowflake connection and role
 * (`$(database) emulator_dev · SPCS_DEVELOPER`); its tooltip names the account and user, a click
 * runs `spcs.selectConnection`. Follows the registry's `onDidChange`.
 *
 * With the account catalogs it also shows the state of the account-aware checks for the active
 * connection: `$(check)` with a fresh catalog, `$(sync~spin)` while one is read, `$(warning)` when
 * the checks are paused (the account cannot be reached) or stale, the reason in the tooltip, with
 * links to `spcs.showAccountCheckStatus` and `spcs.refreshAccountCatalog`.
 *
 * Owns: the status bar item. Must not: connect to Snowflake (it only looks at the cache).
 */

import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../model/featureContext';
import type { CatalogCache } from '../catalog/catalogCache';
import { checkStatus, describeAge, describeCounts, type AccountCheckStatus } from '../catalog/catalogSync';
import { connectionSummary } from './connectionList';
import { isEmulatorConnection } from './emulatorConnection';

export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('spcs.connection', vscode.StatusBarAlignment.Left, 20);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly registry: ConnectionRegistry,
    /** The account catalogs, whose state the item shows for the active connection. */
    private readonly catalogs?: CatalogCache,
  ) {
    this.item.name = 'Snowflake Connection';
    this.item.command = 'spcs.selectConnection';
    this.subscriptions.push(registry.onDidChange(() => this.update()));
    if (catalogs) this.subscriptions.push(catalogs.onDidChange(() => this.update()));
    this.update();
  }

  /** The text shown now (tests read it). */
  get text(): string {
    return this.item.text;
  }

  update(): void {
    const loaded = this.registry.current();
    if (!loaded.ok) {
      this.item.text = '$(warning) Snowflake';
      this.item.tooltip = `The Snowflake connections could not be read: ${loaded.error.message}`;
      this.item.show();
      return;
    }
    const name = this.registry.active();
    const connection = loaded.value.connections.find((candidate) => candidate.name === name);
    if (name === undefined || connection === undefined) {
      this.item.text = '$(database) No Snowflake connection';
      this.item.tooltip = 'No connection in connections.toml. Click to choose or add one.';
      this.item.show();
      return;
    }
    const checks = this.checks(name);
    // The role the catalog was read with is the session's real one (CURRENT_ROLE()); before the
    // first read, the connection's configured role.
    const role = checks?.role ?? this.registry.role(name);
    const emulator = isEmulatorConnection(connection);
    this.item.text = `$(${emulator ? 'vm-running' : 'database'}) ${name}${role ? ` · ${role}` : ''}${checks ? checkIcon(checks) : ''}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**Snowflake connection** \`${name}\`${name === loaded.value.defaultName ? ' (default)' : ''}\n\n`);
    tooltip.appendMarkdown(`Account / user: \`${connectionSummary(connection)}\`\n\n`);
    if (role) tooltip.appendMarkdown(`Role: \`${role}\`\n\n`);
    tooltip.appendMarkdown(emulator ? 'The local emulator started from the editor.\n\n' : `From \`${connection.source}\`\n\n`);
    if (checks) {
      tooltip.appendMarkdown(`${describeChecks(checks)}\n\n`);
      tooltip.appendMarkdown('[Account check status](command:spcs.showAccountCheckStatus) · [Refresh account catalog](command:spcs.refreshAccountCatalog)\n\n');
      tooltip.isTrusted = { enabledCommands: ['spcs.showAccountCheckStatus', 'spcs.refreshAccountCatalog'] };
    }
    tooltip.appendMarkdown('Click to switch connections.');
    this.item.tooltip = tooltip;
    this.item.show();
  }

  /** The tooltip text (tests read it). */
  get tooltip(): string {
    const tooltip = this.item.tooltip;
    return typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '');
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }

  private checks(name: string): AccountCheckStatus | undefined {
    if (!this.catalogs) return undefined;
    return checkStatus(name, this.catalogs.peek(name), { isDefault: true, needsSignIn: this.registry.needsSignIn?.(name) ?? false, now: Date.now() });
  }
}

function checkIcon(checks: AccountCheckStatus): string {
  if (checks.loading) return ' $(sync~spin)';
  switch (checks.state) {
    case 'on':
      return ' $(check)';
    case 'stale':
    case 'paused':
    case 'signIn':
      return ' $(warning)';
    case 'waiting':
    case 'reading':
      return '';
  }
}

/** The account-check part of the tooltip. */
function describeChecks(checks: AccountCheckStatus): string {
  const age = checks.ageMs === undefined ? '' : ` (catalog read ${describeAge(checks.ageMs)})`;
  switch (checks.state) {
    case 'on':
      return `**Account checks** on${age}: ${describeCounts(checks.counts ?? {})}${checks.loading ? '. Refreshing…' : ''}`;
    case 'stale':
      return `**Account checks** on a stale catalog${age}: ${checks.reason ?? ''}`;
    case 'paused':
    case 'signIn':
      return `$(warning) ${checks.reason ?? 'Account checks paused.'}`;
    case 'waiting':
    case 'reading':
      return checks.loading || checks.state === 'reading' ? '**Account checks**: reading the account catalog…' : '**Account checks**: the account catalog has not been read yet.';
  }
}
