/**
 * `npm start`: the extension in a real VS Code with one command, on a fresh clone after `npm ci`, with
 * a local Snowflake account to look at.
 *
 * Default: packages the extension (`npm run package`), prepares the workbench tools if missing (Chromium
 * is not needed for this, but the one tools step keeps them together; the first run takes about two
 * minutes and says what it is doing), starts the local SPCS emulator in this process with the demo
 * account, writes a temporary `SNOWFLAKE_HOME` whose `connections.toml` holds one connection to it
 * (`spcs_emulator`, the default), starts code-server on 127.0.0.1 with fresh state, the VSIX installed
 * and that `SNOWFLAKE_HOME` in its environment (its extension host inherits it), opens `samples/`,
 * prints the URL, the emulator and the connection, and runs until Ctrl+C. So a newcomer sees the
 * sidebar, deploy and logs without a Snowflake account. The user's own `~/.snowflake` is neither read
 * nor changed.
 *
 * `npm start -- --desktop`: builds and opens `samples/` in the desktop VS Code found on the PATH
 * (`code`) with this folder as the extension under development (`--extensionDevelopmentPath`), with the
 * same emulator and `SNOWFLAKE_HOME` in the environment of the `code` it spawns, and keeps the
 * emulator running until Ctrl+C. Limitation: when VS Code is already running, `code` hands the request
 * to the running instance, which keeps its own environment: the new window then reads the usual
 * connections instead. Quit VS Code first, or paste the printed section into your connections.toml.
 *
 * Options: `--port <n>` (default 8080, or a free port when 8080 is taken), `--folder <path>` (another
 * workspace folder), `--no-emulator` (no emulator, no `SNOWFLAKE_HOME`: the extension reads your own
 * connections), `--emulator-speed <x>` (emulated time runs x times faster, default 5: a new service is
 * READY in about 12 s).
 *
 * Must not: leave anything behind. Ctrl+C or any other way out stops the emulator with the process and
 * removes the temporary `SNOWFLAKE_HOME` (code-server's state goes with `codeServer.ts`).
 */

import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startCodeServer, freePort } from './workbench/codeServer';
import { repositoryRoot } from './workbench/compileTests';
import { createSnowflakeHome, startEmulatorWithConnections, type EmulatorConnections } from './workbench/emulatorConnections';
import { ensureWorkbenchTools } from './workbench/tools';
import { vsixPath } from './workbench/vsix';

/** The connection `npm start` writes; the name the emulator's own CLI prints too. */
const startConnectionName = 'spcs_emulator';
const defaultEmulatorSpeed = 5;

interface Options {
  readonly desktop: boolean;
  readonly port?: number;
  readonly folder: string;
  readonly emulator: boolean;
  readonly emulatorSpeed: number;
}

function parseOptions(argv: readonly string[]): Options {
  let desktop = false;
  let port: number | undefined;
  let folder = path.join(repositoryRoot, 'samples');
  let emulator = true;
  let emulatorSpeed = defaultEmulatorSpeed;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--desktop') {
      desktop = true;
    } else if (argument === '--port') {
      port = Number(argv[++index]);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error('--port needs a port number');
      }
    } else if (argument === '--folder') {
      folder = path.resolve(argv[++index] ?? '.');
    } else if (argument === '--no-emulator') {
      emulator = false;
    } else if (argument === '--emulator-speed') {
      emulatorSpeed = Number(argv[++index]);
      if (!Number.isFinite(emulatorSpeed) || emulatorSpeed <= 0) {
        throw new Error('--emulator-speed needs a positive number');
      }
    } else {
      throw new Error(`unknown option ${argument}; use --desktop, --port <n>, --folder <path>, --no-emulator or --emulator-speed <x>`);
    }
  }
  return { desktop, port, folder, emulator, emulatorSpeed };
}

function npm(script: string): void {
  console.log(`start: npm run ${script}`);
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: repositoryRoot, stdio: 'inherit', timeout: 300_000 });
  if (result.status !== 0) {
    throw new Error(`npm run ${script} failed (${result.error?.message ?? `exit code ${result.status}`})`);
  }
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The emulator with the demo account and a temporary SNOWFLAKE_HOME pointing at it. The folder is
 * removed on every way out of the process (the `exit` hook runs on Ctrl+C too: codeServer.ts exits
 * from its signal handler); the emulator's sockets close with the process.
 */
