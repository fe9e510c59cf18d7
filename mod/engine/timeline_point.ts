import type { StatsAggregator } from "../stats/aggregator.ts";
import type { JobStatistics, TimelinePoint } from "../model/run_report.ts";
import { RequestTypeWindow } from "./request_type_window.ts";
import { JOB_COMPLETE } from "./job_complete_sample.ts";

/** Seconds of the `Job Complete` percentile window (jobs end far less often than sends). */
const JOB_WINDOW_S = 60;
/** Seconds of the `Submit Image` percentile window (Locust's current percentile window). */
const SUBMIT_WINDOW_S = 10;

interface TypeWindows {
  submit: RequestTypeWindow;
  job: RequestTypeWindow;
}
/** Per-run windows, keyed by the run's statistics (so the function's signature stays pure). */
const WINDOWS = new WeakMap<StatsAggregator, TypeWindows>();

/** What a timeline point is made of. */
export interface TimelineInputs {
  stats: StatsAggregator;
  jobs: JobStatistics;
  users: number;
  /** The backlog; null when it could not be read (a gap, not 0); undefined when not sampled. */
  queueDepth: number | null | undefined;
  targetRate: number | undefined;
}

/**
 * One point of the run's timeline: users, current rates and percentiles,
 * jobs by status, volume processed, backlog and target rate, and the
 * `Submit Image` rate and percentiles and `Job Complete` latency percentiles
 * apart (the charts never mix milliseconds of sends with minutes of jobs).
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { JobTracker } from "../tracker/job_tracker.ts";
 * import { timelinePoint } from "./timeline_point.ts";
 * const point = timelinePoint(Date.now(), {
 *   stats: new StatsAggregator(), jobs: new JobTracker().statistics(), users: 0,
 *   queueDepth: undefined, targetRate: undefined,
 * });
 * assert.equal(point.jobsInFlight, 0);
 * ```
 */
export function timelinePoint(now: number, inputs: TimelineInputs): TimelinePoint {
  const { jobs, queueDepth, targetRate, stats } = inputs;
  const total = stats.total;
  let windows = WINDOWS.get(stats);
  if (windows === undefined) {
    windows = {
      submit: new RequestTypeWindow("Submit Image", SUBMIT_WINDOW_S),
      job: new RequestTypeWindow(JOB_COMPLETE, JOB_WINDOW_S),
    };
    WINDOWS.set(stats, windows);
  }
  const [submitP50, submitP95, submitP99] = windows.submit.percentiles(stats, now, [
    0.5,
    0.95,
    0.99,
  ]);
  const [jobP50, jobP95] = windows.job.percentiles(stats, now, [0.5, 0.95]);
  return {
    t: now,
    users: inputs.users,
    rps: total.currentRps,
    fps: total.currentFailPerSec,
    p50: total.currentPercentile(0.5, now),
    p95: total.currentPercentile(0.95, now),
    p99: total.currentPercentile(0.99, now),
    jobsInFlight: jobs.total_image_in_progress,
    jobsSucceeded: jobs.total_image_succeeded,
    jobsFailed: jobs.total_image_failed - jobs.total_image_partial,
    jobsPartial: jobs.total_image_partial,
    jobsTimedOut: jobs.total_image_timed_out,
    gbProcessed: jobs.total_gb_processed,
    pixelsProcessed: jobs.total_pixels_processed,
    ...(queueDepth !== undefined ? { queueDepth } : {}),
    ...(targetRate !== undefined ? { targetRate } : {}),
    submitRps: windows.submit.currentRps(stats),
    submitFps: windows.submit.currentFailPerSec(stats),
    submitP50: submitP50 ?? null,
    submitP95: submitP95 ?? null,
    submitP99: submitP99 ?? null,
    jobP50: jobP50 ?? null,
    jobP95: jobP95 ?? null,
  };
}
