/**
 * The Snowflake account of the browser journeys: where the workbench's extension host reads its
 * connections, and a local SPCS emulator written into them for the journeys that need an account.
 *
 * The workbench server is started once per run with `SNOWFLAKE_HOME` set to an empty temporary folder
 * (run.ts, or workbench.ts when a journey file runs on its own), named here by
 * `SPCS_E2E_SNOWFLAKE_HOME`. An account journey starts an emulator in the test process (demo seed,
 * emulated time 20× faster: a new service is READY in about 3 s) and writes `connections.toml` with
 * `emulator_dev` (DEMO_USER, role SPCS_DEVELOPER, the default) and `emulator_viewer` (VIEWER_USER,
 * role SPCS_VIEWER: USAGE and MONITOR only), exactly as test/extension/testAccount.ts does for the
 * extension-host tests, BEFORE it opens the workbench (each workbench window gets a new extension
 * host, which reads the folder when the sidebar first asks). `stop()` removes the files and stops the
 * emulator, so the next journey starts with no connections again. Journeys run one at a time.
 *
 * Must not: write anywhere but that folder; share an emulator between journeys.
 */

import { startEmulatorWithConnections, type EmulatorConnections } from '../../scripts/workbench/emulatorConnections';

/** The connections written: DEMO_USER (SPCS_DEVELOPER, default) and VIEWER_USER (SPCS_VIEWER). */
export const developerConnection = 'emulator_dev';
export const viewerConnection = 'emulator_viewer';

export interface JourneyAccountOptions {
  /** Also write the viewer connection. Default true. */
  readonly twoConnections?: boolean;
  /** Emulated time runs this many times faster than real time. Default 20. */
  readonly speed?: number;
}

export type JourneyAccount = EmulatorConnections;

/** The folder the workbench server's extension hosts use as `SNOWFLAKE_HOME`. */
export function journeySnowflakeHome(): string {
  const home = process.env.SPCS_E2E_SNOWFLAKE_HOME;
  if (!home) {
    throw new Error('SPCS_E2E_SNOWFLAKE_HOME is not set: run.ts (or workbench.ts for a file run on its own) sets it when it starts the workbench server');
  }
  return home;
}

export function startJourneyAccount(options: JourneyAccountOptions = {}): Promise<JourneyAccount> {
  return startEmulatorWithConnections({
    snowflakeHome: journeySnowflakeHome(),
    connections:
      options.twoConnections === false
        ? [{ name: developerConnection, user: 'DEMO_USER' }]
        : [
            { name: developerConnection, user: 'DEMO_USER' },
            { name: viewerConnection, user: 'VIEWER_USER' },
          ],
    speed: options.speed ?? 20,
  });
}
