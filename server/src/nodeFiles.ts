/**
 * The `ProjectFiles` port of the language service, backed by the file system: how the LSP server and
 * `spcs-lint` let a project definition (`snowflake.yml`) look at the spec files it names.
 *
 * Owns: reading a `file:` URI synchronously (the language service is synchronous; spec files are a
 * few kilobytes), preferring the editor's unsaved text of an open document, and refusing what is not a
 * small regular file. Any failure (no such file, a folder, no permission, another scheme) reads as
 * "no file": a missing file is something to report, never an error of the server.
 */

import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ProjectFiles } from './service/project/projectFiles';

/** Larger files are not spec files: they are not read. */
const maxFileBytes = 1024 * 1024;

export function fileSystemProjectFiles(openText: (uri: string) => string | undefined = () => undefined): ProjectFiles {
  return {
    readText(uri: string): string | undefined {
      const open = openText(uri);
      if (open !== undefined) {
        return open;
      }
      if (!uri.startsWith('file:')) {
        return undefined;
      }
      try {
        const path = fileURLToPath(uri);
        const info = statSync(path);
        return info.isFile() && info.size <= maxFileBytes ? readFileSync(path, 'utf8') : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
