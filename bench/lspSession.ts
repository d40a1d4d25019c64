/**
 * One language server process driven over LSP stdio, the way a real editor drives it.
 *
 * Owns: spawning the server, the JSON-RPC connection (`vscode-jsonrpc/node`), answering the
 * requests a server sends to its client (`workspace/configuration`, registrations), keeping each
 * open document's text and version, and timing the three things the benchmark measures: a change
 * until its `publishDiagnostics`, a request until its answer, and the process's memory.
 *
 * Must not: judge the figures (see `bench.ts`), or sleep to wait for something: every wait is a
 * condition with a generous timeout, and a server that exits or never answers is an error.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Position, Range } from 'vscode-languageserver-types';

/** How long any single wait may take before the benchmark declares the server broken. */
export const brokenAfterMs = 15_000;

export interface ServerCommand {
  /** A short label for the report, e.g. `spcs` or `yaml-language-server`. */
  readonly label: string;
  /** The script node runs (the server's entry), followed by its arguments. */
  readonly script: string;
  readonly args: readonly string[];
  /** The answer to one item of a `workspace/configuration` request. */
  readonly configuration: (section: string | undefined) => unknown;
}

export interface PublishedDiagnostics {
  readonly uri: string;
  readonly version: number | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /** `performance.now()` when the notification was read by the client. */
  readonly at: number;
}

export interface MemoryFigures {
  /** Resident set size of the server process, in bytes (`VmRSS` of `/proc/<pid>/status`). */
  readonly rssBytes: number | undefined;
  /** V8 heap in use, in bytes, from a Node diagnostic report triggered by a signal (no server code involved). */
  readonly heapUsedBytes: number | undefined;
  readonly heapTotalBytes: number | undefined;
}

interface DiagnosticsWaiter {
  readonly uri: string;
  /** Matches this version when the server publishes versions; otherwise the first publish after `since`. */
  readonly version: number;
  readonly since: number;
  readonly resolve: (published: PublishedDiagnostics) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

const reportSignal = 'SIGUSR2';

export class LspSession {
  /** When the server publishes `version` with its diagnostics (ours does; yaml-language-server does not). */
  publishesVersions = false;
  /** Publishes that arrived while no change of that document was waiting for one. */
  strayPublishes = 0;
  /** Publishes of a URI and version that had already been published (the same result sent twice). */
  duplicatePublishes = 0;
  /** `window/logMessage` errors (type 1): a rule that threw shows up here. */
  readonly loggedErrors: string[] = [];
  /** 1 = full, 2 = incremental (`TextDocumentSyncKind`). */
  syncKind = 2;

  private readonly documents = new Map<string, TextDocument>();
  private readonly waiters: DiagnosticsWaiter[] = [];
  private readonly lastPublished = new Map<string, PublishedDiagnostics>();
  private exited: string | undefined;
  private disposing = false;
  private rejectExit: (error: Error) => void = () => undefined;
  /** Rejects when the process exits: pending requests fail at once instead of waiting for their timeout. */
  private readonly exitedPromise = new Promise<never>((_, reject) => {
    this.rejectExit = reject;
  });
  private stderrTail = '';

  private constructor(
    readonly command: ServerCommand,
    private readonly child: ChildProcess,
    private readonly connection: MessageConnection,
    private readonly reportDirectory: string,
  ) {}

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Spawns the server and wires the connection; `initialize` is a separate, timed step. */
  static spawn(command: ServerCommand): LspSession {
    const reportDirectory = mkdtempSync(join(tmpdir(), 'spcs-bench-report-'));
    const child = spawn(
      process.execPath,
      [
        // A diagnostic report on a signal gives the V8 heap figures without touching the server's code.
        '--report-on-signal',
        `--report-signal=${reportSignal}`,
        `--report-directory=${reportDirectory}`,
        command.script,
        ...command.args,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    if (!child.stdout || !child.stdin || !child.stderr) {
      throw new Error(`${command.label}: could not open the server's stdio`);
    }
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const session = new LspSession(command, child, connection, reportDirectory);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      session.stderrTail = (session.stderrTail + chunk).slice(-4000);
    });
    child.on('exit', (code, signal) => session.onExit(`exited with ${signal ?? `code ${String(code)}`}`));
    child.on('error', (error) => session.onExit(`failed to start: ${error.message}`));
    session.wire();
    connection.listen();
    return session;
  }

