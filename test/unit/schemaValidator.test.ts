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
import { schemaFile, schemaHash as hashOf, schemaValidators, validatorSource } from '../../scripts/schemaValidator.mjs';
import validateGatewaySchema, { schemaHash as gatewaySchemaHash } from '../../server/src/service/generated/gatewaySchemaValidator';
import { validateAgainstGatewaySchema } from '../../server/src/service/gateway/gatewaySchema';

const root = path.resolve(__dirname, '../..');
const corpusSpecs = path.resolve(root, '../shared/corpus/specs');

function runtimeValidator(file = schemaFile) {
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: false });
  ajv.addVocabulary(['markdownDescription', 'markdownEnumDescriptions', 'defaultSnippets', 'deprecationMessage', 'enumDescriptions', 'x-spcs-docs']);
  return ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
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

  it('is what the generator makes of the schema now (the service spec\'s and the gateway spec\'s)', () => {
    assert.equal(schemaValidators.length, 2);
    for (const { schemaFile: file, validatorFile } of schemaValidators) {
      assert.equal(readFileSync(validatorFile, 'utf8'), validatorSource(readFileSync(file, 'utf8'), path.basename(file)), validatorFile);
    }
    assert.equal(gatewaySchemaHash, hashOf(readFileSync(schemaValidators[1]?.schemaFile ?? '', 'utf8')));
  });

  it('judges gateway specs as the gateway schema compiled at run time does', () => {
    const runtime = runtimeValidator(schemaValidators[1]?.schemaFile);
    const valid = { spec: { type: 'traffic_split', split_type: 'custom', targets: [{ type: 'endpoint', value: 'a.b.c!d', weight: 100 }] } };
    const values: unknown[] = [valid, {}, { spec: {} }, { spec: { type: 'x' } }];
    const walk = (value: unknown, replace: (next: unknown) => void): void => {
      for (const mutation of [1, 'x', null, [], {}, true, -5, 101, 50.5, { bogus: 1 }]) {
        replace(mutation);
        values.push(structuredClone(valid));
      }
      replace(value);
      if (value && typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) walk(child, (next) => ((value as Record<string, unknown>)[key] = next));
      }
    };
    walk(valid, () => undefined);
    const shape = (errors: readonly { instancePath: string; keyword: string; params: unknown }[] | null | undefined) => (errors ?? []).map(({ instancePath, keyword, params }) => ({ instancePath, keyword, params }));
    for (const value of values) {
      runtime(value);
      assert.deepEqual(shape(validateAgainstGatewaySchema(value)), shape(runtime.errors), JSON.stringify(value));
    }
    assert.ok(values.length > 50);
    assert.equal(validateGatewaySchema(valid), true);
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
