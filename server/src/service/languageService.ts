/**
 * The language service: every editor feature as a function of (document, position, settings).
 *
 * Owns: the per-document cache of parsed documents and diagnostics (keyed by URI and version, so one
 * keystroke parses once however many features ask; an edit inside one scalar re-uses the previous
 * version's tree, `incrementalParse.ts`), and the one entry point that the LSP wiring, the
 * command-line linter, the benchmark and the tests all use. Nothing here knows about connections,
 * files or the network: live account data arrives as the parameters of the protocol's notifications
 * (`setAccountCatalog`, `setDeployTargets`), is indexed once, and is then only read.
 *
 * Three kinds of SPCS documents (`documentKind.ts`), each with its own features: service specs (this
 * directory), gateway specs (`gateway/`) and Snowflake CLI project definitions (`project/`, which read
 * the spec files they name through the `files` port of the options). Other YAML gets nothing.
 */

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeAction,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  Position,
  Range,
  WorkspaceEdit,
} from 'vscode-languageserver-types';
import type { AccountCatalogParams, DeployTargetsParams } from '../lspExtension';
import { AccountState, type AccountView } from './catalog/catalogState';
import { normalizeAccountCatalogParams, normalizeDeployTargetsParams } from './catalog/normalize';
import { getCodeActions, type CodeActionRequest } from './codeActions';
import { getCompletions } from './completion';
import { getHover } from './hover';
import { reparseScalarEdit } from './incrementalParse';
import { findDefinition, findReferences, prepareRename, rename } from './navigation';
import type { ValidationSettings } from './rules/ruleApi';
import { isSpecDocument, parseSpecDocument, type SpecDocument } from './specDocument';
import type { DocumentKind } from './documentKind';
import { getGatewayCompletions } from './gateway/gatewayCompletion';
import { validateGatewaySpec } from './gateway/gatewayChecks';
import { getGatewayHover } from './gateway/gatewayHover';
import { validateProjectDefinition } from './project/projectChecks';
import { getProjectCompletions } from './project/projectCompletion';
import type { ProjectFiles } from './project/projectFiles';
import { getProjectHover, projectDefinition } from './project/projectHover';
import { getDocumentSymbols, getFoldingRanges } from './symbols';
import { validateSpec } from './validate';

export type { ValidationSettings };

export interface LanguageServiceOptions {
  /** Told about a rule that threw (the rule is skipped; the document still gets the other diagnostics). */
  readonly onRuleError?: (rule: string, error: unknown) => void;
  /** How many documents to keep parsed (open editors); older entries are dropped first. */
  readonly cacheSize?: number;
  /**
   * Reads the files a project definition names (its services' `spec_file`), relative to it. The LSP
   * server and `spcs-lint` give one backed by the file system; without it they are not looked up.
   */
  readonly files?: ProjectFiles;
}

interface CacheEntry {
  readonly version: number;
  readonly text: string;
  readonly doc: SpecDocument;
  diagnostics?: { readonly settingsKey: string; readonly value: Diagnostic[] };
}

export class SpcsLanguageService {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly cacheSize: number;
  private readonly account = new AccountState();

  constructor(private readonly options: LanguageServiceOptions = {}) {
    this.cacheSize = options.cacheSize ?? 100;
  }

  /** The parsed form of a document, parsed at most once per version. */
  parse(textDocument: TextDocument): SpecDocument {
    const cached = this.cache.get(textDocument.uri);
    const text = textDocument.getText();
    if (cached && cached.version === textDocument.version && cached.text === text && cached.doc.textDocument.languageId === textDocument.languageId) {
      return cached.doc;
    }
    // The previous version's tree is handed over (and consumed) when the edit stayed inside one scalar.
    const reparsed = cached && cached.doc.textDocument.languageId === textDocument.languageId ? reparseScalarEdit(cached.doc, textDocument) : undefined;
    const doc = reparsed ?? parseSpecDocument(textDocument);
    this.cache.delete(textDocument.uri);
    this.cache.set(textDocument.uri, { version: textDocument.version, text, doc });
    while (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.cache.delete(oldest);
    }
    return doc;
  }

  /** Forgets a closed document. */
  forget(uri: string): void {
    this.cache.delete(uri);
  }

  /**
   * Takes the parameters of a `spcs/accountCatalog` notification (validated here: malformed input is
   * ignored and reported as false). Callers then re-validate the open documents.
   */
  setAccountCatalog(params: unknown): params is AccountCatalogParams {
    const normalized = normalizeAccountCatalogParams(params);
    if (!normalized) {
      return false;
    }
    this.account.setCatalog(normalized);
    return true;
  }

  /** Takes the parameters of a `spcs/deployTargets` notification; returns the URIs whose target changed. */
  setDeployTargets(params: unknown): string[] {
    const normalized: DeployTargetsParams | undefined = normalizeDeployTargetsParams(params);
    return normalized ? this.account.setTargets(normalized) : [];
  }

