/**
 * The connections the account features use: those of connections.toml / config.toml (re-read when
 * the files change and on every explicit refresh), plus the in-memory `spcs_emulator` connection
 * while the editor's local emulator runs. Fires `onDidChange` when the list (or the active one)
 * changes, and closes the sessions of connections whose settings changed or that disappeared.
 *
 * The active connection (status bar, commands run from the palette) is persisted in globalState.
 *
 * Owns: the file watcher, the emulator launcher's lifetime. Must not: log secrets.
 */

import * as os from 'node:os';
import * as vscode from 'vscode';
import type { ConnectionRegistry, LocalEmulatorControl } from '../model/featureContext';
import { loadConnections, resolveConfigDir, type LoadedConnections } from '../snowflake/config';
import { ok, type Result } from '../snowflake/result';
import { activeConnectionName, configuredRole, connectionSummary, sameConnections, staleConnections } from './connectionList';
import { emulatorConnection, emulatorConnectionName, mergeEmulatorConnection } from './emulatorConnection';
import type { EmulatorLauncher } from './emulatorLauncher';
import type { SignInGate } from './signInGate';

const activeKey = 'spcs.activeConnection';

export interface RegistryDependencies {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly gate: SignInGate;
  readonly launcher: EmulatorLauncher;
  /** Closes the session of a connection whose settings changed or that disappeared. */
  readonly closeSession: (name: string) => Promise<void>;
  readonly env?: NodeJS.ProcessEnv;
}

export class VsCodeConnectionRegistry implements ConnectionRegistry, vscode.Disposable {
  private loaded: Result<LoadedConnections> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private watcher: vscode.FileSystemWatcher | undefined;
  private watchedDir: string | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;
  readonly emulator: LocalEmulatorControl;

  constructor(private readonly deps: RegistryDependencies) {
    const launcher = deps.launcher;
    this.emulator = {
      running: () => launcher.running(),
      start: async (signal) => {
        const started = await launcher.start(signal);
        if (!started.ok) return started;
        await deps.closeSession(emulatorConnectionName);
        this.fireChanged();
        return ok({ url: started.value.url, connection: emulatorConnectionName });
      },
      stop: async () => {
        await deps.closeSession(emulatorConnectionName);
        await launcher.stop();
        this.fireChanged();
      },
    };
    this.disposables.push(
      launcher.onExit(() => {
        void deps.closeSession(emulatorConnectionName);
        this.fireChanged();
      }),
    );
  }

  private env(): NodeJS.ProcessEnv {
    return this.deps.env ?? process.env;
  }

  /** The connection files' directory ($SNOWFLAKE_HOME, ~/.snowflake or the platform config dir). */
  configDir(): string {
    return resolveConfigDir(this.env(), { home: os.homedir(), platform: process.platform });
  }

  current(): Result<LoadedConnections> {
    this.loaded ??= this.read();
    const loaded = this.loaded;
    if (!loaded.ok) return loaded;
    const address = this.deps.launcher.current();
    return ok(mergeEmulatorConnection(loaded.value, address === undefined ? undefined : emulatorConnection(address)));
  }

  private read(): Result<LoadedConnections> {
    const result = loadConnections(this.env());
    if (result.ok) {
      result.value.warnings.forEach((warning) => this.deps.log.warn(warning));
      this.watch(result.value.configDir);
    } else {
      this.deps.log.warn(`reading the Snowflake connections failed: ${result.error.message}`);
      this.watch(this.configDir());
    }
    return result;
  }

  /** Re-reads the files; closes stale sessions and fires `onDidChange` when something changed. */
  async reload(): Promise<boolean> {
    const before = this.loaded;
    const after = this.read();
    this.loaded = after;
    const unchanged = before !== undefined && before.ok && after.ok && sameConnections(before.value, after.value);
    if (unchanged) return false;
    const stale = before?.ok ? staleConnections(before.value.connections, after.ok ? after.value.connections : []) : [];
    for (const name of stale) {
      this.deps.gate.reset(name);
      await this.deps.closeSession(name);
    }
    if (stale.length > 0) this.deps.log.info(`connections changed: ${stale.join(', ')} (their sessions were closed)`);
    this.fireChanged();
    return true;
  }

  private watch(dir: string): void {
    if (this.watchedDir === dir) return;
    this.watcher?.dispose();
    this.watchedDir = dir;
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), '{connections,config}.toml'));
    const schedule = () => {
      clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => void this.reload(), 200);
    };
    this.watcher.onDidChange(schedule);
    this.watcher.onDidCreate(schedule);
    this.watcher.onDidDelete(schedule);
  }

  private fireChanged(): void {
    this.changed.fire();
  }

  active(): string | undefined {
    const loaded = this.current();
    return loaded.ok ? activeConnectionName(loaded.value, this.deps.extension.globalState.get<string>(activeKey)) : undefined;
  }

  async setActive(name: string): Promise<void> {
    await this.deps.extension.globalState.update(activeKey, name);
    this.fireChanged();
  }

  async pick(options: { readonly title?: string } = {}): Promise<string | undefined> {
    const loaded = this.current();
    if (!loaded.ok) {
      const choice = await vscode.window.showErrorMessage(loaded.error.message, 'Open connections.toml');
      if (choice) await vscode.commands.executeCommand('spcs.openConnectionsFile');
      return undefined;
    }
    const connections = loaded.value.connections;
    if (connections.length === 0) {
      const choice = await vscode.window.showWarningMessage(
        'There is no Snowflake connection yet. Add one to connections.toml, or start the local emulator to try things out.',
        'Open connections.toml',
        'Start Local Emulator',
      );
      if (choice === 'Open connections.toml') await vscode.commands.executeCommand('spcs.openConnectionsFile');
      if (choice === 'Start Local Emulator') await vscode.commands.executeCommand('spcs.startEmulator');
      return undefined;
    }
    if (connections.length === 1) return connections[0]?.name;
    const active = this.active();
    const items = connections.map((connection) => ({
      label: connection.name,
      description: [connection.name === active ? '$(check) active' : undefined, connection.name === loaded.value.defaultName ? 'default' : undefined, configuredRole(connection)]
        .filter((part): part is string => part !== undefined)
        .join(' · '),
      detail: `${connectionSummary(connection)} — ${connection.source}`,
    }));
    const picked = await vscode.window.showQuickPick(items, { title: options.title ?? 'Snowflake connection', placeHolder: 'Which connection?', matchOnDetail: true });
    return picked?.label;
  }

  role(name: string): string | undefined {
    const loaded = this.current();
    return loaded.ok ? configuredRole(loaded.value.connections.find((connection) => connection.name === name)) : undefined;
  }

  withoutPrompts<T>(work: () => Promise<T>): Promise<T> {
    return this.deps.gate.withoutPrompts(work);
  }

  needsSignIn(name: string): boolean {
    return this.deps.gate.needsSignIn(name);
  }

  signedIn(name: string): void {
    this.deps.gate.reset(name);
    this.fireChanged();
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    this.watcher?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
