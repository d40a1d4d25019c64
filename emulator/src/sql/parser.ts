/**
 * The SQL parser: a hand-written recursive-descent grammar for the statements the emulator
 * implements (SPCS compute pools, services, jobs, image registry, stages, secrets, grants, session
 * statements, SELECT of session and SPCS system functions, SELECT … FROM TABLE(<service>!SPCS_GET_…)
 * with WHERE / GROUP BY / ORDER BY / LIMIT, whose expressions `expressionParser.ts` reads,
 * ALTER ACCOUNT SET / UNSET LOG_EVENT_LEVEL, SHOW PARAMETERS IN ACCOUNT / SERVICE).
 *
 * Owns: statement counting (several statements are an error, as with MULTI_STATEMENT_COUNT = 1),
 * keyword order where Snowflake fixes it and free clause order where the docs contradict
 * themselves (CREATE SERVICE / EXECUTE JOB SERVICE clauses, reference §6.6), syntax errors at the
 * offending token, and "Unsupported feature" for valid Snowflake statements the emulator does not
 * implement (so nothing silently succeeds).
 *
 * Must not: look at the account; statements do that.
 *
 * Over 400 lines on purpose: one grammar, read best whole (each statement's rule beside the others).
 */

import { parseDottedName } from '../account/names';
import type { TemplateValue } from '../account/templates';
import type {
  Expression,
  GatewayAction,
  GrantObjectKind,
  OrderItem,
  QueryItem,
  SqlExpression,
  TableQuery,
  TelemetryFunction,
  GrantTarget,
  InClause,
  ListingKind,
  Name,
  ObjectKind,
  PoolAction,
  Properties,
  SelectItem,
  ServiceAction,
  ServiceFunctionDefinition,
  ShowFilter,
  SpecClauses,
  SpecSource,
  StageReference,
  Statement,
  Value,
} from './ast';
import { SqlErrors } from './errors';
import { clauseWords, dataType, expression, selectItems } from './expressionParser';
import { tokenize, type Token } from './lexer';
import { TokenReader } from './tokenReader';

export function parseStatement(sql: string, binds?: readonly (string | null)[]): Statement {
  const tokens = tokenize(sql);
  const count = countStatements(tokens);
  if (count === 0) {
    throw SqlErrors.emptyStatement();
  }
  if (count > 1) {
    throw SqlErrors.statementCount(count);
  }
  const reader = new TokenReader(tokens, binds);
  while (reader.acceptPunct(';')) {
    // Leading empty statements (`;; SELECT 1`) do not count.
  }
  const result = statement(reader);
  while (reader.acceptPunct(';')) {
    // A trailing `;` is allowed.
  }
  if (!reader.atEnd()) {
    throw reader.error();
  }
  return result;
}

function countStatements(tokens: readonly Token[]): number {
  let count = 0;
  let inStatement = false;
  for (const token of tokens) {
    if (token.kind === 'eof' || (token.kind === 'punct' && token.value === ';')) {
      if (inStatement) count++;
      inStatement = false;
    } else {
      inStatement = true;
    }
  }
  return count;
}

/** Statement verbs Snowflake knows but the emulator does not implement. */
const otherVerbs = new Set([
  'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY', 'PUT', 'GET', 'REMOVE', 'RM', 'BEGIN', 'START', 'COMMIT', 'ROLLBACK',
  'SET', 'UNSET', 'EXPLAIN', 'WITH', 'TRUNCATE', 'UNDROP', 'COMMENT', 'EXECUTE', 'VALUES',
]);

function unsupportedFrom(reader: TokenReader, words: number): Error {
  const parts: string[] = [];
  for (let i = 0; i < words; i++) {
    const token = reader.peek(i);
    if (token.kind !== 'word') break;
    parts.push(token.value.toUpperCase());
  }
  return SqlErrors.unsupported(parts.join(' '));
}

function statement(r: TokenReader): Statement {
  const first = r.peek();
  if (first.kind !== 'word') {
    throw r.error();
  }
  switch (first.value.toUpperCase()) {
    case 'SHOW':
      r.next();
      return show(r);
    case 'DESC':
    case 'DESCRIBE':
      r.next();
      return describe(r);
    case 'CREATE':
      r.next();
      return create(r);
    case 'ALTER':
      r.next();
      return alter(r);
    case 'DROP':
      r.next();
      return drop(r);
    case 'EXECUTE':
      if (r.isWords('EXECUTE JOB SERVICE')) {
        r.expectWords('EXECUTE JOB SERVICE');
        return { kind: 'executeJob', clauses: specClauses(r, 'EXECUTE JOB SERVICE') };
      }
      throw unsupportedFrom(r, 2);
    case 'USE':
      r.next();
      return use(r);
    case 'SELECT':
      r.next();
      return select(r);
    case 'CALL': {
      r.next();
      const start = r.peek();
      const called = constantExpression(expression(r));
      if (called.kind !== 'call') throw r.error(start);
      return { kind: 'call', call: called };
    }
    case 'GRANT':
    case 'REVOKE':
      return grant(r);
    case 'LIST':
    case 'LS': {
      r.next();
      const stage = stageReference(r);
      const properties = r.properties();
      const pattern = properties.get('PATTERN');
      return { kind: 'listStage', stage, ...(pattern?.kind === 'string' ? { pattern: pattern.value } : {}) };
    }
    default:
      if (otherVerbs.has(first.value.toUpperCase())) {
        throw unsupportedFrom(r, 1);
      }
      throw r.error();
  }
}

