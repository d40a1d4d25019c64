/**
 * Diagnostics against the live account: the spec checked against the catalog of the connection it
 * will be deployed with (see `catalogState.ts` for which one).
 *
 * Owns: the target compute pool (`poolDiagnostics.ts`: exists, USAGE, whether the spec fits its live
 * instance family), images (repository, image, tag; READ on the repository), stage volumes (stage exists,
 * READ), secrets (exists, READ, `secretKeyRef` fits the secret type), BIND SERVICE ENDPOINT for
 * public endpoints, and block volumes against the remembered MIN/MAX_INSTANCES.
 *
 * Every diagnostic is a warning (the account may have changed since the catalog was read) and says
 * how old its facts are. Its quick fixes are never "preferred": "Fix all" must not depend on what an
 * account held at some moment (which tag is newest, which pool fits). Nothing here is checked when the value is templated, when the catalog did
 * not read that kind of object (null list), or when a name cannot be read with certainty: a false
 * warning on a valid spec is the worst bug, and a missing one only costs what we had without the
 * account. Must not: throw on odd input (the validator isolates it anyway) or do I/O.
 */

import { type Scalar, type YAMLMap } from 'yaml';
import type { CatalogSecret } from '../../lspExtension';
import type { QuickFix } from '../rules/ruleApi';
import { asMap, booleanValue, itemLabel, mapItemsOf, plainScalar, replaceScalar, stringValue, valueOf } from '../rules/ruleHelpers';
import { volumeKind } from '../rules/volumes';
import { getPair, type SpecDocument } from '../specDocument';
import type { AccountView } from './catalogState';
import { heldPrivileges, privilegeVerdict, upper, type AccountIndex, type IndexedTag } from './catalogIndex';
import { grantName, hostMatches, parseImageReference, parseObjectName, parseStageReference, resolveSchemaObject } from './references';
import { type Report, checkPool } from './poolDiagnostics';
import { capitalize, listSome, roleName, shortDate } from './wording';

/** At most this many "use tag …" quick fixes. */
const maxFixes = 5;

/** The secret keys each secret type has (reference §1.3.4); types not listed are not judged. */
const secretKeysByType: Readonly<Record<string, readonly string[]>> = {
  PASSWORD: ['username', 'password'],
  GENERIC_STRING: ['secret_string'],
  OAUTH2: ['access_token'],
};

export function accountDiagnostics(doc: SpecDocument, view: AccountView, report: Report): void {
  if (!doc.spec) {
    return;
  }
  checkPool(doc, view, report);
  checkImages(doc, view, report);
  checkStages(doc, view, report);
  checkSecrets(doc, view, report);
  checkPublicEndpoints(doc, view, report);
  checkBlockVolumes(doc, view, report);
}

// ---------------------------------------------------------------------------------------------------
// Images.

function checkImages(doc: SpecDocument, view: AccountView, report: Report): void {
  const { index } = view;
  if (!index.repositories) {
    return;
  }
  for (const container of doc.lists.containers) {
    const scalar = plainScalar(doc, valueOf(container.node, 'image'));
    const text = stringValue(doc, scalar);
    const reference = text === undefined ? undefined : parseImageReference(text);
    if (!scalar || text === undefined || !reference || !hostMatches(index, reference)) {
      continue;
    }
    const label = itemLabel('container', container);
    const repository = index.repositories.get(reference.repositoryKey);
    if (!repository) {
      report({
        code: 'spcs/account-image-repository-not-found',
        at: scalar,
        message: `The image repository '${reference.repositoryKey}' of ${label} does not exist ${index.asOf}, or role ${roleName(index)} cannot see it (it needs READ on the repository).`,
      });
      continue;
    }
    const repositoryName = grantName(repository.repository);
    if (privilegeVerdict(index, 'IMAGE REPOSITORY', repositoryName, ['READ', 'WRITE']) === 'missing') {
      report({
        code: 'spcs/account-missing-privilege',
        at: scalar,
        message: `Role ${roleName(index)} has ${heldPrivileges(index, 'IMAGE REPOSITORY', repositoryName).join(', ')} but not READ on image repository '${repositoryName}' ${index.asOf}; the service could not pull the image.`,
      });
    }
    if (!repository.images) {
      continue;
    }
    const image = repository.images.get(reference.image.toLowerCase());
    if (!image) {
      report({
        code: 'spcs/account-image-not-found',
        at: scalar,
        message: `There is no image '${reference.image}' in repository '${repository.path}' ${index.asOf}. Push it first ('docker push <registry>${repository.path}/${reference.image}:<tag>')${repository.imageList.length > 0 ? `; images there: ${listSome(repository.imageList.map((entry) => entry.name))}` : '; the repository is empty'}.`,
      });
      continue;
    }
    if (reference.tag === undefined || image.tagsByName.has(reference.tag)) {
      continue;
    }
    report({
      code: 'spcs/account-image-tag-not-found',
      at: scalar,
      message: `Image '${repository.path}/${image.name}' has no tag '${reference.tag}' ${index.asOf}${image.tags.length > 0 ? `; newest tags: ${listSome(image.tags.map((tag) => tag.tag))}` : ''}.`,
      fixes: image.tags.slice(0, maxFixes).flatMap((tag) => tagFix(doc, scalar, text, reference.tag ?? '', tag)),
    });
  }
}

