/**
 * Go to definition, find references and rename for volume and endpoint names.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Location, Range } from 'vscode-languageserver-types';
import { UserFacingError } from '../../../server/src/service/errors';
import { findDefinition, findReferences, prepareRename, rename } from '../../../server/src/service/navigation';
import { withCaret } from './caret';

const spec = `spec:
  containers:
    - name: main
      image: /db/s/r/main:1
      volumeMounts:
        - name: data
          mountPath: /data
        - name: "cache"
          mountPath: /cache
    - name: side
      image: /db/s/r/side:1
      volumeMounts:
        - name: data
          mountPath: /shared
        - name: {{ templated }}
          mountPath: /t
  endpoints:
    - name: api
      port: 8080
    - name: admin
      port: 9090
  volumes:
    - name: data
      source: block
      size: 10Gi
    - name: 'cache'
      source: memory
      size: 1Gi
serviceRoles:
  - name: users
    endpoints:
      - api
  - name: admins
    endpoints: [api, admin]
`;

/** `spec` with the caret `after` characters into the `nth` occurrence of `needle`. */
function at(needle: string, after: number, nth = 0): ReturnType<typeof withCaret> {
  let index = -1;
  for (let count = 0; count <= nth; count++) {
    index = spec.indexOf(needle, index + 1);
    assert.ok(index !== -1, `no occurrence ${nth} of ${needle}`);
  }
  return withCaret(`${spec.slice(0, index + after)}|${spec.slice(index + after)}`);
}

function textAt(range: Range): string {
  const lines = spec.split('\n');
  assert.equal(range.start.line, range.end.line);
  return (lines[range.start.line] ?? '').slice(range.start.character, range.end.character);
}

function lines(locations: readonly Location[]): number[] {
  return locations.map((location) => location.range.start.line).sort((a, b) => a - b);
}

describe('go to definition', () => {
  it('goes from a volume mount to the volume’s name', () => {
    const fixture = at('- name: data', 10);
    const locations = findDefinition(fixture.doc, fixture.position);
    assert.equal(locations.length, 1);
    assert.equal(locations[0]?.uri, fixture.doc.textDocument.uri);
    assert.deepEqual(locations[0]?.range, { start: { line: 22, character: 12 }, end: { line: 22, character: 16 } });
  });

  it('goes from a service role entry to the endpoint’s name, in block and flow lists', () => {
    const block = at('      - api', 8);
    assert.deepEqual(lines(findDefinition(block.doc, block.position)), [17]);
    const flow = at('[api, admin]', 'api, ad'.length);
    const locations = findDefinition(flow.doc, flow.position);
    assert.equal(locations[0]?.range.start.line, 19);
    assert.equal(textAt(locations[0].range), 'admin');
  });

  it('points inside the quotes of a quoted name', () => {
    const fixture = at('name: "cache"', 8);
    const locations = findDefinition(fixture.doc, fixture.position);
    assert.equal(textAt(locations[0]!.range), 'cache');
    assert.equal(locations[0]?.range.start.line, 25);
  });

  it('finds nothing on other values, templated names, or names nothing defines', () => {
    for (const fixture of [at('/db/s/r/main', 3), at('{{ templated }}', 5), at('- name: main', 9)]) {
      assert.deepEqual(findDefinition(fixture.doc, fixture.position), []);
    }
    const unknown = withCaret('spec:\n  containers:\n    - name: a\n      volumeMounts:\n        - name: gh|ost\n');
    assert.deepEqual(findDefinition(unknown.doc, unknown.position), []);
  });
});

describe('find references', () => {
  it('finds every mount of a volume from its definition, with or without the declaration', () => {
    const fixture = at('- name: data\n      source', 9);
    assert.deepEqual(lines(findReferences(fixture.doc, fixture.position, true)), [5, 12, 22]);
    assert.deepEqual(lines(findReferences(fixture.doc, fixture.position, false)), [5, 12]);
  });

  it('finds the same from a reference', () => {
    const fixture = at('- name: data', 9, 1);
    assert.deepEqual(lines(findReferences(fixture.doc, fixture.position, true)), [5, 12, 22]);
  });

  it('finds the service roles that list an endpoint', () => {
    const fixture = at('- name: api', 9);
    const references = findReferences(fixture.doc, fixture.position, false);
    assert.deepEqual(lines(references), [31, 33]);
    assert.ok(references.every((location) => textAt(location.range) === 'api'));
  });

  it('keeps volumes and endpoints apart', () => {
    const text = 'spec:\n  containers:\n    - name: a\n      volumeMounts:\n        - name: x\n  endpoints:\n    - name: x\n  volumes:\n    - name: x\n      source: local\nserviceRoles:\n  - name: r\n    endpoints: [x]\n';
    const fixture = withCaret(text.replace('- name: x\n  volumes', '- name: |x\n  volumes'));
    assert.deepEqual(lines(findReferences(fixture.doc, fixture.position, true)), [6, 12]);
  });
});

