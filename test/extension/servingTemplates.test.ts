/**
 * Every serving template through "New Service Spec…" in a real extension host, against the emulator:
 * written for a pool of a CPU family and of a GPU family, the spec the command writes gets no
 * diagnostic from the language server the editor runs (its account checks included: the pool, the
 * stage, the image and the secret exist), and it deploys with "Deploy Service" (a job runs with "Run
 * as Job") to READY (DONE). The whole family table is covered offline and against the emulator's
 * catalog by test/client/servingTemplates.test.ts; this proves the editor path.
 */

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { servingTemplates } from '../../client/src/serving/templateCatalog';
import { waitFor, workspaceFolder } from './helpers';
import { developerConnection, startTestAccount, type TestAccount } from './testAccount';

interface Outcome {
  readonly state: string;
  readonly message: string;
  readonly specUri?: string;
  readonly readiness?: { readonly state: string };
  readonly outcome?: { readonly state: string };
}

/** Where each template runs: the CPU ones on DEMO_CPU_POOL (CPU_X64_S), GPU ones on DEMO_GPU_POOL (GPU_NV_M), the job on both. */
const runs: readonly (readonly [string, string])[] = [
  ['vllm', 'DEMO_GPU_POOL'],
  ['tgi', 'DEMO_GPU_POOL'],
  ['tei', 'DEMO_GPU_POOL'],
  ['fastapi', 'DEMO_CPU_POOL'],
  ['streamlit', 'DEMO_CPU_POOL'],
  ['batchJob', 'DEMO_CPU_POOL'],
  ['batchJob', 'DEMO_GPU_POOL'],
];

describe('serving templates: New Service Spec, checked by the language server, deployed', function () {
  this.timeout(300_000);
  let test: TestAccount | undefined;

  before(async function () {
    this.timeout(60_000);
    test = await startTestAccount({ twoConnections: false, speed: 200 });
    for (const template of servingTemplates) test.account.control.pushImage('ML_DB.SERVING.IMAGES', template.imageName, template.defaultTag);
    await vscode.commands.executeCommand('spcs.refreshServices');
    // The account checks read the catalog once: read it again now that the images are pushed.
    await vscode.commands.executeCommand('spcs.refreshAccountCatalog', developerConnection);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await test?.stop();
  });

  for (const [id, pool] of runs) {
    it(`${id} on ${pool}: no diagnostics, and it ${id === 'batchJob' ? 'runs to DONE' : 'deploys to READY'}`, async () => {
      const template = servingTemplates.find((each) => each.id === id);
      assert.ok(template);
      const name = `T_${id}_${pool}`.toUpperCase();
      const written = await vscode.commands.executeCommand<Outcome>('spcs.newServiceSpec', {
        connection: developerConnection,
        pool,
        template: id,
        templateChoice: {
          serviceName: name,
          ...(template.servesModel ? { weights: { kind: 'stage', stage: '@ML_DB.SERVING.MODEL_WEIGHTS', path: 'llama-3.1-8b-instruct' }, huggingFaceTokenSecret: 'ML_DB.SERVING.HF_TOKEN' } : {}),
        },
        repository: 'ML_DB.SERVING.IMAGES',
        folder: path.join(workspaceFolder().fsPath, 'templates', name.toLowerCase()),
      });
      assert.equal(written.state, 'written', written.message);
      const uri = vscode.Uri.parse(written.specUri ?? '');
      const document = await vscode.workspace.openTextDocument(uri);
      assert.equal(document.languageId, 'spcs-spec');
      // The command opened the spec, so its first check may be over: a comment line at the end makes
      // the language server check it again, and this waits for that publication (subscribed before the edit).
      let published = false;
      const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
        published ||= event.uris.some((changed) => changed.toString() === uri.toString());
      });
      let diagnostics: readonly vscode.Diagnostic[];
      try {
        const edit = new vscode.WorkspaceEdit();
        edit.insert(uri, document.positionAt(document.getText().length), '# checked by the extension-host test\n');
        assert.ok(await vscode.workspace.applyEdit(edit));
        diagnostics = await waitFor(
          `the language server's check of ${name}`,
          () => (published ? vscode.languages.getDiagnostics(uri) : undefined),
          [vscode.languages.onDidChangeDiagnostics],
          () => 'nothing was published for it',
        );
      } finally {
        subscription.dispose();
      }
      assert.deepEqual(
        diagnostics.map((each) => `${String(typeof each.code === 'object' ? each.code.value : each.code)}: ${each.message}`),
        [],
      );
      if (template.kind === 'job') {
        const ran = await vscode.commands.executeCommand<Outcome>('spcs.executeJob', uri, { connection: developerConnection, pool, jobName: name, async: true, replicas: 1 });
        assert.equal(ran.state, 'ran', ran.message);
        assert.equal(ran.outcome?.state, 'done', ran.message);
      } else {
        const deployed = await vscode.commands.executeCommand<Outcome>('spcs.deploy', uri, {
          connection: developerConnection,
          pool,
          serviceName: name,
          minInstances: 1,
          maxInstances: 1,
          autoResume: true,
          externalAccessIntegrations: [],
          templateValues: {},
        });
        assert.equal(deployed.state, 'deployed', deployed.message);
        assert.equal(deployed.readiness?.state, 'ready', deployed.message);
      }
    });
  }
});
