/**
 * The UserDirectory the protocol side authenticates against: users with every credential they can
 * log in with, the roles they may use, and the names that login parameters may refer to.
 *
 * Names are matched as Snowflake matches them: user names case-insensitively; roles, databases,
 * schemas and warehouses as identifiers (`"Quoted"` keeps its case, anything else is upper-cased).
 */

import type { EmulatedUser, UserDirectory } from '../contract';
import type { UserRecord } from './model';
import { canonicalFromText, schemaKey } from './names';
import type { AccountStore } from './store';

function findRecord(store: AccountStore, name: string): UserRecord | undefined {
  const upper = name.trim().toUpperCase();
  return store.state.users[name] ?? Object.values(store.state.users).find((user) => user.name.toUpperCase() === upper || user.loginName.toUpperCase() === upper);
}

function toEmulatedUser(user: UserRecord): EmulatedUser {
  return {
    name: user.name,
    defaultRole: user.defaultRole,
    ...(user.password !== undefined ? { password: user.password } : {}),
    ...(user.mfaPasscode !== undefined ? { mfaPasscode: user.mfaPasscode } : {}),
    ...(user.programmaticAccessTokens ? { programmaticAccessTokens: [...user.programmaticAccessTokens] } : {}),
    ...(user.rsaPublicKeys ? { rsaPublicKeys: [...user.rsaPublicKeys] } : {}),
    ...(user.oauthTokens ? { oauthTokens: [...user.oauthTokens] } : {}),
    ...(user.externalBrowser !== undefined ? { externalBrowser: user.externalBrowser } : {}),
    ...(user.defaultWarehouse !== undefined ? { defaultWarehouse: user.defaultWarehouse } : {}),
    ...(user.defaultDatabase !== undefined ? { defaultDatabase: user.defaultDatabase } : {}),
    ...(user.defaultSchema !== undefined ? { defaultSchema: user.defaultSchema } : {}),
    ...(user.disabled !== undefined ? { disabled: user.disabled } : {}),
  };
}

export function createUserDirectory(store: AccountStore): UserDirectory {
  return {
    findUser(name) {
      const user = findRecord(store, name);
      return user ? toEmulatedUser(user) : undefined;
    },
    rolesOf(name) {
      const user = findRecord(store, name);
      return user ? store.rolesOfUser(user.name) : [];
    },
    hasRole(role) {
      return Boolean(store.state.roles[canonicalFromText(role)] ?? store.state.roles[role]);
    },
    hasDatabase(database) {
      return Boolean(store.state.databases[canonicalFromText(database)] ?? store.state.databases[database]);
    },
    hasSchema(database, schema) {
      const db = store.state.databases[database] ? database : canonicalFromText(database);
      return Boolean(store.state.schemas[schemaKey(db, canonicalFromText(schema))] ?? store.state.schemas[schemaKey(db, schema)]);
    },
    hasWarehouse(warehouse) {
      return Boolean(store.state.warehouses[canonicalFromText(warehouse)] ?? store.state.warehouses[warehouse]);
    },
  };
}
