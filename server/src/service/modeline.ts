/**
 * The `# spcs: key=value …` modeline: settings a spec carries about where it runs.
 *
 * Owns: finding the modeline comment and reading its keys, with the exact position of each value
 * (for diagnostics, hover and completion on it). Keys: `instance-family` (also `instance_family`,
 * `instanceFamily`), `pool` (also `compute-pool`), `connection` and `warehouse`; several may share a
 * line, separated by spaces or commas, and they may be spread over several modeline lines.
 *
 * The modeline is searched for in the first 20 lines and, beyond them, for as long as the document
 * still consists of its leading comment block. For each key the first non-empty value wins.
 *
 * Must not: validate the values (callers look them up), or read anything but the text.
 */

export type ModelineKey = 'instanceFamily' | 'pool' | 'connection' | 'warehouse';

export interface ModelineValue {
  /** The value as written, without quotes. */
  readonly value: string;
  /** 0-based position of the value text (without quotes); characters are UTF-16 code units, as in LSP. */
  readonly range: { readonly line: number; readonly startCharacter: number; readonly endCharacter: number };
}

export type Modeline = Partial<Record<ModelineKey, ModelineValue>>;

/** How many lines from the top are always searched; beyond that only a leading comment block is. */
const searchLines = 20;
const modelinePattern = /^\s*#\s*spcs\s*:(.*)$/i;
const pairPattern = /(?:^|[\s,])(instance[-_]?family|compute[-_]?pool|pool|connection|warehouse)\s*[=:]\s*(?:"([^"]*)"|'([^']*)'|([^\s,"']+))/gi;

function keyOf(written: string): ModelineKey {
  const lower = written.toLowerCase().replace(/[-_]/g, '');
  if (lower === 'instancefamily') return 'instanceFamily';
  if (lower === 'pool' || lower === 'computepool') return 'pool';
  return lower === 'connection' ? 'connection' : 'warehouse';
}

export function parseModeline(text: string): Modeline {
  const result: { -readonly [key in ModelineKey]?: ModelineValue } = {};
  let lineStart = 0;
  let inLeadingBlock = true;
  for (let line = 0; lineStart <= text.length; line++) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const content = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    lineStart = lineEnd + 1;
    const trimmed = content.trim();
    const isComment = trimmed.startsWith('#');
    if (!isComment && trimmed !== '' && trimmed !== '---' && !trimmed.startsWith('%')) {
      inLeadingBlock = false;
    }
    if (line >= searchLines && !inLeadingBlock) {
      break;
    }
    if (isComment) {
      readLine(content, line, result);
    }
    if (newline === -1) {
      break;
    }
  }
  return result;
}

function readLine(content: string, line: number, into: { -readonly [key in ModelineKey]?: ModelineValue }): void {
  const settings = modelinePattern.exec(content)?.[1];
  if (settings === undefined) {
    return;
  }
  const settingsStart = content.length - settings.length;
  for (const pair of settings.matchAll(pairPattern)) {
    const key = keyOf(pair[1] ?? '');
    const value = pair[2] ?? pair[3] ?? pair[4];
    if (value === undefined || value === '' || into[key]) {
      continue;
    }
    // The value is the last thing the pair matched, minus a closing quote if it was quoted.
    const closingQuote = pair[4] === undefined ? 1 : 0;
    const endCharacter = settingsStart + (pair.index ?? 0) + pair[0].length - closingQuote;
    into[key] = { value, range: { line, startCharacter: endCharacter - value.length, endCharacter } };
  }
}
