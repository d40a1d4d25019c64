/**
 * The service templates of "New Service Spec…" and "Serve a Model…": what each one is, which image
 * it runs (the upstream image its Dockerfile starts from, and the name it gets in the account's
 * repository), the port and health path of its server, and whether it needs GPUs.
 *
 * Owns: these facts only. Sizing is `templateSizing.ts`, the files are `renderTemplate.ts`.
 * Must not: import `vscode` or talk to Snowflake.
 */

import type { InstanceFamily } from '../../../server/src/service';

export type TemplateId = 'vllm' | 'tgi' | 'tei' | 'fastapi' | 'streamlit' | 'batchJob';

export interface ServingTemplate {
  readonly id: TemplateId;
  /** QuickPick label. */
  readonly label: string;
  /** QuickPick detail: what it serves and on what. */
  readonly detail: string;
  /** `service`: CREATE SERVICE with an endpoint; `job`: EXECUTE JOB SERVICE, runs to its end. */
  readonly kind: 'service' | 'job';
  /** `required`: a GPU server (refused on a family without GPUs); `optional`: uses the GPUs a node has. */
  readonly gpu: 'required' | 'optional' | 'none';
  /** How it is sized on a node: a model server takes most of it, an app a small share, a job most of it. */
  readonly profile: 'modelServer' | 'app' | 'job';
  /** Whether the model's weights are mounted from a stage (or downloaded from Hugging Face). */
  readonly servesModel: boolean;
  readonly containerName: string;
  /** The image's name in the account's repository, and the tag the Dockerfile builds. */
  readonly imageName: string;
  readonly defaultTag: string;
  /** The spec file written for it. */
  readonly specFile: string;
  /** The HTTP server: its port, readiness path and endpoint. */
  readonly server?: { readonly port: number; readonly healthPath: string; readonly endpoint: string; readonly public: boolean };
  /**
   * The HTTP path a service function posts to, and whether the server speaks the service function
   * format (`{"data": [[row, …]]}` in and out) itself; model servers speak their own API.
   */
  readonly functionPath?: { readonly path: string; readonly speaksBatchFormat: boolean; readonly signature: string };
  /** The default service name ("LLM_SERVE"). */
  readonly defaultName: string;
}

export const servingTemplates: readonly ServingTemplate[] = [
  {
    id: 'vllm',
    label: 'vLLM OpenAI-compatible server (GPU)',
    detail: 'Serves a language model over the OpenAI API (/v1/chat/completions, /v1/completions) with vLLM, tensor-parallel over the GPUs of one node; weights from a stage volume.',
    kind: 'service',
    gpu: 'required',
    profile: 'modelServer',
    servesModel: true,
    containerName: 'vllm',
    imageName: 'vllm-openai',
    defaultTag: '0.6.3',
    specFile: 'service.spcs.yaml',
    server: { port: 8000, healthPath: '/health', endpoint: 'api', public: true },
    functionPath: { path: '/v1/completions', speaksBatchFormat: false, signature: '(prompt VARCHAR) RETURNS VARIANT' },
    defaultName: 'LLM_SERVE',
  },
  {
    id: 'tgi',
    label: 'Hugging Face Text Generation Inference (GPU)',
    detail: 'Serves a text-generation model with TGI (/generate, and the OpenAI-style /v1/chat/completions), sharded over the GPUs of one node; weights from a stage volume.',
    kind: 'service',
    gpu: 'required',
    profile: 'modelServer',
    servesModel: true,
    containerName: 'tgi',
    imageName: 'text-generation-inference',
    defaultTag: '2.4.1',
    specFile: 'service.spcs.yaml',
    server: { port: 8080, healthPath: '/health', endpoint: 'api', public: true },
    functionPath: { path: '/generate', speaksBatchFormat: false, signature: '(prompt VARCHAR) RETURNS VARIANT' },
    defaultName: 'TGI_SERVE',
  },
  {
    id: 'tei',
    label: 'Hugging Face Text Embeddings Inference (GPU)',
    detail: 'Serves an embedding model with TEI (/embed) on one GPU per instance; weights from a stage volume.',
    kind: 'service',
    gpu: 'required',
    profile: 'modelServer',
    servesModel: true,
    containerName: 'tei',
    imageName: 'text-embeddings-inference',
    defaultTag: '1.5',
    specFile: 'service.spcs.yaml',
    server: { port: 8080, healthPath: '/health', endpoint: 'api', public: true },
    functionPath: { path: '/embed', speaksBatchFormat: false, signature: '(text VARCHAR) RETURNS VARIANT' },
    defaultName: 'EMBED_SERVE',
  },
  {
    id: 'fastapi',
    label: 'FastAPI / HTTP app (CPU)',
    detail: 'A Python HTTP service with a health check and a handler in the service function format, built from the Dockerfile beside it.',
    kind: 'service',
    gpu: 'none',
    profile: 'app',
    servesModel: false,
    containerName: 'app',
    imageName: 'fastapi-app',
    defaultTag: '0.1.0',
    specFile: 'service.spcs.yaml',
    server: { port: 8000, healthPath: '/health', endpoint: 'api', public: true },
    functionPath: { path: '/echo', speaksBatchFormat: true, signature: '(input VARCHAR) RETURNS VARCHAR' },
    defaultName: 'HTTP_APP',
  },
  {
    id: 'streamlit',
    label: 'Streamlit app (CPU)',
    detail: 'A Streamlit web app on a public endpoint, built from the Dockerfile beside it.',
    kind: 'service',
    gpu: 'none',
    profile: 'app',
    servesModel: false,
    containerName: 'streamlit',
    imageName: 'streamlit-app',
    defaultTag: '0.1.0',
    specFile: 'service.spcs.yaml',
    server: { port: 8501, healthPath: '/_stcore/health', endpoint: 'ui', public: true },
    defaultName: 'STREAMLIT_APP',
  },
  {
    id: 'batchJob',
    label: 'Batch or fine-tune job (GPU when the pool has GPUs)',
    detail: 'A job service (EXECUTE JOB SERVICE) that runs a Python script to its end, over the GPUs of a node when it has some, reading a stage volume.',
    kind: 'job',
    gpu: 'optional',
    profile: 'job',
    servesModel: false,
    containerName: 'job',
    imageName: 'batch-job',
    defaultTag: '0.1.0',
    specFile: 'job.spcs.yaml',
    defaultName: 'BATCH_JOB',
  },
];

