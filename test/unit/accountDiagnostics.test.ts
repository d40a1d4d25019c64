/**
 * Diagnostics against the live account catalog: each check with a positive and a negative case, the
 * quick fixes, "no catalog → nothing", templated values never checked, and the live pool capacity
 * replacing the offline instance-family check.
 */

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { DeployTarget } from '../../server/src/lspExtension';
import { validateSpec } from '../../server/src/service/validate';
import { parseSpecDocument } from '../../server/src/service/specDocument';
import { accountService, catalogParams, demoCatalog, specDocument, specUri, type AccountSetup } from './accountFixture';
import { expectDiagnostic, expectNoDiagnostic, fixesOf, withCode, yaml } from './helpers';

const target: DeployTarget = { connection: 'emulator_dev', computePool: 'DEMO_CPU_POOL', database: 'SPCS_DEMO', schema: 'PUBLIC', minInstances: 1, maxInstances: 1 };

function check(text: string, setup: AccountSetup = { target }): Diagnostic[] {
  return accountService(setup).validate(specDocument(text));
}

function accountCodes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => String(diagnostic.code)).filter((code) => code.startsWith('spcs/account-'));
}

function applyEdit(text: string, diagnostic: Diagnostic, title: string): string {
  const fix = fixesOf(diagnostic).find((candidate) => candidate.title === title);
  assert.ok(fix, `no fix "${title}" in: ${fixesOf(diagnostic).map((candidate) => candidate.title).join(' | ')}`);
  return TextDocument.applyEdits(TextDocument.create(specUri, 'spcs-spec', 1, text), [...fix.edits]);
}

const echo = (image: string, extra = '') =>
  yaml(`
    spec:
      containers:
        - name: echo
          image: ${image}
    ${extra}`);

describe('account diagnostics: no catalog', () => {
  const text = yaml(`
    # spcs: pool=NO_SUCH_POOL instance-family=CPU_X64_S
    spec:
      containers:
        - name: echo
          image: /tutorial_db/data_schema/tutorial_repository/echo:v9
          resources:
            requests:
              nvidia.com/gpu: 1
            limits:
              nvidia.com/gpu: 1
          secrets:
            - snowflakeSecret: nothing_here
              envVarName: X
              secretKeyRef: password
      endpoints:
        - name: api
          port: 8080
          public: true
  `);

  it('gives exactly the offline diagnostics without a catalog', () => {
    const offline = validateSpec(parseSpecDocument(specDocument(text)));
    const service = accountService({ catalog: null, target });
    assert.deepEqual(service.validate(specDocument(text)), offline);
    assert.ok(offline.some((diagnostic) => diagnostic.code === 'spcs/gpu-exceeds-family'), 'the offline family check runs');
  });

  it('forgets the account when the catalog becomes null', () => {
    const service = accountService({ target });
    assert.ok(accountCodes(service.validate(specDocument(text))).length > 0);
    service.setAccountCatalog({ connection: 'emulator_dev', fetchedAt: '2026-11-26T01:00:00Z', catalog: null, status: { state: 'unavailable', reason: 'emulator stopped' } });
    assert.deepEqual(accountCodes(service.validate(specDocument(text))), []);
  });

  it('ignores a catalog of another connection than the target names', () => {
    const diagnostics = check(text, { target: { ...target, connection: 'prod' } });
    assert.deepEqual(accountCodes(diagnostics), []);
  });

  it('makes no claim about object kinds the catalog did not read (null lists)', () => {
    const diagnostics = check(text, {
      catalog: demoCatalog({ computePools: null, imageRepositories: null, secrets: null, grants: null, instanceFamilies: null }),
      target,
    });
    assert.deepEqual(accountCodes(diagnostics), []);
  });

  it('ignores malformed notifications', () => {
    const service = accountService({ catalog: null });
    assert.equal(service.setAccountCatalog({ fetchedAt: 'x' }), false);
    assert.equal(service.setAccountCatalog('nonsense'), false);
    assert.deepEqual(service.setDeployTargets({ targets: 'x' }), []);
    assert.deepEqual(service.validate(specDocument(text)), validateSpec(parseSpecDocument(specDocument(text))));
  });
});

