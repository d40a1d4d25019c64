/**
 * The catalogue of every diagnostic the language service can report.
 *
 * Owns: the stable code of each diagnostic (`spcs/<name>`), its default severity, the rule of
 * `../shared/reference/spcs.md` §2 it implements, a one-line summary used by the README table (markdown),
 * the SARIF rule list and the CLI, and the two spellings of a code (below). Codes are a public contract
 * (users filter on them, CI pipelines grep them): never rename one; add a new one instead.
 *
 * Two spellings, one identity. The catalogue key `spcs/<name>` is the identity and stays what every
 * consumer that has no separate "source" sees: the language service's own diagnostics (the CLI, the
 * emulator and the client's deploy checks key on them), `spcs-lint`'s text, JSON and SARIF output
 * (`ruleId`s, so code-scanning alerts keep their identity) and the README table. Only diagnostics
 * published over LSP carry `<name>` (`publishedDiagnostic`): there `source: 'spcs'` already says whose
 * they are, and editors show both side by side (VS Code's Problems panel: `spcs(account-pool-gpu)`,
 * not `spcs(spcs/account-pool-gpu)`); they also carry `codeDescription.href`, the code's row of the
 * README's diagnostics table (`codeDocumentationUrl`, anchor `#spcs-<name>`). Renaming the keys instead
 * would have changed every output users may already filter on, for the sake of one display. Whatever
 * reads a code back (an editor's code action context, the client reading VS Code's diagnostics) takes
 * either spelling through `catalogueCode`: this module is the only place that knows the prefix.
 *
 * Severity follows the reference, with one overriding principle: where the documentation is unsure
 * whether Snowflake rejects something, the diagnostic is a warning, because a false error on a
 * valid spec is the worst bug this product can have.
 */

import type { Diagnostic } from 'vscode-languageserver-types';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface DiagnosticCodeInfo {
  /** Default severity; a rule may report a specific instance with another one (e.g. a warning variant). */
  readonly severity: Severity;
  /** Rule ids of the reference catalogue (S01-S60, Q01-Q15) this code implements. */
  readonly rules: readonly string[];
  readonly summary: string;
}

