/**
 * Resource quantities as the specification reference defines them (§1.11 "About units").
 *
 * Owns: parsing memory and cpu quantities into numbers (bytes, vCPUs) and formatting them back for
 * messages and hover. Memory fields document M, Mi, G and Gi; the general unit list also has k/Ki
 * and T/Ti, which are parsed (so capacity sums stay right) but flagged by the rules as undocumented
 * for memory.
 */

export interface MemoryQuantity {
  readonly bytes: number;
  readonly unit: string;
  /** Whether the unit is one the memory field documents (M, Mi, G, Gi). */
  readonly documentedUnit: boolean;
}

const memoryUnits: Readonly<Record<string, number>> = {
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

const documentedMemoryUnits = new Set(['M', 'Mi', 'G', 'Gi']);

/** `2Gi` → 2147483648 bytes; undefined for text that is not a quantity with a unit. */
export function parseMemory(text: string): MemoryQuantity | undefined {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([kKMGT]i?)\s*$/.exec(text);
  if (!match) {
    return undefined;
  }
  const [, amount = '', unit = ''] = match;
  const factor = memoryUnits[unit];
  if (factor === undefined) {
    return undefined;
  }
  return { bytes: Number(amount) * factor, unit, documentedUnit: documentedMemoryUnits.has(unit) };
}

/** A bare number is not a valid memory quantity, but knowing what it was meant to be helps the message. */
export function isBareNumber(text: string): boolean {
  return /^\s*[0-9]+(?:\.[0-9]+)?\s*$/.test(text);
}

/** `0.5`, `2`, `500m` → vCPUs; undefined for anything else. */
export function parseCpu(text: string): number | undefined {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)(m?)\s*$/.exec(text);
  if (!match) {
    return undefined;
  }
  const value = Number(match[1]);
  return match[2] === 'm' ? value / 1000 : value;
}

export const bytesPerGiB = 1024 ** 3;

export function formatGiB(bytes: number): string {
  return `${formatNumber(bytes / bytesPerGiB)} GiB`;
}

export function formatBytes(bytes: number): string {
  return `${Math.round(bytes).toLocaleString('en-US')} bytes`;
}

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}
