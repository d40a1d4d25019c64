/**
 * Account catalog refresh time: how long the background read of one connection's catalog takes
 * (`fetchCatalog`: the current role, instance families, pools, image repositories and their images,
 * stages, secrets, integrations, warehouses, the role's grants, services with their endpoints and
 * gateways), through the REAL snowflake-sdk
 * driver against the local emulator started in this process with the demo seed. The first read, which
 * loads the driver and signs in, is reported on its own and left out of the runs.
 *
 * No target: the read happens in the background and nothing waits for it; the figure says how stale a
 * catalog can be right after a change in the account (plus the refresh interval).
 *
 * Standalone: `node --import tsx bench/catalogRefresh.ts` prints the figures as JSON.
 */

import { performance } from 'node:perf_hooks';
import { fetchCatalog } from '../client/src/catalog/fetchCatalog';
import { withEmulatorSessions } from './emulatorSessions';
import { summarize, type Summary } from './stats';

const connection = 'bench_emulator';
const runs = 10;

export interface CatalogRefreshReport {
  readonly runs: number;
  readonly firstReadMs: number;
  readonly read: Summary;
  /** What one read brought back, to show the figure is about a real catalog. */
  readonly contents: {
    readonly pools: number;
    readonly images: number;
    readonly stages: number;
    readonly secrets: number;
    readonly grants: number;
    readonly services: number;
    readonly endpoints: number;
    readonly gateways: number;
    readonly problems: number;
  };
}

export async function measureCatalogRefresh(): Promise<CatalogRefreshReport> {
  return withEmulatorSessions(
    connection,
    () => undefined,
    async (sessions) => {
      const read = async () => {
        const result = await fetchCatalog(sessions, connection, { timeoutMs: 60_000 });
        if (!result.ok) {
          throw new Error(`reading the catalog failed: ${result.error.kind}: ${result.error.message}`);
        }
        return result.value;
      };
      const firstStarted = performance.now();
      const first = await read();
      const firstReadMs = performance.now() - firstStarted;
      const durations: number[] = [];
      for (let run = 0; run < runs; run++) {
        const started = performance.now();
        await read();
        durations.push(performance.now() - started);
      }
      const catalog = first.catalog;
      return {
        runs,
        firstReadMs,
        read: summarize(durations),
        contents: {
          pools: catalog.computePools?.length ?? 0,
          images: (catalog.imageRepositories ?? []).reduce((sum, repository) => sum + (repository.images?.length ?? 0), 0),
          stages: catalog.stages?.length ?? 0,
          secrets: catalog.secrets?.length ?? 0,
          grants: catalog.grants?.length ?? 0,
          services: catalog.services?.length ?? 0,
          endpoints: (catalog.services ?? []).reduce((sum, service) => sum + (service.endpoints?.length ?? 0), 0),
          gateways: catalog.gateways?.length ?? 0,
          problems: first.problems.length,
        },
      };
    },
  );
}

if (require.main === module) {
  measureCatalogRefresh().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
