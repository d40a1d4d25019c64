// Types of scripts/schemaValidator.mjs for the TypeScript tests that import it.
export declare const schemaValidators: readonly { readonly schemaFile: string; readonly validatorFile: string }[];
export declare const schemaFile: string;
export declare const validatorFile: string;
export declare function schemaHash(schemaText: string): string;
export declare function validatorSource(schemaText: string, schemaName?: string): string;
export declare function writeSchemaValidator(): void;
