/**
 * Credential checks for every authenticator the Node driver speaks (password, MFA passcode and MFA
 * token, programmatic access token, OAuth, key-pair JWT, external browser and its cached ID token),
 * answering with Snowflake's error codes. It also keeps the short-lived tokens the emulator itself
 * issues (MFA tokens, ID tokens, browser-login tokens).
 *
 * It owns no sessions and no HTTP: `login.ts` turns an outcome into a login response.
 */

import { createHash, createPublicKey, randomBytes, randomUUID, verify } from 'node:crypto';
import type { Clock, EmulatedUser, UserDirectory } from './contract';
import { Codes, Messages } from './wireProtocol';

/** The credential fields of a login-request body (`data.*`), already picked out. */
export interface Credentials {
  readonly accountName: string;
  readonly loginName: string | undefined;
  /** Uppercase: SNOWFLAKE, USERNAME_PASSWORD_MFA, SNOWFLAKE_JWT, OAUTH, PROGRAMMATIC_ACCESS_TOKEN, EXTERNALBROWSER, ID_TOKEN. */
  readonly authenticator: string;
  readonly password: string | undefined;
  readonly token: string | undefined;
  readonly proofKey: string | undefined;
  readonly passcode: string | undefined;
  readonly passcodeInPassword: boolean;
  /** CLIENT_REQUEST_MFA_TOKEN from SESSION_PARAMETERS. */
  readonly requestMfaToken: boolean;
  /** CLIENT_STORE_TEMPORARY_CREDENTIAL from SESSION_PARAMETERS. */
  readonly storeTemporaryCredential: boolean;
}

export interface IssuedToken {
  readonly token: string;
  readonly validityInSeconds: number;
}

export type AuthOutcome =
  | { readonly ok: true; readonly user: EmulatedUser; readonly mfaToken?: IssuedToken; readonly idToken?: IssuedToken }
  | { readonly ok: false; readonly code: string; readonly message: string };

interface HeldToken {
  readonly user: string;
  readonly expiresAt: number;
  readonly proofKey?: string;
}

/** How long the emulator's own tokens live, in emulated seconds (Snowflake: MFA token 4 h, ID token 4 h). */
const mfaTokenSeconds = 4 * 3600;
const idTokenSeconds = 4 * 3600;
const browserTokenSeconds = 300;
/** Key-pair JWTs: Snowflake accepts at most one hour of lifetime and a minute of clock skew. */
const jwtMaxLifetimeSeconds = 3600;
const jwtSkewSeconds = 60;

function fail(code: string, message: string): AuthOutcome {
  return { ok: false, code, message };
}

function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** `SHA256:<base64 of the SHA-256 of the DER SubjectPublicKeyInfo>`, as `DESC USER` shows RSA_PUBLIC_KEY_FP. */
export function publicKeyFingerprint(pem: string): string {
  const der = createPublicKey({ key: pem, format: 'pem' }).export({ format: 'der', type: 'spki' });
  return `SHA256:${createHash('sha256').update(der).digest('base64')}`;
}

