/**
 * Completion for gateway specifications: the keys and fixed values of the gateway schema (through the
 * shared schema completion of `../completion.ts`), the weight that makes a traffic split add up to 100,
 * and, with a live account catalog, endpoint references `db.schema.service!endpoint` for every HTTP
 * endpoint of the long-running services the role can see (built once per catalog).
 *
 * Must not: throw, re-parse, or offer anything inside a templated value (the site is `none` there).
 */

import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionList, type Position } from 'vscode-languageserver-types';
import { qualifiedKey, type AccountIndex } from '../catalog/catalogIndex';
import type { AccountView } from '../catalog/catalogState';
import { getCompletions } from '../completion';
import type { ValidationSettings } from '../rules/ruleApi';
import { offsetsToRange, type SpecDocument } from '../specDocument';
import { completionSite, type ValueSite } from '../cursor/completionSite';
import { gatewayRootSchema } from './gatewaySchema';
import { formatEndpointReference, readGatewaySpec, referenceKey, type GatewaySpecModel } from './gatewaySpec';

export function getGatewayCompletions(doc: SpecDocument, position: Position, settings: ValidationSettings, account: AccountView | undefined): CompletionList {
  const list = getCompletions(doc, position, { settings, schema: gatewayRootSchema });
  const site = completionSite(doc, doc.textDocument.offsetAt(position));
  if (site.kind !== 'value' || site.inFlowSequence) {
    return list;
  }
  const [spec, listKey, index] = site.path;
  if (spec !== 'spec' || typeof index !== 'number' || (listKey !== 'targets' && listKey !== 'primary' && listKey !== 'shadow')) {
    return list;
  }
  const model = readGatewaySpec(doc);
  const extra: CompletionItem[] = [];
  if (site.key === 'weight' && listKey === 'targets') {
    extra.push(...remainingWeight(doc, site, model, index));
  }
  if (site.key === 'value' && account) {
    extra.push(...referenceItems(doc, site, model, account.index));
  }
  const labels = new Set(extra.map((item) => item.label));
  return { isIncomplete: list.isIncomplete, items: [...extra, ...list.items.filter((item) => !labels.has(item.label))] };
}

/** The weight that makes the targets add up to 100, when the other weights are known. */
function remainingWeight(doc: SpecDocument, site: ValueSite, model: GatewaySpecModel, index: number): CompletionItem[] {
  const others = model.endpoints.filter((endpoint) => endpoint.role === 'target' && endpoint.index !== index);
  if (others.some((endpoint) => endpoint.weight === undefined || !Number.isInteger(endpoint.weight))) {
    return [];
  }
  const rest = 100 - others.reduce((sum, endpoint) => sum + (endpoint.weight ?? 0), 0);
  if (rest < 0 || rest > 100) {
    return [];
  }
  return [
    {
      label: String(rest),
      kind: CompletionItemKind.Value,
      detail: others.length === 0 ? 'the only target takes every request' : 'makes the weights add up to 100',
      sortText: '0',
      insertTextFormat: InsertTextFormat.PlainText,
      textEdit: { range: offsetsToRange(doc, site.replaceStart, site.replaceEnd), newText: `${site.needsSpace ? ' ' : ''}${rest}` },
    },
  ];
}

interface ReferenceChoice {
  readonly text: string;
  readonly key: string;
  readonly detail: string;
  readonly documentation: string;
}

function referenceItems(doc: SpecDocument, site: ValueSite, model: GatewaySpecModel, index: AccountIndex): CompletionItem[] {
  const listed = new Set(model.endpoints.flatMap((endpoint) => (endpoint.reference && endpoint.index !== site.path[2] ? [referenceKey(endpoint.reference)] : [])));
  const choices = index.derived.get('gatewayEndpointReferences', () => referenceChoices(index));
  const range = offsetsToRange(doc, site.replaceStart, site.replaceEnd);
  const lead = site.needsSpace ? ' ' : '';
  return choices.map((choice, position) => ({
    label: choice.text,
    kind: CompletionItemKind.Reference,
    detail: listed.has(choice.key) ? `${choice.detail} (already in this gateway)` : choice.detail,
    documentation: { kind: MarkupKind.Markdown, value: choice.documentation },
    sortText: `${listed.has(choice.key) ? '3' : '1'}${String(position).padStart(5, '0')}`,
    filterText: choice.text,
    insertTextFormat: InsertTextFormat.PlainText,
    textEdit: { range, newText: lead + choice.text },
  }));
}

/** Every HTTP endpoint of every long-running service in the catalog, as a reference. */
function referenceChoices(index: AccountIndex): ReferenceChoice[] {
  const choices: ReferenceChoice[] = [];
  for (const service of index.services?.list ?? []) {
    if (service.isJob) {
      continue;
    }
    for (const endpoint of service.endpoints ?? []) {
      const protocol = endpoint.protocol.trim().toUpperCase();
      if (protocol !== '' && protocol !== 'HTTP' && protocol !== 'HTTPS') {
        continue;
      }
      const reference = { database: service.database, schema: service.schema, service: service.name, endpoint: endpoint.name, quoted: [false, false, false, false] as const };
      const text = formatEndpointReference(reference);
      choices.push({
        text,
        key: referenceKey(reference),
        detail: `HTTP endpoint of ${service.name}${service.status ? ` (${service.status})` : ''}${endpoint.isPublic ? ', public' : ''}`,
        documentation: [
          `Endpoint \`${endpoint.name}\` of service \`${qualifiedKey(service)}\`${service.computePool ? ` in compute pool ${service.computePool}` : ''}.`,
          endpoint.ingressUrl ? `Ingress URL: ${endpoint.ingressUrl}` : undefined,
          `_${index.asOf.charAt(0).toUpperCase()}${index.asOf.slice(1)}._`,
        ]
          .filter((line) => line !== undefined)
          .join('\n\n'),
      });
    }
  }
  return choices.sort((a, b) => a.text.localeCompare(b.text));
}
