/**
 * The `spcs-spec` TextMate grammar, tokenized with VS Code's own engine (vscode-textmate +
 * vscode-oniguruma) on top of a YAML grammar: placeholders, runtime secret references, Jinja
 * statements, `@stage` references and the modeline get their scopes, and YAML keeps its own.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from 'vscode-textmate';

const root = path.resolve(__dirname, '../..');

async function loadGrammar(): Promise<IGrammar> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const files: Record<string, string> = {
    'source.spcs-spec': path.join(root, 'syntaxes/spcs-spec.tmLanguage.json'),
    'spcs.placeholders.injection': path.join(root, 'syntaxes/spcs-placeholders.injection.tmLanguage.json'),
    'source.yaml': require.resolve('tm-grammars/grammars/yaml.json'),
  };
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: (scopeName) => {
      const file = files[scopeName];
      return Promise.resolve(file ? parseRawGrammar(readFileSync(file, 'utf8'), file) : null);
    },
    // As VS Code does for a grammar contribution with `injectTo`.
    getInjections: (scopeName) => (scopeName === 'source.spcs-spec' ? ['spcs.placeholders.injection'] : undefined),
  });
  const grammar = await registry.loadGrammar('source.spcs-spec');
  assert.ok(grammar, 'grammar loads');
  return grammar;
}

/** The scopes of the token covering `needle` on `line`. */
function scopesAt(grammar: IGrammar, lines: string[], lineIndex: number, needle: string): string[] {
  let state = INITIAL;
  for (let index = 0; index < lines.length; index++) {
    const result = grammar.tokenizeLine(lines[index] ?? '', state);
    if (index === lineIndex) {
      const at = (lines[index] ?? '').indexOf(needle);
      assert.ok(at >= 0, `"${needle}" is on line ${lineIndex}`);
      const token = result.tokens.find((candidate) => candidate.startIndex <= at && at < candidate.endIndex);
      return token?.scopes ?? [];
    }
    state = result.ruleStack;
  }
  return [];
}

describe('spcs-spec grammar', () => {
  let grammar: IGrammar;
  const lines = [
    '# spcs: instance-family=GPU_NV_M',
    'spec:',
    '  containers:',
    '    - name: app',
    '      image: /db/schema/repo/app:{{ tag | default(\'latest\') }}',
    '      env:',
    '        PASSWORD: "{{secret.db_creds.password}}"',
    '    {% if gpu %}',
    '  volumes:',
    '    - name: data',
    '      source: stage',
    '      stageConfig:',
    '        name: "@app_db.backend.files/input"',
    '      # a comment with {{ not_a_placeholder }}',
    '      owner: someone@example.com',
  ];

  before(async () => {
    grammar = await loadGrammar();
  });

  it('keeps YAML scopes for keys', () => {
    assert.ok(scopesAt(grammar, lines, 3, 'name').some((scope) => scope.startsWith('entity.name.tag.yaml')));
  });

  it('highlights template variables and their filters', () => {
    assert.ok(scopesAt(grammar, lines, 4, 'tag').includes('variable.other.template.spcs'));
    assert.ok(scopesAt(grammar, lines, 4, 'default').includes('support.function.filter.spcs'));
    assert.ok(scopesAt(grammar, lines, 4, '{{').includes('punctuation.definition.template.begin.spcs'));
  });

  it('highlights runtime secret references inside strings', () => {
    assert.ok(scopesAt(grammar, lines, 6, 'db_creds').includes('variable.other.secret-name.spcs'));
  });

  it('highlights Jinja statements', () => {
    assert.ok(scopesAt(grammar, lines, 7, 'if').includes('keyword.control.template.spcs'));
  });

  it('highlights @stage references', () => {
    assert.ok(scopesAt(grammar, lines, 12, 'app_db').includes('entity.name.type.stage.spcs'));
    assert.ok(scopesAt(grammar, lines, 12, '/input').includes('string.other.stage-path.spcs'));
  });

  it('leaves comments and e-mail addresses alone', () => {
    assert.ok(!scopesAt(grammar, lines, 13, 'not_a_placeholder').includes('variable.other.template.spcs'));
    assert.ok(!scopesAt(grammar, lines, 14, 'example').some((scope) => scope.includes('stage')));
  });

  it('highlights the modeline', () => {
    assert.ok(scopesAt(grammar, lines, 0, 'spcs:').includes('keyword.other.modeline.spcs'));
    assert.ok(scopesAt(grammar, lines, 0, 'GPU_NV_M').includes('constant.other.modeline.spcs'));
  });
});
