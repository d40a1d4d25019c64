// Types of scripts/schemaValidator.mjs for the TypeScript tests that import it.
export declare const schemaFile: string;
export declare const validatorFile: string;
export declare function schemaHash(schemaText: string): string;
export declare function validatorSource(schemaText: string): string;
export declare function writeSchemaValidator(): void;
