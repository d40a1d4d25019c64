/**
 * Snowflake CLI project definitions (`snowflake.yml`): the SPCS entities valid, each invalid field,
 * required fields with mixins and `snowflake.local.yml` merged in, templated values never judged,
 * other entity types and version-1 files left alone, and a service's `spec_file`: missing, not a
 * spec, a gateway spec, placed by `{ src, dest }` artifacts. The spec files are served by an
 * in-memory `ProjectFiles`, as the LSP server serves them from disk.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { SpcsLanguageService } from '../../../server/src/service/languageService';
import { applyFix, expectDiagnostic, expectNoDiagnostic, fixesOf, yaml } from '../helpers';
import { assertPlainTextDiagnostics } from '../plainText';
import { memoryFiles, projectFolder } from './projectFixture';

const folder = projectFolder;
const validSpec = 'spec:\n  containers:\n  - name: app\n    image: /db/s/r/app:1\n';

function validateProject(text: string, files: Readonly<Record<string, string>> = { 'spec.yml': validSpec }, name = 'snowflake.yml'): Diagnostic[] {
  const service = new SpcsLanguageService({
    files: memoryFiles(files),
    onRuleError: (rule, error) => {
      throw new Error(`${rule} threw: ${String(error)}`);
    },
  });
  const document = TextDocument.create(`${folder}/${name}`, 'yaml', 1, text);
  assert.equal(service.documentKind(document), 'projectDefinition');
  const diagnostics = service.validate(document);
  assertPlainTextDiagnostics(diagnostics);
  return diagnostics;
}

/** A project with the given entities block (written at 2 spaces under `entities:`, from line 2). */
function project(entities: string, extra = ''): string {
  return `definition_version: "2"\nentities:\n${yaml(entities).replace(/^(?=.)/gm, '  ')}${extra}`;
}

const service = `
  llm:
    type: service
    identifier:
      name: llm_service
      schema: serving
    stage: model_stage
    compute_pool: gpu_pool
    spec_file: spec.yml
    min_instances: 1
    max_instances: 2
    auto_resume: false
    auto_suspend_secs: 0
    query_warehouse: serving_wh
    external_access_integrations:
      - hf_eai
    comment: vLLM
    tags:
      - name: team
        value: ml
    artifacts:
      - spec.yml
`;

describe('snowflake.yml: valid SPCS entities', () => {
  it('reports nothing on a service with every field, a compute pool and an image repository', () => {
    const text = project(`${service}
  pool:
    type: compute-pool
    instance_family: GPU_NV_S
    min_nodes: 1
    max_nodes: 3
    auto_resume: true
    initially_suspended: true
    auto_suspend_seconds: 600
    comment: pool
  repo:
    type: image-repository
    identifier: images
`);
    assert.deepEqual(validateProject(text), []);
  });

  it('accepts what the CLI accepts in lax mode: numeric strings, boolean words, a string identifier, definition_version 2 as a number', () => {
    const text = `definition_version: 2\nentities:\n  llm:\n    type: service\n    identifier: ml_db.serving.llm\n    stage: s\n    compute_pool: p\n    spec_file: spec.yml\n    min_instances: "2"\n    auto_resume: "yes"\n    artifacts: [spec.yml]\n`;
    assert.deepEqual(validateProject(text), []);
  });

  it('leaves other entity types, version 1 files and the rest of the file alone', () => {
    const text = project(`
      app:
        type: streamlit
        anything: [1, 2]
        stage: 12
      fn:
        type: function
        handler: 1
    `, 'whatever: {a: 1}\n');
    assert.deepEqual(validateProject(text), []);
    assert.deepEqual(validateProject('definition_version: 1\nsnowpark:\n  stage: 12\nspcs: {compute_pool: 1}\n'), []);
    assert.deepEqual(validateProject('definition_version: "1.1"\nentities:\n  x:\n    type: service\n'), [], 'entities mean nothing in version 1');
  });
});

