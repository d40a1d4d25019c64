/**
 * The files next to a project definition: the port through which the pure language service reads them
 * (`ProjectFiles`, implemented with the file system by the LSP server and `spcs-lint`), and where a
 * service entity's `spec_file` is on disk.
 *
 * Must not: touch a file system itself, or guess: a location that depends on globs or on where
 * `{ src, dest }` artifacts land is reported as uncertain, and nothing is claimed about it.
 */

import { isRecord } from './projectDefinition';

/** The files next to a project definition, read by the layer that has a file system (LSP server, CLI). */
export interface ProjectFiles {
  /** The text of the file at a `file:` URI, or undefined when there is none or it cannot be read. */
  readText(uri: string): string | undefined;
}

export interface SpecFileLocation {
  /** The `file:` URI of the spec on disk, when one was found. */
  readonly uri: string | undefined;
  /** The file's text, when it was found. */
  readonly text: string | undefined;
  /**
   * Whether a missing file is certain: the `artifacts` are plain paths (no globs, no `dest`), so the
   * spec is uploaded from the path `spec_file` names. Undefined `uri` with `certain: false` proves nothing.
   */
  readonly certain: boolean;
  /** Where the spec was looked for (for messages). */
  readonly lookedAt: readonly string[];
}

/**
 * Where a service entity's `spec_file` is on disk. `spec_file` is the path on the stage, which the
 * `artifacts` fill: a plain artifact keeps its path relative to the project root (the folder of
 * `snowflake.yml`), `{ src, dest }` moves `src` to `dest`. The candidates are `spec_file` itself and
 * the `src` of an artifact whose `dest` is `spec_file` (or a folder that gets it).
 */
export function resolveSpecFile(projectUri: string, specFile: string, artifacts: unknown, files: ProjectFiles): SpecFileLocation {
  const candidates: string[] = [];
  let certain = true;
  const add = (relative: string): void => {
    const uri = resolveRelative(projectUri, relative);
    if (uri !== undefined && !candidates.includes(uri)) {
      candidates.push(uri);
    }
  };
  if (/^(?:[A-Za-z]:)?[/\\]/.test(specFile) || specFile.startsWith('@')) {
    return { uri: undefined, text: undefined, certain: false, lookedAt: [] };
  }
  add(specFile);
  for (const artifact of Array.isArray(artifacts) ? artifacts : []) {
    if (typeof artifact === 'string') {
      certain &&= !hasGlob(artifact);
      continue;
    }
    if (!isRecord(artifact) || typeof artifact.src !== 'string') {
      certain = false;
      continue;
    }
    const { src } = artifact;
    const dest = typeof artifact.dest === 'string' ? artifact.dest : undefined;
    if (dest === undefined) {
      certain &&= !hasGlob(src);
      continue;
    }
    certain = false;
    if (hasGlob(src)) {
      continue;
    }
    const target = dest.endsWith('/') ? `${trimDot(dest)}${baseName(src)}` : trimDot(dest);
    if (samePath(target, specFile)) {
      add(src);
    }
  }
  if (!Array.isArray(artifacts)) {
    certain = false;
  }
  for (const uri of candidates) {
    const text = files.readText(uri);
    if (text !== undefined) {
      return { uri, text, certain: true, lookedAt: candidates };
    }
  }
  return { uri: undefined, text: undefined, certain, lookedAt: candidates };
}

function hasGlob(path: string): boolean {
  return /[*?[\]{}]/.test(path);
}

function trimDot(path: string): string {
  return path.replace(/^\.\//, '').replace(/^\.$/, '');
}

function baseName(path: string): string {
  return path.replace(/\/+$/, '').split('/').pop() ?? path;
}

function samePath(a: string, b: string): boolean {
  const normalize = (path: string): string => trimDot(path.replace(/\\/g, '/')).replace(/\/+/g, '/');
  return normalize(a) === normalize(b);
}

/** A path relative to the folder of a `file:` URI, as a URI; undefined for other schemes. */
export function resolveRelative(baseUri: string, relative: string): string | undefined {
  if (!baseUri.startsWith('file:')) {
    return undefined;
  }
  try {
    const encoded = relative
      .replace(/\\/g, '/')
      .split('/')
      .map((segment) => encodeURIComponent(segment))
      .join('/');
    return new URL(encoded, baseUri).toString();
  } catch {
    return undefined;
  }
}

/** A `file:` URI as the path users read in messages, relative to the project folder when inside it. */
export function displayPath(projectUri: string, uri: string): string {
  const folder = projectUri.slice(0, projectUri.lastIndexOf('/') + 1);
  const relative = uri.startsWith(folder) ? uri.slice(folder.length) : uri;
  try {
    return decodeURIComponent(relative);
  } catch {
    return relative;
  }
}
