/**
 * Privilege preflight: before a deploy, every grant the service's owner role needs (reference
 * §4.5, §1.3.4, §1.5, §4.13), whether the role holds it according to the account catalog, and for
 * each missing one the exact `GRANT … TO ROLE …` statement to hand to an administrator.
 *
 * What a deploy needs: USAGE on the database and schema of the service and of every repository,
 * stage and secret the spec names; CREATE SERVICE on the service's schema (OPERATE on the service
 * for an upgrade); USAGE on the compute pool; READ on each image repository; READ on each stage a
 * stage volume mounts (WRITE too for writing to it) and on the stage holding a spec file; READ on
 * each secret; USAGE on each external access integration and on the query warehouse; BIND SERVICE
 * ENDPOINT on the account when an endpoint is public (not for jobs). OWNERSHIP of an object always
 * suffices.
 *
 * Pure: spec text (rendered, for a template) + target + catalog in, result out. When the catalog's grants were not read, every
 * requirement is listed with status `unknown` and nothing is claimed missing. Snowflake's own images
 * (`/snowflake/images/…`) need no grant; names this module cannot read (relative image paths,
 * template placeholders, Native App object references) are listed as notes instead of guessed.
 * Must not: import `vscode` or talk to Snowflake.
 */

import { parse } from 'yaml';
import type { AccountCatalog, CatalogSchemaObject } from '../../../server/src/lspExtension';
import { stageNameText } from '../../../server/src/service';
import * as sql from '../snowflake/sql';

export interface PreflightTarget {
  /** The role that will own the service (the connection's role; the catalog's `role`). */
  readonly role: string;
  /** Exact names (as Snowflake stores them) of the service's database and schema. */
  readonly database: string;
  readonly schema: string;
  readonly computePool: string;
  readonly serviceName?: string;
  /** `create` (default), `upgrade` of an existing service, or `job` (EXECUTE JOB SERVICE). */
  readonly operation?: 'create' | 'upgrade' | 'job';
  readonly externalAccessIntegrations?: readonly string[];
  readonly queryWarehouse?: string;
  /** The stage holding the spec file, when deploying `FROM @stage SPECIFICATION_FILE = …`. */
  readonly specStage?: sql.QualifiedName;
}

export type GrantStatus = 'held' | 'missing' | 'unknown';

export interface RequiredGrant {
  readonly objectType: sql.GrantObjectType;
  /** The object as SQL names it (`DB.SCHEMA.NAME`, quoted where needed); empty for the account. */
  readonly object: string;
  readonly privilege: string;
  /** Other privileges that also satisfy the requirement (OWNERSHIP always does). */
  readonly alsoSufficient: readonly string[];
  /** Why the deploy needs it, in a sentence. */
  readonly reason: string;
  readonly status: GrantStatus;
  /** `GRANT <privilege> ON <type> <object> TO ROLE <role>`. */
  readonly statement: string;
}

export interface PreflightResult {
  readonly role: string;
  /** Whether the catalog's grants were read (otherwise every status is `unknown`). */
  readonly grantsKnown: boolean;
  readonly required: readonly RequiredGrant[];
  readonly missing: readonly RequiredGrant[];
  /** What could not be checked, in sentences. */
  readonly notes: readonly string[];
  /** The statements of the missing grants, one per line, each ending with `;` (empty when none). */
  readonly script: string;
}

interface Requirement {
  readonly objectType: sql.GrantObjectType;
  readonly name: sql.QualifiedName | undefined;
  readonly privilege: string;
  readonly alsoSufficient: readonly string[];
  readonly reason: string;
}

