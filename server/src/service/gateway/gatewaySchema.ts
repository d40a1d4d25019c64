/**
 * The gateway specification's JSON Schema (`schemas/spcs-gateway-spec.schema.json`) as a document
 * kind's schema: the documented tree hover and completion walk, and the validator compiled from it at
 * build time (`scripts/schemaValidator.mjs`).
 *
 * The schema describes every field of both gateway types in one `spec` (no `if`/`then`): which fields
 * go with which `type` is a rule (`gatewayChecks.ts`), with a message that says so. It has no `$ref`,
 * so the schema walkers of `../schema.ts` read it with its root given. Keeps no state.
 */

import type { ErrorObject } from 'ajv';
import schemaJson from '../../../../schemas/spcs-gateway-spec.schema.json';
import validateGatewaySchema from '../generated/gatewaySchemaValidator';
import type { DocumentSchema, JsonSchema } from '../schema';

export const gatewayRootSchema = schemaJson as unknown as JsonSchema;

/** The errors of a document's JSON form; read at once, since the next call overwrites them (ajv). */
export function validateAgainstGatewaySchema(value: unknown): ErrorObject[] {
  return validateGatewaySchema(value) ? [] : (validateGatewaySchema.errors ?? []);
}

export const gatewaySpecSchema: DocumentSchema = {
  root: gatewayRootSchema,
  validate: validateAgainstGatewaySchema,
  itemKinds: { targets: 'target', primary: 'primary endpoint', shadow: 'shadow endpoint' },
};
