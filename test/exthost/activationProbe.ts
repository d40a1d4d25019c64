/**
 * The activation probe: runs inside the real extension host (as an extension-test payload, compiled to
 * out/test/exthost/index.js) with the packaged extension under development and nothing opened yet.
 * It opens a spec, which activates the extension (`onLanguage`), and reads what the extension host
 * itself recorded about that activation from its performance marks
 * (`code/extHost/{will,did}{LoadExtensionCode,ActivateExtension}/<id>`, the figures VS Code's Running
 * Extensions view shows), plus the time until the language server's first diagnostics for the spec and
 * every module `require`d while the extension loaded and activated. Writes them as JSON to
 * `SPCS_ACTIVATION_RESULTS`.
 *
 * The Snowflake check: a driver outside the bundle shows up as a `require` of `snowflake-sdk` or in
 * `require.cache`. A driver inside the bundle (esbuild turns `import('snowflake-sdk')` into a deferred
 * call) is only visible indirectly: its evaluation requires Node modules such as `http2` or `zlib`
 * that activation otherwise does not, and adds its ~0.5 s to `activateMs`.
 */

import { writeFileSync } from 'node:fs';
import Module from 'node:module';
import * as vscode from 'vscode';

const extensionId = 'vscode-spcs.vscode-spcs';

export interface ActivationSample {
  /** Whether the extension was already active before the probe opened a spec (it must not be). */
  readonly activeBefore: boolean;
  /** Loading the extension's bundle (`require`). */
  readonly codeLoadingMs: number;
  /** `activate()` from call to its promise settling. */
  readonly activateMs: number;
  /** What the extension costs: loading plus `activate()` (the figure the 50 ms target is about). */
  readonly activationMs: number;
  /**
   * From the start of loading to the end of `activate()`: also includes the host preparing the
   * extension context (storage) in parallel with loading, which the extension does not control.
   */
  readonly totalMs: number;
  /** From opening the spec to the first diagnostics the language server publishes for it. */
  readonly firstDiagnosticsMs: number;
  /** Modules whose path mentions snowflake that are loaded in the extension host (should be none). */
  readonly snowflakeModules: readonly string[];
  /** Every module name `require`d (outside the bundle) while the extension loaded and activated. */
  readonly requiredDuringActivation: readonly string[];
}

interface PerformanceMarks {
  getMarks(): { name: string; startTime: number }[];
}

function markTime(name: string): number {
  const marks = (globalThis as { MonacoPerformanceMarks?: PerformanceMarks }).MonacoPerformanceMarks?.getMarks() ?? [];
  const mark = marks.find((candidate) => candidate.name === name);
  if (!mark) {
    throw new Error(`the extension host recorded no performance mark ${name}`);
  }
  return mark.startTime;
}

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension(extensionId);
  if (!extension) {
    throw new Error(`${extensionId} is not loaded in this extension host`);
  }
  const activeBefore = extension.isActive;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) {
    throw new Error('the probe needs a workspace folder with vllm-gpu.spcs.yaml');
  }
  const uri = vscode.Uri.joinPath(folder, 'vllm-gpu.spcs.yaml');
  // Record what activation requires. `_load` is Node's internal entry of every `require` (VS Code
  // itself wraps it to provide `vscode`); the original is put back right after activation.
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const originalLoad = loader._load;
  const required = new Set<string>();
  loader._load = function recordingLoad(this: unknown, request: string, ...rest: unknown[]) {
    required.add(request);
    return originalLoad.call(this, request, ...rest);
  };
  const started = performance.now();
  const firstDiagnostics = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no diagnostics within 30 s')), 30_000);
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(performance.now() - started);
      }
    });
  });
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  try {
    // The document's language activated the extension; this waits for that activation to finish.
    await extension.activate();
  } finally {
    loader._load = originalLoad;
  }
  const firstDiagnosticsMs = await firstDiagnostics;

  const willLoad = markTime(`code/extHost/willLoadExtensionCode/${extensionId}`);
  const didLoad = markTime(`code/extHost/didLoadExtensionCode/${extensionId}`);
  const willActivate = markTime(`code/extHost/willActivateExtension/${extensionId}`);
  const didActivate = markTime(`code/extHost/didActivateExtension/${extensionId}`);
  const sample: ActivationSample = {
    activeBefore,
    codeLoadingMs: didLoad - willLoad,
    activateMs: didActivate - willActivate,
    activationMs: didLoad - willLoad + (didActivate - willActivate),
    totalMs: didActivate - willLoad,
    firstDiagnosticsMs: Math.round(firstDiagnosticsMs),
    snowflakeModules: [...Object.keys(require.cache), ...required].filter((name) => /snowflake/i.test(name)),
    requiredDuringActivation: [...required].sort(),
  };
  const resultsPath = process.env.SPCS_ACTIVATION_RESULTS;
  if (resultsPath) {
    writeFileSync(resultsPath, JSON.stringify(sample));
  }
  console.log(`spcs-activation: ${JSON.stringify(sample)}`);
}
