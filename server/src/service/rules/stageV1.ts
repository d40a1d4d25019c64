/**
 * The deprecated Stage Mount V1 form, `source: "@stage[/path]"` (S08).
 *
 * Bundle 2026_08 stops accepting V1 stage mounts for new services and jobs, so each one gets a
 * deprecation warning with a quick fix to the current form, `source: stage` plus
 * `stageConfig: { name: "@stage[/path]" }`. The fix rewrites only the `source` entry, keeping the
 * original quoted value byte for byte (placeholders included) and the entry's indentation; uid/gid
 * stay valid on the resulting stage volume.
 *
 * The `@` itself is literal even when the rest of the value is a placeholder
 * (`"@<<db>>.<<schema>>.models"`), so the warning is given on templated values too; a source that is
 * a placeholder as a whole has no `@` and is left alone. Any other unknown source is the schema's
 * enum error.
 */

import { isScalar, type Pair, type Scalar } from 'yaml';
import { getPair, nodeOffsets, type SpecDocument } from '../specDocument';
import type { QuickFix, Rule } from './ruleApi';
import { columnOf, range } from './ruleHelpers';

export const stageV1Rule: Rule = {
  name: 'stageV1',
  check(ctx) {
    const { doc } = ctx;
    for (const volume of doc.lists.volumes) {
      const pair = getPair(volume.node, 'source');
      const source = pair?.value;
      if (!pair || !isScalar(source) || typeof source.value !== 'string') {
        continue;
      }
      const original = originalText(doc, source);
      if (!original || !/^["']?@/.test(original)) {
        continue;
      }
      const stage = original.replace(/^["']|["']$/g, '');
      const fix = hasStageConfig(volume.node) ? undefined : rewriteFix(doc, pair, source, volume.node.flow === true);
      ctx.report({
        code: 'spcs/stage-v1-deprecated',
        at: source,
        tags: ['deprecated'],
        message:
          `'source: "${stage}"' is the deprecated Stage Mount V1 form, which Snowflake no longer accepts for new services and jobs (behaviour change 2026_08). ` +
          `Use 'source: stage' with 'stageConfig:' 'name: "${stage}"'.`,
        fixes: fix ? [fix] : undefined,
      });
    }
  },
};

function hasStageConfig(volume: { items: unknown[] }): boolean {
  return volume.items.some((item) => isScalar((item as Pair).key) && ((item as Pair).key as Scalar).value === 'stageConfig');
}

/** The scalar as written in the document (quotes and placeholders included). */
function originalText(doc: SpecDocument, scalar: Scalar): string | undefined {
  const offsets = nodeOffsets(scalar);
  return offsets ? doc.text.slice(offsets[0], offsets[1]) : undefined;
}

function rewriteFix(doc: SpecDocument, pair: Pair, source: Scalar, flow: boolean): QuickFix | undefined {
  const keyOffsets = nodeOffsets(pair.key as Scalar);
  const valueOffsets = nodeOffsets(source);
  const token = originalText(doc, source);
  if (!keyOffsets || !valueOffsets || token === undefined) {
    return undefined;
  }
  // A plain scalar cannot start with `@`, so the value is always quoted; quote it if it somehow is not.
  const quoted = /^["']/.test(token) ? token : JSON.stringify(token);
  let newText: string;
  if (flow) {
    newText = `source: stage, stageConfig: { name: ${quoted} }`;
  } else {
    const indent = ' '.repeat(columnOf(doc, keyOffsets[0]));
    const newline = doc.text.includes('\r\n') ? '\r\n' : '\n';
    newText = `source: stage${newline}${indent}stageConfig:${newline}${indent}  name: ${quoted}`;
  }
  return {
    title: "Convert to 'source: stage' with 'stageConfig'",
    edits: [{ range: range(doc, keyOffsets[0], valueOffsets[1]), newText }],
    isPreferred: true,
  };
}
