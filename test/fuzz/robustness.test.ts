/**
 * Robustness: the pure `SpcsLanguageService` never throws, never hangs and never answers with
 * malformed results, whatever text it is given.
 *
 * Thousands of documents, all generated deterministically from fixed seeds (so a failure reproduces
 * on every run until it is fixed): (a) mutated corpus specs (lines deleted, duplicated, swapped,
 * re-indented, truncated, odd characters inserted, values replaced by other types, very long lines),
 * (b) random text and random YAML-ish text (fast-check, fixed seed), (c) pathological inputs (deep
 * nesting, alias bombs, a 1 MB line, only `---`, NUL/BOM, CRLF and CR line endings, every field of
 * the wrong type, thousands of duplicate items). Each document is run as `spcs-spec` and as `yaml`
 * through every feature: validate, complete and hover at several positions, symbols, folding,
 * definition, references, prepareRename (and rename), code actions over the whole document; every
 * quick fix is applied and the result validated again.
 *
 * The work runs in a child process watched by the test: each call writes a heartbeat to a small
 * file, and a call still running after `killAfterMs` is a hang: the child is killed, the document
 * reported, and a new child resumes after it (a crash of the whole process, such as a fatal V8 out
 * of memory, is reported the same way). A call that returns after more than
 * `callLimitMs` fails too (a robustness bound far above normal latency, not a performance test).
 * Failures are grouped by what threw and the child shrinks each group's input to a small
 * reproduction, printed in the failure message.
 *
 * The corpus part needs `../shared/corpus`; without it that part is skipped with a message.
 */

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fork } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, DocumentSymbol, Location, Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { SpcsLanguageService } from '../../server/src/service/languageService';

const seed = 0x5bc5_2025;
/** A call slower than this fails (a hang guard, far above normal: typical calls take well under 10 ms). */
const callLimitMs = 2000;
/** A call still running after this is stuck: its process is killed and the document reported. */
const killAfterMs = 3000;
const mutantsPerSpec = 15;
const randomTextCount = 250;
const yamlishCount = 500;
const languageIds = ['spcs-spec', 'yaml'] as const;
const corpusSpecs = resolve(__dirname, '..', '..', '..', 'shared', 'corpus', 'specs');

type Suite = 'corpus' | 'random' | 'pathological';

interface FuzzDocument {
  /** Says how to rebuild the document (suite, source and mutations): printed with a failure. */
  readonly id: string;
  readonly text: string;
  /** The document's file name when it decides the document's kind (`snowflake.yml`). */
  readonly fileName?: string;
}

// ---------------------------------------------------------------------------------------------------
// Deterministic randomness.

class Random {
  private state: number;

  constructor(seedValue: number) {
    this.state = seedValue >>> 0;
  }

  /** mulberry32: small, fast and good enough to pick mutations. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(bound: number): number {
    return bound <= 0 ? 0 : Math.floor(this.next() * bound);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) {
      throw new Error('pick from an empty list');
    }
    return item;
  }
}

function hash(...parts: readonly (string | number)[]): number {
  let h = 2166136261;
  for (const char of parts.join('\u0001')) {
    h = Math.imul(h ^ (char.codePointAt(0) ?? 0), 16777619);
  }
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------------
// (a) Mutated corpus specs.

const insertions = [
  ':', '-', '{', '}', '[', ']', '"', "'", '|', '>', '&', '*', '!', '%', '\t', '{{', '}}', '@', '#', '? ', ',', '- ', ': ',
  '\n', '\r\n', '\r', '\u0000', '\uFEFF', 'é', '日本語', '😀', '\u202E', '\uD800', '\u2028', '&a ', '*a', '!!binary ', '<<: *a',
  '{{ var }}', '{{ secret.x.password }}', '"{{', '}}"', '\\', '\\u', '---\n', '...\n', '%YAML 1.1\n',
];

const otherValues = [
  '[]', '{}', 'null', '~', '123', '-1', '0', '1e309', '.inf', '.nan', '0x1F', '0o17', 'true', 'False', 'yes', '"str"', "'s'",
  '|', '>-\n  folded', '|\n  literal\n  block', '&anchor value', '*anchor', '*undefined_alias', '!!binary aGk=', '!custom x',
  '[1, {a: b}, [c]]', '{a: [1, 2], b: {c: d}}', '{{ var }}', '"{{ var }}"', '@stage/path', '-', '?', '"unterminated',
  "'unterminated", '9999999999999999999999', '-0.0', '2024-01-01T00:00:00Z', '!!int "x"', '&a [*a]',
];

function keyValueLine(line: string): RegExpExecArray | null {
  return /^(\s*(?:- )?[^\s#:][^:#]*:)( .*)?$/.exec(line);
}

interface Mutation {
  readonly name: string;
  apply(text: string, random: Random): string;
}

const mutations: readonly Mutation[] = [
  {
    name: 'delete-line',
    apply: (text, random) => {
      const lines = text.split('\n');
      lines.splice(random.int(lines.length), 1 + random.int(3));
      return lines.join('\n');
    },
  },
  {
    name: 'duplicate-line',
    apply: (text, random) => {
      const lines = text.split('\n');
      const index = random.int(lines.length);
      lines.splice(index, 0, ...lines.slice(index, index + 1 + random.int(4)));
      return lines.join('\n');
    },
  },
  {
    name: 'swap-lines',
    apply: (text, random) => {
      const lines = text.split('\n');
      const a = random.int(lines.length);
      const b = random.next() < 0.5 ? Math.min(lines.length - 1, a + 1) : random.int(lines.length);
      const first = lines[a] ?? '';
      lines[a] = lines[b] ?? '';
      lines[b] = first;
      return lines.join('\n');
    },
  },
  {
    name: 'reindent',
    apply: (text, random) => {
      const lines = text.split('\n');
      const index = random.int(lines.length);
      const count = 1 + random.int(Math.min(8, lines.length - index));
      const change = random.pick(['+1', '-1', '+2', '-2', '+tab', '0', '+7']);
      for (let i = index; i < index + count && i < lines.length; i++) {
        const line = lines[i] ?? '';
        lines[i] =
          change === '+tab' ? `\t${line}` : change === '0' ? line.trimStart() : change.startsWith('+') ? ' '.repeat(Number(change.slice(1))) + line : line.replace(new RegExp(`^ {1,${change.slice(1)}}`), '');
      }
      return lines.join('\n');
    },
  },
  {
    name: 'truncate',
    apply: (text, random) => text.slice(0, random.int(text.length + 1)),
  },
  {
    name: 'insert-characters',
    apply: (text, random) => {
      let result = text;
      for (let n = 1 + random.int(4); n > 0; n--) {
        const offset = random.int(result.length + 1);
        result = result.slice(0, offset) + random.pick(insertions) + result.slice(offset);
      }
      return result;
    },
  },
  {
    name: 'replace-value',
    apply: (text, random) => {
      const lines = text.split('\n');
      const candidates = lines.flatMap((line, index) => (keyValueLine(line) ? [index] : []));
      for (let n = 1 + random.int(3); n > 0 && candidates.length > 0; n--) {
        const index = random.pick(candidates);
        const match = keyValueLine(lines[index] ?? '');
        if (match?.[1]) {
          lines[index] = `${match[1]} ${random.pick(otherValues)}`;
        }
      }
      return lines.join('\n');
    },
  },
  {
    name: 'long-line',
    apply: (text, random) => {
      const lines = text.split('\n');
      const index = random.int(lines.length + 1);
      const unit = random.pick(['a', 'x: ', '- ', '{', '[', '"', ' ', '{{ v }}', 'é', '😀', 'a,']);
      const length = 2_000 + random.int(18_000);
      const long = random.next() < 0.5 ? `${lines[index] ?? ''}${unit.repeat(Math.ceil(length / unit.length))}` : `  key: ${unit.repeat(Math.ceil(length / unit.length))}`;
      lines.splice(index, random.next() < 0.5 ? 1 : 0, long);
      return lines.join('\n');
    },
  },
  {
    name: 'crlf',
    apply: (text) => text.replace(/\r?\n/g, '\r\n'),
  },
];

/** Mutations that make documents huge are rarer, so that most of the run exercises ordinary sizes. */
const mutationWeights: Record<string, number> = { 'long-line': 1, crlf: 1, truncate: 3 };

function pickMutation(random: Random): Mutation {
  const weighted = mutations.flatMap((mutation) => Array.from({ length: mutationWeights[mutation.name] ?? 4 }, () => mutation));
  return random.pick(weighted);
}

interface CorpusSpec {
  readonly name: string;
  readonly text: string;
}

function loadCorpus(): CorpusSpec[] | undefined {
  if (!existsSync(corpusSpecs)) {
    return undefined;
  }
  return readdirSync(corpusSpecs)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({ name, text: readFileSync(resolve(corpusSpecs, name), 'utf8') }));
}

