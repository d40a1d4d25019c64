/**
 * No markdown where VS Code shows plain text: every spec we have (the real-world corpus, the samples
 * and every fixture of the test tiers) is validated offline with each instance family, and against
 * account catalogs with each kind of deploy target, and no diagnostic message, related information,
 * quick fix or code action title, or completion label or detail may contain a backtick or `**`.
 *
 * The rule and account unit tests check the same on their own fixtures (helpers.ts, accountFixture.ts);
 * this one walks the documents users actually write, with the settings and accounts that make the
 * capacity, pool, image, stage, secret and privilege diagnostics appear. It also asserts that those
 * diagnostics did appear, so that a change that silences them cannot make this test pass vacuously.
 */

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AccountCatalog, DeployTarget } from '../../server/src/lspExtension';
import { instanceFamilies } from '../../server/src/service/instanceFamilies';
import { SpcsLanguageService } from '../../server/src/service/languageService';
import { catalogParams, demoCatalog } from './accountFixture';
import { markdownInCodeActions, markdownInCompletions, markdownInDiagnostics } from './plainText';

const root = path.resolve(__dirname, '../..');
const corpusSpecs = path.join(process.env.SPCS_CORPUS ?? path.resolve(root, '../shared/corpus'), 'specs');

function yamlFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return yamlFilesUnder(file);
    return /\.ya?ml$/.test(name) ? [file] : [];
  });
}

const fixtureDirs = ['samples', 'test/fixtures', 'test/e2e/fixtures', 'test/extension/fixtures', 'test/lsp/fixtures'].map((dir) => path.join(root, dir));
const ownSpecs = fixtureDirs.flatMap(yamlFilesUnder).sort();
const corpus = yamlFilesUnder(corpusSpecs).sort();

interface AccountSetup {
  readonly name: string;
  readonly catalog: AccountCatalog;
  readonly target?: DeployTarget;
}

/** Catalogs and targets that bring out every account diagnostic: each pool, an unknown pool, a role without grants, instances that differ. */
const accounts: readonly AccountSetup[] = [
  { name: 'demo catalog, no target', catalog: demoCatalog() },
  ...demoCatalog().computePools!.map((pool) => ({
    name: `demo catalog, target ${pool.name}`,
    catalog: demoCatalog(),
    target: { connection: 'emulator_dev', computePool: pool.name, serviceName: 'ECHO', database: 'SPCS_DEMO', schema: 'PUBLIC', minInstances: 1, maxInstances: 3 },
  })),
  { name: 'demo catalog, unknown pool', catalog: demoCatalog(), target: { connection: 'emulator_dev', computePool: 'NO_SUCH_POOL' } },
  { name: 'role without grants', catalog: demoCatalog({ role: 'VIEWER', grants: [] }), target: { connection: 'emulator_dev', computePool: 'DEMO_GPU_POOL' } },
  { name: 'empty account', catalog: demoCatalog({ computePools: [], imageRepositories: [], stages: [], secrets: [], grants: [] }), target: { connection: 'emulator_dev', computePool: 'DEMO_GPU_POOL' } },
];

const families = [undefined, 'NOT_A_FAMILY', ...instanceFamilies.map((family) => family.name)];

function uriOf(file: string): string {
  return `file://${file.split(path.sep).map(encodeURIComponent).join('/')}`;
}

/** Validates `files` in every setting; returns what looks like markdown and the codes that appeared. */
function sweep(files: readonly string[], options: { readonly completions: boolean }): { found: string[]; codes: Set<string> } {
  const found: string[] = [];
  const codes = new Set<string>();
  const record = (file: string, setup: string, problems: readonly string[]) => {
    for (const problem of problems) found.push(`${path.relative(root, file)} (${setup}): ${problem}`);
  };
  const offline = new SpcsLanguageService();
  const online = accounts.map((account) => {
    const service = new SpcsLanguageService();
    service.setAccountCatalog({ ...catalogParams(account.catalog), status: { state: 'stale', reason: 'test' } });
    return { account, service };
  });
  for (const file of files) {
    const uri = uriOf(file);
    const document = TextDocument.create(uri, 'spcs-spec', 1, readFileSync(file, 'utf8'));
    const whole = { start: { line: 0, character: 0 }, end: document.positionAt(document.getText().length) };
    const check = (service: SpcsLanguageService, setup: string, settings: { instanceFamily?: string }) => {
      const diagnostics = service.validate(document, settings);
      for (const diagnostic of diagnostics) codes.add(String(diagnostic.code));
      record(file, setup, markdownInDiagnostics(diagnostics));
      record(file, setup, markdownInCodeActions(service.codeActions(document, { range: whole, accountCommands: true }, settings)));
    };
    for (const family of families) check(offline, `offline, family ${family ?? 'none'}`, family === undefined ? {} : { instanceFamily: family });
    for (const { account, service } of online) {
      service.setDeployTargets({ targets: [{ uri, target: account.target ?? null }] });
      check(service, account.name, {});
      if (options.completions) {
        // Completion at the end of every line and after every `key: `: keys, values, images, tags, stages, secrets.
        const lines = document.getText().split('\n');
        lines.forEach((line, index) => {
          const positions = [line.length, ...[...line.matchAll(/: /g)].map((match) => (match.index ?? 0) + 2)];
          for (const character of positions) {
            record(file, `${account.name}, completion at ${index + 1}:${character + 1}`, markdownInCompletions(service.complete(document, { line: index, character }).items));
          }
        });
      }
    }
  }
  return { found, codes };
}

describe('plain-text messages carry no markdown', () => {
  it('the samples and every test fixture: diagnostics, quick fixes, code actions, completion', () => {
    assert.ok(ownSpecs.length >= 30, `expected the samples and fixtures, found ${ownSpecs.length}`);
    const { found, codes } = sweep(ownSpecs, { completions: true });
    assert.deepEqual(found, [], 'quote names as TypeScript does (\'name\'), markdown only in hovers');
    // The sweep reached the account diagnostics, the capacity checks and the schema ones.
    for (const code of ['spcs/account-pool-gpu', 'spcs/account-unknown-pool', 'spcs/account-image-tag-not-found', 'spcs/account-missing-privilege', 'spcs/gpu-exceeds-family', 'spcs/capacity-exceeded', 'spcs/unknown-key', 'spcs/invalid-name']) {
      assert.ok(codes.has(code), `no ${code} was produced: the sweep no longer covers it`);
    }
  });

  it('the real-world corpus, offline with each instance family and with account catalogs', { skip: corpus.length > 0 ? false : `${corpusSpecs} is absent (set SPCS_CORPUS)` }, () => {
    const { found, codes } = sweep(corpus, { completions: false });
    assert.deepEqual(found, [], 'quote names as TypeScript does (\'name\'), markdown only in hovers');
    assert.ok(codes.size >= 20, `the corpus produced only ${codes.size} distinct codes`);
  });
});
