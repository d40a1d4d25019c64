/**
 * Hover: schema documentation for keys and values, and the facts computed from the document.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MarkupContent, Range } from 'vscode-languageserver-types';
import { getHover } from '../../../server/src/service/hover';
import type { ValidationSettings } from '../../../server/src/service/rules/ruleApi';
import { withCaret } from './caret';

function hover(marked: string, settings: ValidationSettings = {}, caret = '|'): { value: string; range: Range | undefined; text: string } | null {
  const fixture = withCaret(marked, caret);
  const result = getHover(fixture.doc, fixture.position, { settings });
  return result ? { value: (result.contents as MarkupContent).value, range: result.range, text: fixture.text } : null;
}

function hovered(marked: string, settings: ValidationSettings = {}, caret = '|') {
  const result = hover(marked, settings, caret);
  assert.ok(result, 'expected a hover');
  return result;
}

/** The text a hover's range covers. */
function rangeText(result: { range: Range | undefined; text: string }): string {
  assert.ok(result.range);
  const lines = result.text.split('\n');
  assert.equal(result.range.start.line, result.range.end.line);
  return (lines[result.range.start.line] ?? '').slice(result.range.start.character, result.range.end.character);
}

const spec = `spec:
  containers:
    - name: main
      image: /db/s/r/img:1
      resources:
        requests:
          memory: 4G
          cpu: 500m
          nvidia.com/gpu: 2
        limits:
          nvidia.com/gpu: 2
      volumeMounts:
        - name: data
          mountPath: /data
    - name: side
      image: /db/s/r/side:1
      resources:
        requests:
          memory: 1Gi
          cpu: 1
      volumeMounts:
        - name: data
          mountPath: /mnt/shared
  endpoints:
    - name: api
      port: 8080
      public: true
    - name: internal
      port: 5432
      protocol: TCP
  volumes:
    - name: data
      source: block
      size: 10Gi
    - name: unused
      source: memory
      size: 2G
serviceRoles:
  - name: users
    endpoints: [api]
`;

/** `spec` with the caret put `after` characters into the first occurrence of `needle` (from `from`). */
function at(needle: string, after: number, from = 0, text = spec): string {
  const index = text.indexOf(needle, from);
  assert.ok(index !== -1, `no ${needle}`);
  return `${text.slice(0, index + after)}|${text.slice(index + after)}`;
}

describe('hover: schema documentation', () => {
  it('shows a key’s markdownDescription with the reference link, on the key’s range', () => {
    const result = hovered(at('image:', 2));
    assert.match(result.value, /image repository/i);
    assert.match(result.value, /docs\.snowflake\.com/);
    assert.equal(rangeText(result), 'image');
  });

  it('shows an enum value’s own description first', () => {
    const result = hovered(at('protocol: TCP', 'protocol: T'.length));
    assert.ok(result.value.startsWith('`TCP`: Raw TCP'), result.value);
    assert.match(result.value, /The endpoint protocol/);
    assert.equal(rangeText(result), 'TCP');
  });

  it('marks a legacy singular key as deprecated', () => {
    const result = hovered('spec:\n  cont|ainer:\n    - name: a\n      image: b\n');
    assert.match(result.value, /\*\*Deprecated\.\*\*/);
    assert.match(result.value, /containers/);
  });

  it('returns null where there is nothing to say', () => {
    assert.equal(hover('spec:\n  containers:\n    - name: a\n|\n'), null);
    assert.equal(hover('|'), null);
    assert.equal(hover('spec:\n  unknownKey: va|lue\n'), null);
  });
});

