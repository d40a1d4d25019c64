/**
 * `POST /session/v1/login-request`: picks the credentials out of the driver's body, checks them
 * (`auth.ts`), resolves the session's role, warehouse, database and schema the way Snowflake does,
 * opens the session (`sessions.ts`) and builds the login response.
 *
 * Snowflake's rules followed here: a role that is not granted fails the login (390189); a warehouse,
 * database or schema that does not exist does NOT fail it, the session simply has none; a database
 * without a schema gets PUBLIC when that schema exists.
 */

import type { Authenticator, Credentials } from './auth';
import type { EmulatedAccount, EmulatedUser } from './contract';
import type { FaultInjector } from './faults';
import { Codes, Messages, failure, ok, sessionParameters, type Envelope } from './wireProtocol';
import type { SessionStore } from './sessions';

export interface LoginDependencies {
  readonly account: EmulatedAccount;
  readonly authenticator: Authenticator;
  readonly sessions: SessionStore;
  readonly faults: FaultInjector;
}

/** Emulator build reported as the server version (Snowflake reports e.g. "9.3.1"). */
export const serverVersion = '9.0.0-spcs-emulator';

const defaultFailureMessages: Record<string, string> = {
  [Codes.incorrectCredentials]: Messages.incorrectCredentials,
  [Codes.userDisabled]: Messages.userDisabled,
  [Codes.mfaPasscodeInvalid]: Messages.mfaPasscodeInvalid,
  [Codes.jwtInvalid]: Messages.jwtInvalid,
  [Codes.oauthTokenInvalid]: Messages.oauthTokenInvalid,
  [Codes.patInvalid]: Messages.patInvalid,
  [Codes.idTokenInvalid]: Messages.idTokenInvalid,
};

/** Snowflake identifiers: unquoted names are case-insensitive (stored uppercase), quoted ones are kept as written. */
export function normalizeIdentifier(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) return trimmed.slice(1, -1).replace(/""/g, '"');
  return trimmed.toUpperCase();
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function truthy(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

export function credentialsOf(data: Record<string, unknown>): Credentials {
  const sessionParameters = record(data.SESSION_PARAMETERS);
  return {
    accountName: text(data.ACCOUNT_NAME) ?? '',
    loginName: text(data.LOGIN_NAME),
    authenticator: (text(data.AUTHENTICATOR) ?? 'SNOWFLAKE').toUpperCase(),
    password: text(data.PASSWORD),
    token: text(data.TOKEN),
    proofKey: text(data.PROOF_KEY),
    passcode: text(data.PASSCODE),
    passcodeInPassword: truthy(data.passcodeInPassword),
    requestMfaToken: truthy(sessionParameters.CLIENT_REQUEST_MFA_TOKEN),
    storeTemporaryCredential: truthy(sessionParameters.CLIENT_STORE_TEMPORARY_CREDENTIAL),
  };
}

type Placement = { ok: true; role: string; warehouse: string | undefined; database: string | undefined; schema: string | undefined } | { ok: false; envelope: Envelope };

/** The role, warehouse, database and schema a new session starts with (query parameters override the user's defaults). */
function placeSession(account: EmulatedAccount, user: EmulatedUser, query: URLSearchParams): Placement {
  const users = account.users;
  const requestedRole = query.get('roleName');
  const granted = new Set(users.rolesOf(user.name).map((name) => name.toUpperCase()));
  let sessionRole: string;
  if (requestedRole !== null && requestedRole !== '') {
    sessionRole = normalizeIdentifier(requestedRole);
    if (!granted.has(sessionRole.toUpperCase())) return { ok: false, envelope: failure(Codes.roleNotGranted, Messages.roleNotGranted(sessionRole)) };
  } else {
    // A default role that is no longer granted falls back to PUBLIC, as in Snowflake.
    sessionRole = granted.has(user.defaultRole.toUpperCase()) ? user.defaultRole.toUpperCase() : 'PUBLIC';
  }
  const pick = (parameter: string, fallback: string | undefined) => {
    const value = query.get(parameter);
    return value !== null && value !== '' ? normalizeIdentifier(value) : fallback === undefined ? undefined : normalizeIdentifier(fallback);
  };
  const warehouseName = pick('warehouse', user.defaultWarehouse);
  const databaseName = pick('databaseName', user.defaultDatabase);
  const schemaName = pick('schemaName', user.defaultSchema);
  const warehouse = warehouseName !== undefined && users.hasWarehouse(warehouseName) ? warehouseName : undefined;
  const database = databaseName !== undefined && users.hasDatabase(databaseName) ? databaseName : undefined;
  let schema: string | undefined;
  if (database !== undefined) {
    const wanted = schemaName ?? 'PUBLIC';
    schema = users.hasSchema(database, wanted) ? wanted : undefined;
  }
  return { ok: true, role: sessionRole, warehouse, database, schema };
}

export function handleLogin(body: unknown, query: URLSearchParams, dependencies: LoginDependencies): Envelope {
  const injected = dependencies.faults.takeLoginFailure();
  if (injected !== undefined) return failure(injected.code, injected.message ?? defaultFailureMessages[injected.code] ?? 'Login failed (injected fault).');
  const data = record(record(body).data);
  const credentials = credentialsOf(data);
  const outcome = dependencies.authenticator.authenticate(credentials);
  if (!outcome.ok) return failure(outcome.code, outcome.message);
  const placement = placeSession(dependencies.account, outcome.user, query);
  if (!placement.ok) return placement.envelope;
  const parameters = sessionParameters(data.SESSION_PARAMETERS);
  const session = dependencies.sessions.create({
    user: outcome.user.name,
    role: placement.role,
    warehouse: placement.warehouse,
    database: placement.database,
    schema: placement.schema,
    parameters,
    authenticator: credentials.authenticator,
  });
  const { sessionValiditySeconds, masterValiditySeconds } = dependencies.sessions.validity;
  return ok({
    token: session.sessionToken,
    masterToken: session.masterToken,
    validityInSeconds: sessionValiditySeconds,
    masterValidityInSeconds: masterValiditySeconds,
    sessionId: Number(session.id),
    parameters,
    sessionInfo: {
      databaseName: session.context.database ?? null,
      schemaName: session.context.schema ?? null,
      warehouseName: session.context.warehouse ?? null,
      roleName: session.context.role,
    },
    displayUserName: outcome.user.name,
    serverVersion,
    firstLogin: false,
    remMeToken: null,
    remMeValidityInSeconds: 0,
    healthCheckInterval: 45,
    newClientForUpgrade: null,
    idToken: outcome.idToken?.token ?? null,
    idTokenValidityInSeconds: outcome.idToken?.validityInSeconds ?? 0,
    mfaToken: outcome.mfaToken?.token ?? null,
    mfaTokenValidityInSeconds: outcome.mfaToken?.validityInSeconds ?? 0,
    responseData: null,
  });
}
