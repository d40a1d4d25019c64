/**
 * The deploy choices of one spec file, and how they are remembered between deploys (workspace state),
 * so that the second deploy of a file is one click.
 *
 * Owns: the `DeployChoices` model (what `deploy/deployPlan.ts` needs to build the SQL), its defaults,
 * where they are kept (`ChoiceStore`: workspace state in VS Code), their versioned JSON form (read back tolerantly: a field that no longer parses is
 * dropped, never trusted), and `mergeWithAccount`, which drops remembered values that the account no
 * longer has (a pool that was dropped, a warehouse that was renamed) and says which ones it dropped.
 *
 * Must not: import `vscode`, talk to Snowflake or validate names against Snowflake's rules
 * (`deployPlan.ts` does that, so a remembered value is checked the same way as a typed one).
 */

import type { TemplateValue } from '../snowflake/sql';

/** Where the choices of each spec file are remembered (workspace state in VS Code). */
export interface ChoiceStore {
  get(specUri: string): RememberedChoices;
  set(specUri: string, choices: RememberedChoices): Promise<void>;
}

/** The store the deploy commands keep: `onDidChange` fires with the spec's URI after each change. */
export interface RememberedChoiceStore extends ChoiceStore {
  readonly onDidChange: (listener: (specUri: string) => unknown) => { dispose(): unknown };
}

