/**
 * Hover for spec documents.
 *
 * Owns: what a hover says about the key or value under the cursor. The field's documentation comes
 * from the schema (an enum value shows its own description first); this module adds only what can be
 * computed from the document: a quantity in bytes/GiB or vCPUs, a GPU count against the instance
 * family, a container's and the whole spec's requests against the family's capacity, which
 * containers mount a volume and which service roles expose an endpoint, what a template placeholder
 * or a runtime secret reference is, and the family named by the modeline.
 *
 * The instance family is the modeline's (`# spcs: instance-family=…`), else the `spcs.instanceFamily`
 * setting, the same precedence as validation. With a live account catalog, `catalog/catalogHover.ts`
 * adds the target pool's live capacity (which then replaces the offline family on `resources`), the
 * image's digest and push date, and the modeline's pool. Must not: throw, re-parse, or invent field docs.
 */

import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import { imageFact, poolCapacityFact, poolGpuFact, poolModelineFact } from './catalog/catalogHover';
import type { AccountView } from './catalog/catalogState';
import { isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import { familyDescription, findInstanceFamily, parseInstanceFamilyModeline, type InstanceFamily } from './instanceFamilies';
import { specFamily } from './family';
import { bytesPerGiB, formatBytes, formatGiB, formatNumber, isBareNumber, parseCpu, parseMemory } from './quantities';
import type { ValidationSettings } from './rules/ruleApi';
import { getMap, getScalar, getSeq, isTemplated, mapItems, nodeRange, offsetsToRange, scalarText, type SpecDocument, type SpecItem } from './specDocument';
import { endpointDetail, sourceText, volumeDetail } from './symbols';
import type { Placeholder } from './templates';
import { locateNode, type NodeLocation } from './cursor/nodeAt';
import { schemaDocumentation, schemaTarget } from './cursor/schemaTarget';

export interface HoverContext {
  readonly settings: ValidationSettings;
  /** The live account facts for this document, when a client sent a catalog. */
  readonly account?: AccountView;
}

export function getHover(doc: SpecDocument, position: Position, ctx: HoverContext): Hover | null {
  const offset = doc.textDocument.offsetAt(position);
  const placeholder = placeholderHoverAt(doc, offset);
  if (placeholder) {
    return placeholder;
  }
  const lineText = doc.text.slice(doc.textDocument.offsetAt({ line: position.line, character: 0 }), offset + 1);
  if (lineText.trimStart().startsWith('#')) {
    return poolHover(position, ctx.account) ?? modelineHover(doc, position);
  }
  const location = locateNode(doc, offset);
  if (!location || !isScalar(location.node)) {
    return null;
  }
  const range = nodeRange(doc, location.node);
  const target = schemaTarget(location.path);
  const sections: string[] = [];
  sections.push(...facts(doc, location, ctx));
  const value = location.node.value;
  if (!location.isKey && target.schema?.enum && target.schema.markdownEnumDescriptions) {
    const index = target.schema.enum.indexOf(value);
    const description = index === -1 ? undefined : target.schema.markdownEnumDescriptions[index];
    if (description) {
      sections.unshift(`\`${String(value)}\`: ${description}`);
    }
  }
  const documentation = schemaDocumentation(target);
  if (documentation) {
    sections.push(target.declared?.deprecated ? `**Deprecated.** ${documentation}` : documentation);
  }
  return sections.length > 0 && range ? markdownHover(sections.join('\n\n---\n\n'), range) : null;
}

export function markdownHover(value: string, range: Hover['range']): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range };
}

/** The hover of a template placeholder or secret reference at `offset` (every document kind's first answer). */
export function placeholderHoverAt(doc: SpecDocument, offset: number): Hover | null {
  const placeholder = doc.placeholders.find((candidate) => candidate.kind !== 'statement' && candidate.start <= offset && offset < candidate.end);
  return placeholder ? markdownHover(placeholderHover(placeholder), offsetsToRange(doc, placeholder.start, placeholder.end)) : null;
}

