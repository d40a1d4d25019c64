/**
 * An in-memory `ProjectFiles` for the project definition tests: the files of `file:///work/project/`,
 * by path relative to it, as the LSP server would read them from disk.
 */

import type { ProjectFiles } from '../../../server/src/service/project/projectFiles';

export const projectFolder = 'file:///work/project';

export function memoryFiles(files: Readonly<Record<string, string>>): ProjectFiles {
  return { readText: (uri: string) => (uri.startsWith(`${projectFolder}/`) ? files[uri.slice(projectFolder.length + 1)] : undefined) };
}
