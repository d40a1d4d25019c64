/**
 * Static catalogue of compute-pool instance families, and the `# spcs: instance-family=…` modeline.
 *
 * Owns: the offline fallback table of instance families (reference §3.2 and §3.3), the case-insensitive
 * lookup, the one-line description used by hover and diagnostics, and parsing of the modeline comment
 * that tells the language service which family a spec will run on.
 *
 * Must not: query Snowflake or read files. When the client is connected, `SHOW COMPUTE POOL INSTANCE
 * FAMILIES` is the authority (§3.1); this table is only what we can say without it. It is also the one
 * table the local emulator answers that command from (the families of its account's cloud that have
 * published capacities), so the published columns (storage, GPU memory, description) live here too.
 *
 * Capacity numbers are the user-available vCPU and memory per node. A capacity or GPU count that the
 * reference does not give from Snowflake sources is left `undefined`, and checks that need it are
 * skipped: a missing check is better than a false error on a valid spec. For the same reason, where a
 * family's capacity differs by cloud, the table holds the larger value.
 */

import { parseModeline } from './modeline';

export interface InstanceFamily {
  /** The INSTANCE_FAMILY identifier, upper case, as in CREATE COMPUTE POOL. */
  name: string;
  /** vCPUs per node available to containers; undefined when not published. */
  vcpu?: number;
  /** Memory per node available to containers, in GiB; undefined when not published. */
  memoryGiB?: number;
  /** Where the memory differs by cloud (HIGHMEM_X64_M), the published value per cloud; `memoryGiB` is the largest. */
  memoryGiBByCloud?: Readonly<Partial<Record<'AWS' | 'Azure' | 'GCP', number>>>;
  /** GPUs per node: 0 for CPU and memory families, undefined when not published. */
  gpus: number | undefined;
  /** GPU model and memory per GPU, e.g. "A10G (24 GB)". */
  gpuModel?: string;
  /** GPU memory per GPU as published ("GPU Memory per GPU (GB)" column), for GPU families. */
  gpuMemoryGB?: number;
  /** Node storage as published ("Storage (GB)" column: 100, 300 NVMe, 3.4 TB = 3400, …). */
  storageGB?: number;
  /** The family's description in the published table. */
  description?: string;
  /** Clouds that offer the family ("AWS", "Azure", "GCP"); empty when not recorded. */
  clouds: string[];
  /**
   * The "Node limit" column: the most nodes of this family an account can provision (raised on request),
   * when published; undefined for families available on request only.
   */
  maxNodes?: number;
  /** `legacy`: first-generation table (§3.2); `current`: newer generation names (§3.3). */
  generation: 'legacy' | 'current';
  note?: string;
}

const ALL_CLOUDS = ['AWS', 'Azure', 'GCP'];
const UNPUBLISHED = 'Capacity not published in the offline table; run SHOW COMPUTE POOL INSTANCE FAMILIES for the real values.';
const THIRD_PARTY = (hint: string): string => `${UNPUBLISHED} A third-party listing (unverified) gives ${hint}.`;
const ARM = 'ARM (aarch64) nodes, while the documentation still says images must be linux/amd64.';

