/**
 * A Snowflake CLI project's service entity as a deploy, and a deployed spec as a new entity: the
 * decisions of "Deploy entity" and "Add to snowflake.yml", UI-free.
 *
 * "Deploy entity" has the semantics of `snow spcs service deploy`: CREATE SERVICE with the entity's
 * compute pool, instances, auto-resume, auto-suspend, warehouse, integrations, comment and tags; an
 * existing service is refused unless the deploy is an upgrade, which sets the same properties the
 * CLI's `--upgrade` sets (min/max instances, warehouse, auto-resume, auto-suspend, integrations,
 * comment; not tags) and upgrades the spec with ALTER SERVICE … FROM SPECIFICATION. The entity
 * becomes `DeployChoices`, and the deploy itself is the editor's one deploy path (`spcs.deploy`:
 * `planDeploy`, the upgrade diff, `applyPlan`, readiness).
 *
 * The spec is sent inline (FROM SPECIFICATION $$…$$), not uploaded to the entity's stage as the CLI
 * does: the text deployed is exactly the file in the editor (the diff, drift and the account checks
 * see the same bytes), no stage write privilege or PUT is needed, and the stage is left as the CLI
 * last wrote it. The entity's other `artifacts` are not uploaded either: run `snow spcs service
 * deploy` when the service reads files from the stage.
 *
 * Must not: import `vscode`, read files (the caller passes a `ProjectFiles`), or deploy anything.
 */

import { displayPath, resolveSpecFile, type NewServiceEntity, type ProjectFiles, type ServiceEntityValues } from '../../../server/src/service';
import { normalizeIdentifier } from '../snowflake/sql';
import type { DeployChoices } from '../specs/deployChoices';

/** The fields "Deploy entity" reads; a templated one (`<% ctx.env.x %>`) needs the CLI's context to render. */
const deployedFields = ['identifier', 'compute_pool', 'spec_file', 'min_instances', 'max_instances', 'auto_resume', 'auto_suspend_secs', 'query_warehouse', 'external_access_integrations', 'comment', 'tags', 'artifacts'] as const;

export type EntityDeploy =
  | { readonly ok: false; readonly message: string }
  | {
      readonly ok: true;
      /** The deploy choices (without the connection) the entity stands for. */
      readonly choices: Omit<DeployChoices, 'connection' | 'templateValues'>;
      /** Where the spec is on disk. */
      readonly specUri: string;
      readonly specPath: string;
      /** What the entity says that the editor's deploy leaves out, in sentences. */
      readonly notes: readonly string[];
    };

/**
 * The deploy of one service entity: its choices and its spec file, or why it cannot be deployed from
 * the editor (a field templated, a required field missing, a value of the wrong kind, no spec file).
 */
