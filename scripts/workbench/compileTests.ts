/**
 * Compiles what runs inside the extension host (it loads JavaScript) with esbuild: the mocha suites of
 * test/extension into out/test/extension, and the activation probe of test/exthost into
 * out/test/exthost. Each file is its own bundle; `vscode` comes from the host and `mocha` from the
 * project's node_modules, so every suite shares the one mocha instance that `index.js` runs.
 */

import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

export const repositoryRoot = path.resolve(__dirname, '..', '..');
export const extensionTestsOut = path.join(repositoryRoot, 'out', 'test', 'extension');
export const exthostProbeOut = path.join(repositoryRoot, 'out', 'test', 'exthost');

const common: esbuild.BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
};

export async function compileExtensionTests(): Promise<void> {
  const source = path.join(repositoryRoot, 'test', 'extension');
  const entries = readdirSync(source)
    .filter((name) => name === 'index.ts' || name.endsWith('.test.ts'))
    .map((name) => path.join(source, name));
  await esbuild.build({ ...common, entryPoints: entries, outdir: extensionTestsOut });
}

export async function compileActivationProbe(): Promise<void> {
  await esbuild.build({
    ...common,
    entryPoints: { index: path.join(repositoryRoot, 'test', 'exthost', 'activationProbe.ts') },
    outdir: exthostProbeOut,
  });
}
