/**
 * How gateway nodes look in the Services view: a gateway under its schema (its ingress URL in the
 * tooltip, `hasUrl` when it is provisioned, so Open / Copy Gateway URL show), and each endpoint it
 * routes to with its weight (a traffic split) or its role (shadow traffic).
 *
 * Pure, no `vscode` import (like presentation.ts, which dispatches here).
 */

import type { GatewayNode, GatewayTargetNode } from '../model/nodes';
import { contextValue, escapeMarkdown, icon, rows, type NodePresentation } from './presentationParts';

export function presentGateway(node: GatewayNode, id: string): NodePresentation {
  return {
    id,
    label: node.name,
    description: node.ingressUrl === undefined ? 'gateway · provisioning' : 'gateway',
    tooltip: `**Gateway** ${escapeMarkdown(`${node.database}.${node.schema}.${node.name}`)}  \n${rows([
      ['Ingress URL', node.ingressUrl],
      ['Ingress', node.ingressUrl === undefined ? (node.ingressNote ?? 'being provisioned') : undefined],
      ['Comment', node.comment],
      ['Connection', node.connection],
    ])}`,
    icon: icon('type-hierarchy-sub'),
    contextValue: contextValue('gateway', [node.ingressUrl !== undefined && 'hasUrl']),
    collapsible: 'collapsed',
  };
}

export function presentGatewayTarget(node: GatewayTargetNode, id: string): NodePresentation {
  const weighted = node.role === 'target';
  const share = weighted ? (node.weight === undefined ? 'no weight' : `${node.weight}%`) : node.role;
  return {
    id,
    label: node.value,
    description: share,
    tooltip: `**${weighted ? 'Target' : node.role === 'primary' ? 'Primary endpoint' : 'Shadow endpoint'}** of gateway ${escapeMarkdown(node.gateway.name)}  \n${rows([
      ['Endpoint', node.value],
      ['Type', node.gatewayType],
      ['Weight', weighted && node.weight !== undefined ? `${node.weight}%` : undefined],
    ])}`,
    icon: icon(weighted ? 'arrow-both' : node.role === 'primary' ? 'arrow-right' : 'mirror'),
    contextValue: contextValue('gatewayTarget', [weighted && 'weighted']),
    collapsible: 'none',
  };
}
