/**
 * Diagnostics for a Snowflake CLI project definition (`snowflake.yml`): the SPCS entities only
 * (`service`, `compute-pool`, `image-repository` of a `definition_version: "2"` file), through the
 * same parse and template handling as specs (`validateDocument` of `../validate.ts`).
 *
 * Owns what is checked: each field's type as the CLI's models read it (`entityModel.ts`; pydantic's
 * lax mode, so `"3"` is an integer and `"yes"` a boolean, but `3` is not a string), the bounds
 * (`min_instances` ≥ 1, `max_instances` ≥ `min_instances`, …), the fields `deploy` needs once the
 * entity's mixins and `snowflake.local.yml` are merged in, unknown keys (warnings: the CLI refuses
 * them, but a newer CLI may know them), mixins that do not exist, tag names, and a service's
 * `spec_file`: that it exists next to `snowflake.yml` and is a service specification (its own
 * problems are its own document's business). Nothing is said about other entity types (streamlit,
 * functions, native apps …), about a version-1 file, or about the rest of the file; a value with a
 * template placeholder (`<% ctx.env.x %>`) is never judged.
 *
 * Must not: read files itself (the `ProjectFiles` port does), throw, or report on what it does not know.
 */

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { RuleDiagnostic } from '../rules/ruleApi';
import { looksLikeSpec } from '../specDetection';
import { getPair, isTemplated, keyRange, parseSpecDocument, type SpecDocument } from '../specDocument';
import { closestMatch } from '../text';
import { validateDocument, withParseChecks } from '../validate';
import { identifierFields, isSpcsEntityType, metaFields, spcsEntityTypes, type EntityField, type EntityType } from './entityModel';
import { checkFields, checkRequiredKeys, checkValue, integerOf, rangeOf } from './projectValues';
import { mergedKeys, readProjectDefinition, type ProjectDefinitionModel, type ProjectEntity } from './projectDefinition';
import { displayPath, resolveRelative, resolveSpecFile, type ProjectFiles } from './projectFiles';

export interface ProjectValidateOptions {
  /** The files next to the project (the spec files); without it `spec_file` is not looked up. */
  readonly files?: ProjectFiles;
  readonly onRuleError?: (rule: string, error: unknown) => void;
}

type Report = (diagnostic: RuleDiagnostic) => void;

const documentName = 'A project definition';

export function validateProjectDefinition(doc: SpecDocument, options: ProjectValidateOptions = {}): Diagnostic[] {
  return validateDocument(doc, {
    documentName,
    // A second YAML document is the CLI's business (it refuses the file): not reported here.
    check: (checked, errors) =>
      withParseChecks(checked, errors, undefined, () => {
        const collected: RuleDiagnostic[] = [];
        try {
          projectDiagnostics(checked, options, (diagnostic) => collected.push(diagnostic));
        } catch (error) {
          collected.length = 0;
          options.onRuleError?.('project', error);
        }
        return collected;
      }),
  });
}

function projectDiagnostics(doc: SpecDocument, options: ProjectValidateOptions, report: Report): void {
  const model = readProjectDefinition(doc);
  checkFileName(doc, model, report);
  // Version 1 files have no SPCS entities; a local override may leave the version to its base file.
  if (model.version !== '2' && !(model.isLocalOverride && model.version === undefined)) {
    return;
  }
  const overrides = model.isLocalOverride ? undefined : localOverrides(doc, options.files);
  for (const entity of model.entities) {
    if (entity.type === undefined || !isSpcsEntityType(entity.type)) {
      continue;
    }
    checkEntity(doc, model, entity, spcsEntityTypes[entity.type], overrides, options.files, report);
  }
}

