/**
 * The extension in a real extension host: it activates on a spec, registers its commands, switches a
 * spec saved as plain `.yaml` (or a YAML template opened as plain text) to the spec language, and leaves
 * other YAML alone.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { codesOf, extensionId, openChecked, openFixture, specLanguageId, waitForCodes, waitForLanguage } from './helpers';

describe('activation', () => {
  it('activates when a spec opens', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not installed in this host`);
    const document = await openFixture('problems.spcs.yaml');
    assert.equal(document.languageId, specLanguageId);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['spcs.restartLanguageServer', 'spcs.showOutput']) {
      assert.ok(commands.includes(command), `${command} is not registered`);
    }
  });

  it('switches a spec named .yaml to the spec language and checks it', async () => {
    const opened = await openChecked('service.yaml');
    const document = await waitForLanguage(opened, specLanguageId);
    const errors = vscode.languages.getDiagnostics(document.uri).filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(errors.map((diagnostic) => diagnostic.message), []);
  });

  it('switches a YAML template opened as plain text (spec.yaml.tftpl) to the spec language, without a false error', async () => {
    const opened = await openFixture('service.yaml.tftpl');
    assert.equal(opened.languageId === 'plaintext' || opened.languageId === specLanguageId, true, `opened as ${opened.languageId}`);
    const document = await waitForLanguage(opened, specLanguageId);
    // Checked once switched: a spec opened after it has been checked, so this one has been too.
    await openChecked('after-template.spcs.yaml');
    assert.deepEqual(codesOf(document.uri), []);
  });

  it('leaves YAML that is not a spec alone', async () => {
    const workflow = await openFixture('workflow.yaml');
    // The server handles documents in order: once a spec opened after the workflow has been checked,
    // the workflow has been decided too (no diagnostics, published or not).
    await openChecked('valid.spcs.yaml');
    assert.equal(workflow.languageId, 'yaml');
    assert.deepEqual(codesOf(workflow.uri), []);
  });

  it('restarts the language server on command and keeps checking', async () => {
    await vscode.commands.executeCommand('spcs.restartLanguageServer');
    const document = await openFixture('editing.spcs.yaml');
    const editor = await vscode.window.showTextDocument(document);
    const port = document.getText().indexOf('port: 8000', document.getText().indexOf('endpoints:'));
    const start = document.positionAt(port + 'port: '.length);
    await editor.edit((edit) => edit.replace(new vscode.Range(start, start.translate(0, 4)), '99999'));
    await waitForCodes(document.uri, ['invalid-port']);
  });
});
