/**
 * The privilege preflight in VS Code: `spcs.checkPrivileges` on the active spec (on demand), and the
 * modal the deploy flow shows before a deploy when grants are missing (`confirmMissingPrivileges`,
 * used by deployUi.ts). The rules are `privileges/preflight.ts`, the words `preflightReport.ts`.
 *
 * `spcs.checkPrivileges(uri?, options?)` or `(options)`: `uri` is the spec (default: the active
 * editor); `options` may give `connection`, `pool`, `serviceName`, `database`, `schema` (merged over
 * the file's remembered deploy choices; whatever is still missing is asked). Missing grants open an
 * untitled SQL document with the GRANT script; nothing missing says "<ROLE> has every privilege this
 * deploy needs". Resolves to `{ role, missing: GRANT statements, script?, document? }`, or
 * `{ checked: false, message }` when the catalog is unavailable, or undefined when cancelled.
 *
 * Owns: the questions and where the script goes (untitled document, clipboard). Must not: change
 * the account (grants are for an administrator to run).
 */

import * as vscode from 'vscode';
import type { FeatureContext } from '../model/featureContext';
import { preflight, type PreflightResult } from './preflight';
import { choicesStateKey, defaultServiceName, deserializeChoices } from '../specs/deployChoices';
import { analyzeTemplate, renderTemplate } from '../specs/templates';
import { describeExistingService } from '../specs/deployedService';
import * as sql from '../snowflake/sql';
import type { CommandTable, PrivilegeCommandId } from '../model/commandIds';
import { openSqlDocument } from '../ui/sqlDocuments';
import { grantScript, missingDetail, preflightSummary, type PreflightSubject } from './preflightReport';

/** Before a deploy: the missing grants, with "Copy GRANT Statements" / "Open as SQL" / "Deploy Anyway". */
export async function confirmMissingPrivileges(result: PreflightResult, subject: PreflightSubject): Promise<'deploy' | 'stop'> {
  const choice = await vscode.window.showWarningMessage(preflightSummary(result, subject), { modal: true, detail: missingDetail(result) }, 'Copy GRANT Statements', 'Open as SQL', 'Deploy Anyway');
  if (choice === 'Copy GRANT Statements') {
    await vscode.env.clipboard.writeText(result.script);
    void vscode.window.setStatusBarMessage(`Copied ${result.missing.length} GRANT statement${result.missing.length === 1 ? '' : 's'}`, 4000);
  } else if (choice === 'Open as SQL') {
    await openSqlDocument(grantScript(result, subject));
  }
  return choice === 'Deploy Anyway' ? 'deploy' : 'stop';
}

export type CheckPrivilegesResult =
  | { readonly checked: true; readonly role: string; readonly missing: readonly string[]; readonly notes: readonly string[]; readonly summary: string; readonly script?: string; readonly document?: string }
  | { readonly checked: false; readonly message: string };

interface CheckOptions {
  readonly connection?: string;
  readonly pool?: string;
  readonly serviceName?: string;
  readonly database?: string;
  readonly schema?: string;
}

function readOptions(value: unknown): CheckOptions {
  if (typeof value !== 'object' || value === null || value instanceof vscode.Uri) return {};
  const record = value as Record<string, unknown>;
  const text = (key: string): string | undefined => (typeof record[key] === 'string' && record[key].trim() !== '' ? record[key].trim() : undefined);
  const options: { -readonly [K in keyof CheckOptions]?: string } = {};
  for (const key of ['connection', 'pool', 'serviceName', 'database', 'schema'] as const) {
    const found = text(key);
    if (found !== undefined) options[key] = found;
  }
  return options;
}

