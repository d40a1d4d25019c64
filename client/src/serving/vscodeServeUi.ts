/**
 * The questions of "Serve a Model…" (`ServeUi`) asked with VS Code: QuickPicks for the pool (each
 * with whether the serving template fits it, and "Create Compute Pool…"), the template, the
 * repository and the image; InputBoxes for the names; the project written into the workspace (files
 * that differ are overwritten only when the user says so); the build and push commands shown before
 * they run in a terminal; the steps with their marks in a status bar item (its tooltip lists them all);
 * the endpoint URL with Open and Copy. Answers given by automation (`serveAnswers.ts`) are not asked.
 *
 * Owns: how the flow looks and the files it writes. Must not: decide anything (serveModel and its
 * steps do).
 */

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FeatureContext } from '../model/featureContext';
import { vscodeRepositoryUi } from '../imageRegistry/repositoryCommands';
import { confirmStatementModal, vscodePoolUi } from '../pools/vscodePoolUi';
import { openSqlDocument } from '../ui/sqlDocuments';
import { answered, answeringPoolUi, answeringRepositoryUi, type ServeAnswers } from './serveAnswers';
import type { StepRow, TemplateChoice } from './serveRun';
import type { RepositoryOption, ServeOutcome, ServeUi } from './serveUi';
import type { ProjectFile } from './templateFiles';

function pick<T>(items: readonly (vscode.QuickPickItem & { readonly value: T })[], title: string, placeHolder?: string): Promise<T | undefined> {
  return Promise.resolve(vscode.window.showQuickPick(items, { title, ...(placeHolder ? { placeHolder } : {}), ignoreFocusOut: true, matchOnDescription: true })).then((picked) => picked?.value);
}

function input(title: string, value: string, prompt: string, check?: (text: string) => string | undefined): Promise<string | undefined> {
  return Promise.resolve(vscode.window.showInputBox({ title, value, prompt, ignoreFocusOut: true, ...(check ? { validateInput: check } : {}) })).then((text) => text?.trim());
}

/** Writes the files; a file that exists with other content is overwritten only when `overwrite` says so. */
async function writeFiles(folder: vscode.Uri, files: readonly ProjectFile[], overwrite: (differing: readonly string[]) => Promise<boolean>): Promise<boolean> {
  const differing: string[] = [];
  for (const file of files) {
    try {
      const existing = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, file.path)));
      if (existing !== file.content) differing.push(file.path);
    } catch {
      // Not there yet.
    }
  }
  if (differing.length > 0 && !(await overwrite(differing))) return false;
  for (const file of files) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, file.path), new TextEncoder().encode(file.content));
  return true;
}

/** The status bar item that shows the steps (one for all runs: it stays on the last run's state). */
export function serveStatusItem(): vscode.StatusBarItem {
  const status = vscode.window.createStatusBarItem('spcs.serveModel', vscode.StatusBarAlignment.Left, 50);
  status.name = 'Serve a Model';
  status.command = 'spcs.serveModel';
  return status;
}

