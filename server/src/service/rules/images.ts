/**
 * Container images (S58): SPCS pulls images only from image repositories in the account, written
 * `/<db>/<schema>/<repo>/<image>:<tag>` or with the registry host
 * `<org>-<account>.registry[-local|-dev].snowflakecomputing.com/<db>/<schema>/<repo>/<image>:<tag>`.
 * An image from another registry (Docker Hub, quay.io, ...) gets a warning; an image without a tag
 * or digest gets an information.
 *
 * Deliberately tolerant, because the docs leave image references open (reference §7.7): a relative
 * `repo/image:tag` (used in a docs job example) and `@sha256:` digests are accepted, case is not
 * judged, and templated values or obvious placeholders (`<repository_url>/x`, `$IMAGE`, `...`) are
 * never reported. S59 (Prometheus sidecar in a job) needs to know the spec is a job, which the
 * document alone cannot tell, so it is not implemented.
 */

import type { Rule } from './ruleApi';
import { itemLabel, plainScalar, stringValue, valueOf } from './ruleHelpers';

type ImageVerdict = 'ok' | 'no-tag' | 'foreign' | 'short-path' | 'skip';

const placeholderHint = /[<>${}]|\.\.\.|…|^\s*$/;
const snowflakeHost = /\.snowflakecomputing\.(com|cn)(:[0-9]+)?$/i;

export function classifyImage(image: string): ImageVerdict {
  const text = image.trim();
  if (placeholderHint.test(text)) {
    return 'skip';
  }
  const segments = text.split('/');
  const first = segments[0] ?? '';
  const hasHost = !text.startsWith('/') && segments.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasHost && !snowflakeHost.test(first)) {
    return 'foreign';
  }
  if (!hasHost && !text.startsWith('/') && segments.length === 1) {
    // `nginx:latest`: a Docker Hub image.
    return 'foreign';
  }
  if (text.startsWith('/') && segments.length - 1 < 4) {
    return 'short-path';
  }
  const last = segments[segments.length - 1] ?? '';
  return last.includes(':') || last.includes('@') ? 'ok' : 'no-tag';
}

export const imagesRule: Rule = {
  name: 'images',
  check(ctx) {
    const { doc } = ctx;
    for (const container of doc.lists.containers) {
      const scalar = plainScalar(doc, valueOf(container.node, 'image'));
      const image = stringValue(doc, scalar);
      if (!scalar || image === undefined) {
        continue;
      }
      const label = itemLabel('container', container);
      switch (classifyImage(image)) {
        case 'foreign':
          ctx.report({
            code: 'spcs/image-not-in-repository',
            at: scalar,
            message:
              `The image of ${label}, '${image}', is not in a Snowflake image repository, and SPCS pulls images only from repositories in your account. ` +
              "Push it to one ('docker tag' and 'docker push' to '<org>-<account>.registry.snowflakecomputing.com/<db>/<schema>/<repo>/…') and write '/<db>/<schema>/<repo>/<image>:<tag>'.",
          });
          break;
        case 'short-path':
          ctx.report({
            code: 'spcs/image-not-in-repository',
            at: scalar,
            message: `The image of ${label}, '${image}', does not have the documented form '/<db>/<schema>/<repo>/<image>:<tag>' (database, schema, repository and image).`,
          });
          break;
        case 'no-tag':
          ctx.report({
            code: 'spcs/image-without-tag',
            at: scalar,
            message: `The image of ${label} has no tag or digest; the docs always give one, and without it the registry's 'latest' is taken and pinned at CREATE SERVICE. Add an explicit tag such as ':1.0' so you know which build runs.`,
          });
          break;
        default:
          break;
      }
    }
  },
};
