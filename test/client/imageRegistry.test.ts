/**
 * "Copy registry login command" and "Push image…": the documented token login and the password
 * login, tag and push to `<registry>/<db>/<schema>/<repo>/<image>:<tag>` in lower case, quoting for
 * POSIX shells and PowerShell, refusals for names the registry cannot address, and the choice of
 * a container CLI with an injected `which`. The registry host and repository URL come from the
 * emulator's catalog, as the extension gets them.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fetchCatalog } from '../../client/src/catalog/fetchCatalog';
import { buildAndPushScript, buildCommand, detectContainerCli, pushCommands, pushScript, quoteArgument, registryLoginCommand, repositoryAddress } from '../../client/src/imageRegistry/imageRegistry';
import { harness, printedConnection, value } from './emulatorHarness';

const host = 'myorg-myacct.registry.snowflakecomputing.com';

describe('registry login', { timeout: 5000 }, () => {
  it('pipes the Snowflake CLI token into the container CLI with the 0sessiontoken user', () => {
    assert.equal(
      registryLoginCommand({ registryHost: host, cli: 'docker', shell: 'posix', method: { kind: 'token', connection: 'dev' } }),
      `snow spcs image-registry token --connection dev --format=JSON | docker login ${host} --username 0sessiontoken --password-stdin`,
    );
    assert.equal(
      registryLoginCommand({ registryHost: 'MyOrg-MyAcct.registry.snowflakecomputing.com', cli: 'podman', shell: 'powershell', method: { kind: 'token', connection: "my conn's" } }),
      `snow spcs image-registry token --connection 'my conn''s' --format=JSON | podman login ${host} --username 0sessiontoken --password-stdin`,
    );
  });

  it('or lets the container CLI ask for the password of a user', () => {
    assert.equal(registryLoginCommand({ registryHost: host, cli: 'nerdctl', shell: 'posix', method: { kind: 'password', user: "o'brien" } }), `nerdctl login ${host} --username 'o'\\''brien'`);
    assert.throws(() => registryLoginCommand({ registryHost: 'evil.com; rm -rf /', cli: 'docker', shell: 'posix', method: { kind: 'token' } }), /Not a registry host/);
  });

  it('quotes only what needs quoting, per shell', () => {
    assert.equal(quoteArgument('my-echo:dev', 'posix'), 'my-echo:dev');
    assert.equal(quoteArgument('a b', 'posix'), "'a b'");
    assert.equal(quoteArgument("it's", 'posix'), `'it'\\''s'`);
    assert.equal(quoteArgument("it's", 'powershell'), "'it''s'");
    assert.equal(quoteArgument('$HOME', 'powershell'), "'$HOME'");
    assert.equal(quoteArgument('a,b', 'powershell'), "'a,b'");
    assert.equal(quoteArgument('a,b', 'posix'), 'a,b');
  });
});

describe('push', { timeout: 5000 }, () => {
  it('tags and pushes to the repository path in lower case and gives the path to write in the spec', () => {
    const address = repositoryAddress(host, { database: 'TUTORIAL_DB', schema: 'DATA_SCHEMA', name: 'TUTORIAL_REPOSITORY' });
    assert.deepEqual(address, { ok: true, value: `${host}/tutorial_db/data_schema/tutorial_repository` });
    const push = pushCommands({ cli: 'docker', shell: 'posix', localImage: 'my-echo:dev', repositoryAddress: address.ok ? address.value : '', image: 'Echo', tag: 'v3' });
    assert.ok(push.ok);
    assert.equal(push.value.target, `${host}/tutorial_db/data_schema/tutorial_repository/echo:v3`);
    assert.equal(push.value.specImage, '/tutorial_db/data_schema/tutorial_repository/echo:v3');
    assert.deepEqual(push.value.commands, [`docker tag my-echo:dev ${host}/tutorial_db/data_schema/tutorial_repository/echo:v3`, `docker push ${host}/tutorial_db/data_schema/tutorial_repository/echo:v3`]);
    const login = registryLoginCommand({ registryHost: host, cli: 'docker', shell: 'posix', method: { kind: 'token' } });
    assert.equal(pushScript(login, push.value, 'posix', true).split(' && ').length, 3);
    assert.equal(pushScript(login, push.value, 'powershell').split('\n').length, 3);
  });

  it('encodes $ in names, refuses names that need quotes, bad image names and tags', () => {
    assert.deepEqual(repositoryAddress(host, { database: 'DB$1', schema: 'S', name: 'R' }), { ok: true, value: `${host}/db%241/s/r` });
    assert.equal(repositoryAddress(host, { database: 'my db', schema: 'S', name: 'R' }).ok, false);
    assert.equal(repositoryAddress(undefined, { database: 'D', schema: 'S', name: 'R' }).ok, false);
    assert.deepEqual(repositoryAddress(undefined, { database: 'D', schema: 'S', name: 'R', repositoryUrl: `${host.toUpperCase()}/D/S/R` }), { ok: true, value: `${host}/d/s/r` });
    const base = { cli: 'docker', shell: 'posix', localImage: 'x', repositoryAddress: `${host}/d/s/r` } as const;
    assert.equal(pushCommands({ ...base, image: 'bad image', tag: 'v1' }).ok, false);
    assert.equal(pushCommands({ ...base, image: 'team/echo', tag: '-v1' }).ok, false);
    assert.equal(pushCommands({ ...base, image: 'team/echo', tag: 'v1', localImage: ' ' }).ok, false);
    assert.equal(pushCommands({ ...base, image: 'team/echo', tag: 'v1.0_rc-1' }).ok, true);
  });
});

describe('build for linux/amd64, then push', { timeout: 5000 }, () => {
  it('builds with the platform SPCS runs, for each container CLI and shell, before login, tag and push', () => {
    assert.equal(buildCommand({ cli: 'docker', shell: 'posix', context: '.', localImage: 'vllm-openai:0.6.3' }), 'docker build --platform linux/amd64 -t vllm-openai:0.6.3 .');
    assert.equal(buildCommand({ cli: 'podman', shell: 'posix', context: 'serving/llm serve', localImage: 'app:1', dockerfile: 'docker/Dockerfile.gpu' }), "podman build --platform linux/amd64 -t app:1 -f docker/Dockerfile.gpu 'serving/llm serve'");
    assert.equal(buildCommand({ cli: 'nerdctl', shell: 'powershell', context: '.', localImage: 'app:1' }), 'nerdctl build --platform linux/amd64 -t app:1 .');
    assert.throws(() => buildCommand({ cli: 'docker', shell: 'posix', context: '.', localImage: ' ' }), /Name the local image/);
    const push = pushCommands({ cli: 'docker', shell: 'posix', localImage: 'vllm-openai:0.6.3', repositoryAddress: `${host}/ml_db/serving/images`, image: 'vllm-openai', tag: '0.6.3' });
    assert.ok(push.ok);
    const build = buildCommand({ cli: 'docker', shell: 'posix', context: '.', localImage: 'vllm-openai:0.6.3' });
    const login = registryLoginCommand({ registryHost: host, cli: 'docker', shell: 'posix', method: { kind: 'token', connection: 'dev' } });
    assert.deepEqual(buildAndPushScript(build, login, push.value, 'posix').split('\n'), [
      'docker build --platform linux/amd64 -t vllm-openai:0.6.3 .',
      `snow spcs image-registry token --connection dev --format=JSON | docker login ${host} --username 0sessiontoken --password-stdin`,
      `docker tag vllm-openai:0.6.3 ${host}/ml_db/serving/images/vllm-openai:0.6.3`,
      `docker push ${host}/ml_db/serving/images/vllm-openai:0.6.3`,
    ]);
    assert.equal(buildAndPushScript(build, login, push.value, 'powershell', true).split('; ').length, 4);
  });
});

describe('container CLI detection', { timeout: 5000 }, () => {
  it('takes the preferred CLI, else the first found, else says what to install', async () => {
    const onPath = (found: Record<string, string>) => (command: string) => Promise.resolve(found[command]);
    assert.deepEqual(await detectContainerCli(onPath({ podman: '/usr/bin/podman', docker: '/usr/bin/docker' })), { ok: true, value: { cli: 'docker', path: '/usr/bin/docker' } });
    assert.deepEqual(await detectContainerCli(onPath({ podman: '/usr/bin/podman', docker: '/usr/bin/docker' }), 'podman'), { ok: true, value: { cli: 'podman', path: '/usr/bin/podman' } });
    assert.deepEqual(await detectContainerCli(onPath({ nerdctl: '/opt/nerdctl' }), 'podman'), { ok: true, value: { cli: 'nerdctl', path: '/opt/nerdctl' } });
    const none = await detectContainerCli(onPath({}));
    assert.equal(none.ok, false);
    assert.match(none.ok ? '' : none.message, /No container CLI was found on PATH \(looked for docker, podman, nerdctl\)/);
  });
});

describe('registry commands from the emulator catalog', { timeout: 60_000 }, () => {
  it('uses the registry host and repository URL the account reports', async (t) => {
    const h = await harness(t);
    const { catalog } = value(await fetchCatalog(h.sessions, printedConnection, { timeoutMs: 20_000 }));
    const repository = catalog.imageRepositories?.find((entry) => entry.name === 'DEMO_REPO');
    assert.ok(repository && catalog.registryHost);
    const fromUrl = repositoryAddress(catalog.registryHost, repository);
    const fromNames = repositoryAddress(catalog.registryHost, { database: repository.database, schema: repository.schema, name: repository.name });
    assert.deepEqual(fromUrl, fromNames, 'the URL Snowflake prints and the one built from the names agree');
    assert.equal(fromUrl.ok && fromUrl.value, `${catalog.registryHost}/spcs_demo/public/demo_repo`);
    const login = registryLoginCommand({ registryHost: catalog.registryHost, cli: 'docker', shell: 'posix', method: { kind: 'token', connection: printedConnection } });
    assert.ok(login.includes(`docker login ${catalog.registryHost} --username 0sessiontoken --password-stdin`));
  });
});
