/**
 * "Create / Drop Image Repository" (client/src/imageRegistry/imageRepositoryActions.ts) against the local
 * SPCS emulator through the real driver, answered by a scripted UI: names checked as Snowflake
 * checks them (no quoted names for the repository, its database or its schema), an existing
 * repository found before anything is sent, the statement shown first, the images that go with a
 * dropped repository counted from SHOW IMAGES, the typed name, and the missing privileges named
 * with their GRANT.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createImageRepository, dropImageRepository, imageConsequence, parseRepositoryName, type RepositoryDeps } from '../../client/src/imageRegistry/imageRepositoryActions';
import { harness, printedConnection, value, type Harness } from './emulatorHarness';
import { memoryLog, ScriptedRepositoryUi } from './scriptedUis';

function setup(h: Harness): { ui: ScriptedRepositoryUi; deps: RepositoryDeps } {
  const ui = new ScriptedRepositoryUi();
  return { ui, deps: { sessions: h.sessions, ui, log: memoryLog(), queryTimeoutMs: 15_000 } };
}

async function repositoryRow(h: Harness, database: string, schema: string, name: string): Promise<Record<string, unknown> | undefined> {
  const result = value(await h.sessions.execute(printedConnection, `SHOW IMAGE REPOSITORIES LIKE '${name}' IN SCHEMA ${database}.${schema}`, { timeoutMs: 15_000 }));
  return result.rows.find((row) => row['name'] === name);
}

describe('image repository names', { timeout: 5000 }, () => {
  it('qualifies with the current database and schema, and refuses what needs quotes', () => {
    const here = { database: 'SPCS_DEMO', schema: 'PUBLIC' };
    assert.deepEqual(parseRepositoryName('models', here), { ok: true, value: { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'MODELS' } });
    assert.deepEqual(parseRepositoryName('ml_db.serving.models', here), { ok: true, value: { database: 'ML_DB', schema: 'SERVING', name: 'MODELS' } });
    assert.deepEqual(parseRepositoryName('serving.models', here), { ok: true, value: { database: 'SPCS_DEMO', schema: 'SERVING', name: 'MODELS' } });
    const quoted = parseRepositoryName('"Models"', here);
    assert.equal(quoted.ok, false);
    assert.match(quoted.ok ? '' : quoted.message, /"Models" cannot be the name of an image repository: Snowflake supports no quoted names/);
    const quotedSchema = parseRepositoryName('ml_db."my schema".models', here);
    assert.match(quotedSchema.ok ? '' : quotedSchema.message, /cannot be the schema of an image repository/);
    assert.match(parseRepositoryName('models', {}).ok ? '' : 'no location', /no location/);
  });

  it('counts what goes with a repository', () => {
    assert.equal(imageConsequence([]), 'It holds no image.');
    assert.equal(
      imageConsequence([
        { name: 'vllm-openai', tags: ['0.6.3', 'latest'] },
        { name: 'vllm-openai', tags: ['0.6.2'] },
        { name: 'chat-ui', tags: [] },
      ]),
      'Deletes 2 images (3 digests, 3 tags): vllm-openai (0.6.3, latest, 0.6.2), chat-ui.',
    );
    assert.match(imageConsequence(undefined, 'SHOW IMAGES failed: no'), /How many images it holds is not known \(SHOW IMAGES failed: no\); every image in it is deleted\./);
  });
});

describe('image repositories against the emulator (scripted UI, real driver)', { timeout: 90_000 }, () => {
  it('creates a repository after showing the statement, finds an existing one, and names the missing CREATE IMAGE REPOSITORY', { timeout: 60_000 }, async (t) => {
    const h = await harness(t);
    const { ui, deps } = setup(h);
    ui.answers = { name: 'serving_images', confirmStatement: true };
    const created = await createImageRepository(deps, { connection: printedConnection });
    assert.equal(created.state, 'created', created.message);
    assert.deepEqual(ui.asked, ['name (current SPCS_DEMO.PUBLIC.IMAGES)', 'confirmStatement']);
    assert.equal(ui.statements[0]?.statement, 'CREATE IMAGE REPOSITORY SPCS_DEMO.PUBLIC.SERVING_IMAGES');
    assert.equal(created.message, 'Image repository SPCS_DEMO.PUBLIC.SERVING_IMAGES was created; push images to emulator-spcs-emulator.registry.snowflakecomputing.com/spcs_demo/public/serving_images.');
    assert.equal((await repositoryRow(h, 'SPCS_DEMO', 'PUBLIC', 'SERVING_IMAGES'))?.['encryption'], 'SNOWFLAKE_FULL');
    assert.equal(ui.checkName?.('"Quoted"') !== undefined, true, 'the InputBox check refuses quoted names');
    assert.equal(ui.checkName?.('fine_name'), undefined);

    const again = await createImageRepository(deps, { connection: printedConnection, name: 'SPCS_DEMO.PUBLIC.SERVING_IMAGES' });
    assert.equal(again.state, 'exists');
    assert.equal(ui.statements.length, 1, 'nothing shown or sent for an existing repository');

    const sse = await createImageRepository(deps, { connection: printedConnection, name: 'sse_images', encryption: 'SNOWFLAKE_SSE', comment: 'server-side', confirm: false });
    assert.equal(sse.state, 'created');
    assert.equal((await repositoryRow(h, 'SPCS_DEMO', 'PUBLIC', 'SSE_IMAGES'))?.['encryption'], 'SNOWFLAKE_SSE');

    const denied = await createImageRepository(deps, { connection: printedConnection, name: 'ml_db.serving.more', confirm: false });
    assert.equal(denied.state, 'failed');
    assert.ok(denied.state === 'failed');
    assert.equal(denied.grant, 'GRANT CREATE IMAGE REPOSITORY ON SCHEMA ML_DB.SERVING TO ROLE SPCS_DEVELOPER');
    assert.match(denied.message, /^Image repository ML_DB\.SERVING\.MORE was not created\. Role SPCS_DEVELOPER may not create image repositories in ML_DB\.SERVING: it needs CREATE IMAGE REPOSITORY on schema ML_DB\.SERVING\./);
    const quoted = await createImageRepository(deps, { connection: printedConnection, name: '"my repo"' });
    assert.equal(quoted.state, 'refused');
  });

  it('says how many images go with a dropped repository, asks for the typed name, and names OWNERSHIP', { timeout: 60_000 }, async (t) => {
    const h = await harness(t);
    const { ui, deps } = setup(h);
    h.account.control.run('CREATE IMAGE REPOSITORY SPCS_DEMO.PUBLIC.SCRATCH', { role: 'SPCS_DEVELOPER', database: 'SPCS_DEMO', schema: 'PUBLIC' });
    h.account.control.pushImage('SPCS_DEMO.PUBLIC.SCRATCH', 'app', '1.0');
    h.account.control.pushImage('SPCS_DEMO.PUBLIC.SCRATCH', 'app', '1.1');
    h.account.control.pushImage('SPCS_DEMO.PUBLIC.SCRATCH', 'worker', 'latest');
    const repository = { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'SCRATCH' };
    ui.answers = { typedName: 'scratc' };
    const wrong = await dropImageRepository(deps, { connection: printedConnection, repository });
    assert.equal(wrong.state, 'cancelled');
    const confirmation = ui.confirmations[0];
    assert.equal(confirmation?.name, 'SCRATCH');
    assert.deepEqual(confirmation?.statements, ['DROP IMAGE REPOSITORY SPCS_DEMO.PUBLIC.SCRATCH']);
    assert.match(confirmation?.consequences[0] ?? '', /^Deletes 2 images \(3 digests, 3 tags\): /);
    assert.ok(await repositoryRow(h, 'SPCS_DEMO', 'PUBLIC', 'SCRATCH'));

    ui.answers = { typedName: 'scratch' };
    const dropped = await dropImageRepository(deps, { connection: printedConnection, repository });
    assert.equal(dropped.state, 'dropped', dropped.message);
    assert.equal(dropped.message, 'Image repository SPCS_DEMO.PUBLIC.SCRATCH was dropped with its 2 images.');
    assert.equal(await repositoryRow(h, 'SPCS_DEMO', 'PUBLIC', 'SCRATCH'), undefined);

    ui.answers = { typedName: 'IMAGES' };
    const notOwner = await dropImageRepository(deps, { connection: printedConnection, repository: { database: 'ML_DB', schema: 'SERVING', name: 'IMAGES' } });
    assert.equal(notOwner.state, 'failed');
    assert.ok(notOwner.state === 'failed');
    assert.equal(notOwner.grant, 'GRANT OWNERSHIP ON IMAGE REPOSITORY ML_DB.SERVING.IMAGES TO ROLE SPCS_DEVELOPER COPY CURRENT GRANTS');
    assert.match(notOwner.message, /only the owner of image repository ML_DB\.SERVING\.IMAGES can\. It is owned by role SYSADMIN/);
    assert.match(ui.confirmations.at(-1)?.consequences[0] ?? '', /^Deletes 2 images \(4 digests, 6 tags\): chat-ui \(1\.4\.0, latest, 1\.3\.2\), vllm-openai \(0\.6\.3, latest, 0\.6\.2\)\.$/);
  });
});
