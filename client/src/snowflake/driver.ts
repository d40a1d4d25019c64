/**
 * Loads `snowflake-sdk` on first use (requiring it costs ~0.5–0.7 s: it eagerly loads the AWS, Azure
 * and GCP SDKs), and configures it for life inside an editor:
 *
 * - `SNOWFLAKE_DISABLE_PLATFORM_DETECTION=true` (unless set): otherwise loading the module probes
 *   cloud metadata endpoints and AWS STS from the user's machine.
 * - Logging goes to the injected logger through `customLogger` (which replaces the driver's console
 *   and `./snowflake.log` file output entirely), after `redact`; nothing is written to the cwd.
 * - `useEnvProxy: false`: `connectionOptions.ts` resolves HTTP(S)_PROXY/NO_PROXY per connection, so
 *   loopback addresses (the local emulator) never go through a corporate proxy.
 * - `customCredentialManager`: the injected token cache (MFA and SSO tokens).
 *
 * The module is returned, not cached here: `SnowflakeSessions` keeps the promise (no module-level
 * mutable state). Configuration is global to the driver module, which only this layer uses.
 */

import type * as SnowflakeSdk from 'snowflake-sdk';
import type { TokenCache } from './tokenCache';

export type SnowflakeDriver = typeof SnowflakeSdk;
export type DriverLogLevel = 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE' | 'OFF';

/** Where driver log lines go (VS Code: the extension's LogOutputChannel). */
export interface DriverLogger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  trace(message: string): void;
}

export interface DriverSetup {
  readonly logger?: DriverLogger;
  /** Default WARN: the driver's INFO lines describe every connection and statement. */
  readonly logLevel?: DriverLogLevel;
  readonly tokenCache?: TokenCache;
  /** Applied to every log line (the session manager removes the secrets it knows). */
  readonly redact?: (text: string) => string;
  /** Replaces the `import('snowflake-sdk')` (tests measure laziness with it). */
  readonly importDriver?: () => Promise<unknown>;
}

export async function loadDriver(setup: DriverSetup = {}): Promise<SnowflakeDriver> {
  // The driver reads this from process.env when it loads.
  process.env['SNOWFLAKE_DISABLE_PLATFORM_DETECTION'] ??= 'true';
  const imported = (await (setup.importDriver ?? (() => import('snowflake-sdk')))()) as SnowflakeDriver & { default?: SnowflakeDriver };
  const driver: SnowflakeDriver = typeof imported.createConnection === 'function' ? imported : (imported.default ?? imported);
  const redact = setup.redact ?? ((text: string) => text);
  const logger = setup.logger;
  const silent = (): void => undefined;
  const tokenCache = setup.tokenCache;
  driver.configure({
    logLevel: logger ? (setup.logLevel ?? 'WARN') : 'OFF',
    customLogger: {
      error: logger ? (message) => logger.error(redact(message)) : silent,
      warn: logger ? (message) => logger.warn(redact(message)) : silent,
      info: logger ? (message) => logger.info(redact(message)) : silent,
      debug: logger ? (message) => logger.debug(redact(message)) : silent,
      trace: logger ? (message) => logger.trace(redact(message)) : silent,
    },
    useEnvProxy: false,
    // The driver checks for OWN properties read/write/remove, so class instances are wrapped.
    ...(tokenCache ? { customCredentialManager: { read: (key: string) => tokenCache.read(key), write: (key: string, token: string) => tokenCache.write(key, token), remove: (key: string) => tokenCache.remove(key) } } : {}),
  });
  return driver;
}
