/**
 * The account store: the state records plus the indexes that keep lookups cheap with thousands of
 * services (grants by object, services by compute pool, role inheritance).
 *
 * Owns: adding and removing objects together with their grants, so indexes never drift from the
 * records; the role hierarchy (a role inherits every role granted to it, and every role inherits
 * PUBLIC); serialization of the state. Statements change the account only through this class or by
 * editing a record it returned and calling `touch`.
 *
 * Must not: check privileges (see `privileges.ts`) or derive time-dependent state (`lifecycle.ts`).
 */

import type { Clock } from '../contract';
import {
  stateVersion,
  type AccountState,
  type GatewayRecord,
  type GrantRecord,
  type ObjectType,
  type RoleGrantRecord,
  type ServiceRecord,
} from './model';
import { objectKey, schemaKey } from './names';

function grantIndexKey(type: ObjectType, name: string): string {
  return `${type}|${name}`;
}

export class AccountStore {
  private grantsByObject = new Map<string, GrantRecord[]>();
  private servicesByPool = new Map<string, Set<string>>();
  private inheritedCache = new Map<string, ReadonlySet<string>>();

  constructor(
    readonly clock: Clock,
    readonly state: AccountState,
  ) {
    this.rebuildIndexes();
  }

  now(): number {
    return this.clock.now();
  }

  nextSequence(): number {
    this.state.sequence += 1;
    return this.state.sequence;
  }

  serialize(): AccountState {
    return structuredClone(this.state);
  }

  private rebuildIndexes(): void {
    this.grantsByObject.clear();
    for (const grant of this.state.grants) {
      this.indexGrant(grant);
    }
    this.servicesByPool.clear();
    for (const [key, service] of Object.entries(this.state.services)) {
      this.poolSet(service.computePool).add(key);
    }
    this.inheritedCache.clear();
  }

  // ---- grants -----------------------------------------------------------------------------------

  private indexGrant(grant: GrantRecord): void {
    const key = grantIndexKey(grant.objectType, grant.objectName);
    const list = this.grantsByObject.get(key);
    if (list) {
      list.push(grant);
    } else {
      this.grantsByObject.set(key, [grant]);
    }
  }

  grantsOn(type: ObjectType, name: string): readonly GrantRecord[] {
    return this.grantsByObject.get(grantIndexKey(type, name)) ?? [];
  }

  grantsTo(role: string): GrantRecord[] {
    return this.state.grants.filter((grant) => grant.grantee === role);
  }

  /** Adds a privilege grant; a grant that already exists is left as it is. */
  grant(privilege: string, type: ObjectType, name: string, grantee: string, grantedBy: string, grantOption = false): void {
    const existing = this.grantsOn(type, name).find((grant) => grant.privilege === privilege && grant.grantee === grantee);
    if (existing) {
      existing.grantOption ||= grantOption;
      return;
    }
    const record: GrantRecord = { privilege, objectType: type, objectName: name, grantee, grantOption, grantedBy, createdOn: this.now() };
    this.state.grants.push(record);
    this.indexGrant(record);
  }

  revoke(privilege: string, type: ObjectType, name: string, grantee: string): boolean {
    const before = this.state.grants.length;
    this.state.grants = this.state.grants.filter(
      (grant) => !(grant.privilege === privilege && grant.objectType === type && grant.objectName === name && grant.grantee === grantee),
    );
    if (this.state.grants.length !== before) {
      this.rebuildGrantIndex();
      return true;
    }
    return false;
  }

  /** Ownership moves: the old OWNERSHIP grant is replaced. */
  setOwner(type: ObjectType, name: string, owner: string, grantedBy: string): void {
    this.state.grants = this.state.grants.filter((grant) => !(grant.privilege === 'OWNERSHIP' && grant.objectType === type && grant.objectName === name));
    this.rebuildGrantIndex();
    this.grant('OWNERSHIP', type, name, owner, grantedBy);
  }

  /** Forgets every grant on an object (when it is dropped). */
  dropGrantsOn(type: ObjectType, name: string): void {
    if (!this.grantsByObject.has(grantIndexKey(type, name))) {
      return;
    }
    this.state.grants = this.state.grants.filter((grant) => !(grant.objectType === type && grant.objectName === name));
    this.rebuildGrantIndex();
  }

  private rebuildGrantIndex(): void {
    this.grantsByObject.clear();
    for (const grant of this.state.grants) {
      this.indexGrant(grant);
    }
  }

  // ---- roles ------------------------------------------------------------------------------------

  grantRole(role: string, granteeType: 'ROLE' | 'USER', grantee: string, grantedBy: string): void {
    const exists = this.state.roleGrants.some((grant) => grant.role === role && grant.granteeType === granteeType && grant.grantee === grantee);
    if (!exists) {
      const record: RoleGrantRecord = { role, granteeType, grantee, grantedBy, createdOn: this.now() };
      this.state.roleGrants.push(record);
      this.inheritedCache.clear();
    }
  }

  revokeRole(role: string, granteeType: 'ROLE' | 'USER', grantee: string): boolean {
    const before = this.state.roleGrants.length;
    this.state.roleGrants = this.state.roleGrants.filter((grant) => !(grant.role === role && grant.granteeType === granteeType && grant.grantee === grantee));
    this.inheritedCache.clear();
    return this.state.roleGrants.length !== before;
  }