function corpusDocuments(corpus: readonly CorpusSpec[], fileName?: string): FuzzDocument[] {
  const documents: FuzzDocument[] = [];
  const named = fileName === undefined ? {} : { fileName };
  for (const spec of corpus) {
    documents.push({ id: `corpus ${spec.name} (unmutated)`, text: spec.text, ...named });
    for (let variant = 0; variant < mutantsPerSpec; variant++) {
      const random = new Random(hash(seed, spec.name, variant));
      let text = spec.text;
      const applied: string[] = [];
      for (let n = 1 + random.int(4); n > 0; n--) {
        const mutation = pickMutation(random);
        text = mutation.apply(text, random);
        applied.push(mutation.name);
      }
      documents.push({ id: `corpus ${spec.name} variant ${variant} (${applied.join(', ')})`, text, ...named });
    }
  }
  return documents;
}

// ---------------------------------------------------------------------------------------------------
// (b) Random text and random YAML-ish text (fast-check with a fixed seed).

const specKeys = [
  'spec', 'containers', 'container', 'name', 'image', 'command', 'args', 'env', 'readinessProbe', 'livenessProbe', 'port', 'path',
  'volumeMounts', 'mountPath', 'resources', 'requests', 'limits', 'memory', 'cpu', 'nvidia.com/gpu', 'secrets', 'snowflakeSecret',
  'objectName', 'envVarName', 'directoryPath', 'secretKeyRef', 'endpoints', 'endpoint', 'public', 'protocol', 'portRange',
  'corsSettings', 'volumes', 'source', 'size', 'stageConfig', 'blockConfig', 'uid', 'gid', 'serviceRoles', 'capabilities',
  'securityContext', 'logExporters', 'platformMonitor', 'resourceManagement', 'autoScalingPolicies', 'sessionTokenConfig',
  'mountSessionToken', 'x', '"quoted key"', '? complex', '<<',
];

const scalarValues = [
  ...otherValues, 'main', 'my_app', 'my-app', '/db/schema/repo/img:1', 'HTTP', 'TCP', 'HTTPS', '8080', '70000', '1-10', '10-1',
  '1Gi', '512Mi', '2G', '1g', '0.5', '500m', 'abc', 'stage', 'block', 'memory', 'local', '"@stage"', '@stage', '/data', 'data',
  'password', 'secret_string', 'username', '""', '" "', '1', '2', '-3',
];

const yamlishLine = fc.tuple(
  fc.constantFrom('', '  ', '    ', '      ', '        ', ' ', '   ', '\t', '  - ', '    - ', '- ', '      - '),
  fc.oneof(
    fc.tuple(fc.constantFrom(...specKeys), fc.constantFrom(':', ': ', ':  ', ' :'), fc.constantFrom('', ...scalarValues)).map((parts) => parts.join('')),
    fc.constantFrom(...scalarValues),
    fc.constantFrom('# comment', '---', '...', '-', '? ', ': ', '{', '}', '[', ']', '|', '>', '&a', '*a', '!tag', '%TAG ! x'),
    fc.string({ maxLength: 12 }),
  ),
).map(([indent, body]) => indent + body);

const yamlishDocument = fc.tuple(
  fc.constantFrom('', 'spec:\n  containers:\n', 'spec:\n  containers:\n  - name: main\n    image: /db/s/r/i:1\n', 'spec:\n'),
  fc.array(yamlishLine, { maxLength: 40 }),
  fc.constantFrom('\n', '\r\n'),
).map(([prefix, lines, eol]) => (prefix + lines.join('\n')).replace(/\n/g, eol));

function randomDocuments(): FuzzDocument[] {
  const texts = fc.sample(fc.string({ unit: 'binary', maxLength: 400 }), { seed, numRuns: randomTextCount / 2 });
  const ascii = fc.sample(fc.string({ unit: fc.constantFrom(...'abc: -{}[]"\'|>&*!%#@\t\n\r,?.0123456789'), maxLength: 400 }), { seed: seed + 1, numRuns: randomTextCount / 2 });
  const yamlish = fc.sample(yamlishDocument, { seed: seed + 2, numRuns: yamlishCount });
  return [
    ...texts.map((text, index) => ({ id: `random text #${index} (fast-check seed ${seed})`, text })),
    ...ascii.map((text, index) => ({ id: `random YAML-character text #${index} (fast-check seed ${seed + 1})`, text })),
    ...yamlish.map((text, index) => ({ id: `random YAML-ish text #${index} (fast-check seed ${seed + 2})`, text })),
  ];
}

// ---------------------------------------------------------------------------------------------------
// (c) Pathological inputs.

/** A spec that uses every field the schema defines (each variant below breaks one field's type). */
const everyFieldSpec = `spec:
  containers:
  - name: main
    image: /db/schema/repo/app:1.0
    command:
    - /bin/run
    args:
    - --port
    - "8080"
    env:
      A: "1"
      B: 2
    readinessProbe:
      port: 8080
      path: /ready
      periodSeconds: 5
      failureThreshold: 3
    livenessProbe:
      port: 8080
      path: /live
      periodSeconds: 10
      failureThreshold: 3
    volumeMounts:
    - name: data
      mountPath: /data
    resources:
      requests:
        memory: 1Gi
        cpu: 0.5
        nvidia.com/gpu: 1
      limits:
        memory: 2Gi
        cpu: 1
        nvidia.com/gpu: 1
    secrets:
    - snowflakeSecret:
        objectName: db.schema.secret
      envVarName: SECRET
      secretKeyRef: password
    - snowflakeSecret: db.schema.other
      directoryPath: /secrets
    mountSessionToken: true
    sessionTokenConfig:
      path: /snowflake/session
      permission: "0644"
      mountConnectionConfig: true
    sha256: abc
  endpoints:
  - name: api
    port: 8080
    public: true
    protocol: HTTP
    corsSettings:
      Access-Control-Allow-Origin:
      - https://example.com
      Access-Control-Allow-Methods:
      - GET
      Access-Control-Allow-Headers:
      - X-Custom
      Access-Control-Expose-Headers:
      - X-Other
  - name: range
    portRange: 9000-9010
    protocol: TCP
  volumes:
  - name: data
    source: block
    size: 10Gi
    uid: 1000
    gid: 1000
    blockConfig:
      initialContents:
        fromSnapshot: db.schema.snap
      iops: 3000
      throughput: 125
      encryption: SNOWFLAKE_SSE
      snapshotOnDelete: true
      snapshotDeleteAfter: 7d
  - name: stage
    source: stage
    stageConfig:
      name: "@db.schema.stage"
      metadataCache: 1 minute
      resources:
        requests:
          cpu: 0.5
          memory: 1Gi
        limits:
          cpu: 1
          memory: 2Gi
  logExporters:
    eventTableConfig:
      logLevel: INFO
  platformMonitor:
    metricConfig:
      groups:
      - system
  resourceManagement:
    autoScalingPolicies:
      scaleUp:
        anyConditions:
        - metricCondition:
            metricName: cpu
            labels:
              container: main
            aggregationType: avg
            stabilizationPeriodSecs: 60
            targetScaling:
              targetValue: 0.8
      scaleDown:
        allConditions:
        - metricCondition:
            metricName: cpu
            aggregationType: avg
            stabilizationPeriodSecs: 300
            stepScaling:
              adjustmentType: changeInstanceCount
              scalingSteps:
              - lowerBound: 0
                upperBound: 0.2
                targetAdjustment: -1
      suspend:
        allConditions:
        - metricCondition:
            metricName: requests
            aggregationType: max
            stabilizationPeriodSecs: 600
            targetScaling:
              targetValue: 0
capabilities:
  securityContext:
    executeAsCaller: true
    enableCustomCredentials: false
serviceRoles:
- name: api_users
  endpoints:
  - api
`;