describe('hover: quantities', () => {
  it('gives a memory quantity in bytes and GiB', () => {
    const result = hovered(at('4G', 1));
    assert.match(result.value, /`4G` = 4,000,000,000 bytes = 3\.725 GiB/);
    assert.equal(rangeText(result), '4G');
  });

  it('gives the same facts on the key', () => {
    assert.match(hovered(at('memory: 1Gi', 2)).value, /`1Gi` = 1,073,741,824 bytes = 1 GiB/);
  });

  it('explains a memory amount without a unit', () => {
    assert.match(hovered('spec:\n  containers:\n    - name: a\n      resources:\n        limits:\n          memory: 51|2\n').value, /no unit/);
  });

  it('gives a volume size in bytes', () => {
    assert.match(hovered(at('size: 2G', 'size: 2'.length)).value, /2,000,000,000 bytes/);
  });

  it('gives cpu in vCPUs', () => {
    assert.match(hovered(at('500m', 2)).value, /`500m` = 0\.5 vCPU/);
  });

  it('compares a GPU count with the modeline’s family', () => {
    const result = hovered(at('nvidia.com/gpu', 3, 0, `# spcs: instance-family=GPU_NV_M\n${spec}`));
    assert.match(result.value, /2 of 4 GPUs of GPU_NV_M/);
    assert.match(result.value, /docs\.snowflake\.com/);
  });

  it('uses the setting’s family when there is no modeline, and says when the count does not fit', () => {
    assert.match(hovered(at('nvidia.com/gpu: 2', 'nvidia.com/gpu: '.length), { instanceFamily: 'GPU_NV_S' }).value, /2 of 1 GPUs of GPU_NV_S: more than/);
    assert.match(hovered(at('nvidia.com/gpu: 2', 'nvidia.com/gpu: '.length), { instanceFamily: 'CPU_X64_S' }).value, /CPU_X64_S has no GPUs/);
    assert.match(hovered(at('nvidia.com/gpu: 2', 'nvidia.com/gpu: '.length)).value, /Name the compute pool's instance family/);
  });
});

describe('hover: resources against the family', () => {
  it('sums the container’s and the spec’s requests and compares them with a node', () => {
    const result = hovered(at('resources:', 3, 0, `# spcs: instance-family=GPU_NV_M\n${spec}`));
    assert.match(result.value, /Requests of `main`\*\*: 0\.5 vCPU, 3\.725 GiB, 2 GPUs/);
    assert.match(result.value, /All 2 containers of an instance\*\*: 1\.5 vCPU, 4\.725 GiB, 2 GPUs/);
    assert.match(result.value, /GPU_NV_M: 44 vCPU, 178 GiB, 4 × A10G \(24 GB\)\*\*: fits on one node/);
  });

  it('says when the requests exceed a node', () => {
    const result = hovered(at('resources:', 3), { instanceFamily: 'CPU_X64_XS' });
    assert.match(result.value, /CPU_X64_XS: 1 vCPU, 6 GiB\*\*: exceeds a node in cpu, GPUs/);
  });

  it('counts stage-volume sidecars', () => {
    const text = 'spec:\n  containers:\n    - name: a\n      image: b\n      resou|rces:\n        requests:\n          memory: 1Gi\n  volumes:\n    - name: s\n      source: stage\n      stageConfig:\n        name: "@st"\n';
    assert.match(hovered(text).value, /1\.5 GiB \(including 1 stage-volume sidecar/);
  });
});

describe('hover: names', () => {
  it('lists the mounts of a volume on its name', () => {
    const result = hovered(at('- name: data\n      source', '- name: da'.length));
    assert.match(result.value, /\*\*Volume `data`\*\* \(block 10Gi\)/);
    assert.match(result.value, /Mounted by `main` at `\/data`, `side` at `\/mnt\/shared`/);
    assert.equal(rangeText(result), 'data');
    assert.match(hovered(at('- name: unused', 10)).value, /Not mounted by any container/);
  });

  it('gives an endpoint’s service roles and whether it is public', () => {
    const api = hovered(at('- name: api', 9));
    assert.match(api.value, /8080\/HTTP public/);
    assert.match(api.value, /Public: reachable from outside Snowflake/);
    assert.match(api.value, /Service roles: `users`/);
    const internal = hovered(at('- name: internal', 10));
    assert.match(internal.value, /Not public/);
    assert.match(internal.value, /No service role lists it/);
  });

  it('gives the volume behind a volume mount', () => {
    const result = hovered(at('- name: data\n          mountPath', 10));
    assert.match(result.value, /Volume `data`: block 10Gi/);
    assert.match(hovered('spec:\n  containers:\n    - name: a\n      volumeMounts:\n        - name: nope|\n').value, /No volume named `nope`/);
  });

  it('gives the endpoint behind a service role entry', () => {
    assert.match(hovered(at('[api', 2)).value, /Endpoint `api`: 8080\/HTTP public/);
  });
});

describe('hover: templates and the modeline', () => {
  it('explains a template variable and its default', () => {
    const result = hovered("spec:\n  containers:\n    - name: a\n      image: /db/s/r/img:{{ t^ag | default('latest') }}\n", {}, '^');
    assert.match(result.value, /Template variable\*\* `tag`/);
    assert.match(result.value, /USING \(tag => …\)/);
    assert.match(result.value, /Default: `'latest'`/);
    assert.equal(rangeText(result), "{{ tag | default('latest') }}");
  });

  it('says a variable without a default must be supplied', () => {
    assert.match(hovered('spec:\n  containers:\n    - name: a\n      image: {{ im|age }}\n').value, /must supply it/);
  });

  it('explains a runtime secret reference', () => {
    const result = hovered('spec:\n  containers:\n    - name: a\n      env:\n        KEY: "{{secret.api_|key.secret_string}}"\n');
    assert.match(result.value, /Runtime secret reference\*\* to `api_key` \(key `secret_string`\)/);
    assert.match(result.value, /not a template variable/);
  });

  it('describes the modeline’s family', () => {
    const result = hovered('# spcs: instance-family=GPU_|NV_S\nspec:\n  containers: []\n');
    assert.match(result.value, /GPU_NV_S: 6 vCPU, 27 GiB, 1 × A10G \(24 GB\)/);
    assert.equal(rangeText(result), 'GPU_NV_S');
    assert.match(hovered('# spcs: instance-family=NOPE|\nspec: {}\n').value, /not a known instance family/);
    assert.equal(hover('# just a comm|ent\nspec: {}\n'), null);
  });
});
