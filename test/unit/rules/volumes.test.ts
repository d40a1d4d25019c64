import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectDiagnostic, expectNoDiagnostic, expectNoErrors, validateText, yaml } from '../helpers';

/**
 * A one-container spec with the given volumeMounts items (written at 4 spaces) and volumes items
 * (written at 2 spaces). The volumeMounts items start on line 5, the volumes items on line 8.
 */
function spec(mounts: string, volumes: string): string {
  return `spec:\n  containers:\n  - name: app\n    image: /db/schema/repo/app:1\n    volumeMounts:\n${mounts}\n  volumes:\n${volumes}\n`;
}

describe('volumes: S05 mounts refer to defined volumes', () => {
  it('reports an undefined volume and offers the closest defined name', () => {
    const text = spec('    - name: dta\n      mountPath: /data', '  - name: data\n    source: local');
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/undefined-volume', 'error', 5, 12);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('name: dta', 'name: data'));
    expectNoDiagnostic(validateText(fixed), 'spcs/undefined-volume');
  });

  it('resolves mounts against volumes under the legacy singular key', () => {
    const text = yaml(`
      spec:
        container:
        - name: app
          image: /db/schema/repo/app:1
          volumeMounts:
          - name: data
            mountPath: /data
        volume:
        - name: data
          source: local
    `);
    expectNoDiagnostic(validateText(text), 'spcs/undefined-volume');
  });

  it('skips the check when a volume name is templated', () => {
    const text = spec('    - name: data\n      mountPath: /data', '  - name: {{ volume_name }}\n    source: local');
    expectNoDiagnostic(validateText(text), 'spcs/undefined-volume');
  });

  it('allows one volume mounted twice in a container (S06)', () => {
    const text = spec(
      '    - name: data\n      mountPath: /data\n    - name: data\n      mountPath: /data-copy',
      '  - name: data\n    source: local',
    );
    const diagnostics = validateText(text);
    expectNoErrors(diagnostics);
    expectNoDiagnostic(diagnostics, 'spcs/mount-path');
  });
});

describe('volumes: S07 mount paths', () => {
  it('warns about a relative mountPath and makes it absolute', () => {
    const text = spec('    - name: data\n      mountPath: data', '  - name: data\n    source: local');
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/mount-path', 'warning', 6, 17);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('mountPath: data', 'mountPath: /data'));
    expectNoDiagnostic(validateText(fixed), 'spcs/mount-path');
  });

  it('warns about two mounts on one path', () => {
    const text = spec(
      '    - name: a\n      mountPath: /data\n    - name: b\n      mountPath: /data/',
      '  - name: a\n    source: local\n  - name: b\n    source: local',
    );
    expectDiagnostic(validateText(text), 'spcs/mount-path', 'warning', 8, 17);
  });
});

describe('volumes: S09/S10 sizes', () => {
  it('requires a size on a block volume, reported on the source', () => {
    const text = spec('    - name: data\n      mountPath: /data', '  - name: data\n    source: block');
    expectDiagnostic(validateText(text), 'spcs/volume-size-required', 'error', 9, 12);
  });

  it('reports a block size without Gi and appends it', () => {
    const text = spec('    - name: data\n      mountPath: /data', '  - name: data\n    source: block\n    size: 10');
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/invalid-block-size', 'error', 10, 10);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('size: 10', 'size: 10Gi'));
    expectNoErrors(validateText(fixed));
  });

  it('reports a block size above 65536Gi', () => {
    const text = spec('    - name: data\n      mountPath: /data', '  - name: data\n    source: block\n    size: 100000Gi');
    expectDiagnostic(validateText(text), 'spcs/invalid-block-size', 'error', 10, 10);
  });

  it('accepts documented block and memory sizes', () => {
    const text = spec(
      '    - name: data\n      mountPath: /data\n    - name: shm\n      mountPath: /dev/shm',
      '  - name: data\n    source: block\n    size: "10Gi"\n  - name: shm\n    source: memory\n    size: 2G',
    );
    const diagnostics = validateText(text);
    expectNoErrors(diagnostics);
    expectNoDiagnostic(diagnostics, 'spcs/invalid-memory');
  });

  it('warns about a memory volume size without a unit', () => {
    const text = spec('    - name: shm\n      mountPath: /dev/shm', '  - name: shm\n    source: memory\n    size: 2048');
    expectDiagnostic(validateText(text), 'spcs/invalid-memory', 'warning', 10, 10);
  });
});

