/**
 * Command text for the image registry of an account (reference §4.13, §5.5): "Copy registry login
 * command" and "Push image…", for POSIX shells and PowerShell, with docker, podman or nerdctl.
 *
 * Login, as documented: the Snowflake CLI prints a short-lived registry token that the container
 * CLI reads on stdin, with the literal user name `0sessiontoken`
 *   snow spcs image-registry token --connection <c> --format=JSON | docker login <registry> --username 0sessiontoken --password-stdin
 * or `docker login <registry> --username <user>` (then a programmatic access token as the password).
 *
 * Push: `<registry>/<db>/<schema>/<repository>/<image>:<tag>`, the path in lower case (registry
 * paths are; unquoted Snowflake names are case-insensitive), `$` URL-encoded; repositories whose
 * names need double quotes for other characters cannot be addressed (the docs say so).
 *
 * Build: `<cli> build --platform linux/amd64 -t <local> [-f <Dockerfile>] <context>` (SPCS runs
 * linux/amd64 images only, whatever the machine that builds them), then the same login, tag and push.
 *
 * Owns: argument quoting for both shells and the choice of the container CLI (`which` is injected).
 * Pure apart from that injected lookup; must not import `vscode` or run commands.
 */

export type Shell = 'posix' | 'powershell';

export type ContainerCli = 'docker' | 'podman' | 'nerdctl';

export const containerClis: readonly ContainerCli[] = ['docker', 'podman', 'nerdctl'];

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** `which`: the absolute path of a command on PATH, or undefined. */
export type Which = (command: string) => Promise<string | undefined>;

/** The first container CLI on PATH (`preferred` first), or a message saying none was found. */
export async function detectContainerCli(which: Which, preferred?: ContainerCli): Promise<Outcome<{ cli: ContainerCli; path: string }>> {
  const order = preferred === undefined ? containerClis : [preferred, ...containerClis.filter((cli) => cli !== preferred)];
  for (const cli of order) {
    const found = await which(cli);
    if (found !== undefined && found !== '') return { ok: true, value: { cli, path: found } };
  }
  return {
    ok: false,
    message: `No container CLI was found on PATH (looked for ${order.join(', ')}). Install Docker, Podman or nerdctl and make sure it is on the PATH of VS Code, then try again.`,
  };
}

/** One argument, quoted for the shell only when it needs it. */
export function quoteArgument(argument: string, shell: Shell): string {
  // In PowerShell `@` (splatting), `,` (arrays) and `%` are special, so words with them are quoted.
  const plain = shell === 'posix' ? /^[A-Za-z0-9_@%+=:,./-]+$/ : /^[A-Za-z0-9_+=:./-]+$/;
  if (plain.test(argument)) return argument;
  return shell === 'posix' ? `'${argument.replace(/'/g, `'\\''`)}'` : `'${argument.replace(/'/g, "''")}'`;
}

function commandLine(words: readonly string[], shell: Shell): string {
  return words.map((word) => quoteArgument(word, shell)).join(' ');
}

export type LoginMethod =
  /** `snow spcs image-registry token … | <cli> login … --password-stdin` (the documented token login). */
  | { readonly kind: 'token'; readonly connection?: string }
  /** `<cli> login <registry> --username <user>`: the CLI asks for the password (a programmatic access token). */
  | { readonly kind: 'password'; readonly user: string };

export interface LoginCommandOptions {
  readonly registryHost: string;
  readonly cli: ContainerCli;
  readonly shell: Shell;
  readonly method: LoginMethod;
}

export function registryLoginCommand(options: LoginCommandOptions): string {
  const host = options.registryHost.trim().toLowerCase();
  if (!/^[a-z0-9.-]+(:[0-9]+)?$/.test(host)) throw new RangeError(`Not a registry host: ${JSON.stringify(options.registryHost)}.`);
  if (options.method.kind === 'password') {
    return commandLine([options.cli, 'login', host, '--username', options.method.user], options.shell);
  }
  const token = ['snow', 'spcs', 'image-registry', 'token', ...(options.method.connection === undefined ? [] : ['--connection', options.method.connection]), '--format=JSON'];
  return `${commandLine(token, options.shell)} | ${commandLine([options.cli, 'login', host, '--username', '0sessiontoken', '--password-stdin'], options.shell)}`;
}

export interface RepositoryLocation {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
  /** SHOW IMAGE REPOSITORIES' `repository_url`, preferred when known. */
  readonly repositoryUrl?: string;
}

