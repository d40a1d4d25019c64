/**
 * The account outside diagnostics: the `# spcs:` modeline keys, which target applies to a document
 * (modeline over the remembered deploy, default connection), completion from the catalog (image
 * paths newest first, stages, secrets, modeline pools and connections) and hover facts.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, MarkupContent, TextEdit } from 'vscode-languageserver-types';
import type { DeployTarget } from '../../server/src/lspExtension';
import { parseModeline } from '../../server/src/service/modeline';
import { parseInstanceFamilyModeline } from '../../server/src/service/instanceFamilies';
import { accountService, catalogParams, demoCatalog, specDocument, specUri } from './accountFixture';

const target: DeployTarget = { connection: 'emulator_dev', computePool: 'DEMO_CPU_POOL', database: 'SPCS_DEMO', schema: 'PUBLIC' };

describe('modeline keys', () => {
  it('reads pool, connection, warehouse and instance-family with their positions', () => {
    const text = '# spcs: pool=GPU_POOL, connection="dev conn" instance_family=GPU_NV_M\n# spcs: warehouse=WH compute-pool=OTHER\nspec: {}\n';
    const modeline = parseModeline(text);
    assert.deepEqual(modeline.pool, { value: 'GPU_POOL', range: { line: 0, startCharacter: 13, endCharacter: 21 } });
    assert.deepEqual(modeline.connection, { value: 'dev conn', range: { line: 0, startCharacter: 35, endCharacter: 43 } });
    assert.deepEqual(modeline.instanceFamily?.value, 'GPU_NV_M');
    assert.deepEqual(modeline.warehouse?.range, { line: 1, startCharacter: 18, endCharacter: 20 });
    assert.deepEqual(parseInstanceFamilyModeline(text), { family: 'GPU_NV_M', range: { line: 0, startCharacter: 61, endCharacter: 69 } });
  });

  it('takes the first value of each key and stops after the leading comment block beyond line 20', () => {
    const text = `# spcs: pool=FIRST\n# spcs: pool=SECOND connection=c\nspec:\n${'  # filler\n'.repeat(25)}# spcs: warehouse=LATE\n`;
    const modeline = parseModeline(text);
    assert.equal(modeline.pool?.value, 'FIRST');
    assert.equal(modeline.connection?.value, 'c');
    assert.equal(modeline.warehouse, undefined);
    assert.deepEqual(parseModeline('spec:\n  containers: [] # spcs: pool=X\n'), {});
  });
});

describe('which account applies to a document', () => {
  it('uses the remembered deploy target, and the modeline wins over it', () => {
    const service = accountService({ target });
    assert.equal(service.accountView(specDocument('spec: {}\n'))?.pool?.name, 'DEMO_CPU_POOL');
    const view = service.accountView(specDocument('# spcs: pool=demo_gpu_pool\nspec: {}\n'));
    assert.equal(view?.pool?.entry?.name, 'DEMO_GPU_POOL');
    assert.equal(view?.pool?.family?.gpus, 4);
    assert.equal(view?.database, 'SPCS_DEMO');
  });

  it('uses the default connection without a target, and the modeline connection over the target', () => {
    const service = accountService({ target });
    service.setAccountCatalog(catalogParams(demoCatalog({ role: 'PROD_ROLE', database: 'PROD' }), 'prod', false));
    assert.equal(service.accountView(specDocument('spec: {}\n', 'file:///other.yaml'))?.index.connection, 'emulator_dev');
    const view = service.accountView(specDocument('# spcs: connection=prod\nspec: {}\n'));
    assert.equal(view?.index.connection, 'prod');
    assert.equal(view?.pool, undefined, "the target's pool belongs to another connection");
    assert.equal(view?.database, 'PROD');
    assert.equal(service.accountView(specDocument('# spcs: connection=unknown\nspec: {}\n')), undefined);
    assert.deepEqual(service.accountConnections(), ['emulator_dev', 'prod']);
  });

  it('forgets a target set to null, and has no view without a catalog', () => {
    const service = accountService({ target });
    assert.deepEqual(service.setDeployTargets({ targets: [{ uri: specUri, target: null }] }), [specUri]);
    assert.equal(service.accountView(specDocument('spec: {}\n'))?.pool, undefined);
    assert.equal(accountService({ catalog: null, target }).accountView(specDocument('spec: {}\n')), undefined);
  });
});

function complete(marked: string, service = accountService({ target })) {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const document = specDocument(text);
  const list = service.complete(document, document.positionAt(offset));
  const labels = list.items.map((item) => item.label);
  const item = (label: string): CompletionItem => {
    const found = list.items.find((candidate) => candidate.label === label);
    assert.ok(found, `no "${label}" in: ${labels.join(', ')}`);
    return found;
  };
  const apply = (label: string) => TextDocument.applyEdits(TextDocument.create(specUri, 'spcs-spec', 1, text), [item(label).textEdit as TextEdit]);
  const sorted = [...list.items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((candidate) => candidate.label);
  return { labels, sorted, item, apply };
}

const image = (value: string) => `spec:\n  containers:\n    - name: echo\n      image: ${value}\n`;

describe('account completion', () => {
  it('offers image repositories, then images newest first, then tags newest first', () => {
    const repositories = complete(image('/|'));
    assert.ok(repositories.labels.includes('/tutorial_db/data_schema/tutorial_repository/'));
    assert.ok(repositories.labels.includes('/spcs_demo/public/builds/'));
    const images = complete(image('/tutorial_db/data_schema/tutorial_repository/|'));
    assert.deepEqual(images.sorted.slice(0, 2), ['/tutorial_db/data_schema/tutorial_repository/echo:', '/tutorial_db/data_schema/tutorial_repository/vllm:']);
    assert.equal(images.apply('/tutorial_db/data_schema/tutorial_repository/echo:'), image('"/tutorial_db/data_schema/tutorial_repository/echo:"'));
    const tags = complete(image('/tutorial_db/data_schema/tutorial_repository/echo:|'));
    assert.deepEqual(
      tags.sorted.slice(0, 4).map((label) => label.split(':')[1]),
      ['latest', 'v2', 'v1', 'v0'],
    );
    const v1 = tags.item('/tutorial_db/data_schema/tutorial_repository/echo:v1');
    assert.equal(v1.detail, '111111111111 · pushed 2026-01-10 10:00 · 50 MiB');
    assert.match((v1.documentation as MarkupContent).value, /Digest: `sha256:1111111111111111aaaa`/);
    assert.equal(tags.apply('/tutorial_db/data_schema/tutorial_repository/echo:v1'), image('/tutorial_db/data_schema/tutorial_repository/echo:v1'));
  });

  it('keeps the registry host and completes inside quotes', () => {
    const host = 'myorg-myacct.registry.snowflakecomputing.com';
    const { labels } = complete(image(`${host}/tutorial_db/data_schema/tutorial_repository/ec|`));
    assert.ok(labels.includes(`${host}/tutorial_db/data_schema/tutorial_repository/echo:`));
    const quoted = complete(image('"/TUTORIAL_DB/DATA_SCHEMA/TUTORIAL_REPOSITORY/echo:|"'));
    assert.equal(quoted.apply('/tutorial_db/data_schema/tutorial_repository/echo:v2'), image('"/tutorial_db/data_schema/tutorial_repository/echo:v2"'));
  });

  it('offers stages in stageConfig.name (qualified outside the service schema) and secrets', () => {
    const stages = complete('spec:\n  containers: []\n  volumes:\n    - name: data\n      source: stage\n      stageConfig:\n        name: |\n');
    assert.ok(stages.labels.includes('@MODELS'));
    assert.ok(stages.labels.includes('@SHARED_DB.DATA.SHARED'));
    assert.match(stages.apply('@MODELS'), /name: "@MODELS"\n/);
    const secrets = complete('spec:\n  containers:\n    - name: a\n      image: x\n      secrets:\n        - snowflakeSecret: |\n');
    assert.equal(secrets.item('DB_PASSWORD').detail, 'secret · PASSWORD');
    const objectName = complete('spec:\n  containers:\n    - name: a\n      image: x\n      secrets:\n        - snowflakeSecret:\n            objectName: AP|\n');
    assert.ok(objectName.labels.includes('API_KEY'));
  });

  it('offers pools and connections in the modeline, and live families first', () => {
    const pools = complete('# spcs: pool=|\nspec:\n  containers: []\n');
    assert.deepEqual(pools.labels.slice(0, 4), ['DEMO_CPU_POOL', 'DEMO_GPU_POOL', 'SMALL_GPU_POOL', 'WATCH_POOL']);
    assert.equal(pools.item('DEMO_GPU_POOL').detail, 'GPU_NV_M: 44 vCPU, 178 GiB, 4 × NVIDIA A10G · IDLE · 1-1 nodes');
    assert.equal(pools.apply('DEMO_GPU_POOL'), '# spcs: pool=DEMO_GPU_POOL\nspec:\n  containers: []\n');
    const partial = complete('# spcs: connection=emu|lator pool=X\nspec: {}\n');
    assert.equal(partial.apply('emulator_dev'), '# spcs: connection=emulator_dev pool=X\nspec: {}\n');
    assert.deepEqual(complete('# spcs: warehouse=|\nspec: {}\n').labels, ['DEMO_WH']);
    const families = complete('# spcs: instance-family=GPU|\nspec: {}\n');
    assert.equal(families.item('GPU_NV_M').detail, 'GPU_NV_M: 44 vCPU, 178 GiB, 4 × NVIDIA A10G (account)');
    assert.ok(families.labels.includes('GPU_NV_L'), 'the offline families are still offered');
  });

  it('filters a large repository by the typed part of the image name', () => {
    const images = Array.from({ length: 150 }, (_, index) => ({ name: `svc-${index}`, tags: ['v1'], digest: `sha256:${index}`, createdOn: '2026-01-01T00:00:00Z' }));
    const service = accountService({ catalog: demoCatalog({ imageRepositories: [{ database: 'DB', schema: 'S', name: 'BIG', images }] }), target });
    const document = specDocument(image('/db/s/big/svc-14'));
    const list = service.complete(document, document.positionAt(document.getText().indexOf('svc-14') + 'svc-14'.length));
    const labels = list.items.map((item) => item.label).filter((label) => label.startsWith('/db/s/big/'));
    assert.equal(list.isIncomplete, true);
    // In order, like the editor's own fuzzy filter: `svc-104` matches `svc-14` too, `svc-15` does not.
    assert.equal(labels.length, 15);
    for (const label of ['/db/s/big/svc-14:', '/db/s/big/svc-149:', '/db/s/big/svc-104:']) {
      assert.ok(labels.includes(label), label);
    }
    assert.ok(!labels.includes('/db/s/big/svc-15:'));
    const everything = service.complete(specDocument(image('/db/s/big/')), { line: 3, character: 'image: /db/s/big/'.length + 6 });
    assert.equal(everything.items.filter((item) => item.label.startsWith('/db/s/big/')).length, 150);
  });

  it('offers nothing from the account without a catalog', () => {
    const { labels } = complete(image('/tutorial_db/data_schema/tutorial_repository/|'), accountService({ catalog: null }));
    assert.ok(!labels.some((label) => label.includes('echo')));
    assert.deepEqual(complete('# spcs: pool=|\nspec: {}\n', accountService({ catalog: null })).labels, []);
  });
});

function hover(marked: string, service = accountService({ target })): string {
  const offset = marked.indexOf('|');
  const document = specDocument(marked.slice(0, offset) + marked.slice(offset + 1));
  const result = service.hover(document, document.positionAt(offset));
  return result ? (result.contents as MarkupContent).value : '';
}

describe('account hover', () => {
  const spec = `spec:\n  containers:\n    - name: echo\n      image: /tutorial_db/data_schema/tutorial_repository/echo:v1\n      res|ources:\n        requests:\n          cpu: 1\n          memory: 4Gi\n`;

  it('shows the target pool capacity and what is left on `resources`', () => {
    const text = hover(spec);
    assert.match(text, /\*\*Compute pool `DEMO_CPU_POOL`\*\* \(ACTIVE, 1-2 nodes\), node CPU_X64_S: 3 vCPU, 13 GiB/);
    assert.match(text, /Left on a node: 2 vCPU, 9 GiB\./);
    assert.doesNotMatch(text, /Name the instance family/);
    assert.doesNotMatch(hover(spec, accountService({ catalog: null })), /Compute pool/);
  });

  it('shows digest, size and push date on `image`', () => {
    const text = hover(spec.replace('image: /tut', 'image: /t|ut').replace('res|ources', 'resources'));
    assert.match(text, /Digest: `sha256:1111111111111111aaaa`/);
    assert.match(text, /Pushed: 2026-01-10 10:00 UTC/);
    assert.match(text, /Size: 50 MiB/);
    assert.match(text, /2 newer tags in the repository \(newest `latest`\)/);
  });

  it('counts a GPU request against the target pool instead of asking for an instance family', () => {
    const gpu = `spec:\n  containers:\n    - name: model\n      image: /tutorial_db/data_schema/tutorial_repository/echo:v1\n      resources:\n        requests:\n          nvidia.com/gpu: |1\n`;
    const onCpuPool = hover(gpu);
    assert.match(onCpuPool, /1 GPU, but a node of compute pool `DEMO_CPU_POOL` \(CPU_X64_S\) .* has none/);
    assert.doesNotMatch(onCpuPool, /Name the compute pool's instance family/);
    const onGpuPool = hover(gpu, accountService({ target: { ...target, computePool: 'DEMO_GPU_POOL' } }));
    assert.match(onGpuPool, /1 of the 4 GPUs of a node of compute pool `DEMO_GPU_POOL` \(GPU_NV_M\)/);
    // Without a catalog: the offline facts, as before.
    assert.match(hover(gpu, accountService({ catalog: null })), /Name the compute pool's instance family/);
  });

  it('describes the modeline pool', () => {
    assert.match(hover('# spcs: pool=DEMO_G|PU_POOL\nspec: {}\n'), /Compute pool `DEMO_GPU_POOL`\*\*: GPU_NV_M: 44 vCPU/);
  });
});
