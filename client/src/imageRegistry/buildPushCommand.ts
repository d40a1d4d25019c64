/**
 * "Build and Push Image…" (`spcs.buildAndPushImage(target?, options?)`): builds a folder's Dockerfile
 * for linux/amd64 with the container CLI on PATH (docker, podman, nerdctl), then logs in to the
 * account's registry, tags and pushes, in a terminal, with the exact commands shown first. Without a
 * container CLI it says so and offers the commands (written for docker) to copy.
 *
 * The target is a Dockerfile or folder (the Explorer), a repository or image node (the Image
 * Repositories view), or nothing (the active editor's folder, else a folder is asked). Automation:
 * `{ folder, repository: 'DB.SCHEMA.NAME', image, tag, run: 'terminal' | 'copy' }`. Resolves to what
 * was built and pushed, or why not.
 *
 * Owns: those questions and the terminal. Must not: put a secret in the terminal or on the clipboard
 * (the registry token is fetched by `snow` inside the pipeline), or run anything before it is shown.
 */

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FeatureContext } from '../model/featureContext';
import { isNode } from '../model/nodes';
import { buildAndPushScript, buildCommand, detectContainerCli, pushCommands, registryLoginCommand, repositoryAddress, type Which } from './imageRegistry';
import { registryHostOf, repositoryOf, terminalShell, whichOnPath, type RepositoryTarget } from './imageRegistryCommands';
import { listRepositories } from '../listings/accountData';

interface BuildPushOptions {
  readonly folder?: string;
  readonly repository?: string;
  readonly image?: string;
  readonly tag?: string;
  readonly run?: 'terminal' | 'copy';
}

export interface BuildPushResult {
  readonly state: 'ran' | 'copied' | 'cancelled' | 'refused';
  readonly message: string;
  readonly lines?: readonly string[];
  /** What a spec's `image:` field names. */
  readonly specImage?: string;
  /** No container CLI was found: the commands are written for docker, to copy. */
  readonly copyOnly?: boolean;
}

function optionsOf(value: unknown): BuildPushOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isNode(value) || value instanceof vscode.Uri) return {};
  return value;
}

async function folderOf(target: unknown, options: BuildPushOptions): Promise<vscode.Uri | undefined> {
  if (options.folder !== undefined) return vscode.Uri.file(options.folder);
  if (target instanceof vscode.Uri) {
    const stat = await vscode.workspace.fs.stat(target);
    return stat.type === vscode.FileType.Directory ? target : vscode.Uri.joinPath(target, '..');
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') {
    const folder = vscode.Uri.joinPath(active, '..');
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, 'Dockerfile'));
      return folder;
    } catch {
      // No Dockerfile beside the active file: ask.
    }
  }
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Build This Folder', title: 'Build and Push Image: the folder with the Dockerfile' });
  return chosen?.[0];
}

async function namedRepository(context: FeatureContext, name: string): Promise<RepositoryTarget | string> {
  const connection = await context.connections.pick({ title: 'Build and Push Image: which connection?' });
  if (connection === undefined) return 'No connection was chosen.';
  const listed = await listRepositories(context.sessions, 'spcs.imageRepositories', connection, { timeoutMs: context.queryTimeoutMs() });
  if (!listed.ok) return `Listing the image repositories of ${connection} failed (${listed.error.kind}): ${listed.error.message}`;
  const node = listed.value.find((each) => `${each.database}.${each.schema}.${each.name}`.toUpperCase() === name.toUpperCase());
  if (node === undefined) return `Image repository ${name} is not one the role of ${connection} can see.`;
  return { repository: { connection, database: node.database, schema: node.schema, name: node.name }, repositoryUrl: node.repositoryUrl };
}

