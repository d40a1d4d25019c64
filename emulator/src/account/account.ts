/**
 * The emulated account: what the protocol side serves (users, the SQL engine, serialization) plus
 * the controls tests, demos and benchmarks use to arrange situations that SQL cannot (users with
 * credentials, files on stages, images pushed to repositories, container restarts, thousands of
 * services at once).
 *
 * Owns: building the account from a seed ('demo' or 'empty', see `seed.ts`) or from a saved state
 * (`serialize()` output, e.g. the `--state FILE` of the CLI), and rejecting a state it cannot read.
 *
 * Time: the account reads the given clock; while seeding it pins the clock to moments in the past
 * so that seeded services are already running when the emulator starts.
 */

import type { Clock, EmulatedAccount, PendingResult, ResultSet, SessionContext } from '../contract';
import { createSqlEngine } from '../sql/engine';
import { sha256Hex } from './hashing';
import { stateVersion, type AccountState, type ImageRepositoryRecord, type StageRecord, type UserRecord } from './model';
import { canonicalFromText, objectKey, parseDottedName } from './names';
import { seedAccount, seedServices, type SeedServicesOptions } from './seed';
import { AccountStore } from './store';
import { createUserDirectory } from './users';

export interface NewUser {
  readonly name: string;
  readonly password?: string;
  readonly defaultRole?: string;
  /** Roles granted to the user (they must exist); PUBLIC is implicit. Defaults to the default role. */
  readonly roles?: readonly string[];
  readonly defaultWarehouse?: string;
  readonly defaultDatabase?: string;
  readonly defaultSchema?: string;
  readonly mfaPasscode?: string;
  readonly programmaticAccessTokens?: readonly string[];
  readonly rsaPublicKeys?: readonly string[];
  readonly oauthTokens?: readonly string[];
  readonly externalBrowser?: boolean;
  readonly disabled?: boolean;
}

export interface AccountControl {
  /** The store behind the account (records, grants); for assertions and advanced setups. */
  readonly store: AccountStore;
  /** Adds or replaces a user and grants it its roles. */
  addUser(user: NewUser): void;
  /** Puts a file on an emulated stage (`'DB.SCHEMA.STAGE'`, `'@db.schema.stage'`), replacing one at the same path. */
  putStageFile(stage: string, path: string, content: string): void;
  /** Pushes an image tag to a repository (`'DB.SCHEMA.REPO'`); returns its digest. */
  pushImage(repository: string, image: string, tag: string, options?: { readonly sizeBytes?: number }): string;
  /** Records a crash and restart of a container (its current logs become the "previous" logs). */
  restartContainer(service: string, instance: number, container: string, options?: { readonly exitCode?: number; readonly at?: number }): void;
  /** Creates many running services quickly (benchmarks): `count` services in one schema, `inPool` of them in one pool. */
  seedServices(count: number, options?: SeedServicesOptions): string[];
  /** Runs SQL as the given session (by default DEMO_USER as ACCOUNTADMIN with no current database). */
  run(sql: string, session?: Partial<SessionContext>): ResultSet | PendingResult;
  /**
   * Runs SQL as if at an earlier moment (epoch ms), the way the demo seed builds its past: a service
   * created a day ago has a day of events, metrics and logs. Statements should run in time order.
   */
  runAt(time: number, sql: string, session?: Partial<SessionContext>): ResultSet | PendingResult;
}

export type Account = EmulatedAccount & { readonly control: AccountControl };

export interface CreateAccountOptions {
  readonly clock: Clock;
  readonly seed?: 'demo' | 'empty';
  /** A state saved by `serialize()`; wins over `seed`. */
  readonly state?: unknown;
}

/** The clock the account reads: the real one, or a pinned moment while seeding. */
class PinnableClock implements Clock {
  pinned: number | undefined;

  constructor(private readonly base: Clock) {}

  now(): number {
    return this.pinned ?? this.base.now();
  }
}

function isAccountState(value: unknown): value is AccountState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Partial<AccountState>;
  return (
    state.version === stateVersion &&
    typeof state.name === 'string' &&
    [state.databases, state.schemas, state.roles, state.users, state.warehouses, state.computePools, state.services, state.imageRepositories, state.stages, state.secrets, state.integrations].every(
      (table) => typeof table === 'object' && table !== null,
    ) &&
    Array.isArray(state.grants) &&
    Array.isArray(state.roleGrants) &&
    Array.isArray(state.serviceRoleGrants)
  );
}

