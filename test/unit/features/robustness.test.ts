/**
 * The editor features never throw, on any text at any position, and stay fast on a large spec.
 *
 * - Generated documents (fast-check) made of spec-like lines at random indentation, half-typed keys,
 *   stray quotes, brackets and template placeholders, with the cursor anywhere.
 * - The real-world corpus (`../shared/corpus`), at several positions on every line; skipped with a
 *   message when the folder is absent (set SPCS_CORPUS to point elsewhere).
 * - A 3,000-line spec: completion and hover answer well-formed results at every third line (how fast
 *   they answer is measured by `npm run bench`, never by a test).
 */

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Position } from 'vscode-languageserver-types';
import { getCompletions } from '../../../server/src/service/completion';
import { getHover } from '../../../server/src/service/hover';
import { findDefinition, findReferences, prepareRename } from '../../../server/src/service/navigation';
import type { SpecDocument } from '../../../server/src/service/specDocument';
import { getDocumentSymbols, getFoldingRanges } from '../../../server/src/service/symbols';
import { specDocument } from './caret';

function exerciseAt(doc: SpecDocument, position: Position): void {
  const settings = { instanceFamily: 'GPU_NV_M' };
  const list = getCompletions(doc, position, { settings });
  assert.equal(typeof list.isIncomplete, 'boolean');
  for (const item of list.items) {
    assert.ok(item.label.length > 0);
  }
  getHover(doc, position, { settings });
  findDefinition(doc, position);
  findReferences(doc, position, true);
  prepareRename(doc, position);
}

function exerciseDocument(doc: SpecDocument, positions: Iterable<Position>): void {
  getDocumentSymbols(doc);
  for (const range of getFoldingRanges(doc)) {
    assert.ok(range.endLine > range.startLine);
  }
  for (const position of positions) {
    exerciseAt(doc, position);
  }
}

/** Several positions on every line: start, indentation, middle, end. */
function* linePositions(text: string): Generator<Position> {
  const lines = text.split('\n');
  for (let line = 0; line < lines.length; line++) {
    const content = lines[line] ?? '';
    const indent = content.length - content.trimStart().length;
    for (const character of new Set([0, indent, Math.floor(content.length / 2), content.length])) {
      yield { line, character };
    }
  }
}

const fragments = [
  'spec:',
  'containers:',
  '- name: main',
  '- ',
  '-',
  'image: /db/s/r/img:1',
  'resources:',
  'requests:',
  'memory: 4',
  'memory: 4Gi',
  'cpu: 500m',
  'nvidia.com/gpu: 2',
  'volumeMounts:',
  'mountPath: /data',
  'endpoints: [api, ',
  'endpoints:',
  'volumes:',
  'source: "bl',
  "source: 'block'",
  'size: 10Gi',
  'serviceRoles:',
  'env:',
  'KEY: "{{secret.k.secret_string}}"',
  'image: {{ image | default("x") }}',
  'name: {{ n',
  'args: |',
  '  line of text',
  '# spcs: instance-family=GPU_NV_',
  '# comment',
  '---',
  'key',
  ': value',
  '"quoted key": 1',
  '{ a: 1',
  '[',
  '? complex',
  '&anchor',
  '*alias',
  '\t',
  '',
  'protocol:',
  'container:',
  '  - - nested',
];

