/**
 * Owns the language server's lifetime for the extension: loads the language client bundle on first
 * use (not during activation), starts it, restarts and stops it. A failed start is logged and shown
 * once; the commands that need the server say so instead of failing silently.
 *
 * Also owns `account`, the small handle through which the features bundle sends live account data
 * (`spcs/accountCatalog`, `spcs/deployTargets`): it only sends when the server runs and announced
 * `experimental.spcsAccount`, and tells when a (re)started server needs everything again.
 */

import path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type * as languageClientModule from './languageClient';

/** What the features bundle may do with the language server (see `features.ts`). */
export interface AccountLanguageServer {
  /**
   * Sends a notification; resolves to false (and sends nothing) when the server is not running or
   * did not announce `experimental.spcsAccount` version 1. Never rejects.
   */
  notify(method: string, params: unknown): Promise<boolean>;
  /** Fires after each (re)start that speaks the protocol: the server has forgotten everything sent before. */
  readonly onDidStart: vscode.Event<void>;
}

export class LanguageServer implements vscode.Disposable {
  private client: Promise<LanguageClient | undefined> | undefined;
  private module: typeof languageClientModule | undefined;
  private readonly started = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];

  readonly account: AccountLanguageServer = {
    notify: (method, params) => this.notify(method, params),
    onDidStart: this.started.event,
  };

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Starts the server once; later calls return the same start. Never rejects. */
  start(): Promise<LanguageClient | undefined> {
    this.client ??= this.createAndStart();
    return this.client;
  }

  async restart(): Promise<void> {
    const client = await this.start();
    if (client) {
      await client.restart();
      this.log.info('language server restarted');
    } else {
      this.client = undefined;
      await this.start();
    }
  }

  async stop(): Promise<void> {
    const client = await this.client;
    this.client = undefined;
    await client?.stop();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.started.dispose();
    void this.stop();
  }

  private async notify(method: string, params: unknown): Promise<boolean> {
    const client = await this.client;
    if (!client || !this.module?.speaksAccountProtocol(client)) return false;
    try {
      await client.sendNotification(method, params);
      return true;
    } catch (error) {
      this.log.warn(`${method} was not sent: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  private async createAndStart(): Promise<LanguageClient | undefined> {
    // Yield first: loading the client bundle and spawning the server happen after activation has
    // returned, so the extension host is not held up (the extension host activates extensions one
    // after another).
    await new Promise<void>((resolve) => setImmediate(resolve));
    const started = performance.now();
    try {
      // A runtime path, so that esbuild keeps the language client in its own bundle.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading a sibling bundle lazily is the point
      const module = require(path.join(__dirname, 'languageClient.js')) as typeof languageClientModule;
      this.module = module;
      const client = module.createLanguageClient(this.context.asAbsolutePath('dist/server/server.js'), this.log);
      // Every time it reaches the running state (start, restart, restart after a crash) the server
      // knows no account data: tell the features bundle once the start has settled.
      this.subscriptions.push(
        module.onDidReachRunning(client, () => {
          setImmediate(() => {
            if (module.speaksAccountProtocol(client)) this.started.fire();
          });
        }),
      );
      await client.start();
      this.log.info(`language server started in ${Math.round(performance.now() - started)} ms${module.speaksAccountProtocol(client) ? ' (account checks available)' : ''}`);
      return client;
    } catch (error) {
      this.log.error(`the language server did not start: ${error instanceof Error ? error.message : String(error)}`);
      void vscode.window.showErrorMessage('The SPCS language server did not start; see the Snowpark Container Services output for why.', 'Show Output').then((choice) => {
        if (choice) {
          this.log.show();
        }
      });
      return undefined;
    }
  }
}
