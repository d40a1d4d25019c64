/**
 * Access control: what the session's current role may see and do.
 *
 * Owns: the rule that a role holds every privilege granted to it or to a role it inherits
 * (`store.inheritedRoles`), that OWNERSHIP implies every privilege on its object, and the emulator's
 * simplification that ACCOUNTADMIN holds every privilege on everything (in Snowflake it reaches
 * objects through the role hierarchy and MANAGE GRANTS; the emulator's seeds grant every custom
 * role to SYSADMIN → ACCOUNTADMIN, so the outcome is the same).
 *
 * Must not: raise errors (statements pick the Snowflake message) or know statement syntax.
 */

import type { ObjectType } from './model';
import type { AccountStore } from './store';

export class Access {
  readonly roles: ReadonlySet<string>;
  readonly isAdmin: boolean;

  constructor(
    private readonly store: AccountStore,
    readonly role: string,
  ) {
    this.roles = store.inheritedRoles(role);
    this.isAdmin = this.roles.has('ACCOUNTADMIN');
  }

  /** Privileges the role holds on the object (OWNERSHIP included when owned). */
  privilegesOn(type: ObjectType, name: string): Set<string> {
    const result = new Set<string>();
    for (const grant of this.store.grantsOn(type, name)) {
      if (this.roles.has(grant.grantee)) {
        result.add(grant.privilege);
      }
    }
    return result;
  }

  /** Whether the role holds any privilege on the object (what SHOW and DESCRIBE need). */
  canSee(type: ObjectType, name: string): boolean {
    if (this.isAdmin) {
      return true;
    }
    for (const grant of this.store.grantsOn(type, name)) {
      if (this.roles.has(grant.grantee)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the role holds one of `privileges` (or OWNERSHIP) on the object. */
  has(type: ObjectType, name: string, ...privileges: string[]): boolean {
    if (this.isAdmin) {
      return true;
    }
    for (const grant of this.store.grantsOn(type, name)) {
      if (this.roles.has(grant.grantee) && (grant.privilege === 'OWNERSHIP' || privileges.includes(grant.privilege))) {
        return true;
      }
    }
    return false;
  }

  owns(type: ObjectType, name: string): boolean {
    return this.has(type, name);
  }

  /** An account-level privilege such as CREATE COMPUTE POOL or BIND SERVICE ENDPOINT. */
  hasOnAccount(privilege: string): boolean {
    return this.isAdmin || this.has('ACCOUNT', this.store.state.name, privilege);
  }

  /** MANAGE GRANTS: ACCOUNTADMIN and SECURITYADMIN by default. */
  canManageGrants(): boolean {
    return this.isAdmin || this.roles.has('SECURITYADMIN') || this.hasOnAccount('MANAGE GRANTS');
  }
}

/** The owner role of an object, if it has one. */
export function ownerOf(store: AccountStore, type: ObjectType, name: string): string | undefined {
  return store.grantsOn(type, name).find((grant) => grant.privilege === 'OWNERSHIP')?.grantee;
}
