/**
 * Drift between a spec file and its deployed service: by content when DESCRIBE shows the deployed
 * spec (owner role), otherwise by the deploy record (file digest, service spec_digest); the
 * record's serialization for workspace state. Against the emulator: deploy, DESCRIBE, compare.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deployRecord, drift, parseRecords, recordKey, serializeRecords, textDigest } from '../../client/src/drift/drift';
import { compareSides } from '../../client/src/drift/driftMarks';
import { diffNote, upgradeDiff } from '../../client/src/specs/specDiff';
import { describeExistingService } from '../../client/src/specs/deployedService';
import * as sql from '../../client/src/snowflake/sql';
import { connectionsTomlSection } from '../../emulator/src/cli';
import { harness, printedConnection, value } from './emulatorHarness';

const service = { connection: 'dev', database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'DRIFT_SVC' };
const specText = `spec:
  containers:
    - name: echo
      image: /tutorial_db/data_schema/tutorial_repository/echo:v2
      env:
        PORT: 8000
  endpoints:
    - name: api
      port: 8000
`;

describe('drift (pure)', { timeout: 5000 }, () => {
  it('compares content when the deployed spec is visible (sha256 and stringified env do not count)', () => {
    const deployed = specText.replace('PORT: 8000', 'PORT: "8000"').replace('echo:v2\n', 'echo:v2\n      sha256: "@sha256:abc"\n');
    assert.equal(drift({ localText: specText, deployedSpec: deployed }).verdict, 'inSync');
    const changed = drift({ localText: specText.replace('8000\n  endpoints', '9000\n  endpoints'), deployedSpec: deployed });
    assert.deepEqual([changed.verdict, changed.basis], ['different', 'deployedSpec']);
  });

  it('"Compare with Deployed" shows the upgrade diff\'s two sides: what Snowflake keeps, so only real changes differ', () => {
    const record = deployRecord(service, 'file:///w/echo.yaml', specText, new Date('2026-11-26T10:15:00Z'));
    // Snowflake keeps neither comments nor formatting, returns env values as strings and adds sha256.
    const deployed = specText.replace('PORT: 8000', 'PORT: "8000"').replace('echo:v2\n', 'echo:v2\n      sha256: "@sha256:abc"\n');
    const local = `# The echo service.\n${specText.replace('  endpoints:', '  # One endpoint.\n  endpoints:')}`;
    const same = compareSides({ ok: true, record, drift: drift({ localText: local, deployedSpec: deployed }), localText: local, deployedSpec: deployed });
    assert.ok(same);
    assert.equal(same.deployed, same.local, 'a spec the verdict calls the same looks the same on both sides');
    assert.deepEqual(same, upgradeDiff(deployed, local));
    assert.ok(same.local.startsWith(diffNote) && !same.local.includes('# The echo service') && !same.deployed.includes('sha256'));
    const changedLocal = local.replace('echo:v2', 'echo:v3');
    const changed = compareSides({ ok: true, record, drift: drift({ localText: changedLocal, deployedSpec: deployed }), localText: changedLocal, deployedSpec: deployed });
    assert.ok(changed);
    const differing = changed.local.split('\n').filter((line, index) => line !== changed.deployed.split('\n')[index]);
    assert.deepEqual(differing, ['      image: /tutorial_db/data_schema/tutorial_repository/echo:v3']);
    // Without the deployed spec (not the owner role) there is nothing to show.
    assert.equal(compareSides({ ok: true, record, drift: drift({ localText: local, record }), localText: local, deployedSpec: undefined }), undefined);
  });

  it('falls back to the deploy record: file digest and the service spec_digest', () => {
    const record = deployRecord(service, 'file:///w/echo.yaml', specText, new Date('2026-11-26T10:15:00Z'), 'digest-1');
    assert.equal(record.digest, textDigest(specText));
    assert.equal(drift({ localText: specText, specDigest: 'digest-1', record }).verdict, 'inSync');
    const edited = `${specText}# edited\n`;
    assert.equal(drift({ localText: edited, specDigest: 'digest-1', record }).verdict, 'fileChanged');
    assert.equal(drift({ localText: specText, specDigest: 'digest-2', record }).verdict, 'serviceChanged');
    const both = drift({ localText: edited, specDigest: 'digest-2', record });
    assert.equal(both.verdict, 'bothChanged');
    assert.match(both.message, /since it was deployed from this file on 2026-11-26 10:15 UTC/);
    assert.equal(drift({ localText: specText }).verdict, 'unknown');
  });

  it('serializes records for workspace state and reads them back, skipping malformed ones', () => {
    const record = deployRecord(service, 'file:///w/echo.yaml', specText, new Date('2026-11-26T10:15:00Z'));
    const stored: unknown = JSON.parse(JSON.stringify(serializeRecords([record])));
    const read = parseRecords(stored);
    assert.deepEqual(read.get(recordKey(service)), record);
    assert.equal(parseRecords({ version: 1, records: [{ service: { connection: 'x' } }, null, 7] }).size, 0);
    assert.equal(parseRecords({ version: 2, records: [record] }).size, 0);
    assert.equal(parseRecords(undefined).size, 0);
  });
});

describe('drift against the emulator', { timeout: 60_000 }, () => {
  it('the owner sees the deployed spec and no drift until the file changes; the viewer relies on the record', async (t) => {
    const h = await harness(t);
    h.addConnections(connectionsTomlSection('viewer', { ...h.emulator.connection(), user: 'VIEWER_USER', password: 'viewer-password-1', role: 'SPCS_VIEWER' }));
    const name = { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'DRIFT_SVC' };
    value(await h.sessions.execute(printedConnection, sql.createService({ name, pool: 'DEMO_CPU_POOL', spec: specText }), { timeoutMs: 15_000 }));
    value(await h.sessions.execute(printedConnection, sql.grantPrivilege('MONITOR', { type: 'SERVICE', name }, 'SPCS_VIEWER'), { timeoutMs: 15_000 }));
    const target = { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'DRIFT_SVC', dnsName: 'drift-svc' };
    const owner = value(await describeExistingService(h.sessions, printedConnection, target, { timeoutMs: 15_000 }));
    assert.ok(owner?.spec, 'the owner sees the spec');
    assert.equal(drift({ localText: specText, deployedSpec: owner.spec }).verdict, 'inSync');
    assert.equal(drift({ localText: specText.replace('PORT: 8000', 'PORT: 8001'), deployedSpec: owner.spec }).verdict, 'different');

    const viewer = value(await describeExistingService(h.sessions, 'viewer', target, { timeoutMs: 15_000 }));
    assert.equal(viewer?.spec, undefined, 'DESCRIBE shows the spec to the owner only');
    const record = deployRecord({ ...service, connection: printedConnection }, 'file:///w/drift.yaml', specText, new Date(), owner.specDigest);
    assert.equal(drift({ localText: specText, specDigest: viewer?.specDigest, record }).verdict, 'inSync');
    value(await h.sessions.execute(printedConnection, sql.alterServiceSpec(name, specText.replace('echo:v2', 'echo:v1')), { timeoutMs: 15_000 }));
    const upgraded = value(await describeExistingService(h.sessions, 'viewer', target, { timeoutMs: 15_000 }));
    assert.notEqual(upgraded?.specDigest, owner.specDigest);
    assert.equal(drift({ localText: specText, specDigest: upgraded?.specDigest, record }).verdict, 'serviceChanged');
  });
});