/** Everything a deploy of a service needs besides the spec. Names are exact (as SHOW prints them). */
export interface DeployChoices {
  /** A connection name from connections.toml / config.toml. */
  readonly connection: string;
  readonly pool: string;
  /** As typed: `my_service` (folded to MY_SERVICE by Snowflake) or a name that already is upper case. */
  readonly serviceName: string;
  /** Unset: the connection's current database / schema. */
  readonly database?: string;
  readonly schema?: string;
  readonly minInstances: number;
  readonly maxInstances: number;
  /** Unset: no QUERY_WAREHOUSE clause (and an existing service's warehouse is left as it is). */
  readonly queryWarehouse?: string;
  readonly externalAccessIntegrations: readonly string[];
  readonly autoResume: boolean;
  /** Values for the spec's `{{ variables }}`, by variable name (case-sensitive). */
  readonly templateValues: Readonly<Record<string, TemplateValue>>;
  /**
   * What a snowflake.yml service entity adds (`snow spcs service deploy`): AUTO_SUSPEND_SECS and
   * COMMENT are set on create and on upgrade, tags only on create (as the CLI does). Unset: no clause.
   */
  readonly autoSuspendSecs?: number;
  readonly comment?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** What `EXECUTE JOB SERVICE` needs besides the spec. */
export interface JobChoices {
  readonly connection: string;
  readonly pool: string;
  /** The job service's name (required: the client follows the job by name). */
  readonly jobName: string;
  readonly database?: string;
  readonly schema?: string;
  /** ASYNC = TRUE: the statement returns at once and the client polls the job. */
  readonly async: boolean;
  readonly replicas: number;
  readonly queryWarehouse?: string;
  readonly externalAccessIntegrations: readonly string[];
  readonly templateValues: Readonly<Record<string, TemplateValue>>;
}

/** What is remembered per spec file: any subset of the choices (a deploy that was never finished). */
export type RememberedChoices = Partial<DeployChoices> & { readonly job?: Partial<Pick<JobChoices, 'async' | 'replicas' | 'jobName'>> };

/** The stored form: `{ version: 1, choices: {...} }`, JSON-compatible (workspace state serializes it). */
export interface StoredChoices {
  readonly version: typeof choicesVersion;
  readonly choices: RememberedChoices;
}

export const choicesVersion = 1;

/** The workspace-state key for one spec file (its URI string). */
export function choicesStateKey(specUri: string): string {
  return `spcs.deploy.choices/${specUri}`;
}

/** A service name derived from the spec file name: `vllm-gpu.spcs.yaml` → `VLLM_GPU`. */
export function defaultServiceName(specUri: string): string {
  const file = safeDecode(specUri.replace(/^[A-Za-z][A-Za-z0-9+.-]*:/, '').split(/[/\\]/).pop() ?? '');
  const base = file.replace(/\.(spcs\.)?ya?ml$/i, '').replace(/\.spcs$/i, '');
  let name = base
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  if (!/^[A-Z]/.test(name)) {
    name = `SERVICE${name === '' ? '' : `_${name}`}`;
  }
  return name.slice(0, 63).replace(/_+$/, '');
}

/** A job name for a run of `specUri` at `now`: `NIGHTLY_JOB_20260102_030405` (a valid service name). */
export function defaultJobName(specUri: string, now: Date): string {
  const suffix = `_${now.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15)}`;
  return `${defaultServiceName(specUri).slice(0, 63 - suffix.length).replace(/_+$/, '')}${suffix}`;
}

/** The first deploy's choices: one instance, auto-resume on, no integrations, no warehouse. */
export function defaultChoices(specUri: string, connection?: string): RememberedChoices {
  return {
    ...(connection === undefined ? {} : { connection }),
    serviceName: defaultServiceName(specUri),
    minInstances: 1,
    maxInstances: 1,
    externalAccessIntegrations: [],
    autoResume: true,
    templateValues: {},
  };
}

/** Whether every required field is there: the deploy can go ahead without asking anything. */
export function isComplete(choices: RememberedChoices): choices is DeployChoices & RememberedChoices {
  return (
    typeof choices.connection === 'string' &&
    typeof choices.pool === 'string' &&
    typeof choices.serviceName === 'string' &&
    typeof choices.minInstances === 'number' &&
    typeof choices.maxInstances === 'number' &&
    typeof choices.autoResume === 'boolean' &&
    Array.isArray(choices.externalAccessIntegrations) &&
    typeof choices.templateValues === 'object' &&
    choices.templateValues !== null
  );
}

export function serializeChoices(choices: RememberedChoices): StoredChoices {
  // A plain copy: workspace state must not hold references to live objects.
  return JSON.parse(JSON.stringify({ version: choicesVersion, choices })) as StoredChoices;
}

/**
 * Reads what workspace state returned (the stored object, or its JSON text). Unknown versions and
 * malformed values give `{}`; each field is kept only if it has the right type.
 */
export function deserializeChoices(stored: unknown): RememberedChoices {
  let value = stored;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return {};
    }
  }
  if (!isRecord(value) || value.version !== choicesVersion || !isRecord(value.choices)) {
    return {};
  }
  const raw = value.choices;
  const result: { -readonly [K in keyof RememberedChoices]: RememberedChoices[K] } = {};
  for (const key of ['connection', 'pool', 'serviceName', 'database', 'schema', 'queryWarehouse'] as const) {
    const field = raw[key];
    if (typeof field === 'string' && field.trim() !== '') result[key] = field;
  }
  for (const key of ['minInstances', 'maxInstances'] as const) {
    const field = raw[key];
    if (typeof field === 'number' && Number.isInteger(field) && field >= 1) result[key] = field;
  }
  if (typeof raw.autoResume === 'boolean') result.autoResume = raw.autoResume;
  if (typeof raw.autoSuspendSecs === 'number' && Number.isInteger(raw.autoSuspendSecs) && raw.autoSuspendSecs >= 0) result.autoSuspendSecs = raw.autoSuspendSecs;
  if (typeof raw.comment === 'string') result.comment = raw.comment;
  if (isRecord(raw.tags) && Object.values(raw.tags).every((item) => typeof item === 'string')) result.tags = raw.tags as Record<string, string>;
  if (Array.isArray(raw.externalAccessIntegrations) && raw.externalAccessIntegrations.every((item) => typeof item === 'string')) {
    result.externalAccessIntegrations = raw.externalAccessIntegrations;
  }
  if (isRecord(raw.templateValues)) {
    const values: Record<string, TemplateValue> = {};
    for (const [name, field] of Object.entries(raw.templateValues)) {
      if (typeof field === 'string' || typeof field === 'boolean' || (typeof field === 'number' && Number.isFinite(field))) values[name] = field;
    }
    result.templateValues = values;
  }
  if (isRecord(raw.job)) {
    const job: { async?: boolean; replicas?: number; jobName?: string } = {};
    if (typeof raw.job.async === 'boolean') job.async = raw.job.async;
    if (typeof raw.job.replicas === 'number' && Number.isInteger(raw.job.replicas) && raw.job.replicas >= 1) job.replicas = raw.job.replicas;
    if (typeof raw.job.jobName === 'string' && raw.job.jobName.trim() !== '') job.jobName = raw.job.jobName;
    result.job = job;
  }
  return result;
}