const wrongTypes = ['[]', '{}', '"text"', '12', '~', 'true', '[1, [2], {a: b}]', '-1.5'];

/** Every field of both gateway types (the second document is a shadow traffic gateway). */
const everyFieldGateways = [
  `spec:
  type: traffic_split
  split_type: custom
  targets:
  - type: endpoint
    value: ml_db.serving.llm_v1!api
    weight: 90
  - type: endpoint
    value: '"Ml Db"."Serving".llm_v2!"api"'
    weight: 10
`,
  `spec:
  type: shadow_traffic
  primary:
  - type: endpoint
    value: ml_db.serving.llm_v1!api
  shadow:
  - type: endpoint
    value: ml_db.serving.llm_v2!api
    weight: 25
  - type: endpoint
    value: ml_db.serving.llm_v3!api
    weight: 5
`,
];

/** Every field of the SPCS entities of a Snowflake CLI project definition, with mixins, templates and another entity type. */
const everyFieldProject = `definition_version: "2"
env:
  pool: GPU_POOL
mixins:
  serving:
    stage: model_stage
    query_warehouse: serving_wh
entities:
  llm:
    type: service
    identifier:
      name: llm_service
      schema: serving
      database: ml_db
    meta:
      use_mixins: [serving]
      depends_on: [gpu_pool]
    stage: <% ctx.env.stage %>
    compute_pool: <% ctx.env.pool %>
    spec_file: spec.yml
    min_instances: 1
    max_instances: 2
    auto_resume: true
    auto_suspend_secs: 0
    external_access_integrations:
    - hf_eai
    secrets:
      token: ml_db.serving.hf_token
    artifacts:
    - spec.yml
    - src: specs/extra.yml
      dest: extra/
    tags:
    - name: team
      value: ml
    comment: vLLM
  gpu_pool:
    type: compute-pool
    identifier: gpu_pool
    instance_family: GPU_NV_S
    min_nodes: 1
    max_nodes: 1
    auto_resume: true
    initially_suspended: false
    auto_suspend_seconds: 3600
    comment: pool
    tags:
    - name: team
      value: ml
  images:
    type: image-repository
  app:
    type: streamlit
    main_file: app.py
`;

/** For each field of a document, variants with that field's value (its whole block, for a parent) of another type. */
function wrongTypeDocuments(source = everyFieldSpec, label = 'every-field spec', fileName?: string): FuzzDocument[] {
  const named = fileName === undefined ? {} : { fileName };
  const lines = source.split('\n');
  const indentOf = (line: string) => /^\s*(?:- )?/.exec(line)?.[0].length ?? 0;
  const documents: FuzzDocument[] = [];
  lines.forEach((line, index) => {
    const match = keyValueLine(line);
    if (!match?.[1]) {
      return;
    }
    // The field's block: the following lines indented deeper than the key.
    let end = index + 1;
    const keyIndent = indentOf(line);
    while (end < lines.length && (lines[end] ?? '').trim() !== '' && indentOf(lines[end] ?? '') > keyIndent) {
      end++;
    }
    for (let n = 0; n < 2; n++) {
      const wrong = wrongTypes[(index * 2 + n) % wrongTypes.length] ?? '[]';
      const text = [...lines.slice(0, index), `${match[1]} ${wrong}`, ...lines.slice(end)].join('\n');
      documents.push({ id: `${label} with \`${match[1].trim()}\` (line ${index + 1}) set to ${wrong}`, text, ...named });
    }
  });
  // Every leaf at once: all scalar values and list items of one wrong type.
  for (const wrong of wrongTypes) {
    const text = lines
      .map((line) => {
        const match = keyValueLine(line);
        if (match?.[1] && match[2] !== undefined && match[2].trim() !== '') {
          return `${match[1]} ${wrong}`;
        }
        const item = /^(\s*- )([^:]+)$/.exec(line);
        return item?.[1] ? `${item[1]}${wrong}` : line;
      })
      .join('\n');
    documents.push({ id: `${label} with every value set to ${wrong}`, text, ...named });
  }
  if (source !== everyFieldSpec) {
    return documents;
  }
  for (const wrong of wrongTypes) {
    documents.push({ id: `spec: ${wrong}`, text: `spec: ${wrong}\n` });
    documents.push({ id: `containers: ${wrong}`, text: `spec:\n  containers: ${wrong}\n` });
    documents.push({ id: `container item ${wrong}`, text: `spec:\n  containers:\n  - ${wrong}\n  - name: a\n    image: b\n` });
  }
  return documents;
}

function billionLaughs(levels: number, fanOut: number): string {
  const lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let level = 1; level < levels; level++) {
    lines.push(`a${level}: &a${level} [${Array.from({ length: fanOut }, () => `*a${level - 1}`).join(', ')}]`);
  }
  return lines.join('\n');
}

