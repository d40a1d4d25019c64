/**
 * The Snowflake CLI's project definition (`snowflake.yml`, `definition_version: "2"`) as far as SPCS
 * goes: the fields of the `service`, `compute-pool` and `image-repository` entities, what each holds,
 * which the CLI needs, their bounds and documentation. Validation, completion and hover read this one
 * table; the client's "Deploy entity" reads the values it describes (`projectDefinition.ts`).
 *
 * Source: the entity models of `snowflakedb/snowflake-cli` (`_plugins/spcs/*_entity_model.py`,
 * `api/project/schemas/entities/common.py`; read, not copied) and `snow spcs service deploy`. The CLI's
 * models forbid unknown keys and validate in pydantic's lax mode (`"3"` is an integer, `"yes"` a
 * boolean, `3` is not a string); a value containing `<%` is not validated there (templating).
 * `stage`, `compute_pool` and `spec_file` default to nothing in the model, but `deploy` cannot run
 * without them, so they count as required here; `instance_family` likewise for a compute pool.
 *
 * Must not: hold state or know about YAML nodes (plain data).
 */

export type FieldKind =
  /** A string (pydantic `str`: a number is refused). */
  | 'string'
  /** An integer (a numeric string is accepted). */
  | 'integer'
  /** A boolean (`true`, `false`, and the strings and numbers pydantic reads as booleans). */
  | 'boolean'
  /** A list of strings. */
  | 'stringList'
  /** A string or a list of strings (`meta.use_mixins`). */
  | 'stringOrList'
  /** A mapping of strings to strings (`secrets`). */
  | 'stringMap'
  /** A mapping with any values (`meta.action_arguments`). */
  | 'mapping'
  /** A list of `{ name, value }`. */
  | 'tags'
  /** A list of paths or `{ src, dest, processors, ignore }`. */
  | 'artifacts'
  /** A list of `{ sql_script }`. */
  | 'postDeploy'
  /** A string, or `{ name, schema, database }`. */
  | 'identifier'
  /** The `meta` mapping. */
  | 'meta';

/** Where completion finds values for a field in the account catalog. */
export type CatalogSource = 'computePools' | 'warehouses' | 'externalAccessIntegrations' | 'stages' | 'instanceFamilies';

export interface EntityField {
  readonly name: string;
  readonly kind: FieldKind;
  /** `snow … deploy` cannot run without it (after mixins and `snowflake.local.yml` are merged in). */
  readonly required?: boolean;
  /** Smallest allowed integer. */
  readonly minimum?: number;
  /** The CLI's default, as text for hover and completion details. */
  readonly defaultValue?: string;
  /** Markdown. */
  readonly description: string;
  readonly catalog?: CatalogSource;
}

export type SpcsEntityType = 'service' | 'compute-pool' | 'image-repository';

export interface EntityType {
  readonly type: SpcsEntityType;
  /** Markdown. */
  readonly description: string;
  /** The deploy command. */
  readonly command: string;
  readonly fields: readonly EntityField[];
}

const typeField: EntityField = {
  name: 'type',
  kind: 'string',
  required: true,
  description: 'The entity type: `service`, `compute-pool` or `image-repository` for Snowpark Container Services.',
};

const identifierField: EntityField = {
  name: 'identifier',
  kind: 'identifier',
  description:
    'The object\'s name in Snowflake: a string (`my_service`, or qualified `db.schema.my_service`), or `{ name, schema, database }`. Without it, the entity\'s key is the name.',
};

const metaField: EntityField = {
  name: 'meta',
  kind: 'meta',
  description: 'Meta fields: `use_mixins` (mixins whose fields this entity takes), `depends_on` (entities deployed first), `warehouse`, `role`, `post_deploy`, `action_arguments`.',
};

const commentField = (what: string): EntityField => ({ name: 'comment', kind: 'string', description: `A comment for the ${what} (\`COMMENT = '…'\`).` });
const tagsField = (what: string): EntityField => ({
  name: 'tags',
  kind: 'tags',
  description: `Tags for the ${what}: a list of \`{ name, value }\` (\`WITH TAG (name = 'value', …)\`). A tag's name is a Snowflake identifier.`,
});

