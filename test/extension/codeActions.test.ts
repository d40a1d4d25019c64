/**
 * Quick fixes through VS Code's own code-action command, applied as the light bulb applies them, and
 * "Fix all" (`source.fixAll.spcs`).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { codeOf, openFixture, positionOf, waitForCodes, waitForDiagnostics } from './helpers';

async function codeActions(document: vscode.TextDocument, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', document.uri, range, kind);
  return (actions ?? []).filter((action): action is vscode.CodeAction => 'edit' in action || 'kind' in action);
}

async function apply(action: vscode.CodeAction): Promise<void> {
  assert.ok(action.edit, `"${action.title}" has no edit`);
  assert.equal(await vscode.workspace.applyEdit(action.edit), true, `"${action.title}" did not apply`);
}

describe('code actions', () => {
  it('changes an HTTPS endpoint to HTTP from the quick fix', async () => {
    const document = await openFixture('https-endpoint.spcs.yaml');
    const [diagnostic] = (await waitForCodes(document.uri, ['https-protocol'])).filter((item) => codeOf(item) === 'https-protocol');
    assert.ok(diagnostic);
    const actions = await codeActions(document, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((action) => /HTTP\b/.test(action.title) && !/HTTPS/.test(action.title));
    assert.ok(fix, `no "Change to HTTP" fix among ${JSON.stringify(actions.map((action) => action.title))}`);
    assert.equal(fix.isPreferred, true);
    await apply(fix);
    assert.match(document.getText(), /protocol: HTTP\n/);
    await waitForDiagnostics(document.uri, (diagnostics) => !diagnostics.some((item) => codeOf(item) === 'https-protocol'), 'https-protocol to go');
  });

  it('renames a legacy singular container key', async () => {
    const document = await openFixture('legacy-container.spcs.yaml');
    const diagnostics = await waitForCodes(document.uri, ['legacy-singular-key']);
    const legacy = diagnostics.find((item) => codeOf(item) === 'legacy-singular-key');
    assert.ok(legacy);
    assert.ok(legacy.range.contains(positionOf(document, '  container:', 2)), 'the diagnostic is not on the key');
    const actions = await codeActions(document, legacy.range, vscode.CodeActionKind.QuickFix.value);
    const rename = actions.find((action) => action.title.includes('containers'));
    assert.ok(rename, `no rename among ${JSON.stringify(actions.map((action) => action.title))}`);
    await apply(rename);
    assert.match(document.getText(), /^ {2}containers:$/m);
    assert.doesNotMatch(document.getText(), /^ {2}container:$/m);
    await waitForDiagnostics(document.uri, (items) => !items.some((item) => codeOf(item) === 'legacy-singular-key'), 'legacy-singular-key to go');
  });

  it('fixes every auto-fixable problem with Fix all', async () => {
    const document = await openFixture('fix-all.spcs.yaml');
    await waitForCodes(document.uri, ['legacy-singular-key', 'https-protocol']);
    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    const actions = await codeActions(document, whole, 'source.fixAll.spcs');
    const fixAll = actions.find((action) => action.kind?.value === 'source.fixAll.spcs');
    assert.ok(fixAll, `no source.fixAll.spcs action among ${JSON.stringify(actions.map((action) => action.kind?.value))}`);
    await apply(fixAll);
    assert.match(document.getText(), /^ {2}containers:$/m);
    assert.match(document.getText(), /protocol: HTTP\n/);
    await waitForDiagnostics(
      document.uri,
      (items) => !items.some((item) => ['legacy-singular-key', 'https-protocol'].includes(codeOf(item))),
      'the fixed problems to go',
    );
  });
});
