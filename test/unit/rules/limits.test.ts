import { describe, it } from 'node:test';
import { expectDiagnostic, expectNoDiagnostic, validateText } from '../helpers';

/** `count` containers `c1`… (each two lines, starting on line 2), each with `secrets` secret entries. */
function containers(count: number, secrets = 0): string {
  let text = 'spec:\n  containers:\n';
  for (let index = 1; index <= count; index++) {
    text += `  - name: c${index}\n    image: /db/schema/repo/app:1\n`;
    if (secrets > 0) {
      text += '    secrets:\n';
      for (let secret = 1; secret <= secrets; secret++) {
        text += `    - snowflakeSecret: db.schema.s${secret}\n      directoryPath: /secrets/s${secret}\n`;
      }
    }
  }
  return text;
}

describe('limits: S17 per-service limits', () => {
  it('reports the 21st container', () => {
    // Container n starts on line 2 + 2 * (n - 1).
    expectDiagnostic(validateText(containers(21)), 'spcs/limit-exceeded', 'error', 42, 4);
  });

  it('accepts 20 containers', () => {
    expectNoDiagnostic(validateText(containers(20)), 'spcs/limit-exceeded');
  });

  it('reports the 4th block volume', () => {
    let text = containers(1) + '  volumes:\n';
    for (let index = 1; index <= 4; index++) {
      text += `  - name: b${index}\n    source: block\n    size: 10Gi\n`;
    }
    // Volumes start on line 5, three lines each: the 4th is on line 14.
    expectDiagnostic(validateText(text), 'spcs/limit-exceeded', 'error', 14, 4);
  });

  it('reports the 51st secret of the service, counting all containers', () => {
    // Each container takes 53 lines (name, image, `secrets:` and 25 two-line secrets): container 1
    // starts on line 2, container 2 on line 55 (50 secrets so far), container 3 on line 108, and its
    // first secret, the 51st, is on line 111.
    const text = containers(3, 25);
    expectDiagnostic(validateText(text), 'spcs/limit-exceeded', 'error', 111, 6);
    expectNoDiagnostic(validateText(containers(2, 25)), 'spcs/limit-exceeded');
  });

  it('does not count items in documents with Jinja statements', () => {
    const text = containers(21).replace('  containers:\n', '  containers:\n  {% if extra %}\n  {% endif %}\n');
    expectNoDiagnostic(validateText(text), 'spcs/limit-exceeded');
  });
});
