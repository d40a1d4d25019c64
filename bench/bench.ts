/**
 * `npm run bench`: how fast the built language server feels in an editor, next to yaml-language-server.
 *
 * Both servers are spawned as real processes and driven over LSP stdio like an editor drives them
 * (`lspSession.ts`), on the same documents with the same edits and request positions
 * (`workload.ts`): the corpus-sized specs of the shared corpus and one generated 3,000-line spec
 * (`generateSpec.ts`), and one typical 107-line GPU service spec (`documents/typical-gpu-service.yaml`)
 * edited 1,000 times. Measured per server: the time from a one-character `didChange` to its
 * `publishDiagnostics`, completion and hover round trips, cold start (spawn → initialize → didOpen of
 * the typical spec → its first diagnostics) and memory after the runs. The report prints each figure with its target and
 * the ratio ours/theirs, and writes everything to `.bench/results.json`.
 *
 * Then the account features: the extension's activation in a real extension host, log following
 * (`logThroughput.ts`: lines per second, event-loop blocking) and the sidebar's big levels
 * (`treeRender.ts`: a schema with 1,000 services and a pool with 200, through the real driver against
 * the local emulator, query and presentation apart), completion with a loaded account catalog
 * (`accountCompletion.ts`: 1,000 images and 200 stages, target p99 ≤ 10 ms) and the catalog read
 * against the emulator (`catalogRefresh.ts`, reported). Then monitoring (`metricsPanel.ts`): a day of
 * 10-second metrics of 4 instances × 3 containers from the panel's query to the first chart painted in
 * its webview (headless Chromium), the event-loop block while shaping, and 10,000 events listed.
 *
 * The benchmark reports; it never fails on slowness. It exits non-zero only when something broke: a
 * server crashed, a request or diagnostics never came (15 s), or the peer did not actually validate.
 *
 * Options: `--only <label>` measures one server (`spcs` or `yaml-language-server`), for development;
 * `--lsp-only` measures both servers and nothing else (no extension host, logs, sidebar or account).
 */

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform, arch, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CompletionItem, CompletionList, Hover } from 'vscode-languageserver-types';
import { generateSpec } from './generateSpec';
import { LspSession, type MemoryFigures, type ServerCommand } from './lspSession';
import { summarize, type Summary } from './stats';
import { analyse, loadCorpus, pickVaried, type BenchDocument } from './workload';
import { measureActivation, type ActivationReport } from '../test/exthost/activationBench';
import { logMaxBlockTargetMs, logThroughputTargetLinesPerSecond, measureLogThroughput } from './logThroughput';
import { measureAccountCompletion, type AccountCompletionFigures } from './accountCompletion';
import { measureCatalogRefresh, type CatalogRefreshReport } from './catalogRefresh';
import { measureTreeRender, type LevelFigures, type TreeRenderReport } from './treeRender';
import { measureMetricsPanel, type MetricsPanelReport } from './metricsPanel';

/** Completion with a loaded account catalog (1,000 images, 200 stages): p99 target. */
const accountCompletionTargetMs = 10;

const root = resolve(__dirname, '..');
const schemaPath = join(root, 'schemas', 'spcs-service-spec.schema.json');
const typicalSpecPath = join(root, 'bench', 'documents', 'typical-gpu-service.yaml');
const ourServer = join(root, 'dist', 'server', 'server.js');
const peerPackage = join(root, 'node_modules', 'yaml-language-server');
const peerServer = join(peerPackage, 'bin', 'yaml-language-server');

/** Per document class: at least this many edits, completions and hovers. */
const samplesPerClass = 200;
const coldStarts = 10;
const generatedLines = 3000;
/**
 * Edits of the typical 107-line spec: enough for a p99 that is not one unlucky sample. The peer gets
 * the first `peerTypicalEdits` of the same edits: its fixed 200 ms debounce would make 1,000 of them
 * take more than three minutes, and its p99 is that debounce either way.
 */
const typicalEdits = 1000;
const peerTypicalEdits = 250;

const targets = {
  typicalDiagnosticsP99Ms: 10,
  completionP99Ms: 10,
  coldStartMs: 250,
};

const ours: ServerCommand = {
  label: 'spcs',
  script: ourServer,
  args: ['--stdio'],
  // Section `spcs`: the defaults, as a client with no user settings answers.
  configuration: () => ({}),
};

