/**
 * The LSP wiring of the language service: a thin layer over `SpcsLanguageService`.
 *
 * Owns: capabilities, the open documents, pulling settings with `workspace/configuration` (and
 * working without them), publishing diagnostics, and the one error funnel every request goes
 * through (look up the document, run the provider, turn a thrown value into a logged
 * `ResponseError`, record the duration). Nothing here implements a language feature.
 *
 * Live account data (optional, `../lspExtension.ts`): the server announces `experimental.spcsAccount` and
 * takes the `spcs/accountCatalog` and `spcs/deployTargets` notifications whenever they come; each one
 * is indexed once and the open documents it affects are republished without an edit. Without them
 * (Neovim, CI, a client without the capability) nothing changes. Code actions that run a client
 * command ("Create service function…") are offered only to a client whose `initialize` announced
 * `experimental.spcsAccount` version 1.
 *
 * Diagnostics are published with their short code and a link to their documentation
 * (`publishedDiagnostic`, see diagnosticCodes.ts for why the LSP spelling differs from the CLI's).
 *
 * Project definitions (`snowflake.yml`) read the spec files they name through the file system
 * (`../nodeFiles.ts`; an open document's unsaved text wins). Their diagnostics are republished when a
 * YAML file changes on disk (`workspace/didChangeWatchedFiles`, registered when the client can) and
 * when a document opens or closes, since a spec file may have appeared, gone or changed.
 *
 * Diagnostics are computed synchronously on every change: validating a typical spec takes well under
 * a millisecond, so a debounce would only add latency. Only the newest version of a document is
 * published; a burst of changes yields one validation per change at most.
 */

import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import {
  accountCapabilityKey,
  accountCatalogNotification,
  deployTargetsNotification,
  type AccountExperimentalCapabilities,
} from '../lspExtension';
import { fixAllKind } from '../service/codeActions';
import { publishedDiagnostic } from '../service/diagnosticCodes';
import { UserFacingError } from '../service/errors';
import { SpcsLanguageService, type ValidationSettings } from '../service/languageService';
import { fileSystemProjectFiles } from '../nodeFiles';
import { serverVersion } from '../version';

export const serverName = 'spcs-language-server';
export { serverVersion };

