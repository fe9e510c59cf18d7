/**
 * What "failed" means for a job: the one definition every count in this tool uses.
 *
 * - A job has **failed** when its terminal status is `FAILED` or `PARTIAL`. Upstream's
 *   `total_image_failed` counts PARTIAL as failed (docs/compatibility.md#job-statistics) and so does this
 *   tool; `total_image_partial` says how many of the failed were PARTIAL.
 * - A job has **timed out** when no terminal status arrived before the completion wait ended
 *   (`--completion-timeout`). Timed-out jobs are NOT in `total_image_failed`: they are counted
 *   apart in `total_image_timed_out` (and are neither processed nor in progress).
 * - The `Job Complete` entry records one sample per finished attempt and one per timed-out
 *   job, and a sample is a failure unless the status is SUCCESS, so its failures are
 *   `total_image_failed + total_image_timed_out` (plus the PARTIAL attempts a waiting user sent
 *   again, `total_image_retried`).
 *
 * @example
 * ```ts
 * import { countsAsFailed, jobOutcome } from "./job_outcome.ts";
 * if (!countsAsFailed("PARTIAL") || countsAsFailed("SUCCESS")) throw new Error("definition changed");
 * if (jobOutcome({ status: "IN_PROGRESS", completed: false }, true) !== "timed-out") throw new Error();
 * ```
 * @module
 */
import type { JobStatusValue } from "../model/job_record.ts";

/** Where a job stands in the totals: exactly one of these per tracked job. */
export type JobOutcome = "succeeded" | "failed" | "in-progress" | "timed-out";

/**
 * True when a terminal status counts as a failure: FAILED and PARTIAL (upstream's rule).
 *
 * @example
 * ```ts
 * import { countsAsFailed } from "./job_outcome.ts";
 * if (countsAsFailed("SUCCESS")) throw new Error("SUCCESS is not a failure");
 * ```
 */
export function countsAsFailed(status: string): boolean {
  return status === "FAILED" || status === "PARTIAL";
}

/**
 * The outcome of one job: succeeded or failed once a terminal status is in; timed out when the
 * completion wait gave up on it; in progress otherwise.
 *
 * @example
 * ```ts
 * import { jobOutcome } from "./job_outcome.ts";
 * if (jobOutcome({ status: "PARTIAL", completed: true }, false) !== "failed") throw new Error();
 * ```
 */
export function jobOutcome(
  record: { status: JobStatusValue; completed: boolean },
  timedOut: boolean,
): JobOutcome {
  if (record.completed) return countsAsFailed(record.status) ? "failed" : "succeeded";
  return timedOut ? "timed-out" : "in-progress";
}