export const spcsEntityTypes: Readonly<Record<SpcsEntityType, EntityType>> = {
  service: {
    type: 'service',
    command: 'snow spcs service deploy',
    description:
      'A Snowpark Container Services **service**. `snow spcs service deploy [ENTITY_ID] [--upgrade]` creates the stage if needed, uploads the `artifacts` to it, then runs `CREATE SERVICE … IN COMPUTE POOL … FROM @stage SPECIFICATION_FILE = \'<spec_file>\'` with the instance counts and properties; with `--upgrade` it sets the properties (`ALTER SERVICE … SET`) and replaces the spec (`ALTER SERVICE … FROM @stage SPECIFICATION_FILE = …`).',
    fields: [
      typeField,
      identifierField,
      metaField,
      {
        name: 'stage',
        kind: 'string',
        required: true,
        catalog: 'stages',
        description: 'The stage the artifacts (the spec file among them) are uploaded to and the service is created from (`FROM @stage`). Created by `deploy` when it does not exist.',
      },
      { name: 'compute_pool', kind: 'string', required: true, catalog: 'computePools', description: 'The compute pool the service runs in (`IN COMPUTE POOL`).' },
      {
        name: 'spec_file',
        kind: 'string',
        required: true,
        description:
          'The service specification\'s path on the stage (`SPECIFICATION_FILE = \'<spec_file>\'`), as the `artifacts` put it there: usually the spec\'s path relative to `snowflake.yml`, listed in `artifacts`.',
      },
      {
        name: 'artifacts',
        kind: 'artifacts',
        required: true,
        description:
          'The files uploaded to the stage before the service is created: paths relative to `snowflake.yml` (globs allowed), or `{ src, dest }` to place a file elsewhere on the stage. The spec file must be among them.',
      },
      { name: 'deploy_root', kind: 'string', defaultValue: 'output/deploy/', description: 'The folder, relative to the project root, where the artifacts are bundled before the upload.' },
      { name: 'min_instances', kind: 'integer', minimum: 1, defaultValue: '1', description: 'The minimum number of service instances (`MIN_INSTANCES`), at least 1.' },
      { name: 'max_instances', kind: 'integer', minimum: 1, description: 'The maximum number of service instances (`MAX_INSTANCES`); at least `min_instances`, which it defaults to.' },
      { name: 'auto_resume', kind: 'boolean', defaultValue: 'true', description: 'Whether the service resumes by itself when a service function or ingress is called (`AUTO_RESUME`).' },
      {
        name: 'auto_suspend_secs',
        kind: 'integer',
        minimum: 0,
        description: 'Seconds of inactivity after which the service suspends (`AUTO_SUSPEND_SECS`; 0 turns auto-suspend off).',
      },
      {
        name: 'query_warehouse',
        kind: 'string',
        catalog: 'warehouses',
        description: 'The warehouse a container uses when it connects to Snowflake to run a query without naming one (`QUERY_WAREHOUSE`).',
      },
      {
        name: 'external_access_integrations',
        kind: 'stringList',
        catalog: 'externalAccessIntegrations',
        description: 'The external access integrations the service may use to reach external networks (`EXTERNAL_ACCESS_INTEGRATIONS = (…)`).',
      },
      { name: 'secrets', kind: 'stringMap', description: 'Secrets assigned to variables (`variable: db.schema.secret`). Accepted by the entity model; `snow spcs service deploy` does not send them (a service reads secrets through its spec).' },
      tagsField('service'),
      commentField('service'),
    ],
  },
  'compute-pool': {
    type: 'compute-pool',
    command: 'snow spcs compute-pool deploy',
    description:
      'A Snowpark Container Services **compute pool**. `snow spcs compute-pool deploy [ENTITY_ID] [--upgrade]` runs `CREATE COMPUTE POOL … MIN_NODES … MAX_NODES … INSTANCE_FAMILY …`; with `--upgrade` it sets `min_nodes`, `max_nodes`, `auto_resume`, `auto_suspend_seconds` and `comment`.',
    fields: [
      typeField,
      identifierField,
      metaField,
      { name: 'instance_family', kind: 'string', required: true, catalog: 'instanceFamilies', description: 'The machine type of the pool\'s nodes (`INSTANCE_FAMILY`), for example `CPU_X64_S` or `GPU_NV_M`.' },
      { name: 'min_nodes', kind: 'integer', minimum: 1, defaultValue: '1', description: 'The minimum number of nodes (`MIN_NODES`), at least 1.' },
      { name: 'max_nodes', kind: 'integer', minimum: 1, description: 'The maximum number of nodes (`MAX_NODES`); at least `min_nodes`, which it defaults to.' },
      { name: 'auto_resume', kind: 'boolean', defaultValue: 'true', description: 'Whether the pool resumes by itself when a service or job is submitted to it (`AUTO_RESUME`).' },
      { name: 'initially_suspended', kind: 'boolean', defaultValue: 'false', description: 'Whether the pool is created suspended (`INITIALLY_SUSPENDED`).' },
      {
        name: 'auto_suspend_seconds',
        kind: 'integer',
        minimum: 1,
        defaultValue: '3600',
        description: 'Seconds of inactivity after which the pool suspends (`AUTO_SUSPEND_SECS`). Note the spelling: `auto_suspend_seconds` here, `auto_suspend_secs` on a service.',
      },
      commentField('compute pool'),
      tagsField('compute pool'),
    ],
  },
  'image-repository': {
    type: 'image-repository',
    command: 'snow spcs image-repository deploy',
    description: 'A Snowpark Container Services **image repository** (`CREATE IMAGE REPOSITORY`), deployed with `snow spcs image-repository deploy [ENTITY_ID]`.',
    fields: [typeField, identifierField, metaField],
  },
};