function tagFix(doc: SpecDocument, scalar: Scalar, text: string, oldTag: string, tag: IndexedTag): QuickFix[] {
  const tagAt = text.lastIndexOf(`:${oldTag}`);
  if (tagAt === -1) {
    return [];
  }
  const newText = `${text.slice(0, tagAt + 1)}${tag.tag}${text.slice(tagAt + 1 + oldTag.length)}`;
  const edit = replaceScalar(doc, scalar, newText);
  const pushed = shortDate(tag.createdOn);
  return edit ? [{ title: `Use tag '${tag.tag}'${pushed ? ` (pushed ${pushed})` : ''}`, edits: [edit] }] : [];
}

// ---------------------------------------------------------------------------------------------------
// Stage volumes.

function checkStages(doc: SpecDocument, view: AccountView, report: Report): void {
  const { index } = view;
  if (!index.stages) {
    return;
  }
  for (const volume of doc.lists.volumes) {
    if (volumeKind(doc, volume.node) !== 'stage') {
      continue;
    }
    const source = plainScalar(doc, valueOf(volume.node, 'source'));
    const scalar = source && typeof source.value === 'string' && source.value.startsWith('@') ? source : plainScalar(doc, valueOf(asMap(valueOf(volume.node, 'stageConfig')), 'name'));
    const text = stringValue(doc, scalar);
    const parts = text === undefined ? undefined : parseStageReference(text);
    if (!scalar || !parts) {
      continue;
    }
    const label = itemLabel('volume', volume);
    const resolution = resolveSchemaObject(index.stages, parts, view.database, view.schema);
    if (resolution.kind === 'missing') {
      report({
        code: 'spcs/account-stage-not-found',
        at: scalar,
        message: `The stage '${resolution.qualifiedName}' of ${label} does not exist ${index.asOf}, or role ${roleName(index)} cannot see it. Stage volumes mount an existing internal stage (CREATE STAGE first).`,
      });
    } else if (resolution.kind === 'found' && allMissing(index, 'STAGE', resolution.objects.map(grantName), ['READ', 'WRITE'])) {
      const name = grantName(resolution.objects[0] ?? { database: '', schema: '', name: '' });
      report({
        code: 'spcs/account-missing-privilege',
        at: scalar,
        message: `Role ${roleName(index)} has ${heldPrivileges(index, 'STAGE', name).join(', ')} but not READ on stage '${name}' ${index.asOf}; a stage volume needs READ (and WRITE to write to it).`,
      });
    }
  }
}

function allMissing(index: AccountIndex, type: string, names: readonly string[], sufficient: readonly string[]): boolean {
  return names.length > 0 && names.every((name) => privilegeVerdict(index, type, name, sufficient) === 'missing');
}

// ---------------------------------------------------------------------------------------------------
// Secrets.

function checkSecrets(doc: SpecDocument, view: AccountView, report: Report): void {
  const { index } = view;
  if (!index.secrets) {
    return;
  }
  for (const container of doc.lists.containers) {
    for (const secret of mapItemsOf(valueOf(container.node, 'secrets'))) {
      checkSecret(doc, view, secret, report);
    }
  }
}

