/**
 * The service templates (client/src/serving) rendered for every instance family: the built-in table
 * (server/src/service/instanceFamilies.ts) and the emulator's live SHOW COMPUTE POOL INSTANCE
 * FAMILIES. Each rendering gets ZERO diagnostics from our own language service, offline (the family's
 * modeline) and against an account catalog read from the emulator through the real driver (a pool of
 * every live family, the images pushed, the stage and secret of the demo seed); poolFit says it fits
 * its family; a GPU template is refused only on a family without GPUs. Then every template deploys to
 * the emulator with the deploy flow and becomes READY (the job runs to DONE).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parse as parseYaml } from 'yaml';
import { SpcsLanguageService } from '../../server/src/service/languageService';
import { instanceFamilies, type InstanceFamily } from '../../server/src/service/instanceFamilies';
import { fetchCatalog } from '../../client/src/catalog/fetchCatalog';
import { runDeploy } from '../../client/src/deploy/deployFlow';
import type { FlowDeps } from '../../client/src/deploy/flowContract';
import { runJob } from '../../client/src/deploy/jobFlow';
import { createComputePool } from '../../client/src/pools/createPool';
import { loadFamilyListing } from '../../client/src/pools/familyRows';
import { poolFit } from '../../client/src/deploy/poolFit';
import { renderTemplate, type RenderRequest, type RenderResult } from '../../client/src/serving/renderTemplate';
import { servingTemplates, type ServingTemplate } from '../../client/src/serving/templateCatalog';
import { templateOptions } from '../../client/src/serving/templateOptions';
import { harness, printedConnection, value } from './emulatorHarness';
import { AutomationDeployUi, emulatedScheduler, MemoryChoiceStore, memoryLog, ScriptedPoolUi } from './scriptedUis';

const demoAssets = {
  weights: { kind: 'stage', stage: '@ml_db.serving.model_weights', path: 'llama-3.1-8b-instruct' },
  huggingFaceTokenSecret: 'ml_db.serving.hf_token',
  dataStage: '@ml_db.training.datasets/features',
} as const;

function imageOf(template: ServingTemplate): string {
  return `/ml_db/serving/images/${template.imageName}:${template.defaultTag}`;
}

function render(template: ServingTemplate, family: InstanceFamily, extra: Partial<RenderRequest> = {}): RenderResult {
  return renderTemplate({ template: template.id, family, serviceName: template.defaultName, image: imageOf(template), ...demoAssets, ...extra });
}

function familyHasNoGpu(family: InstanceFamily): boolean {
  return family.gpus === 0;
}

/** Every diagnostic of our language service, as `code: message` lines (empty is the goal). */
function diagnosticsOf(service: SpcsLanguageService, uri: string, text: string): string[] {
  return service.validate(TextDocument.create(uri, 'spcs-spec', 1, text)).map((diagnostic) => `${String(diagnostic.code)}: ${diagnostic.message}`);
}

