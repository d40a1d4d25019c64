/**
 * What a container writes, by the kind of software its image holds: a vLLM OpenAI server, a
 * Streamlit UI, Postgres, a Flask echo service, a training job, or (the default) a uvicorn/FastAPI
 * app. Each profile gives a start-up sequence, a periodic line generator and the lines printed when
 * the process ends (clean shutdown, crash, job success or failure).
 *
 * Lines are functions of a context (service seed, instance, container, run) and an index, never of
 * state, so any window of a long-running container's log can be produced on demand.
 *
 * Must not: decide timing beyond offsets within the start-up sequence (see `logs.ts`).
 */

import { choose, pick } from './hashing';
import type { ContainerSpec } from './model';

export type Stream = 'stdout' | 'stderr';

export interface ProfileLine {
  readonly stream: Stream;
  readonly text: string;
}

export interface TimedLine extends ProfileLine {
  /** Milliseconds after the process started. */
  readonly offsetMs: number;
}

export interface LogContext {
  readonly seed: string;
  readonly instance: number;
  readonly container: ContainerSpec;
  readonly runIndex: number;
  readonly port: number;
  readonly ipAddress: string;
  /** Job replicas (SNOWFLAKE_JOBS_COUNT); 1 for services. */
  readonly replicas: number;
  /** Formats a time as the software would print it inside its own log lines. */
  readonly clock: (offsetMs: number) => Date;
}

export interface LogProfile {
  readonly name: string;
  readonly periodMs: number;
  startup(context: LogContext): readonly TimedLine[];
  periodic(context: LogContext, index: number, at: Date): ProfileLine;
  /** Printed when the process ends: exit code 0 is a clean stop (or job success). */
  ending(context: LogContext, exitCode: number): readonly ProfileLine[];
}

const clients = ['10.244.0.1', '10.244.1.9', '10.244.3.14', '10.244.7.2'] as const;
const paths = ['/', '/healthcheck', '/ready', '/api/v1/orders', '/api/v1/orders/1842', '/metrics'] as const;

