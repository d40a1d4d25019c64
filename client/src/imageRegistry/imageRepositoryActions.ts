/**
 * Creating and dropping image repositories, without VS Code (the Image Repositories view's "Create
 * Image Repository…" and "Drop Image Repository…").
 *
 * Create: the repository's database, schema and name (plain identifiers only: Snowflake supports no
 * quoted names for a repository nor for the database and schema it lives in), an existing one found
 * first (nothing is sent then), `CREATE IMAGE REPOSITORY db.schema.name` shown before it is sent.
 * Drop: how many images and tags go with it (SHOW IMAGES IN IMAGE REPOSITORY), what happens to the
 * services that use them, the name typed, then `DROP IMAGE REPOSITORY`.
 *
 * Owns: those decisions and their messages (a missing privilege names the GRANT). Must not: import
 * `vscode`, or drop without the typed name.
 */

import { confirmationMatches } from '../lifecycle/lifecycleRules';
import type { TypedConfirmation } from '../pools/poolUi';
import type { AccountChange } from '../model/featureContext';
import type { SnowflakeError } from '../snowflake/errors';
import { currentRole, missingPrivilege, type PrivilegeNeed } from '../snowflake/missingPrivilege';
import { ok, type Result } from '../snowflake/result';
import type { SnowflakeSessions } from '../snowflake/session';
import * as sql from '../snowflake/sql';
import { imagesOf } from '../catalog/fetchCatalog';

export interface RepositoryUi {
  /** `DB.SCHEMA.NAME` or `NAME` (the current database and schema are filled in). */
  askRepositoryName(current: string, check: (text: string) => string | undefined): Promise<string | undefined>;
  confirmStatement(summary: string, statement: string): Promise<boolean>;
  askTypedName(confirmation: TypedConfirmation): Promise<string | undefined>;
  progress<T>(title: string, task: () => Promise<T>): Promise<T>;
}

export interface RepositoryDeps {
  readonly sessions: Pick<SnowflakeSessions, 'get' | 'execute'>;
  readonly ui: RepositoryUi;
  readonly log: { info(line: string): void; warn(line: string): void; error(line: string): void };
  readonly queryTimeoutMs: number;
  readonly changed?: (change: AccountChange) => void;
}

export interface RepositoryName {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
}

export type RepositoryOutcome =
  | { readonly state: 'created' | 'exists'; readonly repository: RepositoryName; readonly repositoryUrl: string | undefined; readonly sent: readonly string[]; readonly message: string }
  | { readonly state: 'dropped'; readonly repository: RepositoryName; readonly images: number | undefined; readonly sent: readonly string[]; readonly message: string }
  | { readonly state: 'cancelled' | 'refused'; readonly message: string }
  | { readonly state: 'failed'; readonly repository: RepositoryName; readonly error: SnowflakeError; readonly grant?: string; readonly message: string };

const plainIdentifier = /^[A-Z_][A-Z0-9_$]*$/;

/**
 * `models`, `ml_db.serving.models` → exact names (unqualified parts from `current`), or why not:
 * Snowflake supports no quoted repository, database or schema names for image repositories.
 */
export function parseRepositoryName(text: string, current: { readonly database?: string; readonly schema?: string }): { ok: true; value: RepositoryName } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'Enter a name for the image repository (NAME, or DATABASE.SCHEMA.NAME).' };
  const parts = sql.parseQualifiedName(trimmed);
  const database = parts.database ?? current.database;
  const schema = parts.schema ?? current.schema;
  if (database === undefined || schema === undefined) {
    return { ok: false, message: 'The connection has no current database and schema: write the repository as DATABASE.SCHEMA.NAME.' };
  }
  for (const [what, part] of [['name', parts.name], ['database', database], ['schema', schema]] as const) {
    if (!plainIdentifier.test(part)) {
      return { ok: false, message: `${JSON.stringify(part)} cannot be the ${what} of an image repository: Snowflake supports no quoted names (lower case or special characters) there. Use letters, digits, _ and $.` };
    }
  }
  return { ok: true, value: { database, schema, name: parts.name } };
}

function shown(repository: RepositoryName): string {
  return `${repository.database}.${repository.schema}.${repository.name}`;
}

async function currentLocation(deps: RepositoryDeps, connection: string): Promise<{ database?: string; schema?: string }> {
  const result = await deps.sessions.execute(connection, 'SELECT CURRENT_DATABASE() AS DATABASE_NAME, CURRENT_SCHEMA() AS SCHEMA_NAME', { timeoutMs: deps.queryTimeoutMs });
  if (!result.ok) return {};
  const [database, schema] = Object.values(result.value.rows[0] ?? {});
  return { ...(typeof database === 'string' && database !== '' ? { database } : {}), ...(typeof schema === 'string' && schema !== '' ? { schema } : {}) };
}

