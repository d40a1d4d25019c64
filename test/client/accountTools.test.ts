/**
 * The account tools' decisions against the local emulator with the real driver:
 * - drift marks (commands/driftMarks.ts): only services with a deploy record are described; a record
 *   whose file still says what is deployed leaves the node unmarked, an edited file marks it "local
 *   spec changed", an upgrade done elsewhere "deployed spec changed", an unreadable file or a failed
 *   DESCRIBE leaves it unmarked, and the number of checks per listing is bounded;
 * - the privilege preflight step of the deploy flow (commands/deployFlow.ts, scripted DeployUi):
 *   nothing missing deploys without a question, missing grants ask (stop sends nothing, "Deploy
 *   Anyway" deploys), automation is never asked, an unavailable catalog is said and does not block;
 * - a service function written from the command's inputs (serviceFunctionInput.ts) and run in the
 *   emulator once SPCS_DEVELOPER may CREATE FUNCTION.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SpcsLanguageService } from '../../server/src/service/languageService';
import type { AccountCatalog } from '../../server/src/lspExtension';
import { deployRecord, recordKey, type DeployRecord } from '../../client/src/drift/drift';
import { fetchCatalog } from '../../client/src/catalog/fetchCatalog';
import type { PreflightResult } from '../../client/src/privileges/preflight';
import { createServiceFunction, suggestedFunctionName } from '../../client/src/serviceFunctions/serviceFunctions';
import { runDeploy } from '../../client/src/deploy/deployFlow';
import { type DeployOutcome, type DeployUi, type FlowDeps, type SpecInput } from '../../client/src/deploy/flowContract';
import { type ChoiceStore } from '../../client/src/specs/deployChoices';
import { checkDrift, driftMark, markDrift, readRecords, recordsOfFile, withRecord, type DriftDeps } from '../../client/src/drift/driftMarks';
import { grantScript, preflightSummary, type PreflightSubject } from '../../client/src/privileges/preflightReport';
import { defaultSignature, exampleCall, functionName, parseSignature, readRequest } from '../../client/src/serviceFunctions/serviceFunctionInput';
import { deserializeChoices, serializeChoices, type RememberedChoices } from '../../client/src/specs/deployChoices';
import type { Scheduler } from '../../client/src/deploy/readiness';
import type { ExecuteOptions, SnowflakeSessions } from '../../client/src/snowflake/session';
import * as sql from '../../client/src/snowflake/sql';
import type { AccountNode, ServiceNode } from '../../client/src/model/nodes';
import { present } from '../../client/src/views/presentation';
import { failure, harness, printedConnection, value, type Harness } from './emulatorHarness';

const languageService = new SpcsLanguageService();

const echoSpec = (tag: string): string =>
  ['spec:', '  containers:', '    - name: echo', `      image: /tutorial_db/data_schema/tutorial_repository/echo:${tag}`, '      readinessProbe:', '        port: 8000', '        path: /healthcheck', '  endpoints:', '    - name: echoendpoint', '      port: 8000', ''].join('\n');

function specInput(uri: string, text: string): SpecInput {
  return { uri, text, diagnostics: languageService.validate(TextDocument.create(uri, 'spcs-spec', 1, text)) };
}

function emulatedTime(h: Harness): Scheduler {
  return {
    now: () => h.clock.now(),
    wait: (ms, signal) => {
      if (signal?.aborted) return Promise.resolve('cancelled');
      h.clock.advance(ms);
      return Promise.resolve('elapsed');
    },
  };
}

/** The sessions, counting the DESCRIBE SERVICE statements sent. */
function counting(h: Harness): { sessions: Pick<SnowflakeSessions, 'execute'>; describes: string[] } {
  const describes: string[] = [];
  return {
    describes,
    sessions: {
      execute: (connection: string, statement: string, options?: ExecuteOptions) => {
        if (/^DESCRIBE SERVICE/i.test(statement)) describes.push(statement);
        return h.sessions.execute(connection, statement, options);
      },
    },
  };
}

function serviceNode(name: string, extra: Partial<ServiceNode> = {}): ServiceNode {
  return { kind: 'service', view: 'spcs.services', connection: printedConnection, database: 'SPCS_DEMO', schema: 'PUBLIC', name, status: 'RUNNING', computePool: 'DEMO_CPU_POOL', isJob: false, isUpgrading: false, hasBlockVolumes: false, ...extra };
}

async function createService(h: Harness, name: string, spec: string): Promise<void> {
  value(await h.sessions.execute(printedConnection, sql.createService({ name: { database: 'SPCS_DEMO', schema: 'PUBLIC', name }, pool: 'DEMO_CPU_POOL', spec }), { timeoutMs: 15_000 }));
}

