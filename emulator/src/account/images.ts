/**
 * Container image references and their resolution against the account's image repositories.
 *
 * Owns: reading `/db/schema/repo/image:tag`, the registry-host form
 * `<org>-<account>.registry.snowflakecomputing.com/db/schema/repo/image:tag`, a relative
 * `repo/image:tag` (resolved against the service's database and schema; the docs leave this open,
 * reference §7.7), `@sha256:` digests and a missing tag (= `latest`); database, schema and repository
 * match case-insensitively (they are unquoted identifiers), the image name too (registries store
 * it lower case), the tag exactly.
 *
 * Decisions (reference §7.7 leaves them open): an image outside the account's registry, or in a
 * repository that does not exist, fails CREATE SERVICE; an image or tag missing from an existing
 * repository is accepted at CREATE and the container then fails with "Failed to pull image"; a
 * malformed name fails the container with "Provided image name uses an invalid format".
 */

import type { ImageRecord, ImageRepositoryRecord, ResolvedImage } from './model';
import { objectKey } from './names';

export type ImageReference =
  | { kind: 'repository'; database: string; schema: string; repository: string; image: string; tag: string; digest?: string; wellFormed: boolean }
  | { kind: 'foreign' }
  | { kind: 'short' };

const registryHost = /^[a-z0-9-]+\.registry(?:-local|-dev)?\.snowflakecomputing\.(?:com|cn)(?::[0-9]+)?$/i;
const identifierPart = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const imageComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function parseImageReference(reference: string, database: string, schema: string): ImageReference {
  let text = reference.trim();
  const segments = text.split('/');
  const first = segments[0] ?? '';
  if (!text.startsWith('/') && segments.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    if (!registryHost.test(first)) {
      return { kind: 'foreign' };
    }
    text = `/${segments.slice(1).join('/')}`;
  }
  let parts: string[];
  if (text.startsWith('/')) {
    parts = text.slice(1).split('/');
    if (parts.length < 4) {
      return { kind: 'short' };
    }
  } else {
    parts = text.split('/');
    if (parts.length === 1) {
      // `nginx:latest`: a Docker Hub image.
      return { kind: 'foreign' };
    }
    if (parts.length === 2) {
      parts = [database, schema, ...parts];
    } else if (parts.length === 3) {
      parts = [database, ...parts];
    }
  }
  const [db = '', sc = '', repo = '', ...rest] = parts;
  let last = rest.join('/');
  let tag = 'latest';
  let digest: string | undefined;
  const at = last.indexOf('@');
  if (at !== -1) {
    digest = last.slice(at + 1);
    last = last.slice(0, at);
  } else {
    const colon = last.lastIndexOf(':');
    if (colon !== -1) {
      tag = last.slice(colon + 1);
      last = last.slice(0, colon);
    }
  }
  const image = last.toLowerCase();
  const wellFormed =
    [db, sc, repo].every((part) => identifierPart.test(part)) &&
    image.length > 0 &&
    image.split('/').every((component) => imageComponent.test(component)) &&
    (digest !== undefined ? /^sha256:[0-9a-f]{64}$/.test(digest) : tagPattern.test(tag));
  return {
    kind: 'repository',
    database: db.toUpperCase(),
    schema: sc.toUpperCase(),
    repository: repo.toUpperCase(),
    image,
    tag,
    ...(digest !== undefined ? { digest } : {}),
    wellFormed,
  };
}

export function repositoryKey(reference: { database: string; schema: string; repository: string }): string {
  return objectKey({ database: reference.database, schema: reference.schema, name: reference.repository });
}

/** The registry path of a repository, as `repository_url` and image paths show it. */
export function repositoryPath(repository: Pick<ImageRepositoryRecord, 'database' | 'schema' | 'name'>): string {
  return `${repository.database}/${repository.schema}/${repository.name}`.toLowerCase();
}

export function findImage(repository: ImageRepositoryRecord, image: string, tag: string, digest?: string): ImageRecord | undefined {
  const name = image.toLowerCase();
  return repository.images.find((record) => record.name === name && (digest !== undefined ? record.digest === digest : record.tags.includes(tag)));
}

/** Resolves a well-formed or malformed reference in an existing repository. */
export function resolveInRepository(
  reference: Extract<ImageReference, { kind: 'repository' }>,
  text: string,
  repository: ImageRepositoryRecord | undefined,
): ResolvedImage {
  const path = `${reference.database}/${reference.schema}/${reference.repository}/${reference.image}`.toLowerCase();
  if (!reference.wellFormed) {
    return { reference: text, path, tag: reference.tag, problem: 'invalid-format' };
  }
  const found = repository ? findImage(repository, reference.image, reference.tag, reference.digest) : undefined;
  if (!found) {
    return { reference: text, path, tag: reference.tag, problem: 'missing' };
  }
  return { reference: text, path, tag: reference.tag, digest: found.digest };
}
