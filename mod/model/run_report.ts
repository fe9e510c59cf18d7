/**
 * The data every output (console, CSV, JSON, HTML, web UI) reads from: a run's
 * configuration, statistics, job totals and time series.
 *
 * @example
 * ```ts
 * import type { TimelinePoint } from "./run_report.ts";
 * const point: TimelinePoint = {
 *   t: Date.now(), users: 5, rps: 2.5, fps: 0, p50: 12, p95: 40, p99: 55,
 *   jobsInFlight: 3, jobsSucceeded: 10, jobsFailed: 1, jobsPartial: 0, jobsTimedOut: 0,
 *   gbProcessed: 0.25, pixelsProcessed: 4e8,
 * };
 * ```
 * @module
 */

/** One sample of the run's state, taken about every second. */
export interface TimelinePoint {
  /** Time of the sample, ms since the Unix epoch. */
  t: number;
  /** Virtual users running. */
  users: number;
  /** Current requests/s and failures/s (Locust's current rates, all entries). */
  rps: number;
  fps: number;
  /** Response-time percentiles of the Aggregated entry over the current window (ms), or null. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** Jobs submitted with no terminal status yet. */
  jobsInFlight: number;
  /** Cumulative jobs by terminal status. */
  jobsSucceeded: number;
  jobsFailed: number;
  jobsPartial: number;
  jobsTimedOut: number;
  /** Cumulative GiB and (known) pixels of completed jobs. */
  gbProcessed: number;
  pixelsProcessed: number;
  /**
   * Request-queue backlog (ApproximateNumberOfMessages + NotVisible); null when it could not be
   * read at this point (drawn as a gap, never as 0); absent before the first sample.
   */
  queueDepth?: number | null;
  /** Target arrival rate (jobs/s) for open-model shapes. */
  targetRate?: number;
  /** `Submit Image` alone: current submissions/s and failures/s (Locust's current rates). */
  submitRps?: number;
  submitFps?: number;
  /** `Submit Image` response-time percentiles over about the last 10 s (ms), or null. */
  submitP50?: number | null;
  submitP95?: number | null;
  submitP99?: number | null;
  /**
   * `Job Complete` latency percentiles (submission to terminal status) of the jobs that ended in
   * the last 60 s (ms), or null when none ended then.
   */
  jobP50?: number | null;
  jobP95?: number | null;
}

/**
 * The job statistics (upstream's `calculate_statistics`: docs/compatibility.md#job-statistics) plus the
 * additions of this tool. Keys are the upstream `job_summary.json` keys.
 */
export interface JobStatistics {
  total_image_sent: number;
  total_image_in_progress: number;
  total_image_processed: number;
  total_image_succeeded: number;
  /** FAILED + PARTIAL, as upstream counts it. */
  total_image_failed: number;
  total_gb_processed: number;
  /** Pixels of the processed jobs whose pixel count is known (see `jobs_pixels_unknown`). */
  total_pixels_processed: number;
  /** PARTIAL alone (also included in `total_image_failed`). */
  total_image_partial: number;
  /**
   * Jobs still open when the completion wait timed out: neither processed nor in progress, and
   * not in `total_image_failed` (see mod/tracker/job_outcome.ts).
   */
  total_image_timed_out: number;
}

/**
 * What the job tracker counts beyond {@linkcode JobStatistics} (kept apart so that every key
 * of `JobStatistics` stays a number that thresholds and reports can read).
 */
export interface JobStatisticsExtra {
  /**
   * PARTIAL attempts that a waiting user sent again (a new attempt of the same job); each had
   * its `Job Complete` sample.
   */
  total_image_retried: number;
  /**
   * Processed jobs whose image header could not be read: their pixels are unknown and not in
   * `total_pixels_processed`.
   */
  jobs_pixels_unknown: number;
}

/** One step of a capacity search (`osml-load capacity`). */
export interface CapacityStep {
  /** 1-based step number. */
  step: number;
  /** Target arrival rate in jobs/s. */
  targetRate: number;
  /** Rate actually submitted in jobs/s. */
  achievedRate: number;
  /** Request-queue backlog at the start and end of the step; null when it could not be read. */
  backlogStart: number | null;
  backlogEnd: number | null;
  /**
   * What the verdict was decided on: `backlog+latency` normally; `latency` when the backlog
   * was unknown at the start or the end of the step (the step then never passes on the
   * backlog, and fails when no job finished in it either).
   */
  decidedOn?: "backlog+latency" | "latency";
  /** True when the backlog was unknown at the start or end of the step. */
  backlogUnknown?: boolean;
  /** End-to-end job latency p95 over the step (ms), or null when no job finished. */
  latencyP95Ms: number | null;
  /** Failed jobs / finished jobs over the step. */
  failRatio: number;
  /**
   * Why the step passed or failed; `generator` means the load generator could
   * not submit the target rate (too few users for the latency of a send);
   * `unmeasured` means neither the backlog nor a job latency could be measured, so the step
   * cannot pass.
   */
  verdict: "ok" | "backlog" | "latency" | "failures" | "confirm" | "generator" | "unmeasured";
}
