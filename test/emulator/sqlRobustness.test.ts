/**
 * The engine's promise to the protocol side: whatever text arrives, `execute` returns a result or
 * throws a SnowflakeSqlError, never anything else (any other throw is reported as an emulator bug).
 * Also: comments, odd spacing, case and quoting do not change what a statement means.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SnowflakeSqlError } from '../../emulator/src/contract';
import { kit } from './sqlKit';

const words = [
  'SHOW', 'SERVICES', 'COMPUTE', 'POOL', 'POOLS', 'IN', 'LIKE', 'ACCOUNT', 'DATABASE', 'SCHEMA', 'CREATE', 'ALTER', 'DROP', 'SERVICE',
  'FROM', 'SPECIFICATION', 'SPECIFICATION_FILE', 'SPECIFICATION_TEMPLATE', 'USING', 'EXECUTE', 'JOB', 'SELECT', 'CALL', 'USE', 'ROLE',
  'GRANT', 'REVOKE', 'ON', 'TO', 'MIN_INSTANCES', 'SUSPEND', 'RESUME', 'SET', 'UNSET', 'IF', 'EXISTS', 'NOT', 'ECHO_SERVICE',
  'DEMO_CPU_POOL', 'SYSTEM$GET_SERVICE_LOGS', 'SYSTEM$GET_SERVICE_STATUS', 'CURRENT_ROLE', 'DESCRIBE', 'ENDPOINTS', 'IMAGES',
  'IMAGE', 'REPOSITORY', 'REPOSITORIES', 'STAGES', 'SECRETS', 'GRANTS', 'LIST', 'TRUE', 'FALSE', 'NULL', '(', ')', ',', '=', '=>',
  ';', '.', '!', '@specs', "'echo.yaml'", "'%'", '$$spec: {}$$', '0', '1', '-5', '"Quoted"', '?', '--c\n', '/* c */',
];

describe('robustness', () => {
  it('answers any token soup with a result or a SnowflakeSqlError', () => {
    const t = kit();
    const session = t.session('ACCOUNTADMIN');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 12 }), (tokens) => {
        const sql = tokens.join(' ');
        try {
          t.account.engine.execute(sql, { ...session }, { binds: ['x'] });
        } catch (error) {
          assert.ok(error instanceof SnowflakeSqlError, `${sql} threw ${String(error)}`);
        }
      }),
      { numRuns: 1500, seed: 42 },
    );
  });

  it('answers arbitrary text with a result or a SnowflakeSqlError', () => {
    const t = kit();
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (sql) => {
        try {
          t.account.engine.execute(sql, t.session());
        } catch (error) {
          assert.ok(error instanceof SnowflakeSqlError, `${JSON.stringify(sql)} threw ${String(error)}`);
        }
      }),
      { numRuns: 1000, seed: 7 },
    );
  });

  it('ignores comments, spacing and keyword case, and honours quoted names', () => {
    const t = kit();
    const plain = t.rows('SHOW SERVICES IN COMPUTE POOL DEMO_GPU_POOL');
    assert.deepEqual(t.rows('  show /* all of them */ services\n  in   compute pool "DEMO_GPU_POOL" -- the GPU one\n;'), plain);
    assert.deepEqual(t.rows('sHoW SeRvIcEs iN cOmPuTe PoOl demo_gpu_pool // done'), plain);
    assert.equal(t.error('SHOW SERVICES IN COMPUTE POOL "demo_gpu_pool"').code, '002003');
    assert.equal(t.one('DESCRIBE SERVICE "SPCS_DEMO"."PUBLIC"."ECHO_SERVICE"').name, 'ECHO_SERVICE');
  });
});
