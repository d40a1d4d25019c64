/**
 * Completion: keys, snippets, values, names the spec defines, quantities and the instance-family
 * modeline, on complete and on half-typed documents.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { InsertTextFormat, InsertTextMode, type CompletionItem, type MarkupContent, type TextEdit } from 'vscode-languageserver-types';
import { getCompletions } from '../../../server/src/service/completion';
import type { ValidationSettings } from '../../../server/src/service/rules/ruleApi';
import { withCaret } from './caret';

function complete(marked: string, settings: ValidationSettings = {}, caret = '|') {
  const fixture = withCaret(marked, caret);
  const list = getCompletions(fixture.doc, fixture.position, { settings });
  const labels = list.items.map((item) => item.label);
  const item = (label: string): CompletionItem => {
    const found = list.items.find((candidate) => candidate.label === label);
    assert.ok(found, `no item "${label}" in: ${labels.join(', ')}`);
    return found;
  };
  /** The document after accepting an item, with snippet tabstops reduced to their defaults. */
  const apply = (label: string): string => {
    const edit = item(label).textEdit as TextEdit;
    const document = TextDocument.create('file:///t.yaml', 'spcs-spec', 1, fixture.text);
    return TextDocument.applyEdits(document, [edit])
      .replace(/\$\{\d+:([^}]*)\}/g, '$1')
      .replace(/\$\{\d+\|([^,|]*)[^}]*\|\}/g, '$1')
      .replace(/\$\d+/g, '');
  };
  return { list, labels, item, apply, text: fixture.text };
}

function newText(item: CompletionItem): string {
  return (item.textEdit as TextEdit).newText;
}

function documentation(item: CompletionItem): string {
  return (item.documentation as MarkupContent | undefined)?.value ?? '';
}

const volumesAndEndpoints = `
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
    - name: scratch
      source: local
`;

describe('completion: keys', () => {
  it('offers the container keys from the schema, without keys already present or deprecated aliases', () => {
    const { labels } = complete('spec:\n  containers:\n    - name: main\n      |\n      image: x\n');
    for (const key of ['env', 'resources', 'readinessProbe', 'volumeMounts', 'secrets', 'command', 'args']) {
      assert.ok(labels.includes(key), `missing ${key}`);
    }
    assert.ok(!labels.includes('name'));
    assert.ok(!labels.includes('image'));
  });

  it('offers spec keys without the legacy singular aliases', () => {
    const { labels } = complete('spec:\n  |\n');
    assert.ok(labels.includes('containers') && labels.includes('endpoints') && labels.includes('volumes'));
    for (const legacy of ['container', 'endpoint', 'volume']) {
      assert.ok(!labels.includes(legacy), `${legacy} is deprecated`);
    }
  });

  it('documents keys with the schema markdown, their type and default', () => {
    const { item } = complete('spec:\n  containers:\n    - name: main\n      |\n');
    const token = item('mountSessionToken');
    assert.match(documentation(token), /session token/i);
    assert.match(token.detail ?? '', /boolean/);
    assert.match(token.detail ?? '', /default: true/);
    assert.match(item('image').detail ?? '', /required/);
    assert.match(item('resources').detail ?? '', /resources/);
    assert.match(item('volumeMounts').detail ?? '', /list of volume mount/);
  });

  it('sorts required keys first', () => {
    const { item } = complete('spec:\n  volumes:\n    - |\n');
    const sort = (label: string) => item(label).sortText ?? '';
    assert.ok(sort('name') < sort('uid'));
    assert.ok(sort('source') < sort('size'));
    assert.ok(sort('source') < sort('blockConfig'));
  });

  it('inserts `key: ` for scalars, `key:` + an indented line for objects, and `- ` for lists', () => {
    const { item } = complete('spec:\n  containers:\n    - name: main\n      |\n');
    assert.equal(newText(item('image')), 'image: ');
    assert.equal(newText(item('resources')), 'resources:\n        ');
    assert.equal(newText(item('volumeMounts')), 'volumeMounts:\n        - ');
    assert.equal(newText(item('command')), 'command:\n        - ');
    assert.equal(item('resources').insertTextFormat, InsertTextFormat.Snippet);
    assert.equal(item('resources').insertTextMode, InsertTextMode.asIs);
  });

  it('indents continuation lines from the key’s column after `- `', () => {
    const { item } = complete('spec:\n  containers:\n    - |\n');
    assert.equal(newText(item('resources')), 'resources:\n        ');
  });

  it('replaces only the name when the cursor is on an existing key', () => {
    const { item, apply } = complete('spec:\n  containers:\n    - name: main\n      reso|urces:\n        requests: {}\n');
    assert.equal(newText(item('resources')), 'resources');
    assert.equal(apply('resources'), 'spec:\n  containers:\n    - name: main\n      resources:\n        requests: {}\n');
  });

  it('offers top-level keys at the root, without the ones present', () => {
    const { labels } = complete('spec:\n  containers: []\n|\n');
    assert.deepEqual(labels.filter((label) => ['spec', 'capabilities', 'serviceRoles'].includes(label)).sort(), ['capabilities', 'serviceRoles']);
  });

  it('offers keys inside deep autoscaling structures', () => {
    const { labels } = complete(
      'spec:\n  resourceManagement:\n    autoScalingPolicies:\n      scaleUp:\n        anyConditions:\n          - metricCondition:\n              |\n',
    );
    assert.ok(labels.includes('metricName') && labels.includes('aggregationType') && labels.includes('targetScaling'));
  });

  it('offers the capabilities keys', () => {
    const { labels } = complete('capabilities:\n  securityContext:\n    |\n');
    assert.deepEqual(labels.sort(), ['enableCustomCredentials', 'executeAsCaller']);
  });
});

