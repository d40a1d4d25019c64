/**
 * `CatalogSync` and `DeployTargetSync` against the local emulator with the real driver: what the
 * language server is sent (`spcs/accountCatalog`, `spcs/deployTargets`) through a recording notify
 * sink — each connection's catalog with the default marked, a removed connection or an unreachable
 * account as catalog null with the reason, everything again after a server restart, nothing read for
 * a connection waiting for sign-in, background reads without prompts, one refresh for a burst of
 * account changes — and the account-check status derived from it.
 */

import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { connectionsTomlSection } from '../../emulator/src/cli';
import { accountCatalogNotification, deployTargetsNotification, type AccountCatalogParams, type DeployTargetsParams } from '../../server/src/lspExtension';
import { CatalogCache } from '../../client/src/catalog/catalogCache';
import { CatalogSync, checkStatus, describeCounts, type CatalogSyncOptions } from '../../client/src/catalog/catalogSync';
import { DeployTargetSync, deployTargetOf } from '../../client/src/catalog/deployTargetSync';
import { catalogReader } from '../../client/src/catalog/fetchCatalog';
import type { RememberedChoices } from '../../client/src/specs/deployChoices';
import { loadConnections, type LoadedConnections } from '../../client/src/snowflake/config';
import type { Result } from '../../client/src/snowflake/result';
import { harness, printedConnection, waitFor, type Harness } from './emulatorHarness';

const viewer = 'viewer';
const unreachable = 'unreachable';

/** Records what would go to the language server; `ready` says whether the server accepts it. */
class Sink {
  readonly sent: { method: string; params: unknown }[] = [];
  ready = true;

  notify = (method: string, params: unknown): Promise<boolean> => {
    if (!this.ready) return Promise.resolve(false);
    this.sent.push({ method, params });
    return Promise.resolve(true);
  };

  catalogs(connection?: string): AccountCatalogParams[] {
    return this.sent
      .filter((each) => each.method === accountCatalogNotification)
      .map((each) => each.params as AccountCatalogParams)
      .filter((params) => connection === undefined || params.connection === connection);
  }

  last(connection: string): AccountCatalogParams | undefined {
    return this.catalogs(connection).at(-1);
  }
}

interface Setup {
  readonly h: Harness;
  readonly sink: Sink;
  readonly sync: CatalogSync;
  readonly cache: CatalogCache;
  /** Connection names hidden from `connections()` (as if removed from connections.toml). */
  readonly removed: Set<string>;
  /** How many catalog reads started, per connection. */
  readonly reads: Map<string, number>;
}

async function setup(t: TestContext, extra: Partial<CatalogSyncOptions> = {}, options: { viewer?: boolean; unreachable?: boolean } = {}): Promise<Setup> {
  const h = await harness(t);
  if (options.viewer !== false) h.addConnections(connectionsTomlSection(viewer, h.emulator.connection('VIEWER_USER')));
  if (options.unreachable) {
    // Nothing listens on port 9: the login fails with a network error.
    h.addConnections(`[${unreachable}]\naccount = "SPCS_EMULATOR"\nuser = "DEMO_USER"\npassword = "x"\nhost = "127.0.0.1"\nport = 9\nprotocol = "http"\n`);
  }
  const removed = new Set<string>();
  const connections = (): Result<LoadedConnections> => {
    const loaded = loadConnections(h.env);
    if (!loaded.ok) return loaded;
    return { ok: true, value: { ...loaded.value, connections: loaded.value.connections.filter((connection) => !removed.has(connection.name)) } };
  };
  const reads = new Map<string, number>();
  // Short enough that the stopped emulator's read gives up quickly, long enough for a real read.
  const read = catalogReader(h.sessions, { timeoutMs: 6_000 });
  const cache = new CatalogCache({
    read: (connection, signal) => {
      reads.set(connection, (reads.get(connection) ?? 0) + 1);
      return read(connection, signal);
    },
  });
  const sink = new Sink();
  const sync = new CatalogSync({ catalogs: cache, connections, active: () => printedConnection, notify: sink.notify, tickMs: 60_000, debounceMs: 30, ...extra });
  t.after(() => {
    sync.dispose();
    cache.dispose();
  });
  return { h, sink, sync, cache, removed, reads };
}

