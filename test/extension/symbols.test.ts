/**
 * The outline: document symbols through VS Code's symbol command.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { openChecked } from './helpers';

function names(symbols: readonly vscode.DocumentSymbol[]): string[] {
  return symbols.flatMap((symbol) => [symbol.name, ...names(symbol.children)]);
}

describe('outline', () => {
  it('lists the containers, endpoints and volumes of a spec', async () => {
    const document = await openChecked('outline.spcs.yaml');
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri);
    const all = names(symbols ?? []);
    for (const name of ['vllm', 'chat-ui', 'chat', 'openai-api', 'models', 'chat_users']) {
      assert.ok(all.some((symbol) => symbol.includes(name)), `"${name}" is not in the outline ${JSON.stringify(all)}`);
    }
  });
});