/** `<registry>/<db>/<schema>/<repo>` in lower case, or why it cannot be addressed. */
export function repositoryAddress(registryHost: string | undefined, repository: RepositoryLocation): Outcome<string> {
  if (repository.repositoryUrl !== undefined && repository.repositoryUrl !== '') {
    return { ok: true, value: repository.repositoryUrl.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '').toLowerCase() };
  }
  if (registryHost === undefined || registryHost === '') {
    return { ok: false, message: 'The registry host of the account is not known yet: refresh the account catalog (it is read from SHOW IMAGE REPOSITORIES).' };
  }
  const parts: string[] = [];
  for (const part of [repository.database, repository.schema, repository.name]) {
    if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(part)) {
      return { ok: false, message: `The name ${JSON.stringify(part)} needs double quotes in SQL; Snowflake's registry cannot address such repositories. Use a repository whose database, schema and name are plain identifiers.` };
    }
    parts.push(part.toLowerCase().replace(/\$/g, '%24'));
  }
  return { ok: true, value: `${registryHost.toLowerCase()}/${parts.join('/')}` };
}

const imageNamePattern = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export interface PushOptions {
  readonly cli: ContainerCli;
  readonly shell: Shell;
  /** The local image, e.g. `my-echo:dev` or an image id. */
  readonly localImage: string;
  /** `<registry>/<db>/<schema>/<repo>` (see `repositoryAddress`). */
  readonly repositoryAddress: string;
  /** The image name inside the repository (lower case, `/` allowed). */
  readonly image: string;
  readonly tag: string;
}

export interface PushCommands {
  /** `<registry>/<db>/<schema>/<repo>/<image>:<tag>`. */
  readonly target: string;
  /** The path to write in a spec: `/<db>/<schema>/<repo>/<image>:<tag>`. */
  readonly specImage: string;
  /** `<cli> tag <local> <target>`, then `<cli> push <target>`. */
  readonly commands: readonly string[];
}

export function pushCommands(options: PushOptions): Outcome<PushCommands> {
  const image = options.image.trim().toLowerCase();
  if (!imageNamePattern.test(image)) {
    return { ok: false, message: `${JSON.stringify(options.image)} is not a valid image name: use lower-case letters, digits and . _ - separators (and / between path parts).` };
  }
  if (!tagPattern.test(options.tag)) {
    return { ok: false, message: `${JSON.stringify(options.tag)} is not a valid tag: up to 128 letters, digits, _ . -, not starting with . or -.` };
  }
  if (options.localImage.trim() === '') return { ok: false, message: 'Name the local image to push (e.g. my-echo:dev).' };
  const target = `${options.repositoryAddress}/${image}:${options.tag}`;
  const path = options.repositoryAddress.slice(options.repositoryAddress.indexOf('/'));
  return {
    ok: true,
    value: {
      target,
      specImage: `${path}/${image}:${options.tag}`,
      commands: [commandLine([options.cli, 'tag', options.localImage.trim(), target], options.shell), commandLine([options.cli, 'push', target], options.shell)],
    },
  };
}

/** The lines to paste into a terminal: login, tag, push (joined with the shell's separator for one line). */
export function pushScript(login: string, push: PushCommands, shell: Shell, oneLine = false): string {
  const lines = [login, ...push.commands];
  return oneLine ? lines.join(shell === 'posix' ? ' && ' : '; ') : lines.join('\n');
}

export interface BuildOptions {
  readonly cli: ContainerCli;
  readonly shell: Shell;
  /** The build context, relative to the terminal's folder (e.g. `.` or `serving/llm`). */
  readonly context: string;
  /** The Dockerfile when it is not `<context>/Dockerfile`. */
  readonly dockerfile?: string;
  /** The local image the build produces, e.g. `vllm-openai:0.6.3`. */
  readonly localImage: string;
}

/** `<cli> build --platform linux/amd64 -t <local> [-f <Dockerfile>] <context>`. */
export function buildCommand(options: BuildOptions): string {
  if (options.localImage.trim() === '') throw new RangeError('Name the local image the build produces.');
  if (options.context.trim() === '') throw new RangeError('Name the build context folder.');
  const words = [options.cli, 'build', '--platform', 'linux/amd64', '-t', options.localImage.trim(), ...(options.dockerfile === undefined ? [] : ['-f', options.dockerfile]), options.context];
  return commandLine(words, options.shell);
}

/** Build, then login, tag and push: the lines to paste into a terminal, in the order they run. */
export function buildAndPushScript(build: string, login: string, push: PushCommands, shell: Shell, oneLine = false): string {
  const lines = [build, login, ...push.commands];
  return oneLine ? lines.join(shell === 'posix' ? ' && ' : '; ') : lines.join('\n');
}
