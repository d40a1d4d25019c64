/**
 * "Create Image Repository…" and "Drop Image Repository…" (the Image Repositories view's title, a
 * connection node, a repository node, and the palette), on `imageRepositoryActions.ts`.
 *
 * Automation passes the answers as the second argument: `{ name: 'DB.SCHEMA.NAME', confirmed: true }`
 * for create, `{ confirmName: 'NAME' }` for drop. Each resolves to the action's `RepositoryOutcome`.
 *
 * Owns: the VS Code questions (`RepositoryUi`), finding the target and telling the outcome. Must not:
 * decide anything, or drop without the typed name.
 */

import * as vscode from 'vscode';
import type { FeatureContext } from '../model/featureContext';
import { isNode } from '../model/nodes';
import { listRepositories } from '../listings/accountData';
import { askTypedNameBox, confirmStatementModal, progressNotification } from '../pools/vscodePoolUi';
import { createImageRepository, dropImageRepository, type RepositoryDeps, type RepositoryName, type RepositoryOutcome, type RepositoryUi } from './imageRepositoryActions';

interface RepositoryOptions {
  readonly name?: string;
  readonly confirmed?: boolean;
  readonly confirmName?: string;
}

function optionsOf(value: unknown): RepositoryOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isNode(value)) return {};
  return value;
}

export function vscodeRepositoryUi(): RepositoryUi {
  return {
    askRepositoryName: (current, check) =>
      Promise.resolve(
        vscode.window.showInputBox({ title: 'Create Image Repository', value: current, prompt: 'NAME, or DATABASE.SCHEMA.NAME (plain names: Snowflake supports no quoted names here).', ignoreFocusOut: true, validateInput: check }),
      ),
    confirmStatement: (summary, statement) => confirmStatementModal(summary, statement, 'Create'),
    askTypedName: askTypedNameBox,
    progress: progressNotification,
  };
}

export function repositoryDeps(context: FeatureContext): RepositoryDeps {
  return { sessions: context.sessions, ui: vscodeRepositoryUi(), log: context.log, queryTimeoutMs: context.queryTimeoutMs(), changed: (change) => context.changed(change) };
}

function report(context: FeatureContext, connection: string, outcome: RepositoryOutcome): RepositoryOutcome {
  // The account checks read the catalog (its repositories and images): a repository made or dropped changes it.
  if (outcome.state === 'created' || outcome.state === 'dropped') void context.catalogs.refresh(connection);
  if (outcome.state === 'cancelled') context.log.info(outcome.message);
  else if (outcome.state === 'refused') void vscode.window.showErrorMessage(outcome.message);
  else if (outcome.state === 'failed') {
    const grant = outcome.grant;
    void vscode.window.showErrorMessage(outcome.message, ...(grant ? ['Copy GRANT'] : [])).then(async (choice) => {
      if (choice === 'Copy GRANT' && grant) await vscode.env.clipboard.writeText(grant);
    });
  } else void vscode.window.showInformationMessage(outcome.message);
  return outcome;
}

export async function createRepositoryCommand(context: FeatureContext, arg: unknown, second: unknown): Promise<RepositoryOutcome | undefined> {
  const options = optionsOf(isNode(arg) ? second : arg);
  const connection = isNode(arg) && 'connection' in arg && typeof arg.connection === 'string' ? arg.connection : await context.connections.pick({ title: 'Create Image Repository' });
  if (connection === undefined) return undefined;
  return report(context, connection, await createImageRepository(repositoryDeps(context), { connection, ...(options.name !== undefined ? { name: options.name } : {}), ...(options.confirmed ? { confirm: false } : {}) }));
}

async function repositoryOf(context: FeatureContext, arg: unknown): Promise<{ connection: string; repository: RepositoryName } | undefined> {
  if (isNode(arg) && arg.kind === 'repository') return { connection: arg.connection, repository: { database: arg.database, schema: arg.schema, name: arg.name } };
  const connection = await context.connections.pick({ title: 'Drop Image Repository' });
  if (connection === undefined) return undefined;
  const listed = await listRepositories(context.sessions, 'spcs.imageRepositories', connection, { timeoutMs: context.queryTimeoutMs() });
  if (!listed.ok) {
    void vscode.window.showErrorMessage(`Listing the image repositories of ${connection} failed (${listed.error.kind}): ${listed.error.message}`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    listed.value.map((node) => ({ label: node.name, description: `${node.database}.${node.schema}`, node })),
    { title: 'Drop Image Repository: which repository?', ignoreFocusOut: true },
  );
  return picked === undefined ? undefined : { connection, repository: { database: picked.node.database, schema: picked.node.schema, name: picked.node.name } };
}

export async function dropRepositoryCommand(context: FeatureContext, arg: unknown, second: unknown): Promise<RepositoryOutcome | undefined> {
  const options = optionsOf(second);
  const target = await repositoryOf(context, arg);
  if (target === undefined) return undefined;
  return report(context, target.connection, await dropImageRepository(repositoryDeps(context), { ...target, ...(options.confirmName !== undefined ? { confirmName: options.confirmName } : {}) }));
}
