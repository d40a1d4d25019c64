/**
 * A large, valid, realistic SPCS service specification for the benchmark.
 *
 * Owns: producing, deterministically, a spec at the documented limits (20 containers, 100 endpoints,
 * 20 volumes of every source, 40 secrets, probes, resources, service roles, log export and platform
 * metrics), padded with the environment variables and comments real large specs carry until it is
 * about `targetLines` long. Every name, port, mount and reference is consistent, so a correct
 * validator reports no errors on it and the diagnostics timed are those of real editing.
 *
 * Must not: depend on the language service (the benchmark times the server on this text; the
 * validity check lives in the benchmark report).
 */

export interface GeneratedSpecShape {
  readonly containers: number;
  readonly endpoints: number;
  readonly volumes: number;
}

export const generatedSpecShape: GeneratedSpecShape = { containers: 20, endpoints: 100, volumes: 20 };

const pad2 = (value: number): string => String(value).padStart(2, '0');
const pad3 = (value: number): string => String(value).padStart(3, '0');

export function containerName(index: number): string {
  return `svc-${pad2(index)}`;
}

export function endpointName(index: number): string {
  return `ep-${pad3(index)}`;
}

export function endpointPort(index: number): number {
  // Steps of ten: toggling the last digit of a port (the benchmark's edit) never collides.
  return 8000 + index * 10;
}

export function volumeName(index: number): string {
  return `vol-${pad2(index)}`;
}

type VolumeSource = 'block' | 'memory' | 'stage' | 'local';

function volumeSource(index: number): VolumeSource {
  if (index < 3) {
    return 'block'; // At most 3 block volumes per service.
  }
  if (index < 8) {
    return 'memory';
  }
  return index < 14 ? 'stage' : 'local';
}

const envSamples: readonly ((container: number, index: number) => string)[] = [
  (c, i) => `LOG_LEVEL_${i}: "INFO"`,
  (c, i) => `UPSTREAM_URL_${i}: "http://${containerName((c + 1) % 20)}:${endpointPort((c + 1) % 20)}/v1/items"`,
  (c, i) => `WORKER_THREADS_${i}: ${4 + ((c + i) % 12)}`,
  (c, i) => `FEATURE_FLAG_${i}: "true"`,
  (c, i) => `CACHE_TTL_SECONDS_${i}: ${300 + i * 15}`,
  (c, i) => `QUERY_TIMEOUT_MS_${i}: "${1500 + c * 10}"`,
  (c, i) => `REGION_${i}: aws_us_west_2`,
  (c, i) => `BATCH_SIZE_${i}: ${128 * (1 + (i % 4))}`,
];

interface ContainerPlan {
  readonly index: number;
  readonly envLines: number;
}

function containerLines(plan: ContainerPlan, lines: string[]): void {
  const c = plan.index;
  const name = containerName(c);
  const port = endpointPort(c);
  lines.push(`    # ${name}: service tier ${1 + (c % 4)}, owned by team-${String.fromCharCode(97 + (c % 6))}`);
  lines.push(`    - name: ${name}`);
  lines.push(`      image: /tutorial_db/data_schema/tutorial_repository/${name}:1.${c}.${(c * 7) % 10}`);
  lines.push('      command:');
  lines.push('        - /usr/local/bin/entrypoint.sh');
  lines.push('      args:');
  lines.push('        - --config');
  lines.push(`        - /etc/${name}/config.yaml`);
  lines.push(`        - --port=${port}`);
  lines.push('      env:');
  lines.push(`        SERVER_PORT: ${port}`);
  lines.push(`        SERVICE_NAME: ${name}`);
  let written = 2;
  let index = 0;
  while (written < plan.envLines) {
    if (index % 8 === 0 && written + 1 < plan.envLines) {
      lines.push(`        # settings group ${index / 8 + 1}`);
      written++;
    }
    const sample = envSamples[index % envSamples.length];
    if (sample) {
      lines.push(`        ${sample(c, index)}`);
    }
    written++;
    index++;
  }
  lines.push('      resources:');
  lines.push('        requests:');
  lines.push(`          memory: ${256 * (1 + (c % 4))}Mi`);
  lines.push(`          cpu: ${c % 2 === 0 ? '0.5' : '250m'}`);
  lines.push('        limits:');
  lines.push(`          memory: ${1 + (c % 3)}Gi`);
  lines.push(`          cpu: ${1 + (c % 2)}`);
  lines.push('      volumeMounts:');
  lines.push(`        - name: ${volumeName(c)}`);
  lines.push(`          mountPath: /mnt/${volumeName(c)}`);
  const shared = 8 + (c % 6); // The stage volumes are shared read paths.
  if (shared !== c) {
    lines.push(`        - name: ${volumeName(shared)}`);
    lines.push(`          mountPath: /mnt/shared/${volumeName(shared)}`);
  }
  lines.push('      secrets:');
  lines.push('        - snowflakeSecret:');
  lines.push(`            objectName: tutorial_db.data_schema.${name.replace('-', '_')}_api_key`);
  lines.push('          secretKeyRef: secret_string');
  lines.push(`          envVarName: API_KEY_${pad2(c)}`);
  lines.push('        - snowflakeSecret:');
  lines.push(`            objectName: tutorial_db.data_schema.${name.replace('-', '_')}_tls`);
  lines.push(`          directoryPath: /secrets/${name}`);
  lines.push('      readinessProbe:');
  lines.push(`        port: ${port}`);
  lines.push('        path: /healthz');
  lines.push('      livenessProbe:');
  lines.push(`        port: ${port}`);
  lines.push('        path: /livez');
  lines.push(`        periodSeconds: ${10 + (c % 3) * 5}`);
  lines.push('        failureThreshold: 3');
}