function checkRendering(template: ServingTemplate, family: InstanceFamily, rendered: RenderResult, service: SpcsLanguageService, uri: string): void {
  const label = `${template.id} on ${family.name}`;
  if (!rendered.ok) {
    assert.ok(template.gpu === 'required' && familyHasNoGpu(family), `${label} was refused: ${rendered.message}`);
    assert.match(rendered.message, new RegExp(`needs a GPU, and ${family.name} nodes have none`));
    return;
  }
  assert.ok(!(template.gpu === 'required' && familyHasNoGpu(family)), `${label} must be refused`);
  assert.deepEqual(diagnosticsOf(service, uri, rendered.spec), [], `${label}:\n${rendered.spec}`);
  assert.match(rendered.spec, new RegExp(`^# spcs: instance-family=${family.name}\\b`), `${label}: the family's modeline`);
  const fit = poolFit(rendered.spec, { name: 'POOL', state: 'IDLE', instanceFamily: family.name }, { source: 'offline', families: [family] });
  const published = family.vcpu !== undefined && family.memoryGiB !== undefined && (rendered.sizing.gpus === 0 || family.gpus !== undefined);
  assert.equal(fit.fits, published ? 'yes' : 'unknown', `${label}: ${fit.summary} ${fit.reasons.join(' ')}`);

  const spec = parseYaml(rendered.spec) as { spec: { containers: { resources: { requests: Record<string, unknown>; limits?: Record<string, unknown> }; readinessProbe?: unknown; volumeMounts?: { mountPath: string }[] }[]; volumes?: { source: string; stageConfig?: unknown; size?: string }[]; platformMonitor?: unknown; endpoints?: unknown[] } };
  const container = spec.spec.containers[0];
  assert.ok(container);
  assert.equal(container.resources.requests['nvidia.com/gpu'], container.resources.limits?.['nvidia.com/gpu'], `${label}: GPU request equals limit`);
  assert.deepEqual(spec.spec.platformMonitor, { metricConfig: { groups: ['system', 'system_limits', 'status'] } });
  const dockerfile = rendered.files.find((file) => file.path === 'Dockerfile')?.content ?? '';
  assert.match(dockerfile, /^FROM --platform=linux\/amd64 \S+$/m, `${label}: builds for linux/amd64`);
  if (template.server) {
    assert.deepEqual(container.readinessProbe, { port: template.server.port, path: template.server.healthPath });
    assert.equal(spec.spec.endpoints?.length, 1);
  }
  if (rendered.sizing.gpus > 0) {
    assert.ok(container.volumeMounts?.some((mount) => mount.mountPath === '/dev/shm'), `${label}: /dev/shm`);
    assert.ok(spec.spec.volumes?.some((volume) => volume.source === 'memory' && volume.size !== undefined));
  }
  if (template.servesModel) {
    assert.ok(spec.spec.volumes?.some((volume) => volume.source === 'stage' && volume.stageConfig !== undefined), `${label}: weights on a stage volume`);
    assert.match(rendered.spec, /secrets:\n {8}- snowflakeSecret:\n {12}objectName: ml_db\.serving\.hf_token\n {10}secretKeyRef: secret_string\n {10}envVarName: HF_TOKEN\n/);
  }
  const project = rendered.files.find((file) => file.path === 'snowflake.yml');
  if (template.kind === 'service') {
    const definition = parseYaml(project?.content ?? '') as { definition_version: string; entities: Record<string, { type: string; spec_file: string; artifacts: string[]; identifier: { name: string } }> };
    assert.equal(definition.definition_version, '2');
    const entities = Object.values(definition.entities);
    assert.equal(entities.length, 1);
    assert.equal(entities[0]?.type, 'service');
    assert.equal(entities[0]?.spec_file, rendered.specFile);
    assert.deepEqual(entities[0]?.artifacts, [rendered.specFile]);
  } else {
    assert.equal(project, undefined, 'the Snowflake CLI has no job entity');
    assert.ok(rendered.notes.some((note) => note.includes('snow spcs service execute-job')));
  }
}

