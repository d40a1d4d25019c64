/**
 * The image registry commands (`imageRegistry/imageRegistry.ts` writes the command lines):
 * - `spcs.copyRegistryLogin(node?)`: the documented token login for the account's registry (the
 *   Snowflake CLI prints a short-lived token, the container CLI reads it on stdin), for the container
 *   CLI found on PATH (docker when none is) and the shell of VS Code's terminal, on the clipboard.
 *   Resolves to `{ command, cli, registryHost }`.
 * - `spcs.copyImagePath(node?)`: the path a spec's `image:` field uses for a tag
 *   (`/<db>/<schema>/<repository>/<image>:<tag>`), on the clipboard; from the palette the repository,
 *   image and tag are picked (the newest tag first).
 * - `spcs.pushImage(node?, options?)`: asks the local image (from `<cli> images` when the CLI
 *   answers, else typed), the image name and tag in the repository, then runs login, tag and push in
 *   a terminal. `options` (automation): `{ localImage, image, tag }`. Without a container CLI on
 *   PATH it stops with a message saying so. Resolves to `{ ok, message, target?, specImage?, script? }`.
 *
 * Started from a repository, image or tag node of the Image Repositories view, or from the palette
 * (connection and repository are picked). Owns: finding executables on PATH and reading the local
 * images. Must not: put secrets on the clipboard or in the terminal (the token is fetched by `snow`
 * inside the pipeline), or push without the user choosing the image.
 */

import { execFile } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FeatureContext } from '../model/featureContext';
import { detectContainerCli, pushCommands, pushScript, registryLoginCommand, repositoryAddress, type ContainerCli, type Shell, type Which } from './imageRegistry';
import { imagePath, listImages, listRepositories, listTags } from '../listings/accountData';
import type { CommandTable, ImageRegistryCommandId } from '../model/commandIds';
import { createRepositoryCommand, dropRepositoryCommand } from './repositoryCommands';
import { isNode, type ImageNode, type RepositoryRef, type TagNode } from '../model/nodes';

/** `which`: the first executable file named `command` in the directories of PATH (PATHEXT on Windows). */
export const whichOnPath: Which = async (command) => {
  const directories = (process.env['PATH'] ?? '').split(path.delimiter).filter((directory) => directory !== '');
  const extensions = process.platform === 'win32' ? (process.env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';').filter((extension) => extension !== '') : [''];
  for (const directory of directories) {
    for (const extension of extensions) {
      const candidate = path.join(directory, `${command}${extension}`);
      try {
        await fs.access(candidate, process.platform === 'win32' ? fsConstants.F_OK : fsConstants.X_OK);
        if ((await fs.stat(candidate)).isFile()) return candidate;
      } catch {
        // Not here: try the next directory.
      }
    }
  }
  return undefined;
};

/** The shell of VS Code's integrated terminal, as the command text must be written for it. */
export function terminalShell(): Shell {
  const shell = vscode.env.shell;
  if (/pwsh|powershell/i.test(shell)) return 'powershell';
  if (shell === '' && process.platform === 'win32') return 'powershell';
  return 'posix';
}

export interface RepositoryTarget {
  readonly repository: RepositoryRef;
  readonly repositoryUrl: string;
  /** The image the node named (image and tag nodes). */
  readonly image?: string;
}

export async function repositoryOf(context: FeatureContext, target: unknown, title: string): Promise<RepositoryTarget | undefined> {
  if (isNode(target)) {
    if (target.kind === 'repository') return { repository: { connection: target.connection, database: target.database, schema: target.schema, name: target.name }, repositoryUrl: target.repositoryUrl };
    if (target.kind === 'image' || target.kind === 'tag') return { repository: target.repository, repositoryUrl: target.repositoryUrl, image: target.image };
  }
  const connection = await context.connections.pick({ title: `${title}: which connection?` });
  if (connection === undefined) return undefined;
  const listed = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Listing the image repositories of ${connection}…` }, () =>
    listRepositories(context.sessions, 'spcs.imageRepositories', connection, { timeoutMs: context.queryTimeoutMs() }),
  );
  if (!listed.ok) {
    void vscode.window.showErrorMessage(`Listing the image repositories of ${connection} failed (${listed.error.kind}): ${listed.error.message}`);
    return undefined;
  }
  if (listed.value.length === 0) {
    void vscode.window.showWarningMessage(`The role of ${connection} sees no image repository. Create one (CREATE IMAGE REPOSITORY) or use a role with READ on one.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    listed.value.map((node) => ({ label: node.name, description: `${node.database}.${node.schema}`, detail: node.repositoryUrl, node })),
    { title: `${title}: which repository?` },
  );
  return picked === undefined ? undefined : { repository: { connection, database: picked.node.database, schema: picked.node.schema, name: picked.node.name }, repositoryUrl: picked.node.repositoryUrl };
}

