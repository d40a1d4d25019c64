/**
 * The snowflake.yml commands and their code lenses:
 * - `spcs.deployProjectEntity(projectUri?, entityId?, { connection?, upgrade?, confirmUpgrade? })`:
 *   "Deploy entity" / "Upgrade" above each service entity of a `snowflake.yml` (semantics in
 *   `projectEntity.ts`): the entity becomes deploy choices and the editor's deploy (`spcs.deploy`)
 *   runs with them, so the pool fit, the upgrade diff, readiness and drift are the same as for any
 *   spec. An existing service is refused unless it is an Upgrade (offered in the refusal).
 *   Resolves to the deploy's outcome.
 * - `spcs.addToProjectDefinition(specUri?, { stage?, projectUri? })`: "Add to snowflake.yml" for a
 *   spec deployed from the editor: the nearest `snowflake.yml` (up to the workspace folder) gets a
 *   service entity with the remembered deploy choices, or a new `snowflake.yml` is made beside the
 *   workspace folder's root; either way as a WorkspaceEdit the user sees (the file opens at the
 *   entity, unsaved). Resolves to `{ uri, id }`.
 *
 * Owns: the dialogs, reading files for the language service's `ProjectFiles`. Must not: decide
 * (`projectEntity.ts`) or deploy by another path than `spcs.deploy`.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as vscode from 'vscode';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { addServiceEntity, isProjectDefinitionUri, newProjectDefinition, parseSpecDocument, readProjectDefinition, spcsEntityValues, type ProjectFiles, type ServiceEntityValues } from '../../../server/src/service';
import { looksLikeGatewaySpec, looksLikeSpec } from '../../../server/src/service/specDetection';
import type { CommandTable, ProjectCommandId } from '../model/commandIds';
import type { FeatureContext } from '../model/featureContext';
import * as sql from '../snowflake/sql';
import { choicesStateKey, deserializeChoices } from '../specs/deployChoices';
import { describeExistingService } from '../specs/deployedService';
import { failureMessage } from '../ui/failures';
import { entityDeploy, entityDeployAction, proposeEntity } from './projectEntity';

export interface ProjectFeatures extends vscode.Disposable {
  readonly commands: CommandTable<ProjectCommandId>;
  /** "Deploy entity" / "Upgrade" on snowflake.yml's service entities, "Add to snowflake.yml" on a deployed spec. */
  readonly codeLens: vscode.CodeLensProvider;
}

const fileSchemes: ReadonlySet<string> = new Set(['file', 'vscode-remote']);

/** Reads the files next to a project: an open document's text first (what the user sees), else the disk. */
const projectFiles: ProjectFiles = {
  readText: (uri) => {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri);
    if (open) return open.getText();
    try {
      return readFileSync(fileURLToPath(uri), 'utf8');
    } catch {
      return undefined;
    }
  },
};

function parse(document: vscode.TextDocument) {
  return parseSpecDocument(TextDocument.create(document.uri.toString(), 'yaml', document.version, document.getText()));
}

