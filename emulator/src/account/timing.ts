/**
 * How long things take in emulated time. Everything that changes over time is derived from these
 * durations and the clock (`lifecycle.ts`), never from timers, so tests move a ManualClock forward
 * past a boundary and see the next state.
 *
 * The values are plausible rather than measured: a small compute pool starts in tens of seconds,
 * an image pull and container start take about half a minute, a public endpoint needs about a
 * minute more ("Endpoints provisioning in progress... check back in a few minutes").
 */

export const Timing = {
  /** A compute pool's nodes come up this long after CREATE / RESUME (state STARTING). */
  poolStartMs: 30_000,
  /**
   * A pool with MIN_NODES > 1 (or whose MIN_NODES was raised) is RESIZING this long after its first
   * node is up, until every minimum node is provisioned.
   */
  poolResizeMs: 20_000,
  /** ALTER COMPUTE POOL … SUSPEND: STOPPING for this long (or until its running jobs end), then SUSPENDED. */
  poolStopMs: 10_000,
  /** From a node being ready to the container process starting (image pull). */
  imagePullMs: 10_000,
  /** From the process starting to the readiness probe passing (container READY). */
  startupMs: 20_000,
  /** Instances of one service start this far apart (instance 0 first). */
  instanceStaggerMs: 5_000,
  /** A rolling upgrade replaces one instance per step, highest instance id first. */
  upgradeStepMs: 30_000,
  /** ALTER SERVICE … SUSPEND: SUSPENDING (instances TERMINATING) for this long, then SUSPENDED. */
  suspendMs: 15_000,
  /** A public endpoint gets its ingress URL this long after the service's first instance is READY. */
  endpointProvisionMs: 60_000,
  /** How long a job replica runs unless its spec says otherwise. */
  jobDurationMs: 60_000,
  /** Job replicas start this far apart. */
  jobStaggerMs: 1_000,
  /** Containers whose image tag contains `flaky` or `crash` crash and restart this often. */
  flakyRestartPeriodMs: 15 * 60_000,
  /** SYSTEM$CANCEL_JOB / pool suspension: CANCELLING for this long, then CANCELLED. */
  cancelMs: 5_000,
  /**
   * Logs, platform events and platform metrics reach the event table (SPCS_GET_LOGS / _EVENTS /
   * _METRICS) this long after the moment they describe. The docs only say "it might take a few
   * minutes" for logs and metrics to appear.
   */
  eventTableDelayMs: 2 * 60_000,
  /**
   * Platform metrics are sampled on this grid (every series shares the timestamps). Snowflake does
   * not document the interval of event-table metrics (autoscaling polls them every 30 s).
   */
  metricIntervalMs: 10_000,
} as const;

/** Container env var that sets a job's emulated run time in seconds (emulator extension). */
export const jobDurationEnvVar = 'SPCS_EMULATOR_JOB_SECONDS';
