/** The version reported by the language server and the linter (kept in step with package.json by a test). */
export const serverVersion = '0.1.0';
