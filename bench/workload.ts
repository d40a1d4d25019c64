/**
 * What the benchmark does to each document: which specs, which one-character edits, and which
 * positions completion and hover are asked at.
 *
 * Owns: choosing the corpus specs (the shared corpus, or the repository's fixtures when it is
 * absent), and deriving from each document's YAML tree the realistic places an editor would ask
 * about: keys inside a container, `protocol` values, memory quantities and volumeMount names, plus
 * the digits inside values that the edits toggle. Both servers get exactly the same work.
 *
 * Must not: talk to a server or time anything.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';

export interface BenchDocument {
  readonly name: string;
  readonly text: string;
  readonly label: string;
}

export interface CorpusSelection {
  readonly documents: readonly BenchDocument[];
  /** Where the documents came from, said in the report. */
  readonly source: string;
}

export const corpusDirectory = '/work/shared/corpus';
/** The labels of specs that are valid spec syntax (current, legacy or with deprecated volumes). */
const benchLabels = ['[OK]', '[LEGACY', '[DEPRECATED'];

export function loadCorpus(repositoryRoot: string): CorpusSelection {
  const specs = join(corpusDirectory, 'specs');
  const manifest = join(corpusDirectory, 'MANIFEST.tsv');
  if (existsSync(specs) && existsSync(manifest)) {
    const documents: BenchDocument[] = [];
    for (const row of readFileSync(manifest, 'utf8').split('\n').slice(1)) {
      const [file, , , , , notes] = row.split('\t');
      if (!file || !notes) {
        continue;
      }
      const label = /^\[[^\]]*\]/.exec(notes)?.[0] ?? '';
      if (benchLabels.some((prefix) => label.startsWith(prefix)) && existsSync(join(specs, file))) {
        documents.push({ name: file, text: readFileSync(join(specs, file), 'utf8'), label });
      }
    }
    return { documents, source: `${documents.length} corpus specs labelled [OK]/[LEGACY-SYNTAX]/[DEPRECATED-V1-STAGE] from ${specs}` };
  }
  const fixtures = join(repositoryRoot, 'test', 'fixtures');
  const documents = existsSync(fixtures)
    ? readdirSync(fixtures, { recursive: true, encoding: 'utf8' })
        .filter((file) => /\.ya?ml$/.test(file))
        .sort()
        .map((file) => ({ name: basename(file), text: readFileSync(join(fixtures, file), 'utf8'), label: 'fixture' }))
        .filter((document) => /^\s*spec\s*:/m.test(document.text))
    : [];
  return { documents, source: `${corpusDirectory} is absent: ${documents.length} sample specs from test/fixtures instead` };
}

export type PositionKind = 'container key' | 'protocol value' | 'memory value' | 'volumeMount name';

export interface ProbePosition {
  readonly kind: PositionKind;
  /** Where hover is asked: inside the key or value. */
  readonly hover: Position;
  /** Where completion is asked: as if the user had typed the first characters of the key or value. */
  readonly completion: Position;
}

export interface DigitEdit {
  readonly position: Position;
  /** The digit there now and the one the edit alternates with. */
  readonly digits: readonly [string, string];
}

export interface DocumentWork {
  readonly positions: readonly ProbePosition[];
  readonly edits: readonly DigitEdit[];
}

const containerListKeys = new Set(['containers', 'container']);
const digitValueKeys = new Set(['port', 'memory', 'cpu', 'size', 'periodSeconds', 'failureThreshold', 'uid', 'gid', 'nvidia.com/gpu']);

/** The realistic request positions and edit points of one document. */
export function analyse(text: string): DocumentWork {
  const textDocument = TextDocument.create('file:///analyse.yaml', 'yaml', 1, text);
  const positions: ProbePosition[] = [];
  const edits: DigitEdit[] = [];
  let document;
  try {
    document = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
  } catch {
    return { positions, edits };
  }
  const probe = (kind: PositionKind, range: readonly [number, number, number] | undefined, typed: number) => {
    if (!range || range[1] <= range[0]) {
      return;
    }
    const [start, end] = range;
    positions.push({
      kind,
      hover: textDocument.positionAt(start + Math.floor((end - start) / 2)),
      completion: textDocument.positionAt(Math.min(end, start + typed)),
    });
  };
  const editDigit = (node: Node | null | undefined, key: string, inEnv: boolean) => {
    if (!isScalar(node) || !node.range || !(digitValueKeys.has(key) || inEnv)) {
      return;
    }
    const source = text.slice(node.range[0], node.range[1]);
    const index = source.search(/\d(?!.*\d)/); // the last digit of the value
    const digit = index >= 0 ? source[index] : undefined;
    if (digit === undefined || index < 0) {
      return;
    }
    const other = String(Number(digit) ^ 1);
    edits.push({ position: textDocument.positionAt(node.range[0] + index), digits: [digit, other] });
  };
  const walk = (node: unknown, path: readonly (string | number)[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) {
          continue;
        }
        const key = String(pair.key.value);
        const parent = path[path.length - 1];
        const grandParent = path[path.length - 2];
        if (typeof parent === 'number' && typeof grandParent === 'string' && containerListKeys.has(grandParent)) {
          probe('container key', pair.key.range ?? undefined, 2);
        } else if (path.length === 2 && path[0] === 'spec' && containerListKeys.has(String(path[1]))) {
          probe('container key', pair.key.range ?? undefined, 2); // legacy `container:` holding one mapping
        }
        const value = pair.value as Node | null;
        if (isScalar(value)) {
          if (key === 'protocol') {
            probe('protocol value', value.range ?? undefined, 1);
          } else if (key === 'memory') {
            probe('memory value', value.range ?? undefined, 1);
          } else if (key === 'name' && path.includes('volumeMounts')) {
            probe('volumeMount name', value.range ?? undefined, 2);
          }
          editDigit(value, key, path[path.length - 1] === 'env');
        }
        walk(value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => walk(item, [...path, index]));
    }
  };
  walk(document.contents, []);
  return { positions, edits };
}

/**
 * `count` items taken round-robin across the kinds present, so that each kind is asked about even
 * when one dominates (a long spec has far more container keys than protocol values).
 */
export function pickVaried(positions: readonly ProbePosition[], count: number): ProbePosition[] {
  const byKind = new Map<PositionKind, ProbePosition[]>();
  for (const position of positions) {
    byKind.set(position.kind, [...(byKind.get(position.kind) ?? []), position]);
  }
  const lists = [...byKind.values()];
  const picked: ProbePosition[] = [];
  for (let round = 0; picked.length < count && lists.length > 0; round++) {
    for (const list of lists) {
      const item = list[round % list.length];
      if (item && picked.length < count) {
        picked.push(item);
      }
    }
  }
  return picked;
}
