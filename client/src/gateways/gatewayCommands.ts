/**
 * The gateway commands and the code lens above a gateway spec's `spec:`:
 * - `spcs.deployGateway(uri?, { connection?, name?, confirm? })`: CREATE GATEWAY when there is none,
 *   else ALTER GATEWAY … FROM SPECIFICATION after showing the diff (never drop and re-create: the
 *   ingress URL would change). `name` is `db.schema.name` as SQL writes it; without it the file's
 *   remembered gateway is used (the lens names it), else the name is asked, pre-filled with one made
 *   of the file name and the first target's schema (`ask: true` asks again). `confirm: true` skips
 *   the modal question (the diff still opens).
 * - `spcs.shiftGatewayTraffic(node?, { from?, to?, step?, confirm? })`: moves `step` percentage points
 *   between two targets (indexes, or the targets' values) of the deployed spec, showing the diff of
 *   the weights before sending ALTER GATEWAY.
 * - `spcs.dropGateway(node?, { confirmName? })`: DROP GATEWAY after the gateway's name is typed.
 * - `spcs.openGatewayUrl(node)`, `spcs.copyGatewayUrl(node)`: the ingress URL.
 *
 * Owns: the dialogs and remembering each file's gateway target (workspace state). The decisions are
 * in `gatewayPlan.ts`. Every command resolves to its outcome (for tests and scripts).
 */

import * as vscode from 'vscode';
import { parseEndpointReference } from '../../../server/src/service';
import { isGatewaySpecFileName, looksLikeGatewaySpec } from '../../../server/src/service/specDetection';
import { confirmationMatches } from '../lifecycle/lifecycleRules';
import { gatewayName } from '../listings/accountData';
import type { CommandTable, GatewayCommandId } from '../model/commandIds';
import type { FeatureContext } from '../model/featureContext';
import type { GatewayRef } from '../model/nodes';
import * as sql from '../snowflake/sql';
import { defaultServiceName } from '../specs/deployChoices';
import { planGatewayDeploy, planShift, weightedTargets } from './gatewayPlan';
import { gatewayGone, GatewayTools } from './gatewayTargets';

export interface GatewayFeatures extends vscode.Disposable {
  readonly commands: CommandTable<GatewayCommandId>;
  /** "Deploy Gateway" above a gateway spec's `spec:`. */
  readonly codeLens: vscode.CodeLensProvider;
  /** The gateway each spec file was deployed as (for the language server's account checks, via features.ts). */
  readonly targets: {
    isGatewaySpec(document: vscode.TextDocument): boolean;
    get(uri: string): { readonly connection: string; readonly database: string; readonly schema: string; readonly name: string } | undefined;
    readonly onDidChange: vscode.Event<string>;
  };
}

/** What a deploy remembers per gateway spec file. */
interface RememberedGatewayTarget {
  readonly connection: string;
  readonly name: string;
}

const deployableSchemes: ReadonlySet<string> = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

function targetKey(uri: string): string {
  return `spcs.gateway.target/${uri}`;
}

/** Whether a document is a gateway spec (by its name or its text): the lens and the deploy ask this. */
export function isGatewayDocument(document: vscode.TextDocument): boolean {
  return isGatewaySpecFileName(document.uri.path) || looksLikeGatewaySpec(document.getText());
}

