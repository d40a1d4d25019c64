/**
 * Every SQL error the engine raises, with Snowflake's code, SQL state and message shape.
 *
 * Owns: the catalogue of error codes. Each entry says whether the code and text are CONFIRMED
 * (seen in Snowflake documentation, driver/CLI sources or real error output quoted in public
 * issues) or CHOSEN (no real example was found; the code is picked from the family Snowflake uses
 * for that kind of error and the text follows Snowflake's style). Clients should match on codes
 * marked confirmed only.
 *
 * Must not: decide when an error applies; statements do.
 */

import { SnowflakeSqlError } from '../contract';

const compilation = 'SQL compilation error:\n';
const accessControl = 'SQL access control error:\n';

/** Snowflake quotes the offending token as written; at the end of input it says '<EOF>'. */
export function syntaxError(line: number, position: number, token: string): SnowflakeSqlError {
  // CONFIRMED: 001003 / 42000, "syntax error line L at position P unexpected 'X'." (0-based position).
  return new SnowflakeSqlError('001003', '42000', `${compilation}syntax error line ${line} at position ${position} unexpected '${token}'.`, line, position);
}

export const SqlErrors = {
  syntax: syntaxError,

  unterminatedString(line: number, position: number): SnowflakeSqlError {
    // CONFIRMED shape (Snowflake reports an unterminated literal as a syntax error at its start).
    return new SnowflakeSqlError('001003', '42000', `${compilation}syntax error line ${line} at position ${position} unexpected '<EOF>'.`, line, position);
  },

  statementCount(actual: number): SnowflakeSqlError {
    // CONFIRMED: 000008 / 0A000 with MULTI_STATEMENT_COUNT = 1.
    return new SnowflakeSqlError('000008', '0A000', `Actual statement count ${actual} did not match the desired statement count 1.`);
  },

  emptyStatement(): SnowflakeSqlError {
    // CONFIRMED: 000900 / 42000 "Empty SQL statement."
    return new SnowflakeSqlError('000900', '42000', 'Empty SQL statement.');
  },

  unsupported(feature: string): SnowflakeSqlError {
    // CONFIRMED shape: 000002 / 0A000 "Unsupported feature 'X'." (used by the emulator for every
    // statement it does not implement, so nothing silently succeeds).
    return new SnowflakeSqlError('000002', '0A000', `Unsupported feature '${feature}'.`);
  },

  bindNotSet(line: number, position: number, placeholder: string): SnowflakeSqlError {
    // CHOSEN code 002049 / 42601 (Snowflake's "Bind variable ? not set." family).
    return new SnowflakeSqlError('002049', '42601', `${compilation}error line ${line} at position ${position}\nBind variable ${placeholder} not set.`, line, position);
  },

  /** `kind` as Snowflake words it: "Object", "Service", "Compute pool", "Database", "Schema", "Stage", "Role", … */
  doesNotExist(kind: string, name: string): SnowflakeSqlError {
    // CONFIRMED: 002003 / 02000 "<Kind> '<NAME>' does not exist or not authorized." (Service, Database,
    // Schema, Stage, Object seen in real output; "Compute pool" follows the same pattern).
    return new SnowflakeSqlError('002003', '02000', `${compilation}${kind} '${name}' does not exist or not authorized.`);
  },

  warehouseDoesNotExist(): SnowflakeSqlError {
    // CONFIRMED: USE WAREHOUSE of an unknown or unauthorized warehouse: 002043 / 02000.
    return new SnowflakeSqlError('002043', '02000', `${compilation}Object does not exist, or operation cannot be performed.`);
  },

  alreadyExists(kind: string, name: string): SnowflakeSqlError {
    // CONFIRMED: 002002 / 42710 "Object 'X' already exists." (kind-specific variants exist; the
    // emulator keeps Snowflake's generic word "Object" unless a kind is given).
    return new SnowflakeSqlError('002002', '42710', `${compilation}${kind} '${name}' already exists.`);
  },

  insufficientPrivileges(what: string): SnowflakeSqlError {
    // CONFIRMED: 003001 / 42501 "Insufficient privileges to operate on <kind> '<NAME>'."
    return new SnowflakeSqlError('003001', '42501', `${accessControl}Insufficient privileges to operate on ${what}.`);
  },

  roleNotGranted(role: string): SnowflakeSqlError {
    // CONFIRMED text; code 003013 / 42501 CHOSEN from the access-control family.
    return new SnowflakeSqlError('003013', '42501', `SQL execution error:\nRequested role '${role}' is not assigned to the executing user. Specify another role to activate.`);
  },

  noCurrentDatabase(operation: string): SnowflakeSqlError {
    // CONFIRMED: 090105 / 22000.
    return new SnowflakeSqlError('090105', '22000', `Cannot perform ${operation}. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.`);
  },

  noCurrentSchema(operation: string): SnowflakeSqlError {
    // CONFIRMED: 090106 / 22000.
    return new SnowflakeSqlError('090106', '22000', `Cannot perform ${operation}. This session does not have a current schema. Call 'USE SCHEMA', or use a qualified name.`);
  },

  invalidSpec(detail: string): SnowflakeSqlError {
    // CONFIRMED: 395018 / 22023 "Invalid spec: unknown option 'x' for 'spec'." and
    // "Invalid spec: invalid 'volumeMounts'. Value is empty" (real output quoted in public issues).
    // The details after "Invalid spec:" come from the language service's diagnostics.
    return new SnowflakeSqlError('395018', '22023', `Invalid spec: ${detail}`);
  },

  invalidValue(message: string): SnowflakeSqlError {
    // CHOSEN: 001008 / 22023 ("invalid value" family of compilation errors).
    return new SnowflakeSqlError('001008', '22023', `${compilation}${message}`);
  },

  missingProperty(statement: string, property: string): SnowflakeSqlError {
    // CHOSEN: 001003 / 42000 Snowflake reports a missing mandatory clause as a syntax error; the
    // emulator names the clause instead of the token.
    return new SnowflakeSqlError('001003', '42000', `${compilation}${statement} requires ${property}.`);
  },

  stageFileNotFound(stage: string, path: string): SnowflakeSqlError {
    // CHOSEN: 391903 / 22000 (SPCS family).
    return new SnowflakeSqlError('391903', '22000', `Specification file '${path}' does not exist on stage '@${stage}'.`);
  },

  templateVariableMissing(name: string): SnowflakeSqlError {
    // CHOSEN: 395018 / 22023, reported like other spec problems.
    return new SnowflakeSqlError('395018', '22023', `Invalid spec: template variable '${name}' has no value. Give it in USING (${name} => …) or add a default with '| default(…)'.`);
  },

  poolSuspended(pool: string): SnowflakeSqlError {
    // CHOSEN: 391426 / 22000 (SPCS family).
    return new SnowflakeSqlError('391426', '22000', `Compute pool ${pool} is suspended and AUTO_RESUME is FALSE. Resume it with ALTER COMPUTE POOL ${pool} RESUME.`);
  },

  poolHasServices(pool: string, services: readonly string[]): SnowflakeSqlError {
    // CHOSEN: 391427 / 22000. The behaviour is documented (DROP COMPUTE POOL: "Snowflake does not drop
    // running services. If services are running this command will fail."); the code and text are not.
    // The text names the services so that a client can show them without another query.
    const list = services.slice(0, 10).join(', ') + (services.length > 10 ? `, … (${services.length} in all)` : '');
    return new SnowflakeSqlError(
      '391427',
      '22000',
      `Cannot drop compute pool ${pool} because it has ${services.length} service(s): ${list}. Drop them, or run ALTER COMPUTE POOL ${pool} STOP ALL, first.`,
    );
  },

  poolNotSuspended(pool: string, property: string): SnowflakeSqlError {
    // CHOSEN: 391433 / 22000. Documented rule (ALTER COMPUTE POOL): INSTANCE_FAMILY and PLACEMENT_GROUP
    // can be changed only when the compute pool is fully suspended.
    return new SnowflakeSqlError('391433', '22000', `${property} of compute pool ${pool} can be changed only while the pool is fully suspended. Run ALTER COMPUTE POOL ${pool} SUSPEND and wait until its state is SUSPENDED.`);
  },

  invalidInstanceFamily(family: string): SnowflakeSqlError {
    // Text CONFIRMED (real output quoted in a public issue: "Invalid instance family STANDARD_1. Please
    // refer to Snowflake documentation for supported instance families."); code 001008 / 22023 CHOSEN.
    return new SnowflakeSqlError('001008', '22023', `Invalid instance family ${family}. Please refer to Snowflake documentation for supported instance families.`);
  },

  quotedNameNotSupported(kind: string, name: string): SnowflakeSqlError {
    // CHOSEN: 001008 / 22023. Documented rule (CREATE COMPUTE POOL, CREATE IMAGE REPOSITORY): "Quoted
    // names for special characters or case-sensitive names are not supported."
    return new SnowflakeSqlError('001008', '22023', `${compilation}Invalid ${kind} name '${name}'. Quoted names for special characters or case-sensitive names are not supported.`);
  },

  orReplaceWithIfNotExists(): SnowflakeSqlError {
    // CHOSEN: 001003 / 42000, reported like a syntax error. Documented rule (CREATE IMAGE REPOSITORY):
    // "The OR REPLACE and IF NOT EXISTS clauses are mutually exclusive."
    return new SnowflakeSqlError('001003', '42000', `${compilation}OR REPLACE and IF NOT EXISTS are mutually exclusive; use only one of them.`);
  },

  invalidGatewaySpec(detail: string): SnowflakeSqlError {
    // CHOSEN: 395018 / 22023, the family of "Invalid spec: …" (CONFIRMED for service specifications);
    // no real gateway error text was found. The details follow the documented gateway spec rules.
    return new SnowflakeSqlError('395018', '22023', `Invalid gateway spec: ${detail}`);
  },

  serviceState(message: string): SnowflakeSqlError {
    // CHOSEN: 391428 / 22000 for operations not allowed in the service's current state.
    return new SnowflakeSqlError('391428', '22000', message);
  },

  jobFailed(job: string, status: string): SnowflakeSqlError {
    // CHOSEN: 391429 / 22000; the success text ("Job X completed successfully with status: DONE.")
    // is CONFIRMED, the failure text follows it.
    return new SnowflakeSqlError('391429', '22000', `Job ${job} completed with status: ${status}. Check the container logs with SYSTEM$GET_SERVICE_LOGS('${job}', '0', '<container>').`);
  },

  instanceNotFound(service: string, instance: string): SnowflakeSqlError {
    // CHOSEN: 391430 / 22000.
    return new SnowflakeSqlError('391430', '22000', `Instance '${instance}' of service ${service} does not exist or is not running.`);
  },

  containerNotFound(service: string, container: string): SnowflakeSqlError {
    // CHOSEN: 391431 / 22000.
    return new SnowflakeSqlError('391431', '22000', `Container '${container}' does not exist in service ${service}.`);
  },

  noPreviousLogs(service: string, container: string): SnowflakeSqlError {
    // CHOSEN: 391432 / 22000. The docs say previous logs can be requested only once the container
    // has restarted at least once.
    return new SnowflakeSqlError('391432', '22000', `Container '${container}' of service ${service} has not restarted, so it has no previous logs.`);
  },

  invalidArgument(functionName: string, message: string): SnowflakeSqlError {
    // CHOSEN: 100094 / 22000 (invalid argument to a system function).
    return new SnowflakeSqlError('100094', '22000', `Invalid argument for function ${functionName}: ${message}`);
  },

  tooManyArguments(functionName: string, count: number): SnowflakeSqlError {
    // CONFIRMED shape: 001044 / 42P13 "Invalid argument types for function 'X': (…)".
    return new SnowflakeSqlError('001044', '42P13', `${compilation}Invalid number of arguments (${count}) for function '${functionName}'.`);
  },

  unknownFunction(name: string): SnowflakeSqlError {
    // CONFIRMED: 002140 / 42601 "Unknown function X".
    return new SnowflakeSqlError('002140', '42601', `${compilation}Unknown function ${name}`);
  },

  invalidIdentifier(name: string): SnowflakeSqlError {
    // CONFIRMED code 000904 / 42000 "invalid identifier 'X'" (Snowflake adds "error line L at position P").
    return new SnowflakeSqlError('000904', '42000', `${compilation}invalid identifier '${name}'`);
  },

  numericNotRecognized(text: string): SnowflakeSqlError {
    // CONFIRMED: 100038 / 22018 "Numeric value 'abc' is not recognized".
    return new SnowflakeSqlError('100038', '22018', `Numeric value '${text}' is not recognized`);
  },

  timestampNotRecognized(text: string): SnowflakeSqlError {
    // CONFIRMED text "Timestamp 'x' is not recognized"; code 100035 / 22007 from memory of real output.
    return new SnowflakeSqlError('100035', '22007', `Timestamp '${text}' is not recognized`);
  },

  booleanNotRecognized(text: string): SnowflakeSqlError {
    // CONFIRMED shape: 100037 / 22018 "Boolean value 'x' is not recognized".
    return new SnowflakeSqlError('100037', '22018', `Boolean value '${text}' is not recognized`);
  },

  divisionByZero(): SnowflakeSqlError {
    // CONFIRMED: 100051 / 22012 "Division by zero".
    return new SnowflakeSqlError('100051', '22012', 'Division by zero');
  },

  invalidArgumentType(detail: string): SnowflakeSqlError {
    // CHOSEN: 001044 / 42P13 (the "invalid argument types for function" family).
    return new SnowflakeSqlError('001044', '42P13', `${compilation}Invalid argument types: ${detail}.`);
  },

  invalidAggregate(text: string): SnowflakeSqlError {
    // CHOSEN: 002035 / 42601; Snowflake words it "Invalid aggregate function in where clause [X]".
    return new SnowflakeSqlError('002035', '42601', `${compilation}Invalid aggregate function here [${text}]`);
  },

  notGroupByExpression(text: string): SnowflakeSqlError {
    // CONFIRMED text "[X] is not a valid group by expression"; code 000979 / 42601 from memory.
    return new SnowflakeSqlError('000979', '42601', `${compilation}[${text}] is not a valid group by expression`);
  },

  tableFunctionArgument(functionName: string, detail: string): SnowflakeSqlError {
    // CHOSEN: 001044 / 42P13, with the arguments the function takes.
    return new SnowflakeSqlError('001044', '42P13', `${compilation}Invalid argument for function '${functionName}': ${detail} It takes START_TIME => <timestamp> and END_TIME => <timestamp>, both optional.`);
  },

  resultTooLarge(limit: number): SnowflakeSqlError {
    // An emulator limit (Snowflake has none this small): unsupported rather than a silent cut.
    return new SnowflakeSqlError('000002', '0A000', `Unsupported feature 'results of more than ${limit.toLocaleString('en-US')} rows'. Narrow the time window, filter, or aggregate (TIME_SLICE … GROUP BY).`);
  },

  ownershipTransfer(): SnowflakeSqlError {
    // CHOSEN: 003011 / 42501. Reference §1.14: service ownership cannot be transferred.
    return new SnowflakeSqlError('003011', '42501', `SQL access control error:\nOwnership of a service cannot be transferred.`);
  },

  cannotDropCurrentRole(role: string): SnowflakeSqlError {
    // CHOSEN: 003012 / 42501.
    return new SnowflakeSqlError('003012', '42501', `SQL access control error:\nRole '${role}' is in use and cannot be dropped.`);
  },
} as const;
