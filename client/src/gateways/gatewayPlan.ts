/**
 * What a gateway command will do, decided before anything is sent: deploy a gateway spec (CREATE
 * GATEWAY when there is none, ALTER GATEWAY … FROM SPECIFICATION with the diff when there is one,
 * never drop and re-create: the ingress host would change), "Shift Traffic…" (move weight between
 * two targets of the deployed spec, written into its text by the language service's `shiftWeight` /
 * `weightEdits`, so the ALTER sends the deployed spec with only the weights changed), and the words
 * of a failure (the missing privilege with its GRANT, the endpoint that does not exist).
 *
 * Pure: text and rows in, plans out. Must not: import `vscode`, send anything, or re-implement the
 * language service's reading of a gateway spec.
 */

import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseSpecDocument, readGatewaySpec, shiftWeight, specLanguageId, validateGatewaySpec, weightEdits, type GatewaySpecModel } from '../../../server/src/service';
import { looksLikeGatewaySpec } from '../../../server/src/service/specDetection';
import type { GatewayRow } from '../listings/rows';
import type { SnowflakeError } from '../snowflake/errors';
import * as sql from '../snowflake/sql';
import { specsEquivalent, upgradeDiff, type SpecDiff } from '../specs/specDiff';

export type GatewayPlan =
  | { readonly ok: false; readonly message: string }
  | {
      readonly ok: true;
      readonly action: 'create' | 'alter';
      readonly sql: string;
      readonly diff?: SpecDiff;
      readonly warnings: readonly string[];
      /** One sentence for the confirmation. */
      readonly summary: string;
    };

export interface GatewayDeployInput {
  readonly specText: string;
  readonly specUri: string;
  readonly name: sql.QualifiedName;
  /** DESCRIBE GATEWAY of the target, undefined when there is none. */
  readonly existing: GatewayRow | undefined;
}

function parseGateway(text: string, uri: string) {
  return parseSpecDocument(TextDocument.create(uri, specLanguageId, 1, text));
}

export function planGatewayDeploy(input: GatewayDeployInput): GatewayPlan {
  const shown = sql.objectName(input.name);
  const doc = parseGateway(input.specText, input.specUri);
  const model = readGatewaySpec(doc);
  if (model.type === undefined && !looksLikeGatewaySpec(input.specText)) {
    return { ok: false, message: `This is not a gateway specification: it needs a top-level spec with type: traffic_split (or shadow_traffic) and its targets.` };
  }
  const errors = validateGatewaySpec(doc).filter((diagnostic) => diagnostic.severity === 1);
  if (errors.length > 0) {
    const first = errors[0];
    const where = first ? ` (line ${first.range.start.line + 1}: ${first.message})` : '';
    return { ok: false, message: `The gateway spec has ${errors.length} error${errors.length === 1 ? '' : 's'}${where}. Fix ${errors.length === 1 ? 'it' : 'them'} (see Problems), then deploy again.` };
  }
  const warnings: string[] = [];
  if (input.existing === undefined) {
    return { ok: true, action: 'create', sql: sql.createGateway(input.name, input.specText), warnings, summary: `Create gateway ${shown} routing to ${targetsText(model)}.` };
  }
  let diff: SpecDiff | undefined;
  if (input.existing.spec !== undefined && input.existing.spec !== '') {
    const changed = !specsEquivalent(input.existing.spec, input.specText);
    diff = { ...upgradeDiff(input.existing.spec, input.specText), changed };
    if (!changed) warnings.push(`The local spec says the same as the deployed one: ALTER GATEWAY changes nothing.`);
  } else {
    warnings.push(`DESCRIBE GATEWAY did not show the deployed spec of ${shown}, so no diff can be shown.`);
  }
  return {
    ok: true,
    action: 'alter',
    sql: sql.alterGatewaySpec(input.name, input.specText),
    ...(diff === undefined ? {} : { diff }),
    warnings,
    summary: `Alter gateway ${shown} to route to ${targetsText(model)} (its ingress URL stays the same).`,
  };
}

function targetsText(model: GatewaySpecModel): string {
  const parts = model.endpoints.map((endpoint) => `${endpoint.value ?? '(templated)'}${endpoint.role === 'target' ? (endpoint.weight === undefined ? '' : ` ${endpoint.weight}%`) : ` (${endpoint.role})`}`);
  return parts.length === 0 ? 'no endpoints' : parts.join(', ');
}

// ---------------------------------------------------------------------------------------------------
// Shift Traffic…

export interface WeightedTarget {
  readonly index: number;
  readonly value: string;
  readonly weight: number;
}

/** The targets of a deployed traffic split with their weights, or why traffic cannot be shifted. */
export function weightedTargets(deployedSpec: string): { ok: true; targets: WeightedTarget[] } | { ok: false; message: string } {
  const model = readGatewaySpec(parseGateway(deployedSpec, 'spcs-gateway:/deployed.gateway.yaml'));
  if (model.type !== 'traffic_split') {
    return { ok: false, message: `Only a traffic split has weights to shift; this gateway is ${model.type ?? 'of an unknown type'}.` };
  }
  const targets: WeightedTarget[] = [];
  for (const [index, endpoint] of model.endpoints.entries()) {
    if (endpoint.role !== 'target' || endpoint.value === undefined || endpoint.weight === undefined) {
      return { ok: false, message: `Target ${index + 1} of the deployed spec has no plain value and weight, so its weight cannot be shifted.` };
    }
    targets.push({ index, value: endpoint.value, weight: endpoint.weight });
  }
  if (targets.length < 2) {
    return { ok: false, message: `The gateway has ${targets.length} target${targets.length === 1 ? '' : 's'}: traffic shifts between two. Deploy a spec with a second target first.` };
  }
  return { ok: true, targets };
}

