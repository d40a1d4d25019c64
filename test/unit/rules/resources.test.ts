import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectDiagnostic, expectNoDiagnostic, expectNoErrors, fixesOf, validateText, yaml } from '../helpers';

/** One container whose `resources:` block (line 4) holds the given lines, written at 6 spaces from line 5 on. */
function resources(lines: string): string {
  return `spec:\n  containers:\n  - name: app\n    image: /db/schema/repo/app:1\n    resources:\n${lines}\n`;
}

describe('resources: S28 memory units', () => {
  it('reports a small bare number and appends Gi', () => {
    const text = resources('      requests:\n        memory: 2');
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/invalid-memory', 'error', 6, 16);
    assert.deepEqual(fixesOf(diagnostic).map((fix) => [fix.title, fix.isPreferred]), [["Append 'Gi'", true]]);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('memory: 2', 'memory: 2Gi'));
    expectNoDiagnostic(validateText(fixed), 'spcs/invalid-memory');
  });

  it('appends Mi to a large bare number and offers both for an ambiguous one', () => {
    const large = resources('      limits:\n        memory: 512');
    assert.equal(applyFix(large, expectDiagnostic(validateText(large), 'spcs/invalid-memory', 'error', 6, 16)), large.replace('512', '512Mi'));
    const ambiguous = resources('      limits:\n        memory: "100"');
    const diagnostic = expectDiagnostic(validateText(ambiguous), 'spcs/invalid-memory', 'error', 6, 16);
    assert.deepEqual(fixesOf(diagnostic).map((fix) => [fix.title, fix.isPreferred]), [["Append 'Gi'", false], ["Append 'Mi'", false]]);
    assert.equal(applyFix(ambiguous, diagnostic, "Append 'Mi'"), ambiguous.replace('"100"', '"100Mi"'));
  });

  it('reads a huge exact number as bytes', () => {
    const text = resources('      limits:\n        memory: 2147483648');
    assert.equal(applyFix(text, expectDiagnostic(validateText(text), 'spcs/invalid-memory', 'error', 6, 16)), text.replace('2147483648', '2Gi'));
  });

  it('fixes a unit written in the wrong case or with B', () => {
    const text = resources('      limits:\n        memory: 2GB');
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/invalid-memory', 'error', 6, 16);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('2GB', '2G'));
    expectNoErrors(validateText(fixed));
  });

  it('warns about an undocumented memory unit', () => {
    const text = resources('      limits:\n        memory: 524288Ki');
    const diagnostics = validateText(text);
    expectDiagnostic(diagnostics, 'spcs/invalid-memory', 'warning', 6, 16);
    expectNoErrors(diagnostics);
  });

  it('accepts documented and fractional quantities', () => {
    const text = resources('      requests:\n        memory: 1.5G\n      limits:\n        memory: "3Gi"');
    expectNoDiagnostic(validateText(text), 'spcs/invalid-memory');
  });
});

describe('resources: S29 cpu', () => {
  it('reports a cpu that is not a quantity', () => {
    expectDiagnostic(validateText(resources('      requests:\n        cpu: 1 core')), 'spcs/invalid-cpu', 'error', 6, 13);
  });

  it('fixes millicores written with M', () => {
    const text = resources('      requests:\n        cpu: 500M');
    const fixed = applyFix(text, expectDiagnostic(validateText(text), 'spcs/invalid-cpu', 'error', 6, 13));
    assert.equal(fixed, text.replace('500M', '500m'));
    expectNoErrors(validateText(fixed));
  });

  it('accepts numbers, quoted numbers and millicores', () => {
    const text = resources('      requests:\n        cpu: .5\n      limits:\n        cpu: "1"');
    expectNoDiagnostic(validateText(text), 'spcs/invalid-cpu');
    expectNoDiagnostic(validateText(resources('      requests:\n        cpu: 500m\n      limits:\n        cpu: 1.0')), 'spcs/invalid-cpu');
  });
});

describe('resources: S30 GPU request and limit', () => {
  it('reports a GPU request without a limit and adds a limits block', () => {
    const text = resources('      requests:\n        nvidia.com/gpu: 1');
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/gpu-request-limit', 'error', 6, 24);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, resources('      requests:\n        nvidia.com/gpu: 1\n      limits:\n        nvidia.com/gpu: 1'));
    expectNoErrors(validateText(fixed));
  });

  it('adds the GPU limit into an existing limits mapping', () => {
    const text = resources('      requests:\n        memory: 4Gi\n        nvidia.com/gpu: 2\n      limits:\n        memory: 8Gi');
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/gpu-request-limit', 'error', 7, 24);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('memory: 8Gi', 'memory: 8Gi\n        nvidia.com/gpu: 2'));
    expectNoErrors(validateText(fixed));
  });

  it('reports a GPU limit without a request and adds the request', () => {
    const text = resources('      limits:\n        nvidia.com/gpu: 1');
    const fixed = applyFix(text, expectDiagnostic(validateText(text), 'spcs/gpu-request-limit', 'error', 6, 24));
    assert.equal(fixed, resources('      limits:\n        nvidia.com/gpu: 1\n      requests:\n        nvidia.com/gpu: 1'));
    expectNoErrors(validateText(fixed));
  });

  it('reports different request and limit, and sets the limit to the request', () => {
    const text = resources('      requests:\n        nvidia.com/gpu: 2\n      limits:\n        nvidia.com/gpu: 1');
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/gpu-request-limit', 'error', 8, 24);
    assert.equal(
      diagnostic.message,
      "GPU request (2) and limit (1) differ: Snowflake requires 'nvidia.com/gpu' to be set to the same number in requests and limits.",
    );
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('nvidia.com/gpu: 1', 'nvidia.com/gpu: 2'));
    expectNoErrors(validateText(fixed));
  });

  it('accepts equal counts and templated counts', () => {
    expectNoDiagnostic(validateText(resources('      requests:\n        nvidia.com/gpu: 4\n      limits:\n        nvidia.com/gpu: 4')), 'spcs/gpu-request-limit');
    expectNoDiagnostic(validateText(resources('      requests:\n        nvidia.com/gpu: {{ n }}\n      limits:\n        nvidia.com/gpu: 1')), 'spcs/gpu-request-limit');
  });
});

