/**
 * The SQL engine: parses one statement and runs it against the emulated account.
 *
 * Owns: the dispatch from statement kinds to the statement modules (`statements/*`), and one
 * language service instance shared by every statement of the account (it validates service specs).
 *
 * Must not: know HTTP or sessions beyond the SessionContext it is given (the protocol side owns
 * both); keep state of its own (everything lives in the account store).
 */

import { SpcsLanguageService } from '../../../server/src/service';
import type { AccountStore } from '../account/store';
import type { ExecuteOptions, PendingResult, ResultSet, SessionContext, SqlEngine } from '../contract';
import type { Statement } from './ast';
import { createContext, type StatementContext } from './context';
import { parseStatement } from './parser';
import { alterComputePool, createComputePool, describeComputePool, dropComputePool, showComputePools } from './statements/computePools';
import { showInstanceFamilies } from './statements/instanceFamilies';
import { call, select } from './statements/functions';
import { alterGateway, createGateway, describeGateway, dropGateway, showGateways } from './statements/gateways';
import { grantPrivileges, grantRole, grantServiceRole, showGrants } from './statements/grants';
import { executeJobService } from './statements/jobs';
import { showEndpoints, showRolesInService, showServiceContainers, showServiceInstances } from './statements/listings';
import { createObject, dropObject } from './statements/objectDdl';
import { listStage, showObjects } from './statements/objects';
import { alterAccount, showParameters } from './statements/parameters';
import { showImageRepositories, showImages } from './statements/registry';
import { createFunction, describeFunction, dropFunction } from './statements/serviceFunctions';
import { alterService, createService, describeService, dropService, showServices } from './statements/services';
import { use } from './statements/session';
import { selectFromTable } from './statements/telemetry';

export function createSqlEngine(store: AccountStore): SqlEngine {
  const languageService = new SpcsLanguageService({ cacheSize: 4 });
  return {
    execute(sql: string, session: SessionContext, options?: ExecuteOptions): ResultSet | PendingResult {
      const statement = parseStatement(sql, options?.binds);
      return run(createContext(store, session, languageService, options), statement);
    },
  };
}

function run(ctx: StatementContext, statement: Statement): ResultSet | PendingResult {
  switch (statement.kind) {
    case 'showComputePools':
      return showComputePools(ctx, statement.filter);
    case 'describeComputePool':
      return describeComputePool(ctx, statement.name);
    case 'showInstanceFamilies':
      return showInstanceFamilies(ctx, statement.filter);
    case 'createComputePool':
      return createComputePool(ctx, statement.name, statement.ifNotExists, statement.properties, statement.tags);
    case 'alterComputePool':
      return alterComputePool(ctx, statement.name, statement.ifExists, statement.action);
    case 'dropComputePool':
      return dropComputePool(ctx, statement.name, statement.ifExists);
    case 'showGateways':
      return showGateways(ctx, statement.filter, statement.in);
    case 'describeGateway':
      return describeGateway(ctx, statement.name);
    case 'createGateway':
      return createGateway(ctx, statement.name, statement.orReplace, statement.ifNotExists, statement.specification, statement.properties);
    case 'alterGateway':
      return alterGateway(ctx, statement.name, statement.ifExists, statement.action);
    case 'dropGateway':
      return dropGateway(ctx, statement.name, statement.ifExists);
    case 'showServices':
      return showServices(ctx, statement.jobsOnly, statement.excludeJobs, statement.filter, statement.in);
    case 'describeService':
      return describeService(ctx, statement.name);
    case 'createService':
      return createService(ctx, statement.name, statement.ifNotExists, statement.clauses);
    case 'alterService':
      return alterService(ctx, statement.name, statement.ifExists, statement.action);
    case 'dropService':
      return dropService(ctx, statement.name, statement.ifExists, statement.force);
    case 'executeJob':
      return executeJobService(ctx, statement.clauses);
    case 'showInService':
      return statement.what === 'instances'
        ? showServiceInstances(ctx, statement.service)
        : statement.what === 'containers'
          ? showServiceContainers(ctx, statement.service)
          : statement.what === 'endpoints'
            ? showEndpoints(ctx, statement.service)
            : showRolesInService(ctx, statement.service);
    case 'showImageRepositories':
      return showImageRepositories(ctx, statement.filter, statement.in);
    case 'showImages':
      return showImages(ctx, statement.filter, statement.repository);
    case 'showObjects':
      return showObjects(ctx, statement.objects, statement.filter, statement.in);
    case 'showGrants':
      return showGrants(ctx, statement.target);
    case 'use':
      return use(ctx, statement.target, statement.name);
    case 'select':
      return select(ctx, statement.items);
    case 'selectFromTable':
      return selectFromTable(ctx, statement.query);
    case 'alterAccount':
      return alterAccount(ctx, statement.action);
    case 'showParameters':
      return showParameters(ctx, statement.like, statement.scope);
    case 'call':
      return call(ctx, statement.call);
    case 'grantPrivileges':
      return grantPrivileges(ctx, statement.revoke, statement.privileges, statement.objectKind, statement.name, statement.role, statement.grantOption);
    case 'grantRole':
      return grantRole(ctx, statement.revoke, statement.role, statement.granteeType, statement.grantee);
    case 'grantServiceRole':
      return grantServiceRole(ctx, statement.revoke, statement.service, statement.serviceRole, statement.role);
    case 'createObject':
      return createObject(ctx, statement.objects, statement.name, statement.orReplace, statement.ifNotExists, statement.properties);
    case 'dropObject':
      return dropObject(ctx, statement.objects, statement.name, statement.ifExists);
    case 'listStage':
      return listStage(ctx, statement.stage, statement.pattern);
    case 'createFunction':
      return createFunction(ctx, statement.orReplace, statement.ifNotExists, statement.definition);
    case 'describeFunction':
      return describeFunction(ctx, statement.name, statement.argumentTypes);
    case 'dropFunction':
      return dropFunction(ctx, statement.ifExists, statement.name, statement.argumentTypes);
  }
}
