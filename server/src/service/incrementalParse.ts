/**
 * Re-parsing a spec after an edit that stays inside one plain scalar, without running the YAML parser
 * over the whole text.
 *
 * Owns: recognizing such an edit (most keystrokes: a digit of a port, a letter of a name, a key being
 * typed) and producing the new version's parsed document from the previous one: the edited scalar gets
 * the value a full parse would give it (it is resolved by the YAML parser on its own, so `8000`, `true`,
 * `0x1F` and `1e3` read exactly as in a full parse) and every offset after the edit moves by the
 * edit's length. The parser allocates about 1.4 MB for a 100-line spec; this path allocates almost
 * nothing, which keeps the keystroke path free of garbage-collection pauses.
 *
 * The previous document is consumed: its tree becomes the new document's tree. Only the language
 * service's cache calls this, with the parse of the version just before, which nothing else holds.
 *
 * Anything else goes to a full parse (undefined is returned): a document with parse errors or several
 * YAML documents; an edit that touches anything but one single-line plain scalar, or a templated one;
 * new text that YAML could read as more than a plain scalar (an indicator at its start, `: `, ` #`,
 * flow punctuation, quotes, a tab); an edit after which the template placeholders are not the same
 * ones, moved. A test compares this path with a full parse on thousands of edits.
 */

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, Scalar, type Document, type Node } from 'yaml';
import { assembleSpecDocument, maxDocumentLength, type SpecDocument } from './specDocument';
import { maskPlaceholders, type Placeholder } from './templates';