export function preflight(specText: string, target: PreflightTarget, catalog: AccountCatalog | null): PreflightResult {
  const notes: string[] = [];
  const uses = readSpec(specText, notes);
  const operation = target.operation ?? 'create';
  const requirements: Requirement[] = [];
  const add = (requirement: Requirement): void => {
    const key = requirementKey(requirement);
    if (!requirements.some((existing) => requirementKey(existing) === key)) requirements.push(requirement);
  };
  const containers = new Map<string, { database: string; schema: string }>();
  const needContainer = (database: string, schema: string): void => {
    containers.set(`${database}\u0000${schema}`, { database, schema });
  };
  needContainer(target.database, target.schema);

  const serviceWords = target.serviceName === undefined ? 'the service' : `service ${target.serviceName}`;
  if (operation === 'upgrade' && target.serviceName !== undefined) {
    add({ objectType: 'SERVICE', name: { database: target.database, schema: target.schema, name: target.serviceName }, privilege: 'OPERATE', alsoSufficient: [], reason: `Upgrading ${serviceWords} (ALTER SERVICE … FROM …) needs OPERATE on it.` });
  } else {
    add({
      objectType: 'SCHEMA',
      name: { database: target.database, name: target.schema },
      privilege: 'CREATE SERVICE',
      alsoSufficient: [],
      reason: `${operation === 'job' ? 'EXECUTE JOB SERVICE' : 'CREATE SERVICE'} needs CREATE SERVICE on the schema of ${serviceWords}.`,
    });
  }
  add({ objectType: 'COMPUTE POOL', name: { name: target.computePool }, privilege: 'USAGE', alsoSufficient: [], reason: `Running ${serviceWords} on compute pool ${target.computePool} needs USAGE on the pool.` });
  if (target.queryWarehouse !== undefined) {
    add({ objectType: 'WAREHOUSE', name: { name: target.queryWarehouse }, privilege: 'USAGE', alsoSufficient: [], reason: `QUERY_WAREHOUSE = ${target.queryWarehouse} needs USAGE on the warehouse.` });
  }
  for (const integration of target.externalAccessIntegrations ?? []) {
    add({ objectType: 'INTEGRATION', name: { name: integration }, privilege: 'USAGE', alsoSufficient: [], reason: `EXTERNAL_ACCESS_INTEGRATIONS = (${integration}) needs USAGE on the integration.` });
  }
  if (target.specStage !== undefined) {
    const stage = resolve(target.specStage, target);
    needContainer(stage.database, stage.schema);
    add({ objectType: 'STAGE', name: stage, privilege: 'READ', alsoSufficient: ['WRITE', 'USAGE'], reason: 'Reading the spec file from the stage needs READ on it.' });
  }
  for (const image of uses.images) {
    const repository = exactRepository(catalog, image.repository);
    needContainer(repository.database, repository.schema);
    add({ objectType: 'IMAGE REPOSITORY', name: repository, privilege: 'READ', alsoSufficient: ['WRITE'], reason: `Pulling image ${image.reference} needs READ on its repository.` });
  }
  for (const stageReference of uses.stages) {
    const stage = exactSchemaObject(catalog?.stages ?? null, resolve(stageReference.name, target));
    needContainer(stage.database, stage.schema);
    add({ objectType: 'STAGE', name: stage, privilege: 'READ', alsoSufficient: ['WRITE'], reason: `The stage volume ${stageReference.volume} mounts the stage: it needs READ (and WRITE for the containers to write to it).` });
  }
  for (const secretReference of uses.secrets) {
    const secret = exactSchemaObject(catalog?.secrets ?? null, resolve(secretReference.name, target));
    needContainer(secret.database, secret.schema);
    add({ objectType: 'SECRET', name: secret, privilege: 'READ', alsoSufficient: ['USAGE'], reason: `Container ${secretReference.container} uses the secret: the owner role needs READ on it.` });
  }
  if (uses.publicEndpoints.length > 0 && operation !== 'job') {
    add({
      objectType: 'ACCOUNT',
      name: undefined,
      privilege: 'BIND SERVICE ENDPOINT',
      alsoSufficient: [],
      reason: `The public endpoint${uses.publicEndpoints.length === 1 ? '' : 's'} ${uses.publicEndpoints.join(', ')} need${uses.publicEndpoints.length === 1 ? 's' : ''} BIND SERVICE ENDPOINT on the account.`,
    });
  }
  // USAGE on every database and schema involved comes first: nothing inside them is reachable without it.
  const access: Requirement[] = [];
  for (const { database } of containers.values()) {
    const requirement: Requirement = { objectType: 'DATABASE', name: { name: database }, privilege: 'USAGE', alsoSufficient: [], reason: `Objects in database ${sql.quoteIdentifier(database)} are reachable only with USAGE on it.` };
    if (!access.some((existing) => requirementKey(existing) === requirementKey(requirement))) access.push(requirement);
  }
  for (const { database, schema } of containers.values()) {
    access.push({ objectType: 'SCHEMA', name: { database, name: schema }, privilege: 'USAGE', alsoSufficient: [], reason: `Objects in schema ${sql.qualifiedName(database, undefined, schema)} are reachable only with USAGE on it.` });
  }

  const held = grantSet(catalog);
  const required = [...access, ...requirements].map((requirement): RequiredGrant => {
    const object = requirement.name === undefined ? '' : sql.objectName(requirement.name);
    const status: GrantStatus = held === null ? 'unknown' : [requirement.privilege, ...requirement.alsoSufficient, 'OWNERSHIP'].some((privilege) => held.has(grantKey(requirement.objectType, object, privilege))) ? 'held' : 'missing';
    return {
      objectType: requirement.objectType,
      object,
      privilege: requirement.privilege,
      alsoSufficient: [...requirement.alsoSufficient, 'OWNERSHIP'],
      reason: requirement.reason,
      status,
      statement: sql.grantPrivilege(requirement.privilege, requirement.name === undefined ? { type: 'ACCOUNT' } : { type: requirement.objectType as Exclude<sql.GrantObjectType, 'ACCOUNT'>, name: requirement.name }, target.role),
    };
  });
  const missing = required.filter((grant) => grant.status === 'missing');
  if (held === null) notes.push('The grants of the role could not be read, so no privilege is reported missing; the list shows what the deploy needs.');
  return { role: target.role, grantsKnown: held !== null, required, missing, notes, script: missing.map((grant) => `${grant.statement};`).join('\n') };
}

