/**
 * The schema validator compiled at build time (`scripts/schemaValidator.mjs`): it must be the one of
 * the current schema, and must judge exactly as ajv compiling the documented schema at run time would
 * (the generated one is compiled from a copy without annotations).
 */

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import validateSpecSchema, { schemaHash } from '../../server/src/service/generated/specSchemaValidator';
import { validateAgainstSchema } from '../../server/src/service/schema';
import { schemaFile, schemaHash as hashOf, validatorSource } from '../../scripts/schemaValidator.mjs';

const root = path.resolve(__dirname, '../..');
const corpusSpecs = path.resolve(root, '../shared/corpus/specs');

function runtimeValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: false });
  ajv.addVocabulary(['markdownDescription', 'markdownEnumDescriptions', 'defaultSnippets', 'deprecationMessage', 'enumDescriptions', 'x-spcs-docs']);
  return ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
}

function inputs(): unknown[] {
  const texts = [
    ...readdirSync(path.join(root, 'samples')).filter((file) => file.endsWith('.yaml')).map((file) => readFileSync(path.join(root, 'samples', file), 'utf8')),
    readFileSync(path.join(root, 'bench/documents/typical-gpu-service.yaml'), 'utf8'),
    ...(existsSync(corpusSpecs) ? readdirSync(corpusSpecs).map((file) => readFileSync(path.join(corpusSpecs, file), 'utf8')) : []),
  ];
  const values: unknown[] = [];
  for (const text of texts) {
    try {
      values.push(parse(text, { uniqueKeys: false }));
    } catch {
      // Not YAML: nothing to validate.
    }
  }
  // Wrong types, unknown keys, bad enum values, out-of-range numbers at every level of a real spec.
  const typical: unknown = parse(readFileSync(path.join(root, 'bench/documents/typical-gpu-service.yaml'), 'utf8'));
  const mutations: unknown[] = [1, 'x', null, [], {}, true, -5, 70000, 'HTTPX', { bogus: 1 }];
  const walk = (value: unknown, replace: (next: unknown) => void): void => {
    for (const mutation of mutations) {
      replace(mutation);
      values.push(structuredClone(typical));
    }
    replace(value);
    if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        walk(child, (next) => {
          (value as Record<string, unknown>)[key] = next;
        });
      }
    }
  };
  walk(typical, () => undefined);
  return values;
}

describe('the schema validator compiled at build time', () => {
  it('was generated from the current schema (run `npm run build` after changing it)', () => {
    assert.equal(schemaHash, hashOf(readFileSync(schemaFile, 'utf8')));
  });

  it('is what the generator makes of the schema now', () => {
    const generated = readFileSync(path.join(root, 'server/src/service/generated/specSchemaValidator.js'), 'utf8');
    assert.equal(generated, validatorSource(readFileSync(schemaFile, 'utf8')));
  });

  it('reports the same errors as the schema compiled at run time, on real specs and thousands of variations', () => {
    const runtime = runtimeValidator();
    const shape = (errors: readonly { instancePath: string; keyword: string; params: unknown; message?: string }[] | null | undefined) =>
      (errors ?? []).map(({ instancePath, keyword, params, message }) => ({ instancePath, keyword, params, message }));
    const values = inputs();
    let failing = 0;
    for (const value of values) {
      runtime(value);
      const expected = shape(runtime.errors);
      failing += expected.length > 0 ? 1 : 0;
      assert.deepEqual(shape(validateAgainstSchema(value)), expected, JSON.stringify(value).slice(0, 300));
    }
    assert.ok(values.length > 1000 && failing > values.length / 2, `${values.length} documents, ${failing} with errors`);
    assert.equal(validateSpecSchema({ spec: { containers: [{ name: 'a', image: 'b' }] } }), true);
  });
});
