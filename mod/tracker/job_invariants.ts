/**
 * The invariants of the job totals, checked at every rewrite of the job files and at the end
 * of a run (and by the property test with random status interleavings):
 *
 * 1. sent = processed + in progress + timed out
 * 2. processed = succeeded + failed (failed includes PARTIAL, see `job_outcome.ts`)
 * 3. PARTIAL ≤ failed, and no count is negative
 * 4. with the `Job Complete` entry's totals: its requests = processed + timed out + retried,
 *    and its failures = failed + timed out + retried (a retried attempt ended PARTIAL)
 *
 * @example
 * ```ts
 * import { jobInvariantViolations } from "./job_invariants.ts";
 * import { JobTracker } from "./job_tracker.ts";
 * const broken = jobInvariantViolations(new JobTracker().statistics());
 * if (broken.length) throw new Error(broken.join("; "));
 * ```
 * @module
 */
import type { JobStatistics, JobStatisticsExtra } from "../model/run_report.ts";

/** The `Job Complete` entry's totals, to check against the job counts. */
export interface JobCompleteTotals {
  /** Samples recorded (Locust's `numRequests` of the `Job Complete` entries, summed). */
  requests: number;
  /** Failed samples (`numFailures`, summed). */
  failures: number;
}

/**
 * The invariants `stats` (and, when given, the `Job Complete` totals) break, as sentences that
 * show the numbers; empty when all hold.
 *
 * @example
 * ```ts
 * import { jobInvariantViolations } from "./job_invariants.ts";
 * const stats = { total_image_sent: 3, total_image_in_progress: 0, total_image_processed: 3,
 *   total_image_succeeded: 2, total_image_failed: 1, total_gb_processed: 0,
 *   total_pixels_processed: 0, total_image_partial: 1, total_image_timed_out: 0 };
 * const broken = jobInvariantViolations(stats, { requests: 3, failures: 2 });
 * if (broken.length !== 1) throw new Error("Job Complete has one failure too many");
 * ```
 */
export function jobInvariantViolations(
  stats: JobStatistics & Partial<JobStatisticsExtra>,
  jobComplete?: JobCompleteTotals,
): string[] {
  const broken: string[] = [];
  const sent = stats.total_image_sent;
  const processed = stats.total_image_processed;
  const inProgress = stats.total_image_in_progress;
  const timedOut = stats.total_image_timed_out;
  const failed = stats.total_image_failed;
  const retried = stats.total_image_retried ?? 0;
  if (sent !== processed + inProgress + timedOut) {
    broken.push(
      `sent (${sent}) != processed (${processed}) + in progress (${inProgress}) + timed out (${timedOut})`,
    );
  }
  if (processed !== stats.total_image_succeeded + failed) {
    broken.push(
      `processed (${processed}) != succeeded (${stats.total_image_succeeded}) + failed (${failed})`,
    );
  }
  if (stats.total_image_partial > failed) {
    broken.push(`PARTIAL (${stats.total_image_partial}) > failed (${failed})`);
  }
  const counts: Array<[string, number]> = [
    ["sent", sent],
    ["in progress", inProgress],
    ["processed", processed],
    ["succeeded", stats.total_image_succeeded],
    ["failed", failed],
    ["PARTIAL", stats.total_image_partial],
    ["timed out", timedOut],
    ["retried", retried],
    ["pixels", stats.total_pixels_processed],
    ["GB", stats.total_gb_processed],
  ];
  for (const [name, value] of counts) {
    if (!(value >= 0)) broken.push(`${name} is ${value}, below 0`);
  }
  if (jobComplete) {
    if (jobComplete.requests !== processed + timedOut + retried) {
      broken.push(
        `Job Complete requests (${jobComplete.requests}) != processed (${processed}) + timed out (${timedOut}) + retried (${retried})`,
      );
    }
    if (jobComplete.failures !== failed + timedOut + retried) {
      broken.push(
        `Job Complete failures (${jobComplete.failures}) != failed (${failed}) + timed out (${timedOut}) + retried (${retried})`,
      );
    }
  }
  return broken;
}
