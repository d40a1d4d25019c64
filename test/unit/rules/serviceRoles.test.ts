import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectDiagnostic, expectNoDiagnostic, validateText, yaml } from '../helpers';

function spec(roleEndpoints: string, endpointName = 'api'): string {
  return yaml(`
    spec:
      containers:
      - name: app
        image: /db/schema/repo/app:1
      endpoints:
      - name: ${endpointName}
        port: 8080
    serviceRoles:
    - name: users
      endpoints:
      - ${roleEndpoints}
  `);
}

describe('serviceRoles: S45 endpoints must be defined', () => {
  it('reports an undefined endpoint and offers the closest name', () => {
    const text = spec('apii');
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/undefined-endpoint', 'error', 10, 4);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, spec('api'));
    expectNoDiagnostic(validateText(fixed), 'spcs/undefined-endpoint');
  });

  it('accepts defined endpoints', () => {
    expectNoDiagnostic(validateText(spec('api')), 'spcs/undefined-endpoint');
  });

  it('skips the check when an endpoint name is templated', () => {
    expectNoDiagnostic(validateText(spec('api', '{{ endpoint_name }}')), 'spcs/undefined-endpoint');
  });
});
