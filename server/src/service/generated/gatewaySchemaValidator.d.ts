/**
 * The gateway specification's JSON Schema compiled to a standalone ajv validator at build time
 * (`scripts/schemaValidator.mjs`, run by `scripts/build.mjs`). The `.js` beside this file is generated
 * and git-ignored; this declaration is its contract.
 */
import type { ErrorObject } from 'ajv';

interface GatewaySchemaValidator {
  (data: unknown): boolean;
  /** The errors of the last call, or null when it passed (ajv's convention). */
  errors?: ErrorObject[] | null;
}

declare const validate: GatewaySchemaValidator;
export default validate;
/** SHA-256 of the schema text the validator was generated from. */
export declare const schemaHash: string;
