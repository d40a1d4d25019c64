import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectDiagnostic, expectNoDiagnostic, expectNoErrors, fixesOf, validateText, yaml } from '../helpers';

describe('names: S03 container/endpoint/volume name format', () => {
  it('reports an underscore in a container name and renames it', () => {
    const text = yaml(`
      spec:
        containers:
        - name: my_app
          image: /db/schema/repo/app:1
    `);
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/invalid-name', 'error', 2, 10);
    assert.match(diagnostic.message, /contains '_'/);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('my_app', 'my-app'));
    expectNoDiagnostic(validateText(fixed), 'spcs/invalid-name');
  });

  it('reports a name with uppercase letters only as an error too', () => {
    const text = yaml(`
      spec:
        containers:
        - name: Main
          image: /db/schema/repo/app:1
    `);
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/invalid-name', 'error', 2, 10);
    assert.equal(applyFix(text, diagnostic), text.replace('Main', 'main'));
  });

  it('renames the volumeMounts that refer to a renamed volume', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
          volumeMounts:
          - name: Model_Data
            mountPath: /data
        volumes:
        - name: Model_Data
          source: local
    `);
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/invalid-name', 'error', 8, 10);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replaceAll('Model_Data', 'model-data'));
    const after = validateText(fixed);
    expectNoDiagnostic(after, 'spcs/invalid-name');
    expectNoDiagnostic(after, 'spcs/undefined-volume');
  });

  it('renames the service role references of a renamed endpoint, keeping quotes', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
        endpoints:
        - name: "api_ep"
          port: 8080
      serviceRoles:
      - name: users
        endpoints:
        - api_ep
    `);
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/invalid-name', 'error', 5, 10);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('"api_ep"', '"api-ep"').replace('- api_ep', '- api-ep'));
    expectNoErrors(validateText(fixed));
  });

  it('offers no rename when no valid name can be derived', () => {
    const text = yaml(`
      spec:
        containers:
        - name: 1app
          image: /db/schema/repo/app:1
    `);
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/invalid-name', 'error', 2, 10);
    assert.deepEqual(fixesOf(diagnostic), []);
  });

  it('accepts valid and templated names', () => {
    const text = yaml(`
      spec:
        containers:
        - name: web-1
          image: /db/schema/repo/app:1
        - name: {{ worker_name }}
          image: /db/schema/repo/app:1
        endpoints:
        - name: api
          port: 8080
        volumes:
        - name: "my-mem-volume"
          source: memory
          size: 1Gi
    `);
    expectNoDiagnostic(validateText(text), 'spcs/invalid-name');
  });
});

describe('names: S04 unique names', () => {
  it('reports the second container with the same name', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
        - name: app
          image: /db/schema/repo/other:1
    `);
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/duplicate-name', 'error', 4, 10);
    assert.equal(diagnostic.relatedInformation?.[0]?.location.range.start.line, 2);
  });

  it('reports duplicate volumes across the legacy singular key', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
        volumes:
        - name: data
          source: local
        volume:
        - name: data
          source: local
    `);
    expectDiagnostic(validateText(text), 'spcs/duplicate-name', 'error', 8, 10);
  });

  it('allows a container and an endpoint to share a name, and skips Jinja loops', () => {
    const shared = yaml(`
      spec:
        containers:
        - name: api
          image: /db/schema/repo/app:1
        endpoints:
        - name: api
          port: 8080
    `);
    expectNoDiagnostic(validateText(shared), 'spcs/duplicate-name');
    const looped = yaml(`
      spec:
        containers:
        {% for i in range(2) %}
        - name: app
          image: /db/schema/repo/app:1
        {% endfor %}
        - name: app
          image: /db/schema/repo/app:1
    `);
    expectNoDiagnostic(validateText(looped), 'spcs/duplicate-name');
  });
});

describe('names: S44 service role name format and S46 built-in role', () => {
  it('reports a dash in a role name and replaces it with an underscore', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
        endpoints:
        - name: api
          port: 8080
      serviceRoles:
      - name: api-users
        endpoints:
        - api
    `);
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/invalid-role-name', 'error', 8, 8);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('api-users', 'api_users'));
    expectNoDiagnostic(validateText(fixed), 'spcs/invalid-role-name');
  });

  it('accepts letters, digits and underscores in role names', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
        endpoints:
        - name: api
          port: 8080
      serviceRoles:
      - name: API_User_Role2
        endpoints:
        - api
    `);
    const diagnostics = validateText(text);
    expectNoDiagnostic(diagnostics, 'spcs/invalid-role-name');
    expectNoDiagnostic(diagnostics, 'spcs/builtin-role-name');
  });

  it('warns about a role named like the built-in all_endpoints_usage', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
        endpoints:
        - name: api
          port: 8080
      serviceRoles:
      - name: all_endpoints_usage
        endpoints:
        - api
    `);
    expectDiagnostic(validateText(text), 'spcs/builtin-role-name', 'warning', 8, 8);
  });
});
