/**
 * The account tools of issue 6, wired to their commands:
 * - `spcs.compareWithDeployed` (driftCommands.ts): diff of a deployed service's spec with the local
 *   file it was deployed from; the Services tree marks drifted services (views.ts installs the
 *   decorator of driftCommands.ts) and deploys record "deployed from file X" (deployCommands.ts);
 * - `spcs.checkPrivileges` (preflightCommand.ts): the grants a deploy of the active spec needs and
 *   lacks, as a GRANT script; the same check runs inside every deploy (deployFlow.ts);
 * - `spcs.createServiceFunction` (serviceFunctionCommand.ts): CREATE FUNCTION … SERVICE … ENDPOINT
 *   from the language server's code action on an HTTP endpoint, an endpoint node, or the palette;
 * - `spcs.copyRegistryLogin`, `spcs.pushImage` (imageRegistryCommands.ts).
 *
 * Each command also takes an options object for automation; the modules' headers and the README
 * ("Drift, privileges, service functions and images") document them.
 *
 * Owns: the lifetime of what these modules register. Must not: hold account state of its own.
 */

import type * as vscode from 'vscode';
import type { FeatureContext } from '../model/featureContext';
import type { AccountToolCommandId, CommandTable } from '../model/commandIds';
import { createDriftFeatures } from '../drift/driftCommands';
import { copyRegistryLogin, pushImage } from '../imageRegistry/imageRegistryCommands';
import { checkPrivileges } from '../privileges/preflightCommand';
import { createServiceFunctionCommand } from '../serviceFunctions/serviceFunctionCommand';

export interface AccountTools extends vscode.Disposable {
  readonly commands: CommandTable<AccountToolCommandId>;
}

export function createAccountTools(context: FeatureContext): AccountTools {
  const drift = createDriftFeatures(context);
  return {
    commands: {
      'spcs.compareWithDeployed': (target?: unknown) => drift.compare(target),
      'spcs.checkPrivileges': (...args: unknown[]) => checkPrivileges(context, args),
      'spcs.createServiceFunction': (...args: unknown[]) => createServiceFunctionCommand(context, args),
      'spcs.copyRegistryLogin': (target?: unknown) => copyRegistryLogin(context, target),
      'spcs.pushImage': (...args: unknown[]) => pushImage(context, args),
    },
    dispose: () => {
      drift.dispose();
    },
  };
}
