/**
 * When the sessions may ask the user for a secret. The trees connect in the background and must
 * never pop dialogs, while a command the user runs (deploy, `spcs.signIn`, …) may ask. The gate is
 * the prompter the sessions get; it tells the two apart with an `AsyncLocalStorage` scope that
 * follows the promise chain: work run through `withoutPrompts()` (the trees' queries) that causes a
 * login gets only stored secrets, and when none is stored the gate answers `undefined` (the login
 * fails with an `auth` error) and remembers that the connection needs a sign-in, so the tree shows a
 * "Sign in" node. Everything else (commands, `spcs.signIn`) reaches the real prompter, which asks.
 *
 * A login is shared by concurrent callers (one per connection in `SnowflakeSessions`), so the scope
 * that counts is that of the caller who started it.
 *
 * Pure: no `vscode`.
 */

import { AsyncLocalStorage } from 'node:async_hooks';
import type { CredentialKind, CredentialPrompter } from '../snowflake/connectionOptions';

/** A prompter that can also say what it has stored without asking. */
export interface StoringPrompter extends CredentialPrompter {
  stored?(kind: CredentialKind, connectionName: string): Promise<string | undefined>;
}

export class SignInGate implements CredentialPrompter {
  private readonly scope = new AsyncLocalStorage<'quiet'>();
  private readonly missing = new Map<string, CredentialKind>();

  constructor(private readonly inner: StoringPrompter) {}

  async ask(kind: CredentialKind, connectionName: string): Promise<string | undefined> {
    if (this.scope.getStore() !== 'quiet') {
      const answer = await this.inner.ask(kind, connectionName);
      if (answer !== undefined) this.missing.delete(connectionName);
      return answer;
    }
    const stored = kind === 'passcode' ? undefined : await this.inner.stored?.(kind, connectionName);
    if (stored !== undefined) return stored;
    this.missing.set(connectionName, kind);
    return undefined;
  }

  async forget(kind: CredentialKind, connectionName: string): Promise<void> {
    await this.inner.forget?.(kind, connectionName);
  }

  /** Runs `work` so that logins it starts never ask the user. */
  withoutPrompts<T>(work: () => Promise<T>): Promise<T> {
    return this.scope.run('quiet', work);
  }

  /** Whether the last quiet login of `connectionName` stopped for a secret nobody was asked for. */
  needsSignIn(connectionName: string): boolean {
    return this.missing.has(connectionName);
  }

  /** Forgets that a connection (or every one) needs a sign-in: after a sign-in or when its settings changed. */
  reset(connectionName?: string): void {
    if (connectionName === undefined) this.missing.clear();
    else this.missing.delete(connectionName);
  }
}