export function findTemplate(id: string): ServingTemplate | undefined {
  return servingTemplates.find((template) => template.id === id);
}

/** The GPU model without the memory the built-in table writes into it: "A10G (24 GB)" → "A10G". */
export function gpuModelOf(family: InstanceFamily): string | undefined {
  return family.gpuModel?.replace(/\s*\([^)]*\)\s*$/, '').replace(/^NVIDIA\s+/i, '');
}

/**
 * The image the Dockerfile starts from. Text Embeddings Inference publishes one image per GPU
 * architecture (Turing, Ampere 80 and 86, Ada Lovelace, Hopper), so its tag follows the family's GPU.
 */
export function upstreamImage(template: ServingTemplate, family: InstanceFamily, tag: string = template.defaultTag): { readonly image: string; readonly note?: string } {
  switch (template.id) {
    case 'vllm':
      return { image: `vllm/vllm-openai:v${tag}` };
    case 'tgi':
      return { image: `ghcr.io/huggingface/text-generation-inference:${tag}` };
    case 'tei': {
      const model = (gpuModelOf(family) ?? '').toUpperCase();
      const arch = /^T4/.test(model)
        ? 'turing-'
        : /^A10G?$|^A40/.test(model)
          ? '86-'
          : /^(L4|L40S)/.test(model)
            ? '89-'
            : /^H(100|200)/.test(model)
              ? 'hopper-'
              : /^A100|^A30/.test(model)
                ? ''
                : undefined;
      if (arch === undefined) {
        return { image: `ghcr.io/huggingface/text-embeddings-inference:${tag}`, note: `The GPU of ${family.name} is not known here, so the Dockerfile uses the Ampere (A100) build of Text Embeddings Inference; pick the build for your GPU (turing-, 86-, 89-, hopper-) if it differs.` };
      }
      return { image: `ghcr.io/huggingface/text-embeddings-inference:${arch}${tag}` };
    }
    case 'batchJob':
      return { image: (family.gpus ?? (family.gpuModel === undefined ? 0 : 1)) > 0 ? 'pytorch/pytorch:2.4.1-cuda12.1-cudnn9-runtime' : 'python:3.12-slim' };
    default:
      return { image: 'python:3.12-slim' };
  }
}
