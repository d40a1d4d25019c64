/**
 * The package a user installs: `npm run package` builds a VSIX that holds the minified bundles and what
 * the manifest points at, and nothing else (no tests, sources, source maps or node_modules trees).
 */

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { repositoryRoot } from '../../scripts/workbench/compileTests';
import { extractVsixExtension, listVsix, vsixSize } from '../../scripts/workbench/vsix';
import { ensureVsix } from './workbench';

const maxVsixBytes = 8 * 1024 * 1024;

/** Everything that may ship, as patterns over the VSIX entry names. */
const allowed = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/(readme|changelog)\.md$/i,
  /^extension\/LICENSE(\.txt|\.md)?$/i,
  /^extension\/language-configuration\.json$/,
  /^extension\/dist\/client\/(extension|languageClient)\.js$/,
  // The account features, the snowflake-sdk driver and the local emulator: bundles loaded on first use.
  /^extension\/dist\/client\/(features|snowflakeSdk)\.js$/,
  /^extension\/dist\/emulator\/emulator\.js$/,
  // The activity bar icon of the Snowpark Containers views.
  /^extension\/media\/[\w.-]+\.svg$/,
  /^extension\/dist\/server\/server\.js$/,
  // The metrics panel's page: its script and stylesheet (uPlot inside), loaded by the webview.
  /^extension\/dist\/webview\/metricsView\.(js|css)$/,
  /^extension\/syntaxes\/[\w.-]+\.tmLanguage\.json$/,
];

void test('the VSIX ships only the bundles and what the manifest points at', () => {
  const file = ensureVsix();
  const names = listVsix(file).map((entry) => entry.name);
  const unexpected = names.filter((name) => !allowed.some((pattern) => pattern.test(name)));
  assert.deepEqual(unexpected, [], `unexpected files in ${path.basename(file)}`);
  for (const forbidden of [/node_modules\//, /\.map$/, /\.ts$/, /(^|\/)(test|src|out|bench|scripts)\//]) {
    assert.deepEqual(names.filter((name) => forbidden.test(name)), [], `files matching ${forbidden} in the VSIX`);
  }

  const manifest = JSON.parse(readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as {
    main: string;
    contributes: { grammars: { path: string }[]; languages: { configuration?: string }[] };
  };
  const referenced = [
    manifest.main,
    'dist/server/server.js',
    'dist/webview/metricsView.js',
    'dist/webview/metricsView.css',
    ...manifest.contributes.grammars.map((grammar) => grammar.path),
    ...manifest.contributes.languages.flatMap((language) => (language.configuration ? [language.configuration] : [])),
  ];
  for (const reference of referenced) {
    const name = `extension/${path.posix.normalize(reference.replace(/^\.\//, ''))}`;
    assert.ok(names.includes(name), `${reference} (named in package.json or started by the client) is not in the VSIX`);
  }

  const size = vsixSize(file);
  console.log(`VSIX: ${path.basename(file)}, ${names.length} files, ${(size / 1024).toFixed(1)} KiB`);
  for (const entry of listVsix(file)) {
    console.log(`  ${entry.name} ${(entry.size / 1024).toFixed(1)} KiB`);
  }
  assert.ok(size <= maxVsixBytes, `the VSIX is ${size} bytes; the budget is ${maxVsixBytes}`);
});

void test('the VSIX bundles are minified production builds', (t) => {
  const file = ensureVsix();
  const folder = mkdtempSync(path.join(os.tmpdir(), 'vscode-spcs-vsix-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  extractVsixExtension(file, folder);
  for (const bundle of ['dist/client/extension.js', 'dist/client/languageClient.js', 'dist/server/server.js']) {
    const code = readFileSync(path.join(folder, bundle), 'utf8');
    assert.doesNotMatch(code, /sourceMappingURL/, `${bundle} points at a source map`);
    // Minified code has long lines (template strings keep their own line breaks, so count the average).
    const averageLine = code.length / code.split('\n').length;
    assert.ok(averageLine > 400, `${bundle} averages ${Math.round(averageLine)} characters a line: not minified`);
  }
  const shipped = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { main: string };
  assert.equal(shipped.main, './dist/client/extension.js');
});
