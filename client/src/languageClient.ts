/**
 * The language client, in a bundle of its own (`dist/client/languageClient.js`).
 *
 * `vscode-languageclient` is most of the client's code; keeping it out of `extension.js` and loading
 * it right after activation keeps activation itself to a few milliseconds. This module only builds
 * the client: `extension.ts` decides when to start and stop it.
 */

import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export function createLanguageClient(serverModule: string, log: vscode.LogOutputChannel): LanguageClient {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // YAML documents are sent too: the server decides by content and never reports on other YAML,
    // so clients (and users) that keep a spec as plain `yaml` still get every feature.
    documentSelector: [{ language: 'spcs-spec' }, { language: 'yaml' }],
    outputChannel: log,
    traceOutputChannel: log,
  };
  return new LanguageClient('spcs', 'SPCS Language Server', serverOptions, clientOptions);
}