export async function buildAndPushImage(context: FeatureContext, target: unknown, second: unknown, which: Which = whichOnPath): Promise<BuildPushResult> {
  const options = optionsOf(target instanceof vscode.Uri || isNode(target) ? second : target);
  const cancelled: BuildPushResult = { state: 'cancelled', message: 'Cancelled: nothing was built or pushed.' };
  const folder = await folderOf(target instanceof vscode.Uri ? target : undefined, options);
  if (folder === undefined) return cancelled;
  try {
    await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, 'Dockerfile'));
  } catch {
    const message = `There is no Dockerfile in ${folder.fsPath}. New Service Spec… writes one beside the spec.`;
    void vscode.window.showErrorMessage(message);
    return { state: 'refused', message };
  }
  const repository = options.repository !== undefined ? await namedRepository(context, options.repository) : await repositoryOf(context, isNode(target) ? target : undefined, 'Build and push image');
  if (repository === undefined) return cancelled;
  if (typeof repository === 'string') {
    void vscode.window.showErrorMessage(`Build and Push Image: ${repository}`);
    return { state: 'refused', message: repository };
  }
  const address = repositoryAddress(registryHostOf(context, repository), { ...repository.repository, repositoryUrl: repository.repositoryUrl });
  if (!address.ok) {
    void vscode.window.showErrorMessage(`Build and Push Image: ${address.message}`);
    return { state: 'refused', message: address.message };
  }
  const suggested = repository.image ?? path.basename(folder.fsPath).toLowerCase().replace(/[^a-z0-9._/-]/g, '-');
  const image = options.image ?? (await vscode.window.showInputBox({ title: 'Build and Push Image: image name', prompt: `The image name under ${address.value} (lower case).`, value: suggested, ignoreFocusOut: true }))?.trim();
  if (image === undefined || image === '') return cancelled;
  const tag = options.tag ?? (await vscode.window.showInputBox({ title: 'Build and Push Image: tag', prompt: 'A new tag keeps older deploys reproducible.', value: 'v1', ignoreFocusOut: true }))?.trim();
  if (tag === undefined || tag === '') return cancelled;

  const detected = await detectContainerCli(which);
  const cli = detected.ok ? detected.value.cli : 'docker';
  const shell = terminalShell();
  const localImage = `${image}:${tag}`;
  const push = pushCommands({ cli, shell, localImage, repositoryAddress: address.value, image, tag });
  if (!push.ok) {
    void vscode.window.showErrorMessage(`Build and Push Image: ${push.message}`);
    return { state: 'refused', message: push.message };
  }
  const build = buildCommand({ cli, shell, context: '.', localImage });
  const login = registryLoginCommand({ registryHost: address.value.slice(0, address.value.indexOf('/')), cli, shell, method: { kind: 'token', connection: repository.repository.connection } });
  const lines = [build, login, ...push.value.commands];
  const oneLine = buildAndPushScript(build, login, push.value, shell, true);
  const copyOnly = !detected.ok;
  const runIt = options.run ?? (await (async () => {
    const buttons = copyOnly ? ['Copy Commands'] : ['Run in Terminal', 'Copy Commands'];
    const chosen = await vscode.window.showInformationMessage(
      copyOnly ? `${detected.ok ? '' : detected.message} Run these commands where a container CLI is installed.` : `Build ${localImage} for linux/amd64 and push it to ${address.value}?`,
      { modal: true, detail: `In ${folder.fsPath}:\n${lines.join('\n')}` },
      ...buttons,
    );
    return chosen === 'Run in Terminal' ? 'terminal' : chosen === 'Copy Commands' ? 'copy' : undefined;
  })());
  if (runIt === undefined) return cancelled;
  const result = { lines, specImage: push.value.specImage, copyOnly };
  if (runIt === 'copy' || copyOnly) {
    await vscode.env.clipboard.writeText(oneLine);
    const message = `Copied the build and push commands for ${push.value.target}${copyOnly ? ` (${detected.ok ? '' : detected.message})` : ''}. In a spec, write image: ${push.value.specImage}`;
    context.log.info(`Build and push: ${message}`);
    void vscode.window.showInformationMessage(message);
    return { state: 'copied', message, ...result };
  }
  const terminal = vscode.window.createTerminal({ name: `SPCS: build and push ${localImage}`, cwd: folder });
  terminal.show();
  terminal.sendText(oneLine, true);
  const message = `Building ${localImage} for linux/amd64 and pushing it as ${push.value.target} in the terminal. In a spec, write image: ${push.value.specImage}`;
  context.log.info(`Build and push: ${message}`);
  void vscode.window.showInformationMessage(message, 'Copy Spec Image Path').then(async (choice) => {
    if (choice) await vscode.env.clipboard.writeText(push.value.specImage);
  });
  return { state: 'ran', message, ...result };
}
