// Lint rules. The import restrictions are the architecture (docs/architecture.md): `server/` never
// imports `vscode`; the pure language service (`server/src/service`) imports neither the LSP runtime,
// nor I/O, nor `lsp/`; the client and the emulator reach the service only through its one face
// (`server/src/service/index.ts`); and the client's rooms import downward only: the shared layers
// (snowflake, model, specs, listings, ui, language) import no room, no room imports the trees
// (views/), and the trees import no feature room. test/unit/importGraph.test.ts adds: no cycles.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeImport = { name: 'vscode', message: 'The language server is editor-agnostic: never import vscode under server/.' };
const ioModules = ['fs', 'fs/promises', 'node:fs', 'node:fs/promises', 'child_process', 'node:child_process', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'os', 'node:os'];

// The client's folders (docs/architecture.md).
const featureRooms = ['catalog', 'connections', 'deploy', 'drift', 'gateways', 'imageRegistry', 'lifecycle', 'logs', 'monitoring', 'pools', 'privileges', 'projects', 'serviceFunctions', 'serving'];
const anyOf = (names) => `(?:${names.join('|')})`;

/** The language service only through its face; of the server, the LSP extension's messages too. */
const serviceFace = {
  regex: '(^|/)server/src/(?!service$|service/specDetection$|lspExtension$)',
  message: 'Import the language service through server/src/service (its index.ts), and of the server only lspExtension.ts besides (and service/specDetection.ts, the text check activation runs alone).',
};
/** The wiring at the top of client/src (features.ts, contextFactory.ts, featureLoader.ts, extension.ts). */
const topLevel = { regex: '^\\.\\./(features|featureLoader|contextFactory|extension)$', message: 'Rooms do not import the wiring: features.ts wires them.' };
const views = { regex: '^\\.\\./views(/|$)', message: 'Only the trees live in views/: a room never imports them (views receive decorations and actions through model/, wired by features.ts).' };
const rooms = (allowed = []) => ({
  regex: `^\\.\\./${anyOf(featureRooms.filter((room) => !allowed.includes(room)))}/`,
  message: 'A shared layer imports no feature room (rooms build on the layers, never the other way).',
});
const restrict = (patterns, paths = []) => ['error', { paths, patterns }];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.test-results/**', '.bench/**', '**/*.vsix', 'server/src/service/generated/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', 'bin/*.js', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises that the runner itself awaits.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { require: 'readonly', process: 'readonly', console: 'readonly', module: 'writable', __dirname: 'readonly', performance: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
  {
    // The bin scripts are CommonJS entry points that load the bundles.
    files: ['bin/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['server/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeImport] }] },
  },
  {
    files: ['emulator/src/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([serviceFace], [vscodeImport]) },
  },
  {
    // The wiring at the top may import every room.
    files: ['client/src/*.ts'],
    rules: { 'no-restricted-imports': restrict([serviceFace]) },
  },
  {
    files: featureRooms.map((room) => `client/src/${room}/**/*.ts`),
    rules: { 'no-restricted-imports': restrict([serviceFace, views, topLevel]) },
  },
  {
    // The trees: connections are what they list; no other room, and no room's commands.
    files: ['client/src/views/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        serviceFace,
        topLevel,
        { regex: `^\\.\\./${anyOf(featureRooms.filter((room) => room !== 'connections'))}/`, message: "views/ holds the trees and imports no feature room: what rooms add to nodes arrives as decorators (model/decorations.ts), wired by features.ts." },
        { regex: 'Commands$', message: "views/ never imports a room's commands." },
      ]),
    },
  },
  {
    // The shared layers below the rooms (model/ and snowflake/ have stricter walls below).
    files: ['client/src/{language,listings,specs,ui}/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([serviceFace, views, topLevel, rooms()]) },
  },
  {
    // The model is what every room shares: it imports nothing of the client but the Snowflake layer.
    files: ['client/src/model/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        serviceFace,
        { regex: '^\\.\\./(?!snowflake/|\\.\\./\\.\\./server/src/lspExtension$)', message: 'model/ holds contracts only: it imports no room and no layer but snowflake/.' },
      ]),
    },
  },
  {
    // The Snowflake layer runs in plain Node tests against the emulator: it imports nothing of the
    // client, and only its SecretStorage adapter may touch the VS Code API.
    files: ['client/src/snowflake/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [{ regex: '^\\.\\./', message: 'client/src/snowflake knows no room, no model and no UI.' }],
        [{ name: 'vscode', message: 'client/src/snowflake is editor-independent; only vscodeCredentials.ts adapts it to VS Code.' }],
      ),
    },
  },
  {
    files: ['client/src/snowflake/vscodeCredentials.ts'],
    rules: { 'no-restricted-imports': restrict([{ regex: '^\\.\\./', message: 'client/src/snowflake knows no room, no model and no UI.' }]) },
  },
  {
    files: ['server/src/service/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            vscodeImport,
            { name: 'vscode-languageserver', message: 'service/ is pure: use vscode-languageserver-types for LSP types.' },
            { name: 'vscode-languageserver/node', message: 'service/ is pure: use vscode-languageserver-types for LSP types.' },
            ...ioModules.map((name) => ({ name, message: 'service/ is pure: no I/O (files, processes, network).' })),
          ],
          patterns: [{ group: ['**/lsp', '**/lsp/*', '**/cli', '**/cli/*'], message: 'service/ must not depend on the LSP wiring or the CLI.' }],
        },
      ],
    },
  },
);
