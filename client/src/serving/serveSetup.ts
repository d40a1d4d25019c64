/**
 * The first three steps of "Serve a Model…": the compute pool (one that fits, or a new GPU pool
 * through "Create Compute Pool…"), the template and its model (sized for the pool's family), and the
 * image (a tag already pushed, or built and pushed with the exact commands shown first, then found in
 * SHOW IMAGES before the run goes on).
 *
 * Each step finds what exists before it creates anything: a pool of the chosen name, a repository, a
 * pushed tag, files already written for the same image. Must not: import `vscode`.
 */

import { detectContainerCli, buildAndPushScript, buildCommand, pushCommands, registryLoginCommand, repositoryAddress } from '../imageRegistry/imageRegistry';
import { createImageRepository } from '../imageRegistry/imageRepositoryActions';
import { imagesOf, registryHostOfUrl } from '../catalog/fetchCatalog';
import { listIntegrations } from '../deploy/flowSteps';
import { createComputePool } from '../pools/createPool';
import { loadPoolsAndFamilies, poolFit } from '../deploy/poolFit';
import * as sql from '../snowflake/sql';
import { renderTemplate, templateImagePath, type RenderRequest } from './renderTemplate';
import { cancelledAt, done, failed, familyNamed, listStagesAndSecrets, poolDeps, repositoryDeps, type StepContext, type StepResult } from './serveContext';
import type { TemplateChoice } from './serveRun';
import type { RepositoryOption, ServePoolOption } from './serveUi';
import { findTemplate, type ServingTemplate } from './templateCatalog';
import { sizingImage, sizingWeights, templateOptions } from './templateOptions';

export function renderFor(ctx: StepContext, template: ServingTemplate, familyName: string, choice?: TemplateChoice, image?: string): ReturnType<typeof renderTemplate> {
  const family = familyNamed(ctx, familyName);
  if (family === undefined) return { ok: false, message: `The capacity of instance family ${familyName} is not known (SHOW COMPUTE POOL INSTANCE FAMILIES does not list it).` };
  const request: RenderRequest = {
    template: template.id,
    family,
    ...(ctx.run.pool ? { pool: ctx.run.pool.name } : {}),
    serviceName: choice?.serviceName ?? template.defaultName,
    image: image ?? sizingImage(template),
    ...(choice?.gpus === undefined ? {} : { gpus: choice.gpus }),
    ...(template.servesModel ? { weights: choice?.weights ?? sizingWeights } : {}),
    ...(choice?.huggingFaceTokenSecret === undefined ? {} : { huggingFaceTokenSecret: choice.huggingFaceTokenSecret }),
    ...(choice && choice.externalAccessIntegrations.length > 0 ? { externalAccessIntegrations: choice.externalAccessIntegrations } : {}),
  };
  return renderTemplate(request);
}

export async function poolStep(ctx: StepContext): Promise<StepResult> {
  const { deps, connection } = ctx;
  const listed = await deps.ui.progress(`Reading the compute pools of ${connection}…`, false, () => loadPoolsAndFamilies(deps.deploy.sessions, connection, { timeoutMs: ctx.timeoutMs }));
  if (!listed.ok) return failed(`The compute pools of ${connection} could not be listed (${listed.error.kind}): ${listed.error.message}`);
  ctx.families = listed.value.families;
  for (const warning of listed.value.warnings) deps.deploy.log.warn(`Serve a Model: ${warning}`);
  const vllm = findTemplate('vllm');
  if (vllm === undefined) return failed('The vLLM template is missing.');
  const options = listed.value.pools.map((pool): ServePoolOption => {
    const family = familyNamed(ctx, pool.instanceFamily);
    const rendered = renderFor(ctx, vllm, pool.instanceFamily);
    if (!rendered.ok) return { pool, family, fit: undefined, refusal: rendered.message };
    return { pool, family, fit: poolFit(rendered.spec, pool, listed.value.families, { uri: 'untitled:serve-sizing.spcs.yaml' }) };
  });
  const picked = await deps.ui.pickPool(options);
  if (picked === undefined) return cancelledAt('the compute pool');
  if (picked !== 'create') {
    const option = options.find((candidate) => candidate.pool.name === picked.pool);
    if (option === undefined) return failed(`Compute pool ${picked.pool} is not one the role of ${connection} can use.`);
    return done({ pool: { name: option.pool.name, family: option.pool.instanceFamily.toUpperCase(), created: false } });
  }
  const created = await createComputePool(poolDeps(ctx), { connection, prefer: 'gpu', accept: (row) => row.hasGpus });
  switch (created.state) {
    case 'created':
    case 'exists': {
      const family = created.family?.name ?? created.settings?.instanceFamily;
      if (family === undefined) return failed(created.message);
      return done({ pool: { name: created.pool, family, created: created.state === 'created' } });
    }
    case 'cancelled':
      return cancelledAt('the new compute pool');
    default:
      return failed(created.message);
  }
}

