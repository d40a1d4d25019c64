/**
 * The names a deploy or a job targets: service and job names are unquoted identifiers that become
 * DNS labels (reference §4.5, Q11), and the database and schema of a service are unquoted too.
 *
 * Pure; the messages also serve as VS Code InputBox validation. Must not: talk to Snowflake.
 */

import * as sql from '../snowflake/sql';
import type { DeployChoices } from '../specs/deployChoices';
import type { DeployTarget } from '../specs/deployedService';
import type { Refusal } from './plans';

export type NameCheck = { readonly ok: true; readonly name: string; readonly dnsName: string; readonly warning?: string } | { readonly ok: false; readonly message: string };

/**
 * A service (or job) name: an unquoted identifier of letters, digits and `_`, starting with a letter,
 * at most 63 characters, because Snowflake turns it into a DNS label (`_` → `-`). Also usable as a
 * VS Code InputBox `validateInput` (show `message` when not ok).
 */
export function validateServiceName(text: string, what = 'service'): NameCheck {
  const name = text.trim();
  if (name === '') {
    return { ok: false, message: `Enter a ${what} name.` };
  }
  if (name.startsWith('"')) {
    return { ok: false, message: `A ${what} name must be an unquoted identifier (Snowflake turns it into a DNS name); remove the quotes.` };
  }
  const bad = /[^A-Za-z0-9_]/.exec(name);
  if (bad) {
    const hint = bad[0] === '-' ? ` Use '_' instead (it becomes '-' in the DNS name), e.g. ${name.replace(/-/g, '_').toUpperCase()}.` : '';
    return { ok: false, message: `'${name}' contains '${bad[0]}': a ${what} name may contain only letters, digits and '_'.${hint}` };
  }
  if (!/^[A-Za-z]/.test(name)) {
    return { ok: false, message: `A ${what} name must start with a letter ('${name}' starts with '${name.charAt(0)}').` };
  }
  if (name.length > 63) {
    return { ok: false, message: `'${name}' is ${name.length} characters long; a ${what} name becomes a DNS label, which has at most 63.` };
  }
  const upper = name.toUpperCase();
  if (sql.quoteIdentifier(upper) !== upper) {
    return { ok: false, message: `'${name}' is a reserved word in Snowflake SQL and would need quotes; choose another ${what} name.` };
  }
  const dnsName = upper.toLowerCase().replace(/_/g, '-');
  if (name.endsWith('_')) {
    return { ok: true, name: upper, dnsName, warning: `'${name}' ends with '_', so its DNS name '${dnsName}' ends with '-', which DNS does not allow; Snowflake may reject it.` };
  }
  return { ok: true, name: upper, dnsName };
}

/** A database or schema of a service: an unquoted identifier (reference §4.5). */
function validateContainerName(text: string, what: 'database' | 'schema'): { ok: true; name: string } | { ok: false; message: string } {
  const name = text.trim();
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(name)) {
    return { ok: false, message: `The ${what} '${text}' is not an unquoted identifier; the database and schema of a service must be (letters, digits, '_' and '$', not starting with a digit).` };
  }
  const upper = name.toUpperCase();
  if (sql.quoteIdentifier(upper) !== upper) {
    return { ok: false, message: `The ${what} '${text}' is a reserved word and would need quotes, which a service's ${what} may not.` };
  }
  return { ok: true, name: upper };
}

/** The qualified name a deploy or job targets, or why the names cannot be used. */
export function serviceTarget(choices: Pick<DeployChoices, 'serviceName' | 'database' | 'schema'>, what = 'service'): { ok: true; target: DeployTarget; warnings: string[] } | { ok: false; refusal: Refusal } {
  const name = validateServiceName(choices.serviceName, what);
  if (!name.ok) {
    return { ok: false, refusal: { kind: 'invalidName', message: name.message } };
  }
  const target: { database?: string; schema?: string; name: string; dnsName: string } = { name: name.name, dnsName: name.dnsName };
  if (choices.database !== undefined && choices.database.trim() !== '') {
    const database = validateContainerName(choices.database, 'database');
    if (!database.ok) return { ok: false, refusal: { kind: 'invalidName', message: database.message } };
    target.database = database.name;
  }
  if (choices.schema !== undefined && choices.schema.trim() !== '') {
    const schema = validateContainerName(choices.schema, 'schema');
    if (!schema.ok) return { ok: false, refusal: { kind: 'invalidName', message: schema.message } };
    target.schema = schema.name;
  }
  if (target.database !== undefined && target.schema === undefined) {
    return { ok: false, refusal: { kind: 'invalidName', message: `A database (${target.database}) is chosen without a schema; choose the schema too, or neither to use the connection's current ones.` } };
  }
  return { ok: true, target, warnings: name.warning === undefined ? [] : [name.warning] };
}
