/**
 * Hover through VS Code's hover command: the field documentation from the schema.
 */

import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { hoverText, openChecked, openFixture, positionOf } from './helpers';

async function hoverAt(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  return hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position)) ?? []);
}

describe('hover', () => {
  before(async () => {
    await openChecked('hover.spcs.yaml');
  });

  it('documents a field', async () => {
    const document = await openFixture('hover.spcs.yaml');
    const text = await hoverAt(document, positionOf(document, 'readinessProbe', 3));
    assert.match(text, /readiness/i);
    assert.match(text, /path/);
  });

  it('documents the image field', async () => {
    const document = await openFixture('hover.spcs.yaml');
    const text = await hoverAt(document, positionOf(document, 'image:', 2));
    assert.match(text, /image repository/i);
  });
});