export function vscodeServeUi(context: FeatureContext, status: vscode.StatusBarItem, answers: ServeAnswers): ServeUi {
  const showSteps = (rows: readonly StepRow[], note?: string): void => {
    const current = rows.find((row) => row.state === 'current' || row.state === 'stopped' || row.state === 'failed');
    const finished = rows.filter((row) => row.state === 'done' || row.state === 'skipped').length;
    const where = current ? `: ${current.icon} ${current.title}` : finished === rows.length ? ': $(pass-filled) done' : '';
    status.text = `$(rocket) Serve a Model ${finished}/${rows.length}${where}`;
    status.tooltip = [...(note ? [note, ''] : []), ...rows.map((row) => row.text)].join('\n');
    status.show();
    if (note) void vscode.window.showInformationMessage(note);
  };

  return {
    showSteps,
    pickConnection: () => answered(answers, 'connection', answers.connection, () => context.connections.pick({ title: 'Serve a Model: which connection?' })),
    pickPool: (options) =>
      answered(answers, 'pool', answers.pool === undefined || answers.pool === null ? answers.pool : answers.pool === 'create' ? ('create' as const) : { pool: answers.pool }, () =>
        pick<{ readonly pool: string } | 'create'>(
          [
            ...options.map((option) => ({
              label: `${option.fit?.fits === 'yes' ? '$(pass)' : option.fit?.fits === 'no' || option.refusal ? '$(error)' : '$(question)'} ${option.pool.name}`,
              description: `${option.pool.instanceFamily} · ${option.pool.state}`,
              detail: option.refusal ?? (option.fit ? `${option.fit.fits === 'yes' ? 'The vLLM server fits' : option.fit.fits === 'no' ? 'Does not fit' : 'Fit unknown'}: ${option.fit.summary}` : ''),
              value: { pool: option.pool.name },
            })),
            { label: '$(add) Create Compute Pool…', description: 'a new GPU pool', detail: 'Pick a GPU instance family, name and size', value: 'create' as const },
          ],
          'Serve a Model (1/6): compute pool',
          'A GPU pool the model server fits, or a new one',
        ),
      ),
    pickTemplate: (options, pool) =>
      answered(answers, 'template', answers.template === null ? null : options.find((option) => option.template.id === answers.template)?.template, () =>
        pick(
          options.map((option) => ({
            label: `${option.refusal ? '$(error)' : '$(pass)'} ${option.template.label}`,
            description: option.sizing ?? '',
            detail: option.refusal ?? option.template.detail,
            value: option.template,
          })),
          `Serve a Model (2/6): template for ${pool}`,
        ),
      ),
    askTemplate: async (question) => {
      if ('templateChoice' in answers) {
        if (answers.templateChoice === null || question.problem !== undefined) {
          if (question.problem !== undefined) void vscode.window.showErrorMessage(question.problem);
          return undefined;
        }
        return { ...question.current, ...answers.templateChoice, id: question.template.id };
      }
      if (question.problem) void vscode.window.showWarningMessage(question.problem);
      const title = `Serve a Model (2/6): ${question.template.label}`;
      const serviceName = await input(title, question.current.serviceName, 'The service name (unquoted names are upper case).', (text) => (text.trim() === '' ? 'Enter a service name.' : undefined));
      if (serviceName === undefined) return undefined;
      let choice: TemplateChoice = { ...question.current, serviceName };
      if (question.template.servesModel) {
        const stage = await pick(
          [
            ...question.stages.map((name) => ({ label: name, description: 'mount the weights from this stage', value: name })),
            { label: '$(cloud-download) Download from Hugging Face at start', description: 'needs an external access integration to huggingface.co', value: '' },
          ],
          `${title}: where are the model weights?`,
        );
        if (stage === undefined) return undefined;
        if (stage === '') {
          const id = await input(title, 'meta-llama/Llama-3.1-8B-Instruct', 'The Hugging Face model id.', (text) => (/^[\w.-]+\/[\w.-]+$/.test(text.trim()) ? undefined : 'owner/model, e.g. meta-llama/Llama-3.1-8B-Instruct'));
          if (id === undefined) return undefined;
          choice = { ...choice, weights: { kind: 'huggingface', id } };
        } else {
          const folder = await input(title, question.current.weights?.kind === 'stage' ? question.current.weights.path : '', `The folder in ${stage} that holds the weights (empty: the stage's root).`);
          if (folder === undefined) return undefined;
          choice = { ...choice, weights: { kind: 'stage', stage, path: folder } };
        }
        const secret = await pick([{ label: 'No Hugging Face token', value: '' }, ...question.secrets.map((name) => ({ label: name, description: 'GENERIC_STRING secret', value: name }))], `${title}: Hugging Face token secret`);
        if (secret === undefined) return undefined;
        const { huggingFaceTokenSecret: _previous, ...rest } = choice;
        choice = secret === '' ? rest : { ...rest, huggingFaceTokenSecret: secret };
      }
      if (question.integrations.length > 0) {
        const picked = await vscode.window.showQuickPick(
          question.integrations.map((name) => ({ label: name, picked: question.current.externalAccessIntegrations.includes(name) })),
          { title: `${title}: external access integrations`, canPickMany: true, ignoreFocusOut: true },
        );
        if (picked === undefined) return undefined;
        choice = { ...choice, externalAccessIntegrations: picked.map((item) => item.label) };
      }
      return choice;
    },
    pickRepository: (repositories) => {
      const given = answers.repository;
      const found = given === undefined || given === null || given === 'create' ? given : repositories.find((each) => `${each.database}.${each.schema}.${each.name}`.toUpperCase() === given.toUpperCase());
      return answered(answers, 'repository', found, () =>
        pick<RepositoryOption | 'create'>(
          [
            ...repositories.map((each) => ({ label: each.name, description: `${each.database}.${each.schema}`, detail: each.url, value: each })),
            { label: '$(add) Create Image Repository…', description: '', value: 'create' as const },
          ],
          'Serve a Model (3/6): image repository',
        ),
      );
    },
    pickImage: (question) =>
      answered(answers, 'image', answers.image, async () => {
        const chosen = await pick(
          [
            ...question.tags.map((tag) => ({ label: `${question.imageName}:${tag}`, description: 'already pushed', value: { tag, build: false } })),
            { label: '$(tools) Build and push a new tag…', description: question.cli.found ? `with ${question.cli.name}` : 'no container CLI found: the commands are given to copy', value: { tag: '', build: true } },
          ],
          `Serve a Model (3/6): image in ${question.repository.name}`,
        );
        if (chosen === undefined || !chosen.build) return chosen;
        const tag = await input('Serve a Model (3/6): tag to build and push', question.defaultTag, 'A new tag keeps older deploys reproducible.', (text) => (/^[\w][\w.-]{0,127}$/.test(text.trim()) ? undefined : 'Letters, digits, _, . and -'));
        return tag === undefined ? undefined : { tag, build: true };
      }),
    writeProject: async (files, suggestedFolder) => {
      const root = vscode.workspace.workspaceFolders?.[0]?.uri;
      let folder: vscode.Uri | undefined;
      if ('folder' in answers) {
        if (answers.folder === null || answers.folder === undefined) return undefined;
        folder = vscode.Uri.file(answers.folder);
      } else if (path.isAbsolute(suggestedFolder)) {
        folder = vscode.Uri.file(suggestedFolder);
      } else {
        const here = root === undefined ? undefined : vscode.Uri.joinPath(root, suggestedFolder);
        const choice = await pick<vscode.Uri | 'choose'>(
          [...(here ? [{ label: `$(folder) ${suggestedFolder}`, description: 'in this workspace', value: here }] : []), { label: '$(folder-opened) Choose a folder…', value: 'choose' as const }],
          'Serve a Model (3/6): where to write the spec, Dockerfile and snowflake.yml',
        );
        folder = choice === 'choose' ? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Write Here' }))?.[0] : choice;
        if (folder === undefined) return undefined;
      }
      const explicit = 'folder' in answers;
      const written = await writeFiles(folder, files, async (differing) =>
        explicit ? true : confirmStatementModal(`These files in ${folder.fsPath} differ from the template: ${differing.join(', ')}. Overwrite them?`, 'Your changes in them are replaced.', 'Overwrite'),
      );
      if (!written) return undefined;
      const spec = files.find((file) => /\.spcs\.ya?ml$/.test(file.path) || /spec\.ya?ml$/.test(file.path)) ?? files[0];
      const specUri = spec ? vscode.Uri.joinPath(folder, spec.path) : folder;
      if (spec) await vscode.window.showTextDocument(specUri, { preview: false });
      return { folder: folder.fsPath, specUri: specUri.toString() };
    },
    readSpec: async (specUri) => {
      try {
        const uri = vscode.Uri.parse(specUri);
        await vscode.workspace.fs.stat(uri);
        return (await vscode.workspace.openTextDocument(uri)).getText();
      } catch {
        return undefined;
      }
    },
    runCommands: (script) =>
      answered(answers, 'commands', answers.commands, async () => {
        const buttons = script.copyOnly ? ['Copy Commands'] : ['Run in Terminal', 'Copy Commands'];
        const chosen = await vscode.window.showInformationMessage(`${script.title}${script.note ? `. ${script.note}` : ''}`, { modal: true, detail: `In ${script.cwd}:\n${script.lines.join('\n')}` }, ...buttons);
        if (chosen === 'Copy Commands') {
          await vscode.env.clipboard.writeText(script.oneLine);
          return 'copied' as const;
        }
        if (chosen !== 'Run in Terminal') return undefined;
        const terminal = vscode.window.createTerminal({ name: `SPCS: ${script.title}`, cwd: script.cwd });
        terminal.show();
        terminal.sendText(script.oneLine, true);
        return 'ran' as const;
      }),
    waitForPush: (target, message) =>
      answered(answers, 'push', answers.push, async () => ((await vscode.window.showInformationMessage(message, { modal: true, detail: target }, 'Look Again')) === 'Look Again' ? ('check' as const) : undefined)),
    askServiceFunction: (question) =>
      answered(answers, 'serviceFunction', answers.serviceFunction, async () => {
        const what = await pick(
          [
            { label: 'Create the service function', description: `CREATE FUNCTION … SERVICE = ${question.service} ENDPOINT = ${question.endpoint}`, value: 'run' as const },
            { label: 'Open its SQL only', value: 'open' as const },
            { label: 'No service function', value: 'skip' as const },
          ],
          'Serve a Model (6/6): service function for SQL',
          question.note,
        );
        if (what === undefined || what === 'skip') return what;
        const name = await input('Service function name', question.name, 'NAME or DB.SCHEMA.NAME.');
        if (name === undefined) return undefined;
        const signature = await input('Service function signature', question.signature, 'Arguments and return type, e.g. (prompt VARCHAR) RETURNS VARCHAR.');
        if (signature === undefined) return undefined;
        return { name, signature, path: question.path, run: what === 'run' };
      }),
    openSql: async (text) => {
      await openSqlDocument(text);
    },
    showEndpoint: (endpoint, url) => {
      void vscode.window.showInformationMessage(`Endpoint ${endpoint} is at ${url}`, 'Open in Browser', 'Copy URL').then(async (choice) => {
        if (choice === 'Open in Browser') await vscode.env.openExternal(vscode.Uri.parse(url));
        if (choice === 'Copy URL') await vscode.env.clipboard.writeText(url);
      });
    },
    progress: (title, cancellable, task) =>
      Promise.resolve(
        vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable }, (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          return task((message) => progress.report({ message }), abort.signal);
        }),
      ),
    report: (outcome: ServeOutcome) => {
      if (outcome.state === 'served') {
        const url = outcome.url;
        void vscode.window.showInformationMessage(outcome.message, ...(url ? ['Open in Browser', 'Copy URL'] : [])).then(async (choice) => {
          if (choice === 'Open in Browser' && url) await vscode.env.openExternal(vscode.Uri.parse(url));
          if (choice === 'Copy URL' && url) await vscode.env.clipboard.writeText(url);
        });
      } else if (outcome.reason === 'cancelled') {
        void vscode.window.showInformationMessage(outcome.message);
      } else {
        void vscode.window.showErrorMessage(outcome.message, 'Show Output').then((choice) => {
          if (choice) context.log.show(true);
        });
      }
    },
    pools: answeringPoolUi(vscodePoolUi(), answers.newPool),
    repositories: answeringRepositoryUi(vscodeRepositoryUi(), answers.newRepository),
  };
}

