/**
 * The connection registry's pure parts (connections/connectionList.ts, emulatorConnection.ts) and
 * the local emulator launcher: reading the URL the emulator prints, merging the in-memory
 * `spcs_emulator` connection into the files' connections, which one is active, which sessions are
 * stale after an edit — and a real launch of the emulator's CLI that the real driver then queries.
 */

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { activeConnectionName, connectionSummary, sameConnections, staleConnections } from '../../client/src/connections/connectionList';
import { emulatorConnection, emulatorConnectionName, isEmulatorConnection, mergeEmulatorConnection, parseEmulatorUrl } from '../../client/src/connections/emulatorConnection';
import { EmulatorLauncher } from '../../client/src/connections/emulatorLauncher';
import { loadConnections, type ConnectionConfig, type LoadedConnections } from '../../client/src/snowflake/config';
import { SnowflakeSessions } from '../../client/src/snowflake/session';
import { listPools } from '../../client/src/listings/accountData';
import { connectionNodes } from '../../client/src/views/childrenLoader';
import { value } from './emulatorHarness';

function fileConnection(name: string, params: Record<string, unknown> = { account: 'ORG-ACCT', user: 'ME' }): ConnectionConfig {
  return { name, source: '/home/me/.snowflake/connections.toml', params, environment: [] };
}

function loaded(connections: ConnectionConfig[], defaultName = 'dev'): LoadedConnections {
  return { connections, defaultName, defaultNameSource: 'config.toml', configDir: '/home/me/.snowflake', files: [], warnings: [] };
}

const repositoryRoot = path.join(__dirname, '../..');

describe('connections', () => {
  it('reads the URL the emulator CLI prints', () => {
    assert.equal(parseEmulatorUrl('starting…\n'), undefined);
    assert.deepEqual(parseEmulatorUrl('spcs-emulator listening on http://127.0.0.1:54321\n\n# Add to ~/.snowflake/connections.toml'), {
      url: 'http://127.0.0.1:54321',
      host: '127.0.0.1',
      port: 54321,
      protocol: 'http',
    });
    assert.equal(parseEmulatorUrl('spcs-emulator listening on http://127.0.0.1:0'), undefined);
  });

  it('merges the emulator connection into the files, replacing a file connection of the same name', () => {
    const address = { url: 'http://127.0.0.1:4000', host: '127.0.0.1', port: 4000, protocol: 'http' as const };
    const emulator = emulatorConnection(address);
    assert.equal(emulator.name, emulatorConnectionName);
    assert.equal(emulator.source, 'local emulator');
    assert.deepEqual(emulator.params, { account: 'SPCS_EMULATOR', user: 'DEMO_USER', password: 'demo-password-1', role: 'SPCS_DEVELOPER', warehouse: 'DEMO_WH', database: 'SPCS_DEMO', schema: 'PUBLIC', host: '127.0.0.1', port: 4000, protocol: 'http' });
    const files = loaded([fileConnection('dev'), fileConnection('spcs_emulator')]);
    const merged = mergeEmulatorConnection(files, emulator);
    assert.deepEqual(merged.connections.map((connection) => [connection.name, connection.source]), [['dev', '/home/me/.snowflake/connections.toml'], ['spcs_emulator', 'local emulator']]);
    assert.match(merged.warnings.join('\n'), /spcs_emulator.*hidden/);
    assert.equal(mergeEmulatorConnection(files, undefined), files);
    assert.ok(isEmulatorConnection(emulator));
    // As tree roots: the files' default is marked, the emulator flagged.
    const roots = connectionNodes('spcs.services', merged);
    assert.deepEqual(roots.map((root) => [root.connection, root.isDefault, root.isEmulator]), [['dev', true, false], ['spcs_emulator', false, true]]);
  });

  it('chooses the active connection: the picked one, else the default, else the first', () => {
    const files = loaded([fileConnection('a'), fileConnection('dev')]);
    assert.equal(activeConnectionName(files, 'a'), 'a');
    assert.equal(activeConnectionName(files, 'removed'), 'dev');
    assert.equal(activeConnectionName(files, undefined), 'dev');
    assert.equal(activeConnectionName(loaded([fileConnection('a'), fileConnection('b')], 'default'), undefined), 'a');
    assert.equal(activeConnectionName(loaded([]), 'a'), undefined);
  });

  it('finds connections whose settings changed or that disappeared', () => {
    const before = [fileConnection('a'), fileConnection('b'), fileConnection('c')];
    const after = [fileConnection('a'), fileConnection('b', { account: 'ORG-ACCT', user: 'SOMEONE_ELSE' }), fileConnection('d')];
    assert.deepEqual(staleConnections(before, after), ['b', 'c']);
    assert.ok(sameConnections(loaded(before), loaded([...before])));
    assert.ok(!sameConnections(loaded(before), loaded(after)));
    assert.ok(!sameConnections(loaded(before), loaded(before, 'other')));
  });

  it('summarises a connection without secrets', () => {
    assert.equal(connectionSummary(fileConnection('x', { account: 'ORG-ACCT', user: 'ME', password: 'secret-value' })), 'ORG-ACCT / ME');
    const emulator = emulatorConnection({ url: 'http://127.0.0.1:4000', host: '127.0.0.1', port: 4000, protocol: 'http' });
    assert.equal(connectionSummary(emulator), 'SPCS_EMULATOR / DEMO_USER @ 127.0.0.1:4000');
    assert.doesNotMatch(connectionSummary(emulator), /demo-password/);
  });

  it('launches the emulator CLI, whose connection the real driver can query, and stops it', async (t) => {
    const log: string[] = [];
    const launcher = new EmulatorLauncher({
      script: path.join(repositoryRoot, 'emulator/src/cli.ts'),
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, NODE_OPTIONS: '' },
      startTimeoutMs: 60_000,
      log: (line) => log.push(line),
    });
    t.after(() => launcher.stop());
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'spcs-launch-'));
    t.after(() => fs.rmSync(home, { recursive: true, force: true }));
    const [first, second] = await Promise.all([launcher.start(), launcher.start()]);
    const address = value(first);
    assert.deepEqual(value(second), address, 'concurrent starts share one process');
    assert.equal(address.host, '127.0.0.1');
    assert.ok(launcher.running());
    // The files are empty; the registry's merge adds the emulator.
    const files = value(loadConnections({ SNOWFLAKE_HOME: home }));
    const merged = mergeEmulatorConnection(files, emulatorConnection(address));
    const sessions = new SnowflakeSessions({ connections: () => ({ ok: true, value: merged }), connectTimeoutMs: 15_000, disposeTimeoutMs: 2000 });
    t.after(() => sessions.dispose());
    const pools = value(await listPools(sessions, 'spcs.computePools', emulatorConnectionName, { timeoutMs: 15_000 }));
    assert.ok(pools.some((pool) => pool.name === 'DEMO_CPU_POOL'));
    await sessions.dispose();
    await launcher.stop();
    assert.equal(launcher.running(), false);
    assert.ok(log.some((line) => line.includes('listening on')));
  });

  it('reports an emulator that exits before it is ready', async () => {
    const launcher = new EmulatorLauncher({
      script: path.join(repositoryRoot, 'emulator/src/cli.ts'),
      execArgv: ['--import', 'tsx'],
      args: ['--seed', 'nonsense'],
      env: { ...process.env, NODE_OPTIONS: '' },
      startTimeoutMs: 60_000,
    });
    const result = await launcher.start();
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error.message, /exited \(code 2\).*--seed must be/s);
    assert.equal(launcher.running(), false);
  });
});
