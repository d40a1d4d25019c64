/**
 * "Deploy entity" and "Add to snowflake.yml", UI-free: a snowflake.yml service entity as deploy
 * choices (the fields `snow spcs service deploy` reads, mixins merged, CLI defaults), the refusals
 * (templated fields, missing fields, no spec file), create versus upgrade as the CLI decides it, and,
 * against the emulator through the real driver, that the entity's choices deployed by the editor's
 * deploy path (`planDeploy` + `applyPlan`) create the service with the entity's properties and that
 * an upgrade sets the properties the CLI's --upgrade sets. The reverse: a deployed spec as a new entity.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseSpecDocument, spcsEntityValues, type ProjectFiles, type ServiceEntityValues } from '../../server/src/service';
import { applyPlan } from '../../client/src/deploy/applyPlan';
import { planDeploy } from '../../client/src/deploy/deployPlan';
import { entityDeploy, entityDeployAction, proposeEntity } from '../../client/src/projects/projectEntity';
import { describeExistingService } from '../../client/src/specs/deployedService';
import { harness, printedConnection, value } from './emulatorHarness';

const project = 'file:///work/app/snowflake.yml';
const echoSpec = `spec:\n  containers:\n    - name: echo\n      image: /spcs_demo/public/demo_repo/echo:latest\n  endpoints:\n    - name: echoendpoint\n      port: 8000\n      public: true\n`;

function files(map: Readonly<Record<string, string>>): ProjectFiles {
  return { readText: (uri) => (uri.startsWith('file:///work/app/') ? map[uri.slice('file:///work/app/'.length)] : undefined) };
}

function entities(text: string): ServiceEntityValues[] {
  return spcsEntityValues(parseSpecDocument(TextDocument.create(project, 'yaml', 1, text)));
}

const definition = `definition_version: "2"
mixins:
  shared:
    compute_pool: demo_cpu_pool
    query_warehouse: demo_wh
entities:
  echo_entity:
    type: service
    identifier: echo_from_yml
    stage: echo_stage
    spec_file: specs/echo.yaml
    min_instances: 1
    max_instances: "2"
    auto_suspend_secs: 3600
    comment: From snowflake.yml
    tags:
      - name: team
        value: ml
    artifacts:
      - specs/echo.yaml
    meta:
      use_mixins: [shared]
  templated:
    type: service
    stage: s
    compute_pool: <% ctx.env.pool %>
    spec_file: specs/echo.yaml
`;

describe('a snowflake.yml service entity as a deploy', () => {
  it('reads the fields snow spcs service deploy reads, mixins merged and the CLI defaults filled', () => {
    const [entity] = entities(definition);
    assert.ok(entity);
    const plan = entityDeploy(project, entity, files({ 'specs/echo.yaml': echoSpec }));
    assert.ok(plan.ok, plan.ok ? '' : plan.message);
    assert.deepEqual(plan.choices, {
      pool: 'DEMO_CPU_POOL',
      serviceName: 'echo_from_yml',
      minInstances: 1,
      maxInstances: 2,
      autoResume: true,
      externalAccessIntegrations: [],
      queryWarehouse: 'DEMO_WH',
      autoSuspendSecs: 3600,
      comment: 'From snowflake.yml',
      tags: { team: 'ml' },
    });
    assert.equal(plan.specUri, 'file:///work/app/specs/echo.yaml');
  });

  it('refuses a templated field, a missing spec file and a missing compute pool, saying which', () => {
    const [entity, templated] = entities(definition);
    assert.ok(entity && templated);
    const noFile = entityDeploy(project, entity, files({}));
    assert.match(noFile.ok ? '' : noFile.message, /spec_file 'specs\/echo\.yaml' was not found/);
    const rendered = entityDeploy(project, templated, files({ 'specs/echo.yaml': echoSpec }));
    assert.match(rendered.ok ? '' : rendered.message, /'compute_pool' uses <% %> templating.*snow spcs service deploy templated/);
    const [bare] = entities('definition_version: "2"\nentities:\n  bare:\n    type: service\n    stage: s\n    spec_file: specs/echo.yaml\n');
    assert.ok(bare);
    const noPool = entityDeploy(project, bare, files({ 'specs/echo.yaml': echoSpec }));
    assert.match(noPool.ok ? '' : noPool.message, /'compute_pool' is missing/);
  });

  it('creates when nothing exists, refuses an existing service unless upgrading, and an upgrade of nothing', () => {
    assert.deepEqual(entityDeployAction(false, false, 'S'), { ok: true, action: 'create' });
    assert.deepEqual(entityDeployAction(true, true, 'S'), { ok: true, action: 'upgrade' });
    const refused = entityDeployAction(true, false, 'S');
    assert.ok(!refused.ok && refused.offerUpgrade && /--upgrade/.test(refused.message));
    const nothing = entityDeployAction(false, true, 'S');
    assert.ok(!nothing.ok && !nothing.offerUpgrade);
  });
});

describe('deploying an entity through the editor deploy path (emulator)', { timeout: 60_000 }, () => {
  it('creates the service with the entity properties, then upgrades with the properties --upgrade sets', async (t) => {
    const h = await harness(t);
    const [entity] = entities(definition);
    assert.ok(entity);
    const plan = entityDeploy(project, entity, files({ 'specs/echo.yaml': echoSpec }));
    assert.ok(plan.ok);
    const choices = { ...plan.choices, connection: printedConnection, database: 'SPCS_DEMO', schema: 'PUBLIC', templateValues: {} };
    const target = { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_FROM_YML' };
    const created = planDeploy({ specText: echoSpec, specUri: plan.specUri, diagnostics: [], choices, existing: undefined });
    assert.ok(created.ok && created.action === 'create');
    assert.match(created.sql[0] ?? '', /FROM SPECIFICATION \$\$spec:/, 'the spec is sent inline');
    assert.match(created.sql[0] ?? '', /AUTO_SUSPEND_SECS = 3600/);
    assert.match(created.sql[0] ?? '', /COMMENT = 'From snowflake\.yml'/);
    assert.match(created.sql[0] ?? '', /WITH TAG \(TEAM = 'ml'\)/);
    const applied = await applyPlan(h.sessions, printedConnection, created);
    assert.equal(applied.state, 'complete', applied.message);
    const existing = value(await describeExistingService(h.sessions, printedConnection, target));
    assert.equal(existing?.maxInstances, 2);

    const upgraded = planDeploy({ specText: echoSpec.replace('latest', 'v2'), specUri: plan.specUri, diagnostics: [], choices: { ...choices, maxInstances: 3, comment: 'Upgraded' }, existing });
    assert.ok(upgraded.ok && upgraded.action === 'upgrade');
    assert.match(upgraded.sql[0] ?? '', /^ALTER SERVICE SPCS_DEMO\.PUBLIC\.ECHO_FROM_YML SET AUTO_SUSPEND_SECS = 3600 .*MAX_INSTANCES = 3.*COMMENT = 'Upgraded'/);
    assert.doesNotMatch(upgraded.sql.join('\n'), /TAG/, 'tags are set on create only, as the CLI does');
    assert.equal((await applyPlan(h.sessions, printedConnection, upgraded)).state, 'complete');
    assert.equal(value(await describeExistingService(h.sessions, printedConnection, target))?.maxInstances, 3);
  });
});

describe('a deployed spec as a new snowflake.yml entity', () => {
  const choices = { pool: 'DEMO_CPU_POOL', serviceName: 'ECHO_SERVICE', minInstances: 1, maxInstances: 2, externalAccessIntegrations: [] };
  it('uses the remembered deploy choices and the spec path relative to snowflake.yml', () => {
    const proposal = proposeEntity(project, 'file:///work/app/specs/echo.spcs.yaml', choices, 'echo_stage', []);
    assert.ok(proposal.ok);
    assert.deepEqual(proposal.entity, { id: 'echo_service', stage: 'echo_stage', computePool: 'DEMO_CPU_POOL', specFile: 'specs/echo.spcs.yaml', minInstances: 1, maxInstances: 2 });
    const mixed = proposeEntity(project, 'file:///work/app/echo.yaml', { ...choices, serviceName: 'Mixed' }, 's', []);
    assert.equal(mixed.ok && mixed.entity.identifier, 'Mixed');
  });

  it('refuses a spec outside the project folder, one never deployed, and a key that exists', () => {
    assert.match(proposeEntity(project, 'file:///elsewhere/echo.yaml', choices, 's', []).ok ? '' : 'outside', /outside/);
    assert.equal(proposeEntity(project, 'file:///work/app/echo.yaml', {}, 's', []).ok, false);
    const taken = proposeEntity(project, 'file:///work/app/echo.yaml', choices, 's', ['echo_service']);
    assert.match(taken.ok ? '' : taken.message, /already has an entity 'echo_service'/);
  });
});
