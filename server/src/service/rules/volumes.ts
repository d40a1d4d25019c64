/**
 * Volumes and volume mounts.
 *
 * Implements S05 (a mount names a defined volume), S07 (mountPath absolute and not repeated in one
 * container), S09 (size for memory/block), S10 (block size `<n>Gi`, 1-65536), S11 (uid/gid only on
 * stage volumes, a warning), S12 (blockConfig/stageConfig match the source, a warning), S13 (a stage
 * volume needs `stageConfig.name` starting with `@`), S15 (snapshotDeleteAfter), S16 (block
 * iops/throughput hints) and the "volume never mounted" hint. S06 (one volume mounted twice in a
 * container) is allowed by the docs and deliberately not reported. The deprecated `source: "@stage"`
 * form (S08) lives in `stageV1.ts`; here such a volume simply counts as a stage volume.
 *
 * Reference checks are skipped whenever a name involved is templated, since the rendered name is
 * unknown.
 */

import { isMap, type Scalar, type YAMLMap } from 'yaml';
import { parseMemory, isBareNumber } from '../quantities';
import { getPair, isTemplated, keyRange, nodeRange, type SpecDocument } from '../specDocument';
import { closestMatch } from '../text';
import type { QuickFix, Rule, RuleContext } from './ruleApi';
import {
  asMap,
  hasControlStatements,
  hasUnreadableName,
  itemLabel,
  listIsOpaque,
  mapItemsOf,
  numberValue,
  plainScalar,
  replaceScalar,
  stringValue,
  trimSlashes,
  valueOf,
} from './ruleHelpers';

/** The kind of a volume as far as the rules are concerned; undefined when the source is templated or odd. */
export type VolumeKind = 'local' | 'memory' | 'block' | 'stage';

export function volumeKind(doc: SpecDocument, volume: YAMLMap<unknown, unknown>): VolumeKind | undefined {
  const source = stringValue(doc, valueOf(volume, 'source'));
  if (source === undefined) {
    return undefined;
  }
  if (source.startsWith('@')) {
    return 'stage';
  }
  return source === 'local' || source === 'memory' || source === 'block' || source === 'stage' ? source : undefined;
}

export const volumesRule: Rule = {
  name: 'volumes',
  check(ctx) {
    checkMounts(ctx);
    for (const volume of ctx.doc.lists.volumes) {
      checkVolume(ctx, volume.node, itemLabel('volume', volume));
    }
    checkUnused(ctx);
  },
};

function checkMounts(ctx: RuleContext): void {
  const { doc } = ctx;
  const volumes = doc.lists.volumes;
  const namesKnown = !hasUnreadableName(volumes) && !listIsOpaque(doc, doc.spec, ['volumes', 'volume']);
  const defined = volumes.flatMap((volume) => (volume.name !== undefined ? [volume.name] : []));
  for (const container of doc.lists.containers) {
    const seenPaths = new Map<string, Scalar>();
    for (const mount of mapItemsOf(valueOf(container.node, 'volumeMounts'))) {
      const nameNode = plainScalar(doc, valueOf(mount, 'name'));
      const name = stringValue(doc, nameNode);
      if (namesKnown && nameNode && name !== undefined && !defined.includes(name)) {
        reportUndefinedVolume(ctx, nameNode, name, defined);
      }
      const pathNode = plainScalar(doc, valueOf(mount, 'mountPath'));
      const path = stringValue(doc, pathNode);
      if (!pathNode || path === undefined) {
        continue;
      }
      if (!path.startsWith('/')) {
        const fixed = `/${path.replace(/^\.?\/*/, '')}`;
        const edit = replaceScalar(doc, pathNode, fixed);
        ctx.report({
          code: 'spcs/mount-path',
          at: pathNode,
          message: `mountPath '${path}' is not absolute; Snowflake documents mount paths as absolute directory paths such as '${fixed}'.`,
          fixes: edit ? [{ title: `Change to '${fixed}'`, edits: [edit], isPreferred: true }] : undefined,
        });
      }
      const key = trimSlashes(path) || '/';
      const earlier = seenPaths.get(key);
      if (earlier) {
        const earlierRange = nodeRange(doc, earlier);
        ctx.report({
          code: 'spcs/mount-path',
          at: pathNode,
          message: `${itemLabel('container', container)} already mounts a volume at '${path}'; two volumes on one path hide each other. Use a different mountPath.`,
          related: earlierRange ? [{ range: earlierRange, message: 'First mount at this path' }] : undefined,
        });
      } else {
        seenPaths.set(key, pathNode);
      }
    }
  }
}

