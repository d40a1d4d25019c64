/**
 * The status bar item that shows the active Snowflake connection and role
 * (`$(database) emulator_dev · SPCS_DEVELOPER`); its tooltip names the account and user, a click
 * runs `spcs.selectConnection`. Follows the registry's `onDidChange`.
 *
 * Owns: the status bar item. Must not: connect to Snowflake.
 */

import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../accountContext';
import { connectionSummary } from './connectionList';
import { isEmulatorConnection } from './emulatorConnection';

export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('spcs.connection', vscode.StatusBarAlignment.Left, 20);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly registry: ConnectionRegistry) {
    this.item.name = 'Snowflake Connection';
    this.item.command = 'spcs.selectConnection';
    this.subscription = registry.onDidChange(() => this.update());
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
    const role = this.registry.role(name);
    const emulator = isEmulatorConnection(connection);
    this.item.text = `$(${emulator ? 'vm-running' : 'database'}) ${name}${role ? ` · ${role}` : ''}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**Snowflake connection** \`${name}\`${name === loaded.value.defaultName ? ' (default)' : ''}\n\n`);
    tooltip.appendMarkdown(`Account / user: \`${connectionSummary(connection)}\`\n\n`);
    if (role) tooltip.appendMarkdown(`Role: \`${role}\`\n\n`);
    tooltip.appendMarkdown(emulator ? 'The local emulator started from the editor.\n\n' : `From \`${connection.source}\`\n\n`);
    tooltip.appendMarkdown('Click to switch connections.');
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
