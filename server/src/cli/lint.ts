/**
 * `spcs-lint`: the language server's checks on the command line, for CI pipelines.
 *
 * Owns: argument parsing, expanding globs, reading files, and printing the diagnostics of
 * `SpcsLanguageService` as text, JSON or SARIF 2.1.0 (GitHub code scanning). Every file named on the
 * command line is checked, whatever its extension: as a gateway spec when its content (or a
 * `*.gateway.yaml` name) says so, as a Snowflake CLI project definition when it is a `snowflake.yml`
 * (whose services' spec files are read from disk), else as a service spec. A folder stands for the
 * `*.spcs.yaml`, `*.gateway.yaml` and `snowflake.yml` files below it.
 *
 * Exit codes: 0 no errors (warnings allowed), 1 at least one error, 2 bad usage or an unreadable file.
 */

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { glob, isDynamicPattern } from 'tinyglobby';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { fileSystemProjectFiles } from '../nodeFiles';
import { serverVersion } from '../version';
import { diagnosticCodes, isDiagnosticCode } from '../service/diagnosticCodes';
import { SpcsLanguageService } from '../service/languageService';
import { specLanguageId } from '../service/specDocument';
import type { DiagnosticData } from '../service/validate';
import { toSarif, type FileResult } from './sarif';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface LintOptions {
  readonly format: OutputFormat;
  readonly instanceFamily: string | undefined;
  readonly patterns: readonly string[];
}

export type { FileResult };

export type JsonSeverity = 'error' | 'warning' | 'information' | 'hint';

class UsageError extends Error {}

const usage = `Usage: spcs-lint [--format text|json|sarif] [--instance-family FAMILY] <files or globs>…

Checks Snowpark Container Services documents and prints the problems found: service
specifications, gateway specifications (spec.type traffic_split or shadow_traffic, or
*.gateway.yaml) and the SPCS entities of Snowflake CLI project definitions (snowflake.yml).
A folder stands for its *.spcs.yaml, *.gateway.yaml and snowflake.yml files.

Options:
  --format text|json|sarif   output format (default: text)
  --instance-family FAMILY   check GPU and cpu/memory requests against this instance family
                             (a "# spcs: instance-family=…" modeline in a file wins)
  --help                     show this help
  --version                  show the version

Exit codes: 0 no errors, 1 errors found, 2 bad usage or unreadable file.`;

export function parseArguments(argv: readonly string[]): LintOptions | 'help' | 'version' {
  let format: OutputFormat = 'text';
  let instanceFamily: string | undefined;
  const patterns: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++index];
      if (next === undefined || next === '') {
        throw new UsageError(`${flag} needs a value`);
      }
      return next;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--version':
      case '-v':
        return 'version';
      case '--format':
      case '-f': {
        const chosen = value();
        if (chosen !== 'text' && chosen !== 'json' && chosen !== 'sarif') {
          throw new UsageError(`unknown format "${chosen}" (use text, json or sarif)`);
        }
        format = chosen;
        break;
      }
      case '--instance-family':
        instanceFamily = value();
        break;
      case '--':
        patterns.push(...argv.slice(index + 1));
        index = argv.length;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') {
          throw new UsageError(`unknown option ${arg}`);
        }
        patterns.push(arg);
    }
  }
  if (patterns.length === 0) {
    throw new UsageError('no files given');
  }
  return { format, instanceFamily, patterns };
}

/** The SPCS documents a folder on the command line stands for. */
const folderPatterns = ['**/*.spcs.yaml', '**/*.spcs.yml', '**/*.gateway.yaml', '**/*.gateway.yml', '**/snowflake.yml', '**/snowflake.local.yml'];

/** Expands the patterns to files: a plain path must exist; a glob must match at least one file. */
export async function resolveFiles(patterns: readonly string[], cwd: string): Promise<string[]> {
  const files = new Set<string>();
  for (const pattern of patterns) {
    if (isDynamicPattern(pattern)) {
      const matches = await glob(pattern, { cwd, absolute: false, onlyFiles: true, ignore: ['**/node_modules/**'], expandDirectories: false });
      if (matches.length === 0) {
        throw new UsageError(`no files match ${pattern}`);
      }
      for (const match of matches.sort()) {
        files.add(match);
      }
      continue;
    }
    const info = await stat(path.resolve(cwd, pattern)).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${pattern}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    });
    if (info.isDirectory()) {
      const matches = await glob(folderPatterns, { cwd: path.resolve(cwd, pattern), ignore: ['**/node_modules/**'] });
      if (matches.length === 0) {
        throw new UsageError(`${pattern} is a directory with no *.spcs.yaml, *.gateway.yaml or snowflake.yml files; name the files or use a glob`);
      }
      for (const match of matches.sort()) {
        files.add(path.join(pattern, match));
      }
      continue;
    }
    files.add(pattern);
  }
  return [...files];
}