  private wire(): void {
    this.connection.onRequest('workspace/configuration', (params: { items?: { section?: string }[] }) =>
      (params.items ?? []).map((item) => this.command.configuration(item.section)),
    );
    // Registrations, progress tokens, workspace folders, …: a plain client accepts them.
    this.connection.onRequest(() => null);
    this.connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; version?: number; diagnostics: Diagnostic[] }) =>
      this.onPublish({ uri: params.uri, version: params.version, diagnostics: params.diagnostics, at: performance.now() }),
    );
    this.connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
      if (params.type === 1) {
        this.loggedErrors.push(params.message);
      }
    });
    this.connection.onNotification(() => undefined);
    this.connection.onError(([error]) => this.onExit(`connection error: ${error.message}`));
    this.connection.onClose(() => this.onExit('closed the connection'));
  }

  private onExit(reason: string): void {
    if (this.exited) {
      return;
    }
    this.exited = this.disposing ? 'disposed' : reason;
    const error = new Error(`${this.command.label} ${reason}${this.stderrTail ? `\nstderr: ${this.stderrTail}` : ''}`);
    this.exitedPromise.catch(() => undefined);
    this.rejectExit(error);
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }

  private onPublish(published: PublishedDiagnostics): void {
    const previous = this.lastPublished.get(published.uri);
    if (published.version !== undefined && previous?.version === published.version) {
      this.duplicatePublishes++;
    }
    this.lastPublished.set(published.uri, published);
    if (published.version !== undefined) {
      // A server that says which version it validated can be matched exactly (LSP 3.15 `versionSupport`).
      this.publishesVersions = true;
    }
    const index = this.waiters.findIndex(
      (waiter) =>
        waiter.uri === published.uri &&
        (this.publishesVersions && published.version !== undefined ? published.version === waiter.version : published.at >= waiter.since),
    );
    if (index < 0) {
      if (this.documents.has(published.uri)) {
        this.strayPublishes++;
      }
      return;
    }
    const [waiter] = this.waiters.splice(index, 1);
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(published);
    }
  }

  private waitForDiagnostics(uri: string, version: number, since: number): Promise<PublishedDiagnostics> {
    if (this.exited) {
      return Promise.reject(new Error(`${this.command.label} ${this.exited}`));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.findIndex((waiter) => waiter.timer === timer);
        if (index >= 0) {
          this.waiters.splice(index, 1);
        }
        reject(new Error(`${this.command.label}: no diagnostics for ${uri} version ${version} within ${brokenAfterMs} ms`));
      }, brokenAfterMs);
      this.waiters.push({ uri, version, since, resolve, reject, timer });
    });
  }

  private async withTimeout<T>(what: string, promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.command.label}: ${what} not answered within ${brokenAfterMs} ms`)), brokenAfterMs);
    });
    try {
      return await Promise.race([promise, timeout, this.exitedPromise]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** `initialize` + `initialized`, as a client that supports pulled configuration and versioned diagnostics. */
  async initialize(): Promise<void> {
    const result = await this.withTimeout(
      'initialize',
      this.connection.sendRequest<{ capabilities: { textDocumentSync?: number | { change?: number } } }>('initialize', {
        processId: process.pid,
        clientInfo: { name: 'spcs-bench', version: '1' },
        rootUri: null,
        workspaceFolders: null,
        capabilities: {
          workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: false },
          textDocument: {
            synchronization: { dynamicRegistration: false, didSave: false },
            publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
            completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
            hover: { contentFormat: ['markdown', 'plaintext'] },
          },
        },
      }),
    );
    const sync = result.capabilities.textDocumentSync;
    this.syncKind = typeof sync === 'number' ? sync : (sync?.change ?? 1);
    await this.connection.sendNotification('initialized', {});
  }

  /** Opens a document and resolves with its first diagnostics. */
  async open(uri: string, languageId: string, text: string): Promise<PublishedDiagnostics> {
    const document = TextDocument.create(uri, languageId, 1, text);
    this.documents.set(uri, document);
    const since = performance.now();
    const published = this.waitForDiagnostics(uri, 1, since);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return published;
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    this.lastPublished.delete(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  text(uri: string): string {
    return this.document(uri).getText();
  }

  private document(uri: string): TextDocument {
    const document = this.documents.get(uri);
    if (!document) {
      throw new Error(`${uri} is not open`);
    }
    return document;
  }

  /**
   * Replaces `range` with `text` (incrementally or as the full text, per the server's sync kind) and
   * returns the milliseconds from sending the change to receiving its diagnostics.
   */
  async change(uri: string, range: Range, text: string): Promise<{ ms: number; published: PublishedDiagnostics }> {
    const previous = this.document(uri);
    const version = previous.version + 1;
    const next = TextDocument.update(TextDocument.create(uri, previous.languageId, version, previous.getText()), [{ range, text }], version);
    this.documents.set(uri, next);
    const contentChanges = this.syncKind === 2 ? [{ range, text }] : [{ text: next.getText() }];
    const since = performance.now();
    const published = this.waitForDiagnostics(uri, version, since);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
    const result = await published;
    return { ms: result.at - since, published: result };
  }

  /** Sends a request about a position and returns its answer and round-trip time. */
  async request<R>(method: 'textDocument/completion' | 'textDocument/hover', uri: string, position: Position): Promise<{ ms: number; result: R }> {
    const started = performance.now();
    const result = await this.withTimeout(method, this.connection.sendRequest<R>(method, { textDocument: { uri }, position }));
    return { ms: performance.now() - started, result };
  }

  /** The server's memory now: RSS from /proc and the V8 heap from a signal-triggered diagnostic report. */
  async memory(): Promise<MemoryFigures> {
    let rssBytes: number | undefined;
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
      rssBytes = match ? Number(match[1]) * 1024 : undefined;
    } catch {
      rssBytes = undefined; // Not Linux, or the process is gone.
    }
    const heap = await this.heapFromReport();
    return { rssBytes, heapUsedBytes: heap?.used, heapTotalBytes: heap?.total };
  }

  private async heapFromReport(): Promise<{ used: number; total: number } | undefined> {
    const before = new Set(existsSync(this.reportDirectory) ? readdirSync(this.reportDirectory) : []);
    try {
      this.child.kill(reportSignal);
    } catch {
      return undefined;
    }
    // The report is written by the server process itself; poll for the file (a condition, bounded).
    const deadline = performance.now() + 5000;
    while (performance.now() < deadline) {
      const fresh = readdirSync(this.reportDirectory).filter((name) => name.endsWith('.json') && !before.has(name));
      for (const name of fresh) {
        try {
          const report = JSON.parse(readFileSync(join(this.reportDirectory, name), 'utf8')) as {
            javascriptHeap?: { totalMemory?: number; usedMemory?: number };
          };
          const used = report.javascriptHeap?.usedMemory;
          const total = report.javascriptHeap?.totalMemory;
          if (typeof used === 'number' && typeof total === 'number') {
            return { used, total };
          }
        } catch {
          // Still being written: try again on the next turn.
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return undefined;
  }

  /** `shutdown` + `exit`; kills the process (by its pid, which this session started) if it lingers. */
  async dispose(): Promise<void> {
    this.disposing = true;
    if (!this.exited) {
      try {
        await this.withTimeout('shutdown', this.connection.sendRequest('shutdown'));
        await this.connection.sendNotification('exit');
      } catch {
        // Fall through to the kill below.
      }
    }
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        resolve();
      } else {
        this.child.once('exit', () => resolve());
      }
    });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
    rmSync(this.reportDirectory, { recursive: true, force: true });
  }

  /** The server's stderr so far (its last 4 kB), for error messages. */
  get stderr(): string {
    return this.stderrTail;
  }

  /** Whether the process died on its own (not through `dispose`). */
  get crashed(): string | undefined {
    return this.exited !== undefined && this.exited !== 'disposed' ? this.exited : undefined;
  }
}
