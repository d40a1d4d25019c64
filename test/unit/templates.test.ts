/**
 * Template dialects: which placeholders are found in which dialect, that a placeholder never causes a
 * false error, a type error or a parse error, that a genuine YAML construct next to them is still
 * checked, the one diagnostic of a template that is not YAML until rendered (and what is checked above
 * it), and the grouping of parse errors in documents that are simply broken.
 *
 * The fixtures in test/fixtures/templates are real-looking template files of each dialect, as the
 * server receives them (whole YAML documents, opened as `yaml`).
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type MarkupContent } from 'vscode-languageserver-types';
import { getHover } from '../../server/src/service/hover';
import { parseSpecDocument } from '../../server/src/service/specDocument';
import { findPlaceholders, maskPlaceholders, type TemplateDialect } from '../../server/src/service/templates';
import { validateSpec } from '../../server/src/service/validate';
import { expectDiagnostic, expectNoDiagnostic, validateText, withCode, yaml } from './helpers';

const fixtures = path.resolve(__dirname, '../fixtures/templates');

function placeholdersOf(text: string): [TemplateDialect, string, boolean][] {
  return findPlaceholders(text).map((placeholder) => [placeholder.dialect, placeholder.text, placeholder.certain]);
}

/** Validates as the server does for a `.yaml` file (content decides whether it is a spec). */
function validateYaml(text: string) {
  return validateSpec(parseSpecDocument(TextDocument.create('file:///template.yaml', 'yaml', 1, text)));
}

describe('template dialects: finding placeholders', () => {
  it('finds SnowSQL and Snowflake CLI variables, braced and bare', () => {
    assert.deepEqual(placeholdersOf('image: &{ accname }.registry.snowflakecomputing.com/&{db}/s/r/img:latest'), [
      ['snowsql', '&{ accname }', true],
      ['snowsql', '&{db}', true],
    ]);
    assert.deepEqual(placeholdersOf('image: &accname.registry.snowflakecomputing.com/x:1\nwarehouse: &wh\n'), [
      ['snowsql', '&accname', true],
      ['snowsql', '&wh', true],
    ]);
  });

  it('leaves YAML anchors alone: aliased, with a value, or on an indented block', () => {
    assert.deepEqual(placeholdersOf('base: &base\n  a: 1\nother: *base\n'), []);
    assert.deepEqual(placeholdersOf('x: &anchor value\n'), []);
    assert.deepEqual(placeholdersOf('env: &env\n  A: b\n'), []);
    assert.deepEqual(placeholdersOf('url: http://host/?a=1&b=2\ncmd: "a && b"\n'), []);
  });

  it('finds format placeholders by content, and leaves flow mappings to YAML', () => {
    assert.deepEqual(placeholdersOf('nvidia.com/gpu: {gpu}'), [['formatString', '{gpu}', true]]);
    assert.deepEqual(placeholdersOf('image: {registry}/x:{tag}'), [
      ['formatString', '{registry}', true],
      ['formatString', '{tag}', true],
    ]);
    assert.deepEqual(placeholdersOf('image: {repo.fetch().url}/a:{0} {x:d} { gpu }'), [
      ['formatString', '{repo.fetch().url}', true],
      ['formatString', '{0}', true],
      ['formatString', '{x:d}', true],
      ['formatString', '{ gpu }', true],
    ]);
    assert.deepEqual(placeholdersOf('resources: {requests: {cpu: 1}}\nenv: {}\nb: {a, b}\nc: {"a":1}\nd: {INSERT A VALUE HERE}\n'), []);
    assert.deepEqual(placeholdersOf('env: {}\nport: {port}\n'), [
      ['formatString', '{}', true],
      ['formatString', '{port}', true],
    ]);
    assert.deepEqual(placeholdersOf('args: ["{time} {level}"]\n'), [
      ['formatString', '{time}', false],
      ['formatString', '{level}', false],
    ]);
  });

  it('finds shell and Terraform expressions and directives, with Terraform escapes left as text', () => {
    assert.deepEqual(placeholdersOf('image: ${REGISTRY}/app:${TAG}\nport: $PORT\n'), [
      ['shell', '${REGISTRY}', false],
      ['shell', '${TAG}', false],
      ['shell', '$PORT', false],
    ]);
    assert.deepEqual(placeholdersOf('image: ${var.registry}/x:${local.tag}\n%{ if gpu ~}\na: $${literal} %%{literal}\n'), [
      ['terraform', '${var.registry}', true],
      ['terraform', '${local.tag}', true],
      ['terraform', '%{ if gpu ~}', true],
    ]);
    const multiLine = 'env: ${jsonencode({\n  A = "b"\n})}\nport: 1\n';
    assert.deepEqual(placeholdersOf(multiLine), [['terraform', '${jsonencode({\n  A = "b"\n})}', true]]);
    assert.equal(maskPlaceholders(multiLine).text, 'env: ______________\n         \n   \nport: 1\n');
  });

  it('finds sed placeholders, not names with double underscores', () => {
    assert.deepEqual(placeholdersOf('AIRFLOW__CORE__EXECUTOR: __EXECUTOR__\nimage: __REGISTRY__/x:__TAG__\n'), [
      ['sed', '__EXECUTOR__', true],
      ['sed', '__REGISTRY__', true],
      ['sed', '__TAG__', true],
    ]);
  });

  it('looks for the older dialects in comments, and for no new one there', () => {
    assert.deepEqual(placeholdersOf('# {gpu} $X __Y__ &z {{ jinja }}\na: 1\n'), [['jinja', '{{ jinja }}', true]]);
  });

  it('marks placeholders in quoted and block scalars as possibly literal', () => {
    assert.deepEqual(placeholdersOf('command: |\n  echo $HOME {print}\nport: __PORT__\n'), [
      ['shell', '$HOME', false],
      ['formatString', '{print}', false],
      ['sed', '__PORT__', true],
    ]);
  });

  it('masks without moving an offset', () => {
    for (const file of readdirSync(fixtures)) {
      const text = readFileSync(path.join(fixtures, file), 'utf8');
      const masked = maskPlaceholders(text);
      assert.equal(masked.text.length, text.length, file);
      assert.deepEqual(masked.text.split('\n').length, text.split('\n').length, file);
      assert.ok(masked.placeholders.length > 0, file);
    }
  });
});