export function createGatewayFeatures(context: FeatureContext): GatewayFeatures {
  const tools = new GatewayTools(context);
  const lensesChanged = new vscode.EventEmitter<void>();
  const targetsChanged = new vscode.EventEmitter<string>();
  const state = context.extension.workspaceState;
  const remembered = (uri: string): RememberedGatewayTarget | undefined => {
    const value = state.get<unknown>(targetKey(uri));
    if (typeof value !== 'object' || value === null) return undefined;
    const record = value as Record<string, unknown>;
    return typeof record['connection'] === 'string' && typeof record['name'] === 'string' ? { connection: record['connection'], name: record['name'] } : undefined;
  };

  const deploy = async (uriArg: unknown, optionsArg: unknown): Promise<'created' | 'altered' | undefined> => {
    const options = record(optionsArg);
    const document = await openDocument(uriArg instanceof vscode.Uri ? uriArg : undefined);
    if (!document) return undefined;
    if (!isGatewayDocument(document)) {
      void vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(document.uri)} is not a gateway spec (spec: with type: traffic_split or shadow_traffic).`);
      return undefined;
    }
    if (document.isDirty && !document.isUntitled && !(await document.save())) {
      void vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(document.uri)} could not be saved, so it was not deployed.`);
      return undefined;
    }
    const uri = document.uri.toString();
    const text = document.getText();
    const before = remembered(uri);
    const connection = stringOption(options, 'connection') ?? before?.connection ?? (await context.connections.pick({ title: 'Deploy Gateway' }));
    if (connection === undefined) return undefined;
    // The remembered gateway is used as it is (the lens names it); `ask: true` asks again, pre-filled.
    const nameText = stringOption(options, 'name') ?? (options['ask'] !== true ? before?.name : undefined) ?? (await askName(document, text, before?.name));
    if (nameText === undefined) return undefined;
    const qualified = qualifiedGatewayName(nameText);
    if (qualified === undefined) {
      void vscode.window.showErrorMessage(`"${nameText}" is not a gateway name: write it as database.schema.name.`);
      return undefined;
    }
    const gateway: GatewayRef = { connection, database: qualified.database, schema: qualified.schema, name: qualified.name };
    const shown = sql.objectName(qualified);
    await state.update(targetKey(uri), { connection, name: nameText } satisfies RememberedGatewayTarget);
    lensesChanged.fire();
    targetsChanged.fire(uri);

    const existing = await tools.describe(gateway);
    if (!existing.ok) {
      await tools.showGatewayFailure(`read gateway ${shown}`, existing.error, gateway);
      return undefined;
    }
    const plan = planGatewayDeploy({ specText: text, specUri: uri, name: qualified, existing: existing.value });
    if (!plan.ok) {
      void vscode.window.showErrorMessage(`Gateway ${shown} was not deployed: ${plan.message}`);
      return undefined;
    }
    if (plan.action === 'alter') {
      if (plan.diff) await tools.showDiff(qualified.name, plan.diff, 'local');
      if (options['confirm'] !== true) {
        const choice = await vscode.window.showWarningMessage(`Alter gateway ${shown}?`, { modal: true, detail: [plan.summary, ...plan.warnings].join('\n\n') }, 'Alter Gateway');
        if (choice !== 'Alter Gateway') return undefined;
      }
    }
    const result = await tools.run(connection, plan.sql, `${plan.action === 'create' ? 'Creating' : 'Altering'} gateway ${shown}…`);
    if (!result.ok) {
      await tools.showGatewayFailure(`${plan.action} gateway ${shown}`, result.error, gateway);
      return undefined;
    }
    tools.changed(connection);
    const done = plan.action === 'create' ? `Created gateway ${shown}: its ingress URL is provisioned in a minute or two (Copy Gateway URL in the Services view).` : `Altered gateway ${shown}: ${plan.summary}`;
    context.log.info(done);
    void vscode.window.showInformationMessage(done);
    return plan.action === 'create' ? 'created' : 'altered';
  };

  const shift = async (arg: unknown, optionsArg: unknown): Promise<readonly number[] | undefined> => {
    const options = record(optionsArg);
    const gateway = await tools.resolveGateway(arg, 'Shift Traffic');
    if (!gateway) return undefined;
    const shown = sql.objectName(gatewayName(gateway));
    const described = await tools.describe(gateway);
    if (!described.ok || described.value === undefined) {
      await tools.showGatewayFailure(`read gateway ${shown}`, described.ok ? gatewayGone(gateway) : described.error, gateway);
      return undefined;
    }
    const deployed = described.value.spec ?? '';
    const listed = weightedTargets(deployed);
    if (!listed.ok) {
      void vscode.window.showWarningMessage(`Cannot shift the traffic of ${shown}: ${listed.message}`);
      return undefined;
    }
    const targets = listed.targets;
    const indexOf = (value: unknown): number | undefined => {
      if (typeof value === 'number' && targets[value]) return value;
      if (typeof value === 'string') {
        const index = targets.findIndex((target) => target.value === value || sameEndpoint(target.value, value));
        return index < 0 ? undefined : index;
      }
      return undefined;
    };
    const pickTarget = async (placeHolder: string, exclude?: number): Promise<number | undefined> => {
      const picked = await vscode.window.showQuickPick(
        targets.filter((target) => target.index !== exclude).map((target) => ({ label: target.value, description: `${target.weight}%`, index: target.index })),
        { title: `Shift Traffic: ${shown}`, placeHolder, ignoreFocusOut: true },
      );
      return picked?.index;
    };
    const from = indexOf(options['from']) ?? (await pickTarget('Move traffic away from…'));
    if (from === undefined) return undefined;
    const to = indexOf(options['to']) ?? (targets.length === 2 ? (from === 0 ? 1 : 0) : await pickTarget('…to', from));
    if (to === undefined) return undefined;
    let step = typeof options['step'] === 'number' ? options['step'] : undefined;
    if (step === undefined) {
      const steps = [10, 5, 25, 50, 100].filter((amount) => amount <= (targets[from]?.weight ?? 0) || amount === 10);
      const picked = await vscode.window.showQuickPick(
        steps.map((amount) => ({ label: `${amount}%`, description: amount === 100 ? 'everything' : undefined, amount })),
        { title: `Shift Traffic: ${shown}`, placeHolder: `How much of the traffic moves from ${targets[from]?.value ?? ''} to ${targets[to]?.value ?? ''}?`, ignoreFocusOut: true },
      );
      if (!picked) return undefined;
      step = picked.amount;
    }
    const plan = planShift(gatewayName(gateway), deployed, from, to, step);
    if (!plan.ok) {
      void vscode.window.showWarningMessage(`Cannot shift the traffic of ${shown}: ${plan.message}`);
      return undefined;
    }
    await tools.showDiff(gateway.name, plan.diff, 'shifted');
    if (options['confirm'] !== true) {
      const weights = targets.map((target, index) => `${target.value}: ${target.weight}% → ${plan.after[index] ?? target.weight}%`).join('\n');
      const choice = await vscode.window.showWarningMessage(`Shift ${plan.moved}% of the traffic of ${shown}?`, { modal: true, detail: `${plan.summary}\n\n${weights}\n\nALTER GATEWAY keeps its ingress URL.` }, 'Shift Traffic');
      if (choice !== 'Shift Traffic') return undefined;
    }
    const result = await tools.run(gateway.connection, plan.sql, `Shifting the traffic of ${shown}…`);
    if (!result.ok) {
      await tools.showGatewayFailure(`shift the traffic of ${shown}`, result.error, gateway);
      return undefined;
    }
    tools.changed(gateway.connection);
    void vscode.window.showInformationMessage(plan.summary.replace(/^Move/, 'Moved'));
    return plan.after;
  };

  const drop = async (arg: unknown, optionsArg: unknown): Promise<boolean> => {
    const options = record(optionsArg);
    const gateway = await tools.resolveGateway(arg, 'Drop Gateway');
    if (!gateway) return false;
    const shown = sql.objectName(gatewayName(gateway));
    const given = stringOption(options, 'confirmName');
    if (given !== undefined) {
      if (!confirmationMatches(given, gateway.name)) {
        void vscode.window.showErrorMessage(`Did not drop gateway ${shown}: the confirmation "${given}" does not name it.`);
        return false;
      }
    } else {
      const typed = await vscode.window.showInputBox({
        title: `Drop gateway ${shown}`,
        prompt: `This deletes the gateway and its ingress URL (a new gateway gets a new URL); the services behind it keep running. It cannot be undone. Type ${gateway.name} to confirm.`,
        placeHolder: gateway.name,
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() === '' || confirmationMatches(value, gateway.name) ? undefined : `Type ${gateway.name} exactly to drop it.`),
      });
      if (typed === undefined || !confirmationMatches(typed, gateway.name)) return false;
    }
    const result = await tools.run(gateway.connection, sql.dropGateway(gatewayName(gateway)), `Dropping gateway ${shown}…`);
    if (!result.ok) {
      await tools.showGatewayFailure(`drop gateway ${shown}`, result.error, gateway);
      return false;
    }
    tools.changed(gateway.connection);
    void vscode.window.showInformationMessage(`Dropped gateway ${shown}.`);
    return true;
  };

  const url = async (arg: unknown, action: 'open' | 'copy'): Promise<string | undefined> => {
    const gateway = await tools.resolveGateway(arg, action === 'open' ? 'Open Gateway URL' : 'Copy Gateway URL');
    if (!gateway) return undefined;
    let ingress = gateway.node?.ingressUrl;
    if (ingress === undefined) {
      const described = await tools.describe(gateway);
      if (!described.ok) {
        await tools.showGatewayFailure(`read gateway ${gateway.name}`, described.error, gateway);
        return undefined;
      }
      const text = described.value?.ingressUrl?.trim() ?? '';
      if (text === '' || /\s/.test(text)) {
        void vscode.window.showInformationMessage(`Gateway ${gateway.name} has no URL yet: ${text === '' ? 'Snowflake is still provisioning it' : text}. Refresh it in a few minutes.`);
        return undefined;
      }
      ingress = /^https?:\/\//i.test(text) ? text : `https://${text}`;
    }
    if (action === 'open') {
      if (!(await vscode.env.openExternal(vscode.Uri.parse(ingress, true)))) void vscode.window.showWarningMessage(`Could not open ${ingress} in the browser.`);
    } else {
      await vscode.env.clipboard.writeText(ingress);
      void vscode.window.showInformationMessage(`Copied ${ingress}`);
    }
    return ingress;
  };

  const codeLens: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: lensesChanged.event,
    provideCodeLenses: (document) => {
      if (!deployableSchemes.has(document.uri.scheme) || !isGatewayDocument(document)) return [];
      const line = document.getText().split(/\r?\n/).findIndex((text) => /^spec\s*:/.test(text));
      if (line < 0) return [];
      const target = remembered(document.uri.toString());
      const range = new vscode.Range(line, 0, line, 0);
      return [
        new vscode.CodeLens(range, {
          title: target ? `$(cloud-upload) Deploy Gateway as ${target.name}` : '$(cloud-upload) Deploy Gateway',
          command: 'spcs.deployGateway',
          arguments: [document.uri],
          tooltip: 'CREATE GATEWAY, or ALTER GATEWAY … FROM SPECIFICATION after showing the diff (the ingress URL stays the same)',
        }),
      ];
    },
  };

  return {
    commands: {
      'spcs.deployGateway': (uri, options) => deploy(uri, options),
      'spcs.shiftGatewayTraffic': (arg, options) => shift(arg, options),
      'spcs.dropGateway': (arg, options) => drop(arg, options),
      'spcs.openGatewayUrl': (arg) => url(arg, 'open'),
      'spcs.copyGatewayUrl': (arg) => url(arg, 'copy'),
    },
    codeLens,
    targets: {
      isGatewaySpec: isGatewayDocument,
      get: (uri) => {
        const target = remembered(uri);
        const qualified = target === undefined ? undefined : qualifiedGatewayName(target.name);
        return target && qualified ? { connection: target.connection, database: qualified.database, schema: qualified.schema, name: qualified.name } : undefined;
      },
      onDidChange: targetsChanged.event,
    },
    dispose: () => {
      lensesChanged.dispose();
      targetsChanged.dispose();
      tools.dispose();
    },
  };

  async function askName(document: vscode.TextDocument, text: string, rememberedName: string | undefined): Promise<string | undefined> {
    const typed = await vscode.window.showInputBox({
      title: 'Deploy Gateway',
      prompt: 'The gateway to create or alter, as database.schema.name (the schema needs CREATE GATEWAY for a new one).',
      value: rememberedName ?? suggestedName(document.uri.toString(), text),
      ignoreFocusOut: true,
      validateInput: (value) => (qualifiedGatewayName(value) === undefined ? 'Write the gateway as database.schema.name.' : undefined),
    });
    return typed?.trim();
  }
}