function pathologicalDocuments(corpus: readonly CorpusSpec[] | undefined): FuzzDocument[] {
  const megabyte = 1 << 20;
  const bomb = billionLaughs(9, 10);
  const sampleSpec = corpus?.find((spec) => spec.text.includes('containers:'))?.text ?? everyFieldSpec;
  const documents: FuzzDocument[] = [
    // Deep nesting first: the process abort it caused (V8 "RegExpCompiler Allocation failed") shows
    // when the parser's regular expressions are first compiled deep in its recursion, i.e. in a
    // fresh process; a crash restarts the next document in a fresh process, so each of these is hit.
    { id: '1k-deep [[[[ (aborted the process: V8 RegExpCompiler out of memory)', text: '['.repeat(1000) },
    { id: '10k-deep [[[[ (unclosed)', text: '['.repeat(10_000) },
    { id: '10k-deep [[[[ ]]]] (closed)', text: `${'['.repeat(10_000)}${']'.repeat(10_000)}` },
    { id: '10k-deep {a: {a: … (unclosed)', text: '{a: '.repeat(10_000) },
    { id: 'containers: 10k-deep [[[[', text: `spec:\n  containers: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n` },
    { id: 'container env: 10k-deep {a: {a: …}}', text: `spec:\n  containers:\n  - name: a\n    image: b\n    env: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n` },
    { id: '5k-deep - - - - sequence', text: `spec:\n  containers:\n  ${'- '.repeat(5_000)}x\n` },
    {
      id: '1k-deep block mapping',
      text: `spec:\n  containers:\n  - name: a\n    image: b\n    env:\n${Array.from({ length: 1000 }, (_, depth) => `${' '.repeat(6 + depth)}k${depth}:`).join('\n')} 1\n`,
    },
    // Regressions found by this test, kept as explicit cases.
    { id: 'a lone newline (completion at 0:0 never returned)', text: '\n' },
    { id: 'a blank first line before a spec', text: '\nspec:\n  containers:\n  - name: a\n    image: b\n' },
    { id: 'billion laughs (9 levels × 10)', text: bomb },
    { id: 'billion laughs inside a spec (env, command, containers)', text: `${bomb}\nspec:\n  containers:\n  - name: a\n    image: b\n    env: *a8\n    command: *a8\n  endpoints: *a8\n` },
    { id: 'alias bomb as the containers list', text: `${bomb}\nspec:\n  containers: *a8\n` },
    { id: 'alias bomb as spec', text: `${bomb}\nspec: *a8\n` },
    { id: 'self-referencing anchors', text: 'spec: &s\n  containers: &c\n  - name: a\n    image: b\n    env: *c\n  self: *s\n' },
    { id: 'undefined alias everywhere', text: 'spec:\n  containers:\n  - *nothing\n  - name: *name\n    image: *img\n  endpoints: *e\n' },
    { id: 'merge keys', text: 'base: &b\n  image: x\n  name: a\nspec:\n  containers:\n  - <<: *b\n  - <<: [*b, *b]\n    name: c\n' },
    { id: '1 MB single line (plain scalar)', text: `spec: ${'x'.repeat(megabyte)}` },
    { id: '1 MB single line (container name)', text: `spec:\n  containers:\n  - name: ${'a'.repeat(megabyte)}\n    image: b\n` },
    { id: '1 MB single line (quoted env value)', text: `spec:\n  containers:\n  - name: a\n    image: b\n    env:\n      A: "${'é😀\\"'.repeat(megabyte / 8)}"\n` },
    { id: '1 MB single line (flow sequence)', text: `spec:\n  containers: [${'{name: a, image: b}, '.repeat(megabyte / 20)}]\n` },
    { id: '1 MB comment line', text: `# ${'#'.repeat(megabyte)}\nspec:\n  containers:\n  - name: a\n    image: b\n` },
    { id: '1 MB of {{ placeholders }} in one line', text: `spec:\n  containers:\n  - name: a\n    image: ${'{{ v }}'.repeat(megabyte / 7)}\n` },
    { id: '1 MB unterminated quote', text: `spec:\n  containers:\n  - name: "${'a'.repeat(megabyte)}` },
    { id: '100k { on one line (placeholder scan)', text: `spec:\n  containers:\n  - name: a\n    image: b\n${'{'.repeat(100_000)}\n` },
    { id: '1 MB unterminated {{', text: `spec:\n  containers:\n  - name: a\n    image: {{${' x'.repeat(megabyte / 2)}` },
    { id: 'only --- lines (10k)', text: '---\n'.repeat(10_000) },
    { id: 'only --- lines then a spec', text: `${'---\n'.repeat(1000)}spec:\n  containers:\n  - name: a\n    image: b\n` },
    { id: 'a spec in each of 1k documents', text: 'spec:\n  containers:\n  - name: a\n    image: b\n---\n'.repeat(1000) },
    { id: 'only ... lines', text: '...\n'.repeat(1000) },
    { id: 'NUL characters', text: 'spec:\n  containers:\n  - name: a\u0000b\n    image: \u0000\n\u0000\n' },
    { id: 'NUL everywhere', text: 'spec:\n  containers:\n  - name: ab\n    image: b\n'.split('').join('\u0000') },
    { id: 'BOM at the start', text: '\uFEFFspec:\n  containers:\n  - name: my_app\n    image: b\n' },
    { id: 'BOM in the middle', text: 'spec:\n  containers:\n\uFEFF  - name: my_app\n    image: b\uFEFF\n' },
    { id: 'many BOMs', text: '\uFEFF'.repeat(1000) },
    { id: 'CRLF corpus spec', text: sampleSpec.replace(/\r?\n/g, '\r\n') },
    { id: 'CR-only corpus spec', text: sampleSpec.replace(/\r?\n/g, '\r') },
    { id: 'CRLF every-field spec', text: everyFieldSpec.replace(/\n/g, '\r\n') },
    { id: 'mixed line endings', text: 'spec:\r\n  containers:\r  - name: my_app\n    image: b\r\n    resources:\n\r      requests:\r\n        nvidia.com/gpu: 1\r' },
    { id: 'lone surrogates', text: 'spec:\n  containers:\n  - name: \uD800\uDC00\uDC00\uD800\n    image: \uDFFF\n' },
    { id: 'tabs for indentation', text: 'spec:\n\tcontainers:\n\t- name: a\n\t\timage: b\n' },
    { id: '2.5k containers named a', text: `spec:\n  containers:\n${'  - name: a\n    image: b\n'.repeat(2500)}` },
    { id: '2.5k endpoints on one port', text: `spec:\n  containers:\n  - name: a\n    image: b\n  endpoints:\n${'  - name: e\n    port: 80\n'.repeat(2500)}` },
    { id: '2.5k volumes mounted 2.5k times', text: `spec:\n  containers:\n  - name: a\n    image: b\n    volumeMounts:\n${'    - name: v\n      mountPath: /v\n'.repeat(2500)}  volumes:\n${'  - name: v\n    source: local\n'.repeat(2500)}` },
    { id: '20k env entries', text: `spec:\n  containers:\n  - name: a\n    image: b\n    env:\n${Array.from({ length: 20_000 }, (_, n) => `      K${n}: v${n}`).join('\n')}\n` },
    { id: '100k-character key', text: `spec:\n  containers:\n  - ${'k'.repeat(100_000)}: v\n` },
    { id: 'empty document', text: '' },
    { id: 'whitespace only', text: ' \n\t\n   \r\n' },
    { id: 'only a comment', text: '# spcs: instance-family=GPU_NV_S' },
    { id: 'modeline with a huge family', text: `# spcs: instance-family=${'X'.repeat(100_000)}\nspec:\n  containers:\n  - name: a\n    image: b\n` },
    { id: 'directives', text: '%YAML 1.1\n%TAG !e! tag:example.com,2000:\n---\nspec: !e!x\n  containers: !!seq\n  - !!map {name: a, image: b}\n' },
    { id: 'complex keys', text: 'spec:\n  ? [containers]\n  : - name: a\n  ? {a: b}\n  : x\n  containers:\n  - ? name\n    : a\n' },
    { id: 'numbers as keys', text: 'spec:\n  1: 2\n  containers:\n  - 3: 4\n    null: x\n    true: y\n    ~: z\n' },
  ];
  return [...documents, ...wrongTypeDocuments(), ...otherKindDocuments()];
}

/** Gateway specs and a project definition: every field of the wrong type, mutated copies, and very many endpoints and entities. */
function otherKindDocuments(): FuzzDocument[] {
  const endpoints = (count: number) => Array.from({ length: count }, (_, n) => `  - type: endpoint\n    value: db.s.svc${n}!api\n    weight: ${n % 101}\n`).join('');
  const entities = (count: number) => Array.from({ length: count }, (_, n) => `  e${n}:\n    type: ${['service', 'compute-pool', 'image-repository', 'streamlit'][n % 4] ?? 'service'}\n    spec_file: s${n}.yml\n`).join('');
  return [
    ...everyFieldGateways.flatMap((text, index) => wrongTypeDocuments(text, `every-field gateway ${index + 1}`)),
    ...wrongTypeDocuments(everyFieldProject, 'every-field snowflake.yml', 'snowflake.yml'),
    ...corpusDocuments(everyFieldGateways.map((text, index) => ({ name: `gateway ${index + 1}`, text }))),
    ...corpusDocuments([{ name: 'snowflake.yml', text: everyFieldProject }], 'snowflake.yml'),
    ...corpusDocuments([{ name: 'snowflake.local.yml', text: everyFieldProject.replace(/^definition_version.*\n/, '') }], 'snowflake.local.yml'),
    { id: 'gateway with 5k targets', text: `spec:\n  type: traffic_split\n  split_type: custom\n  targets:\n${endpoints(5000)}` },
    { id: 'gateway with 5k shadows', text: `spec:\n  type: shadow_traffic\n  primary:\n${endpoints(1)}  shadow:\n${endpoints(5000)}` },
    { id: 'snowflake.yml with 5k entities', text: `definition_version: 2\nentities:\n${entities(5000)}`, fileName: 'snowflake.yml' },
    { id: 'snowflake.yml with a mixin cycle of 1k names', text: `definition_version: 2\nmixins:\n${Array.from({ length: 1000 }, (_, n) => `  m${n}: {stage: s}\n`).join('')}entities:\n  e:\n    type: service\n    meta:\n      use_mixins: [${Array.from({ length: 1000 }, (_, n) => `m${n}`).join(', ')}]\n`, fileName: 'snowflake.yml' },
  ];
}

