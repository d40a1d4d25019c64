// Bundles the extension client and the language server with esbuild (see style.md §6).
// `node scripts/build.mjs [--watch] [--production]`. Output goes to dist/ (never committed).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { writeSchemaValidator } from './schemaValidator.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/**
 * `yaml` is bundled from its ES module build (the one it ships for browsers and bundlers; for YAML 1.2
 * it is the same code). esbuild then hoists its functions into the bundle's scope, whereas the CommonJS
 * build is reached through a getter on every call (`isScalar`, `isMap` … run for every node of every
 * keystroke), and the ES build does not look up `process.env.LOG_TOKENS` for every token it parses.
 */
const yamlPackageEsm = fileURLToPath(new URL('../node_modules/yaml/browser/index.js', import.meta.url));
const yamlAsEsModule = {
  name: 'yaml-as-es-module',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => {
      if (!existsSync(yamlPackageEsm)) {
        throw new Error(`${yamlPackageEsm} is missing (the yaml package changed its layout): update this plugin`);
      }
      return { path: yamlPackageEsm };
    });
  },
};

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  // Some dependencies are ESM that call createRequire(import.meta.url); in a CommonJS bundle that
  // is the bundle file's own URL.
  define: { 'import.meta.url': '__bundleFileUrl' },
  banner: { js: "const __bundleFileUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [yamlAsEsModule],
};

/**
 * The account bundle reaches `snowflake-sdk` through `import('snowflake-sdk')` (client/src/snowflake/
 * driver.ts). The driver is bundled on its own (`dist/client/snowflakeSdk.js`, ~4 MB) and this plugin
 * points that import at it, so that loading the sidebar does not parse the driver.
 */
const driverAsSiblingBundle = {
  name: 'snowflake-sdk-sibling',
  setup(build) {
    build.onResolve({ filter: /^snowflake-sdk$/ }, (args) => (args.kind === 'dynamic-import' ? { path: './snowflakeSdk.js', external: true } : undefined));
  },
};

const builds = [
  // The VS Code extension: `vscode` is provided by the host. Four bundles, loaded in turn: the entry
  // (activation), the language client (right after), the account features (on first use) and the
  // Snowflake driver (on the first connection).
  { ...common, entryPoints: { extension: 'client/src/extension.ts', languageClient: 'client/src/language/languageClient.ts' }, outdir: 'dist/client', external: ['vscode'] },
  { ...common, entryPoints: { features: 'client/src/features.ts' }, outdir: 'dist/client', external: ['vscode'], plugins: [yamlAsEsModule, driverAsSiblingBundle] },
  { ...common, entryPoints: { snowflakeSdk: 'client/src/snowflake/sdkBundle.ts' }, outdir: 'dist/client' },
  // The language server and the command-line linter: self-contained, schema included.
  { ...common, entryPoints: { server: 'server/src/main.ts', lint: 'server/src/cli/lint.ts' }, outdir: 'dist/server' },
  // The local SPCS emulator (`spcs-emulator`): a Snowflake endpoint on 127.0.0.1 for development and tests.
  { ...common, entryPoints: { emulator: 'emulator/src/cli.ts' }, outdir: 'dist/emulator' },
  // The metrics panel's webview page (uPlot + its stylesheet): a browser bundle, loaded by the page
  // that client/src/monitoring/metricsPage.ts writes.
  { ...common, platform: 'browser', format: 'iife', target: 'chrome120', define: {}, banner: {}, entryPoints: { metricsView: 'client/webview/metrics/main.ts' }, outdir: 'dist/webview' },
];

// The schema validator is generated before bundling (the server and the client's deploy checks import it).
writeSchemaValidator();

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('esbuild: watching client/src and server/src');
} else {
  const started = performance.now();
  await Promise.all(builds.map((options) => esbuild.build(options)));
  console.log(`esbuild: built dist/ in ${Math.round(performance.now() - started)} ms`);
}
