/**
 * The token cache the driver uses for MFA tokens and browser-SSO ID tokens ("temporary
 * credentials"), plugged in as its `customCredentialManager`. The VS Code side backs it with
 * SecretStorage (`vscodeCredentials.ts`) so tokens survive restarts without sitting in a plain file;
 * tests and other hosts use `MemoryTokenCache`.
 *
 * `tokenCacheKey` mirrors the driver's `buildCacheKey` (snowflake-sdk 3.3.0
 * `authentication/cache_key_builder.js`) so this layer can tell whether a login will need a passcode
 * before it starts one; the integration tests check that the driver writes exactly this key.
 */

import { createHash } from 'node:crypto';

/** The driver's credential-manager interface (`configure({ customCredentialManager })`). */
export interface TokenCache {
  read(key: string): Promise<string | null>;
  write(key: string, token: string): Promise<void>;
  remove(key: string): Promise<void>;
}

export type CachedTokenType = 'IdToken' | 'MfaToken';

export class MemoryTokenCache implements TokenCache {
  private readonly tokens = new Map<string, string>();

  read(key: string): Promise<string | null> {
    return Promise.resolve(this.tokens.get(key) ?? null);
  }

  write(key: string, token: string): Promise<void> {
    this.tokens.set(key, token);
    return Promise.resolve();
  }

  remove(key: string): Promise<void> {
    this.tokens.delete(key);
    return Promise.resolve();
  }

  keys(): string[] {
    return [...this.tokens.keys()];
  }
}

/** `SnowflakeTokenCache.v2.<type>.<sha256 of {snowflakeHost, username}>`, as the driver builds it. */
export function tokenCacheKey(type: CachedTokenType, host: string, username: string | undefined): string | undefined {
  if (!username) {
    return undefined;
  }
  const normalizedUser = username.includes('"') ? username : username.toLowerCase();
  const hash = createHash('sha256').update(JSON.stringify({ snowflakeHost: host, username: normalizedUser }), 'utf8').digest('hex');
  return `SnowflakeTokenCache.v2.${type}.${hash}`;
}
