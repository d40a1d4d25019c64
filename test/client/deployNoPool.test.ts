/**
 * A deploy on a connection whose role sees no compute pool: a UI that can create one is asked to
 * (and the deploy goes on to the new pool); otherwise, or when the user declines, the deploy stops
 * saying why. `askPool` decides this before any pool is listed to the user.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeployUi, FlowDeps } from '../../client/src/deploy/flowContract';
import { runSpec } from '../../client/src/deploy/flowContract';
import { askPool, Cancelled } from '../../client/src/deploy/flowSteps';
import type { PoolInfo, PoolsAndFamilies } from '../../client/src/deploy/poolFit';

const spec = runSpec({ uri: 'file:///w/echo.spcs.yaml', text: 'spec:\n  containers:\n  - name: echo\n    image: /db/s/r/echo:1\n', diagnostics: [] });
const noPools: PoolsAndFamilies = { pools: [], families: { source: 'offline', families: [] }, warnings: [] };
const newPool: PoolInfo = { name: 'FIRST_POOL', state: 'STARTING', instanceFamily: 'CPU_X64_XS' };

/** Deps whose UI answers only the pool questions; any other use of the deps is a test failure. */
function depsWith(ui: Partial<DeployUi>, offered: string[]): FlowDeps {
  const pickPool: DeployUi['pickPool'] = () => Promise.reject(new Error('the pool list is not shown when there is no pool'));
  const offerCreatePool = ui.offerCreatePool && ((connection: string) => (offered.push(connection), ui.offerCreatePool!(connection)));
  return { ui: { pickPool, ...(offerCreatePool ? { offerCreatePool } : {}) } } as unknown as FlowDeps;
}

describe('deploy with no compute pool in sight', () => {
  it('offers to create one and goes on with the new pool', async () => {
    const offered: string[] = [];
    const deps = depsWith({ offerCreatePool: () => Promise.resolve(newPool) }, offered);
    assert.deepEqual(await askPool(deps, spec, { connection: 'dev' }, noPools), newPool);
    assert.deepEqual(offered, ['dev'], 'offered once, for the deploy connection');
  });

  it('stops saying why when the user declines', async () => {
    const offered: string[] = [];
    const deps = depsWith({ offerCreatePool: () => Promise.resolve(undefined) }, offered);
    await assert.rejects(askPool(deps, spec, { connection: 'dev' }, noPools), (error: unknown) => error instanceof Cancelled && /sees no compute pool: create one/.test(error.message));
    assert.deepEqual(offered, ['dev']);
  });

  it('stops saying why when the UI cannot create pools', async () => {
    const deps = depsWith({}, []);
    await assert.rejects(askPool(deps, spec, { connection: 'dev' }, noPools), (error: unknown) => error instanceof Cancelled && /Nothing was deployed/.test(error.message));
  });
});