describe('template dialects: no false errors', () => {
  for (const file of readdirSync(fixtures).filter((name) => !name.includes('not-yaml'))) {
    it(`reports nothing on the templated valid spec ${file}`, () => {
      assert.deepEqual(validateYaml(readFileSync(path.join(fixtures, file), 'utf8')), []);
    });
  }

  it('gives no parse error on a SnowSQL image (the & of &{ } is not an anchor)', () => {
    const diagnostics = validateText(yaml(`
      spec:
        containers:
        - name: app
          image: &{ accname }.registry.snowflakecomputing.com/db/schema/repo/img:latest
    `));
    assert.deepEqual(diagnostics, []);
  });

  it('gives no type error on a Python placeholder where an integer goes', () => {
    const diagnostics = validateText(yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/img:1
          resources:
            requests:
              nvidia.com/gpu: {gpu}
            limits:
              nvidia.com/gpu: {gpu}
    `));
    assert.deepEqual(diagnostics, []);
  });

  it('still checks a genuine flow mapping beside format placeholders', () => {
    const diagnostics = validateText(yaml(`
      spec:
        containers:
        - name: app
          image: {registry}/app:1
          resources: {requests: {memory: 1}}
          env: {A: {b: 1}}
    `));
    expectDiagnostic(diagnostics, 'spcs/invalid-memory', 'error', 4, 35);
    expectDiagnostic(diagnostics, 'spcs/env-value-not-scalar', 'warning', 5, 13);
  });

  it('keeps YAML anchors and aliases working', () => {
    const diagnostics = validateText(yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/img:1
          env: &common
            A: b
        - name: worker
          image: /db/schema/repo/img:1
          env: *common
    `));
    assert.deepEqual(diagnostics, []);
  });

  it('reports no duplicate key where two template branches set the same key', () => {
    const diagnostics = validateText(yaml(`
      spec:
        containers:
        - name: app
      {% if gpu %}
          image: /db/schema/repo/gpu:1
      {% else %}
          image: /db/schema/repo/cpu:1
      {% endif %}
    `));
    expectNoDiagnostic(diagnostics, 'spcs/duplicate-key');
  });
});