function documentsOf(suite: Suite, corpus: readonly CorpusSpec[] | undefined): FuzzDocument[] {
  switch (suite) {
    case 'corpus':
      return corpus ? corpusDocuments(corpus) : [];
    case 'random':
      return randomDocuments();
    case 'pathological':
      return pathologicalDocuments(corpus);
  }
}

// ---------------------------------------------------------------------------------------------------
// Checks: every feature on one document, timed, with its result's shape verified.

const callNames = [
  'validate', 'complete', 'hover', 'definition', 'references', 'prepareRename', 'rename', 'documentSymbols', 'foldingRanges',
  'codeActions', 'apply edits', 'validate after fix', 'validate after rename',
] as const;
type CallName = (typeof callNames)[number];

interface Failure {
  readonly call: string;
  readonly languageId: string;
  readonly problem: string;
  readonly stack?: string;
}

/**
 * The child's heartbeat: four doubles (document index, call start as Date.now() or 0 when idle, call
 * name index, language index) written to a small file before and after every call, so that the
 * parent can say which call on which document hung or crashed the process.
 */
class Heartbeat {
  private readonly values = new Float64Array(4);
  private readonly bytes = new Uint8Array(this.values.buffer);
  documentIndex = 0;

  constructor(private readonly fd: number) {}

  beat(call: CallName | undefined, languageId: string): void {
    this.values[0] = this.documentIndex;
    this.values[1] = call ? Date.now() : 0;
    this.values[2] = call ? callNames.indexOf(call) : this.values[2] ?? 0;
    this.values[3] = languageIds.indexOf(languageId as (typeof languageIds)[number]);
    writeSync(this.fd, this.bytes, 0, this.bytes.length, 0);
  }

  static read(file: string): { documentIndex: number; callStarted: number; call: string; languageId: string } | undefined {
    try {
      const buffer = readFileSync(file);
      if (buffer.length < 32) {
        return undefined;
      }
      const values = new Float64Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + 32));
      return {
        documentIndex: values[0] ?? 0,
        callStarted: values[1] ?? 0,
        call: callNames[values[2] ?? 0] ?? 'unknown',
        languageId: languageIds[values[3] ?? -1] ?? '?',
      };
    } catch {
      return undefined;
    }
  }
}

/** Line lengths as `TextDocument` splits lines (\r\n, \r and \n all end a line). */
function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.length);
}

class Checker {
  readonly failures: Failure[] = [];
  calls = 0;
  /** Code actions and renames whose edits were applied and the result validated again. */
  editsApplied = 0;
  slowest = { ms: 0, call: '' };
  private lines: number[] = [];

  constructor(
    private readonly service: SpcsLanguageService,
    private readonly heartbeat: Heartbeat | undefined,
  ) {}