/** What a plain scalar written in one line may hold for this path: no YAML indicator can appear. */
const safeScalar = /^[A-Za-z0-9_./+=()~^-](?:[A-Za-z0-9_./+=()~^@:-]| (?![ #]))*$/;

export function reparseScalarEdit(previous: SpecDocument, next: TextDocument): SpecDocument | undefined {
  const yaml = previous.yaml;
  if (
    !yaml ||
    previous.extraDocuments.length > 0 ||
    previous.notParsed ||
    yaml.errors.length > 0 ||
    yaml.warnings.length > 0
  ) {
    return undefined;
  }
  const oldText = previous.text;
  const newText = next.getText();
  if (newText.length > maxDocumentLength || newText === oldText) {
    return undefined;
  }
  // The changed region: [start, oldEnd) of the old text became [start, newEnd) of the new one.
  const shorter = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start < shorter && oldText.charCodeAt(start) === newText.charCodeAt(start)) {
    start++;
  }
  let suffix = 0;
  while (suffix < shorter - start && oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)) {
    suffix++;
  }
  const oldEnd = oldText.length - suffix;
  const delta = newText.length - oldText.length;
  const target = scalarAround(yaml, start, oldEnd);
  if (!target || target.scalar.type !== Scalar.PLAIN || target.scalar.tag !== undefined) {
    return undefined;
  }
  const range = target.scalar.range;
  if (!range) {
    return undefined;
  }
  const oldSource = oldText.slice(range[0], range[1]);
  const newSource = newText.slice(range[0], range[1] + delta);
  if (!safeScalar.test(oldSource) || !safeScalar.test(newSource) || newSource.endsWith(':') || newSource.includes('__')) {
    return undefined;
  }
  if (target.inFlow && newSource.includes(':')) {
    return undefined;
  }
  if (range[0] === lineStartOf(newText, range[0]) && (newSource.startsWith('---') || newSource.startsWith('...'))) {
    return undefined; // A document marker.
  }
  const resolved = resolvePlainScalar(newSource);
  if (!resolved) {
    return undefined;
  }
  // The placeholders must be the same ones, moved: an edit can make one (`{a b}` becomes `{ab}`).
  const masked = maskPlaceholders(newText);
  if (!samePlaceholders(previous.placeholders, masked.placeholders, start, delta, range[0], range[1])) {
    return undefined;
  }
  // Nothing can fail from here: the previous tree becomes the new one.
  const scalar = target.scalar;
  scalar.value = resolved.value;
  scalar.source = resolved.source;
  setOptional(scalar, 'format', resolved.format);
  setOptional(scalar, 'minFractionDigits', resolved.minFractionDigits);
  shiftNode(yaml.contents, { start, oldEnd, delta, around: target.around });
  yaml.range[1] += delta;
  yaml.range[2] += delta;
  const lineStarts = previous.lineCounter.lineStarts;
  for (let index = 0; index < lineStarts.length; index++) {
    const offset = lineStarts[index] ?? 0;
    if (offset > start) {
      lineStarts[index] = offset + delta;
    }
  }
  return assembleSpecDocument(next, masked, [yaml], previous.lineCounter, undefined);
}

/**
 * Whether `after` is `before` with every placeholder past the edit moved by `delta`, and none of them
 * touches the edited scalar (a templated value is not re-resolved here).
 */
function samePlaceholders(before: readonly Placeholder[], after: readonly Placeholder[], start: number, delta: number, scalarStart: number, scalarEnd: number): boolean {
  if (before.length !== after.length) {
    return false;
  }
  for (let index = 0; index < before.length; index++) {
    const old = before[index];
    const now = after[index];
    if (!old || !now || old.kind !== now.kind || old.dialect !== now.dialect || old.certain !== now.certain) {
      return false;
    }
    if (old.start < scalarEnd && scalarStart < old.end) {
      return false;
    }
    const moved = old.start > start ? delta : 0;
    if (now.start !== old.start + moved || now.end !== old.end + moved) {
      return false;
    }
  }
  return true;
}

interface ScalarTarget {
  readonly scalar: Scalar;
  /** Inside a flow collection (`[a, b]`, `{a: b}`), where `:` and `,` mean more. */
  readonly inFlow: boolean;
  /** The scalar and the collections that hold it: the nodes whose end moves with an edit at its end. */
  readonly around: ReadonlySet<unknown>;
}

/** The scalar whose value span contains [start, end), searched along the nodes that contain it. */
function scalarAround(yaml: Document.Parsed, start: number, end: number): ScalarTarget | undefined {
  let node: unknown = yaml.contents;
  let inFlow = false;
  const around = new Set<unknown>();
  for (let depth = 0; depth < 1000; depth++) {
    around.add(node);
    if (isScalar(node)) {
      const range = node.range;
      return range && range[0] <= start && end <= range[1] ? { scalar: node, inFlow, around } : undefined;
    }
    if (isAlias(node)) {
      return undefined;
    }
    let child: unknown;
    if (isMap(node) || isSeq(node)) {
      inFlow ||= node.flow === true;
      for (const item of node.items) {
        const parts = isPair(item) ? [item.key, item.value] : [item];
        for (const part of parts) {
          const range = (part as Node | null)?.range;
          if (range && range[0] <= start && end <= range[1]) {
            child = part;
          }
        }
      }
    }
    if (child === undefined) {
      return undefined;
    }
    node = child;
  }
  return undefined;
}

/** The value, source and format YAML gives a plain scalar written alone, or undefined if it is more than one. */
function resolvePlainScalar(source: string): Pick<Scalar, 'value' | 'source' | 'format' | 'minFractionDigits'> | undefined {
  let document: Document.Parsed;
  try {
    document = parseDocument(source, { version: '1.2', prettyErrors: false, uniqueKeys: false });
  } catch (error) {
    // A scalar edited into thousands of `x: x: …` overflows the parser's stack: the full parse decides.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  const contents = document.contents;
  if (document.errors.length > 0 || document.warnings.length > 0 || !isScalar(contents) || contents.type !== Scalar.PLAIN || contents.source !== source) {
    return undefined;
  }
  if (contents.comment !== undefined || contents.commentBefore !== undefined || contents.tag !== undefined) {
    return undefined;
  }
  return { value: contents.value, source: contents.source, format: contents.format, minFractionDigits: contents.minFractionDigits };
}

function setOptional<K extends 'format' | 'minFractionDigits'>(scalar: Scalar, key: K, value: Scalar[K]): void {
  if (value === undefined) {
    delete scalar[key];
  } else {
    scalar[key] = value;
  }
}

interface Shift {
  readonly start: number;
  readonly oldEnd: number;
  readonly delta: number;
  readonly around: ReadonlySet<unknown>;
}

/**
 * Moves every offset after the edit by `delta`. An offset equal to the edit's end moves only where it
 * ends the edited scalar or a collection holding it (a collection that ends on the line before an
 * insertion does not grow); the start of a node that begins where an insertion was made stays.
 */
function shiftNode(node: unknown, shift: Shift): void {
  if (isPair(node)) {
    shiftNode(node.key, shift);
    shiftNode(node.value, shift);
    return;
  }
  if (!node || typeof node !== 'object' || !('range' in node)) {
    return;
  }
  const { start, oldEnd, delta } = shift;
  const range = (node as Node).range;
  if (range) {
    if (range[0] > start && range[0] >= oldEnd) {
      range[0] += delta;
    }
    const holdsEdit = shift.around.has(node);
    for (const index of [1, 2] as const) {
      if (range[index] > oldEnd || (range[index] === oldEnd && holdsEdit)) {
        range[index] += delta;
      }
    }
  }
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items) {
      shiftNode(item, shift);
    }
  }
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