export function entityDeploy(projectUri: string, entity: ServiceEntityValues, files: ProjectFiles): EntityDeploy {
  const refuse = (message: string): EntityDeploy => ({ ok: false, message: `Entity '${entity.id}' cannot be deployed from the editor: ${message}` });
  if (entity.type !== 'service') return refuse(`it is a ${entity.type} entity; only service entities are deployed here.`);
  const templated = entity.templated.filter((field) => (deployedFields as readonly string[]).includes(field));
  if (templated.length > 0) {
    return refuse(`${templated.map((field) => `'${field}'`).join(', ')} ${templated.length === 1 ? 'uses' : 'use'} <% %> templating, which only the Snowflake CLI renders (it needs the CLI's context and environment). Run snow spcs service deploy ${entity.id}.`);
  }
  const fields = entity.fields;
  const pool = fields['compute_pool'];
  const specFile = fields['spec_file'];
  if (entity.name === undefined || entity.name.trim() === '') return refuse(`it has no service name (identifier).`);
  if (typeof pool !== 'string' || pool.trim() === '') return refuse(`'compute_pool' is missing; the CLI needs it too.`);
  if (typeof specFile !== 'string' || specFile.trim() === '') return refuse(`'spec_file' is missing; the CLI needs it too.`);
  const minInstances = integerField(fields['min_instances']) ?? 1;
  const maxInstances = integerField(fields['max_instances']) ?? minInstances;
  if (minInstances === 'invalid' || maxInstances === 'invalid') return refuse(`'min_instances' and 'max_instances' must be whole numbers.`);
  const autoSuspend = integerField(fields['auto_suspend_secs']);
  if (autoSuspend === 'invalid') return refuse(`'auto_suspend_secs' must be a whole number.`);
  const autoResume = booleanField(fields['auto_resume']);
  if (autoResume === 'invalid') return refuse(`'auto_resume' must be true or false.`);
  const integrations = fields['external_access_integrations'];
  if (integrations !== undefined && !(Array.isArray(integrations) && integrations.every((item) => typeof item === 'string'))) return refuse(`'external_access_integrations' must be a list of names.`);
  const warehouse = fields['query_warehouse'];
  const comment = fields['comment'];
  const tags = tagsField(fields['tags']);
  if (tags === 'invalid') return refuse(`'tags' must be a list of { name, value }.`);

  const location = resolveSpecFile(projectUri, specFile, fields['artifacts'], files);
  if (location.uri === undefined) {
    const looked = location.lookedAt.map((uri) => displayPath(projectUri, uri));
    return refuse(`its spec_file '${specFile}' was not found${looked.length > 0 ? ` (looked at ${looked.join(', ')})` : ''}.`);
  }
  const notes: string[] = [];
  const otherArtifacts = Array.isArray(fields['artifacts']) ? (fields['artifacts'] as unknown[]).length - 1 : 0;
  if (otherArtifacts > 0) notes.push(`The entity's other artifacts are not uploaded to ${typeof fields['stage'] === 'string' ? fields['stage'] : 'its stage'}: the spec is sent inline. Run snow spcs service deploy when the service reads them from the stage.`);
  return {
    ok: true,
    // The CLI writes these names into SQL unquoted, so Snowflake folds them; the choices hold exact names.
    choices: {
      pool: normalizeIdentifier(pool.trim()),
      serviceName: entity.name,
      ...(entity.database === undefined ? {} : { database: normalizeIdentifier(entity.database) }),
      ...(entity.schema === undefined ? {} : { schema: normalizeIdentifier(entity.schema) }),
      minInstances,
      maxInstances,
      autoResume: autoResume ?? true,
      externalAccessIntegrations: (integrations ?? []).map((name) => normalizeIdentifier(name.trim())),
      ...(typeof warehouse === 'string' && warehouse.trim() !== '' ? { queryWarehouse: normalizeIdentifier(warehouse.trim()) } : {}),
      ...(autoSuspend === undefined ? {} : { autoSuspendSecs: autoSuspend }),
      ...(typeof comment === 'string' ? { comment } : {}),
      ...(tags === undefined ? {} : { tags }),
    },
    specUri: location.uri,
    specPath: displayPath(projectUri, location.uri),
    notes,
  };
}

/**
 * What "Deploy entity" does with what exists: create when nothing does; an existing service only
 * with `upgrade` (the CLI's `--upgrade`); an upgrade of a service that does not exist is refused too
 * (the CLI's would fail on ALTER SERVICE … SET).
 */
export function entityDeployAction(exists: boolean, upgrade: boolean, shownName: string): { ok: true; action: 'create' | 'upgrade' } | { ok: false; message: string; offerUpgrade: boolean } {
  if (exists && !upgrade) {
    return { ok: false, offerUpgrade: true, message: `Service ${shownName} already exists. Like snow spcs service deploy, Deploy entity does not replace it: Upgrade (snow spcs service deploy --upgrade) sets the entity's properties and upgrades the spec in place, after showing the diff.` };
  }
  if (!exists && upgrade) {
    return { ok: false, offerUpgrade: false, message: `Service ${shownName} does not exist, so there is nothing to upgrade: use Deploy entity to create it.` };
  }
  return { ok: true, action: exists ? 'upgrade' : 'create' };
}