/** Accepts PEM with or without the BEGIN/END lines (ALTER USER … SET RSA_PUBLIC_KEY takes the bare base64). */
function normalizePem(key: string): string {
  if (key.includes('-----BEGIN')) return key;
  const body = key.replace(/\s+/g, '').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----\n`;
}

function decodeJwtPart(part: string | undefined): Record<string, unknown> | undefined {
  if (part === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The driver puts milliseconds in `iat`/`exp` (auth_keypair.js uses Date.now()); standard JWTs use seconds. */
function jwtSeconds(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return value > 1e11 ? value / 1000 : value;
}

export class Authenticator {
  private readonly mfaTokens = new Map<string, HeldToken>();
  private readonly idTokens = new Map<string, HeldToken>();
  private readonly browserTokens = new Map<string, HeldToken>();

  constructor(
    private readonly users: UserDirectory,
    private readonly clock: Clock,
  ) {}

  authenticate(credentials: Credentials): AuthOutcome {
    switch (credentials.authenticator) {
      case 'SNOWFLAKE':
      case 'USERNAME_PASSWORD_MFA':
        return this.password(credentials);
      case 'PROGRAMMATIC_ACCESS_TOKEN':
        return this.programmaticAccessToken(credentials);
      case 'OAUTH':
        return this.oauth(credentials);
      case 'SNOWFLAKE_JWT':
        return this.keyPair(credentials);
      case 'EXTERNALBROWSER':
        return this.externalBrowser(credentials);
      case 'ID_TOKEN':
        return this.idToken(credentials);
      default:
        return fail(Codes.incorrectCredentials, `Authenticator '${credentials.authenticator}' is not supported by the emulator.`);
    }
  }

  /**
   * The console-login step of the EXTERNALBROWSER flow (the emulator plays the identity provider
   * and approves at once): a one-time token bound to the proof key, or an error to redirect with.
   */
  browserLogin(loginName: string | undefined, proofKey: string | undefined): { ok: true; token: string } | { ok: false; error: string } {
    if (loginName === undefined || loginName === '') return { ok: false, error: "The emulated identity provider needs a login_name (set 'username' on the connection)." };
    if (proofKey === undefined || proofKey === '') return { ok: false, error: 'The console login URL has no proof_key.' };
    const user = this.users.findUser(loginName);
    if (user === undefined || user.externalBrowser !== true) return { ok: false, error: `User '${loginName}' cannot log in through the browser (no such user, or single sign-on is not enabled for it).` };
    const token = newToken();
    this.browserTokens.set(token, { user: user.name, proofKey, expiresAt: this.clock.now() + browserTokenSeconds * 1000 });
    return { ok: true, token };
  }

  private disabledOr(user: EmulatedUser, outcome: AuthOutcome): AuthOutcome {
    return user.disabled === true ? fail(Codes.userDisabled, Messages.userDisabled) : outcome;
  }

  private password(credentials: Credentials): AuthOutcome {
    const user = credentials.loginName === undefined ? undefined : this.users.findUser(credentials.loginName);
    const given = credentials.password ?? '';
    if (user === undefined) return fail(Codes.incorrectCredentials, Messages.incorrectCredentials);
    // A programmatic access token is accepted in place of the password (Snowflake allows this for drivers).
    if (user.programmaticAccessTokens?.includes(given) === true) return this.disabledOr(user, { ok: true, user });
    if (user.mfaPasscode === undefined) {
      // Not enrolled in MFA: a passcode appended to the password (passcodeInPassword) is ignored.
      const passwordMatches = user.password !== undefined && (credentials.passcodeInPassword ? given.startsWith(user.password) : given === user.password);
      if (!passwordMatches) return fail(Codes.incorrectCredentials, Messages.incorrectCredentials);
      return this.disabledOr(user, { ok: true, user });
    }
    // The user is enrolled in MFA: the password, then a passcode or a cached MFA token.
    let password = given;
    let passcode = credentials.passcode;
    if (credentials.passcodeInPassword) {
      password = given.slice(0, Math.max(0, given.length - user.mfaPasscode.length));
      passcode = given.slice(password.length);
    }
    if (user.password === undefined || password !== user.password) return fail(Codes.incorrectCredentials, Messages.incorrectCredentials);
    if (user.disabled === true) return fail(Codes.userDisabled, Messages.userDisabled);
    const cached = credentials.token === undefined ? undefined : this.live(this.mfaTokens, credentials.token, user.name);
    if (passcode === undefined || passcode === '') {
      if (cached === undefined) return fail(Codes.mfaRequired, Messages.mfaRequired);
    } else if (passcode !== user.mfaPasscode) {
      return fail(Codes.mfaPasscodeInvalid, Messages.mfaPasscodeInvalid);
    }
    if (!credentials.requestMfaToken) return { ok: true, user };
    const mfaToken = newToken();
    this.mfaTokens.set(mfaToken, { user: user.name, expiresAt: this.clock.now() + mfaTokenSeconds * 1000 });
    return { ok: true, user, mfaToken: { token: mfaToken, validityInSeconds: mfaTokenSeconds } };
  }

  private programmaticAccessToken(credentials: Credentials): AuthOutcome {
    const user = credentials.loginName === undefined ? undefined : this.users.findUser(credentials.loginName);
    const token = credentials.token ?? credentials.password;
    if (user === undefined || token === undefined || user.programmaticAccessTokens?.includes(token) !== true) return fail(Codes.patInvalid, Messages.patInvalid);
    return this.disabledOr(user, { ok: true, user });
  }

  private oauth(credentials: Credentials): AuthOutcome {
    const user = credentials.loginName === undefined ? undefined : this.users.findUser(credentials.loginName);
    if (user === undefined || credentials.token === undefined || user.oauthTokens?.includes(credentials.token) !== true) {
      return fail(Codes.oauthTokenInvalid, `${Messages.oauthTokenInvalid} [${randomUUID()}]`);
    }
    return this.disabledOr(user, { ok: true, user });
  }

  private keyPair(credentials: Credentials): AuthOutcome {
    const invalid = fail(Codes.jwtInvalid, `${Messages.jwtInvalid} [${randomUUID()}]`);
    const parts = (credentials.token ?? '').split('.');
    if (parts.length !== 3) return invalid;
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
    const header = decodeJwtPart(headerPart);
    const payload = decodeJwtPart(payloadPart);
    if (header?.alg !== 'RS256' || payload === undefined) return invalid;
    const { iss, sub } = payload;
    if (typeof iss !== 'string' || typeof sub !== 'string') return invalid;
    // sub = ACCOUNT.USER and iss = ACCOUNT.USER.SHA256:<fingerprint>; the account is the one the client
    // named (the emulator answers to any account name).
    const subject = /^([^.]+)\.(.+)$/.exec(sub);
    const fingerprintAt = iss.indexOf('.SHA256:');
    if (subject === null || fingerprintAt < 0 || iss.slice(0, fingerprintAt) !== sub) return invalid;
    const [, account, userName] = subject as unknown as [string, string, string];
    if (account.toUpperCase() !== credentials.accountName.split('.')[0]?.toUpperCase()) return invalid;
    if (credentials.loginName !== undefined && credentials.loginName.toUpperCase() !== userName.toUpperCase()) return invalid;
    const user = this.users.findUser(userName);
    if (user === undefined) return invalid;
    // The JWT's times come from the client's wall clock, so they are checked against real time, not the emulated clock.
    const now = Date.now() / 1000;
    const issuedAt = jwtSeconds(payload.iat);
    const expiresAt = jwtSeconds(payload.exp);
    if (issuedAt === undefined || expiresAt === undefined) return invalid;
    if (issuedAt > now + jwtSkewSeconds || expiresAt < now - jwtSkewSeconds || expiresAt - issuedAt > jwtMaxLifetimeSeconds) return invalid;
    const fingerprint = iss.slice(fingerprintAt + 1);
    const signature = Buffer.from(signaturePart, 'base64url');
    const signed = Buffer.from(`${headerPart}.${payloadPart}`);
    for (const key of user.rsaPublicKeys ?? []) {
      try {
        const pem = normalizePem(key);
        if (publicKeyFingerprint(pem) === fingerprint && verify('RSA-SHA256', signed, pem, signature)) return this.disabledOr(user, { ok: true, user });
      } catch {
        // A malformed registered key never matches; the next one may.
      }
    }
    return invalid;
  }

  private externalBrowser(credentials: Credentials): AuthOutcome {
    const held = credentials.token === undefined ? undefined : this.browserTokens.get(credentials.token);
    if (credentials.token !== undefined) this.browserTokens.delete(credentials.token);
    if (held === undefined || held.expiresAt <= this.clock.now() || held.proofKey !== credentials.proofKey) {
      return fail(Codes.incorrectCredentials, 'The browser login token is invalid, expired or was issued for another proof key.');
    }
    if (credentials.loginName !== undefined && credentials.loginName !== '' && credentials.loginName.toUpperCase() !== held.user.toUpperCase()) {
      return fail(Codes.incorrectCredentials, `The browser logged in as '${held.user}', not as '${credentials.loginName}'.`);
    }
    const user = this.users.findUser(held.user);
    if (user === undefined) return fail(Codes.incorrectCredentials, Messages.incorrectCredentials);
    if (user.disabled === true) return fail(Codes.userDisabled, Messages.userDisabled);
    if (!credentials.storeTemporaryCredential) return { ok: true, user };
    const idToken = newToken();
    this.idTokens.set(idToken, { user: user.name, expiresAt: this.clock.now() + idTokenSeconds * 1000 });
    return { ok: true, user, idToken: { token: idToken, validityInSeconds: idTokenSeconds } };
  }

  private idToken(credentials: Credentials): AuthOutcome {
    const held = credentials.token === undefined ? undefined : this.live(this.idTokens, credentials.token, credentials.loginName);
    const user = held === undefined ? undefined : this.users.findUser(held.user);
    if (user === undefined) return fail(Codes.idTokenInvalid, Messages.idTokenInvalid);
    return this.disabledOr(user, { ok: true, user });
  }

  /** A held token that has not expired and (when `userName` is given) belongs to that user. */
  private live(tokens: Map<string, HeldToken>, token: string, userName: string | undefined): HeldToken | undefined {
    const held = tokens.get(token);
    if (held === undefined) return undefined;
    if (held.expiresAt <= this.clock.now()) {
      tokens.delete(token);
      return undefined;
    }
    if (userName !== undefined && userName !== '' && userName.toUpperCase() !== held.user.toUpperCase()) return undefined;
    return held;
  }
}
