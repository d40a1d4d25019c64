/**
 * Hover and go to definition in a Snowflake CLI project definition (`snowflake.yml`).
 *
 * Hover: the documentation of the field under the cursor (`entityModel.ts`) for the SPCS entities and
 * the top-level keys, an SPCS entity type's description on its `type`, where a service's `spec_file`
 * is on disk (and whether it is a service spec), a compute pool's live state and instance family, and
 * what a template placeholder is. Go to definition: from `spec_file` to the spec, from a
 * `meta.use_mixins` name to its mixin, from a `meta.depends_on` name to its entity.
 *
 * Must not: throw, re-parse the project, or say anything about entity types it does not know.
 */

import { TextDocument } from 'vscode-languageserver-textdocument';
import { type Hover, type Location, type Position } from 'vscode-languageserver-types';
import { isMap, isScalar, isSeq } from 'yaml';
import { upper } from '../catalog/catalogIndex';
import type { AccountView } from '../catalog/catalogState';
import { markdownHover, placeholderHoverAt } from '../hover';
import { getPair, keyRange, nodeRange, parseSpecDocument, type SpecDocument } from '../specDocument';
import { locateNode } from '../cursor/nodeAt';
import { type PathSegment } from '../cursor/schemaTarget';
import { artifactFields, identifierFields, isSpcsEntityType, metaFields, spcsEntityTypes, tagFields, topLevelFields, type EntityField } from './entityModel';
import { readProjectDefinition, type ProjectDefinitionModel } from './projectDefinition';
import { displayPath, resolveSpecFile, type ProjectFiles } from './projectFiles';

export function getProjectHover(doc: SpecDocument, position: Position, account: AccountView | undefined, files: ProjectFiles | undefined): Hover | null {
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
  const model = readProjectDefinition(doc);
  const { path } = location;
  const sections: string[] = [];
  const entityType = typeOf(model, path);
  if (path[0] === 'entities' && path.length === 2 && location.isKey && entityType) {
    sections.push(spcsEntityTypes[entityType].description);
  } else if (path[0] === 'entities' && path.length === 3 && path[2] === 'type' && !location.isKey && entityType) {
    sections.push(spcsEntityTypes[entityType].description);
  } else {
    const field = fieldAt(model, path);
    if (!field) {
      return null;
    }
    if (!location.isKey && entityType === 'service' && path.length === 3 && field.name === 'spec_file' && files) {
      sections.push(specFileFact(doc, model, path, files));
    }
    if (!location.isKey && field.name === 'compute_pool' && account) {
      const fact = poolFact(account, location.node.value);
      if (fact) sections.push(fact);
    }
    const details = [field.required ? 'Required.' : undefined, field.defaultValue !== undefined ? `Default: \`${field.defaultValue}\`.` : undefined].filter((part) => part !== undefined);
    sections.push([field.description, details.join(' ')].filter((part) => part !== '').join('\n\n'));
  }
  return sections.length > 0 && range ? markdownHover(sections.join('\n\n---\n\n'), range) : null;
}


/** The SPCS type of the entity a path is in, if it is one. */
function typeOf(model: ProjectDefinitionModel, path: readonly PathSegment[]): keyof typeof spcsEntityTypes | undefined {
  if (path[0] !== 'entities' || typeof path[1] !== 'string') {
    return undefined;
  }
  const type = model.entities.find((entity) => entity.id === path[1])?.type;
  return type !== undefined && isSpcsEntityType(type) ? type : undefined;
}