export const diagnosticCodes = {
  // Document structure and parsing.
  'spcs/parse-error': { severity: 'error', rules: [], summary: 'The document is not valid YAML.' },
  'spcs/template-not-yaml': { severity: 'information', rules: [], summary: 'A template is not YAML until rendered (a placeholder stands for a whole block): checked only as far as that placeholder.' },
  'spcs/duplicate-key': { severity: 'warning', rules: [], summary: 'A key appears twice in one mapping; YAML parsers disagree on which value wins.' },
  'spcs/not-checked': { severity: 'warning', rules: [], summary: 'The document is too large or too deeply nested to check (specs are small); nothing else is reported on it.' },
  'spcs/too-many-problems': { severity: 'information', rules: [], summary: 'More problems than are shown: only the first 500 are reported.' },
  'spcs/multiple-documents': { severity: 'warning', rules: [], summary: 'A spec file holds one YAML document; later documents are ignored.' },
  'spcs/missing-spec': { severity: 'error', rules: ['S01'], summary: 'The top level has no `spec` mapping.' },
  'spcs/missing-containers': { severity: 'error', rules: ['S01'], summary: '`spec.containers` is missing or empty.' },
  'spcs/legacy-singular-key': { severity: 'warning', rules: ['S56'], summary: 'Singular `container:` / `endpoint:` / `volume:` from the 2023 preview; use the plural key.' },

  // Schema-level checks (ajv errors mapped to YAML ranges).
  'spcs/missing-required': { severity: 'error', rules: ['S02', 'S44'], summary: 'A required field is missing.' },
  'spcs/invalid-type': { severity: 'error', rules: [], summary: 'A value has the wrong type (for example a list where a mapping is expected).' },
  'spcs/invalid-value': { severity: 'error', rules: ['S14', 'S47', 'S48'], summary: 'A value is not one of the allowed values.' },
  'spcs/invalid-format': { severity: 'error', rules: [], summary: 'A value does not match the documented format.' },
  'spcs/unknown-key': { severity: 'warning', rules: ['S55'], summary: 'A key the specification reference does not define (Snowflake may ignore or reject it).' },

  // Names (S03, S04, S44, S46).
  'spcs/invalid-name': { severity: 'error', rules: ['S03'], summary: 'Container, endpoint and volume names: at most 63 lowercase letters, digits or `-`, starting with a letter.' },
  'spcs/duplicate-name': { severity: 'error', rules: ['S04'], summary: 'Two containers, endpoints, volumes or service roles share a name.' },
  'spcs/invalid-role-name': { severity: 'error', rules: ['S44'], summary: 'Service role names: letters, digits and `_`, starting with a letter.' },
  'spcs/builtin-role-name': { severity: 'warning', rules: ['S46'], summary: '`all_endpoints_usage` is the built-in service role.' },

  // Volumes and mounts (S05-S16).
  'spcs/undefined-volume': { severity: 'error', rules: ['S05'], summary: 'A volumeMount names a volume that `spec.volumes` does not define.' },
  'spcs/mount-path': { severity: 'warning', rules: ['S07'], summary: 'A mountPath should be absolute and not repeated within one container.' },
  'spcs/unused-volume': { severity: 'hint', rules: [], summary: 'A volume that no container mounts.' },
  'spcs/stage-v1-deprecated': { severity: 'warning', rules: ['S08'], summary: '`source: "@stage"` (Stage Mount V1) is rejected for new services since the 2026_08 behaviour change; use `source: stage` with `stageConfig`.' },
  'spcs/volume-size-required': { severity: 'error', rules: ['S09'], summary: 'memory and block volumes need a `size`.' },
  'spcs/invalid-block-size': { severity: 'error', rules: ['S10'], summary: 'A block volume size is an integer with the `Gi` suffix, 1-65536.' },
  'spcs/uid-gid-not-stage': { severity: 'warning', rules: ['S11'], summary: '`uid`/`gid` apply to stage volumes only.' },
  'spcs/config-source-mismatch': { severity: 'warning', rules: ['S12'], summary: '`blockConfig` needs `source: block`; `stageConfig` needs `source: stage`.' },
  'spcs/stage-config-required': { severity: 'error', rules: ['S13'], summary: '`source: stage` needs `stageConfig.name` starting with `@`.' },
  'spcs/invalid-snapshot-delete-after': { severity: 'error', rules: ['S15'], summary: '`snapshotDeleteAfter` is `<n>h` or `<n>d`.' },
  'spcs/block-performance': { severity: 'information', rules: ['S16'], summary: 'Block volume iops/throughput outside the documented ranges for its size.' },

  // Limits (S17).
  'spcs/limit-exceeded': { severity: 'error', rules: ['S17'], summary: 'More than 20 containers, 100 endpoints, 20 volumes, 3 block volumes or 50 secrets.' },

  // Endpoints (S18-S24).
  'spcs/port-or-port-range': { severity: 'error', rules: ['S18'], summary: 'An endpoint needs exactly one of `port` and `portRange`.' },
  'spcs/port-range-requires-tcp': { severity: 'error', rules: ['S19'], summary: '`portRange` needs `protocol: TCP` and a non-public endpoint.' },
  'spcs/public-requires-http': { severity: 'error', rules: ['S20'], summary: 'Public endpoints support only HTTP.' },
  'spcs/https-protocol': { severity: 'warning', rules: ['S21'], summary: '`HTTPS` is not in the current syntax; use HTTP (ingress terminates TLS).' },
  'spcs/invalid-port': { severity: 'error', rules: ['S22'], summary: 'Ports are integers 1-65535; a portRange is `"<low>-<high>"` with low ≤ high.' },
  'spcs/duplicate-port': { severity: 'warning', rules: ['S04'], summary: 'Two endpoints use the same port.' },
  'spcs/cors-allow-origin': { severity: 'error', rules: ['S23'], summary: '`corsSettings` needs a non-empty `Access-Control-Allow-Origin` list of URLs without a path; `*` is not allowed.' },
  'spcs/cors-not-public': { severity: 'warning', rules: ['S24'], summary: '`corsSettings` only applies to public endpoints.' },

  // Probes (S25-S27).
  'spcs/probe-incomplete': { severity: 'error', rules: ['S25'], summary: 'readinessProbe and livenessProbe need both `port` and `path`.' },
  'spcs/probe-values': { severity: 'warning', rules: ['S27'], summary: '`periodSeconds` and `failureThreshold` are positive integers.' },

  // Resources (S28-S34).
  'spcs/invalid-memory': { severity: 'error', rules: ['S28'], summary: 'Memory quantities need a unit: M, Mi, G or Gi.' },
  'spcs/invalid-cpu': { severity: 'error', rules: ['S29'], summary: 'cpu is a number of vCPUs (`0.5`) or millicores (`500m`).' },
  'spcs/gpu-request-limit': { severity: 'error', rules: ['S30'], summary: '`nvidia.com/gpu` must be set in both requests and limits, to the same positive integer.' },
  'spcs/request-exceeds-limit': { severity: 'warning', rules: ['S32'], summary: 'A cpu or memory request larger than its limit.' },
  'spcs/gpu-exceeds-family': { severity: 'error', rules: ['S31'], summary: 'More GPUs than the instance family has, or GPUs on a CPU family.' },
  'spcs/capacity-exceeded': { severity: 'error', rules: ['S33'], summary: 'The summed cpu/memory requests of all containers can never fit on one node of the instance family.' },
  'spcs/limit-capped': { severity: 'information', rules: ['S34'], summary: 'A limit above the node capacity is silently capped to it.' },
  'spcs/unknown-instance-family': { severity: 'warning', rules: [], summary: 'The instance family in the modeline or setting is not a known family.' },

  // Secrets (S35-S38, S57) and environment.
  'spcs/secret-object': { severity: 'error', rules: ['S35'], summary: '`snowflakeSecret` needs exactly one of `objectName` and `objectReference`.' },
  'spcs/secret-target': { severity: 'error', rules: ['S36'], summary: 'A secret needs exactly one of `envVarName` and `directoryPath`.' },
  'spcs/secret-key-ref': { severity: 'error', rules: ['S37', 'S38'], summary: '`secretKeyRef` goes with `envVarName` only and is username, password or secret_string.' },
  'spcs/env-value-not-scalar': { severity: 'warning', rules: ['S57'], summary: 'An env value that is a mapping or a list (only strings, numbers and booleans are documented).' },
  'spcs/env-injected-name': { severity: 'information', rules: [], summary: 'An env var that Snowflake injects itself and may override.' },

  // Session token (S39-S43).
  'spcs/session-token-config': { severity: 'error', rules: ['S39', 'S40', 'S41', 'S42', 'S43'], summary: '`sessionTokenConfig` rules: not with `mountSessionToken: false`, not empty, `permission` needs `path`, a quoted octal ≤ "0644", a normalized absolute path.' },

  // Service roles (S44-S45).
  'spcs/undefined-endpoint': { severity: 'error', rules: ['S45'], summary: 'A service role names an endpoint that `spec.endpoints` does not define.' },

  // Monitoring and autoscaling (S48-S53).
  'spcs/storage-metrics-without-block': { severity: 'information', rules: ['S48'], summary: 'The `storage` metric group reports block volumes only.' },
  'spcs/autoscaling-conditions': { severity: 'warning', rules: ['S49'], summary: '`scaleUp` takes `anyConditions`; `scaleDown` and `suspend` take `allConditions`.' },
  'spcs/autoscaling-condition': { severity: 'error', rules: ['S50', 'S51', 'S52'], summary: 'A metricCondition needs metricName, aggregationType, stabilizationPeriodSecs and exactly one of targetScaling/stepScaling (not stepScaling in suspend).' },

  // Images (S58-S59).
  'spcs/image-not-in-repository': { severity: 'warning', rules: ['S58'], summary: 'The image is not in a Snowflake image repository form (`/db/schema/repo/image:tag`).' },
  'spcs/image-without-tag': { severity: 'information', rules: [], summary: 'The image has no tag; `latest` is pulled and pinned by digest at CREATE time.' },

  // Gateway specifications (CREATE / ALTER GATEWAY … FROM SPECIFICATION). Their schema's checks use the
  // codes above (missing-required, invalid-type, invalid-value, unknown-key).
  'spcs/gateway-weights-sum': { severity: 'error', rules: [], summary: 'The `weight`s of a `traffic_split` gateway\'s targets do not add up to exactly 100.' },
  'spcs/gateway-endpoint-reference': { severity: 'error', rules: [], summary: 'A gateway endpoint `value` is not a fully qualified endpoint name `db.schema.service!endpoint`.' },
  'spcs/gateway-endpoint-count': { severity: 'warning', rules: [], summary: 'A gateway with more than 5 endpoints (the limit per gateway by default).' },
  'spcs/gateway-duplicate-endpoint': { severity: 'warning', rules: [], summary: 'The same endpoint appears twice in one gateway.' },
  'spcs/gateway-type-fields': { severity: 'warning', rules: [], summary: 'A field of the other gateway type: `split_type` / `targets` belong to `traffic_split`, `primary` / `shadow` to `shadow_traffic`.' },

  // Snowflake CLI project definitions (snowflake.yml): the SPCS entities only (service, compute-pool,
  // image-repository). Their field checks use the codes above (missing-required, invalid-type,
  // invalid-value, unknown-key).
  'spcs/project-spec-file': { severity: 'warning', rules: [], summary: 'A service entity\'s `spec_file` does not exist next to `snowflake.yml`, or is not a service specification.' },
  'spcs/project-unknown-mixin': { severity: 'error', rules: [], summary: 'An SPCS entity uses a mixin (`meta.use_mixins`) that the `mixins` section does not define.' },
  'spcs/project-file-name': { severity: 'information', rules: [], summary: 'The Snowflake CLI reads `snowflake.yml` and `snowflake.local.yml`, not the `.yaml` spelling.' },

  // The live account (only with a client that sends the account catalog; see lspExtension.ts). All are
  // warnings: the account may have changed since the catalog was read.
  'spcs/account-unknown-pool': { severity: 'warning', rules: [], summary: 'The compute pool named by the `pool=` modeline or the deploy target is not in the account catalog.' },
  'spcs/account-pool-gpu': { severity: 'warning', rules: ['S31', 'Q14'], summary: 'More GPUs than a node of the target compute pool has, or GPUs on a pool of CPU nodes (live instance family).' },
  'spcs/account-pool-capacity': { severity: 'warning', rules: ['S33', 'Q14'], summary: 'The cpu/memory requests can never fit on one node of the target compute pool (live instance family).' },
  'spcs/account-image-repository-not-found': { severity: 'warning', rules: ['S58'], summary: 'The image repository of an image is not in the account catalog (missing, or the role cannot see it).' },
  'spcs/account-image-not-found': { severity: 'warning', rules: ['S58'], summary: 'The image is not in its image repository.' },
  'spcs/account-image-tag-not-found': { severity: 'warning', rules: ['S58'], summary: 'The image has no such tag in its repository; quick fixes offer the newest tags.' },
  'spcs/account-stage-not-found': { severity: 'warning', rules: ['S13'], summary: 'The stage of a stage volume is not in the account catalog.' },
  'spcs/account-secret-not-found': { severity: 'warning', rules: ['S35'], summary: 'The secret object is not in the account catalog.' },
  'spcs/account-secret-type': { severity: 'warning', rules: ['S37'], summary: '`secretKeyRef` does not fit the secret\'s type (PASSWORD: username/password, GENERIC_STRING: secret_string, OAUTH2: access_token).' },
  'spcs/account-missing-privilege': { severity: 'warning', rules: ['Q06'], summary: 'The role lacks a privilege CREATE SERVICE needs (USAGE on the pool, READ on the repository, stage or secret, BIND SERVICE ENDPOINT for public endpoints), or CREATE GATEWAY needs (CREATE GATEWAY on the schema, BIND SERVICE ENDPOINT, USAGE on each target endpoint).' },
  'spcs/account-block-volume-instances': { severity: 'warning', rules: ['Q01'], summary: 'Block volumes need MIN_INSTANCES = MAX_INSTANCES, and the remembered deploy target differs.' },
  'spcs/account-gateway-target-not-found': { severity: 'warning', rules: [], summary: 'A gateway target\'s service, or its endpoint, is not in the account catalog (missing, or the role cannot see it).' },
  'spcs/account-gateway-target': { severity: 'warning', rules: [], summary: 'A gateway target cannot take the gateway\'s HTTP traffic: the endpoint is not HTTP, or the service is a job service.' },
} as const satisfies Record<string, DiagnosticCodeInfo>;

