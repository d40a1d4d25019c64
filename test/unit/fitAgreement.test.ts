/**
 * One spec, one family, one verdict: the language server's capacity diagnostics (offline rule with
 * the family as the `spcs.instanceFamily` setting, and the account rule with the family as the target
 * pool's live family), the deploy pool picker (`poolFit`) and the emulator's CREATE SERVICE agree on
 * whether a spec fits, for every family of the instance-family table and generated specs: 1-3
 * containers with GPU counts, cpu and memory requests and limits (some above a node, some capped),
 * and stage volumes whose mount sidecars request memory and cpu too.
 *
 * Two tables are in play, and each voice is held against the others on the same one: the published
 * table (the offline rule, the picker without a live listing, the account rule fed the table's
 * numbers) and the emulated account's own listing (SHOW COMPUTE POOL INSTANCE FAMILIES: the picker
 * and the account rule fed its rows, and CREATE SERVICE). They differ only where a family's memory
 * differs by cloud (the published table keeps the larger value, so it is never the stricter one).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { familiesFromRows, poolFit, type FamilyTable } from '../../client/src/deploy/poolFit';
import type { CatalogInstanceFamily } from '../../server/src/lspExtension';
import { instanceFamilies, isFamilyCapacityError, parseSpecDocument, SpcsLanguageService, specLanguageId, type InstanceFamily } from '../../server/src/service';
import { kit } from '../emulator/sqlKit';
import { accountService, demoCatalog, type AccountSetup } from './accountFixture';

type Verdict = 'fits' | 'doesNotFit' | 'unknown';

// ---------------------------------------------------------------------------------------------------
// Generated specs

interface ContainerShape {
  readonly gpus: number;
  readonly cpu?: string;
  readonly memory?: string;
  readonly cpuLimit?: string;
  readonly memoryLimit?: string;
}

interface VolumeShape {
  readonly sidecarCpu?: string;
  readonly sidecarMemory?: string;
}

interface SpecShape {
  readonly containers: readonly ContainerShape[];
  readonly volumes: readonly VolumeShape[];
}

// Around the node sizes of the table: 1, 3, 6, 14, 28, 44, 62… vCPU and 6, 13, 27, 54, 178, 240/244… GiB.
const cpus = ['100m', '500m', '0.5', '1', '2', '2.5', '3', '5.5', '6', '8', '14', '20', '28', '44', '62', '100'];
const memories = ['256Mi', '512Mi', '1Gi', '2G', '4Gi', '6Gi', '8Gi', '13Gi', '20Gi', '27Gi', '28Gi', '54Gi', '100Gi', '178Gi', '200Gi', '240Gi', '242Gi', '244Gi', '400Gi', '1000Gi'];
const gpuCounts = [0, 0, 0, 1, 1, 2, 4, 8];

const container: fc.Arbitrary<ContainerShape> = fc.record(
  {
    gpus: fc.constantFrom(...gpuCounts),
    cpu: fc.constantFrom(...cpus),
    memory: fc.constantFrom(...memories),
    cpuLimit: fc.constantFrom('64', '128', '200'),
    memoryLimit: fc.constantFrom('512Gi', '2048Gi'),
  },
  { requiredKeys: ['gpus'] },
);

const volume: fc.Arbitrary<VolumeShape> = fc.record({ sidecarCpu: fc.constantFrom('0.5', '2'), sidecarMemory: fc.constantFrom('1Gi', '4Gi', '30Gi') }, { requiredKeys: [] });

const specShape: fc.Arbitrary<SpecShape> = fc.record({ containers: fc.array(container, { minLength: 1, maxLength: 3 }), volumes: fc.array(volume, { maxLength: 2 }) });

/**
 * Specs at each family's edges, so that every boundary is met whatever the random draw: a node's
 * exact vCPUs, GiB and GPUs, one more of each, two containers that only together are too big, and a
 * container that fits alone until its stage-mount sidecar is added.
 */
