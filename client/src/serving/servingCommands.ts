/**
 * The serving commands:
 * - `spcs.serveModel(answers?)`: "Serve a Model…", the guided run from a pool to the endpoint URL and
 *   the service function; its run is kept in the workspace state after every step, so a run that
 *   stopped (cancel, failure, closed window) resumes where it stopped and says so.
 * - `spcs.newServiceSpec(node?, answers?)`: the spec, Dockerfile and snowflake.yml of a template
 *   sized to a chosen pool's family, written into a folder.
 * - `spcs.buildAndPushImage(target?, options?)`: see imageRegistry/buildPushCommand.ts.
 *
 * `answers` (automation) answers the questions instead of asking (`serveAnswers.ts`). The deploy step
 * deploys with the deploy room's own dependencies (`flowDeps`, wired by features.ts).
 *
 * Owns: the VS Code side of these flows (the run's store, the spec checks, the container CLI lookup).
 * Must not: decide anything (serveModel, newServiceSpec and their steps do).
 */

import * as vscode from 'vscode';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseSpecDocument, specLanguageId, validateSpec } from '../../../server/src/service';
import type { DeployOutcome, FlowDeps, SpecInput } from '../deploy/flowContract';
import { buildAndPushImage } from '../imageRegistry/buildPushCommand';
import { terminalShell, whichOnPath } from '../imageRegistry/imageRegistryCommands';
import type { CommandTable, ServingCommandId } from '../model/commandIds';
import type { FeatureContext } from '../model/featureContext';
import { isNode } from '../model/nodes';
import { newServiceSpec, type NewSpecOutcome } from './newServiceSpec';
import { serveAnswersOf } from './serveAnswers';
import { serveModel } from './serveModel';
import type { ServeDeps, ServeOutcome, ServeStore } from './serveUi';
import { serveStatusItem, vscodeServeUi } from './vscodeServeUi';

/** Where the run of "Serve a Model…" is kept (workspace state: a run belongs to its workspace). */
const runStateKey = 'spcs.serveModel.run';

export interface ServingFeatureOptions {
  /** The deploy room's flow dependencies (features.ts wires them). */
  readonly flowDeps: () => FlowDeps;
  /** Told about each deploy's outcome, as the deploy command tells its listeners (drift). */
  readonly afterDeploy?: (spec: SpecInput, outcome: DeployOutcome) => Promise<void>;
}

export interface ServingFeatures extends vscode.Disposable {
  readonly commands: CommandTable<ServingCommandId>;
}

export function createServingFeatures(context: FeatureContext, options: ServingFeatureOptions): ServingFeatures {
  const status = serveStatusItem();
  const store: ServeStore = {
    get: () => context.extension.workspaceState.get(runStateKey),
    set: (run) => Promise.resolve(context.extension.workspaceState.update(runStateKey, run === undefined ? undefined : JSON.parse(JSON.stringify(run)))),
  };
  const deps = (answersArgument: unknown): ServeDeps => {
    const answers = serveAnswersOf(answersArgument);
    return {
      deploy: options.flowDeps(),
      ui: vscodeServeUi(context, status, answers),
      store,
      diagnose: (uri, text) => validateSpec(parseSpecDocument(TextDocument.create(uri, specLanguageId, 1, text))),
      which: whichOnPath,
      shell: terminalShell(),
      ...(options.afterDeploy ? { afterDeploy: options.afterDeploy } : {}),
    };
  };
  return {
    commands: {
      'spcs.serveModel': (arg): Promise<ServeOutcome> => {
        const answers = serveAnswersOf(arg);
        return serveModel(deps(arg), { ...(answers.connection !== undefined ? { connection: answers.connection } : {}), ...(answers.restart ? { restart: true } : {}) });
      },
      'spcs.newServiceSpec': async (arg, second): Promise<NewSpecOutcome> => {
        const answersArgument = isNode(arg) ? second : arg;
        const answers = serveAnswersOf(answersArgument);
        const connection = isNode(arg) && 'connection' in arg && typeof arg.connection === 'string' ? arg.connection : answers.connection;
        const outcome = await newServiceSpec(deps(answersArgument), connection === undefined ? {} : { connection });
        if (outcome.state === 'written') void vscode.window.showInformationMessage(outcome.message);
        else if (outcome.reason === 'failed') void vscode.window.showErrorMessage(outcome.message);
        else context.log.info(`New Service Spec: ${outcome.message}`);
        return outcome;
      },
      'spcs.buildAndPushImage': (target, second) => buildAndPushImage(context, target, second),
    },
    dispose: () => status.dispose(),
  };
}
