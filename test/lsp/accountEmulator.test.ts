/**
 * The account checks end to end below the editor: the local emulator (demo seed) is read with the
 * client's `fetchCatalog` through the REAL snowflake-sdk driver, once as DEMO_USER (role
 * SPCS_DEVELOPER, the default connection) and once as VIEWER_USER (role SPCS_VIEWER), and both
 * catalogs go to the language server over the LSP wire (`spcs/accountCatalog`, plus
 * `spcs/deployTargets` where a target is needed). Each fixture under `fixtures/account/` is a spec
 * that should raise one kind of account warning against that real catalog (or none); completion and
 * hover are asked over the wire as an editor would.
 *
 * What this proves that the hand-made catalogs of `account.test.ts` cannot: that the names, types,
 * dates and grants as the emulator prints them (and as `fetchCatalog` turns them into a catalog)
 * line up with what the server looks up. Nothing here sleeps: every wait is on a published
 * notification or a request's answer.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { CodeAction, CompletionItem, CompletionList, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver';
import { fetchCatalog } from '../../client/src/catalog/fetchCatalog';
import { connectionsTomlSection } from '../../emulator/src/cli';
import {
  accountCatalogNotification,
  deployTargetsNotification,
  type AccountCatalog,
  type AccountCatalogParams,
  type CatalogImage,
  type DeployTargetsParams,
} from '../../server/src/lspExtension';
import { harness, value } from '../client/emulatorHarness';
import { startHarness, type Harness as LspHarness } from './lspHarness';

const developer = 'emulator_dev';
const viewer = 'emulator_viewer';
const fixtures = path.join(__dirname, 'fixtures', 'account');
const warning = 2;

const fixture = (name: string): string => readFileSync(path.join(fixtures, `${name}.spcs.yaml`), 'utf8');
const uriOf = (name: string): string => `file:///work/account/${name}.spcs.yaml`;

function accountDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((diagnostic) => String(diagnostic.code).startsWith('account-'));
}

function codes(diagnostics: readonly Diagnostic[]): string[] {
  return accountDiagnostics(diagnostics)
    .map((diagnostic) => String(diagnostic.code))
    .sort();
}

/** Every account diagnostic is a warning, and (except the deploy-target one) names the catalog it comes from. */
function assertWarnings(diagnostics: readonly Diagnostic[], connection: string): void {
  for (const diagnostic of accountDiagnostics(diagnostics)) {
    assert.equal(diagnostic.severity, warning, `${String(diagnostic.code)} is a warning`);
    if (diagnostic.code !== 'account-block-volume-instances') {
      assert.match(diagnostic.message, new RegExp(`as of the account catalog of '${connection}' read `), diagnostic.message);
    }
  }
}