export function createProjectFeatures(context: FeatureContext): ProjectFeatures {
  const lensesChanged = new vscode.EventEmitter<void>();
  const state = context.extension.workspaceState;

  const deployEntity = async (uriArg: unknown, idArg: unknown, optionsArg: unknown): Promise<unknown> => {
    const options = record(optionsArg);
    const document = await openDocument(uriArg instanceof vscode.Uri ? uriArg : undefined, 'Open a snowflake.yml to deploy one of its entities.');
    if (!document) return undefined;
    if (!isProjectDefinitionUri(document.uri.toString())) {
      void vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(document.uri)} is not a Snowflake CLI project definition (snowflake.yml).`);
      return undefined;
    }
    if (document.isDirty && !(await document.save())) {
      void vscode.window.showWarningMessage('snowflake.yml could not be saved, so nothing was deployed. Save it and deploy again.');
      return undefined;
    }
    const services = spcsEntityValues(parse(document)).filter((entity) => entity.type === 'service');
    const entity = await pickEntity(services, typeof idArg === 'string' ? idArg : undefined);
    if (!entity) return undefined;
    const plan = entityDeploy(document.uri.toString(), entity, projectFiles);
    if (!plan.ok) {
      void vscode.window.showErrorMessage(plan.message);
      return undefined;
    }
    const connection = typeof options['connection'] === 'string' ? options['connection'] : await context.connections.pick({ title: `Deploy entity '${entity.id}'` });
    if (connection === undefined) return undefined;
    const target = { ...(plan.choices.database === undefined ? {} : { database: plan.choices.database }), ...(plan.choices.schema === undefined ? {} : { schema: plan.choices.schema }), name: sql.normalizeIdentifier(plan.choices.serviceName) };
    const shown = sql.objectName(target);
    const existing = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Looking for service ${shown}…` }, () =>
      describeExistingService(context.sessions, connection, target, { timeoutMs: context.queryTimeoutMs() }),
    );
    if (!existing.ok) {
      context.log.error(`deploy entity ${entity.id}: ${existing.error.kind}: ${existing.error.detail ?? existing.error.message}`);
      void vscode.window.showErrorMessage(failureMessage(`look for service ${shown}`, existing.error));
      return undefined;
    }
    let upgrade = options['upgrade'] === true;
    const action = entityDeployAction(existing.value !== undefined, upgrade, shown);
    if (!action.ok) {
      if (!action.offerUpgrade) {
        void vscode.window.showErrorMessage(action.message);
        return undefined;
      }
      if (options['upgrade'] === false || (await vscode.window.showWarningMessage(action.message, 'Upgrade')) !== 'Upgrade') return undefined;
      upgrade = true;
    }
    for (const note of plan.notes) void vscode.window.showInformationMessage(note);
    context.log.info(`Deploy entity '${entity.id}' of ${vscode.workspace.asRelativePath(document.uri)}: ${upgrade ? 'upgrade' : 'create'} ${shown} from ${plan.specPath} (sent inline)`);
    return vscode.commands.executeCommand('spcs.deploy', vscode.Uri.parse(plan.specUri), {
      ...plan.choices,
      connection,
      ...(options['confirmUpgrade'] === true ? { confirmUpgrade: true } : {}),
    });
  };

  const addToProject = async (uriArg: unknown, optionsArg: unknown): Promise<{ uri: string; id: string } | undefined> => {
    const options = record(optionsArg);
    const spec = await openDocument(uriArg instanceof vscode.Uri ? uriArg : undefined, 'Open a service spec deployed from the editor to add it to snowflake.yml.');
    if (!spec) return undefined;
    if (!fileSchemes.has(spec.uri.scheme)) {
      void vscode.window.showWarningMessage('Save the spec to a file inside the project first: snowflake.yml names its spec by path.');
      return undefined;
    }
    const choices = deserializeChoices(state.get(choicesStateKey(spec.uri.toString())));
    const projectUri = typeof options['projectUri'] === 'string' ? vscode.Uri.parse(options['projectUri']) : await nearestProject(spec.uri);
    const existingDocument = await openIfExists(projectUri);
    const model = existingDocument ? readProjectDefinition(parse(existingDocument)) : undefined;
    const stage =
      typeof options['stage'] === 'string'
        ? options['stage']
        : await vscode.window.showInputBox({
            title: 'Add to snowflake.yml',
            prompt: 'The stage snow spcs service deploy uploads the spec to (it creates the stage when there is none).',
            value: `${(choices.serviceName ?? 'service').toLowerCase()}_stage`,
            ignoreFocusOut: true,
            validateInput: (value) => (value.trim() === '' ? 'Name a stage.' : undefined),
          });
    if (stage === undefined) return undefined;
    const proposal = proposeEntity(projectUri.toString(), spec.uri.toString(), choices, stage.trim(), model?.entities.map((entity) => entity.id) ?? []);
    if (!proposal.ok) {
      void vscode.window.showErrorMessage(`Not added to snowflake.yml: ${proposal.message}`);
      return undefined;
    }
    const edit = new vscode.WorkspaceEdit();
    let at: vscode.Position;
    if (existingDocument) {
      const change = addServiceEntity(parse(existingDocument), proposal.entity);
      if (!change) {
        void vscode.window.showErrorMessage(`Not added: ${vscode.workspace.asRelativePath(projectUri)} is not a plain definition_version "2" project (or its entities are written in flow style or templated); add the entity by hand.`);
        return undefined;
      }
      at = new vscode.Position(change.range.start.line, change.range.start.character);
      edit.replace(projectUri, new vscode.Range(at, new vscode.Position(change.range.end.line, change.range.end.character)), change.newText);
    } else {
      at = new vscode.Position(0, 0);
      edit.createFile(projectUri, { ignoreIfExists: false });
      edit.insert(projectUri, at, newProjectDefinition(proposal.entity));
    }
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(`Could not edit ${vscode.workspace.asRelativePath(projectUri)}.`);
      return undefined;
    }
    const shown = await vscode.window.showTextDocument(projectUri, { preview: false });
    const line = shown.document.getText().split(/\r?\n/).findIndex((text, index) => index >= at.line && new RegExp(`^\\s*${escapeRegExp(proposal.entity.id)}\\s*:`).test(text));
    if (line >= 0) {
      shown.selection = new vscode.Selection(line, 0, line, 0);
      shown.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
    void vscode.window.showInformationMessage(`Added entity '${proposal.entity.id}' to ${vscode.workspace.asRelativePath(projectUri)} (not saved yet). Deploy it with Deploy entity, or snow spcs service deploy ${proposal.entity.id}.`);
    lensesChanged.fire();
    return { uri: projectUri.toString(), id: proposal.entity.id };
  };

  const codeLens: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: lensesChanged.event,
    provideCodeLenses: (document) => {
      if (!fileSchemes.has(document.uri.scheme)) return [];
      if (isProjectDefinitionUri(document.uri.toString())) return entityLenses(document);
      const text = document.getText();
      if (!looksLikeSpec(text) || looksLikeGatewaySpec(text)) return [];
      const choices = deserializeChoices(state.get(choicesStateKey(document.uri.toString())));
      const line = text.split(/\r?\n/).findIndex((lineText) => /^spec\s*:/.test(lineText));
      if (line < 0 || choices.pool === undefined || choices.serviceName === undefined) return [];
      return [
        new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
          title: '$(add) Add to snowflake.yml',
          command: 'spcs.addToProjectDefinition',
          arguments: [document.uri],
          tooltip: 'Add a service entity with this spec and its deploy choices to the project definition of the Snowflake CLI (snow spcs service deploy)',
        }),
      ];
    },
  };

  return {
    commands: {
      'spcs.deployProjectEntity': (uri, id, options) => deployEntity(uri, id, options),
      'spcs.addToProjectDefinition': (uri, options) => addToProject(uri, options),
    },
    codeLens,
    dispose: () => {
      lensesChanged.dispose();
    },
  };
}

