/**
 * Outline and folding.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver-types';
import { getDocumentSymbols, getFoldingRanges } from '../../../server/src/service/symbols';
import { specDocument } from './caret';

const spec = `# A service
# with two containers
spec:
  containers:
    - name: main
      image: /db/s/r/main:1
      env:
        PORT: 8080
      resources:
        requests:
          memory: 1Gi
      volumeMounts:
        - name: data
          mountPath: /data
      secrets:
        - snowflakeSecret:
            objectName: creds
          envVarName: DB_PASSWORD
          secretKeyRef: password
    - name: '{{ sidecar_name }}'
      image: /db/s/r/side:1
      args: [--verbose, --port=9000]
  endpoints:
    - name: api
      port: 8080
      public: true
    - name: peers
      portRange: "5000-5010"
      protocol: TCP
  volumes:
    - name: data
      source: block
      size: 10Gi
    - name: models
      source: stage
      stageConfig:
        name: "@models"
  resourceManagement:
    autoScalingPolicies:
      scaleUp:
        anyConditions:
          - metricCondition:
              metricName: container.cpu.usage
              aggregationType: avg
              stabilizationPeriodSecs: 60
capabilities:
  securityContext:
    executeAsCaller: true
serviceRoles:
  - name: users
    endpoints:
      - api
    note: |
      first line
      second line
`;

function child(symbol: DocumentSymbol | undefined, name: string): DocumentSymbol {
  const found = symbol?.children?.find((candidate) => candidate.name === name);
  assert.ok(found, `no child "${name}" under ${symbol?.name ?? '(none)'}: ${(symbol?.children ?? []).map((c) => c.name).join(', ')}`);
  return found;
}

function within(outer: Range, inner: Range): boolean {
  const le = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

describe('document symbols', () => {
  const symbols = getDocumentSymbols(specDocument(spec));
  const root: DocumentSymbol = { name: '(root)', kind: SymbolKind.File, range: symbols[0]!.range, selectionRange: symbols[0]!.range, children: symbols };

  it('has the top-level keys', () => {
    assert.deepEqual(symbols.map((symbol) => symbol.name), ['spec', 'capabilities', 'serviceRoles']);
    assert.equal(symbols[0]?.kind, SymbolKind.Module);
  });

  it('lists containers by name with their image, and their children', () => {
    const containers = child(child(root, 'spec'), 'containers');
    assert.equal(containers.kind, SymbolKind.Array);
    assert.deepEqual(containers.children?.map((c) => c.name), ['main', '{{ sidecar_name }}']);
    const main = child(containers, 'main');
    assert.equal(main.kind, SymbolKind.Class);
    assert.equal(main.detail, '/db/s/r/main:1');
    assert.deepEqual(main.children?.map((c) => c.name), ['name', 'image', 'env', 'resources', 'volumeMounts', 'secrets']);
    assert.equal(child(child(main, 'env'), 'PORT').kind, SymbolKind.Variable);
    assert.equal(child(child(main, 'volumeMounts'), 'data').detail, '/data');
    const secret = child(child(main, 'secrets'), 'creds');
    assert.equal(secret.detail, 'env DB_PASSWORD');
    assert.equal(child(containers, '{{ sidecar_name }}').children?.find((c) => c.name === 'args')?.detail, '--verbose, --port=9000');
  });

  it('details endpoints with port, protocol and public', () => {
    const endpoints = child(child(root, 'spec'), 'endpoints');
    assert.equal(child(endpoints, 'api').detail, '8080/HTTP public');
    assert.equal(child(endpoints, 'peers').detail, '5000-5010/TCP');
    assert.equal(child(endpoints, 'api').kind, SymbolKind.Interface);
  });

  it('details volumes with source and size', () => {
    const volumes = child(child(root, 'spec'), 'volumes');
    assert.equal(child(volumes, 'data').detail, 'block 10Gi');
    assert.equal(child(volumes, 'models').detail, 'stage @models');
  });

  it('names autoscaling conditions by metric, and service roles by name with their endpoints', () => {
    const conditions = child(child(child(child(child(root, 'spec'), 'resourceManagement'), 'autoScalingPolicies'), 'scaleUp'), 'anyConditions');
    assert.equal(conditions.children?.[0]?.name, 'container.cpu.usage');
    const users = child(child(root, 'serviceRoles'), 'users');
    assert.equal(users.detail, 'api');
    assert.equal(child(child(root, 'capabilities'), 'securityContext').kind, SymbolKind.Object);
  });

  it('keeps every selection range inside its range', () => {
    const check = (list: readonly DocumentSymbol[]) => {
      for (const symbol of list) {
        assert.ok(within(symbol.range, symbol.selectionRange), `${symbol.name}: selection outside range`);
        assert.ok(symbol.name.length > 0);
        check(symbol.children ?? []);
      }
    };
    check(symbols);
  });

  it('selects a named item by its name', () => {
    const main = child(child(child(root, 'spec'), 'containers'), 'main');
    assert.deepEqual(main.selectionRange, { start: { line: 4, character: 12 }, end: { line: 4, character: 16 } });
    assert.equal(main.range.start.line, 4);
    assert.equal(main.range.end.line, 18);
  });

  it('includes items under the legacy singular keys, as a list or as one mapping', () => {
    const legacy = getDocumentSymbols(specDocument('spec:\n  container:\n    - name: old\n      image: x\n  endpoint:\n    name: web\n    port: 80\n'));
    const spec = legacy[0];
    assert.equal(child(child(spec, 'container'), 'old').detail, 'x');
    assert.equal(child(child(spec, 'endpoint'), 'web').detail, '80/HTTP');
  });

  it('returns nothing for an empty or scalar document and survives broken YAML', () => {
    assert.deepEqual(getDocumentSymbols(specDocument('')), []);
    assert.deepEqual(getDocumentSymbols(specDocument('just text')), []);
    const broken = getDocumentSymbols(specDocument('spec:\n  containers:\n    - name: a\n      image: [\n'));
    assert.equal(broken[0]?.name, 'spec');
  });
});

describe('folding ranges', () => {
  const ranges = getFoldingRanges(specDocument(spec));
  const has = (startLine: number, endLine: number, kind?: string) =>
    ranges.some((range) => range.startLine === startLine && range.endLine === endLine && range.kind === kind);

  it('folds mappings and sequences from their key line to their last line', () => {
    assert.ok(has(2, 44), 'spec');
    assert.ok(has(3, 21), 'containers');
    assert.ok(has(6, 7), 'env');
    assert.ok(has(8, 10), 'resources');
    assert.ok(has(9, 10), 'requests');
  });

  it('folds each multi-line list item from its dash line', () => {
    assert.ok(has(4, 18), 'first container');
    assert.ok(has(12, 13), 'volume mount item');
  });

  it('folds block scalars and comment blocks', () => {
    assert.ok(has(52, 54), 'block scalar');
    assert.ok(has(0, 1, FoldingRangeKind.Comment), 'leading comments');
  });

  it('does not fold single-line values or one-line flow collections', () => {
    assert.ok(!ranges.some((range) => range.startLine === 21 && range.endLine === 21));
    assert.ok(ranges.every((range) => range.endLine > range.startLine));
  });
});
