/**
 * The files beside a template's spec: the Dockerfile that builds its image for linux/amd64 (SPCS
 * runs nothing else), and the small app each Dockerfile copies (a FastAPI service with a health
 * check and a handler in the service function format, a Streamlit page, a batch script that splits
 * its input across job replicas).
 *
 * Model servers (vLLM, TGI, TEI) run their upstream image as it is: their Dockerfile only pins it to
 * linux/amd64 so that the push from an Apple silicon or ARM machine is still the right image; the
 * weights stay out of the image (a stage volume mounts them).
 *
 * Owns: the text of these files. Must not: import `vscode` or write anything.
 */

import type { ServingTemplate } from './templateCatalog';

/** A file of a rendered project, relative to the project folder. */
export interface ProjectFile {
  readonly path: string;
  readonly content: string;
}

const platformNote = '# SPCS runs linux/amd64 images only: build with --platform linux/amd64 on any machine.';

export function dockerfile(template: ServingTemplate, baseImage: string, gpus: number): string {
  switch (template.id) {
    case 'vllm':
    case 'tgi':
    case 'tei':
      return [
        platformNote,
        `FROM --platform=linux/amd64 ${baseImage}`,
        '# The model weights are not in the image: the spec mounts them from a stage volume at /models.',
        '# The image keeps its own entrypoint; the spec passes the server its arguments.',
        '',
      ].join('\n');
    case 'fastapi':
      return [
        platformNote,
        `FROM --platform=linux/amd64 ${baseImage}`,
        'WORKDIR /app',
        'COPY requirements.txt .',
        'RUN pip install --no-cache-dir -r requirements.txt',
        'COPY main.py .',
        `EXPOSE ${template.server?.port ?? 8000}`,
        `CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "${template.server?.port ?? 8000}"]`,
        '',
      ].join('\n');
    case 'streamlit':
      return [
        platformNote,
        `FROM --platform=linux/amd64 ${baseImage}`,
        'WORKDIR /app',
        'COPY requirements.txt .',
        'RUN pip install --no-cache-dir -r requirements.txt',
        'COPY streamlit_app.py .',
        `EXPOSE ${template.server?.port ?? 8501}`,
        `CMD ["streamlit", "run", "streamlit_app.py", "--server.port=${template.server?.port ?? 8501}", "--server.address=0.0.0.0", "--server.headless=true"]`,
        '',
      ].join('\n');
    case 'batchJob':
      return [
        platformNote,
        `FROM --platform=linux/amd64 ${baseImage}`,
        ...(gpus > 0 ? ['# A CUDA build of PyTorch: the job uses the GPUs of its node.'] : []),
        'WORKDIR /job',
        'COPY requirements.txt .',
        'RUN pip install --no-cache-dir -r requirements.txt',
        'COPY job.py .',
        'CMD ["python", "job.py"]',
        '',
      ].join('\n');
  }
}

const fastapiMain = `"""An HTTP service for Snowpark Container Services.

GET /health answers the readiness probe. POST /echo is a service function handler: Snowflake sends
{"data": [[row_index, arg1, ...], ...]} and expects {"data": [[row_index, result], ...]}, one row
back for each row it sent.
"""

from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/health")
def health() -> dict:
    return {"status": "ok"}


@app.post("/echo")
async def echo(request: Request) -> dict:
    body = await request.json()
    rows = body.get("data", [])
    return {"data": [[row[0], row[1] if len(row) > 1 else None] for row in rows]}
`;

const streamlitApp = `"""A Streamlit app for Snowpark Container Services (its public endpoint serves this page)."""

import os

import streamlit as st

st.title("Hello from Snowpark Container Services")
st.write("Service:", os.environ.get("SNOWFLAKE_SERVICE_NAME", "local"))
name = st.text_input("Your name")
if name:
    st.write(f"Hello, {name}!")
`;

const batchJob = `"""A batch job for Snowpark Container Services.

EXECUTE JOB SERVICE ... REPLICAS = n runs n copies; each one reads its share of the files under
DATA_DIR (the stage volume) from SNOWFLAKE_JOB_INDEX and SNOWFLAKE_JOBS_COUNT. Replace the loop with
the training or scoring step; the job ends when this script does (exit code 0 is DONE).
"""

import os
import sys
from pathlib import Path

index = int(os.environ.get("SNOWFLAKE_JOB_INDEX", "0"))
count = int(os.environ.get("SNOWFLAKE_JOBS_COUNT", "1"))
data = Path(os.environ.get("DATA_DIR", "/data"))

files = sorted(path for path in data.rglob("*") if path.is_file())
mine = files[index::count]
print(f"replica {index + 1} of {count}: {len(mine)} of {len(files)} files under {data}", flush=True)
for path in mine:
    print(f"processing {path} ({path.stat().st_size} bytes)", flush=True)

try:
    import torch

    print(f"CUDA available: {torch.cuda.is_available()}, GPUs: {torch.cuda.device_count()}", flush=True)
except ImportError:
    print("PyTorch is not installed: running on CPU only", flush=True)

sys.exit(0)
`;

export function appFiles(template: ServingTemplate): ProjectFile[] {
  switch (template.id) {
    case 'fastapi':
      return [
        { path: 'main.py', content: fastapiMain },
        { path: 'requirements.txt', content: 'fastapi>=0.115,<1\nuvicorn[standard]>=0.32,<1\n' },
      ];
    case 'streamlit':
      return [
        { path: 'streamlit_app.py', content: streamlitApp },
        { path: 'requirements.txt', content: 'streamlit>=1.40,<2\n' },
      ];
    case 'batchJob':
      return [
        { path: 'job.py', content: batchJob },
        { path: 'requirements.txt', content: '# Add the libraries the job needs (the GPU base image already has PyTorch).\n' },
      ];
    default:
      return [];
  }
}