function defaultChoice(template: ServingTemplate, stages: readonly string[], secrets: readonly string[]): TemplateChoice {
  const stage = stages.find((name) => /WEIGHT|MODEL/i.test(name)) ?? stages[0];
  const secret = secrets.find((name) => /HF|HUGGING/i.test(name));
  return {
    id: template.id,
    serviceName: template.defaultName,
    ...(template.servesModel && stage !== undefined ? { weights: { kind: 'stage' as const, stage, path: '' } } : {}),
    ...(template.servesModel && secret !== undefined ? { huggingFaceTokenSecret: secret } : {}),
    externalAccessIntegrations: [],
  };
}

/** `kinds`: the templates offered (Serve a Model: services; New Service Spec: jobs too). */
export async function templateStep(ctx: StepContext, kinds: readonly ServingTemplate['kind'][] = ['service']): Promise<StepResult> {
  const { deps, connection } = ctx;
  const pool = ctx.run.pool;
  if (pool === undefined) return failed('No compute pool was chosen.');
  const family = familyNamed(ctx, pool.family);
  if (family === undefined) return failed(`The capacity of instance family ${pool.family} is not known.`);
  const options = templateOptions({ name: pool.name, state: 'ACTIVE', instanceFamily: pool.family }, family, ctx.families, { kinds });
  let template: ServingTemplate | undefined;
  for (;;) {
    template = await deps.ui.pickTemplate(options, pool.name);
    if (template === undefined) return cancelledAt('the template');
    const chosen = template;
    const option = options.find((candidate) => candidate.template.id === chosen.id);
    if (option?.refusal === undefined) break;
    deps.deploy.log.warn(`Serve a Model: ${option.refusal}`);
  }
  const [listings, integrations] = await deps.ui.progress('Reading the stages, secrets and integrations…', false, () =>
    Promise.all([listStagesAndSecrets(ctx), listIntegrations(deps.deploy.sessions, connection, ctx.timeoutMs)]),
  );
  let current = ctx.run.template?.id === template.id ? ctx.run.template : defaultChoice(template, listings.stages, listings.secrets);
  let problem: string | undefined;
  for (;;) {
    const answer = await deps.ui.askTemplate({
      template,
      family,
      current,
      stages: listings.stages,
      secrets: listings.secrets,
      integrations: integrations.ok ? integrations.value : [],
      ...(problem === undefined ? {} : { problem }),
    });
    if (answer === undefined) return cancelledAt(`the settings of ${template.label}`);
    const rendered = renderFor(ctx, template, pool.family, answer);
    const nameCheck = answer.serviceName.trim() === '' ? 'Enter a service name.' : undefined;
    if (rendered.ok && nameCheck === undefined) return done({ template: { ...answer, id: template.id, serviceName: answer.serviceName.trim() } });
    problem = nameCheck ?? (rendered.ok ? undefined : rendered.message);
    current = answer;
  }
}

function repositoryOf(row: Record<string, unknown>): RepositoryOption | undefined {
  const [database, schema, name, url] = [row['database_name'], row['schema_name'], row['name'], row['repository_url']];
  if (typeof database !== 'string' || typeof schema !== 'string' || typeof name !== 'string' || typeof url !== 'string') return undefined;
  return { database, schema, name, url };
}

async function pushedTags(ctx: StepContext, repository: RepositoryOption, image: string): Promise<{ ok: true; tags: string[] } | { ok: false; message: string }> {
  const result = await ctx.deps.deploy.sessions.execute(ctx.connection, sql.showImages(repository, { like: image }), { timeoutMs: ctx.timeoutMs });
  if (!result.ok) return { ok: false, message: `SHOW IMAGES in ${repository.database}.${repository.schema}.${repository.name} failed (${result.error.kind}): ${result.error.message}` };
  return { ok: true, tags: imagesOf(result.value.rows, Number.MAX_SAFE_INTEGER).filter((entry) => entry.name === image).flatMap((entry) => entry.tags) };
}