function reportUndefinedVolume(ctx: RuleContext, nameNode: Scalar, name: string, defined: readonly string[]): void {
  const caseMatch = defined.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  const suggestion = caseMatch ?? closestMatch(name, defined);
  const edit = suggestion ? replaceScalar(ctx.doc, nameNode, suggestion) : undefined;
  const known = defined.length > 0 ? `Defined volumes: ${defined.map((volume) => `'${volume}'`).join(', ')}.` : "The spec defines no volumes: add one under 'spec.volumes'.";
  ctx.report({
    code: 'spcs/undefined-volume',
    at: nameNode,
    message: `No volume named '${name}' in 'spec.volumes'${caseMatch ? ' (volume names are case-sensitive)' : ''}. ${known}`,
    fixes: edit && suggestion ? [{ title: `Change to '${suggestion}'`, edits: [edit], isPreferred: true }] : undefined,
  });
}

function checkVolume(ctx: RuleContext, volume: YAMLMap<unknown, unknown>, label: string): void {
  const { doc } = ctx;
  const sourceNode = valueOf(volume, 'source');
  const kind = volumeKind(doc, volume);
  if (kind === undefined) {
    // A templated, missing or unknown source: the schema reports unknown values, and nothing that
    // depends on the source can be concluded.
    return;
  }
  const sizePair = getPair(volume, 'size');
  if ((kind === 'memory' || kind === 'block') && !sizePair) {
    ctx.report({
      code: 'spcs/volume-size-required',
      at: sourceNode,
      message: `${capitalize(label)} is a ${kind} volume and needs a 'size', e.g. 'size: ${kind === 'block' ? '10Gi' : '2Gi'}'.`,
    });
  }
  if (kind === 'block') {
    checkBlockSize(ctx, sizePair?.value);
  }
  if (kind === 'memory') {
    checkMemorySize(ctx, sizePair?.value);
  }
  for (const key of ['uid', 'gid']) {
    const pair = getPair(volume, key);
    if (pair && kind !== 'stage') {
      ctx.report({
        code: 'spcs/uid-gid-not-stage',
        at: keyRange(doc, pair),
        message: `'${key}' applies to stage volumes only; on a ${kind} volume it has no documented effect. Remove it, or set file ownership in the image.`,
      });
    }
  }
  checkConfigSource(ctx, volume, kind, 'blockConfig', 'block');
  checkConfigSource(ctx, volume, kind, 'stageConfig', 'stage');
  if (kind === 'stage') {
    checkStageConfig(ctx, volume, label);
  }
  if (kind === 'block') {
    checkBlockConfig(ctx, volume);
  }
}

function checkConfigSource(ctx: RuleContext, volume: YAMLMap<unknown, unknown>, kind: VolumeKind, key: string, expected: VolumeKind): void {
  const pair = getPair(volume, key);
  if (!pair || kind === expected) {
    return;
  }
  ctx.report({
    code: 'spcs/config-source-mismatch',
    at: keyRange(ctx.doc, pair),
    message: `'${key}' applies only to volumes with 'source: ${expected}'; this is a ${kind} volume, so it is ignored or rejected. Remove it or change the source.`,
  });
}

function checkBlockSize(ctx: RuleContext, node: unknown): void {
  const { doc } = ctx;
  const scalar = plainScalar(doc, node);
  if (!scalar || scalar.value === null) {
    return;
  }
  const text = typeof scalar.value === 'number' ? scalar.source ?? String(scalar.value) : typeof scalar.value === 'string' ? scalar.value : undefined;
  if (text === undefined) {
    return;
  }
  const match = /^([0-9]+)Gi$/.exec(text);
  if (match) {
    const size = Number(match[1]);
    if (size >= 1 && size <= 65536) {
      return;
    }
    ctx.report({
      code: 'spcs/invalid-block-size',
      at: scalar,
      message: `Block volume size ${size}Gi is out of range: block volumes are 1-65536 Gi on AWS and 1-16384 Gi on Azure (4-16384 Gi on GCP).`,
    });
    return;
  }
  const fixes: QuickFix[] = [];
  const wholeNumber = /^([0-9]+)\s*(G|GB|Gib|GiB|gi|g)?$/.exec(text.trim());
  if (wholeNumber?.[1] !== undefined) {
    const fixed = `${Number(wholeNumber[1])}Gi`;
    const edit = replaceScalar(doc, scalar, fixed);
    if (edit) {
      fixes.push({ title: `Change to '${fixed}'`, edits: [edit], isPreferred: true });
    }
  }
  ctx.report({
    code: 'spcs/invalid-block-size',
    at: scalar,
    message: `Block volume size '${text}' is invalid: write a whole number of GiB with the 'Gi' suffix, e.g. '10Gi'.`,
    fixes,
  });
}

