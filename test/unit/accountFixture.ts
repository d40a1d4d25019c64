/**
 * A small account catalog for the account tests, shaped like the emulator's demo account: what a
 * client would send in `spcs/accountCatalog`, plus a language service loaded with it. The service
 * checks that what it answers as plain text (messages, quick fix titles, completion details) carries
 * no markdown (plainText.ts), so every account test also guards that.
 */

import type { CodeAction, CompletionList, Diagnostic, Position } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AccountCatalog, AccountCatalogParams, CatalogGrant, DeployTarget } from '../../server/src/lspExtension';
import type { CodeActionRequest } from '../../server/src/service/codeActions';
import { SpcsLanguageService } from '../../server/src/service/languageService';
import type { ValidationSettings } from '../../server/src/service/rules/ruleApi';
import { assertPlainTextDiagnostics, markdownInCodeActions, markdownInCompletions } from './plainText';

export const fetchedAt = '2026-11-26T00:00:00Z';
export const specUri = 'file:///work/echo.spcs.yaml';

const grants: CatalogGrant[] = [
  { objectType: 'ACCOUNT', name: '', privilege: 'BIND SERVICE ENDPOINT' },
  { objectType: 'ACCOUNT', name: '', privilege: 'CREATE COMPUTE POOL' },
  { objectType: 'COMPUTE_POOL', name: 'DEMO_CPU_POOL', privilege: 'USAGE' },
  { objectType: 'COMPUTE_POOL', name: 'DEMO_GPU_POOL', privilege: 'USAGE' },
  { objectType: 'COMPUTE_POOL', name: 'SMALL_GPU_POOL', privilege: 'OWNERSHIP' },
  { objectType: 'COMPUTE_POOL', name: 'WATCH_POOL', privilege: 'MONITOR' },
  { objectType: 'IMAGE_REPOSITORY', name: 'TUTORIAL_DB.DATA_SCHEMA.TUTORIAL_REPOSITORY', privilege: 'READ' },
  { objectType: 'IMAGE_REPOSITORY', name: 'TUTORIAL_DB.DATA_SCHEMA.TUTORIAL_REPOSITORY', privilege: 'WRITE' },
  { objectType: 'IMAGE_REPOSITORY', name: 'SPCS_DEMO.PUBLIC.BUILDS', privilege: 'SERVICE READ' },
  { objectType: 'STAGE', name: 'SPCS_DEMO.PUBLIC.MODELS', privilege: 'READ' },
  { objectType: 'STAGE', name: 'SPCS_DEMO.PUBLIC.LOCKED', privilege: 'USAGE' },
  { objectType: 'STAGE', name: 'SHARED_DB.DATA.SHARED', privilege: 'READ' },
  { objectType: 'SECRET', name: 'SPCS_DEMO.PUBLIC.DB_PASSWORD', privilege: 'READ' },
  { objectType: 'SECRET', name: 'SPCS_DEMO.PUBLIC.API_KEY', privilege: 'READ' },
  { objectType: 'SECRET', name: 'SPCS_DEMO.PUBLIC.OAUTH_TOKEN', privilege: 'OWNERSHIP' },
  { objectType: 'SECRET', name: 'SPCS_DEMO.PUBLIC.HIDDEN', privilege: 'MONITOR' },
];

