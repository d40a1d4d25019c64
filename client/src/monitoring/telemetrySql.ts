/**
 * SQL text for what the monitoring room reads from Snowflake's event table through a service's helper
 * table functions (`<service>!SPCS_GET_EVENTS`, `!SPCS_GET_METRICS`, `!SPCS_GET_LOGS`), and for the
 * settings its explanations name (LOG_EVENT_LEVEL). Pure functions over values; nothing here talks
 * to Snowflake.
 *
 * Choices, and why:
 * - The time window is always given as the functions' own `START_TIME` / `END_TIME` arguments, as
 *   `TO_TIMESTAMP_LTZ('<ISO 8601 UTC>')`: the column `TIMESTAMP` is TIMESTAMP_NTZ in UTC, and
 *   comparing it with a TIMESTAMP_LTZ (`CURRENT_TIMESTAMP()`) turns that value into the session's wall
 *   clock, so a `WHERE TIMESTAMP > …` window would be off by the session's UTC offset.
 * - Metrics are aggregated by SQL into `TIME_SLICE` buckets chosen from the range (`bucketFor`), so a
 *   chart gets a bounded number of points whatever the range: a day of 10-second samples of one metric
 *   of 12 containers is 100,000 rows, in 10-minute buckets 1,728.
 * - Columns are aliased, and readers (`telemetryRows.ts`) read them by those names.
 * - Identifiers are quoted by `snowflake/sql.ts`; the only literals are ISO timestamps made here, metric
 *   names from the catalogue, and container names, all through `stringLiteral`.
 */

import { objectName, stringLiteral, type ObjectName } from '../snowflake/sql';

export type TelemetryFunction = 'SPCS_GET_EVENTS' | 'SPCS_GET_METRICS' | 'SPCS_GET_LOGS';

/** Milliseconds since the epoch, both ends included (as the table functions include them). */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

/** Which part of a service to read: the whole service, one instance, or one container of one instance. */
export interface TelemetryScope {
  readonly service: ObjectName;
  readonly instanceId?: string;
  readonly container?: string;
}

/** `TO_TIMESTAMP_LTZ('2026-01-01T11:00:00.000Z')`: an instant, whatever the session's time zone. */
export function timestampLiteral(at: number): string {
  if (!Number.isFinite(at)) {
    throw new RangeError(`Not a moment: ${at}`);
  }
  return `TO_TIMESTAMP_LTZ(${stringLiteral(new Date(at).toISOString())})`;
}

/** `TABLE(db.schema.svc!SPCS_GET_…(START_TIME => …, END_TIME => …))`. */
export function telemetryTable(service: ObjectName, fn: TelemetryFunction, window: TimeWindow): string {
  if (window.end < window.start) {
    throw new RangeError('The end of a time window must not come before its start.');
  }
  return `TABLE(${objectName(service)}!${fn}(START_TIME => ${timestampLiteral(window.start)}, END_TIME => ${timestampLiteral(window.end)}))`;
}

/** `INSTANCE_ID = 0 AND CONTAINER_NAME = 'vllm'` for a scoped read; `[]` for a whole service. */
function scopeConditions(scope: TelemetryScope): string[] {
  const conditions: string[] = [];
  if (scope.instanceId !== undefined) {
    if (!/^\d+$/.test(scope.instanceId)) {
      throw new RangeError(`Instance ids are numbers, not ${JSON.stringify(scope.instanceId)}.`);
    }
    conditions.push(`INSTANCE_ID = ${scope.instanceId}`);
  }
  if (scope.container !== undefined) {
    conditions.push(`CONTAINER_NAME = ${stringLiteral(scope.container)}`);
  }
  return conditions;
}

function where(conditions: readonly string[]): string {
  return conditions.length === 0 ? '' : `\nWHERE ${conditions.join(' AND ')}`;
}