function edgeShapes(families: readonly { readonly vcpu?: number | undefined; readonly memoryGiB?: number | undefined; readonly gpus?: number | undefined }[]): SpecShape[] {
  const shapes: SpecShape[] = [];
  const one = (shape: ContainerShape): SpecShape => ({ containers: [shape], volumes: [] });
  for (const family of families) {
    if (family.vcpu !== undefined) {
      shapes.push(one({ gpus: 0, cpu: String(family.vcpu) }), one({ gpus: 0, cpu: String(family.vcpu + 0.5) }));
      shapes.push({ containers: [{ gpus: 0, cpu: String(family.vcpu / 2 + 0.25) }, { gpus: 0, cpu: String(family.vcpu / 2) }], volumes: [] });
    }
    if (family.memoryGiB !== undefined) {
      const memory = family.memoryGiB;
      shapes.push(one({ gpus: 0, memory: `${memory}Gi` }), one({ gpus: 0, memory: `${memory + 1}Gi` }), one({ gpus: 0, memory: `${memory}Gi`, memoryLimit: `${memory * 2}Gi` }));
      shapes.push({ containers: [{ gpus: 0, memory: `${Math.ceil(memory / 2)}Gi` }, { gpus: 0, memory: `${Math.ceil(memory / 2) + 1}Gi` }], volumes: [] });
      shapes.push({ containers: [{ gpus: 0, memory: `${memory - 0.25}Gi` }], volumes: [{ sidecarMemory: '1Gi' }] });
      shapes.push({ containers: [{ gpus: 0, memory: `${memory - 0.5}Gi` }], volumes: [{}] });
    }
    if (family.gpus !== undefined) {
      shapes.push(one({ gpus: Math.max(1, family.gpus), cpu: '1', memory: '1Gi' }), one({ gpus: family.gpus + 1, cpu: '1', memory: '1Gi' }));
      if (family.gpus > 1) shapes.push({ containers: [{ gpus: family.gpus - 1 }, { gpus: 2 }], volumes: [] });
    }
  }
  return shapes;
}

/** Every edge shape, then `random` generated ones (fast-check counts its examples among the runs). */
function runs(edges: readonly SpecShape[], random: number): fc.Parameters<[SpecShape]> {
  const distinct = [...new Map(edges.map((shape) => [specText(shape), shape])).values()];
  return { numRuns: distinct.length + random, examples: distinct.map((shape): [SpecShape] => [shape]) };
}

