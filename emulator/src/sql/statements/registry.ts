/**
 * The image registry (reference §4.13): SHOW IMAGE REPOSITORIES, SHOW IMAGES IN IMAGE REPOSITORY,
 * CREATE / DROP IMAGE REPOSITORY.
 *
 * Owns: repository URLs (`<org>-<account>.registry.snowflakecomputing.com/db/schema/repo`, lower
 * case, `_` → `-` in the host), one SHOW IMAGES row per image tag, READ (or WRITE/OWNERSHIP) to list
 * images, CREATE IMAGE REPOSITORY on the schema to create one and OWNERSHIP to replace or drop it,
 * and the documented CREATE rules (ENCRYPTION TYPE SNOWFLAKE_FULL by default or SNOWFLAKE_SSE, no
 * quoted names, OR REPLACE and IF NOT EXISTS mutually exclusive). Dropping a repository leaves
 * running services alone (they keep the image digests they resolved).
 */

import { repositoryPath } from '../../account/images';
import type { ImageRepositoryRecord } from '../../account/model';
import { displayName, dnsLabel, objectKey } from '../../account/names';
import type { ResultSet } from '../../contract';
import type { InClause, Name, Properties, ShowFilter } from '../ast';
import { resolveObjectName, type StatementContext } from '../context';
import { SqlErrors } from '../errors';
import { checkProperties, optionsProperty, stringProperty } from '../properties';
import { applyFilter, byName, Columns, resultSet, statusResult, textCell, timeCell, type Cell } from '../result';
import { requireSchemaPrivilege, schemaScope, visibleObjects } from './schemaAccess';

export function registryHost(ctx: StatementContext): string {
  return `${dnsLabel(ctx.store.state.organization)}-${dnsLabel(ctx.store.state.name)}.registry.snowflakecomputing.com`;
}

export function showImageRepositories(ctx: StatementContext, filter: ShowFilter, scope: InClause | undefined): ResultSet {
  const matches = schemaScope(ctx, scope, 'SHOW IMAGE REPOSITORIES');
  const columns = [
    Columns.time('created_on'),
    Columns.text('name'),
    Columns.text('database_name'),
    Columns.text('schema_name'),
    Columns.text('repository_url'),
    Columns.text('owner'),
    Columns.text('owner_role_type'),
    Columns.text('comment'),
    Columns.text('encryption'),
    Columns.text('privatelink_repository_url'),
  ];
  const repositories = visibleObjects(ctx, 'IMAGE_REPOSITORY', ctx.store.state.imageRepositories, matches);
  const host = registryHost(ctx);
  const rows = applyFilter(repositories, (repository) => repository.name, filter).map((repository): Cell[] => [
    timeCell(repository.createdOn),
    repository.name,
    repository.database,
    repository.schema,
    `${host}/${repositoryPath(repository)}`,
    repository.owner,
    'ROLE',
    textCell(repository.comment),
    repository.encryption,
    null,
  ]);
  return resultSet(columns, rows);
}

function visibleRepository(ctx: StatementContext, name: Name, operation: string): { key: string; repository: ImageRepositoryRecord } {
  const qualified = resolveObjectName(ctx, name, operation);
  const key = objectKey(qualified);
  const repository = ctx.store.state.imageRepositories[key];
  if (!repository || !ctx.access.canSee('IMAGE_REPOSITORY', key)) {
    throw SqlErrors.doesNotExist('Image repository', displayName(qualified));
  }
  return { key, repository };
}

export function showImages(ctx: StatementContext, filter: ShowFilter, name: Name): ResultSet {
  const { key, repository } = visibleRepository(ctx, name, 'SHOW IMAGES');
  if (!ctx.access.has('IMAGE_REPOSITORY', key, 'READ', 'WRITE')) {
    throw SqlErrors.insufficientPrivileges(`image repository '${key}'`);
  }
  const columns = [Columns.time('created_on'), Columns.text('image_name'), Columns.text('tags'), Columns.text('digest'), Columns.text('image_path')];
  const images = applyFilter([...repository.images].sort(byName((image) => image.name)), (image) => image.name, filter);
  const rows: Cell[][] = [];
  for (const image of images) {
    for (const tag of image.tags) {
      rows.push([timeCell(image.createdOn), image.name, tag, image.digest, `${repositoryPath(repository)}/${image.name}:${tag}`]);
    }
  }
  return resultSet(columns, rows);
}