export async function lintFiles(files: readonly string[], options: Pick<LintOptions, 'instanceFamily'>, cwd: string): Promise<FileResult[]> {
  const service = new SpcsLanguageService({ cacheSize: 1, files: fileSystemProjectFiles() });
  const results: FileResult[] = [];
  for (const file of files) {
    const absolute = path.resolve(cwd, file);
    const text = await readFile(absolute, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${file}: ${error.message}`);
    });
    const document = TextDocument.create(pathToFileURL(absolute).toString(), specLanguageId, 1, text);
    const diagnostics = service.validate(document, options.instanceFamily ? { instanceFamily: options.instanceFamily } : {});
    service.forget(document.uri);
    results.push({ file, text, diagnostics });
  }
  return results;
}

export function severityName(severity: DiagnosticSeverity | undefined): JsonSeverity {
  switch (severity) {
    case DiagnosticSeverity.Warning:
      return 'warning';
    case DiagnosticSeverity.Information:
      return 'information';
    case DiagnosticSeverity.Hint:
      return 'hint';
    default:
      return 'error';
  }
}

export function formatJson(results: readonly FileResult[]): string {
  return JSON.stringify(
    results.map((result) => ({
      file: result.file,
      diagnostics: result.diagnostics.map((diagnostic) => ({
        code: String(diagnostic.code),
        severity: severityName(diagnostic.severity),
        message: diagnostic.message,
        range: diagnostic.range,
      })),
    })),
    null,
    2,
  );
}

export function formatText(results: readonly FileResult[], color: boolean): string {
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const lines: string[] = [];
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const result of results) {
    for (const diagnostic of result.diagnostics) {
      const severity = severityName(diagnostic.severity);
      counts[severity]++;
      const label = { error: paint('31', 'error'), warning: paint('33', 'warning'), information: paint('36', 'info'), hint: paint('2', 'hint') }[severity];
      const position = `${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1}`;
      const fixable = ((diagnostic.data as DiagnosticData | undefined)?.fixes.length ?? 0) > 0 ? ' (quick fix available)' : '';
      lines.push(`${result.file}:${position}: ${label} ${diagnostic.message} [${String(diagnostic.code)}]${fixable}`);
    }
  }
  const files = results.length === 1 ? '1 file' : `${results.length} files`;
  lines.push(
    `${files} checked: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}` +
      (counts.information + counts.hint > 0 ? `, ${counts.information + counts.hint} info` : ''),
  );
  return lines.join('\n');
}

export async function runLint(argv: readonly string[], io: { cwd: string; stdout: (text: string) => void; stderr: (text: string) => void; color: boolean }): Promise<number> {
  try {
    const options = parseArguments(argv);
    if (options === 'help') {
      io.stdout(`${usage}\n`);
      return 0;
    }
    if (options === 'version') {
      io.stdout(`spcs-lint ${serverVersion}\n`);
      return 0;
    }
    const files = await resolveFiles(options.patterns, io.cwd);
    const results = await lintFiles(files, options, io.cwd);
    const output =
      options.format === 'json' ? formatJson(results) : options.format === 'sarif' ? JSON.stringify(toSarif(results, io.cwd), null, 2) : formatText(results, io.color);
    io.stdout(`${output}\n`);
    return results.some((result) => result.diagnostics.some((diagnostic) => severityName(diagnostic.severity) === 'error')) ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`spcs-lint: ${error.message}\n${error.message === 'no files given' ? `\n${usage}\n` : 'Run spcs-lint --help for usage.\n'}`);
      return 2;
    }
    throw error;
  }
}

export function describeCode(code: string): string {
  return isDiagnosticCode(code) ? diagnosticCodes[code].summary : code;
}

if (require.main === module) {
  runLint(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`spcs-lint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
