/**
 * The parts of a service specification the emulator acts on, read from YAML (or the JSON the
 * Snowflake CLI sends) after the language service has accepted it.
 *
 * Owns: extracting containers (name, image, command, args, env, readiness probe, secrets, GPUs,
 * resource requests and limits), endpoints, service roles, volumes (with block and memory sizes),
 * the platform metric groups (`platformMonitor.metricConfig.groups`) and the log export level
 * (`logExporters.eventTableConfig.logLevel`) into `ServiceSpec`, and rendering the spec the way
 * DESCRIBE SERVICE shows it (env values as strings, each container's image digest as `sha256`).
 *
 * Must not: validate (the language service does, see `sql/statements/specSource.ts`).
 */

import { parse, stringify } from 'yaml';
import { parseCpu, parseMemory } from '../../../server/src/service';
import type { ContainerSpec, EndpointSpec, ResolvedImage, ResourceAmounts, ServiceRoleSpec, ServiceSpec, VolumeSpec } from './model';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map((item) => text(item) ?? JSON.stringify(item)) : undefined;
}

/** Reads the spec document; returns undefined when it is not a mapping with `spec`. */
export function readSpec(source: string): ServiceSpec | undefined {
  let root: unknown;
  try {
    root = parse(source);
  } catch {
    return undefined;
  }
  if (!isObject(root) || !isObject(root.spec)) {
    return undefined;
  }
  const spec = root.spec;
  const containers: ContainerSpec[] = list(spec.containers ?? spec.container).filter(isObject).map(readContainer);
  const endpoints: EndpointSpec[] = list(spec.endpoints ?? spec.endpoint)
    .filter(isObject)
    .map((endpoint) => {
      const port = Number(endpoint.port);
      const portRange = text(endpoint.portRange);
      return {
        name: text(endpoint.name) ?? '',
        ...(Number.isFinite(port) && endpoint.port !== undefined ? { port } : {}),
        ...(portRange !== undefined ? { portRange } : {}),
        protocol: (text(endpoint.protocol) ?? 'HTTP').toUpperCase(),
        isPublic: endpoint.public === true || endpoint.public === 'true',
      };
    });
  const serviceRoles: ServiceRoleSpec[] = list(root.serviceRoles)
    .filter(isObject)
    .map((role) => ({ name: text(role.name) ?? '', endpoints: stringList(role.endpoints) ?? [] }));
  const volumes: VolumeSpec[] = list(spec.volumes ?? spec.volume)
    .filter(isObject)
    .map((volume) => {
      const source = text(volume.source) ?? '';
      const stageConfig = isObject(volume.stageConfig) ? text(volume.stageConfig.name) : undefined;
      const stage = source.startsWith('@') ? source : stageConfig;
      const size = parseMemory(text(volume.size) ?? '')?.bytes;
      return { name: text(volume.name) ?? '', source, ...(stage !== undefined ? { stage } : {}), ...(size !== undefined ? { sizeBytes: size } : {}) };
    });
  const metricConfig = isObject(spec.platformMonitor) && isObject(spec.platformMonitor.metricConfig) ? spec.platformMonitor.metricConfig : undefined;
  const metricGroups = metricConfig ? (stringList(metricConfig.groups) ?? []).map((group) => group.toLowerCase()) : undefined;
  const eventTableConfig = isObject(spec.logExporters) && isObject(spec.logExporters.eventTableConfig) ? spec.logExporters.eventTableConfig : undefined;
  const logExportLevel = eventTableConfig ? text(eventTableConfig.logLevel)?.toUpperCase() : undefined;
  return {
    containers,
    endpoints,
    serviceRoles,
    volumes,
    ...(metricGroups !== undefined ? { metricGroups } : {}),
    ...(logExportLevel !== undefined ? { logExportLevel } : {}),
  };
}

function amounts(value: unknown): ResourceAmounts {
  if (!isObject(value)) return {};
  const cpu = parseCpu(text(value.cpu) ?? '');
  const memory = parseMemory(text(value.memory) ?? '');
  const gpus = Number(value['nvidia.com/gpu']);
  return {
    ...(cpu !== undefined ? { cpu } : {}),
    ...(memory !== undefined ? { memoryBytes: memory.bytes } : {}),
    ...(value['nvidia.com/gpu'] !== undefined && Number.isFinite(gpus) ? { gpus } : {}),
  };
}

function readContainer(container: Json): ContainerSpec {
  const env: Record<string, string> = {};
  if (isObject(container.env)) {
    for (const [key, value] of Object.entries(container.env)) {
      env[key] = text(value) ?? JSON.stringify(value);
    }
  }
  const secrets: string[] = [];
  for (const secret of list(container.secrets)) {
    if (!isObject(secret)) continue;
    const object = secret.snowflakeSecret;
    const name = isObject(object) ? text(object.objectName) : text(object);
    if (name !== undefined) secrets.push(name);
  }
  const probe = isObject(container.readinessProbe) ? container.readinessProbe : undefined;
  const resources = isObject(container.resources) ? container.resources : {};
  const requests = isObject(resources.requests) ? resources.requests : {};
  const limits = isObject(resources.limits) ? resources.limits : {};
  const gpus = Number(requests['nvidia.com/gpu'] ?? limits['nvidia.com/gpu'] ?? 0);
  const command = stringList(container.command);
  const args = stringList(container.args);
  return {
    name: text(container.name) ?? '',
    image: text(container.image) ?? '',
    ...(command ? { command } : {}),
    ...(args ? { args } : {}),
    env,
    ...(probe ? { readinessProbe: { port: Number(probe.port), path: text(probe.path) ?? '/' } } : {}),
    secrets,
    gpus: Number.isFinite(gpus) ? gpus : 0,
    resources: { requests: amounts(requests), limits: amounts(limits) },
  };
}

/**
 * The spec as DESCRIBE SERVICE shows it to the owner: YAML, env values as strings, and each
 * container's resolved image digest as `sha256: "@sha256:…"`.
 */
export function describeSpec(source: string, images: readonly ResolvedImage[]): string {
  let root: unknown;
  try {
    root = parse(source);
  } catch {
    return source;
  }
  if (!isObject(root) || !isObject(root.spec)) {
    return source;
  }
  const containers = list(root.spec.containers);
  containers.forEach((container, index) => {
    if (!isObject(container)) return;
    if (isObject(container.env)) {
      for (const [key, value] of Object.entries(container.env)) {
        container.env[key] = text(value) ?? JSON.stringify(value);
      }
    }
    const digest = images[index]?.digest;
    if (digest !== undefined) {
      container.sha256 = `@${digest}`;
    }
  });
  return stringify(root, { lineWidth: 0 });
}
