/**
 * What a deploy will do, decided before anything is sent: create or upgrade, the exact SQL, the diff
 * the user confirms for an upgrade, and every reason to refuse.
 *
 * Owns: the deploy rules of the reference: service names (unquoted identifiers that become DNS
 * labels, §4.5, Q11), template variables and their USING values (§1.13, Q08), block volumes needing
 * MIN_INSTANCES = MAX_INSTANCES (Q01), MAX ≥ MIN ≥ 1 (Q02/Q03), at most 10 integrations (Q07), jobs
 * that cannot be altered (Q12); the upgrade path (`ALTER SERVICE … FROM SPECIFICATION`, never DROP);
 * and `applyPlan`, which runs a plan's statements in order and always says how far it got, so that a
 * half-applied deploy is never silent.
 *
 * `planDeploy` and `planJob` are pure (text in, plan out); the SQL comes from `snowflake/sql.ts`.
 * The I/O helpers (`describeExistingService`, `applyPlan`) take the sessions as an argument.
 * Must not: import `vscode`, drop anything, or re-implement the language service (diagnostics come
 * from it; the spec is read with its document model).
 */

import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { isMap, isScalar, isSeq, parse, parseDocument, stringify } from 'yaml';
import { volumeKind } from '../../../server/src/service/rules/volumes';
import { parseSpecDocument, specLanguageId } from '../../../server/src/service/specDocument';
import { findPlaceholders } from '../../../server/src/service/templates';
import { validateSpec } from '../../../server/src/service/validate';
import type { SnowflakeError } from '../snowflake/errors';
import { ok, type Result } from '../snowflake/result';
import type { SnowflakeSessions } from '../snowflake/session';
import * as sql from '../snowflake/sql';
import type { DeployChoices, JobChoices } from './deployChoices';
import { doesNotFitMessage, type PoolFit } from './poolFit';

// ---------------------------------------------------------------------------------------------------
// Types

/** A service as DESCRIBE SERVICE shows it (what the plan compares against). */
export interface ExistingService {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
  readonly status: string;
  readonly isJob: boolean;
  readonly computePool: string;
  /** The deployed spec; DESCRIBE shows it only to the owner role, so it may be missing. */
  readonly spec?: string;
  readonly specDigest?: string;
  readonly minInstances?: number;
  readonly maxInstances?: number;
  readonly minReadyInstances?: number;
  readonly autoResume?: boolean;
  readonly externalAccessIntegrations?: readonly string[];
  readonly queryWarehouse?: string;
  readonly isUpgrading?: boolean;
  readonly dnsName?: string;
}

export type RefusalKind =
  | 'notASpec'
  | 'errors'
  | 'renderedErrors'
  | 'invalidName'
  | 'missingTemplateValues'
  | 'unsupportedTemplate'
  | 'blockVolumesNeedFixedInstances'
  | 'invalidInstances'
  | 'invalidChoices'
  | 'poolDoesNotFit'
  | 'existingJob'
  | 'existingService'
  | 'differentPool';

export interface Refusal {
  readonly kind: RefusalKind;
  /** What is wrong and what to do, in full sentences. */
  readonly message: string;
  /** `errors`: the error diagnostics of the spec ("Show Problems"); `renderedErrors`: of the rendered spec. */
  readonly diagnostics?: readonly Diagnostic[];
  /** `missingTemplateValues`: the variables to ask for. */
  readonly missing?: readonly string[];
  /** `renderedErrors`: the rendered spec the diagnostics refer to. */
  readonly renderedSpec?: string;
  /** `poolDoesNotFit`: the account's pools that the spec fits, to offer instead. */
  readonly fittingPools?: readonly string[];
}

/** The refusal of a pool the spec does not fit, naming the pools that fit (`poolFit.ts` words it). */
export function poolDoesNotFit(fit: PoolFit, fittingPools: readonly string[]): Refusal {
  return { kind: 'poolDoesNotFit', message: doesNotFitMessage(fit, fittingPools), fittingPools };
}

export interface DeployTarget {
  readonly database?: string;
  readonly schema?: string;
  /** The exact name (unquoted names folded to upper case). */
  readonly name: string;
  /** The service's DNS label (`_` → `-`, lower case). */
  readonly dnsName: string;
}

export interface SpecDiff {
  /**
   * The left side of the diff editor: DESCRIBE's spec as Snowflake keeps it, written like `local`
   * (see `upgradeDiff`).
   */
  readonly deployed: string;
  /** The right side: the local spec (rendered when it is a template) as Snowflake will keep it. */
  readonly local: string;
  /** Whether the two differ in content (ignoring formatting, comments and env values' quoting). */
  readonly changed: boolean;
}

export type DeployPlan =
  | { readonly ok: false; readonly refusal: Refusal }
  | {
      readonly ok: true;
      readonly action: 'create' | 'upgrade';
      readonly target: DeployTarget;
      /** Run in order with `applyPlan`. An upgrade sets changed properties first, then upgrades the spec. */
      readonly sql: readonly string[];
      /** Upgrades only, when DESCRIBE showed the deployed spec. */
      readonly diff?: SpecDiff;
      /** The spec as Snowflake will see it (templates rendered with their values). */
      readonly renderedSpec: string;
      /** Whether the spec is sent as SPECIFICATION_TEMPLATE with USING values. */
      readonly templated: boolean;
      readonly warnings: readonly string[];
      /** Whether to wait for readiness afterwards (not for a suspended service: it starts on resume). */
      readonly expectReady: boolean;
      /** One sentence for the confirmation, e.g. "Create service VLLM in DEMO_GPU_POOL (1 instance)." */
      readonly summary: string;
    };

export interface DeployInput {
  readonly specText: string;
  readonly specUri: string;
  /** The language service's diagnostics of `specText`. */
  readonly diagnostics: readonly Diagnostic[];
  readonly choices: DeployChoices;
  /** DESCRIBE SERVICE of the target, or undefined when it does not exist. */
  readonly existing: ExistingService | undefined;
  /** The fit of the spec on `choices.pool`; `no` refuses the deploy. */
  readonly poolFit?: PoolFit;
  /** The account's other pools that the spec fits, named by a `poolDoesNotFit` refusal. */
  readonly fittingPools?: readonly string[];
}