  /** The role itself, every role granted to it (transitively), and PUBLIC. */
  inheritedRoles(role: string): ReadonlySet<string> {
    const cached = this.inheritedCache.get(role);
    if (cached) {
      return cached;
    }
    const result = new Set<string>();
    const queue = [role, 'PUBLIC'];
    while (queue.length > 0) {
      const current = queue.shift();
      if (current === undefined || result.has(current) || !this.state.roles[current]) {
        continue;
      }
      result.add(current);
      for (const grant of this.state.roleGrants) {
        if (grant.granteeType === 'ROLE' && grant.grantee === current) {
          queue.push(grant.role);
        }
      }
    }
    this.inheritedCache.set(role, result);
    return result;
  }

  /** Roles a user may activate: those granted to the user, what they inherit, and PUBLIC. */
  rolesOfUser(user: string): string[] {
    const result = new Set<string>();
    for (const grant of this.state.roleGrants) {
      if (grant.granteeType === 'USER' && grant.grantee === user) {
        for (const role of this.inheritedRoles(grant.role)) {
          result.add(role);
        }
      }
    }
    if (this.state.roles.PUBLIC) {
      result.add('PUBLIC');
    }
    return [...result].sort();
  }

  dropRole(role: string): void {
    delete this.state.roles[role];
    this.state.roleGrants = this.state.roleGrants.filter((grant) => grant.role !== role && !(grant.granteeType === 'ROLE' && grant.grantee === role));
    this.state.grants = this.state.grants.filter((grant) => grant.grantee !== role);
    this.state.serviceRoleGrants = this.state.serviceRoleGrants.filter((grant) => grant.grantee !== role);
    this.rebuildGrantIndex();
    this.inheritedCache.clear();
  }

  // ---- services ---------------------------------------------------------------------------------

  private poolSet(pool: string): Set<string> {
    let set = this.servicesByPool.get(pool);
    if (!set) {
      set = new Set();
      this.servicesByPool.set(pool, set);
    }
    return set;
  }

  addService(service: ServiceRecord): string {
    const key = objectKey(service);
    this.state.services[key] = service;
    this.poolSet(service.computePool).add(key);
    return key;
  }

  removeService(key: string): void {
    const service = this.state.services[key];
    if (!service) {
      return;
    }
    delete this.state.services[key];
    this.servicesByPool.get(service.computePool)?.delete(key);
    this.state.serviceRoleGrants = this.state.serviceRoleGrants.filter((grant) => grant.service !== key);
    this.dropGrantsOn('SERVICE', key);
  }

  servicesInPool(pool: string): ServiceRecord[] {
    const keys = this.servicesByPool.get(pool);
    if (!keys) {
      return [];
    }
    const result: ServiceRecord[] = [];
    for (const key of keys) {
      const service = this.state.services[key];
      if (service) {
        result.push(service);
      }
    }
    return result;
  }

  // ---- other objects ----------------------------------------------------------------------------

  removeComputePool(name: string): void {
    delete this.state.computePools[name];
    this.servicesByPool.delete(name);
    this.dropGrantsOn('COMPUTE_POOL', name);
  }

  removeSchemaObject(kind: 'imageRepositories' | 'stages' | 'secrets' | 'gateways', key: string): void {
    delete this.state[kind]?.[key];
    const type: ObjectType = kind === 'imageRepositories' ? 'IMAGE_REPOSITORY' : kind === 'stages' ? 'STAGE' : kind === 'gateways' ? 'GATEWAY' : 'SECRET';
    this.dropGrantsOn(type, key);
  }

  /** The gateways table (created on first use: states saved before gateways existed have none). */
  gateways(): Record<string, GatewayRecord> {
    this.state.gateways ??= {};
    return this.state.gateways;
  }

  /** Drops a schema and everything in it. */
  removeSchema(database: string, schema: string): void {
    const key = schemaKey(database, schema);
    for (const [serviceKey, service] of Object.entries(this.state.services)) {
      if (service.database === database && service.schema === schema) {
        this.removeService(serviceKey);
      }
    }
    for (const kind of ['imageRepositories', 'stages', 'secrets', 'gateways'] as const) {
      const table: Record<string, { database: string; schema: string }> = this.state[kind] ?? {};
      for (const [objectKeyText, record] of Object.entries(table)) {
        if (record.database === database && record.schema === schema) {
          this.removeSchemaObject(kind, objectKeyText);
        }
      }
    }
    for (const [functionKey, record] of Object.entries(this.state.functions ?? {})) {
      if (record.database === database && record.schema === schema) {
        delete this.state.functions?.[functionKey];
      }
    }
    delete this.state.schemas[key];
    this.dropGrantsOn('SCHEMA', key);
  }

  removeDatabase(database: string): void {
    for (const schema of Object.values(this.state.schemas)) {
      if (schema.database === database) {
        this.removeSchema(database, schema.name);
      }
    }
    delete this.state.databases[database];
    this.dropGrantsOn('DATABASE', database);
  }

  schemasOf(database: string): string[] {
    return Object.values(this.state.schemas)
      .filter((schema) => schema.database === database)
      .map((schema) => schema.name);
  }
}

/** A fresh state with nothing in it but the account itself. */
export function emptyState(name: string, createdOn: number): AccountState {
  return {
    version: stateVersion,
    name,
    organization: 'EMULATOR',
    region: 'AWS_US_WEST_2',
    createdOn,
    sequence: 0,
    databases: {},
    schemas: {},
    roles: {},
    users: {},
    warehouses: {},
    computePools: {},
    integrations: {},
    services: {},
    imageRepositories: {},
    stages: {},
    secrets: {},
    grants: [],
    roleGrants: [],
    serviceRoleGrants: [],
  };
}