export type DiagnosticCode = keyof typeof diagnosticCodes;

export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return Object.prototype.hasOwnProperty.call(diagnosticCodes, code);
}

/**
 * The errors of the offline capacity check against the instance family the editor assumed
 * (modeline or setting, S31/S33). A deploy judges the chosen pool's own family instead (the pool
 * fit), so it sets these aside; `spcs/limit-capped` is a warning and never stops anything.
 */
export const familyCapacityErrorCodes: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>(['spcs/gpu-exceeds-family', 'spcs/capacity-exceeded']);

/** Whether a diagnostic's code (either spelling) is one of `familyCapacityErrorCodes`. */
export function isFamilyCapacityError(code: unknown): boolean {
  const known = catalogueCode(code);
  return known !== undefined && familyCapacityErrorCodes.has(known);
}

/** What the catalogue keys start with, and what published codes leave out. */
const codePrefix = 'spcs/';

/** The README's diagnostics section (package.json `repository`; a unit test keeps them in step). */
export const diagnosticsDocumentationUrl = 'https://github.com/vscode-spcs/vscode-spcs#diagnostics';

/** The code as published over LSP, without the `spcs/` that `source: 'spcs'` already says: `account-pool-gpu`. */
export function publishedCode(code: DiagnosticCode): string {
  return code.slice(codePrefix.length);
}