describe('account diagnostics: compute pool', () => {
  it('reports a modeline pool that is not in the account, with pools to switch to', () => {
    const text = `# spcs: pool=NO_SUCH_POOL\n${echo('/tutorial_db/data_schema/tutorial_repository/echo:v2')}`;
    const diagnostics = check(text, {});
    const diagnostic = expectDiagnostic(diagnostics, 'spcs/account-unknown-pool', 'warning', 0, 13);
    assert.match(diagnostic.message, /NO_SUCH_POOL.*as of the account catalog of 'emulator_dev' read 2026-11-26 00:00 UTC/);
    const fixed = applyEdit(text, diagnostic, "Use compute pool 'DEMO_CPU_POOL' (CPU_X64_S: 3 vCPU, 13 GiB)");
    assert.ok(fixed.startsWith('# spcs: pool=DEMO_CPU_POOL\n'));
  });

  it('reports a remembered pool that is gone on the `spec` key', () => {
    const diagnostics = check(echo('/tutorial_db/data_schema/tutorial_repository/echo:v2'), { target: { ...target, computePool: 'DROPPED_POOL' } });
    const diagnostic = expectDiagnostic(diagnostics, 'spcs/account-unknown-pool', 'warning', 0, 0);
    assert.match(diagnostic.message, /last deploy of this file/);
  });

  it('reports a pool the role may watch but not use', () => {
    const diagnostics = check(`# spcs: pool=WATCH_POOL\n${echo('/tutorial_db/data_schema/tutorial_repository/echo:v2')}`, {});
    const diagnostic = expectDiagnostic(diagnostics, 'spcs/account-missing-privilege', 'warning', 0, 13);
    assert.match(diagnostic.message, /MONITOR but not USAGE on compute pool 'WATCH_POOL'/);
    expectNoDiagnostic(check(`# spcs: pool=SMALL_GPU_POOL\n${echo('/tutorial_db/data_schema/tutorial_repository/echo:v2')}`, {}), 'spcs/account-missing-privilege');
  });

  const gpuSpec = (count: number) =>
    yaml(`
      spec:
        containers:
          - name: llm
            image: /tutorial_db/data_schema/tutorial_repository/vllm:0.6.0
            resources:
              requests:
                nvidia.com/gpu: ${count}
              limits:
                nvidia.com/gpu: ${count}
    `);

  it('reports GPUs on a pool of CPU nodes, offering GPU pools', () => {
    const text = gpuSpec(1);
    const diagnostic = expectDiagnostic(check(text), 'spcs/account-pool-gpu', 'warning', 6, 26);
    assert.match(diagnostic.message, /compute pool 'DEMO_CPU_POOL' \(CPU_X64_S: 3 vCPU, 13 GiB\) has no GPU/);
    assert.deepEqual(fixesOf(diagnostic).map((fix) => fix.title), [
      "Use compute pool 'DEMO_GPU_POOL' (GPU_NV_M: 44 vCPU, 178 GiB, 4 × NVIDIA A10G)",
      "Use compute pool 'SMALL_GPU_POOL' (GPU_NV_S: 6 vCPU, 27 GiB, 1 × NVIDIA A10G)",
    ]);
    const fixed = applyEdit(text, diagnostic, fixesOf(diagnostic)[0]?.title ?? '');
    assert.ok(fixed.startsWith('# spcs: pool=DEMO_GPU_POOL\nspec:'));
    assert.deepEqual(accountCodes(check(fixed)), []);
  });

  it('reports more GPUs than a node of the pool has, and accepts what fits', () => {
    expectDiagnostic(check(gpuSpec(8), { target: { ...target, computePool: 'DEMO_GPU_POOL' } }), 'spcs/account-pool-gpu', 'warning', 6, 26);
    expectNoDiagnostic(check(gpuSpec(4), { target: { ...target, computePool: 'DEMO_GPU_POOL' } }), 'spcs/account-pool-gpu');
  });

  it('sums the requests of all containers (and stage sidecars) against a node', () => {
    const text = yaml(`
      spec:
        containers:
          - name: a
            image: /tutorial_db/data_schema/tutorial_repository/echo:v2
            resources:
              requests:
                memory: 8Gi
                cpu: 1
          - name: b
            image: /tutorial_db/data_schema/tutorial_repository/echo:v2
            resources:
              requests:
                memory: 5Gi
                cpu: 1
            volumeMounts:
              - name: models
                mountPath: /models
        volumes:
          - name: models
            source: stage
            stageConfig:
              name: "@models"
    `);
    const diagnostic = expectDiagnostic(check(text), 'spcs/account-pool-capacity', 'warning', 1, 2);
    assert.match(diagnostic.message, /memory requests add up to 13\.5 GiB \(a 8 GiB, b 5 GiB, stage-mount sidecars 0\.5 GiB\), more than the 13 GiB/);
    expectNoDiagnostic(check(text.replace('memory: 5Gi', 'memory: 4Gi')), 'spcs/account-pool-capacity');
  });

  it('reports one container that alone exceeds a node', () => {
    const text = echo('/tutorial_db/data_schema/tutorial_repository/echo:v2').replace(
      'image: /tutorial_db/data_schema/tutorial_repository/echo:v2',
      'image: /tutorial_db/data_schema/tutorial_repository/echo:v2\n      resources:\n        requests:\n          cpu: 4',
    );
    const diagnostic = expectDiagnostic(check(text), 'spcs/account-pool-capacity', 'warning', 6, 15);
    assert.match(diagnostic.message, /requests 4 vCPU of cpu, but a node of compute pool 'DEMO_CPU_POOL'/);
    assert.ok(fixesOf(diagnostic).some((fix) => fix.title.startsWith("Use compute pool 'DEMO_GPU_POOL'")));
  });

  it('replaces the offline instance-family check when the live pool is known (no duplicates)', () => {
    const text = `# spcs: instance-family=CPU_X64_XS pool=DEMO_GPU_POOL\n${gpuSpec(2)}`;
    const diagnostics = check(text, {});
    expectNoDiagnostic(diagnostics, 'spcs/gpu-exceeds-family');
    expectNoDiagnostic(diagnostics, 'spcs/account-pool-gpu');
    const offline = check(text, { catalog: null });
    assert.equal(withCode(offline, 'spcs/gpu-exceeds-family').length, 1);
  });

  it('never checks templated resources', () => {
    const text = gpuSpec(1).replace(/nvidia\.com\/gpu: 1/g, 'nvidia.com/gpu: {{ gpus }}');
    expectNoDiagnostic(check(text), 'spcs/account-pool-gpu');
  });
});

