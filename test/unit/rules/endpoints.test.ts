import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectDiagnostic, expectNoDiagnostic, expectNoErrors, validateText } from '../helpers';

/**
 * A spec whose one endpoint `api` (name on line 5) has the given further lines, written at 4
 * spaces; they start on line 6.
 */
function endpoint(lines: string): string {
  return `spec:\n  containers:\n  - name: app\n    image: /db/schema/repo/app:1\n  endpoints:\n  - name: api\n${lines}\n`;
}

describe('endpoints: S18 exactly one of port and portRange', () => {
  it('reports an endpoint with neither, on its name', () => {
    expectDiagnostic(validateText(endpoint('    public: false')), 'spcs/port-or-port-range', 'error', 5, 10);
  });

  it('reports an endpoint with both, on portRange', () => {
    const text = endpoint('    port: 8080\n    portRange: "9000-9010"\n    protocol: TCP');
    expectDiagnostic(validateText(text), 'spcs/port-or-port-range', 'error', 7, 4);
  });

  it('accepts one of them', () => {
    expectNoDiagnostic(validateText(endpoint('    port: 8080')), 'spcs/port-or-port-range');
    expectNoDiagnostic(validateText(endpoint('    portRange: "9000-9010"\n    protocol: TCP')), 'spcs/port-or-port-range');
  });
});

describe('endpoints: S19 portRange needs TCP and a private endpoint', () => {
  it('reports a portRange with the default protocol HTTP', () => {
    const diagnostic = expectDiagnostic(validateText(endpoint('    portRange: "9000-9010"')), 'spcs/port-range-requires-tcp', 'error', 6, 4);
    assert.match(diagnostic.message, /default protocol HTTP/);
  });

  it('reports a public portRange', () => {
    const text = endpoint('    portRange: "9000-9010"\n    protocol: TCP\n    public: true');
    expectDiagnostic(validateText(text), 'spcs/port-range-requires-tcp', 'error', 6, 4);
  });

  it('accepts a private TCP portRange', () => {
    const diagnostics = validateText(endpoint('    portRange: "9000-9010"\n    protocol: TCP\n    public: false'));
    expectNoErrors(diagnostics);
  });
});

describe('endpoints: S20 public endpoints are HTTP', () => {
  it('reports a public TCP endpoint on its protocol, with a fix to HTTP', () => {
    const text = endpoint('    port: 8080\n    public: true\n    protocol: TCP');
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/public-requires-http', 'error', 8, 14);
    const fixed = applyFix(text, diagnostic, "Change to 'HTTP'");
    assert.equal(fixed, text.replace('protocol: TCP', 'protocol: HTTP'));
    expectNoErrors(validateText(fixed));
  });

  it('accepts a private TCP endpoint and skips a templated public flag', () => {
    expectNoDiagnostic(validateText(endpoint('    port: 5432\n    protocol: TCP')), 'spcs/public-requires-http');
    expectNoDiagnostic(validateText(endpoint('    port: 5432\n    public: {{ is_public }}\n    protocol: TCP')), 'spcs/public-requires-http');
  });
});

describe('endpoints: S21 HTTPS', () => {
  it('warns about HTTPS and changes it to HTTP', () => {
    const text = endpoint('    port: 8080\n    protocol: HTTPS');
    const diagnostics = validateText(text);
    const diagnostic = expectDiagnostic(diagnostics, 'spcs/https-protocol', 'warning', 7, 14);
    // The schema's enum error on the same value is superseded by this warning.
    expectNoErrors(diagnostics);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('HTTPS', 'HTTP'));
    expectNoDiagnostic(validateText(fixed), 'spcs/https-protocol');
  });

  it('accepts HTTP and TCP', () => {
    expectNoDiagnostic(validateText(endpoint('    port: 8080\n    protocol: HTTP')), 'spcs/https-protocol');
  });
});

describe('endpoints: S22 port values', () => {
  it('reports a port above 65535', () => {
    expectDiagnostic(validateText(endpoint('    port: 70000')), 'spcs/invalid-port', 'error', 6, 10);
  });

  it('reports a reversed portRange and swaps it', () => {
    const text = endpoint('    portRange: "9010-9000"\n    protocol: TCP');
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/invalid-port', 'error', 6, 15);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('"9010-9000"', '"9000-9010"'));
    expectNoDiagnostic(validateText(fixed), 'spcs/invalid-port');
  });

  it('accepts ports from 1 to 65535', () => {
    expectNoDiagnostic(validateText(endpoint('    port: 65535')), 'spcs/invalid-port');
  });
});

describe('endpoints: S23 corsSettings allow-origin', () => {
  it('reports corsSettings without Access-Control-Allow-Origin', () => {
    const text = endpoint('    port: 8080\n    public: true\n    corsSettings:\n      Access-Control-Allow-Methods:\n      - GET');
    expectDiagnostic(validateText(text), 'spcs/cors-allow-origin', 'error', 8, 4);
  });

  it('reports `*` and an origin with a path, which it trims', () => {
    const text = endpoint(
      '    port: 8080\n    public: true\n    corsSettings:\n      Access-Control-Allow-Origin:\n      - "*"\n      - https://example.com/app',
    );
    const diagnostics = validateText(text);
    expectDiagnostic(diagnostics, 'spcs/cors-allow-origin', 'error', 10, 8);
    const withPath = expectDiagnostic(diagnostics, 'spcs/cors-allow-origin', 'error', 11, 8);
    assert.equal(applyFix(text, withPath), text.replace('https://example.com/app', 'https://example.com'));
  });

  it('warns about a trailing slash only', () => {
    const text = endpoint('    port: 8080\n    public: true\n    corsSettings:\n      Access-Control-Allow-Origin:\n      - https://example.com/');
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/cors-allow-origin', 'warning', 10, 8);
    expectNoDiagnostic(validateText(applyFix(text, diagnostic)), 'spcs/cors-allow-origin');
  });

  it('accepts origins with a scheme, host and port', () => {
    const text = endpoint(
      '    port: 8080\n    public: true\n    corsSettings:\n      Access-Control-Allow-Origin:\n      - http://localhost:8888\n      - https://example.com',
    );
    const diagnostics = validateText(text);
    expectNoDiagnostic(diagnostics, 'spcs/cors-allow-origin');
    expectNoDiagnostic(diagnostics, 'spcs/cors-not-public');
  });
});

describe('endpoints: S24 corsSettings on a private endpoint', () => {
  it('warns when the endpoint is not public', () => {
    const text = endpoint('    port: 8080\n    corsSettings:\n      Access-Control-Allow-Origin:\n      - https://example.com');
    expectDiagnostic(validateText(text), 'spcs/cors-not-public', 'warning', 7, 4);
  });
});

describe('endpoints: two endpoints on one port', () => {
  it('warns on the second endpoint', () => {
    const text = endpoint('    port: 8080\n  - name: other\n    port: 8080');
    expectDiagnostic(validateText(text), 'spcs/duplicate-port', 'warning', 8, 10);
  });

  it('accepts distinct ports', () => {
    expectNoDiagnostic(validateText(endpoint('    port: 8080\n  - name: other\n    port: 8081')), 'spcs/duplicate-port');
  });
});
