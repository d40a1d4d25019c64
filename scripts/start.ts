/**
 * `npm start`: the extension in a real VS Code with one command, on a fresh clone after `npm ci`.
 *
 * Default: packages the extension (`npm run package`), prepares the workbench tools if missing (Chromium
 * is not needed for this, but the one tools step keeps them together; the first run takes about two
 * minutes and says what it is doing), starts code-server on 127.0.0.1 with fresh state and the VSIX
 * installed, opens `samples/`, prints the URL, and runs until Ctrl+C.
 *
 * `npm start -- --desktop`: builds and opens `samples/` in the desktop VS Code found on the PATH
 * (`code`) with this folder as the extension under development (`--extensionDevelopmentPath`).
 *
 * Options: `--port <n>` (default 8080, or a free port when 8080 is taken), `--folder <path>` (another
 * workspace folder).
 */

import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { startCodeServer, freePort } from './workbench/codeServer';
import { repositoryRoot } from './workbench/compileTests';
import { ensureWorkbenchTools } from './workbench/tools';
import { vsixPath } from './workbench/vsix';

interface Options {
  readonly desktop: boolean;
  readonly port?: number;
  readonly folder: string;
}

function parseOptions(argv: readonly string[]): Options {
  let desktop = false;
  let port: number | undefined;
  let folder = path.join(repositoryRoot, 'samples');
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
    } else {
      throw new Error(`unknown option ${argument}; use --desktop, --port <n> or --folder <path>`);
    }
  }
  return { desktop, port, folder };
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

function startDesktop(options: Options): void {
  if (!onPath('code')) {
    throw new Error('--desktop needs VS Code\'s `code` command on the PATH (in VS Code: "Shell Command: Install \'code\' command in PATH")');
  }
  npm('build');
  console.log(`start: code --extensionDevelopmentPath=${repositoryRoot} ${options.folder}`);
  const child = spawn('code', [`--extensionDevelopmentPath=${repositoryRoot}`, '--new-window', options.folder], { stdio: 'inherit', detached: true });
  child.unref();
}

async function startWeb(options: Options): Promise<void> {
  npm('package');
  const tools = await ensureWorkbenchTools();
  const port = options.port ?? ((await portIsFree(8080)) ? 8080 : await freePort());
  const server = await startCodeServer(tools, {
    port: port === 0 ? await freePort() : port,
    vsix: [vsixPath(repositoryRoot)],
    settings: { 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'extensions.ignoreRecommendations': true },
    log: (line) => console.log(`start: ${line}`),
  });
  const url = server.workbenchUrl(options.folder);
  console.log(`\nVS Code (code-server) with the SPCS extension, workspace ${path.relative(process.cwd(), options.folder) || '.'}:\n\n  ${url}\n`);
  console.log('Open it in a browser on this machine (it listens on 127.0.0.1 only). Ctrl+C stops it and removes its state.');
  // Ctrl+C: the code-server module kills the server and removes its state folder on the way out.
  await server.exited;
  console.log(`start: code-server exited:\n${server.output().slice(-2_000)}`);
  process.exitCode = 1;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.desktop) {
    startDesktop(options);
  } else {
    await startWeb(options);
  }
}

main().catch((error: unknown) => {
  console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
