/**
 * What the extension-host suites share: opening fixtures of the workspace folder, finding positions by
 * text (fixtures stay readable YAML, with no offsets in the tests), and waiting on conditions driven by
 * VS Code's events, each with a deadline. Nothing here sleeps.
 */

import * as vscode from 'vscode';

export const extensionId = 'vscode-spcs.vscode-spcs';
export const specLanguageId = 'spcs-spec';
const defaultTimeoutMs = 20_000;

export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    throw new Error('the tests need a workspace folder: open test/extension/fixtures');
  }
  return folder.uri;
}

export function fixtureUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder(), ...relativePath.split('/'));
}

export async function openFixture(relativePath: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

/** The position of the `occurrence`-th match of `text`, plus `offset` characters. */
export function positionOf(document: vscode.TextDocument, text: string, offset = 0, occurrence = 1): vscode.Position {
  let index = -1;
  for (let found = 0; found < occurrence; found++) {
    index = document.getText().indexOf(text, index + 1);
    if (index < 0) {
      throw new Error(`"${text}" (occurrence ${occurrence}) is not in ${document.uri.path}`);
    }
  }
  return document.positionAt(index + offset);
}

/** The range that `text` occupies in the document. */
export function rangeOf(document: vscode.TextDocument, text: string): vscode.Range {
  const start = positionOf(document, text);
  return new vscode.Range(start, start.translate(0, text.length));
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code ?? '');
}

export function codesOf(uri: vscode.Uri): string[] {
  return vscode.languages.getDiagnostics(uri).map(codeOf).sort();
}

/**
 * Resolves with `check()`'s first defined value, re-checking whenever one of `events` fires; rejects
 * after `timeoutMs` with `describe()`'s account of the last state.
 */
export function waitFor<T>(
  what: string,
  check: () => T | undefined,
  events: readonly vscode.Event<unknown>[],
  describe: () => string = () => '',
  timeoutMs = defaultTimeoutMs,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const subscriptions: vscode.Disposable[] = [];
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      for (const subscription of subscriptions) {
        subscription.dispose();
      }
      outcome();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}. ${describe()}`))), timeoutMs);
    const attempt = () => {
      try {
        const value = check();
        if (value !== undefined) {
          finish(() => resolve(value));
        }
      } catch (error) {
        finish(() => reject(error instanceof Error ? error : new Error(String(error))));
      }
    };
    for (const event of events) {
      subscriptions.push(event(attempt));
    }
    attempt();
  });
}

/** Waits until the document's diagnostics satisfy `predicate` (the language server publishes them). */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
  what = 'diagnostics',
  timeoutMs = defaultTimeoutMs,
): Promise<readonly vscode.Diagnostic[]> {
  return waitFor(
    `${what} on ${uri.path.split('/').pop() ?? uri.toString()}`,
    () => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      return predicate(diagnostics) ? diagnostics : undefined;
    },
    [vscode.languages.onDidChangeDiagnostics],
    () => `Diagnostics now: ${JSON.stringify(codesOf(uri))}`,
    timeoutMs,
  );
}

/** Waits until the diagnostics include every code in `codes`. */
export function waitForCodes(uri: vscode.Uri, codes: readonly string[], timeoutMs = defaultTimeoutMs): Promise<readonly vscode.Diagnostic[]> {
  return waitForDiagnostics(uri, (diagnostics) => codes.every((code) => diagnostics.some((diagnostic) => codeOf(diagnostic) === code)), codes.join(', '), timeoutMs);
}

/** Waits until the document has the given language (the client switches detected specs). */
export function waitForLanguage(document: vscode.TextDocument, languageId: string): Promise<vscode.TextDocument> {
  const current = () => vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === document.uri.toString());
  return waitFor(
    `${document.uri.path.split('/').pop() ?? ''} to become ${languageId}`,
    () => {
      const latest = current();
      return latest?.languageId === languageId ? latest : undefined;
    },
    [vscode.workspace.onDidOpenTextDocument, vscode.workspace.onDidCloseTextDocument],
    () => `Language now: ${current()?.languageId ?? 'closed'}`,
  );
}

/** Whether an item list has a label (completion labels may be strings or objects). */
export function labelsOf(items: readonly vscode.CompletionItem[]): string[] {
  return items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
}

/** The plain text of hover contents. */
export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

/**
 * Opens a fixture and resolves once the language server has published diagnostics for it (possibly
 * none: a valid spec gets an empty list, which fires the same event). Subscribes before opening, so a
 * fast server cannot be missed; use it for documents the run has not opened before.
 */
export async function openChecked(relativePath: string, timeoutMs = defaultTimeoutMs): Promise<vscode.TextDocument> {
  const uri = fixtureUri(relativePath);
  if (vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString())) {
    throw new Error(`openChecked(${relativePath}): the document is already open, so its check may be over; use a fixture of its own`);
  }
  let published = false;
  const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
    published ||= event.uris.some((changed) => changed.toString() === uri.toString());
  });
  try {
    const document = await openFixture(relativePath);
    await waitFor(
      `the language server to check ${relativePath}`,
      () => (published || vscode.languages.getDiagnostics(uri).length > 0 ? true : undefined),
      [vscode.languages.onDidChangeDiagnostics],
      () => 'No diagnostics were published for it.',
      timeoutMs,
    );
    return document;
  } finally {
    subscription.dispose();
  }
}
