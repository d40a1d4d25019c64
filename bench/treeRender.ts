/**
 * Tree render time: how long the sidebar takes from asking Snowflake for a level of the Services and
 * Compute Pools trees to having the nodes ready to hand to VS Code, for big levels: a schema with
 * 1,000 services (Services view: `listServicesOfSchema`) and a compute pool running 200 services
 * (Compute Pools view: `listServicesOfPool`). Target: ≤ 500 ms end to end for the 1,000 services.
 *
 * Measured the way the extension does it: the REAL snowflake-sdk driver through `SnowflakeSessions`
 * (connections read from a temporary SNOWFLAKE_HOME) against the local emulator started in this
 * process, with `seedServices` putting the services in place. Each run is split into
 * - query: `listServicesOf…` (the SHOW SERVICES round trip, the driver's parsing, rows → nodes, sort);
 * - presentation: `present()` on every node (label, description, tooltip, icon, context value).
 * The emulator answers in the same process, so its own SQL work is inside the query figure (a real
 * account adds its network latency instead). The first listing, which loads the driver and signs in,
 * is reported on its own and left out of the runs.
 *
 * Standalone: `node --import tsx bench/treeRender.ts` prints the figures as JSON.
 */

import { performance } from 'node:perf_hooks';
import type { Result } from '../client/src/snowflake/result';
import { listServicesOfPool, listServicesOfSchema } from '../client/src/listings/accountData';
import type { SchemaNode, ServiceNode } from '../client/src/model/nodes';
import { present } from '../client/src/views/presentation';
import { withEmulatorSessions } from './emulatorSessions';
import { summarize, type Summary } from './stats';

export const treeRenderTargetMs = 500;

const connection = 'bench_emulator';
const database = 'BENCH_DB';
const schema = 'SERVICES';
const pool = 'BENCH_POOL';
const servicesInSchema = 1000;
const servicesInPool = 200;
const runs = 20;

export interface LevelFigures {
  readonly nodes: number;
  readonly query: Summary;
  readonly presentation: Summary;
  readonly total: Summary;
}

export interface TreeRenderReport {
  readonly runs: number;
  readonly targetMs: number;
  /** The first listing of the schema: loading the driver, signing in, then the query and presentation. */
  readonly firstListingMs: number;
  readonly schema: LevelFigures;
  readonly pool: LevelFigures;
}

function value<T>(result: Result<T>, what: string): T {
  if (!result.ok) {
    throw new Error(`${what} failed: ${result.error.kind}: ${result.error.message}`);
  }
  return result.value;
}

/** Times `runs` listings of one level: the query (with rows → nodes) and the presentation of every node. */
async function measureLevel(list: () => Promise<Result<ServiceNode[]>>, expected: number, what: string): Promise<LevelFigures> {
  const query: number[] = [];
  const presentation: number[] = [];
  const total: number[] = [];
  let nodes = 0;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const services = value(await list(), what);
    const listed = performance.now();
    let characters = 0;
    for (const service of services) {
      const shown = present(service);
      // Use the result, so that nothing is optimised away.
      characters += shown.label.length + (shown.description?.length ?? 0) + shown.tooltip.length;
    }
    const presented = performance.now();
    if (services.length !== expected || characters === 0) {
      throw new Error(`${what}: expected ${expected} services, got ${services.length}`);
    }
    nodes = services.length;
    query.push(listed - started);
    presentation.push(presented - listed);
    total.push(presented - started);
  }
  return { nodes, query: summarize(query), presentation: summarize(presentation), total: summarize(total) };
}

export async function measureTreeRender(): Promise<TreeRenderReport> {
  return withEmulatorSessions(
    connection,
    (account) => account.control.seedServices(servicesInSchema, { database, schema, pool, inPool: servicesInPool }),
    async (sessions) => {
      const schemaNode: SchemaNode = { kind: 'schema', view: 'spcs.services', connection, database, schema };
      const listSchema = () => listServicesOfSchema(sessions, 'spcs.services', schemaNode, { timeoutMs: 30_000 });
      const listPool = () => listServicesOfPool(sessions, 'spcs.computePools', { connection, name: pool }, { timeoutMs: 30_000 });

      const firstStarted = performance.now();
      const first = value(await listSchema(), 'the first listing');
      first.forEach((service) => present(service));
      const firstListingMs = performance.now() - firstStarted;

      const schemaFigures = await measureLevel(listSchema, servicesInSchema, `SHOW SERVICES IN SCHEMA ${database}.${schema}`);
      const poolFigures = await measureLevel(listPool, servicesInPool, `SHOW SERVICES IN COMPUTE POOL ${pool}`);
      return { runs, targetMs: treeRenderTargetMs, firstListingMs, schema: schemaFigures, pool: poolFigures };
    },
  );
}

if (require.main === module) {
  measureTreeRender().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
