// Lint rules. The import restrictions are the architecture: `server/` never imports `vscode`, and the
// pure language service (`server/src/service`) imports neither the LSP runtime, nor I/O, nor `lsp/`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeImport = { name: 'vscode', message: 'The language server is editor-agnostic: never import vscode under server/.' };
const ioModules = ['fs', 'fs/promises', 'node:fs', 'node:fs/promises', 'child_process', 'node:child_process', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'os', 'node:os'];

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
    files: ['server/src/**/*.ts', 'emulator/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeImport] }] },
  },
  {
    // The Snowflake layer runs in plain Node tests against the emulator: only its SecretStorage
    // adapter may touch the VS Code API.
    files: ['client/src/snowflake/**/*.ts'],
    ignores: ['client/src/snowflake/vscodeCredentials.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'client/src/snowflake is editor-independent; only vscodeCredentials.ts adapts it to VS Code.' }] }],
    },
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