describe('CatalogSync (emulator, real driver)', { timeout: 60_000 }, () => {
  it('sends the catalog of every connection with the active one as default, and a removed connection as null', async (t) => {
    const { sink, sync, removed } = await setup(t);
    await sync.start();
    const developer = sink.last(printedConnection);
    const viewing = sink.last(viewer);
    assert.ok(developer && viewing, `both catalogs sent: ${JSON.stringify(sink.sent.map((each) => (each.params as AccountCatalogParams).connection))}`);
    assert.equal(developer.isDefault, true);
    assert.equal(viewing.isDefault, false);
    assert.equal(developer.status.state, 'fresh');
    assert.ok(!Number.isNaN(Date.parse(developer.fetchedAt)));
    assert.equal(developer.catalog?.role, 'SPCS_DEVELOPER');
    assert.equal(viewing.catalog?.role, 'SPCS_VIEWER');
    assert.ok(developer.catalog?.computePools?.some((pool) => pool.name === 'DEMO_CPU_POOL'));
    const repository = developer.catalog?.imageRepositories?.find((each) => each.name === 'TUTORIAL_REPOSITORY');
    assert.deepEqual(
      repository?.images
        ?.filter((image) => image.name === 'echo')
        .flatMap((image) => image.tags)
        .sort(),
      ['latest', 'v1', 'v2'],
    );
    const status = sync.status();
    assert.deepEqual(
      status.map((each) => [each.connection, each.state, each.isDefault]),
      [
        [printedConnection, 'on', true],
        [viewer, 'on', false],
      ],
    );
    assert.match(describeCounts(status[0]?.counts ?? {}), /compute pools · \d+ image repositories \(\d+ images\)/);

    removed.add(viewer);
    await sync.sync();
    assert.deepEqual(sink.last(viewer)?.catalog, null, 'the removed connection is withdrawn');
    assert.equal(sink.last(viewer)?.status.state, 'unavailable');
    assert.deepEqual(
      sync.status().map((each) => each.connection),
      [printedConnection],
    );
  });

  it('withdraws an account that cannot be reached (catalog null, the reason given), also when the emulator stops mid-session', async (t) => {
    const { sink, sync, h } = await setup(t, {}, { viewer: false, unreachable: true });
    await sync.start();
    const down = sink.last(unreachable);
    assert.equal(down?.catalog, null);
    assert.equal(down?.status.state, 'unavailable');
    assert.match(down?.status.reason ?? '', /^network: /);
    const status = sync.status().find((each) => each.connection === unreachable);
    assert.equal(status?.state, 'paused');
    assert.match(status?.reason ?? '', /^Account checks paused: network: .*Offline checks still run\.$/);
    assert.equal(sink.last(printedConnection)?.status.state, 'fresh', 'the reachable connection is unaffected');

    // The emulator stops mid-session: the next refresh withdraws the catalog that was there.
    await h.emulator.stop();
    const [entry] = await sync.refresh([printedConnection]);
    // The driver retries a refused connection until the read's deadline: a timeout of the whole read.
    assert.equal(entry?.error?.kind, 'timeout');
    const stopped = sink.last(printedConnection);
    assert.equal(stopped?.catalog, null, 'no stale catalog of an unreachable account stays in the server');
    assert.equal(stopped?.status.state, 'unavailable');
    assert.equal(sync.statusOf(printedConnection).state, 'paused');
  });

  it('sends nothing while the server is not ready, and everything again when it (re)starts', async (t) => {
    const { sink, sync } = await setup(t);
    sink.ready = false;
    await sync.start();
    assert.equal(sink.sent.length, 0);
    sink.ready = true;
    await sync.resend();
    assert.deepEqual(sink.catalogs().map((each) => [each.connection, each.isDefault, each.catalog === null]).sort(), [
      [printedConnection, true, false],
      [viewer, false, false],
    ]);
  });

  it('does not read a connection that waits for sign-in, and reads the others without prompts', async (t) => {
    let quiet = 0;
    const { sink, sync, reads, h } = await setup(t, {
      needsSignIn: (name) => name === viewer,
      withoutPrompts: <T>(work: () => Promise<T>) => {
        quiet++;
        return work();
      },
    });
    await sync.start();
    assert.equal(reads.get(viewer), undefined, 'the signed-out connection is not read');
    assert.equal(reads.get(printedConnection), 1);
    assert.ok(quiet >= 1, 'background reads run without prompts');
    assert.deepEqual(h.prompter.asked, []);
    assert.equal(sink.last(viewer), undefined);
    assert.equal(sync.statusOf(viewer).state, 'signIn');
    assert.match(sync.statusOf(viewer).reason ?? '', /Sign in/);
  });

  it('does not log in from the background where that involves the user (browser, MFA push) until a command has', async (t) => {
    const { sync, reads, h, cache } = await setup(t, {}, { viewer: false });
    h.addConnections(`[mfa]\naccount = "SPCS_EMULATOR"\nuser = "DEMO_USER"\npassword = "demo-password-1"\nauthenticator = "username_password_mfa"\nhost = "127.0.0.1"\nport = ${h.emulator.port}\nprotocol = "http"\n`);
    h.addConnections(`[sso]\naccount = "SPCS_EMULATOR"\nuser = "DEMO_USER"\nauthenticator = "externalbrowser"\nhost = "127.0.0.1"\nport = ${h.emulator.port}\nprotocol = "http"\n`);
    await sync.start();
    assert.equal(reads.get(printedConnection), 1);
    assert.equal(reads.get('mfa'), undefined, 'an MFA login would push to the phone');
    assert.equal(reads.get('sso'), undefined, 'a browser login would open the browser');
    assert.deepEqual(h.prompter.asked, []);
    assert.equal(cache.peek('mfa'), undefined);
  });

  it('reads a catalog once per burst of account changes, and a background sync does not read a fresh one again', async (t) => {
    const { sync, reads, cache } = await setup(t, {}, { viewer: false });
    await sync.start();
    assert.equal(reads.get(printedConnection), 1);
    await sync.sync();
    assert.equal(reads.get(printedConnection), 1, 'fresh: not read again');
    sync.accountChanged(printedConnection);
    sync.accountChanged(printedConnection);
    sync.accountChanged();
    await waitFor(() => reads.get(printedConnection) === 2 && cache.peek(printedConnection)?.loading === false, 20_000, 'one refresh after the burst');
    assert.equal(reads.get(printedConnection), 2);
  });

  it('switches the default when the active connection changes', async (t) => {
    let active = printedConnection;
    const { sink, sync } = await setup(t, { active: () => active });
    await sync.start();
    active = viewer;
    await sync.sync();
    assert.equal(sink.last(viewer)?.isDefault, true, 'the new default says so');
    assert.equal(sync.status()[0]?.connection, viewer);
  });
});