function checkSecret(doc: SpecDocument, view: AccountView, secret: YAMLMap<unknown, unknown>, report: Report): void {
  const { index } = view;
  const object = valueOf(secret, 'snowflakeSecret');
  const scalar = plainScalar(doc, asMap(object) ? valueOf(asMap(object), 'objectName') : object);
  const text = stringValue(doc, scalar);
  const parts = text === undefined ? undefined : parseObjectName(text);
  if (!scalar || !parts) {
    return;
  }
  const resolution = resolveSchemaObject(index.secrets, parts, view.database, view.schema);
  if (resolution.kind === 'missing') {
    report({
      code: 'spcs/account-secret-not-found',
      at: scalar,
      message: `The secret '${resolution.qualifiedName}' does not exist ${index.asOf}, or role ${roleName(index)} cannot see it (the service's owner role needs READ on it).`,
    });
    return;
  }
  if (resolution.kind !== 'found') {
    return;
  }
  const names = resolution.objects.map(grantName);
  if (allMissing(index, 'SECRET', names, ['READ', 'USAGE'])) {
    report({
      code: 'spcs/account-missing-privilege',
      at: scalar,
      message: `Role ${roleName(index)} has ${heldPrivileges(index, 'SECRET', names[0] ?? '').join(', ')} but not READ on secret '${names[0] ?? ''}' ${index.asOf}; the service's owner role needs READ on each secret it uses.`,
    });
  }
  checkSecretKey(doc, view, secret, resolution.objects, report);
}

function checkSecretKey(doc: SpecDocument, view: AccountView, secret: YAMLMap<unknown, unknown>, objects: readonly CatalogSecret[], report: Report): void {
  const keyNode = plainScalar(doc, valueOf(secret, 'secretKeyRef'));
  const key = stringValue(doc, keyNode);
  if (!keyNode || key === undefined || !getPair(secret, 'envVarName')) {
    return;
  }
  const types = new Set(objects.map((object) => upper(object.type)));
  const [type] = [...types];
  const allowed = type === undefined ? undefined : secretKeysByType[type];
  if (types.size !== 1 || !allowed || allowed.includes(key)) {
    return;
  }
  const name = grantName(objects[0] ?? { database: '', schema: '', name: '' });
  if (type === 'OAUTH2') {
    // The documentation gives an OAuth2 secret's access token only as a file (`directoryPath`); as
    // `secretKeyRef: access_token` it gets the offline rule's warning (S37), so no quick fix leads there.
    report({
      code: 'spcs/account-secret-type',
      at: keyNode,
      message: `Secret '${name}' is an OAUTH2 secret (${view.index.asOf}): it has no '${key}'. Its access token is documented as a file: mount the secret with 'directoryPath' (the token is then in the file 'access_token') instead of 'envVarName' with 'secretKeyRef'.`,
    });
    return;
  }
  report({
    code: 'spcs/account-secret-type',
    at: keyNode,
    message: `Secret '${name}' is a ${type ?? '?'} secret (${view.index.asOf}): it has ${allowed.map((value) => `'${value}'`).join(' and ')}, not '${key}'.`,
    fixes: allowed.flatMap((value) => {
      const edit = replaceScalar(doc, keyNode, value);
      return edit ? [{ title: `Change to '${value}'`, edits: [edit] }] : [];
    }),
  });
}

// ---------------------------------------------------------------------------------------------------
// Public endpoints and block volumes.

function checkPublicEndpoints(doc: SpecDocument, view: AccountView, report: Report): void {
  const { index } = view;
  if (!index.grants || upper(index.catalog.role ?? '') === 'ACCOUNTADMIN') {
    return;
  }
  const bind = [...index.grants.entries()].some(([key, privileges]) => key.startsWith('ACCOUNT|') && privileges.has('BIND SERVICE ENDPOINT'));
  if (bind) {
    return;
  }
  for (const endpoint of doc.lists.endpoints) {
    const node = valueOf(endpoint.node, 'public');
    if (booleanValue(doc, node) === true) {
      report({
        code: 'spcs/account-missing-privilege',
        at: node,
        message: `${capitalize(itemLabel('endpoint', endpoint))} is public, but role ${roleName(index)} does not have BIND SERVICE ENDPOINT on the account ${index.asOf}; CREATE SERVICE with a public endpoint needs it.`,
      });
      return;
    }
  }
}

function checkBlockVolumes(doc: SpecDocument, view: AccountView, report: Report): void {
  const { minInstances, maxInstances } = view;
  if (minInstances === undefined || maxInstances === undefined || minInstances === maxInstances) {
    return;
  }
  const block = doc.lists.volumes.find((volume) => volumeKind(doc, volume.node) === 'block');
  if (!block) {
    return;
  }
  report({
    code: 'spcs/account-block-volume-instances',
    at: valueOf(block.node, 'source'),
    message: `${capitalize(itemLabel('volume', block))} is a block volume, and services with block volumes need MIN_INSTANCES = MAX_INSTANCES, but the last deploy of this file used MIN_INSTANCES = ${minInstances} and MAX_INSTANCES = ${maxInstances}. Deploy with equal values.`,
  });
}
