/**
 * Deciding from a YAML document's text whether it is an SPCS service specification, without parsing
 * it: the client runs this on every YAML document that opens, during activation, so it must be cheap.
 * A spec has a top-level `spec:` key with `containers:` (or the legacy `container:`) directly below.
 *
 * Pure (no `vscode` import) so that it is unit-tested on its own; the server makes the same decision
 * from the parsed document, so a miss here only costs the spec-specific highlighting.
 */

const maxLinesScanned = 400;

export function looksLikeSpec(text: string): boolean {
  const lines = text.split(/\r?\n/, maxLinesScanned);
  // Specs embedded in SQL or Markdown are often indented as a whole: the first key sets the level.
  let topIndent: number | undefined;
  let inSpec = false;
  let childIndent: number | undefined;
  for (const line of lines) {
    if (/^\s*(#.*)?$/.test(line) || line.startsWith('---')) {
      continue;
    }
    const indent = line.length - line.trimStart().length;
    topIndent ??= indent;
    if (indent <= topIndent) {
      inSpec = /^\s*spec\s*:\s*(#.*)?$/.test(line);
      childIndent = undefined;
      continue;
    }
    if (!inSpec) {
      continue;
    }
    childIndent ??= indent;
    if (indent === childIndent && /^\s*containers?\s*:(\s|$)/.test(line)) {
      return true;
    }
  }
  return false;
}
