/**
 * `spcs.createServiceFunction`: the SQL that exposes a service's HTTP endpoint as a SQL function,
 * written into a new untitled SQL editor, with "Run" to create it through the session.
 *
 * Started from the language server's code action on an endpoint of a spec (`{ uri, endpoint, port }`:
 * the service is the one the file was deployed as, from the deploy record or the remembered deploy
 * choices, else picked), from an endpoint node of the Services tree (its service), or from the
 * palette (connection, service and endpoint are picked). The first argument may also be an options
 * object for automation: `{ connection, service: 'DB.SCHEMA.NAME', endpoint, functionName,
 * signature: '(input VARCHAR) RETURNS VARCHAR', path: '/', run: true | false }` — what it gives is
 * not asked. Resolves to `{ sql, document, connection, ran? }` (`ran`: `{ ok, message }` when run).
 *
 * Owns: the questions and the run. Must not: run anything before the user (or `run: true`) says so.
 */

import * as vscode from 'vscode';
import type { CommandTable, ServiceFunctionCommandId } from '../model/commandIds';
import type { FeatureContext } from '../model/featureContext';
import { createServiceFunction, endpointEligibility, endpointsFromRows, suggestedFunctionName } from './serviceFunctions';
import { choicesStateKey, deserializeChoices } from '../specs/deployChoices';
import * as sql from '../snowflake/sql';
import { isHttpProtocol, serviceFromRow } from '../listings/accountData';
import { isNode } from '../model/nodes';
import { deployRecords } from '../drift/driftCommands';
import { recordsOfFile } from '../drift/driftMarks';
import { openSqlDocument } from '../ui/sqlDocuments';
import { defaultPath, defaultSignature, exampleCall, functionName, parseSignature, readRequest, type ServiceFunctionRequest } from './serviceFunctionInput';

export interface ServiceFunctionResult {
  readonly sql: string;
  readonly document: string;
  readonly connection: string;
  readonly ran?: { readonly ok: boolean; readonly message: string };
}

interface Target {
  readonly connection: string;
  readonly service: sql.QualifiedName;
  readonly endpoint?: string;
}