describe('resources: S32 request above limit', () => {
  it('warns on the request', () => {
    const text = resources('      requests:\n        cpu: 2\n        memory: 1Gi\n      limits:\n        cpu: 1\n        memory: 2Gi');
    expectDiagnostic(validateText(text), 'spcs/request-exceeds-limit', 'warning', 6, 13);
  });

  it('accepts requests within limits, comparing across units', () => {
    const text = resources('      requests:\n        cpu: 500m\n        memory: 1000M\n      limits:\n        cpu: 0.5\n        memory: 1Gi');
    expectNoDiagnostic(validateText(text), 'spcs/request-exceeds-limit');
  });
});

describe('resources: S31 GPUs against the instance family', () => {
  const gpus = (count: number) => resources(`      requests:\n        nvidia.com/gpu: ${count}\n      limits:\n        nvidia.com/gpu: ${count}`);

  it('reports GPUs on a CPU family', () => {
    expectDiagnostic(validateText(gpus(1), { instanceFamily: 'CPU_X64_S' }), 'spcs/gpu-exceeds-family', 'error', 6, 24);
  });

  it('reports more GPUs than a node has, from the modeline', () => {
    const text = `# spcs: instance-family=GPU_NV_S\n${gpus(2)}`;
    expectDiagnostic(validateText(text), 'spcs/gpu-exceeds-family', 'error', 7, 24);
  });

  it('reports containers that together need more GPUs than one node has', () => {
    const text = yaml(`
      spec:
        containers:
        - name: a
          image: /db/schema/repo/app:1
          resources:
            requests: { nvidia.com/gpu: 1 }
            limits: { nvidia.com/gpu: 1 }
        - name: b
          image: /db/schema/repo/app:1
          resources:
            requests: { nvidia.com/gpu: 1 }
            limits: { nvidia.com/gpu: 1 }
    `);
    expectDiagnostic(validateText(text, { instanceFamily: 'GPU_NV_S' }), 'spcs/gpu-exceeds-family', 'error', 10, 34);
  });

  it('accepts GPUs that fit, and skips the check without a family', () => {
    expectNoDiagnostic(validateText(gpus(4), { instanceFamily: 'GPU_NV_M' }), 'spcs/gpu-exceeds-family');
    expectNoDiagnostic(validateText(gpus(8)), 'spcs/gpu-exceeds-family');
  });
});

describe('resources: S33 requests against node capacity', () => {
  const two = yaml(`
    spec:
      containers:
      - name: a
        image: /db/schema/repo/app:1
        resources:
          requests:
            cpu: 2
      - name: b
        image: /db/schema/repo/app:1
        resources:
          requests:
            cpu: 2
  `);

  it('reports summed cpu requests above a CPU_X64_S node on the containers key', () => {
    const diagnostic = expectDiagnostic(validateText(two, { instanceFamily: 'CPU_X64_S' }), 'spcs/capacity-exceeded', 'error', 1, 2);
    assert.match(diagnostic.message, /add up to 4 vCPU \(a 2 vCPU, b 2 vCPU\)/);
  });

  it('reports a single request above the node on the request itself', () => {
    const text = resources('      requests:\n        memory: 16Gi');
    expectDiagnostic(validateText(text, { instanceFamily: 'CPU_X64_S' }), 'spcs/capacity-exceeded', 'error', 6, 16);
  });

  it('counts the 0.5 GiB request of each stage-mount sidecar', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
          resources:
            requests:
              memory: 12.6Gi
        volumes:
        - name: s1
          source: stage
          stageConfig:
            name: "@s1"
        - name: s2
          source: stage
          stageConfig:
            name: "@s2"
    `);
    const diagnostic = expectDiagnostic(validateText(text, { instanceFamily: 'CPU_X64_S' }), 'spcs/capacity-exceeded', 'error', 1, 2);
    assert.match(diagnostic.message, /stage-mount sidecars 1 GiB/);
    expectNoDiagnostic(validateText(text.replace('12.6Gi', '11Gi'), { instanceFamily: 'CPU_X64_S' }), 'spcs/capacity-exceeded');
  });

  it('accepts requests that fit, and checks nothing without a family', () => {
    expectNoDiagnostic(validateText(two, { instanceFamily: 'CPU_X64_M' }), 'spcs/capacity-exceeded');
    expectNoDiagnostic(validateText(two), 'spcs/capacity-exceeded');
  });
});

describe('resources: S34 limits above node capacity', () => {
  it('informs that the limit is capped', () => {
    const text = resources('      limits:\n        cpu: 8');
    expectDiagnostic(validateText(text, { instanceFamily: 'CPU_X64_S' }), 'spcs/limit-capped', 'information', 6, 13);
  });

  it('says nothing about limits within capacity', () => {
    expectNoDiagnostic(validateText(resources('      limits:\n        cpu: 2'), { instanceFamily: 'CPU_X64_S' }), 'spcs/limit-capped');
  });
});
