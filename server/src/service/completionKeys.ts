/**
 * Completion of keys: the schema's properties at the cursor's mapping (required first, documented,
 * inserted with the right continuation for objects and lists) and its `defaultSnippets` for list items
 * and empty mappings. Part of `completion.ts`.
 *
 * Must not: throw or describe fields itself: documentation comes from the schema.
 */

import { CompletionItemKind, InsertTextFormat, InsertTextMode } from 'vscode-languageserver-types';
import { propertyNames, resolveRef, schemaTypes, type JsonSchema } from './schema';
import { type SpecDocument } from './specDocument';
import { type KeySite } from './cursor/completionSite';
import { schemaDocumentation, schemaTarget } from './cursor/schemaTarget';
import { addSnippets, escapeSnippet, familyChoice, isArraySchema, isObjectSchema, markdown, refName, sortGroup, sortKey, type Collector, type CompletionContext } from './completionItems';
import { addValues } from './completionValues';

export function completeKey(doc: SpecDocument, site: KeySite, ctx: CompletionContext, out: Collector): void {
  const lead = site.needsSpace ? ' ' : '';
  if (site.atDocumentStart && ctx.schema === undefined) {
    out.add(
      {
        label: '# spcs: instance-family=',
        kind: CompletionItemKind.Snippet,
        detail: 'Modeline: the instance family capacity checks and hovers use',
        documentation: markdown('Tells the language server which compute-pool instance family this spec runs on, for GPU and capacity checks.'),
        sortText: sortKey(sortGroup.modeline, 0),
        insertTextFormat: InsertTextFormat.Snippet,
      },
      `# spcs: instance-family=${familyChoice()}\n$0`,
    );
  }
  const target = schemaTarget(site.path, ctx.schema);
  const schema = target.schema;
  if (!schema || site.hasColon) {
    if (schema && isObjectSchema(schema)) {
      addKeys(schema, site.siblings, site.column, '', true, out);
    }
    return;
  }
  if (site.afterDash && site.siblings.size === 0 && !isObjectSchema(schema)) {
    // Right after `- ` in a list of scalars (service role endpoints, metric groups): the item itself.
    addValues(doc, { path: site.path, target, siblings: site.siblings, prefix: site.prefix }, ctx, out, { lead, quote: undefined });
    return;
  }
  if (isArraySchema(schema) && !site.afterDash) {
    const itemTarget = schemaTarget([...site.path, 0], ctx.schema);
    const item = itemTarget.schema;
    if (item && isObjectSchema(item) && site.siblings.size > 0) {
      // Keys next to the cursor: a legacy singular key (`container:`) holding one mapping, not a list.
      addKeys(item, site.siblings, site.column, lead, false, out);
      return;
    }
    // Below `containers:` before any `- `: a new item, dash included.
    if (item && isObjectSchema(item)) {
      addSnippets(item.defaultSnippets, site.column + 2, '- ', out);
      addKeys(item, new Map(), site.column + 2, '- ', false, out);
    } else {
      addValues(doc, { path: [...site.path, 0], target: itemTarget, siblings: new Map(), prefix: site.prefix }, ctx, out, { lead: '- ', quote: undefined });
    }
    return;
  }
  if (isObjectSchema(schema)) {
    if (site.siblings.size === 0) {
      addSnippets(schema.defaultSnippets, site.column, lead, out);
    }
    addKeys(schema, site.siblings, site.column, lead, false, out);
  }
}

function addKeys(schema: JsonSchema, siblings: ReadonlyMap<string, string>, column: number, lead: string, nameOnly: boolean, out: Collector): void {
  const required = new Set(schema.required ?? []);
  propertyNames(schema).forEach((name, index) => {
    if (siblings.has(name)) {
      return;
    }
    const declared = schema.properties?.[name];
    const resolved = resolveRef(declared);
    const isRequired = required.has(name);
    out.add(
      {
        label: name,
        kind: CompletionItemKind.Property,
        detail: keyDetail(declared, resolved, isRequired),
        documentation: markdown(schemaDocumentation({ declared, schema: resolved })),
        sortText: sortKey(isRequired ? sortGroup.required : sortGroup.optional, index),
        filterText: name,
        insertTextFormat: InsertTextFormat.Snippet,
        insertTextMode: InsertTextMode.asIs,
      },
      lead + (nameOnly ? escapeSnippet(name) : keyInsertText(name, resolved, column)),
    );
  });
}

/** `key: `, or `key:` with the cursor on the next line, indented for a mapping or a list item. */
function keyInsertText(name: string, schema: JsonSchema | undefined, column: number): string {
  const key = escapeSnippet(name);
  const types = schemaTypes(schema);
  const childIndent = ' '.repeat(column + 2);
  if (types.length === 1 && types[0] === 'array') {
    return `${key}:\n${childIndent}- `;
  }
  if (types.length === 1 && types[0] === 'object') {
    return `${key}:\n${childIndent}`;
  }
  return `${key}: `;
}

function keyDetail(declared: JsonSchema | undefined, schema: JsonSchema | undefined, isRequired: boolean): string {
  const parts = [typeLabel(declared, schema)];
  if (isRequired) {
    parts.push('required');
  }
  if (schema?.default !== undefined) {
    parts.push(`default: ${JSON.stringify(schema.default)}`);
  }
  return parts.join(' · ');
}

/** A short type for `detail`: `list of container`, `memory quantity`, `TCP | HTTP`, `boolean`. */
function typeLabel(declared: JsonSchema | undefined, schema: JsonSchema | undefined): string {
  if (!schema) {
    return 'any';
  }
  if (schema.enum) {
    return schema.enum.map(String).join(' | ');
  }
  const types = schemaTypes(schema);
  if (types.includes('array')) {
    const itemRef = refName(schema.items);
    return `list of ${itemRef ? words(itemRef) : schemaTypes(resolveRef(schema.items)).join(' | ') || 'any'}`;
  }
  const ref = refName(declared);
  if (ref && ref !== 'name') {
    return words(ref);
  }
  return types.join(' | ') || 'any';
}


export function words(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}