describe('template dialects: a template that is not YAML until rendered', () => {
  const cases: [string, string, string][] = [
    ['Terraform', '${indent(4, yamlencode(containers))}', "a Terraform template ('${…}')"],
    ['shell', '${CONTAINERS}', "a shell or Terraform template ('${…}')"],
    ['Python', '{containers}', "a Python format string ('{…}')"],
    ['Jinja', '{{ containers }}', "a Jinja or Snowflake specification template ('{{ … }}')"],
    ['SnowSQL', '&{ containers }', "a SnowSQL or Snowflake CLI script ('&{ … }')"],
    ['Snowflake CLI', '<% ctx.env.containers %>', "a Snowflake CLI template ('<% … %>')"],
    ['sed', '__CONTAINERS__', "a sed template ('__VARIABLE__')"],
  ];
  for (const [dialect, placeholder, described] of cases) {
    it(`says so once, naming the dialect (${dialect}), at the placeholder that breaks the YAML`, () => {
      const text = `spec:\n  containers:\n  - name: app\n    image: /db/schema/repo/app:1\n${placeholder}\n  endpoints:\n  - name: api\n    port: 8080\n    bogus: {\n`;
      const diagnostics = validateYaml(text);
      assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics, null, 2));
      const [diagnostic] = diagnostics;
      assert.equal(diagnostic?.code, 'spcs/template-not-yaml');
      assert.equal(diagnostic?.severity, DiagnosticSeverity.Information);
      assert.deepEqual(diagnostic?.range, { start: { line: 4, character: 0 }, end: { line: 4, character: placeholder.length } });
      assert.equal(
        diagnostic?.message,
        `This looks like ${described}: it is not YAML until rendered, so it is checked only as far as this placeholder, the first one that breaks the YAML.`,
      );
      assert.doesNotMatch(diagnostic?.message ?? '', /`/);
    });
  }

  it('checks the text above the break with the checks that what follows cannot change', () => {
    const diagnostics = validateYaml(yaml(`
      spec:
        containers:
        - name: Router_1
          image: /db/schema/images/router:\${router_tag}
          resources:
            requests:
              cpu: 500M
              memory: 1
          readinessProbe:
            port: 8080
          env:
      \${indent(6, yamlencode(env))}
        endpoints:
        - name: api
          port: 80800
    `));
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line]),
      [
        ['spcs/invalid-name', 2],
        ['spcs/invalid-cpu', 6],
        ['spcs/invalid-memory', 7],
        ['spcs/template-not-yaml', 11],
      ],
      // Not reported: the probe's missing path and an empty env (both may be below the break), the port below it.
    );
  });

  it('takes such a template for a spec when it is opened as plain YAML (the text decides when the tree cannot)', () => {
    const text = 'spec:\n${spec_header}\n  containers:\n  - name: a\n    image: x\n';
    const document = parseSpecDocument(TextDocument.create('file:///t.yaml', 'yaml', 1, text));
    assert.equal(document.spec, undefined, 'the tree has lost spec.containers');
    assert.equal(document.looksLikeSpec, true);
    assert.deepEqual(validateYaml(text).map((diagnostic) => diagnostic.code), ['spcs/template-not-yaml']);
    assert.deepEqual(validateYaml('config:\n  items:\n${items}\n'), [], 'YAML that is not a spec gets nothing');
  });

  it('reports a real YAML mistake in a template file as a parse error', () => {
    const diagnostics = validateYaml('spec:\n  containers:\n  - name: ${name}\n     image: x\n');
    assert.deepEqual(withCode(diagnostics, 'spcs/template-not-yaml'), []);
    assert.equal(withCode(diagnostics, 'spcs/parse-error').length, 1);
  });

  it('checks all of a Terraform template whose expressions and directives span lines', () => {
    const text = readFileSync(path.join(fixtures, 'terraform-service.yaml.tftpl'), 'utf8').replace('memory: ${memory}', 'memory: 1');
    const line = text.split('\n').findIndex((candidate) => candidate.includes('memory: 1'));
    const diagnostics = validateYaml(text);
    expectDiagnostic(diagnostics, 'spcs/invalid-type', 'error', line, 16);
    assert.equal(diagnostics.length, 1);
  });
});

describe('parse errors: the first of each group, with the count of those that may follow', () => {
  it('folds what one wrongly indented line causes into its error', () => {
    const diagnostics = validateText(yaml(`
      spec:
        containers:
         - name: vllm
            image: /ml_db/serving/images/vllm-openai:0.6.3
            args:
              - --model
            env:
              HF_HUB_OFFLINE: 1
            resources:
              requests:
                memory: 96Gi
          - name: gateway
            image: /ml_db/serving/images/gw:1
    `));
    const parse = withCode(diagnostics, 'spcs/parse-error');
    assert.deepEqual(
      parse.map((diagnostic) => [diagnostic.range.start.line, diagnostic.message]),
      [
        [2, 'YAML: Nested mappings are not allowed in compact mappings (and 1 more parse error that may follow from this one).'],
        [3, 'YAML: Nested mappings are not allowed in compact mappings (and 4 more parse errors that may follow from this one).'],
      ],
    );
  });

  it('folds a file indented with tabs into a few errors, not one per line', () => {
    const text = readFileSync(path.resolve(__dirname, '../../bench/documents/typical-gpu-service.yaml'), 'utf8');
    const tabbed = text.replace(/^((?: {2})+)/gm, (indent) => '\t'.repeat(indent.length / 2));
    const parse = withCode(validateText(tabbed), 'spcs/parse-error');
    assert.ok(parse.length <= 3, `${parse.length} parse errors shown`);
    assert.match(parse[0]?.message ?? '', /^YAML: Tabs are not allowed as indentation \(and \d+ more parse errors that may follow from this one\)\.$/);
  });

  it('keeps independent mistakes apart (two pseudo-syntax lines are two errors)', () => {
    const diagnostics = validateText(yaml(`
      spec:
        containers:
        - image: /db/s/r/server:prod
          name: server
          ...
        - image: /db/s/r/web:1.0
          name: web
          ...
    `));
    assert.deepEqual(
      withCode(diagnostics, 'spcs/parse-error').map((diagnostic) => [diagnostic.range.start.line, diagnostic.message]),
      [
        [4, 'YAML: Implicit map keys need to be followed by map values.'],
        [7, 'YAML: Implicit map keys need to be followed by map values.'],
      ],
    );
  });

  it('folds what an unclosed flow mapping swallows', () => {
    const parse = withCode(validateText('spec:\n  containers:\n  - name: a\n    env: {A: b, C: d\n    image: x\n    volumeMounts:\n    - name: v\n'), 'spcs/parse-error');
    assert.equal(parse.length, 1, JSON.stringify(parse));
    assert.match(parse[0]?.message ?? '', /\(and 2 more parse errors that may follow from this one\)\.$/);
  });
});

describe('template dialects: hover', () => {
  const hoverAt = (text: string, needle: string): string => {
    const document = TextDocument.create('file:///h.yaml', 'spcs-spec', 1, text);
    const result = getHover(parseSpecDocument(document), document.positionAt(text.indexOf(needle) + 1), { settings: {} });
    return (result?.contents as MarkupContent | undefined)?.value ?? '';
  };
  it('names the dialect of the placeholder under the cursor', () => {
    const text = 'spec:\n  containers:\n  - name: a\n    image: &{ acc }/${var.x}/{tag}/__T__/$S\n    args: ["%{ if x }"]\n';
    assert.match(hoverAt(text, '&{ acc }'), /\*\*SnowSQL variable\*\* `acc`/);
    assert.match(hoverAt(text, '${var.x}'), /\*\*Terraform template expression\*\* `x`/);
    assert.match(hoverAt(text, '{tag}'), /\*\*Format placeholder\*\* `tag`/);
    assert.match(hoverAt(text, '__T__'), /\*\*Placeholder\*\* `T`/);
    assert.match(hoverAt(text, '$S'), /\*\*Shell variable\*\* `S`/);
  });
});
