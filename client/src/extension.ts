/**
 * The VS Code extension's entry: starts the SPCS language server and switches YAML documents that
 * are service specifications to the `spcs-spec` language.
 *
 * `activate` only builds and registers; everything registered goes into `context.subscriptions`.
 * Must stay fast: no Snowflake driver, no YAML parsing at activation (see `specDetection.ts`).
 */

import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { looksLikeSpec } from './specDetection';

export const specLanguageId = 'spcs-spec';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Snowpark Container Services', { log: true });
  context.subscriptions.push(log);

  const serverModule = context.asAbsolutePath('dist/server/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // YAML documents are sent too: the server decides by content and never reports on other YAML,
    // so clients (and users) that keep a spec as plain `yaml` still get every feature.
    documentSelector: [{ language: specLanguageId }, { language: 'yaml' }],
    outputChannel: log,
    traceOutputChannel: log,
  };
  client = new LanguageClient('spcs', 'SPCS Language Server', serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.commands.registerCommand('spcs.restartLanguageServer', async () => {
      await client?.restart();
      log.info('language server restarted');
    }),
    vscode.commands.registerCommand('spcs.showOutput', () => log.show()),
    vscode.workspace.onDidOpenTextDocument((document) => void detectSpec(document, log)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('spcs.detectSpecs') || event.affectsConfiguration('spcs.specFiles')) {
        vscode.workspace.textDocuments.forEach((document) => void detectSpec(document, log));
      }
    }),
  );
  vscode.workspace.textDocuments.forEach((document) => void detectSpec(document, log));

  await client.start();
  context.subscriptions.push(client);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** Switches a YAML document to `spcs-spec` when its content or its path says it is a spec. */
async function detectSpec(document: vscode.TextDocument, log: vscode.LogOutputChannel): Promise<void> {
  if (document.languageId !== 'yaml') {
    return;
  }
  const configuration = vscode.workspace.getConfiguration('spcs', document.uri);
  const globs = configuration.get<string[]>('specFiles', []);
  const byPath = globs.some((pattern) => vscode.languages.match({ pattern }, document) > 0);
  const byContent = configuration.get<boolean>('detectSpecs', true) && looksLikeSpec(document.getText());
  if (!byPath && !byContent) {
    return;
  }
  try {
    await vscode.languages.setTextDocumentLanguage(document, specLanguageId);
    log.debug(`${document.uri.toString()} is an SPCS spec (${byPath ? 'spcs.specFiles' : 'content'})`);
  } catch (error) {
    log.warn(`could not switch ${document.uri.toString()} to ${specLanguageId}: ${String(error)}`);
  }
}
