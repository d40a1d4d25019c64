/**
 * Drift marks of the Services tree: for the listed services that this client deployed from a local
 * file (a deploy record, `drift/drift.ts`), DESCRIBE SERVICE and compare the deployed spec with the
 * file as it is saved now; a service whose two sides differ gets `drift` on its node (model/nodes.ts),
 * which the tree shows as "· local spec changed" with its own icon colour and a "Compare with
 * Deployed" menu item.
 *
 * Bounded: only services with a record are described (never every service), at most
 * `maxChecks` per listing, a few at a time, each with the statement timeout; a check that fails
 * leaves the node unmarked (the tree must not turn red because DESCRIBE timed out).
 *
 * Owns: the workspace-state key of the records, reading them back, the check of one service and the
 * words of a mark. Must not: import `vscode` (the VS Code side passes in how to read a file and the
 * records), prompt, or cache verdicts (every listing checks again, so a save or a deploy that
 * refreshes the tree is all it takes to recompute).
 */

import { drift, parseRecords, recordKey, serializeRecords, textDigest, type DeployRecord, type Drift } from './drift';
import type { SnowflakeSessions } from '../snowflake/session';
import type { SnowflakeError } from '../snowflake/errors';
import * as sql from '../snowflake/sql';
import { existingFromRow } from '../specs/deployedService';
import { upgradeDiff } from '../specs/specDiff';
import type { AccountNode, ServiceDrift, ServiceNode, ServiceRef } from '../model/nodes';

/** Where the deploy records live in workspace state (`serializeRecords` form). */
export const deployRecordsStateKey = 'spcs.deployRecords';

export interface DriftDeps {
  readonly sessions: Pick<SnowflakeSessions, 'execute'>;
  /** The deploy records by `recordKey` (read from workspace state on each call). */
  readonly records: () => ReadonlyMap<string, DeployRecord>;
  /**
   * The text the record's file would deploy now (rendered for a template), as saved on disk;
   * undefined when the file is gone or unreadable.
   */
  readonly localText: (record: DeployRecord) => Promise<string | undefined>;
  readonly timeoutMs: () => number;
  /** At most this many services are described per listing (default 10). */
  readonly maxChecks?: number;
}

export type DriftCheck =
  | { readonly ok: true; readonly record: DeployRecord; readonly drift: Drift; readonly localText: string; readonly deployedSpec: string | undefined }
  | { readonly ok: false; readonly record: DeployRecord | undefined; readonly message: string; readonly error?: SnowflakeError };

/** Records in workspace state → by key; the other direction for writing. */
export function readRecords(stored: unknown): Map<string, DeployRecord> {
  return parseRecords(stored);
}

export function withRecord(records: ReadonlyMap<string, DeployRecord>, record: DeployRecord): ReturnType<typeof serializeRecords> {
  const next = new Map(records);
  next.set(recordKey(record.service), record);
  return serializeRecords(next.values());
}

export function recordOf(records: ReadonlyMap<string, DeployRecord>, service: ServiceRef): DeployRecord | undefined {
  return records.get(recordKey({ connection: service.connection, database: service.database, schema: service.schema, name: service.name }));
}

/** The records of services deployed from `file` (URI string), newest first. */
export function recordsOfFile(records: ReadonlyMap<string, DeployRecord>, file: string): DeployRecord[] {
  return [...records.values()].filter((record) => record.file === file).sort((a, b) => b.deployedAt.localeCompare(a.deployedAt));
}

/** DESCRIBE SERVICE and compare its spec with the local file of the record. */
export async function checkDrift(deps: DriftDeps, record: DeployRecord, signal?: AbortSignal): Promise<DriftCheck> {
  const localText = await deps.localText(record);
  if (localText === undefined) return { ok: false, record, message: `The file ${record.file} it was deployed from cannot be read any more.` };
  const { service } = record;
  const described = await deps.sessions.execute(service.connection, sql.describeService({ database: service.database, schema: service.schema, name: service.name }), {
    timeoutMs: deps.timeoutMs(),
    ...(signal ? { signal } : {}),
  });
  if (!described.ok) return { ok: false, record, message: `DESCRIBE SERVICE failed (${described.error.kind}): ${described.error.message}`, error: described.error };
  const row = described.value.rows[0];
  if (row === undefined) return { ok: false, record, message: `Service ${service.name} was not found.` };
  const { spec: deployedSpec, specDigest } = existingFromRow(row);
  const verdict = drift({ localText, record, ...(deployedSpec === undefined ? {} : { deployedSpec }), ...(specDigest === undefined ? {} : { specDigest }) });
  return { ok: true, record, drift: verdict, localText, deployedSpec };
}

/**
 * The two sides "Compare with Deployed" shows: the deploy's upgrade diff of the same two texts
 * (`specs/specDiff.ts`: what Snowflake keeps of each, comments and formatting on neither side), so a
 * change reads the same in both places, and two specs the verdict calls the same look the same.
 */
export function compareSides(check: Extract<DriftCheck, { ok: true }>): { readonly deployed: string; readonly local: string } | undefined {
  return check.deployedSpec === undefined ? undefined : upgradeDiff(check.deployedSpec, check.localText);
}

/** The mark of a check, or undefined when the two sides agree or it cannot be told. */
export function driftMark(check: DriftCheck): ServiceDrift | undefined {
  if (!check.ok) return undefined;
  const { verdict } = check.drift;
  const file = check.record.file;
  const fileName = decodeURIComponent(file.slice(file.lastIndexOf('/') + 1));
  const localChanged = textDigest(check.localText) !== check.record.digest;
  switch (verdict) {
    case 'inSync':
    case 'unknown':
      return undefined;
    case 'different':
      return localChanged
        ? { summary: 'local spec changed', message: `${fileName} changed since it was deployed: the deployed spec differs from it.`, file }
        : { summary: 'deployed spec changed', message: `The deployed spec differs from ${fileName} (it was changed outside this editor).`, file };
    case 'fileChanged':
      return { summary: 'local spec changed', message: `${fileName} changed since it was deployed.`, file };
    case 'serviceChanged':
      return { summary: 'deployed spec changed', message: `The deployed spec changed since it was deployed from ${fileName}.`, file };
    case 'bothChanged':
      return { summary: 'both specs changed', message: `Both ${fileName} and the deployed spec changed since the deploy.`, file };
  }
}

/**
 * The children with `drift` set on the services that have a record and differ (and cleared on
 * those that no longer do). Other nodes pass through unchanged.
 */
export async function markDrift(deps: DriftDeps, children: readonly AccountNode[], signal?: AbortSignal): Promise<readonly AccountNode[]> {
  const records = deps.records();
  if (records.size === 0) return children;
  const candidates = children
    .map((node, index) => ({ node, index }))
    .filter((entry): entry is { node: ServiceNode; index: number } => entry.node.kind === 'service' && !entry.node.isJob && recordOf(records, entry.node) !== undefined)
    .slice(0, deps.maxChecks ?? 10);
  if (candidates.length === 0) return children;
  const result = [...children];
  const concurrency = 3;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < candidates.length && !signal?.aborted) {
      const entry = candidates[next++];
      if (entry === undefined) return;
      const record = recordOf(records, entry.node);
      if (record === undefined) continue;
      const mark = driftMark(await checkDrift(deps, record, signal));
      const { drift: _previous, ...rest } = entry.node;
      result[entry.index] = mark === undefined ? rest : { ...rest, drift: mark };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, candidates.length) }, worker));
  return result;
}
