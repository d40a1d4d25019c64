/**
 * The words of the privilege preflight (`privileges/preflight.ts`) for people: the SQL script an
 * administrator runs (a header saying which role lacks what and who can grant it, then one commented
 * GRANT per missing privilege), the one-line summary, and the modal's detail.
 *
 * Pure; must not import `vscode` or decide anything about the deploy (deployFlow.ts does).
 */

import type { PreflightResult } from './preflight';

export interface PreflightSubject {
  /** `service ECHO in SPCS_DEMO.PUBLIC on pool DEMO_CPU_POOL`. */
  readonly what: string;
  readonly connection: string;
  /** When the account catalog was read (ISO 8601), for the header. */
  readonly catalogReadAt?: string;
}

/** `SPCS_VIEWER lacks 3 privileges to deploy …`. */
export function preflightSummary(result: PreflightResult, subject: PreflightSubject): string {
  const count = result.missing.length;
  if (count === 0) return `${result.role} has every privilege this deploy needs.`;
  return `${result.role} lacks ${count} privilege${count === 1 ? '' : 's'} to deploy ${subject.what}.`;
}

/** The untitled SQL document: a header comment, then each missing grant with its reason. */
export function grantScript(result: PreflightResult, subject: PreflightSubject): string {
  const lines = [
    `-- Privileges role ${result.role} (connection "${subject.connection}") lacks to deploy ${subject.what}.`,
    `-- Checked against the account catalog${subject.catalogReadAt === undefined ? '' : ` read ${subject.catalogReadAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}`}.`,
    '--',
    '-- Run this script as a role that may grant them: the owner of each object, or an administrator',
    '-- role with MANAGE GRANTS such as SECURITYADMIN or ACCOUNTADMIN (BIND SERVICE ENDPOINT is granted',
    '-- on the account, by ACCOUNTADMIN). Then refresh the account catalog and deploy again.',
  ];
  for (const note of result.notes) lines.push(`-- Note: ${note}`);
  lines.push('');
  for (const grant of result.missing) {
    const alternatives = grant.alsoSufficient.filter((privilege) => privilege !== 'OWNERSHIP');
    lines.push(`-- ${grant.reason}${alternatives.length > 0 ? ` (${alternatives.join(' or ')} also suffices.)` : ''}`);
    lines.push(`${grant.statement};`);
  }
  return `${lines.join('\n')}\n`;
}

/** The modal's detail: each missing grant on one line. */
export function missingDetail(result: PreflightResult): string {
  return [...result.missing.map((grant) => `• ${grant.statement}`), '', 'An administrator must grant these first; "Open as SQL" gives them as a script.'].join('\n');
}
