/**
 * SQL the user reads, edits and runs: an untitled SQL editor beside the current one (the GRANT
 * script of the privilege preflight, a service function's CREATE FUNCTION).
 *
 * Must not: run anything.
 */

import * as vscode from 'vscode';

/** Opens `text` in a new untitled SQL editor beside the current one. */
export async function openSqlDocument(text: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: 'sql', content: text });
  await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  return document;
}
