/**
 * The scalar-edit re-parse (`incrementalParse.ts`) against a full parse: on every scalar of real specs,
 * edits of each kind (a character replaced, inserted at the start, middle and end, deleted; safe and
 * unsafe characters), the re-used tree must equal the freshly parsed one node by node (values, sources,
 * formats, every range, comments), with the same line table, the same lists and the same diagnostics.
 * The fast path must also actually be taken for most of the safe edits, or the test would prove nothing.
 */

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import { reparseScalarEdit } from '../../server/src/service/incrementalParse';
import { SpcsLanguageService } from '../../server/src/service/languageService';
import { parseSpecDocument, type SpecDocument } from '../../server/src/service/specDocument';
import { validateSpec } from '../../server/src/service/validate';

const root = path.resolve(__dirname, '../..');
const corpusSpecs = path.resolve(root, '../shared/corpus/specs');

function documents(): { name: string; text: string }[] {
  const files = [
    path.join(root, 'bench/documents/typical-gpu-service.yaml'),
    ...readdirSync(path.join(root, 'samples')).filter((file) => file.endsWith('.yaml')).map((file) => path.join(root, 'samples', file)),
    ...readdirSync(path.join(root, 'test/fixtures/templates')).map((file) => path.join(root, 'test/fixtures/templates', file)),
    ...(existsSync(corpusSpecs) ? readdirSync(corpusSpecs).map((file) => path.join(corpusSpecs, file)) : []),
  ];
  const read = files.map((file) => ({ name: path.basename(file), text: readFileSync(file, 'utf8') }));
  return [
    ...read,
    // The typical spec with Windows line ends, and a spec with every construct next to plain scalars.
    { name: 'typical-crlf.yaml', text: (read[0]?.text ?? '').replace(/\n/g, '\r\n') },
    {
      name: 'constructs.yaml',
      text: [
        '%YAML 1.2',
        '---',
        '# spcs: instance-family=GPU_NV_S',
        'spec:',
        '  containers:',
        '  - name: app # the main container',
        '    image: /db/schema/repo/app:1.0',
        '    args: [--port, 8000, "quoted value", \'single\']',
        '    env: {LOG_LEVEL: debug, WORKERS: 4, RATIO: 0.5, HEX: 0x1F, ON: true, NOTHING: null}',
        '    command:',
        '    - sh',
        '    - -c',
        '    - |',
        '      exec app --port 8000',
        '    resources: &resources',
        '      requests:',
        '        memory: 4Gi   # trailing comment',
        '        cpu: 500m',
        '  - name: worker',
        '    image: /db/schema/repo/worker:2',
        '    resources: *resources',
        '    readinessProbe:',
        '      port: 8080',
        '      path: /a very',
        '        long path',
        '  endpoints:',
        '  - name: api',
        '    port: 8080',
        '    public: true',
        '...',
        '',
      ].join('\n'),
    },
  ];
}

/** Everything a full parse puts on a node that the language service can read. */
function dump(node: unknown): unknown {
  if (isPair(node)) {
    return { pair: [dump(node.key), dump(node.value)] };
  }
  if (isScalar(node)) {
    const { value, source, type, format, minFractionDigits, range, comment, commentBefore, spaceBefore, anchor, tag } = node;
    return { value, source, type, format, minFractionDigits, range, comment, commentBefore, spaceBefore, anchor, tag };
  }
  if (isMap(node) || isSeq(node)) {
    const { range, comment, commentBefore, spaceBefore, anchor, tag, flow } = node;
    return { kind: isMap(node) ? 'map' : 'seq', range, comment, commentBefore, spaceBefore, anchor, tag, flow, items: (node.items as unknown[]).map(dump) };
  }
  if (isAlias(node)) {
    return { alias: node.source, range: node.range };
  }
  return node;
}

function snapshot(doc: SpecDocument) {
  return {
    maskedText: doc.maskedText,
    placeholders: doc.placeholders,
    tree: dump(doc.yaml?.contents),
    range: doc.yaml?.range,
    comment: doc.yaml?.comment,
    lineStarts: [...doc.lineCounter.lineStarts],
    looksLikeSpec: doc.looksLikeSpec,
    lists: Object.fromEntries(Object.entries(doc.lists).map(([key, items]) => [key, (items as SpecDocument['lists']['containers']).map((item) => [item.listKey, item.index, item.name])])),
    diagnostics: validateSpec(doc),
  };
}

function scalars(node: unknown, out: { start: number; end: number }[]): void {
  if (isPair(node)) {
    scalars(node.key, out);
    scalars(node.value, out);
  } else if (isScalar(node) && node.range) {
    out.push({ start: node.range[0], end: node.range[1] });
  } else if (isMap(node) || isSeq(node)) {
    for (const item of node.items) {
      scalars(item, out);
    }
  }
}