describe('drift marks (emulator, real driver)', { timeout: 60_000 }, () => {
  it('describes only recorded services and marks the ones whose file or deployed spec changed', async (t) => {
    const h = await harness(t);
    await createService(h, 'DRIFT_A', echoSpec('v1'));
    await createService(h, 'DRIFT_B', echoSpec('v1'));
    await createService(h, 'DRIFT_C', echoSpec('v1'));
    const files = new Map<string, string | undefined>([
      ['file:///work/a.spcs.yaml', echoSpec('v1')],
      ['file:///work/b.spcs.yaml', echoSpec('v1')],
      ['file:///work/c.spcs.yaml', undefined],
    ]);
    const at = new Date('2026-11-26T01:00:00Z');
    const records = new Map<string, DeployRecord>();
    for (const [name, file] of [['DRIFT_A', 'file:///work/a.spcs.yaml'], ['DRIFT_B', 'file:///work/b.spcs.yaml'], ['DRIFT_C', 'file:///work/c.spcs.yaml']] as const) {
      const record = deployRecord({ connection: printedConnection, database: 'SPCS_DEMO', schema: 'PUBLIC', name }, file, echoSpec('v1'), at);
      records.set(recordKey(record.service), record);
    }
    // Workspace state round trip: what is stored is plain JSON and reads back the same.
    const stored: unknown = JSON.parse(JSON.stringify(withRecord(new Map(), [...records.values()][0]!)));
    assert.equal(readRecords(stored).size, 1);
    assert.deepEqual(recordsOfFile(records, 'file:///work/b.spcs.yaml').map((record) => record.service.name), ['DRIFT_B']);

    const { sessions, describes } = counting(h);
    const deps: DriftDeps = { sessions, records: () => records, localText: (record) => Promise.resolve(files.get(record.file)), timeoutMs: () => 15_000 };
    const children: AccountNode[] = [serviceNode('DRIFT_A'), serviceNode('DRIFT_B'), serviceNode('DRIFT_C'), serviceNode('ECHO_SERVICE'), serviceNode('NIGHTLY_TRAINING_JOB', { isJob: true }), { kind: 'message', view: 'spcs.services', message: 'x' }];

    // Nothing changed: no marks; ECHO_SERVICE (no record), the job and C (its file is gone) are never described.
    const same = await markDrift(deps, children);
    assert.deepEqual(same.filter((node) => node.kind === 'service' && node.drift !== undefined), []);
    assert.equal(describes.length, 2);
    assert.ok(describes.every((statement) => !/ECHO_SERVICE|NIGHTLY/.test(statement)), describes.join('\n'));

    // The local file of A changes; B is upgraded outside this editor.
    files.set('file:///work/a.spcs.yaml', echoSpec('v2'));
    value(await h.sessions.execute(printedConnection, sql.alterServiceSpec({ database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'DRIFT_B' }, echoSpec('v2')), { timeoutMs: 15_000 }));
    const marked = await markDrift(deps, children);
    const byName = new Map(marked.filter((node): node is ServiceNode => node.kind === 'service').map((node) => [node.name, node]));
    assert.equal(byName.get('DRIFT_A')?.drift?.summary, 'local spec changed');
    assert.equal(byName.get('DRIFT_A')?.drift?.file, 'file:///work/a.spcs.yaml');
    assert.equal(byName.get('DRIFT_B')?.drift?.summary, 'deployed spec changed');
    assert.equal(byName.get('DRIFT_C')?.drift, undefined, 'an unreadable file leaves the node unmarked');
    assert.equal(byName.get('ECHO_SERVICE')?.drift, undefined);
    assert.equal(marked[5], children[5], 'other nodes pass through');
    // How the tree shows it: a description suffix, the `drift` flag and its own colour.
    const shown = present(byName.get('DRIFT_A')!);
    assert.match(shown.description ?? '', /· local spec changed$/);
    assert.match(shown.contextValue, /^service;.*\bdrift\b/);
    assert.equal(shown.icon.color, 'charts.orange');
    assert.doesNotMatch(present(byName.get('ECHO_SERVICE')!).contextValue, /drift/);

    // The file is saved back to what is deployed (or the service upgraded from it): the mark goes.
    files.set('file:///work/a.spcs.yaml', echoSpec('v1'));
    const cleared = await markDrift(deps, marked);
    assert.equal((cleared[0] as ServiceNode).drift, undefined);

    // A compare reads the deployed spec.
    const check = await checkDrift(deps, records.get(recordKey({ connection: printedConnection, database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'DRIFT_B' }))!);
    assert.ok(check.ok);
    assert.match(check.deployedSpec ?? '', /echo:v2/);
    assert.equal(driftMark(check)?.summary, 'deployed spec changed');
  });

  it('bounds the checks per listing and leaves services unmarked when DESCRIBE fails', async (t) => {
    const h = await harness(t);
    const at = new Date('2026-11-26T01:00:00Z');
    const records = new Map<string, DeployRecord>();
    const children: ServiceNode[] = [];
    for (let index = 0; index < 14; index++) {
      const name = `GONE_${index}`;
      const record = deployRecord({ connection: printedConnection, database: 'SPCS_DEMO', schema: 'PUBLIC', name }, `file:///work/${index}.spcs.yaml`, echoSpec('v1'), at);
      records.set(recordKey(record.service), record);
      children.push(serviceNode(name));
    }
    const { sessions, describes } = counting(h);
    const marked = await markDrift({ sessions, records: () => records, localText: () => Promise.resolve(echoSpec('v2')), timeoutMs: () => 15_000, maxChecks: 5 }, children);
    assert.equal(describes.length, 5, 'never more than maxChecks DESCRIBEs per listing');
    assert.ok(marked.every((node) => node.kind === 'service' && node.drift === undefined), 'services that do not exist are not marked');
  });
});