function checkMemorySize(ctx: RuleContext, node: unknown): void {
  const { doc } = ctx;
  const scalar = plainScalar(doc, node);
  if (!scalar || scalar.value === null) {
    return;
  }
  const text = typeof scalar.value === 'number' ? scalar.source ?? String(scalar.value) : typeof scalar.value === 'string' ? scalar.value : undefined;
  if (text === undefined || parseMemory(text)) {
    return;
  }
  // The docs only say "any memory unit" for memory volumes and never what a bare number means, so
  // this is a warning: it is most likely a mistake, but not a documented rejection.
  ctx.report({
    code: 'spcs/invalid-memory',
    at: scalar,
    severity: 'warning',
    message: isBareNumber(text)
      ? `Memory volume size '${text}' has no unit; write it with one, e.g. '${text}Gi' or '${text}Mi'.`
      : `Memory volume size '${text}' is not a memory quantity; write a number with a unit such as '2G' or '512Mi'.`,
  });
}

function checkStageConfig(ctx: RuleContext, volume: YAMLMap<unknown, unknown>, label: string): void {
  const { doc } = ctx;
  const source = stringValue(doc, valueOf(volume, 'source'));
  if (source?.startsWith('@')) {
    // The deprecated v1 form carries the stage in `source` itself (see stageV1.ts).
    return;
  }
  const configPair = getPair(volume, 'stageConfig');
  if (!configPair) {
    ctx.report({
      code: 'spcs/stage-config-required',
      at: valueOf(volume, 'source'),
      message: `${capitalize(label)} has 'source: stage' but no 'stageConfig'; add 'stageConfig:' with 'name: "@<stage>[/<path>]"' naming the stage to mount.`,
    });
    return;
  }
  const nameNode = plainScalar(doc, valueOf(asMap(configPair.value), 'name'));
  const name = stringValue(doc, nameNode);
  if (!nameNode || name === undefined || name.startsWith('@')) {
    return;
  }
  const fixed = `@${name}`;
  const offsets = nodeRange(doc, nameNode);
  ctx.report({
    code: 'spcs/stage-config-required',
    at: nameNode,
    // Every documented example has the `@`, but whether Snowflake rejects a bare stage name is not
    // documented (reference S13, medium confidence): a warning, not an error.
    severity: 'warning',
    message: `'stageConfig.name' should name a stage with a leading '@', quoted because YAML cannot start a plain value with '@': 'name: "${fixed}"'.`,
    fixes: offsets ? [{ title: `Change to "${fixed}"`, edits: [{ range: offsets, newText: JSON.stringify(fixed) }], isPreferred: true }] : undefined,
  });
}

function checkBlockConfig(ctx: RuleContext, volume: YAMLMap<unknown, unknown>): void {
  const { doc } = ctx;
  const config = valueOf(volume, 'blockConfig');
  if (!isMap(config) || isTemplated(doc, config)) {
    return;
  }
  const blockConfig = config;
  const deleteAfter = plainScalar(doc, valueOf(blockConfig, 'snapshotDeleteAfter'));
  const deleteAfterText = typeof deleteAfter?.value === 'string' || typeof deleteAfter?.value === 'number' ? String(deleteAfter.value) : undefined;
  if (deleteAfter && deleteAfterText !== undefined) {
    const text = deleteAfterText;
    if (!/^[0-9]+[hd]$/.test(text)) {
      const hint = /^([0-9]+)\s*(hours?|days?|H|D)$/.exec(text.trim());
      const fixed = hint?.[1] !== undefined && hint[2] !== undefined ? `${hint[1]}${hint[2].charAt(0).toLowerCase()}` : undefined;
      const edit = fixed ? replaceScalar(doc, deleteAfter, fixed) : undefined;
      ctx.report({
        code: 'spcs/invalid-snapshot-delete-after',
        at: deleteAfter,
        message: `'snapshotDeleteAfter' is a number of hours or days written '<n>h' or '<n>d' (e.g. '7d'), not '${text}'.`,
        fixes: edit && fixed ? [{ title: `Change to '${fixed}'`, edits: [edit], isPreferred: true }] : undefined,
      });
    }
  }
  checkBlockPerformance(ctx, volume, blockConfig);
}