/** Capacity diagnostics depend on the family the editor assumed; the pool fit is the authority. */
const capacityCodes: ReadonlySet<string> = new Set(['spcs/gpu-exceeds-family', 'spcs/capacity-exceeded']);

// ---------------------------------------------------------------------------------------------------
// Names

export type NameCheck = { readonly ok: true; readonly name: string; readonly dnsName: string; readonly warning?: string } | { readonly ok: false; readonly message: string };

/**
 * A service (or job) name: an unquoted identifier of letters, digits and `_`, starting with a letter,
 * at most 63 characters, because Snowflake turns it into a DNS label (`_` → `-`). Also usable as a
 * VS Code InputBox `validateInput` (show `message` when not ok).
 */
export function validateServiceName(text: string, what = 'service'): NameCheck {
  const name = text.trim();
  if (name === '') {
    return { ok: false, message: `Enter a ${what} name.` };
  }
  if (name.startsWith('"')) {
    return { ok: false, message: `A ${what} name must be an unquoted identifier (Snowflake turns it into a DNS name); remove the quotes.` };
  }
  const bad = /[^A-Za-z0-9_]/.exec(name);
  if (bad) {
    const hint = bad[0] === '-' ? ` Use '_' instead (it becomes '-' in the DNS name), e.g. ${name.replace(/-/g, '_').toUpperCase()}.` : '';
    return { ok: false, message: `'${name}' contains '${bad[0]}': a ${what} name may contain only letters, digits and '_'.${hint}` };
  }
  if (!/^[A-Za-z]/.test(name)) {
    return { ok: false, message: `A ${what} name must start with a letter ('${name}' starts with '${name.charAt(0)}').` };
  }
  if (name.length > 63) {
    return { ok: false, message: `'${name}' is ${name.length} characters long; a ${what} name becomes a DNS label, which has at most 63.` };
  }
  const upper = name.toUpperCase();
  if (sql.quoteIdentifier(upper) !== upper) {
    return { ok: false, message: `'${name}' is a reserved word in Snowflake SQL and would need quotes; choose another ${what} name.` };
  }
  const dnsName = upper.toLowerCase().replace(/_/g, '-');
  if (name.endsWith('_')) {
    return { ok: true, name: upper, dnsName, warning: `'${name}' ends with '_', so its DNS name '${dnsName}' ends with '-', which DNS does not allow; Snowflake may reject it.` };
  }
  return { ok: true, name: upper, dnsName };
}

/** A database or schema of a service: an unquoted identifier (reference §4.5). */
function validateContainerName(text: string, what: 'database' | 'schema'): { ok: true; name: string } | { ok: false; message: string } {
  const name = text.trim();
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(name)) {
    return { ok: false, message: `The ${what} '${text}' is not an unquoted identifier; the database and schema of a service must be (letters, digits, '_' and '$', not starting with a digit).` };
  }
  const upper = name.toUpperCase();
  if (sql.quoteIdentifier(upper) !== upper) {
    return { ok: false, message: `The ${what} '${text}' is a reserved word and would need quotes, which a service's ${what} may not.` };
  }
  return { ok: true, name: upper };
}

/** The qualified name a deploy or job targets, or why the names cannot be used. */
export function serviceTarget(choices: Pick<DeployChoices, 'serviceName' | 'database' | 'schema'>, what = 'service'): { ok: true; target: DeployTarget; warnings: string[] } | { ok: false; refusal: Refusal } {
  const name = validateServiceName(choices.serviceName, what);
  if (!name.ok) {
    return { ok: false, refusal: { kind: 'invalidName', message: name.message } };
  }
  const target: { database?: string; schema?: string; name: string; dnsName: string } = { name: name.name, dnsName: name.dnsName };
  if (choices.database !== undefined && choices.database.trim() !== '') {
    const database = validateContainerName(choices.database, 'database');
    if (!database.ok) return { ok: false, refusal: { kind: 'invalidName', message: database.message } };
    target.database = database.name;
  }
  if (choices.schema !== undefined && choices.schema.trim() !== '') {
    const schema = validateContainerName(choices.schema, 'schema');
    if (!schema.ok) return { ok: false, refusal: { kind: 'invalidName', message: schema.message } };
    target.schema = schema.name;
  }
  if (target.database !== undefined && target.schema === undefined) {
    return { ok: false, refusal: { kind: 'invalidName', message: `A database (${target.database}) is chosen without a schema; choose the schema too, or neither to use the connection's current ones.` } };
  }
  return { ok: true, target, warnings: name.warning === undefined ? [] : [name.warning] };
}

/** The target as a `QualifiedName` for the SQL builders. */
export function targetObject(target: Pick<DeployTarget, 'database' | 'schema' | 'name'>): sql.QualifiedName {
  return { ...(target.database === undefined ? {} : { database: target.database }), ...(target.schema === undefined ? {} : { schema: target.schema }), name: target.name };
}

/** `DB.SCHEMA.NAME` (or just the parts given) as SQL writes it. */
export function targetText(target: DeployTarget): string {
  return sql.objectName(targetObject(target));
}

// ---------------------------------------------------------------------------------------------------
// Templates

export interface TemplateVariable {
  readonly name: string;
  /** The default as written in `| default(…)`, e.g. `'{}'` or `true`. */
  readonly defaultValue?: string;
}

export interface TemplateAnalysis {
  /** `{{ variables }}` Snowflake fills from USING, in order of first use. */
  readonly variables: readonly TemplateVariable[];
  /**
   * Placeholders Snowflake does not fill: `<% … %>`, `<<…>>`, `{% … %}`, `{# … #}`, and the other
   * dialects where they cannot be literal text (`&{ v }`, `{gpu}`, `${var.x}`, `__TAG__` outside
   * quotes). A shell `$HOME` or `${PORT}` is not one: commands and env values use them as they are.
   */
  readonly unsupported: readonly string[];
}