export async function checkPrivileges(context: FeatureContext, args: readonly unknown[]): Promise<CheckPrivilegesResult | undefined> {
  const [first, second] = args;
  const uri = first instanceof vscode.Uri ? first : undefined;
  const given = readOptions(uri ? second : first);
  const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (document === undefined) {
    void vscode.window.showWarningMessage('Open a service specification to check the privileges its deploy needs.');
    return undefined;
  }
  const specUri = document.uri.toString();
  const remembered = deserializeChoices(context.extension.workspaceState.get(choicesStateKey(specUri)));
  const known = context.connections.current();
  const rememberedConnection = remembered.connection !== undefined && known.ok && known.value.connections.some((connection) => connection.name === remembered.connection) ? remembered.connection : undefined;
  const connection = given.connection ?? rememberedConnection ?? (await context.connections.pick({ title: 'Check privileges: which connection?' }));
  if (connection === undefined) return undefined;

  const entry = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading the account catalog of ${connection}…` }, () => context.catalogs.get(connection));
  const catalog = entry.catalog;
  if (catalog === null || catalog.role === undefined || catalog.grants === null) {
    const why = catalog === null ? (entry.status.reason ?? 'it could not be read') : catalog.role === undefined ? 'the current role is not known' : 'the grants of the role could not be read';
    const message = `The privileges cannot be checked: the account catalog of ${connection} is unavailable (${why.replace(/[.\s]+$/, '')}).`;
    void vscode.window.showWarningMessage(message);
    return { checked: false, message };
  }

  let pool = given.pool ?? remembered.pool;
  if (pool === undefined) {
    const pools = (catalog.computePools ?? []).map((candidate) => ({ label: candidate.name, description: `${candidate.instanceFamily} · ${candidate.state}` }));
    if (pools.length === 0) {
      const message = `${catalog.role} sees no compute pool on ${connection}: it needs USAGE on one before it can deploy.`;
      void vscode.window.showWarningMessage(message);
      return { checked: false, message };
    }
    pool = (await vscode.window.showQuickPick(pools, { title: 'Check privileges: which compute pool will the service run in?' }))?.label;
    if (pool === undefined) return undefined;
  }
  const database = given.database ?? remembered.database ?? catalog.database;
  const schema = given.schema ?? remembered.schema ?? catalog.schema;
  if (database === undefined || schema === undefined) {
    const message = `The connection ${connection} has no current database or schema: set them in its settings (or deploy once) so the service has a place to live.`;
    void vscode.window.showWarningMessage(message);
    return { checked: false, message };
  }
  const serviceName = sql.normalizeIdentifier(given.serviceName ?? remembered.serviceName ?? defaultServiceName(specUri));
  const existing = await describeExistingService(context.sessions, connection, { database, schema, name: serviceName }, { timeoutMs: context.queryTimeoutMs() });
  const operation = existing.ok && existing.value !== undefined ? 'upgrade' : 'create';
  const text = document.getText();
  const rendered = analyzeTemplate(text).variables.length === 0 ? text : renderTemplate(text, remembered.templateValues ?? {});
  const result = preflight(rendered, {
    role: catalog.role,
    database,
    schema,
    computePool: pool,
    serviceName,
    operation,
    externalAccessIntegrations: remembered.externalAccessIntegrations ?? [],
    ...(remembered.queryWarehouse === undefined ? {} : { queryWarehouse: remembered.queryWarehouse }),
  }, catalog);
  const subject: PreflightSubject = {
    what: `service ${sql.qualifiedName(database, undefined, schema)}.${sql.quoteIdentifier(serviceName)} on compute pool ${pool}${operation === 'upgrade' ? ' (an upgrade)' : ''}`,
    connection,
    ...(entry.fetchedAt === undefined ? {} : { catalogReadAt: new Date(entry.fetchedAt).toISOString() }),
  };
  const summary = preflightSummary(result, subject);
  context.log.info(`Check privileges: ${summary}`);
  if (result.missing.length === 0) {
    void vscode.window.showInformationMessage(summary);
    return { checked: true, role: result.role, missing: [], notes: result.notes, summary };
  }
  const script = grantScript(result, subject);
  const opened = await openSqlDocument(script);
  void vscode.window.showWarningMessage(`${summary} The GRANT statements are in the new SQL editor: an administrator must run them.`, 'Copy GRANT Statements').then(async (choice) => {
    if (choice) await vscode.env.clipboard.writeText(result.script);
  });
  return { checked: true, role: result.role, missing: result.missing.map((grant) => grant.statement), notes: result.notes, summary, script, document: opened.uri.toString() };
}

export function createPrivilegeCommands(context: FeatureContext): CommandTable<PrivilegeCommandId> {
  return { 'spcs.checkPrivileges': (...args: unknown[]) => checkPrivileges(context, args) };
}
