/**
 * Entry of `dist/client/snowflakeSdk.js`: the Snowflake driver in a bundle of its own, which the account
 * bundle's `import('snowflake-sdk')` resolves to (scripts/build.mjs). Nothing else.
 */

export * from 'snowflake-sdk';