/** The run's repository when it still exists, else the one the user picks or creates; with the registry address of its images. */
export async function chooseRepository(ctx: StepContext): Promise<{ ok: true; repository: RepositoryOption; address: string } | { ok: false; stop: StepResult }> {
  const { deps, connection, run } = ctx;
  const listed = await deps.deploy.sessions.execute(connection, sql.showImageRepositories({ in: { account: true } }), { timeoutMs: ctx.timeoutMs });
  if (!listed.ok) return { ok: false, stop: failed(`The image repositories of ${connection} could not be listed (${listed.error.kind}): ${listed.error.message}`) };
  const repositories = listed.value.rows.map(repositoryOf).filter((entry): entry is RepositoryOption => entry !== undefined);
  const same = (a: { database: string; schema: string; name: string }, b: { database: string; schema: string; name: string }) => a.database === b.database && a.schema === b.schema && a.name === b.name;
  let repository = run.repository === undefined ? undefined : repositories.find((entry) => same(entry, run.repository as RepositoryOption));
  if (repository === undefined) {
    const picked = await deps.ui.pickRepository(repositories);
    if (picked === undefined) return { ok: false, stop: cancelledAt('the image repository') };
    if (picked === 'create') {
      const created = await createImageRepository(repositoryDeps(ctx), { connection });
      if (created.state === 'cancelled') return { ok: false, stop: cancelledAt('the new image repository') };
      if (created.state !== 'created' && created.state !== 'exists') return { ok: false, stop: failed(created.message) };
      if (created.repositoryUrl === undefined) return { ok: false, stop: failed(`The URL of image repository ${created.repository.name} could not be read from SHOW IMAGE REPOSITORIES.`) };
      repository = { ...created.repository, url: created.repositoryUrl };
    } else {
      repository = picked;
    }
  }

  const address = repositoryAddress(registryHostOfUrl(repository.url), { ...repository, repositoryUrl: repository.url });
  if (!address.ok) return { ok: false, stop: failed(address.message) };
  return { ok: true, repository, address: address.value };
}


export async function imageStep(ctx: StepContext): Promise<StepResult> {
  const { deps, connection, run } = ctx;
  const choice = run.template;
  const pool = run.pool;
  const template = choice === undefined ? undefined : findTemplate(choice.id);
  if (choice === undefined || template === undefined || pool === undefined) return failed('No template was chosen.');

  const chosenRepository = await chooseRepository(ctx);
  if (!chosenRepository.ok) return chosenRepository.stop;
  const { repository, address } = chosenRepository;
  // From here on a stop keeps the repository: the resumed run does not ask for it again.
  const chosen = { repository };
  const repositoryPath = address.slice(address.indexOf('/'));
  const tags = await pushedTags(ctx, repository, template.imageName);
  if (!tags.ok) return failed(tags.message, chosen);
  const detected = await detectContainerCli(deps.which);
  const answer = await deps.ui.pickImage({
    repository,
    imageName: template.imageName,
    tags: tags.tags,
    defaultTag: template.defaultTag,
    cli: detected.ok ? { found: true, name: detected.value.cli } : { found: false, message: detected.message },
  });
  if (answer === undefined) return cancelledAt('the image', chosen);
  const imagePath = templateImagePath(template, repositoryPath, answer.tag);
  if (!answer.build && !tags.tags.includes(answer.tag)) return failed(`${template.imageName}:${answer.tag} is not in ${repository.database}.${repository.schema}.${repository.name}; build and push it, or pick a pushed tag.`, chosen);

  let project = run.project;
  if (project === undefined || project.imagePath !== imagePath) {
    const rendered = renderFor(ctx, template, pool.family, choice, imagePath);
    if (!rendered.ok) return failed(rendered.message, chosen);
    for (const note of rendered.notes) deps.deploy.log.info(`Serve a Model: ${note}`);
    const written = await deps.ui.writeProject(rendered.files, choice.serviceName.toLowerCase().replace(/[^a-z0-9_-]/g, '-'));
    if (written === undefined) return cancelledAt('writing the project files', chosen);
    project = { folder: written.folder, specUri: written.specUri, imagePath };
  }

  if (answer.build) {
    const cli = detected.ok ? detected.value.cli : 'docker';
    const localImage = `${template.imageName}:${answer.tag}`;
    const push = pushCommands({ cli, shell: deps.shell, localImage, repositoryAddress: address, image: template.imageName, tag: answer.tag });
    if (!push.ok) return failed(push.message, { ...chosen, project });
    const build = buildCommand({ cli, shell: deps.shell, context: '.', localImage });
    const login = registryLoginCommand({ registryHost: address.slice(0, address.indexOf('/')), cli, shell: deps.shell, method: { kind: 'token', connection } });
    const lines = [build, login, ...push.value.commands];
    const ran = await deps.ui.runCommands({
      title: `Build and push ${localImage}`,
      cwd: project.folder,
      lines,
      oneLine: buildAndPushScript(build, login, push.value, deps.shell, true),
      copyOnly: !detected.ok,
      ...(detected.ok ? {} : { note: `${detected.message} Run these commands where a container CLI is installed, then come back.` }),
    });
    if (ran === undefined) return cancelledAt('the build and push', { ...chosen, project });
    deps.deploy.log.info(`Serve a Model: ${ran === 'ran' ? 'running' : 'copied'}: ${lines.join(' ; ')}`);
    for (;;) {
      const now = await pushedTags(ctx, repository, template.imageName);
      if (now.ok && now.tags.includes(answer.tag)) break;
      const why = now.ok ? `${push.value.target} is not in the repository yet.` : now.message;
      const next = await deps.ui.waitForPush(push.value.target, `${why} When the push has finished, look again.`);
      if (next === undefined) return cancelledAt(`waiting for ${push.value.target}`, { ...chosen, project });
    }
  }
  return done({ repository, image: { path: imagePath, tag: answer.tag, built: answer.build }, project });
}