function checkFileName(doc: SpecDocument, model: ProjectDefinitionModel, report: Report): void {
  const name = /([^/\\]+?)(?:[?#].*)?$/.exec(doc.textDocument.uri)?.[1] ?? '';
  const versionPair = getPair(doc.root, 'definition_version');
  if (!/\.yaml$/i.test(name) || !versionPair || model.version === undefined) {
    return;
  }
  const expected = name.replace(/\.yaml$/i, '.yml');
  report({
    code: 'spcs/project-file-name',
    at: keyRange(doc, versionPair),
    message: `The Snowflake CLI reads '${expected.toLowerCase()}', not '${name}': rename the file for snow to find this project definition.`,
  });
}

/** The entities of `snowflake.local.yml` next to this file, whose fields the CLI merges over these. */
function localOverrides(doc: SpecDocument, files: ProjectFiles | undefined): ProjectDefinitionModel | undefined {
  const uri = resolveRelative(doc.textDocument.uri, 'snowflake.local.yml');
  const text = uri && files ? files.readText(uri) : undefined;
  return text === undefined || uri === undefined ? undefined : readProjectDefinition(parseSpecDocument(TextDocument.create(uri, 'yaml', 1, text)));
}

function entityLabel(entity: ProjectEntity): string {
  return `entity '${entity.id}'`;
}

function checkEntity(
  doc: SpecDocument,
  model: ProjectDefinitionModel,
  entity: ProjectEntity,
  type: EntityType,
  overrides: ProjectDefinitionModel | undefined,
  files: ProjectFiles | undefined,
  report: Report,
): void {
  const where = `${entityLabel(entity)} (${type.type})`;
  // The CLI merges snowflake.local.yml over this file before it validates: what it overrides is its business.
  const override = overrides?.entities.find((candidate) => candidate.id === entity.id);
  const overridden = new Set((override?.node.items ?? []).flatMap((pair) => (isScalar(pair.key) ? [String(pair.key.value)] : [])));
  checkFields(doc, entity.node, type.fields, where, report, (field, pair) => {
    if (!overridden.has(field.name)) {
      checkEntityField(doc, model, entity, field, pair, where, report);
    }
  });
  checkMixins(doc, model, entity, report);
  if (!model.isLocalOverride) {
    checkRequired(doc, model, entity, type, overridden, where, report);
  }
  if (![...overridden].some((key) => /^(?:min|max)_(?:instances|nodes)$/.test(key))) {
    checkBounds(doc, entity, where, report);
  }
  if (type.type === 'service' && files) {
    checkSpecFile(doc, entity, files, report);
  }
}

function checkEntityField(doc: SpecDocument, model: ProjectDefinitionModel, entity: ProjectEntity, field: EntityField, pair: Pair, where: string, report: Report): void {
  const value = pair.value;
  const label = `'${field.name}' of ${where}`;
  if (field.kind === 'identifier') {
    if (isMap(value) && !isTemplated(doc, value)) {
      checkFields(doc, value, identifierFields, `the identifier of ${where}`, report);
      checkRequiredKeys(doc, value, identifierFields, `The identifier of ${where}`, report);
      return;
    }
    checkValue(doc, { ...field, kind: 'string' }, value, label, report);
    return;
  }
  if (field.kind === 'meta') {
    if (isMap(value)) {
      checkFields(doc, value, metaFields, `'meta' of ${where}`, report);
      checkDependencies(doc, model, value, report);
    } else {
      checkValue(doc, { ...field, kind: 'mapping' }, value, label, report);
    }
    return;
  }
  checkValue(doc, field, value, label, report);
}

// ---------------------------------------------------------------------------------------------------
// Required fields, bounds, mixins, dependencies.

function checkRequired(doc: SpecDocument, model: ProjectDefinitionModel, entity: ProjectEntity, type: EntityType, overridden: ReadonlySet<string>, where: string, report: Report): void {
  if (entity.node.items.some((pair) => isTemplated(doc, pair.key as Node))) {
    return;
  }
  const keys = mergedKeys(model, entity);
  if (!keys) {
    return;
  }
  for (const key of overridden) {
    keys.add(key);
  }
  const missing = type.fields.filter((field) => field.required && !keys.has(field.name));
  if (missing.length === 0) {
    return;
  }
  const names = missing.map((field) => `'${field.name}'`);
  report({
    code: 'spcs/missing-required',
    at: entity.idNode,
    message:
      `${capitalize(where)} is missing ${missing.length === 1 ? 'the required field' : 'the required fields'} ${names.join(', ')}: ` +
      `${type.command} needs ${missing.length === 1 ? 'it' : 'them'}${type.type === 'service' && missing.some((field) => field.name === 'artifacts') ? ' (artifacts lists the files uploaded to the stage, the spec file among them)' : ''}.`,
  });
}

function checkBounds(doc: SpecDocument, entity: ProjectEntity, where: string, report: Report): void {
  for (const [low, high] of [
    ['min_instances', 'max_instances'],
    ['min_nodes', 'max_nodes'],
  ] as const) {
    const lowNode = entity.node.get(low, true);
    const highNode = entity.node.get(high, true);
    if (isTemplated(doc, lowNode) || isTemplated(doc, highNode)) {
      continue;
    }
    const lowValue = lowNode === undefined ? (getPair(entity.node, high) ? 1 : undefined) : integerOf(lowNode);
    const highValue = highNode === undefined ? undefined : integerOf(highNode);
    if (typeof lowValue === 'number' && typeof highValue === 'number' && highValue >= 1 && highValue < lowValue) {
      report({
        code: 'spcs/invalid-value',
        at: highNode,
        message: `'${high}' of ${where} is ${highValue}, less than '${low}' (${lowValue}${lowNode === undefined ? ', the default' : ''}): snow refuses it; '${high}' must be at least '${low}'.`,
      });
    }
  }
}

function checkMixins(doc: SpecDocument, model: ProjectDefinitionModel, entity: ProjectEntity, report: Report): void {
  if (!entity.mixins || model.mixinsOpaque) {
    return;
  }
  const meta = entity.node.get('meta', true);
  const value = isMap(meta) ? meta.get('use_mixins', true) : undefined;
  const nodes = isSeq(value) ? value.items : value === undefined ? [] : [value];
  for (const node of nodes) {
    if (!isScalar(node) || typeof node.value !== 'string' || isTemplated(doc, node)) {
      continue;
    }
    if (model.mixins?.has(node.value)) {
      continue;
    }
    const defined = [...(model.mixins?.keys() ?? [])];
    const suggestion = closestMatch(node.value, defined);
    const range = rangeOf(doc, node);
    report({
      code: 'spcs/project-unknown-mixin',
      at: node,
      message: `${capitalize(entityLabel(entity))} uses mixin '${node.value}', which the 'mixins' section does not define${defined.length > 0 ? ` (it defines ${defined.map((name) => `'${name}'`).join(', ')})` : ''}; snow refuses the project.`,
      fixes: suggestion ? [{ title: `Change to '${suggestion}'`, edits: [{ range, newText: suggestion }], isPreferred: true }] : undefined,
    });
  }
}

/** `meta.depends_on` names entities of this project. */
function checkDependencies(doc: SpecDocument, model: ProjectDefinitionModel, meta: YAMLMap<unknown, unknown>, report: Report): void {
  const dependsOn = meta.get('depends_on', true);
  if (!isSeq(dependsOn) || model.isLocalOverride) {
    return;
  }
  const ids = new Set(model.entities.map((entity) => entity.id));
  const entities = getPair(doc.root, 'entities')?.value;
  if (isMap(entities) && entities.items.some((pair) => !isScalar(pair.key) || isTemplated(doc, pair.key))) {
    return;
  }
  for (const item of dependsOn.items) {
    if (isScalar(item) && typeof item.value === 'string' && !isTemplated(doc, item) && !ids.has(item.value)) {
      report({ code: 'spcs/invalid-value', at: item, message: `'depends_on' names '${item.value}', which is not an entity of this project; snow refuses the project.` });
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// spec_file.

function checkSpecFile(doc: SpecDocument, entity: ProjectEntity, files: ProjectFiles, report: Report): void {
  const node = entity.node.get('spec_file', true);
  if (!isScalar(node) || typeof node.value !== 'string' || isTemplated(doc, node) || node.value.trim() === '') {
    return;
  }
  const artifactsNode = entity.node.get('artifacts', true);
  if (artifactsNode !== undefined && isTemplated(doc, artifactsNode)) {
    return;
  }
  const specFile = node.value.trim();
  const artifacts: unknown = isSeq(artifactsNode) ? artifactsNode.toJSON() : (entity.mixins?.length ?? 0) > 0 ? undefined : [];
  const location = resolveSpecFile(doc.textDocument.uri, specFile, artifacts, files);
  if (location.uri === undefined) {
    if (location.certain && location.lookedAt.length > 0) {
      report({
        code: 'spcs/project-spec-file',
        at: node,
        message: `There is no file '${displayPath(doc.textDocument.uri, location.lookedAt[0] ?? '')}' next to this project definition: snow uploads the artifacts to the stage, so deploy fails without the spec file.`,
      });
    }
    return;
  }
  // The text says so in nearly every case; a full parse settles the rest (a spec written as JSON).
  const text = location.text ?? '';
  const spec = looksLikeSpec(text) ? undefined : parseSpecDocument(TextDocument.create(location.uri, 'yaml', 1, text));
  if (spec === undefined || spec.kind === 'serviceSpec') {
    return;
  }
  const path = displayPath(doc.textDocument.uri, location.uri);
  report({
    code: 'spcs/project-spec-file',
    at: node,
    message:
      spec.kind === 'gatewaySpec'
        ? `'${path}' is a gateway specification, not a service specification: a gateway is created with CREATE GATEWAY, not as a service entity.`
        : `'${path}' is not a service specification: it has no top-level 'spec:' with 'containers:'.`,
  });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