function specText(shape: SpecShape): string {
  const lines = ['spec:', '  containers:'];
  shape.containers.forEach((each, index) => {
    lines.push(`    - name: c${index}`, '      image: /tutorial_db/data_schema/tutorial_repository/echo:v2');
    const requests = [
      ...(each.cpu === undefined ? [] : [`cpu: ${each.cpu}`]),
      ...(each.memory === undefined ? [] : [`memory: ${each.memory}`]),
      ...(each.gpus > 0 ? [`nvidia.com/gpu: ${each.gpus}`] : []),
    ];
    const limits = [
      ...(each.cpuLimit === undefined ? [] : [`cpu: ${each.cpuLimit}`]),
      ...(each.memoryLimit === undefined ? [] : [`memory: ${each.memoryLimit}`]),
      ...(each.gpus > 0 ? [`nvidia.com/gpu: ${each.gpus}`] : []),
    ];
    if (requests.length > 0 || limits.length > 0) {
      lines.push('      resources:');
      if (requests.length > 0) lines.push('        requests:', ...requests.map((line) => `          ${line}`));
      if (limits.length > 0) lines.push('        limits:', ...limits.map((line) => `          ${line}`));
    }
    if (index === 0 && shape.volumes.length > 0) {
      lines.push('      volumeMounts:', ...shape.volumes.flatMap((_volume, at) => [`        - name: stage${at}`, `          mountPath: /stage${at}`]));
    }
  });
  if (shape.volumes.length > 0) {
    lines.push('  volumes:');
    shape.volumes.forEach((each, at) => {
      lines.push(`    - name: stage${at}`, '      source: stage', '      stageConfig:', "        name: '@SPCS_DEMO.PUBLIC.SPECS'");
      const requests = [...(each.sidecarCpu === undefined ? [] : [`cpu: ${each.sidecarCpu}`]), ...(each.sidecarMemory === undefined ? [] : [`memory: ${each.sidecarMemory}`])];
      if (requests.length > 0) lines.push('        resources:', '          requests:', ...requests.map((line) => `            ${line}`));
    });
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------
// The voices

const offlineService = new SpcsLanguageService({
  onRuleError: (rule, error) => {
    throw new Error(`rule ${rule} threw: ${String(error)}`);
  },
});

let sequence = 0;

function textDocument(text: string): TextDocument {
  sequence += 1;
  return TextDocument.create(`file:///fit/spec${sequence}.spcs.yaml`, specLanguageId, 1, text);
}

function noErrorsBut(diagnostics: readonly Diagnostic[], allowed: (diagnostic: Diagnostic) => boolean, what: string): void {
  const others = diagnostics.filter((diagnostic) => diagnostic.severity === 1 && !allowed(diagnostic));
  assert.deepEqual(others.map((diagnostic) => `${String(diagnostic.code)}: ${diagnostic.message}`), [], `${what}: the generated spec must be valid apart from capacity`);
}

/** The offline rule with the family as the setting: an error means it cannot fit. */
function languageServer(text: string, family: InstanceFamily): Verdict {
  const diagnostics = offlineService.validate(textDocument(text), { instanceFamily: family.name });
  noErrorsBut(diagnostics, (diagnostic) => isFamilyCapacityError(diagnostic.code), 'language server');
  if (diagnostics.some((diagnostic) => isFamilyCapacityError(diagnostic.code))) return 'doesNotFit';
  const published = family.vcpu !== undefined && family.memoryGiB !== undefined && family.gpus !== undefined;
  return published ? 'fits' : 'unknown';
}

/** The account rule, the family being the live family of the deploy target's pool: a warning means it cannot fit. */
function accountRule(services: Map<string, SpcsLanguageService>, text: string, family: CatalogInstanceFamily): Verdict {
  let service = services.get(family.name);
  if (service === undefined) {
    const setup: AccountSetup = {
      catalog: demoCatalog({ instanceFamilies: [family], computePools: [{ name: 'FIT_POOL', state: 'ACTIVE', instanceFamily: family.name, minNodes: 1, maxNodes: 1 }] }),
      target: { connection: 'emulator_dev', computePool: 'FIT_POOL', database: 'SPCS_DEMO', schema: 'PUBLIC', minInstances: 1, maxInstances: 1 },
      uri: 'file:///fit/account.spcs.yaml',
    };
    service = accountService(setup);
    services.set(family.name, service);
  }
  sequence += 1;
  const diagnostics = service.validate(TextDocument.create('file:///fit/account.spcs.yaml', specLanguageId, sequence, text));
  const codes = diagnostics.map((diagnostic) => String(diagnostic.code));
  return codes.includes('spcs/account-pool-gpu') || codes.includes('spcs/account-pool-capacity') ? 'doesNotFit' : 'fits';
}

/** The deploy pool picker for a pool of the family. */
function picker(text: string, family: string, families: FamilyTable | undefined): Verdict {
  const doc = parseSpecDocument(textDocument(text));
  const fit = poolFit(doc, { name: 'FIT_POOL', state: 'ACTIVE', instanceFamily: family }, families);
  return fit.fits === 'no' ? 'doesNotFit' : fit.fits === 'yes' ? 'fits' : 'unknown';
}

// ---------------------------------------------------------------------------------------------------

describe('one fit: the language server, the deploy picker and the emulator agree', () => {
  const account = kit('demo');
  const admin = account.session('ACCOUNTADMIN');
  const listed = familiesFromRows(account.rows('SHOW COMPUTE POOL INSTANCE FAMILIES', admin));
  const live: FamilyTable = { source: 'live', families: listed };
  for (const family of listed) {
    account.run(`CREATE COMPUTE POOL FIT_${family.name} MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = ${family.name}`, admin);
  }
  const tableAccounts = new Map<string, SpcsLanguageService>();
  const liveAccounts = new Map<string, SpcsLanguageService>();
  let created = 0;

  /** CREATE SERVICE in a pool of the family: refused only as a spec that cannot fit. */
  function emulator(text: string, family: string): Verdict {
    created += 1;
    const name = `FIT_SERVICE_${created}`;
    try {
      account.run(`CREATE SERVICE ${name} IN COMPUTE POOL FIT_${family} FROM SPECIFICATION $$${text}$$`, admin);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      assert.match(message, /^Invalid spec: .*(GPU|can never be scheduled)/, `CREATE SERVICE refused for another reason than capacity:\n${text}`);
      return 'doesNotFit';
    }
    account.run(`DROP SERVICE ${name}`, admin);
    return 'fits';
  }

  it('lists the families the emulated account offers, some of each kind', () => {
    assert.ok(listed.some((family) => family.gpus === 0) && listed.some((family) => (family.gpus ?? 0) > 0), listed.map((family) => family.name).join(', '));
  });

  it('on the published table: the offline rule, the picker and the account rule, for every family', () => {
    fc.assert(
      fc.property(specShape, (shape) => {
        const text = specText(shape);
        for (const family of instanceFamilies) {
          const server = languageServer(text, family);
          const picked = picker(text, family.name, undefined);
          assert.equal(picked, server, `${family.name}: picker ${picked}, language server ${server}\n${text}`);
          if (family.vcpu !== undefined && family.memoryGiB !== undefined && family.gpus !== undefined) {
            const catalogFamily: CatalogInstanceFamily = { name: family.name, vcpu: family.vcpu, memoryGiB: family.memoryGiB, gpus: family.gpus };
            const fromAccount = accountRule(tableAccounts, text, catalogFamily);
            assert.equal(fromAccount, server, `${family.name}: account rule ${fromAccount}, language server ${server}\n${text}`);
          }
        }
      }),
      runs(edgeShapes(instanceFamilies), 40),
    );
  });

  it("on the emulated account's own listing: CREATE SERVICE, the picker and the account rule, for every family it offers", () => {
    fc.assert(
      fc.property(specShape, (shape) => {
        const text = specText(shape);
        for (const family of listed) {
          const created = emulator(text, family.name);
          const picked = picker(text, family.name, live);
          assert.equal(picked, created, `${family.name}: picker ${picked}, CREATE SERVICE ${created}\n${text}`);
          const catalogFamily: CatalogInstanceFamily = { name: family.name, vcpu: family.vcpu ?? 0, memoryGiB: family.memoryGiB ?? 0, gpus: family.gpus ?? 0 };
          const fromAccount = accountRule(liveAccounts, text, catalogFamily);
          assert.equal(fromAccount, created, `${family.name}: account rule ${fromAccount}, CREATE SERVICE ${created}\n${text}`);
          // The published table keeps the larger value where a cloud differs: offline it never refuses what the account takes.
          const table = instanceFamilies.find((candidate) => candidate.name === family.name);
          if (table !== undefined && languageServer(text, table) === 'doesNotFit') {
            assert.equal(created, 'doesNotFit', `${family.name}: the offline rule refuses what the account takes\n${text}`);
          }
        }
      }),
      runs(edgeShapes([...listed, ...instanceFamilies.filter((family) => listed.some((each) => each.name === family.name))]), 30),
    );
  });
});