  private timed<T>(call: CallName, languageId: string, run: () => T): { ok: true; value: T } | { ok: false } {
    const started = performance.now();
    this.heartbeat?.beat(call, languageId);
    this.calls++;
    try {
      return { ok: true, value: run() };
    } catch (error) {
      this.failures.push({
        call,
        languageId,
        problem: `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
        stack: error instanceof Error ? error.stack : undefined,
      });
      return { ok: false };
    } finally {
      this.heartbeat?.beat(undefined, languageId);
      const ms = performance.now() - started;
      if (ms > this.slowest.ms) {
        this.slowest = { ms, call: `${call} (${languageId})` };
      }
      if (ms > callLimitMs) {
        this.failures.push({ call, languageId, problem: `took ${Math.round(ms)} ms (limit ${callLimitMs} ms)` });
      }
    }
  }

  private malformed(call: CallName, languageId: string, what: string): void {
    this.failures.push({ call, languageId, problem: `malformed result: ${what}` });
  }

  private positionOk(position: Position | undefined): boolean {
    if (!position || !Number.isInteger(position.line) || !Number.isInteger(position.character)) {
      return false;
    }
    const length = this.lines[position.line];
    return position.line >= 0 && position.character >= 0 && length !== undefined && position.character <= length;
  }

  private rangeOk(range: Range | undefined): boolean {
    if (!range || !this.positionOk(range.start) || !this.positionOk(range.end)) {
      return false;
    }
    return range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  }

  private describeRange(range: Range | undefined): string {
    return range ? `${JSON.stringify(range)} in a document of ${this.lines.length} line(s)` : 'no range';
  }

  /** Applies the edits of `edit` to the document and validates the result; both must not throw. */
  private applyWorkspaceEdit(call: CallName, after: CallName, document: TextDocument, edit: WorkspaceEdit | undefined | null): void {
    if (!edit) {
      return;
    }
    const languageId = document.languageId;
    const edits: TextEdit[] = [];
    for (const [uri, changes] of Object.entries(edit.changes ?? {})) {
      if (uri !== document.uri) {
        this.malformed(call, languageId, `edit for another document ${uri}`);
        continue;
      }
      edits.push(...changes);
    }
    for (const change of edit.documentChanges ?? []) {
      if ('edits' in change && change.textDocument.uri === document.uri) {
        edits.push(...(change.edits as TextEdit[]));
      }
    }
    for (const textEdit of edits) {
      if (!this.rangeOk(textEdit.range) || typeof textEdit.newText !== 'string') {
        this.malformed(call, languageId, `edit range ${this.describeRange(textEdit.range)}`);
        return;
      }
    }
    const applied = this.timed('apply edits', languageId, () => TextDocument.applyEdits(document, edits));
    if (!applied.ok) {
      return;
    }
    this.editsApplied++;
    const fixed = TextDocument.create(`${document.uri}.fixed`, languageId, 1, applied.value);
    this.timed(after, languageId, () => this.service.validate(fixed));
    this.service.forget(fixed.uri);
  }

  private checkLocations(call: CallName, languageId: string, uri: string, locations: Location[] | null | undefined): void {
    if (!Array.isArray(locations)) {
      this.malformed(call, languageId, `not an array: ${JSON.stringify(locations)}`);
      return;
    }
    for (const location of locations) {
      if (typeof location.uri !== 'string' || (location.uri === uri && !this.rangeOk(location.range))) {
        this.malformed(call, languageId, `location ${this.describeRange(location.range)}`);
      }
    }
  }

  private checkSymbols(languageId: string, symbols: DocumentSymbol[], depth = 0): void {
    for (const symbol of symbols) {
      if (typeof symbol.name !== 'string' || symbol.name.length === 0) {
        this.malformed('documentSymbols', languageId, `empty symbol name (VS Code rejects it): ${JSON.stringify(symbol.name)}`);
      }
      if (!Number.isInteger(symbol.kind) || symbol.kind < 1 || symbol.kind > 26) {
        this.malformed('documentSymbols', languageId, `symbol kind ${symbol.kind}`);
      }
      if (!this.rangeOk(symbol.range) || !this.rangeOk(symbol.selectionRange)) {
        this.malformed('documentSymbols', languageId, `symbol ${symbol.name} range ${this.describeRange(symbol.range)} / ${this.describeRange(symbol.selectionRange)}`);
      } else if (!contains(symbol.range, symbol.selectionRange)) {
        this.malformed('documentSymbols', languageId, `symbol ${symbol.name}: selectionRange not inside range (VS Code rejects it)`);
      }
      if (symbol.children && depth < 200) {
        this.checkSymbols(languageId, symbol.children, depth + 1);
      }
    }
  }

  /** Runs every feature on the document as `languageId`. */
  check(text: string, uriBase: string, languageId: string, random: Random, fileName?: string): void {
    this.lines = lineLengths(text);
    const uri = fileName === undefined ? `${uriBase}.${languageId === 'yaml' ? 'yaml' : 'spcs.yaml'}` : `${uriBase}/${languageId}/${fileName}`;
    const document = TextDocument.create(uri, languageId, 1, text);
    const end = document.positionAt(text.length);
    const positions: Position[] = [{ line: 0, character: 0 }, end];
    for (let n = 0; n < 3; n++) {
      positions.push(document.positionAt(random.int(text.length + 1)));
    }
    try {
      const validated = this.timed('validate', languageId, () => this.service.validate(document));
      if (validated.ok) {
        this.checkDiagnostics(languageId, validated.value);
      }
      for (const position of positions) {
        this.checkPosition(document, languageId, position);
      }
      const symbols = this.timed('documentSymbols', languageId, () => this.service.documentSymbols(document));
      if (symbols.ok) {
        if (Array.isArray(symbols.value)) {
          this.checkSymbols(languageId, symbols.value);
        } else {
          this.malformed('documentSymbols', languageId, 'not an array');
        }
      }
      const folding = this.timed('foldingRanges', languageId, () => this.service.foldingRanges(document));
      if (folding.ok) {
        for (const range of folding.value) {
          const ok = Number.isInteger(range.startLine) && Number.isInteger(range.endLine) && range.startLine >= 0 && range.startLine <= range.endLine && range.endLine < this.lines.length;
          if (!ok) {
            this.malformed('foldingRanges', languageId, `folding range ${JSON.stringify(range)} in ${this.lines.length} line(s)`);
          }
        }
      }
      const actions = this.timed('codeActions', languageId, () => this.service.codeActions(document, { range: { start: { line: 0, character: 0 }, end } }));
      if (actions.ok) {
        this.checkCodeActions(document, actions.value);
      }
    } finally {
      this.service.forget(uri);
    }
  }

  private checkDiagnostics(languageId: string, diagnostics: Diagnostic[]): void {
    if (!Array.isArray(diagnostics)) {
      this.malformed('validate', languageId, 'diagnostics not an array');
      return;
    }
    for (const diagnostic of diagnostics) {
      if (!this.rangeOk(diagnostic.range)) {
        this.malformed('validate', languageId, `${String(diagnostic.code)} range ${this.describeRange(diagnostic.range)}`);
      }
      if (typeof diagnostic.message !== 'string' || diagnostic.message.trim() === '') {
        this.malformed('validate', languageId, `${String(diagnostic.code)} without a message`);
      }
      if (diagnostic.severity !== undefined && ![1, 2, 3, 4].includes(diagnostic.severity)) {
        this.malformed('validate', languageId, `${String(diagnostic.code)} severity ${diagnostic.severity}`);
      }
      if (diagnostic.code !== undefined && typeof diagnostic.code !== 'string' && typeof diagnostic.code !== 'number') {
        this.malformed('validate', languageId, `code ${JSON.stringify(diagnostic.code)}`);
      }
      for (const related of diagnostic.relatedInformation ?? []) {
        if (!this.rangeOk(related.location.range)) {
          this.malformed('validate', languageId, `${String(diagnostic.code)} related range ${this.describeRange(related.location.range)}`);
        }
      }
    }
  }

  private checkPosition(document: TextDocument, languageId: string, position: Position): void {
    const completion = this.timed('complete', languageId, () => this.service.complete(document, position));
    if (completion.ok) {
      const list = completion.value;
      if (!list || !Array.isArray(list.items) || typeof list.isIncomplete !== 'boolean') {
        this.malformed('complete', languageId, `not a CompletionList: ${JSON.stringify(list)?.slice(0, 200)}`);
      } else {
        for (const item of list.items) {
          if (typeof item.label !== 'string' || item.label === '') {
            this.malformed('complete', languageId, `item label ${JSON.stringify(item.label)}`);
          }
          const textEdit = item.textEdit;
          if (textEdit && 'range' in textEdit && !this.rangeOk(textEdit.range)) {
            this.malformed('complete', languageId, `item ${item.label} textEdit ${this.describeRange(textEdit.range)}`);
          }
          if (textEdit && 'insert' in textEdit && (!this.rangeOk(textEdit.insert) || !this.rangeOk(textEdit.replace))) {
            this.malformed('complete', languageId, `item ${item.label} insert/replace ${this.describeRange(textEdit.insert)}`);
          }
          for (const extra of item.additionalTextEdits ?? []) {
            if (!this.rangeOk(extra.range)) {
              this.malformed('complete', languageId, `item ${item.label} additionalTextEdit ${this.describeRange(extra.range)}`);
            }
          }
        }
      }
    }
    const hover = this.timed('hover', languageId, () => this.service.hover(document, position));
    if (hover.ok && hover.value) {
      if (hover.value.contents === undefined || hover.value.contents === null) {
        this.malformed('hover', languageId, 'hover without contents');
      }
      if (hover.value.range && !this.rangeOk(hover.value.range)) {
        this.malformed('hover', languageId, `hover range ${this.describeRange(hover.value.range)}`);
      }
    }
    const definition = this.timed('definition', languageId, () => this.service.definition(document, position));
    if (definition.ok) {
      this.checkLocations('definition', languageId, document.uri, definition.value);
    }
    const references = this.timed('references', languageId, () => this.service.references(document, position, true));
    if (references.ok) {
      this.checkLocations('references', languageId, document.uri, references.value);
    }
    const prepared = this.timed('prepareRename', languageId, () => this.service.prepareRename(document, position));
    if (prepared.ok && prepared.value) {
      if (!this.rangeOk(prepared.value.range) || typeof prepared.value.placeholder !== 'string') {
        this.malformed('prepareRename', languageId, `range ${this.describeRange(prepared.value.range)}`);
      } else {
        const renamed = this.timed('rename', languageId, () => this.service.rename(document, position, 'renamed-x'));
        if (renamed.ok) {
          this.applyWorkspaceEdit('rename', 'validate after rename', document, renamed.value);
        }
      }
    }
  }

  private checkCodeActions(document: TextDocument, actions: CodeAction[]): void {
    const languageId = document.languageId;
    if (!Array.isArray(actions)) {
      this.malformed('codeActions', languageId, 'not an array');
      return;
    }
    for (const action of actions) {
      if (typeof action.title !== 'string' || action.title.trim() === '') {
        this.malformed('codeActions', languageId, `action without a title: ${JSON.stringify(action).slice(0, 200)}`);
      }
      for (const diagnostic of action.diagnostics ?? []) {
        if (!this.rangeOk(diagnostic.range)) {
          this.malformed('codeActions', languageId, `action diagnostic range ${this.describeRange(diagnostic.range)}`);
        }
      }
      this.applyWorkspaceEdit('codeActions', 'validate after fix', document, action.edit);
    }
  }
}

function contains(outer: Range, inner: Range): boolean {
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

/** The failures of every feature on `text` (both language ids), with a fresh service. */
function failuresOf(
  text: string,
  documentIndex: number,
  heartbeat?: Heartbeat,
  fileName?: string,
): { failures: Failure[]; calls: number; editsApplied: number; slowest: { ms: number; call: string } } {
  const ruleFailures: Failure[] = [];
  let currentLanguage = '';
  const service = new SpcsLanguageService({
    // Project definitions read their spec files: every name exists, and holds the first corpus-like spec.
    files: { readText: (uri) => (uri.endsWith('.yml') ? 'spec:\n  containers:\n  - name: a\n    image: /db/s/r/a:1\n' : undefined) },
    onRuleError: (rule, error) =>
      ruleFailures.push({
        call: `rule ${rule} (inside validate)`,
        languageId: currentLanguage,
        problem: `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
        stack: error instanceof Error ? error.stack : undefined,
      }),
  });
  const checker = new Checker(service, heartbeat);
  for (const languageId of languageIds) {
    currentLanguage = languageId;
    checker.check(text, `file:///fuzz/${documentIndex}`, languageId, new Random(hash(seed, 'positions', documentIndex)), fileName);
  }
  return { failures: [...checker.failures, ...ruleFailures], calls: checker.calls, editsApplied: checker.editsApplied, slowest: checker.slowest };
}

