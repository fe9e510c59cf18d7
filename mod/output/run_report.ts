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
  /** Cumulative GiB and pixels of completed jobs. */
  gbProcessed: number;
  pixelsProcessed: number;
  /** Request-queue backlog (ApproximateNumberOfMessages + NotVisible), when sampled. */
  queueDepth?: number;
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
 * The job statistics (upstream's `calculate_statistics`, §6.2) plus the
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
  total_pixels_processed: number;
  /** PARTIAL alone (also included in `total_image_failed`). */
  total_image_partial: number;
  /** Jobs still open when the completion wait timed out. */
  total_image_timed_out: number;
}

/** One step of a capacity search (`osml-load capacity`). */
export interface CapacityStep {
  /** 1-based step number. */
  step: number;
  /** Target arrival rate in jobs/s. */
  targetRate: number;
  /** Rate actually submitted in jobs/s. */
  achievedRate: number;
  /** Request-queue backlog at the start and end of the step. */
  backlogStart: number;
  backlogEnd: number;
  /** End-to-end job latency p95 over the step (ms), or null when no job finished. */
  latencyP95Ms: number | null;
  /** Failed jobs / finished jobs over the step. */
  failRatio: number;
  /**
   * Why the step passed or failed; `generator` means the load generator could
   * not submit the target rate (too few users for the latency of a send).
   */
  verdict: "ok" | "backlog" | "latency" | "failures" | "confirm" | "generator";
}