export interface DroppedChoice {
  readonly field: 'connection' | 'pool' | 'queryWarehouse' | 'externalAccessIntegrations';
  readonly value: string;
  readonly reason: string;
}

export interface MergedChoices {
  readonly choices: RememberedChoices;
  /** Remembered values the account no longer has; the UI asks for these again. */
  readonly dropped: readonly DroppedChoice[];
  /** Whether the deploy can go ahead without asking (every required field is present). */
  readonly complete: boolean;
}

/**
 * Drops remembered values that are not in the account's current listings. A listing that is
 * `undefined` was not loaded (e.g. no privilege to list integrations): its values are kept.
 * Names compare exactly, then case-insensitively for names that would be written unquoted.
 */
export function mergeWithAccount(
  choices: RememberedChoices,
  pools: readonly string[] | undefined,
  warehouses: readonly string[] | undefined,
  extra: { readonly connections?: readonly string[]; readonly integrations?: readonly string[] } = {},
): MergedChoices {
  const dropped: DroppedChoice[] = [];
  const next: { -readonly [K in keyof RememberedChoices]: RememberedChoices[K] } = { ...choices };
  if (next.connection !== undefined && extra.connections !== undefined && !extra.connections.includes(next.connection)) {
    dropped.push({ field: 'connection', value: next.connection, reason: `The connection "${next.connection}" is no longer in the connection files.` });
    delete next.connection;
  }
  if (next.pool !== undefined && pools !== undefined) {
    const found = findName(pools, next.pool);
    if (found === undefined) {
      dropped.push({ field: 'pool', value: next.pool, reason: `The compute pool ${next.pool} no longer exists (or the role can no longer see it).` });
      delete next.pool;
    } else {
      next.pool = found;
    }
  }
  if (next.queryWarehouse !== undefined && warehouses !== undefined) {
    const found = findName(warehouses, next.queryWarehouse);
    if (found === undefined) {
      dropped.push({ field: 'queryWarehouse', value: next.queryWarehouse, reason: `The warehouse ${next.queryWarehouse} no longer exists (or the role can no longer see it).` });
      delete next.queryWarehouse;
    } else {
      next.queryWarehouse = found;
    }
  }
  if (next.externalAccessIntegrations !== undefined && extra.integrations !== undefined) {
    const known = extra.integrations;
    const kept: string[] = [];
    for (const integration of next.externalAccessIntegrations) {
      const found = findName(known, integration);
      if (found === undefined) {
        dropped.push({ field: 'externalAccessIntegrations', value: integration, reason: `The external access integration ${integration} no longer exists (or the role can no longer use it).` });
      } else {
        kept.push(found);
      }
    }
    next.externalAccessIntegrations = kept;
  }
  return { choices: next, dropped, complete: isComplete(next) && !dropped.some((item) => item.field === 'externalAccessIntegrations') };
}

function findName(names: readonly string[], wanted: string): string | undefined {
  if (names.includes(wanted)) return wanted;
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(wanted)) return undefined;
  const upper = wanted.toUpperCase();
  return names.find((name) => name === upper);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
