/**
 * Where the cursor is: the node under an offset (parsed tree) and the completion site read from
 * indentation, including documents that are half typed or do not parse.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isScalar } from 'yaml';
import { completionSite, type CompletionSite, type KeySite, type ValueSite } from '../../../server/src/service/cursor/completionSite';
import { locateNode } from '../../../server/src/service/cursor/nodeAt';
import { schemaTarget } from '../../../server/src/service/cursor/schemaTarget';
import { withCaret } from './caret';

function site(marked: string, caret = '|'): CompletionSite {
  const fixture = withCaret(marked, caret);
  return completionSite(fixture.doc, fixture.offset);
}

function keySite(marked: string): KeySite {
  const result = site(marked);
  assert.equal(result.kind, 'key', `expected a key site, got ${JSON.stringify(result)}`);
  return result;
}

function valueSite(marked: string): ValueSite {
  const result = site(marked);
  assert.equal(result.kind, 'value', `expected a value site, got ${JSON.stringify(result)}`);
  return result;
}

describe('locateNode', () => {
  const spec = 'spec:\n  containers:\n    - name: main\n      image: /db/s/r/img:1\n      resources:\n        requests:\n          memory: 4G\n';

  it('finds a key with the path of its value', () => {
    const fixture = withCaret(spec.replace('memory', 'mem|ory'));
    const location = locateNode(fixture.doc, fixture.offset);
    assert.ok(location);
    assert.equal(location.isKey, true);
    assert.deepEqual(location.path, ['spec', 'containers', 0, 'resources', 'requests', 'memory']);
    assert.ok(isScalar(location.node) && location.node.value === 'memory');
  });

  it('finds a value, including right after its last character', () => {
    const fixture = withCaret(spec.replace('4G', '4G|'));
    const location = locateNode(fixture.doc, fixture.offset);
    assert.ok(location && isScalar(location.node));
    assert.equal(location.isKey, false);
    assert.equal(location.node.value, '4G');
    assert.equal(location.pair && isScalar(location.pair.key) ? location.pair.key.value : undefined, 'memory');
  });

  it('finds items of a flow sequence by index', () => {
    const fixture = withCaret('serviceRoles:\n  - name: r\n    endpoints: [api, w|eb]\n');
    const location = locateNode(fixture.doc, fixture.offset);
    assert.deepEqual(location?.path, ['serviceRoles', 0, 'endpoints', 1]);
  });

  it('does not mistake the start of the next top-level key for the end of a mapping', () => {
    const fixture = withCaret('spec:\n  a: 1\n|capabilities: {}\n');
    const location = locateNode(fixture.doc, fixture.offset);
    assert.equal(location?.isKey, true);
    assert.deepEqual(location?.path, ['capabilities']);
  });

  it('returns undefined on an empty document', () => {
    const fixture = withCaret('|');
    assert.equal(locateNode(fixture.doc, fixture.offset), undefined);
  });
});

describe('completionSite: keys', () => {
  it('reads the path of an empty line under a key from its indentation', () => {
    const result = keySite('spec:\n  containers:\n    - name: main\n      resources:\n        |\n');
    assert.deepEqual(result.path, ['spec', 'containers', 0, 'resources']);
    assert.equal(result.column, 8);
    assert.equal(result.afterDash, false);
  });

  it('reads a list item after `- ` and counts the items above it', () => {
    const result = keySite('spec:\n  containers:\n    - name: a\n      image: x\n    - name: b\n      image: y\n    - |\n');
    assert.deepEqual(result.path, ['spec', 'containers', 2]);
    assert.equal(result.afterDash, true);
    assert.equal(result.column, 6);
  });

  it('handles a list written at its key’s own indentation', () => {
    const result = keySite('spec:\n  containers:\n  - name: a\n    image: x\n  - name: b\n    |\n');
    assert.deepEqual(result.path, ['spec', 'containers', 1]);
    assert.deepEqual([...result.siblings.keys()], ['name']);
  });

  it('collects the keys of the mapping above and below the cursor', () => {
    const result = keySite('spec:\n  containers:\n    - name: a\n      |\n      image: x\n      env:\n        A: 1\n  endpoints: []\n');
    assert.deepEqual([...result.siblings.keys()].sort(), ['env', 'image', 'name']);
  });

  it('reads a half-typed key (no colon) in a document that does not parse', () => {
    const fixture = withCaret('spec:\n  containers:\n    - name: a\n      ima|\n      env:\n        X: "unclosed\n');
    assert.ok(fixture.doc.yaml && fixture.doc.yaml.errors.length > 0, 'the fixture has parse errors');
    const result = completionSite(fixture.doc, fixture.offset);
    assert.equal(result.kind, 'key');
    assert.deepEqual((result).path, ['spec', 'containers', 0]);
    assert.equal((result).prefix, 'ima');
  });

  it('knows the cursor is on an existing key (replace the name only)', () => {
    const fixture = withCaret('spec:\n  containers:\n    - na|me: a\n');
    const result = completionSite(fixture.doc, fixture.offset) as KeySite;
    assert.equal(result.kind, 'key');
    assert.equal(result.hasColon, true);
    assert.equal(result.prefix, 'na');
    assert.equal(fixture.text.slice(result.replaceStart, result.replaceEnd), 'name');
  });

  it('asks for a space right after a bare dash', () => {
    const result = keySite('spec:\n  containers:\n    -|\n');
    assert.equal(result.needsSpace, true);
    assert.equal(result.column, 6);
    assert.deepEqual(result.path, ['spec', 'containers', 0]);
  });

  it('reads nested lists on one line', () => {
    const result = keySite('spec:\n  resourceManagement:\n    autoScalingPolicies:\n      scaleUp:\n        anyConditions:\n          - metricCondition:\n              |\n');
    assert.deepEqual(result.path, ['spec', 'resourceManagement', 'autoScalingPolicies', 'scaleUp', 'anyConditions', 0, 'metricCondition']);
  });

  it('stops at the document marker of the spec', () => {
    const result = keySite('other: 1\n---\n|\n');
    assert.deepEqual(result.path, []);
    assert.equal(result.siblings.has('other'), false);
  });

  it('reads CRLF line endings', () => {
    const result = keySite('spec:\r\n  containers:\r\n    - name: a\r\n      |\r\n');
    assert.deepEqual(result.path, ['spec', 'containers', 0]);
    assert.deepEqual([...result.siblings.keys()], ['name']);
  });

  it('offers nothing inside a block scalar', () => {
    assert.equal(site('spec:\n  containers:\n    - name: a\n      command: |\n        echo ^\n', '^').kind, 'none');
    assert.equal(site('spec:\n  containers:\n    - name: a\n      command: |\n        echo\n        ^\n', '^').kind, 'none');
    assert.equal(site('spec:\n  containers:\n    - name: a\n      args:\n        - |\n          run ^\n', '^').kind, 'none');
    assert.equal(site('spec:\n  containers:\n    - name: a\n      command: |\n        echo\n      ^\n', '^').kind, 'key');
  });

  it('marks the start of an empty first line', () => {
    assert.equal(keySite('|').atDocumentStart, true);
    assert.equal(keySite('\n|').atDocumentStart, false);
  });

  it('ignores template placeholders in the lines above', () => {
    const result = site('spec:\n  containers:\n    - name: {{ name }}\n      image: {{ image | default("x:1") }}\n      ^\n', '^') as KeySite;
    assert.equal(result.kind, 'key');
    assert.deepEqual(result.path, ['spec', 'containers', 0]);
    assert.deepEqual([...result.siblings.keys()].sort(), ['image', 'name']);
  });
});

describe('completionSite: values and comments', () => {
  it('reads the value after `key: ` with what was typed', () => {
    const fixture = withCaret('spec:\n  containers:\n    - name: a\n      resources:\n        limits:\n          memory: 4|\n');
    const result = completionSite(fixture.doc, fixture.offset) as ValueSite;
    assert.equal(result.kind, 'value');
    assert.deepEqual(result.path, ['spec', 'containers', 0, 'resources', 'limits', 'memory']);
    assert.equal(result.prefix, '4');
    assert.equal(fixture.text.slice(result.replaceStart, result.replaceEnd), '4');
  });

  it('asks for a space right after a bare colon', () => {
    const result = valueSite('spec:\n  endpoints:\n    - name: a\n      protocol:|\n');
    assert.equal(result.needsSpace, true);
    assert.deepEqual(result.path, ['spec', 'endpoints', 0, 'protocol']);
  });

  it('reads a value inside quotes', () => {
    const result = valueSite('spec:\n  volumes:\n    - name: a\n      source: "bl|"\n');
    assert.equal(result.quote, '"');
    assert.equal(result.prefix, 'bl');
  });

  it('reads an item of a flow sequence', () => {
    const result = valueSite('serviceRoles:\n  - name: r\n    endpoints: [api, |]\n');
    assert.deepEqual(result.path, ['serviceRoles', 0, 'endpoints', 1]);
    assert.equal(result.inFlowSequence, true);
  });

  it('reads the value of the first key of a list item', () => {
    const result = valueSite('spec:\n  containers:\n    - name: a\n      volumeMounts:\n        - name: |\n');
    assert.deepEqual(result.path, ['spec', 'containers', 0, 'volumeMounts', 0, 'name']);
  });

  it('sees the siblings of the value’s mapping, below the cursor too', () => {
    const result = valueSite('spec:\n  volumes:\n    - name: data\n      size: |\n      source: block\n');
    assert.equal(result.siblings.get('source'), 'block');
  });

  it('reads a comment', () => {
    const result = site('# spcs: instance-family=GP|\nspec:\n');
    assert.equal(result.kind, 'comment');
    assert.equal(result.kind === 'comment' ? result.text : '', ' spcs: instance-family=GP');
  });

  it('offers nothing inside a template placeholder', () => {
    assert.equal(site('spec:\n  containers:\n    - name: a\n      image: {{ ima|ge }}\n').kind, 'none');
  });
});

describe('schemaTarget', () => {
  it('keeps the field’s own description next to its $ref', () => {
    const target = schemaTarget(['spec', 'containers', 0, 'resources', 'requests', 'memory']);
    assert.equal(target.declared?.$ref, '#/definitions/memoryQuantity');
    assert.ok(target.schema?.pattern);
  });

  it('reads a legacy singular key holding one mapping as the list’s item', () => {
    const target = schemaTarget(['spec', 'container', 'image']);
    assert.deepEqual(target.schema?.type, 'string');
  });
});