/** The settings the server reads (section `spcs` of the client's configuration). */
interface ServerSettings extends ValidationSettings {
  readonly instanceFamily?: string;
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const service = new SpcsLanguageService({
    onRuleError: (rule, error) => connection.console.error(`rule ${rule} failed: ${describeError(error)}`),
    files: fileSystemProjectFiles((uri) => documents.get(uri)?.getText()),
  });
  let canPullConfiguration = false;
  let canWatchFiles = false;
  let canPublishVersion = false;
  let canRegisterConfiguration = false;
  /** The client announced `experimental.spcsAccount`: it runs the account commands code actions may offer. */
  let clientHasAccount = false;
  const settingsByUri = new Map<string, Promise<ServerSettings>>();

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    canPublishVersion = params.capabilities.textDocument?.publishDiagnostics?.versionSupport === true;
    canRegisterConfiguration = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    canWatchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    clientHasAccount = (params.capabilities.experimental as AccountExperimentalCapabilities | undefined)?.[accountCapabilityKey]?.version === 1;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: [':', ' ', '-', '/', '=', '.'], resolveProvider: false },
        hoverProvider: true,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.Refactor, fixAllKind], resolveProvider: false },
        experimental: { [accountCapabilityKey]: { version: 1 } } satisfies AccountExperimentalCapabilities,
      },
      serverInfo: { name: serverName, version: serverVersion },
    };
  });

  connection.onInitialized(() => {
    if (canRegisterConfiguration) {
      // Without this registration VS Code does not send configuration changes to a pull-model server.
      connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
    }
    if (canWatchFiles) {
      // The spec files a snowflake.yml names: created, changed or deleted outside the editor.
      connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml}' }] }).catch(() => undefined);
    }
  });

  function settingsFor(uri: string): Promise<ServerSettings> {
    if (!canPullConfiguration) {
      return Promise.resolve({});
    }
    let settings = settingsByUri.get(uri);
    if (!settings) {
      settings = connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'spcs' })
        .then((value: unknown) => normalizeSettings(value))
        .catch(() => ({}));
      settingsByUri.set(uri, settings);
    }
    return settings;
  }

  async function publish(document: TextDocument): Promise<void> {
    const settings = await settingsFor(document.uri);
    const current = documents.get(document.uri);
    if (!current || current.version !== document.version) {
      return; // A newer version arrived while settings were pulled; it publishes itself.
    }
    const started = performance.now();
    let diagnostics: Diagnostic[];
    try {
      diagnostics = service.validate(document, settings);
    } catch (error) {
      connection.console.error(`validation of ${document.uri} failed: ${describeError(error)}`);
      diagnostics = [];
    }
    logSlow('diagnostics', document.uri, started);
    await connection.sendDiagnostics({
      uri: document.uri,
      diagnostics: diagnostics.map(publishedDiagnostic),
      ...(canPublishVersion ? { version: document.version } : {}),
    });
  }

  function logSlow(what: string, uri: string, started: number): void {
    const elapsed = performance.now() - started;
    if (elapsed > 50) {
      connection.console.warn(`${what} for ${uri} took ${elapsed.toFixed(1)} ms`);
    }
  }

  /** Republishes the open project definitions (`snowflake.yml`), whose diagnostics depend on other files. */
  function republishProjects(except?: string): void {
    for (const document of documents.all()) {
      if (document.uri !== except && service.documentKind(document) === 'projectDefinition') {
        void publish(document);
      }
    }
  }

  // `onDidChangeContent` also fires when a document opens, so it is the one place that publishes.
  documents.onDidChangeContent((event) => void publish(event.document));
  documents.onDidOpen((event) => republishProjects(event.document.uri));
  documents.onDidClose((event) => {
    service.forget(event.document.uri);
    settingsByUri.delete(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
    republishProjects(event.document.uri);
  });
  connection.onDidChangeWatchedFiles(() => republishProjects());

  // Account data: accepted whenever it comes (a client that sends it has announced the capability;
  // one that has not simply never sends it). Malformed parameters are logged and ignored.
  connection.onNotification(accountCatalogNotification, (params: unknown) => {
    if (!service.setAccountCatalog(params)) {
      connection.console.warn(`${accountCatalogNotification}: ignored malformed parameters`);
      return;
    }
    for (const document of documents.all()) {
      void publish(document);
    }
  });
  connection.onNotification(deployTargetsNotification, (params: unknown) => {
    for (const uri of service.setDeployTargets(params)) {
      const document = documents.get(uri);
      if (document) {
        void publish(document);
      }
    }
  });

  connection.onDidChangeConfiguration(() => {
    settingsByUri.clear();
    for (const document of documents.all()) {
      void publish(document);
    }
  });

  /**
   * The error funnel: every request handler goes through here. A missing document answers with the
   * empty result; a `UserFacingError` becomes a `ResponseError` with its message; anything else is a
   * bug, logged with its stack and reported as an internal error, never a crashed server.
   */
  function handle<P extends { textDocument: { uri: string } }, R>(
    name: string,
    empty: R,
    run: (document: TextDocument, params: P, settings: ServerSettings) => R,
  ): (params: P, token: CancellationToken) => Promise<R | ResponseError<void>> {
    return async (params, token) => {
      const document = documents.get(params.textDocument.uri);
      if (!document || token.isCancellationRequested) {
        return empty;
      }
      const settings = await settingsFor(document.uri);
      const started = performance.now();
      try {
        return run(document, params, settings);
      } catch (error) {
        if (error instanceof UserFacingError) {
          return new ResponseError(ErrorCodes.InvalidRequest, error.message);
        }
        connection.console.error(`${name} failed for ${document.uri}: ${describeError(error)}`);
        return new ResponseError(ErrorCodes.InternalError, `${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        logSlow(name, document.uri, started);
      }
    };
  }

  connection.onCompletion(handle('completion', null, (document, params, settings) => service.complete(document, params.position, settings)));
  connection.onHover(handle('hover', null, (document, params, settings) => service.hover(document, params.position, settings)));
  connection.onDocumentSymbol(handle('documentSymbol', [], (document) => service.documentSymbols(document)));
  connection.onFoldingRanges(handle('foldingRange', [], (document) => service.foldingRanges(document)));
  connection.onDefinition(handle('definition', [], (document, params) => service.definition(document, params.position)));
  connection.onReferences(
    handle('references', [], (document, params) => service.references(document, params.position, params.context.includeDeclaration)),
  );
  connection.onPrepareRename(handle('prepareRename', null, (document, params) => service.prepareRename(document, params.position)));
  connection.onRenameRequest(handle('rename', null, (document, params) => service.rename(document, params.position, params.newName)));
  // The fixes are recomputed from the document, so the diagnostics of the request's context (either
  // spelling of a code, or none at all) never decide what is offered; the actions name the diagnostics
  // they fix as they were published.
  connection.onCodeAction(
    handle('codeAction', [], (document, params, settings) =>
      service
        .codeActions(document, { range: params.range, only: params.context.only, accountCommands: clientHasAccount }, settings)
        .map((action) => (action.diagnostics ? { ...action, diagnostics: action.diagnostics.map(publishedDiagnostic) } : action)),
    ),
  );

  documents.listen(connection);
  connection.listen();
}

function normalizeSettings(value: unknown): ServerSettings {
  if (!value || typeof value !== 'object') {
    return {};
  }
  const instanceFamily = (value as { instanceFamily?: unknown }).instanceFamily;
  return typeof instanceFamily === 'string' && instanceFamily.trim() !== '' ? { instanceFamily: instanceFamily.trim() } : {};
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