/** The spec's template variables (via the language service's `findPlaceholders`). Secret references are not variables. */
export function analyzeTemplate(specText: string): TemplateAnalysis {
  const variables = new Map<string, TemplateVariable>();
  const unsupported: string[] = [];
  for (const placeholder of findPlaceholders(specText)) {
    if (placeholder.kind === 'secretReference') continue;
    if (placeholder.kind === 'variable' && placeholder.text.startsWith('{{') && placeholder.name !== undefined) {
      const known = variables.get(placeholder.name);
      if (!known || (known.defaultValue === undefined && placeholder.defaultValue !== undefined)) {
        variables.set(placeholder.name, { name: placeholder.name, ...(placeholder.defaultValue === undefined ? {} : { defaultValue: placeholder.defaultValue }) });
      }
      continue;
    }
    if (placeholder.certain) unsupported.push(placeholder.text);
  }
  return { variables: [...variables.values()], unsupported };
}

/**
 * A USING value as reference §1.13 wants it: JSON text for a map, list or string is passed as it is;
 * any other non-blank string becomes a JSON string, so that `/`, `:` and number-like text (`1.0`, `007`) arrive
 * exactly as typed; numbers and booleans stay literals.
 */
export function usingValue(value: sql.TemplateValue): sql.TemplateValue {
  if (typeof value !== 'string') return value;
  // A blank value stays blank, so that `default(x, true)` still sees it as blank.
  return value.trim() === '' || isStructuredJson(value) ? value : JSON.stringify(value);
}

function isStructuredJson(value: string): boolean {
  const trimmed = value.trim();
  if (!/^["[{]/.test(trimmed)) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}

/** How Snowflake inserts a USING value: a JSON string as its text, a JSON map or list as JSON, anything else as written. */
function insertedText(value: sql.TemplateValue): string {
  if (typeof value !== 'string') return String(value);
  const trimmed = value.trim();
  if (trimmed === '') return value;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return typeof parsed === 'string' ? parsed : JSON.stringify(parsed);
  } catch {
    return value;
  }
}

/** A Jinja default literal: `'x'` / `"x"` give x, anything else is inserted as written. */
function defaultText(text: string): string {
  const trimmed = text.trim();
  return /^'.*'$|^".*"$/s.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}

/**
 * The spec with its `{{ variables }}` filled in the way Snowflake fills them from the USING values
 * this module sends (`usingValue`), for the diff and the checks.
 */
export function renderTemplate(specText: string, values: Readonly<Record<string, sql.TemplateValue>>): string {
  let result = '';
  let last = 0;
  for (const placeholder of findPlaceholders(specText)) {
    if (placeholder.kind !== 'variable' || !placeholder.text.startsWith('{{') || placeholder.name === undefined) continue;
    const given = values[placeholder.name];
    const value = given === undefined ? undefined : usingValue(given);
    const blankUsesDefault = /,\s*true\s*\)\s*\}\}$/.test(placeholder.text);
    const blank = value === undefined || (blankUsesDefault && typeof given === 'string' && given.trim() === '');
    let text: string | undefined;
    if (!blank) text = insertedText(value);
    else if (placeholder.defaultValue !== undefined) text = defaultText(placeholder.defaultValue);
    else if (value !== undefined) text = insertedText(value);
    if (text === undefined) continue;
    result += specText.slice(last, placeholder.start) + text;
    last = placeholder.end;
  }
  return result + specText.slice(last);
}

interface PreparedSpec {
  readonly source: sql.SpecSource;
  readonly rendered: string;
  readonly templated: boolean;
  readonly warnings: readonly string[];
}

/** Checks the template values and builds the spec source (inline, or template + USING). */
function prepareSpec(specText: string, values: Readonly<Record<string, sql.TemplateValue>>): { ok: true; spec: PreparedSpec } | { ok: false; refusal: Refusal } {
  const analysis = analyzeTemplate(specText);
  if (analysis.unsupported.length > 0) {
    const shown = [...new Set(analysis.unsupported)].slice(0, 3).join(', ');
    return {
      ok: false,
      refusal: {
        kind: 'unsupportedTemplate',
        message: `The spec uses placeholders Snowflake does not fill (${shown}): only '{{ variable }}' templates are rendered by CREATE SERVICE. Render the file first (e.g. with 'snow' project templating) or replace them with values.`,
      },
    };
  }
  if (analysis.variables.length === 0) {
    const unused = Object.keys(values);
    return {
      ok: true,
      spec: { source: { kind: 'inline', text: specText }, rendered: specText, templated: false, warnings: unused.length > 0 ? [`The spec has no template variables; the remembered values for ${unused.join(', ')} are not used.`] : [] },
    };
  }
  const missing = analysis.variables.filter((variable) => values[variable.name] === undefined && variable.defaultValue === undefined).map((variable) => variable.name);
  if (missing.length > 0) {
    return {
      ok: false,
      refusal: {
        kind: 'missingTemplateValues',
        missing,
        message: `The spec is a template: give a value for ${missing.map((name) => `'${name}'`).join(', ')} (${missing.length === 1 ? 'it has' : 'they have'} no default).`,
      },
    };
  }
  const warnings: string[] = [];
  const used = new Set(analysis.variables.map((variable) => variable.name));
  const unused = Object.keys(values).filter((name) => !used.has(name));
  if (unused.length > 0) {
    warnings.push(`The values for ${unused.join(', ')} are not used: the spec has no such variable${unused.length === 1 ? '' : 's'}.`);
  }
  const using: Record<string, sql.TemplateValue> = {};
  for (const variable of analysis.variables) {
    const value = values[variable.name];
    if (value !== undefined) using[variable.name] = usingValue(value);
  }
  if (Object.keys(using).length === 0) {
    // USING needs at least one value: pass the defaults explicitly (the same text the template would use).
    for (const variable of analysis.variables) {
      if (variable.defaultValue !== undefined) using[variable.name] = usingValue(defaultText(variable.defaultValue));
    }
  }
  const rendered = renderTemplate(specText, values);
  return { ok: true, spec: { source: { kind: 'template', text: specText, using }, rendered, templated: true, warnings } };
}

function errorsOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error);
}

/** Errors the language service finds in the rendered spec (a value that made the spec invalid). */
function renderedErrors(rendered: string, specUri: string): Diagnostic[] {
  const doc = parseSpecDocument(TextDocument.create(`${specUri}#rendered`, specLanguageId, 1, rendered));
  return errorsOf(validateSpec(doc)).filter((diagnostic) => !capacityCodes.has(String(diagnostic.code)));
}

// ---------------------------------------------------------------------------------------------------
// The spec's shape that the deploy cares about

function hasBlockVolumes(rendered: string, specUri: string): boolean {
  const doc = parseSpecDocument(TextDocument.create(`${specUri}#rendered`, specLanguageId, 1, rendered));
  return doc.lists.volumes.some((volume) => volumeKind(doc, volume.node) === 'block');
}

function looksLikeSpec(specText: string, specUri: string): boolean {
  return parseSpecDocument(TextDocument.create(specUri, specLanguageId, 1, specText)).looksLikeSpec;
}

/**
 * DESCRIBE's spec as the left side of the upgrade diff: without the output-only `sha256` keys, and,
 * given the local spec, with env values written the way the local spec writes them when they say the
 * same thing (Snowflake returns `PORT: "8000"` for a local `PORT: 8000`), so the diff shows changes
 * of content, not of quoting.
 */
export function normalizeDeployedSpec(deployed: string, local?: string): string {
  try {
    const document = parseDocument(deployed);
    const containers = document.getIn(['spec', 'containers'], true);
    if (!isSeq(containers)) return deployed;
    const localEnv = local === undefined ? new Map<string, Record<string, unknown>>() : envByContainer(local);
    let changed = false;
    for (const item of containers.items) {
      if (!isMap(item)) continue;
      if (item.has('sha256')) {
        item.delete('sha256');
        changed = true;
      }
      const name = item.get('name');
      const env = item.get('env', true);
      const wanted = typeof name === 'string' ? localEnv.get(name) : undefined;
      if (!wanted || !isMap(env)) continue;
      for (const pair of env.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        const value = pair.value;
        if (key === undefined || !isScalar(value) || typeof value.value !== 'string') continue;
        const localValue = wanted[key];
        if ((typeof localValue === 'number' || typeof localValue === 'boolean') && String(localValue) === value.value) {
          pair.value = document.createNode(localValue);
          changed = true;
        }
      }
    }
    return changed ? document.toString({ lineWidth: 0 }) : deployed;
  } catch {
    return deployed;
  }
}

/** Heads both sides of the upgrade diff, the same on both, so it is never a change itself. */
export const diffNote = '# What Snowflake keeps of each spec: comments and formatting are not shown.\n';

/**
 * The two sides of the upgrade diff the user confirms, so that it shows only what will change in
 * Snowflake (what `specsEquivalent` compares): both are parsed and written again the same way, so
 * comments, blank lines, quoting and indentation, which Snowflake does not keep, are on neither side;
 * DESCRIBE's output-only `sha256` keys are dropped, env values Snowflake returns as strings are
 * written as the local spec writes them when they say the same, and the deployed keys follow the
 * local spec's order (list items matched by `name`), so a spec that is the same gives two identical
 * sides. Either side that does not parse is shown as it is.
 */