/**
 * S16: the documented ranges differ by cloud (AWS/Azure 3000-80000 iops, GCP 2000-160000; at most
 * 500 iops per GiB; throughput at least 125 MiB/s and at most iops/4 except on GCP GPU nodes). The
 * cloud is unknown here, so only values outside every cloud's range are reported, as information.
 */
function checkBlockPerformance(ctx: RuleContext, volume: YAMLMap<unknown, unknown>, config: YAMLMap<unknown, unknown>): void {
  const { doc } = ctx;
  const iopsNode = valueOf(config, 'iops');
  const throughputNode = valueOf(config, 'throughput');
  const iops = positiveInteger(numberValue(doc, iopsNode));
  const throughput = positiveInteger(numberValue(doc, throughputNode));
  const sizeText = stringValue(doc, valueOf(volume, 'size'));
  const sizeMatch = sizeText ? /^([0-9]+)Gi$/.exec(sizeText) : null;
  const size = sizeMatch?.[1] !== undefined ? Number(sizeMatch[1]) : undefined;
  if (iops !== undefined) {
    if (iops < 2000 || iops > 160000) {
      ctx.report({
        code: 'spcs/block-performance',
        at: iopsNode,
        message: `iops ${iops} is outside every documented range (AWS and Azure 3000-80000, GCP 2000-160000); the volume will probably be rejected.`,
      });
    } else if (size !== undefined) {
      // Azure allows 3000 + 500 per GB above 6 GB; AWS and GCP 500 per GiB. Report only above both.
      const allowed = Math.max(500 * size, 3000 + 500 * Math.max(0, size - 6));
      if (iops > allowed) {
        ctx.report({
          code: 'spcs/block-performance',
          at: iopsNode,
          message: `iops ${iops} is more than a ${size}Gi volume allows (about 500 iops per GiB, at most ${allowed} here); increase 'size' or lower 'iops'.`,
        });
      }
    }
  }
  if (throughput !== undefined) {
    if (throughput < 125) {
      ctx.report({
        code: 'spcs/block-performance',
        at: throughputNode,
        message: `throughput ${throughput} MiB/s is below every documented minimum (125 on AWS and Azure, 140 on GCP CPU nodes, 400 on GCP GPU nodes).`,
      });
    } else if (iops !== undefined && throughput > iops / 4 && throughput !== iops / 16) {
      ctx.report({
        code: 'spcs/block-performance',
        at: throughputNode,
        message: `throughput ${throughput} MiB/s is more than iops/4 (${iops / 4}), the documented maximum on AWS, Azure and GCP CPU nodes (on GCP GPU nodes set only throughput).`,
      });
    }
  }
}

/** Zero, negative and fractional values are the schema's errors; an information must not replace them. */
function positiveInteger(value: number | undefined): number | undefined {
  return value !== undefined && Number.isInteger(value) && value >= 1 ? value : undefined;
}

function checkUnused(ctx: RuleContext): void {
  const { doc } = ctx;
  if (hasControlStatements(doc)) {
    return;
  }
  const mounted = new Set<string>();
  for (const container of doc.lists.containers) {
    const mountsNode = valueOf(container.node, 'volumeMounts');
    if (mountsNode && isTemplated(doc, mountsNode)) {
      return;
    }
    for (const mount of mapItemsOf(mountsNode)) {
      const nameNode = valueOf(mount, 'name');
      const name = stringValue(doc, nameNode);
      if (name === undefined) {
        if (nameNode && isTemplated(doc, nameNode)) {
          return;
        }
        continue;
      }
      mounted.add(name);
    }
  }
  for (const volume of doc.lists.volumes) {
    if (volume.name === undefined || !volume.nameNode || mounted.has(volume.name)) {
      continue;
    }
    ctx.report({
      code: 'spcs/unused-volume',
      at: volume.nameNode,
      tags: ['unnecessary'],
      message: `No container mounts volume '${volume.name}'; add a 'volumeMounts' entry for it or remove it.`,
    });
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
