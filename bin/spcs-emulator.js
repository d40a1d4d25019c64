#!/usr/bin/env node
// `spcs-emulator`: a local Snowflake endpoint for SPCS development (see emulator/src/cli.ts). Built by `npm run build`.
const { runCli } = require('../dist/emulator/emulator.js');
runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => { process.exitCode = code; },
  (error) => { process.stderr.write(`spcs-emulator: internal error: ${error && error.stack ? error.stack : String(error)}\n`); process.exitCode = 2; },
);
