/**
 * poolFit: the verdict and numbers the compute pool QuickPick shows, computed with the language
 * service's resources rule against the pool's family (live rows first, the static table offline).
 */

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { familiesFromRows, poolFit, poolPickItem, poolsFromRows, type FamilyTable, type PoolInfo } from '../../client/src/deploy/poolFit';

const vllm = fs.readFileSync(path.join(__dirname, '..', '..', 'samples', 'vllm-gpu.spcs.yaml'), 'utf8');
const gib = 1024 ** 3;
const gpuPool: PoolInfo = { name: 'GPU_POOL', state: 'ACTIVE', instanceFamily: 'GPU_NV_M' };
const cpuPool: PoolInfo = { name: 'CPU_POOL', state: 'IDLE', instanceFamily: 'CPU_X64_S' };

function spec(containers: string, extra = ''): string {
  return `spec:\n  containers:\n${containers}${extra}`;
}

describe('poolFit', { timeout: 10_000 }, () => {
  it('sums GPUs, cpu and memory of one instance, stage sidecars included, as the capacity rule does', () => {
    const fit = poolFit(vllm, gpuPool);
    assert.equal(fit.fits, 'yes');
    assert.deepEqual(fit.reasons, []);
    assert.equal(fit.familySource, 'offline');
    assert.deepEqual(fit.gpus, { needed: 4, available: 4, perContainer: [{ container: 'vllm', gpus: 4 }] });
    assert.deepEqual(fit.cpu, { requested: 17, available: 44 });
    // 96 GiB + 2 GiB + the stage volume's mount sidecar (0.5 GiB).
    assert.deepEqual(fit.memory, { requested: 98.5 * gib, available: 178 * gib });
    assert.equal(fit.summary, '4 of 4 GPUs · 17 of 44 vCPU · 98.5 of 178 GiB');
  });

  it('says no, in numbers, with the rule\'s own diagnostics and ranges behind it, for GPUs on a CPU family (the modeline does not matter)', () => {
    const fit = poolFit(vllm, cpuPool);
    assert.equal(fit.fits, 'no');
    assert.equal(fit.family?.name, 'CPU_X64_S');
    assert.deepEqual(fit.reasons, ['needs 4 GPUs, CPU_X64_S nodes have none', 'needs 17 vCPU, CPU_X64_S nodes have 3', 'needs 98.5 GiB, CPU_X64_S nodes have 13']);
    assert.match(fit.problems[0]?.message ?? '', /Container 'vllm' asks for 4 GPUs, but CPU_X64_S nodes have no GPU, so the service can never start/);
    assert.ok(fit.problems.some((problem) => /requests 16 vCPU of cpu, but a CPU_X64_S node has only 3 vCPU/.test(problem.message)));
    assert.deepEqual(fit.problems[0]?.range, { start: { line: 12, character: 26 }, end: { line: 12, character: 27 } });
    assert.equal(fit.gpus.available, 0);
  });

  it('reports summed requests that exceed a node even when each container fits', () => {
    const text = spec(
      '    - name: a\n      image: /db/s/r/a:1\n      resources:\n        requests:\n          memory: 8Gi\n' +
        '    - name: b\n      image: /db/s/r/b:1\n      resources:\n        requests:\n          memory: 6Gi\n',
    );
    const fit = poolFit(text, cpuPool);
    assert.equal(fit.fits, 'no');
    assert.deepEqual(fit.reasons, ['needs 14 GiB, CPU_X64_S nodes have 13']);
    assert.match(fit.problems[0]?.message ?? '', /memory requests add up to 14 GiB \(a 8 GiB, b 6 GiB\), more than the 13 GiB of a CPU_X64_S node/);
    assert.equal(fit.problems[0]?.range?.start.line, 1, 'at `containers:`');
  });

  it('uses the live family rows over the static table', () => {
    const live: FamilyTable = {
      source: 'live',
      families: familiesFromRows([{ name: 'GPU_NV_M', vcpu: 44, memory_gib: 178, gpu: 'NVIDIA A10G', gpu_count: 2, gpu_memory_gib: 24 }]),
    };
    const fit = poolFit(vllm, gpuPool, live);
    assert.equal(fit.familySource, 'live');
    assert.equal(fit.fits, 'no');
    assert.deepEqual(fit.reasons, ['needs 4 GPUs, GPU_NV_M nodes have 2']);
    // A family the live table lacks falls back to the static table.
    assert.equal(poolFit(vllm, { ...gpuPool, instanceFamily: 'GPU_NV_L' }, live).familySource, 'offline');
  });

  it('is unknown for an unknown family, an unpublished capacity, templated resources and Jinja statements', () => {
    const unknownFamily = poolFit(vllm, { ...gpuPool, instanceFamily: 'GPU_FUTURE_X' });
    assert.equal(unknownFamily.fits, 'unknown');
    assert.match(unknownFamily.reasons[0] ?? '', /GPU_FUTURE_X of GPU_POOL is not listed/);
    assert.equal(unknownFamily.family, undefined);

    const unpublished = poolFit(vllm, { ...gpuPool, instanceFamily: 'GPU_L40S_G1_8' });
    assert.equal(unpublished.fits, 'unknown');
    assert.ok(unpublished.reasons.some((reason) => /GPU count of GPU_L40S_G1_8 is not published/.test(reason)));

    const templated = poolFit(spec('    - name: a\n      image: /db/s/r/a:1\n      resources:\n        requests:\n          memory: {{ mem }}\n'), cpuPool);
    assert.equal(templated.fits, 'unknown');
    assert.match(templated.reasons[0] ?? '', /'a' use template variables/);

    const jinja = poolFit(spec('{% for i in range(2) %}\n    - name: a\n      image: /db/s/r/a:1\n{% endfor %}\n'), cpuPool);
    assert.equal(jinja.fits, 'unknown');
    assert.ok(jinja.reasons.some((reason) => /Jinja statements/.test(reason)));

    assert.equal(poolFit('just: text\n', cpuPool).fits, 'unknown');
  });

  it('notes capped limits and the pool state without changing the verdict', () => {
    const text = spec('    - name: a\n      image: /db/s/r/a:1\n      resources:\n        limits:\n          memory: 64Gi\n');
    const suspended = poolFit(text, { ...cpuPool, state: 'SUSPENDED', autoResume: false });
    assert.equal(suspended.fits, 'yes');
    assert.ok(suspended.notes.some((note) => /silently caps it/.test(note)));
    assert.ok(suspended.notes.some((note) => /suspended and does not resume automatically: resume it first \(ALTER COMPUTE POOL CPU_POOL RESUME\)/.test(note)));
    assert.ok(poolFit(text, { ...cpuPool, state: 'SUSPENDED' }).notes.some((note) => /deploying resumes it/.test(note)));
  });

  it('says what a person would: GPUs only when the spec needs some, "nodes have none" rather than "1 of 0"', () => {
    const oneGpu = spec('    - name: a\n      image: /db/s/r/a:1\n      resources:\n        requests:\n          nvidia.com/gpu: 1\n          cpu: 0.5\n        limits:\n          nvidia.com/gpu: 1\n');
    assert.equal(poolPickItem(cpuPool, poolFit(oneGpu, cpuPool)).detail, '$(error) Does not fit: needs 1 GPU, nodes have none · 0.5 of 3 vCPU · no memory requests (nodes have 13 GiB)');
    assert.equal(poolPickItem(gpuPool, poolFit(oneGpu, gpuPool)).detail, '$(pass) Fits: 1 of 4 GPUs · 0.5 of 44 vCPU · no memory requests (nodes have 178 GiB)');
    const noGpu = spec('    - name: a\n      image: /db/s/r/a:1\n');
    const onGpuPool = poolPickItem(gpuPool, poolFit(noGpu, gpuPool)).detail;
    assert.equal(onGpuPool, '$(pass) Fits: no cpu or memory requests (nodes have 44 vCPU and 178 GiB)');
    assert.doesNotMatch(onGpuPool, /GPU/, 'no GPUs when the spec needs none');
    for (const detail of [onGpuPool, poolPickItem(cpuPool, poolFit(oneGpu, cpuPool)).detail]) assert.doesNotMatch(detail, /\b\d+ of 0\b|0 of \d+ GPUs/);
  });

  it('builds QuickPick items and reads SHOW rows by column name', () => {
    assert.deepEqual(poolPickItem(gpuPool, poolFit(vllm, gpuPool)), {
      label: 'GPU_POOL',
      description: 'GPU_NV_M · ACTIVE',
      detail: '$(pass) Fits: 4 of 4 GPUs · 17 of 44 vCPU · 98.5 of 178 GiB',
    });
    assert.equal(poolPickItem(cpuPool, poolFit(vllm, cpuPool)).detail, '$(error) Does not fit: needs 4 GPUs, nodes have none · needs 17 vCPU, nodes have 3 · needs 98.5 GiB, nodes have 13');
    assert.deepEqual(poolsFromRows([{ name: 'P', state: 'IDLE', instance_family: 'CPU_X64_XS', auto_resume: 'false' }, { state: 'no name' }]), [
      { name: 'P', state: 'IDLE', instanceFamily: 'CPU_X64_XS', autoResume: false },
    ]);
    const [family] = familiesFromRows([{ name: 'cpu_x64_s', vcpu: '3', memory_gib: '13', gpu: null, gpu_count: 0 }]);
    assert.deepEqual(family, { name: 'CPU_X64_S', vcpu: 3, memoryGiB: 13, gpus: 0, clouds: [], generation: 'legacy' });
  });
});