export function upgradeDiff(deployed: string, local: string): { deployed: string; local: string } {
  let localValue: unknown;
  let deployedValue: unknown;
  try {
    localValue = parse(local);
    deployedValue = parse(deployed);
  } catch {
    return { deployed: normalizeDeployedSpec(deployed, local), local };
  }
  if (!isPlainObject(localValue) || !isPlainObject(deployedValue)) return { deployed: normalizeDeployedSpec(deployed, local), local };
  const localEnv = envByContainer(local);
  const containers = (deployedValue['spec'] as { containers?: unknown } | undefined)?.containers;
  if (Array.isArray(containers)) {
    for (const container of containers as unknown[]) {
      if (!isPlainObject(container)) continue;
      delete container['sha256'];
      const env = container['env'];
      const wanted = typeof container['name'] === 'string' ? localEnv.get(container['name']) : undefined;
      if (!wanted || !isPlainObject(env)) continue;
      for (const [key, value] of Object.entries(env)) {
        const localValue = wanted[key];
        if (typeof value === 'string' && (typeof localValue === 'number' || typeof localValue === 'boolean') && String(localValue) === value) env[key] = localValue;
      }
    }
  }
  const write = (value: unknown): string => diffNote + stringify(value, { lineWidth: 0 });
  return { deployed: write(inOrderOf(deployedValue, localValue)), local: write(localValue) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` with its mapping keys in the order `model` has them (keys `model` lacks last, as they were). */
function inOrderOf(value: unknown, model: unknown): unknown {
  if (Array.isArray(value)) {
    const models = Array.isArray(model) ? (model as unknown[]) : [];
    return value.map((item: unknown, index) => {
      const name = isPlainObject(item) ? item['name'] : undefined;
      const byName = name === undefined ? undefined : models.find((candidate) => isPlainObject(candidate) && candidate['name'] === name);
      return inOrderOf(item, byName ?? models[index]);
    });
  }
  if (!isPlainObject(value)) return value;
  const order = isPlainObject(model) ? Object.keys(model) : [];
  const keys = [...order.filter((key) => key in value), ...Object.keys(value).filter((key) => !order.includes(key))];
  return Object.fromEntries(keys.map((key) => [key, inOrderOf(value[key], isPlainObject(model) ? model[key] : undefined)]));
}

/** The env maps of a spec's containers by container name (nothing when it does not parse). */
function envByContainer(text: string): Map<string, Record<string, unknown>> {
  const result = new Map<string, Record<string, unknown>>();
  try {
    const containers = (parse(text) as { spec?: { containers?: unknown } } | null)?.spec?.containers;
    if (!Array.isArray(containers)) return result;
    for (const container of containers as unknown[]) {
      if (typeof container !== 'object' || container === null) continue;
      const { name, env } = container as { name?: unknown; env?: unknown };
      if (typeof name === 'string' && typeof env === 'object' && env !== null && !Array.isArray(env)) {
        result.set(name, env as Record<string, unknown>);
      }
    }
  } catch {
    // Not YAML: nothing to align with.
  }
  return result;
}

/** Whether two specs say the same thing: parsed, `sha256` dropped, env values compared as strings. */
export function specsEquivalent(deployed: string, local: string): boolean {
  const canonical = (text: string): unknown => {
    const value: unknown = parse(text);
    const containers = (value as { spec?: { containers?: unknown } } | null)?.spec?.containers;
    if (Array.isArray(containers)) {
      for (const container of containers as Record<string, unknown>[]) {
        if (typeof container !== 'object' || container === null) continue;
        delete container['sha256'];
        const env = container['env'];
        if (typeof env === 'object' && env !== null && !Array.isArray(env)) {
          for (const [key, item] of Object.entries(env as Record<string, unknown>)) {
            (env as Record<string, unknown>)[key] = typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item);
          }
        }
      }
    }
    return value;
  };
  try {
    return JSON.stringify(sortKeys(canonical(deployed))) === JSON.stringify(sortKeys(canonical(local)));
  } catch {
    return false;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * The checks every plan starts with: the document is a spec, and it has no error diagnostics.
 * Capacity errors are left out when the pool's fit is given: they were computed against the family
 * the editor assumed (modeline or setting), and the pool's own fit is the authority.
 */
function checkSpec(input: Pick<DeployInput, 'specText' | 'specUri' | 'diagnostics' | 'poolFit'>, doing: string): { ok: true; warnings: string[] } | { ok: false; refusal: Refusal } {
  if (!looksLikeSpec(input.specText, input.specUri)) {
    return { ok: false, refusal: { kind: 'notASpec', message: "This file is not a service specification (it needs a top-level 'spec:' with 'containers:')." } };
  }
  const all = errorsOf(input.diagnostics);
  const errors = all.filter((diagnostic) => input.poolFit === undefined || !capacityCodes.has(String(diagnostic.code)));
  if (errors.length > 0) {
    return {
      ok: false,
      refusal: {
        kind: 'errors',
        diagnostics: errors,
        message: `The spec has ${errors.length} error${errors.length === 1 ? '' : 's'} (first: line ${(errors[0]?.range.start.line ?? 0) + 1}: ${errors[0]?.message ?? ''}). Snowflake would reject it; fix ${errors.length === 1 ? 'it' : 'them'} before ${doing}.`,
      },
    };
  }
  const warnings =
    input.poolFit !== undefined && all.length > errors.length
      ? [`The editor checked capacity against another instance family than ${input.poolFit.family?.name ?? 'the family'} of ${input.poolFit.pool}; the pool's own fit was used instead.`]
      : [];
  return { ok: true, warnings };
}

/** The spec source and rendered text, refusing template values that make the spec invalid. */
function renderChecked(specText: string, specUri: string, values: Readonly<Record<string, sql.TemplateValue>>): { ok: true; spec: PreparedSpec } | { ok: false; refusal: Refusal } {
  const prepared = prepareSpec(specText, values);
  if (!prepared.ok || !prepared.spec.templated) return prepared;
  const problems = renderedErrors(prepared.spec.rendered, specUri);
  if (problems.length === 0) return prepared;
  return {
    ok: false,
    refusal: {
      kind: 'renderedErrors',
      diagnostics: problems,
      renderedSpec: prepared.spec.rendered,
      message: `With the template values filled in, the spec has ${problems.length} error${problems.length === 1 ? '' : 's'} (first: line ${(problems[0]?.range.start.line ?? 0) + 1}: ${problems[0]?.message ?? ''}). Check the values.`,
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// planDeploy

export function planDeploy(input: DeployInput): DeployPlan {
  const { choices, existing } = input;
  const refuse = (refusal: Refusal): DeployPlan => ({ ok: false, refusal });
  const warnings: string[] = [];

  const checked = checkSpec(input, 'deploying');
  if (!checked.ok) return refuse(checked.refusal);
  warnings.push(...checked.warnings);

  const resolved = serviceTarget(choices);
  if (!resolved.ok) return refuse(resolved.refusal);
  const { target } = resolved;
  warnings.push(...resolved.warnings);

  const instances = checkInstances(choices.minInstances, choices.maxInstances);
  if (instances) return refuse(instances);
  const integrations = checkIntegrations(choices.externalAccessIntegrations);
  if (integrations) return refuse(integrations);
  if (choices.pool.trim() === '') {
    return refuse({ kind: 'invalidChoices', message: 'Choose a compute pool.' });
  }

  const prepared = renderChecked(input.specText, input.specUri, choices.templateValues);
  if (!prepared.ok) return refuse(prepared.refusal);
  const spec = prepared.spec;
  warnings.push(...spec.warnings);
  const blockVolumes = hasBlockVolumes(spec.rendered, input.specUri);
  if (blockVolumes && choices.minInstances !== choices.maxInstances) {
    return refuse({
      kind: 'blockVolumesNeedFixedInstances',
      message: `The spec has block storage volumes, so MIN_INSTANCES must equal MAX_INSTANCES (they are ${choices.minInstances} and ${choices.maxInstances}); set both to the same number.`,
    });
  }

  if (input.poolFit?.fits === 'no') {
    return refuse(poolDoesNotFit(input.poolFit, input.fittingPools ?? []));
  }
  if (input.poolFit?.fits === 'unknown') {
    warnings.push(`Whether the spec fits ${choices.pool} is not known: ${input.poolFit.reasons.join(' ')}`);
  }
  if (input.poolFit) warnings.push(...input.poolFit.notes);

  const name = targetObject(target);
  const shownName = targetText(target);
  if (existing === undefined) {
    const statement = buildOrRefuse(() =>
      sql.createService({
        name,
        pool: choices.pool,
        spec: spec.source,
        minInstances: choices.minInstances,
        maxInstances: choices.maxInstances,
        autoResume: choices.autoResume,
        ...(choices.externalAccessIntegrations.length > 0 ? { externalAccessIntegrations: choices.externalAccessIntegrations } : {}),
        ...(choices.queryWarehouse ? { queryWarehouse: choices.queryWarehouse } : {}),
      }),
    );
    if (!statement.ok) return refuse(statement.refusal);
    const count = choices.minInstances === choices.maxInstances ? `${choices.minInstances} instance${choices.minInstances === 1 ? '' : 's'}` : `${choices.minInstances}–${choices.maxInstances} instances`;
    return {
      ok: true,
      action: 'create',
      target,
      sql: [statement.sql],
      renderedSpec: spec.rendered,
      templated: spec.templated,
      warnings,
      expectReady: true,
      summary: `Create service ${shownName} in compute pool ${choices.pool} (${count}).`,
    };
  }

  // An existing object: upgrade it in place, or refuse. Never drop and re-create.
  if (existing.isJob) {
    return refuse({
      kind: 'existingJob',
      message: `${shownName} is a job service, and job services cannot be altered. Choose another service name (a job's record is kept for 30 days).`,
    });
  }
  if (sql.normalizeIdentifier(existing.computePool) !== sql.normalizeIdentifier(choices.pool) && existing.computePool !== choices.pool) {
    return refuse({
      kind: 'differentPool',
      message: `${shownName} runs in compute pool ${existing.computePool}, not ${choices.pool}. A service cannot move to another pool without being dropped and re-created, which deploy never does: choose ${existing.computePool}, or another service name.`,
    });
  }
  const status = existing.status.toUpperCase();
  if (status === 'DELETING' || status === 'DELETED') {
    return refuse({ kind: 'existingService', message: `${shownName} is being deleted (status ${status}); wait until it is gone, then deploy again to create it.` });
  }
  const suspended = status === 'SUSPENDED' || status === 'SUSPENDING';
  if (suspended) {
    warnings.push(`${shownName} is ${status.toLowerCase()}: the new spec is recorded now and used when the service is resumed.`);
  }
  if (existing.isUpgrading) {
    warnings.push(`${shownName} is still rolling out a previous upgrade; this upgrade replaces it.`);
  }

  const changes = propertyChanges(existing, choices, blockVolumes, shownName, warnings);
  const statements: string[] = [];
  if (changes !== undefined) {
    const set = buildOrRefuse(() => sql.setServiceProperties(name, changes));
    if (!set.ok) return refuse(set.refusal);
    statements.push(set.sql);
  }
  const alter = buildOrRefuse(() => sql.alterServiceSpec(name, spec.source));
  if (!alter.ok) return refuse(alter.refusal);
  statements.push(alter.sql);

  let diff: SpecDiff | undefined;
  if (existing.spec !== undefined && existing.spec !== '') {
    const changed = !specsEquivalent(existing.spec, spec.rendered);
    diff = { ...upgradeDiff(existing.spec, spec.rendered), changed };
    if (!changed) {
      warnings.push(`The local spec is the same as the deployed one; upgrading still pulls the newest image for each tag and restarts the instances one by one.`);
    }
  } else {
    warnings.push(`The deployed spec of ${shownName} cannot be shown: DESCRIBE SERVICE returns it only to the role that owns the service.`);
  }
  return {
    ok: true,
    action: 'upgrade',
    target,
    sql: statements,
    ...(diff === undefined ? {} : { diff }),
    renderedSpec: spec.rendered,
    templated: spec.templated,
    warnings,
    expectReady: !suspended,
    summary: `Upgrade service ${shownName} in compute pool ${existing.computePool} to the local spec (rolling: one instance at a time)${changes === undefined ? '' : ' and update its properties'}.`,
  };
}

function checkInstances(min: number, max: number): Refusal | undefined {
  if (!Number.isInteger(min) || min < 1) {
    return { kind: 'invalidInstances', message: `MIN_INSTANCES must be a whole number of at least 1 (it is ${min}).` };
  }
  if (!Number.isInteger(max) || max < min) {
    return { kind: 'invalidInstances', message: `MAX_INSTANCES must be a whole number of at least MIN_INSTANCES (${min}); it is ${max}.` };
  }
  return undefined;
}

function checkIntegrations(integrations: readonly string[]): Refusal | undefined {
  if (integrations.length > 10) {
    return { kind: 'invalidChoices', message: `A service can use at most 10 external access integrations (${integrations.length} are chosen).` };
  }
  if (integrations.some((integration) => integration.trim() === '')) {
    return { kind: 'invalidChoices', message: 'An external access integration name is empty.' };
  }
  return undefined;
}

function buildOrRefuse(build: () => string): { ok: true; sql: string } | { ok: false; refusal: Refusal } {
  try {
    return { ok: true, sql: build() };
  } catch (error) {
    return { ok: false, refusal: { kind: 'invalidChoices', message: error instanceof Error ? error.message : String(error) } };
  }
}

/**
 * The properties to SET on an existing service so it matches the choices. Values the choices leave
 * unset are left as they are; removals (an integration or the warehouse no longer chosen) are
 * reported, not applied: deploy only adds or changes.
 */
function propertyChanges(existing: ExistingService, choices: DeployChoices, blockVolumes: boolean, shownName: string, warnings: string[]): sql.ServiceProperties | undefined {
  const changes: { -readonly [K in keyof sql.ServiceProperties]: sql.ServiceProperties[K] } = {};
  const instancesDiffer =
    (existing.minInstances !== undefined && existing.minInstances !== choices.minInstances) || (existing.maxInstances !== undefined && existing.maxInstances !== choices.maxInstances);
  if (instancesDiffer && blockVolumes) {
    warnings.push(
      `${shownName} has block storage volumes, so its instance count cannot be changed after creation; it stays at ${existing.minInstances ?? '?'}–${existing.maxInstances ?? '?'} (the chosen ${choices.minInstances}–${choices.maxInstances} is not applied).`,
    );
  } else if (instancesDiffer) {
    changes.minInstances = choices.minInstances;
    changes.maxInstances = choices.maxInstances;
    if (existing.minReadyInstances !== undefined && existing.minReadyInstances > choices.minInstances) {
      changes.minReadyInstances = choices.minInstances;
    }
  }
  if (existing.autoResume !== undefined && existing.autoResume !== choices.autoResume) {
    changes.autoResume = choices.autoResume;
  }
  if (choices.queryWarehouse) {
    if (existing.queryWarehouse === undefined || !sameName(existing.queryWarehouse, choices.queryWarehouse)) changes.queryWarehouse = choices.queryWarehouse;
  } else if (existing.queryWarehouse !== undefined && existing.queryWarehouse !== '') {
    warnings.push(`${shownName} keeps QUERY_WAREHOUSE = ${existing.queryWarehouse} (no warehouse is chosen; deploy does not unset it).`);
  }
  const current = existing.externalAccessIntegrations ?? [];
  const chosen = choices.externalAccessIntegrations;
  const added = chosen.filter((name) => !current.some((other) => sameName(other, name)));
  const removed = current.filter((name) => !chosen.some((other) => sameName(other, name)));
  if (chosen.length > 0 && (added.length > 0 || removed.length > 0)) {
    // SET replaces the whole list (reference §4.6).
    changes.externalAccessIntegrations = chosen;
  } else if (chosen.length === 0 && removed.length > 0) {
    warnings.push(`${shownName} keeps its external access integrations ${removed.join(', ')} (none are chosen; deploy does not unset them).`);
  }
  return Object.keys(changes).length === 0 ? undefined : changes;
}

function sameName(a: string, b: string): boolean {
  return a === b || sql.normalizeIdentifier(a) === sql.normalizeIdentifier(b);
}

// ---------------------------------------------------------------------------------------------------
// planJob

export type JobPlan =
  | { readonly ok: false; readonly refusal: Refusal }
  | {
      readonly ok: true;
      readonly target: DeployTarget;
      /** The one EXECUTE JOB SERVICE statement. */
      readonly sql: string;
      readonly async: boolean;
      readonly replicas: number;
      readonly renderedSpec: string;
      readonly templated: boolean;
      readonly warnings: readonly string[];
      readonly summary: string;
    };

export interface JobInput {
  readonly specText: string;
  readonly specUri: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly choices: JobChoices;
  /** DESCRIBE SERVICE of `jobName`, or undefined when no service or job has that name. */
  readonly existing: ExistingService | undefined;
  readonly poolFit?: PoolFit;
  readonly fittingPools?: readonly string[];
}

/** `EXECUTE JOB SERVICE … NAME = … [ASYNC = TRUE] REPLICAS = n`, or why not. */
export function planJob(input: JobInput): JobPlan {
  const { choices } = input;
  const refuse = (refusal: Refusal): JobPlan => ({ ok: false, refusal });
  const warnings: string[] = [];
  const checked = checkSpec(input, 'running the job');
  if (!checked.ok) return refuse(checked.refusal);
  warnings.push(...checked.warnings);
  const resolved = serviceTarget({ serviceName: choices.jobName, database: choices.database, schema: choices.schema }, 'job');
  if (!resolved.ok) return refuse(resolved.refusal);
  const { target } = resolved;
  warnings.push(...resolved.warnings);
  if (!Number.isInteger(choices.replicas) || choices.replicas < 1) {
    return refuse({ kind: 'invalidInstances', message: `REPLICAS must be a whole number of at least 1 (it is ${choices.replicas}).` });
  }
  const integrations = checkIntegrations(choices.externalAccessIntegrations);
  if (integrations) return refuse(integrations);
  if (choices.pool.trim() === '') {
    return refuse({ kind: 'invalidChoices', message: 'Choose a compute pool.' });
  }
  const shownName = targetText(target);
  if (input.existing !== undefined) {
    return refuse({
      kind: input.existing.isJob ? 'existingJob' : 'existingService',
      message: input.existing.isJob
        ? `A job named ${shownName} already exists (status ${input.existing.status}; job records are kept for 30 days). Choose another job name.`
        : `A service named ${shownName} already exists; a job needs a name of its own.`,
    });
  }
  const prepared = renderChecked(input.specText, input.specUri, choices.templateValues);
  if (!prepared.ok) return refuse(prepared.refusal);
  const spec = prepared.spec;
  warnings.push(...spec.warnings);
  if (input.poolFit?.fits === 'no') {
    return refuse(poolDoesNotFit(input.poolFit, input.fittingPools ?? []));
  }
  if (input.poolFit?.fits === 'unknown') warnings.push(`Whether the spec fits ${choices.pool} is not known: ${input.poolFit.reasons.join(' ')}`);
  if (input.poolFit) warnings.push(...input.poolFit.notes);
  const rendered = parseSpecDocument(TextDocument.create(`${input.specUri}#rendered`, specLanguageId, 1, spec.rendered));
  if (rendered.spec?.has('resourceManagement')) {
    warnings.push("Autoscaling policies ('resourceManagement') do not apply to job services; they are ignored.");
  }
  const statement = buildOrRefuse(() =>
    sql.executeJobService({
      pool: choices.pool,
      spec: spec.source,
      name: targetObject(target),
      async: choices.async,
      replicas: choices.replicas,
      ...(choices.externalAccessIntegrations.length > 0 ? { externalAccessIntegrations: choices.externalAccessIntegrations } : {}),
      ...(choices.queryWarehouse ? { queryWarehouse: choices.queryWarehouse } : {}),
    }),
  );
  if (!statement.ok) return refuse(statement.refusal);
  return {
    ok: true,
    target,
    sql: statement.sql,
    async: choices.async,
    replicas: choices.replicas,
    renderedSpec: spec.rendered,
    templated: spec.templated,
    warnings,
    summary: `Run job ${shownName} in compute pool ${choices.pool} (${choices.replicas} replica${choices.replicas === 1 ? '' : 's'}, ${choices.async ? 'asynchronously' : 'synchronously'}).`,
  };
}

// ---------------------------------------------------------------------------------------------------
// I/O: the existing service, and applying a plan

type SessionsExecute = Pick<SnowflakeSessions, 'execute'>;

/** DESCRIBE SERVICE's row → `ExistingService` (columns by name). */
export function existingFromRow(row: Readonly<Record<string, unknown>>): ExistingService {
  const text = (key: string): string | undefined => {
    const value = row[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const integer = (key: string): number | undefined => {
    const value = row[key];
    const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
    return Number.isFinite(number) ? number : undefined;
  };
  const boolean = (key: string): boolean | undefined => {
    const value = row[key];
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
    return undefined;
  };
  const spec = text('spec');
  const specDigest = text('spec_digest');
  const minInstances = integer('min_instances');
  const maxInstances = integer('max_instances');
  const minReadyInstances = integer('min_ready_instances');
  const autoResume = boolean('auto_resume');
  const queryWarehouse = text('query_warehouse');
  const isUpgrading = boolean('is_upgrading');
  const dnsName = text('dns_name');
  const integrations = text('external_access_integrations');
  return {
    database: text('database_name') ?? '',
    schema: text('schema_name') ?? '',
    name: text('name') ?? '',
    status: text('status') ?? 'UNKNOWN',
    isJob: boolean('is_job') ?? false,
    computePool: text('compute_pool') ?? '',
    ...(spec === undefined ? {} : { spec }),
    ...(specDigest === undefined ? {} : { specDigest }),
    ...(minInstances === undefined ? {} : { minInstances }),
    ...(maxInstances === undefined ? {} : { maxInstances }),
    ...(minReadyInstances === undefined ? {} : { minReadyInstances }),
    ...(autoResume === undefined ? {} : { autoResume }),
    ...(queryWarehouse === undefined ? {} : { queryWarehouse }),
    ...(isUpgrading === undefined ? {} : { isUpgrading }),
    ...(dnsName === undefined ? {} : { dnsName }),
    ...(integrations === undefined ? {} : { externalAccessIntegrations: parseNameList(integrations) }),
  };
}

/** `["A","B"]`, `[A, B]` or `A,B` → names. */
function parseNameList(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch {
    // not JSON: a bracketed or plain comma-separated list
  }
  return text
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((part) => part.trim().replace(/^"|"$/g, ''))
    .filter((part) => part !== '');
}

/** DESCRIBE SERVICE of the target: the existing service, `undefined` when there is none, or the error. */
export async function describeExistingService(
  sessions: SessionsExecute,
  connection: string,
  target: Pick<DeployTarget, 'database' | 'schema' | 'name'>,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<Result<ExistingService | undefined>> {
  const described = await sessions.execute(connection, sql.describeService(targetObject(target)), options);
  if (!described.ok) {
    return described.error.kind === 'notFound' ? ok(undefined) : described;
  }
  const row = described.value.rows[0];
  return ok(row === undefined ? undefined : existingFromRow(row));
}

export interface ApplyOutcome {
  readonly ok: boolean;
  /** Statements that succeeded, in order. */
  readonly applied: readonly string[];
  readonly failed?: { readonly sql: string; readonly error: SnowflakeError };
  /**
   * `complete`: everything applied. `nothing`: the first statement failed and changed nothing.
   * `partial`: some statements applied, then one failed. `unknown`: a statement timed out or was
   * cancelled without Snowflake confirming, so it may or may not have been applied.
   */
  readonly state: 'complete' | 'nothing' | 'partial' | 'unknown';
  /** What happened and what state the service is in, in full sentences (always shown). */
  readonly message: string;
}

/** Runs a deploy plan's statements in order, stopping at the first failure, and says exactly how far it got. */
export async function applyPlan(
  sessions: SessionsExecute,
  connection: string,
  plan: Extract<DeployPlan, { ok: true }>,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ApplyOutcome> {
  const shown = targetText(plan.target);
  const applied: string[] = [];
  for (const statement of plan.sql) {
    const result = await sessions.execute(connection, statement, { timeoutMs: options.timeoutMs ?? 120_000, ...(options.signal ? { signal: options.signal } : {}) });
    if (result.ok) {
      applied.push(statement);
      continue;
    }
    const error = result.error;
    const uncertain = (error.kind === 'timeout' || error.kind === 'cancelled') && !/nothing was changed/i.test(error.message);
    const what = describeStatement(statement);
    let state: ApplyOutcome['state'];
    let message: string;
    if (uncertain) {
      state = 'unknown';
      message = `${what} of ${shown} did not finish: ${error.message} ${applied.length > 0 ? `Before it, ${applied.map(describeStatement).join(' and ')} succeeded. ` : ''}Check the service (DESCRIBE SERVICE ${shown}) before deploying again.`;
    } else if (applied.length === 0) {
      state = 'nothing';
      message = `${what} of ${shown} failed: ${error.message} Nothing was changed${plan.action === 'create' ? ': the service was not created' : ': the service still runs its previous spec'}.`;
    } else {
      state = 'partial';
      message = `${applied.map(describeStatement).join(' and ')} of ${shown} succeeded, but ${what.charAt(0).toLowerCase()}${what.slice(1)} failed: ${error.message} The service is half-updated: its new properties are set, and it still runs its previous spec. Fix the cause and deploy again, or set the properties back.`;
    }
    return { ok: false, applied, failed: { sql: statement, error }, state, message };
  }
  const message =
    plan.action === 'create'
      ? `Service ${shown} was created${plan.expectReady ? '; its instances are starting' : ''}.`
      : `Service ${shown} is upgrading to the new spec${plan.expectReady ? ' (rolling: one instance at a time)' : ' (it is suspended: the new spec is used when it resumes)'}.`;
  return { ok: true, applied, state: 'complete', message };
}

function describeStatement(statement: string): string {
  if (/^CREATE SERVICE/i.test(statement)) return 'CREATE SERVICE';
  if (/^ALTER SERVICE [^\n]*\bSET\b/i.test(statement)) return 'Setting the service properties (ALTER SERVICE … SET)';
  if (/^ALTER SERVICE/i.test(statement)) return 'The spec upgrade (ALTER SERVICE … FROM SPECIFICATION)';
  return statement.split(/\s+/).slice(0, 3).join(' ');
}

