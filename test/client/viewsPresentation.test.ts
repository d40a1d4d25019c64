/**
 * How tree nodes look (views/presentation.ts): labels, descriptions, contextValues (matched by the
 * package.json menus), ids, and the commands error nodes run. Pure: no emulator, no VS Code.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { imagePath, ingressUrlOf, tagsFromRows } from '../../client/src/listings/accountData';
import { cellTime } from '../../client/src/snowflake/cells';
import type { AccountNode, ContainerNode, EndpointNode, ImageNode, PoolNode, ServiceNode, TagNode } from '../../client/src/model/nodes';
import { causeLabel, formatBytes, nodeId, present } from '../../client/src/views/presentation';

const pool: PoolNode = {
  kind: 'pool',
  view: 'spcs.computePools',
  connection: 'dev',
  name: 'DEMO_GPU_POOL',
  state: 'ACTIVE',
  instanceFamily: 'GPU_NV_M',
  minNodes: 1,
  maxNodes: 2,
  activeNodes: 1,
  idleNodes: 0,
  gpusPerNode: 4,
  numServices: 1,
};

const service: ServiceNode = {
  kind: 'service',
  view: 'spcs.services',
  connection: 'dev',
  database: 'SPCS_DEMO',
  schema: 'PUBLIC',
  name: 'ECHO_SERVICE',
  status: 'RUNNING',
  computePool: 'DEMO_CPU_POOL',
  isJob: false,
  currentInstances: 1,
  targetInstances: 2,
  isUpgrading: false,
  hasBlockVolumes: false,
};

const serviceRef = { connection: 'dev', database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' };
const repository = { connection: 'dev', database: 'TUTORIAL_DB', schema: 'DATA_SCHEMA', name: 'TUTORIAL_REPOSITORY' };
const repositoryUrl = 'org-acct.registry.snowflakecomputing.com/tutorial_db/data_schema/tutorial_repository';

/** The `viewItem =~ /…/` conditions of the package.json menus for a command (`negated` for `!(viewItem =~ …)`). */
function menuConditions(command: string): { pattern: RegExp; negated: boolean }[] {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as {
    contributes: { menus: Record<string, { command: string; when?: string }[]> };
  };
  return (manifest.contributes.menus['view/item/context'] ?? [])
    .filter((entry) => entry.command === command)
    .flatMap((entry) =>
      [...(entry.when ?? '').matchAll(/(!\(\s*)?viewItem =~ \/((?:\\\/|[^/])+)\//g)].map((match) => ({ pattern: new RegExp(match[2] ?? ''), negated: match[1] !== undefined })),
    );
}

function menuShows(command: string, contextValue: string): boolean {
  const conditions = menuConditions(command);
  assert.ok(conditions.length > 0, `no menu entry for ${command}`);
  return conditions.every(({ pattern, negated }) => pattern.test(contextValue) !== negated);
}

describe('views presentation', () => {
  it('shows a pool with its state and GPU badge, and the family and nodes in the tooltip', () => {
    const shown = present(pool);
    assert.equal(shown.label, 'DEMO_GPU_POOL');
    assert.equal(shown.description, 'ACTIVE · 4 GPU');
    assert.match(shown.tooltip, /Instance family: `GPU_NV_M`/);
    assert.match(shown.tooltip, /Nodes: `1 active \/ 0 idle \/ max 2`/);
    assert.equal(shown.contextValue, 'pool;suspendable');
    assert.equal(shown.collapsible, 'collapsed');
    assert.equal(shown.icon.id, 'circuit-board');
    assert.match(shown.tooltip, /GPUs per node: `4`/);
    assert.ok(menuShows('spcs.suspendComputePool', shown.contextValue));
    assert.ok(!menuShows('spcs.resumeComputePool', shown.contextValue));
    const suspended = present({ ...pool, state: 'SUSPENDED', gpusPerNode: undefined, instanceFamily: 'CPU_X64_XS' });
    assert.equal(suspended.contextValue, 'pool;resumable');
    assert.equal(suspended.icon.id, 'server');
    assert.equal(suspended.description, 'SUSPENDED', 'a CPU pool has no GPU badge');
    assert.ok(menuShows('spcs.resumeComputePool', suspended.contextValue));
  });

  it('shows a service with status, instances and the lifecycle flags', () => {
    const shown = present(service);
    assert.equal(shown.label, 'ECHO_SERVICE');
    assert.equal(shown.description, 'RUNNING · 1/2');
    assert.match(shown.tooltip, /Instances \(current\/target\): `1\/2`/);
    assert.equal(shown.contextValue, 'service;suspendable');
    assert.ok(menuShows('spcs.suspendService', shown.contextValue));
    assert.ok(menuShows('spcs.setServiceInstances', shown.contextValue));
    const suspended = present({ ...service, status: 'SUSPENDED', currentInstances: 0 });
    assert.equal(suspended.contextValue, 'service;resumable');
    assert.equal(present({ ...service, isUpgrading: true }).description, 'RUNNING · 1/2 · upgrading');
    assert.equal(present({ ...service, drift: { summary: 'local spec changed', message: 'The file changed.', file: 'file:///echo.spcs.yaml' } }).description, 'RUNNING · 1/2 · local spec changed');
    assert.equal(present({ ...service, hasBlockVolumes: true }).contextValue, 'service;suspendable;blockVolumes');
    // Health (monitoring/healthMarks.ts): the summary after the status, a warning icon and its sentence in the tooltip.
    const healthy = present({ ...service, health: { summary: 'GPU 87 % · mem 71 %' } });
    assert.equal(healthy.description, 'RUNNING · 1/2 · GPU 87 % · mem 71 %');
    assert.notEqual(healthy.icon.id, 'warning');
    const warned = present({ ...service, health: { summary: 'mem 95 %', warning: 'vllm (instance 0) restarted once in the last hour.' } });
    assert.deepEqual(warned.icon, { id: 'warning', color: 'list.warningForeground' });
    assert.equal(warned.contextValue, 'service;suspendable;unhealthy');
    assert.ok(menuShows('spcs.suspendService', warned.contextValue));
    assert.match(warned.tooltip, /\$\(warning\) vllm .*instance 0.* restarted once in the last hour.* Run "Show Metrics" or "Show Events" to see more\.$/);
    const instance = present({ kind: 'instance', view: 'spcs.services', connection: 'dev', database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE', instanceId: '0', status: 'READY', health: { summary: 'mem 40 %' } });
    assert.equal(instance.description, 'READY · mem 40 %');
    assert.equal(instance.contextValue, 'instance');
    // In the Compute Pools view too the description stays short: the schema is in the tooltip's heading.
    const inPool = present({ ...service, view: 'spcs.computePools' });
    assert.equal(inPool.description, 'RUNNING · 1/2');
    assert.match(inPool.tooltip, /SPCS\\_DEMO\\.PUBLIC\\.ECHO\\_SERVICE/);
  });

  it('marks job services as jobs (icon, tooltip, context) with their final state, without resize or suspend', () => {
    const job = present({ ...service, name: 'NIGHTLY_TRAINING_JOB', isJob: true, status: 'DONE', currentInstances: 0, targetInstances: 0 });
    assert.equal(job.description, 'DONE');
    assert.equal(job.contextValue, 'service;job');
    assert.equal(job.icon.id, 'run-all');
    assert.ok(!menuShows('spcs.setServiceInstances', job.contextValue));
    assert.ok(!menuShows('spcs.suspendService', job.contextValue));
    assert.match(job.tooltip, /^\*\*Job service\*\*/);
    assert.match(job.tooltip, /DONE \(finished\)/);
  });

  it('shows instances and containers with status, restarts and message', () => {
    const instance = present({ kind: 'instance', view: 'spcs.services', ...serviceRef, instanceId: '0', status: 'READY' });
    assert.equal(instance.label, 'Instance 0');
    assert.equal(instance.description, 'READY');
    assert.equal(instance.contextValue, 'instance');
    const container: ContainerNode = { kind: 'container', view: 'spcs.services', ...serviceRef, instanceId: '0', container: 'vllm', status: 'READY', restartCount: 1, message: 'Running' };
    const shown = present(container);
    assert.equal(shown.label, 'vllm');
    assert.equal(shown.description, 'READY · 1 restart');
    assert.equal(shown.contextValue, 'container');
    assert.equal(shown.collapsible, 'none');
    const failed = present({ ...container, status: 'FAILED', restartCount: 3, message: 'Image not found' });
    assert.equal(failed.description, 'FAILED · 3 restarts');
    assert.match(failed.tooltip, /Message: `Image not found`/);
    assert.ok(menuShows('spcs.logs.showPrevious', shown.contextValue));
  });

  it('shows endpoints as public or private, with the ingress URL once provisioned', () => {
    const endpoint: EndpointNode = { kind: 'endpoint', view: 'spcs.services', service: serviceRef, name: 'echoendpoint', port: '8000', protocol: 'HTTP', isPublic: true, ingressUrl: 'https://abc-org.snowflakecomputing.app' };
    const shown = present(endpoint);
    assert.equal(shown.description, 'public · HTTP :8000');
    assert.match(shown.tooltip, /Ingress URL: `https:\/\/abc-org\.snowflakecomputing\.app`/);
    assert.equal(shown.contextValue, 'endpoint;public;hasUrl');
    assert.ok(menuShows('spcs.openEndpoint', shown.contextValue));
    const provisioning = present({ ...endpoint, ingressUrl: undefined, ingressNote: 'Endpoints provisioning in progress... check back in a few minutes' });
    assert.equal(provisioning.contextValue, 'endpoint;public');
    assert.equal(provisioning.description, 'public · HTTP :8000 · provisioning');
    assert.match(provisioning.tooltip, /provisioning in progress/);
    const internal = present({ ...endpoint, isPublic: false, ingressUrl: undefined });
    assert.equal(internal.description, 'private · HTTP :8000');
    assert.equal(internal.contextValue, 'endpoint');
    assert.equal(present({ kind: 'endpoints', view: 'spcs.services', service: serviceRef }).label, 'Endpoints');
  });

  it('shows connections with the default, emulator and signed-out flags', () => {
    const shown = present({ kind: 'connection', view: 'spcs.services', connection: 'emulator_dev', summary: 'SPCS_EMULATOR / DEMO_USER', isDefault: true, isEmulator: false, role: 'SPCS_DEVELOPER' });
    assert.equal(shown.label, 'emulator_dev');
    assert.equal(shown.description, 'SPCS_DEVELOPER · default');
    assert.match(shown.tooltip, /Account \/ user: `SPCS_EMULATOR \/ DEMO_USER`/);
    assert.equal(shown.contextValue, 'connection');
    assert.equal(shown.collapsible, 'expanded');
    const other = present({ kind: 'connection', view: 'spcs.services', connection: 'spcs_emulator', summary: 'x', isDefault: false, isEmulator: true, signedOut: true });
    assert.equal(other.contextValue, 'connection;signedOut;emulator');
    assert.equal(other.collapsible, 'collapsed');
    assert.equal(other.description, 'signed out');
    assert.match(other.tooltip, /the local emulator/);
    assert.ok(menuShows('spcs.signIn', other.contextValue));
    assert.ok(menuShows('spcs.stopEmulator', other.contextValue));
    assert.ok(!menuShows('spcs.signIn', shown.contextValue));
  });

  it('shows repositories, images and tags, and builds the spec image path', () => {
    assert.equal(present({ kind: 'repository', view: 'spcs.imageRepositories', ...repository, repositoryUrl }).description, 'TUTORIAL_DB.DATA_SCHEMA');
    const image: ImageNode = { kind: 'image', view: 'spcs.imageRepositories', repository, repositoryUrl, image: 'echo' };
    assert.equal(present(image).contextValue, 'image');
    const tag: TagNode = { kind: 'tag', view: 'spcs.imageRepositories', repository, repositoryUrl, image: 'echo', tag: 'v1', digest: 'sha256:bfb9cda3ac8f3d91f92968e4d7ccca52', sizeBytes: 3 * 1024 * 1024, createdOn: '2026-01-01T00:01:00.000Z' };
    const shown = present(tag);
    assert.equal(shown.label, 'v1');
    assert.equal(shown.description, '2026-01-01 · sha256:bfb9cda3ac8f');
    assert.match(shown.tooltip, /Size: `3\.0 MB`/);
    assert.match(shown.tooltip, /Pushed: `2026-01-01 00:01 UTC`/);
    assert.equal(shown.contextValue, 'tag');
    assert.ok(menuShows('spcs.copyImagePath', shown.contextValue));
    assert.equal(imagePath(repositoryUrl, 'echo', 'v1'), '/tutorial_db/data_schema/tutorial_repository/echo:v1');
    assert.match(shown.tooltip, /tutorial_repository\/echo:v1/);
  });

  it('keeps the descriptions of pools, services, instances and containers short enough for the side bar at its default width', () => {
    // About 20 characters fit after a pool's or a service's name at the default side bar width (the
    // browser journey checks the real rows: test/e2e/accountTrees.e2e.ts).
    const budget = 21;
    const nodes = [
      pool,
      { ...pool, state: 'STARTING' },
      service,
      { ...service, view: 'spcs.computePools' as const, status: 'SUSPENDING', currentInstances: 10, targetInstances: 10 },
      { ...service, isJob: true, status: 'DONE' },
      { kind: 'instance' as const, view: 'spcs.services' as const, ...serviceRef, instanceId: '0', status: 'PENDING' },
      { kind: 'container' as const, view: 'spcs.services' as const, ...serviceRef, instanceId: '0', container: 'vllm', status: 'FAILED', restartCount: 12, message: 'Back-off restarting failed container: the image could not be pulled' },
    ];
    for (const node of nodes) {
      const description = present(node).description ?? '';
      assert.ok(description.length <= budget, `${node.kind} description "${description}" is ${description.length} characters`);
      assert.match(description, /^[A-Z_]+( ·|$)/, `${node.kind}: the state comes first in "${description}"`);
    }
  });

  it('turns errors into nodes that name the cause and retry the parent, or offer a sign-in', () => {
    const failed = present({ kind: 'error', view: 'spcs.computePools', message: 'Could not reach Snowflake', cause: causeLabel('network'), parent: pool });
    assert.equal(failed.label, 'Could not reach Snowflake');
    assert.equal(failed.description, 'network · click to retry');
    assert.deepEqual(failed.command, { command: 'spcs.refreshNode', title: 'Retry', arguments: [pool] });
    assert.equal(failed.icon.id, 'error');
    const signIn = present({ kind: 'error', view: 'spcs.computePools', message: 'needs a password', cause: 'signed out', parent: pool, signIn: 'dev' });
    assert.deepEqual(signIn.command, { command: 'spcs.signIn', title: 'Sign In', arguments: ['dev'] });
    assert.equal(signIn.label, 'Sign in to list the objects');
    const unreadable = { kind: 'error', view: 'spcs.services', message: 'connections.toml is writable by others', cause: causeLabel('config') } as const;
    assert.deepEqual(present(unreadable).command, { command: 'spcs.refreshNode', title: 'Retry', arguments: [unreadable] });
    assert.equal(causeLabel('privilege'), 'missing privilege');
    assert.equal(causeLabel('auth'), 'authentication');
  });

  it('gives every node a stable id that differs between views and levels', () => {
    const nodes: AccountNode[] = [
      { kind: 'connection', view: 'spcs.services', connection: 'dev', summary: '', isDefault: true, isEmulator: false },
      { kind: 'connection', view: 'spcs.computePools', connection: 'dev', summary: '', isDefault: true, isEmulator: false },
      { kind: 'schema', view: 'spcs.services', connection: 'dev', database: 'SPCS_DEMO', schema: 'PUBLIC' },
      service,
      { ...service, view: 'spcs.computePools' },
      { kind: 'instance', view: 'spcs.services', ...serviceRef, instanceId: '0', status: 'READY' },
      { kind: 'endpoints', view: 'spcs.services', service: serviceRef },
      pool,
      { kind: 'message', view: 'spcs.services', message: 'No services', parent: service },
      { kind: 'error', view: 'spcs.services', message: 'x', cause: 'network', parent: service },
    ];
    const ids = nodes.map(nodeId);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(nodeId({ ...service }), nodeId(service), 'ids depend on identity fields only');
    assert.equal(nodeId({ ...service, status: 'SUSPENDED' }), nodeId(service), 'a status change keeps the id (expansion survives)');
    assert.notEqual(nodeId({ ...pool, name: 'A/B' }), nodeId({ ...pool, name: 'A', connection: 'dev/B' }));
  });

  it('renders a schema of 2000 services quickly', () => {
    const many: ServiceNode[] = Array.from({ length: 2000 }, (_, index) => ({ ...service, name: `SERVICE_${index}` }));
    const started = performance.now();
    const shown = many.map(present);
    const elapsed = performance.now() - started;
    assert.equal(shown.length, 2000);
    assert.equal(new Set(shown.map((item) => item.id)).size, 2000);
    assert.ok(elapsed < 500, `2000 services took ${elapsed.toFixed(0)} ms`);
  });

  it('reads SHOW values: timestamps, ingress URLs, tags and sizes', () => {
    assert.equal(cellTime('2025-12-31 16:01:00.000 -0800'), '2026-01-01T00:01:00.000Z');
    assert.equal(cellTime('not a date'), undefined);
    assert.deepEqual(ingressUrlOf('abc-org.snowflakecomputing.app'), { url: 'https://abc-org.snowflakecomputing.app' });
    assert.deepEqual(ingressUrlOf('Endpoints provisioning in progress... check back in a few minutes'), { note: 'Endpoints provisioning in progress... check back in a few minutes' });
    assert.deepEqual(ingressUrlOf(''), {});
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    const image: ImageNode = { kind: 'image', view: 'spcs.imageRepositories', repository, repositoryUrl, image: 'echo' };
    const tags = tagsFromRows('spcs.imageRepositories', image, [
      { image_name: 'echo', tags: 'v1', digest: 'sha256:1', created_on: '2025-12-31 16:01:00.000 -0800' },
      { image_name: 'echo', tags: '["v2","latest"]', digest: 'sha256:2', created_on: '2025-12-31 16:02:00.000 -0800' },
      { image_name: 'other', tags: 'v9', digest: 'sha256:3', created_on: '2025-12-31 16:03:00.000 -0800' },
    ]);
    assert.deepEqual(tags.map((tag) => tag.tag), ['v2', 'latest', 'v1']);
  });
});
