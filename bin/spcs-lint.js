#!/usr/bin/env node
// `spcs-lint`: the language server's checks on the command line. Built by `npm run build`.
const { runLint } = require('../dist/server/lint.js');
runLint(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  color: process.stdout.isTTY === true && !process.env.NO_COLOR,
}).then(
  (code) => { process.exitCode = code; },
  (error) => { process.stderr.write(`spcs-lint: internal error: ${error && error.stack ? error.stack : String(error)}\n`); process.exitCode = 2; },
);
