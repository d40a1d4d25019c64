import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { looksLikeSpec } from '../../client/src/language/specDetection';

describe('looksLikeSpec (client-side language detection)', () => {
  it('detects a spec with containers or the legacy container key', () => {
    assert.equal(looksLikeSpec('spec:\n  containers:\n    - name: a\n'), true);
    assert.equal(looksLikeSpec('# header\n\nspec:\n  container:\n  - name: a\n'), true);
  });
  it('detects specs whose top level is indented (embedded in SQL or Markdown)', () => {
    assert.equal(looksLikeSpec('    spec:\n      containers:\n      - name: a\n'), true);
  });
  it('detects specs with other top-level keys first', () => {
    assert.equal(looksLikeSpec('capabilities:\n  securityContext:\n    executeAsCaller: true\nspec:\n  endpoints: []\n  containers: []\n'), true);
  });
  it('ignores other YAML', () => {
    assert.equal(looksLikeSpec('apiVersion: v1\nkind: Pod\nspec:\n  template:\n    containers: []\n'), false);
    assert.equal(looksLikeSpec('spec:\n  foo:\n    containers: []\n'), false);
    assert.equal(looksLikeSpec('name: x\ncontainers:\n  - a\n'), false);
    assert.equal(looksLikeSpec(''), false);
  });
});
