/**
 * The target compute pool against the live account: it exists (else "use pool …" fixes), the role
 * has USAGE on it, and the spec fits a node of its live instance family: the one fit of the language
 * service (`fitSpecToFamily`), put in the account's words ("a node of compute pool 'X' (…) has …, as of
 * the catalog read …"), with "use pool …" fixes for the pools whose family has room.
 *
 * Part of the account checks (`catalogDiagnostics.ts`); every diagnostic is a warning. Must not: do I/O.
 */

import type { Range } from 'vscode-languageserver-types';
import { isScalar, type Node, type Scalar } from 'yaml';
import type { CatalogComputePool, CatalogInstanceFamily } from '../../lspExtension';
import { formatGiB, formatNumber } from '../quantities';
import { fitSpecToFamily, type FitProblem, type FitResource } from '../fit';
import { measureResources } from '../rules/containerResources';
import type { QuickFix, RuleDiagnostic } from '../rules/ruleApi';
import { asMap, itemLabel, valueOf } from '../rules/ruleHelpers';
import { getPair, keyRange, type SpecDocument, type SpecItem } from '../specDocument';
import type { AccountView } from './catalogState';
import { heldPrivileges, privilegeVerdict, upper } from './catalogIndex';
import { capitalize, describeFamily, listSome, roleName } from './wording';

export type Report = (diagnostic: RuleDiagnostic) => void;

const gpuKey = 'nvidia.com/gpu';
/** At most this many "use pool …" quick fixes. */
const maxFixes = 5;

/** Where a diagnostic about the target goes: the modeline value, else the `spec` key. */
export function targetRange(doc: SpecDocument, view: AccountView): Range | undefined {
  const modeline = view.pool?.modeline;
  if (modeline) {
    return { start: { line: modeline.range.line, character: modeline.range.startCharacter }, end: { line: modeline.range.line, character: modeline.range.endCharacter } };
  }
  return keyRange(doc, getPair(doc.root, 'spec'));
}

function poolSource(view: AccountView): string {
  return view.pool?.modeline ? 'named by the modeline' : 'of the last deploy of this file';
}

// ---------------------------------------------------------------------------------------------------
// The compute pool.

export function checkPool(doc: SpecDocument, view: AccountView, report: Report): void {
  const { pool, index } = view;
  if (!pool || !index.pools) {
    return;
  }
  if (!pool.entry) {
    report({
      code: 'spcs/account-unknown-pool',
      at: targetRange(doc, view),
      message: `There is no compute pool '${pool.name}' (${poolSource(view)}) ${index.asOf}, or role ${roleName(index)} cannot see it. Pools: ${listSome(index.poolList.map((entry) => entry.name))}.`,
      fixes: poolFixes(doc, view, () => true),
    });
    return;
  }
  if (privilegeVerdict(index, 'COMPUTE POOL', pool.entry.name, ['USAGE']) === 'missing') {
    report({
      code: 'spcs/account-missing-privilege',
      at: targetRange(doc, view),
      message: `Role ${roleName(index)} has ${heldPrivileges(index, 'COMPUTE POOL', pool.entry.name).join(', ')} but not USAGE on compute pool '${pool.entry.name}' ${index.asOf}; CREATE SERVICE needs USAGE on the pool.`,
    });
  }
  if (pool.family) {
    checkCapacity(doc, view, pool.entry, pool.family, report);
  }
}

