/**
 * Deploy and job triage with the event table (the monitoring room's `eventTableHistory`, as
 * features.ts wires it) against the demo emulator through the real driver: a container whose status
 * only says it crashed is explained by the out-of-memory kill its platform events recorded (and
 * pointed at the memory limit), and a container whose own logs cannot be read any more shows the last
 * lines the event table kept.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { triageService, type TriageOptions } from '../../client/src/deploy/triage';
import { serviceSnapshot, type ServiceSnapshot } from '../../client/src/deploy/serviceSnapshot';
import { eventTableHistory } from '../../client/src/monitoring/triageHistory';
import { describeService } from '../../client/src/snowflake/sql';
import { harness, printedConnection, value } from './emulatorHarness';

const timeoutMs = 30_000;
const llm = { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'LLM_SERVICE' };

describe('triage with the event table', () => {
  it('explains a crash by the out-of-memory kill the platform recorded, and points at the memory limit', async (t) => {
    const h = await harness(t);
    const now = () => h.clock.now();
    const spec = value(await h.sessions.execute(printedConnection, describeService(llm), { timeoutMs })).rows[0]?.spec as string;
    const current = value(await serviceSnapshot(h.sessions, printedConnection, llm, { timeoutMs }));
    // The vllm container crashing after its OOM kill: its status and its current run's logs say only "fatal error".
    const snapshot: ServiceSnapshot = {
      ...current,
      status: 'FAILED',
      containers: current.containers.map((container) =>
        container.container === 'vllm' ? { ...container, status: 'FAILED', message: 'Encountered fatal error while running, check container logs', lastExitCode: 1, restartCount: 0 } : container,
      ),
    };
    const options: TriageOptions = { spec: { text: spec, uri: 'file:///llm.spcs.yaml' }, timeoutMs, now };
    const without = await triageService(h.sessions, printedConnection, llm, snapshot, options);
    assert.equal(without.containers[0]?.cause, 'application', 'the listings alone do not know why');

    const history = eventTableHistory(h.sessions, () => timeoutMs, now);
    const triage = await triageService(h.sessions, printedConnection, llm, snapshot, { ...options, history });
    const [vllm] = triage.containers;
    assert.ok(vllm);
    assert.equal(vllm.cause, 'outOfMemory');
    assert.equal(vllm.specLocation?.what, 'resources.limits.memory');
    assert.deepEqual(vllm.platformEvents, ['2026-01-01 11:10:00 UTC FAILED: Container was OOMKilled due to resource usage']);
    assert.match(triage.summary, /The platform recorded one failure in the last hours, the last: FAILED: Container was OOMKilled due to resource usage\./);
    assert.match(triage.summary, /\(spec line \d+: 'memory: 160Gi'\)/);
  });

  it("shows the event table's last lines of a container whose own logs cannot be read", async (t) => {
    const h = await harness(t);
    const now = () => h.clock.now();
    // A container that is gone: SYSTEM$GET_SERVICE_LOGS no longer answers for it.
    const gone = {
      execute: (connection: string, sqlText: string, options?: { timeoutMs?: number; signal?: AbortSignal }) =>
        sqlText.startsWith('SELECT SYSTEM$GET_SERVICE_LOGS')
          ? Promise.resolve({ ok: false as const, error: { kind: 'sql' as const, message: "Instance '0' of service LLM_SERVICE does not exist." } })
          : h.sessions.execute(connection, sqlText, options),
    };
    const current = value(await serviceSnapshot(h.sessions, printedConnection, llm, { timeoutMs }));
    const snapshot: ServiceSnapshot = { ...current, status: 'FAILED', containers: current.containers.filter((container) => container.container === 'vllm').map((container) => ({ ...container, status: 'FAILED' })) };
    const without = await triageService(gone, printedConnection, llm, snapshot, { timeoutMs, now });
    assert.deepEqual(without.containers[0]?.logLines, []);
    assert.match(without.containers[0]?.logError ?? '', /does not exist/);

    const triage = await triageService(gone, printedConnection, llm, snapshot, { timeoutMs, now, logLines: 20, history: eventTableHistory(gone, () => timeoutMs, now) });
    const [vllm] = triage.containers;
    assert.equal(vllm?.logsFromHistory, true);
    assert.equal(vllm?.logError, undefined);
    assert.equal(vllm?.logLines.length, 20);
    assert.ok(vllm?.logLines.every((line) => !line.startsWith('[')), 'the lines as the container wrote them');
  });
});