// ---------------------------------------------------------------------------------------------------
// Templates and the modeline.

/** What a template placeholder or a runtime secret reference is (markdown), for every document kind's hover. */
export function placeholderHover(placeholder: Placeholder): string {
  if (placeholder.kind === 'secretReference') {
    const secret = /secret\.([A-Za-z_$][\w$.]*)\.(\w+)/.exec(placeholder.text);
    const name = secret ? `\`${secret[1] ?? ''}\` (key \`${secret[2] ?? ''}\`)` : 'a secret';
    return (
      `**Runtime secret reference** to ${name}.\n\n` +
      'Snowflake resolves it inside the running container; it is not a template variable, and `USING (…)` does not set it. ' +
      "The service's owner role needs READ on the secret."
    );
  }
  const name = placeholder.name ? `\`${placeholder.name}\`` : `\`${placeholder.text}\``;
  const notChecked = 'Values that contain it are not type-checked.';
  switch (placeholder.dialect) {
    case 'snowflakeCli':
      return `**Template variable** ${name} of Snowflake CLI project templating: \`snow\` replaces it from the project definition (\`snowflake.yml\`) before the spec reaches Snowflake.`;
    case 'angleBrackets':
      return `**Placeholder** ${name}: replaced by a script before deployment; Snowflake never sees it.`;
    case 'snowsql':
      return (
        `**SnowSQL variable** ${name}: SnowSQL (\`!define ${placeholder.name ?? 'name'}=…\`, with \`variable_substitution\` on) or the Snowflake CLI (\`snow sql -D ${placeholder.name ?? 'name'}=…\`) ` +
        `replaces it in the script before the statement is sent; Snowflake never sees it. ${notChecked}`
      );
    case 'formatString':
      return `**Format placeholder** ${name} of a Python f-string or \`str.format\` template: the script fills it before the spec is sent. ${notChecked}`;
    case 'terraform':
      return `**Terraform template expression** ${name}: \`templatefile()\` or a heredoc evaluates it when Terraform renders the spec. ${notChecked}`;
    case 'shell':
      return `**Shell variable** ${name}: filled when a script renders the spec (\`envsubst\`, a heredoc), or by the shell inside the container when it is part of a command. ${notChecked}`;
    case 'sed':
      return `**Placeholder** ${name}: replaced by a script (\`sed\`, a CI pipeline) before deployment; Snowflake never sees it. ${notChecked}`;
    case 'jinja':
      break;
  }
  const usage = `Supplied with \`USING (${placeholder.name ?? 'var'} => …)\` on \`CREATE SERVICE … FROM SPECIFICATION_TEMPLATE\` (or \`SPECIFICATION_TEMPLATE_FILE\`), \`ALTER SERVICE\` or \`EXECUTE JOB SERVICE\`.`;
  const fallback =
    placeholder.defaultValue !== undefined
      ? `Default: \`${placeholder.defaultValue}\`, used when \`USING\` does not supply the variable.`
      : 'It has no default, so `USING` must supply it or the statement fails.';
  return `**Template variable** ${name}.\n\n${usage}\n\n${fallback}`;
}

function poolHover(position: Position, account: AccountView | undefined): Hover | null {
  const modeline = account?.pool?.modeline;
  const text = poolModelineFact(account);
  if (!modeline || modeline.range.line !== position.line || position.character < modeline.range.startCharacter || position.character > modeline.range.endCharacter || !text) {
    return null;
  }
  return markdownHover(text, {
    start: { line: modeline.range.line, character: modeline.range.startCharacter },
    end: { line: modeline.range.line, character: modeline.range.endCharacter },
  });
}

