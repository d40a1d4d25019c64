/**
 * The `--state FILE` persistence of the emulated account: read once at start, written atomically
 * (temporary file + rename, so a crash never leaves half a file) whenever the serialized account
 * differs from what was last written. The account itself decides what its state is
 * (`EmulatedAccount.serialize()` / `createAccount({ state })`).
 */

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export class StateFileError extends Error {
  override readonly name = 'StateFileError';
}

/** The saved state, or undefined when the file does not exist yet. */
export function readState(statePath: string): unknown {
  if (!existsSync(statePath)) return undefined;
  const text = readFileSync(statePath, 'utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    const envelope = parsed as { format?: unknown; account?: unknown } | null;
    if (envelope !== null && typeof envelope === 'object' && envelope.format === stateFormat) return envelope.account;
    throw new StateFileError(`${statePath} is not an spcs-emulator state file (expected "format": "${stateFormat}").`);
  } catch (error) {
    if (error instanceof StateFileError) throw error;
    throw new StateFileError(`${statePath} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const stateFormat = 'spcs-emulator-state/1';

export class StateWriter {
  private lastWritten: string | undefined;

  constructor(
    private readonly statePath: string,
    private readonly serialize: () => unknown,
  ) {}

  /** Writes the state when it changed since the last write (or always with `force`). Returns whether it wrote. */
  save(force = false): boolean {
    const account = this.serialize();
    // Compare the account alone (not the timestamp) so that an unchanged account is not rewritten.
    const comparable = JSON.stringify(account);
    if (!force && comparable === this.lastWritten) return false;
    const text = `${JSON.stringify({ format: stateFormat, savedAt: new Date().toISOString(), account }, null, 2)}\n`;
    mkdirSync(path.dirname(path.resolve(this.statePath)), { recursive: true });
    const temporary = `${this.statePath}.${process.pid}.tmp`;
    writeFileSync(temporary, text, { encoding: 'utf8', mode: 0o600 });
    renameSync(temporary, this.statePath);
    this.lastWritten = comparable;
    return true;
  }

  /** Marks the current state as already saved (right after loading it). */
  markSaved(): void {
    this.lastWritten = JSON.stringify(this.serialize());
  }
}
