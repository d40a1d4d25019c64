/**
 * Drift between a spec file and the service deployed from it: "the spec on the account is not what
 * this file says any more" (either side changed).
 *
 * Two ways to tell, best first:
 * - the deployed spec itself (DESCRIBE SERVICE's `spec`, shown only to the owner role), compared in
 *   content with the local text by `specsEquivalent` of `deploy/deployPlan.ts` (not re-implemented
 *   here);
 * - otherwise a deploy record kept by the client ("service X was deployed from file F with digest D,
 *   and its spec_digest was S"): the file changed since when its digest differs, the service changed
 *   (someone else upgraded it) when its `spec_digest` differs.
 *
 * Owns: the deploy record, its digest and its serialization for workspace state (plain JSON, read
 * back defensively), and the verdict with a sentence for the UI. Pure; must not import `vscode`.
 * For a template, pass the rendered text (what was deployed) as `localText`.
 */

import { createHash } from 'node:crypto';
import { specsEquivalent } from '../specs/specDiff';

export interface DeployedService {
  readonly connection: string;
  readonly database: string;
  readonly schema: string;
  readonly name: string;
}

/** What the client remembers about one deploy. */
export interface DeployRecord {
  readonly service: DeployedService;
  /** The file deployed (URI string). */
  readonly file: string;
  /** `sha256:<hex>` of the text sent (the rendered spec for a template). */
  readonly digest: string;
  /** The service's `spec_digest` right after the deploy, when it was read. */
  readonly specDigest?: string;
  /** ISO 8601. */
  readonly deployedAt: string;
}

export function textDigest(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

export function deployRecord(service: DeployedService, file: string, sentText: string, deployedAt: Date, specDigest?: string): DeployRecord {
  return { service, file, digest: textDigest(sentText), deployedAt: deployedAt.toISOString(), ...(specDigest === undefined || specDigest === '' ? {} : { specDigest }) };
}

/** The key a record is stored under: one record per deployed service. */
export function recordKey(service: DeployedService): string {
  return JSON.stringify([service.connection, service.database, service.schema, service.name]);
}

export type DriftVerdict =
  /** Same content (or, by the record, neither side changed since the deploy). */
  | 'inSync'
  /** The deployed spec differs from the file (seen in DESCRIBE's spec). */
  | 'different'
  /** By the record: the file changed since the deploy. */
  | 'fileChanged'
  /** By the record: the service's spec changed since the deploy (another deploy). */
  | 'serviceChanged'
  | 'bothChanged'
  /** No deployed spec and no record: cannot tell. */
  | 'unknown';

export interface Drift {
  readonly verdict: DriftVerdict;
  readonly basis: 'deployedSpec' | 'record' | 'none';
  readonly message: string;
}

export interface DriftInput {
  readonly localText: string;
  /** DESCRIBE SERVICE's `spec` (owner role only). */
  readonly deployedSpec?: string;
  /** DESCRIBE/SHOW SERVICES' `spec_digest` now. */
  readonly specDigest?: string;
  /** The record of the last deploy from this client, if any. */
  readonly record?: DeployRecord;
}

export function drift(input: DriftInput): Drift {
  if (input.deployedSpec !== undefined && input.deployedSpec !== '') {
    return specsEquivalent(input.deployedSpec, input.localText)
      ? { verdict: 'inSync', basis: 'deployedSpec', message: 'The deployed spec says the same as this file.' }
      : { verdict: 'different', basis: 'deployedSpec', message: 'The deployed spec differs from this file: compare them before deploying.' };
  }
  const record = input.record;
  if (record === undefined) {
    return { verdict: 'unknown', basis: 'none', message: 'The deployed spec is visible only to the owner role, and this file has no record of a deploy: drift cannot be told.' };
  }
  const fileChanged = textDigest(input.localText) !== record.digest;
  const serviceChanged = record.specDigest !== undefined && input.specDigest !== undefined && input.specDigest !== '' && input.specDigest !== record.specDigest;
  const since = `since it was deployed from this file on ${record.deployedAt.slice(0, 16).replace('T', ' ')} UTC`;
  if (fileChanged && serviceChanged) return { verdict: 'bothChanged', basis: 'record', message: `Both this file and the service's spec changed ${since}.` };
  if (fileChanged) return { verdict: 'fileChanged', basis: 'record', message: `This file changed ${since}.` };
  if (serviceChanged) return { verdict: 'serviceChanged', basis: 'record', message: `The service's spec changed ${since} (another deploy replaced it).` };
  return { verdict: 'inSync', basis: 'record', message: `Neither this file nor the service changed ${since}.` };
}

/** Records → a JSON-safe value for workspace state. */
export function serializeRecords(records: Iterable<DeployRecord>): { version: 1; records: DeployRecord[] } {
  return { version: 1, records: [...records].map((record) => ({ ...record, service: { ...record.service } })) };
}

/** Workspace state → records by `recordKey`; anything malformed is skipped (state may be from another version). */
export function parseRecords(value: unknown): Map<string, DeployRecord> {
  const result = new Map<string, DeployRecord>();
  const records = typeof value === 'object' && value !== null && (value as { version?: unknown }).version === 1 ? (value as { records?: unknown }).records : undefined;
  if (!Array.isArray(records)) return result;
  for (const item of records as unknown[]) {
    const record = readRecord(item);
    if (record) result.set(recordKey(record.service), record);
  }
  return result;
}

function readRecord(value: unknown): DeployRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const item = value as Record<string, unknown>;
  const service = typeof item['service'] === 'object' && item['service'] !== null ? (item['service'] as Record<string, unknown>) : undefined;
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  const connection = text(service?.['connection']);
  const database = text(service?.['database']);
  const schema = text(service?.['schema']);
  const name = text(service?.['name']);
  const file = text(item['file']);
  const digest = text(item['digest']);
  const deployedAt = text(item['deployedAt']);
  if (connection === undefined || database === undefined || schema === undefined || name === undefined || file === undefined || digest === undefined || deployedAt === undefined) {
    return undefined;
  }
  const specDigest = item['specDigest'];
  return {
    service: { connection, database, schema, name },
    file,
    digest,
    deployedAt,
    ...(typeof specDigest === 'string' && specDigest !== '' ? { specDigest } : {}),
  };
}