function fieldAt(model: ProjectDefinitionModel, path: readonly PathSegment[]): EntityField | undefined {
  if (path.length === 1) {
    return topLevelFields.find((field) => field.name === path[0]);
  }
  const type = typeOf(model, path);
  if (!type) {
    return undefined;
  }
  const [, , name, index, child] = path;
  const entityField = spcsEntityTypes[type].fields.find((field) => field.name === name);
  if (path.length === 3 || !entityField) {
    return entityField;
  }
  const within = (fields: readonly EntityField[], key: PathSegment | undefined) => fields.find((field) => field.name === key);
  switch (entityField.kind) {
    case 'identifier':
      return within(identifierFields, index);
    case 'meta':
      return within(metaFields, index) ?? entityField;
    case 'tags':
      return typeof index === 'number' ? within(tagFields, child) ?? entityField : entityField;
    case 'artifacts':
      return typeof index === 'number' ? within(artifactFields, child) ?? entityField : entityField;
    default:
      return entityField;
  }
}

function specFileFact(doc: SpecDocument, model: ProjectDefinitionModel, path: readonly PathSegment[], files: ProjectFiles): string {
  const entity = model.entities.find((candidate) => candidate.id === path[1]);
  const node = entity?.node.get('spec_file', true);
  if (!entity || !isScalar(node) || typeof node.value !== 'string') {
    return '';
  }
  const artifacts = entity.node.get('artifacts', true);
  const location = resolveSpecFile(doc.textDocument.uri, node.value.trim(), isSeq(artifacts) ? artifacts.toJSON() : [], files);
  if (location.uri === undefined) {
    return location.certain ? `**Not found** next to this project definition (looked for \`${location.lookedAt.map((uri) => displayPath(doc.textDocument.uri, uri)).join('`, `')}\`).` : 'Where this file comes from depends on the artifacts (globs or `dest`): not looked up.';
  }
  const spec = parseSpecDocument(TextDocument.create(location.uri, 'yaml', 1, location.text ?? ''));
  const what = spec.kind === 'serviceSpec' ? `a service specification with ${spec.lists.containers.length} container${spec.lists.containers.length === 1 ? '' : 's'}` : 'not a service specification';
  return `\`${displayPath(doc.textDocument.uri, location.uri)}\`: ${what}. Go to Definition opens it.`;
}

function poolFact(account: AccountView, value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const pool = account.index.pools?.get(upper(value));
  if (!pool) {
    return account.index.pools ? `No compute pool \`${value}\` ${account.index.asOf}.` : undefined;
  }
  return `Compute pool \`${pool.name}\`: ${pool.instanceFamily}, ${pool.state}, ${pool.minNodes}-${pool.maxNodes} nodes (${account.index.asOf}).`;
}

// ---------------------------------------------------------------------------------------------------
// Go to definition.

export function projectDefinition(doc: SpecDocument, position: Position, files: ProjectFiles | undefined): Location[] {
  const location = locateNode(doc, doc.textDocument.offsetAt(position));
  if (!location || location.isKey || !isScalar(location.node) || typeof location.node.value !== 'string') {
    return [];
  }
  const { path } = location;
  const model = readProjectDefinition(doc);
  const value = location.node.value;
  if (path.length === 3 && path[0] === 'entities' && path[2] === 'spec_file' && typeOf(model, path) === 'service' && files) {
    const entity = model.entities.find((candidate) => candidate.id === path[1]);
    const artifacts = entity?.node.get('artifacts', true);
    const found = resolveSpecFile(doc.textDocument.uri, value.trim(), isSeq(artifacts) ? artifacts.toJSON() : [], files);
    return found.uri ? [{ uri: found.uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] : [];
  }
  if (path[0] === 'entities' && path[2] === 'meta' && path[3] === 'use_mixins') {
    const mixins = getPair(doc.root, 'mixins')?.value;
    const range = isMap(mixins) ? keyRange(doc, getPair(mixins, value)) : undefined;
    return range ? [{ uri: doc.textDocument.uri, range }] : [];
  }
  if (path[0] === 'entities' && path[2] === 'meta' && path[3] === 'depends_on') {
    const entity = model.entities.find((candidate) => candidate.id === value);
    const range = entity ? nodeRange(doc, entity.idNode) : undefined;
    return range ? [{ uri: doc.textDocument.uri, range }] : [];
  }
  return [];
}