describe('account diagnostics: images', () => {
  it('accepts an image and tag that exist, in any case of the path and with the registry host', () => {
    assert.deepEqual(accountCodes(check(echo('/tutorial_db/data_schema/tutorial_repository/echo:v2'))), []);
    assert.deepEqual(accountCodes(check(echo('/TUTORIAL_DB/Data_Schema/tutorial_repository/echo:latest'))), []);
    assert.deepEqual(accountCodes(check(echo('myorg-myacct.registry.snowflakecomputing.com/tutorial_db/data_schema/tutorial_repository/echo:v1'))), []);
  });

  it('reports a missing repository', () => {
    const diagnostic = expectDiagnostic(check(echo('/tutorial_db/data_schema/nope/echo:v2')), 'spcs/account-image-repository-not-found', 'warning', 3, 13);
    assert.match(diagnostic.message, /TUTORIAL_DB\.DATA_SCHEMA\.NOPE/);
  });

  it('reports a missing image', () => {
    const diagnostic = expectDiagnostic(check(echo('/tutorial_db/data_schema/tutorial_repository/ekho:v2')), 'spcs/account-image-not-found', 'warning', 3, 13);
    assert.match(diagnostic.message, /images there: 'echo', 'vllm'/);
  });

  it('reports a missing tag, with one fix per existing tag, newest first', () => {
    const text = echo('/tutorial_db/data_schema/tutorial_repository/echo:v3');
    const diagnostic = expectDiagnostic(check(text), 'spcs/account-image-tag-not-found', 'warning', 3, 13);
    assert.deepEqual(fixesOf(diagnostic).map((fix) => fix.title), [
      "Use tag 'latest' (pushed 2026-03-01 09:30)",
      "Use tag 'v2' (pushed 2026-03-01 09:30)",
      "Use tag 'v1' (pushed 2026-01-10 10:00)",
      "Use tag 'v0' (pushed 2025-12-01 08:00)",
    ]);
    assert.equal(fixesOf(diagnostic).filter((fix) => fix.isPreferred).length, 0, '"Fix all" never picks a tag');
    const fixed = applyEdit(text, diagnostic, "Use tag 'v1' (pushed 2026-01-10 10:00)");
    assert.match(fixed, /image: \/tutorial_db\/data_schema\/tutorial_repository\/echo:v1\n/);
    assert.deepEqual(accountCodes(check(fixed)), []);
  });

  it('keeps the quotes of a quoted image when fixing the tag', () => {
    const text = echo('"/tutorial_db/data_schema/tutorial_repository/echo:nope"');
    const diagnostic = expectDiagnostic(check(text), 'spcs/account-image-tag-not-found', 'warning', 3, 13);
    assert.match(applyEdit(text, diagnostic, "Use tag 'v2' (pushed 2026-03-01 09:30)"), /image: "\/tutorial_db\/data_schema\/tutorial_repository\/echo:v2"/);
  });

  it('does not judge an image without a tag, digests, Snowflake images, other registries or templates', () => {
    for (const image of [
      '/tutorial_db/data_schema/tutorial_repository/echo',
      '/tutorial_db/data_schema/tutorial_repository/echo@sha256:9999',
      '/snowflake/images/snowflake_images/monitoring-prometheus-sidecar:0.0.1',
      'otherorg-otheracct.registry.snowflakecomputing.com/tutorial_db/data_schema/nope/echo:v1',
      'docker.io/library/nginx:latest',
      'my_repo/my_job_image:latest',
      '/tutorial_db/data_schema/tutorial_repository/echo:{{ tag }}',
      '{{ image }}',
    ]) {
      assert.deepEqual(accountCodes(check(echo(image))), [], image);
    }
  });

  it('reports READ missing on a repository the role only has SERVICE READ on, and nothing on unlisted images', () => {
    const diagnostic = expectDiagnostic(check(echo('/spcs_demo/public/builds/app:1')), 'spcs/account-missing-privilege', 'warning', 3, 13);
    assert.match(diagnostic.message, /SERVICE READ but not READ on image repository 'SPCS_DEMO\.PUBLIC\.BUILDS'/);
    assert.deepEqual(accountCodes(check(echo('/spcs_demo/public/unlisted/app:1'))), []);
  });
});