function requirementKey(requirement: Requirement): string {
  return `${requirement.objectType}|${requirement.name === undefined ? '' : sql.objectName(requirement.name)}|${requirement.privilege}`;
}

function grantKey(objectType: string, object: string, privilege: string): string {
  return `${objectType}|${objectType === 'ACCOUNT' ? '' : object}|${privilege}`;
}

/** The catalog's grants as `TYPE|NAME|PRIVILEGE` keys with names in SQL form; null when not read. */
function grantSet(catalog: AccountCatalog | null): Set<string> | null {
  if (!catalog?.grants) return null;
  const keys = new Set<string>();
  for (const grant of catalog.grants) {
    const type = grant.objectType.replace(/_/g, ' ').trim().toUpperCase();
    keys.add(grantKey(type, canonicalPrintedName(grant.name), grant.privilege.trim().toUpperCase()));
  }
  return keys;
}

/** A name as SHOW GRANTS prints it (`DB.SCHEMA.NAME`, `"my db".S.X`) in `sql.objectName` form. */
function canonicalPrintedName(printed: string): string {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < printed.length; index++) {
    const char = printed.charAt(index);
    if (char === '"') {
      if (quoted && printed.charAt(index + 1) === '"') {
        current += '"';
        index++;
      } else {
        quoted = !quoted;
      }
    } else if (char === '.' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map(sql.quoteIdentifier).join('.');
}

function resolve(name: sql.QualifiedName, target: PreflightTarget): { database: string; schema: string; name: string } {
  return { database: name.database ?? target.database, schema: name.schema ?? target.schema, name: name.name };
}

/** The catalog's spelling of a schema object when it lists one with the same name ignoring case. */
function exactSchemaObject(list: readonly CatalogSchemaObject[] | null, wanted: { database: string; schema: string; name: string }): { database: string; schema: string; name: string } {
  const same = (a: string, b: string): boolean => a.toUpperCase() === b.toUpperCase();
  const exact = list?.find((object) => object.database === wanted.database && object.schema === wanted.schema && object.name === wanted.name);
  const found = exact ?? list?.find((object) => same(object.database, wanted.database) && same(object.schema, wanted.schema) && same(object.name, wanted.name));
  return found ? { database: found.database, schema: found.schema, name: found.name } : wanted;
}

function exactRepository(catalog: AccountCatalog | null, wanted: { database: string; schema: string; name: string }): { database: string; schema: string; name: string } {
  const found = exactSchemaObject(catalog?.imageRepositories ?? null, wanted);
  // Image paths are written in lower case; unquoted repository names are stored in upper case.
  return found === wanted ? { database: wanted.database.toUpperCase(), schema: wanted.schema.toUpperCase(), name: wanted.name.toUpperCase() } : found;
}

// ---------------------------------------------------------------------------------------------------
// What the spec uses

interface SpecUses {
  readonly images: { reference: string; repository: { database: string; schema: string; name: string } }[];
  readonly stages: { volume: string; name: sql.QualifiedName }[];
  readonly secrets: { container: string; name: sql.QualifiedName }[];
  readonly publicEndpoints: string[];
}

const snowflakeRegistryHost = /^[^/]+\.registry(-[a-z]+)?\.snowflakecomputing\.(com|cn)(:[0-9]+)?$/i;

function readSpec(specText: string, notes: string[]): SpecUses {
  const uses: SpecUses = { images: [], stages: [], secrets: [], publicEndpoints: [] };
  if (isTemplated(specText)) {
    notes.push('The spec is a template: pass the rendered spec (with the USING values) to check the objects its placeholders name.');
  }
  let document: unknown;
  try {
    document = parse(specText);
  } catch (error) {
    notes.push(`The spec could not be read (${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)}); only the grants of the target are listed.`);
    return uses;
  }
  const spec = record(record(document)?.['spec']);
  for (const [index, container] of list(spec?.['containers']).entries()) {
    const item = record(container);
    const containerName = stringOf(item?.['name']) ?? `#${index + 1}`;
    const image = stringOf(item?.['image']);
    if (image !== undefined) readImage(image, containerName, uses, notes);
    for (const secretItem of list(item?.['secrets'])) {
      const secret = record(secretItem)?.['snowflakeSecret'];
      const reference = record(secret);
      const name = stringOf(secret) ?? stringOf(reference?.['objectName']);
      if (name === undefined) {
        if (reference?.['objectReference'] !== undefined) notes.push(`Container ${containerName} uses a secret by object reference (Native Apps); its grant is not checked.`);
        continue;
      }
      if (isTemplated(name)) {
        notes.push(`The secret ${name} of container ${containerName} is a template placeholder; its grant is not checked.`);
        continue;
      }
      uses.secrets.push({ container: containerName, name: sql.parseQualifiedName(name) });
    }
  }
  for (const [index, volume] of list(spec?.['volumes']).entries()) {
    const item = record(volume);
    const volumeName = stringOf(item?.['name']) ?? `#${index + 1}`;
    const source = stringOf(item?.['source']);
    const stageText = source?.startsWith('@') ? source : source === 'stage' ? stringOf(record(item?.['stageConfig'])?.['name']) : undefined;
    if (stageText === undefined) continue;
    if (isTemplated(stageText)) {
      notes.push(`The stage of volume ${volumeName} is a template placeholder; its grant is not checked.`);
      continue;
    }
    const name = stageName(stageText);
    if (name !== undefined) uses.stages.push({ volume: volumeName, name });
  }
  for (const endpoint of list(spec?.['endpoints'])) {
    const item = record(endpoint);
    if (item?.['public'] === true) uses.publicEndpoints.push(stringOf(item['name']) ?? '(unnamed)');
  }
  return uses;
}

function readImage(image: string, container: string, uses: SpecUses, notes: string[]): void {
  if (isTemplated(image)) {
    notes.push(`The image of container ${container} is a template placeholder; its repository's grant is not checked.`);
    return;
  }
  let path = image.trim();
  if (!path.startsWith('/')) {
    const slash = path.indexOf('/');
    const host = slash === -1 ? '' : path.slice(0, slash);
    if (!snowflakeRegistryHost.test(host)) {
      notes.push(`The image ${image} of container ${container} is not a path in a Snowflake repository (/db/schema/repository/image:tag); its grant is not checked.`);
      return;
    }
    path = path.slice(slash);
  }
  const segments = path.slice(1).split('/');
  const [database, schema, repository] = segments;
  if (segments.length < 4 || database === undefined || schema === undefined || repository === undefined || segments.some((segment) => segment === '')) {
    notes.push(`The image ${image} of container ${container} is not a path in a Snowflake repository (/db/schema/repository/image:tag); its grant is not checked.`);
    return;
  }
  if (database.toLowerCase() === 'snowflake') return; // Snowflake's own images need no grant.
  uses.images.push({ reference: image, repository: { database, schema, name: repository } });
}

/** `@db.schema.stage/path` → the stage's name; undefined for user and table stages. */
function stageName(text: string): sql.QualifiedName | undefined {
  const name = stageNameText(text);
  return name === undefined || name === '' ? undefined : sql.parseQualifiedName(name);
}

function isTemplated(text: string): boolean {
  return text.includes('{{');
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
