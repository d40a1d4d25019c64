/**
 * Snowflake CLI project definitions beyond the checks: completion (keys, entity skeletons, types,
 * booleans, mixins and entities, account objects from the catalog), hover, go to definition on
 * `spec_file`, `use_mixins` and `depends_on`, and the API the client's "Deploy entity" and "Add to
 * snowflake.yml" reuse (entity values with mixins merged, the edit that adds a service entity).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, MarkupContent, Position } from 'vscode-languageserver-types';
import { addServiceEntity, newProjectDefinition, spcsEntityValues } from '../../../server/src/service/project';
import { parseSpecDocument } from '../../../server/src/service/specDocument';
import { catalogParams, demoCatalog, PlainTextCheckedService } from '../accountFixture';
import { memoryFiles } from './projectFixture';

const uri = 'file:///work/project/snowflake.yml';
const validSpec = 'spec:\n  containers:\n  - name: app\n    image: /db/s/r/app:1\n';

function service(withCatalog = true): PlainTextCheckedService {
  const result = new PlainTextCheckedService({ files: memoryFiles({ 'spec.yml': validSpec, 'specs/llm.yml': validSpec }) });
  if (withCatalog) result.setAccountCatalog(catalogParams(demoCatalog()));
  return result;
}

/** The text without its caret `|`, and the caret's position. */
function caret(marked: string): { text: string; position: Position } {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  return { text, position: TextDocument.create(uri, 'yaml', 1, text).positionAt(offset) };
}

function complete(marked: string, withCatalog = true): CompletionItem[] {
  const { text, position } = caret(marked);
  return service(withCatalog).complete(TextDocument.create(uri, 'yaml', 1, text), position).items;
}

