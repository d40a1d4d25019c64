import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, expectDiagnostic, expectNoDiagnostic, expectNoErrors, fixesOf, validateText, yaml } from '../helpers';

describe('stageV1: S08 deprecated `source: "@stage"`', () => {
  it('warns and rewrites the volume to source: stage + stageConfig, keeping uid/gid', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
          volumeMounts:
          - name: models
            mountPath: /models
        volumes:
        - name: models
          source: "@db.schema.model_stage/v1"
          uid: 1000
          gid: 1000
    `);
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/stage-v1-deprecated', 'warning', 9, 12);
    assert.deepEqual(diagnostic.tags, [2]);
    const fixed = applyFix(text, diagnostic);
    assert.equal(
      fixed,
      yaml(`
        spec:
          containers:
          - name: app
            image: /db/schema/repo/app:1
            volumeMounts:
            - name: models
              mountPath: /models
          volumes:
          - name: models
            source: stage
            stageConfig:
              name: "@db.schema.model_stage/v1"
            uid: 1000
            gid: 1000
      `),
    );
    const after = validateText(fixed);
    expectNoDiagnostic(after, 'spcs/stage-v1-deprecated');
    expectNoDiagnostic(after, 'spcs/uid-gid-not-stage');
    expectNoErrors(after);
  });

  it('rewrites a source that starts a list item, and keeps a trailing comment', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
        volumes:
        - source: '@my_stage' # models
          name: models
    `);
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/stage-v1-deprecated', 'warning', 5, 12);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace("- source: '@my_stage' # models", "- source: stage\n    stageConfig:\n      name: '@my_stage' # models"));
    expectNoDiagnostic(validateText(fixed), 'spcs/stage-v1-deprecated');
  });

  it('rewrites a flow-style volume in place', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
        volumes:
        - { name: data, source: "@my_stage" }
    `);
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/stage-v1-deprecated', 'warning', 5, 26);
    const fixed = applyFix(text, diagnostic);
    assert.equal(fixed, text.replace('source: "@my_stage"', 'source: stage, stageConfig: { name: "@my_stage" }'));
    expectNoDiagnostic(validateText(fixed), 'spcs/stage-v1-deprecated');
  });

  it('warns even when the rest of the stage name is a placeholder, and keeps it verbatim', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
        volumes:
        - name: models
          source: "@<<database>>.<<schema>>.models"
    `);
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/stage-v1-deprecated', 'warning', 6, 12);
    assert.match(applyFix(text, diagnostic), /stageConfig:\n {6}name: "@<<database>>\.<<schema>>\.models"/);
  });

  it('offers no rewrite when the volume already has a stageConfig', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
        volumes:
        - name: models
          source: "@old"
          stageConfig:
            name: "@new"
    `);
    const diagnostic = expectDiagnostic(validateText(text), 'spcs/stage-v1-deprecated', 'warning', 6, 12);
    assert.deepEqual(fixesOf(diagnostic), []);
  });

  it('leaves the current form and whole-placeholder sources alone', () => {
    const text = yaml(`
      spec:
        containers:
        - name: app
          image: /db/schema/repo/app:1
        volumes:
        - name: models
          source: stage
          stageConfig:
            name: "@my_stage"
        - name: other
          source: "<<other_stage>>"
    `);
    expectNoDiagnostic(validateText(text), 'spcs/stage-v1-deprecated');
  });
});