describe('snowflake.yml: each invalid field', () => {
  it('reports a number where a string goes, with a fix that quotes it', () => {
    const text = project(service.replace('compute_pool: gpu_pool', 'compute_pool: 12'));
    const diagnostic = expectDiagnostic(validateProject(text), 'spcs/invalid-type', 'error', 8, 18);
    assert.match(diagnostic.message, /'compute_pool' of entity 'llm' \(service\) must be a string/);
    assert.deepEqual(validateProject(applyFix(text, diagnostic, 'Quote it: "12"')), []);
  });

  it('does not report what YAML 1.1 (the CLI\'s parser) reads as a string', () => {
    assert.deepEqual(validateProject(project(service.replace('comment: vLLM', 'comment: 0o17'))), []);
  });

  it('reports integers: not an integer, below the minimum, max below min', () => {
    expectDiagnostic(validateProject(project(service.replace('min_instances: 1', 'min_instances: one'))), 'spcs/invalid-type', 'error', 10, 19);
    expectDiagnostic(validateProject(project(service.replace('min_instances: 1', 'min_instances: 1.5'))), 'spcs/invalid-type', 'error', 10, 19);
    expectDiagnostic(validateProject(project(service.replace('min_instances: 1', 'min_instances: 0'))), 'spcs/invalid-value', 'error', 10, 19);
    expectDiagnostic(validateProject(project(service.replace('auto_suspend_secs: 0', 'auto_suspend_secs: -5'))), 'spcs/invalid-value', 'error', 13, 23);
    const bounds = expectDiagnostic(validateProject(project(service.replace('min_instances: 1', 'min_instances: 3'))), 'spcs/invalid-value', 'error', 11, 19);
    assert.match(bounds.message, /'max_instances' of entity 'llm' \(service\) is 2, less than 'min_instances' \(3\)/);
    const pool = expectDiagnostic(validateProject(project('pool:\n  type: compute-pool\n  instance_family: CPU_X64_S\n  max_nodes: 0\n')), 'spcs/invalid-value', 'error', 5, 15);
    assert.match(pool.message, /at least 1/);
  });

  it('reports booleans, lists and mappings of the wrong kind', () => {
    expectDiagnostic(validateProject(project(service.replace('auto_resume: false', 'auto_resume: maybe'))), 'spcs/invalid-type', 'error', 12, 17);
    expectDiagnostic(validateProject(project(service.replace('external_access_integrations:\n      - hf_eai', 'external_access_integrations: hf_eai'))), 'spcs/invalid-type', 'error', 15, 34);
    expectDiagnostic(validateProject(project(service.replace('artifacts:\n      - spec.yml', 'artifacts: spec.yml'))), 'spcs/invalid-type', 'error', 21, 15);
    expectDiagnostic(validateProject(project(service.replace('    identifier:\n      name: llm_service\n      schema: serving', '    identifier: [llm_service]'))), 'spcs/invalid-type', 'error', 4, 16);
  });

  it('reports tags without a name or value, and a tag name that is not an identifier', () => {
    expectDiagnostic(validateProject(project(service.replace('        value: ml', ''))), 'spcs/missing-required', 'error', 19, 8);
    const name = expectDiagnostic(validateProject(project(service.replace('name: team', 'name: 1team'))), 'spcs/invalid-value', 'error', 19, 14);
    assert.match(name.message, /'1team' is not a valid tag name/);
  });

  it('warns on unknown fields (in the entity, its identifier and meta), with the nearest known one', () => {
    const text = project(service.replace('compute_pool: gpu_pool', 'computepool: gpu_pool'));
    const diagnostics = validateProject(text);
    const diagnostic = expectDiagnostic(diagnostics, 'spcs/unknown-key', 'warning', 8, 4);
    assert.match(diagnostic.message, /Did you mean 'compute_pool'\?/);
    assert.equal(fixesOf(diagnostic)[0]?.isPreferred, true);
    expectDiagnostic(diagnostics, 'spcs/missing-required', 'error', 2, 2);
    assert.deepEqual(validateProject(applyFix(text, diagnostic, "Rename to 'compute_pool'")), []);
    expectDiagnostic(validateProject(project(service.replace('schema: serving', 'schemas: serving'))), 'spcs/unknown-key', 'warning', 6, 6);
    expectDiagnostic(validateProject(project(`${service}    meta:\n      mixin: x\n`)), 'spcs/unknown-key', 'warning', 24, 6);
  });

  it('reports the fields deploy needs, per entity type', () => {
    const diagnostic = expectDiagnostic(validateProject(project('llm:\n  type: service\n  spec_file: spec.yml\n')), 'spcs/missing-required', 'error', 2, 2);
    assert.match(diagnostic.message, /missing the required fields 'stage', 'compute_pool', 'artifacts': snow spcs service deploy needs them/);
    expectDiagnostic(validateProject(project('pool:\n  type: compute-pool\n')), 'spcs/missing-required', 'error', 2, 2);
    assert.deepEqual(validateProject(project('repo:\n  type: image-repository\n')), []);
  });
});

