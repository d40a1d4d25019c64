/**
 * `spcs-emulator [--port N] [--seed demo|empty] [--state FILE] [--speed X]`: starts the emulator on
 * 127.0.0.1, prints its URL and a ready-made connections.toml section, and runs until SIGINT or
 * SIGTERM (saving the state when `--state` is given). Exit codes: 0 after a clean stop or `--help`,
 * 2 for bad usage, a port in use or an unreadable state file.
 *
 * The bin stub `bin/spcs-emulator.js` loads the bundle (dist/emulator/emulator.js) and calls
 * `runCli`; `node --import tsx emulator/src/cli.ts` runs it from source.
 */

import { start, type ConnectionDefaults, type EmulatorHandle, type StartOptions } from './server';
import { StateFileError } from './stateFile';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

interface CliOptions {
  readonly port: number;
  readonly seed: 'demo' | 'empty';
  readonly statePath: string | undefined;
  readonly speed: number;
}

const usage = `Usage: spcs-emulator [options]

A local Snowflake endpoint for Snowpark Container Services development: the snowflake-sdk driver
(and the extension) connect to it over http://127.0.0.1 instead of a real account.

Options:
  --port N        port to listen on (default 0: a free port)
  --seed NAME     initial account: "demo" (default; user DEMO_USER, compute pool, services) or "empty"
  --state FILE    load the account from FILE when it exists and save it there after every change
                  and on exit, so a demo survives restarts
  --speed X       emulated time runs X times faster than real time (default 1): provisioning that
                  takes 60 s takes 6 s with --speed 10
  -h, --help      show this help
`;

class UsageError extends Error {}

function parseArguments(argv: readonly string[]): CliOptions | 'help' {
  let port = 0;
  let seed: 'demo' | 'empty' = 'demo';
  let statePath: string | undefined;
  let speed = 1;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    if (argument === '-h' || argument === '--help') return 'help';
    const [flag, inline] = argument.startsWith('--') && argument.includes('=') ? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)] : [argument, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      index += 1;
      const next = argv[index];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--port': {
        const text = value();
        port = Number(text);
        if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got "${text}"`);
        break;
      }
      case '--seed': {
        const text = value();
        if (text !== 'demo' && text !== 'empty') throw new UsageError(`--seed must be "demo" or "empty", got "${text}"`);
        seed = text;
        break;
      }
      case '--state':
        statePath = value();
        break;
      case '--speed': {
        const text = value();
        speed = Number(text);
        if (!Number.isFinite(speed) || speed <= 0) throw new UsageError(`--speed must be a positive number, got "${text}"`);
        break;
      }
      default:
        throw new UsageError(`unknown option "${argument}"`);
    }
  }
  return { port, seed, statePath, speed };
}

/** A connections.toml section (TOML basic strings are JSON strings for these values). */
export function connectionsTomlSection(name: string, connection: ConnectionDefaults): string {
  const lines = [`[${name}]`, `account = ${JSON.stringify(connection.account)}`, `user = ${JSON.stringify(connection.user)}`];
  if (connection.password !== undefined) lines.push(`password = ${JSON.stringify(connection.password)}`);
  lines.push(`host = ${JSON.stringify(connection.host)}`, `port = ${connection.port}`, `protocol = ${JSON.stringify(connection.protocol)}`);
  lines.push(`role = ${JSON.stringify(connection.role)}`);
  for (const key of ['warehouse', 'database', 'schema'] as const) {
    const value = connection[key];
    if (value !== undefined) lines.push(`${key} = ${JSON.stringify(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

function describeStartError(error: unknown, options: CliOptions): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') return `port ${options.port} is already in use (pass --port 0 to pick a free port)`;
  if (code === 'EACCES') return `not allowed to listen on port ${options.port}`;
  if (error instanceof StateFileError) return `cannot load the state: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the emulator until a signal stops it; resolves to the process exit code. `signals` and
 * `startOverrides` let tests drive it in-process (e.g. with their own account factory).
 */
export async function runCli(argv: readonly string[], io: CliIo, signals: NodeJS.EventEmitter = process, startOverrides: Partial<StartOptions> = {}): Promise<number> {
  let options: CliOptions | 'help';
  try {
    options = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`spcs-emulator: ${error.message}\n\n${usage}`);
    return 2;
  }
  if (options === 'help') {
    io.stdout(usage);
    return 0;
  }
  let handle: EmulatorHandle;
  try {
    handle = await start({
      port: options.port,
      seed: options.seed,
      speed: options.speed,
      ...(options.statePath === undefined ? {} : { statePath: options.statePath }),
      log: (line) => io.stderr(`${line}\n`),
      ...startOverrides,
    });
  } catch (error) {
    io.stderr(`spcs-emulator: ${describeStartError(error, options)}\n`);
    return 2;
  }
  let section = '';
  try {
    section = connectionsTomlSection('spcs_emulator', handle.connection());
  } catch {
    section = `[spcs_emulator]\naccount = ${JSON.stringify(handle.account.name)}\nhost = "127.0.0.1"\nport = ${handle.port}\nprotocol = "http"\n`;
  }
  // Ready for Ctrl+C / SIGTERM before saying so: whoever reads the banner may stop it at once.
  const stopped = new Promise<number>((resolve) => {
    const onSignal = (signal: string) => {
      signals.off('SIGINT', onSignal);
      signals.off('SIGTERM', onSignal);
      handle.stop().then(
        () => {
          io.stderr(`spcs-emulator: stopped (${signal})\n`);
          resolve(0);
        },
        (error: unknown) => {
          io.stderr(`spcs-emulator: error while stopping: ${error instanceof Error ? error.message : String(error)}\n`);
          resolve(1);
        },
      );
    };
    signals.on('SIGINT', onSignal);
    signals.on('SIGTERM', onSignal);
  });
  io.stdout(
    `spcs-emulator listening on ${handle.url}\n\n` +
      `# Add to ~/.snowflake/connections.toml (or $SNOWFLAKE_HOME/connections.toml):\n${section}\n` +
      `Emulated time runs at ${options.speed}x.${options.statePath === undefined ? '' : ` State is saved to ${options.statePath}.`} Press Ctrl+C to stop.\n`,
  );
  return stopped;
}

if (require.main === module) {
  runCli(process.argv.slice(2), { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`spcs-emulator: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