/** "Deploy entity" and "Upgrade" on the key line of each service entity. */
function entityLenses(document: vscode.TextDocument): vscode.CodeLens[] {
  const doc = parse(document);
  const model = readProjectDefinition(doc);
  const lenses: vscode.CodeLens[] = [];
  for (const entity of model.entities) {
    if (entity.type !== 'service') continue;
    const offset = entity.idNode.range?.[0];
    if (offset === undefined) continue;
    const position = document.positionAt(offset);
    const range = new vscode.Range(position.line, 0, position.line, 0);
    lenses.push(
      new vscode.CodeLens(range, {
        title: '$(cloud-upload) Deploy entity',
        command: 'spcs.deployProjectEntity',
        arguments: [document.uri, entity.id],
        tooltip: `Like snow spcs service deploy ${entity.id}: CREATE SERVICE with this entity's properties. The spec is sent inline (FROM SPECIFICATION), exactly the file you see, so nothing is uploaded to the stage.`,
      }),
      new vscode.CodeLens(range, {
        title: '$(sync) Upgrade',
        command: 'spcs.deployProjectEntity',
        arguments: [document.uri, entity.id, { upgrade: true }],
        tooltip: `Like snow spcs service deploy ${entity.id} --upgrade: sets the entity's instances, warehouse, auto-resume, auto-suspend, integrations and comment, then ALTER SERVICE … FROM SPECIFICATION after showing the diff.`,
      }),
    );
  }
  return lenses;
}

async function pickEntity(services: readonly ServiceEntityValues[], id: string | undefined): Promise<ServiceEntityValues | undefined> {
  if (id !== undefined) {
    const found = services.find((entity) => entity.id === id);
    if (!found) void vscode.window.showErrorMessage(`snowflake.yml has no service entity '${id}'.`);
    return found;
  }
  if (services.length === 0) {
    void vscode.window.showWarningMessage('This snowflake.yml has no service entity (type: service).');
    return undefined;
  }
  if (services.length === 1) return services[0];
  const picked = await vscode.window.showQuickPick(
    services.map((entity) => ({ label: entity.id, description: entity.name, entity })),
    { title: 'Deploy entity', placeHolder: 'Which service entity?', ignoreFocusOut: true },
  );
  return picked?.entity;
}

/** The nearest snowflake.yml from the spec's folder up to its workspace folder, else one at the workspace folder's root (or beside the spec). */
async function nearestProject(spec: vscode.Uri): Promise<vscode.Uri> {
  const root = vscode.workspace.getWorkspaceFolder(spec)?.uri;
  let folder = vscode.Uri.joinPath(spec, '..');
  for (;;) {
    const candidate = vscode.Uri.joinPath(folder, 'snowflake.yml');
    if (await exists(candidate)) return candidate;
    if (!root || folder.path === root.path || !folder.path.startsWith(root.path)) break;
    const parent = vscode.Uri.joinPath(folder, '..');
    if (parent.path === folder.path) break;
    folder = parent;
  }
  return vscode.Uri.joinPath(root ?? vscode.Uri.joinPath(spec, '..'), 'snowflake.yml');
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function openIfExists(uri: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return open;
  return (await exists(uri)) ? vscode.workspace.openTextDocument(uri) : undefined;
}

async function openDocument(uri: vscode.Uri | undefined, hint: string): Promise<vscode.TextDocument | undefined> {
  if (uri) return vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
  const document = vscode.window.activeTextEditor?.document;
  if (!document) void vscode.window.showWarningMessage(hint);
  return document;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri) && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