/** The repository's row in SHOW IMAGE REPOSITORIES, or undefined when the role sees none of that name. */
export async function readRepository(sessions: Pick<SnowflakeSessions, 'execute'>, connection: string, repository: RepositoryName, timeoutMs: number): Promise<Result<{ repositoryUrl: string | undefined; owner: string | undefined } | undefined>> {
  const result = await sessions.execute(connection, sql.showImageRepositories({ like: repository.name, in: { schema: { database: repository.database, name: repository.schema } } }), { timeoutMs });
  if (!result.ok) return result;
  const row = result.value.rows.find((candidate) => candidate['name'] === repository.name);
  if (row === undefined) return ok(undefined);
  const url = row['repository_url'];
  const owner = row['owner'];
  return ok({ repositoryUrl: typeof url === 'string' && url !== '' ? url : undefined, owner: typeof owner === 'string' && owner !== '' ? owner : undefined });
}

async function refused(deps: RepositoryDeps, connection: string, repository: RepositoryName, error: SnowflakeError, need: PrivilegeNeed, head: string, owner?: string): Promise<RepositoryOutcome> {
  if (error.kind === 'privilege') {
    const advice = missingPrivilege(need, await currentRole(deps.sessions, connection, deps.queryTimeoutMs), error, owner);
    deps.log.error(`${head} ${advice.message}`);
    return { state: 'failed', repository, error, ...(advice.grant ? { grant: advice.grant } : {}), message: `${head} ${advice.message}` };
  }
  const message = `${head} Snowflake refused it (${error.kind}${error.code ? ` ${error.code}` : ''}): ${error.message}`;
  deps.log.error(message);
  return { state: 'failed', repository, error, message };
}

export interface CreateRepositoryRequest {
  readonly connection: string;
  /** Given up front (NAME or DB.SCHEMA.NAME): not asked. */
  readonly name?: string;
  readonly encryption?: sql.ImageRepositoryEncryption;
  readonly comment?: string;
  /** false: send without showing the statement first. */
  readonly confirm?: boolean;
}

export async function createImageRepository(deps: RepositoryDeps, request: CreateRepositoryRequest): Promise<RepositoryOutcome> {
  const { connection } = request;
  const session = await deps.sessions.get(connection);
  if (!session.ok) return { state: 'refused', message: `Could not connect with ${connection} (${session.error.kind}): ${session.error.message} No image repository was created.` };
  const current = await currentLocation(deps, connection);
  const check = (text: string): string | undefined => {
    const parsed = parseRepositoryName(text, current);
    return parsed.ok ? undefined : parsed.message;
  };
  const typed = request.name ?? (await deps.ui.askRepositoryName(current.database && current.schema ? `${current.database}.${current.schema}.IMAGES` : 'IMAGES', check));
  if (typed === undefined) return { state: 'cancelled', message: 'Cancelled: no image repository was created.' };
  const parsed = parseRepositoryName(typed, current);
  if (!parsed.ok) return { state: 'refused', message: `${parsed.message} No image repository was created.` };
  const repository = parsed.value;

  const existing = await readRepository(deps.sessions, connection, repository, deps.queryTimeoutMs);
  if (!existing.ok) return { state: 'refused', message: `Whether ${shown(repository)} exists could not be checked (${existing.error.kind}): ${existing.error.message} No image repository was created.` };
  if (existing.value !== undefined) {
    return { state: 'exists', repository, repositoryUrl: existing.value.repositoryUrl, sent: [], message: `Image repository ${shown(repository)} already exists; nothing was created.` };
  }
  const statement = sql.createImageRepository({ name: repository, ...(request.encryption ? { encryption: request.encryption } : {}), ...(request.comment ? { comment: request.comment } : {}) });
  if (request.confirm !== false && !(await deps.ui.confirmStatement(`Create image repository ${shown(repository)}.`, statement))) {
    return { state: 'cancelled', message: 'Cancelled: no image repository was created.' };
  }
  deps.log.info(`Create image repository: ${statement}`);
  const result = await deps.ui.progress(`Creating image repository ${shown(repository)}…`, () => deps.sessions.execute(connection, statement, { timeoutMs: deps.queryTimeoutMs }));
  if (!result.ok) {
    if (result.error.code === '002002') {
      const again = await readRepository(deps.sessions, connection, repository, deps.queryTimeoutMs);
      return { state: 'exists', repository, repositoryUrl: again.ok ? again.value?.repositoryUrl : undefined, sent: [], message: `Image repository ${shown(repository)} already exists; nothing was created.` };
    }
    return refused(deps, connection, repository, result.error, { privilege: 'CREATE IMAGE REPOSITORY', on: { type: 'SCHEMA', name: { database: repository.database, name: repository.schema } }, doing: `create image repositories in ${repository.database}.${repository.schema}` }, `Image repository ${shown(repository)} was not created.`);
  }
  deps.changed?.({ scope: 'repositories', connection });
  const created = await readRepository(deps.sessions, connection, repository, deps.queryTimeoutMs);
  const repositoryUrl = created.ok ? created.value?.repositoryUrl : undefined;
  const message = `Image repository ${shown(repository)} was created${repositoryUrl ? `; push images to ${repositoryUrl}` : ''}.`;
  deps.log.info(`Create image repository: ${message}`);
  return { state: 'created', repository, repositoryUrl, sent: [statement], message };
}