describe('snowflake.yml: mixins, local overrides and templates', () => {
  it('takes the required fields from the mixins an entity uses', () => {
    const text = project('llm:\n  type: service\n  meta:\n    use_mixins: serving\n  spec_file: spec.yml\n  artifacts: [spec.yml]\n', 'mixins:\n  serving:\n    stage: s\n    compute_pool: p\n');
    assert.deepEqual(validateProject(text), []);
  });

  it('reports a mixin the mixins section does not define, with the nearest one, and then no missing field', () => {
    const text = project('llm:\n  type: service\n  meta:\n    use_mixins: [servin]\n  spec_file: spec.yml\n  artifacts: [spec.yml]\n', 'mixins:\n  serving:\n    stage: s\n    compute_pool: p\n');
    const diagnostics = validateProject(text);
    const diagnostic = expectDiagnostic(diagnostics, 'spcs/project-unknown-mixin', 'error', 5, 19);
    expectNoDiagnostic(diagnostics, 'spcs/missing-required');
    assert.deepEqual(validateProject(applyFix(text, diagnostic, "Change to 'serving'")), []);
  });

  it('takes fields from snowflake.local.yml, and checks a local override without asking for required fields', () => {
    const base = project('llm:\n  type: service\n  stage: s\n  spec_file: spec.yml\n  artifacts: [spec.yml]\n  min_instances: 3\n  max_instances: 2\n');
    const local = 'entities:\n  llm:\n    compute_pool: p\n    max_instances: 4\n';
    assert.deepEqual(validateProject(base, { 'spec.yml': validSpec, 'snowflake.local.yml': local }), [], 'the override supplies compute_pool and a larger max');
    expectDiagnostic(validateProject(base), 'spcs/missing-required', 'error', 2, 2);
    assert.deepEqual(validateProject(local, {}, 'snowflake.local.yml'), [], 'a partial entity in the local file');
    expectDiagnostic(validateProject('entities:\n  llm:\n    type: service\n    min_instances: zero\n', {}, 'snowflake.local.yml'), 'spcs/invalid-type', 'error', 3, 19);
  });

  it('never judges a templated value or key', () => {
    const text = project(service.replace('compute_pool: gpu_pool', 'compute_pool: <% ctx.env.pool %>').replace('min_instances: 1', 'min_instances: <% ctx.env.min %>').replace('spec_file: spec.yml', 'spec_file: <% ctx.env.spec %>'));
    assert.deepEqual(validateProject(text, {}), []);
    assert.deepEqual(validateProject(project('<% ctx.env.name %>:\n  type: service\n')), []);
    assert.deepEqual(validateProject(project('llm:\n  type: <% ctx.env.kind %>\n  stage: 12\n')), []);
  });

  it('says the CLI reads snowflake.yml, not snowflake.yaml', () => {
    expectDiagnostic(validateProject(project(service), undefined, 'snowflake.yaml'), 'spcs/project-file-name', 'information', 0, 0);
    assert.deepEqual(validateProject('name: not a project\n', undefined, 'snowflake.yaml'), []);
  });
});

describe('snowflake.yml: spec_file', () => {
  it('warns on a spec file that does not exist next to snowflake.yml', () => {
    const diagnostic = expectDiagnostic(validateProject(project(service), {}), 'spcs/project-spec-file', 'warning', 9, 15);
    assert.match(diagnostic.message, /There is no file 'spec\.yml' next to this project definition/);
  });

  it('warns on a spec file that is not a service spec, or is a gateway spec', () => {
    assert.match(expectDiagnostic(validateProject(project(service), { 'spec.yml': 'name: x\n' }), 'spcs/project-spec-file', 'warning', 9, 15).message, /is not a service specification/);
    const gateway = 'spec:\n  type: traffic_split\n  split_type: custom\n  targets: []\n';
    assert.match(expectDiagnostic(validateProject(project(service), { 'spec.yml': gateway }), 'spcs/project-spec-file', 'warning', 9, 15).message, /is a gateway specification/);
  });

  it('accepts a spec written as JSON and a templated spec; the spec\'s own problems are not reported here', () => {
    assert.deepEqual(validateProject(project(service), { 'spec.yml': '{"spec": {"containers": [{"name": "app", "image": "/db/s/r/app:1"}]}}' }), []);
    assert.deepEqual(validateProject(project(service), { 'spec.yml': 'spec:\n  containers:\n  - name: <% ctx.env.name %>\n    image: {{ image }}\n' }), []);
    assert.deepEqual(validateProject(project(service), { 'spec.yml': 'spec:\n  containers:\n  - name: BAD NAME\n' }), []);
  });

  it('follows { src, dest } artifacts to the file uploaded as spec_file, and claims nothing where globs decide', () => {
    const moved = project(service.replace('artifacts:\n      - spec.yml', 'artifacts:\n      - src: specs/llm.yml\n        dest: spec.yml'));
    assert.deepEqual(validateProject(moved, { 'specs/llm.yml': validSpec }), []);
    const movedNotSpec = expectDiagnostic(validateProject(moved, { 'specs/llm.yml': 'name: x\n' }), 'spcs/project-spec-file', 'warning', 9, 15);
    assert.match(movedNotSpec.message, /'specs\/llm\.yml' is not a service specification/, 'the file the artifacts upload as spec.yml');
    const intoFolder = project(service.replace('spec_file: spec.yml', 'spec_file: specs/llm.yml').replace('artifacts:\n      - spec.yml', 'artifacts:\n      - src: build/llm.yml\n        dest: specs/'));
    assert.deepEqual(validateProject(intoFolder, { 'build/llm.yml': validSpec }), []);
    const globbed = project(service.replace('artifacts:\n      - spec.yml', 'artifacts:\n      - "*.yml"'));
    assert.deepEqual(validateProject(globbed, {}), [], 'a glob may bring it from elsewhere: nothing is claimed');
  });
});
