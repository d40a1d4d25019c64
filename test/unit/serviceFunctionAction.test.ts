/**
 * "Create service function…" (server/src/service/codeActions.ts): offered as a `refactor` code action
 * on HTTP endpoints of a spec (protocol HTTP or absent), never on TCP/UDP ones, with the command
 * `spcs.createServiceFunction` and `{ uri, endpoint, port }`; and only to a client that announced
 * `experimental.spcsAccount` — checked on the language service and over the LSP wire in-process.
 */

import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { createConnection } from 'vscode-languageserver/node';
import type { CodeAction, InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startServer } from '../../server/src/lsp/server';
import { SpcsLanguageService } from '../../server/src/service/languageService';

const uri = 'file:///work/functions.spcs.yaml';
const spec = [
  'spec:',
  '  containers:',
  '    - name: api',
  '      image: /db/schema/repo/api:v1',
  '  endpoints:',
  '    - name: web', // protocol absent: HTTP
  '      port: 8000',
  '    - name: db',
  '      port: 5432',
  '      protocol: TCP',
  '    - name: admin',
  '      port: 9000',
  '      protocol: HTTP',
  '      public: true',
  '',
].join('\n');

const service = new SpcsLanguageService();
const document = TextDocument.create(uri, 'spcs-spec', 1, spec);

function lineOf(text: string): number {
  const line = spec.split('\n').findIndex((candidate) => candidate.includes(text));
  assert.ok(line >= 0, text);
  return line;
}

function at(line: number, character = 6) {
  return { start: { line, character }, end: { line, character } };
}

function functionActions(actions: readonly CodeAction[]): CodeAction[] {
  return actions.filter((action) => action.title === 'Create service function…');
}

describe('Create service function code action (language service)', () => {
  it('is offered on an endpoint without a protocol (HTTP) with the command and its arguments', () => {
    const actions = functionActions(service.codeActions(document, { range: at(lineOf('name: web')), accountCommands: true }));
    assert.equal(actions.length, 1);
    assert.equal(actions[0]?.kind, 'refactor');
    assert.deepEqual(actions[0]?.command, { title: 'Create service function…', command: 'spcs.createServiceFunction', arguments: [{ uri, endpoint: 'web', port: '8000' }] });
    // Anywhere in the item, including the `- ` and the port line.
    assert.equal(functionActions(service.codeActions(document, { range: at(lineOf('name: web'), 4), accountCommands: true })).length, 1);
    assert.equal(functionActions(service.codeActions(document, { range: at(lineOf('port: 8000')), accountCommands: true })).length, 1);
  });

  it('is offered on an explicit HTTP endpoint and never on a TCP one', () => {
    const admin = functionActions(service.codeActions(document, { range: at(lineOf('protocol: HTTP')), accountCommands: true }));
    assert.deepEqual(admin.map((action) => action.command?.arguments), [[{ uri, endpoint: 'admin', port: '9000' }]]);
    assert.deepEqual(functionActions(service.codeActions(document, { range: at(lineOf('protocol: TCP')), accountCommands: true })), []);
    assert.deepEqual(functionActions(service.codeActions(document, { range: at(lineOf('name: db')), accountCommands: true })), []);
  });

  it('is not offered without the account commands, outside endpoints, or when other kinds are asked for', () => {
    assert.deepEqual(functionActions(service.codeActions(document, { range: at(lineOf('name: web')) })), []);
    assert.deepEqual(functionActions(service.codeActions(document, { range: at(lineOf('name: web')), accountCommands: false })), []);
    assert.deepEqual(functionActions(service.codeActions(document, { range: at(lineOf('image:')), accountCommands: true })), []);
    assert.deepEqual(functionActions(service.codeActions(document, { range: at(lineOf('name: web')), only: ['quickfix'], accountCommands: true })), []);
    assert.equal(functionActions(service.codeActions(document, { range: at(lineOf('name: web')), only: ['refactor'], accountCommands: true })).length, 1);
  });
});

/** The real server in-process, initialized with or without `experimental.spcsAccount`. */
async function server(experimental: Record<string, unknown> | undefined) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)));
  const connection = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  connection.onNotification('textDocument/publishDiagnostics', () => undefined);
  connection.onNotification('window/logMessage', () => undefined);
  connection.listen();
  const initialized = await connection.sendRequest<InitializeResult>('initialize', {
    processId: null,
    rootUri: null,
    capabilities: { textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'source.fixAll'] } } } }, ...(experimental ? { experimental } : {}) },
  });
  await connection.sendNotification('initialized', {});
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'spcs-spec', version: 1, text: spec } });
  return {
    initialized,
    actions: (line: number) => connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: at(line), context: { diagnostics: [] } }),
    dispose: () => {
      connection.dispose();
      toServer.end();
      toClient.end();
    },
  };
}

describe('Create service function code action (LSP wire)', { timeout: 10_000 }, () => {
  it('is offered to a client that announced experimental.spcsAccount, and declared as a refactor kind', async () => {
    const lsp = await server({ spcsAccount: { version: 1 } });
    try {
      const kinds = (lsp.initialized.capabilities.codeActionProvider as { codeActionKinds?: string[] }).codeActionKinds ?? [];
      assert.ok(kinds.includes('refactor'), kinds.join(', '));
      const actions = functionActions(await lsp.actions(lineOf('name: web')));
      assert.deepEqual(actions.map((action) => action.command?.arguments), [[{ uri, endpoint: 'web', port: '8000' }]]);
      assert.deepEqual(functionActions(await lsp.actions(lineOf('name: db'))), []);
    } finally {
      lsp.dispose();
    }
  });

  it('is not offered to a client without the capability (Neovim, other editors)', async () => {
    for (const experimental of [undefined, { spcsAccount: { version: 2 } }, { somethingElse: true }]) {
      const lsp = await server(experimental);
      try {
        assert.deepEqual(functionActions(await lsp.actions(lineOf('name: web'))), [], JSON.stringify(experimental));
      } finally {
        lsp.dispose();
      }
    }
  });
});
