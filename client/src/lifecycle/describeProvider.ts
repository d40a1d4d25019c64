/**
 * The read-only documents of "SPCS: Describe" (scheme `spcs-describe`, see `describeDocument.ts`):
 * runs the DESCRIBE, keeps the last text of each open document, and refreshes a document in place
 * (`spcs.describe` on the document, or after an action changed the object it shows).
 *
 * Owns: the content provider and its cache (entries live while their document is open).
 * Must not: change anything in the account.
 */

import * as vscode from 'vscode';
import type { FeatureContext } from '../model/featureContext';
import type { SnowflakeError } from '../snowflake/errors';
import { fail, ok, type Result } from '../snowflake/result';
import { describeScheme, describeStatement, describeUriParts, parseDescribeQuery, renderDescribe, targetTitle, type DescribeTarget } from './describeDocument';
import { failureMessage } from '../ui/failures';

export class DescribeProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly texts = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: FeatureContext) {
    this.disposables.push(
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(describeScheme, this),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.scheme === describeScheme) this.texts.delete(document.uri.toString());
      }),
      // An action on a service or pool refreshes its open describe documents.
      context.onDidChangeAccount((change) => {
        for (const document of vscode.workspace.textDocuments) {
          const target = DescribeProvider.targetOf(document.uri);
          if (!target) continue;
          const affected =
            change.scope === 'all' ||
            (change.scope === 'connection' && change.connection === target.connection) ||
            (change.scope === 'service' && target.kind === 'service' && sameService(change.service, target)) ||
            (change.scope === 'pool' && target.kind === 'pool' && change.pool.connection === target.connection && change.pool.name === target.name);
          if (affected) void this.refresh(document.uri, target);
        }
      }),
    );
  }

  static uriFor(target: DescribeTarget): vscode.Uri {
    const { path, query } = describeUriParts(target);
    return vscode.Uri.from({ scheme: describeScheme, path, query });
  }

  static targetOf(uri: vscode.Uri): DescribeTarget | undefined {
    return uri.scheme === describeScheme ? parseDescribeQuery(uri.query) : undefined;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const cached = this.texts.get(uri.toString());
    if (cached !== undefined) return cached;
    const target = DescribeProvider.targetOf(uri);
    if (!target) return '# Not a document of SPCS: Describe.\n';
    const text = await this.load(target);
    const shown = text.ok ? text.value : `# ${failureMessage(`describe the ${targetTitle(target)}`, text.error)}\n`;
    this.texts.set(uri.toString(), shown);
    return shown;
  }

  /** Runs the DESCRIBE and renders it. */
  async load(target: DescribeTarget, signal?: AbortSignal): Promise<Result<string>> {
    const result = await this.context.sessions.execute(target.connection, describeStatement(target), { timeoutMs: this.context.queryTimeoutMs(), signal });
    if (!result.ok) return fail(result.error);
    return ok(renderDescribe(target, result.value.rows[0], { at: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }));
  }

  /** Opens (or refreshes and reveals) the describe document of `target`. */
  async open(target: DescribeTarget): Promise<vscode.TextDocument | undefined> {
    const uri = DescribeProvider.uriFor(target);
    const loaded = await this.withProgress(target, (signal) => this.load(target, signal));
    if (!loaded.ok) {
      this.showError(target, loaded.error);
      return undefined;
    }
    this.texts.set(uri.toString(), loaded.value);
    this.changed.fire(uri);
    let document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== 'yaml') document = await vscode.languages.setTextDocumentLanguage(document, 'yaml');
    await vscode.window.showTextDocument(document, { preview: false });
    return document;
  }

  /** Runs the DESCRIBE again for an open document; the document changes in place. */
  async refresh(uri: vscode.Uri, target: DescribeTarget, options: { readonly progress?: boolean } = {}): Promise<vscode.TextDocument | undefined> {
    const loaded = options.progress ? await this.withProgress(target, (signal) => this.load(target, signal)) : await this.load(target);
    if (!loaded.ok) {
      if (options.progress) this.showError(target, loaded.error);
      return undefined;
    }
    this.texts.set(uri.toString(), loaded.value);
    this.changed.fire(uri);
    return vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  }

  private withProgress<T>(target: DescribeTarget, task: (signal: AbortSignal) => Promise<T>): Thenable<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Describing the ${targetTitle(target)}…`, cancellable: true }, (_progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      return task(controller.signal).finally(() => {
        subscription.dispose();
      });
    });
  }

  private showError(target: DescribeTarget, error: SnowflakeError): void {
    if (error.kind === 'cancelled') return;
    this.context.log.error(`describe ${targetTitle(target)}: ${error.kind}: ${error.detail ?? error.message}`);
    void vscode.window.showErrorMessage(failureMessage(`describe the ${targetTitle(target)}`, error), 'Show Output').then((choice) => {
      if (choice) this.context.log.show();
    });
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.texts.clear();
  }
}

function sameService(a: { connection: string; database: string; schema: string; name: string }, b: { connection: string; database: string; schema: string; name: string }): boolean {
  return a.connection === b.connection && a.database === b.database && a.schema === b.schema && a.name === b.name;
}