function client(context: LogContext, index: number): string {
  return `${choose(clients, context.seed, 'client', index)}:${40000 + pick(20000, context.seed, 'port', index)}`;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function pythonTraceback(file: string, error: string): ProfileLine[] {
  return [
    { stream: 'stderr', text: 'Traceback (most recent call last):' },
    { stream: 'stderr', text: `  File "${file}", line ${42}, in <module>` },
    { stream: 'stderr', text: '    main()' },
    { stream: 'stderr', text: error },
  ];
}

const uvicorn: LogProfile = {
  name: 'uvicorn',
  periodMs: 5_000,
  startup: (context) => [
    { offsetMs: 300, stream: 'stderr', text: 'INFO:     Started server process [1]' },
    { offsetMs: 310, stream: 'stderr', text: 'INFO:     Waiting for application startup.' },
    { offsetMs: 1_900, stream: 'stdout', text: `Connecting to database at ${context.container.env.DATABASE_HOST ?? 'localhost'}:${context.container.env.DATABASE_PORT ?? '5432'}` },
    { offsetMs: 2_400, stream: 'stderr', text: 'INFO:     Application startup complete.' },
    { offsetMs: 2_410, stream: 'stderr', text: `INFO:     Uvicorn running on http://0.0.0.0:${context.port} (Press CTRL+C to quit)` },
  ],
  periodic(context, index) {
    if (index % 40 === 39) {
      return { stream: 'stderr', text: `WARNING:  Slow request: GET /api/v1/orders took ${1200 + pick(900, context.seed, 'slow', index)} ms` };
    }
    const path = index % 3 === 0 ? (context.container.readinessProbe?.path ?? '/ready') : choose(paths, context.seed, 'path', index);
    const status = pick(50, context.seed, 'status', index) === 0 ? '404 Not Found' : '200 OK';
    const method = path.startsWith('/api') && index % 7 === 0 ? 'POST' : 'GET';
    return { stream: 'stderr', text: `INFO:     ${client(context, index)} - "${method} ${path} HTTP/1.1" ${status}` };
  },
  ending: (_context, exitCode) =>
    exitCode === 0
      ? [
          { stream: 'stderr', text: 'INFO:     Shutting down' },
          { stream: 'stderr', text: 'INFO:     Waiting for application shutdown.' },
          { stream: 'stderr', text: 'INFO:     Application shutdown complete.' },
          { stream: 'stderr', text: 'INFO:     Finished server process [1]' },
        ]
      : exitCode === 137
        ? [{ stream: 'stderr', text: 'Killed' }]
        : [{ stream: 'stderr', text: 'ERROR:    Exception in ASGI application' }, ...pythonTraceback('/app/main.py', 'ConnectionResetError: [Errno 104] Connection reset by peer')],
};

const vllm: LogProfile = {
  name: 'vllm',
  periodMs: 10_000,
  startup(context) {
    const args = context.container.args ?? [];
    const model = args[args.indexOf('--model') + 1] ?? '/models/model';
    const tp = args[args.indexOf('--tensor-parallel-size') + 1] ?? '1';
    const stamp = (offset: number): string => {
      const date = context.clock(offset);
      return `${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
    };
    // The image tag is the vLLM version when it looks like one (`vllm-openai:0.6.2`).
    const version = /:(\d+\.\d+\.\d+)$/.exec(context.container.image)?.[1] ?? '0.6.3';
    return [
      { offsetMs: 800, stream: 'stdout', text: `INFO ${stamp(800)} api_server.py:528] vLLM API server version ${version}` },
      { offsetMs: 820, stream: 'stdout', text: `INFO ${stamp(820)} api_server.py:529] args: Namespace(model='${model}', tensor_parallel_size=${tp}, port=${context.port})` },
      { offsetMs: 2_500, stream: 'stdout', text: `INFO ${stamp(2_500)} config.py:887] Defaulting to use mp for distributed inference` },
      { offsetMs: 2_600, stream: 'stderr', text: `WARNING ${stamp(2_600)} arg_utils.py:953] Chunked prefill is enabled by default for models with max_model_len > 32K.` },
      { offsetMs: 6_000, stream: 'stdout', text: `INFO ${stamp(6_000)} model_runner.py:1056] Starting to load model ${model}...` },
      { offsetMs: 14_000, stream: 'stdout', text: `INFO ${stamp(14_000)} model_runner.py:1067] Loading model weights took 14.9888 GB` },
      { offsetMs: 16_500, stream: 'stdout', text: `INFO ${stamp(16_500)} distributed_gpu_executor.py:57] # GPU blocks: 27626, # CPU blocks: 8192` },
      { offsetMs: 19_000, stream: 'stdout', text: `INFO ${stamp(19_000)} launcher.py:19] Available routes are: /health, /v1/models, /v1/chat/completions, /v1/completions` },
      { offsetMs: 19_400, stream: 'stderr', text: 'INFO:     Started server process [1]' },
      { offsetMs: 19_410, stream: 'stderr', text: `INFO:     Uvicorn running on http://0.0.0.0:${context.port} (Press CTRL+C to quit)` },
    ];
  },
  periodic(context, index, at) {
    const stamp = `${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
    if (index % 2 === 0) {
      const prompt = (pick(4000, context.seed, 'prompt', index) / 10).toFixed(1);
      const generation = (pick(2500, context.seed, 'gen', index) / 10).toFixed(1);
      const running = pick(9, context.seed, 'running', index);
      const cache = (pick(400, context.seed, 'cache', index) / 10).toFixed(1);
      return { stream: 'stdout', text: `INFO ${stamp} metrics.py:349] Avg prompt throughput: ${prompt} tokens/s, Avg generation throughput: ${generation} tokens/s, Running: ${running} reqs, Swapped: 0 reqs, Pending: 0 reqs, GPU KV cache usage: ${cache}%, CPU KV cache usage: 0.0%.` };
    }
    const path = index % 6 === 1 ? '/health' : '/v1/chat/completions';
    return { stream: 'stderr', text: `INFO:     ${client(context, index)} - "${path === '/health' ? 'GET' : 'POST'} ${path} HTTP/1.1" 200 OK` };
  },
  ending: (_context, exitCode) =>
    exitCode === 0
      ? [
          { stream: 'stderr', text: 'INFO:     Shutting down' },
          { stream: 'stderr', text: 'INFO:     Finished server process [1]' },
        ]
      : [
          { stream: 'stderr', text: 'ERROR:    Exception in ASGI application' },
          ...pythonTraceback('/usr/local/lib/python3.12/site-packages/vllm/worker/model_runner.py', 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 22.19 GiB of which 1.02 GiB is free.'),
        ],
};

const streamlit: LogProfile = {
  name: 'streamlit',
  periodMs: 30_000,
  startup: (context) => [
    { offsetMs: 1_200, stream: 'stdout', text: '' },
    { offsetMs: 1_210, stream: 'stdout', text: '  You can now view your Streamlit app in your browser.' },
    { offsetMs: 1_220, stream: 'stdout', text: '' },
    { offsetMs: 1_230, stream: 'stdout', text: `  URL: http://0.0.0.0:${context.port}` },
    { offsetMs: 1_240, stream: 'stdout', text: '' },
  ],
  periodic(context, index) {
    if (index % 10 === 9) {
      return { stream: 'stderr', text: `WARNING streamlit.runtime.caching: Cache miss for get_models(); refreshing from ${context.container.env.OPENAI_BASE_URL ?? 'the backend'}` };
    }
    return { stream: 'stdout', text: `INFO chat: session ${pick(0xffffff, context.seed, 'session', index).toString(16)} sent a message (${20 + pick(400, context.seed, 'tokens', index)} tokens)` };
  },
  ending: (_context, exitCode) => (exitCode === 0 ? [{ stream: 'stdout', text: '  Stopping...' }] : [{ stream: 'stderr', text: 'Segmentation fault (core dumped)' }]),
};

