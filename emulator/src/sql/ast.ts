/**
 * The statements the parser produces. Names are canonical identifier parts (unquoted → upper
 * case, quoted → as written); values keep their literal kind so statements can coerce them.
 *
 * Must not: contain behaviour.
 */

import type { TemplateValue } from '../account/templates';

/** A possibly qualified name: 1 to 3 canonical parts (`[db.[schema.]]name`). */
export interface Name {
  readonly parts: readonly string[];
}

export type Value =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'identifier'; readonly name: Name; readonly raw: string }
  | { readonly kind: 'list'; readonly items: readonly Value[] }
  | { readonly kind: 'options'; readonly properties: Properties };

/** `KEY = value` pairs in the order written; keys upper case. */
export type Properties = ReadonlyMap<string, Value>;

export interface ShowFilter {
  readonly like?: string;
  readonly startsWith?: string;
  readonly limit?: number;
  readonly from?: string;
}

export type InClause =
  | { readonly kind: 'account' }
  | { readonly kind: 'database'; readonly name?: Name }
  | { readonly kind: 'schema'; readonly name?: Name }
  | { readonly kind: 'computePool'; readonly name: Name };

export interface StageReference {
  /** Stage name parts (canonical). */
  readonly name: Name;
  /** Path below the stage, without leading or trailing `/` ('' for the root). */
  readonly path: string;
  /** The reference as written (`@db.schema.stage/path`). */
  readonly text: string;
}

export interface SpecSource {
  readonly template: boolean;
  /** Inline text (`$$…$$` or `'…'`), or a file on a stage. */
  readonly inline?: string;
  readonly stage?: StageReference;
  readonly file?: string;
}

export interface SpecClauses {
  readonly pool?: Name;
  readonly spec?: SpecSource;
  readonly using?: ReadonlyMap<string, TemplateValue>;
  readonly properties: Properties;
  readonly tags?: ReadonlyMap<string, string>;
}

export type Expression =
  | { readonly kind: 'literal'; readonly value: Value; readonly text: string }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expression[]; readonly text: string }
  | { readonly kind: 'identifier'; readonly name: string; readonly text: string };

export interface SelectItem {
  readonly expression: Expression;
  readonly alias?: string;
}

/**
 * An expression of a SELECT over a table function (`expressionParser.ts`). `text` is the
 * expression as Snowflake names a result column after it: upper case, single spaces.
 */
export type SqlExpression =
  | { readonly kind: 'literal'; readonly value: Value; readonly text: string }
  | { readonly kind: 'column'; readonly name: string; readonly qualifier?: string; readonly text: string }
  | { readonly kind: 'function'; readonly name: string; readonly args: readonly SqlExpression[]; readonly star: boolean; readonly text: string }
  | { readonly kind: 'cast'; readonly operand: SqlExpression; readonly type: string; readonly text: string }
  | { readonly kind: 'path'; readonly operand: SqlExpression; readonly path: readonly (string | number)[]; readonly text: string }
  | { readonly kind: 'unary'; readonly operator: '-' | '+' | 'NOT'; readonly operand: SqlExpression; readonly text: string }
  | { readonly kind: 'binary'; readonly operator: BinaryOperator; readonly left: SqlExpression; readonly right: SqlExpression; readonly text: string }
  | { readonly kind: 'in'; readonly operand: SqlExpression; readonly list: readonly SqlExpression[]; readonly negated: boolean; readonly text: string }
  | { readonly kind: 'between'; readonly operand: SqlExpression; readonly low: SqlExpression; readonly high: SqlExpression; readonly negated: boolean; readonly text: string }
  | { readonly kind: 'like'; readonly operand: SqlExpression; readonly pattern: SqlExpression; readonly negated: boolean; readonly caseInsensitive: boolean; readonly text: string }
  | { readonly kind: 'isNull'; readonly operand: SqlExpression; readonly negated: boolean; readonly text: string }
  | { readonly kind: 'interval'; readonly milliseconds: number; readonly months: number; readonly text: string };

export type BinaryOperator = '+' | '-' | '*' | '/' | '||' | '=' | '!=' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR';

/** `<service>!SPCS_GET_EVENTS | _METRICS | _LOGS ( [START_TIME => …] [, END_TIME => …] )`. */
export type TelemetryFunction = 'SPCS_GET_EVENTS' | 'SPCS_GET_METRICS' | 'SPCS_GET_LOGS';

