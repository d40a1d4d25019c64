/**
 * Reading a VSIX (a zip file) without extra dependencies: listing its entries for the packaging test
 * and unpacking its `extension/` folder for the activation benchmark, which runs exactly what ships.
 *
 * Owns: the zip central directory (stored and deflated entries; no zip64, which a VSIX of a few MB
 * never needs). Must not: write outside the destination folder it is given.
 */

import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';

export interface VsixEntry {
  readonly name: string;
  readonly size: number;
  readonly compressedSize: number;
  /** Where its local header starts. */
  readonly offset: number;
  readonly method: number;
}

export function vsixPath(root: string): string {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(root, `${manifest.name}-${manifest.version}.vsix`);
}

export function vsixSize(file: string): number {
  return statSync(file).size;
}

export function listVsix(file: string): VsixEntry[] {
  const zip = readFileSync(file);
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
  let end = -1;
  for (let index = zip.length - 22; index >= Math.max(0, zip.length - 65_557); index--) {
    if (zip.readUInt32LE(index) === 0x06054b50) {
      end = index;
      break;
    }
  }
  if (end < 0) {
    throw new Error(`${file} is not a zip file`);
  }
  const count = zip.readUInt16LE(end + 10);
  let cursor = zip.readUInt32LE(end + 16);
  const entries: VsixEntry[] = [];
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(cursor) !== 0x02014b50) {
      throw new Error(`${file}: bad central directory entry ${index}`);
    }
    const nameLength = zip.readUInt16LE(cursor + 28);
    const extraLength = zip.readUInt16LE(cursor + 30);
    const commentLength = zip.readUInt16LE(cursor + 32);
    entries.push({
      name: zip.toString('utf8', cursor + 46, cursor + 46 + nameLength),
      method: zip.readUInt16LE(cursor + 10),
      compressedSize: zip.readUInt32LE(cursor + 20),
      size: zip.readUInt32LE(cursor + 24),
      offset: zip.readUInt32LE(cursor + 42),
    });
    cursor += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Unpacks the entries under `extension/` into `destination` (the installed extension's folder). */
export function extractVsixExtension(file: string, destination: string): void {
  const zip = readFileSync(file);
  for (const entry of listVsix(file)) {
    if (!entry.name.startsWith('extension/') || entry.name.endsWith('/')) {
      continue;
    }
    const target = path.resolve(destination, entry.name.slice('extension/'.length));
    if (!target.startsWith(path.resolve(destination) + path.sep)) {
      throw new Error(`${file}: entry ${entry.name} points outside the extension folder`);
    }
    const nameLength = zip.readUInt16LE(entry.offset + 26);
    const extraLength = zip.readUInt16LE(entry.offset + 28);
    const start = entry.offset + 30 + nameLength + extraLength;
    const data = zip.subarray(start, start + entry.compressedSize);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, entry.method === 8 ? inflateRawSync(data) : data);
  }
}
