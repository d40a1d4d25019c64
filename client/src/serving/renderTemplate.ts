/**
 * Renders a service template for a pool's instance family: the spec (with the family's modeline,
 * so the editor checks it against that family), the Dockerfile that builds its image for
 * linux/amd64, the app files a Dockerfile copies, and the `service` entity of the Snowflake CLI's
 * `snowflake.yml` (definition_version "2") so the same project deploys from a terminal
 * (`snow spcs service deploy`).
 *
 * What a spec holds, as documented: GPU request equal to the limit, memory within the node
 * (`templateSizing.ts`), a `/dev/shm` memory volume for a GPU server, the weights on a stage volume
 * in the `source: stage` + `stageConfig` form, a Hugging Face token as a `snowflakeSecret` read into
 * an environment variable (`secretKeyRef: secret_string`), a readiness probe on the server's health
 * path, an endpoint, and `platformMonitor.metricConfig.groups`.
 *
 * Owns: the text of those files (YAML written by hand, values quoted where YAML needs it). Must not:
 * import `vscode`, write files, or talk to Snowflake.
 */

import type { InstanceFamily } from '../../../server/src/service';
import * as sql from '../snowflake/sql';
import { appFiles, dockerfile, type ProjectFile } from './templateFiles';
import { findTemplate, upstreamImage, type ServingTemplate, type TemplateId } from './templateCatalog';
import { formatAmount, sizeTemplate, type Sizing } from './templateSizing';

/** Where a model's weights come from. */
export type ModelWeights =
  /** A stage path mounted as a volume: `@DB.SCHEMA.STAGE` and the folder in it. */
  | { readonly kind: 'stage'; readonly stage: string; readonly path: string }
  /** Downloaded from the Hugging Face Hub at start (the service needs an external access integration to huggingface.co). */
  | { readonly kind: 'huggingface'; readonly id: string };

export interface RenderRequest {
  readonly template: TemplateId;
  /** The instance family of the pool the service will run in (live from the account, or the built-in table). */
  readonly family: InstanceFamily;
  readonly pool?: string;
  /** Exact names (as SHOW prints them). */
  readonly serviceName: string;
  readonly database?: string;
  readonly schema?: string;
  /** The image as a spec names it: `/db/schema/repo/name:tag`. */
  readonly image: string;
  readonly gpus?: number;
  readonly weights?: ModelWeights;
  /** A GENERIC_STRING secret holding a Hugging Face token (`db.schema.name`). */
  readonly huggingFaceTokenSecret?: string;
  /** The job's input stage (`@DB.SCHEMA.STAGE[/path]`), mounted at /data. */
  readonly dataStage?: string;
  readonly externalAccessIntegrations?: readonly string[];
  /** The stage `snow spcs service deploy` uploads the spec to (default `<SERVICE>_SPECS`). */
  readonly specStage?: string;
}

export type { ProjectFile } from './templateFiles';

export type RenderResult =
  | {
      readonly ok: true;
      readonly template: ServingTemplate;
      readonly sizing: Sizing;
      readonly files: readonly ProjectFile[];
      readonly specFile: string;
      readonly spec: string;
      /** The upstream image the Dockerfile starts from. */
      readonly baseImage: string;
      readonly notes: readonly string[];
    }
  | { readonly ok: false; readonly message: string };