describe('robustness', () => {
  it('never throws on generated documents at any position', () => {
    const line = fc.tuple(fc.nat({ max: 12 }), fc.constantFrom(...fragments)).map(([indent, text]) => ' '.repeat(indent) + text);
    const documentText = fc.array(line, { maxLength: 25 }).map((lines) => lines.join(fc.sample(fc.constantFrom('\n', '\r\n'), 1)[0] ?? '\n'));
    fc.assert(
      fc.property(documentText, fc.nat(), (text, seed) => {
        const doc = specDocument(text);
        const offset = text.length === 0 ? 0 : seed % (text.length + 1);
        exerciseDocument(doc, [doc.textDocument.positionAt(offset)]);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws at any offset of a spec with every kind of construct', () => {
    const text = [
      '# spcs: instance-family=GPU_NV_M',
      '# second comment',
      'spec:',
      '  containers:',
      '  - name: main',
      "    image: /db/s/r/img:{{ tag | default('latest') }}",
      '    args: [--a, "--b"]',
      '    command: |',
      '      echo: hi',
      '    env:',
      '      KEY: "{{secret.k.secret_string}}"',
      '    resources: {requests: {memory: 1Gi}}',
      '    volumeMounts:',
      '      - name: data',
      '        mountPath: /d',
      '  endpoints:',
      '    - name: api',
      '      port: 8080',
      '  volumes:',
      '    - name: data',
      "      source: 'block'",
      '      size: 10Gi',
      'serviceRoles:',
      '  - name: r',
      '    endpoints: [api]',
      '---',
      'other: doc',
    ].join('\n');
    const doc = specDocument(text);
    const positions: Position[] = [];
    for (let offset = 0; offset <= text.length; offset++) {
      positions.push(doc.textDocument.positionAt(offset));
    }
    exerciseDocument(doc, positions);
  });

  const corpusDir = process.env.SPCS_CORPUS ?? path.resolve(__dirname, '../../../../shared/corpus');
  const specsDir = path.join(corpusDir, 'specs');
  it('never throws on the real-world corpus', { skip: existsSync(specsDir) ? false : `corpus folder ${specsDir} is absent (set SPCS_CORPUS)` }, () => {
    const files = readdirSync(specsDir).filter((file) => !file.startsWith('.'));
    assert.ok(files.length > 0);
    for (const file of files) {
      const text = readFileSync(path.join(specsDir, file), 'utf8');
      exerciseDocument(specDocument(text), linePositions(text));
    }
  });
});

/** A spec of about 3,000 lines: 100 containers, endpoints, volumes and service roles. */
function largeSpec(): string {
  const lines = ['# spcs: instance-family=GPU_NV_M', 'spec:', '  containers:'];
  for (let index = 0; index < 100; index++) {
    lines.push(
      `    - name: container-${index}`,
      `      image: /db/schema/repo/image-${index}:{{ tag | default('latest') }}`,
      '      command:',
      '        - python',
      '        - serve.py',
      '      env:',
      `        SERVER_PORT: ${8000 + index}`,
      '        LOG_LEVEL: info',
      '        API_KEY: "{{secret.api.secret_string}}"',
      '      readinessProbe:',
      `        port: ${8000 + index}`,
      '        path: /healthz',
      '      resources:',
      '        requests:',
      '          memory: 1Gi',
      '          cpu: 500m',
      '        limits:',
      '          memory: 2Gi',
      '          cpu: 1',
      '      volumeMounts:',
      `        - name: volume-${index % 20}`,
      `          mountPath: /data/${index}`,
      '      secrets:',
      '        - snowflakeSecret:',
      '            objectName: creds',
      '          envVarName: DB_PASSWORD',
      '          secretKeyRef: password',
    );
  }
  lines.push('  endpoints:');
  for (let index = 0; index < 100; index++) {
    lines.push(`    - name: endpoint-${index}`, `      port: ${8000 + index}`, `      public: ${index % 2 === 0}`);
  }
  lines.push('  volumes:');
  for (let index = 0; index < 20; index++) {
    lines.push(`    - name: volume-${index}`, '      source: block', '      size: 10Gi');
  }
  lines.push('serviceRoles:');
  for (let index = 0; index < 20; index++) {
    lines.push(`  - name: role_${index}`, '    endpoints:', `      - endpoint-${index}`, `      - endpoint-${index + 50}`);
  }
  lines.push('');
  return lines.join('\n');
}

describe('performance on a 3,000-line spec', () => {
  const text = largeSpec();
  const lineCount = text.split('\n').length;
  const doc = specDocument(text);
  const settings = { instanceFamily: 'GPU_NV_M' };
  const positions = [...linePositions(text)].filter((_, index) => index % 3 === 0);

  it('is about 3,000 lines', () => {
    assert.ok(lineCount >= 3000, `${lineCount} lines`);
  });

  for (const [name, feature] of [
    ['completion', (position: Position) => getCompletions(doc, position, { settings })],
    ['hover', (position: Position) => getHover(doc, position, { settings })],
  ] as const) {
    it(`answers ${name} everywhere in a large spec`, () => {
      let answered = 0;
      for (const position of positions) {
        const result = feature(position);
        if (result && (!('items' in result) || result.items.length > 0)) {
          answered++;
        }
      }
      assert.ok(answered > positions.length / 4, `${name} answered at ${answered} of ${positions.length} positions`);
    });
  }

  it('builds the outline and folding ranges of a large spec', () => {
    const symbols = getDocumentSymbols(doc);
    const folds = getFoldingRanges(doc);
    assert.ok(symbols.length === 2 && folds.length > 1000);
  });
});
