/**
 * Completion through VS Code's completion command, as the suggest widget asks for it: the keys a
 * container may still have, and the values of an enum. (Accepting an item is a browser journey.)
 */

import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { labelsOf, openChecked, openFixture, positionOf } from './helpers';

async function completions(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
  return list?.items ?? [];
}

describe('completion', () => {
  before(async () => {
    await openChecked('completion.spcs.yaml');
  });

  it('offers the keys of a container on a new line', async () => {
    const document = await openFixture('completion.spcs.yaml');
    const editor = await vscode.window.showTextDocument(document);
    const afterImage = positionOf(document, 'echo:1.2.0').translate(0, 'echo:1.2.0'.length);
    await editor.edit((edit) => edit.insert(afterImage, '\n      '));
    const position = afterImage.translate(1).with({ character: 6 });
    const labels = labelsOf(await completions(document, position));
    for (const key of ['resources', 'env', 'volumeMounts']) {
      assert.ok(labels.includes(key), `"${key}" is not offered; got ${JSON.stringify(labels.slice(0, 40))}`);
    }
    assert.ok(!labels.includes('image'), 'offers image, which the container already has');
  });

  it('offers the protocols for an endpoint', async () => {
    const document = await openFixture('completion.spcs.yaml');
    const value = positionOf(document, 'TCP');
    const labels = labelsOf(await completions(document, value));
    assert.ok(labels.includes('HTTP') && labels.includes('TCP'), `HTTP and TCP are not offered; got ${JSON.stringify(labels)}`);
  });
});
