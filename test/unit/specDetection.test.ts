import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGatewaySpecFileName, isProjectDefinitionFileName, isYamlTemplateFileName, looksLikeGatewaySpec, looksLikeSpec } from '../../server/src/service/specDetection';

describe('looksLikeSpec (client-side language detection)', () => {
  it('detects a spec with containers or the legacy container key', () => {
    assert.equal(looksLikeSpec('spec:\n  containers:\n    - name: a\n'), true);
    assert.equal(looksLikeSpec('# header\n\nspec:\n  container:\n  - name: a\n'), true);
  });
  it('detects specs whose top level is indented (embedded in SQL or Markdown)', () => {
    assert.equal(looksLikeSpec('    spec:\n      containers:\n      - name: a\n'), true);
  });
  it('detects specs with other top-level keys first', () => {
    assert.equal(looksLikeSpec('capabilities:\n  securityContext:\n    executeAsCaller: true\nspec:\n  endpoints: []\n  containers: []\n'), true);
  });
  it('detects templated specs whose template tags sit at the left margin', () => {
    assert.equal(looksLikeSpec('spec:\n{% if gpu %}\n  containers:\n  - name: a\n{% endif %}\n'), true);
    assert.equal(looksLikeSpec('spec:\n%{ if gpu ~}\n  containers:\n%{ endif ~}\n'), true);
    assert.equal(looksLikeSpec('{# rendered by deploy.py #}\nspec:\n  containers:\n${containers}\n'), true);
    assert.equal(looksLikeSpec('spec:\n{{ header }}\n  containers:\n__CONTAINERS__\n'), true);
    assert.equal(looksLikeSpec('spec:\n<% if ctx.gpu %>\n  containers:\n'), true);
  });
  it('knows the file names of YAML templates that editors open as plain text', () => {
    for (const name of ['/p/spec.yaml.tftpl', '/p/spec.yml.j2', '/p/spec.yaml.jinja2', '/p/spec.yaml.tpl', '/p/spec.yaml.TMPL', '/p/spec.yaml.template', '/p/spec.yaml.in']) {
      assert.equal(isYamlTemplateFileName(name), true, name);
    }
    for (const name of ['/p/spec.yaml', '/p/main.tf', '/p/spec.tftpl', '/p/notes.txt', '/p/yaml.tpl']) {
      assert.equal(isYamlTemplateFileName(name), false, name);
    }
  });
  it('ignores other YAML', () => {
    assert.equal(looksLikeSpec('apiVersion: v1\nkind: Pod\nspec:\n  template:\n    containers: []\n'), false);
    assert.equal(looksLikeSpec('spec:\n  foo:\n    containers: []\n'), false);
    assert.equal(looksLikeSpec('name: x\ncontainers:\n  - a\n'), false);
    assert.equal(looksLikeSpec(''), false);
  });
});

describe('gateway specs and project definitions by text and name', () => {
  it('detects a gateway spec by spec.type, quoted or not, indented as a whole or after comments', () => {
    assert.equal(looksLikeGatewaySpec('spec:\n  type: traffic_split\n'), true);
    assert.equal(looksLikeGatewaySpec('# canary\nspec:\n  split_type: custom\n  type: "shadow_traffic"  # mirror\n'), true);
    assert.equal(looksLikeGatewaySpec('    spec:\n      type: traffic_split\n'), true);
    assert.equal(looksLikeGatewaySpec('spec:\n  type: service\n'), false);
    assert.equal(looksLikeGatewaySpec('spec:\n  targets:\n    type: traffic_split\n'), false, 'only directly below spec');
    assert.equal(looksLikeSpec('spec:\n  type: traffic_split\n'), false, 'a gateway spec is not a service spec');
  });

  it('knows snowflake.yml and snowflake.local.yml (any case, any folder), and *.gateway.yaml', () => {
    for (const name of ['/p/snowflake.yml', 'file:///p/snowflake.local.yml', 'C:\\p\\SNOWFLAKE.YML', 'snowflake.yaml']) {
      assert.equal(isProjectDefinitionFileName(name), true, name);
    }
    for (const name of ['/p/my-snowflake.yml', '/p/snowflake.yml.bak', '/p/snowflake.json', '/p/spec.yml']) {
      assert.equal(isProjectDefinitionFileName(name), false, name);
    }
    assert.equal(isGatewaySpecFileName('/p/llm.gateway.yaml'), true);
    assert.equal(isGatewaySpecFileName('/p/llm.gateway.YML'), true);
    assert.equal(isGatewaySpecFileName('/p/gateway.yaml'), false);
  });
});
