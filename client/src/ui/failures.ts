/**
 * The words of a failed Snowflake call in a notification: the cause first ("Missing privilege",
 * "Network", …), then the classified error's message, e.g. "Could not drop service X. Missing
 * privilege: …". Every command that tells a person a call failed says it this way.
 *
 * Pure; must not import `vscode`.
 */

import type { SnowflakeError } from '../snowflake/errors';

/** A short name for an error kind, put before the message so that the cause reads first. */
export function errorKindLabel(error: SnowflakeError): string {
  switch (error.kind) {
    case 'privilege':
      return 'Missing privilege';
    case 'notFound':
      return 'Not found';
    case 'auth':
      return 'Sign-in failed';
    case 'network':
      return 'Network';
    case 'timeout':
      return 'Timed out';
    case 'cancelled':
      return 'Cancelled';
    case 'config':
      return 'Connection settings';
    case 'sql':
      return 'Snowflake error';
    case 'internal':
      return 'Internal error';
  }
}

/** `Could not drop service X. Missing privilege: …` */
export function failureMessage(action: string, error: SnowflakeError): string {
  return `Could not ${action}. ${errorKindLabel(error)}: ${error.message}`;
}