/** A small deterministic generator: the same edits on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const safeCharacters = 'abcxyzABZ0123456789-_./';
const unsafeCharacters = [':', ' ', '#', '{', '}', '[', ',', '"', "'", '&', '*', '!', '|', '>', '%', '@', '`', '$', '\t', '\n', ': ', ' #', '__'];

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly safe: boolean;
}

function editsFor(text: string, scalar: { start: number; end: number }, next: () => number): Edit[] {
  const pick = (chars: string | readonly string[]) => chars[Math.floor(next() * chars.length)] ?? 'a';
  const middle = scalar.start + Math.floor(next() * Math.max(1, scalar.end - scalar.start));
  const edits: Edit[] = [
    { start: middle, end: Math.min(scalar.end, middle + 1), text: pick(safeCharacters), safe: true },
    { start: scalar.start, end: scalar.start, text: pick(safeCharacters), safe: true },
    { start: scalar.end, end: scalar.end, text: pick(safeCharacters), safe: true },
    { start: middle, end: middle, text: pick(safeCharacters), safe: true },
    { start: middle, end: Math.min(scalar.end, middle + 1), text: '', safe: true },
    { start: middle, end: middle, text: pick(unsafeCharacters), safe: false },
    { start: scalar.end, end: scalar.end, text: pick(unsafeCharacters), safe: false },
    { start: scalar.start, end: scalar.start, text: pick(unsafeCharacters), safe: false },
  ];
  return edits.filter((edit) => edit.end <= text.length);
}

describe('re-parse of an edit inside one scalar', () => {
  it('gives the same tree, lines, lists and diagnostics as a full parse, on every scalar of the corpus and samples', () => {
    const next = random(14);
    let checked = 0;
    let fast = 0;
    let safe = 0;
    for (const { name, text } of documents()) {
      const before = parseSpecDocument(TextDocument.create('file:///edit.yaml', 'yaml', 1, text));
      if (!before.yaml || before.yaml.errors.length > 0) {
        continue;
      }
      const found: { start: number; end: number }[] = [];
      scalars(before.yaml.contents, found);
      // Every scalar of the typical spec, a spread of the others' (about 4,000 edits in all).
      const step = ['typical-gpu-service.yaml', 'typical-crlf.yaml', 'constructs.yaml'].includes(name) ? 1 : Math.max(1, Math.floor(found.length / 5));
      for (const scalar of found.filter((_, index) => index % step === 0)) {
        for (const edit of editsFor(text, scalar, next)) {
          const edited = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
          const previous = parseSpecDocument(TextDocument.create('file:///edit.yaml', 'yaml', 1, text));
          const document = TextDocument.create('file:///edit.yaml', 'yaml', 2, edited);
          const incremental = reparseScalarEdit(previous, document);
          checked++;
          safe += edit.safe ? 1 : 0;
          if (!incremental) {
            continue;
          }
          fast++;
          const full = parseSpecDocument(document);
          assert.deepEqual(
            snapshot(incremental),
            snapshot(full),
            `${name}: ${JSON.stringify(text.slice(scalar.start, scalar.end))} edited at ${edit.start}-${edit.end} with ${JSON.stringify(edit.text)}`,
          );
        }
      }
    }
    process.stdout.write(`# ${checked} edits checked, ${fast} by the fast path (${safe} of the edits were safe)\n`);
    assert.ok(checked > 1000, `only ${checked} edits were checked`);
    assert.ok(fast > safe * 0.6, `the fast path was taken for ${fast} of ${safe} safe edits`);
  });

  it('never takes the fast path where the edit makes a template placeholder', () => {
    const text = 'spec:\n  containers:\n  - name: app\n    image: /db/s/r/app:1\n    env: {a b}\n';
    const previous = parseSpecDocument(TextDocument.create('file:///x.yaml', 'yaml', 1, text));
    assert.equal(previous.placeholders.length, 0);
    const edited = TextDocument.create('file:///x.yaml', 'yaml', 2, text.replace('{a b}', '{ab}'));
    assert.equal(reparseScalarEdit(previous, edited), undefined);
    assert.equal(parseSpecDocument(edited).placeholders.length, 1);
  });

  it('never takes the fast path for text that YAML reads as more than a plain scalar', () => {
    const text = 'spec:\n  containers:\n  - name: app\n    image: /db/s/r/app:1\n    args: [a, b]\n';
    const cases: [string, string][] = [
      ['name: app', 'name: app: x'],
      ['name: app', 'name: app #x'],
      ['name: app', 'name: &app'],
      ['name: app', 'name: {app}'],
      ['name: app', 'name: $app'],
      ['name: app', 'name: __APP__'],
      ['[a, b]', '[a:x, b]'],
      ['name: app', 'name: app '],
      ['name: app', 'name: "app'],
      ['args: [a, b]', 'args: [a, b]\n    env: {a b}'],
    ];
    for (const [from, to] of cases) {
      const previous = parseSpecDocument(TextDocument.create('file:///x.yaml', 'yaml', 1, text));
      assert.equal(reparseScalarEdit(previous, TextDocument.create('file:///x.yaml', 'yaml', 2, text.replace(from, to))), undefined, to);
    }
  });

  it('is what the language service uses between versions, and keeps its answers right', () => {
    const service = new SpcsLanguageService();
    const text = readFileSync(path.join(root, 'bench/documents/typical-gpu-service.yaml'), 'utf8');
    let document = TextDocument.create('file:///typical.yaml', 'yaml', 1, text);
    const first = service.parse(document);
    document = TextDocument.update(document, [{ range: { start: document.positionAt(text.indexOf('96Gi')), end: document.positionAt(text.indexOf('96Gi') + 2) }, text: '9' }], 2);
    const second = service.parse(document);
    assert.equal(second.yaml, first.yaml, 'the tree of version 1 is re-used for version 2');
    const memory = second.spec?.getIn(['containers', 0, 'resources', 'requests', 'memory']);
    assert.equal(memory, '9Gi');
    assert.deepEqual(service.validate(document), validateSpec(parseSpecDocument(document)));
  });
});