export interface TableFunctionCall {
  readonly service: Name;
  readonly name: TelemetryFunction;
  readonly args: readonly { readonly name: string; readonly value: SqlExpression }[];
}

export interface QueryItem {
  /** `*` or `alias.*` when `star` is set. */
  readonly star?: { readonly qualifier?: string };
  readonly expression?: SqlExpression;
  readonly alias?: string;
}

export interface OrderItem {
  readonly expression: SqlExpression;
  readonly descending: boolean;
  /** NULLS FIRST / LAST as written; Snowflake's default puts NULLs last ascending and first descending. */
  readonly nullsFirst?: boolean;
}

export interface TableQuery {
  readonly items: readonly QueryItem[];
  readonly source: TableFunctionCall;
  readonly alias?: string;
  readonly where?: SqlExpression;
  readonly groupBy: readonly SqlExpression[];
  readonly orderBy: readonly OrderItem[];
  readonly limit?: number;
  readonly offset?: number;
}

export type ServiceAction =
  | { readonly kind: 'suspend' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'spec'; readonly clauses: SpecClauses }
  | { readonly kind: 'set'; readonly properties: Properties; readonly tags?: ReadonlyMap<string, string> }
  | { readonly kind: 'unset'; readonly names: readonly string[] };

export type PoolAction =
  | { readonly kind: 'suspend' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'stopAll' }
  | { readonly kind: 'set'; readonly properties: Properties; readonly tags?: ReadonlyMap<string, string> }
  | { readonly kind: 'unset'; readonly names: readonly string[] }
  | { readonly kind: 'unsetTags'; readonly tags: readonly string[] };

/** ALTER GATEWAY: a new specification (`FROM SPECIFICATION …`), or SET / UNSET COMMENT. */
export type GatewayAction =
  | { readonly kind: 'spec'; readonly specification: string }
  | { readonly kind: 'set'; readonly properties: Properties }
  | { readonly kind: 'unset'; readonly names: readonly string[] };

/** Object kinds of GRANT … ON and SHOW GRANTS ON, as Snowflake's `granted_on` names them. */
export type GrantObjectKind =
  | 'ACCOUNT'
  | 'DATABASE'
  | 'SCHEMA'
  | 'WAREHOUSE'
  | 'COMPUTE_POOL'
  | 'SERVICE'
  | 'IMAGE_REPOSITORY'
  | 'STAGE'
  | 'SECRET'
  | 'INTEGRATION'
  | 'GATEWAY'
  | 'ROLE'
  | 'USER';

export type GrantTarget =
  | { readonly kind: 'currentUser' }
  | { readonly kind: 'toRole'; readonly role: string }
  | { readonly kind: 'toUser'; readonly user: string }
  | { readonly kind: 'ofRole'; readonly role: string }
  | { readonly kind: 'on'; readonly objectKind: GrantObjectKind; readonly name?: Name }
  | { readonly kind: 'toServiceRole'; readonly service: Name; readonly role: string }
  | { readonly kind: 'ofServiceRole'; readonly service: Name; readonly role: string };

export type ObjectKind = 'DATABASE' | 'SCHEMA' | 'IMAGE REPOSITORY' | 'STAGE' | 'SECRET' | 'WAREHOUSE' | 'ROLE';

/** `CREATE FUNCTION … SERVICE = … ENDPOINT = … AS '<path>'` (a service function, reference §4.14). */
export interface ServiceFunctionDefinition {
  readonly name: Name;
  readonly arguments: readonly { readonly name: string; readonly type: string }[];
  readonly returns: string;
  /** SERVICE, ENDPOINT, COMMENT, CONTEXT_HEADERS, MAX_BATCH_ROWS, MAX_BATCH_RETRIES, ON_BATCH_FAILURE, BATCH_TIMEOUT_SECS. */
  readonly properties: Properties;
  readonly path: string;
}

export type ListingKind = 'STAGES' | 'SECRETS' | 'DATABASES' | 'SCHEMAS' | 'WAREHOUSES' | 'ROLES' | 'USERS' | 'INTEGRATIONS';