const postgres: LogProfile = {
  name: 'postgres',
  periodMs: 5 * 60_000,
  startup(context) {
    const stamp = (offset: number): string => `${context.clock(offset).toISOString().replace('T', ' ').slice(0, 23)} UTC`;
    return [
      { offsetMs: 400, stream: 'stderr', text: `${stamp(400)} [1] LOG:  starting PostgreSQL 16.4 (Debian 16.4-1.pgdg120+1) on x86_64-pc-linux-gnu` },
      { offsetMs: 420, stream: 'stderr', text: `${stamp(420)} [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432` },
      { offsetMs: 440, stream: 'stderr', text: `${stamp(440)} [1] LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"` },
      { offsetMs: 900, stream: 'stderr', text: `${stamp(900)} [29] LOG:  database system was shut down at ${stamp(-60_000)}` },
      { offsetMs: 1_000, stream: 'stderr', text: `${stamp(1_000)} [1] LOG:  database system is ready to accept connections` },
    ];
  },
  periodic(context, _index, at) {
    const stamp = `${at.toISOString().replace('T', ' ').slice(0, 23)} UTC`;
    const buffers = 20 + pick(300, context.seed, 'buffers', at.getTime());
    return { stream: 'stderr', text: `${stamp} [27] LOG:  checkpoint complete: wrote ${buffers} buffers (${(buffers / 163.84).toFixed(1)}%); 0 WAL file(s) added, 0 removed, 1 recycled` };
  },
  ending: (_context, exitCode) =>
    exitCode === 0
      ? [
          { stream: 'stderr', text: 'LOG:  received fast shutdown request' },
          { stream: 'stderr', text: 'LOG:  database system is shut down' },
        ]
      : [{ stream: 'stderr', text: 'LOG:  server process (PID 412) was terminated by signal 9: Killed' }],
};

