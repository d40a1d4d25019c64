/**
 * The VS Code extension's entry: starts the SPCS language server and switches YAML documents that
 * are service specifications to the `spcs-spec` language.
 *
 * `activate` only builds and registers; everything it creates goes into `context.subscriptions`, so
 * VS Code disposing them on deactivation stops the language server and the features (there is no
 * `deactivate` and no module state). Must stay fast: no Snowflake driver, no language client and no
 * YAML parsing at activation (see `language/languageServer.ts`, and `server/src/service/specDetection.ts` for the text check).
 */

import * as vscode from 'vscode';
import type { AccountFeatures } from './features';
import { FeatureLoader } from './featureLoader';
import { specLanguageId } from '../../server/src/lspExtension';
import { LanguageServer } from './language/languageServer';
import { isYamlTemplateFileName, looksLikeSpec } from '../../server/src/service/specDetection';

/** What `activate` returns: the account features, for tests and other extensions (loads them on first call). */
export interface SpcsExtensionApi {
  accountFeatures(): Promise<AccountFeatures>;
}

export function activate(context: vscode.ExtensionContext): SpcsExtensionApi {
  const log = vscode.window.createOutputChannel('Snowpark Container Services', { log: true });
  const languageServer = new LanguageServer(context, log);
  // The sidebar, deploy, lifecycle and logs: registered now, loaded on first use (featureLoader.ts).
  const features = new FeatureLoader(context, log, languageServer.account);
  // VS Code disposes these in this order: the features, then the language server, then the log.
  context.subscriptions.push(
    features,
    languageServer,
    log,
    vscode.commands.registerCommand('spcs.restartLanguageServer', () => languageServer.restart()),
    vscode.commands.registerCommand('spcs.showOutput', () => log.show()),
    vscode.workspace.onDidOpenTextDocument((document) => void detectSpec(document, log)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('spcs.detectSpecs') || event.affectsConfiguration('spcs.specFiles')) {
        vscode.workspace.textDocuments.forEach((document) => void detectSpec(document, log));
      }
    }),
  );
  vscode.workspace.textDocuments.forEach((document) => void detectSpec(document, log));
  // Not awaited: activation must not wait for the server process (it reports its own failures).
  void languageServer.start();
  // The status bar shows the active connection: load the account features once activation is over
  // (their own bundle; the Snowflake driver still waits for the first query).
  setTimeout(() => void features.load().catch((error: unknown) => log.error(`the account features did not load: ${String(error)}`)), 0);
  return { accountFeatures: () => features.load() };
}

/**
 * Switches a document to `spcs-spec` when its content or its path says it is a spec: a YAML document,
 * or a YAML template opened as plain text (`spec.yaml.tftpl`, `spec.yaml.j2`, …), by content; any
 * document by the `spcs.specFiles` globs.
 */
async function detectSpec(document: vscode.TextDocument, log: vscode.LogOutputChannel): Promise<void> {
  if (document.languageId === specLanguageId) {
    return;
  }
  const contentMayTell = document.languageId === 'yaml' || (document.languageId === 'plaintext' && isYamlTemplateFileName(document.uri.path));
  const configuration = vscode.workspace.getConfiguration('spcs', document.uri);
  const globs = configuration.get<string[]>('specFiles', []);
  const byPath = globs.some((pattern) => vscode.languages.match({ pattern }, document) > 0);
  const byContent = contentMayTell && configuration.get<boolean>('detectSpecs', true) && looksLikeSpec(document.getText());
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