export function registryHostOf(context: FeatureContext, target: RepositoryTarget): string | undefined {
  const url = target.repositoryUrl.replace(/^[a-z]+:\/\//i, '');
  const slash = url.indexOf('/');
  const host = slash > 0 ? url.slice(0, slash) : undefined;
  return host ?? context.catalogs.peek(target.repository.connection)?.catalog?.registryHost;
}

export interface LoginResult {
  readonly command: string;
  readonly cli: ContainerCli;
  readonly registryHost: string;
}

export async function copyRegistryLogin(context: FeatureContext, target: unknown, which: Which = whichOnPath): Promise<LoginResult | undefined> {
  const repository = await repositoryOf(context, target, 'Copy registry login');
  if (repository === undefined) return undefined;
  const registryHost = registryHostOf(context, repository);
  if (registryHost === undefined) {
    void vscode.window.showErrorMessage('The registry host of this account is not known: refresh the Image Repositories view (it comes from SHOW IMAGE REPOSITORIES).');
    return undefined;
  }
  const detected = await detectContainerCli(which);
  const cli: ContainerCli = detected.ok ? detected.value.cli : 'docker';
  const command = registryLoginCommand({ registryHost, cli, shell: terminalShell(), method: { kind: 'token', connection: repository.repository.connection } });
  await vscode.env.clipboard.writeText(command);
  const note = detected.ok ? '' : ' (no container CLI was found on PATH, so it is written for docker)';
  void vscode.window.showInformationMessage(`Copied the login command for ${registryHost}${note}. It needs the Snowflake CLI (snow) with connection "${repository.repository.connection}".`);
  return { command, cli, registryHost };
}

export interface PushResult {
  readonly ok: boolean;
  readonly message: string;
  readonly target?: string;
  readonly specImage?: string;
  readonly script?: string;
}

interface PushOptionsArgument {
  readonly localImage?: string;
  readonly image?: string;
  readonly tag?: string;
}

function readPushOptions(value: unknown): PushOptionsArgument {
  if (typeof value !== 'object' || value === null || isNode(value)) return {};
  const record = value as Record<string, unknown>;
  const options: { -readonly [K in keyof PushOptionsArgument]?: string } = {};
  for (const key of ['localImage', 'image', 'tag'] as const) {
    const item = record[key];
    if (typeof item === 'string' && item.trim() !== '') options[key] = item.trim();
  }
  return options;
}

/** `<cli> images` as `repository:tag` lines (dangling images left out); empty when the CLI does not answer. */
function localImages(cliPath: string): Promise<string[]> {
  return new Promise((resolve) => {
    execFile(cliPath, ['images', '--format', '{{.Repository}}:{{.Tag}}'], { timeout: 10_000, maxBuffer: 1024 * 1024 }, (error, stdout) => {
      if (error) {
        resolve([]);
        return;
      }
      resolve(
        stdout
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter((line) => line !== '' && !line.includes('<none>')),
      );
    });
  });
}

/** `ghcr.io/me/my-echo:dev` → `my-echo` and `dev`. */
export function splitLocalImage(reference: string): { name: string; tag: string | undefined } {
  const lastSlash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  const hasTag = colon > lastSlash;
  const repository = hasTag ? reference.slice(0, colon) : reference;
  return { name: repository.slice(repository.lastIndexOf('/') + 1).toLowerCase(), tag: hasTag ? reference.slice(colon + 1) : undefined };
}

export async function pushImage(context: FeatureContext, args: readonly unknown[], which: Which = whichOnPath): Promise<PushResult | undefined> {
  const [first, second] = args;
  const options = readPushOptions(isNode(first) ? second : first);
  const detected = await detectContainerCli(which);
  if (!detected.ok) {
    void vscode.window.showErrorMessage(`Push Image: ${detected.message}`);
    return { ok: false, message: detected.message };
  }
  const { cli, path: cliPath } = detected.value;
  const repository = await repositoryOf(context, isNode(first) ? first : undefined, 'Push image');
  if (repository === undefined) return undefined;
  const registryHost = registryHostOf(context, repository);
  const address = repositoryAddress(registryHost, { ...repository.repository, repositoryUrl: repository.repositoryUrl });
  if (!address.ok) {
    void vscode.window.showErrorMessage(`Push Image: ${address.message}`);
    return { ok: false, message: address.message };
  }

  let localImage = options.localImage;
  if (localImage === undefined) {
    const images = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Listing local images (${cli} images)…` }, () => localImages(cliPath));
    const typeIt: { label: string; image: string | undefined } = { label: '$(edit) Type an image name or id…', image: undefined };
    const picked =
      images.length === 0
        ? typeIt
        : await vscode.window.showQuickPick([...images.map((image): { label: string; image: string | undefined } => ({ label: image, image })), typeIt], { title: 'Push image: which local image?', matchOnDescription: true });
    if (picked === undefined) return undefined;
    localImage =
      picked.image ??
      (await vscode.window.showInputBox({ title: 'Push image: local image', prompt: `A local image as ${cli} names it, e.g. my-echo:dev or an image id.`, ignoreFocusOut: true, validateInput: (text) => (text.trim() === '' ? 'Enter an image.' : undefined) }))?.trim();
    if (localImage === undefined) return undefined;
  }
  const local = splitLocalImage(localImage);
  const image =
    options.image ??
    (await vscode.window.showInputBox({ title: 'Push image: name in the repository', prompt: `The image name under ${address.value} (lower case; / for paths).`, value: repository.image ?? local.name, ignoreFocusOut: true }))?.trim();
  if (image === undefined) return undefined;
  const tag = options.tag ?? (await vscode.window.showInputBox({ title: 'Push image: tag', prompt: 'The tag to push (a new tag keeps older deploys reproducible).', value: local.tag ?? 'latest', ignoreFocusOut: true }))?.trim();
  if (tag === undefined) return undefined;

  const shell = terminalShell();
  const commands = pushCommands({ cli, shell, localImage, repositoryAddress: address.value, image, tag });
  if (!commands.ok) {
    void vscode.window.showErrorMessage(`Push Image: ${commands.message}`);
    return { ok: false, message: commands.message };
  }
  const login = registryLoginCommand({ registryHost: address.value.slice(0, address.value.indexOf('/')), cli, shell, method: { kind: 'token', connection: repository.repository.connection } });
  const script = pushScript(login, commands.value, shell, true);
  const terminal = vscode.window.createTerminal({ name: `SPCS: push ${image}:${tag}` });
  terminal.show();
  terminal.sendText(script, true);
  const message = `Pushing ${localImage} as ${commands.value.target} in the terminal. In a spec, write image: ${commands.value.specImage}`;
  context.log.info(`Push image: ${message}`);
  void vscode.window.showInformationMessage(message, 'Copy Spec Image Path').then(async (choice) => {
    if (choice) await vscode.env.clipboard.writeText(commands.value.specImage);
  });
  return { ok: true, message, target: commands.value.target, specImage: commands.value.specImage, script };
}

export function createImageRegistryCommands(context: FeatureContext): CommandTable<ImageRegistryCommandId> {
  return {
    'spcs.copyRegistryLogin': (target?: unknown) => copyRegistryLogin(context, target),
    'spcs.pushImage': (...args: unknown[]) => pushImage(context, args),
    'spcs.copyImagePath': (node?: unknown) => copyImagePath(context, node),
    'spcs.createImageRepository': (arg?: unknown, second?: unknown) => createRepositoryCommand(context, arg, second),
    'spcs.dropImageRepository': (arg?: unknown, second?: unknown) => dropRepositoryCommand(context, arg, second),
  };
}

async function copyImagePath(context: FeatureContext, target: unknown): Promise<string | undefined> {
  const pathToCopy = await chooseImagePath(context, target);
  if (pathToCopy === undefined) return undefined;
  await vscode.env.clipboard.writeText(pathToCopy);
  void vscode.window.setStatusBarMessage(`Copied ${pathToCopy}`, 4000);
  return pathToCopy;
}

async function chooseImagePath(context: FeatureContext, target: unknown): Promise<string | undefined> {
  if (isNode(target) && target.kind === 'tag') return imagePath(target.repositoryUrl, target.image, target.tag);
  const view = 'spcs.imageRepositories';
  const options = { timeoutMs: context.queryTimeoutMs() };
  let image: ImageNode | undefined = isNode(target) && target.kind === 'image' ? target : undefined;
  if (image === undefined) {
    const repository = await repositoryOf(context, target, 'Copy image path');
    if (repository === undefined) return undefined;
    const images = await listImages(context.sessions, view, { ...repository.repository, repositoryUrl: repository.repositoryUrl }, options);
    if (!images.ok) return reportFailure('Listing the images', images.error.message);
    const picked = await vscode.window.showQuickPick(images.value.map((node) => ({ label: node.image, node })), { title: 'Copy image path: image' });
    if (!picked) return undefined;
    image = picked.node;
  }
  const tags = await listTags(context.sessions, view, image, options);
  if (!tags.ok) return reportFailure('Listing the tags', tags.error.message);
  const tag = await chooseTag(tags.value, image);
  return tag === undefined ? undefined : imagePath(tag.repositoryUrl, tag.image, tag.tag);
}

/** The only tag, or the user's choice with the newest first (tags come newest first). */
async function chooseTag(tags: readonly TagNode[], image: ImageNode): Promise<TagNode | undefined> {
  if (tags.length === 0) {
    void vscode.window.showWarningMessage(`The image ${image.image} has no tags.`);
    return undefined;
  }
  if (tags.length === 1) return tags[0];
  const picked = await vscode.window.showQuickPick(
    tags.map((tag, index) => ({ label: tag.tag, description: [index === 0 ? 'newest' : undefined, tag.createdOn, tag.digest?.slice(0, 19)].filter(Boolean).join(' · '), tag })),
    { title: `Copy image path: tag of ${image.image}`, placeHolder: 'The newest tag is first' },
  );
  return picked?.tag;
}

function reportFailure(what: string, message: string): undefined {
  void vscode.window.showErrorMessage(`${what} failed: ${message}`);
  return undefined;
}