function render(envLinesPerContainer: readonly number[], shape: GeneratedSpecShape): string[] {
  const lines: string[] = [];
  lines.push('# Generated SPCS service specification used by the benchmark (bench/generateSpec.ts).');
  lines.push('# A large but valid spec: 20 containers, 100 endpoints, 20 volumes, service roles.');
  lines.push('spec:');
  lines.push('  containers:');
  for (let c = 0; c < shape.containers; c++) {
    containerLines({ index: c, envLines: envLinesPerContainer[c] ?? 2 }, lines);
  }
  lines.push('  endpoints:');
  for (let e = 0; e < shape.endpoints; e++) {
    if (e % 10 === 0) {
      lines.push(`    # endpoints ${e}-${e + 9}`);
    }
    lines.push(`    - name: ${endpointName(e)}`);
    lines.push(`      port: ${endpointPort(e)}`);
    if (e % 10 === 0) {
      lines.push('      public: true');
      lines.push('      protocol: HTTP');
      if (e === 0) {
        lines.push('      corsSettings:');
        lines.push('        Access-Control-Allow-Origin:');
        lines.push('          - https://app.example.com');
        lines.push('          - https://admin.example.com');
        lines.push('        Access-Control-Allow-Methods:');
        lines.push('          - GET');
        lines.push('          - POST');
      }
    } else {
      lines.push(`      protocol: ${e % 3 === 1 ? 'TCP' : 'HTTP'}`);
    }
  }
  lines.push('  volumes:');
  for (let v = 0; v < shape.volumes; v++) {
    const source = volumeSource(v);
    lines.push(`    - name: ${volumeName(v)}`);
    lines.push(`      source: ${source}`);
    if (source === 'block') {
      lines.push(`      size: ${10 * (v + 1)}Gi`);
      lines.push('      blockConfig:');
      lines.push('        encryption: SNOWFLAKE_SSE');
      lines.push('        snapshotOnDelete: true');
      lines.push('        snapshotDeleteAfter: 7d');
    } else if (source === 'memory') {
      lines.push(`      size: ${v}Gi`);
    } else if (source === 'stage') {
      lines.push('      stageConfig:');
      lines.push(`        name: "@tutorial_db.data_schema.assets_${pad2(v)}"`);
      lines.push('        metadataCache: 1 minute');
    }
  }
  lines.push('  logExporters:');
  lines.push('    eventTableConfig:');
  lines.push('      logLevel: INFO');
  lines.push('  platformMonitor:');
  lines.push('    metricConfig:');
  lines.push('      groups:');
  lines.push('        - system');
  lines.push('        - network');
  lines.push('        - storage');
  lines.push('serviceRoles:');
  for (let r = 0; r < 5; r++) {
    lines.push(`  - name: api_users_${r}`);
    lines.push('    endpoints:');
    for (let e = r * 20; e < r * 20 + 20; e++) {
      lines.push(`      - ${endpointName(e)}`);
    }
  }
  return lines;
}

/** A valid spec of about `targetLines` lines (never fewer than the skeleton needs). */
export function generateSpec(targetLines = 3000, shape: GeneratedSpecShape = generatedSpecShape): string {
  const minimal = Array.from({ length: shape.containers }, () => 2);
  const skeleton = render(minimal, shape).length;
  const padding = Math.max(0, targetLines - skeleton);
  const perContainer = minimal.map((lines, index) => lines + Math.floor(padding / shape.containers) + (index < padding % shape.containers ? 1 : 0));
  return `${render(perContainer, shape).join('\n')}\n`;
}
