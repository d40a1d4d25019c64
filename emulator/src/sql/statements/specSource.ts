/**
 * Getting a service specification from a statement and checking it the way Snowflake does at
 * CREATE SERVICE, ALTER SERVICE … FROM and EXECUTE JOB SERVICE.
 *
 * Owns: reading the spec (inline `$$…$$` / `'…'`, or a file on an emulated stage), rendering
 * templates with USING, running the language service on it (every error-severity diagnostic rejects
 * the spec; so does an unknown field, because Snowflake rejects unknown options with "Invalid spec:
 * unknown option 'x' for 'spec'."), then the language service's one fit (`fitSpecToFamily`, through
 * `capacityDiagnostics` for its words) against the pool's family as this account offers it (GPUs on
 * a CPU family, requests that can never fit on a node), and the account checks the language service
 * cannot make: images in the account's repositories, referenced secrets, stage volumes,
 * BIND SERVICE ENDPOINT for public endpoints, external access integrations.
 */

import { parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { capacityDiagnostics, nodeRange, specLanguageId } from '../../../../server/src/service';
import { sha256Hex } from '../../account/hashing';
import { parseImageReference, repositoryKey, resolveInRepository } from '../../account/images';
import type { ComputePoolRecord, ResolvedImage, SpecVersion, StageRecord } from '../../account/model';
import { displayName, objectKey, parseDottedName, type QualifiedName } from '../../account/names';
import { readSpec } from '../../account/specs';
import { MissingTemplateVariable, renderTemplate, type TemplateValue } from '../../account/templates';
import type { SpecSource, StageReference } from '../ast';
import { resolveObjectName, type StatementContext } from '../context';
import { poolFamily } from './instanceFamilies';
import { SqlErrors } from '../errors';

export interface SpecTarget {
  /** The service's database and schema: relative names in the spec resolve against them. */
  readonly database: string;
  readonly schema: string;
  readonly pool: ComputePoolRecord;
  readonly operation: string;
}

/** Finds a stage for reading: it must exist and the role needs READ (or WRITE/OWNERSHIP). */
export function readableStage(ctx: StatementContext, reference: StageReference, operation: string): StageRecord {
  const name = resolveObjectName(ctx, reference.name, operation);
  const key = objectKey(name);
  const stage = ctx.store.state.stages[key];
  if (!stage || !ctx.access.canSee('STAGE', key)) {
    throw SqlErrors.doesNotExist('Stage', key);
  }
  if (!ctx.access.has('STAGE', key, 'READ', 'WRITE', 'USAGE')) {
    throw SqlErrors.insufficientPrivileges(`stage '${key}'`);
  }
  return stage;
}

function normalizePath(path: string): string {
  return path
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

function specText(ctx: StatementContext, source: SpecSource, operation: string): string {
  if (source.inline !== undefined) {
    return source.inline;
  }
  const reference = source.stage as StageReference;
  const stage = readableStage(ctx, reference, operation);
  const path = normalizePath(`${reference.path}/${source.file ?? ''}`);
  const file = stage.files.find((candidate) => normalizePath(candidate.path) === path);
  if (!file) {
    throw SqlErrors.stageFileNotFound(displayName(stage), path);
  }
  return file.content;
}

/** The spec text after template rendering. */
export function renderSpec(ctx: StatementContext, source: SpecSource, using: ReadonlyMap<string, TemplateValue> | undefined, operation: string): string {
  const text = specText(ctx, source, operation);
  if (!source.template && using === undefined) {
    return text;
  }
  try {
    return renderTemplate(text, using ?? new Map());
  } catch (error) {
    if (error instanceof MissingTemplateVariable) {
      throw SqlErrors.templateVariableMissing(error.variable);
    }
    throw error;
  }
}

/** A `# spcs: instance-family=…` modeline must not override the pool's family. */
function withoutModeline(text: string): string {
  return text.replace(/^(\s*#\s*)spcs(\s*:)/gim, '$1spcs-emulator-ignored$2');
}

export function validateSpecText(ctx: StatementContext, text: string, pool: ComputePoolRecord): void {
  const uri = `spcs-emulator:///spec/${ctx.store.nextSequence()}.yaml`;
  const document = TextDocument.create(uri, specLanguageId, 1, withoutModeline(text));
  try {
    // The spec on its own first (no family: the pool's own capacity is judged below).
    const rejected = ctx.languageService.validate(document).find((diagnostic) => diagnostic.severity === 1 || isUnknownOption(diagnostic, text));
    if (rejected) {
      throw SqlErrors.invalidSpec(describeDiagnostic(rejected, text));
    }
    // Then whether it fits a node of the pool's family as this account offers it: the one fit,
    // worded as the language service words it.
    const family = poolFamily(ctx, pool.instanceFamily);
    const doc = ctx.languageService.parse(document);
    if (family && doc.spec) {
      const { fit, diagnostics } = capacityDiagnostics(doc, family);
      const problem = fit.fits === 'no' ? diagnostics.find((diagnostic) => diagnostic.code !== 'spcs/limit-capped') : undefined;
      if (problem) {
        const range = problem.at === undefined || ('start' in problem.at && 'end' in problem.at) ? problem.at : nodeRange(doc, problem.at);
        throw SqlErrors.invalidSpec(describeProblem(problem.message, range?.start.line ?? 0));
      }
    }
  } finally {
    ctx.languageService.forget(uri);
  }
}

function isUnknownOption(diagnostic: Diagnostic, text: string): boolean {
  // DESCRIBE SERVICE adds `sha256` to containers; specs copied from it must still be accepted.
  return diagnostic.code === 'spcs/unknown-key' && keyAt(text, diagnostic)?.key !== 'sha256';
}

function offsetOf(text: string, line: number, character: number): number {
  let offset = 0;
  for (let current = 0; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return offset + character;
}

/** The mapping key at a diagnostic's start and the path of the mapping that holds it. */
function keyAt(text: string, diagnostic: Diagnostic): { key: string; path: string } | undefined {
  const offset = offsetOf(text, diagnostic.range.start.line, diagnostic.range.start.character);
  const document = parseDocument(text);
  const search = (node: Node | null | undefined, path: string): { key: string; path: string } | undefined => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        const keyText = isScalar(key) ? String(key.value) : '';
        if (isScalar(key) && key.range?.[0] === offset) {
          return { key: keyText, path };
        }
        const found = search(pair.value as Node | null, path === '' ? keyText : `${path}.${keyText}`);
        if (found) return found;
      }
    } else if (isSeq(node)) {
      for (let index = 0; index < node.items.length; index++) {
        const found = search(node.items[index] as Node | null, `${path}[${index}]`);
        if (found) return found;
      }
    }
    return undefined;
  };
  return search(document.contents, '');
}

/** Snowflake-style detail: `unknown option 'foo' for 'containers[0]'.`, or the language service's message. */
function describeDiagnostic(diagnostic: Diagnostic, text: string): string {
  if (diagnostic.code === 'spcs/unknown-key') {
    const at = keyAt(text, diagnostic);
    if (at) {
      const path = at.path.startsWith('spec.') ? at.path.slice('spec.'.length) : at.path;
      return path === '' ? `unknown option '${at.key}'.` : `unknown option '${at.key}' for '${path}'.`;
    }
  }
  return describeProblem(diagnostic.message, diagnostic.range.start.line);
}

/** `<message> (line N)`, N 1-based, names quoted plainly. */
function describeProblem(message: string, line: number): string {
  return `${message.replace(/`([^`]*)`/g, "'$1'")} (line ${line + 1})`;
}

/** Resolves a name written inside a spec (secret, stage) against the service's database and schema. */
function specObjectName(text: string, target: SpecTarget): QualifiedName | undefined {
  const parts = parseDottedName(text);
  if (!parts) return undefined;
  if (parts.length === 3) return { database: parts[0] as string, schema: parts[1] as string, name: parts[2] as string };
  if (parts.length === 2) return { database: target.database, schema: parts[0] as string, name: parts[1] as string };
  return { database: target.database, schema: target.schema, name: parts[0] as string };
}

function resolveImages(ctx: StatementContext, version: { spec: NonNullable<ReturnType<typeof readSpec>> }, target: SpecTarget): ResolvedImage[] {
  return version.spec.containers.map((container) => {
    const reference = parseImageReference(container.image, target.database, target.schema);
    if (reference.kind !== 'repository') {
      throw SqlErrors.invalidSpec(
        `invalid image '${container.image}' for container '${container.name}': images must be pushed to an image repository of this account and written as /<database>/<schema>/<repository>/<image>:<tag>.`,
      );
    }
    const key = repositoryKey(reference);
    const repository = ctx.store.state.imageRepositories[key];
    if (reference.wellFormed) {
      if (!repository || !ctx.access.canSee('IMAGE_REPOSITORY', key)) {
        throw SqlErrors.doesNotExist('Image repository', key);
      }
      if (!ctx.access.has('IMAGE_REPOSITORY', key, 'READ', 'WRITE')) {
        throw SqlErrors.insufficientPrivileges(`image repository '${key}'`);
      }
    }
    return resolveInRepository(reference, container.image, repository);
  });
}

function checkReferences(ctx: StatementContext, spec: NonNullable<ReturnType<typeof readSpec>>, target: SpecTarget): void {
  for (const container of spec.containers) {
    for (const secretName of container.secrets) {
      const name = specObjectName(secretName, target);
      const key = name ? objectKey(name) : secretName;
      if (!name || !ctx.store.state.secrets[key] || !ctx.access.canSee('SECRET', key)) {
        throw SqlErrors.doesNotExist('Secret', key);
      }
      if (!ctx.access.has('SECRET', key, 'READ', 'USAGE')) {
        throw SqlErrors.insufficientPrivileges(`secret '${key}'`);
      }
    }
  }
  for (const volume of spec.volumes) {
    if (volume.stage === undefined) continue;
    const text = volume.stage.replace(/^@/, '');
    const slash = text.indexOf('/');
    const name = specObjectName(slash === -1 ? text : text.slice(0, slash), target);
    const key = name ? objectKey(name) : text;
    if (!name || !ctx.store.state.stages[key] || !ctx.access.canSee('STAGE', key)) {
      throw SqlErrors.doesNotExist('Stage', key);
    }
  }
  if (spec.endpoints.some((endpoint) => endpoint.isPublic) && !ctx.access.hasOnAccount('BIND SERVICE ENDPOINT')) {
    throw SqlErrors.insufficientPrivileges(
      `account '${ctx.store.state.name}'. A service with a public endpoint needs the BIND SERVICE ENDPOINT privilege on the account`,
    );
  }
}

/** Reads, renders and checks a spec; returns the version to record on the service. */
export function prepareSpec(
  ctx: StatementContext,
  source: SpecSource,
  using: ReadonlyMap<string, TemplateValue> | undefined,
  target: SpecTarget,
): SpecVersion {
  const text = renderSpec(ctx, source, using, target.operation);
  validateSpecText(ctx, text, target.pool);
  const spec = readSpec(text);
  if (!spec || spec.containers.length === 0) {
    throw SqlErrors.invalidSpec("missing 'spec.containers'.");
  }
  checkReferences(ctx, spec, target);
  const images = resolveImages(ctx, { spec }, target);
  return { text, spec, digest: sha256Hex(text), images };
}
