/**
 * Completion in a Snowflake CLI project definition (`snowflake.yml`): the top-level keys, skeletons of
 * the SPCS entities under `entities:`, an entity's `type`, the fields of an SPCS entity (and of its
 * `identifier`, `meta` and `tags`), booleans, `definition_version: "2"`, mixin and entity names, and,
 * from the live account catalog, compute pools, warehouses, external access integrations, stages and
 * instance families (offline: the known instance families).
 *
 * Where the cursor is comes from `completionSite` (indentation, so half-typed lines complete). Nothing
 * is offered inside an entity of another type (streamlit, functions, …): what they take is not known here.
 * Must not: throw, re-parse, or offer anything inside a templated value.
 */

import { CompletionItemKind, InsertTextFormat, InsertTextMode, MarkupKind, type CompletionItem, type CompletionList, type Position, type Range } from 'vscode-languageserver-types';
import type { AccountView } from '../catalog/catalogState';
import { familyDescription, instanceFamilies } from '../instanceFamilies';
import { offsetsToRange, type SpecDocument } from '../specDocument';
import { completionSite, type KeySite, type ValueSite } from '../cursor/completionSite';
import { type PathSegment } from '../cursor/schemaTarget';
import { identifierFields, isSpcsEntityType, metaFields, otherEntityTypes, spcsEntityTypes, tagFields, topLevelFields, type CatalogSource, type EntityField } from './entityModel';
import { readProjectDefinition, type ProjectDefinitionModel } from './projectDefinition';

const empty: CompletionList = { isIncomplete: false, items: [] };

export function getProjectCompletions(doc: SpecDocument, position: Position, account: AccountView | undefined): CompletionList {
  const site = completionSite(doc, doc.textDocument.offsetAt(position));
  if (site.kind === 'none' || site.kind === 'comment') {
    return empty;
  }
  const range = offsetsToRange(doc, site.replaceStart, site.replaceEnd);
  const model = readProjectDefinition(doc);
  const items = site.kind === 'key' ? keyItems(site, model, account, range) : valueItems(site, model, account, range);
  return { isIncomplete: false, items };
}

function markdown(value: string | undefined): CompletionItem['documentation'] {
  return value ? { kind: MarkupKind.Markdown, value } : undefined;
}

