/**
 * Adding a service entity to a Snowflake CLI project definition: the YAML of the entity and the edit
 * that puts it below the last entity (the client's "Add to snowflake.yml" applies it, or writes
 * `newProjectDefinition` as a new file). Keeps the rest of the user's file byte for byte.
 *
 * Must not: do I/O or apply edits itself.
 */

import type { TextEdit } from 'vscode-languageserver-types';
import { isMap, isScalar, type Node } from 'yaml';
import { isProjectDefinitionFileName } from '../specDetection';
import { getPair, isTemplated, nodeOffsets, offsetsToRange, type SpecDocument } from '../specDocument';
import { readProjectDefinition } from './projectDefinition';

export interface NewServiceEntity {
  /** The entity's key (a YAML key: letters, digits, `_`, `-`). */
  readonly id: string;
  readonly stage: string;
  readonly computePool: string;
  /** The spec's path relative to `snowflake.yml` (also listed in `artifacts`). */
  readonly specFile: string;
  /** The service's name when it differs from `id`. */
  readonly identifier?: string;
  readonly minInstances?: number;
  readonly maxInstances?: number;
  readonly queryWarehouse?: string;
  readonly externalAccessIntegrations?: readonly string[];
  readonly comment?: string;
}

/** A service entity as YAML lines at `indent` (the entity's key first). */
export function serviceEntityYaml(entity: NewServiceEntity, indent: string, newline = '\n'): string {
  const inner = `${indent}  `;
  const lines = [`${indent}${yamlKey(entity.id)}:`, `${inner}type: service`];
  if (entity.identifier !== undefined && entity.identifier !== entity.id) {
    lines.push(`${inner}identifier: ${yamlString(entity.identifier)}`);
  }
  lines.push(`${inner}stage: ${yamlString(entity.stage)}`, `${inner}compute_pool: ${yamlString(entity.computePool)}`, `${inner}spec_file: ${yamlString(entity.specFile)}`);
  if (entity.minInstances !== undefined) lines.push(`${inner}min_instances: ${entity.minInstances}`);
  if (entity.maxInstances !== undefined) lines.push(`${inner}max_instances: ${entity.maxInstances}`);
  if (entity.queryWarehouse !== undefined) lines.push(`${inner}query_warehouse: ${yamlString(entity.queryWarehouse)}`);
  if (entity.externalAccessIntegrations && entity.externalAccessIntegrations.length > 0) {
    lines.push(`${inner}external_access_integrations:`, ...entity.externalAccessIntegrations.map((name) => `${inner}  - ${yamlString(name)}`));
  }
  if (entity.comment !== undefined) lines.push(`${inner}comment: ${yamlString(entity.comment)}`);
  lines.push(`${inner}artifacts:`, `${inner}  - ${yamlString(entity.specFile)}`);
  return lines.join(newline);
}

/**
 * The edit that adds a service entity to a project definition: below the last entity of `entities`
 * (at its indentation), or a new `entities:` section at the end. For a file that does not exist yet,
 * `newProjectDefinition` is its whole text. Undefined when the document is not a plain
 * `definition_version: "2"` project (or `entities` is written in flow style or templated).
 */
export function addServiceEntity(doc: SpecDocument, entity: NewServiceEntity): TextEdit | undefined {
  const model = readProjectDefinition(doc);
  const root = doc.root;
  if (!root || model.version !== '2') {
    return undefined;
  }
  const newline = doc.text.includes('\r\n') ? '\r\n' : '\n';
  const entitiesPair = getPair(root, 'entities');
  const entities = entitiesPair?.value;
  if (entitiesPair === undefined || entities === null || (isScalar(entities) && entities.value === null)) {
    const end = doc.text.length;
    const lead = end > 0 && !doc.text.endsWith('\n') ? newline : '';
    if (entitiesPair) {
      const offsets = nodeOffsets(entitiesPair.key);
      if (!offsets) return undefined;
      const lineEnd = doc.text.indexOf('\n', offsets[1]);
      const at = lineEnd === -1 ? doc.text.length : lineEnd;
      return { range: offsetsToRange(doc, at, at), newText: `${newline}${serviceEntityYaml(entity, '  ', newline)}` };
    }
    return { range: offsetsToRange(doc, end, end), newText: `${lead}entities:${newline}${serviceEntityYaml(entity, '  ', newline)}${newline}` };
  }
  if (!isMap(entities) || entities.flow || isTemplated(doc, entities) || entities.items.length === 0) {
    return undefined;
  }
  const first = nodeOffsets(entities.items[0]?.key as Node);
  const last = nodeOffsets(entities.items[entities.items.length - 1]);
  if (!first || !last) {
    return undefined;
  }
  const column = first[0] - (doc.text.lastIndexOf('\n', first[0] - 1) + 1);
  let at = last[1];
  while (at > 0 && /\s/.test(doc.text.charAt(at - 1))) {
    at--;
  }
  const lineEnd = doc.text.indexOf('\n', at);
  const insertAt = lineEnd === -1 ? doc.text.length : lineEnd > 0 && doc.text.charAt(lineEnd - 1) === '\r' ? lineEnd - 1 : lineEnd;
  return { range: offsetsToRange(doc, insertAt, insertAt), newText: `${newline}${newline}${serviceEntityYaml(entity, ' '.repeat(column), newline)}` };
}

/** The text of a new `snowflake.yml` holding one service entity. */
export function newProjectDefinition(entity: NewServiceEntity): string {
  return `definition_version: "2"\n\nentities:\n${serviceEntityYaml(entity, '  ')}\n`;
}

/** Whether a URI names a project definition (`snowflake.yml`), for the client's commands. */
export function isProjectDefinitionUri(uri: string): boolean {
  return isProjectDefinitionFileName(uri.replace(/[?#].*$/, ''));
}

function yamlKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
}

function yamlString(value: string): string {
  const plain = /^[A-Za-z0-9_@./$-][A-Za-z0-9_@./$ -]*$/.test(value) && !/^(?:true|false|null|yes|no|on|off|~)$/i.test(value) && !/^[-+]?[0-9.]+$/.test(value) && !value.endsWith(' ');
  return plain ? value : JSON.stringify(value);
}