async function startLocalAccount(speed: number): Promise<EmulatorConnections> {
  const home = createSnowflakeHome('vscode-spcs-start-');
  process.on('exit', () => rmSync(home, { recursive: true, force: true }));
  try {
    return await startEmulatorWithConnections({
      snowflakeHome: home,
      connections: [{ name: startConnectionName, user: 'DEMO_USER' }],
      speed,
      log: (line) => console.error(`start: ${line}`),
    });
  } catch (error) {
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
}

async function stopLocalAccount(local: EmulatorConnections | undefined): Promise<void> {
  if (local) {
    await local.stop();
    rmSync(local.snowflakeHome, { recursive: true, force: true });
  }
}

/**
 * The environment that points the extension at the local account. The default connection is named
 * explicitly too, so that a `SNOWFLAKE_DEFAULT_CONNECTION_NAME` in the user's shell does not pick a
 * connection that this SNOWFLAKE_HOME does not have.
 */
function localAccountEnv(local: EmulatorConnections): Record<string, string> {
  return { SNOWFLAKE_HOME: local.snowflakeHome, SNOWFLAKE_DEFAULT_CONNECTION_NAME: startConnectionName };
}

/** What the newcomer needs to know about the local account (the lines start.e2e.ts reads too). */
function describeLocalAccount(local: EmulatorConnections, speed: number): string {
  const users = ['DEMO_USER', 'VIEWER_USER'].flatMap((name) => {
    const user = local.account.users.findUser(name);
    return user ? [`${user.name} / ${user.password ?? '(no password)'} (role ${user.defaultRole})`] : [];
  });
  return [
    `Local SPCS emulator (demo account ${local.account.name}, emulated time at ${speed}x): ${local.emulator.url}`,
    `  connection: ${startConnectionName} (the default), user DEMO_USER`,
    `  SNOWFLAKE_HOME=${local.snowflakeHome} (connections.toml and config.toml, removed on exit; your ~/.snowflake is not used)`,
    `  users: ${users.join(', ')}`,
    '  to use it outside this session: npx spcs-emulator --seed demo (prints a connections.toml section)',
  ].join('\n');
}

async function startDesktop(options: Options): Promise<void> {
  if (!onPath('code')) {
    throw new Error('--desktop needs VS Code\'s `code` command on the PATH (in VS Code: "Shell Command: Install \'code\' command in PATH")');
  }
  npm('build');
  const local = options.emulator ? await startLocalAccount(options.emulatorSpeed) : undefined;
  console.log(`start: code --extensionDevelopmentPath=${repositoryRoot} ${options.folder}`);
  const child = spawn('code', [`--extensionDevelopmentPath=${repositoryRoot}`, '--new-window', options.folder], {
    stdio: 'inherit',
    detached: true,
    env: local ? { ...process.env, ...localAccountEnv(local) } : process.env,
  });
  child.unref();
  if (!local) {
    return;
  }
  console.log(`\n${describeLocalAccount(local, options.emulatorSpeed)}\n`);
  console.log(
    'The new VS Code window gets this SNOWFLAKE_HOME only if VS Code was not already running (a running VS Code keeps its own\n' +
      'environment): if the sidebar shows your own connections instead, quit VS Code and run this again.\n' +
      'Ctrl+C stops the emulator and removes the temporary SNOWFLAKE_HOME.',
  );
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => resolve());
    }
  });
  await stopLocalAccount(local);
  console.log('start: emulator stopped');
}

async function startWeb(options: Options): Promise<void> {
  npm('package');
  const tools = await ensureWorkbenchTools();
  const port = options.port ?? ((await portIsFree(8080)) ? 8080 : await freePort());
  const local = options.emulator ? await startLocalAccount(options.emulatorSpeed) : undefined;
  try {
    const server = await startCodeServer(tools, {
      port: port === 0 ? await freePort() : port,
      vsix: [vsixPath(repositoryRoot)],
      settings: { 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'extensions.ignoreRecommendations': true },
      // The extension host inherits the server's environment: this is how the extension finds the connection.
      env: local ? localAccountEnv(local) : {},
      log: (line) => console.log(`start: ${line}`),
    });
    const url = server.workbenchUrl(options.folder);
    console.log(`\nVS Code (code-server) with the SPCS extension, workspace ${path.relative(process.cwd(), options.folder) || '.'}:\n\n  ${url}\n`);
    if (local) {
      console.log(`${describeLocalAccount(local, options.emulatorSpeed)}\n`);
      console.log('The Snowpark Containers view (activity bar) lists the connection; the emulator\'s pools and services are under it.');
    } else {
      console.log(`No emulator (--no-emulator): the extension reads your own connections (${process.env.SNOWFLAKE_HOME ?? path.join(os.homedir(), '.snowflake')}).`);
    }
    console.log('Open the URL in a browser on this machine (it listens on 127.0.0.1 only). Ctrl+C stops everything and removes its state.');
    // Ctrl+C: the code-server module kills the server and removes its state folder on the way out; the
    // exit hook of startLocalAccount removes the SNOWFLAKE_HOME.
    await server.exited;
    console.log(`start: code-server exited:\n${server.output().slice(-2_000)}`);
    process.exitCode = 1;
  } finally {
    await stopLocalAccount(local);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.desktop) {
    await startDesktop(options);
  } else {
    await startWeb(options);
  }
}

main().catch((error: unknown) => {
  console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