/**
 * The catalogue code of a code in either spelling (`spcs/gpu-request-limit` or `gpu-request-limit`,
 * also as LSP's `{ value }` form of VS Code's API), or undefined for a code that is not ours.
 */
export function catalogueCode(code: unknown): DiagnosticCode | undefined {
  const value = typeof code === 'object' && code !== null && 'value' in code ? code.value : code;
  if (typeof value !== 'string') return undefined;
  const full = value.startsWith(codePrefix) ? value : `${codePrefix}${value}`;
  return isDiagnosticCode(full) ? full : undefined;
}

/** The summary as plain text (it is markdown for the README table): code spans become 'quoted'. */
export function plainSummary(code: DiagnosticCode): string {
  return diagnosticCodes[code].summary.replace(/`([^`]*)`/g, "'$1'");
}

/** The HTML anchor of a code's row in the README table (GitHub anchors never hold a `/`). */
export function codeAnchor(code: DiagnosticCode): string {
  return code.replace('/', '-');
}

/** The code's row of the README's diagnostics table. */
export function codeDocumentationUrl(code: DiagnosticCode): string {
  return diagnosticsDocumentationUrl.replace(/#.*$/, `#${codeAnchor(code)}`);
}

/**
 * A diagnostic of the language service as it is published over LSP: the short code with a link to its
 * documentation. Anything else (a code that is not in the catalogue) passes unchanged.
 */
export function publishedDiagnostic(diagnostic: Diagnostic): Diagnostic {
  const code = catalogueCode(diagnostic.code);
  if (code === undefined) return diagnostic;
  return { ...diagnostic, code: publishedCode(code), codeDescription: { href: codeDocumentationUrl(code) } };
}