export function demoCatalog(overrides: Partial<AccountCatalog> = {}): AccountCatalog {
  return {
    role: 'SPCS_DEVELOPER',
    database: 'SPCS_DEMO',
    schema: 'PUBLIC',
    registryHost: 'myorg-myacct.registry.snowflakecomputing.com',
    instanceFamilies: [
      { name: 'CPU_X64_S', vcpu: 3, memoryGiB: 13, gpus: 0 },
      { name: 'GPU_NV_S', vcpu: 6, memoryGiB: 27, gpus: 1, gpuModel: 'NVIDIA A10G' },
      { name: 'GPU_NV_M', vcpu: 44, memoryGiB: 178, gpus: 4, gpuModel: 'NVIDIA A10G' },
    ],
    computePools: [
      { name: 'DEMO_CPU_POOL', state: 'ACTIVE', instanceFamily: 'CPU_X64_S', minNodes: 1, maxNodes: 2 },
      { name: 'DEMO_GPU_POOL', state: 'IDLE', instanceFamily: 'GPU_NV_M', minNodes: 1, maxNodes: 1 },
      { name: 'SMALL_GPU_POOL', state: 'SUSPENDED', instanceFamily: 'GPU_NV_S', minNodes: 1, maxNodes: 1 },
      { name: 'WATCH_POOL', state: 'ACTIVE', instanceFamily: 'CPU_X64_S', minNodes: 1, maxNodes: 1 },
    ],
    imageRepositories: [
      {
        database: 'TUTORIAL_DB',
        schema: 'DATA_SCHEMA',
        name: 'TUTORIAL_REPOSITORY',
        repositoryUrl: 'myorg-myacct.registry.snowflakecomputing.com/tutorial_db/data_schema/tutorial_repository',
        images: [
          { name: 'echo', tags: ['v1'], digest: 'sha256:1111111111111111aaaa', createdOn: '2026-01-10T10:00:00Z', sizeBytes: 52428800 },
          { name: 'echo', tags: ['v2', 'latest'], digest: 'sha256:2222222222222222bbbb', createdOn: '2026-03-01T09:30:00Z', sizeBytes: 53477376 },
          { name: 'echo', tags: ['v0'], digest: 'sha256:0000000000000000cccc', createdOn: '2025-12-01T08:00:00Z' },
          { name: 'vllm', tags: ['0.6.0'], digest: 'sha256:3333333333333333dddd', createdOn: '2026-02-01T00:00:00Z', sizeBytes: 8589934592 },
        ],
      },
      { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'BUILDS', images: [] },
      { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'UNLISTED', images: null },
    ],
    stages: [
      { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'MODELS' },
      { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'LOCKED' },
      { database: 'SHARED_DB', schema: 'DATA', name: 'SHARED' },
    ],
    secrets: [
      { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'DB_PASSWORD', type: 'PASSWORD' },
      { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'API_KEY', type: 'GENERIC_STRING' },
      { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'OAUTH_TOKEN', type: 'OAUTH2' },
      { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'HIDDEN', type: 'GENERIC_STRING' },
    ],
    externalAccessIntegrations: [{ name: 'DEMO_EAI' }],
    warehouses: [{ name: 'DEMO_WH' }],
    grants,
    ...overrides,
  };
}

export function catalogParams(catalog: AccountCatalog | null = demoCatalog(), connection = 'emulator_dev', isDefault = true): AccountCatalogParams {
  return { connection, isDefault, fetchedAt, catalog, status: { state: 'fresh' } };
}

export interface AccountSetup {
  readonly catalog?: AccountCatalog | null;
  readonly target?: DeployTarget;
  readonly uri?: string;
}

/** The language service, refusing to answer markdown where VS Code shows plain text. */
export class PlainTextCheckedService extends SpcsLanguageService {
  override validate(textDocument: TextDocument, settings?: ValidationSettings): Diagnostic[] {
    const diagnostics = super.validate(textDocument, settings);
    assertPlainTextDiagnostics(diagnostics, textDocument.uri);
    return diagnostics;
  }

  override codeActions(textDocument: TextDocument, request: CodeActionRequest, settings?: ValidationSettings): CodeAction[] {
    const actions = super.codeActions(textDocument, request, settings);
    const found = markdownInCodeActions(actions);
    if (found.length > 0) throw new Error(`Markdown in code action titles: ${found.join('; ')}`);
    return actions;
  }

  override complete(textDocument: TextDocument, position: Position, settings?: ValidationSettings): CompletionList {
    const list = super.complete(textDocument, position, settings);
    const found = markdownInCompletions(list.items);
    if (found.length > 0) throw new Error(`Markdown in completion labels or details: ${found.join('; ')}`);
    return list;
  }
}

/** A language service with the demo catalog (or the given one) and, optionally, a deploy target. */
export function accountService(setup: AccountSetup = {}): SpcsLanguageService {
  const service = new PlainTextCheckedService({
    onRuleError: (rule, error) => {
      throw new Error(`rule ${rule} threw: ${String(error)}`);
    },
  });
  if (setup.catalog !== null) {
    service.setAccountCatalog(catalogParams(setup.catalog ?? demoCatalog()));
  }
  if (setup.target) {
    service.setDeployTargets({ targets: [{ uri: setup.uri ?? specUri, target: setup.target }] });
  }
  return service;
}

export function specDocument(text: string, uri = specUri, version = 1): TextDocument {
  return TextDocument.create(uri, 'spcs-spec', version, text);
}
