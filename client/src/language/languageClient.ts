/**
 * The language client, in a bundle of its own (`dist/client/languageClient.js`).
 *
 * `vscode-languageclient` is most of the client's code; keeping it out of `extension.js` and loading
 * it right after activation keeps activation itself to a few milliseconds. This module only builds
 * the client and answers questions about it that need the library at run time (whether it runs,
 * whether the server speaks the account protocol): `languageServer.ts` decides when to start and stop it.
 */

import type * as vscode from 'vscode';
import {
  LanguageClient,
  State,
  TransportKind,
  type ClientCapabilities,
  type FeatureState,
  type LanguageClientOptions,
  type ServerOptions,
  type StaticFeature,
} from 'vscode-languageclient/node';
import { accountCapabilityKey, specLanguageId, type AccountCapability, type AccountExperimentalCapabilities } from '../../../server/src/lspExtension';

export function createLanguageClient(serverModule: string, log: vscode.LogOutputChannel): LanguageClient {
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
  const client = new LanguageClient('spcs', 'SPCS Language Server', serverOptions, clientOptions);
  client.registerFeature(new AccountCapabilityFeature());
  return client;
}

/** Announces `experimental.spcsAccount = { version: 1 }`: this client sends live account data. */
class AccountCapabilityFeature implements StaticFeature {
  fillClientCapabilities(capabilities: ClientCapabilities): void {
    const experimental = (capabilities.experimental ?? {}) as Record<string, unknown>;
    experimental[accountCapabilityKey] = { version: 1 } satisfies AccountCapability;
    capabilities.experimental = experimental;
  }

  initialize(): void {
    // Nothing to set up: the capability is only announced; the server's answer is read when sending.
  }

  getState(): FeatureState {
    return { kind: 'static' };
  }

  clear(): void {
    // Nothing registered.
  }
}

/** Whether the client runs and its server announced account protocol version 1. */
export function speaksAccountProtocol(client: LanguageClient): boolean {
  if (client.state !== State.Running) return false;
  const experimental = client.initializeResult?.capabilities.experimental as AccountExperimentalCapabilities | undefined;
  return experimental?.[accountCapabilityKey]?.version === 1;
}

/** Calls `listener` each time the client reaches the running state (first start, restart, restart after a crash). */
export function onDidReachRunning(client: LanguageClient, listener: () => void): vscode.Disposable {
  return client.onDidChangeState((event) => {
    if (event.newState === State.Running) listener();
  });
}
