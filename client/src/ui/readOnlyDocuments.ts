/**
 * Read-only virtual documents for diff editors (the deployed spec of an upgrade, of a drift): each
 * `add` makes a new URI of the given scheme holding a text. Only the latest 20 are kept; an older
 * tab shows `goneText` instead.
 *
 * Owns: the texts. Must not: register itself (the caller registers it for its scheme).
 */

import * as vscode from 'vscode';

const kept = 20;

export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private counter = 0;

  constructor(
    readonly scheme: string,
    private readonly goneText: string,
  ) {}

  /** A new read-only document with `text`, named `<name>` in the editor tab. */
  add(name: string, text: string): vscode.Uri {
    this.counter++;
    const uri = vscode.Uri.from({ scheme: this.scheme, path: `/${name}`, query: String(this.counter) });
    this.texts.set(uri.toString(), text);
    if (this.texts.size > kept) {
      const oldest = this.texts.keys().next().value;
      if (oldest !== undefined) this.texts.delete(oldest);
    }
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? this.goneText;
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
  }
}
