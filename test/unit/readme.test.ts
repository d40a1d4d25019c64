import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { withTable } from '../../scripts/readmeTable';

describe('README', () => {
  it('lists every diagnostic code of the catalogue (run `npm run docs` to update)', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    assert.equal(readme, withTable(readme));
  });
});
