/**
 * What every node's presentation is made of: the `NodePresentation` shape views/treeItems.ts turns
 * into a TreeItem, and the small helpers (codicon, `contextValue` tokens, markdown-safe text, the
 * tooltip's key/value rows) that presentation.ts and gatewayPresentation.ts share. Pure.
 */

import { markdown } from '../ui/markdown';

export type Collapsible = 'none' | 'collapsed' | 'expanded';

export interface NodeIcon {
  /** A codicon id (`server`, `vm-running`). */
  readonly id: string;
  /** A theme color id (`testing.iconFailed`, `charts.green`). */
  readonly color?: string;
}

export interface NodeCommand {
  readonly command: string;
  readonly title: string;
  readonly arguments?: readonly unknown[];
}

export interface NodePresentation {
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  /** Markdown. */
  readonly tooltip: string;
  readonly icon: NodeIcon;
  readonly contextValue: string;
  readonly collapsible: Collapsible;
  readonly command?: NodeCommand;
}

export function icon(id: string, color?: string): NodeIcon {
  return color === undefined ? { id } : { id, color };
}

export function contextValue(kind: string, flags: readonly (string | false | undefined)[]): string {
  return [kind, ...flags.filter((flag): flag is string => typeof flag === 'string' && flag !== '')].join(';');
}

/** Markdown-safe text (tooltips render markdown). */
export function escapeMarkdown(value: string): string {
  return value.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (char) => `\\${char}`);
}

export function rows(lines: readonly (readonly [string, string | number | undefined])[]): string {
  return lines
    .filter((line): line is readonly [string, string | number] => line[1] !== undefined && line[1] !== '')
    .map(([key, value]) => markdown`${key}: \`${String(value).replace(/`/g, "'")}\``)
    .join('  \n');
}

