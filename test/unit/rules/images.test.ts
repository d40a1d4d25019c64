import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyImage } from '../../../server/src/service/rules/images';
import { expectDiagnostic, expectNoDiagnostic, validateText } from '../helpers';

const withImage = (image: string) => `spec:\n  containers:\n  - name: app\n    image: ${image}\n`;

describe('images: S58 Snowflake image repositories', () => {
  it('warns about a Docker Hub image', () => {
    expectDiagnostic(validateText(withImage('nginx:1.27')), 'spcs/image-not-in-repository', 'warning', 3, 11);
  });

  it('warns about another registry', () => {
    expectDiagnostic(validateText(withImage('quay.io/minio/minio:latest')), 'spcs/image-not-in-repository', 'warning', 3, 11);
  });

  it('informs about an image without a tag', () => {
    expectDiagnostic(validateText(withImage('/db/schema/repo/app')), 'spcs/image-without-tag', 'information', 3, 11);
  });

  it('accepts every documented and tolerated form, and placeholders', () => {
    const accepted = [
      '/tutorial_db/data_schema/tutorial_repository/my_echo_service_image:latest',
      '/DB/SCHEMA/REPO/app@sha256:8d91ab',
      'myorg-myacct.registry.snowflakecomputing.com/db/schema/repo/app:1.0',
      'sfengineering-x.registry-dev.snowflakecomputing.com/db/schema/repo/app:1.0',
      'my_repo/my_job_image:latest',
      '<repository_url>/app:dev',
      '$IMAGE_URL',
      '...',
      '{{ image }}',
      '<<repository_url>>/app',
    ];
    for (const image of accepted) {
      const diagnostics = validateText(withImage(image));
      expectNoDiagnostic(diagnostics, 'spcs/image-not-in-repository');
      expectNoDiagnostic(diagnostics, 'spcs/image-without-tag');
    }
  });

  it('classifies image references', () => {
    assert.equal(classifyImage('/db/schema/repo/app:1'), 'ok');
    assert.equal(classifyImage('/repo/app:1'), 'short-path');
    assert.equal(classifyImage('ghcr.io/org/app:1'), 'foreign');
    assert.equal(classifyImage('python'), 'foreign');
    assert.equal(classifyImage('/db/schema/repo/app'), 'no-tag');
  });
});