describe('completion: snippets', () => {
  it('offers container snippets after `- `, re-indented to the cursor', () => {
    const { item, apply } = complete('spec:\n  containers:\n    - |\n');
    const http = item('Container (HTTP server)');
    assert.equal(http.insertTextFormat, InsertTextFormat.Snippet);
    assert.match(newText(http), /^name: \$\{1:main\}\n {6}image: /);
    assert.match(newText(http), /\n {6}readinessProbe:\n {8}port: /);
    assert.match(documentation(http), /```yaml/);
    assert.equal(
      apply('Container (minimal)'),
      'spec:\n  containers:\n    - name: main\n      image: /db/schema/repository/image:latest\n',
    );
  });

  it('offers endpoint, volume, volumeMount and secret snippets at their list items', () => {
    assert.ok(complete('spec:\n  endpoints:\n    - |\n').labels.includes('Public HTTP endpoint'));
    assert.ok(complete('spec:\n  volumes:\n    - |\n').labels.includes('Block volume'));
    assert.ok(complete('spec:\n  containers:\n    - name: a\n      volumeMounts:\n        - |\n').labels.includes('volumeMount'));
    assert.ok(complete('spec:\n  containers:\n    - name: a\n      secrets:\n        - |\n').labels.includes('Env var from a PASSWORD secret'));
  });

  it('does not offer item snippets once the item has keys', () => {
    const { labels } = complete('spec:\n  containers:\n    - |\n      name: a\n');
    assert.ok(!labels.includes('Container (minimal)'));
  });

  it('offers resources and probe snippets in their empty mapping', () => {
    const { apply } = complete('spec:\n  containers:\n    - name: a\n      resources:\n        |\n');
    assert.equal(
      apply('CPU and memory'),
      'spec:\n  containers:\n    - name: a\n      resources:\n        requests:\n          memory: 1Gi\n          cpu: 0.5\n        limits:\n          memory: 2Gi\n          cpu: 1\n',
    );
    assert.ok(complete('spec:\n  containers:\n    - name: a\n      readinessProbe:\n        |\n').labels.includes('readinessProbe'));
  });

  it('offers a value-position snippet right after `resources:` on the same line', () => {
    const { apply } = complete('spec:\n  containers:\n    - name: a\n      livenessProbe: |\n');
    assert.equal(
      apply('livenessProbe'),
      'spec:\n  containers:\n    - name: a\n      livenessProbe: \n        port: 8000\n        path: /healthz\n        periodSeconds: 10\n        failureThreshold: 3\n',
    );
  });

  it('starts a new item with `- ` below a list key', () => {
    const { item, apply } = complete('spec:\n  containers:\n    |\n');
    assert.equal(newText(item('name')), '- name: ');
    assert.equal(apply('Container (minimal)'), 'spec:\n  containers:\n    - name: main\n      image: /db/schema/repository/image:latest\n');
  });

  it('offers the whole-spec snippets in an empty document', () => {
    const { labels } = complete('|');
    assert.ok(labels.includes('Service spec (minimal)'));
    assert.ok(labels.includes('spec'));
  });
});

describe('completion: values', () => {
  it('offers enum values with their descriptions', () => {
    const { item, labels } = complete('spec:\n  endpoints:\n    - name: a\n      protocol: |\n');
    assert.deepEqual(labels.sort(), ['HTTP', 'TCP']);
    assert.match(documentation(item('TCP')), /Raw TCP/);
    assert.equal(item('HTTP').detail, 'default');
  });

  it('offers true and false for booleans', () => {
    const { labels, item } = complete('spec:\n  endpoints:\n    - name: a\n      public: |\n');
    assert.deepEqual(labels.sort(), ['false', 'true']);
    assert.equal(item('false').detail, 'default');
  });

  it('offers volume sources, log levels, metric groups and aggregation types', () => {
    assert.deepEqual(complete('spec:\n  volumes:\n    - name: a\n      source: |\n').labels.sort(), ['block', 'local', 'memory', 'stage']);
    assert.deepEqual(complete('spec:\n  logExporters:\n    eventTableConfig:\n      logLevel: |\n').labels.sort(), ['ERROR', 'INFO', 'NONE']);
    assert.ok(complete('spec:\n  platformMonitor:\n    metricConfig:\n      groups:\n        - |\n').labels.includes('system_limits'));
    assert.deepEqual(
      complete('spec:\n  resourceManagement:\n    autoScalingPolicies:\n      scaleUp:\n        anyConditions:\n          - metricCondition:\n              aggregationType: |\n').labels.sort(),
      ['avg', 'max', 'min'],
    );
  });

  it('offers the secretKeyRef keys with their descriptions', () => {
    const { labels, item } = complete('spec:\n  containers:\n    - name: a\n      secrets:\n        - snowflakeSecret: creds\n          envVarName: PW\n          secretKeyRef: |\n');
    assert.deepEqual(labels.sort(), ['password', 'secret_string', 'username']);
    assert.match(documentation(item('password')), /PASSWORD/);
  });

  it('inserts a space after a bare colon and the bare text inside quotes', () => {
    assert.equal(newText(complete('spec:\n  volumes:\n    - name: a\n      source:|\n').item('block')), ' block');
    assert.equal(newText(complete('spec:\n  volumes:\n    - name: a\n      source: "|"\n').item('block')), 'block');
  });

  it('quotes a string that YAML would read as a number', () => {
    const { item } = complete('spec:\n  containers:\n    - name: a\n      sessionTokenConfig:\n        path: /t\n        permission: |\n');
    assert.equal(newText(item('0600')), '"0600"');
  });

  it('replaces the value typed so far', () => {
    const { apply } = complete('spec:\n  volumes:\n    - name: a\n      source: bl|\n');
    assert.equal(apply('block'), 'spec:\n  volumes:\n    - name: a\n      source: block\n');
  });
});

describe('completion: names the spec defines', () => {
  it('offers the volumes for a volume mount, with their source', () => {
    const { labels, item } = complete(`spec:\n  containers:\n    - name: main\n      volumeMounts:\n        - name: |\n${volumesAndEndpoints}`);
    assert.deepEqual(labels.sort(), ['data', 'scratch']);
    assert.match(item('data').detail ?? '', /block 10Gi/);
    assert.match(item('scratch').detail ?? '', /local/);
  });

  it('offers the endpoints for a service role, with port and protocol, skipping those listed', () => {
    const { labels, item } = complete(`spec:\n  containers: []\n${volumesAndEndpoints}serviceRoles:\n  - name: users\n    endpoints:\n      - |\n`);
    assert.deepEqual(labels.sort(), ['api', 'internal']);
    assert.match(item('api').detail ?? '', /8080\/HTTP public/);
    assert.match(item('internal').detail ?? '', /5432\/TCP/);
    const flow = complete(`spec:\n  containers: []\n${volumesAndEndpoints}serviceRoles:\n  - name: users\n    endpoints: [api, |]\n`);
    assert.deepEqual(flow.labels, ['internal']);
  });

  it('offers endpoint ports for a probe port', () => {
    const { item } = complete(`spec:\n  containers:\n    - name: main\n      readinessProbe:\n        port: |\n${volumesAndEndpoints}`);
    assert.match(item('8080').detail ?? '', /api/);
  });
});

describe('completion: quantities', () => {
  const resources = (side: string, line: string) =>
    `spec:\n  containers:\n    - name: main\n      resources:\n        ${side}:\n          ${line}\n`;

  it('offers units after a memory amount, and asks again as typing goes on', () => {
    const { labels, item, list } = complete(resources('requests', 'memory: 4|'));
    for (const value of ['4Gi', '4Mi', '4G', '4M']) {
      assert.ok(labels.includes(value), `missing ${value}`);
    }
    assert.match(item('4G').detail ?? '', /4,000,000,000 bytes = 3\.725 GiB/);
    assert.equal(list.isIncomplete, true);
  });

  it('offers common memory sizes on an empty value', () => {
    const { labels, list } = complete(resources('limits', 'memory: |'));
    assert.deepEqual(labels, ['512Mi', '1Gi', '2Gi', '4Gi', '8Gi', '16Gi']);
    assert.equal(list.isIncomplete, false);
  });

  it('offers cpu values and millicores', () => {
    const { labels, item } = complete(resources('requests', 'cpu: |'));
    assert.deepEqual(labels, ['0.5', '1', '2', '4', '500m']);
    assert.equal(item('500m').detail, '0.5 vCPU');
    assert.ok(complete(resources('requests', 'cpu: 250|')).labels.includes('250m'));
  });

  it('offers block sizes in whole Gi for a block volume, memory sizes for a memory volume', () => {
    const block = complete('spec:\n  volumes:\n    - name: data\n      source: block\n      size: |\n');
    assert.deepEqual(block.labels, ['10Gi', '50Gi', '100Gi']);
    const typed = complete('spec:\n  volumes:\n    - name: data\n      size: 20|\n      source: block\n');
    assert.ok(typed.labels.includes('20Gi') && !typed.labels.includes('20M'));
    const memory = complete('spec:\n  volumes:\n    - name: shm\n      source: memory\n      size: |\n');
    assert.ok(memory.labels.includes('512Mi') && !memory.labels.includes('100Gi'));
  });

  it('bounds GPU counts by the modeline’s family', () => {
    const { labels, item } = complete(`# spcs: instance-family=GPU_NV_M\n${resources('requests', 'nvidia.com/gpu: |')}`);
    assert.deepEqual(labels, ['1', '2', '4']);
    assert.equal(item('2').detail, '2 of 4 GPUs of GPU_NV_M');
  });

  it('bounds GPU counts by the setting’s family, and offers none on a CPU family', () => {
    assert.deepEqual(complete(resources('limits', 'nvidia.com/gpu: |'), { instanceFamily: 'GPU_NV_S' }).labels, ['1']);
    assert.deepEqual(complete(resources('limits', 'nvidia.com/gpu: |'), { instanceFamily: 'CPU_X64_S' }).labels, []);
    assert.deepEqual(complete(resources('limits', 'nvidia.com/gpu: |')).labels, ['1', '2', '4', '8']);
  });

  it('offers the request’s GPU count first for the limit', () => {
    const text = 'spec:\n  containers:\n    - name: main\n      resources:\n        requests:\n          nvidia.com/gpu: 2\n        limits:\n          nvidia.com/gpu: |\n';
    const { list } = complete(text);
    assert.equal(list.items[0]?.label, '2');
    assert.match(list.items[0]?.detail ?? '', /same as requests/);
  });
});

describe('completion: instance-family modeline', () => {
  it('offers every family inside the modeline', () => {
    const { labels, item, apply } = complete('# spcs: instance-family=GPU_|\nspec:\n  containers: []\n');
    assert.ok(labels.length >= 40);
    assert.ok(labels.includes('CPU_X64_S') && labels.includes('GPU_NV_M'));
    assert.equal(item('GPU_NV_M').detail, 'GPU_NV_M: 44 vCPU, 178 GiB, 4 × A10G (24 GB)');
    assert.equal(apply('GPU_NV_S'), '# spcs: instance-family=GPU_NV_S\nspec:\n  containers: []\n');
  });

  it('replaces a family name the cursor is in', () => {
    const { apply } = complete('# spcs: instance-family=GPU_|NV_M\nspec: {}\n');
    assert.equal(apply('CPU_X64_S'), '# spcs: instance-family=CPU_X64_S\nspec: {}\n');
  });

  it('offers the modeline at the start of an empty first line', () => {
    const { item, apply } = complete('|\nspec:\n  containers: []\n');
    const modeline = item('# spcs: instance-family=');
    assert.match(newText(modeline), /^# spcs: instance-family=\$\{1\|CPU_X64_XS,/);
    assert.match(apply('# spcs: instance-family='), /^# spcs: instance-family=CPU_X64_XS\n\nspec:/);
  });

  it('completes a started modeline comment, and nothing in other comments', () => {
    assert.ok(complete('# sp|\nspec: {}\n').labels.includes('spcs: instance-family='));
    assert.deepEqual(complete('spec:\n  # a note |\n  containers: []\n').labels, []);
  });
});

describe('completion: half-typed documents', () => {
  it('1: an empty line under `resources:`', () => {
    const { labels } = complete('spec:\n  containers:\n    - name: main\n      resources:\n        |\n');
    assert.ok(labels.includes('requests') && labels.includes('limits'));
  });

  it('2: right after `- ` in the containers list', () => {
    const { labels } = complete('spec:\n  containers:\n    - name: a\n      image: x\n    - |\n');
    assert.ok(labels.includes('name') && labels.includes('image'));
  });

  it('3: after `key: ` on the current line', () => {
    assert.ok(complete('spec:\n  volumes:\n    - name: a\n      source: |').labels.includes('stage'));
  });

  it('4: a key without its colon yet, in a document that does not parse', () => {
    const { labels, item } = complete('spec:\n  containers:\n    - name: main\n      ima|\n      env:\n        A: "unclosed\n');
    assert.ok(labels.includes('image'));
    assert.equal(newText(item('image')), 'image: ');
  });

  it('5: a bare `-` without its space', () => {
    const { item } = complete('spec:\n  containers:\n    -|\n');
    assert.equal(newText(item('name')), ' name: ');
  });

  it('6: a list written at its key’s indentation, with a broken line above', () => {
    const { labels } = complete('spec:\n  containers:\n  - name: a\n    image: [unclosed\n    |\n');
    assert.ok(labels.includes('env'));
    assert.ok(!labels.includes('name'));
  });

  it('7: a half-typed value with a unit', () => {
    assert.ok(complete('spec:\n  containers:\n    - name: a\n      resources:\n        limits:\n          memory: 16|').labels.includes('16Gi'));
  });

  it('8: a key typed with tab-free but odd indentation reads as its mapping', () => {
    const { labels } = complete('spec:\n  containers:\n    - name: a\n      image: x\n         |\n');
    assert.ok(labels.includes('env'));
    assert.ok(!labels.includes('image'));
  });

  it('9: a legacy singular `container:` holding one mapping', () => {
    const { labels } = complete('spec:\n  container:\n    name: a\n    |\n');
    assert.ok(labels.includes('image'));
    assert.ok(!labels.includes('name'));
  });

  it('10: a template placeholder above the cursor', () => {
    const { labels } = complete('spec:\n  containers:\n    - name: {{ name }}\n      image: {{ image }}\n      ^\n', {}, '^');
    assert.ok(labels.includes('env'));
    assert.ok(!labels.includes('image'));
  });

  it('11: a key whose value is being typed below it (`readinessProbe:` then an empty line)', () => {
    const { labels } = complete('spec:\n  containers:\n    - name: a\n      readinessProbe:\n        port: 8000\n        |\n');
    assert.ok(labels.includes('path') && !labels.includes('port'));
  });

  it('12: the last line of a document without a trailing newline', () => {
    assert.ok(complete('spec:\n  cont|').labels.includes('containers'));
  });

  it('13: a new spec line after a completed list', () => {
    const { labels } = complete('spec:\n  containers:\n    - name: a\n      image: b\n  |');
    assert.ok(labels.includes('endpoints'));
    assert.ok(!labels.includes('containers'));
  });

  it('14: inside a block scalar nothing is offered', () => {
    assert.deepEqual(complete('spec:\n  containers:\n    - name: a\n      command: |\n        run ^\n', {}, '^').labels, []);
  });

  it('15: CRLF documents', () => {
    assert.ok(complete('spec:\r\n  containers:\r\n    - name: a\r\n      |\r\n').labels.includes('image'));
  });

  it('16: a duplicated key and a tab elsewhere do not stop completion', () => {
    const { labels } = complete('spec:\n  containers:\n    - name: a\n      name: b\n\t\n      |\n');
    assert.ok(labels.includes('image'));
  });

  it('never throws and returns nothing on text that is not YAML at all', () => {
    for (const text of ['{{|', '[[[|', '"|', ': : |', '- - - |', '? |', '---\n|', '%YAML 1.2\n|']) {
      const result = complete(text);
      assert.equal(typeof result.list.isIncomplete, 'boolean');
    }
  });
});
