/**
 * Completion for spec documents.
 *
 * Owns what is offered where (keys and snippets: `completionKeys.ts`, values: `completionValues.ts`,
 * the modeline here): keys from the schema (required first, documented, inserted with the
 * right continuation for objects and lists), the schema's `defaultSnippets` for list items and empty
 * mappings, values (enums with their descriptions, booleans, defaults and examples), names the spec
 * defines (volumes for `volumeMounts[].name`, endpoints for service roles and probe ports), quantities
 * with units (memory, cpu, block size, GPU counts bounded by the instance family), and the
 * `# spcs: instance-family=` modeline with every known family. With a live account catalog
 * (`catalog/catalogCompletion.ts`), also image paths, stage and secret names, and the modeline's
 * `pool=` / `connection=` values.
 *
 * Where the cursor is comes from `completionSite`, which reads indentation rather than the parse tree,
 * so half-typed lines and documents with parse errors still complete. Multi-line insertions use
 * absolute indentation (`InsertTextMode.asIs`): after `- ` the item's keys sit two columns right of
 * the line's own indentation, which an editor's automatic re-indentation would get wrong.
 *
 * Must not: throw, re-parse, or describe fields itself: documentation comes from the schema.
 */

import { CompletionItemKind, InsertTextFormat, type CompletionList, type Position } from 'vscode-languageserver-types';
import { modelineItems } from './catalog/catalogCompletion';
import { familyDescription, instanceFamilies } from './instanceFamilies';
import { offsetsToRange, type SpecDocument } from './specDocument';
import { completionSite, type CommentSite } from './cursor/completionSite';
import { Collector, familyChoice, markdown, sortGroup, sortKey, type CompletionContext } from './completionItems';
import { completeKey } from './completionKeys';
import { completeValue } from './completionValues';

export function getCompletions(doc: SpecDocument, position: Position, ctx: CompletionContext): CompletionList {
  const site = completionSite(doc, doc.textDocument.offsetAt(position));
  if (site.kind === 'none') {
    return { isIncomplete: false, items: [] };
  }
  const out = new Collector(offsetsToRange(doc, site.replaceStart, site.replaceEnd));
  if (site.kind === 'comment') {
    if (ctx.schema === undefined) {
      if (ctx.schema === undefined) {
        completeComment(doc, site, ctx, out);
      }
    }
  } else if (site.kind === 'key') {
    completeKey(doc, site, ctx, out);
  } else {
    completeValue(doc, site, ctx, out);
  }
  return { isIncomplete: out.isIncomplete, items: out.items };
}

// ---------------------------------------------------------------------------------------------------
// The instance-family modeline.

const familyValue = /^(\s*spcs\s*:.*?instance[-_]?family\s*[=:]\s*["']?)([A-Za-z0-9_]*)$/i;
const modelineText = 'spcs: instance-family=';

function completeComment(doc: SpecDocument, site: CommentSite, ctx: CompletionContext, out: Collector): void {
  const live = ctx.account ? modelineItems(site, ctx.account) : undefined;
  if (live) {
    let end = site.replaceEnd;
    while (end < doc.text.length && /[A-Za-z0-9_$.-]/.test(doc.text.charAt(end))) {
      end++;
    }
    const range = offsetsToRange(doc, site.contentStart + live.valueStart, end);
    for (const { item, value } of live.items) {
      out.add(item, value, range);
    }
  }
  const value = familyValue.exec(site.text);
  if (value) {
    // Replace the whole family word, including any part of it after the cursor.
    const start = site.contentStart + (value[1] ?? '').length;
    let end = site.replaceEnd;
    while (end < doc.text.length && /[A-Za-z0-9_]/.test(doc.text.charAt(end))) {
      end++;
    }
    const range = offsetsToRange(doc, start, end);
    instanceFamilies.forEach((family, index) => {
      out.add(
        {
          label: family.name,
          kind: CompletionItemKind.EnumMember,
          detail: familyDescription(family),
          documentation: markdown(familyDocumentation(family)),
          sortText: sortKey(sortGroup.value, index),
        },
        family.name,
        range,
      );
    });
    return;
  }
  const typed = site.text.trimStart();
  if (site.line < 20 && modelineText.startsWith(typed.toLowerCase()) && typed.length < modelineText.length) {
    out.add(
      {
        label: modelineText,
        kind: CompletionItemKind.Snippet,
        detail: 'Modeline: the instance family capacity checks and hovers use',
        filterText: site.text,
        sortText: sortKey(sortGroup.modeline, 0),
        insertTextFormat: InsertTextFormat.Snippet,
      },
      ` ${modelineText}${familyChoice()}`,
    );
  }
}

function familyDocumentation(family: (typeof instanceFamilies)[number]): string {
  const lines = [`**${familyDescription(family)}**`];
  if (family.clouds.length > 0) {
    lines.push(`Clouds: ${family.clouds.join(', ')}`);
  }
  if (family.note) {
    lines.push(family.note);
  }
  return lines.join('\n\n');
}