  /** The account facts that apply to a document (undefined without a catalog for it). */
  accountView(textDocument: TextDocument): AccountView | undefined {
    return this.account.viewFor(textDocument.uri, textDocument.getText());
  }

  /** The connections that have a catalog (for completion of `connection=`). */
  accountConnections(): string[] {
    return this.account.connections().map((index) => index.connection);
  }

  isSpec(textDocument: TextDocument): boolean {
    return isSpecDocument(this.parse(textDocument));
  }

  /** Which SPCS document this is: a service spec, a gateway spec, a project definition, or none. */
  documentKind(textDocument: TextDocument): DocumentKind | undefined {
    return this.parse(textDocument).kind;
  }

  validate(textDocument: TextDocument, settings: ValidationSettings = {}): Diagnostic[] {
    const doc = this.parse(textDocument);
    if (doc.kind === 'projectDefinition') {
      // Not cached: they depend on the spec files on disk, which change without this document changing.
      return validateProjectDefinition(doc, { files: this.options.files, onRuleError: this.options.onRuleError });
    }
    const entry = this.cache.get(textDocument.uri);
    const settingsKey = `${this.account.revision}|${JSON.stringify(settings)}`;
    if (entry?.doc === doc && entry.diagnostics?.settingsKey === settingsKey) {
      return entry.diagnostics.value;
    }
    let value: Diagnostic[];
    if (doc.kind === 'gatewaySpec') {
      value = validateGatewaySpec(doc, { account: this.accountView(textDocument), onRuleError: this.options.onRuleError });
    } else {
      const account = isSpecDocument(doc) ? this.accountView(textDocument) : undefined;
      value = validateSpec(doc, { settings, onRuleError: this.options.onRuleError, account });
    }
    if (entry?.doc === doc) {
      entry.diagnostics = { settingsKey, value };
    }
    return value;
  }

  complete(textDocument: TextDocument, position: Position, settings: ValidationSettings = {}): CompletionList {
    const doc = this.parse(textDocument);
    switch (doc.kind) {
      case 'serviceSpec': {
        const account = this.account.isEmpty ? undefined : { view: this.accountView(textDocument), connections: this.account.connections() };
        return getCompletions(doc, position, { settings, account });
      }
      case 'gatewaySpec':
        return getGatewayCompletions(doc, position, settings, this.accountView(textDocument));
      case 'projectDefinition':
        return getProjectCompletions(doc, position, this.accountView(textDocument));
      default:
        return { isIncomplete: false, items: [] };
    }
  }

  hover(textDocument: TextDocument, position: Position, settings: ValidationSettings = {}): Hover | null {
    const doc = this.parse(textDocument);
    switch (doc.kind) {
      case 'serviceSpec':
        return getHover(doc, position, { settings, account: this.accountView(textDocument) });
      case 'gatewaySpec':
        return getGatewayHover(doc, position, this.accountView(textDocument));
      case 'projectDefinition':
        return getProjectHover(doc, position, this.accountView(textDocument), this.options.files);
      default:
        return null;
    }
  }

  documentSymbols(textDocument: TextDocument): DocumentSymbol[] {
    const doc = this.parse(textDocument);
    return isSpecDocument(doc) ? getDocumentSymbols(doc) : [];
  }

  foldingRanges(textDocument: TextDocument): FoldingRange[] {
    const doc = this.parse(textDocument);
    // A project definition is plain YAML to the editor, whose own folding applies.
    return doc.kind === 'serviceSpec' || doc.kind === 'gatewaySpec' ? getFoldingRanges(doc) : [];
  }

  definition(textDocument: TextDocument, position: Position): Location[] {
    const doc = this.parse(textDocument);
    if (doc.kind === 'projectDefinition') {
      return projectDefinition(doc, position, this.options.files);
    }
    return isSpecDocument(doc) ? findDefinition(doc, position) : [];
  }

  references(textDocument: TextDocument, position: Position, includeDeclaration: boolean): Location[] {
    const doc = this.parse(textDocument);
    return isSpecDocument(doc) ? findReferences(doc, position, includeDeclaration) : [];
  }

  prepareRename(textDocument: TextDocument, position: Position): { range: Range; placeholder: string } | null {
    const doc = this.parse(textDocument);
    return isSpecDocument(doc) ? prepareRename(doc, position) : null;
  }

  rename(textDocument: TextDocument, position: Position, newName: string): WorkspaceEdit | null {
    const doc = this.parse(textDocument);
    return isSpecDocument(doc) ? rename(doc, position, newName) : null;
  }

  codeActions(textDocument: TextDocument, request: CodeActionRequest, settings: ValidationSettings = {}): CodeAction[] {
    const doc = this.parse(textDocument);
    if (doc.kind === undefined) {
      return [];
    }
    // "Create service function…" is for a service's endpoints only.
    const actionRequest = doc.kind === 'serviceSpec' ? request : { ...request, accountCommands: false };
    return getCodeActions(doc, this.validate(textDocument, settings), actionRequest);
  }
}