function labelsBySortText(list: CompletionList): string[] {
  return [...list.items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((item) => item.label);
}

function itemOf(list: CompletionList, label: string): CompletionItem {
  const item = list.items.find((candidate) => candidate.label === label);
  assert.ok(item, `no "${label}" in ${list.items.map((candidate) => candidate.label).join(', ')}`);
  return item;
}

function catalogParams(connection: string, catalog: AccountCatalog | null, isDefault: boolean): AccountCatalogParams {
  return { connection, isDefault, fetchedAt: new Date().toISOString(), catalog, status: { state: 'fresh' } };
}

/** The catalog's image row holding `tag` of `image` in a repository. */
function imageRow(catalog: AccountCatalog, repository: string, image: string, tag: string): CatalogImage {
  const entry = catalog.imageRepositories?.find((candidate) => `${candidate.database}.${candidate.schema}.${candidate.name}` === repository);
  const row = entry?.images?.find((candidate) => candidate.name === image && candidate.tags.includes(tag));
  assert.ok(row, `${repository} ${image}:${tag} in the catalog`);
  return row;
}

const minute = (iso: string): string => new Date(Date.parse(iso)).toISOString().slice(0, 16).replace('T', ' ');

test('account checks against the emulator demo account over the LSP wire', async (t: TestContext) => {
  const account = await harness(t);
  account.addConnections(connectionsTomlSection(developer, account.emulator.connection()));
  account.addConnections(connectionsTomlSection(viewer, account.emulator.connection('VIEWER_USER')));
  const developerRead = value(await fetchCatalog(account.sessions, developer));
  const viewerRead = value(await fetchCatalog(account.sessions, viewer));
  assert.deepEqual(developerRead.problems, []);
  assert.deepEqual(viewerRead.problems, []);
  const developerCatalog = developerRead.catalog;
  const viewerCatalog = viewerRead.catalog;

  const lsp: LspHarness = await startHarness();
  t.after(() => lsp.dispose());
  await lsp.connection.sendNotification(accountCatalogNotification, catalogParams(developer, developerCatalog, true));
  await lsp.connection.sendNotification(accountCatalogNotification, catalogParams(viewer, viewerCatalog, false));

  /** Opens a fixture (after the catalogs arrived), returns its first diagnostics, and closes it again when `keepOpen` is false. */
  const check = async (name: string, keepOpen = false): Promise<Diagnostic[]> => {
    const published = await lsp.open(uriOf(name), fixture(name));
    if (!keepOpen) {
      await lsp.close(uriOf(name));
    }
    return published.diagnostics;
  };

  await t.test('the seed is read as expected: pools of three families, the roles of both users', () => {
    assert.equal(developerCatalog.role, 'SPCS_DEVELOPER');
    assert.equal(viewerCatalog.role, 'SPCS_VIEWER');
    assert.deepEqual(
      developerCatalog.computePools?.map((pool) => `${pool.name}:${pool.instanceFamily}`).sort(),
      ['DEMO_CPU_POOL:CPU_X64_S', 'DEMO_GPU_POOL:GPU_NV_M', 'SUSPENDED_POOL:CPU_X64_XS'],
    );
    assert.deepEqual(developerCatalog.secrets?.map((secret) => `${secret.name}:${secret.type}`).sort(), ['GITHUB_OAUTH:OAUTH2', 'HF_TOKEN:GENERIC_STRING', 'PARTNER_API_TOKEN:GENERIC_STRING', 'POSTGRES_CREDENTIALS:PASSWORD']);
    assert.deepEqual(viewerCatalog.imageRepositories, [], 'the viewer holds no privilege on any repository');
  });

  await t.test('a valid spec gets no account warning at all from the developer catalog', async () => {
    const diagnostics = await check('valid');
    assert.deepEqual(codes(diagnostics), []);
    assert.deepEqual(diagnostics, [], 'no offline diagnostic either');
  });

  await t.test('spcs/account-unknown-pool: the modeline names a pool the account does not have', async () => {
    const diagnostics = await check('unknown-pool', true);
    assert.deepEqual(codes(diagnostics), ['account-unknown-pool']);
    assertWarnings(diagnostics, developer);
    const [diagnostic] = accountDiagnostics(diagnostics);
    assert.match(diagnostic?.message ?? '', /There is no compute pool 'NO_SUCH_POOL' \(named by the modeline\).*Pools: 'DEMO_CPU_POOL', 'DEMO_GPU_POOL', 'SUSPENDED_POOL'\./);
    assert.deepEqual(diagnostic?.range.start, { line: 0, character: '# spcs: pool='.length });
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uriOf('unknown-pool') },
      range: diagnostic?.range,
      context: { diagnostics: [], only: ['quickfix'] },
    });
    assert.deepEqual(
      actions.map((action) => action.title).filter((title) => title.startsWith('Use compute pool')),
      [
        "Use compute pool 'DEMO_CPU_POOL' (CPU_X64_S: 3 vCPU, 13 GiB)",
        "Use compute pool 'DEMO_GPU_POOL' (GPU_NV_M: 44 vCPU, 178 GiB, 4 × NVIDIA A10G)",
        "Use compute pool 'SUSPENDED_POOL' (CPU_X64_XS: 1 vCPU, 6 GiB)",
      ],
    );
    await lsp.close(uriOf('unknown-pool'));
  });

  await t.test('spcs/account-pool-gpu: more GPUs than a GPU_NV_M node of DEMO_GPU_POOL has', async () => {
    const diagnostics = await check('pool-gpu');
    assert.deepEqual(codes(diagnostics), ['account-pool-gpu']);
    assertWarnings(diagnostics, developer);
    assert.match(accountDiagnostics(diagnostics)[0]?.message ?? '', /asks for 8 GPUs, but a node of compute pool 'DEMO_GPU_POOL' \(GPU_NV_M: 44 vCPU, 178 GiB, 4 × NVIDIA A10G\) has 4/);
  });

  await t.test('spcs/account-pool-gpu: a GPU on the CPU_X64_S pool', async () => {
    const uri = uriOf('pool-gpu-on-cpu');
    const published = await lsp.open(uri, fixture('pool-gpu').replace('pool=DEMO_GPU_POOL', 'pool=DEMO_CPU_POOL').replace(/gpu: 8/g, 'gpu: 1'));
    await lsp.close(uri);
    assert.deepEqual(codes(published.diagnostics), ['account-pool-gpu']);
    assert.match(accountDiagnostics(published.diagnostics)[0]?.message ?? '', /has no GPU/);
  });

  await t.test('spcs/account-pool-capacity: more memory than a CPU_X64_XS node of SUSPENDED_POOL has', async () => {
    const diagnostics = await check('pool-capacity');
    assert.deepEqual(codes(diagnostics), ['account-pool-capacity']);
    assertWarnings(diagnostics, developer);
    assert.match(accountDiagnostics(diagnostics)[0]?.message ?? '', /requests 8 GiB of memory, but a node of compute pool 'SUSPENDED_POOL' \(CPU_X64_XS: 1 vCPU, 6 GiB\) has 6 GiB/);
  });

  await t.test('account-image-repository-not-found', async () => {
    const diagnostics = await check('image-repository-not-found');
    assert.deepEqual(codes(diagnostics), ['account-image-repository-not-found']);
    assertWarnings(diagnostics, developer);
    assert.match(accountDiagnostics(diagnostics)[0]?.message ?? '', /'TUTORIAL_DB.DATA_SCHEMA.NO_SUCH_REPOSITORY'/);
  });

  await t.test('account-image-not-found', async () => {
    const diagnostics = await check('image-not-found');
    assert.deepEqual(codes(diagnostics), ['account-image-not-found']);
    assertWarnings(diagnostics, developer);
    assert.match(accountDiagnostics(diagnostics)[0]?.message ?? '', /no image 'no_such_image' in repository '\/tutorial_db\/data_schema\/tutorial_repository'.*images there: 'my_echo_service_image', 'echo'/);
  });

  await t.test('spcs/account-image-tag-not-found, with the pushed tags as quick fixes, newest first', async () => {
    const diagnostics = await check('image-tag-not-found', true);
    assert.deepEqual(codes(diagnostics), ['account-image-tag-not-found']);
    assertWarnings(diagnostics, developer);
    const v2 = imageRow(developerCatalog, 'TUTORIAL_DB.DATA_SCHEMA.TUTORIAL_REPOSITORY', 'echo', 'v2');
    const v1 = imageRow(developerCatalog, 'TUTORIAL_DB.DATA_SCHEMA.TUTORIAL_REPOSITORY', 'echo', 'v1');
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uriOf('image-tag-not-found') },
      range: accountDiagnostics(diagnostics)[0]?.range,
      context: { diagnostics: [], only: ['quickfix'] },
    });
    assert.deepEqual(
      actions.map((action) => action.title).filter((title) => title.startsWith('Use tag')),
      [`Use tag 'latest' (pushed ${minute(v2.createdOn)})`, `Use tag 'v2' (pushed ${minute(v2.createdOn)})`, `Use tag 'v1' (pushed ${minute(v1.createdOn)})`],
    );
    await lsp.close(uriOf('image-tag-not-found'));
  });

  await t.test('account-stage-not-found', async () => {
    const diagnostics = await check('stage-not-found');
    assert.deepEqual(codes(diagnostics), ['account-stage-not-found']);
    assertWarnings(diagnostics, developer);
    assert.match(accountDiagnostics(diagnostics)[0]?.message ?? '', /The stage 'SPCS_DEMO.PUBLIC.NO_SUCH_STAGE' of volume 'data' does not exist/);
  });

  await t.test('account-secret-not-found', async () => {
    const diagnostics = await check('secret-not-found');
    assert.deepEqual(codes(diagnostics), ['account-secret-not-found']);
    assertWarnings(diagnostics, developer);
    assert.match(accountDiagnostics(diagnostics)[0]?.message ?? '', /The secret 'APP_DB.BACKEND.NO_SUCH_SECRET' does not exist/);
  });

  await t.test('spcs/account-secret-type: PASSWORD, GENERIC_STRING and OAUTH2 secrets with keys they do not have', async () => {
    const diagnostics = await check('secret-type', true);
    assert.deepEqual(codes(diagnostics), ['account-secret-type', 'account-secret-type', 'account-secret-type']);
    assertWarnings(diagnostics, developer);
    const messages = accountDiagnostics(diagnostics).map((diagnostic) => diagnostic.message);
    assert.match(messages[0] ?? '', /Secret 'APP_DB.BACKEND.POSTGRES_CREDENTIALS' is a PASSWORD secret .*: it has 'username' and 'password', not 'secret_string'\./);
    assert.match(messages[1] ?? '', /Secret 'APP_DB.BACKEND.PARTNER_API_TOKEN' is a GENERIC_STRING secret .*: it has 'secret_string', not 'password'\./);
    // An OAuth2 secret's token is documented only as a file: the message says to mount it, and no
    // quick fix turns the key into `access_token` (which the offline rule S37 warns about with envVarName).
    assert.match(messages[2] ?? '', /Secret 'SPCS_DEMO.PUBLIC.GITHUB_OAUTH' is an OAUTH2 secret .*: it has no 'secret_string'\. Its access token is documented as a file: mount the secret with 'directoryPath'/);
    const oauth = accountDiagnostics(diagnostics)[2];
    const oauthActions = await lsp.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uriOf('secret-type') },
      range: oauth?.range,
      context: { diagnostics: [], only: ['quickfix'] },
    });
    assert.deepEqual(oauthActions.map((action) => action.title).filter((title) => title.startsWith('Change to')), []);
    const first = accountDiagnostics(diagnostics)[0];
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uriOf('secret-type') },
      range: first?.range,
      context: { diagnostics: [], only: ['quickfix'] },
    });
    assert.deepEqual(
      actions.map((action) => action.title).filter((title) => title.startsWith('Change to')),
      ["Change to 'username'", "Change to 'password'"],
    );
    await lsp.close(uriOf('secret-type'));
  });

  await t.test("spcs/account-missing-privilege with the viewer's real grants (pool USAGE, BIND SERVICE ENDPOINT)", async () => {
    const diagnostics = await check('viewer-privileges');
    // SPCS_VIEWER holds nothing on any repository, stage or secret, so SHOW lists none of them:
    // with the real grants those are "not found (or role cannot see it)", not a missing READ.
    assert.deepEqual(codes(diagnostics), [
      'account-image-repository-not-found',
      'account-missing-privilege',
      'account-missing-privilege',
      'account-secret-not-found',
      'account-stage-not-found',
    ]);
    assertWarnings(diagnostics, viewer);
    const privileges = accountDiagnostics(diagnostics)
      .filter((diagnostic) => diagnostic.code === 'account-missing-privilege')
      .map((diagnostic) => diagnostic.message);
    assert.ok(
      privileges.some((message) => /^Role 'SPCS_VIEWER' has MONITOR but not USAGE on compute pool 'DEMO_CPU_POOL'/.test(message)),
      privileges.join('\n'),
    );
    assert.ok(
      privileges.some((message) => /^Endpoint 'api' is public, but role 'SPCS_VIEWER' does not have BIND SERVICE ENDPOINT on the account/.test(message)),
      privileges.join('\n'),
    );
    for (const diagnostic of accountDiagnostics(diagnostics).filter((each) => each.code !== 'account-missing-privilege')) {
      assert.match(diagnostic.message, /role 'SPCS_VIEWER' cannot see it/);
    }
  });

  await t.test('the same spec gets none of those from the developer catalog', async () => {
    const uri = uriOf('viewer-privileges-as-developer');
    const published = await lsp.open(uri, fixture('viewer-privileges').replace('connection=emulator_viewer', `connection=${developer}`));
    await lsp.close(uri);
    assert.deepEqual(codes(published.diagnostics), []);
  });

  await t.test('spcs/account-block-volume-instances: a deploy target with MIN_INSTANCES ≠ MAX_INSTANCES', async () => {
    const uri = uriOf('block-volume');
    const opened = await lsp.open(uri, fixture('block-volume'));
    assert.deepEqual(codes(opened.diagnostics), [], 'no target yet');
    const unequal = lsp.diagnosticsWhere((params) => params.uri === uri && codes(params.diagnostics).length > 0);
    await lsp.connection.sendNotification(deployTargetsNotification, {
      targets: [{ uri, target: { connection: developer, computePool: 'DEMO_CPU_POOL', database: 'SPCS_DEMO', schema: 'PUBLIC', minInstances: 1, maxInstances: 3 } }],
    } satisfies DeployTargetsParams);
    const published = await unequal;
    assert.deepEqual(codes(published.diagnostics), ['account-block-volume-instances']);
    assertWarnings(published.diagnostics, developer);
    assert.match(accountDiagnostics(published.diagnostics)[0]?.message ?? '', /MIN_INSTANCES = 1 and MAX_INSTANCES = 3/);
    const equal = lsp.diagnosticsWhere((params) => params.uri === uri);
    await lsp.connection.sendNotification(deployTargetsNotification, {
      targets: [{ uri, target: { connection: developer, computePool: 'DEMO_CPU_POOL', minInstances: 2, maxInstances: 2 } }],
    } satisfies DeployTargetsParams);
    assert.deepEqual(codes((await equal).diagnostics), []);
    await lsp.close(uri);
  });

  await t.test('templated values are not checked', async () => {
    const templated = await check('templated');
    assert.deepEqual(codes(templated), []);
    // The same spec with the templates filled in names things the account does not have.
    const uri = uriOf('templated-filled');
    const filled = fixture('templated')
      .replace('{{ tag }}', 'v1')
      .replace('"{{ secret_name }}"', 'no_such_secret')
      .replace('"{{ cpu }}"', '8')
      .replace('{{ stage_name }}', 'no_such_stage');
    const published = await lsp.open(uri, filled);
    await lsp.close(uri);
    assert.deepEqual(codes(published.diagnostics), [
      'account-image-repository-not-found',
      'account-pool-capacity',
      'account-secret-not-found',
      'account-stage-not-found',
    ]);
  });

  await t.test('completion: image repositories, then images newest first, then tags newest first with digest and push date', async () => {
    const uri = uriOf('completion-image');
    const text = 'spec:\n  containers:\n    - name: echo\n      image: /tutorial_db/data_schema/tutorial_repository/echo:\n';
    await lsp.open(uri, text);
    const at = (needle: string) => ({ textDocument: { uri }, position: lsp.positionOf(uri, needle, needle.length) });
    const repositories = await lsp.request<CompletionList>('textDocument/completion', at('image: /'));
    assert.deepEqual(
      repositories.items.filter((item) => item.label.endsWith('/') && item.label.split('/').length === 5).map((item) => item.label).sort(),
      ['/app_db/backend/images/', '/ml_db/serving/images/', '/ml_db/training/images/', '/spcs_demo/public/demo_repo/', '/tutorial_db/data_schema/tutorial_repository/'],
    );
    const images = await lsp.request<CompletionList>('textDocument/completion', at('tutorial_repository/'));
    assert.deepEqual(
      labelsBySortText(images).filter((label) => label.startsWith('/tutorial_db/')),
      ['/tutorial_db/data_schema/tutorial_repository/my_echo_service_image:', '/tutorial_db/data_schema/tutorial_repository/echo:'],
    );
    const tags = await lsp.request<CompletionList>('textDocument/completion', at('echo:'));
    assert.deepEqual(
      labelsBySortText(tags).filter((label) => label.startsWith('/tutorial_db/')).map((label) => label.split(':')[1]),
      ['latest', 'v2', 'v1'],
    );
    const v1 = imageRow(developerCatalog, 'TUTORIAL_DB.DATA_SCHEMA.TUTORIAL_REPOSITORY', 'echo', 'v1');
    const item = itemOf(tags, '/tutorial_db/data_schema/tutorial_repository/echo:v1');
    assert.equal(item.detail, `${v1.digest.replace(/^sha256:/, '').slice(0, 12)} · pushed ${minute(v1.createdOn)}`);
    assert.match((item.documentation as MarkupContent).value, new RegExp(`Digest: \`${v1.digest}\``));
    await lsp.close(uri);
  });

  await t.test('completion: stage names in `source: "@…"` (bare in the service schema, qualified elsewhere)', async () => {
    const uri = uriOf('completion-stage');
    const text = 'spec:\n  containers:\n    - name: echo\n      image: /tutorial_db/data_schema/tutorial_repository/echo:v2\n  volumes:\n    - name: data\n      source: "@"\n';
    await lsp.open(uri, text);
    const list = await lsp.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: lsp.positionOf(uri, '"@', 2) });
    await lsp.close(uri);
    const stages = list.items.filter((item) => item.label.startsWith('@')).map((item) => item.label).sort();
    assert.deepEqual(stages, ['@APP_DB.BACKEND.REFERENCE_FILES', '@ML_DB.SERVING.MODEL_WEIGHTS', '@ML_DB.TRAINING.DATASETS', '@SPECS']);
    assert.equal(itemOf(list, '@SPECS').detail, 'stage SPCS_DEMO.PUBLIC.SPECS');
  });

  await t.test('completion: secret names with their types', async () => {
    const uri = uriOf('completion-secret');
    const text = 'spec:\n  containers:\n    - name: echo\n      image: /tutorial_db/data_schema/tutorial_repository/echo:v2\n      secrets:\n        - snowflakeSecret: \n          secretKeyRef: password\n          envVarName: PASSWORD\n';
    await lsp.open(uri, text);
    const list = await lsp.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: lsp.positionOf(uri, 'snowflakeSecret: ', 'snowflakeSecret: '.length) });
    await lsp.close(uri);
    const secrets = Object.fromEntries(list.items.filter((item) => item.detail?.startsWith('secret · ')).map((item) => [item.label, item.detail]));
    assert.deepEqual(secrets, {
      GITHUB_OAUTH: 'secret · OAUTH2',
      'APP_DB.BACKEND.PARTNER_API_TOKEN': 'secret · GENERIC_STRING',
      'APP_DB.BACKEND.POSTGRES_CREDENTIALS': 'secret · PASSWORD',
      'ML_DB.SERVING.HF_TOKEN': 'secret · GENERIC_STRING',
    });
  });

  await t.test('completion in the modeline: pool=, connection=, warehouse= and the live instance families', async () => {
    const uri = uriOf('completion-modeline');
    const text = '# spcs: pool=\n# spcs: connection=\n# spcs: warehouse=\n# spcs: instance-family=\nspec:\n  containers: []\n';
    await lsp.open(uri, text);
    const at = async (needle: string) => lsp.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: lsp.positionOf(uri, needle, needle.length) });
    const pools = await at('pool=');
    assert.deepEqual(labelsBySortText(pools).slice(0, 3), ['DEMO_CPU_POOL', 'DEMO_GPU_POOL', 'SUSPENDED_POOL']);
    assert.equal(itemOf(pools, 'DEMO_GPU_POOL').detail, 'GPU_NV_M: 44 vCPU, 178 GiB, 4 × NVIDIA A10G · ACTIVE · 1-2 nodes');
    assert.equal(itemOf(pools, 'SUSPENDED_POOL').detail, 'CPU_X64_XS: 1 vCPU, 6 GiB · SUSPENDED · 1-1 nodes');
    const connections = await at('connection=');
    assert.deepEqual(labelsBySortText(connections).slice(0, 2), [developer, viewer]);
    assert.equal(itemOf(connections, developer).detail, 'connection (default) · role SPCS_DEVELOPER');
    assert.equal(itemOf(connections, viewer).detail, 'connection · role SPCS_VIEWER');
    assert.deepEqual(
      (await at('warehouse=')).items.map((item) => item.label),
      ['DEMO_WH'],
    );
    const families = await at('instance-family=');
    const live = (developerCatalog.instanceFamilies ?? []).map((family) => family.name);
    assert.ok(live.includes('CPU_X64_XS') && live.includes('GPU_NV_M'));
    assert.deepEqual(labelsBySortText(families).slice(0, live.length), live, 'the live families first, in the account order');
    assert.equal(itemOf(families, 'GPU_NV_M').detail, 'GPU_NV_M: 44 vCPU, 178 GiB, 4 × NVIDIA A10G (account)');
    await lsp.close(uri);
  });

  await t.test("hover on `resources` (the pool's node capacity and what is left) and on `image` (digest and push date)", async () => {
    const uri = uriOf('hover');
    const text = '# spcs: pool=DEMO_CPU_POOL\nspec:\n  containers:\n    - name: echo\n      image: /tutorial_db/data_schema/tutorial_repository/echo:v1\n      resources:\n        requests:\n          cpu: 1\n          memory: 4Gi\n';
    await lsp.open(uri, text);
    const hoverAt = async (needle: string, offset: number): Promise<string> => {
      const hover = await lsp.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: lsp.positionOf(uri, needle, offset) });
      return hover ? (hover.contents as MarkupContent).value : '';
    };
    const resources = await hoverAt('resources:', 3);
    assert.match(resources, /\*\*Compute pool `DEMO_CPU_POOL`\*\* \(ACTIVE, 1-3 nodes\), node CPU_X64_S: 3 vCPU, 13 GiB, as of the account catalog of 'emulator_dev'/);
    assert.match(resources, /Explicit requests of one instance: 1 vCPU, 4 GiB\./);
    assert.match(resources, /Left on a node: 2 vCPU, 9 GiB\./);

    const v1 = imageRow(developerCatalog, 'TUTORIAL_DB.DATA_SCHEMA.TUTORIAL_REPOSITORY', 'echo', 'v1');
    const image = await hoverAt('echo:v1', 2);
    await lsp.close(uri);
    assert.match(image, /\*\*Image `\/tutorial_db\/data_schema\/tutorial_repository\/echo`\*\*/);
    assert.ok(image.includes(`Digest: \`${v1.digest}\``), image);
    assert.ok(image.includes(`Pushed: ${minute(v1.createdOn)} UTC`), image);
    assert.match(image, /2 newer tags in the repository \(newest `latest`\)/);
  });

  await t.test('hover on `resources` of the SUSPENDED_POOL (CPU_X64_XS) spec', async () => {
    const uri = uriOf('pool-capacity-hover');
    await lsp.open(uri, fixture('pool-capacity').replace('memory: 8Gi', 'memory: 2Gi'));
    const hover = await lsp.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: lsp.positionOf(uri, 'resources:', 3) });
    await lsp.close(uri);
    const text = hover ? (hover.contents as MarkupContent).value : '';
    assert.match(text, /Compute pool `SUSPENDED_POOL`\*\* \(SUSPENDED, 1-1 nodes\), node CPU_X64_XS: 1 vCPU, 6 GiB/);
    assert.match(text, /Left on a node: 0.5 vCPU, 4 GiB\./);
  });

  await t.test('a catalog of null removes the warnings (the connection is gone)', async () => {
    const uri = uriOf('image-tag-not-found');
    const opened = await lsp.open(uri, fixture('image-tag-not-found'));
    assert.deepEqual(codes(opened.diagnostics), ['account-image-tag-not-found']);
    const cleared = lsp.diagnosticsWhere((params) => params.uri === uri);
    await lsp.connection.sendNotification(accountCatalogNotification, {
      ...catalogParams(developer, null, true),
      status: { state: 'unavailable', reason: 'emulator stopped' },
    } satisfies AccountCatalogParams);
    const published = await cleared;
    assert.deepEqual(codes(published.diagnostics), []);
    await lsp.close(uri);
  });
});
