/**
 * The last three steps of "Serve a Model…": the deploy (through the deploy flow itself, `runDeploy`,
 * with the run's choices complete so that it asks nothing, then its readiness gate; a service that is
 * already up to date is only watched until it is ready), the endpoint's URL (waiting while Snowflake
 * provisions it), and, on request, the service function, opened as SQL in an editor and created when
 * the user says so (a missing CREATE FUNCTION privilege names the GRANT).
 *
 * Must not: import `vscode`, or re-implement planning, applying or readiness (it calls them).
 */

import { createServiceFunction, suggestedFunctionName } from '../serviceFunctions/serviceFunctions';
import { runDeploy } from '../deploy/deployFlow';
import { exampleCall, functionName, parseSignature } from '../serviceFunctions/serviceFunctionInput';
import type { DeployChoices } from '../specs/deployChoices';
import { realTimeScheduler, watchReadiness, type ReadinessResult } from '../deploy/readiness';
import { currentRole, missingPrivilege } from '../snowflake/missingPrivilege';
import * as sql from '../snowflake/sql';
import { listEndpoints } from '../listings/accountData';
import { renderTemplate } from './renderTemplate';
import { cancelledAt, done, failed, familyNamed, type StepContext, type StepResult } from './serveContext';
import { findTemplate } from './templateCatalog';

function readinessStop(readiness: ReadinessResult, service: string): StepResult {
  switch (readiness.state) {
    case 'ready':
      return done({});
    case 'cancelled':
      return cancelledAt(`the readiness wait (${service} keeps starting in Snowflake; the next run watches it again)`);
    default:
      return failed(readiness.message);
  }
}

export async function deployStep(ctx: StepContext): Promise<StepResult> {
  const { deps, connection, run } = ctx;
  const choice = run.template;
  const template = choice === undefined ? undefined : findTemplate(choice.id);
  if (choice === undefined || template === undefined || run.pool === undefined || run.image === undefined || run.project === undefined) return failed('The template, pool or image is missing.');
  let specUri = run.project.specUri;
  let text = await deps.ui.readSpec(specUri);
  if (text === undefined) {
    // The spec file is gone: write the project again from the run's choices.
    const family = familyNamed(ctx, run.pool.family);
    if (family === undefined) return failed(`The capacity of instance family ${run.pool.family} is not known.`);
    const rendered = renderTemplate({
      template: template.id,
      family,
      pool: run.pool.name,
      serviceName: choice.serviceName,
      image: run.image.path,
      ...(choice.gpus === undefined ? {} : { gpus: choice.gpus }),
      ...(choice.weights === undefined ? {} : { weights: choice.weights }),
      ...(choice.huggingFaceTokenSecret === undefined ? {} : { huggingFaceTokenSecret: choice.huggingFaceTokenSecret }),
      ...(choice.externalAccessIntegrations.length > 0 ? { externalAccessIntegrations: choice.externalAccessIntegrations } : {}),
    });
    if (!rendered.ok) return failed(rendered.message);
    const written = await deps.ui.writeProject(rendered.files, run.project.folder);
    if (written === undefined) return cancelledAt('writing the project files again');
    specUri = written.specUri;
    text = rendered.spec;
  }
  const given: DeployChoices = {
    connection,
    pool: run.pool.name,
    serviceName: choice.serviceName,
    minInstances: 1,
    maxInstances: 1,
    externalAccessIntegrations: choice.externalAccessIntegrations,
    autoResume: true,
    templateValues: {},
  };
  // The deploy's privilege preflight reads the account catalog: a pool or repository this run created must be in it.
  if (run.pool.created || run.repository !== undefined) await deps.deploy.catalog?.(connection, { refresh: true });
  const spec = { uri: specUri, text, diagnostics: deps.diagnose(specUri, text) };
  const outcome = await runDeploy(deps.deploy, { spec, mode: 'remembered', given });
  await deps.afterDeploy?.(spec, outcome);
  const project = specUri === run.project.specUri ? {} : { project: { ...run.project, specUri } };
  switch (outcome.state) {
    case 'deployed': {
      const service = { database: outcome.service.database, schema: outcome.service.schema, name: outcome.service.name };
      const patch = { service, ...project };
      if (outcome.readiness === undefined) return failed(outcome.message, patch);
      const result = readinessStop(outcome.readiness, outcome.service.name);
      return result.kind === 'done' ? done(patch) : { ...result, patch };
    }
    case 'upToDate': {
      // Deployed by an earlier run (or by hand) with this spec: wait until it is ready, as the deploy would have.
      const service = { database: outcome.service.database, schema: outcome.service.schema, name: outcome.service.name };
      const readiness = await deps.ui.progress(`Waiting for ${service.name} to be ready (Cancel stops watching; the service keeps starting)`, true, (report, signal) =>
        watchReadiness(deps.deploy.sessions, connection, service, {
          signal,
          scheduler: deps.deploy.scheduler ?? realTimeScheduler,
          pollMs: deps.deploy.pollMs ?? 5000,
          timeoutMs: deps.deploy.readinessTimeoutMs,
          statementTimeoutMs: deps.deploy.queryTimeoutMs,
          spec: { text, uri: specUri },
          onProgress: (step) => report(step.message),
        }),
      );
      const result = readinessStop(readiness, service.name);
      return result.kind === 'done' ? done({ service, ...project }) : { ...result, patch: { service, ...project } };
    }
    case 'cancelled':
      return cancelledAt('the deploy');
    default:
      return failed(outcome.message);
  }
}

