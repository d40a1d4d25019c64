/**
 * The import graph of the product code has no cycles: not between modules (client/src, server/src,
 * emulator/src, every import counted, type-only ones too), and not between the client's rooms (the
 * folders of client/src, see docs/architecture.md), so that each room can be read from the rooms
 * below it. The walls that lint keeps (eslint.config.mjs) say which way an import may go; this
 * test says that no way loops back.
 *
 * Imports are read with TypeScript's own scanner (`preProcessFile`) and resolved like the compiler
 * (relative paths, `.ts` then `/index.ts`); packages are leaves.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const root = path.resolve(__dirname, '..', '..');
const products = ['client/src', 'server/src', 'emulator/src'];

function sourceFiles(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder)) {
    const full = path.join(folder, entry);
    if (statSync(full).isDirectory()) found.push(...sourceFiles(full));
    else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) found.push(full);
  }
  return found;
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
    try {
      if (statSync(candidate).isFile() && candidate.endsWith('.ts')) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** Every product module with the product modules it imports (statically or with `import()`). */
function importGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const product of products) {
    for (const file of sourceFiles(path.join(root, product))) {
      const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      const targets = new Set<string>();
      for (const imported of info.importedFiles) {
        const target = resolveImport(file, imported.fileName);
        if (target !== undefined) targets.add(target);
      }
      graph.set(file, targets);
    }
  }
  return graph;
}

/** The strongly connected components with more than one member (or a self-loop): Tarjan's algorithm. */
function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** A client module's room: its folder under client/src, or the file itself at the top (`extension.ts`, `features.ts`, …). */
function roomOf(file: string): string | undefined {
  const relative = path.relative(path.join(root, 'client/src'), file);
  if (relative.startsWith('..')) return undefined;
  const [first] = relative.split(path.sep);
  return first;
}

describe('import graph', () => {
  const graph = importGraph();

  it('reads the product code', () => {
    assert.ok(graph.size > 150, `${graph.size} modules`);
  });

  it('has no cycle between modules', () => {
    const relative = cycles(graph).map((component) => component.map((file) => path.relative(root, file)));
    assert.deepEqual(relative, [], `import cycles:\n${relative.map((component) => `  ${component.join(' → ')}`).join('\n')}`);
  });

  it("has no cycle between the client's rooms", () => {
    const rooms = new Map<string, Set<string>>();
    const why = new Map<string, string>();
    for (const [file, targets] of graph) {
      const from = roomOf(file);
      if (from === undefined) continue;
      const edges = rooms.get(from) ?? new Set<string>();
      rooms.set(from, edges);
      for (const target of targets) {
        const to = roomOf(target);
        if (to === undefined || to === from) continue;
        edges.add(to);
        why.set(`${from}→${to}`, `${path.relative(root, file)} imports ${path.relative(root, target)}`);
      }
    }
    const found = cycles(rooms);
    const explained = found.map((component) =>
      component.flatMap((from) => component.filter((to) => rooms.get(from)?.has(to)).map((to) => why.get(`${from}→${to}`) ?? `${from}→${to}`)).join('\n    '),
    );
    assert.deepEqual(explained, [], `rooms that import each other:\n    ${explained.join('\n  and\n    ')}`);
  });
});