export async function createServiceFunctionCommand(context: FeatureContext, args: readonly unknown[]): Promise<ServiceFunctionResult | undefined> {
  const [first] = args;
  let request: ServiceFunctionRequest;
  let target: Target | undefined;
  if (isNode(first)) {
    if (first.kind !== 'endpoint') return undefined;
    const eligible = endpointEligibility({ name: first.name, protocol: first.protocol }, { isJob: false });
    if (!eligible.eligible) {
      void vscode.window.showWarningMessage(eligible.reason);
      return undefined;
    }
    request = {};
    target = { connection: first.service.connection, service: { database: first.service.database, schema: first.service.schema, name: first.service.name }, endpoint: first.name };
  } else {
    request = readRequest(first);
    target = await targetOf(context, request);
  }
  if (target === undefined) return undefined;
  const { connection, service } = target;
  const endpoint = target.endpoint ?? (await pickEndpoint(context, connection, service));
  if (endpoint === undefined) return undefined;

  const name = request.functionName ?? (await ask('Service function: name', 'The SQL function to create (in the schema of the service unless qualified).', suggestedFunctionName(service.name, endpoint), (text) => (text.trim() === '' ? 'Enter a name.' : undefined)));
  if (name === undefined) return undefined;
  const signatureText = request.signature ?? (await ask('Service function: arguments and return type', 'Rows are sent to the endpoint as JSON batches; the handler returns one value per row.', defaultSignature, (text) => {
    const parsed = parseSignature(text);
    return parsed.ok ? undefined : parsed.message;
  }));
  if (signatureText === undefined) return undefined;
  const signature = parseSignature(signatureText);
  if (!signature.ok) {
    void vscode.window.showErrorMessage(signature.message);
    return undefined;
  }
  const path = request.path ?? (await ask('Service function: HTTP path', `The path of the handler on endpoint ${endpoint} (POST), e.g. /echo.`, defaultPath, (text) => (text.startsWith('/') && !/[\s']/.test(text) ? undefined : 'Start with / and use no spaces or quotes.')));
  if (path === undefined) return undefined;

  const qualifiedFunction = functionName(service, name);
  let statement: string;
  try {
    statement = createServiceFunction({ name: qualifiedFunction, arguments: signature.arguments, returns: signature.returns, service, endpoint, path });
  } catch (error) {
    void vscode.window.showErrorMessage(`Service function: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const header = [
    `-- Service function calling endpoint ${endpoint} of service ${sql.objectName(service)} (connection "${connection}").`,
    `-- The role needs CREATE FUNCTION on the schema and USAGE on the service's endpoint; callers need USAGE on the function.`,
    `-- Try it: ${exampleCall(qualifiedFunction, signature.arguments)};`,
  ].join('\n');
  const document = await openSqlDocument(`${header}\n${statement};\n`);
  const result = { sql: statement, document: document.uri.toString(), connection };
  const run = () => runStatement(context, connection, statement, qualifiedFunction, signature.arguments.length === 0 ? [] : signature.arguments);
  if (request.run === true) return { ...result, ran: await run() };
  if (request.run === undefined) {
    void vscode.window.showInformationMessage(`The CREATE FUNCTION statement for ${sql.objectName(qualifiedFunction)} is in the new SQL editor. Run it on ${connection}?`, 'Run').then((choice) => (choice === 'Run' ? run() : undefined));
  }
  return result;
}

async function runStatement(context: FeatureContext, connection: string, statement: string, name: sql.QualifiedName, args: Parameters<typeof exampleCall>[1]): Promise<{ ok: boolean; message: string }> {
  const executed = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating function ${sql.objectName(name)}…` }, () =>
    context.sessions.execute(connection, statement, { timeoutMs: context.queryTimeoutMs() }),
  );
  if (executed.ok) {
    const message = `Created function ${sql.objectName(name)}. Call it with ${exampleCall(name, args)}.`;
    context.log.info(`Service function: ${message}`);
    void vscode.window.showInformationMessage(message);
    return { ok: true, message };
  }
  const hint = executed.error.kind === 'privilege' ? ' The role needs CREATE FUNCTION on the schema (an administrator can grant it).' : '';
  const message = `Creating function ${sql.objectName(name)} failed (${executed.error.kind}): ${executed.error.message}${hint}`;
  context.log.error(`Service function: ${message}`);
  void vscode.window.showErrorMessage(message);
  return { ok: false, message };
}

async function ask(title: string, prompt: string, value: string, validateInput: (text: string) => string | undefined): Promise<string | undefined> {
  const answer = await vscode.window.showInputBox({ title, prompt, value, ignoreFocusOut: true, validateInput });
  return answer?.trim();
}

/** The service: given, deployed from the file (record, then remembered choices), or picked. */
async function targetOf(context: FeatureContext, request: ServiceFunctionRequest): Promise<Target | undefined> {
  const endpoint = request.endpoint === undefined ? {} : { endpoint: request.endpoint };
  if (request.service !== undefined) {
    const connection = request.connection ?? (await context.connections.pick({ title: 'Service function: which connection?' }));
    return connection === undefined ? undefined : { connection, service: request.service, ...endpoint };
  }
  if (request.uri !== undefined) {
    const record = recordsOfFile(deployRecords(context), request.uri).find((candidate) => request.connection === undefined || candidate.service.connection === request.connection);
    if (record) return { connection: record.service.connection, service: { database: record.service.database, schema: record.service.schema, name: record.service.name }, ...endpoint };
    const choices = deserializeChoices(context.extension.workspaceState.get(choicesStateKey(request.uri)));
    const connection = request.connection ?? choices.connection;
    if (connection !== undefined && choices.serviceName !== undefined) {
      return {
        connection,
        service: { name: sql.normalizeIdentifier(choices.serviceName), ...(choices.database === undefined ? {} : { database: choices.database }), ...(choices.schema === undefined ? {} : { schema: choices.schema }) },
        ...endpoint,
      };
    }
  }
  const connection = request.connection ?? (await context.connections.pick({ title: 'Service function: which connection?' }));
  if (connection === undefined) return undefined;
  const listed = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Listing the services of ${connection}…` }, () =>
    context.sessions.execute(connection, sql.showServices({ in: { account: true } }), { timeoutMs: context.queryTimeoutMs() }),
  );
  if (!listed.ok) {
    void vscode.window.showErrorMessage(`Listing the services of ${connection} failed (${listed.error.kind}): ${listed.error.message}`);
    return undefined;
  }
  const services = listed.value.rows.map((row) => serviceFromRow('spcs.services', connection, row)).filter((service) => !service.isJob);
  if (services.length === 0) {
    void vscode.window.showWarningMessage(`${connection} has no long-running service a function could call (jobs cannot be called).`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    services.map((service) => ({ label: service.name, description: `${service.database}.${service.schema} · ${service.status}`, service })),
    { title: 'Service function: which service?' },
  );
  return picked === undefined ? undefined : { connection, service: { database: picked.service.database, schema: picked.service.schema, name: picked.service.name }, ...endpoint };
}

async function pickEndpoint(context: FeatureContext, connection: string, service: sql.QualifiedName): Promise<string | undefined> {
  const listed = await context.sessions.execute(connection, sql.showEndpoints(service), { timeoutMs: context.queryTimeoutMs() });
  if (!listed.ok) {
    void vscode.window.showErrorMessage(`Listing the endpoints of ${service.name} failed (${listed.error.kind}): ${listed.error.message}`);
    return undefined;
  }
  const endpoints = endpointsFromRows(listed.value.rows).filter((endpoint) => isHttpProtocol(endpoint.protocol));
  if (endpoints.length === 0) {
    void vscode.window.showWarningMessage(`${service.name} has no HTTP endpoint: a service function needs one.`);
    return undefined;
  }
  if (endpoints.length === 1) return endpoints[0]?.name;
  return (await vscode.window.showQuickPick(endpoints.map((endpoint) => ({ label: endpoint.name, description: endpoint.isPublic ? 'public' : 'private' })), { title: 'Service function: which endpoint?' }))?.label;
}

export function createServiceFunctionCommands(context: FeatureContext): CommandTable<ServiceFunctionCommandId> {
  return { 'spcs.createServiceFunction': (...args: unknown[]) => createServiceFunctionCommand(context, args) };
}