function modelineHover(doc: SpecDocument, position: Position): Hover | null {
  const modeline = parseInstanceFamilyModeline(doc.text);
  if (!modeline || modeline.range.line !== position.line) {
    return null;
  }
  const family = findInstanceFamily(modeline.family);
  const text = family
    ? [`**Instance family** ${familyDescription(family)}`, family.clouds.length > 0 ? `Clouds: ${family.clouds.join(', ')}` : '', family.note ?? '']
        .filter((line) => line !== '')
        .join('\n\n') + '\n\nGPU counts and resource requests are checked against it.'
    : `\`${modeline.family}\` is not a known instance family, so capacity checks are skipped. Check the name against \`SHOW COMPUTE POOL INSTANCE FAMILIES\`.`;
  const range = {
    start: { line: modeline.range.line, character: modeline.range.startCharacter },
    end: { line: modeline.range.line, character: modeline.range.endCharacter },
  };
  return markdownHover(text, range);
}

// ---------------------------------------------------------------------------------------------------
// Facts computed from the document.

function facts(doc: SpecDocument, location: NodeLocation, ctx: HoverContext): string[] {
  const { path } = location;
  const key = location.pair && isScalar(location.pair.key) ? String(location.pair.key.value) : undefined;
  const valueNode = location.isKey ? location.pair?.value : location.node;
  const value = plainText(doc, isScalar(valueNode) ? valueNode : undefined);
  const ref = schemaTarget(path).declared?.$ref?.split('/').pop();
  const result: string[] = [];

  if (value !== undefined && (ref === 'memoryQuantity' || (key === 'size' && ref === 'quantity'))) {
    result.push(memoryFact(value));
  } else if (value !== undefined && ref === 'cpuQuantity') {
    const cpu = parseCpu(value);
    if (cpu !== undefined) {
      result.push(`\`${value}\` = ${formatNumber(cpu)} vCPU`);
    }
  } else if (ref === 'gpuCount' && value !== undefined) {
    // The target pool's live family wins over the offline one, as in validation.
    result.push(poolGpuFact(Number(value), ctx.account) ?? gpuFact(Number(value), specFamily(doc, ctx.settings)));
  }

  if (key === 'resources' && location.isKey) {
    const container = doc.lists.containers.find((item) => containsNode(item.node, location.node));
    if (container && container.node.get('resources', true) === location.pair?.value) {
      // The target pool's live capacity replaces the offline family, as it does in validation.
      const live = poolCapacityFact(doc, ctx.account);
      result.push(resourcesFact(doc, container, live ? undefined : specFamily(doc, ctx.settings), live));
    }
  }

  if (key === 'image' && !location.isKey && value !== undefined && (path[path.length - 3] === 'containers' || path[path.length - 3] === 'container')) {
    const fact = imageFact(ctx.account, value);
    if (fact) {
      result.push(fact);
    }
  }

  if (key === 'name' && location.pair) {
    const nameNode = location.pair.value;
    const volume = doc.lists.volumes.find((item) => item.nameNode === nameNode);
    const endpoint = doc.lists.endpoints.find((item) => item.nameNode === nameNode);
    if (volume?.name !== undefined) {
      result.push(volumeMountsFact(doc, volume));
    } else if (endpoint?.name !== undefined) {
      result.push(endpointRolesFact(doc, endpoint));
    } else if (path.includes('volumeMounts') && value !== undefined) {
      const mounted = doc.lists.volumes.find((item) => item.name === value);
      result.push(mounted ? `Volume \`${value}\`: ${volumeDetail(doc, mounted.node)}` : `No volume named \`${value}\` in \`spec.volumes\`.`);
    }
  }

  if (path[0] === 'serviceRoles' && path[2] === 'endpoints' && typeof path[3] === 'number' && value !== undefined) {
    const endpoint = doc.lists.endpoints.find((item) => item.name === value);
    result.push(endpoint ? `Endpoint \`${value}\`: ${endpointDetail(doc, endpoint.node)}` : `No endpoint named \`${value}\` in \`spec.endpoints\`.`);
  }
  return result;
}