/** Groups failures that are the same bug: the call and the problem with numbers and quoted text blurred. */
function signatureOf(failure: Failure): string {
  const problem = failure.problem
    .replace(/\d+/g, '#')
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '…')
    .slice(0, 160);
  return `${failure.call}: ${problem}`;
}

/** Removes chunks of lines, then of characters, while `stillFails` holds: a small reproduction. */
function minimize(text: string, stillFails: (candidate: string) => boolean, budgetMs: number): string {
  const deadline = performance.now() + budgetMs;
  const shrink = (units: string[]): string[] => {
    let current = units;
    let chunk = Math.max(1, Math.ceil(current.length / 2));
    while (chunk >= 1 && performance.now() < deadline) {
      let removedAny = false;
      for (let index = 0; index < current.length && performance.now() < deadline; ) {
        const candidate = [...current.slice(0, index), ...current.slice(index + chunk)];
        if (candidate.length < current.length && stillFails(candidate.join(''))) {
          current = candidate;
          removedAny = true;
        } else {
          index += chunk;
        }
      }
      if (!removedAny) {
        if (chunk === 1) {
          break;
        }
        chunk = Math.max(1, Math.floor(chunk / 2));
      }
    }
    return current;
  };
  const byLines = shrink(text.split(/(?<=\n)/)).join('');
  return byLines.length <= 5000 ? shrink([...byLines]).join('') : byLines;
}

// ---------------------------------------------------------------------------------------------------
// The child process: runs documents [start, end) of a suite and reports failures as they happen.

interface ChildInput {
  readonly suite: Suite;
  /** The child runs documents start, start + step, start + 2·step, … */
  readonly start: number;
  readonly step: number;
  readonly heartbeatFile: string;
}

interface ReportedFailure extends Failure {
  readonly signature: string;
  readonly documentIndex: number;
  readonly documentId: string;
  readonly documentLength: number;
  minimized?: string;
}

type ChildMessage =
  | { readonly type: 'failure'; readonly failure: ReportedFailure }
  | { readonly type: 'shrinking'; readonly signature: string }
  | { readonly type: 'minimized'; readonly signature: string; readonly minimized: string }
  | { readonly type: 'document'; readonly index: number; readonly calls: number; readonly editsApplied: number; readonly slowest: { ms: number; call: string } }
  | { readonly type: 'done' };

const childEnvironmentKey = 'SPCS_FUZZ_CHILD';

async function runChild(input: ChildInput): Promise<void> {
  const send = (message: ChildMessage) =>
    new Promise<void>((resolvePromise) => {
      if (!process.send) {
        process.stdout.write(`${JSON.stringify(message)}\n`);
        resolvePromise();
      } else {
        process.send(message, () => resolvePromise());
      }
    });
  const trace = process.env.SPCS_FUZZ_TRACE === '1';
  const documents = documentsOf(input.suite, loadCorpus());
  const heartbeat = new Heartbeat(openSync(input.heartbeatFile, 'r+'));
  const firstBySignature = new Map<string, ReportedFailure>();
  for (let index = input.start; index < documents.length; index += input.step) {
    const document = documents[index];
    if (!document) {
      continue;
    }
    if (trace) {
      writeSync(2, `#${index} ${document.id} (${document.text.length} chars)\n`);
    }
    heartbeat.documentIndex = index;
    const result = failuresOf(document.text, index, heartbeat, document.fileName);
    for (const failure of result.failures) {
      const reported: ReportedFailure = { ...failure, signature: signatureOf(failure), documentIndex: index, documentId: document.id, documentLength: document.text.length };
      if (!firstBySignature.has(reported.signature)) {
        firstBySignature.set(reported.signature, reported);
      }
      await send({ type: 'failure', failure: reported });
    }
    await send({ type: 'document', index, calls: result.calls, editsApplied: result.editsApplied, slowest: result.slowest });
  }
  // Shrink one input per distinct failure (slow calls are not shrunk: each attempt would be slow too).
  for (const [signature, failure] of firstBySignature) {
    if (failure.problem.startsWith('took') || failure.documentLength > 200_000) {
      continue;
    }
    await send({ type: 'shrinking', signature });
    heartbeat.documentIndex = -1;
    const text = documents[failure.documentIndex]?.text ?? '';
    const stillFails = (candidate: string) => failuresOf(candidate, failure.documentIndex, heartbeat, documents[failure.documentIndex]?.fileName).failures.some((other) => signatureOf(other) === signature);
    await send({ type: 'minimized', signature, minimized: minimize(text, stillFails, 4000) });
  }
  await send({ type: 'done' });
}

// ---------------------------------------------------------------------------------------------------
// The test process: one test per suite, each running watched child processes.

/** A shard stops after this many hangs (each costs `killAfterMs`): the report is clear by then. */
const maxHangsPerShard = 5;
/** Child processes per suite, run side by side (documents are dealt round-robin between them). */
const shards = Math.max(1, Math.min(2, availableParallelism()));

interface SuiteOutcome {
  readonly documents: number;
  readonly processed: number;
  readonly calls: number;
  readonly editsApplied: number;
  readonly failures: ReportedFailure[];
  readonly seconds: number;
  readonly slowest: { ms: number; call: string; documentId: string };
}