const peer: ServerCommand = {
  label: 'yaml-language-server',
  script: peerServer,
  args: ['--stdio'],
  // Our schema for every *.yaml, and no schema store (it would try the network, which this machine lacks).
  configuration: (section) =>
    section === 'yaml'
      ? {
          validate: true,
          hover: true,
          completion: true,
          schemaStore: { enable: false },
          kubernetesCRDStore: { enable: false },
          schemas: { [schemaPath]: '*.yaml' },
        }
      : {},
};

/** A spec with schema errors (wrong type, unknown key, missing image): any validating server reports something. */
const brokenSpec = 'spec:\n  containers:\n  - name: 5\n    bogus: 1\n';

interface ClassResult {
  readonly documents: number;
  readonly lines: { readonly median: number; readonly max: number };
  readonly diagnostics: Summary;
  readonly completion: Summary;
  readonly hover: Summary;
  /** Share of completion requests answered with at least one item. */
  readonly completionWithItems: number;
  /** Share of hover requests answered with content. */
  readonly hoverWithContent: number;
  /** Diagnostics published on open, by severity (1 error … 4 hint), summed over the class's documents. */
  readonly diagnosticsOnOpen: Record<string, number>;
}

interface ServerResult {
  readonly label: string;
  readonly version: string;
  readonly corpus: ClassResult;
  readonly generated: ClassResult;
  /** The typical 107-line spec, edited `typicalEdits` times (the peer: `peerTypicalEdits`). */
  readonly typical: ClassResult;
  readonly coldStart: Summary;
  /** Spawn until the `initialize` answer: the process start and module loading part of the cold start. */
  readonly coldStartInitialize: Summary;
  readonly memory: MemoryFigures;
  readonly strayPublishes: number;
  readonly duplicatePublishes: number;
  readonly loggedErrors: readonly string[];
  readonly notes: readonly string[];
}

function uriFor(kind: string, index: number, name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/\.ya?ml$/, '');
  return `file:///tmp/spcs-bench/${kind}/${String(index).padStart(3, '0')}-${safe}.yaml`;
}