// ---- SHOW ----------------------------------------------------------------------------------------------

function showFilter(r: TokenReader, allowIn: boolean): { filter: ShowFilter; in?: InClause } {
  let like: string | undefined;
  let startsWith: string | undefined;
  let limit: number | undefined;
  let from: string | undefined;
  let inClause: InClause | undefined;
  if (r.acceptWords('LIKE')) like = r.string();
  if (allowIn && r.acceptWords('IN')) inClause = parseIn(r);
  if (r.acceptWords('STARTS WITH')) startsWith = r.string();
  if (r.acceptWords('LIMIT')) {
    limit = r.integer();
    if (r.acceptWords('FROM')) from = r.string();
  }
  const filter: ShowFilter = {
    ...(like !== undefined ? { like } : {}),
    ...(startsWith !== undefined ? { startsWith } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(from !== undefined ? { from } : {}),
  };
  return inClause ? { filter, in: inClause } : { filter };
}

function nameFollows(r: TokenReader): boolean {
  return r.isIdentifierStart() && !r.isWord('STARTS') && !r.isWord('LIMIT');
}

function parseIn(r: TokenReader): InClause {
  if (r.acceptWords('ACCOUNT')) return { kind: 'account' };
  if (r.acceptWords('COMPUTE POOL')) return { kind: 'computePool', name: r.qualifiedName() };
  if (r.acceptWords('DATABASE')) return nameFollows(r) ? { kind: 'database', name: r.qualifiedName() } : { kind: 'database' };
  if (r.acceptWords('SCHEMA')) return nameFollows(r) ? { kind: 'schema', name: r.qualifiedName() } : { kind: 'schema' };
  if (r.isWord('APPLICATION')) throw unsupportedFrom(r, 1);
  return { kind: 'schema', name: r.qualifiedName() };
}

const listings: Readonly<Record<string, ListingKind>> = {
  STAGES: 'STAGES',
  SECRETS: 'SECRETS',
  DATABASES: 'DATABASES',
  SCHEMAS: 'SCHEMAS',
  WAREHOUSES: 'WAREHOUSES',
  USERS: 'USERS',
  INTEGRATIONS: 'INTEGRATIONS',
};

function inService(r: TokenReader): Name {
  r.expectWords('IN SERVICE');
  return r.qualifiedName();
}

function show(r: TokenReader): Statement {
  if (r.acceptWords('COMPUTE POOLS')) {
    return { kind: 'showComputePools', filter: showFilter(r, false).filter };
  }
  if (r.acceptWords('COMPUTE POOL INSTANCE FAMILIES')) {
    return { kind: 'showInstanceFamilies', filter: showFilter(r, false).filter };
  }
  if (r.isWord('SERVICES') || r.isWords('JOB SERVICES')) {
    const jobsOnly = r.acceptWords('JOB');
    r.expectWords('SERVICES');
    const excludeJobs = r.acceptWords('EXCLUDE JOBS');
    if (jobsOnly && excludeJobs) throw r.error();
    const { filter, in: inClause } = showFilter(r, true);
    if (r.isWords('OF TYPE')) throw unsupportedFrom(r, 2);
    return { kind: 'showServices', jobsOnly, excludeJobs, filter, ...(inClause ? { in: inClause } : {}) };
  }
  if (r.acceptWords('SERVICE INSTANCES')) return { kind: 'showInService', what: 'instances', service: inService(r) };
  if (r.acceptWords('SERVICE CONTAINERS')) return { kind: 'showInService', what: 'containers', service: inService(r) };
  if (r.acceptWords('ENDPOINTS')) return { kind: 'showInService', what: 'endpoints', service: inService(r) };
  if (r.isWords('ROLES IN SERVICE')) {
    r.expectWords('ROLES');
    return { kind: 'showInService', what: 'roles', service: inService(r) };
  }
  if (r.acceptWords('ROLES')) {
    return { kind: 'showObjects', objects: 'ROLES', filter: showFilter(r, false).filter };
  }
  if (r.acceptWords('IMAGE REPOSITORIES')) {
    const { filter, in: inClause } = showFilter(r, true);
    return { kind: 'showImageRepositories', filter, ...(inClause ? { in: inClause } : {}) };
  }
  if (r.acceptWords('GATEWAYS')) {
    const { filter, in: inClause } = showFilter(r, true);
    return { kind: 'showGateways', filter, ...(inClause ? { in: inClause } : {}) };
  }
  if (r.acceptWords('IMAGES')) {
    let like: string | undefined;
    if (r.acceptWords('LIKE')) like = r.string();
    r.expectWords('IN IMAGE REPOSITORY');
    return { kind: 'showImages', filter: like !== undefined ? { like } : {}, repository: r.qualifiedName() };
  }
  if (r.acceptWords('EXTERNAL ACCESS INTEGRATIONS')) {
    return { kind: 'showObjects', objects: 'INTEGRATIONS', filter: showFilter(r, false).filter };
  }
  if (r.acceptWords('GRANTS')) {
    return { kind: 'showGrants', target: grantTarget(r) };
  }
  if (r.acceptWords('PARAMETERS')) {
    const like = r.acceptWords('LIKE') ? r.string() : undefined;
    const withLike = like !== undefined ? { like } : {};
    if (!r.acceptWords('IN') && !r.acceptWords('FOR')) throw SqlErrors.unsupported('SHOW PARAMETERS of the session');
    if (r.acceptWords('ACCOUNT')) return { kind: 'showParameters', ...withLike, scope: { kind: 'account' } };
    if (r.acceptWords('SERVICE')) return { kind: 'showParameters', ...withLike, scope: { kind: 'service', name: r.qualifiedName() } };
    throw unsupportedFrom(r, 1);
  }
  const word = r.peek().kind === 'word' ? r.peek().value.toUpperCase() : '';
  const listing = listings[word];
  if (listing) {
    r.next();
    const { filter, in: inClause } = showFilter(r, listing === 'STAGES' || listing === 'SECRETS' || listing === 'SCHEMAS');
    return { kind: 'showObjects', objects: listing, filter, ...(inClause ? { in: inClause } : {}) };
  }
  if (r.peek().kind === 'word') {
    throw SqlErrors.unsupported(`SHOW ${word}${r.peek(1).kind === 'word' ? ` ${r.peek(1).value.toUpperCase()}` : ''}`);
  }
  throw r.error();
}

function serviceRoleName(r: TokenReader): { service: Name; role: string } {
  const service = r.qualifiedName();
  r.expectPunct('!');
  return { service, role: r.identifier() };
}

function grantTarget(r: TokenReader): GrantTarget {
  if (r.atEnd() || r.isPunct(';')) return { kind: 'currentUser' };
  if (r.acceptWords('ON ACCOUNT')) return { kind: 'on', objectKind: 'ACCOUNT' };
  if (r.acceptWords('ON')) {
    const objectKind = grantObjectKind(r);
    return { kind: 'on', objectKind, name: r.qualifiedName() };
  }
  if (r.acceptWords('TO ROLE')) return { kind: 'toRole', role: r.identifier() };
  if (r.acceptWords('TO USER')) return { kind: 'toUser', user: r.identifier() };
  if (r.acceptWords('OF ROLE')) return { kind: 'ofRole', role: r.identifier() };
  if (r.acceptWords('TO SERVICE ROLE')) return { kind: 'toServiceRole', ...serviceRoleName(r) };
  if (r.acceptWords('OF SERVICE ROLE')) return { kind: 'ofServiceRole', ...serviceRoleName(r) };
  if (r.isWord('TO') || r.isWord('OF') || r.isWord('FUTURE')) throw unsupportedFrom(r, 3);
  throw r.error();
}

const objectKinds: readonly (readonly [string, GrantObjectKind])[] = [
  ['COMPUTE POOL', 'COMPUTE_POOL'],
  ['IMAGE REPOSITORY', 'IMAGE_REPOSITORY'],
  ['EXTERNAL ACCESS INTEGRATION', 'INTEGRATION'],
  ['INTEGRATION', 'INTEGRATION'],
  ['DATABASE', 'DATABASE'],
  ['SCHEMA', 'SCHEMA'],
  ['WAREHOUSE', 'WAREHOUSE'],
  ['SERVICE', 'SERVICE'],
  ['STAGE', 'STAGE'],
  ['SECRET', 'SECRET'],
  ['GATEWAY', 'GATEWAY'],
  ['ROLE', 'ROLE'],
  ['USER', 'USER'],
];

function grantObjectKind(r: TokenReader): GrantObjectKind {
  for (const [words, kind] of objectKinds) {
    if (r.acceptWords(words)) return kind;
  }
  if (r.peek().kind === 'word') throw unsupportedFrom(r, 2);
  throw r.error();
}

// ---- DESCRIBE ---------------------------------------------------------------------------------------------

function describe(r: TokenReader): Statement {
  if (r.acceptWords('COMPUTE POOL')) return { kind: 'describeComputePool', name: r.qualifiedName() };
  if (r.acceptWords('FUNCTION')) {
    r.acceptWords('IF EXISTS');
    const name = r.qualifiedName();
    return { kind: 'describeFunction', name, argumentTypes: argumentTypes(r) };
  }
  if (r.acceptWords('SERVICE')) return { kind: 'describeService', name: r.qualifiedName() };
  if (r.acceptWords('GATEWAY')) return { kind: 'describeGateway', name: r.qualifiedName() };
  if (r.isWords('JOB SERVICE')) {
    r.expectWords('JOB SERVICE');
    return { kind: 'describeService', name: r.qualifiedName() };
  }
  if (r.peek().kind === 'word') throw SqlErrors.unsupported(`DESCRIBE ${r.peek().value.toUpperCase()}`);
  throw r.error();
}

// ---- CREATE / ALTER / DROP -------------------------------------------------------------------------------------

function ifNotExists(r: TokenReader): boolean {
  return r.acceptWords('IF NOT EXISTS');
}

function ifExists(r: TokenReader): boolean {
  return r.acceptWords('IF EXISTS');
}

function tagList(r: TokenReader): Map<string, string> {
  r.expectPunct('(');
  const tags = new Map<string, string>();
  do {
    const name = r.qualifiedName().parts.join('.');
    r.expectPunct('=');
    tags.set(name, r.string());
  } while (r.acceptPunct(','));
  r.expectPunct(')');
  return tags;
}

/** Properties and `[WITH] TAG (…)` in any order. */
function propertiesWithTags(r: TokenReader): { properties: Properties; tags?: Map<string, string> } {
  const properties = new Map<string, Value>();
  let tags: Map<string, string> | undefined;
  for (;;) {
    if (r.isWords('WITH TAG') || r.isWord('TAG')) {
      r.acceptWords('WITH');
      r.expectWords('TAG');
      tags = tagList(r);
      continue;
    }
    if (!r.isProperty()) break;
    for (const [key, value] of r.properties(() => r.isWords('WITH TAG') || (r.isWord('TAG') && r.isPunct('(', 1)))) {
      properties.set(key, value);
    }
  }
  return tags ? { properties, tags } : { properties };
}

const createdObjects: readonly (readonly [string, ObjectKind])[] = [
  ['IMAGE REPOSITORY', 'IMAGE REPOSITORY'],
  ['DATABASE', 'DATABASE'],
  ['SCHEMA', 'SCHEMA'],
  ['STAGE', 'STAGE'],
  ['SECRET', 'SECRET'],
  ['ROLE', 'ROLE'],
  ['WAREHOUSE', 'WAREHOUSE'],
];

function create(r: TokenReader): Statement {
  const orReplace = r.acceptWords('OR REPLACE');
  if (r.isWords('SECURE FUNCTION') || r.isWord('FUNCTION')) {
    r.acceptWords('SECURE');
    r.expectWords('FUNCTION');
    const notExists = ifNotExists(r);
    return { kind: 'createFunction', orReplace, ifNotExists: notExists, definition: serviceFunction(r) };
  }
  if (r.acceptWords('COMPUTE POOL')) {
    if (orReplace) throw SqlErrors.unsupported('CREATE OR REPLACE COMPUTE POOL');
    const notExists = ifNotExists(r);
    const name = r.qualifiedName();
    if (r.isWords('FOR APPLICATION')) throw unsupportedFrom(r, 2);
    const { properties, tags } = propertiesWithTags(r);
    return { kind: 'createComputePool', orReplace, ifNotExists: notExists, name, properties, ...(tags ? { tags } : {}) };
  }
  if (r.acceptWords('GATEWAY')) {
    const notExists = ifNotExists(r);
    const name = r.qualifiedName();
    return { kind: 'createGateway', orReplace, ifNotExists: notExists, name, ...gatewayClauses(r) };
  }
  if (r.acceptWords('SERVICE')) {
    if (orReplace) throw SqlErrors.unsupported('CREATE OR REPLACE SERVICE');
    const notExists = ifNotExists(r);
    const name = r.qualifiedName();
    return { kind: 'createService', orReplace, ifNotExists: notExists, name, clauses: specClauses(r, 'CREATE SERVICE') };
  }
  for (const [words, objects] of createdObjects) {
    if (r.acceptWords(words)) {
      const notExists = ifNotExists(r);
      const name = r.qualifiedName();
      const { properties } = propertiesWithTags(r);
      return { kind: 'createObject', objects, orReplace, ifNotExists: notExists, name, properties };
    }
  }
  if (r.peek().kind === 'word') throw SqlErrors.unsupported(`CREATE ${orReplace ? 'OR REPLACE ' : ''}${r.peek().value.toUpperCase()}`);
  throw r.error();
}

function unsetNames(r: TokenReader): string[] {
  const names = [r.identifier()];
  while (r.acceptPunct(',')) names.push(r.identifier());
  return names;
}

/** `tag [, tag …]` after UNSET TAG (qualified tag names joined by `.`). */
function tagNames(r: TokenReader): string[] {
  const names = [r.qualifiedName().parts.join('.')];
  while (r.acceptPunct(',')) names.push(r.qualifiedName().parts.join('.'));
  return names;
}

/**
 * ALTER COMPUTE POOL … SET: properties and `TAG tag = 'value' [, …]` (the ALTER syntax writes tags
 * without parentheses; `[WITH] TAG ( … )` as in CREATE is accepted too).
 */
function poolSetClauses(r: TokenReader): { properties: Properties; tags?: Map<string, string> } {
  const properties = new Map<string, Value>();
  let tags: Map<string, string> | undefined;
  const atTags = () => r.isWord('TAG') || r.isWords('WITH TAG');
  for (;;) {
    if (r.isWord('TAG') && !r.isPunct('(', 1)) {
      r.next();
      tags ??= new Map();
      do {
        const tag = r.qualifiedName().parts.join('.');
        r.expectPunct('=');
        tags.set(tag, r.string());
      } while (r.acceptPunct(','));
      continue;
    }
    if (atTags()) {
      r.acceptWords('WITH');
      r.expectWords('TAG');
      tags = new Map([...(tags ?? []), ...tagList(r)]);
      continue;
    }
    if (!r.isProperty()) break;
    for (const [key, value] of r.properties(atTags)) properties.set(key, value);
  }
  return tags ? { properties, tags } : { properties };
}

/** CREATE GATEWAY clauses in any order: `FROM SPECIFICATION <text>` and `COMMENT = '…'`. */
function gatewayClauses(r: TokenReader): { specification?: string; properties: Properties } {
  let specification: string | undefined;
  const properties = new Map<string, Value>();
  while (!r.atEnd() && !r.isPunct(';')) {
    if (r.isWord('FROM')) {
      if (specification !== undefined) throw r.error();
      r.next();
      r.expectWords('SPECIFICATION');
      specification = r.string();
    } else if (r.isProperty()) {
      for (const [key, value] of r.properties(() => r.isWord('FROM'))) properties.set(key, value);
    } else {
      throw r.error();
    }
  }
  return specification !== undefined ? { specification, properties } : { properties };
}

function alter(r: TokenReader): Statement {
  if (r.acceptWords('COMPUTE POOL')) {
    const exists = ifExists(r);
    const name = r.qualifiedName();
    let action: PoolAction;
    if (r.acceptWords('SUSPEND')) action = { kind: 'suspend' };
    else if (r.acceptWords('RESUME')) action = { kind: 'resume' };
    else if (r.acceptWords('STOP ALL')) {
      if (r.isWords('OF TYPE')) throw unsupportedFrom(r, 2);
      action = { kind: 'stopAll' };
    } else if (r.acceptWords('SET')) {
      action = { kind: 'set', ...poolSetClauses(r) };
    } else if (r.acceptWords('UNSET')) {
      action = r.acceptWords('TAG') ? { kind: 'unsetTags', tags: tagNames(r) } : { kind: 'unset', names: unsetNames(r) };
    } else throw r.error();
    return { kind: 'alterComputePool', ifExists: exists, name, action };
  }
  if (r.acceptWords('GATEWAY')) {
    const exists = ifExists(r);
    const name = r.qualifiedName();
    let action: GatewayAction;
    if (r.acceptWords('FROM SPECIFICATION')) action = { kind: 'spec', specification: r.string() };
    else if (r.acceptWords('SET')) action = { kind: 'set', properties: r.properties() };
    else if (r.acceptWords('UNSET')) action = { kind: 'unset', names: unsetNames(r) };
    else if (r.peek().kind === 'word') throw SqlErrors.unsupported(`ALTER GATEWAY … ${r.peek().value.toUpperCase()}`);
    else throw r.error();
    return { kind: 'alterGateway', ifExists: exists, name, action };
  }
  if (r.acceptWords('SERVICE')) {
    const exists = ifExists(r);
    const name = r.qualifiedName();
    let action: ServiceAction;
    if (r.acceptWords('SUSPEND')) action = { kind: 'suspend' };
    else if (r.acceptWords('RESUME')) action = { kind: 'resume' };
    else if (r.isWord('FROM')) action = { kind: 'spec', clauses: specClauses(r, 'ALTER SERVICE') };
    else if (r.acceptWords('SET')) {
      if (r.isWord('TAG') && !r.isPunct('(', 1)) throw SqlErrors.unsupported('ALTER SERVICE SET TAG');
      action = { kind: 'set', ...propertiesWithTags(r) };
    } else if (r.acceptWords('UNSET')) {
      if (r.isWord('TAG')) throw SqlErrors.unsupported('ALTER SERVICE UNSET TAG');
      action = { kind: 'unset', names: unsetNames(r) };
    } else if (r.isWord('RESTORE')) throw SqlErrors.unsupported('ALTER SERVICE RESTORE VOLUME');
    else throw r.error();
    return { kind: 'alterService', ifExists: exists, name, action };
  }
  if (r.acceptWords('ACCOUNT')) {
    if (r.acceptWords('SET')) return { kind: 'alterAccount', action: { kind: 'set', properties: r.properties() } };
    if (r.acceptWords('UNSET')) return { kind: 'alterAccount', action: { kind: 'unset', names: unsetNames(r) } };
    throw SqlErrors.unsupported(r.peek().kind === 'word' ? `ALTER ACCOUNT ${r.peek().value.toUpperCase()}` : 'ALTER ACCOUNT');
  }
  if (r.peek().kind === 'word') throw SqlErrors.unsupported(`ALTER ${r.peek().value.toUpperCase()}`);
  throw r.error();
}

function drop(r: TokenReader): Statement {
  if (r.acceptWords('FUNCTION')) {
    const exists = ifExists(r);
    const name = r.qualifiedName();
    return { kind: 'dropFunction', ifExists: exists, name, argumentTypes: argumentTypes(r) };
  }
  if (r.acceptWords('COMPUTE POOL')) {
    const exists = ifExists(r);
    return { kind: 'dropComputePool', ifExists: exists, name: r.qualifiedName() };
  }
  if (r.acceptWords('GATEWAY')) {
    const exists = ifExists(r);
    return { kind: 'dropGateway', ifExists: exists, name: r.qualifiedName() };
  }
  if (r.acceptWords('SERVICE')) {
    const exists = ifExists(r);
    const name = r.qualifiedName();
    return { kind: 'dropService', ifExists: exists, name, force: r.acceptWords('FORCE') };
  }
  for (const [words, objects] of createdObjects) {
    if (r.acceptWords(words)) {
      const exists = ifExists(r);
      const name = r.qualifiedName();
      if (!r.acceptWords('CASCADE')) r.acceptWords('RESTRICT');
      return { kind: 'dropObject', objects, ifExists: exists, name };
    }
  }
  if (r.peek().kind === 'word') throw SqlErrors.unsupported(`DROP ${r.peek().value.toUpperCase()}`);
  throw r.error();
}

// ---- service functions ------------------------------------------------------------------------------------------

/** `( [type [, …]] )` after a function name in DESCRIBE / DROP FUNCTION. */
function argumentTypes(r: TokenReader): string[] {
  r.expectPunct('(');
  const types: string[] = [];
  if (!r.isPunct(')')) {
    types.push(dataType(r));
    while (r.acceptPunct(',')) types.push(dataType(r));
  }
  r.expectPunct(')');
  return types;
}

/** `name ( [arg type, …] ) RETURNS type [[NOT] NULL] [null handling] [volatility] <properties> AS '<path>'`. */
function serviceFunction(r: TokenReader): ServiceFunctionDefinition {
  const name = r.qualifiedName();
  r.expectPunct('(');
  const args: { name: string; type: string }[] = [];
  if (!r.isPunct(')')) {
    do {
      const argument = r.identifier();
      args.push({ name: argument, type: dataType(r) });
    } while (r.acceptPunct(','));
  }
  r.expectPunct(')');
  r.expectWords('RETURNS');
  if (r.isWord('TABLE')) throw SqlErrors.unsupported('service functions returning TABLE');
  const returns = dataType(r);
  if (!r.acceptWords('NOT NULL')) r.acceptWords('NULL');
  if (!r.acceptWords('CALLED ON NULL INPUT') && !r.acceptWords('RETURNS NULL ON NULL INPUT')) r.acceptWords('STRICT');
  if (!r.acceptWords('VOLATILE')) r.acceptWords('IMMUTABLE');
  if (r.isWords('LANGUAGE')) throw SqlErrors.unsupported('CREATE FUNCTION other than service functions');
  const properties = r.properties();
  r.expectWords('AS');
  const path = r.string();
  return { name, arguments: args, returns, properties, path };
}

// ---- service specification clauses ---------------------------------------------------------------------------------

function stageReference(r: TokenReader): StageReference {
  const token = r.peek();
  if (token.kind !== 'stage') throw r.error();
  r.next();
  const text = token.value;
  if (text.startsWith('~') || text.startsWith('%')) {
    throw SqlErrors.unsupported(`@${text.charAt(0)} stages`);
  }
  let end = 0;
  let quoted = false;
  while (end < text.length && (quoted || text.charAt(end) !== '/')) {
    if (text.charAt(end) === '"') quoted = !quoted;
    end++;
  }
  const parts = parseDottedName(text.slice(0, end));
  if (!parts) throw r.error(token);
  return { name: { parts }, path: text.slice(end).replace(/^\/+|\/+$/g, ''), text: `@${text}` };
}

function usingValues(r: TokenReader): Map<string, TemplateValue> {
  r.expectPunct('(');
  const values = new Map<string, TemplateValue>();
  do {
    const key = r.rawIdentifier();
    r.expectPunct('=>');
    const value = r.value();
    switch (value.kind) {
      case 'string':
      case 'number':
      case 'boolean':
        values.set(key, value.value);
        break;
      case 'null':
        values.set(key, null);
        break;
      default:
        throw r.error();
    }
  } while (r.acceptPunct(','));
  r.expectPunct(')');
  return values;
}

/**
 * The clauses of CREATE SERVICE, EXECUTE JOB SERVICE and ALTER SERVICE … FROM, in any order:
 * `IN COMPUTE POOL p`, one `FROM …` spec source, `USING (…)`, `[WITH] TAG (…)`, `KEY = value`.
 */
function specClauses(r: TokenReader, statementName: string): SpecClauses {
  let pool: Name | undefined;
  let spec: SpecSource | undefined;
  let using: Map<string, TemplateValue> | undefined;
  let tags: Map<string, string> | undefined;
  const properties = new Map<string, Value>();
  const alterOnly = statementName === 'ALTER SERVICE';
  while (!r.atEnd() && !r.isPunct(';')) {
    if (!alterOnly && r.isWords('IN COMPUTE POOL')) {
      if (pool) throw r.error();
      r.expectWords('IN COMPUTE POOL');
      pool = r.qualifiedName();
    } else if (r.isWord('FROM')) {
      if (spec) throw r.error();
      r.next();
      spec = specSource(r);
    } else if (r.isWord('USING')) {
      if (using) throw r.error();
      r.next();
      using = usingValues(r);
    } else if (!alterOnly && (r.isWords('WITH TAG') || (r.isWord('TAG') && r.isPunct('(', 1)))) {
      r.acceptWords('WITH');
      r.expectWords('TAG');
      tags = tagList(r);
    } else if (!alterOnly && r.isProperty()) {
      const key = r.peek().value.toUpperCase();
      if (properties.has(key)) throw r.error();
      for (const [name, value] of r.properties(() => r.isWord('FROM') || r.isWord('USING') || r.isWord('TAG') || r.isWords('WITH TAG'))) {
        properties.set(name, value);
      }
    } else {
      throw r.error();
    }
  }
  return {
    ...(pool ? { pool } : {}),
    ...(spec ? { spec } : {}),
    ...(using ? { using } : {}),
    ...(tags ? { tags } : {}),
    properties,
  };
}

function specSource(r: TokenReader): SpecSource {
  if (r.acceptWords('SPECIFICATION_TEMPLATE')) return { template: true, inline: r.string() };
  if (r.acceptWords('SPECIFICATION')) return { template: false, inline: r.string() };
  if (r.isWord('SPECIFICATION_FILE') || r.isWord('SPECIFICATION_TEMPLATE_FILE')) {
    throw SqlErrors.unsupported('FROM SPECIFICATION_FILE without a stage (Native App version files)');
  }
  const stage = stageReference(r);
  let template: boolean;
  if (r.acceptWords('SPECIFICATION_TEMPLATE_FILE')) template = true;
  else if (r.acceptWords('SPECIFICATION_FILE') || r.acceptWords('SPEC')) template = false;
  else throw r.error();
  r.expectPunct('=');
  return { template, stage, file: r.string() };
}

// ---- USE, SELECT, CALL ------------------------------------------------------------------------------------------------

function use(r: TokenReader): Statement {
  if (r.isWords('SECONDARY ROLES')) throw unsupportedFrom(r, 2);
  for (const target of ['ROLE', 'DATABASE', 'SCHEMA', 'WAREHOUSE'] as const) {
    if (r.isWord(target) && (r.peek(1).kind === 'word' || r.peek(1).kind === 'quoted')) {
      r.next();
      return { kind: 'use', target, name: r.qualifiedName() };
    }
  }
  const name = r.qualifiedName();
  return { kind: 'use', target: name.parts.length > 1 ? 'SCHEMA' : 'DATABASE', name };
}

function select(r: TokenReader): Statement {
  if (r.isWord('DISTINCT') || r.isWord('ALL') || (r.isWord('TOP') && r.peek(1).kind === 'number')) throw SqlErrors.unsupported(`SELECT ${r.peek().value.toUpperCase()}`);
  const items = selectItems(r);
  if (r.acceptWords('FROM')) {
    if (!(r.isWord('TABLE') && r.isPunct('(', 1))) {
      throw SqlErrors.unsupported(items.some(readsColumns) ? 'column references' : 'SELECT … FROM');
    }
    return { kind: 'selectFromTable', query: tableQuery(r, items) };
  }
  if (r.isWord('WHERE') || r.isWord('ORDER') || r.isWord('GROUP') || r.isWord('LIMIT') || r.isWord('UNION')) {
    throw SqlErrors.unsupported(`SELECT … ${r.peek().value.toUpperCase()}`);
  }
  return { kind: 'select', items: items.map(withoutFrom) };
}

function readsColumns(item: QueryItem): boolean {
  const reads = (expression: SqlExpression): boolean => {
    switch (expression.kind) {
      case 'column':
        return true;
      case 'literal':
      case 'interval':
        return false;
      case 'function':
        return expression.args.some(reads);
      case 'binary':
        return reads(expression.left) || reads(expression.right);
      case 'in':
        return reads(expression.operand) || expression.list.some(reads);
      case 'between':
        return reads(expression.operand) || reads(expression.low) || reads(expression.high);
      case 'like':
        return reads(expression.operand) || reads(expression.pattern);
      default:
        return reads(expression.operand);
    }
  };
  return item.star !== undefined || (item.expression !== undefined && reads(item.expression));
}

/**
 * What SELECT without FROM and CALL evaluate (`statements/functions.ts`): a literal, a function of
 * literals and functions, or a bare session function name such as CURRENT_TIMESTAMP.
 */
function constantExpression(expression: SqlExpression): Expression {
  switch (expression.kind) {
    case 'literal':
      return { kind: 'literal', value: expression.value, text: expression.text };
    case 'function':
      if (expression.star) throw SqlErrors.unsupported('column references');
      return { kind: 'call', name: expression.name, args: expression.args.map(constantExpression), text: expression.text };
    case 'column':
      if (expression.qualifier !== undefined || expression.text.startsWith('"')) throw SqlErrors.unsupported('column references');
      return { kind: 'identifier', name: expression.name, text: expression.name };
    default:
      throw SqlErrors.unsupported('expressions in SELECT without FROM');
  }
}

function withoutFrom(item: QueryItem): SelectItem {
  if (item.star !== undefined || item.expression === undefined) throw SqlErrors.unsupported('column references');
  const converted = constantExpression(item.expression);
  return item.alias !== undefined ? { expression: converted, alias: item.alias } : { expression: converted };
}

const telemetryFunctions: readonly TelemetryFunction[] = ['SPCS_GET_EVENTS', 'SPCS_GET_METRICS', 'SPCS_GET_LOGS'];

/** `TABLE(<service>!SPCS_GET_…(…)) [[AS] alias] [WHERE …] [GROUP BY …] [ORDER BY …] [LIMIT n [OFFSET m]]`. */
function tableQuery(r: TokenReader, items: readonly QueryItem[]): TableQuery {
  r.expectWords('TABLE');
  r.expectPunct('(');
  const service = r.qualifiedName();
  if (!r.acceptPunct('!')) {
    if (r.isPunct('(')) throw SqlErrors.unsupported(`table function ${service.parts.join('.')}`);
    throw r.error();
  }
  const functionName = r.identifier();
  const name = telemetryFunctions.find((candidate) => candidate === functionName);
  if (name === undefined) {
    const text = `${service.parts.join('.')}!${functionName}`;
    // Service methods Snowflake has but that are not table functions the emulator answers.
    throw ['SPCS_WAIT_FOR', 'SPCS_CANCEL_JOB'].includes(functionName) ? SqlErrors.unsupported(`${text} as a table function`) : SqlErrors.unknownFunction(text);
  }
  r.expectPunct('(');
  const args: { name: string; value: SqlExpression }[] = [];
  if (!r.isPunct(')')) {
    do {
      const named = r.isIdentifierStart() && r.isPunct('=>', 1);
      const argumentName = named ? r.identifier() : '';
      if (named) r.expectPunct('=>');
      args.push({ name: argumentName, value: expression(r) });
    } while (r.acceptPunct(','));
  }
  r.expectPunct(')');
  r.expectPunct(')');
  let alias: string | undefined;
  if (r.acceptWords('AS')) alias = r.identifier();
  else if (r.peek().kind === 'quoted' || (r.peek().kind === 'word' && !clauseWords.has(r.peek().value.toUpperCase()))) alias = r.identifier();
  if (r.isPunct(',') || r.isWord('JOIN') || r.isWord('INNER') || r.isWord('LEFT') || r.isWord('RIGHT') || r.isWord('FULL') || r.isWord('CROSS') || r.isWord('NATURAL')) {
    throw SqlErrors.unsupported('joins');
  }
  for (const word of ['SAMPLE', 'TABLESAMPLE', 'PIVOT', 'UNPIVOT', 'MATCH_RECOGNIZE', 'CONNECT', 'START']) {
    if (r.isWord(word)) throw SqlErrors.unsupported(word === 'START' || word === 'CONNECT' ? 'CONNECT BY' : word);
  }
  let where: SqlExpression | undefined;
  if (r.acceptWords('WHERE')) where = expression(r);
  const groupBy: SqlExpression[] = [];
  if (r.acceptWords('GROUP BY')) {
    if (r.isWord('ALL') || r.isWord('CUBE') || r.isWord('ROLLUP') || r.isWords('GROUPING SETS')) throw SqlErrors.unsupported(`GROUP BY ${r.peek().value.toUpperCase()}`);
    do groupBy.push(expression(r));
    while (r.acceptPunct(','));
  }
  if (r.isWord('HAVING') || r.isWord('QUALIFY')) throw SqlErrors.unsupported(r.peek().value.toUpperCase());
  const orderBy: OrderItem[] = [];
  if (r.acceptWords('ORDER BY')) {
    do {
      const sorted = expression(r);
      const descending = r.acceptWords('DESC') ? true : (r.acceptWords('ASC'), false);
      let nullsFirst: boolean | undefined;
      if (r.acceptWords('NULLS FIRST')) nullsFirst = true;
      else if (r.acceptWords('NULLS LAST')) nullsFirst = false;
      orderBy.push({ expression: sorted, descending, ...(nullsFirst !== undefined ? { nullsFirst } : {}) });
    } while (r.acceptPunct(','));
  }
  let limit: number | undefined;
  let offset: number | undefined;
  if (r.acceptWords('LIMIT')) {
    limit = count(r);
    if (r.acceptWords('OFFSET')) offset = count(r);
  }
  if (r.isWord('OFFSET') || r.isWord('FETCH')) throw SqlErrors.unsupported(`${r.peek().value.toUpperCase()} without LIMIT`);
  if (r.isWord('UNION') || r.isWord('MINUS') || r.isWord('EXCEPT') || r.isWord('INTERSECT')) throw SqlErrors.unsupported(r.peek().value.toUpperCase());
  return {
    items,
    source: { service, name, args },
    ...(alias !== undefined ? { alias } : {}),
    ...(where !== undefined ? { where } : {}),
    groupBy,
    orderBy,
    ...(limit !== undefined ? { limit } : {}),
    ...(offset !== undefined ? { offset } : {}),
  };
}

/** A LIMIT or OFFSET count: a non-negative integer literal or a bind value holding one. */
function count(r: TokenReader): number {
  const token = r.peek();
  if (token.kind === 'string' && /^\s*[0-9]+\s*$/.test(token.value)) {
    r.next();
    return Number(token.value);
  }
  return r.integer();
}

// ---- GRANT / REVOKE -------------------------------------------------------------------------------------------------------

function grant(r: TokenReader): Statement {
  const revoke = r.next().value.toUpperCase() === 'REVOKE';
  const toWord = revoke ? 'FROM' : 'TO';
  if (r.isWords('GRANT OPTION FOR')) throw unsupportedFrom(r, 3);
  if (r.acceptWords('ROLE')) {
    const role = r.identifier();
    r.expectWords(toWord);
    const granteeType = r.acceptWords('USER') ? 'USER' : (r.expectWords('ROLE'), 'ROLE');
    return { kind: 'grantRole', revoke, role, granteeType, grantee: r.identifier() };
  }
  if (r.acceptWords('SERVICE ROLE')) {
    const { service, role: serviceRole } = serviceRoleName(r);
    r.expectWords(toWord);
    r.acceptWords('ROLE');
    return { kind: 'grantServiceRole', revoke, service, serviceRole, role: r.identifier() };
  }
  if (r.isWords('DATABASE ROLE') || r.isWords('APPLICATION ROLE')) throw unsupportedFrom(r, 2);
  const privileges: string[] = [];
  let words: string[] = [];
  while (!r.isWord('ON')) {
    const token = r.peek();
    if (token.kind === 'punct' && token.value === ',') {
      if (words.length === 0) throw r.error();
      privileges.push(words.join(' '));
      words = [];
      r.next();
      continue;
    }
    if (token.kind !== 'word') throw r.error();
    words.push(r.next().value.toUpperCase());
  }
  if (words.length === 0) throw r.error();
  privileges.push(words.join(' '));
  r.expectWords('ON');
  if (r.isWord('ALL') || r.isWord('FUTURE')) throw unsupportedFrom(r, 2);
  let objectKind: GrantObjectKind;
  let name: Name | undefined;
  if (r.acceptWords('ACCOUNT')) {
    objectKind = 'ACCOUNT';
  } else {
    objectKind = grantObjectKind(r);
    name = r.qualifiedName();
  }
  r.expectWords(toWord);
  r.acceptWords('ROLE');
  const role = r.identifier();
  const grantOption = !revoke && r.acceptWords('WITH GRANT OPTION');
  if (!r.acceptWords('COPY CURRENT GRANTS')) r.acceptWords('REVOKE CURRENT GRANTS');
  if (revoke && !r.acceptWords('CASCADE')) r.acceptWords('RESTRICT');
  const normalized = privileges.map((privilege) => (privilege === 'ALL PRIVILEGES' ? 'ALL' : privilege));
  return { kind: 'grantPrivileges', revoke, privileges: normalized, objectKind, ...(name ? { name } : {}), role, grantOption };
}
