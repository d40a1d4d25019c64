/**
 * Service roles (S45): every endpoint a service role lists must be defined in `spec.endpoints`.
 *
 * The missing-`name`/`endpoints` half of S44 is the schema's, and role name format/uniqueness is in
 * `names.ts`. When any endpoint name is templated, or the endpoint list itself is, the defined names
 * are not known and nothing is reported.
 */

import type { Scalar } from 'yaml';
import { closestMatch } from '../text';
import type { Rule } from './ruleApi';
import { asSeq, hasUnreadableName, listIsOpaque, plainScalar, replaceScalar, stringValue, valueOf } from './ruleHelpers';

export const serviceRolesRule: Rule = {
  name: 'serviceRoles',
  check(ctx) {
    const { doc } = ctx;
    const endpoints = doc.lists.endpoints;
    if (hasUnreadableName(endpoints) || listIsOpaque(doc, doc.spec, ['endpoints', 'endpoint'])) {
      return;
    }
    const defined = endpoints.flatMap((endpoint) => (endpoint.name !== undefined ? [endpoint.name] : []));
    for (const role of doc.lists.serviceRoles) {
      for (const reference of asSeq(valueOf(role.node, 'endpoints'))?.items ?? []) {
        const scalar = plainScalar(doc, reference);
        const name = stringValue(doc, scalar);
        if (!scalar || name === undefined || defined.includes(name)) {
          continue;
        }
        report(scalar, name);
      }
    }

    function report(scalar: Scalar, name: string): void {
      const suggestion = defined.find((candidate) => candidate.toLowerCase() === name.toLowerCase()) ?? closestMatch(name, defined);
      const edit = suggestion ? replaceScalar(doc, scalar, suggestion) : undefined;
      ctx.report({
        code: 'spcs/undefined-endpoint',
        at: scalar,
        message:
          `No endpoint named '${name}' in 'spec.endpoints'; a service role can only grant endpoints the spec defines. ` +
          (defined.length > 0 ? `Defined endpoints: ${defined.map((endpoint) => `'${endpoint}'`).join(', ')}.` : 'The spec defines no endpoints.'),
        fixes: edit && suggestion ? [{ title: `Change to '${suggestion}'`, edits: [edit], isPreferred: true }] : undefined,
      });
    }
  },
};