describe('DeployTargetSync', () => {
  const choices = new Map<string, RememberedChoices>([
    ['file:///a.spcs.yaml', { connection: 'dev', pool: 'DEMO_CPU_POOL', serviceName: 'ECHO', database: 'SPCS_DEMO', schema: 'PUBLIC', minInstances: 1, maxInstances: 2, autoResume: true }],
    ['file:///b.spcs.yaml', { pool: 'DEMO_GPU_POOL' }],
  ]);

  it('derives the target from remembered choices (none without a connection)', () => {
    assert.deepEqual(deployTargetOf(choices.get('file:///a.spcs.yaml') ?? {}), {
      connection: 'dev',
      computePool: 'DEMO_CPU_POOL',
      serviceName: 'ECHO',
      database: 'SPCS_DEMO',
      schema: 'PUBLIC',
      minInstances: 1,
      maxInstances: 2,
    });
    assert.equal(deployTargetOf({ pool: 'P' }), null);
    assert.deepEqual(deployTargetOf({ connection: 'dev' }), { connection: 'dev' });
  });

  it('sends changed targets only, and all of them again after a restart', async () => {
    const sink = new Sink();
    const open = ['file:///a.spcs.yaml', 'file:///b.spcs.yaml'];
    const targets = new DeployTargetSync({ openSpecs: () => open, choices: (uri) => choices.get(uri) ?? {}, notify: sink.notify });
    const sentTargets = () => sink.sent.filter((each) => each.method === deployTargetsNotification).map((each) => (each.params as DeployTargetsParams).targets);
    assert.equal(await targets.sendAll(), true);
    assert.deepEqual(
      sentTargets()[0]?.map((each) => [each.uri, each.target?.computePool ?? null]),
      [
        ['file:///a.spcs.yaml', 'DEMO_CPU_POOL'],
        ['file:///b.spcs.yaml', null],
      ],
    );
    await targets.send(['file:///a.spcs.yaml']);
    assert.equal(sentTargets().length, 1, 'unchanged: not sent again');
    choices.set('file:///a.spcs.yaml', { connection: 'dev', pool: 'DEMO_GPU_POOL' });
    await targets.send(['file:///a.spcs.yaml']);
    assert.deepEqual(sentTargets()[1], [{ uri: 'file:///a.spcs.yaml', target: { connection: 'dev', computePool: 'DEMO_GPU_POOL' } }]);
    sink.ready = false;
    choices.set('file:///a.spcs.yaml', { connection: 'dev', pool: 'P2' });
    assert.equal(await targets.send(['file:///a.spcs.yaml']), false);
    sink.ready = true;
    await targets.send(['file:///a.spcs.yaml']);
    assert.equal(sentTargets()[2]?.[0]?.target?.computePool, 'P2', 'an undelivered target is sent again');
    await targets.sendAll(true);
    assert.equal(sentTargets()[3]?.length, 2, 'after a restart every open spec is sent');
  });
  it('sends a gateway spec the gateway it was deployed as, in its database and schema', async () => {
    const sink = new Sink();
    const gateways = new Map([['file:///canary.gateway.yaml', { connection: 'dev', database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'CANARY' }]]);
    const targets = new DeployTargetSync({
      openSpecs: () => ['file:///a.spcs.yaml', 'file:///canary.gateway.yaml', 'file:///new.gateway.yaml'],
      choices: (uri) => choices.get(uri) ?? {},
      gatewayTarget: (uri) => gateways.get(uri),
      notify: sink.notify,
    });
    await targets.sendAll();
    const sent = sink.sent.filter((each) => each.method === deployTargetsNotification).map((each) => (each.params as DeployTargetsParams).targets);
    assert.deepEqual(sent[0]?.find((each) => each.uri === 'file:///canary.gateway.yaml')?.target, { connection: 'dev', gatewayName: 'CANARY', database: 'SPCS_DEMO', schema: 'PUBLIC' });
    assert.equal(sent[0]?.find((each) => each.uri === 'file:///new.gateway.yaml')?.target, null, 'a gateway spec never deployed has no target');
    const service = sent[0]?.find((each) => each.uri === 'file:///a.spcs.yaml')?.target;
    assert.equal(service?.computePool !== undefined && service.gatewayName === undefined, true, 'service specs keep their choices');
    gateways.set('file:///new.gateway.yaml', { connection: 'dev', database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'NEW' });
    await targets.send(['file:///new.gateway.yaml']);
    assert.equal(sink.sent.filter((each) => each.method === deployTargetsNotification).length, 2, 'a new gateway target is sent');
  });
});

describe('checkStatus', () => {
  it('says what the checks of a connection do', () => {
    const now = Date.UTC(2026, 10, 26, 12);
    assert.equal(checkStatus('dev', undefined, { isDefault: true, needsSignIn: false, now }).state, 'waiting');
    assert.equal(checkStatus('dev', undefined, { isDefault: true, needsSignIn: true, now }).state, 'signIn');
    const catalog = { instanceFamilies: [], computePools: [], imageRepositories: null, stages: [], secrets: [], externalAccessIntegrations: [], warehouses: [], grants: null };
    const stale = checkStatus(
      'dev',
      {
        connection: 'dev',
        catalog,
        fetchedAt: now - 5 * 60_000,
        status: { state: 'stale', reason: 'The last refresh failed (SQL error: boom).' },
        problems: [],
        error: { kind: 'sql', message: 'boom' },
        loading: false,
      },
      { isDefault: false, needsSignIn: false, now },
    );
    assert.equal(stale.state, 'stale', 'a failure other than an unreachable account keeps the last good catalog');
    assert.equal(stale.ageMs, 5 * 60_000);
    assert.equal(stale.counts?.imageRepositories, undefined, 'a section not read is not counted');
  });
});
