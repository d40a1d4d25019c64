/**
 * The trees' data against the local emulator with the real snowflake-sdk driver
 * (views/accountData.ts and views/childrenLoader.ts): the demo seed's pools, services, instances,
 * containers, endpoints and images come back with the right fields, and failures become error nodes
 * that name the cause (a role without the grant, an unreachable account, a missing secret).
 */

import assert from 'node:assert/strict';
import * as net from 'node:net';
import { describe, it } from 'node:test';
import { connectionsTomlSection } from '../../emulator/src/cli';
import { SignInGate } from '../../client/src/connections/signInGate';
import { loadConnections } from '../../client/src/snowflake/config';
import * as data from '../../client/src/listings/accountData';
import { loadChildren, type LoaderDependencies } from '../../client/src/views/childrenLoader';
import type { AccountNode, ConnectionNode, ErrorNode, ImageNode, RepositoryNode, ServiceNode } from '../../client/src/model/nodes';
import { present } from '../../client/src/views/presentation';
import { harness, printedConnection, value, RecordingPrompter, type Harness } from './emulatorHarness';

const connection = printedConnection;

function loaderDeps(h: Harness, extra: Partial<LoaderDependencies> = {}): LoaderDependencies {
  return { sessions: h.sessions, connections: () => loadConnections(h.env), timeoutMs: () => 15_000, ...extra };
}

function labels(nodes: readonly AccountNode[]): string[] {
  return nodes.map((node) => present(node).label);
}