describe('account diagnostics: stages, secrets, endpoints, block volumes', () => {
  const stageSpec = (name: string, source = 'stage') =>
    yaml(`
      spec:
        containers:
          - name: app
            image: /tutorial_db/data_schema/tutorial_repository/echo:v2
        volumes:
          - name: data
            source: ${source}
            stageConfig:
              name: ${name}
    `);

  it('reports a stage that does not exist, and accepts existing ones however they are named', () => {
    const diagnostic = expectDiagnostic(check(stageSpec('"@nope/models"')), 'spcs/account-stage-not-found', 'warning', 8, 14);
    assert.match(diagnostic.message, /'SPCS_DEMO\.PUBLIC\.NOPE'/);
    for (const name of ['"@models"', '"@MODELS/sub/dir"', '"@spcs_demo.public.models"', '"@shared_db.data.shared"', '"@shared"', '"@~/x"']) {
      assert.deepEqual(accountCodes(check(stageSpec(name))), [], name);
    }
  });

  it('checks the deprecated `source: "@stage"` form too', () => {
    const text = yaml(`
      spec:
        containers:
          - name: app
            image: /tutorial_db/data_schema/tutorial_repository/echo:v2
        volumes:
          - name: data
            source: "@nope"
    `);
    expectDiagnostic(check(text), 'spcs/account-stage-not-found', 'warning', 6, 14);
  });

  it('reports READ missing on a stage', () => {
    const diagnostic = expectDiagnostic(check(stageSpec('"@locked"')), 'spcs/account-missing-privilege', 'warning', 8, 14);
    assert.match(diagnostic.message, /USAGE but not READ on stage 'SPCS_DEMO\.PUBLIC\.LOCKED'/);
  });

  /** A container with one secret; `entry` lines are written relative to the secret's `- `. */
  const secretSpec = (entry: string) =>
    [
      'spec:',
      '  containers:',
      '    - name: app',
      '      image: /tutorial_db/data_schema/tutorial_repository/echo:v2',
      '      secrets:',
      ...entry.split('\n').map((line) => `        ${line}`),
      '',
    ].join('\n');

  it('reports a secret that does not exist (both forms)', () => {
    expectDiagnostic(check(secretSpec('- snowflakeSecret: nope\n  envVarName: X\n  secretKeyRef: secret_string')), 'spcs/account-secret-not-found', 'warning', 5, 27);
    expectDiagnostic(
      check(secretSpec('- snowflakeSecret:\n    objectName: spcs_demo.public.nope\n  directoryPath: /s')),
      'spcs/account-secret-not-found',
      'warning',
      6,
      24,
    );
    assert.deepEqual(accountCodes(check(secretSpec('- snowflakeSecret: api_key\n  envVarName: X\n  secretKeyRef: secret_string'))), []);
  });

  it('reports a secretKeyRef that does not fit the secret type, with fixes', () => {
    const text = secretSpec('- snowflakeSecret: db_password\n  envVarName: X\n  secretKeyRef: secret_string');
    const diagnostic = expectDiagnostic(check(text), 'spcs/account-secret-type', 'warning', 7, 24);
    assert.match(diagnostic.message, /is a PASSWORD secret \(as of .*\): it has 'username' and 'password', not 'secret_string'/);
    assert.deepEqual(fixesOf(diagnostic).map((fix) => fix.title), ["Change to 'username'", "Change to 'password'"]);
    assert.deepEqual(accountCodes(check(applyEdit(text, diagnostic, "Change to 'password'"))), []);
    assert.deepEqual(accountCodes(check(secretSpec('- snowflakeSecret: oauth_token\n  envVarName: T\n  secretKeyRef: access_token'))), []);
    assert.deepEqual(accountCodes(check(secretSpec('- snowflakeSecret: db_password\n  directoryPath: /secrets'))), []);
  });

  it('reports READ missing on a secret', () => {
    const diagnostic = expectDiagnostic(
      check(secretSpec('- snowflakeSecret: hidden\n  envVarName: X\n  secretKeyRef: secret_string')),
      'spcs/account-missing-privilege',
      'warning',
      5,
      27,
    );
    assert.match(diagnostic.message, /not READ on secret 'SPCS_DEMO\.PUBLIC\.HIDDEN'/);
  });

  const publicSpec = `${echo('/tutorial_db/data_schema/tutorial_repository/echo:v2')}  endpoints:\n    - name: api\n      port: 8080\n      public: true\n`;

  it('reports a public endpoint without BIND SERVICE ENDPOINT', () => {
    const withoutBind = demoCatalog({ grants: (demoCatalog().grants ?? []).filter((grant) => grant.privilege !== 'BIND SERVICE ENDPOINT') });
    const diagnostic = expectDiagnostic(check(publicSpec, { catalog: withoutBind, target }), 'spcs/account-missing-privilege', 'warning', 7, 14);
    assert.match(diagnostic.message, /BIND SERVICE ENDPOINT/);
    assert.deepEqual(accountCodes(check(publicSpec)), []);
    assert.deepEqual(accountCodes(check(publicSpec.replace('public: true', 'public: false'), { catalog: withoutBind, target })), []);
  });

  const blockSpec = yaml(`
    spec:
      containers:
        - name: db
          image: /tutorial_db/data_schema/tutorial_repository/echo:v2
          volumeMounts:
            - name: data
              mountPath: /data
      volumes:
        - name: data
          source: block
          size: 10Gi
  `);

  it('reports block volumes when the remembered deploy has MIN_INSTANCES ≠ MAX_INSTANCES', () => {
    const diagnostic = expectDiagnostic(check(blockSpec, { target: { ...target, minInstances: 1, maxInstances: 3 } }), 'spcs/account-block-volume-instances', 'warning', 9, 14);
    assert.match(diagnostic.message, /MIN_INSTANCES = 1 and MAX_INSTANCES = 3/);
    expectNoDiagnostic(check(blockSpec), 'spcs/account-block-volume-instances');
    expectNoDiagnostic(check(blockSpec, {}), 'spcs/account-block-volume-instances');
  });

  it('reports everything as a warning at most, never an error', () => {
    const text = `# spcs: pool=WATCH_POOL\n${stageSpec('"@nope"')}`;
    const all = check(text.replace('echo:v2', 'echo:v9'), { catalog: demoCatalog({ grants: [] }), target: { ...target, minInstances: 1, maxInstances: 2 } });
    assert.ok(accountCodes(all).length >= 2);
    for (const diagnostic of all.filter((candidate) => String(candidate.code).startsWith('spcs/account-'))) {
      assert.equal(diagnostic.severity, 2, String(diagnostic.code));
    }
  });

  it('says the catalog may be out of date when it is stale', () => {
    const service = accountService({ catalog: null });
    service.setAccountCatalog({ connection: 'c', isDefault: true, fetchedAt: '2026-11-25T23:00:00Z', catalog: demoCatalog(), status: { state: 'stale', reason: 'refresh failed: timeout' } });
    const [diagnostic] = withCode(service.validate(specDocument(echo('/tutorial_db/data_schema/tutorial_repository/echo:v9'))), 'spcs/account-image-tag-not-found');
    assert.match(diagnostic?.message ?? '', /read 2026-11-25 23:00 UTC; it may be out of date \(refresh failed: timeout\)/);
  });
});

