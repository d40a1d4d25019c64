/**
 * SQL text of the gateway statements (CREATE / ALTER / DESCRIBE / DROP GATEWAY; SHOW GATEWAYS is with
 * the other SHOW statements in `sql.ts`, which re-exports these). Names quoted as needed, the spec
 * text embedded byte-exact in a dollar-quoted literal, as service specs are. Pure.
 */

import { objectName, specLiteral, stringLiteral, type ObjectName } from './sqlText';

/**
 * `CREATE [OR REPLACE] GATEWAY [IF NOT EXISTS] <name> FROM SPECIFICATION $$…$$ [COMMENT = '…']`: the
 * spec text byte-exact, as service specs are sent.
 */
export function createGateway(name: ObjectName, spec: string, options: { orReplace?: boolean; ifNotExists?: boolean; comment?: string } = {}): string {
  if (options.orReplace && options.ifNotExists) {
    throw new RangeError('OR REPLACE and IF NOT EXISTS exclude each other.');
  }
  return [
    `CREATE${options.orReplace ? ' OR REPLACE' : ''} GATEWAY${options.ifNotExists ? ' IF NOT EXISTS' : ''} ${objectName(name)}`,
    `FROM SPECIFICATION ${specLiteral(spec)}`,
    options.comment === undefined ? undefined : `COMMENT = ${stringLiteral(options.comment)}`,
  ]
    .filter((part): part is string => part !== undefined)
    .join('\n  ');
}

/** `ALTER GATEWAY … FROM SPECIFICATION $$…$$`: new targets or weights, the same ingress host. */
export function alterGatewaySpec(name: ObjectName, spec: string, options: { ifExists?: boolean } = {}): string {
  return `ALTER GATEWAY${options.ifExists ? ' IF EXISTS' : ''} ${objectName(name)}\n  FROM SPECIFICATION ${specLiteral(spec)}`;
}

export function describeGateway(name: ObjectName): string {
  return `DESCRIBE GATEWAY ${objectName(name)}`;
}

export function dropGateway(name: ObjectName, options: { ifExists?: boolean } = {}): string {
  return `DROP GATEWAY${options.ifExists ? ' IF EXISTS' : ''} ${objectName(name)}`;
}
