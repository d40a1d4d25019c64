/**
 * Completion latency with a loaded account catalog: 1,000 images (one repository of 500, ten of 50,
 * each image with three pushes), 200 stages and 200 secrets, indexed once as the server does on a
 * `spcs/accountCatalog` notification. The language service is then asked for completions the way a
 * user typing drives it: each request follows a one-character edit (a new document version, so the
 * parse cache does not help), at image paths (repository level, all images of the large repository,
 * a typed part of an image name, tag level), stage names and secret names. Target: p99 ≤ 10 ms.
 *
 * `measureAccountCompletion()` returns the figures; the benchmark (`bench/bench.ts`) reports them.
 * Standalone: `node --import tsx bench/accountCompletion.ts` prints them as JSON.
 */

import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AccountCatalog, AccountCatalogParams, CatalogImage, CatalogImageRepository } from '../server/src/lspExtension';
import { SpcsLanguageService } from '../server/src/service/languageService';
import { summarize, type Summary } from './stats';

export interface AccountCompletionFigures {
  readonly images: number;
  readonly stages: number;
  /** Time to validate and index the catalog notification, ms. */
  readonly indexMs: number;
  /** All completion requests together. */
  readonly completion: Summary;
  /** Per position kind. */
  readonly byKind: Readonly<Record<string, Summary>>;
  /** Items returned at the image level of the large repository (what the client has to render). */
  readonly largestList: number;
}

export function accountBenchCatalog(): AccountCatalog {
  const repositories: CatalogImageRepository[] = [];
  const repository = (name: string, count: number): CatalogImageRepository => {
    const images: CatalogImage[] = [];
    for (let image = 0; image < count; image++) {
      for (let push = 0; push < 3; push++) {
        const day = String(1 + ((image * 3 + push) % 28)).padStart(2, '0');
        images.push({
          name: `service-${String(image).padStart(4, '0')}`,
          tags: push === 2 ? [`v${push}`, 'latest'] : [`v${push}`],
          digest: `sha256:${(image * 7919 + push * 104729).toString(16).padStart(64, '0')}`,
          createdOn: `2026-0${1 + push}-${day}T12:00:00Z`,
          sizeBytes: 50_000_000 + image * 1000,
        });
      }
    }
    return { database: 'APP_DB', schema: 'IMAGES', name, images };
  };
  repositories.push(repository('BIG_REPO', 500));
  for (let index = 0; index < 10; index++) {
    repositories.push(repository(`REPO_${index}`, 50));
  }
  const stages = Array.from({ length: 200 }, (_, index) => ({ database: 'APP_DB', schema: index % 2 === 0 ? 'PUBLIC' : 'DATA', name: `STAGE_${index}` }));
  const secrets = Array.from({ length: 200 }, (_, index) => ({ database: 'APP_DB', schema: 'PUBLIC', name: `SECRET_${index}`, type: index % 2 === 0 ? 'PASSWORD' : 'GENERIC_STRING' }));
  return {
    role: 'DEVELOPER',
    database: 'APP_DB',
    schema: 'PUBLIC',
    instanceFamilies: [{ name: 'CPU_X64_S', vcpu: 3, memoryGiB: 13, gpus: 0 }],
    computePools: [{ name: 'POOL', state: 'ACTIVE', instanceFamily: 'CPU_X64_S', minNodes: 1, maxNodes: 3 }],
    imageRepositories: repositories,
    stages,
    secrets,
    externalAccessIntegrations: [],
    warehouses: [],
    grants: [],
  };
}

interface Probe {
  readonly kind: string;
  /** The value typed so far, the cursor at its end. */
  readonly value: string;
  readonly line: (value: string) => string;
}

const imageLine = (value: string) => `spec:\n  containers:\n    - name: app\n      image: ${value}\n`;
const stageLine = (value: string) => `spec:\n  containers:\n    - name: app\n      image: /app_db/images/repo_1/service-0001:v1\n  volumes:\n    - name: data\n      source: stage\n      stageConfig:\n        name: "${value}\n`;
const secretLine = (value: string) => `spec:\n  containers:\n    - name: app\n      image: /app_db/images/repo_1/service-0001:v1\n      secrets:\n        - snowflakeSecret: ${value}\n`;

const probes: readonly Probe[] = [
  { kind: 'image repository', value: '/app_db/ima', line: imageLine },
  { kind: 'image, all 500 of a repository', value: '/app_db/images/big_repo/', line: imageLine },
  { kind: 'image, typed part of the name', value: '/app_db/images/big_repo/service-04', line: imageLine },
  { kind: 'image tag', value: '/app_db/images/big_repo/service-0420:', line: imageLine },
  { kind: 'stage', value: '@STA', line: stageLine },
  { kind: 'secret', value: 'SECR', line: secretLine },
];

export function measureAccountCompletion(samplesPerKind = 400): AccountCompletionFigures {
  const service = new SpcsLanguageService();
  const catalog = accountBenchCatalog();
  const params: AccountCatalogParams = { connection: 'bench', isDefault: true, fetchedAt: new Date().toISOString(), catalog, status: { state: 'fresh' } };
  // The client sends JSON: index what arrives over the wire, not the object we built.
  const wire: unknown = JSON.parse(JSON.stringify(params));
  const indexStarted = performance.now();
  service.setAccountCatalog(wire);
  const indexMs = performance.now() - indexStarted;

  const uri = 'file:///bench/account.spcs.yaml';
  const all: number[] = [];
  const byKind: Record<string, number[]> = {};
  let version = 0;
  let largestList = 0;
  for (let round = 0; round < samplesPerKind + 20; round++) {
    for (const probe of probes) {
      // A one-character edit before each request: alternate the last typed character.
      const value = round % 2 === 0 ? probe.value : `${probe.value.slice(0, -1)}${probe.value.slice(-1).toUpperCase() === probe.value.slice(-1) ? probe.value.slice(-1).toLowerCase() : probe.value.slice(-1).toUpperCase()}`;
      const text = probe.line(value);
      const document = TextDocument.create(uri, 'spcs-spec', ++version, text);
      const cursor = document.positionAt(text.indexOf(value) + value.length);
      const started = performance.now();
      const list = service.complete(document, cursor);
      const elapsed = performance.now() - started;
      if (round >= 20) {
        // The first rounds warm the JIT up, as a running server is.
        all.push(elapsed);
        (byKind[probe.kind] ??= []).push(elapsed);
      }
      if (probe.kind.startsWith('image, all')) {
        largestList = Math.max(largestList, list.items.length);
      }
    }
  }
  const images = catalog.imageRepositories?.reduce((sum, repository) => sum + new Set(repository.images?.map((image) => image.name)).size, 0) ?? 0;
  return {
    images,
    stages: catalog.stages?.length ?? 0,
    indexMs,
    completion: summarize(all),
    byKind: Object.fromEntries(Object.entries(byKind).map(([kind, samples]) => [kind, summarize(samples)])),
    largestList,
  };
}

if (require.main === module) {
  console.log(JSON.stringify(measureAccountCompletion(), null, 2));
}
