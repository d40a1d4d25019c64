/**
 * Owns the language server's lifetime for the extension: loads the language client bundle on first
 * use (not during activation), starts it, restarts and stops it. A failed start is logged and shown
 * once; the commands that need the server say so instead of failing silently.
 */

import path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type * as languageClientModule from './languageClient';

export class LanguageServer implements vscode.Disposable {
  private client: Promise<LanguageClient | undefined> | undefined;

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
    void this.stop();
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
      const client = module.createLanguageClient(this.context.asAbsolutePath('dist/server/server.js'), this.log);
      await client.start();
      this.log.info(`language server started in ${Math.round(performance.now() - started)} ms`);
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
