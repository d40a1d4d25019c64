import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { findConnection, loadConnections, resolveConfigDir, type LoadedConnections } from '../../client/src/snowflake/config';
import type { Result } from '../../client/src/snowflake/result';

const roots: string[] = [];
after(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

/** A fresh home directory with the given files (paths relative to it), mode 0600 unless told. */
function home(files: Record<string, string | { text: string; mode: number }> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spcs-config-'));
  roots.push(root);
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const { text, mode } = typeof content === 'string' ? { text: content, mode: 0o600 } : content;
    fs.writeFileSync(file, text);
    fs.chmodSync(file, mode);
  }
  return root;
}

function load(root: string, env: NodeJS.ProcessEnv = {}): LoadedConnections {
  const result = loadConnections(env, { home: root, platform: 'linux' });
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.value;
}

function failure(result: Result<unknown>): string {
  assert.equal(result.ok, false);
  return result.ok ? '' : result.error.message;
}

const names = (loaded: LoadedConnections) => loaded.connections.map((connection) => connection.name);
const params = (loaded: LoadedConnections, name: string) => loaded.connections.find((connection) => connection.name === name)?.params;

describe('loadConnections: where the files are', { timeout: 10_000 }, () => {
  it('uses $SNOWFLAKE_HOME when it is set and exists', () => {
    const root = home({ 'custom/connections.toml': '[a]\naccount = "x"\n', '.snowflake/connections.toml': '[b]\naccount = "y"\n' });
    const loaded = load(root, { SNOWFLAKE_HOME: path.join(root, 'custom') });
    assert.deepEqual(names(loaded), ['a']);
    assert.equal(loaded.configDir, path.join(root, 'custom'));
    assert.deepEqual(loaded.files, [path.join(root, 'custom', 'connections.toml')]);
  });
  it('falls back to ~/.snowflake when $SNOWFLAKE_HOME does not exist', () => {
    const root = home({ '.snowflake/connections.toml': '[b]\naccount = "y"\n' });
    assert.deepEqual(names(load(root, { SNOWFLAKE_HOME: path.join(root, 'missing') })), ['b']);
  });
  it('expands ~ in $SNOWFLAKE_HOME', () => {
    const root = home({ 'sf/connections.toml': '[t]\naccount = "y"\n' });
    assert.deepEqual(names(load(root, { SNOWFLAKE_HOME: '~/sf' })), ['t']);
  });
  it('falls back to the platform config dir when ~/.snowflake does not exist', () => {
    const root = home({ '.config/snowflake/config.toml': '[connections.c]\naccount = "z"\n' });
    assert.deepEqual(names(load(root)), ['c']);
    const xdg = home({ 'conf/snowflake/config.toml': '[connections.d]\naccount = "z"\n' });
    assert.deepEqual(names(load(xdg, { XDG_CONFIG_HOME: path.join(xdg, 'conf') })), ['d']);
  });
  it('knows the macOS and Windows platform dirs', () => {
    assert.equal(resolveConfigDir({}, { home: '/Users/me', platform: 'darwin' }), '/Users/me/Library/Application Support/snowflake');
    assert.equal(resolveConfigDir({ LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, { home: 'C:\\Users\\me', platform: 'win32' }), 'C:\\Users\\me\\AppData\\Local\\snowflake');
    assert.equal(resolveConfigDir({}, { home: '/nonexistent-home', platform: 'linux' }), '/nonexistent-home/.config/snowflake');
  });
  it('returns no connections (and no error) when there are no files', () => {
    const loaded = load(home());
    assert.deepEqual(loaded.connections, []);
    assert.deepEqual(loaded.files, []);
    assert.match(failure(findConnection(loaded, 'dev')), /no Snowflake connections in .*no config\.toml or connections\.toml/);
  });
});

describe('loadConnections: config.toml and connections.toml', { timeout: 10_000 }, () => {
  it('reads [connections.<name>] from config.toml', () => {
    const loaded = load(home({ '.snowflake/config.toml': 'default_connection_name = "dev"\n[connections.dev]\naccount = "a"\nuser = "u"\nport = 8080\n[cli.logs]\nsave_logs = true\n' }));
    assert.deepEqual(names(loaded), ['dev']);
    assert.deepEqual(params(loaded, 'dev'), { account: 'a', user: 'u', port: 8080 });
    assert.equal(loaded.defaultName, 'dev');
    assert.equal(loaded.defaultNameSource, 'config.toml');
  });
  it('lets connections.toml replace (not merge with) the config.toml connections', () => {
    const loaded = load(
      home({
        '.snowflake/config.toml': '[connections.old]\naccount = "a"\n[connections.both]\naccount = "from-config"\nrole = "R"\n',
        '.snowflake/connections.toml': '[both]\naccount = "from-connections"\n[new]\naccount = "b"\n',
      }),
    );
    assert.deepEqual(names(loaded), ['both', 'new']);
    assert.deepEqual(params(loaded, 'both'), { account: 'from-connections' });
    assert.ok(loaded.warnings.some((warning) => /config\.toml: its \[connections\.\*\] sections are ignored/.test(warning)));
  });
  it('treats an empty connections.toml as no connections', () => {
    const loaded = load(home({ '.snowflake/config.toml': '[connections.old]\naccount = "a"\n', '.snowflake/connections.toml': '' }));
    assert.deepEqual(names(loaded), []);
  });
  it('picks the default name: env > config.toml > connections.toml > "default"', () => {
    const files = {
      '.snowflake/config.toml': 'default_connection_name = "fromconfig"\n',
      '.snowflake/connections.toml': 'default_connection_name = "fromconnections"\n[fromconfig]\naccount = "a"\n[fromconnections]\naccount = "b"\n[fromenv]\naccount = "c"\n[default]\naccount = "d"\n',
    };
    const root = home(files);
    assert.equal(load(root, { SNOWFLAKE_DEFAULT_CONNECTION_NAME: 'fromenv' }).defaultName, 'fromenv');
    assert.equal(load(root).defaultName, 'fromconfig');
    const withoutConfigDefault = home({ ...files, '.snowflake/config.toml': '' });
    const loaded = load(withoutConfigDefault);
    assert.equal(loaded.defaultName, 'fromconnections');
    assert.equal(loaded.defaultNameSource, 'connections.toml');
    assert.ok(loaded.warnings.some((warning) => /only reads it from config\.toml/.test(warning)));
    assert.deepEqual(names(loaded), ['fromconfig', 'fromconnections', 'fromenv', 'default']);
    const plain = load(home({ '.snowflake/connections.toml': '[default]\naccount = "d"\n' }));
    assert.equal(plain.defaultName, 'default');
    assert.equal(plain.defaultNameSource, 'built-in');
  });
  it('finds the default connection and names the known ones when one is missing', () => {
    const loaded = load(home({ '.snowflake/connections.toml': '[default]\naccount = "d"\n[dev]\naccount = "e"\n' }));
    const found = findConnection(loaded);
    assert.ok(found.ok);
    assert.equal(found.ok && found.value.name, 'default');
    assert.match(failure(findConnection(loaded, 'prod')), /no connection "prod" in .*connections\.toml; known: default, dev/);
  });
  it('warns when the default connection does not exist', () => {
    const loaded = load(home({ '.snowflake/connections.toml': '[dev]\naccount = "e"\n' }));
    assert.ok(loaded.warnings.some((warning) => /default connection "default" .* is not defined; known: dev/.test(warning)));
  });
  it('reads SNOWFLAKE_CONNECTIONS (a whole TOML document) instead of the files', () => {
    const loaded = load(home({ '.snowflake/connections.toml': '[file]\naccount = "a"\n' }), { SNOWFLAKE_CONNECTIONS: '[envconn]\naccount = "e"\n' });
    assert.deepEqual(names(loaded), ['envconn']);
    assert.equal(loaded.connections[0]?.source, 'SNOWFLAKE_CONNECTIONS');
  });
});

describe('loadConnections: environment overrides', { timeout: 10_000 }, () => {
  const root = home({ '.snowflake/connections.toml': '[dev]\naccount = "a"\nuser = "file-user"\npassword = "file-pw"\n[my]\naccount = "m"\n[my_conn]\naccount = "mc"\n' });

  it('applies SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> over the file, lowercasing the key', () => {
    const loaded = load(root, { SNOWFLAKE_CONNECTIONS_DEV_PASSWORD: 'env-pw', SNOWFLAKE_CONNECTIONS_DEV_WAREHOUSE: 'WH', SNOWFLAKE_CONNECTIONS_PROD_USER: 'nobody' });
    assert.deepEqual(params(loaded, 'dev'), { account: 'a', user: 'file-user', password: 'env-pw', warehouse: 'WH' });
    assert.deepEqual([...(loaded.connections.find((connection) => connection.name === 'dev')?.environment ?? [])].sort(), ['SNOWFLAKE_CONNECTIONS_DEV_PASSWORD', 'SNOWFLAKE_CONNECTIONS_DEV_WAREHOUSE']);
    assert.deepEqual(names(loaded), ['dev', 'my', 'my_conn'], 'overrides never create connections');
  });
  it('gives an override to the longest matching connection name', () => {
    const loaded = load(root, { SNOWFLAKE_CONNECTIONS_MY_CONN_ROLE: 'R1', SNOWFLAKE_CONNECTIONS_MY_ROLE: 'R2' });
    assert.equal(params(loaded, 'my_conn')?.['role'], 'R1');
    assert.equal(params(loaded, 'my')?.['role'], 'R2');
    assert.equal(params(loaded, 'my')?.['conn_role'], undefined);
  });
  it('fills missing keys from generic SNOWFLAKE_<KEY> variables, below the file', () => {
    const loaded = load(root, { SNOWFLAKE_USER: 'generic-user', SNOWFLAKE_ROLE: 'GENERIC_ROLE', SNOWFLAKE_HOME: '/nonexistent', SNOWFLAKE_PORT: '9' });
    assert.equal(params(loaded, 'dev')?.['user'], 'file-user');
    assert.equal(params(loaded, 'dev')?.['role'], 'GENERIC_ROLE');
    assert.equal(params(loaded, 'dev')?.['home'], undefined);
    assert.equal(params(loaded, 'dev')?.['port'], undefined, 'only the CLI list of keys');
  });
  it('ranks SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> above the generic variable', () => {
    const loaded = load(root, { SNOWFLAKE_WAREHOUSE: 'GENERIC', SNOWFLAKE_CONNECTIONS_DEV_WAREHOUSE: 'SPECIFIC' });
    assert.equal(params(loaded, 'dev')?.['warehouse'], 'SPECIFIC');
  });
});

describe('loadConnections: key aliases', { timeout: 10_000 }, () => {
  it('accepts private_key_file_pwd as private_key_passphrase and private_key_path as private_key_file', () => {
    const loaded = load(home({ '.snowflake/connections.toml': '[k]\naccount = "a"\nprivate_key_path = "/k.p8"\nprivate_key_file_pwd = "pw"\n' }));
    assert.deepEqual(params(loaded, 'k'), { account: 'a', private_key_file: '/k.p8', private_key_passphrase: 'pw' });
  });
  it('prefers private_key_passphrase when both are set', () => {
    const loaded = load(home({ '.snowflake/connections.toml': '[k]\naccount = "a"\nprivate_key_file = "/k.p8"\nprivate_key_file_pwd = "old"\nprivate_key_passphrase = "new"\n' }));
    assert.equal(params(loaded, 'k')?.['private_key_passphrase'], 'new');
    assert.equal(params(loaded, 'k')?.['private_key_file_pwd'], undefined);
  });
  it('takes the passphrase from PRIVATE_KEY_PASSPHRASE (the CLI variable) when none is configured', () => {
    const root = home({ '.snowflake/connections.toml': '[k]\naccount = "a"\nprivate_key_file = "/k.p8"\n[p]\naccount = "b"\n' });
    const loaded = load(root, { PRIVATE_KEY_PASSPHRASE: 'from-env' });
    assert.equal(params(loaded, 'k')?.['private_key_passphrase'], 'from-env');
    assert.equal(params(loaded, 'p')?.['private_key_passphrase'], undefined);
  });
  it('applies aliases to environment overrides too', () => {
    const loaded = load(home({ '.snowflake/connections.toml': '[k]\naccount = "a"\n' }), { SNOWFLAKE_CONNECTIONS_K_PRIVATE_KEY_FILE_PWD: 'x', SNOWFLAKE_PRIVATE_KEY_PATH: '/env.p8' });
    assert.deepEqual(params(loaded, 'k'), { account: 'a', private_key_passphrase: 'x', private_key_file: '/env.p8' });
  });
});

describe('loadConnections: permissions (Linux)', { timeout: 10_000, skip: process.platform === 'win32' }, () => {
  it('refuses a file writable by group or others, naming the file and the chmod fix', () => {
    for (const mode of [0o620, 0o602, 0o666]) {
      const root = home({ '.snowflake/connections.toml': { text: '[default]\naccount = "x"\n', mode } });
      const message = failure(loadConnections({}, { home: root, platform: 'linux' }));
      const file = path.join(root, '.snowflake', 'connections.toml');
      assert.ok(message.includes(file), message);
      assert.match(message, /writable by group or others/);
      assert.ok(message.includes(`chmod 0600 "${file}"`), message);
    }
  });
  it('checks config.toml too', () => {
    const root = home({ '.snowflake/config.toml': { text: '', mode: 0o664 } });
    assert.match(failure(loadConnections({}, { home: root, platform: 'linux' })), /config\.toml is writable by group or others \(permissions 664\)/);
  });
  it('warns about a file readable by group or others, unless SF_SKIP_WARNING_FOR_READ_PERMISSIONS_ON_CONFIG_FILE=true', () => {
    const root = home({ '.snowflake/connections.toml': { text: '[default]\naccount = "x"\n', mode: 0o644 } });
    const loaded = load(root);
    assert.deepEqual(names(loaded), ['default']);
    assert.ok(loaded.warnings.some((warning) => /readable by group or others \(permissions 644\).*chmod 0600/.test(warning)));
    assert.deepEqual(load(root, { SF_SKIP_WARNING_FOR_READ_PERMISSIONS_ON_CONFIG_FILE: 'TRUE' }).warnings, []);
    assert.deepEqual(load(home({ '.snowflake/connections.toml': { text: '[default]\naccount = "x"\n', mode: 0o640 } })).warnings.length, 1);
  });
  it('warns about a file owned by another user', () => {
    const root = home({ '.snowflake/connections.toml': '[default]\naccount = "x"\n' });
    // As root, hand the file to someone else (files owned by root are accepted, as by the connector);
    // otherwise pretend to be someone else.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) fs.chownSync(path.join(root, '.snowflake', 'connections.toml'), 4242, 4242);
    const result = loadConnections({}, { home: root, platform: 'linux', ...(asRoot ? {} : { uid: 4242 }) });
    assert.ok(result.ok);
    assert.ok(result.ok && result.value.warnings.some((warning) => /owned by another user/.test(warning)));
  });
  it('skips the checks on Windows', () => {
    const root = home({ '.snowflake/connections.toml': { text: '[default]\naccount = "x"\n', mode: 0o666 } });
    const result = loadConnections({}, { home: root, platform: 'win32' });
    // The Windows config dir differs; only the permission check matters here.
    assert.ok(result.ok);
  });
});

describe('loadConnections: TOML errors', { timeout: 10_000 }, () => {
  it('names the file, line and column', () => {
    const root = home({ '.snowflake/connections.toml': '[a]\naccount = "x"\nuser = "unterminated\n' });
    const message = failure(loadConnections({}, { home: root, platform: 'linux' }));
    const file = path.join(root, '.snowflake', 'connections.toml');
    assert.ok(message.startsWith(`${file}:3:`), message);
    assert.match(message, /invalid TOML: .*Fix line 3/);
  });
  it('reports a duplicate key', () => {
    const root = home({ '.snowflake/config.toml': '[connections.a]\naccount = "x"\naccount = "y"\n' });
    assert.match(failure(loadConnections({}, { home: root, platform: 'linux' })), /config\.toml:3:\d+: invalid TOML: trying to redefine/);
  });
  it('reports a bad SNOWFLAKE_CONNECTIONS value', () => {
    assert.match(failure(loadConnections({ SNOWFLAKE_CONNECTIONS: '[a' }, { home: home(), platform: 'linux' })), /^SNOWFLAKE_CONNECTIONS:1:\d+: invalid TOML/);
  });
  it('refuses a config.toml whose connections is not a table', () => {
    const root = home({ '.snowflake/config.toml': 'connections = "nope"\n' });
    assert.match(failure(loadConnections({}, { home: root, platform: 'linux' })), /must be a table/);
  });
});
