/**
 * Errors the language service raises on purpose, with a message meant for the user (for example a
 * rename to a name the spec does not allow). The LSP wiring shows these as they are; any other thrown
 * value is a bug and is logged as one.
 */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
}
