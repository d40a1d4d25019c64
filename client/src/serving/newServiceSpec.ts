/**
 * "New Service Spec…" without VS Code: the first steps of "Serve a Model…" on their own — a compute
 * pool (one that fits, or a new one), a template sized to its family (services and jobs), the image
 * repository its image will be pushed to — then the spec, the Dockerfile, the app files and the
 * Snowflake CLI's snowflake.yml written into a folder. Nothing is deployed or pushed.
 *
 * Owns: that order and its outcome. Must not: import `vscode`, or keep a run (it is one sitting).
 */

import { newRun } from './serveRun';
import { templateImagePath } from './renderTemplate';
import { type StepContext, type StepResult } from './serveContext';
import { chooseRepository, poolStep, renderFor, templateStep } from './serveSetup';
import type { ServeDeps } from './serveUi';
import { findTemplate } from './templateCatalog';

export type NewSpecOutcome =
  | { readonly state: 'written'; readonly folder: string; readonly specUri: string; readonly notes: readonly string[]; readonly message: string }
  | { readonly state: 'stopped'; readonly reason: 'cancelled' | 'failed'; readonly message: string };

function stopped(result: Extract<StepResult, { kind: 'stop' }>): NewSpecOutcome {
  return { state: 'stopped', reason: result.reason, message: `${result.message} No spec was written.` };
}

export async function newServiceSpec(deps: ServeDeps, request: { readonly connection?: string } = {}): Promise<NewSpecOutcome> {
  const { ui, deploy } = deps;
  const connection = request.connection ?? (await ui.pickConnection());
  if (connection === undefined) return { state: 'stopped', reason: 'cancelled', message: 'Cancelled: no connection was chosen, no spec was written.' };
  const ctx: StepContext = { deps, run: newRun(connection, deploy.now?.() ?? new Date()), connection, timeoutMs: deploy.queryTimeoutMs };
  for (const step of [(c: StepContext) => poolStep(c), (c: StepContext) => templateStep(c, ['service', 'job'])]) {
    const result = await step(ctx);
    if (result.kind === 'stop') return stopped(result);
    ctx.run = { ...ctx.run, ...result.patch };
  }
  const { pool, template: choice } = ctx.run;
  const template = choice === undefined ? undefined : findTemplate(choice.id);
  if (pool === undefined || choice === undefined || template === undefined) return { state: 'stopped', reason: 'failed', message: 'No pool or template was chosen. No spec was written.' };
  const repository = await chooseRepository(ctx);
  if (!repository.ok) return repository.stop.kind === 'stop' ? stopped(repository.stop) : { state: 'stopped', reason: 'failed', message: 'No repository was chosen.' };
  const imagePath = templateImagePath(template, repository.address.slice(repository.address.indexOf('/')));
  const rendered = renderFor(ctx, template, pool.family, choice, imagePath);
  if (!rendered.ok) return { state: 'stopped', reason: 'failed', message: `${rendered.message} No spec was written.` };
  const written = await ui.writeProject(rendered.files, choice.serviceName.toLowerCase().replace(/[^a-z0-9_-]/g, '-'));
  if (written === undefined) return { state: 'stopped', reason: 'cancelled', message: 'Cancelled: the files were not written.' };
  for (const note of rendered.notes) deploy.log.info(`New Service Spec: ${note}`);
  const message = `Wrote ${template.label} for ${pool.name} (${pool.family}) in ${written.folder}: ${rendered.files.map((file) => file.path).join(', ')}. Build and push ${imagePath} (Build and Push Image…), then deploy the spec.`;
  deploy.log.info(`New Service Spec: ${message}`);
  return { state: 'written', folder: written.folder, specUri: written.specUri, notes: rendered.notes, message };
}