/** `DB.SCHEMA.NAME`: the first target's database and schema (a gateway usually sits beside its services) and a name made of the file name. */
export function suggestedName(uri: string, text: string): string {
  const name = defaultServiceName(uri);
  const value = /^\s*value\s*:\s*["']?([^"'\s#]+)/m.exec(text)?.[1];
  const reference = value === undefined ? undefined : parseEndpointReference(value);
  if (!reference) return name;
  const part = (text: string, quoted: boolean): string => (quoted ? sql.quoteIdentifier(text) : text.toUpperCase());
  return `${part(reference.database, reference.quoted[0])}.${part(reference.schema, reference.quoted[1])}.${name}`;
}

/** `db.schema.name` read as SQL reads it, or undefined when it is not fully qualified. */
export function qualifiedGatewayName(text: string): (sql.QualifiedName & { readonly database: string; readonly schema: string }) | undefined {
  try {
    const name = sql.parseQualifiedName(text.trim());
    return name.database === undefined || name.schema === undefined || name.name === '' ? undefined : { database: name.database, schema: name.schema, name: name.name };
  } catch {
    return undefined;
  }
}

function sameEndpoint(a: string, b: string): boolean {
  const left = parseEndpointReference(a);
  const right = parseEndpointReference(b);
  return left !== undefined && right !== undefined && [left.database, left.schema, left.service, left.endpoint].join('.').toUpperCase() === [right.database, right.schema, right.service, right.endpoint].join('.').toUpperCase();
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri) && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function stringOption(options: Record<string, unknown>, key: string): string | undefined {
  const value = options[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

async function openDocument(uri: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  if (uri) return vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
  const document = vscode.window.activeTextEditor?.document;
  if (!document) void vscode.window.showWarningMessage('Open a gateway spec (a *.gateway.yaml file) to deploy it.');
  return document;
}
