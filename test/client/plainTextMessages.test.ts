/**
 * No markdown in what the client shows as plain text. Notifications, QuickPick labels and details,
 * input box prompts, output channel lines, tree descriptions and plain-string tooltips all show a
 * backtick as a backtick, so the client quotes names as 'name' (as TypeScript's messages do).
 *
 * A message is usually built far from the `window.show*Message` that shows it (a refusal of the deploy
 * planner, a classified Snowflake error, a readiness hint), so this test does not follow calls: it reads
 * every string and template literal of `client/src` with the TypeScript parser and refuses a backtick
 * in any of them, unless the literal is part of markdown VS Code renders:
 * - an argument of `new MarkdownString(…)` or `.appendMarkdown(…)`;
 * - a template tagged `markdown` (client/src/markdown.ts), the marker for markdown built elsewhere,
 *   such as the trees' tooltips (presentation.ts), which treeItems.ts wraps in a MarkdownString.
 * Comments and regular expressions are not messages and are not read. The manifest's contributions
 * are read too: a welcome view shows backticks as they are (only its links render).
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const root = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return name.endsWith('.ts') ? [file] : [];
  });
}

const markdownCalls: ReadonlySet<string> = new Set(['MarkdownString', 'appendMarkdown']);

function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return undefined;
}

/** Inside `new MarkdownString(…)`, `.appendMarkdown(…)` or a `markdown` tagged template. */
function inMarkdown(node: ts.Node): boolean {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (ts.isTaggedTemplateExpression(current) && calleeName(current.tag) === 'markdown') return true;
    if ((ts.isCallExpression(current) || ts.isNewExpression(current)) && markdownCalls.has(calleeName(current.expression) ?? '')) {
      // Only the arguments are markdown, not the callee's own expression.
      if (current.arguments?.some((argument) => argument.pos <= node.pos && node.end <= argument.end)) return true;
    }
  }
  return false;
}

/** Every literal outside markdown whose text holds a backtick, as `file:line: text`. */
export function markdownInPlainText(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const literal = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node);
    if (literal && node.text.includes('`') && !inMarkdown(node)) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push(`${path.relative(root, fileName)}:${line}: ${node.text.trim().slice(0, 120)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('client messages shown as plain text carry no markdown', () => {
  it('finds a backtick in a notification, a message built elsewhere and a QuickPick detail, and lets markdown through', () => {
    const sample = [
      "void vscode.window.showInformationMessage(`Deployed \\`${name}\\``);",
      "const refusal = { message: 'The spec needs `spec:` first.' };",
      "const item = { label: pool, detail: `fits \\`${family}\\`` };",
      "tooltip.appendMarkdown(`**Connection** \\`${name}\\``);",
      "const hover = new vscode.MarkdownString('Use `snow`');",
      "const tip = markdown`**Pool** \\`${name}\\``;",
      "const plain = `Deployed '${name}'`; // a `comment` is fine",
      'const pattern = /`/g;',
    ].join('\n');
    const found = markdownInPlainText(path.join(root, 'client/src/sample.ts'), sample);
    assert.deepEqual(
      found.map((entry) => entry.replace(/^client\/src\/sample\.ts:/, '')),
      ['1: Deployed `', '1: `', '2: The spec needs `spec:` first.', '3: fits `', '3: `'],
    );
  });

  it('the manifest has none where VS Code shows plain text (welcome views, titles, plain setting descriptions)', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: Record<string, unknown> };
    const found: string[] = [];
    // markdownDescription renders markdown; every other string of `contributes` is shown as it is
    // (the welcome views render links and nothing else).
    const walk = (value: unknown, where: string): void => {
      if (typeof value === 'string') {
        if (value.includes('`') && !where.endsWith('.markdownDescription')) found.push(`${where}: ${value.slice(0, 100)}`);
      } else if (value !== null && typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) walk(child, `${where}.${key}`);
      }
    };
    walk(manifest.contributes, 'contributes');
    assert.deepEqual(found, []);
  });

  it('client/src has none', () => {
    const files = sourceFiles(path.join(root, 'client/src'));
    assert.ok(files.length > 50, `expected the client's sources, found ${files.length}`);
    const found = files.flatMap((file) => markdownInPlainText(file, readFileSync(file, 'utf8')));
    assert.deepEqual(found, [], "quote names as 'name' in plain text; markdown goes through MarkdownString, appendMarkdown or the markdown tag");
  });
});