/** The labels in the order an editor shows them (by sortText). */
function labels(items: readonly CompletionItem[]): string[] {
  return [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((item) => item.label);
}

describe('snowflake.yml completion', () => {
  it('offers the top-level keys, and definition_version "2"', () => {
    assert.deepEqual(labels(complete('|\n')).sort(), ['definition_version', 'entities', 'env', 'mixins']);
    assert.deepEqual(labels(complete('definition_version: |\n')), ['"2"']);
  });

  it('offers SPCS entity skeletons under entities, and an entity\'s type first', () => {
    const skeletons = complete('definition_version: "2"\nentities:\n  |\n');
    assert.deepEqual(labels(skeletons), ['my_service: (service entity)', 'my_compute_pool: (compute-pool entity)', 'my_image_repository: (image-repository entity)']);
    assert.match(skeletons[0]?.textEdit?.newText ?? '', /type: service\n {4}stage: .*\n {4}compute_pool: .*\n {4}spec_file: .*\n {4}artifacts:\n {6}- /);
    assert.deepEqual(labels(complete('definition_version: "2"\nentities:\n  svc:\n    |\n')), ['type']);
    const types = labels(complete('definition_version: "2"\nentities:\n  svc:\n    type: |\n'));
    assert.deepEqual(types.slice(0, 3), ['service', 'compute-pool', 'image-repository']);
    assert.ok(types.includes('streamlit'));
  });

  it('offers the fields of the entity\'s type that it does not have yet, required first, documented', () => {
    const items = complete('definition_version: "2"\nentities:\n  svc:\n    type: service\n    stage: s\n    |\n');
    const names = labels(items);
    assert.ok(!names.includes('stage') && !names.includes('type'));
    assert.deepEqual(names.slice(0, 3), ['compute_pool', 'spec_file', 'artifacts']);
    const pool = items.find((item) => item.label === 'min_nodes');
    assert.equal(pool, undefined, 'a compute pool\'s field is not a service\'s');
    assert.deepEqual(labels(complete('definition_version: "2"\nentities:\n  p:\n    type: compute-pool\n    |\n')).slice(0, 1), ['instance_family']);
    assert.deepEqual(labels(complete('definition_version: "2"\nentities:\n  app:\n    type: streamlit\n    |\n')), [], 'nothing for other types');
  });

  it('offers pools, warehouses, integrations and stages from the catalog, and booleans', () => {
    const head = 'definition_version: "2"\nentities:\n  svc:\n    type: service\n';
    assert.deepEqual(labels(complete(`${head}    compute_pool: |\n`)), ['DEMO_CPU_POOL', 'DEMO_GPU_POOL', 'SMALL_GPU_POOL', 'WATCH_POOL']);
    assert.deepEqual(labels(complete(`${head}    query_warehouse: |\n`)), ['DEMO_WH']);
    assert.deepEqual(labels(complete(`${head}    external_access_integrations:\n      - |\n`)), ['DEMO_EAI']);
    assert.deepEqual(labels(complete(`${head}    external_access_integrations: [|]\n`)), ['DEMO_EAI']);
    assert.deepEqual(labels(complete(`${head}    stage: |\n`)), ['MODELS', 'LOCKED', 'SHARED_DB.DATA.SHARED']);
    assert.deepEqual(labels(complete(`${head}    auto_resume: |\n`)), ['true', 'false']);
    assert.deepEqual(labels(complete(`${head}    compute_pool: |\n`, false)), [], 'nothing without a catalog');
    assert.ok(labels(complete('definition_version: "2"\nentities:\n  p:\n    type: compute-pool\n    instance_family: |\n', false)).includes('GPU_NV_M'), 'the known families offline');
  });

  it('offers the mixins and the other entities in meta', () => {
    const text = 'definition_version: "2"\nmixins:\n  serving: {stage: s}\nentities:\n  pool:\n    type: compute-pool\n  svc:\n    type: service\n    meta:\n      use_mixins: |\n';
    assert.deepEqual(labels(complete(text)), ['serving']);
    assert.deepEqual(labels(complete(text.replace('use_mixins: |', 'depends_on:\n        - |'))), ['pool']);
  });
});

function hover(marked: string): string | undefined {
  const { text, position } = caret(marked);
  const result = service().hover(TextDocument.create(uri, 'yaml', 1, text), position);
  return result ? (result.contents as MarkupContent).value : undefined;
}

describe('snowflake.yml hover and go to definition', () => {
  const text = 'definition_version: "2"\nentities:\n  svc:\n    type: service\n    compute_pool: DEMO_GPU_POOL\n    spec_file: spec.yml\n    artifacts: [spec.yml]\n  app:\n    type: streamlit\n    stage: s\n';

  it('documents fields, types, the spec file and the live pool', () => {
    assert.match(hover(text.replace('compute_pool:', 'compute_|pool:')) ?? '', /The compute pool the service runs in/);
    assert.match(hover(text.replace('type: service', 'type: serv|ice')) ?? '', /snow spcs service deploy/);
    assert.match(hover(text.replace('spec_file: spec.yml', 'spec_file: sp|ec.yml')) ?? '', /`spec\.yml`: a service specification with 1 container/);
    assert.match(hover(text.replace('DEMO_GPU_POOL', 'DEMO_|GPU_POOL')) ?? '', /Compute pool `DEMO_GPU_POOL`: GPU_NV_M, IDLE/);
    assert.match(hover(text.replace('definition_version', 'defin|ition_version')) ?? '', /version of the project definition format/);
    assert.equal(hover(text.replace('stage: s', 'sta|ge: s')), undefined, 'nothing on other entity types');
  });

  it('goes from spec_file to the spec, from use_mixins to the mixin and from depends_on to the entity', () => {
    const definition = (marked: string) => {
      const { text: plain, position } = caret(marked);
      return service().definition(TextDocument.create(uri, 'yaml', 1, plain), position);
    };
    assert.deepEqual(definition(text.replace('spec_file: spec.yml', 'spec_file: sp|ec.yml')).map((location) => location.uri), ['file:///work/project/spec.yml']);
    const moved = text.replace('spec_file: spec.yml', 'spec_file: sp|ec.yml').replace('artifacts: [spec.yml]', 'artifacts:\n      - src: specs/llm.yml\n        dest: spec.yml');
    assert.deepEqual(definition(moved.replace('spec_file: sp|ec.yml', 'spec_file: spec.yml').replace('spec_file: spec.yml', 'spec_file: sp|ec.yml')).map((location) => location.uri), ['file:///work/project/spec.yml']);
    assert.deepEqual(definition(text.replace('spec_file: spec.yml', 'spec_file: mis|sing.yml')), []);
    const withMeta = 'definition_version: "2"\nmixins:\n  serving: {stage: s}\nentities:\n  pool:\n    type: compute-pool\n  svc:\n    type: service\n    meta:\n      use_mixins: serv|ing\n      depends_on: [pool]\n';
    assert.deepEqual(definition(withMeta).map((location) => location.range.start), [{ line: 2, character: 2 }]);
    assert.deepEqual(definition(withMeta.replace('serv|ing', 'serving').replace('[pool]', '[po|ol]')).map((location) => location.range.start), [{ line: 4, character: 2 }]);
  });
});

describe('the project API for Deploy entity and Add to snowflake.yml', () => {
  it('gives each SPCS entity\'s values with its mixins merged, and lists the templated ones', () => {
    const text = 'definition_version: "2"\nmixins:\n  serving:\n    stage: model_stage\n    external_access_integrations: [a]\nentities:\n  llm:\n    type: service\n    identifier: {name: llm_service, schema: serving}\n    meta: {use_mixins: serving}\n    compute_pool: <% ctx.env.pool %>\n    spec_file: spec.yml\n    external_access_integrations: [b]\n    artifacts: [spec.yml]\n  app:\n    type: streamlit\n';
    const values = spcsEntityValues(parseSpecDocument(TextDocument.create(uri, 'yaml', 1, text)));
    assert.equal(values.length, 1, 'only SPCS entities');
    const [llm] = values;
    assert.deepEqual({ id: llm?.id, type: llm?.type, name: llm?.name, schema: llm?.schema, templated: llm?.templated }, { id: 'llm', type: 'service', name: 'llm_service', schema: 'serving', templated: ['compute_pool'] });
    assert.equal(llm?.fields.stage, 'model_stage');
    assert.deepEqual(llm?.fields.external_access_integrations, ['a', 'b'], 'lists are extended as the CLI does');
  });

  it('adds a service entity below the last entity, or a new entities section, keeping the rest byte for byte', () => {
    const entity = { id: 'echo', stage: 'specs', computePool: 'DEMO_CPU_POOL', specFile: 'echo.spcs.yaml', minInstances: 1, maxInstances: 2 };
    const text = 'definition_version: "2"\n# my project\nentities:\n    app:\n        type: streamlit\n';
    const doc = parseSpecDocument(TextDocument.create(uri, 'yaml', 1, text));
    const edit = addServiceEntity(doc, entity);
    assert.ok(edit);
    const added = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), [edit]);
    assert.ok(added.startsWith(text.trimEnd()));
    assert.match(added, /\n\n {4}echo:\n {6}type: service\n {6}stage: specs\n {6}compute_pool: DEMO_CPU_POOL\n {6}spec_file: echo\.spcs\.yaml\n {6}min_instances: 1\n {6}max_instances: 2\n {6}artifacts:\n {8}- echo\.spcs\.yaml/);
    const bare = 'definition_version: "2"\n';
    const withSection = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, bare), [addServiceEntity(parseSpecDocument(TextDocument.create(uri, 'yaml', 1, bare)), entity) ?? { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '' }]);
    assert.equal(withSection, `${bare}${newProjectDefinition(entity).slice(bare.length + 1)}`);
    assert.equal(addServiceEntity(parseSpecDocument(TextDocument.create(uri, 'yaml', 1, 'definition_version: 1\n')), entity), undefined, 'not into a version 1 file');
    // The result is a valid project.
    assert.deepEqual(service().validate(TextDocument.create(uri, 'yaml', 1, newProjectDefinition({ ...entity, specFile: 'spec.yml' }))), []);
  });
});