/** A scalar's text, unless it is templated (then nothing can be computed from it). */
function plainText(doc: SpecDocument, node: Scalar | undefined): string | undefined {
  return node && !isTemplated(doc, node) ? scalarText(node) : undefined;
}

function containsNode(outer: Node, inner: Node): boolean {
  const a = outer.range;
  const b = inner.range;
  return !!a && !!b && a[0] <= b[0] && b[1] <= a[1];
}

function memoryFact(text: string): string {
  const memory = parseMemory(text);
  if (!memory) {
    return isBareNumber(text)
      ? `\`${text}\` has no unit: a memory quantity needs one (\`M\`, \`Mi\`, \`G\`, \`Gi\`), e.g. \`${text.trim()}Mi\` or \`${text.trim()}Gi\`.`
      : `\`${text}\` is not a memory quantity.`;
  }
  const note = memory.documentedUnit ? '' : ` (\`${memory.unit}\` is not one of the units the memory fields document: M, Mi, G, Gi)`;
  return `\`${text}\` = ${formatBytes(memory.bytes)} = ${formatGiB(memory.bytes)}${note}`;
}

function gpuFact(count: number, family: InstanceFamily | undefined): string {
  if (!Number.isFinite(count)) {
    return 'A GPU count must be a whole number.';
  }
  if (!family) {
    return `${count} GPU${count === 1 ? '' : 's'}. Name the compute pool's instance family (modeline \`# spcs: instance-family=…\` or the \`spcs.instanceFamily\` setting) to compare with its GPUs.`;
  }
  if (family.gpus === undefined) {
    return `${count} GPU${count === 1 ? '' : 's'}; the GPU count of ${family.name} is not published in the offline table.`;
  }
  if (family.gpus === 0) {
    return `${family.name} has no GPUs: a container asking for ${count} can never be placed on it.`;
  }
  const fits = count <= family.gpus ? '' : `: more than a ${family.name} node has, so the service can never be placed`;
  return `${count} of ${family.gpus} GPUs of ${family.name}${fits}`;
}

interface Totals {
  cpu: number;
  memory: number;
  gpus: number;
  /** Containers without an explicit request of that kind (Snowflake derives one). */
  missingCpu: number;
  missingMemory: number;
}

function requestsOf(doc: SpecDocument, container: YAMLMap<unknown, unknown>): Totals {
  const requests = getMap(getMap(container, 'resources'), 'requests');
  const cpuText = plainText(doc, getScalar(requests, 'cpu'));
  const memoryText = plainText(doc, getScalar(requests, 'memory'));
  const gpuNode = getScalar(requests, 'nvidia.com/gpu');
  const cpu = cpuText === undefined ? undefined : parseCpu(cpuText);
  const memory = memoryText === undefined ? undefined : parseMemory(memoryText)?.bytes;
  const gpus = gpuNode && typeof gpuNode.value === 'number' ? gpuNode.value : 0;
  return { cpu: cpu ?? 0, memory: memory ?? 0, gpus, missingCpu: cpu === undefined ? 1 : 0, missingMemory: memory === undefined ? 1 : 0 };
}