/** A scripted UI for the preflight questions; every other question is an error (the choices are complete). */
class PreflightUi implements DeployUi {
  readonly asked: string[] = [];
  readonly skipped: string[] = [];
  readonly missing: PreflightResult[] = [];
  readonly reports: DeployOutcome[] = [];
  answer: 'deploy' | 'stop' = 'stop';
  private unexpected(question: string): never {
    throw new Error(`unexpected question: ${question}`);
  }
  pickConnection(): Promise<string | undefined> {
    return this.unexpected('connection');
  }
  pickPool(): Promise<never> {
    return this.unexpected('pool');
  }
  askServiceName(): Promise<string | undefined> {
    return this.unexpected('serviceName');
  }
  askInstances(): Promise<never> {
    return this.unexpected('instances');
  }
  pickWarehouse(): Promise<never> {
    return this.unexpected('warehouse');
  }
  pickIntegrations(): Promise<never> {
    return this.unexpected('integrations');
  }
  askAutoResume(): Promise<boolean | undefined> {
    return this.unexpected('autoResume');
  }
  askTemplateValue(): Promise<string | undefined> {
    return this.unexpected('template');
  }
  askJob(): Promise<never> {
    return this.unexpected('job');
  }
  confirmUpgrade(): Promise<boolean> {
    return this.unexpected('confirmUpgrade');
  }
  confirmCancelJob(): Promise<boolean> {
    return this.unexpected('confirmCancelJob');
  }
  confirmUncertainFit(): Promise<never> {
    return this.unexpected('confirmUncertainFit');
  }
  showRefusal(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  progress<T>(_title: string, _cancellable: boolean, task: (progress: { report(message: string): void }, signal: AbortSignal) => Promise<T>): Promise<T> {
    return task({ report: () => undefined }, new AbortController().signal);
  }
  reportDeploy(outcome: DeployOutcome): void {
    this.reports.push(outcome);
  }
  reportJob(): void {}
  jobLog(): void {}
  confirmMissingPrivileges(result: PreflightResult, subject: PreflightSubject): Promise<'deploy' | 'stop'> {
    this.asked.push(preflightSummary(result, subject));
    this.missing.push(result);
    return Promise.resolve(this.answer);
  }
  preflightSkipped(message: string): void {
    this.skipped.push(message);
  }
}

class MemoryStore implements ChoiceStore {
  readonly saved = new Map<string, unknown>();
  get(uri: string): RememberedChoices {
    return deserializeChoices(this.saved.get(uri));
  }
  set(uri: string, choices: RememberedChoices): Promise<void> {
    this.saved.set(uri, JSON.parse(JSON.stringify(serializeChoices(choices))));
    return Promise.resolve();
  }
}

const complete = { connection: printedConnection, pool: 'DEMO_CPU_POOL', minInstances: 1, maxInstances: 1, autoResume: true, externalAccessIntegrations: [], templateValues: {} };

describe('privilege preflight step of the deploy flow (scripted UI, emulator, real driver)', { timeout: 120_000 }, () => {
  it('deploys silently when nothing is missing; asks when grants are missing; automation and an unavailable catalog never block', { timeout: 100_000 }, async (t) => {
    const h = await harness(t);
    const fetched = value(await fetchCatalog(h.sessions, printedConnection, { timeoutMs: 20_000 }));
    const full = fetched.catalog;
    assert.equal(full.role, 'SPCS_DEVELOPER');
    let catalog: AccountCatalog | null = full;
    const reason = 'network: Could not reach the account';
    let readAt = Date.parse('2026-11-26T01:00:00Z');
    let refreshes = 0;
    /** What a refresh reads: the role's real grants. */
    const afterRefresh = full;
    const ui = new PreflightUi();
    const store = new MemoryStore();
    const log: string[] = [];
    const deps: FlowDeps = {
      sessions: h.sessions,
      ui,
      store,
      log: { info: (line) => log.push(`info ${line}`), warn: (line) => log.push(`warn ${line}`), error: (line) => log.push(`error ${line}`) },
      queryTimeoutMs: 15_000,
      readinessTimeoutMs: 10 * 60_000,
      connections: () => [printedConnection],
      changed: () => undefined,
      scheduler: emulatedTime(h),
      pollMs: 5000,
      now: () => new Date('2026-11-26T01:00:30Z'),
      catalog: (_connection, options) => {
        if (options?.refresh === true) {
          refreshes++;
          readAt = Date.parse('2026-11-26T01:00:30Z');
          catalog = afterRefresh;
        }
        return Promise.resolve({ catalog, fetchedAt: readAt, status: catalog === null ? { state: 'unavailable', reason } : { state: 'fresh' } });
      },
    };
    const exists = async (name: string) => (await h.sessions.execute(printedConnection, sql.describeService({ database: 'SPCS_DEMO', schema: 'PUBLIC', name }), { timeoutMs: 15_000 })).ok;

    // SPCS_DEVELOPER holds every grant: no question, deployed.
    const interactiveRun = (uri: string, name: string) => {
      // Remembered (not given) choices: an interactive one-click deploy.
      store.saved.set(uri, serializeChoices({ ...complete, serviceName: name }));
      return runDeploy(deps, { spec: specInput(uri, echoSpec('v1')), mode: 'remembered' });
    };
    const clean = await interactiveRun('file:///work/clean.spcs.yaml', 'PF_CLEAN');
    assert.equal(clean.state, 'deployed', clean.message);
    assert.deepEqual(ui.asked, []);
    assert.deepEqual(ui.skipped, []);

    // The role lacks CREATE SERVICE and USAGE on the pool: the modal asks; "stop" sends nothing.
    catalog = { ...full, grants: (full.grants ?? []).filter((grant) => !(grant.privilege === 'CREATE SERVICE' || (grant.objectType.replace(/_/g, ' ') === 'COMPUTE POOL' && grant.privilege === 'USAGE') || grant.privilege === 'OWNERSHIP')) };
    ui.answer = 'stop';
    const stopped = await interactiveRun('file:///work/stopped.spcs.yaml', 'PF_STOPPED');
    assert.equal(stopped.state, 'cancelled', stopped.message);
    assert.match(stopped.message, /SPCS_DEVELOPER lacks 2 privileges to deploy service SPCS_DEMO\.PUBLIC\.PF_STOPPED on compute pool DEMO_CPU_POOL/);
    assert.equal(await exists('PF_STOPPED'), false, 'nothing was sent');
    assert.deepEqual(ui.missing[0]?.missing.map((grant) => grant.statement), [
      'GRANT CREATE SERVICE ON SCHEMA SPCS_DEMO.PUBLIC TO ROLE SPCS_DEVELOPER',
      'GRANT USAGE ON COMPUTE POOL DEMO_CPU_POOL TO ROLE SPCS_DEVELOPER',
    ]);
    const script = grantScript(ui.missing[0], { what: 'service PF_STOPPED', connection: printedConnection, catalogReadAt: '2026-11-26T01:00:00.000Z' });
    assert.match(script, /^-- Privileges role SPCS_DEVELOPER \(connection "spcs_emulator"\) lacks to deploy service PF_STOPPED\./);
    assert.match(script, /SECURITYADMIN or ACCOUNTADMIN/);
    assert.match(script, /\nGRANT USAGE ON COMPUTE POOL DEMO_CPU_POOL TO ROLE SPCS_DEVELOPER;\n$/);

    // "Deploy Anyway": deployed (the emulator's real grants allow it).
    ui.answer = 'deploy';
    const anyway = await interactiveRun('file:///work/anyway.spcs.yaml', 'PF_ANYWAY');
    assert.equal(anyway.state, 'deployed', anyway.message);
    assert.equal(ui.asked.length, 2);

    // Automation (complete choices given): never asked, the missing grants are logged, the deploy goes on.
    const automated = await runDeploy(deps, { spec: specInput('file:///work/auto.spcs.yaml', echoSpec('v1')), mode: 'remembered', given: { ...complete, serviceName: 'PF_AUTO' } });
    assert.equal(automated.state, 'deployed', automated.message);
    assert.equal(ui.asked.length, 2, 'no modal in automation');
    assert.ok(log.some((line) => /^warn Deploy: SPCS_DEVELOPER lacks 2 privileges .*PF_AUTO.* Missing: GRANT CREATE SERVICE/.test(line)), log.join('\n'));

    assert.equal(refreshes, 0, 'a catalog read 30 s ago is trusted');

    // A catalog read long ago that says grants are missing is read again first (they may have been given since).
    readAt = Date.parse('2026-11-26T00:50:00Z');
    const regranted = await interactiveRun('file:///work/regranted.spcs.yaml', 'PF_REGRANTED');
    assert.equal(regranted.state, 'deployed', regranted.message);
    assert.equal(refreshes, 1);
    assert.equal(ui.asked.length, 2, 'the fresh catalog has every grant: no question');

    // The catalog cannot be read: said, and the deploy is not blocked.
    catalog = null;
    const unavailable = await interactiveRun('file:///work/unavailable.spcs.yaml', 'PF_UNAVAILABLE');
    assert.equal(unavailable.state, 'deployed', unavailable.message);
    assert.deepEqual(ui.skipped, ['Privileges were not checked before deploying SPCS_DEMO.PUBLIC.PF_UNAVAILABLE (network: Could not reach the account); deploying anyway.']);
    assert.equal(ui.asked.length, 2);
  });
});

describe('service function from the command inputs (emulator, real driver)', { timeout: 60_000 }, () => {
  it('reads the code action argument, parses the signature and creates the function once the role may', async (t) => {
    const h = await harness(t);
    const request = readRequest({ uri: 'file:///work/echo.spcs.yaml', endpoint: 'echoendpoint', port: 8000, service: 'SPCS_DEMO.PUBLIC.ECHO_SERVICE', run: true });
    assert.deepEqual(request, { uri: 'file:///work/echo.spcs.yaml', endpoint: 'echoendpoint', port: '8000', service: { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE' }, run: true });
    const signature = parseSignature(defaultSignature);
    assert.deepEqual(signature, { ok: true, arguments: [{ name: 'input', type: 'VARCHAR' }], returns: 'VARCHAR' });
    assert.deepEqual(parseSignature('(a NUMBER(10, 2), "My Arg" VARIANT) returns object'), { ok: true, arguments: [{ name: 'a', type: 'NUMBER(10, 2)' }, { name: '"My Arg"', type: 'VARIANT' }], returns: 'object' });
    assert.deepEqual(parseSignature('() RETURNS VARCHAR'), { ok: true, arguments: [], returns: 'VARCHAR' });
    assert.equal(parseSignature('(input) RETURNS VARCHAR').ok, false);
    assert.equal(parseSignature('input VARCHAR').ok, false);

    const service = request.service;
    const name = functionName(service, suggestedFunctionName(service.name, request.endpoint));
    assert.deepEqual(name, { database: 'SPCS_DEMO', schema: 'PUBLIC', name: 'ECHO_SERVICE_ECHOENDPOINT' });
    assert.ok(signature.ok);
    const statement = createServiceFunction({ name, arguments: signature.arguments, returns: signature.returns, service, endpoint: request.endpoint, path: '/echo' });
    const run = (text: string) => h.sessions.execute(printedConnection, text, { timeoutMs: 15_000 });
    const denied = failure(await run(statement));
    assert.equal(denied.kind, 'privilege', 'SPCS_DEVELOPER has no CREATE FUNCTION on the schema in the demo seed');
    h.account.control.run('GRANT CREATE FUNCTION ON SCHEMA SPCS_DEMO.PUBLIC TO ROLE SPCS_DEVELOPER');
    value(await run(statement));
    const described = value(await run('DESCRIBE FUNCTION SPCS_DEMO.PUBLIC.ECHO_SERVICE_ECHOENDPOINT(VARCHAR)'));
    const properties = new Map(described.rows.map((row) => [row['property'], row['value']]));
    assert.equal(properties.get('service'), 'SPCS_DEMO.PUBLIC.ECHO_SERVICE');
    assert.equal(properties.get('endpoint'), 'echoendpoint');
    assert.equal(properties.get('body'), '/echo');
    assert.equal(exampleCall(name, signature.arguments), "SELECT SPCS_DEMO.PUBLIC.ECHO_SERVICE_ECHOENDPOINT('hello')");
  });
});