describe('volumes: S11/S12 settings that belong to another source', () => {
  it('warns about uid on a local volume', () => {
    const text = spec('    - name: data\n      mountPath: /data', '  - name: data\n    source: local\n    uid: 1000');
    expectDiagnostic(validateText(text), 'spcs/uid-gid-not-stage', 'warning', 10, 4);
  });

  it('accepts uid/gid on a stage volume', () => {
    const text = spec(
      '    - name: data\n      mountPath: /data',
      '  - name: data\n    source: stage\n    stageConfig:\n      name: "@my_stage"\n    uid: 1000\n    gid: 1000',
    );
    const diagnostics = validateText(text);
    expectNoDiagnostic(diagnostics, 'spcs/uid-gid-not-stage');
    expectNoDiagnostic(diagnostics, 'spcs/config-source-mismatch');
  });

  it('warns about blockConfig on a local volume', () => {
    const text = spec(
      '    - name: data\n      mountPath: /data',
      '  - name: data\n    source: local\n    blockConfig:\n      iops: 3000',
    );
    expectDiagnostic(validateText(text), 'spcs/config-source-mismatch', 'warning', 10, 4);
  });
});

describe('volumes: S13 stage volumes need stageConfig.name', () => {
  it('reports a stage volume without stageConfig', () => {
    const text = spec('    - name: data\n      mountPath: /data', '  - name: data\n    source: stage');
    expectDiagnostic(validateText(text), 'spcs/stage-config-required', 'error', 9, 12);
  });

  it('warns about a stage name without @ and adds it, quoted', () => {
    const text = spec(
      '    - name: data\n      mountPath: /data',
      '  - name: data\n    source: stage\n    stageConfig:\n      name: my_stage/path',
    );
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/stage-config-required', 'warning', 11, 12);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('name: my_stage/path', 'name: "@my_stage/path"'));
    expectNoDiagnostic(validateText(fixed), 'spcs/stage-config-required');
  });

  it('accepts a complete stage volume', () => {
    const text = spec(
      '    - name: data\n      mountPath: /data',
      '  - name: data\n    source: stage\n    stageConfig:\n      name: "@db.schema.stage/sub"',
    );
    expectNoErrors(validateText(text));
  });
});

describe('volumes: S15 snapshotDeleteAfter and S16 block performance', () => {
  const mounts = '    - name: data\n      mountPath: /data';

  it('reports a snapshotDeleteAfter that is not <n>h or <n>d and rewrites it', () => {
    const text = spec(mounts, '  - name: data\n    source: block\n    size: 10Gi\n    blockConfig:\n      snapshotDeleteAfter: 7 days');
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/invalid-snapshot-delete-after', 'error', 12, 27);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('7 days', '7d'));
    expectNoErrors(validateText(fixed));
  });

  it('gives information about iops outside every documented range', () => {
    const text = spec(mounts, '  - name: data\n    source: block\n    size: 10Gi\n    blockConfig:\n      iops: 1000');
    expectDiagnostic(validateText(text), 'spcs/block-performance', 'information', 12, 12);
  });

  it('accepts documented block settings', () => {
    const text = spec(
      mounts,
      '  - name: data\n    source: block\n    size: 200Gi\n    blockConfig:\n      iops: 5000\n      throughput: 250\n      snapshotDeleteAfter: 12h\n      encryption: SNOWFLAKE_SSE',
    );
    const diagnostics = validateText(text);
    expectNoErrors(diagnostics);
    expectNoDiagnostic(diagnostics, 'spcs/block-performance');
    expectNoDiagnostic(diagnostics, 'spcs/invalid-snapshot-delete-after');
  });
});

describe('volumes: unused volume hint', () => {
  it('hints at a volume no container mounts', () => {
    const text = spec('    - name: data\n      mountPath: /data', '  - name: data\n    source: local\n  - name: spare\n    source: local');
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/unused-volume', 'hint', 10, 10);
    assert.deepEqual(diagnostic.tags, [1]);
  });

  it('does not hint when every volume is mounted or a mount name is templated', () => {
    expectNoDiagnostic(validateText(spec('    - name: data\n      mountPath: /data', '  - name: data\n    source: local')), 'spcs/unused-volume');
    expectNoDiagnostic(
      validateText(spec('    - name: {{ v }}\n      mountPath: /data', '  - name: data\n    source: local')),
      'spcs/unused-volume',
    );
  });
});