function limit(rows: number): string {
  if (!Number.isInteger(rows) || rows < 1) {
    throw new RangeError(`LIMIT must be a positive integer, not ${rows}.`);
  }
  return `\nLIMIT ${rows}`;
}

// ---------------------------------------------------------------------------------------------------
// Events

/** Platform events of the scope, newest first, at most `maxRows`. Aliases: see `readEventRow`. */
export function eventsQuery(scope: TelemetryScope, window: TimeWindow, maxRows: number): string {
  return (
    'SELECT TIMESTAMP AS T, SEVERITY, EVENT_NAME, EVENT_DETAILS:message::VARCHAR AS MESSAGE, EVENT_DETAILS:status::VARCHAR AS STATUS, INSTANCE_ID, CONTAINER_NAME' +
    `\nFROM ${telemetryTable(scope.service, 'SPCS_GET_EVENTS', window)}` +
    where(scopeConditions(scope)) +
    '\nORDER BY T DESC' +
    limit(maxRows)
  );
}

// ---------------------------------------------------------------------------------------------------
// Metrics

/** A TIME_SLICE bucket, in seconds (a multiple of the 10-second sampling). */
export type BucketSeconds = number;

/** The buckets a range may use, smallest first; a chart gets at most `maxPoints` of them. */
export const bucketSteps: readonly BucketSeconds[] = [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400];

/**
 * Points per series: one per 4-5 pixels of a chart as wide as an editor, which draws a day as smoothly
 * as 8,640 raw samples would, and keeps a chart of a dozen containers to ~2,000 rows (the driver's cost
 * grows with the rows it receives; a small result also comes back inline, without extra downloads).
 */
export const maxPoints = 200;

/** The smallest bucket that keeps a range to at most `maxPoints` points: 10 s for 15 minutes, 30 s for an hour, 2 min for 6 hours, 10 min for a day. */
export function bucketFor(window: TimeWindow): BucketSeconds {
  const seconds = Math.max(1, (window.end - window.start) / 1000);
  return bucketSteps.find((step) => seconds / step <= maxPoints) ?? bucketSteps[bucketSteps.length - 1] ?? 86_400;
}

export type MetricAggregate = 'AVG' | 'MAX';

export interface MetricsQuery {
  readonly scope: TelemetryScope;
  readonly window: TimeWindow;
  readonly metrics: readonly string[];
  readonly bucketSeconds: BucketSeconds;
  /** How a bucket's samples become one value: MAX for levels that matter at their peak (memory), AVG for rates. */
  readonly aggregate: MetricAggregate;
  /** A RECORD_ATTRIBUTES key that splits a container's metric into series (`gpu`, `snow.endpoint.name`, …). */
  readonly seriesAttribute?: string;
}

/**
 * One value per bucket, metric, instance, container (and attribute) in the window. Aliases: `T` (the
 * bucket's start, TIMESTAMP_NTZ in UTC), `M` (metric), `I` (instance), `C` (container, NULL for
 * instance metrics), `K` (the series attribute, or NULL), `V` (the aggregated value, FLOAT).
 */
export function metricsQuery(query: MetricsQuery): string {
  if (query.metrics.length === 0) {
    throw new RangeError('A metrics query needs at least one metric name.');
  }
  if (!Number.isInteger(query.bucketSeconds) || query.bucketSeconds < 1) {
    throw new RangeError(`A bucket is a positive number of seconds, not ${query.bucketSeconds}.`);
  }
  const attribute = query.seriesAttribute === undefined ? 'NULL' : `RECORD_ATTRIBUTES:${attributePath(query.seriesAttribute)}::VARCHAR`;
  const names = query.metrics.map(stringLiteral).join(', ');
  return (
    `SELECT TIME_SLICE(TIMESTAMP, ${query.bucketSeconds}, 'SECOND') AS T, METRIC_NAME AS M, INSTANCE_ID AS I, CONTAINER_NAME AS C, ${attribute} AS K, ${query.aggregate}(VALUE::FLOAT) AS V` +
    `\nFROM ${telemetryTable(query.scope.service, 'SPCS_GET_METRICS', query.window)}` +
    where([`METRIC_NAME IN (${names})`, ...scopeConditions(query.scope)]) +
    '\nGROUP BY 1, 2, 3, 4, 5'
  );
}