/** The fields that apply to the mapping at `path`, or undefined where nothing is known. */
function fieldsAt(path: readonly PathSegment[], siblings: ReadonlyMap<string, string>, model: ProjectDefinitionModel): readonly EntityField[] | undefined {
  if (path.length === 0) {
    return topLevelFields;
  }
  if (path[0] !== 'entities' || typeof path[1] !== 'string') {
    return undefined;
  }
  const type = (path.length === 2 ? siblings.get('type') : undefined) ?? model.entities.find((entity) => entity.id === path[1])?.type;
  if (path.length === 2 && type === undefined) {
    // A new entity: its type first.
    return [spcsEntityTypes.service.fields[0] as EntityField];
  }
  if (type === undefined || !isSpcsEntityType(type.trim())) {
    return undefined;
  }
  if (path.length === 2) {
    return spcsEntityTypes[type.trim() as keyof typeof spcsEntityTypes].fields;
  }
  if (path.length === 3 && path[2] === 'identifier') return identifierFields;
  if (path.length === 3 && path[2] === 'meta') return metaFields;
  if (path.length === 4 && path[2] === 'tags' && typeof path[3] === 'number') return tagFields;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Keys.

function keyItems(site: KeySite, model: ProjectDefinitionModel, account: AccountView | undefined, range: Range): CompletionItem[] {
  if (site.path.length === 1 && site.path[0] === 'entities' && !site.hasColon) {
    return entitySkeletons(site, model, range);
  }
  if (site.afterDash && site.siblings.size === 0) {
    // `- ` in a list of names.
    const list = site.path[site.path.length - 2];
    const field = typeof list === 'string' ? fieldOfList(site.path.slice(0, -1), model) : undefined;
    if (field) {
      return namedValues(field, site.path, model, account, range, site.needsSpace ? ' ' : '');
    }
  }
  const fields = fieldsAt(site.path, site.siblings, model);
  if (!fields) {
    return [];
  }
  const lead = site.needsSpace ? ' ' : '';
  return fields
    .filter((field) => !site.siblings.has(field.name))
    .map((field, index) => ({
      label: field.name,
      kind: CompletionItemKind.Property,
      detail: fieldDetail(field),
      documentation: markdown(field.description),
      sortText: `${field.required ? '0' : '2'}${String(index).padStart(4, '0')}`,
      filterText: field.name,
      insertTextFormat: InsertTextFormat.Snippet,
      insertTextMode: InsertTextMode.asIs,
      textEdit: { range, newText: lead + (site.hasColon ? field.name : keyText(field, site.column)) },
    }));
}

function fieldOfList(path: readonly PathSegment[], model: ProjectDefinitionModel): EntityField | undefined {
  const name = path[path.length - 1];
  const parent = fieldsAt(path.slice(0, -1), new Map(), model);
  return parent?.find((field) => field.name === name && (field.kind === 'stringList' || field.kind === 'stringOrList'));
}

function fieldDetail(field: EntityField): string {
  const parts: string[] = [kindLabel(field)];
  if (field.required) parts.push('required');
  if (field.defaultValue !== undefined) parts.push(`default: ${field.defaultValue}`);
  return parts.join(' · ');
}

function kindLabel(field: EntityField): string {
  switch (field.kind) {
    case 'stringList':
      return 'list of names';
    case 'stringOrList':
      return 'name or list of names';
    case 'stringMap':
    case 'mapping':
    case 'meta':
      return 'mapping';
    case 'tags':
      return 'list of { name, value }';
    case 'artifacts':
      return 'list of paths or { src, dest }';
    case 'postDeploy':
      return 'list of { sql_script }';
    case 'identifier':
      return 'name or { name, schema, database }';
    default:
      return field.kind;
  }
}

function keyText(field: EntityField, column: number): string {
  const child = ' '.repeat(column + 2);
  switch (field.kind) {
    case 'stringList':
    case 'tags':
    case 'artifacts':
    case 'postDeploy':
      return `${field.name}:\n${child}- `;
    case 'stringMap':
    case 'mapping':
    case 'meta':
      return `${field.name}:\n${child}`;
    default:
      return `${field.name}: `;
  }
}

/** `my_service:` with the fields `deploy` needs, for each SPCS entity type. */
function entitySkeletons(site: KeySite, model: ProjectDefinitionModel, range: Range): CompletionItem[] {
  const inner = ' '.repeat(site.column + 2);
  const taken = new Set(model.entities.map((entity) => entity.id));
  const fresh = (base: string): string => {
    let name = base;
    for (let index = 2; taken.has(name); index++) name = `${base}_${index}`;
    return name;
  };
  const skeletons: { type: string; body: string[] }[] = [
    { type: 'service', body: ['type: service', 'stage: ${2:service_stage}', 'compute_pool: ${3:compute_pool}', 'spec_file: ${4:spec.yml}', 'artifacts:', '  - ${4:spec.yml}'] },
    { type: 'compute-pool', body: ['type: compute-pool', 'instance_family: ${2:CPU_X64_S}', 'min_nodes: 1', 'max_nodes: ${3:1}'] },
    { type: 'image-repository', body: ['type: image-repository'] },
  ];
  return skeletons.map(({ type, body }, index) => {
    const id = fresh(`my_${type.replace(/-/g, '_')}`);
    return {
      label: `${id}: (${type} entity)`,
      kind: CompletionItemKind.Snippet,
      detail: `${spcsEntityTypes[type as keyof typeof spcsEntityTypes].command} deploys it`,
      documentation: markdown(spcsEntityTypes[type as keyof typeof spcsEntityTypes].description),
      sortText: `1${index}`,
      filterText: `${id} ${type}`,
      insertTextFormat: InsertTextFormat.Snippet,
      insertTextMode: InsertTextMode.asIs,
      textEdit: { range, newText: `\${1:${id}}:\n${body.map((line) => inner + line).join('\n')}\n` },
    };
  });
}

// ---------------------------------------------------------------------------------------------------
// Values.

function valueItems(site: ValueSite, model: ProjectDefinitionModel, account: AccountView | undefined, range: Range): CompletionItem[] {
  const lead = site.needsSpace ? ' ' : '';
  const path = site.path;
  if (path.length === 1 && site.key === 'definition_version') {
    return [{ label: '"2"', kind: CompletionItemKind.Value, detail: 'entities (the current format)', textEdit: { range, newText: `${lead}"2"` } }];
  }
  if (path[0] !== 'entities' || typeof path[1] !== 'string') {
    return [];
  }
  if (path.length === 3 && site.key === 'type') {
    return [
      ...(['service', 'compute-pool', 'image-repository'] as const).map((type, index) => ({
        label: type,
        kind: CompletionItemKind.EnumMember,
        detail: 'Snowpark Container Services',
        documentation: markdown(spcsEntityTypes[type].description),
        sortText: `0${index}`,
        textEdit: { range, newText: lead + type },
      })),
      ...otherEntityTypes.map((type, index) => ({
        label: type,
        kind: CompletionItemKind.EnumMember,
        detail: 'not checked by the SPCS extension',
        sortText: `1${String(index).padStart(2, '0')}`,
        textEdit: { range, newText: lead + (type.includes(' ') ? `"${type}"` : type) },
      })),
    ];
  }
  const listPath = site.inFlowSequence ? path.slice(0, -1) : path;
  const mappingPath = listPath.slice(0, -1);
  const fields = fieldsAt(mappingPath, site.siblings, model);
  const field = fields?.find((candidate) => candidate.name === listPath[listPath.length - 1]);
  if (!field) {
    return [];
  }
  if (field.kind === 'boolean') {
    return ['true', 'false'].map((value, index) => ({
      label: value,
      kind: CompletionItemKind.Value,
      detail: field.defaultValue === value ? 'default' : undefined,
      sortText: String(index),
      textEdit: { range, newText: lead + value },
    }));
  }
  if (site.inFlowSequence && field.kind !== 'stringList' && field.kind !== 'stringOrList') {
    return [];
  }
  return namedValues(field, path, model, account, range, lead);
}

/** Names for a field: mixins, entities, or account objects from the catalog. */
function namedValues(field: EntityField, path: readonly PathSegment[], model: ProjectDefinitionModel, account: AccountView | undefined, range: Range, lead: string): CompletionItem[] {
  const item = (label: string, detail: string, index: number, documentation?: string): CompletionItem => ({
    label,
    kind: CompletionItemKind.Reference,
    detail,
    documentation: markdown(documentation),
    sortText: String(index).padStart(5, '0'),
    textEdit: { range, newText: lead + yamlText(label) },
  });
  if (field.name === 'use_mixins') {
    return [...(model.mixins?.keys() ?? [])].map((name, index) => item(name, 'mixin', index));
  }
  if (field.name === 'depends_on') {
    const self = path[1];
    return model.entities.filter((entity) => entity.id !== self).map((entity, index) => item(entity.id, `entity${entity.type ? ` (${entity.type})` : ''}`, index));
  }
  return catalogValues(field.catalog, account).map((value, index) => item(value.name, value.detail, index, value.documentation));
}

interface CatalogValue {
  readonly name: string;
  readonly detail: string;
  readonly documentation?: string;
}

function catalogValues(source: CatalogSource | undefined, account: AccountView | undefined): CatalogValue[] {
  const catalog = account?.index.catalog;
  switch (source) {
    case 'computePools':
      return (catalog?.computePools ?? []).map((pool) => ({ name: pool.name, detail: `compute pool · ${pool.instanceFamily} · ${pool.state}`, documentation: `Nodes: ${pool.minNodes}-${pool.maxNodes}. ${account?.index.asOf ?? ''}.` }));
    case 'warehouses':
      return (catalog?.warehouses ?? []).map((warehouse) => ({ name: warehouse.name, detail: 'warehouse' }));
    case 'externalAccessIntegrations':
      return (catalog?.externalAccessIntegrations ?? []).map((integration) => ({ name: integration.name, detail: 'external access integration' }));
    case 'stages': {
      const database = account?.database?.toUpperCase();
      const schema = account?.schema?.toUpperCase();
      return (catalog?.stages ?? []).map((stage) => {
        const local = stage.database.toUpperCase() === database && stage.schema.toUpperCase() === schema;
        return { name: local ? stage.name : `${stage.database}.${stage.schema}.${stage.name}`, detail: `stage in ${stage.database}.${stage.schema}` };
      });
    }
    case 'instanceFamilies':
      if (catalog?.instanceFamilies && catalog.instanceFamilies.length > 0) {
        return catalog.instanceFamilies.map((family) => ({
          name: family.name,
          detail: `${family.vcpu} vCPU, ${family.memoryGiB} GiB${family.gpus > 0 ? `, ${family.gpus} × ${family.gpuModel ?? 'GPU'}` : ''}`,
        }));
      }
      return instanceFamilies.map((family) => ({ name: family.name, detail: familyDescription(family) }));
    case undefined:
      return [];
  }
}

/** A name as YAML text: quoted when YAML would read it as something else. */
function yamlText(value: string): string {
  return /^[A-Za-z_][A-Za-z0-9_$.@/-]*$/.test(value) && !/^(?:true|false|null|yes|no|on|off)$/i.test(value) ? value : JSON.stringify(value);
}
