import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectDiagnostic, expectNoDiagnostic, fixesOf, validateText } from '../helpers';

/** One container with the given lines after its image (written at 4 spaces, from line 4 on). */
function container(lines: string): string {
  return `spec:\n  containers:\n  - name: app\n    image: /db/schema/repo/app:1\n${lines}\n`;
}

const code = 'spcs/session-token-config';

describe('sessionToken: S39 not with mountSessionToken: false', () => {
  it('reports sessionTokenConfig on a container that does not mount the token', () => {
    const text = container('    mountSessionToken: false\n    sessionTokenConfig:\n      path: /app/token');
    expectDiagnostic(validateText(text), code, 'error', 5, 4);
  });

  it('accepts sessionTokenConfig when the token is mounted', () => {
    expectNoDiagnostic(validateText(container('    mountSessionToken: true\n    sessionTokenConfig:\n      path: /app/token')), code);
  });
});

describe('sessionToken: S40 not empty', () => {
  it('reports an empty sessionTokenConfig and removes it', () => {
    const text = container('    sessionTokenConfig: {}\n    env:\n      A: b');
    const diagnostic = expectDiagnostic(validateText(text), code, 'error', 4, 4);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('    sessionTokenConfig: {}\n', ''));
    expectNoDiagnostic(validateText(fixed), code);
  });
});

describe('sessionToken: S41/S42 permission', () => {
  it('reports permission without path', () => {
    expectDiagnostic(validateText(container('    sessionTokenConfig:\n      permission: "0600"')), code, 'error', 5, 6);
  });

  it('reports an unquoted permission and quotes it', () => {
    const text = container('    sessionTokenConfig:\n      path: /app/token\n      permission: 0600');
    const diagnostic = expectDiagnostic(validateText(text), code, 'error', 6, 18);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('permission: 0600', 'permission: "0600"'));
    expectNoDiagnostic(validateText(fixed), code);
  });

  it('reports a mode wider than 0644 and one without owner read', () => {
    expectDiagnostic(validateText(container('    sessionTokenConfig:\n      path: /app/token\n      permission: "0666"')), code, 'error', 6, 18);
    const noRead = expectDiagnostic(validateText(container('    sessionTokenConfig:\n      path: /app/token\n      permission: "0200"')), code, 'error', 6, 18);
    assert.match(noRead.message, /owner's read/);
  });

  it('accepts the documented modes', () => {
    for (const mode of ['0400', '0600', '0640', '0644']) {
      expectNoDiagnostic(validateText(container(`    sessionTokenConfig:\n      path: /app/token\n      permission: "${mode}"`)), code);
    }
  });
});

describe('sessionToken: S43 path', () => {
  it('reports a relative path', () => {
    const diagnostic = expectDiagnostic(validateText(container('    sessionTokenConfig:\n      path: app/token')), code, 'error', 5, 12);
    assert.deepEqual(fixesOf(diagnostic), []);
  });

  it('reports a path that is not normalized and normalizes it', () => {
    const text = container('    sessionTokenConfig:\n      path: /app//token/');
    const diagnostic = expectDiagnostic(validateText(text), code, 'error', 5, 12);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('/app//token/', '/app/token'));
    expectNoDiagnostic(validateText(fixed), code);
  });

  it('reports a path that overlaps a volume mount of the same container', () => {
    const text = `${container('    sessionTokenConfig:\n      path: /data/token\n    volumeMounts:\n    - name: data\n      mountPath: /data')}  volumes:\n  - name: data\n    source: local\n`;
    expectDiagnostic(validateText(text), code, 'error', 5, 12);
  });

  it('accepts a normalized absolute path with dots inside names', () => {
    expectNoDiagnostic(validateText(container('    sessionTokenConfig:\n      path: /app/token.dir\n      mountConnectionConfig: true')), code);
  });
});
