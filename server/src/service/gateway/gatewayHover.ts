/**
 * Hover for gateway specifications: the field's documentation from the gateway schema (an enum
 * value's own description first), and what the document says: a target's share of the requests (or the
 * percentage mirrored to a shadow endpoint), the whole split on `targets`, the parts of an endpoint
 * reference and, with a live account catalog, the service and endpoint it names (status, compute pool,
 * protocol, public or not, ingress URL).
 *
 * Must not: throw, re-parse, or write field documentation of its own (that is the schema's).
 */

import { type Hover, type Position } from 'vscode-languageserver-types';
import { isScalar } from 'yaml';
import { upper } from '../catalog/catalogIndex';
import type { AccountView } from '../catalog/catalogState';
import { markdownHover, placeholderHoverAt } from '../hover';
import { nodeRange, type SpecDocument } from '../specDocument';
import { locateNode } from '../cursor/nodeAt';
import { schemaDocumentation, schemaTarget } from '../cursor/schemaTarget';
import { gatewayRootSchema } from './gatewaySchema';
import { endpointLists, readGatewaySpec, type GatewayEndpoint, type GatewaySpecModel } from './gatewaySpec';

export function getGatewayHover(doc: SpecDocument, position: Position, account: AccountView | undefined): Hover | null {
  const offset = doc.textDocument.offsetAt(position);
  const placeholder = placeholderHoverAt(doc, offset);
  if (placeholder) {
    return placeholder;
  }
  const location = locateNode(doc, offset);
  if (!location || !isScalar(location.node)) {
    return null;
  }
  const range = nodeRange(doc, location.node);
  const target = schemaTarget(location.path, gatewayRootSchema);
  const sections: string[] = [];
  const model = readGatewaySpec(doc);
  const endpoint = endpointAt(model, location.path);
  const field = location.path[location.path.length - 1];
  if (endpoint && field === 'weight') {
    sections.push(weightFact(model, endpoint));
  } else if (endpoint && field === 'value' && !location.isKey) {
    sections.push(...referenceFacts(endpoint, account));
  } else if (location.isKey && location.path.length === 2 && field === 'targets') {
    const split = splitFact(model);
    if (split) {
      sections.push(split);
    }
  }
  const value = location.node.value;
  if (!location.isKey && target.schema?.enum && target.schema.markdownEnumDescriptions) {
    const index = target.schema.enum.indexOf(typeof value === 'string' ? value.trim().toLowerCase() : value);
    const description = index === -1 ? undefined : target.schema.markdownEnumDescriptions[index];
    if (description) {
      sections.unshift(`\`${String(value)}\`: ${description}`);
    }
  }
  const documentation = schemaDocumentation(target);
  if (documentation) {
    sections.push(documentation);
  }
  return sections.length > 0 && range ? markdownHover(sections.join('\n\n---\n\n'), range) : null;
}


/** The endpoint whose item holds a path (`['spec', 'targets', 1, 'weight']`). */
function endpointAt(model: GatewaySpecModel, path: readonly (string | number)[]): GatewayEndpoint | undefined {
  const [spec, list, index] = path;
  if (spec !== 'spec' || typeof index !== 'number') {
    return undefined;
  }
  return model.endpoints.find((endpoint) => endpointLists[endpoint.role] === list && endpoint.index === index);
}

function label(endpoint: GatewayEndpoint): string {
  return endpoint.value ? `\`${endpoint.value}\`` : endpoint.role === 'target' ? `target ${endpoint.index + 1}` : `${endpoint.role} endpoint ${endpoint.index + 1}`;
}

function weightFact(model: GatewaySpecModel, endpoint: GatewayEndpoint): string {
  const weight = endpoint.weight;
  if (weight === undefined || !Number.isInteger(weight)) {
    return 'The weight is an integer from 0 to 100.';
  }
  if (endpoint.role === 'shadow') {
    return `**${weight}%** of the requests are mirrored to ${label(endpoint)} (its responses are dropped).`;
  }
  const targets = model.endpoints.filter((candidate) => candidate.role === 'target');
  const weights = targets.map((candidate) => candidate.weight);
  const known = weights.every((candidate): candidate is number => candidate !== undefined && Number.isInteger(candidate));
  const total = known ? weights.reduce((sum, candidate) => sum + candidate, 0) : undefined;
  const share = weight === 0 ? 'none of the requests (it stays in the gateway, ready to take traffic)' : `**${weight}%** of the requests (about ${weight} in 100)`;
  const sum = total === undefined || total === 100 ? '' : `\n\nThe weights add up to ${total}, not 100: the gateway cannot be created until they do.`;
  return `${label(endpoint)} receives ${share}.${sum}`;
}

function splitFact(model: GatewaySpecModel): string | undefined {
  const targets = model.endpoints.filter((candidate) => candidate.role === 'target');
  if (targets.length === 0) {
    return undefined;
  }
  const rows = targets.map((target) => `| ${target.index + 1} | ${target.value ? `\`${target.value}\`` : '?'} | ${target.weight ?? '?'} |`);
  return ['**Traffic split**', '', '| # | Endpoint | Weight |', '|---|---|---|', ...rows].join('\n');
}

function referenceFacts(endpoint: GatewayEndpoint, account: AccountView | undefined): string[] {
  const reference = endpoint.reference;
  if (!reference) {
    return [];
  }
  const lines = [`Service \`${reference.database}.${reference.schema}.${reference.service}\`, endpoint \`${reference.endpoint}\`.`];
  const services = account?.index.services;
  const service = services?.qualified.get(`${upper(reference.database)}.${upper(reference.schema)}.${upper(reference.service)}`);
  if (account && service) {
    const facts = [service.isJob ? 'job service' : 'service', service.status ? `status ${service.status}` : undefined, service.computePool ? `in compute pool ${service.computePool}` : undefined]
      .filter((part) => part !== undefined)
      .join(', ');
    lines.push(`**In the account:** ${facts}.`);
    const found = service.endpoints?.find((candidate) => candidate.name.toLowerCase() === reference.endpoint.toLowerCase());
    if (found) {
      const parts = [`protocol ${found.protocol || '?'}`, found.isPublic ? 'public' : 'not public', found.port !== undefined ? `port ${found.port}` : undefined, found.ingressUrl ? `ingress URL ${found.ingressUrl}` : undefined].filter((part) => part !== undefined);
      lines.push(`Endpoint \`${found.name}\`: ${parts.join(', ')}.`);
    }
    lines.push(`_${capitalize(account.index.asOf)}._`);
  }
  return [lines.join('\n\n')];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