/** `gpu` → `gpu`; `snow.endpoint.name` → `"snow.endpoint.name"` (a path element with dots is quoted). */
function attributePath(key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return key;
  if (key.includes('"')) throw new RangeError(`An attribute key cannot contain a double quote: ${key}`);
  return `"${key}"`;
}

/** Which metric names the window has (for a role that may not read the spec and so its groups). */
export function metricNamesQuery(scope: TelemetryScope, window: TimeWindow): string {
  return `SELECT METRIC_NAME AS M, COUNT(*) AS N\nFROM ${telemetryTable(scope.service, 'SPCS_GET_METRICS', window)}${where(scopeConditions(scope))}\nGROUP BY 1`;
}

/**
 * The newest samples of a few metrics (for a node's health summary): every sample in a short window,
 * newest first. Aliases: `T` (TIMESTAMP), `M`, `I`, `C`, `K` (RECORD_ATTRIBUTES:gpu), `V`.
 */
export function latestSamplesQuery(scope: TelemetryScope, window: TimeWindow, metrics: readonly string[]): string {
  return (
    `SELECT TIMESTAMP AS T, METRIC_NAME AS M, INSTANCE_ID AS I, CONTAINER_NAME AS C, RECORD_ATTRIBUTES:gpu::VARCHAR AS K, VALUE::FLOAT AS V` +
    `\nFROM ${telemetryTable(scope.service, 'SPCS_GET_METRICS', window)}` +
    where([`METRIC_NAME IN (${metrics.map(stringLiteral).join(', ')})`, ...scopeConditions(scope)]) +
    '\nORDER BY T DESC'
  );
}

// ---------------------------------------------------------------------------------------------------
// Logs

/**
 * Log lines of the scope in the window, newest first, at most `maxRows` (the caller asks one more
 * than it shows, to know whether it was cut). Aliases: `T`, `INSTANCE_ID`, `CONTAINER_NAME`, `LOG`.
 */
export function logsQuery(scope: TelemetryScope, window: TimeWindow, maxRows: number): string {
  return (
    'SELECT TIMESTAMP AS T, INSTANCE_ID, CONTAINER_NAME, LOG' +
    `\nFROM ${telemetryTable(scope.service, 'SPCS_GET_LOGS', window)}` +
    where(scopeConditions(scope)) +
    '\nORDER BY T DESC' +
    limit(maxRows)
  );
}

// ---------------------------------------------------------------------------------------------------
// LOG_EVENT_LEVEL

/** `SHOW PARAMETERS LIKE 'LOG_EVENT_LEVEL' IN SERVICE …`: the level in effect and where it comes from (`level`). */
export function showLogEventLevel(service: ObjectName): string {
  return `SHOW PARAMETERS LIKE 'LOG_EVENT_LEVEL' IN SERVICE ${objectName(service)}`;
}

export type LogEventLevel = 'INFO' | 'ERROR' | 'OFF';

/** `ALTER SERVICE … SET LOG_EVENT_LEVEL = 'INFO'`: records the service's platform events from now on. */
export function setServiceLogEventLevel(service: ObjectName, level: LogEventLevel): string {
  return `ALTER SERVICE ${objectName(service)} SET LOG_EVENT_LEVEL = ${stringLiteral(level)}`;
}

/** `ALTER ACCOUNT SET LOG_EVENT_LEVEL = 'INFO'` (ACCOUNTADMIN, or MODIFY LOG EVENT LEVEL on the account). */
export function setAccountLogEventLevel(level: LogEventLevel): string {
  return `ALTER ACCOUNT SET LOG_EVENT_LEVEL = ${stringLiteral(level)}`;
}
