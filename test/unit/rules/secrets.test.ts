import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectDiagnostic, expectNoDiagnostic, expectNoErrors, validateText, yaml } from '../helpers';

/** One container whose `secrets:` list (line 4) holds the given lines, written at 4 spaces from line 5 on. */
function secrets(lines: string, extra = ''): string {
  return `spec:\n  containers:\n  - name: app\n    image: /db/schema/repo/app:1\n    secrets:\n${lines}\n${extra}`;
}

describe('secrets: S35 snowflakeSecret object', () => {
  it('reports a snowflakeSecret mapping with neither objectName nor objectReference', () => {
    const text = secrets('    - snowflakeSecret: {}\n      envVarName: PASSWORD\n      secretKeyRef: password');
    expectDiagnostic(validateText(text), 'spcs/secret-object', 'error', 5, 6);
  });

  it('reports both objectName and objectReference', () => {
    const text = secrets('    - snowflakeSecret:\n        objectName: db.schema.creds\n        objectReference: creds_ref\n      envVarName: PASSWORD\n      secretKeyRef: password');
    expectDiagnostic(validateText(text), 'spcs/secret-object', 'error', 7, 8);
  });

  it('accepts the short form and objectName', () => {
    const text = secrets(
      '    - snowflakeSecret: db.schema.creds\n      envVarName: USER\n      secretKeyRef: username\n    - snowflakeSecret:\n        objectName: creds\n      directoryPath: /secrets/creds',
    );
    const diagnostics = validateText(text);
    expectNoErrors(diagnostics);
    expectNoDiagnostic(diagnostics, 'spcs/secret-key-ref');
  });
});

describe('secrets: S36 envVarName or directoryPath', () => {
  it('reports a secret delivered nowhere', () => {
    expectDiagnostic(validateText(secrets('    - snowflakeSecret: db.schema.creds')), 'spcs/secret-target', 'error', 5, 6);
  });

  it('leaves a secret without snowflakeSecret to the schema', () => {
    const diagnostics = validateText(secrets('    - secretKeyRef: password'));
    expectNoDiagnostic(diagnostics, 'spcs/secret-target');
    expectDiagnostic(diagnostics, 'spcs/missing-required', 'error', 5, 6);
  });

  it('accepts such a secret when the container reads it through {{secret.…}} references', () => {
    const text = secrets(
      '    - snowflakeSecret:\n        objectName: pg_pwd',
      '    env:\n      POSTGRES_PASSWORD: "{{secret.pg_pwd.secret_string}}"\n',
    );
    const diagnostics = validateText(text);
    expectNoDiagnostic(diagnostics, 'spcs/secret-target');
    expectNoErrors(diagnostics);
  });

  it('reports both envVarName and directoryPath, on directoryPath', () => {
    const text = secrets('    - snowflakeSecret: db.schema.creds\n      envVarName: PASSWORD\n      secretKeyRef: password\n      directoryPath: /secrets');
    expectDiagnostic(validateText(text), 'spcs/secret-target', 'error', 8, 6);
  });
});

describe('secrets: S37/S38 secretKeyRef', () => {
  it('reports secretKeyRef with directoryPath and removes it', () => {
    const text = secrets('    - snowflakeSecret: db.schema.creds\n      directoryPath: /secrets/creds\n      secretKeyRef: password');
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/secret-key-ref', 'error', 7, 6);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('\n      secretKeyRef: password', ''));
    expectNoDiagnostic(validateText(fixed), 'spcs/secret-key-ref');
  });

  it('reports an unknown key and fixes its case', () => {
    const text = secrets('    - snowflakeSecret: db.schema.creds\n      envVarName: PASSWORD\n      secretKeyRef: PASSWORD');
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/secret-key-ref', 'error', 7, 20);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('secretKeyRef: PASSWORD', 'secretKeyRef: password'));
    expectNoErrors(validateText(fixed));
  });

  it('warns about access_token instead of the schema error', () => {
    const text = secrets('    - snowflakeSecret: db.schema.oauth\n      envVarName: TOKEN\n      secretKeyRef: access_token');
    const diagnostics = validateText(text);
    expectDiagnostic(diagnostics, 'spcs/secret-key-ref', 'warning', 7, 20);
    expectNoErrors(diagnostics);
  });

  it('warns about envVarName without secretKeyRef (S38)', () => {
    const text = secrets('    - snowflakeSecret: db.schema.creds\n      envVarName: API_KEY');
    expectDiagnostic(validateText(text), 'spcs/secret-key-ref', 'warning', 6, 6);
  });
});

describe('secrets: S57 env values and injected names', () => {
  it('warns about mapping and list env values', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
          env:
            SECRET: {INSERT A RANDOM STRING HERE}
            HOSTS:
            - a
            - b
    `);
    const diagnostics = validateText(text);
    expectDiagnostic(diagnostics, 'spcs/env-value-not-scalar', 'warning', 5, 14);
    expectDiagnostic(diagnostics, 'spcs/env-value-not-scalar', 'warning', 7, 6);
    // The schema's type error on the same values is superseded by the warnings.
    expectNoErrors(diagnostics);
  });

  it('accepts strings, numbers, booleans, empty values and templated values', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
          env:
            PORT: 8000
            DEBUG: false
            PREFIX:
            NAME: "x"
            TOKEN: {{ token }}
    `);
    expectNoDiagnostic(validateText(text), 'spcs/env-value-not-scalar');
  });

  it('informs about env vars that Snowflake injects', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
          env:
            SNOWFLAKE_WAREHOUSE: wh
            SNOWFLAKE_DATABASE: db
    `);
    const diagnostics = validateText(text);
    expectDiagnostic(diagnostics, 'spcs/env-injected-name', 'information', 6, 6);
    assert.equal(diagnostics.filter((diagnostic) => diagnostic.code === 'spcs/env-injected-name').length, 1);
  });
});
