import type { StatsAggregator } from "../stats/aggregator.ts";
import type { JobStatistics, TimelinePoint } from "../output/run_report.ts";

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
 * jobs by status, volume processed, backlog and target rate.
 *
 * @example
 * ```ts
 * import { StatsAggregator } from "../stats/aggregator.ts";
 * import { JobTracker } from "../tracker/job_tracker.ts";
 * import { timelinePoint } from "./timeline_point.ts";
 * const point = timelinePoint(Date.now(), {
 *   stats: new StatsAggregator(), jobs: new JobTracker().statistics(), users: 0,
 *   queueDepth: undefined, targetRate: undefined,
 * });
 * point.jobsInFlight; // 0
 * ```
 */
export function timelinePoint(now: number, inputs: TimelineInputs): TimelinePoint {
  const { jobs, queueDepth, targetRate } = inputs;
  const total = inputs.stats.total;
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
  };
}
