/**
 * The extension-host test entry: VS Code requires this module (compiled to out/test/extension/index.js)
 * inside its extension host and calls `run()`; the returned promise settles the run.
 *
 * The same entry serves both hosts: @vscode/test-electron (desktop VS Code, `npm run test:vscode`) and
 * code-server's Node extension host driven from the browser (`npm run test:exthost`). It runs every
 * compiled `*.test.js` beside it with mocha, prints each result through the console as one line
 * starting with `reportPrefix` (the runners forward those lines and drop the workbench's other logs),
 * and, when `SPCS_TEST_RESULTS` names a file, keeps the results there as JSON for the runner's summary
 * (written after every test, so a run that times out still says how far it got). `SPCS_TEST_GREP`
 * selects tests by name.
 *
 * A root hook first waits (up to a minute) for the language server to check a spec: if the server
 * does not start, the run fails at once with that reason instead of every test timing out.
 */

import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { extensionId, fixtureUri, openChecked } from './helpers';
import { reportPrefix, type ResultsFile, type TestResult } from './results';

export function run(): Promise<void> {
  // The spec reporter's printf-style console calls arrive garbled through the workbench's log; this
  // run prints its own one-string lines instead.
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: Mocha.reporters.Base });
  const report = (line: string) => console.log(`${reportPrefix}${line}`);
  const grep = process.env.SPCS_TEST_GREP;
  if (grep) {
    mocha.grep(grep);
  }
  for (const file of readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  mocha.rootHooks({
    beforeAll: [
      async function languageServerAnswers(this: Mocha.Context) {
        this.timeout(90_000);
        const extension = vscode.extensions.getExtension(extensionId);
        if (!extension) {
          throw new Error(`${extensionId} is not loaded in this extension host`);
        }
        const checked = openChecked('ready.spcs.yaml', 60_000);
        // The spec's language activates the extension; an activation that fails (say, the server
        // cannot start) fails the run here and now.
        const activated = vscode.workspace.openTextDocument(fixtureUri('ready.spcs.yaml')).then(() => extension.activate());
        await Promise.all([checked, activated]);
      },
    ],
  });
  const results: TestResult[] = [];
  const save = () => {
    const passed = results.filter((result) => result.state === 'passed').length;
    const summary: ResultsFile = { passed, failed: results.length - passed, tests: results };
    const resultsPath = process.env.SPCS_TEST_RESULTS;
    if (resultsPath) {
      writeFileSync(resultsPath, JSON.stringify(summary, null, 2));
    }
    return summary;
  };
  save();
  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const { passed } = save();
        if (failures > 0 || passed === 0) {
          reject(new Error(`${failures} of ${results.length} extension-host tests failed`));
        } else {
          resolve();
        }
      });
      runner.on('suite', (suite) => suite.title && report(suite.titlePath().join(' › ')));
      runner.on('pass', (test) => {
        results.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 });
        save();
        report(`  ✔ ${test.title} (${test.duration ?? 0} ms)`);
      });
      runner.on('fail', (test, error: unknown) => {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        results.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, error: message });
        save();
        report(`  ✖ ${test.title}: ${message.split('\n')[0] ?? ''}`);
      });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
