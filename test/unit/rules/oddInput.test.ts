import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateText } from '../helpers';

/**
 * Shapes the schema rejects (lists for mappings, scalars for lists, nulls, numbers for strings):
 * the rules must skip them quietly, never throw. `validateText` fails the test when a rule throws.
 */
const oddSpecs: readonly string[] = [
  'spec:\n  containers:\n  - name: [a]\n    image: {x: 1}\n    resources: [1, 2]\n',
  'spec:\n  containers:\n  - name: a\n    image: 42\n    resources:\n      requests: 5\n      limits: [cpu]\n',
  'spec:\n  containers:\n  - name: a\n    image: x\n    resources:\n      requests:\n        nvidia.com/gpu: [1]\n        memory: {a: b}\n        cpu: true\n      limits:\n        nvidia.com/gpu: -1\n',
  'spec:\n  containers:\n  - name: a\n    image: x\n    volumeMounts: {name: a}\n    secrets: secret\n    env: [A, B]\n    readinessProbe: [port]\n    sessionTokenConfig: [path]\n',
  'spec:\n  containers:\n  - name: a\n    image: x\n    volumeMounts:\n    - name: null\n      mountPath: 5\n    - [nested]\n    secrets:\n    - snowflakeSecret: [a]\n      secretKeyRef: {a: b}\n      envVarName: 3\n    - null\n',
  'spec:\n  containers:\n  - name: a\n    image: x\n  endpoints:\n  - name: e\n    port: "80"\n    portRange: 5\n    protocol: [TCP]\n    public: "yes"\n    corsSettings:\n      Access-Control-Allow-Origin: "*"\n  - name: f\n    corsSettings: [x]\n',
  'spec:\n  containers:\n  - name: a\n    image: x\n  volumes:\n  - name: v\n    source: [block]\n    size: {a: 1}\n  - name: w\n    source: block\n    size:\n    blockConfig: [1]\n  - name: s\n    source: stage\n    stageConfig: "@x"\n  - name: t\n    source: "@"\n',
  'spec:\n  containers:\n  - name: a\n    image: x\n  platformMonitor:\n    metricConfig:\n      groups: storage\n  resourceManagement:\n    autoScalingPolicies:\n      scaleUp: [anyConditions]\n      suspend:\n        allConditions:\n        - metricCondition: null\n        - metricCondition: [x]\n        - 5\n',
  'spec:\n  containers:\n  - name: a\n    image: x\nserviceRoles:\n- name: {a: 1}\n  endpoints: e\n- name: r\n  endpoints: [[x], null, 3]\n- 7\n',
  'spec:\n  containers: {name: a, image: x}\n  endpoints: 5\n  volumes: null\n',
  'spec:\n  container:\n    name: a\n    image: x\n    sessionTokenConfig:\n      permission: 0o777\n      path: [x]\n',
  'spec:\n  containers:\n  - ~\n  - []\n  - name: a\n',
];

describe('rules on odd input', () => {
  it('never throw, with and without an instance family', () => {
    for (const text of oddSpecs) {
      validateText(text);
      validateText(text, { instanceFamily: 'GPU_NV_S' });
      validateText(text, { instanceFamily: 'CPU_X64_XS' });
    }
  });

  it('do not overflow the stack on block mappings nested thousands of times on one line: the document is not checked', () => {
    // 150 KB: within the size the checks take, far beyond any stack (found by the fuzz tier's long lines).
    for (const text of [`# a comment\n  key: ${'x: '.repeat(50_000)}\nspec:\n  containers: []\n`]) {
      const diagnostics = validateText(text);
      assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ['spcs/not-checked']);
      assert.match(diagnostics[0]?.message ?? '', /nests too deeply/);
    }
  });
});