export function createAccount(options: CreateAccountOptions): Account {
  const clock = new PinnableClock(options.clock);
  let store: AccountStore;
  if (options.state !== undefined) {
    if (!isAccountState(options.state)) {
      throw new Error(`Unsupported emulator state: expected an object saved by serialize() with version ${stateVersion}.`);
    }
    store = new AccountStore(clock, structuredClone(options.state));
  } else {
    store = seedAccount(clock, options.seed ?? 'empty', (time) => {
      clock.pinned = time;
    });
    clock.pinned = undefined;
  }
  const engine = createSqlEngine(store);
  const pin = (time: number | undefined): void => {
    clock.pinned = time;
  };
  const control = createControl(store, engine.execute.bind(engine), pin);
  return {
    get name() {
      return store.state.name;
    },
    users: createUserDirectory(store),
    engine,
    serialize: () => store.serialize(),
    control,
  };
}

function dotted(text: string): string {
  const parts = parseDottedName(text.replace(/^@/, ''));
  if (!parts || parts.length !== 3) {
    throw new Error(`Expected a fully qualified name DB.SCHEMA.NAME, got '${text}'.`);
  }
  return objectKey({ database: parts[0] as string, schema: parts[1] as string, name: parts[2] as string });
}

function createControl(store: AccountStore, execute: (sql: string, session: SessionContext) => ResultSet | PendingResult, pin: (time: number | undefined) => void): AccountControl {
  const run = (sql: string, session: Partial<SessionContext> = {}): ResultSet | PendingResult =>
    execute(sql, { sessionId: 'control', user: 'DEMO_USER', role: 'ACCOUNTADMIN', database: undefined, schema: undefined, warehouse: undefined, ...session });
  return {
    store,
    addUser(user) {
      const name = canonicalFromText(user.name);
      const defaultRole = user.defaultRole !== undefined ? canonicalFromText(user.defaultRole) : 'PUBLIC';
      const record: UserRecord = {
        name,
        loginName: name,
        defaultRole,
        createdOn: store.now(),
        ...(user.password !== undefined ? { password: user.password } : {}),
        ...(user.defaultWarehouse !== undefined ? { defaultWarehouse: canonicalFromText(user.defaultWarehouse) } : {}),
        ...(user.defaultDatabase !== undefined ? { defaultDatabase: canonicalFromText(user.defaultDatabase) } : {}),
        ...(user.defaultSchema !== undefined ? { defaultSchema: canonicalFromText(user.defaultSchema) } : {}),
        ...(user.mfaPasscode !== undefined ? { mfaPasscode: user.mfaPasscode } : {}),
        ...(user.programmaticAccessTokens ? { programmaticAccessTokens: [...user.programmaticAccessTokens] } : {}),
        ...(user.rsaPublicKeys ? { rsaPublicKeys: [...user.rsaPublicKeys] } : {}),
        ...(user.oauthTokens ? { oauthTokens: [...user.oauthTokens] } : {}),
        ...(user.externalBrowser !== undefined ? { externalBrowser: user.externalBrowser } : {}),
        ...(user.disabled !== undefined ? { disabled: user.disabled } : {}),
      };
      store.state.users[name] = record;
      for (const role of user.roles ?? [defaultRole]) {
        const roleName = canonicalFromText(role);
        if (!store.state.roles[roleName]) throw new Error(`Role ${roleName} does not exist.`);
        store.grantRole(roleName, 'USER', name, 'ACCOUNTADMIN');
      }
    },
    putStageFile(stage, path, content) {
      const key = dotted(stage);
      const record: StageRecord | undefined = store.state.stages[key];
      if (!record) throw new Error(`Stage ${key} does not exist.`);
      const normalized = path.replace(/^\/+/, '');
      record.files = record.files.filter((file) => file.path !== normalized);
      record.files.push({ path: normalized, content, lastModified: store.now() });
    },
    pushImage(repository, image, tag, options = {}) {
      const key = dotted(repository);
      const record: ImageRepositoryRecord | undefined = store.state.imageRepositories[key];
      if (!record) throw new Error(`Image repository ${key} does not exist.`);
      const name = image.toLowerCase();
      const digest = `sha256:${sha256Hex(`${key}/${name}:${tag}@${store.now()}`)}`;
      for (const existing of record.images) {
        if (existing.name === name) existing.tags = existing.tags.filter((candidate) => candidate !== tag);
      }
      record.images = record.images.filter((existing) => existing.tags.length > 0);
      record.images.push({ name, tags: [tag], digest, sizeBytes: options.sizeBytes ?? 48_000_000, createdOn: store.now() });
      return digest;
    },
    restartContainer(service, instance, container, options = {}) {
      const key = dotted(service);
      const record = store.state.services[key];
      if (!record) throw new Error(`Service ${key} does not exist.`);
      if (!record.current.spec.containers.some((candidate) => candidate.name === container)) throw new Error(`Service ${key} has no container ${container}.`);
      record.restarts.push({ instance, container, at: options.at ?? store.now(), exitCode: options.exitCode ?? 1 });
    },
    seedServices(count, options) {
      return seedServices(store, count, options);
    },
    run,
    runAt(time, sql, session) {
      pin(time);
      try {
        return run(sql, session);
      } finally {
        pin(undefined);
      }
    },
  };
}