function lineCount(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function spreadCount(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

function hasItems(result: CompletionList | CompletionItem[] | null): boolean {
  if (!result) {
    return false;
  }
  return (Array.isArray(result) ? result : result.items).length > 0;
}

function hasContent(result: Hover | null): boolean {
  if (!result) {
    return false;
  }
  const { contents } = result;
  if (typeof contents === 'string') {
    return contents.length > 0;
  }
  return Array.isArray(contents) ? contents.length > 0 : contents.value.length > 0;
}

/** Edits, completions and hovers on a set of documents sharing `perClass` samples of each between them. */
async function measureClass(
  session: LspSession,
  kind: string,
  documents: readonly BenchDocument[],
  samples: { readonly edits: number; readonly probes: number } = { edits: samplesPerClass, probes: samplesPerClass },
): Promise<ClassResult> {
  const diagnostics: number[] = [];
  const completion: number[] = [];
  const hover: number[] = [];
  let completionWithItems = 0;
  let hoverWithContent = 0;
  const onOpen: Record<string, number> = {};
  const work = documents.map((document) => analyse(document.text));
  // Documents without any edit point or position cannot take a share of that kind of sample.
  const editable = work.filter((item) => item.edits.length > 0).length;
  const probeable = work.filter((item) => item.positions.length > 0).length;
  let editIndex = 0;
  let probeIndex = 0;
  // Open every document up front, as an editor restoring its tabs does (not timed): a debouncing server
  // then validates them all within one debounce period instead of one period per document.
  const uris = documents.map((document, index) => uriFor(kind, index, document.name));
  const opened = await Promise.all(documents.map((document, index) => session.open(uris[index] ?? '', 'yaml', document.text)));
  for (const published of opened) {
    for (const diagnostic of published.diagnostics) {
      const severity = String(diagnostic.severity ?? 1);
      onOpen[severity] = (onOpen[severity] ?? 0) + 1;
    }
  }
  for (const [index, uri] of uris.entries()) {
    const { edits, positions } = work[index] ?? { edits: [], positions: [] };
    if (edits.length > 0) {
      const count = spreadCount(samples.edits, editable, editIndex++);
      for (let n = 0; n < count; n++) {
        const edit = edits[n % edits.length];
        if (!edit) {
          continue;
        }
        const { line, character } = edit.position;
        const current = session.text(uri).split('\n')[line]?.[character];
        const replacement = current === edit.digits[0] ? edit.digits[1] : edit.digits[0];
        const { ms } = await session.change(uri, { start: { line, character }, end: { line, character: character + 1 } }, replacement);
        diagnostics.push(ms);
      }
    }
    if (positions.length > 0) {
      const picked = pickVaried(positions, spreadCount(samples.probes, probeable, probeIndex++));
      for (const position of picked) {
        const completed = await session.request<CompletionList | CompletionItem[] | null>('textDocument/completion', uri, position.completion);
        completion.push(completed.ms);
        completionWithItems += hasItems(completed.result) ? 1 : 0;
        const hovered = await session.request<Hover | null>('textDocument/hover', uri, position.hover);
        hover.push(hovered.ms);
        hoverWithContent += hasContent(hovered.result) ? 1 : 0;
      }
    }
  }
  for (const uri of uris) {
    await session.close(uri);
  }
  const lines = documents.map((document) => lineCount(document.text)).sort((a, b) => a - b);
  return {
    documents: documents.length,
    lines: { median: lines[Math.floor(lines.length / 2)] ?? 0, max: lines[lines.length - 1] ?? 0 },
    diagnostics: summarize(diagnostics),
    completion: summarize(completion),
    hover: summarize(hover),
    completionWithItems: completion.length > 0 ? completionWithItems / completion.length : 0,
    hoverWithContent: hover.length > 0 ? hoverWithContent / hover.length : 0,
    diagnosticsOnOpen: onOpen,
  };
}

/** Spawn → initialize → didOpen → first publishDiagnostics, `coldStarts` times (and the initialize part alone). */
async function measureColdStart(command: ServerCommand, document: BenchDocument): Promise<{ total: Summary; initialize: Summary }> {
  const samples: number[] = [];
  const initializeSamples: number[] = [];
  for (let n = 0; n < coldStarts; n++) {
    const started = performance.now();
    const session = LspSession.spawn(command);
    try {
      await session.initialize();
      initializeSamples.push(performance.now() - started);
      const published = await session.open(uriFor('cold', n, document.name), 'yaml', document.text);
      samples.push(published.at - started);
    } finally {
      await session.dispose();
    }
  }
  return { total: summarize(samples), initialize: summarize(initializeSamples) };
}

/** Fails unless the server reports something on a broken spec: a server that does not validate would look fast. */
async function assertValidates(session: LspSession): Promise<number> {
  const uri = uriFor('sanity', 0, 'broken');
  const published = await session.open(uri, 'yaml', brokenSpec);
  await session.close(uri);
  if (published.diagnostics.length === 0) {
    throw new Error(`${session.command.label} reported no diagnostics on a deliberately broken spec: it is not validating, so its figures would mean nothing`);
  }
  return published.diagnostics.length;
}

function packageVersion(directory: string): string {
  try {
    return (JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
}

/** The peer's fixed validation debounce, read from its installed code (reported as part of its figures). */
function peerDebounceMs(): number | undefined {
  try {
    const source = readFileSync(join(peerPackage, 'out', 'server', 'src', 'yamlSettings.js'), 'utf8');
    const match = /validationDelayMs\s*=\s*(\d+)/.exec(source);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the peer also honours the modeline form of the schema association (checked once, reported). */
async function peerHonoursModeline(): Promise<boolean> {
  const session = LspSession.spawn({ ...peer, configuration: (section) => (section === 'yaml' ? { schemaStore: { enable: false } } : {}) });
  try {
    await session.initialize();
    const published = await session.open(uriFor('sanity', 1, 'modeline'), 'yaml', `# yaml-language-server: $schema=${schemaPath}\n${brokenSpec}`);
    return published.diagnostics.length > 0;
  } finally {
    await session.dispose();
  }
}

async function measureServer(command: ServerCommand, corpus: readonly BenchDocument[], generated: BenchDocument, typical: BenchDocument): Promise<ServerResult> {
  const notes: string[] = [];
  process.stderr.write(`bench: ${command.label}: cold start …\n`);
  const coldStart = await measureColdStart(command, typical);
  const session = LspSession.spawn(command);
  try {
    await session.initialize();
    const sanity = await assertValidates(session);
    notes.push(`validates: ${sanity} diagnostic(s) on a deliberately broken spec`);
    process.stderr.write(`bench: ${command.label}: ${corpus.length} corpus-sized specs …\n`);
    const corpusResult = await measureClass(session, 'corpus', corpus);
    process.stderr.write(`bench: ${command.label}: generated ${generatedLines}-line spec …\n`);
    const generatedResult = await measureClass(session, 'generated', [generated]);
    const edits = command === ours ? typicalEdits : peerTypicalEdits;
    process.stderr.write(`bench: ${command.label}: typical ${lineCount(typical.text)}-line spec, ${edits} edits …\n`);
    const typicalResult = await measureClass(session, 'typical', [typical], { edits, probes: samplesPerClass });
    const memory = await session.memory();
    if (!session.publishesVersions) {
      notes.push('publishes diagnostics without a version: each change is matched to the first publish for its URI after it was sent');
    }
    return {
      label: command.label,
      version: command === ours ? packageVersion(root) : packageVersion(peerPackage),
      corpus: corpusResult,
      generated: generatedResult,
      typical: typicalResult,
      coldStart: coldStart.total,
      coldStartInitialize: coldStart.initialize,
      memory,
      strayPublishes: session.strayPublishes,
      duplicatePublishes: session.duplicatePublishes,
      loggedErrors: session.loggedErrors.slice(0, 20),
      notes,
    };
  } finally {
    await session.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------
// The report.

const ms = (value: number | undefined): string => (value === undefined || Number.isNaN(value) ? '-' : value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(1)} ms`);
const mib = (value: number | undefined): string => (value === undefined ? '-' : `${(value / 1024 / 1024).toFixed(1)} MiB`);
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || Number.isNaN(a) || Number.isNaN(b) || b === 0 ? '-' : (a / b).toFixed(a / b < 0.1 ? 3 : 2);

interface Row {
  readonly metric: string;
  readonly ours: number | undefined;
  readonly theirs: number | undefined;
  readonly format: (value: number | undefined) => string;
  /** An absolute target for our figure (a maximum), if the metric has one. */
  readonly target?: number;
  /** Whether lower-is-better against the peer is part of the targets (latency rows). */
  readonly versusPeer: boolean;
}

function rows(result: { ours?: ServerResult; theirs?: ServerResult }, typicalLines: number): Row[] {
  const { ours: a, theirs: b } = result;
  const list: Row[] = [];
  for (const [key, title] of [
    ['typical', `typical ${typicalLines} lines`],
    ['corpus', 'corpus-sized'],
    ['generated', `generated ${generatedLines} lines`],
  ] as const) {
    const typical = key !== 'generated';
    list.push(
      { metric: `${title}: diagnostics median`, ours: a?.[key].diagnostics.median, theirs: b?.[key].diagnostics.median, format: ms, versusPeer: true },
      {
        metric: `${title}: diagnostics p99`,
        ours: a?.[key].diagnostics.p99,
        theirs: b?.[key].diagnostics.p99,
        format: ms,
        ...(typical ? { target: targets.typicalDiagnosticsP99Ms } : {}),
        versusPeer: true,
      },
      { metric: `${title}: completion median`, ours: a?.[key].completion.median, theirs: b?.[key].completion.median, format: ms, versusPeer: true },
      { metric: `${title}: completion p99`, ours: a?.[key].completion.p99, theirs: b?.[key].completion.p99, format: ms, target: targets.completionP99Ms, versusPeer: true },
      { metric: `${title}: hover median`, ours: a?.[key].hover.median, theirs: b?.[key].hover.median, format: ms, versusPeer: true },
      { metric: `${title}: hover p99`, ours: a?.[key].hover.p99, theirs: b?.[key].hover.p99, format: ms, versusPeer: true },
    );
  }
  list.push(
    { metric: `cold start median (${coldStarts} spawns)`, ours: a?.coldStart.median, theirs: b?.coldStart.median, format: ms, target: targets.coldStartMs, versusPeer: true },
    { metric: '  of which spawn → initialize answered', ours: a?.coldStartInitialize.median, theirs: b?.coldStartInitialize.median, format: ms, versusPeer: false },
    { metric: 'memory: RSS after the runs', ours: a?.memory.rssBytes, theirs: b?.memory.rssBytes, format: mib, versusPeer: false },
    { metric: 'memory: V8 heap used after the runs', ours: a?.memory.heapUsedBytes, theirs: b?.memory.heapUsedBytes, format: mib, versusPeer: false },
  );
  return list;
}

function verdict(row: Row): { text: string; misses: string[] } {
  const misses: string[] = [];
  const parts: string[] = [];
  if (row.ours === undefined || Number.isNaN(row.ours)) {
    return { text: '', misses };
  }
  if (row.target !== undefined) {
    const ok = row.ours <= row.target;
    parts.push(`≤ ${row.target} ms ${ok ? 'ok' : 'MISS'}`);
    if (!ok) {
      misses.push(`${row.metric}: ${row.format(row.ours)} > target ${row.target} ms`);
    }
  }
  if (row.versusPeer && row.theirs !== undefined && !Number.isNaN(row.theirs)) {
    const ok = row.ours < row.theirs;
    parts.push(ok ? 'faster than peer' : 'MISS: not faster than peer');
    if (!ok) {
      misses.push(`${row.metric}: ${row.format(row.ours)} vs yaml-language-server ${row.format(row.theirs)}`);
    }
  }
  return { text: parts.join(', '), misses };
}

function table(header: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}

function severityCounts(counts: Record<string, number>): string {
  const names: Record<string, string> = { '1': 'errors', '2': 'warnings', '3': 'infos', '4': 'hints' };
  const parts = Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([severity, count]) => `${count} ${names[severity] ?? `severity ${severity}`}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const onlyIndex = process.argv.indexOf('--only');
  const onlyServer = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
  // Either option leaves out everything but the language servers.
  const only = onlyServer ?? (process.argv.includes('--lsp-only') ? 'lsp' : undefined);
  const started = performance.now();
  const cpuList = cpus();
  const machine = {
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memory: `${Math.round(totalmem() / 1024 / 1024 / 1024)} GiB`,
    node: process.version,
    platform: `${platform()} ${arch()}`,
  };
  const corpus = loadCorpus(root);
  if (corpus.documents.length === 0) {
    process.stderr.write('bench: no corpus specs and no test/fixtures samples: nothing to measure on\n');
    return 1;
  }
  const generated: BenchDocument = { name: `generated-${generatedLines}-lines.yaml`, text: generateSpec(generatedLines), label: 'generated' };
  const typical: BenchDocument = { name: 'typical-gpu-service.yaml', text: readFileSync(typicalSpecPath, 'utf8'), label: 'typical' };

  const wanted = [ours, peer].filter((command) => !onlyServer || command.label === onlyServer);
  if (wanted.includes(ours) && !existsSync(ourServer)) {
    process.stderr.write(`bench: ${ourServer} is missing: run \`npm run build\` (npm run bench does)\n`);
    return 1;
  }
  const results: { ours?: ServerResult; theirs?: ServerResult } = {};
  const peerFacts: string[] = [];
  let failure: string | undefined;
  try {
    for (const command of wanted) {
      const result = await measureServer(command, corpus.documents, generated, typical);
      if (command === ours) {
        results.ours = result;
      } else {
        results.theirs = result;
      }
    }
    if (wanted.includes(peer)) {
      const debounce = peerDebounceMs();
      peerFacts.push(
        `schema given through the \`yaml.schemas\` setting (answered in workspace/configuration); the \`# yaml-language-server: $schema=\` modeline is ${(await peerHonoursModeline()) ? 'honoured too (checked)' : 'NOT honoured (checked)'}; schema store disabled (offline)`,
        debounce !== undefined
          ? `it debounces validation by ${debounce} ms (validationDelayMs, fixed in 1.x): its diagnostics and cold-start figures are what a user waits for and include that ${debounce} ms; without it its diagnostics median would be ~${ms((results.theirs?.corpus.diagnostics.median ?? Number.NaN) - debounce)} (corpus) / ~${ms((results.theirs?.generated.diagnostics.median ?? Number.NaN) - debounce)} (generated)`
          : 'its validation debounce could not be read from its code',
      );
    }
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  // The extension in a real extension host (code-server): activation time and the VSIX size.
  let extension: ActivationReport | undefined;
  let extensionFailure: string | undefined;
  if (!only && !process.argv.includes('--no-extension')) {
    try {
      extension = await measureActivation({ runs: 3 });
    } catch (error) {
      extensionFailure = error instanceof Error ? error.message : String(error);
    }
  }

  // Log following: lines merged and formatted per second, and the longest time the event loop was held.
  let logs: Awaited<ReturnType<typeof measureLogThroughput>> | undefined;
  if (!only) {
    logs = await measureLogThroughput();
  }

  // The sidebar's big levels: SHOW SERVICES through the real driver against the emulator, then present().
  let trees: TreeRenderReport | undefined;
  if (!only) {
    process.stderr.write('bench: tree render (1,000 services in a schema, 200 in a pool) …\n');
    try {
      trees = await measureTreeRender();
    } catch (error) {
      failure = failure ?? `tree render measurement failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  // Account-aware completion (a loaded catalog) in the language service, and the catalog read itself.
  let accountCompletion: AccountCompletionFigures | undefined;
  let catalogRefresh: CatalogRefreshReport | undefined;
  if (!only) {
    process.stderr.write('bench: completion with an account catalog (1,000 images, 200 stages), catalog refresh …\n');
    try {
      accountCompletion = measureAccountCompletion();
      catalogRefresh = await measureCatalogRefresh();
    } catch (error) {
      failure = failure ?? `account measurement failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  // Monitoring: the metrics panel from query to first paint in its webview, shaping, the events list.
  let monitoring: MetricsPanelReport | undefined;
  if (!only) {
    process.stderr.write('bench: metrics panel (a day of 10-second metrics, 4 instances × 3 containers) and 10,000 events …\n');
    try {
      monitoring = await measureMetricsPanel();
    } catch (error) {
      failure = failure ?? `metrics panel measurement failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  const report: string[] = [];
  report.push('SPCS language server benchmark');
  report.push(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory}, node ${machine.node}, ${machine.platform}`);
  report.push(`servers: spcs ${packageVersion(root)} (${ourServer}) vs yaml-language-server ${packageVersion(peerPackage)}, both over LSP stdio, spawned with node`);
  report.push(`corpus-sized: ${corpus.source}`);
  report.push(`generated: ${lineCount(generated.text)}-line spec from bench/generateSpec.ts (20 containers, 100 endpoints, 20 volumes, service roles)`);
  report.push(
    `typical: ${lineCount(typical.text)}-line GPU service spec (bench/documents/typical-gpu-service.yaml), ${typicalEdits} edits (yaml-language-server: the first ${peerTypicalEdits} of them); cold start opens it`,
  );
  report.push(`work per class and server: ≥${samplesPerClass} one-digit edits (incremental didChange, waiting for each publishDiagnostics), ≥${samplesPerClass} completions and ≥${samplesPerClass} hovers at container keys, protocol values, memory values and volumeMount names`);
  for (const fact of peerFacts) {
    report.push(`yaml-language-server: ${fact}`);
  }
  report.push('');
  const allMisses: string[] = [];
  const body = rows(results, lineCount(typical.text)).map((row) => {
    const { text, misses } = verdict(row);
    allMisses.push(...misses);
    return [row.metric, row.format(row.ours), row.format(row.theirs), ratio(row.ours, row.theirs), text];
  });
  report.push(table(['metric', 'spcs', 'yaml-language-server', 'ours/theirs', 'target'], body));
  report.push('');
  for (const result of [results.ours, results.theirs]) {
    if (!result) {
      continue;
    }
    report.push(
      `${result.label}: diagnostics on open: typical ${severityCounts(result.typical.diagnosticsOnOpen)}; corpus ${severityCounts(result.corpus.diagnosticsOnOpen)}; generated ${severityCounts(result.generated.diagnosticsOnOpen)}; ` +
        `completions with items ${(result.corpus.completionWithItems * 100).toFixed(0)}% / ${(result.generated.completionWithItems * 100).toFixed(0)}%, ` +
        `hovers with content ${(result.corpus.hoverWithContent * 100).toFixed(0)}% / ${(result.generated.hoverWithContent * 100).toFixed(0)}% (corpus / generated); ` +
        `samples (typical+corpus+generated): ${result.typical.diagnostics.n}+${result.corpus.diagnostics.n}+${result.generated.diagnostics.n} edits, ` +
        `${result.typical.completion.n}+${result.corpus.completion.n}+${result.generated.completion.n} completions, ${result.typical.hover.n}+${result.corpus.hover.n}+${result.generated.hover.n} hovers`,
    );
    for (const note of result.notes) {
      report.push(`${result.label}: ${note}`);
    }
    if (result.strayPublishes > 0) {
      const duplicates = result.duplicatePublishes > 0 ? `, ${result.duplicatePublishes} of them a second publish of a version already published (e.g. twice on didOpen)` : '';
      report.push(`${result.label}: ${result.strayPublishes} publishDiagnostics arrived with no change waiting for them${duplicates}`);
    }
    if (result.loggedErrors.length > 0) {
      report.push(`${result.label}: logged ${result.loggedErrors.length} error(s), first: ${result.loggedErrors[0]?.split('\n')[0] ?? ''}`);
    }
  }
  report.push('');
  if (extension) {
    const { activation, vsix } = extension;
    const activationMet = activation.activationMs <= activation.targetMs;
    const sizeMet = vsix.bytes <= vsix.targetBytes;
    report.push(
      table(
        ['extension (real extension host, median of 3)', 'value', 'target'],
        [
          ['activation (bundle loading + activate())', `${activation.activationMs} ms`, `≤ ${activation.targetMs} ms ${activationMet ? 'ok' : 'MISSED'}`],
          ['  of which loading extension.js', `${activation.codeLoadingMs} ms`, ''],
          ['first diagnostics after opening a spec', `${activation.firstDiagnosticsMs} ms`, ''],
          ['snowflake-sdk loaded at activation', activation.snowflakeLoaded ? 'yes' : 'no', `no ${activation.snowflakeLoaded ? 'MISSED' : 'ok'}`],
          ['VSIX size', `${(vsix.bytes / 1024).toFixed(0)} KB (${vsix.files} files)`, `≤ ${(vsix.targetBytes / 1024 / 1024).toFixed(0)} MB ${sizeMet ? 'ok' : 'MISSED'}`],
        ],
      ),
    );
    if (!activationMet) {
      allMisses.push(`activation ${activation.activationMs} ms > ${activation.targetMs} ms`);
    }
    if (!sizeMet) {
      allMisses.push(`VSIX ${vsix.bytes} bytes > ${vsix.targetBytes}`);
    }
    if (activation.snowflakeLoaded) {
      allMisses.push('snowflake-sdk is loaded at activation');
    }
    report.push('');
  } else if (extensionFailure) {
    failure = failure ?? `extension host measurement failed: ${extensionFailure}`;
  }
  if (logs) {
    const met = logs.linesPerSecond >= logThroughputTargetLinesPerSecond;
    const blockMet = logs.maxBlockMs <= logMaxBlockTargetMs;
    const target = logThroughputTargetLinesPerSecond.toLocaleString('en-US');
    report.push(
      table(
        ['log following (200,000 lines, 8 containers)', 'value', 'target'],
        [
          ['lines merged and shown per second', `${Math.round(logs.linesPerSecond).toLocaleString('en-US')}`, `≥ ${target} ${met ? 'ok' : 'MISSED'}`],
          ['longest event-loop block while following', `${logs.maxBlockMs.toFixed(1)} ms`, `≤ ${logMaxBlockTargetMs} ms (no long task) ${blockMet ? 'ok' : 'MISSED'}`],
          ['event-loop delay p99 / max (monitorEventLoopDelay)', `${logs.eventLoopDelayP99Ms.toFixed(1)} / ${logs.eventLoopDelayMaxMs.toFixed(1)} ms`, ''],
        ],
      ),
    );
    report.push('');
    if (!met) {
      allMisses.push(`log following ${Math.round(logs.linesPerSecond)} lines/s < ${target}`);
    }
    if (!blockMet) {
      allMisses.push(`log following held the event loop for ${logs.maxBlockMs.toFixed(1)} ms > ${logMaxBlockTargetMs} ms`);
    }
  }
  if (trees) {
    const figure = (summary: { median: number; p95: number }) => `${ms(summary.median)} / ${ms(summary.p95)}`;
    const level = (title: string, figures: LevelFigures, target?: number): string[][] => {
      const met = target === undefined || figures.total.p95 <= target;
      if (!met) {
        allMisses.push(`${title}: end to end p95 ${ms(figures.total.p95)} > ${target} ms`);
      }
      return [
        [`${title}: query (SHOW SERVICES → ${figures.nodes.toLocaleString('en-US')} nodes)`, figure(figures.query), ''],
        [`${title}: presentation (present() per node)`, figure(figures.presentation), ''],
        [`${title}: end to end`, figure(figures.total), target === undefined ? '' : `≤ ${target} ms (p95) ${met ? 'ok' : 'MISSED'}`],
      ];
    };
    report.push(
      table(
        [`sidebar tree levels (real driver, local emulator, ${trees.runs} runs)`, 'median / p95', 'target'],
        [
          ...level('schema with 1,000 services', trees.schema, trees.targetMs),
          ...level('pool with 200 services', trees.pool),
          ['first listing (loads the driver and signs in)', ms(trees.firstListingMs), ''],
        ],
      ),
    );
    report.push('the emulator answers in this process: its own SQL work is inside the query figure (a real account adds its network latency instead)');
    report.push('');
  }
  if (accountCompletion) {
    const met = accountCompletion.completion.p99 <= accountCompletionTargetMs;
    if (!met) {
      allMisses.push(`completion with an account catalog: p99 ${ms(accountCompletion.completion.p99)} > ${accountCompletionTargetMs} ms`);
    }
    const rowsOfKinds = Object.entries(accountCompletion.byKind).map(([kind, summary]) => [`  at ${kind}`, `${ms(summary.median)} / ${ms(summary.p99)}`, '']);
    report.push(
      table(
        [`account-aware features (catalog: ${accountCompletion.images.toLocaleString('en-US')} images, ${accountCompletion.stages} stages)`, 'median / p99', 'target'],
        [
          ['completion (language service, after a one-character edit)', `${ms(accountCompletion.completion.median)} / ${ms(accountCompletion.completion.p99)}`, `≤ ${accountCompletionTargetMs} ms (p99) ${met ? 'ok' : 'MISSED'}`],
          ...rowsOfKinds,
          ['indexing the catalog notification', ms(accountCompletion.indexMs), ''],
          ...(catalogRefresh
            ? [
                [`catalog refresh against the emulator (real driver, ${catalogRefresh.runs} runs)`, `${ms(catalogRefresh.read.median)} / ${ms(catalogRefresh.read.p99)}`, 'reported'],
                ['  first read (loads the driver and signs in)', ms(catalogRefresh.firstReadMs), ''],
                [
                  '  contents of one read',
                  `${catalogRefresh.contents.pools} pools, ${catalogRefresh.contents.images} images, ${catalogRefresh.contents.stages} stages, ${catalogRefresh.contents.secrets} secrets, ${catalogRefresh.contents.grants} grants, ${catalogRefresh.contents.services} services (${catalogRefresh.contents.endpoints} endpoints), ${catalogRefresh.contents.gateways} gateways, ${catalogRefresh.contents.problems} problems`,
                  '',
                ],
              ]
            : []),
        ],
      ),
    );
    report.push('');
  }
  if (monitoring) {
    const firstMet = monitoring.firstPaint.median <= monitoring.firstPaintTargetMs;
    const blockMet = monitoring.shapingBlock.max <= monitoring.shapingBlockTargetMs;
    const eventsMet = monitoring.eventsListed.median <= monitoring.eventListTargetMs;
    if (!firstMet) allMisses.push(`metrics panel: query to first paint median ${ms(monitoring.firstPaint.median)} > ${monitoring.firstPaintTargetMs} ms`);
    if (!blockMet) allMisses.push(`metrics panel: shaping held the event loop for ${ms(monitoring.shapingBlock.max)} > ${monitoring.shapingBlockTargetMs} ms`);
    if (!eventsMet) allMisses.push(`events: 10,000 listed in ${ms(monitoring.eventsListed.median)} > ${monitoring.eventListTargetMs} ms (median)`);
    const figure = (summary: { median: number; p95: number }) => `${ms(summary.median)} / ${ms(summary.p95)}`;
    report.push(
      table(
        [`monitoring (real driver, emulator in its own process, headless Chromium, ${monitoring.runs} runs)`, 'median / p95', 'target'],
        [
          [`metrics panel, 1 day: query to first chart painted (${monitoring.charts} charts, ${monitoring.bucketSeconds / 60}-minute buckets)`, figure(monitoring.firstPaint), `≤ ${monitoring.firstPaintTargetMs} ms (median) ${firstMet ? 'ok' : 'MISSED'}`],
          ['  of which the plan (DESCRIBE SERVICE: the metric groups)', figure(monitoring.planned), ''],
          ['  of which the first chart: query, driver, shaping', figure(monitoring.firstChartRead), ''],
          [`metrics panel: every chart painted (${monitoring.rowsPerLoad.toLocaleString('en-US')} rows)`, figure(monitoring.allPainted), ''],
          ['event-loop block while shaping one chart (max)', `${ms(monitoring.shapingBlock.median)} / ${ms(monitoring.shapingBlock.p95)} (max ${ms(monitoring.shapingBlock.max)})`, `≤ ${monitoring.shapingBlockTargetMs} ms ${blockMet ? 'ok' : 'MISSED'}`],
          ['longest event-loop block of a whole load (driver parsing included)', figure(monitoring.loadBlock), 'reported'],
          [`${monitoring.eventCount.toLocaleString('en-US')} events listed (rows → items with spec links)`, figure(monitoring.eventsListed), `≤ ${monitoring.eventListTargetMs} ms (median) ${eventsMet ? 'ok' : 'MISSED'}`],
        ],
      ),
    );
    report.push(`workload: ${monitoring.workload}`);
    report.push('');
  }
  report.push(allMisses.length > 0 ? `Targets missed (${allMisses.length}):\n  ${allMisses.join('\n  ')}` : 'All targets met.');
  if (failure) {
    report.push('');
    report.push(`BROKEN: ${failure}`);
  }
  report.push(`(bench took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  process.stdout.write(`${report.join('\n')}\n`);

  const output = join(root, '.bench', 'results.json');
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(
    output,
    `${JSON.stringify({ date: new Date().toISOString(), machine, targets, corpus: corpus.source, results, extension, logs, trees, monitoring, peerFacts, misses: allMisses, failure }, null, 2)}\n`,
  );
  process.stdout.write(`results: ${output}\n`);
  return failure ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