export const instanceFamilies: readonly InstanceFamily[] = [
  // §3.2: first-generation families: the table of the CREATE COMPUTE POOL page and of "Working with compute pools"
  // (vCPU, memory, storage, GPU, GPU memory, node limit and description columns). The 150-node figures conflict
  // with older text ("50 nodes per pool, 500 per account"), see §6.11.
  {
    name: 'CPU_X64_XS', vcpu: 1, memoryGiB: 6, gpus: 0, storageGB: 100, clouds: ALL_CLOUDS, maxNodes: 150, generation: 'legacy',
    description: 'Smallest instance available for Snowpark Containers. Ideal for cost-savings and getting started.',
  },
  {
    name: 'CPU_X64_S', vcpu: 3, memoryGiB: 13, gpus: 0, storageGB: 100, clouds: ALL_CLOUDS, maxNodes: 150, generation: 'legacy',
    description: 'Ideal for hosting multiple services/jobs while saving cost.',
  },
  {
    name: 'CPU_X64_M', vcpu: 6, memoryGiB: 28, gpus: 0, storageGB: 100, clouds: ALL_CLOUDS, maxNodes: 150, generation: 'legacy',
    description: 'Ideal for having a full stack application or multiple services',
  },
  {
    name: 'CPU_X64_SL',
    vcpu: 14,
    memoryGiB: 54,
    gpus: 0,
    storageGB: 100,
    clouds: ALL_CLOUDS,
    maxNodes: 150,
    generation: 'legacy',
    description: 'For applications which need a large number of CPUs, memory and Storage.',
    note: 'Not available in China regions.',
  },
  {
    name: 'CPU_X64_L', vcpu: 28, memoryGiB: 116, gpus: 0, storageGB: 100, clouds: ALL_CLOUDS, maxNodes: 150, generation: 'legacy',
    description: 'For applications which need an unusually large number of CPUs, memory and Storage.',
  },
  {
    name: 'HIGHMEM_X64_S', vcpu: 6, memoryGiB: 58, gpus: 0, storageGB: 100, clouds: ALL_CLOUDS, maxNodes: 150, generation: 'legacy',
    description: 'For memory intensive applications.',
  },
  {
    name: 'HIGHMEM_X64_M',
    vcpu: 28,
    memoryGiB: 244,
    memoryGiBByCloud: { AWS: 240, Azure: 244, GCP: 244 },
    gpus: 0,
    storageGB: 100,
    clouds: ALL_CLOUDS,
    maxNodes: 150,
    generation: 'legacy',
    description: 'For hosting multiple memory intensive applications on a single machine.',
    note: '240 GiB on AWS, 244 GiB on Azure and GCP; the table uses 244 so that capacity checks never raise a false error.',
  },
  {
    name: 'HIGHMEM_X64_SL', vcpu: 92, memoryGiB: 654, gpus: 0, storageGB: 100, clouds: ['Azure', 'GCP'], maxNodes: 20, generation: 'legacy',
    description: 'Largest Azure or GCP high-memory machine available for processing large in-memory data.',
  },
  {
    name: 'HIGHMEM_X64_L', vcpu: 124, memoryGiB: 984, gpus: 0, storageGB: 100, clouds: ['AWS'], maxNodes: 150, generation: 'legacy',
    description: 'Largest AWS high-memory machine available for processing large in-memory data.',
  },
  {
    name: 'GPU_NV_S', vcpu: 6, memoryGiB: 27, gpus: 1, gpuModel: 'A10G (24 GB)', gpuMemoryGB: 24, storageGB: 300, clouds: ['AWS'], maxNodes: 150, generation: 'legacy',
    description: 'Our smallest NVIDIA GPU size available for Snowpark Containers to get started.',
  },
  {
    name: 'GPU_NV_M', vcpu: 44, memoryGiB: 178, gpus: 4, gpuModel: 'A10G (24 GB)', gpuMemoryGB: 24, storageGB: 3400, clouds: ['AWS'], maxNodes: 10, generation: 'legacy',
    description: 'Optimized for intensive GPU usage scenarios like Computer Vision or LLMs/VLMs.',
  },
  {
    name: 'GPU_NV_L',
    vcpu: 92,
    memoryGiB: 1112,
    gpus: 8,
    gpuModel: 'A100 (40 GB)',
    gpuMemoryGB: 40,
    storageGB: 6800,
    clouds: ['AWS'],
    generation: 'legacy',
    description: 'Largest GPU instance for specialized and advanced GPU cases like LLMs and Clustering, etc.',
    note: 'Available on request, in a limited set of regions.',
  },
  {
    name: 'GPU_NV_XS', vcpu: 3, memoryGiB: 26, gpus: 1, gpuModel: 'T4 (16 GB)', gpuMemoryGB: 16, storageGB: 100, clouds: ['Azure'], maxNodes: 10, generation: 'legacy',
    description: 'Our smallest Azure NVIDIA GPU size available for Snowpark Containers to get started.',
  },
  {
    name: 'GPU_NV_SM', vcpu: 32, memoryGiB: 424, gpus: 1, gpuModel: 'A10 (24 GB)', gpuMemoryGB: 24, storageGB: 100, clouds: ['Azure'], maxNodes: 10, generation: 'legacy',
    description: 'A smaller Azure NVIDIA GPU size available for Snowpark Containers to get started.',
  },
  {
    name: 'GPU_NV_2M', vcpu: 68, memoryGiB: 858, gpus: 2, gpuModel: 'A10 (24 GB)', gpuMemoryGB: 24, storageGB: 100, clouds: ['Azure'], maxNodes: 5, generation: 'legacy',
    description: 'Optimized for intensive GPU usage scenarios like Computer Vision or LLMs/VLMs.',
  },
  {
    name: 'GPU_NV_3M', vcpu: 44, memoryGiB: 424, gpus: 2, gpuModel: 'A100 (80 GB)', gpuMemoryGB: 80, storageGB: 100, clouds: ['Azure'], generation: 'legacy',
    description: 'Optimized for memory-intensive GPU usage scenarios like Computer Vision or LLMs/VLMs.',
  },
  {
    name: 'GPU_NV_SL', vcpu: 92, memoryGiB: 858, gpus: 4, gpuModel: 'A100 (80 GB)', gpuMemoryGB: 80, storageGB: 100, clouds: ['Azure'], generation: 'legacy',
    description: 'Largest GPU instance for specialized and advanced GPU cases like LLMs and Clustering, etc.',
  },
  {
    name: 'GPU_GCP_NV_L4_1_24G', vcpu: 6, memoryGiB: 28, gpus: 1, gpuModel: 'L4 (24 GB)', gpuMemoryGB: 24, storageGB: 300, clouds: ['GCP'], maxNodes: 10, generation: 'legacy',
    description: 'Our smallest NVIDIA GPU size available for Snowpark Containers to get started.',
  },
  {
    name: 'GPU_GCP_NV_L4_4_24G', vcpu: 44, memoryGiB: 178, gpus: 4, gpuModel: 'L4 (24 GB)', gpuMemoryGB: 24, storageGB: 1200, clouds: ['GCP'], maxNodes: 10, generation: 'legacy',
    description: 'GPU usage scenarios like Computer Vision or LLMs.',
  },
  {
    name: 'GPU_GCP_NV_A100_8_40G', vcpu: 92, memoryGiB: 654, gpus: 8, gpuModel: 'A100 (40 GB)', gpuMemoryGB: 40, storageGB: 2500, clouds: ['GCP'], generation: 'legacy',
    description: 'Optimized for memory-intensive GPU usage scenarios like Computer Vision or LLMs/VLMs.',
    note: 'Available on request, in GCP US Central1 and Europe West4 only.',
  },

  // §3.3: newer-generation names (Terraform SDK enums). Accepted, but no Snowflake source gives their
  // capacity, so capacity checks are skipped. General-purpose and memory families certainly have no GPU.
  { name: 'GEN_ARM_G1_2', gpus: 0, clouds: ['AWS'], generation: 'current', note: `${ARM} ${THIRD_PARTY('1 vCPU / 6 GiB')}` },
  { name: 'GEN_ARM_G1_4', gpus: 0, clouds: ['AWS'], generation: 'current', note: `${ARM} ${THIRD_PARTY('3 vCPU / 13 GiB')}` },
  { name: 'GEN_ARM_G1_8', gpus: 0, clouds: ['AWS'], generation: 'current', note: `${ARM} ${THIRD_PARTY('6 vCPU / 28 GiB')}` },
  { name: 'GEN_ARM_G1_16', gpus: 0, clouds: ['AWS'], generation: 'current', note: `${ARM} ${THIRD_PARTY('14 vCPU / 58 GiB')}` },
  { name: 'GEN_ARM_G1_32', gpus: 0, clouds: ['AWS'], generation: 'current', note: `${ARM} ${THIRD_PARTY('28 vCPU / 116 GiB')}` },
  { name: 'GEN_X64_G2_2', gpus: 0, clouds: ['AWS', 'Azure'], generation: 'current', note: THIRD_PARTY('1 vCPU / 6 GiB') },
  { name: 'GEN_X64_G2_4', gpus: 0, clouds: ['AWS', 'Azure'], generation: 'current', note: THIRD_PARTY('3 vCPU / 13 GiB') },
  { name: 'GEN_X64_G2_8', gpus: 0, clouds: ['AWS', 'Azure'], generation: 'current', note: THIRD_PARTY('6 vCPU / 28 GiB') },
  { name: 'GEN_X64_G2_16', gpus: 0, clouds: ['Azure'], generation: 'current', note: UNPUBLISHED },
  { name: 'GEN_X64_G2_32', gpus: 0, clouds: ['AWS', 'Azure'], generation: 'current', note: THIRD_PARTY('28 vCPU / 116 GiB') },
  { name: 'MEM_X64_G2_8', gpus: 0, clouds: ['AWS', 'Azure'], generation: 'current', note: THIRD_PARTY('6 vCPU / 58 GiB') },
  { name: 'MEM_X64_G2_32', gpus: 0, clouds: ['AWS', 'Azure'], generation: 'current', note: THIRD_PARTY('28 vCPU / 240 GiB') },
  { name: 'MEM_X64_G2_64', gpus: 0, clouds: ['AWS', 'Azure'], generation: 'current', note: THIRD_PARTY('60 vCPU / 492 GiB') },
  { name: 'MEM_X64_G2_96', gpus: 0, clouds: ['Azure'], generation: 'current', note: UNPUBLISHED },
  { name: 'MEM_X64_G2_192', gpus: 0, clouds: ['AWS', 'Azure'], generation: 'current', note: THIRD_PARTY('188 vCPU / 1436 GiB') },
  { name: 'GPU_L40S_G1_8', gpus: undefined, gpuModel: 'L40S', clouds: [], generation: 'current', note: THIRD_PARTY('6 vCPU / 58 GiB (a user note)') },
  { name: 'GPU_L40S_G1_16', gpus: undefined, gpuModel: 'L40S', clouds: [], generation: 'current', note: THIRD_PARTY('14 vCPU / 116 GiB (a user note)') },
  { name: 'GPU_L40S_G1_48', gpus: undefined, gpuModel: 'L40S', clouds: [], generation: 'current', note: UNPUBLISHED },
  { name: 'GPU_L40S_G1_192', gpus: undefined, gpuModel: 'L40S', clouds: [], generation: 'current', note: UNPUBLISHED },
  { name: 'GPU_R6K_G1_8', gpus: undefined, clouds: ['AWS'], generation: 'current', note: UNPUBLISHED },
  { name: 'GPU_R6K_G1_16', gpus: undefined, clouds: ['AWS'], generation: 'current', note: UNPUBLISHED },
  { name: 'GPU_R6K_G1_32', gpus: undefined, clouds: ['AWS'], generation: 'current', note: UNPUBLISHED },
  { name: 'GPU_R6K_G1_48', gpus: undefined, clouds: ['AWS'], generation: 'current', note: UNPUBLISHED },
  { name: 'GPU_R6K_G1_96', gpus: undefined, clouds: ['AWS'], generation: 'current', note: UNPUBLISHED },
  { name: 'GPU_R6K_G1_192', gpus: undefined, clouds: ['AWS'], generation: 'current', note: UNPUBLISHED },
  { name: 'GPU_A100_G1_12', gpus: undefined, gpuModel: 'A100', clouds: ['GCP'], generation: 'current', note: UNPUBLISHED },
  { name: 'GPU_A100_G1_48', gpus: undefined, gpuModel: 'A100', clouds: ['GCP'], generation: 'current', note: UNPUBLISHED },
  // Named only by a third-party listing (reservation only); accepted so that they are not reported as unknown.
  {
    name: 'GPU_NV_XL',
    gpus: undefined,
    gpuModel: 'H100 (80 GB)',
    clouds: [],
    generation: 'current',
    note: `Reservation only. ${THIRD_PARTY('8 × H100 (80 GB), 188 vCPU / 1843 GiB')}`,
  },
  {
    name: 'GPU_NV_2XL',
    gpus: undefined,
    gpuModel: 'H200 (141 GB)',
    clouds: [],
    generation: 'current',
    note: `Reservation only. ${THIRD_PARTY('8 × H200 (141 GB)')}`,
  },
];

