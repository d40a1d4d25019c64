/**
 * Service specifications the demo seed puts on the SPCS_DEMO.PUBLIC.SPECS stage and runs: copies of
 * the repository's `samples/*.spcs.yaml` (kept inline so the emulator needs no files at run time),
 * plus a plain echo service, the broken reporting service whose image tag was never pushed, and the
 * demo gateway's specification.
 */

/** `samples/echo-template.spcs.yaml` */
export const echoTemplate = `# A specification template: create it with
#   CREATE SERVICE echo IN COMPUTE POOL my_pool
#     FROM SPECIFICATION_TEMPLATE $$…$$
#     USING (tag => 'v2', port => 8000, replicas_env => '{"LOG_LEVEL": "debug"}');
spec:
  containers:
    - name: echo
      image: /tutorial_db/data_schema/tutorial_repository/echo:{{ tag }}
      env: {{ replicas_env | default('{}') }}
      readinessProbe:
        port: {{ port }}
        path: /healthcheck
  endpoints:
    - name: echoendpoint
      port: {{ port }}
      public: {{ public_endpoint | default(true) }}
`;

/** `samples/vllm-gpu.spcs.yaml` */
export const vllmGpu = `# spcs: instance-family=GPU_NV_M
# An OpenAI-compatible vLLM server on 4 GPUs with a Streamlit chat UI in front of it.
spec:
  containers:
    - name: vllm
      image: /ml_db/serving/images/vllm-openai:0.6.3
      args: ["--model", "/models/llama-3.1-8b-instruct", "--tensor-parallel-size", "4", "--port", "8000"]
      env:
        HF_HUB_OFFLINE: 1
        VLLM_API_KEY: local-only
      resources:
        requests:
          nvidia.com/gpu: 4
          cpu: 16
          memory: 96Gi
        limits:
          nvidia.com/gpu: 4
          memory: 160Gi
      readinessProbe:
        port: 8000
        path: /health
      livenessProbe:
        port: 8000
        path: /health
        periodSeconds: 30
        failureThreshold: 5
      volumeMounts:
        - name: models
          mountPath: /models
        - name: dshm
          mountPath: /dev/shm
    - name: chat-ui
      image: /ml_db/serving/images/chat-ui:1.4.0
      env:
        OPENAI_BASE_URL: http://localhost:8000/v1
      resources:
        requests:
          cpu: 1
          memory: 2Gi
  endpoints:
    - name: chat
      port: 8501
      public: true
    - name: openai-api
      port: 8000
      protocol: HTTP
  volumes:
    - name: models
      source: stage
      stageConfig:
        name: "@ml_db.serving.model_weights/llama-3.1-8b-instruct"
        metadataCache: 1h
    - name: dshm
      source: memory
      size: 32Gi
  platformMonitor:
    metricConfig:
      groups:
        - system
        - system_limits
serviceRoles:
  - name: chat_users
    endpoints:
      - chat
  - name: api_clients
    endpoints:
      - openai-api
`;

/** `samples/data-service.spcs.yaml` */
export const dataService = `# A stateful API: Postgres on a block volume, an API container reading files from a stage,
# credentials from Snowflake secrets.
spec:
  containers:
    - name: postgres
      image: /app_db/backend/images/postgres:16.4
      env:
        PGDATA: /var/lib/postgresql/data/pgdata
      secrets:
        - snowflakeSecret:
            objectName: app_db.backend.postgres_credentials
          secretKeyRef: password
          envVarName: POSTGRES_PASSWORD
      resources:
        requests:
          cpu: 1
          memory: 4Gi
        limits:
          cpu: 2
          memory: 8Gi
      volumeMounts:
        - name: pgdata
          mountPath: /var/lib/postgresql/data
    - name: api
      image: /app_db/backend/images/orders-api:2.3.1
      env:
        DATABASE_HOST: localhost
        DATABASE_PORT: 5432
      secrets:
        - snowflakeSecret: app_db.backend.postgres_credentials
          secretKeyRef: username
          envVarName: DATABASE_USER
        - snowflakeSecret: app_db.backend.postgres_credentials
          secretKeyRef: password
          envVarName: DATABASE_PASSWORD
        - snowflakeSecret:
            objectName: app_db.backend.partner_api_token
          directoryPath: /run/secrets/partner
      readinessProbe:
        port: 8080
        path: /ready
      volumeMounts:
        - name: reference-data
          mountPath: /data/reference
      resources:
        requests:
          cpu: 0.5
          memory: 1Gi
  endpoints:
    - name: orders
      port: 8080
      public: true
      corsSettings:
        Access-Control-Allow-Origin:
          - https://orders.example.com
        Access-Control-Allow-Methods:
          - GET
          - POST
    - name: postgres
      port: 5432
      protocol: TCP
  volumes:
    - name: pgdata
      source: block
      size: 50Gi
      blockConfig:
        snapshotOnDelete: true
        snapshotDeleteAfter: 14d
    - name: reference-data
      source: stage
      stageConfig:
        name: "@app_db.backend.reference_files"
  logExporters:
    eventTableConfig:
      logLevel: INFO
serviceRoles:
  - name: orders_app
    endpoints:
      - orders
`;

/** `samples/nightly-job.spcs.yaml` */
export const nightlyJob = `# A batch job (EXECUTE JOB SERVICE): trains on data from a stage, writes the model back.
spec:
  containers:
    - name: trainer
      image: /ml_db/training/images/xgboost-trainer:1.8.0
      command: ["python", "-m", "trainer.main"]
      args: ["--input", "/data/features", "--output", "/data/models"]
      env:
        SNOWFLAKE_WAREHOUSE: TRAINING_WH
      resources:
        requests:
          cpu: 4
          memory: 16Gi
        limits:
          cpu: 6
          memory: 24Gi
      volumeMounts:
        - name: training-data
          mountPath: /data
  volumes:
    - name: training-data
      source: stage
      stageConfig:
        name: "@ml_db.training.datasets"
      uid: 1000
      gid: 1000
`;

export const echo = `spec:
  containers:
    - name: echo
      image: /tutorial_db/data_schema/tutorial_repository/echo:v2
      env:
        SERVER_PORT: 8000
        CHARACTER_NAME: Bob
      readinessProbe:
        port: 8000
        path: /healthcheck
  endpoints:
    - name: echoendpoint
      port: 8000
      public: true
`;

/**
 * Refers to a tag that was never pushed: the service fails with "Failed to pull image" (its
 * `status` metrics say pending, reason FailedToPullImage).
 */
export const reporting = `spec:
  containers:
    - name: reporting-api
      image: /spcs_demo/public/demo_repo/reporting-api:2.0.0
      env:
        REPORT_SCHEDULE: hourly
      readinessProbe:
        port: 8080
        path: /ready
  endpoints:
    - name: api
      port: 8080
  platformMonitor:
    metricConfig:
      groups:
        - system
        - status
`;

/** The demo gateway: every request to its stable host goes to the echo service's public endpoint. */
export const echoGateway = `spec:
  type: traffic_split
  split_type: custom
  targets:
    - type: endpoint
      value: spcs_demo.public.echo_service!echoendpoint
      weight: 100
`;
