/**
 * Reading the parameters of the account notifications defensively: they come from another process
 * (and, for other editors, from code we did not write), so every field is checked and malformed
 * entries are dropped rather than trusted. A list that is missing or not an array becomes null ("not
 * read"), which turns the checks of that kind off instead of reporting everything as missing.
 *
 * Must not: throw. Pure.
 */

import type {
  AccountCatalog,
  AccountCatalogParams,
  CatalogAccountObject,
  CatalogComputePool,
  CatalogEndpoint,
  CatalogGateway,
  CatalogGrant,
  CatalogImage,
  CatalogImageRepository,
  CatalogInstanceFamily,
  CatalogSchemaObject,
  CatalogSecret,
  CatalogService,
  DeployTarget,
  DeployTargetsParams,
  DocumentDeployTarget,
} from '../../lspExtension';

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function list<T>(value: unknown, read: (item: Loose) => T | undefined): T[] | null {
  if (!Array.isArray(value)) {
    return null;
  }
  const result: T[] = [];
  for (const item of value) {
    const parsed = isObject(item) ? read(item) : undefined;
    if (parsed !== undefined) {
      result.push(parsed);
    }
  }
  return result;
}

export function normalizeAccountCatalogParams(value: unknown): AccountCatalogParams | undefined {
  if (!isObject(value)) {
    return undefined;
  }
  const connection = text(value.connection);
  const status = isObject(value.status) ? value.status : {};
  const state = status.state === 'fresh' || status.state === 'stale' || status.state === 'unavailable' ? status.state : 'fresh';
  const reason = text(status.reason);
  if (connection === undefined || connection === '') {
    return undefined;
  }
  return {
    connection,
    // Left out stays left out: a client that never names a default is read differently (catalogState.ts).
    ...(value.isDefault === undefined ? {} : { isDefault: value.isDefault === true }),
    fetchedAt: text(value.fetchedAt) ?? '',
    catalog: isObject(value.catalog) ? catalog(value.catalog) : null,
    status: reason === undefined ? { state } : { state, reason },
  };
}

function catalog(value: Loose): AccountCatalog {
  return {
    role: text(value.role),
    database: text(value.database),
    schema: text(value.schema),
    registryHost: text(value.registryHost),
    instanceFamilies: list(value.instanceFamilies, family),
    computePools: list(value.computePools, pool),
    imageRepositories: list(value.imageRepositories, repository),
    stages: list(value.stages, schemaObject),
    secrets: list(value.secrets, secret),
    externalAccessIntegrations: list(value.externalAccessIntegrations, accountObject),
    warehouses: list(value.warehouses, accountObject),
    grants: list(value.grants, grant),
    services: list(value.services, service),
    gateways: list(value.gateways, gateway),
  };
}

function family(item: Loose): CatalogInstanceFamily | undefined {
  const name = text(item.name);
  const vcpu = count(item.vcpu);
  const memoryGiB = count(item.memoryGiB);
  const gpus = count(item.gpus);
  if (name === undefined || vcpu === undefined || memoryGiB === undefined || gpus === undefined) {
    return undefined;
  }
  return {
    name,
    vcpu,
    memoryGiB,
    gpus,
    gpuModel: text(item.gpuModel),
    gpuMemoryGiB: count(item.gpuMemoryGiB),
    storageGiB: count(item.storageGiB),
    description: text(item.description),
  };
}

function pool(item: Loose): CatalogComputePool | undefined {
  const name = text(item.name);
  const instanceFamily = text(item.instanceFamily);
  if (name === undefined || instanceFamily === undefined) {
    return undefined;
  }
  return { name, instanceFamily, state: text(item.state) ?? 'UNKNOWN', minNodes: count(item.minNodes) ?? 0, maxNodes: count(item.maxNodes) ?? 0 };
}

function schemaObject(item: Loose): CatalogSchemaObject | undefined {
  const database = text(item.database);
  const schema = text(item.schema);
  const name = text(item.name);
  return database === undefined || schema === undefined || name === undefined ? undefined : { database, schema, name };
}

function secret(item: Loose): CatalogSecret | undefined {
  const object = schemaObject(item);
  return object ? { ...object, type: text(item.type) ?? '' } : undefined;
}

function accountObject(item: Loose): CatalogAccountObject | undefined {
  const name = text(item.name);
  return name === undefined ? undefined : { name };
}

function repository(item: Loose): CatalogImageRepository | undefined {
  const object = schemaObject(item);
  return object ? { ...object, repositoryUrl: text(item.repositoryUrl), images: list(item.images, image) } : undefined;
}

function image(item: Loose): CatalogImage | undefined {
  const name = text(item.name);
  const tags = Array.isArray(item.tags) ? item.tags.filter((tag): tag is string => typeof tag === 'string' && tag !== '') : [];
  if (name === undefined || name === '') {
    return undefined;
  }
  return { name, tags, digest: text(item.digest) ?? '', createdOn: text(item.createdOn) ?? '', sizeBytes: count(item.sizeBytes) };
}

function service(item: Loose): CatalogService | undefined {
  const object = schemaObject(item);
  if (!object) {
    return undefined;
  }
  return {
    ...object,
    status: text(item.status),
    computePool: text(item.computePool),
    owner: text(item.owner),
    isJob: item.isJob === true,
    endpoints: list(item.endpoints, endpoint),
  };
}

function endpoint(item: Loose): CatalogEndpoint | undefined {
  const name = text(item.name);
  if (name === undefined || name === '') {
    return undefined;
  }
  return {
    name,
    port: count(item.port),
    portRange: text(item.portRange),
    protocol: text(item.protocol) ?? '',
    isPublic: item.isPublic === true,
    ingressUrl: text(item.ingressUrl),
  };
}

function gateway(item: Loose): CatalogGateway | undefined {
  const object = schemaObject(item);
  return object ? { ...object, owner: text(item.owner), ingressUrl: text(item.ingressUrl), comment: text(item.comment) } : undefined;
}

function grant(item: Loose): CatalogGrant | undefined {
  const objectType = text(item.objectType);
  const privilege = text(item.privilege);
  if (objectType === undefined || privilege === undefined) {
    return undefined;
  }
  return { objectType, name: text(item.name) ?? '', privilege };
}

export function normalizeDeployTargetsParams(value: unknown): DeployTargetsParams | undefined {
  if (!isObject(value)) {
    return undefined;
  }
  const targets = list<DocumentDeployTarget>(value.targets, (item) => {
    const uri = text(item.uri);
    if (uri === undefined) {
      return undefined;
    }
    return { uri, target: isObject(item.target) ? deployTarget(item.target) ?? null : null };
  });
  return targets ? { targets } : undefined;
}

function deployTarget(item: Loose): DeployTarget | undefined {
  const connection = text(item.connection);
  if (connection === undefined || connection === '') {
    return undefined;
  }
  return {
    connection,
    computePool: text(item.computePool),
    serviceName: text(item.serviceName),
    gatewayName: text(item.gatewayName),
    database: text(item.database),
    schema: text(item.schema),
    minInstances: count(item.minInstances),
    maxInstances: count(item.maxInstances),
  };
}