export async function endpointStep(ctx: StepContext): Promise<StepResult> {
  const { deps, connection, run } = ctx;
  const template = run.template === undefined ? undefined : findTemplate(run.template.id);
  const service = run.service;
  if (template?.server === undefined || service === undefined) return failed('The service has no endpoint to open.');
  const endpoint = template.server.endpoint;
  const ref = { connection, ...service };
  const scheduler = deps.deploy.scheduler ?? realTimeScheduler;
  const started = scheduler.now();
  const timeoutMs = deps.deploy.readinessTimeoutMs;
  type Waited = 'cancelled' | { readonly kind: 'url'; readonly url: string | undefined } | { readonly kind: 'error'; readonly message: string };
  const result = await deps.ui.progress<Waited>(`Waiting for the URL of ${service.name}!${endpoint} (Snowflake provisions it after the service starts)`, true, async (report, signal) => {
    for (;;) {
      const listed = await listEndpoints(deps.deploy.sessions, 'spcs.services', ref, { timeoutMs: ctx.timeoutMs, signal });
      if (!listed.ok) return listed.error.kind === 'cancelled' && signal.aborted ? 'cancelled' : { kind: 'error', message: listed.error.message };
      const node = listed.value.find((candidate) => candidate.name.toLowerCase() === endpoint.toLowerCase());
      if (node === undefined) return { kind: 'error', message: `Service ${service.name} has no endpoint ${endpoint} (SHOW ENDPOINTS lists ${listed.value.map((each) => each.name).join(', ') || 'none'}).` };
      if (!node.isPublic) return { kind: 'url', url: undefined };
      if (node.ingressUrl !== undefined) return { kind: 'url', url: node.ingressUrl };
      report(node.ingressNote ?? 'provisioning');
      if (scheduler.now() - started >= timeoutMs) return { kind: 'error', message: `The URL of ${service.name}!${endpoint} is not ready after ${Math.round(timeoutMs / 60_000)} min (${node.ingressNote ?? 'still provisioning'}); the endpoint keeps provisioning in Snowflake.` };
      if ((await scheduler.wait(deps.deploy.pollMs ?? 5000, signal)) === 'cancelled') return 'cancelled';
    }
  });
  if (result === 'cancelled') return cancelledAt(`waiting for the URL of ${endpoint} (it keeps provisioning; the next run looks again)`);
  if (result.kind === 'error') return failed(result.message);
  if (result.url !== undefined) deps.ui.showEndpoint(endpoint, result.url);
  return done({ endpoint: { name: endpoint, ...(result.url === undefined ? {} : { url: result.url }) } });
}

export async function functionStep(ctx: StepContext): Promise<StepResult> {
  const { deps, connection, run } = ctx;
  const template = run.template === undefined ? undefined : findTemplate(run.template.id);
  const service = run.service;
  const endpoint = run.endpoint?.name ?? template?.server?.endpoint;
  if (template === undefined || service === undefined || endpoint === undefined || template.functionPath === undefined) {
    return done({ serviceFunction: { declined: true } });
  }
  const serviceName: sql.QualifiedName = service;
  const note = template.functionPath.speaksBatchFormat
    ? undefined
    : `${template.label} answers its own API on ${template.functionPath.path}; a service function posts {"data": [[row, ...]]} batches and expects the same back, so calls fail until a handler in front of it translates (the FastAPI template has one).`;
  const answer = await deps.ui.askServiceFunction({
    service: sql.objectName(serviceName),
    endpoint,
    name: suggestedFunctionName(service.name, endpoint),
    signature: template.functionPath.signature,
    path: template.functionPath.path,
    ...(note === undefined ? {} : { note }),
  });
  if (answer === undefined) return cancelledAt('the service function');
  if (answer === 'skip') return done({ serviceFunction: { declined: true } });
  const signature = parseSignature(answer.signature);
  if (!signature.ok) return failed(signature.message);
  const name = functionName(serviceName, answer.name);
  let statement: string;
  try {
    statement = createServiceFunction({ name, arguments: signature.arguments, returns: signature.returns, service: serviceName, endpoint, path: answer.path });
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }
  const sqlText = [...(note === undefined ? [] : [`-- ${note}`]), `${statement};`, '', `-- Call it: ${exampleCall(name, signature.arguments)};`, ''].join('\n');
  ctx.functionSql = sqlText;
  await deps.ui.openSql(sqlText);
  const shown = sql.objectName(name);
  if (!answer.run) return done({ serviceFunction: { name: shown, created: false } });
  const result = await deps.ui.progress(`Creating service function ${shown}…`, false, () => deps.deploy.sessions.execute(connection, statement, { timeoutMs: ctx.timeoutMs }));
  if (result.ok || result.error.code === '002002') {
    deps.deploy.log.info(`Serve a Model: service function ${shown} ${result.ok ? 'was created' : 'already exists'}.`);
    return done({ serviceFunction: { name: shown, created: true } });
  }
  if (result.error.kind === 'privilege') {
    const advice = missingPrivilege(
      { privilege: 'CREATE FUNCTION', on: { type: 'SCHEMA', name: { database: service.database, name: service.schema } }, doing: `create functions in ${service.database}.${service.schema}` },
      await currentRole(deps.deploy.sessions, connection, ctx.timeoutMs),
      result.error,
    );
    return failed(`Service function ${shown} was not created. ${advice.message} The SQL is open in an editor; run Serve a Model again after the grant.`);
  }
  return failed(`Service function ${shown} was not created (${result.error.kind}${result.error.code ? ` ${result.error.code}` : ''}): ${result.error.message}`);
}
