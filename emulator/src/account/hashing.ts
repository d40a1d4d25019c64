/**
 * Deterministic pseudo-randomness for the emulator: digests, host hashes, IP addresses and log
 * content are functions of names and times, so every run (and every restore of a saved state)
 * shows the same values.
 *
 * Must not: use Math.random or the wall clock.
 */

import { createHash } from 'node:crypto';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A 32-bit unsigned integer derived from the parts (FNV-1a over the joined text). */
export function hash32(...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5;
  const text = parts.join('\u0001');
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // A final avalanche so that near-identical inputs give unrelated outputs.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** An integer in [0, modulo) derived from the parts. */
export function pick(modulo: number, ...parts: readonly (string | number)[]): number {
  return modulo <= 0 ? 0 : hash32(...parts) % modulo;
}

/** A choice from a non-empty list derived from the parts. */
export function choose<T>(items: readonly [T, ...T[]], ...parts: readonly (string | number)[]): T {
  return items[pick(items.length, ...parts)] ?? items[0];
}

/** Lower-case base-36 text of the given length derived from the parts. */
export function shortHash(length: number, ...parts: readonly (string | number)[]): string {
  const digest = sha256Hex(parts.join('\u0001'));
  let text = '';
  for (let i = 0; text.length < length && i + 8 <= digest.length; i += 8) {
    text += parseInt(digest.slice(i, i + 8), 16).toString(36);
  }
  return text.slice(0, length).padStart(length, '0');
}