function checkCapacity(doc: SpecDocument, view: AccountView, pool: CatalogComputePool, family: CatalogInstanceFamily, report: Report): void {
  const measurement = measureResources(doc);
  const fit = fitSpecToFamily(measurement, family);
  const where = `a node of compute pool '${pool.name}' (${describeFamily(family)})`;
  const { asOf } = view.index;
  const itemOf = (container: number) => doc.lists.containers.find((item) => item.index === container);
  /** Other pools whose live family has room for `resource` (the same fit, asked of them). */
  const fixesFor = (resource: FitResource) => poolFixes(doc, view, (candidate) => !fitSpecToFamily(measurement, candidate).problems.some((problem) => problem.resource === resource));

  // GPUs: the first problem is enough (the rest follow from it), and cpu and memory wait until it is solved.
  const gpu = fit.problems.find((problem): problem is Extract<FitProblem, { resource: 'gpus' }> => problem.resource === 'gpus');
  if (gpu !== undefined && gpu.resource === 'gpus') {
    const item = itemOf(gpu.container);
    const node = item && gpuNode(item);
    if (!item || !node) return;
    const label = itemLabel('container', item);
    report({
      code: 'spcs/account-pool-gpu',
      at: node,
      message:
        gpu.kind === 'noGpus'
          ? `${capitalize(label)} asks for ${gpu.needed} GPU${gpu.needed === 1 ? '' : 's'}, but ${where} has no GPU ${asOf}: the service could never be placed. Deploy to a GPU pool or remove '${gpuKey}'.`
          : gpu.kind === 'containerGpus'
            ? `${capitalize(label)} asks for ${gpu.needed} GPUs, but ${where} has ${gpu.available} ${asOf}; a container cannot span nodes.`
            : `With ${label}, the containers of one service instance ask for ${gpu.needed} GPUs, but they run on one node, and ${where} has ${gpu.available} ${asOf}.`,
      fixes: fixesFor('gpus'),
    });
    return;
  }

  // cpu and memory.
  for (const problem of fit.problems) {
    const format = problem.resource === 'cpu' ? (value: number) => `${formatNumber(value)} vCPU` : formatGiB;
    if (problem.kind === 'containerRequest') {
      const item = itemOf(problem.container);
      const node = item && requestNode(item, problem.resource);
      if (!item || !node) continue;
      report({
        code: 'spcs/account-pool-capacity',
        at: node,
        message: `${capitalize(itemLabel('container', item))} requests ${format(problem.needed)} of ${problem.resource}, but ${where} has ${format(problem.available)} ${asOf}: the service could never be scheduled. Lower the request or deploy to a larger pool.`,
        fixes: fixesFor(problem.resource),
      });
    } else if (problem.kind === 'summedRequests') {
      const parts = problem.parts.map((part) => {
        const item = itemOf(part.container);
        return `${item?.name ?? (item ? itemLabel('container', item) : `container ${part.container + 1}`)} ${format(part.amount)}`;
      });
      if (problem.sidecars > 0) parts.push(`stage-mount sidecars ${format(problem.sidecars)}`);
      report({
        code: 'spcs/account-pool-capacity',
        at: keyRange(doc, getPair(doc.spec, 'containers') ?? getPair(doc.spec, 'container')),
        message: `All containers of a service instance run on one node, and their ${problem.resource} requests add up to ${format(problem.needed)} (${parts.join(', ')}), more than the ${format(problem.available)} of ${where} ${asOf}. Lower the requests or deploy to a larger pool.`,
        fixes: fixesFor(problem.resource),
      });
    }
  }
}

function requestNode(item: SpecItem, what: 'cpu' | 'memory'): Scalar | undefined {
  const node = valueOf(asMap(valueOf(asMap(valueOf(item.node, 'resources')), 'requests')), what);
  return isScalarNode(node) ? node : undefined;
}

function gpuNode(item: SpecItem): Scalar | undefined {
  const resources = asMap(valueOf(item.node, 'resources'));
  const node = valueOf(asMap(valueOf(resources, 'requests')), gpuKey) ?? valueOf(asMap(valueOf(resources, 'limits')), gpuKey);
  return isScalarNode(node) ? node : undefined;
}

function isScalarNode(node: Node | undefined): node is Scalar {
  return isScalar(node);
}

/**
 * "Use pool X": other pools of the account whose live family fits, as a change of the modeline's
 * `pool=` value or, without one, a new modeline line at the top.
 */
function poolFixes(doc: SpecDocument, view: AccountView, fits: (family: CatalogInstanceFamily) => boolean): QuickFix[] {
  const { index, pool } = view;
  const fixes: QuickFix[] = [];
  for (const candidate of index.poolList) {
    if (fixes.length >= maxFixes) {
      break;
    }
    const family = index.families?.get(upper(candidate.instanceFamily));
    if (!family || upper(candidate.name) === upper(pool?.name ?? '') || !fits(family)) {
      continue;
    }
    const modeline = view.modeline.pool;
    const edit = modeline
      ? { range: { start: { line: modeline.range.line, character: modeline.range.startCharacter }, end: { line: modeline.range.line, character: modeline.range.endCharacter } }, newText: candidate.name }
      : { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `# spcs: pool=${candidate.name}${doc.text.includes('\r\n') ? '\r\n' : '\n'}` };
    fixes.push({ title: `Use compute pool '${candidate.name}' (${describeFamily(family)})`, edits: [edit] });
  }
  return fixes;
}