export type ShiftPlan =
  | { readonly ok: false; readonly message: string }
  | {
      readonly ok: true;
      /** The deployed spec with only the two weights changed. */
      readonly spec: string;
      readonly before: readonly number[];
      readonly after: readonly number[];
      readonly moved: number;
      readonly diff: SpecDiff;
      readonly sql: string;
      readonly summary: string;
    };

/**
 * One step of "Shift Traffic…": `step` percentage points (at most what `from` has and `to` can take)
 * from target `from` to target `to` (indexes into the targets), as the ALTER GATEWAY that sends the
 * deployed spec with the new weights.
 */
export function planShift(name: sql.QualifiedName, deployedSpec: string, from: number, to: number, step: number): ShiftPlan {
  const listed = weightedTargets(deployedSpec);
  if (!listed.ok) return listed;
  const { targets } = listed;
  const source = targets[from];
  const target = targets[to];
  if (!source || !target || from === to) return { ok: false, message: 'Choose two different targets of the gateway.' };
  if (!Number.isInteger(step) || step < 1 || step > 100) return { ok: false, message: `The step must be a whole number of percentage points from 1 to 100, not ${step}.` };
  const before = targets.map((item) => item.weight);
  const after = shiftWeight(before, from, to, step);
  const moved = (after[to] ?? 0) - (before[to] ?? 0);
  if (moved === 0) {
    return { ok: false, message: source.weight === 0 ? `${source.value} has no traffic left to move (weight 0).` : `${target.value} already takes all the traffic (weight 100).` };
  }
  const doc = parseGateway(deployedSpec, 'spcs-gateway:/deployed.gateway.yaml');
  const model = readGatewaySpec(doc);
  const edits = weightEdits(doc, model.endpoints, after);
  if (!edits) return { ok: false, message: 'The weights of the deployed spec cannot be rewritten in place.' };
  const spec = TextDocument.applyEdits(doc.textDocument, edits);
  const shown = sql.objectName(name);
  return {
    ok: true,
    spec,
    before,
    after,
    moved,
    diff: { ...upgradeDiff(deployedSpec, spec), changed: true },
    sql: sql.alterGatewaySpec(name, spec),
    summary: `Move ${moved}% of the traffic of gateway ${shown} from ${source.value} (${source.weight}% → ${after[from] ?? 0}%) to ${target.value} (${target.weight}% → ${after[to] ?? 0}%).`,
  };
}

// ---------------------------------------------------------------------------------------------------
// Failures

/**
 * A failed gateway statement in words that name the cause, and the GRANTs that would fix a missing
 * privilege (CREATE GATEWAY on the schema, BIND SERVICE ENDPOINT on the account, a service role for
 * an endpoint's USAGE), for the role the connection runs as.
 */
export function gatewayFailure(action: string, error: SnowflakeError, context: { readonly name: sql.QualifiedName; readonly role?: string }): { message: string; grants: string[] } {
  const text = `${error.message} ${error.detail ?? ''}`;
  const role = context.role ?? '<role>';
  const grants: string[] = [];
  if (error.kind === 'privilege') {
    if (/BIND SERVICE ENDPOINT/i.test(text)) grants.push(sql.grantPrivilege('BIND SERVICE ENDPOINT', { type: 'ACCOUNT' }, role));
    const serviceRole = /GRANT SERVICE ROLE [^\s]+ TO ROLE [^\s.]+/i.exec(text);
    if (serviceRole) grants.push(serviceRole[0]);
    if (grants.length === 0 && /\bschema\b/i.test(text) && context.name.database !== undefined && context.name.schema !== undefined) {
      grants.push(sql.grantPrivilege('CREATE GATEWAY', { type: 'SCHEMA', name: { database: context.name.database, name: context.name.schema } }, role));
    }
    const grantText = grants.length > 0 ? ` Run as an administrator: ${grants.join('; ')}.` : '';
    return { message: `Could not ${action}: the role ${context.role ?? 'in use'} lacks a privilege. ${error.message}${grantText}`, grants };
  }
  if (error.kind === 'notFound') {
    const endpoint = /Endpoint '?([^']+?)'? does not exist/i.exec(text);
    const service = /Service '?([^']+?)'? does not exist/i.exec(text);
    if (endpoint) return { message: `Could not ${action}: the endpoint ${endpoint[1]} does not exist. Check the target's value (db.schema.service!endpoint) against SHOW ENDPOINTS IN SERVICE, or deploy the service first.`, grants };
    if (service) return { message: `Could not ${action}: the service ${service[1]} a target names does not exist (or the role cannot see it). Deploy it first, or fix the target's value.`, grants };
  }
  return { message: `Could not ${action}. ${error.message}`, grants };
}
