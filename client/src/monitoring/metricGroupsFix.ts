/**
 * The quick fix of the metrics panel's "no metric groups enabled": the one text edit that makes a
 * spec enable the `system` and `system_limits` platform metric groups (cpu, memory and GPUs, and their
 * limits), wherever the spec already stands:
 * - no `platformMonitor:` → a `platformMonitor:` block at the end of `spec:`;
 * - `platformMonitor:` without `metricConfig:` (or empty) → `metricConfig:` with its groups under it;
 * - `metricConfig:` without `groups:` → `groups: [system, system_limits]`;
 * - `groups:` empty (`[]` or nothing) → the two groups.
 * A spec that already enables groups, or whose `platformMonitor` is templated or written in flow style,
 * gets no edit but the reason. Indentation follows the spec's own; the edit only adds text, so every
 * other line keeps its place (and a test checks on the real-spec corpus that it adds no diagnostic).
 *
 * Pure: text in, LSP `TextEdit` out (the editor applies it through a WorkspaceEdit). No `vscode`.
 */

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import {
  appendBlockToMap,
  appendToMap,
  columnOf,
  getPair,
  isTemplated,
  lineEndOffset,
  newlineOf,
  nodeOffsets,
  offsetRange,
  parseSpecDocument,
  replaceNodeText,
  specLanguageId,
  type SpecDocument,
} from '../../../server/src/service';

export const defaultMetricGroups: readonly string[] = ['system', 'system_limits'];

export type MetricGroupsFix = { readonly ok: true; readonly edit: TextEdit; readonly description: string } | { readonly ok: false; readonly reason: string };

const groupsText = `[${defaultMetricGroups.join(', ')}]`;

/** The edit that enables the default metric groups in `specText` (see the header), or why there is none. */
export function metricGroupsEdit(specText: string, uri = 'untitled:spec.yaml'): MetricGroupsFix {
  const doc = parseSpecDocument(TextDocument.create(uri, specLanguageId, 1, specText));
  const spec = doc.spec;
  if (doc.notParsed || doc.yaml === undefined || doc.yaml.errors.length > 0) return { ok: false, reason: 'The spec is not valid YAML; fix it first.' };
  if (!spec) return { ok: false, reason: "The document has no 'spec:' mapping." };
  const step = indentStep(doc, spec);
  const monitor = getPair(spec, 'platformMonitor');
  if (!monitor) {
    return done(spec.flow ? undefined : appendBlockToMap(doc, spec, 'platformMonitor', ['metricConfig:', `${' '.repeat(step)}groups: ${groupsText}`], step), "Adds 'platformMonitor' with the system and system_limits metric groups at the end of 'spec'.");
  }
  if (isTemplated(doc, monitor)) return { ok: false, reason: "'platformMonitor' is filled in by a template; enable the metric groups in the template's values." };
  if (isEmpty(monitor.value)) {
    return done(insertUnderKey(doc, monitor, ['metricConfig:', `${' '.repeat(step)}groups: ${groupsText}`], step), "Adds 'metricConfig' with the system and system_limits metric groups under 'platformMonitor'.");
  }
  if (!isMap(monitor.value) || monitor.value.flow) return { ok: false, reason: "'platformMonitor' is written in flow style; add 'metricConfig: {groups: [system, system_limits]}' by hand." };
  const config = getPair(monitor.value, 'metricConfig');
  if (!config) {
    return done(appendBlockToMap(doc, monitor.value, 'metricConfig', [`groups: ${groupsText}`], step), "Adds 'metricConfig' with the system and system_limits metric groups under 'platformMonitor'.");
  }
  if (isEmpty(config.value)) return done(insertUnderKey(doc, config, [`groups: ${groupsText}`], step), "Adds the system and system_limits metric groups under 'metricConfig'.");
  if (!isMap(config.value)) return { ok: false, reason: "'metricConfig' is not a mapping; make it 'metricConfig: {groups: [system, system_limits]}'." };
  const groups = getPair(config.value, 'groups');
  if (!groups) return done(appendToMap(doc, config.value, 'groups', groupsText), "Adds the system and system_limits metric groups to 'metricConfig'.");
  if (isSeq(groups.value) && groups.value.items.length > 0) return { ok: false, reason: 'The spec already enables metric groups.' };
  if (isSeq(groups.value)) return done(replaceNodeText(doc, groups.value, groupsText), "Fills the empty 'groups' list with system and system_limits.");
  if (isEmpty(groups.value)) return done(afterColon(doc, groups, ` ${groupsText}`), "Fills the empty 'groups' with system and system_limits.");
  return { ok: false, reason: "'groups' is not a list; make it 'groups: [system, system_limits]'." };
}

function done(edit: TextEdit | undefined, description: string): MetricGroupsFix {
  return edit ? { ok: true, edit, description } : { ok: false, reason: 'The spec is written in a way this fix does not edit (flow style); add the groups by hand.' };
}

/** A key with no value (`platformMonitor:` alone, or `~` / `null`). */
function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (isScalar(value) && (value.value === null || value.value === ''));
}

/** The indentation step the document uses below `spec:` (2 unless it says otherwise). */
function indentStep(doc: SpecDocument, spec: YAMLMap<unknown, unknown>): number {
  const specPair = doc.root ? getPair(doc.root, 'spec') : undefined;
  const specKey = nodeOffsets(specPair?.key);
  const child = nodeOffsets(spec.items[0]?.key as Node | undefined);
  if (!specKey || !child || spec.flow) return 2;
  return Math.max(1, columnOf(doc, child[0]) - columnOf(doc, specKey[0]));
}

/** Lines under a key that has no value yet, indented by `step` below it. */
function insertUnderKey(doc: SpecDocument, pair: Pair, lines: readonly string[], step: number): TextEdit | undefined {
  const key = nodeOffsets(pair.key as Node | undefined);
  if (!key) return undefined;
  const colon = doc.text.indexOf(':', key[1]);
  if (colon < 0) return undefined;
  const valueOffsets = nodeOffsets(pair.value as Node | undefined);
  // `key: ~` or `key: null`: the placeholder value is replaced along with the rest of the line's value.
  const start = colon + 1;
  const end = valueOffsets ? valueOffsets[1] : start;
  const newline = newlineOf(doc);
  const indent = ' '.repeat(columnOf(doc, key[0]) + step);
  return { range: offsetRange(doc, start, end), newText: lines.map((line) => `${newline}${indent}${line}`).join('') };
}

/** Text right after `key:` (for `groups:` with no value). */
function afterColon(doc: SpecDocument, pair: Pair, text: string): TextEdit | undefined {
  const key = nodeOffsets(pair.key as Node | undefined);
  if (!key) return undefined;
  const colon = doc.text.indexOf(':', key[1]);
  if (colon < 0 || colon > lineEndOffset(doc.text, key[1])) return undefined;
  const valueOffsets = nodeOffsets(pair.value as Node | undefined);
  return { range: offsetRange(doc, colon + 1, valueOffsets ? valueOffsets[1] : colon + 1), newText: text };
}

/** Applies one edit to a text (for previews and tests; the editor applies it itself). */
export function applyEdit(text: string, edit: TextEdit): string {
  const document = TextDocument.create('untitled:x', 'yaml', 1, text);
  return TextDocument.applyEdits(document, [edit]);
}
