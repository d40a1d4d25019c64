/**
 * Go to definition, find references and rename for the names a spec refers to by name: volumes
 * (defined in `spec.volumes[].name`, referred to by `containers[].volumeMounts[].name`) and endpoints
 * (defined in `spec.endpoints[].name`, referred to by `serviceRoles[].endpoints[]`).
 *
 * Owns: the index of those definitions and references (read from the normalized lists of the parsed
 * document, so the legacy singular keys count too), the name rule a rename must keep, and rename edits
 * that touch only the text inside a scalar's quotes, so the user's quoting style survives.
 *
 * A templated name (`{{ volume_name }}`) is neither a definition nor a reference: what it will be is
 * only known when Snowflake renders the template.
 */

import type { Location, Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { isScalar, type Scalar } from 'yaml';
import { UserFacingError } from './errors';
import {
  getScalar,
  getSeq,
  isTemplated,
  mapItems,
  nodeOffsets,
  offsetsToRange,
  positionToOffset,
  type SpecDocument,
} from './specDocument';

type NameKind = 'volume' | 'endpoint';

interface Occurrence {
  readonly kind: NameKind;
  readonly name: string;
  readonly node: Scalar;
  readonly isDefinition: boolean;
}

/** The rule of reference §1.2 for container, endpoint and volume names. */
const namePattern = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

function occurrences(doc: SpecDocument): Occurrence[] {
  const result: Occurrence[] = [];
  for (const volume of doc.lists.volumes) {
    if (volume.name !== undefined && volume.nameNode) {
      result.push({ kind: 'volume', name: volume.name, node: volume.nameNode, isDefinition: true });
    }
  }
  for (const endpoint of doc.lists.endpoints) {
    if (endpoint.name !== undefined && endpoint.nameNode) {
      result.push({ kind: 'endpoint', name: endpoint.name, node: endpoint.nameNode, isDefinition: true });
    }
  }
  for (const container of doc.lists.containers) {
    for (const mount of mapItems(getSeq(container.node, 'volumeMounts'))) {
      const reference = plainName(doc, getScalar(mount, 'name'));
      if (reference) {
        result.push({ kind: 'volume', name: reference.value, node: reference.node, isDefinition: false });
      }
    }
  }
  for (const role of doc.lists.serviceRoles) {
    for (const item of getSeq(role.node, 'endpoints')?.items ?? []) {
      const reference = plainName(doc, item);
      if (reference) {
        result.push({ kind: 'endpoint', name: reference.value, node: reference.node, isDefinition: false });
      }
    }
  }
  return result;
}

function plainName(doc: SpecDocument, node: unknown): { node: Scalar; value: string } | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || isTemplated(doc, node)) {
    return undefined;
  }
  return { node, value: node.value };
}

/** The range of a scalar's text inside its quotes (the whole scalar when it is plain). */
function innerRange(doc: SpecDocument, node: Scalar): Range | undefined {
  const offsets = nodeOffsets(node);
  if (!offsets) {
    return undefined;
  }
  const [start, end] = offsets;
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  return quoted && end - start >= 2 ? offsetsToRange(doc, start + 1, end - 1) : offsetsToRange(doc, start, end);
}

function occurrenceAt(doc: SpecDocument, position: Position): { target: Occurrence; all: Occurrence[] } | undefined {
  const offset = positionToOffset(doc, position);
  const all = occurrences(doc);
  const target = all.find((occurrence) => {
    const offsets = nodeOffsets(occurrence.node);
    return offsets !== undefined && offsets[0] <= offset && offset <= offsets[1];
  });
  return target ? { target, all } : undefined;
}

function sameName(target: Occurrence): (occurrence: Occurrence) => boolean {
  return (occurrence) => occurrence.kind === target.kind && occurrence.name === target.name;
}

function toLocations(doc: SpecDocument, list: readonly Occurrence[]): Location[] {
  const uri = doc.textDocument.uri;
  const result: Location[] = [];
  for (const occurrence of list) {
    const range = innerRange(doc, occurrence.node);
    if (range) {
      result.push({ uri, range });
    }
  }
  return result;
}

/** On a volume mount's `name` or a service role's endpoint: the volume or endpoint it names. */
export function findDefinition(doc: SpecDocument, position: Position): Location[] {
  const found = occurrenceAt(doc, position);
  if (!found) {
    return [];
  }
  return toLocations(doc, found.all.filter((occurrence) => occurrence.isDefinition && sameName(found.target)(occurrence)));
}

/** Every reference to the volume or endpoint under the cursor (from its definition or a reference). */
export function findReferences(doc: SpecDocument, position: Position, includeDeclaration: boolean): Location[] {
  const found = occurrenceAt(doc, position);
  if (!found) {
    return [];
  }
  const matches = found.all.filter((occurrence) => sameName(found.target)(occurrence) && (includeDeclaration || !occurrence.isDefinition));
  return toLocations(doc, matches);
}

/** The name under the cursor if it can be renamed (null: nothing renamable here, as LSP expects). */
export function prepareRename(doc: SpecDocument, position: Position): { range: Range; placeholder: string } | null {
  const found = occurrenceAt(doc, position);
  const range = found ? innerRange(doc, found.target.node) : undefined;
  return found && range ? { range, placeholder: found.target.name } : null;
}

/**
 * Renames a volume or an endpoint everywhere in the spec. Throws `UserFacingError` when the new name
 * breaks the naming rule or is already taken by another volume (endpoint): the rename would turn a
 * valid spec into one that CREATE SERVICE rejects.
 */
export function rename(doc: SpecDocument, position: Position, newName: string): WorkspaceEdit | null {
  const found = occurrenceAt(doc, position);
  if (!found) {
    return null;
  }
  const { target, all } = found;
  if (!namePattern.test(newName)) {
    throw new UserFacingError(
      `"${newName}" is not a valid ${target.kind} name: use at most 63 lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit.`,
    );
  }
  if (newName !== target.name && all.some((occurrence) => occurrence.isDefinition && occurrence.kind === target.kind && occurrence.name === newName)) {
    throw new UserFacingError(`The spec already has a ${target.kind} named "${newName}"; ${target.kind} names must be unique.`);
  }
  const edits: TextEdit[] = [];
  if (newName !== target.name) {
    for (const occurrence of all.filter(sameName(target))) {
      const range = innerRange(doc, occurrence.node);
      if (range) {
        edits.push({ range, newText: newName });
      }
    }
  }
  return { changes: { [doc.textDocument.uri]: edits } };
}
