/**
 * What to say when Snowflake refuses a statement for want of a privilege: the privilege in words,
 * the role that lacks it, and the exact GRANT an administrator runs (built by `sql.grantPrivilege`).
 *
 * Owns: the wording of those messages and reading the current role (the session's, else
 * `SELECT CURRENT_ROLE()`). Must not: decide whether a privilege is missing (Snowflake does, its
 * refusal is classified `privilege` by `errors.ts`), or import `vscode`.
 */

import type { SnowflakeError } from './errors';
import type { SnowflakeSessions } from './session';
import * as sql from './sql';

export type GrantTarget = Parameters<typeof sql.grantPrivilege>[1];

export interface PrivilegeNeed {
  /** A keyword phrase: `CREATE COMPUTE POOL`, `MODIFY`, `OWNERSHIP`. */
  readonly privilege: string;
  readonly on: GrantTarget;
  /** What the role may not do, as a verb phrase: "create compute pools", "change compute pool LLM_POOL". */
  readonly doing: string;
}

export interface PrivilegeAdvice {
  readonly message: string;
  /** The GRANT that gives the role the privilege (OWNERSHIP: the transfer), when the role is known. */
  readonly grant: string | undefined;
}

function targetText(on: GrantTarget): string {
  return on.type === 'ACCOUNT' ? 'the account' : `${on.type.toLowerCase()} ${sql.objectName(on.name)}`;
}

/**
 * "Role SPCS_VIEWER may not create compute pools: it needs CREATE COMPUTE POOL on the account. An
 * administrator can grant it: GRANT CREATE COMPUTE POOL ON ACCOUNT TO ROLE SPCS_VIEWER. (Snowflake:
 * …)". OWNERSHIP is not granted like other privileges: the message names the owner to switch to
 * (when known) and the transfer, which also moves the object away from its current owner.
 */
export function missingPrivilege(need: PrivilegeNeed, role: string | undefined, error: Pick<SnowflakeError, 'detail' | 'message'>, owner?: string): PrivilegeAdvice {
  const who = role === undefined ? 'The current role' : `Role ${role}`;
  const said = (error.detail ?? error.message).split('\n').map((line) => line.trim()).filter((line) => line !== '' && !/^SQL (access control|compilation) error:?$/i.test(line)).join(' ');
  const snowflakeSaid = said === '' ? '' : ` (Snowflake: ${said.replace(/[.\s]+$/, '')}.)`;
  if (need.privilege === 'OWNERSHIP') {
    const grant = role === undefined ? undefined : `${sql.grantPrivilege('OWNERSHIP', need.on, role)} COPY CURRENT GRANTS`;
    const ownerText = owner === undefined || owner === '' ? '' : ` It is owned by role ${owner}: use that role (or one that inherits it).`;
    const transfer = grant === undefined ? '' : ` Or its owner can transfer it: ${grant}.`;
    return { message: `${who} may not ${need.doing}: only the owner of ${targetText(need.on)} can.${ownerText}${transfer}${snowflakeSaid}`, grant };
  }
  const grant = role === undefined ? undefined : sql.grantPrivilege(need.privilege, need.on, role);
  const how = grant === undefined ? ' Ask an administrator to grant it to the role you use.' : ` An administrator can grant it: ${grant}.`;
  return { message: `${who} may not ${need.doing}: it needs ${need.privilege} on ${targetText(need.on)}.${how}${snowflakeSaid}`, grant };
}

/** The role statements run as: the session's (USE ROLE is tracked), else CURRENT_ROLE(); undefined when neither answers. */
export async function currentRole(sessions: Pick<SnowflakeSessions, 'get' | 'execute'>, connection: string, timeoutMs: number): Promise<string | undefined> {
  const session = await sessions.get(connection);
  if (session.ok && session.value.role !== undefined && session.value.role !== '') return session.value.role;
  const result = await sessions.execute(connection, 'SELECT CURRENT_ROLE() AS ROLE', { timeoutMs });
  if (!result.ok) return undefined;
  const value = Object.values(result.value.rows[0] ?? {})[0];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
