/**
 * Activation time in the real extension host, and the VSIX size: the figures `npm run bench` reports
 * for what users install (targets: activation ≤ 50 ms, no Snowflake driver at activation, VSIX ≤ 8 MB).
 *
 * Packages the extension (`npm run package`), unpacks the VSIX, and runs `activationProbe.ts` in
 * code-server's Node extension host `runs` times (a fresh server and extension host each time), with
 * the unpacked VSIX as the extension under development, so exactly the shipped bundle is measured.
 *
 * `node --import tsx test/exthost/activationBench.ts [--runs N]` prints the JSON of
 * `ActivationReport`; `measureActivation()` returns it (for bench/bench.ts).
 */

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileActivationProbe, exthostProbeOut, repositoryRoot } from '../../scripts/workbench/compileTests';
import { runExtensionHostPayload } from '../../scripts/workbench/extensionHost';
import { codeServerVersion, ensureWorkbenchTools } from '../../scripts/workbench/tools';
import { extractVsixExtension, listVsix, vsixPath, vsixSize } from '../../scripts/workbench/vsix';
import type { ActivationSample } from './activationProbe';

export interface ActivationReport {
  readonly host: string;
  readonly vsix: { readonly file: string; readonly bytes: number; readonly files: number; readonly targetBytes: number };
  readonly activation: {
    readonly runs: readonly ActivationSample[];
    /** Medians over the runs. */
    readonly codeLoadingMs: number;
    readonly activateMs: number;
    readonly activationMs: number;
    readonly totalMs: number;
    readonly firstDiagnosticsMs: number;
    readonly targetMs: number;
    readonly snowflakeLoaded: boolean;
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export async function measureActivation(options: { runs?: number; log?: (line: string) => void } = {}): Promise<ActivationReport> {
  const runs = options.runs ?? 3;
  const log = options.log ?? (() => undefined);
  const tools = await ensureWorkbenchTools(log);
  const packaged = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repositoryRoot, stdio: ['ignore', 'ignore', 'inherit'], timeout: 180_000 });
  if (packaged.status !== 0) {
    throw new Error(`npm run package failed (${packaged.error?.message ?? `exit code ${packaged.status}`})`);
  }
  const vsix = vsixPath(repositoryRoot);
  await compileActivationProbe();
  const temp = mkdtempSync(path.join(os.tmpdir(), 'vscode-spcs-activation-'));
  try {
    const extensionPath = path.join(temp, 'extension');
    extractVsixExtension(vsix, extensionPath);
    const workspace = path.join(temp, 'workspace');
    mkdirSync(workspace);
    cpSync(path.join(repositoryRoot, 'samples', 'vllm-gpu.spcs.yaml'), path.join(workspace, 'vllm-gpu.spcs.yaml'));
    const samples: ActivationSample[] = [];
    for (let index = 0; index < runs; index++) {
      const resultsPath = path.join(temp, `activation-${index}.json`);
      const outcome = await runExtensionHostPayload(tools, {
        extensionPath,
        testsPath: exthostProbeOut,
        workspace,
        env: { SPCS_ACTIVATION_RESULTS: resultsPath },
        settings: { 'workbench.startupEditor': 'none' },
        timeoutMs: 120_000,
        artefactsDir: path.join(repositoryRoot, '.test-results', 'activation'),
        log,
      });
      if (outcome.exitCode !== 0 || !existsSync(resultsPath)) {
        throw new Error(`activation probe run ${index + 1} failed (exit code ${outcome.exitCode ?? 'none: timed out'}):\n${outcome.serverOutput.slice(-3_000)}`);
      }
      const sample = JSON.parse(readFileSync(resultsPath, 'utf8')) as ActivationSample;
      log(`activation run ${index + 1}/${runs}: ${JSON.stringify(sample)}`);
      samples.push(sample);
    }
    return {
      host: `code-server ${codeServerVersion} (VS Code 1.100.3), Node extension host, Node ${process.versions.node}`,
      vsix: { file: path.basename(vsix), bytes: vsixSize(vsix), files: listVsix(vsix).length, targetBytes: 8 * 1024 * 1024 },
      activation: {
        runs: samples,
        codeLoadingMs: median(samples.map((sample) => sample.codeLoadingMs)),
        activateMs: median(samples.map((sample) => sample.activateMs)),
        activationMs: median(samples.map((sample) => sample.activationMs)),
        totalMs: median(samples.map((sample) => sample.totalMs)),
        firstDiagnosticsMs: median(samples.map((sample) => sample.firstDiagnosticsMs)),
        targetMs: 50,
        snowflakeLoaded: samples.some((sample) => sample.snowflakeModules.length > 0),
      },
    };
  } finally {
    rmSync(temp, { recursive: true, force: true });
    // Packaging left a production build in dist/; put the development build back.
    spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repositoryRoot, stdio: 'ignore', timeout: 60_000 });
  }
}

if (require.main === module) {
  const runsFlag = process.argv.indexOf('--runs');
  const runs = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : undefined;
  measureActivation({ runs, log: (line) => console.error(line) })
    .then((report) => console.log(JSON.stringify(report, null, 2)))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