export type Statement =
  | { readonly kind: 'showComputePools'; readonly filter: ShowFilter }
  | { readonly kind: 'describeComputePool'; readonly name: Name }
  | { readonly kind: 'showInstanceFamilies'; readonly filter: ShowFilter }
  | { readonly kind: 'createComputePool'; readonly orReplace: boolean; readonly ifNotExists: boolean; readonly name: Name; readonly properties: Properties; readonly tags?: ReadonlyMap<string, string> }
  | { readonly kind: 'alterComputePool'; readonly ifExists: boolean; readonly name: Name; readonly action: PoolAction }
  | { readonly kind: 'dropComputePool'; readonly ifExists: boolean; readonly name: Name }
  | { readonly kind: 'showGateways'; readonly filter: ShowFilter; readonly in?: InClause }
  | { readonly kind: 'describeGateway'; readonly name: Name }
  | { readonly kind: 'createGateway'; readonly orReplace: boolean; readonly ifNotExists: boolean; readonly name: Name; readonly specification?: string; readonly properties: Properties }
  | { readonly kind: 'alterGateway'; readonly ifExists: boolean; readonly name: Name; readonly action: GatewayAction }
  | { readonly kind: 'dropGateway'; readonly ifExists: boolean; readonly name: Name }
  | { readonly kind: 'showServices'; readonly jobsOnly: boolean; readonly excludeJobs: boolean; readonly filter: ShowFilter; readonly in?: InClause }
  | { readonly kind: 'describeService'; readonly name: Name }
  | { readonly kind: 'createService'; readonly orReplace: boolean; readonly ifNotExists: boolean; readonly name: Name; readonly clauses: SpecClauses }
  | { readonly kind: 'alterService'; readonly ifExists: boolean; readonly name: Name; readonly action: ServiceAction }
  | { readonly kind: 'dropService'; readonly ifExists: boolean; readonly name: Name; readonly force: boolean }
  | { readonly kind: 'executeJob'; readonly clauses: SpecClauses }
  | { readonly kind: 'showInService'; readonly what: 'instances' | 'containers' | 'endpoints' | 'roles'; readonly service: Name }
  | { readonly kind: 'showImageRepositories'; readonly filter: ShowFilter; readonly in?: InClause }
  | { readonly kind: 'showImages'; readonly filter: ShowFilter; readonly repository: Name }
  | { readonly kind: 'showObjects'; readonly objects: ListingKind; readonly filter: ShowFilter; readonly in?: InClause }
  | { readonly kind: 'showGrants'; readonly target: GrantTarget }
  | { readonly kind: 'use'; readonly target: 'ROLE' | 'DATABASE' | 'SCHEMA' | 'WAREHOUSE'; readonly name: Name }
  | { readonly kind: 'select'; readonly items: readonly SelectItem[] }
  | { readonly kind: 'selectFromTable'; readonly query: TableQuery }
  | { readonly kind: 'alterAccount'; readonly action: { readonly kind: 'set'; readonly properties: Properties } | { readonly kind: 'unset'; readonly names: readonly string[] } }
  | { readonly kind: 'showParameters'; readonly like?: string; readonly scope: { readonly kind: 'account' } | { readonly kind: 'service'; readonly name: Name } }
  | { readonly kind: 'call'; readonly call: Extract<Expression, { kind: 'call' }> }
  | { readonly kind: 'grantPrivileges'; readonly revoke: boolean; readonly privileges: readonly string[]; readonly objectKind: GrantObjectKind; readonly name?: Name; readonly role: string; readonly grantOption: boolean }
  | { readonly kind: 'grantRole'; readonly revoke: boolean; readonly role: string; readonly granteeType: 'ROLE' | 'USER'; readonly grantee: string }
  | { readonly kind: 'grantServiceRole'; readonly revoke: boolean; readonly service: Name; readonly serviceRole: string; readonly role: string }
  | { readonly kind: 'createObject'; readonly objects: ObjectKind; readonly orReplace: boolean; readonly ifNotExists: boolean; readonly name: Name; readonly properties: Properties }
  | { readonly kind: 'dropObject'; readonly objects: ObjectKind; readonly ifExists: boolean; readonly name: Name }
  | { readonly kind: 'listStage'; readonly stage: StageReference; readonly pattern?: string }
  | { readonly kind: 'createFunction'; readonly orReplace: boolean; readonly ifNotExists: boolean; readonly definition: ServiceFunctionDefinition }
  | { readonly kind: 'describeFunction'; readonly name: Name; readonly argumentTypes: readonly string[] }
  | { readonly kind: 'dropFunction'; readonly ifExists: boolean; readonly name: Name; readonly argumentTypes: readonly string[] };