/** What goes with a repository: "Deletes 3 images (5 tags): vllm-openai (0.6.2, 0.6.3, latest), …". */
export function imageConsequence(images: readonly { readonly name: string; readonly tags: readonly string[] }[] | undefined, why?: string): string {
  if (images === undefined) return `How many images it holds is not known${why ? ` (${why})` : ''}; every image in it is deleted.`;
  if (images.length === 0) return 'It holds no image.';
  const byName = new Map<string, string[]>();
  for (const image of images) byName.set(image.name, [...(byName.get(image.name) ?? []), ...image.tags]);
  const tags = [...byName.values()].reduce((total, list) => total + list.length, 0);
  const listed = [...byName.entries()].slice(0, 10).map(([name, list]) => (list.length > 0 ? `${name} (${list.join(', ')})` : name));
  const more = byName.size > 10 ? `, and ${byName.size - 10} more` : '';
  return `Deletes ${byName.size} image${byName.size === 1 ? '' : 's'} (${images.length} digest${images.length === 1 ? '' : 's'}, ${tags} tag${tags === 1 ? '' : 's'}): ${listed.join(', ')}${more}.`;
}

export interface DropRepositoryRequest {
  readonly connection: string;
  readonly repository: RepositoryName;
  /** The typed confirmation given up front (automation): it must name the repository. */
  readonly confirmName?: string;
}

export async function dropImageRepository(deps: RepositoryDeps, request: DropRepositoryRequest): Promise<RepositoryOutcome> {
  const { connection, repository } = request;
  const session = await deps.sessions.get(connection);
  if (!session.ok) return { state: 'refused', message: `Could not connect with ${connection} (${session.error.kind}): ${session.error.message} Nothing was dropped.` };
  const existing = await readRepository(deps.sessions, connection, repository, deps.queryTimeoutMs);
  if (!existing.ok) return { state: 'refused', message: `Image repository ${shown(repository)} could not be read (${existing.error.kind}): ${existing.error.message} Nothing was dropped.` };
  if (existing.value === undefined) return { state: 'refused', message: `Image repository ${shown(repository)} does not exist, or the role of ${connection} holds no privilege on it. Nothing was dropped.` };
  const listed = await deps.sessions.execute(connection, sql.showImages(repository), { timeoutMs: deps.queryTimeoutMs });
  const images = listed.ok ? imagesOf(listed.value.rows, Number.MAX_SAFE_INTEGER) : undefined;
  const statement = sql.dropImageRepository(repository);
  const consequences = [
    imageConsequence(images, listed.ok ? undefined : `SHOW IMAGES failed: ${listed.error.message}`),
    'Services already running keep the images they pulled; new services, upgrades and restarts on new nodes that name these images fail to pull them.',
    'This cannot be undone.',
  ];
  const typed = request.confirmName ?? (await deps.ui.askTypedName({ action: 'Drop image repository', name: repository.name, consequences, statements: [statement] }));
  if (typed === undefined || !confirmationMatches(typed, repository.name)) {
    return { state: 'cancelled', message: `Cancelled: ${typed === undefined ? 'the name was not typed' : `'${typed.trim()}' is not ${repository.name}`}, so nothing was dropped.` };
  }
  deps.log.info(`Drop image repository: ${statement}`);
  const result = await deps.ui.progress(`Dropping image repository ${shown(repository)}…`, () => deps.sessions.execute(connection, statement, { timeoutMs: deps.queryTimeoutMs }));
  if (!result.ok) {
    return refused(deps, connection, repository, result.error, { privilege: 'OWNERSHIP', on: { type: 'IMAGE REPOSITORY', name: repository }, doing: `drop image repository ${shown(repository)}` }, `Image repository ${shown(repository)} was not dropped.`, existing.value.owner);
  }
  deps.changed?.({ scope: 'repositories', connection });
  const count = images === undefined ? undefined : new Set(images.map((image) => image.name)).size;
  const message = `Image repository ${shown(repository)} was dropped${count === undefined ? '' : ` with its ${count} image${count === 1 ? '' : 's'}`}.`;
  deps.log.info(`Drop image repository: ${message}`);
  return { state: 'dropped', repository, images: count, sent: [statement], message };
}
