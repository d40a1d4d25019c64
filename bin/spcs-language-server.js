#!/usr/bin/env node
// The SPCS language server (LSP over --stdio, --node-ipc or --socket=<port>). Built by `npm run build`.
require('../dist/server/server.js');
