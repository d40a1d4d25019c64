/**
 * The items of one completion request (`completion.ts`): one replace range, no duplicate labels, a
 * sort order by group (required keys, snippets, optional keys, values, the modeline), markdown
 * documentation.
 *
 * Must not: decide what is offered.
 */

import { InsertTextMode, InsertTextFormat, CompletionItemKind, MarkupKind, type CompletionItem, type Range } from 'vscode-languageserver-types';
import { instanceFamilies } from './instanceFamilies';
import { schemaTypes, type DefaultSnippet, type JsonSchema } from './schema';
import { type AccountCompletionContext } from './catalog/catalogCompletion';
import type { ValidationSettings } from './rules/ruleApi';

export interface CompletionContext {
  readonly settings: ValidationSettings;
  /** Live account data, when a client sent a catalog. */
  readonly account?: AccountCompletionContext;
  /**
   * The schema of another document kind (a gateway spec) whose keys and values to offer instead of
   * the service spec's; the service spec's modeline and account values are then not offered.
   */
  readonly schema?: JsonSchema;
}

/** Items for one request: one replace range, no duplicate labels. */
export class Collector {
  readonly items: CompletionItem[] = [];
  /** Set when an item depends on what was typed (`4` → `4Gi`): the client must ask again as typing goes on. */
  isIncomplete = false;
  private readonly labels = new Set<string>();

  constructor(readonly range: Range) {}

  add(item: Omit<CompletionItem, 'textEdit'>, newText: string, range: Range = this.range): void {
    if (this.labels.has(item.label)) {
      return;
    }
    this.labels.add(item.label);
    this.items.push({ ...item, textEdit: { range, newText } });
  }
}

export const sortGroup = { required: '0', snippet: '1', optional: '2', value: '3', modeline: '9' } as const;

export function sortKey(group: string, index: number): string {
  return `${group}${String(index).padStart(4, '0')}`;
}

export function markdown(value: string | undefined): CompletionItem['documentation'] {
  return value ? { kind: MarkupKind.Markdown, value } : undefined;
}

/** The name of a `$ref` (`#/definitions/Container` → `Container`). */
export function refName(schema: JsonSchema | undefined): string | undefined {
  return schema?.$ref?.split('/').pop();
}

// ---------------------------------------------------------------------------------------------------
// Snippets.

export function addSnippets(snippets: readonly DefaultSnippet[] | undefined, column: number, lead: string, out: Collector): void {
  (snippets ?? []).forEach((snippet, index) => {
    if (snippet.bodyText === undefined) {
      return;
    }
    const label = snippet.label ?? firstLine(snippet.bodyText);
    out.add(
      {
        label,
        kind: CompletionItemKind.Snippet,
        detail: 'snippet',
        documentation: markdown(snippetDocumentation(snippet)),
        sortText: sortKey(sortGroup.snippet, index),
        insertTextFormat: InsertTextFormat.Snippet,
        insertTextMode: InsertTextMode.asIs,
      },
      lead + reindent(snippet.bodyText, column),
    );
  });
}

/** Continuation lines of a snippet moved to the cursor's column (the first line goes where the cursor is). */
export function reindent(body: string, column: number): string {
  const indent = ' '.repeat(column);
  return body
    .split('\n')
    .map((line, index) => (index === 0 || line === '' ? line : indent + line))
    .join('\n');
}

export function snippetDocumentation(snippet: DefaultSnippet): string {
  const body = (snippet.bodyText ?? '')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\{\d+\|([^,|]*)[^}]*\|\}/g, '$1')
    .replace(/\$\d+/g, '');
  const text = snippet.markdownDescription ?? snippet.description;
  return `${text ? `${text}\n\n` : ''}\`\`\`yaml\n${body}\n\`\`\``;
}

export function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

export function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, '\\$&');
}

/** A snippet choice of every known instance family. */
export function familyChoice(): string {
  return `\${1|${instanceFamilies.map((family) => family.name).join(',')}|}`;
}

export function isObjectSchema(schema: JsonSchema): boolean {
  return schema.properties !== undefined || schemaTypes(schema).includes('object');
}

export function isArraySchema(schema: JsonSchema): boolean {
  const types = schemaTypes(schema);
  return types.length === 1 && types[0] === 'array';
}
