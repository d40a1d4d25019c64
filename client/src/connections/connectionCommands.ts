/**
 * The connection commands: pick the active connection (`spcs.selectConnection`), sign in to one that
 * waits for a secret (`spcs.signIn`, from its tree node or the palette), open connections.toml
 * (`spcs.openConnectionsFile`: created from a commented template after asking, readable only by
 * you), and start or stop the bundled local emulator (`spcs.startEmulator`, `spcs.stopEmulator`).
 *
 * The trees hear of every change through the registry (`onDidChange`) and the change bus (a signed-in
 * connection is refreshed); nothing here knows the trees.
 *
 * Owns: the connections file template. Must not: write a secret anywhere (sign-in keeps it in the
 * OS keychain through the session's prompter), or block the editor on file I/O.
 */

import { constants as fsConstants, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandTable, ConnectionCommandId } from '../model/commandIds';
import type { FeatureContext } from '../model/featureContext';
import { isNode, type ConnectionName } from '../model/nodes';
import { resolveConfigDir } from '../snowflake/config';
import { emulatorConnectionName } from './emulatorConnection';

export const connectionsFileTemplate = `# Snowflake connections, shared with the Snowflake CLI (snow) and the Python connector.
# Each [section] is one connection; the SPCS views list them all. Keep this file private (mode 600).
# Secrets you leave out (password, passphrase, token) are asked once and kept in the OS keychain.
#
# [my_account]
# account = "myorg-myaccount"
# user = "MY_USER"
# authenticator = "externalbrowser"   # or omit and give a password when asked; or SNOWFLAKE_JWT with private_key_file
# role = "MY_ROLE"
# warehouse = "MY_WH"
# database = "MY_DB"
# schema = "PUBLIC"
`;

export function createConnectionCommands(context: FeatureContext): CommandTable<ConnectionCommandId> {
  const registry = context.connections;
  return {
    'spcs.selectConnection': async () => {
      const loaded = registry.current();
      if (loaded.ok && loaded.value.connections.length === 1) {
        const only = loaded.value.connections[0]?.name;
        if (only !== undefined) await registry.setActive(only);
        void vscode.window.showInformationMessage(`"${only ?? ''}" is the only Snowflake connection. Add more to connections.toml.`);
        return only;
      }
      const name = await registry.pick({ title: 'Active Snowflake connection' });
      if (name !== undefined) await registry.setActive(name);
      return name;
    },
    'spcs.signIn': (target?: unknown) => signIn(context, target),
    'spcs.openConnectionsFile': () => openConnectionsFile(context),
    'spcs.startEmulator': () => startEmulator(context),
    'spcs.stopEmulator': async () => {
      const emulator = registry.emulator;
      if (!emulator?.running()) {
        void vscode.window.showInformationMessage('The local emulator is not running.');
        return;
      }
      await emulator.stop();
      void vscode.window.showInformationMessage('The local SPCS emulator was stopped.');
    },
  };
}

function connectionArgument(target: unknown): ConnectionName | undefined {
  if (typeof target === 'string') return target;
  if (!isNode(target)) return undefined;
  if (target.kind === 'connection') return target.connection;
  if (target.kind === 'error' && target.signIn !== undefined) return target.signIn;
  return undefined;
}

async function signIn(context: FeatureContext, target: unknown): Promise<boolean> {
  const name = connectionArgument(target) ?? (await context.connections.pick({ title: 'Sign in to a Snowflake connection' }));
  if (name === undefined) return false;
  // Not run quietly: this is where the user is asked for the missing secret.
  await context.sessions.close(name);
  const session = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Signing in to "${name}"…` }, () => context.sessions.get(name));
  if (!session.ok) {
    void vscode.window.showErrorMessage(`Sign-in to "${name}" failed (${session.error.kind}): ${session.error.message}`);
    return false;
  }
  context.connections.signedIn?.(name);
  context.log.info(`[${name}] signed in (${session.value.summary})`);
  context.changed({ scope: 'connection', connection: name });
  return true;
}

/** connections.toml in $SNOWFLAKE_HOME (or the default folder); created from a template after asking. */
export function connectionsFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(resolveConfigDir(env, { home: os.homedir(), platform: process.platform }), 'connections.toml');
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file, fsConstants.F_OK);
    return true;
  } catch {
    return false;
  }
}

async function openConnectionsFile(context: FeatureContext): Promise<vscode.TextEditor | undefined> {
  const file = connectionsFilePath();
  if (!(await exists(file))) {
    const create = await vscode.window.showInformationMessage(
      `There is no ${file} yet. Create it with a commented example (readable only by you)?`,
      { modal: true },
      'Create',
    );
    if (create !== 'Create') return undefined;
    try {
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await fs.writeFile(file, connectionsFileTemplate, { mode: 0o600, flag: 'wx' });
      await fs.chmod(file, 0o600);
    } catch (error) {
      void vscode.window.showErrorMessage(`Could not create ${file}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    context.log.info(`created ${file}`);
  }
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(document, { preview: false });
}

async function startEmulator(context: FeatureContext): Promise<string | undefined> {
  const emulator = context.connections.emulator;
  if (emulator === undefined) {
    void vscode.window.showErrorMessage('The local emulator is not available here.');
    return undefined;
  }
  const started = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Starting the local SPCS emulator…', cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      const subscription = token.onCancellationRequested(() => abort.abort());
      try {
        return await emulator.start(abort.signal);
      } finally {
        subscription.dispose();
      }
    },
  );
  if (!started.ok) {
    if (started.error.kind !== 'cancelled') void vscode.window.showErrorMessage(started.error.message);
    return undefined;
  }
  await context.connections.setActive(started.value.connection);
  context.log.info(`local emulator running at ${started.value.url}; connection "${emulatorConnectionName}" is active`);
  void vscode.window.showInformationMessage(`The local SPCS emulator runs at ${started.value.url} as connection "${started.value.connection}" (demo pools, services and images). It stops when you close the window.`);
  return started.value.url;
}