/** Runs the documents of one shard (start, start + step, …) in watched child processes. */
async function runShard(suite: Suite, documents: readonly FuzzDocument[], shard: number, step: number, scratch: string, outcome: MutableOutcome): Promise<void> {
  let start = shard;
  let hangs = 0;
  const heartbeatFile = join(scratch, `${suite}-${shard}.heartbeat`);
  while (start < documents.length) {
    writeFileSync(heartbeatFile, Buffer.alloc(32));
    const child = fork(__filename, [], {
      execArgv: ['--require', require.resolve('tsx/cjs'), '--max-old-space-size=2048'],
      env: { ...process.env, [childEnvironmentKey]: JSON.stringify({ suite, start, step, heartbeatFile } satisfies ChildInput) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-3000);
    });
    let shrinking = false;
    let lastDone = start - step;
    const stuckFailure = (problem: string): ReportedFailure | undefined => {
      const beat = Heartbeat.read(heartbeatFile);
      if (shrinking || (beat && beat.documentIndex < 0)) {
        // A reduced input hung or crashed while shrinking a failure: the original failure stands.
        return undefined;
      }
      const index = beat && beat.callStarted > 0 ? beat.documentIndex : lastDone + step;
      const document = documents[index];
      const call = beat?.call ?? 'unknown';
      return {
        call,
        languageId: beat?.languageId ?? '?',
        problem,
        signature: `${call}: ${problem.replace(/\d+/g, '#').slice(0, 160)}`,
        documentIndex: index,
        documentId: document?.id ?? `#${index}`,
        documentLength: document?.text.length ?? 0,
      };
    };
    const next = await new Promise<number>((resolvePromise) => {
      let settled = false;
      const settle = (stuckAt: number | undefined) => {
        if (!settled) {
          settled = true;
          clearInterval(watchdog);
          // Resume after the document that got stuck; a stuck shrink ends the shard.
          resolvePromise(stuckAt === undefined || shrinking ? documents.length : stuckAt + step);
        }
      };
      const watchdog = setInterval(() => {
        const beat = Heartbeat.read(heartbeatFile);
        if (beat && beat.callStarted > 0 && Date.now() - beat.callStarted > killAfterMs) {
          const failure = stuckFailure(`did not return within ${killAfterMs} ms (hang; process killed)`);
          if (failure) {
            outcome.failures.push(failure);
            outcome.processed++;
          }
          hangs++;
          child.kill('SIGKILL');
          settle(failure?.documentIndex ?? lastDone + step);
        }
      }, 100);
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'failure') {
          outcome.failures.push(message.failure);
        } else if (message.type === 'shrinking') {
          shrinking = true;
        } else if (message.type === 'minimized') {
          outcome.minimized.set(message.signature, message.minimized);
        } else if (message.type === 'document') {
          lastDone = message.index;
          outcome.processed++;
          outcome.calls += message.calls;
          outcome.editsApplied += message.editsApplied;
          if (message.slowest.ms > outcome.slowest.ms) {
            outcome.slowest = { ...message.slowest, documentId: documents[message.index]?.id ?? '' };
          }
        }
      });
      child.on('exit', (code, signal) => {
        if (settled) {
          return;
        }
        if (code === 0) {
          settle(undefined);
          return;
        }
        const lines = stderr.trim().split('\n');
        const last = lines.find((line) => /FATAL ERROR|RangeError|out of memory/i.test(line)) ?? lines.filter((line) => line.trim() !== '').slice(-1).join('');
        const failure = stuckFailure(`crashed the process (${signal ?? `exit code ${String(code)}`}): ${last.slice(0, 300)}`);
        if (failure) {
          outcome.failures.push(failure);
          outcome.processed++;
        }
        settle(failure?.documentIndex ?? lastDone + step);
      });
    });
    if (hangs >= maxHangsPerShard && next < documents.length) {
      outcome.failures.push({
        call: 'suite',
        languageId: '-',
        problem: `stopped after ${hangs} hangs; the rest of this shard (from document #${next}) was not run`,
        signature: 'suite: stopped early',
        documentIndex: next,
        documentId: documents[next]?.id ?? '',
        documentLength: 0,
      });
      return;
    }
    start = next;
  }
}

interface MutableOutcome {
  processed: number;
  calls: number;
  editsApplied: number;
  slowest: { ms: number; call: string; documentId: string };
  readonly failures: ReportedFailure[];
  readonly minimized: Map<string, string>;
}

async function runSuite(suite: Suite, corpus: readonly CorpusSpec[] | undefined, scratch: string): Promise<SuiteOutcome> {
  const started = performance.now();
  const documents = documentsOf(suite, corpus);
  const outcome: MutableOutcome = { processed: 0, calls: 0, editsApplied: 0, slowest: { ms: 0, call: '', documentId: '' }, failures: [], minimized: new Map() };
  await Promise.all(Array.from({ length: shards }, (_, shard) => runShard(suite, documents, shard, shards, scratch, outcome)));
  for (const failure of outcome.failures) {
    failure.minimized = outcome.minimized.get(failure.signature);
  }
  return {
    documents: documents.length,
    processed: outcome.processed,
    calls: outcome.calls,
    editsApplied: outcome.editsApplied,
    failures: outcome.failures,
    seconds: (performance.now() - started) / 1000,
    slowest: outcome.slowest,
  };
}

function describeFailures(failures: readonly ReportedFailure[]): string {
  const groups = new Map<string, ReportedFailure[]>();
  for (const failure of failures) {
    groups.set(failure.signature, [...(groups.get(failure.signature) ?? []), failure]);
  }
  const parts: string[] = [];
  for (const [signature, group] of groups) {
    const first = group[0];
    if (!first) {
      continue;
    }
    const languages = [...new Set(group.map((failure) => failure.languageId))].join(', ');
    const frames = (first.stack ?? '')
      .split('\n')
      .filter((line) => line.includes('server/src/'))
      .slice(0, 4)
      .map((line) => `      ${line.trim()}`)
      .join('\n');
    const input = first.minimized;
    parts.push(
      [
        `- ${signature}`,
        `    ${group.length} occurrence(s), language ids: ${languages}; on:`,
        ...[...new Map(group.map((failure) => [failure.documentIndex, failure])).values()]
          .slice(0, 5)
          .map((failure) => `      document #${failure.documentIndex}: ${failure.documentId} (${failure.documentLength} chars)`),
        `    ${first.call} ${first.problem}`,
        frames ? `    thrown at:\n${frames}` : '',
        input !== undefined ? `    minimal input (JSON): ${JSON.stringify(input).slice(0, 1500)}` : '    (input not shrunk: regenerate it from the document id above)',
      ]
        .filter((line) => line !== '')
        .join('\n'),
    );
  }
  return parts.join('\n');
}

const childInput = process.env[childEnvironmentKey];
if (childInput) {
  runChild(JSON.parse(childInput) as ChildInput).then(
    () => process.exit(0),
    (error: unknown) => {
      writeSync(2, `fuzz child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
} else {
  const corpus = loadCorpus();
  const totals = { documents: 0, calls: 0, editsApplied: 0, seconds: 0 };
  let scratch = '';

  describe('language service robustness (fuzz)', () => {
    before(() => {
      scratch = mkdtempSync(join(tmpdir(), 'spcs-fuzz-'));
    });
    after(() => {
      rmSync(scratch, { recursive: true, force: true });
    });

    const run = async (suite: Suite, context: { diagnostic(message: string): void }) => {
      const outcome = await runSuite(suite, corpus, scratch);
      totals.documents += outcome.processed;
      totals.calls += outcome.calls;
      totals.editsApplied += outcome.editsApplied;
      totals.seconds += outcome.seconds;
      const summary = `${suite}: ${outcome.processed}/${outcome.documents} documents × ${languageIds.length} language ids, ${outcome.calls} calls (${outcome.editsApplied} quick fixes/renames applied and re-validated) in ${outcome.seconds.toFixed(1)} s; slowest call ${outcome.slowest.ms.toFixed(1)} ms (${outcome.slowest.call} on ${outcome.slowest.documentId})`;
      context.diagnostic(summary);
      console.log(summary);
      assert.ok(outcome.documents > 0, `${suite}: no documents generated`);
      if (outcome.failures.length > 0) {
        assert.fail(`${suite}: ${outcome.failures.length} failure(s) in the language service:\n${describeFailures(outcome.failures)}`);
      }
    };

    test('mutated corpus specs', { skip: corpus ? false : `${corpusSpecs} is absent: the corpus part is skipped` }, async (t) => run('corpus', t));
    test('random text and random YAML-ish text', async (t) => run('random', t));
    test('pathological inputs', async (t) => run('pathological', t));
    test('summary', (t) => {
      const line = `total: ${totals.documents} documents (each as spcs-spec and yaml), ${totals.calls} calls, ${totals.editsApplied} quick fixes/renames applied, ${totals.seconds.toFixed(1)} s`;
      t.diagnostic(line);
      console.log(line);
    });
  });
}