/** A YAML scalar: plain when YAML reads it back as the same string, double-quoted otherwise. */
export function yamlString(value: string): string {
  const plain = /^[A-Za-z0-9_/][A-Za-z0-9_./:=-]*$/.test(value) && !/^(true|false|yes|no|on|off|null|~|[-+]?(\d[\d_]*)?(\.\d+)?([eE][-+]?\d+)?)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

const imagePath = /^\/[a-z0-9_$%.-]+\/[a-z0-9_$%.-]+\/[a-z0-9_$%.-]+\/[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const stageReference = /^@[A-Za-z_"][A-Za-z0-9_$."]*$/;

function checkRequest(request: RenderRequest): string | undefined {
  if (!imagePath.test(request.image)) return `${JSON.stringify(request.image)} is not an image path of the account's registry (/database/schema/repository/image:tag, lower case).`;
  if (request.weights?.kind === 'stage') {
    if (!stageReference.test(request.weights.stage)) return `${JSON.stringify(request.weights.stage)} is not a stage (write it as @DATABASE.SCHEMA.STAGE).`;
    if (!/^[A-Za-z0-9_.\-/]*$/.test(request.weights.path)) return `The weights folder ${JSON.stringify(request.weights.path)} has characters a stage path cannot have here; use letters, digits, _ . - /.`;
  }
  if (request.weights?.kind === 'huggingface' && !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(request.weights.id)) return `${JSON.stringify(request.weights.id)} is not a Hugging Face model id (organization/model).`;
  if (request.dataStage !== undefined && !/^@[A-Za-z_"][A-Za-z0-9_$."]*(\/[A-Za-z0-9_.\-/]*)?$/.test(request.dataStage)) return `${JSON.stringify(request.dataStage)} is not a stage path (@DATABASE.SCHEMA.STAGE/folder).`;
  if (request.huggingFaceTokenSecret !== undefined && !/^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*){0,2}$/.test(request.huggingFaceTokenSecret)) return `${JSON.stringify(request.huggingFaceTokenSecret)} is not a secret name (DATABASE.SCHEMA.SECRET).`;
  return undefined;
}

/** The model's directory inside the container, and the argument the server takes for it. */
function modelLocation(weights: ModelWeights | undefined): { readonly path: string; readonly served: string } | undefined {
  if (weights === undefined) return undefined;
  if (weights.kind === 'huggingface') return { path: weights.id, served: weights.id };
  const folder = weights.path.replace(/^\/+|\/+$/g, '');
  return { path: folder === '' ? '/models' : `/models/${folder}`, served: folder === '' ? 'model' : (folder.split('/').pop() ?? folder) };
}

function serverArgs(template: ServingTemplate, model: { readonly path: string; readonly served: string } | undefined, gpus: number): string[] {
  const port = String(template.server?.port ?? 8000);
  switch (template.id) {
    case 'vllm':
      return ['--model', model?.path ?? '/models', '--served-model-name', model?.served ?? 'model', '--tensor-parallel-size', String(Math.max(1, gpus)), '--port', port];
    case 'tgi':
      return ['--model-id', model?.path ?? '/models', '--num-shard', String(Math.max(1, gpus)), '--port', port];
    case 'tei':
      return ['--model-id', model?.path ?? '/models', '--port', port];
    default:
      return [];
  }
}

export function renderTemplate(request: RenderRequest): RenderResult {
  const template = findTemplate(request.template);
  if (template === undefined) return { ok: false, message: `There is no template ${JSON.stringify(request.template)}.` };
  const problem = checkRequest(request);
  if (problem) return { ok: false, message: problem };
  if (template.servesModel && request.weights === undefined) return { ok: false, message: `${template.label} needs the model's weights: a stage folder (mounted as a volume) or a Hugging Face model id.` };
  const weights = template.servesModel ? request.weights : undefined;
  const stageVolumes = (weights?.kind === 'stage' ? 1 : 0) + (template.id === 'batchJob' && request.dataStage !== undefined ? 1 : 0);
  const sized = sizeTemplate(template, request.family, { ...(request.gpus === undefined ? {} : { gpus: request.gpus }), stageVolumes });
  if (!sized.ok) return sized;
  const { sizing } = sized;
  // The upstream version follows the image's tag when the tag is a version (0.6.3), else the template's.
  const tag = request.image.slice(request.image.lastIndexOf(':') + 1);
  const base = upstreamImage(template, request.family, template.servesModel && /^\d/.test(tag) ? tag : template.defaultTag);
  const notes = [...sizing.notes, ...(base.note ? [base.note] : [])];
  const model = modelLocation(weights);

  const lines: string[] = [];
  const header = `# spcs: instance-family=${request.family.name}${request.pool ? ` pool=${request.pool}` : ''}`;
  lines.push(header);
  lines.push(`# ${template.label} on ${request.family.name}: ${sizing.summary}.`);
  if (template.kind === 'job') lines.push('# Run it with EXECUTE JOB SERVICE (Run as Job); it ends when the script does.');
  lines.push('spec:', '  containers:', `    - name: ${template.containerName}`, `      image: ${request.image}`);
  const args = serverArgs(template, model, sizing.gpus);
  if (args.length > 0) {
    lines.push('      args:', ...args.map((arg) => `        - ${yamlString(arg)}`));
  }
  const env: [string, string][] = [];
  if (weights?.kind === 'stage' && template.servesModel) env.push(['HF_HUB_OFFLINE', '1']);
  if (template.id === 'batchJob') env.push(['DATA_DIR', request.dataStage === undefined ? '/tmp' : '/data']);
  if (env.length > 0) lines.push('      env:', ...env.map(([key, value]) => `        ${key}: ${yamlString(value)}`));
  if (request.huggingFaceTokenSecret !== undefined && (template.servesModel || template.id === 'batchJob')) {
    lines.push('      secrets:', '        - snowflakeSecret:', `            objectName: ${yamlString(request.huggingFaceTokenSecret)}`, '          secretKeyRef: secret_string', '          envVarName: HF_TOKEN');
  }
  lines.push('      resources:', '        requests:');
  if (sizing.gpus > 0) lines.push(`          nvidia.com/gpu: ${sizing.gpus}`);
  lines.push(`          cpu: ${formatAmount(sizing.cpuRequest)}`, `          memory: ${formatAmount(sizing.memoryRequestGiB)}Gi`);
  const limits: string[] = [];
  if (sizing.gpus > 0) limits.push(`          nvidia.com/gpu: ${sizing.gpus}`);
  if (sizing.cpuLimit !== undefined) limits.push(`          cpu: ${formatAmount(sizing.cpuLimit)}`);
  if (sizing.memoryLimitGiB !== undefined) limits.push(`          memory: ${formatAmount(sizing.memoryLimitGiB)}Gi`);
  if (limits.length > 0) lines.push('        limits:', ...limits);
  if (template.server) lines.push('      readinessProbe:', `        port: ${template.server.port}`, `        path: ${template.server.healthPath}`);
  const mounts: [string, string][] = [];
  if (weights?.kind === 'stage') mounts.push(['models', '/models']);
  if (template.id === 'batchJob' && request.dataStage !== undefined) mounts.push(['data', '/data']);
  if (sizing.shmGiB !== undefined) mounts.push(['dshm', '/dev/shm']);
  if (mounts.length > 0) lines.push('      volumeMounts:', ...mounts.flatMap(([name, path]) => [`        - name: ${name}`, `          mountPath: ${path}`]));
  if (template.server) {
    lines.push('  endpoints:', `    - name: ${template.server.endpoint}`, `      port: ${template.server.port}`, ...(template.server.public ? ['      public: true'] : []));
  }
  const volumes: string[] = [];
  if (weights?.kind === 'stage') {
    const folder = weights.path.replace(/^\/+|\/+$/g, '');
    volumes.push('    - name: models', '      source: stage', '      stageConfig:', `        name: ${JSON.stringify(folder === '' ? weights.stage : `${weights.stage}/${folder}`)}`, '        metadataCache: 1h');
  }
  if (template.id === 'batchJob' && request.dataStage !== undefined) {
    volumes.push('    - name: data', '      source: stage', '      stageConfig:', `        name: ${JSON.stringify(request.dataStage)}`);
  }
  if (sizing.shmGiB !== undefined) volumes.push('    - name: dshm', '      source: memory', `      size: ${sizing.shmGiB}Gi`);
  if (volumes.length > 0) lines.push('  volumes:', ...volumes);
  lines.push('  platformMonitor:', '    metricConfig:', '      groups:', '        - system', '        - system_limits', '        - status');
  const spec = `${lines.join('\n')}\n`;

  if (weights?.kind === 'huggingface') {
    notes.push(`The model is downloaded from huggingface.co when the service starts: deploy it with an external access integration that allows huggingface.co${request.externalAccessIntegrations?.length ? ` (${request.externalAccessIntegrations.join(', ')})` : ''}, and mind the image's start time for large models.`);
  }
  const files: ProjectFile[] = [
    { path: template.specFile, content: spec },
    { path: 'Dockerfile', content: dockerfile(template, base.image, sizing.gpus) },
    ...appFiles(template),
  ];
  if (template.kind === 'service') files.push({ path: 'snowflake.yml', content: snowflakeYml(template, request) });
  else notes.push(`Run it from a terminal too: snow spcs service execute-job ${sql.quoteIdentifier(request.serviceName)} --compute-pool ${request.pool ?? 'POOL'} --spec-path ${template.specFile}`);
  return { ok: true, template, sizing, files, specFile: template.specFile, spec, baseImage: base.image, notes };
}

/** The Snowflake CLI's project file with the `service` entity (definition_version "2"). */
export function snowflakeYml(template: ServingTemplate, request: RenderRequest): string {
  const entity = request.serviceName.toLowerCase().replace(/[^a-z0-9_]/g, '_').replace(/^([^a-z_])/, '_$1');
  const stage = request.specStage ?? `${request.serviceName.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase()}_SPECS`;
  const lines = [
    `# The same service for the Snowflake CLI: snow spcs service deploy ${entity} (from this folder).`,
    'definition_version: "2"',
    'entities:',
    `  ${entity}:`,
    '    type: service',
    '    identifier:',
    `      name: ${yamlString(sql.quoteIdentifier(request.serviceName))}`,
    ...(request.database ? [`      database: ${yamlString(sql.quoteIdentifier(request.database))}`] : []),
    ...(request.schema ? [`      schema: ${yamlString(sql.quoteIdentifier(request.schema))}`] : []),
    `    stage: ${yamlString(stage)}`,
    request.pool ? `    compute_pool: ${yamlString(sql.quoteIdentifier(request.pool))}` : '    # compute_pool: the pool to deploy to',
    `    spec_file: ${template.specFile}`,
    '    min_instances: 1',
    '    max_instances: 1',
    '    auto_resume: true',
    ...(request.externalAccessIntegrations && request.externalAccessIntegrations.length > 0
      ? ['    external_access_integrations:', ...request.externalAccessIntegrations.map((name) => `      - ${yamlString(sql.quoteIdentifier(name))}`)]
      : []),
    '    artifacts:',
    `      - ${template.specFile}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The image path a template's image gets in a repository: `/db/schema/repo/<image>:<tag>`. */
export function templateImagePath(template: ServingTemplate, repositoryPath: string, tag: string = template.defaultTag): string {
  return `${repositoryPath.replace(/\/+$/, '')}/${template.imageName}:${tag}`;
}
