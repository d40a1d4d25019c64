/**
 * The check behind "messages shown as plain text carry no markdown": VS Code shows a diagnostic's
 * message and related information, a quick fix's title and a completion item's label and detail as
 * plain text (the Problems panel, the squiggle's hover, the light bulb menu, the suggest widget), so a
 * backtick or `**` there reaches the user as a literal character. Quote names as TypeScript does:
 * 'gpu-worker'. Hover contents and completion documentation are markdown and not checked here.
 *
 * Used by the rule helpers (test/unit/helpers.ts), the account fixture (accountFixture.ts) and
 * plainTextMessages.test.ts, so every fixture of every tier's unit tests goes through it.
 */

import type { CodeAction, CompletionItem, Diagnostic } from 'vscode-languageserver-types';
import type { DiagnosticData } from '../../server/src/service/validate';

/** What markdown looks like in a plain-text message: a code span or bold. */
const markdownPattern = /`|\*\*/;

export function hasMarkdown(text: string): boolean {
  return markdownPattern.test(text);
}

/** Every plain-text string of the diagnostics (with their quick fixes) that looks like markdown, described. */
export function markdownInDiagnostics(diagnostics: readonly Diagnostic[]): string[] {
  const found: string[] = [];
  for (const diagnostic of diagnostics) {
    const code = String(diagnostic.code);
    if (hasMarkdown(diagnostic.message)) found.push(`${code} message: ${diagnostic.message}`);
    for (const related of diagnostic.relatedInformation ?? []) {
      if (hasMarkdown(related.message)) found.push(`${code} related information: ${related.message}`);
    }
    for (const fix of (diagnostic.data as Partial<DiagnosticData> | undefined)?.fixes ?? []) {
      if (hasMarkdown(fix.title)) found.push(`${code} quick fix title: ${fix.title}`);
    }
  }
  return found;
}

export function markdownInCodeActions(actions: readonly CodeAction[]): string[] {
  return actions.filter((action) => hasMarkdown(action.title)).map((action) => `code action title: ${action.title}`);
}

export function markdownInCompletions(items: readonly CompletionItem[]): string[] {
  const found: string[] = [];
  for (const item of items) {
    if (hasMarkdown(item.label)) found.push(`completion label: ${item.label}`);
    if (item.detail !== undefined && hasMarkdown(item.detail)) found.push(`completion detail (${item.label}): ${item.detail}`);
    if (item.labelDetails?.detail !== undefined && hasMarkdown(item.labelDetails.detail)) found.push(`completion label detail (${item.label}): ${item.labelDetails.detail}`);
    if (item.labelDetails?.description !== undefined && hasMarkdown(item.labelDetails.description)) found.push(`completion label description (${item.label}): ${item.labelDetails.description}`);
  }
  return found;
}

/** Throws when a diagnostic's plain-text parts look like markdown. */
export function assertPlainTextDiagnostics(diagnostics: readonly Diagnostic[], where = ''): void {
  const found = markdownInDiagnostics(diagnostics);
  if (found.length > 0) {
    throw new Error(`Markdown in plain-text diagnostic parts${where ? ` (${where})` : ''}: quote names as 'name', not \`name\`.\n  ${found.join('\n  ')}`);
  }
}
