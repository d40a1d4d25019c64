/**
 * An LSP client for tests: runs `startServer` in-process over a pair of streams, speaks JSON-RPC to
 * it exactly as an editor would (initialize, didOpen/didChange, requests), answers the server's
 * `workspace/configuration` pulls from a settings object the test controls, and lets tests wait for
 * the diagnostics of a given document version (no sleeps: every wait is on a condition, with a
 * timeout that fails the test with a message).
 */

import { PassThrough } from 'node:stream';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { createConnection } from 'vscode-languageserver/node';
import type {
  InitializeResult,
  Position,
  PublishDiagnosticsParams,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver';
import { startServer } from '../../server/src/lsp/server';

export interface Harness {
  readonly connection: MessageConnection;
  readonly initializeResult: InitializeResult;
  /** The registrations the server asked for (`client/registerCapability`), in order. */
  readonly registrations: { method: string; registerOptions?: unknown }[];
  /** The registration of `method`, once the server asks for it. */
  registration(method: string): Promise<{ method: string; registerOptions?: unknown }>;
  settings: Record<string, unknown>;
  open(uri: string, text: string, languageId?: string): Promise<PublishDiagnosticsParams>;
  change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<PublishDiagnosticsParams>;
  close(uri: string): Promise<PublishDiagnosticsParams>;
  /** The next published diagnostics (or an unconsumed earlier one) that satisfy `match`. */
  diagnosticsWhere(match: (params: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  request<R>(method: string, params: unknown): Promise<R>;
  /** The position of the first occurrence of `needle` in the open document (plus `offset` characters). */
  positionOf(uri: string, needle: string, offset?: number): Position;
  dispose(): void;
}

const timeoutMs = 5000;

export async function startHarness(options: { settings?: Record<string, unknown>; configuration?: boolean; watchFiles?: boolean } = {}): Promise<Harness> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(serverConnection);
  const connection = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));

  const texts = new Map<string, { text: string; version: number }>();
  const published: PublishDiagnosticsParams[] = [];
  const waiters: { match: (params: PublishDiagnosticsParams) => boolean; resolve: (params: PublishDiagnosticsParams) => void }[] = [];
  const harness = { settings: options.settings ?? {} } as Harness & { settings: Record<string, unknown> };

  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    published.push(params);
    for (const waiter of [...waiters]) {
      if (waiter.match(params)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(params);
      }
    }
  });
  connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
    params.items.map((item) => (item.section === 'spcs' ? harness.settings : null)),
  );
  const registrations: { method: string; registerOptions?: unknown }[] = [];
  const registrationWaiters: { method: string; resolve: (registration: { method: string; registerOptions?: unknown }) => void }[] = [];
  connection.onRequest('client/registerCapability', (params: { registrations: { method: string; registerOptions?: unknown }[] }) => {
    registrations.push(...params.registrations);
    for (const registration of params.registrations) {
      for (const waiter of registrationWaiters.filter((candidate) => candidate.method === registration.method)) {
        registrationWaiters.splice(registrationWaiters.indexOf(waiter), 1);
        waiter.resolve(registration);
      }
    }
    return null;
  });
  function registration(method: string): Promise<{ method: string; registerOptions?: unknown }> {
    const already = registrations.find((candidate) => candidate.method === method);
    if (already) {
      return Promise.resolve(already);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no registration of ${method} within ${timeoutMs} ms`)), timeoutMs);
      registrationWaiters.push({ method, resolve: (found) => (clearTimeout(timer), resolve(found)) });
    });
  }
  connection.onNotification('window/logMessage', () => undefined);
  connection.listen();

  function waitForDiagnostics(uri: string, version: number | undefined): Promise<PublishDiagnosticsParams> {
    return diagnosticsWhere((params) => params.uri === uri && (version === undefined || params.version === version));
  }

  function diagnosticsWhere(match: (params: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
    const already = published.find(match);
    if (already) {
      published.splice(published.indexOf(already), 1);
      return Promise.resolve(already);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics within ${timeoutMs} ms`)), timeoutMs);
      waiters.push({
        match,
        resolve: (params) => {
          clearTimeout(timer);
          resolve(params);
        },
      });
    });
  }

  const initializeResult = await connection.sendRequest<InitializeResult>('initialize', {
    processId: null,
    rootUri: null,
    capabilities: {
      workspace: {
        configuration: options.configuration ?? true,
        didChangeConfiguration: { dynamicRegistration: true },
        ...(options.watchFiles ? { didChangeWatchedFiles: { dynamicRegistration: true } } : {}),
      },
      textDocument: {
        publishDiagnostics: { versionSupport: true, relatedInformation: true, tagSupport: { valueSet: [1, 2] } },
        completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
        rename: { prepareSupport: true },
      },
    },
  });
  await connection.sendNotification('initialized', {});

  return Object.assign(harness, {
    connection,
    initializeResult,
    registrations,
    registration,
    diagnosticsWhere,
    async open(uri: string, text: string, languageId = 'spcs-spec') {
      texts.set(uri, { text, version: 1 });
      const wait = waitForDiagnostics(uri, 1);
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
      return wait;
    },
    async change(uri: string, changes: TextDocumentContentChangeEvent[]) {
      const current = texts.get(uri);
      if (!current) {
        throw new Error(`${uri} is not open`);
      }
      const version = current.version + 1;
      let text = current.text;
      for (const change of changes) {
        if ('range' in change) {
          const { TextDocument } = await import('vscode-languageserver-textdocument');
          const doc = TextDocument.create(uri, 'x', version, text);
          text = TextDocument.applyEdits(doc, [{ range: change.range, newText: change.text }]);
        } else {
          text = change.text;
        }
      }
      texts.set(uri, { text, version });
      const wait = waitForDiagnostics(uri, version);
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
      return wait;
    },
    async close(uri: string) {
      texts.delete(uri);
      // The clearing publish carries no version (the document no longer has one).
      const wait = diagnosticsWhere((params) => params.uri === uri && params.version === undefined);
      await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      return wait;
    },
    request<R>(method: string, params: unknown): Promise<R> {
      return connection.sendRequest<R>(method, params);
    },
    positionOf(uri: string, needle: string, offset = 0): Position {
      const text = texts.get(uri)?.text ?? '';
      const index = text.indexOf(needle);
      if (index === -1) {
        throw new Error(`"${needle}" not found in ${uri}`);
      }
      const before = text.slice(0, index + offset);
      const line = before.split('\n').length - 1;
      return { line, character: before.length - before.lastIndexOf('\n') - 1 };
    },
    dispose() {
      connection.dispose();
      serverConnection.dispose();
      toServer.destroy();
      toClient.destroy();
    },
  });
}
