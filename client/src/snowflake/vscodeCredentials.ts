/**
 * The VS Code side of credentials (the only file of this layer that imports `vscode`): asks for a
 * missing password / passphrase / token / MFA passcode with a masked input box and keeps what the
 * user typed in SecretStorage (the OS keychain), never in settings or logs. MFA passcodes are one-time
 * and never stored. The driver's MFA and SSO tokens are kept in SecretStorage too.
 *
 * Wiring (in `activate`): `new SnowflakeSessions({ prompter: new VsCodeCredentialPrompter(context.secrets),
 * tokenCache: new SecretStorageTokenCache(context.secrets), openBrowser: (url) => vscode.env.openExternal(vscode.Uri.parse(url)), … })`.
 */

import * as vscode from 'vscode';
import type { CredentialKind, CredentialPrompter } from './connectionOptions';
import type { TokenCache } from './tokenCache';

const labels: Readonly<Record<CredentialKind, string>> = {
  password: 'password',
  passcode: 'MFA passcode (leave empty for a Duo push)',
  passphrase: 'private key passphrase',
  token: 'access token',
};

export class VsCodeCredentialPrompter implements CredentialPrompter {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async ask(kind: CredentialKind, connectionName: string): Promise<string | undefined> {
    const key = secretKey(kind, connectionName);
    if (kind !== 'passcode') {
      const stored = await this.secrets.get(key);
      if (stored !== undefined) {
        return stored;
      }
    }
    const value = await vscode.window.showInputBox({
      title: `Snowflake connection "${connectionName}"`,
      prompt: `Enter the ${labels[kind]}`,
      password: kind !== 'passcode',
      ignoreFocusOut: true,
    });
    if (value !== undefined && value !== '' && kind !== 'passcode') {
      await this.secrets.store(key, value);
    }
    return value;
  }

  /** The stored secret, without asking (the trees' background logins use only these). */
  async stored(kind: CredentialKind, connectionName: string): Promise<string | undefined> {
    return kind === 'passcode' ? undefined : this.secrets.get(secretKey(kind, connectionName));
  }

  async forget(kind: CredentialKind, connectionName: string): Promise<void> {
    await this.secrets.delete(secretKey(kind, connectionName));
  }
}

export class SecretStorageTokenCache implements TokenCache {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async read(key: string): Promise<string | null> {
    return (await this.secrets.get(`spcs.snowflake.tokenCache.${key}`)) ?? null;
  }

  async write(key: string, token: string): Promise<void> {
    await this.secrets.store(`spcs.snowflake.tokenCache.${key}`, token);
  }

  async remove(key: string): Promise<void> {
    await this.secrets.delete(`spcs.snowflake.tokenCache.${key}`);
  }
}

function secretKey(kind: CredentialKind, connectionName: string): string {
  return `spcs.snowflake.connection.${connectionName}.${kind}`;
}