describe('templates for every family of the built-in table (offline)', { timeout: 30_000 }, () => {
  it('renders every template for every family with zero diagnostics, or refuses a GPU template on a family without GPUs', () => {
    const service = new SpcsLanguageService();
    let rendered = 0;
    for (const template of servingTemplates) {
      for (const family of instanceFamilies) {
        const result = render(template, family);
        checkRendering(template, family, result, service, `file:///templates/${template.id}/${family.name}.spcs.yaml`);
        if (result.ok) rendered++;
      }
    }
    const cpuFamilies = instanceFamilies.filter(familyHasNoGpu).length;
    assert.equal(rendered, servingTemplates.length * instanceFamilies.length - 3 * cpuFamilies, 'only the three GPU servers are refused, and only on CPU families');
  });

  it('sizes within the node: GPUs, memory left for the stage-mount sidecar, /dev/shm', () => {
    const gpuS = instanceFamilies.find((family) => family.name === 'GPU_NV_S');
    const gpuM = instanceFamilies.find((family) => family.name === 'GPU_NV_M');
    const vllm = servingTemplates.find((template) => template.id === 'vllm');
    const tei = servingTemplates.find((template) => template.id === 'tei');
    assert.ok(gpuS && gpuM && vllm && tei);
    const small = render(vllm, gpuS);
    assert.ok(small.ok);
    assert.equal(small.sizing.summary, '1 × A10G GPU · 4 of 6 vCPU · 19 of 27 GiB (limit 26 GiB) · 0.5 GiB for stage-mount sidecars · /dev/shm 3 GiB');
    const four = render(vllm, gpuM);
    assert.ok(four.ok);
    assert.match(four.spec, /- "--tensor-parallel-size"\n {8}- "4"\n/);
    assert.match(four.spec, /nvidia\.com\/gpu: 4/);
    const two = render(vllm, gpuM, { gpus: 2 });
    assert.ok(two.ok && two.sizing.gpus === 2);
    const tooMany = render(vllm, gpuS, { gpus: 2 });
    assert.deepEqual(tooMany, { ok: false, message: 'A GPU_NV_S node has 1 GPU, and a container cannot span nodes: ask for at most 1.' });
    const teiTwo = render(tei, gpuM, { gpus: 2 });
    assert.equal(teiTwo.ok, false);
    const teiOne = render(tei, gpuM);
    assert.ok(teiOne.ok);
    assert.equal(teiOne.baseImage, 'ghcr.io/huggingface/text-embeddings-inference:86-1.5', 'the Ampere 86 build for an A10G');
    assert.equal(render(tei, instanceFamilies.find((family) => family.name === 'GPU_NV_L') as InstanceFamily).ok && (render(tei, instanceFamilies.find((family) => family.name === 'GPU_NV_L') as InstanceFamily) as { baseImage: string }).baseImage, 'ghcr.io/huggingface/text-embeddings-inference:1.5');
    const offline = render(vllm, gpuS, { weights: { kind: 'huggingface', id: 'meta-llama/Llama-3.1-8B-Instruct' }, externalAccessIntegrations: ['HF_EAI'] });
    assert.ok(offline.ok);
    assert.doesNotMatch(offline.spec, /HF_HUB_OFFLINE|source: stage/);
    assert.ok(offline.notes.some((note) => /external access integration that allows huggingface\.co \(HF_EAI\)/.test(note)));
    assert.deepEqual(render(vllm, gpuS, { image: 'docker.io/vllm/vllm-openai:v0.6.3' }), { ok: false, message: '"docker.io/vllm/vllm-openai:v0.6.3" is not an image path of the account\'s registry (/database/schema/repository/image:tag, lower case).' });
    const noWeights = renderTemplate({ template: 'vllm', family: gpuS, serviceName: 'X', image: imageOf(vllm) });
    assert.equal(noWeights.ok, false);
  });
});

describe('the templates offered for a pool ("New Service Spec…")', { timeout: 5000 }, () => {
  it('sizes each template for the pool and shows its fit, or why it cannot run there', () => {
    const cpu = instanceFamilies.find((family) => family.name === 'CPU_X64_S') as InstanceFamily;
    const options = templateOptions({ name: 'DEMO_CPU_POOL', state: 'ACTIVE', instanceFamily: 'CPU_X64_S' }, cpu, { source: 'offline', families: [cpu] });
    assert.deepEqual(options.map((option) => [option.template.id, option.fit?.fits ?? 'refused']), [
      ['vllm', 'refused'],
      ['tgi', 'refused'],
      ['tei', 'refused'],
      ['fastapi', 'yes'],
      ['streamlit', 'yes'],
      ['batchJob', 'yes'],
    ]);
    assert.match(options[0]?.refusal ?? '', /needs a GPU, and CPU_X64_S nodes have none: choose a pool of a GPU instance family/);
    assert.equal(options.find((option) => option.template.id === 'fastapi')?.sizing, '1 of 3 vCPU · 2 of 13 GiB (limit 4 GiB)');
    const services = templateOptions({ name: 'G', state: 'ACTIVE', instanceFamily: 'GPU_NV_M' }, instanceFamilies.find((family) => family.name === 'GPU_NV_M') as InstanceFamily, undefined, { kinds: ['service'] });
    assert.deepEqual(services.map((option) => option.fit?.fits), ['yes', 'yes', 'yes', 'yes', 'yes']);
  });
});

