/**
 * `spcs-language-server`: the language server's process entry.
 *
 * Speaks LSP over `--stdio` (the default), `--node-ipc` or `--socket=<port>`, as chosen by
 * `vscode-languageserver`'s `createConnection()`. `console.log` is redirected to the client's log so
 * that nothing stray is written into the protocol stream.
 */

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { serverName, serverVersion, startServer } from './lsp/server';

const argv = process.argv.slice(2);
if (argv.includes('--version') || argv.includes('-v')) {
  process.stdout.write(`${serverName} ${serverVersion}\n`);
  process.exit(0);
}
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(
    `${serverName} ${serverVersion}: the SPCS service specification language server.\n\n` +
      'Usage: spcs-language-server --stdio | --node-ipc | --socket=<port>\n\n' +
      'Settings are pulled from the client (section "spcs"); see the README for the list.\n',
  );
  process.exit(0);
}
if (!argv.some((arg) => arg === '--stdio' || arg === '--node-ipc' || arg.startsWith('--socket=') || arg.startsWith('--clientProcessId'))) {
  // createConnection() would throw a cryptic error; say what is expected instead.
  process.stderr.write(`${serverName}: choose a transport, e.g. --stdio (see --help)\n`);
  process.exit(2);
}

const connection = createConnection(ProposedFeatures.all);
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.info = (...args: unknown[]) => connection.console.info(args.map(String).join(' '));
console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
process.on('uncaughtException', (error) => connection.console.error(`uncaught: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${String(reason)}`));
startServer(connection);