describe('rename', () => {
  it('prepares a rename on a definition or a reference, with the name as placeholder', () => {
    const definition = at('- name: data\n      source', 9);
    const prepared = prepareRename(definition.doc, definition.position);
    assert.equal(prepared?.placeholder, 'data');
    assert.equal(textAt(prepared.range), 'data');
    const reference = at('[api', 2);
    assert.equal(prepareRename(reference.doc, reference.position)?.placeholder, 'api');
  });

  it('refuses to prepare a rename elsewhere (null, as LSP expects)', () => {
    for (const fixture of [at('image:', 2), at('- name: main', 9), at('{{ templated }}', 4), at('- name: users', 9)]) {
      assert.equal(prepareRename(fixture.doc, fixture.position), null);
    }
  });

  it('renames a volume and all its mounts, keeping quotes', () => {
    const fixture = at('name: "cache"', 9);
    const edit = rename(fixture.doc, fixture.position, 'fast-cache');
    const edits = edit?.changes?.[fixture.doc.textDocument.uri] ?? [];
    assert.equal(edits.length, 2);
    const renamed = TextDocument.applyEdits(fixture.doc.textDocument, edits);
    assert.match(renamed, /- name: "fast-cache"\n {10}mountPath: \/cache/);
    assert.match(renamed, /- name: 'fast-cache'\n {6}source: memory/);
  });

  it('renames an endpoint from a service role, in block and flow lists', () => {
    const fixture = at('      - api', 8);
    const edits = rename(fixture.doc, fixture.position, 'public-api')?.changes?.[fixture.doc.textDocument.uri] ?? [];
    const renamed = TextDocument.applyEdits(fixture.doc.textDocument, edits);
    assert.equal(edits.length, 3);
    assert.match(renamed, /- name: public-api\n {6}port: 8080/);
    assert.match(renamed, /endpoints:\n {6}- public-api\n/);
    assert.match(renamed, /endpoints: \[public-api, admin\]/);
  });

  it('throws a user-facing error for an invalid name or a name already taken', () => {
    const fixture = at('- name: data', 9);
    assert.throws(() => rename(fixture.doc, fixture.position, 'Bad_Name'), (error: unknown) => error instanceof UserFacingError && /not a valid volume name/.test(error.message));
    assert.throws(() => rename(fixture.doc, fixture.position, 'x'.repeat(64)), UserFacingError);
    assert.throws(() => rename(fixture.doc, fixture.position, 'cache'), (error: unknown) => error instanceof UserFacingError && /already has a volume named "cache"/.test(error.message));
  });

  it('allows an endpoint to take a volume’s name, and a no-op rename', () => {
    const fixture = at('- name: api', 9);
    assert.equal(rename(fixture.doc, fixture.position, 'data')?.changes?.[fixture.doc.textDocument.uri]?.length, 3);
    assert.deepEqual(rename(fixture.doc, fixture.position, 'api')?.changes?.[fixture.doc.textDocument.uri], []);
  });

  it('returns null where nothing can be renamed', () => {
    const fixture = at('image:', 2);
    assert.equal(rename(fixture.doc, fixture.position, 'anything'), null);
  });

  it('works with the legacy singular keys', () => {
    const fixture = withCaret('spec:\n  container:\n    name: a\n    volumeMounts:\n      - name: old\n  volume:\n    - name: o|ld\n      source: local\n');
    const edits = rename(fixture.doc, fixture.position, 'new')?.changes?.[fixture.doc.textDocument.uri] ?? [];
    assert.equal(TextDocument.applyEdits(fixture.doc.textDocument, edits), 'spec:\n  container:\n    name: a\n    volumeMounts:\n      - name: new\n  volume:\n    - name: new\n      source: local\n');
  });
});