const flask: LogProfile = {
  name: 'flask',
  periodMs: 5_000,
  startup: (context) => [
    { offsetMs: 500, stream: 'stdout', text: `Starting echo service on port ${context.port}` },
    { offsetMs: 520, stream: 'stdout', text: " * Serving Flask app 'echo_service'" },
    { offsetMs: 530, stream: 'stdout', text: ' * Debug mode: off' },
    { offsetMs: 540, stream: 'stderr', text: 'WARNING: This is a development server. Do not use it in a production deployment. Use a production WSGI server instead.' },
    { offsetMs: 550, stream: 'stderr', text: ` * Running on all addresses (0.0.0.0)` },
    { offsetMs: 560, stream: 'stderr', text: ` * Running on http://${context.ipAddress}:${context.port}` },
  ],
  periodic(context, index, at) {
    const stamp = `${pad(at.getUTCDate())}/${at.toUTCString().slice(8, 11)}/${at.getUTCFullYear()} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
    if (index % 4 === 3) {
      return { stream: 'stdout', text: `Received data: [[0, "Hello ${pick(1000, context.seed, 'name', index)}"]]` };
    }
    const path = index % 4 === 2 ? '/echo' : (context.container.readinessProbe?.path ?? '/healthcheck');
    return { stream: 'stderr', text: `${client(context, index).split(':')[0] ?? ''} - - [${stamp}] "${path === '/echo' ? 'POST' : 'GET'} ${path} HTTP/1.1" 200 -` };
  },
  ending: (_context, exitCode) => (exitCode === 0 ? [{ stream: 'stdout', text: 'Shutting down echo service' }] : pythonTraceback('/app/echo_service.py', 'OSError: [Errno 98] Address already in use')),
};

const trainer: LogProfile = {
  name: 'trainer',
  periodMs: 4_000,
  startup: (context) => [
    { offsetMs: 600, stream: 'stdout', text: `Starting ${context.container.command?.join(' ') ?? 'job'} ${context.container.args?.join(' ') ?? ''}`.trimEnd() },
    { offsetMs: 1_500, stream: 'stdout', text: `SNOWFLAKE_JOB_INDEX=${context.instance} SNOWFLAKE_JOBS_COUNT=${context.replicas}` },
    { offsetMs: 2_400, stream: 'stdout', text: 'Loading training data from /data/features (12 parquet files, 1,204,331 rows)' },
    { offsetMs: 3_100, stream: 'stderr', text: 'WARNING: falling back to CPU histogram method (no GPU visible to this container)' },
  ],
  periodic(context, index) {
    const loss = (0.69 * Math.exp(-index / 12) + pick(100, context.seed, 'loss', index) / 10000).toFixed(5);
    return { stream: 'stdout', text: `[${index}]\ttrain-logloss:${loss}\tvalidation-logloss:${(Number(loss) + 0.012).toFixed(5)}` };
  },
  ending: (context, exitCode) =>
    exitCode === 0
      ? [
          { stream: 'stdout', text: `Model written to /data/models/model-${pick(0xfffff, context.seed, 'model').toString(16)}.json` },
          { stream: 'stdout', text: 'Training complete.' },
        ]
      : pythonTraceback('/app/trainer/main.py', 'ValueError: feature column "amount" contains NaN values; clean the input or set missing=nan'),
};

/** Picks the profile from the image name (and the command for jobs). */
export function profileFor(container: ContainerSpec, job: boolean): LogProfile {
  const image = container.image.toLowerCase();
  if (image.includes('vllm')) return vllm;
  if (image.includes('postgres')) return postgres;
  if (image.includes('streamlit') || image.includes('chat-ui')) return streamlit;
  if (image.includes('echo')) return flask;
  if (job || image.includes('train') || image.includes('job')) return trainer;
  return uvicorn;
}