describe('which catalog a spec without a connection uses', () => {
  const missingTag = () => specDocument(echo('/tutorial_db/data_schema/tutorial_repository/echo:v9'));
  const params = (connection: string, isDefault: boolean | undefined) => {
    const base = catalogParams(demoCatalog(), connection);
    const { isDefault: _stated, ...rest } = base;
    return isDefault === undefined ? rest : { ...rest, isDefault };
  };

  it('uses the only catalog of a client that never names a default', () => {
    const service = accountService({ catalog: null });
    service.setAccountCatalog(params('only', undefined));
    assert.deepEqual(accountCodes(service.validate(missingTag())), ['spcs/account-image-tag-not-found']);
  });

  it("never lets another connection's catalog stand in while the default's has not arrived", () => {
    const service = accountService({ catalog: null });
    service.setAccountCatalog(params('emulator_viewer', false));
    assert.deepEqual(accountCodes(service.validate(missingTag())), [], 'the viewer is not the default connection');
    service.setAccountCatalog(params('emulator_dev', true));
    const [diagnostic] = withCode(service.validate(missingTag()), 'spcs/account-image-tag-not-found');
    assert.match(diagnostic?.message ?? '', /emulator_dev/);
  });
});

describe('account diagnostics on real specs', () => {
  const specsDir = path.resolve(__dirname, '../../../shared/corpus/specs');

  it('never throws and never reports an account error on the corpus, whatever the target pool', { skip: !existsSync(specsDir) }, () => {
    const files = readdirSync(specsDir).filter((file) => /\.ya?ml$/.test(file));
    assert.ok(files.length > 0);
    for (const pool of ['DEMO_CPU_POOL', 'DEMO_GPU_POOL', 'NO_SUCH_POOL']) {
      const service = accountService({ target: { ...target, computePool: pool, minInstances: 1, maxInstances: 2 } });
      for (const file of files) {
        const text = readFileSync(path.join(specsDir, file), 'utf8');
        const diagnostics = service.validate(specDocument(text, `file:///corpus/${file}`));
        for (const diagnostic of diagnostics.filter((candidate) => String(candidate.code).startsWith('spcs/account-'))) {
          assert.equal(diagnostic.severity, 2, `${file}: ${String(diagnostic.code)}`);
        }
        const offline = validateSpec(parseSpecDocument(specDocument(text, `file:///corpus/${file}`)));
        const nonAccount = diagnostics.filter((candidate) => !String(candidate.code).startsWith('spcs/account-'));
        // The live pool replaces the offline family checks; nothing else changes.
        assert.deepEqual(nonAccount, offline, file);
      }
    }
  });
});