function describeTotals(totals: Totals): string {
  const parts = [`${formatNumber(totals.cpu)} vCPU`, formatGiB(totals.memory)];
  if (totals.gpus > 0) {
    parts.push(`${totals.gpus} GPU${totals.gpus === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}

/** The container's requests, the spec's sum (plus stage-volume sidecars) and the family's capacity. */
function resourcesFact(doc: SpecDocument, container: SpecItem, family: InstanceFamily | undefined, live?: string): string {
  const own = requestsOf(doc, container.node);
  const total: Totals = { cpu: 0, memory: 0, gpus: 0, missingCpu: 0, missingMemory: 0 };
  for (const item of doc.lists.containers) {
    const requests = requestsOf(doc, item.node);
    total.cpu += requests.cpu;
    total.memory += requests.memory;
    total.gpus += requests.gpus;
    total.missingCpu += requests.missingCpu;
    total.missingMemory += requests.missingMemory;
  }
  // Each stage volume runs a mount sidecar that requests 0.5 GiB by default (reference §1.5).
  const stageVolumes = doc.lists.volumes.filter((volume) => scalarText(getScalar(volume.node, 'source')) === 'stage').length;
  total.memory += stageVolumes * 0.5 * bytesPerGiB;
  const lines = [`**Requests of \`${container.name ?? 'this container'}\`**: ${describeTotals(own)}`];
  if (own.missingCpu > 0 || own.missingMemory > 0) {
    lines.push(`(no explicit ${[own.missingCpu ? 'cpu' : '', own.missingMemory ? 'memory' : ''].filter(Boolean).join(' or ')} request: Snowflake derives one from the limit)`);
  }
  if (doc.lists.containers.length > 1 || stageVolumes > 0) {
    const sidecars = stageVolumes > 0 ? ` (including ${stageVolumes} stage-volume sidecar${stageVolumes === 1 ? '' : 's'} at 0.5 GiB each)` : '';
    lines.push(`**All ${doc.lists.containers.length} containers of an instance**: ${describeTotals(total)}${sidecars}`);
  }
  if (live) {
    lines.push(live);
  } else if (!family) {
    lines.push('Name the instance family (modeline `# spcs: instance-family=…` or the `spcs.instanceFamily` setting) to compare with a node\'s capacity.');
  } else if (family.vcpu === undefined && family.memoryGiB === undefined) {
    lines.push(`${family.name}: capacity not published in the offline table.`);
  } else {
    const over: string[] = [];
    if (family.vcpu !== undefined && total.cpu > family.vcpu) over.push('cpu');
    if (family.memoryGiB !== undefined && total.memory > family.memoryGiB * bytesPerGiB) over.push('memory');
    if (family.gpus !== undefined && total.gpus > family.gpus) over.push('GPUs');
    const verdict = over.length === 0 ? 'fits on one node' : `exceeds a node in ${over.join(', ')}: the service could never be placed`;
    lines.push(`**Node of ${familyDescription(family)}**: ${verdict}`);
  }
  return lines.join('  \n');
}

function volumeMountsFact(doc: SpecDocument, volume: SpecItem): string {
  const mounts: string[] = [];
  for (const container of doc.lists.containers) {
    for (const mount of mapItems(getSeq(container.node, 'volumeMounts'))) {
      if (scalarText(getScalar(mount, 'name')) === volume.name) {
        mounts.push(`\`${container.name ?? '?'}\` at \`${sourceText(doc, getScalar(mount, 'mountPath')) ?? '?'}\``);
      }
    }
  }
  const where = mounts.length > 0 ? `Mounted by ${mounts.join(', ')}.` : 'Not mounted by any container.';
  return `**Volume \`${volume.name ?? ''}\`** (${volumeDetail(doc, volume.node)}). ${where}`;
}

function endpointRolesFact(doc: SpecDocument, endpoint: SpecItem): string {
  const roles: string[] = [];
  for (const role of doc.lists.serviceRoles) {
    const endpoints = role.node.get('endpoints', true);
    if (isSeq(endpoints) && endpoints.items.some((item) => isScalar(item) && item.value === endpoint.name)) {
      roles.push(`\`${role.name ?? sourceText(doc, role.nameNode) ?? '?'}\``);
    }
  }
  const isPublic = getScalar(endpoint.node, 'public')?.value === true;
  const exposure = isPublic ? 'Public: reachable from outside Snowflake through ingress.' : 'Not public: reachable only from inside Snowflake.';
  const granted = roles.length > 0 ? `Service roles: ${roles.join(', ')} (and the built-in \`all_endpoints_usage\`).` : 'No service role lists it (only the built-in `all_endpoints_usage` covers it).';
  return `**Endpoint \`${endpoint.name ?? ''}\`** (${endpointDetail(doc, endpoint.node)}). ${exposure} ${granted}`;
}

