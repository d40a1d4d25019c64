/**
 * Health on the Services tree (`monitoring/healthMarks.ts`) against the demo emulator through the real
 * driver: a level is decorated at once (never waiting for the event table), the health is read in the
 * background and the level listed again only when it changed; a fresh health is not read again; a
 * service that does not run gets none, and the instances of a service get theirs from one read.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { healthDecorator } from '../../client/src/monitoring/healthMarks';
import type { AccountNode, InstanceNode, ServiceNode, ServiceRef } from '../../client/src/model/nodes';
import type { SnowflakeSessions } from '../../client/src/snowflake/session';
import { harness, printedConnection } from './emulatorHarness';

const service = (name: string, status = 'RUNNING'): ServiceNode => ({
  kind: 'service',
  view: 'spcs.services',
  connection: printedConnection,
  database: 'SPCS_DEMO',
  schema: 'PUBLIC',
  name,
  status,
  computePool: 'DEMO_GPU_POOL',
  isJob: false,
  isUpgrading: false,
  hasBlockVolumes: false,
});

describe('health on the Services tree', () => {
  it('shows a level at once, reads health in the background, and lists the level again only when it changed', async (t) => {
    const h = await harness(t);
    const statements: string[] = [];
    const sessions: Pick<SnowflakeSessions, 'execute'> = {
      execute: (connection, sql, options) => {
        statements.push(sql);
        return h.sessions.execute(connection, sql, options);
      },
    };
    const changes: ServiceRef[] = [];
    let changed: () => void = () => undefined;
    const decorate = healthDecorator({
      sessions,
      enabled: () => true,
      timeoutMs: () => 30_000,
      now: () => h.clock.now(),
      onChanged: (ref) => {
        changes.push(ref);
        changed();
      },
    });
    const level: AccountNode[] = [service('LLM_SERVICE'), service('ECHO_SERVICE'), service('REPORTING_SERVICE', 'SUSPENDED')];
    const signal = new AbortController().signal;
    const whenChanged = new Promise<void>((resolve) => (changed = resolve));
    const first = await decorate(undefined, level, signal);
    assert.ok(first.every((node) => node.kind !== 'service' || node.health === undefined), 'nothing waited for the event table');
    await whenChanged;
    assert.deepEqual(changes.map((ref) => ref.name), ['LLM_SERVICE']);

    const before = statements.length;
    const second = await decorate(undefined, level, signal);
    const llm = second[0];
    assert.ok(llm?.kind === 'service');
    assert.match(llm.health?.summary ?? '', /^GPU \d+ % · mem \d+ %$/);
    assert.match(llm.health?.warning ?? '', /vllm \(instance 0\) restarted once in the last hour/);
    assert.equal(second[1]?.kind === 'service' ? second[1].health : 'not a service', undefined, 'ECHO_SERVICE enables no metric groups and did not restart');
    assert.equal(statements.length, before, 'fresh health is not read again');
    assert.ok(!statements.some((sql) => sql.includes('REPORTING_SERVICE')), 'a suspended service is not measured');
    assert.equal(changes.length, 1);

    // Its instances: one read of the service for all of them.
    const instances: InstanceNode[] = [{ kind: 'instance', view: 'spcs.services', connection: printedConnection, database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'LLM_SERVICE', instanceId: '0', status: 'READY' }];
    const instancesChanged = new Promise<void>((resolve) => (changed = resolve));
    await decorate(llm, instances, signal);
    await instancesChanged;
    const withHealth = await decorate(llm, instances, signal);
    assert.ok(withHealth[0]?.kind === 'instance');
    assert.match(withHealth[0].health?.summary ?? '', /mem \d+ %/);
  });

  it('does nothing when turned off', async (t) => {
    const h = await harness(t);
    let statements = 0;
    const decorate = healthDecorator({
      sessions: { execute: (connection, sql, options) => (statements++, h.sessions.execute(connection, sql, options)) },
      enabled: () => false,
      timeoutMs: () => 30_000,
      onChanged: () => assert.fail('nothing to change'),
    });
    const level = [service('LLM_SERVICE')];
    assert.deepEqual(await decorate(undefined, level, new AbortController().signal), level);
    assert.equal(statements, 0);
  });
});