describe('templates against the emulator: live families, the account catalog, and a deploy of each', { timeout: 600_000 }, () => {
  it('renders every template for every live family with zero diagnostics against the account catalog, then deploys each to READY', { timeout: 540_000 }, async (t) => {
    const h = await harness(t);
    const log = memoryLog();
    const listing = value(await loadFamilyListing(h.sessions, printedConnection, { timeoutMs: 15_000 }));
    assert.equal(listing.source, 'live');
    assert.equal(listing.families.length, 11);

    // A pool of every live family, created with the pool flow itself.
    const poolUi = new ScriptedPoolUi();
    for (const listed of listing.families) {
      const outcome = await createComputePool(
        { sessions: h.sessions, ui: poolUi, log, queryTimeoutMs: 15_000 },
        { connection: printedConnection, given: { name: `T_${listed.family.name}`, instanceFamily: listed.family.name, minNodes: 1, maxNodes: 1, autoResume: true, autoSuspendSecs: 3600, initiallySuspended: false, comment: '' }, confirm: false },
      );
      assert.equal(outcome.state, 'created', outcome.message);
    }
    for (const template of servingTemplates) {
      if (template.id !== 'vllm') h.account.control.pushImage('ML_DB.SERVING.IMAGES', template.imageName, template.defaultTag);
    }
    const catalog = value(await fetchCatalog(h.sessions, printedConnection));
    assert.deepEqual(catalog.problems, []);
    const service = new SpcsLanguageService();
    assert.ok(service.setAccountCatalog({ connection: printedConnection, isDefault: true, fetchedAt: new Date().toISOString(), catalog: catalog.catalog, status: { state: 'fresh' } }));

    for (const template of servingTemplates) {
      for (const listed of listing.families) {
        const result = render(template, listed.family, { pool: `T_${listed.family.name}` });
        checkRendering(template, listed.family, result, service, `file:///account/${template.id}/${listed.family.name}.spcs.yaml`);
      }
    }
    // The account checks are on: an image that was never pushed is reported.
    const vllm = servingTemplates.find((template) => template.id === 'vllm') as ServingTemplate;
    const unpushed = render(vllm, listing.families.find((listed) => listed.family.name === 'GPU_NV_S')?.family as InstanceFamily, { image: '/ml_db/serving/images/vllm-openai:9.9.9' });
    assert.ok(unpushed.ok);
    const unpushedDiagnostics = diagnosticsOf(service, 'file:///account/unpushed.spcs.yaml', unpushed.spec);
    assert.ok(unpushedDiagnostics.some((line) => line.includes('9.9.9')), `the catalog is in use: ${unpushedDiagnostics.join('; ')}`);

    // Every template deploys and becomes READY (the job runs to DONE), through the deploy flow.
    const ui = new AutomationDeployUi();
    const deps: FlowDeps = {
      sessions: h.sessions,
      ui,
      store: new MemoryChoiceStore(),
      log,
      queryTimeoutMs: 15_000,
      readinessTimeoutMs: 15 * 60_000,
      connections: () => [printedConnection],
      changed: () => undefined,
      scheduler: emulatedScheduler(h.clock),
      pollMs: 5000,
    };
    const familyOf = (name: string): InstanceFamily => listing.families.find((listed) => listed.family.name === name)?.family as InstanceFamily;
    const runs: [ServingTemplate['id'], string][] = [
      ['vllm', 'GPU_NV_S'],
      ['vllm', 'GPU_NV_M'],
      ['tgi', 'GPU_NV_S'],
      ['tei', 'GPU_NV_S'],
      ['fastapi', 'CPU_X64_XS'],
      ['streamlit', 'CPU_X64_XS'],
      ['batchJob', 'CPU_X64_XS'],
      ['batchJob', 'GPU_NV_S'],
    ];
    for (const [id, familyName] of runs) {
      const template = servingTemplates.find((candidate) => candidate.id === id) as ServingTemplate;
      const name = `${id}_${familyName}`.toUpperCase();
      const result = render(template, familyOf(familyName), { pool: `T_${familyName}`, serviceName: name });
      assert.ok(result.ok, result.ok ? '' : result.message);
      const uri = `file:///deploy/${name}/${result.specFile}`;
      const spec = { uri, text: result.spec, diagnostics: service.validate(TextDocument.create(uri, 'spcs-spec', 1, result.spec)) };
      if (template.kind === 'job') {
        const ran = await runJob(deps, { spec, given: { connection: printedConnection, pool: `T_${familyName}`, jobName: name, async: true, replicas: 1 } });
        assert.equal(ran.state, 'ran', ran.message);
        assert.ok(ran.state === 'ran');
        assert.equal(ran.outcome.state, 'done', `${name}: ${ran.message}`);
      } else {
        const deployed = await runDeploy(deps, { spec, mode: 'remembered', given: { connection: printedConnection, pool: `T_${familyName}`, serviceName: name, minInstances: 1, maxInstances: 1, autoResume: true, externalAccessIntegrations: [], templateValues: {} } });
        assert.equal(deployed.state, 'deployed', `${name}: ${deployed.message}`);
        assert.ok(deployed.state === 'deployed');
        assert.equal(deployed.readiness?.state, 'ready', `${name}: ${deployed.message}`);
      }
    }
    assert.deepEqual(ui.refusals, []);
  });
});