const familiesByName: ReadonlyMap<string, InstanceFamily> = new Map(
  instanceFamilies.map((family) => [family.name.toUpperCase(), family]),
);

/** Looks a family up by its INSTANCE_FAMILY identifier, ignoring case and surrounding spaces or quotes. */
export function findInstanceFamily(name: string): InstanceFamily | undefined {
  const key = name.trim().replace(/^["']|["']$/g, '').toUpperCase();
  return familiesByName.get(key);
}

/** One line for hover and diagnostics, e.g. "GPU_NV_M: 44 vCPU, 178 GiB, 4 × A10G (24 GB)". */
export function familyDescription(f: InstanceFamily): string {
  if (f.vcpu === undefined && f.memoryGiB === undefined) {
    return `${f.name}: capacity not published; checks skipped`;
  }
  const parts: string[] = [];
  if (f.vcpu !== undefined) parts.push(`${f.vcpu} vCPU`);
  if (f.memoryGiB !== undefined) parts.push(`${f.memoryGiB} GiB`);
  if (f.gpus !== undefined && f.gpus > 0) parts.push(`${f.gpus} × ${f.gpuModel ?? 'GPU'}`);
  return `${f.name}: ${parts.join(', ')}`;
}

export interface InstanceFamilyModeline {
  /** The family value as written (not validated; look it up with `findInstanceFamily`). */
  family: string;
  /** 0-based position of the value text (without quotes); characters are UTF-16 code units, as in LSP. */
  range: { line: number; startCharacter: number; endCharacter: number };
}

/**
 * Finds the modeline `# spcs: instance-family=GPU_NV_M` (other `key=value` pairs may share the line,
 * separated by spaces or commas); see `modeline.ts` for where it is searched. The first match wins.
 */
export function parseInstanceFamilyModeline(text: string): InstanceFamilyModeline | undefined {
  const found = parseModeline(text).instanceFamily;
  return found ? { family: found.value, range: { ...found.range } } : undefined;
}
