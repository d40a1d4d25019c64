import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectDiagnostic, expectNoDiagnostic, validateText, yaml } from '../helpers';

describe('probes: S25 port and path', () => {
  it('reports a probe without a path on the probe key', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
          readinessProbe:
            port: 8080
    `);
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/probe-incomplete', 'error', 4, 4);
    assert.match(diagnostic.message, /needs 'path'/);
  });

  it('explains how to flatten a Kubernetes httpGet probe', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
          livenessProbe:
            httpGet:
              port: 8080
              path: /health
    `);
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/probe-incomplete', 'error', 4, 4);
    assert.match(diagnostic.message, /httpGet/);
  });

  it('accepts complete probes, on ports that no endpoint exposes (S26)', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
          readinessProbe:
            port: 9000
            path: /ready
          livenessProbe:
            port: 9000
            path: /live
            periodSeconds: 10
            failureThreshold: 3
        endpoints:
        - name: api
          port: 8080
    `);
    const diagnostics = validateText(text);
    expectNoDiagnostic(diagnostics, 'spcs/probe-incomplete');
    expectNoDiagnostic(diagnostics, 'spcs/probe-values');
  });
});

describe('probes: S27 periodSeconds and failureThreshold', () => {
  it('warns about a zero period', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
          readinessProbe:
            port: 8080
            path: /ready
            periodSeconds: 0
    `);
    expectDiagnostic(validateText(text), 'spcs/probe-values', 'warning', 7, 21);
  });

  it('warns about a fractional failure threshold', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
          readinessProbe:
            port: 8080
            path: /ready
            failureThreshold: 2.5
    `);
    expectDiagnostic(validateText(text), 'spcs/probe-values', 'warning', 7, 24);
  });
});