export function isSpcsEntityType(type: string): type is SpcsEntityType {
  return Object.prototype.hasOwnProperty.call(spcsEntityTypes, type);
}

/** The CLI's other entity types: accepted, never checked here. */
export const otherEntityTypes: readonly string[] = ['application', 'application package', 'function', 'procedure', 'streamlit', 'notebook', 'snowflake-app'];

export const identifierFields: readonly EntityField[] = [
  { name: 'name', kind: 'string', required: true, description: 'The object\'s name.' },
  { name: 'schema', kind: 'string', description: 'The schema (the connection\'s current schema when left out).' },
  { name: 'database', kind: 'string', description: 'The database (the connection\'s current database when left out).' },
];

export const metaFields: readonly EntityField[] = [
  { name: 'use_mixins', kind: 'stringOrList', description: 'Mixins (from the top-level `mixins` section) whose fields this entity takes; the entity\'s own fields win.' },
  { name: 'depends_on', kind: 'stringList', description: 'Entities (by key) that are deployed before this one.' },
  { name: 'warehouse', kind: 'string', catalog: 'warehouses', description: 'The warehouse used to run the entity\'s scripts.' },
  { name: 'role', kind: 'string', description: 'The role used to create the object.' },
  { name: 'post_deploy', kind: 'postDeploy', description: 'Scripts run after the object is created or upgraded: a list of `{ sql_script: <path> }`.' },
  { name: 'action_arguments', kind: 'mapping', description: 'Arguments used when this entity is deployed as a dependency of another one.' },
];

export const tagFields: readonly EntityField[] = [
  { name: 'name', kind: 'string', required: true, description: 'The tag\'s name: a Snowflake identifier.' },
  { name: 'value', kind: 'string', required: true, description: 'The tag\'s value.' },
];

export const artifactFields: readonly EntityField[] = [
  { name: 'src', kind: 'string', description: 'The source path or glob, relative to the project root.' },
  { name: 'dest', kind: 'string', description: 'The destination on the stage, relative to its root; a path ending with `/` is a folder the files are copied into.' },
  { name: 'processors', kind: 'stringList', description: 'Processors applied to the matching files while bundling.' },
  { name: 'ignore', kind: 'stringList', description: 'Glob patterns of files and folders left out of the bundle.' },
];

/** The top level of a `definition_version: "2"` project definition. */
export const topLevelFields: readonly EntityField[] = [
  { name: 'definition_version', kind: 'string', required: true, description: 'The version of the project definition format: `"2"` for entities (`1` and `1.1` have no SPCS entities).' },
  { name: 'entities', kind: 'mapping', description: 'The project\'s entities, by key: each has a `type` (`service`, `compute-pool`, `image-repository`, `streamlit`, `function`, …) and that type\'s fields.' },
  { name: 'env', kind: 'mapping', description: 'Default values of the environment variables that `<% ctx.env.NAME %>` reads (the process environment wins).' },
  { name: 'mixins', kind: 'mapping', description: 'Named sets of fields that entities take with `meta.use_mixins` (the entity\'s own fields win; lists are merged).' },
];