/** Repository, database and schema names cannot be quoted names with special characters or lower case (CREATE IMAGE REPOSITORY docs). */
function checkRepositoryName(qualified: { database: string; schema: string; name: string }): void {
  for (const [kind, part] of [['database', qualified.database], ['schema', qualified.schema], ['image repository', qualified.name]] as const) {
    if (!/^[A-Z_][A-Z0-9_$]*$/.test(part)) throw SqlErrors.quotedNameNotSupported(kind, part);
  }
}

export function createImageRepository(ctx: StatementContext, name: Name, ifNotExists: boolean, orReplace: boolean, properties: Properties): ResultSet {
  // The docs: "The OR REPLACE and IF NOT EXISTS clauses are mutually exclusive."
  if (orReplace && ifNotExists) throw SqlErrors.orReplaceWithIfNotExists();
  const qualified = resolveObjectName(ctx, name, 'CREATE IMAGE REPOSITORY');
  requireSchemaPrivilege(ctx, qualified.database, qualified.schema, 'CREATE IMAGE REPOSITORY');
  // COMMENT is not in the documented syntax, but SHOW has the column and the Terraform provider sends it.
  checkProperties(properties, ['ENCRYPTION', 'COMMENT'], 'IMAGE_REPOSITORY');
  const key = objectKey(qualified);
  const existing = ctx.store.state.imageRepositories[key];
  if (existing) {
    if (ifNotExists) return statusResult(`${qualified.name} already exists, statement succeeded.`);
    if (!orReplace) throw SqlErrors.alreadyExists('Object', displayName(qualified));
    if (!ctx.access.owns('IMAGE_REPOSITORY', key)) throw SqlErrors.insufficientPrivileges(`image repository '${key}'`);
  }
  checkRepositoryName(qualified);
  const encryption = optionsProperty(properties, 'ENCRYPTION');
  if (encryption) checkProperties(encryption, ['TYPE'], 'ENCRYPTION');
  const encryptionType = encryption?.get('TYPE');
  const type = encryptionType === undefined ? 'SNOWFLAKE_FULL' : encryptionType.kind === 'string' ? encryptionType.value.toUpperCase() : '';
  if (type !== 'SNOWFLAKE_FULL' && type !== 'SNOWFLAKE_SSE') {
    throw SqlErrors.invalidValue(`invalid value for property 'ENCRYPTION': TYPE must be 'SNOWFLAKE_FULL' or 'SNOWFLAKE_SSE'.`);
  }
  const comment = stringProperty(properties, 'COMMENT');
  if (existing) ctx.store.removeSchemaObject('imageRepositories', key);
  ctx.store.state.imageRepositories[key] = {
    ...qualified,
    owner: ctx.access.role,
    createdOn: ctx.now,
    // The docs: "Default: SNOWFLAKE_FULL"; the type cannot be changed after creation.
    encryption: type,
    images: [],
    ...(comment !== undefined ? { comment } : {}),
  };
  ctx.store.grant('OWNERSHIP', 'IMAGE_REPOSITORY', key, ctx.access.role, ctx.access.role);
  return statusResult(`Image Repository ${qualified.name} successfully created.`);
}

export function dropImageRepository(ctx: StatementContext, name: Name, ifExists: boolean): ResultSet {
  const qualified = resolveObjectName(ctx, name, 'DROP IMAGE REPOSITORY');
  const key = objectKey(qualified);
  if (!ctx.store.state.imageRepositories[key] || !ctx.access.canSee('IMAGE_REPOSITORY', key)) {
    if (ifExists) return statusResult(`Drop statement executed successfully (${qualified.name} already dropped).`);
    throw SqlErrors.doesNotExist('Image repository', displayName(qualified));
  }
  if (!ctx.access.owns('IMAGE_REPOSITORY', key)) throw SqlErrors.insufficientPrivileges(`image repository '${key}'`);
  ctx.store.removeSchemaObject('imageRepositories', key);
  return statusResult(`${qualified.name} successfully dropped.`);
}