function integerField(value: unknown): number | 'invalid' | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return Number.isInteger(value) ? value : 'invalid';
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  return 'invalid';
}

function booleanField(value: unknown): boolean | 'invalid' | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string' && typeof value !== 'number') return 'invalid';
  const text = String(value).trim().toLowerCase();
  if (['true', 'yes', 'on', '1', 't', 'y'].includes(text)) return true;
  if (['false', 'no', 'off', '0', 'f', 'n'].includes(text)) return false;
  return 'invalid';
}

function tagsField(value: unknown): Record<string, string> | 'invalid' | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return 'invalid';
  const tags: Record<string, string> = {};
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null) return 'invalid';
    const { name, value: tagValue } = item as { name?: unknown; value?: unknown };
    if (typeof name !== 'string' || (typeof tagValue !== 'string' && typeof tagValue !== 'number')) return 'invalid';
    tags[name] = String(tagValue);
  }
  return tags;
}

// ---------------------------------------------------------------------------------------------------
// Add to snowflake.yml

export type EntityProposal = { readonly ok: true; readonly entity: NewServiceEntity } | { readonly ok: false; readonly message: string };

/**
 * The service entity for a spec deployed from the editor: its key (the service name in lower case),
 * the remembered deploy choices as its fields, and its spec path relative to `snowflake.yml` (listed
 * in `artifacts` too). Refused when the spec is outside the project folder (the CLI uploads
 * artifacts from inside it) or an entity of that key exists.
 */
export function proposeEntity(
  projectUri: string,
  specUri: string,
  choices: Partial<DeployChoices>,
  stage: string,
  existingIds: readonly string[],
): EntityProposal {
  if (choices.pool === undefined || choices.serviceName === undefined) {
    return { ok: false, message: 'This spec has no remembered deploy (a compute pool and a service name): deploy it from the editor first, then add it to snowflake.yml.' };
  }
  const folder = projectUri.slice(0, projectUri.lastIndexOf('/') + 1);
  if (!specUri.startsWith(folder)) {
    return { ok: false, message: `The spec is outside the folder of ${displayPath(projectUri, projectUri)}: the Snowflake CLI uploads a project's artifacts from inside its folder. Move the spec there, or put snowflake.yml beside it.` };
  }
  const specFile = displayPath(projectUri, specUri);
  const plainName = /^[A-Za-z_][A-Za-z0-9_$]*$/.test(choices.serviceName);
  const id = (plainName ? choices.serviceName.toLowerCase() : choices.serviceName.replace(/[^A-Za-z0-9_-]+/g, '_')).replace(/\$/g, '_');
  if (existingIds.includes(id)) {
    return { ok: false, message: `snowflake.yml already has an entity '${id}'. Edit it there, or deploy this spec under another service name first.` };
  }
  // The key names the service (unquoted, so Snowflake folds it to upper case); another name is kept as `identifier`.
  const keyNamesIt = plainName && choices.serviceName === choices.serviceName.toUpperCase() && !choices.serviceName.includes('$');
  return {
    ok: true,
    entity: {
      id,
      ...(keyNamesIt ? {} : { identifier: choices.serviceName }),
      stage,
      computePool: choices.pool,
      specFile,
      ...(choices.minInstances === undefined ? {} : { minInstances: choices.minInstances }),
      ...(choices.maxInstances === undefined ? {} : { maxInstances: choices.maxInstances }),
      ...(choices.queryWarehouse === undefined ? {} : { queryWarehouse: choices.queryWarehouse }),
      ...(choices.externalAccessIntegrations === undefined || choices.externalAccessIntegrations.length === 0 ? {} : { externalAccessIntegrations: choices.externalAccessIntegrations }),
    },
  };
}