/** A port on 127.0.0.1 where nothing listens (taken and released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('views data against the emulator', () => {
  it('lists the compute pools with state, family, nodes and GPUs', async (t) => {
    const h = await harness(t);
    const pools = value(await data.listPools(h.sessions, 'spcs.computePools', connection));
    assert.deepEqual(pools.map((pool) => pool.name), ['DEMO_CPU_POOL', 'DEMO_GPU_POOL', 'SUSPENDED_POOL']);
    const gpu = pools.find((pool) => pool.name === 'DEMO_GPU_POOL');
    assert.deepEqual(gpu && { state: gpu.state, family: gpu.instanceFamily, gpus: gpu.gpusPerNode, max: gpu.maxNodes, active: gpu.activeNodes }, { state: 'ACTIVE', family: 'GPU_NV_M', gpus: 4, max: 2, active: 1 });
    const cpu = pools.find((pool) => pool.name === 'DEMO_CPU_POOL');
    assert.equal(cpu?.gpusPerNode, undefined);
    assert.equal(cpu?.instanceFamily, 'CPU_X64_S');
    assert.equal(pools.find((pool) => pool.name === 'SUSPENDED_POOL')?.state, 'SUSPENDED');
    assert.equal(present(gpu!).description, 'ACTIVE · 4 GPU');
  });

  it('lists the services of a pool, then their instances and containers', async (t) => {
    const h = await harness(t);
    const pool = { connection, name: 'DEMO_CPU_POOL' };
    const services = value(await data.listServicesOfPool(h.sessions, 'spcs.computePools', pool));
    assert.deepEqual(services.map((service) => service.name), ['ECHO_SERVICE', 'ORDERS_SERVICE', 'REPORTING_SERVICE']);
    const echo = services.find((service) => service.name === 'ECHO_SERVICE');
    assert.ok(echo);
    assert.deepEqual({ status: echo.status, current: echo.currentInstances, target: echo.targetInstances, job: echo.isJob, pool: echo.computePool }, { status: 'RUNNING', current: 2, target: 2, job: false, pool: 'DEMO_CPU_POOL' });
    assert.equal(services.find((service) => service.name === 'REPORTING_SERVICE')?.status, 'FAILED');
    const instances = value(await data.listInstances(h.sessions, 'spcs.computePools', echo));
    assert.deepEqual(instances.map((instance) => [instance.instanceId, instance.status]), [['0', 'READY'], ['1', 'READY']]);
    const containers = value(await data.listContainers(h.sessions, 'spcs.computePools', instances[1]!));
    assert.deepEqual(containers.map((container) => [container.instanceId, container.container, container.status]), [['1', 'echo', 'READY']]);
  });

  it('lists the schemas that hold services, their services (jobs marked), and container restarts', async (t) => {
    const h = await harness(t);
    const schemas = value(await data.listSchemas(h.sessions, 'spcs.services', connection));
    assert.ok(schemas.some((schema) => schema.database === 'SPCS_DEMO' && schema.schema === 'PUBLIC'));
    assert.equal(new Set(schemas.map((schema) => `${schema.database}.${schema.schema}`)).size, schemas.length, 'each schema once');
    const demo = schemas.find((schema) => schema.database === 'SPCS_DEMO' && schema.schema === 'PUBLIC')!;
    const services = value(await data.listServicesOfSchema(h.sessions, 'spcs.services', demo));
    assert.deepEqual(services.map((service) => service.name), ['ECHO_SERVICE', 'LLM_SERVICE', 'NIGHTLY_TRAINING_JOB', 'ORDERS_SERVICE', 'REPORTING_SERVICE']);
    const job = services.find((service) => service.name === 'NIGHTLY_TRAINING_JOB')!;
    assert.deepEqual({ job: job.isJob, status: job.status }, { job: true, status: 'DONE' });
    assert.equal(present(job).description, 'DONE');
    assert.equal(present(job).contextValue, 'service;job');
    const llm = services.find((service) => service.name === 'LLM_SERVICE')!;
    const containers = value(await data.listContainers(h.sessions, 'spcs.services', { ...llm, instanceId: '0' }));
    const vllm = containers.find((container) => container.container === 'vllm');
    assert.equal(vllm?.restartCount, 1);
    assert.equal(present(vllm).description, 'READY · 1 restart');
  });

  it('lists endpoints with the public ingress URL', async (t) => {
    const h = await harness(t);
    const endpoints = value(await data.listEndpoints(h.sessions, 'spcs.services', { connection, database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' }));
    assert.equal(endpoints.length, 1);
    const [endpoint] = endpoints;
    assert.equal(endpoint?.name, 'echoendpoint');
    assert.equal(endpoint?.isPublic, true);
    assert.equal(endpoint?.protocol, 'HTTP');
    assert.equal(endpoint?.port, '8000');
    assert.match(endpoint?.ingressUrl ?? '', /^https:\/\/\S+\.snowflakecomputing\.app$/);
    assert.equal(present(endpoint).contextValue, 'endpoint;public;hasUrl');
  });

  it('lists repositories, images and tags (newest first) and the spec image path', async (t) => {
    const h = await harness(t);
    const repositories = value(await data.listRepositories(h.sessions, 'spcs.imageRepositories', connection));
    const tutorial = repositories.find((repository) => repository.name === 'TUTORIAL_REPOSITORY') as RepositoryNode;
    assert.ok(tutorial);
    assert.equal(`${tutorial.database}.${tutorial.schema}`, 'TUTORIAL_DB.DATA_SCHEMA');
    const images = value(await data.listImages(h.sessions, 'spcs.imageRepositories', tutorial));
    assert.ok(images.some((image) => image.image === 'echo'));
    const echo = images.find((image) => image.image === 'echo') as ImageNode;
    const tags = value(await data.listTags(h.sessions, 'spcs.imageRepositories', echo));
    assert.deepEqual(new Set(tags.map((tag) => tag.tag)), new Set(['v1', 'v2', 'latest']));
    assert.equal(tags.at(-1)?.tag, 'v1', 'the oldest tag is last');
    assert.ok(tags.every((tag) => tag.digest?.startsWith('sha256:') && tag.createdOn !== undefined));
    const v1 = tags.find((tag) => tag.tag === 'v1')!;
    assert.equal(data.imagePath(v1.repositoryUrl, v1.image, v1.tag), '/tutorial_db/data_schema/tutorial_repository/echo:v1');
    // From a bare reference (no URL known yet) the path comes from SHOW IMAGES.
    const fromRef = value(await data.listImages(h.sessions, 'spcs.imageRepositories', { connection, database: 'TUTORIAL_DB', schema: 'DATA_SCHEMA', name: 'TUTORIAL_REPOSITORY' }));
    const refTags = value(await data.listTags(h.sessions, 'spcs.imageRepositories', fromRef.find((image) => image.image === 'echo')!));
    const refV1 = refTags.find((tag) => tag.tag === 'v1')!;
    assert.equal(data.imagePath(refV1.repositoryUrl, refV1.image, refV1.tag), '/tutorial_db/data_schema/tutorial_repository/echo:v1');
  });

  it('builds the whole Services tree through the loader', async (t) => {
    const h = await harness(t);
    const deps = loaderDeps(h);
    const roots = await loadChildren(deps, 'spcs.services', undefined);
    assert.deepEqual(labels(roots), [connection]);
    const root = roots[0] as ConnectionNode;
    assert.equal(root.isDefault, false);
    const schemas = await loadChildren(deps, 'spcs.services', root);
    const demo = schemas.find((node) => node.kind === 'schema' && node.database === 'SPCS_DEMO')!;
    const services = await loadChildren(deps, 'spcs.services', demo);
    const echo = services.find((node): node is ServiceNode => node.kind === 'service' && node.name === 'ECHO_SERVICE')!;
    const below = await loadChildren(deps, 'spcs.services', echo);
    assert.deepEqual(labels(below), ['Instance 0', 'Instance 1', 'Endpoints']);
    const endpoints = await loadChildren(deps, 'spcs.services', below[2]);
    assert.deepEqual(labels(endpoints), ['echoendpoint']);
    const job = services.find((node): node is ServiceNode => node.kind === 'service' && node.isJob)!;
    const jobChildren = await loadChildren(deps, 'spcs.services', job);
    assert.equal(jobChildren.at(-1)?.kind, 'endpoints');
  });

  it('shows a missing grant as an error node that names the cause and retries its parent', async (t) => {
    const h = await harness(t);
    h.addConnections(connectionsTomlSection('viewer', h.emulator.connection('VIEWER_USER')));
    const deps = loaderDeps(h);
    const repository: RepositoryNode = { kind: 'repository', view: 'spcs.imageRepositories', connection: 'viewer', database: 'TUTORIAL_DB', schema: 'DATA_SCHEMA', name: 'TUTORIAL_REPOSITORY', repositoryUrl: 'x/tutorial_db/data_schema/tutorial_repository' };
    const children = await loadChildren(deps, 'spcs.imageRepositories', repository);
    assert.equal(children.length, 1);
    const error = children[0] as ErrorNode;
    assert.equal(error.kind, 'error');
    assert.equal(error.cause, 'not found or not authorized');
    assert.match(error.message, /SPCS_VIEWER/);
    assert.equal(error.parent, repository);
    assert.deepEqual(present(error).command, { command: 'spcs.refreshNode', title: 'Retry', arguments: [repository] });
    // The same role still sees what it has USAGE/MONITOR on.
    const pools = await loadChildren(deps, 'spcs.computePools', { kind: 'connection', view: 'spcs.computePools', connection: 'viewer', summary: '', isDefault: false, isEmulator: false });
    assert.ok(pools.some((node) => node.kind === 'pool'));
  });

  it('shows an unreachable account as a network error node', async (t) => {
    const h = await harness(t);
    const port = await closedPort();
    h.addConnections(connectionsTomlSection('gone', { ...h.emulator.connection(), port }));
    const deps = loaderDeps(h);
    const node: ConnectionNode = { kind: 'connection', view: 'spcs.computePools', connection: 'gone', summary: '', isDefault: false, isEmulator: false };
    const children = await loadChildren({ ...deps, sessions: h.newSessions({ loginRetries: 0 }) }, 'spcs.computePools', node);
    const error = children[0] as ErrorNode;
    assert.equal(error.kind, 'error');
    assert.equal(error.cause, 'network');
    assert.match(error.message, /Could not reach Snowflake/);
  });

  it('shows a "Sign in" node instead of prompting, and lists after the sign-in', async (t) => {
    const h = await harness(t);
    h.addConnections(connectionsTomlSection('needs_password', { ...h.emulator.connection(), password: undefined }));
    const prompter = new RecordingPrompter();
    const gate = new SignInGate(prompter);
    const sessions = h.newSessions({ prompter: gate });
    const deps = loaderDeps(h, {
      sessions,
      needsSignIn: (name) => gate.needsSignIn(name),
      withoutPrompts: (work) => gate.withoutPrompts(work),
    });
    const node: ConnectionNode = { kind: 'connection', view: 'spcs.computePools', connection: 'needs_password', summary: '', isDefault: false, isEmulator: false };
    const first = await loadChildren(deps, 'spcs.computePools', node);
    assert.equal(first.length, 1);
    const signIn = first[0] as ErrorNode;
    assert.equal(signIn.signIn, 'needs_password');
    assert.deepEqual(prompter.asked, [], 'the tree never prompts');
    assert.equal(gate.needsSignIn('needs_password'), true);
    // The root shows the connection as signed out.
    const roots = await loadChildren(deps, 'spcs.computePools', undefined);
    const root = roots.find((candidate): candidate is ConnectionNode => candidate.kind === 'connection' && candidate.connection === 'needs_password');
    assert.equal(root?.signedOut, true);
    assert.equal(present(root).contextValue, 'connection;signedOut');
    // spcs.signIn: outside the quiet scope, the prompter is asked.
    prompter.answers.set('password:needs_password', 'demo-password-1');
    value(await sessions.get('needs_password'));
    assert.deepEqual(prompter.asked, ['password:needs_password']);
    assert.equal(gate.needsSignIn('needs_password'), false);
    const after = await loadChildren(deps, 'spcs.computePools', node);
    assert.ok(after.some((child) => child.kind === 'pool'));
  });
});
